/* Hex digits: the tables and the checked decoder the text formats share. */
#include <stdint.h>
#include <string.h>

#include "core/hex.h"

/*
 * Two hex digits to their byte value, xor 0x100, or 0 when either is not
 * a hex digit: one load per byte where hex_value needs two and a shift.
 * Stored xor 0x100 so that every pair that is not two digits is the
 * default zero and only the 22 x 22 that are need writing.
 */
#define HP(hi, lo) (0x100 ^ ((hi) << 4 | (lo)))
#define HEX_ROW(v) { \
	['0'] = HP(v, 0), ['1'] = HP(v, 1), ['2'] = HP(v, 2), \
	['3'] = HP(v, 3), ['4'] = HP(v, 4), ['5'] = HP(v, 5), \
	['6'] = HP(v, 6), ['7'] = HP(v, 7), ['8'] = HP(v, 8), \
	['9'] = HP(v, 9), ['A'] = HP(v, 10), ['B'] = HP(v, 11), \
	['C'] = HP(v, 12), ['D'] = HP(v, 13), ['E'] = HP(v, 14), \
	['F'] = HP(v, 15), ['a'] = HP(v, 10), ['b'] = HP(v, 11), \
	['c'] = HP(v, 12), ['d'] = HP(v, 13), ['e'] = HP(v, 14), \
	['f'] = HP(v, 15) }
static const uint16_t hex_pairs[256][256] = {
	['0'] = HEX_ROW(0), ['1'] = HEX_ROW(1), ['2'] = HEX_ROW(2),
	['3'] = HEX_ROW(3), ['4'] = HEX_ROW(4), ['5'] = HEX_ROW(5),
	['6'] = HEX_ROW(6), ['7'] = HEX_ROW(7), ['8'] = HEX_ROW(8),
	['9'] = HEX_ROW(9), ['A'] = HEX_ROW(10), ['B'] = HEX_ROW(11),
	['C'] = HEX_ROW(12), ['D'] = HEX_ROW(13), ['E'] = HEX_ROW(14),
	['F'] = HEX_ROW(15), ['a'] = HEX_ROW(10), ['b'] = HEX_ROW(11),
	['c'] = HEX_ROW(12), ['d'] = HEX_ROW(13), ['e'] = HEX_ROW(14),
	['f'] = HEX_ROW(15),
};

int hex_decode(const char *name, unsigned long lineno, const uint8_t *p,
	       size_t n, size_t col, uint8_t *out, unsigned *sum,
	       struct stimg_diag *d)
{
	const uint8_t *q = p, *end = p + (n & ~(size_t)1);
	unsigned bad = 0, total = 0;
	size_t i;

	/* no branch per byte: a bad digit shows in bad afterwards */
	for (; q < end; q += 2) {
		unsigned v = hex_pairs[q[0]][q[1]] ^ 0x100;

		bad |= v;
		total += v;
		*out++ = (uint8_t)v;
	}
	*sum += total;
	if (!(bad & 0x100))
		return STIMG_OK;
	for (i = 0; hex_value[p[i]] >= 0; i++)
		;
	return diag_set(d, name, lineno, STIMG_EFORMAT,
			"invalid character '%c' in column %zu",
			printable(p[i]), col + i);
}

const char hex_digits[16] = "0123456789ABCDEF";

#define H16(x) x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x
const int8_t hex_value[256] = {
	H16(-1), H16(-1), H16(-1),
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, -1, -1, -1, -1, -1, -1,
	-1, 10, 11, 12, 13, 14, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	H16(-1),
	-1, 10, 11, 12, 13, 14, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	H16(-1),
	H16(-1), H16(-1), H16(-1), H16(-1), H16(-1), H16(-1), H16(-1), H16(-1),
};
