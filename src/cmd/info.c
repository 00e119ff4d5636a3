/* stimg info: what an image holds, as text or as one JSON object. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "stimg/elf.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

enum { INFO_JSON = OPT_OWN };

const struct opt info_options[] = {
	OPT_TEXT("usage: stimg info [--json] [-I FORMAT] FILE...\n"
		 "Shows each file's format, entry point, regions and gaps, total bytes\n"
		 "and the Cortex-M vector table at its lowest address; for ELF also its\n"
		 "header, loadable segments, the sections that load, the ranges stripped\n"
		 "(not flashed) and why, and the .fw_version and .crc fields; for an\n"
		 "MCUboot image its header, every TLV and the trailer.\n"),
	{ 0, "json", NULL, "one JSON object: {\"files\": [...]}; addresses and\n"
	  "sizes as numbers, \"end\" one past the last byte", INFO_JSON, NULL },
	OPT_BLOCK(opt_iformat),
	OPT_BLOCK(opt_verbosity),
	OPT_END,
};

/* A JSON string: quotes, backslashes and control characters escaped. */
void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/*
 * The image's regions (gaps false) or the gaps between them, one at a
 * time: they are as many as the records of a file can make, so they are
 * walked, never gathered. Returns false after the last.
 */
static bool next_range(const struct stimg_image *img, bool gaps, uint64_t *at,
		       uint64_t *prev_end, struct stimg_range *r)
{
	struct stimg_range reg;

	while (stimg_image_next_region(img, at, &reg)) {
		uint64_t gap = *prev_end;

		*prev_end = reg.end;
		if (!gaps) {
			*r = reg;
			return true;
		}
		if (gap && gap < reg.start) {
			r->start = gap;
			r->end = reg.start;
			return true;
		}
	}
	return false;
}

static void json_ranges(FILE *f, const char *key, const struct stimg_image *img,
			bool gaps)
{
	struct stimg_range r;
	uint64_t at = 0, end = 0;
	size_t i = 0;

	fprintf(f, ",\"%s\":[", key);
	while (next_range(img, gaps, &at, &end, &r))
		fprintf(f, "%s{\"start\":%" PRIu64 ",\"end\":%" PRIu64
			",\"size\":%" PRIu64 "}", i++ ? "," : "", r.start, r.end,
			r.end - r.start);
	fputc(']', f);
}

static void text_ranges(FILE *f, const struct stimg_image *img, bool gaps)
{
	struct stimg_range r;
	uint64_t at = 0, end = 0;

	while (next_range(img, gaps, &at, &end, &r))
		fprintf(f, "    0x%08" PRIX64 "..0x%08" PRIX64 "  %10" PRIu64 " bytes\n",
			r.start, r.end - 1, r.end - r.start);
}

/* "R X": a segment's p_flags (PF_R 4, PF_W 2, PF_X 1). */
static const char *segment_flags(uint32_t f, char *buf)
{
	snprintf(buf, 8, "%s%s%s", f & 4 ? "R" : "", f & 2 ? "W" : "",
		 f & 1 ? "X" : "");
	if (!buf[0])
		snprintf(buf, 8, "-");
	return buf;
}

/* An ELF input's header facts (info reads one input an image), or NULL. */
static const struct stimg_elf_info *elf_of(const struct stimg_image *img)
{
	return stimg_image_nsources(img) ? stimg_image_source(img, 0)->elf
					 : NULL;
}

/* The facts the reader found in the file's own header, *a; how many. */
static size_t attrs_of(const struct stimg_image *img, const struct stimg_attr **a)
{
	const struct stimg_source *s;

	if (!stimg_image_nsources(img))
		return 0;
	s = stimg_image_source(img, 0);
	*a = s->attrs;
	return s->nattrs;
}

/* The header fields SPEC names, when the input has them as sections. */
static const char *const header_fields[] = { ".fw_version", ".crc" };

/* Header field i as a section that loads, or NULL. */
static const struct stimg_place *header_field(const struct stimg_image *img,
					      size_t i)
{
	const struct stimg_place *p;

	p = stimg_image_find_place(img, STIMG_PLACE_SECTION, header_fields[i]);
	return p && p->loads ? p : NULL;
}

/* Up to 32 bytes of a field as hex, sep between bytes; "" if missing. */
static void field_bytes(const struct stimg_image *img,
			const struct stimg_place *p, const char *sep,
			char *buf, size_t len)
{
	uint8_t b[32];
	size_t n = p->size < sizeof(b) ? (size_t)p->size : sizeof(b), i, at = 0;

	buf[0] = '\0';
	if (!stimg_image_get(img, (uint32_t)p->addr, b, n))
		return;
	for (i = 0; i < n && at < len; i++)
		at += (size_t)snprintf(buf + at, len - at, "%s%02X",
				       i ? sep : "", b[i]);
	if (n < p->size && at < len)
		snprintf(buf + at, len - at, "%s...", sep);
}

static void json_elf(FILE *f, const struct stimg_image *img)
{
	const struct stimg_elf_info *e = elf_of(img);
	const char *type = stimg_elf_type_name(e->type);
	const char *machine = stimg_elf_machine_name(e->machine);
	char flags[8];
	size_t i, n = 0;

	fprintf(f, ",\"elf\":{\"class\":%u,\"endian\":\"%s\",\"type\":",
		e->elf_class, e->big_endian ? "big" : "little");
	if (type)
		fprintf(f, "\"%s\"", type);
	else
		fprintf(f, "null");
	fprintf(f, ",\"type_number\":%u,\"machine\":", e->type);
	if (machine)
		fprintf(f, "\"%s\"", machine);
	else
		fprintf(f, "null");
	fprintf(f, ",\"machine_number\":%u,\"flags\":%" PRIu32
		",\"entry\":%" PRIu64 ",\"program_headers\":%zu"
		",\"section_headers\":%zu,\"segments\":[", e->machine,
		e->flags, e->entry, e->phnum, e->shnum);
	for (i = 0; i < stimg_image_nplaces(img); i++) {
		const struct stimg_place *p = stimg_image_place(img, i);

		if (p->kind != STIMG_PLACE_SEGMENT)
			continue;
		fprintf(f, "%s{\"index\":%" PRIu32 ",\"offset\":%" PRIu64
			",\"file_size\":%" PRIu64 ",\"load_address\":%" PRIu64
			",\"run_address\":%" PRIu64 ",\"memory_size\":%" PRIu64
			",\"flags\":\"%s\",\"image\":", n++ ? "," : "",
			p->index, p->offset, p->size, p->addr, p->vaddr,
			p->memsize, segment_flags(p->flags, flags));
		if (p->loads)
			fprintf(f, "{\"start\":%" PRIu64 ",\"end\":%" PRIu64 "}",
				p->kept_start, p->kept_end);
		else
			fprintf(f, "null");
		fputc('}', f);
	}
	fprintf(f, "]}");
}

/* "stripped", "sections", "header" and "elf": [] and null for non-ELF. */
static void json_layout(FILE *f, const struct stimg_image *img)
{
	const struct stimg_place *p;
	char bytes[100];
	size_t i, n = 0;

	fprintf(f, ",\"stripped\":[");
	for (i = 0; i < stimg_image_ndropped(img); i++) {
		const struct stimg_dropped *s = stimg_image_dropped(img, i);

		fprintf(f, "%s{\"start\":%" PRIu64 ",\"end\":%" PRIu64
			",\"size\":%" PRIu64 ",\"reason\":", i ? "," : "",
			s->start, s->end, s->end - s->start);
		json_string(f, s->why);
		fputc('}', f);
	}
	fprintf(f, "],\"sections\":[");
	for (i = 0; i < stimg_image_nplaces(img); i++) {
		p = stimg_image_place(img, i);
		if (p->kind != STIMG_PLACE_SECTION || !p->loads)
			continue;
		fprintf(f, "%s{\"name\":", n++ ? "," : "");
		json_string(f, p->name);
		fprintf(f, ",\"start\":%" PRIu64 ",\"end\":%" PRIu64
			",\"size\":%" PRIu64 ",\"run_address\":%" PRIu64
			",\"offset\":%" PRIu64 ",\"segment\":%" PRIu32 "}",
			p->addr, p->addr + p->size, p->size, p->vaddr,
			p->offset, p->parent);
	}
	fprintf(f, "],\"header\":[");
	for (i = n = 0; i < ARRAY_SIZE(header_fields); i++) {
		if (!(p = header_field(img, i)))
			continue;
		field_bytes(img, p, "", bytes, sizeof(bytes));
		fprintf(f, "%s{\"name\":\"%s\",\"start\":%" PRIu64
			",\"end\":%" PRIu64 ",\"size\":%" PRIu64
			",\"bytes\":\"%s\"}", n++ ? "," : "", p->name, p->addr,
			p->addr + p->size, p->size, bytes);
	}
	fputc(']', f);
	if (elf_of(img))
		json_elf(f, img);
	else
		fprintf(f, ",\"elf\":null");
}

static void text_elf(FILE *f, const struct stimg_image *img)
{
	const struct stimg_elf_info *e = elf_of(img);
	const char *type = stimg_elf_type_name(e->type);
	const char *machine = stimg_elf_machine_name(e->machine);
	static const char *const kinds[] = {
		"no file type", "object file", "executable",
		"shared object or position-independent executable", "core file",
	};

	fprintf(f, "  elf           ELF%u %s-endian %s (ET_%s), ", e->elf_class,
		e->big_endian ? "big" : "little",
		e->type < ARRAY_SIZE(kinds) ? kinds[e->type] : "file",
		type ? type : "?");
	if (machine)
		fprintf(f, "%s%s", machine, e->machine == 40 ? "" : " (not ARM)");
	else
		fprintf(f, "machine %u (not ARM)", e->machine);
	fprintf(f, "; %zu program header(s), %zu loadable; %zu section header(s)\n",
		e->phnum, e->nload, e->shnum);
}

static void text_segments(FILE *f, const struct stimg_image *img)
{
	const struct stimg_elf_info *e = elf_of(img);
	char flags[8];
	size_t i;

	if (!e->nload) {
		fprintf(f, "  segments      none loadable: nothing to flash\n");
		return;
	}
	fprintf(f, "  segments      %zu loadable\n"
		"      #  offset      file size   load addr   run addr    "
		"mem size    flags  in the image\n", e->nload);
	for (i = 0; i < stimg_image_nplaces(img); i++) {
		const struct stimg_place *p = stimg_image_place(img, i);

		if (p->kind != STIMG_PLACE_SEGMENT)
			continue;
		fprintf(f, "    %3" PRIu32 "  0x%08" PRIX64 "  0x%08" PRIX64
			"  0x%08" PRIX64 "  0x%08" PRIX64 "  0x%08" PRIX64
			"  %-5s  ", p->index, p->offset, p->size, p->addr,
			p->vaddr, p->memsize, segment_flags(p->flags, flags));
		if (p->loads)
			fprintf(f, "0x%08" PRIX64 "..0x%08" PRIX64 "\n",
				p->kept_start, p->kept_end - 1);
		else
			fprintf(f, "none\n");
	}
}

static void text_layout(FILE *f, const struct stimg_image *img)
{
	const struct stimg_place *p;
	char size[32], bytes[100], name[256];
	size_t i, n = 0;

	for (i = 0; i < stimg_image_nplaces(img); i++)
		n += stimg_image_place(img, i)->kind == STIMG_PLACE_SECTION &&
		     stimg_image_place(img, i)->loads;
	if (!elf_of(img)->shnum)
		fprintf(f, "  sections      none: no section headers, whole "
			"segments loaded\n");
	else
		fprintf(f, "  sections      %zu that load\n", n);
	for (i = 0; i < stimg_image_nplaces(img); i++) {
		p = stimg_image_place(img, i);
		if (p->kind != STIMG_PLACE_SECTION || !p->loads)
			continue;
		fprintf(f, "    %-16s  0x%08" PRIX64 "..0x%08" PRIX64 "  %10" PRIu64
			" bytes  segment %" PRIu32,
			stimg_escape(p->name, name, sizeof(name)), p->addr,
			p->addr + p->size - 1, p->size, p->parent);
		if (p->vaddr != p->addr)
			fprintf(f, ", runs at 0x%08" PRIX64, p->vaddr);
		fputc('\n', f);
	}
	if (!stimg_image_ndropped(img))
		fprintf(f, "  stripped      none\n");
	else
		fprintf(f, "  stripped      %zu range(s)\n", stimg_image_ndropped(img));
	for (i = 0; i < stimg_image_ndropped(img); i++) {
		const struct stimg_dropped *s = stimg_image_dropped(img, i);

		fprintf(f, "    0x%08" PRIX64 "..0x%08" PRIX64 " (%s): %s, not "
			"flashed\n", s->start, s->end - 1,
			size_text(s->end - s->start, size, sizeof(size)), s->why);
	}
	for (i = n = 0; i < ARRAY_SIZE(header_fields); i++) {
		if (!(p = header_field(img, i)))
			continue;
		field_bytes(img, p, " ", bytes, sizeof(bytes));
		fprintf(f, "  %-12s  %s at 0x%08" PRIX64 ", %s: %s\n",
			n++ ? "" : "header", p->name, p->addr,
			size_text(p->size, size, sizeof(size)), bytes);
	}
}

/* What info shows of one input, worked out once for either form. */
struct facts {
	const char *name;
	const struct stimg_format *fmt;
	const struct stimg_image *img;
	size_t regions;
	struct stimg_vectors v;
	bool has_entry;
	uint32_t entry;
};

static void print_json(FILE *f, const struct facts *x)
{
	const struct stimg_image *img = x->img;
	const struct stimg_vectors v = x->v;
	const struct stimg_attr *a;
	size_t i;

	fprintf(f, "{\"file\":");
	json_string(f, x->name);
	fprintf(f, ",\"format\":\"%s\",\"attributes\":{", x->fmt->name);
	for (i = 0; i < attrs_of(img, &a); i++) {
		fprintf(f, "%s", i ? "," : "");
		json_string(f, a[i].key);
		fputc(':', f);
		json_string(f, a[i].value);
	}
	fprintf(f, "},\"entry\":");
	if (x->has_entry)
		fprintf(f, "%" PRIu32, x->entry);
	else
		fprintf(f, "null");
	fprintf(f, ",\"bytes\":%" PRIu64, stimg_image_bytes(img));
	json_ranges(f, "regions", img, false);
	json_ranges(f, "gaps", img, true);
	fprintf(f, ",\"vector_table\":");
	if (v.present)
		fprintf(f, "{\"address\":%" PRIu32 ",\"initial_sp\":%" PRIu32
			",\"reset_handler\":%" PRIu32 ",\"sp_plausible\":%s"
			",\"reset_plausible\":%s}", v.addr, v.sp, v.reset,
			v.sp_ok ? "true" : "false", v.reset_ok ? "true" : "false");
	else
		fprintf(f, "null");
	json_layout(f, img);
	mcuboot_info(f, img, true);
	fputc('}', f);
}

static void print_text(FILE *f, const struct facts *x)
{
	const struct stimg_image *img = x->img;
	const struct stimg_vectors v = x->v;
	const struct stimg_attr *a;
	size_t i;

	fprintf(f, "%s: %s\n", x->name, x->fmt->title);
	for (i = 0; i < attrs_of(img, &a); i++)
		fprintf(f, "  %-13s %s\n", a[i].key, a[i].value);
	if (elf_of(img))
		text_elf(f, img);
	if (x->has_entry)
		fprintf(f, "  entry point   0x%08" PRIX32 "\n", x->entry);
	else
		fprintf(f, "  entry point   none\n");
	fprintf(f, "  data          %" PRIu64 " bytes in %zu region(s)\n",
		stimg_image_bytes(img), x->regions);
	text_ranges(f, img, false);
	if (x->regions > 1) {
		fprintf(f, "  gaps          %zu\n", x->regions - 1);
		text_ranges(f, img, true);
	}
	if (elf_of(img)) {
		text_segments(f, img);
		text_layout(f, img);
	}
	mcuboot_info(f, img, false);
	if (v.present)
		fprintf(f, "  vector table  at 0x%08" PRIX32 ": initial SP 0x%08" PRIX32
			" (%s), reset handler 0x%08" PRIX32 " (%s)\n",
			v.addr, v.sp, v.sp_ok ? "plausible" : "not in RAM or not aligned",
			v.reset, v.reset_ok ? "plausible"
			: "not a Thumb address inside the image");
	else
		fprintf(f, "  vector table  none (fewer than 8 bytes at the lowest address)\n");
}

int cmd_info(int argc, char **argv)
{
	struct common_opts co = { NULL, NULL, NULL };
	bool json = false;
	int c, i, ret = EXIT_OK, err = STIMG_OK;
	struct opt_parser p;
	struct stimg_diag d;
	char *doc = NULL, *arg;
	size_t doclen = 0;
	FILE *f = stdout;

	diag_init(&d);
	opt_init(&p, "info", info_options, argc, argv);
	while ((c = opt_next(&p, &arg)) > 0) {
		if (common_option(c, arg, &co))
			continue;
		if (c != INFO_JSON)
			return opt_unhandled(&p, c);
		json = true;
	}
	if (c == OPT_STOP)
		return p.status;
	if (!p.nargs)
		return usage_error("info", "no input files");
	/* JSON is a whole document or nothing: built in memory first */
	if (json && !(f = open_memstream(&doc, &doclen))) {
		error("out of memory");
		return EXIT_IO;
	}
	if (json)
		fprintf(f, "{\"files\":[");
	for (i = 0; i < p.nargs && !err; i++) {
		struct stimg_image img = STIMG_IMAGE_INIT;
		struct facts x = { p.args[i], NULL, &img, 0, { 0 }, false, 0 };

		err = stimg_read(&img, p.args[i], co.iformat, STIMG_OVERLAP_ERROR,
				 &x.fmt, &d);
		x.regions = stimg_image_nregions(&img);
		stimg_image_vectors(&img, &x.v);
		x.has_entry = stimg_image_entry(&img, &x.entry);
		if (!err && i > 0)
			fputc(json ? ',' : '\n', f);
		if (!err && json)
			print_json(f, &x);
		else if (!err)
			print_text(f, &x);
		stimg_image_release(&img);
	}
	if (json) {
		fprintf(f, "]}\n");
		if (fclose(f) && !err)
			err = STIMG_ENOMEM;
		if (!err)
			fwrite(doc, 1, doclen, stdout);
		free(doc);
	}
	if (err) {
		fflush(stdout);
		return report(err, &d);
	}
	if (fflush(stdout) || ferror(stdout)) {
		error("cannot write to standard output");
		ret = EXIT_IO;
	}
	return ret;
}
