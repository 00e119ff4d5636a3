/*
 * gen_image: writes Intel HEX test images from a seed, for the differential
 * tests against SRecord and the memory tests. The generator is its own
 * (xorshift64* seeded through splitmix64), so a seed gives the same file on
 * every machine.
 *
 *   gen_image [options]                 a random sparse image
 *   gen_image --big MIB [--raw]         MIB MiB at 0x08000000, 16-byte records
 *                                       (--raw: the same bytes as a binary)
 *   gen_image --far MIB                 MIB MiB at 0x08000000 and at 0x90000000
 *
 * Writes to standard output (or -o FILE). Sparse images never overlap;
 * regions may touch, straddle 64 KiB boundaries and, with -p wide, reach the
 * top of the 32-bit space. Every record stays inside its 64 KiB window (for
 * 02 addressing: the segment's 64 KiB, where a longer offset would wrap).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ADDR_END 0x100000000ull
#define ONE_MIB 0x100000ull
#define NEAR_BASE 0x08000000ull
#define NEAR_WINDOW 0x40000ull		/* 256 KiB: the span stays < 1 MiB */
#define FAR_BASE 0x90000000ull

static const char usage[] =
	"usage: gen_image [options] [-o FILE]\n"
	"  -s SEED        seed (default 1)\n"
	"  -n N           number of regions (default 8)\n"
	"  -m MAX         largest region in bytes (default 4096)\n"
	"  -p SPREAD      low (below 1 MiB), near (0x08000000 + 256 KiB) or\n"
	"                 wide (the whole 32-bit space; default)\n"
	"  -r N           data bytes per record, 1-255, or 0: random per record\n"
	"                 (default 16)\n"
	"  -a MODE        linear (04 only; default), segment (02 for every region\n"
	"                 below 1 MiB) or mixed (02 for about half of them)\n"
	"  -A N           region starts and sizes are multiples of N\n"
	"  -e             write a start record (05; 03 under -a segment when the\n"
	"                 entry is below 1 MiB)\n"
	"  --crlf         end lines with CR LF\n"
	"  --lower        lower-case hex digits\n"
	"  --blank        blank lines here and there\n"
	"  --shuffle      records in random order (default: address order)\n"
	"  --reverse      records in descending address order\n"
	"  --span         print 'START END' (END one past the last byte) instead\n"
	"  -v             list the regions on standard error\n"
	"  --big MIB      MIB MiB of data at 0x08000000 in 16-byte records\n"
	"  --raw          with --big: write the data as a raw binary\n"
	"  --far MIB      MIB MiB at 0x08000000 and MIB MiB at 0x90000000\n";

enum spread { SPREAD_LOW, SPREAD_NEAR, SPREAD_WIDE };
enum addressing { ADDR_LINEAR, ADDR_SEGMENT, ADDR_MIXED };

struct opts {
	uint64_t seed;
	unsigned regions, max_region, record_size, align;
	enum spread spread;
	enum addressing addressing;
	bool entry, crlf, lower, blank, shuffle, reverse, span, verbose, raw;
	unsigned big_mib, far_mib;
	const char *output;
};

struct region {
	uint64_t start, len;
	bool segmented;		/* written with 02 records */
};

/* One data record, or the start record when len is 0 and start is set. */
struct record {
	uint64_t addr;
	const uint8_t *data;
	unsigned len;
	bool segmented, start;
};

/* ---- the generator ---- */

static uint64_t rng;

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static void rnd_seed(uint64_t seed)
{
	rng = splitmix64(&seed);
	if (!rng)
		rng = 1;
}

static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545F4914F6CDD1Dull;
}

/* A number in [0, n), n > 0 (the modulo bias does not matter here). */
static uint64_t below(uint64_t n)
{
	return rnd() % n;
}

static void rnd_bytes(uint8_t *p, size_t n)
{
	while (n) {
		uint64_t v = rnd();
		size_t k = n < 8 ? n : 8, i;

		for (i = 0; i < k; i++, v >>= 8)
			*p++ = (uint8_t)v;
		n -= k;
	}
}

/* ---- writing records ---- */

struct writer {
	FILE *f;
	const char *digits;
	bool crlf, blank;
	uint64_t base;		/* what the last 02/04 record set */
	bool have_base;
};

static void put_line(struct writer *w, const char *text, size_t n)
{
	if (w->blank && below(8) == 0)
		fputs(w->crlf ? "\r\n" : "\n", w->f);
	fwrite(text, 1, n, w->f);
	fputs(w->crlf ? "\r\n" : "\n", w->f);
}

static void put_record(struct writer *w, unsigned type, unsigned off,
		       const uint8_t *data, unsigned n)
{
	char line[16 + 2 * 255];
	unsigned sum = n + (off >> 8) + (off & 0xFF) + type, i;
	char *p = line;

	*p++ = ':';
	*p++ = w->digits[n >> 4];
	*p++ = w->digits[n & 15];
	*p++ = w->digits[off >> 12 & 15];
	*p++ = w->digits[off >> 8 & 15];
	*p++ = w->digits[off >> 4 & 15];
	*p++ = w->digits[off & 15];
	*p++ = w->digits[type >> 4];
	*p++ = w->digits[type & 15];
	for (i = 0; i < n; i++) {
		sum += data[i];
		*p++ = w->digits[data[i] >> 4];
		*p++ = w->digits[data[i] & 15];
	}
	sum = -sum & 0xFF;
	*p++ = w->digits[sum >> 4];
	*p++ = w->digits[sum & 15];
	put_line(w, line, (size_t)(p - line));
}

static void put_base(struct writer *w, unsigned type, uint64_t base)
{
	unsigned v = (unsigned)(type == 2 ? base >> 4 : base >> 16);
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	put_record(w, type, 0, b, 2);
	w->base = base;
	w->have_base = true;
}

/*
 * Writes a data record, preceded by an 02 or 04 record when the current base
 * cannot reach it. Any base B with B <= addr and addr + len - B <= 64 KiB
 * can (until the first 02/04 record, B is 0). A segmented record that needs
 * a new base gets a random segment among those that reach it.
 */
static void put_data(struct writer *w, uint64_t addr, const uint8_t *data,
		     unsigned len, bool segmented)
{
	uint64_t base = w->have_base ? w->base : 0;

	if (base > addr || addr + len - base > 0x10000) {
		if (segmented) {
			uint64_t lo = addr + len > 0x10000 ?
				      (addr + len - 0x10000 + 15) / 16 : 0;
			uint64_t hi = addr / 16;

			put_base(w, 2, (lo + below(hi - lo + 1)) * 16);
		} else {
			put_base(w, 4, addr & ~0xFFFFull);
		}
	}
	put_record(w, 0, (unsigned)(addr - w->base), data, len);
}

static void put_start(struct writer *w, uint32_t entry, bool segmented)
{
	uint8_t b[4];

	if (segmented) {
		/* CS:IP with CS * 16 + IP = entry, CS as large as it can be */
		uint32_t cs = entry >> 4, ip = entry & 15;

		b[0] = (uint8_t)(cs >> 8);
		b[1] = (uint8_t)cs;
		b[2] = (uint8_t)(ip >> 8);
		b[3] = (uint8_t)ip;
	} else {
		b[0] = (uint8_t)(entry >> 24);
		b[1] = (uint8_t)(entry >> 16);
		b[2] = (uint8_t)(entry >> 8);
		b[3] = (uint8_t)entry;
	}
	put_record(w, segmented ? 3 : 5, 0, b, 4);
}

static void put_eof(struct writer *w)
{
	put_record(w, 1, 0, NULL, 0);
	if (w->blank)
		fputs(w->crlf ? "\r\n" : "\n", w->f);
}

/* ---- the sparse image ---- */

static bool overlaps(const struct region *r, size_t n, uint64_t start,
		     uint64_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (start < r[i].start + r[i].len && r[i].start < start + len)
			return true;
	return false;
}

/* Where the regions of a spread may lie: [*lo, *hi). */
static void window(enum spread s, uint64_t *lo, uint64_t *hi)
{
	switch (s) {
	case SPREAD_LOW:
		*lo = 0;
		*hi = ONE_MIB;
		break;
	case SPREAD_NEAR:
		*lo = NEAR_BASE;
		*hi = NEAR_BASE + NEAR_WINDOW;
		break;
	default:
		*lo = 0;
		*hi = ADDR_END;
	}
}

/*
 * Places up to o->regions regions without overlap: random places, and on
 * purpose some that touch another region, straddle a 64 KiB boundary, lie
 * below 1 MiB (wide spread, so 02 addressing gets used) or end at 4 GiB.
 */
static size_t place_regions(const struct opts *o, struct region *r)
{
	uint64_t lo, hi;
	size_t n = 0;
	unsigned i, tries;

	window(o->spread, &lo, &hi);
	for (i = 0; i < o->regions; i++) {
		for (tries = 0; tries < 1000; tries++) {
			uint64_t len = 1 + below(o->max_region), start;
			uint64_t wlo = lo, whi = hi;
			unsigned how = (unsigned)below(8);

			if (o->spread == SPREAD_WIDE && how == 0)
				whi = ONE_MIB;
			if (len > whi - wlo)
				continue;
			start = wlo + below(whi - wlo - len + 1);
			if (how == 1 && n) {
				/* right after, or right before, another one */
				const struct region *t = &r[below(n)];

				start = below(2) ? t->start + t->len : t->start - len;
			} else if (how == 2 && len > 1) {
				/* across the next 64 KiB boundary */
				uint64_t b = (start + 0x10000) & ~0xFFFFull;

				start = b - 1 - below(len - 1);
			} else if (how == 3 && o->spread == SPREAD_WIDE &&
				   below(4) == 0) {
				start = ADDR_END - len;
			}
			if (o->align > 1) {
				len += (o->align - len % o->align) % o->align;
				start -= start % o->align;
			}
			if (len > whi - wlo || start < wlo || start > whi - len ||
			    overlaps(r, n, start, len))
				continue;
			r[n].start = start;
			r[n].len = len;
			r[n].segmented = start + len <= ONE_MIB &&
					 (o->addressing == ADDR_SEGMENT ||
					  (o->addressing == ADDR_MIXED && below(2)));
			n++;
			break;
		}
	}
	return n;
}

static int cmp_region(const void *a, const void *b)
{
	const struct region *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static int sparse(const struct opts *o, struct writer *w)
{
	struct region *r = calloc(o->regions ? o->regions : 1, sizeof(*r));
	struct record *rec = NULL, t;
	uint8_t *data = NULL;
	size_t n, i, k, nrec = 0, cap = 0;
	uint64_t total = 0, off = 0;
	int ret = EXIT_FAILURE;

	if (!r)
		goto out;
	n = place_regions(o, r);
	qsort(r, n, sizeof(*r), cmp_region);
	if (o->span) {
		if (n)
			fprintf(w->f, "0x%08" PRIX64 " 0x%08" PRIX64 "\n",
				r[0].start, r[n - 1].start + r[n - 1].len);
		ret = EXIT_SUCCESS;
		goto out;
	}
	for (i = 0; i < n; i++) {
		total += r[i].len;
		if (o->verbose)
			fprintf(stderr, "0x%08" PRIX64 "..0x%08" PRIX64 " %s\n",
				r[i].start, r[i].start + r[i].len - 1,
				r[i].segmented ? "02" : "04");
	}
	data = malloc(total ? total : 1);
	if (!data)
		goto out;
	rnd_bytes(data, total);

	/* split into records: at most 255 bytes, linear ones inside 64 KiB */
	for (i = 0; i < n; i++) {
		uint64_t a = r[i].start, end = r[i].start + r[i].len;

		while (a < end) {
			uint64_t len = o->record_size ? o->record_size
						      : 1 + below(255);

			if (len > end - a)
				len = end - a;
			if (!r[i].segmented && len > 0x10000 - (a & 0xFFFF))
				len = 0x10000 - (a & 0xFFFF);
			if (nrec == cap) {
				struct record *p;

				cap = cap ? cap * 2 : 256;
				p = realloc(rec, (cap + 1) * sizeof(*rec));
				if (!p)
					goto out;
				rec = p;
			}
			rec[nrec++] = (struct record){ a, data + off,
						       (unsigned)len,
						       r[i].segmented, false };
			off += len;
			a += len;
		}
	}
	if (o->entry && n) {
		uint64_t e = r[0].start | 1;

		if (!rec) {
			rec = malloc(sizeof(*rec));
			if (!rec)
				goto out;
		}
		rec[nrec++] = (struct record){ e & 0xFFFFFFFF, NULL, 0,
					       o->addressing == ADDR_SEGMENT &&
					       e < ONE_MIB, true };
	}
	if (o->reverse) {
		for (i = 0; i < nrec / 2; i++) {
			t = rec[i];
			rec[i] = rec[nrec - 1 - i];
			rec[nrec - 1 - i] = t;
		}
	}
	if (o->shuffle) {
		for (i = nrec; i > 1; i--) {
			k = (size_t)below(i);
			t = rec[i - 1];
			rec[i - 1] = rec[k];
			rec[k] = t;
		}
	}
	for (i = 0; i < nrec; i++) {
		if (rec[i].start)
			put_start(w, (uint32_t)rec[i].addr, rec[i].segmented);
		else
			put_data(w, rec[i].addr, rec[i].data, rec[i].len,
				 rec[i].segmented);
	}
	put_eof(w);
	ret = EXIT_SUCCESS;
out:
	if (ret)
		fprintf(stderr, "gen_image: out of memory\n");
	free(rec);
	free(data);
	free(r);
	return ret;
}

/* ---- big contiguous blocks, streamed ---- */

/* len bytes of generated data at addr, in 16-byte records (or raw). */
static void block(struct writer *w, uint64_t addr, uint64_t len, bool raw)
{
	uint8_t b[16];

	while (len) {
		unsigned n = len < 16 ? (unsigned)len : 16;

		rnd_bytes(b, n);
		if (raw)
			fwrite(b, 1, n, w->f);
		else
			put_data(w, addr, b, n, false);
		addr += n;
		len -= n;
	}
}

/* ---- options ---- */

static int number(const char *opt, const char *s, uint64_t max, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	if (errno || end == s || *end || *v > max || s[0] == '-') {
		fprintf(stderr, "gen_image: %s: bad number '%s'\n", opt, s);
		return -1;
	}
	return 0;
}

enum {
	OPT_CRLF = 256, OPT_LOWER, OPT_BLANK, OPT_SHUFFLE, OPT_REVERSE, OPT_SPAN,
	OPT_BIG,
	OPT_RAW, OPT_FAR,
};

static const struct option long_options[] = {
	{ "crlf", no_argument, NULL, OPT_CRLF },
	{ "lower", no_argument, NULL, OPT_LOWER },
	{ "blank", no_argument, NULL, OPT_BLANK },
	{ "shuffle", no_argument, NULL, OPT_SHUFFLE },
	{ "reverse", no_argument, NULL, OPT_REVERSE },
	{ "span", no_argument, NULL, OPT_SPAN },
	{ "big", required_argument, NULL, OPT_BIG },
	{ "raw", no_argument, NULL, OPT_RAW },
	{ "far", required_argument, NULL, OPT_FAR },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int parse(int argc, char **argv, struct opts *o)
{
	uint64_t v;
	int c;

	memset(o, 0, sizeof(*o));
	o->seed = 1;
	o->regions = 8;
	o->max_region = 4096;
	o->record_size = 16;
	o->align = 1;
	o->spread = SPREAD_WIDE;
	while ((c = getopt_long(argc, argv, "s:n:m:p:r:a:A:eo:vh", long_options,
				NULL)) != -1) {
		switch (c) {
		case 's':
			if (number("-s", optarg, UINT64_MAX, &o->seed))
				return -1;
			break;
		case 'n':
			if (number("-n", optarg, 100000, &v))
				return -1;
			o->regions = (unsigned)v;
			break;
		case 'm':
			if (number("-m", optarg, 16 * ONE_MIB, &v) || !v)
				return -1;
			o->max_region = (unsigned)v;
			break;
		case 'p':
			if (!strcmp(optarg, "low"))
				o->spread = SPREAD_LOW;
			else if (!strcmp(optarg, "near"))
				o->spread = SPREAD_NEAR;
			else if (!strcmp(optarg, "wide"))
				o->spread = SPREAD_WIDE;
			else
				goto bad;
			break;
		case 'r':
			if (number("-r", optarg, 255, &v))
				return -1;
			o->record_size = (unsigned)v;
			break;
		case 'a':
			if (!strcmp(optarg, "linear"))
				o->addressing = ADDR_LINEAR;
			else if (!strcmp(optarg, "segment"))
				o->addressing = ADDR_SEGMENT;
			else if (!strcmp(optarg, "mixed"))
				o->addressing = ADDR_MIXED;
			else
				goto bad;
			break;
		case 'A':
			if (number("-A", optarg, 0x10000, &v) || !v)
				return -1;
			o->align = (unsigned)v;
			break;
		case 'e':
			o->entry = true;
			break;
		case 'o':
			o->output = optarg;
			break;
		case 'v':
			o->verbose = true;
			break;
		case OPT_CRLF:
			o->crlf = true;
			break;
		case OPT_LOWER:
			o->lower = true;
			break;
		case OPT_BLANK:
			o->blank = true;
			break;
		case OPT_SHUFFLE:
			o->shuffle = true;
			break;
		case OPT_REVERSE:
			o->reverse = true;
			break;
		case OPT_SPAN:
			o->span = true;
			break;
		case OPT_RAW:
			o->raw = true;
			break;
		case OPT_BIG:
		case OPT_FAR:
			if (number(c == OPT_BIG ? "--big" : "--far", optarg,
				   1024, &v))
				return -1;
			*(c == OPT_BIG ? &o->big_mib : &o->far_mib) = (unsigned)v;
			break;
		case 'h':
			fputs(usage, stdout);
			exit(EXIT_SUCCESS);
		default:
			goto bad;
		}
	}
	if (optind == argc)
		return 0;
bad:
	fputs(usage, stderr);
	return -1;
}

int main(int argc, char **argv)
{
	struct opts o;
	struct writer w;
	int ret = EXIT_SUCCESS;

	if (parse(argc, argv, &o))
		return 2;
	memset(&w, 0, sizeof(w));
	w.f = stdout;
	if (o.output && !(w.f = fopen(o.output, "wb"))) {
		fprintf(stderr, "gen_image: cannot create '%s': %s\n", o.output,
			strerror(errno));
		return 1;
	}
	w.digits = o.lower ? "0123456789abcdef" : "0123456789ABCDEF";
	w.crlf = o.crlf;
	w.blank = o.blank;
	rnd_seed(o.seed);
	if (o.big_mib) {
		block(&w, NEAR_BASE, o.big_mib * ONE_MIB, o.raw);
		if (!o.raw)
			put_eof(&w);
	} else if (o.far_mib) {
		block(&w, NEAR_BASE, o.far_mib * ONE_MIB, false);
		block(&w, FAR_BASE, o.far_mib * ONE_MIB, false);
		put_eof(&w);
	} else {
		ret = sparse(&o, &w);
	}
	if (fflush(w.f) || ferror(w.f) || (w.f != stdout && fclose(w.f))) {
		fprintf(stderr, "gen_image: write error: %s\n", strerror(errno));
		ret = 1;
	}
	return ret;
}
