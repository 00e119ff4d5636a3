/*
 * Intel HEX: the reader (record types, addressing, the text it tolerates
 * and every malformed record, with file, line and message) and the writer
 * (golden text, record sizes, 04 records, 64 KiB boundaries, 05, CRLF).
 */
#include <fcntl.h>

#include "testlib.h"

/* Reads text as "t.hex" into a fresh image; returns the status. */
static int read_hex(struct stimg_image *img, const char *text,
		    struct stimg_diag *d)
{
	const struct stimg_format *used = NULL;
	int ret;

	stimg_image_init(img);
	tl_write_text("t.hex", text);
	memset(d, 0, sizeof(*d));
	ret = stimg_read(img, "t.hex", NULL, STIMG_OVERLAP_ERROR, &used, d);
	if (!ret)
		assert_ptr_equal(used, tl_format("ihex"));
	return ret;
}

/* 00 01 02 .. FF 00 01 ..: the data of most images here */
static uint8_t seq[300];

static int setup(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(seq); i++)
		seq[i] = (uint8_t)i;
	return tl_setup_dir(state);
}

/* ---- reader: what it accepts ---- */

static void test_read_all_types(void **state)
{
	struct stimg_image img;
	struct stimg_diag d;

	(void)state;
	assert_int_equal(read_hex(&img,
		":020000040800F2\n"
		":10000000000102030405060708090A0B0C0D0E0F78\n"
		":0400100010111213A6\n"
		":0400000508000101ED\n"
		":00000001FF\n", &d), STIMG_OK);
	assert_string_equal(tl_segs(&img), "[0x08000000,0x08000014)");
	tl_assert_bytes(&img, 0x08000000, seq, 20);
	assert_int_equal(tl_entry(&img), 0x08000101);
	stimg_image_release(&img);

	/* no entry record: no entry point */
	assert_int_equal(read_hex(&img, ":0100000000FF\n:00000001FF\n", &d), 0);
	assert_int_equal(tl_entry(&img), -1);
	tl_assert_bytes(&img, 0, "\x00", 1);
	stimg_image_release(&img);
}

/* 03: CS:IP, the real-mode address CS * 16 + IP */
static void test_read_start_segment(void **state)
{
	struct stimg_image img;
	struct stimg_diag d;

	(void)state;
	assert_int_equal(read_hex(&img, ":0400000312345678E5\n:00000001FF\n", &d),
			 STIMG_OK);
	assert_int_equal(tl_entry(&img), 0x12340 + 0x5678);
	assert_int_equal(stimg_image_nregions(&img), 0);
	stimg_image_release(&img);
}

/*
 * 02 sets base = segment * 16; an offset that runs past 0xFFFF wraps to
 * the start of the same 64 KiB segment:
 *
 *   0x10000                                    0x1FFF8 0x20000
 *   [8 bytes]...................................[8 bytes]
 */
static void test_read_segment_addressing(void **state)
{
	struct stimg_image img;
	struct stimg_diag d;

	(void)state;
	assert_int_equal(read_hex(&img,
		":020000021000EC\n"
		":03001000AABBCCBC\n"
		":10FFF800000102030405060708090A0B0C0D0E0F81\n"
		":00000001FF\n", &d), STIMG_OK);
	assert_string_equal(tl_segs(&img), "[0x00010000,0x00010008) "
			    "[0x00010010,0x00010013) [0x0001FFF8,0x00020000)");
	tl_assert_bytes(&img, 0x1FFF8, seq, 8);
	tl_assert_bytes(&img, 0x10000, seq + 8, 8);
	tl_assert_bytes(&img, 0x10010, "\xAA\xBB\xCC", 3);
	stimg_image_release(&img);

	/* a 04 record ends segment addressing: no wrap after it */
	assert_int_equal(read_hex(&img,
		":020000021000EC\n"
		":020000040002F8\n"
		":10FFF800000102030405060708090A0B0C0D0E0F81\n"
		":00000001FF\n", &d), STIMG_OK);
	assert_string_equal(tl_segs(&img), "[0x0002FFF8,0x00030008)");
	tl_assert_bytes(&img, 0x2FFF8, seq, 16);
	stimg_image_release(&img);
}

static void test_read_linear_addressing(void **state)
{
	struct stimg_image img;
	struct stimg_diag d;

	(void)state;
	assert_int_equal(read_hex(&img,
		":020000040800F2\n"
		":08FFF8000001020304050607E5\n"
		":020000040801F1\n"
		":0800000008090A0B0C0D0E0F9C\n"
		":02000004FFFFFC\n"
		":01FFFF000100\n"
		":00000001FF\n", &d), STIMG_OK);
	assert_string_equal(tl_segs(&img),
			    "[0x0800FFF8,0x08010008) [0xFFFFFFFF,0x100000000)");
	tl_assert_bytes(&img, 0x0800FFF8, seq, 16);
	tl_assert_bytes(&img, 0xFFFFFFFF, "\x01", 1);
	stimg_image_release(&img);
}

/* Lower case, CR LF, blank lines, blanks around records, no final newline. */
static void test_read_tolerated_text(void **state)
{
	struct stimg_image img;
	struct stimg_diag d;

	(void)state;
	assert_int_equal(read_hex(&img,
		"\r\n"
		"   \t\r\n"
		"  :020000040800f2  \r\n"
		"\t:10000000000102030405060708090a0b0c0d0e0f78\t\r\n"
		"\n"
		":0400100010111213a6\r\n"
		"\r\n"
		":00000001ff", &d), STIMG_OK);
	assert_string_equal(tl_segs(&img), "[0x08000000,0x08000014)");
	tl_assert_bytes(&img, 0x08000000, seq, 20);
	stimg_image_release(&img);

	/* blank lines after the EOF record are fine too */
	assert_int_equal(read_hex(&img, ":00000001FF\n\n  \r\n", &d), STIMG_OK);
	assert_int_equal(stimg_image_nregions(&img), 0);
	stimg_image_release(&img);

	/* a record with no data is fine */
	assert_int_equal(read_hex(&img, ":00100000F0\n:00000001FF\n", &d), 0);
	assert_int_equal(stimg_image_nregions(&img), 0);
	stimg_image_release(&img);
}

/*
 * Issue 10, defects 15 and 16: text that real files hold, accepted (with a
 * warning where something was ignored): CR-only line ends; a UTF-8
 * byte-order mark before the first record; DOS's end-of-file character
 * after the EOF record, on its own line or right after it; a second start
 * record (a bootloader + application file), of which the first counts.
 */
static void test_read_real_world_text(void **state)
{
	struct stimg_image img;
	struct stimg_diag d;
	struct tl_warnings w;

	(void)state;
	/* CR only, lines counted as lines */
	assert_int_equal(read_hex(&img, ":020000040800F2\r:0400100010111213a6\r"
				  "\r:00000001FF\r", &d), STIMG_OK);
	assert_string_equal(tl_segs(&img), "[0x08000010,0x08000014)");
	stimg_image_release(&img);
	assert_int_equal(read_hex(&img, ":0400100010111213a6\r\r:0400\r", &d),
			 STIMG_EFORMAT);
	assert_int_equal(d.line, 3);
	stimg_image_release(&img);

	/* a byte-order mark: a warning, and the format is still told */
	tl_write_text("bom.hex", "\xEF\xBB\xBF:0400100010111213A6\r\n"
		      ":00000001FF\r\n");
	stimg_image_init(&img);
	tl_diag_capture(&d, &w);
	assert_int_equal(stimg_read(&img, "bom.hex", NULL, STIMG_OVERLAP_ERROR,
				    NULL, &d), STIMG_OK);
	assert_string_equal(tl_segs(&img), "[0x00000010,0x00000014)");
	assert_int_equal(w.n, 1);
	assert_string_equal(w.last.file, "bom.hex");
	assert_int_equal(w.last.line, 1);
	assert_string_equal(w.last.msg, "a UTF-8 byte-order mark before the "
			    "first record; ignored");
	stimg_image_release(&img);

	/* DOS's 0x1A after the EOF record, alone or on its line; a padding
	   of several ends the file too */
	tl_write_text("dos1.hex", ":0400100010111213A6\r\n:00000001FF\r\n"
		      "\x1A");
	tl_write_text("dos2.hex", ":0400100010111213A6\n:00000001FF\x1A\n"
		      "anything\n");
	tl_write_text("dos3.hex", ":0400100010111213A6\n:00000001FF\n"
		      "\x1A\x1A\x1A\x1A\n");
	stimg_image_init(&img);
	tl_diag_capture(&d, &w);
	assert_int_equal(stimg_read(&img, "dos1.hex", NULL,
				    STIMG_OVERLAP_ERROR, NULL, &d), STIMG_OK);
	assert_int_equal(w.n, 1);
	assert_int_equal(w.last.line, 3);
	assert_string_equal(w.last.msg, "a DOS end-of-file character (0x1A); "
			    "reading stops there");
	assert_int_equal(stimg_read(&img, "dos2.hex", NULL,
				    STIMG_OVERLAP_ERROR, NULL, &d), STIMG_OK);
	assert_int_equal(w.n, 2);
	assert_int_equal(w.last.line, 2);
	assert_int_equal(stimg_read(&img, "dos3.hex", NULL,
				    STIMG_OVERLAP_ERROR, NULL, &d), STIMG_OK);
	assert_int_equal(w.n, 3);
	assert_string_equal(tl_segs(&img), "[0x00000010,0x00000014)");
	stimg_image_release(&img);
	/* before the EOF record it ends the file all the same: no EOF */
	tl_write_text("dos4.hex", ":0400100010111213A6\n\x1A:00000001FF\n");
	stimg_image_init(&img);
	tl_diag_capture(&d, &w);
	assert_int_equal(stimg_read(&img, "dos4.hex", NULL,
				    STIMG_OVERLAP_ERROR, NULL, &d), STIMG_EFORMAT);
	assert_string_equal(d.msg, "no end-of-file record (:00000001FF)");
	stimg_image_release(&img);

	/* two start records: the first is the entry point, with a warning */
	tl_write_text("start.hex", ":04000005080081016D\n:0400100010111213A6\n"
		      ":0400000508000101ED\n:00000001FF\n");
	stimg_image_init(&img);
	tl_diag_capture(&d, &w);
	assert_int_equal(stimg_read(&img, "start.hex", NULL,
				    STIMG_OVERLAP_ERROR, NULL, &d), STIMG_OK);
	assert_int_equal(tl_entry(&img), 0x08008101);
	assert_int_equal(w.n, 1);
	assert_int_equal(w.last.line, 3);
	assert_string_equal(w.last.msg, "a second start record (0x08000101); "
			    "keeping the first, 0x08008101");
	stimg_image_release(&img);
}

/* Overlaps inside one file follow the same policy as between files. */
static void test_read_overlap_inside_file(void **state)
{
	struct stimg_image img;
	struct stimg_diag d;

	(void)state;
	/* the same record twice: fine */
	assert_int_equal(read_hex(&img,
		":0400100010111213A6\n"
		":0400100010111213A6\n"
		":00000001FF\n", &d), STIMG_OK);
	assert_string_equal(tl_segs(&img), "[0x00000010,0x00000014)");
	stimg_image_release(&img);

	/* a record that changes a byte of an earlier one */
	assert_int_equal(read_hex(&img,
		":0400100010111213A6\n"
		":020000040000FA\n"
		":0200120012FFDB\n"
		":00000001FF\n", &d), STIMG_ECONFLICT);
	assert_string_equal(d.msg, "t.hex:1 and t.hex:3 both set "
			    "0x00000012..0x00000013 (first difference at "
			    "0x00000013: 0x13 vs 0xFF)");
	tl_assert_bytes(&img, 0x10, "\x10\x11\x12\x13", 4);
	stimg_image_release(&img);
}

/* Lines, as origins: 16-byte runs, a 04 record between them, a blank line. */
static void test_read_origins(void **state)
{
	struct stimg_image img;
	struct stimg_diag d;
	struct stimg_range rec;
	uint32_t src, line;

	(void)state;
	assert_int_equal(read_hex(&img,
		":10FFE000000102030405060708090A0B0C0D0E0F99\n"	/* 1 */
		":10FFF000000102030405060708090A0B0C0D0E0F89\n"	/* 2 */
		":020000040001F9\n"				/* 3 */
		":10000000000102030405060708090A0B0C0D0E0F78\n"	/* 4 */
		"\n"						/* 5 */
		":10001000000102030405060708090A0B0C0D0E0F68\n"	/* 6 */
		":00000001FF\n", &d), STIMG_OK);
	assert_string_equal(tl_segs(&img), "[0x0000FFE0,0x00010020)");
	assert_true(stimg_image_origin(&img, 0xFFF5, &src, &line, &rec));
	assert_string_equal(stimg_image_source(&img, src)->name, "t.hex");
	assert_string_equal(stimg_image_source(&img, src)->format, "ihex");
	assert_int_equal(line, 2);
	assert_true(stimg_image_origin(&img, 0x10000, &src, &line, &rec));
	assert_int_equal(line, 4);
	assert_int_equal(rec.start, 0x10000);
	assert_int_equal(rec.end, 0x10010);
	assert_true(stimg_image_origin(&img, 0x1001F, &src, &line, &rec));
	assert_int_equal(line, 6);
	stimg_image_release(&img);
}

/* ---- reader: every malformed case ---- */

struct bad_case {
	const char *text;
	int err;
	unsigned long line;
	const char *msg;
};

static const struct bad_case bad_cases[] = {
	{ ":0100000000FF\nx:0100000000FF\n:00000001FF\n", STIMG_EFORMAT, 2,
	  "a record starts with ':', not 'x'" },
	{ ":0100000000FF\n0100000000FF\n:00000001FF\n", STIMG_EFORMAT, 2,
	  "a record starts with ':', not '0'" },
	{ ":0100000000FF\n\x01:00000001FF\n", STIMG_EFORMAT, 2,
	  "a record starts with ':', not '?'" },
	{ ":0100000000FF\n:00000001\n", STIMG_EFORMAT, 2,
	  "record is too short (9 characters)" },
	{ ":\n", STIMG_EFORMAT, 1, "record is too short (1 characters)" },
	{ ":0100000000FF0\n:00000001FF\n", STIMG_EFORMAT, 1,
	  "record has an odd number of hex digits" },
	{ ":01000000G0FF\n:00000001FF\n", STIMG_EFORMAT, 1,
	  "invalid character 'G' in column 10" },
	{ ":010000000GFF\n:00000001FF\n", STIMG_EFORMAT, 1,
	  "invalid character 'G' in column 11" },
	{ ":0100 00000FF\n:00000001FF\n", STIMG_EFORMAT, 1,
	  "invalid character ' ' in column 6" },
	/* columns count from the start of the line, blanks included */
	{ "\t  :01000000G0FF\n:00000001FF\n", STIMG_EFORMAT, 1,
	  "invalid character 'G' in column 13" },
	{ ":0100000000FF\n:01000000\x80" "0FF\n", STIMG_EFORMAT, 2,
	  "invalid character '?' in column 10" },
	{ ":0200000000FE\n:00000001FF\n", STIMG_EFORMAT, 1,
	  "record length is 0x02 but the record holds 1 data bytes" },
	{ ":000000000000\n:00000001FF\n", STIMG_EFORMAT, 1,
	  "record length is 0x00 but the record holds 1 data bytes" },
	{ ":01000000E51B\n:00000001FF\n", STIMG_EFORMAT, 1,
	  "record checksum is 0x1B, expected 0x1A" },
	{ ":0100000000FF\n:02000000010200\n:00000001FF\n", STIMG_EFORMAT, 2,
	  "record checksum is 0x00, expected 0xFB" },
	{ ":00000001FE\n", STIMG_EFORMAT, 1,
	  "record checksum is 0xFE, expected 0xFF" },
	{ ":0100000200FD\n:00000001FF\n", STIMG_EFORMAT, 1,
	  "type 02 record has 1 data bytes, expected 2" },
	{ ":03000002000000FB\n:00000001FF\n", STIMG_EFORMAT, 1,
	  "type 02 record has 3 data bytes, expected 2" },
	{ ":0100000400FB\n:00000001FF\n", STIMG_EFORMAT, 1,
	  "type 04 record has 1 data bytes, expected 2" },
	{ ":020000030000FB\n:00000001FF\n", STIMG_EFORMAT, 1,
	  "type 03 record has 2 data bytes, expected 4" },
	{ ":020000050000F9\n:00000001FF\n", STIMG_EFORMAT, 1,
	  "type 05 record has 2 data bytes, expected 4" },
	{ ":050000050800010100EC\n:00000001FF\n", STIMG_EFORMAT, 1,
	  "type 05 record has 5 data bytes, expected 4" },
	{ ":0100000101FD\n", STIMG_EFORMAT, 1,
	  "end-of-file record has 1 data bytes" },
	{ ":00000006FA\n:00000001FF\n", STIMG_EFORMAT, 1,
	  "unknown record type 0x06" },
	{ ":00000001FF\n:00000001FF\n", STIMG_EFORMAT, 2,
	  "text after the end-of-file record" },
	{ ":0100000000FF\n:00000001FF\n\n:0100000000FF\n", STIMG_EFORMAT, 4,
	  "text after the end-of-file record" },
	{ ":00000001FF\n#\n", STIMG_EFORMAT, 2,
	  "text after the end-of-file record" },
	{ ":0100000000FF\n:0100010001FD\n", STIMG_EFORMAT, 2,
	  "no end-of-file record (:00000001FF)" },
	{ ":0100000000FF\n\n\n", STIMG_EFORMAT, 3,
	  "no end-of-file record (:00000001FF)" },
	{ ":02000004FFFFFC\n:02FFFF000102FD\n:00000001FF\n", STIMG_ERANGE, 2,
	  "data at 0xFFFFFFFF..0x100000000 lies past the 32-bit address space" },
};

static void test_read_malformed(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad_cases); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct stimg_image img;
		struct stimg_diag d;
		int ret = read_hex(&img, c->text, &d);

		if (ret != c->err || strcmp(d.file, "t.hex") ||
		    d.line != c->line || strcmp(d.msg, c->msg))
			fail_msg("case %zu: got %d %s:%lu: %s\n"
				 "          expected %d t.hex:%lu: %s",
				 i, ret, d.file, d.line, d.msg, c->err, c->line,
				 c->msg);
		stimg_image_release(&img);
	}
}

/* An empty file, read as Intel HEX, has no EOF record, on line 1. */
static void test_read_empty(void **state)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_diag d;

	(void)state;
	memset(&d, 0, sizeof(d));
	tl_write("empty.hex", "", 0);
	assert_int_equal(stimg_read(&img, "empty.hex", "ihex",
				    STIMG_OVERLAP_ERROR, NULL, &d),
			 STIMG_EFORMAT);
	assert_string_equal(d.file, "empty.hex");
	assert_int_equal(d.line, 1);
	assert_string_equal(d.msg, "no end-of-file record (:00000001FF)");
	stimg_image_release(&img);
}

/* Longer than 1024 characters: refused, wherever the line sits. */
static void test_read_long_lines(void **state)
{
	struct stimg_image img;
	struct stimg_diag d;
	char *text = malloc(8192);
	size_t n;

	(void)state;
	assert_non_null(text);
	/* as the last line, with no newline after it */
	text[0] = ':';
	memset(text + 1, '0', 1100);
	text[1101] = '\0';
	assert_int_equal(read_hex(&img, text, &d), STIMG_EFORMAT);
	assert_int_equal(d.line, 1);
	assert_string_equal(d.msg, "line is longer than 1024 characters");
	stimg_image_release(&img);

	/* in the middle of a file, the newline already read */
	n = (size_t)sprintf(text, ":0100000000FF\n:");
	memset(text + n, '0', 1100);
	sprintf(text + n + 1100, "\n:00000001FF\n");
	assert_int_equal(read_hex(&img, text, &d), STIMG_EFORMAT);
	assert_int_equal(d.line, 2);
	assert_string_equal(d.msg, "line is longer than 1024 characters");
	stimg_image_release(&img);

	/*
	 * Shorter than the limit but longer than any record (255 data
	 * bytes): refused before it is decoded into the record buffer.
	 */
	n = (size_t)sprintf(text, ":");
	memset(text + n, '0', 1000);
	sprintf(text + n + 1000, "\n:00000001FF\n");
	assert_int_equal(read_hex(&img, text, &d), STIMG_EFORMAT);
	assert_int_equal(d.line, 1);
	assert_string_equal(d.msg, "record is too long (1001 characters)");
	stimg_image_release(&img);

	/* 1024 characters exactly, counting trailing blanks, are allowed */
	n = (size_t)sprintf(text, ":00000001FF");
	memset(text + n, ' ', 1024 - n);
	sprintf(text + 1024, "\n");
	assert_int_equal(read_hex(&img, text, &d), STIMG_OK);
	stimg_image_release(&img);
	free(text);
}

/*
 * A file bigger than the reader's 1 MiB chunk, with records that straddle
 * the chunk's end: a megabyte of blank lines first, then 64 KiB of data.
 */
static void test_read_large(void **state)
{
	static const uint8_t ext[2] = { 0x08, 0x00 };
	size_t cap = 2u << 20, pad = (1u << 20) - 20, i, k;
	char *text = malloc(cap);
	struct stimg_image img;
	struct stimg_diag d;
	uint8_t rec[16];

	(void)state;
	assert_non_null(text);
	memset(text, '\n', pad);
	text[pad] = '\0';
	tl_ihex_cat(text, cap, 4, 0, ext, 2);
	for (i = 0; i < 65536 / 16; i++) {
		for (k = 0; k < 16; k++)
			rec[k] = (uint8_t)(i * 16 + k + i / 256);
		tl_ihex_cat(text, cap, 0, (unsigned)(i * 16), rec, 16);
	}
	tl_ihex_cat(text, cap, 1, 0, NULL, 0);
	assert_int_equal(read_hex(&img, text, &d), STIMG_OK);
	assert_string_equal(tl_segs(&img), "[0x08000000,0x08010000)");
	for (i = 0; i < 65536; i += 7) {
		uint8_t b = (uint8_t)(i + i / 4096);

		tl_assert_bytes(&img, (uint32_t)(0x08000000 + i), &b, 1);
	}
	stimg_image_release(&img);

	/* an error far down names the right line */
	strcpy(strstr(text, ":00000001FF"), ":00000001FE\n");
	assert_int_equal(read_hex(&img, text, &d), STIMG_EFORMAT);
	assert_int_equal(d.line, pad + 1 + 4096 + 1);
	assert_string_equal(d.msg, "record checksum is 0xFE, expected 0xFF");
	stimg_image_release(&img);
	free(text);
}

/* What a sink was given: the bytes' sum, where the next one goes, lines. */
struct run_sum {
	uint64_t next, sum, bytes;
	uint32_t first_line, last_line;
	bool gap;
};

static int run_sum_data(void *ctx, uint64_t addr, const uint8_t *p,
			size_t len, uint32_t line, uint32_t step,
			struct stimg_diag *d)
{
	struct run_sum *r = ctx;
	size_t i;

	(void)d;
	if (r->bytes && addr != r->next)
		r->gap = true;
	if (!r->bytes)
		r->first_line = line;
	/* the line of the last byte: records of step bytes, one a line */
	r->last_line = line + (step && len ? (uint32_t)((len - 1) / step) : 0);
	for (i = 0; i < len; i++)
		r->sum = r->sum * 31 + p[i];
	r->next = addr + len;
	r->bytes += len;
	return STIMG_OK;
}

static int run_sum_entry(void *ctx, uint32_t entry)
{
	(void)ctx;
	(void)entry;
	return STIMG_OK;
}

/*
 * A file of 8 MiB or more read for a sink from standard input that is the
 * file from its second line on: read in halves (with two processors), the
 * halves are the file's from there, not from its start (the first line is
 * not Intel HEX, so a reader that took the file's middle for the input's
 * would see a cut line): the same bytes, in order, as the records hold.
 */
static void test_read_halves_stdin_middle(void **state)
{
	size_t cap = 12u << 20, at = 0, i, k;
	char *text = malloc(cap);
	struct run_sum r = { 0, 0, 0, 0, 0, false };
	const struct stimg_sink sink = { run_sum_data, run_sum_entry,
					 sink_skip_drop, sink_skip_place,
					 sink_skip_elf, sink_skip_attr, NULL,
					 &r };
	struct stimg_diag d;
	uint64_t want = 0;
	int fd, saved;

	(void)state;
	assert_non_null(text);
	at += (size_t)sprintf(text, "not a record\n");
	/* 3 MiB at 0x08000000 in 16-byte records, an 04 record each 64 KiB */
	for (i = 0; i < (3u << 20) / 16; i++) {
		unsigned addr = (unsigned)(i * 16) & 0xFFFF, sum;

		if (!addr) {
			unsigned up = 0x0800 + (unsigned)(i * 16 >> 16);

			at += (size_t)sprintf(text + at, ":02000004%04X%02X\n",
					      up, (0x100 - ((6 + (up >> 8) +
							    (up & 0xFF)) & 0xFF)) & 0xFF);
		}
		sum = 16 + (addr >> 8) + (addr & 0xFF);
		at += (size_t)sprintf(text + at, ":10%04X00", addr);
		for (k = 0; k < 16; k++) {
			uint8_t b = (uint8_t)(i * 7 + k * 13 + i / 251);

			at += (size_t)sprintf(text + at, "%02X", b);
			sum += b;
			want = want * 31 + b;
		}
		at += (size_t)sprintf(text + at, "%02X\n", -sum & 0xFF);
	}
	at += (size_t)sprintf(text + at, ":00000001FF\n");
	assert_true(at > (8u << 20) && at < cap);
	tl_write("half.hex", text, at);
	free(text);

	fd = open("half.hex", O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(lseek(fd, 13, SEEK_SET), 13);
	saved = dup(0);
	assert_true(saved >= 0);
	assert_int_equal(dup2(fd, 0), 0);
	close(fd);
	memset(&d, 0, sizeof(d));
	assert_int_equal(stimg_read_sink("-", "ihex", STIMG_OVERLAP_ERROR,
					 &sink, NULL, NULL, &d), STIMG_OK);
	assert_int_equal(dup2(saved, 0), 0);
	close(saved);
	assert_false(r.gap);
	assert_int_equal(r.bytes, 3u << 20);
	assert_int_equal(r.next, 0x08000000u + (3u << 20));
	assert_true(r.sum == want);
	/* line 1 of the input is an 04 record, then 48 of them among the
	   data records; the end-of-file record last */
	assert_int_equal(r.first_line, 2);
	assert_int_equal(r.last_line, (3u << 20) / 16 + 48);
}

/* ---- writer ---- */

/* An image of n bytes of seq at addr, with an entry point if entry != 0. */
static void image_of(struct stimg_image *img, uint32_t addr, size_t n,
		     uint32_t entry)
{
	uint32_t src;

	stimg_image_init(img);
	assert_int_equal(stimg_image_add_source(img, "x", NULL, NULL, &src), 0);
	assert_int_equal(stimg_image_put(img, addr, seq, n, src, 1,
					 STIMG_OVERLAP_ERROR, NULL), 0);
	stimg_image_set_entry(img, entry != 0, entry);
}

/*
 * Writes img as Intel HEX with record size size (0: the default) and
 * crlf into text.
 */
static char *write_hex(const struct stimg_image *img, unsigned size, bool crlf)
{
	struct stimg_write_opts o = tl_write_opts("ihex");
	char *text, n[16];
	int ret;

	snprintf(n, sizeof(n), "%u", size);
	if (size)
		tl_opt(&o, "record-size", n);
	if (crlf)
		tl_opt(&o, "crlf", NULL);
	text = tl_write_mem(img, &o, &ret, NULL);
	assert_int_equal(ret, STIMG_OK);
	return text;
}

static void test_write_golden(void **state)
{
	struct stimg_image img;
	char *text;

	(void)state;
	image_of(&img, 0x08000000, 20, 0x08000101);
	text = write_hex(&img, 16, false);
	assert_string_equal(text,
		":020000040800F2\n"
		":10000000000102030405060708090A0B0C0D0E0F78\n"
		":0400100010111213A6\n"
		":0400000508000101ED\n"
		":00000001FF\n");
	free(text);

	/* --record-size 8 */
	text = write_hex(&img, 8, false);
	assert_string_equal(text,
		":020000040800F2\n"
		":080000000001020304050607DC\n"
		":0800080008090A0B0C0D0E0F94\n"
		":0400100010111213A6\n"
		":0400000508000101ED\n"
		":00000001FF\n");
	free(text);
	stimg_image_release(&img);

	/* --record-size 1, no entry point: no 05 record */
	image_of(&img, 0x08000000, 3, 0);
	text = write_hex(&img, 1, false);
	assert_string_equal(text,
		":020000040800F2\n"
		":0100000000FF\n"
		":0100010001FD\n"
		":0100020002FB\n"
		":00000001FF\n");
	free(text);
	stimg_image_release(&img);

	/* an empty image: only the EOF record */
	stimg_image_init(&img);
	text = write_hex(&img, 16, false);
	assert_string_equal(text, ":00000001FF\n");
	free(text);
}

static void test_write_record_255(void **state)
{
	struct stimg_image img, back = STIMG_IMAGE_INIT;
	struct stimg_diag d;
	char *text, *line2, *line3;

	(void)state;
	image_of(&img, 0x08000000, 300, 0);
	text = write_hex(&img, 255, false);
	/* 04, then 255 bytes, then the 45 left, then EOF */
	assert_memory_equal(text, ":020000040800F2\n:FF000000", 25);
	line2 = strchr(text, '\n') + 1;
	line3 = strchr(line2, '\n') + 1;
	assert_int_equal(line3 - line2, 1 + 2 * (5 + 255) + 1);
	assert_memory_equal(line3, ":2D00FF00", 9);
	assert_string_equal(strchr(line3, '\n') + 1, ":00000001FF\n");

	/* and it reads back as it was */
	tl_write_text("r255.hex", text);
	memset(&d, 0, sizeof(d));
	assert_int_equal(stimg_read(&back, "r255.hex", NULL,
				    STIMG_OVERLAP_ERROR, NULL, &d), STIMG_OK);
	assert_string_equal(tl_segs(&back), "[0x08000000,0x0800012C)");
	tl_assert_bytes(&back, 0x08000000, seq, 300);
	free(text);
	stimg_image_release(&back);
	stimg_image_release(&img);
}

/*
 * Record sizes outside 1..255 are refused when the option is set (the
 * writer never sees them); the default is 16.
 */
static void test_write_record_size_limits(void **state)
{
	struct stimg_image img;
	struct stimg_write_opts o = tl_write_opts("ihex");
	struct stimg_diag d;
	char *text;

	(void)state;
	image_of(&img, 0x08000000, 20, 0);
	text = write_hex(&img, 0, false);
	assert_non_null(strstr(text, "\n:10000000000102"));
	free(text);

	memset(&d, 0, sizeof(d));
	assert_int_equal(stimg_write_opts_set(&o, "record-size", "256", &d),
			 STIMG_EINVAL);
	assert_string_equal(d.msg, "--record-size: '256' is too large "
			    "(at most 0xFF)");
	assert_int_equal(stimg_write_opts_set(&o, "record-size", "0", &d),
			 STIMG_EINVAL);
	assert_string_equal(d.msg, "--record-size: must be 1 to 255");
	assert_int_equal(stimg_write_opts_set(&o, "record-size", "x", &d),
			 STIMG_EINVAL);
	assert_string_equal(d.msg, "--record-size: 'x' is not a number "
			    "(0x8008000, 134250496, 32K, 1M)");
	/* the refused values left the default */
	assert_int_equal(stimg_write(&img, "def.hex", &o, &d), STIMG_OK);
	text = tl_slurp("def.hex", NULL);
	assert_non_null(strstr(text, "\n:10000000000102"));
	free(text);
	/* an option of another format */
	assert_int_equal(stimg_write_opts_set(&o, "srec-type", "3", &d),
			 STIMG_EINVAL);
	assert_string_equal(d.msg, "--srec-type is an option of srec output, "
			    "not of ihex");
	stimg_image_release(&img);
}

/*
 * No record crosses a 64 KiB boundary; a 04 record comes where the upper
 * 16 bits change, and none for data below 64 KiB.
 */
static void test_write_64k_boundary(void **state)
{
	struct stimg_image img;
	char *text;

	(void)state;
	image_of(&img, 0x0800FFF8, 16, 0);
	text = write_hex(&img, 16, false);
	assert_string_equal(text,
		":020000040800F2\n"
		":08FFF8000001020304050607E5\n"
		":020000040801F1\n"
		":0800000008090A0B0C0D0E0F9C\n"
		":00000001FF\n");
	free(text);
	stimg_image_release(&img);

	image_of(&img, 0x0000FFF0, 32, 0);
	text = write_hex(&img, 16, false);
	assert_string_equal(text,
		":10FFF000000102030405060708090A0B0C0D0E0F89\n"
		":020000040001F9\n"
		":10000000101112131415161718191A1B1C1D1E1F78\n"
		":00000001FF\n");
	free(text);
	stimg_image_release(&img);

	/* large records too: 255 bytes from 0x1FF80 split at 0x20000 */
	image_of(&img, 0x0001FF80, 255, 0);
	text = write_hex(&img, 255, false);
	assert_memory_equal(text, ":020000040001F9\n:80FF8000", 25);
	assert_non_null(strstr(text, "\n:020000040002F8\n:7F000000"));
	free(text);
	stimg_image_release(&img);
}

/* Two distant segments: each upper half gets its 04 record once. */
static void test_write_segments(void **state)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	uint32_t src;
	char *text;

	(void)state;
	assert_int_equal(stimg_image_add_source(&img, "x", NULL, NULL, &src), 0);
	assert_int_equal(tl_put(&img, 0x100, "\x01\x02\x03", 3, src, 1,
				STIMG_OVERLAP_ERROR, NULL), 0);
	assert_int_equal(tl_put(&img, 0x08000000, "\x04\x05", 2, src, 2,
				STIMG_OVERLAP_ERROR, NULL), 0);
	assert_int_equal(tl_put(&img, 0x08000010, "\x06", 1, src, 3,
				STIMG_OVERLAP_ERROR, NULL), 0);
	text = write_hex(&img, 16, false);
	assert_string_equal(text,
		":03010000010203F6\n"
		":020000040800F2\n"
		":020000000405F5\n"
		":0100100006E9\n"
		":00000001FF\n");
	free(text);
	stimg_image_release(&img);
}

static void test_write_crlf(void **state)
{
	struct stimg_image img;
	char *text;

	(void)state;
	image_of(&img, 0x08000000, 20, 0x08000101);
	text = write_hex(&img, 16, true);
	assert_string_equal(text,
		":020000040800F2\r\n"
		":10000000000102030405060708090A0B0C0D0E0F78\r\n"
		":0400100010111213A6\r\n"
		":0400000508000101ED\r\n"
		":00000001FF\r\n");
	free(text);
	stimg_image_release(&img);
}

/* Through stimg_write to a file, and back through stimg_read. */
static void test_round_trip(void **state)
{
	static const char golden[] =
		":020000040800F2\n"
		":10000000000102030405060708090A0B0C0D0E0F78\n"
		":0400100010111213A6\n"
		":0400000508000101ED\n"
		":00000001FF\n";
	struct stimg_image img, back = STIMG_IMAGE_INIT;
	struct stimg_write_opts o = tl_write_opts("ihex");
	struct stimg_diag d;
	char *text;
	uint32_t src;

	(void)state;
	assert_int_equal(read_hex(&img, golden, &d), STIMG_OK);
	assert_int_equal(stimg_write(&img, "rt.hex", &o, &d), STIMG_OK);
	text = tl_slurp("rt.hex", NULL);
	assert_string_equal(text, golden);
	free(text);
	stimg_image_release(&img);

	/* several segments over several 64 KiB pages, odd sizes */
	stimg_image_init(&img);
	assert_int_equal(stimg_image_add_source(&img, "x", NULL, NULL, &src), 0);
	assert_int_equal(stimg_image_put(&img, 0x0800FF00, seq, 300, src, 1,
					 STIMG_OVERLAP_ERROR, NULL), 0);
	assert_int_equal(stimg_image_put(&img, 0x20000000, seq + 7, 33, src, 2,
					 STIMG_OVERLAP_ERROR, NULL), 0);
	assert_int_equal(stimg_image_put(&img, 0xFFFFFFF0, seq, 16, src, 3,
					 STIMG_OVERLAP_ERROR, NULL), 0);
	stimg_image_set_entry(&img, true, 0x0800FF01);
	tl_opt(&o, "record-size", "13");
	assert_int_equal(stimg_write(&img, "rt.hex", &o, &d), STIMG_OK);
	assert_int_equal(stimg_read(&back, "rt.hex", NULL, STIMG_OVERLAP_ERROR,
				    NULL, &d), STIMG_OK);
	assert_string_equal(tl_segs(&back), tl_segs(&img));
	tl_assert_bytes(&back, 0x0800FF00, seq, 300);
	tl_assert_bytes(&back, 0x20000000, seq + 7, 33);
	tl_assert_bytes(&back, 0xFFFFFFF0, seq, 16);
	assert_int_equal(tl_entry(&back), 0x0800FF01);
	stimg_image_release(&back);
	stimg_image_release(&img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_all_types),
		cmocka_unit_test(test_read_start_segment),
		cmocka_unit_test(test_read_segment_addressing),
		cmocka_unit_test(test_read_linear_addressing),
		cmocka_unit_test(test_read_tolerated_text),
		cmocka_unit_test(test_read_real_world_text),
		cmocka_unit_test(test_read_overlap_inside_file),
		cmocka_unit_test(test_read_origins),
		cmocka_unit_test(test_read_malformed),
		cmocka_unit_test(test_read_empty),
		cmocka_unit_test(test_read_long_lines),
		cmocka_unit_test(test_read_large),
		cmocka_unit_test(test_read_halves_stdin_middle),
		cmocka_unit_test(test_write_golden),
		cmocka_unit_test(test_write_record_255),
		cmocka_unit_test(test_write_record_size_limits),
		cmocka_unit_test(test_write_64k_boundary),
		cmocka_unit_test(test_write_segments),
		cmocka_unit_test(test_write_crlf),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, setup, tl_teardown_dir);
}
