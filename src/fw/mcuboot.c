/*
 * MCUboot images over a flat buffer: signed as imgtool 2.4.0 signs them,
 * read as `imgtool dumpinfo` reads them, checked as MCUboot checks them.
 * Every length read from an image is checked against the buffer before it
 * is used, and none sizes an allocation.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stimg/mcuboot.h"
#include "fw/fw.h"

#define TLV_HEAD 4		/* u16 type, u16 length; an area's u16 magic,
				 * u16 size */
#define BOOT_MAGIC_SIZE 16

/* The boot magic that ends a swap trailer when max-align is 8 ... */
static const uint8_t boot_magic[BOOT_MAGIC_SIZE] = {
	0x77, 0xC2, 0x95, 0xF3, 0x60, 0xD2, 0xEF, 0x7F,
	0x35, 0x52, 0x50, 0x0F, 0x2C, 0xB6, 0x79, 0x80,
};

/* ... and its last 14 bytes otherwise, after max-align as a u16 */
static const uint8_t boot_magic_tail[BOOT_MAGIC_SIZE - 2] = {
	0x2D, 0xE1, 0x5D, 0x29, 0x41, 0x0B, 0x8D, 0x77,
	0x67, 0x9C, 0x11, 0x0F, 0x1F, 0x8A,
};

/* A value's name in a table of names. */
struct name {
	uint32_t value;
	const char *name;
};

static const struct name flag_names[] = {
	{ STIMG_MCUBOOT_F_PIC, "PIC" },
	{ STIMG_MCUBOOT_F_ENCRYPTED_AES128, "ENCRYPTED_AES128" },
	{ STIMG_MCUBOOT_F_ENCRYPTED_AES256, "ENCRYPTED_AES256" },
	{ STIMG_MCUBOOT_F_NON_BOOTABLE, "NON_BOOTABLE" },
	{ STIMG_MCUBOOT_F_RAM_LOAD, "RAM_LOAD" },
	{ STIMG_MCUBOOT_F_ROM_FIXED, "ROM_FIXED" },
	{ STIMG_MCUBOOT_F_COMPRESSED_LZMA1, "COMPRESSED_LZMA1" },
	{ STIMG_MCUBOOT_F_COMPRESSED_LZMA2, "COMPRESSED_LZMA2" },
	{ STIMG_MCUBOOT_F_COMPRESSED_ARM_THUMB, "COMPRESSED_ARM_THUMB" },
};

static const struct name tlv_names[] = {
	{ 0x01, "KEYHASH" }, { 0x02, "PUBKEY" }, { 0x10, "SHA256" },
	{ 0x11, "SHA384" }, { 0x12, "SHA512" }, { 0x20, "RSA2048" },
	{ 0x22, "ECDSASIG" }, { 0x23, "RSA3072" }, { 0x24, "ED25519" },
	{ 0x25, "SIG_PURE" }, { 0x30, "ENCRSA2048" }, { 0x31, "ENCKW" },
	{ 0x32, "ENCEC256" }, { 0x33, "ENCX25519" },
	{ 0x34, "ENCX25519_SHA512" }, { 0x40, "DEPENDENCY" },
	{ 0x50, "SEC_CNT" }, { 0x60, "BOOT_RECORD" }, { 0x70, "DECOMP_SIZE" },
	{ 0x71, "DECOMP_SHA" }, { 0x72, "DECOMP_SIGNATURE" },
	{ 0x73, "COMP_DEC_SIZE" }, { 0x74, "UUID_VID" }, { 0x75, "UUID_CID" },
};

static const char *name_of(const struct name *t, size_t n, uint32_t value)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].value == value)
			return t[i].name;
	return NULL;
}

const char *stimg_mcuboot_flag_name(uint32_t bit)
{
	return name_of(flag_names, ARRAY_SIZE(flag_names), bit);
}

const char *stimg_mcuboot_tlv_name(unsigned type)
{
	return name_of(tlv_names, ARRAY_SIZE(tlv_names), type);
}

const char *stimg_mcuboot_check_name(enum stimg_mcuboot_check c)
{
	static const char *const names[] = {
		[STIMG_MCUBOOT_CHECK_NONE] = "",
		[STIMG_MCUBOOT_CHECK_MAGIC] = "magic",
		[STIMG_MCUBOOT_CHECK_SIZES] = "sizes",
		[STIMG_MCUBOOT_CHECK_TLVS] = "TLV area",
		[STIMG_MCUBOOT_CHECK_HASH] = "hash",
		[STIMG_MCUBOOT_CHECK_KEY] = "key",
		[STIMG_MCUBOOT_CHECK_SIGNATURE] = "signature",
	};

	return (size_t)c < ARRAY_SIZE(names) ? names[c] : "";
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) | (uint32_t)get16(p + 2) << 16;
}

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v & 0xFFFF);
	put16(p + 2, v >> 16);
}

static size_t align_up(size_t n, size_t a)
{
	return (n + a - 1) / a * a;
}

/* The first 8 bytes of a digest in lower-case hex (as sha256sum), for
 * messages. */
static const char *hex8(const uint8_t *p, char buf[17])
{
	size_t i;

	for (i = 0; i < 8; i++)
		snprintf(buf + 2 * i, 3, "%02x", p[i]);
	return buf;
}

/* ---- versions ---- */

int stimg_mcuboot_version_parse(const char *text,
				struct stimg_mcuboot_version *v,
				struct stimg_diag *d)
{
	static const struct {
		const char *name;
		uint32_t max;
		char next;	/* what may follow */
	} parts[] = {
		{ "major", 0xFF, '.' },
		{ "minor", 0xFF, '.' },
		{ "revision", 0xFFFF, '+' },
		{ "build", 0xFFFFFFFF, '\0' },
	};
	uint32_t val[4] = { 0, 0, 0, 0 };
	const char *p = text;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(parts); i++) {
		const char *start = p;
		uint64_t n = 0;

		/* past 2^32 it only has to stay too large */
		for (; *p >= '0' && *p <= '9'; p++)
			if (n <= 0xFFFFFFFF)
				n = n * 10 + (uint64_t)(*p - '0');
		if (p == start || (*p && *p != parts[i].next))
			break;
		if (*start == '0' && p - start > 1)
			return diag_set(d, NULL, 0, STIMG_EINVAL,
					"version '%s': %s '%.*s' has a leading "
					"zero", text, parts[i].name,
					(int)(p - start), start);
		if (n > parts[i].max)
			return diag_set(d, NULL, 0, STIMG_EINVAL,
					"version '%s': %s %.*s does not fit "
					"(at most %" PRIu32 ")", text,
					parts[i].name, (int)(p - start), start,
					parts[i].max);
		val[i] = (uint32_t)n;
		if (!*p) {
			v->major = (uint8_t)val[0];
			v->minor = (uint8_t)val[1];
			v->revision = (uint16_t)val[2];
			v->build = val[3];
			return STIMG_OK;
		}
		p++;
	}
	return diag_set(d, NULL, 0, STIMG_EINVAL,
			"version '%s' is not MAJ.MIN.REV+BUILD (e.g. 1.2.3+4; "
			"the parts after the first may be left out)", text);
}

/* ---- signing ---- */

void stimg_mcuboot_sign_opts_init(struct stimg_mcuboot_sign_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->header_size = 0x200;
	o->align = 1;
}

void stimg_mcuboot_signed_release(struct stimg_mcuboot_signed *s)
{
	free(s->data);
	s->data = NULL;
	s->len = s->image_len = 0;
}

static bool power_of_two(unsigned a)
{
	return a && !(a & (a - 1));
}

/*
 * The swap trailer imgtool reserves (not overwrite-only, not encrypted):
 * the status area for 128 sectors, image_ok, copy_done, swap_info and
 * swap_size at max_align each, the magic in a max_align-aligned slot.
 */
static size_t trailer_size(unsigned align, unsigned max_align)
{
	return (size_t)STIMG_MCUBOOT_MAX_SECTORS * 3 * align + 4u * max_align +
	       align_up(BOOT_MAGIC_SIZE, max_align);
}

static int check_opts(const struct stimg_mcuboot_sign_opts *o,
		      unsigned *max_align, struct stimg_diag *d)
{
	if (o->header_size < STIMG_MCUBOOT_HEADER_SIZE ||
	    o->header_size > 0xFFFF)
		return diag_set(d, NULL, 0, STIMG_EINVAL,
				"header size 0x%" PRIX32 " is outside "
				"0x20..0xFFFF (the 32-byte header, a u16 field)",
				o->header_size);
	if (!power_of_two(o->align) || o->align > 32)
		return diag_set(d, NULL, 0, STIMG_EINVAL,
				"alignment %u is not 1, 2, 4, 8, 16 or 32",
				o->align);
	if (o->max_align && (!power_of_two(o->max_align) ||
			     o->max_align < 8 || o->max_align > 32))
		return diag_set(d, NULL, 0, STIMG_EINVAL,
				"max alignment %u is not 8, 16 or 32",
				o->max_align);
	*max_align = o->max_align ? o->max_align
				  : o->align > 8 ? o->align : 8;
	if (*max_align < o->align)
		return diag_set(d, NULL, 0, STIMG_EINVAL,
				"max alignment %u is below the alignment %u",
				*max_align, o->align);
	if ((o->pad || o->confirm) && !o->slot_size)
		return diag_set(d, NULL, 0, STIMG_EINVAL,
				"padding to the slot needs the slot size");
	if (o->key && !stimg_key_is_private(o->key))
		return diag_set(d, NULL, 0, STIMG_EINVAL,
				"a public key cannot sign; give the private key");
	return STIMG_OK;
}

/* Without pad_header the header goes over the payload's first bytes. */
static int check_header_area(const uint8_t *payload, size_t len,
			     const struct stimg_mcuboot_sign_opts *o,
			     struct stimg_diag *d)
{
	size_t i;

	if (len < o->header_size)
		return diag_set(d, NULL, 0, STIMG_ECHECK,
				"the input is %zu bytes, less than the header "
				"size 0x%" PRIX32 "; give --pad-header to put "
				"the header before it", len, o->header_size);
	for (i = 0; i < o->header_size && !payload[i]; i++)
		;
	if (i < o->header_size)
		return diag_set(d, NULL, 0, STIMG_ECHECK,
				"the header area 0x%08" PRIX64 "..0x%08" PRIX64
				" is not zero (0x%02X at 0x%08" PRIX64 "): give "
				"--pad-header to put the header before the "
				"input, or link the application header-size "
				"bytes above the slot", (uint64_t)o->base,
				(uint64_t)o->base + o->header_size - 1,
				payload[i], (uint64_t)o->base + i);
	return STIMG_OK;
}

/* Appends a TLV at *at. */
static void add_tlv(uint8_t *p, size_t *at, unsigned type, const void *v,
		    size_t n)
{
	put16(p + *at, type);
	put16(p + *at + 2, (unsigned)n);
	memcpy(p + *at + TLV_HEAD, v, n);
	*at += TLV_HEAD + n;
}

static void write_header(uint8_t *p, const struct stimg_mcuboot_sign_opts *o,
			 size_t prot, size_t img_size)
{
	put32(p, STIMG_MCUBOOT_MAGIC);
	put32(p + 4, o->load_addr);
	put16(p + 8, o->header_size);
	put16(p + 10, (unsigned)prot);
	put32(p + 12, (uint32_t)img_size);
	put32(p + 16, o->load_addr ? STIMG_MCUBOOT_F_RAM_LOAD : 0);
	p[20] = o->version.major;
	p[21] = o->version.minor;
	put16(p + 22, o->version.revision);
	put32(p + 24, o->version.build);
	put32(p + 28, 0);
}

/* Fills the slot after the image with 0xFF and ends it in the trailer. */
static int pad_to_slot(struct stimg_mcuboot_signed *s, uint32_t slot,
		       bool confirm)
{
	uint8_t *p = realloc(s->data, slot);

	if (!p)
		return STIMG_ENOMEM;
	s->data = p;
	memset(p + s->image_len, 0xFF, slot - s->image_len);
	s->len = slot;
	s->magic_off = slot - BOOT_MAGIC_SIZE;
	if (s->max_align == 8) {
		memcpy(p + s->magic_off, boot_magic, BOOT_MAGIC_SIZE);
	} else {
		put16(p + s->magic_off, s->max_align);
		memcpy(p + s->magic_off + 2, boot_magic_tail,
		       sizeof(boot_magic_tail));
	}
	s->padded = true;
	s->image_ok_off = slot - align_up(BOOT_MAGIC_SIZE, s->max_align) -
			  s->max_align;
	if (confirm) {
		p[s->image_ok_off] = 0x01;
		s->confirmed = true;
	}
	return STIMG_OK;
}

/*
 * Header, payload, protected TLVs (the security counter), their SHA-256,
 * and the TLV area with the hash, the key hash and the signature, into
 * out->data (which out owns from its allocation on).
 */
static int build(const uint8_t *payload, size_t len,
		 const struct stimg_mcuboot_sign_opts *o,
		 struct stimg_mcuboot_signed *out, struct stimg_diag *d)
{
	/* the largest TLV area: SHA256, KEYHASH, an RSA-3072 signature */
	enum { SIG_MAX = 512, AREA_MAX = TLV_HEAD + 2 * (TLV_HEAD + 32) +
					 TLV_HEAD + SIG_MAX };
	uint8_t sig[SIG_MAX], keyhash[STIMG_SHA256_SIZE], cnt[4];
	size_t siglen = sizeof(sig), body, prot, at, start;
	uint8_t *p;
	int ret;

	out->header_added = o->pad_header ? o->header_size : 0;
	body = out->header_added + len;
	if (body - o->header_size > 0xFFFFFFFF)
		return diag_set(d, NULL, 0, STIMG_ECHECK,
				"the input is %zu bytes, more than the u32 image "
				"size holds", len);
	prot = o->seccnt == STIMG_MCUBOOT_SECCNT_NONE ? 0
						      : 2 * TLV_HEAD + 4;
	p = out->data = malloc(body + prot + AREA_MAX);
	if (!p)
		return STIMG_ENOMEM;
	memset(p, 0xFF, out->header_added);
	memcpy(p + out->header_added, payload, len);
	write_header(p, o, prot, body - o->header_size);
	at = body;
	if (prot) {
		put32(cnt, o->seccnt == STIMG_MCUBOOT_SECCNT_AUTO
				   ? (uint32_t)o->version.major << 24 |
					     (uint32_t)o->version.minor << 16 |
					     o->version.revision
				   : o->security_counter);
		put16(p + at, STIMG_MCUBOOT_TLV_PROT_INFO_MAGIC);
		put16(p + at + 2, (unsigned)prot);
		at += TLV_HEAD;
		add_tlv(p, &at, STIMG_MCUBOOT_TLV_SEC_CNT, cnt, sizeof(cnt));
	}

	ret = stimg_sha256_buffer(p, at, out->digest);
	if (!ret && o->key)
		ret = stimg_key_hash(o->key, keyhash);
	if (!ret && o->key && key_sign(o->key, out->digest, sig, &siglen))
		ret = diag_set(d, NULL, 0, STIMG_ENOMEM,
			       "libcrypto could not sign with the %s key",
			       stimg_key_type_name(stimg_key_get_type(o->key)));
	if (ret)
		return ret;
	start = at;
	at += TLV_HEAD;
	add_tlv(p, &at, STIMG_MCUBOOT_TLV_SHA256, out->digest,
		STIMG_SHA256_SIZE);
	if (o->key) {
		add_tlv(p, &at, STIMG_MCUBOOT_TLV_KEYHASH, keyhash,
			sizeof(keyhash));
		add_tlv(p, &at, key_sig_tlv(stimg_key_get_type(o->key)), sig,
			siglen);
	}
	put16(p + start, STIMG_MCUBOOT_TLV_INFO_MAGIC);
	put16(p + start + 2, (unsigned)(at - start));
	out->image_len = out->len = at;
	return STIMG_OK;
}

int stimg_mcuboot_sign(const uint8_t *payload, size_t len,
		       const struct stimg_mcuboot_sign_opts *o,
		       struct stimg_mcuboot_signed *out, struct stimg_diag *d)
{
	unsigned max_align = 0;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = check_opts(o, &max_align, d);
	if (!ret && !o->pad_header)
		ret = check_header_area(payload, len, o, d);
	if (!ret) {
		out->max_align = max_align;
		out->trailer_size = trailer_size(o->align, max_align);
		ret = build(payload, len, o, out, d);
	}
	/* as imgtool: the slot is checked with or without padding */
	if (!ret && o->slot_size &&
	    out->image_len + out->trailer_size > o->slot_size)
		ret = diag_set(d, NULL, 0, STIMG_ECHECK,
			       "image too large for the slot: 0x%zX bytes "
			       "signed and a 0x%zX-byte trailer exceed the "
			       "slot size 0x%" PRIX32, out->image_len,
			       out->trailer_size, o->slot_size);
	if (!ret && (o->pad || o->confirm))
		ret = pad_to_slot(out, o->slot_size, o->confirm);
	return ret;
}

/* ---- reading ---- */

void stimg_mcuboot_info_release(struct stimg_mcuboot_info *info)
{
	free(info->tlv);
	info->tlv = NULL;
	info->ntlv = info->tlvcap = 0;
}

bool stimg_mcuboot_detect(const uint8_t *data, size_t len)
{
	return len >= 4 && get32(data) == STIMG_MCUBOOT_MAGIC;
}

/* Records in *at that check c failed; returns err. */
static int failed(enum stimg_mcuboot_check *at, enum stimg_mcuboot_check c,
		  int err)
{
	*at = c;
	return err;
}

#define SIZES STIMG_MCUBOOT_CHECK_SIZES
#define TLVS STIMG_MCUBOOT_CHECK_TLVS

/*
 * Reads the TLV area at off (its magic, its total size *tot, each TLV in
 * it) into info.
 */
static int parse_area(const uint8_t *data, size_t len, size_t off, bool prot,
		      struct stimg_mcuboot_info *info, uint16_t *magic,
		      uint16_t *tot, struct stimg_diag *d)
{
	const char *what = prot ? "protected TLV area" : "TLV area";
	unsigned want = prot ? STIMG_MCUBOOT_TLV_PROT_INFO_MAGIC
			     : STIMG_MCUBOOT_TLV_INFO_MAGIC;
	size_t at, end;

	if (len - off < TLV_HEAD)
		return failed(&info->failed, SIZES, diag_set(d, NULL, 0,
			STIMG_EFORMAT, "the %s at offset 0x%zX runs past the "
			"end of the data (0x%zX bytes)", what, off, len));
	*magic = get16(data + off);
	*tot = get16(data + off + 2);
	if (*magic != want)
		return failed(&info->failed, TLVS, diag_set(d, NULL, 0,
			STIMG_EFORMAT, "no %s at offset 0x%zX: magic 0x%04X, "
			"expected 0x%04X", what, off, *magic, want));
	if (*tot < TLV_HEAD)
		return failed(&info->failed, TLVS, diag_set(d, NULL, 0,
			STIMG_EFORMAT, "the %s at offset 0x%zX is %u bytes, "
			"less than its 4-byte head", what, off, *tot));
	if (*tot > len - off)
		return failed(&info->failed, SIZES, diag_set(d, NULL, 0,
			STIMG_EFORMAT, "the %s at offset 0x%zX (0x%X bytes) "
			"runs past the end of the data (0x%zX bytes)", what,
			off, *tot, len));
	end = off + *tot;
	for (at = off + TLV_HEAD; at < end;) {
		struct stimg_mcuboot_tlv *t;
		unsigned n = end - at < TLV_HEAD ? 0 : get16(data + at + 2);

		if (end - at < TLV_HEAD || n > end - at - TLV_HEAD)
			return failed(&info->failed, TLVS, diag_set(d, NULL, 0,
				STIMG_EFORMAT, "the TLV at offset 0x%zX runs "
				"past the end of its area at 0x%zX", at, end));
		if (array_grow(&info->tlv, &info->tlvcap, info->ntlv + 1,
			       sizeof(*info->tlv), 8))
			return STIMG_ENOMEM;
		t = &info->tlv[info->ntlv++];
		t->type = get16(data + at);
		t->len = (uint16_t)n;
		t->prot = prot;
		t->off = at;
		t->value = data + at + TLV_HEAD;
		at += TLV_HEAD + n;
	}
	return STIMG_OK;
}

/*
 * The swap trailer, read from the end of the data as dumpinfo does: the
 * boot magic in the last 16 bytes, below it a max_align-aligned slot for
 * it, then image_ok, copy_done, swap_info and swap_size max_align apart.
 */
static void parse_trailer(const uint8_t *data, size_t len,
			  struct stimg_mcuboot_info *info)
{
	size_t room = len - info->tlv_end, need, off;
	const uint8_t *m;
	unsigned a;

	info->trailer = room ? STIMG_MCUBOOT_TRAILER_NO_MAGIC
			     : STIMG_MCUBOOT_TRAILER_NONE;
	if (room < BOOT_MAGIC_SIZE)
		return;
	m = data + len - BOOT_MAGIC_SIZE;
	memcpy(info->boot_magic, m, BOOT_MAGIC_SIZE);
	if (!memcmp(m, boot_magic, BOOT_MAGIC_SIZE))
		a = 8;
	else if (!memcmp(m + 2, boot_magic_tail, sizeof(boot_magic_tail)))
		a = get16(m);
	else
		return;
	info->trailer = STIMG_MCUBOOT_TRAILER_MAGIC;
	info->max_align = a;
	need = (a > BOOT_MAGIC_SIZE ? a : BOOT_MAGIC_SIZE) + 4 * (size_t)a;
	if (!a || need > room)
		return;
	off = len - need;
	info->has_fields = true;
	info->swap_size = get32(data + off);
	info->swap_info = data[off + a];
	info->copy_done = data[off + 2 * a];
	info->image_ok = data[off + 3 * a];
}

int stimg_mcuboot_parse(const uint8_t *data, size_t len,
			struct stimg_mcuboot_info *info, struct stimg_diag *d)
{
	size_t off;
	int ret;

	stimg_mcuboot_info_release(info);
	memset(info, 0, sizeof(*info));
	if (!stimg_mcuboot_detect(data, len))
		return failed(&info->failed, STIMG_MCUBOOT_CHECK_MAGIC,
			diag_set(d, NULL, 0, STIMG_EFORMAT, "not an MCUboot "
			"image: no header magic 0x%08X at its start",
			STIMG_MCUBOOT_MAGIC));
	info->magic = STIMG_MCUBOOT_MAGIC;
	if (len < STIMG_MCUBOOT_HEADER_SIZE)
		return failed(&info->failed, SIZES, diag_set(d, NULL, 0,
			STIMG_EFORMAT, "the data (%zu bytes) ends inside the "
			"32-byte header", len));
	info->load_addr = get32(data + 4);
	info->hdr_size = get16(data + 8);
	info->protected_tlv_size = get16(data + 10);
	info->img_size = get32(data + 12);
	info->flags = get32(data + 16);
	info->version.major = data[20];
	info->version.minor = data[21];
	info->version.revision = get16(data + 22);
	info->version.build = get32(data + 24);
	if (info->hdr_size < STIMG_MCUBOOT_HEADER_SIZE)
		return failed(&info->failed, SIZES, diag_set(d, NULL, 0,
			STIMG_EFORMAT, "the header size 0x%X is less than the "
			"32 bytes of the header", info->hdr_size));
	if ((uint64_t)info->hdr_size + info->img_size > len)
		return failed(&info->failed, SIZES, diag_set(d, NULL, 0,
			STIMG_EFORMAT, "header 0x%X and image 0x%" PRIX32
			" bytes run past the end of the data (0x%zX bytes)",
			info->hdr_size, info->img_size, len));
	off = (size_t)info->hdr_size + info->img_size;
	if (info->protected_tlv_size) {
		info->has_prot = true;
		info->prot_off = off;
		ret = parse_area(data, len, off, true, info, &info->prot_magic,
				 &info->prot_tot, d);
		if (ret)
			return ret;
		if (info->prot_tot != info->protected_tlv_size)
			return failed(&info->failed, TLVS, diag_set(d, NULL, 0,
				STIMG_EFORMAT, "the protected TLV area is 0x%X "
				"bytes; the header says 0x%X", info->prot_tot,
				info->protected_tlv_size));
		off += info->prot_tot;
	}
	info->tlv_off = off;
	ret = parse_area(data, len, off, false, info, &info->tlv_magic,
			 &info->tlv_tot, d);
	if (ret)
		return ret;
	info->tlv_end = off + info->tlv_tot;
	parse_trailer(data, len, info);
	return STIMG_OK;
}

/* The first TLV of type: in any area (prot < 0), or in the one prot says. */
static const struct stimg_mcuboot_tlv *
find_tlv(const struct stimg_mcuboot_info *info, unsigned type, int prot)
{
	size_t i;

	for (i = 0; i < info->ntlv; i++)
		if (info->tlv[i].type == type &&
		    (prot < 0 || info->tlv[i].prot == (prot > 0)))
			return &info->tlv[i];
	return NULL;
}

const struct stimg_mcuboot_tlv *
stimg_mcuboot_find_tlv(const struct stimg_mcuboot_info *info, unsigned type)
{
	return find_tlv(info, type, -1);
}

/* ---- verifying ---- */

#define KEY STIMG_MCUBOOT_CHECK_KEY
#define SIGNATURE STIMG_MCUBOOT_CHECK_SIGNATURE

/* The unprotected signature TLV of another type than want, if any. */
static const struct stimg_mcuboot_tlv *
other_signature(const struct stimg_mcuboot_info *info, unsigned want)
{
	static const unsigned sigs[] = {
		STIMG_MCUBOOT_TLV_RSA2048_PSS, STIMG_MCUBOOT_TLV_ECDSA_SIG,
		STIMG_MCUBOOT_TLV_RSA3072_PSS, STIMG_MCUBOOT_TLV_ED25519,
	};
	const struct stimg_mcuboot_tlv *t;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sigs); i++)
		if (sigs[i] != want && (t = find_tlv(info, sigs[i], 0)))
			return t;
	return NULL;
}

/* The KEYHASH TLV (or the PUBKEY TLV) names this key. */
static int check_key(const struct stimg_mcuboot_info *info,
		     const struct stimg_key *key,
		     struct stimg_mcuboot_verify_result *r, struct stimg_diag *d)
{
	const struct stimg_mcuboot_tlv *t;
	uint8_t md[STIMG_SHA256_SIZE], *der = NULL;
	char a[17], b[17];
	size_t len = 0;
	int ret;

	t = find_tlv(info, STIMG_MCUBOOT_TLV_KEYHASH, 0);
	if (t) {
		ret = stimg_key_hash(key, md);
		if (!ret && (t->len != sizeof(md) || memcmp(t->value, md, t->len)))
			ret = failed(&r->failed, KEY, diag_set(d, NULL, 0,
				STIMG_ECHECK, "key mismatch: the image's "
				"KEYHASH is %s..., this key's is %s...",
				t->len >= 8 ? hex8(t->value, a) : "short",
				hex8(md, b)));
		return ret;
	}
	t = find_tlv(info, STIMG_MCUBOOT_TLV_PUBKEY, 0);
	if (!t)
		return failed(&r->failed, KEY, diag_set(d, NULL, 0,
			STIMG_ECHECK, "no KEYHASH (0x01) or PUBKEY (0x02) TLV "
			"to tell the signing key by"));
	ret = stimg_key_public_der(key, &der, &len);
	if (!ret && (t->len != len || memcmp(t->value, der, len)))
		ret = failed(&r->failed, KEY, diag_set(d, NULL, 0,
			STIMG_ECHECK, "key mismatch: the image's PUBKEY TLV "
			"holds another key"));
	free(der);
	return ret;
}

/* Signed for the key's type, by this key, and the signature holds. */
static int check_signature(const struct stimg_mcuboot_info *info,
			   const struct stimg_key *key,
			   struct stimg_mcuboot_verify_result *r,
			   struct stimg_diag *d)
{
	enum stimg_key_type kt = stimg_key_get_type(key);
	unsigned want = key_sig_tlv(kt);
	const struct stimg_mcuboot_tlv *t = find_tlv(info, want, 0), *other;
	size_t n;
	int ret;

	if (!t) {
		other = other_signature(info, want);
		if (other)
			return failed(&r->failed, KEY, diag_set(d, NULL, 0,
				STIMG_ECHECK, "key mismatch: the image is "
				"signed with %s (0x%02X), the key is %s",
				stimg_mcuboot_tlv_name(other->type),
				other->type, stimg_key_type_name(kt)));
		return failed(&r->failed, SIGNATURE, diag_set(d, NULL, 0,
			STIMG_ECHECK, "the image is not signed: no %s TLV "
			"(0x%02X)", stimg_mcuboot_tlv_name(want), want));
	}
	ret = check_key(info, key, r, d);
	if (ret)
		return ret;
	/* an ECDSA signature may carry imgtool's --pad-sig zeros after it */
	n = t->len;
	if (want == STIMG_MCUBOOT_TLV_ECDSA_SIG && n >= 2 &&
	    t->value[0] == 0x30 && t->value[1] < 0x80 &&
	    (size_t)t->value[1] + 2 <= n)
		n = (size_t)t->value[1] + 2;
	ret = key_verify(key, r->digest, t->value, n);
	if (ret == 0)
		return failed(&r->failed, SIGNATURE, diag_set(d, NULL, 0,
			STIMG_ECHECK, "bad signature: the %s signature does "
			"not verify with this key",
			stimg_mcuboot_tlv_name(want)));
	r->signature_ok = ret == 1;
	return ret == 1 ? STIMG_OK : ret;
}

int stimg_mcuboot_verify(const uint8_t *data, size_t len,
			 const struct stimg_key *key,
			 struct stimg_mcuboot_verify_result *r,
			 struct stimg_diag *d)
{
	struct stimg_mcuboot_info info = STIMG_MCUBOOT_INFO_INIT;
	const struct stimg_mcuboot_tlv *t;
	char a[17], b[17];
	int ret;

	memset(r, 0, sizeof(*r));
	ret = stimg_mcuboot_parse(data, len, &info, d);
	r->version = info.version;
	r->failed = info.failed;
	if (ret)
		goto out;
	t = find_tlv(&info, STIMG_MCUBOOT_TLV_SHA256, 0);
	if (!t) {
		ret = failed(&r->failed, TLVS, diag_set(d, NULL, 0,
			STIMG_EFORMAT, "no SHA256 TLV (0x10) in the TLV area"));
		goto out;
	}
	if (t->len != STIMG_SHA256_SIZE) {
		ret = failed(&r->failed, TLVS, diag_set(d, NULL, 0,
			STIMG_EFORMAT, "the SHA256 TLV is %u bytes, not 32",
			t->len));
		goto out;
	}
	/* header, image and protected TLVs: all before the TLV area */
	ret = stimg_sha256_buffer(data, info.tlv_off, r->digest);
	if (ret)
		goto out;
	r->has_digest = true;
	if (memcmp(t->value, r->digest, STIMG_SHA256_SIZE)) {
		ret = failed(&r->failed, STIMG_MCUBOOT_CHECK_HASH,
			diag_set(d, NULL, 0, STIMG_ECHECK, "hash mismatch: the "
			"image hashes to %s..., its SHA256 TLV says %s...",
			hex8(r->digest, a), hex8(t->value, b)));
		goto out;
	}
	if (key)
		ret = check_signature(&info, key, r, d);
out:
	stimg_mcuboot_info_release(&info);
	return ret;
}
