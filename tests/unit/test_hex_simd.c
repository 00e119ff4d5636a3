/*
 * The hex kernels (src/hex_simd.c) at every level this CPU has, forced
 * through STIMG_SIMD: which lines they take and which they leave to the
 * exact readers, what they return, their output limits, and the encoder.
 * tests/tools/hex_check.c compares them with a reference over random text
 * and tries every character that is not a hex digit.
 */
#include <ctype.h>

#include "testlib.h"
#include "core/hex_simd.h"
#include "core/simd.h"

static const char *const levels[] = { "none", "sse", "avx2", "avx512" };

/* The kernels of level i (SIMD_NONE + i), or NULL when the CPU lacks it. */
static const struct stimg__hex *kernels(size_t i)
{
	const struct stimg__hex *k;

	assert_int_equal(setenv("STIMG_SIMD", levels[i], 1), 0);
	k = stimg__hex();
	assert_int_equal(unsetenv("STIMG_SIMD"), 0);
	if (k->level != (int)i) {
		print_message("level %s: not on this CPU\n", levels[i]);
		return NULL;
	}
	return k;
}

static struct stimg__hexrec rec[64];
static uint8_t data[64 * 255 + STIMG__HEX_SLACK];

/*
 * Runs a decoder over the n bytes of text followed by pad bytes 'x', in a
 * buffer of exactly that length: no padding tries the plain path at the
 * buffer's end (and shows a read past it under a sanitizer), 64 bytes let
 * the vector kernels read whole vectors.
 */
static size_t decode_n(size_t (*fn)(const uint8_t *, size_t,
				    struct stimg__hexrun *),
		       const char *text, size_t n, size_t pad,
		       struct stimg__hexrun *r)
{
	uint8_t *buf = malloc(n + pad + 1);
	size_t used;

	assert_non_null(buf);
	memcpy(buf, text, n);
	memset(buf + n, 'x', pad);
	r->data = data;
	if (!r->data_cap)
		r->data_cap = sizeof(data);
	r->rec = rec;
	if (!r->rec_cap)
		r->rec_cap = 64;
	used = fn(buf, n + pad, r);
	free(buf);
	return used;
}

/* The same without and with padding, which must make no difference. */
static size_t decode(size_t (*fn)(const uint8_t *, size_t,
				  struct stimg__hexrun *),
		     const char *text, struct stimg__hexrun *r)
{
	struct stimg__hexrun exact = *r;
	size_t used = decode_n(fn, text, strlen(text), 0, &exact);

	assert_int_equal(decode_n(fn, text, strlen(text), 64, r), used);
	assert_int_equal(r->nrec, exact.nrec);
	return used;
}

/* A line or lines, and what the kernels take: bytes, records, the first
 * record's address (its data is always 01 02 03 04). */
struct line {
	const char *text;
	size_t used, nrec;
	uint32_t addr;
};

static void check_lines(bool srec, const struct line *cases, size_t n)
{
	size_t i, c;

	for (i = 0; i < ARRAY_SIZE(levels); i++) {
		const struct stimg__hex *k = kernels(i);

		for (c = 0; k && c < n; c++) {
			struct stimg__hexrun r = { 0 };
			size_t used = decode(srec ? k->srec : k->ihex,
					     cases[c].text, &r);

			if (used != cases[c].used || r.nrec != cases[c].nrec)
				fail_msg("%s: '%s': took %zu bytes, %zu records",
					 k->name, cases[c].text, used, r.nrec);
			if (r.nrec) {
				assert_int_equal(rec[0].addr, cases[c].addr);
				assert_int_equal(rec[0].len, 4);
				assert_memory_equal(data, "\1\2\3\4", 4);
				assert_int_equal(r.ndata, 4 * r.nrec);
			}
		}
	}
}

/* Which Intel HEX lines are taken, and what they give. */
static void test_ihex_lines(void **state)
{
	static const struct line cases[] = {
		{ ":0400100001020304E2\n", 20, 1, 0x0010 },
		{ ":0400100001020304E2\r\n", 21, 1, 0x0010 },
		{ ":0400100001020304e2\n:0400100001020304E2\r\n", 41, 2,
		  0x0010 },
		/* the last line has no line end inside the buffer */
		{ ":0400100001020304E2\n:0400100001020304E2", 20, 1, 0x0010 },
		{ ":0400100001020304E2\r", 0, 0, 0 },
		{ ":0400100001020304E2\r:0400100001020304E2\n", 0, 0, 0 },
		/* blanks, other types, no data, wrong checksum, wrong length */
		{ ":0400100001020304E2 \n", 0, 0, 0 },
		{ " :0400100001020304E2\n", 0, 0, 0 },
		{ "\n:0400100001020304E2\n", 0, 0, 0 },
		{ ":020000040800F2\n", 0, 0, 0 },
		{ ":00000001FF\n", 0, 0, 0 },
		{ ":0000000000\n", 0, 0, 0 },
		{ ":0400100001020304E3\n", 0, 0, 0 },
		{ ":0400100001020304E2FF\n", 0, 0, 0 },
		{ ":04001000010203E2\n", 0, 0, 0 },
		{ ":0400100001020304E2\n:0400100001020304E3\n"
		  ":0400100001020304E2\n", 20, 1, 0x0010 },
		{ "", 0, 0, 0 },
	};

	(void)state;
	check_lines(false, cases, ARRAY_SIZE(cases));
}

/* A line of n data bytes 0, 1, 2, ... at offset addr (and its checksum). */
static char *ihex_line(char *q, unsigned addr, unsigned n)
{
	unsigned sum = n + (addr >> 8) + (addr & 0xFF), i;

	q += sprintf(q, ":%02X%04X00", n, addr);
	for (i = 0; i < n; i++) {
		q += sprintf(q, "%02X", i & 0xFF);
		sum += i;
	}
	return q + sprintf(q, "%02X\n", -sum & 0xFF);
}

/* Every length, and the limits of rec and data. */
static void test_ihex_lengths(void **state)
{
	static char text[256 * 530];
	size_t i, n, at;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(levels); i++) {
		const struct stimg__hex *k = kernels(i);
		struct stimg__hexrun r = { 0 };
		char *q = text;

		if (!k)
			continue;
		for (n = 1; n <= 255; n++)
			q = ihex_line(q, (unsigned)n * 3, (unsigned)n);
		r.rec_cap = 64;
		/* 64 records: 1 + 2 + ... + 64 bytes */
		assert_int_equal(decode(k->ihex, text, &r),
				 (size_t)(strstr(text, ":41") - text));
		assert_int_equal(r.nrec, 64);
		assert_int_equal(r.ndata, 64 * 65 / 2);
		for (n = 0, at = 0; n < 64; at += ++n)
			if (rec[n].addr != (n + 1) * 3 || rec[n].len != n + 1 ||
			    (n && data[at + n] != n))
				fail_msg("%s: record %zu", k->name, n);
		/* room for 255 bytes and the slack takes one 255-byte record */
		memset(&r, 0, sizeof(r));
		r.data_cap = 255 + STIMG__HEX_SLACK;
		assert_int_not_equal(decode(k->ihex, strstr(text, ":FF"), &r), 0);
		assert_int_equal(r.nrec, 1);
		assert_int_equal(rec[0].len, 255);
		assert_int_equal(data[254], 254);
		/* one byte less takes none */
		memset(&r, 0, sizeof(r));
		r.data_cap = 255 + STIMG__HEX_SLACK - 1;
		assert_int_equal(decode(k->ihex, strstr(text, ":FF"), &r), 0);
		/* a record per rec entry */
		memset(&r, 0, sizeof(r));
		r.rec_cap = 1;
		decode(k->ihex, text, &r);
		assert_int_equal(r.nrec, 1);
	}
}

/* S-record lines: the three address widths, and what is left alone. */
static void test_srec_lines(void **state)
{
	static const struct line cases[] = {
		{ "S107001001020304DE\n", 19, 1, 0x0010 },
		{ "S20800100001020304DD\r\n", 22, 1, 0x001000 },
		{ "s20800100001020304DD\r\n", 0, 0, 0 },
		{ "S3090800100001020304D4\n", 23, 1, 0x08001000 },
		{ "S3090800100001020304d4\nS107001001020304DE\n", 42, 2,
		  0x08001000 },
		{ "S00600004844521B\n", 0, 0, 0 },
		{ "S5030001FB\n", 0, 0, 0 },
		{ "S9030000FC\n", 0, 0, 0 },
		{ "S1030010EC\n", 0, 0, 0 },	/* no data */
		{ "S107001001020304DF\n", 0, 0, 0 },
		{ "S107001001020304DE \n", 0, 0, 0 },
		{ "S407001001020304DE\n", 0, 0, 0 },
		{ "S107001001020304DE", 0, 0, 0 },
	};

	(void)state;
	check_lines(true, cases, ARRAY_SIZE(cases));
}

static void test_encode(void **state)
{
	static const uint8_t bytes[40] = { 0x00, 0x01, 0xAB, 0xFF, 0x7F, 0x80,
					   0x10, 0x09, 0xA0, 0xCD, 0xEF, 0x5A };
	char out[81];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(levels); i++) {
		const struct stimg__hex *k = kernels(i);

		if (!k)
			continue;
		memset(out, 0, sizeof(out));
		assert_int_equal(k->encode(out, bytes, 40), 0x579);
		assert_string_equal(out, "0001ABFF7F801009A0CDEF5A"
				    "0000000000000000000000000000000000000000"
				    "0000000000000000");
		memset(out, '-', sizeof(out));
		assert_int_equal(k->encode(out, bytes + 2, 3), 0x229);
		assert_memory_equal(out, "ABFF7F-", 7);
		assert_int_equal(k->encode(out, bytes, 0), 0);
		assert_int_equal(out[0], 'A');
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ihex_lines),
		cmocka_unit_test(test_ihex_lengths),
		cmocka_unit_test(test_srec_lines),
		cmocka_unit_test(test_encode),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
