/*
 * Conversion without an image: when the inputs' records come in address
 * order and nothing needs the whole image, each record goes straight to
 * the output format's stream writer as the reader yields it. At the first
 * record that goes backwards or meets another, or anything else the image
 * would say more about, the attempt is thrown away (nothing of it is
 * left, not even a warning) and the caller converts through the image.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "fw/fw.h"
#include "stimg/crc.h"
#include "stimg/transform.h"

/* Warnings and notes held until the conversion is known to stand. */
#define HELD_MAX 16

struct stream {
	const struct stimg_stream_ops *ops;
	void *state;
	const struct stimg_transform *t;
	struct entry_pick pick;
	const char *spec;		/* the input being read */
	bool input_entry;		/* it gave its entry point */
	struct stimg_stream_result *r;
	struct stimg_diag *d;		/* the caller's */
	struct stimg_diag held[HELD_MAX];
	size_t nheld;
	bool overflow;			/* more than HELD_MAX */
};

static void hold(void *ctx, const struct stimg_diag *w)
{
	struct stream *s = ctx;

	if (s->nheld < HELD_MAX)
		s->held[s->nheld++] = *w;
	else
		s->overflow = true;
}

static int stream_data(void *ctx, uint64_t addr, const uint8_t *p, size_t len,
		       uint32_t line, uint32_t step, struct stimg_diag *d)
{
	struct stream *s = ctx;
	struct stimg_stream_result *r = s->r;

	(void)line;
	(void)step;
	if (s->overflow)
		return STIMG_BACK;
	if (!len)
		return STIMG_OK;
	if (addr >= STIMG_ADDR_END || len > STIMG_ADDR_END - addr)
		return STIMG_BACK;	/* the image says where */
	if (!r->bytes || addr != r->end)
		r->regions++;
	if (!r->bytes)
		r->start = addr;
	r->end = addr + len;
	r->bytes += len;
	return s->ops->data(s->state, addr, p, len, d);
}

static int stream_entry(void *ctx, uint32_t entry)
{
	struct stream *s = ctx;

	if (!s->input_entry)
		entry_pick(&s->pick, s->t, s->spec, entry, s->d);
	s->input_entry = true;
	return s->overflow ? STIMG_BACK : STIMG_OK;
}

/* Nothing of t needs the whole image, and every input can be read again. */
static bool streamable(char *const *specs, size_t n,
		       const struct stimg_transform *t, const char *output,
		       const struct stimg_write_opts *w)
{
	size_t i;

	if (!w->fmt->stream || t->has_crop || t->exclude.n || t->offset ||
	    t->fill || !stimg_output_replaces(output))
		return false;
	for (i = 0; i < n; i++)
		if (!stimg_input_rereadable(specs[i]))
			return false;
	return n > 0;
}

int stimg_convert_stream(char *const *specs, size_t n, const char *format,
			 enum stimg_overlap overlap,
			 const struct stimg_transform *t, const char *output,
			 const struct stimg_write_opts *w,
			 struct stimg_stream_result *r, struct stimg_diag *d)
{
	struct stream *s;
	struct stimg_sink k = { stream_data, stream_entry, sink_skip_drop,
				sink_skip_place, sink_skip_elf, sink_skip_attr,
				NULL, NULL };
	struct stimg_output out;
	struct stimg_diag dd;
	bool has_entry;
	uint32_t entry;
	size_t i;
	int ret;

	memset(r, 0, sizeof(*r));
	if (!streamable(specs, n, t, output, w))
		return STIMG_BACK;
	s = calloc(1, sizeof(*s));
	if (!s)
		return STIMG_ENOMEM;
	s->ops = w->fmt->stream;
	s->t = t;
	s->r = r;
	s->d = &dd;
	k.ctx = s;
	/* warnings wait: a conversion thrown away said nothing */
	memset(&dd, 0, sizeof(dd));
	dd.warn = hold;
	dd.ctx = s;
	ret = stimg_output_open(&out, output, d);
	if (ret)
		goto out;
	s->state = s->ops->open(out.f, w->opts.bytes);
	if (!s->state) {
		stimg_output_abort(&out);
		ret = STIMG_ENOMEM;
		goto out;
	}
	for (i = 0; i < n && !ret; i++) {
		s->spec = specs[i];
		s->input_entry = false;
		ret = stimg_read_sink(specs[i], format, overlap, &k, NULL, NULL,
				      &dd);
	}
	/* the image says more about an error, and what an empty input is */
	if (ret || s->overflow || !r->bytes)
		ret = STIMG_BACK;
	has_entry = entry_final(&s->pick, t, &entry);
	if (s->ops->close(s->state, has_entry, entry, ret != STIMG_OK, d))
		ret = diag_set(d, output, 0, STIMG_EIO, "cannot write: %s",
			       strerror(errno));
	if (ret) {
		stimg_output_abort(&out);
		goto out;
	}
	ret = stimg_output_commit(&out, d);
	for (i = 0; !ret && d && d->warn && i < s->nheld; i++)
		d->warn(d->ctx, &s->held[i]);
out:
	free(s);
	return ret;
}

/* A CRC fed the records as they come, holes as fill. */
struct crc_stream {
	struct stimg_crc *c;
	uint8_t fill;
	bool bounded;		/* within [lo, hi) only */
	uint64_t lo, hi;
	bool started;
	uint64_t first;		/* the first record's address */
	uint64_t at;		/* the next address the CRC reads */
	uint64_t end;		/* one past the highest record */
	uint64_t data;		/* bytes of data it read */
	bool warned;
};

/* fill bytes from c->at up to to */
static void crc_fill(struct crc_stream *s, uint64_t to)
{
	uint8_t b[4096];

	if (s->at < to)
		memset(b, s->fill, sizeof(b));
	while (s->at < to) {
		size_t n = to - s->at < sizeof(b) ? (size_t)(to - s->at)
						   : sizeof(b);

		stimg_crc_update(s->c, b, n);
		s->at += n;
	}
}

static int crc_data(void *ctx, uint64_t addr, const uint8_t *p, size_t len,
		    uint32_t line, uint32_t step, struct stimg_diag *d)
{
	struct crc_stream *s = ctx;
	uint64_t lo = addr, hi = addr + len;

	(void)line;
	(void)step;
	(void)d;
	if (s->warned || (s->started && addr < s->end) ||
	    addr >= STIMG_ADDR_END || len > STIMG_ADDR_END - addr)
		return STIMG_BACK;
	if (!s->started) {
		s->first = addr;
		s->at = s->bounded ? s->lo : addr;
	}
	s->started = true;
	s->end = hi;
	if (s->bounded) {
		lo = lo > s->lo ? lo : s->lo;
		hi = hi < s->hi ? hi : s->hi;
	}
	if (lo >= hi)
		return STIMG_OK;
	crc_fill(s, lo);
	stimg_crc_update(s->c, p + (lo - addr), (size_t)(hi - lo));
	s->at = hi;
	s->data += hi - lo;
	return STIMG_OK;
}

static int crc_entry(void *ctx, uint32_t entry)
{
	(void)ctx;
	(void)entry;
	return STIMG_OK;
}

static void crc_warned(void *ctx, const struct stimg_diag *w)
{
	struct crc_stream *s = ctx;

	(void)w;
	s->warned = true;
}

/*
 * One raw binary is read in two halves at once when it holds this much of
 * the range (below it a thread costs more than it saves), each through a
 * buffer of its own: reading the file, not the CRC, takes most of the time.
 */
#define SPLIT_MIN (8u << 20)
#define SPLIT_CHUNK (1u << 20)
#define NOT_SPLIT 1

/* Bytes [off, off + len) of an open file fed to c (a thread's work). */
struct part {
	struct stimg_crc *c;
	int fd;
	uint64_t off, len;
	int ret;
};

static void crc_part(void *arg)
{
	struct part *p = arg;
	uint8_t *buf = malloc(SPLIT_CHUNK);
	uint64_t at = p->off, end = p->off + p->len;

	p->ret = buf ? STIMG_OK : STIMG_ENOMEM;
	while (!p->ret && at < end) {
		long r = os_pread(p->fd, buf, end - at < SPLIT_CHUNK ?
				  (size_t)(end - at) : SPLIT_CHUNK, at);

		if (r <= 0) {
			/* shorter than it was, or unreadable: the image says */
			p->ret = STIMG_BACK;
			break;
		}
		stimg_crc_update(p->c, buf, (size_t)r);
		at += (uint64_t)r;
	}
	free(buf);
}

/*
 * stimg_crc_stream of one raw binary (PATH@ADDR, a regular file) with
 * SPLIT_MIN bytes or more in the range, on two processors or more: the
 * data in two halves, the second read in a thread of its own into a stream
 * of its own, which then joins the first (stimg_crc_combine), cut after a
 * whole number of words from the range's start (STM32). NOT_SPLIT (and
 * nothing fed) when it is not such a case.
 *
 *	r.start         lo            mid                 hi      r.end
 *	   |--fill--[===== this thread ====|==== the other ====]--fill--|
 *	          addr                                     addr + size
 */
static int crc_split(struct crc_stream *s, const char *spec,
		     const char *format, const struct stimg_range *range,
		     struct stimg_range *read, uint64_t *data)
{
	struct stimg_crc second;
	struct stimg_range r;
	struct part p[2];
	char *path = NULL;
	uint64_t addr, size = 0, lo, hi, mid;
	bool regular;
	int fd[2] = { -1, -1 }, ret = NOT_SPLIT;

	memset(&second, 0, sizeof(second));
	if ((format && stimg_format_by_name(format) != &stimg__fmt_bin) ||
	    os_cpus() < 2 || spec_split(spec, &path, &addr) != 1)
		goto out;
	fd[0] = os_open_input(path, &regular);
	if (fd[0] >= 0 && regular)
		size = os_bytes_left(fd[0]);
	/* past 4 GiB: the reader's error */
	if (size > STIMG_ADDR_END - addr)
		goto out;
	r.start = range ? range->start : addr;
	r.end = range ? range->end : addr + size;
	r = s->c->tail_error ? r : stimg_crc_extent(&s->c->model, &r);
	lo = r.start > addr ? r.start : addr;
	hi = r.end < addr + size ? r.end : addr + size;
	if (hi < lo + SPLIT_MIN)
		goto out;
	/* the other's part starts on a chunk of the file, after whole words */
	mid = lo + (hi - lo) / 2;
	mid -= (mid - addr) % SPLIT_CHUNK;
	mid -= (mid - r.start) % 4;
	ret = stimg_crc_init(&second, &s->c->model, s->c->engine);
	fd[1] = ret ? -1 : os_open_input(path, &regular);
	if (!ret && fd[1] < 0)
		ret = STIMG_BACK;
	if (ret)
		goto out;
	s->at = r.start;
	crc_fill(s, lo);
	p[0] = (struct part){ s->c, fd[0], lo - addr, mid - lo, STIMG_OK };
	p[1] = (struct part){ &second, fd[1], mid - addr, hi - mid, STIMG_OK };
	os_both(crc_part, &p[0], &p[1]);
	ret = p[0].ret ? p[0].ret : p[1].ret;
	if (!ret)
		ret = stimg_crc_combine(s->c, &second);
	if (ret)
		goto out;
	s->at = hi;
	crc_fill(s, r.end);
	*read = r;
	*data = hi - lo;
out:
	if (fd[0] >= 0)
		os_close_input(fd[0]);
	if (fd[1] >= 0)
		os_close_input(fd[1]);
	stimg_crc_release(&second);
	free(path);
	return ret;
}

int stimg_crc_stream(struct stimg_crc *c, char *const *specs, size_t n,
		     const char *format, const struct stimg_range *range,
		     uint8_t fill, struct stimg_range *read, uint64_t *data,
		     struct stimg_diag *d)
{
	struct crc_stream s;
	struct stimg_sink k = { crc_data, crc_entry, sink_skip_drop,
				sink_skip_place, sink_skip_elf, sink_skip_attr,
				NULL, &s };
	struct stimg_diag dd;
	struct stimg_range r;
	size_t i;
	int ret = STIMG_OK;

	(void)d;
	for (i = 0; i < n; i++)
		if (!stimg_input_rereadable(specs[i]))
			return STIMG_BACK;
	memset(&s, 0, sizeof(s));
	s.c = c;
	s.fill = fill;
	ret = n == 1 ? crc_split(&s, specs[0], format, range, read, data)
		     : NOT_SPLIT;
	if (ret != NOT_SPLIT)
		return ret;
	ret = STIMG_OK;
	if (range) {
		/* the STM32 unit reads on to the end of the last word */
		r = c->tail_error ? *range : stimg_crc_extent(&c->model, range);
		s.bounded = true;
		s.lo = r.start;
		s.hi = r.end;
	}
	/* a warning means the image has more to say: it reads again */
	memset(&dd, 0, sizeof(dd));
	dd.warn = crc_warned;
	dd.ctx = &s;
	for (i = 0; i < n && !ret; i++)
		ret = stimg_read_sink(specs[i], format, STIMG_OVERLAP_ERROR, &k,
				      NULL, NULL, &dd);
	if (ret || s.warned || !s.started)
		return STIMG_BACK;
	if (!range) {
		r.start = s.first;
		r.end = s.end;
		r = c->tail_error ? r : stimg_crc_extent(&c->model, &r);
	}
	crc_fill(&s, r.end);
	*read = r;
	*data = s.data;
	return STIMG_OK;
}
