/*
 * Header fields: where a LOC puts one, what it may write over, and the
 * values --set and --version encode into it.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/hex.h"
#include "fw/fw.h"
#include "stimg/patch.h"
#include "stimg/place.h"

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


void put_uint(uint8_t *p, uint64_t v, size_t n, bool big_endian)
{
	size_t i;

	for (i = 0; i < n; i++, v >>= 8)
		p[big_endian ? n - 1 - i : i] = (uint8_t)v;
}

uint64_t get_uint(const uint8_t *p, size_t n, bool big_endian)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)p[big_endian ? n - 1 - i : i] << (8 * i);
	return v;
}


/*
 * Where a field goes: LOC as a range (START+SIZE, START:END), or through
 * stimg_image_locate (an address: an empty range, the value sets the size;
 * a section or symbol: its bytes, and f->named). f->what names the option
 * for messages; dflt is the LOC used when loc is NULL.
 */
int field_at(const struct stimg_image *img, const char *loc, const char *dflt,
	     const char *what, struct stimg_range *r, struct field *f,
	     struct stimg_diag *d)
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
int field_size(const struct stimg_range *r, size_t n, const char *what,
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
int write_field(struct stimg_image *img, const struct stimg_patch *p,
		const struct field *f, uint64_t addr, const uint8_t *b, size_t n,
		struct stimg_patch_result *r, struct stimg_diag *d)
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
int apply_set(struct stimg_image *img, const struct stimg_patch *p,
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


/* The version's bytes for a field of size bytes (0: an address). */
int encode_version(const struct stimg_patch *p, size_t size, uint64_t addr,
		   uint8_t *out, size_t *n, struct stimg_diag *d)
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
