/* stimg crc: a CRC or checksum of an image range; --list and --explain. */
#include <ctype.h>
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

/* " key=0x..." for a value of the model's width, lower case */
static void print_value(const char *key, unsigned width, uint64_t lo,
			uint64_t hi)
{
	char buf[40];

	printf(" %s=0x%s", key, stimg_crc_hex(buf, sizeof(buf), width, lo, hi,
					     false));
}

/* The model's parameters as the catalogue writes them, after prefix. */
static void print_params(const char *prefix, const struct stimg_crc_model *m)
{
	uint64_t c = 0, ch = 0, r, rh;
	unsigned w = m->width;

	/* the check value is computed here, not copied from the table */
	stimg_crc_buffer(m, "123456789", 9, &c, &ch);
	printf("%swidth=%u", prefix, w);
	if (is_sum(m)) {
		printf(" sum=%s", m->kind == STIMG_CRC_SUM ? "add" : "neg");
		print_value("check", w, c, 0);
		printf(" name=\"%s\"\n", m->name);
		return;
	}
	print_value("poly", w, m->poly, m->poly_hi);
	print_value("init", w, m->init, m->init_hi);
	printf(" refin=%s refout=%s", m->refin ? "true" : "false",
	       m->refout ? "true" : "false");
	print_value("xorout", w, m->xorout, m->xorout_hi);
	print_value("check", w, c, ch);
	if (m->kind == STIMG_CRC_STM32) {
		printf(" words=le32");
	} else {
		stimg_crc_residue(m, &r, &rh);
		print_value("residue", w, r, rh);
	}
	printf(" name=\"%s\"\n", m->name);
}

static int list(void)
{
	const struct stimg_crc_model *m;
	const struct stimg_crc_alias *a;
	size_t n, i;

	m = stimg_crc_models(&n);
	for (i = 0; i < n; i++)
		print_params("", &m[i]);
	a = stimg_crc_aliases(&n);
	for (i = 0; i < n; i++)
		printf("alias=\"%s\" name=\"%s\"\n", a[i].alias, a[i].name);
	return EXIT_OK;
}

/* ---- --explain: a C function for the target ---- */

static void c_name(char *buf, size_t n, const struct stimg_crc_model *m)
{
	size_t k = 0;
	const char *s;

	if (m->kind == STIMG_CRC_STM32) {
		snprintf(buf, n, "stm32_crc");
		return;
	}
	if (!strcmp(m->name, "custom")) {
		snprintf(buf, n, "crc_custom");
		return;
	}
	for (s = m->name; *s && k + 1 < n; s++) {
		if (isalnum((unsigned char)*s))
			buf[k++] = (char)tolower((unsigned char)*s);
		else if (k && buf[k - 1] != '_')
			buf[k++] = '_';
	}
	buf[k] = '\0';
}

/* The smallest of uint8/16/32/64 that holds w bits. */
static unsigned c_bits(unsigned w)
{
	return w <= 8 ? 8 : w <= 16 ? 16 : w <= 32 ? 32 : 64;
}

/* A C constant of t bits: 0x.., with a suffix when it needs one. */
static const char *c_const(char *buf, size_t n, unsigned t, uint64_t v)
{
	snprintf(buf, n, "0x%0*" PRIX64 "%s", (int)t / 4, v,
		 t == 64 ? "u" : "");
	return buf;
}

static void explain_header(const struct stimg_crc_model *m, const char *fn)
{
	const struct stimg_crc_alias *a;
	size_t n, i, k = 0;
	char check[40];
	uint64_t c = 0, ch = 0;

	stimg_crc_buffer(m, "123456789", 9, &c, &ch);
	printf("/*\n * %s\n", m->name);
	print_params(" *   ", m);
	a = stimg_crc_aliases(&n);
	for (i = 0; i < n; i++)
		if (!strcmp(a[i].name, m->name))
			printf("%s%s", k++ ? ", " : " *   also called: ",
			       a[i].alias);
	if (k)
		printf("\n");
	printf(" *\n");
	if (m->kind == STIMG_CRC_STM32) {
		printf(" * The STM32 CRC unit after reset (CRC->CR = CRC_CR_RESET;\n"
		       " * on parts with a programmable CRC, its reset values),\n"
		       " * fed 32-bit words through CRC->DR: CRC-32/MPEG-2 of\n"
		       " * each word, most significant bit first. A word is what\n"
		       " * the CPU reads from flash (little-endian), so this is\n"
		       " * not CRC-32/MPEG-2 of the bytes in order. stimg\n"
		       " * completes a range that is not whole words with the\n"
		       " * bytes after it, or the fill byte (--tail pad).\n"
		       " * The hardware does the same as this function:\n"
		       " *\n"
		       " *\tCRC->CR = CRC_CR_RESET;\n"
		       " *\tfor (size_t i = 0; i < nwords; i++)\n"
		       " *\t\tCRC->DR = w[i];\n"
		       " *\tcrc = CRC->DR;\n"
		       " *\n"
		       " * %s(the words of \"123456789\" and FF FF FF, 3)"
		       " == 0x%s\n */\n",
		       fn, stimg_crc_hex(check, sizeof(check), 32, c, 0, true));
		return;
	}
	if (is_sum(m))
		printf(" * The sum of the bytes modulo 2^%u%s.\n", m->width,
		       m->kind == STIMG_CRC_SUM_NEG
		       ? ", negated (two's complement):\n"
			 " * adding it to the sum of the bytes gives 0" : "");
	else
		printf(" * A bit at a time: small, and fast enough for a check"
		       " at boot.\n");
	printf(" * %s(\"123456789\", 9) == 0x%s\n */\n", fn,
	       stimg_crc_hex(check, sizeof(check), m->width, c, ch, true));
}

static void explain_sum(const struct stimg_crc_model *m, const char *fn)
{
	unsigned t = m->width;

	printf("uint%u_t %s(const uint8_t *p, size_t n)\n{\n"
	       "\tuint%u_t sum = 0;\n\n"
	       "\twhile (n--)\n\t\tsum = (uint%u_t)(sum + *p++);\n", t, fn, t, t);
	if (m->kind == STIMG_CRC_SUM_NEG)
		printf("\treturn (uint%u_t)(0u - sum);\n}\n", t);
	else
		printf("\treturn sum;\n}\n");
}

static void explain_stm32(const char *fn)
{
	printf("uint32_t %s(const uint32_t *w, size_t nwords)\n{\n"
	       "\tuint32_t crc = 0xFFFFFFFF;\n\n"
	       "\twhile (nwords--) {\n"
	       "\t\tcrc ^= *w++;\n"
	       "\t\tfor (int k = 0; k < 32; k++)\n"
	       "\t\t\tcrc = crc & 0x80000000 ? (crc << 1) ^ 0x04C11DB7 : crc << 1;\n"
	       "\t}\n"
	       "\treturn crc;\n}\n", fn);
}

/* Width <= 64 in a uint8/16/32/64_t. */
static void explain_crc(const struct stimg_crc_model *m, const char *fn)
{
	unsigned w = m->width, t = c_bits(w), s = t - w;
	char a[40], b[40];

	printf("uint%u_t %s(const uint8_t *p, size_t n)\n{\n", t, fn);
	if (m->refin) {
		/* the register reflected, in the low bits */
		printf("\tuint%u_t crc = %s;\n\n", t,
		       c_const(a, sizeof(a), t, stimg_crc_reflect(m->init, w)));
		printf("\twhile (n--) {\n\t\tcrc ^= *p++;\n"
		       "\t\tfor (int k = 0; k < 8; k++)\n"
		       "\t\t\tcrc = crc & 1 ? (crc >> 1) ^ %s : crc >> 1;\n\t}\n",
		       c_const(b, sizeof(b), t, stimg_crc_reflect(m->poly, w)));
	} else {
		if (s)
			printf("\t/* the %u-bit register in the top bits */\n", w);
		printf("\tuint%u_t crc = %s;\n\n", t,
		       c_const(a, sizeof(a), t, m->init << s));
		printf("\twhile (n--) {\n\t\tcrc ^= (uint%u_t)((uint%u_t)*p++ << %u);\n"
		       "\t\tfor (int k = 0; k < 8; k++)\n"
		       "\t\t\tcrc = (uint%u_t)(crc & %s ? (crc << 1) ^ %s : crc << 1);\n"
		       "\t}\n", t, t, t - 8, t,
		       c_const(a, sizeof(a), t, (uint64_t)1 << (t - 1)),
		       c_const(b, sizeof(b), t, m->poly << s));
		if (s)
			printf("\tcrc >>= %u;\n", s);
	}
	if (m->refin != m->refout)
		printf("\t/* refout differs from refin: reverse the %u bits */\n"
		       "\tuint%u_t out = 0;\n"
		       "\tfor (int k = 0; k < %u; k++, crc >>= 1)\n"
		       "\t\tout = (uint%u_t)(out << 1 | (crc & 1));\n"
		       "\tcrc = out;\n", w, t, w, t);
	printf("\treturn crc ^ %s;\n}\n", c_const(a, sizeof(a), t, m->xorout));
}

/* Reverses the low w (65..128) bits of hi:lo. */
static void reflect_wide(uint64_t *lo, uint64_t *hi, unsigned w)
{
	uint64_t rl = stimg_crc_reflect(*hi, 64);
	uint64_t rh = stimg_crc_reflect(*lo, 64);
	unsigned s = 128 - w;

	/* rh:rl is all 128 bits reversed; move it down by s */
	*lo = s ? rl >> s | rh << (64 - s) : rl;
	*hi = s ? rh >> s : rh;
}

/* Width 65..128 in two uint64_t: h holds the bits above 64. */
static void explain_wide(const struct stimg_crc_model *m, const char *fn)
{
	unsigned w = m->width, s = 128 - w;
	uint64_t il = m->init, ih = m->init_hi, pl = m->poly, ph = m->poly_hi;
	char a[40], b[40];

	if (m->refin) {
		reflect_wide(&il, &ih, w);
		reflect_wide(&pl, &ph, w);
	} else if (s) {
		ih = ih << s | il >> (64 - s), il <<= s;
		ph = ph << s | pl >> (64 - s), pl <<= s;
	}
	printf("/* returns bits 0..63 of the CRC; *hi gets bits 64..%u */\n",
	       w - 1);
	printf("uint64_t %s(const uint8_t *p, size_t n, uint64_t *hi)\n{\n", fn);
	printf("\tuint64_t lo = %s, h = %s;\n\n", c_const(a, sizeof(a), 64, il),
	       c_const(b, sizeof(b), 64, ih));
	if (m->refin)
		printf("\twhile (n--) {\n\t\tlo ^= *p++;\n"
		       "\t\tfor (int k = 0; k < 8; k++) {\n"
		       "\t\t\tuint64_t bit = lo & 1;\n\n"
		       "\t\t\tlo = lo >> 1 | h << 63;\n\t\t\th >>= 1;\n"
		       "\t\t\tif (bit) {\n\t\t\t\tlo ^= %s;\n\t\t\t\th ^= %s;\n"
		       "\t\t\t}\n\t\t}\n\t}\n", c_const(a, sizeof(a), 64, pl),
		       c_const(b, sizeof(b), 64, ph));
	else
		printf("\t/* the %u-bit register in the top bits of h:lo */\n"
		       "\twhile (n--) {\n\t\th ^= (uint64_t)*p++ << 56;\n"
		       "\t\tfor (int k = 0; k < 8; k++) {\n"
		       "\t\t\tuint64_t top = h >> 63;\n\n"
		       "\t\t\th = h << 1 | lo >> 63;\n\t\t\tlo <<= 1;\n"
		       "\t\t\tif (top) {\n\t\t\t\tlo ^= %s;\n\t\t\t\th ^= %s;\n"
		       "\t\t\t}\n\t\t}\n\t}\n", w, c_const(a, sizeof(a), 64, pl),
		       c_const(b, sizeof(b), 64, ph));
	if (!m->refin && s)
		printf("\tlo = lo >> %u | h << %u;\n\th >>= %u;\n", s, 64 - s, s);
	if (m->refin != m->refout)
		printf("\t/* refout differs from refin: reverse the %u bits */\n"
		       "\tuint64_t ol = 0, oh = 0;\n"
		       "\tfor (int k = 0; k < %u; k++) {\n"
		       "\t\toh = oh << 1 | ol >> 63;\n\t\tol = ol << 1 | (lo & 1);\n"
		       "\t\tlo = lo >> 1 | h << 63;\n\t\th >>= 1;\n\t}\n"
		       "\tlo = ol;\n\th = oh;\n", w, w);
	printf("\t*hi = h ^ %s;\n", c_const(a, sizeof(a), 64, m->xorout_hi));
	printf("\treturn lo ^ %s;\n}\n", c_const(a, sizeof(a), 64, m->xorout));
}

static int explain(const struct stimg_crc_model *m)
{
	char fn[64];

	c_name(fn, sizeof(fn), m);
	explain_header(m, fn);
	printf("#include <stddef.h>\n#include <stdint.h>\n\n");
	if (m->kind == STIMG_CRC_STM32)
		explain_stm32(fn);
	else if (is_sum(m))
		explain_sum(m, fn);
	else if (m->width > 64)
		explain_wide(m, fn);
	else
		explain_crc(m, fn);
	return EXIT_OK;
}

/* ---- the CRC of the inputs ---- */

/* How many bytes of r the image holds. */
static uint64_t data_in(const struct stimg_image *img,
			const struct stimg_range *r)
{
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < img->nseg; i++) {
		uint64_t a = img->seg[i].addr, b = a + img->seg[i].size;

		a = a > r->start ? a : r->start;
		b = b < r->end ? b : r->end;
		n += b > a ? b - a : 0;
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

static int compute(char **inputs, size_t ninputs, const struct crc_opts *o,
		   const struct stimg_crc_model *m)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_transform t;
	struct stimg_crc c;
	struct stimg_range r;
	struct stimg_diag d;
	uint64_t v = 0, vh = 0;
	char out[40];
	int err, ret = EXIT_OK;

	diag_init(&d);
	stimg_transform_init(&t);
	err = stimg_crc_init(&c, m, STIMG_CRC_AUTO);
	if (err) {
		ret = err == STIMG_EINVAL ? usage_error("crc", "--algo: '%s' "
				"cannot be computed here", o->algo)
					  : report(err, &d);
		goto out;
	}
	c.tail_fill = o->fill;
	c.tail_error = o->tail_error;
	err = stimg_read_inputs(&img, inputs, ninputs, o->co.iformat,
				STIMG_OVERLAP_ERROR, &t, &d);
	if (err) {
		ret = report(err, &d);
		goto out;
	}
	r = o->has_range ? o->range : stimg_image_span(&img);
	if (r.start == r.end) {
		error("the inputs hold no data; give --range");
		ret = EXIT_BAD;
		goto out;
	}
	if (m->kind == STIMG_CRC_STM32 && o->tail_error && (r.end - r.start) % 4) {
		error("0x%08" PRIX64 "..0x%08" PRIX64 " is %" PRIu64 " bytes, %u "
		      "past the last whole 32-bit word (stm32 with --tail error "
		      "needs whole words)", r.start, r.end - 1, r.end - r.start,
		      (unsigned)((r.end - r.start) % 4));
		ret = EXIT_BAD;
		goto out;
	}
	if (verbosity > 0) {
		/* what stimg_crc_image covers: stm32 ends with a whole word */
		struct stimg_range w = r;

		if (m->kind == STIMG_CRC_STM32)
			w.end = r.start + (r.end - r.start + 3) / 4 * 4;
		note("%s over 0x%08" PRIX64 "..0x%08" PRIX64 ": %" PRIu64
		     " bytes, %" PRIu64 " of them fill 0x%02X%s%s", m->name,
		     w.start, w.end - 1, w.end - w.start,
		     w.end - w.start - data_in(&img, &w), o->fill,
		     is_sum(m) ? "" : "; engine ",
		     is_sum(m) ? "" : stimg_crc_engine_name(c.engine));
	}
	stimg_crc_image(&c, &img, &r, o->fill);
	err = stimg_crc_final(&c, &v, &vh, &d);
	if (err) {
		ret = report(err, &d);
		goto out;
	}
	printf("0x%s\n", stimg_crc_hex(out, sizeof(out), m->width, v, vh, true));
out:
	stimg_crc_release(&c);
	stimg_image_release(&img);
	stimg_transform_release(&t);
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
		ret = explain(&m);
	else
		ret = compute(p.args, (size_t)p.nargs, &o, &m);
out:
	if (!ret && (fflush(stdout) || ferror(stdout))) {
		error("cannot write to standard output");
		ret = EXIT_IO;
	}
	return ret;
}
