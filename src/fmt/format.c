/*
 * The format table, detection by content, and reading inputs into an image
 * and writing it. The table below is the only list of formats: a format is
 * a file of its own plus a word in FORMATS.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fmt/fmt.h"

/* Every format, in the order of messages, help and detection. */
#define FORMATS(X) X(ihex) X(srec) X(bin) X(elf) X(dfu) X(uf2)

#define DECLARE(name) extern const struct stimg_format stimg__fmt_##name;
FORMATS(DECLARE)
#define ROW(name) &stimg__fmt_##name,
static const struct stimg_format *const formats[] = { FORMATS(ROW) };

const struct stimg_format *const *stimg_formats(size_t *n)
{
	*n = ARRAY_SIZE(formats);
	return formats;
}

/* Whether the n characters at s are word, in any case. */
static bool named(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && !strncasecmp(s, word, n);
}

const struct stimg_format *stimg_format_by_name(const char *name)
{
	const char *colon = strchr(name, ':');
	size_t n = colon ? (size_t)(colon - name) : strlen(name), i;
	const struct stimg_format *f = NULL;

	for (i = 0; i < ARRAY_SIZE(formats) && !f; i++) {
		const char *const *e;

		if (named(name, n, formats[i]->name))
			f = formats[i];
		/* "hex", "s19", ...: an extension names its format too */
		for (e = formats[i]->extensions; *e && !f; e++)
			if (named(name, n, *e + 1))
				f = formats[i];
	}
	/* NAME:ARG only for a format that takes an ARG, and with one */
	if (f && colon && (!f->read_arg || !colon[1]))
		f = NULL;
	return f;
}

const struct stimg_format *stimg_format_by_extension(const char *path)
{
	const char *dot = strrchr(path, '.');
	size_t i;

	if (!dot || strchr(dot, '/'))
		return NULL;
	for (i = 0; i < ARRAY_SIZE(formats); i++) {
		const char *const *e;

		for (e = formats[i]->extensions; *e; e++)
			if (!strcasecmp(*e, dot))
				return formats[i];
	}
	return NULL;
}

const struct stimg_format *stimg_format_detect(const uint8_t *buf, size_t len)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(formats); i++)
		if (formats[i]->detect && formats[i]->detect(buf, len))
			return formats[i];
	return NULL;
}

const char *stimg_format_names(int which)
{
	static char names[3][128];
	char *buf = names[which & 3];
	size_t i, at = 0;

	if (buf[0])
		return buf;
	for (i = 0; i < ARRAY_SIZE(formats); i++) {
		const struct stimg_format *f = formats[i];

		if ((which & STIMG_FORMAT_READ && !f->read) ||
		    (which & STIMG_FORMAT_WRITE && !f->write))
			continue;
		at += (size_t)snprintf(buf + at, sizeof(names[0]) - at, "%s%s",
				       at ? ", " : "", f->name);
	}
	return buf;
}

void stimg_write_opts_init(struct stimg_write_opts *o,
			   const struct stimg_format *fmt)
{
	memset(o, 0, sizeof(*o));
	o->fmt = fmt;
	if (fmt->opts_init)
		fmt->opts_init(o->opts.bytes);
}

/* "ihex and srec": the formats with option name. */
static void formats_with(const char *name, char *buf, size_t n)
{
	size_t i, k, found = 0;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(formats); i++) {
		const struct stimg_format_option *op = formats[i]->options;

		for (k = 0; op && op[k].name; k++)
			if (!strcmp(op[k].name, name))
				snprintf(buf + strlen(buf), n - strlen(buf), "%s%s",
					 found++ ? ", " : "", formats[i]->name);
	}
}

int stimg_write_opts_set(struct stimg_write_opts *o, const char *name,
			 const char *value, struct stimg_diag *d)
{
	const struct stimg_format_option *op = o->fmt->options;
	char with[128];
	size_t k;

	for (k = 0; op && op[k].name; k++)
		if (!strcmp(op[k].name, name))
			return o->fmt->opts_set(o->opts.bytes, name, value, d);
	formats_with(name, with, sizeof(with));
	return diag_set(d, NULL, 0, STIMG_EINVAL,
			"--%s is an option of %s output, not of %s", name,
			with[0] ? with : "no", o->fmt->name);
}

int spec_split(const char *spec, char **path, uint64_t *addr)
{
	const char *at = strrchr(spec, '@');
	int ret;

	if (!at || at == spec)
		return 0;
	ret = stimg_parse_number(at + 1, STIMG_ADDR_END - 1, addr);
	if (ret)
		return ret == STIMG_ERANGE ? ret : 0;
	*path = strndup(spec, (size_t)(at - spec));
	return *path ? 1 : STIMG_ENOMEM;
}

bool stimg_input_rereadable(const char *spec)
{
	char *path = NULL;
	uint64_t addr;
	bool yes;

	if (spec_split(spec, &path, &addr) < 0)
		return false;
	yes = os_regular_file(path ? path : spec);
	free(path);
	return yes;
}

/* The image as a reader's sink: bytes go in under the overlap policy. */
struct image_sink {
	struct stimg_image *img;
	uint32_t src;
	enum stimg_overlap overlap;
	bool has_entry;
	const uint8_t *kept;	/* the reader's memory the image keeps */
	size_t nkept;
};

static int image_data(void *ctx, uint64_t addr, const uint8_t *p, size_t len,
		      uint32_t line, uint32_t step, struct stimg_diag *d)
{
	struct image_sink *k = ctx;

	/* bytes in memory the image keeps: pointed at, not copied */
	if (k->kept && p >= k->kept && len <= k->nkept &&
	    (size_t)(p - k->kept) <= k->nkept - len && !line)
		return stimg_image_put_ref(k->img, addr, p, len, k->src,
					   k->overlap, d);
	return stimg_image_put_records(k->img, addr, p, len, k->src, line, step,
				       k->overlap, d);
}

static bool image_keep(void *ctx, void *mem, size_t len,
		       void (*release)(void *mem, size_t len))
{
	struct image_sink *k = ctx;

	if (k->kept || stimg_image_keep(k->img, mem, len, release))
		return false;
	k->kept = mem;
	k->nkept = len;
	return true;
}

static int image_entry(void *ctx, uint32_t entry)
{
	struct image_sink *k = ctx;

	uint32_t had;

	if (k->has_entry)
		return STIMG_OK;
	k->has_entry = true;
	/* the image's own: the first input's, until a policy says otherwise */
	if (!stimg_image_entry(k->img, &had))
		stimg_image_set_entry(k->img, true, entry);
	return stimg_image_source_entry(k->img, k->src, entry);
}

static int image_drop(void *ctx, uint64_t start, uint64_t end, const char *why)
{
	struct image_sink *k = ctx;

	return stimg_image_add_dropped(k->img, start, end, k->src, why);
}

static int image_place(void *ctx, const struct stimg_place *p)
{
	struct image_sink *k = ctx;
	struct stimg_place q = *p;

	q.src = k->src;
	return stimg_image_add_place(k->img, &q);
}

static int image_elf(void *ctx, const struct stimg_elf_info *e)
{
	struct image_sink *k = ctx;

	return stimg_image_source_elf(k->img, k->src, e);
}

static int image_attr(void *ctx, const char *key, const char *value)
{
	struct image_sink *k = ctx;

	return stimg_image_source_attr(k->img, k->src, key, value);
}

/*
 * A second reading of an input, to find the first record (before line
 * below, when below is not 0) that covers addr.
 */
struct probe {
	uint32_t addr, below;
	bool found;
	uint32_t line;
	struct stimg_range record;
};

static int probe_data(void *ctx, uint64_t addr, const uint8_t *p, size_t len,
		      uint32_t line, uint32_t step, struct stimg_diag *d)
{
	struct probe *k = ctx;
	uint64_t n = 0;

	(void)p;
	(void)d;
	if (k->below && line >= k->below)
		return STIMG_STOP;
	if (k->addr < addr || k->addr >= addr + len)
		return STIMG_OK;
	if (line && step) {
		n = (k->addr - addr) / step;
		if (k->below && line + n >= k->below)
			return STIMG_STOP;
		addr += n * step;
		len = len - n * step < step ? len - n * step : step;
	}
	k->found = true;
	k->line = line ? line + (uint32_t)n : 0;
	k->record.start = addr;
	k->record.end = addr + len;
	return STIMG_STOP;
}

static int probe_entry(void *ctx, uint32_t entry)
{
	(void)ctx;
	(void)entry;
	return STIMG_OK;
}

/* What it takes to read a regular file again: the image's resolver. */
struct again {
	char *path;
	char *arg;		/* o.arg's copy */
	const struct stimg_format *fmt;
	struct stimg_read_opts o;
};

static int again_find(void *ctx, uint32_t addr, uint32_t below,
		      uint32_t *line, struct stimg_range *record)
{
	struct again *a = ctx;
	struct probe p = { addr, below, false, 0, { 0, 0 } };
	const struct stimg_sink k = { probe_data, probe_entry, sink_skip_drop,
				      sink_skip_place, sink_skip_elf,
				      sink_skip_attr, NULL, &p };
	struct stimg_input in;
	int ret;

	ret = stimg_input_open(&in, a->path, NULL);
	if (!ret)
		ret = a->fmt->read(&in, &k, &a->o, NULL);
	stimg_input_close(&in);
	if (ret < 0)
		return ret;
	*line = p.line;
	*record = p.record;
	return p.found;
}

static void again_free(void *ctx)
{
	struct again *a = ctx;

	free(a->path);
	free(a->arg);
	free(a);
}

/*
 * Adds the input being read to img's sources: a regular file with what it
 * takes to read it again. Standard input, a FIFO or a device is read once
 * (opening a FIFO again would wait for a writer that never comes).
 */
static int add_source(struct stimg_image *img, const char *path,
		      const struct stimg_input *in,
		      const struct stimg_format *fmt,
		      const struct stimg_read_opts *o, uint32_t *id)
{
	struct stimg_resolver r = { again_find, again_free, NULL };
	struct again *a = NULL;

	if (in->regular && strcmp(path, "-")) {
		a = calloc(1, sizeof(*a));
		if (!a || !(a->path = strdup(path)) ||
		    (o->arg && !(a->arg = strdup(o->arg)))) {
			if (a)
				again_free(a);
			return STIMG_ENOMEM;
		}
		a->fmt = fmt;
		a->o = *o;
		a->o.arg = a->arg;
		r.ctx = a;
	}
	return stimg_image_add_source(img, in->name, fmt->name, a ? &r : NULL,
				      id);
}

/*
 * stimg_read and stimg_read_mem: spec is read from the file it names, or
 * (mem not NULL) its bytes are the len at mem.
 */
static int read_spec(struct stimg_image *img, const struct stimg_sink *sink,
		     const char *spec, const uint8_t *mem, size_t len,
		     const char *format, enum stimg_overlap overlap,
		     const struct stimg_format **used, bool *regular,
		     struct stimg_diag *d)
{
	/*
	 * a sink that streams may get a large file read in halves at once;
	 * an image holds all of it already, and the second half's tape too
	 * would be more memory than SPEC 7 allows
	 */
	struct stimg_read_opts o = { 0, false, overlap, NULL, !img };
	struct image_sink is = { img, 0, overlap, false, NULL, 0 };
	const struct stimg_sink image = { image_data, image_entry, image_drop,
					  image_place, image_elf, image_attr,
					  image_keep, &is };
	const struct stimg_sink *k = img ? &image : sink;
	struct stimg_input in = { 0 };
	const struct stimg_format *fmt = NULL;
	char *path = NULL;
	int ret;

	in.fd = -1;
	ret = spec_split(spec, &path, &o.addr);
	if (ret == STIMG_ERANGE)
		ret = diag_set(d, NULL, 0, ret, "address '%s' of '%s' lies past "
			       "the 32-bit address space",
			       strrchr(spec, '@') + 1, spec);
	if (ret < 0)
		goto out;
	o.has_addr = ret > 0;
	if (format) {
		fmt = stimg_format_by_name(format);
		o.arg = strchr(format, ':') ? strchr(format, ':') + 1 : NULL;
		if (!fmt || !fmt->read) {
			ret = diag_set(d, NULL, 0, STIMG_EINVAL,
				       "unknown format '%s' (known: %s)",
				       format,
				       stimg_format_names(STIMG_FORMAT_READ));
			goto out;
		}
	} else if (o.has_addr) {
		fmt = &stimg__fmt_bin;
	}
	if (fmt && fmt->flags & STIMG_FORMAT_NEEDS_ADDRESS && !o.has_addr) {
		ret = diag_set(d, NULL, 0, STIMG_EINVAL,
			       "a raw binary needs an address: %s@0x08000000",
			       spec);
		goto out;
	}
	if (mem)
		ret = input_open_mem(&in, o.has_addr ? path : spec, mem, len);
	else
		ret = stimg_input_open(&in, o.has_addr ? path : spec, d);
	if (ret)
		goto out;
	if (!fmt)
		fmt = stimg_format_detect(in.buf, in.len);
	if (!fmt) {
		ret = diag_set(d, NULL, 0, STIMG_EFORMAT,
			       "cannot tell the format of '%s'; a raw binary "
			       "needs an address: %s@0x08000000",
			       spec, spec);
		goto out;
	}
	if (!fmt->read) {
		ret = diag_set(d, in.name, 0, STIMG_EINVAL,
			       "reading %s is not supported", fmt->name);
		goto out;
	}
	if (img)
		ret = add_source(img, o.has_addr ? path : spec, &in, fmt, &o,
				 &is.src);
	if (!ret)
		ret = fmt->read(&in, k, &o, d);
	if (used)
		*used = fmt;
	if (regular)
		*regular = in.regular;
out:
	stimg_input_close(&in);
	free(path);
	return ret;
}

int stimg_read(struct stimg_image *img, const char *spec, const char *format,
	       enum stimg_overlap overlap, const struct stimg_format **used,
	       struct stimg_diag *d)
{
	return read_spec(img, NULL, spec, NULL, 0, format, overlap, used, NULL,
			 d);
}

int stimg_read_sink(const char *spec, const char *format,
		    enum stimg_overlap overlap, const struct stimg_sink *k,
		    const struct stimg_format **used, bool *regular,
		    struct stimg_diag *d)
{
	return read_spec(NULL, k, spec, NULL, 0, format, overlap, used, regular,
			 d);
}

int stimg_read_mem(struct stimg_image *img, const char *spec,
		   const uint8_t *data, size_t len, const char *format,
		   enum stimg_overlap overlap, const struct stimg_format **used,
		   struct stimg_diag *d)
{
	/* a non-NULL pointer marks the input as memory, even when empty */
	return read_spec(img, NULL, spec, data ? data : (const uint8_t *)"",
			 len, format, overlap, used, NULL, d);
}

int stimg_write(const struct stimg_image *img, const char *path,
		const struct stimg_write_opts *o, struct stimg_diag *d)
{
	const struct stimg_format *fmt = o->fmt;
	struct stimg_output out;
	int ret;

	if (!fmt->write)
		return diag_set(d, NULL, 0, STIMG_EINVAL,
				"writing %s is not supported", fmt->name);
	ret = stimg_output_open(&out, path, d);
	if (ret)
		return ret;
	ret = fmt->write(img, out.f, o->opts.bytes, d);
	if (ret == STIMG_EIO)
		diag_set(d, out.path ? out.path : path, 0, ret,
			 "cannot write: %s", strerror(errno));
	if (ret)
		stimg_output_abort(&out);
	else
		ret = stimg_output_commit(&out, d);
	return ret;
}
