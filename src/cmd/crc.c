/* stimg crc: a CRC or checksum of an image range; --list and --explain. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "stimg/crc.h"

enum {
	OPT_ALGO = OPT_OWN, OPT_RANGE, OPT_FILL, OPT_TAIL, OPT_LIST, OPT_EXPLAIN
};

const struct opt crc_options[] = {
	OPT_TEXT("usage: stimg crc [--algo ALGO] [--range RANGE] [--fill BYTE]\n"
		 "                 [--tail pad|error] [-I FORMAT] INPUT...\n"
		 "       stimg crc --list\n"
		 "       stimg crc --explain [--algo ALGO]\n"
		 "Prints the CRC of the inputs (merged as 'stimg merge' merges them) over\n"
		 "RANGE as 0x%0*X, holes counted as FILL.\n"),
	{ 0, "algo", "ALGO", "a CRC RevEng catalogue name or alias (any case),\n"
	  "stm32 (the default), sum8, sum16, sum32, sum8-neg,\n"
	  "sum16-neg, sum32-neg, or a custom model\n"
	  "width=N,poly=0x..,init=0x..,refin=true|false,\n"
	  "refout=true|false,xorout=0x..", OPT_ALGO, NULL },
	{ 0, "range", "RANGE", "the bytes covered (default: the image's span)",
	  OPT_RANGE, NULL },
	{ 0, "fill", "BYTE", "the value of holes in RANGE, and of stm32's\n"
	  "padding (default 0xFF)", OPT_FILL, NULL },
	{ 0, "tail", "pad|error", "stm32, RANGE not whole 32-bit words: pad the\n"
	  "last word with FILL (default) or refuse", OPT_TAIL, NULL },
	{ 0, "list", NULL, "every algorithm: parameters and check value",
	  OPT_LIST, NULL },
	{ 0, "explain", NULL, "the algorithm's parameters and a C function that\n"
	  "computes it on the target", OPT_EXPLAIN, NULL },
	OPT_BLOCK(opt_iformat),
	OPT_BLOCK(opt_verbosity),
	OPT_END,
};

static bool is_sum(const struct stimg_crc_model *m)
{
	return m->kind == STIMG_CRC_SUM || m->kind == STIMG_CRC_SUM_NEG;
}

static int list(void)
{
	const struct stimg_crc_model *m;
	const struct stimg_crc_alias *a;
	size_t n, i;

	m = stimg_crc_models(&n);
	for (i = 0; i < n; i++)
		stimg_crc_write_params(stdout, "", &m[i]);
	a = stimg_crc_aliases(&n);
	for (i = 0; i < n; i++)
		printf("alias=\"%s\" name=\"%s\"\n", a[i].alias, a[i].name);
	return EXIT_OK;
}

/* ---- the CRC of the inputs ---- */

/* stm32 with --tail error, for a range that is not whole words. */
static int tail_error(const struct stimg_range *r)
{
	error("0x%08" PRIX64 "..0x%08" PRIX64 " is %" PRIu64 " bytes, %u "
	      "past the last whole 32-bit word (stm32 with --tail error "
	      "needs whole words)", r->start, r->end - 1, r->end - r->start,
	      (unsigned)((r->end - r->start) % 4));
	return EXIT_BAD;
}

/* How many bytes of r the image holds. */
static uint64_t data_in(const struct stimg_image *img,
			const struct stimg_range *r)
{
	struct stimg_chunk c;
	uint64_t n = 0, at = r->start;

	while (stimg_image_next_chunk(img, &at, &c) && c.addr < r->end) {
		uint64_t b = (uint64_t)c.addr + c.len;

		n += (b < r->end ? b : r->end) - c.addr;
	}
	return n;
}

struct crc_opts {
	const char *algo;
	struct common_opts co;
	struct stimg_range range;
	bool has_range, tail_error, list, explain;
	uint8_t fill;
};

/* Starts c for model m as o says; EXIT_OK or the status to exit with. */
static int start(struct stimg_crc *c, const struct stimg_crc_model *m,
		 const struct crc_opts *o, struct stimg_diag *d)
{
	int err = stimg_crc_init(c, m, STIMG_CRC_AUTO);

	if (err == STIMG_EINVAL)
		return usage_error("crc", "--algo: '%s' cannot be computed here",
				   o->algo);
	if (err)
		return report(err, d);
	c->tail_fill = o->fill;
	c->tail_error = o->tail_error;
	return EXIT_OK;
}

/*
 * The CRC through an image: holes as fill, the range by default the span.
 * *w gets the range read, *data how many of its bytes are data.
 */
static int through_image(struct stimg_crc *c, char **inputs, size_t ninputs,
			 const struct crc_opts *o, struct stimg_range *w,
			 uint64_t *data, struct stimg_diag *d)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_transform t;
	struct stimg_range r;
	int err;

	stimg_transform_init(&t);
	err = stimg_read_inputs(&img, inputs, ninputs, o->co.iformat,
				STIMG_OVERLAP_ERROR, &t, d);
	r = o->has_range ? o->range : stimg_image_span(&img);
	if (!err && r.start == r.end)
		err = diag_fail(d, STIMG_ECHECK, "the inputs hold no data; "
				"give --range");
	if (!err) {
		/* what stimg_crc_image covers: stm32 ends with a whole word */
		*w = c->tail_error ? r : stimg_crc_extent(&c->model, &r);
		*data = data_in(&img, w);
		err = stimg_crc_image(c, &img, &r, o->fill);
	}
	stimg_image_release(&img);
	stimg_transform_release(&t);
	return err;
}

static int compute(char **inputs, size_t ninputs, const struct crc_opts *o,
		   const struct stimg_crc_model *m)
{
	struct stimg_crc c;
	struct stimg_range w;
	struct stimg_diag d;
	uint64_t v = 0, vh = 0, data = 0;
	char out[40];
	int err, ret;

	diag_init(&d);
	if (o->has_range && m->kind == STIMG_CRC_STM32 && o->tail_error &&
	    (o->range.end - o->range.start) % 4)
		return tail_error(&o->range);
	ret = start(&c, m, o, &d);
	if (ret)
		goto out;
	/* straight from the files when the records allow, else an image */
	err = stimg_crc_stream(&c, inputs, ninputs, o->co.iformat,
			       o->has_range ? &o->range : NULL, o->fill, &w,
			       &data, &d);
	if (err == STIMG_BACK) {
		stimg_crc_release(&c);
		ret = start(&c, m, o, &d);
		if (ret)
			goto out;
		err = through_image(&c, inputs, ninputs, o, &w, &data, &d);
	}
	if (err) {
		ret = report(err, &d);
		goto out;
	}
	if (m->kind == STIMG_CRC_STM32 && o->tail_error && (w.end - w.start) % 4) {
		ret = tail_error(&w);
		goto out;
	}
	if (verbosity > 0)
		note("%s over 0x%08" PRIX64 "..0x%08" PRIX64 ": %" PRIu64
		     " bytes, %" PRIu64 " of them fill 0x%02X%s%s", m->name,
		     w.start, w.end - 1, w.end - w.start,
		     w.end - w.start - data, o->fill,
		     is_sum(m) ? "" : "; engine ",
		     is_sum(m) ? "" : stimg_crc_engine_name(c.engine));
	err = stimg_crc_final(&c, &v, &vh, &d);
	if (err) {
		ret = report(err, &d);
		goto out;
	}
	printf("0x%s\n", stimg_crc_hex(out, sizeof(out), m->width, v, vh, true));
out:
	stimg_crc_release(&c);
	return ret;
}

int cmd_crc(int argc, char **argv)
{
	struct stimg_crc_model m;
	struct crc_opts o;
	struct opt_parser p;
	struct stimg_diag d;
	uint64_t v = 0;
	char *arg;
	int c, ret = EXIT_OK;

	memset(&o, 0, sizeof(o));
	o.algo = "stm32";
	o.fill = 0xFF;
	diag_init(&d);
	opt_init(&p, "crc", crc_options, argc, argv);
	while ((c = opt_next(&p, &arg)) > 0) {
		if (common_option(c, arg, &o.co))
			continue;
		switch (c) {
		case OPT_ALGO:
			o.algo = arg;
			break;
		case OPT_RANGE:
			ret = opt_range("crc", "--range", arg, &o.range);
			o.has_range = true;
			break;
		case OPT_FILL:
			ret = opt_number("crc", "--fill", arg, 0xFF, &v);
			o.fill = (uint8_t)v;
			break;
		case OPT_TAIL:
			if (!strcmp(arg, "pad") || !strcmp(arg, "error"))
				o.tail_error = !strcmp(arg, "error");
			else
				ret = usage_error("crc", "--tail: '%s' is not pad "
						  "or error", arg);
			break;
		case OPT_LIST:
			o.list = true;
			break;
		case OPT_EXPLAIN:
			o.explain = true;
			break;
		default:
			ret = opt_unhandled(&p, c);
		}
		if (ret)
			goto out;
	}
	if (c == OPT_STOP) {
		ret = p.status;
		goto out;
	}
	if (o.list || o.explain) {
		if (p.nargs) {
			ret = usage_error("crc", "%s takes no INPUT",
					  o.list ? "--list" : "--explain");
			goto out;
		}
	} else if (!p.nargs) {
		ret = usage_error("crc", "no input files");
		goto out;
	}
	if (o.list) {
		ret = list();
		goto out;
	}
	ret = opt_crc_algo("crc", "--algo", o.algo, &m);
	if (ret)
		goto out;
	ret = opt_input_format("crc", o.co.iformat);
	if (ret)
		goto out;
	if (o.explain)
		stimg_crc_write_c(stdout, &m);
	else
		ret = compute(p.args, (size_t)p.nargs, &o, &m);
out:
	if (!ret && (fflush(stdout) || ferror(stdout))) {
		error("cannot write to standard output");
		ret = EXIT_IO;
	}
	return ret;
}
