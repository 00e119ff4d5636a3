/*
 * ELF, through libelf: the load image is each PT_LOAD segment's file bytes
 * at its physical (load) address, keeping only the bytes from its first to
 * the end of its last allocated section with file data. What goes (ELF and
 * program headers, page padding) is recorded with the reason.
 *
 * Sections are mapped to segments by file offset, never by address: Keil
 * and IAR put RAM-initialised data, whose section address is in RAM, inside
 * a flash segment.
 *
 * Every offset, size and count from the file is checked against the file's
 * size before it is used, so a hostile file is an error, never a crash or
 * an allocation sized by a field.
 *
 * The patcher writes image bytes into a copy of the file at the offsets of
 * the sections that hold them. libelf's own writer (elf_update, even with
 * ELF_F_LAYOUT) rewrites the bytes between sections with its fill byte, so
 * a file whose padding is not zero would change where nothing was patched;
 * the copy changes exactly the patched bytes.
 */
#include <errno.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>

#include "fmt/fmt.h"
#include "stimg/elf.h"

/* A PT_LOAD segment and the file offsets of the section bytes in it. */
struct lseg {
	size_t index;			/* program header index */
	GElf_Phdr ph;
	uint64_t first, last;		/* first >= last: no section in it */
};

/* An allocated section. */
struct lsec {
	size_t index;
	const char *name;		/* libelf's, valid until elf_end */
	GElf_Shdr sh;
	size_t seg;			/* in layout.seg; SIZE_MAX: not loaded */
	uint64_t load;			/* load address of its first byte */
};

/* What the headers say, checked against the file's size. */
struct layout {
	const char *file;
	const uint8_t *buf;
	size_t len;
	Elf *e;
	GElf_Ehdr eh;
	size_t ehsize, phsize;		/* of the ELF header, the phdr table */
	size_t phnum, shnum, shstrndx;	/* shnum 0: no section headers */
	struct lseg *seg;
	size_t nseg;
	struct lsec *sec;		/* in section index order */
	size_t nsec;
	uint32_t *odd;			/* see count_odd (made by the reader) */
};

/* [off, off + size) lies inside a file of len bytes. */
static bool fits(uint64_t off, uint64_t size, size_t len)
{
	return off <= len && size <= len - off;
}

static uint64_t file_end(const struct lseg *g)
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
static void kept(const struct layout *l, const struct lseg *g, uint64_t *a,
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

/* Load range of kept bytes: a segment's, or of several that map alike. */
struct span {
	uint64_t start, end;
	uint64_t offset;	/* file offset of the byte at start */
	size_t index;		/* the (lowest) program header index */
};

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
static int kept_spans(const struct layout *l, struct span **v, size_t *n)
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
static int check_overlaps(const struct layout *l, const struct span *spans,
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

static void layout_close(struct layout *l)
{
	if (l->e)
		elf_end(l->e);
	free(l->seg);
	free(l->sec);
	free(l->odd);
	memset(l, 0, sizeof(*l));
}

/* Reads and checks the headers of the ELF file buf; closed on failure. */
static int layout_open(struct layout *l, const uint8_t *buf, size_t len,
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

/* Whether file byte i is data: neither 0x00 nor 0xFF, nor a header's. */
static bool odd_byte(const struct layout *l, uint64_t i)
{
	uint64_t ph = l->eh.e_phoff;

	return i >= l->ehsize && !(i >= ph && i < ph + l->phsize) &&
	       l->buf[i] != 0x00 && l->buf[i] != 0xFF;
}

#define ODD_BLOCK 4096

static void count_odd(struct layout *l);

/*
 * Whether the file bytes [from, to) hold data (odd_byte): by the counts
 * per block (l->odd, made the first time a range spans blocks) and a scan
 * of the blocks at either end, so that many segments over one file cost
 * the file once.
 */
static bool holds_data(struct layout *l, uint64_t from, uint64_t to)
{
	uint64_t i, a = (from + ODD_BLOCK - 1) / ODD_BLOCK, b = to / ODD_BLOCK;

	if (!l->odd && a < b)
		count_odd(l);
	if (!l->odd || a >= b) {
		for (i = from; i < to; i++)
			if (odd_byte(l, i))
				return true;
		return false;
	}
	for (i = from; i < a * ODD_BLOCK; i++)
		if (odd_byte(l, i))
			return true;
	for (i = b * ODD_BLOCK; i < to; i++)
		if (odd_byte(l, i))
			return true;
	return l->odd[b] != l->odd[a];
}

/* Counts odd bytes per block: l->odd[k] for blocks 0..k-1 (or NULL). */
static void count_odd(struct layout *l)
{
	size_t nb = l->len / ODD_BLOCK, k;
	uint64_t i;

	l->odd = malloc((nb + 1) * sizeof(*l->odd));
	if (!l->odd)
		return;
	l->odd[0] = 0;
	for (k = 0; k < nb; k++) {
		uint32_t c = 0;

		for (i = (uint64_t)k * ODD_BLOCK; i < (uint64_t)(k + 1) * ODD_BLOCK; i++)
			c += odd_byte(l, i);
		l->odd[k + 1] = l->odd[k] + c;
	}
}

/*
 * What the file bytes [from, to) hold, for a dropped range's reason: "ELF
 * file header, program headers and padding".
 */
static void describe(struct layout *l, uint64_t from, uint64_t to,
		     char *buf, size_t n)
{
	const char *part[3];
	uint64_t ph = l->eh.e_phoff, covered = 0;
	size_t k = 0;

	if (from < l->ehsize) {
		part[k++] = "ELF file header";
		covered += (to < l->ehsize ? to : l->ehsize) - from;
	}
	if (l->phsize && from < ph + l->phsize && to > ph) {
		part[k++] = "program headers";
		covered += (to < ph + l->phsize ? to : ph + l->phsize) -
			   (from > ph ? from : ph);
	}
	if (covered < to - from)
		part[k++] = holds_data(l, from, to) ? "other bytes" : "padding";
	if (k == 1)
		snprintf(buf, n, "%s", part[0]);
	else if (k == 2)
		snprintf(buf, n, "%s and %s", part[0], part[1]);
	else
		snprintf(buf, n, "%s, %s and %s", part[0], part[1], part[2]);
}

/* Records the file bytes [from, to) of segment g as dropped. */
static int drop(const struct stimg_sink *k, struct layout *l,
		const struct lseg *g, uint64_t from, uint64_t to,
		const char *where)
{
	char what[80], why[200];
	uint64_t base = g->ph.p_paddr - g->ph.p_offset;

	if (from >= to)
		return STIMG_OK;
	describe(l, from, to, what, sizeof(what));
	snprintf(why, sizeof(why), where, what, g->index);
	return k->drop(k->ctx, base + from, base + to, why);
}

/* Records segment g as a place and what of it is dropped, and why. */
static int add_segment(const struct stimg_sink *k, struct layout *l,
		       const struct lseg *g)
{
	uint64_t start = g->ph.p_offset, end = file_end(g), a, b;
	struct stimg_place p = { 0 };
	int ret;

	kept(l, g, &a, &b);
	p.kind = STIMG_PLACE_SEGMENT;
	p.index = (uint32_t)g->index;
	p.parent = UINT32_MAX;
	p.addr = g->ph.p_paddr;
	p.vaddr = g->ph.p_vaddr;
	p.size = g->ph.p_filesz;
	p.memsize = g->ph.p_memsz;
	p.offset = g->ph.p_offset;
	p.type = g->ph.p_type;
	p.flags = g->ph.p_flags;
	p.loads = a < b;
	p.kept_start = g->ph.p_paddr + (a - start);
	p.kept_end = g->ph.p_paddr + (b - start);
	ret = k->place(k->ctx, &p);
	if (!ret && a == b)
		ret = drop(k, l, g, start, end,
			   "%s of segment %zu, which holds no section");
	if (!ret && a < b)
		ret = drop(k, l, g, start, a,
			   "%s before the first section of segment %zu");
	if (!ret && a < b)
		ret = drop(k, l, g, b, end,
			   "%s after the last section of segment %zu");
	return ret;
}

static int add_sections(const struct stimg_sink *k, const struct layout *l)
{
	size_t i;
	int ret = STIMG_OK;

	for (i = 0; i < l->nsec && !ret; i++) {
		const struct lsec *s = &l->sec[i];
		struct stimg_place p = { 0 };

		p.kind = STIMG_PLACE_SECTION;
		p.name = (char *)s->name;
		p.index = (uint32_t)s->index;
		p.loads = s->seg != SIZE_MAX;
		p.parent = p.loads ? (uint32_t)l->seg[s->seg].index : UINT32_MAX;
		p.addr = s->load;
		p.vaddr = s->sh.sh_addr;
		p.size = s->sh.sh_type == SHT_NOBITS ? 0 : s->sh.sh_size;
		p.memsize = s->sh.sh_size;
		p.offset = s->sh.sh_offset;
		p.type = s->sh.sh_type;
		p.flags = (uint32_t)s->sh.sh_flags;
		ret = k->place(k->ctx, &p);
	}
	return ret;
}

/* The allocated section with ELF index idx, or NULL. */
static const struct lsec *section_by_index(const struct layout *l, size_t idx)
{
	size_t lo = 0, hi = l->nsec;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (l->sec[mid].index == idx)
			return &l->sec[mid];
		if (l->sec[mid].index < idx)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * A symbol as a place: its load address through its section (a symbol in
 * .data has a RAM value, and its initial bytes in flash). Returns false
 * for symbols that name no address: undefined, files, sections, ARM
 * mapping symbols ($t, $d), and those in unallocated sections.
 */
static bool symbol_place(const struct layout *l, const GElf_Sym *sym,
			 const char *name, struct stimg_place *p)
{
	unsigned type = GELF_ST_TYPE(sym->st_info);
	uint64_t value = sym->st_value;
	const struct lsec *s;

	if (!name || !name[0] || name[0] == '$' || type == STT_SECTION ||
	    type == STT_FILE || sym->st_shndx == SHN_UNDEF)
		return false;
	if (type == STT_FUNC && l->eh.e_machine == EM_ARM)
		value &= ~(uint64_t)1;	/* the Thumb bit is not the address */
	p->vaddr = sym->st_value;
	p->addr = value;
	p->size = p->memsize = sym->st_size;
	p->type = sym->st_info;
	p->flags = sym->st_shndx;
	p->parent = UINT32_MAX;
	if (sym->st_shndx == SHN_ABS)
		return true;
	if (sym->st_shndx >= SHN_LORESERVE)
		return false;
	s = section_by_index(l, sym->st_shndx);
	if (!s)
		return false;
	p->parent = (uint32_t)s->index;
	if (s->seg != SIZE_MAX && value >= s->sh.sh_addr &&
	    value - s->sh.sh_addr < s->sh.sh_size) {
		p->addr = s->load + (value - s->sh.sh_addr);
		p->loads = true;
	}
	return true;
}

static int add_symbols(const struct stimg_sink *k, const struct layout *l,
		       struct stimg_diag *d)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	Elf_Data *data;
	size_t i, n;
	int ret = STIMG_OK;

	while ((scn = elf_nextscn(l->e, scn)))
		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_SYMTAB)
			break;
	if (!scn)
		return STIMG_OK;
	if (sh.sh_entsize != gelf_fsize(l->e, ELF_T_SYM, 1, EV_CURRENT) ||
	    sh.sh_link >= l->shnum || !(data = elf_getdata(scn, NULL)))
		return diag_set(d, l->file, 0, STIMG_EFORMAT,
				"the symbol table (section %zu) is malformed",
				elf_ndxscn(scn));
	n = data->d_size / sh.sh_entsize;
	for (i = 1; i < n && !ret; i++) {
		struct stimg_place p = { 0 };
		GElf_Sym sym;
		const char *name;

		if (!gelf_getsym(data, (int)i, &sym))
			break;
		/* a name outside the string table: no name, skipped */
		name = elf_strptr(l->e, sh.sh_link, sym.st_name);
		if (!symbol_place(l, &sym, name, &p))
			continue;
		p.kind = STIMG_PLACE_SYMBOL;
		p.name = (char *)name;
		p.index = (uint32_t)i;
		ret = k->place(k->ctx, &p);
	}
	return ret;
}

static int add_info(const struct stimg_sink *k, const struct layout *l)
{
	struct stimg_elf_info info, *e = &info;

	e->elf_class = l->buf[EI_CLASS] == ELFCLASS32 ? 32 : 64;
	e->big_endian = l->buf[EI_DATA] == ELFDATA2MSB;
	e->type = l->eh.e_type;
	e->machine = l->eh.e_machine;
	e->flags = l->eh.e_flags;
	e->entry = l->eh.e_entry;
	e->phnum = l->phnum;
	e->shnum = l->shnum;
	e->nload = l->nseg;
	return k->elf(k->ctx, e);
}

static int elf_read(struct stimg_input *in, const struct stimg_sink *k,
		    const struct stimg_read_opts *o, struct stimg_diag *d)
{
	struct layout l = { 0 };
	struct span *spans = NULL;
	uint8_t *buf = NULL;
	size_t len, i, n = 0;
	int ret;

	ret = stimg_input_slurp(in, STIMG_ADDR_END, &buf, &len, d);
	if (!ret)
		ret = layout_open(&l, buf, len, in->name, d);
	if (ret)
		goto out;
	ret = add_info(k, &l);
	if (!ret)
		ret = kept_spans(&l, &spans, &n);
	if (!ret)
		ret = check_overlaps(&l, spans, n, o->overlap, d);
	if (!ret && !l.shnum && l.nseg)
		diag_warn(d, in->name, 0, "no section headers: loading whole "
			  "segments, with any ELF header, program headers and "
			  "padding they hold");
	for (i = 0; i < l.nseg && !ret; i++)
		ret = add_segment(k, &l, &l.seg[i]);
	for (i = 0; i < n && !ret; i++)
		ret = k->data(k->ctx, spans[i].start, l.buf + spans[i].offset,
			      (size_t)(spans[i].end - spans[i].start), 0, 0, d);
	if (!ret)
		ret = add_sections(k, &l);
	if (!ret)
		ret = add_symbols(k, &l, d);
	if (!ret && l.eh.e_entry && l.eh.e_entry < STIMG_ADDR_END)
		ret = k->entry(k->ctx, (uint32_t)l.eh.e_entry);
	layout_close(&l);
out:
	free(spans);
	free(buf);
	return ret;
}

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

const char *stimg_elf_type_name(unsigned type)
{
	static const char *const names[] = { "NONE", "REL", "EXEC", "DYN",
					     "CORE" };

	return type < ARRAY_SIZE(names) ? names[type] : NULL;
}

const char *stimg_elf_machine_name(unsigned machine)
{
	static const struct {
		unsigned machine;
		const char *name;
	} names[] = {
		{ EM_ARM, "ARM" }, { EM_AARCH64, "AArch64" },
		{ EM_X86_64, "x86-64" }, { EM_386, "i386" },
		{ EM_RISCV, "RISC-V" }, { EM_XTENSA, "Xtensa" },
		{ EM_AVR, "AVR" }, { EM_MSP430, "MSP430" },
		{ EM_MIPS, "MIPS" }, { EM_PPC, "PowerPC" },
		{ EM_PPC64, "PowerPC64" }, { EM_SPARC, "SPARC" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].machine == machine)
			return names[i].name;
	return NULL;
}

static bool elf_detect(const uint8_t *buf, size_t len)
{
	return len >= SELFMAG && !memcmp(buf, ELFMAG, SELFMAG);
}

static int elf_write(const struct stimg_image *img, FILE *f, const void *o,
		     struct stimg_diag *d)
{
	(void)img;
	(void)f;
	(void)o;
	return diag_set(d, NULL, 0, STIMG_EINVAL,
			"ELF is not an output format of this command: write "
			"ihex, srec or bin (an ELF file is only patched in "
			"place)");
}

static const char *const elf_extensions[] = { ".elf", ".axf", ".out", NULL };

const struct stimg_format stimg__fmt_elf = {
	.name = "elf",
	.title = "ELF",
	.extensions = elf_extensions,
	.flags = STIMG_FORMAT_PATCH_IN_PLACE,
	.detect = elf_detect,
	.read = elf_read,
	.write = elf_write,
};
