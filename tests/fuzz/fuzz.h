/*
 * Shared by the fuzz targets (tests/fuzz/fuzz_*.c): each defines
 * LLVMFuzzerTestOneInput, which libFuzzer drives (make fuzz) and
 * replay.c calls on the saved inputs (make check). A broken invariant
 * aborts, which both report.
 */
#ifndef STIMG_FUZZ_H
#define STIMG_FUZZ_H

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
 * The image's invariants: segments sorted, not empty, apart (touching data
 * is one segment), inside the 32-bit space; bytes counted right.
 */
static inline void fuzz_check_image(const struct stimg_image *img)
{
	uint64_t bytes = 0;
	size_t i;

	FUZZ_CHECK(img->nseg <= img->segcap || !img->nseg);
	for (i = 0; i < img->nseg; i++) {
		const struct stimg_segment *s = &img->seg[i];

		FUZZ_CHECK(s->size > 0 && s->data);
		FUZZ_CHECK((uint64_t)s->addr + s->size <= STIMG_ADDR_END);
		FUZZ_CHECK(s->size <= s->cap);
		if (i)
			FUZZ_CHECK((uint64_t)img->seg[i - 1].addr +
				   img->seg[i - 1].size < s->addr);
		bytes += s->size;
	}
	FUZZ_CHECK(bytes == stimg_image_bytes(img));
}

/* Whether two images hold the same bytes at the same addresses. */
static inline int fuzz_same_data(const struct stimg_image *a,
				 const struct stimg_image *b)
{
	size_t i;

	if (a->nseg != b->nseg)
		return 0;
	for (i = 0; i < a->nseg; i++)
		if (a->seg[i].addr != b->seg[i].addr ||
		    a->seg[i].size != b->seg[i].size ||
		    memcmp(a->seg[i].data, b->seg[i].data, a->seg[i].size))
			return 0;
	return 1;
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
