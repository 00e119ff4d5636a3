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

/*
 * Two hex digits, read as one little-endian 16-bit word, to their byte
 * value, or 0x100 when either is not a hex digit: one load per byte where
 * hex_value needs two and a shift. Built before main() runs.
 */
static uint16_t hex_pairs[65536];

__attribute__((constructor)) static void hex_pairs_init(void)
{
	unsigned a, b;

	for (a = 0; a < 256; a++) {
		for (b = 0; b < 256; b++) {
			uint8_t two[2] = { (uint8_t)a, (uint8_t)b };
			int hi = hex_value[a], lo = hex_value[b];
			uint16_t w;

			memcpy(&w, two, 2);	/* the host's byte order */
			hex_pairs[w] = (hi | lo) < 0 ? 0x100
						     : (uint16_t)(hi << 4 | lo);
		}
	}
}

int hex_decode(const char *name, unsigned long lineno, const uint8_t *p,
	       size_t n, size_t col, uint8_t *out, unsigned *sum,
	       struct stimg_diag *d)
{
	const uint8_t *q = p, *end = p + (n & ~(size_t)1);
	unsigned bad = 0, total = 0;
	size_t i;

	/* no branch per byte: a bad digit shows in bad afterwards */
	for (; q < end; q += 2) {
		uint16_t w;
		unsigned v;

		memcpy(&w, q, 2);
		v = hex_pairs[w];
		bad |= v;
		total += v;
		*out++ = (uint8_t)v;
	}
	*sum += total;
	if (!(bad & 0x100))
		return STIMG_OK;
	for (i = 0; hex_value[p[i]] >= 0; i++)
		;
	return diag_set(d, name, lineno, STIMG_EFORMAT,
			"invalid character '%c' in column %zu",
			printable(p[i]), col + i);
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
