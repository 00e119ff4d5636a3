/*
 * The memory image: putting data (in order, out of order, touching,
 * bridging), queries, crop/exclude/offset/fill, the vector table, origins,
 * and memory that follows the data rather than the address span.
 */
#include "testlib.h"
#include "stimg/transform.h"

/* 256 bytes 00 01 .. FF, twice, as a data source for puts */
static uint8_t pattern[512];

static int setup_pattern(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(pattern); i++)
		pattern[i] = (uint8_t)i;
	return 0;
}

/* An image with one source "a.hex" (id 0). */
static void image_with_source(struct stimg_image *img)
{
	uint32_t id = 99;

	stimg_image_init(img);
	assert_int_equal(stimg_image_add_source(img, "a.hex", NULL, NULL, &id),
			 STIMG_OK);
	assert_int_equal(id, 0);
}

/* Puts len bytes of the pattern, starting at pattern[addr & 0xFF]. */
static void put(struct stimg_image *img, uint64_t addr, size_t len,
		uint32_t line)
{
	struct stimg_diag d;

	assert_true(len <= 256);
	memset(&d, 0, sizeof(d));
	assert_int_equal(stimg_image_put(img, addr, pattern + (addr & 0xFF), len,
					 0, line, STIMG_OVERLAP_ERROR, &d),
			 STIMG_OK);
}

/* Asserts that [start, end) holds the pattern. */
static void assert_pattern(const struct stimg_image *img, uint32_t start,
			   uint32_t end)
{
	uint32_t a;

	for (a = start; a < end; a += 64) {
		uint32_t n = end - a < 64 ? end - a : 64;

		tl_assert_bytes(img, a, pattern + (a & 0xFF), n);
	}
}

/* Asserts that the byte at addr came from a.hex, line. */
static void assert_origin_line(const struct stimg_image *img, uint32_t addr,
			       uint32_t line)
{
	uint32_t s, l;
	struct stimg_range rec;

	assert_true(stimg_image_origin(img, addr, &s, &l, &rec));
	assert_string_equal(stimg_image_source(img, s)->name, "a.hex");
	assert_int_equal(l, line);
}

static void test_add_source(void **state)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	const struct stimg_source *s;
	uint32_t a, b, c;
	char name[] = "boot.hex";

	(void)state;
	assert_int_equal(stimg_image_nsources(&img), 0);
	assert_int_equal(stimg_image_add_source(&img, name, NULL, NULL, &a),
			 STIMG_OK);
	assert_int_equal(stimg_image_add_source(&img, "app.hex", "ihex", NULL,
						&b), STIMG_OK);
	assert_int_equal(stimg_image_add_source(&img, name, NULL, NULL, &c),
			 STIMG_OK);
	/* every input is a source of its own, even under a name seen before */
	assert_int_equal(a, 0);
	assert_int_equal(b, 1);
	assert_int_equal(c, 2);
	assert_int_equal(stimg_image_nsources(&img), 3);
	/* the strings are copied */
	name[0] = 'x';
	s = stimg_image_source(&img, 2);
	assert_string_equal(s->name, "boot.hex");
	assert_null(s->format);
	assert_false(s->has_entry);
	assert_null(s->elf);
	assert_string_equal(stimg_image_source(&img, 1)->format, "ihex");
	stimg_image_release(&img);
	assert_int_equal(stimg_image_nsources(&img), 0);
	assert_string_equal(tl_segs(&img), "");
	assert_int_equal(stimg_image_bytes(&img), 0);
	/* released, the image is usable again */
	assert_int_equal(stimg_image_add_source(&img, "again.hex", NULL, NULL,
						&a), STIMG_OK);
	assert_int_equal(a, 0);
	stimg_image_release(&img);
}

static void test_put_in_order(void **state)
{
	struct stimg_image img;

	(void)state;
	image_with_source(&img);
	put(&img, 0x08000000, 16, 1);
	put(&img, 0x08000010, 16, 2);
	put(&img, 0x08000020, 16, 3);
	assert_string_equal(tl_segs(&img), "[0x08000000,0x08000030)");
	assert_pattern(&img, 0x08000000, 0x08000030);
	assert_int_equal(stimg_image_bytes(&img), 48);
	stimg_image_release(&img);
}

static void test_put_out_of_order(void **state)
{
	struct stimg_image img;

	(void)state;
	image_with_source(&img);
	/* contiguous pieces in reverse: still one segment */
	put(&img, 0x1020, 16, 3);
	put(&img, 0x1010, 16, 2);
	put(&img, 0x1000, 16, 1);
	assert_string_equal(tl_segs(&img), "[0x00001000,0x00001030)");
	assert_pattern(&img, 0x1000, 0x1030);

	/* distant pieces in any order: sorted */
	put(&img, 0x9000, 4, 4);
	put(&img, 0x0100, 4, 5);
	put(&img, 0x5000, 4, 6);
	assert_string_equal(tl_segs(&img),
			    "[0x00000100,0x00000104) [0x00001000,0x00001030) "
			    "[0x00005000,0x00005004) [0x00009000,0x00009004)");
	assert_pattern(&img, 0x0100, 0x0104);
	assert_pattern(&img, 0x5000, 0x5004);
	assert_pattern(&img, 0x9000, 0x9004);
	assert_int_equal(stimg_image_bytes(&img), 60);
	stimg_image_release(&img);
}

static void test_put_appending(void **state)
{
	struct stimg_image img;
	uint32_t i;

	(void)state;
	image_with_source(&img);
	for (i = 0; i < 4096; i++)
		put(&img, 0x08000000 + i * 16, 16, i + 1);
	assert_string_equal(tl_segs(&img), "[0x08000000,0x08010000)");
	assert_int_equal(stimg_image_bytes(&img), 65536);
	assert_pattern(&img, 0x08000000, 0x08010000);
	/* every byte's origin is its record's line */
	assert_origin_line(&img, 0x08000000, 1);
	assert_origin_line(&img, 0x08008008, 2049);
	assert_origin_line(&img, 0x0800FFFF, 4096);
	stimg_image_release(&img);
}

/*
 *          [==a==]
 *  [==b==]              b touches a's start: one segment
 *                [==c==]  c touches a's end: still one
 */
static void test_put_touching_coalesces(void **state)
{
	struct stimg_image img;

	(void)state;
	image_with_source(&img);
	put(&img, 0x2000, 16, 1);
	put(&img, 0x1FF0, 16, 2);
	assert_string_equal(tl_segs(&img), "[0x00001FF0,0x00002010)");
	put(&img, 0x3000, 16, 3);
	put(&img, 0x2010, 16, 4);
	assert_string_equal(tl_segs(&img),
			    "[0x00001FF0,0x00002020) [0x00003000,0x00003010)");
	assert_pattern(&img, 0x1FF0, 0x2020);
	stimg_image_release(&img);
}

/*
 *  [==a==]       [==b==]
 *         [hole]            the hole's bytes make a and b one segment
 *  [=========one========]
 */
static void test_put_fills_hole(void **state)
{
	struct stimg_image img;

	(void)state;
	image_with_source(&img);
	put(&img, 0x1000, 16, 1);
	put(&img, 0x1020, 16, 3);
	assert_string_equal(tl_segs(&img),
			    "[0x00001000,0x00001010) [0x00001020,0x00001030)");
	put(&img, 0x1010, 16, 2);
	assert_string_equal(tl_segs(&img), "[0x00001000,0x00001030)");
	assert_pattern(&img, 0x1000, 0x1030);

	/* the same with the segment before the hole the last one put */
	put(&img, 0x2020, 16, 6);
	put(&img, 0x2000, 16, 4);
	put(&img, 0x2010, 16, 5);
	assert_string_equal(tl_segs(&img),
			    "[0x00001000,0x00001030) [0x00002000,0x00002030)");
	assert_pattern(&img, 0x2000, 0x2030);
	assert_origin_line(&img, 0x2015, 5);

	/*
	 *  [a]  [b]  [c]  [d]
	 *    [=====same=====]    identical bytes over several segments
	 */
	put(&img, 0x4000, 4, 4);
	put(&img, 0x4010, 4, 5);
	put(&img, 0x4020, 4, 6);
	put(&img, 0x4030, 4, 7);
	put(&img, 0x4002, 0x30, 8);
	assert_string_equal(tl_segs(&img),
			    "[0x00001000,0x00001030) [0x00002000,0x00002030) "
			    "[0x00004000,0x00004034)");
	assert_pattern(&img, 0x4000, 0x4034);
	assert_int_equal(stimg_image_bytes(&img), 0x30 + 0x30 + 0x34);
	stimg_image_release(&img);
}

static void test_put_past_4gib(void **state)
{
	struct stimg_image img;
	struct stimg_diag d;

	(void)state;
	image_with_source(&img);
	memset(&d, 0, sizeof(d));
	/* the last 16 bytes of the space are fine */
	put(&img, 0xFFFFFFF0, 16, 1);
	assert_string_equal(tl_segs(&img), "[0xFFFFFFF0,0x100000000)");
	/* one byte more is not */
	assert_int_equal(stimg_image_put(&img, 0xFFFFFFF8, pattern, 9, 0, 7,
					 STIMG_OVERLAP_ERROR, &d),
			 STIMG_ERANGE);
	assert_string_equal(d.file, "a.hex");
	assert_int_equal(d.line, 7);
	assert_string_equal(d.msg, "data at 0xFFFFFFF8..0x100000000 lies past "
			    "the 32-bit address space");
	assert_int_equal(stimg_image_put(&img, STIMG_ADDR_END, pattern, 1, 0, 8,
					 STIMG_OVERLAP_ERROR, &d),
			 STIMG_ERANGE);
	assert_string_equal(tl_segs(&img), "[0xFFFFFFF0,0x100000000)");
	/* nothing at all is fine anywhere */
	assert_int_equal(stimg_image_put(&img, STIMG_ADDR_END + 5, pattern, 0, 0,
					 9, STIMG_OVERLAP_ERROR, &d),
			 STIMG_OK);
	stimg_image_release(&img);
}

static void test_queries(void **state)
{
	struct stimg_image img;
	struct stimg_ranges r = STIMG_RANGES_INIT;
	struct stimg_range span;
	uint8_t b[32];

	(void)state;
	image_with_source(&img);
	span = stimg_image_span(&img);
	assert_int_equal(span.start, 0);
	assert_int_equal(span.end, 0);
	assert_int_equal(stimg_image_bytes(&img), 0);
	assert_false(stimg_image_get(&img, 0, b, 1));

	put(&img, 0x08000000, 32, 1);
	put(&img, 0x08001000, 16, 2);
	span = stimg_image_span(&img);
	assert_int_equal(span.start, 0x08000000);
	assert_int_equal(span.end, 0x08001010);
	assert_int_equal(stimg_image_bytes(&img), 48);
	assert_int_equal(stimg_image_ranges(&img, &r), STIMG_OK);
	assert_string_equal(tl_ranges(&r),
			    "[0x08000000,0x08000020) [0x08001000,0x08001010)");

	/* inside one segment, to its last byte */
	tl_assert_bytes(&img, 0x08000000, pattern, 32);
	tl_assert_bytes(&img, 0x0800100F, pattern + 0x0F, 1);
	/* a hole, a run into a hole, before and after the data */
	assert_false(stimg_image_get(&img, 0x08000020, b, 1));
	assert_false(stimg_image_get(&img, 0x08000010, b, 17));
	assert_false(stimg_image_get(&img, 0x07FFFFFF, b, 2));
	assert_false(stimg_image_get(&img, 0x08001010, b, 1));
	assert_false(stimg_image_get(&img, 0x08000FFF, b, 2));
	/* nothing is always there */
	assert_true(stimg_image_get(&img, 0x12345678, b, 0));
	stimg_ranges_release(&r);
	stimg_image_release(&img);
}

/*
 *  [=====data=====]      [==data==]      [=data=]
 *        [=======crop=======]     [=crop=]
 *        [=kept===]      [kept====]      []
 */
static void test_crop_union_of_ranges(void **state)
{
	struct stimg_image img;
	struct stimg_ranges keep = STIMG_RANGES_INIT;

	(void)state;
	image_with_source(&img);
	put(&img, 0x1000, 0x40, 1);
	put(&img, 0x1100, 0x20, 2);
	put(&img, 0x1200, 0x10, 3);
	assert_int_equal(stimg_ranges_add(&keep, 0x1020, 0x1108), STIMG_OK);
	assert_int_equal(stimg_ranges_add(&keep, 0x1110, 0x1201), STIMG_OK);
	assert_int_equal(stimg_image_crop(&img, &keep), STIMG_OK);
	/* 0x1108..0x1110 between two crop ranges is gone */
	assert_string_equal(tl_segs(&img),
			    "[0x00001020,0x00001040) [0x00001100,0x00001108) "
			    "[0x00001110,0x00001120) [0x00001200,0x00001201)");
	assert_pattern(&img, 0x1020, 0x1040);
	assert_pattern(&img, 0x1100, 0x1108);
	assert_pattern(&img, 0x1110, 0x1120);
	assert_pattern(&img, 0x1200, 0x1201);
	assert_int_equal(stimg_image_bytes(&img), 0x20 + 8 + 0x10 + 1);

	/* a crop that holds everything keeps everything */
	stimg_ranges_release(&keep);
	assert_int_equal(stimg_ranges_add(&keep, 0, STIMG_ADDR_END), STIMG_OK);
	assert_int_equal(stimg_image_crop(&img, &keep), STIMG_OK);
	assert_int_equal(stimg_image_nregions(&img), 4);

	/* putting after a crop still works, and merges */
	put(&img, 0x1108, 8, 9);
	assert_string_equal(tl_segs(&img),
			    "[0x00001020,0x00001040) [0x00001100,0x00001120) "
			    "[0x00001200,0x00001201)");

	/* a crop with no ranges empties the image */
	stimg_ranges_release(&keep);
	assert_int_equal(stimg_image_crop(&img, &keep), STIMG_OK);
	assert_string_equal(tl_segs(&img), "");
	assert_int_equal(stimg_image_bytes(&img), 0);
	stimg_image_release(&img);
}

/*
 *  [==============data==============]
 *     [ex]           [=====ex=====]
 *  [=]    [=========]              [====data====]
 */
static void test_exclude(void **state)
{
	struct stimg_image img;
	struct stimg_ranges drop = STIMG_RANGES_INIT;

	(void)state;
	image_with_source(&img);
	put(&img, 0x2000, 0x80, 1);
	put(&img, 0x2100, 0x10, 2);
	assert_int_equal(stimg_ranges_add(&drop, 0x2004, 0x2008), STIMG_OK);
	assert_int_equal(stimg_ranges_add(&drop, 0x2040, 0x2104), STIMG_OK);
	assert_int_equal(stimg_image_exclude(&img, &drop), STIMG_OK);
	assert_string_equal(tl_segs(&img),
			    "[0x00002000,0x00002004) [0x00002008,0x00002040) "
			    "[0x00002104,0x00002110)");
	assert_pattern(&img, 0x2000, 0x2004);
	assert_pattern(&img, 0x2008, 0x2040);
	assert_pattern(&img, 0x2104, 0x2110);

	/* excluding nothing keeps everything; excluding outside too */
	stimg_ranges_release(&drop);
	assert_int_equal(stimg_image_exclude(&img, &drop), STIMG_OK);
	assert_int_equal(stimg_ranges_add(&drop, 0, 0x2000), STIMG_OK);
	assert_int_equal(stimg_image_exclude(&img, &drop), STIMG_OK);
	assert_int_equal(stimg_image_nregions(&img), 3);
	assert_int_equal(stimg_image_bytes(&img), 4 + 0x38 + 0xC);

	/* excluding everything empties it */
	assert_int_equal(stimg_ranges_add(&drop, 0, STIMG_ADDR_END), STIMG_OK);
	assert_int_equal(stimg_image_exclude(&img, &drop), STIMG_OK);
	assert_int_equal(stimg_image_nregions(&img), 0);
	assert_int_equal(stimg_image_bytes(&img), 0);
	stimg_ranges_release(&drop);
	stimg_image_release(&img);
}

static void test_offset(void **state)
{
	struct stimg_image img;
	struct stimg_diag d;
	uint32_t src, line;
	struct stimg_range rec;

	(void)state;
	image_with_source(&img);
	memset(&d, 0, sizeof(d));
	put(&img, 0x08000000, 16, 1);
	put(&img, 0x08000100, 16, 2);
	stimg_image_set_entry(&img, true, 0x08000101);

	assert_int_equal(stimg_image_offset(&img, 0x1000, &d), STIMG_OK);
	assert_string_equal(tl_segs(&img),
			    "[0x08001000,0x08001010) [0x08001100,0x08001110)");
	tl_assert_bytes(&img, 0x08001000, pattern, 16);
	assert_int_equal(tl_entry(&img), 0x08001101);
	/* origins move with their bytes */
	assert_true(stimg_image_origin(&img, 0x08001105, &src, &line, &rec));
	assert_int_equal(src, 0);
	assert_int_equal(line, 2);
	assert_int_equal(rec.start, 0x08001100);
	assert_int_equal(rec.end, 0x08001110);
	assert_false(stimg_image_origin(&img, 0x08000105, &src, &line, &rec));

	assert_int_equal(stimg_image_offset(&img, -0x08001000, &d), STIMG_OK);
	assert_string_equal(tl_segs(&img),
			    "[0x00000000,0x00000010) [0x00000100,0x00000110)");
	tl_assert_bytes(&img, 0, pattern, 16);
	assert_int_equal(tl_entry(&img), 0x101);

	/* up to the very end of the space */
	assert_int_equal(stimg_image_offset(&img, 0xFFFFFEF0, &d), STIMG_OK);
	assert_string_equal(tl_segs(&img),
			    "[0xFFFFFEF0,0xFFFFFF00) [0xFFFFFFF0,0x100000000)");
	stimg_image_release(&img);
}

static void test_offset_out_of_range(void **state)
{
	struct stimg_image img;
	struct stimg_diag d;

	(void)state;
	image_with_source(&img);
	memset(&d, 0, sizeof(d));
	put(&img, 0x08000000, 16, 1);
	put(&img, 0x08000100, 16, 2);
	stimg_image_set_entry(&img, true, 0x08000101);

	assert_int_equal(stimg_image_offset(&img, -0x08000001, &d), STIMG_ERANGE);
	assert_string_equal(d.msg, "offset -0x8000001 moves 0x08000000..0x0800010F "
			    "outside the 32-bit address space");
	assert_int_equal(stimg_image_offset(&img, 0xF7FFFEF1, &d), STIMG_ERANGE);
	assert_string_equal(d.msg, "offset 0xF7FFFEF1 moves 0x08000000..0x0800010F "
			    "outside the 32-bit address space");
	assert_int_equal(stimg_image_offset(&img, INT64_MIN / 2, &d), STIMG_ERANGE);
	assert_int_equal(stimg_image_offset(&img, INT64_MAX / 2, &d), STIMG_ERANGE);

	/* unchanged */
	assert_string_equal(tl_segs(&img),
			    "[0x08000000,0x08000010) [0x08000100,0x08000110)");
	tl_assert_bytes(&img, 0x08000000, pattern, 16);
	assert_int_equal(tl_entry(&img), 0x08000101);

	/* an empty image moves anywhere */
	stimg_image_release(&img);
	assert_int_equal(stimg_image_offset(&img, -5, &d), STIMG_OK);
}

/*
 *  [==a==]    [==b==]    [==c==]
 *        [ff]       [ff]          holes only: a, b, c keep their bytes
 */
static void test_fill_holes_only(void **state)
{
	static const uint8_t ff[16] = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
					0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
					0xFF, 0xFF, 0xFF, 0xFF };
	struct stimg_image img;
	struct stimg_range span;

	(void)state;
	image_with_source(&img);
	put(&img, 0x1000, 16, 1);
	put(&img, 0x1020, 8, 2);
	put(&img, 0x1030, 16, 3);
	span = stimg_image_span(&img);
	assert_int_equal(stimg_image_fill(&img, 0xFF, &span), STIMG_OK);
	assert_string_equal(tl_segs(&img), "[0x00001000,0x00001040)");
	tl_assert_bytes(&img, 0x1000, pattern, 16);
	tl_assert_bytes(&img, 0x1010, ff, 16);
	tl_assert_bytes(&img, 0x1020, pattern + 0x20, 8);
	tl_assert_bytes(&img, 0x1028, ff, 8);
	tl_assert_bytes(&img, 0x1030, pattern + 0x30, 16);
	assert_int_equal(stimg_image_bytes(&img), 0x40);

	/* nothing left to fill */
	assert_int_equal(stimg_image_fill(&img, 0x00, &span), STIMG_OK);
	tl_assert_bytes(&img, 0x1010, ff, 16);
	stimg_image_release(&img);
}

/*
 *  [==a==]         [==b==]          [==c==]
 *      [=====within=====]                     a, b grow into the range;
 *      (only the hole inside is filled)       c and the rest stay as they were
 */
static void test_fill_within_range(void **state)
{
	static const uint8_t zero[8] = { 0 };
	struct stimg_image img;
	struct stimg_range within = { 0x1008, 0x1120 };
	uint8_t b;

	(void)state;
	image_with_source(&img);
	put(&img, 0x1000, 0x10, 1);
	put(&img, 0x1100, 0x10, 2);
	put(&img, 0x1200, 0x10, 3);
	assert_int_equal(stimg_image_fill(&img, 0x00, &within), STIMG_OK);
	assert_string_equal(tl_segs(&img),
			    "[0x00001000,0x00001120) [0x00001200,0x00001210)");
	tl_assert_bytes(&img, 0x1010, zero, 8);
	tl_assert_bytes(&img, 0x10F8, zero, 8);
	tl_assert_bytes(&img, 0x1110, zero, 8);
	tl_assert_bytes(&img, 0x1118, zero, 8);
	assert_pattern(&img, 0x1000, 0x1010);
	assert_pattern(&img, 0x1100, 0x1110);
	assert_false(stimg_image_get(&img, 0x1120, &b, 1));

	/* a range in empty space makes a new segment */
	within = (struct stimg_range){ 0x3000, 0x3004 };
	assert_int_equal(stimg_image_fill(&img, 0xA5, &within), STIMG_OK);
	assert_string_equal(tl_segs(&img),
			    "[0x00001000,0x00001120) [0x00001200,0x00001210) "
			    "[0x00003000,0x00003004)");
	tl_assert_bytes(&img, 0x3000, "\xA5\xA5\xA5\xA5", 4);

	/* an empty range fills nothing */
	within = (struct stimg_range){ 0x4000, 0x4000 };
	assert_int_equal(stimg_image_fill(&img, 0xA5, &within), STIMG_OK);
	assert_int_equal(stimg_image_nregions(&img), 3);
	stimg_image_release(&img);
}

/* --fill without a range: the image's span, after crop and offset */
static void test_fill_default_span(void **state)
{
	struct stimg_image img;
	struct stimg_transform t;
	struct stimg_diag d;
	uint8_t b;

	(void)state;
	image_with_source(&img);
	memset(&d, 0, sizeof(d));
	put(&img, 0x1000, 16, 1);
	put(&img, 0x1080, 16, 2);
	put(&img, 0x2000, 16, 3);
	stimg_transform_init(&t);
	assert_int_equal(stimg_ranges_add(&t.crop, 0x1000, 0x1090), STIMG_OK);
	t.has_crop = true;
	t.offset = 0x100;
	t.fill = true;
	t.fill_byte = 0xEE;
	assert_int_equal(stimg_transform_apply(&img, &t, &d), STIMG_OK);
	/* crop, then offset, then fill of the span that is left */
	assert_string_equal(tl_segs(&img), "[0x00001100,0x00001190)");
	tl_assert_bytes(&img, 0x1100, pattern, 16);
	tl_assert_bytes(&img, 0x1110, "\xEE\xEE\xEE\xEE", 4);
	tl_assert_bytes(&img, 0x117C, "\xEE\xEE\xEE\xEE", 4);
	tl_assert_bytes(&img, 0x1180, pattern + 0x80, 16);
	assert_false(stimg_image_get(&img, 0x10FF, &b, 1));
	assert_false(stimg_image_get(&img, 0x1190, &b, 1));
	stimg_transform_release(&t);
	stimg_image_release(&img);
}

/* Puts a vector table (sp, reset) at addr, followed by 0x100 bytes. */
static void vectors_image(struct stimg_image *img, uint32_t addr, uint32_t sp,
			  uint32_t reset)
{
	uint8_t v[8] = { (uint8_t)sp, (uint8_t)(sp >> 8), (uint8_t)(sp >> 16),
			 (uint8_t)(sp >> 24), (uint8_t)reset,
			 (uint8_t)(reset >> 8), (uint8_t)(reset >> 16),
			 (uint8_t)(reset >> 24) };
	struct stimg_diag d;

	image_with_source(img);
	memset(&d, 0, sizeof(d));
	assert_int_equal(stimg_image_put(img, addr, v, 8, 0, 1,
					 STIMG_OVERLAP_ERROR, &d), STIMG_OK);
	put(img, addr + 8, 0xF8, 2);
}

static void test_vectors(void **state)
{
	static const struct {
		uint32_t sp, reset;
		bool sp_ok, reset_ok;
	} cases[] = {
		{ 0x20005000, 0x080000C1, true, true },
		{ 0x20020000, 0x080000FF, true, true },	/* last byte */
		{ 0x40000000, 0x08000009, true, true },	/* SRAM end, inclusive */
		{ 0x10010000, 0x08000009, true, true },	/* CCM RAM end */
		{ 0x10000004, 0x08000009, true, true },
		{ 0x20000000, 0x08000009, false, true },	/* stack below RAM */
		{ 0x10000000, 0x08000009, false, true },
		{ 0x20005001, 0x08000009, false, true },	/* not 4-aligned */
		{ 0x20005002, 0x08000009, false, true },
		{ 0x40000004, 0x08000009, false, true },	/* past SRAM */
		{ 0x10010004, 0x08000009, false, true },	/* past CCM */
		{ 0x08004000, 0x08000009, false, true },	/* in flash */
		{ 0xFFFFFFFF, 0x08000009, false, true },	/* erased flash */
		{ 0x20005000, 0x08000100, true, false },	/* even: not Thumb */
		{ 0x20005000, 0x08000101 + 0x100, true, false },	/* past data */
		{ 0x20005000, 0x07FFFFFF, true, false },	/* before data */
		{ 0x20005000, 0xFFFFFFFF, true, false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct stimg_image img;
		struct stimg_vectors v;

		vectors_image(&img, 0x08000000, cases[i].sp, cases[i].reset);
		stimg_image_vectors(&img, &v);
		assert_true(v.present);
		assert_int_equal(v.addr, 0x08000000);
		assert_int_equal(v.sp, cases[i].sp);
		assert_int_equal(v.reset, cases[i].reset);
		if (v.sp_ok != cases[i].sp_ok || v.reset_ok != cases[i].reset_ok)
			fail_msg("sp 0x%08X reset 0x%08X: sp_ok %d reset_ok %d",
				 cases[i].sp, cases[i].reset, v.sp_ok, v.reset_ok);
		stimg_image_release(&img);
	}
}

static void test_vectors_absent(void **state)
{
	struct stimg_image img;
	struct stimg_vectors v;

	(void)state;
	image_with_source(&img);
	stimg_image_vectors(&img, &v);
	assert_false(v.present);

	/* fewer than 8 bytes at the lowest address, more elsewhere */
	put(&img, 0x08000000, 4, 1);
	put(&img, 0x08000100, 64, 2);
	stimg_image_vectors(&img, &v);
	assert_false(v.present);
	assert_int_equal(v.addr, 0x08000000);
	assert_false(v.sp_ok);
	assert_false(v.reset_ok);

	/* the reset handler in another segment of the image counts */
	stimg_image_release(&img);
	vectors_image(&img, 0x08000000, 0x20001000, 0x08004001);
	put(&img, 0x08004000, 16, 3);
	stimg_image_vectors(&img, &v);
	assert_true(v.present);
	assert_true(v.sp_ok);
	assert_true(v.reset_ok);
	stimg_image_release(&img);
}

/* Asserts where the byte at addr came from. */
static void assert_origin(const struct stimg_image *img, uint32_t addr,
			  const char *src, uint32_t line, uint64_t start,
			  uint64_t end)
{
	const char *s;
	uint32_t id = 0, l = 0;
	struct stimg_range rec = { 0, 0 };

	if (!stimg_image_origin(img, addr, &id, &l, &rec))
		fail_msg("0x%08X has no origin", addr);
	s = stimg_image_source(img, id)->name;
	if (strcmp(s, src) || l != line || rec.start != start || rec.end != end)
		fail_msg("0x%08X: %s:%u [0x%08" PRIX64 ",0x%08" PRIX64 "), "
			 "expected %s:%u [0x%08" PRIX64 ",0x%08" PRIX64 ")",
			 addr, s, l, rec.start, rec.end, src, line, start, end);
}

/* Records of 16 bytes on lines 2..101: line = 2 + offset / 16. */
static void test_origin_equal_records(void **state)
{
	struct stimg_image img;
	uint32_t s, l, i;
	struct stimg_range rec;

	(void)state;
	image_with_source(&img);
	for (i = 0; i < 100; i++)
		put(&img, 0x08000000 + 16 * i, 16, 2 + i);
	assert_origin(&img, 0x08000000, "a.hex", 2, 0x08000000, 0x08000010);
	assert_origin(&img, 0x0800000F, "a.hex", 2, 0x08000000, 0x08000010);
	assert_origin(&img, 0x08000010, "a.hex", 3, 0x08000010, 0x08000020);
	assert_origin(&img, 0x08000315, "a.hex", 51, 0x08000310, 0x08000320);
	assert_origin(&img, 0x0800063F, "a.hex", 101, 0x08000630, 0x08000640);
	assert_false(stimg_image_origin(&img, 0x08000640, &s, &l, &rec));
	assert_false(stimg_image_origin(&img, 0x07FFFFFF, &s, &l, &rec));
	stimg_image_release(&img);
}

/*
 * Lines 1-3: 16-byte records; 4-5: 32-byte; 6: 8 bytes (a short last
 * record); 7: 8 bytes again; 8-9: 16 bytes.
 */
static void test_origin_record_size_change(void **state)
{
	struct stimg_image img;

	(void)state;
	image_with_source(&img);
	put(&img, 0x0000, 16, 1);
	put(&img, 0x0010, 16, 2);
	put(&img, 0x0020, 16, 3);
	put(&img, 0x0030, 32, 4);
	put(&img, 0x0050, 32, 5);
	put(&img, 0x0070, 8, 6);
	put(&img, 0x0078, 8, 7);
	put(&img, 0x0080, 16, 8);
	put(&img, 0x0090, 16, 9);
	assert_string_equal(tl_segs(&img), "[0x00000000,0x000000A0)");

	assert_origin(&img, 0x0000, "a.hex", 1, 0x0000, 0x0010);
	assert_origin(&img, 0x002F, "a.hex", 3, 0x0020, 0x0030);
	assert_origin(&img, 0x0030, "a.hex", 4, 0x0030, 0x0050);
	assert_origin(&img, 0x004F, "a.hex", 4, 0x0030, 0x0050);
	assert_origin(&img, 0x0050, "a.hex", 5, 0x0050, 0x0070);
	assert_origin(&img, 0x0070, "a.hex", 6, 0x0070, 0x0078);
	assert_origin(&img, 0x0077, "a.hex", 6, 0x0070, 0x0078);
	assert_origin(&img, 0x0078, "a.hex", 7, 0x0078, 0x0080);
	assert_origin(&img, 0x0080, "a.hex", 8, 0x0080, 0x0090);
	assert_origin(&img, 0x009F, "a.hex", 9, 0x0090, 0x00A0);
	stimg_image_release(&img);
}

/*
 * An 04 record on line 6 between two runs of data whose addresses
 * continue: the line numbers jump, and the run must not hide that.
 */
static void test_origin_line_jump(void **state)
{
	struct stimg_image img;
	uint32_t b;

	(void)state;
	image_with_source(&img);
	assert_int_equal(stimg_image_add_source(&img, "b.hex", NULL, NULL, &b),
			 STIMG_OK);
	put(&img, 0x0000FFE0, 16, 4);
	put(&img, 0x0000FFF0, 16, 5);
	put(&img, 0x00010000, 16, 7);
	put(&img, 0x00010010, 16, 8);
	/* another source continuing the addresses: a new run */
	assert_int_equal(stimg_image_put(&img, 0x00010020, pattern, 16, b, 9,
					 STIMG_OVERLAP_ERROR, NULL), STIMG_OK);
	/* a line with no number (binary data) continuing: a new run too */
	assert_int_equal(stimg_image_put(&img, 0x00010030, pattern, 16, b, 0,
					 STIMG_OVERLAP_ERROR, NULL), STIMG_OK);
	assert_int_equal(stimg_image_put(&img, 0x00010040, pattern, 16, b, 0,
					 STIMG_OVERLAP_ERROR, NULL), STIMG_OK);

	assert_origin(&img, 0x0000FFE0, "a.hex", 4, 0xFFE0, 0xFFF0);
	assert_origin(&img, 0x0000FFFF, "a.hex", 5, 0xFFF0, 0x10000);
	assert_origin(&img, 0x00010000, "a.hex", 7, 0x10000, 0x10010);
	assert_origin(&img, 0x0001001F, "a.hex", 8, 0x10010, 0x10020);
	assert_origin(&img, 0x00010020, "b.hex", 9, 0x10020, 0x10030);
	/* binary data: line 0, the record is the whole run */
	assert_origin(&img, 0x00010035, "b.hex", 0, 0x10030, 0x10050);
	assert_origin(&img, 0x0001004F, "b.hex", 0, 0x10030, 0x10050);
	stimg_image_release(&img);
}

/*
 * Data at 0x08000000 and at 0x90000000 (2 GiB apart) costs its bytes,
 * not the span: the image's heap stays within a fixed overhead (the page
 * directory, under 1 MiB) plus a small multiple of the data.
 */
static void test_memory_follows_data(void **state)
{
	struct stimg_image img;
	size_t before, first;
	uint32_t i;

	(void)state;
	before = tl_heap_in_use();
	image_with_source(&img);
	put(&img, 0x08000000, 16, 1);
	put(&img, 0x90000000, 16, 2);
	assert_string_equal(tl_segs(&img),
			    "[0x08000000,0x08000010) [0x90000000,0x90000010)");
	assert_true(tl_heap_grown(before) <= 1024 * 1024);
	first = tl_heap_in_use();

	/* appending 4 KiB to each costs about those 8 KiB */
	for (i = 1; i < 256; i++) {
		put(&img, 0x08000000 + 16 * i, 16, 1 + i);
		put(&img, 0x90000000 + 16 * i, 16, 2 + i);
	}
	assert_string_equal(tl_segs(&img),
			    "[0x08000000,0x08001000) [0x90000000,0x90001000)");
	assert_true(tl_heap_grown(first) <= 4 * 8192);
	assert_int_equal(stimg_image_bytes(&img), 8192);
	assert_pattern(&img, 0x08000000, 0x08001000);
	assert_pattern(&img, 0x90000000, 0x90001000);
	stimg_image_release(&img);
}

/*
 * Records in descending order grow the data at its front: headroom there
 * keeps the allocation within a small multiple of the data (a front grown
 * by moving the data each time would also be quadratic in time). The bound
 * holds for the image as a whole, whose origins cost a run per record out
 * of order (up to a budget). 64 KiB in 16-byte records, from the top
 * down, across a page boundary.
 */
static void test_descending_records(void **state)
{
	struct stimg_image img;
	uint32_t i, n = 4096;
	size_t before;

	(void)state;
	image_with_source(&img);
	put(&img, 0x0800FFF8 + 16 * n, 8, n + 1);
	before = tl_heap_in_use();
	for (i = n; i-- > 0;)
		put(&img, 0x0800FFF8 + 16 * i, 16, n - i);
	assert_string_equal(tl_segs(&img), "[0x0800FFF8,0x08020000)");
	assert_pattern(&img, 0x0800FFF8, 0x08020000);
	assert_true(tl_heap_grown(before) <= 8 * 16 * n);
	/* the origin of a byte is still its record's line */
	assert_origin_line(&img, 0x0800FFF8, n);
	assert_origin_line(&img, 0x0801FFF0, 1);
	assert_origin_line(&img, 0x0801FFF8, n + 1);
	stimg_image_release(&img);
}

/*
 * Several records in one put: 16-byte records on lines 10, 11, 12 (the
 * last short). Each byte's origin is its record's line; a conflict names
 * the record that holds the first difference, and writes nothing.
 *
 *   0x1000 line 10  0x1010 line 11  0x1020 line 12 (8 bytes)
 *   [=============][==============][=======]
 *                      [x]  a differing byte at 0x1014 from b.hex:3
 */
static void test_put_records(void **state)
{
	struct stimg_image img;
	struct stimg_diag d;
	uint8_t bad[8];
	uint32_t b;

	(void)state;
	image_with_source(&img);
	memset(&d, 0, sizeof(d));
	assert_int_equal(stimg_image_put_records(&img, 0x1000, pattern, 0x28,
						 0, 10, 16,
						 STIMG_OVERLAP_ERROR, &d),
			 STIMG_OK);
	assert_string_equal(tl_segs(&img), "[0x00001000,0x00001028)");
	assert_pattern(&img, 0x1000, 0x1028);
	assert_origin(&img, 0x1000, "a.hex", 10, 0x1000, 0x1010);
	assert_origin(&img, 0x101F, "a.hex", 11, 0x1010, 0x1020);
	assert_origin(&img, 0x1027, "a.hex", 12, 0x1020, 0x1028);

	/* a conflict inside the second record, from records of b.hex */
	assert_int_equal(stimg_image_add_source(&img, "b.hex", NULL, NULL, &b),
			 STIMG_OK);
	memcpy(bad, pattern + 0x10, 8);
	bad[4] ^= 0xFF;
	assert_int_equal(stimg_image_put_records(&img, 0x1010, bad, 8, b, 3, 4,
						 STIMG_OVERLAP_ERROR, &d),
			 STIMG_ECONFLICT);
	assert_string_equal(d.msg, "a.hex:11 and b.hex:4 both set "
			    "0x00001014..0x00001017 (first difference at "
			    "0x00001014: 0x14 vs 0xEB)");
	assert_pattern(&img, 0x1000, 0x1028);
	assert_origin(&img, 0x1014, "a.hex", 11, 0x1010, 0x1020);

	/* under LAST the records of b.hex take their bytes and lines */
	assert_int_equal(stimg_image_put_records(&img, 0x1010, bad, 8, b, 3, 4,
						 STIMG_OVERLAP_LAST, NULL),
			 STIMG_OK);
	tl_assert_bytes(&img, 0x1010, bad, 8);
	assert_origin(&img, 0x1013, "b.hex", 3, 0x1010, 0x1014);
	assert_origin(&img, 0x1014, "b.hex", 4, 0x1014, 0x1018);
	assert_origin(&img, 0x1018, "a.hex", 11, 0x1010, 0x1020);
	stimg_image_release(&img);
}

/* A resolver that answers from a rule: the byte at addr is on line addr. */
struct resolver_log {
	unsigned calls, frees;
	uint32_t addr, below;
};

static int find_line(void *ctx, uint32_t addr, uint32_t below,
		     uint32_t *line, struct stimg_range *record)
{
	struct resolver_log *log = ctx;

	log->calls++;
	log->addr = addr;
	log->below = below;
	if (addr < 0x08000000 || addr >= 0x08100000)
		return 0;
	*line = addr - 0x08000000 + 1;
	record->start = addr;
	record->end = (uint64_t)addr + 1;
	return 1;
}

static void free_log(void *ctx)
{
	((struct resolver_log *)ctx)->frees++;
}

/*
 * When records come far out of order the image stops keeping origins
 * (past a budget) and asks the sources' resolvers instead: for
 * stimg_image_origin, and for a conflict, where the source being read is
 * asked only about records before the conflicting line. The image owns
 * the resolver: released, it frees the context once.
 */
static void test_origin_through_resolver(void **state)
{
	struct resolver_log log = { 0, 0, 0, 0 };
	const struct stimg_resolver r = { find_line, free_log, &log };
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_diag d;
	struct stimg_range rec;
	uint32_t id, line, src, i, n = 40000;
	uint8_t bad = 0xEE;

	(void)state;
	memset(&d, 0, sizeof(d));
	assert_int_equal(stimg_image_add_source(&img, "r.hex", "ihex", &r, &id),
			 STIMG_OK);
	/* descending bytes, 2 apart: a run each */
	for (i = 0; i < n; i++)
		assert_int_equal(stimg_image_put(&img, 0x08000000 + 2 * (n - i),
						 pattern, 1, id, i + 1,
						 STIMG_OVERLAP_ERROR, &d),
				 STIMG_OK);
	assert_int_equal(stimg_image_nregions(&img), n);

	log.calls = 0;
	assert_true(stimg_image_origin(&img, 0x08000010, &src, &line, &rec));
	assert_int_equal(src, id);
	assert_int_equal(line, 0x11);
	assert_int_equal(rec.start, 0x08000010);
	assert_int_equal(log.calls, 1);
	assert_int_equal(log.below, 0);

	/* a conflict: the resolver answers for the earlier side */
	assert_int_equal(stimg_image_put(&img, 0x08000020, &bad, 1, id, 50000,
					 STIMG_OVERLAP_ERROR, &d),
			 STIMG_ECONFLICT);
	assert_int_equal(log.addr, 0x08000020);
	assert_int_equal(log.below, 50000);
	assert_string_equal(d.msg, "r.hex:33 and r.hex:50000 both set "
			    "0x08000020..0x08000020 (first difference at "
			    "0x08000020: 0x00 vs 0xEE)");
	/* what it does not find is unknown */
	assert_false(stimg_image_origin(&img, 0x09000000, &src, &line, &rec));
	assert_int_equal(log.frees, 0);
	stimg_image_release(&img);
	assert_int_equal(log.frees, 1);
}

struct collect {
	uint8_t buf[16384];
	size_t n, calls, stop_after;
};

static int collect(void *ctx, const uint8_t *p, size_t n)
{
	struct collect *c = ctx;

	assert_true(c->n + n <= sizeof(c->buf));
	memcpy(c->buf + c->n, p, n);
	c->n += n;
	return ++c->calls == c->stop_after ? 42 : 0;
}

/*
 * walk feeds data and fill in address order:
 *        [==seg==]     [==seg==]
 *     [======== range ======]
 *     fff0123...fffffff0123
 */
static void test_walk(void **state)
{
	struct stimg_range r = { 0x08, 0x38 };
	struct collect c = { .n = 0 };
	struct stimg_image img;
	size_t i;

	(void)state;
	image_with_source(&img);
	put(&img, 0x10, 16, 1);
	put(&img, 0x30, 16, 2);
	assert_int_equal(stimg_image_walk(&img, &r, 0xEE, collect, &c), 0);
	assert_int_equal(c.n, 0x30);
	for (i = 0; i < 0x30; i++) {
		uint32_t a = (uint32_t)(0x08 + i);
		bool data = (a >= 0x10 && a < 0x20) || a >= 0x30;

		assert_int_equal(c.buf[i], data ? pattern[a & 0xFF] : 0xEE);
	}

	/* a range inside a hole, longer than one fill block */
	memset(&c, 0, sizeof(c));
	r = (struct stimg_range){ 0x40, 0x40 + 10000 };
	assert_int_equal(stimg_image_walk(&img, &r, 0x00, collect, &c), 0);
	assert_int_equal(c.n, 10000);
	assert_true(c.calls >= 3);
	for (i = 0; i < 10000; i++)
		assert_int_equal(c.buf[i], 0x00);

	/* a range inside one segment, and an empty range */
	memset(&c, 0, sizeof(c));
	r = (struct stimg_range){ 0x12, 0x14 };
	assert_int_equal(stimg_image_walk(&img, &r, 0xEE, collect, &c), 0);
	assert_int_equal(c.n, 2);
	assert_memory_equal(c.buf, pattern + 0x12, 2);
	memset(&c, 0, sizeof(c));
	r = (struct stimg_range){ 0x12, 0x12 };
	assert_int_equal(stimg_image_walk(&img, &r, 0xEE, collect, &c), 0);
	assert_int_equal(c.calls, 0);

	/* a non-zero return stops the walk and is returned */
	memset(&c, 0, sizeof(c));
	c.stop_after = 2;
	r = (struct stimg_range){ 0x00, 0x40 };
	assert_int_equal(stimg_image_walk(&img, &r, 0xEE, collect, &c), 42);
	assert_int_equal(c.calls, 2);
	stimg_image_release(&img);
}

/*
 * Puts out of order among many regions give the same image as puts in
 * order: 300 separate records (every other 16-byte slot), then the 300
 * slots between them in a scrambled order, then a record past the end.
 * (The old engine batched such puts and merged them later.)
 */
static void test_out_of_order_many_regions(void **state)
{
	struct stimg_image img;
	uint32_t i, k;

	(void)state;
	image_with_source(&img);
	for (i = 0; i < 300; i++)
		put(&img, 0x1000 + 32 * i, 16, i + 1);
	assert_int_equal(stimg_image_nregions(&img), 300);
	assert_int_equal(stimg_image_bytes(&img), 300 * 16);
	for (i = 0; i < 300; i++) {
		k = (i * 7919) % 300;	/* a permutation: 7919 is prime */
		put(&img, 0x1010 + 32 * k, 16, 301 + i);
	}
	put(&img, 0x1000 + 32 * 300, 16, 601);
	assert_string_equal(tl_segs(&img), "[0x00001000,0x00003590)");
	assert_pattern(&img, 0x1000, 0x3590);
	/* origins follow the puts: slot k was put as number 301 + i */
	assert_origin_line(&img, 0x1010 + 32 * ((5 * 7919) % 300), 306);
	assert_origin_line(&img, 0x1000, 1);
	assert_origin_line(&img, 0x1000 + 32 * 300, 601);
	stimg_image_release(&img);
}

/*
 * A put among many regions that meets a differing byte fails at once,
 * names both records, and writes nothing.
 */
static void test_conflict_among_many_regions(void **state)
{
	struct stimg_image img;
	struct stimg_diag d;
	uint8_t bad[16];
	uint32_t i;

	(void)state;
	image_with_source(&img);
	memset(&d, 0, sizeof(d));
	for (i = 0; i < 300; i++)
		put(&img, 0x1000 + 32 * i, 16, i + 1);
	memcpy(bad, pattern + 0x40, 16);
	bad[3] ^= 0xFF;
	/* 0x1040 is record 3's (line 3) */
	assert_int_equal(stimg_image_put(&img, 0x1040, bad, 16, 0, 400,
					 STIMG_OVERLAP_ERROR, &d),
			 STIMG_ECONFLICT);
	assert_string_equal(d.msg, "a.hex:3 and a.hex:400 both set "
			    "0x00001040..0x0000104F (first difference at "
			    "0x00001043: 0x43 vs 0xBC)");
	assert_pattern(&img, 0x1040, 0x1050);
	assert_int_equal(stimg_image_bytes(&img), 300 * 16);
	assert_origin_line(&img, 0x1043, 3);
	stimg_image_release(&img);
}

/*
 * Many separate bytes, below and above each other in any order: 256
 * separate bytes, 65536 more below them in descending order, then bytes
 * between and above them (issue 10: the old engine's segment array
 * claimed more capacity than it had and an insert wrote past it). No
 * crash, and every byte where it was put.
 */
static void test_many_separate_bytes(void **state)
{
	struct stimg_image img;
	struct stimg_range r;
	uint64_t at = 0;
	uint32_t i;

	(void)state;
	image_with_source(&img);
	for (i = 0; i < 256; i++)
		put(&img, 0x08100000 + 4 * i, 1, i + 1);
	for (i = 1; i <= 65536; i++)
		put(&img, 0x08100000 - 4 * (uint64_t)i, 1, 256 + i);
	put(&img, 0x08100000, 1, 70000);
	for (i = 0; i < 64; i++)
		put(&img, 0x08200000 + 4 * i, 1, 70001 + i);
	assert_int_equal(stimg_image_nregions(&img), 256 + 65536 + 64);
	assert_int_equal(stimg_image_bytes(&img), 256 + 65536 + 64);
	/* every region is one byte, 4 apart, where it was put */
	for (i = 0; stimg_image_next_region(&img, &at, &r); i++) {
		uint64_t want = i < 65536 + 256 ?
				0x08100000 - 4 * (uint64_t)65536 + 4 * i :
				0x08200000 + 4 * (uint64_t)(i - 65536 - 256);

		if (r.start != want || r.end != want + 1)
			fail_msg("region %u: [0x%08" PRIX64 ",0x%08" PRIX64
				 "), expected at 0x%08" PRIX64, i, r.start,
				 r.end, want);
		assert_pattern(&img, (uint32_t)r.start, (uint32_t)r.end);
	}
	assert_int_equal(i, 256 + 65536 + 64);
	stimg_image_release(&img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_source),
		cmocka_unit_test(test_put_in_order),
		cmocka_unit_test(test_put_out_of_order),
		cmocka_unit_test(test_put_appending),
		cmocka_unit_test(test_put_touching_coalesces),
		cmocka_unit_test(test_put_fills_hole),
		cmocka_unit_test(test_put_past_4gib),
		cmocka_unit_test(test_queries),
		cmocka_unit_test(test_crop_union_of_ranges),
		cmocka_unit_test(test_exclude),
		cmocka_unit_test(test_offset),
		cmocka_unit_test(test_offset_out_of_range),
		cmocka_unit_test(test_fill_holes_only),
		cmocka_unit_test(test_fill_within_range),
		cmocka_unit_test(test_fill_default_span),
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_vectors_absent),
		cmocka_unit_test(test_origin_equal_records),
		cmocka_unit_test(test_origin_record_size_change),
		cmocka_unit_test(test_origin_line_jump),
		cmocka_unit_test(test_memory_follows_data),
		cmocka_unit_test(test_descending_records),
		cmocka_unit_test(test_put_records),
		cmocka_unit_test(test_origin_through_resolver),
		cmocka_unit_test(test_walk),
		cmocka_unit_test(test_out_of_order_many_regions),
		cmocka_unit_test(test_conflict_among_many_regions),
		cmocka_unit_test(test_many_separate_bytes),
	};

	return cmocka_run_group_tests(tests, setup_pattern, NULL);
}
