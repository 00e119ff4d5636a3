/* MCUboot images in stimg info and stimg verify: what they print of one. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

const char *mcuboot_version_text(const struct stimg_mcuboot_version *v,
				 char *buf)
{
	snprintf(buf, 32, "%u.%u.%u+%" PRIu32, v->major, v->minor, v->revision,
		 v->build);
	return buf;
}

const char *hex_text(const uint8_t *p, size_t n, char *buf)
{
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < n; i++)
		snprintf(buf + 2 * i, 3, "%02x", p[i]);
	return buf;
}

/* The image of img as one buffer, parsed: what info shows of it. */
struct slot {
	uint8_t *data;
	size_t len;
	uint32_t addr;
	struct stimg_mcuboot_info info;
	bool header;		/* the header fields were read */
	const char *why;	/* what stopped the reading, or NULL */
	struct stimg_diag d;
};

static void slot_read(struct slot *s, const struct stimg_image *img)
{
	int err;

	memset(s, 0, sizeof(*s));
	err = stimg_mcuboot_slot_read(img, STIMG_MCUBOOT_SLOT_MAX, &s->data,
				      &s->len, &s->addr, &s->d);
	if (!err)
		err = stimg_mcuboot_parse(s->data, s->len, &s->info, &s->d);
	s->header = s->data && s->len >= STIMG_MCUBOOT_HEADER_SIZE;
	if (err)
		s->why = s->d.msg[0] ? s->d.msg : stimg_strerror(err);
}

static void slot_release(struct slot *s)
{
	stimg_mcuboot_info_release(&s->info);
	free(s->data);
}

/* The header's flags by name, sep between them, into buf ("" for none). */
static const char *flag_names(uint32_t flags, const char *sep, char *buf,
			      size_t n)
{
	size_t at = 0;
	unsigned i;

	buf[0] = '\0';
	for (i = 0; i < 32 && at < n; i++) {
		const char *name = stimg_mcuboot_flag_name(UINT32_C(1) << i);

		if (!(flags >> i & 1))
			continue;
		if (name)
			at += (size_t)snprintf(buf + at, n - at, "%s%s",
					       at ? sep : "", name);
		else
			at += (size_t)snprintf(buf + at, n - at, "%s0x%" PRIX32,
					       at ? sep : "", UINT32_C(1) << i);
	}
	return buf;
}

/* "set" for 0x01, "unset" for 0xFF (erased), "" for anything else. */
static const char *flag_state(uint8_t v)
{
	return v == 0x01 ? " (set)" : v == 0xFF ? " (unset)" : "";
}

static void text_tlvs(FILE *f, const struct slot *s, bool prot)
{
	char hex[65];
	size_t i, k;

	for (i = 0; i < s->info.ntlv; i++) {
		const struct stimg_mcuboot_tlv *t = &s->info.tlv[i];
		const char *name = stimg_mcuboot_tlv_name(t->type);

		if (t->prot != prot)
			continue;
		fprintf(f, "      %s (0x%02X), %u bytes at offset 0x%zX\n",
			name ? name : "unknown TLV", t->type, t->len, t->off);
		for (k = 0; k < t->len; k += 32)
			fprintf(f, "        %s\n", hex_text(t->value + k,
				t->len - k < 32 ? t->len - k : 32, hex));
	}
}

static void text_trailer(FILE *f, const struct slot *s)
{
	const struct stimg_mcuboot_info *x = &s->info;

	if (x->trailer == STIMG_MCUBOOT_TRAILER_NONE) {
		fprintf(f, "    trailer             none: the data ends with the "
			"TLV area\n");
		return;
	}
	if (x->trailer == STIMG_MCUBOOT_TRAILER_NO_MAGIC) {
		fprintf(f, "    trailer             0x%zX bytes after the TLV "
			"area, no boot magic at their end\n",
			s->len - x->tlv_end);
		return;
	}
	fprintf(f, "    trailer             boot magic at 0x%08" PRIX64
		", max align %u\n", (uint64_t)s->addr + s->len - 16,
		x->max_align);
	if (x->has_fields)
		fprintf(f, "      image_ok 0x%02X%s, copy_done 0x%02X%s, "
			"swap_info 0x%02X, swap_size 0x%08" PRIX32 "\n",
			x->image_ok, flag_state(x->image_ok), x->copy_done,
			flag_state(x->copy_done), x->swap_info, x->swap_size);
}

static void info_text(FILE *f, const struct slot *s)
{
	const struct stimg_mcuboot_info *x = &s->info;
	char version[32], flags[200];

	fprintf(f, "  mcuboot       header at 0x%08" PRIX32 "\n", s->addr);
	if (s->header) {
		flag_names(x->flags, ", ", flags, sizeof(flags));
		fprintf(f, "    magic               0x%08" PRIX32 "\n"
			"    load address        0x%08" PRIX32 "\n"
			"    header size         0x%X\n"
			"    protected TLV size  0x%X\n"
			"    image size          0x%" PRIX32 " (%" PRIu32 " bytes)\n"
			"    flags               0x%08" PRIX32 "%s%s%s\n"
			"    version             %s\n", x->magic, x->load_addr,
			x->hdr_size, x->protected_tlv_size, x->img_size,
			x->img_size, x->flags, flags[0] ? " (" : "", flags,
			flags[0] ? ")" : "", mcuboot_version_text(&x->version,
								  version));
	}
	if (x->has_prot) {
		fprintf(f, "    protected TLVs      at offset 0x%zX: magic "
			"0x%04X, 0x%X bytes\n", x->prot_off, x->prot_magic,
			x->prot_tot);
		text_tlvs(f, s, true);
	}
	if (x->tlv_off) {
		fprintf(f, "    TLV area            at offset 0x%zX: magic "
			"0x%04X, 0x%X bytes\n", x->tlv_off, x->tlv_magic,
			x->tlv_tot);
		text_tlvs(f, s, false);
	}
	if (s->why)
		fprintf(f, "    not read further    %s\n", s->why);
	else
		text_trailer(f, s);
}

static void json_hex(FILE *f, const uint8_t *p, size_t n)
{
	size_t i;

	fputc('"', f);
	for (i = 0; i < n; i++)
		fprintf(f, "%02x", p[i]);
	fputc('"', f);
}

static void json_area(FILE *f, const char *key, bool has, size_t off,
		      unsigned magic, unsigned size)
{
	fprintf(f, ",\"%s\":", key);
	if (has)
		fprintf(f, "{\"offset\":%zu,\"magic\":%u,\"size\":%u}", off,
			magic, size);
	else
		fprintf(f, "null");
}

static void json_trailer(FILE *f, const struct slot *s)
{
	static const char *const states[] = {
		[STIMG_MCUBOOT_TRAILER_NONE] = "none",
		[STIMG_MCUBOOT_TRAILER_NO_MAGIC] = "no_magic",
		[STIMG_MCUBOOT_TRAILER_MAGIC] = "magic",
	};
	const struct stimg_mcuboot_info *x = &s->info;

	fprintf(f, ",\"trailer\":");
	if (s->why) {
		fprintf(f, "null");
		return;
	}
	fprintf(f, "{\"state\":\"%s\",\"max_align\":", states[x->trailer]);
	if (x->trailer == STIMG_MCUBOOT_TRAILER_MAGIC)
		fprintf(f, "%u", x->max_align);
	else
		fprintf(f, "null");
	if (x->has_fields)
		fprintf(f, ",\"image_ok\":%u,\"copy_done\":%u,\"swap_info\":%u,"
			"\"swap_size\":%" PRIu32 "}", x->image_ok, x->copy_done,
			x->swap_info, x->swap_size);
	else
		fprintf(f, ",\"image_ok\":null,\"copy_done\":null,"
			"\"swap_info\":null,\"swap_size\":null}");
}

static void info_json(FILE *f, const struct slot *s)
{
	const struct stimg_mcuboot_info *x = &s->info;
	char version[32], flags[200];
	size_t i;

	fprintf(f, ",\"mcuboot\":{\"address\":%" PRIu32 ",\"header\":", s->addr);
	if (s->header) {
		flag_names(x->flags, "\",\"", flags, sizeof(flags));
		fprintf(f, "{\"magic\":%" PRIu32 ",\"load_address\":%" PRIu32
			",\"header_size\":%u,\"protected_tlv_size\":%u"
			",\"image_size\":%" PRIu32 ",\"flags\":%" PRIu32
			",\"flag_names\":[%s%s%s],\"version\":\"%s\"}", x->magic,
			x->load_addr, x->hdr_size, x->protected_tlv_size,
			x->img_size, x->flags, flags[0] ? "\"" : "", flags,
			flags[0] ? "\"" : "",
			mcuboot_version_text(&x->version, version));
	} else {
		fprintf(f, "null");
	}
	json_area(f, "protected_tlv_area", x->has_prot, x->prot_off,
		  x->prot_magic, x->prot_tot);
	json_area(f, "tlv_area", x->tlv_off, x->tlv_off, x->tlv_magic,
		  x->tlv_tot);
	fprintf(f, ",\"tlvs\":[");
	for (i = 0; i < x->ntlv; i++) {
		const struct stimg_mcuboot_tlv *t = &x->tlv[i];
		const char *name = stimg_mcuboot_tlv_name(t->type);

		fprintf(f, "%s{\"type\":%u,\"name\":", i ? "," : "", t->type);
		if (name)
			fprintf(f, "\"%s\"", name);
		else
			fprintf(f, "null");
		fprintf(f, ",\"protected\":%s,\"offset\":%zu,\"length\":%u"
			",\"value\":", t->prot ? "true" : "false", t->off, t->len);
		json_hex(f, t->value, t->len);
		fputc('}', f);
	}
	fputc(']', f);
	json_trailer(f, s);
	fprintf(f, ",\"error\":");
	if (s->why)
		json_string(f, s->why);
	else
		fprintf(f, "null");
	fputc('}', f);
}

void mcuboot_info(FILE *f, const struct stimg_image *img, bool json)
{
	struct slot s;

	if (!stimg_mcuboot_detect_image(img)) {
		if (json)
			fprintf(f, ",\"mcuboot\":null");
		return;
	}
	slot_read(&s, img);
	if (json)
		info_json(f, &s);
	else
		info_text(f, &s);
	slot_release(&s);
}

/* "magic, sizes, TLV area, hash": the checks from first up to last. */
static const char *checks(enum stimg_mcuboot_check first,
			  enum stimg_mcuboot_check last, char *buf, size_t n)
{
	size_t at = 0;
	int c;

	buf[0] = '\0';
	for (c = (int)first; c <= (int)last && at < n; c++)
		at += (size_t)snprintf(buf + at, n - at, "%s%s", at ? ", " : "",
				       stimg_mcuboot_check_name(c));
	return buf;
}

/* What verify found: the image, its version and digest, the checks. */
static void verify_report(const char *name, uint32_t addr, bool key,
			  const struct stimg_mcuboot_verify_result *r)
{
	enum stimg_mcuboot_check first = STIMG_MCUBOOT_CHECK_MAGIC,
				 last = STIMG_MCUBOOT_CHECK_SIGNATURE;
	char version[32], digest[2 * STIMG_SHA256_SIZE + 1], ok[80], not[80];

	printf("%s: MCUboot image at 0x%08" PRIX32 "\n", name, addr);
	if (r->failed != STIMG_MCUBOOT_CHECK_MAGIC)
		printf("  version     %s\n", mcuboot_version_text(&r->version,
								 version));
	if (r->has_digest)
		printf("  digest      %s\n", hex_text(r->digest,
						     STIMG_SHA256_SIZE, digest));
	if (r->failed == first) {
		printf("  checks      %s: failed\n", checks(first, first, ok,
							  sizeof(ok)));
	} else if (r->failed) {
		printf("  checks      %s: ok; %s: failed\n",
		       checks(first, r->failed - 1, ok, sizeof(ok)),
		       stimg_mcuboot_check_name(r->failed));
	} else if (key) {
		printf("  checks      %s: ok\n", checks(first, last, ok,
							 sizeof(ok)));
	} else {
		printf("  checks      %s: ok; %s: not checked (no --key)\n",
		       checks(first, STIMG_MCUBOOT_CHECK_HASH, ok, sizeof(ok)),
		       checks(STIMG_MCUBOOT_CHECK_KEY, last, not, sizeof(not)));
	}
}

int mcuboot_verify(const struct stimg_image *img, const char *name,
		   const char *keypath)
{
	struct stimg_mcuboot_verify_result r;
	struct stimg_key *key = NULL;
	struct stimg_diag d;
	uint8_t *data = NULL;
	uint32_t addr = 0;
	size_t len = 0;
	int err, ret;

	diag_init(&d);
	memset(&r, 0, sizeof(r));
	err = keypath ? stimg_key_load(&key, keypath, &d) : STIMG_OK;
	if (!err)
		err = stimg_mcuboot_slot_read(img, STIMG_MCUBOOT_SLOT_MAX, &data,
					      &len, &addr, &d);
	if (err) {
		ret = report(err, &d);
		goto out;
	}
	err = stimg_mcuboot_verify(data, len, key, &r, &d);
	if (verbosity >= 0)
		verify_report(strcmp(name, "-") ? name : "standard input", addr,
			      key, &r);
	if (err && r.failed) {
		error("%s check failed: %s", stimg_mcuboot_check_name(r.failed),
		      d.msg);
		ret = EXIT_BAD;
	} else {
		ret = err ? report(err, &d) : EXIT_OK;
	}
	if (fflush(stdout) || ferror(stdout)) {
		error("cannot write to standard output");
		ret = EXIT_IO;
	}
out:
	stimg_key_free(key);
	free(data);
	return ret;
}
