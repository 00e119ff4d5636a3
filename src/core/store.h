/*
 * The byte store under the image: which addresses of the 32-bit space hold
 * a byte, and the byte. It knows nothing of files, lines or formats.
 *
 * The space is cut into 64 KiB pages. A page holds one buffer for the
 * window [lo, hi) of its offsets that has data, sized to that window with
 * growth headroom, and a coverage bitmap only while the window has holes.
 * So contiguous data costs its bytes, two distant regions cost their
 * bytes, and records in any order cost O(record) each, with at most
 * 72 KiB for any page however its records arrive.
 *
 *     page 0x0800            page 0x0801            page 0x9000
 *     [..lo[=====data=====]hi....][lo[==data==]hi..]  ...  [lo[=]hi....]
 */
#ifndef STIMG_STORE_H
#define STIMG_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stimg/image.h"

#define store_release stimg__store_release
#define store_put stimg__store_put
#define store_put_ref stimg__store_put_ref
#define store_clear stimg__store_clear
#define store_get stimg__store_get
#define store_next stimg__store_next
#define store_span stimg__store_span
#define store_move stimg__store_move

#define STORE_PAGE_SHIFT 16
#define STORE_PAGE ((uint32_t)1 << STORE_PAGE_SHIFT)
#define STORE_PAGES ((uint32_t)1 << (32 - STORE_PAGE_SHIFT))

struct store_page;

struct store {
	struct store_page **dir;	/* STORE_PAGES entries, or NULL */
	uint64_t *present;		/* a bit per page that is in dir */
	uint64_t bytes;			/* addresses that hold a byte */
	struct store_page *hot;		/* the page the last put wrote */
	uint32_t hot_index;
};

#define STORE_INIT { NULL, NULL, 0, NULL, 0 }

/* Frees every page; the store is empty (and usable) afterwards. */
void store_release(struct store *s);

/* Where a put met bytes that were there before it. */
struct store_meet {
	bool met;		/* some of the put's addresses held a byte */
	bool differ;		/* and one of them a different byte: */
	uint32_t at;		/* the lowest such address, */
	uint8_t old, new;	/* its byte before, and the put's */
};

/*
 * Puts len bytes at addr (addr + len <= 4 GiB): p's bytes, or fill when p
 * is NULL. Where bytes are already there, pol decides: ERROR and LAST write
 * the new bytes, FIRST only those into holes; meet (if not NULL) tells what
 * was met. Under ERROR a differing byte is STIMG_ECONFLICT and nothing is
 * written. STIMG_ENOMEM leaves the bytes written so far.
 */
int store_put(struct store *s, uint32_t addr, const uint8_t *p, uint8_t fill,
	      size_t len, enum stimg_overlap pol, struct store_meet *meet);

/*
 * store_put of bytes that stay where they are (read only) while the store
 * lives: pages they fill alone point at them instead of copying them, and
 * copy them before anything changes there. Returns 1, having put
 * nothing, when a page they touch holds bytes already (then store_put).
 */
int store_put_ref(struct store *s, uint32_t addr, const uint8_t *p,
		  size_t len);

/* Removes every byte of [start, end). */
int store_clear(struct store *s, uint64_t start, uint64_t end);

/* Copies [addr, addr + len) to out; false when a byte of it is missing. */
bool store_get(const struct store *s, uint32_t addr, uint8_t *out,
	       size_t len);

/*
 * The first run of bytes at or after *at that lies in one page and has no
 * hole: [*addr, *addr + *len) at *p. Returns false when there is none;
 * else moves *at to the run's end. A region that spans pages comes as one
 * run per page, each starting where the last ended.
 */
bool store_next(const struct store *s, uint64_t *at, uint32_t *addr,
		const uint8_t **p, size_t *len);

/* The lowest address and one past the highest; false when empty. */
bool store_span(const struct store *s, uint64_t *lo, uint64_t *hi);

/* Moves every byte by delta; the caller has checked that all stay inside. */
int store_move(struct store *s, int64_t delta);

#endif
