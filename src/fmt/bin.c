/* Raw binary: read at an explicit address, written from a base with fill. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "../internal.h"

static int bin_read(struct stimg_input *in, struct stimg_image *img,
		    const struct stimg_read_opts *o, struct stimg_diag *d)
{
	uint8_t *data;
	size_t len;
	uint32_t src;
	int ret;

	src = o->src;
	ret = stimg_input_slurp(in, STIMG_ADDR_END - o->addr, &data,
					&len, d);
	if (!ret)
		ret = image_take(img, o->addr, data, len, src, o->overlap, d);
	return ret;
}

/* "0x08000000..0x0800FFFF (64 KiB), ..." for the first regions of img. */
static void list_regions(const struct stimg_image *img, char *buf, size_t n)
{
	size_t i, at = 0;

	buf[0] = '\0';
	for (i = 0; i < img->nseg && at < n; i++) {
		const struct stimg_segment *s = &img->seg[i];

		if (i == 8) {
			snprintf(buf + at, n - at, ", and %zu more",
				 img->nseg - i);
			break;
		}
		at += (size_t)snprintf(buf + at, n - at,
				       "%s0x%08" PRIX32 "..0x%08" PRIX64 " (%zu bytes)",
				       i ? ", " : "", s->addr,
				       (uint64_t)s->addr + s->size - 1, s->size);
	}
}

static int write_fill(FILE *f, uint8_t fill, uint64_t n)
{
	uint8_t block[4096];

	memset(block, fill, sizeof(block));
	while (n) {
		size_t k = n < sizeof(block) ? (size_t)n : sizeof(block);

		if (fwrite(block, 1, k, f) != k)
			return STIMG_EIO;
		n -= k;
	}
	return STIMG_OK;
}

static int bin_write(const struct stimg_image *img, FILE *f,
		     const struct stimg_write_opts *o, struct stimg_diag *d)
{
	struct stimg_range span = stimg_image_span(img);
	uint64_t base = o->has_base ? o->base : span.start;
	uint64_t end = o->has_end ? o->end : span.end, at;
	size_t i;
	int ret = STIMG_OK;

	if (end < base)
		end = base;
	if (o->max_size && end - base > o->max_size) {
		char regions[700];

		list_regions(img, regions, sizeof(regions));
		return diag_set(d, NULL, 0, STIMG_ECHECK,
				"a binary of 0x%08" PRIX64 "..0x%08" PRIX64
				" would be %" PRIu64 " bytes, more than the "
				"maximum of %" PRIu64 "; the image holds %s; "
				"use --crop, --base/--end or --split",
				base, end - 1, end - base, o->max_size, regions);
	}
	at = base;
	for (i = 0; i < img->nseg && !ret; i++) {
		const struct stimg_segment *s = &img->seg[i];
		uint64_t lo = s->addr > at ? s->addr : at;
		uint64_t hi = (uint64_t)s->addr + s->size;

		if (hi > end)
			hi = end;
		if (lo >= hi)
			continue;
		ret = write_fill(f, o->fill, lo - at);
		if (!ret && fwrite(s->data + (lo - s->addr), 1, hi - lo, f) != hi - lo)
			ret = STIMG_EIO;
		at = hi;
	}
	if (!ret && at < end)
		ret = write_fill(f, o->fill, end - at);
	return ret;
}

static const char *const bin_extensions[] = { ".bin", NULL };

const struct stimg_format stimg_fmt_bin = {
	"bin", "raw binary", bin_extensions, NULL, bin_read, bin_write,
};
