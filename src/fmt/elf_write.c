/*
 * ELF out, for the tools that take nothing else (GDB load, OpenOCD
 * program, J-Link, make flash recipes): an ELF32 little-endian ARM
 * executable with one PT_LOAD segment (RX, p_vaddr = p_paddr) and one
 * allocated PROGBITS section (.sec1, .sec2, ...) per region, the entry
 * point, and the section name table; no symbols. Laid out in one pass,
 * so that it streams:
 *
 *   ELF header | program headers | region data ... | .shstrtab | section
 *   headers (null, one per region, .shstrtab)
 *
 * Each region's data starts at a file offset congruent to its address
 * modulo 4 (p_align 4). More than 65278 sections take ELF's extended
 * numbering (the count in section header 0); more than 65534 segments,
 * which the ELF reader does not take (PN_XNUM), are refused.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "fmt/elf_layout.h"

#define EHDR_SIZE 52
#define PHDR_SIZE 32
#define SHDR_SIZE 40
#define ALIGN 4
#define EF_ARM_EABI_V5 0x05000000u

struct elf_out {
	FILE *f;
	uint64_t off;		/* bytes written */
	int err;
};

static int put(void *ctx, const uint8_t *p, size_t n)
{
	struct elf_out *w = ctx;

	if (!w->err && fwrite(p, 1, n, w->f) != n)
		w->err = STIMG_EIO;
	w->off += n;
	return w->err;
}

/* Zeros up to offset to. */
static void pad(struct elf_out *w, uint64_t to)
{
	static const uint8_t zero[ALIGN];

	if (to > w->off)
		put(w, zero, (size_t)(to - w->off));
}

/* Where the data of a region at addr goes, the data before ending at off. */
static uint64_t data_offset(uint64_t off, uint64_t addr)
{
	return off + ((addr - off) & (ALIGN - 1));
}

/* ".sec12": the name of region i (from 0), its length with the NUL. */
static size_t sec_name(char *buf, size_t n, uint64_t i)
{
	return (size_t)snprintf(buf, n, ".sec%" PRIu64, i + 1) + 1;
}

/* How the file is laid out: counts and offsets. */
struct plan {
	uint64_t n;		/* regions */
	uint64_t data;		/* offset of the first region's data */
	uint64_t strtab, strsize, shoff, end;
};

static void plan_file(const struct stimg_image *img, struct plan *l)
{
	struct stimg_range r;
	uint64_t at = 0, off, i;
	char name[32];

	l->n = stimg_image_nregions(img);
	l->data = off = EHDR_SIZE + l->n * PHDR_SIZE;
	while (stimg_image_next_region(img, &at, &r))
		off = data_offset(off, r.start) + (r.end - r.start);
	l->strtab = off;
	l->strsize = sizeof("\0.shstrtab");
	for (i = 0; i < l->n; i++)
		l->strsize += sec_name(name, sizeof(name), i);
	l->shoff = (l->strtab + l->strsize + ALIGN - 1) & ~(uint64_t)(ALIGN - 1);
	l->end = l->shoff + (l->n + 2) * SHDR_SIZE;
}

static void ehdr(struct elf_out *w, const struct plan *l, bool has_entry,
		 uint32_t entry)
{
	uint8_t h[EHDR_SIZE] = { 0 }, *p;
	uint64_t shnum = l->n + 2;

	memcpy(h, ELFMAG, SELFMAG);
	h[EI_CLASS] = ELFCLASS32;
	h[EI_DATA] = ELFDATA2LSB;
	h[EI_VERSION] = EV_CURRENT;
	h[EI_OSABI] = ELFOSABI_NONE;
	p = put_le16(h + EI_NIDENT, ET_EXEC);
	p = put_le16(p, EM_ARM);
	p = put_le32(p, EV_CURRENT);
	p = put_le32(p, has_entry ? entry : 0);
	p = put_le32(p, EHDR_SIZE);				/* e_phoff */
	p = put_le32(p, (uint32_t)l->shoff);
	p = put_le32(p, EF_ARM_EABI_V5);
	p = put_le16(p, EHDR_SIZE);
	p = put_le16(p, PHDR_SIZE);
	p = put_le16(p, (uint32_t)l->n);
	p = put_le16(p, SHDR_SIZE);
	p = put_le16(p, shnum < SHN_LORESERVE ? (uint32_t)shnum : 0);
	put_le16(p, shnum - 1 < SHN_LORESERVE ? (uint32_t)(shnum - 1) : SHN_XINDEX);
	put(w, h, sizeof(h));
}

/* A section header; section 0 carries the counts that do not fit. */
static void shdr(struct elf_out *w, uint32_t name, uint32_t type,
		 uint32_t flags, uint32_t addr, uint64_t off, uint64_t size,
		 uint32_t link, uint32_t info)
{
	uint8_t h[SHDR_SIZE] = { 0 }, *p;

	p = put_le32(h, name);
	p = put_le32(p, type);
	p = put_le32(p, flags);
	p = put_le32(p, addr);
	p = put_le32(p, (uint32_t)off);
	p = put_le32(p, (uint32_t)size);
	p = put_le32(p, link);
	p = put_le32(p, info);
	put_le32(p, 1);					/* sh_addralign */
	put(w, h, sizeof(h));
}

int elf_write(const struct stimg_image *img, FILE *f, const void *opts,
	      struct stimg_diag *d)
{
	struct elf_out w = { f, 0, STIMG_OK };
	struct stimg_range r;
	struct plan l;
	uint64_t at, off, i, shnum;
	uint32_t entry, name;
	bool has_entry = stimg_image_entry(img, &entry);
	char sname[32];

	(void)opts;
	plan_file(img, &l);
	shnum = l.n + 2;
	if (l.n >= PN_XNUM)
		return diag_set(d, NULL, 0, STIMG_ECHECK, "the image has %" PRIu64
				" regions, more than the 65534 segments an ELF "
				"output holds; join them (--fill) or write ihex",
				l.n);
	if (l.end > UINT32_MAX)
		return diag_set(d, NULL, 0, STIMG_ECHECK, "an ELF file of this "
				"image would be %" PRIu64 " bytes, more than "
				"ELF32's offsets reach", l.end);
	ehdr(&w, &l, has_entry, entry);
	for (at = 0, off = l.data; stimg_image_next_region(img, &at, &r);) {
		uint8_t h[PHDR_SIZE], *p;

		off = data_offset(off, r.start);
		p = put_le32(h, PT_LOAD);
		p = put_le32(p, (uint32_t)off);
		p = put_le32(p, (uint32_t)r.start);
		p = put_le32(p, (uint32_t)r.start);
		p = put_le32(p, (uint32_t)(r.end - r.start));
		p = put_le32(p, (uint32_t)(r.end - r.start));
		p = put_le32(p, PF_R | PF_X);
		put_le32(p, ALIGN);
		put(&w, h, sizeof(h));
		off += r.end - r.start;
	}
	for (at = 0; !w.err && stimg_image_next_region(img, &at, &r);) {
		pad(&w, data_offset(w.off, r.start));
		stimg_image_walk(img, &r, 0, put, &w);
	}
	put(&w, (const uint8_t *)"\0.shstrtab", sizeof("\0.shstrtab"));
	for (i = 0; i < l.n; i++)
		put(&w, (const uint8_t *)sname, sec_name(sname, sizeof(sname), i));
	pad(&w, l.shoff);
	shdr(&w, 0, SHT_NULL, 0, 0, 0, shnum < SHN_LORESERVE ? 0 : shnum,
	     shnum - 1 < SHN_LORESERVE ? 0 : (uint32_t)(shnum - 1), 0);
	name = sizeof("\0.shstrtab");
	for (at = 0, off = l.data, i = 0;
	     stimg_image_next_region(img, &at, &r); i++) {
		off = data_offset(off, r.start);
		shdr(&w, name, SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR,
		     (uint32_t)r.start, off, r.end - r.start, 0, 0);
		off += r.end - r.start;
		name += (uint32_t)sec_name(sname, sizeof(sname), i);
	}
	shdr(&w, 1, SHT_STRTAB, 0, 0, l.strtab, l.strsize, 0, 0);
	return w.err;
}
