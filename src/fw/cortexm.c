/* Cortex-M checks: the vector table at the image's base. */
#include <string.h>

#include "fw/fw.h"
#include "stimg/cortexm.h"

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* The table at addr, if the image has its 8 bytes. */
static void vectors_at(const struct stimg_image *img, uint32_t addr,
		       struct stimg_vectors *v)
{
	uint8_t b[8], one;

	memset(v, 0, sizeof(*v));
	v->addr = addr;
	v->present = stimg_image_get(img, addr, b, sizeof(b));
	if (!v->present)
		return;
	v->sp = le32(b);
	v->reset = le32(b + 4);
	v->sp_ok = v->sp % 4 == 0 &&
		   ((v->sp > 0x20000000u && v->sp <= 0x40000000u) ||
		    (v->sp > 0x10000000u && v->sp <= 0x10010000u));
	v->reset_ok = (v->reset & 1) && stimg_image_get(img, v->reset & ~1u, &one, 1);
}

void stimg_image_vectors(const struct stimg_image *img, struct stimg_vectors *v)
{
	struct stimg_range span = stimg_image_span(img);
	uint64_t at;

	memset(v, 0, sizeof(*v));
	if (span.start == span.end)
		return;
	for (at = span.start; at < span.start + 4096 && at + 8 <= STIMG_ADDR_END;
	     at += 256) {
		vectors_at(img, (uint32_t)at, v);
		if (v->sp_ok && v->reset_ok)
			return;
	}
	vectors_at(img, (uint32_t)span.start, v);
}
