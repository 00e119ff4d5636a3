/*
 * The CRC engine: tables, the table-driven paths, the choice of engine
 * and the streaming API. Models and their names are crc_model.c; the
 * carry-less folding kernels crc_clmul.c, which hand back 16 bytes that
 * the table path finishes.
 *
 * The register is kept in the form the table path wants:
 *  - refin: the width bits, reflected, in the low bits of reg;
 *  - otherwise: left-aligned in 64 bits (value << (64 - width)), so that
 *    one loop serves every width from 1 to 64.
 * Widths above 64 use unsigned __int128 the same way.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#ifndef STIMG_NO_ZLIB
#include <zlib.h>
#endif

#include "core/core.h"
#include "core/crc_internal.h"
#include "core/simd.h"


/* ---- arithmetic on the register ---- */

uint64_t stimg_crc_reflect(uint64_t v, unsigned width)
{
	uint64_t r = 0;
	unsigned i;

	for (i = 0; i < width && i < 64; i++, v >>= 1)
		r = r << 1 | (v & 1);
	return r;
}

uint64_t stimg__crc_mulxk(uint64_t r, unsigned k,
			  const struct stimg_crc_model *m)
{
	uint64_t top = (uint64_t)1 << (m->width - 1), msk = crc_mask(m->width);

	while (k--)
		r = r & top ? ((r << 1) & msk) ^ m->poly : (r << 1) & msk;
	return r;
}

#ifdef __SIZEOF_INT128__
u128 stimg__crc_mulxk_wide(u128 r, unsigned k,
			   const struct stimg_crc_model *m)
{
	u128 p = join(m->poly, m->poly_hi), top = (u128)1 << (m->width - 1);
	u128 msk = top | (top - 1);

	while (k--)
		r = r & top ? ((r << 1) & msk) ^ p : (r << 1) & msk;
	return r;
}
#endif


/*
 * Polynomials modulo the model's poly for combining streams, as the
 * catalogue writes a register: right-aligned, x^0 in bit 0, in the widest
 * integer this build has.
 */
#ifdef __SIZEOF_INT128__
typedef u128 gf;
#else
typedef uint64_t gf;
#endif

static gf gf_poly(const struct stimg_crc_model *m)
{
#ifdef __SIZEOF_INT128__
	return join(m->poly, m->poly_hi);
#else
	return m->poly;
#endif
}

/* a * x modulo p, of width w */
static gf gf_mulx(gf a, gf p, unsigned w)
{
	gf top = (gf)1 << (w - 1);

	return a & top ? ((a << 1) & (top | (top - 1))) ^ p
		       : (a << 1) & (top | (top - 1));
}

/* a * b modulo the poly of m: Horner over the bits of b, highest first */
static gf gf_mul(gf a, gf b, const struct stimg_crc_model *m)
{
	gf r = 0, p = gf_poly(m);
	unsigned i;

	for (i = m->width; i--;)
		r = gf_mulx(r, p, m->width) ^ ((b >> i) & 1 ? a : 0);
	return r;
}

/*
 * x^(8n) modulo the poly of m, by square and multiply: (x^8)^n over the
 * bits of n, highest first, so about 2 log2(n) products, not 8n steps.
 */
static gf gf_xpow8(uint64_t n, const struct stimg_crc_model *m)
{
	gf e = 1, r = 1;
	unsigned i;

	for (i = 0; i < 8; i++)
		e = gf_mulx(e, gf_poly(m), m->width);
	for (i = 64; i--;) {
		if (r != 1)	/* 1 * 1: the bits above n's highest */
			r = gf_mul(r, r, m);
		if ((n >> i) & 1)
			r = gf_mul(r, e, m);
	}
	return r;
}

/* The register of c as a polynomial (see the top of the file), and back. */
static gf reg_get(const struct stimg_crc *c)
{
	const struct stimg_crc_model *m = &c->model;

#ifdef __SIZEOF_INT128__
	if (m->width > 64) {
		u128 r = join(c->reg, c->reg_hi);

		return m->refin ? reflect128(r, m->width) : r >> (128 - m->width);
	}
#endif
	return m->refin ? stimg_crc_reflect(c->reg, m->width)
			: c->reg >> (64 - m->width);
}

static void reg_set(struct stimg_crc *c, gf v)
{
	const struct stimg_crc_model *m = &c->model;

#ifdef __SIZEOF_INT128__
	if (m->width > 64) {
		v = m->refin ? reflect128(v, m->width) : v << (128 - m->width);
		c->reg = (uint64_t)v;
		c->reg_hi = (uint64_t)(v >> 64);
		return;
	}
#endif
	c->reg = m->refin ? stimg_crc_reflect((uint64_t)v, m->width)
			  : (uint64_t)v << (64 - m->width);
}

/*
 * The register is linear in what it was: from r, the bytes B leave
 * r * x^(8|B|) + crc0(B) (crc0: the register after B from zero), so
 * b's register, started at init, is init * x^(8|B|) + crc0(B), and
 * A then B leaves (a + init) * x^(8|B|) + b.
 */
int stimg_crc_combine(struct stimg_crc *c, const struct stimg_crc *b)
{
	const struct stimg_crc_model *m = &c->model, *mb = &b->model;
	gf init;

	if (m->kind != mb->kind || m->width != mb->width ||
	    m->refin != mb->refin || m->poly != mb->poly ||
	    m->poly_hi != mb->poly_hi || m->init != mb->init ||
	    m->init_hi != mb->init_hi || c->npart)
		return STIMG_EINVAL;
	c->nbytes += b->nbytes;
	if (!crc_is_poly(m)) {
		c->reg += b->reg;
		return STIMG_OK;
	}
#ifdef __SIZEOF_INT128__
	init = join(m->init, m->init_hi);
#else
	init = m->init;
#endif
	init &= ((gf)1 << (m->width - 1) << 1) - 1;
	/* STM32: b's partial word is not in its register yet */
	reg_set(c, gf_mul(reg_get(c) ^ init, gf_xpow8(b->nbytes - b->npart, m),
			  m) ^ reg_get(b));
	memcpy(c->part, b->part, sizeof(c->part));
	c->npart = b->npart;
	return STIMG_OK;
}


/* ---- tables ---- */

/*
 * Slicing by 16: t[k][b] is the register after byte b and k zero bytes
 * from a zero register, so 16 bytes (the register xored into the first
 * ones) take 16 lookups whose xor is the next register. Widths up to 32
 * use 32-bit tables: 16 KiB instead of 32, which leaves room in the L1
 * cache and runs about 40 % faster.
 */
struct stimg_crc_tables {
	union {
		uint32_t t32[16][256];	/* width <= 32 */
		uint64_t t64[16][256];	/* width 33..64 */
#ifdef __SIZEOF_INT128__
		u128 w[16][256];	/* width > 64 */
#endif
	} u;
	struct crc_fold fold;		/* fold.order for the table path too */
};

#ifdef __SIZEOF_INT128__
/* Width 65..128: the register reflected, or left-aligned in 128 bits. */
static void tables_wide(u128 (*t)[256], const struct stimg_crc_model *m)
{
	u128 p = join(m->poly, m->poly_hi);
	unsigned i, k;

	p = m->refin ? reflect128(p, m->width) : p << (128 - m->width);
	for (i = 0; i < 256; i++) {
		u128 r = m->refin ? (u128)i : (u128)i << 120;

		for (k = 0; k < 8; k++)
			if (m->refin)
				r = r & 1 ? (r >> 1) ^ p : r >> 1;
			else
				r = r >> 127 ? (r << 1) ^ p : r << 1;
		t[0][i] = r;
	}
	for (k = 1; k < 16; k++)
		for (i = 0; i < 256; i++) {
			u128 r = t[k - 1][i];

			t[k][i] = m->refin
				? (r >> 8) ^ t[0][(uint8_t)r]
				: (r << 8) ^ t[0][(uint8_t)(r >> 120)];
		}
}
#endif

/* Width <= 64: 32- or 64-bit entries (see struct stimg_crc_tables). */
static void tables_narrow(struct stimg_crc_tables *tab,
			  const struct stimg_crc_model *m)
{
	uint64_t t0[256], row[256];
	unsigned i, k, w = m->width;

	for (i = 0; i < 256; i++) {
		uint64_t r;

		if (m->refin) {
			uint64_t p = stimg_crc_reflect(m->poly, w);

			for (r = i, k = 0; k < 8; k++)
				r = r & 1 ? (r >> 1) ^ p : r >> 1;
		} else {
			uint64_t p = m->poly << (64 - w);

			for (r = (uint64_t)i << 56, k = 0; k < 8; k++)
				r = r >> 63 ? (r << 1) ^ p : r << 1;
		}
		t0[i] = row[i] = r;
	}
	for (k = 0; k < 16; k++) {
		for (i = 0; k && i < 256; i++)
			row[i] = m->refin ? (row[i] >> 8) ^ t0[row[i] & 0xFF]
					  : (row[i] << 8) ^ t0[row[i] >> 56];
		for (i = 0; i < 256; i++)
			if (w > 32)
				tab->u.t64[k][i] = row[i];
			else if (m->refin)
				tab->u.t32[k][i] = (uint32_t)row[i];
			else
				tab->u.t32[k][i] = (uint32_t)(row[i] >> 32);
	}
}

/*
 * Folding constants (see crc_clmul.c): moving a 128-bit block on by j
 * blocks (D = 128 * j bits) multiplies its two halves by x^(D+64) and x^D
 * modulo the poly. Reflected operands lose one bit in the carry-less
 * product, so they take x^(D+63) and x^(D-1), bit-reversed.
 */
static void fold_build(struct crc_fold *f, const struct stimg_crc_model *m)
{
	static const unsigned blocks[] = { 1, 2, 3, 4, 8, 16 };
	uint64_t e = 1;
	unsigned i, now = 0;	/* e is x^now */

	for (i = 0; i < ARRAY_SIZE(blocks); i++) {
		unsigned j = blocks[i], want = 128 * j - (m->refin ? 1 : 0);
		uint64_t up;

		e = stimg__crc_mulxk(e, want - now, m);
		now = want;
		up = stimg__crc_mulxk(e, 64, m);
		if (m->refin) {
			f->k[j][0] = stimg_crc_reflect(up, 64);
			f->k[j][1] = stimg_crc_reflect(e, 64);
		} else {
			f->k[j][0] = e;
			f->k[j][1] = up;
		}
	}
}

#ifdef __SIZEOF_INT128__
/*
 * The same for width > 64 (see crc_clmul.c): for one block and four, the
 * constants c(D), c(D+64), c(D+128) split into halves and laid out as the
 * wide kernel loads them, each reversed for reflected models (in which X's
 * halves come in the other order).
 */
static void fold_build_wide(struct crc_fold *f,
			    const struct stimg_crc_model *m)
{
	unsigned i, j;

	for (i = 0; i < 2; i++) {
		uint64_t lo[3], hi[3], (*k)[2] = f->wk[i];

		for (j = 0; j < 3; j++) {
			u128 c = stimg__crc_mulxk_wide(1, 128 * (i ? 4 : 1) +
						       64 * j -
						       (m->refin ? 1 : 0), m);

			lo[j] = (uint64_t)c;
			hi[j] = (uint64_t)(c >> 64);
			if (m->refin) {
				lo[j] = stimg_crc_reflect(lo[j], 64);
				hi[j] = stimg_crc_reflect(hi[j], 64);
			}
		}
		j = m->refin ? 1 : 0;	/* which constant meets X's low half */
		k[0][0] = lo[j];
		k[0][1] = lo[1 - j];
		k[1][0] = hi[j];
		k[1][1] = hi[1 - j];
		k[2][0] = lo[2];
		k[2][1] = hi[2];
	}
}
#endif

static inline uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline uint64_t le64(const uint8_t *p)
{
	return le32(p) | (uint64_t)le32(p + 4) << 32;
}

static inline uint32_t bswap32(uint32_t v)
{
	v = v >> 16 | v << 16;
	return (v & 0xFF00FF00u) >> 8 | (v & 0x00FF00FFu) << 8;
}

static inline uint64_t bswap64(uint64_t v)
{
	return (uint64_t)bswap32((uint32_t)v) << 32 |
	       bswap32((uint32_t)(v >> 32));
}

/* Lookups for 4 or 8 bytes, the first byte lowest in v. */
static inline uint32_t look4(uint32_t (*t)[256], uint32_t v)
{
	return (t[3][v & 0xFF] ^ t[2][(v >> 8) & 0xFF]) ^
	       (t[1][(v >> 16) & 0xFF] ^ t[0][v >> 24]);
}

static inline uint64_t look8(uint64_t (*t)[256], uint64_t v)
{
	return ((t[7][v & 0xFF] ^ t[6][(v >> 8) & 0xFF]) ^
		(t[5][(v >> 16) & 0xFF] ^ t[4][(v >> 24) & 0xFF])) ^
	       ((t[3][(v >> 32) & 0xFF] ^ t[2][(v >> 40) & 0xFF]) ^
		(t[1][(v >> 48) & 0xFF] ^ t[0][v >> 56]));
}

/*
 * Each block's lookups are split in two: those of its first word, which
 * wait for the register, and the rest, which do not. The rest of the next
 * block is looked up while the register is finished, so the loop's
 * critical path is one word's lookups, not a chain of 16 xors.
 *
 * Width <= 32: the register is reflected, or left-aligned in 32 bits. A
 * word's bytes go to look4 first byte lowest: MSB first, the register is
 * byte-swapped to meet the bytes in load order; in word order the word is
 * swapped after the register is xored in.
 */
static inline uint32_t word32(int order, const uint8_t *p)
{
	return order == CRC_WORDS ? bswap32(le32(p)) : le32(p);
}

static inline uint32_t head32(int order, uint32_t reg, const uint8_t *p)
{
	return order == CRC_WORDS ? bswap32(le32(p) ^ reg)
	       : order == CRC_MSB ? le32(p) ^ bswap32(reg) : le32(p) ^ reg;
}

static inline uint32_t rest32(uint32_t (*t)[256], int order, const uint8_t *p)
{
	return look4(t + 8, word32(order, p + 4)) ^
	       look4(t + 4, word32(order, p + 8)) ^
	       look4(t, word32(order, p + 12));
}

static ALWAYS_INLINE uint32_t table32(uint32_t (*t)[256], int order,
				      uint32_t reg, const uint8_t *p, size_t n)
{
	uint32_t rest = n >= 16 ? rest32(t, order, p) : 0;

	for (; n >= 16; p += 16, n -= 16) {
		reg = look4(t + 12, head32(order, reg, p)) ^ rest;
		if (n >= 32)
			rest = rest32(t, order, p + 16);
	}
	if (order == CRC_WORDS)		/* n is a multiple of 4 */
		for (; n; p += 4, n -= 4)
			reg = look4(t, head32(order, reg, p));
	else if (order == CRC_MSB)
		for (; n; p++, n--)
			reg = (reg << 8) ^ t[0][(reg >> 24) ^ *p];
	else
		for (; n; p++, n--)
			reg = (reg >> 8) ^ t[0][(reg ^ *p) & 0xFF];
	return reg;
}

/* Width 33..64: the register reflected, or left-aligned in 64 bits. */
static ALWAYS_INLINE uint64_t table64(uint64_t (*t)[256], int order,
				      uint64_t reg, const uint8_t *p, size_t n)
{
	uint64_t rest = n >= 16 ? look8(t, le64(p + 8)) : 0;

	for (; n >= 16; p += 16, n -= 16) {
		reg = look8(t + 8, le64(p) ^ (order == CRC_MSB ? bswap64(reg)
								 : reg)) ^ rest;
		if (n >= 32)
			rest = look8(t, le64(p + 24));
	}
	if (order == CRC_MSB)
		for (; n; p++, n--)
			reg = (reg << 8) ^ t[0][(reg >> 56) ^ *p];
	else
		for (; n; p++, n--)
			reg = (reg >> 8) ^ t[0][(reg ^ *p) & 0xFF];
	return reg;
}

/* The table path in the stream's form of the register (left-aligned in 64
 * bits when not reflected). Constant orders let the compiler specialise. */
static uint64_t table(struct stimg_crc_tables *tab, unsigned width, int order,
		      uint64_t reg, const uint8_t *p, size_t n)
{
	if (width > 32)
		return order == CRC_MSB
			? table64(tab->u.t64, CRC_MSB, reg, p, n)
			: table64(tab->u.t64, CRC_REFLECTED, reg, p, n);
	if (order == CRC_REFLECTED)
		return table32(tab->u.t32, CRC_REFLECTED, (uint32_t)reg, p, n);
	if (order == CRC_MSB)
		return (uint64_t)table32(tab->u.t32, CRC_MSB,
					 (uint32_t)(reg >> 32), p, n) << 32;
	return (uint64_t)table32(tab->u.t32, CRC_WORDS, (uint32_t)(reg >> 32),
				 p, n) << 32;
}

#ifdef __SIZEOF_INT128__
/*
 * Width > 64, slicing by 16: the register (reflected, or left-aligned in
 * 128 bits and byte-swapped to meet the bytes in load order) is xored
 * into 16 bytes, whose 16 lookups give the next register.
 */
static inline u128 look16(u128 (*t)[256], uint64_t lo, uint64_t hi)
{
	u128 a = (t[15][lo & 0xFF] ^ t[14][(lo >> 8) & 0xFF]) ^
		 (t[13][(lo >> 16) & 0xFF] ^ t[12][(lo >> 24) & 0xFF]);
	u128 b = (t[11][(lo >> 32) & 0xFF] ^ t[10][(lo >> 40) & 0xFF]) ^
		 (t[9][(lo >> 48) & 0xFF] ^ t[8][lo >> 56]);
	u128 c = (t[7][hi & 0xFF] ^ t[6][(hi >> 8) & 0xFF]) ^
		 (t[5][(hi >> 16) & 0xFF] ^ t[4][(hi >> 24) & 0xFF]);
	u128 d = (t[3][(hi >> 32) & 0xFF] ^ t[2][(hi >> 40) & 0xFF]) ^
		 (t[1][(hi >> 48) & 0xFF] ^ t[0][hi >> 56]);

	return (a ^ b) ^ (c ^ d);
}

static ALWAYS_INLINE u128 wide16(u128 (*t)[256], bool refin, u128 reg,
				 const uint8_t *p)
{
	if (refin)
		return look16(t, le64(p) ^ (uint64_t)reg,
			      le64(p + 8) ^ (uint64_t)(reg >> 64));
	return look16(t, le64(p) ^ bswap64((uint64_t)(reg >> 64)),
		      le64(p + 8) ^ bswap64((uint64_t)reg));
}

static ALWAYS_INLINE u128 wide(u128 (*t)[256], bool refin, u128 reg,
			       const uint8_t *p, size_t n)
{
	for (; n >= 16; p += 16, n -= 16)
		reg = wide16(t, refin, reg, p);
	for (; n; p++, n--)
		reg = refin ? (reg >> 8) ^ t[0][(uint8_t)(reg ^ *p)]
			    : (reg << 8) ^ t[0][(uint8_t)(reg >> 120) ^ *p];
	return reg;
}

static u128 table_wide(struct stimg_crc_tables *tab, bool refin, u128 reg,
		       const uint8_t *p, size_t n)
{
	return refin ? wide(tab->u.w, true, reg, p, n)
		     : wide(tab->u.w, false, reg, p, n);
}
#endif

/* The sum of n bytes, 8 at a time in four 16-bit lanes. */
static uint64_t sum_bytes(const uint8_t *p, size_t n)
{
	const uint64_t lanes = 0x00FF00FF00FF00FFu;
	uint64_t s = 0;

	while (n >= 8) {
		uint64_t acc = 0;
		size_t k;

		/* each step adds at most 2 * 255 to a lane: 128 steps fit */
		for (k = 0; k < 128 && n >= 8; k++, p += 8, n -= 8) {
			uint64_t v = le64(p);

			acc += (v & lanes) + ((v >> 8) & lanes);
		}
		s += (acc & 0xFFFF) + ((acc >> 16) & 0xFFFF) +
		     ((acc >> 32) & 0xFFFF) + (acc >> 48);
	}
	for (; n; p++, n--)
		s += *p;
	return s;
}

/* ---- engines ---- */

/*
 * STIMG_NO_ZLIB builds without zlib (the cross-compiled fold check in
 * tests/tools has no target zlib): the ZLIB engine is never available.
 */
static bool zlib_model(const struct stimg_crc_model *m)
{
#ifdef STIMG_NO_ZLIB
	(void)m;
	return false;
#else
	return m->kind == STIMG_CRC_POLY && m->width == 32 && m->refin &&
	       m->poly == 0x04C11DB7;
#endif
}

const char *stimg_crc_engine_name(enum stimg_crc_engine e)
{
	static const char *const names[] = { "auto", "table", "clmul", "zlib" };

	return (unsigned)e < ARRAY_SIZE(names) ? names[e] : "?";
}

bool stimg_crc_engine_available(enum stimg_crc_engine e,
				const struct stimg_crc_model *m)
{
	switch (e) {
	case STIMG_CRC_AUTO:
	case STIMG_CRC_TABLE:
		return true;
	case STIMG_CRC_CLMUL:
		return crc_is_poly(m) && m->width <= CRC_MAX_WIDTH &&
		       stimg__crc_level() != SIMD_NONE;
	case STIMG_CRC_ZLIB:
		return zlib_model(m);
	}
	return false;
}

/* Below this many bytes the table beats folding and its 16-byte finish. */
#define CLMUL_MIN 128

int stimg_crc_init(struct stimg_crc *c, const struct stimg_crc_model *m,
		   enum stimg_crc_engine e)
{
	memset(c, 0, sizeof(*c));
	c->model = *m;
	c->tail_fill = 0xFF;
	if (m->width < 1 || m->width > CRC_MAX_WIDTH ||
	    (!crc_is_poly(m) && m->width != 8 && m->width != 16 &&
	     m->width != 32) ||
	    (m->kind == STIMG_CRC_STM32 && (m->width != 32 || m->refin)) ||
	    !stimg_crc_engine_available(e, m))
		return STIMG_EINVAL;
	if (e == STIMG_CRC_AUTO)
		e = stimg_crc_engine_available(STIMG_CRC_CLMUL, m)
			? STIMG_CRC_CLMUL
			: zlib_model(m) ? STIMG_CRC_ZLIB : STIMG_CRC_TABLE;
	c->engine = e;
	if (!crc_is_poly(m))
		return STIMG_OK;

	c->tab = malloc(sizeof(*c->tab));
	if (!c->tab)
		return STIMG_ENOMEM;
	c->tab->fold.order = m->refin ? CRC_REFLECTED
			     : m->kind == STIMG_CRC_STM32 ? CRC_WORDS : CRC_MSB;
	if (m->width > 64) {
#ifdef __SIZEOF_INT128__
		u128 init = join(m->init, m->init_hi);

		tables_wide(c->tab->u.w, m);
		if (e == STIMG_CRC_CLMUL) {
			fold_build_wide(&c->tab->fold, m);
			c->tab->fold.wide =
				stimg__crc_kernel_wide(stimg__crc_level());
		}
		init = m->refin ? reflect128(init, m->width)
				: init << (128 - m->width);
		c->reg = (uint64_t)init;
		c->reg_hi = (uint64_t)(init >> 64);
#endif
		return STIMG_OK;
	}
	tables_narrow(c->tab, m);
	if (e == STIMG_CRC_CLMUL) {
		fold_build(&c->tab->fold, m);
		c->tab->fold.kernel = stimg__crc_kernel(stimg__crc_level());
	}
	c->reg = m->refin ? stimg_crc_reflect(m->init, m->width)
			  : m->init << (64 - m->width);
	return STIMG_OK;
}

void stimg_crc_release(struct stimg_crc *c)
{
	free(c->tab);
	c->tab = NULL;
}

/* n bytes (whole words for STM32) through the stream's engine. */
static uint64_t run(const struct stimg_crc *c, uint64_t reg, const uint8_t *p,
		    size_t n)
{
	const struct crc_fold *f = &c->tab->fold;

	if (c->engine == STIMG_CRC_CLMUL && n >= CLMUL_MIN) {
		uint8_t acc[16];
		size_t done = f->kernel(f, reg, p, n, acc);

		/* acc holds bytes as fed: MSB first even in word order */
		reg = table(c->tab, c->model.width,
			    f->order == CRC_WORDS ? CRC_MSB : f->order, 0, acc,
			    16);
		p += done;
		n -= done;
	}
#ifndef STIMG_NO_ZLIB
	if (c->engine == STIMG_CRC_ZLIB) {
		/* zlib's value is the register inverted; lengths are uInt */
		for (; n; ) {
			uInt k = n > (1u << 30) ? 1u << 30 : (uInt)n;

			reg = crc32(reg ^ 0xFFFFFFFF, p, k) ^ 0xFFFFFFFF;
			p += k;
			n -= k;
		}
		return reg;
	}
#endif
	return table(c->tab, c->model.width, f->order, reg, p, n);
}

#ifdef __SIZEOF_INT128__
/* The same for width > 64: acc is 24 bytes. */
static void run_wide(struct stimg_crc *c, const uint8_t *p, size_t n)
{
	const struct crc_fold *f = &c->tab->fold;
	u128 reg = join(c->reg, c->reg_hi);

	if (c->engine == STIMG_CRC_CLMUL && n >= CLMUL_MIN) {
		uint8_t acc[24];
		uint64_t r[2] = { c->reg, c->reg_hi };
		size_t done = f->wide(f, r, p, n, acc);

		reg = table_wide(c->tab, c->model.refin, 0, acc, 24);
		p += done;
		n -= done;
	}
	reg = table_wide(c->tab, c->model.refin, reg, p, n);
	c->reg = (uint64_t)reg;
	c->reg_hi = (uint64_t)(reg >> 64);
}
#endif

void stimg_crc_update(struct stimg_crc *c, const void *data, size_t n)
{
	const uint8_t *p = data;

	c->nbytes += n;
	if (!crc_is_poly(&c->model)) {
		c->reg += sum_bytes(p, n);
		return;
	}
	if (c->model.width > 64) {
#ifdef __SIZEOF_INT128__
		run_wide(c, p, n);
#endif
		return;
	}
	if (c->model.kind == STIMG_CRC_STM32) {
		/* complete a word begun by the last piece; keep a partial one */
		while (c->npart && c->npart < 4 && n) {
			c->part[c->npart++] = *p++;
			n--;
		}
		if (c->npart == 4) {
			c->reg = run(c, c->reg, c->part, 4);
			c->npart = 0;
		}
		c->reg = run(c, c->reg, p, n & ~(size_t)3);
		p += n & ~(size_t)3;
		for (n &= 3; n; n--)
			c->part[c->npart++] = *p++;
		return;
	}
	c->reg = run(c, c->reg, p, n);
}

int stimg_crc_final(const struct stimg_crc *c, uint64_t *crc,
		    uint64_t *crc_hi, struct stimg_diag *d)
{
	const struct stimg_crc_model *m = &c->model;
	uint64_t reg = c->reg, v;

	if (crc_hi)
		*crc_hi = 0;
	if (m->kind == STIMG_CRC_SUM || m->kind == STIMG_CRC_SUM_NEG) {
		v = m->kind == STIMG_CRC_SUM ? reg : 0 - reg;
		*crc = v & crc_mask(m->width);
		return STIMG_OK;
	}
	if (m->width > 64) {
#ifdef __SIZEOF_INT128__
		u128 r = join(reg, c->reg_hi);

		if (!m->refin)
			r >>= 128 - m->width;
		if (m->refin != m->refout)
			r = reflect128(r, m->width);
		r ^= join(m->xorout, m->xorout_hi);
		*crc = (uint64_t)r;
		if (crc_hi)
			*crc_hi = (uint64_t)(r >> 64);
#endif
		return STIMG_OK;
	}
	if (c->npart) {
		uint8_t word[4];

		if (c->tail_error)
			return diag_set(d, NULL, 0, STIMG_ECHECK,
					"%" PRIu64 " bytes are not whole 32-bit "
					"words: %u byte(s) past the last word",
					c->nbytes, c->npart);
		memset(word, c->tail_fill, sizeof(word));
		memcpy(word, c->part, c->npart);
		reg = table(c->tab, 32, CRC_WORDS, reg, word, 4);
	}
	v = m->refin ? reg : reg >> (64 - m->width);
	if (m->refin != m->refout)
		v = stimg_crc_reflect(v, m->width);
	*crc = v ^ m->xorout;
	return STIMG_OK;
}

static int walk_update(void *ctx, const uint8_t *p, size_t n)
{
	stimg_crc_update(ctx, p, n);
	return 0;
}

struct stimg_range stimg_crc_extent(const struct stimg_crc_model *m,
				    const struct stimg_range *r)
{
	struct stimg_range whole = *r;

	if (m->kind == STIMG_CRC_STM32) {
		whole.end = r->start + (r->end - r->start + 3) / 4 * 4;
		if (whole.end > STIMG_ADDR_END)
			whole.end = STIMG_ADDR_END;
	}
	return whole;
}

int stimg_crc_image(struct stimg_crc *c, const struct stimg_image *img,
		    const struct stimg_range *r, uint8_t fill)
{
	/* the STM32 unit reads whole words: what is flashed after the range */
	struct stimg_range whole = c->tail_error ? *r
						 : stimg_crc_extent(&c->model, r);

	return stimg_image_walk(img, &whole, fill, walk_update, c);
}

int stimg_crc_buffer(const struct stimg_crc_model *m, const void *data,
		     size_t n, uint64_t *crc, uint64_t *crc_hi)
{
	struct stimg_crc c;
	int ret = stimg_crc_init(&c, m, STIMG_CRC_AUTO);

	if (!ret) {
		stimg_crc_update(&c, data, n);
		ret = stimg_crc_final(&c, crc, crc_hi, NULL);
	}
	stimg_crc_release(&c);
	return ret;
}
