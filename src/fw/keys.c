/*
 * Signing keys for MCUboot images: PEM in and out, the four types MCUboot
 * verifies, and signatures over an image's SHA-256 digest, all through
 * libcrypto's EVP interface.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "stimg/format.h"
#include "stimg/mcuboot.h"
#include "fw/fw.h"

/* Far more than any PEM key of the four types; a bigger file is not one. */
#define KEY_FILE_MAX (64u << 10)

struct stimg_key {
	EVP_PKEY *pkey;
	enum stimg_key_type type;
	bool priv;
};

static const struct {
	enum stimg_key_type type;
	const char *name;	/* imgtool keygen --type */
	const char *shortname;	/* imgtool getpub's array name */
	unsigned sig_tlv;
} types[] = {
	{ STIMG_KEY_ED25519, "ed25519", "ed25519", STIMG_MCUBOOT_TLV_ED25519 },
	{ STIMG_KEY_ECDSA_P256, "ecdsa-p256", "ecdsa",
	  STIMG_MCUBOOT_TLV_ECDSA_SIG },
	{ STIMG_KEY_RSA2048, "rsa-2048", "rsa", STIMG_MCUBOOT_TLV_RSA2048_PSS },
	{ STIMG_KEY_RSA3072, "rsa-3072", "rsa", STIMG_MCUBOOT_TLV_RSA3072_PSS },
};

static size_t type_index(enum stimg_key_type t)
{
	size_t i;

	for (i = 0; i + 1 < ARRAY_SIZE(types) && types[i].type != t; i++)
		;
	return i;
}

const char *stimg_key_type_name(enum stimg_key_type t)
{
	return types[type_index(t)].name;
}

bool stimg_key_type_parse(const char *name, enum stimg_key_type *t)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		if (!strcmp(name, types[i].name)) {
			*t = types[i].type;
			return true;
		}
	}
	return false;
}

unsigned key_sig_tlv(enum stimg_key_type t)
{
	return types[type_index(t)].sig_tlv;
}

enum stimg_key_type stimg_key_get_type(const struct stimg_key *key)
{
	return key->type;
}

bool stimg_key_is_private(const struct stimg_key *key)
{
	return key->priv;
}

void stimg_key_free(struct stimg_key *key)
{
	if (key)
		EVP_PKEY_free(key->pkey);
	free(key);
}

/* libcrypto's reason for its last failure, its queue emptied. */
static const char *crypto_reason(void)
{
	unsigned long e = ERR_peek_last_error();
	const char *why = e ? ERR_reason_error_string(e) : NULL;

	ERR_clear_error();
	return why ? why : "no reason given";
}

/* The MCUboot type of p, or a message in what naming what p is. */
static int classify(EVP_PKEY *p, enum stimg_key_type *t, char *what,
		    size_t n)
{
	char group[64] = "";
	int bits = EVP_PKEY_get_bits(p);
	const char *name = EVP_PKEY_get0_type_name(p);
	size_t i;

	switch (EVP_PKEY_get_base_id(p)) {
	case EVP_PKEY_ED25519:
		*t = STIMG_KEY_ED25519;
		return STIMG_OK;
	case EVP_PKEY_EC:
		if (!EVP_PKEY_get_group_name(p, group, sizeof(group), NULL))
			snprintf(group, sizeof(group), "an unnamed curve");
		if (!strcmp(group, "prime256v1")) {
			*t = STIMG_KEY_ECDSA_P256;
			return STIMG_OK;
		}
		snprintf(what, n, "ecdsa on %s", group);
		break;
	case EVP_PKEY_RSA:
		if (bits == 2048 || bits == 3072) {
			*t = bits == 2048 ? STIMG_KEY_RSA2048 : STIMG_KEY_RSA3072;
			return STIMG_OK;
		}
		snprintf(what, n, "rsa-%d", bits);
		break;
	default:
		/* "X25519", "ED448", "DSA", "RSA-PSS": lower case */
		snprintf(what, n, "%s", name ? name : "unknown");
		for (i = 0; what[i]; i++)
			if (what[i] >= 'A' && what[i] <= 'Z')
				what[i] = (char)(what[i] - 'A' + 'a');
		break;
	}
	return STIMG_EFORMAT;
}

/*
 * The whole file (at most KEY_FILE_MAX bytes), NUL-terminated, in *buf
 * (malloc'd), and its permission bits.
 */
static int read_key_file(const char *path, char **buf, size_t *len,
			 unsigned *mode, struct stimg_diag *d)
{
	struct stimg_input in;
	uint8_t *data = NULL;
	int ret;

	ret = stimg_input_open(&in, path, d);
	if (ret)
		return ret;
	*mode = os_mode(in.fd);
	ret = stimg_input_slurp(&in, KEY_FILE_MAX, &data, len, d);
	if (ret == STIMG_ERANGE)
		ret = diag_set(d, path, 0, STIMG_EFORMAT,
			       "not a key: larger than %u KiB", KEY_FILE_MAX >> 10);
	if (!ret && !(*buf = realloc(data, *len + 1)))
		ret = STIMG_ENOMEM;
	if (ret)
		free(data);
	else
		(*buf)[*len] = '\0';
	stimg_input_close(&in);
	return ret;
}

/* No passphrase prompts: an encrypted key is refused before this. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf, (void)size, (void)rwflag, (void)u;
	return -1;
}

int stimg_key_load(struct stimg_key **key, const char *path,
		   struct stimg_diag *d)
{
	char *buf = NULL, what[96];
	BIO *bio = NULL;
	EVP_PKEY *pkey = NULL;
	unsigned mode = 0;
	size_t len = 0;
	bool priv;
	int ret;

	*key = NULL;
	ret = read_key_file(path, &buf, &len, &mode, d);
	if (ret)
		goto out;
	priv = strstr(buf, "PRIVATE KEY-----") != NULL;
	/* PKCS#8's form, and the old one's "Proc-Type: 4,ENCRYPTED" */
	if (strstr(buf, "-----BEGIN ENCRYPTED") || strstr(buf, "4,ENCRYPTED")) {
		ret = diag_set(d, path, 0, STIMG_EFORMAT,
			       "the key is encrypted; stimg takes keys without "
			       "a passphrase");
		goto out;
	}
	if (!priv && !strstr(buf, "-----BEGIN PUBLIC KEY-----")) {
		ret = diag_set(d, path, 0, STIMG_EFORMAT,
			       "not a PEM key (no PRIVATE KEY or PUBLIC KEY "
			       "block)");
		goto out;
	}
	bio = BIO_new_mem_buf(buf, (int)len);
	if (!bio) {
		ret = STIMG_ENOMEM;
		goto out;
	}
	pkey = priv ? PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, NULL)
		    : PEM_read_bio_PUBKEY(bio, NULL, no_passphrase, NULL);
	if (!pkey) {
		ret = diag_set(d, path, 0, STIMG_EFORMAT,
			       "cannot read the %s key: %s",
			       priv ? "private" : "public", crypto_reason());
		goto out;
	}
	*key = calloc(1, sizeof(**key));
	if (!*key) {
		ret = STIMG_ENOMEM;
		goto out;
	}
	(*key)->pkey = pkey;
	(*key)->priv = priv;
	pkey = NULL;
	ret = classify((*key)->pkey, &(*key)->type, what, sizeof(what));
	if (ret) {
		diag_set(d, path, 0, ret, "unsupported key type %s (MCUboot "
			 "keys are ed25519, ecdsa-p256, rsa-2048 or rsa-3072)",
			 what);
		goto out;
	}
	if (priv && (mode & 044))
		diag_warn(d, path, 0, "the private key may be read by others "
			  "(mode %04o); chmod 600 it",
			  mode);
out:
	if (ret) {
		stimg_key_free(*key);
		*key = NULL;
	}
	EVP_PKEY_free(pkey);
	BIO_free(bio);
	if (buf)
		OPENSSL_cleanse(buf, len + 1);
	free(buf);
	return ret;
}

int stimg_key_generate(struct stimg_key **key, enum stimg_key_type t,
		       struct stimg_diag *d)
{
	EVP_PKEY *p = NULL;

	switch (t) {
	case STIMG_KEY_ED25519:
		p = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
		break;
	case STIMG_KEY_ECDSA_P256:
		p = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
		break;
	case STIMG_KEY_RSA2048:
	case STIMG_KEY_RSA3072:
		p = EVP_PKEY_Q_keygen(NULL, NULL, "RSA",
				      (size_t)(t == STIMG_KEY_RSA2048 ? 2048
								      : 3072));
		break;
	}
	*key = p ? calloc(1, sizeof(**key)) : NULL;
	if (!*key) {
		EVP_PKEY_free(p);
		return diag_set(d, NULL, 0, STIMG_ENOMEM,
				"cannot generate a %s key: %s",
				stimg_key_type_name(t), crypto_reason());
	}
	(*key)->pkey = p;
	(*key)->type = t;
	(*key)->priv = true;
	return STIMG_OK;
}

int stimg_key_write_private(const struct stimg_key *key, const char *path,
			    struct stimg_diag *d)
{
	struct stimg_output out;
	int ret;

	if (!key->priv)
		return diag_set(d, path, 0, STIMG_EINVAL,
				"not a private key: nothing to write");
	if (!strcmp(path, "-"))
		return diag_set(d, NULL, 0, STIMG_EINVAL,
				"private keys are not written to standard "
				"output; give a file name");
	ret = stimg_output_open(&out, path, d);
	if (ret)
		return ret;
	if (os_private(out.f)) {
		ret = diag_set(d, path, 0, STIMG_EIO, "cannot write: %s",
			       strerror(errno));
		goto out;
	}
	if (!PEM_write_PrivateKey(out.f, key->pkey, NULL, NULL, 0, NULL,
				  NULL)) {
		ret = diag_set(d, path, 0, STIMG_EIO, "cannot write the key: %s",
			       crypto_reason());
		goto out;
	}
	ret = stimg_output_commit(&out, d);
out:
	if (ret)
		stimg_output_abort(&out);
	return ret;
}

int stimg_key_public_der(const struct stimg_key *key, uint8_t **der,
			 size_t *len)
{
	unsigned char *p = NULL;
	/* what imgtool embeds: PKCS#1 for RSA, SubjectPublicKeyInfo else */
	int n = key->type == STIMG_KEY_RSA2048 || key->type == STIMG_KEY_RSA3072
			? i2d_PublicKey(key->pkey, &p)
			: i2d_PUBKEY(key->pkey, &p);

	*der = n > 0 ? malloc((size_t)n) : NULL;
	if (*der) {
		memcpy(*der, p, (size_t)n);
		*len = (size_t)n;
	}
	OPENSSL_free(p);
	ERR_clear_error();
	return *der ? STIMG_OK : STIMG_ENOMEM;
}

int stimg_key_hash(const struct stimg_key *key,
		   uint8_t md[STIMG_SHA256_SIZE])
{
	uint8_t *der;
	size_t len;
	int ret = stimg_key_public_der(key, &der, &len);

	if (ret)
		return ret;
	ret = stimg_sha256_buffer(der, len, md);
	free(der);
	return ret;
}

int stimg_key_public_source(const struct stimg_key *key,
			    enum stimg_key_lang lang, char **text)
{
	const char *shortname = types[type_index(key->type)].shortname;
	uint8_t *der;
	size_t len, i, at, cap;
	char upper[16];
	int ret = stimg_key_public_der(key, &der, &len);

	if (ret)
		return ret;
	/* each byte "0x12," and at most 5 characters before it */
	cap = 256 + len * 10;
	*text = malloc(cap);
	if (!*text) {
		free(der);
		return STIMG_ENOMEM;
	}
	for (i = 0; shortname[i] && i + 1 < sizeof(upper); i++)
		upper[i] = (char)(shortname[i] >= 'a' && shortname[i] <= 'z'
					  ? shortname[i] - 'a' + 'A'
					  : shortname[i]);
	upper[i] = '\0';
	at = (size_t)snprintf(*text, cap,
			      "/* Autogenerated by imgtool.py, do not edit. */\n");
	if (lang == STIMG_KEY_LANG_RUST)
		at += (size_t)snprintf(*text + at, cap - at,
				       "static %s_PUB_KEY: &[u8] = &[", upper);
	else
		at += (size_t)snprintf(*text + at, cap - at,
				       "const unsigned char %s_pub_key[] = {",
				       shortname);
	for (i = 0; i < len; i++)
		at += (size_t)snprintf(*text + at, cap - at, "%s0x%02x,",
				       i % 8 ? " " : "\n    ", der[i]);
	if (lang == STIMG_KEY_LANG_RUST)
		snprintf(*text + at, cap - at, "\n];\n");
	else
		snprintf(*text + at, cap - at,
			 "\n};\nconst unsigned int %s_pub_key_len = %zu;\n",
			 shortname, len);
	free(der);
	return STIMG_OK;
}

/*
 * A context for ECDSA P-256 with SHA-256, or RSA-PSS with SHA-256, MGF1
 * SHA-256 and a 32-byte salt (what MCUboot verifies), over a digest; NULL
 * when libcrypto fails.
 */
static EVP_PKEY_CTX *digest_ctx(const struct stimg_key *key, bool sign)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(key->pkey, NULL);
	bool rsa = key->type == STIMG_KEY_RSA2048 ||
		   key->type == STIMG_KEY_RSA3072;

	bool ok = ctx && (sign ? EVP_PKEY_sign_init(ctx)
			       : EVP_PKEY_verify_init(ctx)) == 1 &&
		  EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256()) == 1;

	if (ok && rsa)
		ok = EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) == 1 &&
		     EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, EVP_sha256()) == 1 &&
		     EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, STIMG_SHA256_SIZE) == 1;
	if (!ok) {
		EVP_PKEY_CTX_free(ctx);
		ctx = NULL;
	}
	return ctx;
}

/*
 * imgtool signs Ed25519 over the image's SHA-256 digest as the message,
 * and ECDSA and RSA-PSS over the image with SHA-256, which is the same as
 * over its digest with the digest algorithm set.
 */
int key_sign(const struct stimg_key *key, const uint8_t md[STIMG_SHA256_SIZE],
	     uint8_t *sig, size_t *siglen)
{
	EVP_MD_CTX *mctx = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	bool ok;

	if (key->type == STIMG_KEY_ED25519) {
		mctx = EVP_MD_CTX_new();
		ok = mctx &&
		     EVP_DigestSignInit(mctx, NULL, NULL, NULL, key->pkey) == 1 &&
		     EVP_DigestSign(mctx, sig, siglen, md,
				    STIMG_SHA256_SIZE) == 1;
	} else {
		ctx = digest_ctx(key, true);
		ok = ctx && EVP_PKEY_sign(ctx, sig, siglen, md,
					  STIMG_SHA256_SIZE) == 1;
	}
	EVP_MD_CTX_free(mctx);
	EVP_PKEY_CTX_free(ctx);
	ERR_clear_error();
	return ok ? STIMG_OK : STIMG_ENOMEM;
}

int key_verify(const struct stimg_key *key,
	       const uint8_t md[STIMG_SHA256_SIZE], const uint8_t *sig,
	       size_t siglen)
{
	EVP_MD_CTX *mctx = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	int r = STIMG_ENOMEM;	/* until a verification ran */

	if (key->type == STIMG_KEY_ED25519) {
		mctx = EVP_MD_CTX_new();
		if (mctx && EVP_DigestVerifyInit(mctx, NULL, NULL, NULL,
						 key->pkey) == 1)
			r = EVP_DigestVerify(mctx, sig, siglen, md,
					     STIMG_SHA256_SIZE) == 1;
	} else {
		ctx = digest_ctx(key, false);
		if (ctx)
			r = EVP_PKEY_verify(ctx, sig, siglen, md,
					    STIMG_SHA256_SIZE) == 1;
	}
	EVP_MD_CTX_free(mctx);
	EVP_PKEY_CTX_free(ctx);
	ERR_clear_error();
	return r;
}
