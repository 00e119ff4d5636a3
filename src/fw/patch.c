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

static const char *const version_formats[] = {
	[STIMG_VERSION_AUTO] = "auto",
	[STIMG_VERSION_U16X4] = "u16x4",
	[STIMG_VERSION_U8X4] = "u8x4",
	[STIMG_VERSION_U32] = "u32",
	[STIMG_VERSION_STRING] = "string",
};

bool stimg_version_format_parse(const char *name,
				enum stimg_version_format *f)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(version_formats); i++) {
		if (!strcmp(name, version_formats[i])) {
			*f = (enum stimg_version_format)i;
			return true;
		}
	}
	return false;
}

static void put_uint(uint8_t *p, uint64_t v, size_t n, bool big_endian)
{
	size_t i;

	for (i = 0; i < n; i++, v >>= 8)
		p[big_endian ? n - 1 - i : i] = (uint8_t)v;
}

static uint64_t get_uint(const uint8_t *p, size_t n, bool big_endian)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)p[big_endian ? n - 1 - i : i] << (8 * i);
	return v;
}

/* What a field is, for the check of what it overwrites and messages. */
struct field {
	const char *what;	/* "CRC", "version", "size", "--set" */
	const char *section;	/* the section named for it, or NULL */
	bool named;		/* its LOC named a section or a symbol */
};

/*
 * Where a field goes: LOC as a range (START+SIZE, START:END), or through
 * stimg_image_locate (an address: an empty range, the value sets the size;
 * a section or symbol: its bytes, and f->named). f->what names the option
 * for messages; dflt is the LOC used when loc is NULL.
 */
static int field_at(const struct stimg_image *img, const char *loc,
		    const char *dflt, const char *what, struct stimg_range *r,
		    struct field *f, struct stimg_diag *d)
{
	uint64_t addr;
	int ret;

	f->named = false;
	if (loc && !stimg_parse_range(loc, r))
		return STIMG_OK;
	ret = stimg_image_locate(img, loc ? loc : dflt, r, d);
	if (ret && d && !loc) {
		/* say which option names the field */
		size_t n = strlen(d->msg);

		snprintf(d->msg + n, sizeof(d->msg) - n, "; give %s LOC", what);
	}
	f->named = !ret && stimg_parse_number(loc ? loc : dflt,
					      STIMG_ADDR_END - 1, &addr);
	return ret ? STIMG_EFORMAT : STIMG_OK;
}

/* A field's bytes are allocated: no range sizes them past this. */
#define FIELD_MAX 65536

/* The field's size for a value of n bytes: an address takes n. */
static int field_size(const struct stimg_range *r, size_t n, const char *what,
		      size_t *size, struct stimg_diag *d)
{
	uint64_t want = r->end > r->start ? r->end - r->start : n;

	if (want < n)
		return diag_set(d, NULL, 0, STIMG_EINVAL,
				"the %s field at 0x%08" PRIX64 " is %" PRIu64
				" bytes; it needs %zu", what, r->start, want, n);
	if (want > FIELD_MAX)
		return diag_set(d, NULL, 0, STIMG_EINVAL,
				"the %s field at 0x%08" PRIX64 " is %" PRIu64
				" bytes; a field holds at most %d", what,
				r->start, want, FIELD_MAX);
	*size = (size_t)want;
	return STIMG_OK;
}

/* Whether a section named name (NULL: none) holds the byte at addr. */
static bool in_section(const struct stimg_image *img, const char *name,
		       uint64_t addr)
{
	size_t i;

	for (i = 0; name && i < stimg_image_nplaces(img); i++) {
		const struct stimg_place *p = stimg_image_place(img, i);

		if (p->kind == STIMG_PLACE_SECTION && p->loads &&
		    !strcmp(p->name, name) && addr >= p->addr &&
		    addr - p->addr < p->size)
			return true;
	}
	return false;
}

/*
 * The field refused at addr: "section '.isr_vector'" or "data at
 * 0x08020000..0x080207FF" (the region), and the bytes the field would
 * replace, into where and bytes.
 */
static void landing(const struct stimg_image *img, uint64_t addr,
		    uint64_t start, size_t n, char *where, size_t wn,
		    char *bytes, size_t bn)
{
	char name[256];
	size_t i, at = 0;

	snprintf(where, wn, "data");
	for (i = 0; i < stimg_image_nplaces(img); i++) {
		const struct stimg_place *p = stimg_image_place(img, i);

		if (p->kind == STIMG_PLACE_SECTION && p->loads &&
		    addr >= p->addr && addr - p->addr < p->size) {
			snprintf(where, wn, "section '%s'",
				 stimg_escape(p->name, name, sizeof(name)));
			break;
		}
	}
	if (!strcmp(where, "data")) {
		struct stimg_ranges data = STIMG_RANGES_INIT;
		size_t k;

		if (!stimg_image_ranges(img, &data))
			for (k = 0; k < data.n; k++)
				if (addr >= data.v[k].start && addr < data.v[k].end)
					snprintf(where, wn, "data at 0x%08" PRIX64
						 "..0x%08" PRIX64, data.v[k].start,
						 data.v[k].end - 1);
		stimg_ranges_release(&data);
	}
	bytes[0] = '\0';
	for (i = 0; i < n && i < 16 && at < bn; i++) {
		uint8_t b;

		if (stimg_image_get(img, (uint32_t)(start + i), &b, 1))
			at += (size_t)snprintf(bytes + at, bn - at, "%s%02X",
					       i ? " " : "", b);
		else
			at += (size_t)snprintf(bytes + at, bn - at, "%s--",
					       i ? " " : "");
	}
	if (n > 16 && at < bn)
		snprintf(bytes + at, bn - at, " ...");
}

/*
 * A field may replace only bytes that are absent, erased (0xFF) or zero,
 * that it holds already, that this patch wrote, or that belong to the
 * section its LOC named or that is named for it (.crc for the CRC): a
 * typo'd address must not land on code. --force lets it.
 */
static int check_overwrite(const struct stimg_image *img,
			   const struct stimg_patch *p, const struct field *f,
			   uint64_t addr, const uint8_t *b, size_t n,
			   const struct stimg_patch_result *r,
			   struct stimg_diag *d)
{
	char where[300], bytes[80];
	size_t i;

	if (p->force || f->named)
		return STIMG_OK;
	for (i = 0; i < n; i++) {
		uint64_t at = addr + i;
		uint8_t old;

		if (!stimg_image_get(img, (uint32_t)at, &old, 1) || old == 0x00 ||
		    old == 0xFF || old == b[i] ||
		    stimg_ranges_contains(&r->fields, at) ||
		    in_section(img, f->section, at))
			continue;
		landing(img, at, addr, n, where, sizeof(where), bytes,
			sizeof(bytes));
		return diag_set(d, NULL, 0, STIMG_ECONFLICT,
				"the %s field at 0x%08" PRIX64 "..0x%08" PRIX64
				" lands on %s, which holds %s there: a field "
				"replaces only absent, erased (0xFF) or zero "
				"bytes; give --force to write it anyway",
				f->what, addr, addr + n - 1, where, bytes);
	}
	return STIMG_OK;
}

/*
 * Writes n bytes as a field (into holes too): img's bytes, and r->fields,
 * after check_overwrite.
 */
static int write_field(struct stimg_image *img, const struct stimg_patch *p,
		       const struct field *f, uint64_t addr, const uint8_t *b,
		       size_t n, struct stimg_patch_result *r,
		       struct stimg_diag *d)
{
	uint32_t src = 0;
	int ret;

	if (addr >= STIMG_ADDR_END || n > STIMG_ADDR_END - addr)
		return diag_set(d, NULL, 0, STIMG_EINVAL,
				"the %s field at 0x%08" PRIX64 " is %zu bytes "
				"and runs past the 32-bit address space",
				f->what, addr, n);
	ret = check_overwrite(img, p, f, addr, b, n, r, d);
	if (ret)
		return ret;
	/* the fields' source, added once */
	src = (uint32_t)stimg_image_nsources(img);
	if (src && !strcmp(stimg_image_source(img, src - 1)->name, "stimg patch"))
		src--;
	else
		ret = stimg_image_add_source(img, "stimg patch", NULL, NULL, &src);
	if (!ret)
		ret = stimg_image_put(img, addr, b, n, src, 0, STIMG_OVERLAP_LAST,
				      NULL);
	if (!ret)
		ret = stimg_ranges_add(&r->fields, addr, addr + n);
	return ret;
}

/* An unsigned number that must fit max; what names it for messages. */
static int number(const char *s, uint64_t max, const char *what, uint64_t *v,
		  struct stimg_diag *d)
{
	int ret = stimg_parse_number(s, UINT64_MAX, v);

	if (ret == STIMG_ERANGE || (!ret && *v > max))
		return diag_set(d, NULL, 0, STIMG_EINVAL,
				"%s: %s does not fit (at most %" PRIu64 ")",
				what, s, max);
	if (ret)
		return diag_set(d, NULL, 0, STIMG_EINVAL,
				"%s: '%s' is not a number", what, s);
	return STIMG_OK;
}

/*
 * One --set LOC=TYPE:VALUE. The value fills the field: in a wider one (a
 * section, a symbol, a range) the rest is cleared to zero, so that no old
 * byte stays beside the new value.
 */
static int apply_set(struct stimg_image *img, const struct stimg_patch *p,
		     const char *arg, struct stimg_patch_result *r,
		     struct stimg_diag *d)
{
	static const struct {
		const char *name;
		size_t size;
		bool big_endian;
	} types[] = {
		{ "u8", 1, false }, { "u16", 2, false }, { "u32", 4, false },
		{ "u64", 8, false }, { "u16be", 2, true }, { "u32be", 4, true },
		{ "u64be", 8, true },
	};
	const char *eq = strchr(arg, '='), *colon = eq ? strchr(eq, ':') : NULL;
	struct field f = { "--set", NULL, false };
	char *loc = NULL, *type = NULL;
	uint8_t *b = NULL;
	struct stimg_range at;
	size_t n = 0, need = 0, size = 0, i;
	uint64_t v;
	int ret;

	if (!eq || !colon || eq == arg)
		return diag_set(d, NULL, 0, STIMG_EINVAL, "--set: '%s' is not "
				"LOC=TYPE:VALUE (such as 0x08008010=u32:42)", arg);
	loc = strndup(arg, (size_t)(eq - arg));
	type = strndup(eq + 1, (size_t)(colon - eq - 1));
	b = malloc(strlen(colon) + 8);
	if (!loc || !type || !b) {
		ret = STIMG_ENOMEM;
		goto out;
	}
	ret = field_at(img, loc, NULL, "--set", &at, &f, d);
	if (ret)
		goto out;
	for (i = 0; i < ARRAY_SIZE(types) && strcmp(type, types[i].name); i++)
		;
	if (i < ARRAY_SIZE(types)) {
		n = need = types[i].size;
		ret = number(colon + 1, n == 8 ? UINT64_MAX : (UINT64_C(1) << 8 * n) - 1,
			     "--set", &v, d);
		if (!ret)
			put_uint(b, v, n, types[i].big_endian);
	} else if (!strcmp(type, "str")) {
		/* NUL-padded to the field: at least one NUL */
		n = strlen(colon + 1);
		need = n + 1;
		memcpy(b, colon + 1, n);
		f.what = "--set str";
	} else if (!strcmp(type, "hex")) {
		n = need = strlen(colon + 1) / 2;
		if (strlen(colon + 1) % 2 || !n)
			ret = diag_set(d, NULL, 0, STIMG_EINVAL, "--set: hex value "
				       "'%s' is not whole bytes", colon + 1);
		else
			ret = hex_decode("--set", 0, (const uint8_t *)colon + 1,
					 2 * n, 1, b, &(unsigned){ 0 }, d);
		if (ret)
			ret = STIMG_EINVAL;
	} else {
		ret = diag_set(d, NULL, 0, STIMG_EINVAL, "--set: unknown type "
			       "'%s' (u8, u16, u32, u64, u16be, u32be, u64be, "
			       "str, hex)", type);
	}
	if (!ret)
		ret = field_size(&at, need, f.what, &size, d);
	if (!ret && size > n) {
		uint8_t *wide = realloc(b, size);

		if (!wide) {
			ret = STIMG_ENOMEM;
			goto out;
		}
		b = wide;
		memset(b + n, 0, size - n);
	}
	if (!ret)
		ret = write_field(img, p, &(struct field){ "--set", NULL, f.named },
				  at.start, b, size, r, d);
out:
	free(loc);
	free(type);
	free(b);
	return ret;
}

/* The largest version field (a string's) encode_version fills. */
#define VERSION_MAX 4096

/* The version's bytes for a field of size bytes (0: an address). */
static int encode_version(const struct stimg_patch *p, size_t size,
			  uint64_t addr, uint8_t *out, size_t *n,
			  struct stimg_diag *d)
{
	enum stimg_version_format f = p->version_format;
	uint64_t part[4] = { 0, 0, 0, 0 }, max;
	const char *s = p->version;
	size_t k = 0, i;

	for (;;) {
		char *end;

		if (*s < '0' || *s > '9' || k == 4)
			goto bad;
		part[k++] = strtoull(s, &end, 10);
		if (*end == '\0')
			break;
		if (*end != '.')
			goto bad;
		s = end + 1;
	}
	if (f == STIMG_VERSION_AUTO)
		f = size == 8 ? STIMG_VERSION_U16X4 : size == 4 ? STIMG_VERSION_U8X4
								: f;
	if (f == STIMG_VERSION_AUTO && !size)
		return diag_set(d, NULL, 0, STIMG_EINVAL,
				"the version field at 0x%08" PRIX64 " has no size "
				"to tell its format by: give --version-at with a "
				"size (0x%08" PRIX64 "+8) or --version-format",
				addr, addr);
	if (f == STIMG_VERSION_AUTO)
		return diag_set(d, NULL, 0, STIMG_EINVAL,
				"cannot tell the version format of the %zu-byte "
				"field at 0x%08" PRIX64 "; give --version-format "
				"u16x4, u8x4, u32 or string", size, addr);
	if (f == STIMG_VERSION_STRING) {
		*n = strlen(p->version);
		if (size > VERSION_MAX || *n + 1 > VERSION_MAX)
			return diag_set(d, NULL, 0, STIMG_EINVAL,
					"a version string field of more than %d "
					"bytes", VERSION_MAX);
		if (size && *n + 1 > size)
			return diag_set(d, NULL, 0, STIMG_EINVAL,
					"version '%s' does not fit the %zu-byte "
					"field at 0x%08" PRIX64 " with its NUL",
					p->version, size, addr);
		memset(out, 0, size ? size : *n + 1);
		memcpy(out, p->version, *n);
		*n = size ? size : *n + 1;
		return STIMG_OK;
	}
	max = f == STIMG_VERSION_U16X4 ? 0xFFFF : 0xFF;
	for (i = 0; i < 4; i++)
		if (part[i] > max)
			return diag_set(d, NULL, 0, STIMG_EINVAL,
					"version '%s': part %" PRIu64 " does not fit "
					"%s (at most %" PRIu64 ")", p->version,
					part[i], version_formats[f], max);
	if (f == STIMG_VERSION_U32) {
		*n = 4;
		put_uint(out, part[0] << 24 | part[1] << 16 | part[2] << 8 | part[3],
			 4, p->big_endian);
	} else {
		*n = f == STIMG_VERSION_U16X4 ? 8 : 4;
		for (i = 0; i < 4; i++)
			put_uint(out + i * (*n / 4), part[i], *n / 4, p->big_endian);
	}
	if (size && size < *n)
		return diag_set(d, NULL, 0, STIMG_EINVAL,
				"the version field at 0x%08" PRIX64 " is %zu bytes; "
				"%s needs %zu", addr, size, version_formats[f], *n);
	return STIMG_OK;
bad:
	return diag_set(d, NULL, 0, STIMG_EINVAL, "--version: '%s' is not 1 to "
			"4 numbers separated by dots (1.2.3.4)", p->version);
}

/* The header fields a patch touches, resolved. */
struct fields {
	struct stimg_range version, size, crc;
	struct field fversion, fsize, fcrc;
	bool has_version, has_size, has_crc;
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
	const struct stimg_range *v[3] = { &f->version, &f->size, &f->crc };
	const bool has[3] = { f->has_version, f->has_size, f->has_crc };
	struct stimg_range span = stimg_image_span(img), read;
	uint64_t lo = UINT64_MAX, hi = 0, start = 0, at;
	struct stimg_chunk c;
	size_t i;

	if (p->has_crc_range) {
		*r = p->crc_range;
	} else {
		for (i = 0; i < 3; i++) {
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
	if (ret || (!f.has_size && !f.has_crc))
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
	if (ret || !f.has_crc)
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
	if (!ret)
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
