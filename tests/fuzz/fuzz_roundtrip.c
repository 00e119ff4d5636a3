/*
 * Read, write, read: any input that reads (as detected) and is written as
 * Intel HEX and as S-record, with a record size from the input's size, as
 * DfuSe and as ELF, reads back as the same image and the same entry
 * point (DfuSe has none; ELF's e_entry 0 means none).
 */
#include "fuzz.h"

/*
 * Writes img in format name (with option opt set to value, unless opt is
 * NULL) into memory and reads it back into back.
 */
static void round_trip(const struct stimg_image *img, const char *name,
		       const char *opt, const char *value)
{
	const struct stimg_format *fmt = stimg_format_by_name(name);
	struct stimg_image back = STIMG_IMAGE_INIT;
	struct stimg_write_opts o;
	struct stimg_diag d;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int ret;

	if (!f)
		return;
	fuzz_diag(&d);
	stimg_write_opts_init(&o, fmt);
	FUZZ_CHECK(!opt || !stimg_write_opts_set(&o, opt, value, &d));
	ret = fmt->write(img, f, o.opts.bytes, &d);
	FUZZ_CHECK(!fclose(f));
	if (!ret) {
		int64_t entry = fuzz_entry(img);

		/* DfuSe has no entry point; ELF's e_entry 0 is none */
		if (!strcmp(name, "dfu") || (!strcmp(name, "elf") && !entry))
			entry = -1;
		FUZZ_CHECK(!stimg_read_mem(&back, "back", (const uint8_t *)text,
					   len, name, STIMG_OVERLAP_ERROR, NULL,
					   &d));
		FUZZ_CHECK(fuzz_same_data(img, &back));
		FUZZ_CHECK(fuzz_entry(&back) == entry);
	}
	stimg_image_release(&back);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_diag d;

	fuzz_diag(&d);
	if (!stimg_read_mem(&img, "fuzz", data, size, NULL, fuzz_policy(size),
			    NULL, &d)) {
		char n[16];

		snprintf(n, sizeof(n), "%zu", 1 + size % 255);
		fuzz_check_image(&img);
		round_trip(&img, "ihex", "record-size", n);
		round_trip(&img, "srec", "record-size", n);
		round_trip(&img, "dfu", NULL, NULL);
		round_trip(&img, "elf", NULL, NULL);
	}
	stimg_image_release(&img);
	return 0;
}
