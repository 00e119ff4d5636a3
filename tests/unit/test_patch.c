/*
 * The firmware header (stimg_patch_apply, _check, _identify): version
 * encodings, --set types, the size field, the default CRC range rule, holes
 * and the STM32 word tail filled and written, big-endian fields, and the
 * check and naming of a stored CRC; on images built here and on the classic
 * layout fixture tests/fixtures/app.elf. Expected CRCs come from bit-by-bit
 * references written here, not from the library's engines.
 */
#include <limits.h>

#include "testlib.h"
#include "stimg/crc.h"
#include "stimg/patch.h"

static char fixtures[PATH_MAX];

static int setup(void **state)
{
	const char *top = getenv("STIMG_TOP");
	char buf[PATH_MAX - 64];

	if (!realpath(top ? top : ".", fixtures) ||
	    strlen(fixtures) >= sizeof(buf))
		return -1;
	strcpy(buf, fixtures);
	snprintf(fixtures, sizeof(fixtures), "%s/tests/fixtures", buf);
	return tl_setup_dir(state);
}

/* ---- references ---- */

/* The STM32 CRC unit: CRC-32/MPEG-2 of each little-endian word, MSB first. */
static uint32_t ref_stm32(const uint8_t *p, size_t n)
{
	uint32_t crc = 0xFFFFFFFF;
	size_t i;
	int b;

	assert_int_equal(n % 4, 0);
	for (i = 0; i < n; i += 4) {
		uint32_t w = (uint32_t)p[i] | (uint32_t)p[i + 1] << 8 |
			     (uint32_t)p[i + 2] << 16 | (uint32_t)p[i + 3] << 24;

		for (b = 31; b >= 0; b--) {
			uint32_t bit = ((crc >> 31) ^ (w >> b)) & 1;

			crc = crc << 1 ^ (bit ? 0x04C11DB7 : 0);
		}
	}
	return crc;
}

/* CRC-32/ISO-HDLC, reflected, bit by bit. */
static uint32_t ref_crc32(const uint8_t *p, size_t n)
{
	uint32_t crc = 0xFFFFFFFF;
	size_t i;
	int b;

	for (i = 0; i < n; i++) {
		crc ^= p[i];
		for (b = 0; b < 8; b++)
			crc = crc >> 1 ^ (crc & 1 ? 0xEDB88320 : 0);
	}
	return crc ^ 0xFFFFFFFF;
}

/* The references give the catalogue's and the SPEC's values. */
static void test_references(void **state)
{
	const uint8_t hello[] = "Hello, World!\n\xFF\xFF";
	const uint8_t seq[] = { 0, 1, 2, 3, 4, 5, 6, 7 };

	(void)state;
	assert_int_equal(ref_crc32((const uint8_t *)"123456789", 9), 0xCBF43926);
	assert_int_equal(ref_stm32(hello, 16), 0xC7FC77B9);
	assert_int_equal(ref_stm32(seq, 8), 0x9C08808D);
}

/* ---- helpers ---- */

/* Puts n bytes at addr from the source "t" (added once). */
static void put(struct stimg_image *img, uint64_t addr, const void *b,
		size_t n)
{
	uint32_t src = 0;

	if (!stimg_image_nsources(img))
		assert_int_equal(stimg_image_add_source(img, "t", NULL, NULL,
							&src), STIMG_OK);
	assert_int_equal(stimg_image_put(img, addr, b, n, src, 0,
					 STIMG_OVERLAP_ERROR, NULL), STIMG_OK);
}

/* n bytes at addr counting up from first. */
static void put_seq(struct stimg_image *img, uint64_t addr, size_t n,
		    uint8_t first)
{
	uint8_t b[4096];
	size_t i;

	assert_true(n <= sizeof(b));
	for (i = 0; i < n; i++)
		b[i] = (uint8_t)(first + i);
	put(img, addr, b, n);
}

/* n bytes of byte at addr. */
static void put_fill(struct stimg_image *img, uint64_t addr, size_t n,
		     uint8_t byte)
{
	uint8_t b[4096];

	assert_true(n <= sizeof(b));
	memset(b, byte, n);
	put(img, addr, b, n);
}

/* Releases a result and makes it fresh for the next call. */
static void done(struct stimg_patch_result *r)
{
	const struct stimg_patch_result init = STIMG_PATCH_RESULT_INIT;

	stimg_patch_result_release(r);
	*r = init;
}

/* Overwrites the byte at addr (the image must hold a source). */
static void poke(struct stimg_image *img, uint64_t addr, uint8_t byte)
{
	assert_int_equal(stimg_image_put(img, addr, &byte, 1, 0, 0,
					 STIMG_OVERLAP_LAST, NULL), STIMG_OK);
}

static const struct stimg_crc_model *model(const char *name)
{
	const struct stimg_crc_model *m = stimg_crc_find(name);

	assert_non_null(m);
	return m;
}

/* The bytes [start, end) of img, which must hold them all (malloc'd). */
static uint8_t *flat(const struct stimg_image *img, uint64_t start,
		     uint64_t end)
{
	uint8_t *b = malloc((size_t)(end - start));

	assert_non_null(b);
	assert_true(stimg_image_get(img, (uint32_t)start, b,
				    (size_t)(end - start)));
	return b;
}

/*
 * Applies p to a fresh image: 16 bytes of 0xEE at 0x1000 (a header area)
 * and 64 bytes at 0x1100. Returns the status; on success the 16 bytes at
 * 0x1000 go to out; the message (or "") to msg, after "FILE: " when the
 * diagnostic names one.
 */
static int patch_header(const struct stimg_patch *p, uint8_t *out, char *msg)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_patch_result r = STIMG_PATCH_RESULT_INIT;
	struct stimg_patch forced = *p;
	struct stimg_diag d;
	int ret;

	/* 0xEE shows what a field leaves alone; to write over it takes
	   force (what a field may replace is test_field_overwrite's) */
	forced.force = true;
	memset(&d, 0, sizeof(d));
	put_fill(&img, 0x1000, 16, 0xEE);
	put_seq(&img, 0x1100, 64, 0);
	ret = stimg_patch_apply(&img, &forced, &r, &d);
	snprintf(msg, 2048, "%s%s%s", ret ? d.file : "",
		 ret && d.file[0] ? ": " : "", ret ? d.msg : "");
	if (!ret)
		assert_true(stimg_image_get(&img, 0x1000, out, 16));
	done(&r);
	stimg_image_release(&img);
	return ret;
}

/* Patches version v at LOC at in format f; asserts the first n bytes. */
static void version_ok(const char *v, const char *at,
		       enum stimg_version_format f, bool big_endian,
		       const char *want, size_t n)
{
	struct stimg_patch p;
	uint8_t out[16];
	char msg[2048];

	stimg_patch_init(&p);
	p.version = v;
	p.version_at = at;
	p.version_format = f;
	p.big_endian = big_endian;
	assert_int_equal(patch_header(&p, out, msg), STIMG_OK);
	assert_string_equal(msg, "");
	assert_memory_equal(out, want, n);
}

/* Patching version v at LOC at in format f fails with err and msg. */
static void version_fail(const char *v, const char *at,
			 enum stimg_version_format f, int err, const char *want)
{
	struct stimg_patch p;
	uint8_t out[16];
	char msg[2048];

	stimg_patch_init(&p);
	p.version = v;
	p.version_at = at;
	p.version_format = f;
	assert_int_equal(patch_header(&p, out, msg), err);
	assert_string_equal(msg, want);
}

/* Patching fails as a usage error (STIMG_EINVAL) with msg. */
static void version_err(const char *v, const char *at,
			enum stimg_version_format f, const char *want)
{
	version_fail(v, at, f, STIMG_EINVAL, want);
}

/* ---- version ---- */

static void test_version_formats(void **state)
{
	enum stimg_version_format f;

	(void)state;
	assert_true(stimg_version_format_parse("u16x4", &f));
	assert_int_equal(f, STIMG_VERSION_U16X4);
	assert_true(stimg_version_format_parse("u8x4", &f));
	assert_int_equal(f, STIMG_VERSION_U8X4);
	assert_true(stimg_version_format_parse("u32", &f));
	assert_int_equal(f, STIMG_VERSION_U32);
	assert_true(stimg_version_format_parse("string", &f));
	assert_int_equal(f, STIMG_VERSION_STRING);
	assert_true(stimg_version_format_parse("auto", &f));
	assert_int_equal(f, STIMG_VERSION_AUTO);
	assert_false(stimg_version_format_parse("u16", &f));

	/* auto: 8 bytes are four u16, 4 bytes four u8; the rest untouched */
	version_ok("1.2.3.4", "0x1000+8", STIMG_VERSION_AUTO, false,
		   "\1\0\2\0\3\0\4\0\xEE", 9);
	version_ok("1.2.3.4", "0x1000:0x1004", STIMG_VERSION_AUTO, false,
		   "\1\2\3\4\xEE", 5);
	/* missing parts are 0 */
	version_ok("1.2", "0x1000+8", STIMG_VERSION_AUTO, false,
		   "\1\0\2\0\0\0\0\0\xEE", 9);
	version_ok("65535.0.0.300", "0x1000+8", STIMG_VERSION_AUTO, true,
		   "\xFF\xFF\0\0\0\0\x01\x2C\xEE", 9);
	/* u32 packs major << 24 | minor << 16 | patch << 8 | build */
	version_ok("1.2.3.4", "0x1000", STIMG_VERSION_U32, false,
		   "\4\3\2\1\xEE", 5);
	version_ok("1.2.3.4", "0x1000", STIMG_VERSION_U32, true,
		   "\1\2\3\4\xEE", 5);
	version_ok("1.2", "0x1000+8", STIMG_VERSION_U32, false,
		   "\0\0\2\1\xEE\xEE", 6);
	/* explicit formats at a bare address take their own size */
	version_ok("1.2.3.4", "0x1000", STIMG_VERSION_U16X4, false,
		   "\1\0\2\0\3\0\4\0\xEE", 9);
	version_ok("1.2.3.4", "0x1000", STIMG_VERSION_U8X4, false,
		   "\1\2\3\4\xEE", 5);
	version_ok("1.2.3.4", "0x1000+16", STIMG_VERSION_U16X4, true,
		   "\0\1\0\2\0\3\0\4\xEE", 9);
	/* a string is NUL-padded to the field; at an address, with one NUL */
	version_ok("1.2.3", "0x1000+8", STIMG_VERSION_STRING, false,
		   "1.2.3\0\0\0\xEE", 9);
	version_ok("10.20", "0x1000", STIMG_VERSION_STRING, false,
		   "10.20\0\xEE", 7);
	version_ok("1.2.3.4", "0x1000+8", STIMG_VERSION_STRING, false,
		   "1.2.3.4\0\xEE", 9);
}

static void test_version_errors(void **state)
{
	(void)state;
	version_err("1.2.3.4.5", "0x1000+8", STIMG_VERSION_AUTO,
		    "--version: '1.2.3.4.5' is not 1 to 4 numbers separated "
		    "by dots (1.2.3.4)");
	version_err("1.x", "0x1000+8", STIMG_VERSION_AUTO,
		    "--version: '1.x' is not 1 to 4 numbers separated by dots "
		    "(1.2.3.4)");
	version_err("1..2", "0x1000+8", STIMG_VERSION_AUTO,
		    "--version: '1..2' is not 1 to 4 numbers separated by dots "
		    "(1.2.3.4)");
	version_err("1.2.", "0x1000+8", STIMG_VERSION_AUTO,
		    "--version: '1.2.' is not 1 to 4 numbers separated by dots "
		    "(1.2.3.4)");
	version_err("", "0x1000+8", STIMG_VERSION_AUTO,
		    "--version: '' is not 1 to 4 numbers separated by dots "
		    "(1.2.3.4)");
	version_err("-1", "0x1000+8", STIMG_VERSION_AUTO,
		    "--version: '-1' is not 1 to 4 numbers separated by dots "
		    "(1.2.3.4)");
	/* a part too large for its format */
	version_err("1.65536", "0x1000+8", STIMG_VERSION_AUTO,
		    "version '1.65536': part 65536 does not fit u16x4 (at most "
		    "65535)");
	version_err("1.2.256", "0x1000+4", STIMG_VERSION_AUTO,
		    "version '1.2.256': part 256 does not fit u8x4 (at most 255)");
	version_err("256.0", "0x1000", STIMG_VERSION_U32,
		    "version '256.0': part 256 does not fit u32 (at most 255)");
	version_err("99999999999999999999999", "0x1000+8", STIMG_VERSION_AUTO,
		    "version '99999999999999999999999': part "
		    "18446744073709551615 does not fit u16x4 (at most 65535)");
	/* a field too small for the format */
	version_err("1.2.3.4", "0x1000+4", STIMG_VERSION_U16X4,
		    "the version field at 0x00001000 is 4 bytes; u16x4 needs 8");
	version_err("1.2.3.4", "0x1000+2", STIMG_VERSION_U32,
		    "the version field at 0x00001000 is 2 bytes; u32 needs 4");
	version_err("1.2.3.4", "0x1000+7", STIMG_VERSION_STRING,
		    "version '1.2.3.4' does not fit the 7-byte field at "
		    "0x00001000 with its NUL");
	/* no size to tell the format by */
	version_err("1.2.3.4", "0x1000", STIMG_VERSION_AUTO,
		    "the version field at 0x00001000 has no size to tell its "
		    "format by: give --version-at with a size (0x00001000+8) "
		    "or --version-format");
	version_err("1.2.3.4", "0x1000+2", STIMG_VERSION_AUTO,
		    "cannot tell the version format of the 2-byte field at "
		    "0x00001000; give --version-format u16x4, u8x4, u32 or "
		    "string");
	/* no .fw_version section in an image without sections */
	version_fail("1.2.3.4", NULL, STIMG_VERSION_AUTO, STIMG_EFORMAT,
		    "no section '.fw_version' in the input (sections that "
		    "load: none); give --version-at LOC");
}

/* ---- --set ---- */

/* Applies one --set; asserts the first n bytes at 0x1000. */
static void set_ok(const char *set, const char *want, size_t n)
{
	struct stimg_patch p;
	uint8_t out[16];
	char msg[2048];

	stimg_patch_init(&p);
	p.sets = &set;
	p.nsets = 1;
	assert_int_equal(patch_header(&p, out, msg), STIMG_OK);
	assert_string_equal(msg, "");
	assert_memory_equal(out, want, n);
}

static void set_err(const char *set, int err, const char *want)
{
	struct stimg_patch p;
	uint8_t out[16];
	char msg[2048];

	stimg_patch_init(&p);
	p.sets = &set;
	p.nsets = 1;
	assert_int_equal(patch_header(&p, out, msg), err);
	assert_string_equal(msg, want);
}

static void test_set_types(void **state)
{
	(void)state;
	set_ok("0x1000=u8:0x5A", "\x5A\xEE", 2);
	set_ok("0x1000=u8:255", "\xFF\xEE", 2);
	set_ok("0x1000=u16:0x1234", "\x34\x12\xEE", 3);
	set_ok("0x1000=u16be:0x1234", "\x12\x34\xEE", 3);
	set_ok("0x1000=u32:0x12345678", "\x78\x56\x34\x12\xEE", 5);
	set_ok("0x1000=u32be:0x12345678", "\x12\x34\x56\x78\xEE", 5);
	set_ok("0x1000=u32:42", "\x2A\0\0\0\xEE", 5);
	set_ok("0x1000=u64:0x0102030405060708",
	       "\x08\x07\x06\x05\x04\x03\x02\x01\xEE", 9);
	set_ok("0x1000=u64be:0x0102030405060708",
	       "\x01\x02\x03\x04\x05\x06\x07\x08\xEE", 9);
	set_ok("0x1000=u64:18446744073709551615",
	       "\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xEE", 9);
	/* in a larger field: the value, the rest cleared */
	set_ok("0x1002+8=u16:1", "\xEE\xEE\1\0\0\0\0\0\0\0\xEE", 11);
	/* str: NUL-padded to the field; at an address, one NUL */
	set_ok("0x1000+8=str:abc", "abc\0\0\0\0\0\xEE", 9);
	set_ok("0x1000:0x1004=str:abc", "abc\0\xEE", 5);
	set_ok("0x1000=str:hello", "hello\0\xEE", 7);
	set_ok("0x1000+2=str:", "\0\0\xEE", 3);
	/* hex: the bytes as written */
	set_ok("0x1001=hex:DEADbeef", "\xEE\xDE\xAD\xBE\xEF\xEE", 6);
	set_ok("0x1000+4=hex:01", "\x01\0\0\0\xEE", 5);
}

static void test_set_errors(void **state)
{
	(void)state;
	/* value too large for the type */
	set_err("0x1000=u8:256", STIMG_EINVAL,
		"--set: 256 does not fit (at most 255)");
	set_err("0x1000=u16be:0x10000", STIMG_EINVAL,
		"--set: 0x10000 does not fit (at most 65535)");
	set_err("0x1000=u32:4294967296", STIMG_EINVAL,
		"--set: 4294967296 does not fit (at most 4294967295)");
	set_err("0x1000=u32:abc", STIMG_EINVAL, "--set: 'abc' is not a number");
	set_err("0x1000=u32:", STIMG_EINVAL, "--set: '' is not a number");
	/* a field too small for the value */
	set_err("0x1000+2=u32:1", STIMG_EINVAL,
		"the --set field at 0x00001000 is 2 bytes; it needs 4");
	set_err("0x1000+4=str:abcd", STIMG_EINVAL,
		"the --set str field at 0x00001000 is 4 bytes; it needs 5");
	set_err("0x1000+1=hex:0102", STIMG_EINVAL,
		"the --set field at 0x00001000 is 1 bytes; it needs 2");
	/* bad hex */
	set_err("0x1000=hex:012", STIMG_EINVAL,
		"--set: hex value '012' is not whole bytes");
	set_err("0x1000=hex:", STIMG_EINVAL,
		"--set: hex value '' is not whole bytes");
	set_err("0x1000=hex:0G", STIMG_EINVAL,
		"--set: invalid character 'G' in column 2");
	/* unknown type, bad syntax */
	set_err("0x1000=u24:1", STIMG_EINVAL,
		"--set: unknown type 'u24' (u8, u16, u32, u64, u16be, u32be, "
		"u64be, str, hex)");
	set_err("0x1000=:1", STIMG_EINVAL,
		"--set: unknown type '' (u8, u16, u32, u64, u16be, u32be, "
		"u64be, str, hex)");
	set_err("0x1000", STIMG_EINVAL,
		"--set: '0x1000' is not LOC=TYPE:VALUE (such as "
		"0x08008010=u32:42)");
	set_err("0x1000=u32", STIMG_EINVAL,
		"--set: '0x1000=u32' is not LOC=TYPE:VALUE (such as "
		"0x08008010=u32:42)");
	set_err("=u32:1", STIMG_EINVAL,
		"--set: '=u32:1' is not LOC=TYPE:VALUE (such as "
		"0x08008010=u32:42)");
	/* a name the image does not have */
	set_err("serial=u32:1", STIMG_EFORMAT,
		"no section or symbol 'serial' in the input (sections that "
		"load: none)");
}


/* Several --set, later ones over earlier ones, then the version. */
static void test_set_order(void **state)
{
	const char *sets[] = { "0x1000=u32:0x11111111", "0x1002=u8:0x22" };
	struct stimg_patch p;
	uint8_t out[16];
	char msg[2048];

	(void)state;
	stimg_patch_init(&p);
	p.sets = sets;
	p.nsets = 2;
	assert_int_equal(patch_header(&p, out, msg), STIMG_OK);
	assert_memory_equal(out, "\x11\x11\x22\x11\xEE", 5);
	/* the version comes after the --set values */
	p.version = "9.8.7.6";
	p.version_at = "0x1000+4";
	assert_int_equal(patch_header(&p, out, msg), STIMG_OK);
	assert_memory_equal(out, "\x09\x08\x07\x06\xEE", 5);
}

/* ---- size, CRC and the default range ---- */

/*
 * Fields at the start, data above them with a hole and a tail that is not
 * whole words; stm32:
 *
 *  0x1000 [ver 8][crc 4][size 4]   0x1100 [=16=]       0x1180 [=6=]
 *                                  [========= crc range =========)
 *                                         [= filled =]        [2] tail
 */
static void test_default_range_start(void **state)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_patch_result r = STIMG_PATCH_RESULT_INIT;
	struct stimg_patch_result c = STIMG_PATCH_RESULT_INIT;
	struct stimg_patch p;
	struct stimg_diag d;
	uint8_t *b, want[4];
	uint32_t crc;

	(void)state;
	memset(&d, 0, sizeof(d));
	put_fill(&img, 0x1000, 12, 0xFF);
	put_seq(&img, 0x1100, 16, 0x10);
	put_seq(&img, 0x1180, 6, 0xA0);
	stimg_patch_init(&p);
	p.version = "1.2.3.4";
	p.version_at = "0x1000+8";
	p.crc = model("stm32");
	p.crc_at = "0x1008+4";
	p.size_at = "0x100C";
	assert_int_equal(stimg_patch_apply(&img, &p, &r, &d), STIMG_OK);

	/* the holes and the word tail counted, not yet written */
	assert_string_equal(tl_segs(&img), "[0x00001000,0x00001010) "
			    "[0x00001100,0x00001110) [0x00001180,0x00001186)");
	assert_string_equal(tl_ranges(&r.filled),
			    "[0x00001110,0x00001180) [0x00001186,0x00001188)");
	/* written for an output that carries them: 0xFF */
	assert_int_equal(stimg_patch_fill(&img, &r, p.fill), STIMG_OK);
	assert_string_equal(tl_segs(&img),
			    "[0x00001000,0x00001010) [0x00001100,0x00001188)");
	assert_string_equal(tl_ranges(&r.fields), "[0x00001000,0x00001010)");
	assert_int_equal(r.crc_range.start, 0x1100);
	assert_int_equal(r.crc_range.end, 0x1188);
	assert_int_equal(r.crc_field.start, 0x1008);
	assert_int_equal(r.crc_field.end, 0x100C);
	assert_int_equal(r.version_field.start, 0x1000);
	assert_int_equal(r.version_field.end, 0x1008);
	assert_int_equal(r.size_field.start, 0x100C);
	assert_int_equal(r.size_field.end, 0x1010);
	assert_true(r.has_crc);

	/* the CRC of the flat, filled range; the size is what it reads */
	b = flat(&img, 0x1100, 0x1188);
	assert_int_equal(b[0x10], 0xFF);
	assert_int_equal(b[0x86], 0xFF);
	assert_int_equal(b[0x87], 0xFF);
	crc = ref_stm32(b, 0x88);
	free(b);
	assert_int_equal(r.crc, crc);
	assert_int_equal(r.size, 0x88);
	want[0] = (uint8_t)crc;
	want[1] = (uint8_t)(crc >> 8);
	want[2] = (uint8_t)(crc >> 16);
	want[3] = (uint8_t)(crc >> 24);
	tl_assert_bytes(&img, 0x1008, want, 4);
	tl_assert_bytes(&img, 0x100C, "\x88\0\0\0", 4);
	tl_assert_bytes(&img, 0x1000, "\1\0\2\0\3\0\4\0", 8);

	/* the check agrees: CRC, version and size */
	assert_int_equal(stimg_patch_check(&img, &p, &c, &d), STIMG_OK);
	assert_int_equal(c.stored, crc);
	assert_int_equal(c.crc, crc);
	assert_true(c.version_ok);
	assert_true(c.size_ok);
	assert_int_equal(c.size, 0x88);
	done(&c);

	/* one changed byte in a filled hole: the check says so */
	poke(&img, 0x1110, 0x00);
	assert_int_equal(stimg_patch_check(&img, &p, &c, &d), STIMG_OK);
	assert_int_equal(c.stored, crc);
	assert_int_not_equal(c.crc, crc);
	done(&c);
	done(&r);
	stimg_image_release(&img);
}

/*
 * Without the tail written (an ELF cannot carry it), the check reads the
 * same words and expects the same size.
 *
 *  0x2000 [crc 4][size 4]   0x2100 [== 10 ==)  [2] tail, never written
 */
static void test_stm32_tail_unwritten(void **state)
{
	struct stimg_image img = STIMG_IMAGE_INIT, orig = STIMG_IMAGE_INIT;
	struct stimg_patch_result r = STIMG_PATCH_RESULT_INIT;
	struct stimg_patch_result c = STIMG_PATCH_RESULT_INIT;
	struct stimg_patch p;
	struct stimg_diag d;
	uint8_t b[12], field[8];
	unsigned i;

	(void)state;
	memset(&d, 0, sizeof(d));
	put_fill(&img, 0x2000, 8, 0);
	put_seq(&img, 0x2100, 10, 1);
	put_fill(&orig, 0x2000, 8, 0);
	put_seq(&orig, 0x2100, 10, 1);
	stimg_patch_init(&p);
	p.crc = model("stm32");
	p.crc_at = "0x2000";
	p.size_at = "0x2004";
	p.fill = 0x00;
	assert_int_equal(stimg_patch_apply(&img, &p, &r, &d), STIMG_OK);
	assert_string_equal(tl_ranges(&r.filled), "[0x0000210A,0x0000210C)");
	assert_int_equal(r.size, 12);
	assert_int_equal(stimg_patch_fill(&img, &r, p.fill), STIMG_OK);
	tl_assert_bytes(&img, 0x210A, "\0\0", 2);
	assert_true(stimg_image_get(&img, 0x2100, b, 12));
	assert_int_equal(r.crc, ref_stm32(b, 12));

	/* only the fields go into the original (as into an ELF file) */
	assert_true(stimg_image_get(&img, 0x2000, field, 8));
	for (i = 0; i < 8; i++)
		poke(&orig, 0x2000 + i, field[i]);
	assert_string_equal(tl_segs(&orig),
			    "[0x00002000,0x00002008) [0x00002100,0x0000210A)");
	assert_int_equal(stimg_patch_check(&orig, &p, &c, &d), STIMG_OK);
	assert_int_equal(c.crc, c.stored);
	assert_true(c.size_ok);
	done(&c);

	/* and the check of the patched image, tail and all */
	assert_int_equal(stimg_patch_check(&img, &p, &c, &d), STIMG_OK);
	assert_int_equal(c.crc, c.stored);
	assert_true(c.size_ok);
	done(&c);
	done(&r);
	stimg_image_release(&orig);
	stimg_image_release(&img);
}

/*
 * Fields at the end: from the image's start to the first field.
 *
 *  0x3000 [==== 0x40 data ====)[crc 4]
 *  [======= crc range ========)
 */
static void test_default_range_end(void **state)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_patch_result r = STIMG_PATCH_RESULT_INIT;
	struct stimg_patch p;
	struct stimg_diag d;
	uint8_t *b;

	(void)state;
	memset(&d, 0, sizeof(d));
	put_seq(&img, 0x3000, 0x40, 7);
	stimg_patch_init(&p);
	p.crc = model("CRC-32/ISO-HDLC");
	p.crc_at = "0x3040";
	assert_int_equal(stimg_patch_apply(&img, &p, &r, &d), STIMG_OK);
	assert_int_equal(r.crc_range.start, 0x3000);
	assert_int_equal(r.crc_range.end, 0x3040);
	assert_int_equal(r.filled.n, 0);
	b = flat(&img, 0x3000, 0x3044);
	assert_int_equal(r.crc, ref_crc32(b, 0x40));
	assert_int_equal(b[0x40] | b[0x41] << 8 | b[0x42] << 16 |
			 (uint32_t)b[0x43] << 24, r.crc);
	free(b);
	assert_string_equal(tl_segs(&img), "[0x00003000,0x00003044)");
	done(&r);

	/* a version after the CRC: the range still ends at the first field */
	p.version = "2.0";
	p.version_at = "0x3044+4";
	assert_int_equal(stimg_patch_apply(&img, &p, &r, &d), STIMG_OK);
	assert_int_equal(r.crc_range.start, 0x3000);
	assert_int_equal(r.crc_range.end, 0x3040);
	tl_assert_bytes(&img, 0x3044, "\2\0\0\0", 4);
	done(&r);
	stimg_image_release(&img);
}

/*
 * Fields in the middle: only the data above them counts; what lies below
 * (a bootloader) is not in the range.
 *
 *  0x0 [== boot ==)   0x100 [ver][crc]   0x180 [== app ==)
 *                                        [=== range ====)
 */
static void test_default_range_middle(void **state)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_patch_result r = STIMG_PATCH_RESULT_INIT;
	struct stimg_patch p;
	struct stimg_diag d;
	uint8_t *b;

	(void)state;
	memset(&d, 0, sizeof(d));
	put_seq(&img, 0x0, 0x40, 0x80);
	put_fill(&img, 0x100, 12, 0xFF);
	put_seq(&img, 0x180, 0x20, 0x33);
	stimg_patch_init(&p);
	p.version = "1";
	p.version_at = "0x100+8";
	p.crc = model("stm32");
	p.crc_at = "0x108+4";
	assert_int_equal(stimg_patch_apply(&img, &p, &r, &d), STIMG_OK);
	assert_int_equal(r.crc_range.start, 0x180);
	assert_int_equal(r.crc_range.end, 0x1A0);
	assert_int_equal(r.filled.n, 0);
	b = flat(&img, 0x180, 0x1A0);
	assert_int_equal(r.crc, ref_stm32(b, 0x20));
	free(b);
	done(&r);

	/* --crc-range given: used as it is (over the CRC written above) */
	p.force = true;
	p.has_crc_range = true;
	p.crc_range.start = 0x0;
	p.crc_range.end = 0x40;
	assert_int_equal(stimg_patch_apply(&img, &p, &r, &d), STIMG_OK);
	b = flat(&img, 0x0, 0x40);
	assert_int_equal(r.crc, ref_stm32(b, 0x40));
	free(b);
	done(&r);
	stimg_image_release(&img);
}

/* A CRC range that contains the CRC field; an empty range. */
static void test_range_errors(void **state)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_patch_result r = STIMG_PATCH_RESULT_INIT;
	struct stimg_patch p;
	struct stimg_diag d;
	uint8_t before[0x50], after[0x50];

	(void)state;
	memset(&d, 0, sizeof(d));
	put_seq(&img, 0x4000, 0x50, 0);
	assert_true(stimg_image_get(&img, 0x4000, before, 0x50));
	stimg_patch_init(&p);
	p.crc = model("stm32");
	p.crc_at = "0x4010+4";
	p.has_crc_range = true;
	p.crc_range.start = 0x4000;
	p.crc_range.end = 0x4050;
	assert_int_equal(stimg_patch_apply(&img, &p, &r, &d), STIMG_EINVAL);
	assert_string_equal(d.msg, "the CRC range 0x00004000..0x0000404F "
			    "contains the CRC field at 0x00004010");
	done(&r);
	/* nothing changed */
	assert_true(stimg_image_get(&img, 0x4000, after, 0x50));
	assert_memory_equal(before, after, 0x50);

	/* the last byte of the field is enough */
	p.crc_range.start = 0x4013;
	p.crc_range.end = 0x4014;
	p.crc = model("CRC-32/ISO-HDLC");
	assert_int_equal(stimg_patch_apply(&img, &p, &r, &d), STIMG_EINVAL);
	assert_string_equal(d.msg, "the CRC range 0x00004013..0x00004013 "
			    "contains the CRC field at 0x00004010");
	done(&r);
	/* the check says the same */
	assert_int_equal(stimg_patch_check(&img, &p, &r, &d), STIMG_EINVAL);
	done(&r);

	/*
	 * stm32 reads whole words: a range ending two bytes into a word
	 * reaches a CRC field right after it
	 *
	 *   [== 0x4020..0x4032 ==)[crc 0x4032+4]
	 *   [======= read =========)
	 */
	p.crc = model("stm32");
	p.crc_at = "0x4032";
	p.crc_range.start = 0x4020;
	p.crc_range.end = 0x4032;
	assert_int_equal(stimg_patch_apply(&img, &p, &r, &d), STIMG_EINVAL);
	assert_string_equal(d.msg, "the CRC range 0x00004020..0x00004033 "
			    "contains the CRC field at 0x00004032");
	done(&r);
	/* a CRC over the bytes in order does not (over data: force) */
	p.crc = model("CRC-32/ISO-HDLC");
	p.force = true;
	assert_int_equal(stimg_patch_apply(&img, &p, &r, &d), STIMG_OK);
	done(&r);
	stimg_image_release(&img);

	/* only the fields: nothing for the CRC to cover */
	put_fill(&img, 0x5000, 8, 0xFF);
	stimg_patch_init(&p);
	p.crc = model("stm32");
	p.crc_at = "0x5004+4";
	p.version = "1.0";
	p.version_at = "0x5000+4";
	assert_int_equal(stimg_patch_apply(&img, &p, &r, &d), STIMG_EFORMAT);
	assert_string_equal(d.msg, "no CRC range: no data above the header "
			    "fields (0x00005000..0x00005007) and none below "
			    "them; give --crc-range");
	done(&r);
	stimg_image_release(&img);
}

/* CRC and size fields of the wrong size; CRCs wider than 64 bits. */
static void test_field_errors(void **state)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_patch_result r = STIMG_PATCH_RESULT_INIT;
	struct stimg_patch_result c = STIMG_PATCH_RESULT_INIT;
	struct stimg_patch p;
	struct stimg_diag d;

	(void)state;
	memset(&d, 0, sizeof(d));
	put_fill(&img, 0x1000, 16, 0xFF);
	put_seq(&img, 0x1100, 0x20, 0);
	stimg_patch_init(&p);
	p.crc = model("CRC-64/XZ");
	p.crc_at = "0x1000+4";
	assert_int_equal(stimg_patch_apply(&img, &p, &r, &d), STIMG_EINVAL);
	assert_string_equal(d.msg, "the CRC field at 0x00001000 is 4 bytes; "
			    "it needs 8");
	done(&r);

	p.crc_at = "0x1000+12";
	assert_int_equal(stimg_patch_apply(&img, &p, &r, &d), STIMG_EINVAL);
	assert_string_equal(d.msg, "the CRC field at 0x00001000 is 12 bytes; "
			    "at most 8 hold a CRC");
	done(&r);

	p.crc = model("CRC-82/DARC");
	assert_int_equal(stimg_patch_apply(&img, &p, &r, &d), STIMG_EINVAL);
	assert_string_equal(d.msg, "CRC-82/DARC is wider than 64 bits: stimg "
			    "patches CRCs of up to 64");
	done(&r);

	/* a CRC-64 at a bare address: 8 bytes */
	p.crc = model("CRC-64/XZ");
	p.crc_at = "0x1000";
	assert_int_equal(stimg_patch_apply(&img, &p, &r, &d), STIMG_OK);
	assert_int_equal(r.crc_field.end, 0x1008);
	assert_int_equal(stimg_patch_check(&img, &p, &c, &d), STIMG_OK);
	assert_int_equal(c.stored, r.crc);
	assert_int_equal(c.crc, r.crc);
	done(&c);
	done(&r);

	/* a CRC-16 in a 4-byte field: written as a 4-byte integer */
	p.crc = model("CRC-16/XMODEM");
	p.crc_at = "0x1008+4";
	assert_int_equal(stimg_patch_apply(&img, &p, &r, &d), STIMG_OK);
	tl_assert_bytes(&img, 0x100A, "\0\0", 2);
	assert_int_equal(r.crc_field.end, 0x100C);
	assert_true(r.crc <= 0xFFFF);
	done(&r);

	/* the size field needs 4 bytes */
	stimg_image_release(&img);
	put_fill(&img, 0x1000, 16, 0xFF);
	put_seq(&img, 0x1100, 0x20, 0);
	stimg_patch_init(&p);
	p.size_at = "0x100C+2";
	assert_int_equal(stimg_patch_apply(&img, &p, &r, &d), STIMG_EINVAL);
	assert_string_equal(d.msg, "the size field at 0x0000100C is 2 bytes; "
			    "it needs 4");
	done(&r);

	/* the size alone: the length of the range, big-endian here */
	p.size_at = "0x100C";
	p.big_endian = true;
	assert_int_equal(stimg_patch_apply(&img, &p, &r, &d), STIMG_OK);
	assert_int_equal(r.size, 0x20);
	tl_assert_bytes(&img, 0x100C, "\0\0\0\x20", 4);
	assert_false(r.has_crc);
	done(&r);
	stimg_image_release(&img);
}

/* ---- check and identify ---- */

struct named {
	char text[1024];
	unsigned n;
};

static void name_it(void *ctx, const struct stimg_crc_model *m,
		    bool big_endian)
{
	struct named *f = ctx;
	size_t at = strlen(f->text);

	snprintf(f->text + at, sizeof(f->text) - at, "%s%s%s", f->n ? "; " : "",
		 m->name, big_endian ? " big-endian" : "");
	f->n++;
}

/*
 * Patched with CRC-32/ISO-HDLC, checked as stm32: a mismatch, and identify
 * names CRC-32/ISO-HDLC (little-endian). Stored big-endian with stm32:
 * named as stm32 big-endian.
 */
static void test_check_identify(void **state)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_patch_result r = STIMG_PATCH_RESULT_INIT;
	struct stimg_patch_result c = STIMG_PATCH_RESULT_INIT;
	struct stimg_patch p;
	struct stimg_diag d;
	struct named found;
	uint8_t *b, field[4];

	(void)state;
	memset(&d, 0, sizeof(d));
	put_fill(&img, 0x08008000, 12, 0xFF);
	put_seq(&img, 0x08008800, 0x100, 0x5A);
	put_seq(&img, 0x08008A00, 0x31, 0x17);
	stimg_patch_init(&p);
	p.version = "1.2.3.4";
	p.version_at = "0x08008000+8";
	p.crc = model("CRC-32/ISO-HDLC");
	p.crc_at = "0x08008008+4";
	assert_int_equal(stimg_patch_apply(&img, &p, &r, &d), STIMG_OK);
	/* no word tail for a CRC over bytes: the range ends at the data */
	assert_int_equal(r.crc_range.start, 0x08008800);
	assert_int_equal(r.crc_range.end, 0x08008A31);
	assert_string_equal(tl_ranges(&r.filled), "[0x08008900,0x08008A00)");
	assert_int_equal(stimg_patch_fill(&img, &r, p.fill), STIMG_OK);
	b = flat(&img, 0x08008800, 0x08008A31);
	assert_int_equal(r.crc, ref_crc32(b, 0x231));
	free(b);

	/* checked as what it was patched with: a match */
	assert_int_equal(stimg_patch_check(&img, &p, &c, &d), STIMG_OK);
	assert_int_equal(c.crc, c.stored);
	assert_true(c.version_ok);
	done(&c);

	/* as stm32: no match; identify names the real one */
	p.crc = model("stm32");
	assert_int_equal(stimg_patch_check(&img, &p, &c, &d), STIMG_OK);
	assert_int_equal(c.stored, r.crc);
	assert_int_not_equal(c.crc, c.stored);
	assert_int_equal(c.crc_range.start, 0x08008800);
	assert_int_equal(c.crc_range.end, 0x08008A31);
	memset(&found, 0, sizeof(found));
	assert_int_equal(stimg_patch_identify(&img, &c, 0xFF, name_it, &found),
			 STIMG_OK);
	assert_string_equal(found.text, "CRC-32/ISO-HDLC");
	done(&c);

	/* a version the field does not hold */
	p.version = "1.2.3.5";
	assert_int_equal(stimg_patch_check(&img, &p, &c, &d), STIMG_OK);
	assert_false(c.version_ok);
	done(&c);
	done(&r);

	/* stm32 stored big-endian (over the fields above: force) */
	stimg_patch_init(&p);
	p.crc = model("stm32");
	p.crc_at = "0x08008008+4";
	p.version = "1.2.3.4";
	p.version_at = "0x08008000+8";
	p.big_endian = true;
	p.force = true;
	assert_int_equal(stimg_patch_apply(&img, &p, &r, &d), STIMG_OK);
	assert_int_equal(stimg_patch_fill(&img, &r, p.fill), STIMG_OK);
	/* the tail of stm32: 0x08008A31..0x08008A33 now 0xFF too */
	assert_string_equal(tl_segs(&img), "[0x08008000,0x0800800C) "
			    "[0x08008800,0x08008A34)");
	field[0] = (uint8_t)(r.crc >> 24);
	field[1] = (uint8_t)(r.crc >> 16);
	field[2] = (uint8_t)(r.crc >> 8);
	field[3] = (uint8_t)r.crc;
	tl_assert_bytes(&img, 0x08008008, field, 4);
	tl_assert_bytes(&img, 0x08008000, "\0\1\0\2\0\3\0\4", 8);
	b = flat(&img, 0x08008800, 0x08008A34);
	assert_int_equal(r.crc, ref_stm32(b, 0x234));
	free(b);
	assert_int_equal(stimg_patch_check(&img, &p, &c, &d), STIMG_OK);
	assert_int_equal(c.crc, c.stored);
	assert_true(c.version_ok);
	done(&c);
	/* checked little-endian: identify says stm32, big-endian */
	p.big_endian = false;
	assert_int_equal(stimg_patch_check(&img, &p, &c, &d), STIMG_OK);
	assert_int_not_equal(c.crc, c.stored);
	assert_false(c.version_ok);
	memset(&found, 0, sizeof(found));
	assert_int_equal(stimg_patch_identify(&img, &c, 0xFF, name_it, &found),
			 STIMG_OK);
	assert_string_equal(found.text, "stm32 big-endian");
	done(&c);
	done(&r);
	stimg_image_release(&img);
}

/* The check of an image that lacks the CRC field's bytes. */
static void test_check_no_field(void **state)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_patch_result c = STIMG_PATCH_RESULT_INIT;
	struct stimg_patch p;
	struct stimg_diag d;

	(void)state;
	memset(&d, 0, sizeof(d));
	put_seq(&img, 0x1100, 0x20, 0);
	stimg_patch_init(&p);
	p.crc = model("stm32");
	p.crc_at = "0x1000+4";
	assert_int_equal(stimg_patch_check(&img, &p, &c, &d), STIMG_EFORMAT);
	assert_string_equal(d.msg, "the image has no bytes at the CRC field "
			    "0x00001000..0x00001003");
	done(&c);
	stimg_image_release(&img);
}

/* ---- the fixture: the classic layout in ELF ---- */

static int read_fixture(struct stimg_image *img, const char *name,
			struct stimg_diag *d)
{
	char path[PATH_MAX + 64];

	snprintf(path, sizeof(path), "%s/%s", fixtures, name);
	memset(d, 0, sizeof(*d));
	return stimg_read(img, path, NULL, STIMG_OVERLAP_ERROR, NULL, d);
}

/*
 * app.elf: .fw_version u16[4] at 0x08008000, .crc u16[2] at 0x08008008,
 * the vector table at 0x08008800 and data to 0x080088F7. The default
 * sections, the default range (0x08008800..0x080088F7, no holes), the CRC
 * against the reference; and the section names in errors.
 */
/*
 * --sha256-at: the digest of the default range, holes as the fill, into a
 * 32-byte field in a hole; with the STM32 CRC the same range in whole
 * words. The digests are hashlib's (Python) of the flat bytes.
 *
 *  0x1000 [sha 32]   0x1100 [== 16 ==)  0xFF ... 0x1180 [= 6 =)[2] tail
 */
static void test_sha256_field(void **state)
{
	static const char *const want[2] = {
		"17213ae943820e1b5d4cfdb2b83fecf9a7f93f674679d4d6095bcc1eebec321c",
		"1b85c6b2847c9091ee3f6e16aaca7ff13689c8bc112d70bc86e9d6362d3b4e54",
	};
	uint8_t md[STIMG_SHA256_SIZE];
	struct stimg_patch p;
	struct stimg_diag d;
	size_t i, k;

	(void)state;
	for (k = 0; k < 2; k++) {
		struct stimg_image img = STIMG_IMAGE_INIT;
		struct stimg_patch_result r = STIMG_PATCH_RESULT_INIT;
		struct stimg_patch_result c = STIMG_PATCH_RESULT_INIT;

		memset(&d, 0, sizeof(d));
		for (i = 0; i < sizeof(md); i++)
			md[i] = (uint8_t)hex_pair((const uint8_t *)want[k] + 2 * i);
		put_seq(&img, 0x1100, 16, 0x10);
		put_seq(&img, 0x1180, 6, 0xA0);
		stimg_patch_init(&p);
		p.sha256_at = "0x1000";
		if (k) {
			p.crc = model("stm32");
			p.crc_at = "0x1020+4";
		}
		assert_int_equal(stimg_patch_apply(&img, &p, &r, &d), STIMG_OK);
		assert_true(r.has_sha256);
		assert_memory_equal(r.sha256, md, sizeof(md));
		tl_assert_bytes(&img, 0x1000, md, sizeof(md));
		assert_int_equal(r.sha256_field.start, 0x1000);
		assert_int_equal(r.sha256_field.end, 0x1020);
		assert_int_equal(r.sha256_range.start, 0x1100);
		assert_int_equal(r.sha256_range.end, k ? 0x1188 : 0x1186);
		assert_int_equal(r.has_crc, k == 1);
		/* the holes it counted, for the output to carry */
		assert_string_equal(tl_ranges(&r.filled), k
			? "[0x00001110,0x00001180) [0x00001186,0x00001188)"
			: "[0x00001110,0x00001180)");

		/* the check agrees, and sees one changed byte */
		assert_int_equal(stimg_patch_check(&img, &p, &c, &d), STIMG_OK);
		assert_memory_equal(c.sha256, md, sizeof(md));
		assert_memory_equal(c.sha256_stored, md, sizeof(md));
		done(&c);
		poke(&img, 0x1181, 0x00);
		assert_int_equal(stimg_patch_check(&img, &p, &c, &d), STIMG_OK);
		assert_memory_equal(c.sha256_stored, md, sizeof(md));
		assert_memory_not_equal(c.sha256, md, sizeof(md));
		done(&c);
		done(&r);
		stimg_image_release(&img);
	}

	/* a field too small, or inside the range */
	{
		struct stimg_image img = STIMG_IMAGE_INIT;
		struct stimg_patch_result r = STIMG_PATCH_RESULT_INIT;

		put_seq(&img, 0x1100, 16, 0x10);
		stimg_patch_init(&p);
		p.sha256_at = "0x1000+31";
		assert_int_equal(stimg_patch_apply(&img, &p, &r, &d),
				 STIMG_EINVAL);
		assert_string_equal(d.msg, "the SHA-256 field at 0x00001000 is "
				    "31 bytes; it needs 32");
		done(&r);
		p.sha256_at = "0x1104";
		p.crc_range = (struct stimg_range){ 0x1100, 0x1110 };
		p.has_crc_range = true;
		assert_int_equal(stimg_patch_apply(&img, &p, &r, &d),
				 STIMG_EINVAL);
		assert_string_equal(d.msg, "the CRC range 0x00001100..0x0000110F "
				    "contains the SHA-256 field at 0x00001104");
		done(&r);
		stimg_image_release(&img);
	}
}

static void test_fixture(void **state)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_patch_result r = STIMG_PATCH_RESULT_INIT;
	struct stimg_patch_result c = STIMG_PATCH_RESULT_INIT;
	struct stimg_patch p;
	struct stimg_diag d;
	uint8_t *b;
	uint32_t crc;

	(void)state;
	assert_int_equal(read_fixture(&img, "app.elf", &d), STIMG_OK);
	stimg_patch_init(&p);
	p.version = "1.2.3.4";
	p.crc = model("stm32");
	assert_int_equal(stimg_patch_apply(&img, &p, &r, &d), STIMG_OK);
	assert_int_equal(r.crc_range.start, 0x08008800);
	assert_int_equal(r.crc_range.end, 0x080088F8);
	assert_int_equal(r.crc_field.start, 0x08008008);
	assert_int_equal(r.crc_field.end, 0x0800800C);
	assert_int_equal(r.filled.n, 0);
	assert_string_equal(tl_ranges(&r.fields), "[0x08008000,0x0800800C)");
	b = flat(&img, 0x08008800, 0x080088F8);
	crc = ref_stm32(b, 0xF8);
	free(b);
	assert_int_equal(r.crc, crc);
	assert_int_equal(crc, 0xA81685F8);
	tl_assert_bytes(&img, 0x08008008, "\xF8\x85\x16\xA8", 4);
	assert_int_equal(stimg_patch_check(&img, &p, &c, &d), STIMG_OK);
	assert_int_equal(c.crc, c.stored);
	done(&c);
	done(&r);

	/* a section the file does not have: the message lists those it has */
	p.crc_at = ".checksum";
	assert_int_equal(stimg_patch_apply(&img, &p, &r, &d), STIMG_EFORMAT);
	assert_string_equal(d.msg, "no section '.checksum' in the input "
			    "(sections that load: .fw_version, .crc, "
			    ".isr_vector, .text, .rodata, .data)");
	done(&r);

	/* a symbol: counter, 4 bytes at the end of .data */
	stimg_patch_init(&p);
	p.crc = model("CRC-32/ISO-HDLC");
	p.crc_at = "counter";
	p.has_crc_range = true;
	p.crc_range.start = 0x08008800;
	p.crc_range.end = 0x080088F4;
	assert_int_equal(stimg_patch_apply(&img, &p, &r, &d), STIMG_OK);
	assert_int_equal(r.crc_field.start, 0x080088F4);
	assert_int_equal(r.crc_field.end, 0x080088F8);
	b = flat(&img, 0x08008800, 0x080088F4);
	assert_int_equal(r.crc, ref_crc32(b, 0xF4));
	free(b);
	done(&r);
	stimg_image_release(&img);

	/* boot.hex has no sections: the default names fail with a hint */
	assert_int_equal(read_fixture(&img, "boot.hex", &d), STIMG_OK);
	stimg_patch_init(&p);
	p.crc = model("stm32");
	assert_int_equal(stimg_patch_apply(&img, &p, &r, &d), STIMG_EFORMAT);
	assert_string_equal(d.msg, "no section '.crc' in the input (sections "
			    "that load: none); give --crc-at LOC");
	done(&r);
	stimg_image_release(&img);
}

/*
 * Issue 10, defect 19: a field replaces only bytes that are absent, erased
 * (0xFF) or zero, already its own, or in the section named for it;
 * otherwise an error naming where it lands and the bytes there; force
 * writes it anyway.
 *
 *  0x1000 [== code 0x40 ==)  0x2000 [FF x8]  0x3000 [00 x8]  0x4000 [.crc]
 */
static void test_field_overwrite(void **state)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_patch_result r = STIMG_PATCH_RESULT_INIT;
	struct stimg_place crc = { 0 };
	struct stimg_patch p;
	struct stimg_diag d;
	const char *set;

	(void)state;
	memset(&d, 0, sizeof(d));
	put_seq(&img, 0x1000, 0x40, 0);
	put_fill(&img, 0x2000, 8, 0xFF);
	put_fill(&img, 0x3000, 8, 0x00);
	put_seq(&img, 0x4000, 4, 0x77);
	crc.kind = STIMG_PLACE_SECTION;
	crc.name = (char *)".crc";
	crc.loads = true;
	crc.addr = 0x4000;
	crc.size = 4;
	assert_int_equal(stimg_image_add_place(&img, &crc), STIMG_OK);
	stimg_patch_init(&p);
	p.sets = &set;
	p.nsets = 1;

	/* on code: refused, the image unchanged */
	set = "0x1004=u32:0x11223344";
	assert_int_equal(stimg_patch_apply(&img, &p, &r, &d), STIMG_ECONFLICT);
	assert_string_equal(d.msg, "the --set field at 0x00001004..0x00001007 "
			    "lands on data at 0x00001000..0x0000103F, which "
			    "holds 04 05 06 07 there: a field replaces only "
			    "absent, erased (0xFF) or zero bytes; give --force "
			    "to write it anyway");
	tl_assert_bytes(&img, 0x1004, "\4\5\6\7", 4);
	done(&r);
	/* partly over a hole: the first byte that is not, named */
	set = "0x103E=u32:1";
	assert_int_equal(stimg_patch_apply(&img, &p, &r, &d), STIMG_ECONFLICT);
	assert_string_equal(d.msg, "the --set field at 0x0000103E..0x00001041 "
			    "lands on data at 0x00001000..0x0000103F, which "
			    "holds 3E 3F -- -- there: a field replaces only "
			    "absent, erased (0xFF) or zero bytes; give --force "
			    "to write it anyway");
	done(&r);
	/* erased, zero, a hole, the same bytes: fine */
	set = "0x2000+8=u32:1";
	assert_int_equal(stimg_patch_apply(&img, &p, &r, &d), STIMG_OK);
	done(&r);
	set = "0x3004=u32:1";
	assert_int_equal(stimg_patch_apply(&img, &p, &r, &d), STIMG_OK);
	done(&r);
	set = "0x5000=u32:1";
	assert_int_equal(stimg_patch_apply(&img, &p, &r, &d), STIMG_OK);
	done(&r);
	set = "0x1004=hex:04050607";
	assert_int_equal(stimg_patch_apply(&img, &p, &r, &d), STIMG_OK);
	done(&r);
	/* the CRC by address in the section .crc, or a LOC that names it */
	p.nsets = 0;
	p.crc = model("CRC-32/ISO-HDLC");
	p.crc_at = "0x4000";
	p.has_crc_range = true;
	p.crc_range.start = 0x1000;
	p.crc_range.end = 0x1040;
	assert_int_equal(stimg_patch_apply(&img, &p, &r, &d), STIMG_OK);
	done(&r);
	p.crc_at = "0x1020";
	p.crc_range.start = 0x2000;
	p.crc_range.end = 0x2008;
	assert_int_equal(stimg_patch_apply(&img, &p, &r, &d), STIMG_ECONFLICT);
	assert_string_equal(d.msg, "the CRC field at 0x00001020..0x00001023 "
			    "lands on data at 0x00001000..0x0000103F, which "
			    "holds 20 21 22 23 there: a field replaces only "
			    "absent, erased (0xFF) or zero bytes; give --force "
			    "to write it anyway");
	done(&r);
	/* force */
	p.force = true;
	assert_int_equal(stimg_patch_apply(&img, &p, &r, &d), STIMG_OK);
	done(&r);
	stimg_image_release(&img);
}

/* Issue 10, defect 20: what --set says about addresses and numbers. */
static void test_set_messages(void **state)
{
	(void)state;
	set_err("0xFFFFFFFE=u32:1", STIMG_EINVAL,
		"the --set field at 0xFFFFFFFE is 4 bytes and runs past the "
		"32-bit address space");
	set_err("0x1000=u64:18446744073709551616", STIMG_EINVAL,
		"--set: 18446744073709551616 does not fit (at most "
		"18446744073709551615)");
	set_err("0x100000000=u8:1", STIMG_EFORMAT,
		"address 0x100000000 lies past the 32-bit address space");
	set_err("0x1000+0x10001=str:x", STIMG_EINVAL,
		"the --set str field at 0x00001000 is 65537 bytes; a field "
		"holds at most 65536");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_references),
		cmocka_unit_test(test_version_formats),
		cmocka_unit_test(test_version_errors),
		cmocka_unit_test(test_set_types),
		cmocka_unit_test(test_set_errors),
		cmocka_unit_test(test_set_messages),
		cmocka_unit_test(test_field_overwrite),
		cmocka_unit_test(test_set_order),
		cmocka_unit_test(test_default_range_start),
		cmocka_unit_test(test_stm32_tail_unwritten),
		cmocka_unit_test(test_default_range_end),
		cmocka_unit_test(test_default_range_middle),
		cmocka_unit_test(test_range_errors),
		cmocka_unit_test(test_field_errors),
		cmocka_unit_test(test_check_identify),
		cmocka_unit_test(test_check_no_field),
		cmocka_unit_test(test_sha256_field),
		cmocka_unit_test(test_fixture),
	};

	return cmocka_run_group_tests(tests, setup, tl_teardown_dir);
}
