/*
 * Places by name: where a LOC (an address, a section, a symbol) is in an
 * image that a reader filled with places (ELF sections and symbols).
 */
#ifndef STIMG_PLACE_H
#define STIMG_PLACE_H

#include <stdbool.h>
#include <stdint.h>

#include "stimg/image.h"

/* The first place of kind named name, or NULL. */
const struct stimg_place *stimg_image_find_place(const struct stimg_image *img,
						 enum stimg_place_kind kind,
						 const char *name);

/*
 * Resolves a LOC to the load addresses it names: a number is an address
 * (an empty range at it: the caller knows the size); a name starting with
 * '.' is a section, anything else a symbol (its st_size bytes, which the
 * bytes its section holds from there bound). A name the image does not
 * have, a section or symbol with no bytes in the image, or a symbol name
 * given to symbols at different addresses is STIMG_EINVAL with a message
 * that lists the sections there are.
 */
int stimg_image_locate(const struct stimg_image *img, const char *loc,
		       struct stimg_range *r, struct stimg_diag *d);

/*
 * The lowest load address of a section whose bytes are in the image;
 * false when there is none (an input without sections).
 */
bool stimg_image_lowest_section(const struct stimg_image *img, uint64_t *addr);

#endif
