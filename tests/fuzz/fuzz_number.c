/*
 * The number and range parsers (every ADDR, N and RANGE of the options):
 * any text is a value within the limit, a range inside the 32-bit space
 * with START below END, or an error. A plain decimal or 0x number agrees
 * with strtoull.
 */
#include <errno.h>

#include "fuzz.h"
#include "stimg/range.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	struct stimg_range r;
	uint64_t v, max = size ? data[0] * (UINT64_C(1) << 24) : 0;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (!stimg_parse_number(s, UINT64_MAX, &v) && strlen(s) == size) {
		char *end;
		unsigned long long w;
		int base = s[0] == '0' && (s[1] == 'x' || s[1] == 'X') ? 16 : 10;

		errno = 0;
		w = strtoull(s, &end, base);
		if (!*end)
			FUZZ_CHECK(!errno && w == v);
	}
	if (!stimg_parse_number(s, max, &v))
		FUZZ_CHECK(v <= max);
	if (!stimg_parse_range(s, &r))
		FUZZ_CHECK(r.start < r.end && r.end <= STIMG_ADDR_END);
	free(s);
	return 0;
}
