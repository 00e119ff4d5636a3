/* SHA-256 through libcrypto's EVP interface, fed in pieces. */
#include <openssl/evp.h>

#include "stimg/sha256.h"
#include "core/core.h"

int stimg_sha256_init(struct stimg_sha256 *s)
{
	s->err = STIMG_OK;
	s->ctx = EVP_MD_CTX_new();
	if (!s->ctx || !EVP_DigestInit_ex(s->ctx, EVP_sha256(), NULL))
		s->err = STIMG_ENOMEM;
	return s->err;
}

void stimg_sha256_update(struct stimg_sha256 *s, const void *data, size_t n)
{
	if (!s->err && n && !EVP_DigestUpdate(s->ctx, data, n))
		s->err = STIMG_ENOMEM;
}

static int walk_update(void *ctx, const uint8_t *p, size_t n)
{
	stimg_sha256_update(ctx, p, n);
	return STIMG_OK;
}

void stimg_sha256_image(struct stimg_sha256 *s, const struct stimg_image *img,
			const struct stimg_range *r, uint8_t fill)
{
	stimg_image_walk(img, r, fill, walk_update, s);
}

int stimg_sha256_final(struct stimg_sha256 *s, uint8_t md[STIMG_SHA256_SIZE])
{
	unsigned n = 0;

	if (!s->err && (!EVP_DigestFinal_ex(s->ctx, md, &n) ||
			n != STIMG_SHA256_SIZE))
		s->err = STIMG_ENOMEM;
	return s->err;
}

void stimg_sha256_release(struct stimg_sha256 *s)
{
	EVP_MD_CTX_free(s->ctx);
	s->ctx = NULL;
}

int stimg_sha256_buffer(const void *data, size_t n,
			uint8_t md[STIMG_SHA256_SIZE])
{
	struct stimg_sha256 s;
	int ret = stimg_sha256_init(&s);

	stimg_sha256_update(&s, data, n);
	if (!ret)
		ret = stimg_sha256_final(&s, md);
	stimg_sha256_release(&s);
	return ret;
}
