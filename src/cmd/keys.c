/* stimg keys: make MCUboot signing keys; print a key's public half as code. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "stimg/mcuboot.h"

static const char keys_usage[] =
	"usage: stimg keys generate --type TYPE -o KEY.pem\n"
	"       stimg keys getpub KEY.pem [--lang c|rust] [-o OUTPUT]\n"
	"generate makes a private key for signing MCUboot images and writes it\n"
	"as PEM (PKCS#8), readable by its owner only. getpub prints the public\n"
	"half of a key (private or public PEM) as the C array, or the Rust\n"
	"slice, that a bootloader embeds: the text imgtool getpub prints.\n"
	"Private keys are never printed.\n"
	"  --type TYPE     ed25519, ecdsa-p256, rsa-2048 or rsa-3072\n"
	"  --lang LANG     c (the default) or rust\n"
	"  -o FILE         generate: the key file; getpub: the output (default\n"
	"                  standard output)\n"
	"  -q, -v          quieter, more verbose\n"
	"  -h, --help      this help\n";

enum { OPT_TYPE = 256, OPT_LANG };

static const struct option options[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "type", required_argument, NULL, OPT_TYPE },
	{ "lang", required_argument, NULL, OPT_LANG },
	{ "help", no_argument, NULL, 'h' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ NULL, 0, NULL, 0 },
};

static int generate(const char *type, const char *output)
{
	enum stimg_key_type t;
	struct stimg_key *key = NULL;
	struct stimg_diag d;
	int err;

	if (!type)
		return usage_error("keys", "generate needs --type (ed25519, "
				   "ecdsa-p256, rsa-2048 or rsa-3072)");
	if (!stimg_key_type_parse(type, &t))
		return usage_error("keys", "--type: unknown key type '%s' "
				   "(ed25519, ecdsa-p256, rsa-2048 or rsa-3072)",
				   type);
	if (!output)
		return usage_error("keys", "no output: give -o KEY.pem");
	if (!strcmp(output, "-"))
		return usage_error("keys", "a private key is never written to "
				   "standard output: give -o KEY.pem");
	diag_init(&d);
	err = stimg_key_generate(&key, t, &d);
	if (!err)
		err = stimg_key_write_private(key, output, &d);
	stimg_key_free(key);
	if (err)
		return report(err, &d);
	note("wrote %s: a new %s private key, readable by its owner only",
	     output, type);
	return EXIT_OK;
}

static int getpub(const char *path, enum stimg_key_lang lang,
		  const char *output)
{
	struct stimg_output out;
	struct stimg_key *key = NULL;
	struct stimg_diag d;
	char *text = NULL;
	int err;

	diag_init(&d);
	err = stimg_key_load(&key, path, &d);
	if (!err)
		err = stimg_key_public_source(key, lang, &text);
	if (!err)
		err = stimg_output_open(&out, output ? output : "-", &d);
	if (!err) {
		fputs(text, out.f);
		err = stimg_output_commit(&out, &d);
	}
	free(text);
	stimg_key_free(key);
	return err ? report(err, &d) : EXIT_OK;
}

int cmd_keys(int argc, char **argv)
{
	struct common_opts co = { NULL, NULL, NULL };
	enum stimg_key_lang lang = STIMG_KEY_LANG_C;
	const char *type = NULL, *action;
	bool has_lang = false;
	int c;

	while ((c = getopt_long(argc, argv, "o:hqv", options, NULL)) != -1) {
		if (common_option(c, optarg, &co))
			continue;
		switch (c) {
		case OPT_TYPE:
			type = optarg;
			break;
		case OPT_LANG:
			if (strcmp(optarg, "c") && strcmp(optarg, "rust"))
				return usage_error("keys", "--lang: '%s' is not "
						   "c or rust", optarg);
			lang = strcmp(optarg, "c") ? STIMG_KEY_LANG_RUST
						   : STIMG_KEY_LANG_C;
			has_lang = true;
			break;
		case 'h':
			fputs(keys_usage, stdout);
			return fflush(stdout) || ferror(stdout) ? EXIT_IO : EXIT_OK;
		default:
			return usage_error("keys", "bad option");
		}
	}
	if (optind == argc)
		return usage_error("keys", "no action: generate or getpub");
	action = argv[optind++];
	if (!strcmp(action, "generate")) {
		if (optind < argc)
			return usage_error("keys", "generate takes no file "
					   "name but -o's, not '%s'",
					   argv[optind]);
		if (has_lang)
			return usage_error("keys", "--lang is for getpub");
		return generate(type, co.output);
	}
	if (!strcmp(action, "getpub")) {
		if (optind == argc)
			return usage_error("keys", "getpub needs a key file");
		if (argc - optind > 1)
			return usage_error("keys", "getpub takes one key file, "
					   "not %d", argc - optind);
		if (type)
			return usage_error("keys", "--type is for generate");
		return getpub(argv[optind], lang, co.output);
	}
	return usage_error("keys", "unknown action '%s': generate or getpub",
			   action);
}
