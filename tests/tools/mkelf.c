/*
 * mkelf: writes small ELF files laid out exactly as told, for the tests of
 * hostile and unusual ELF inputs (issue 10), without a cross compiler:
 *
 *   mkelf [-64] [-n] [-e ENTRY] [-t TYPE] OUT ITEM...
 *
 * ITEM (numbers 0x.. or decimal):
 *   seg=PADDR,OFFSET,FILESZ[,MEMSZ[,VADDR]]
 *       a PT_LOAD program header (MEMSZ default FILESZ, VADDR PADDR)
 *   sec=NAME,ADDR,OFFSET,SIZE[,nobits|progbits[,FLAGS]]
 *       a section header (PROGBITS, flags SHF_ALLOC|SHF_EXECINSTR = 6)
 *   sym=NAME,VALUE,SIZE,SECTION
 *       a symbol in .symtab; SECTION is the section's index (the first
 *       sec= item is 1) or abs
 *   data=OFFSET,HEX      the bytes HEX (two digits each) at OFFSET
 *   fill=OFFSET,LEN,BYTE LEN bytes of BYTE at OFFSET
 *   -                    more items from standard input, one per line
 *
 * The ELF header is at 0 and the program headers right after it; the
 * section name table, the symbol and string tables and the section headers
 * go after everything else that has bytes (a segment or section with no
 * file bytes may lie past the end). Little-endian ARM (e_machine 40),
 * ET_EXEC unless -t says otherwise. -n: no section header table (e_shoff,
 * e_shnum and e_shstrndx 0), whatever sec= items say.
 * Exit status: 0 written, 2 usage or I/O error.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct seg {
	uint64_t paddr, vaddr, offset, filesz, memsz;
};

struct sec {
	char *name;
	uint64_t addr, offset, size, flags;
	uint32_t type;
	uint32_t name_off;
};

struct sym {
	char *name;
	uint64_t value, size;
	uint16_t shndx;
	uint32_t name_off;
};

struct patch {
	uint64_t offset;
	uint8_t *bytes;
	size_t len;
};

static struct seg *segs;
static struct sec *secs;
static struct sym *syms;
static struct patch *patches;
static size_t nsegs, nsecs, nsyms, npatches;
static bool is64, no_sh;

static void die(const char *what, const char *arg)
{
	fprintf(stderr, "mkelf: %s: %s\n", what, arg);
	exit(2);
}

static void *grow(void *v, size_t n, size_t sz)
{
	/* doubling: called for every item, up to ~100000 of them */
	if (n && (n & (n - 1)))
		return v;
	v = realloc(v, (n ? 2 * n : 1) * sz);
	if (!v)
		die("out of memory", "");
	return v;
}

static uint64_t number(const char *s, const char *item)
{
	char *end;
	uint64_t v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end)
		die("not a number", item);
	return v;
}

/* Splits item's value (after '=') at commas into at most max fields. */
static size_t fields(char *value, char **f, size_t max)
{
	size_t n = 0;

	while (n < max) {
		f[n++] = value;
		value = strchr(value, ',');
		if (!value)
			break;
		*value++ = '\0';
	}
	return value ? max + 1 : n;
}

static void item(const char *arg)
{
	char *copy = strdup(arg), *eq = NULL, *f[7];
	size_t n;

	if (!copy || !(eq = strchr(copy, '=')))
		die("not an item", arg);
	*eq = '\0';
	n = fields(eq + 1, f, 6);
	if (!strcmp(copy, "seg") && n >= 3 && n <= 5) {
		struct seg *s;

		segs = grow(segs, nsegs, sizeof(*segs));
		s = &segs[nsegs++];
		s->paddr = number(f[0], arg);
		s->offset = number(f[1], arg);
		s->filesz = number(f[2], arg);
		s->memsz = n > 3 ? number(f[3], arg) : s->filesz;
		s->vaddr = n > 4 ? number(f[4], arg) : s->paddr;
	} else if (!strcmp(copy, "sec") && n >= 4 && n <= 6) {
		struct sec *s;

		secs = grow(secs, nsecs, sizeof(*secs));
		s = &secs[nsecs++];
		s->name = strdup(f[0]);
		s->addr = number(f[1], arg);
		s->offset = number(f[2], arg);
		s->size = number(f[3], arg);
		s->type = n > 4 && !strcmp(f[4], "nobits") ? 8 : 1;
		if (n > 4 && strcmp(f[4], "nobits") && strcmp(f[4], "progbits"))
			die("not nobits or progbits", arg);
		s->flags = n > 5 ? number(f[5], arg) : 6;
	} else if (!strcmp(copy, "sym") && n == 4) {
		struct sym *s;

		syms = grow(syms, nsyms, sizeof(*syms));
		s = &syms[nsyms++];
		s->name = strdup(f[0]);
		s->value = number(f[1], arg);
		s->size = number(f[2], arg);
		s->shndx = !strcmp(f[3], "abs") ? 0xFFF1 : (uint16_t)number(f[3], arg);
	} else if ((!strcmp(copy, "data") && n == 2) ||
		   (!strcmp(copy, "fill") && n == 3)) {
		struct patch *p;
		size_t i;

		patches = grow(patches, npatches, sizeof(*patches));
		p = &patches[npatches++];
		p->offset = number(f[0], arg);
		p->len = n == 3 ? number(f[1], arg) : strlen(f[1]) / 2;
		p->bytes = malloc(p->len ? p->len : 1);
		if (!p->bytes)
			die("out of memory", arg);
		for (i = 0; i < p->len; i++) {
			unsigned v;

			if (n == 3)
				v = (unsigned)number(f[2], arg);
			else if (sscanf(f[1] + 2 * i, "%2x", &v) != 1)
				die("not hex", arg);
			p->bytes[i] = (uint8_t)v;
		}
	} else {
		die("not an item", arg);
	}
	free(copy);
}

/* The output, built in memory: little-endian fields at offsets. */
static uint8_t *out;
static size_t outlen;

static void room(uint64_t end)
{
	if (end > (uint64_t)1 << 31)
		die("file too large", "");
	if (end > outlen) {
		out = realloc(out, (size_t)end);
		if (!out)
			die("out of memory", "");
		memset(out + outlen, 0, (size_t)end - outlen);
		outlen = (size_t)end;
	}
}

static void put(uint64_t at, uint64_t v, unsigned n)
{
	unsigned i;

	room(at + n);
	for (i = 0; i < n; i++)
		out[at + i] = (uint8_t)(v >> 8 * i);
}

/* An address-sized field (4 or 8 bytes by class). */
static void addr(uint64_t at, uint64_t v)
{
	put(at, v, is64 ? 8 : 4);
}

static uint32_t add_string(char **tab, size_t *len, const char *s)
{
	size_t n = strlen(s) + 1, at = *len;

	*tab = realloc(*tab, *len + n);
	if (!*tab)
		die("out of memory", s);
	memcpy(*tab + at, s, n);
	*len += n;
	return (uint32_t)at;
}

static void section_header(uint64_t at, uint32_t name, uint32_t type,
			   uint64_t flags, uint64_t addr_, uint64_t offset,
			   uint64_t size, uint32_t link, uint32_t info,
			   uint64_t align, uint64_t entsize)
{
	unsigned w = is64 ? 8 : 4;

	put(at, name, 4);
	put(at + 4, type, 4);
	put(at + 8, flags, w);
	put(at + 8 + w, addr_, w);
	put(at + 8 + 2 * w, offset, w);
	put(at + 8 + 3 * w, size, w);
	put(at + 8 + 4 * w, link, 4);
	put(at + 12 + 4 * w, info, 4);
	put(at + 16 + 4 * w, align, w);
	put(at + 16 + 5 * w, entsize, w);
}

int main(int argc, char **argv)
{
	uint64_t entry = 0, type = 2, end, at, shoff;
	unsigned ehsize, phentsize, shentsize, symentsize;
	char *shstr = NULL, *str = NULL, line[4096];
	size_t shstrlen = 0, strlen_ = 0, i, nsh;
	uint32_t shstr_name, symtab_name = 0, strtab_name = 0;
	uint64_t shstr_off, symtab_off = 0, strtab_off = 0;
	const char *path;
	FILE *f;
	int a = 1;

	for (; a < argc && argv[a][0] == '-' && argv[a][1]; a++) {
		if (!strcmp(argv[a], "-64"))
			is64 = true;
		else if (!strcmp(argv[a], "-n"))
			no_sh = true;
		else if (!strcmp(argv[a], "-e") && a + 1 < argc)
			entry = number(argv[++a], "-e");
		else if (!strcmp(argv[a], "-t") && a + 1 < argc)
			type = number(argv[++a], "-t");
		else
			die("usage", "mkelf [-64] [-n] [-e ENTRY] [-t TYPE] OUT ITEM...");
	}
	if (a >= argc)
		die("usage", "mkelf [-64] [-n] [-e ENTRY] [-t TYPE] OUT ITEM...");
	path = argv[a++];
	for (; a < argc; a++) {
		if (strcmp(argv[a], "-")) {
			item(argv[a]);
			continue;
		}
		while (fgets(line, sizeof(line), stdin)) {
			line[strcspn(line, "\n")] = '\0';
			if (line[0])
				item(line);
		}
	}

	ehsize = is64 ? 64 : 52;
	phentsize = is64 ? 56 : 32;
	shentsize = is64 ? 64 : 40;
	symentsize = is64 ? 24 : 16;
	end = ehsize + (uint64_t)nsegs * phentsize;
	for (i = 0; i < nsegs; i++)
		if (segs[i].filesz && segs[i].offset + segs[i].filesz > end)
			end = segs[i].offset + segs[i].filesz;
	for (i = 0; i < nsecs; i++)
		if (secs[i].type != 8 && secs[i].size &&
		    secs[i].offset + secs[i].size > end)
			end = secs[i].offset + secs[i].size;
	for (i = 0; i < npatches; i++)
		if (patches[i].offset + patches[i].len > end)
			end = patches[i].offset + patches[i].len;
	room(end);
	for (i = 0; i < npatches; i++)
		memcpy(out + patches[i].offset, patches[i].bytes, patches[i].len);

	/* the tables after everything else */
	add_string(&shstr, &shstrlen, "");
	for (i = 0; i < nsecs; i++)
		secs[i].name_off = add_string(&shstr, &shstrlen, secs[i].name);
	shstr_name = add_string(&shstr, &shstrlen, ".shstrtab");
	if (nsyms) {
		symtab_name = add_string(&shstr, &shstrlen, ".symtab");
		strtab_name = add_string(&shstr, &shstrlen, ".strtab");
		add_string(&str, &strlen_, "");
		for (i = 0; i < nsyms; i++)
			syms[i].name_off = add_string(&str, &strlen_, syms[i].name);
	}
	shstr_off = end;
	room(shstr_off + shstrlen);
	memcpy(out + shstr_off, shstr, shstrlen);
	at = shstr_off + shstrlen;
	if (nsyms) {
		symtab_off = (at + 7) & ~(uint64_t)7;
		for (i = 0; i < nsyms; i++) {
			uint64_t s = symtab_off + (i + 1) * symentsize;
			/* STB_GLOBAL, STT_OBJECT */
			unsigned info = 1u << 4 | 1u;

			put(s, syms[i].name_off, 4);
			if (is64) {
				put(s + 4, info, 1);
				put(s + 6, syms[i].shndx, 2);
				put(s + 8, syms[i].value, 8);
				put(s + 16, syms[i].size, 8);
			} else {
				put(s + 4, syms[i].value, 4);
				put(s + 8, syms[i].size, 4);
				put(s + 12, info, 1);
				put(s + 14, syms[i].shndx, 2);
			}
		}
		room(symtab_off + (nsyms + 1) * symentsize);
		strtab_off = symtab_off + (nsyms + 1) * symentsize;
		room(strtab_off + strlen_);
		memcpy(out + strtab_off, str, strlen_);
		at = strtab_off + strlen_;
	}
	nsh = 1 + nsecs + 1 + (nsyms ? 2 : 0);
	shoff = (at + 7) & ~(uint64_t)7;
	room(shoff + nsh * shentsize);
	for (i = 0; i < nsecs; i++)
		section_header(shoff + (i + 1) * shentsize, secs[i].name_off,
			       secs[i].type, secs[i].flags, secs[i].addr,
			       secs[i].offset, secs[i].size, 0, 0, 1, 0);
	section_header(shoff + (nsecs + 1) * shentsize, shstr_name, 3, 0, 0,
		       shstr_off, shstrlen, 0, 0, 1, 0);
	if (nsyms) {
		section_header(shoff + (nsecs + 2) * shentsize, symtab_name, 2, 0,
			       0, symtab_off, (nsyms + 1) * symentsize,
			       (uint32_t)(nsecs + 3), 1, is64 ? 8 : 4, symentsize);
		section_header(shoff + (nsecs + 3) * shentsize, strtab_name, 3, 0,
			       0, strtab_off, strlen_, 0, 0, 1, 0);
	}

	/* the ELF header and the program headers */
	memcpy(out, "\177ELF", 4);
	out[4] = is64 ? 2 : 1;	/* class */
	out[5] = 1;		/* little-endian */
	out[6] = 1;		/* EV_CURRENT */
	put(16, type, 2);
	put(18, 40, 2);		/* EM_ARM */
	put(20, 1, 4);
	addr(24, entry);
	addr(24 + (is64 ? 8 : 4), nsegs ? ehsize : 0);	/* e_phoff */
	addr(24 + (is64 ? 16 : 8), no_sh ? 0 : shoff);
	at = is64 ? 48 : 36;
	put(at, 0x05000000, 4);	/* e_flags: EABI 5 */
	put(at + 4, ehsize, 2);
	put(at + 6, phentsize, 2);
	put(at + 8, nsegs, 2);
	put(at + 10, shentsize, 2);
	put(at + 12, no_sh ? 0 : nsh, 2);
	put(at + 14, no_sh ? 0 : nsecs + 1, 2);	/* e_shstrndx */
	for (i = 0; i < nsegs; i++) {
		uint64_t p = ehsize + i * phentsize;

		put(p, 1, 4);	/* PT_LOAD */
		if (is64) {
			put(p + 4, 5, 4);	/* R X */
			put(p + 8, segs[i].offset, 8);
			put(p + 16, segs[i].vaddr, 8);
			put(p + 24, segs[i].paddr, 8);
			put(p + 32, segs[i].filesz, 8);
			put(p + 40, segs[i].memsz, 8);
			put(p + 48, 4, 8);
		} else {
			put(p + 4, segs[i].offset, 4);
			put(p + 8, segs[i].vaddr, 4);
			put(p + 12, segs[i].paddr, 4);
			put(p + 16, segs[i].filesz, 4);
			put(p + 20, segs[i].memsz, 4);
			put(p + 24, 5, 4);
			put(p + 28, 4, 4);
		}
	}

	f = fopen(path, "wb");
	if (!f || fwrite(out, 1, outlen, f) != outlen || fclose(f))
		die("cannot write", path);
	for (i = 0; i < nsecs; i++)
		free(secs[i].name);
	for (i = 0; i < nsyms; i++)
		free(syms[i].name);
	for (i = 0; i < npatches; i++)
		free(patches[i].bytes);
	free(segs);
	free(secs);
	free(syms);
	free(patches);
	free(shstr);
	free(str);
	free(out);
	return 0;
}
