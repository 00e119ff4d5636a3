/* The byte store: 64 KiB pages, each a buffer over its data and, while it
 * has holes, a coverage bitmap. */
#include <stdlib.h>
#include <string.h>

#include "core/store.h"

#define WORDS (STORE_PAGE / 64)

struct store_page {
	uint8_t *buf;		/* offsets [base, base + cap) */
	uint32_t base, cap;
	uint32_t lo, hi;	/* every byte of the page is in [lo, hi) */
	uint32_t count;		/* bytes held, > 0 */
	uint64_t *bits;		/* set: the offset holds a byte; NULL: all
				   of [lo, hi) does */
	bool borrowed;		/* buf is the caller's memory (store_put_ref),
				   read only: copied before any change */
};

static void page_free(struct store_page *g)
{
	if (!g->borrowed)
		free(g->buf);
	free(g->bits);
	free(g);
}

/* Makes a borrowed page's bytes its own, before they change. */
static int page_own(struct store_page *g)
{
	uint8_t *buf;

	if (!g->borrowed)
		return STIMG_OK;
	buf = malloc(g->cap);
	if (!buf)
		return STIMG_ENOMEM;
	memcpy(buf, g->buf, g->cap);
	g->buf = buf;
	g->borrowed = false;
	return STIMG_OK;
}

void store_release(struct store *s)
{
	uint32_t i;

	for (i = 0; s->dir && i < STORE_PAGES; i++)
		if (s->dir[i])
			page_free(s->dir[i]);
	free(s->dir);
	free(s->present);
	memset(s, 0, sizeof(*s));
}

/* Mask of bits [a, b) of the word holding bit a; b - a <= 64 - a % 64. */
static uint64_t mask(uint32_t a, uint32_t b)
{
	uint32_t n = b - a;

	return (n == 64 ? ~(uint64_t)0 : ((uint64_t)1 << n) - 1) << (a % 64);
}

/* The first offset in [from, to) whose bit is set (want) or clear. */
static uint32_t bits_find(const uint64_t *bits, uint32_t from, uint32_t to,
			  bool want)
{
	while (from < to) {
		uint32_t end = (from | 63) + 1 < to ? (from | 63) + 1 : to;
		uint64_t w = (want ? bits[from / 64] : ~bits[from / 64]) &
			     mask(from, end);

		if (w)
			return (from & ~63u) + (uint32_t)__builtin_ctzll(w);
		from = end;
	}
	return to;
}

/* One past the last set bit in [from, to), or from when none is. */
static uint32_t bits_end(const uint64_t *bits, uint32_t from, uint32_t to)
{
	while (to > from) {
		uint32_t start = ((to - 1) & ~63u) > from ? (to - 1) & ~63u : from;
		uint64_t w = bits[start / 64] & mask(start, to);

		if (w)
			return (start & ~63u) + 64 - (uint32_t)__builtin_clzll(w);
		to = start;
	}
	return from;
}

/* Sets (or clears) the bits [a, b); returns how many changed. */
static uint32_t bits_set(uint64_t *bits, uint32_t a, uint32_t b, bool set)
{
	uint32_t n = 0;

	while (a < b) {
		uint32_t end = (a | 63) + 1 < b ? (a | 63) + 1 : b;
		uint64_t m = mask(a, end), *w = &bits[a / 64];

		n += (uint32_t)__builtin_popcountll(set ? m & ~*w : m & *w);
		*w = set ? *w | m : *w & ~m;
		a = end;
	}
	return n;
}

/* Gives g a bitmap that says what it holds today. */
static int page_split(struct store_page *g)
{
	if (g->bits)
		return STIMG_OK;
	g->bits = calloc(WORDS, sizeof(*g->bits));
	if (!g->bits)
		return STIMG_ENOMEM;
	bits_set(g->bits, g->lo, g->hi, true);
	return STIMG_OK;
}

/*
 * Makes g's buffer cover [a, b) as well as [lo, hi). It grows to twice
 * what it must hold (at most the page), with the room on the side it
 * grew, so bytes arriving in order, either way, cost O(1) each.
 */
static int page_reserve(struct store_page *g, uint32_t a, uint32_t b)
{
	uint32_t na = a < g->lo ? a : g->lo, nb = b > g->hi ? b : g->hi;
	uint32_t size = nb - na, cap, base;
	uint8_t *buf;

	if (na >= g->base && nb <= g->base + g->cap)
		return page_own(g);
	cap = size < STORE_PAGE / 3 * 2 ? size + size / 2 : STORE_PAGE;
	if (cap < 64)
		cap = size < 64 ? 64 : size;
	if (cap > STORE_PAGE)
		cap = STORE_PAGE;
	if (na < g->base)
		base = nb > cap ? nb - cap : 0;
	else
		base = na < STORE_PAGE - cap ? na : STORE_PAGE - cap;
	if (base == g->base && !g->borrowed) {
		buf = realloc(g->buf, cap);
		if (!buf)
			return STIMG_ENOMEM;
	} else {
		buf = malloc(cap);
		if (!buf)
			return STIMG_ENOMEM;
		memcpy(buf + (g->lo - base), g->buf + (g->lo - g->base),
		       g->hi - g->lo);
		if (!g->borrowed)
			free(g->buf);
		g->borrowed = false;
	}
	g->buf = buf;
	g->base = base;
	g->cap = cap;
	return STIMG_OK;
}

static int page_new(struct store *s, uint32_t index, uint32_t a, uint32_t b,
		    struct store_page **out)
{
	struct store_page *g;

	if (!s->dir) {
		s->dir = calloc(STORE_PAGES, sizeof(*s->dir));
		s->present = calloc(STORE_PAGES / 64, sizeof(*s->present));
		if (!s->dir || !s->present) {
			free(s->dir);
			free(s->present);
			s->dir = NULL;
			s->present = NULL;
			return STIMG_ENOMEM;
		}
	}
	/* b == a: no buffer yet (store_put_ref points it at the caller's) */
	g = calloc(1, sizeof(*g));
	if (!g || (b > a && !(g->buf = malloc(b - a)))) {
		free(g);
		return STIMG_ENOMEM;
	}
	g->base = g->lo = g->hi = a;
	g->cap = b - a;
	s->dir[index] = g;
	s->present[index / 64] |= (uint64_t)1 << (index % 64);
	*out = g;
	return STIMG_OK;
}

static void page_drop(struct store *s, uint32_t index)
{
	page_free(s->dir[index]);
	s->dir[index] = NULL;
	s->present[index / 64] &= ~((uint64_t)1 << (index % 64));
	if (s->hot_index == index)
		s->hot = NULL;
}

static struct store_page *page_at(const struct store *s, uint32_t index)
{
	return s->dir ? s->dir[index] : NULL;
}

/*
 * The first byte of page g in [a, b) that differs from q's (p NULL: from
 * fill), into meet; meet->met when any byte of [a, b) is there.
 */
static void page_compare(const struct store_page *g, uint32_t page,
			 uint32_t a, uint32_t b, const uint8_t *q, uint8_t fill,
			 struct store_meet *meet)
{
	uint32_t lo = a > g->lo ? a : g->lo, hi = b < g->hi ? b : g->hi, off;

	while (lo < hi) {
		const uint8_t *x;

		if (g->bits) {
			lo = bits_find(g->bits, lo, hi, true);
			off = bits_find(g->bits, lo, hi, false);
		} else {
			off = hi;
		}
		if (lo == off)
			break;
		meet->met = true;
		for (x = g->buf + (lo - g->base); lo < off; lo++, x++) {
			uint8_t v = q ? q[lo - a] : fill;

			if (*x != v && !meet->differ) {
				meet->differ = true;
				meet->at = page << STORE_PAGE_SHIFT | lo;
				meet->old = *x;
				meet->new = v;
			}
		}
		lo = off;
	}
}

static void copy_in(struct store_page *g, uint32_t a, uint32_t b,
		    const uint8_t *q, uint8_t fill)
{
	if (q)
		memcpy(g->buf + (a - g->base), q, b - a);
	else
		memset(g->buf + (a - g->base), fill, b - a);
}

/* Writes [a, b) of one page (q: the bytes for a, or NULL for fill). */
static int page_put(struct store *s, uint32_t index, uint32_t a, uint32_t b,
		    const uint8_t *q, uint8_t fill, enum stimg_overlap pol)
{
	struct store_page *g = page_at(s, index);
	uint32_t at, end, added;
	int ret;

	if (!g) {
		ret = page_new(s, index, a, b, &g);
		if (ret)
			return ret;
		copy_in(g, a, b, q, fill);
		g->lo = a;
		g->hi = b;
		g->count = b - a;
		s->bytes += b - a;
		goto out;
	}
	/* holes appear: a bitmap from now on */
	if (!g->bits && (b < g->lo || a > g->hi)) {
		ret = page_split(g);
		if (ret)
			return ret;
	}
	ret = page_reserve(g, a, b);
	if (ret)
		return ret;
	if (pol != STIMG_OVERLAP_FIRST) {
		copy_in(g, a, b, q, fill);
	} else if (!g->bits) {
		/* only the offsets that hold nothing yet: below lo, from hi */
		if (a < g->lo)
			copy_in(g, a, b < g->lo ? b : g->lo, q, fill);
		if (b > g->hi) {
			at = a > g->hi ? a : g->hi;
			copy_in(g, at, b, q ? q + (at - a) : NULL, fill);
		}
	} else {
		for (at = bits_find(g->bits, a, b, false); at < b;
		     at = bits_find(g->bits, end, b, false)) {
			end = bits_find(g->bits, at, b, true);
			copy_in(g, at, end, q ? q + (at - a) : NULL, fill);
		}
	}
	if (g->bits) {
		added = bits_set(g->bits, a, b, true);
	} else {
		uint32_t lo = a > g->lo ? a : g->lo, hi = b < g->hi ? b : g->hi;

		added = (b - a) - (lo < hi ? hi - lo : 0);
	}
	g->lo = a < g->lo ? a : g->lo;
	g->hi = b > g->hi ? b : g->hi;
	g->count += added;
	s->bytes += added;
	if (g->bits && g->count == g->hi - g->lo) {
		free(g->bits);
		g->bits = NULL;
	}
out:
	s->hot = g;
	s->hot_index = index;
	return STIMG_OK;
}

int store_put_ref(struct store *s, uint32_t addr, const uint8_t *p,
		  size_t len)
{
	uint64_t at, end = (uint64_t)addr + len;
	int ret = STIMG_OK;

	/* every page it touches must be empty */
	for (at = addr; at < end; at = (at | (STORE_PAGE - 1)) + 1)
		if (page_at(s, (uint32_t)(at >> STORE_PAGE_SHIFT)))
			return 1;
	for (at = addr; at < end && !ret; at = (at | (STORE_PAGE - 1)) + 1) {
		uint32_t index = (uint32_t)(at >> STORE_PAGE_SHIFT);
		uint32_t a = (uint32_t)at & (STORE_PAGE - 1);
		uint32_t b = a + (uint32_t)((at | (STORE_PAGE - 1)) + 1 < end
					    ? STORE_PAGE - a : end - at);
		struct store_page *g;

		ret = page_new(s, index, a, a, &g);
		if (ret)
			break;
		g->buf = (uint8_t *)(p + (at - addr));
		g->borrowed = true;
		g->base = g->lo = a;
		g->hi = b;
		g->cap = b - a;
		g->count = b - a;
		s->bytes += b - a;
	}
	return ret;
}

int store_put(struct store *s, uint32_t addr, const uint8_t *p, uint8_t fill,
	      size_t len, enum stimg_overlap pol, struct store_meet *meet)
{
	uint64_t at, end = (uint64_t)addr + len;
	struct store_meet m = { false, false, 0, 0, 0 };
	struct store_page *g = s->hot;
	uint32_t off = addr & (STORE_PAGE - 1);
	int ret = STIMG_OK;

	/* the common case: the next bytes of the last page written */
	if (g && !g->bits && !g->borrowed &&
	    addr >> STORE_PAGE_SHIFT == s->hot_index && off == g->hi &&
	    len <= STORE_PAGE - off && p) {
		if (off + len > g->base + g->cap &&
		    (ret = page_reserve(g, off, off + (uint32_t)len)))
			return ret;
		memcpy(g->buf + (off - g->base), p, len);
		g->hi += (uint32_t)len;
		g->count += (uint32_t)len;
		s->bytes += len;
		if (meet)
			*meet = m;
		return STIMG_OK;
	}
	for (at = addr; at < end && s->dir; at = (at | (STORE_PAGE - 1)) + 1) {
		uint32_t index = (uint32_t)(at >> STORE_PAGE_SHIFT);
		uint32_t a = (uint32_t)at & (STORE_PAGE - 1);
		uint64_t e = (at | (STORE_PAGE - 1)) + 1 < end
			     ? (at | (STORE_PAGE - 1)) + 1 : end;

		if (s->dir[index])
			page_compare(s->dir[index], index, a,
				     a + (uint32_t)(e - at),
				     p ? p + (at - addr) : NULL, fill, &m);
	}
	if (meet)
		*meet = m;
	if (m.differ && pol == STIMG_OVERLAP_ERROR)
		return STIMG_ECONFLICT;
	for (at = addr; at < end && !ret; at = (at | (STORE_PAGE - 1)) + 1) {
		uint64_t e = (at | (STORE_PAGE - 1)) + 1 < end
			     ? (at | (STORE_PAGE - 1)) + 1 : end;
		uint32_t a = (uint32_t)at & (STORE_PAGE - 1);

		ret = page_put(s, (uint32_t)(at >> STORE_PAGE_SHIFT), a,
			       a + (uint32_t)(e - at),
			       p ? p + (at - addr) : NULL, fill, pol);
	}
	return ret;
}

/* Removes [a, b) from the page at index. */
static int page_clear(struct store *s, uint32_t index, uint32_t a, uint32_t b)
{
	struct store_page *g = s->dir[index];
	uint32_t lo = a > g->lo ? a : g->lo, hi = b < g->hi ? b : g->hi, gone;
	int ret;

	if (lo >= hi)
		return STIMG_OK;
	if (lo == g->lo && hi == g->hi) {
		s->bytes -= g->count;
		page_drop(s, index);
		return STIMG_OK;
	}
	if (!g->bits && lo > g->lo && hi < g->hi) {
		ret = page_split(g);
		if (ret)
			return ret;
	}
	if (g->bits) {
		gone = bits_set(g->bits, lo, hi, false);
		g->lo = bits_find(g->bits, g->lo, g->hi, true);
		g->hi = bits_end(g->bits, g->lo, g->hi);
	} else {
		gone = hi - lo;
		if (lo == g->lo)
			g->lo = hi;
		else
			g->hi = lo;
	}
	g->count -= gone;
	s->bytes -= gone;
	if (!g->count)
		page_drop(s, index);
	else if (g->bits && g->count == g->hi - g->lo) {
		free(g->bits);
		g->bits = NULL;
	}
	return STIMG_OK;
}

int store_clear(struct store *s, uint64_t start, uint64_t end)
{
	uint64_t at;
	int ret = STIMG_OK;

	if (end > STIMG_ADDR_END)
		end = STIMG_ADDR_END;
	for (at = start; at < end && s->dir && !ret;
	     at = (at | (STORE_PAGE - 1)) + 1) {
		uint32_t index = (uint32_t)(at >> STORE_PAGE_SHIFT);
		uint64_t e = (at | (STORE_PAGE - 1)) + 1 < end
			     ? (at | (STORE_PAGE - 1)) + 1 : end;

		if (s->dir[index])
			ret = page_clear(s, index, (uint32_t)at & (STORE_PAGE - 1),
					 (uint32_t)(at & (STORE_PAGE - 1)) +
					 (uint32_t)(e - at));
	}
	return ret;
}

bool store_get(const struct store *s, uint32_t addr, uint8_t *out, size_t len)
{
	uint64_t at = addr, end = (uint64_t)addr + len;

	while (at < end) {
		const struct store_page *g = page_at(s, (uint32_t)(at >> STORE_PAGE_SHIFT));
		uint32_t a = (uint32_t)at & (STORE_PAGE - 1);
		uint64_t e = (at | (STORE_PAGE - 1)) + 1 < end
			     ? (at | (STORE_PAGE - 1)) + 1 : end;
		uint32_t b = a + (uint32_t)(e - at);

		if (!g || a < g->lo || b > g->hi ||
		    (g->bits && bits_find(g->bits, a, b, false) < b))
			return false;
		memcpy(out + (at - addr), g->buf + (a - g->base), b - a);
		at = e;
	}
	return true;
}

/* The first page at or after index that holds bytes, or STORE_PAGES. */
static uint32_t next_page(const struct store *s, uint64_t index)
{
	while (index < STORE_PAGES) {
		uint64_t w = s->present[index / 64] >> (index % 64);

		if (w)
			return (uint32_t)index + (uint32_t)__builtin_ctzll(w);
		index = (index | 63) + 1;
	}
	return STORE_PAGES;
}

bool store_next(const struct store *s, uint64_t *at, uint32_t *addr,
		const uint8_t **p, size_t *len)
{
	uint64_t index;

	if (!s->dir)
		return false;
	for (index = *at >> STORE_PAGE_SHIFT;
	     (index = next_page(s, index)) < STORE_PAGES; index++) {
		const struct store_page *g = s->dir[index];
		uint32_t off = index == *at >> STORE_PAGE_SHIFT
			       ? (uint32_t)*at & (STORE_PAGE - 1) : 0, lo, hi;

		lo = off > g->lo ? off : g->lo;
		if (lo >= g->hi)
			continue;
		if (g->bits) {
			lo = bits_find(g->bits, lo, g->hi, true);
			if (lo >= g->hi)
				continue;
			hi = bits_find(g->bits, lo, g->hi, false);
		} else {
			hi = g->hi;
		}
		*addr = (uint32_t)(index << STORE_PAGE_SHIFT) | lo;
		*p = g->buf + (lo - g->base);
		*len = hi - lo;
		*at = (uint64_t)*addr + *len;
		return true;
	}
	return false;
}

bool store_span(const struct store *s, uint64_t *lo, uint64_t *hi)
{
	uint32_t first, last = STORE_PAGES;

	if (!s->dir || (first = next_page(s, 0)) == STORE_PAGES)
		return false;
	while (last-- > 0) {
		uint64_t w = s->present[last / 64] & mask(last & ~63u, last + 1);

		if (w) {
			last = (last & ~63u) + 63 - (uint32_t)__builtin_clzll(w);
			break;
		}
		last &= ~63u;
	}
	*lo = ((uint64_t)first << STORE_PAGE_SHIFT) + s->dir[first]->lo;
	*hi = ((uint64_t)last << STORE_PAGE_SHIFT) + s->dir[last]->hi;
	return true;
}

int store_move(struct store *s, int64_t delta)
{
	struct store out = STORE_INIT;
	uint64_t at = 0;
	uint32_t addr;
	const uint8_t *p;
	size_t len;
	int ret = STIMG_OK;

	if (!delta || !s->dir)
		return STIMG_OK;
	/* whole pages: the directory moves, the bytes stay */
	if (delta % STORE_PAGE == 0) {
		int64_t by = delta / STORE_PAGE;
		uint32_t i, n = STORE_PAGES;

		for (i = 0; i < n; i++) {
			uint32_t from = by > 0 ? n - 1 - i : i;

			if (!s->dir[from])
				continue;
			s->dir[from + by] = s->dir[from];
			s->dir[from] = NULL;
			s->present[from / 64] &= ~((uint64_t)1 << (from % 64));
			s->present[(from + by) / 64] |= (uint64_t)1 << ((from + by) % 64);
		}
		s->hot = NULL;
		return STIMG_OK;
	}
	while (!ret && store_next(s, &at, &addr, &p, &len))
		ret = store_put(&out, (uint32_t)((int64_t)addr + delta), p, 0,
				len, STIMG_OVERLAP_LAST, NULL);
	if (ret) {
		store_release(&out);
		return ret;
	}
	store_release(s);
	*s = out;
	return STIMG_OK;
}
