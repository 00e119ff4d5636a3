/* The header options that patch, verify and serial share. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "stimg/elf.h"

const struct opt header_options[] = {
	OPT_TEXT("header fields (by default the ELF sections .fw_version and .crc):\n"),
	{ 0, "version", "V", "1 to 4 numbers: 1.2.3.4", HDR_VERSION, NULL },
	{ 0, "version-at", "LOC", "where the version goes", HDR_VERSION_AT, NULL },
	{ 0, "version-format", "u16x4|u8x4|u32|string", "the version's form "
	  "(default: from the field's size:\n8 bytes u16x4, 4 bytes u8x4)",
	  HDR_VERSION_FORMAT, NULL },
	{ 0, "crc", "ALGO", "stm32, a CRC RevEng model or alias, custom",
	  HDR_CRC, NULL },
	{ 0, "crc-at", "LOC", "where the CRC goes", HDR_CRC_AT, NULL },
	{ 0, "crc-range", "RANGE", "what it covers (default: from the first data\n"
	  "byte above the header fields to the last)", HDR_CRC_RANGE, NULL },
	{ 0, "fill", "BYTE", "holes in the CRC range (default 0xFF)", HDR_FILL,
	  NULL },
	{ 0, "size-at", "LOC", "u32 length of the CRC range", HDR_SIZE_AT, NULL },
	{ 0, "sha256-at", "LOC", "where the SHA-256 of the CRC range goes (32\n"
	  "bytes; the range's rules hold without --crc too)", HDR_SHA256_AT, NULL },
	{ 0, "endian", "little|big", "little (default) or big, for version, size, "
	  "CRC", HDR_ENDIAN, NULL },
	OPT_END,
};

const struct opt header_loc_note[] = {
	OPT_TEXT("LOC: an address, START+SIZE, a section (.name) or a symbol\n"),
	OPT_END,
};

const struct opt header_set_options[] = {
	OPT_BLOCK(header_options),
	{ 0, "set", "LOC=TYPE:VALUE", "TYPE u8, u16, u32, u64, u16be, u32be, "
	  "u64be,\nstr or hex (repeatable; written first)", HDR_SET, NULL },
	{ 0, "force", NULL, "write a field over any bytes (by default only over\n"
	  "absent, erased (0xFF) or zero bytes, or in the section\n"
	  "its LOC names)", HDR_FORCE, NULL },
	OPT_BLOCK(header_loc_note),
	OPT_END,
};

void header_init(struct header_opts *h)
{
	memset(h, 0, sizeof(*h));
	stimg_patch_init(&h->p);
}

void header_release(struct header_opts *h)
{
	free(h->sets);
	memset(h, 0, sizeof(*h));
}

int header_option(const struct opt_parser *op, int c, const char *arg,
		  struct header_opts *h)
{
	const char *cmd = op->cmd;
	struct stimg_patch *p = &h->p;
	uint64_t v = 0;
	int ret = EXIT_OK;

	h->given++;
	switch (c) {
	case HDR_VERSION:
		p->version = arg;
		break;
	case HDR_VERSION_AT:
		p->version_at = arg;
		break;
	case HDR_VERSION_FORMAT:
		if (!stimg_version_format_parse(arg, &p->version_format))
			ret = usage_error(cmd, "--version-format: '%s' is not "
					  "u16x4, u8x4, u32 or string", arg);
		break;
	case HDR_CRC:
		ret = opt_crc_algo(cmd, "--crc", arg, &h->crc);
		p->crc = &h->crc;
		break;
	case HDR_CRC_AT:
		p->crc_at = arg;
		break;
	case HDR_CRC_RANGE:
		ret = opt_range(cmd, "--crc-range", arg, &p->crc_range);
		p->has_crc_range = true;
		break;
	case HDR_FILL:
		ret = opt_number(cmd, "--fill", arg, 0xFF, &v);
		p->fill = (uint8_t)v;
		break;
	case HDR_ENDIAN:
		if (strcmp(arg, "little") && strcmp(arg, "big"))
			ret = usage_error(cmd, "--endian: '%s' is not little or "
					  "big", arg);
		p->big_endian = !strcmp(arg, "big");
		break;
	case HDR_SIZE_AT:
		p->size_at = arg;
		break;
	case HDR_SHA256_AT:
		p->sha256_at = arg;
		break;
	case HDR_FORCE:
		p->force = true;
		break;
	case HDR_SET: {
		const char **s = realloc(h->sets, (h->nsets + 2) * sizeof(*s));

		if (!s)
			return EXIT_IO;
		h->sets = s;
		s[h->nsets++] = arg;
		p->sets = s;
		p->nsets = h->nsets;
		break;
	}
	default:
		ret = opt_unhandled(op, c);
	}
	return ret;
}

int header_parse(struct opt_parser *p, const char *cmd, const struct opt *opts,
		 int argc, char **argv, struct common_opts *co,
		 struct header_opts *h,
		 int (*own)(void *ctx, const struct opt_parser *p, int c,
			    const char *arg),
		 void *ctx, bool *go)
{
	char *arg;
	int c, ret = EXIT_OK;

	*go = false;
	opt_init(p, cmd, opts, argc, argv);
	while (!ret && (c = opt_next(p, &arg)) > 0) {
		if (common_option(c, arg, co))
			continue;
		ret = own && c >= OPT_OWN ? own(ctx, p, c, arg)
					  : header_option(p, c, arg, h);
	}
	if (ret)
		return ret;
	if (c == OPT_STOP)
		return p->status;
	*go = true;
	return EXIT_OK;
}

void header_padding_note(const struct stimg_patch_result *r)
{
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < r->padding.n; i++)
		n += r->padding.v[i].end - r->padding.v[i].start;
	if (n)
		note("%" PRIu64 " bytes of the CRC range lie in no section, the "
		     "first at 0x%08" PRIX64 "..0x%08" PRIX64 ": padding that the "
		     "segments hold and the CRC covers; flash the segments (this "
		     "output, or a loader that writes segments): a loader that "
		     "writes only sections (GDB load, an objcopy -j HEX) leaves "
		     "them erased and the CRC fails", n, r->padding.v[0].start,
		     r->padding.v[0].end - 1);
}

int header_write(struct stimg_image *img, const char *input,
		 const struct stimg_format *in_fmt, const char *output,
		 const struct stimg_format *fmt, const struct header_opts *h,
		 const struct stimg_patch_result *r, struct stimg_diag *d)
{
	struct stimg_write_opts w;
	uint64_t n = 0;
	size_t i;

	if (!(fmt->flags & STIMG_FORMAT_PATCH_IN_PLACE)) {
		int ret = stimg_patch_fill(img, r, h->p.fill);

		stimg_write_opts_init(&w, fmt);
		return ret ? ret : stimg_write(img, output, &w, d);
	}
	if (in_fmt != fmt)
		return diag_fail(d, STIMG_EINVAL, "ELF output needs an ELF input; "
				 "write %s as ihex, srec or bin", input);
	if (!strcmp(input, "-"))
		return diag_fail(d, STIMG_EINVAL, "an ELF file read from standard "
				 "input cannot be patched in place; give its name");
	for (i = 0; i < r->filled.n; i++)
		n += r->filled.v[i].end - r->filled.v[i].start;
	if (n)
		note("%" PRIu64 " bytes of the CRC range hold no data and were "
		     "counted as 0x%02X; an ELF file cannot carry them: flash "
		     "them erased%s, or write HEX/BIN", n, h->p.fill,
		     h->p.fill == 0xFF ? "" : " to that value");
	return stimg_elf_patch(input, output, img, &r->fields, d);
}
