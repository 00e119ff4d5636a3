/*
 * ELF: the load image of the fixtures in tests/fixtures (built by
 * build.sh; see the layouts there), the ranges stripped and why, sections
 * and symbols and LOC lookup, strip, the in-place patcher, and malformed
 * files made here from app.elf by changing one field at a time, each with
 * its message.
 */
#include <limits.h>
#include <sys/stat.h>

#include "testlib.h"
#include "stimg/elf.h"

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

/* The bytes of fixture name (malloc'd), its size in *len. */
static uint8_t *fixture(const char *name, size_t *len)
{
	char path[PATH_MAX + 64];

	snprintf(path, sizeof(path), "%s/%s", fixtures, name);
	return (uint8_t *)tl_slurp(path, len);
}

/* Reads fixture name (copied into the cwd under its own name). */
static int read_fixture(struct stimg_image *img, const char *name,
			struct stimg_diag *d, struct tl_warnings *w)
{
	size_t len;
	uint8_t *buf = fixture(name, &len);

	tl_write(name, buf, len);
	free(buf);
	stimg_image_init(img);
	tl_diag_capture(d, w);
	return stimg_read(img, name, NULL, STIMG_OVERLAP_ERROR, NULL, d);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static size_t count(const struct stimg_image *img, enum stimg_place_kind k)
{
	size_t i, n = 0;

	for (i = 0; i < stimg_image_nplaces(img); i++)
		n += stimg_image_place(img, i)->kind == k;
	return n;
}

/* The ELF header facts of img's only source. */
static const struct stimg_elf_info *elf_of(const struct stimg_image *img)
{
	const struct stimg_elf_info *e;

	assert_int_equal(stimg_image_nsources(img), 1);
	e = stimg_image_source(img, 0)->elf;
	assert_non_null(e);
	return e;
}

/* Dropped range i of img. */
static const struct stimg_dropped *drop(const struct stimg_image *img,
					size_t i)
{
	assert_true(i < stimg_image_ndropped(img));
	return stimg_image_dropped(img, i);
}

/* ---- reading the fixtures ---- */

/*
 * app.elf: three segments, nothing to strip (no segment holds headers or
 * padding); .data's bytes at its load address in flash.
 *
 *   0x08008000 .fw_version .crc | 0x08008800 .isr_vector .text .rodata |
 *   .data (runs at 0x20000000)
 */
static void test_app(void **state)
{
	struct stimg_image img;
	struct stimg_diag d;
	struct tl_warnings w;
	const struct stimg_place *data, *text, *fw;
	size_t len;
	uint8_t *file = fixture("app.elf", &len);

	(void)state;
	assert_int_equal(read_fixture(&img, "app.elf", &d, &w), STIMG_OK);
	assert_int_equal(w.n, 0);
	assert_int_equal(stimg_image_ndropped(&img), 0);
	assert_int_equal(elf_of(&img)->elf_class, 32);
	assert_false(elf_of(&img)->big_endian);
	assert_int_equal(elf_of(&img)->type, 2);
	assert_int_equal(elf_of(&img)->machine, 40);
	assert_int_equal(elf_of(&img)->nload, 3);
	assert_string_equal(stimg_image_source(&img, 0)->format, "elf");
	assert_int_equal(count(&img, STIMG_PLACE_SEGMENT), 3);
	assert_int_equal(tl_entry(&img), le32(file + 24));
	assert_true(stimg_image_source(&img, 0)->has_entry);
	assert_int_equal(stimg_image_source(&img, 0)->entry, le32(file + 24));
	assert_string_equal(tl_segs(&img), "[0x08008000,0x0800800C) "
					   "[0x08008800,0x080088F8)");

	fw = stimg_image_find_place(&img, STIMG_PLACE_SECTION, ".fw_version");
	assert_non_null(fw);
	assert_true(fw->loads);
	assert_int_equal(fw->addr, 0x08008000);
	assert_int_equal(fw->size, 8);
	tl_assert_bytes(&img, 0x08008000, "\1\0\2\0\3\0\4\0\xFF\xFF\xFF\xFF", 12);
	tl_assert_bytes(&img, 0x08008000, file + fw->offset, 8);

	/* .data: the bytes of the file at its load address, after .rodata */
	data = stimg_image_find_place(&img, STIMG_PLACE_SECTION, ".data");
	assert_non_null(data);
	assert_int_equal(data->vaddr, 0x20000000);
	assert_int_equal(data->addr, 0x080088E4);
	assert_int_equal(data->parent, 2);
	tl_assert_bytes(&img, 0x080088E4, file + data->offset, data->size);
	tl_assert_bytes(&img, 0x080088E4, "stimg fixture\0\0\0\x01\xEE\xFF\xC0", 20);

	text = stimg_image_find_place(&img, STIMG_PLACE_SECTION, ".text");
	assert_non_null(text);
	assert_int_equal(text->flags & 6, 6);	/* SHF_ALLOC | SHF_EXECINSTR */
	/* .bss takes no bytes; .comment is not allocated: no place */
	assert_false(stimg_image_find_place(&img, STIMG_PLACE_SECTION,
					    ".bss")->loads);
	assert_null(stimg_image_find_place(&img, STIMG_PLACE_SECTION,
					   ".comment"));
	stimg_image_release(&img);
	free(file);
}

/*
 * app-maxpage.elf: segment 0 starts at 0x08000000 with the ELF header,
 * the program headers and zeros up to .fw_version at 0x08008000; only the
 * section bytes enter the image and the rest is recorded.
 *
 *   file 0x0000 [ELF hdr][phdrs][0000...0000][.fw_version .crc]
 *        load 0x08000000 ------- dropped ----> 0x08008000 image
 */
static void test_maxpage(void **state)
{
	struct stimg_image img, app;
	struct stimg_diag d;
	struct tl_warnings w;
	struct stimg_ranges a = STIMG_RANGES_INIT, b = STIMG_RANGES_INIT;
	const struct stimg_place *seg0;

	(void)state;
	assert_int_equal(read_fixture(&img, "app-maxpage.elf", &d, &w), 0);
	assert_int_equal(w.n, 0);
	assert_int_equal(stimg_image_ndropped(&img), 1);
	assert_int_equal(drop(&img, 0)->start, 0x08000000);
	assert_int_equal(drop(&img, 0)->end, 0x08008000);
	assert_string_equal(drop(&img, 0)->why,
			    "ELF file header, program headers and padding "
			    "before the first section of segment 0");
	seg0 = stimg_image_place(&img, 0);
	assert_int_equal(seg0->kind, STIMG_PLACE_SEGMENT);
	assert_int_equal(seg0->addr, 0x08000000);
	assert_int_equal(seg0->offset, 0);
	assert_int_equal(seg0->kept_start, 0x08008000);
	assert_int_equal(seg0->kept_end, 0x0800800C);

	/* the same image as app.elf's, byte for byte */
	assert_int_equal(read_fixture(&app, "app.elf", &d, &w), 0);
	assert_int_equal(stimg_image_ranges(&img, &a), 0);
	assert_int_equal(stimg_image_ranges(&app, &b), 0);
	assert_string_equal(tl_ranges(&a), "[0x08008000,0x0800800C) "
					   "[0x08008800,0x080088F8)");
	assert_string_equal(tl_ranges(&b), "[0x08008000,0x0800800C) "
					   "[0x08008800,0x080088F8)");
	tl_assert_same_data(&app, &img);
	stimg_ranges_release(&a);
	stimg_ranges_release(&b);
	stimg_image_release(&app);
	stimg_image_release(&img);
}

/*
 * app-keil.elf: one segment holds everything; .data's section address is
 * in RAM but its bytes are in the flash segment: found by file offset.
 * The padding between .crc and .isr_vector is inside the segment: kept.
 */
static void test_keil(void **state)
{
	struct stimg_image img;
	struct stimg_diag d;
	struct tl_warnings w;
	const struct stimg_place *data;
	struct stimg_range r;
	uint8_t zeros[16] = { 0 };

	(void)state;
	assert_int_equal(read_fixture(&img, "app-keil.elf", &d, &w), 0);
	assert_int_equal(stimg_image_ndropped(&img), 0);
	assert_string_equal(tl_segs(&img), "[0x08008000,0x080088F8)");
	tl_assert_bytes(&img, 0x0800800C, zeros, sizeof(zeros));
	data = stimg_image_find_place(&img, STIMG_PLACE_SECTION, ".data");
	assert_non_null(data);
	assert_true(data->loads);
	assert_int_equal(data->vaddr, 0x20000000);
	assert_int_equal(data->addr, 0x080088E4);
	assert_int_equal(data->parent, 0);
	/* a symbol in .data: its initial bytes, where they load */
	assert_int_equal(stimg_image_locate(&img, "counter", &r, &d), 0);
	assert_int_equal(r.start, 0x080088F4);
	assert_int_equal(r.end, 0x080088F8);
	tl_assert_bytes(&img, 0x080088F4, "\x01\xEE\xFF\xC0", 4);
	stimg_image_release(&img);
}

/* app-nosh.elf: no section headers: whole segments, with a warning. */
static void test_no_sections(void **state)
{
	struct stimg_image img;
	struct stimg_diag d;
	struct tl_warnings w;
	uint64_t low;

	(void)state;
	assert_int_equal(read_fixture(&img, "app-nosh.elf", &d, &w), 0);
	assert_int_equal(w.n, 1);
	assert_int_equal(w.last.level, STIMG_WARNING);
	assert_string_equal(w.last.file, "app-nosh.elf");
	assert_string_equal(w.last.msg,
			    "no section headers: loading whole segments, with "
			    "any ELF header, program headers and padding they "
			    "hold");
	assert_int_equal(stimg_image_ndropped(&img), 0);
	assert_int_equal(elf_of(&img)->shnum, 0);
	assert_int_equal(count(&img, STIMG_PLACE_SECTION), 0);
	assert_false(stimg_image_lowest_section(&img, &low));
	assert_string_equal(tl_segs(&img), "[0x08000000,0x0800800C) "
					   "[0x08008800,0x080088F8)");
	tl_assert_bytes(&img, 0x08000000, "\x7F" "ELF", 4);
	stimg_image_release(&img);
}

/* ---- places and LOCs ---- */

static void test_locate(void **state)
{
	struct stimg_image img;
	struct stimg_diag d;
	struct tl_warnings w;
	struct stimg_range r;
	const struct stimg_place *p;
	uint64_t low;

	(void)state;
	assert_int_equal(read_fixture(&img, "app.elf", &d, &w), 0);
	assert_int_equal(stimg_image_locate(&img, ".crc", &r, &d), 0);
	assert_int_equal(r.start, 0x08008008);
	assert_int_equal(r.end, 0x0800800C);
	assert_int_equal(stimg_image_locate(&img, "versionInfo", &r, &d), 0);
	assert_int_equal(r.start, 0x08008000);
	assert_int_equal(r.end, 0x08008008);
	/* an address: an empty range there */
	assert_int_equal(stimg_image_locate(&img, "0x08008004", &r, &d), 0);
	assert_int_equal(r.start, 0x08008004);
	assert_int_equal(r.end, 0x08008004);
	/* a Thumb function: the address of its first byte, not value | 1 */
	p = stimg_image_find_place(&img, STIMG_PLACE_SYMBOL, "Reset_Handler");
	assert_non_null(p);
	assert_int_equal(p->vaddr & 1, 1);
	assert_int_equal(p->addr, p->vaddr - 1);
	assert_int_equal(tl_entry(&img), p->vaddr);
	/* an absolute symbol from the linker script: an address */
	assert_int_equal(stimg_image_locate(&img, "_sidata", &r, &d), 0);
	assert_int_equal(r.start, 0x080088E4);
	assert_int_equal(r.end, 0x080088E4);
	/* one that ld tied to .fw_version, far outside it: no bytes */
	assert_int_equal(stimg_image_locate(&img, "_estack", &r, &d),
			 STIMG_EINVAL);
	assert_string_equal(d.msg, "symbol '_estack' at 0x20020000 has no "
			    "bytes in the image (sections that load: "
			    ".fw_version, .crc, .isr_vector, .text, .rodata, "
			    ".data)");
	/* mapping symbols ($t, $d) and file symbols are not places */
	assert_null(stimg_image_find_place(&img, STIMG_PLACE_SYMBOL, "$t"));
	assert_null(stimg_image_find_place(&img, STIMG_PLACE_SYMBOL, "$d"));
	assert_null(stimg_image_find_place(&img, STIMG_PLACE_SYMBOL, "app.c"));

	assert_int_equal(stimg_image_locate(&img, ".nothing", &r, &d),
			 STIMG_EINVAL);
	assert_string_equal(d.msg, "no section '.nothing' in the input "
			    "(sections that load: .fw_version, .crc, "
			    ".isr_vector, .text, .rodata, .data)");
	assert_int_equal(stimg_image_locate(&img, "nothing", &r, &d),
			 STIMG_EINVAL);
	assert_string_equal(d.msg, "no section or symbol 'nothing' in the "
			    "input (sections that load: .fw_version, .crc, "
			    ".isr_vector, .text, .rodata, .data)");
	assert_int_equal(stimg_image_locate(&img, ".bss", &r, &d),
			 STIMG_EINVAL);
	assert_string_equal(d.msg, "section '.bss' at 0x20000014 has no bytes "
			    "in the image (sections that load: .fw_version, "
			    ".crc, .isr_vector, .text, .rodata, .data)");
	assert_int_equal(stimg_image_locate(&img, "ticks", &r, &d),
			 STIMG_EINVAL);
	assert_true(stimg_image_lowest_section(&img, &low));
	assert_int_equal(low, 0x08008000);
	stimg_image_release(&img);
}

/* Two inputs with one symbol name at different addresses: ambiguous. */
static void test_locate_ambiguous(void **state)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_place p = { 0 };
	struct stimg_diag d;
	struct stimg_range r;
	char name[] = "serial";

	(void)state;
	memset(&d, 0, sizeof(d));
	p.kind = STIMG_PLACE_SYMBOL;
	p.name = name;
	p.addr = 0x08001000;
	p.size = 4;
	p.loads = true;
	assert_int_equal(stimg_image_add_place(&img, &p), 0);
	assert_int_equal(stimg_image_add_place(&img, &p), 0);
	assert_int_equal(stimg_image_locate(&img, "serial", &r, &d), 0);
	p.addr = 0x08002000;
	assert_int_equal(stimg_image_add_place(&img, &p), 0);
	assert_int_equal(stimg_image_locate(&img, "serial", &r, &d),
			 STIMG_EINVAL);
	assert_string_equal(d.msg, "'serial' names two symbols, at 0x08001000 "
			    "and at 0x08002000; give an address");
	stimg_image_release(&img);
}

/* ---- strip ---- */

/*
 * The no-section-headers variant holds the ELF header page; strip from
 * 0x08008000 drops it, warns about its bytes, and leaves app.elf's image.
 */
static void test_strip(void **state)
{
	struct stimg_image img, app;
	struct stimg_diag d;
	struct tl_warnings w;

	(void)state;
	assert_int_equal(read_fixture(&img, "app-nosh.elf", &d, &w), 0);
	tl_diag_capture(&d, &w);
	assert_int_equal(stimg_image_strip(&img, 0x08008000, STIMG_ADDR_END, &d),
			 STIMG_OK);
	assert_int_equal(w.n, 1);
	assert_int_equal(w.last.level, STIMG_WARNING);
	assert_true(!strncmp(w.last.msg, "dropped bytes at 0x08000000..0x08007FFF "
			     "are not all 0x00 or 0xFF: ", 66));
	assert_non_null(strstr(w.last.msg, "the first 0x7F at 0x08000000"));
	assert_int_equal(stimg_image_ndropped(&img), 1);
	assert_int_equal(drop(&img, 0)->start, 0x08000000);
	assert_int_equal(drop(&img, 0)->end, 0x08008000);
	assert_string_equal(drop(&img, 0)->why, "below the origin 0x08008000");
	assert_string_equal(stimg_image_source(&img, drop(&img, 0)->src)->name,
			    "app-nosh.elf");

	assert_int_equal(read_fixture(&app, "app.elf", &d, &w), 0);
	assert_string_equal(tl_segs(&img), "[0x08008000,0x0800800C) "
					   "[0x08008800,0x080088F8)");
	tl_assert_same_data(&app, &img);

	/* an end cuts the top; zeros and 0xFF dropped: no warning */
	tl_diag_capture(&d, &w);
	assert_int_equal(stimg_image_strip(&img, 0, 0x08008008, &d), 0);
	assert_int_equal(w.n, 1);	/* .crc's FF is fine; the code is not */
	assert_string_equal(tl_segs(&img), "[0x08008000,0x08008008)");
	assert_int_equal(stimg_image_ndropped(&img), 3);
	assert_string_equal(drop(&img, 1)->why, "at or above the end 0x08008008");
	assert_int_equal(drop(&img, 1)->start, 0x08008008);
	assert_int_equal(drop(&img, 1)->end, 0x0800800C);
	assert_int_equal(drop(&img, 2)->start, 0x08008800);
	assert_int_equal(stimg_image_strip(&img, 5, 5, &d), STIMG_EINVAL);
	stimg_image_release(&img);
	stimg_image_release(&app);
}

/* ---- the in-place patcher ---- */

/* Offsets where a and b (same length) differ, as "0x8000 0x8001". */
static const char *diff_offsets(const uint8_t *a, const uint8_t *b, size_t n)
{
	static char buf[1024];
	size_t i, at = 0;

	buf[0] = '\0';
	for (i = 0; i < n && at < sizeof(buf) - 16; i++)
		if (a[i] != b[i])
			at += (size_t)snprintf(buf + at, sizeof(buf) - at,
					       "%s0x%zX", at ? " " : "", i);
	return buf;
}

static void test_patch(void **state)
{
	struct stimg_image img, back;
	struct stimg_ranges r = STIMG_RANGES_INIT;
	struct stimg_diag d;
	struct tl_warnings w;
	struct stat st;
	size_t n0, n1;
	uint8_t *before, *after;

	(void)state;
	assert_int_equal(read_fixture(&img, "app-maxpage.elf", &d, &w), 0);
	before = fixture("app-maxpage.elf", &n0);
	/* version 1.2.3.5 and a CRC: the version's last u16, the whole CRC */
	assert_int_equal(tl_put(&img, 0x08008006, "\5\0\x11\x22\x33\x44", 6, 0,
				0, STIMG_OVERLAP_LAST, &d), 0);
	assert_int_equal(stimg_ranges_add(&r, 0x08008006, 0x0800800C), 0);
	assert_int_equal(stimg_elf_patch("app-maxpage.elf", "out.elf", &img, &r,
					 &d), STIMG_OK);
	after = (uint8_t *)tl_slurp("out.elf", &n1);
	assert_int_equal(n0, n1);
	/* .fw_version at file offset 0x8000, .crc at 0x8008 */
	assert_string_equal(diff_offsets(before, after, n0),
			    "0x8006 0x8008 0x8009 0x800A 0x800B");
	assert_int_equal(read_fixture(&back, "app-maxpage.elf", &d, &w), 0);
	stimg_image_release(&back);
	stimg_image_init(&back);
	memset(&d, 0, sizeof(d));
	assert_int_equal(stimg_read(&back, "out.elf", NULL, STIMG_OVERLAP_ERROR,
				    NULL, &d), 0);
	tl_assert_bytes(&back, 0x08008000, "\1\0\2\0\3\0\5\0\x11\x22\x33\x44", 12);
	stimg_image_release(&back);
	free(after);

	/* in place: -o names the input; the mode stays */
	assert_int_equal(chmod("app-maxpage.elf", 0640), 0);
	assert_int_equal(stimg_elf_patch("app-maxpage.elf", "app-maxpage.elf",
					 &img, &r, &d), STIMG_OK);
	after = (uint8_t *)tl_slurp("app-maxpage.elf", &n1);
	assert_string_equal(diff_offsets(before, after, n0),
			    "0x8006 0x8008 0x8009 0x800A 0x800B");
	assert_int_equal(stat("app-maxpage.elf", &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	free(after);

	/* the padding between .crc and .isr_vector is in no section */
	unlink("out.elf");
	stimg_ranges_release(&r);
	assert_int_equal(stimg_ranges_add(&r, 0x0800800A, 0x0800800E), 0);
	assert_int_equal(tl_put(&img, 0x0800800C, "\0\0", 2, 0, 0,
				STIMG_OVERLAP_LAST, &d), 0);
	assert_int_equal(stimg_elf_patch("app-maxpage.elf", "out.elf", &img, &r,
					 &d), STIMG_ERANGE);
	assert_string_equal(d.file, "app-maxpage.elf");
	assert_string_equal(d.msg, "0x0800800C is in no section's file data: "
			    "an ELF output can change only the bytes of sections");
	assert_int_equal(access("out.elf", F_OK), -1);

	/* the image must hold the bytes it patches */
	stimg_ranges_release(&r);
	assert_int_equal(stimg_ranges_add(&r, 0x080088E4, 0x080088E8), 0);
	stimg_image_release(&img);
	stimg_image_init(&img);
	assert_int_equal(stimg_elf_patch("app-maxpage.elf", "out.elf", &img, &r,
					 &d), STIMG_ERANGE);
	assert_string_equal(d.msg, "the image holds no byte at 0x080088E4 for "
			    "section '.data'");
	assert_int_equal(access("out.elf", F_OK), -1);

	/* no section headers: nothing can be patched */
	tl_write("nosh.elf", before, n0);
	after = fixture("app-nosh.elf", &n1);
	tl_write("nosh.elf", after, n1);
	assert_int_equal(stimg_elf_patch("nosh.elf", "out.elf", &img, &r, &d),
			 STIMG_ERANGE);
	assert_string_equal(d.msg, "no section headers: cannot tell which file "
			    "bytes hold 0x080088E4");
	/* no ranges: a copy */
	stimg_ranges_release(&r);
	assert_int_equal(stimg_elf_patch("nosh.elf", "out.elf", &img, &r, &d), 0);
	free(after);
	after = (uint8_t *)tl_slurp("out.elf", &n0);
	assert_int_equal(n0, n1);
	free(after);
	free(before);
	stimg_image_release(&img);
}

/* ---- malformed files ---- */

enum { EH, PH, SH };

/* Sets the size-byte little-endian field at off of header index of kind. */
struct edit {
	int kind;
	unsigned index, off, size;
	uint64_t value;
};

struct bad {
	const char *what;
	size_t truncate;	/* 0: keep the length */
	struct edit e[2];
	int err;
	const char *msg;
};

static size_t field(const uint8_t *f, const struct edit *e)
{
	switch (e->kind) {
	case PH:
		return le32(f + 28) + 32 * e->index + e->off;
	case SH:
		return le32(f + 32) + 40 * e->index + e->off;
	default:
		return e->off;
	}
}

/*
 * app.elf's sections: 1 .fw_version, 2 .crc, 3 .isr_vector, 4 .text,
 * 5 .rodata, 6 .data, 7 .bss, 8 .comment, 9 .ARM.attributes, 10 .symtab,
 * 11 .strtab, 12 .shstrtab; segments 0 (.fw_version .crc), 1
 * (.isr_vector .text .rodata), 2 (.data .bss). ELF32 header fields:
 * e_ident[4] class, [5] data, [6] version, 16 e_type, 18 e_machine, 24 e_entry,
 * 28 e_phoff, 32 e_shoff, 42 e_phentsize, 44 e_phnum, 46 e_shentsize,
 * 48 e_shnum, 50 e_shstrndx; program header: 4 p_offset, 12 p_paddr,
 * 16 p_filesz, 20 p_memsz; section header: 0 sh_name, 4 sh_type,
 * 16 sh_offset, 20 sh_size, 36 sh_entsize.
 */
static const struct bad bad_cases[] = {
	{ "shorter than the identification", 10, { { 0 } }, STIMG_EFORMAT,
	  "truncated: 10 bytes, less than the 16-byte ELF identification" },
	{ "shorter than the header", 40, { { 0 } }, STIMG_EFORMAT,
	  "truncated: 40 bytes, less than the 52-byte ELF file header" },
	{ "cut before the section headers", 0x1900, { { 0 } }, STIMG_EFORMAT,
	  "13 section headers at offset 0x239C run past the end of the file "
	  "(6400 bytes)" },
	{ "class 3", 0, { { EH, 0, 4, 1, 3 } }, STIMG_EFORMAT,
	  "ELF class 3 is neither 32-bit (1) nor 64-bit (2)" },
	{ "data encoding 0", 0, { { EH, 0, 5, 1, 0 } }, STIMG_EFORMAT,
	  "ELF data encoding 0 is neither little-endian (1) nor big-endian (2)" },
	{ "ELF version 2", 0, { { EH, 0, 6, 1, 2 } }, STIMG_EFORMAT,
	  "ELF version 2, not 1" },
	{ "an object file", 0, { { EH, 0, 16, 2, 1 } }, STIMG_EFORMAT,
	  "an object file (ET_REL), not a linked image" },
	{ "program header size", 0, { { EH, 0, 42, 2, 16 } }, STIMG_EFORMAT,
	  "program header size is 16 bytes, expected 32" },
	{ "65534 program headers", 0, { { EH, 0, 44, 2, 0xFFFE } }, STIMG_EFORMAT,
	  "65534 program headers at offset 0x34 run past the end of the file "
	  "(9636 bytes)" },
	{ "PN_XNUM program headers", 0, { { EH, 0, 44, 2, 0xFFFF } },
	  STIMG_EFORMAT,
	  "more than 65534 program headers (PN_XNUM): not supported" },
	{ "program headers past the end", 0, { { EH, 0, 28, 4, 0x10000 } },
	  STIMG_EFORMAT, "3 program headers at offset 0x10000 run past the end "
	  "of the file (9636 bytes)" },
	{ "section header size", 0, { { EH, 0, 46, 2, 20 } }, STIMG_EFORMAT,
	  "section header size is 20 bytes, expected 40" },
	{ "65534 section headers", 0, { { EH, 0, 48, 2, 0xFFFE } },
	  STIMG_EFORMAT, "65534 section headers at offset 0x239C run past the "
	  "end of the file (9636 bytes)" },
	{ "section headers past the end", 0, { { EH, 0, 32, 4, 0xFFFFFF00 } },
	  STIMG_EFORMAT, "13 section headers at offset 0xFFFFFF00 run past the "
	  "end of the file (9636 bytes)" },
	{ "name table index", 0, { { EH, 0, 50, 2, 13 } }, STIMG_EFORMAT,
	  "section name table index 13 is not below the number of sections, 13" },
	{ "segment past the end", 0, { { PH, 0, 4, 4, 0x10000 } },
	  STIMG_EFORMAT, "segment 0: its 0xC file bytes at offset 0x10000 run "
	  "past the end of the file (9636 bytes)" },
	{ "segment file size past the end", 0,
	  { { PH, 1, 16, 4, 0x100000 }, { PH, 1, 20, 4, 0x100000 } },
	  STIMG_EFORMAT, "segment 1: its 0x100000 file bytes at offset 0x1800 "
	  "run past the end of the file (9636 bytes)" },
	{ "file size over memory size", 0, { { PH, 1, 20, 4, 4 } },
	  STIMG_EFORMAT,
	  "segment 1: its file size 0xE4 is larger than its memory size 0x4" },
	{ "overlapping segments", 0, { { PH, 1, 12, 4, 0x08008004 } },
	  STIMG_ECONFLICT, "segments 0 and 1 both load 0x08008004..0x0800800B "
	  "with different bytes (first difference at 0x08008004: 0x03 vs 0x00)" },
	{ "section past the end", 0, { { SH, 4, 16, 4, 0xFFFFFF00 } },
	  STIMG_EFORMAT, "section 4 '.text': its 0x4C bytes at offset "
	  "0xFFFFFF00 run past the end of the file (9636 bytes)" },
	{ "section name outside the table", 0, { { SH, 5, 0, 4, 0xFFFF } },
	  STIMG_EFORMAT,
	  "section 5: its name (offset 0xFFFF) is not in the section name table" },
	{ "name table past the end", 0, { { SH, 12, 16, 4, 0xFFFFFF00 } },
	  STIMG_EFORMAT,
	  "the section name table (section 12) is not in the file" },
	{ "section in no segment", 0, { { SH, 5, 16, 4, 0x2100 } },
	  STIMG_EFORMAT, "section 5 '.rodata' (file bytes 0x2100..0x2117) lies "
	  "in no loadable segment" },
	{ "section partly outside its segment", 0, { { SH, 5, 20, 4, 0x100 } },
	  STIMG_EFORMAT, "section 5 '.rodata' (file bytes 0x18CC..0x19CB) lies "
	  "partly outside segment 1 (file bytes 0x1800..0x18E3)" },
	{ "symbol table entry size", 0, { { SH, 10, 36, 4, 8 } },
	  STIMG_EFORMAT, "the symbol table (section 10) is malformed" },
	{ "segment past 4 GiB", 0, { { PH, 1, 12, 4, 0xFFFFFFF0 } },
	  STIMG_ERANGE, "segment 1: its 0xE4 file bytes at load address "
	  "0xFFFFFFF0 lie past the 32-bit address space" },
};

/*
 * Each case: app.elf with the edits, read as bad.elf: the error and its
 * message, which names the file.
 */
static void test_malformed(void **state)
{
	size_t len, i, k, failed = 0;
	uint8_t *good = fixture("app.elf", &len);

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad_cases); i++) {
		const struct bad *c = &bad_cases[i];
		struct stimg_image img = STIMG_IMAGE_INIT;
		struct stimg_diag d;
		uint8_t *f = malloc(len);
		int ret;

		assert_non_null(f);
		memcpy(f, good, len);
		for (k = 0; k < 2 && c->e[k].size; k++) {
			size_t at = field(f, &c->e[k]), b;

			for (b = 0; b < c->e[k].size; b++)
				f[at + b] = (uint8_t)(c->e[k].value >> (8 * b));
		}
		tl_write("bad.elf", f, c->truncate ? c->truncate : len);
		memset(&d, 0, sizeof(d));
		ret = stimg_read(&img, "bad.elf", NULL, STIMG_OVERLAP_ERROR,
				 NULL, &d);
		if (ret != c->err || strcmp(d.file, "bad.elf") ||
		    !c->msg || strcmp(d.msg, c->msg))
			print_error("%s: got %d '%s: %s', expected %d '%s'\n",
				    c->what, ret, d.file, d.msg, c->err,
				    c->msg ? c->msg : "(none given)"), failed++;
		stimg_image_release(&img);
		free(f);
	}
	free(good);
	assert_int_equal(failed, 0);
}

/* Odd but valid files: read, with what they are recorded. */
static void test_unusual(void **state)
{
	size_t len;
	uint8_t *good = fixture("app.elf", &len), *f = malloc(len);
	struct stimg_image img;
	struct stimg_diag d;
	struct tl_warnings w;
	size_t ph = le32(good + 28), sh = le32(good + 32);

	(void)state;
	assert_non_null(f);

	/* a shared object with no PT_LOAD, for x86-64: nothing to load */
	memcpy(f, good, len);
	f[16] = 3;
	f[18] = 62;
	f[ph] = f[ph + 32] = f[ph + 64] = 0;	/* PT_NULL */
	tl_write("dyn.elf", f, len);
	stimg_image_init(&img);
	tl_diag_capture(&d, &w);
	assert_int_equal(stimg_read(&img, "dyn.elf", NULL, STIMG_OVERLAP_ERROR,
				    NULL, &d), 0);
	assert_int_equal(stimg_image_nregions(&img), 0);
	assert_int_equal(elf_of(&img)->type, 3);
	assert_int_equal(elf_of(&img)->machine, 62);
	assert_int_equal(elf_of(&img)->nload, 0);
	assert_string_equal(stimg_elf_type_name(3), "DYN");
	assert_string_equal(stimg_elf_machine_name(62), "x86-64");
	assert_null(stimg_elf_machine_name(9999));
	stimg_image_release(&img);

	/* e_shoff 0: no section headers, whatever e_shnum says */
	memcpy(f, good, len);
	memset(f + 32, 0, 4);
	tl_write("nosh.elf", f, len);
	stimg_image_init(&img);
	tl_diag_capture(&d, &w);
	assert_int_equal(stimg_read(&img, "nosh.elf", NULL, STIMG_OVERLAP_ERROR,
				    NULL, &d), 0);
	assert_int_equal(w.n, 1);
	assert_string_equal(tl_segs(&img), "[0x08008000,0x0800800C) "
					   "[0x08008800,0x080088F8)");
	stimg_image_release(&img);

	/*
	 * Segment 1 four bytes longer: those bytes follow .rodata (zeros in
	 * the file), and e_entry 0: no entry point.
	 */
	memcpy(f, good, len);
	f[ph + 32 + 16] += 4;
	f[ph + 32 + 20] += 4;
	memset(f + 24, 0, 4);
	tl_write("tail.elf", f, len);
	stimg_image_init(&img);
	tl_diag_capture(&d, &w);
	assert_int_equal(stimg_read(&img, "tail.elf", NULL, STIMG_OVERLAP_ERROR,
				    NULL, &d), 0);
	assert_int_equal(tl_entry(&img), -1);
	assert_int_equal(stimg_image_ndropped(&img), 1);
	assert_int_equal(drop(&img, 0)->start, 0x080088E4);
	assert_int_equal(drop(&img, 0)->end, 0x080088E8);
	assert_string_equal(drop(&img, 0)->why, "padding after the last section "
			    "of segment 1");
	stimg_image_release(&img);

	/* .data made NOBITS: segment 2 holds no section; its bytes go */
	memcpy(f, good, len);
	f[sh + 6 * 40 + 4] = 8;	/* SHT_NOBITS */
	tl_write("nodata.elf", f, len);
	stimg_image_init(&img);
	tl_diag_capture(&d, &w);
	assert_int_equal(stimg_read(&img, "nodata.elf", NULL,
				    STIMG_OVERLAP_ERROR, NULL, &d), 0);
	assert_int_equal(stimg_image_ndropped(&img), 1);
	assert_int_equal(drop(&img, 0)->start, 0x080088E4);
	assert_int_equal(drop(&img, 0)->end, 0x080088F8);
	assert_string_equal(drop(&img, 0)->why, "other bytes of segment "
			    "2, which holds no section");
	assert_string_equal(tl_segs(&img), "[0x08008000,0x0800800C) "
					   "[0x08008800,0x080088E4)");
	stimg_image_release(&img);

	/*
	 * Nothing in the file, nothing checked against its end (issue 10,
	 * defect 13): segment 2 with no file bytes at an offset past the end
	 * (.data made NOBITS), and .rodata with no bytes at one.
	 */
	memcpy(f, good, len);
	f[sh + 6 * 40 + 4] = 8;	/* .data SHT_NOBITS */
	memset(f + ph + 64 + 4, 0xFF, 3);	/* p_offset 0x00FFFFFF */
	memset(f + ph + 64 + 16, 0, 4);	/* p_filesz 0 */
	memset(f + sh + 5 * 40 + 16, 0xFF, 4);	/* .rodata offset */
	memset(f + sh + 5 * 40 + 20, 0, 4);	/* .rodata size 0 */
	tl_write("empty.elf", f, len);
	stimg_image_init(&img);
	tl_diag_capture(&d, &w);
	assert_int_equal(stimg_read(&img, "empty.elf", NULL,
				    STIMG_OVERLAP_ERROR, NULL, &d), 0);
	assert_string_equal(tl_segs(&img), "[0x08008000,0x0800800C) "
					   "[0x08008800,0x080088CC)");
	/* what was .rodata's goes, as bytes after the last section */
	assert_int_equal(stimg_image_ndropped(&img), 1);
	assert_int_equal(drop(&img, 0)->start, 0x080088CC);
	assert_int_equal(drop(&img, 0)->end, 0x080088E4);
	stimg_image_release(&img);

	/* -I elf on a file that is not: an error, not a guess */
	tl_write_text("x.hex", ":00000001FF\n");
	stimg_image_init(&img);
	memset(&d, 0, sizeof(d));
	assert_int_equal(stimg_read(&img, "x.hex", "elf", STIMG_OVERLAP_ERROR,
				    NULL, &d), STIMG_EFORMAT);
	assert_string_equal(d.msg, "not an ELF file (no \\x7fELF at its start)");
	stimg_image_release(&img);
	free(f);
	free(good);
}

/*
 * ELF out: app.elf's load image written as an ELF of its own reads back
 * the same, entry point included; so do odd addresses and an empty image.
 */
static void test_writer(void **state)
{
	struct stimg_image img, back = STIMG_IMAGE_INIT;
	struct stimg_write_opts o = tl_write_opts("elf");
	struct stimg_diag d;
	struct tl_warnings w;
	size_t len;
	uint8_t *buf;

	(void)state;
	assert_ptr_equal(stimg_format_by_name("elf"), tl_format("elf"));
	assert_ptr_equal(stimg_format_by_extension("app.axf"), tl_format("elf"));
	assert_ptr_equal(stimg_format_detect((const uint8_t *)"\x7f" "ELF", 4),
			 tl_format("elf"));
	assert_null(stimg_format_detect((const uint8_t *)"\x7f" "EL", 3));
	assert_int_equal(read_fixture(&img, "app.elf", &d, &w), STIMG_OK);
	assert_int_equal(stimg_write(&img, "x.elf", &o, &d), STIMG_OK);
	assert_int_equal(stimg_read(&back, "x.elf", NULL, STIMG_OVERLAP_ERROR,
				    NULL, &d), STIMG_OK);
	tl_assert_same_data(&img, &back);
	assert_int_equal(tl_entry(&back), tl_entry(&img));
	/* the regions as sections, nothing before them dropped */
	assert_int_equal(count(&back, STIMG_PLACE_SECTION),
			 stimg_image_nregions(&img));
	assert_int_equal(stimg_image_ndropped(&back), 0);
	stimg_image_release(&img);
	stimg_image_release(&back);

	/* 3 bytes at an odd address: the data at an offset congruent mod 4 */
	assert_int_equal(tl_put(&img, 0x20000003, "abc", 3, 0, 0,
				STIMG_OVERLAP_ERROR, &d), STIMG_OK);
	assert_int_equal(stimg_write(&img, "odd.elf", &o, &d), STIMG_OK);
	buf = (uint8_t *)tl_slurp("odd.elf", &len);
	assert_int_equal(le32(buf + 52 + 4) % 4, 3);		/* p_offset */
	assert_int_equal(le32(buf + 52 + 8), 0x20000003);	/* p_vaddr */
	assert_int_equal(le32(buf + 24), 0);			/* e_entry */
	free(buf);
	assert_int_equal(stimg_read(&back, "odd.elf", NULL, STIMG_OVERLAP_ERROR,
				    NULL, &d), STIMG_OK);
	tl_assert_same_data(&img, &back);
	assert_int_equal(tl_entry(&back), -1);
	stimg_image_release(&img);
	stimg_image_release(&back);

	/* empty: headers and the name table only */
	assert_int_equal(stimg_write(&img, "empty.elf", &o, &d), STIMG_OK);
	assert_int_equal(stimg_read(&back, "empty.elf", NULL,
				    STIMG_OVERLAP_ERROR, NULL, &d), STIMG_OK);
	assert_int_equal(stimg_image_bytes(&back), 0);
	stimg_image_release(&back);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_app),
		cmocka_unit_test(test_maxpage),
		cmocka_unit_test(test_keil),
		cmocka_unit_test(test_no_sections),
		cmocka_unit_test(test_locate),
		cmocka_unit_test(test_locate_ambiguous),
		cmocka_unit_test(test_strip),
		cmocka_unit_test(test_patch),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_unusual),
		cmocka_unit_test(test_writer),
	};

	return cmocka_run_group_tests(tests, setup, tl_teardown_dir);
}
