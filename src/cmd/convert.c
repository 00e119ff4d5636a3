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

const struct opt text_output_options[] = {
	{ 0, "record-size", "N", "HEX/S-record data bytes per record, 1-255 (16)",
	  OUT_RECORD_SIZE, NULL },
	{ 0, "srec-type", "1|2|3", "S1/S2/S3 records (default: smallest that "
	  "fits)", OUT_SREC_TYPE, NULL },
	{ 0, "crlf", NULL, "end text records with CR LF", OUT_CRLF, NULL },
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
	OPT_BLOCK(text_output_options),
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

/* Parses one option of the engine; returns EXIT_OK or EXIT_USAGE. */
static int parse_option(const struct opt_parser *p, int c, char *arg,
			struct convert_opts *o)
{
	const char *cmd = p->cmd;
	struct stimg_range r;
	uint64_t v = 0;
	char *at;
	int ret = EXIT_OK;

	switch (c) {
	case TR_CROP:
	case TR_EXCLUDE:
		ret = opt_range(cmd, c == TR_CROP ? "--crop" : "--exclude", arg, &r);
		if (!ret && stimg_ranges_add(c == TR_CROP ? &o->t.crop
							  : &o->t.exclude,
					     r.start, r.end))
			ret = EXIT_IO;
		o->t.has_crop |= c == TR_CROP;
		break;
	case TR_OFFSET:
		ret = opt_number(cmd, "--offset", arg + (arg[0] == '-'),
				 STIMG_ADDR_END, &v);
		o->t.offset = arg[0] == '-' ? -(int64_t)v : (int64_t)v;
		break;
	case CONVERT_FILL:
		/* also the byte of a binary output's gaps (the same holes) */
		at = strchr(arg, '@');
		if (at) {
			*at = '\0';
			ret = opt_range(cmd, "--fill", at + 1, &o->t.fill_range);
			o->t.has_fill_range = true;
		}
		if (!ret)
			ret = opt_number(cmd, "--fill", arg, 0xFF, &v);
		o->t.fill = true;
		o->t.fill_byte = o->w.fill = (uint8_t)v;
		break;
	case TR_OVERLAP:
		if (!strcmp(arg, "error"))
			o->overlap = STIMG_OVERLAP_ERROR;
		else if (!strcmp(arg, "first"))
			o->overlap = STIMG_OVERLAP_FIRST;
		else if (!strcmp(arg, "last"))
			o->overlap = STIMG_OVERLAP_LAST;
		else
			ret = usage_error(cmd, "--overlap: '%s' is not error, "
					  "first or last", arg);
		break;
	case TR_ENTRY:
		if (!strcmp(arg, "first")) {
			o->t.entry = STIMG_ENTRY_FIRST;
		} else if (!strcmp(arg, "last")) {
			o->t.entry = STIMG_ENTRY_LAST;
		} else if (!strcmp(arg, "none")) {
			o->t.entry = STIMG_ENTRY_NONE;
		} else {
			ret = opt_number(cmd, "--entry", arg, STIMG_ADDR_END - 1, &v);
			o->t.entry = STIMG_ENTRY_ADDR;
			o->t.entry_addr = (uint32_t)v;
		}
		break;
	case OUT_RECORD_SIZE:
		ret = opt_number(cmd, "--record-size", arg, 255, &v);
		if (!ret && !v)
			ret = usage_error(cmd, "--record-size: must be 1 to 255");
		o->w.record_size = (unsigned)v;
		break;
	case OUT_SREC_TYPE:
		if (strlen(arg) != 1 || arg[0] < '1' || arg[0] > '3')
			ret = usage_error(cmd, "--srec-type: '%s' is not 1, 2 or 3", arg);
		else
			o->w.srec_type = (unsigned)(arg[0] - '0');
		break;
	case OUT_CRLF:
		o->w.crlf = true;
		break;
	default:
		ret = opt_unhandled(p, c);
	}
	return ret;
}

int convert_main(int argc, char **argv, enum convert_mode mode)
{
	static const char *const names[] = { "convert", "merge", "bin" };
	static const struct opt *const tables[] = {
		convert_options, merge_options, bin_options,
	};
	const char *cmd = names[mode];
	bool merge = mode == MODE_MERGE;
	const struct stimg_format *fmt = NULL;
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct convert_opts o;
	struct opt_parser p;
	struct stimg_diag d;
	char *arg;
	int c, ret = EXIT_OK, err;

	memset(&o, 0, sizeof(o));
	stimg_transform_init(&o.t);
	stimg_write_opts_init(&o.w);
	diag_init(&d);
	opt_init(&p, cmd, tables[mode], argc, argv);
	while ((c = opt_next(&p, &arg)) > 0) {
		if (common_option(c, arg, &o.co))
			continue;
		/* bin's own options, and its --fill, are bin.c's */
		if (mode == MODE_BIN && c >= OPT_OWN)
			ret = bin_option(&p, c, arg, &o);
		else
			ret = parse_option(&p, c, arg, &o);
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
	if (ret)
		goto out;
	if (mode == MODE_BIN && o.co.oformat && strcmp(o.co.oformat, "bin")) {
		ret = usage_error(cmd, "-O: stimg bin writes raw binary only");
		goto out;
	}
	ret = opt_output_format(cmd, mode == MODE_BIN ? "bin" : o.co.oformat,
				o.co.output,
				merge ? stimg_format_by_name("ihex") : NULL, &fmt);
	if (!ret && mode == MODE_BIN)
		ret = bin_check_options(&o);
	if (ret)
		goto out;

	err = stimg_read_inputs(&img, p.args, (size_t)p.nargs,
				o.co.iformat, o.overlap, &o.t, &d);
	if (!err)
		err = stimg_transform_apply(&img, &o.t, &d);
	if (!err && verbosity > 0)
		note("%zu region(s), %" PRIu64 " bytes", img.nseg,
		     stimg_image_bytes(&img));
	if (!err && mode == MODE_BIN)
		err = bin_write_outputs(&img, &o, &d);
	else if (!err)
		err = stimg_write(&img, o.co.output ? o.co.output : "-", fmt, &o.w, &d);
	if (err)
		ret = report(err, &d);
out:
	stimg_image_release(&img);
	stimg_transform_release(&o.t);
	return ret;
}

int cmd_convert(int argc, char **argv)
{
	return convert_main(argc, argv, MODE_CONVERT);
}
