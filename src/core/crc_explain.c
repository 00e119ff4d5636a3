/*
 * A model written out: its parameters as the catalogue writes them
 * (stimg crc --list), and C source of a function that computes it on the
 * target (stimg crc --explain). Uses only the public CRC API.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/core.h"
#include "stimg/crc.h"

static bool is_sum(const struct stimg_crc_model *m)
{
	return m->kind == STIMG_CRC_SUM || m->kind == STIMG_CRC_SUM_NEG;
}

/* " key=0x..." for a value of the model's width, lower case */
static void put_value(FILE *f, const char *key, unsigned width, uint64_t lo,
		      uint64_t hi)
{
	char buf[40];

	fprintf(f, " %s=0x%s", key,
		stimg_crc_hex(buf, sizeof(buf), width, lo, hi, false));
}

int stimg_crc_write_params(FILE *f, const char *prefix,
			   const struct stimg_crc_model *m)
{
	uint64_t c = 0, ch = 0, r, rh;
	unsigned w = m->width;

	/* the check value is computed here, not copied from the table */
	stimg_crc_buffer(m, "123456789", 9, &c, &ch);
	fprintf(f, "%swidth=%u", prefix, w);
	if (is_sum(m)) {
		fprintf(f, " sum=%s", m->kind == STIMG_CRC_SUM ? "add" : "neg");
		put_value(f, "check", w, c, 0);
	} else {
		put_value(f, "poly", w, m->poly, m->poly_hi);
		put_value(f, "init", w, m->init, m->init_hi);
		fprintf(f, " refin=%s refout=%s", m->refin ? "true" : "false",
			m->refout ? "true" : "false");
		put_value(f, "xorout", w, m->xorout, m->xorout_hi);
		put_value(f, "check", w, c, ch);
		if (m->kind == STIMG_CRC_STM32) {
			fprintf(f, " words=le32");
		} else {
			stimg_crc_residue(m, &r, &rh);
			put_value(f, "residue", w, r, rh);
		}
	}
	fprintf(f, " name=\"%s\"\n", m->name);
	return ferror(f) ? STIMG_EIO : STIMG_OK;
}

/* ---- C for the target ---- */

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

static const char stm32_comment[] =
	" * The STM32 CRC unit after reset (CRC->CR = CRC_CR_RESET;\n"
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
	" *\n";

static void c_header(FILE *f, const struct stimg_crc_model *m, const char *fn)
{
	const struct stimg_crc_alias *a;
	size_t n, i, k = 0;
	char check[40];
	uint64_t c = 0, ch = 0;

	stimg_crc_buffer(m, "123456789", 9, &c, &ch);
	fprintf(f, "/*\n * %s\n", m->name);
	stimg_crc_write_params(f, " *   ", m);
	a = stimg_crc_aliases(&n);
	for (i = 0; i < n; i++)
		if (!strcmp(a[i].name, m->name))
			fprintf(f, "%s%s", k++ ? ", " : " *   also called: ",
				a[i].alias);
	if (k)
		fprintf(f, "\n");
	fprintf(f, " *\n");
	stimg_crc_hex(check, sizeof(check), m->width, c, ch, true);
	if (m->kind == STIMG_CRC_STM32) {
		fprintf(f, "%s * %s(the words of \"123456789\" and FF FF FF, 3)"
			" == 0x%s\n */\n", stm32_comment, fn, check);
		return;
	}
	if (is_sum(m))
		fprintf(f, " * The sum of the bytes modulo 2^%u%s.\n", m->width,
			m->kind == STIMG_CRC_SUM_NEG
			? ", negated (two's complement):\n"
			  " * adding it to the sum of the bytes gives 0" : "");
	else
		fprintf(f, " * A bit at a time: small, and fast enough for a "
			"check at boot.\n");
	fprintf(f, " * %s(\"123456789\", 9) == 0x%s\n */\n", fn, check);
}

static void c_sum(FILE *f, const struct stimg_crc_model *m, const char *fn)
{
	unsigned t = m->width;

	fprintf(f, "uint%u_t %s(const uint8_t *p, size_t n)\n{\n"
		"\tuint%u_t sum = 0;\n\n"
		"\twhile (n--)\n\t\tsum = (uint%u_t)(sum + *p++);\n",
		t, fn, t, t);
	if (m->kind == STIMG_CRC_SUM_NEG)
		fprintf(f, "\treturn (uint%u_t)(0u - sum);\n}\n", t);
	else
		fprintf(f, "\treturn sum;\n}\n");
}

static void c_stm32(FILE *f, const char *fn)
{
	fprintf(f, "uint32_t %s(const uint32_t *w, size_t nwords)\n{\n"
		"\tuint32_t crc = 0xFFFFFFFF;\n\n"
		"\twhile (nwords--) {\n"
		"\t\tcrc ^= *w++;\n"
		"\t\tfor (int k = 0; k < 32; k++)\n"
		"\t\t\tcrc = crc & 0x80000000 ? (crc << 1) ^ 0x04C11DB7 : "
		"crc << 1;\n"
		"\t}\n"
		"\treturn crc;\n}\n", fn);
}

/* Width <= 64 in a uint8/16/32/64_t. */
static void c_crc(FILE *f, const struct stimg_crc_model *m, const char *fn)
{
	unsigned w = m->width, t = c_bits(w), s = t - w;
	char a[40], b[40];

	fprintf(f, "uint%u_t %s(const uint8_t *p, size_t n)\n{\n", t, fn);
	if (m->refin) {
		/* the register reflected, in the low bits */
		c_const(a, sizeof(a), t, stimg_crc_reflect(m->init, w));
		c_const(b, sizeof(b), t, stimg_crc_reflect(m->poly, w));
		fprintf(f, "\tuint%u_t crc = %s;\n\n", t, a);
		fprintf(f, "\twhile (n--) {\n\t\tcrc ^= *p++;\n"
			"\t\tfor (int k = 0; k < 8; k++)\n"
			"\t\t\tcrc = crc & 1 ? (crc >> 1) ^ %s : crc >> 1;\n"
			"\t}\n", b);
	} else {
		if (s)
			fprintf(f, "\t/* the %u-bit register in the top bits "
				"*/\n", w);
		fprintf(f, "\tuint%u_t crc = %s;\n\n", t,
			c_const(a, sizeof(a), t, m->init << s));
		fprintf(f, "\twhile (n--) {\n"
			"\t\tcrc ^= (uint%u_t)((uint%u_t)*p++ << %u);\n"
			"\t\tfor (int k = 0; k < 8; k++)\n"
			"\t\t\tcrc = (uint%u_t)(crc & %s ? (crc << 1) ^ %s : "
			"crc << 1);\n"
			"\t}\n", t, t, t - 8, t,
			c_const(a, sizeof(a), t, (uint64_t)1 << (t - 1)),
			c_const(b, sizeof(b), t, m->poly << s));
		if (s)
			fprintf(f, "\tcrc >>= %u;\n", s);
	}
	if (m->refin != m->refout)
		fprintf(f, "\t/* refout differs from refin: reverse the %u "
			"bits */\n"
			"\tuint%u_t out = 0;\n"
			"\tfor (int k = 0; k < %u; k++, crc >>= 1)\n"
			"\t\tout = (uint%u_t)(out << 1 | (crc & 1));\n"
			"\tcrc = out;\n", w, t, w, t);
	fprintf(f, "\treturn crc ^ %s;\n}\n",
		c_const(a, sizeof(a), t, m->xorout));
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
static void c_wide(FILE *f, const struct stimg_crc_model *m, const char *fn)
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
	fprintf(f, "/* returns bits 0..63 of the CRC; *hi gets bits 64..%u "
		"*/\n", w - 1);
	fprintf(f, "uint64_t %s(const uint8_t *p, size_t n, uint64_t *hi)\n"
		"{\n", fn);
	fprintf(f, "\tuint64_t lo = %s, h = %s;\n\n",
		c_const(a, sizeof(a), 64, il), c_const(b, sizeof(b), 64, ih));
	if (m->refin)
		fprintf(f, "\twhile (n--) {\n\t\tlo ^= *p++;\n"
			"\t\tfor (int k = 0; k < 8; k++) {\n"
			"\t\t\tuint64_t bit = lo & 1;\n\n"
			"\t\t\tlo = lo >> 1 | h << 63;\n\t\t\th >>= 1;\n"
			"\t\t\tif (bit) {\n\t\t\t\tlo ^= %s;\n"
			"\t\t\t\th ^= %s;\n"
			"\t\t\t}\n\t\t}\n\t}\n",
			c_const(a, sizeof(a), 64, pl),
			c_const(b, sizeof(b), 64, ph));
	else
		fprintf(f, "\t/* the %u-bit register in the top bits of h:lo "
			"*/\n"
			"\twhile (n--) {\n\t\th ^= (uint64_t)*p++ << 56;\n"
			"\t\tfor (int k = 0; k < 8; k++) {\n"
			"\t\t\tuint64_t top = h >> 63;\n\n"
			"\t\t\th = h << 1 | lo >> 63;\n\t\t\tlo <<= 1;\n"
			"\t\t\tif (top) {\n\t\t\t\tlo ^= %s;\n"
			"\t\t\t\th ^= %s;\n"
			"\t\t\t}\n\t\t}\n\t}\n", w,
			c_const(a, sizeof(a), 64, pl),
			c_const(b, sizeof(b), 64, ph));
	if (!m->refin && s)
		fprintf(f, "\tlo = lo >> %u | h << %u;\n\th >>= %u;\n", s,
			64 - s, s);
	if (m->refin != m->refout)
		fprintf(f, "\t/* refout differs from refin: reverse the %u "
			"bits */\n"
			"\tuint64_t ol = 0, oh = 0;\n"
			"\tfor (int k = 0; k < %u; k++) {\n"
			"\t\toh = oh << 1 | ol >> 63;\n"
			"\t\tol = ol << 1 | (lo & 1);\n"
			"\t\tlo = lo >> 1 | h << 63;\n\t\th >>= 1;\n\t}\n"
			"\tlo = ol;\n\th = oh;\n", w, w);
	fprintf(f, "\t*hi = h ^ %s;\n",
		c_const(a, sizeof(a), 64, m->xorout_hi));
	fprintf(f, "\treturn lo ^ %s;\n}\n",
		c_const(a, sizeof(a), 64, m->xorout));
}

int stimg_crc_write_c(FILE *f, const struct stimg_crc_model *m)
{
	char fn[64];

	c_name(fn, sizeof(fn), m);
	c_header(f, m, fn);
	fprintf(f, "#include <stddef.h>\n#include <stdint.h>\n\n");
	if (m->kind == STIMG_CRC_STM32)
		c_stm32(f, fn);
	else if (is_sum(m))
		c_sum(f, m, fn);
	else if (m->width > 64)
		c_wide(f, m, fn);
	else
		c_crc(f, m, fn);
	return ferror(f) ? STIMG_EIO : STIMG_OK;
}
