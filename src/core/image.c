/*
 * The image: bytes (store.c), their origins (origin.c), the sources, the
 * entry point, and what readers recorded beside the bytes. Conflicts are
 * reported here, naming both sides.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "core/origin.h"
#include "core/store.h"

struct source {
	struct stimg_source pub;	/* its strings are the two below */
	char *name, *format;
	struct stimg_resolver resolver;	/* find NULL: none */
	struct stimg_elf_info elf;
	struct stimg_attr *attrs;	/* keys and values owned */
	size_t nattrs, attrcap;
};

/* Memory the image keeps for bytes it points at (stimg_image_keep). */
struct kept {
	void *mem;
	size_t len;
	void (*release)(void *mem, size_t len);
};

struct stimg__image {
	struct store store;
	struct kept *kept;
	size_t nkept, keptcap;
	struct origins org;
	struct source *src;
	size_t nsrc, srccap;
	bool has_entry;
	uint32_t entry;
	unsigned warnings;	/* overlap warnings sent */
	struct stimg_dropped *drop;
	size_t ndrop, dropcap;
	struct stimg_place *place;
	size_t nplace, placecap;
};

void stimg_image_init(struct stimg_image *img)
{
	img->priv = NULL;
}

/* The private state, made on first use; NULL when out of memory. */
static struct stimg__image *state(struct stimg_image *img)
{
	if (!img->priv)
		img->priv = calloc(1, sizeof(*img->priv));
	return img->priv;
}

void stimg_image_release(struct stimg_image *img)
{
	struct stimg__image *m = img->priv;
	size_t i;

	if (!m)
		return;
	store_release(&m->store);
	for (i = 0; i < m->nkept; i++)
		m->kept[i].release(m->kept[i].mem, m->kept[i].len);
	free(m->kept);
	origins_release(&m->org);
	for (i = 0; i < m->nsrc; i++) {
		size_t k;

		for (k = 0; k < m->src[i].nattrs; k++) {
			free((char *)m->src[i].attrs[k].key);
			free((char *)m->src[i].attrs[k].value);
		}
		free(m->src[i].attrs);
		free(m->src[i].name);
		free(m->src[i].format);
		if (m->src[i].resolver.free)
			m->src[i].resolver.free(m->src[i].resolver.ctx);
	}
	for (i = 0; i < m->ndrop; i++)
		free((char *)m->drop[i].why);
	for (i = 0; i < m->nplace; i++)
		free((char *)m->place[i].name);
	free(m->src);
	free(m->drop);
	free(m->place);
	free(m);
	img->priv = NULL;
}

int stimg_image_add_source(struct stimg_image *img, const char *name,
			   const char *format,
			   const struct stimg_resolver *resolver,
			   uint32_t *id)
{
	struct stimg__image *m = state(img);
	struct source *s;

	if (!m || array_grow(&m->src, &m->srccap, m->nsrc + 1,
			      sizeof(*m->src), 4))
		goto nomem;
	s = &m->src[m->nsrc];
	memset(s, 0, sizeof(*s));
	s->name = strdup(name);
	s->format = format ? strdup(format) : NULL;
	if (!s->name || (format && !s->format)) {
		free(s->name);
		free(s->format);
		goto nomem;
	}
	if (resolver)
		s->resolver = *resolver;
	*id = (uint32_t)m->nsrc++;
	return STIMG_OK;
nomem:
	if (resolver && resolver->free)
		resolver->free(resolver->ctx);
	return STIMG_ENOMEM;
}

size_t stimg_image_nsources(const struct stimg_image *img)
{
	return img->priv ? img->priv->nsrc : 0;
}

const struct stimg_source *stimg_image_source(const struct stimg_image *img,
					      uint32_t id)
{
	struct source *s = &img->priv->src[id];

	/* filled here: the array moves as it grows */
	s->pub.name = s->name;
	s->pub.format = s->format;
	s->pub.elf = s->elf.elf_class ? &s->elf : NULL;
	s->pub.attrs = s->attrs;
	s->pub.nattrs = s->nattrs;
	return &s->pub;
}

int stimg_image_source_entry(struct stimg_image *img, uint32_t src,
			     uint32_t entry)
{
	img->priv->src[src].pub.has_entry = true;
	img->priv->src[src].pub.entry = entry;
	return STIMG_OK;
}

int stimg_image_source_attr(struct stimg_image *img, uint32_t src,
			    const char *key, const char *value)
{
	struct source *s = &img->priv->src[src];
	char *k = strdup(key), *v = strdup(value);

	if (!k || !v || array_grow(&s->attrs, &s->attrcap, s->nattrs + 1,
				   sizeof(*s->attrs), 4)) {
		free(k);
		free(v);
		return STIMG_ENOMEM;
	}
	s->attrs[s->nattrs++] = (struct stimg_attr){ k, v };
	return STIMG_OK;
}

int stimg_image_source_elf(struct stimg_image *img, uint32_t src,
			   const struct stimg_elf_info *e)
{
	img->priv->src[src].elf = *e;
	return STIMG_OK;
}

/*
 * The first record of sources 0..last (of last only before line below)
 * that covers addr, through their resolvers.
 */
static bool resolve(const struct stimg__image *m, uint32_t addr, uint32_t last,
		    uint32_t below, uint32_t *src, uint32_t *line,
		    struct stimg_range *record)
{
	uint32_t i, unread = 0, nunread = 0;

	for (i = 0; i <= last && i < m->nsrc; i++) {
		const struct stimg_resolver *r = &m->src[i].resolver;

		if (!r->find) {
			unread = i;
			nunread++;
		} else if (r->find(r->ctx, addr, i == last ? below : 0, line,
				   record) == 1) {
			*src = i;
			return true;
		}
	}
	/*
	 * none of those read again has it: when exactly one input cannot be
	 * read again, it is that one's, record unknown (line 0, the byte)
	 */
	if (nunread != 1)
		return false;
	*src = unread;
	*line = 0;
	record->start = addr;
	record->end = (uint64_t)addr + 1;
	return true;
}

bool stimg_image_origin(const struct stimg_image *img, uint32_t addr,
			uint32_t *src, uint32_t *line,
			struct stimg_range *record)
{
	const struct stimg__image *m = img->priv;

	if (!m || !m->nsrc)
		return false;
	if (!m->org.dropped)
		return origins_find(&m->org, addr, src, line, record);
	return resolve(m, addr, (uint32_t)m->nsrc - 1, 0, src, line, record);
}

/* "file:line", or "file" when the place has no line. */
static void where(char *buf, size_t n, const char *file, uint32_t line)
{
	if (line)
		snprintf(buf, n, "%s:%" PRIu32, file, line);
	else
		snprintf(buf, n, "%s", file);
}

/* Overlap warnings after this many become one line saying so. */
#define MAX_WARNINGS 8

/*
 * Reports the differing byte meet found for a put from src of the record
 * rec on line: an error under STIMG_OVERLAP_ERROR, else a warning.
 */
static int conflict(struct stimg__image *m, const struct store_meet *meet,
		    struct stimg_range rec, uint32_t src, uint32_t line,
		    enum stimg_overlap pol, struct stimg_diag *d)
{
	char a[600], b[600];
	struct stimg_range old = rec;
	uint32_t oldsrc, oldline;
	bool found;

	/* a warning nobody receives needs no origin (which may read files) */
	if (pol != STIMG_OVERLAP_ERROR && (!d || !d->warn))
		return STIMG_OK;
	if (pol != STIMG_OVERLAP_ERROR && m->warnings++ >= MAX_WARNINGS) {
		if (m->warnings == MAX_WARNINGS + 1)
			diag_warn(d, NULL, 0, "more overlaps with differing "
				  "bytes; not reporting them");
		return STIMG_OK;
	}
	if (!m->org.dropped)
		found = origins_find(&m->org, meet->at, &oldsrc, &oldline, &old);
	else
		found = resolve(m, meet->at, src, line, &oldsrc, &oldline, &old);
	if (!found) {
		snprintf(a, sizeof(a), "an earlier input");
	} else {
		/* a record known only by its input: one not read again */
		if (m->org.dropped && !m->src[oldsrc].resolver.find)
			snprintf(a, sizeof(a), "an earlier record of %s",
				 m->src[oldsrc].name);
		else
			where(a, sizeof(a), m->src[oldsrc].name, oldline);
		/* the range both set */
		if (old.start > rec.start)
			rec.start = old.start;
		if (old.end < rec.end)
			rec.end = old.end;
	}
	where(b, sizeof(b), m->src[src].name, line);
	if (pol == STIMG_OVERLAP_ERROR)
		return diag_set(d, NULL, 0, STIMG_ECONFLICT,
				"%s and %s both set 0x%08" PRIX64 "..0x%08" PRIX64
				" (first difference at 0x%08" PRIX32
				": 0x%02X vs 0x%02X)",
				a, b, rec.start, rec.end - 1, meet->at,
				meet->old, meet->new);
	diag_warn(d, NULL, 0,
		  "%s and %s both set 0x%08" PRIX64 "..0x%08" PRIX64
		  " (first difference at 0x%08" PRIX32
		  ": 0x%02X vs 0x%02X); keeping the %s",
		  a, b, rec.start, rec.end - 1, meet->at, meet->old, meet->new,
		  pol == STIMG_OVERLAP_FIRST ? "first" : "last");
	return STIMG_OK;
}

int stimg_image_put_records(struct stimg_image *img, uint64_t addr,
			    const uint8_t *data, size_t len, uint32_t src,
			    uint32_t line, uint32_t step,
			    enum stimg_overlap pol, struct stimg_diag *d)
{
	struct stimg__image *m = state(img);
	struct store_meet meet;
	int ret;

	if (!len)
		return STIMG_OK;
	if (!m)
		return STIMG_ENOMEM;
	if (addr >= STIMG_ADDR_END || len > STIMG_ADDR_END - addr)
		return diag_set(d, m->src[src].name, line, STIMG_ERANGE,
				"data at 0x%08" PRIX64 "..0x%" PRIX64
				" lies past the 32-bit address space",
				addr, addr + len - 1);
	ret = store_put(&m->store, (uint32_t)addr, data, 0, len, pol, &meet);
	if (ret && ret != STIMG_ECONFLICT)
		return ret;
	if (meet.differ) {
		/* the record that holds the first difference */
		uint64_t k = line && step ? (meet.at - addr) / step : 0;
		struct stimg_range rec = { addr, addr + len };
		int err;

		if (line && step) {
			rec.start = addr + k * step;
			if (rec.start + step < rec.end)
				rec.end = rec.start + step;
		}
		err = conflict(m, &meet, rec, src, line ? line + (uint32_t)k : 0,
			       pol, d);
		if (err || ret)
			return err ? err : ret;
	}
	return origins_note(&m->org, (uint32_t)addr, len, step, src, line,
			    meet.met && pol == STIMG_OVERLAP_FIRST,
			    m->store.bytes);
}

int stimg_image_keep(struct stimg_image *img, void *mem, size_t len,
		     void (*release)(void *mem, size_t len))
{
	struct stimg__image *m = state(img);

	if (!m || array_grow(&m->kept, &m->keptcap, m->nkept + 1,
			     sizeof(*m->kept), 4))
		return STIMG_ENOMEM;
	m->kept[m->nkept++] = (struct kept){ mem, len, release };
	return STIMG_OK;
}

int stimg_image_put_ref(struct stimg_image *img, uint64_t addr,
			const uint8_t *data, size_t len, uint32_t src,
			enum stimg_overlap pol, struct stimg_diag *d)
{
	struct stimg__image *m = state(img);
	int ret;

	if (!m)
		return STIMG_ENOMEM;
	if (!len || addr >= STIMG_ADDR_END || len > STIMG_ADDR_END - addr)
		return stimg_image_put(img, addr, data, len, src, 0, pol, d);
	ret = store_put_ref(&m->store, (uint32_t)addr, data, len);
	if (ret > 0)
		return stimg_image_put(img, addr, data, len, src, 0, pol, d);
	if (ret)
		return ret;
	return origins_note(&m->org, (uint32_t)addr, len, 0, src, 0, false,
			    m->store.bytes);
}

int stimg_image_put(struct stimg_image *img, uint64_t addr, const uint8_t *data,
		    size_t len, uint32_t src, uint32_t line,
		    enum stimg_overlap pol, struct stimg_diag *d)
{
	return stimg_image_put_records(img, addr, data, len, src, line, 0, pol,
				       d);
}

int stimg_image_fill(struct stimg_image *img, uint8_t byte,
		     const struct stimg_range *r)
{
	struct stimg__image *m = state(img);

	if (!m)
		return STIMG_ENOMEM;
	if (r->start >= r->end)
		return STIMG_OK;
	return store_put(&m->store, (uint32_t)r->start, NULL, byte,
			 (size_t)(r->end - r->start), STIMG_OVERLAP_FIRST, NULL);
}

int stimg_image_remove(struct stimg_image *img, const struct stimg_ranges *r)
{
	size_t i;
	int ret = STIMG_OK;

	for (i = 0; img->priv && i < r->n && !ret; i++)
		ret = store_clear(&img->priv->store, r->v[i].start, r->v[i].end);
	return ret;
}

int stimg_image_move(struct stimg_image *img, int64_t delta,
		     struct stimg_diag *d)
{
	struct stimg__image *m = img->priv;
	struct stimg_range span = stimg_image_span(img);
	int ret;

	if (!m || !delta || span.start == span.end)
		return STIMG_OK;
	if ((int64_t)span.start + delta < 0 ||
	    (int64_t)span.end + delta > (int64_t)STIMG_ADDR_END)
		return diag_set(d, NULL, 0, STIMG_ERANGE,
				"offset %s0x%" PRIX64 " moves 0x%08" PRIX64
				"..0x%08" PRIX64 " outside the 32-bit address space",
				delta < 0 ? "-" : "",
				delta < 0 ? (uint64_t)-delta : (uint64_t)delta,
				span.start, span.end - 1);
	ret = store_move(&m->store, delta);
	if (ret)
		return ret;
	origins_move(&m->org, delta);
	if (m->has_entry) {
		int64_t e = (int64_t)m->entry + delta;

		m->has_entry = e >= 0 && e < (int64_t)STIMG_ADDR_END;
		m->entry = (uint32_t)e;
	}
	return STIMG_OK;
}

bool stimg_image_entry(const struct stimg_image *img, uint32_t *entry)
{
	if (!img->priv || !img->priv->has_entry)
		return false;
	*entry = img->priv->entry;
	return true;
}

void stimg_image_set_entry(struct stimg_image *img, bool has, uint32_t entry)
{
	struct stimg__image *m = state(img);

	if (m) {
		m->has_entry = has;
		m->entry = entry;
	}
}

struct stimg_range stimg_image_span(const struct stimg_image *img)
{
	struct stimg_range r = { 0, 0 };

	if (img->priv && !store_span(&img->priv->store, &r.start, &r.end))
		r.start = r.end = 0;
	return r;
}

uint64_t stimg_image_bytes(const struct stimg_image *img)
{
	return img->priv ? img->priv->store.bytes : 0;
}

bool stimg_image_next_chunk(const struct stimg_image *img, uint64_t *at,
			    struct stimg_chunk *c)
{
	return img->priv && store_next(&img->priv->store, at, &c->addr,
				       &c->data, &c->len);
}

bool stimg_image_next_region(const struct stimg_image *img, uint64_t *at,
			     struct stimg_range *r)
{
	struct stimg_chunk c;
	uint64_t next;

	if (!stimg_image_next_chunk(img, at, &c))
		return false;
	r->start = c.addr;
	r->end = (uint64_t)c.addr + c.len;
	/* and on to its end, across pages */
	next = r->end;
	while (r->end % STORE_PAGE == 0 &&
	       stimg_image_next_chunk(img, &next, &c) && c.addr == r->end)
		r->end += c.len;
	*at = r->end;
	return true;
}

size_t stimg_image_nregions(const struct stimg_image *img)
{
	struct stimg_range r;
	uint64_t at = 0;
	size_t n = 0;

	while (stimg_image_next_region(img, &at, &r))
		n++;
	return n;
}

int stimg_image_ranges(const struct stimg_image *img, struct stimg_ranges *out)
{
	struct stimg_range r;
	uint64_t at = 0;
	int ret = STIMG_OK;

	while (!ret && stimg_image_next_region(img, &at, &r))
		ret = stimg_ranges_add(out, r.start, r.end);
	return ret;
}

bool stimg_image_get(const struct stimg_image *img, uint32_t addr, uint8_t *out,
		     size_t len)
{
	if (!len)
		return true;
	return img->priv && store_get(&img->priv->store, addr, out, len);
}

int stimg_image_walk(const struct stimg_image *img, const struct stimg_range *r,
		     uint8_t fill,
		     int (*fn)(void *ctx, const uint8_t *p, size_t n),
		     void *ctx)
{
	uint8_t block[4096];
	uint64_t at = r->start, next = r->start;
	struct stimg_chunk c;
	bool more = stimg_image_next_chunk(img, &next, &c);
	int ret = STIMG_OK;

	memset(block, fill, sizeof(block));
	while (at < r->end && !ret) {
		uint64_t start = more && c.addr < r->end ? c.addr : r->end;

		if (at < start) {
			/* a hole: fill bytes, a block at a time */
			uint64_t n = start - at < sizeof(block) ? start - at
								: sizeof(block);

			ret = fn(ctx, block, (size_t)n);
			at += n;
			continue;
		}
		/* inside c: its bytes up to the range's end */
		{
			uint64_t end = (uint64_t)c.addr + c.len;
			uint64_t from = at > c.addr ? at : c.addr;

			if (end > r->end)
				end = r->end;
			ret = fn(ctx, c.data + (from - c.addr), (size_t)(end - from));
			at = end;
			more = stimg_image_next_chunk(img, &next, &c);
		}
	}
	return ret;
}

int stimg_image_add_dropped(struct stimg_image *img, uint64_t start,
			    uint64_t end, uint32_t src, const char *why)
{
	struct stimg__image *m = state(img);
	char *copy = strdup(why);

	if (!m || !copy || array_grow(&m->drop, &m->dropcap, m->ndrop + 1,
				       sizeof(*m->drop), 8)) {
		free(copy);
		return STIMG_ENOMEM;
	}
	m->drop[m->ndrop++] = (struct stimg_dropped){ start, end, src, copy };
	return STIMG_OK;
}

size_t stimg_image_ndropped(const struct stimg_image *img)
{
	return img->priv ? img->priv->ndrop : 0;
}

const struct stimg_dropped *stimg_image_dropped(const struct stimg_image *img,
						size_t i)
{
	return &img->priv->drop[i];
}

int stimg_image_add_place(struct stimg_image *img, const struct stimg_place *p)
{
	struct stimg__image *m = state(img);
	char *name = NULL;

	if (!m || (p->name && !(name = strdup(p->name))) ||
	    array_grow(&m->place, &m->placecap, m->nplace + 1,
			sizeof(*m->place), 32)) {
		free(name);
		return STIMG_ENOMEM;
	}
	m->place[m->nplace] = *p;
	m->place[m->nplace++].name = name;
	return STIMG_OK;
}

size_t stimg_image_nplaces(const struct stimg_image *img)
{
	return img->priv ? img->priv->nplace : 0;
}

const struct stimg_place *stimg_image_place(const struct stimg_image *img,
					    size_t i)
{
	return &img->priv->place[i];
}
