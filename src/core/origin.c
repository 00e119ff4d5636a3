/* Origin runs: which source and line set each byte. */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "core/origin.h"

/* Runs the image keeps before it drops them: at most 1/64 of the data
 * (a run is 28 bytes) above a floor. */
#define BUDGET(bytes) (16384 + (bytes) / 64)

void origins_release(struct origins *o)
{
	free(o->v);
	o->v = NULL;
	o->n = o->cap = 0;
}

static uint64_t run_end(const struct origin_run *r)
{
	return (uint64_t)r->addr + (uint64_t)(r->count - 1) * r->stride + r->last;
}

/* The record [addr, addr + len) on line extends run r. */
static bool extends(struct origin_run *r, uint32_t addr, uint32_t len,
		    uint32_t src, uint32_t line)
{
	uint64_t next;

	if (r->src != src || !line || !r->line || line != r->line + r->count ||
	    r->last != r->len)
		return false;
	if (r->count == 1) {
		/* the second record sets the stride: not below the first's end */
		if (addr < (uint64_t)r->addr + r->len || len > r->len)
			return false;
		r->stride = addr - r->addr;
	} else {
		next = (uint64_t)r->addr + (uint64_t)r->count * r->stride;
		if (addr != next || len > r->len)
			return false;
	}
	r->count++;
	r->last = len;
	return true;
}

int origins_note(struct origins *o, uint32_t addr, uint64_t len,
		 uint32_t step, uint32_t src, uint32_t line, bool first,
		 uint64_t bytes)
{
	struct origin_run *r = o->n ? &o->v[o->n - 1] : NULL, run;
	size_t at = first ? 0 : o->n;

	if (o->dropped || !len)
		return STIMG_OK;
	if (!line || !step || step >= len)
		step = (uint32_t)(len > UINT32_MAX ? UINT32_MAX : len);
	/* no lines: bytes that follow the last run's grow it */
	if (!first && r && !line && !r->line && r->src == src &&
	    run_end(r) == addr && (uint64_t)r->len + len <= UINT32_MAX) {
		r->len += (uint32_t)len;
		r->last = r->len;
		return STIMG_OK;
	}
	/* one record a call: the common case of a reader's put */
	if (!first && r && len <= step && extends(r, addr, (uint32_t)len, src, line))
		return STIMG_OK;
	if (o->n == o->cap && o->n >= BUDGET(bytes)) {
		origins_release(o);
		o->dropped = true;
		return STIMG_OK;
	}
	if (array_grow(&o->v, &o->cap, o->n + 1, sizeof(*o->v), 64))
		return STIMG_ENOMEM;
	memset(&run, 0, sizeof(run));
	run.addr = addr;
	run.src = src;
	run.line = line;
	run.len = step;
	run.count = line ? (uint32_t)((len + step - 1) / step) : 1;
	run.stride = run.count > 1 ? step : 0;
	run.last = (uint32_t)(len - (uint64_t)(run.count - 1) * step);
	if (!line)
		run.len = run.last = (uint32_t)len;
	memmove(&o->v[at + 1], &o->v[at], (o->n - at) * sizeof(*o->v));
	o->v[at] = run;
	o->n++;
	return STIMG_OK;
}

bool origins_find(const struct origins *o, uint32_t addr, uint32_t *src,
		  uint32_t *line, struct stimg_range *record)
{
	size_t k;

	for (k = o->n; k-- > 0;) {
		const struct origin_run *r = &o->v[k];
		uint64_t n = 0, start = r->addr;
		uint32_t len;

		if (addr < r->addr || addr >= run_end(r))
			continue;
		if (r->stride) {
			n = (addr - r->addr) / r->stride;
			if (n >= r->count)
				n = r->count - 1;
			start = r->addr + n * r->stride;
		}
		len = n == r->count - 1 ? r->last : r->len;
		if (addr >= start + len)
			continue;	/* between two records */
		*src = r->src;
		*line = r->line ? r->line + (uint32_t)n : 0;
		record->start = start;
		record->end = start + len;
		return true;
	}
	return false;
}

void origins_move(struct origins *o, int64_t delta)
{
	size_t i, n = 0;

	for (i = 0; i < o->n; i++) {
		struct origin_run r = o->v[i];
		int64_t a = (int64_t)r.addr + delta;
		int64_t e = (int64_t)run_end(&r) + delta;

		if (a < 0 || e > (int64_t)STIMG_ADDR_END)
			continue;
		r.addr = (uint32_t)a;
		o->v[n++] = r;
	}
	o->n = n;
}
