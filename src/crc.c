/*
 * The CRC engine: the model table, names, custom models, the table-driven
 * path (slicing by 16) and the streaming API. Carry-less folding lives in
 * crc_clmul.c; it hands back 16 bytes that the table path finishes.
 *
 * The register is kept in the form the table path wants:
 *  - refin: the width bits, reflected, in the low bits of reg;
 *  - otherwise: left-aligned in 64 bits (value << (64 - width)), so that
 *    one loop serves every width from 1 to 64.
 * Widths above 64 use unsigned __int128 the same way (slicing by 8).
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#ifndef STIMG_NO_ZLIB
#include <zlib.h>
#endif

#include "internal.h"
#include "stimg/crc.h"

#include "crc_catalogue.h"

/* CRC-32/MPEG-2's parameters, which the STM32 CRC unit has after reset. */
#define STM32_MODEL(chk) \
	{ .name = "stm32", .kind = STIMG_CRC_STM32, .width = 32, \
	  .poly = 0x04C11DB7, .init = 0xFFFFFFFF, .check = chk }
#define SUM_MODEL(nm, k, w, chk) \
	{ .name = nm, .kind = k, .width = w, .check = chk }

static const struct stimg_crc_model models[] = {
	CRC_CATALOGUE
	/* "123456789" and FF FF FF as three words */
	STM32_MODEL(0xD9020D98),
	SUM_MODEL("sum8", STIMG_CRC_SUM, 8, 0xDD),
	SUM_MODEL("sum8-neg", STIMG_CRC_SUM_NEG, 8, 0x23),
	SUM_MODEL("sum16", STIMG_CRC_SUM, 16, 0x01DD),
	SUM_MODEL("sum16-neg", STIMG_CRC_SUM_NEG, 16, 0xFE23),
	SUM_MODEL("sum32", STIMG_CRC_SUM, 32, 0x000001DD),
	SUM_MODEL("sum32-neg", STIMG_CRC_SUM_NEG, 32, 0xFFFFFE23),
};

static const struct stimg_crc_alias aliases[] = {
	CRC_CATALOGUE_ALIASES
	/* stimg's own: names people type, and aliases the catalogue gives on
	 * its model pages */
	{ "crc32", "CRC-32/ISO-HDLC" },
	{ "crc32c", "CRC-32/ISCSI" },
	{ "CRC-16", "CRC-16/ARC" },
	{ "ARC", "CRC-16/ARC" },
	{ "CRC-16/LHA", "CRC-16/ARC" },
	{ "CRC-IBM", "CRC-16/ARC" },
	{ "CRC-64", "CRC-64/ECMA-182" },
	{ "CRC-7", "CRC-7/MMC" },
	{ "CRC-15", "CRC-15/CAN" },
};

const struct stimg_crc_model *stimg_crc_models(size_t *n)
{
	*n = ARRAY_SIZE(models);
	return models;
}

size_t stimg_crc_catalogue_size(void)
{
	size_t n = 0;

	while (models[n].kind == STIMG_CRC_POLY)
		n++;
	return n;
}

const struct stimg_crc_alias *stimg_crc_aliases(size_t *n)
{
	*n = ARRAY_SIZE(aliases);
	return aliases;
}

const struct stimg_crc_model *stimg_crc_find(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(models); i++)
		if (!strcasecmp(name, models[i].name))
			return &models[i];
	for (i = 0; i < ARRAY_SIZE(aliases); i++)
		if (!strcasecmp(name, aliases[i].alias))
			return stimg_crc_find(aliases[i].name);
	return NULL;
}

size_t stimg_crc_suggest(const char *name, const char **out, size_t max)
{
	size_t dist[16], n = 0, i, k;
	size_t total = ARRAY_SIZE(models) + ARRAY_SIZE(aliases);

	if (max > ARRAY_SIZE(dist))
		max = ARRAY_SIZE(dist);
	for (i = 0; i < total; i++) {
		const char *cand = i < ARRAY_SIZE(models)
			? models[i].name : aliases[i - ARRAY_SIZE(models)].alias;
		/* a name that contains what was typed comes first */
		size_t dc = strcasestr(cand, name) ? 0 : stimg_edit_distance(name, cand);

		/* insert in order; equal distances keep table order */
		for (k = n; k > 0 && dist[k - 1] > dc; k--)
			if (k < max) {
				dist[k] = dist[k - 1];
				out[k] = out[k - 1];
			}
		if (k < max) {
			dist[k] = dc;
			out[k] = cand;
			if (n < max)
				n++;
		}
	}
	return n;
}

/* ---- parameters ---- */

uint64_t stimg_crc_reflect(uint64_t v, unsigned width)
{
	uint64_t r = 0;
	unsigned i;

	for (i = 0; i < width && i < 64; i++, v >>= 1)
		r = r << 1 | (v & 1);
	return r;
}

static uint64_t mask(unsigned w)
{
	return w >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << w) - 1;
}

/* r * x^k modulo the model's polynomial (width <= 64), a bit at a time. */
static uint64_t mul_xk(uint64_t r, unsigned k, const struct stimg_crc_model *m)
{
	uint64_t top = (uint64_t)1 << (m->width - 1);

	while (k--)
		r = r & top ? ((r << 1) & mask(m->width)) ^ m->poly
			    : (r << 1) & mask(m->width);
	return r;
}

static uint64_t xpow_mod(unsigned k, const struct stimg_crc_model *m)
{
	return mul_xk(1, k, m);
}

static bool is_crc(const struct stimg_crc_model *m)
{
	return m->kind == STIMG_CRC_POLY || m->kind == STIMG_CRC_STM32;
}

#ifdef __SIZEOF_INT128__
#define CRC_MAX_WIDTH 128
typedef unsigned __int128 u128;

static u128 join(uint64_t lo, uint64_t hi)
{
	return (u128)hi << 64 | lo;
}

static u128 reflect128(u128 v, unsigned w)
{
	u128 r = join(stimg_crc_reflect((uint64_t)(v >> 64), 64),
		      stimg_crc_reflect((uint64_t)v, 64));

	return r >> (128 - w);
}
#else
#define CRC_MAX_WIDTH 64
#endif

void stimg_crc_residue(const struct stimg_crc_model *m, uint64_t *res,
		       uint64_t *res_hi)
{
	*res = *res_hi = 0;
	if (!is_crc(m))
		return;
	if (m->width <= 64) {
		uint64_t x = m->refout ? stimg_crc_reflect(m->xorout, m->width)
				       : m->xorout;

		x = mul_xk(x, m->width, m);
		*res = m->refout ? stimg_crc_reflect(x, m->width) : x;
		return;
	}
#ifdef __SIZEOF_INT128__
	{
		u128 w = join(m->xorout, m->xorout_hi);
		u128 p = join(m->poly, m->poly_hi);
		u128 top = (u128)1 << (m->width - 1);
		u128 msk = top | (top - 1);
		unsigned i;

		if (m->refout)
			w = reflect128(w, m->width);
		for (i = 0; i < m->width; i++)
			w = w & top ? ((w << 1) & msk) ^ p : (w << 1) & msk;
		if (m->refout)
			w = reflect128(w, m->width);
		*res = (uint64_t)w;
		*res_hi = (uint64_t)(w >> 64);
	}
#endif
}

/* ---- parsing custom models ---- */

/* Parses a number of up to 128 bits: 0x hexadecimal, or decimal. */
static bool parse_value(const char *s, size_t n, uint64_t *lo, uint64_t *hi)
{
	size_t i;

	*lo = *hi = 0;
	if (!n)
		return false;
	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		if (n - 2 > 32)
			return false;
		for (i = 2; i < n; i++) {
			int v = hex_value[(unsigned char)s[i]];

			if (v < 0)
				return false;
			*hi = *hi << 4 | *lo >> 60;
			*lo = *lo << 4 | (unsigned)v;
		}
		return true;
	}
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9' || *lo > (UINT64_MAX - 9) / 10)
			return false;
		*lo = *lo * 10 + (unsigned)(s[i] - '0');
	}
	return true;
}

static bool fits(unsigned w, uint64_t lo, uint64_t hi)
{
	if (w <= 64)
		return !hi && !(lo & ~mask(w));
	return !(hi & ~mask(w - 64));
}

const char *stimg_crc_hex(char *buf, size_t n, unsigned width, uint64_t lo,
			  uint64_t hi, bool upper)
{
	int digits = (int)(width + 3) / 4;

	if (digits > 16)
		snprintf(buf, n, upper ? "%0*" PRIX64 "%016" PRIX64
				       : "%0*" PRIx64 "%016" PRIx64,
			 digits - 16, hi, lo);
	else
		snprintf(buf, n, upper ? "%0*" PRIX64 : "%0*" PRIx64, digits, lo);
	return buf;
}

enum { K_WIDTH, K_POLY, K_INIT, K_REFIN, K_REFOUT, K_XOROUT, K_CHECK,
       K_RESIDUE, K_NAME, K_COUNT };

static int parse_custom(const char *spec, struct stimg_crc_model *m,
			struct stimg_diag *d)
{
	static const char *const keys[K_COUNT] = {
		"width", "poly", "init", "refin", "refout", "xorout", "check",
		"residue", "name",
	};
	uint64_t val[K_COUNT][2] = { { 0 } };
	const char *text[K_COUNT] = { NULL };	/* each value as given */
	int len[K_COUNT] = { 0 };
	bool flag[K_COUNT] = { false };
	char got[40];
	const char *p = spec;
	size_t k;

	memset(m, 0, sizeof(*m));
	for (; *p; p += strcspn(p, ", \t")) {
		size_t n, klen;
		const char *eq;

		p += strspn(p, ", \t");
		n = strcspn(p, ", \t");
		if (!n)
			break;
		eq = memchr(p, '=', n);
		klen = eq ? (size_t)(eq - p) : n;
		for (k = 0; k < K_COUNT; k++)
			if (strlen(keys[k]) == klen && !strncmp(p, keys[k], klen))
				break;
		if (!eq || k == K_COUNT)
			return diag_set(d, NULL, 0, STIMG_EINVAL,
					"custom algorithm: '%.*s' is not one of "
					"width=, poly=, init=, refin=, refout=, "
					"xorout=, check=, residue=, name=",
					(int)n, p);
		text[k] = eq + 1;
		len[k] = (int)(n - klen - 1);
		if (k == K_REFIN || k == K_REFOUT) {
			flag[k] = len[k] == 4 && !strncmp(text[k], "true", 4);
			if (!flag[k] &&
			    !(len[k] == 5 && !strncmp(text[k], "false", 5)))
				return diag_set(d, NULL, 0, STIMG_EINVAL,
						"custom algorithm: %s= must be "
						"true or false", keys[k]);
		} else if (k != K_NAME &&
			   !parse_value(text[k], (size_t)len[k], &val[k][0],
					&val[k][1])) {
			return diag_set(d, NULL, 0, STIMG_EINVAL,
					"custom algorithm: '%.*s' is not a "
					"number (0x.. or decimal)", (int)n, p);
		}
	}
	if (!text[K_WIDTH] || !text[K_POLY])
		return diag_set(d, NULL, 0, STIMG_EINVAL,
				"custom algorithm: width= and poly= are required");
	m->name = "custom";
	m->kind = STIMG_CRC_POLY;
	m->width = val[K_WIDTH][1] || val[K_WIDTH][0] > CRC_MAX_WIDTH
		   ? 0 : (unsigned)val[K_WIDTH][0];
	if (!m->width)
		return diag_set(d, NULL, 0, STIMG_EINVAL, "custom algorithm: "
				"width must be 1 to %d", CRC_MAX_WIDTH);
	for (k = K_POLY; k <= K_RESIDUE; k++)
		if (text[k] && k != K_REFIN && k != K_REFOUT &&
		    !fits(m->width, val[k][0], val[k][1]))
			return diag_set(d, NULL, 0, STIMG_EINVAL,
					"custom algorithm: %s= does not fit in "
					"%u bits", keys[k], m->width);
	m->refin = flag[K_REFIN];
	m->refout = text[K_REFOUT] ? flag[K_REFOUT] : flag[K_REFIN];
	m->poly = val[K_POLY][0];
	m->poly_hi = val[K_POLY][1];
	m->init = val[K_INIT][0];
	m->init_hi = val[K_INIT][1];
	m->xorout = val[K_XOROUT][0];
	m->xorout_hi = val[K_XOROUT][1];
	if (stimg_crc_buffer(m, "123456789", 9, &m->check, &m->check_hi))
		return diag_set(d, NULL, 0, STIMG_ENOMEM, "out of memory");
	stimg_crc_residue(m, &m->residue, &m->residue_hi);
	/* a check or residue given must be what the parameters give */
	for (k = K_CHECK; k <= K_RESIDUE; k++) {
		uint64_t lo = k == K_CHECK ? m->check : m->residue;
		uint64_t hi = k == K_CHECK ? m->check_hi : m->residue_hi;

		if (text[k] && (val[k][0] != lo || val[k][1] != hi))
			return diag_set(d, NULL, 0, STIMG_EINVAL,
					"custom algorithm: %s=%.*s given, but "
					"these parameters give 0x%s%s", keys[k],
					len[k], text[k],
					stimg_crc_hex(got, sizeof(got), m->width,
						      lo, hi, false),
					k == K_CHECK ? " for \"123456789\"" : "");
	}
	return STIMG_OK;
}

int stimg_crc_parse(const char *spec, struct stimg_crc_model *out,
		    struct stimg_diag *d)
{
	const struct stimg_crc_model *m;

	if (strchr(spec, '='))
		return parse_custom(spec, out, d);
	m = stimg_crc_find(spec);
	if (!m)
		return diag_set(d, NULL, 0, STIMG_EINVAL,
				"unknown algorithm '%s'", spec);
	*out = *m;
	return STIMG_OK;
}

/* ---- tables and the table path ---- */

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
		u128 w[8][256];		/* width > 64: slicing by 8 */
#endif
	} u;
	struct crc_fold fold;		/* fold.order for the table path too */
};

static void tables_build(struct stimg_crc_tables *tab,
			 const struct stimg_crc_model *m)
{
	uint64_t t0[256], row[256];
	unsigned i, k, w = m->width;

	tab->fold.order = m->refin ? CRC_REFLECTED
			  : m->kind == STIMG_CRC_STM32 ? CRC_WORDS : CRC_MSB;
	if (w > 64) {
#ifdef __SIZEOF_INT128__
		u128 p = join(m->poly, m->poly_hi);

		if (m->refin)
			p = reflect128(p, w);
		else
			p <<= 128 - w;
		for (i = 0; i < 256; i++) {
			u128 r = m->refin ? (u128)i : (u128)i << 120;

			for (k = 0; k < 8; k++)
				if (m->refin)
					r = r & 1 ? (r >> 1) ^ p : r >> 1;
				else
					r = r >> 127 ? (r << 1) ^ p : r << 1;
			tab->u.w[0][i] = r;
		}
		for (k = 1; k < 8; k++)
			for (i = 0; i < 256; i++) {
				u128 r = tab->u.w[k - 1][i];

				tab->u.w[k][i] = m->refin
					? (r >> 8) ^ tab->u.w[0][(uint8_t)r]
					: (r << 8) ^ tab->u.w[0][(uint8_t)(r >> 120)];
			}
#endif
		return;
	}
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

	/*
	 * Folding constants (see crc_clmul.c): the fold multiplies the two
	 * halves of a 128-bit block by x^(D+64) and x^D modulo the poly to
	 * move it D bits on. Reflected operands lose one bit in the carry-less
	 * product, so they take x^(D+63) and x^(D-1), bit-reversed.
	 */
	if (m->refin) {
		tab->fold.k1[0] = stimg_crc_reflect(xpow_mod(128 + 63, m), 64);
		tab->fold.k1[1] = stimg_crc_reflect(xpow_mod(128 - 1, m), 64);
		tab->fold.k4[0] = stimg_crc_reflect(xpow_mod(512 + 63, m), 64);
		tab->fold.k4[1] = stimg_crc_reflect(xpow_mod(512 - 1, m), 64);
	} else {
		tab->fold.k1[0] = xpow_mod(128, m);
		tab->fold.k1[1] = xpow_mod(128 + 64, m);
		tab->fold.k4[0] = xpow_mod(512, m);
		tab->fold.k4[1] = xpow_mod(512 + 64, m);
	}
}

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
/* Width > 64, slicing by 8: the register is reflected, or left-aligned in
 * 128 bits, and 8 bytes meet its low or high half. */
static void table_wide(struct stimg_crc *c, const uint8_t *p, size_t n)
{
	u128 (*w)[256] = c->tab->u.w;
	u128 reg = join(c->reg, c->reg_hi);
	unsigned k;

	if (c->model.refin) {
		for (; n >= 8; p += 8, n -= 8) {
			uint64_t v = (uint64_t)reg ^ le64(p);

			reg >>= 64;
			for (k = 0; k < 8; k++, v >>= 8)
				reg ^= w[7 - k][v & 0xFF];
		}
		for (; n; p++, n--)
			reg = (reg >> 8) ^ w[0][(uint8_t)(reg ^ *p)];
	} else {
		for (; n >= 8; p += 8, n -= 8) {
			uint64_t v = (uint64_t)(reg >> 64) ^ bswap64(le64(p));

			reg <<= 64;
			for (k = 0; k < 8; k++, v <<= 8)
				reg ^= w[7 - k][v >> 56];
		}
		for (; n; p++, n--)
			reg = (reg << 8) ^ w[0][(uint8_t)(reg >> 120) ^ *p];
	}
	c->reg = (uint64_t)reg;
	c->reg_hi = (uint64_t)(reg >> 64);
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

static bool clmul_allowed(void)
{
	const char *e = getenv("STIMG_CRC_NOSIMD");

	return crc_clmul_available() && !(e && *e && strcmp(e, "0"));
}

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
		return is_crc(m) && m->width <= 64 && clmul_allowed();
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
	if (m->width < 1 || m->width > 128 ||
	    (!is_crc(m) && m->width != 8 && m->width != 16 && m->width != 32) ||
	    (m->kind == STIMG_CRC_STM32 && (m->width != 32 || m->refin)) ||
	    !stimg_crc_engine_available(e, m))
		return STIMG_EINVAL;
#ifndef __SIZEOF_INT128__
	if (m->width > 64)
		return STIMG_EINVAL;
#endif
	if (e == STIMG_CRC_AUTO)
		e = stimg_crc_engine_available(STIMG_CRC_CLMUL, m)
			? STIMG_CRC_CLMUL
			: zlib_model(m) ? STIMG_CRC_ZLIB : STIMG_CRC_TABLE;
	c->engine = e;
	if (!is_crc(m))
		return STIMG_OK;

	c->tab = malloc(sizeof(*c->tab));
	if (!c->tab)
		return STIMG_ENOMEM;
	tables_build(c->tab, m);
	if (m->width > 64) {
#ifdef __SIZEOF_INT128__
		u128 init = join(m->init, m->init_hi);

		init = m->refin ? reflect128(init, m->width)
				: init << (128 - m->width);
		c->reg = (uint64_t)init;
		c->reg_hi = (uint64_t)(init >> 64);
#endif
	} else {
		c->reg = m->refin ? stimg_crc_reflect(m->init, m->width)
				  : m->init << (64 - m->width);
	}
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
	int order = c->tab->fold.order;

	if (c->engine == STIMG_CRC_CLMUL && n >= CLMUL_MIN) {
		uint8_t acc[16];
		size_t done = crc_clmul_fold(&c->tab->fold, reg, p, n, acc);

		/* acc holds bytes as fed: MSB first even in word order */
		if (done)
			reg = table(c->tab, c->model.width,
				    order == CRC_WORDS ? CRC_MSB : order, 0, acc,
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
	return table(c->tab, c->model.width, order, reg, p, n);
}

void stimg_crc_update(struct stimg_crc *c, const void *data, size_t n)
{
	const uint8_t *p = data;

	c->nbytes += n;
	if (!is_crc(&c->model)) {
		c->reg += sum_bytes(p, n);
		return;
	}
	if (c->model.width > 64) {
#ifdef __SIZEOF_INT128__
		table_wide(c, p, n);
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
		*crc = v & mask(m->width);
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
