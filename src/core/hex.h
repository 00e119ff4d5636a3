/* Hex digits in text records: decoding with a checked digit, encoding. */
#ifndef STIMG_HEX_H
#define STIMG_HEX_H

#include "core/core.h"

#define hex_value stimg__hex_value
#define hex_digits stimg__hex_digits
#define hex_decode stimg__hex_decode

/* Value of a hex digit, or -1; hex_pair: two digits, or -1. */
extern const int8_t hex_value[256];
static inline int hex_pair(const uint8_t *p)
{
	int hi = hex_value[p[0]], lo = hex_value[p[1]];

	return (hi | lo) < 0 ? -1 : hi << 4 | lo;
}

/*
 * Decodes the n (even) hex digits at p into bytes at out and adds their sum
 * to *sum. A bad digit is STIMG_EFORMAT "invalid character 'g' in column N",
 * col being the column of p[0] in the line as written.
 */
int hex_decode(const char *name, unsigned long lineno, const uint8_t *p,
	       size_t n, size_t col, uint8_t *out, unsigned *sum,
	       struct stimg_diag *d);

/* Upper-case hex digits of byte b into p[0], p[1]. */
extern const char hex_digits[16];
static inline void hex_put(char *p, uint8_t b)
{
	p[0] = hex_digits[b >> 4];
	p[1] = hex_digits[b & 15];
}

/* c itself when printable ASCII, else '?': for quoting input in messages. */
static inline char printable(uint8_t c)
{
	return c >= 0x20 && c < 0x7F ? (char)c : '?';
}

#endif
