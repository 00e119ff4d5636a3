/*
 * File formats: one table of readers and writers, found by name, by a
 * file's extension or by its content; inputs read in large chunks; outputs
 * written to a temporary file and renamed into place.
 */
#ifndef STIMG_FORMAT_H
#define STIMG_FORMAT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "stimg/image.h"

/* An input file read in chunks. "-" is standard input. */
struct stimg_input {
	char *name;		/* as given, for messages (owned) */
	int fd;
	bool regular;		/* a regular file: it can be read again */
	uint8_t *buf;		/* [pos, len) is data not yet consumed */
	size_t cap, len, pos;
	bool eof;
	uint8_t eol;		/* what ends a line: '\n', '\r' (CR only), or 0
				   before the first line break */
};

/* Opens path and reads the first chunk. */
int stimg_input_open(struct stimg_input *in, const char *path,
		     struct stimg_diag *d);

/*
 * Keeps the unconsumed bytes, moves them to the buffer's start and reads
 * more after them; sets eof when the file has no more.
 */
int stimg_input_fill(struct stimg_input *in, struct stimg_diag *d);

/*
 * Reads the rest of the input into one malloc'd buffer that the caller
 * frees. Refuses more than max bytes.
 */
int stimg_input_slurp(struct stimg_input *in, uint64_t max, uint8_t **data,
		      size_t *len, struct stimg_diag *d);

/* Closes the file and frees the buffer. */
void stimg_input_close(struct stimg_input *in);

struct stimg_read_opts {
	enum stimg_overlap overlap;
	uint64_t addr;		/* where a raw binary goes */
	bool has_addr;
	uint32_t src;		/* the source number for stimg_image_put */
};

struct stimg_write_opts {
	unsigned record_size;	/* HEX/SREC data bytes per record, 1..255 */
	unsigned srec_type;	/* 1, 2, 3; 0 = the smallest that fits */
	bool crlf;
	/* raw binary: [base, end) with holes set to fill */
	uint64_t base, end;
	bool has_base, has_end;
	uint8_t fill;
	uint64_t max_size;	/* a larger binary is STIMG_ECHECK; 0 = none */
};

/* record_size 16, smallest S-record type, LF, fill 0xFF, max 64 MiB. */
void stimg_write_opts_init(struct stimg_write_opts *o);

struct stimg_format {
	const char *name;
	const char *title;		/* "Intel HEX" */
	const char *const *extensions;	/* NULL-terminated, with the dot */
	bool (*detect)(const uint8_t *buf, size_t len);
	int (*read)(struct stimg_input *in, struct stimg_image *img,
		    const struct stimg_read_opts *o, struct stimg_diag *d);
	int (*write)(const struct stimg_image *img, FILE *f,
		     const struct stimg_write_opts *o, struct stimg_diag *d);
};

/* The format named name ("ihex", "srec", "bin", "elf"), or NULL. */
const struct stimg_format *stimg_format_by_name(const char *name);

/* The format a file name's extension implies, or NULL. */
const struct stimg_format *stimg_format_by_extension(const char *path);

/* The format the first bytes of a file show, or NULL for none. */
const struct stimg_format *stimg_format_detect(const uint8_t *buf, size_t len);

/* Comma-separated names of every format, for messages. */
const char *stimg_format_names(void);

/*
 * Reads one input into img. spec is a path, "-" or PATH@ADDR (a raw binary
 * at ADDR, taken when the text after the last '@' is a number). format
 * forces a format by name; NULL detects it from the content. *used (if
 * not NULL) receives the format read.
 */
int stimg_read(struct stimg_image *img, const char *spec, const char *format,
	       enum stimg_overlap overlap, const struct stimg_format **used,
	       struct stimg_diag *d);

/*
 * stimg_read of bytes in memory: the len bytes at data (copied) are read
 * as the file spec would be (spec names them in messages; NAME@ADDR makes
 * them a raw binary at ADDR). For callers that hold a file already, and
 * for the fuzz targets (tests/fuzz). The source cannot be read again: a
 * conflict's earlier side is found from the origin runs only.
 */
int stimg_read_mem(struct stimg_image *img, const char *spec,
		   const uint8_t *data, size_t len, const char *format,
		   enum stimg_overlap overlap, const struct stimg_format **used,
		   struct stimg_diag *d);

/*
 * An output, written as git's lockfile.c writes: a symbolic link is
 * followed (relative links from their own directory) and its target
 * replaced by a temporary file ".stimg-XXXXXX" beside it, renamed into
 * place; the link stays. The temporary file has the replaced file's mode,
 * or 0666 less the umask for a new one. An existing target that is not a
 * regular file (a FIFO, a device, /dev/stdout, /proc/self/fd/N) is written
 * in place and never replaced. The temporary file is removed on error and
 * on SIGINT, SIGTERM, SIGHUP and SIGPIPE (whose handlers the first output
 * installs, unless the signal is ignored, and which then end the process
 * as before). At most one output should be open at a time.
 */
struct stimg_output {
	FILE *f;
	char *path;		/* what is written: the link's target (owned) */
	char *tmp;		/* the temporary file; NULL for stdout and
				   outputs written in place (owned) */
};

/* Opens path for writing; "-" is standard output. */
int stimg_output_open(struct stimg_output *out, const char *path,
		      struct stimg_diag *d);

/*
 * Flushes, closes and renames into place; on failure nothing is left
 * behind (an output written in place holds what was written).
 */
int stimg_output_commit(struct stimg_output *out, struct stimg_diag *d);

/* Removes the temporary file; an existing output is left untouched. */
void stimg_output_abort(struct stimg_output *out);

/* Writes img to path in format fmt through a stimg_output. */
int stimg_write(const struct stimg_image *img, const char *path,
		const struct stimg_format *fmt,
		const struct stimg_write_opts *o, struct stimg_diag *d);

#endif
