/*
 * What readers record beside the bytes: the ranges they dropped and why,
 * and the named places (segments, sections, symbols) a LOC can name.
 * Also strip, which drops bytes below an origin and records them the same
 * way.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "stimg/elf.h"

void image_places_release(struct stimg_image *img)
{
	size_t i;

	for (i = 0; i < img->ndrop; i++)
		free(img->drop[i].why);
	for (i = 0; i < img->nplace; i++)
		free(img->place[i].name);
	free(img->drop);
	free(img->place);
	free(img->elf);
}

int stimg_image_add_dropped(struct stimg_image *img, uint64_t start,
			    uint64_t end, uint32_t src, const char *why)
{
	struct stimg_dropped *p;

	if (array_grow(&img->drop, &img->dropcap, img->ndrop + 1,
		       sizeof(*p), 8))
		return STIMG_ENOMEM;
	p = &img->drop[img->ndrop];
	p->why = strdup(why);
	if (!p->why)
		return STIMG_ENOMEM;
	p->start = start;
	p->end = end;
	p->src = src;
	img->ndrop++;
	return STIMG_OK;
}

int stimg_image_add_place(struct stimg_image *img, const struct stimg_place *p)
{
	struct stimg_place *q;

	if (array_grow(&img->place, &img->placecap, img->nplace + 1,
		       sizeof(*q), 32))
		return STIMG_ENOMEM;
	q = &img->place[img->nplace];
	*q = *p;
	if (p->name && !(q->name = strdup(p->name)))
		return STIMG_ENOMEM;
	img->nplace++;
	return STIMG_OK;
}

const struct stimg_place *stimg_image_find_place(const struct stimg_image *img,
						 enum stimg_place_kind kind,
						 const char *name)
{
	size_t i;

	for (i = 0; i < img->nplace; i++) {
		const struct stimg_place *p = &img->place[i];

		if (p->kind == kind && p->name && !strcmp(p->name, name))
			return p;
	}
	return NULL;
}

/* ".fw_version, .crc, ..." : the sections with bytes in the image. */
static void section_list(const struct stimg_image *img, char *buf, size_t n)
{
	size_t i, at = 0, count = 0;
	char name[256];

	snprintf(buf, n, "none");
	for (i = 0; i < img->nplace && at < n; i++) {
		const struct stimg_place *p = &img->place[i];

		if (p->kind != STIMG_PLACE_SECTION || !p->loads)
			continue;
		at += (size_t)snprintf(buf + at, n - at, "%s%s",
				       count++ ? ", " : "",
				       stimg_escape(p->name, name, sizeof(name)));
	}
}

/* The section (a place that loads) that symbol p is in, or NULL. */
static const struct stimg_place *section_of(const struct stimg_image *img,
					    const struct stimg_place *p)
{
	size_t i;

	for (i = 0; i < img->nplace; i++) {
		const struct stimg_place *s = &img->place[i];

		if (s->kind == STIMG_PLACE_SECTION && s->loads &&
		    s->src == p->src && s->index == p->parent)
			return s;
	}
	return NULL;
}

int stimg_image_locate(const struct stimg_image *img, const char *loc,
		       struct stimg_range *r, struct stimg_diag *d)
{
	enum stimg_place_kind kind = loc[0] == '.' ? STIMG_PLACE_SECTION
						   : STIMG_PLACE_SYMBOL;
	const struct stimg_place *found = NULL, *sec;
	char list[400], name[256], secname[256];
	uint64_t addr;
	size_t i;
	int ret;

	ret = stimg_parse_number(loc, STIMG_ADDR_END - 1, &addr);
	if (ret == STIMG_ERANGE)
		return diag_set(d, NULL, 0, STIMG_EINVAL, "address %s lies past "
				"the 32-bit address space",
				stimg_escape(loc, name, sizeof(name)));
	if (!ret) {
		r->start = r->end = addr;
		return STIMG_OK;
	}
	stimg_escape(loc, name, sizeof(name));
	for (i = 0; i < img->nplace; i++) {
		const struct stimg_place *p = &img->place[i];

		if (p->kind != kind || !p->name || strcmp(p->name, loc))
			continue;
		if (found && (found->addr != p->addr || found->size != p->size))
			return diag_set(d, NULL, 0, STIMG_EINVAL,
					"'%s' names two symbols, at 0x%08" PRIX64
					" and at 0x%08" PRIX64 "; give an address",
					name, found->addr, p->addr);
		found = p;
	}
	section_list(img, list, sizeof(list));
	if (!found)
		return diag_set(d, NULL, 0, STIMG_EINVAL,
				"no %s '%s' in the input (sections that load: %s)",
				kind == STIMG_PLACE_SECTION ? "section"
							    : "section or symbol",
				name, list);
	/* an absolute symbol (no section) is just an address */
	if (kind == STIMG_PLACE_SYMBOL && found->parent == UINT32_MAX) {
		r->start = r->end = found->addr;
		return STIMG_OK;
	}
	if (!found->loads)
		return diag_set(d, NULL, 0, STIMG_EINVAL,
				"%s '%s' at 0x%08" PRIX64 " has no bytes in the "
				"image (sections that load: %s)",
				kind == STIMG_PLACE_SECTION ? "section" : "symbol",
				name, found->addr, list);
	/* st_size is a claim: the section's bytes bound it */
	sec = kind == STIMG_PLACE_SYMBOL ? section_of(img, found) : NULL;
	if (sec && found->size > sec->addr + sec->size - found->addr)
		return diag_set(d, NULL, 0, STIMG_EINVAL,
				"symbol '%s' at 0x%08" PRIX64 " is %" PRIu64
				" bytes, more than the %" PRIu64 " that its "
				"section '%s' holds from there", name,
				found->addr, found->size,
				sec->addr + sec->size - found->addr,
				stimg_escape(sec->name, secname, sizeof(secname)));
	r->start = found->addr;
	r->end = found->addr + found->size;
	return STIMG_OK;
}

bool stimg_image_lowest_section(const struct stimg_image *img, uint64_t *addr)
{
	bool any = false;
	size_t i;

	for (i = 0; i < img->nplace; i++) {
		const struct stimg_place *p = &img->place[i];

		if (p->kind != STIMG_PLACE_SECTION || !p->loads || !p->size)
			continue;
		if (!any || p->addr < *addr)
			*addr = p->addr;
		any = true;
	}
	return any;
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
	const char *src;
	uint32_t line, id = 0, i;

	stimg_image_walk(img, &r, 0x00, count_odd, &odd);
	if (odd.n)
		diag_warn(d, NULL, 0,
			  "dropped bytes at 0x%08" PRIX64 "..0x%08" PRIX64
			  " are not all 0x00 or 0xFF: %" PRIu64 " differ, the "
			  "first 0x%02X at 0x%08" PRIX64,
			  start, end - 1, odd.n, odd.firstb, odd.first);
	/* the source of the first byte, found by the name its origin gives */
	if (stimg_image_origin(img, (uint32_t)start, &src, &line, &rec))
		for (i = img->nsrc; i-- > 0;)
			if (!strcmp(img->src[i].name, src))
				id = i;
	return stimg_image_add_dropped(img, start, end, id, why);
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
