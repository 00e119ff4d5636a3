/* ELF headers, segments and sections, read and checked (elf_layout.h). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "fmt/elf_layout.h"

/* [off, off + size) lies inside a file of len bytes. */
static bool fits(uint64_t off, uint64_t size, size_t len)
{
	return off <= len && size <= len - off;
}

uint64_t file_end(const struct lseg *g)
{
	return g->ph.p_offset + g->ph.p_filesz;
}

static int read_headers(struct layout *l, struct stimg_diag *d)
{
	const uint8_t *b = l->buf;
	size_t entsize;

	if (l->len < SELFMAG || memcmp(b, ELFMAG, SELFMAG))
		return diag_set(d, l->file, 0, STIMG_EFORMAT,
				"not an ELF file (no \\x7fELF at its start)");
	if (l->len < EI_NIDENT)
		return diag_set(d, l->file, 0, STIMG_EFORMAT,
				"truncated: %zu bytes, less than the %d-byte ELF "
				"identification", l->len, EI_NIDENT);
	if (b[EI_CLASS] != ELFCLASS32 && b[EI_CLASS] != ELFCLASS64)
		return diag_set(d, l->file, 0, STIMG_EFORMAT,
				"ELF class %u is neither 32-bit (1) nor 64-bit (2)",
				b[EI_CLASS]);
	if (b[EI_DATA] != ELFDATA2LSB && b[EI_DATA] != ELFDATA2MSB)
		return diag_set(d, l->file, 0, STIMG_EFORMAT,
				"ELF data encoding %u is neither little-endian (1) "
				"nor big-endian (2)", b[EI_DATA]);
	if (b[EI_VERSION] != EV_CURRENT)
		return diag_set(d, l->file, 0, STIMG_EFORMAT,
				"ELF version %u, not %d", b[EI_VERSION],
				EV_CURRENT);
	l->ehsize = b[EI_CLASS] == ELFCLASS32 ? sizeof(Elf32_Ehdr)
					      : sizeof(Elf64_Ehdr);
	if (l->len < l->ehsize)
		return diag_set(d, l->file, 0, STIMG_EFORMAT,
				"truncated: %zu bytes, less than the %zu-byte ELF "
				"file header", l->len, l->ehsize);
	if (elf_version(EV_CURRENT) == EV_NONE)
		return diag_set(d, l->file, 0, STIMG_EFORMAT,
				"libelf: %s", elf_errmsg(-1));
	l->e = elf_memory((char *)l->buf, l->len);
	if (!l->e || elf_kind(l->e) != ELF_K_ELF || !gelf_getehdr(l->e, &l->eh))
		return diag_set(d, l->file, 0, STIMG_EFORMAT,
				"not a valid ELF file: %s", elf_errmsg(-1));
	if (l->eh.e_type == ET_REL)
		return diag_set(d, l->file, 0, STIMG_EFORMAT,
				"an object file (ET_REL), not a linked image");

	if (l->eh.e_phnum == PN_XNUM)
		return diag_set(d, l->file, 0, STIMG_EFORMAT,
				"more than 65534 program headers (PN_XNUM): "
				"not supported");
	l->phnum = l->eh.e_phnum;
	entsize = gelf_fsize(l->e, ELF_T_PHDR, 1, EV_CURRENT);
	if (l->phnum && l->eh.e_phentsize != entsize)
		return diag_set(d, l->file, 0, STIMG_EFORMAT,
				"program header size is %u bytes, expected %zu",
				l->eh.e_phentsize, entsize);
	l->phsize = l->phnum * entsize;
	if (!fits(l->eh.e_phoff, l->phsize, l->len))
		return diag_set(d, l->file, 0, STIMG_EFORMAT,
				"%zu program headers at offset 0x%" PRIX64 " run "
				"past the end of the file (%zu bytes)",
				l->phnum, (uint64_t)l->eh.e_phoff, l->len);

	/* e_shoff 0: no section header table, whatever e_shnum says */
	if (!l->eh.e_shoff)
		return STIMG_OK;
	entsize = gelf_fsize(l->e, ELF_T_SHDR, 1, EV_CURRENT);
	if (l->eh.e_shentsize != entsize)
		return diag_set(d, l->file, 0, STIMG_EFORMAT,
				"section header size is %u bytes, expected %zu",
				l->eh.e_shentsize, entsize);
	/*
	 * e_shnum itself unless it is 0 (more than 65279 sections: the count
	 * is in section 0): libelf counts no sections when the table is not
	 * in the file, and a truncated file must not pass for one without
	 */
	l->shnum = l->eh.e_shnum;
	if (!l->shnum && elf_getshdrnum(l->e, &l->shnum))
		return diag_set(d, l->file, 0, STIMG_EFORMAT,
				"cannot count the section headers: %s",
				elf_errmsg(-1));
	if (l->eh.e_shoff > l->len || l->shnum > (l->len - l->eh.e_shoff) / entsize)
		return diag_set(d, l->file, 0, STIMG_EFORMAT,
				"%zu section headers at offset 0x%" PRIX64 " run "
				"past the end of the file (%zu bytes)",
				l->shnum, (uint64_t)l->eh.e_shoff, l->len);
	if (l->shnum && elf_getshdrstrndx(l->e, &l->shstrndx))
		return diag_set(d, l->file, 0, STIMG_EFORMAT,
				"no section name table: %s", elf_errmsg(-1));
	if (l->shnum && l->shstrndx >= l->shnum)
		return diag_set(d, l->file, 0, STIMG_EFORMAT,
				"section name table index %zu is not below the "
				"number of sections, %zu", l->shstrndx, l->shnum);
	return STIMG_OK;
}

static int read_segments(struct layout *l, struct stimg_diag *d)
{
	size_t i;

	/* phnum * phentsize fits in the file: the count is bounded */
	l->seg = calloc(l->phnum ? l->phnum : 1, sizeof(*l->seg));
	if (!l->seg)
		return STIMG_ENOMEM;
	for (i = 0; i < l->phnum; i++) {
		struct lseg *g = &l->seg[l->nseg];

		if (!gelf_getphdr(l->e, (int)i, &g->ph))
			return diag_set(d, l->file, 0, STIMG_EFORMAT,
					"program header %zu: %s", i,
					elf_errmsg(-1));
		if (g->ph.p_type != PT_LOAD)
			continue;
		/* no file bytes: nothing to check against the file's end */
		if (g->ph.p_filesz && !fits(g->ph.p_offset, g->ph.p_filesz, l->len))
			return diag_set(d, l->file, 0, STIMG_EFORMAT,
					"segment %zu: its 0x%" PRIX64 " file bytes "
					"at offset 0x%" PRIX64 " run past the end "
					"of the file (%zu bytes)", i,
					(uint64_t)g->ph.p_filesz,
					(uint64_t)g->ph.p_offset, l->len);
		if (g->ph.p_filesz > g->ph.p_memsz)
			return diag_set(d, l->file, 0, STIMG_EFORMAT,
					"segment %zu: its file size 0x%" PRIX64
					" is larger than its memory size 0x%" PRIX64,
					i, (uint64_t)g->ph.p_filesz,
					(uint64_t)g->ph.p_memsz);
		if (g->ph.p_filesz && (g->ph.p_paddr >= STIMG_ADDR_END ||
				       g->ph.p_filesz > STIMG_ADDR_END - g->ph.p_paddr))
			return diag_set(d, l->file, 0, STIMG_ERANGE,
					"segment %zu: its 0x%" PRIX64 " file bytes "
					"at load address 0x%08" PRIX64 " lie past the "
					"32-bit address space", i,
					(uint64_t)g->ph.p_filesz,
					(uint64_t)g->ph.p_paddr);
		g->index = i;
		g->first = UINT64_MAX;
		g->last = 0;
		l->nseg++;
	}
	return STIMG_OK;
}

/* Sorting a table of indices by a key it computes (qsort has no context). */
static const struct layout *sort_layout;

/* Segments by file offset; at one offset the lowest index last. */
static int seg_order(const void *a, const void *b)
{
	const struct lseg *x = &sort_layout->seg[*(const size_t *)a];
	const struct lseg *y = &sort_layout->seg[*(const size_t *)b];

	if (x->ph.p_offset != y->ph.p_offset)
		return x->ph.p_offset < y->ph.p_offset ? -1 : 1;
	return x->index < y->index ? 1 : x->index > y->index ? -1 : 0;
}

static int sec_order(const void *a, const void *b)
{
	const struct lsec *x = &sort_layout->sec[*(const size_t *)a];
	const struct lsec *y = &sort_layout->sec[*(const size_t *)b];

	if (x->sh.sh_offset != y->sh.sh_offset)
		return x->sh.sh_offset < y->sh.sh_offset ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* Section s lies in no segment's file bytes: say where it is. */
static int unmapped(const struct layout *l, const struct lsec *s,
		    struct stimg_diag *d)
{
	uint64_t off = s->sh.sh_offset, size = s->sh.sh_size;
	char name[256];
	size_t j;

	stimg_escape(s->name, name, sizeof(name));
	for (j = 0; j < l->nseg; j++) {
		const struct lseg *g = &l->seg[j];

		if (off < file_end(g) && off + size > g->ph.p_offset)
			return diag_set(d, l->file, 0, STIMG_EFORMAT,
					"section %zu '%s' (file bytes 0x%" PRIX64
					"..0x%" PRIX64 ") lies partly outside "
					"segment %zu (file bytes 0x%" PRIX64 "..0x%"
					PRIX64 ")", s->index, name, off,
					off + size - 1, g->index,
					(uint64_t)g->ph.p_offset, file_end(g) - 1);
	}
	return diag_set(d, l->file, 0, STIMG_EFORMAT,
			"section %zu '%s' (file bytes 0x%" PRIX64 "..0x%" PRIX64
			") lies in no loadable segment", s->index, name,
			off, off + size - 1);
}

/*
 * Maps each allocated section with file bytes to the segment whose file
 * bytes hold it, by offset: of the segments that do, the one that starts
 * last. One sweep over both sorted by offset, O((n + m) log n): segments
 * that start at or before the section are pushed on a stack, which drops
 * those that a later one covers to at least the same end, so its ends fall
 * from bottom to top and the last segment long enough is found by binary
 * search.
 *
 *     [======seg a======]              a: covered by b, dropped
 *        [=======seg b=========]       b: holds the section
 *               [=seg c=]              c: too short for it
 *                   [sec]
 */
static int map_sections(struct layout *l, struct stimg_diag *d)
{
	size_t *seg = calloc(l->nseg + 1, sizeof(*seg));
	size_t *sec = calloc(l->nsec + 1, sizeof(*sec));
	size_t *stack = calloc(l->nseg + 1, sizeof(*stack));
	size_t i, j = 0, n = 0, nsec = 0, top = 0;
	int ret = STIMG_OK;

	if (!seg || !sec || !stack) {
		ret = STIMG_ENOMEM;
		goto out;
	}
	for (i = 0; i < l->nseg; i++)
		seg[n++] = i;
	for (i = 0; i < l->nsec; i++) {
		struct lsec *s = &l->sec[i];

		s->seg = SIZE_MAX;
		s->load = s->sh.sh_addr;
		if (s->sh.sh_type != SHT_NOBITS && s->sh.sh_size)
			sec[nsec++] = i;
	}
	sort_layout = l;
	qsort(seg, n, sizeof(*seg), seg_order);
	qsort(sec, nsec, sizeof(*sec), sec_order);
	for (i = 0; i < nsec && !ret; i++) {
		struct lsec *s = &l->sec[sec[i]];
		uint64_t off = s->sh.sh_offset, end = off + s->sh.sh_size;
		size_t lo = 0, hi;
		struct lseg *g;

		for (; j < n && l->seg[seg[j]].ph.p_offset <= off; j++) {
			while (top && file_end(&l->seg[stack[top - 1]]) <=
				      file_end(&l->seg[seg[j]]))
				top--;
			stack[top++] = seg[j];
		}
		for (hi = top; lo < hi;) {
			size_t mid = lo + (hi - lo) / 2;

			if (file_end(&l->seg[stack[mid]]) >= end)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (!lo) {
			/* a file with no loadable segment (ET_DYN, say) loads
			   nothing */
			if (l->nseg)
				ret = unmapped(l, s, d);
			continue;
		}
		g = &l->seg[stack[lo - 1]];
		s->seg = (size_t)(g - l->seg);
		s->load = g->ph.p_paddr + (off - g->ph.p_offset);
		if (off < g->first)
			g->first = off;
		if (end > g->last)
			g->last = end;
	}
out:
	free(seg);
	free(sec);
	free(stack);
	return ret;
}

static int read_sections(struct layout *l, struct stimg_diag *d)
{
	char name[256];
	GElf_Shdr sh;
	size_t i;

	if (!l->shnum)
		return STIMG_OK;
	/* the names' table first: it must be in the file to name anything */
	if (!gelf_getshdr(elf_getscn(l->e, l->shstrndx), &sh) ||
	    sh.sh_type == SHT_NOBITS || !fits(sh.sh_offset, sh.sh_size, l->len))
		return diag_set(d, l->file, 0, STIMG_EFORMAT,
				"the section name table (section %zu) is not in "
				"the file", l->shstrndx);
	/* shnum section headers fit in the file: the count is bounded */
	l->sec = calloc(l->shnum, sizeof(*l->sec));
	if (!l->sec)
		return STIMG_ENOMEM;
	for (i = 1; i < l->shnum; i++) {
		struct lsec *s = &l->sec[l->nsec];

		if (!gelf_getshdr(elf_getscn(l->e, i), &s->sh))
			return diag_set(d, l->file, 0, STIMG_EFORMAT,
					"section %zu: %s", i, elf_errmsg(-1));
		s->index = i;
		s->name = elf_strptr(l->e, l->shstrndx, s->sh.sh_name);
		if (!s->name)
			return diag_set(d, l->file, 0, STIMG_EFORMAT,
					"section %zu: its name (offset 0x%" PRIX32
					") is not in the section name table", i,
					(uint32_t)s->sh.sh_name);
		/* no file bytes, nothing to check against the file's end */
		if (s->sh.sh_type != SHT_NOBITS && s->sh.sh_size &&
		    !fits(s->sh.sh_offset, s->sh.sh_size, l->len))
			return diag_set(d, l->file, 0, STIMG_EFORMAT,
					"section %zu '%s': its 0x%" PRIX64 " bytes "
					"at offset 0x%" PRIX64 " run past the end "
					"of the file (%zu bytes)", i,
					stimg_escape(s->name, name, sizeof(name)),
					(uint64_t)s->sh.sh_size,
					(uint64_t)s->sh.sh_offset, l->len);
		if (s->sh.sh_flags & SHF_ALLOC)
			l->nsec++;
	}
	return map_sections(l, d);
}

/* The file offsets [a, b) of segment g that the image takes. */
void kept(const struct layout *l, const struct lseg *g, uint64_t *a,
		 uint64_t *b)
{
	*a = g->ph.p_offset;
	*b = file_end(g);
	if (!l->shnum)
		return;
	if (g->first < g->last) {
		*a = g->first;
		*b = g->last;
	} else {
		*a = *b;
	}
}


static int span_by_start(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* By the mapping (load address less offset), then by offset. */
static int span_by_mapping(const void *a, const void *b)
{
	const struct span *x = a, *y = b;
	uint64_t dx = x->start - x->offset, dy = y->start - y->offset;

	if (dx != dy)
		return dx < dy ? -1 : 1;
	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

static int span_by_index(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return x->index < y->index ? -1 : x->index > y->index;
}

/*
 * The kept bytes of every segment as spans, in *v (malloc'd, *n of them),
 * in program header order; segments that map the file alike (the same
 * load address less offset) and whose bytes overlap or touch are one
 * span: the same file bytes at the same addresses load once, however many
 * program headers repeat them.
 */
int kept_spans(const struct layout *l, struct span **v, size_t *n)
{
	size_t i, k = 0;

	*n = 0;
	*v = calloc(l->nseg ? l->nseg : 1, sizeof(**v));
	if (!*v)
		return STIMG_ENOMEM;
	for (i = 0; i < l->nseg; i++) {
		const struct lseg *g = &l->seg[i];
		uint64_t a, b;

		kept(l, g, &a, &b);
		if (a < b)
			(*v)[k++] = (struct span){ g->ph.p_paddr + (a - g->ph.p_offset),
						   g->ph.p_paddr + (b - g->ph.p_offset),
						   a, g->index };
	}
	qsort(*v, k, sizeof(**v), span_by_mapping);
	for (i = 0; i < k; i++) {
		struct span *q = &(*v)[i], *p = *n ? &(*v)[*n - 1] : NULL;

		if (p && p->start - p->offset == q->start - q->offset &&
		    q->offset <= p->offset + (p->end - p->start)) {
			if (q->end > p->end)
				p->end = q->end;
			if (q->index < p->index)
				p->index = q->index;
			continue;
		}
		(*v)[(*n)++] = *q;
	}
	qsort(*v, *n, sizeof(**v), span_by_index);
	return STIMG_OK;
}

/*
 * Spans that load differing bytes at one address are an error under
 * STIMG_OVERLAP_ERROR (identical bytes are fine, as for HEX), said here
 * with the segments' numbers. Each span is compared with the one before
 * it that reaches furthest; an overlap this misses the image's put finds.
 */
int check_overlaps(const struct layout *l, const struct span *spans,
			  size_t n, enum stimg_overlap pol, struct stimg_diag *d)
{
	struct span *v;
	size_t i, m = 0;
	int ret = STIMG_OK;

	if (pol != STIMG_OVERLAP_ERROR || n < 2)
		return STIMG_OK;
	v = malloc(n * sizeof(*v));
	if (!v)
		return STIMG_ENOMEM;
	memcpy(v, spans, n * sizeof(*v));
	qsort(v, n, sizeof(*v), span_by_start);
	for (i = 1; i < n && !ret; i++) {
		const struct span *p = &v[m], *q = &v[i];
		uint64_t end = q->end < p->end ? q->end : p->end, at;
		const uint8_t *x = l->buf + p->offset + (q->start - p->start);
		const uint8_t *y = l->buf + q->offset;

		if (q->start < p->end && memcmp(x, y, end - q->start)) {
			for (at = 0; x[at] == y[at]; at++)
				;
			ret = diag_set(d, l->file, 0, STIMG_ECONFLICT,
				       "segments %zu and %zu both load 0x%08"
				       PRIX64 "..0x%08" PRIX64 " with different "
				       "bytes (first difference at 0x%08" PRIX64
				       ": 0x%02X vs 0x%02X)", p->index, q->index,
				       q->start, end - 1, q->start + at, x[at],
				       y[at]);
		}
		if (q->end > p->end)
			m = i;
	}
	free(v);
	return ret;
}

void layout_close(struct layout *l)
{
	if (l->e)
		elf_end(l->e);
	free(l->seg);
	free(l->sec);
	free(l->odd);
	memset(l, 0, sizeof(*l));
}

/* Reads and checks the headers of the ELF file buf; closed on failure. */
int layout_open(struct layout *l, const uint8_t *buf, size_t len,
		       const char *file, struct stimg_diag *d)
{
	int ret;

	memset(l, 0, sizeof(*l));
	l->file = file;
	l->buf = buf;
	l->len = len;
	ret = read_headers(l, d);
	if (!ret)
		ret = read_segments(l, d);
	if (!ret)
		ret = read_sections(l, d);
	if (ret)
		layout_close(l);
	return ret;
}
