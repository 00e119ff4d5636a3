/* The convert/merge engine: many inputs, one image, transforms in order. */
#include <inttypes.h>
#include <string.h>

#include "internal.h"
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

int stimg_read_inputs(struct stimg_image *img, char *const *specs, size_t n,
		      const char *format, enum stimg_overlap overlap,
		      const struct stimg_transform *t, struct stimg_diag *d)
{
	const char *kept_from = NULL;
	bool has = false;
	uint32_t entry = 0;
	size_t i;
	int ret = STIMG_OK;

	for (i = 0; i < n && !ret; i++) {
		img->has_entry = false;
		ret = stimg_read(img, specs[i], format, overlap, NULL, d);
		if (ret || !img->has_entry)
			continue;
		if (!has || t->entry == STIMG_ENTRY_LAST) {
			if (has && entry != img->entry)
				diag_note(d, NULL, 0,
					  "entry point 0x%08" PRIX32 " of %s "
					  "replaces 0x%08" PRIX32 " of %s",
					  img->entry, specs[i], entry, kept_from);
			entry = img->entry;
			kept_from = specs[i];
			has = true;
		} else if (entry != img->entry && t->entry == STIMG_ENTRY_FIRST) {
			diag_note(d, NULL, 0,
				  "entry point 0x%08" PRIX32 " of %s differs; "
				  "keeping 0x%08" PRIX32 " of %s",
				  img->entry, specs[i], entry, kept_from);
		}
	}
	img->entry = entry;
	img->has_entry = has && t->entry != STIMG_ENTRY_NONE;
	return ret;
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
	if (!ret && t->entry == STIMG_ENTRY_ADDR) {
		img->entry = t->entry_addr;
		img->has_entry = true;
	}
	return ret;
}
