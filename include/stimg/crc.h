/*
 * CRCs and checksums: every model of the CRC RevEng catalogue, the STM32
 * CRC unit, custom models and additive sums, computed in a stream so that a
 * caller can feed a range piece by piece (data, then fill for a hole)
 * without a flat copy.
 *
 *	struct stimg_crc c;
 *	uint64_t v;
 *
 *	stimg_crc_init(&c, stimg_crc_find("CRC-32/ISO-HDLC"), STIMG_CRC_AUTO);
 *	stimg_crc_update(&c, "1234", 4);
 *	stimg_crc_update(&c, "56789", 5);
 *	stimg_crc_final(&c, &v, NULL, NULL);	// v == 0xCBF43926
 *	stimg_crc_release(&c);
 *
 * Widths 1..64 are computed in 64-bit arithmetic. Widths 65..128 (the
 * catalogue has one: CRC-82/DARC) need a compiler with unsigned __int128
 * (GCC and Clang on 64-bit hosts); their parameters and values are split
 * into a low and a high 64-bit half.
 */
#ifndef STIMG_CRC_H
#define STIMG_CRC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "stimg/image.h"
#include "stimg/stimg.h"

enum stimg_crc_kind {
	STIMG_CRC_POLY,		/* a CRC over the bytes in order */
	STIMG_CRC_STM32,	/* a CRC over 32-bit little-endian words, each
				 * fed most significant byte first */
	STIMG_CRC_SUM,		/* the sum of the bytes, modulo 2^width */
	STIMG_CRC_SUM_NEG,	/* its two's complement */
};

/*
 * A model in the CRC RevEng catalogue's terms. poly is written without its
 * x^width term, MSB first; init is the register before the first byte (in
 * the poly's orientation, as the catalogue writes it); refin feeds each byte
 * LSB first; refout reflects the register before xorout; check is the CRC
 * of "123456789"; residue the register after a message followed by its
 * own CRC, before xorout (reflected when refout is).
 * For sums only name, kind, width (8, 16, 32) and check mean anything.
 */
struct stimg_crc_model {
	const char *name;
	enum stimg_crc_kind kind;
	unsigned width;			/* 1..128 */
	bool refin, refout;
	uint64_t poly, init, xorout, check, residue;
	/* bits 64..127 of the same, for width > 64; zero otherwise */
	uint64_t poly_hi, init_hi, xorout_hi, check_hi, residue_hi;
};

/*
 * The models stimg knows, in this order: the catalogue's (sorted by width,
 * then name, as the catalogue lists them), "stm32", then sum8, sum8-neg,
 * sum16, sum16-neg, sum32, sum32-neg. *n receives the count.
 */
const struct stimg_crc_model *stimg_crc_models(size_t *n);

/* The number of catalogue models at the start of stimg_crc_models. */
size_t stimg_crc_catalogue_size(void);

/* Another name for a model: the catalogue's aliases, then stimg's own. */
struct stimg_crc_alias {
	const char *alias;
	const char *name;	/* the model's name */
};

/* Every alias; *n receives the count. */
const struct stimg_crc_alias *stimg_crc_aliases(size_t *n);

/*
 * The model called name (a model's name or an alias, any case), or NULL.
 * The pointer is to a static table: valid for the life of the program.
 */
const struct stimg_crc_model *stimg_crc_find(const char *name);

/*
 * Parses an algorithm: a name for stimg_crc_find, or a custom model
 * "width=N,poly=0x..,init=0x..,refin=true|false,refout=..,xorout=0x.."
 * (fields separated by commas or blanks, in any order; width and poly are
 * required; init and xorout default to 0, refin to false, refout to refin;
 * check=0x.. is optional and verified). Fills *out; a custom model is
 * named "custom". An unknown name or a bad field is
 * STIMG_EINVAL with a message; for an unknown name, stimg_crc_suggest finds
 * the closest names.
 */
int stimg_crc_parse(const char *spec, struct stimg_crc_model *out,
		    struct stimg_diag *d);

/*
 * Up to max names (models and aliases) closest to name by edit distance,
 * ignoring case, closest first; returns how many were stored in out.
 */
size_t stimg_crc_suggest(const char *name, const char **out, size_t max);

/* How a stream computes: the table path works everywhere. */
enum stimg_crc_engine {
	STIMG_CRC_AUTO,		/* the fastest this CPU and model have */
	STIMG_CRC_TABLE,	/* table-driven, slicing by 16 */
	STIMG_CRC_CLMUL,	/* carry-less multiply folding (VPCLMULQDQ
				 * or PCLMULQDQ on x86-64, PMULL on
				 * AArch64 Linux); small pieces still take
				 * the table */
	STIMG_CRC_ZLIB,		/* zlib's crc32(): reflected models with poly
				 * 0x04C11DB7 (CRC-32/ISO-HDLC, JAMCRC) */
};

/* "auto", "table", "clmul", "zlib" */
const char *stimg_crc_engine_name(enum stimg_crc_engine e);

/*
 * Whether engine e can compute model m on this machine. STIMG_CRC_AUTO
 * always can. The environment variable STIMG_SIMD=none (or
 * STIMG_CRC_NOSIMD=1) makes CLMUL unavailable, and STIMG_SIMD=sse, avx2
 * or avx512 caps the instructions it uses (for tests and benchmarks).
 */
bool stimg_crc_engine_available(enum stimg_crc_engine e,
				const struct stimg_crc_model *m);

/* A running CRC. Read engine, set tail_fill and tail_error; the rest is
 * private. */
struct stimg_crc {
	struct stimg_crc_model model;	/* a copy (name still borrowed) */
	enum stimg_crc_engine engine;	/* the engine in use (never AUTO) */
	uint8_t tail_fill;	/* STM32: pads a partial last word (0xFF) */
	bool tail_error;	/* STM32: a partial last word is an error */
	uint64_t nbytes;	/* bytes fed so far */
	/* private */
	uint64_t reg, reg_hi;
	uint8_t part[4];
	unsigned npart;
	struct stimg_crc_tables *tab;
};

/*
 * Starts a CRC of model m with engine e (STIMG_CRC_AUTO: the fastest that
 * is available). The model is copied; its name must outlive the stream.
 * An engine that cannot compute m here, or a model with an invalid width,
 * is STIMG_EINVAL; out of memory STIMG_ENOMEM. Release with
 * stimg_crc_release even after a failure.
 */
int stimg_crc_init(struct stimg_crc *c, const struct stimg_crc_model *m,
		   enum stimg_crc_engine e);

/* Feeds n bytes. Pieces of any size give the CRC of the whole. */
void stimg_crc_update(struct stimg_crc *c, const void *data, size_t n);

/*
 * The CRC of everything fed: *crc gets bits 0..63, *crc_hi (if not NULL)
 * bits 64..127. For STM32 a partial last word is padded with tail_fill, or
 * is STIMG_ECHECK when tail_error is set. The stream may go on being fed
 * afterwards (final does not change it).
 */
int stimg_crc_final(const struct stimg_crc *c, uint64_t *crc,
		    uint64_t *crc_hi, struct stimg_diag *d);

/*
 * Makes c, a stream fed A, as if it had then been fed B, from b: a stream
 * of the same model started afresh (stimg_crc_init) and fed B, which it
 * does not change. For a long input, parts fed to streams of their own
 * (in threads) combine into the stream of the whole, in about 2 log2(|B|)
 * carry-less products. For STM32, A must be whole 32-bit words (b may end
 * in a partial one, which c takes). STIMG_EINVAL, c unchanged, when b's
 * model is not c's (kind, width, poly, init or refin differ) or A is not
 * whole words.
 */
int stimg_crc_combine(struct stimg_crc *c, const struct stimg_crc *b);

/* Frees the stream's tables. */
void stimg_crc_release(struct stimg_crc *c);

/*
 * The range as model m reads it: for STM32 (whole 32-bit words) r extended
 * to the end of its last word, at most to 4 GiB; r itself for the others.
 */
struct stimg_range stimg_crc_extent(const struct stimg_crc_model *m,
				    const struct stimg_range *r);

/*
 * Feeds the bytes of range r of img to c: the image's data, and fill in the
 * holes (through stimg_image_walk, without a flat copy). For STM32, unless
 * c->tail_error, a range that is not whole 32-bit words is extended to the
 * end of its last word, as the CRC unit reads it: the image's bytes there,
 * fill where it has none (and tail_fill past 4 GiB).
 */
int stimg_crc_image(struct stimg_crc *c, const struct stimg_image *img,
		    const struct stimg_range *r, uint8_t fill);

/* One-shot: the CRC of n bytes at data with model m (tail_fill 0xFF). */
int stimg_crc_buffer(const struct stimg_crc_model *m, const void *data,
		     size_t n, uint64_t *crc, uint64_t *crc_hi);

/*
 * Writes a value of width bits as (width + 3) / 4 hexadecimal digits (no
 * 0x), upper or lower case, into buf (n >= 33 holds any); returns buf.
 */
const char *stimg_crc_hex(char *buf, size_t n, unsigned width, uint64_t lo,
			  uint64_t hi, bool upper);

/*
 * Writes the parameters of m to f on one line, after prefix, as the CRC
 * RevEng catalogue writes them: "width=16 poly=0x1021 init=0x0000
 * refin=false refout=false xorout=0x0000 check=0x31c3 residue=0x0000
 * name="CRC-16/XMODEM"" (stimg crc --list). The check value and the
 * residue are computed, not copied; stm32 has "words=le32" instead of a
 * residue, a sum "sum=add" or "sum=neg" and its check. Returns STIMG_OK,
 * or STIMG_EIO when f has an error.
 */
int stimg_crc_write_params(FILE *f, const char *prefix,
			   const struct stimg_crc_model *m);

/*
 * Writes to f C99 source of a function that computes m on the target, a
 * bit at a time (stimg crc --explain): a comment with the parameters, the
 * aliases and the check value, the includes, then
 *	uintN_t NAME(const uint8_t *p, size_t n)	width <= 64, sums
 *	uint64_t NAME(const uint8_t *p, size_t n, uint64_t *hi)   wider
 *	uint32_t stm32_crc(const uint32_t *w, size_t nwords)	stm32
 * where NAME is the model's name in lower case with '_' for the rest
 * ("crc_16_xmodem"; "crc_custom" for a custom model). Returns STIMG_OK, or
 * STIMG_EIO when f has an error.
 */
int stimg_crc_write_c(FILE *f, const struct stimg_crc_model *m);

/* The low width bits of v in reverse order (width <= 64); higher bits go. */
uint64_t stimg_crc_reflect(uint64_t v, unsigned width);

/*
 * The residue of model m (see struct stimg_crc_model) computed from its
 * parameters, for checking a table: xorout times x^width modulo the poly.
 */
void stimg_crc_residue(const struct stimg_crc_model *m, uint64_t *res,
		       uint64_t *res_hi);

#endif
