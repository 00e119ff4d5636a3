/*
 * The CRC model registry: the catalogue and stimg's own models, lookup by
 * name or alias in any case, suggestions for a mistyped name, custom
 * models, and what follows from a model's parameters (residue, values as
 * hex). The engine that computes CRCs is crc.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/core.h"
#include "core/hex.h"
#include "core/crc_internal.h"

#include "core/crc_catalogue.h"

/* CRC-32/MPEG-2's parameters, which the STM32 CRC unit has after reset. */
#define STM32_MODEL(chk) \
	{ .name = "stm32", .kind = STIMG_CRC_STM32, .width = 32, \
	  .poly = 0x04C11DB7, .init = 0xFFFFFFFF, .check = chk }
#define SUM_MODEL(nm, k, w, chk) \
	{ .name = nm, .kind = k, .width = w, .check = chk }

static const struct stimg_crc_model models[] = {
	CRC_CATALOGUE
	/* "123456789" and FF FF FF as three words */
	STM32_MODEL(0xD9020D98),
	SUM_MODEL("sum8", STIMG_CRC_SUM, 8, 0xDD),
	SUM_MODEL("sum8-neg", STIMG_CRC_SUM_NEG, 8, 0x23),
	SUM_MODEL("sum16", STIMG_CRC_SUM, 16, 0x01DD),
	SUM_MODEL("sum16-neg", STIMG_CRC_SUM_NEG, 16, 0xFE23),
	SUM_MODEL("sum32", STIMG_CRC_SUM, 32, 0x000001DD),
	SUM_MODEL("sum32-neg", STIMG_CRC_SUM_NEG, 32, 0xFFFFFE23),
};

static const struct stimg_crc_alias aliases[] = {
	CRC_CATALOGUE_ALIASES
	/* stimg's own: names people type, and aliases the catalogue gives on
	 * its model pages */
	{ "crc32", "CRC-32/ISO-HDLC" },
	{ "crc32c", "CRC-32/ISCSI" },
	{ "CRC-16", "CRC-16/ARC" },
	{ "ARC", "CRC-16/ARC" },
	{ "CRC-16/LHA", "CRC-16/ARC" },
	{ "CRC-IBM", "CRC-16/ARC" },
	{ "CRC-64", "CRC-64/ECMA-182" },
	{ "CRC-7", "CRC-7/MMC" },
	{ "CRC-15", "CRC-15/CAN" },
};

const struct stimg_crc_model *stimg_crc_models(size_t *n)
{
	*n = ARRAY_SIZE(models);
	return models;
}

size_t stimg_crc_catalogue_size(void)
{
	size_t n = 0;

	while (models[n].kind == STIMG_CRC_POLY)
		n++;
	return n;
}

const struct stimg_crc_alias *stimg_crc_aliases(size_t *n)
{
	*n = ARRAY_SIZE(aliases);
	return aliases;
}

const struct stimg_crc_model *stimg_crc_find(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(models); i++)
		if (!strcasecmp(name, models[i].name))
			return &models[i];
	for (i = 0; i < ARRAY_SIZE(aliases); i++)
		if (!strcasecmp(name, aliases[i].alias))
			return stimg_crc_find(aliases[i].name);
	return NULL;
}

size_t stimg_crc_suggest(const char *name, const char **out, size_t max)
{
	size_t dist[16], n = 0, i, k;
	size_t total = ARRAY_SIZE(models) + ARRAY_SIZE(aliases);

	if (max > ARRAY_SIZE(dist))
		max = ARRAY_SIZE(dist);
	for (i = 0; i < total; i++) {
		const char *cand = i < ARRAY_SIZE(models)
			? models[i].name : aliases[i - ARRAY_SIZE(models)].alias;
		/* a name that contains what was typed comes first */
		size_t dc = strcasestr(cand, name) ? 0 : stimg_edit_distance(name, cand);

		/* insert in order; equal distances keep table order */
		for (k = n; k > 0 && dist[k - 1] > dc; k--)
			if (k < max) {
				dist[k] = dist[k - 1];
				out[k] = out[k - 1];
			}
		if (k < max) {
			dist[k] = dc;
			out[k] = cand;
			if (n < max)
				n++;
		}
	}
	return n;
}

/* ---- parameters ---- */

void stimg_crc_residue(const struct stimg_crc_model *m, uint64_t *res,
		       uint64_t *res_hi)
{
	*res = *res_hi = 0;
	if (!crc_is_poly(m))
		return;
	if (m->width <= 64) {
		uint64_t x = m->refout ? stimg_crc_reflect(m->xorout, m->width)
				       : m->xorout;

		x = stimg__crc_mulxk(x, m->width, m);
		*res = m->refout ? stimg_crc_reflect(x, m->width) : x;
		return;
	}
#ifdef __SIZEOF_INT128__
	{
		u128 w = join(m->xorout, m->xorout_hi);

		if (m->refout)
			w = reflect128(w, m->width);
		w = stimg__crc_mulxk_wide(w, m->width, m);
		if (m->refout)
			w = reflect128(w, m->width);
		*res = (uint64_t)w;
		*res_hi = (uint64_t)(w >> 64);
	}
#endif
}

/* ---- parsing custom models ---- */

/* Parses a number of up to 128 bits: 0x hexadecimal, or decimal. */
static bool parse_value(const char *s, size_t n, uint64_t *lo, uint64_t *hi)
{
	size_t i;

	*lo = *hi = 0;
	if (!n)
		return false;
	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		if (n - 2 > 32)
			return false;
		for (i = 2; i < n; i++) {
			int v = hex_value[(unsigned char)s[i]];

			if (v < 0)
				return false;
			*hi = *hi << 4 | *lo >> 60;
			*lo = *lo << 4 | (unsigned)v;
		}
		return true;
	}
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9' || *lo > (UINT64_MAX - 9) / 10)
			return false;
		*lo = *lo * 10 + (unsigned)(s[i] - '0');
	}
	return true;
}

static bool fits(unsigned w, uint64_t lo, uint64_t hi)
{
	if (w <= 64)
		return !hi && !(lo & ~crc_mask(w));
	return !(hi & ~crc_mask(w - 64));
}

const char *stimg_crc_hex(char *buf, size_t n, unsigned width, uint64_t lo,
			  uint64_t hi, bool upper)
{
	int digits = (int)(width + 3) / 4;

	if (digits > 16)
		snprintf(buf, n, upper ? "%0*" PRIX64 "%016" PRIX64
				       : "%0*" PRIx64 "%016" PRIx64,
			 digits - 16, hi, lo);
	else
		snprintf(buf, n, upper ? "%0*" PRIX64 : "%0*" PRIx64, digits, lo);
	return buf;
}

enum { K_WIDTH, K_POLY, K_INIT, K_REFIN, K_REFOUT, K_XOROUT, K_CHECK,
       K_RESIDUE, K_NAME, K_COUNT };

static int parse_custom(const char *spec, struct stimg_crc_model *m,
			struct stimg_diag *d)
{
	static const char *const keys[K_COUNT] = {
		"width", "poly", "init", "refin", "refout", "xorout", "check",
		"residue", "name",
	};
	uint64_t val[K_COUNT][2] = { { 0 } };
	const char *text[K_COUNT] = { NULL };	/* each value as given */
	int len[K_COUNT] = { 0 };
	bool flag[K_COUNT] = { false };
	char got[40];
	const char *p = spec;
	size_t k;

	memset(m, 0, sizeof(*m));
	for (; *p; p += strcspn(p, ", \t")) {
		size_t n, klen;
		const char *eq;

		p += strspn(p, ", \t");
		n = strcspn(p, ", \t");
		if (!n)
			break;
		eq = memchr(p, '=', n);
		klen = eq ? (size_t)(eq - p) : n;
		for (k = 0; k < K_COUNT; k++)
			if (strlen(keys[k]) == klen && !strncmp(p, keys[k], klen))
				break;
		if (!eq || k == K_COUNT)
			return diag_set(d, NULL, 0, STIMG_EINVAL,
					"custom algorithm: '%.*s' is not one of "
					"width=, poly=, init=, refin=, refout=, "
					"xorout=, check=, residue=, name=",
					(int)n, p);
		text[k] = eq + 1;
		len[k] = (int)(n - klen - 1);
		if (k == K_REFIN || k == K_REFOUT) {
			flag[k] = len[k] == 4 && !strncmp(text[k], "true", 4);
			if (!flag[k] &&
			    !(len[k] == 5 && !strncmp(text[k], "false", 5)))
				return diag_set(d, NULL, 0, STIMG_EINVAL,
						"custom algorithm: %s= must be "
						"true or false", keys[k]);
		} else if (k != K_NAME &&
			   !parse_value(text[k], (size_t)len[k], &val[k][0],
					&val[k][1])) {
			return diag_set(d, NULL, 0, STIMG_EINVAL,
					"custom algorithm: '%.*s' is not a "
					"number (0x.. or decimal)", (int)n, p);
		}
	}
	if (!text[K_WIDTH] || !text[K_POLY])
		return diag_set(d, NULL, 0, STIMG_EINVAL,
				"custom algorithm: width= and poly= are required");
	m->name = "custom";
	m->kind = STIMG_CRC_POLY;
	m->width = val[K_WIDTH][1] || val[K_WIDTH][0] > CRC_MAX_WIDTH
		   ? 0 : (unsigned)val[K_WIDTH][0];
	if (!m->width)
		return diag_set(d, NULL, 0, STIMG_EINVAL, "custom algorithm: "
				"width must be 1 to %d", CRC_MAX_WIDTH);
	for (k = K_POLY; k <= K_RESIDUE; k++)
		if (text[k] && k != K_REFIN && k != K_REFOUT &&
		    !fits(m->width, val[k][0], val[k][1]))
			return diag_set(d, NULL, 0, STIMG_EINVAL,
					"custom algorithm: %s= does not fit in "
					"%u bits", keys[k], m->width);
	m->refin = flag[K_REFIN];
	m->refout = text[K_REFOUT] ? flag[K_REFOUT] : flag[K_REFIN];
	m->poly = val[K_POLY][0];
	m->poly_hi = val[K_POLY][1];
	m->init = val[K_INIT][0];
	m->init_hi = val[K_INIT][1];
	m->xorout = val[K_XOROUT][0];
	m->xorout_hi = val[K_XOROUT][1];
	if (stimg_crc_buffer(m, "123456789", 9, &m->check, &m->check_hi))
		return diag_set(d, NULL, 0, STIMG_ENOMEM, "out of memory");
	stimg_crc_residue(m, &m->residue, &m->residue_hi);
	/* a check or residue given must be what the parameters give */
	for (k = K_CHECK; k <= K_RESIDUE; k++) {
		uint64_t lo = k == K_CHECK ? m->check : m->residue;
		uint64_t hi = k == K_CHECK ? m->check_hi : m->residue_hi;

		if (text[k] && (val[k][0] != lo || val[k][1] != hi))
			return diag_set(d, NULL, 0, STIMG_EINVAL,
					"custom algorithm: %s=%.*s given, but "
					"these parameters give 0x%s%s", keys[k],
					len[k], text[k],
					stimg_crc_hex(got, sizeof(got), m->width,
						      lo, hi, false),
					k == K_CHECK ? " for \"123456789\"" : "");
	}
	return STIMG_OK;
}

int stimg_crc_parse(const char *spec, struct stimg_crc_model *out,
		    struct stimg_diag *d)
{
	const struct stimg_crc_model *m;

	if (strchr(spec, '='))
		return parse_custom(spec, out, d);
	m = stimg_crc_find(spec);
	if (!m)
		return diag_set(d, NULL, 0, STIMG_EINVAL,
				"unknown algorithm '%s'", spec);
	*out = *m;
	return STIMG_OK;
}
