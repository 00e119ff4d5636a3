/*
 * UF2 and DfuSe through the library: the format table (names, NAME:ARG,
 * extensions, detection), the writers' options set by name and directly
 * in their bytes, the header facts a reader reports (the source's
 * attributes), the UF2 family picked through stimg_read's format.
 */
#include "testlib.h"

/* 4 bytes at 0x08000000, 2 at 0x08000201 */
static void two_regions(struct stimg_image *img)
{
	struct stimg_diag d;

	stimg_image_init(img);
	memset(&d, 0, sizeof(d));
	assert_int_equal(tl_put(img, 0x08000000, "\x00\x11\x22\x33", 4, 0, 0,
				STIMG_OVERLAP_ERROR, &d), STIMG_OK);
	assert_int_equal(tl_put(img, 0x08000201, "\x55\x66", 2, 0, 0,
				STIMG_OVERLAP_ERROR, &d), STIMG_OK);
}

/* The value of source 0's attribute key, or NULL. */
static const char *attr(const struct stimg_image *img, const char *key)
{
	const struct stimg_source *s = stimg_image_source(img, 0);
	size_t i;

	for (i = 0; i < s->nattrs; i++)
		if (!strcmp(s->attrs[i].key, key))
			return s->attrs[i].value;
	return NULL;
}

static void test_table(void **state)
{
	(void)state;
	assert_ptr_equal(stimg_format_by_name("uf2"), tl_format("uf2"));
	assert_ptr_equal(stimg_format_by_name("DFU"), tl_format("dfu"));
	/* NAME:ARG only for a format that takes one, and with an ARG */
	assert_ptr_equal(stimg_format_by_name("uf2:stm32f4"), tl_format("uf2"));
	assert_ptr_equal(stimg_format_by_name("UF2:x"), tl_format("uf2"));
	assert_null(stimg_format_by_name("uf2:"));
	assert_null(stimg_format_by_name("dfu:1"));
	assert_null(stimg_format_by_name("ihex:x"));
	assert_null(stimg_format_by_name(":x"));
	assert_string_equal(tl_format("uf2")->read_arg, "FAMILY");
	assert_null(tl_format("dfu")->read_arg);
	assert_ptr_equal(stimg_format_by_extension("a.UF2"), tl_format("uf2"));
	assert_ptr_equal(stimg_format_by_extension("a.dfu"), tl_format("dfu"));
	assert_ptr_equal(stimg_format_detect((const uint8_t *)"DfuSe\x01", 6),
			 tl_format("dfu"));
	assert_null(stimg_format_detect((const uint8_t *)"DfuS", 4));
	assert_ptr_equal(stimg_format_detect((const uint8_t *)
					     "UF2\n\x57\x51\x5d\x9e", 8),
			 tl_format("uf2"));
	assert_null(stimg_format_detect((const uint8_t *)"UF2\n\x57\x51\x5d", 7));
	assert_string_equal(stimg_format_names(STIMG_FORMAT_WRITE),
			    "ihex, srec, bin, elf, dfu, uf2");
}

static void test_uf2_options(void **state)
{
	struct stimg_write_opts o = tl_write_opts("uf2");
	struct stimg_image img;
	struct stimg_diag d;
	size_t len;
	char *out;
	int ret;

	(void)state;
	two_regions(&img);
	/* no family: refused, naming the option */
	out = tl_write_mem(&img, &o, &ret, &len);
	assert_int_equal(ret, STIMG_EINVAL);
	assert_int_equal(len, 0);
	free(out);
	memset(&d, 0, sizeof(d));
	assert_int_equal(stimg_write_opts_set(&o, "uf2-family", "nope", &d),
			 STIMG_EINVAL);
	assert_non_null(strstr(d.msg, "--uf2-family: unknown family 'nope'; "
				      "give one of at32f415, "));
	tl_opt(&o, "uf2-family", "Stm32F4");
	out = tl_write_mem(&img, &o, &ret, &len);
	assert_int_equal(ret, STIMG_OK);
	assert_int_equal(len, 2 * 512);
	/* the second block: page 0x08000200, number 1 of 2, its payload */
	assert_memory_equal(out + 512 + 12, "\x00\x02\x00\x08" "\x00\x01\x00\x00"
			    "\x01\x00\x00\x00" "\x02\x00\x00\x00"
			    "\x57\x5a\x75\x57" "\xff\x55\x66\xff", 24);
	free(out);
	memset(&d, 0, sizeof(d));
	assert_int_equal(stimg_write_opts_set(&o, "dfu-alt", "1", &d),
			 STIMG_EINVAL);
	assert_string_equal(d.msg, "--dfu-alt is an option of dfu output, "
			    "not of uf2");
	stimg_image_release(&img);
}

static void test_dfu_options(void **state)
{
	struct stimg_write_opts o = tl_write_opts("dfu");
	struct stimg_image img;
	size_t len;
	char *out;
	int ret;

	(void)state;
	two_regions(&img);
	tl_opt(&o, "dfu-name", "flash");
	tl_opt(&o, "dfu-alt", "3");
	out = tl_write_mem(&img, &o, &ret, &len);
	assert_int_equal(ret, STIMG_OK);
	assert_int_equal(len, 11 + 274 + 8 + 4 + 8 + 2 + 16);
	assert_memory_equal(out + 11, "Target\x03\x01\x00\x00\x00" "flash\0", 17);
	free(out);
	/* a name set in the option bytes without its NUL */
	memset(o.opts.bytes, 'x', sizeof(o.opts.bytes));
	out = tl_write_mem(&img, &o, &ret, &len);
	assert_int_equal(ret, STIMG_EINVAL);
	free(out);
	stimg_image_release(&img);
}

/* Written to a file and read back: the data, and the header's facts. */
static void test_read_facts(void **state)
{
	struct stimg_write_opts o = tl_write_opts("dfu");
	struct stimg_image img, back = STIMG_IMAGE_INIT;
	struct stimg_diag d;

	(void)state;
	two_regions(&img);
	memset(&d, 0, sizeof(d));
	tl_opt(&o, "dfu-vid", "0x1209");
	assert_int_equal(stimg_write(&img, "x.dfu", &o, &d), STIMG_OK);
	assert_int_equal(stimg_read(&back, "x.dfu", NULL, STIMG_OVERLAP_ERROR,
				    NULL, &d), STIMG_OK);
	tl_assert_same_data(&img, &back);
	assert_string_equal(attr(&back, "vid:pid"), "0x1209:0xDF11");
	assert_string_equal(attr(&back, "target 0"), "alt 0, 'ST...', 2 elements");
	assert_string_equal(attr(&back, "elements"), "2");
	stimg_image_release(&back);

	o = tl_write_opts("uf2");
	tl_opt(&o, "uf2-family", "0x00FF6919");
	assert_int_equal(stimg_write(&img, "x.uf2", &o, &d), STIMG_OK);
	assert_int_equal(stimg_read(&back, "x.uf2", "uf2:stm32l4",
				    STIMG_OVERLAP_ERROR, NULL, &d), STIMG_OK);
	assert_string_equal(tl_segs(&back), "[0x08000000,0x08000100) "
			    "[0x08000200,0x08000300)");
	assert_string_equal(attr(&back, "family"), "stm32l4 (0x00FF6919)");
	assert_string_equal(attr(&back, "blocks"), "2");
	stimg_image_release(&back);
	assert_int_equal(stimg_read(&back, "x.uf2", "uf2:stm32f4",
				    STIMG_OVERLAP_ERROR, NULL, &d), STIMG_EFORMAT);
	assert_string_equal(d.msg, "no blocks of family stm32f4 (0x57755A57); "
			    "the file holds stm32l4 (0x00FF6919)");
	stimg_image_release(&back);
	stimg_image_release(&img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_uf2_options),
		cmocka_unit_test(test_dfu_options),
		cmocka_unit_test(test_read_facts),
	};

	return cmocka_run_group_tests(tests, tl_setup_dir, tl_teardown_dir);
}
