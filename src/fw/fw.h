/* What the firmware-level files share; not installed. */
#ifndef STIMG_FW_H
#define STIMG_FW_H

#include "fmt/fmt.h"
#include "stimg/mcuboot.h"

#define image_places_release stimg__image_places_release
#define key_sig_tlv stimg__key_sig_tlv
#define key_sign stimg__key_sign
#define key_verify stimg__key_verify

/* Frees the image's dropped ranges, places and ELF headers (src/place.c). */
void image_places_release(struct stimg_image *img);

/* MCUboot's signature TLV type for keys of type t (keys.c). */
unsigned key_sig_tlv(enum stimg_key_type t);

/*
 * Signs the SHA-256 digest md of an image as imgtool does for the key's
 * type, into sig (*siglen: its size in, the signature's length out; 512
 * bytes hold any).
 */
int key_sign(const struct stimg_key *key, const uint8_t md[STIMG_SHA256_SIZE],
	     uint8_t *sig, size_t *siglen);

/* 1 when sig is the key's signature of md, 0 when not, or STIMG_ENOMEM. */
int key_verify(const struct stimg_key *key,
	       const uint8_t md[STIMG_SHA256_SIZE], const uint8_t *sig,
	       size_t siglen);

/*
 * MCUboot (mcuboot.c): the head of a TLV (u16 type, u16 length) and of a
 * TLV area (u16 magic, u16 size); the boot magic that ends a swap trailer
 * when max-align is 8, and otherwise its last 14 bytes, after max-align as
 * a u16.
 */
#define MCUBOOT_TLV_HEAD 4
#define MCUBOOT_MAGIC_SIZE 16
#define mcuboot_boot_magic stimg__mcuboot_boot_magic
#define mcuboot_boot_magic_tail stimg__mcuboot_boot_magic_tail
extern const uint8_t mcuboot_boot_magic[MCUBOOT_MAGIC_SIZE];
extern const uint8_t mcuboot_boot_magic_tail[MCUBOOT_MAGIC_SIZE - 2];

#define mcuboot_check_opts stimg__mcuboot_check_opts

/*
 * Whether the signing options go together (stimg_mcuboot_sign's
 * STIMG_EINVAL cases); *max_align receives the trailer's alignment.
 */
int mcuboot_check_opts(const struct stimg_mcuboot_sign_opts *o,
		       unsigned *max_align, struct stimg_diag *d);

#define entry_pick stimg__entry_pick
#define entry_final stimg__entry_final

struct stimg_transform;

/* The entry point kept so far among the inputs, by the policy. */
struct entry_pick {
	bool has;
	uint32_t entry;
	const char *from;	/* the input it came from */
};

/*
 * Input spec gives entry: kept or not by t->entry (first or last), with a
 * note through d when it differs from the one kept.
 */
void entry_pick(struct entry_pick *e, const struct stimg_transform *t,
		const char *spec, uint32_t entry, struct stimg_diag *d);
/* The image's entry point after all inputs: false for none. */
bool entry_final(const struct entry_pick *e, const struct stimg_transform *t,
		 uint32_t *entry);

#define put_uint stimg__put_uint
#define get_uint stimg__get_uint
#define field_at stimg__field_at
#define field_size stimg__field_size
#define write_field stimg__write_field
#define apply_set stimg__apply_set
#define encode_version stimg__encode_version

struct stimg_patch;
struct stimg_patch_result;

/* n bytes of v at p, little- or big-endian; and back. */
void put_uint(uint8_t *p, uint64_t v, size_t n, bool big_endian);
uint64_t get_uint(const uint8_t *p, size_t n, bool big_endian);

/* What a field is, for the check of what it overwrites and messages. */
struct field {
	const char *what;	/* "CRC", "version", "size", "--set" */
	const char *section;	/* the section named for it, or NULL */
	bool named;		/* its LOC named a section or a symbol */
};

/*
 * Where a field goes (field.c): LOC as a range (START+SIZE, START:END), or
 * through stimg_image_locate (an address: an empty range, the value sets
 * the size; a section or symbol: its bytes, and f->named); dflt is the LOC
 * when loc is NULL. field_size: the field's size for an n-byte value.
 */
int field_at(const struct stimg_image *img, const char *loc, const char *dflt,
	     const char *what, struct stimg_range *r, struct field *f,
	     struct stimg_diag *d);
int field_size(const struct stimg_range *r, size_t n, const char *what,
	       size_t *size, struct stimg_diag *d);

/*
 * Writes n bytes as field f at addr, after checking what it writes over
 * (absent, erased or zero bytes, or its own section, unless p->force),
 * and adds them to r->fields.
 */
int write_field(struct stimg_image *img, const struct stimg_patch *p,
		const struct field *f, uint64_t addr, const uint8_t *b, size_t n,
		struct stimg_patch_result *r, struct stimg_diag *d);

/* Applies one --set LOC=TYPE:VALUE. */
int apply_set(struct stimg_image *img, const struct stimg_patch *p,
	      const char *arg, struct stimg_patch_result *r,
	      struct stimg_diag *d);

/* The largest version field (a string's) encode_version fills. */
#define VERSION_MAX 4096

/* p->version encoded for a field of size bytes at addr, into out (*n). */
int encode_version(const struct stimg_patch *p, size_t size, uint64_t addr,
		   uint8_t *out, size_t *n, struct stimg_diag *d);

#endif
