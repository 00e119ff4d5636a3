/* stimg convert, and the engine stimg merge and stimg bin share with it. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

const struct opt inputs_note[] = {
	OPT_TEXT("INPUT: FILE (format from its content), FILE@ADDR (raw binary at ADDR),\n"
		 "       - (standard input), -@ADDR (raw binary from standard input)\n"),
	OPT_END,
};

const struct opt range_note[] = {
	OPT_TEXT("RANGE: START:END (END exclusive) or START+SIZE; numbers 0x..,\n"
		 "decimal, K, M: 0x08008000+64K\n"),
	OPT_END,
};

const struct opt transform_options[] = {
	{ 0, "crop", "RANGE", "keep only RANGE (repeatable: the union)", TR_CROP,
	  NULL },
	{ 0, "exclude", "RANGE", "drop RANGE (repeatable)", TR_EXCLUDE, NULL },
	{ 0, "offset", "[-]DELTA", "move everything by DELTA", TR_OFFSET, NULL },
	{ 0, "overlap", "error|first|last", "when inputs set one address "
	  "differently: refuse\n(default), keep the first or the last",
	  TR_OVERLAP, NULL },
	{ 0, "entry", "first|last|none|ADDR", "the entry point (default: the "
	  "first input's)", TR_ENTRY, NULL },
	OPT_END,
};

enum { CONVERT_FILL = OPT_OWN };

/* Everything after the usage lines: convert's and merge's are the same. */
static const struct opt convert_rows[] = {
	OPT_BLOCK(inputs_note),
	OPT_BLOCK(opt_output),
	OPT_BLOCK(opt_iformat),
	OPT_BLOCK(transform_options),
	{ 0, "fill", "BYTE[@RANGE]", "fill holes within RANGE (default: the span)",
	  CONVERT_FILL, NULL },
	OPT_BLOCK(format_rows),
	OPT_BLOCK(opt_verbosity),
	OPT_BLOCK(range_note),
	OPT_END,
};

const struct opt convert_options[] = {
	OPT_TEXT("usage: stimg convert INPUT... -o OUTPUT [options]\n"
		 "Reads the inputs into one image, transforms it and writes it.\n"),
	OPT_BLOCK(convert_rows),
	OPT_END,
};

const struct opt merge_options[] = {
	OPT_TEXT("usage: stimg merge INPUT... [-o OUTPUT] [options]\n"
		 "Merges the inputs into one image; writes Intel HEX to stdout unless\n"
		 "-o or -O say otherwise.\n"),
	OPT_BLOCK(convert_rows),
	OPT_END,
};

int transform_option(const struct opt_parser *p, int c, const char *arg,
		     struct stimg_transform *t, enum stimg_overlap *overlap)
{
	const char *cmd = p->cmd;
	struct stimg_range r;
	uint64_t v = 0;
	int ret = EXIT_OK;

	switch (c) {
	case TR_CROP:
	case TR_EXCLUDE:
		ret = opt_range(cmd, c == TR_CROP ? "--crop" : "--exclude", arg, &r);
		if (!ret && stimg_ranges_add(c == TR_CROP ? &t->crop : &t->exclude,
					     r.start, r.end))
			ret = EXIT_IO;
		t->has_crop |= c == TR_CROP;
		break;
	case TR_OFFSET:
		ret = opt_number(cmd, "--offset", arg + (arg[0] == '-'),
				 STIMG_ADDR_END, &v);
		t->offset = arg[0] == '-' ? -(int64_t)v : (int64_t)v;
		break;
	case TR_OVERLAP:
		if (!strcmp(arg, "error"))
			*overlap = STIMG_OVERLAP_ERROR;
		else if (!strcmp(arg, "first"))
			*overlap = STIMG_OVERLAP_FIRST;
		else if (!strcmp(arg, "last"))
			*overlap = STIMG_OVERLAP_LAST;
		else
			ret = usage_error(cmd, "--overlap: '%s' is not error, "
					  "first or last", arg);
		break;
	case TR_ENTRY:
		if (!strcmp(arg, "first")) {
			t->entry = STIMG_ENTRY_FIRST;
		} else if (!strcmp(arg, "last")) {
			t->entry = STIMG_ENTRY_LAST;
		} else if (!strcmp(arg, "none")) {
			t->entry = STIMG_ENTRY_NONE;
		} else {
			ret = opt_number(cmd, "--entry", arg, STIMG_ADDR_END - 1, &v);
			t->entry = STIMG_ENTRY_ADDR;
			t->entry_addr = (uint32_t)v;
		}
		break;
	default:
		ret = opt_unhandled(p, c);
	}
	return ret;
}

/* What convert's and merge's options say. */
struct convert_opts {
	struct common_opts co;
	enum stimg_overlap overlap;
	struct stimg_transform t;
	/* the output format's own options given (format_rows[k]), the last
	   value of each */
	bool fmt_given[OPT_FORMAT_MAX];
	const char *fmt_value[OPT_FORMAT_MAX];
};

/* --fill BYTE[@RANGE]: the transform that fills the image's holes. */
static int fill_option(const char *cmd, char *arg, struct stimg_transform *t)
{
	char *at = strchr(arg, '@');
	uint64_t v = 0;
	int ret = EXIT_OK;

	if (at) {
		*at = '\0';
		ret = opt_range(cmd, "--fill", at + 1, &t->fill_range);
		t->has_fill_range = true;
	}
	if (!ret)
		ret = opt_number(cmd, "--fill", arg, 0xFF, &v);
	t->fill = true;
	t->fill_byte = (uint8_t)v;
	return ret;
}

/*
 * The output's format and its options: each format option given must be
 * one of that format's (stimg_write_opts_set says which formats have it).
 */
static int output_opts(const char *cmd, const struct convert_opts *o,
		       const struct stimg_format *fallback,
		       struct stimg_write_opts *w)
{
	const struct stimg_format *fmt;
	struct stimg_diag d;
	size_t k;
	int ret;

	ret = opt_output_format(cmd, o->co.oformat, o->co.output, fallback, &fmt);
	if (ret)
		return ret;
	stimg_write_opts_init(w, fmt);
	memset(&d, 0, sizeof(d));
	for (k = 0; k < OPT_FORMAT_MAX; k++)
		if (o->fmt_given[k] &&
		    stimg_write_opts_set(w, format_rows[k].lng, o->fmt_value[k],
					 &d))
			return usage_error(cmd, "%s", d.msg);
	return EXIT_OK;
}

int convert_main(int argc, char **argv, bool merge)
{
	const char *cmd = merge ? "merge" : "convert";
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_stream_result sr;
	struct stimg_write_opts w;
	struct convert_opts o;
	struct opt_parser p;
	struct stimg_diag d;
	char *arg;
	int c, ret = EXIT_OK, err;

	memset(&o, 0, sizeof(o));
	stimg_transform_init(&o.t);
	diag_init(&d);
	opt_init(&p, cmd, merge ? merge_options : convert_options, argc, argv);
	while ((c = opt_next(&p, &arg)) > 0) {
		if (common_option(c, arg, &o.co))
			continue;
		if (c == CONVERT_FILL) {
			ret = fill_option(cmd, arg, &o.t);
		} else if (c >= OPT_FORMAT && c < OPT_FORMAT + OPT_FORMAT_MAX) {
			o.fmt_given[c - OPT_FORMAT] = true;
			o.fmt_value[c - OPT_FORMAT] = arg;
		} else {
			ret = transform_option(&p, c, arg, &o.t, &o.overlap);
		}
		if (ret)
			goto out;
	}
	if (c == OPT_STOP) {
		ret = p.status;
		goto out;
	}
	if (!p.nargs) {
		ret = usage_error(cmd, "no input files");
		goto out;
	}
	if (!o.co.output && !merge) {
		ret = usage_error(cmd, "no output: give -o OUTPUT");
		goto out;
	}
	ret = opt_input_format(cmd, o.co.iformat);
	if (!ret)
		ret = output_opts(cmd, &o, merge ? stimg_format_by_name("ihex")
						 : NULL, &w);
	if (ret)
		goto out;

	/* straight through when the records allow, else through an image */
	err = stimg_convert_stream(p.args, (size_t)p.nargs, o.co.iformat,
				   o.overlap, &o.t, o.co.output ? o.co.output
								: "-",
				   &w, &sr, &d);
	if (!err && verbosity > 0)
		note("%zu region(s), %" PRIu64 " bytes", sr.regions, sr.bytes);
	if (err == STIMG_BACK) {
		err = stimg_read_inputs(&img, p.args, (size_t)p.nargs,
					o.co.iformat, o.overlap, &o.t, &d);
		if (!err)
			err = stimg_transform_apply(&img, &o.t, &d);
		if (!err && verbosity > 0)
			note("%zu region(s), %" PRIu64 " bytes",
			     stimg_image_nregions(&img), stimg_image_bytes(&img));
		if (!err)
			err = stimg_write(&img, o.co.output ? o.co.output : "-",
					  &w, &d);
	}
	if (err)
		ret = report(err, &d);
	else if (w.fmt->hint && o.co.output && strcmp(o.co.output, "-"))
		format_hint(w.fmt, o.co.output);
out:
	stimg_image_release(&img);
	stimg_transform_release(&o.t);
	return ret;
}

int cmd_convert(int argc, char **argv)
{
	return convert_main(argc, argv, false);
}
