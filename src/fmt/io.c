/* Chunked input, line splitting, buffered record output. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/hex_simd.h"
#include "fmt/fmt.h"

/*
 * Big enough that the reader's system calls vanish in the profile.
 * Measured: a regular file read(2) into this buffer costs less than
 * mapping it in windows (46 MB of HEX to BIN: 32 ms of CPU against 42 ms;
 * a 256 MiB CRC: 40 against 51), so only ELF, whose bytes an image points
 * at, is mapped.
 */
#define INPUT_CHUNK (1u << 20)
/*
 * Reading ahead: a file of more than two chunks gets two buffers of
 * INPUT_AHEAD bytes. The next INPUT_STEP bytes are read into the other
 * buffer, after room for the bytes the reader has not consumed yet (a line
 * cut by the step's end), while the reader works on this one.
 */
#define INPUT_ROOM (64u << 10)
#define INPUT_STEP (INPUT_CHUNK / 2)
#define INPUT_AHEAD (INPUT_ROOM + 2 * INPUT_STEP)

/* Swaps in the chunk read meanwhile, after the unconsumed bytes. */
static int fill_ahead(struct stimg_input *in, struct stimg_diag *d)
{
	size_t tail = in->len - in->pos;
	uint8_t *next = in->next, *old = in->buf;
	long r;

	if (!in->pending || tail > INPUT_AHEAD - INPUT_STEP) {
		/* the end, or a buffer the reader did not consume: as before */
		memmove(in->buf, in->buf + in->pos, tail);
		in->len = tail;
		in->pos = 0;
		in->eof = !in->pending;
		return STIMG_OK;
	}
	r = os_async_wait(in->async);
	in->pending = false;
	if (r < 0)
		return diag_set(d, in->name, 0, STIMG_EIO, "cannot read: %s",
				strerror(errno));
	if (r == 0) {
		memmove(in->buf, in->buf + in->pos, tail);
		in->len = tail;
		in->pos = 0;
		in->eof = true;
		return STIMG_OK;
	}
	if (tail <= INPUT_ROOM) {
		memcpy(next + INPUT_ROOM - tail, old + in->pos, tail);
		in->pos = INPUT_ROOM - tail;
	} else {
		memmove(next + tail, next + INPUT_ROOM, (size_t)r);
		memcpy(next, old + in->pos, tail);
		in->pos = 0;
	}
	in->len = in->pos + tail + (size_t)r;
	in->at += (uint64_t)r;
	in->buf = next;
	in->next = old;
	os_async_read(in->async, in->fd, old + INPUT_ROOM, INPUT_STEP);
	in->pending = true;
	return STIMG_OK;
}

/*
 * The first read takes INPUT_HEAD bytes, enough to tell the format: an ELF
 * file is then mapped, not read (info of a 32 MiB ELF read 1.5 MiB for
 * nothing and started a thread), and a small file costs a small buffer.
 */
#define INPUT_HEAD (64u << 10)

/*
 * The first fill after the head: a large regular file reads ahead from
 * here on, any other gets a buffer of INPUT_CHUNK. Nonzero: no memory.
 */
static int grow(struct stimg_input *in)
{
	size_t tail = in->len - in->pos;
	uint8_t *buf = NULL, *next = NULL;

	if (!in->eof && in->regular && in->size > 2 * INPUT_CHUNK &&
	    !in->limit && !in->shared) {
		buf = malloc(INPUT_AHEAD);
		next = malloc(INPUT_AHEAD);
		in->async = buf && next ? os_async_new() : NULL;
	}
	if (!in->async) {
		free(buf);
		free(next);
		buf = realloc(in->buf, INPUT_CHUNK);
		if (!buf)
			return STIMG_ENOMEM;
		in->buf = buf;
		in->cap = INPUT_CHUNK;
		return STIMG_OK;
	}
	memcpy(buf, in->buf + in->pos, tail);
	free(in->buf);
	in->buf = buf;
	in->cap = INPUT_AHEAD;
	in->len = tail;
	in->pos = 0;
	in->next = next;
	os_async_read(in->async, in->fd, next + INPUT_ROOM, INPUT_STEP);
	in->pending = true;
	return STIMG_OK;
}

/* Whether buf holds only line breaks, spaces and tabs. */
static bool blank(const uint8_t *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (buf[i] != '\n' && buf[i] != '\r' && buf[i] != ' ' &&
		    buf[i] != '\t')
			return false;
	return true;
}

/*
 * More bytes after the unconsumed ones, by one read(2), or pread(2) for an
 * input that shares another's descriptor; none past the limit.
 */
static int read_more(struct stimg_input *in, struct stimg_diag *d)
{
	size_t n = in->cap - in->len;
	long r;

	if (in->pos) {
		memmove(in->buf, in->buf + in->pos, in->len - in->pos);
		in->len -= in->pos;
		in->pos = 0;
		n = in->cap - in->len;
	}
	if (in->eof || !n)
		return STIMG_OK;
	if (in->limit && n > in->limit - in->at)
		n = (size_t)(in->limit - in->at);
	r = !n ? 0 : in->shared ? os_pread(in->fd, in->buf + in->len, n, in->at)
				 : os_read(in->fd, in->buf + in->len, n);
	if (r < 0)
		return diag_set(d, in->name, 0, STIMG_EIO, "cannot read: %s",
				strerror(errno));
	if (r == 0)
		in->eof = true;
	in->len += (size_t)r;
	in->at += (uint64_t)r;
	return STIMG_OK;
}

int stimg_input_fill(struct stimg_input *in, struct stimg_diag *d)
{
	/* (a file, not bytes in memory, which have no more) */
	if (in->fd >= 0 && in->cap == INPUT_HEAD && grow(in))
		return STIMG_ENOMEM;
	if (in->async)
		return fill_ahead(in, d);
	return read_more(in, d);
}

int stimg_input_open(struct stimg_input *in, const char *path,
		     struct stimg_diag *d)
{
	bool is_stdin = !strcmp(path, "-");
	int ret;

	memset(in, 0, sizeof(*in));
	in->fd = -1;
	in->name = strdup(is_stdin ? "<stdin>" : path);
	in->buf = malloc(INPUT_HEAD);
	if (!in->name || !in->buf) {
		ret = STIMG_ENOMEM;
		goto out;
	}
	in->cap = INPUT_HEAD;
	in->fd = os_open_input(path, &in->regular);
	if (in->fd < 0) {
		ret = diag_set(d, path, 0, STIMG_EIO, "cannot open: %s",
			       strerror(errno));
		goto out;
	}
	in->size = in->regular ? os_bytes_left(in->fd) : 0;
	/* (standard input may be a file read from its middle on) */
	in->at = in->regular ? os_offset(in->fd) : 0;
	/* enough to tell the format even from a pipe that trickles */
	do
		ret = read_more(in, d);
	while (!ret && !in->eof && in->len < 64);
	/* only blank lines so far: up to a chunk of them, as before */
	while (!ret && !in->eof && blank(in->buf, in->len) &&
	       in->len < INPUT_CHUNK) {
		uint8_t *p = in->cap < INPUT_CHUNK ?
			     realloc(in->buf, INPUT_CHUNK) : in->buf;

		if (!p) {
			ret = STIMG_ENOMEM;
			break;
		}
		in->buf = p;
		in->cap = INPUT_CHUNK;
		ret = read_more(in, d);
	}
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

/* Stops reading ahead: the chunk read meanwhile joins the buffer. */
static int stop_ahead(struct stimg_input *in, struct stimg_diag *d)
{
	long r;
	int ret = STIMG_OK;

	if (!in->async)
		return STIMG_OK;
	r = in->pending ? os_async_wait(in->async) : 0;
	if (r < 0)
		ret = diag_set(d, in->name, 0, STIMG_EIO, "cannot read: %s",
			       strerror(errno));
	if (r > 0 && in->len + (size_t)r > in->cap) {
		uint8_t *p = realloc(in->buf, in->len + (size_t)r);

		if (p) {
			in->buf = p;
			in->cap = in->len + (size_t)r;
		} else {
			ret = STIMG_ENOMEM;
		}
	}
	if (!ret && r > 0) {
		memcpy(in->buf + in->len, in->next + INPUT_ROOM, (size_t)r);
		in->len += (size_t)r;
		in->at += (uint64_t)r;
	}
	in->eof = in->pending && r == 0;
	in->pending = false;
	os_async_free(in->async);
	in->async = NULL;
	free(in->next);
	in->next = NULL;
	return ret;
}

bool input_fresh(const struct stimg_input *in, uint64_t *start,
		 uint64_t *end)
{
	if (in->fd < 0 || !in->regular || in->shared || in->eof ||
	    in->cap != INPUT_HEAD)
		return false;
	*start = in->at - in->len;
	*end = *start + in->size;
	return true;
}

int input_open_shared(struct stimg_input *in, const struct stimg_input *of,
		      uint64_t off, uint64_t end)
{
	memset(in, 0, sizeof(*in));
	in->fd = of->fd;
	in->shared = true;
	in->regular = of->regular;
	in->size = of->size;
	in->at = off;
	in->limit = end;
	in->name = strdup(of->name);
	in->buf = malloc(INPUT_CHUNK);
	in->cap = INPUT_CHUNK;
	if (!in->name || !in->buf) {
		stimg_input_close(in);
		return STIMG_ENOMEM;
	}
	return STIMG_OK;
}

void stimg_input_close(struct stimg_input *in)
{
	os_async_free(in->async);
	free(in->next);
	if (in->fd >= 0 && !in->shared)
		os_close_input(in->fd);
	free(in->buf);
	free(in->name);
	memset(in, 0, sizeof(*in));
	in->fd = -1;
}

int input_map_all(struct stimg_input *in, uint8_t **mem, size_t *len,
		  struct stimg_diag *d)
{
	int ret = stop_ahead(in, d);

	if (ret)
		return ret;
	/* the first bytes, read to tell the format, are the file's start */
	if (!in->regular || !in->size || in->size > SIZE_MAX ||
	    os_bytes_left(in->fd) != in->size - in->len)
		return 1;
	*mem = os_map_copy(in->fd, (size_t)in->size);
	if (!*mem)
		return diag_set(d, in->name, 0, STIMG_EIO, "cannot read: %s",
				strerror(errno));
	*len = (size_t)in->size;
	return STIMG_OK;
}

int stimg_input_slurp(struct stimg_input *in, uint64_t max, uint8_t **data,
		      size_t *len, struct stimg_diag *d)
{
	uint8_t *p = NULL;
	size_t n, cap;
	uint64_t left;
	int ret = stop_ahead(in, d);

	if (ret)
		return ret;
	left = in->fd >= 0 && !in->eof ? os_bytes_left(in->fd) : 0;

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

void outbuf_init(struct outbuf *o, FILE *f)
{
	o->f = f;
	o->len = 0;
	o->err = STIMG_OK;
	o->encode = stimg__hex()->encode;
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

/* What one call of a kernel may return: 64 KiB of data, 4096 records. */
#define DECODE_DATA (64u << 10)
#define DECODE_RECS 4096

struct decoder {
	size_t (*kernel)(const uint8_t *p, size_t n, struct stimg__hexrun *r);
	struct stimg__hexrec rec[DECODE_RECS];
	uint8_t data[DECODE_DATA + STIMG__HEX_SLACK];
};

struct decoder *decode_new(bool ihex)
{
	struct decoder *dec = malloc(sizeof(*dec));

	if (dec)
		dec->kernel = ihex ? stimg__hex()->ihex : stimg__hex()->srec;
	return dec;
}

/*
 * Puts records [i, j) of r: a run of records that follow each other, all
 * but the last of one length (the step, so that origins name each line).
 */
static int put_run(const struct stimg__hexrun *r, size_t i, size_t j,
		   const uint8_t *data, const struct stimg_sink *k,
		   uint64_t base, unsigned long line, struct stimg_diag *d)
{
	size_t len = (size_t)((uint64_t)r->rec[j - 1].addr + r->rec[j - 1].len -
			      r->rec[i].addr);

	return k->data(k->ctx, base + r->rec[i].addr, data, len,
		       (uint32_t)line, r->rec[i].len, d);
}

int decode_lines(struct decoder *dec, struct stimg_input *in,
		 const struct stimg_sink *k, uint64_t base,
		 unsigned long *lineno, unsigned long *nrec,
		 struct stimg_diag *d)
{
	struct stimg__hexrun r;
	size_t used, i, j, at;
	int ret = STIMG_OK;

	/* the kernels take lines that end in LF or CR LF only */
	if (in->eol == '\r')
		return STIMG_OK;
	do {
		memset(&r, 0, sizeof(r));
		r.data = dec->data;
		r.data_cap = sizeof(dec->data);
		r.rec = dec->rec;
		r.rec_cap = DECODE_RECS;
		used = dec->kernel(in->buf + in->pos, in->len - in->pos, &r);
		for (i = 0, at = 0; i < r.nrec && !ret; i = j) {
			size_t run = r.rec[i].len;

			for (j = i + 1; j < r.nrec &&
			     r.rec[j].addr ==
			     (uint64_t)r.rec[j - 1].addr + r.rec[j - 1].len &&
			     r.rec[j - 1].len == run; j++)
				;
			ret = put_run(&r, i, j, dec->data + at, k, base,
				      *lineno + 1 + i, d);
			while (i < j)
				at += r.rec[i++].len;
		}
		in->pos += used;
		*lineno += r.nrec;
		*nrec += r.nrec;
		if (used && !in->eol)
			in->eol = '\n';
	} while (!ret && used);
	return ret;
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
