/*
 * MCUboot images and their keys (stimg/mcuboot.h) and SHA-256
 * (stimg/sha256.h), against the vectors in tests/data/mcuboot, made by
 * imgtool 2.4.0 (its README says how): stimg signs byte for byte as
 * imgtool for Ed25519 and SHA-256 only (trailers included), verifies
 * imgtool's ECDSA and RSA-PSS signatures, names the check that fails,
 * refuses what it must with its message, reads keys in every PEM form
 * imgtool and OpenSSL write, prints the public key as imgtool getpub, and
 * reads hostile images without reading outside them.
 */
#include <limits.h>
#include <sys/stat.h>

#include "testlib.h"
#include "stimg/mcuboot.h"
#include "stimg/sha256.h"

static char data_dir[PATH_MAX];

static int setup(void **state)
{
	const char *top = getenv("STIMG_TOP");
	char buf[PATH_MAX - 64];

	if (!realpath(top ? top : ".", data_dir) ||
	    strlen(data_dir) >= sizeof(buf))
		return -1;
	strcpy(buf, data_dir);
	snprintf(data_dir, sizeof(data_dir), "%s/tests/data/mcuboot", buf);
	return tl_setup_dir(state);
}

/* ---- helpers ---- */

/* The path of a file of tests/data/mcuboot (a static buffer). */
static const char *vec_path(const char *name)
{
	static char buf[PATH_MAX];

	assert_true((size_t)snprintf(buf, sizeof(buf), "%s/%s", data_dir,
				     name) < sizeof(buf));
	return buf;
}

static uint8_t *vec(const char *name, size_t *len)
{
	return (uint8_t *)tl_slurp(vec_path(name), len);
}

static struct stimg_key *key_of(const char *name)
{
	struct stimg_key *k = NULL;
	struct stimg_diag d;

	memset(&d, 0, sizeof(d));
	assert_int_equal(stimg_key_load(&k, vec_path(name), &d), STIMG_OK);
	return k;
}

/* A diag cleared for the next call. */
static struct stimg_diag *fresh(struct stimg_diag *d)
{
	memset(d, 0, sizeof(*d));
	return d;
}

/* The README's common options: -v V -H 0x200 --pad-header -S 0x20000. */
static void opts_init(struct stimg_mcuboot_sign_opts *o, const char *version)
{
	struct stimg_diag d;

	stimg_mcuboot_sign_opts_init(o);
	assert_int_equal(stimg_mcuboot_version_parse(version, &o->version,
						     fresh(&d)), STIMG_OK);
	o->pad_header = true;
	o->slot_size = 0x20000;
}

/* Signs payload.bin with o and the key in keyname (NULL: none); the
 * output must be vector want byte for byte. */
static void sign_like(struct stimg_mcuboot_sign_opts *o, const char *keyname,
		      const char *want)
{
	struct stimg_mcuboot_signed s = STIMG_MCUBOOT_SIGNED_INIT;
	struct stimg_key *key = keyname ? key_of(keyname) : NULL;
	struct stimg_diag d;
	size_t plen, wlen;
	uint8_t *payload = vec("payload.bin", &plen), *w = vec(want, &wlen);

	o->key = key;
	assert_int_equal(stimg_mcuboot_sign(payload, plen, o, &s, fresh(&d)),
			 STIMG_OK);
	assert_int_equal(s.len, wlen);
	assert_memory_equal(s.data, w, wlen);
	stimg_mcuboot_signed_release(&s);
	stimg_key_free(key);
	free(payload);
	free(w);
}

/* A hex string to bytes (n of them). */
static void unhex(const char *s, uint8_t *out, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = (uint8_t)hex_pair((const uint8_t *)s + 2 * i);
}

/* ---- SHA-256 ---- */

/* FIPS 180-2's examples; a million 'a' fed in odd pieces; an image's
 * range with a hole filled. */
static void test_sha256(void **state)
{
	uint8_t md[32], want[32], flat[64];
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_range r = { 0x1000, 0x1040 };
	struct stimg_sha256 s;
	struct stimg_diag d;
	char *a = malloc(1000000);
	size_t at, n;

	(void)state;
	assert_int_equal(stimg_sha256_buffer("abc", 3, md), STIMG_OK);
	unhex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	      want, 32);
	assert_memory_equal(md, want, 32);
	assert_int_equal(stimg_sha256_buffer("", 0, md), STIMG_OK);
	unhex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	      want, 32);
	assert_memory_equal(md, want, 32);

	assert_non_null(a);
	memset(a, 'a', 1000000);
	assert_int_equal(stimg_sha256_init(&s), STIMG_OK);
	for (at = 0; at < 1000000; at += n) {
		n = 1000000 - at < 997 ? 1000000 - at : 997;
		stimg_sha256_update(&s, a + at, n);
	}
	assert_int_equal(stimg_sha256_final(&s, md), STIMG_OK);
	stimg_sha256_release(&s);
	unhex("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
	      want, 32);
	assert_memory_equal(md, want, 32);
	free(a);

	/*  [0x1000 "0123456789"]  hole (0xFF)  [0x1030 "abcdef"]  hole
	 *  [================= r: 0x1000..0x1040 ===================]   */
	assert_int_equal(tl_put(&img, 0x1000, "0123456789", 10, 0, 1,
				STIMG_OVERLAP_ERROR, fresh(&d)), STIMG_OK);
	assert_int_equal(tl_put(&img, 0x1030, "abcdef", 6, 0, 2,
				STIMG_OVERLAP_ERROR, fresh(&d)), STIMG_OK);
	memset(flat, 0xFF, sizeof(flat));
	memcpy(flat, "0123456789", 10);
	memcpy(flat + 0x30, "abcdef", 6);
	assert_int_equal(stimg_sha256_buffer(flat, sizeof(flat), want),
			 STIMG_OK);
	assert_int_equal(stimg_sha256_init(&s), STIMG_OK);
	stimg_sha256_image(&s, &img, &r, 0xFF);
	assert_int_equal(stimg_sha256_final(&s, md), STIMG_OK);
	stimg_sha256_release(&s);
	assert_memory_equal(md, want, 32);
	stimg_image_release(&img);
}

/* ---- versions ---- */

static void test_version(void **state)
{
	static const struct {
		const char *text;
		unsigned major, minor, revision;
		uint32_t build;
	} good[] = {
		{ "0", 0, 0, 0, 0 },
		{ "1", 1, 0, 0, 0 },
		{ "1.2", 1, 2, 0, 0 },
		{ "1.2.3", 1, 2, 3, 0 },
		{ "1.2.3+4", 1, 2, 3, 4 },
		{ "255.255.65535+4294967295", 255, 255, 65535, 4294967295u },
		{ "10.0.0+0", 10, 0, 0, 0 },
	};
	static const struct {
		const char *text, *msg;
	} bad[] = {
#define SYNTAX(v) { v, "version '" v "' is not MAJ.MIN.REV+BUILD (e.g. " \
		       "1.2.3+4; the parts after the first may be left out)" }
		SYNTAX(""), SYNTAX("1."), SYNTAX(".1"), SYNTAX("1.2.3.4"),
		SYNTAX("1.2+3"), SYNTAX("1+2"), SYNTAX("1.2.3+"),
		SYNTAX("1.2.3+4+5"), SYNTAX("a"), SYNTAX("1.x"), SYNTAX(" 1"),
		SYNTAX("1 "), SYNTAX("-1"), SYNTAX("+1"), SYNTAX("1..2"),
		SYNTAX("v1.2.3"),
#undef SYNTAX
		{ "01.2", "version '01.2': major '01' has a leading zero" },
		{ "1.2.03",
		  "version '1.2.03': revision '03' has a leading zero" },
		{ "1.2.3+00",
		  "version '1.2.3+00': build '00' has a leading zero" },
		{ "256",
		  "version '256': major 256 does not fit (at most 255)" },
		{ "1.256",
		  "version '1.256': minor 256 does not fit (at most 255)" },
		{ "1.2.65536", "version '1.2.65536': revision 65536 does not fit "
			       "(at most 65535)" },
		{ "1.2.3+4294967296", "version '1.2.3+4294967296': build "
				      "4294967296 does not fit (at most "
				      "4294967295)" },
		{ "1.2.3+99999999999999999999999", "version "
		  "'1.2.3+99999999999999999999999': build "
		  "99999999999999999999999 does not fit (at most 4294967295)" },
	};
	struct stimg_mcuboot_version v;
	struct stimg_diag d;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(good); i++) {
		memset(&v, 0xAA, sizeof(v));
		assert_int_equal(stimg_mcuboot_version_parse(good[i].text, &v,
							     fresh(&d)),
				 STIMG_OK);
		assert_int_equal(v.major, good[i].major);
		assert_int_equal(v.minor, good[i].minor);
		assert_int_equal(v.revision, good[i].revision);
		assert_int_equal(v.build, good[i].build);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(stimg_mcuboot_version_parse(bad[i].text, &v,
							     fresh(&d)),
				 STIMG_EINVAL);
		assert_string_equal(d.msg, bad[i].msg);
	}
}

/* ---- signing ---- */

/* Each deterministic vector, signed again byte for byte. */
static void test_sign_vectors(void **state)
{
	struct stimg_mcuboot_sign_opts o;

	(void)state;
	opts_init(&o, "1.2.3+4");
	sign_like(&o, "ed25519-test.pem", "signed-ed25519.bin");

	opts_init(&o, "1.0.0");
	sign_like(&o, NULL, "unsigned-sha256.bin");

	opts_init(&o, "1.2.3+4");
	o.pad = o.confirm = true;
	o.align = 8;
	sign_like(&o, "ed25519-test.pem", "signed-ed25519-padded-confirmed.bin");

	/* --confirm alone pads too, as imgtool's does */
	o.pad = false;
	sign_like(&o, "ed25519-test.pem", "signed-ed25519-padded-confirmed.bin");

	opts_init(&o, "1.2.3+4");
	o.seccnt = STIMG_MCUBOOT_SECCNT_AUTO;
	sign_like(&o, "ed25519-test.pem", "signed-ed25519-seccnt-auto.bin");

	opts_init(&o, "3.1.0");
	o.seccnt = STIMG_MCUBOOT_SECCNT_VALUE;
	o.security_counter = 0x10203;
	o.load_addr = 0x20000000;
	sign_like(&o, "ed25519-test.pem", "signed-ed25519-seccnt-loadaddr.bin");

	opts_init(&o, "1.0.0");
	o.slot_size = 0x4000;
	o.pad = o.confirm = true;
	o.align = 16;
	sign_like(&o, "ed25519-test.pem",
		  "signed-ed25519-align16-confirmed.bin");

	opts_init(&o, "1.0.0");
	o.slot_size = 0x4000;
	o.pad = true;
	o.align = 4;
	o.max_align = 32;
	sign_like(&o, "ed25519-test.pem",
		  "signed-ed25519-align4-maxalign32.bin");
}

/* Without pad_header the input's zero header area becomes the header. */
static void test_sign_zero_header(void **state)
{
	struct stimg_mcuboot_signed s = STIMG_MCUBOOT_SIGNED_INIT;
	struct stimg_mcuboot_sign_opts o;
	struct stimg_diag d;
	size_t plen, wlen;
	uint8_t *payload = vec("payload.bin", &plen);
	uint8_t *w = vec("unsigned-zero-header.bin", &wlen);
	uint8_t *in = calloc(1, 0x200 + plen);

	(void)state;
	assert_non_null(in);
	memcpy(in + 0x200, payload, plen);
	opts_init(&o, "1.0.0");
	o.pad_header = false;
	assert_int_equal(stimg_mcuboot_sign(in, 0x200 + plen, &o, &s,
					    fresh(&d)), STIMG_OK);
	assert_int_equal(s.header_added, 0);
	assert_int_equal(s.len, wlen);
	assert_memory_equal(s.data, w, wlen);
	stimg_mcuboot_signed_release(&s);
	free(in);
	free(payload);
	free(w);
}

static int read_hex(struct stimg_image *img, const char *name)
{
	struct stimg_diag d;

	return stimg_read(img, vec_path(name), NULL, STIMG_OVERLAP_ERROR, NULL,
			  fresh(&d));
}

/*
 * The HEX vectors hold the same bytes at 0x08020000; padded, imgtool
 * writes only image_ok and the magic of the trailer, which the offsets
 * in the result give.
 */
static void test_sign_hex_vectors(void **state)
{
	struct stimg_mcuboot_signed s = STIMG_MCUBOOT_SIGNED_INIT;
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_mcuboot_sign_opts o;
	struct stimg_key *key = key_of("ed25519-test.pem");
	struct stimg_diag d;
	char want[128];
	size_t plen;
	uint8_t *payload = vec("payload.bin", &plen);
	uint32_t base = 0x08020000;

	(void)state;
	opts_init(&o, "2.0.0+17");
	o.key = key;
	assert_int_equal(stimg_mcuboot_sign(payload, plen, &o, &s, fresh(&d)),
			 STIMG_OK);
	assert_int_equal(s.header_added, 0x200);
	assert_int_equal(read_hex(&img, "signed-ed25519-at-0x08020000.hex"),
			 STIMG_OK);
	snprintf(want, sizeof(want), "[0x%08X,0x%08zX)", base, base + s.len);
	assert_string_equal(tl_segs(&img), want);
	tl_assert_bytes(&img, base, s.data, s.len);
	stimg_image_release(&img);
	stimg_mcuboot_signed_release(&s);

	opts_init(&o, "1.2.3+4");
	o.key = key;
	o.confirm = true;
	o.align = 8;
	assert_int_equal(stimg_mcuboot_sign(payload, plen, &o, &s, fresh(&d)),
			 STIMG_OK);
	assert_true(s.padded && s.confirmed);
	assert_int_equal(s.len, 0x20000);
	assert_int_equal(s.image_len, 0xE48);
	assert_int_equal(s.max_align, 8);
	assert_int_equal(s.magic_off, 0x1FFF0);
	assert_int_equal(s.image_ok_off, 0x1FFE8);
	assert_int_equal(s.trailer_size, 128 * 3 * 8 + 4 * 8 + 16);
	assert_int_equal(read_hex(&img, "signed-ed25519-padded-at-0x08020000.hex"),
			 STIMG_OK);
	/* image_ok's 8 bytes end where the magic starts: one region */
	snprintf(want, sizeof(want), "[0x%08X,0x%08zX) [0x%08zX,0x%08X)", base,
		 base + s.image_len, base + s.image_ok_off, base + 0x20000);
	assert_string_equal(tl_segs(&img), want);
	tl_assert_bytes(&img, base, s.data, s.image_len);
	tl_assert_bytes(&img, base + (uint32_t)s.image_ok_off,
			s.data + s.image_ok_off, s.max_align + 16);
	stimg_image_release(&img);
	stimg_mcuboot_signed_release(&s);
	stimg_key_free(key);
	free(payload);
}

/*
 * Over an image: the payload at 0x08020200 signed into the image imgtool's
 * padded HEX holds (image, image_ok, magic, and the entry point kept);
 * that image read back as one slot is imgtool's padded binary; and the
 * refusals of a span too large, a header below 0, a slot past 4 GiB.
 */
static void test_sign_image(void **state)
{
	struct stimg_mcuboot_signed s = STIMG_MCUBOOT_SIGNED_INIT;
	struct stimg_image in = STIMG_IMAGE_INIT, out = STIMG_IMAGE_INIT;
	struct stimg_image want = STIMG_IMAGE_INIT;
	struct stimg_mcuboot_sign_opts o;
	struct stimg_key *key = key_of("ed25519-test.pem");
	struct stimg_diag d;
	size_t plen, wlen, len;
	uint8_t *payload = vec("payload.bin", &plen), *data;
	uint8_t *w = vec("signed-ed25519-padded-confirmed.bin", &wlen);
	uint32_t src, addr;
	uint32_t entry;

	(void)state;
	assert_int_equal(stimg_image_add_source(&in, "payload", NULL, NULL,
						&src), STIMG_OK);
	assert_int_equal(stimg_image_put(&in, 0x08020200, payload, plen, src, 0,
					 STIMG_OVERLAP_ERROR, fresh(&d)),
			 STIMG_OK);
	stimg_image_set_entry(&in, true, 0x08020301);
	assert_false(stimg_mcuboot_detect_image(&in));
	opts_init(&o, "1.2.3+4");
	o.key = key;
	o.confirm = true;
	o.align = 8;
	o.base = 0x1234;	/* taken from the image */
	assert_int_equal(stimg_mcuboot_sign_image(&in, &o, &s, &out, fresh(&d)),
			 STIMG_OK);
	assert_int_equal(read_hex(&want, "signed-ed25519-padded-at-0x08020000.hex"),
			 STIMG_OK);
	tl_assert_same_data(&want, &out);
	assert_true(stimg_image_entry(&out, &entry));
	assert_int_equal(entry, 0x08020301);
	assert_true(stimg_mcuboot_detect_image(&out));
	assert_int_equal(s.len, wlen);
	assert_memory_equal(s.data, w, wlen);
	stimg_mcuboot_signed_release(&s);

	/* the slot as MCUboot reads it: the erased rest as 0xFF */
	assert_int_equal(stimg_mcuboot_slot_read(&out, STIMG_MCUBOOT_SLOT_MAX,
						 &data, &len, &addr, fresh(&d)),
			 STIMG_OK);
	assert_int_equal(addr, 0x08020000);
	assert_int_equal(len, wlen);
	assert_memory_equal(data, w, wlen);
	free(data);
	assert_int_equal(stimg_mcuboot_slot_read(&out, 0x1FFFF, &data, &len,
						 &addr, fresh(&d)),
			 STIMG_ECHECK);
	assert_null(data);
	assert_string_equal(d.msg, "the image spans 0x08020000..0x0803FFFF "
			    "(0x20000 bytes), more than the 0x1FFFF of a slot");
	stimg_image_release(&out);

	/* the input and its header do not fit the slot: before any copy */
	o.slot_size = 0xDB7;
	o.confirm = false;
	assert_int_equal(stimg_mcuboot_sign_image(&in, &o, &s, &out, fresh(&d)),
			 STIMG_ECHECK);
	assert_string_equal(d.msg, "image too large for the slot: the input "
			    "spans 0x08020200..0x08020DB7 (0xBB8 bytes) and the "
			    "header goes before it, more than the slot size "
			    "0xDB7");
	assert_string_equal(tl_segs(&out), "");
	stimg_mcuboot_signed_release(&s);

	/* a header below 0; a slot past 4 GiB */
	stimg_image_release(&in);
	assert_int_equal(stimg_image_add_source(&in, "payload", NULL, NULL,
						&src), STIMG_OK);
	assert_int_equal(stimg_image_put(&in, 0x100, payload, plen, src, 0,
					 STIMG_OVERLAP_ERROR, fresh(&d)),
			 STIMG_OK);
	opts_init(&o, "1.0.0");
	assert_int_equal(stimg_mcuboot_sign_image(&in, &o, &s, &out, fresh(&d)),
			 STIMG_ERANGE);
	assert_string_equal(d.msg, "the 0x200-byte header does not fit below "
			    "the input's lowest address 0x00000100");
	stimg_mcuboot_signed_release(&s);
	stimg_image_release(&in);
	assert_int_equal(stimg_image_add_source(&in, "payload", NULL, NULL,
						&src), STIMG_OK);
	assert_int_equal(stimg_image_put(&in, 0xFFFFF000, payload, plen, src, 0,
					 STIMG_OVERLAP_ERROR, fresh(&d)),
			 STIMG_OK);
	o.pad = true;
	assert_int_equal(stimg_mcuboot_sign_image(&in, &o, &s, &out, fresh(&d)),
			 STIMG_ERANGE);
	assert_string_equal(d.msg, "the signed image at 0xFFFFEE00 (0x20000 "
			    "bytes) runs past 4 GiB");
	assert_string_equal(tl_segs(&out), "");
	stimg_mcuboot_signed_release(&s);

	/* nothing to sign */
	stimg_image_release(&in);
	assert_int_equal(stimg_mcuboot_sign_image(&in, &o, &s, &out, fresh(&d)),
			 STIMG_ECHECK);
	assert_string_equal(d.msg, "the image holds no data");
	stimg_mcuboot_signed_release(&s);

	stimg_image_release(&in);
	stimg_image_release(&out);
	stimg_image_release(&want);
	stimg_key_free(key);
	free(payload);
	free(w);
}

/* Every error of stimg_mcuboot_sign, with its message. */
static void test_sign_errors(void **state)
{
	struct stimg_mcuboot_signed s = STIMG_MCUBOOT_SIGNED_INIT;
	struct stimg_mcuboot_sign_opts o;
	struct stimg_key *pub = key_of("ed25519-test.pub.pem");
	struct stimg_key *key = key_of("ed25519-test.pem");
	struct stimg_diag d;
	size_t plen;
	uint8_t *payload = vec("payload.bin", &plen);
	uint8_t zeros[0x200 + 4];

	(void)state;
#define SIGN_FAILS(p, n, err, text) do { \
		assert_int_equal(stimg_mcuboot_sign((p), (n), &o, &s, \
						    fresh(&d)), (err)); \
		assert_string_equal(d.msg, (text)); \
		stimg_mcuboot_signed_release(&s); \
	} while (0)

	/* the header area: payload.bin starts with 0x1E */
	opts_init(&o, "1.0.0");
	o.pad_header = false;
	o.base = 0x08020000;
	SIGN_FAILS(payload, plen, STIMG_ECHECK,
		   "the header area 0x08020000..0x080201FF is not zero (0x1E "
		   "at 0x08020000): give --pad-header to put the header before "
		   "the input, or link the application header-size bytes above "
		   "the slot");
	memset(zeros, 0, sizeof(zeros));
	zeros[0x1FF] = 0x80;
	SIGN_FAILS(zeros, sizeof(zeros), STIMG_ECHECK,
		   "the header area 0x08020000..0x080201FF is not zero (0x80 "
		   "at 0x080201FF): give --pad-header to put the header before "
		   "the input, or link the application header-size bytes above "
		   "the slot");
	SIGN_FAILS(zeros, 0x1FF, STIMG_ECHECK,
		   "the input is 511 bytes, less than the header size 0x200; "
		   "give --pad-header to put the header before it");

	/* the slot: 0xE48 bytes signed, trailer 0x1B0 at align 1 */
	opts_init(&o, "1.0.0");
	o.key = key;
	o.slot_size = 0xE48 + 0x1B0 - 1;
	SIGN_FAILS(payload, plen, STIMG_ECHECK,
		   "image too large for the slot: 0xE48 bytes signed and a "
		   "0x1B0-byte trailer exceed the slot size 0xFF7");
	o.slot_size = 0xE48 + 0x1B0;	/* exactly full fits */
	o.pad = true;
	assert_int_equal(stimg_mcuboot_sign(payload, plen, &o, &s, fresh(&d)),
			 STIMG_OK);
	assert_int_equal(s.len, 0xFF8);
	assert_int_equal(s.magic_off, 0xFE8);
	stimg_mcuboot_signed_release(&s);
	o.align = 8;
	SIGN_FAILS(payload, plen, STIMG_ECHECK,
		   "image too large for the slot: 0xE48 bytes signed and a "
		   "0xC30-byte trailer exceed the slot size 0xFF8");

	/* options */
	opts_init(&o, "1.0.0");
	o.header_size = 0x1F;
	SIGN_FAILS(payload, plen, STIMG_EINVAL,
		   "header size 0x1F is outside 0x20..0xFFFF (the 32-byte "
		   "header, a u16 field)");
	o.header_size = 0x10000;
	SIGN_FAILS(payload, plen, STIMG_EINVAL,
		   "header size 0x10000 is outside 0x20..0xFFFF (the 32-byte "
		   "header, a u16 field)");
	opts_init(&o, "1.0.0");
	o.align = 3;
	SIGN_FAILS(payload, plen, STIMG_EINVAL,
		   "alignment 3 is not 1, 2, 4, 8, 16 or 32");
	o.align = 64;
	SIGN_FAILS(payload, plen, STIMG_EINVAL,
		   "alignment 64 is not 1, 2, 4, 8, 16 or 32");
	o.align = 0;
	SIGN_FAILS(payload, plen, STIMG_EINVAL,
		   "alignment 0 is not 1, 2, 4, 8, 16 or 32");
	o.align = 1;
	o.max_align = 4;
	SIGN_FAILS(payload, plen, STIMG_EINVAL,
		   "max alignment 4 is not 8, 16 or 32");
	o.max_align = 24;
	SIGN_FAILS(payload, plen, STIMG_EINVAL,
		   "max alignment 24 is not 8, 16 or 32");
	o.max_align = 8;
	o.align = 16;
	SIGN_FAILS(payload, plen, STIMG_EINVAL,
		   "max alignment 8 is below the alignment 16");
	opts_init(&o, "1.0.0");
	o.slot_size = 0;
	o.pad = true;
	SIGN_FAILS(payload, plen, STIMG_EINVAL,
		   "padding to the slot needs the slot size");
	o.pad = false;
	o.confirm = true;
	SIGN_FAILS(payload, plen, STIMG_EINVAL,
		   "padding to the slot needs the slot size");
	opts_init(&o, "1.0.0");
	o.key = pub;
	SIGN_FAILS(payload, plen, STIMG_EINVAL,
		   "a public key cannot sign; give the private key");
#undef SIGN_FAILS
	stimg_key_free(pub);
	stimg_key_free(key);
	free(payload);
}

/* ---- verifying ---- */

/* Verifies vector name with key keyname (NULL: none); expects it good. */
static void verify_good(const char *name, const char *keyname,
			const char *digest)
{
	struct stimg_mcuboot_verify_result r;
	struct stimg_key *key = keyname ? key_of(keyname) : NULL;
	struct stimg_diag d;
	uint8_t want[32];
	size_t len;
	uint8_t *img = vec(name, &len);

	assert_int_equal(stimg_mcuboot_verify(img, len, key, &r, fresh(&d)),
			 STIMG_OK);
	assert_int_equal(r.failed, STIMG_MCUBOOT_CHECK_NONE);
	assert_true(r.has_digest);
	assert_int_equal(r.signature_ok, key != NULL);
	if (digest) {
		unhex(digest, want, 32);
		assert_memory_equal(r.digest, want, 32);
	}
	stimg_key_free(key);
	free(img);
}

#define DIGEST_ED25519 \
	"892d7b0f175317fc68e427c2682aab2b8930342dd736635be45444bd01324622"
#define DIGEST_ECDSA \
	"3ca1a070c32e03ed2b3767d4ae68752793f6bb7182f19a189cee6a289a461d5c"
#define DIGEST_1_0_0 \
	"062170dbd84db2461861c4534574184d6bb4b55722d0cc27bd629b28c11a4d58"

/* Every vector with its key, private or public, and without a key. */
static void test_verify_vectors(void **state)
{
	(void)state;
	verify_good("signed-ed25519.bin", "ed25519-test.pem", DIGEST_ED25519);
	verify_good("signed-ed25519.bin", "ed25519-test.pub.pem",
		    DIGEST_ED25519);
	verify_good("signed-ed25519.bin", NULL, DIGEST_ED25519);
	verify_good("signed-ed25519-padded-confirmed.bin", "ed25519-test.pem",
		    DIGEST_ED25519);
	verify_good("signed-ecdsa-p256.bin", "ecdsa-p256-test.pub.pem",
		    DIGEST_ECDSA);
	verify_good("signed-ecdsa-p256.bin", "ecdsa-p256-test.pem",
		    DIGEST_ECDSA);
	verify_good("signed-ecdsa-p256.bin", "ecdsa-p256-test.ec.pem",
		    DIGEST_ECDSA);
	verify_good("signed-ecdsa-p256-padsig.bin", "ecdsa-p256-test.pub.pem",
		    DIGEST_1_0_0);
	verify_good("signed-rsa-2048.bin", "rsa-2048-test.pub.pem",
		    DIGEST_1_0_0);
	verify_good("signed-rsa-2048.bin", "rsa-2048-test.pem", DIGEST_1_0_0);
	verify_good("signed-rsa-3072.bin", "rsa-3072-test.pub.pem",
		    DIGEST_1_0_0);
	verify_good("unsigned-sha256.bin", NULL, DIGEST_1_0_0);
	verify_good("signed-ed25519-seccnt-auto.bin", "ed25519-test.pub.pem",
		    NULL);
	verify_good("signed-ed25519-seccnt-loadaddr.bin",
		    "ed25519-test.pub.pem", NULL);
	verify_good("signed-ed25519-align16-confirmed.bin",
		    "ed25519-test.pub.pem", DIGEST_1_0_0);
	verify_good("signed-ed25519-align4-maxalign32.bin",
		    "ed25519-test.pub.pem", DIGEST_1_0_0);
}

/*
 * Verifies img (len bytes) with key keyname; expects check c to fail with
 * err and message msg (a prefix when it ends in "...").
 */
static void verify_bad(const uint8_t *img, size_t len, const char *keyname,
		       enum stimg_mcuboot_check c, int err, const char *msg)
{
	struct stimg_mcuboot_verify_result r;
	struct stimg_key *key = keyname ? key_of(keyname) : NULL;
	struct stimg_diag d;

	assert_int_equal(stimg_mcuboot_verify(img, len, key, &r, fresh(&d)),
			 err);
	assert_int_equal(r.failed, c);
	assert_false(r.signature_ok);
	if (strlen(msg) > 3 && !strcmp(msg + strlen(msg) - 3, "..."))
		assert_memory_equal(d.msg, msg, strlen(msg) - 3);
	else
		assert_string_equal(d.msg, msg);
	stimg_key_free(key);
}

/* A flipped byte, a wrong key, a missing signature: each names its check. */
static void test_verify_failures(void **state)
{
	size_t len, ulen;
	uint8_t *img = vec("signed-ed25519.bin", &len);
	uint8_t *uns = vec("unsigned-sha256.bin", &ulen);

	(void)state;
	assert_string_equal(stimg_mcuboot_check_name(STIMG_MCUBOOT_CHECK_HASH),
			    "hash");
	assert_string_equal(stimg_mcuboot_check_name(STIMG_MCUBOOT_CHECK_KEY),
			    "key");

	img[0x300] ^= 1;	/* the payload */
	verify_bad(img, len, "ed25519-test.pub.pem", STIMG_MCUBOOT_CHECK_HASH,
		   STIMG_ECHECK, "hash mismatch: the image hashes to ...");
	verify_bad(img, len, NULL, STIMG_MCUBOOT_CHECK_HASH, STIMG_ECHECK,
		   "hash mismatch: the image hashes to ...");
	img[0x300] ^= 1;
	img[20] ^= 1;		/* the version in the header */
	verify_bad(img, len, NULL, STIMG_MCUBOOT_CHECK_HASH, STIMG_ECHECK,
		   "hash mismatch: the image hashes to ...");
	img[20] ^= 1;
	img[0xDC0] ^= 0x10;	/* the SHA256 TLV's value */
	verify_bad(img, len, NULL, STIMG_MCUBOOT_CHECK_HASH, STIMG_ECHECK,
		   "hash mismatch: the image hashes to 892d7b0f175317fc..., "
		   "its SHA256 TLV says 992d7b0f175317fc...");
	img[0xDC0] ^= 0x10;
	img[len - 1] ^= 1;	/* the signature */
	verify_bad(img, len, "ed25519-test.pub.pem",
		   STIMG_MCUBOOT_CHECK_SIGNATURE, STIMG_ECHECK,
		   "bad signature: the ED25519 signature does not verify with "
		   "this key");
	/* the hash alone still holds */
	verify_good("signed-ed25519.bin", NULL, DIGEST_ED25519);
	img[len - 1] ^= 1;

	verify_bad(img, len, "ed25519-other.pem", STIMG_MCUBOOT_CHECK_KEY,
		   STIMG_ECHECK, "key mismatch: the image's KEYHASH is "
		   "f5af06db49cc45f4..., this key's is ...");
	verify_bad(img, len, "ecdsa-p256-test.pub.pem", STIMG_MCUBOOT_CHECK_KEY,
		   STIMG_ECHECK, "key mismatch: the image is signed with "
		   "ED25519 (0x24), the key is ecdsa-p256");
	verify_bad(img, len, "rsa-3072-test.pub.pem", STIMG_MCUBOOT_CHECK_KEY,
		   STIMG_ECHECK, "key mismatch: the image is signed with "
		   "ED25519 (0x24), the key is rsa-3072");
	/* KEYHASH's type changed (outside the hash): no key named */
	img[0xDE0] = 0x03;
	verify_bad(img, len, "ed25519-test.pem", STIMG_MCUBOOT_CHECK_KEY,
		   STIMG_ECHECK, "no KEYHASH (0x01) or PUBKEY (0x02) TLV to "
		   "tell the signing key by");
	img[0xDE0] = 0x01;
	verify_bad(uns, ulen, "ed25519-test.pem",
		   STIMG_MCUBOOT_CHECK_SIGNATURE, STIMG_ECHECK,
		   "the image is not signed: no ED25519 TLV (0x24)");
	/* the SHA256 TLV's type changed */
	uns[0xDBC] = 0x11;
	verify_bad(uns, ulen, NULL, STIMG_MCUBOOT_CHECK_TLVS, STIMG_EFORMAT,
		   "no SHA256 TLV (0x10) in the TLV area");
	img[0] ^= 1;
	verify_bad(img, len, "ed25519-test.pem", STIMG_MCUBOOT_CHECK_MAGIC,
		   STIMG_EFORMAT, "not an MCUboot image: no header magic "
		   "0x96F3B83D at its start");
	free(img);
	free(uns);
}

/* ---- reading ---- */

/* What dumpinfo shows of the vectors: header, TLVs, trailer. */
static void test_parse(void **state)
{
	struct stimg_mcuboot_info info = STIMG_MCUBOOT_INFO_INIT;
	const struct stimg_mcuboot_tlv *t;
	struct stimg_diag d;
	size_t len;
	uint8_t *img = vec("signed-ed25519-padded-confirmed.bin", &len);
	uint8_t *more;

	(void)state;
	assert_int_equal(stimg_mcuboot_parse(img, len, &info, fresh(&d)),
			 STIMG_OK);
	assert_int_equal(info.magic, 0x96F3B83D);
	assert_int_equal(info.load_addr, 0);
	assert_int_equal(info.hdr_size, 0x200);
	assert_int_equal(info.protected_tlv_size, 0);
	assert_int_equal(info.img_size, 0xBB8);
	assert_int_equal(info.flags, 0);
	assert_int_equal(info.version.major, 1);
	assert_int_equal(info.version.minor, 2);
	assert_int_equal(info.version.revision, 3);
	assert_int_equal(info.version.build, 4);
	assert_false(info.has_prot);
	assert_int_equal(info.tlv_off, 0xDB8);
	assert_int_equal(info.tlv_magic, 0x6907);
	assert_int_equal(info.tlv_tot, 0x90);
	assert_int_equal(info.tlv_end, 0xE48);
	assert_int_equal(info.ntlv, 3);
	assert_int_equal(info.tlv[0].type, 0x10);
	assert_int_equal(info.tlv[0].len, 32);
	assert_int_equal(info.tlv[0].off, 0xDBC);
	assert_ptr_equal(info.tlv[0].value, img + 0xDC0);
	assert_int_equal(info.tlv[1].type, 0x01);
	assert_int_equal(info.tlv[1].off, 0xDE0);
	assert_int_equal(info.tlv[2].type, 0x24);
	assert_int_equal(info.tlv[2].len, 64);
	assert_false(info.tlv[2].prot);
	assert_int_equal(info.trailer, STIMG_MCUBOOT_TRAILER_MAGIC);
	assert_int_equal(info.max_align, 8);
	assert_true(info.has_fields);
	assert_int_equal(info.image_ok, 0x01);
	assert_int_equal(info.copy_done, 0xFF);
	assert_int_equal(info.swap_info, 0xFF);
	assert_int_equal(info.swap_size, 0xFFFFFFFF);
	assert_memory_equal(info.boot_magic, img + len - 16, 16);
	assert_string_equal(stimg_mcuboot_tlv_name(info.tlv[2].type),
			    "ED25519");
	assert_string_equal(stimg_mcuboot_tlv_name(0x22), "ECDSASIG");
	assert_null(stimg_mcuboot_tlv_name(0x99));
	free(img);

	img = vec("signed-ed25519-seccnt-loadaddr.bin", &len);
	assert_int_equal(stimg_mcuboot_parse(img, len, &info, fresh(&d)),
			 STIMG_OK);
	assert_int_equal(info.load_addr, 0x20000000);
	assert_int_equal(info.flags, STIMG_MCUBOOT_F_RAM_LOAD);
	assert_string_equal(stimg_mcuboot_flag_name(info.flags), "RAM_LOAD");
	assert_null(stimg_mcuboot_flag_name(0x2));
	assert_int_equal(info.protected_tlv_size, 12);
	assert_true(info.has_prot);
	assert_int_equal(info.prot_off, 0xDB8);
	assert_int_equal(info.prot_magic, 0x6908);
	assert_int_equal(info.prot_tot, 12);
	assert_int_equal(info.tlv_off, 0xDC4);
	assert_int_equal(info.ntlv, 4);
	t = stimg_mcuboot_find_tlv(&info, STIMG_MCUBOOT_TLV_SEC_CNT);
	assert_ptr_equal(t, &info.tlv[0]);
	assert_true(t->prot);
	assert_int_equal(t->len, 4);
	assert_memory_equal(t->value, "\x03\x02\x01\x00", 4);
	assert_int_equal(info.trailer, STIMG_MCUBOOT_TRAILER_NONE);

	/* bytes after the TLVs without a magic; a magic alone */
	more = malloc(len + 16);
	assert_non_null(more);
	memcpy(more, img, len);
	memset(more + len, 0, 16);
	assert_int_equal(stimg_mcuboot_parse(more, len + 16, &info, fresh(&d)),
			 STIMG_OK);
	assert_int_equal(info.trailer, STIMG_MCUBOOT_TRAILER_NO_MAGIC);
	assert_int_equal(stimg_mcuboot_parse(more, len + 15, &info, fresh(&d)),
			 STIMG_OK);
	assert_int_equal(info.trailer, STIMG_MCUBOOT_TRAILER_NO_MAGIC);
	memcpy(more + len, "\x77\xC2\x95\xF3\x60\xD2\xEF\x7F"
			   "\x35\x52\x50\x0F\x2C\xB6\x79\x80", 16);
	assert_int_equal(stimg_mcuboot_parse(more, len + 16, &info, fresh(&d)),
			 STIMG_OK);
	assert_int_equal(info.trailer, STIMG_MCUBOOT_TRAILER_MAGIC);
	assert_false(info.has_fields);	/* no room for them */
	/* max-align 0xFFFF from the magic: the fields would lie far below */
	more[len] = 0xFF;
	more[len + 1] = 0xFF;
	memcpy(more + len + 2, "\x2D\xE1\x5D\x29\x41\x0B\x8D\x77"
			       "\x67\x9C\x11\x0F\x1F\x8A", 14);
	assert_int_equal(stimg_mcuboot_parse(more, len + 16, &info, fresh(&d)),
			 STIMG_OK);
	assert_int_equal(info.trailer, STIMG_MCUBOOT_TRAILER_MAGIC);
	assert_int_equal(info.max_align, 0xFFFF);
	assert_false(info.has_fields);
	free(more);
	free(img);

	img = vec("signed-ed25519-align16-confirmed.bin", &len);
	assert_int_equal(stimg_mcuboot_parse(img, len, &info, fresh(&d)),
			 STIMG_OK);
	assert_int_equal(info.max_align, 16);
	assert_true(info.has_fields);
	assert_int_equal(info.image_ok, 0x01);
	assert_int_equal(img[len - 32], 0x01);
	free(img);

	img = vec("signed-ed25519-align4-maxalign32.bin", &len);
	assert_int_equal(stimg_mcuboot_parse(img, len, &info, fresh(&d)),
			 STIMG_OK);
	assert_int_equal(info.max_align, 32);
	assert_true(info.has_fields);
	assert_int_equal(info.image_ok, 0xFF);
	free(img);
	stimg_mcuboot_info_release(&info);
}

/* Parses img (len bytes) and expects check c to fail with message msg. */
static void parse_bad(const uint8_t *img, size_t len,
		      enum stimg_mcuboot_check c, const char *msg)
{
	struct stimg_mcuboot_info info = STIMG_MCUBOOT_INFO_INIT;
	struct stimg_diag d;

	assert_int_equal(stimg_mcuboot_parse(img, len, &info, fresh(&d)),
			 STIMG_EFORMAT);
	assert_int_equal(info.failed, c);
	assert_string_equal(d.msg, msg);
	stimg_mcuboot_info_release(&info);
}

/*
 * Lengths in the header and the TLV areas that point outside the data,
 * and every truncation and every single-byte change of an image: refused
 * or read, never read outside (run under ASan and valgrind).
 */
static void test_hostile(void **state)
{
	struct stimg_mcuboot_info info = STIMG_MCUBOOT_INFO_INIT;
	struct stimg_mcuboot_verify_result r;
	struct stimg_key *key = key_of("ed25519-test.pub.pem");
	struct stimg_diag d;
	size_t len, n, i;
	uint8_t *img = vec("signed-ed25519-seccnt-auto.bin", &len);
	uint8_t *copy;

	(void)state;
	assert_int_equal(len, 0xE54);
	parse_bad(img, 3, STIMG_MCUBOOT_CHECK_MAGIC,
		  "not an MCUboot image: no header magic 0x96F3B83D at its "
		  "start");
	parse_bad(img, 31, STIMG_MCUBOOT_CHECK_SIZES,
		  "the data (31 bytes) ends inside the 32-byte header");
	parse_bad(img, 0xDB8 + 3, STIMG_MCUBOOT_CHECK_SIZES,
		  "the protected TLV area at offset 0xDB8 runs past the end of "
		  "the data (0xDBB bytes)");
	parse_bad(img, 0xDC3, STIMG_MCUBOOT_CHECK_SIZES,
		  "the protected TLV area at offset 0xDB8 (0xC bytes) runs "
		  "past the end of the data (0xDC3 bytes)");
	parse_bad(img, 0xDC4, STIMG_MCUBOOT_CHECK_SIZES,
		  "the TLV area at offset 0xDC4 runs past the end of the data "
		  "(0xDC4 bytes)");
	parse_bad(img, len - 1, STIMG_MCUBOOT_CHECK_SIZES,
		  "the TLV area at offset 0xDC4 (0x90 bytes) runs past the end "
		  "of the data (0xE53 bytes)");

	copy = malloc(len);
	assert_non_null(copy);
#define EDIT(at, bytes) memcpy(copy + (at), (bytes), sizeof(bytes) - 1)
	memcpy(copy, img, len);
	EDIT(12, "\xFF\xFF\xFF\xFF");	/* img_size */
	parse_bad(copy, len, STIMG_MCUBOOT_CHECK_SIZES,
		  "header 0x200 and image 0xFFFFFFFF bytes run past the end of "
		  "the data (0xE54 bytes)");
	memcpy(copy, img, len);
	EDIT(8, "\xFF\xFF");		/* hdr_size */
	parse_bad(copy, len, STIMG_MCUBOOT_CHECK_SIZES,
		  "header 0xFFFF and image 0xBB8 bytes run past the end of the "
		  "data (0xE54 bytes)");
	EDIT(8, "\x10\x00");
	parse_bad(copy, len, STIMG_MCUBOOT_CHECK_SIZES,
		  "the header size 0x10 is less than the 32 bytes of the "
		  "header");
	memcpy(copy, img, len);
	EDIT(10, "\x10\x00");		/* protected_tlv_size */
	parse_bad(copy, len, STIMG_MCUBOOT_CHECK_TLVS,
		  "the protected TLV area is 0xC bytes; the header says 0x10");
	EDIT(10, "\x00\x00");
	parse_bad(copy, len, STIMG_MCUBOOT_CHECK_TLVS,
		  "no TLV area at offset 0xDB8: magic 0x6908, expected 0x6907");
	memcpy(copy, img, len);
	EDIT(0xDBA, "\xFF\xFF");	/* the protected area's size */
	parse_bad(copy, len, STIMG_MCUBOOT_CHECK_SIZES,
		  "the protected TLV area at offset 0xDB8 (0xFFFF bytes) runs "
		  "past the end of the data (0xE54 bytes)");
	EDIT(0xDBA, "\x02\x00");
	parse_bad(copy, len, STIMG_MCUBOOT_CHECK_TLVS,
		  "the protected TLV area at offset 0xDB8 is 2 bytes, less "
		  "than its 4-byte head");
	memcpy(copy, img, len);
	EDIT(0xDBE, "\x05\x00");	/* SEC_CNT's length */
	parse_bad(copy, len, STIMG_MCUBOOT_CHECK_TLVS,
		  "the TLV at offset 0xDBC runs past the end of its area at "
		  "0xDC4");
	memcpy(copy, img, len);
	EDIT(0xDC4, "\x34\x12");	/* the TLV area's magic */
	parse_bad(copy, len, STIMG_MCUBOOT_CHECK_TLVS,
		  "no TLV area at offset 0xDC4: magic 0x1234, expected 0x6907");
	memcpy(copy, img, len);
	EDIT(0xDCA, "\xFF\xFF");	/* SHA256's length */
	parse_bad(copy, len, STIMG_MCUBOOT_CHECK_TLVS,
		  "the TLV at offset 0xDC8 runs past the end of its area at "
		  "0xE54");
	memcpy(copy, img, len);
	EDIT(0xDC6, "\x8E\x00");	/* the area ends 2 bytes into a TLV */
	parse_bad(copy, len - 2, STIMG_MCUBOOT_CHECK_TLVS,
		  "the TLV at offset 0xE10 runs past the end of its area at "
		  "0xE52");
#undef EDIT

	/* every truncation fails; no single byte changed passes verify */
	for (n = 0; n < len; n++) {
		assert_int_equal(stimg_mcuboot_parse(img, n, &info, fresh(&d)),
				 STIMG_EFORMAT);
		assert_int_not_equal(stimg_mcuboot_verify(img, n, key, &r,
							  fresh(&d)),
				     STIMG_OK);
	}
	for (i = 0; i < len; i++) {
		memcpy(copy, img, len);
		copy[i] ^= 0xA5;
		stimg_mcuboot_parse(copy, len, &info, fresh(&d));
		assert_int_not_equal(stimg_mcuboot_verify(copy, len, key, &r,
							  fresh(&d)),
				     STIMG_OK);
	}
	stimg_mcuboot_info_release(&info);
	stimg_key_free(key);
	free(copy);
	free(img);
}

/* ---- keys ---- */

/* Every PEM form stimg reads, and what it says about the others. */
static void test_key_load(void **state)
{
	static const struct {
		const char *name;
		enum stimg_key_type type;
		bool priv;
	} good[] = {
		{ "ed25519-test.pem", STIMG_KEY_ED25519, true },
		{ "ed25519-test.pub.pem", STIMG_KEY_ED25519, false },
		{ "ecdsa-p256-test.pem", STIMG_KEY_ECDSA_P256, true },
		{ "ecdsa-p256-test.ec.pem", STIMG_KEY_ECDSA_P256, true },
		{ "ecdsa-p256-test.pub.pem", STIMG_KEY_ECDSA_P256, false },
		{ "rsa-2048-test.pem", STIMG_KEY_RSA2048, true },
		{ "rsa-2048-test.pub.pem", STIMG_KEY_RSA2048, false },
		{ "rsa-3072-test.pem", STIMG_KEY_RSA3072, true },
		{ "rsa-3072-test.pub.pem", STIMG_KEY_RSA3072, false },
	};
	static const struct {
		const char *name, *msg;
		int err;
	} bad[] = {
		{ "ecdsa-p384.pem", "unsupported key type ecdsa on secp384r1 "
		  "(MCUboot keys are ed25519, ecdsa-p256, rsa-2048 or "
		  "rsa-3072)", STIMG_EFORMAT },
		{ "rsa-1024.pem", "unsupported key type rsa-1024 (MCUboot keys "
		  "are ed25519, ecdsa-p256, rsa-2048 or rsa-3072)",
		  STIMG_EFORMAT },
		{ "x25519.pem", "unsupported key type x25519 (MCUboot keys are "
		  "ed25519, ecdsa-p256, rsa-2048 or rsa-3072)", STIMG_EFORMAT },
		{ "ed25519-encrypted.pem", "the key is encrypted; stimg takes "
		  "keys without a passphrase", STIMG_EFORMAT },
		{ "payload.bin", "not a PEM key (no PRIVATE KEY or PUBLIC KEY "
		  "block)", STIMG_EFORMAT },
		{ "README.md", "not a PEM key (no PRIVATE KEY or PUBLIC KEY "
		  "block)", STIMG_EFORMAT },
		{ "missing.pem", "cannot open: No such file or directory",
		  STIMG_EIO },
	};
	enum stimg_key_type type;
	uint8_t h1[32], h2[32];
	struct stimg_key *k, *k2;
	struct stimg_diag d;
	char *text, *big;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(good); i++) {
		k = key_of(good[i].name);
		assert_int_equal(stimg_key_get_type(k), good[i].type);
		assert_int_equal(stimg_key_is_private(k), good[i].priv);
		stimg_key_free(k);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		k = (struct stimg_key *)&d;	/* set to NULL on failure */
		assert_int_equal(stimg_key_load(&k, vec_path(bad[i].name),
						fresh(&d)), bad[i].err);
		assert_null(k);
		assert_string_equal(d.file, vec_path(bad[i].name));
		assert_string_equal(d.msg, bad[i].msg);
	}
	/* a damaged PEM body */
	text = (char *)vec("ed25519-test.pem", NULL);
	text[40] = '*';
	tl_write_text("damaged.pem", text);
	free(text);
	assert_int_equal(stimg_key_load(&k, "damaged.pem", fresh(&d)),
			 STIMG_EFORMAT);
	assert_memory_equal(d.msg, "cannot read the private key: ", 29);

	/* a file too large to be a key; an encrypted key in the old form */
	big = malloc(64 << 10 | 1);
	assert_non_null(big);
	memset(big, 'A', 64 << 10 | 1);
	tl_write("big.pem", big, 64 << 10 | 1);
	free(big);
	assert_int_equal(stimg_key_load(&k, "big.pem", fresh(&d)),
			 STIMG_EFORMAT);
	assert_string_equal(d.msg, "not a key: larger than 64 KiB");
	tl_write_text("old.pem", "-----BEGIN RSA PRIVATE KEY-----\n"
		      "Proc-Type: 4,ENCRYPTED\r\n"
		      "DEK-Info: AES-256-CBC,00112233445566778899AABBCCDDEEFF\n"
		      "\nAAAA\n-----END RSA PRIVATE KEY-----\n");
	assert_int_equal(stimg_key_load(&k, "old.pem", fresh(&d)),
			 STIMG_EFORMAT);
	assert_string_equal(d.msg, "the key is encrypted; stimg takes keys "
			    "without a passphrase");

	/* the same key as PKCS#8 and as "EC PRIVATE KEY" */
	k = key_of("ecdsa-p256-test.pem");
	k2 = key_of("ecdsa-p256-test.ec.pem");
	assert_int_equal(stimg_key_hash(k, h1), STIMG_OK);
	assert_int_equal(stimg_key_hash(k2, h2), STIMG_OK);
	assert_memory_equal(h1, h2, 32);
	unhex("7558a01cc14311aa7a790eda8d4e56e126a0520bb8ef9778ecdb96963c0370e9",
	      h2, 32);
	assert_memory_equal(h1, h2, 32);
	stimg_key_free(k);
	stimg_key_free(k2);

	assert_string_equal(stimg_key_type_name(STIMG_KEY_RSA3072), "rsa-3072");
	assert_true(stimg_key_type_parse("ecdsa-p256", &type));
	assert_int_equal(type, STIMG_KEY_ECDSA_P256);
	assert_false(stimg_key_type_parse("ecdsa-p384", &type));
}

/* A private key its group or others may read is a warning; 0600 is not. */
static void test_key_mode_warning(void **state)
{
	struct tl_warnings w;
	struct stimg_key *k;
	struct stimg_diag d;
	char *text = (char *)vec("ed25519-test.pem", NULL);
	char *pub = (char *)vec("ed25519-test.pub.pem", NULL);

	(void)state;
	tl_write_text("k.pem", text);
	tl_write_text("k.pub.pem", pub);
	assert_int_equal(chmod("k.pem", 0640), 0);
	tl_diag_capture(&d, &w);
	assert_int_equal(stimg_key_load(&k, "k.pem", &d), STIMG_OK);
	assert_int_equal(w.n, 1);
	assert_int_equal(w.last.level, STIMG_WARNING);
	assert_string_equal(w.last.file, "k.pem");
	assert_string_equal(w.last.msg, "the private key may be read by others "
			    "(mode 0640); chmod 600 it");
	stimg_key_free(k);
	assert_int_equal(chmod("k.pem", 0604), 0);
	tl_diag_capture(&d, &w);
	assert_int_equal(stimg_key_load(&k, "k.pem", &d), STIMG_OK);
	assert_int_equal(w.n, 1);
	stimg_key_free(k);
	assert_int_equal(chmod("k.pem", 0600), 0);
	tl_diag_capture(&d, &w);
	assert_int_equal(stimg_key_load(&k, "k.pem", &d), STIMG_OK);
	assert_int_equal(w.n, 0);
	stimg_key_free(k);
	assert_int_equal(chmod("k.pub.pem", 0644), 0);
	tl_diag_capture(&d, &w);
	assert_int_equal(stimg_key_load(&k, "k.pub.pem", &d), STIMG_OK);
	assert_int_equal(w.n, 0);
	stimg_key_free(k);
	free(text);
	free(pub);
}

/*
 * A key of each type generated, written (0600, PKCS#8, replacing a file
 * that others could read), read back, and signing an image its public
 * half verifies and another key refuses.
 */
static void test_key_generate(void **state)
{
	static const enum stimg_key_type types[] = {
		STIMG_KEY_ED25519, STIMG_KEY_ECDSA_P256, STIMG_KEY_RSA2048,
		STIMG_KEY_RSA3072,
	};
	struct stimg_mcuboot_signed s = STIMG_MCUBOOT_SIGNED_INIT;
	struct stimg_mcuboot_verify_result r;
	struct stimg_mcuboot_sign_opts o;
	struct stimg_key *k, *back, *other = key_of("ed25519-other.pem");
	struct stimg_diag d;
	struct stat st;
	uint8_t h1[32], h2[32];
	char name[64], *text;
	size_t i, plen;
	uint8_t *payload = vec("payload.bin", &plen);

	(void)state;
	for (i = 0; i < ARRAY_SIZE(types); i++) {
		assert_int_equal(stimg_key_generate(&k, types[i], fresh(&d)),
				 STIMG_OK);
		assert_int_equal(stimg_key_get_type(k), types[i]);
		assert_true(stimg_key_is_private(k));
		snprintf(name, sizeof(name), "gen-%s.pem",
			 stimg_key_type_name(types[i]));
		tl_write_text(name, "old\n");
		assert_int_equal(chmod(name, 0644), 0);
		assert_int_equal(stimg_key_write_private(k, name, fresh(&d)),
				 STIMG_OK);
		assert_int_equal(stat(name, &st), 0);
		assert_int_equal(st.st_mode & 07777, 0600);
		text = tl_slurp(name, NULL);
		assert_memory_equal(text, "-----BEGIN PRIVATE KEY-----\n", 28);
		free(text);
		assert_int_equal(stimg_key_load(&back, name, fresh(&d)),
				 STIMG_OK);
		assert_int_equal(stimg_key_get_type(back), types[i]);
		assert_int_equal(stimg_key_hash(k, h1), STIMG_OK);
		assert_int_equal(stimg_key_hash(back, h2), STIMG_OK);
		assert_memory_equal(h1, h2, 32);

		opts_init(&o, "1.0.0");
		o.key = back;
		assert_int_equal(stimg_mcuboot_sign(payload, plen, &o, &s,
						    fresh(&d)), STIMG_OK);
		assert_int_equal(stimg_mcuboot_verify(s.data, s.len, k, &r,
						      fresh(&d)), STIMG_OK);
		assert_true(r.signature_ok);
		assert_int_equal(stimg_mcuboot_verify(s.data, s.len, other, &r,
						      fresh(&d)), STIMG_ECHECK);
		assert_int_equal(r.failed, STIMG_MCUBOOT_CHECK_KEY);
		stimg_mcuboot_signed_release(&s);
		stimg_key_free(back);
		stimg_key_free(k);
	}
	/* never to standard output; a public key has nothing to write */
	assert_int_equal(stimg_key_write_private(other, "-", fresh(&d)),
			 STIMG_EINVAL);
	assert_string_equal(d.msg, "private keys are not written to standard "
			    "output; give a file name");
	k = key_of("ed25519-test.pub.pem");
	assert_int_equal(stimg_key_write_private(k, "pub.pem", fresh(&d)),
			 STIMG_EINVAL);
	assert_string_equal(d.msg, "not a private key: nothing to write");
	assert_int_equal(access("pub.pem", F_OK), -1);
	stimg_key_free(k);
	stimg_key_free(other);
	free(payload);
}

/* The public key as C and Rust, byte for byte imgtool getpub's. */
static void test_key_source(void **state)
{
	static const char *const keys[] = {
		"ed25519", "ecdsa-p256", "rsa-2048", "rsa-3072",
	};
	char name[64], *text, *want;
	struct stimg_key *k;
	size_t i;
	int lang;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		snprintf(name, sizeof(name), "%s-test.pem", keys[i]);
		k = key_of(name);
		for (lang = 0; lang < 2; lang++) {
			snprintf(name, sizeof(name), "getpub-%s.%s", keys[i],
				 lang ? "rs" : "c");
			want = (char *)vec(name, NULL);
			assert_int_equal(stimg_key_public_source(k,
				lang ? STIMG_KEY_LANG_RUST : STIMG_KEY_LANG_C,
				&text), STIMG_OK);
			assert_string_equal(text, want);
			free(text);
			free(want);
		}
		stimg_key_free(k);
	}
	/* from the public key too */
	k = key_of("ed25519-test.pub.pem");
	want = (char *)vec("getpub-ed25519.c", NULL);
	assert_int_equal(stimg_key_public_source(k, STIMG_KEY_LANG_C, &text),
			 STIMG_OK);
	assert_string_equal(text, want);
	free(text);
	free(want);
	stimg_key_free(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_sign_vectors),
		cmocka_unit_test(test_sign_zero_header),
		cmocka_unit_test(test_sign_hex_vectors),
		cmocka_unit_test(test_sign_image),
		cmocka_unit_test(test_sign_errors),
		cmocka_unit_test(test_verify_vectors),
		cmocka_unit_test(test_verify_failures),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_key_load),
		cmocka_unit_test(test_key_mode_warning),
		cmocka_unit_test(test_key_generate),
		cmocka_unit_test(test_key_source),
	};

	return cmocka_run_group_tests(tests, setup, tl_teardown_dir);
}
