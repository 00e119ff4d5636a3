/*
 * The image against a model: the input is a program of puts (one at a
 * time, or runs of thousands of one-byte puts up or down, which make many
 * regions and origins out of order), crops, excludes, fills, offsets,
 * checks and walks on a window of 512 KiB at 0, at 0x08000000 or at the
 * top of the 32-bit space; a byte map of the window says what the image
 * must hold. A mismatch or a broken invariant aborts.
 */
#include "fuzz.h"
#include "stimg/range.h"
#include "stimg/transform.h"

#define WINDOW (512u << 10)

struct prog {
	const uint8_t *p, *end;
};

/* The next n bytes of the program as a little-endian number (0 past it). */
static uint32_t next(struct prog *g, unsigned n)
{
	uint32_t v = 0;
	unsigned i;

	for (i = 0; i < n; i++)
		v |= (uint32_t)(g->p < g->end ? *g->p++ : 0) << (8 * i);
	return v;
}

struct model {
	uint64_t base;
	uint8_t *val, *has;
};

/*
 * Puts len bytes at window offset at; the model follows pol: a differing
 * byte under STIMG_OVERLAP_ERROR is a conflict that writes nothing.
 */
static void put(struct stimg_image *img, struct model *m, uint32_t src,
		uint32_t line, uint32_t at, const uint8_t *b, size_t len,
		enum stimg_overlap pol)
{
	struct stimg_diag d;
	bool differ = false;
	size_t i;
	int ret;

	if (at >= WINDOW)
		return;
	if (len > WINDOW - at)
		len = WINDOW - at;
	for (i = 0; i < len; i++)
		differ |= m->has[at + i] && m->val[at + i] != b[i];
	fuzz_diag(&d);
	ret = stimg_image_put(img, m->base + at, b, len, src, line, pol, &d);
	if (differ && pol == STIMG_OVERLAP_ERROR) {
		FUZZ_CHECK(ret == STIMG_ECONFLICT);
		return;
	}
	FUZZ_CHECK(!ret);
	for (i = 0; i < len; i++) {
		if (m->has[at + i] && pol == STIMG_OVERLAP_FIRST)
			continue;
		m->has[at + i] = 1;
		m->val[at + i] = b[i];
	}
}

/* The image holds exactly what the model does. */
static void compare(struct stimg_image *img, const struct model *m)
{
	uint64_t n = 0, bytes = 0, next = 0;
	struct stimg_chunk c;
	size_t i, k;

	fuzz_check_image(img);
	while (stimg_image_next_chunk(img, &next, &c)) {
		FUZZ_CHECK(c.addr >= m->base &&
			   c.addr + (uint64_t)c.len <= m->base + WINDOW);
		for (k = 0; k < c.len; k++) {
			uint64_t at = c.addr - m->base + k;

			FUZZ_CHECK(m->has[at] && m->val[at] == c.data[k]);
		}
		bytes += c.len;
	}
	for (i = 0; i < WINDOW; i++)
		n += m->has[i];
	FUZZ_CHECK(n == bytes);
}

/* A range of the window from the program, start below end. */
static struct stimg_range range(struct prog *g, const struct model *m)
{
	uint32_t a = next(g, 3) % WINDOW, b = next(g, 3) % WINDOW;
	struct stimg_range r;

	if (a > b) {
		uint32_t t = a;

		a = b;
		b = t;
	}
	r.start = m->base + a;
	r.end = m->base + b + 1;
	return r;
}

static int count(void *ctx, const uint8_t *p, size_t n)
{
	(void)p;
	*(uint64_t *)ctx += n;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint64_t bases[] = { 0, 0x08000000, 0x100000000ull - WINDOW };
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct prog g = { data, data + size };
	struct model m;
	uint8_t b[256];
	uint32_t src, line = 0;
	size_t i;

	m.base = bases[next(&g, 1) % 3];
	m.val = calloc(WINDOW, 1);
	m.has = calloc(WINDOW, 1);
	if (!m.val || !m.has)
		goto out;
	FUZZ_CHECK(!stimg_image_add_source(&img, "fuzz", NULL, NULL, &src));
	while (g.p < g.end) {
		unsigned op = next(&g, 1);
		enum stimg_overlap pol = op & 0x80 ? STIMG_OVERLAP_FIRST :
					 op & 0x20 ? STIMG_OVERLAP_ERROR :
						     STIMG_OVERLAP_LAST;

		line++;
		switch (op & 7) {
		case 0: {	/* put */
			uint32_t at = next(&g, 3) % WINDOW;
			size_t len = 1 + next(&g, 1);
			uint8_t v = (uint8_t)next(&g, 1);

			for (i = 0; i < len; i++)
				b[i] = (uint8_t)(v + i);
			put(&img, &m, src, line, at, b, len, pol);
			break;
		}
		case 1: {	/* a run of one-byte puts, up or down */
			uint32_t at = next(&g, 3) % WINDOW;
			uint32_t count = 1 + next(&g, 2);
			uint32_t step = 1 + next(&g, 1) % 8;
			int down = op & 0x40;

			for (i = 0; i < count; i++) {
				uint64_t a = down ? (uint64_t)at - i * step
						  : (uint64_t)at + i * step;

				if (a >= WINDOW)
					break;
				b[0] = (uint8_t)i;
				put(&img, &m, src, line, (uint32_t)a, b, 1, pol);
			}
			break;
		}
		case 2:		/* crop */
		case 3: {	/* exclude */
			struct stimg_ranges set = STIMG_RANGES_INIT;
			struct stimg_range r = range(&g, &m);

			FUZZ_CHECK(!stimg_ranges_add(&set, r.start, r.end));
			if ((op & 7) == 2)
				FUZZ_CHECK(!stimg_image_crop(&img, &set));
			else
				FUZZ_CHECK(!stimg_image_exclude(&img, &set));
			for (i = 0; i < WINDOW; i++)
				if ((m.base + i >= r.start && m.base + i < r.end) ==
				    ((op & 7) == 3))
					m.has[i] = 0;
			stimg_ranges_release(&set);
			break;
		}
		case 4: {	/* fill the holes of a range */
			struct stimg_range r = range(&g, &m);
			uint8_t v = (uint8_t)next(&g, 1);

			FUZZ_CHECK(!stimg_image_fill(&img, v, &r));
			for (i = (size_t)(r.start - m.base);
			     i < (size_t)(r.end - m.base); i++) {
				if (!m.has[i])
					m.val[i] = v;
				m.has[i] = 1;
			}
			break;
		}
		case 5: {	/* offset, when the data stays in the window */
			int32_t delta = (int32_t)(next(&g, 3) % WINDOW) -
					(int32_t)(WINDOW / 2);
			size_t lo = WINDOW, hi = 0;

			for (i = 0; i < WINDOW; i++) {
				if (m.has[i]) {
					lo = i < lo ? i : lo;
					hi = i + 1;
				}
			}
			if (lo == WINDOW || (int64_t)lo + delta < 0 ||
			    (int64_t)hi + delta > WINDOW)
				break;
			FUZZ_CHECK(!stimg_image_offset(&img, delta, NULL));
			if (delta > 0) {
				memmove(m.val + delta, m.val, WINDOW - delta);
				memmove(m.has + delta, m.has, WINDOW - delta);
				memset(m.has, 0, delta);
			} else if (delta < 0) {
				memmove(m.val, m.val - delta, WINDOW + delta);
				memmove(m.has, m.has - delta, WINDOW + delta);
				memset(m.has + WINDOW + delta, 0, -delta);
			}
			break;
		}
		case 6:
			fuzz_check_image(&img);
			break;
		default: {	/* a walk, as the writers and the CRC read */
			struct stimg_range span;
			uint64_t n = 0;

			span = stimg_image_span(&img);
			FUZZ_CHECK(!stimg_image_walk(&img, &span, 0xFF, count, &n));
			FUZZ_CHECK(n == span.end - span.start);
			break;
		}
		}
	}
	compare(&img, &m);
out:
	stimg_image_release(&img);
	free(m.val);
	free(m.has);
	return 0;
}
