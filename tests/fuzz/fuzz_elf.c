/*
 * The ELF reader on any bytes, from memory: an error or an image that
 * keeps its invariants, never a crash or an allocation sized by a field.
 * On success, what info, strip and patch ask of it: the vector table,
 * the header sections, the lowest section, strip to it.
 */
#include "fuzz.h"
#include "stimg/cortexm.h"
#include "stimg/place.h"
#include "stimg/transform.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_vectors v;
	struct stimg_range r;
	struct stimg_diag d;
	uint64_t lowest;

	fuzz_diag(&d);
	if (stimg_read_mem(&img, "fuzz.elf", data, size, "elf",
			   fuzz_policy(size), NULL, &d))
		goto out;
	fuzz_check_image(&img);
	stimg_image_vectors(&img, &v);
	if (!stimg_image_locate(&img, ".crc", &r, &d))
		FUZZ_CHECK(r.start <= r.end && r.end <= STIMG_ADDR_END);
	if (!stimg_image_locate(&img, "main", &r, &d))
		FUZZ_CHECK(r.start <= r.end && r.end <= STIMG_ADDR_END);
	if (stimg_image_lowest_section(&img, &lowest) && lowest < STIMG_ADDR_END &&
	    !stimg_image_strip(&img, lowest, STIMG_ADDR_END, &d)) {
		fuzz_check_image(&img);
		FUZZ_CHECK(!stimg_image_bytes(&img) ||
			   stimg_image_span(&img).start >= lowest);
	}
out:
	stimg_image_release(&img);
	return 0;
}
