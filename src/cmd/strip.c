/* stimg strip: drop what must never be flashed, and say what went. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"

enum { STRIP_ORIGIN = OPT_OWN, STRIP_END };

const struct opt strip_options[] = {
	OPT_TEXT("usage: stimg strip INPUT [--origin ADDR] [--end ADDR] -o OUTPUT\n"
		 "Drops every byte below ORIGIN and at or above END and writes the rest.\n"
		 "For ELF input ORIGIN defaults to the lowest load address of a section\n"
		 "that loads (the ELF and program headers never enter the image); for\n"
		 "other inputs nothing is dropped below unless --origin says so.\n"
		 "Each dropped range is a note on stderr; dropped bytes other than 0x00\n"
		 "and 0xFF are a warning.\n"),
	OPT_BLOCK(opt_output),
	OPT_BLOCK(opt_iformat),
	{ 0, "origin", "ADDR", "drop everything below ADDR", STRIP_ORIGIN, NULL },
	{ 0, "end", "ADDR", "drop everything at or above ADDR", STRIP_END, NULL },
	OPT_BLOCK(opt_verbosity),
	OPT_END,
};

int cmd_strip(int argc, char **argv)
{
	struct common_opts co = { NULL, NULL, NULL };
	const struct stimg_format *fmt = NULL;
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_write_opts w;
	struct stimg_diag d;
	uint64_t origin = 0, end = STIMG_ADDR_END;
	bool has_origin = false;
	struct opt_parser p;
	char size[32], *arg;
	int c, ret = EXIT_OK, err;
	size_t i;

	diag_init(&d);
	opt_init(&p, "strip", strip_options, argc, argv);
	while ((c = opt_next(&p, &arg)) > 0) {
		if (common_option(c, arg, &co))
			continue;
		switch (c) {
		case STRIP_ORIGIN:
			ret = opt_number("strip", "--origin", arg,
					 STIMG_ADDR_END - 1, &origin);
			has_origin = true;
			break;
		case STRIP_END:
			ret = opt_number("strip", "--end", arg,
					 STIMG_ADDR_END, &end);
			break;
		default:
			ret = opt_unhandled(&p, c);
		}
		if (ret)
			return ret;
	}
	if (c == OPT_STOP)
		return p.status;
	if (!p.nargs)
		return usage_error("strip", "no input file");
	if (p.nargs > 1)
		return usage_error("strip", "one input file, not %d", p.nargs);
	if (!co.output)
		return usage_error("strip", "no output: give -o OUTPUT");
	if (has_origin && origin >= end)
		return usage_error("strip", "--origin 0x%08" PRIX64 " is not below "
				   "--end 0x%08" PRIX64, origin, end);
	ret = opt_output_format("strip", co.oformat, co.output, NULL, &fmt);
	if (ret)
		return ret;

	err = stimg_read(&img, p.args[0], co.iformat, STIMG_OVERLAP_ERROR,
			 NULL, &d);
	if (!err && !has_origin && !stimg_image_lowest_section(&img, &origin))
		origin = 0;
	if (!err && origin >= end) {
		ret = usage_error("strip", "--end 0x%08" PRIX64 " is not above "
				  "the origin 0x%08" PRIX64 ", the lowest "
				  "section of '%s'", end, origin, p.args[0]);
		goto out;
	}
	if (!err)
		err = stimg_image_strip(&img, origin, end, &d);
	for (i = 0; !err && i < stimg_image_ndropped(&img); i++) {
		const struct stimg_dropped *g = stimg_image_dropped(&img, i);

		note("%s: dropped 0x%08" PRIX64 "..0x%08" PRIX64 " (%s): %s",
		     p.args[0], g->start, g->end - 1,
		     size_text(g->end - g->start, size, sizeof(size)), g->why);
	}
	if (!err && !stimg_image_ndropped(&img))
		note("%s: nothing dropped", p.args[0]);
	if (!err && verbosity > 0)
		note("%zu region(s), %" PRIu64 " bytes", stimg_image_nregions(&img),
		     stimg_image_bytes(&img));
	if (!err) {
		stimg_write_opts_init(&w, fmt);
		err = stimg_write(&img, co.output, &w, &d);
	}
	if (err)
		ret = report(err, &d);
out:
	stimg_image_release(&img);
	return ret;
}
