/*
 * The example bootloader, at 0x08000000 (32 KiB). It checks the
 * application behind it the way a production bootloader does: read the
 * header at APP_BASE, compute the CRC over [APP_START, APP_START + size)
 * and compare; check the vector table; then make the application's vector
 * table live (VTOR), load its stack pointer and jump to its reset handler.
 * Otherwise it reports an invalid application and stops with EXIT_BAD_APP.
 *
 * The CRC is computed in software: QEMU does not model the STM32 CRC unit.
 * Built with -DCRC_ISO_HDLC it checks CRC-32/ISO-HDLC instead.
 */
#include "fw.h"

#ifndef CRC_ISO_HDLC
#define CRC_NAME "stm32"
/*
 * What the STM32 CRC unit computes after reset when the words of flash are
 * written to CRC_DR: CRC-32/MPEG-2 (poly 0x04C11DB7, init 0xFFFFFFFF, no
 * reflection, no final xor) over each 32-bit word, most significant bit
 * first. A word read from flash is little-endian, so the bytes go in as
 * b3 b2 b1 b0: this is not CRC-32/MPEG-2 over the bytes in order. A tail
 * shorter than a word is padded with 0xFF, as erased flash reads.
 */
static uint32_t crc_range(const uint8_t *p, uint32_t len)
{
	uint32_t crc = 0xFFFFFFFFu;

	while (len) {
		uint32_t w = 0;
		int i;

		for (i = 0; i < 4; i++)
			w |= (uint32_t)(len > (uint32_t)i ? p[i] : 0xFF) << (8 * i);
		crc ^= w;
		for (i = 0; i < 32; i++)
			crc = crc & 0x80000000u ? crc << 1 ^ 0x04C11DB7u : crc << 1;
		p += 4;
		len = len > 4 ? len - 4 : 0;
	}
	return crc;
}
#else
#define CRC_NAME "crc-32/iso-hdlc"
/* CRC-32/ISO-HDLC (zlib's crc32): reflected poly 0xEDB88320, init and
 * final xor 0xFFFFFFFF, over the bytes in order. */
static uint32_t crc_range(const uint8_t *p, uint32_t len)
{
	uint32_t crc = 0xFFFFFFFFu;
	int i;

	while (len--) {
		crc ^= *p++;
		for (i = 0; i < 8; i++)
			crc = crc & 1 ? crc >> 1 ^ 0xEDB88320u : crc >> 1;
	}
	return crc ^ 0xFFFFFFFFu;
}
#endif

static __attribute__((noreturn)) void invalid(const char *why, uint32_t v)
{
	sh_puts("boot: invalid application: ");
	sh_puts(why);
	sh_hex32(v);
	sh_puts("\n");
	sh_exit(EXIT_BAD_APP);
}

/*
 * The jump: VTOR first, so the application's exceptions and interrupts go
 * to its own table, then MSP from the table's first word and a branch to
 * its reset handler. In assembly because the C stack is gone once MSP
 * changes.
 */
static __attribute__((noreturn)) void start_app(const uint32_t *vectors)
{
	SCB_VTOR = (uint32_t)vectors;
	__asm__ volatile("dsb\n\tisb\n\t"
			 "msr msp, %0\n\t"
			 "bx %1"
			 : : "r"(vectors[0]), "r"(vectors[1]) : "memory");
	__builtin_unreachable();
}

static __attribute__((noreturn)) void boot_main(void)
{
	const volatile struct app_header *h = (const void *)APP_BASE;
	const uint32_t *vectors = (const uint32_t *)APP_START;
	uint32_t size = h->size, stored, crc, sp, reset;
	int i;

	sh_puts("boot: stimg example bootloader, checks " CRC_NAME "\n");
	/* the size first: it bounds the CRC loop */
	if (size == 0xFFFFFFFFu)
		invalid("no header (size field erased): ", size);
	if (size < 8 || size > FLASH_END - APP_START)
		invalid("size out of range: ", size);
	sh_puts("boot: application version ");
	for (i = 0; i < 4; i++) {
		sh_dec(h->version[i]);
		if (i < 3)
			sh_putc('.');
	}
	sh_puts(", ");
	sh_dec(size);
	sh_puts(" bytes at ");
	sh_hex32(APP_START);
	sh_puts("\n");

	stored = h->crc[0] | (uint32_t)h->crc[1] << 16;
	crc = crc_range((const uint8_t *)APP_START, size);
	sh_puts("boot: crc " CRC_NAME " ");
	sh_hex32(crc);
	sh_puts(", stored ");
	sh_hex32(stored);
	sh_puts(crc == stored ? ": ok\n" : ": mismatch\n");
	if (crc != stored)
		invalid("crc mismatch, computed ", crc);

	/* plausible vector table: SP word-aligned in RAM, Thumb reset
	 * handler inside the checked range */
	sp = vectors[0];
	reset = vectors[1];
	if (sp & 3 || sp <= RAM_BASE || sp > RAM_END)
		invalid("initial SP not in RAM: ", sp);
	if (!(reset & 1) || reset < APP_START || reset - APP_START >= size)
		invalid("reset handler outside the application: ", reset);
	sh_puts("boot: starting the application: VTOR ");
	sh_hex32(APP_START);
	sh_puts(", SP ");
	sh_hex32(sp);
	sh_puts(", reset ");
	sh_hex32(reset);
	sh_puts("\n");
	start_app(vectors);
}

void Reset_Handler(void);
void Reset_Handler(void)
{
	fw_init_memory();
	boot_main();
}

/* For fw_fault_handler's message. */
const char fw_name[] = "boot";

extern uint32_t _estack[];

/* The 16 system entries; the bootloader enables no interrupt. */
__attribute__((section(".isr_vector"), used))
static void (*const vector_table[16])(void) = {
	(void (*)(void))_estack,
	Reset_Handler,
	fw_fault_handler,	/* NMI */
	fw_fault_handler,	/* HardFault */
	fw_fault_handler,	/* MemManage */
	fw_fault_handler,	/* BusFault */
	fw_fault_handler,	/* UsageFault */
	0, 0, 0, 0,
	fw_fault_handler,	/* SVCall */
	fw_fault_handler,	/* DebugMonitor */
	0,
	fw_fault_handler,	/* PendSV */
	fw_fault_handler,	/* SysTick: fires here if VTOR was never moved */
};
