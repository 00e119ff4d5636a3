/*
 * The overlap policy: identical bytes pass, differing bytes are a conflict
 * that names both places (STIMG_OVERLAP_ERROR), or a warning that keeps the
 * old bytes (FIRST) or takes the new ones (LAST).
 */
#include "testlib.h"

/* The byte "boot" and "app" agree on at addr, except at 0x08007FF4. */
static uint8_t byte_at(uint32_t addr)
{
	return (uint8_t)(addr * 7 + 3);
}

/* Puts the 16-byte record at addr from src at line; at 0x08007FF4: diff. */
static int put_record(struct stimg_image *img, uint32_t addr, uint32_t src,
		      uint32_t line, uint8_t diff, struct stimg_diag *d)
{
	uint8_t rec[16];
	unsigned i;

	for (i = 0; i < 16; i++)
		rec[i] = addr + i == 0x08007FF4 ? diff : byte_at(addr + i);
	return stimg_image_put(img, addr, rec, 16, src, line,
			       STIMG_OVERLAP_ERROR, d);
}

/* Copies the image's regions and bytes, to compare after a failed put. */
struct snapshot {
	char segs[4096];
	struct stimg_ranges r;
	uint8_t *bytes[16];
};

static void snap(struct snapshot *s, const struct stimg_image *img)
{
	size_t i;

	snprintf(s->segs, sizeof(s->segs), "%s", tl_segs(img));
	memset(&s->r, 0, sizeof(s->r));
	assert_int_equal(stimg_image_ranges(img, &s->r), STIMG_OK);
	assert_true(s->r.n <= 16);
	for (i = 0; i < s->r.n; i++) {
		size_t n = (size_t)(s->r.v[i].end - s->r.v[i].start);

		s->bytes[i] = malloc(n);
		assert_non_null(s->bytes[i]);
		assert_true(stimg_image_get(img, (uint32_t)s->r.v[i].start,
					    s->bytes[i], n));
	}
}

static void assert_unchanged(struct snapshot *s, const struct stimg_image *img)
{
	size_t i;

	assert_string_equal(tl_segs(img), s->segs);
	for (i = 0; i < s->r.n; i++) {
		tl_assert_bytes(img, (uint32_t)s->r.v[i].start, s->bytes[i],
				(size_t)(s->r.v[i].end - s->r.v[i].start));
		free(s->bytes[i]);
	}
	stimg_ranges_release(&s->r);
}

/*
 * boot.hex lines 1-12 hold 0x08007F40..0x08007FFF (line 12: 0x08007FF0);
 * app.hex lines 1-3 hold 0x08007FD0..0x08007FFF: lines 1 and 2 repeat
 * boot's bytes (fine), line 3 differs at 0x08007FF4.
 */
static void test_conflict_message(void **state)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_diag d;
	struct snapshot s;
	uint32_t boot, app, line;

	(void)state;
	memset(&d, 0, sizeof(d));
	assert_int_equal(stimg_image_add_source(&img, "boot.hex", NULL, NULL,
						&boot), 0);
	assert_int_equal(stimg_image_add_source(&img, "app.hex", NULL, NULL,
						&app), 0);
	for (line = 1; line <= 12; line++)
		assert_int_equal(put_record(&img, 0x08007F40 + 16 * (line - 1),
					    boot, line, 0x12, &d), STIMG_OK);
	assert_int_equal(put_record(&img, 0x08007FD0, app, 1, 0x34, &d), STIMG_OK);
	assert_int_equal(put_record(&img, 0x08007FE0, app, 2, 0x34, &d), STIMG_OK);
	snap(&s, &img);

	assert_int_equal(put_record(&img, 0x08007FF0, app, 3, 0x34, &d),
			 STIMG_ECONFLICT);
	assert_string_equal(d.msg, "boot.hex:12 and app.hex:3 both set "
			    "0x08007FF0..0x08007FFF (first difference at "
			    "0x08007FF4: 0x12 vs 0x34)");
	assert_unchanged(&s, &img);
	tl_assert_bytes(&img, 0x08007FF4, "\x12", 1);
	stimg_image_release(&img);
}

/*
 * The range named is where the two records overlap:
 *   boot:12 [0x08007FF0 ......... 0x08007FFF]
 *   app:7              [0x08007FF8 ......... 0x08008007]
 */
static void test_conflict_partial_record(void **state)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_diag d;
	struct snapshot s;
	uint32_t boot, app;
	uint8_t rec[16];
	unsigned i;

	(void)state;
	memset(&d, 0, sizeof(d));
	assert_int_equal(stimg_image_add_source(&img, "boot.hex", NULL, NULL,
						&boot), 0);
	assert_int_equal(stimg_image_add_source(&img, "app.hex", NULL, NULL,
						&app), 0);
	assert_int_equal(put_record(&img, 0x08007FF0, boot, 12, 0x12, &d), 0);
	snap(&s, &img);
	for (i = 0; i < 16; i++)
		rec[i] = byte_at(0x08007FF8 + i);
	rec[2] ^= 0xFF;		/* 0x08007FFA */
	assert_int_equal(stimg_image_put(&img, 0x08007FF8, rec, 16, app, 7,
					 STIMG_OVERLAP_ERROR, &d),
			 STIMG_ECONFLICT);
	assert_string_equal(d.msg, "boot.hex:12 and app.hex:7 both set "
			    "0x08007FF8..0x08007FFF (first difference at "
			    "0x08007FFA: 0xD9 vs 0x26)");
	assert_unchanged(&s, &img);
	stimg_image_release(&img);
}

/*
 * The difference lies in the second of two segments the new data spans;
 * the first overlaps with identical bytes. The image stays as it was.
 *
 *   [=a.bin=]      [=b.hex:5=]
 *        [=====c.hex:9=====]
 */
static void test_conflict_second_segment(void **state)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_diag d;
	struct snapshot s;
	uint32_t a, b, c;
	uint8_t buf[0x30];

	(void)state;
	memset(&d, 0, sizeof(d));
	memset(buf, 0x5A, sizeof(buf));
	assert_int_equal(stimg_image_add_source(&img, "a.bin", NULL, NULL,
						&a), 0);
	assert_int_equal(stimg_image_add_source(&img, "b.hex", NULL, NULL,
						&b), 0);
	assert_int_equal(stimg_image_add_source(&img, "c.hex", NULL, NULL,
						&c), 0);
	assert_int_equal(stimg_image_put(&img, 0x1000, buf, 0x10, a, 0,
					 STIMG_OVERLAP_ERROR, &d), 0);
	assert_int_equal(stimg_image_put(&img, 0x1020, buf, 0x10, b, 5,
					 STIMG_OVERLAP_ERROR, &d), 0);
	snap(&s, &img);
	buf[0x1D] = 0x00;	/* 0x1008 + 0x1D = 0x1025 */
	assert_int_equal(stimg_image_put(&img, 0x1008, buf, 0x20, c, 9,
					 STIMG_OVERLAP_ERROR, &d),
			 STIMG_ECONFLICT);
	assert_string_equal(d.msg, "b.hex:5 and c.hex:9 both set "
			    "0x00001020..0x00001027 (first difference at "
			    "0x00001025: 0x5A vs 0x00)");
	assert_unchanged(&s, &img);

	/* a binary (no lines) is named by its file alone */
	buf[0x1D] = 0x5A;
	buf[0x02] = 0x00;	/* 0x100A */
	assert_int_equal(stimg_image_put(&img, 0x1008, buf, 0x20, c, 9,
					 STIMG_OVERLAP_ERROR, &d),
			 STIMG_ECONFLICT);
	assert_string_equal(d.msg, "a.bin and c.hex:9 both set "
			    "0x00001008..0x0000100F (first difference at "
			    "0x0000100A: 0x5A vs 0x00)");
	stimg_image_release(&img);
}

/*
 *   [=a=]   [=b=]   [=c=]
 *     [=====identical=====]
 *   [=========one=========]    no error, no warning, one segment
 */
static void test_identical_accepted(void **state)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_diag d;
	struct tl_warnings w;
	uint8_t buf[0x60];
	uint32_t src;

	(void)state;
	tl_diag_capture(&d, &w);
	memset(buf, 0x77, sizeof(buf));
	assert_int_equal(stimg_image_add_source(&img, "a.hex", NULL, NULL,
						&src), 0);
	assert_int_equal(stimg_image_put(&img, 0x100, buf, 0x10, src, 1,
					 STIMG_OVERLAP_ERROR, &d), 0);
	assert_int_equal(stimg_image_put(&img, 0x120, buf, 0x10, src, 2,
					 STIMG_OVERLAP_ERROR, &d), 0);
	assert_int_equal(stimg_image_put(&img, 0x140, buf, 0x10, src, 3,
					 STIMG_OVERLAP_ERROR, &d), 0);
	assert_int_equal(stimg_image_put(&img, 0x108, buf, 0x50, src, 4,
					 STIMG_OVERLAP_ERROR, &d), 0);
	assert_string_equal(tl_segs(&img), "[0x00000100,0x00000158)");
	tl_assert_bytes(&img, 0x100, buf, 0x58);
	assert_int_equal(w.n, 0);

	/* the same bytes again, exactly: nothing changes */
	assert_int_equal(stimg_image_put(&img, 0x100, buf, 0x58, src, 5,
					 STIMG_OVERLAP_ERROR, &d), 0);
	assert_string_equal(tl_segs(&img), "[0x00000100,0x00000158)");
	assert_int_equal(w.n, 0);
	stimg_image_release(&img);
}

/*
 * a, b, c (0xAA, 0xBB, 0xCC) with holes between them, then new data
 * (0x11) from new.hex:9 over part of a, all of b, part of c:
 *
 *   0x100   0x110   0x120   0x130   0x140   0x150
 *   [===a===]       [===b===]       [===c===]
 *       [===============new===============]
 *       0x108                             0x148
 */
static void three_segments(struct stimg_image *img, uint32_t *newsrc)
{
	uint8_t a[16], b[16], c[16];
	uint32_t src;

	memset(a, 0xAA, sizeof(a));
	memset(b, 0xBB, sizeof(b));
	memset(c, 0xCC, sizeof(c));
	stimg_image_init(img);
	assert_int_equal(stimg_image_add_source(img, "old.hex", NULL, NULL,
						&src), 0);
	assert_int_equal(stimg_image_add_source(img, "new.hex", NULL, NULL,
						newsrc), 0);
	assert_int_equal(stimg_image_put(img, 0x100, a, 16, src, 1,
					 STIMG_OVERLAP_ERROR, NULL), 0);
	assert_int_equal(stimg_image_put(img, 0x120, b, 16, src, 3,
					 STIMG_OVERLAP_ERROR, NULL), 0);
	assert_int_equal(stimg_image_put(img, 0x140, c, 16, src, 5,
					 STIMG_OVERLAP_ERROR, NULL), 0);
}

/* what new.hex brings: 0x11 throughout */
static uint8_t new_bytes[0x40];

static int setup(void **state)
{
	memset(new_bytes, 0x11, sizeof(new_bytes));
	return tl_setup_dir(state);
}

/* Asserts n bytes at addr all equal b. */
static void assert_run(const struct stimg_image *img, uint32_t addr,
		       uint8_t b, size_t n)
{
	uint8_t want[64];

	assert_true(n <= sizeof(want));
	memset(want, b, n);
	tl_assert_bytes(img, addr, want, n);
}

static void assert_origin_line(const struct stimg_image *img, uint32_t addr,
			       const char *src, uint32_t line)
{
	uint32_t s, l;
	struct stimg_range rec;

	assert_true(stimg_image_origin(img, addr, &s, &l, &rec));
	assert_string_equal(stimg_image_source(img, s)->name, src);
	assert_int_equal(l, line);
}

static void test_first_keeps_old_fills_holes(void **state)
{
	struct stimg_image img;
	struct stimg_diag d;
	struct tl_warnings w;
	uint32_t src;

	(void)state;
	three_segments(&img, &src);
	tl_diag_capture(&d, &w);
	assert_int_equal(stimg_image_put(&img, 0x108, new_bytes, 0x40, src, 9,
					 STIMG_OVERLAP_FIRST, &d), STIMG_OK);
	assert_string_equal(tl_segs(&img), "[0x00000100,0x00000150)");
	assert_run(&img, 0x100, 0xAA, 0x10);
	assert_run(&img, 0x110, 0x11, 0x10);	/* hole */
	assert_run(&img, 0x120, 0xBB, 0x10);
	assert_run(&img, 0x130, 0x11, 0x10);	/* hole */
	assert_run(&img, 0x140, 0xCC, 0x10);

	assert_int_equal(w.n, 1);
	assert_int_equal(w.last.level, STIMG_WARNING);
	assert_string_equal(w.last.msg, "old.hex:1 and new.hex:9 both set "
			    "0x00000108..0x0000010F (first difference at "
			    "0x00000108: 0xAA vs 0x11); keeping the first");

	/* the kept bytes still name their old place, the holes the new one */
	assert_origin_line(&img, 0x108, "old.hex", 1);
	assert_origin_line(&img, 0x125, "old.hex", 3);
	assert_origin_line(&img, 0x110, "new.hex", 9);
	assert_origin_line(&img, 0x13F, "new.hex", 9);
	stimg_image_release(&img);
}

static void test_last_takes_new(void **state)
{
	struct stimg_image img;
	struct stimg_diag d;
	struct tl_warnings w;
	uint32_t src;

	(void)state;
	three_segments(&img, &src);
	tl_diag_capture(&d, &w);
	assert_int_equal(stimg_image_put(&img, 0x108, new_bytes, 0x40, src, 9,
					 STIMG_OVERLAP_LAST, &d), STIMG_OK);
	assert_string_equal(tl_segs(&img), "[0x00000100,0x00000150)");
	assert_run(&img, 0x100, 0xAA, 0x08);
	assert_run(&img, 0x108, 0x11, 0x40);
	assert_run(&img, 0x148, 0xCC, 0x08);

	assert_int_equal(w.n, 1);
	assert_int_equal(w.last.level, STIMG_WARNING);
	assert_string_equal(w.last.msg, "old.hex:1 and new.hex:9 both set "
			    "0x00000108..0x0000010F (first difference at "
			    "0x00000108: 0xAA vs 0x11); keeping the last");

	assert_origin_line(&img, 0x107, "old.hex", 1);
	assert_origin_line(&img, 0x108, "new.hex", 9);
	assert_origin_line(&img, 0x125, "new.hex", 9);
	assert_origin_line(&img, 0x148, "old.hex", 5);
	stimg_image_release(&img);
}

/*
 *       [=a=]   [=b=]
 *   [=========new=========]    FIRST: new around and between, a, b kept
 */
static void test_first_new_covers_all(void **state)
{
	static const uint8_t a[4] = { 1, 2, 3, 4 }, b[4] = { 5, 6, 7, 8 };
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_diag d;
	struct tl_warnings w;
	uint32_t src;

	(void)state;
	tl_diag_capture(&d, &w);
	assert_int_equal(stimg_image_add_source(&img, "x.hex", NULL, NULL,
						&src), 0);
	assert_int_equal(stimg_image_put(&img, 0x204, a, 4, src, 1,
					 STIMG_OVERLAP_FIRST, &d), 0);
	assert_int_equal(stimg_image_put(&img, 0x20C, b, 4, src, 2,
					 STIMG_OVERLAP_FIRST, &d), 0);
	assert_int_equal(stimg_image_put(&img, 0x200, new_bytes, 0x14, src, 3,
					 STIMG_OVERLAP_FIRST, &d), 0);
	assert_string_equal(tl_segs(&img), "[0x00000200,0x00000214)");
	tl_assert_bytes(&img, 0x200, "\x11\x11\x11\x11\x01\x02\x03\x04"
			"\x11\x11\x11\x11\x05\x06\x07\x08\x11\x11\x11\x11", 0x14);
	assert_int_equal(w.n, 1);

	/* LAST over the same: all new */
	assert_int_equal(stimg_image_put(&img, 0x200, new_bytes, 0x14, src, 4,
					 STIMG_OVERLAP_LAST, &d), 0);
	assert_run(&img, 0x200, 0x11, 0x14);
	assert_int_equal(w.n, 2);
	stimg_image_release(&img);
}

/* New data wholly inside old data: FIRST changes nothing, LAST replaces. */
static void test_inside_one_segment(void **state)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_diag d;
	struct tl_warnings w;
	uint8_t old[32];
	uint32_t src;

	(void)state;
	tl_diag_capture(&d, &w);
	memset(old, 0xEE, sizeof(old));
	assert_int_equal(stimg_image_add_source(&img, "x.hex", NULL, NULL,
						&src), 0);
	assert_int_equal(stimg_image_put(&img, 0x300, old, 32, src, 1,
					 STIMG_OVERLAP_ERROR, &d), 0);
	assert_int_equal(stimg_image_put(&img, 0x308, new_bytes, 8, src, 2,
					 STIMG_OVERLAP_FIRST, &d), 0);
	assert_run(&img, 0x300, 0xEE, 32);
	assert_int_equal(w.n, 1);
	assert_string_equal(w.last.msg, "x.hex:1 and x.hex:2 both set "
			    "0x00000308..0x0000030F (first difference at "
			    "0x00000308: 0xEE vs 0x11); keeping the first");
	assert_int_equal(stimg_image_put(&img, 0x308, new_bytes, 8, src, 3,
					 STIMG_OVERLAP_LAST, &d), 0);
	assert_run(&img, 0x300, 0xEE, 8);
	assert_run(&img, 0x308, 0x11, 8);
	assert_run(&img, 0x310, 0xEE, 16);
	assert_string_equal(tl_segs(&img), "[0x00000300,0x00000320)");
	assert_int_equal(w.n, 2);

	/* the same bytes again under FIRST or LAST: no warning */
	assert_int_equal(stimg_image_put(&img, 0x308, new_bytes, 8, src, 4,
					 STIMG_OVERLAP_FIRST, &d), 0);
	assert_int_equal(stimg_image_put(&img, 0x308, new_bytes, 8, src, 5,
					 STIMG_OVERLAP_LAST, &d), 0);
	assert_int_equal(w.n, 2);
	stimg_image_release(&img);
}

/* The same conflict through the Intel HEX reader and two real files. */
static void test_conflict_between_files(void **state)
{
	static const uint8_t ext[2] = { 0x08, 0x00 };
	char boot[2048] = "", app[1024] = "";
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_diag d;
	uint8_t rec[16];
	unsigned line, i;
	uint32_t addr;

	(void)state;
	/* boot.hex: line 1 is the 04 record, lines 2-12 data to 0x08007FFF */
	tl_ihex_cat(boot, sizeof(boot), 4, 0, ext, 2);
	for (line = 2; line <= 12; line++) {
		addr = 0x08007FF0 - 16 * (12 - line);
		for (i = 0; i < 16; i++)
			rec[i] = addr + i == 0x08007FF4 ? 0x12 : byte_at(addr + i);
		tl_ihex_cat(boot, sizeof(boot), 0, addr & 0xFFFF, rec, 16);
	}
	tl_ihex_cat(boot, sizeof(boot), 1, 0, NULL, 0);
	/* app.hex: 04, the same bytes as boot:11, then line 3 differs */
	tl_ihex_cat(app, sizeof(app), 4, 0, ext, 2);
	for (line = 2; line <= 3; line++) {
		addr = 0x08007FC0 + 16 * line;
		for (i = 0; i < 16; i++)
			rec[i] = addr + i == 0x08007FF4 ? 0x34 : byte_at(addr + i);
		tl_ihex_cat(app, sizeof(app), 0, addr & 0xFFFF, rec, 16);
	}
	tl_ihex_cat(app, sizeof(app), 1, 0, NULL, 0);

	assert_int_equal(tl_read_text(&img, "boot.hex", boot,
				      STIMG_OVERLAP_ERROR, &d), STIMG_OK);
	assert_int_equal(tl_read_text(&img, "app.hex", app,
				      STIMG_OVERLAP_ERROR, &d), STIMG_ECONFLICT);
	assert_string_equal(d.msg, "boot.hex:12 and app.hex:3 both set "
			    "0x08007FF0..0x08007FFF (first difference at "
			    "0x08007FF4: 0x12 vs 0x34)");
	assert_string_equal(tl_segs(&img), "[0x08007F50,0x08008000)");
	tl_assert_bytes(&img, 0x08007FF4, "\x12", 1);
	stimg_image_release(&img);

	/* with --overlap last app wins, with one warning */
	{
		struct tl_warnings w;

		tl_diag_capture(&d, &w);
		assert_int_equal(stimg_read(&img, "boot.hex", NULL,
					    STIMG_OVERLAP_LAST, NULL, &d), 0);
		assert_int_equal(stimg_read(&img, "app.hex", NULL,
					    STIMG_OVERLAP_LAST, NULL, &d), 0);
		assert_int_equal(w.n, 1);
		assert_string_equal(w.last.msg, "boot.hex:12 and app.hex:3 both "
				    "set 0x08007FF0..0x08007FFF (first difference "
				    "at 0x08007FF4: 0x12 vs 0x34); keeping the last");
		tl_assert_bytes(&img, 0x08007FF4, "\x34", 1);
		stimg_image_release(&img);
	}
}

/* Writes the Intel HEX record at text + *at (no strlen: files get large). */
static void hex_record(char *text, size_t *at, unsigned type, unsigned addr,
		       const uint8_t *data, unsigned n)
{
	unsigned sum = n + (addr >> 8 & 0xFF) + (addr & 0xFF) + type, i;

	*at += (size_t)sprintf(text + *at, ":%02X%04X%02X", n, addr & 0xFFFF,
			       type);
	for (i = 0; i < n; i++) {
		*at += (size_t)sprintf(text + *at, "%02X", data[i]);
		sum += data[i];
	}
	*at += (size_t)sprintf(text + *at, "%02X\n", -sum & 0xFF);
}

/*
 * Records in descending order cost an origin run each; past the budget the
 * image drops the runs and, for a conflict, finds the earlier record by
 * reading its file again: the message names the same line.
 */
static void test_conflict_after_origins_dropped(void **state)
{
	enum { N = 40000, K = 1234 };
	size_t cap = (size_t)N * 60 + 64, at = 0;
	char *text = malloc(cap);
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_diag d;
	uint8_t rec[16], base[2];
	char want[256];
	unsigned i, k, j;

	(void)state;
	assert_non_null(text);
	for (i = 0; i < N; i++) {
		k = N - 1 - i;
		base[0] = (uint8_t)(k * 16 >> 24);
		base[1] = (uint8_t)(k * 16 >> 16);
		hex_record(text, &at, 4, 0, base, 2);
		for (j = 0; j < 16; j++)
			rec[j] = byte_at(k * 16 + j);
		hex_record(text, &at, 0, k * 16, rec, 16);
	}
	hex_record(text, &at, 1, 0, NULL, 0);
	assert_int_equal(tl_read_text(&img, "old.hex", text,
				      STIMG_OVERLAP_ERROR, &d), STIMG_OK);

	/* record K is on line 2 * (N - 1 - K) + 2 of old.hex */
	at = 0;
	for (j = 0; j < 16; j++)
		rec[j] = byte_at(K * 16 + j);
	rec[4] ^= 0xFF;
	hex_record(text, &at, 0, K * 16, rec, 16);
	hex_record(text, &at, 1, 0, NULL, 0);
	tl_write_text("new.hex", text);
	assert_int_equal(stimg_read(&img, "new.hex", NULL, STIMG_OVERLAP_ERROR,
				    NULL, &d), STIMG_ECONFLICT);
	snprintf(want, sizeof(want), "old.hex:%u and new.hex:1 both set "
		 "0x%08X..0x%08X (first difference at 0x%08X: 0x%02X vs 0x%02X)",
		 2 * (N - 1 - K) + 2, K * 16, K * 16 + 15, K * 16 + 4,
		 byte_at(K * 16 + 4), rec[4]);
	assert_string_equal(d.msg, want);

	/* the public lookup reads the sources again too */
	{
		uint32_t src, line;
		struct stimg_range r;

		assert_true(stimg_image_origin(&img, K * 16 + 5, &src, &line, &r));
		assert_string_equal(stimg_image_source(&img, src)->name,
				    "old.hex");
		assert_int_equal(line, 2 * (N - 1 - K) + 2);
		assert_int_equal(r.start, K * 16);
		assert_int_equal(r.end, K * 16 + 16);
		assert_false(stimg_image_origin(&img, N * 16, &src, &line, &r));
	}
	stimg_image_release(&img);
	free(text);
}

/*
 * Intel HEX text of n one-byte records (0x01) in descending order, 4
 * apart, the first at 0x0800FFFF (each its own origin run: past the
 * budget the runs are dropped), then, when conflict, a 4-byte record
 * 00 00 00 02 at 0x0800FFFC that differs from the first at 0x0800FFFF
 * (on line n + 5). malloc'd; *len its length.
 */
static char *descending_bytes(unsigned n, bool conflict, size_t *len)
{
	char *text = malloc((size_t)n * 20 + 256);
	uint8_t one = 1, base[2] = { 0x08, 0x00 };
	size_t at = 0;
	unsigned i, upper = 0x10000;

	assert_non_null(text);
	for (i = 0; i < n; i++) {
		uint32_t a = 0x0800FFFF - 4 * i;

		if (a >> 16 != upper) {
			upper = a >> 16;
			base[1] = (uint8_t)upper;
			hex_record(text, &at, 4, 0, base, 2);
		}
		hex_record(text, &at, 0, a & 0xFFFF, &one, 1);
	}
	if (conflict) {
		base[1] = 0x00;
		hex_record(text, &at, 4, 0, base, 2);
		hex_record(text, &at, 0, 0xFFFC, (const uint8_t *)"\0\0\0\2", 4);
	}
	hex_record(text, &at, 1, 0, NULL, 0);
	*len = at;
	return text;
}

/*
 * An input that cannot be read again (standard input, a FIFO: here bytes
 * in memory) whose origin runs were dropped: the earlier side of a
 * conflict is "an earlier record of NAME", and the range both set is the
 * byte known to be set by both: the first difference.
 *
 *   in.hex: 0x0800FFFF 01 (line 2), ... 40000 bytes 4 apart, descending
 *           0x0800FFFC 00 00 00 02 (line 40005)
 */
static void test_conflict_unreadable_after_origins_dropped(void **state)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_diag d;
	struct stimg_range r;
	uint32_t src, line;
	size_t len;
	char *text = descending_bytes(40000, true, &len);

	(void)state;
	memset(&d, 0, sizeof(d));
	assert_int_equal(stimg_read_mem(&img, "in.hex", (const uint8_t *)text,
					len, NULL, STIMG_OVERLAP_ERROR, NULL,
					&d), STIMG_ECONFLICT);
	assert_string_equal(d.msg, "an earlier record of in.hex and "
			    "in.hex:40005 both set 0x0800FFFF..0x0800FFFF "
			    "(first difference at 0x0800FFFF: 0x01 vs 0x02)");
	/* the public lookup names the only such input, without a line */
	assert_true(stimg_image_origin(&img, 0x0800FFFB, &src, &line, &r));
	assert_string_equal(stimg_image_source(&img, src)->name, "in.hex");
	assert_int_equal(line, 0);
	assert_int_equal(r.start, 0x0800FFFB);
	assert_int_equal(r.end, 0x0800FFFC);
	stimg_image_release(&img);
	free(text);
}

/*
 * Two inputs that cannot be read again, the conflict inside the second:
 * which one set the earlier byte is unknown, and the message must not
 * name the first ("an earlier input").
 */
static void test_conflict_two_unreadable_inputs(void **state)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_diag d;
	size_t len;
	char *text = descending_bytes(40000, true, &len);
	static const char small[] = ":0100000055AA\n:00000001FF\n";

	(void)state;
	memset(&d, 0, sizeof(d));
	assert_int_equal(stimg_read_mem(&img, "a.hex", (const uint8_t *)small,
					strlen(small), NULL,
					STIMG_OVERLAP_ERROR, NULL, &d),
			 STIMG_OK);
	assert_int_equal(stimg_read_mem(&img, "b.hex", (const uint8_t *)text,
					len, NULL, STIMG_OVERLAP_ERROR, NULL,
					&d), STIMG_ECONFLICT);
	assert_string_equal(d.msg, "an earlier input and b.hex:40005 both set "
			    "0x0800FFFC..0x0800FFFF (first difference at "
			    "0x0800FFFF: 0x01 vs 0x02)");
	stimg_image_release(&img);
	free(text);
}

/* After eight overlap warnings, one line says the rest go unreported. */
static void test_warnings_capped(void **state)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_diag d;
	struct tl_warnings w;
	uint8_t a = 0xAA, b = 0xBB;
	uint32_t src, i;

	(void)state;
	tl_diag_capture(&d, &w);
	assert_int_equal(stimg_image_add_source(&img, "x.hex", NULL, NULL,
						&src), 0);
	for (i = 0; i < 20; i++)
		assert_int_equal(stimg_image_put(&img, 0x100 + 2 * i, &a, 1, src,
						 i + 1, STIMG_OVERLAP_ERROR, &d), 0);
	for (i = 0; i < 20; i++)
		assert_int_equal(stimg_image_put(&img, 0x100 + 2 * i, &b, 1, src,
						 i + 21, STIMG_OVERLAP_LAST, &d), 0);
	assert_int_equal(w.n, 9);
	assert_string_equal(w.last.msg,
			    "more overlaps with differing bytes; not reporting them");
	tl_assert_bytes(&img, 0x126, "\xBB", 1);
	stimg_image_release(&img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conflict_after_origins_dropped),
		cmocka_unit_test(test_conflict_unreadable_after_origins_dropped),
		cmocka_unit_test(test_conflict_two_unreadable_inputs),
		cmocka_unit_test(test_warnings_capped),
		cmocka_unit_test(test_conflict_message),
		cmocka_unit_test(test_conflict_partial_record),
		cmocka_unit_test(test_conflict_second_segment),
		cmocka_unit_test(test_identical_accepted),
		cmocka_unit_test(test_first_keeps_old_fills_holes),
		cmocka_unit_test(test_last_takes_new),
		cmocka_unit_test(test_first_new_covers_all),
		cmocka_unit_test(test_inside_one_segment),
		cmocka_unit_test(test_conflict_between_files),
	};

	return cmocka_run_group_tests(tests, setup, tl_teardown_dir);
}
