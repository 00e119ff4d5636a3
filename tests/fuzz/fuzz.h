/*
 * Shared by the fuzz targets (tests/fuzz/fuzz_*.c): each defines
 * LLVMFuzzerTestOneInput, which libFuzzer drives (make fuzz) and
 * replay.c calls on the saved inputs (make check). A broken invariant
 * aborts, which both report.
 */
#ifndef STIMG_FUZZ_H
#define STIMG_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stimg/format.h"
#include "stimg/image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts with a message when cond is false: a finding. */
#define FUZZ_CHECK(cond)                                                   \
	do {                                                               \
		if (!(cond)) {                                             \
			fprintf(stderr, "%s:%d: invariant broken: %s\n",   \
				__FILE__, __LINE__, #cond);                \
			abort();                                           \
		}                                                          \
	} while (0)

/* A warning callback that takes the warnings and drops them. */
static inline void fuzz_ignore(void *ctx, const struct stimg_diag *d)
{
	(void)ctx;
	(void)d;
}

/* A diagnostic that receives warnings (so that their paths run). */
static inline void fuzz_diag(struct stimg_diag *d)
{
	memset(d, 0, sizeof(*d));
	d->warn = fuzz_ignore;
}

/*
 * The image's invariants, as its accessors show them: regions sorted, not
 * empty, apart (touching data is one region), inside the 32-bit space;
 * the chunks tile the regions exactly, each inside one 64 KiB page; the
 * byte count, the region count and the span agree with them.
 */
static inline void fuzz_check_image(const struct stimg_image *img)
{
	struct stimg_range r, span = stimg_image_span(img);
	struct stimg_chunk c;
	uint64_t at = 0, cat = 0, bytes = 0, first = 0, end = 0, a;
	size_t n = 0;

	while (stimg_image_next_region(img, &at, &r)) {
		FUZZ_CHECK(r.start < r.end && r.end <= STIMG_ADDR_END);
		FUZZ_CHECK(!n || end < r.start);
		FUZZ_CHECK(at == r.end);
		if (!n++)
			first = r.start;
		end = r.end;
		bytes += r.end - r.start;
		for (a = r.start; a < r.end; a += c.len) {
			FUZZ_CHECK(stimg_image_next_chunk(img, &cat, &c));
			FUZZ_CHECK(c.addr == a && c.len > 0 && c.data);
			FUZZ_CHECK(c.addr + (uint64_t)c.len <= r.end);
			FUZZ_CHECK(c.addr >> 16 == (c.addr + c.len - 1) >> 16);
		}
	}
	FUZZ_CHECK(!stimg_image_next_chunk(img, &cat, &c));
	FUZZ_CHECK(bytes == stimg_image_bytes(img));
	FUZZ_CHECK(n == stimg_image_nregions(img));
	FUZZ_CHECK(span.start == first && span.end == end);
}

/* Whether two images hold the same bytes at the same addresses. */
static inline int fuzz_same_data(const struct stimg_image *a,
				 const struct stimg_image *b)
{
	static uint8_t buf[1 << 16];
	struct stimg_range ra, rb;
	struct stimg_chunk c;
	uint64_t at = 0, bt = 0;
	bool more;

	do {
		more = stimg_image_next_region(a, &at, &ra);
		if (more != stimg_image_next_region(b, &bt, &rb))
			return 0;
		if (more && (ra.start != rb.start || ra.end != rb.end))
			return 0;
	} while (more);
	for (at = 0; stimg_image_next_chunk(a, &at, &c);)
		if (c.len > sizeof(buf) || !stimg_image_get(b, c.addr, buf, c.len) ||
		    memcmp(buf, c.data, c.len))
			return 0;
	return 1;
}

/* The entry point of img, or -1 when it has none. */
static inline int64_t fuzz_entry(const struct stimg_image *img)
{
	uint32_t e;

	return stimg_image_entry(img, &e) ? (int64_t)e : -1;
}

/* The overlap policy an input picks (from its size: not its bytes). */
static inline enum stimg_overlap fuzz_policy(size_t size)
{
	static const enum stimg_overlap p[] = {
		STIMG_OVERLAP_ERROR, STIMG_OVERLAP_FIRST, STIMG_OVERLAP_LAST,
	};

	return p[size % 3];
}

#endif
