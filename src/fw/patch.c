/* The firmware header: fields written in order, the CRC range, the check. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "fw/fw.h"
#include "stimg/place.h"
#include "core/hex.h"
#include "stimg/patch.h"

void stimg_patch_init(struct stimg_patch *p)
{
	memset(p, 0, sizeof(*p));
	p->fill = 0xFF;
}

void stimg_patch_result_release(struct stimg_patch_result *r)
{
	stimg_ranges_release(&r->fields);
	stimg_ranges_release(&r->filled);
	stimg_ranges_release(&r->padding);
}


/* The header fields a patch touches, resolved. */
struct fields {
	struct stimg_range version, size, crc, sha;
	struct field fversion, fsize, fcrc, fsha;
	bool has_version, has_size, has_crc, has_sha;
	size_t crc_bytes;	/* the CRC field's size */
};

static int resolve(const struct stimg_image *img, const struct stimg_patch *p,
		   struct fields *f, struct stimg_diag *d)
{
	int ret = STIMG_OK;

	memset(f, 0, sizeof(*f));
	f->fversion = (struct field){ "version", ".fw_version", false };
	f->fsize = (struct field){ "size", NULL, false };
	f->fcrc = (struct field){ "CRC", ".crc", false };
	f->fsha = (struct field){ "SHA-256", NULL, false };
	if (p->version) {
		ret = field_at(img, p->version_at, ".fw_version", "--version-at",
			       &f->version, &f->fversion, d);
		f->has_version = !ret;
	}
	if (!ret && p->size_at) {
		ret = field_at(img, p->size_at, NULL, "--size-at", &f->size,
			       &f->fsize, d);
		if (!ret && f->size.end == f->size.start)
			f->size.end = f->size.start + 4;
		if (!ret && f->size.end - f->size.start < 4)
			ret = diag_set(d, NULL, 0, STIMG_EINVAL,
				       "the size field at 0x%08" PRIX64 " is %"
				       PRIu64 " bytes; it needs 4", f->size.start,
				       f->size.end - f->size.start);
		f->has_size = !ret;
	}
	if (!ret && p->crc) {
		size_t need = (p->crc->width + 7) / 8;

		if (p->crc->width > 64)
			return diag_set(d, NULL, 0, STIMG_EINVAL,
					"%s is wider than 64 bits: stimg patches "
					"CRCs of up to 64", p->crc->name);
		ret = field_at(img, p->crc_at, ".crc", "--crc-at", &f->crc,
			       &f->fcrc, d);
		if (!ret)
			ret = field_size(&f->crc, need, "CRC", &f->crc_bytes, d);
		if (!ret && f->crc_bytes > 8)
			ret = diag_set(d, NULL, 0, STIMG_EINVAL,
				       "the CRC field at 0x%08" PRIX64 " is %zu "
				       "bytes; at most 8 hold a CRC",
				       f->crc.start, f->crc_bytes);
		f->crc.end = f->crc.start + f->crc_bytes;
		f->has_crc = !ret;
	}
	if (!ret && p->sha256_at) {
		size_t n = 0;

		ret = field_at(img, p->sha256_at, NULL, "--sha256-at", &f->sha,
			       &f->fsha, d);
		if (!ret)
			ret = field_size(&f->sha, STIMG_SHA256_SIZE, "SHA-256", &n,
					 d);
		f->sha.end = f->sha.start + STIMG_SHA256_SIZE;
		f->has_sha = !ret;
	}
	return ret;
}

/* The range as p's CRC reads it (none: as it is); see stimg_crc_extent. */
static struct stimg_range as_read(const struct stimg_patch *p,
				  const struct stimg_range *r)
{
	return p->crc ? stimg_crc_extent(p->crc, r) : *r;
}

/*
 * The first byte at or above hi of a section that loads (from an ELF
 * input), into *start; false when there is none.
 */
static bool section_above(const struct stimg_image *img, uint64_t hi,
			  uint64_t *start)
{
	bool any = false;
	size_t i;

	for (i = 0; i < stimg_image_nplaces(img); i++) {
		const struct stimg_place *p = stimg_image_place(img, i);
		uint64_t a = p->addr > hi ? p->addr : hi;

		if (p->kind != STIMG_PLACE_SECTION || !p->loads || !p->size ||
		    p->addr + p->size <= hi)
			continue;
		if (!any || a < *start)
			*start = a;
		any = true;
	}
	return any;
}

/*
 * The CRC range: p's, or from the first data byte above the header fields
 * to the last data byte; with no data above them, from the image's start to
 * the first field. For an ELF input it starts at the first byte of a
 * section above the fields: the padding a segment holds between the fields
 * and the code is no section's, and a loader that flashes sections leaves
 * it erased.
 *
 *     [ver][crc][size] 00 00 00 [.text ...]   [==data==]
 *                               [====== crc range ======]
 */
static int crc_range(const struct stimg_image *img, const struct stimg_patch *p,
		     const struct fields *f, struct stimg_range *r,
		     struct stimg_diag *d)
{
	const struct stimg_range *v[4] = { &f->version, &f->size, &f->crc,
					   &f->sha };
	const bool has[4] = { f->has_version, f->has_size, f->has_crc,
			      f->has_sha };
	struct stimg_range span = stimg_image_span(img), read;
	uint64_t lo = UINT64_MAX, hi = 0, start = 0, at;
	struct stimg_chunk c;
	size_t i;

	if (p->has_crc_range) {
		*r = p->crc_range;
	} else {
		for (i = 0; i < ARRAY_SIZE(v); i++) {
			if (!has[i])
				continue;
			lo = v[i]->start < lo ? v[i]->start : lo;
			hi = v[i]->end > hi ? v[i]->end : hi;
		}
		*r = span;
		/*
		 * from the first data byte above the fields (or the first
		 * section there), or, with none, up to the fields
		 */
		at = hi;
		if (lo != UINT64_MAX && !stimg_image_next_chunk(img, &at, &c))
			r->end = lo;
		else if (lo != UINT64_MAX && section_above(img, hi, &start) &&
			 start < r->end)
			r->start = start;
		else if (lo != UINT64_MAX)
			r->start = c.addr;
	}
	if (r->end <= r->start && lo == UINT64_MAX)
		return diag_set(d, NULL, 0, STIMG_EFORMAT,
				"no CRC range: the image holds no data");
	if (r->end <= r->start)
		return diag_set(d, NULL, 0, STIMG_EFORMAT,
				"no CRC range: no data above the header fields "
				"(0x%08" PRIX64 "..0x%08" PRIX64 ") and none below "
				"them; give --crc-range", lo, hi - 1);
	/* an STM32 word tail that reaches the field counts too */
	read = as_read(p, r);
	if (f->has_crc && f->crc.start < read.end && read.start < f->crc.end)
		return diag_set(d, NULL, 0, STIMG_EINVAL,
				"the CRC range 0x%08" PRIX64 "..0x%08" PRIX64
				" contains the CRC field at 0x%08" PRIX64,
				read.start, read.end - 1, f->crc.start);
	if (f->has_sha && f->sha.start < read.end && read.start < f->sha.end)
		return diag_set(d, NULL, 0, STIMG_EINVAL,
				"the CRC range 0x%08" PRIX64 "..0x%08" PRIX64
				" contains the SHA-256 field at 0x%08" PRIX64,
				read.start, read.end - 1, f->sha.start);
	return STIMG_OK;
}

static int range_cmp(const void *a, const void *b)
{
	const struct stimg_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/*
 * The data bytes of range that lie in no section, into out, for an image
 * with sections (an ELF input): the segments' padding, which a loader
 * that flashes sections does not write. The sections are sorted first:
 * added in address order each costs O(1), whatever order the file has.
 */
static int padding(const struct stimg_image *img,
		   const struct stimg_range *range, struct stimg_ranges *out)
{
	struct stimg_ranges data = STIMG_RANGES_INIT, secs = STIMG_RANGES_INIT;
	struct stimg_range *v = malloc((stimg_image_nplaces(img) + 1) * sizeof(*v));
	size_t i, n = 0;
	int ret = v ? STIMG_OK : STIMG_ENOMEM;

	for (i = 0; i < stimg_image_nplaces(img) && !ret; i++) {
		const struct stimg_place *p = stimg_image_place(img, i);

		if (p->kind == STIMG_PLACE_SECTION && p->loads)
			v[n++] = (struct stimg_range){ p->addr, p->addr + p->size };
	}
	if (!ret && n) {
		qsort(v, n, sizeof(*v), range_cmp);
		for (i = 0; i < n && !ret; i++)
			ret = stimg_ranges_add(&secs, v[i].start, v[i].end);
		if (!ret)
			ret = stimg_image_ranges(img, &data);
		if (!ret)
			ret = stimg_ranges_add(out, range->start, range->end);
		if (!ret)
			ret = stimg_ranges_intersect(out, &data);
		if (!ret)
			ret = stimg_ranges_subtract(out, &secs);
	}
	free(v);
	stimg_ranges_release(&data);
	stimg_ranges_release(&secs);
	return ret;
}

static int compute(const struct stimg_image *img,
		   const struct stimg_crc_model *m, const struct stimg_range *r,
		   uint8_t fill, uint64_t *v, struct stimg_diag *d)
{
	struct stimg_crc c;
	int ret;

	ret = stimg_crc_init(&c, m, STIMG_CRC_AUTO);
	c.tail_fill = fill;
	if (!ret)
		ret = stimg_crc_image(&c, img, r, fill);
	if (!ret)
		ret = stimg_crc_final(&c, v, NULL, d);
	stimg_crc_release(&c);
	return ret;
}

/*
 * The SHA-256 of range as p's CRC reads it (holes as p->fill) into r, with
 * the field's place.
 */
static int sha256(const struct stimg_image *img, const struct stimg_patch *p,
		  const struct fields *f, const struct stimg_range *range,
		  struct stimg_patch_result *r)
{
	struct stimg_sha256 s;
	int ret = stimg_sha256_init(&s);

	r->sha256_range = as_read(p, range);
	r->sha256_field = f->sha;
	if (!ret) {
		stimg_sha256_image(&s, img, &r->sha256_range, p->fill);
		ret = stimg_sha256_final(&s, r->sha256);
	}
	stimg_sha256_release(&s);
	r->has_sha256 = !ret;
	return ret;
}

/* Takes the addresses img holds out of set. */
static int subtract_data(const struct stimg_image *img,
			 struct stimg_ranges *set)
{
	struct stimg_ranges data = STIMG_RANGES_INIT;
	int ret = stimg_image_ranges(img, &data);

	if (!ret)
		ret = stimg_ranges_subtract(set, &data);
	stimg_ranges_release(&data);
	return ret;
}

int stimg_patch_apply(struct stimg_image *img, const struct stimg_patch *p,
		      struct stimg_patch_result *r, struct stimg_diag *d)
{
	uint8_t b[VERSION_MAX];
	struct fields f;
	struct stimg_range range;
	size_t i, n = 0;
	int ret = STIMG_OK;

	for (i = 0; i < p->nsets && !ret; i++)
		ret = apply_set(img, p, p->sets[i], r, d);
	if (!ret)
		ret = resolve(img, p, &f, d);
	if (!ret && f.has_version) {
		ret = encode_version(p, (size_t)(f.version.end - f.version.start),
				     f.version.start, b, &n, d);
		if (!ret)
			ret = write_field(img, p, &f.fversion, f.version.start,
					  b, n, r, d);
		r->version_field.start = f.version.start;
		r->version_field.end = f.version.start + n;
	}
	if (ret || (!f.has_size && !f.has_crc && !f.has_sha))
		return ret;
	ret = crc_range(img, p, &f, &range, d);
	if (!ret && f.has_size) {
		/* what the CRC reads: the same once its STM32 tail is written */
		r->size = (uint32_t)(as_read(p, &range).end - range.start);
		r->size_field.start = f.size.start;
		r->size_field.end = f.size.start + 4;
		put_uint(b, r->size, 4, p->big_endian);
		ret = write_field(img, p, &f.fsize, f.size.start, b, 4, r, d);
	}
	if (ret || (!f.has_crc && !f.has_sha))
		return ret;
	/*
	 * The holes the CRC covers count as p->fill; they are written only
	 * by stimg_patch_fill, for outputs that carry them: a range across
	 * gigabytes costs nothing here
	 */
	r->crc_range = as_read(p, &range);
	ret = stimg_ranges_add(&r->filled, r->crc_range.start, r->crc_range.end);
	if (!ret)
		ret = subtract_data(img, &r->filled);
	if (!ret)
		ret = padding(img, &r->crc_range, &r->padding);
	if (!ret && f.has_sha)
		ret = sha256(img, p, &f, &range, r);
	if (!ret && f.has_sha)
		ret = write_field(img, p, &f.fsha, f.sha.start, r->sha256,
				  STIMG_SHA256_SIZE, r, d);
	if (ret || !f.has_crc)
		return ret;
	ret = compute(img, p->crc, &range, p->fill, &r->crc, d);
	if (ret)
		return ret;
	r->has_crc = true;
	r->crc_field = f.crc;
	put_uint(b, r->crc, f.crc_bytes, p->big_endian);
	return write_field(img, p, &f.fcrc, f.crc.start, b, f.crc_bytes, r, d);
}

int stimg_patch_fill(struct stimg_image *img,
		     const struct stimg_patch_result *r, uint8_t fill)
{
	size_t i;
	int ret = STIMG_OK;

	for (i = 0; i < r->filled.n && !ret; i++)
		ret = stimg_image_fill(img, fill, &r->filled.v[i]);
	return ret;
}

/* Whether img holds the n bytes b at addr. */
static bool holds(const struct stimg_image *img, uint64_t addr,
		  const uint8_t *b, size_t n)
{
	uint8_t *have = malloc(n ? n : 1);
	bool same = have && stimg_image_get(img, (uint32_t)addr, have, n) &&
		    !memcmp(have, b, n);

	free(have);
	return same;
}

int stimg_patch_check(const struct stimg_image *img,
		      const struct stimg_patch *p,
		      struct stimg_patch_result *r, struct stimg_diag *d)
{
	uint8_t b[VERSION_MAX];
	struct fields f;
	struct stimg_range range;
	size_t n = 0;
	int ret;

	ret = resolve(img, p, &f, d);
	if (!ret && f.has_version) {
		ret = encode_version(p, (size_t)(f.version.end - f.version.start),
				     f.version.start, b, &n, d);
		r->version_field.start = f.version.start;
		r->version_field.end = f.version.start + n;
		r->version_ok = !ret && holds(img, f.version.start, b, n);
	}
	if (!ret)
		ret = crc_range(img, p, &f, &range, d);
	if (ret)
		return ret;
	if (f.has_size) {
		r->size = (uint32_t)(as_read(p, &range).end - range.start);
		r->size_field.start = f.size.start;
		r->size_field.end = f.size.start + 4;
		put_uint(b, r->size, 4, p->big_endian);
		r->size_ok = holds(img, f.size.start, b, 4);
	}
	if (f.has_sha && !stimg_image_get(img, (uint32_t)f.sha.start,
					  r->sha256_stored, STIMG_SHA256_SIZE))
		return diag_set(d, NULL, 0, STIMG_EFORMAT,
				"the image has no bytes at the SHA-256 field "
				"0x%08" PRIX64 "..0x%08" PRIX64, f.sha.start,
				f.sha.end - 1);
	if (f.has_sha)
		ret = sha256(img, p, &f, &range, r);
	if (ret || !f.has_crc)
		return ret;
	if (!stimg_image_get(img, (uint32_t)f.crc.start, b, f.crc_bytes))
		return diag_set(d, NULL, 0, STIMG_EFORMAT,
				"the image has no bytes at the CRC field "
				"0x%08" PRIX64 "..0x%08" PRIX64, f.crc.start,
				f.crc.end - 1);
	r->stored = get_uint(b, f.crc_bytes, p->big_endian);
	r->crc_field = f.crc;
	r->crc_range = range;	/* the STM32 tail is the CRC's to add */
	r->has_crc = true;
	return compute(img, p->crc, &range, p->fill, &r->crc, d);
}

int stimg_patch_identify(const struct stimg_image *img,
			 const struct stimg_patch_result *r, uint8_t fill,
			 void (*fn)(void *ctx, const struct stimg_crc_model *m,
				    bool big_endian),
			 void *ctx)
{
	size_t n = (size_t)(r->crc_field.end - r->crc_field.start), count, i;
	const struct stimg_crc_model *m = stimg_crc_models(&count);
	struct stimg_range range = r->crc_range;
	uint8_t b[8];
	uint64_t le, be;
	int ret = STIMG_OK;

	if (!n || n > 8 ||
	    !stimg_image_get(img, (uint32_t)r->crc_field.start, b, n))
		return STIMG_OK;
	le = get_uint(b, n, false);
	be = get_uint(b, n, true);
	for (i = 0; i < count && !ret; i++) {
		uint64_t v;

		if (m[i].kind == STIMG_CRC_SUM || m[i].kind == STIMG_CRC_SUM_NEG ||
		    m[i].width > 64 || (m[i].width + 7) / 8 > n)
			continue;
		ret = compute(img, &m[i], &range, fill, &v, NULL);
		if (!ret && v == le)
			fn(ctx, &m[i], false);
		if (!ret && v == be && n > 1)
			fn(ctx, &m[i], true);
	}
	return ret;
}
