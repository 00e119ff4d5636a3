/*
 * Helpers shared by the unit tests: a temporary directory to work in, files
 * written into it and read back, warnings captured from the library, and
 * images and range sets rendered as text so that one assertion shows the
 * whole layout.
 *
 * Each test program runs its tests inside one directory made by
 * tl_setup_dir (a cmocka group setup), so inputs carry short names such as
 * "bad.hex" and messages can be compared whole.
 */
#ifndef STIMG_TESTLIB_H
#define STIMG_TESTLIB_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <inttypes.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fmt/fmt.h"
#include "stimg/bin.h"
#include "stimg/cortexm.h"
#include "stimg/place.h"
#include "stimg/transform.h"
#include "stimg/format.h"
#include "stimg/image.h"
#include "stimg/range.h"
#include "stimg/stimg.h"

static char tl_dir[64];
static char tl_oldcwd[4096];

/* cmocka group setup: a fresh temporary directory becomes the cwd. */
static inline int tl_setup_dir(void **state)
{
	const char *tmp = getenv("TMPDIR");

	(void)state;
	snprintf(tl_dir, sizeof(tl_dir), "%s/stimg-unit-XXXXXX",
		 tmp && strlen(tmp) < 40 ? tmp : "/tmp");
	if (!getcwd(tl_oldcwd, sizeof(tl_oldcwd)) || !mkdtemp(tl_dir) ||
	    chdir(tl_dir))
		return -1;
	return 0;
}

/* cmocka group teardown: removes the directory and everything in it. */
static inline int tl_teardown_dir(void **state)
{
	DIR *dir;
	struct dirent *e;

	(void)state;
	if (chdir(tl_oldcwd))
		return -1;
	dir = opendir(tl_dir);
	if (!dir)
		return -1;
	while ((e = readdir(dir))) {
		char path[512];

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", tl_dir, e->d_name);
		unlink(path);
	}
	closedir(dir);
	return rmdir(tl_dir);
}

/* Writes len bytes to name (in the cwd), replacing it. */
static inline void tl_write(const char *name, const void *data, size_t len)
{
	FILE *f = fopen(name, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static inline void tl_write_text(const char *name, const char *text)
{
	tl_write(name, text, strlen(text));
}

/*
 * Writes len bytes to a new file with a unique name made by mkstemps
 * (template such as "in-XXXXXX.bin"); returns the name (malloc'd).
 */
static inline char *tl_mktemp(const char *template, const void *data,
			      size_t len)
{
	char *name = strdup(template);
	const char *dot = strrchr(template, '.');
	int fd;

	assert_non_null(name);
	fd = mkstemps(name, dot ? (int)strlen(dot) : 0);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	assert_int_equal(close(fd), 0);
	return name;
}

/* The whole file, NUL-terminated (malloc'd); *len (if not NULL) its size. */
static inline char *tl_slurp(const char *name, size_t *len)
{
	FILE *f = fopen(name, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0, r;

	assert_non_null(f);
	do {
		if (n + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		r = fread(buf + n, 1, 4096, f);
		n += r;
	} while (r);
	assert_int_equal(ferror(f), 0);
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

/* Writes text to name and reads it into img with stimg_read. */
static inline int tl_read_text(struct stimg_image *img, const char *name,
			       const char *text, enum stimg_overlap pol,
			       struct stimg_diag *d)
{
	tl_write_text(name, text);
	memset(d, 0, sizeof(*d));
	return stimg_read(img, name, NULL, pol, NULL, d);
}

/*
 * The row of the format table named name (found without
 * stimg_format_by_name, which the tests check against it).
 */
static inline const struct stimg_format *tl_format(const char *name)
{
	size_t i, n;
	const struct stimg_format *const *f = stimg_formats(&n);

	for (i = 0; i < n; i++)
		if (!strcmp(f[i]->name, name))
			return f[i];
	fail_msg("no format '%s'", name);
	return NULL;
}

/* Write options for the format named name, at their defaults. */
static inline struct stimg_write_opts tl_write_opts(const char *name)
{
	struct stimg_write_opts o;

	stimg_write_opts_init(&o, tl_format(name));
	return o;
}

/* Sets a format option by name ("record-size"), which must succeed. */
static inline void tl_opt(struct stimg_write_opts *o, const char *name,
			  const char *value)
{
	struct stimg_diag d;

	memset(&d, 0, sizeof(d));
	if (stimg_write_opts_set(o, name, value, &d))
		fail_msg("--%s %s: %s", name, value ? value : "", d.msg);
}

/*
 * Writes img in o's format through its write function into a tmpfile();
 * returns what was written, NUL-terminated (malloc'd), and the status in
 * *ret.
 */
static inline char *tl_write_mem(const struct stimg_image *img,
				 const struct stimg_write_opts *o, int *ret,
				 size_t *len)
{
	struct stimg_diag d;
	FILE *f = tmpfile();
	char *buf;
	long n;

	assert_non_null(f);
	memset(&d, 0, sizeof(d));
	*ret = o->fmt->write(img, f, o->opts.bytes, &d);
	assert_int_equal(fflush(f), 0);
	n = ftell(f);
	assert_true(n >= 0);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	rewind(f);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

/*
 * What the C library's heap has handed out (glibc), for tests of what the
 * image costs. Under a sanitizer or valgrind, which bring their own
 * allocator, it stays put and upper bounds on it hold trivially.
 */
static inline size_t tl_heap_in_use(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

/* How much more the heap holds than it did at before (0 if less). */
static inline size_t tl_heap_grown(size_t before)
{
	size_t now = tl_heap_in_use();

	return now > before ? now - before : 0;
}

/* Warnings and notes the library sent through a diag's callback. */
struct tl_warnings {
	int n;
	struct stimg_diag last;
};

static inline void tl_capture(void *ctx, const struct stimg_diag *d)
{
	struct tl_warnings *w = ctx;

	w->n++;
	w->last = *d;
}

/* A diag whose warnings go to w. */
static inline void tl_diag_capture(struct stimg_diag *d, struct tl_warnings *w)
{
	memset(d, 0, sizeof(*d));
	memset(w, 0, sizeof(*w));
	d->warn = tl_capture;
	d->ctx = w;
}

/*
 * The regions of img (maximal runs of data) as
 * "[0x00001000,0x00001010) [0x00002000,0x00002004)"; "" when empty. The
 * buffer is static: compare before the next call.
 */
static inline const char *tl_segs(const struct stimg_image *img)
{
	static char buf[4096];
	struct stimg_range r;
	uint64_t next = 0;
	size_t at = 0;

	buf[0] = '\0';
	while (stimg_image_next_region(img, &next, &r) && at < sizeof(buf))
		at += (size_t)snprintf(buf + at, sizeof(buf) - at,
				       "%s[0x%08" PRIX64 ",0x%08" PRIX64 ")",
				       at ? " " : "", r.start, r.end);
	return buf;
}

/* The entry point of img, or -1 when it has none. */
static inline int64_t tl_entry(const struct stimg_image *img)
{
	uint32_t e;

	return stimg_image_entry(img, &e) ? (int64_t)e : -1;
}

/* A range set in the same notation; 4 GiB shows as 0x100000000. */
static inline const char *tl_ranges(const struct stimg_ranges *r)
{
	static char buf[4096];
	size_t i, at = 0;

	buf[0] = '\0';
	for (i = 0; i < r->n && at < sizeof(buf); i++)
		at += (size_t)snprintf(buf + at, sizeof(buf) - at,
				       "%s[0x%08" PRIX64 ",0x%08" PRIX64 ")",
				       i ? " " : "", r->v[i].start, r->v[i].end);
	return buf;
}

/* Asserts that img holds exactly the len bytes want at addr. */
#define tl_assert_bytes(img, addr, want, len) \
	tl_assert_bytes_at((img), (addr), (want), (len), __FILE__, __LINE__)

static inline void tl_assert_bytes_at(const struct stimg_image *img,
				      uint32_t addr, const void *want,
				      size_t len, const char *file, int line)
{
	uint8_t *got = malloc(len ? len : 1);

	_assert_true(got != NULL, "got != NULL", file, line);
	_assert_true(stimg_image_get(img, addr, got, len),
		     "stimg_image_get(img, addr, got, len)", file, line);
	_assert_memory_equal(got, want, len, file, line);
	free(got);
}

/* Asserts that a and b hold the same bytes at the same addresses. */
static inline void tl_assert_same_data(const struct stimg_image *a,
				       const struct stimg_image *b)
{
	char segs[4096];
	struct stimg_range r;
	uint64_t at = 0;

	snprintf(segs, sizeof(segs), "%s", tl_segs(a));
	assert_string_equal(tl_segs(b), segs);
	while (stimg_image_next_region(a, &at, &r)) {
		size_t n = (size_t)(r.end - r.start);
		uint8_t *p = malloc(n);

		assert_non_null(p);
		assert_true(stimg_image_get(a, (uint32_t)r.start, p, n));
		tl_assert_bytes(b, (uint32_t)r.start, p, n);
		free(p);
	}
}

/* Puts len bytes from a string literal at addr from source src, line. */
static inline int tl_put(struct stimg_image *img, uint64_t addr,
			 const char *bytes, size_t len, uint32_t src,
			 uint32_t line, enum stimg_overlap pol,
			 struct stimg_diag *d)
{
	return stimg_image_put(img, addr, (const uint8_t *)bytes, len, src,
			       line, pol, d);
}

/*
 * Appends the Intel HEX record (type, 16-bit addr, n data bytes) with its
 * checksum and a newline to the NUL-terminated text in file (cap bytes).
 */
static inline void tl_ihex_cat(char *file, size_t cap, unsigned type,
			       unsigned addr, const uint8_t *data, unsigned n)
{
	size_t at = strlen(file);
	unsigned sum = n + (addr >> 8) + (addr & 0xFF) + type, i;

	assert_true(at + 11 + 2 * n + 2 <= cap);
	at += (size_t)sprintf(file + at, ":%02X%04X%02X", n, addr & 0xFFFF, type);
	for (i = 0; i < n; i++) {
		at += (size_t)sprintf(file + at, "%02X", data[i]);
		sum += data[i];
	}
	sprintf(file + at, "%02X\n", -sum & 0xFF);
}

#endif
