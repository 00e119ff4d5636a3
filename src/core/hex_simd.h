/*
 * SIMD kernels for the text formats (hex_simd.c): the common Intel HEX and
 * S-record data records decoded straight from the input buffer, and bytes
 * written as hex digits, with a scalar version of each. Not installed.
 *
 * The decoders take only what they can check completely and leave
 * everything else, and every error, to the exact readers (src/fmt), which
 * give the messages with line and column: a reader calls one at a line
 * start, puts the records it returns (one per line; record i is line
 * lineno + i), then reads the line where it stopped itself and calls it
 * again after that line.
 *
 *	struct stimg__hexrec rec[256];
 *	struct stimg__hexrun run = { .data = buf, .data_cap = sizeof(buf),
 *				     .rec = rec, .rec_cap = 256 };
 *	const struct stimg__hex *k = stimg__hex();
 *	size_t used = k->ihex(p, n, &run);
 *
 * Each call reads STIMG_SIMD (see simd.h) once, through stimg__hex();
 * take the kernels once per file, not per line.
 */
#ifndef STIMG_HEX_SIMD_H
#define STIMG_HEX_SIMD_H

#include <stddef.h>
#include <stdint.h>

#pragma GCC visibility push(hidden)

/* One data record: its bytes follow the earlier records' in run->data. */
struct stimg__hexrec {
	uint32_t addr;	/* Intel HEX: the 16-bit offset, S-record: the
			 * address (16, 24 or 32 bits by type) */
	uint32_t len;	/* 1..255 data bytes */
};

/* Kernels write up to this many bytes past the data they return. */
#define STIMG__HEX_SLACK 16

/*
 * The caller sets data, data_cap, rec and rec_cap; a decoder sets nrec and
 * ndata, from zero: record i's bytes are data[at .. at + rec[i].len), at
 * the sum of the lengths before it. A decoder stops before a record that
 * does not fit in rec, or whose bytes would not fit in data_cap with
 * STIMG__HEX_SLACK bytes to spare (so 255 + STIMG__HEX_SLACK bytes always
 * take a record).
 */
struct stimg__hexrun {
	uint8_t *data;
	size_t data_cap;
	struct stimg__hexrec *rec;
	size_t rec_cap;
	size_t nrec, ndata;
};

struct stimg__hex {
	int level;		/* the SIMD_* level it uses */
	const char *name;	/* "scalar", "ssse3", "avx2", "avx512", "neon" */

	/*
	 * Intel HEX: from p, a line start, decodes the lines of p[0..n) that
	 * are data records of the common form ":LLAAAA00", 2 * LL digits of
	 * data and the checksum, LL >= 1, every digit a hex digit (either
	 * case), the checksum right, and the line ending in "\n" or "\r\n"
	 * inside p[0..n): no blanks, nothing else. Stops before the first
	 * line that is not one. Returns the bytes consumed: whole lines and
	 * their line ends, one record per line.
	 */
	size_t (*ihex)(const uint8_t *p, size_t n, struct stimg__hexrun *r);

	/*
	 * S-record: the same for S1, S2 and S3 records ("S1" + count, a 2-,
	 * 3- or 4-byte address, at least one data byte, the checksum).
	 */
	size_t (*srec)(const uint8_t *p, size_t n, struct stimg__hexrun *r);

	/*
	 * Writes the n bytes at src as 2 * n upper-case hex digits at dst
	 * (no NUL); returns the sum of the bytes (modulo 2^32), which both
	 * formats' checksums start from.
	 */
	unsigned (*encode)(char *dst, const uint8_t *src, size_t n);
};

/*
 * The kernels of the best level this CPU has under the STIMG_SIMD cap:
 * AVX2 or SSSE3 on x86-64, NEON on AArch64, else scalar. Static data.
 */
const struct stimg__hex *stimg__hex(void);

#pragma GCC visibility pop

#endif
