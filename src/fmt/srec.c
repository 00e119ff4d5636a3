/* Motorola S-record: S0 header, S1/S2/S3 data, S5/S6 counts, S7/S8/S9 entry. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "../internal.h"

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

static int srec_read(struct stimg_input *in, struct stimg_image *img,
		     const struct stimg_read_opts *o, struct stimg_diag *d)
{
	struct record r;
	unsigned long lineno = 0, records = 0;
	bool ended = false;
	const uint8_t *p;
	size_t n, col;
	uint32_t src;
	int ret;

	src = o->src;
	input_skip_bom(in, d);
	while ((ret = input_line(in, SREC_MAX_LINE, &p, &n, &col, lineno + 1,
				  d)) > 0) {
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
			ret = stimg_image_put(img, r.addr, r.data, r.len, src,
					      (uint32_t)lineno, o->overlap, d);
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
			img->entry = r.addr;
			img->has_entry = true;
			ended = true;
			break;
		}
	}
	return ret < 0 ? ret : STIMG_OK;
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
	for (i = 0; i < n; i++, p += 2) {
		hex_put(p, data[i]);
		sum += data[i];
	}
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

static int srec_write(const struct stimg_image *img, FILE *f,
		      const struct stimg_write_opts *o, struct stimg_diag *d)
{
	struct stimg_range span = stimg_image_span(img);
	struct outbuf *ob = NULL;
	uint32_t top = span.end ? (uint32_t)(span.end - 1) : 0;
	unsigned type, size = o->record_size ? o->record_size : 16;
	unsigned long records = 0;
	size_t i;
	int ret = STIMG_OK;

	/* the termination record must hold the entry point too */
	if (img->has_entry && img->entry > top)
		top = img->entry;
	type = o->srec_type ? o->srec_type : type_for(top);
	if (type < 1 || type > 3) {
		ret = diag_set(d, NULL, 0, STIMG_EINVAL,
			       "S-record type is %u, expected 1, 2 or 3", type);
		goto out;
	}
	if (type < type_for(top)) {
		ret = diag_set(d, NULL, 0, STIMG_EINVAL,
			       "S%u records cannot hold address 0x%08" PRIX32
			       "; use --srec-type %u", type, top, type_for(top));
		goto out;
	}
	if (size > 255) {
		ret = diag_set(d, NULL, 0, STIMG_EINVAL,
			       "record size is %u, expected 1 to 255", size);
		goto out;
	}
	/* the count byte (address + data + checksum) must stay <= 255 */
	if (size > 255 - addr_len[type] - 1)
		size = 255 - addr_len[type] - 1;
	ob = malloc(sizeof(*ob));
	if (!ob) {
		ret = STIMG_ENOMEM;
		goto out;
	}
	ob->f = f;
	ob->len = 0;
	ob->err = STIMG_OK;
	srec_record(ob, 0, 0, NULL, 0, o->crlf);
	/* every address fits the type, so no record wraps past its width */
	for (i = 0; i < img->nseg; i++) {
		const struct stimg_segment *s = &img->seg[i];
		const uint8_t *p = s->data, *end = s->data + s->size;
		uint32_t addr = s->addr;

		while (p < end) {
			unsigned n = (size_t)(end - p) < size ? (unsigned)(end - p)
							      : size;

			srec_record(ob, type, addr, p, n, o->crlf);
			p += n;
			addr += n;
			records++;
		}
	}
	if (records <= 0xFFFF)
		srec_record(ob, 5, (uint32_t)records, NULL, 0, o->crlf);
	else if (records <= 0xFFFFFF)
		srec_record(ob, 6, (uint32_t)records, NULL, 0, o->crlf);
	/*
	 * S9, S8, S7 end S1, S2, S3 data and carry the entry point; without
	 * one there is none, as srec_cat writes it: a termination address of
	 * 0 would read back as an entry point at 0.
	 */
	if (img->has_entry)
		srec_record(ob, 10 - type, img->entry, NULL, 0, o->crlf);
	ret = outbuf_flush(ob);
out:
	free(ob);
	return ret;
}

static const char *const srec_extensions[] = {
	".srec", ".s19", ".s28", ".s37", ".mot", NULL
};

const struct stimg_format stimg_fmt_srec = {
	"srec", "Motorola S-record", srec_extensions, srec_detect, srec_read,
	srec_write,
};
