/* stimg info: what an image holds, as text or as one JSON object. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"

static const char info_usage[] =
	"usage: stimg info [--json] [-I FORMAT] FILE...\n"
	"Shows each file's format, entry point, regions and gaps, total bytes\n"
	"and the Cortex-M vector table at its lowest address.\n"
	"  --json       one JSON object: {\"files\": [...]}; addresses and sizes\n"
	"               as numbers, \"end\" one past the last byte\n"
	"  -I FORMAT    read the files as FORMAT\n"
	"  -h, --help   this help\n";

static const struct option options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ NULL, 0, NULL, 0 },
};

/* A JSON string: quotes, backslashes and control characters escaped. */
static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void json_ranges(const char *key, const struct stimg_range *v, size_t n)
{
	size_t i;

	printf(",\"%s\":[", key);
	for (i = 0; i < n; i++)
		printf("%s{\"start\":%" PRIu64 ",\"end\":%" PRIu64
		       ",\"size\":%" PRIu64 "}", i ? "," : "", v[i].start,
		       v[i].end, v[i].end - v[i].start);
	putchar(']');
}

static void text_ranges(const struct stimg_range *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		printf("    0x%08" PRIX64 "..0x%08" PRIX64 "  %10" PRIu64 " bytes\n",
		       v[i].start, v[i].end - 1, v[i].end - v[i].start);
}

static void print_json(const char *name, const struct stimg_format *fmt,
		       const struct stimg_image *img,
		       const struct stimg_ranges *regions,
		       const struct stimg_ranges *gaps)
{
	struct stimg_vectors v;

	stimg_image_vectors(img, &v);
	printf("{\"file\":");
	json_string(name);
	printf(",\"format\":\"%s\",\"entry\":", fmt->name);
	if (img->has_entry)
		printf("%" PRIu32, img->entry);
	else
		printf("null");
	printf(",\"bytes\":%" PRIu64, stimg_image_bytes(img));
	json_ranges("regions", regions->v, regions->n);
	json_ranges("gaps", gaps->v, gaps->n);
	printf(",\"vector_table\":");
	if (v.present)
		printf("{\"address\":%" PRIu32 ",\"initial_sp\":%" PRIu32
		       ",\"reset_handler\":%" PRIu32 ",\"sp_plausible\":%s"
		       ",\"reset_plausible\":%s}", v.addr, v.sp, v.reset,
		       v.sp_ok ? "true" : "false", v.reset_ok ? "true" : "false");
	else
		printf("null");
	putchar('}');
}

static void print_text(const char *name, const struct stimg_format *fmt,
		       const struct stimg_image *img,
		       const struct stimg_ranges *regions,
		       const struct stimg_ranges *gaps)
{
	struct stimg_vectors v;

	stimg_image_vectors(img, &v);
	printf("%s: %s\n", name, fmt->title);
	if (img->has_entry)
		printf("  entry point   0x%08" PRIX32 "\n", img->entry);
	else
		printf("  entry point   none\n");
	printf("  data          %" PRIu64 " bytes in %zu region(s)\n",
	       stimg_image_bytes(img), regions->n);
	text_ranges(regions->v, regions->n);
	if (gaps->n) {
		printf("  gaps          %zu\n", gaps->n);
		text_ranges(gaps->v, gaps->n);
	}
	if (v.present)
		printf("  vector table  at 0x%08" PRIX32 ": initial SP 0x%08" PRIX32
		       " (%s), reset handler 0x%08" PRIX32 " (%s)\n",
		       v.addr, v.sp, v.sp_ok ? "plausible" : "not in RAM or not aligned",
		       v.reset, v.reset_ok ? "plausible"
					   : "not a Thumb address inside the image");
	else
		printf("  vector table  none (fewer than 8 bytes at the lowest address)\n");
}

int cmd_info(int argc, char **argv)
{
	const char *iformat = NULL;
	bool json = false;
	int c, i, ret = EXIT_OK, err = STIMG_OK;
	struct stimg_diag d;

	diag_init(&d);
	while ((c = getopt_long(argc, argv, "I:hqv", options, NULL)) != -1) {
		switch (c) {
		case 'I':
			iformat = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'q':
			verbosity = -1;
			break;
		case 'v':
			verbosity = 1;
			break;
		case 'h':
			fputs(info_usage, stdout);
			return EXIT_OK;
		default:
			return usage_error("info", "bad option");
		}
	}
	if (optind == argc)
		return usage_error("info", "no input files");
	if (json)
		printf("{\"files\":[");
	for (i = optind; i < argc && !err; i++) {
		struct stimg_image img = STIMG_IMAGE_INIT;
		struct stimg_ranges regions = STIMG_RANGES_INIT;
		struct stimg_ranges gaps = STIMG_RANGES_INIT;
		const struct stimg_format *fmt = NULL;
		struct stimg_range span;

		err = stimg_read(&img, argv[i], iformat, STIMG_OVERLAP_ERROR,
				 &fmt, &d);
		if (!err)
			err = stimg_image_ranges(&img, &regions);
		span = stimg_image_span(&img);
		if (!err)
			err = stimg_ranges_add(&gaps, span.start, span.end);
		if (!err)
			err = stimg_ranges_subtract(&gaps, &regions);
		if (!err && json) {
			if (i > optind)
				putchar(',');
			print_json(argv[i], fmt, &img, &regions, &gaps);
		} else if (!err) {
			if (i > optind)
				putchar('\n');
			print_text(argv[i], fmt, &img, &regions, &gaps);
		}
		stimg_ranges_release(&regions);
		stimg_ranges_release(&gaps);
		stimg_image_release(&img);
	}
	if (err) {
		fflush(stdout);
		return report(err, &d);
	}
	if (json)
		printf("]}\n");
	if (fflush(stdout) || ferror(stdout)) {
		error("cannot write to standard output");
		ret = EXIT_IO;
	}
	return ret;
}
