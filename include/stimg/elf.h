/*
 * ELF: what the reader saw in a file's header, and the in-place patcher
 * that writes changed image bytes back into a copy of the ELF file.
 * (The reader itself is the format table's "elf" entry: stimg_read.)
 */
#ifndef STIMG_ELF_H
#define STIMG_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stimg/image.h"
#include "stimg/range.h"

/* "EXEC", "DYN", ...: the ET_ name of an e_type without ET_, or NULL. */
const char *stimg_elf_type_name(unsigned type);

/* "ARM", "x86-64", ...: a short name of an e_machine, or NULL. */
const char *stimg_elf_machine_name(unsigned machine);

/*
 * Writes a copy of the ELF file in (a regular file: it is read again; a
 * FIFO or standard input is STIMG_EINVAL) to out ("-":
 * standard output; out may be in: the copy goes to a temporary file that
 * is renamed over it) in which the bytes at the load addresses in ranges
 * are img's bytes there. Nothing else of the file changes: no byte moves,
 * nothing grows, headers stay as they are.
 *
 * Every address in ranges must lie in the file data of an allocated
 * section inside a loadable segment of in (the padding between sections
 * does not count), outside the ELF file header, the program headers and
 * the section headers (a crafted section may claim them), and img
 * (flushed: stimg_image_flush) must hold a byte there; otherwise nothing
 * is written and the result is STIMG_ERANGE naming the address. A
 * malformed in is STIMG_EFORMAT, as for reading.
 */
int stimg_elf_patch(const char *in, const char *out,
		    const struct stimg_image *img,
		    const struct stimg_ranges *ranges, struct stimg_diag *d);

/*
 * stimg_elf_patch on an ELF file held in memory: the len bytes at elf
 * (read from the file name, for messages) are patched in place. The same
 * checks come first; when one fails the result is its error and elf may
 * hold part of the patch.
 */
int stimg_elf_patch_buffer(uint8_t *elf, size_t len, const char *name,
			   const struct stimg_image *img,
			   const struct stimg_ranges *ranges,
			   struct stimg_diag *d);

#endif
