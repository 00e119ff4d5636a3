/*
 * flashref: a reference writer of DfuSe and UF2 files, written for the
 * tests from the formats' published layouts (dfu-util's dfuse-pack.py and
 * the DfuSe file format document; the UF2 specification) and on purpose
 * sharing nothing with stimg's src/fmt, so that byte-identical output
 * from both means the layout is right, not that one piece of code agrees
 * with itself.
 *
 *   flashref dfu [-a ALT] [-n NAME] [-v VID] [-p PID] [-d BCD] <in.hex
 *   flashref uf2 -f FAMILY <in.hex
 *
 * Reads Intel HEX (types 00, 01, 02, 04; start records ignored) on
 * standard input, whose records must not overlap, and writes the file to
 * standard output: DfuSe with one target and one element per contiguous
 * run of bytes; UF2 with one 256-byte block per 256-byte page holding
 * data, the page's other bytes 0xFF, flag 0x2000 and the family.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct rec {
	uint64_t addr;
	unsigned len;
	uint8_t data[255];
};

/* A contiguous run of bytes. */
struct run {
	uint64_t addr, len;
	uint8_t *data;
};

static struct rec *recs;
static size_t nrecs;
static struct run *runs;
static size_t nruns;

static void die(const char *msg)
{
	fprintf(stderr, "flashref: %s\n", msg);
	exit(2);
}

static unsigned hexbyte(const char *p)
{
	unsigned v;

	if (sscanf(p, "%2x", &v) != 1)
		die("bad hex digit");
	return v;
}

static void read_hex(void)
{
	char line[1024];
	uint64_t upper = 0;

	while (fgets(line, sizeof(line), stdin)) {
		unsigned n, off, type, i;
		const char *p = strchr(line, ':');

		if (!p)
			continue;
		n = hexbyte(p + 1);
		off = hexbyte(p + 3) << 8 | hexbyte(p + 5);
		type = hexbyte(p + 7);
		if (type == 1)
			break;
		if (type == 2)
			upper = (uint64_t)(hexbyte(p + 9) << 8 | hexbyte(p + 11)) << 4;
		if (type == 4)
			upper = (uint64_t)(hexbyte(p + 9) << 8 | hexbyte(p + 11)) << 16;
		if (type != 0 || !n)
			continue;
		recs = realloc(recs, (nrecs + 1) * sizeof(*recs));
		if (!recs)
			die("out of memory");
		recs[nrecs].addr = upper + off;
		recs[nrecs].len = n;
		for (i = 0; i < n; i++)
			recs[nrecs].data[i] = (uint8_t)hexbyte(p + 9 + 2 * i);
		nrecs++;
	}
}

static int by_addr(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* The records sorted and joined where one ends where the next starts. */
static void make_runs(void)
{
	size_t i;

	qsort(recs, nrecs, sizeof(*recs), by_addr);
	for (i = 0; i < nrecs; i++) {
		struct run *r = nruns ? &runs[nruns - 1] : NULL;

		if (!r || r->addr + r->len != recs[i].addr) {
			runs = realloc(runs, (nruns + 1) * sizeof(*runs));
			if (!runs)
				die("out of memory");
			r = &runs[nruns++];
			r->addr = recs[i].addr;
			r->len = 0;
			r->data = NULL;
		}
		r->data = realloc(r->data, r->len + recs[i].len);
		if (!r->data)
			die("out of memory");
		memcpy(r->data + r->len, recs[i].data, recs[i].len);
		r->len += recs[i].len;
	}
}

static uint32_t crc = 0xFFFFFFFFu;

/* Writes n bytes, counting them into the CRC (reflected 0x04C11DB7). */
static void out(const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t i;
	int k;

	for (i = 0; i < n; i++) {
		crc ^= b[i];
		for (k = 0; k < 8; k++)
			crc = crc & 1 ? crc >> 1 ^ 0xEDB88320u : crc >> 1;
	}
	if (fwrite(p, 1, n, stdout) != n)
		die("write failed");
}

static void out32(uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
			 (uint8_t)(v >> 24) };

	out(b, 4);
}

static void out16(unsigned v)
{
	uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };

	out(b, 2);
}

static void out8(unsigned v)
{
	uint8_t b = (uint8_t)v;

	out(&b, 1);
}

static void dfuse(unsigned alt, const char *name, unsigned vid, unsigned pid,
		  unsigned bcd)
{
	uint64_t elements = 0;
	char padded[255] = { 0 };
	size_t i;

	for (i = 0; i < nruns; i++)
		elements += 8 + runs[i].len;
	memcpy(padded, name, strlen(name) < sizeof(padded) ? strlen(name)
							   : sizeof(padded));
	out("DfuSe", 5);
	out8(1);
	out32((uint32_t)(11 + 274 + elements));
	out8(1);
	out("Target", 6);
	out8(alt);
	out32(1);
	out(padded, sizeof(padded));
	out32((uint32_t)elements);
	out32((uint32_t)nruns);
	for (i = 0; i < nruns; i++) {
		out32((uint32_t)runs[i].addr);
		out32((uint32_t)runs[i].len);
		out(runs[i].data, runs[i].len);
	}
	out16(bcd);
	out16(pid);
	out16(vid);
	out16(0x011A);
	out("UFD", 3);
	out8(16);
	out32(crc);
}

/* The byte at addr, or 0xFF where no run has one. */
static uint8_t byte_at(uint64_t addr)
{
	size_t lo = 0, hi = nruns;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (addr < runs[mid].addr)
			hi = mid;
		else if (addr >= runs[mid].addr + runs[mid].len)
			lo = mid + 1;
		else
			return runs[mid].data[addr - runs[mid].addr];
	}
	return 0xFF;
}

static void uf2(uint32_t family)
{
	uint64_t *pages = NULL, p;
	size_t n = 0, i, k;

	for (i = 0; i < nruns; i++)
		for (p = runs[i].addr / 256 * 256; p < runs[i].addr + runs[i].len;
		     p += 256) {
			if (n && pages[n - 1] == p)
				continue;
			pages = realloc(pages, (n + 1) * sizeof(*pages));
			if (!pages)
				die("out of memory");
			pages[n++] = p;
		}
	for (i = 0; i < n; i++) {
		uint8_t data[476] = { 0 };

		for (k = 0; k < 256; k++)
			data[k] = byte_at(pages[i] + k);
		out32(0x0A324655);
		out32(0x9E5D5157);
		out32(0x2000);
		out32((uint32_t)pages[i]);
		out32(256);
		out32((uint32_t)i);
		out32((uint32_t)n);
		out32(family);
		out(data, sizeof(data));
		out32(0x0AB16F30);
	}
	free(pages);
}

int main(int argc, char **argv)
{
	unsigned alt = 0, vid = 0x0483, pid = 0xDF11, bcd = 0xFFFF;
	const char *name = "ST...";
	unsigned long family = 0;
	int c;

	if (argc < 2 || (strcmp(argv[1], "dfu") && strcmp(argv[1], "uf2")))
		die("usage: flashref dfu|uf2 [options] <in.hex >out");
	optind = 2;
	while ((c = getopt(argc, argv, "a:n:v:p:d:f:")) != -1) {
		switch (c) {
		case 'a': alt = (unsigned)strtoul(optarg, NULL, 0); break;
		case 'n': name = optarg; break;
		case 'v': vid = (unsigned)strtoul(optarg, NULL, 0); break;
		case 'p': pid = (unsigned)strtoul(optarg, NULL, 0); break;
		case 'd': bcd = (unsigned)strtoul(optarg, NULL, 0); break;
		case 'f': family = strtoul(optarg, NULL, 0); break;
		default: die("unknown option");
		}
	}
	read_hex();
	make_runs();
	if (!strcmp(argv[1], "dfu"))
		dfuse(alt, name, vid, pid, bcd);
	else
		uf2((uint32_t)family);
	return fflush(stdout) ? 3 : 0;
}
