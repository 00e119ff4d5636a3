/* Motorola S-record reader and writer. */
#include "testlib.h"

static char tmp_path[64];

/* Writes text to a new temporary file named in tmp_path. */
static void write_tmp(const char *text, size_t len)
{
	int fd;

	strcpy(tmp_path, "/tmp/test_srec-XXXXXX");
	fd = mkstemp(tmp_path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	assert_int_equal(close(fd), 0);
}

/* Reads text as an S-record file into img; returns stimg_read's result. */
static int read_text(const char *text, struct stimg_image *img,
		     struct stimg_diag *d)
{
	int ret;

	write_tmp(text, strlen(text));
	ret = stimg_read(img, tmp_path, "srec", STIMG_OVERLAP_ERROR, NULL, d);
	unlink(tmp_path);
	return ret;
}

/* text must fail with STIMG_EFORMAT at line, with message msg. */
static void expect_error(const char *text, unsigned long line, const char *msg)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_diag d = { 0 };

	assert_int_equal(read_text(text, &img, &d), STIMG_EFORMAT);
	assert_string_equal(d.file, tmp_path);
	assert_int_equal(d.line, line);
	assert_string_equal(d.msg, msg);
	stimg_image_release(&img);
}

/* Writes img with o through the format table; returns the text (freed by caller). */
static char *write_text(const struct stimg_image *img,
			const struct stimg_write_opts *o, int *ret,
			struct stimg_diag *d)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	*ret = o->fmt->write(img, f, o->opts.bytes, d);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void expect_output(const struct stimg_image *img,
			  const struct stimg_write_opts *o, const char *want)
{
	struct stimg_diag d = { 0 };
	int ret;
	char *got = write_text(img, o, &ret, &d);

	assert_int_equal(ret, STIMG_OK);
	assert_string_equal(got, want);
	free(got);
}

static void put(struct stimg_image *img, uint32_t addr, const uint8_t *data,
		size_t len)
{
	uint32_t src;

	assert_int_equal(stimg_image_add_source(img, "test", NULL, NULL, &src),
			 STIMG_OK);
	assert_int_equal(stimg_image_put(img, addr, data, len, src, 0,
					 STIMG_OVERLAP_ERROR, NULL), STIMG_OK);
}

static void expect_bytes(const struct stimg_image *img, uint32_t addr,
			 const uint8_t *want, size_t len)
{
	uint8_t got[16];

	assert_true(len <= sizeof(got));
	assert_true(stimg_image_get(img, addr, got, len));
	assert_memory_equal(got, want, len);
}

static void test_data_records(void **state)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_diag d = { 0 };

	(void)state;
	assert_int_equal(read_text("S00D00007374696D672074657374EE\n"
				   "S1051234112281\n"
				   "S20712345633445590\n"
				   "S30612345678667F\n", &img, &d), STIMG_OK);
	assert_int_equal(stimg_image_nregions(&img), 3);
	expect_bytes(&img, 0x1234, (const uint8_t *)"\x11\x22", 2);
	expect_bytes(&img, 0x123456, (const uint8_t *)"\x33\x44\x55", 3);
	expect_bytes(&img, 0x12345678, (const uint8_t *)"\x66", 1);
	assert_int_equal(stimg_image_bytes(&img), 6);
	/* no termination record: no entry point, and no error */
	assert_int_equal(tl_entry(&img), -1);
	stimg_image_release(&img);
}

static void test_counts(void **state)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_diag d = { 0 };

	(void)state;
	assert_int_equal(read_text("S1051234112281\nS20712345633445590\n"
				   "S30612345678667F\nS5030003F9\n",
				   &img, &d), STIMG_OK);
	stimg_image_release(&img);
	assert_int_equal(read_text("S1051234112281\nS20712345633445590\n"
				   "S30612345678667F\nS604000003F8\n",
				   &img, &d), STIMG_OK);
	stimg_image_release(&img);
	expect_error("S1051234112281\nS20712345633445590\n"
		     "S30612345678667F\nS5030005F7\n", 4,
		     "record count is 5 but the file has 3 data records");
	expect_error("S1051234112281\nS20712345633445590\n"
		     "S30612345678667F\nS604000004F7\n", 4,
		     "record count is 4 but the file has 3 data records");
	/* a count checks the records before it */
	expect_error("S1051234112281\nS5030003F9\n", 2,
		     "record count is 3 but the file has 1 data records");
}

static void test_entry(void **state)
{
	static const struct {
		const char *text;
		uint32_t entry;
	} cases[] = {
		{ "S30612345678667F\nS70508000101F0\n", 0x08000101 },
		{ "S20712345633445590\nS8041234565F\n", 0x123456 },
		{ "S1051234112281\nS9031234B6\n", 0x1234 },
		{ "S1051234112281\nS9030000FC\n", 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct stimg_image img = STIMG_IMAGE_INIT;
		struct stimg_diag d = { 0 };

		assert_int_equal(read_text(cases[i].text, &img, &d), STIMG_OK);
		assert_int_equal(tl_entry(&img), cases[i].entry);
		stimg_image_release(&img);
	}
}

static void test_layout(void **state)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_diag d = { 0 };

	(void)state;
	assert_int_equal(read_text("\r\n\n  S0030000fc\r\n"
				   "\tS1060010abcdef82 \t\r\n"
				   "\n"
				   "S5030001fb\r\n"
				   "S9030000fc\r\n"
				   "\r\n  \n", &img, &d), STIMG_OK);
	expect_bytes(&img, 0x10, (const uint8_t *)"\xAB\xCD\xEF", 3);
	assert_true(tl_entry(&img) >= 0);
	stimg_image_release(&img);
	/* the last line needs no newline */
	assert_int_equal(read_text("S1060010ABCDEF82\nS5030001FB", &img, &d),
			 STIMG_OK);
	expect_bytes(&img, 0x10, (const uint8_t *)"\xAB\xCD\xEF", 3);
	stimg_image_release(&img);
	assert_int_equal(read_text("", &img, &d), STIMG_OK);
	assert_int_equal(stimg_image_nregions(&img), 0);
	stimg_image_release(&img);
}

static void test_malformed(void **state)
{
	(void)state;
	expect_error("S0030000FC\nS1051234112280\n", 2,
		     "record checksum is 0x80, expected 0x81");
	expect_error("S0030000FC\n  S10512341g2281\n", 2,
		     "invalid character 'g' in column 12");
	expect_error("S0030000FC\nS10512341122x1\n", 2,
		     "invalid character 'x' in column 13");
	expect_error("S0030000FC\nS1g51234112281\n", 2,
		     "invalid character 'g' in column 3");
	expect_error("S0030000FC\nS1\x01" "51234112281\n", 2,
		     "invalid character '?' in column 3");
	expect_error("S1\n", 1, "record is too short (2 characters)");
	expect_error("\n\nS\n", 3, "record is too short (1 characters)");
	expect_error("S0030000FC\nx1051234112281\n", 2,
		     "a record starts with 'S', not 'x'");
	expect_error("S0030000FC\n:1051234112281\n", 2,
		     "a record starts with 'S', not ':'");
	expect_error("SX051234112281\n", 1, "unknown record type 'SX'");
	expect_error("S4051234112281\n", 1, "reserved record type S4");
	expect_error("S105123411228\n", 1,
		     "record has an odd number of hex digits");
	expect_error("S1061234112281\n", 1,
		     "byte count is 0x06 but the record holds 5 bytes");
	expect_error("S1FF1234112281\n", 1,
		     "byte count is 0xFF but the record holds 5 bytes");
	expect_error("S3030000FC\n", 1,
		     "byte count is 0x03 but an S3 record needs at least 0x05");
	expect_error("S101FE\n", 1,
		     "byte count is 0x01 but an S1 record needs at least 0x03");
	expect_error("S1051234112281\nS50500020000F8\n", 2,
		     "S5 record has 2 data bytes, expected 0");
	expect_error("S1051234112281\nS9030000FC\n\nS1051234112281\n", 4,
		     "text after the termination record");
	expect_error("S9030000FC\nS9030000FC\n", 2,
		     "text after the termination record");
}

static void test_long_line(void **state)
{
	char text[1100];

	(void)state;
	memset(text, '0', sizeof(text) - 2);
	text[0] = 'S';
	text[1] = '1';
	text[sizeof(text) - 2] = '\n';
	text[sizeof(text) - 1] = '\0';
	expect_error(text, 1, "line is longer than 1024 characters");
}

static void test_past_4gib(void **state)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_diag d = { 0 };

	(void)state;
	assert_int_equal(read_text("S0030000FC\nS307FFFFFFFF0102F9\n", &img, &d),
			 STIMG_ERANGE);
	assert_int_equal(d.line, 2);
	assert_string_equal(d.msg, "data at 0xFFFFFFFF..0x100000000 lies past "
			    "the 32-bit address space");
	stimg_image_release(&img);
}

static void test_conflict(void **state)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_diag d = { 0 };
	char want[256];

	(void)state;
	/*
	 * an identical repeat is fine, a differing byte is not; the conflict
	 * names the latest record that set the old bytes
	 */
	assert_int_equal(read_text("S1051234112281\nS1051234112281\n"
				   "S10512349922F9\n", &img, &d),
			 STIMG_ECONFLICT);
	snprintf(want, sizeof(want), "%s:2 and %s:3 both set 0x00001234.."
		 "0x00001235 (first difference at 0x00001234: 0x11 vs 0x99)",
		 tmp_path, tmp_path);
	assert_string_equal(d.msg, want);
	stimg_image_release(&img);
}

static void test_corpus_bad_crc(void **state)
{
	const char *top = getenv("STIMG_TOP");
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_diag d = { 0 };
	const struct stimg_format *used = NULL;
	char path[4096];

	(void)state;
	if (!top)
		fail_msg("STIMG_TOP is not set; run through tests/run.sh");
	snprintf(path, sizeof(path), "%s/tests/data/bincopy/bad_crc.s19", top);
	assert_int_equal(stimg_read(&img, path, NULL, STIMG_OVERLAP_ERROR,
				    &used, &d), STIMG_EFORMAT);
	assert_ptr_equal(used, tl_format("srec"));
	assert_string_equal(d.file, path);
	assert_int_equal(d.line, 1);
	assert_string_equal(d.msg, "record checksum is 0x22, expected 0x25");
	stimg_image_release(&img);
}

static void test_detect(void **state)
{
	static const char blank_first[] = "\r\n\n \tS0030000FC\n";
	static const char hex[] = ":00000001FF\n";

	(void)state;
	assert_ptr_equal(stimg_format_detect((const uint8_t *)blank_first,
					     strlen(blank_first)),
			 tl_format("srec"));
	assert_ptr_equal(stimg_format_detect((const uint8_t *)"S9", 2),
			 tl_format("srec"));
	assert_ptr_equal(stimg_format_detect((const uint8_t *)hex, strlen(hex)),
			 tl_format("ihex"));
	assert_null(stimg_format_detect((const uint8_t *)"Sx", 2));
	assert_null(stimg_format_detect((const uint8_t *)"\n S", 3));
}

/*
 * S-record write options: type (0: the smallest that fits), record size
 * (0: the default) and CR LF, set by name as the commands set them.
 */
static struct stimg_write_opts srec_opts(unsigned type, unsigned size,
					 bool crlf)
{
	struct stimg_write_opts o = tl_write_opts("srec");
	char n[16];

	if (type) {
		snprintf(n, sizeof(n), "%u", type);
		tl_opt(&o, "srec-type", n);
	}
	if (size) {
		snprintf(n, sizeof(n), "%u", size);
		tl_opt(&o, "record-size", n);
	}
	if (crlf)
		tl_opt(&o, "crlf", NULL);
	return o;
}

/* 20 bytes 00..13 at 0x1000 */
static void small_image(struct stimg_image *img)
{
	uint8_t data[20];
	size_t i;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)i;
	put(img, 0x1000, data, sizeof(data));
}

static void test_write_default(void **state)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_write_opts o = srec_opts(0, 0, false);

	(void)state;
	small_image(&img);
	expect_output(&img, &o,
		      "S0030000FC\n"
		      "S1131000000102030405060708090A0B0C0D0E0F64\n"
		      "S10710101011121392\n"
		      "S5030002FA\n");
	o = srec_opts(3, 8, true);
	expect_output(&img, &o,
		      "S0030000FC\r\n"
		      "S30D000010000001020304050607C6\r\n"
		      "S30D0000100808090A0B0C0D0E0F7E\r\n"
		      "S309000010101011121390\r\n"
		      "S5030003F9\r\n");
	stimg_image_release(&img);
}

static void test_write_entry(void **state)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_write_opts o = srec_opts(0, 4, false);

	(void)state;
	put(&img, 0x08000000,
	    (const uint8_t *)"\x00\x50\x00\x20\x01\x01\x00\x08", 8);
	stimg_image_set_entry(&img, true, 0x08000101);
	expect_output(&img, &o,
		      "S0030000FC\n"
		      "S30908000000005000207E\n"
		      "S3090800000401010008E0\n"
		      "S5030002FA\n"
		      "S70508000101F0\n");
	stimg_image_release(&img);

	/* the termination record must hold the entry: S2, not S1 */
	o = srec_opts(0, 0, false);
	put(&img, 0x100, (const uint8_t *)"\xDE\xAD", 2);
	stimg_image_set_entry(&img, true, 0x20000);
	expect_output(&img, &o,
		      "S0030000FC\n"
		      "S206000100DEAD6D\n"
		      "S5030001FB\n"
		      "S804020000F9\n");
	stimg_image_release(&img);
}

static void test_write_empty(void **state)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_write_opts o = srec_opts(0, 0, false);

	(void)state;
	expect_output(&img, &o, "S0030000FC\nS5030000FC\n");
}

/*
 * A record size the count byte cannot carry is refused when the option is
 * set, as in Intel HEX; so is a type other than 1, 2, 3.
 */
static void test_write_record_size_too_large(void **state)
{
	struct stimg_write_opts o = srec_opts(0, 0, false);
	struct stimg_diag d = { 0 };

	(void)state;
	assert_int_equal(stimg_write_opts_set(&o, "record-size", "256", &d),
			 STIMG_EINVAL);
	assert_string_equal(d.msg, "--record-size: '256' is too large "
			    "(at most 0xFF)");
	assert_int_equal(stimg_write_opts_set(&o, "srec-type", "4", &d),
			 STIMG_EINVAL);
	assert_string_equal(d.msg, "--srec-type: '4' is not 1, 2 or 3");
	assert_int_equal(stimg_write_opts_set(&o, "srec-type", "12", &d),
			 STIMG_EINVAL);
	assert_string_equal(d.msg, "--srec-type: '12' is not 1, 2 or 3");
}

static void test_write_type_too_small(void **state)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_write_opts o = srec_opts(1, 0, false);
	struct stimg_diag d = { 0 };
	char *out;
	int ret;

	(void)state;
	put(&img, 0x08000000, (const uint8_t *)"\x01\x02\x03\x04", 4);
	out = write_text(&img, &o, &ret, &d);
	assert_int_equal(ret, STIMG_EINVAL);
	assert_string_equal(d.msg, "S1 records cannot hold address 0x08000003; "
			    "use --srec-type 3");
	free(out);
	o = srec_opts(2, 0, false);
	out = write_text(&img, &o, &ret, &d);
	assert_int_equal(ret, STIMG_EINVAL);
	assert_string_equal(d.msg, "S2 records cannot hold address 0x08000003; "
			    "use --srec-type 3");
	free(out);
	stimg_image_release(&img);

	/* the last byte of S1's space still fits */
	put(&img, 0xFFFF, (const uint8_t *)"\x5A", 1);
	o = srec_opts(1, 0, false);
	expect_output(&img, &o,
		      "S0030000FC\nS104FFFF5AA3\nS5030001FB\n");
	stimg_image_release(&img);
}

/* The count byte caps a record at 255 - address - 1 data bytes. */
static void test_write_record_size(void **state)
{
	static const unsigned maxdata[4] = { 0, 252, 251, 250 };
	struct stimg_image img = STIMG_IMAGE_INIT;
	uint8_t data[300];
	unsigned t;

	(void)state;
	memset(data, 0xA5, sizeof(data));
	put(&img, 0, data, sizeof(data));
	for (t = 1; t <= 3; t++) {
		struct stimg_write_opts o = srec_opts(t, 255, false);
		struct stimg_diag d = { 0 };
		int ret;
		char *out, *second;
		size_t len1;

		out = write_text(&img, &o, &ret, &d);
		assert_int_equal(ret, STIMG_OK);
		second = strchr(out, '\n') + 1;
		assert_int_equal(second[0], 'S');
		assert_int_equal(second[1], '0' + t);
		assert_memory_equal(second + 2, "FF", 2);
		len1 = (size_t)(strchr(second, '\n') - second);
		assert_int_equal(len1, 4 + 2 * (t + 1 + maxdata[t] + 1));
		free(out);
	}
	stimg_image_release(&img);
}

/* Reads back what was written: the same segments and entry point. */
static void round_trip(const struct stimg_image *img,
		       const struct stimg_write_opts *o)
{
	struct stimg_image back = STIMG_IMAGE_INIT;
	struct stimg_diag d = { 0 };

	write_tmp("", 0);
	assert_int_equal(stimg_write(img, tmp_path, o, &d), STIMG_OK);
	assert_int_equal(stimg_read(&back, tmp_path, NULL, STIMG_OVERLAP_ERROR,
				    NULL, &d), STIMG_OK);
	unlink(tmp_path);
	tl_assert_same_data(img, &back);
	/* no entry point: no termination record, and none read back */
	assert_int_equal(tl_entry(&back), tl_entry(img));
	stimg_image_release(&back);
}

static void test_round_trip(void **state)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_write_opts o;
	uint8_t data[1000];
	size_t i;
	unsigned t;

	(void)state;
	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + 3);
	put(&img, 0x0000FFF0, data, 100);
	put(&img, 0x08000000, data, sizeof(data));
	put(&img, 0xFFFFFF00, data, 0x100);
	stimg_image_set_entry(&img, true, 0x08000101);
	o = srec_opts(0, 0, false);
	round_trip(&img, &o);
	o = srec_opts(0, 255, true);
	round_trip(&img, &o);
	stimg_image_release(&img);

	for (t = 0; t <= 3; t++) {
		put(&img, 0x1000, data, sizeof(data));
		put(&img, 0x3000, data, 3);
		o = srec_opts(t, 1 + t * 50, false);
		round_trip(&img, &o);
		stimg_image_release(&img);
	}
}

/*
 * More than 0xFFFF records takes an S6 count; the file is also larger than
 * the reader's chunk, so lines cross chunk boundaries.
 */
static void test_s6_count(void **state)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_write_opts o;
	struct stimg_diag d = { 0 };
	static uint8_t data[100000];
	char *out, *tail;
	int ret;

	(void)state;
	memset(data, 0x42, sizeof(data));
	put(&img, 0, data, sizeof(data));
	o = srec_opts(0, 1, false);
	out = write_text(&img, &o, &ret, &d);
	assert_int_equal(ret, STIMG_OK);
	assert_true(strlen(out) > (1u << 20));
	tail = out + strlen(out) - strlen("S6040186A0D4\n");
	assert_string_equal(tail, "S6040186A0D4\n");
	free(out);
	round_trip(&img, &o);
	stimg_image_release(&img);
}

/* A byte-order mark is skipped (and detected past); CR-only lines read. */
static void test_bom_and_cr(void **state)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_diag d = { 0 };
	static const char text[] = "\xEF\xBB\xBFS00600004844521B\r"
				   "S107001001020304DE\rS9030000FC\r";

	(void)state;
	assert_non_null(stimg_format_detect((const uint8_t *)text,
					    sizeof(text) - 1));
	assert_string_equal(stimg_format_detect((const uint8_t *)text,
						sizeof(text) - 1)->name, "srec");
	assert_int_equal(read_text(text, &img, &d), STIMG_OK);
	assert_string_equal(tl_segs(&img), "[0x00000010,0x00000014)");
	stimg_image_release(&img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_data_records),
		cmocka_unit_test(test_bom_and_cr),
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_entry),
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_past_4gib),
		cmocka_unit_test(test_conflict),
		cmocka_unit_test(test_corpus_bad_crc),
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_write_default),
		cmocka_unit_test(test_write_entry),
		cmocka_unit_test(test_write_empty),
		cmocka_unit_test(test_write_type_too_small),
		cmocka_unit_test(test_write_record_size_too_large),
		cmocka_unit_test(test_write_record_size),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_s6_count),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
