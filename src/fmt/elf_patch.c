/*
 * The in-place ELF patcher: image bytes written back into a copy of the
 * ELF file at the offsets of the sections that hold them. libelf's own
 * writer (elf_update, even with ELF_F_LAYOUT) rewrites the bytes between
 * sections with its fill byte, so a file whose padding is not zero would
 * change where nothing was patched; the copy changes exactly the patched
 * bytes.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "fmt/elf_layout.h"
#include "stimg/elf.h"

/*
 * The ELF file header, program header table or section header table when
 * the file bytes [off, off + n) hold part of one, else NULL: a crafted
 * section may claim those bytes, and patching them would break the file.
 */
static const char *header_at(const struct layout *l, uint64_t off, uint64_t n)
{
	uint64_t sh = l->eh.e_shoff, shsize = l->shnum * (uint64_t)l->eh.e_shentsize;

	if (off < l->ehsize)
		return "the ELF file header";
	if (l->phsize && off < l->eh.e_phoff + l->phsize &&
	    off + n > l->eh.e_phoff)
		return "the program headers";
	if (shsize && off < sh + shsize && off + n > sh)
		return "the section headers";
	return NULL;
}

/* Copies img's bytes in [lo, hi) to the file bytes of section s. */
static int patch_section(const struct layout *l, const struct stimg_image *img,
			 const struct lsec *s, uint64_t lo, uint64_t hi,
			 uint8_t *out, struct stimg_diag *d)
{
	uint64_t off = s->sh.sh_offset + (lo - s->load), at;
	const char *header = header_at(l, off, hi - lo);
	char name[256];

	stimg_escape(s->name, name, sizeof(name));
	if (header)
		return diag_set(d, l->file, 0, STIMG_ERANGE,
				"0x%08" PRIX64 "..0x%08" PRIX64 " is in section "
				"'%s' at file offset 0x%" PRIX64 ", which holds "
				"%s: an ELF output cannot change it", lo, hi - 1,
				name, off, header);
	for (at = lo; at < hi; at++)
		if (!stimg_image_get(img, (uint32_t)at, out + off + (at - lo), 1))
			return diag_set(d, l->file, 0, STIMG_ERANGE,
					"the image holds no byte at 0x%08" PRIX64
					" for section '%s'", at, name);
	return STIMG_OK;
}

int stimg_elf_patch_buffer(uint8_t *elf, size_t len, const char *name,
			   const struct stimg_image *img,
			   const struct stimg_ranges *ranges,
			   struct stimg_diag *d)
{
	/* libelf may convert what it parses in place: it parses a copy */
	uint8_t *copy = malloc(len ? len : 1);
	struct layout l = { 0 };
	size_t i, k;
	int ret;

	if (!copy)
		return STIMG_ENOMEM;
	memcpy(copy, elf, len);
	ret = layout_open(&l, copy, len, name, d);
	if (!ret && !l.shnum && ranges->n)
		ret = diag_set(d, name, 0, STIMG_ERANGE,
			       "no section headers: cannot tell which file "
			       "bytes hold 0x%08" PRIX64, ranges->v[0].start);
	for (i = 0; i < ranges->n && !ret; i++) {
		struct stimg_ranges left = STIMG_RANGES_INIT;
		struct stimg_range r = ranges->v[i];

		/* every section that holds part of r gets that part */
		ret = stimg_ranges_add(&left, r.start, r.end);
		for (k = 0; k < l.nsec && !ret; k++) {
			const struct lsec *s = &l.sec[k];
			uint64_t lo = r.start > s->load ? r.start : s->load;
			uint64_t hi = s->load + s->sh.sh_size;

			if (r.end < hi)
				hi = r.end;
			if (s->seg == SIZE_MAX || lo >= hi)
				continue;
			ret = patch_section(&l, img, s, lo, hi, elf, d);
			if (!ret) {
				struct stimg_ranges done = STIMG_RANGES_INIT;

				ret = stimg_ranges_add(&done, lo, hi);
				if (!ret)
					ret = stimg_ranges_subtract(&left, &done);
				stimg_ranges_release(&done);
			}
		}
		if (!ret && left.n)
			ret = diag_set(d, name, 0, STIMG_ERANGE,
				       "0x%08" PRIX64 " is in no section's file "
				       "data: an ELF output can change only the "
				       "bytes of sections", left.v[0].start);
		stimg_ranges_release(&left);
	}
	layout_close(&l);
	free(copy);
	return ret;
}

int stimg_elf_patch(const char *in, const char *out,
		    const struct stimg_image *img,
		    const struct stimg_ranges *ranges, struct stimg_diag *d)
{
	struct stimg_input input;
	struct stimg_output o;
	uint8_t *buf = NULL;
	size_t len = 0;
	int ret;

	/* read a second time: a FIFO would wait for a writer that is gone */
	if (!os_regular_file(in))
		return diag_set(d, NULL, 0, STIMG_EINVAL, "'%s' is not a regular "
				"file: an ELF file is patched from the file, read "
				"again; give a file's name", in);
	ret = stimg_input_open(&input, in, d);
	if (ret)
		return ret;
	ret = stimg_input_slurp(&input, STIMG_ADDR_END, &buf, &len, d);
	if (!ret)
		ret = stimg_elf_patch_buffer(buf, len, input.name, img, ranges, d);
	if (ret)
		goto out;
	ret = stimg_output_open(&o, out, d);
	if (ret)
		goto out;
	if (fwrite(buf, 1, len, o.f) != len) {
		ret = diag_set(d, out, 0, STIMG_EIO, "cannot write: %s",
			       strerror(errno));
		stimg_output_abort(&o);
	} else {
		ret = stimg_output_commit(&o, d);
	}
out:
	stimg_input_close(&input);
	free(buf);
	return ret;
}
