/*
 * What every file of the library shares; not installed. The library
 * exports only stimg_ names: its internal functions carry the stimg__
 * prefix, which the short names below stand for.
 */
#ifndef STIMG_CORE_H
#define STIMG_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stimg/image.h"
#include "stimg/range.h"
#include "stimg/stimg.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
#define STIMG_PRINTF(f, a) __attribute__((format(printf, f, a)))
/* for a hot loop specialised by constant arguments at each call */
#define ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define STIMG_PRINTF(f, a)
#define ALWAYS_INLINE inline
#endif

#define diag_set stimg__diag_set
#define diag_warn stimg__diag_warn
#define diag_note stimg__diag_note
#define array_grow stimg__array_grow

/* Fills d (if not NULL) with file, line and message; returns err. */
int diag_set(struct stimg_diag *d, const char *file, unsigned long line,
	     int err, const char *fmt, ...) STIMG_PRINTF(5, 6);

/* Sends a warning through d's callback, if it has one. */
void diag_warn(struct stimg_diag *d, const char *file, unsigned long line,
	       const char *fmt, ...) STIMG_PRINTF(4, 5);
/* Sends a note (information, not a problem) the same way. */
void diag_note(struct stimg_diag *d, const char *file, unsigned long line,
	       const char *fmt, ...) STIMG_PRINTF(4, 5);

/*
 * Grows *v (an array of *cap elements of size sz) to hold at least n
 * elements; an empty array starts at first elements.
 */
int array_grow(void *v, size_t *cap, size_t n, size_t sz, size_t first);

#endif
