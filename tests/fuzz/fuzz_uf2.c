/*
 * The UF2 reader on any bytes: an error or an image that keeps its
 * invariants, never a crash, a hang or a read past the input. Every
 * other input picks a family (-I uf2:stm32f4), so that both the first
 * family and a chosen one are taken; the overlap policy comes from the
 * input's size, with warnings and notes received.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_diag d;

	fuzz_diag(&d);
	if (!stimg_read_mem(&img, "fuzz.uf2", data, size,
			    size % 2 ? "uf2:stm32f4" : "uf2", fuzz_policy(size),
			    NULL, &d))
		fuzz_check_image(&img);
	stimg_image_release(&img);
	return 0;
}
