/*
 * CRC by carry-less multiplication (PCLMULQDQ and VPCLMULQDQ on x86-64,
 * PMULL on AArch64), for any polynomial of degree <= 64, reflected or not:
 * the method of Intel's "Fast CRC Computation for Generic Polynomials Using
 * PCLMULQDQ Instruction" (2009), stopped before its Barrett reduction.
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
 * 128 bits. Accumulators D bits apart use x^(D+64) and x^D the same way
 * (the loop is crc_fold.h). At the end A itself is 16 bytes of message
 * that the table path finishes, so no reduction step is needed and one
 * kernel serves every width. (The constants come from crc.c.)
 *
 * Reflected models keep A bit-reversed: the 16 bytes loaded little-endian
 * are rev128(A). The carry-less product of two reversed 64-bit values is
 * rev128(a * b * x), one bit off, so reflected constants are x^(D+63) and
 * x^(D-1) reversed instead of x^(D+64) and x^D. Non-reflected models
 * byte-swap each block so that the integer is A; the STM32 word order
 * (b3 b2 b1 b0 b7 b6 ...) is only another byte shuffle.
 */
#include <string.h>

#include "core/core.h"
#include "core/crc_internal.h"
#include "core/simd.h"

#if defined(__x86_64__) && defined(__GNUC__)
#define FOLD_X86
#elif defined(__aarch64__) && defined(__GNUC__) && defined(__linux__) && \
	!defined(__AARCH64EB__)
#define FOLD_PMULL
#endif

/*
 * The primitives on one 128-bit vector, for each instruction set:
 *	get128(p), put128(p, a)	16 bytes, as they lie in memory
 *	set128(lo, hi)		a vector from its two 64-bit halves
 *	tbl128(a, idx)		byte i of the result is byte idx[i] of a, or
 *				0 when idx[i] is 0x80
 *	xor128(a, b)
 *	mul_ll, mul_hh, mul_lh	the carry-less product of the low halves,
 *				the high halves, a's low and b's high half
 */
#ifdef FOLD_X86
#include <immintrin.h>

#define T128 __attribute__((target("pclmul,ssse3")))
typedef __m128i v128;

T128 static inline v128 get128(const void *p)
{
	return _mm_loadu_si128((const __m128i *)p);
}

T128 static inline void put128(void *p, v128 a)
{
	_mm_storeu_si128((__m128i *)p, a);
}

T128 static inline v128 set128(uint64_t lo, uint64_t hi)
{
	return _mm_set_epi64x((long long)hi, (long long)lo);
}

T128 static inline v128 tbl128(v128 a, v128 idx)
{
	return _mm_shuffle_epi8(a, idx);
}

T128 static inline v128 xor128(v128 a, v128 b)
{
	return _mm_xor_si128(a, b);
}

T128 static inline v128 mul_ll(v128 a, v128 b)
{
	return _mm_clmulepi64_si128(a, b, 0x00);
}

T128 static inline v128 mul_hh(v128 a, v128 b)
{
	return _mm_clmulepi64_si128(a, b, 0x11);
}

T128 static inline v128 mul_lh(v128 a, v128 b)
{
	return _mm_clmulepi64_si128(a, b, 0x10);
}

#elif defined(FOLD_PMULL)
/*
 * PMULL: vmull_p64 multiplies two 64-bit lanes, vmull_high_p64 the high
 * ones (PCLMULQDQ's 0x00 and 0x11), and vqtbl1q_u8 is PSHUFB for the
 * indices used here. Little-endian only: a 16-byte load puts p[0] in the
 * lowest byte, as on x86-64. The target attribute ("+crypto": GCC 12's
 * arm_neon.h declares the PMULL intrinsics under it, "+aes" is not
 * enough) lets the generic build carry the kernels without -march; they
 * run only when the kernel reports PMULL in AT_HWCAP.
 */
#include <arm_neon.h>
#include <sys/auxv.h>

#define T128 __attribute__((target("+crypto")))
typedef uint8x16_t v128;

T128 static inline v128 get128(const void *p)
{
	return vld1q_u8(p);
}

T128 static inline void put128(void *p, v128 a)
{
	vst1q_u8(p, a);
}

T128 static inline v128 set128(uint64_t lo, uint64_t hi)
{
	return vreinterpretq_u8_u64(vcombine_u64(vcreate_u64(lo),
						 vcreate_u64(hi)));
}

T128 static inline v128 tbl128(v128 a, v128 idx)
{
	return vqtbl1q_u8(a, idx);
}

T128 static inline v128 xor128(v128 a, v128 b)
{
	return veorq_u8(a, b);
}

T128 static inline poly64_t half(v128 a, int i)
{
	return i ? vgetq_lane_p64(vreinterpretq_p64_u8(a), 1)
		 : vgetq_lane_p64(vreinterpretq_p64_u8(a), 0);
}

T128 static inline v128 mul_ll(v128 a, v128 b)
{
	return vreinterpretq_u8_p128(vmull_p64(half(a, 0), half(b, 0)));
}

T128 static inline v128 mul_hh(v128 a, v128 b)
{
	return vreinterpretq_u8_p128(vmull_high_p64(vreinterpretq_p64_u8(a),
						    vreinterpretq_p64_u8(b)));
}

T128 static inline v128 mul_lh(v128 a, v128 b)
{
	return vreinterpretq_u8_p128(vmull_p64(half(a, 0), half(b, 1)));
}
#endif

#if defined(FOLD_X86) || defined(FOLD_PMULL)

/* byte shuffles: as they are, reversed, words reversed (by order), and
 * the halves moved up, moved down, or the high half cleared */
enum { SHUF_UP = 3, SHUF_DOWN, SHUF_LOW };
#define Z 0x80
static const uint8_t shuffles[6][16] = {
	[CRC_REFLECTED] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
			    15 },
	[CRC_MSB] = { 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0 },
	[CRC_WORDS] = { 12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2,
			3 },
	[SHUF_UP] = { Z, Z, Z, Z, Z, Z, Z, Z, 0, 1, 2, 3, 4, 5, 6, 7 },
	[SHUF_DOWN] = { 8, 9, 10, 11, 12, 13, 14, 15, Z, Z, Z, Z, Z, Z, Z, Z },
	[SHUF_LOW] = { 0, 1, 2, 3, 4, 5, 6, 7, Z, Z, Z, Z, Z, Z, Z, Z },
};
#undef Z

T128 static inline v128 shuf128(int which)
{
	return get128(shuffles[which]);
}

T128 static inline v128 load128(const uint8_t *p, v128 s)
{
	return tbl128(get128(p), s);
}

/* reg goes into the low 64 bits (reflected) or the high 64 */
T128 static inline v128 reg128(int order, uint64_t reg)
{
	return order == CRC_REFLECTED ? set128(reg, 0) : set128(0, reg);
}

T128 static inline v128 const128(const struct crc_fold *f, unsigned j)
{
	return get128(f->k[j]);
}

/* a * x^D + b, with the two constants of D in k */
T128 static inline v128 fold128(v128 a, v128 k, v128 b)
{
	return xor128(xor128(mul_ll(a, k), mul_hh(a, k)), b);
}

/* a as bytes in the order fed */
T128 static inline void store128(uint8_t *acc, v128 a, int order)
{
	put128(acc, order == CRC_REFLECTED ? a : tbl128(a, shuf128(CRC_MSB)));
}

#define FOLD_NAME fold_128
#define FOLD_TARGET T128
#define LANES 1
#define vec v128
#define vshuf shuf128
#define vload load128
#define vreg reg128
#define vconst const128
#define vfold fold128
#define vxor xor128
#define vreduce(x, f) (x)
#include "core/crc_fold.h"

/*
 * Widths 65..128. The constants of x^D mod P no longer fit in 64 bits, so
 * a product of a 64-bit half by one spans up to 64 + width bits, and A
 * grows a third half: A = Y * x^128 + X. One step,
 *
 *	A * x^D + B == X_lo * c(D) + X_hi * c(D+64) + Y * c(D+128) + B,
 *
 * splits each constant c = c_hi * x^64 + c_lo and sums the products by
 * c_lo into L (128 bits) and by c_hi into H (at most width bits):
 * A' = L + H * x^64 + B, so X' = L + H_lo * x^64 + B and Y' = H_hi. The
 * constants per distance, as crc.c lays them out: wk[.][0] the c_lo that
 * meet X's halves, wk[.][1] their c_hi, wk[.][2] Y's c_lo and c_hi.
 * Reflected, everything is mirrored in 192 bits, and the halves of H move
 * the other way. At the end A is 24 bytes of message: Y's 8, then X's 16.
 */
struct wide {
	v128 x, y;	/* y: Y in the low half */
};

T128 static inline struct wide wide_step(struct wide a, const v128 k[3],
					 v128 b, v128 up, v128 low)
{
	v128 l = xor128(xor128(mul_ll(a.x, k[0]), mul_hh(a.x, k[0])),
			mul_ll(a.y, k[2]));
	v128 h = xor128(xor128(mul_ll(a.x, k[1]), mul_hh(a.x, k[1])),
			mul_lh(a.y, k[2]));

	a.x = xor128(xor128(l, tbl128(h, up)), b);
	a.y = tbl128(h, low);
	return a;
}

T128 static size_t fold_wide(const struct crc_fold *f, const uint64_t reg[2],
			     const uint8_t *p, size_t n, uint8_t acc[24])
{
	const v128 s = shuf128(f->order);
	const bool msb = f->order != CRC_REFLECTED;
	const v128 up = shuf128(msb ? SHUF_UP : SHUF_DOWN);
	const v128 low = shuf128(msb ? SHUF_DOWN : SHUF_LOW);
	const uint8_t *start = p, *end = p + (n & ~(size_t)15);
	v128 k1[3], k4[3], zero = set128(0, 0);
	struct wide a[4];
	uint8_t y[16];
	int i;

	for (i = 0; i < 3; i++) {
		k1[i] = get128(f->wk[0][i]);
		k4[i] = get128(f->wk[1][i]);
	}
	for (i = 0; i < 4; i++) {
		a[i].x = load128(p + 16 * i, s);
		a[i].y = zero;
	}
	a[0].x = xor128(a[0].x, set128(reg[0], reg[1]));
	for (p += 64; end - p >= 64; p += 64)
		for (i = 0; i < 4; i++)
			a[i] = wide_step(a[i], k4, load128(p + 16 * i, s), up,
					 low);
	for (i = 1; i < 4; i++) {
		a[0] = wide_step(a[0], k1, a[i].x, up, low);
		a[0].y = xor128(a[0].y, a[i].y);
	}
	for (; p < end; p += 16)
		a[0] = wide_step(a[0], k1, load128(p, s), up, low);
	put128(y, a[0].y);
	for (i = 0; i < 8; i++)
		acc[i] = y[msb ? 7 - i : i];
	store128(acc + 8, a[0].x, f->order);
	return (size_t)(p - start);
}
#endif

#ifdef FOLD_X86

/* ---- 256 bits: VPCLMULQDQ with AVX2 ---- */

#define T256 __attribute__((target("avx2,vpclmulqdq,pclmul,ssse3")))

T256 static inline __m256i shuf256(int order)
{
	return _mm256_broadcastsi128_si256(shuf128(order));
}

T256 static inline __m256i load256(const uint8_t *p, __m256i s)
{
	return _mm256_shuffle_epi8(_mm256_loadu_si256((const __m256i *)p), s);
}

T256 static inline __m256i reg256(int order, uint64_t reg)
{
	return _mm256_set_m128i(_mm_setzero_si128(), reg128(order, reg));
}

T256 static inline __m256i const256(const struct crc_fold *f, unsigned j)
{
	return _mm256_broadcastsi128_si256(const128(f, j));
}

T256 static inline __m256i fold256(__m256i a, __m256i k, __m256i b)
{
	return _mm256_xor_si256(
		_mm256_xor_si256(_mm256_clmulepi64_epi128(a, k, 0x00),
				 _mm256_clmulepi64_epi128(a, k, 0x11)),
		b);
}

/* lanes L0 L1 (L0 first): L0 * x^128 + L1 */
T256 static inline v128 reduce256(__m256i x, const struct crc_fold *f)
{
	return fold128(_mm256_castsi256_si128(x), const128(f, 1),
		       _mm256_extracti128_si256(x, 1));
}

#define FOLD_NAME fold_256
#define FOLD_TARGET T256
#define LANES 2
#define FOLD_SMALL fold_128
#define vec __m256i
#define vshuf shuf256
#define vload load256
#define vreg reg256
#define vconst const256
#define vfold fold256
#define vxor _mm256_xor_si256
#define vreduce reduce256
#include "core/crc_fold.h"

/* ---- 512 bits: VPCLMULQDQ with AVX-512 ---- */

#define T512 __attribute__((target("avx512f,avx512bw,avx512vl,vpclmulqdq," \
					   "pclmul,ssse3")))

T512 static inline __m512i shuf512(int order)
{
	return _mm512_broadcast_i32x4(shuf128(order));
}

T512 static inline __m512i load512(const uint8_t *p, __m512i s)
{
	return _mm512_shuffle_epi8(_mm512_loadu_si512(p), s);
}

T512 static inline __m512i reg512(int order, uint64_t reg)
{
	return _mm512_inserti32x4(_mm512_setzero_si512(), reg128(order, reg),
				  0);
}

T512 static inline __m512i const512(const struct crc_fold *f, unsigned j)
{
	return _mm512_broadcast_i32x4(const128(f, j));
}

/* the three-way xor in one instruction (truth table 0x96) */
T512 static inline __m512i fold512(__m512i a, __m512i k, __m512i b)
{
	return _mm512_ternarylogic_epi64(_mm512_clmulepi64_epi128(a, k, 0x00),
					 _mm512_clmulepi64_epi128(a, k, 0x11),
					 b, 0x96);
}

/* lanes L0..L3 (L0 first): L0 * x^384 + L1 * x^256 + L2 * x^128 + L3 */
T512 static inline v128 reduce512(__m512i x, const struct crc_fold *f)
{
	__m512i k = _mm512_castsi128_si512(const128(f, 3));
	__m512i t;

	k = _mm512_inserti32x4(k, const128(f, 2), 1);
	k = _mm512_inserti32x4(k, const128(f, 1), 2);
	k = _mm512_inserti32x4(k, _mm_setzero_si128(), 3);
	t = _mm512_xor_si512(_mm512_clmulepi64_epi128(x, k, 0x00),
			     _mm512_clmulepi64_epi128(x, k, 0x11));
	return _mm_xor_si128(_mm_xor_si128(_mm512_extracti32x4_epi32(t, 0),
					   _mm512_extracti32x4_epi32(t, 1)),
			     _mm_xor_si128(_mm512_extracti32x4_epi32(t, 2),
					   _mm512_extracti32x4_epi32(x, 3)));
}

#define FOLD_NAME fold_512
#define FOLD_TARGET T512
#define LANES 4
#define FOLD_SMALL fold_128
#define vec __m512i
#define vshuf shuf512
#define vload load512
#define vreg reg512
#define vconst const512
#define vfold fold512
#define vxor _mm512_xor_si512
#define vreduce reduce512
#include "core/crc_fold.h"

int stimg__crc_level(void)
{
	int cap = stimg__simd_cap();

	if (cap >= SIMD_AVX512 && __builtin_cpu_supports("avx512f") &&
	    __builtin_cpu_supports("avx512bw") &&
	    __builtin_cpu_supports("avx512vl") &&
	    __builtin_cpu_supports("vpclmulqdq"))
		return SIMD_AVX512;
	if (cap >= SIMD_AVX2 && __builtin_cpu_supports("avx2") &&
	    __builtin_cpu_supports("vpclmulqdq"))
		return SIMD_AVX2;
	if (cap >= SIMD_SSE && __builtin_cpu_supports("pclmul") &&
	    __builtin_cpu_supports("ssse3"))
		return SIMD_SSE;
	return SIMD_NONE;
}

crc_fold_fn *stimg__crc_kernel(int level)
{
	return level == SIMD_AVX512 ? fold_512
	       : level == SIMD_AVX2 ? fold_256 : fold_128;
}

#elif defined(FOLD_PMULL)

int stimg__crc_level(void)
{
	unsigned long hw = getauxval(AT_HWCAP);

	return stimg__simd_cap() >= SIMD_SSE && (hw & HWCAP_ASIMD) &&
	       (hw & HWCAP_PMULL) ? SIMD_SSE : SIMD_NONE;
}

crc_fold_fn *stimg__crc_kernel(int level)
{
	(void)level;
	return fold_128;
}

#else

int stimg__crc_level(void)
{
	return SIMD_NONE;
}

crc_fold_fn *stimg__crc_kernel(int level)
{
	(void)level;
	return NULL;
}

#endif

crc_fold_wide_fn *stimg__crc_kernel_wide(int level)
{
	(void)level;
#if defined(FOLD_X86) || defined(FOLD_PMULL)
	return fold_wide;
#else
	return NULL;
#endif
}
