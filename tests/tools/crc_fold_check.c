/*
 * crc_fold_check: the carry-less folding engine (STIMG_CRC_CLMUL) against
 * the table path and a bit-by-bit reference, and every model's check value
 * through STIMG_CRC_AUTO. Written to be cross-compiled for AArch64 and run
 * under qemu-aarch64 (tests/cli/t0804-crc-aarch64-pmull.sh), where it
 * tests the PMULL kernel; built natively by make check, it tests the
 * PCLMULQDQ one (or the one STIMG_SIMD picks). Uses only the public API,
 * so it links against libstimg.a or against src/crc.c, src/crc_model.c,
 * src/crc_clmul.c, src/simd.c, src/stimg.c and src/image.c compiled with
 * -DSTIMG_NO_ZLIB and linked with --gc-sections.
 *
 *	crc_fold_check [--expect-clmul | --expect-table] [SEED [ITERATIONS]]
 *
 * --expect-clmul fails unless the folding engine is available (and AUTO
 * picks it), --expect-table unless it is not (the fallback). Prints one
 * line per group of checks; exits 0 when everything matches, 1 otherwise.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stimg/crc.h"

static uint64_t state;

static uint64_t rnd(void)
{
	/* xorshift64* */
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return state * 0x2545F4914F6CDD1Du;
}

/* The CRC of n bytes, a bit at a time (width <= 64; POLY and STM32). */
static uint64_t ref_crc(const struct stimg_crc_model *m, const uint8_t *p,
			size_t n, uint8_t fill)
{
	unsigned w = m->width, i, k;
	uint64_t mask = w == 64 ? ~(uint64_t)0 : ((uint64_t)1 << w) - 1;
	uint64_t top = (uint64_t)1 << (w - 1), r = m->init;
	size_t j, total = n;

	if (m->kind == STIMG_CRC_STM32)
		total = (n + 3) & ~(size_t)3;
	for (j = 0; j < total; j++) {
		/* STM32: each little-endian word fed most significant byte
		 * first */
		size_t at = m->kind == STIMG_CRC_STM32 ? (j & ~(size_t)3) +
							 3 - (j & 3)
						       : j;
		uint8_t b = at < n ? p[at] : fill;

		for (i = 0; i < 8; i++) {
			unsigned bit = m->refin ? b >> i & 1 : b >> (7 - i) & 1;
			bool fb = ((r & top) != 0) ^ bit;

			r = (r << 1) & mask;
			if (fb)
				r ^= m->poly;
		}
	}
	if (m->refout) {
		uint64_t v = 0;

		for (k = 0; k < w; k++)
			v |= (r >> k & 1) << (w - 1 - k);
		r = v;
	}
	return (r ^ m->xorout) & mask;
}

/* The CRC through engine e, fed in up to three pieces: out[0] bits 0..63,
 * out[1] the rest. */
static bool run(const struct stimg_crc_model *m, enum stimg_crc_engine e,
		const uint8_t *p, size_t n, bool split, uint64_t out[2])
{
	struct stimg_crc c;
	size_t a = split && n ? rnd() % (n + 1) : n;
	size_t b = split && n - a ? rnd() % (n - a + 1) : n - a;
	int err = stimg_crc_init(&c, m, e);

	if (!err) {
		if (e != STIMG_CRC_AUTO && c.engine != e)
			err = -1;
		stimg_crc_update(&c, p, a);
		stimg_crc_update(&c, p + a, b);
		stimg_crc_update(&c, p + a + b, n - a - b);
		if (!err)
			err = stimg_crc_final(&c, &out[0], &out[1], NULL);
	}
	stimg_crc_release(&c);
	return err == 0;
}

int main(int argc, char **argv)
{
	static const char *const names[] = {
		"CRC-32/ISO-HDLC", "CRC-32/MPEG-2", "CRC-32C", "stm32",
		"CRC-16/XMODEM", "CRC-64/XZ", "CRC-8/SMBUS", "CRC-82/DARC",
		/* wide and not reflected */
		"width=100,poly=0x8000000000000000000000021,init=1",
	};
	static uint8_t buf[4096 + 16];
	const struct stimg_crc_model *all;
	bool expect_clmul = false, expect_table = false, clmul;
	unsigned long seed = 1, iters = 300, bad = 0, runs = 0, refs = 0;
	size_t i, k, nmodels;
	int arg = 1;

	if (arg < argc && !strcmp(argv[arg], "--expect-clmul"))
		expect_clmul = true, arg++;
	else if (arg < argc && !strcmp(argv[arg], "--expect-table"))
		expect_table = true, arg++;
	if (arg < argc)
		seed = strtoul(argv[arg++], NULL, 0);
	if (arg < argc)
		iters = strtoul(argv[arg++], NULL, 0);
	if (arg < argc) {
		fprintf(stderr, "usage: crc_fold_check [--expect-clmul | "
				"--expect-table] [SEED [ITERATIONS]]\n");
		return 2;
	}
	/* splitmix64 of the seed: never the all-zero state xorshift keeps */
	state = seed + 0x9E3779B97F4A7C15u;
	state = (state ^ state >> 30) * 0xBF58476D1CE4E5B9u;
	state = (state ^ state >> 27) * 0x94D049BB133111EBu;
	state ^= state >> 31;
	if (!state)
		state = 1;

	clmul = stimg_crc_engine_available(STIMG_CRC_CLMUL,
					   stimg_crc_find("CRC-32/MPEG-2"));
	printf("carry-less folding: %s\n", clmul ? "available" : "not available");
	if (expect_clmul && !clmul) {
		printf("FAIL: expected the folding engine\n");
		return 1;
	}
	if (expect_table && clmul) {
		printf("FAIL: expected no folding engine\n");
		return 1;
	}

	/* every model's check value through AUTO (and what AUTO picks) */
	all = stimg_crc_models(&nmodels);
	for (i = 0; i < nmodels; i++) {
		const struct stimg_crc_model *m = &all[i];
		struct stimg_crc c;
		uint64_t lo = 0, hi = 0;
		int err = stimg_crc_init(&c, m, STIMG_CRC_AUTO);

		if (!err) {
			stimg_crc_update(&c, "123456789", 9);
			err = stimg_crc_final(&c, &lo, &hi, NULL);
		}
		if (err || lo != m->check || hi != m->check_hi) {
			printf("FAIL: %s: check value %#llx:%016llx, expected "
			       "%#llx:%016llx (error %d)\n", m->name,
			       (unsigned long long)hi, (unsigned long long)lo,
			       (unsigned long long)m->check_hi,
			       (unsigned long long)m->check, err);
			bad++;
		}
		if (!err && m->kind <= STIMG_CRC_STM32 &&
		    (c.engine == STIMG_CRC_CLMUL) != clmul) {
			printf("FAIL: %s: AUTO picked %s\n", m->name,
			       stimg_crc_engine_name(c.engine));
			bad++;
		}
		stimg_crc_release(&c);
	}
	printf("check values through auto: %zu models\n", nmodels);

	/* folding (when there is one) against the table and the reference,
	 * random lengths 0..4096 at random alignments */
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)rnd();
	for (k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		struct stimg_crc_model mm, *m = &mm;
		unsigned long it;

		if (stimg_crc_parse(names[k], m, NULL)) {
			printf("FAIL: no model %s\n", names[k]);
			return 1;
		}
		for (it = 0; it < iters; it++) {
			size_t len = rnd() % 4097, off = rnd() % 16;
			uint64_t t[2] = { 0, 0 }, f[2] = { 0, 0 }, r;

			/* a few runs at the fold's edges */
			if (it < 8)
				len = (size_t[]){ 0, 63, 64, 127, 128, 129,
						  4095, 4096 }[it];
			if (!run(m, STIMG_CRC_TABLE, buf + off, len, false, t) ||
			    (clmul && !run(m, STIMG_CRC_CLMUL, buf + off, len,
					   it & 1, f))) {
				printf("FAIL: %s: cannot start an engine\n",
				       names[k]);
				return 1;
			}
			runs++;
			if (clmul && (f[0] != t[0] || f[1] != t[1])) {
				printf("FAIL: %s: length %zu offset %zu: "
				       "clmul %#llx:%016llx, table "
				       "%#llx:%016llx\n", names[k], len, off,
				       (unsigned long long)f[1],
				       (unsigned long long)f[0],
				       (unsigned long long)t[1],
				       (unsigned long long)t[0]);
				bad++;
			}
			/* the bit-by-bit reference (up to 64 bits) is slow
			 * under QEMU */
			if (it % 16 == 0 && m->width <= 64) {
				refs++;
				r = ref_crc(m, buf + off, len, 0xFF);
				if (r != t[0]) {
					printf("FAIL: %s: length %zu offset "
					       "%zu: table %#llx, reference "
					       "%#llx\n", names[k], len, off,
					       (unsigned long long)t[0],
					       (unsigned long long)r);
					bad++;
				}
			}
		}
	}
	printf("%s: %zu models, %lu lengths, %lu against the bit-by-bit "
	       "reference (seed %lu)\n",
	       clmul ? "clmul against table" : "table (no clmul)", k, runs,
	       refs, seed);
	if (bad) {
		printf("%lu failures\n", bad);
		return 1;
	}
	printf("ok\n");
	return 0;
}
