/*
 * Cortex-M checks of an image: the vector table at its base.
 */
#ifndef STIMG_CORTEXM_H
#define STIMG_CORTEXM_H

#include <stdbool.h>
#include <stdint.h>

#include "stimg/image.h"

/*
 * The Cortex-M vector table: the initial stack pointer and the reset
 * handler, and whether each is plausible. It is looked for at the image's
 * lowest address and, when that is not plausible, every 256 bytes above it
 * within the first 4 KiB (a firmware header at the base with the vectors
 * after it, as VTOR's alignment allows); the first plausible table wins,
 * else the lowest address is reported.
 * The SP is plausible when 4-aligned and in RAM: the SRAM region
 * 0x20000000..0x40000000 or the STM32 core-coupled RAM 0x10000000..0x10010000
 * (end inclusive: the stack grows down from one past the end). The reset
 * handler is plausible when odd (Thumb) and inside the image's data.
 */
struct stimg_vectors {
	bool present;		/* the image has 8 bytes at addr */
	uint32_t addr, sp, reset;
	bool sp_ok, reset_ok;
};

void stimg_image_vectors(const struct stimg_image *img, struct stimg_vectors *v);

#endif
