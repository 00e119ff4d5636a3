/* stimg keys: make MCUboot signing keys; print a key's public half as code. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "stimg/mcuboot.h"

enum { KEYS_TYPE = OPT_OWN, KEYS_LANG };

const struct opt keys_options[] = {
	OPT_TEXT("usage: stimg keys generate --type TYPE -o KEY.pem\n"
		 "       stimg keys getpub KEY.pem [--lang c|rust] [-o OUTPUT]\n"
		 "generate makes a private key for signing MCUboot images and writes it\n"
		 "as PEM (PKCS#8), readable by its owner only. getpub prints the public\n"
		 "half of a key (private or public PEM) as the C array, or the Rust\n"
		 "slice, that a bootloader embeds: the text imgtool getpub prints.\n"
		 "Private keys are never printed.\n"),
	{ 'o', "output", "FILE", "generate: the key file; getpub: the output\n"
	  "(default standard output)", 'o', NULL },
	{ 0, "type", "ed25519|ecdsa-p256|rsa-2048|rsa-3072", "the key type "
	  "(generate)", KEYS_TYPE, NULL },
	{ 0, "lang", "c|rust", "the language of getpub's text (default c)",
	  KEYS_LANG, NULL },
	OPT_BLOCK(opt_verbosity),
	OPT_END,
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
	struct opt_parser p;
	char *arg;
	int c;

	opt_init(&p, "keys", keys_options, argc, argv);
	while ((c = opt_next(&p, &arg)) > 0) {
		if (common_option(c, arg, &co))
			continue;
		switch (c) {
		case KEYS_TYPE:
			type = arg;
			break;
		case KEYS_LANG:
			if (strcmp(arg, "c") && strcmp(arg, "rust"))
				return usage_error("keys", "--lang: '%s' is not "
						   "c or rust", arg);
			lang = strcmp(arg, "c") ? STIMG_KEY_LANG_RUST
						: STIMG_KEY_LANG_C;
			has_lang = true;
			break;
		default:
			return opt_unhandled(&p, c);
		}
	}
	if (c == OPT_STOP)
		return p.status;
	if (!p.nargs)
		return usage_error("keys", "no action: generate or getpub");
	action = p.args[0];
	if (!strcmp(action, "generate")) {
		if (p.nargs > 1)
			return usage_error("keys", "generate takes no file "
					   "name but -o's, not '%s'", p.args[1]);
		if (has_lang)
			return usage_error("keys", "--lang is for getpub");
		return generate(type, co.output);
	}
	if (!strcmp(action, "getpub")) {
		if (p.nargs == 1)
			return usage_error("keys", "getpub needs a key file");
		if (p.nargs > 2)
			return usage_error("keys", "getpub takes one key file, "
					   "not %d", p.nargs - 1);
		if (type)
			return usage_error("keys", "--type is for generate");
		return getpub(p.args[1], lang, co.output);
	}
	return usage_error("keys", "unknown action '%s': generate or getpub",
			   action);
}
