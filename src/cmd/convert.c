/* stimg convert, and the engine stimg merge and stimg bin share with it. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static const char convert_usage[] =
	"usage: stimg convert INPUT... -o OUTPUT [options]\n";
static const char merge_usage[] =
	"usage: stimg merge INPUT... [-o OUTPUT] [options]\n"
	"Merges the inputs into one image; writes Intel HEX to stdout unless\n"
	"-o or -O say otherwise.\n";
static const char bin_usage[] =
	"usage: stimg bin INPUT... -o OUTPUT [--base ADDR] [--end ADDR | --size N]\n"
	"                 [--fill BYTE] [--max-size N] [--split] [options]\n"
	"Writes the raw bytes from BASE (default: the lowest address) to END\n"
	"(default: one past the highest), gaps set to the fill byte (0xFF), and\n"
	"says on stderr how to flash the file at its address.\n"
	"  --base ADDR           the address of the file's first byte\n"
	"  --end ADDR            one past the address of its last byte\n"
	"  --size N              END = BASE + N\n"
	"  --max-size N          refuse a file larger than N (default 64M)\n"
	"  --split               one file per contiguous region, named\n"
	"                        OUTPUT with -0xADDR before the extension\n";
static const char options_usage[] =
	"\ninputs: FILE (format from its content), FILE@ADDR (raw binary at ADDR),\n"
	"        - (standard input)\n"
	"  -o OUTPUT             output file, - for stdout\n"
	"  -O FORMAT             output format: ihex, srec, bin (default: from\n"
	"                        OUTPUT's extension)\n"
	"  -I FORMAT             read every input as FORMAT\n"
	"  --crop RANGE          keep only RANGE (repeatable: the union)\n"
	"  --exclude RANGE       drop RANGE (repeatable)\n"
	"  --offset [-]DELTA     move everything by DELTA\n"
	"  --fill BYTE[@RANGE]   fill holes within RANGE (default: the span)\n"
	"  --overlap POLICY      error (default), first or last\n"
	"  --entry WHICH         first (default), last, none or an ADDR\n"
	"  --record-size N       HEX/S-record data bytes per record, 1-255 (16)\n"
	"  --srec-type 1|2|3     S1/S2/S3 records (default: smallest that fits)\n"
	"  --crlf                end text records with CR LF\n"
	"  -q, -v                quieter, more verbose\n"
	"  -h, --help            this help\n"
	"RANGE: START:END (END exclusive) or START+SIZE; numbers 0x.., decimal,\n"
	"K, M: 0x08008000+64K\n";

enum {
	OPT_CROP = 256, OPT_EXCLUDE, OPT_OFFSET, OPT_FILL, OPT_OVERLAP,
	OPT_ENTRY, OPT_RECORD_SIZE, OPT_SREC_TYPE, OPT_CRLF,
	OPT_BASE, OPT_END, OPT_SIZE, OPT_MAX_SIZE, OPT_SPLIT,
};

static const struct option options[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "help", no_argument, NULL, 'h' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "crop", required_argument, NULL, OPT_CROP },
	{ "exclude", required_argument, NULL, OPT_EXCLUDE },
	{ "offset", required_argument, NULL, OPT_OFFSET },
	{ "fill", required_argument, NULL, OPT_FILL },
	{ "overlap", required_argument, NULL, OPT_OVERLAP },
	{ "entry", required_argument, NULL, OPT_ENTRY },
	{ "record-size", required_argument, NULL, OPT_RECORD_SIZE },
	{ "srec-type", required_argument, NULL, OPT_SREC_TYPE },
	{ "crlf", no_argument, NULL, OPT_CRLF },
	/* stimg bin only */
	{ "base", required_argument, NULL, OPT_BASE },
	{ "end", required_argument, NULL, OPT_END },
	{ "size", required_argument, NULL, OPT_SIZE },
	{ "max-size", required_argument, NULL, OPT_MAX_SIZE },
	{ "split", no_argument, NULL, OPT_SPLIT },
	{ NULL, 0, NULL, 0 },
};

/* --base, --end, --size, --max-size, --split: stimg bin's own. */
static int parse_bin_option(int c, const char *arg, struct convert_opts *o)
{
	uint64_t v = 0;
	int ret = EXIT_OK;

	switch (c) {
	case OPT_BASE:
		ret = opt_number("bin", "--base", arg, STIMG_ADDR_END - 1, &v);
		o->w.base = v;
		o->w.has_base = true;
		break;
	case OPT_END:
	case OPT_SIZE:
		if (o->has_size || o->w.has_end)
			return usage_error("bin", "give --end or --size, once");
		ret = opt_number("bin", c == OPT_END ? "--end" : "--size", arg,
				 STIMG_ADDR_END, &v);
		o->w.end = v;
		o->w.has_end = c == OPT_END;
		o->has_size = c == OPT_SIZE;
		break;
	case OPT_MAX_SIZE:
		ret = opt_number("bin", "--max-size", arg, STIMG_ADDR_END, &v);
		o->w.max_size = v;
		break;
	default:
		o->split = true;
	}
	return ret;
}

/* Parses one option of the engine; returns EXIT_OK or EXIT_USAGE. */
static int parse_option(const char *cmd, int c, const char *arg,
			struct convert_opts *o)
{
	bool bin = !strcmp(cmd, "bin");
	struct stimg_range r;
	uint64_t v = 0;
	char *at;
	int ret = EXIT_OK;

	switch (c) {
	case OPT_CROP:
	case OPT_EXCLUDE:
		ret = opt_range(cmd, c == OPT_CROP ? "--crop" : "--exclude", arg, &r);
		if (!ret && stimg_ranges_add(c == OPT_CROP ? &o->t.crop
							   : &o->t.exclude,
					     r.start, r.end))
			ret = EXIT_IO;
		o->t.has_crop |= c == OPT_CROP;
		break;
	case OPT_OFFSET:
		ret = opt_number(cmd, "--offset", arg + (arg[0] == '-'),
				 STIMG_ADDR_END, &v);
		o->t.offset = arg[0] == '-' ? -(int64_t)v : (int64_t)v;
		break;
	case OPT_FILL:
		/* for stimg bin also the byte of the gaps (the same holes) */
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
	case OPT_OVERLAP:
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
	case OPT_ENTRY:
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
	case OPT_RECORD_SIZE:
		ret = opt_number(cmd, "--record-size", arg, 255, &v);
		if (!ret && !v)
			ret = usage_error(cmd, "--record-size: must be 1 to 255");
		o->w.record_size = (unsigned)v;
		break;
	case OPT_SREC_TYPE:
		if (strlen(arg) != 1 || arg[0] < '1' || arg[0] > '3')
			ret = usage_error(cmd, "--srec-type: '%s' is not 1, 2 or 3", arg);
		else
			o->w.srec_type = (unsigned)(arg[0] - '0');
		break;
	case OPT_CRLF:
		o->w.crlf = true;
		break;
	case OPT_BASE:
	case OPT_END:
	case OPT_SIZE:
	case OPT_MAX_SIZE:
	case OPT_SPLIT:
		if (!bin)
			return usage_error(cmd, "--base, --end, --size, --max-size "
					   "and --split belong to stimg bin");
		ret = parse_bin_option(c, arg, o);
		break;
	default:
		ret = usage_error(cmd, "unknown option");
	}
	return ret;
}

int convert_main(int argc, char **argv, enum convert_mode mode)
{
	static const char *const names[] = { "convert", "merge", "bin" };
	const char *cmd = names[mode];
	bool merge = mode == MODE_MERGE;
	const struct stimg_format *fmt = NULL;
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct convert_opts o;
	struct stimg_diag d;
	int c, ret = EXIT_OK, err;

	memset(&o, 0, sizeof(o));
	stimg_transform_init(&o.t);
	stimg_write_opts_init(&o.w);
	diag_init(&d);
	while ((c = getopt_long(argc, argv, "o:O:I:hqv", options, NULL)) != -1) {
		if (common_option(c, optarg, &o.co))
			continue;
		switch (c) {
		case 'h':
			printf("%s%s", mode == MODE_BIN ? bin_usage : merge ?
			       merge_usage : convert_usage, options_usage);
			goto out;
		case '?':
			ret = usage_error(cmd, "bad option");
			goto out;
		default:
			ret = parse_option(cmd, c, optarg, &o);
			if (ret)
				goto out;
		}
	}
	if (optind == argc) {
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

	err = stimg_read_inputs(&img, argv + optind, (size_t)(argc - optind),
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
