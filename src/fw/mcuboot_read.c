/*
 * MCUboot images read as `imgtool dumpinfo` reads them and checked as
 * MCUboot checks them, over a flat buffer. Every length read from an image
 * is checked against the buffer before it is used, and none sizes an
 * allocation.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stimg/mcuboot.h"
#include "fw/fw.h"

#define TLV_HEAD MCUBOOT_TLV_HEAD
#define BOOT_MAGIC_SIZE MCUBOOT_MAGIC_SIZE

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)get_uint(p, 2, false);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get_uint(p, 4, false);
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
	if (!memcmp(m, mcuboot_boot_magic, BOOT_MAGIC_SIZE))
		a = 8;
	else if (!memcmp(m + 2, mcuboot_boot_magic_tail,
			 sizeof(mcuboot_boot_magic_tail)))
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
