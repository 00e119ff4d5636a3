/*
 * The memory image: the one model every reader fills (through a sink, see
 * stimg/format.h) and every writer drains. It holds bytes at 32-bit
 * addresses, the entry point, the inputs the bytes came from, and what the
 * readers recorded beside the bytes: ranges they left out and why, and
 * named places (segments, sections, symbols).
 *
 * Memory follows the data, never the address span: bytes at 0x08000000
 * and at 0x90000000 cost their bytes, records in any order cost their
 * bytes, and a length field read from a file never sizes an allocation.
 *
 * Ownership: the image owns everything it holds; pointers it returns
 * (chunks, sources, places, dropped ranges) stay valid until the next call
 * that changes the image. Strings passed in are copied.
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

struct stimg__image;

/* An image; its state is private. STIMG_IMAGE_INIT or stimg_image_init. */
struct stimg_image {
	struct stimg__image *priv;
};

#define STIMG_IMAGE_INIT { NULL }

void stimg_image_init(struct stimg_image *img);

/* Frees everything the image holds and leaves it empty (and usable). */
void stimg_image_release(struct stimg_image *img);

/*
 * How the image finds a byte's origin in an input once it has stopped
 * keeping origins itself (records far out of order): find looks for the
 * first record of the input (before line below, when below is not 0) that
 * covers addr and returns 1 with its line and range, 0 when there is none,
 * or a negative STIMG_E* code. free (may be NULL) frees ctx when the image
 * is released. The image owns ctx from stimg_image_add_source on.
 */
struct stimg_resolver {
	int (*find)(void *ctx, uint32_t addr, uint32_t below, uint32_t *line,
		    struct stimg_range *record);
	void (*free)(void *ctx);
	void *ctx;
};

/* What a reader saw in an ELF file's header (info shows it). */
struct stimg_elf_info {
	unsigned elf_class;	/* 32 or 64 */
	bool big_endian;
	unsigned type;		/* e_type: 2 executable, 3 shared object/PIE */
	unsigned machine;	/* e_machine: 40 is ARM */
	uint32_t flags;		/* e_flags */
	uint64_t entry;		/* e_entry; 0: none */
	size_t phnum;		/* program headers */
	size_t shnum;		/* section headers; 0: none (whole segments) */
	size_t nload;		/* of them PT_LOAD */
};

/* A fact a reader found in a file's own header ("family", "0x57755A57"). */
struct stimg_attr {
	const char *key;
	const char *value;
};

/* An input the image's bytes came from. */
struct stimg_source {
	const char *name;	/* for messages, as given */
	const char *format;	/* the format's name, or NULL */
	bool has_entry;		/* the input gave an entry point */
	uint32_t entry;
	const struct stimg_elf_info *elf;	/* an ELF input's header, or
						   NULL */
	const struct stimg_attr *attrs;	/* in the order the reader gave them */
	size_t nattrs;
};

/*
 * Adds a source named name (format may be NULL); *id receives its number
 * for stimg_image_put. resolver may be NULL: the input cannot be read
 * again (standard input, a pipe, data put directly), and a conflict then
 * names "an earlier record of NAME". On failure the resolver's ctx is
 * freed.
 */
int stimg_image_add_source(struct stimg_image *img, const char *name,
			   const char *format,
			   const struct stimg_resolver *resolver,
			   uint32_t *id);

/* The number of sources, and source id (id below that number). */
size_t stimg_image_nsources(const struct stimg_image *img);
const struct stimg_source *stimg_image_source(const struct stimg_image *img,
					      uint32_t id);

/* Records the entry point source src gave (copied into its source). */
int stimg_image_source_entry(struct stimg_image *img, uint32_t src,
			     uint32_t entry);

/* Records a fact about source src, key and value copied (info shows it). */
int stimg_image_source_attr(struct stimg_image *img, uint32_t src,
			    const char *key, const char *value);

/* Records an ELF source's header facts (copied). */
int stimg_image_source_elf(struct stimg_image *img, uint32_t src,
			   const struct stimg_elf_info *e);

/*
 * Puts len bytes at addr, which came from source src. They are count =
 * ceil(len / step) records of step bytes on lines line, line + 1, ...
 * (line 0 or step 0: one record; line 0: the source has no lines).
 * Data past the 32-bit space is STIMG_ERANGE. Bytes already present are
 * handled by pol: a differing byte under STIMG_OVERLAP_ERROR is
 * STIMG_ECONFLICT with a message naming both places and the first
 * differing address, and nothing of the put is written; under FIRST or
 * LAST the conflict goes to the warning callback.
 */
int stimg_image_put_records(struct stimg_image *img, uint64_t addr,
			    const uint8_t *data, size_t len, uint32_t src,
			    uint32_t line, uint32_t step,
			    enum stimg_overlap pol, struct stimg_diag *d);

/* stimg_image_put_records for one record. */
int stimg_image_put(struct stimg_image *img, uint64_t addr, const uint8_t *data,
		    size_t len, uint32_t src, uint32_t line,
		    enum stimg_overlap pol, struct stimg_diag *d);

/*
 * Gives the image memory to keep until it is released (stimg_image_release
 * calls release(mem, len) then): bytes put from it with stimg_image_put_ref
 * may stay there instead of being copied. On failure (STIMG_ENOMEM) the
 * caller keeps mem.
 */
int stimg_image_keep(struct stimg_image *img, void *mem, size_t len,
		     void (*release)(void *mem, size_t len));

/*
 * stimg_image_put (one record, no line) of bytes inside memory the image
 * keeps: where they land on no other data, the image points at them (and
 * copies them before any change there) instead of copying them.
 */
int stimg_image_put_ref(struct stimg_image *img, uint64_t addr,
			const uint8_t *data, size_t len, uint32_t src,
			enum stimg_overlap pol, struct stimg_diag *d);

/* Sets every missing byte of [r->start, r->end) to byte. */
int stimg_image_fill(struct stimg_image *img, uint8_t byte,
		     const struct stimg_range *r);

/* Removes every byte of the ranges. */
int stimg_image_remove(struct stimg_image *img, const struct stimg_ranges *r);

/*
 * Moves every byte (and the entry point, and the origins) by delta; a byte
 * that would land below 0 or at or above 4 GiB is STIMG_ERANGE.
 */
int stimg_image_move(struct stimg_image *img, int64_t delta,
		     struct stimg_diag *d);

/* The image's entry point: true with *entry, or false when it has none. */
bool stimg_image_entry(const struct stimg_image *img, uint32_t *entry);
void stimg_image_set_entry(struct stimg_image *img, bool has, uint32_t entry);

/* The lowest address and one past the highest; {0, 0} when empty. */
struct stimg_range stimg_image_span(const struct stimg_image *img);

/* The number of data bytes held. */
uint64_t stimg_image_bytes(const struct stimg_image *img);

/*
 * Bytes in order: the first run of data bytes at or after *at that has no
 * hole and lies inside one 64 KiB page. Returns false when there is none,
 * else fills c and moves *at past it. Start with *at = 0 (or an address).
 */
struct stimg_chunk {
	uint32_t addr;
	size_t len;
	const uint8_t *data;
};

bool stimg_image_next_chunk(const struct stimg_image *img, uint64_t *at,
			    struct stimg_chunk *c);

/*
 * Regions in order: the first maximal run of addresses holding data at or
 * after *at (clipped to start there). Returns false when there is none,
 * else fills r and moves *at to its end. Start with *at = 0.
 */
bool stimg_image_next_region(const struct stimg_image *img, uint64_t *at,
			     struct stimg_range *r);

/* The number of regions, and the addresses that hold data as a set. */
size_t stimg_image_nregions(const struct stimg_image *img);
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
 * Where the byte at addr came from: its source, its record's line (0: the
 * source has no lines) and the record's address range. From the origins the
 * image keeps, or through the sources' resolvers. false when unknown.
 */
bool stimg_image_origin(const struct stimg_image *img, uint32_t addr,
			uint32_t *src, uint32_t *line,
			struct stimg_range *record);

/*
 * Bytes a reader read but left out of the image, or strip dropped, and
 * why. Addresses are as read, before any transform.
 */
struct stimg_dropped {
	uint64_t start, end;	/* load addresses; end exclusive */
	uint32_t src;		/* the input they were in */
	const char *why;	/* "ELF file header ... of segment 0" */
};

/* Records that [start, end) of source src was left out, and why. */
int stimg_image_add_dropped(struct stimg_image *img, uint64_t start,
			    uint64_t end, uint32_t src, const char *why);
size_t stimg_image_ndropped(const struct stimg_image *img);
const struct stimg_dropped *stimg_image_dropped(const struct stimg_image *img,
						size_t i);

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
	const char *name;	/* NULL for a segment */
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

/* Adds a place (its name is copied). */
int stimg_image_add_place(struct stimg_image *img, const struct stimg_place *p);
size_t stimg_image_nplaces(const struct stimg_image *img);
const struct stimg_place *stimg_image_place(const struct stimg_image *img,
					    size_t i);

#endif
