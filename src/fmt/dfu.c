/*
 * DfuSe (.dfu): ST's DFU file, which dfu-util and STM32CubeProgrammer
 * flash without being told an address. All little-endian:
 *
 *   prefix   "DfuSe", u8 version 1, u32 image size, u8 targets     11 bytes
 *   target   "Target", u8 alternate setting, u32 named, 255-byte
 *            NUL-padded name, u32 target size, u32 elements       274 bytes
 *   element  u32 address, u32 size, then the bytes                  8 + size
 *   suffix   u16 bcdDevice, u16 idProduct, u16 idVendor, u16 bcdDFU
 *            0x011A, "UFD", u8 length 16, u32 CRC                 16 bytes
 *
 * The image size counts the prefix and the targets, a target's size its
 * elements with their headers; the CRC is CRC-32/JAMCRC of every byte
 * before it. One target, one element per region, is what this writes;
 * reading takes every target, checks every size and the CRC, and names
 * the offset of what is wrong. Both stream: memory follows the data.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "fmt/fmt.h"
#include "stimg/crc.h"

#define PREFIX_SIZE 11
#define TARGET_SIZE 274
#define ELEMENT_SIZE 8
#define SUFFIX_SIZE 16
#define NAME_SIZE 255
#define BCD_DFUSE 0x011A

struct dfu_opts {
	uint16_t vid, pid, device;
	uint8_t alt;
	char name[NAME_SIZE + 1];	/* NUL-terminated */
};

_Static_assert(sizeof(struct dfu_opts) <= STIMG_FORMAT_OPTS_SIZE,
	       "dfu options fit stimg_write_opts");

static bool dfu_detect(const uint8_t *buf, size_t len)
{
	return len >= 5 && !memcmp(buf, "DfuSe", 5);
}

/* The input as read so far: its offset, and the CRC of its bytes. */
struct dfu_in {
	struct stimg_input *in;
	uint64_t off;		/* of in->buf[in->pos] */
	struct stimg_crc crc;
};

/* Makes n bytes of what (at the current offset) ready, or says where the
 * file ends. */
static int need(struct dfu_in *r, size_t n, const char *what,
		struct stimg_diag *d)
{
	struct stimg_input *in = r->in;
	int ret = STIMG_OK;

	while (!ret && in->len - in->pos < n && !in->eof)
		ret = stimg_input_fill(in, d);
	if (!ret && in->len - in->pos < n)
		ret = diag_set(d, in->name, 0, STIMG_EFORMAT, "offset 0x%" PRIX64
			       ": the file ends inside %s (%zu of its %zu "
			       "bytes)", r->off, what, in->len - in->pos, n);
	return ret;
}

/* The next n bytes (made ready by need), counted into the CRC. */
static const uint8_t *take(struct dfu_in *r, size_t n)
{
	const uint8_t *p = r->in->buf + r->in->pos;

	stimg_crc_update(&r->crc, p, n);
	r->in->pos += n;
	r->off += n;
	return p;
}

/* Element e's size bytes at addr, given to the sink as they come. */
static int read_data(struct dfu_in *r, const struct stimg_sink *k, uint32_t e,
		     uint32_t addr, uint32_t size, struct stimg_diag *d)
{
	struct stimg_input *in = r->in;
	uint64_t done = 0;
	int ret = STIMG_OK;

	while (!ret && done < size) {
		size_t n = in->len - in->pos;

		if (!n && in->eof)
			return diag_set(d, in->name, 0, STIMG_EFORMAT, "offset 0x%"
					PRIX64 ": the file ends inside element %"
					PRIu32 "'s data (%" PRIu64 " of its %"
					PRIu32 " bytes)", r->off, e, done, size);
		if (!n) {
			ret = stimg_input_fill(in, d);
			continue;
		}
		if (n > size - done)
			n = (size_t)(size - done);
		ret = k->data(k->ctx, (uint64_t)addr + done, in->buf + in->pos,
			      n, 0, 0, d);
		take(r, n);
		done += n;
	}
	return ret;
}

/* Target t: its header and elements; *elements counts them. */
static int read_target(struct dfu_in *r, const struct stimg_sink *k,
		       unsigned t, uint64_t *elements, struct stimg_diag *d)
{
	const char *file = r->in->name;
	char name[NAME_SIZE + 1], shown[4 * NAME_SIZE + 1], what[64], value[1200];
	uint64_t start = r->off, at, left;
	uint32_t size, n, e;
	const uint8_t *p;
	int ret;

	snprintf(what, sizeof(what), "target %u's header", t);
	ret = need(r, TARGET_SIZE, what, d);
	if (ret)
		return ret;
	p = take(r, TARGET_SIZE);
	if (memcmp(p, "Target", 6))
		return diag_set(d, file, 0, STIMG_EFORMAT, "offset 0x%" PRIX64
				": target %u does not start with \"Target\"",
				start, t);
	memcpy(name, p + 11, NAME_SIZE);
	name[NAME_SIZE] = '\0';
	size = get_le32(p + 266);
	n = get_le32(p + 270);
	if (get_le32(p + 7))
		snprintf(value, sizeof(value), "alt %u, '%s', %" PRIu32
			 " element%s", p[6], stimg_escape(name, shown,
			 sizeof(shown)), n, n == 1 ? "" : "s");
	else
		snprintf(value, sizeof(value), "alt %u, no name, %" PRIu32
			 " element%s", p[6], n, n == 1 ? "" : "s");
	snprintf(what, sizeof(what), "target %u", t);
	ret = k->attr(k->ctx, what, value);
	left = size;
	for (e = 0; !ret && e < n; e++) {
		uint32_t addr, len;

		at = r->off;
		snprintf(what, sizeof(what), "element %" PRIu32 "'s header", e);
		ret = need(r, ELEMENT_SIZE, what, d);
		if (ret)
			break;
		if (left < ELEMENT_SIZE)
			return diag_set(d, file, 0, STIMG_EFORMAT, "offset 0x%"
					PRIX64 ": element %" PRIu32 " of target %u "
					"lies past the target's size, %" PRIu32,
					at, e, t, size);
		p = take(r, ELEMENT_SIZE);
		addr = get_le32(p);
		len = get_le32(p + 4);
		if (len > left - ELEMENT_SIZE)
			return diag_set(d, file, 0, STIMG_EFORMAT, "offset 0x%"
					PRIX64 ": element %" PRIu32 " of target %u "
					"is %" PRIu32 " bytes, more than the %"
					PRIu64 " left of the target's size, %"
					PRIu32, at + 4, e, t, len,
					left - ELEMENT_SIZE, size);
		if ((uint64_t)addr + len > STIMG_ADDR_END)
			return diag_set(d, file, 0, STIMG_ERANGE, "offset 0x%"
					PRIX64 ": element %" PRIu32 " at 0x%08"
					PRIX32 " of %" PRIu32 " bytes runs past "
					"4 GiB", at, e, addr, len);
		left -= ELEMENT_SIZE + (uint64_t)len;
		ret = read_data(r, k, e, addr, len, d);
	}
	if (!ret && left)
		ret = diag_set(d, file, 0, STIMG_EFORMAT, "offset 0x%" PRIX64
			       ": target %u's size is %" PRIu32 ", but its %"
			       PRIu32 " element%s take %" PRIu64, start + 266, t,
			       size, n, n == 1 ? "" : "s", size - left);
	*elements += n;
	return ret;
}

/* The suffix: the 16 last bytes, after the targets. */
static int read_suffix(struct dfu_in *r, const struct stimg_sink *k,
		       struct stimg_diag *d)
{
	const char *file = r->in->name;
	uint64_t at = r->off, more = 0, crc = 0;
	uint32_t stored;
	uint8_t p[SUFFIX_SIZE];
	char value[40];
	int ret;

	ret = need(r, SUFFIX_SIZE, "the 16-byte suffix", d);
	if (ret)
		return ret;
	/* a copy: the fills below may move the input's buffer */
	memcpy(p, take(r, SUFFIX_SIZE - 4), SUFFIX_SIZE - 4);
	memcpy(p + 12, r->in->buf + r->in->pos, 4);
	stored = get_le32(p + 12);
	r->in->pos += 4;
	r->off += 4;
	while (!ret && !r->in->eof) {
		more += r->in->len - r->in->pos;
		r->in->pos = r->in->len;
		ret = stimg_input_fill(r->in, d);
	}
	more += r->in->len - r->in->pos;
	if (ret)
		return ret;
	if (more)
		return diag_set(d, file, 0, STIMG_EFORMAT, "offset 0x%" PRIX64
				": %" PRIu64 " bytes after the targets, not the "
				"16-byte suffix (or the image size is wrong)",
				at, more + SUFFIX_SIZE);
	if (p[11] != SUFFIX_SIZE)
		return diag_set(d, file, 0, STIMG_EFORMAT, "offset 0x%" PRIX64
				": the suffix's length is %u, expected 16",
				at + 11, p[11]);
	if (memcmp(p + 8, "UFD", 3))
		return diag_set(d, file, 0, STIMG_EFORMAT, "offset 0x%" PRIX64
				": the suffix's signature is not \"UFD\"", at + 8);
	if (get_le16(p + 6) != BCD_DFUSE)
		return diag_set(d, file, 0, STIMG_EFORMAT, "offset 0x%" PRIX64
				": bcdDFU is 0x%04X, expected 0x011A (DfuSe)",
				at + 6, get_le16(p + 6));
	stimg_crc_final(&r->crc, &crc, NULL, NULL);
	if (stored != crc)
		return diag_set(d, file, 0, STIMG_ECHECK, "offset 0x%" PRIX64
				": CRC is 0x%08" PRIX32 ", expected 0x%08" PRIX32,
				at + 12, stored, (uint32_t)crc);
	snprintf(value, sizeof(value), "0x%04X:0x%04X", get_le16(p + 4),
		 get_le16(p + 2));
	ret = k->attr(k->ctx, "vid:pid", value);
	snprintf(value, sizeof(value), "0x%04X", get_le16(p));
	if (!ret)
		ret = k->attr(k->ctx, "device", value);
	return ret;
}

static int dfu_read(struct stimg_input *in, const struct stimg_sink *k,
		    const struct stimg_read_opts *o, struct stimg_diag *d)
{
	struct dfu_in r;
	uint64_t elements = 0;
	uint32_t size;
	const uint8_t *p;
	char value[24];
	unsigned t, targets;
	int ret;

	(void)o;
	memset(&r, 0, sizeof(r));
	r.in = in;
	ret = stimg_crc_init(&r.crc, stimg_crc_find("CRC-32/JAMCRC"),
			     STIMG_CRC_AUTO);
	if (!ret)
		ret = need(&r, PREFIX_SIZE, "the 11-byte prefix", d);
	if (ret)
		goto out;
	p = take(&r, PREFIX_SIZE);
	size = get_le32(p + 6);
	targets = p[10];
	if (memcmp(p, "DfuSe", 5)) {
		ret = diag_set(d, in->name, 0, STIMG_EFORMAT, "offset 0x0: the "
			       "file does not start with \"DfuSe\"");
		goto out;
	}
	if (p[5] != 1) {
		ret = diag_set(d, in->name, 0, STIMG_EFORMAT, "offset 0x5: "
			       "DfuSe version %u, expected 1", p[5]);
		goto out;
	}
	snprintf(value, sizeof(value), "%u", targets);
	ret = k->attr(k->ctx, "targets", value);
	for (t = 0; !ret && t < targets; t++)
		ret = read_target(&r, k, t, &elements, d);
	if (!ret && r.off != size)
		ret = diag_set(d, in->name, 0, STIMG_EFORMAT, "offset 0x6: the "
			       "image size is %" PRIu32 ", but the targets end "
			       "at %" PRIu64, size, r.off);
	snprintf(value, sizeof(value), "%" PRIu64, elements);
	if (!ret)
		ret = k->attr(k->ctx, "elements", value);
	if (!ret)
		ret = read_suffix(&r, k, d);
out:
	stimg_crc_release(&r.crc);
	return ret;
}

/* The output, and the CRC of what is written. */
struct dfu_out {
	FILE *f;
	struct stimg_crc crc;
	int err;
};

static int put(void *ctx, const uint8_t *p, size_t n)
{
	struct dfu_out *w = ctx;

	if (!w->err && fwrite(p, 1, n, w->f) != n)
		w->err = STIMG_EIO;
	stimg_crc_update(&w->crc, p, n);
	return w->err;
}

static int dfu_write(const struct stimg_image *img, FILE *f, const void *opts,
		     struct stimg_diag *d)
{
	const struct dfu_opts *o = opts;
	struct dfu_out w;
	uint8_t head[PREFIX_SIZE + TARGET_SIZE], suffix[SUFFIX_SIZE], *p;
	uint64_t at = 0, size = 0, n = 0, crc = 0;
	struct stimg_range r;
	int ret;

	if (strnlen(o->name, sizeof(o->name)) > NAME_SIZE)
		return diag_set(d, NULL, 0, STIMG_EINVAL, "--dfu-name: longer "
				"than 255 bytes");
	while (stimg_image_next_region(img, &at, &r)) {
		size += ELEMENT_SIZE + (r.end - r.start);
		n++;
	}
	if (PREFIX_SIZE + TARGET_SIZE + size > UINT32_MAX)
		return diag_set(d, NULL, 0, STIMG_ECHECK, "a DfuSe file of this "
				"image would be %" PRIu64 " bytes, more than its "
				"32-bit sizes hold", PREFIX_SIZE + TARGET_SIZE +
				size);
	memset(&w, 0, sizeof(w));
	w.f = f;
	ret = stimg_crc_init(&w.crc, stimg_crc_find("CRC-32/JAMCRC"),
			     STIMG_CRC_AUTO);
	if (ret)
		goto out;
	memset(head, 0, sizeof(head));
	memcpy(head, "DfuSe", 5);
	head[5] = 1;
	put_le32(head + 6, (uint32_t)(PREFIX_SIZE + TARGET_SIZE + size));
	head[10] = 1;
	p = head + PREFIX_SIZE;
	memcpy(p, "Target", 6);
	p[6] = o->alt;
	put_le32(p + 7, 1);
	memcpy(p + 11, o->name, strlen(o->name));
	put_le32(put_le32(p + 266, (uint32_t)size), (uint32_t)n);
	put(&w, head, sizeof(head));
	for (at = 0; !w.err && stimg_image_next_region(img, &at, &r);) {
		uint8_t e[ELEMENT_SIZE];

		put_le32(put_le32(e, (uint32_t)r.start), (uint32_t)(r.end - r.start));
		if (!put(&w, e, sizeof(e)))
			stimg_image_walk(img, &r, 0xFF, put, &w);
	}
	p = put_le16(put_le16(put_le16(put_le16(suffix, o->device), o->pid), o->vid),
		  BCD_DFUSE);
	memcpy(p, "UFD", 3);
	p[3] = SUFFIX_SIZE;
	put(&w, suffix, SUFFIX_SIZE - 4);
	stimg_crc_final(&w.crc, &crc, NULL, NULL);
	put_le32(suffix, (uint32_t)crc);
	if (!w.err && fwrite(suffix, 1, 4, f) != 4)
		w.err = STIMG_EIO;
	ret = w.err;
out:
	stimg_crc_release(&w.crc);
	return ret;
}

static void dfu_opts_init(void *opts)
{
	struct dfu_opts *o = opts;

	memset(o, 0, sizeof(*o));
	o->vid = 0x0483;
	o->pid = 0xDF11;
	o->device = 0xFFFF;
	strcpy(o->name, "ST...");
}

static int dfu_opts_set(void *opts, const char *name, const char *value,
			struct stimg_diag *d)
{
	struct dfu_opts *o = opts;
	uint64_t v = 0;
	int ret;

	if (!strcmp(name, "dfu-name")) {
		if (strlen(value) > NAME_SIZE)
			return diag_set(d, NULL, 0, STIMG_EINVAL, "--dfu-name: "
					"%zu bytes, more than the 255 a DfuSe "
					"target's name holds", strlen(value));
		strcpy(o->name, value);
		return STIMG_OK;
	}
	ret = format_opt_number(name, value, strcmp(name, "dfu-alt") ? 0xFFFF
								   : 0xFF, &v, d);
	if (ret)
		return ret;
	if (!strcmp(name, "dfu-alt"))
		o->alt = (uint8_t)v;
	else if (!strcmp(name, "dfu-vid"))
		o->vid = (uint16_t)v;
	else if (!strcmp(name, "dfu-pid"))
		o->pid = (uint16_t)v;
	else
		o->device = (uint16_t)v;
	return STIMG_OK;
}

static const char *const dfu_extensions[] = { ".dfu", NULL };

static const struct stimg_format_option dfu_options[] = {
	{ "dfu-alt", "N", "the target's alternate setting (0)" },
	{ "dfu-name", "NAME", "the target's name (ST...)" },
	{ "dfu-vid", "ID", "the suffix's USB vendor ID (0x0483)" },
	{ "dfu-pid", "ID", "the suffix's USB product ID (0xDF11)" },
	{ "dfu-device", "BCD", "the suffix's bcdDevice (0xFFFF)" },
	{ NULL, NULL, NULL },
};

const struct stimg_format stimg__fmt_dfu = {
	.name = "dfu",
	.title = "DfuSe",
	.extensions = dfu_extensions,
	.hint = "dfu-util -a 0 -D %s   (with --dfu-alt N: -a N)\n"
		"STM32_Programmer_CLI -c port=usb1 -w %s\n",
	.detect = dfu_detect,
	.read = dfu_read,
	.write = dfu_write,
	.options = dfu_options,
	.opts_init = dfu_opts_init,
	.opts_set = dfu_opts_set,
};
