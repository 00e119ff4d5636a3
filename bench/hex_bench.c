/*
 * make bench: the hex kernels (src/hex_simd.c) at every SIMD level this
 * CPU has, on one in-memory Intel HEX file, one thread, best of RUNS runs:
 * the decoder over the whole file in GB/s of text (lines it does not take,
 * such as the type 04 ones, are stepped over as a reader would read them),
 * the S-record decoder over the same data written as 16-byte S3 records,
 * and the encoder in GB/s of bytes in.
 *
 *	hex_bench FILE.hex [RUNS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../src/core/hex_simd.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint8_t *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long len;

	if (f && !fseek(f, 0, SEEK_END) && (len = ftell(f)) > 0 &&
	    !fseek(f, 0, SEEK_SET) && (buf = malloc((size_t)len)) &&
	    fread(buf, 1, (size_t)len, f) == (size_t)len)
		*n = (size_t)len;
	else
		free(buf), buf = NULL;
	if (f)
		fclose(f);
	return buf;
}

static struct stimg__hexrec rec[4096];
static uint8_t chunk[4096 * 16 + 4096];

/*
 * Decodes all of p[0..n); returns the data bytes, their sum in *sum and
 * a copy of them in copy, each unless NULL.
 */
static size_t decode_all(size_t (*fn)(const uint8_t *, size_t,
				      struct stimg__hexrun *),
			 const uint8_t *p, size_t n, unsigned *sum,
			 uint8_t *copy)
{
	struct stimg__hexrun r = { .data = chunk, .data_cap = sizeof(chunk),
				   .rec = rec, .rec_cap = 4096 };
	const uint8_t *end = p + n;
	size_t total = 0, i;

	if (sum)
		*sum = 0;
	while (p < end) {
		size_t used = fn(p, (size_t)(end - p), &r);

		if (!used) {	/* another record: the reader's line */
			const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));

			used = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		}
		for (i = 0; sum && i < r.ndata; i++)
			*sum += chunk[i];
		if (copy)
			memcpy(copy + total, chunk, r.ndata);
		total += r.ndata;
		p += used;
	}
	return total;
}

/* The data as S3 records of 16 bytes (the last may be shorter). */
static char *to_srec(const struct stimg__hex *k, const uint8_t *data,
		     size_t n, size_t *len)
{
	char *out = malloc((n + 15) / 16 * 47 + 1), *q = out;
	size_t i, m;

	for (i = 0; out && i < n; i += m) {
		uint8_t head[5] = { 0, (uint8_t)(i >> 24), (uint8_t)(i >> 16),
				    (uint8_t)(i >> 8), (uint8_t)i };
		uint8_t check;

		m = n - i < 16 ? n - i : 16;
		head[0] = (uint8_t)(4 + m + 1);
		*q++ = 'S';
		*q++ = '3';
		check = (uint8_t)~(k->encode(q, head, 5) +
				   k->encode(q + 10, data + i, m));
		k->encode(q + 10 + 2 * m, &check, 1);
		q += 12 + 2 * m;
		*q++ = '\n';
	}
	*len = (size_t)(q - out);
	return out;
}

int main(int argc, char **argv)
{
	/* in the order of the SIMD_* levels */
	static const char *const levels[] = { "none", "sse", "avx2", "avx512" };
	int runs = argc > 2 ? atoi(argv[2]) : 5;
	size_t n = 0, srec_n = 0, want = 0, i;
	uint8_t *text = argc > 1 ? slurp(argv[1], &n) : NULL;
	uint8_t *data = NULL;
	char *srec = NULL, *hexout = NULL;
	unsigned want_sum = 0;

	if (!text || runs < 1) {
		fprintf(stderr, "usage: hex_bench FILE.hex [RUNS]\n");
		return 2;
	}
	printf("%.1f MB of Intel HEX in memory, one thread, best of %d runs\n",
	       (double)n / 1e6, runs);
	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		const struct stimg__hex *k;
		double best[3] = { 1e30, 1e30, 1e30 };
		size_t got = 0, got_s = 0;
		unsigned sum = 0, sum_s = 0;
		int r;

		setenv("STIMG_SIMD", levels[i], 1);
		k = stimg__hex();
		if (k->level != (int)i)
			continue;	/* not on this CPU */
		if (!data) {
			/* the data once, and the same as 16-byte S3 lines */
			data = malloc(n / 2 + 32);
			hexout = malloc(n + 32);
			if (!data || !hexout)
				return 3;
			want = decode_all(k->ihex, text, n, &want_sum, data);
			srec = to_srec(k, data, want, &srec_n);
			if (!srec)
				return 3;
		}
		for (r = 0; r < runs; r++) {
			double t = now();

			got = decode_all(k->ihex, text, n, NULL, NULL);
			t = now() - t;
			best[0] = t < best[0] ? t : best[0];
			t = now();
			got_s = decode_all(k->srec, (const uint8_t *)srec,
					   srec_n, NULL, NULL);
			t = now() - t;
			best[1] = t < best[1] ? t : best[1];
			t = now();
			k->encode(hexout, data, want);
			t = now() - t;
			best[2] = t < best[2] ? t : best[2];
		}
		decode_all(k->ihex, text, n, &sum, NULL);
		decode_all(k->srec, (const uint8_t *)srec, srec_n, &sum_s, NULL);
		if (got != want || sum != want_sum || got_s != want ||
		    sum_s != want_sum) {
			printf("  %-7s decoded %zu bytes (sum %u) and %zu from "
			       "S-records, expected %zu (sum %u)\n", k->name, got,
			       sum, got_s, want, want_sum);
			return 1;
		}
		printf("  %-7s ihex decode %6.2f GB/s (%5.1f ms)   srec decode "
		       "%6.2f GB/s   encode %6.2f GB/s\n", k->name,
		       (double)n / best[0] / 1e9, best[0] * 1e3,
		       (double)srec_n / best[1] / 1e9,
		       (double)want / best[2] / 1e9);
	}
	free(text);
	free(data);
	free(srec);
	free(hexout);
	return 0;
}
