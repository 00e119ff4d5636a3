/*
 * What the example bootloader and application share: the flash map, the
 * header layout, the few Cortex-M4 registers they touch, ARM semihosting
 * (their only output: QEMU prints it) and the exit statuses.
 *
 * The target is the STM32F405 of QEMU's netduinoplus2 machine: 1 MiB of
 * flash at 0x08000000, 128 KiB of SRAM at 0x20000000.
 */
#ifndef FW_H
#define FW_H

#include <stdint.h>

/* Flash map; the linker scripts (boot.ld, app.ld) say the same. */
#define FLASH_BASE	0x08000000u
#define FLASH_END	0x08100000u	/* 1 MiB */
#define RAM_BASE	0x20000000u
#define RAM_END		0x20020000u	/* 128 KiB */
#define APP_BASE	0x08008000u	/* the header: the first 2 KiB page */
#define APP_START	0x08008800u	/* the vector table; the CRC starts here */

/* The application's header at APP_BASE ("classic layout"). */
struct app_header {
	uint16_t version[4];		/* .fw_version: major.minor.patch.build */
	uint16_t crc[2];		/* .crc: the CRC as two u16, low half first */
	uint32_t size;			/* .fw_size: bytes from APP_START the CRC covers */
};

/* Cortex-M4 system control block and SysTick (ARMv7-M ARM, B3.2, B3.3). */
#define REG32(a)	(*(volatile uint32_t *)(a))
#define SCB_VTOR	REG32(0xE000ED08u)
#define SYST_CSR	REG32(0xE000E010u)
#define SYST_RVR	REG32(0xE000E014u)
#define SYST_CVR	REG32(0xE000E018u)
#define SYST_CSR_ENABLE		(1u << 0)
#define SYST_CSR_TICKINT	(1u << 1)
#define SYST_CSR_CLKSOURCE	(1u << 2)	/* 1: the processor clock */

/* How a run ends: QEMU exits with this status (see sh_exit). */
enum {
	EXIT_OK = 0,
	EXIT_BAD_APP = 2,	/* bootloader: no valid application */
	EXIT_NO_TICK = 3,	/* application: SysTick never fired */
	EXIT_FAULT = 4,		/* an exception nobody expected */
	EXIT_BAD_DATA = 5,	/* application: .data or .bss not set up */
};

void sh_puts(const char *s);
void sh_putc(char c);
void sh_hex32(uint32_t v);
void sh_dec(uint32_t v);
__attribute__((noreturn)) void sh_exit(uint32_t status);

/* Each program's name ("boot", "app"), for fw_fault_handler. */
extern const char fw_name[];

/* Any exception the program does not expect: says which, and exits with
 * EXIT_FAULT. */
void fw_fault_handler(void);

/* Copies .data's load image to RAM and zeroes .bss (symbols from the
 * linker script). */
void fw_init_memory(void);

#endif
