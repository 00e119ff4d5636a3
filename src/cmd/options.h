/*
 * Command options, after git's parse-options: each command's options are
 * one table, and the parser, its --help, the "did you mean" of an unknown
 * option and the shell completion (stimg --complete) are all made from it,
 * so none of them can drift from what the command accepts.
 *
 * A table is assembled from blocks: OPT_BLOCK(rows) stands for the rows of
 * another table (the common options below, the transforms, the header
 * options, a format's own options), OPT_TEXT(text) is text of --help
 * printed as it is, and OPT_END ends the table.
 *
 * The parser takes --long=VALUE, --long VALUE, -o VALUE, -oVALUE, -qv, and
 * options after operands; "--" ends the options; "-" and "-@ADDR" are
 * operands (standard input). A long option is spelled out in full.
 */
#ifndef STIMG_CMD_OPTIONS_H
#define STIMG_CMD_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>

struct opt {
	char shrt;		/* 'o' for -o, or 0 */
	const char *lng;	/* "output" for --output, or NULL */
	/*
	 * The value's name in --help, NULL for an option without one. Values
	 * in lower case, separated by | ("little|big"), are the ones completion
	 * offers; ALGO completes CRC algorithms, FORMAT formats.
	 */
	const char *arg;
	const char *help;	/* one line; "\n" continues it below */
	int id;			/* what opt_next returns for it, > 0 */
	const struct opt *block;	/* OPT_BLOCK's rows */
};

enum { OPT_ID_TEXT = -1, OPT_ID_BLOCK = -2 };
#define OPT_TEXT(text) { 0, NULL, NULL, (text), OPT_ID_TEXT, NULL }
#define OPT_BLOCK(rows) { 0, NULL, NULL, NULL, OPT_ID_BLOCK, (rows) }
#define OPT_END { 0, NULL, NULL, NULL, 0, NULL }

/*
 * Ids: the common options are their letters; the blocks of cmd.h take
 * 256 and up; a command's own options OPT_OWN and up.
 */
enum { OPT_OWN = 1024 };

/* -q, -v and -h/--help, which every command takes (last in its table). */
extern const struct opt opt_verbosity[];
/*
 * -o OUTPUT and -O FORMAT, for the commands that write one output, and
 * -I FORMAT; their help names the formats (format_rows_init).
 */
extern struct opt opt_output[];
extern struct opt opt_iformat[];

struct opt_parser {
	const char *cmd;
	const struct opt *opts;
	char **args;		/* the operands, once opt_next returned 0 */
	int nargs;
	int status;		/* after OPT_STOP: EXIT_OK or EXIT_USAGE */
	/* private */
	int argc, next;
	char *cluster;		/* the rest of -qv after -q */
	bool operands_only;	/* after -- */
};

enum { OPT_DONE = 0, OPT_STOP = -1 };

/*
 * Parses argv[1..argc) of command cmd (argv[0] is its name) by the table
 * opts. Operands are moved to the front of argv, which must be writable.
 */
void opt_init(struct opt_parser *p, const char *cmd, const struct opt *opts,
	      int argc, char **argv);

/*
 * The id of the next option, its value (or NULL) in *value; OPT_DONE when
 * the arguments are all read (the operands are then p->args); OPT_STOP
 * when the command is to exit with p->status: after --help, printed on
 * stdout, or after a usage error, printed on stderr.
 */
int opt_next(struct opt_parser *p, char **value);

/* For a command's switch: an id in its table that it does not handle. */
int opt_unhandled(const struct opt_parser *p, int id);

/* Prints the table as --help does. */
void opt_help(FILE *f, const struct opt *opts);

/*
 * stimg --complete WORD...: the words of a command line after "stimg", the
 * last one the word being completed; prints the candidates, one per line,
 * for the bash completion (completion/stimg.bash). Nothing printed means
 * file names.
 */
int opt_complete(int nwords, char **words);

#endif
