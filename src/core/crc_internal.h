/*
 * Shared by the CRC files only: crc_model.c (the model registry), crc.c
 * (the engine: tables, streams) and crc_clmul.c (carry-less folding).
 * Not installed.
 */
#ifndef STIMG_CRC_INTERNAL_H
#define STIMG_CRC_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stimg/crc.h"

#pragma GCC visibility push(hidden)

#ifdef __SIZEOF_INT128__
#define CRC_MAX_WIDTH 128
typedef unsigned __int128 u128;

static inline u128 join(uint64_t lo, uint64_t hi)
{
	return (u128)hi << 64 | lo;
}

/* The low w (65..128) bits of v in reverse order. */
static inline u128 reflect128(u128 v, unsigned w)
{
	u128 r = join(stimg_crc_reflect((uint64_t)(v >> 64), 64),
		      stimg_crc_reflect((uint64_t)v, 64));

	return r >> (128 - w);
}
#else
#define CRC_MAX_WIDTH 64
#endif

/* A CRC, not a sum. */
static inline bool crc_is_poly(const struct stimg_crc_model *m)
{
	return m->kind == STIMG_CRC_POLY || m->kind == STIMG_CRC_STM32;
}

static inline uint64_t crc_mask(unsigned w)
{
	return w >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << w) - 1;
}

/* r * x^k modulo the polynomial of m (width <= 64), a bit at a time. */
uint64_t stimg__crc_mulxk(uint64_t r, unsigned k,
			  const struct stimg_crc_model *m);
#ifdef __SIZEOF_INT128__
/* The same for any width, r right-aligned. */
u128 stimg__crc_mulxk_wide(u128 r, unsigned k,
			   const struct stimg_crc_model *m);
#endif

/*
 * Carry-less multiply folding (crc_clmul.c). For width <= 64, k[j] moves
 * a 128-bit block on by j blocks (128 * j bits), for j = 1, 2, 3, 4, 8
 * and 16 (the others are zero); for wider models wk[0] moves one block,
 * wk[1] four (see crc_fold.h). order says how bytes load: reflected (LSB
 * first), MSB first, or 32-bit little-endian words fed MSB first (the
 * STM32 CRC unit).
 */
enum { CRC_REFLECTED, CRC_MSB, CRC_WORDS };
struct crc_fold;

/*
 * A folding kernel: folds the longest prefix of p[0..n) that is a
 * multiple of 16 bytes (n >= 128) into 16 bytes acc, after xoring the
 * register reg (in the table path's form) into its start. The table path
 * run over acc from a zero register gives the register after the prefix;
 * for CRC_WORDS acc is in the order fed (bytes MSB first). Returns the
 * prefix length.
 */
typedef size_t crc_fold_fn(const struct crc_fold *f, uint64_t reg,
			   const uint8_t *p, size_t n, uint8_t acc[16]);

/*
 * The same for widths 65..128: reg[0] holds the low 64 bits of the
 * register, reg[1] the rest; acc gets 24 bytes.
 */
typedef size_t crc_fold_wide_fn(const struct crc_fold *f,
				const uint64_t reg[2], const uint8_t *p,
				size_t n, uint8_t acc[24]);

struct crc_fold {
	uint64_t k[17][2];
	uint64_t wk[2][3][2];
	int order;
	crc_fold_fn *kernel;		/* width <= 64 */
	crc_fold_wide_fn *wide;		/* width > 64 */
};

/*
 * The best folding level (SIMD_SSE: PCLMULQDQ or PMULL, SIMD_AVX2,
 * SIMD_AVX512) this CPU has under the STIMG_SIMD cap, or SIMD_NONE.
 */
int stimg__crc_level(void);

/* The kernels of a level stimg__crc_level returned (not SIMD_NONE). */
crc_fold_fn *stimg__crc_kernel(int level);
crc_fold_wide_fn *stimg__crc_kernel_wide(int level);

#pragma GCC visibility pop

#endif
