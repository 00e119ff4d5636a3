/*
 * MCUboot images over a struct stimg_image: the slot's bytes as one
 * buffer for signing, reading and verifying, and a signed buffer back as
 * the image to write.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "stimg/mcuboot.h"
#include "fw/fw.h"

bool stimg_mcuboot_detect_image(const struct stimg_image *img)
{
	uint8_t b[4];

	return stimg_image_get(img, (uint32_t)stimg_image_span(img).start, b,
			       sizeof(b)) && stimg_mcuboot_detect(b, sizeof(b));
}

static int copy_out(void *ctx, const uint8_t *p, size_t n)
{
	uint8_t **at = ctx;

	memcpy(*at, p, n);
	*at += n;
	return STIMG_OK;
}

int stimg_mcuboot_slot_read(const struct stimg_image *img, size_t max,
			    uint8_t **data, size_t *len, uint32_t *addr,
			    struct stimg_diag *d)
{
	struct stimg_range span = stimg_image_span(img);
	uint64_t n = span.end - span.start;
	uint8_t *at;

	*data = NULL;
	*len = 0;
	*addr = (uint32_t)span.start;
	if (!n)
		return diag_set(d, NULL, 0, STIMG_ECHECK, "the image holds no data");
	if (n > max)
		return diag_set(d, NULL, 0, STIMG_ECHECK,
				"the image spans 0x%08" PRIX64 "..0x%08" PRIX64
				" (0x%" PRIX64 " bytes), more than the 0x%zX of a "
				"slot", span.start, span.end - 1, n, max);
	at = *data = malloc((size_t)n);
	if (!at)
		return STIMG_ENOMEM;
	*len = (size_t)n;
	/* copy_out cannot fail: the walk can only succeed */
	return stimg_image_walk(img, &span, 0xFF, copy_out, &at);
}

/* Puts n bytes of the signed image s, from off, at slot + off in out. */
static int put(struct stimg_image *out, uint32_t src, uint32_t slot,
	       const struct stimg_mcuboot_signed *s, size_t off, size_t n,
	       struct stimg_diag *d)
{
	return stimg_image_put(out, (uint64_t)slot + off, s->data + off, n, src,
			       0, STIMG_OVERLAP_ERROR, d);
}

int stimg_mcuboot_sign_image(const struct stimg_image *img,
			     const struct stimg_mcuboot_sign_opts *o,
			     struct stimg_mcuboot_signed *s,
			     struct stimg_image *out, struct stimg_diag *d)
{
	struct stimg_mcuboot_sign_opts so = *o;
	struct stimg_range span = stimg_image_span(img);
	uint64_t added = o->pad_header ? o->header_size : 0;
	uint8_t *payload = NULL;
	uint32_t slot = 0, src = 0, entry;
	unsigned max_align = 0;
	size_t len = 0;
	int ret;

	memset(s, 0, sizeof(*s));
	ret = mcuboot_check_opts(o, &max_align, d);
	/* before the copy: a span too large for the slot is never allocated */
	if (!ret && o->slot_size && span.end > span.start &&
	    span.end - span.start + added > o->slot_size)
		ret = diag_set(d, NULL, 0, STIMG_ECHECK,
			       "image too large for the slot: the input spans "
			       "0x%08" PRIX64 "..0x%08" PRIX64 " (0x%" PRIX64
			       " bytes)%s, more than the slot size 0x%" PRIX32,
			       span.start, span.end - 1, span.end - span.start,
			       added ? " and the header goes before it" : "",
			       o->slot_size);
	if (!ret)
		ret = stimg_mcuboot_slot_read(img, STIMG_MCUBOOT_SLOT_MAX,
					      &payload, &len, &so.base, d);
	if (!ret && added > so.base)
		ret = diag_set(d, NULL, 0, STIMG_ERANGE,
			       "the 0x%" PRIX64 "-byte header does not fit below "
			       "the input's lowest address 0x%08" PRIX32, added,
			       so.base);
	if (!ret)
		ret = stimg_mcuboot_sign(payload, len, &so, s, d);
	slot = so.base - (uint32_t)added;
	if (!ret && s->len > STIMG_ADDR_END - slot)
		ret = diag_set(d, NULL, 0, STIMG_ERANGE,
			       "the signed image at 0x%08" PRIX32 " (0x%zX bytes) "
			       "runs past 4 GiB", slot, s->len);
	if (!ret)
		ret = stimg_image_add_source(out, "stimg sign", NULL, NULL, &src);
	if (!ret)
		ret = put(out, src, slot, s, 0, s->image_len, d);
	if (!ret && s->confirmed)
		ret = put(out, src, slot, s, s->image_ok_off, s->max_align, d);
	if (!ret && s->padded)
		ret = put(out, src, slot, s, s->magic_off, MCUBOOT_MAGIC_SIZE, d);
	if (!ret && stimg_image_entry(img, &entry))
		stimg_image_set_entry(out, true, entry);
	free(payload);
	return ret;
}
