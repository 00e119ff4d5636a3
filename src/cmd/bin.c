/* stimg bin: raw bytes from an explicit address, and how to flash them. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "stimg/bin.h"

enum { BIN_BASE = OPT_OWN, BIN_END, BIN_SIZE, BIN_FILL, BIN_MAX_SIZE, BIN_SPLIT };

/*
 * --fill is the byte of the gaps in the file written, not convert's
 * transform: the image is not filled, so that --max-size refuses a file
 * before anything that large exists.
 */
const struct opt bin_options[] = {
	OPT_TEXT("usage: stimg bin INPUT... -o OUTPUT [--base ADDR] [--end ADDR | --size N]\n"
		 "                 [--fill BYTE] [--max-size N] [--split] [options]\n"
		 "Writes the raw bytes from BASE (default: the lowest address) to END\n"
		 "(default: one past the highest), gaps set to the fill byte, and says\n"
		 "on stderr how to flash the file at its address.\n"),
	OPT_BLOCK(inputs_note),
	{ 'o', "output", "OUTPUT", "the file, - for standard output", 'o', NULL },
	{ 'O', NULL, "bin", "the format: raw binary, the only one", 'O', NULL },
	OPT_BLOCK(opt_iformat),
	{ 0, "base", "ADDR", "the address of the file's first byte", BIN_BASE,
	  NULL },
	{ 0, "end", "ADDR", "one past the address of its last byte", BIN_END,
	  NULL },
	{ 0, "size", "N", "END = BASE + N", BIN_SIZE, NULL },
	{ 0, "fill", "BYTE", "the byte of the gaps (default 0xFF)", BIN_FILL,
	  NULL },
	{ 0, "max-size", "N", "refuse a file larger than N (default 64M)",
	  BIN_MAX_SIZE, NULL },
	{ 0, "split", NULL, "one file per contiguous region, named\n"
	  "OUTPUT with -0xADDR before the extension", BIN_SPLIT, NULL },
	OPT_BLOCK(transform_options),
	OPT_BLOCK(opt_verbosity),
	OPT_BLOCK(range_note),
	OPT_END,
};


/*
 * The range written, and the commands that flash the file at its address,
 * its name quoted for the shell (and, inside OpenOCD's command, in braces
 * for Tcl when it holds a blank).
 */
static void hint(const char *name, uint64_t base, uint64_t end)
{
	char q[1200], tcl[600], cmd[700], qcmd[1500];

	if (verbosity < 0)
		return;
	if (!strcmp(name, "-")) {
		fprintf(stderr, "stimg: wrote 0x%08" PRIX64 "..0x%08" PRIX64
			" (%" PRIu64 " bytes) to standard output\n",
			base, end - 1, end - base);
		return;
	}
	sh_quote(name, q, sizeof(q));
	snprintf(tcl, sizeof(tcl), strpbrk(name, " \t") ? "{%s}" : "%s", name);
	snprintf(cmd, sizeof(cmd), "program %s 0x%08" PRIX64 " verify reset "
		 "exit", tcl, base);
	/* as before for a plain name: "program app.bin ..." */
	if (!strpbrk(cmd, "\"$`\\!'"))
		snprintf(qcmd, sizeof(qcmd), "\"%s\"", cmd);
	else
		sh_quote(cmd, qcmd, sizeof(qcmd));
	fprintf(stderr,
		"stimg: wrote %s: 0x%08" PRIX64 "..0x%08" PRIX64 " (%" PRIu64
		" bytes); to flash it at 0x%08" PRIX64 ":\n"
		"  st-flash write %s 0x%08" PRIX64 "\n"
		"  openocd -f interface/stlink.cfg -f target/<chip>.cfg -c %s\n"
		"  STM32_Programmer_CLI -c port=SWD -w %s 0x%08" PRIX64 " -v\n"
		"  dfu-util -a 0 -s 0x%08" PRIX64 ":leave -D %s\n",
		q, base, end - 1, end - base, base, q, base, qcmd, q, base,
		base, q);
}

static void hint_file(void *ctx, const struct stimg_bin_file *f)
{
	(void)ctx;
	hint(f->name, f->base, f->end);
}

/* bin's own options; EXIT_OK or EXIT_USAGE. */
static int bin_option(const struct opt_parser *p, int c, const char *arg,
		      struct stimg_bin_opts *o)
{
	uint64_t v = 0;
	int ret = EXIT_OK;

	switch (c) {
	case BIN_BASE:
		ret = opt_number("bin", "--base", arg, STIMG_ADDR_END - 1, &v);
		o->base = v;
		o->has_base = true;
		break;
	case BIN_END:
	case BIN_SIZE:
		if (o->has_size || o->has_end)
			return usage_error("bin", "give --end or --size, once");
		ret = opt_number("bin", c == BIN_END ? "--end" : "--size", arg,
				 STIMG_ADDR_END, &v);
		if (c == BIN_END)
			o->end = v;
		else
			o->size = v;
		o->has_end = c == BIN_END;
		o->has_size = c == BIN_SIZE;
		break;
	case BIN_FILL:
		ret = opt_number("bin", "--fill", arg, 0xFF, &v);
		o->fill = (uint8_t)v;
		break;
	case BIN_MAX_SIZE:
		ret = opt_number("bin", "--max-size", arg, STIMG_ADDR_END, &v);
		o->max_size = v;
		break;
	case BIN_SPLIT:
		o->split = true;
		break;
	default:
		ret = opt_unhandled(p, c);
	}
	return ret;
}

int cmd_bin(int argc, char **argv)
{
	struct common_opts co = { NULL, NULL, NULL };
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_bin_plan plan = STIMG_BIN_PLAN_INIT;
	struct stimg_bin_file file;
	struct stimg_transform t;
	struct stimg_bin_opts o;
	enum stimg_overlap overlap = STIMG_OVERLAP_ERROR;
	struct opt_parser p;
	struct stimg_diag d;
	char *arg;
	int c, ret = EXIT_OK, err;

	stimg_transform_init(&t);
	stimg_bin_opts_init(&o);
	diag_init(&d);
	opt_init(&p, "bin", bin_options, argc, argv);
	while ((c = opt_next(&p, &arg)) > 0) {
		if (common_option(c, arg, &co))
			continue;
		ret = c >= OPT_OWN ? bin_option(&p, c, arg, &o)
				   : transform_option(&p, c, arg, &t, &overlap);
		if (ret)
			goto out;
	}
	if (c == OPT_STOP) {
		ret = p.status;
		goto out;
	}
	if (!p.nargs)
		ret = usage_error("bin", "no input files");
	else if (!co.output)
		ret = usage_error("bin", "no output: give -o OUTPUT");
	else if (co.oformat && strcmp(co.oformat, "bin"))
		ret = usage_error("bin", "-O: stimg bin writes raw binary only");
	else if (o.split && (o.has_base || o.has_end || o.has_size))
		ret = usage_error("bin", "--split writes each region whole; "
				  "choose what goes in with --crop");
	else if (o.split && !strcmp(co.output, "-"))
		ret = usage_error("bin", "--split needs a file name, not -");
	if (!ret)
		ret = opt_input_format("bin", co.iformat);
	if (ret)
		goto out;

	/* straight through when the records allow, else through an image */
	err = stimg_bin_stream(p.args, (size_t)p.nargs, co.iformat, overlap,
			       &t, co.output, &o, &file, &d);
	if (!err) {
		file.name = (char *)co.output;
		hint_file(NULL, &file);
	}
	if (err == STIMG_BACK) {
		err = stimg_read_inputs(&img, p.args, (size_t)p.nargs,
					co.iformat, overlap, &t, &d);
		if (!err)
			err = stimg_transform_apply(&img, &t, &d);
		if (!err && verbosity > 0)
			note("%zu region(s), %" PRIu64 " bytes",
			     stimg_image_nregions(&img), stimg_image_bytes(&img));
		if (!err)
			err = stimg_bin_plan(&img, co.output, &o, &plan, &d);
		if (!err)
			err = stimg_bin_write(&img, &plan, &o, hint_file, NULL,
					      &d);
	}
	if (err)
		ret = report(err, &d);
out:
	stimg_bin_plan_release(&plan);
	stimg_image_release(&img);
	stimg_transform_release(&t);
	return ret;
}
