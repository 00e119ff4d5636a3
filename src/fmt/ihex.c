/* Intel HEX: record types 00-05, 16-bit segment and 32-bit linear addressing. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "fmt/fmt.h"

/* ':' + (length, address, type, 255 data bytes, checksum) in hex, + slack */
#define IHEX_MAX_LINE 1024

static bool ihex_detect(const uint8_t *buf, size_t len)
{
	size_t i;

	for (i = utf8_bom(buf, len); i < len; i++) {
		if (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' ||
		    buf[i] == '\n')
			continue;
		return buf[i] == ':';
	}
	return false;
}

/* Where a reading of records stands between two lines. */
struct ihex_state {
	unsigned long lineno, records;
	uint64_t base;
	bool segmented, eof, started, dos_eof;
	uint32_t first_entry;
};

/*
 * The records of in from where st stands, the common ones through dec's
 * kernels, up to the end of in, a DOS end-of-file character or an error.
 */
static int ihex_lines(struct stimg_input *in, const struct stimg_sink *k,
		      struct decoder *dec, struct ihex_state *st,
		      struct stimg_diag *d)
{
	uint8_t rec[5 + 255];
	const uint8_t *p;
	size_t n, col;
	uint32_t entry;
	int ret = STIMG_OK;

	for (;;) {
		unsigned sum = 0, len, off, type;
		size_t bytes;

		ret = STIMG_OK;
		/* (before the kernels, which would read on past it) */
		if (st->dos_eof)
			break;
		/* the common records, many at a time (not for 02 segments) */
		if (!st->segmented && !st->eof)
			ret = decode_lines(dec, in, k, st->base, &st->lineno,
					   &st->records, d);
		if (ret)
			break;
		ret = input_line(in, IHEX_MAX_LINE, &p, &n, &col,
				 st->lineno + 1, d);
		if (ret <= 0)
			break;
		st->lineno++;
		/* DOS's end-of-file character, 0x1A: the file ends there */
		if (n && (p[0] == 0x1A || p[n - 1] == 0x1A)) {
			n = p[0] == 0x1A ? 0 : n - 1;
			while (n && is_blank(p[n - 1]))
				n--;
			st->dos_eof = true;
			diag_warn(d, in->name, st->lineno, "a DOS end-of-file "
				  "character (0x1A); reading stops there");
		}
		if (!n)
			continue;
		if (st->eof)
			return diag_set(d, in->name, st->lineno, STIMG_EFORMAT,
					"text after the end-of-file record");
		if (p[0] != ':')
			return diag_set(d, in->name, st->lineno, STIMG_EFORMAT,
					"a record starts with ':', not '%c'",
					printable(p[0]));
		if (n < 11)
			return diag_set(d, in->name, st->lineno, STIMG_EFORMAT,
					"record is too short (%zu characters)", n);
		if (n > 1 + 2 * sizeof(rec))
			return diag_set(d, in->name, st->lineno, STIMG_EFORMAT,
					"record is too long (%zu characters)", n);
		if ((n - 1) % 2)
			return diag_set(d, in->name, st->lineno, STIMG_EFORMAT,
					"record has an odd number of hex digits");
		ret = hex_decode(in->name, st->lineno, p + 1, n - 1, col + 1,
				 rec, &sum, d);
		if (ret)
			return ret;
		bytes = (n - 1) / 2;
		len = rec[0];
		if (bytes != len + 5u)
			return diag_set(d, in->name, st->lineno, STIMG_EFORMAT,
					"record length is 0x%02X but the record "
					"holds %zu data bytes", len, bytes - 5);
		if (sum & 0xFF)
			return diag_set(d, in->name, st->lineno, STIMG_EFORMAT,
					"record checksum is 0x%02X, expected 0x%02X",
					rec[bytes - 1],
					-(sum - rec[bytes - 1]) & 0xFF);
		off = (unsigned)rec[1] << 8 | rec[2];
		type = rec[3];
		if ((type == 2 || type == 4) && len != 2)
			return diag_set(d, in->name, st->lineno, STIMG_EFORMAT,
					"type %02X record has %u data bytes, expected 2",
					type, len);
		if ((type == 3 || type == 5) && len != 4)
			return diag_set(d, in->name, st->lineno, STIMG_EFORMAT,
					"type %02X record has %u data bytes, expected 4",
					type, len);
		switch (type) {
		case 0:
			if (st->segmented && off + len > 0x10000) {
				/* the offset wraps inside the 64 KiB segment */
				unsigned first = 0x10000 - off;

				ret = k->data(k->ctx, st->base + off, rec + 4,
					      first, (uint32_t)st->lineno, 0, d);
				if (!ret)
					ret = k->data(k->ctx, st->base,
						      rec + 4 + first, len - first,
						      (uint32_t)st->lineno, 0, d);
			} else {
				ret = k->data(k->ctx, st->base + off, rec + 4,
					      len, (uint32_t)st->lineno, 0, d);
			}
			if (ret)
				return ret;
			break;
		case 1:
			if (len)
				return diag_set(d, in->name, st->lineno, STIMG_EFORMAT,
						"end-of-file record has %u data bytes",
						len);
			st->eof = true;
			break;
		case 2:
			st->base = ((uint64_t)rec[4] << 8 | rec[5]) << 4;
			st->segmented = true;
			break;
		case 3:
		case 5:
			/* 03 is CS:IP, as the real-mode address CS * 16 + IP */
			entry = type == 3 ? ((uint32_t)rec[4] << 8 | rec[5]) * 16 +
					    ((uint32_t)rec[6] << 8 | rec[7])
					  : (uint32_t)rec[4] << 24 |
					    (uint32_t)rec[5] << 16 |
					    (uint32_t)rec[6] << 8 | rec[7];
			/* as srec_cat: the first start record counts */
			if (st->started) {
				diag_warn(d, in->name, st->lineno, "a second "
					  "start record (0x%08" PRIX32 "); keeping "
					  "the first, 0x%08" PRIX32, entry,
					  st->first_entry);
				break;
			}
			st->started = true;
			st->first_entry = entry;
			ret = k->entry(k->ctx, entry);
			if (ret)
				return ret;
			break;
		case 4:
			st->base = ((uint64_t)rec[4] << 8 | rec[5]) << 16;
			st->segmented = false;
			break;
		default:
			return diag_set(d, in->name, st->lineno, STIMG_EFORMAT,
					"unknown record type 0x%02X", type);
		}
	}
	return ret;
}

/*
 * A large file on two processors is read in two halves at once. The
 * second starts at an 04 record, which sets all the state a record after
 * it needs; it is read in a thread of its own onto a tape (without
 * messages) while this thread reads the first half into the sink. When
 * the first half ends as that record expects (no end-of-file record yet,
 * no start record in both) and the second read cleanly to its end-of-file
 * record, the tape is played into the sink, its lines numbered on from
 * the first half's; else this thread reads the second half itself, with
 * its messages. Either way the sink sees what one reading would give it.
 */
#define SPLIT_MIN (8u << 20)
/* where the 04 record is looked for: windows from the middle on */
#define SPLIT_WINDOW (64u << 10)
#define SPLIT_LOOK (4u << 20)

/*
 * The file offset of an 04 record's line past the middle of in, a large
 * regular file of which only the head is read yet (from start to end), or
 * 0: where the second half starts.
 */
static uint64_t split_point(const struct stimg_input *in, uint64_t start,
			    uint64_t end)
{
	static const char rec04[] = "\n:02000004";
	uint64_t at = start + (end - start) / 2, found = 0;
	uint64_t stop = at + SPLIT_LOOK;
	uint8_t *w;

	if (end - start < SPLIT_MIN || in->eol == '\r' || os_cpus() < 2)
		return 0;
	w = malloc(SPLIT_WINDOW);
	while (w && !found && at < stop) {
		long r = os_pread(in->fd, w, SPLIT_WINDOW, at);
		const uint8_t *p = r > 0 ? memmem(w, (size_t)r, rec04,
						  sizeof(rec04) - 1) : NULL;

		if (p)
			found = at + (uint64_t)(p - w) + 1;
		if (r < (long)SPLIT_WINDOW)
			break;
		at += SPLIT_WINDOW - (sizeof(rec04) - 1);
	}
	free(w);
	return found < end ? found : 0;
}

/*
 * One half's reading: what ihex_lines takes, and what it returned; the
 * first half's failure stops the second's tape, which is then not played.
 */
struct half {
	struct stimg_input *in;
	const struct stimg_sink *k;
	struct decoder *dec;
	struct ihex_state *st;
	struct stimg_diag *d;
	struct tape *stops;
	int ret;
};

static void half_read(void *arg)
{
	struct half *h = arg;

	h->ret = ihex_lines(h->in, h->k, h->dec, h->st, h->d);
	if (h->stops && h->ret)
		tape_stop(h->stops);
}

static void half_warned(void *ctx, const struct stimg_diag *w)
{
	(void)w;
	*(bool *)ctx = true;
}

/* 1 when in is not read in halves, else what reading all of it returned. */
static int ihex_halves(struct stimg_input *in, const struct stimg_sink *k,
		       struct decoder *dec, struct ihex_state *st,
		       struct stimg_diag *d)
{
	uint64_t start, end, at;
	struct stimg_input in2;
	struct ihex_state st2;
	struct stimg_sink k2;
	struct stimg_diag d2;
	struct half h[2];
	struct tape *tape;
	struct decoder *dec2;
	bool warned = false, played;
	int ret;

	if (!input_fresh(in, &start, &end) ||
	    !(at = split_point(in, start, end)))
		return 1;
	memset(&st2, 0, sizeof(st2));
	memset(&d2, 0, sizeof(d2));
	d2.warn = half_warned;
	d2.ctx = &warned;
	/* two hex digits a byte: the second half holds less data than this */
	tape = tape_new(&k2, (size_t)((end - at) / 2));
	dec2 = decode_new(true);
	if (!tape || !dec2 || input_open_shared(&in2, in, at, end)) {
		/* no memory for a second reader: one reads it all */
		tape_free(tape);
		free(dec2);
		return 1;
	}
	h[0] = (struct half){ in, k, dec, st, d, tape, STIMG_OK };
	h[1] = (struct half){ &in2, &k2, dec2, &st2, &d2, NULL, STIMG_OK };
	in->limit = at;
	os_both(half_read, &h[0], &h[1]);
	ret = h[0].ret;
	played = !ret && !st->dos_eof && !st->eof && in->at == at &&
		 in->pos == in->len && !h[1].ret && !warned && st2.eof &&
		 in2.eol == in->eol && !(st->started && tape_entry_point(tape));
	if (played) {
		ret = tape_play(tape, k, st->lineno, d);
		st->lineno += st2.lineno;
		st->records += st2.records;
		st->eof = true;
		st->started = st->started || st2.started;
		in->pos = in->len;
	}
	/* what the first half did not end as the second expects: read on */
	in->limit = 0;
	if (!played && !ret && !st->dos_eof) {
		in->eof = false;
		ret = ihex_lines(in, k, dec, st, d);
	}
	stimg_input_close(&in2);
	tape_free(tape);
	free(dec2);
	return ret;
}

static int ihex_read(struct stimg_input *in, const struct stimg_sink *k,
		     const struct stimg_read_opts *o, struct stimg_diag *d)
{
	struct decoder *dec = decode_new(true);
	struct ihex_state st;
	int ret;

	if (!dec)
		return STIMG_ENOMEM;
	memset(&st, 0, sizeof(st));
	input_skip_bom(in, d);
	ret = o->halves ? ihex_halves(in, k, dec, &st, d) : 1;
	if (ret == 1)
		ret = ihex_lines(in, k, dec, &st, d);
	free(dec);
	if (ret)
		return ret;
	if (!st.eof)
		return diag_set(d, in->name, st.lineno ? st.lineno : 1,
				STIMG_EFORMAT,
				"no end-of-file record (:00000001FF)");
	return STIMG_OK;
}

/* Formats one record of n data bytes into the output buffer. */
static void ihex_record(struct outbuf *ob, unsigned type, unsigned addr,
			const uint8_t *data, unsigned n, bool crlf)
{
	char *p = outbuf_reserve(ob, 11 + 2 * n + (crlf ? 2 : 1));
	unsigned sum = n + (addr >> 8) + (addr & 0xFF) + type;

	*p++ = ':';
	hex_put(p, (uint8_t)n);
	hex_put(p + 2, (uint8_t)(addr >> 8));
	hex_put(p + 4, (uint8_t)addr);
	hex_put(p + 6, (uint8_t)type);
	p += 8;
	if (n)		/* (a record without data may have none: NULL) */
		sum += ob->encode(p, data, n);
	p += 2 * n;
	hex_put(p, (uint8_t)-sum);
	p += 2;
	if (crlf)
		*p++ = '\r';
	*p = '\n';
}

/*
 * Records as the image's bytes come, in address order: each record holds
 * up to record-size bytes from where a run of data starts, and ends early
 * at a 64 KiB boundary (an 04 record addresses the next 64 KiB).
 */
struct ihex_stream {
	struct outbuf ob;
	struct text_opts o;
	unsigned upper;		/* of the last 04 record */
	bool started;
	uint64_t hi;		/* one past the last byte so far */
	uint32_t rs;		/* the address of the record being filled */
	unsigned n;		/* its bytes so far */
	uint8_t rec[255];
};

static void *ihex_stream_open(FILE *f, const void *opts)
{
	struct ihex_stream *s = malloc(sizeof(*s));

	if (s) {
		outbuf_init(&s->ob, f);
		s->o = *(const struct text_opts *)opts;
		s->upper = 0;
		s->started = false;
		s->hi = 0;
		s->n = 0;
	}
	return s;
}

/* Writes the record being filled, after an 04 record when it needs one. */
static void ihex_stream_flush(struct ihex_stream *s)
{
	if (!s->n)
		return;
	if (s->rs >> 16 != s->upper) {
		uint8_t u[2] = { (uint8_t)(s->rs >> 24), (uint8_t)(s->rs >> 16) };

		s->upper = s->rs >> 16;
		ihex_record(&s->ob, 4, 0, u, 2, s->o.crlf);
	}
	ihex_record(&s->ob, 0, s->rs & 0xFFFF, s->rec, s->n, s->o.crlf);
	s->n = 0;
}

static int ihex_stream_data(void *state, uint64_t addr, const uint8_t *p,
			    size_t len, struct stimg_diag *d)
{
	struct ihex_stream *s = state;

	(void)d;
	if (s->started && addr < s->hi)
		return STIMG_BACK;
	/* a gap: the run of data before it ends there */
	if (s->started && addr != s->hi)
		ihex_stream_flush(s);
	s->started = true;
	s->hi = addr + len;
	while (len) {
		unsigned k = s->o.record_size - s->n;
		uint32_t page = 0x10000 - ((uint32_t)addr & 0xFFFF);

		if (!s->n)
			s->rs = (uint32_t)addr;
		if (k > page)
			k = page;
		if (k > len)
			k = (unsigned)len;
		memcpy(s->rec + s->n, p, k);
		s->n += k;
		p += k;
		len -= k;
		addr += k;
		if (s->n == s->o.record_size || !(addr & 0xFFFF))
			ihex_stream_flush(s);
	}
	return s->ob.err;
}

static int ihex_stream_close(void *state, bool has_entry, uint32_t entry,
			     bool abort, struct stimg_diag *d)
{
	struct ihex_stream *s = state;
	int ret = STIMG_OK;

	(void)d;
	if (!abort) {
		ihex_stream_flush(s);
		if (has_entry) {
			uint8_t e[4] = { (uint8_t)(entry >> 24),
					 (uint8_t)(entry >> 16),
					 (uint8_t)(entry >> 8), (uint8_t)entry };

			ihex_record(&s->ob, 5, 0, e, 4, s->o.crlf);
		}
		ihex_record(&s->ob, 1, 0, NULL, 0, s->o.crlf);
		ret = outbuf_flush(&s->ob);
	}
	free(s);
	return ret;
}

static const struct stimg_stream_ops ihex_stream = {
	ihex_stream_open, ihex_stream_data, ihex_stream_close,
};

/* The image's chunks, in order, through the stream writer. */
static int ihex_write(const struct stimg_image *img, FILE *f, const void *opts,
		      struct stimg_diag *d)
{
	struct stimg_chunk c;
	uint64_t at = 0;
	uint32_t entry;
	bool has_entry = stimg_image_entry(img, &entry);
	void *s;
	int ret = text_opts_check(opts, d);

	if (ret)
		return ret;
	s = ihex_stream_open(f, opts);
	if (!s)
		return STIMG_ENOMEM;
	while (!ret && stimg_image_next_chunk(img, &at, &c))
		ret = ihex_stream_data(s, c.addr, c.data, c.len, d);
	return ihex_stream_close(s, has_entry, entry, ret != STIMG_OK, d) ?
	       STIMG_EIO : ret;
}

static const char *const ihex_extensions[] = { ".hex", ".ihex", ".ihx", NULL };

static const struct stimg_format_option ihex_options[] = {
	{ "record-size", "N", "data bytes per record, 1-255 (16)" },
	{ "crlf", NULL, "end records with CR LF" },
	{ NULL, NULL, NULL },
};

const struct stimg_format stimg__fmt_ihex = {
	.name = "ihex",
	.title = "Intel HEX",
	.extensions = ihex_extensions,
	.flags = STIMG_FORMAT_LINES,
	.detect = ihex_detect,
	.read = ihex_read,
	.write = ihex_write,
	.stream = &ihex_stream,
	.options = ihex_options,
	.opts_init = text_opts_init,
	.opts_set = text_opts_set,
};
