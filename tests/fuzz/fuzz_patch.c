/*
 * ELF in, header fields patched, ELF out, read back: for any ELF the
 * reader takes, the patch of a version, a size and a CRC (stm32) into its
 * first sections either fails with an error or gives a file whose ELF
 * header is unchanged, that reads back, and whose stored CRC is the one
 * verify computes.
 */
#include "fuzz.h"
#include "stimg/elf.h"
#include "stimg/patch.h"

/* "0xADDR+N" of the i-th loaded section of at least n bytes, in buf. */
static int section_loc(const struct stimg_image *img, size_t n, size_t skip,
		       char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < stimg_image_nplaces(img); i++) {
		const struct stimg_place *p = stimg_image_place(img, i);

		if (p->kind != STIMG_PLACE_SECTION || !p->loads || p->size < n ||
		    p->addr + n > STIMG_ADDR_END)
			continue;
		if (skip--)
			continue;
		snprintf(buf, len, "0x%llX+%zu", (unsigned long long)p->addr, n);
		return 1;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct stimg_image img = STIMG_IMAGE_INIT, back = STIMG_IMAGE_INIT;
	struct stimg_patch_result r = STIMG_PATCH_RESULT_INIT;
	struct stimg_patch_result c = STIMG_PATCH_RESULT_INIT;
	struct stimg_crc_model m;
	struct stimg_patch p;
	struct stimg_diag d;
	char version_at[40], crc_at[40], size_at[40];
	uint8_t *elf = NULL;

	fuzz_diag(&d);
	if (size < 64 || stimg_read_mem(&img, "fuzz.elf", data, size, "elf",
					STIMG_OVERLAP_ERROR, NULL, &d))
		goto out;
	if (!section_loc(&img, 8, 0, version_at, sizeof(version_at)) ||
	    !section_loc(&img, 4, 1, crc_at, sizeof(crc_at)) ||
	    !section_loc(&img, 4, 2, size_at, sizeof(size_at)))
		goto out;
	FUZZ_CHECK(!stimg_crc_parse("stm32", &m, NULL));
	stimg_patch_init(&p);
	p.version = "1.2.3.4";
	p.version_at = version_at;
	p.crc = &m;
	p.crc_at = crc_at;
	p.size_at = size_at;
	p.force = size & 1;
	if (stimg_patch_apply(&img, &p, &r, &d))
		goto out;
	fuzz_check_image(&img);
	elf = malloc(size);
	if (!elf)
		goto out;
	memcpy(elf, data, size);
	if (stimg_elf_patch_buffer(elf, size, "fuzz.elf", &img, &r.fields, &d))
		goto out;
	/* the ELF header is never a field's */
	FUZZ_CHECK(!memcmp(elf, data, data[4] == 2 ? 64 : 52));
	FUZZ_CHECK(!stimg_read_mem(&back, "back.elf", elf, size, "elf",
				   STIMG_OVERLAP_ERROR, NULL, &d));
	/* verify of the output: the stored CRC is the CRC of its range */
	FUZZ_CHECK(!stimg_patch_check(&back, &p, &c, &d));
	FUZZ_CHECK(c.crc == c.stored);
out:
	stimg_patch_result_release(&c);
	stimg_patch_result_release(&r);
	stimg_image_release(&back);
	stimg_image_release(&img);
	free(elf);
	return 0;
}
