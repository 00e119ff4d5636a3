/*
 * stimg: firmware image library for bootloader + application builds.
 *
 * Ownership rule, for every header under stimg/: pointers passed in are
 * borrowed for the length of the call unless the function's name says
 * otherwise (_take gives the buffer to the callee); objects filled by an
 * _init function are released by the matching _release function.
 *
 * The library never prints and never exits. Every fallible function returns
 * STIMG_OK or a negative STIMG_E* code and, when given a struct stimg_diag,
 * fills it with the file, the line and a message.
 */
#ifndef STIMG_STIMG_H
#define STIMG_STIMG_H

#include <stddef.h>
#include <stdint.h>

#define STIMG_VERSION "0.1.0"

/* Returns STIMG_VERSION of the library actually linked. */
const char *stimg_version(void);

enum stimg_err {
	STIMG_OK = 0,
	STIMG_EINVAL = -1,	/* a bad argument: a usage error */
	STIMG_EFORMAT = -2,	/* malformed input */
	STIMG_ECONFLICT = -3,	/* two inputs set one address differently */
	STIMG_ERANGE = -4,	/* an address outside the 32-bit space */
	STIMG_ENOMEM = -5,	/* out of memory */
	STIMG_EIO = -6,		/* a read or write failed */
	STIMG_ECHECK = -7,	/* a check (CRC, size limit) failed */
};

/* Returns a short constant description of an STIMG_E* code. */
const char *stimg_strerror(int err);

/*
 * The Levenshtein distance between a and b, ignoring case: how many
 * characters to insert, delete or change to make one the other. For
 * suggesting the closest known name; only b's first 63 characters count.
 */
size_t stimg_edit_distance(const char *a, const char *b);

/*
 * Copies s into buf (n bytes, NUL-terminated, cut short to fit) with its
 * control characters, DEL and backslashes escaped as C writes them (\t,
 * \n, \r, \033, \\), so that a name read from an input (a section, a
 * symbol) cannot drive the terminal it is printed on. Returns buf.
 */
const char *stimg_escape(const char *s, char *buf, size_t n);

struct stimg_diag;

/* Receives each warning the library reports; d is valid during the call. */
typedef void (*stimg_warn_fn)(void *ctx, const struct stimg_diag *d);

/*
 * Where and what went wrong. file is empty and line 0 when the problem has
 * no place in an input; line 0 with a file means the file as a whole.
 * The caller owns the struct; set warn (and ctx) to receive warnings.
 */
struct stimg_diag {
	enum { STIMG_WARNING, STIMG_NOTE } level;	/* of a warning */
	char file[512];
	unsigned long line;
	char msg[1024];
	stimg_warn_fn warn;
	void *ctx;
};

#endif
