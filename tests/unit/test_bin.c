/*
 * Raw binary: read at an explicit address (FILE@ADDR), written from a base
 * to an end with fill and a size limit. Also the format table: by name, by
 * extension, and detection by content.
 */
#include <sys/stat.h>

#include "testlib.h"

/* 00 01 .. FF 00 01 ..: the bytes of the files read here */
static uint8_t seq[4096];

static int setup(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(seq); i++)
		seq[i] = (uint8_t)(i ^ i >> 8);
	return tl_setup_dir(state);
}

/* Reads spec into a fresh image with no forced format. */
static int read_spec(struct stimg_image *img, const char *spec,
		     const char *format, const struct stimg_format **used,
		     struct stimg_diag *d)
{
	stimg_image_init(img);
	memset(d, 0, sizeof(*d));
	return stimg_read(img, spec, format, STIMG_OVERLAP_ERROR, used, d);
}

/* ---- reader ---- */

static void test_read_at_address(void **state)
{
	const struct stimg_format *used = NULL;
	struct stimg_image img;
	struct stimg_diag d;
	struct stimg_range rec;
	uint32_t src = 99, line = 99;

	(void)state;
	tl_write("fw.bin", seq, 300);
	assert_int_equal(read_spec(&img, "fw.bin@0x08008000", NULL, &used, &d),
			 STIMG_OK);
	assert_ptr_equal(used, &stimg__fmt_bin);
	assert_string_equal(tl_segs(&img), "[0x08008000,0x0800812C)");
	tl_assert_bytes(&img, 0x08008000, seq, 300);
	assert_int_equal(tl_entry(&img), -1);
	/* the source is the file (without @ADDR), with no line */
	assert_true(stimg_image_origin(&img, 0x08008100, &src, &line, &rec));
	assert_string_equal(stimg_image_source(&img, src)->name, "fw.bin");
	assert_string_equal(stimg_image_source(&img, src)->format, "bin");
	assert_int_equal(line, 0);
	assert_int_equal(rec.start, 0x08008000);
	assert_int_equal(rec.end, 0x0800812C);
	stimg_image_release(&img);

	/* decimal and K addresses, and -I bin with an address */
	assert_int_equal(read_spec(&img, "fw.bin@134250496", NULL, NULL, &d), 0);
	assert_string_equal(tl_segs(&img), "[0x08008000,0x0800812C)");
	stimg_image_release(&img);
	assert_int_equal(read_spec(&img, "fw.bin@32K", "bin", &used, &d), 0);
	assert_string_equal(tl_segs(&img), "[0x00008000,0x0000812C)");
	stimg_image_release(&img);

	/* a binary that looks like Intel HEX is still a binary at an address */
	tl_write_text("looks.bin", ":00000001FF\n");
	assert_int_equal(read_spec(&img, "looks.bin@0", NULL, &used, &d), 0);
	assert_ptr_equal(used, &stimg__fmt_bin);
	tl_assert_bytes(&img, 0, ":00000001FF\n", 12);
	stimg_image_release(&img);
}

/* Two binaries side by side make one segment; overlapping ones conflict. */
static void test_read_two_binaries(void **state)
{
	struct stimg_image img;
	struct stimg_diag d;
	uint8_t other[16];

	(void)state;
	tl_write("boot.bin", seq, 0x100);
	tl_write("app.bin", seq + 0x100, 0x100);
	assert_int_equal(read_spec(&img, "boot.bin@0x08000000", NULL, NULL, &d), 0);
	assert_int_equal(stimg_read(&img, "app.bin@0x08000100", NULL,
				    STIMG_OVERLAP_ERROR, NULL, &d), STIMG_OK);
	assert_string_equal(tl_segs(&img), "[0x08000000,0x08000200)");
	tl_assert_bytes(&img, 0x08000000, seq, 0x200);

	memcpy(other, seq + 0xF8, 16);
	other[12] ^= 0x5A;	/* 0x08000104 */
	tl_write("patch.bin", other, 16);
	assert_int_equal(stimg_read(&img, "patch.bin@0x080000F8", NULL,
				    STIMG_OVERLAP_ERROR, NULL, &d),
			 STIMG_ECONFLICT);
	assert_string_equal(d.msg, "app.bin and patch.bin both set "
			    "0x08000100..0x08000107 (first difference at "
			    "0x08000104: 0x05 vs 0x5F)");
	tl_assert_bytes(&img, 0x08000000, seq, 0x200);
	stimg_image_release(&img);
}

static void test_read_needs_address(void **state)
{
	struct stimg_image img;
	struct stimg_diag d;

	(void)state;
	tl_write("fw.bin", seq, 16);
	assert_int_equal(read_spec(&img, "fw.bin", NULL, NULL, &d), STIMG_EFORMAT);
	assert_string_equal(d.msg, "cannot tell the format of 'fw.bin'; a raw "
			    "binary needs an address: fw.bin@0x08000000");
	stimg_image_release(&img);

	assert_int_equal(read_spec(&img, "fw.bin", "bin", NULL, &d), STIMG_EINVAL);
	assert_string_equal(d.msg, "a raw binary needs an address: "
			    "fw.bin@0x08000000");
	stimg_image_release(&img);

	assert_int_equal(read_spec(&img, "fw.bin", "foo", NULL, &d), STIMG_EINVAL);
	assert_string_equal(d.msg, "unknown format 'foo' (known: ihex, srec, bin, elf, dfu, uf2)");
	stimg_image_release(&img);

	/* "@" followed by no number is part of the name */
	tl_write_text("v1@rc.hex", ":0100000042BD\n:00000001FF\n");
	assert_int_equal(read_spec(&img, "v1@rc.hex", NULL, NULL, &d), STIMG_OK);
	tl_assert_bytes(&img, 0, "\x42", 1);
	stimg_image_release(&img);

	/* a file that is not there */
	assert_int_equal(read_spec(&img, "missing.bin@0x08000000", NULL, NULL, &d),
			 STIMG_EIO);
	assert_string_equal(d.file, "missing.bin");
	assert_string_equal(d.msg, "cannot open: No such file or directory");
	stimg_image_release(&img);
}

/*
 * The last bytes of the address space:
 *   0xFFFFFF00                    0x100000000
 *   [=========256 bytes fit========]
 *   [=========257 bytes do not========]
 */
static void test_read_past_4gib(void **state)
{
	struct stimg_image img;
	struct stimg_diag d;

	(void)state;
	tl_write("top.bin", seq, 256);
	assert_int_equal(read_spec(&img, "top.bin@0xFFFFFF00", NULL, NULL, &d), 0);
	assert_string_equal(tl_segs(&img), "[0xFFFFFF00,0x100000000)");
	stimg_image_release(&img);

	tl_write("top.bin", seq, 257);
	assert_int_equal(read_spec(&img, "top.bin@0xFFFFFF00", NULL, NULL, &d),
			 STIMG_ERANGE);
	assert_string_equal(d.file, "top.bin");
	assert_string_equal(d.msg, "file is larger than the 256 bytes that fit "
			    "below 4 GiB");
	assert_int_equal(stimg_image_nregions(&img), 0);
	stimg_image_release(&img);

	/* an address past the space is an error, not part of the name */
	assert_int_equal(read_spec(&img, "top.bin@0x100000000", NULL, NULL, &d),
			 STIMG_ERANGE);
	assert_string_equal(d.msg, "address '0x100000000' of 'top.bin@0x100000000' "
			    "lies past the 32-bit address space");
	stimg_image_release(&img);
	assert_int_equal(read_spec(&img, "top.bin@4096M", NULL, NULL, &d),
			 STIMG_ERANGE);
	stimg_image_release(&img);
	assert_int_equal(read_spec(&img, "top.bin@0xFFFFFFFF", NULL, NULL, &d),
			 STIMG_ERANGE);
	assert_string_equal(d.msg, "file is larger than the 1 bytes that fit "
			    "below 4 GiB");
	stimg_image_release(&img);
}

static void test_read_empty(void **state)
{
	struct stimg_image img;
	struct stimg_diag d;

	(void)state;
	tl_write("empty.bin", "", 0);
	assert_int_equal(read_spec(&img, "empty.bin@0x08000000", NULL, NULL, &d),
			 STIMG_OK);
	assert_int_equal(stimg_image_nregions(&img), 0);
	assert_int_equal(stimg_image_bytes(&img), 0);
	stimg_image_release(&img);

	/* an empty file with no address has no format */
	assert_int_equal(read_spec(&img, "empty.bin", NULL, NULL, &d),
			 STIMG_EFORMAT);
	stimg_image_release(&img);
}

/*
 * Sizes around the reader's 1 MiB chunk: every byte arrives, once, and
 * the image costs about the file's size (not a doubling of it) plus a
 * fixed overhead under 1 MiB.
 */
static void test_read_sizes(void **state)
{
	static const size_t sizes[] = {
		1, 4095, 4096, 4097, (1u << 20) - 1, 1u << 20, (1u << 20) + 1,
		3u << 19, (2u << 20) + 3,
	};
	uint8_t *big = malloc((2u << 20) + 3);
	size_t i, k;

	(void)state;
	assert_non_null(big);
	for (k = 0; k < (2u << 20) + 3; k++)
		big[k] = (uint8_t)(k * 31 + (k >> 12));
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		struct stimg_image img;
		struct stimg_diag d;
		char *name = tl_mktemp("size-XXXXXX.bin", big, sizes[i]);
		char spec[64], want[64];
		size_t before = tl_heap_in_use();

		snprintf(spec, sizeof(spec), "%s@0x20000000", name);
		assert_int_equal(read_spec(&img, spec, NULL, NULL, &d), STIMG_OK);
		snprintf(want, sizeof(want), "[0x20000000,0x%08zX)",
			 0x20000000 + sizes[i]);
		assert_string_equal(tl_segs(&img), want);
		assert_int_equal(stimg_image_bytes(&img), sizes[i]);
		tl_assert_bytes(&img, 0x20000000, big, sizes[i]);
		assert_true(tl_heap_grown(before) <= sizes[i] + (1u << 20));
		stimg_image_release(&img);
		assert_int_equal(unlink(name), 0);
		free(name);
	}
	free(big);
}

/* ---- writer ---- */

/*
 * 0x08000000     0x08000008
 * [01 02 03 04]  [05 06]
 */
static void two_pieces(struct stimg_image *img)
{
	uint32_t src;

	stimg_image_init(img);
	assert_int_equal(stimg_image_add_source(img, "x", NULL, NULL, &src), 0);
	assert_int_equal(tl_put(img, 0x08000000, "\x01\x02\x03\x04", 4, src, 0,
				STIMG_OVERLAP_ERROR, NULL), 0);
	assert_int_equal(tl_put(img, 0x08000008, "\x05\x06", 2, src, 0,
				STIMG_OVERLAP_ERROR, NULL), 0);
}

/* The raw binary's own options (base, end, fill, max-size) in o. */
static struct bin_opts *bin(struct stimg_write_opts *o)
{
	assert_ptr_equal(o->fmt, &stimg__fmt_bin);
	return (struct bin_opts *)o->opts.bytes;
}

/* Writes img as a binary with o; asserts status ret and the bytes. */
static void assert_bin(const struct stimg_image *img,
		       const struct stimg_write_opts *o, const char *want,
		       size_t len)
{
	size_t n;
	int ret;
	char *out = tl_write_mem(img, o, &ret, &n);

	assert_int_equal(ret, STIMG_OK);
	assert_int_equal(n, len);
	assert_memory_equal(out, want, len);
	free(out);
}

static void test_write_defaults(void **state)
{
	struct stimg_image img;
	struct stimg_write_opts o = tl_write_opts("bin");
	struct bin_opts *b = bin(&o);

	(void)state;
	two_pieces(&img);
	assert_int_equal(b->fill, 0xFF);
	assert_int_equal(b->max_size, 64u << 20);
	/* lowest address to highest + 1, the gap erased flash */
	assert_bin(&img, &o, "\x01\x02\x03\x04\xFF\xFF\xFF\xFF\x05\x06", 10);
	b->fill = 0x00;
	assert_bin(&img, &o, "\x01\x02\x03\x04\x00\x00\x00\x00\x05\x06", 10);
	stimg_image_release(&img);

	/* an empty image is an empty file */
	stimg_image_init(&img);
	assert_bin(&img, &o, "", 0);
}

/*
 *        base                        end
 *  ......[01 02 03 04]....[05 06].....
 *  [ff ff]                     [ff ff]     base/end outside: fill
 *           [03 04]....[05]                base/end inside: clipped
 */
static void test_write_base_end(void **state)
{
	struct stimg_image img;
	struct stimg_write_opts o = tl_write_opts("bin");
	struct bin_opts *b = bin(&o);

	(void)state;
	two_pieces(&img);
	b->has_base = b->has_end = true;
	b->base = 0x07FFFFFE;
	b->end = 0x0800000C;
	assert_bin(&img, &o, "\xFF\xFF\x01\x02\x03\x04\xFF\xFF\xFF\xFF\x05\x06"
		   "\xFF\xFF", 14);

	b->base = 0x08000002;
	b->end = 0x08000009;
	assert_bin(&img, &o, "\x03\x04\xFF\xFF\xFF\xFF\x05", 7);

	/* only a base, only an end */
	b->has_end = false;
	assert_bin(&img, &o, "\x03\x04\xFF\xFF\xFF\xFF\x05\x06", 8);
	b->has_base = false;
	b->has_end = true;
	b->end = 0x08000003;
	assert_bin(&img, &o, "\x01\x02\x03", 3);

	/* a window in the gap, one past all data, and an empty window */
	b->has_base = true;
	b->base = 0x08000005;
	b->end = 0x08000007;
	assert_bin(&img, &o, "\xFF\xFF", 2);
	b->base = 0x08001000;
	b->end = 0x08001003;
	assert_bin(&img, &o, "\xFF\xFF\xFF", 3);
	b->base = b->end = 0x08000002;
	assert_bin(&img, &o, "", 0);
	b->end = 0x08000001;	/* end before base: nothing */
	assert_bin(&img, &o, "", 0);
	stimg_image_release(&img);
}

/* 16 bytes at 0x08000000 and 16 at 0x90000000: a 2.1 GiB binary. */
static void test_write_max_size(void **state)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_write_opts o = tl_write_opts("bin");
	struct bin_opts *b = bin(&o);
	struct stimg_diag d;
	uint32_t src;
	int ret;
	char *out;

	(void)state;
	assert_int_equal(stimg_image_add_source(&img, "x", NULL, NULL, &src), 0);
	assert_int_equal(stimg_image_put(&img, 0x08000000, seq, 16, src, 0,
					 STIMG_OVERLAP_ERROR, NULL), 0);
	assert_int_equal(stimg_image_put(&img, 0x90000000, seq, 16, src, 0,
					 STIMG_OVERLAP_ERROR, NULL), 0);
	memset(&d, 0, sizeof(d));
	tl_write_text("kept.bin", "keep me");
	assert_int_equal(stimg_write(&img, "kept.bin", &o, &d),
			 STIMG_ECHECK);
	assert_string_equal(d.msg,
		"a binary of 0x08000000..0x9000000F would be 2281701392 bytes, "
		"more than the maximum of 67108864; the image holds "
		"0x08000000..0x0800000F (16 bytes), 0x90000000..0x9000000F "
		"(16 bytes); use --crop, --base/--end or --split");
	/* the existing output is untouched */
	out = tl_slurp("kept.bin", NULL);
	assert_string_equal(out, "keep me");
	free(out);

	/* the limit is inclusive */
	b->max_size = 0x100;
	b->has_end = true;
	b->end = 0x08000100;
	out = tl_write_mem(&img, &o, &ret, NULL);
	assert_int_equal(ret, STIMG_OK);
	free(out);
	b->end++;
	out = tl_write_mem(&img, &o, &ret, NULL);
	assert_int_equal(ret, STIMG_ECHECK);
	free(out);

	/* --base/--end around one region is fine */
	b->has_base = true;
	b->base = 0x90000000;
	b->has_end = false;
	assert_bin(&img, &o, (const char *)seq, 16);
	stimg_image_release(&img);
}

/* More than 8 regions: the message lists 8 and counts the rest. */
static void test_write_max_size_many_regions(void **state)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_write_opts o = tl_write_opts("bin");
	struct bin_opts *b = bin(&o);
	struct stimg_diag d;
	uint32_t src, i;
	char *out;
	size_t n;
	int ret;

	(void)state;
	assert_int_equal(stimg_image_add_source(&img, "x", NULL, NULL, &src), 0);
	for (i = 0; i < 11; i++)
		assert_int_equal(stimg_image_put(&img, 0x1000 * i, seq, 1, src,
						 0, STIMG_OVERLAP_ERROR, NULL), 0);
	b->max_size = 0x1000;
	memset(&d, 0, sizeof(d));
	assert_int_equal(stimg__fmt_bin.write(&img, stdout, o.opts.bytes, &d), STIMG_ECHECK);
	assert_string_equal(d.msg,
		"a binary of 0x00000000..0x0000A000 would be 40961 bytes, more "
		"than the maximum of 4096; the image holds "
		"0x00000000..0x00000000 (1 bytes), 0x00001000..0x00001000 (1 bytes), "
		"0x00002000..0x00002000 (1 bytes), 0x00003000..0x00003000 (1 bytes), "
		"0x00004000..0x00004000 (1 bytes), 0x00005000..0x00005000 (1 bytes), "
		"0x00006000..0x00006000 (1 bytes), 0x00007000..0x00007000 (1 bytes), "
		"and 3 more; use --crop, --base/--end or --split");

	/* max_size 0: no limit */
	b->max_size = 0;
	out = tl_write_mem(&img, &o, &ret, &n);
	assert_int_equal(ret, STIMG_OK);
	assert_int_equal(n, 0xA001);
	assert_memory_equal(out, "\x00\xFF", 2);
	assert_memory_equal(out + 0x9FFF, "\xFF\x00", 2);
	free(out);
	stimg_image_release(&img);
}

/* Written to a file and read back at its base: the same bytes. */
static void test_round_trip(void **state)
{
	struct stimg_image img, back;
	struct stimg_write_opts o = tl_write_opts("bin");
	struct stimg_diag d;
	struct stat st;
	mode_t mask = umask(022);
	char *out;
	size_t n;

	(void)state;
	umask(mask);
	two_pieces(&img);
	memset(&d, 0, sizeof(d));
	assert_int_equal(stimg_write(&img, "rt.bin", &o, &d), 0);
	out = tl_slurp("rt.bin", &n);
	assert_int_equal(n, 10);
	assert_memory_equal(out, "\x01\x02\x03\x04\xFF\xFF\xFF\xFF\x05\x06", 10);
	free(out);
	/* a new file gets the umask's mode; a replaced one keeps its mode */
	assert_int_equal(stat("rt.bin", &st), 0);
	assert_int_equal(st.st_mode & 0777, 0666 & ~mask);
	assert_int_equal(chmod("rt.bin", 0600), 0);
	assert_int_equal(stimg_write(&img, "rt.bin", &o, &d), 0);
	assert_int_equal(stat("rt.bin", &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);

	/* no directory: an I/O error naming the output */
	assert_int_equal(stimg_write(&img, "nodir/rt.bin", &o, &d), STIMG_EIO);
	assert_string_equal(d.file, "nodir/rt.bin");
	assert_string_equal(d.msg, "cannot create a file in 'nodir': "
			    "No such file or directory");

	assert_int_equal(read_spec(&back, "rt.bin@0x08000000", NULL, NULL, &d), 0);
	assert_string_equal(tl_segs(&back), "[0x08000000,0x0800000A)");
	tl_assert_bytes(&back, 0x08000000, "\x01\x02\x03\x04", 4);
	tl_assert_bytes(&back, 0x08000008, "\x05\x06", 2);
	stimg_image_release(&back);
	stimg_image_release(&img);
}

/* ---- stimg bin: the plan and the files ---- */

static void count_done(void *ctx, const struct stimg_bin_file *f)
{
	(void)f;
	++*(int *)ctx;
}

/*
 * What stimg bin writes: one file over the span (or base/end/size), or
 * with split one per region, named after its address; the plan refuses
 * what cannot be written before anything is.
 *
 *   0x08000000 [01 02 03 04] .. [05 06]        0x08010000 [07]
 */
static void test_bin_plan(void **state)
{
	struct stimg_image img;
	struct stimg_bin_opts o;
	struct stimg_bin_plan plan = STIMG_BIN_PLAN_INIT;
	struct stimg_diag d;
	char *out;
	size_t n;
	int done = 0;

	(void)state;
	memset(&d, 0, sizeof(d));
	two_pieces(&img);
	stimg_bin_opts_init(&o);
	assert_int_equal(o.fill, 0xFF);
	assert_int_equal(o.max_size, 64u << 20);
	assert_int_equal(stimg_bin_plan(&img, "app.bin", &o, &plan, &d), 0);
	assert_int_equal(plan.n, 1);
	assert_string_equal(plan.v[0].name, "app.bin");
	assert_int_equal(plan.v[0].base, 0x08000000);
	assert_int_equal(plan.v[0].end, 0x0800000A);
	assert_int_equal(stimg_bin_write(&img, &plan, &o, count_done, &done,
					 &d), 0);
	assert_int_equal(done, 1);
	out = tl_slurp("app.bin", &n);
	assert_int_equal(n, 10);
	assert_memory_equal(out, "\x01\x02\x03\x04\xFF\xFF\xFF\xFF\x05\x06", 10);
	free(out);
	stimg_bin_plan_release(&plan);

	/* a base and a size, and the fill of the output's holes */
	o.has_base = o.has_size = true;
	o.base = 0x08000002;
	o.size = 4;
	o.fill = 0x00;
	assert_int_equal(stimg_bin_plan(&img, "win.bin", &o, &plan, &d), 0);
	assert_int_equal(stimg_bin_write(&img, &plan, &o, NULL, NULL, &d), 0);
	out = tl_slurp("win.bin", &n);
	assert_int_equal(n, 4);
	assert_memory_equal(out, "\x03\x04\x00\x00", 4);
	free(out);
	stimg_bin_plan_release(&plan);
	/* the fill is the output's only: the image keeps its holes */
	assert_string_equal(tl_segs(&img), "[0x08000000,0x08000004) "
			    "[0x08000008,0x0800000A)");

	/* split: one file per region, named after its address */
	stimg_bin_opts_init(&o);
	o.split = true;
	assert_int_equal(tl_put(&img, 0x08010000, "\x07", 1, 0, 0,
				STIMG_OVERLAP_ERROR, NULL), 0);
	assert_int_equal(stimg_bin_plan(&img, "out/app.bin", &o, &plan, &d), 0);
	assert_int_equal(plan.n, 3);
	assert_string_equal(plan.v[0].name, "out/app-0x08000000.bin");
	assert_string_equal(plan.v[1].name, "out/app-0x08000008.bin");
	assert_string_equal(plan.v[2].name, "out/app-0x08010000.bin");
	assert_int_equal(plan.v[2].end, 0x08010001);
	stimg_bin_plan_release(&plan);
	assert_int_equal(stimg_bin_plan(&img, "app", &o, &plan, &d), 0);
	assert_string_equal(plan.v[0].name, "app-0x08000000");
	stimg_bin_plan_release(&plan);

	/* what the plan refuses */
	assert_int_equal(stimg_bin_plan(&img, "-", &o, &plan, &d), STIMG_EINVAL);
	assert_string_equal(d.msg, "--split needs a file name, not -");
	o.has_base = true;
	assert_int_equal(stimg_bin_plan(&img, "a.bin", &o, &plan, &d),
			 STIMG_EINVAL);
	assert_string_equal(d.msg, "--split writes each region whole; choose "
			    "what goes in with --crop");
	stimg_bin_opts_init(&o);
	o.max_size = 0x100;
	assert_int_equal(stimg_bin_plan(&img, "a.bin", &o, &plan, &d),
			 STIMG_ECHECK);
	assert_string_equal(d.msg, "a binary of 0x08000000..0x08010000 would "
			    "be 65537 bytes, more than the maximum of 256; the "
			    "image holds 0x08000000..0x08000003 (4 bytes), "
			    "0x08000008..0x08000009 (2 bytes), "
			    "0x08010000..0x08010000 (1 bytes); use --crop, "
			    "--base/--end or --split");
	o.has_base = o.has_end = true;
	o.base = 0x08000010;
	o.end = 0x08000010;
	assert_int_equal(stimg_bin_plan(&img, "a.bin", &o, &plan, &d),
			 STIMG_ERANGE);
	assert_string_equal(d.msg, "--end 0x08000010 is not above the base "
			    "0x08000010");
	assert_int_equal(plan.n, 0);
	assert_int_equal(access("a.bin", F_OK), -1);
	stimg_image_release(&img);

	/* an empty image: nothing to write, unless base and end say what */
	stimg_bin_opts_init(&o);
	assert_int_equal(stimg_bin_plan(&img, "e.bin", &o, &plan, &d),
			 STIMG_ECHECK);
	assert_string_equal(d.msg, "the inputs hold no data: nothing to write");
	o.has_base = o.has_size = true;
	o.base = 0x20000000;
	o.size = 3;
	assert_int_equal(stimg_bin_plan(&img, "e.bin", &o, &plan, &d), 0);
	assert_int_equal(stimg_bin_write(&img, &plan, &o, NULL, NULL, &d), 0);
	out = tl_slurp("e.bin", &n);
	assert_int_equal(n, 3);
	assert_memory_equal(out, "\xFF\xFF\xFF", 3);
	free(out);
	stimg_bin_plan_release(&plan);
}

/* ---- the format table ---- */

static void test_format_by_name(void **state)
{
	(void)state;
	assert_ptr_equal(stimg_format_by_name("ihex"), tl_format("ihex"));
	assert_ptr_equal(stimg_format_by_name("IHEX"), tl_format("ihex"));
	assert_ptr_equal(stimg_format_by_name("hex"), tl_format("ihex"));
	assert_ptr_equal(stimg_format_by_name("srec"), tl_format("srec"));
	assert_ptr_equal(stimg_format_by_name("s19"), tl_format("srec"));
	assert_ptr_equal(stimg_format_by_name("mot"), tl_format("srec"));
	assert_ptr_equal(stimg_format_by_name("bin"), &stimg__fmt_bin);
	assert_ptr_equal(stimg_format_by_name("BIN"), &stimg__fmt_bin);
	assert_null(stimg_format_by_name(""));
	assert_null(stimg_format_by_name("foo"));
	assert_null(stimg_format_by_name(".hex"));
	assert_null(stimg_format_by_name("ihe"));
	assert_string_equal(tl_format("ihex")->title, "Intel HEX");
	assert_string_equal(stimg_format_names(0), "ihex, srec, bin, elf, dfu, uf2");
}

static void test_format_by_extension(void **state)
{
	static const struct {
		const char *path;
		const char *fmt;
	} cases[] = {
		{ "app.hex", "ihex" },
		{ "APP.HEX", "ihex" },
		{ "build/app.ihex", "ihex" },
		{ "a.ihx", "ihex" },
		{ "a.srec", "srec" },
		{ "a.s19", "srec" },
		{ "a.s28", "srec" },
		{ "a.S37", "srec" },
		{ "a.mot", "srec" },
		{ "a.bin", "bin" },
		{ "app.hex.bin", "bin" },
		{ "./a.bin", "bin" },
		{ "app", NULL },
		{ "", NULL },
		{ "app.", NULL },
		{ "app.txt", NULL },
		{ "app.hexx", NULL },
		{ "build.hex/app", NULL },
		{ "-", NULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		if (stimg_format_by_extension(cases[i].path) !=
		    (cases[i].fmt ? tl_format(cases[i].fmt) : NULL))
			fail_msg("'%s': wrong format", cases[i].path);
}

static void test_format_detect(void **state)
{
	static const struct {
		const char *text;
		const char *fmt;
	} cases[] = {
		{ ":00000001FF\n", "ihex" },
		{ ":", "ihex" },
		{ "\r\n \t\n:10000000", "ihex" },
		{ "S00F000068656C6C6F20202020200000", "srec" },
		{ "S9030000FC", "srec" },
		{ "\n\n  S1", "srec" },
		{ "", NULL },
		{ " \r\n\t", NULL },
		{ "S", NULL },
		{ "SX", NULL },
		{ "s1", NULL },
		{ "hello", NULL },
		{ "#:00000001FF", NULL },
		{ "\x01\x02\x03\x04", NULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const uint8_t *p = (const uint8_t *)cases[i].text;

		if (stimg_format_detect(p, strlen(cases[i].text)) !=
		    (cases[i].fmt ? tl_format(cases[i].fmt) : NULL))
			fail_msg("'%s': wrong format", cases[i].text);
	}
	/* a raw binary is never detected, whatever it holds */
	assert_null(stimg__fmt_bin.detect);
	assert_null(stimg_format_detect(seq, sizeof(seq)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_at_address),
		cmocka_unit_test(test_read_two_binaries),
		cmocka_unit_test(test_read_needs_address),
		cmocka_unit_test(test_read_past_4gib),
		cmocka_unit_test(test_read_empty),
		cmocka_unit_test(test_read_sizes),
		cmocka_unit_test(test_write_defaults),
		cmocka_unit_test(test_write_base_end),
		cmocka_unit_test(test_write_max_size),
		cmocka_unit_test(test_write_max_size_many_regions),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_bin_plan),
		cmocka_unit_test(test_format_by_name),
		cmocka_unit_test(test_format_by_extension),
		cmocka_unit_test(test_format_detect),
	};

	return cmocka_run_group_tests(tests, setup, tl_teardown_dir);
}
