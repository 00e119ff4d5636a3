/* Everything the commands print about problems, and option value parsing. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"

int verbosity;

static void vreport(const char *kind, const char *fmt, va_list ap)
{
	fprintf(stderr, "stimg: %s: ", kind);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("error", fmt, ap);
	va_end(ap);
}

void warning(const char *fmt, ...)
{
	va_list ap;

	if (verbosity < 0)
		return;
	va_start(ap, fmt);
	vreport("warning", fmt, ap);
	va_end(ap);
}

void note(const char *fmt, ...)
{
	va_list ap;

	if (verbosity < 0)
		return;
	va_start(ap, fmt);
	vreport("note", fmt, ap);
	va_end(ap);
}

int usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("error", fmt, ap);
	va_end(ap);
	fprintf(stderr, "try 'stimg %s --help'\n", cmd);
	return EXIT_USAGE;
}

int diag_fail(struct stimg_diag *d, int err, const char *fmt, ...)
{
	va_list ap;

	d->file[0] = '\0';
	d->line = 0;
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
	return err;
}

int exit_status(int err)
{
	switch (err) {
	case STIMG_OK:
		return EXIT_OK;
	case STIMG_EINVAL:
		return EXIT_USAGE;
	case STIMG_EIO:
	case STIMG_ENOMEM:
		return EXIT_IO;
	default:
		return EXIT_BAD;
	}
}

/* "FILE:LINE: ", "FILE: " or "" before a message. */
static void where(char *buf, size_t n, const struct stimg_diag *d)
{
	if (d->file[0] && d->line)
		snprintf(buf, n, "%s:%lu: ", d->file, d->line);
	else if (d->file[0])
		snprintf(buf, n, "%s: ", d->file);
	else
		buf[0] = '\0';
}

int report(int err, const struct stimg_diag *d)
{
	char w[600];

	if (!d->msg[0]) {
		error("%s", stimg_strerror(err));
	} else {
		where(w, sizeof(w), d);
		error("%s%s", w, d->msg);
	}
	return exit_status(err);
}

static void on_warning(void *ctx, const struct stimg_diag *d)
{
	char w[600];

	(void)ctx;
	where(w, sizeof(w), d);
	if (d->level == STIMG_NOTE)
		note("%s%s", w, d->msg);
	else
		warning("%s%s", w, d->msg);
}

void diag_init(struct stimg_diag *d)
{
	memset(d, 0, sizeof(*d));
	d->warn = on_warning;
}

int opt_number(const char *cmd, const char *opt, const char *arg, uint64_t max,
	       uint64_t *out)
{
	int ret = stimg_parse_number(arg, max, out);

	if (ret == STIMG_ERANGE)
		return usage_error(cmd, "%s: '%s' is too large (at most 0x%llX)",
				   opt, arg, (unsigned long long)max);
	if (ret)
		return usage_error(cmd, "%s: '%s' is not a number "
				   "(0x8008000, 134250496, 32K, 1M)", opt, arg);
	return EXIT_OK;
}

int opt_range(const char *cmd, const char *opt, const char *arg,
	      struct stimg_range *out)
{
	if (stimg_parse_range(arg, out))
		return usage_error(cmd, "%s: '%s' is not a range inside the "
				   "32-bit address space (START:END or "
				   "START+SIZE, e.g. 0x08008000+64K)", opt, arg);
	return EXIT_OK;
}

int opt_output_format(const char *cmd, const char *oformat, const char *output,
		      const struct stimg_format *fallback,
		      const struct stimg_format **fmt)
{
	if (oformat) {
		*fmt = stimg_format_by_name(oformat);
		if (!*fmt || !(*fmt)->write)
			return usage_error(cmd, "-O: unknown format '%s' (known: %s)",
					   oformat,
					   stimg_format_names(STIMG_FORMAT_WRITE));
		return EXIT_OK;
	}
	*fmt = output ? stimg_format_by_extension(output) : NULL;
	if (!*fmt || !(*fmt)->write)
		*fmt = fallback;
	if (!*fmt)
		return usage_error(cmd, "cannot tell the output format of '%s'; "
				   "use -O FORMAT (%s)", output ? output : "-",
				   stimg_format_names(STIMG_FORMAT_WRITE));
	return EXIT_OK;
}

const char *size_text(uint64_t n, char *buf, size_t len)
{
	if (n && n % (1u << 20) == 0)
		snprintf(buf, len, "%" PRIu64 " MiB", n >> 20);
	else if (n && n % 1024 == 0)
		snprintf(buf, len, "%" PRIu64 " KiB", n >> 10);
	else
		snprintf(buf, len, "%" PRIu64 " byte%s", n, n == 1 ? "" : "s");
	return buf;
}

int opt_crc_algo(const char *cmd, const char *opt, const char *algo,
		 struct stimg_crc_model *m)
{
	const char *near[4];
	char list[256] = "";
	struct stimg_diag d;
	size_t n, i;

	memset(&d, 0, sizeof(d));
	if (!stimg_crc_parse(algo, m, &d))
		return EXIT_OK;
	if (strchr(algo, '='))
		return usage_error(cmd, "%s: %s", opt, d.msg);
	n = stimg_crc_suggest(algo, near, 4);
	for (i = 0; i < n; i++) {
		strncat(list, i ? ", " : "", sizeof(list) - strlen(list) - 1);
		strncat(list, near[i], sizeof(list) - strlen(list) - 1);
	}
	return usage_error(cmd, "%s: unknown algorithm '%s'; closest: %s "
			   "('stimg crc --list' shows all)", opt, algo, list);
}

int opt_input_format(const char *cmd, const char *iformat)
{
	const struct stimg_format *f = iformat ? stimg_format_by_name(iformat)
					       : NULL;

	if (iformat && (!f || !f->read))
		return usage_error(cmd, "-I: unknown format '%s' (known: %s)",
				   iformat, stimg_format_names(STIMG_FORMAT_READ));
	return EXIT_OK;
}

bool common_option(int c, const char *arg, struct common_opts *co)
{
	switch (c) {
	case 'o':
		co->output = arg;
		return true;
	case 'O':
		co->oformat = arg;
		return true;
	case 'I':
		co->iformat = arg;
		return true;
	case 'q':
		verbosity = -1;
		return true;
	case 'v':
		verbosity = 1;
		return true;
	}
	return false;
}

/*
 * name as one shell word: itself when every character is safe, else in
 * single quotes (a quote inside as '\''), into buf.
 */
const char *sh_quote(const char *name, char *buf, size_t n)
{
	size_t at = 0;

	if (name[0] && strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
				    "qrstuvwxyz0123456789_-+./:@%,=") ==
		       strlen(name)) {
		snprintf(buf, n, "%s", name);
		return buf;
	}
	buf[at++] = '\'';
	for (; *name && at + 5 < n; name++) {
		if (*name == '\'') {
			memcpy(buf + at, "'\\''", 4);
			at += 4;
		} else {
			buf[at++] = *name;
		}
	}
	buf[at++] = '\'';
	buf[at] = '\0';
	return buf;
}

void format_hint(const struct stimg_format *fmt, const char *name)
{
	char q[1200];
	const char *p;

	if (verbosity < 0)
		return;
	sh_quote(name, q, sizeof(q));
	fprintf(stderr, "stimg: wrote %s; to flash it:\n  ", q);
	/* the templates are the format table's: each %s is the name */
	for (p = fmt->hint; *p; p++) {
		if (p[0] == '%' && p[1] == 's') {
			fputs(q, stderr);
			p++;
		} else {
			fputc(*p, stderr);
			if (*p == '\n' && p[1])
				fputs("  ", stderr);
		}
	}
	if (p > fmt->hint && p[-1] != '\n')
		fputc('\n', stderr);
}
