/*
 * The firmware header: version, size, CRC and other fields written into an
 * image (stimg patch, serial) and checked (stimg verify).
 *
 * A LOC names where a field goes: an address (the field's size then comes
 * from what is written), an address range START+SIZE or START:END, a
 * section name (starts with '.') or a symbol name (see stimg_image_locate).
 */
#ifndef STIMG_PATCH_H
#define STIMG_PATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "stimg/crc.h"
#include "stimg/image.h"
#include "stimg/sha256.h"

enum stimg_version_format {
	STIMG_VERSION_AUTO,	/* from the field's size: 8 u16x4, 4 u8x4 */
	STIMG_VERSION_U16X4,	/* four u16: major, minor, patch, build */
	STIMG_VERSION_U8X4,	/* four u8 */
	STIMG_VERSION_U32,	/* one u32: major << 24 | minor << 16 | ... */
	STIMG_VERSION_STRING,	/* the text as given, NUL-padded */
};

/* "auto", "u16x4", ... to a format; false for an unknown name. */
bool stimg_version_format_parse(const char *name,
				enum stimg_version_format *f);

/* What to patch. Strings are borrowed; NULL leaves a field alone. */
struct stimg_patch {
	const char *const *sets;	/* "LOC=TYPE:VALUE", applied first */
	size_t nsets;
	const char *version;		/* "1.2.3.4" (1 to 4 parts) */
	const char *version_at;		/* NULL: the section .fw_version */
	enum stimg_version_format version_format;
	const char *size_at;		/* u32 length of the CRC range */
	const struct stimg_crc_model *crc;
	const char *crc_at;		/* NULL: the section .crc */
	const char *sha256_at;		/* the SHA-256 of the CRC range goes
					 * here (32 bytes); NULL: none */
	struct stimg_range crc_range;	/* used when has_crc_range */
	bool has_crc_range;
	uint8_t fill;			/* holes in the CRC range (0xFF) */
	bool big_endian;		/* numbers written big-endian */
	bool force;			/* a field may replace any bytes */
};

/* An empty patch: nothing to do, fill 0xFF, little-endian. */
void stimg_patch_init(struct stimg_patch *p);

/* What a patch did, or what a check found. */
struct stimg_patch_result {
	struct stimg_ranges fields;	/* the bytes written as fields */
	struct stimg_ranges filled;	/* holes in the CRC range, counted as
					 * FILL (stimg_patch_fill writes them) */
	struct stimg_range crc_range;	/* as the CRC read it (STM32: whole
					 * words) */
	struct stimg_range crc_field;
	bool has_crc;
	uint64_t crc;			/* computed */
	uint64_t stored;		/* in the field before (verify) */
	struct stimg_range version_field, size_field;	/* empty: none */
	uint32_t size;			/* the size written or expected */
	bool version_ok, size_ok;	/* verify: the fields hold them */
	struct stimg_ranges padding;	/* data in the CRC range that is in
					 * no section (ELF input): segment
					 * padding */
	bool has_sha256;
	struct stimg_range sha256_field;
	struct stimg_range sha256_range;	/* as the CRC reads its range
						 * (what --size-at counts) */
	uint8_t sha256[STIMG_SHA256_SIZE];	/* computed */
	uint8_t sha256_stored[STIMG_SHA256_SIZE];	/* in the field before
							 * (verify) */
};

#define STIMG_PATCH_RESULT_INIT { STIMG_RANGES_INIT, STIMG_RANGES_INIT, \
				  { 0, 0 }, { 0, 0 }, false, 0, 0, { 0, 0 }, \
				  { 0, 0 }, 0, false, false, STIMG_RANGES_INIT, \
				  false, { 0, 0 }, { 0, 0 }, { 0 }, { 0 } }

void stimg_patch_result_release(struct stimg_patch_result *r);

/*
 * Applies p to img in the order --set values, version, size, SHA-256, CRC,
 * so that the CRC covers the others when they lie in its range. The CRC range is
 * p->crc_range, or by default from the first data byte above the header
 * fields (version, size, CRC) to the last data byte of the image (for an
 * input with sections, ELF: from the first byte of a section above the
 * fields, past the segment's padding); when no data lies above them, from
 * the image's start to the first field. Holes in the range (and an STM32
 * word tail) count as p->fill and are listed in r->filled, not written:
 * stimg_patch_fill writes them, for an output that must carry what the CRC
 * covered. Data in the range that lies in no section is r->padding. The
 * CRC is written as an integer the size of its field (at least width/8
 * bytes). The SHA-256 (p->sha256_at) is of the same range, as the CRC
 * reads it (an STM32 word tail included), holes as p->fill; it goes into
 * the first 32 bytes of its field, and it may be given without a CRC: the
 * range is then found the same way. A --set value fills its field: the rest of a wider field is
 * zeroed.
 *
 * A field replaces only bytes that are absent, erased (0xFF), zero,
 * already what it writes, written by this patch, or in a section that its
 * LOC named (or .fw_version, .crc for the version and CRC), unless
 * p->force: a mistyped address must not land on code.
 *
 * Errors (STIMG_EINVAL for what the options say, STIMG_EFORMAT for what
 * the image lacks, STIMG_ECONFLICT for a field over other bytes): a field
 * too small, too large (more than 64 KiB) or past the 32-bit space, a
 * value too large, a LOC not found, a CRC or SHA-256 field inside the CRC
 * range.
 */
int stimg_patch_apply(struct stimg_image *img, const struct stimg_patch *p,
		      struct stimg_patch_result *r, struct stimg_diag *d);

/*
 * Writes fill into the holes stimg_patch_apply counted (r->filled), so
 * that a HEX, S-record or binary output carries what the CRC covered. (An
 * ELF output cannot: its sections do not grow.)
 */
int stimg_patch_fill(struct stimg_image *img,
		     const struct stimg_patch_result *r, uint8_t fill);

/*
 * Computes the CRC p describes (when p->crc is set) over its range without
 * changing img, and reads the value stored in the CRC field into
 * r->stored. r->crc == r->stored when they match. With p->sha256_at, the
 * same for the SHA-256 (r->sha256, r->sha256_stored). With p->version and
 * p->size_at, also whether those fields hold what patch would write there
 * (r->version_ok, r->size_ok).
 */
int stimg_patch_check(const struct stimg_image *img,
		      const struct stimg_patch *p,
		      struct stimg_patch_result *r, struct stimg_diag *d);

/*
 * Calls fn for every known algorithm (catalogue models and stm32) whose
 * CRC over r->crc_range of img (holes filled with fill) equals the stored
 * value read little-endian (big_endian false) or big-endian (true).
 */
int stimg_patch_identify(const struct stimg_image *img,
			 const struct stimg_patch_result *r, uint8_t fill,
			 void (*fn)(void *ctx, const struct stimg_crc_model *m,
				    bool big_endian),
			 void *ctx);

#endif
