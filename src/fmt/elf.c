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
 * The headers are read in elf_layout.c; the in-place patcher is
 * elf_patch.c; the writer, elf_write.c.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "fmt/elf_layout.h"
#include "stimg/elf.h"

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
	uint8_t *buf = NULL, *mem = NULL;
	size_t len = 0, i, n = 0;
	bool kept = false;
	int ret;

	/*
	 * a file is mapped, and an image that keeps the mapping points at
	 * its bytes instead of copying them; anything else is read whole
	 */
	ret = in->size <= STIMG_ADDR_END ? input_map_all(in, &mem, &len, d) : 1;
	if (ret > 0)
		ret = stimg_input_slurp(in, STIMG_ADDR_END, &buf, &len, d);
	else if (!ret)
		kept = k->keep && k->keep(k->ctx, mem, len, os_unmap);
	if (!ret)
		ret = layout_open(&l, mem ? mem : buf, len, in->name, d);
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
	if (mem && !kept)
		os_unmap(mem, len);
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

static const char *const elf_extensions[] = { ".elf", ".axf", ".out", NULL };

const struct stimg_format stimg__fmt_elf = {
	.name = "elf",
	.title = "ELF",
	.extensions = elf_extensions,
	.flags = STIMG_FORMAT_PATCH_IN_PLACE,
	.detect = elf_detect,
	.hint = "arm-none-eabi-gdb %s -batch -ex 'target extended-remote "
		":3333' -ex load\n"
		"openocd -f interface/stlink.cfg -f target/<chip>.cfg -c "
		"\"program %s verify reset exit\"\n",
	.read = elf_read,
	.write = elf_write,
};
