/*
 * The CRC engine: every model's check value and residue, every engine
 * (table, carry-less multiply, zlib) against a bit-by-bit reference over
 * random lengths and alignments at every SIMD level this CPU has, the
 * STM32 word mode and its tails, streaming in random pieces, names, custom
 * models, image ranges.
 */
#include "testlib.h"
#include "core/crc_internal.h"
#include "core/simd.h"
#include "stimg/crc.h"

/* ---- the reference: textbook CRC, one bit at a time (tests only) ---- */

static u128 ref_reflect(u128 v, unsigned w)
{
	u128 r = 0;
	unsigned i;

	for (i = 0; i < w; i++, v >>= 1)
		r = r << 1 | (v & 1);
	return r;
}

/* Feeds n bytes MSB first (LSB first when refin) to an unreflected
 * register of width bits; returns the register. */
static u128 ref_feed(const struct stimg_crc_model *m, u128 reg,
		     const uint8_t *p, size_t n)
{
	u128 poly = join(m->poly, m->poly_hi);
	u128 top = (u128)1 << (m->width - 1);
	u128 mask = top | (top - 1);
	size_t i;
	int bit;

	for (i = 0; i < n; i++) {
		unsigned b = m->refin ? (unsigned)ref_reflect(p[i], 8) : p[i];

		for (bit = 7; bit >= 0; bit--) {
			bool out = (reg & top) != 0;

			reg = (reg << 1) & mask;
			if (out ^ ((b >> bit) & 1))
				reg ^= poly;
		}
	}
	return reg;
}

static u128 ref_final(const struct stimg_crc_model *m, u128 reg)
{
	if (m->refout)
		reg = ref_reflect(reg, m->width);
	return reg ^ join(m->xorout, m->xorout_hi);
}

/* The reference CRC of n bytes; STM32 pads the last word with fill. */
static u128 ref_crc(const struct stimg_crc_model *m, const uint8_t *p,
		    size_t n, uint8_t fill)
{
	u128 reg = join(m->init, m->init_hi);
	uint64_t sum = 0;
	size_t i;

	switch (m->kind) {
	case STIMG_CRC_SUM:
	case STIMG_CRC_SUM_NEG:
		for (i = 0; i < n; i++)
			sum += p[i];
		if (m->kind == STIMG_CRC_SUM_NEG)
			sum = 0 - sum;
		return sum & (m->width == 64 ? ~(uint64_t)0
					     : ((uint64_t)1 << m->width) - 1);
	case STIMG_CRC_STM32:
		for (i = 0; i < n; i += 4) {
			uint8_t w[4];
			int k;

			/* the word's bytes, most significant first */
			for (k = 0; k < 4; k++)
				w[3 - k] = i + k < n ? p[i + k] : fill;
			reg = ref_feed(m, reg, w, 4);
		}
		return ref_final(m, reg);
	case STIMG_CRC_POLY:
		break;
	}
	return ref_final(m, ref_feed(m, reg, p, n));
}

/* ---- helpers ---- */

static uint64_t rng = 0x2545F4914F6CDD1Du;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static u128 run(const struct stimg_crc_model *m, enum stimg_crc_engine e,
		const uint8_t *p, size_t n, uint8_t fill)
{
	struct stimg_crc c;
	uint64_t lo = 0, hi = 0;

	assert_int_equal(stimg_crc_init(&c, m, e), STIMG_OK);
	c.tail_fill = fill;
	stimg_crc_update(&c, p, n);
	assert_int_equal(stimg_crc_final(&c, &lo, &hi, NULL), STIMG_OK);
	stimg_crc_release(&c);
	return join(lo, hi);
}

static const enum stimg_crc_engine engines[] = {
	STIMG_CRC_AUTO, STIMG_CRC_TABLE, STIMG_CRC_CLMUL, STIMG_CRC_ZLIB,
};

static const char *u128_hex(u128 v)
{
	static char buf[2][40];
	static int k;

	k ^= 1;
	snprintf(buf[k], sizeof(buf[k]), "%016" PRIX64 "%016" PRIX64,
		 (uint64_t)(v >> 64), (uint64_t)v);
	return buf[k];
}

#define assert_u128_equal(got, want, what) \
	do { \
		if ((got) != (want)) \
			fail_msg("%s: got %s, want %s", what, u128_hex(got), \
				 u128_hex(want)); \
	} while (0)

/* ---- tests ---- */

static void test_table_shape(void **state)
{
	const struct stimg_crc_model *m;
	const struct stimg_crc_alias *a;
	size_t n, na, i, j;

	(void)state;
	m = stimg_crc_models(&n);
	assert_int_equal(stimg_crc_catalogue_size(), 113);
	assert_int_equal(n, 113 + 1 + 6);
	assert_string_equal(m[113].name, "stm32");
	assert_string_equal(m[119].name, "sum32-neg");
	a = stimg_crc_aliases(&na);
	/* every name is unique across models and aliases, ignoring case */
	for (i = 0; i < n + na; i++)
		for (j = i + 1; j < n + na; j++) {
			const char *x = i < n ? m[i].name : a[i - n].alias;
			const char *y = j < n ? m[j].name : a[j - n].alias;

			if (!strcasecmp(x, y))
				fail_msg("'%s' twice", x);
		}
	for (i = 0; i < na; i++) {
		const struct stimg_crc_model *to = stimg_crc_find(a[i].alias);

		assert_non_null(to);
		assert_string_equal(to->name, a[i].name);
	}
}

/* The check value of every model over "123456789", through every engine
 * that can compute it, and the residue computed from the parameters. */
static void test_check_values(void **state)
{
	const struct stimg_crc_model *m;
	size_t n, i, e, ran = 0;

	(void)state;
	m = stimg_crc_models(&n);
	for (i = 0; i < n; i++) {
		uint64_t r, rh;

		for (e = 0; e < ARRAY_SIZE(engines); e++) {
			char what[96];

			if (!stimg_crc_engine_available(engines[e], &m[i]))
				continue;
			snprintf(what, sizeof(what), "%s (%s)", m[i].name,
				 stimg_crc_engine_name(engines[e]));
			assert_u128_equal(run(&m[i], engines[e],
					      (const uint8_t *)"123456789", 9,
					      0xFF),
					  join(m[i].check, m[i].check_hi), what);
			ran++;
		}
		assert_u128_equal(ref_crc(&m[i], (const uint8_t *)"123456789",
					  9, 0xFF),
				  join(m[i].check, m[i].check_hi), m[i].name);
		stimg_crc_residue(&m[i], &r, &rh);
		assert_u128_equal(join(r, rh), join(m[i].residue, m[i].residue_hi),
				  m[i].name);
	}
	assert_true(ran >= 2 * n);
}

/* Custom models that the catalogue lacks: wide and not reflected, wide
 * with refin != refout, width 1, a 64-bit refin != refout. */
static const char *const customs[] = {
	"width=72,poly=0x100000000000000065,init=0x123456789abcdef012,xorout=0xff",
	"width=100,poly=0x8000000000000000000000021,refin=true,refout=false,init=1",
	"width=128,poly=0x87,init=0xffffffffffffffffffffffffffffffff",
	"width=1,poly=1,init=1",
	"width=64,poly=0x1b,refin=false,refout=true,xorout=0x8000000000000001",
	"width=33,poly=0x1b,refin=true,init=0x100000000",
};

/*
 * Every engine against the reference over random lengths 0..4096 at
 * random offsets into a buffer (so random alignments), for every model.
 */
static void test_engines_vs_reference(void **state)
{
	static uint8_t buf[4096 + 64];
	struct stimg_crc_model all[128 + ARRAY_SIZE(customs)];
	const struct stimg_crc_model *m;
	struct stimg_diag d;
	size_t n, i, k, e;

	(void)state;
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)rnd();
	m = stimg_crc_models(&n);
	assert_true(n <= 128);
	memcpy(all, m, n * sizeof(all[0]));
	m = all;
	for (i = 0; i < ARRAY_SIZE(customs); i++, n++)
		assert_int_equal(stimg_crc_parse(customs[i], &all[n], &d), STIMG_OK);
	for (i = 0; i < n; i++) {
		const char *name = i < n - ARRAY_SIZE(customs)
			? m[i].name : customs[i - (n - ARRAY_SIZE(customs))];

		for (k = 0; k < 12; k++) {
			size_t len = k < 4 ? k * 61 : rnd() % 4097;
			size_t off = rnd() % 64;
			uint8_t fill = (uint8_t)rnd();
			u128 want = ref_crc(&m[i], buf + off, len, fill);

			for (e = 0; e < ARRAY_SIZE(engines); e++) {
				char what[96];

				if (!stimg_crc_engine_available(engines[e], &m[i]))
					continue;
				snprintf(what, sizeof(what), "%s (%s) len %zu off %zu",
					 name, stimg_crc_engine_name(engines[e]),
					 len, off);
				assert_u128_equal(run(&m[i], engines[e], buf + off,
						      len, fill), want, what);
			}
		}
	}
}

/* The folding path's edges: around its minimum, its 64- and 16-byte
 * steps, and long buffers, for the models it serves. */
static void test_clmul_edges(void **state)
{
	static const char *const names[] = {
		"CRC-32/ISO-HDLC", "CRC-32/ISCSI", "CRC-32/MPEG-2", "stm32",
		"CRC-16/XMODEM", "CRC-16/ARC", "CRC-64/XZ", "CRC-64/WE",
		"CRC-3/GSM", "CRC-5/USB", "CRC-12/UMTS", "CRC-40/GSM",
		"CRC-82/DARC",
	};
	static uint8_t buf[70000];
	size_t i, k;

	(void)state;
	if (!stimg_crc_engine_available(STIMG_CRC_CLMUL,
					stimg_crc_find("crc32"))) {
		print_message("no carry-less multiply here: skipped\n");
		return;
	}
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)rnd();
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		const struct stimg_crc_model *m = stimg_crc_find(names[i]);
		static const size_t lens[] = { 124, 127, 128, 129, 140, 143, 144,
					       191, 192, 193, 255, 256, 257,
					       1000, 65536, 69999 };

		assert_non_null(m);
		for (k = 0; k < ARRAY_SIZE(lens); k++) {
			size_t len = lens[k] - (m->kind == STIMG_CRC_STM32) * (lens[k] & 3);
			u128 t = run(m, STIMG_CRC_TABLE, buf + 1, len, 0xFF);

			assert_u128_equal(run(m, STIMG_CRC_CLMUL, buf + 1, len, 0xFF),
					  t, names[i]);
		}
		/* long ones against the reference too */
		assert_u128_equal(run(m, STIMG_CRC_CLMUL, buf + 3, 20000, 0xFF),
				  ref_crc(m, buf + 3, 20000, 0xFF), names[i]);
	}
}

/* STIMG_SIMD caps the level; STIMG_CRC_NOSIMD=1 is STIMG_SIMD=none. */
static void test_simd_cap(void **state)
{
	static const struct {
		const char *simd, *nosimd;
		int cap;
	} cases[] = {
		{ NULL, NULL, SIMD_AVX512 },
		{ "none", NULL, SIMD_NONE },
		{ "sse", NULL, SIMD_SSE },
		{ "neon", NULL, SIMD_SSE },
		{ "avx2", NULL, SIMD_AVX2 },
		{ "avx512", NULL, SIMD_AVX512 },
		{ "AVX2", NULL, SIMD_AVX512 },	/* unknown: no cap */
		{ "", NULL, SIMD_AVX512 },
		{ NULL, "1", SIMD_NONE },
		{ "avx2", "1", SIMD_NONE },
		{ NULL, "0", SIMD_AVX512 },
		{ "sse", "", SIMD_SSE },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		if (cases[i].simd)
			assert_int_equal(setenv("STIMG_SIMD", cases[i].simd, 1), 0);
		else
			assert_int_equal(unsetenv("STIMG_SIMD"), 0);
		if (cases[i].nosimd)
			assert_int_equal(setenv("STIMG_CRC_NOSIMD",
						cases[i].nosimd, 1), 0);
		else
			assert_int_equal(unsetenv("STIMG_CRC_NOSIMD"), 0);
		assert_int_equal(stimg__simd_cap(), cases[i].cap);
		assert_true(stimg__crc_level() <= cases[i].cap);
	}
	assert_int_equal(unsetenv("STIMG_SIMD"), 0);
	assert_int_equal(unsetenv("STIMG_CRC_NOSIMD"), 0);
	assert_string_equal(stimg__simd_name(SIMD_AVX2), "avx2");
}

/* STIMG_SIMD=none turns the fast path off: AUTO never picks CLMUL. */
static void test_nosimd(void **state)
{
	const struct stimg_crc_model *mpeg = stimg_crc_find("CRC-32/MPEG-2");
	const struct stimg_crc_model *hdlc = stimg_crc_find("CRC-32");
	struct stimg_crc c;

	(void)state;
	assert_int_equal(setenv("STIMG_SIMD", "none", 1), 0);
	assert_int_equal(stimg_crc_init(&c, mpeg, STIMG_CRC_AUTO), STIMG_OK);
	assert_int_equal(c.engine, STIMG_CRC_TABLE);
	stimg_crc_release(&c);
	assert_int_equal(stimg_crc_init(&c, hdlc, STIMG_CRC_AUTO), STIMG_OK);
	assert_int_equal(c.engine, STIMG_CRC_ZLIB);
	stimg_crc_release(&c);
	assert_int_equal(stimg_crc_init(&c, mpeg, STIMG_CRC_CLMUL), STIMG_EINVAL);
	stimg_crc_release(&c);
	/* zlib serves only the reflected 0x04C11DB7 models */
	assert_int_equal(stimg_crc_init(&c, mpeg, STIMG_CRC_ZLIB), STIMG_EINVAL);
	stimg_crc_release(&c);
	assert_int_equal(unsetenv("STIMG_SIMD"), 0);
	if (stimg_crc_engine_available(STIMG_CRC_CLMUL, mpeg)) {
		assert_int_equal(stimg_crc_init(&c, mpeg, STIMG_CRC_AUTO), STIMG_OK);
		assert_int_equal(c.engine, STIMG_CRC_CLMUL);
		stimg_crc_release(&c);
	}
}

/*
 * Every folding level this CPU has, forced by STIMG_SIMD, against the
 * reference: each byte order, narrow and wide (65..128 bits) models, over
 * random lengths at random alignments, the lengths where each kernel's
 * loops change (multiples of 16, 64 * lanes and 256 * lanes bytes) and
 * long ones.
 */
static void test_levels(void **state)
{
	static const char *const names[] = {
		"CRC-32/ISO-HDLC", "CRC-32/MPEG-2", "stm32", "CRC-16/XMODEM",
		"CRC-16/ARC", "CRC-64/XZ", "CRC-64/WE", "CRC-3/GSM", "CRC-40/GSM",
		"CRC-82/DARC",
		"width=72,poly=0x100000000000000065,init=0x123456789abcdef012,"
		"xorout=0xff",
		"width=100,poly=0x8000000000000000000000021,refin=true,"
		"refout=false,init=1",
		"width=128,poly=0x87,init=0xffffffffffffffffffffffffffffffff",
		"width=128,poly=0x87,refin=true,xorout=0x5",
	};
	static const size_t edges[] = {
		128, 129, 143, 144, 255, 256, 257, 271, 511, 512, 513, 1023,
		1024, 1025, 1040, 4095, 4096, 4097, 20000, 70001,
	};
	static uint8_t buf[70001 + 64];
	char what[160];
	size_t i, k;
	int level, ran = 0;

	(void)state;
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)rnd();
	for (level = SIMD_NONE; level <= SIMD_AVX512; level++) {
		assert_int_equal(setenv("STIMG_SIMD", stimg__simd_name(level), 1),
				 0);
		if (stimg__crc_level() != level) {
			print_message("level %s: not on this CPU\n",
				      stimg__simd_name(level));
			continue;
		}
		ran++;
		for (i = 0; i < ARRAY_SIZE(names); i++) {
			struct stimg_crc_model m;
			struct stimg_crc c;

			assert_int_equal(stimg_crc_parse(names[i], &m, NULL),
					 STIMG_OK);
			assert_int_equal(stimg_crc_init(&c, &m, STIMG_CRC_AUTO),
					 STIMG_OK);
			assert_true((c.engine == STIMG_CRC_CLMUL) ==
				    (level != SIMD_NONE));
			stimg_crc_release(&c);
			for (k = 0; k < ARRAY_SIZE(edges) + 24; k++) {
				size_t len = k < ARRAY_SIZE(edges)
					? edges[k] : rnd() % 4097;
				size_t off = rnd() % 64;

				if (m.kind == STIMG_CRC_STM32)
					len &= ~(size_t)3;
				snprintf(what, sizeof(what), "%s at %s, length "
					 "%zu at offset %zu", names[i],
					 stimg__simd_name(level), len, off);
				assert_u128_equal(run(&m, STIMG_CRC_AUTO, buf + off,
						      len, 0xFF),
						  ref_crc(&m, buf + off, len, 0xFF),
						  what);
			}
		}
		print_message("level %s: %zu models against the reference\n",
			      stimg__simd_name(level), ARRAY_SIZE(names));
	}
	assert_int_equal(unsetenv("STIMG_SIMD"), 0);
	assert_true(ran >= 1);
}

/* The STM32 CRC unit's known values, and the four tail lengths. */
static void test_stm32(void **state)
{
	const struct stimg_crc_model *m = stimg_crc_find("STM32");
	const uint8_t seq[8] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	static uint8_t buf[300];
	struct stimg_crc c;
	struct stimg_diag d;
	uint64_t v;
	size_t i, len, e;

	(void)state;
	assert_non_null(m);
	assert_int_equal(stimg_crc_buffer(m, seq, 8, &v, NULL), STIMG_OK);
	assert_int_equal(v, 0x9C08808D);
	assert_int_equal(stimg_crc_buffer(m, "Hello, World!\n\xFF\xFF", 16, &v,
					  NULL), STIMG_OK);
	assert_int_equal(v, 0xC7FC77B9);
	/* the tail padded with 0xFF is the same as the bytes written out */
	assert_int_equal(stimg_crc_buffer(m, "Hello, World!\n", 14, &v, NULL),
			 STIMG_OK);
	assert_int_equal(v, 0xC7FC77B9);

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)rnd();
	for (len = 256; len < 260; len++) {
		for (e = 0; e < ARRAY_SIZE(engines); e++) {
			if (!stimg_crc_engine_available(engines[e], m))
				continue;
			assert_u128_equal(run(m, engines[e], buf, len, 0x5A),
					  ref_crc(m, buf, len, 0x5A), "stm32 tail");
			assert_int_equal(stimg_crc_init(&c, m, engines[e]), STIMG_OK);
			c.tail_error = true;
			stimg_crc_update(&c, buf, len);
			memset(&d, 0, sizeof(d));
			assert_int_equal(stimg_crc_final(&c, &v, NULL, &d),
					 len % 4 ? STIMG_ECHECK : STIMG_OK);
			if (len % 4)
				assert_non_null(strstr(d.msg, "not whole 32-bit words"));
			stimg_crc_release(&c);
		}
	}
	/* not CRC-32/MPEG-2 of the bytes in order */
	assert_int_equal(stimg_crc_buffer(stimg_crc_find("CRC-32/MPEG-2"), seq,
					  8, &v, NULL), STIMG_OK);
	assert_int_not_equal(v, 0x9C08808D);
}

/* Feeding random pieces gives the CRC of the whole. */
static void test_streaming(void **state)
{
	static const char *const names[] = {
		"stm32", "CRC-32/ISO-HDLC", "CRC-16/IBM-3740", "CRC-64/XZ",
		"CRC-82/DARC", "CRC-5/USB", "CRC-12/UMTS", "sum16-neg", "sum32",
	};
	static uint8_t buf[9000];
	size_t i, e, at, round;

	(void)state;
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)rnd();
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		const struct stimg_crc_model *m = stimg_crc_find(names[i]);

		for (e = 0; e < ARRAY_SIZE(engines); e++) {
			if (!stimg_crc_engine_available(engines[e], m))
				continue;
			for (round = 0; round < 4; round++) {
				size_t len = sizeof(buf) - round;
				u128 whole = run(m, engines[e], buf, len, 0xFF);
				struct stimg_crc c;
				uint64_t lo, hi;

				assert_int_equal(stimg_crc_init(&c, m, engines[e]),
						 STIMG_OK);
				for (at = 0; at < len;) {
					size_t k = rnd() % (round & 1 ? 7 : 600);

					k = k < len - at ? k : len - at;
					stimg_crc_update(&c, buf + at, k);
					at += k;
				}
				assert_int_equal(stimg_crc_final(&c, &lo, &hi, NULL),
						 STIMG_OK);
				stimg_crc_release(&c);
				assert_u128_equal(join(lo, hi), whole, names[i]);
			}
		}
	}
}

/*
 * A and B fed to streams of their own, combined, against A || B fed to
 * one: every model (catalogue, stm32, sums, the customs) at every SIMD
 * level this CPU has, random data split at random (STM32: after whole
 * words), empty parts, and streams on different engines.
 */
static u128 split_combined(const struct stimg_crc_model *m,
			   enum stimg_crc_engine ea, enum stimg_crc_engine eb,
			   const uint8_t *p, size_t len, size_t k)
{
	struct stimg_crc a, b;
	uint64_t lo = 0, hi = 0;

	assert_int_equal(stimg_crc_init(&a, m, ea), STIMG_OK);
	assert_int_equal(stimg_crc_init(&b, m, eb), STIMG_OK);
	a.tail_fill = 0x5A;
	stimg_crc_update(&a, p, k);
	stimg_crc_update(&b, p + k, len - k);
	assert_int_equal(stimg_crc_combine(&a, &b), STIMG_OK);
	assert_int_equal(a.nbytes, len);
	assert_int_equal(stimg_crc_final(&a, &lo, &hi, NULL), STIMG_OK);
	stimg_crc_release(&a);
	stimg_crc_release(&b);
	return join(lo, hi);
}

static void test_combine(void **state)
{
	static uint8_t buf[150000];
	struct stimg_crc_model all[128 + ARRAY_SIZE(customs)];
	const struct stimg_crc_model *m;
	struct stimg_diag d;
	char what[200];
	size_t n, i, t;
	int level, ran = 0;

	(void)state;
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)rnd();
	m = stimg_crc_models(&n);
	memcpy(all, m, n * sizeof(all[0]));
	for (i = 0; i < ARRAY_SIZE(customs); i++, n++)
		assert_int_equal(stimg_crc_parse(customs[i], &all[n], &d), STIMG_OK);
	for (level = SIMD_NONE; level <= SIMD_AVX512; level++) {
		assert_int_equal(setenv("STIMG_SIMD", stimg__simd_name(level), 1),
				 0);
		if (stimg__crc_level() != level)
			continue;
		ran++;
		for (i = 0; i < n; i++) {
			for (t = 0; t < 10; t++) {
				/* the last: long, both parts past the folding's
				 * minimum */
				size_t len = t == 0 ? 0 : t == 9 ? sizeof(buf) - rnd() % 64
					     : rnd() % 5000;
				size_t k = t == 1 ? 0 : t == 2 ? len
					   : rnd() % (len + 1);
				enum stimg_crc_engine eb = t & 1 ? STIMG_CRC_TABLE
								 : STIMG_CRC_AUTO;

				if (all[i].kind == STIMG_CRC_STM32)
					k &= ~(size_t)3;
				snprintf(what, sizeof(what), "%s at %s: %zu bytes "
					 "split at %zu", all[i].name,
					 stimg__simd_name(level), len, k);
				assert_u128_equal(split_combined(&all[i],
								 STIMG_CRC_AUTO,
								 eb, buf, len, k),
						  run(&all[i], STIMG_CRC_AUTO, buf,
						      len, 0x5A), what);
			}
		}
	}
	assert_int_equal(unsetenv("STIMG_SIMD"), 0);
	assert_true(ran >= 1);
}

/* What cannot be combined: A not whole words (stm32), another model. */
static void test_combine_refused(void **state)
{
	struct stimg_crc a, b;
	uint64_t v, want;

	(void)state;
	assert_int_equal(stimg_crc_init(&a, stimg_crc_find("stm32"),
					STIMG_CRC_AUTO), STIMG_OK);
	assert_int_equal(stimg_crc_init(&b, stimg_crc_find("stm32"),
					STIMG_CRC_AUTO), STIMG_OK);
	stimg_crc_update(&a, "12345", 5);
	stimg_crc_update(&b, "6789", 4);
	assert_int_equal(stimg_crc_combine(&a, &b), STIMG_EINVAL);
	/* a is unchanged: it goes on as if nothing happened */
	assert_int_equal(a.nbytes, 5);
	stimg_crc_update(&a, "6789", 4);
	assert_int_equal(stimg_crc_final(&a, &v, NULL, NULL), STIMG_OK);
	assert_int_equal(stimg_crc_buffer(stimg_crc_find("stm32"), "123456789",
					  9, &want, NULL), STIMG_OK);
	assert_int_equal(v, want);
	stimg_crc_release(&a);
	stimg_crc_release(&b);

	/* another register: the bits reflected, or another width */
	assert_int_equal(stimg_crc_init(&a, stimg_crc_find("crc-32/mpeg-2"),
					STIMG_CRC_AUTO), STIMG_OK);
	assert_int_equal(stimg_crc_init(&b, stimg_crc_find("crc-32/iso-hdlc"),
					STIMG_CRC_AUTO), STIMG_OK);
	assert_int_equal(stimg_crc_combine(&a, &b), STIMG_EINVAL);
	stimg_crc_release(&a);
	stimg_crc_release(&b);
	assert_int_equal(stimg_crc_init(&a, stimg_crc_find("sum8"),
					STIMG_CRC_AUTO), STIMG_OK);
	assert_int_equal(stimg_crc_init(&b, stimg_crc_find("sum16"),
					STIMG_CRC_AUTO), STIMG_OK);
	assert_int_equal(stimg_crc_combine(&a, &b), STIMG_EINVAL);
	stimg_crc_release(&a);
	stimg_crc_release(&b);
}

static void test_names(void **state)
{
	const char *near[4];
	size_t n;

	(void)state;
	assert_string_equal(stimg_crc_find("crc-32/iso-hdlc")->name,
			    "CRC-32/ISO-HDLC");
	assert_string_equal(stimg_crc_find("crc32")->name, "CRC-32/ISO-HDLC");
	assert_string_equal(stimg_crc_find("CRC-32")->name, "CRC-32/ISO-HDLC");
	assert_string_equal(stimg_crc_find("crc-16/ccitt-false")->name,
			    "CRC-16/IBM-3740");
	assert_string_equal(stimg_crc_find("CRC-16/CCITT")->name, "CRC-16/KERMIT");
	assert_string_equal(stimg_crc_find("xmodem")->name, "CRC-16/XMODEM");
	assert_string_equal(stimg_crc_find("Modbus")->name, "CRC-16/MODBUS");
	assert_string_equal(stimg_crc_find("crc-32c")->name, "CRC-32/ISCSI");
	assert_string_equal(stimg_crc_find("crc32c")->name, "CRC-32/ISCSI");
	assert_string_equal(stimg_crc_find("Stm32")->name, "stm32");
	assert_string_equal(stimg_crc_find("SUM16-NEG")->name, "sum16-neg");
	assert_null(stimg_crc_find("crc-32/mpeg"));
	assert_null(stimg_crc_find(""));

	n = stimg_crc_suggest("crc-32/mpeg", near, 3);
	assert_int_equal(n, 3);
	assert_string_equal(near[0], "CRC-32/MPEG-2");
	n = stimg_crc_suggest("CRC-16/XMODEN", near, 1);
	assert_int_equal(n, 1);
	assert_string_equal(near[0], "CRC-16/XMODEM");
	n = stimg_crc_suggest("stm23", near, 2);
	assert_string_equal(near[0], "stm32");
}

static void test_custom(void **state)
{
	struct stimg_crc_model m;
	struct stimg_diag d;

	(void)state;
	memset(&d, 0, sizeof(d));
	assert_int_equal(stimg_crc_parse("width=16,poly=0x1021,init=0xffff,"
					 "refin=false,refout=false,xorout=0x0000",
					 &m, &d), STIMG_OK);
	assert_string_equal(m.name, "custom");
	assert_int_equal(m.check, 0x29B1);
	/* RevEng's own form: blanks, refout defaults to refin, check verified */
	assert_int_equal(stimg_crc_parse("width=32 poly=0x04c11db7 init=0xffffffff "
					 "refin=true xorout=0xffffffff check=0xcbf43926",
					 &m, &d), STIMG_OK);
	assert_true(m.refout);
	assert_int_equal(m.residue, 0xDEBB20E3);
	assert_int_equal(stimg_crc_parse("width=82,poly=0x0308c0111011401440411,"
					 "refin=true,check=0x09ea83f625023801fd612",
					 &m, &d), STIMG_OK);
	assert_int_equal(m.check_hi, 0x09EA8);
	/* a catalogue line as it is: residue checked, name ignored */
	assert_int_equal(stimg_crc_parse("width=12 poly=0x80f init=0x000 refin=false "
					 "refout=true xorout=0x000 check=0xdaf "
					 "residue=0x000 name=\"CRC-12/UMTS\"", &m, &d),
			 STIMG_OK);
	assert_string_equal(m.name, "custom");
	assert_int_equal(stimg_crc_parse("width=16,poly=0x1021,residue=1", &m, &d),
			 STIMG_EINVAL);
	assert_string_equal(d.msg, "custom algorithm: residue=1 given, but these "
			    "parameters give 0x0000");

	assert_int_equal(stimg_crc_parse("width=16,poly=0x1021,check=0x1234", &m, &d),
			 STIMG_EINVAL);
	assert_non_null(strstr(d.msg, "these parameters give 0x31c3"));
	assert_int_equal(stimg_crc_parse("width=8,poly=0x107", &m, &d), STIMG_EINVAL);
	assert_string_equal(d.msg, "custom algorithm: poly= does not fit in 8 bits");
	assert_int_equal(stimg_crc_parse("poly=0x07", &m, &d), STIMG_EINVAL);
	assert_string_equal(d.msg, "custom algorithm: width= and poly= are required");
	assert_int_equal(stimg_crc_parse("width=0,poly=0", &m, &d), STIMG_EINVAL);
	assert_int_equal(stimg_crc_parse("width=129,poly=1", &m, &d), STIMG_EINVAL);
	assert_int_equal(stimg_crc_parse("width=8,poly=0x07,refin=yes", &m, &d),
			 STIMG_EINVAL);
	assert_string_equal(d.msg, "custom algorithm: refin= must be true or false");
	assert_int_equal(stimg_crc_parse("width=8,poly=0x0g", &m, &d), STIMG_EINVAL);
	assert_int_equal(stimg_crc_parse("width=8,polly=7", &m, &d), STIMG_EINVAL);
	assert_int_equal(stimg_crc_parse("no-such-crc", &m, &d), STIMG_EINVAL);
	assert_string_equal(d.msg, "unknown algorithm 'no-such-crc'");
}

/* The CRC of a range with holes is the CRC of the range filled. */
static void test_image_range(void **state)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	const struct stimg_crc_model *m = stimg_crc_find("stm32");
	static uint8_t flat[10000];
	struct stimg_range r = { 0x08000000 - 3, 0x08000000 + sizeof(flat) - 3 };
	struct stimg_diag d;
	struct stimg_crc c;
	uint32_t src;
	uint64_t v;

	/*  [==data==]   [=data=]       [==data==]
	 * [=============== range ================]      */
	(void)state;
	memset(flat, 0xA5, sizeof(flat));
	memset(&d, 0, sizeof(d));
	assert_int_equal(stimg_image_add_source(&img, "x", NULL, NULL, &src), STIMG_OK);
	memset(flat + 3, 1, 100);
	memset(flat + 5000, 2, 1000);
	memset(flat + 9000, 3, 997);
	assert_int_equal(stimg_image_put(&img, r.start + 3, flat + 3, 100, src, 0,
					 STIMG_OVERLAP_ERROR, &d), STIMG_OK);
	assert_int_equal(stimg_image_put(&img, r.start + 5000, flat + 5000, 1000,
					 src, 0, STIMG_OVERLAP_ERROR, &d), STIMG_OK);
	assert_int_equal(stimg_image_put(&img, r.start + 9000, flat + 9000, 997,
					 src, 0, STIMG_OVERLAP_ERROR, &d), STIMG_OK);
	assert_int_equal(stimg_crc_init(&c, m, STIMG_CRC_AUTO), STIMG_OK);
	assert_int_equal(stimg_crc_image(&c, &img, &r, 0xA5), STIMG_OK);
	assert_int_equal(stimg_crc_final(&c, &v, NULL, NULL), STIMG_OK);
	stimg_crc_release(&c);
	assert_u128_equal(v, ref_crc(m, flat, sizeof(flat), 0xA5), "range");

	/* 9995 bytes: the last word's fourth byte is the image's, not fill */
	r.end = r.start + 9995;
	assert_int_equal(stimg_crc_init(&c, m, STIMG_CRC_AUTO), STIMG_OK);
	c.tail_fill = 0x00;
	assert_int_equal(stimg_crc_image(&c, &img, &r, 0xA5), STIMG_OK);
	assert_int_equal(stimg_crc_final(&c, &v, NULL, NULL), STIMG_OK);
	stimg_crc_release(&c);
	assert_int_equal(flat[9995], 3);
	assert_u128_equal(v, ref_crc(m, flat, 9996, 0x00), "stm32 last word");
	/* unless a partial word is an error */
	assert_int_equal(stimg_crc_init(&c, m, STIMG_CRC_AUTO), STIMG_OK);
	c.tail_error = true;
	assert_int_equal(stimg_crc_image(&c, &img, &r, 0xA5), STIMG_OK);
	assert_int_equal(stimg_crc_final(&c, &v, NULL, &d), STIMG_ECHECK);
	stimg_crc_release(&c);
	stimg_image_release(&img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_shape),
		cmocka_unit_test(test_check_values),
		cmocka_unit_test(test_engines_vs_reference),
		cmocka_unit_test(test_clmul_edges),
		cmocka_unit_test(test_simd_cap),
		cmocka_unit_test(test_nosimd),
		cmocka_unit_test(test_levels),
		cmocka_unit_test(test_stm32),
		cmocka_unit_test(test_streaming),
		cmocka_unit_test(test_combine),
		cmocka_unit_test(test_combine_refused),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_custom),
		cmocka_unit_test(test_image_range),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
