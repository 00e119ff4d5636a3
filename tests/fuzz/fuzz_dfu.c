/*
 * The DfuSe reader on any bytes: an error or an image that keeps its
 * invariants, never a crash, a hang or a read past the input, whatever
 * the sizes and counts in the file say. The overlap policy comes from the
 * input's size, with warnings received.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_diag d;

	fuzz_diag(&d);
	if (!stimg_read_mem(&img, "fuzz.dfu", data, size, "dfu",
			    fuzz_policy(size), NULL, &d))
		fuzz_check_image(&img);
	stimg_image_release(&img);
	return 0;
}
