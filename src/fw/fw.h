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

#endif
