/*
 * CRC by carry-less multiplication (PCLMULQDQ on x86-64, PMULL on AArch64),
 * for any polynomial of degree <= 64, reflected or not: the method of
 * Intel's "Fast CRC Computation for Generic Polynomials Using PCLMULQDQ
 * Instruction" (2009), stopped before its Barrett reduction.
 *
 * Read the message as a polynomial M over GF(2), first bit highest. The
 * register after M, from zero, is M * x^w mod P, so any A congruent to M
 * modulo P leaves the same register. Keep a 128-bit A congruent to the
 * bytes so far; for the next block B,
 *
 *	A * x^128 + B = A_hi * x^192 + A_lo * x^128 + B
 *	             == A_hi * (x^192 mod P) + A_lo * (x^128 mod P) + B
 *
 * and each product of a 64-bit half by a constant of degree < 64 fits in
 * 128 bits. Four accumulators 512 bits apart use x^576 and x^512 the same
 * way. At the end A itself is 16 bytes of message that the table path
 * finishes, so no reduction step is needed and one kernel serves every
 * width. (The constants come from crc.c.)
 *
 * Reflected models keep A bit-reversed: the 16 bytes loaded little-endian
 * are rev128(A). The carry-less product of two reversed 64-bit values is
 * rev128(a * b * x), one bit off, so reflected constants are x^(D+63) and
 * x^(D-1) reversed instead of x^(D+64) and x^D. Non-reflected models
 * byte-swap each block so that the integer is A; the STM32 word order
 * (b3 b2 b1 b0 b7 b6 ...) is only another byte shuffle.
 */
#include <string.h>

#include "internal.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

bool crc_clmul_available(void)
{
	return __builtin_cpu_supports("pclmul") &&
	       __builtin_cpu_supports("ssse3");
}

#define CLMUL __attribute__((target("pclmul,ssse3")))

/* A * x^D + B, with the two constants of D in k. */
CLMUL static inline __m128i fold(__m128i a, __m128i k, __m128i b)
{
	return _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(a, k, 0x00),
					   _mm_clmulepi64_si128(a, k, 0x11)),
			     b);
}

CLMUL size_t crc_clmul_fold(const struct crc_fold *f, uint64_t reg,
			    const uint8_t *p, size_t n, uint8_t acc[16])
{
	/* load shuffles: bytes as they are, reversed, words reversed */
	const __m128i as_is = _mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
					    11, 12, 13, 14, 15);
	const __m128i reverse = _mm_setr_epi8(15, 14, 13, 12, 11, 10, 9, 8, 7,
					      6, 5, 4, 3, 2, 1, 0);
	const __m128i words = _mm_setr_epi8(12, 13, 14, 15, 8, 9, 10, 11, 4, 5,
					    6, 7, 0, 1, 2, 3);
	const __m128i shuf = f->order == CRC_REFLECTED ? as_is
			     : f->order == CRC_MSB ? reverse : words;
	const __m128i k1 = _mm_loadu_si128((const __m128i *)f->k1);
	const __m128i k4 = _mm_loadu_si128((const __m128i *)f->k4);
	const uint8_t *start = p, *end = p + (n & ~(size_t)15);
	__m128i x0, x1, x2, x3;

#define LOAD(q) _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(q)), shuf)
	x0 = _mm_xor_si128(LOAD(p), f->order == CRC_REFLECTED
					    ? _mm_cvtsi64_si128((long long)reg)
					    : _mm_set_epi64x((long long)reg, 0));
	x1 = LOAD(p + 16);
	x2 = LOAD(p + 32);
	x3 = LOAD(p + 48);
	for (p += 64; end - p >= 64; p += 64) {
		x0 = fold(x0, k4, LOAD(p));
		x1 = fold(x1, k4, LOAD(p + 16));
		x2 = fold(x2, k4, LOAD(p + 32));
		x3 = fold(x3, k4, LOAD(p + 48));
	}
	x0 = fold(x0, k1, x1);
	x0 = fold(x0, k1, x2);
	x0 = fold(x0, k1, x3);
	for (; p < end; p += 16)
		x0 = fold(x0, k1, LOAD(p));
#undef LOAD
	/* back to bytes in the order fed */
	if (f->order != CRC_REFLECTED)
		x0 = _mm_shuffle_epi8(x0, reverse);
	_mm_storeu_si128((__m128i *)acc, x0);
	return (size_t)(p - start);
}

#elif defined(__aarch64__) && defined(__GNUC__) && defined(__linux__) && \
	!defined(__AARCH64EB__)
/*
 * The same kernel with PMULL: vmull_p64 multiplies the low 64-bit lanes,
 * vmull_high_p64 the high ones (PCLMULQDQ's 0x00 and 0x11), and vqtbl1q_u8
 * is PSHUFB for indices below 16, so the shuffles are the same tables.
 * Little-endian only: a 16-byte load puts p[0] in the lowest byte, as on
 * x86-64. The target attribute ("+crypto": GCC 12's arm_neon.h declares
 * the PMULL intrinsics under it, "+aes" is not enough) lets the generic
 * build carry the kernel without -march; it runs only when the kernel
 * reports PMULL in AT_HWCAP.
 */
#include <arm_neon.h>
#include <sys/auxv.h>

bool crc_clmul_available(void)
{
	unsigned long hw = getauxval(AT_HWCAP);

	return (hw & HWCAP_ASIMD) && (hw & HWCAP_PMULL);
}

#define CLMUL __attribute__((target("+crypto")))

/* A * x^D + B, with the two constants of D in k. */
CLMUL static inline uint8x16_t fold(uint8x16_t a, poly64x2_t k, uint8x16_t b)
{
	poly64x2_t a64 = vreinterpretq_p64_u8(a);
	poly128_t lo = vmull_p64(vgetq_lane_p64(a64, 0), vgetq_lane_p64(k, 0));
	poly128_t hi = vmull_high_p64(a64, k);

	return veorq_u8(veorq_u8(vreinterpretq_u8_p128(lo),
				 vreinterpretq_u8_p128(hi)),
			b);
}

CLMUL size_t crc_clmul_fold(const struct crc_fold *f, uint64_t reg,
			    const uint8_t *p, size_t n, uint8_t acc[16])
{
	/* load shuffles: bytes as they are, reversed, words reversed */
	static const uint8_t as_is[16] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
					   11, 12, 13, 14, 15 };
	static const uint8_t reverse[16] = { 15, 14, 13, 12, 11, 10, 9, 8, 7,
					     6, 5, 4, 3, 2, 1, 0 };
	static const uint8_t words[16] = { 12, 13, 14, 15, 8, 9, 10, 11, 4, 5,
					   6, 7, 0, 1, 2, 3 };
	const uint8x16_t shuf = vld1q_u8(f->order == CRC_REFLECTED ? as_is
					 : f->order == CRC_MSB ? reverse
					 : words);
	const poly64x2_t k1 = vreinterpretq_p64_u64(vld1q_u64(f->k1));
	const poly64x2_t k4 = vreinterpretq_p64_u64(vld1q_u64(f->k4));
	const uint8_t *start = p, *end = p + (n & ~(size_t)15);
	uint64x2_t r;
	uint8x16_t x0, x1, x2, x3;

#define LOAD(q) vqtbl1q_u8(vld1q_u8(q), shuf)
	/* reg goes into the low 64 bits (reflected) or the high 64 */
	r = f->order == CRC_REFLECTED ? vcombine_u64(vcreate_u64(reg),
						     vcreate_u64(0))
				      : vcombine_u64(vcreate_u64(0),
						     vcreate_u64(reg));
	x0 = veorq_u8(LOAD(p), vreinterpretq_u8_u64(r));
	x1 = LOAD(p + 16);
	x2 = LOAD(p + 32);
	x3 = LOAD(p + 48);
	for (p += 64; end - p >= 64; p += 64) {
		x0 = fold(x0, k4, LOAD(p));
		x1 = fold(x1, k4, LOAD(p + 16));
		x2 = fold(x2, k4, LOAD(p + 32));
		x3 = fold(x3, k4, LOAD(p + 48));
	}
	x0 = fold(x0, k1, x1);
	x0 = fold(x0, k1, x2);
	x0 = fold(x0, k1, x3);
	for (; p < end; p += 16)
		x0 = fold(x0, k1, LOAD(p));
#undef LOAD
	/* back to bytes in the order fed */
	if (f->order != CRC_REFLECTED)
		x0 = vqtbl1q_u8(x0, vld1q_u8(reverse));
	vst1q_u8(acc, x0);
	return (size_t)(p - start);
}

#else

bool crc_clmul_available(void)
{
	return false;
}

size_t crc_clmul_fold(const struct crc_fold *f, uint64_t reg, const uint8_t *p,
		      size_t n, uint8_t acc[16])
{
	(void)f;
	(void)reg;
	(void)p;
	(void)n;
	memset(acc, 0, 16);
	return 0;
}

#endif
