/*
 * Read, write, read: any input that reads (ELF, Intel HEX or S-record, as
 * detected) and is written as Intel HEX and as S-record, with a record
 * size from the input's size, reads back as the same image and the same
 * entry point.
 */
#include "fuzz.h"

/* Writes img in format name into memory and reads it back into back. */
static void round_trip(const struct stimg_image *img, const char *name,
		       unsigned record_size)
{
	const struct stimg_format *fmt = stimg_format_by_name(name);
	struct stimg_image back = STIMG_IMAGE_INIT;
	struct stimg_write_opts o;
	struct stimg_diag d;
	char *text = NULL, size[16];
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int ret;

	if (!f)
		return;
	fuzz_diag(&d);
	stimg_write_opts_init(&o, fmt);
	snprintf(size, sizeof(size), "%u", record_size);
	FUZZ_CHECK(!stimg_write_opts_set(&o, "record-size", size, &d));
	ret = fmt->write(img, f, o.opts.bytes, &d);
	FUZZ_CHECK(!fclose(f));
	if (!ret) {
		FUZZ_CHECK(!stimg_read_mem(&back, "back", (const uint8_t *)text,
					   len, name, STIMG_OVERLAP_ERROR, NULL,
					   &d));
		FUZZ_CHECK(fuzz_same_data(img, &back));
		FUZZ_CHECK(fuzz_entry(&back) == fuzz_entry(img));
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
		fuzz_check_image(&img);
		round_trip(&img, "ihex", 1 + size % 255);
		round_trip(&img, "srec", 1 + size % 255);
	}
	stimg_image_release(&img);
	return 0;
}
