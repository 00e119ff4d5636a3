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
#define diag_emit stimg__diag_emit
#define array_grow stimg__array_grow

/* Fills d (if not NULL) with file, line and message; returns err. */
int diag_set(struct stimg_diag *d, const char *file, unsigned long line,
	     int err, const char *fmt, ...) STIMG_PRINTF(5, 6);

/*
 * Sends a warning (STIMG_WARNING) or a note (STIMG_NOTE: information, not
 * a problem) through d's callback, if it has one.
 */
void diag_emit(struct stimg_diag *d, int level, const char *file,
	       unsigned long line, const char *fmt, ...) STIMG_PRINTF(5, 6);
#define diag_warn(d, ...) diag_emit((d), STIMG_WARNING, __VA_ARGS__)
#define diag_note(d, ...) diag_emit((d), STIMG_NOTE, __VA_ARGS__)

/*
 * Grows *v (an array of *cap elements of size sz) to hold at least n
 * elements; an empty array starts at first elements.
 */
int array_grow(void *v, size_t *cap, size_t n, size_t sz, size_t first);

#endif
