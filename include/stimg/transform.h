/*
 * The convert/merge engine: read several inputs into one image, then crop,
 * exclude, offset and fill it, in that order.
 */
#ifndef STIMG_TRANSFORM_H
#define STIMG_TRANSFORM_H

#include "stimg/format.h"

/* Which input's entry point the merged image keeps. */
enum stimg_entry {
	STIMG_ENTRY_FIRST,	/* the first input that has one (default) */
	STIMG_ENTRY_LAST,	/* the last input that has one */
	STIMG_ENTRY_NONE,	/* none */
	STIMG_ENTRY_ADDR,	/* the address in stimg_transform.entry */
};

struct stimg_transform {
	struct stimg_ranges crop;	/* keep only these, when has_crop */
	bool has_crop;
	struct stimg_ranges exclude;	/* then drop these */
	int64_t offset;			/* then move everything by this */
	bool fill;			/* then fill holes with fill_byte */
	uint8_t fill_byte;
	struct stimg_range fill_range;	/* within this, or the span */
	bool has_fill_range;
	enum stimg_entry entry;
	uint32_t entry_addr;
};

/* An empty transform: keep everything, entry point of the first input. */
void stimg_transform_init(struct stimg_transform *t);
void stimg_transform_release(struct stimg_transform *t);

/*
 * Reads every input (see stimg_read) into img under the overlap policy and
 * picks the entry point by t->entry. Inputs whose entry points differ from
 * the one kept get a note through d's warning callback.
 */
int stimg_read_inputs(struct stimg_image *img, char *const *specs, size_t n,
		      const char *format, enum stimg_overlap overlap,
		      const struct stimg_transform *t, struct stimg_diag *d);

/* Keeps only the bytes whose addresses are in keep. */
int stimg_image_crop(struct stimg_image *img, const struct stimg_ranges *keep);

/* Drops the bytes whose addresses are in drop. */
int stimg_image_exclude(struct stimg_image *img,
			const struct stimg_ranges *drop);

/*
 * Moves every byte (and the entry point) by delta; a byte that would land
 * below 0 or at or above 4 GiB is STIMG_ERANGE.
 */
int stimg_image_offset(struct stimg_image *img, int64_t delta,
		       struct stimg_diag *d);

/*
 * Drops every byte below origin and at or above end. Each dropped region
 * is recorded (stimg_image_add_dropped, the source of its first byte) with
 * the reason, and one holding bytes other than 0x00 and 0xFF (not erased
 * flash, not padding) is reported through d's warning callback.
 * origin must be below end (else STIMG_EINVAL); end may be STIMG_ADDR_END.
 */
int stimg_image_strip(struct stimg_image *img, uint64_t origin, uint64_t end,
		      struct stimg_diag *d);

/* What stimg_convert_stream wrote: the data's span, bytes and regions. */
struct stimg_stream_result {
	uint64_t start, end, bytes;
	size_t regions;
};

/*
 * Reads the inputs and writes output in w's format as stimg_read_inputs,
 * stimg_transform_apply and stimg_write would, but without an image: each
 * record is written as it is read. Only when the format has a stream
 * writer, t needs nothing of the whole image (no crop, exclude, offset or
 * fill), every input is a regular file and output is a regular file (or
 * new). Returns STIMG_BACK, having written nothing and said nothing, when
 * it did not: those do not hold, or a record went backwards or met
 * another, or anything failed; the caller then converts through an image,
 * which reports what there is to report. Else STIMG_OK (warnings and notes
 * then reach d) with r filled, or an error writing the output.
 */
int stimg_convert_stream(char *const *specs, size_t n, const char *format,
			 enum stimg_overlap overlap,
			 const struct stimg_transform *t, const char *output,
			 const struct stimg_write_opts *w,
			 struct stimg_stream_result *r, struct stimg_diag *d);

struct stimg_crc;

/*
 * The CRC c of the inputs without an image, as stimg_crc_image would
 * compute it from one: range (or, NULL, the data's span) with holes as
 * fill, for STM32 on to the end of the last word. Only when every input is
 * a regular file. STIMG_BACK when it did not (records out of order or
 * overlapping, a warning, an error, no data): c has then been fed part of
 * the inputs, and the caller starts it again and reads into an image.
 * Else *read is the range the CRC read and *data how many of its bytes
 * were data. One raw binary (PATH@ADDR) with 8 MiB or more in the range
 * is read in two halves at once on two processors or more: the second by
 * a thread of its own into a stream of its own, which then joins c
 * (stimg_crc_combine); two 1 MiB buffers.
 */
int stimg_crc_stream(struct stimg_crc *c, char *const *specs, size_t n,
		     const char *format, const struct stimg_range *range,
		     uint8_t fill, struct stimg_range *read, uint64_t *data,
		     struct stimg_diag *d);

/* Applies crop, exclude, offset, fill and an explicit entry, in that order. */
int stimg_transform_apply(struct stimg_image *img,
			  const struct stimg_transform *t, struct stimg_diag *d);

#endif
