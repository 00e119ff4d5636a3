/* Half-open range sets and the number and range parsers. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "stimg/range.h"

void stimg_ranges_release(struct stimg_ranges *r)
{
	free(r->v);
	r->v = NULL;
	r->n = r->cap = 0;
}

static int ranges_reserve(struct stimg_ranges *r, size_t n)
{
	struct stimg_range *v;
	size_t cap;

	if (n <= r->cap)
		return STIMG_OK;
	cap = r->cap ? r->cap * 2 : 8;
	while (cap < n)
		cap *= 2;
	v = realloc(r->v, cap * sizeof(*v));
	if (!v)
		return STIMG_ENOMEM;
	r->v = v;
	r->cap = cap;
	return STIMG_OK;
}

/*
 * Ranges that overlap or touch [start, end) are v[i..j); they are replaced
 * by their union with it.
 *
 *     [==v[i]==]   [==v[i+1]==]        [==v[j]==]
 *          [=====new=====]
 *     [=========merged========]        [==v[j]==]
 */
int stimg_ranges_add(struct stimg_ranges *r, uint64_t start, uint64_t end)
{
	size_t i, j, lo = 0, hi = r->n;
	int ret;

	if (start >= end)
		return STIMG_OK;
	/*
	 * the first range that reaches start, by binary search: sets built
	 * in address order (image ranges, inverse, intersection) then cost
	 * O(1) per range, not O(n)
	 */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->v[mid].end < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	i = lo;
	for (j = i; j < r->n && r->v[j].start <= end; j++)
		;
	if (i == j) {
		ret = ranges_reserve(r, r->n + 1);
		if (ret)
			return ret;
		memmove(&r->v[i + 1], &r->v[i], (r->n - i) * sizeof(r->v[0]));
		r->v[i].start = start;
		r->v[i].end = end;
		r->n++;
		return STIMG_OK;
	}
	if (r->v[i].start < start)
		start = r->v[i].start;
	if (r->v[j - 1].end > end)
		end = r->v[j - 1].end;
	r->v[i].start = start;
	r->v[i].end = end;
	memmove(&r->v[i + 1], &r->v[j], (r->n - j) * sizeof(r->v[0]));
	r->n -= j - i - 1;
	return STIMG_OK;
}

int stimg_ranges_union(struct stimg_ranges *dst, const struct stimg_ranges *src)
{
	int ret = STIMG_OK;
	size_t i;

	for (i = 0; i < src->n && !ret; i++)
		ret = stimg_ranges_add(dst, src->v[i].start, src->v[i].end);
	return ret;
}

/* The complement of r inside the address space, into out (emptied first). */
static int ranges_invert(const struct stimg_ranges *r, struct stimg_ranges *out)
{
	uint64_t at = 0;
	int ret = STIMG_OK;
	size_t i;

	out->n = 0;
	for (i = 0; i < r->n && !ret; i++) {
		ret = stimg_ranges_add(out, at, r->v[i].start);
		at = r->v[i].end;
	}
	if (!ret)
		ret = stimg_ranges_add(out, at, STIMG_ADDR_END);
	return ret;
}

int stimg_ranges_subtract(struct stimg_ranges *dst,
			  const struct stimg_ranges *src)
{
	struct stimg_ranges keep = STIMG_RANGES_INIT;
	int ret;

	ret = ranges_invert(src, &keep);
	if (!ret)
		ret = stimg_ranges_intersect(dst, &keep);
	stimg_ranges_release(&keep);
	return ret;
}

int stimg_ranges_intersect(struct stimg_ranges *dst,
			   const struct stimg_ranges *src)
{
	struct stimg_ranges out = STIMG_RANGES_INIT;
	size_t i = 0, j = 0;
	int ret = STIMG_OK;

	while (i < dst->n && j < src->n && !ret) {
		uint64_t s = dst->v[i].start > src->v[j].start ? dst->v[i].start
							       : src->v[j].start;
		uint64_t e = dst->v[i].end < src->v[j].end ? dst->v[i].end
							   : src->v[j].end;

		if (s < e)
			ret = stimg_ranges_add(&out, s, e);
		if (dst->v[i].end < src->v[j].end)
			i++;
		else
			j++;
	}
	if (ret) {
		stimg_ranges_release(&out);
		return ret;
	}
	stimg_ranges_release(dst);
	*dst = out;
	return STIMG_OK;
}

bool stimg_ranges_contains(const struct stimg_ranges *r, uint64_t addr)
{
	size_t lo = 0, hi = r->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->v[mid].end <= addr)
			lo = mid + 1;
		else if (r->v[mid].start > addr)
			hi = mid;
		else
			return true;
	}
	return false;
}

/* Parses a number at s, leaving *end after it (and its K/M suffix). */
static int parse_prefix(const char *s, uint64_t max, uint64_t *out,
			const char **end)
{
	unsigned long long v;
	uint64_t mult = 1;
	char *e;

	if (*s < '0' || *s > '9')
		return STIMG_EINVAL;
	errno = 0;
	v = strtoull(s, &e, (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ? 16 : 10);
	if (e == s || (e == s + 2 && (s[1] == 'x' || s[1] == 'X')))
		return STIMG_EINVAL;
	if (*e == 'K' || *e == 'k') {
		mult = 1024;
		e++;
	} else if (*e == 'M' || *e == 'm') {
		mult = 1024 * 1024;
		e++;
	}
	if (errno == ERANGE || v > max / mult)
		return STIMG_ERANGE;
	*out = (uint64_t)v * mult;
	*end = e;
	return STIMG_OK;
}

int stimg_parse_number(const char *s, uint64_t max, uint64_t *out)
{
	const char *end;
	int ret;

	ret = parse_prefix(s, max, out, &end);
	if (!ret && *end)
		ret = STIMG_EINVAL;
	return ret;
}

int stimg_parse_range(const char *s, struct stimg_range *out)
{
	uint64_t a, b;
	const char *end;
	int ret;

	ret = parse_prefix(s, STIMG_ADDR_END, &a, &end);
	if (ret)
		return ret;
	if (*end != ':' && *end != '+')
		return STIMG_EINVAL;
	ret = stimg_parse_number(end + 1, STIMG_ADDR_END, &b);
	if (ret)
		return ret;
	if (*end == '+') {
		if (b > STIMG_ADDR_END - a)
			return STIMG_ERANGE;
		b += a;
	}
	if (b <= a)
		return STIMG_EINVAL;
	out->start = a;
	out->end = b;
	return STIMG_OK;
}
