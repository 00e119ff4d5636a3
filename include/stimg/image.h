/*
 * The memory image: the one model every reader fills and every writer
 * drains. Segments are sorted by address, never overlap and never touch
 * (touching data is one segment). Memory is proportional to the data held,
 * never to the address span.
 *
 * Each byte remembers where it came from (a source file and a line) through
 * origin runs, so that a conflict can name both sides.
 */
#ifndef STIMG_IMAGE_H
#define STIMG_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stimg/range.h"
#include "stimg/stimg.h"

/* What to do when data lands on data that is already there. */
enum stimg_overlap {
	STIMG_OVERLAP_ERROR,	/* identical bytes pass; differing bytes fail */
	STIMG_OVERLAP_FIRST,	/* keep the old bytes, warn */
	STIMG_OVERLAP_LAST,	/* take the new bytes, warn */
};

/*
 * size bytes of data at addr. The allocation starts front bytes before data
 * and holds cap bytes from data on: headroom at both ends makes records in
 * ascending or descending order cost amortised O(1) per byte.
 */
struct stimg_segment {
	uint32_t addr;
	size_t size;
	size_t cap;
	size_t front;
	uint8_t *data;
};

/*
 * Bytes [addr, addr + size) came from source src: record k of the run (step
 * bytes each; count records, the last maybe shorter) is on line line + k.
 * step 0 means the whole run has one place, line (0 when the source has no
 * lines, such as a binary file).
 */
struct stimg_origin {
	uint32_t addr;
	uint64_t size;
	uint32_t line;
	uint32_t step;
	uint32_t src;
	uint32_t count;
};

/*
 * Bytes a reader read but left out of the image, or strip dropped, and
 * why. Addresses are as read, before any transform.
 */
struct stimg_dropped {
	uint64_t start, end;	/* load addresses; end exclusive */
	uint32_t src;		/* the input they were in */
	char *why;		/* "ELF file header ... of segment 0" (owned) */
};

enum stimg_place_kind {
	STIMG_PLACE_SEGMENT,	/* a loadable program segment (ELF PT_LOAD) */
	STIMG_PLACE_SECTION,	/* an allocated section (ELF SHF_ALLOC) */
	STIMG_PLACE_SYMBOL,	/* a named address */
};

/*
 * A named, addressed part of an input, recorded by the reader so that
 * later steps can find a section or a symbol by name (a LOC) and show how
 * the input was laid out. Addresses are as read, before any transform.
 */
struct stimg_place {
	enum stimg_place_kind kind;
	char *name;		/* NULL for a segment (owned) */
	uint32_t src;		/* the input it is in */
	uint32_t index;		/* ELF: program header, section or symbol index */
	uint32_t parent;	/* ELF: a section's program header, a symbol's
				   section index; UINT32_MAX for none */
	uint64_t addr;		/* load address: where its bytes are in the image */
	uint64_t vaddr;		/* run address (p_vaddr, sh_addr, st_value) */
	uint64_t size;		/* bytes in the file (symbols: st_size) */
	uint64_t memsize;	/* bytes in memory (p_memsz, sh_size) */
	uint64_t offset;	/* file offset of its first byte */
	uint32_t type, flags;	/* ELF: p_type/p_flags, sh_type/sh_flags,
				   st_info/st_shndx */
	bool loads;		/* its bytes are in the image at addr */
	/* segments: the load addresses of the bytes the image took */
	uint64_t kept_start, kept_end;
};

struct stimg_elf_info;		/* stimg/elf.h */

/*
 * An input the image's bytes came from, with what it takes to read it again
 * (path NULL: it cannot be, as for standard input or data put directly).
 */
struct stimg_source {
	char *name;		/* for messages (owned) */
	char *path;		/* to read again (owned), or NULL: not a
				   regular file */
	const char *format;	/* the format's name, to read it again */
	uint64_t addr;		/* a raw binary's address */
};

struct stimg_probe;
struct stimg_batch;

/*
 * Origin runs cost memory beyond the data when records come out of order
 * (one run per record); past a budget the image drops them all and finds
 * an origin by reading the sources again instead (origins_dropped).
 */
struct stimg_image {
	struct stimg_segment *seg;
	size_t nseg, segcap;
	struct stimg_origin *org;
	size_t norg, orgcap;
	bool origins_dropped;
	struct stimg_source *src;
	size_t nsrc, srccap;
	uint32_t entry;
	bool has_entry;
	size_t hot;		/* segment the last put extended */
	/* what readers dropped, and the places they found, in reading order */
	struct stimg_dropped *drop;
	size_t ndrop, dropcap;
	struct stimg_place *place;
	size_t nplace, placecap;
	struct stimg_elf_info *elf;	/* one per ELF input read */
	size_t nelf, elfcap;
	unsigned warnings;	/* overlap warnings sent */
	struct stimg_probe *probe;	/* set while a source is read again */
	struct stimg_batch *batch;	/* puts not yet merged */
};

#define STIMG_IMAGE_INIT { 0 }

void stimg_image_init(struct stimg_image *img);

/* Frees everything the image holds and leaves it empty. */
void stimg_image_release(struct stimg_image *img);

/*
 * Registers a source (name copied; no path: it cannot be read again);
 * *id receives its number for stimg_image_put.
 */
int stimg_image_add_source(struct stimg_image *img, const char *name,
			   uint32_t *id);

/*
 * Puts len bytes at addr, which came from source src (a number that
 * stimg_image_add_source gave) at line (0: no line).
 * Data past the 32-bit space is STIMG_ERANGE. Bytes already present are
 * handled by pol: a differing byte under STIMG_OVERLAP_ERROR is
 * STIMG_ECONFLICT with a message naming both places and the first differing
 * address; under FIRST or LAST the conflict goes to the warning callback.
 * Appending right after the previous put is amortised O(len); puts out of
 * order into a large image are collected and merged in batches, so call
 * stimg_image_flush before looking at the segments (stimg_read does).
 */
int stimg_image_put(struct stimg_image *img, uint64_t addr, const uint8_t *data,
		    size_t len, uint32_t src, uint32_t line,
		    enum stimg_overlap pol, struct stimg_diag *d);

/*
 * Completes the puts collected so far; their conflicts are reported now,
 * as they would have been by each put. Every function below that changes
 * the image flushes first; the others expect a flushed image.
 */
int stimg_image_flush(struct stimg_image *img, struct stimg_diag *d);

/* Keeps only the bytes whose addresses are in keep. */
int stimg_image_crop(struct stimg_image *img, const struct stimg_ranges *keep);

/* Drops the bytes whose addresses are in drop. */
int stimg_image_exclude(struct stimg_image *img,
			const struct stimg_ranges *drop);

/*
 * Moves every byte (and the entry point) by delta; a byte that would land
 * below 0 or at or above 4 GiB is STIMG_ERANGE.
 */
int stimg_image_offset(struct stimg_image *img, int64_t delta,
		       struct stimg_diag *d);

/* Fills the holes inside within with byte; existing data is kept. */
int stimg_image_fill(struct stimg_image *img, uint8_t byte,
		     const struct stimg_range *within);

/* The lowest address and one past the highest; {0, 0} when empty. */
struct stimg_range stimg_image_span(const struct stimg_image *img);

/* The number of data bytes held. */
uint64_t stimg_image_bytes(const struct stimg_image *img);

/* The addresses that hold data, as a range set (caller releases it). */
int stimg_image_ranges(const struct stimg_image *img, struct stimg_ranges *out);

/*
 * Copies the len bytes at addr into out. Returns false (out undefined) when
 * any of them is missing.
 */
bool stimg_image_get(const struct stimg_image *img, uint32_t addr, uint8_t *out,
		     size_t len);

/*
 * Feeds the bytes of [r->start, r->end) to fn in address order, in chunks:
 * the image's data where it has some, fill bytes in the holes, so a caller
 * (a CRC, a writer) sees the filled range without a flat copy of it.
 * Stops at the first non-zero return of fn and returns it.
 */
int stimg_image_walk(const struct stimg_image *img, const struct stimg_range *r,
		     uint8_t fill,
		     int (*fn)(void *ctx, const uint8_t *p, size_t n),
		     void *ctx);

/*
 * The Cortex-M vector table: the initial stack pointer and the reset
 * handler, and whether each is plausible. It is looked for at the image's
 * lowest address and, when that is not plausible, every 256 bytes above it
 * within the first 4 KiB (a firmware header at the base with the vectors
 * after it, as VTOR's alignment allows); the first plausible table wins,
 * else the lowest address is reported.
 * The SP is plausible when 4-aligned and in RAM: the SRAM region
 * 0x20000000..0x40000000 or the STM32 core-coupled RAM 0x10000000..0x10010000
 * (end inclusive: the stack grows down from one past the end). The reset
 * handler is plausible when odd (Thumb) and inside the image's data.
 */
struct stimg_vectors {
	bool present;		/* the image has 8 bytes at addr */
	uint32_t addr, sp, reset;
	bool sp_ok, reset_ok;
};

void stimg_image_vectors(const struct stimg_image *img, struct stimg_vectors *v);

/*
 * Finds where the byte at addr came from: its source's name, its record's
 * line (0: the source has no lines) and the record's address range. From
 * the origin runs; when they were dropped, by reading the sources again
 * (then: the first record, in reading order, that covers addr). Sources
 * that are not regular files are never read again: when the others lack
 * the byte and only one such source exists, it is named, with line 0 and
 * the record [addr, addr + 1). false when the byte has no known origin.
 */
bool stimg_image_origin(const struct stimg_image *img, uint32_t addr,
			const char **src, uint32_t *line,
			struct stimg_range *record);

/* Records that [start, end) of source src was left out, and why (copied). */
int stimg_image_add_dropped(struct stimg_image *img, uint64_t start,
			    uint64_t end, uint32_t src, const char *why);

/* Adds a place; its name is copied. */
int stimg_image_add_place(struct stimg_image *img, const struct stimg_place *p);

/* The first place of kind named name, or NULL. */
const struct stimg_place *stimg_image_find_place(const struct stimg_image *img,
						 enum stimg_place_kind kind,
						 const char *name);

/*
 * Resolves a LOC to the load addresses it names: a number is an address
 * (an empty range at it: the caller knows the size); a name starting with
 * '.' is a section, anything else a symbol (its st_size bytes; an absolute
 * symbol, in no section, is an address). A name the image does not have,
 * a section or symbol with no bytes in the image, a symbol name given to
 * symbols at different addresses, or a symbol whose st_size runs past the
 * bytes of its section (st_size never sizes anything by itself) is
 * STIMG_EINVAL with a message that lists the sections there are.
 */
int stimg_image_locate(const struct stimg_image *img, const char *loc,
		       struct stimg_range *r, struct stimg_diag *d);

/*
 * The lowest load address of a section whose bytes are in the image;
 * false when there is none (an input without sections).
 */
bool stimg_image_lowest_section(const struct stimg_image *img, uint64_t *addr);

/*
 * Drops every byte below origin and at or above end. Each dropped region
 * is recorded (stimg_image_add_dropped, the source of its first byte) with
 * the reason, and one holding bytes other than 0x00 and 0xFF (not erased
 * flash, not padding) is reported through d's warning callback.
 * origin must be below end (else STIMG_EINVAL); end may be STIMG_ADDR_END.
 */
int stimg_image_strip(struct stimg_image *img, uint64_t origin, uint64_t end,
		      struct stimg_diag *d);

#endif
