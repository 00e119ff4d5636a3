/* The format table, detection by content, and reading and writing files. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "internal.h"

static const struct stimg_format *const formats[] = {
	&stimg_fmt_elf,
	&stimg_fmt_ihex,
	&stimg_fmt_srec,
	&stimg_fmt_bin,
};

const struct stimg_format *stimg_format_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(formats); i++) {
		const char *const *e;

		if (!strcasecmp(formats[i]->name, name))
			return formats[i];
		/* "hex", "s19", ...: an extension names its format too */
		for (e = formats[i]->extensions; *e; e++)
			if (!strcasecmp(*e + 1, name))
				return formats[i];
	}
	return NULL;
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

const char *stimg_format_names(void)
{
	return "ihex, srec, bin, elf";
}

/*
 * Splits PATH@ADDR: 1 when spec ends in a numeric @ADDR, 0 when it has
 * none, STIMG_ERANGE when ADDR is a number at or past 4 GiB.
 */
static int split_at(const char *spec, char **path, uint64_t *addr)
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

/*
 * Adds the input being read to img's sources, with what it takes to read it
 * again, and sets o->src. Only a regular file is read again: standard
 * input, a FIFO or a device is read once (opening a FIFO again would wait
 * for a writer that never comes).
 */
static int register_source(struct stimg_image *img, const char *path,
			   const struct stimg_input *in,
			   const struct stimg_format *fmt,
			   struct stimg_read_opts *o)
{
	struct stimg_source *src;
	int ret;

	ret = stimg_image_add_source(img, in->name, &o->src);
	if (ret)
		return ret;
	src = &img->src[o->src];
	src->format = fmt->name;
	src->addr = o->addr;
	if (in->regular && strcmp(path, "-")) {
		src->path = strdup(path);
		if (!src->path)
			return STIMG_ENOMEM;
	}
	return STIMG_OK;
}

int source_probe(const struct stimg_source *src, struct stimg_probe *p)
{
	const struct stimg_format *fmt = stimg_format_by_name(src->format);
	struct stimg_read_opts o = { STIMG_OVERLAP_ERROR, src->addr, true, 0 };
	struct stimg_image scratch = STIMG_IMAGE_INIT;
	struct stimg_input in = { 0 };
	int ret;

	scratch.probe = p;
	ret = stimg_input_open(&in, src->path, NULL);
	if (!ret)
		ret = stimg_image_add_source(&scratch, in.name, &o.src);
	if (!ret)
		ret = fmt->read(&in, &scratch, &o, NULL);
	stimg_input_close(&in);
	stimg_image_release(&scratch);
	return ret == STIMG_STOP ? STIMG_OK : ret;
}

/*
 * stimg_read and stimg_read_mem: spec is read from the file it names, or
 * (mem not NULL) its bytes are the len at mem.
 */
static int read_spec(struct stimg_image *img, const char *spec,
		     const uint8_t *mem, size_t len, const char *format,
		     enum stimg_overlap overlap, const struct stimg_format **used,
		     struct stimg_diag *d)
{
	struct stimg_read_opts o = { overlap, 0, false, 0 };
	struct stimg_input in = { 0 };
	const struct stimg_format *fmt = NULL;
	char *path = NULL;
	int ret;

	in.fd = -1;
	ret = split_at(spec, &path, &o.addr);
	if (ret == STIMG_ERANGE)
		ret = diag_set(d, NULL, 0, ret, "address '%s' of '%s' lies past "
			       "the 32-bit address space",
			       strrchr(spec, '@') + 1, spec);
	if (ret < 0)
		goto out;
	o.has_addr = ret > 0;
	if (format) {
		fmt = stimg_format_by_name(format);
		if (!fmt) {
			ret = diag_set(d, NULL, 0, STIMG_EINVAL,
				       "unknown format '%s' (known: %s)",
				       format, stimg_format_names());
			goto out;
		}
	} else if (o.has_addr) {
		fmt = &stimg_fmt_bin;
	}
	if (fmt == &stimg_fmt_bin && !o.has_addr) {
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
	ret = register_source(img, o.has_addr ? path : spec, &in, fmt, &o);
	if (!ret)
		ret = fmt->read(&in, img, &o, d);
	if (!ret)
		ret = stimg_image_flush(img, d);
	if (used)
		*used = fmt;
out:
	stimg_input_close(&in);
	free(path);
	return ret;
}

int stimg_read(struct stimg_image *img, const char *spec, const char *format,
	       enum stimg_overlap overlap, const struct stimg_format **used,
	       struct stimg_diag *d)
{
	return read_spec(img, spec, NULL, 0, format, overlap, used, d);
}

int stimg_read_mem(struct stimg_image *img, const char *spec,
		   const uint8_t *data, size_t len, const char *format,
		   enum stimg_overlap overlap, const struct stimg_format **used,
		   struct stimg_diag *d)
{
	/* a non-NULL pointer marks the input as memory, even when empty */
	return read_spec(img, spec, data ? data : (const uint8_t *)"", len,
			 format, overlap, used, d);
}

void stimg_write_opts_init(struct stimg_write_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->record_size = 16;
	o->fill = 0xFF;
	o->max_size = 64u << 20;
}

int stimg_write(const struct stimg_image *img, const char *path,
		const struct stimg_format *fmt,
		const struct stimg_write_opts *o, struct stimg_diag *d)
{
	struct stimg_output out;
	int ret;

	if (!fmt->write)
		return diag_set(d, NULL, 0, STIMG_EINVAL,
				"writing %s is not supported", fmt->name);
	ret = stimg_output_open(&out, path, d);
	if (ret)
		return ret;
	ret = fmt->write(img, out.f, o, d);
	if (ret == STIMG_EIO)
		diag_set(d, path, 0, ret, "cannot write: %s", strerror(errno));
	if (ret)
		stimg_output_abort(&out);
	else
		ret = stimg_output_commit(&out, d);
	return ret;
}
