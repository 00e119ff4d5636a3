/* stimg verify: is the stored CRC (and version, size) what patch would write? */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"

enum { VERIFY_KEY = OPT_OWN };

const struct opt verify_options[] = {
	OPT_TEXT("usage: stimg verify INPUT [--crc ALGO] [options]\n"
		 "       stimg verify INPUT [--key KEY.pem]\n"
		 "Recomputes the CRC (default stm32) over its range and compares it with\n"
		 "the stored one; exit 0 when it matches, 1 when not, and then names the\n"
		 "algorithms that do give the stored value. Also checks the version and\n"
		 "size fields when --version and --size-at are given, and the Cortex-M\n"
		 "vector table.\n"
		 "With --key, or when INPUT starts with an MCUboot header and no header\n"
		 "option is given: checks the MCUboot image (magic, sizes, TLV area,\n"
		 "hash, and with --key the key and the signature).\n"),
	OPT_BLOCK(opt_iformat),
	{ 0, "key", "KEY.pem", "the key (public or private) an MCUboot image\n"
	  "must be signed with", VERIFY_KEY, NULL },
	OPT_BLOCK(opt_verbosity),
	OPT_BLOCK(header_options),
	OPT_BLOCK(header_loc_note),
	OPT_END,
};

struct found {
	unsigned n;
};

/* An algorithm that gives the stored value: say how to ask for it. */
static void matches(void *ctx, const struct stimg_crc_model *m, bool big_endian)
{
	struct found *f = ctx;
	char lower[64];
	size_t i;

	for (i = 0; m->name[i] && i + 1 < sizeof(lower); i++)
		lower[i] = (char)tolower((unsigned char)m->name[i]);
	lower[i] = '\0';
	f->n++;
	note("stored CRC matches %s%s; did you mean --crc %s%s?", m->name,
	     big_endian ? " stored big-endian" : "", lower,
	     big_endian ? " --endian big" : "");
}

/* The SHA-256 field's check: 1 when it fails. */
static int sha256(const struct stimg_patch_result *r)
{
	char want[2 * STIMG_SHA256_SIZE + 1], have[2 * STIMG_SHA256_SIZE + 1];

	hex_text(r->sha256, STIMG_SHA256_SIZE, want);
	if (!memcmp(r->sha256, r->sha256_stored, STIMG_SHA256_SIZE)) {
		if (verbosity >= 0)
			note("SHA-256 %s of 0x%08" PRIX64 "..0x%08" PRIX64
			     " matches the one stored at 0x%08" PRIX64, want,
			     r->sha256_range.start, r->sha256_range.end - 1,
			     r->sha256_field.start);
		return 0;
	}
	error("the SHA-256 stored at 0x%08" PRIX64 " is %s; that of 0x%08" PRIX64
	      "..0x%08" PRIX64 " is %s", r->sha256_field.start,
	      hex_text(r->sha256_stored, STIMG_SHA256_SIZE, have),
	      r->sha256_range.start, r->sha256_range.end - 1, want);
	return 1;
}

/* The vector table check of info: 1 when it fails. */
static int vectors(const struct stimg_image *img)
{
	struct stimg_vectors v;

	stimg_image_vectors(img, &v);
	if (v.present && v.sp_ok && v.reset_ok) {
		if (verbosity > 0)
			note("vector table at 0x%08" PRIX32 ": initial SP 0x%08"
			     PRIX32 ", reset handler 0x%08" PRIX32, v.addr, v.sp,
			     v.reset);
		return 0;
	}
	if (!v.present)
		error("no vector table: fewer than 8 bytes at 0x%08" PRIX32,
		      v.addr);
	else
		error("no plausible vector table: at 0x%08" PRIX32 " initial SP "
		      "0x%08" PRIX32 " (%s), reset handler 0x%08" PRIX32 " (%s)",
		      v.addr, v.sp, v.sp_ok ? "plausible" : "not in RAM or not aligned",
		      v.reset, v.reset_ok ? "plausible"
					  : "not a Thumb address inside the image");
	return 1;
}

/* --key, verify's own option. */
static int key_option(void *ctx, const struct opt_parser *p, int c,
		      const char *arg)
{
	(void)p;
	(void)c;
	*(const char **)ctx = arg;
	return EXIT_OK;
}

int cmd_verify(int argc, char **argv)
{
	struct stimg_patch_result r = STIMG_PATCH_RESULT_INIT;
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct common_opts co = { NULL, NULL, NULL };
	struct header_opts h;
	struct found found = { 0 };
	struct opt_parser p;
	struct stimg_diag d;
	const char *key = NULL;
	bool go;
	int ret = EXIT_OK, err, digits = 0, bad = 0;

	header_init(&h);
	diag_init(&d);
	ret = header_parse(&p, "verify", verify_options, argc, argv, &co, &h,
			   key_option, &key, &go);
	if (!go)
		goto out;
	if (p.nargs != 1) {
		ret = usage_error("verify", "give one INPUT");
		goto out;
	}
	if (key && h.given) {
		ret = usage_error("verify", "--key checks an MCUboot image, the "
				  "header options a CRC header: give one or the "
				  "other");
		goto out;
	}
	err = stimg_read(&img, p.args[0], co.iformat, STIMG_OVERLAP_ERROR, NULL,
			 &d);
	/* an MCUboot image: said by --key, or by its header magic */
	if (!err && (key || (!h.given && stimg_mcuboot_detect_image(&img)))) {
		ret = mcuboot_verify(&img, p.args[0], key);
		goto out;
	}
	/* the CRC is checked by default, unless only a SHA-256 is asked for */
	if (!h.p.crc && (!h.p.sha256_at || h.p.crc_at)) {
		stimg_crc_parse("stm32", &h.crc, NULL);
		h.p.crc = &h.crc;
	}
	if (!err)
		err = stimg_patch_check(&img, &h.p, &r, &d);
	if (err) {
		ret = report(err, &d);
		goto out;
	}
	if (h.p.crc)
		digits = (int)(h.p.crc->width + 3) / 4;
	if (h.p.version && !r.version_ok) {
		error("the version field at 0x%08" PRIX64 " does not hold %s",
		      r.version_field.start, h.p.version);
		bad = 1;
	}
	if (h.p.size_at && !r.size_ok) {
		error("the size field at 0x%08" PRIX64 " does not hold %" PRIu32
		      ", the length of the CRC range", r.size_field.start, r.size);
		bad = 1;
	}
	if (r.has_sha256)
		bad |= sha256(&r);
	if (r.has_crc && r.crc == r.stored) {
		if (verbosity >= 0)
			note("%s 0x%0*" PRIX64 " of 0x%08" PRIX64 "..0x%08" PRIX64
			     " matches the CRC stored at 0x%08" PRIX64,
			     h.p.crc->name, digits, r.crc, r.crc_range.start,
			     r.crc_range.end - 1, r.crc_field.start);
	} else if (r.has_crc) {
		error("the CRC stored at 0x%08" PRIX64 " is 0x%0*" PRIX64 "; %s of "
		      "0x%08" PRIX64 "..0x%08" PRIX64 " is 0x%0*" PRIX64,
		      r.crc_field.start, digits, r.stored, h.p.crc->name,
		      r.crc_range.start, r.crc_range.end - 1, digits, r.crc);
		err = stimg_patch_identify(&img, &r, h.p.fill, matches, &found);
		if (!err && !found.n)
			note("no known algorithm gives the stored value over this "
			     "range");
		bad = 1;
	}
	bad |= vectors(&img);
	ret = err ? report(err, &d) : bad ? EXIT_BAD : EXIT_OK;
out:
	stimg_patch_result_release(&r);
	stimg_image_release(&img);
	header_release(&h);
	return ret;
}
