/* The memory image: sorted segments, origins, and the transforms on them. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "stimg/image.h"

void stimg_image_init(struct stimg_image *img)
{
	memset(img, 0, sizeof(*img));
}

static void seg_free(struct stimg_segment *s)
{
	if (s->data)
		free(s->data - s->front);
	s->data = NULL;
}

/*
 * Makes s hold [start, start + size), start <= s->addr, its bytes kept at
 * their addresses; the caller sets addr and size. Growing the front leaves
 * as much headroom again there, growing the back half as much again.
 */
static int seg_widen(struct stimg_segment *s, uint64_t start, size_t size)
{
	size_t before = (size_t)(s->addr - start), front, cap;
	uint8_t *base = s->data - s->front, *p;

	if (before <= s->front && size <= s->cap + before) {
		s->data -= before;
		s->front -= before;
		s->cap += before;
		return STIMG_OK;
	}
	if (!before) {
		cap = size + size / 2;
		p = realloc(base, s->front + cap);
		if (!p)
			return STIMG_ENOMEM;
		s->data = p + s->front;
		s->cap = cap;
		return STIMG_OK;
	}
	front = size;
	cap = size + size / 4;
	p = malloc(front + cap);
	if (!p)
		return STIMG_ENOMEM;
	memcpy(p + front + before, s->data, s->size);
	free(base);
	s->data = p + front;
	s->front = front;
	s->cap = cap;
	return STIMG_OK;
}

/* Puts collected out of order: see BATCH_MIN. */
struct batch_put {
	uint32_t addr, len, src, line;
	size_t off;		/* of its bytes in the batch's data */
	enum stimg_overlap pol;
};

struct stimg_batch {
	struct batch_put *v;
	size_t n, cap;
	uint8_t *data;		/* NULL: every put is fill bytes */
	size_t len, datacap;
	uint8_t fill;
};

void stimg_image_release(struct stimg_image *img)
{
	size_t i;

	for (i = 0; i < img->nseg; i++)
		seg_free(&img->seg[i]);
	for (i = 0; i < img->nsrc; i++) {
		free(img->src[i].name);
		free(img->src[i].path);
	}
	if (img->batch) {
		free(img->batch->v);
		free(img->batch->data);
		free(img->batch);
	}
	free(img->seg);
	free(img->org);
	free(img->src);
	image_places_release(img);
	stimg_image_init(img);
}

/* Grows *v (of *cap elements of size sz) to hold at least n elements. */
static int grow(void *v, size_t *cap, size_t n, size_t sz, size_t first)
{
	size_t c = *cap ? *cap : first;
	void *p;

	if (n <= *cap)
		return STIMG_OK;
	while (c < n) {
		if (c > SIZE_MAX / 2 / sz)
			return STIMG_ENOMEM;
		c *= 2;
	}
	p = realloc(*(void **)v, c * sz);
	if (!p)
		return STIMG_ENOMEM;
	*(void **)v = p;
	*cap = c;
	return STIMG_OK;
}

int array_grow(void *v, size_t *cap, size_t n, size_t sz, size_t first)
{
	return grow(v, cap, n, sz, first);
}

int stimg_image_add_source(struct stimg_image *img, const char *name,
			   uint32_t *id)
{
	struct stimg_source *src;

	if (grow(&img->src, &img->srccap, img->nsrc + 1, sizeof(*src), 4))
		return STIMG_ENOMEM;
	src = &img->src[img->nsrc];
	memset(src, 0, sizeof(*src));
	src->name = strdup(name);
	if (!src->name)
		return STIMG_ENOMEM;
	*id = (uint32_t)img->nsrc++;
	return STIMG_OK;
}

static uint64_t seg_end(const struct stimg_segment *s)
{
	return (uint64_t)s->addr + s->size;
}

/* The first segment that ends at or after addr (touching counts). */
static size_t seg_first_reaching(const struct stimg_image *img, uint64_t addr)
{
	size_t lo = 0, hi = img->nseg;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (seg_end(&img->seg[mid]) < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Origin runs the image keeps for bytes of data: a run per record of 16
 * bytes (records out of order) would cost more than the data.
 */
#define ORIGIN_BUDGET(bytes) (16384 + (bytes) / 128)

/*
 * Records that [addr, addr + len) came from src at line. A record that
 * continues the last run (same source, next address, next line, same record
 * length) extends it, so a file of equal records costs one run per block.
 * lowest puts the run first: it then loses every lookup (overlap "first").
 */
/* A new run for [addr, addr + len), first (lowest) or last. */
static int origin_add(struct stimg_image *img, uint32_t addr, uint64_t len,
		      uint32_t src, uint32_t line, bool lowest)
{
	size_t at = lowest ? 0 : img->norg;

	/* checked when the array is full: the byte count costs a pass */
	if (img->norg == img->orgcap &&
	    img->norg >= ORIGIN_BUDGET(stimg_image_bytes(img))) {
		free(img->org);
		img->org = NULL;
		img->norg = img->orgcap = 0;
		img->origins_dropped = true;
		return STIMG_OK;
	}
	if (grow(&img->org, &img->orgcap, img->norg + 1, sizeof(img->org[0]), 64))
		return STIMG_ENOMEM;
	memmove(&img->org[at + 1], &img->org[at],
		(img->norg - at) * sizeof(img->org[0]));
	img->org[at] = (struct stimg_origin){ addr, len, line,
					      line ? (uint32_t)len : 0, src, 1 };
	img->norg++;
	return STIMG_OK;
}

/* Inline: it runs once per record, and usually only grows the last run. */
static inline int origin_note(struct stimg_image *img, uint32_t addr,
			      uint64_t len, uint32_t src, uint32_t line,
			      bool lowest)
{
	struct stimg_origin *o = img->norg ? &img->org[img->norg - 1] : NULL;

	if (img->origins_dropped)
		return STIMG_OK;
	if (!lowest && o && o->src == src && o->addr + o->size == addr) {
		if (!line && !o->line) {
			o->size += len;
			return STIMG_OK;
		}
		/* full records so far (no division: this runs per record) */
		if (line && o->step && o->size == (uint64_t)o->count * o->step &&
		    len <= o->step && line == o->line + o->count) {
			o->size += len;
			o->count++;
			return STIMG_OK;
		}
	}
	return origin_add(img, addr, len, src, line, lowest);
}

/* The origin of the byte at addr from the runs: see stimg_image_origin. */
static bool origin_from_runs(const struct stimg_image *img, uint32_t addr,
			     const char **src, uint32_t *line,
			     struct stimg_range *record)
{
	size_t k;

	for (k = img->norg; k-- > 0;) {
		const struct stimg_origin *o = &img->org[k];
		uint64_t end = (uint64_t)o->addr + o->size, n = 0;

		if (addr < o->addr || addr >= end)
			continue;
		*src = img->src[o->src].name;
		record->start = o->addr;
		record->end = end;
		if (o->step) {
			n = (addr - o->addr) / o->step;
			record->start = o->addr + n * o->step;
			if (record->start + o->step < end)
				record->end = record->start + o->step;
		}
		*line = o->line + (uint32_t)n;
		return true;
	}
	return false;
}

/*
 * While a source is read again to find a record, puts only look for it:
 * the first record (before line below, when below is not 0) that covers
 * addr ends the reading.
 */
struct stimg_probe {
	uint32_t addr;
	uint32_t below;
	bool found;
	uint32_t line;
	struct stimg_range record;
};

static int probe_put(struct stimg_probe *p, uint64_t addr, size_t len,
		     uint32_t line)
{
	if (p->below && line >= p->below)
		return STIMG_STOP;
	if (p->addr < addr || p->addr >= addr + len)
		return STIMG_OK;
	p->found = true;
	p->line = line;
	p->record.start = addr;
	p->record.end = addr + len;
	return STIMG_STOP;
}

/*
 * The first record of sources 0..last (of last only before line below)
 * that covers addr: see stimg_image_origin. A source that cannot be read
 * again (standard input, a FIFO: never opened twice) is the answer when
 * it is the only one and the others lack the byte; then without a line.
 */
static bool find_origin(const struct stimg_image *img, uint32_t addr,
			uint32_t last, uint32_t below, const char **src,
			uint32_t *line, struct stimg_range *record)
{
	const char *unread = NULL;
	size_t nunread = 0;
	uint32_t i;

	for (i = 0; i <= last && i < img->nsrc; i++) {
		struct stimg_probe p = { addr, i == last ? below : 0, false, 0,
					 { 0, 0 } };

		if (!img->src[i].path) {
			unread = img->src[i].name;
			nunread++;
			continue;
		}
		if (source_probe(&img->src[i], &p) || !p.found)
			continue;
		*src = img->src[i].name;
		*line = p.line;
		*record = p.record;
		return true;
	}
	if (nunread != 1)
		return false;
	*src = unread;
	*line = 0;
	record->start = addr;
	record->end = (uint64_t)addr + 1;
	return true;
}

/*
 * The origin of the byte at addr, for a conflict with new data from source
 * last at line below: from the runs, or by reading sources 0..last again.
 */
static bool origin_of(const struct stimg_image *img, uint32_t addr,
		      uint32_t last, uint32_t below, const char **src,
		      uint32_t *line, struct stimg_range *record)
{
	if (!img->origins_dropped)
		return origin_from_runs(img, addr, src, line, record);
	return find_origin(img, addr, last, below, src, line, record);
}

bool stimg_image_origin(const struct stimg_image *img, uint32_t addr,
			const char **src, uint32_t *line,
			struct stimg_range *record)
{
	if (!img->nsrc)
		return false;
	return origin_of(img, addr, (uint32_t)img->nsrc - 1, 0, src, line,
			 record);
}

/* "file:line", or "file" when the place has no line. */
static void place(char *buf, size_t n, const char *file, uint32_t line)
{
	if (line)
		snprintf(buf, n, "%s:%" PRIu32, file, line);
	else
		snprintf(buf, n, "%s", file);
}

/* Overlap warnings after this many become one line saying so. */
#define MAX_WARNINGS 8

/*
 * Reports a differing byte at addr between the image and new data from
 * src:line covering [start, end): an error under STIMG_OVERLAP_ERROR, else a
 * warning.
 */
static int conflict(struct stimg_image *img, uint32_t addr, uint8_t old,
		    uint8_t new, uint64_t start, uint64_t end, uint32_t src,
		    uint32_t line, enum stimg_overlap pol, struct stimg_diag *d)
{
	char a[600], b[600];
	struct stimg_range rec = { start, end };
	const char *oldsrc;
	uint32_t oldline;

	/* a warning nobody receives needs no origin (which may read files) */
	if (pol != STIMG_OVERLAP_ERROR && (!d || !d->warn))
		return STIMG_OK;
	if (pol != STIMG_OVERLAP_ERROR && img->warnings++ >= MAX_WARNINGS) {
		if (img->warnings == MAX_WARNINGS + 1)
			diag_warn(d, NULL, 0, "more overlaps with differing "
				  "bytes; not reporting them");
		return STIMG_OK;
	}
	if (origin_of(img, addr, src, line, &oldsrc, &oldline, &rec)) {
		/* a record known only by its input: one not read again */
		if (img->origins_dropped && rec.end == (uint64_t)addr + 1 &&
		    rec.start == addr && !oldline)
			snprintf(a, sizeof(a), "an earlier record of %s", oldsrc);
		else
			place(a, sizeof(a), oldsrc, oldline);
		if (rec.start < start)
			rec.start = start;
		if (rec.end > end)
			rec.end = end;
	} else {
		snprintf(a, sizeof(a), "an earlier input");
	}
	place(b, sizeof(b), img->src[src].name, line);
	if (pol == STIMG_OVERLAP_ERROR)
		return diag_set(d, NULL, 0, STIMG_ECONFLICT,
				"%s and %s both set 0x%08" PRIX64 "..0x%08" PRIX64
				" (first difference at 0x%08" PRIX32
				": 0x%02X vs 0x%02X)",
				a, b, rec.start, rec.end - 1, addr, old, new);
	diag_warn(d, NULL, 0,
		  "%s and %s both set 0x%08" PRIX64 "..0x%08" PRIX64
		  " (first difference at 0x%08" PRIX32
		  ": 0x%02X vs 0x%02X); keeping the %s",
		  a, b, rec.start, rec.end - 1, addr, old, new,
		  pol == STIMG_OVERLAP_FIRST ? "first" : "last");
	return STIMG_OK;
}

/*
 * Puts the len bytes of data at addr into the image. Segments i..j-1
 * overlap or touch the new bytes; they become one segment built in
 * seg[i]'s buffer.
 *
 *     [==seg i==]  [==seg i+1==]   [=seg j-1=]
 *           [=============new=============]
 *     [==============one segment==============]
 */
static int insert(struct stimg_image *img, uint32_t addr, const uint8_t *data,
		  size_t len, uint32_t src, uint32_t line,
		  enum stimg_overlap pol, bool *overlapped,
		  struct stimg_diag *d)
{
	uint64_t end = (uint64_t)addr + len, start, newend;
	struct stimg_segment *s;
	size_t i, j, k, size;
	int ret;

	i = seg_first_reaching(img, addr);
	for (j = i; j < img->nseg && img->seg[j].addr <= end; j++)
		;
	*overlapped = false;
	for (k = i; k < j; k++) {
		struct stimg_segment *o = &img->seg[k];
		uint64_t lo = o->addr > addr ? o->addr : addr;
		uint64_t hi = seg_end(o) < end ? seg_end(o) : end;
		const uint8_t *p = o->data + (lo - o->addr);
		const uint8_t *q = data + (lo - addr);

		if (lo >= hi)
			continue;
		*overlapped = true;
		if (!memcmp(p, q, hi - lo))
			continue;
		while (*p == *q) {
			p++;
			q++;
		}
		ret = conflict(img, (uint32_t)(lo + (size_t)(q - (data + (lo - addr)))),
			       *p, *q, addr, end, src, line, pol, d);
		if (ret)
			return ret;
		/* one warning per put: the first difference names the place */
		break;
	}

	if (i == j) {
		if (grow(&img->seg, &img->segcap, img->nseg + 1, sizeof(*s), 16))
			return STIMG_ENOMEM;
		s = &img->seg[i];
		memmove(s + 1, s, (img->nseg - i) * sizeof(*s));
		s->addr = addr;
		s->size = s->cap = len;
		s->front = 0;
		s->data = malloc(len);
		if (!s->data) {
			memmove(s, s + 1, (img->nseg - i) * sizeof(*s));
			return STIMG_ENOMEM;
		}
		memcpy(s->data, data, len);
		img->nseg++;
		img->hot = i;
		return STIMG_OK;
	}

	s = &img->seg[i];
	start = s->addr < addr ? s->addr : addr;
	newend = seg_end(&img->seg[j - 1]) > end ? seg_end(&img->seg[j - 1]) : end;
	size = (size_t)(newend - start);
	if (seg_widen(s, start, size))
		return STIMG_ENOMEM;

	if (pol == STIMG_OVERLAP_FIRST) {
		/* new bytes only into the holes between the old segments */
		uint64_t at = addr;

		for (k = i; k <= j && at < end; k++) {
			uint64_t hole_end = k < j ? img->seg[k].addr : end;

			if (hole_end > end)
				hole_end = end;
			if (at < hole_end) {
				memcpy(s->data + (at - start),
				       data + (at - addr), hole_end - at);
			}
			if (k < j && seg_end(&img->seg[k]) > at)
				at = seg_end(&img->seg[k]);
		}
	}
	for (k = i + 1; k < j; k++) {
		struct stimg_segment *o = &img->seg[k];

		memcpy(s->data + (o->addr - start), o->data, o->size);
		seg_free(o);
	}
	if (pol != STIMG_OVERLAP_FIRST) {
		memcpy(s->data + (addr - start), data, len);
	}
	s->addr = (uint32_t)start;
	s->size = size;
	if (j > i + 1)
		memmove(&img->seg[i + 1], &img->seg[j],
			(img->nseg - j) * sizeof(*s));
	img->nseg -= j - i - 1;
	img->hot = i;
	return STIMG_OK;
}

/* The put appends to the segment the last put extended, touching nothing. */
static bool appends(const struct stimg_image *img, uint64_t addr, size_t len)
{
	const struct stimg_segment *s;

	/* no pointer into an empty array: seg may be NULL */
	if (img->hot >= img->nseg)
		return false;
	s = &img->seg[img->hot];
	return seg_end(s) == addr &&
	       (img->hot + 1 == img->nseg || s[1].addr > addr + len);
}

/* A put done at once: appended, or inserted, and its origin noted. */
static int put_now(struct stimg_image *img, uint64_t addr, const uint8_t *data,
		   size_t len, uint32_t src, uint32_t line,
		   enum stimg_overlap pol, struct stimg_diag *d)
{
	bool overlapped = false;
	int ret;

	if (appends(img, addr, len)) {
		struct stimg_segment *s = &img->seg[img->hot];

		if (s->size + len > s->cap && seg_widen(s, s->addr, s->size + len))
			return STIMG_ENOMEM;
		memcpy(s->data + s->size, data, len);
		s->size += len;
	} else {
		ret = insert(img, (uint32_t)addr, data, len, src, line, pol,
			     &overlapped, d);
		if (ret)
			return ret;
	}
	return origin_note(img, (uint32_t)addr, len, src, line,
			   overlapped && pol == STIMG_OVERLAP_FIRST);
}

/*
 * An insert out of order moves the segment array behind it: quadratic for
 * a file of shuffled records. In an image of BATCH_MIN segments or more,
 * such puts are collected (with their data) and merged in one pass by
 * stimg_image_flush, when BATCH_PUTS or BATCH_BYTES are reached or before
 * anything reads the image.
 */
#define BATCH_MIN 256
#define BATCH_PUTS 65536
#define BATCH_BYTES (4u << 20)

static int batch_add(struct stimg_image *img, uint64_t addr,
		     const uint8_t *data, size_t len, uint32_t src,
		     uint32_t line, enum stimg_overlap pol,
		     struct stimg_diag *d)
{
	struct stimg_batch *b = img->batch;

	if (!b) {
		b = img->batch = calloc(1, sizeof(*b));
		if (!b)
			return STIMG_ENOMEM;
	}
	if (grow(&b->v, &b->cap, b->n + 1, sizeof(*b->v), 1024) ||
	    grow(&b->data, &b->datacap, b->len + len, 1, 1 << 16))
		return STIMG_ENOMEM;
	memcpy(b->data + b->len, data, len);
	b->v[b->n++] = (struct batch_put){ (uint32_t)addr, (uint32_t)len, src,
					   line, b->len, pol };
	b->len += len;
	if (b->n >= BATCH_PUTS || b->len >= BATCH_BYTES)
		return stimg_image_flush(img, d);
	return STIMG_OK;
}

int stimg_image_put(struct stimg_image *img, uint64_t addr, const uint8_t *data,
		    size_t len, uint32_t src, uint32_t line,
		    enum stimg_overlap pol, struct stimg_diag *d)
{
	if (!len)
		return STIMG_OK;
	if (img->probe)
		return probe_put(img->probe, addr, len, line);
	if (addr >= STIMG_ADDR_END || len > STIMG_ADDR_END - addr)
		return diag_set(d, img->src[src].name, line, STIMG_ERANGE,
				"data at 0x%08" PRIX64 "..0x%" PRIX64
				" lies past the 32-bit address space",
				addr, addr + len - 1);
	if (img->batch && img->batch->n)
		return batch_add(img, addr, data, len, src, line, pol, d);
	if (img->nseg >= BATCH_MIN && !appends(img, addr, len))
		return batch_add(img, addr, data, len, src, line, pol, d);
	return put_now(img, addr, data, len, src, line, pol, d);
}

static int key_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Merges sorted, non-overlapping batch puts into the segments in one pass.
 * A run of touching items (segments and puts) becomes one segment, built in
 * the largest segment's buffer. out has room for every item in advance, so
 * a failure leaves the image whole, less the batch.
 *
 *     [==seg==][p][p]  [p]   [====seg====][p]
 *     [=====one=====]  [p]   [=====one=======]
 */
static int batch_merge(struct stimg_image *img, const struct stimg_batch *b,
		       size_t n, const uint64_t *keys)
{
	size_t cap = img->nseg + n, nout = 0, i = 0, k = 0;
	struct stimg_segment *out = malloc(cap * sizeof(*out));
	int ret = STIMG_OK;

	if (!out)
		return STIMG_ENOMEM;
	while (i < img->nseg || k < n) {
		const struct batch_put *p = k < n ? &b->v[keys[k] & 0xFFFFFFFF] : NULL;
		uint64_t start = i < img->nseg && (!p || img->seg[i].addr < p->addr)
				 ? img->seg[i].addr : p->addr;
		uint64_t end = start;
		size_t i0 = i, k0 = k, big = SIZE_MAX, j;
		struct stimg_segment *s;

		for (;;) {
			p = k < n ? &b->v[keys[k] & 0xFFFFFFFF] : NULL;
			if (i < img->nseg && img->seg[i].addr == end) {
				if (big == SIZE_MAX || img->seg[i].size > img->seg[big].size)
					big = i;
				end = seg_end(&img->seg[i++]);
			} else if (p && p->addr == end) {
				end += p->len;
				k++;
			} else {
				break;
			}
		}
		if (i - i0 == 1 && k == k0) {
			out[nout++] = img->seg[i0];
			continue;
		}
		if (big != SIZE_MAX) {
			s = &img->seg[big];
			if (seg_widen(s, start, (size_t)(end - start)))
				goto fail;
		} else {
			s = &out[nout];
			*s = (struct stimg_segment){ (uint32_t)start, 0,
						     (size_t)(end - start), 0,
						     malloc((size_t)(end - start)) };
			if (!s->data)
				goto fail;
		}
		for (j = i0; j < i; j++) {
			if (j == big)
				continue;
			memcpy(s->data + (img->seg[j].addr - start),
			       img->seg[j].data, img->seg[j].size);
			seg_free(&img->seg[j]);
		}
		for (j = k0; j < k; j++) {
			p = &b->v[keys[j] & 0xFFFFFFFF];
			if (b->data)
				memcpy(s->data + (p->addr - start),
				       b->data + p->off, p->len);
			else
				memset(s->data + (p->addr - start), b->fill,
				       p->len);
		}
		s->addr = (uint32_t)start;
		s->size = (size_t)(end - start);
		out[nout++] = *s;
	}
	goto done;
fail:
	ret = STIMG_ENOMEM;
	for (; i < img->nseg; i++)
		out[nout++] = img->seg[i];
done:
	free(img->seg);
	img->seg = out;
	img->nseg = nout;
	img->segcap = cap;	/* what out holds, not nout + n */
	img->hot = 0;
	return ret;
}

/*
 * Marks in late[] the batch puts that must wait for others: each that
 * meets data already in the image, and in each cluster of puts that
 * overlap one another, all but the first put (the earliest, which
 * overlaps only later ones). The rest overlap nothing: they merge at once.
 *
 *     [=seg=]         [==p3==]   [p2]   p1, the earliest of p1, p3 and
 *        [p4]     [==p1==]             p5, merges, and p2; p3 and p5
 *                       [p5]           wait, and p4, which meets seg
 */
static void mark_late(const struct stimg_image *img,
		      const struct stimg_batch *b, size_t n,
		      const uint64_t *keys, bool *late)
{
	size_t k, c0 = 0, first = 0;
	uint64_t end = 0;

	for (k = 0; k <= n; k++) {
		const struct batch_put *p = k < n ? &b->v[keys[k] & 0xFFFFFFFF]
						  : NULL;
		size_t idx = (size_t)(keys[k < n ? k : 0] & 0xFFFFFFFF), i, c;

		if (k == n || (k > c0 && p->addr >= end)) {
			/* the cluster [c0, k) closes: all but its first wait */
			for (c = c0; c < k; c++)
				if ((size_t)(keys[c] & 0xFFFFFFFF) != first)
					late[keys[c] & 0xFFFFFFFF] = true;
			c0 = k;
		}
		if (k == n)
			break;
		if (k == c0 || idx < first)
			first = idx;
		if (k == c0 || (uint64_t)p->addr + p->len > end)
			end = (uint64_t)p->addr + p->len;
		i = seg_first_reaching(img, (uint64_t)p->addr + 1);
		if (i < img->nseg && img->seg[i].addr < (uint64_t)p->addr + p->len)
			late[idx] = true;
	}
}

int stimg_image_flush(struct stimg_image *img, struct stimg_diag *d)
{
	struct stimg_batch *b = img->batch;
	uint64_t *keys = NULL;
	bool *late = NULL;
	size_t k, n, m = 0;
	int ret = STIMG_OK;

	if (!b || !b->n)
		return STIMG_OK;
	n = b->n;
	b->n = 0;
	keys = malloc(n * sizeof(*keys));
	late = calloc(n, sizeof(*late));
	if (!keys || !late) {
		ret = STIMG_ENOMEM;
		goto out;
	}
	/* by address, then in the order of the puts */
	for (k = 0; k < n; k++)
		keys[k] = (uint64_t)b->v[k].addr << 32 | k;
	qsort(keys, n, sizeof(*keys), key_cmp);
	mark_late(img, b, n, keys, late);
	/* what overlaps nothing merges in one pass, keys kept in order */
	for (k = 0; k < n; k++)
		if (!late[keys[k] & 0xFFFFFFFF])
			keys[m++] = keys[k];
	if (m)
		ret = batch_merge(img, b, m, keys);
	for (k = 0; k < n && !ret; k++)
		if (!late[k])
			ret = origin_note(img, b->v[k].addr, b->v[k].len,
					  b->v[k].src, b->v[k].line, false);
	/* data meets data: the exact path, in the order of the puts */
	for (k = 0; k < n && !ret; k++)
		if (late[k])
			ret = put_now(img, b->v[k].addr, b->data + b->v[k].off,
				      b->v[k].len, b->v[k].src, b->v[k].line,
				      b->v[k].pol, d);
out:
	b->len = 0;
	free(keys);
	free(late);
	return ret;
}

struct stimg_range stimg_image_span(const struct stimg_image *img)
{
	struct stimg_range r = { 0, 0 };

	if (img->nseg) {
		r.start = img->seg[0].addr;
		r.end = seg_end(&img->seg[img->nseg - 1]);
	}
	return r;
}

uint64_t stimg_image_bytes(const struct stimg_image *img)
{
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < img->nseg; i++)
		n += img->seg[i].size;
	return n;
}

int stimg_image_ranges(const struct stimg_image *img, struct stimg_ranges *out)
{
	int ret = STIMG_OK;
	size_t i;

	for (i = 0; i < img->nseg && !ret; i++)
		ret = stimg_ranges_add(out, img->seg[i].addr,
				       seg_end(&img->seg[i]));
	return ret;
}

/*
 * Rebuilds the segment list from the parts of each segment inside keep.
 * A segment wholly inside one range keeps its buffer; parts are copied.
 *
 *     [=====data=====]      [==data==]
 *           [=======keep=======]
 *           [=part===]      [p]
 */
int stimg_image_crop(struct stimg_image *img, const struct stimg_ranges *keep)
{
	struct stimg_segment *out = NULL;
	size_t n = 0, cap = 0, i, k, r = 0;
	int ret = stimg_image_flush(img, NULL);

	if (ret)
		return ret;
	for (i = 0; i < img->nseg; i++) {
		struct stimg_segment *s = &img->seg[i];
		bool moved = false;

		while (r < keep->n && keep->v[r].end <= s->addr)
			r++;
		for (k = r; k < keep->n && keep->v[k].start < seg_end(s); k++) {
			uint64_t lo = keep->v[k].start > s->addr ? keep->v[k].start : s->addr;
			uint64_t hi = keep->v[k].end < seg_end(s) ? keep->v[k].end : seg_end(s);
			struct stimg_segment part = { (uint32_t)lo, hi - lo, hi - lo, 0, NULL };

			ret = grow(&out, &cap, n + 1, sizeof(*out), 16);
			if (ret)
				goto out;
			if (lo == s->addr && hi == seg_end(s)) {
				out[n++] = *s;
				moved = true;
				continue;
			}
			part.data = malloc(part.size);
			if (!part.data) {
				ret = STIMG_ENOMEM;
				goto out;
			}
			memcpy(part.data, s->data + (lo - s->addr), part.size);
			out[n++] = part;
		}
		if (!moved)
			seg_free(s);
		s->data = NULL;
	}
out:
	/* on failure the image keeps the parts cut so far */
	for (; i < img->nseg; i++)
		seg_free(&img->seg[i]);
	free(img->seg);
	img->seg = out;
	img->nseg = n;
	img->segcap = cap;
	img->hot = 0;
	return ret;
}

int stimg_image_exclude(struct stimg_image *img,
			const struct stimg_ranges *drop)
{
	struct stimg_ranges keep = STIMG_RANGES_INIT;
	int ret;

	ret = stimg_image_flush(img, NULL);
	if (!ret)
		ret = stimg_image_ranges(img, &keep);
	if (!ret)
		ret = stimg_ranges_subtract(&keep, drop);
	if (!ret)
		ret = stimg_image_crop(img, &keep);
	stimg_ranges_release(&keep);
	return ret;
}

int stimg_image_offset(struct stimg_image *img, int64_t delta,
		       struct stimg_diag *d)
{
	struct stimg_range span;
	size_t i, n = 0;
	int ret = stimg_image_flush(img, d);

	if (ret || !img->nseg)
		return ret;
	span = stimg_image_span(img);
	if ((int64_t)span.start + delta < 0 ||
	    (int64_t)span.end + delta > (int64_t)STIMG_ADDR_END)
		return diag_set(d, NULL, 0, STIMG_ERANGE,
				"offset %s0x%" PRIX64 " moves 0x%08" PRIX64
				"..0x%08" PRIX64 " outside the 32-bit address space",
				delta < 0 ? "-" : "",
				delta < 0 ? (uint64_t)-delta : (uint64_t)delta,
				span.start, span.end - 1);
	for (i = 0; i < img->nseg; i++)
		img->seg[i].addr = (uint32_t)((int64_t)img->seg[i].addr + delta);
	/* origins of bytes cropped away earlier may fall outside: drop them */
	for (i = 0; i < img->norg; i++) {
		struct stimg_origin o = img->org[i];
		int64_t a = (int64_t)o.addr + delta;

		if (a < 0 || a + (int64_t)o.size > (int64_t)STIMG_ADDR_END)
			continue;
		o.addr = (uint32_t)a;
		img->org[n++] = o;
	}
	img->norg = n;
	if (img->has_entry) {
		int64_t e = (int64_t)img->entry + delta;

		img->has_entry = e >= 0 && e < (int64_t)STIMG_ADDR_END;
		img->entry = (uint32_t)e;
	}
	return STIMG_OK;
}

/*
 * The holes are a batch of fill puts that meet no data: merged with the
 * segments in one pass, however many holes there are (one insert each
 * moved the segment array: quadratic for an image of many regions).
 */
int stimg_image_fill(struct stimg_image *img, uint8_t byte,
		     const struct stimg_range *within)
{
	struct stimg_ranges holes = STIMG_RANGES_INIT, data = STIMG_RANGES_INIT;
	struct stimg_batch b;
	uint64_t *keys = NULL;
	size_t i, n = 0;
	int ret;

	memset(&b, 0, sizeof(b));
	b.fill = byte;
	ret = stimg_image_flush(img, NULL);
	if (!ret)
		ret = stimg_ranges_add(&holes, within->start, within->end);
	if (!ret)
		ret = stimg_image_ranges(img, &data);
	if (!ret)
		ret = stimg_ranges_subtract(&holes, &data);
	if (ret || !holes.n)
		goto out;
	/* a put's length is 32 bits: a hole of 4 GiB is two */
	b.v = malloc(2 * holes.n * sizeof(*b.v));
	keys = malloc(2 * holes.n * sizeof(*keys));
	if (!b.v || !keys) {
		ret = STIMG_ENOMEM;
		goto out;
	}
	for (i = 0; i < holes.n; i++) {
		uint64_t at = holes.v[i].start;

		while (at < holes.v[i].end) {
			uint64_t len = holes.v[i].end - at;

			if (len > UINT32_MAX)
				len = UINT32_MAX;
			b.v[n] = (struct batch_put){ (uint32_t)at, (uint32_t)len,
						     0, 0, 0, STIMG_OVERLAP_LAST };
			keys[n] = at << 32 | n;
			n++;
			at += len;
		}
	}
	ret = batch_merge(img, &b, n, keys);
out:
	free(b.v);
	free(keys);
	stimg_ranges_release(&holes);
	stimg_ranges_release(&data);
	return ret;
}

int image_take(struct stimg_image *img, uint64_t addr, uint8_t *buf,
	       size_t len, uint32_t src, enum stimg_overlap pol,
	       struct stimg_diag *d)
{
	struct stimg_segment *s;
	size_t i;
	int ret;

	if (!len || img->probe || addr >= STIMG_ADDR_END ||
	    len > STIMG_ADDR_END - addr)
		goto put;
	i = seg_first_reaching(img, addr);
	if (i < img->nseg && img->seg[i].addr <= addr + len)
		goto put;
	if (grow(&img->seg, &img->segcap, img->nseg + 1, sizeof(*s), 16)) {
		free(buf);
		return STIMG_ENOMEM;
	}
	s = &img->seg[i];
	memmove(s + 1, s, (img->nseg - i) * sizeof(*s));
	*s = (struct stimg_segment){ (uint32_t)addr, len, len, 0, buf };
	img->nseg++;
	img->hot = i;
	return origin_note(img, (uint32_t)addr, len, src, 0, false);
put:
	ret = stimg_image_put(img, addr, buf, len, src, 0, pol, d);
	free(buf);
	return ret;
}

bool stimg_image_get(const struct stimg_image *img, uint32_t addr, uint8_t *out,
		     size_t len)
{
	size_t i = seg_first_reaching(img, (uint64_t)addr + 1);

	if (!len)
		return true;
	if (i == img->nseg || img->seg[i].addr > addr ||
	    seg_end(&img->seg[i]) < (uint64_t)addr + len)
		return false;
	memcpy(out, img->seg[i].data + (addr - img->seg[i].addr), len);
	return true;
}

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
	uint64_t at;

	memset(v, 0, sizeof(*v));
	if (!img->nseg)
		return;
	for (at = img->seg[0].addr; at < (uint64_t)img->seg[0].addr + 4096 &&
	     at + 8 <= STIMG_ADDR_END; at += 256) {
		vectors_at(img, (uint32_t)at, v);
		if (v->sp_ok && v->reset_ok)
			return;
	}
	vectors_at(img, img->seg[0].addr, v);
}

int stimg_image_walk(const struct stimg_image *img, const struct stimg_range *r,
		     uint8_t fill,
		     int (*fn)(void *ctx, const uint8_t *p, size_t n),
		     void *ctx)
{
	uint8_t block[4096];
	uint64_t at = r->start;
	size_t i = seg_first_reaching(img, r->start + 1);
	int ret = STIMG_OK;

	memset(block, fill, sizeof(block));
	while (at < r->end && !ret) {
		const struct stimg_segment *s = i < img->nseg ? &img->seg[i] : NULL;
		uint64_t next = s && s->addr < r->end ? s->addr : r->end;

		if (at < next) {
			/* a hole: fill bytes, a block at a time */
			uint64_t n = next - at < sizeof(block) ? next - at
							       : sizeof(block);

			ret = fn(ctx, block, (size_t)n);
			at += n;
			continue;
		}
		/* inside s: its bytes up to the range's end */
		{
			uint64_t end = seg_end(s) < r->end ? seg_end(s) : r->end;

			ret = fn(ctx, s->data + (at - s->addr), (size_t)(end - at));
			at = end;
			i++;
		}
	}
	return ret;
}
