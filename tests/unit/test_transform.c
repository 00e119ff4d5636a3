/*
 * The convert/merge engine: several inputs into one image with the entry
 * point policy, then crop, exclude, offset and fill in that order.
 */
#include "testlib.h"
#include "stimg/transform.h"

/* boot.hex: 4 bytes at 0x08000000, entry 0x08000001 */
static const char boot_hex[] =
	":020000040800F2\n"
	":04000000AABBCCDDEE\n"
	":0400000508000001EE\n"
	":00000001FF\n";
/* app.hex: 4 bytes at 0x08008000, entry 0x08008001 */
static const char app_hex[] =
	":020000040800F2\n"
	":0480000011223344D2\n"
	":04000005080080016E\n"
	":00000001FF\n";
/* data.hex: 2 bytes at 0x08010000, no entry */
static const char data_hex[] =
	":020000040801F1\n"
	":020000005A5A4A\n"
	":00000001FF\n";

static int setup(void **state)
{
	int ret = tl_setup_dir(state);

	if (!ret) {
		tl_write_text("boot.hex", boot_hex);
		tl_write_text("app.hex", app_hex);
		tl_write_text("data.hex", data_hex);
	}
	return ret;
}

/* Reads the inputs with policy entry; returns the notes in *w. */
static int merge(struct stimg_image *img, enum stimg_entry entry,
		 struct tl_warnings *w, size_t n, ...)
{
	char *specs[4];
	struct stimg_transform t;
	struct stimg_diag d;
	va_list ap;
	size_t i;
	int ret;

	assert_true(n <= 4);
	va_start(ap, n);
	for (i = 0; i < n; i++)
		specs[i] = va_arg(ap, char *);
	va_end(ap);
	stimg_image_init(img);
	stimg_transform_init(&t);
	t.entry = entry;
	tl_diag_capture(&d, w);
	ret = stimg_read_inputs(img, specs, n, NULL, STIMG_OVERLAP_ERROR, &t, &d);
	stimg_transform_release(&t);
	return ret;
}

static void test_entry_first(void **state)
{
	struct stimg_image img;
	struct tl_warnings w;

	(void)state;
	assert_int_equal(merge(&img, STIMG_ENTRY_FIRST, &w, 3, "data.hex",
			       "boot.hex", "app.hex"), STIMG_OK);
	assert_string_equal(tl_segs(&img), "[0x08000000,0x08000004) "
			    "[0x08008000,0x08008004) [0x08010000,0x08010002)");
	assert_int_equal(tl_entry(&img), 0x08000001);
	assert_int_equal(w.n, 1);
	assert_int_equal(w.last.level, STIMG_NOTE);
	assert_string_equal(w.last.msg, "entry point 0x08008001 of app.hex "
			    "differs; keeping 0x08000001 of boot.hex");
	stimg_image_release(&img);

	/* the same entry twice: no note */
	assert_int_equal(merge(&img, STIMG_ENTRY_FIRST, &w, 2, "boot.hex",
			       "boot.hex"), STIMG_OK);
	assert_int_equal(w.n, 0);
	assert_int_equal(tl_entry(&img), 0x08000001);
	stimg_image_release(&img);
}

static void test_entry_last_none(void **state)
{
	struct stimg_image img;
	struct tl_warnings w;

	(void)state;
	assert_int_equal(merge(&img, STIMG_ENTRY_LAST, &w, 3, "boot.hex",
			       "app.hex", "data.hex"), STIMG_OK);
	assert_int_equal(tl_entry(&img), 0x08008001);
	assert_int_equal(w.n, 1);
	assert_string_equal(w.last.msg, "entry point 0x08008001 of app.hex "
			    "replaces 0x08000001 of boot.hex");
	stimg_image_release(&img);

	assert_int_equal(merge(&img, STIMG_ENTRY_NONE, &w, 2, "boot.hex",
			       "app.hex"), STIMG_OK);
	assert_int_equal(tl_entry(&img), -1);
	assert_int_equal(w.n, 0);
	stimg_image_release(&img);

	/* no input has one */
	assert_int_equal(merge(&img, STIMG_ENTRY_FIRST, &w, 1, "data.hex"), 0);
	assert_int_equal(tl_entry(&img), -1);
	stimg_image_release(&img);
}

/* A read error stops the merge and names the input. */
static void test_read_error(void **state)
{
	struct stimg_image img;
	struct tl_warnings w;
	struct stimg_diag d;
	static char boot[] = "boot.hex", nothere[] = "nothere.hex";
	char *specs[2] = { boot, nothere };
	struct stimg_transform t;

	(void)state;
	stimg_image_init(&img);
	stimg_transform_init(&t);
	tl_diag_capture(&d, &w);
	assert_int_equal(stimg_read_inputs(&img, specs, 2, NULL,
					   STIMG_OVERLAP_ERROR, &t, &d),
			 STIMG_EIO);
	assert_string_equal(d.file, "nothere.hex");
	stimg_image_release(&img);
}

/*
 * Transforms apply in order crop, exclude, offset, fill; an explicit entry
 * comes last:
 *
 *   0x1000          0x1040          0x1080
 *   [======data=====]               [=data=]
 *     [=========crop======================]
 *           [ex]
 *   then +0x100, then fill 0xEE over the span
 */
static void test_apply_order(void **state)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_transform t;
	struct stimg_diag d;
	uint8_t data[0x40], b;
	uint32_t src;

	(void)state;
	memset(&d, 0, sizeof(d));
	memset(data, 0x11, sizeof(data));
	assert_int_equal(stimg_image_add_source(&img, "x", NULL, NULL, &src), 0);
	assert_int_equal(stimg_image_put(&img, 0x1000, data, 0x40, src, 1,
					 STIMG_OVERLAP_ERROR, NULL), 0);
	assert_int_equal(stimg_image_put(&img, 0x1080, data, 0x10, src, 2,
					 STIMG_OVERLAP_ERROR, NULL), 0);
	stimg_transform_init(&t);
	assert_int_equal(t.fill_byte, 0xFF);
	assert_int_equal(t.entry, STIMG_ENTRY_FIRST);
	t.has_crop = true;
	assert_int_equal(stimg_ranges_add(&t.crop, 0x1008, 0x1088), 0);
	assert_int_equal(stimg_ranges_add(&t.exclude, 0x1010, 0x1018), 0);
	t.offset = 0x100;
	t.fill = true;
	t.fill_byte = 0xEE;
	t.entry = STIMG_ENTRY_ADDR;
	t.entry_addr = 0x1109;
	assert_int_equal(stimg_transform_apply(&img, &t, &d), STIMG_OK);

	assert_string_equal(tl_segs(&img), "[0x00001108,0x00001188)");
	tl_assert_bytes(&img, 0x1108, "\x11\x11\x11\x11\x11\x11\x11\x11", 8);
	tl_assert_bytes(&img, 0x1110, "\xEE\xEE\xEE\xEE\xEE\xEE\xEE\xEE", 8);
	tl_assert_bytes(&img, 0x1118, "\x11\x11", 2);
	tl_assert_bytes(&img, 0x113E, "\x11\x11\xEE\xEE", 4);
	tl_assert_bytes(&img, 0x117E, "\xEE\xEE\x11\x11", 4);
	tl_assert_bytes(&img, 0x1186, "\x11\x11", 2);
	assert_false(stimg_image_get(&img, 0x1188, &b, 1));
	assert_int_equal(tl_entry(&img), 0x1109);

	/* fill within an explicit range reaches past the data */
	t.has_crop = false;
	stimg_ranges_release(&t.exclude);
	t.offset = 0;
	t.fill_range = (struct stimg_range){ 0x1180, 0x1190 };
	t.has_fill_range = true;
	t.fill_byte = 0x00;
	assert_int_equal(stimg_transform_apply(&img, &t, &d), STIMG_OK);
	assert_string_equal(tl_segs(&img), "[0x00001108,0x00001190)");
	tl_assert_bytes(&img, 0x1186, "\x11\x11\x00\x00", 4);

	/* an offset out of range fails and leaves the image */
	t.fill = false;
	t.offset = -0x2000;
	assert_int_equal(stimg_transform_apply(&img, &t, &d), STIMG_ERANGE);
	assert_string_equal(tl_segs(&img), "[0x00001108,0x00001190)");
	stimg_transform_release(&t);
	stimg_image_release(&img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entry_first),
		cmocka_unit_test(test_entry_last_none),
		cmocka_unit_test(test_read_error),
		cmocka_unit_test(test_apply_order),
	};

	return cmocka_run_group_tests(tests, setup, tl_teardown_dir);
}
