/*
 * MCUboot images, as MCUboot's imgtool 2.4.0 signs, verifies and dumps
 * them, and the keys that sign them (PEM files, through OpenSSL's
 * libcrypto).
 *
 * Signing, reading and verifying work on a flat byte buffer: the payload
 * is the bytes from the input's lowest address to its highest, holes
 * already filled; a signed image starts with its header. The functions
 * at the end ("over an image") make that buffer from a struct stimg_image,
 * and the image to write from a signed buffer. The layout, all
 * little-endian:
 *
 *	0        header (32 bytes; see struct stimg_mcuboot_info), then
 *	         0xFF (with pad_header) or the input's zeros to hdr_size
 *	hdr_size the image (img_size bytes)
 *	         protected TLV area (magic 0x6908; only when there are
 *	         protected TLVs, such as the security counter)
 *	         TLV area (magic 0x6907): SHA256 of everything above it but
 *	         the TLV area itself, KEYHASH, signature
 *	         with pad: 0xFF to the slot's end, where the swap trailer
 *	         ends in the boot magic
 *
 * An area is a u16 magic and a u16 total size (its 4 bytes included),
 * then TLVs: u16 type, u16 length, the value.
 */
#ifndef STIMG_MCUBOOT_H
#define STIMG_MCUBOOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stimg/image.h"
#include "stimg/sha256.h"
#include "stimg/stimg.h"

#define STIMG_MCUBOOT_MAGIC 0x96F3B83Du
#define STIMG_MCUBOOT_HEADER_SIZE 32
#define STIMG_MCUBOOT_TLV_INFO_MAGIC 0x6907
#define STIMG_MCUBOOT_TLV_PROT_INFO_MAGIC 0x6908
#define STIMG_MCUBOOT_MAX_SECTORS 128	/* imgtool's default --max-sectors */

/* Header flags (imgtool's IMAGE_F). */
enum {
	STIMG_MCUBOOT_F_PIC = 0x1,
	STIMG_MCUBOOT_F_ENCRYPTED_AES128 = 0x4,
	STIMG_MCUBOOT_F_ENCRYPTED_AES256 = 0x8,
	STIMG_MCUBOOT_F_NON_BOOTABLE = 0x10,
	STIMG_MCUBOOT_F_RAM_LOAD = 0x20,
	STIMG_MCUBOOT_F_ROM_FIXED = 0x100,
	STIMG_MCUBOOT_F_COMPRESSED_LZMA1 = 0x200,
	STIMG_MCUBOOT_F_COMPRESSED_LZMA2 = 0x400,
	STIMG_MCUBOOT_F_COMPRESSED_ARM_THUMB = 0x800,
};

/* The name imgtool gives header flag bit (one bit set), or NULL. */
const char *stimg_mcuboot_flag_name(uint32_t bit);

/* TLV types stimg writes (imgtool knows more; see stimg_mcuboot_tlv_name). */
enum {
	STIMG_MCUBOOT_TLV_KEYHASH = 0x01,
	STIMG_MCUBOOT_TLV_PUBKEY = 0x02,
	STIMG_MCUBOOT_TLV_SHA256 = 0x10,
	STIMG_MCUBOOT_TLV_RSA2048_PSS = 0x20,
	STIMG_MCUBOOT_TLV_ECDSA_SIG = 0x22,
	STIMG_MCUBOOT_TLV_RSA3072_PSS = 0x23,
	STIMG_MCUBOOT_TLV_ED25519 = 0x24,
	STIMG_MCUBOOT_TLV_SEC_CNT = 0x50,
};

/* imgtool's name of a TLV type ("SHA256", "ECDSASIG", ...), or NULL. */
const char *stimg_mcuboot_tlv_name(unsigned type);

/* ---- versions ---- */

struct stimg_mcuboot_version {
	uint8_t major, minor;
	uint16_t revision;
	uint32_t build;
};

/*
 * Parses "MAJ", "MAJ.MIN", "MAJ.MIN.REV" or "MAJ.MIN.REV+BUILD" (decimal,
 * no leading zeros, as imgtool accepts); missing parts are 0. A part too
 * large for its field (u8, u8, u16, u32) or any other text is
 * STIMG_EINVAL with a message.
 */
int stimg_mcuboot_version_parse(const char *text,
				struct stimg_mcuboot_version *v,
				struct stimg_diag *d);

/* ---- keys ---- */

enum stimg_key_type {
	STIMG_KEY_ED25519 = 1,
	STIMG_KEY_ECDSA_P256,
	STIMG_KEY_RSA2048,
	STIMG_KEY_RSA3072,
};

/* "ed25519", "ecdsa-p256", "rsa-2048", "rsa-3072" (imgtool keygen's). */
const char *stimg_key_type_name(enum stimg_key_type t);

/* The type called name (as above); false for any other name. */
bool stimg_key_type_parse(const char *name, enum stimg_key_type *t);

/* A private key (which also has its public half) or a public key. */
struct stimg_key;

/*
 * Reads a PEM key: a private key (PKCS#8 "PRIVATE KEY", or the "EC PRIVATE
 * KEY" and "RSA PRIVATE KEY" forms) or a public key ("PUBLIC KEY", SPKI).
 * *key is allocated (free it with stimg_key_free). Errors: STIMG_EIO when
 * the file cannot be read; STIMG_EFORMAT for what is not a key, an
 * encrypted key, and a key of any other type than those above (the
 * message names what it is). A private key file that its group or others
 * may read is a warning through d.
 */
int stimg_key_load(struct stimg_key **key, const char *path,
		   struct stimg_diag *d);

/* A new private key of type t in *key (free it with stimg_key_free). */
int stimg_key_generate(struct stimg_key **key, enum stimg_key_type t,
		       struct stimg_diag *d);

void stimg_key_free(struct stimg_key *key);

enum stimg_key_type stimg_key_get_type(const struct stimg_key *key);

/* Whether the key can sign (has its private half). */
bool stimg_key_is_private(const struct stimg_key *key);

/*
 * Writes the private key to path as PEM PKCS#8 "PRIVATE KEY" (what imgtool
 * keygen writes), mode 0600, through a temporary file renamed into place.
 * Standard output ("-") is refused: private keys are never printed.
 */
int stimg_key_write_private(const struct stimg_key *key, const char *path,
			    struct stimg_diag *d);

/*
 * The public key as a bootloader embeds it and as imgtool hashes it: DER
 * SubjectPublicKeyInfo for Ed25519 and ECDSA, DER PKCS#1 RSAPublicKey for
 * RSA. *der is malloc'd (the caller frees it).
 */
int stimg_key_public_der(const struct stimg_key *key, uint8_t **der,
			 size_t *len);

/* SHA-256 of stimg_key_public_der: the KEYHASH TLV's value. */
int stimg_key_hash(const struct stimg_key *key,
		   uint8_t md[STIMG_SHA256_SIZE]);

enum stimg_key_lang { STIMG_KEY_LANG_C, STIMG_KEY_LANG_RUST };

/*
 * The public key as source code, byte for byte what `imgtool getpub`
 * prints (--lang c, or rust): a NUL-terminated malloc'd string in *text.
 */
int stimg_key_public_source(const struct stimg_key *key,
			    enum stimg_key_lang lang, char **text);

/* ---- signing ---- */

enum stimg_mcuboot_seccnt {
	STIMG_MCUBOOT_SECCNT_NONE,	/* no protected TLV area */
	STIMG_MCUBOOT_SECCNT_VALUE,	/* security_counter as given */
	STIMG_MCUBOOT_SECCNT_AUTO,	/* from the version, as imgtool does:
					 * major << 24 | minor << 16 | rev */
};

/* What to sign and how (imgtool sign's options). */
struct stimg_mcuboot_sign_opts {
	struct stimg_mcuboot_version version;
	uint32_t header_size;	/* 32..0xFFFF (imgtool -H) */
	bool pad_header;	/* put header_size bytes before the payload;
				 * else its first header_size bytes must be
				 * zero and become the header */
	uint32_t slot_size;	/* 0: not checked; else image, TLVs and
				 * trailer must fit (imgtool -S) */
	bool pad;		/* fill to slot_size, swap trailer at its end */
	bool confirm;		/* image_ok set in the trailer; implies pad */
	unsigned align;		/* flash write size: 1, 2, 4, 8, 16, 32 */
	unsigned max_align;	/* 8, 16, 32, or 0: max(8, align) */
	uint32_t load_addr;	/* not 0: a RAM-load image (flag RAM_LOAD) */
	enum stimg_mcuboot_seccnt seccnt;
	uint32_t security_counter;	/* for STIMG_MCUBOOT_SECCNT_VALUE */
	const struct stimg_key *key;	/* private; NULL: SHA-256 only */
	uint32_t base;		/* the payload's address, for messages */
};

/* Version 0.0.0+0, header 0x200, align 1, nothing else set. */
void stimg_mcuboot_sign_opts_init(struct stimg_mcuboot_sign_opts *o);

/* A signed image. */
struct stimg_mcuboot_signed {
	uint8_t *data;		/* owned; all of the output */
	size_t len;		/* slot_size when padded, else image_len */
	size_t image_len;	/* header, image and TLV areas */
	size_t header_added;	/* bytes put before the payload: the output
				 * starts this far below it (pad_header) */
	uint8_t digest[STIMG_SHA256_SIZE];
	/*
	 * When padded, the trailer's parts that imgtool writes into a HEX
	 * output (which it leaves sparse, without the 0xFF padding): the
	 * boot magic (16 bytes) and, when confirmed, image_ok (max_align
	 * bytes: 0x01, then 0xFF), at these offsets into data.
	 */
	bool padded, confirmed;
	size_t magic_off, image_ok_off;
	unsigned max_align;
	size_t trailer_size;	/* what the slot check counted */
};

#define STIMG_MCUBOOT_SIGNED_INIT { NULL, 0, 0, 0, { 0 }, false, false, 0, \
				    0, 0, 0 }

void stimg_mcuboot_signed_release(struct stimg_mcuboot_signed *s);

/*
 * Signs the len bytes at payload as o says, into *out (release it even on
 * error). The output is byte for byte imgtool's for Ed25519 and SHA-256
 * only (ECDSA and RSA-PSS signatures differ on every run). Errors:
 * STIMG_EINVAL for options that do not go together (a header size out of
 * range, pad without a slot size, a public key, a bad alignment), and
 * STIMG_ECHECK for a payload that does not fit them: a non-zero header
 * area without pad_header, a payload shorter than the header, an image too
 * large for the slot (the message gives the sizes).
 */
int stimg_mcuboot_sign(const uint8_t *payload, size_t len,
		       const struct stimg_mcuboot_sign_opts *o,
		       struct stimg_mcuboot_signed *out, struct stimg_diag *d);

/* ---- reading and verifying ---- */

/* The checks of an image, in the order they are made. */
enum stimg_mcuboot_check {
	STIMG_MCUBOOT_CHECK_NONE,	/* none failed */
	STIMG_MCUBOOT_CHECK_MAGIC,	/* header magic */
	STIMG_MCUBOOT_CHECK_SIZES,	/* header, image and areas in the data */
	STIMG_MCUBOOT_CHECK_TLVS,	/* area magics, TLVs inside their area,
					 * a SHA256 TLV */
	STIMG_MCUBOOT_CHECK_HASH,	/* the SHA256 TLV */
	STIMG_MCUBOOT_CHECK_KEY,	/* signed with this key: its type, then
					 * KEYHASH (or PUBKEY) */
	STIMG_MCUBOOT_CHECK_SIGNATURE,	/* present and valid for the key */
};

/* "magic", "sizes", "TLV area", "hash", "key", "signature" ("" for none). */
const char *stimg_mcuboot_check_name(enum stimg_mcuboot_check c);

struct stimg_mcuboot_tlv {
	uint16_t type, len;
	bool prot;		/* in the protected area */
	size_t off;		/* of its 4-byte head in the image */
	const uint8_t *value;	/* len bytes, borrowed from the image */
};

enum stimg_mcuboot_trailer {
	STIMG_MCUBOOT_TRAILER_NONE,	/* nothing after the TLV area */
	STIMG_MCUBOOT_TRAILER_NO_MAGIC,	/* bytes follow, without a boot
					 * magic in the last 16 */
	STIMG_MCUBOOT_TRAILER_MAGIC,	/* a boot magic at the end */
};

/* What `imgtool dumpinfo` shows of an image. */
struct stimg_mcuboot_info {
	/* the header */
	uint32_t magic, load_addr;
	uint16_t hdr_size, protected_tlv_size;
	uint32_t img_size, flags;
	struct stimg_mcuboot_version version;
	/* the TLV areas: offsets in the image, magics and total sizes */
	bool has_prot;
	size_t prot_off, tlv_off, tlv_end;
	uint16_t prot_magic, prot_tot, tlv_magic, tlv_tot;
	struct stimg_mcuboot_tlv *tlv;	/* owned; protected ones first */
	size_t ntlv, tlvcap;
	/* the trailer, after tlv_end, parsed from the end of the data */
	enum stimg_mcuboot_trailer trailer;
	uint8_t boot_magic[16];		/* the last 16 bytes (MAGIC) */
	unsigned max_align;		/* from the magic: 8, or what its
					 * first two bytes say */
	bool has_fields;		/* the fields below lie after tlv_end */
	uint8_t image_ok, copy_done, swap_info;	/* 0x01 set, 0xFF unset */
	uint32_t swap_size;
	enum stimg_mcuboot_check failed;	/* what stopped parsing */
};

#define STIMG_MCUBOOT_INFO_INIT { 0 }

void stimg_mcuboot_info_release(struct stimg_mcuboot_info *info);

/* Whether the data starts with an MCUboot header magic. */
bool stimg_mcuboot_detect(const uint8_t *data, size_t len);

/*
 * Reads the image in the len bytes at data into *info, which borrows data
 * (TLV values point into it). Every size and offset is checked against
 * len. STIMG_EFORMAT with a message and info->failed (MAGIC, SIZES or
 * TLVS) for what does not parse; info keeps what was read before.
 * Release info in either case.
 */
int stimg_mcuboot_parse(const uint8_t *data, size_t len,
			struct stimg_mcuboot_info *info, struct stimg_diag *d);

/* The first TLV of type in info, or NULL. */
const struct stimg_mcuboot_tlv *
stimg_mcuboot_find_tlv(const struct stimg_mcuboot_info *info, unsigned type);

struct stimg_mcuboot_verify_result {
	enum stimg_mcuboot_check failed;	/* NONE when all passed */
	struct stimg_mcuboot_version version;	/* once the magic passed */
	bool has_digest;			/* computed: */
	uint8_t digest[STIMG_SHA256_SIZE];	/* header, image, prot. TLVs */
	bool signature_ok;			/* a key was given and its
						 * signature verified */
};

/*
 * Checks the image in the len bytes at data: the magic, the sizes and TLV
 * areas, the SHA256 TLV against the digest; with a key (public or
 * private) also that the image is signed for its type, the KEYHASH (or
 * PUBKEY) TLV, and the signature. Returns STIMG_OK when every check
 * passed; else r->failed names the check and d says what was found:
 * STIMG_EFORMAT for MAGIC, SIZES and TLVS, STIMG_ECHECK for the others.
 */
int stimg_mcuboot_verify(const uint8_t *data, size_t len,
			 const struct stimg_key *key,
			 struct stimg_mcuboot_verify_result *r,
			 struct stimg_diag *d);

/* ---- over an image ---- */

/* The largest slot read or signed whole: 64 MiB (MCUboot's are smaller). */
#define STIMG_MCUBOOT_SLOT_MAX ((size_t)64 << 20)

/* Whether img starts, at its lowest address, with an MCUboot header magic. */
bool stimg_mcuboot_detect_image(const struct stimg_image *img);

/*
 * The bytes of img from its lowest address to its highest, holes as 0xFF
 * (erased flash), as MCUboot sees its slot: *data is malloc'd (the caller
 * frees it; NULL on error), *len its size, *addr the lowest address. An
 * empty image, and one that spans more than max bytes, are STIMG_ECHECK
 * (the message gives the span).
 */
int stimg_mcuboot_slot_read(const struct stimg_image *img, size_t max,
			    uint8_t **data, size_t *len, uint32_t *addr,
			    struct stimg_diag *d);

/*
 * Signs img as stimg_mcuboot_sign signs a payload, the payload being
 * stimg_mcuboot_slot_read's bytes of img (o->base is taken from img). s
 * receives the signed image (release it even on error), and out (an
 * initialised, empty image) what to write, at the slot's address: the
 * input's lowest address, less s->header_added. Of a padded image out
 * holds what imgtool writes into a HEX file (the image, image_ok when
 * confirmed, and the boot magic) and leaves the rest of the slot, erased
 * flash, out: a raw binary written from the slot's start fills it with
 * 0xFF and is then imgtool's. out keeps img's entry point.
 * Errors: stimg_mcuboot_sign's; an empty image, and one whose span with
 * the header does not fit the slot (STIMG_ECHECK); a header that would go
 * below address 0, or a slot past 4 GiB (STIMG_ERANGE).
 */
int stimg_mcuboot_sign_image(const struct stimg_image *img,
			     const struct stimg_mcuboot_sign_opts *o,
			     struct stimg_mcuboot_signed *s,
			     struct stimg_image *out, struct stimg_diag *d);

#endif
