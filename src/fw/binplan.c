/* stimg bin's planning and writing: raw bytes from an explicit address. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt/fmt.h"
#include "stimg/bin.h"
#include "stimg/transform.h"

void stimg_bin_opts_init(struct stimg_bin_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->fill = 0xFF;
	o->max_size = 64u << 20;
}

void stimg_bin_plan_release(struct stimg_bin_plan *plan)
{
	size_t i;

	for (i = 0; i < plan->n; i++)
		free(plan->v[i].name);
	free(plan->v);
	plan->v = NULL;
	plan->n = 0;
}

/* Where a region at addr goes under --split: app.bin -> app-0x08000000.bin. */
static char *split_name(const char *output, uint64_t addr)
{
	const char *slash = strrchr(output, '/');
	const char *dot = strrchr(output, '.');
	char *name;

	if (!dot || (slash && dot < slash) || dot == (slash ? slash + 1 : output))
		dot = output + strlen(output);
	if (asprintf(&name, "%.*s-0x%08" PRIX64 "%s", (int)(dot - output),
		     output, addr, dot) < 0)
		return NULL;
	return name;
}

static int add_file(struct stimg_bin_plan *plan, size_t *cap, char *name,
		    uint64_t base, uint64_t end)
{
	if (!name || array_grow(&plan->v, cap, plan->n + 1, sizeof(*plan->v), 4)) {
		free(name);
		return STIMG_ENOMEM;
	}
	plan->v[plan->n++] = (struct stimg_bin_file){ name, base, end };
	return STIMG_OK;
}

int stimg_bin_plan(const struct stimg_image *img, const char *output,
		   const struct stimg_bin_opts *o, struct stimg_bin_plan *plan,
		   struct stimg_diag *d)
{
	struct stimg_range span = stimg_image_span(img), r;
	uint64_t base, end, at = 0;
	size_t cap = 0;
	int ret = STIMG_OK;

	if (o->split && (o->has_base || o->has_end || o->has_size))
		return diag_set(d, NULL, 0, STIMG_EINVAL, "--split writes each "
				"region whole; choose what goes in with --crop");
	if (o->split && !strcmp(output, "-"))
		return diag_set(d, NULL, 0, STIMG_EINVAL,
				"--split needs a file name, not -");
	if (!stimg_image_bytes(img) &&
	    !(o->has_base && (o->has_end || o->has_size)))
		return diag_set(d, NULL, 0, STIMG_ECHECK,
				"the inputs hold no data: nothing to write");
	if (o->split) {
		while (!ret && stimg_image_next_region(img, &at, &r)) {
			ret = bin_check_size(img, r.start, r.end, o->max_size, d);
			if (!ret)
				ret = add_file(plan, &cap,
					       split_name(output, r.start),
					       r.start, r.end);
		}
		goto out;
	}
	base = o->has_base ? o->base : span.start;
	end = o->has_size ? base + o->size : o->has_end ? o->end : span.end;
	if (end > STIMG_ADDR_END) {
		ret = diag_set(d, NULL, 0, STIMG_ERANGE, "--size %" PRIu64
			       " from 0x%08" PRIX64 " runs past 4 GiB", o->size,
			       base);
		goto out;
	}
	if (end <= base) {
		ret = diag_set(d, NULL, 0, STIMG_ERANGE, "--end 0x%08" PRIX64
			       " is not above the base 0x%08" PRIX64, end, base);
		goto out;
	}
	ret = bin_check_size(img, base, end, o->max_size, d);
	if (!ret)
		ret = add_file(plan, &cap, strdup(output), base, end);
out:
	if (ret)
		stimg_bin_plan_release(plan);
	return ret;
}

int stimg_bin_write(const struct stimg_image *img,
		    const struct stimg_bin_plan *plan,
		    const struct stimg_bin_opts *o,
		    void (*done)(void *ctx, const struct stimg_bin_file *f),
		    void *ctx, struct stimg_diag *d)
{
	struct stimg_write_opts w;
	struct bin_opts *b = (struct bin_opts *)w.opts.bytes;
	size_t i;
	int ret = STIMG_OK;

	stimg_write_opts_init(&w, &stimg__fmt_bin);
	b->fill = o->fill;
	b->max_size = 0;	/* checked by the plan */
	b->has_base = b->has_end = true;
	for (i = 0; i < plan->n && !ret; i++) {
		b->base = plan->v[i].base;
		b->end = plan->v[i].end;
		ret = stimg_write(img, plan->v[i].name, &w, d);
		if (!ret && done)
			done(ctx, &plan->v[i]);
	}
	return ret;
}

int stimg_bin_stream(char *const *specs, size_t n, const char *format,
		     enum stimg_overlap overlap, const struct stimg_transform *t,
		     const char *output, const struct stimg_bin_opts *o,
		     struct stimg_bin_file *f, struct stimg_diag *d)
{
	struct stimg_stream_result r;
	struct stimg_write_opts w;
	struct bin_opts *b = (struct bin_opts *)w.opts.bytes;
	int ret;

	/* a size without a base needs the lowest address first */
	if (o->split || (o->has_size && !o->has_base) || !strcmp(output, "-"))
		return STIMG_BACK;
	stimg_write_opts_init(&w, &stimg__fmt_bin);
	b->fill = o->fill;
	b->max_size = o->max_size;
	b->base = o->base;
	b->has_base = o->has_base;
	b->end = o->has_size ? o->base + o->size : o->end;
	b->has_end = o->has_end || o->has_size;
	if (b->has_end && (b->end > STIMG_ADDR_END ||
			   (b->has_base && b->end <= b->base)))
		return STIMG_BACK;	/* the plan says what is wrong */
	ret = stimg_convert_stream(specs, n, format, overlap, t, output, &w, &r,
				   d);
	if (ret)
		return ret;
	f->name = NULL;
	f->base = b->has_base ? b->base : r.start;
	f->end = b->has_end ? b->end : r.end;
	return STIMG_OK;
}
