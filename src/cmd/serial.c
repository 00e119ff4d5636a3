/* stimg serial: one output per serial number, for production programming. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

enum { OPT_AT = OPT_OWN, OPT_FIRST, OPT_COUNT, OPT_STEP, OPT_TYPE };

const struct opt serial_options[] = {
	OPT_TEXT("usage: stimg serial INPUT --at LOC --first N [--count K] [--step S]\n"
		 "                    [--type TYPE] [--crc ALGO ...] -o PATTERN\n"
		 "Writes K outputs, output k with the serial number N + k * S at LOC (and\n"
		 "the header re-patched when asked); PATTERN names them: %u is the serial\n"
		 "number (dev-%u.hex), %% a percent sign.\n"),
	{ 'o', "output", "PATTERN", "the outputs' names", 'o', NULL },
	{ 'O', NULL, "FORMAT", "the outputs' format (default: PATTERN's\n"
	  "extension, else INPUT's format)", 'O', NULL },
	OPT_BLOCK(opt_iformat),
	{ 0, "at", "LOC", "where the serial number goes", OPT_AT, NULL },
	{ 0, "first", "N", "the first serial number", OPT_FIRST, NULL },
	{ 0, "count", "K", "how many outputs (default 1)", OPT_COUNT, NULL },
	{ 0, "step", "S", "from one serial number to the next (default 1)",
	  OPT_STEP, NULL },
	{ 0, "type", "TYPE", "u8, u16, u32 (default), u64, u16be, u32be,\n"
	  "u64be, or str (the number as text)", OPT_TYPE, NULL },
	OPT_BLOCK(opt_verbosity),
	OPT_BLOCK(header_set_options),
	OPT_END,
};

/* The largest value of a --type; 0 for an unknown type. */
static uint64_t type_max(const char *type)
{
	static const char *const names[] = {
		"u8", "u16", "u32", "u64", "u16be", "u32be", "u64be", "str",
	};
	static const uint64_t max[] = {
		0xFF, 0xFFFF, 0xFFFFFFFF, UINT64_MAX, 0xFFFF, 0xFFFFFFFF,
		UINT64_MAX, UINT64_MAX,
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(type, names[i]))
			return max[i];
	return 0;
}

/* How many %u PATTERN holds; -1 for a % other than %u and %%. */
static int pattern_slots(const char *pattern)
{
	int n = 0;

	for (; *pattern; pattern++) {
		if (*pattern != '%')
			continue;
		pattern++;
		if (*pattern == 'u')
			n++;
		else if (*pattern != '%')
			return -1;
	}
	return n;
}

/* PATTERN with %u as serial and %% as %. */
static char *output_name(const char *pattern, uint64_t serial)
{
	size_t n = strlen(pattern) + 21, at = 0;
	char *name = malloc(n);

	for (; name && *pattern; pattern++) {
		if (*pattern == '%' && pattern[1] == 'u')
			at += (size_t)snprintf(name + at, n - at, "%" PRIu64, serial);
		else
			name[at++] = *pattern;
		if (*pattern == '%')
			pattern++;
	}
	if (name)
		name[at] = '\0';
	return name;
}

/* serial's own options. */
struct serial_opts {
	const char *at, *type;
	uint64_t first, count, step;
	bool has_first;
};

static int serial_option(void *ctx, const struct opt_parser *p, int c,
			 const char *arg)
{
	struct serial_opts *o = ctx;
	int ret = EXIT_OK;

	switch (c) {
	case OPT_AT:
		o->at = arg;
		break;
	case OPT_FIRST:
		ret = opt_number("serial", "--first", arg, UINT64_MAX, &o->first);
		o->has_first = true;
		break;
	case OPT_COUNT:
		ret = opt_number("serial", "--count", arg, 1000000, &o->count);
		if (!ret && !o->count)
			ret = usage_error("serial", "--count: at least 1");
		break;
	case OPT_STEP:
		ret = opt_number("serial", "--step", arg, UINT64_MAX, &o->step);
		break;
	case OPT_TYPE:
		o->type = arg;
		if (!type_max(arg))
			ret = usage_error("serial", "--type: '%s' is not u8, "
					  "u16, u32, u64, u16be, u32be, "
					  "u64be or str", arg);
		break;
	default:
		ret = opt_unhandled(p, c);
	}
	return ret;
}

int cmd_serial(int argc, char **argv)
{
	const struct stimg_format *in_fmt = NULL, *fmt = NULL;
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct common_opts co = { NULL, NULL, NULL };
	struct serial_opts so = { NULL, "u32", 0, 1, 1, false };
	uint64_t k, v;
	bool go;
	struct header_opts h;
	struct opt_parser p;
	struct stimg_diag d;
	char *set = NULL, *name = NULL;
	int ret = EXIT_OK, err = STIMG_OK;

	header_init(&h);
	diag_init(&d);
	ret = header_parse(&p, "serial", serial_options, argc, argv, &co, &h,
			   serial_option, &so, &go);
	if (!go)
		goto out;
	if (p.nargs != 1 || !so.at || !so.has_first || !co.output) {
		ret = usage_error("serial", "give INPUT, --at LOC, --first N and "
				  "-o PATTERN");
		goto out;
	}
	if (pattern_slots(co.output) < 0 || pattern_slots(co.output) > 1 ||
	    (so.count > 1 && pattern_slots(co.output) != 1)) {
		ret = usage_error("serial", "-o: '%s' needs one %%u for the serial "
				  "number%s (and no other %% than %%%%)", co.output,
				  so.count > 1 ? ", to name several outputs" : "");
		goto out;
	}
	/* the last number must fit, before anything is written */
	if ((so.count - 1) && so.step > (type_max(so.type) - so.first) / (so.count - 1)) {
		ret = usage_error("serial", "serial numbers from %" PRIu64 " by %"
				  PRIu64 " for %" PRIu64 " outputs do not fit %s",
				  so.first, so.step, so.count, so.type);
		goto out;
	}
	if (so.first > type_max(so.type)) {
		ret = usage_error("serial", "--first: %" PRIu64 " does not fit %s",
				  so.first, so.type);
		goto out;
	}
	err = stimg_read(&img, p.args[0], co.iformat, STIMG_OVERLAP_ERROR,
			 &in_fmt, &d);
	if (!err) {
		name = output_name(co.output, so.first);
		ret = name ? opt_output_format("serial", co.oformat, name, in_fmt, &fmt)
			   : EXIT_IO;
		free(name);
		name = NULL;
		if (ret)
			goto out;
	}
	/* the same image each time: the serial field and the CRC change */
	for (k = 0; k < so.count && !err; k++) {
		struct stimg_patch_result r = STIMG_PATCH_RESULT_INIT;

		v = so.first + k * so.step;
		free(set);
		free(name);
		name = output_name(co.output, v);
		if (!strcmp(so.type, "str"))
			err = asprintf(&set, "%s=str:%" PRIu64, so.at, v) < 0;
		else
			err = asprintf(&set, "%s=%s:%" PRIu64, so.at, so.type, v) < 0;
		if (err || !name) {
			set = NULL;
			err = STIMG_ENOMEM;
			break;
		}
		h.sets = realloc(h.sets, (h.nsets + 1) * sizeof(*h.sets));
		if (!h.sets) {
			err = STIMG_ENOMEM;
			break;
		}
		h.sets[h.nsets] = set;
		h.p.sets = h.sets;
		h.p.nsets = h.nsets + 1;
		err = stimg_patch_apply(&img, &h.p, &r, &d);
		if (!err)
			err = header_write(&img, p.args[0], in_fmt, name, fmt, &h,
					   &r, &d);
		if (!err && verbosity >= 0)
			note("wrote %s: serial %" PRIu64 " at %s%s%s", name, v,
			     so.at, r.has_sha256 ? ", SHA-256 re-patched" : "",
			     r.has_crc ? ", CRC re-patched" : "");
		if (!err && !k && verbosity >= 0)
			header_padding_note(&r);
		/* the same fields each time: the so.first was checked */
		h.p.force = true;
		stimg_patch_result_release(&r);
	}
	if (err)
		ret = report(err, &d);
out:
	free(set);
	free(name);
	stimg_image_release(&img);
	header_release(&h);
	return ret;
}
