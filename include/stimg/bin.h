/*
 * stimg bin: the image as raw bytes from an explicit address, one file or
 * one per contiguous region, checked against a size limit before anything
 * is written, so that a sparse image never becomes gigabytes of padding.
 */
#ifndef STIMG_BIN_H
#define STIMG_BIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stimg/format.h"
#include "stimg/image.h"

struct stimg_bin_opts {
	uint64_t base;		/* the file's first address (has_base) */
	uint64_t end;		/* one past its last (has_end), or */
	uint64_t size;		/* end = base + size (has_size) */
	bool has_base, has_end, has_size;
	uint8_t fill;		/* the byte of the gaps: 0xFF */
	uint64_t max_size;	/* a larger file is refused; 0: no limit
				   (default 64 MiB) */
	bool split;		/* one file per region, each whole */
};

/* fill 0xFF, max_size 64 MiB, the image's span, one file. */
void stimg_bin_opts_init(struct stimg_bin_opts *o);

/* One file to write: [base, end) of the image, gaps as fill. */
struct stimg_bin_file {
	char *name;		/* owned */
	uint64_t base, end;
};

struct stimg_bin_plan {
	struct stimg_bin_file *v;
	size_t n;
};

#define STIMG_BIN_PLAN_INIT { NULL, 0 }

void stimg_bin_plan_release(struct stimg_bin_plan *plan);

/*
 * Plans what stimg_bin_write writes for output ("-": standard output,
 * not with split): one file [base, end), or with split one file per
 * region named output with -0xADDR before its extension
 * (app.bin -> app-0x08000000.bin). Nothing is read or written yet. Errors:
 * an empty image without base and end (STIMG_ECHECK), a range past 4 GiB
 * or empty (STIMG_ERANGE), a file larger than max_size (STIMG_ECHECK,
 * naming the regions and what to do), split with base, end or size
 * (STIMG_EINVAL).
 */
int stimg_bin_plan(const struct stimg_image *img, const char *output,
		   const struct stimg_bin_opts *o, struct stimg_bin_plan *plan,
		   struct stimg_diag *d);

/*
 * Writes the planned files in order, one at a time (each is committed, as
 * stimg_output_commit does, before the next is opened) and calls done
 * (may be NULL) after each. An error stops there: the files before it
 * stay written, the one being written is not left behind.
 */
int stimg_bin_write(const struct stimg_image *img,
		    const struct stimg_bin_plan *plan,
		    const struct stimg_bin_opts *o,
		    void (*done)(void *ctx, const struct stimg_bin_file *f),
		    void *ctx, struct stimg_diag *d);

struct stimg_transform;

/*
 * The whole of stimg bin for one file, without an image when the records
 * allow it (see stimg_convert_stream): reads the inputs and writes output
 * from o's base (or the lowest address) to its end (or the highest).
 * Returns STIMG_BACK, having written nothing, when it did not (split, a
 * size without a base, records out of order, anything the plan would
 * refuse...): then stimg_read_inputs, stimg_bin_plan and stimg_bin_write
 * do it. Else *f holds the range written (its name NULL).
 */
int stimg_bin_stream(char *const *specs, size_t n, const char *format,
		     enum stimg_overlap overlap, const struct stimg_transform *t,
		     const char *output, const struct stimg_bin_opts *o,
		     struct stimg_bin_file *f, struct stimg_diag *d);

#endif
