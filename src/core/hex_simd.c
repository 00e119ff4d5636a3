/*
 * Hex kernels (see hex_simd.h): the common data records of Intel HEX and
 * S-record decoded many lines at a time, and bytes encoded as hex digits,
 * with SSSE3, AVX2 and AVX-512 on x86-64, NEON on AArch64, and plain C.
 *
 * A decoder frames each line in plain C (record start, count, line end)
 * and hands its digits to a digit kernel, which turns 16, 32 or 64
 * characters at a time into bytes, checks that every one is a hex digit
 * and sums the bytes; the framing then checks the type and the checksum.
 * The framing is written once and compiled into each instruction set's
 * decoder, so that the digit kernel is inlined. A vector kernel reads
 * whole vectors, up to 31 characters past the record's digits; a record
 * too near the end of the buffer for that takes the plain kernel. With
 * AVX-512 an Intel HEX record of up to 26 data bytes (the common 16) is
 * checked and decoded whole in one vector, its length read from the
 * characters so that the next line's start waits for no vector result.
 */
#include <string.h>

#include "core/core.h"
#include "core/hex.h"
#include "core/hex_simd.h"
#include "core/simd.h"

#if defined(__x86_64__) && defined(__GNUC__)
#define HEX_X86
#include <immintrin.h>
#elif defined(__aarch64__) && defined(__GNUC__) && !defined(__AARCH64EB__)
#define HEX_NEON
#include <arm_neon.h>
#endif

/*
 * A digit kernel: decodes the nd (even) hex digits at p into nd / 2 bytes
 * at out, adds their sum to *sum, and says whether all nd characters are
 * hex digits. A vector kernel may read p[0 .. nd rounded up to its width)
 * and write that many halves at out.
 */
typedef bool digits_fn(const uint8_t *p, size_t nd, uint8_t *out,
		       unsigned *sum);

static bool digits_scalar(const uint8_t *p, size_t nd, uint8_t *out,
			  unsigned *sum)
{
	return hex_decode(NULL, 0, p, nd, 0, out, sum, NULL) == STIMG_OK;
}

/* "\n" or "\r\n" at p[len] inside p[0..left): its length, or 0. */
static inline size_t line_end(const uint8_t *p, size_t len, size_t left)
{
	if (left > len && p[len] == '\n')
		return 1;
	if (left > len + 1 && p[len] == '\r' && p[len + 1] == '\n')
		return 2;
	return 0;
}

enum { IHEX, SREC };

/*
 * The framing of one record at p (left bytes from p to the buffer's end),
 * for fmt IHEX (":" LL AAAA TT data CC; bytes LL..CC sum to 0) or SREC
 * ("S" type CC address data KK; bytes CC..KK sum to 0xFF), with the digit
 * kernel fast, which reads in steps of width characters: the bytes of the
 * record and its line end, added to r, or 0 when it is not one to take.
 */
static ALWAYS_INLINE size_t decode_one(const uint8_t *p, size_t left,
				       struct stimg__hexrun *r, int fmt,
				       digits_fn *fast, size_t width)
{
	const size_t skip = fmt == IHEX ? 1 : 2;	/* ":" or "Sn" */
	/* every byte of a record, and the kernels' and copy's overrun */
	uint8_t rec[1 + 4 + 255 + 32];
	size_t nd, eol, off, len, i;
	unsigned alen, sum = 0;
	uint32_t addr = 0;
	int count;
	bool ok;

	if (left < skip + 2 || p[0] != (fmt == IHEX ? ':' : 'S') ||
	    (fmt == SREC && (p[1] < '1' || p[1] > '3')))
		return 0;
	alen = fmt == IHEX ? 2 : (unsigned)(p[1] - '0') + 1;
	count = hex_pair(p + skip);
	/* IHEX: the data's length; SREC: address, data and checksum */
	if (count < (fmt == IHEX ? 1 : (int)alen + 2))
		return 0;
	nd = fmt == IHEX ? 2 * (size_t)count + 10 : 2 * (size_t)count + 2;
	eol = line_end(p, skip + nd, left);
	len = fmt == IHEX ? (size_t)count : (size_t)count - alen - 1;
	if (!eol || r->ndata + len + STIMG__HEX_SLACK > r->data_cap)
		return 0;
	if (fast && skip + (nd + width - 1) / width * width <= left)
		ok = fast(p + skip, nd, rec, &sum);
	else
		ok = digits_scalar(p + skip, nd, rec, &sum);
	if (!ok || (sum & 0xFF) != (fmt == IHEX ? 0 : 0xFF) ||
	    (fmt == IHEX && rec[3]))
		return 0;
	for (i = 1; i <= alen; i++)
		addr = addr << 8 | rec[i];
	/* 16 bytes at a time: into the slack past the data */
	off = fmt == IHEX ? 4 : 1 + alen;
	for (i = 0; i < len; i += 16)
		memcpy(r->data + r->ndata + i, rec + off + i, 16);
	r->rec[r->nrec].addr = addr;
	r->rec[r->nrec].len = (uint32_t)len;
	r->nrec++;
	r->ndata += len;
	return skip + nd + eol;
}

/* The records from p on, one per line, while decode_one takes them. */
static ALWAYS_INLINE size_t decode(const uint8_t *p, size_t n,
				   struct stimg__hexrun *r, int fmt,
				   digits_fn *fast, size_t width)
{
	const uint8_t *start = p, *end = p + n;
	size_t used = 1;

	r->nrec = r->ndata = 0;
	while (r->nrec < r->rec_cap && used) {
		used = decode_one(p, (size_t)(end - p), r, fmt, fast, width);
		p += used;
	}
	return (size_t)(p - start);
}

/* The two decoders of an instruction set, with its digit kernel inlined. */
#define DECODERS(isa, target, digits, width) \
	target static size_t ihex_##isa(const uint8_t *p, size_t n, \
					struct stimg__hexrun *r) \
	{ \
		return decode(p, n, r, IHEX, digits, width); \
	} \
	target static size_t srec_##isa(const uint8_t *p, size_t n, \
					struct stimg__hexrun *r) \
	{ \
		return decode(p, n, r, SREC, digits, width); \
	}

static unsigned encode_scalar(char *dst, const uint8_t *src, size_t n)
{
	unsigned sum = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		hex_put(dst + 2 * i, src[i]);
		sum += src[i];
	}
	return sum;
}

DECODERS(scalar, , NULL, 1)

#if defined(HEX_X86) || defined(HEX_NEON)
static const char digit_chars[16] = "0123456789ABCDEF";
#endif

#ifdef HEX_X86

/* ---- SSSE3: 16 characters at a time ---- */

#define TSSSE3 __attribute__((target("ssse3")))

/* The sum of a vector's two 64-bit halves (SSE2, which x86-64 has). */
static inline unsigned hsum(__m128i v)
{
	return (unsigned)_mm_cvtsi128_si32(_mm_add_epi64(
		v, _mm_unpackhi_epi64(v, v)));
}

/*
 * The values of 16 characters, and which are hex digits: c - '0' below 10,
 * or (c | 0x20) - 'a' below 6 (the | 0x20 makes only 'A'..'F' into
 * 'a'..'f'; it is not applied to the digit test, where 0x10..0x19 would
 * pass).
 */
TSSSE3 static inline __m128i values128(__m128i c, __m128i *valid)
{
	__m128i d = _mm_sub_epi8(c, _mm_set1_epi8('0'));
	__m128i l = _mm_sub_epi8(_mm_or_si128(c, _mm_set1_epi8(0x20)),
				 _mm_set1_epi8('a'));
	__m128i isd = _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d);
	__m128i isl = _mm_cmpeq_epi8(_mm_min_epu8(l, _mm_set1_epi8(5)), l);

	*valid = _mm_or_si128(isd, isl);
	l = _mm_add_epi8(l, _mm_set1_epi8(10));
	return _mm_or_si128(_mm_and_si128(isd, d), _mm_and_si128(isl, l));
}

TSSSE3 static inline bool digits_ssse3(const uint8_t *p, size_t nd,
				       uint8_t *out, unsigned *sum)
{
	const __m128i iota = _mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
					   11, 12, 13, 14, 15);
	/* digit pairs to bytes: high * 16 + low */
	const __m128i weights = _mm_set1_epi16(0x0110);
	__m128i zero = _mm_setzero_si128(), total = zero;
	unsigned bad = 0;
	size_t k;

	for (k = 0; k < nd; k += 16) {
		__m128i c = _mm_loadu_si128((const __m128i *)(p + k));
		__m128i in = _mm_cmpgt_epi8(
			_mm_set1_epi8((char)(nd - k < 16 ? nd - k : 16)), iota);
		__m128i valid, v = values128(c, &valid);

		bad |= (unsigned)_mm_movemask_epi8(_mm_andnot_si128(valid, in));
		v = _mm_maddubs_epi16(_mm_and_si128(v, in), weights);
		v = _mm_packus_epi16(v, zero);
		total = _mm_add_epi64(total, _mm_sad_epu8(v, zero));
		_mm_storel_epi64((__m128i *)(out + k / 2), v);
	}
	*sum += hsum(total);
	return !bad;
}

TSSSE3 static unsigned encode_ssse3(char *dst, const uint8_t *src, size_t n)
{
	const __m128i digits = _mm_loadu_si128((const __m128i *)digit_chars);
	const __m128i nibble = _mm_set1_epi8(0x0F);
	__m128i zero = _mm_setzero_si128(), total = zero;
	size_t i;

	for (i = 0; i + 16 <= n; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(src + i));
		__m128i hi = _mm_shuffle_epi8(digits, _mm_and_si128(
					_mm_srli_epi16(v, 4), nibble));
		__m128i lo = _mm_shuffle_epi8(digits, _mm_and_si128(v, nibble));

		_mm_storeu_si128((__m128i *)(dst + 2 * i),
				 _mm_unpacklo_epi8(hi, lo));
		_mm_storeu_si128((__m128i *)(dst + 2 * i + 16),
				 _mm_unpackhi_epi8(hi, lo));
		total = _mm_add_epi64(total, _mm_sad_epu8(v, zero));
	}
	return hsum(total) + encode_scalar(dst + 2 * i, src + i, n - i);
}

DECODERS(ssse3, TSSSE3, digits_ssse3, 16)

/* ---- AVX2: 32 characters at a time ---- */

#define TAVX2 __attribute__((target("avx2")))

TAVX2 static inline __m256i values256(__m256i c, __m256i *valid)
{
	__m256i d = _mm256_sub_epi8(c, _mm256_set1_epi8('0'));
	__m256i l = _mm256_sub_epi8(_mm256_or_si256(c, _mm256_set1_epi8(0x20)),
				    _mm256_set1_epi8('a'));
	__m256i nine = _mm256_set1_epi8(9), five = _mm256_set1_epi8(5);
	__m256i isd = _mm256_cmpeq_epi8(_mm256_min_epu8(d, nine), d);
	__m256i isl = _mm256_cmpeq_epi8(_mm256_min_epu8(l, five), l);

	*valid = _mm256_or_si256(isd, isl);
	l = _mm256_add_epi8(l, _mm256_set1_epi8(10));
	return _mm256_or_si256(_mm256_and_si256(isd, d),
			       _mm256_and_si256(isl, l));
}

TAVX2 static inline bool digits_avx2(const uint8_t *p, size_t nd,
				     uint8_t *out, unsigned *sum)
{
	const __m256i iota = _mm256_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
					      10, 11, 12, 13, 14, 15, 16, 17,
					      18, 19, 20, 21, 22, 23, 24, 25,
					      26, 27, 28, 29, 30, 31);
	const __m256i weights = _mm256_set1_epi16(0x0110);
	__m128i total = _mm_setzero_si128();
	unsigned bad = 0;
	size_t k;

	for (k = 0; k < nd; k += 32) {
		__m256i c = _mm256_loadu_si256((const __m256i *)(p + k));
		__m256i in = _mm256_cmpgt_epi8(
			_mm256_set1_epi8((char)(nd - k < 32 ? nd - k : 32)),
			iota);
		__m256i valid, v = values256(c, &valid);
		__m128i b;

		bad |= (unsigned)_mm256_movemask_epi8(
			_mm256_andnot_si256(valid, in));
		v = _mm256_maddubs_epi16(_mm256_and_si256(v, in), weights);
		/* 8 bytes in each lane's low half, gathered into 16 */
		v = _mm256_permute4x64_epi64(
			_mm256_packus_epi16(v, _mm256_setzero_si256()), 0xD8);
		b = _mm256_castsi256_si128(v);
		total = _mm_add_epi64(total, _mm_sad_epu8(b,
							  _mm_setzero_si128()));
		_mm_storeu_si128((__m128i *)(out + k / 2), b);
	}
	*sum += hsum(total);
	return !bad;
}

/*
 * 16 bytes widened to 16-bit lanes, each lane made (high nibble, low
 * nibble) in memory order, then looked up as digits: no lane crossing.
 */
TAVX2 static unsigned encode_avx2(char *dst, const uint8_t *src, size_t n)
{
	const __m256i digits = _mm256_broadcastsi128_si256(
		_mm_loadu_si128((const __m128i *)digit_chars));
	const __m256i nibble = _mm256_set1_epi16(0x0F);
	__m128i zero = _mm_setzero_si128(), total = zero;
	size_t i;

	for (i = 0; i + 16 <= n; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(src + i));
		__m256i w = _mm256_cvtepu8_epi16(v);

		w = _mm256_or_si256(
			_mm256_srli_epi16(w, 4),
			_mm256_slli_epi16(_mm256_and_si256(w, nibble), 8));
		_mm256_storeu_si256((__m256i *)(dst + 2 * i),
				    _mm256_shuffle_epi8(digits, w));
		total = _mm_add_epi64(total, _mm_sad_epu8(v, zero));
	}
	return hsum(total) + encode_scalar(dst + 2 * i, src + i, n - i);
}

DECODERS(avx2, TAVX2, digits_avx2, 32)

/* ---- AVX-512 (BW, VL): 64 characters at a time, as 64-bit masks ---- */

#define TAVX512 __attribute__((target("avx2,avx512f,avx512bw,avx512vl")))

/* The lowest n bits (n up to 64): which of a vector's bytes to load. */
static inline __mmask64 first_bytes(size_t n)
{
	return n >= 64 ? ~(__mmask64)0 : ((__mmask64)1 << n) - 1;
}

/*
 * The characters at p[0..n) (none past them read: they count as 0) as
 * byte pairs, each two digits' value, and in *valid which characters are
 * hex digits.
 */
TAVX512 static inline __m256i pairs512(const uint8_t *p, size_t n,
				       __mmask64 *valid)
{
	__m512i c = _mm512_maskz_loadu_epi8(first_bytes(n), p);
	__m512i d = _mm512_sub_epi8(c, _mm512_set1_epi8('0'));
	__m512i l = _mm512_sub_epi8(_mm512_or_si512(c, _mm512_set1_epi8(0x20)),
				    _mm512_set1_epi8('a'));
	__mmask64 isd = _mm512_cmple_epu8_mask(d, _mm512_set1_epi8(9));
	__mmask64 isl = _mm512_cmple_epu8_mask(l, _mm512_set1_epi8(5));
	__m512i v = _mm512_mask_add_epi8(_mm512_maskz_mov_epi8(isd, d), isl, l,
					 _mm512_set1_epi8(10));

	*valid = isd | isl;
	return _mm512_cvtepi16_epi8(_mm512_maddubs_epi16(
		v, _mm512_set1_epi16(0x0110)));
}

/* The sum of a vector's four 64-bit lanes. */
TAVX512 static inline unsigned hsum256(__m256i v)
{
	return hsum(_mm_add_epi64(_mm256_castsi256_si128(v),
				  _mm256_extracti128_si256(v, 1)));
}

TAVX512 static inline bool digits_avx512(const uint8_t *p, size_t nd,
					 uint8_t *out, unsigned *sum)
{
	__m256i total = _mm256_setzero_si256();
	__mmask64 bad = 0, valid;
	size_t k;

	for (k = 0; k < nd; k += 64) {
		__m256i b = pairs512(p + k, nd - k, &valid);

		bad |= first_bytes(nd - k) & ~valid;
		total = _mm256_add_epi64(total, _mm256_sad_epu8(
			b, _mm256_setzero_si256()));
		_mm256_storeu_si256((__m256i *)(out + k / 2), b);
	}
	*sum += hsum256(total);
	return !bad;
}

/*
 * An Intel HEX record of 1 to 26 data bytes whole in one vector: the line
 * after the ':' loaded once (no byte past the buffer), its 2 * LL + 10
 * digits turned into bytes, checked and summed there. 0 when the line is
 * not such a record, or the slack is short for a 32-byte store; then
 * decode_one, the exact framing, has its say.
 */
TAVX512 static inline size_t ihex_line512(const uint8_t *p, size_t left,
					  struct stimg__hexrun *r)
{
	const __m256i by4 = _mm256_setr_epi32(1, 2, 3, 4, 5, 6, 7, 7);
	__mmask64 valid, want;
	__m256i b;
	uint32_t head;
	size_t nd, eol;
	/* (from the characters: the next line's start waits for no vector) */
	int count = left >= 12 ? hex_pair(p + 1) : 0;

	if (count < 1 || count > 26 || p[0] != ':' ||
	    r->ndata + 32 > r->data_cap)
		return 0;
	nd = 2 * (size_t)count + 10;
	eol = line_end(p, 1 + nd, left);
	if (!eol)
		return 0;
	b = pairs512(p + 1, left - 1, &valid);
	/* LL, AAAA, TT: the record's first four bytes */
	head = (uint32_t)_mm_cvtsi128_si32(_mm256_castsi256_si128(b));
	want = first_bytes(nd);
	if (head >> 24 || (valid & want) != want ||
	    hsum256(_mm256_sad_epu8(_mm256_maskz_mov_epi8(
		    ((__mmask32)1 << (count + 5)) - 1, b),
		    _mm256_setzero_si256())) & 0xFF)
		return 0;
	_mm256_storeu_si256((__m256i *)(r->data + r->ndata),
			    _mm256_permutevar8x32_epi32(b, by4));
	r->rec[r->nrec].addr = (head >> 16 & 0xFF) | (head & 0xFF00);
	r->rec[r->nrec].len = (uint32_t)count;
	r->nrec++;
	r->ndata += count;
	return 1 + nd + eol;
}

TAVX512 static size_t ihex_avx512(const uint8_t *p, size_t n,
				  struct stimg__hexrun *r)
{
	const uint8_t *start = p, *end = p + n;
	size_t used = 1;

	r->nrec = r->ndata = 0;
	while (r->nrec < r->rec_cap && used) {
		used = ihex_line512(p, (size_t)(end - p), r);
		if (!used)
			used = decode_one(p, (size_t)(end - p), r, IHEX,
					  digits_avx512, 64);
		p += used;
	}
	return (size_t)(p - start);
}

TAVX512 static size_t srec_avx512(const uint8_t *p, size_t n,
				  struct stimg__hexrun *r)
{
	return decode(p, n, r, SREC, digits_avx512, 64);
}

#elif defined(HEX_NEON)

/* ---- NEON: 32 characters at a time, split into high and low digits ---- */

static inline uint8x16_t values_neon(uint8x16_t c, uint8x16_t *valid)
{
	uint8x16_t d = vsubq_u8(c, vdupq_n_u8('0'));
	uint8x16_t l = vsubq_u8(vorrq_u8(c, vdupq_n_u8(0x20)),
				vdupq_n_u8('a'));
	uint8x16_t isd = vcleq_u8(d, vdupq_n_u8(9));
	uint8x16_t isl = vcleq_u8(l, vdupq_n_u8(5));

	*valid = vorrq_u8(isd, isl);
	return vbslq_u8(isd, d, vaddq_u8(l, vdupq_n_u8(10)));
}

static inline bool digits_neon(const uint8_t *p, size_t nd, uint8_t *out,
			       unsigned *sum)
{
	static const uint8_t iota[16] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
					  11, 12, 13, 14, 15 };
	const uint8x16_t idx = vld1q_u8(iota);
	uint8x16_t bad = vdupq_n_u8(0);
	unsigned total = 0;
	size_t k;

	for (k = 0; k < nd; k += 32) {
		/* even characters in val[0], odd in val[1] */
		uint8x16x2_t c = vld2q_u8(p + k);
		uint8x16_t in = vcltq_u8(idx, vdupq_n_u8((uint8_t)(
			nd - k < 32 ? (nd - k) / 2 : 16)));
		uint8x16_t vh, vl;
		uint8x16_t hi = values_neon(c.val[0], &vh);
		uint8x16_t lo = values_neon(c.val[1], &vl);
		uint8x16_t b = vandq_u8(vorrq_u8(vshlq_n_u8(hi, 4), lo), in);

		bad = vorrq_u8(bad, vbicq_u8(in, vandq_u8(vh, vl)));
		vst1q_u8(out + k / 2, b);
		total += vaddlvq_u8(b);
	}
	*sum += total;
	return !vmaxvq_u8(bad);
}

static unsigned encode_neon(char *dst, const uint8_t *src, size_t n)
{
	const uint8x16_t digits = vld1q_u8((const uint8_t *)digit_chars);
	unsigned total = 0;
	size_t i;

	for (i = 0; i + 16 <= n; i += 16) {
		uint8x16_t v = vld1q_u8(src + i);
		uint8x16x2_t pair;

		pair.val[0] = vqtbl1q_u8(digits, vshrq_n_u8(v, 4));
		pair.val[1] = vqtbl1q_u8(digits, vandq_u8(v, vdupq_n_u8(0x0F)));
		vst2q_u8((uint8_t *)dst + 2 * i, pair);
		total += vaddlvq_u8(v);
	}
	return total + encode_scalar(dst + 2 * i, src + i, n - i);
}

DECODERS(neon, , digits_neon, 32)

#endif

static const struct stimg__hex kernels[] = {
	{ SIMD_NONE, "scalar", ihex_scalar, srec_scalar, encode_scalar },
#if defined(HEX_X86)
	{ SIMD_SSE, "ssse3", ihex_ssse3, srec_ssse3, encode_ssse3 },
	{ SIMD_AVX2, "avx2", ihex_avx2, srec_avx2, encode_avx2 },
	{ SIMD_AVX512, "avx512", ihex_avx512, srec_avx512, encode_avx2 },
#elif defined(HEX_NEON)
	{ SIMD_SSE, "neon", ihex_neon, srec_neon, encode_neon },
#endif
};

const struct stimg__hex *stimg__hex(void)
{
	int cap = stimg__simd_cap();

#if defined(HEX_X86)
	if (cap >= SIMD_AVX512 && __builtin_cpu_supports("avx512bw") &&
	    __builtin_cpu_supports("avx512vl") &&
	    __builtin_cpu_supports("avx2"))
		return &kernels[3];
	if (cap >= SIMD_AVX2 && __builtin_cpu_supports("avx2"))
		return &kernels[2];
	if (cap >= SIMD_SSE && __builtin_cpu_supports("ssse3"))
		return &kernels[1];
#elif defined(HEX_NEON)
	if (cap >= SIMD_SSE)
		return &kernels[1];
#else
	(void)cap;
#endif
	return &kernels[0];
}
