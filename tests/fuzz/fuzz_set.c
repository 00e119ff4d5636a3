/*
 * The --set value parser, LOC=TYPE:VALUE, applied to an image with data,
 * holes, erased bytes, a section and symbols (one whose st_size claims far
 * more than its section holds): an error, or the field written inside the
 * 32-bit space over what it may replace, never more than 64 KiB of it.
 *
 *   0x1000 [FF x 64: .crc, serial]   0x2000 [code x 16: .text]
 */
#include "fuzz.h"
#include "stimg/patch.h"

static void place(struct stimg_image *img, enum stimg_place_kind kind,
		  const char *name, uint32_t index, uint32_t parent,
		  uint64_t addr, uint64_t size)
{
	struct stimg_place p;

	memset(&p, 0, sizeof(p));
	p.kind = kind;
	p.name = (char *)name;
	p.index = index;
	p.parent = parent;
	p.addr = p.vaddr = addr;
	p.size = p.memsize = size;
	p.loads = true;
	FUZZ_CHECK(!stimg_image_add_place(img, &p));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_patch_result r = STIMG_PATCH_RESULT_INIT;
	struct stimg_patch p;
	struct stimg_diag d;
	uint8_t ff[64], code[16];
	char *s = malloc(size + 1);
	const char *sets[1];
	uint32_t src;
	size_t i;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	memset(ff, 0xFF, sizeof(ff));
	for (i = 0; i < sizeof(code); i++)
		code[i] = (uint8_t)(0x10 + i);
	fuzz_diag(&d);
	FUZZ_CHECK(!stimg_image_add_source(&img, "fuzz", NULL, NULL, &src));
	FUZZ_CHECK(!stimg_image_put(&img, 0x1000, ff, sizeof(ff), src, 0,
				    STIMG_OVERLAP_ERROR, &d));
	FUZZ_CHECK(!stimg_image_put(&img, 0x2000, code, sizeof(code), src, 0,
				    STIMG_OVERLAP_ERROR, &d));
	place(&img, STIMG_PLACE_SECTION, ".crc", 1, UINT32_MAX, 0x1000, 64);
	place(&img, STIMG_PLACE_SECTION, ".text", 2, UINT32_MAX, 0x2000, 16);
	place(&img, STIMG_PLACE_SYMBOL, "serial", 1, 1, 0x1004, 4);
	place(&img, STIMG_PLACE_SYMBOL, "big", 2, 2, 0x2008, 0xF0000000);
	stimg_patch_init(&p);
	sets[0] = s;
	p.sets = sets;
	p.nsets = 1;
	p.force = size & 1;
	if (!stimg_patch_apply(&img, &p, &r, &d)) {
		uint64_t n = 0;

		fuzz_check_image(&img);
		for (i = 0; i < r.fields.n; i++) {
			FUZZ_CHECK(r.fields.v[i].end <= STIMG_ADDR_END);
			n += r.fields.v[i].end - r.fields.v[i].start;
		}
		FUZZ_CHECK(n <= 65536);
		/* without force, and unless the LOC named it, the code
		   stays (a value equal to it may be written) */
		if (!p.force && !strstr(s, ".text") && !strstr(s, "big")) {
			uint8_t now[sizeof(code)];

			FUZZ_CHECK(stimg_image_get(&img, 0x2000, now, sizeof(now)));
			FUZZ_CHECK(!memcmp(now, code, sizeof(code)));
		}
	}
	stimg_patch_result_release(&r);
	stimg_image_release(&img);
	free(s);
	return 0;
}
