/* stimg patch: version, size, CRC and other fields into the image. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"

const struct opt patch_options[] = {
	OPT_TEXT("usage: stimg patch INPUT -o OUTPUT [--version V] [--crc ALGO] [options]\n"
		 "Writes the --set values, the version, the size and then the CRC into\n"
		 "the image; an ELF output (-o app.elf, or the input itself) changes only\n"
		 "those bytes of the file.\n"),
	{ 'o', "output", "OUTPUT", "the output; may be INPUT", 'o', NULL },
	{ 'O', NULL, "FORMAT", "the output format (default: OUTPUT's\n"
	  "extension, else INPUT's format)", 'O', NULL },
	OPT_BLOCK(opt_iformat),
	OPT_BLOCK(opt_verbosity),
	OPT_BLOCK(header_set_options),
	OPT_END,
};

/* What was written where: one note. */
static void summary(const struct stimg_patch *p,
		    const struct stimg_patch_result *r, const char *output)
{
	char crc[80] = "", size[80] = "", version[120] = "", sha[160] = "";
	char hex[2 * STIMG_SHA256_SIZE + 1];

	if (p->version)
		snprintf(version, sizeof(version), "; version %s at 0x%08" PRIX64,
			 p->version, r->version_field.start);
	if (p->size_at)
		snprintf(size, sizeof(size), "; size %" PRIu32 " at 0x%08" PRIX64,
			 r->size, r->size_field.start);
	if (r->has_sha256)
		snprintf(sha, sizeof(sha), "; SHA-256 %s of 0x%08" PRIX64 "..0x%08"
			 PRIX64 " at 0x%08" PRIX64,
			 hex_text(r->sha256, STIMG_SHA256_SIZE, hex),
			 r->sha256_range.start, r->sha256_range.end - 1,
			 r->sha256_field.start);
	if (r->has_crc)
		snprintf(crc, sizeof(crc), "; %s 0x%0*" PRIX64 " of 0x%08" PRIX64
			 "..0x%08" PRIX64 " at 0x%08" PRIX64, p->crc->name,
			 (int)(p->crc->width + 3) / 4, r->crc, r->crc_range.start,
			 r->crc_range.end - 1, r->crc_field.start);
	note("patched %s%s%s%s%s%s", strcmp(output, "-") ? output
							: "standard output",
	     version, size, sha, crc,
	     p->nsets ? "; --set values" : "");
}

int cmd_patch(int argc, char **argv)
{
	const struct stimg_format *in_fmt = NULL, *fmt = NULL;
	struct stimg_patch_result r = STIMG_PATCH_RESULT_INIT;
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct common_opts co = { NULL, NULL, NULL };
	struct header_opts h;
	struct opt_parser p;
	struct stimg_diag d;
	bool go;
	int ret = EXIT_OK, err;

	header_init(&h);
	diag_init(&d);
	ret = header_parse(&p, "patch", patch_options, argc, argv, &co, &h, NULL,
			   NULL, &go);
	if (!go)
		goto out;
	if (p.nargs != 1) {
		ret = usage_error("patch", "give one INPUT");
		goto out;
	}
	if (!co.output) {
		ret = usage_error("patch", "no output: give -o OUTPUT (it may be "
				  "the input)");
		goto out;
	}
	if (!h.p.version && !h.p.crc && !h.p.size_at && !h.p.sha256_at &&
	    !h.nsets) {
		ret = usage_error("patch", "nothing to patch: give --version, "
				  "--crc, --sha256-at, --size-at or --set");
		goto out;
	}
	err = stimg_read(&img, p.args[0], co.iformat, STIMG_OVERLAP_ERROR,
			 &in_fmt, &d);
	if (!err) {
		ret = opt_output_format("patch", co.oformat, co.output, in_fmt, &fmt);
		if (ret)
			goto out;
		err = stimg_patch_apply(&img, &h.p, &r, &d);
	}
	if (!err)
		err = header_write(&img, p.args[0], in_fmt, co.output, fmt, &h, &r,
				   &d);
	if (err) {
		ret = report(err, &d);
	} else if (verbosity >= 0) {
		summary(&h.p, &r, co.output);
		header_padding_note(&r);
	}
out:
	stimg_patch_result_release(&r);
	stimg_image_release(&img);
	header_release(&h);
	return ret;
}
