/* stimg: the command table and dispatch. */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "stimg/stimg.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
};

static const struct command commands[] = {
	{ "info", cmd_info, "show format, regions, entry point, vector table" },
	{ "convert", cmd_convert, "read inputs, transform, write one output" },
	{ "merge", cmd_merge, "merge inputs into one Intel HEX (to stdout)" },
	{ "bin", cmd_bin, "raw binary from an explicit address, with flash hints" },
	{ "strip", cmd_strip, "drop what must not be flashed (below an origin)" },
	{ "crc", cmd_crc, "CRC or checksum of a range; --list, --explain" },
	{ "patch", cmd_patch, "write version, size, CRC, values into the header" },
	{ "verify", cmd_verify, "check the stored CRC; name the algorithm it is" },
	{ "serial", cmd_serial, "one output per serial number" },
	{ "keys", cmd_keys, "make MCUboot signing keys; print a public key as C" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: stimg COMMAND [OPTIONS] [ARGS]\n"
		   "       stimg --version | --help\n\ncommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\n'stimg COMMAND --help' shows a command's options; "
		   "'man stimg' has the details.\n");
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("stimg %s\n", stimg_version());
		return fflush(stdout) || ferror(stdout) ? EXIT_IO : EXIT_OK;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return fflush(stdout) || ferror(stdout) ? EXIT_IO : EXIT_OK;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	error("unknown command '%s'", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
