/* stimg strip: drop what must never be flashed, and say what went. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"

static const char strip_usage[] =
	"usage: stimg strip INPUT [--origin ADDR] [--end ADDR] -o OUTPUT\n"
	"Drops every byte below ORIGIN and at or above END and writes the rest.\n"
	"For ELF input ORIGIN defaults to the lowest load address of a section\n"
	"that loads (the ELF and program headers never enter the image); for\n"
	"other inputs nothing is dropped below unless --origin says so.\n"
	"Each dropped range is a note on stderr; dropped bytes other than 0x00\n"
	"and 0xFF are a warning.\n"
	"  -o OUTPUT       output file, - for stdout\n"
	"  -O FORMAT       ihex, srec or bin (default: from OUTPUT's extension)\n"
	"  -I FORMAT       read INPUT as FORMAT\n"
	"  --origin ADDR   drop everything below ADDR\n"
	"  --end ADDR      drop everything at or above ADDR\n"
	"  -q, -v          quieter, more verbose\n"
	"  -h, --help      this help\n";

enum { OPT_ORIGIN = 256, OPT_END };

static const struct option options[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "origin", required_argument, NULL, OPT_ORIGIN },
	{ "end", required_argument, NULL, OPT_END },
	{ "help", no_argument, NULL, 'h' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ NULL, 0, NULL, 0 },
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
	char size[32];
	int c, ret = EXIT_OK, err;
	size_t i;

	diag_init(&d);
	stimg_write_opts_init(&w);
	while ((c = getopt_long(argc, argv, "o:O:I:hqv", options, NULL)) != -1) {
		if (common_option(c, optarg, &co))
			continue;
		switch (c) {
		case OPT_ORIGIN:
			ret = opt_number("strip", "--origin", optarg,
					 STIMG_ADDR_END - 1, &origin);
			has_origin = true;
			break;
		case OPT_END:
			ret = opt_number("strip", "--end", optarg,
					 STIMG_ADDR_END, &end);
			break;
		case 'h':
			fputs(strip_usage, stdout);
			return EXIT_OK;
		default:
			return usage_error("strip", "bad option");
		}
		if (ret)
			return ret;
	}
	if (optind == argc)
		return usage_error("strip", "no input file");
	if (argc - optind > 1)
		return usage_error("strip", "one input file, not %d", argc - optind);
	if (!co.output)
		return usage_error("strip", "no output: give -o OUTPUT");
	if (has_origin && origin >= end)
		return usage_error("strip", "--origin 0x%08" PRIX64 " is not below "
				   "--end 0x%08" PRIX64, origin, end);
	ret = opt_output_format("strip", co.oformat, co.output, NULL, &fmt);
	if (ret)
		return ret;

	err = stimg_read(&img, argv[optind], co.iformat, STIMG_OVERLAP_ERROR,
			 NULL, &d);
	if (!err && !has_origin && !stimg_image_lowest_section(&img, &origin))
		origin = 0;
	if (!err && origin >= end) {
		ret = usage_error("strip", "--end 0x%08" PRIX64 " is not above "
				  "the origin 0x%08" PRIX64 ", the lowest "
				  "section of '%s'", end, origin, argv[optind]);
		goto out;
	}
	if (!err)
		err = stimg_image_strip(&img, origin, end, &d);
	for (i = 0; !err && i < img.ndrop; i++)
		note("%s: dropped 0x%08" PRIX64 "..0x%08" PRIX64 " (%s): %s",
		     argv[optind], img.drop[i].start, img.drop[i].end - 1,
		     size_text(img.drop[i].end - img.drop[i].start, size,
			       sizeof(size)), img.drop[i].why);
	if (!err && !img.ndrop)
		note("%s: nothing dropped", argv[optind]);
	if (!err && verbosity > 0)
		note("%zu region(s), %" PRIu64 " bytes", img.nseg,
		     stimg_image_bytes(&img));
	if (!err)
		err = stimg_write(&img, co.output, fmt, &w, &d);
	if (err)
		ret = report(err, &d);
out:
	stimg_image_release(&img);
	return ret;
}
