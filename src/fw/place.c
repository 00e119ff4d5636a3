/*
 * Places by name: the sections and symbols a LOC names, and the lowest
 * section (strip's default origin).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw/fw.h"
#include "stimg/place.h"

const struct stimg_place *stimg_image_find_place(const struct stimg_image *img,
						 enum stimg_place_kind kind,
						 const char *name)
{
	size_t i;

	for (i = 0; i < stimg_image_nplaces(img); i++) {
		const struct stimg_place *p = stimg_image_place(img, i);

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
	for (i = 0; i < stimg_image_nplaces(img) && at < n; i++) {
		const struct stimg_place *p = stimg_image_place(img, i);

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

	for (i = 0; i < stimg_image_nplaces(img); i++) {
		const struct stimg_place *s = stimg_image_place(img, i);

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
	for (i = 0; i < stimg_image_nplaces(img); i++) {
		const struct stimg_place *p = stimg_image_place(img, i);

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

	for (i = 0; i < stimg_image_nplaces(img); i++) {
		const struct stimg_place *p = stimg_image_place(img, i);

		if (p->kind != STIMG_PLACE_SECTION || !p->loads || !p->size)
			continue;
		if (!any || p->addr < *addr)
			*addr = p->addr;
		any = true;
	}
	return any;
}

