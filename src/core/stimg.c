/* Version, error names, edit distance, diagnostics and the hex tables every text format uses. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

const char *stimg_version(void)
{
	return STIMG_VERSION;
}

const char *stimg_strerror(int err)
{
	static const char *const names[] = {
		[0] = "success",
		[-STIMG_EINVAL] = "invalid argument",
		[-STIMG_EFORMAT] = "malformed input",
		[-STIMG_ECONFLICT] = "conflicting data",
		[-STIMG_ERANGE] = "address out of range",
		[-STIMG_ENOMEM] = "out of memory",
		[-STIMG_EIO] = "input/output error",
		[-STIMG_ECHECK] = "check failed",
	};

	if (err > 0 || (size_t)-err >= ARRAY_SIZE(names))
		return "unknown error";
	return names[-err];
}

size_t stimg_edit_distance(const char *a, const char *b)
{
	size_t row[64], nb = strlen(b), i, j;

	if (nb >= ARRAY_SIZE(row))
		nb = ARRAY_SIZE(row) - 1;
	for (j = 0; j <= nb; j++)
		row[j] = j;
	for (i = 1; a[i - 1]; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (j = 1; j <= nb; j++) {
			size_t up = row[j];
			size_t best = diag + (tolower((unsigned char)a[i - 1]) !=
					      tolower((unsigned char)b[j - 1]));

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[nb];
}

const char *stimg_escape(const char *s, char *buf, size_t n)
{
	size_t at = 0;

	for (; *s && n; s++) {
		unsigned char c = (unsigned char)*s;
		char e[5];
		size_t k;

		if (c == '\\')
			snprintf(e, sizeof(e), "\\\\");
		else if (c == '\t' || c == '\n' || c == '\r')
			snprintf(e, sizeof(e), "\\%c", c == '\t' ? 't' :
							c == '\n' ? 'n' : 'r');
		else if (c < 0x20 || c == 0x7F)
			snprintf(e, sizeof(e), "\\%03o", c);
		else
			snprintf(e, sizeof(e), "%c", c);
		k = strlen(e);
		if (at + k >= n)
			break;
		memcpy(buf + at, e, k);
		at += k;
	}
	if (n)
		buf[at] = '\0';
	return buf;
}

static void diag_vfill(struct stimg_diag *d, const char *file,
		       unsigned long line, const char *fmt, va_list ap)
{
	snprintf(d->file, sizeof(d->file), "%s", file ? file : "");
	d->line = line;
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
}

int diag_set(struct stimg_diag *d, const char *file, unsigned long line,
	     int err, const char *fmt, ...)
{
	va_list ap;

	if (!d)
		return err;
	va_start(ap, fmt);
	diag_vfill(d, file, line, fmt, ap);
	va_end(ap);
	return err;
}

void diag_emit(struct stimg_diag *d, int level, const char *file,
	       unsigned long line, const char *fmt, ...)
{
	struct stimg_diag w;
	va_list ap;

	if (!d || !d->warn)
		return;
	memset(&w, 0, sizeof(w));
	w.level = level;
	va_start(ap, fmt);
	diag_vfill(&w, file, line, fmt, ap);
	va_end(ap);
	d->warn(d->ctx, &w);
}

int array_grow(void *v, size_t *cap, size_t n, size_t sz, size_t first)
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
