/*
 * ELF files as the reader and the in-place patcher see them: the headers,
 * the loadable segments and the allocated sections, every offset, size and
 * count checked against the file's size before use (elf_layout.c).
 * libelf's headers appear only in the ELF files of src/fmt.
 */
#ifndef STIMG_ELF_LAYOUT_H
#define STIMG_ELF_LAYOUT_H

#include <gelf.h>
#include <libelf.h>

#include "fmt/fmt.h"

#define layout_open stimg__elf_layout_open
#define layout_close stimg__elf_layout_close
#define file_end stimg__elf_file_end
#define kept stimg__elf_kept
#define kept_spans stimg__elf_kept_spans
#define check_overlaps stimg__elf_check_overlaps
#define elf_write stimg__elf_write

/* A PT_LOAD segment and the file offsets of the section bytes in it. */
struct lseg {
	size_t index;			/* program header index */
	GElf_Phdr ph;
	uint64_t first, last;		/* first >= last: no section in it */
};

/* An allocated section. */
struct lsec {
	size_t index;
	const char *name;		/* libelf's, valid until elf_end */
	GElf_Shdr sh;
	size_t seg;			/* in layout.seg; SIZE_MAX: not loaded */
	uint64_t load;			/* load address of its first byte */
};

/* What the headers say, checked against the file's size. */
struct layout {
	const char *file;
	const uint8_t *buf;
	size_t len;
	Elf *e;
	GElf_Ehdr eh;
	size_t ehsize, phsize;		/* of the ELF header, the phdr table */
	size_t phnum, shnum, shstrndx;	/* shnum 0: no section headers */
	struct lseg *seg;
	size_t nseg;
	struct lsec *sec;		/* in section index order */
	size_t nsec;
	uint32_t *odd;			/* see count_odd (made by the reader) */
};

/* Load range of kept bytes: a segment's, or of several that map alike. */
struct span {
	uint64_t start, end;
	uint64_t offset;	/* file offset of the byte at start */
	size_t index;		/* the (lowest) program header index */
};

/* Reads and checks the headers of the ELF file buf; closed on failure. */
int layout_open(struct layout *l, const uint8_t *buf, size_t len,
		const char *file, struct stimg_diag *d);
void layout_close(struct layout *l);

/* One past the last file byte of segment g. */
uint64_t file_end(const struct lseg *g);

/* The file offsets [a, b) of segment g that the image takes. */
void kept(const struct layout *l, const struct lseg *g, uint64_t *a,
	  uint64_t *b);

/*
 * The load ranges of the segments' kept bytes, segments that map the same
 * file bytes at one address once (*v malloc'd, *n of them).
 */
int kept_spans(const struct layout *l, struct span **v, size_t *n);

/*
 * Spans that load differing bytes at one address are an error under
 * STIMG_OVERLAP_ERROR, named with the segments' numbers.
 */
int check_overlaps(const struct layout *l, const struct span *spans,
		   size_t n, enum stimg_overlap pol, struct stimg_diag *d);

/* The ELF writer (elf_write.c): the format table's write for elf. */
int elf_write(const struct stimg_image *img, FILE *f, const void *opts,
	      struct stimg_diag *d);

#endif
