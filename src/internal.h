/* Helpers shared by the library's own files; not installed. */
#ifndef STIMG_INTERNAL_H
#define STIMG_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "stimg/format.h"
#include "stimg/mcuboot.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
#define STIMG_PRINTF(f, a) __attribute__((format(printf, f, a)))
/* for a hot loop specialised by constant arguments at each call */
#define ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define STIMG_PRINTF(f, a)
#define ALWAYS_INLINE inline
#endif

/* A reader's put found what a probe looks for: stop reading (not an error). */
#define STIMG_STOP 1

/* Fills d (if not NULL) with file, line and message; returns err. */
int diag_set(struct stimg_diag *d, const char *file, unsigned long line,
	     int err, const char *fmt, ...) STIMG_PRINTF(5, 6);

/* Sends a warning through d's callback, if it has one. */
void diag_warn(struct stimg_diag *d, const char *file, unsigned long line,
	       const char *fmt, ...) STIMG_PRINTF(4, 5);
/* Sends a note (information, not a problem) the same way. */
void diag_note(struct stimg_diag *d, const char *file, unsigned long line,
	       const char *fmt, ...) STIMG_PRINTF(4, 5);

/*
 * The operating system's calls (src/os.c). os_open_input opens path ("-":
 * standard input) for reading, tells whether it is a regular file, and
 * returns the descriptor or -1 (errno set); os_regular_file tells whether
 * path names a regular file without opening it; os_read reads as read(2) does,
 * retrying when interrupted; os_bytes_left is how many bytes a regular
 * file holds past the current position (0 for anything else).
 */
int os_open_input(const char *path, bool *regular);
bool os_regular_file(const char *path);
long os_read(int fd, void *buf, size_t n);
void os_close_input(int fd);
uint64_t os_bytes_left(int fd);

/*
 * Opens the len bytes at data (copied) as an input named name, as if a
 * file held them: stimg_read_mem.
 */
int input_open_mem(struct stimg_input *in, const char *name,
		   const uint8_t *data, size_t len);

/* Value of a hex digit, or -1; hex_pair: two digits, or -1. */
extern const int8_t hex_value[256];
static inline int hex_pair(const uint8_t *p)
{
	int hi = hex_value[p[0]], lo = hex_value[p[1]];

	return (hi | lo) < 0 ? -1 : hi << 4 | lo;
}

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

/* Skips a byte-order mark at the input's start, with a warning. */
void input_skip_bom(struct stimg_input *in, struct stimg_diag *d);

/* c itself when printable ASCII, else '?': for quoting input in messages. */
static inline char printable(uint8_t c)
{
	return c >= 0x20 && c < 0x7F ? (char)c : '?';
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

/* Buffered record writer: text is collected and written in big blocks. */
struct outbuf {
	FILE *f;
	char buf[1 << 16];
	size_t len;
	int err;
};

/* Makes room for n bytes (n <= sizeof(buf)) and returns where they go. */
char *outbuf_reserve(struct outbuf *o, size_t n);
/* Writes what is buffered; returns STIMG_OK or STIMG_EIO. */
int outbuf_flush(struct outbuf *o);

/*
 * stimg_image_put for a malloc'd buffer the image takes: where the bytes
 * meet no other data the buffer becomes the segment, without a copy.
 */
int image_take(struct stimg_image *img, uint64_t addr, uint8_t *buf,
	       size_t len, uint32_t src, enum stimg_overlap pol,
	       struct stimg_diag *d);

/*
 * Grows *v (an array of *cap elements of size sz) to hold at least n
 * elements; an empty array starts at first elements.
 */
int array_grow(void *v, size_t *cap, size_t n, size_t sz, size_t first);

/* Frees the image's dropped ranges, places and ELF headers (src/place.c). */
void image_places_release(struct stimg_image *img);

/*
 * Reads source src again with p set on a scratch image, to find the record
 * p looks for. Returns STIMG_OK (p->found tells) or an error.
 */
int source_probe(const struct stimg_source *src, struct stimg_probe *p);

/* MCUboot's signature TLV type for keys of type t (keys.c). */
unsigned key_sig_tlv(enum stimg_key_type t);

/*
 * Signs the SHA-256 digest md of an image as imgtool does for the key's
 * type, into sig (*siglen: its size in, the signature's length out; 512
 * bytes hold any).
 */
int key_sign(const struct stimg_key *key, const uint8_t md[STIMG_SHA256_SIZE],
	     uint8_t *sig, size_t *siglen);

/* 1 when sig is the key's signature of md, 0 when not, or STIMG_ENOMEM. */
int key_verify(const struct stimg_key *key,
	       const uint8_t md[STIMG_SHA256_SIZE], const uint8_t *sig,
	       size_t siglen);

/* The formats of the table. */
extern const struct stimg_format stimg_fmt_ihex, stimg_fmt_srec, stimg_fmt_bin,
	stimg_fmt_elf;

#endif
