/*
 * make bench: CRC throughput on one in-memory buffer (256 MiB by default),
 * one thread, best of several runs, in GB/s (10^9 bytes per second), with
 * memcpy of the same buffer as the ceiling; CRC-32 at each SIMD level
 * (STIMG_SIMD) this CPU has; and the slowest of every model stimg knows,
 * with and without SIMD, over the first 64 MiB.
 *
 *	crc_bench [MIB [RUNS]]
 *
 * Each row is a function over the whole buffer; add a row to cases[] to
 * measure something else.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "stimg/crc.h"
#include "../src/core/crc_internal.h"
#include "../src/core/simd.h"

static uint8_t *buf, *copy;
static size_t len;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* A CRC of the whole buffer by model name through one engine. */
static uint64_t crc(const char *name, enum stimg_crc_engine e)
{
	const struct stimg_crc_model *m = stimg_crc_find(name);
	struct stimg_crc c;
	uint64_t v = 0;

	if (!m || stimg_crc_init(&c, m, e)) {
		fprintf(stderr, "crc_bench: cannot run %s with %s\n", name,
			stimg_crc_engine_name(e));
		exit(1);
	}
	stimg_crc_update(&c, buf, len);
	stimg_crc_final(&c, &v, NULL, NULL);
	stimg_crc_release(&c);
	return v;
}

static uint64_t iso_hdlc(void) { return crc("CRC-32/ISO-HDLC", STIMG_CRC_AUTO); }
static uint64_t stm32(void) { return crc("stm32", STIMG_CRC_AUTO); }
static uint64_t crc32c(void) { return crc("CRC-32/ISCSI", STIMG_CRC_AUTO); }
static uint64_t mpeg2(void) { return crc("CRC-32/MPEG-2", STIMG_CRC_AUTO); }
static uint64_t xmodem(void) { return crc("CRC-16/XMODEM", STIMG_CRC_AUTO); }
static uint64_t crc64(void) { return crc("CRC-64/XZ", STIMG_CRC_AUTO); }
static uint64_t iso_hdlc_table(void) { return crc("CRC-32/ISO-HDLC", STIMG_CRC_TABLE); }
static uint64_t stm32_table(void) { return crc("stm32", STIMG_CRC_TABLE); }
static uint64_t arc_table(void) { return crc("CRC-16/ARC", STIMG_CRC_TABLE); }
static uint64_t ibm3740_table(void) { return crc("CRC-16/IBM-3740", STIMG_CRC_TABLE); }
static uint64_t crc8_table(void) { return crc("CRC-8/SMBUS", STIMG_CRC_TABLE); }
static uint64_t crc64_table(void) { return crc("CRC-64/XZ", STIMG_CRC_TABLE); }
static uint64_t darc82(void) { return crc("CRC-82/DARC", STIMG_CRC_AUTO); }
static uint64_t sum32(void) { return crc("sum32", STIMG_CRC_AUTO); }

static uint64_t zlib_crc32(void)
{
	uLong v = crc32(0, NULL, 0);
	size_t at;

	for (at = 0; at < len; at += 1u << 30)
		v = crc32(v, buf + at, (uInt)(len - at < 1u << 30 ? len - at : 1u << 30));
	return v;
}

static uint64_t copy_all(void)
{
	memcpy(copy, buf, len);
	return copy[len / 2];
}

static const struct bench_case {
	const char *label;
	uint64_t (*fn)(void);
	enum stimg_crc_engine engine;	/* for the label: what AUTO picks */
	const char *model;
} cases[] = {
	{ "CRC-32/ISO-HDLC", iso_hdlc, STIMG_CRC_AUTO, "CRC-32/ISO-HDLC" },
	{ "stm32", stm32, STIMG_CRC_AUTO, "stm32" },
	{ "CRC-32C (CRC-32/ISCSI)", crc32c, STIMG_CRC_AUTO, "CRC-32/ISCSI" },
	{ "CRC-32/MPEG-2", mpeg2, STIMG_CRC_AUTO, "CRC-32/MPEG-2" },
	{ "CRC-16/XMODEM", xmodem, STIMG_CRC_AUTO, "CRC-16/XMODEM" },
	{ "CRC-64/XZ", crc64, STIMG_CRC_AUTO, "CRC-64/XZ" },
	{ "CRC-32/ISO-HDLC, SIMD off (table)", iso_hdlc_table, STIMG_CRC_TABLE, NULL },
	{ "stm32, SIMD off (table)", stm32_table, STIMG_CRC_TABLE, NULL },
	{ "CRC-16/ARC, SIMD off (table)", arc_table, STIMG_CRC_TABLE, NULL },
	{ "CRC-16/IBM-3740, SIMD off (table)", ibm3740_table, STIMG_CRC_TABLE, NULL },
	{ "CRC-8/SMBUS, SIMD off (table)", crc8_table, STIMG_CRC_TABLE, NULL },
	{ "CRC-64/XZ, SIMD off (table)", crc64_table, STIMG_CRC_TABLE, NULL },
	{ "CRC-82/DARC", darc82, STIMG_CRC_AUTO, "CRC-82/DARC" },
	{ "sum32", sum32, STIMG_CRC_AUTO, NULL },
	{ "zlib crc32()", zlib_crc32, STIMG_CRC_AUTO, NULL },
	{ "memcpy (ceiling)", copy_all, STIMG_CRC_AUTO, NULL },
};

/* The best of runs passes of model m over the first n bytes, in GB/s. */
static double speed(const struct stimg_crc_model *m, size_t n, int runs)
{
	double best = 1e30;
	uint64_t v, h;
	int r;

	for (r = 0; r < runs; r++) {
		double t = now();

		stimg_crc_buffer(m, buf, n, &v, &h);
		t = now() - t;
		if (t < best)
			best = t;
	}
	return (double)n / best / 1e9;
}

/* CRC-32/ISO-HDLC at each folding level this CPU has. */
static void levels(int runs)
{
	const struct stimg_crc_model *m = stimg_crc_find("CRC-32/ISO-HDLC");
	int level;

	for (level = SIMD_SSE; level <= SIMD_AVX512; level++) {
		char label[64];

		setenv("STIMG_SIMD", stimg__simd_name(level), 1);
		if (stimg__crc_level() != level)
			continue;
		snprintf(label, sizeof(label), "CRC-32/ISO-HDLC, STIMG_SIMD=%s",
			 stimg__simd_name(level));
		printf("  %-38s %7.2f GB/s\n", label, speed(m, len, runs));
	}
	unsetenv("STIMG_SIMD");
}

/* The slowest model of all, with SIMD or (simd "none") without. */
static void slowest(const char *simd, int runs)
{
	const struct stimg_crc_model *all;
	size_t n, i, slow = 0, part = len < (64u << 20) ? len : 64u << 20;
	double worst = 1e30;
	char label[64];

	if (simd)
		setenv("STIMG_SIMD", simd, 1);
	all = stimg_crc_models(&n);
	for (i = 0; i < n; i++) {
		double g = speed(&all[i], part, runs);

		if (g < worst) {
			worst = g;
			slow = i;
		}
	}
	unsetenv("STIMG_SIMD");
	snprintf(label, sizeof(label), "slowest of %zu%s", n,
		 simd ? ", SIMD off" : "");
	printf("  %-38s %7.2f GB/s   %s\n", label, worst, all[slow].name);
}

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 256;
	int runs = argc > 2 ? atoi(argv[2]) : 5;
	uint64_t x = 0x9E3779B97F4A7C15u;
	size_t i;

	len = mib << 20;
	buf = malloc(len);
	copy = malloc(len);
	if (!len || !buf || !copy || runs < 1) {
		fprintf(stderr, "usage: crc_bench [MIB [RUNS]]\n");
		return 2;
	}
	for (i = 0; i < len; i++) {	/* xorshift64: not compressible */
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		buf[i] = (uint8_t)(x >> 32);
	}
	memset(copy, 0, len);
	printf("%zu MiB in memory, one thread, best of %d runs; carry-less "
	       "multiply %s\n", mib, runs,
	       stimg_crc_engine_available(STIMG_CRC_CLMUL, stimg_crc_find("crc32"))
	       ? "available" : "not available");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct bench_case *b = &cases[i];
		double best = 1e30;
		uint64_t v = 0;
		char label[64];
		int r;

		for (r = 0; r < runs; r++) {
			double t = now();

			v = b->fn();
			t = now() - t;
			if (t < best)
				best = t;
		}
		snprintf(label, sizeof(label), "%s", b->label);
		if (b->model) {
			struct stimg_crc c;

			if (!stimg_crc_init(&c, stimg_crc_find(b->model), b->engine))
				snprintf(label, sizeof(label), "%s (%s)", b->label,
					 stimg_crc_engine_name(c.engine));
			stimg_crc_release(&c);
		}
		printf("  %-38s %7.2f GB/s   0x%" PRIX64 "\n", label,
		       (double)len / best / 1e9, v);
	}
	levels(runs);
	slowest(NULL, runs);
	slowest("none", runs);
	free(buf);
	free(copy);
	return 0;
}
