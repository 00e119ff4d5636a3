/* stimg sign: an MCUboot image, as imgtool sign makes it, in any format. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "stimg/mcuboot.h"

enum {
	SIGN_KEY = OPT_OWN, SIGN_VERSION, SIGN_HEADER_SIZE, SIGN_PAD_HEADER,
	SIGN_SLOT_SIZE, SIGN_PAD, SIGN_CONFIRM, SIGN_ALIGN, SIGN_MAX_ALIGN,
	SIGN_LOAD_ADDR, SIGN_SECURITY_COUNTER,
};

const struct opt sign_options[] = {
	OPT_TEXT("usage: stimg sign INPUT -o OUTPUT --version V [--key KEY.pem] [options]\n"
		 "Signs the input for MCUboot as imgtool sign does: its bytes from the\n"
		 "lowest address to the highest (holes 0xFF) after a header, then the\n"
		 "SHA-256, the key hash and the signature (none without --key); written\n"
		 "at the slot's address, in the output's format.\n"),
	OPT_BLOCK(inputs_note),
	OPT_BLOCK(opt_output),
	OPT_BLOCK(opt_iformat),
	{ 0, "key", "KEY.pem", "the private key (ed25519, ecdsa-p256, rsa-2048,\n"
	  "rsa-3072); without it the image has the SHA-256 only", SIGN_KEY, NULL },
	{ 0, "version", "V", "the image's version MAJ.MIN.REV+BUILD (required)",
	  SIGN_VERSION, NULL },
	{ 0, "header-size", "N", "the header's size (default 0x200)",
	  SIGN_HEADER_SIZE, NULL },
	{ 0, "pad-header", NULL, "put the header before the input (linked at the\n"
	  "slot + N); else its first N bytes must be zero", SIGN_PAD_HEADER, NULL },
	{ 0, "slot-size", "N", "the slot's size: image, TLVs and trailer must fit",
	  SIGN_SLOT_SIZE, NULL },
	{ 0, "pad", NULL, "fill the slot (0xFF) and end it in the swap trailer",
	  SIGN_PAD, NULL },
	{ 0, "confirm", NULL, "set image_ok in the trailer (implies --pad)",
	  SIGN_CONFIRM, NULL },
	{ 0, "align", "1|2|4|8|16|32", "the flash's write size (default 1)",
	  SIGN_ALIGN, NULL },
	{ 0, "max-align", "8|16|32", "the trailer's alignment (default: the\n"
	  "larger of 8 and --align)", SIGN_MAX_ALIGN, NULL },
	{ 0, "load-addr", "A", "a RAM-load image: the header's load address",
	  SIGN_LOAD_ADDR, NULL },
	{ 0, "security-counter", "N|auto", "a protected security-counter TLV\n"
	  "(auto: from the version)", SIGN_SECURITY_COUNTER, NULL },
	OPT_BLOCK(opt_verbosity),
	OPT_END,
};

struct sign_args {
	struct common_opts co;
	struct stimg_mcuboot_sign_opts o;
	const char *key;
	bool has_version;
};

/* A number option that must fit a u32 into *v. */
static int u32_option(const char *opt, const char *arg, uint32_t *v)
{
	uint64_t n = 0;
	int ret = opt_number("sign", opt, arg, 0xFFFFFFFF, &n);

	*v = (uint32_t)n;
	return ret;
}

static int sign_option(const struct opt_parser *p, int c, const char *arg,
		       struct sign_args *a)
{
	struct stimg_mcuboot_sign_opts *o = &a->o;
	struct stimg_diag d;
	uint32_t v = 0;
	int ret = EXIT_OK;

	memset(&d, 0, sizeof(d));
	switch (c) {
	case SIGN_KEY:
		a->key = arg;
		break;
	case SIGN_VERSION:
		if (stimg_mcuboot_version_parse(arg, &o->version, &d))
			ret = usage_error("sign", "%s", d.msg);
		a->has_version = true;
		break;
	case SIGN_HEADER_SIZE:
		ret = u32_option("--header-size", arg, &o->header_size);
		break;
	case SIGN_PAD_HEADER:
		o->pad_header = true;
		break;
	case SIGN_SLOT_SIZE:
		ret = u32_option("--slot-size", arg, &o->slot_size);
		break;
	case SIGN_PAD:
		o->pad = true;
		break;
	case SIGN_CONFIRM:
		o->confirm = true;
		break;
	case SIGN_ALIGN:
	case SIGN_MAX_ALIGN:
		ret = u32_option(c == SIGN_ALIGN ? "--align" : "--max-align", arg,
				 &v);
		*(c == SIGN_ALIGN ? &o->align : &o->max_align) = v;
		break;
	case SIGN_LOAD_ADDR:
		ret = u32_option("--load-addr", arg, &o->load_addr);
		break;
	case SIGN_SECURITY_COUNTER:
		o->seccnt = strcmp(arg, "auto") ? STIMG_MCUBOOT_SECCNT_VALUE
						: STIMG_MCUBOOT_SECCNT_AUTO;
		if (o->seccnt == STIMG_MCUBOOT_SECCNT_VALUE)
			ret = u32_option("--security-counter", arg,
					 &o->security_counter);
		break;
	default:
		ret = opt_unhandled(p, c);
	}
	return ret;
}

/* What was written: one note. */
static void summary(const struct sign_args *a, const struct stimg_image *out,
		    const struct stimg_mcuboot_signed *s)
{
	struct stimg_range span = stimg_image_span(out);
	char version[40], digest[2 * STIMG_SHA256_SIZE + 1];

	note("signed %s: MCUboot image at 0x%08" PRIX64 ", version %s, %s%s, "
	     "SHA-256 %s", strcmp(a->co.output, "-") ? a->co.output
						   : "standard output",
	     span.start, mcuboot_version_text(&a->o.version, version),
	     a->o.key ? stimg_key_type_name(stimg_key_get_type(a->o.key))
		      : "no signature (no --key)",
	     s->confirmed ? ", padded and confirmed" : s->padded ? ", padded" : "",
	     hex_text(s->digest, STIMG_SHA256_SIZE, digest));
}

int cmd_sign(int argc, char **argv)
{
	struct stimg_mcuboot_signed s = STIMG_MCUBOOT_SIGNED_INIT;
	struct stimg_image img = STIMG_IMAGE_INIT, out = STIMG_IMAGE_INIT;
	const struct stimg_format *fmt = NULL;
	struct stimg_key *key = NULL;
	struct stimg_write_opts w;
	struct sign_args a;
	struct opt_parser p;
	struct stimg_diag d;
	char *arg;
	int c = 0, ret = EXIT_OK, err;

	memset(&a, 0, sizeof(a));
	stimg_mcuboot_sign_opts_init(&a.o);
	diag_init(&d);
	opt_init(&p, "sign", sign_options, argc, argv);
	while (!ret && (c = opt_next(&p, &arg)) > 0)
		if (!common_option(c, arg, &a.co))
			ret = sign_option(&p, c, arg, &a);
	if (!ret && c == OPT_STOP)
		ret = p.status;
	if (ret || c == OPT_STOP)
		goto out;
	if (p.nargs != 1)
		ret = usage_error("sign", "give one INPUT");
	else if (!a.co.output)
		ret = usage_error("sign", "no output: give -o OUTPUT");
	else if (!a.has_version)
		ret = usage_error("sign", "no version: give --version "
				  "MAJ.MIN.REV+BUILD");
	if (!ret)
		ret = opt_input_format("sign", a.co.iformat);
	if (!ret)
		ret = opt_output_format("sign", a.co.oformat, a.co.output, NULL,
					&fmt);
	if (ret)
		goto out;

	err = a.key ? stimg_key_load(&key, a.key, &d) : STIMG_OK;
	a.o.key = key;
	if (!err)
		err = stimg_read(&img, p.args[0], a.co.iformat, STIMG_OVERLAP_ERROR,
				 NULL, &d);
	if (!err)
		err = stimg_mcuboot_sign_image(&img, &a.o, &s, &out, &d);
	stimg_write_opts_init(&w, fmt);
	if (!err)
		err = stimg_write(&out, a.co.output, &w, &d);
	if (err) {
		ret = report(err, &d);
		goto out;
	}
	if (verbosity >= 0)
		summary(&a, &out, &s);
	if (fmt->hint && strcmp(a.co.output, "-"))
		format_hint(fmt, a.co.output);
out:
	stimg_mcuboot_signed_release(&s);
	stimg_image_release(&out);
	stimg_image_release(&img);
	stimg_key_free(key);
	return ret;
}
