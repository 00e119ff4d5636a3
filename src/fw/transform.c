/*
 * The transforms: crop, exclude, offset, fill, the entry point's policy
 * over many inputs, and strip, which drops bytes and says why.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "fw/fw.h"
#include "stimg/transform.h"

void stimg_transform_init(struct stimg_transform *t)
{
	memset(t, 0, sizeof(*t));
	t->fill_byte = 0xFF;
}

void stimg_transform_release(struct stimg_transform *t)
{
	stimg_ranges_release(&t->crop);
	stimg_ranges_release(&t->exclude);
}

void entry_pick(struct entry_pick *e, const struct stimg_transform *t,
		const char *spec, uint32_t entry, struct stimg_diag *d)
{
	if (!e->has || t->entry == STIMG_ENTRY_LAST) {
		if (e->has && entry != e->entry)
			diag_note(d, NULL, 0, "entry point 0x%08" PRIX32 " of %s "
				  "replaces 0x%08" PRIX32 " of %s", entry, spec,
				  e->entry, e->from);
		e->entry = entry;
		e->from = spec;
		e->has = true;
	} else if (entry != e->entry && t->entry == STIMG_ENTRY_FIRST) {
		diag_note(d, NULL, 0, "entry point 0x%08" PRIX32 " of %s differs; "
			  "keeping 0x%08" PRIX32 " of %s", entry, spec, e->entry,
			  e->from);
	}
}

bool entry_final(const struct entry_pick *e, const struct stimg_transform *t,
		 uint32_t *entry)
{
	*entry = t->entry == STIMG_ENTRY_ADDR ? t->entry_addr : e->entry;
	return t->entry == STIMG_ENTRY_ADDR ||
	       (e->has && t->entry != STIMG_ENTRY_NONE);
}

int stimg_read_inputs(struct stimg_image *img, char *const *specs, size_t n,
		      const char *format, enum stimg_overlap overlap,
		      const struct stimg_transform *t, struct stimg_diag *d)
{
	struct entry_pick pick = { false, 0, NULL };
	size_t i;
	int ret = STIMG_OK;

	for (i = 0; i < n && !ret; i++) {
		const struct stimg_source *s;

		ret = stimg_read(img, specs[i], format, overlap, NULL, d);
		if (ret)
			break;
		s = stimg_image_source(img, (uint32_t)stimg_image_nsources(img) - 1);
		if (s->has_entry)
			entry_pick(&pick, t, specs[i], s->entry, d);
	}
	stimg_image_set_entry(img, pick.has && t->entry != STIMG_ENTRY_NONE,
			      pick.entry);
	return ret;
}

int stimg_image_exclude(struct stimg_image *img,
			const struct stimg_ranges *drop)
{
	return stimg_image_remove(img, drop);
}

/*
 * Crop is exclude of the rest:
 *
 *     [=====data=====]      [==data==]
 *           [=======keep=======]
 *     [gone][=kept===]      [k][gone=]
 */
int stimg_image_crop(struct stimg_image *img, const struct stimg_ranges *keep)
{
	struct stimg_ranges rest = STIMG_RANGES_INIT;
	int ret;

	ret = stimg_ranges_add(&rest, 0, STIMG_ADDR_END);
	if (!ret)
		ret = stimg_ranges_subtract(&rest, keep);
	if (!ret)
		ret = stimg_image_remove(img, &rest);
	stimg_ranges_release(&rest);
	return ret;
}

int stimg_image_offset(struct stimg_image *img, int64_t delta,
		       struct stimg_diag *d)
{
	return stimg_image_move(img, delta, d);
}

int stimg_transform_apply(struct stimg_image *img,
			  const struct stimg_transform *t, struct stimg_diag *d)
{
	int ret = STIMG_OK;

	if (t->has_crop)
		ret = stimg_image_crop(img, &t->crop);
	if (!ret && t->exclude.n)
		ret = stimg_image_exclude(img, &t->exclude);
	if (!ret && t->offset)
		ret = stimg_image_offset(img, t->offset, d);
	if (!ret && t->fill) {
		struct stimg_range r = t->has_fill_range ? t->fill_range
							  : stimg_image_span(img);

		ret = stimg_image_fill(img, t->fill_byte, &r);
	}
	if (!ret && t->entry == STIMG_ENTRY_ADDR)
		stimg_image_set_entry(img, true, t->entry_addr);
	return ret;
}

/* Counts the bytes that are neither 0x00 nor 0xFF, noting the first. */
struct odd_bytes {
	uint64_t at, n, first;
	uint8_t firstb;
};

static int count_odd(void *ctx, const uint8_t *p, size_t n)
{
	struct odd_bytes *o = ctx;
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] != 0x00 && p[i] != 0xFF && !o->n++) {
			o->first = o->at + i;
			o->firstb = p[i];
		}
	}
	o->at += n;
	return 0;
}

/* Records [start, end) as dropped for why; warns when it held real data. */
static int drop_range(struct stimg_image *img, uint64_t start, uint64_t end,
		      const char *why, struct stimg_diag *d)
{
	struct stimg_range r = { start, end }, rec;
	struct odd_bytes odd = { start, 0, 0, 0 };
	uint32_t src = 0, line;

	stimg_image_walk(img, &r, 0x00, count_odd, &odd);
	if (odd.n)
		diag_warn(d, NULL, 0,
			  "dropped bytes at 0x%08" PRIX64 "..0x%08" PRIX64
			  " are not all 0x00 or 0xFF: %" PRIu64 " differ, the "
			  "first 0x%02X at 0x%08" PRIX64,
			  start, end - 1, odd.n, odd.firstb, odd.first);
	/* the source of the first byte, as far as the image knows it */
	if (!stimg_image_origin(img, (uint32_t)start, &src, &line, &rec))
		src = 0;
	return stimg_image_add_dropped(img, start, end, src, why);
}

int stimg_image_strip(struct stimg_image *img, uint64_t origin, uint64_t end,
		      struct stimg_diag *d)
{
	struct stimg_ranges data = STIMG_RANGES_INIT, keep = STIMG_RANGES_INIT;
	char why[64];
	size_t i;
	int ret;

	if (origin >= end)
		return diag_set(d, NULL, 0, STIMG_EINVAL,
				"the origin 0x%08" PRIX64 " is not below the end "
				"0x%08" PRIX64, origin, end);
	ret = stimg_image_ranges(img, &data);
	if (!ret)
		ret = stimg_ranges_add(&keep, origin, end);
	/* each data region: the part below origin, the part from end on */
	for (i = 0; i < data.n && !ret; i++) {
		uint64_t lo = data.v[i].start, hi = data.v[i].end;

		if (lo < origin) {
			snprintf(why, sizeof(why), "below the origin 0x%08" PRIX64,
				 origin);
			ret = drop_range(img, lo, hi < origin ? hi : origin,
					 why, d);
		}
		if (!ret && hi > end) {
			snprintf(why, sizeof(why), "at or above the end 0x%08"
				 PRIX64, end);
			ret = drop_range(img, lo > end ? lo : end, hi, why, d);
		}
	}
	if (!ret)
		ret = stimg_image_crop(img, &keep);
	stimg_ranges_release(&data);
	stimg_ranges_release(&keep);
	return ret;
}

