/*
 * elfpatch: the library's in-place ELF patcher (stimg_elf_patch) on the
 * command line, for the CLI tests, until a command of stimg does it:
 *
 *   elfpatch IN OUT LOC=HEX...
 *
 * puts the bytes HEX (two digits a byte) at each LOC of IN's image and
 * writes IN with them to OUT (which may be IN). LOC is an address, a
 * section (.crc) or a symbol (versionInfo), as stimg_image_locate takes
 * them; bytes past a section's or symbol's size are an error.
 * Exit status: 0 written, 1 refused (the message on stderr), 2 usage.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stimg/elf.h"
#include "stimg/place.h"
#include "stimg/format.h"

static int fail(const struct stimg_diag *d, int err)
{
	fprintf(stderr, "elfpatch: error: %s%s%s\n", d->file,
		d->file[0] ? ": " : "", d->msg[0] ? d->msg : stimg_strerror(err));
	return 1;
}

/* The bytes of hex into out (at most cap); the count, or -1. */
static long parse_hex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = strlen(hex), i;

	if (n % 2 || n / 2 > cap)
		return -1;
	for (i = 0; i < n / 2; i++) {
		unsigned v;

		if (sscanf(hex + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (uint8_t)v;
	}
	return (long)(n / 2);
}

int main(int argc, char **argv)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_ranges ranges = STIMG_RANGES_INIT;
	struct stimg_diag d;
	uint8_t bytes[256];
	int i, err, ret = 0;

	if (argc < 4) {
		fprintf(stderr, "usage: elfpatch IN OUT LOC=HEX...\n");
		return 2;
	}
	memset(&d, 0, sizeof(d));
	err = stimg_read(&img, argv[1], "elf", STIMG_OVERLAP_ERROR, NULL, &d);
	for (i = 3; i < argc && !err; i++) {
		char *eq = strchr(argv[i], '=');
		struct stimg_range r;
		long n;

		if (!eq) {
			fprintf(stderr, "elfpatch: '%s' is not LOC=HEX\n", argv[i]);
			ret = 2;
			goto out;
		}
		*eq = '\0';
		n = parse_hex(eq + 1, bytes, sizeof(bytes));
		if (n < 0) {
			fprintf(stderr, "elfpatch: '%s' is not hex\n", eq + 1);
			ret = 2;
			goto out;
		}
		err = stimg_image_locate(&img, argv[i], &r, &d);
		if (!err && r.end > r.start && (uint64_t)n > r.end - r.start) {
			fprintf(stderr, "elfpatch: %ld bytes do not fit '%s' "
				"(%" PRIu64 " bytes)\n", n, argv[i],
				r.end - r.start);
			ret = 1;
			goto out;
		}
		if (!err)
			err = stimg_image_put(&img, r.start, bytes, (size_t)n, 0,
					      0, STIMG_OVERLAP_LAST, &d);
		if (!err)
			err = stimg_ranges_add(&ranges, r.start, r.start + n);
	}
	if (!err)
		err = stimg_elf_patch(argv[1], argv[2], &img, &ranges, &d);
	if (err)
		ret = fail(&d, err);
out:
	stimg_ranges_release(&ranges);
	stimg_image_release(&img);
	return ret;
}
