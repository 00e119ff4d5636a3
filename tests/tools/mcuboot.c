/*
 * mcuboot: the library's MCUboot signing and checking (stimg/mcuboot.h) on
 * the command line, for the CLI tests, until stimg's sign and verify
 * commands do it:
 *
 *   mcuboot sign [-k KEY] [-v VERSION] [-H SIZE] [-P] [-S SLOT] [-p] [-c]
 *                [-a ALIGN] [-s N|auto] IN OUT
 *   mcuboot verify [-k KEY] IN
 *
 * sign reads IN as raw bytes and writes the signed image to OUT: -P puts
 * the header before IN (imgtool's --pad-header), -p pads to the slot,
 * -c confirms; the rest as imgtool's options of those letters. verify
 * prints "ok VERSION DIGEST" or "failed CHECK: message".
 * Exit status: 0 done (or good), 1 refused (or a check failed), 2 usage.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stimg/format.h"
#include "stimg/mcuboot.h"

static int fail(const struct stimg_diag *d, int err)
{
	fprintf(stderr, "mcuboot: error: %s%s%s\n", d->file,
		d->file[0] ? ": " : "", d->msg[0] ? d->msg : stimg_strerror(err));
	return 1;
}

static int usage(void)
{
	fprintf(stderr, "usage: mcuboot sign [-k KEY] [-v VERSION] [-H SIZE] "
			"[-P] [-S SLOT] [-p] [-c] [-a ALIGN] [-s N|auto] IN OUT\n"
			"       mcuboot verify [-k KEY] IN\n");
	return 2;
}

/* The whole file at path, malloc'd, in *data and *len. */
static int slurp(const char *path, uint8_t **data, size_t *len,
		 struct stimg_diag *d)
{
	struct stimg_input in;
	int err = stimg_input_open(&in, path, d);

	if (!err)
		err = stimg_input_slurp(&in, (uint64_t)1 << 32, data, len, d);
	stimg_input_close(&in);
	return err;
}

static int sign(int argc, char **argv, struct stimg_key *key,
		struct stimg_mcuboot_sign_opts *o, struct stimg_diag *d)
{
	struct stimg_mcuboot_signed s = STIMG_MCUBOOT_SIGNED_INIT;
	uint8_t *in = NULL;
	size_t len = 0;
	FILE *f = NULL;
	int err;

	if (argc != 2)
		return usage();
	o->key = key;
	err = slurp(argv[0], &in, &len, d);
	if (!err)
		err = stimg_mcuboot_sign(in, len, o, &s, d);
	if (!err && (!(f = fopen(argv[1], "wb")) ||
		     fwrite(s.data, 1, s.len, f) != s.len)) {
		snprintf(d->msg, sizeof(d->msg), "cannot write %s", argv[1]);
		err = STIMG_EIO;
	}
	if (f && fclose(f) && !err) {
		snprintf(d->msg, sizeof(d->msg), "cannot write %s", argv[1]);
		err = STIMG_EIO;
	}
	stimg_mcuboot_signed_release(&s);
	free(in);
	return err ? fail(d, err) : 0;
}

static int verify(int argc, char **argv, struct stimg_key *key,
		  struct stimg_diag *d)
{
	struct stimg_mcuboot_verify_result r;
	uint8_t *in = NULL;
	size_t len = 0, i;
	int err;

	if (argc != 1)
		return usage();
	err = slurp(argv[0], &in, &len, d);
	if (err) {
		free(in);
		return fail(d, err);
	}
	err = stimg_mcuboot_verify(in, len, key, &r, d);
	free(in);
	if (err && r.failed == STIMG_MCUBOOT_CHECK_NONE)
		return fail(d, err);
	if (err) {
		printf("failed %s: %s\n", stimg_mcuboot_check_name(r.failed),
		       d->msg);
		return 1;
	}
	printf("ok %u.%u.%u+%lu ", r.version.major, r.version.minor,
	       r.version.revision, (unsigned long)r.version.build);
	for (i = 0; i < sizeof(r.digest); i++)
		printf("%02x", r.digest[i]);
	printf("\n");
	return 0;
}

int main(int argc, char **argv)
{
	struct stimg_mcuboot_sign_opts o;
	struct stimg_key *key = NULL;
	struct stimg_diag d;
	unsigned long n;
	int c, ret;

	memset(&d, 0, sizeof(d));
	stimg_mcuboot_sign_opts_init(&o);
	if (argc < 2 || (strcmp(argv[1], "sign") && strcmp(argv[1], "verify")))
		return usage();
	optind = 2;
	while ((c = getopt(argc, argv, "k:v:H:PS:pca:s:")) != -1) {
		n = optarg ? strtoul(optarg, NULL, 0) : 0;
		switch (c) {
		case 'k':
			if (stimg_key_load(&key, optarg, &d))
				return fail(&d, STIMG_EFORMAT);
			break;
		case 'v':
			if (stimg_mcuboot_version_parse(optarg, &o.version, &d))
				return fail(&d, STIMG_EINVAL);
			break;
		case 'H':
			o.header_size = (uint32_t)n;
			break;
		case 'P':
			o.pad_header = true;
			break;
		case 'S':
			o.slot_size = (uint32_t)n;
			break;
		case 'p':
			o.pad = true;
			break;
		case 'c':
			o.confirm = true;
			break;
		case 'a':
			o.align = (unsigned)n;
			break;
		case 's':
			o.seccnt = strcmp(optarg, "auto")
					   ? STIMG_MCUBOOT_SECCNT_VALUE
					   : STIMG_MCUBOOT_SECCNT_AUTO;
			o.security_counter = (uint32_t)n;
			break;
		default:
			return usage();
		}
	}
	ret = strcmp(argv[1], "sign")
		      ? verify(argc - optind, argv + optind, key, &d)
		      : sign(argc - optind, argv + optind, key, &o, &d);
	stimg_key_free(key);
	return ret;
}
