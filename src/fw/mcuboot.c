/*
 * MCUboot images over a flat buffer, signed as imgtool 2.4.0 signs them,
 * and the names imgtool gives their parts. (Reading and checking them:
 * mcuboot_read.c; images over a stimg_image: mcuboot_image.c.)
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stimg/mcuboot.h"
#include "fw/fw.h"

#define TLV_HEAD MCUBOOT_TLV_HEAD
#define BOOT_MAGIC_SIZE MCUBOOT_MAGIC_SIZE

const uint8_t mcuboot_boot_magic[MCUBOOT_MAGIC_SIZE] = {
	0x77, 0xC2, 0x95, 0xF3, 0x60, 0xD2, 0xEF, 0x7F,
	0x35, 0x52, 0x50, 0x0F, 0x2C, 0xB6, 0x79, 0x80,
};

const uint8_t mcuboot_boot_magic_tail[MCUBOOT_MAGIC_SIZE - 2] = {
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

static void put16(uint8_t *p, unsigned v)
{
	put_uint(p, v, 2, false);
}

static void put32(uint8_t *p, uint32_t v)
{
	put_uint(p, v, 4, false);
}

static size_t align_up(size_t n, size_t a)
{
	return (n + a - 1) / a * a;
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

int mcuboot_check_opts(const struct stimg_mcuboot_sign_opts *o,
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
		memcpy(p + s->magic_off, mcuboot_boot_magic, BOOT_MAGIC_SIZE);
	} else {
		put16(p + s->magic_off, s->max_align);
		memcpy(p + s->magic_off + 2, mcuboot_boot_magic_tail,
		       sizeof(mcuboot_boot_magic_tail));
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
	ret = mcuboot_check_opts(o, &max_align, d);
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
