/*
 * The commands and the helpers they share for printing and options.
 *
 * To add a command:
 *  1. write src/cmd/NAME.c defining int cmd_NAME(int argc, char **argv),
 *     which parses its options (its table NAME_options, options.h), calls
 *     the library and prints;
 *  2. declare both below and add a row to the table in src/main.c;
 *  3. document it in man/stimg.1 (SYNOPSIS, its own section naming every
 *     option of its --help, EXAMPLES);
 *  4. add tests under tests/cli/ (tNNNN-NAME-what.sh).
 * Logic that two commands share belongs in the library, not here.
 */
#ifndef STIMG_CMD_H
#define STIMG_CMD_H

#include <stdbool.h>
#include <stdint.h>

#include "options.h"
#include "stimg/crc.h"
#include "stimg/patch.h"
#include "stimg/format.h"
#include "stimg/transform.h"
#include "stimg/cortexm.h"
#include "stimg/place.h"
#include "stimg/mcuboot.h"

/* A row of the command table (src/main.c). */
struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const struct opt *opts;
	const char *help;
};
extern const struct command commands[];
extern const size_t ncommands;

int cmd_convert(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_strip(int argc, char **argv);
int cmd_crc(int argc, char **argv);
int cmd_bin(int argc, char **argv);
int cmd_patch(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_serial(int argc, char **argv);
int cmd_keys(int argc, char **argv);
int cmd_sign(int argc, char **argv);

extern const struct opt convert_options[], merge_options[], info_options[],
	strip_options[], crc_options[], bin_options[], patch_options[],
	keys_options[], sign_options[],
	verify_options[], serial_options[];

/*
 * Blocks of option rows that several commands take (options.h): notes on
 * INPUT and RANGE for --help (convert.c), the transforms but --fill, whose
 * meaning differs (convert.c) ...
 */
extern const struct opt inputs_note[], range_note[];
enum { TR_CROP = 256, TR_EXCLUDE, TR_OFFSET, TR_OVERLAP, TR_ENTRY };
extern const struct opt transform_options[];
/*
 * ... every output format's own options (--record-size, ...), made from
 * the format table by format_rows_init (options.c), ids OPT_FORMAT + k ...
 */
enum { OPT_FORMAT = 320, OPT_FORMAT_MAX = 64 };
extern struct opt format_rows[];
void format_rows_init(void);
/* ... and the header options of patch, verify and serial (header.c), */
enum {
	HDR_VERSION = 512, HDR_VERSION_AT, HDR_VERSION_FORMAT, HDR_CRC,
	HDR_CRC_AT, HDR_CRC_RANGE, HDR_FILL, HDR_ENDIAN, HDR_SIZE_AT, HDR_SET,
	HDR_FORCE, HDR_SHA256_AT,
};
extern const struct opt header_options[];
/* a note on LOC to follow them, and all that with --set (patch, serial). */
extern const struct opt header_loc_note[], header_set_options[];

/* -o, -O, -I, -q and -v, which most commands take. */
struct common_opts {
	const char *output, *oformat, *iformat;
};

struct header_opts {
	struct stimg_patch p;
	struct stimg_crc_model crc;	/* p.crc points here once given */
	const char **sets;		/* p.sets (owned array) */
	size_t nsets;
	unsigned given;			/* header options given */
};

void header_init(struct header_opts *h);
void header_release(struct header_opts *h);
/* One header option; EXIT_OK or EXIT_USAGE. */
int header_option(const struct opt_parser *p, int c, const char *arg,
		  struct header_opts *h);

/*
 * Parses the options of patch, verify or serial by the table opts: the
 * common ones, the header options, and (own not NULL) the command's own
 * (ids OPT_OWN and up) through own(ctx, ...), which returns EXIT_OK or
 * EXIT_USAGE. *go is true when the command is to go on (then EXIT_OK and
 * the operands in p->args); else the status to exit with (--help, a usage
 * error).
 */
int header_parse(struct opt_parser *p, const char *cmd, const struct opt *opts,
		 int argc, char **argv, struct common_opts *co,
		 struct header_opts *h,
		 int (*own)(void *ctx, const struct opt_parser *p, int c,
			    const char *arg),
		 void *ctx, bool *go);

/* The note on segment padding in the CRC range (r->padding), if any. */
void header_padding_note(const struct stimg_patch_result *r);

/*
 * Writes img, patched from the file input, to output in format fmt: an ELF
 * output is the input file with only the bytes in fields changed (the fill
 * of holes stays out of it, with a note); other formats are written whole,
 * the holes the CRC covered filled first.
 */
int header_write(struct stimg_image *img, const char *input,
		 const struct stimg_format *in_fmt, const char *output,
		 const struct stimg_format *fmt, const struct header_opts *h,
		 const struct stimg_patch_result *r, struct stimg_diag *d);

/*
 * MCUboot images in info and verify (mcuboot.c). mcuboot_info prints
 * info's part: lines of text, or the "mcuboot" key of a file's JSON
 * object (null when img is not an MCUboot image). mcuboot_verify checks
 * img, read from name, with the key in the file key (NULL: the hash
 * only), prints what it found and returns the exit status.
 */
void mcuboot_info(FILE *f, const struct stimg_image *img, bool json);
int mcuboot_verify(const struct stimg_image *img, const char *name,
		   const char *key);

/* "1.2.3+4" into buf, which holds 32 bytes. */
const char *mcuboot_version_text(const struct stimg_mcuboot_version *v,
				 char *buf);

/* n bytes in lower-case hex into buf, which holds 2 * n + 1. */
const char *hex_text(const uint8_t *p, size_t n, char *buf);

/* s as a JSON string, control characters escaped (info.c). */
void json_string(FILE *f, const char *s);

/* convert and merge (Intel HEX to stdout by default): one engine. */
int convert_main(int argc, char **argv, bool merge);


/*
 * One of the transform options (TR_*) into t and *overlap; EXIT_OK or
 * EXIT_USAGE (convert.c).
 */
int transform_option(const struct opt_parser *p, int c, const char *arg,
		     struct stimg_transform *t, enum stimg_overlap *overlap);

/* Exit statuses (SPEC section 5). */
enum { EXIT_OK = 0, EXIT_BAD = 1, EXIT_USAGE = 2, EXIT_IO = 3 };

/* -q: -1, default 0, -v: 1 */
extern int verbosity;

#if defined(__GNUC__)
#define CLI_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CLI_PRINTF(f, a)
#endif

/* Handles c when it is one of the common options; true if it was. */
bool common_option(int c, const char *arg, struct common_opts *co);

/* -I's format exists (or no -I was given); else a usage error. */
int opt_input_format(const char *cmd, const char *iformat);

/* "stimg: error: ..." on stderr. */
void error(const char *fmt, ...) CLI_PRINTF(1, 2);
/* "stimg: warning: ..." on stderr, unless -q. */
void warning(const char *fmt, ...) CLI_PRINTF(1, 2);
/* "stimg: note: ..." on stderr, unless -q. */
void note(const char *fmt, ...) CLI_PRINTF(1, 2);

/* Prints a usage error for command cmd and returns EXIT_USAGE. */
int usage_error(const char *cmd, const char *fmt, ...) CLI_PRINTF(2, 3);

/* Fills d with a message of the command's own (for report()); returns err. */
int diag_fail(struct stimg_diag *d, int err, const char *fmt, ...)
	CLI_PRINTF(3, 4);

/* Prints d's error ("FILE:LINE: message") and returns the exit status. */
int report(int err, const struct stimg_diag *d);

/* The exit status of a library error code. */
int exit_status(int err);

/* A diagnostic whose warnings and notes go to warning() and note(). */
void diag_init(struct stimg_diag *d);

/* Parses an option's number or range; a bad value is a usage error. */
int opt_number(const char *cmd, const char *opt, const char *arg, uint64_t max,
	       uint64_t *out);
int opt_range(const char *cmd, const char *opt, const char *arg,
	      struct stimg_range *out);

/*
 * Parses a CRC algorithm (a name, an alias or a custom model) into *m; an
 * unknown name is a usage error that suggests the closest names.
 */
int opt_crc_algo(const char *cmd, const char *opt, const char *algo,
		 struct stimg_crc_model *m);

/*
 * The output format: -O if given, else the output's extension, else
 * fallback (may be NULL: then it is a usage error).
 */
int opt_output_format(const char *cmd, const char *oformat, const char *output,
		      const struct stimg_format *fallback,
		      const struct stimg_format **fmt);

/*
 * "stimg: wrote NAME; to flash it:" and the format's hint lines, NAME
 * quoted for the shell, on stderr unless -q.
 */
void format_hint(const struct stimg_format *fmt, const char *name);

/* name as one shell word: itself, or in single quotes, into buf. */
const char *sh_quote(const char *name, char *buf, size_t n);

/* "32 KiB", "1 MiB", "12 bytes": a size as people say it, in buf. */
const char *size_text(uint64_t n, char *buf, size_t len);

#endif
