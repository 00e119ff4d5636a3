/*
 * Half-open address ranges and the parsers for numbers and ranges.
 */
#ifndef STIMG_RANGE_H
#define STIMG_RANGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The address space: [0, STIMG_ADDR_END). */
#define STIMG_ADDR_END ((uint64_t)1 << 32)

/* [start, end); start <= end <= STIMG_ADDR_END. */
struct stimg_range {
	uint64_t start;
	uint64_t end;
};

/* A set of addresses: sorted, disjoint, never touching ranges. */
struct stimg_ranges {
	struct stimg_range *v;
	size_t n;
	size_t cap;
};

#define STIMG_RANGES_INIT { NULL, 0, 0 }

/* Frees the ranges' storage and leaves an empty set. */
void stimg_ranges_release(struct stimg_ranges *r);

/* Adds [start, end) to the set (union); an empty range adds nothing. */
int stimg_ranges_add(struct stimg_ranges *r, uint64_t start, uint64_t end);

/* dst = dst | src. */
int stimg_ranges_union(struct stimg_ranges *dst, const struct stimg_ranges *src);

/* dst = dst & src. */
int stimg_ranges_intersect(struct stimg_ranges *dst,
			   const struct stimg_ranges *src);

/* dst = dst - src. */
int stimg_ranges_subtract(struct stimg_ranges *dst,
			  const struct stimg_ranges *src);

/* true when the set holds addr. */
bool stimg_ranges_contains(const struct stimg_ranges *r, uint64_t addr);

/*
 * Parses a number: 0x hexadecimal or decimal, optionally followed by K
 * (x1024) or M (x1048576). Values above max are STIMG_ERANGE; text that is
 * not a number is STIMG_EINVAL.
 */
int stimg_parse_number(const char *s, uint64_t max, uint64_t *out);

/*
 * Parses START:END (END exclusive) or START+SIZE into a range inside the
 * 32-bit address space. An empty or reversed range is STIMG_EINVAL.
 */
int stimg_parse_range(const char *s, struct stimg_range *out);

#endif
