/*
 * How far the SIMD kernels (CRC folding, hex decoding and encoding) may
 * go: each kernel family takes the best level its CPU supports up to the
 * cap that the environment variable STIMG_SIMD sets, so that tests and
 * benchmarks can force every level. Not installed.
 *
 *	STIMG_SIMD=none		plain C (tables) only
 *	STIMG_SIMD=sse		x86-64: SSSE3, PCLMULQDQ
 *	STIMG_SIMD=neon		AArch64: NEON, PMULL (the same rank as sse)
 *	STIMG_SIMD=avx2		x86-64: AVX2, VPCLMULQDQ on 256 bits
 *	STIMG_SIMD=avx512	x86-64: AVX-512 F/BW/VL, VPCLMULQDQ on 512 bits
 *
 * Unset, empty or unknown: no cap. STIMG_CRC_NOSIMD=1, the older
 * spelling, is STIMG_SIMD=none.
 */
#ifndef STIMG_SIMD_H
#define STIMG_SIMD_H

#pragma GCC visibility push(hidden)

enum {
	SIMD_NONE,
	SIMD_SSE,	/* x86-64 SSSE3 (+ PCLMULQDQ); AArch64 NEON (+ PMULL) */
	SIMD_AVX2,
	SIMD_AVX512,
};

/* The cap STIMG_SIMD (or STIMG_CRC_NOSIMD) sets: a SIMD_* level. */
int stimg__simd_cap(void);

/* "none", "sse" (or "neon" on AArch64), "avx2", "avx512". */
const char *stimg__simd_name(int level);

#pragma GCC visibility pop

#endif
