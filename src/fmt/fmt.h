/* What the format files share: input, lines, buffered output; not
 * installed. */
#ifndef STIMG_FMT_H
#define STIMG_FMT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/core.h"
#include "core/hex.h"
#include "stimg/format.h"

#define os_open_input stimg__os_open_input
#define os_regular_file stimg__os_regular_file
#define os_read stimg__os_read
#define os_pread stimg__os_pread
#define os_cpus stimg__os_cpus
#define os_close_input stimg__os_close_input
#define os_bytes_left stimg__os_bytes_left
#define os_mode stimg__os_mode
#define os_unmap stimg__os_unmap
#define os_map_copy stimg__os_map_copy
#define os_both stimg__os_both
#define sink_skip_drop stimg__sink_skip_drop
#define sink_skip_place stimg__sink_skip_place
#define sink_skip_elf stimg__sink_skip_elf
#define sink_skip_attr stimg__sink_skip_attr
#define os_async_new stimg__os_async_new
#define os_async_read stimg__os_async_read
#define os_async_wait stimg__os_async_wait
#define os_async_free stimg__os_async_free
#define input_map_all stimg__input_map_all
#define spec_split stimg__spec_split
#define os_private stimg__os_private
#define os_reserve stimg__os_reserve
#define os_offset stimg__os_offset
#define input_open_mem stimg__input_open_mem
#define input_open_shared stimg__input_open_shared
#define input_fresh stimg__input_fresh
#define input_skip_bom stimg__input_skip_bom
#define input_line stimg__input_line
#define outbuf_reserve stimg__outbuf_reserve
#define outbuf_flush stimg__outbuf_flush

/*
 * The operating system's calls (src/os.c). os_open_input opens path ("-":
 * standard input) for reading, tells whether it is a regular file, and
 * returns the descriptor or -1 (errno set); os_regular_file tells whether
 * path names a regular file without opening it; os_read reads as read(2) does,
 * and os_pread as pread(2) (at off, leaving the position), both retrying
 * when interrupted; os_bytes_left is how many bytes a regular
 * file holds past the current position (0 for anything else); os_cpus
 * how many processors the process may run on (at least 1).
 */
int os_open_input(const char *path, bool *regular);
bool os_regular_file(const char *path);
long os_read(int fd, void *buf, size_t n);
long os_pread(int fd, void *buf, size_t n, uint64_t off);
unsigned os_cpus(void);
void os_close_input(int fd);
uint64_t os_bytes_left(int fd);
/* A regular file's position (0 when it has none). */
uint64_t os_offset(int fd);
/*
 * Maps len bytes of fd from off (a multiple of the page size) for reading,
 * or NULL (errno set); os_unmap undoes it (p may be NULL).
 */
void *os_map(int fd, uint64_t off, size_t len);
void os_unmap(void *p, size_t len);
/*
 * len bytes of zeroed memory that takes pages only where it is written
 * (large ones where the system has them), or NULL; os_unmap frees it.
 */
void *os_reserve(size_t len);
/* The whole of fd's first len bytes, mapped privately: writes stay here. */
void *os_map_copy(int fd, size_t len);
/*
 * Sink callbacks that take what they are given and keep nothing (sink.c):
 * for sinks that want only the data and the entry point (format.c's probe,
 * the streams of stream.c, the tape).
 */
int sink_skip_drop(void *ctx, uint64_t start, uint64_t end, const char *why);
int sink_skip_place(void *ctx, const struct stimg_place *p);
int sink_skip_elf(void *ctx, const struct stimg_elf_info *e);
int sink_skip_attr(void *ctx, const char *key, const char *value);

/*
 * fn(a) here while fn(b) runs in a thread of its own that takes no signals
 * (they stay the main thread's); one after the other when no thread can be
 * had. True when there was a thread.
 */
bool os_both(void (*fn)(void *), void *a, void *b);
/*
 * A read(2) in a thread of its own: os_async_read asks for one (the buffer
 * is the thread's until os_async_wait, which returns what read returned,
 * errno set); os_async_free ends the thread (NULL: nothing). new: NULL
 * when no thread can be had.
 */
struct os_async;
struct os_async *os_async_new(void);
void os_async_read(struct os_async *a, int fd, void *buf, size_t n);
long os_async_wait(struct os_async *a);
void os_async_free(struct os_async *a);

/* The permission bits of an open file (0 when unknown). */
unsigned os_mode(int fd);
/* Makes an open output readable and writable by its owner only. */
int os_private(FILE *f);

/*
 * Opens the len bytes at data (copied) as an input named name, as if a
 * file held them: stimg_read_mem.
 */
int input_open_mem(struct stimg_input *in, const char *name,
		   const uint8_t *data, size_t len);

/*
 * Whether in is a regular file of which only the first read is done (the
 * head, that tells the format): then [*start, *end) are the file offsets
 * of its bytes, buf[0] the one at *start.
 */
bool input_fresh(const struct stimg_input *in, uint64_t *start,
		 uint64_t *end);

/*
 * Opens in as the bytes of of's file from offset off up to offset end,
 * read with pread through of's descriptor (which stays of's): a second
 * reader of one file, in a thread of its own. of must outlive in.
 */
int input_open_shared(struct stimg_input *in, const struct stimg_input *of,
		      uint64_t off, uint64_t end);

/*
 * The whole of in, a regular file not read yet, in memory without a copy:
 * *mem (len bytes; the caller unmaps it with os_unmap, or gives it to a
 * sink's keep). Returns 1 when in is not such a file (then slurp it).
 */
int input_map_all(struct stimg_input *in, uint8_t **mem, size_t *len,
		  struct stimg_diag *d);

/*
 * Splits an input spec PATH@ADDR: 1 when spec ends in a numeric @ADDR
 * (*path gets PATH, malloc'd, and *addr ADDR), 0 when it has none,
 * STIMG_ERANGE when ADDR is a number at or past 4 GiB, STIMG_ENOMEM.
 */
int spec_split(const char *spec, char **path, uint64_t *addr);

/* Space, tab or CR: what may surround a record on its line. */
static inline bool is_blank(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* 3 when buf starts with a UTF-8 byte-order mark (EF BB BF), else 0. */
static inline size_t utf8_bom(const uint8_t *buf, size_t len)
{
	return len >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF ?
	       3 : 0;
}

/* Little-endian fields of the binary formats; a put returns p past it. */
static inline uint16_t get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline uint8_t *put_le16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	return p + 2;
}

static inline uint8_t *put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
	return p + 4;
}

/* Skips a byte-order mark at the input's start, with a warning. */
void input_skip_bom(struct stimg_input *in, struct stimg_diag *d);


/*
 * Splits the input into lines without copying. Returns 1 with *line (not
 * NUL-terminated, without the newline and the blanks around it), *n and
 * *col (the column of its first character), 0 at the end, or a negative
 * STIMG_E* code. A line longer than max is STIMG_EFORMAT. Lines end in LF,
 * CR LF or, when the first line break is a lone CR, CR.
 */
int input_line(struct stimg_input *in, size_t max, const uint8_t **line,
	       size_t *n, size_t *col, unsigned long lineno,
	       struct stimg_diag *d);

#define tape_new stimg__tape_new
#define tape_entry_point stimg__tape_entry_point
#define tape_stop stimg__tape_stop
#define tape_play stimg__tape_play
#define tape_free stimg__tape_free

/*
 * A sink that keeps what it is given (sink.c): tape_new sets *k to put
 * into a new tape of up to max bytes of data (NULL: no memory; a put
 * past max, past a limit on their number or without memory is
 * STIMG_BACK); tape_play puts it all into k in the
 * order given, lines added to each put's line; tape_entry_point tells
 * whether it holds an entry point (at most one: a second is STIMG_BACK);
 * after tape_stop (from any thread) every put is STIMG_BACK.
 */
struct tape;
struct tape *tape_new(struct stimg_sink *k, size_t max);
bool tape_entry_point(const struct tape *t);
void tape_stop(struct tape *t);
int tape_play(const struct tape *t, const struct stimg_sink *k,
	      unsigned long lines, struct stimg_diag *d);
void tape_free(struct tape *t);

#define decode_new stimg__decode_new
#define decode_lines stimg__decode_lines

struct decoder;

/* The SIMD decoders of a text format (ihex true: Intel HEX, else S-record). */
struct decoder *decode_new(bool ihex);

/*
 * At a line start of in: decodes the common data records that follow with
 * the SIMD kernels (core/hex_simd.h), puts them into k (base added to each
 * address) as one put per run of records that follow each other, and
 * moves in past them, *lineno and *nrec on by the records read. Whatever
 * the kernels leave (other records, blank lines, any error, a line cut by
 * the buffer's end) the reader reads itself, with its messages.
 */
int decode_lines(struct decoder *dec, struct stimg_input *in,
		 const struct stimg_sink *k, uint64_t base,
		 unsigned long *lineno, unsigned long *nrec,
		 struct stimg_diag *d);

/* Buffered record writer: text is collected and written in big blocks. */
struct outbuf {
	FILE *f;
	char buf[1 << 16];
	size_t len;
	int err;
	/* n bytes as 2 * n hex digits; returns their sum (core/hex_simd.h) */
	unsigned (*encode)(char *dst, const uint8_t *src, size_t n);
};

#define outbuf_init stimg__outbuf_init

/* An empty buffer for f, with the fastest hex encoder this CPU has. */
void outbuf_init(struct outbuf *o, FILE *f);

/* Makes room for n bytes (n <= sizeof(buf)) and returns where they go. */
char *outbuf_reserve(struct outbuf *o, size_t n);
/* Writes what is buffered; returns STIMG_OK or STIMG_EIO. */
int outbuf_flush(struct outbuf *o);



#define text_opts_init stimg__text_opts_init
#define text_opts_set stimg__text_opts_set
#define text_opts_check stimg__text_opts_check

/* The output options of the text formats (Intel HEX, S-record). */
struct text_opts {
	unsigned record_size;	/* data bytes per record, 1..255 */
	unsigned srec_type;	/* 1, 2, 3; 0: the smallest that fits */
	bool crlf;		/* lines end in CR LF */
};

/* record-size 16, the smallest S-record type, LF. */
void text_opts_init(void *opts);
/* Options set in their bytes by a caller: in range, else STIMG_EINVAL. */
int text_opts_check(const struct text_opts *o, struct stimg_diag *d);
/* record-size N, srec-type 1|2|3, crlf (value NULL). */
int text_opts_set(void *opts, const char *name, const char *value,
		  struct stimg_diag *d);

#define format_opt_number stimg__format_opt_number

/*
 * A format option's number (io.c): value parsed into *out, at most
 * max; else STIMG_EINVAL with a message naming --name.
 */
int format_opt_number(const char *name, const char *value, uint64_t max,
		      uint64_t *out, struct stimg_diag *d);

/* The raw binary's options: [base, end) with holes set to fill. */
struct bin_opts {
	uint64_t base, end;	/* default: the image's span */
	bool has_base, has_end;
	uint8_t fill;		/* 0xFF */
	uint64_t max_size;	/* a larger file is STIMG_ECHECK; 0: none
				   (64 MiB) */
};

#define bin_check_size stimg__bin_check_size

/*
 * A binary of [base, end) larger than max (0: no limit) is STIMG_ECHECK,
 * with a message that lists img's regions and what to do.
 */
int bin_check_size(const struct stimg_image *img, uint64_t base, uint64_t end,
		   uint64_t max, struct stimg_diag *d);

/* The raw binary format: FILE@ADDR reads as it. */
extern const struct stimg_format stimg__fmt_bin;

#endif
