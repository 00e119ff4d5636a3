/* stimg: the command table and dispatch. */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "stimg/stimg.h"

const struct command commands[] = {
	{ "info", cmd_info, info_options,
	  "show format, regions, entry point, vector table" },
	{ "convert", cmd_convert, convert_options,
	  "read inputs, transform, write one output" },
	{ "merge", cmd_merge, merge_options,
	  "merge inputs into one Intel HEX (to stdout)" },
	{ "bin", cmd_bin, bin_options,
	  "raw binary from an explicit address, with flash hints" },
	{ "strip", cmd_strip, strip_options,
	  "drop what must not be flashed (below an origin)" },
	{ "crc", cmd_crc, crc_options,
	  "CRC or checksum of a range; --list, --explain" },
	{ "patch", cmd_patch, patch_options,
	  "write version, size, CRC, values into the header" },
	{ "verify", cmd_verify, verify_options,
	  "check the stored CRC; name the algorithm it is" },
	{ "serial", cmd_serial, serial_options, "one output per serial number" },
	{ "sign", cmd_sign, sign_options,
	  "sign an image for MCUboot, as imgtool sign does" },
	{ "keys", cmd_keys, keys_options,
	  "make MCUboot signing keys; print a public key as C or Rust" },
};
const size_t ncommands = sizeof(commands) / sizeof(commands[0]);

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: stimg COMMAND [OPTIONS] [ARGS]\n"
		   "       stimg --version | --help\n\ncommands:\n");
	for (i = 0; i < ncommands; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\n'stimg COMMAND --help' shows a command's options; "
		   "'man stimg' has the details.\n");
}

int main(int argc, char **argv)
{
	size_t i;

	format_rows_init();
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
	/* for completion/stimg.bash; not listed in --help */
	if (!strcmp(argv[1], "--complete"))
		return opt_complete(argc - 2, argv + 2);
	for (i = 0; i < ncommands; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	error("unknown command '%s'", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
