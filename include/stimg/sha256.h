/*
 * SHA-256 (through OpenSSL's libcrypto), in a stream, so that a caller can
 * feed a range piece by piece (data, then fill for a hole) without a flat
 * copy: for digest fields (patch and verify --sha256-at) and MCUboot images.
 *
 *	struct stimg_sha256 s;
 *	uint8_t md[STIMG_SHA256_SIZE];
 *
 *	if (!stimg_sha256_init(&s)) {
 *		stimg_sha256_update(&s, "ab", 2);
 *		stimg_sha256_update(&s, "c", 1);
 *		stimg_sha256_final(&s, md);	// ba7816bf...
 *	}
 *	stimg_sha256_release(&s);
 */
#ifndef STIMG_SHA256_H
#define STIMG_SHA256_H

#include <stddef.h>
#include <stdint.h>

#include "stimg/image.h"
#include "stimg/stimg.h"

#define STIMG_SHA256_SIZE 32

/* A running SHA-256; the context is private. */
struct stimg_sha256 {
	void *ctx;
	int err;	/* the first failure of update, reported by final */
};

/* Starts a digest: STIMG_OK or STIMG_ENOMEM. Release it in either case. */
int stimg_sha256_init(struct stimg_sha256 *s);

/* Feeds n bytes. */
void stimg_sha256_update(struct stimg_sha256 *s, const void *data, size_t n);

/*
 * Feeds the bytes of range r of img: the image's data, and fill in the
 * holes (through stimg_image_walk, without a flat copy).
 */
void stimg_sha256_image(struct stimg_sha256 *s, const struct stimg_image *img,
			const struct stimg_range *r, uint8_t fill);

/*
 * The digest of everything fed, into md; the stream ends (release it
 * next). STIMG_ENOMEM when libcrypto failed on the way.
 */
int stimg_sha256_final(struct stimg_sha256 *s, uint8_t md[STIMG_SHA256_SIZE]);

void stimg_sha256_release(struct stimg_sha256 *s);

/* One-shot: the digest of n bytes at data. */
int stimg_sha256_buffer(const void *data, size_t n,
			uint8_t md[STIMG_SHA256_SIZE]);

#endif
