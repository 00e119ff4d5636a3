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
	uint64_t size;		/* a regular file's size, else 0 */
	/* private: the next chunk, read meanwhile (see stimg_input_fill) */
	uint8_t *next;
	struct os_async *async;
	bool pending;
	/*
	 * private: at, the file offset after buf[len] (until a slurp takes
	 * the rest into a buffer of its own); limit, when not 0,
	 * the offset where the input ends for now; shared, the descriptor
	 * is another input's (read with pread, left open)
	 */
	uint64_t at, limit;
	bool shared;
};

/* Opens path and reads the first chunk. */
int stimg_input_open(struct stimg_input *in, const char *path,
		     struct stimg_diag *d);

/*
 * Keeps the unconsumed bytes and makes more available after them; sets eof
 * when the file has no more. A large regular file's next chunk is read by
 * another thread while this one is used: buf then moves, and pointers into
 * it are stale after a fill.
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

/*
 * Where a reader puts what it reads: the flow is one way, from the reader
 * to its sink, which may be the image (stimg_read), a second reading that
 * looks for one record, or a writer. Every callback returns STIMG_OK, a
 * negative STIMG_E* code, or STIMG_STOP (stop reading, no error); the
 * reader stops at the first value that is not STIMG_OK and returns it.
 */
struct stimg_sink {
	/*
	 * len bytes at addr, count = ceil(len / step) records of step bytes
	 * on lines line, line + 1, ... (line 0: the input has no lines, and
	 * the bytes are one record; step 0: one record).
	 */
	int (*data)(void *ctx, uint64_t addr, const uint8_t *p, size_t len,
		    uint32_t line, uint32_t step, struct stimg_diag *d);
	/* The input's entry point (readers give the first they find). */
	int (*entry)(void *ctx, uint32_t entry);
	/* Bytes the reader left out, and why (ELF headers, padding). */
	int (*drop)(void *ctx, uint64_t start, uint64_t end, const char *why);
	/* A named place: a segment, a section, a symbol. */
	int (*place)(void *ctx, const struct stimg_place *p);
	/* An ELF input's header facts. */
	int (*elf)(void *ctx, const struct stimg_elf_info *e);
	/*
	 * A fact of the file's own header for info to show: key a short
	 * lower-case name ("family", "vid:pid"), value its text.
	 */
	int (*attr)(void *ctx, const char *key, const char *value);
	/*
	 * The memory (a mapped file) that holds the bytes the reader gives
	 * to data from now on: the sink takes it (true: it calls
	 * release(mem, len) once done with it, and may keep pointing at the
	 * bytes) or leaves it to the reader (false). NULL: never taken.
	 */
	bool (*keep)(void *ctx, void *mem, size_t len,
		     void (*release)(void *mem, size_t len));
	void *ctx;
};

/* A sink callback's "stop reading": not an error. */
#define STIMG_STOP 1
/*
 * A streaming writer's "this record does not follow the last": the
 * caller writes from an image instead (see struct stimg_stream_ops).
 */
#define STIMG_BACK 2

/*
 * A writer that takes records as a reader yields them, in address order,
 * so that a conversion needs no image: open gives its state for writing
 * to f with the format's options (NULL: out of memory); data takes len
 * bytes at addr and returns STIMG_OK, an error, or STIMG_BACK when they do
 * not lie above everything before (or would make the output refuse what
 * the image's writer refuses); close ends the output (abort: without
 * ending it, the caller throws it away) and frees the state. What it
 * writes is byte for byte what the format's write writes from an image of
 * the same records.
 */
struct stimg_stream_ops {
	void *(*open)(FILE *f, const void *opts);
	int (*data)(void *state, uint64_t addr, const uint8_t *p, size_t len,
		    struct stimg_diag *d);
	int (*close)(void *state, bool has_entry, uint32_t entry, bool abort,
		     struct stimg_diag *d);
};

struct stimg_read_opts {
	uint64_t addr;		/* where a raw binary goes */
	bool has_addr;
	/* the sink's policy, for a reader's own checks (ELF segments) */
	enum stimg_overlap overlap;
	/* ARG of a format given as NAME:ARG (a UF2 family), or NULL */
	const char *arg;
	/*
	 * a large file may be read in two halves at once, the second's data
	 * held in memory until the first is put (Intel HEX, two processors)
	 */
	bool halves;
};

/* One of a format's own output options: --NAME ARG in the commands. */
struct stimg_format_option {
	const char *name;	/* "record-size" */
	const char *arg;	/* "N"; NULL for a switch */
	const char *help;	/* one line */
};

/* The most a format's own options may take. */
#define STIMG_FORMAT_OPTS_SIZE 512

/*
 * A writer's options: those of the format it was made for (the format
 * keeps their layout to itself).
 */
struct stimg_write_opts {
	const struct stimg_format *fmt;
	union {
		uint64_t align;
		unsigned char bytes[STIMG_FORMAT_OPTS_SIZE];
	} opts;
};

/* Reading needs an address: a raw binary (FILE@ADDR). */
#define STIMG_FORMAT_NEEDS_ADDRESS 0x1u
/* The format has lines: origins and messages name them. */
#define STIMG_FORMAT_LINES 0x2u
/* patch and serial write such an input in place, changing only fields. */
#define STIMG_FORMAT_PATCH_IN_PLACE 0x4u

/*
 * A format: one row of the format table (src/fmt/format.c), written in its
 * own file. Any of detect, read, write may be NULL (not supported).
 */
struct stimg_format {
	const char *name;		/* "ihex": for -I, -O and messages */
	const char *title;		/* "Intel HEX" */
	const char *const *extensions;	/* NULL-terminated, with the dot */
	unsigned flags;			/* STIMG_FORMAT_* */
	/*
	 * How to flash a file of this format, for after it is written: lines
	 * of commands, each %s in them the file's name; or NULL.
	 */
	const char *hint;
	/*
	 * What ARG is when the format is given as NAME:ARG to reading
	 * ("FAMILY": the UF2 family to take); NULL: the format takes none.
	 */
	const char *read_arg;
	bool (*detect)(const uint8_t *buf, size_t len);
	int (*read)(struct stimg_input *in, const struct stimg_sink *k,
		    const struct stimg_read_opts *o, struct stimg_diag *d);
	/* opts: the format's own, from stimg_write_opts */
	int (*write)(const struct stimg_image *img, FILE *f, const void *opts,
		     struct stimg_diag *d);
	const struct stimg_stream_ops *stream;	/* or NULL */
	const struct stimg_format_option *options;	/* ends with a NULL
							   name; or NULL */
	/* the defaults of its options, and setting one by name */
	void (*opts_init)(void *opts);
	int (*opts_set)(void *opts, const char *name, const char *value,
			struct stimg_diag *d);
};

/* Fills o with fmt's default options. */
void stimg_write_opts_init(struct stimg_write_opts *o,
			   const struct stimg_format *fmt);

/*
 * Sets o's format option name ("record-size") to value (NULL for a
 * switch). An option the format does not have, or a bad value, is
 * STIMG_EINVAL with a message naming the formats that have it.
 */
int stimg_write_opts_set(struct stimg_write_opts *o, const char *name,
			 const char *value, struct stimg_diag *d);

/* The formats, in the order detection tries them; *n receives how many. */
const struct stimg_format *const *stimg_formats(size_t *n);

/*
 * The format named name (or an extension without the dot), or NULL; also
 * NAME:ARG for a format that takes an ARG (read_arg), which stimg_read
 * passes to its reader.
 */
const struct stimg_format *stimg_format_by_name(const char *name);

/* The format a file name's extension implies, or NULL. */
const struct stimg_format *stimg_format_by_extension(const char *path);

/* The format the first bytes of a file show, or NULL for none. */
const struct stimg_format *stimg_format_detect(const uint8_t *buf, size_t len);

/*
 * "ihex, srec, bin, elf": the names of the formats that can be read
 * (STIMG_FORMAT_READ), written (STIMG_FORMAT_WRITE) or either (0), in
 * the table's order, for messages and help.
 */
#define STIMG_FORMAT_READ 1
#define STIMG_FORMAT_WRITE 2
const char *stimg_format_names(int which);

/*
 * Reads one input into img. spec is a path, "-" or PATH@ADDR (a raw binary
 * at ADDR, taken when the text after the last '@' is a number). format
 * forces a format by name (NAME:ARG gives the reader ARG); NULL detects it
 * from the content. *used (if
 * not NULL) receives the format read.
 */
int stimg_read(struct stimg_image *img, const char *spec, const char *format,
	       enum stimg_overlap overlap, const struct stimg_format **used,
	       struct stimg_diag *d);

/*
 * Whether spec (as stimg_read takes it) names a regular file, one that can
 * be read again; not standard input, a pipe, a FIFO or a device.
 */
bool stimg_input_rereadable(const char *spec);

/*
 * stimg_read into a sink of the caller's instead of an image: each record
 * as the reader yields it. *regular (if not NULL) says whether the input
 * is a regular file, which could be read again.
 */
int stimg_read_sink(const char *spec, const char *format,
		    enum stimg_overlap overlap, const struct stimg_sink *k,
		    const struct stimg_format **used, bool *regular,
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
	char *buf;		/* private: f's buffer (owned) */
};

/*
 * Whether an output to path goes to a temporary file renamed into place
 * (a regular file, or none yet): then a half-written output can be thrown
 * away; a FIFO, a device or standard output cannot.
 */
bool stimg_output_replaces(const char *path);

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

/* Writes img to path in o's format through a stimg_output. */
int stimg_write(const struct stimg_image *img, const char *path,
		const struct stimg_write_opts *o, struct stimg_diag *d);

#endif
