/* Motorola S-record: S0 header, S1/S2/S3 data, S5/S6 counts, S7/S8/S9 entry. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "fmt/fmt.h"

/* 'S', type, (count, up to 255 further bytes) in hex, + slack */
#define SREC_MAX_LINE 1024

/* Address bytes of each record type; S4 is reserved. */
static const unsigned addr_len[10] = { 2, 2, 3, 4, 0, 2, 3, 4, 3, 2 };

/* S0-S9 as the first non-blank text: blank lines may come first */
static bool srec_detect(const uint8_t *buf, size_t len)
{
	size_t i = utf8_bom(buf, len);

	while (i < len && (is_blank(buf[i]) || buf[i] == '\n'))
		i++;
	return len - i >= 2 && buf[i] == 'S' && buf[i + 1] >= '0' &&
	       buf[i + 1] <= '9';
}

/* One decoded record; data points into b. */
struct record {
	uint8_t b[256];		/* count, address, data, checksum */
	unsigned type;
	uint32_t addr;
	const uint8_t *data;
	unsigned len;
};

/*
 * Checks one trimmed line p[0..n), whose first character is in column col,
 * as a record and decodes it into r.
 */
static int parse(const char *name, unsigned long lineno, const uint8_t *p,
		 size_t n, size_t col, struct record *r, struct stimg_diag *d)
{
	uint8_t *rec = r->b;
	unsigned count, alen, sum = 0, i;
	size_t bytes;
	int ret;

	if (p[0] != 'S')
		return diag_set(d, name, lineno, STIMG_EFORMAT,
				"a record starts with 'S', not '%c'",
				printable(p[0]));
	if (n < 4)
		return diag_set(d, name, lineno, STIMG_EFORMAT,
				"record is too short (%zu characters)", n);
	if (p[1] < '0' || p[1] > '9')
		return diag_set(d, name, lineno, STIMG_EFORMAT,
				"unknown record type 'S%c'", printable(p[1]));
	r->type = (unsigned)(p[1] - '0');
	if (r->type == 4)
		return diag_set(d, name, lineno, STIMG_EFORMAT,
				"reserved record type S4");
	if (n % 2)
		return diag_set(d, name, lineno, STIMG_EFORMAT,
				"record has an odd number of hex digits");
	/* the count first: it bounds what the rest may write into rec */
	ret = hex_decode(name, lineno, p + 2, 2, col + 2, rec, &sum, d);
	if (ret)
		return ret;
	bytes = (n - 2) / 2;
	count = rec[0];
	if (count != bytes - 1)
		return diag_set(d, name, lineno, STIMG_EFORMAT,
				"byte count is 0x%02X but the record holds %zu bytes",
				count, bytes - 1);
	ret = hex_decode(name, lineno, p + 4, n - 4, col + 4, rec + 1, &sum, d);
	if (ret)
		return ret;
	alen = addr_len[r->type];
	if (count < alen + 1)
		return diag_set(d, name, lineno, STIMG_EFORMAT,
				"byte count is 0x%02X but an S%u record needs "
				"at least 0x%02X", count, r->type, alen + 1);
	sum -= rec[count];	/* the checksum covers the bytes before it */
	if (rec[count] != (~sum & 0xFF))
		return diag_set(d, name, lineno, STIMG_EFORMAT,
				"record checksum is 0x%02X, expected 0x%02X",
				rec[count], ~sum & 0xFF);
	r->addr = 0;
	for (i = 1; i <= alen; i++)
		r->addr = r->addr << 8 | rec[i];
	r->data = rec + 1 + alen;
	r->len = count - alen - 1;
	/* counts and entry points have no data field */
	if (r->type >= 5 && r->len)
		return diag_set(d, name, lineno, STIMG_EFORMAT,
				"S%u record has %u data bytes, expected 0",
				r->type, r->len);
	return STIMG_OK;
}

/* The records of in, the common ones through dec's kernels. */
static int srec_lines(struct stimg_input *in, const struct stimg_sink *k,
		      struct decoder *dec, struct stimg_diag *d)
{
	struct record r;
	unsigned long lineno = 0, records = 0;
	bool ended = false;
	const uint8_t *p;
	size_t n, col;
	int ret;

	input_skip_bom(in, d);
	for (;;) {
		/* the common data records, many at a time */
		ret = ended ? STIMG_OK
		      : decode_lines(dec, in, k, 0, &lineno, &records, d);
		if (ret)
			break;
		ret = input_line(in, SREC_MAX_LINE, &p, &n, &col, lineno + 1, d);
		if (ret <= 0)
			break;
		lineno++;
		if (!n)
			continue;
		if (ended)
			return diag_set(d, in->name, lineno, STIMG_EFORMAT,
					"text after the termination record");
		ret = parse(in->name, lineno, p, n, col, &r, d);
		if (ret)
			return ret;
		switch (r.type) {
		case 0:
			break;
		case 1:
		case 2:
		case 3:
			ret = k->data(k->ctx, r.addr, r.data, r.len,
				      (uint32_t)lineno, 0, d);
			if (ret)
				return ret;
			records++;
			break;
		case 5:
		case 6:
			if (r.addr != records)
				return diag_set(d, in->name, lineno, STIMG_EFORMAT,
						"record count is %" PRIu32
						" but the file has %lu data records",
						r.addr, records);
			break;
		default:
			ended = true;
			ret = k->entry(k->ctx, r.addr);
			if (ret)
				return ret;
			break;
		}
	}
	return ret;
}

static int srec_read(struct stimg_input *in, const struct stimg_sink *k,
		     const struct stimg_read_opts *o, struct stimg_diag *d)
{
	struct decoder *dec = decode_new(false);
	int ret;

	(void)o;
	if (!dec)
		return STIMG_ENOMEM;
	ret = srec_lines(in, k, dec, d);
	free(dec);
	return ret;
}

/* Formats record S<type> with n data bytes into the output buffer. */
static void srec_record(struct outbuf *ob, unsigned type, uint32_t addr,
			const uint8_t *data, unsigned n, bool crlf)
{
	unsigned alen = addr_len[type], count = alen + n + 1, sum = count, i;
	char *p = outbuf_reserve(ob, 4 + 2 * (alen + n + 1) + (crlf ? 2 : 1));

	*p++ = 'S';
	*p++ = (char)('0' + type);
	hex_put(p, (uint8_t)count);
	p += 2;
	for (i = alen; i-- > 0; p += 2) {
		uint8_t b = (uint8_t)(addr >> 8 * i);

		hex_put(p, b);
		sum += b;
	}
	if (n)		/* (a record without data may have none: NULL) */
		sum += ob->encode(p, data, n);
	p += 2 * n;
	hex_put(p, (uint8_t)~sum);
	p += 2;
	if (crlf)
		*p++ = '\r';
	*p = '\n';
}

/* The smallest data record type (1, 2, 3) whose address holds addr. */
static unsigned type_for(uint32_t addr)
{
	return addr < 0x10000 ? 1 : addr < 0x1000000 ? 2 : 3;
}

/* Data records of one region, cut into records from its start. */
struct srec_out {
	struct outbuf *ob;
	unsigned type, size;
	bool crlf;
	uint32_t addr;		/* of the record being collected */
	uint8_t rec[255];
	unsigned n;
	unsigned long records;
};

static void srec_emit(struct srec_out *w)
{
	srec_record(w->ob, w->type, w->addr, w->rec, w->n, w->crlf);
	w->addr += w->n;
	w->n = 0;
	w->records++;
}

static int srec_data(void *ctx, const uint8_t *p, size_t len)
{
	struct srec_out *w = ctx;

	while (len) {
		unsigned k = w->size - w->n < len ? w->size - w->n : (unsigned)len;

		memcpy(w->rec + w->n, p, k);
		w->n += k;
		p += k;
		len -= k;
		if (w->n == w->size)
			srec_emit(w);
	}
	return 0;
}

static int srec_write(const struct stimg_image *img, FILE *f, const void *opts,
		      struct stimg_diag *d)
{
	const struct text_opts *o = opts;
	struct stimg_range span = stimg_image_span(img), r;
	struct srec_out w = { NULL, 0, o->record_size, o->crlf, 0, { 0 }, 0, 0 };
	uint32_t top = span.end ? (uint32_t)(span.end - 1) : 0, entry;
	bool has_entry = stimg_image_entry(img, &entry);
	uint64_t at = 0;
	int ret = STIMG_OK;

	ret = text_opts_check(o, d);
	if (ret)
		goto out;
	/* the termination record must hold the entry point too */
	if (has_entry && entry > top)
		top = entry;
	w.type = o->srec_type ? o->srec_type : type_for(top);
	if (w.type < type_for(top)) {
		ret = diag_set(d, NULL, 0, STIMG_EINVAL,
			       "S%u records cannot hold address 0x%08" PRIX32
			       "; use --srec-type %u", w.type, top, type_for(top));
		goto out;
	}
	/* the count byte (address + data + checksum) must stay <= 255 */
	if (w.size > 255 - addr_len[w.type] - 1)
		w.size = 255 - addr_len[w.type] - 1;
	w.ob = malloc(sizeof(*w.ob));
	if (!w.ob) {
		ret = STIMG_ENOMEM;
		goto out;
	}
	outbuf_init(w.ob, f);
	srec_record(w.ob, 0, 0, NULL, 0, o->crlf);
	/* every address fits the type, so no record wraps past its width */
	while (stimg_image_next_region(img, &at, &r)) {
		w.addr = (uint32_t)r.start;
		stimg_image_walk(img, &r, 0, srec_data, &w);
		if (w.n)
			srec_emit(&w);
	}
	if (w.records <= 0xFFFF)
		srec_record(w.ob, 5, (uint32_t)w.records, NULL, 0, o->crlf);
	else if (w.records <= 0xFFFFFF)
		srec_record(w.ob, 6, (uint32_t)w.records, NULL, 0, o->crlf);
	/*
	 * S9, S8, S7 end S1, S2, S3 data and carry the entry point; without
	 * one there is none, as srec_cat writes it: a termination address of
	 * 0 would read back as an entry point at 0.
	 */
	if (has_entry)
		srec_record(w.ob, 10 - w.type, entry, NULL, 0, o->crlf);
	ret = outbuf_flush(w.ob);
out:
	free(w.ob);
	return ret;
}

static const char *const srec_extensions[] = {
	".srec", ".s19", ".s28", ".s37", ".mot", NULL
};

static const struct stimg_format_option srec_options[] = {
	{ "record-size", "N", "data bytes per record, 1-255 (16)" },
	{ "srec-type", "1|2|3", "S1/S2/S3 records (default: smallest that fits)" },
	{ "crlf", NULL, "end records with CR LF" },
	{ NULL, NULL, NULL },
};

const struct stimg_format stimg__fmt_srec = {
	.name = "srec",
	.title = "Motorola S-record",
	.extensions = srec_extensions,
	.flags = STIMG_FORMAT_LINES,
	.detect = srec_detect,
	.read = srec_read,
	.write = srec_write,
	.options = srec_options,
	.opts_init = text_opts_init,
	.opts_set = text_opts_set,
};
