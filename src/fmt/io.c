/* Chunked input, line splitting, buffered record output. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fmt/fmt.h"

/* Big enough that the reader's system calls vanish in the profile. */
#define INPUT_CHUNK (1u << 20)

int stimg_input_fill(struct stimg_input *in, struct stimg_diag *d)
{
	long r;

	if (in->pos) {
		memmove(in->buf, in->buf + in->pos, in->len - in->pos);
		in->len -= in->pos;
		in->pos = 0;
	}
	if (in->eof || in->len == in->cap)
		return STIMG_OK;
	r = os_read(in->fd, in->buf + in->len, in->cap - in->len);
	if (r < 0)
		return diag_set(d, in->name, 0, STIMG_EIO, "cannot read: %s",
				strerror(errno));
	if (r == 0)
		in->eof = true;
	in->len += (size_t)r;
	return STIMG_OK;
}

int stimg_input_open(struct stimg_input *in, const char *path,
		     struct stimg_diag *d)
{
	bool is_stdin = !strcmp(path, "-");
	int ret;

	memset(in, 0, sizeof(*in));
	in->fd = -1;
	in->name = strdup(is_stdin ? "<stdin>" : path);
	in->buf = malloc(INPUT_CHUNK);
	if (!in->name || !in->buf) {
		ret = STIMG_ENOMEM;
		goto out;
	}
	in->cap = INPUT_CHUNK;
	in->fd = os_open_input(path, &in->regular);
	if (in->fd < 0) {
		ret = diag_set(d, path, 0, STIMG_EIO, "cannot open: %s",
			       strerror(errno));
		goto out;
	}
	/* enough to tell the format even from a pipe that trickles */
	do
		ret = stimg_input_fill(in, d);
	while (!ret && !in->eof && in->len < 64);
out:
	if (ret)
		stimg_input_close(in);
	return ret;
}

int input_open_mem(struct stimg_input *in, const char *name,
		   const uint8_t *data, size_t len)
{
	memset(in, 0, sizeof(*in));
	in->fd = -1;
	in->name = strdup(name);
	/* exactly len bytes: a reader that runs past them is caught */
	in->buf = malloc(len ? len : 1);
	if (!in->name || !in->buf) {
		stimg_input_close(in);
		return STIMG_ENOMEM;
	}
	memcpy(in->buf, data, len);
	in->cap = in->len = len;
	in->eof = true;
	return STIMG_OK;
}

void stimg_input_close(struct stimg_input *in)
{
	if (in->fd >= 0)
		os_close_input(in->fd);
	free(in->buf);
	free(in->name);
	memset(in, 0, sizeof(*in));
	in->fd = -1;
}

int stimg_input_slurp(struct stimg_input *in, uint64_t max, uint8_t **data,
		      size_t *len, struct stimg_diag *d)
{
	uint8_t *p = NULL;
	size_t n, cap;
	uint64_t left = in->fd >= 0 ? os_bytes_left(in->fd) : 0;
	int ret = STIMG_OK;

	/* a regular file's size is known: one allocation of exactly that */
	n = in->len - in->pos;
	if (left > max)
		goto too_big;
	cap = n + (size_t)left;
	if (cap > max)
		goto too_big;
	/* one byte more than the file: the read that sees its end fits */
	cap = cap + 1 > 4096 ? cap + 1 : 4096;
	p = malloc(cap);
	if (!p)
		return STIMG_ENOMEM;
	memcpy(p, in->buf + in->pos, n);
	in->pos = in->len;
	for (;;) {
		long r;

		if (n == cap) {
			uint8_t *q;

			if (cap > max)
				goto too_big;
			q = realloc(p, cap * 2);
			if (!q) {
				ret = STIMG_ENOMEM;
				goto out;
			}
			p = q;
			cap *= 2;
		}
		r = in->fd >= 0 ? os_read(in->fd, p + n, cap - n) : 0;
		if (r < 0) {
			ret = diag_set(d, in->name, 0, STIMG_EIO, "cannot read: %s",
				       strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > max)
		goto too_big;
	in->eof = true;
	*data = p;
	*len = n;
	return STIMG_OK;
too_big:
	ret = diag_set(d, in->name, 0, STIMG_ERANGE,
		       "file is larger than the %llu bytes that fit below 4 GiB",
		       (unsigned long long)max);
out:
	free(p);
	return ret;
}

/*
 * What ends the lines of a text whose first bytes are p[0..n): CR when the
 * first line break is a CR without an LF after it, else LF; 0 while that
 * cannot be told yet (no line break in view).
 */
static uint8_t line_end(const uint8_t *p, size_t n, bool eof)
{
	const uint8_t *lf = memchr(p, '\n', n);
	const uint8_t *cr = memchr(p, '\r', lf ? (size_t)(lf - p) : n);

	if (!cr)
		return lf ? '\n' : 0;
	if (cr + 1 < p + n)
		return cr[1] == '\n' ? '\n' : '\r';
	return eof ? '\r' : 0;
}

void input_skip_bom(struct stimg_input *in, struct stimg_diag *d)
{
	if (!in->pos && utf8_bom(in->buf, in->len)) {
		in->pos = 3;
		diag_warn(d, in->name, 1, "a UTF-8 byte-order mark before the "
			  "first record; ignored");
	}
}

int input_line(struct stimg_input *in, size_t max, const uint8_t **line,
	       size_t *n, size_t *col, unsigned long lineno,
	       struct stimg_diag *d)
{
	for (;;) {
		const uint8_t *p = in->buf + in->pos;
		size_t avail = in->len - in->pos;
		const uint8_t *nl;
		int ret;

		if (!in->eol)
			in->eol = line_end(p, avail, in->eof);
		nl = memchr(p, in->eol ? in->eol : '\n', avail);
		if ((nl ? (size_t)(nl - p) : avail) > max)
			return diag_set(d, in->name, lineno, STIMG_EFORMAT,
					"line is longer than %zu characters", max);
		if (nl || (in->eof && avail)) {
			*n = nl ? (size_t)(nl - p) : avail;
			in->pos += nl ? *n + 1 : *n;
			*col = 1;
			while (*n && is_blank(p[*n - 1]))
				(*n)--;
			while (*n && is_blank(*p)) {
				p++;
				(*n)--;
				(*col)++;
			}
			*line = p;
			return 1;
		}
		if (in->eof)
			return 0;
		ret = stimg_input_fill(in, d);
		if (ret)
			return ret;
	}
}

char *outbuf_reserve(struct outbuf *o, size_t n)
{
	if (o->len + n > sizeof(o->buf))
		outbuf_flush(o);
	o->len += n;
	return o->buf + o->len - n;
}

int outbuf_flush(struct outbuf *o)
{
	if (o->len && fwrite(o->buf, 1, o->len, o->f) != o->len)
		o->err = STIMG_EIO;
	o->len = 0;
	return o->err;
}

void text_opts_init(void *opts)
{
	struct text_opts *o = opts;

	o->record_size = 16;
	o->srec_type = 0;
	o->crlf = false;
}

int text_opts_check(const struct text_opts *o, struct stimg_diag *d)
{
	if (o->record_size < 1 || o->record_size > 255)
		return diag_set(d, NULL, 0, STIMG_EINVAL,
				"record size is %u, expected 1 to 255",
				o->record_size);
	if (o->srec_type > 3)
		return diag_set(d, NULL, 0, STIMG_EINVAL,
				"S-record type is %u, expected 1, 2 or 3",
				o->srec_type);
	return STIMG_OK;
}

int text_opts_set(void *opts, const char *name, const char *value,
		  struct stimg_diag *d)
{
	struct text_opts *o = opts;
	uint64_t v = 0;
	int ret;

	if (!strcmp(name, "crlf")) {
		o->crlf = true;
		return STIMG_OK;
	}
	if (!strcmp(name, "srec-type")) {
		if (strlen(value) != 1 || value[0] < '1' || value[0] > '3')
			return diag_set(d, NULL, 0, STIMG_EINVAL, "--srec-type: "
					"'%s' is not 1, 2 or 3", value);
		o->srec_type = (unsigned)(value[0] - '0');
		return STIMG_OK;
	}
	ret = format_opt_number(name, value, 255, &v, d);
	if (ret)
		return ret;
	if (!v)
		return diag_set(d, NULL, 0, STIMG_EINVAL,
				"--record-size: must be 1 to 255");
	o->record_size = (unsigned)v;
	return STIMG_OK;
}

int format_opt_number(const char *name, const char *value, uint64_t max,
		      uint64_t *out, struct stimg_diag *d)
{
	int ret = value ? stimg_parse_number(value, max, out) : STIMG_EINVAL;

	if (ret == STIMG_ERANGE)
		return diag_set(d, NULL, 0, STIMG_EINVAL, "--%s: '%s' is too "
				"large (at most 0x%llX)", name, value,
				(unsigned long long)max);
	if (ret)
		return diag_set(d, NULL, 0, STIMG_EINVAL, "--%s: '%s' is not a "
				"number (0x8008000, 134250496, 32K, 1M)", name,
				value ? value : "");
	return STIMG_OK;
}
