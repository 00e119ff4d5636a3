/* stimg bin: raw bytes from an explicit address, and how to flash them. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

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

int cmd_bin(int argc, char **argv)
{
	return convert_main(argc, argv, MODE_BIN);
}

int bin_option(const struct opt_parser *p, int c, const char *arg,
	       struct convert_opts *o)
{
	uint64_t v = 0;
	int ret = EXIT_OK;

	switch (c) {
	case BIN_BASE:
		ret = opt_number("bin", "--base", arg, STIMG_ADDR_END - 1, &v);
		o->w.base = v;
		o->w.has_base = true;
		break;
	case BIN_END:
	case BIN_SIZE:
		if (o->has_size || o->w.has_end) {
			ret = usage_error("bin", "give --end or --size, once");
			break;
		}
		ret = opt_number("bin", c == BIN_END ? "--end" : "--size", arg,
				 STIMG_ADDR_END, &v);
		o->w.end = v;
		o->w.has_end = c == BIN_END;
		o->has_size = c == BIN_SIZE;
		break;
	case BIN_FILL:
		ret = opt_number("bin", "--fill", arg, 0xFF, &v);
		o->w.fill = (uint8_t)v;
		break;
	case BIN_MAX_SIZE:
		ret = opt_number("bin", "--max-size", arg, STIMG_ADDR_END, &v);
		o->w.max_size = v;
		break;
	case BIN_SPLIT:
		o->split = true;
		break;
	default:
		ret = opt_unhandled(p, c);
	}
	return ret;
}

int bin_check_options(struct convert_opts *o)
{
	if (o->split && (o->w.has_base || o->w.has_end || o->has_size))
		return usage_error("bin", "--split writes each region whole; "
				   "choose what goes in with --crop");
	if (o->split && !strcmp(o->co.output, "-"))
		return usage_error("bin", "--split needs a file name, not -");
	return EXIT_OK;
}

/* Where a region at addr goes under --split: app.bin -> app-0x08000000.bin. */
static char *split_name(const char *output, uint32_t addr)
{
	const char *slash = strrchr(output, '/');
	const char *dot = strrchr(output, '.');
	char *name;

	if (!dot || (slash && dot < slash) || dot == (slash ? slash + 1 : output))
		dot = output + strlen(output);
	if (asprintf(&name, "%.*s-0x%08" PRIX32 "%s", (int)(dot - output),
		     output, addr, dot) < 0)
		return NULL;
	return name;
}

/*
 * name as one shell word: itself when every character is safe, else in
 * single quotes (a quote inside as '\''), into buf.
 */
static const char *sh_quote(const char *name, char *buf, size_t n)
{
	size_t at = 0;

	if (name[0] && strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
				    "qrstuvwxyz0123456789_-+./:@%,=") ==
		       strlen(name)) {
		snprintf(buf, n, "%s", name);
		return buf;
	}
	buf[at++] = '\'';
	for (; *name && at + 5 < n; name++) {
		if (*name == '\'') {
			memcpy(buf + at, "'\\''", 4);
			at += 4;
		} else {
			buf[at++] = *name;
		}
	}
	buf[at++] = '\'';
	buf[at] = '\0';
	return buf;
}

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

/*
 * Writes every region to its own file, in address order and one file at
 * a time (SPEC 5: at most one output open), each committed before the
 * next is opened; an error stops there, the files before it written.
 */
static int write_split(const struct stimg_image *img,
		       const struct convert_opts *o, struct stimg_diag *d)
{
	const struct stimg_format *fmt = stimg_format_by_name("bin");
	struct stimg_write_opts w = o->w;
	struct stimg_output out;
	size_t i;
	int ret = STIMG_OK;

	for (i = 0; i < img->nseg && !ret; i++) {
		char *name = split_name(o->co.output, img->seg[i].addr);

		if (!name)
			return STIMG_ENOMEM;
		w.base = img->seg[i].addr;
		w.end = w.base + img->seg[i].size;
		w.has_base = w.has_end = true;
		ret = stimg_output_open(&out, name, d);
		if (!ret) {
			ret = fmt->write(img, out.f, &w, d);
			if (ret)
				stimg_output_abort(&out);
			else
				ret = stimg_output_commit(&out, d);
		}
		if (!ret)
			hint(name, w.base, w.end);
		free(name);
	}
	return ret;
}

int bin_write_outputs(const struct stimg_image *img,
		      const struct convert_opts *o, struct stimg_diag *d)
{
	struct stimg_range span = stimg_image_span(img);
	struct stimg_write_opts w = o->w;
	int ret;

	if (!img->nseg && !(w.has_base && (w.has_end || o->has_size))) {
		return diag_fail(d, STIMG_ECHECK,
				 "the inputs hold no data: nothing to write");
	}
	if (o->split)
		return write_split(img, o, d);
	if (!w.has_base)
		w.base = span.start;
	if (o->has_size)
		w.end = w.base + o->w.end;
	else if (!w.has_end)
		w.end = span.end;
	if (w.end > STIMG_ADDR_END) {
		return diag_fail(d, STIMG_ERANGE, "--size %" PRIu64 " from 0x%08"
				 PRIX64 " runs past 4 GiB", o->w.end, w.base);
	}
	if (w.end <= w.base) {
		return diag_fail(d, STIMG_ERANGE, "--end 0x%08" PRIX64 " is not "
				 "above the base 0x%08" PRIX64, w.end, w.base);
	}
	w.has_base = w.has_end = true;
	ret = stimg_write(img, o->co.output, stimg_format_by_name("bin"), &w, d);
	if (!ret)
		hint(o->co.output, w.base, w.end);
	return ret;
}
