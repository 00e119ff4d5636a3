/*
 * UF2 (.uf2): what a UF2 bootloader takes when the file is copied to the
 * USB drive it shows (tinyuf2 on STM32, and many others). 512-byte blocks,
 * all fields little-endian u32:
 *
 *   0 magic 0x0A324655 ("UF2\n")   4 magic 0x9E5D5157   8 flags
 *  12 target address   16 payload size   20 block number (from 0)
 *  24 blocks in the file   28 family ID (flag 0x2000)
 *  32 476 data bytes (the payload first, the rest zero)   508 magic 0x0AB16F30
 *
 * Written: one block per 256-byte-aligned page that holds data, in address
 * order, 256-byte payloads (the page's holes 0xFF, erased flash), flag
 * 0x2000 with the family --uf2-family names. Read: magics, payload sizes
 * and numbering checked (a file may be several numbered parts one after
 * another, as concatenated UF2 files are); blocks marked "not main flash"
 * (flag 0x1) are skipped with a note; a file of several families needs
 * one picked (-I uf2:FAMILY).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fmt/fmt.h"

#define BLOCK_SIZE 512
#define DATA_MAX 476
#define PAGE 256
#define MAGIC0 0x0A324655u
#define MAGIC1 0x9E5D5157u
#define MAGIC_END 0x0AB16F30u
#define NOT_MAIN_FLASH 0x1u
#define FILE_CONTAINER 0x1000u
#define HAS_FAMILY 0x2000u
/* the family key of a block without flag 0x2000 */
#define NO_FAMILY 0x100000000ull

/* The UF2 project's family IDs (utils/uf2families.json), by short name. */
static const struct family {
	const char *name;
	uint32_t id;
} families[] = {
	{ "at32f415", 0xA0C97B8E },
	{ "atmega32", 0x16573617 },
	{ "bk7231n", 0x7B3EF230 },
	{ "bk7231u", 0x675A40B0 },
	{ "bk7251", 0x6A82CC42 },
	{ "bl602", 0xDE1270B7 },
	{ "ch32v", 0x699B62EC },
	{ "csk4", 0x4F6ACE52 },
	{ "csk6", 0x6E7348A8 },
	{ "esp32", 0x1C5F21B0 },
	{ "esp32c2", 0x2B88D29C },
	{ "esp32c3", 0xD42BA06C },
	{ "esp32c5", 0xF71C0343 },
	{ "esp32c6", 0x540DDF62 },
	{ "esp32c61", 0x77D850C4 },
	{ "esp32h2", 0x332726F6 },
	{ "esp32h21", 0xB6DD00AF },
	{ "esp32h4", 0x9E0BAA8A },
	{ "esp32p4", 0x3D308E94 },
	{ "esp32s2", 0xBFDD4EEE },
	{ "esp32s3", 0xC47E5767 },
	{ "esp32s31", 0x3101F7C1 },
	{ "esp8266", 0x7EAB61ED },
	{ "fx2", 0x5A18069B },
	{ "gd32f350", 0x31D228C6 },
	{ "gd32vf103", 0x9AF03E33 },
	{ "kl32l2", 0x7F83E793 },
	{ "lpc55", 0x2ABC77EC },
	{ "m0sense", 0x11DE784A },
	{ "maixplay-u4", 0x4B684D71 },
	{ "max32650", 0xD63F8632 },
	{ "max32666", 0xF0C30D71 },
	{ "max32690", 0x7410520A },
	{ "max78002", 0x91D3FD18 },
	{ "mimxrt10xx", 0x4FB2D5BD },
	{ "nrf52", 0x1B57745F },
	{ "nrf52820", 0x820D9A5F },
	{ "nrf52832xxaa", 0x72721D4E },
	{ "nrf52832xxab", 0x6F752678 },
	{ "nrf52833", 0x621E937A },
	{ "nrf52840", 0xADA52840 },
	{ "py32f071-uvk5-v3", 0x7D7A66EF },
	{ "ra4m1", 0x7BE8976D },
	{ "rp2040", 0xE48BFF56 },
	{ "rp2350_arm_ns", 0xE48BFF5B },
	{ "rp2350_arm_s", 0xE48BFF59 },
	{ "rp2350_riscv", 0xE48BFF5A },
	{ "rp2xxx_absolute", 0xE48BFF57 },
	{ "rp2xxx_data", 0xE48BFF58 },
	{ "rtl8710a", 0x9FFFD543 },
	{ "rtl8710b", 0x22E0D6FC },
	{ "rtl8720c", 0xE08F7564 },
	{ "rtl8720d", 0x3379CFE2 },
	{ "rza1lu", 0x9517422F },
	{ "samd21", 0x68ED2B88 },
	{ "samd51", 0x55114460 },
	{ "saml21", 0x1851780A },
	{ "stm32f0", 0x647824B6 },
	{ "stm32f1", 0x5EE21072 },
	{ "stm32f2", 0x5D1A0A2E },
	{ "stm32f3", 0x6B846188 },
	{ "stm32f4", 0x57755A57 },
	{ "stm32f407", 0x6D0922FA },
	{ "stm32f407vg", 0x8FB060FE },
	{ "stm32f411xc", 0x06D1097B },
	{ "stm32f411xe", 0x2DC309C5 },
	{ "stm32f7", 0x53B80F00 },
	{ "stm32g0", 0x300F5633 },
	{ "stm32g4", 0x4C71240A },
	{ "stm32h5", 0x4E8F1C5D },
	{ "stm32h7", 0x6DB66082 },
	{ "stm32l0", 0x202E3A91 },
	{ "stm32l1", 0x1E1F432D },
	{ "stm32l4", 0x00FF6919 },
	{ "stm32l5", 0x04240BDF },
	{ "stm32wb", 0x70D16653 },
	{ "stm32wl", 0x21460FF0 },
	{ "xr809", 0x51E903A8 },
};

/* family's name, or NULL when the table has none. */
static const char *family_name(uint64_t family)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(families); i++)
		if (families[i].id == family)
			return families[i].name;
	return NULL;
}

/* A family by name (any case) or number. */
static bool family_parse(const char *s, uint32_t *id)
{
	uint64_t v;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(families); i++)
		if (!strcasecmp(families[i].name, s)) {
			*id = families[i].id;
			return true;
		}
	if (stimg_parse_number(s, UINT32_MAX, &v))
		return false;
	*id = (uint32_t)v;
	return true;
}

/* "stm32f4 (0x57755A57)", "0x12345678" or "none", into buf. */
static const char *family_text(uint64_t family, char *buf, size_t n)
{
	const char *name = family_name(family);

	if (family == NO_FAMILY)
		snprintf(buf, n, "none");
	else if (name)
		snprintf(buf, n, "%s (0x%08" PRIX32 ")", name, (uint32_t)family);
	else
		snprintf(buf, n, "0x%08" PRIX32, (uint32_t)family);
	return buf;
}

/* "at32f415, atmega32, ...": every name, into buf. */
static const char *family_names(char *buf, size_t n)
{
	size_t i, at = 0;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(families) && at < n; i++)
		at += (size_t)snprintf(buf + at, n - at, "%s%s", i ? ", " : "",
				       families[i].name);
	return buf;
}

static bool uf2_detect(const uint8_t *buf, size_t len)
{
	return len >= 8 && get_le32(buf) == MAGIC0 && get_le32(buf + 4) == MAGIC1;
}

#define MAX_SEEN 8

/* What reading has seen so far. */
struct uf2_in {
	const char *file;
	uint64_t off;			/* of the block being read */
	uint32_t block;			/* its index in the file */
	uint32_t next, count;		/* the part being read: the block
					   number due, its blocks (0: none) */
	bool has_want;			/* -I uf2:FAMILY: want */
	uint64_t want;
	uint64_t seen[MAX_SEEN];	/* families of main-flash blocks */
	size_t nseen;
	bool more;			/* and more than MAX_SEEN */
	uint64_t taken, not_flash, other;
};

/* Checks one block's header fields and numbering. */
static int check_block(struct uf2_in *s, const uint8_t *b,
		       struct stimg_diag *d)
{
	uint32_t no = get_le32(b + 20), count = get_le32(b + 24);
	static const struct {
		unsigned at;
		uint32_t magic;
		const char *which;
	} magics[] = {
		{ 0, MAGIC0, "first" }, { 4, MAGIC1, "second" },
		{ 508, MAGIC_END, "final" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(magics); i++)
		if (get_le32(b + magics[i].at) != magics[i].magic)
			return diag_set(d, s->file, 0, STIMG_EFORMAT, "offset 0x%"
					PRIX64 ": block %" PRIu32 "'s %s magic "
					"number is 0x%08" PRIX32 ", expected 0x%08"
					PRIX32, s->off + magics[i].at, s->block,
					magics[i].which, get_le32(b + magics[i].at),
					magics[i].magic);
	if (get_le32(b + 16) > DATA_MAX)
		return diag_set(d, s->file, 0, STIMG_EFORMAT, "offset 0x%" PRIX64
				": block %" PRIu32 "'s payload is %" PRIu32
				" bytes, more than the 476 a block holds",
				s->off + 16, s->block, get_le32(b + 16));
	if (no != (s->count ? s->next : 0))
		return diag_set(d, s->file, 0, STIMG_EFORMAT, "offset 0x%" PRIX64
				": block %" PRIu32 " is numbered %" PRIu32
				", expected %" PRIu32, s->off + 20, s->block, no,
				s->count ? s->next : 0);
	if (s->count && count != s->count)
		return diag_set(d, s->file, 0, STIMG_EFORMAT, "offset 0x%" PRIX64
				": block %" PRIu32 " gives the file %" PRIu32
				" blocks, the blocks before it %" PRIu32,
				s->off + 24, s->block, count, s->count);
	if (count <= no)
		return diag_set(d, s->file, 0, STIMG_EFORMAT, "offset 0x%" PRIX64
				": block %" PRIu32 " gives the file %" PRIu32
				" blocks, too few for its number %" PRIu32,
				s->off + 24, s->block, count, no);
	s->count = count;
	s->next = no + 1;
	if (s->next == s->count)
		s->count = 0;	/* the part is whole; another may follow */
	if (get_le32(b + 8) & FILE_CONTAINER)
		return diag_set(d, s->file, 0, STIMG_EFORMAT, "offset 0x%" PRIX64
				": block %" PRIu32 " is part of a file container "
				"(flag 0x1000), not a flash image", s->off + 8,
				s->block);
	return STIMG_OK;
}

/* Whether the block's bytes go to the image: its family is the one. */
static bool take_block(struct uf2_in *s, uint64_t family)
{
	size_t i;

	for (i = 0; i < s->nseen && s->seen[i] != family; i++)
		;
	if (i == s->nseen && i < MAX_SEEN)
		s->seen[s->nseen++] = family;
	s->more |= i == MAX_SEEN;
	if (s->has_want)
		return family == s->want;
	/* the first family seen, until a second shows */
	return s->nseen == 1;
}

/* "stm32f4 (0x57755A57), rp2040 (0xE48BFF56)": the families seen. */
static const char *seen_text(const struct uf2_in *s, char *buf, size_t n)
{
	char one[40];
	size_t i, at = 0;

	buf[0] = '\0';
	for (i = 0; i < s->nseen && at < n; i++)
		at += (size_t)snprintf(buf + at, n - at, "%s%s", i ? ", " : "",
				       family_text(s->seen[i], one, sizeof(one)));
	if (s->more && at < n)
		snprintf(buf + at, n - at, ", ...");
	return buf;
}

/* After the last block: what was read, or what is wrong with it. */
static int finish(struct uf2_in *s, const struct stimg_sink *k,
		  struct stimg_diag *d)
{
	char list[400], value[64];
	int ret;

	if (s->count)
		return diag_set(d, s->file, 0, STIMG_EFORMAT, "offset 0x%" PRIX64
				": the file ends after block %" PRIu32 " of %"
				PRIu32, s->off, s->next - 1, s->count);
	if (!s->has_want && s->nseen > 1)
		return diag_set(d, s->file, 0, STIMG_EFORMAT, "blocks of several "
				"families: %s; pick one with -I uf2:FAMILY",
				seen_text(s, list, sizeof(list)));
	if (s->has_want && !s->taken && s->nseen)
		return diag_set(d, s->file, 0, STIMG_EFORMAT, "no blocks of family "
				"%s; the file holds %s",
				family_text(s->want, value, sizeof(value)),
				seen_text(s, list, sizeof(list)));
	if (s->not_flash)
		diag_note(d, s->file, 0, "%" PRIu64 " block(s) marked not main "
			  "flash (flag 0x1) skipped", s->not_flash);
	if (s->other)
		diag_note(d, s->file, 0, "%" PRIu64 " block(s) of other families "
			  "skipped", s->other);
	ret = k->attr(k->ctx, "family", s->nseen || s->has_want ?
		      family_text(s->has_want ? s->want : s->seen[0], value,
				  sizeof(value)) : "none");
	snprintf(value, sizeof(value), "%" PRIu32, s->block);
	if (!ret)
		ret = k->attr(k->ctx, "blocks", value);
	snprintf(value, sizeof(value), "%" PRIu64 " not main flash, %" PRIu64
		 " of other families", s->not_flash, s->other);
	if (!ret && (s->not_flash || s->other))
		ret = k->attr(k->ctx, "skipped", value);
	return ret;
}

static int uf2_read(struct stimg_input *in, const struct stimg_sink *k,
		    const struct stimg_read_opts *o, struct stimg_diag *d)
{
	struct uf2_in s;
	uint32_t id;
	int ret = STIMG_OK;

	memset(&s, 0, sizeof(s));
	s.file = in->name;
	if (o->arg) {
		if (!family_parse(o->arg, &id))
			return diag_set(d, NULL, 0, STIMG_EINVAL, "-I uf2:%s: unknown "
					"family '%s' (a name as for --uf2-family, "
					"or a number)", o->arg, o->arg);
		s.has_want = true;
		s.want = id;
	}
	for (;;) {
		const uint8_t *b;
		uint32_t flags, addr, size;

		while (!ret && in->len - in->pos < BLOCK_SIZE && !in->eof)
			ret = stimg_input_fill(in, d);
		if (ret || in->len == in->pos)
			break;
		if (in->len - in->pos < BLOCK_SIZE)
			return diag_set(d, in->name, 0, STIMG_EFORMAT, "offset 0x%"
					PRIX64 ": the file ends inside block %"
					PRIu32 " (%zu of its 512 bytes)", s.off,
					s.block, in->len - in->pos);
		b = in->buf + in->pos;
		ret = check_block(&s, b, d);
		if (ret)
			break;
		flags = get_le32(b + 8);
		addr = get_le32(b + 12);
		size = get_le32(b + 16);
		if (flags & NOT_MAIN_FLASH)
			s.not_flash++;
		else if (!take_block(&s, flags & HAS_FAMILY ? get_le32(b + 28)
							    : NO_FAMILY))
			s.other += s.has_want;
		else if ((uint64_t)addr + size > STIMG_ADDR_END)
			ret = diag_set(d, in->name, 0, STIMG_ERANGE, "offset 0x%"
				       PRIX64 ": block %" PRIu32 " at 0x%08" PRIX32
				       " of %" PRIu32 " bytes runs past 4 GiB",
				       s.off + 12, s.block, addr, size);
		else if (++s.taken && size)
			ret = k->data(k->ctx, addr, b + 32, size, 0, 0, d);
		if (ret)
			break;
		in->pos += BLOCK_SIZE;
		s.off += BLOCK_SIZE;
		s.block++;
	}
	return ret ? ret : finish(&s, k, d);
}

struct uf2_opts {
	bool has_family;
	uint32_t family;
};

_Static_assert(sizeof(struct uf2_opts) <= STIMG_FORMAT_OPTS_SIZE,
	       "uf2 options fit stimg_write_opts");

/* Writing: the image, and the block being made. */
struct uf2_out {
	const struct stimg_image *img;
	FILE *f;
	uint32_t family, count, no;
	uint8_t block[BLOCK_SIZE];
	size_t fill;			/* payload bytes so far */
};

/* Calls fn for each 256-byte page that holds data, in address order. */
static int each_page(struct uf2_out *w, int (*fn)(struct uf2_out *w,
						  uint32_t page))
{
	struct stimg_range r;
	uint64_t at = 0, page, next = 0;
	int ret = STIMG_OK;

	while (!ret && stimg_image_next_region(w->img, &at, &r)) {
		page = r.start & ~(uint64_t)(PAGE - 1);
		if (page < next)
			page = next;
		for (; !ret && page < r.end; page += PAGE)
			ret = fn(w, (uint32_t)page);
		next = page;
	}
	return ret;
}

static int count_page(struct uf2_out *w, uint32_t page)
{
	(void)page;
	w->count++;
	return STIMG_OK;
}

static int page_bytes(void *ctx, const uint8_t *p, size_t n)
{
	struct uf2_out *w = ctx;

	memcpy(w->block + 32 + w->fill, p, n);
	w->fill += n;
	return STIMG_OK;
}

static int write_page(struct uf2_out *w, uint32_t page)
{
	struct stimg_range r = { page, (uint64_t)page + PAGE };
	uint8_t *p = w->block;

	memset(w->block, 0, sizeof(w->block));
	p = put_le32(put_le32(p, MAGIC0), MAGIC1);
	p = put_le32(put_le32(p, HAS_FAMILY), page);
	p = put_le32(put_le32(p, PAGE), w->no++);
	put_le32(put_le32(p, w->count), w->family);
	put_le32(w->block + 508, MAGIC_END);
	/* the page's holes as erased flash */
	w->fill = 0;
	stimg_image_walk(w->img, &r, 0xFF, page_bytes, w);
	return fwrite(w->block, 1, BLOCK_SIZE, w->f) == BLOCK_SIZE ? STIMG_OK
								   : STIMG_EIO;
}

static int uf2_write(const struct stimg_image *img, FILE *f, const void *opts,
		     struct stimg_diag *d)
{
	const struct uf2_opts *o = opts;
	struct uf2_out *w;
	char names[800];
	int ret;

	if (!o->has_family)
		return diag_set(d, NULL, 0, STIMG_EINVAL, "uf2 output needs "
				"--uf2-family NAME|NUMBER, the family the board's "
				"bootloader takes: %s; or a number, for a family "
				"without a name here (STM32U5 has none)",
				family_names(names, sizeof(names)));
	w = calloc(1, sizeof(*w));
	if (!w)
		return STIMG_ENOMEM;
	w->img = img;
	w->f = f;
	w->family = o->family;
	each_page(w, count_page);
	ret = each_page(w, write_page);
	free(w);
	return ret;
}

static void uf2_opts_init(void *opts)
{
	memset(opts, 0, sizeof(struct uf2_opts));
}

static int uf2_opts_set(void *opts, const char *name, const char *value,
			struct stimg_diag *d)
{
	struct uf2_opts *o = opts;
	char names[800];

	(void)name;
	if (!value || !family_parse(value, &o->family))
		return diag_set(d, NULL, 0, STIMG_EINVAL, "--uf2-family: unknown "
				"family '%s'; give one of %s, or a number",
				value ? value : "", family_names(names,
								 sizeof(names)));
	o->has_family = true;
	return STIMG_OK;
}

static const char *const uf2_extensions[] = { ".uf2", NULL };

static const struct stimg_format_option uf2_options[] = {
	{ "uf2-family", "NAME|NUMBER", "the board family, required (stm32f4, "
	  "...)" },
	{ NULL, NULL, NULL },
};

const struct stimg_format stimg__fmt_uf2 = {
	.name = "uf2",
	.title = "UF2",
	.extensions = uf2_extensions,
	.hint = "cp %s /media/$USER/DRIVE/   (DRIVE: the drive the board's "
		"UF2 bootloader shows)\n",
	.read_arg = "FAMILY",
	.detect = uf2_detect,
	.read = uf2_read,
	.write = uf2_write,
	.options = uf2_options,
	.opts_init = uf2_opts_init,
	.opts_set = uf2_opts_set,
};
