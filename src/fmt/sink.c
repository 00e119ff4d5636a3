/*
 * Sinks of the readers' own: callbacks that keep nothing, and a tape,
 * which keeps what a reader puts (data and the entry point), in order, to
 * be played into another sink later. A file's second half, read in a
 * thread of its own while the first half goes to the real sink, is held on
 * one until the first half is done (ihex.c).
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "fmt/fmt.h"

int sink_skip_drop(void *ctx, uint64_t start, uint64_t end, const char *why)
{
	(void)ctx;
	(void)start;
	(void)end;
	(void)why;
	return STIMG_OK;
}

int sink_skip_place(void *ctx, const struct stimg_place *p)
{
	(void)ctx;
	(void)p;
	return STIMG_OK;
}

int sink_skip_elf(void *ctx, const struct stimg_elf_info *e)
{
	(void)ctx;
	(void)e;
	return STIMG_OK;
}

int sink_skip_attr(void *ctx, const char *key, const char *value)
{
	(void)ctx;
	(void)key;
	(void)value;
	return STIMG_OK;
}

struct tape_put {
	uint64_t addr;
	size_t off, len;	/* the bytes, at data + off */
	uint32_t line, step;
};

struct tape {
	struct tape_put *put;
	size_t nput, put_cap;
	uint8_t *data;		/* cap bytes reserved, len of them used */
	size_t len, cap;
	bool has_entry;
	uint32_t entry;
	size_t entry_at;	/* puts before the entry point */
	atomic_bool stop;	/* set by another thread: take no more */
};

/*
 * Puts of isolated records would make the tape many times larger than
 * their data (2,000,000 one-byte records: 32 MB): a tape holds this many
 * at most, and the reader of the second half stops there.
 */
#define TAPE_PUTS ((4u << 20) / sizeof(struct tape_put))

/* Room for n more bytes of data and one more put; false: none. */
static bool room(struct tape *t, size_t n)
{
	if (n > t->cap - t->len || t->nput == TAPE_PUTS)
		return false;
	if (t->nput == t->put_cap) {
		size_t cap = t->put_cap ? 2 * t->put_cap : 256;
		struct tape_put *p = realloc(t->put, cap * sizeof(*p));

		if (!p)
			return false;
		t->put = p;
		t->put_cap = cap;
	}
	return true;
}

/*
 * A put that continues the last one (the next address, the records of the
 * same step on the next lines) joins it: one put per run, as the reader's.
 */
static int tape_data(void *ctx, uint64_t addr, const uint8_t *p, size_t len,
		     uint32_t line, uint32_t step, struct stimg_diag *d)
{
	struct tape *t = ctx;
	struct tape_put *last;

	(void)d;
	if (atomic_load_explicit(&t->stop, memory_order_relaxed))
		return STIMG_BACK;
	if (!room(t, len))
		return STIMG_BACK;
	/* (after room: it may move the puts) */
	last = t->nput ? &t->put[t->nput - 1] : NULL;
	memcpy(t->data + t->len, p, len);
	if (last && (!t->has_entry || t->nput > t->entry_at) && step &&
	    last->step == step &&
	    addr == last->addr + last->len && last->len % step == 0 &&
	    line == last->line + last->len / step) {
		last->len += len;
	} else {
		t->put[t->nput++] = (struct tape_put){ addr, t->len, len, line,
						       step };
	}
	t->len += len;
	return STIMG_OK;
}

/* The reader gives at most one (a second is a warning: see ihex.c). */
static int tape_entry(void *ctx, uint32_t entry)
{
	struct tape *t = ctx;

	if (t->has_entry)
		return STIMG_BACK;
	t->has_entry = true;
	t->entry = entry;
	t->entry_at = t->nput;
	return STIMG_OK;
}

struct tape *tape_new(struct stimg_sink *k, size_t max)
{
	struct tape *t = calloc(1, sizeof(*t));

	if (t) {
		atomic_init(&t->stop, false);
		t->cap = max ? max : 1;
		t->data = os_reserve(t->cap);
	}
	if (t && !t->data) {
		free(t);
		t = NULL;
	}

	*k = (struct stimg_sink){ tape_data, tape_entry, sink_skip_drop,
				  sink_skip_place, sink_skip_elf, sink_skip_attr,
				  NULL, t };
	return t;
}

void tape_stop(struct tape *t)
{
	atomic_store_explicit(&t->stop, true, memory_order_relaxed);
}

bool tape_entry_point(const struct tape *t)
{
	return t->has_entry;
}

int tape_play(const struct tape *t, const struct stimg_sink *k,
	      unsigned long lines, struct stimg_diag *d)
{
	size_t i;
	int ret = STIMG_OK;

	for (i = 0; i <= t->nput && !ret; i++) {
		if (t->has_entry && i == t->entry_at)
			ret = k->entry(k->ctx, t->entry);
		if (!ret && i < t->nput)
			ret = k->data(k->ctx, t->put[i].addr,
				      t->data + t->put[i].off, t->put[i].len,
				      (uint32_t)(t->put[i].line + lines),
				      t->put[i].step, d);
	}
	return ret;
}

void tape_free(struct tape *t)
{
	if (t) {
		free(t->put);
		os_unmap(t->data, t->cap);
		free(t);
	}
}
