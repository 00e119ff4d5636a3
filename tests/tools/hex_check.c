/*
 * hex_check: the hex kernels (src/hex_simd.c) that STIMG_SIMD selects,
 * against a plain reference written here, over random Intel HEX and
 * S-record text: valid data records of every length and both cases, LF
 * and CRLF, other records and blank lines among them, one corruption
 * anywhere (a digit, a letter that is not one, a line end, a blank...) in
 * half the buffers, buffers cut anywhere, small output capacities; every
 * character that is not a hex digit at each kind of position; and the
 * encoder against printf. Written to be cross-compiled for AArch64 and run
 * under qemu-aarch64 too (tests/cli/t0805-hex-kernels.sh), linked with
 * libstimg.a or with src/hex_simd.c, src/simd.c and src/stimg.c.
 *
 *	hex_check [--expect NAME] [SEED [ITERATIONS]]
 *
 * --expect fails unless the kernels are NAME (scalar, ssse3, avx2, avx512,
 * neon).
 * Prints one line per group; exits 0 when everything matches, 1 if not.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/hex_simd.h"

static uint64_t state;

static uint64_t rnd(void)
{
	/* xorshift64* */
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return state * 0x2545F4914F6CDD1Du;
}

static unsigned long bad;

#define CHECK(cond, ...) \
	do { \
		if (!(cond) && bad++ < 10) { \
			printf("FAIL: " __VA_ARGS__); \
			printf("\n"); \
		} \
	} while (0)

/* ---- the reference ---- */

static int digit(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

struct ref {
	uint32_t addr;
	size_t len, line;	/* data bytes; the line with its end */
	uint8_t data[256];
};

/*
 * Whether the line at p is a data record the kernels must take (fmt 'I'
 * or 'S'), and what it holds.
 */
static bool ref_record(int fmt, const uint8_t *p, const uint8_t *end,
		       struct ref *r)
{
	const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
	size_t n, skip = fmt == 'I' ? 1 : 2, nb, i, alen;
	uint8_t b[300];
	unsigned sum = 0;

	if (!nl)
		return false;
	n = (size_t)(nl - p);
	r->line = n + 1;
	if (n && p[n - 1] == '\r')
		n--;
	if (n < skip || (n - skip) % 2 || (n - skip) / 2 > sizeof(b))
		return false;
	if (fmt == 'I' && p[0] != ':')
		return false;
	if (fmt == 'S' && (p[0] != 'S' || p[1] < '1' || p[1] > '3'))
		return false;
	nb = (n - skip) / 2;
	for (i = 0; i < nb; i++) {
		int hi = digit(p[skip + 2 * i]), lo = digit(p[skip + 2 * i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		b[i] = (uint8_t)(hi * 16 + lo);
		sum += b[i];
	}
	if (fmt == 'I') {
		if (nb < 6 || b[0] != nb - 5 || b[3] || sum % 256)
			return false;
		r->addr = (uint32_t)b[1] << 8 | b[2];
		r->len = b[0];
		memcpy(r->data, b + 4, r->len);
		return true;
	}
	alen = (size_t)(p[1] - '0') + 1;
	if (nb < alen + 3 || b[0] != nb - 1 || sum % 256 != 0xFF)
		return false;
	r->addr = 0;
	for (i = 1; i <= alen; i++)
		r->addr = r->addr << 8 | b[i];
	r->len = nb - alen - 2;
	memcpy(r->data, b + 1 + alen, r->len);
	return true;
}

/* ---- random text ---- */

static char *put_hex(char *q, const uint8_t *b, size_t n, int lower)
{
	static const char up[] = "0123456789ABCDEF", low[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		const char *d = lower == 1 || (lower == 2 && rnd() % 2) ? low
									 : up;

		*q++ = d[b[i] >> 4];
		*q++ = d[b[i] & 15];
	}
	return q;
}

/* One line of fmt: mostly data records, now and then something else. */
static char *line(int fmt, char *q)
{
	uint8_t b[300];
	unsigned k = (unsigned)(rnd() % 100), len, nb, i, sum = 0;
	int lower = (int)(rnd() % 8 < 6 ? 0 : rnd() % 3);

	if (k < 4) {		/* blank, or a blank before a record */
		if (k == 0) {
			*q++ = '\n';
			return q;
		}
		*q++ = ' ';
	}
	len = k < 60 ? 16 : k < 75 ? 32 : 1 + (unsigned)(rnd() % 255);
	if (fmt == 'I') {
		unsigned type = k >= 96 ? (unsigned)(rnd() % 6) : 0;

		if (type == 1)
			len = 0;
		else if (type == 4 || type == 2)
			len = 2;
		b[0] = (uint8_t)len;
		b[1] = (uint8_t)rnd();
		b[2] = (uint8_t)rnd();
		b[3] = (uint8_t)type;
		nb = 4 + len;
		*q++ = ':';
	} else {
		unsigned type = k >= 96 ? (unsigned)(rnd() % 10) : 1 + rnd() % 3;
		unsigned alen = type == 0 || type == 1 || type == 5 || type == 9
			? 2 : type == 2 || type == 6 || type == 8 ? 3 : 4;

		if (len > 250)
			len = 250;
		if (type >= 5 || (type == 0 && rnd() % 2))
			len = 0;
		b[0] = (uint8_t)(alen + len + 1);
		for (i = 1; i <= alen; i++)
			b[i] = (uint8_t)rnd();
		nb = 1 + alen + len;
		*q++ = 'S';
		*q++ = (char)('0' + type);
	}
	for (i = nb - len; i < nb; i++)
		b[i] = (uint8_t)rnd();
	for (i = 0; i < nb; i++)
		sum += b[i];
	b[nb] = (uint8_t)(fmt == 'I' ? -sum : ~sum);
	q = put_hex(q, b, nb + 1, lower);
	if (k == 3)
		*q++ = ' ';
	if (rnd() % 4 == 0)
		*q++ = '\r';
	*q++ = '\n';
	return q;
}

static const char corruptions[] = "0123456789ABCDEFabcdefGgSs: \t\r\n\x00\xff/@`";

/* ---- the checks ---- */

/*
 * Reads all of buf[0..n) as a reader would: the kernel at each line start,
 * the line it stops at stepped over, every record compared with the
 * reference, with random capacities.
 */
static void check_buffer(int fmt, const struct stimg__hex *k,
			 const uint8_t *buf, size_t n, unsigned long *records)
{
	static struct stimg__hexrec rec[64];
	static uint8_t data[64 * 255 + STIMG__HEX_SLACK];
	const uint8_t *p = buf, *end = buf + n;

	while (p < end) {
		struct stimg__hexrun r = {
			.data = data,
			.data_cap = 255 + STIMG__HEX_SLACK +
				    (size_t)(rnd() % (sizeof(data) - 270)),
			.rec = rec,
			.rec_cap = 1 + (size_t)(rnd() % 64),
		};
		size_t used = (fmt == 'I' ? k->ihex : k->srec)(p, (size_t)(end - p),
								&r);
		size_t at = 0, i, off = (size_t)(p - buf);
		struct ref want;

		for (i = 0; i < r.nrec; i++) {
			bool ok = ref_record(fmt, p, end, &want);

			CHECK(ok, "%s %c: record %zu of a run at %zu is not one "
			      "the reference takes", k->name, fmt, i, off);
			if (!ok)
				return;
			CHECK(r.rec[i].addr == want.addr &&
			      r.rec[i].len == want.len &&
			      !memcmp(data + at, want.data, want.len),
			      "%s %c: record %zu at %zu: address %#x length %u, "
			      "expected %#x %zu", k->name, fmt, i,
			      (size_t)(p - buf), (unsigned)r.rec[i].addr,
			      (unsigned)r.rec[i].len, (unsigned)want.addr,
			      want.len);
			at += want.len;
			p += want.line;
			(*records)++;
		}
		CHECK(used == (size_t)(p - buf) - off && r.ndata == at,
		      "%s %c: consumed %zu bytes and %zu of data from %zu, the "
		      "records span %zu and %zu", k->name, fmt, used, r.ndata,
		      off, (size_t)(p - buf) - off, at);
		if (used != (size_t)(p - buf) - off)
			return;
		/* it stopped: full, or the next line is not one of ours */
		if (p < end && r.nrec < r.rec_cap &&
		    ref_record(fmt, p, end, &want)) {
			bool full = r.ndata + want.len + STIMG__HEX_SLACK >
				    r.data_cap;

			CHECK(full, "%s %c: stopped at %zu before a record the "
			      "reference takes", k->name, fmt,
			      (size_t)(p - buf));
			if (!full)
				return;
			continue;
		}
		if (r.nrec < r.rec_cap && p < end) {
			const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));

			p = nl ? nl + 1 : end;
		}
	}
}

/*
 * A character that is not a hex digit stops a decoder wherever it is and
 * whatever the checksum: every byte value at positions in the count, the
 * address, the type, the data (first, middle, last) and the checksum of a
 * 16-byte record, with all 256 checksums (so that no lax decoding can
 * pass by a checksum that happens to fit), for a record whose checksum
 * ends in 0 too (which a lax decoder reading a non-digit there as 0 would
 * take). The line is followed by blank lines, so that the vector kernels
 * read whole vectors.
 */
static void check_not_digits(int fmt, const struct stimg__hex *k,
			     const char *head)
{
	static const size_t at_ihex[] = { 1, 2, 4, 7, 8, 9, 24, 40, 41, 42 };
	static const size_t at_srec[] = { 2, 3, 5, 11, 12, 30, 43, 44, 45 };
	static struct stimg__hexrec rec[1];
	static uint8_t data[255 + STIMG__HEX_SLACK];
	const size_t *at = fmt == 'I' ? at_ihex : at_srec;
	size_t nat = fmt == 'I' ? sizeof(at_ihex) / sizeof(at_ihex[0])
				: sizeof(at_srec) / sizeof(at_srec[0]);
	size_t len = strlen(head) + 32 + 2, i, c, s;
	unsigned sum = 16 * 0x77, right;
	uint8_t line[128];

	struct stimg__hexrun r = { .data = data, .data_cap = sizeof(data),
				   .rec = rec, .rec_cap = 1 };

	/* the line as it is, with its right checksum, is taken */
	for (i = fmt == 'I' ? 1 : 2; i < strlen(head); i += 2)
		sum += (unsigned)(digit((uint8_t)head[i]) << 4 |
				  digit((uint8_t)head[i + 1]));
	right = (fmt == 'I' ? -sum : ~sum) & 0xFF;
	memcpy(line, head, strlen(head));
	memset(line + strlen(head), '7', 32);
	line[len - 2] = "0123456789ABCDEF"[right >> 4];
	line[len - 1] = "0123456789ABCDEF"[right & 15];
	memset(line + len, '\n', sizeof(line) - len);
	CHECK((fmt == 'I' ? k->ihex : k->srec)(line, sizeof(line), &r) ==
	      len + 1, "%s %c: the unchanged line %s is not taken", k->name,
	      fmt, head);
	for (i = 0; i < nat; i++)
		for (c = 0; c < 256; c++) {
			if (digit((uint8_t)c) >= 0)
				continue;
			for (s = 0; s < 256; s++) {
				size_t used;

				line[len - 2] = "0123456789ABCDEF"[s >> 4];
				line[len - 1] = "0123456789ABCDEF"[s & 15];
				line[at[i]] = (uint8_t)c;
				used = (fmt == 'I' ? k->ihex : k->srec)(
					line, sizeof(line), &r);
				CHECK(!used, "%s %c: %#zx at %zu, checksum %02zX: "
				      "taken", k->name, fmt, c, at[i], s);
				line[at[i]] = at[i] < len - 2 ? '7' : '0';
				if (at[i] < strlen(head))
					line[at[i]] = (uint8_t)head[at[i]];
			}
		}
}

static void check_encode(const struct stimg__hex *k)
{
	static uint8_t src[300 + 32];
	static char got[2 * 300 + 64], want[2 * 300 + 64];
	size_t n, i, off;
	int it;

	for (it = 0; it < 2000; it++) {
		unsigned sum = 0, s;

		n = (size_t)(rnd() % 300);
		off = (size_t)(rnd() % 32);
		for (i = 0; i < n; i++) {
			src[off + i] = (uint8_t)rnd();
			sprintf(want + 2 * i, "%02X", src[off + i]);
			sum += src[off + i];
		}
		memset(got, '?', sizeof(got));
		s = k->encode(got, src + off, n);
		CHECK(s == sum && !memcmp(got, want, 2 * n) && got[2 * n] == '?',
		      "%s encode: %zu bytes at offset %zu: sum %u, expected %u",
		      k->name, n, off, s, sum);
	}
}

int main(int argc, char **argv)
{
	const struct stimg__hex *k = stimg__hex();
	const char *expect = NULL;
	unsigned long seed = 1, iters = 300, it, records = 0, cut = 0, hurt = 0;
	char *text = malloc(200 * 600);
	int arg = 1, f;

	if (arg + 1 < argc && !strcmp(argv[arg], "--expect")) {
		expect = argv[arg + 1];
		arg += 2;
	}
	if (arg < argc)
		seed = strtoul(argv[arg++], NULL, 0);
	if (arg < argc)
		iters = strtoul(argv[arg++], NULL, 0);
	if (arg < argc || !text) {
		fprintf(stderr, "usage: hex_check [--expect NAME] [SEED "
				"[ITERATIONS]]\n");
		return 2;
	}
	state = seed * 0x9E3779B97F4A7C15u + 1;
	printf("kernels: %s\n", k->name);
	if (expect && strcmp(expect, k->name)) {
		printf("FAIL: expected the %s kernels\n", expect);
		return 1;
	}
	for (f = 0; f < 2; f++) {
		int fmt = f ? 'S' : 'I';

		for (it = 0; it < iters; it++) {
			char *q = text;
			size_t lines = 1 + (size_t)(rnd() % 200), n, i;
			uint8_t *buf;

			for (i = 0; i < lines; i++)
				q = line(fmt, q);
			n = (size_t)(q - text);
			if (it % 2) {	/* one corruption anywhere */
				text[rnd() % n] = corruptions[rnd() %
						(sizeof(corruptions) - 1)];
				hurt++;
			}
			if (it % 3 == 1) {	/* cut anywhere */
				n = (size_t)(rnd() % (n + 1));
				cut++;
			}
			/* exactly n bytes, so that a read past them shows
			 * under a sanitizer */
			buf = malloc(n ? n : 1);
			if (!buf)
				return 3;
			memcpy(buf, text, n);
			check_buffer(fmt, k, buf, n, &records);
			free(buf);
		}
	}
	/* (checksums 0x3A and 0x60, 0x62 and 0x60) */
	check_not_digits('I', k, ":10123400");
	check_not_digits('I', k, ":10120E00");
	check_not_digits('S', k, "S31508001000");
	check_not_digits('S', k, "S31508001002");
	check_encode(k);
	printf("%s: %lu buffers of each format (%lu corrupted, %lu cut), "
	       "%lu records, every non-digit, 2000 encodes (seed %lu)\n",
	       k->name, iters, hurt, cut, records, seed);
	free(text);
	if (bad) {
		printf("%lu failures\n", bad);
		return 1;
	}
	printf("ok\n");
	return 0;
}
