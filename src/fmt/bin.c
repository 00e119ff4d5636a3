/* Raw binary: read at an explicit address, written from a base with fill. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "fmt/fmt.h"

/* Read in the input's chunks: the image holds the bytes once. */
static int bin_read(struct stimg_input *in, const struct stimg_sink *k,
		    const struct stimg_read_opts *o, struct stimg_diag *d)
{
	uint64_t at = o->addr, room = STIMG_ADDR_END - o->addr;
	int ret = STIMG_OK;

	for (;;) {
		size_t n = in->len - in->pos;

		if (n > room - (at - o->addr))
			return diag_set(d, in->name, 0, STIMG_ERANGE,
					"file is larger than the %llu bytes that "
					"fit below 4 GiB", (unsigned long long)room);
		ret = k->data(k->ctx, at, in->buf + in->pos, n, 0, 0, d);
		if (ret)
			return ret;
		at += n;
		in->pos = in->len;
		if (in->eof)
			return STIMG_OK;
		ret = stimg_input_fill(in, d);
		if (ret)
			return ret;
	}
}

/* "0x08000000..0x0800FFFF (65536 bytes), ...": the first regions of img. */
static void list_regions(const struct stimg_image *img, char *buf, size_t n)
{
	struct stimg_range r;
	uint64_t at = 0;
	size_t i = 0, len = 0;

	buf[0] = '\0';
	while (stimg_image_next_region(img, &at, &r) && len < n) {
		if (i++ == 8) {
			size_t more = 1;

			while (stimg_image_next_region(img, &at, &r))
				more++;
			snprintf(buf + len, n - len, ", and %zu more", more);
			break;
		}
		len += (size_t)snprintf(buf + len, n - len,
					"%s0x%08" PRIX64 "..0x%08" PRIX64
					" (%" PRIu64 " bytes)", i > 1 ? ", " : "",
					r.start, r.end - 1, r.end - r.start);
	}
}

int bin_check_size(const struct stimg_image *img, uint64_t base, uint64_t end,
		   uint64_t max, struct stimg_diag *d)
{
	char regions[700];

	if (!max || end - base <= max)
		return STIMG_OK;
	list_regions(img, regions, sizeof(regions));
	return diag_set(d, NULL, 0, STIMG_ECHECK,
			"a binary of 0x%08" PRIX64 "..0x%08" PRIX64 " would be %"
			PRIu64 " bytes, more than the maximum of %" PRIu64 "; the "
			"image holds %s; use --crop, --base/--end or --split",
			base, end - 1, end - base, max, regions);
}

static int write_bytes(void *ctx, const uint8_t *p, size_t n)
{
	return fwrite(p, 1, n, ctx) == n ? STIMG_OK : STIMG_EIO;
}

static void bin_opts_init(void *opts)
{
	struct bin_opts *o = opts;

	memset(o, 0, sizeof(*o));
	o->fill = 0xFF;
	o->max_size = 64u << 20;
}

static int bin_write(const struct stimg_image *img, FILE *f, const void *opts,
		     struct stimg_diag *d)
{
	const struct bin_opts *o = opts;
	struct stimg_range span = stimg_image_span(img), r;
	int ret;

	r.start = o->has_base ? o->base : span.start;
	r.end = o->has_end ? o->end : span.end;
	if (r.end < r.start)
		r.end = r.start;
	ret = bin_check_size(img, r.start, r.end, o->max_size, d);
	if (ret)
		return ret;
	return stimg_image_walk(img, &r, o->fill, write_bytes, f);
}

/* The file written as the records come: see struct stimg_stream_ops. */
struct bin_stream {
	FILE *f;
	struct bin_opts o;
	bool started;
	uint64_t base;		/* the file's first address */
	uint64_t at;		/* the next address the file gets */
	uint64_t hi;		/* one past the highest record so far */
};

static void *bin_stream_open(FILE *f, const void *opts)
{
	struct bin_stream *s = calloc(1, sizeof(*s));

	if (s) {
		s->f = f;
		s->o = *(const struct bin_opts *)opts;
	}
	return s;
}

/* Fill from s->at to to, unless that makes the file larger than allowed. */
static int bin_stream_fill(struct bin_stream *s, uint64_t to)
{
	uint8_t b[4096];

	if (s->o.max_size && to - s->base > s->o.max_size)
		return STIMG_BACK;	/* the image's writer says why */
	if (s->at < to)
		memset(b, s->o.fill, sizeof(b));
	while (s->at < to) {
		size_t n = to - s->at < sizeof(b) ? (size_t)(to - s->at)
						   : sizeof(b);

		if (fwrite(b, 1, n, s->f) != n)
			return STIMG_EIO;
		s->at += n;
	}
	return STIMG_OK;
}

/*
 * Records strictly in order, none below another's end, so that skipping
 * the bytes outside [base, end) can hide no conflict.
 */
static int bin_stream_data(void *state, uint64_t addr, const uint8_t *p,
			   size_t len, struct stimg_diag *d)
{
	struct bin_stream *s = state;
	uint64_t lo = addr, hi = addr + len;
	int ret;

	(void)d;
	if (s->started && addr < s->hi)
		return STIMG_BACK;
	if (!s->started)
		s->base = s->at = s->o.has_base ? s->o.base : addr;
	s->started = true;
	s->hi = hi;
	if (lo < s->base)
		lo = s->base;
	if (s->o.has_end && hi > s->o.end)
		hi = s->o.end;
	if (lo >= hi)
		return STIMG_OK;
	ret = bin_stream_fill(s, lo);
	if (!ret && s->o.max_size && hi - s->base > s->o.max_size)
		ret = STIMG_BACK;
	if (!ret && fwrite(p + (lo - addr), 1, hi - lo, s->f) != hi - lo)
		ret = STIMG_EIO;
	if (!ret)
		s->at = hi;
	return ret;
}

static int bin_stream_close(void *state, bool has_entry, uint32_t entry,
			    bool abort, struct stimg_diag *d)
{
	struct bin_stream *s = state;
	int ret = STIMG_OK;

	(void)has_entry;
	(void)entry;
	(void)d;
	if (!abort && s->o.has_end && s->started)
		ret = bin_stream_fill(s, s->o.end);
	free(s);
	return ret;
}

static const struct stimg_stream_ops bin_stream = {
	bin_stream_open, bin_stream_data, bin_stream_close,
};

static const char *const bin_extensions[] = { ".bin", NULL };

const struct stimg_format stimg__fmt_bin = {
	.name = "bin",
	.title = "raw binary",
	.extensions = bin_extensions,
	.flags = STIMG_FORMAT_NEEDS_ADDRESS,
	.read = bin_read,
	.write = bin_write,
	.stream = &bin_stream,
	.opts_init = bin_opts_init,
};
