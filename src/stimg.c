/* Version, error names, diagnostics and the hex tables every text format uses. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

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

static void diag_report(struct stimg_diag *d, int level, const char *file,
			unsigned long line, const char *fmt, va_list ap)
{
	struct stimg_diag w;

	if (!d || !d->warn)
		return;
	memset(&w, 0, sizeof(w));
	w.level = level;
	diag_vfill(&w, file, line, fmt, ap);
	d->warn(d->ctx, &w);
}

void diag_warn(struct stimg_diag *d, const char *file, unsigned long line,
	       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_report(d, STIMG_WARNING, file, line, fmt, ap);
	va_end(ap);
}

void diag_note(struct stimg_diag *d, const char *file, unsigned long line,
	       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_report(d, STIMG_NOTE, file, line, fmt, ap);
	va_end(ap);
}

int hex_decode(const char *name, unsigned long lineno, const uint8_t *p,
	       size_t n, size_t col, uint8_t *out, struct stimg_diag *d)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2) {
		int v = hex_pair(p + i);

		if (v < 0) {
			size_t bad = hex_value[p[i]] < 0 ? i : i + 1;

			return diag_set(d, name, lineno, STIMG_EFORMAT,
					"invalid character '%c' in column %zu",
					printable(p[bad]), col + bad);
		}
		out[i / 2] = (uint8_t)v;
	}
	return STIMG_OK;
}

const char hex_digits[16] = "0123456789ABCDEF";

#define H16(x) x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x
const int8_t hex_value[256] = {
	H16(-1), H16(-1), H16(-1),
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, -1, -1, -1, -1, -1, -1,
	-1, 10, 11, 12, 13, 14, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	H16(-1),
	-1, 10, 11, 12, 13, 14, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	H16(-1),
	H16(-1), H16(-1), H16(-1), H16(-1), H16(-1), H16(-1), H16(-1), H16(-1),
};
