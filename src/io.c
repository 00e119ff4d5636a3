/* Chunked input, line splitting, buffered record output, atomic files. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

/* Big enough that the reader's system calls vanish in the profile. */
#define INPUT_CHUNK (1u << 20)

int stimg_input_fill(struct stimg_input *in, struct stimg_diag *d)
{
	ssize_t r;

	if (in->pos) {
		memmove(in->buf, in->buf + in->pos, in->len - in->pos);
		in->len -= in->pos;
		in->pos = 0;
	}
	if (in->eof || in->len == in->cap)
		return STIMG_OK;
	do
		r = read(in->fd, in->buf + in->len, in->cap - in->len);
	while (r < 0 && errno == EINTR);
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
	in->fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
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

void stimg_input_close(struct stimg_input *in)
{
	if (in->fd > STDIN_FILENO)
		close(in->fd);
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
	struct stat st;
	int ret = STIMG_OK;

	/* a regular file's size is known: one allocation of exactly that */
	n = in->len - in->pos;
	cap = n;
	if (!fstat(in->fd, &st) && S_ISREG(st.st_mode)) {
		off_t at = lseek(in->fd, 0, SEEK_CUR);

		if (at >= 0 && st.st_size > at)
			cap += (size_t)(st.st_size - at);
	}
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
		ssize_t r;

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
		r = read(in->fd, p + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
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

int input_line(struct stimg_input *in, size_t max, const uint8_t **line,
	       size_t *n, size_t *col, unsigned long lineno,
	       struct stimg_diag *d)
{
	for (;;) {
		const uint8_t *p = in->buf + in->pos;
		size_t avail = in->len - in->pos;
		const uint8_t *nl = memchr(p, '\n', avail);
		int ret;

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

int stimg_output_open(struct stimg_output *out, const char *path,
		      struct stimg_diag *d)
{
	char *copy = NULL, *dir;
	struct stat st;
	mode_t mode;
	int fd = -1, ret = STIMG_OK;

	memset(out, 0, sizeof(*out));
	if (!strcmp(path, "-")) {
		out->f = stdout;
		return STIMG_OK;
	}
	out->path = strdup(path);
	copy = strdup(path);
	if (!out->path || !copy) {
		ret = STIMG_ENOMEM;
		goto out;
	}
	dir = dirname(copy);
	if (asprintf(&out->tmp, "%s/.stimg-XXXXXX", dir) < 0) {
		out->tmp = NULL;
		ret = STIMG_ENOMEM;
		goto out;
	}
	fd = mkstemp(out->tmp);
	if (fd < 0) {
		ret = diag_set(d, path, 0, STIMG_EIO, "cannot create a file in '%s': %s",
			       dir, strerror(errno));
		free(out->tmp);
		out->tmp = NULL;
		goto out;
	}
	/* the mode a plain create would give, or the replaced file's */
	if (!stat(path, &st)) {
		mode = st.st_mode & 07777;
	} else {
		mode = umask(0);
		umask(mode);
		mode = 0666 & ~mode;
	}
	if (fchmod(fd, mode) < 0 || !(out->f = fdopen(fd, "wb"))) {
		ret = diag_set(d, path, 0, STIMG_EIO, "cannot write: %s",
			       strerror(errno));
		close(fd);
		goto out;
	}
out:
	free(copy);
	if (ret)
		stimg_output_abort(out);
	return ret;
}

int stimg_output_commit(struct stimg_output *out, struct stimg_diag *d)
{
	int ret = STIMG_OK;
	int failed;

	if (!out->tmp) {
		if (fflush(out->f) || ferror(out->f))
			ret = diag_set(d, "<stdout>", 0, STIMG_EIO,
				       "cannot write: %s", strerror(errno));
		memset(out, 0, sizeof(*out));
		return ret;
	}
	failed = ferror(out->f);
	failed |= fclose(out->f);
	out->f = NULL;
	if (failed || rename(out->tmp, out->path)) {
		ret = diag_set(d, out->path, 0, STIMG_EIO, "cannot write: %s",
			       strerror(errno));
		stimg_output_abort(out);
		return ret;
	}
	free(out->tmp);
	free(out->path);
	memset(out, 0, sizeof(*out));
	return STIMG_OK;
}

void stimg_output_abort(struct stimg_output *out)
{
	if (out->tmp) {
		if (out->f)
			fclose(out->f);
		unlink(out->tmp);
	}
	free(out->tmp);
	free(out->path);
	memset(out, 0, sizeof(*out));
}
