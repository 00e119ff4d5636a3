/*
 * The example application, behind the bootloader: its header page at
 * 0x08008000, its vector table and code from 0x08008800. It checks what a
 * bootloader and a post-build step can get wrong:
 * - .data is copied from its load image in flash (a value is printed and
 *   compared), .bss is zeroed;
 * - SysTick interrupts reach its handler only through its own vector table,
 *   so they prove that the bootloader set VTOR (with VTOR left at the
 *   bootloader's table, SysTick lands in the bootloader's fault handler);
 * - it prints the version from its own header, as patched.
 * It exits through semihosting: 0 when all is well.
 */
#include "fw.h"

/*
 * The header fields, each in its own section so that the linker script
 * places them and `stimg patch` finds them by name. Erased-flash values
 * until patched. Read them through volatile: the compiler would otherwise
 * fold these constants into the code, and the patched values would never
 * be seen.
 */
__attribute__((section(".fw_version"), used))
const uint16_t versionInfo[4] = { 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF };
__attribute__((section(".crc"), used))
const uint16_t crc[2] = { 0xFFFF, 0xFFFF };
__attribute__((section(".fw_size"), used))
const uint32_t fwSize = 0xFFFFFFFF;

#define DATA_MAGIC 0xC0FFEE42u
#define TICKS_WANTED 5u
/* SysTick at 168 MHz / 16800: a tick every 100 us of emulated time. The
 * loop bound is far beyond that and still ends a broken run quickly. */
#define TICK_RELOAD 16800u
#define POLL_LIMIT 50000000u

static volatile uint32_t data_word = DATA_MAGIC;	/* .data */
static volatile uint32_t ticks;				/* .bss */

static void systick_handler(void)
{
	ticks++;
}

static __attribute__((noreturn)) void app_main(void)
{
	const volatile uint16_t *v = versionInfo;
	uint32_t polls = 0;
	int i;

	sh_puts("app: started, version ");
	for (i = 0; i < 4; i++) {
		sh_dec(v[i]);
		if (i < 3)
			sh_putc('.');
	}
	sh_puts(", VTOR ");
	sh_hex32(SCB_VTOR);
	sh_puts("\napp: .data word ");
	sh_hex32(data_word);
	if (data_word != DATA_MAGIC || ticks != 0) {
		sh_puts(": .data or .bss not initialised\n");
		sh_exit(EXIT_BAD_DATA);
	}
	sh_puts(" ok, .bss zero ok\n");

	/* CLKSOURCE=1: the processor clock, which every SysTick has; the
	 * reference clock is optional in the architecture (QEMU 7.2 feeds
	 * this SoC's sysclk/8, and it ticks too) */
	SYST_RVR = TICK_RELOAD - 1;
	SYST_CVR = 0;
	SYST_CSR = SYST_CSR_ENABLE | SYST_CSR_TICKINT | SYST_CSR_CLKSOURCE;
	while (ticks < TICKS_WANTED && polls < POLL_LIMIT)
		polls++;
	SYST_CSR = 0;
	if (ticks < TICKS_WANTED) {
		sh_puts("app: systick failed: ");
		sh_dec(ticks);
		sh_puts(" ticks\n");
		sh_exit(EXIT_NO_TICK);
	}
	sh_puts("app: systick ok, ");
	sh_dec(ticks);
	sh_puts(" interrupts through the application's vector table\n");
	sh_exit(EXIT_OK);
}

void Reset_Handler(void);
void Reset_Handler(void)
{
	fw_init_memory();
	app_main();
}

/* For fw_fault_handler's message. */
const char fw_name[] = "app";

extern uint32_t _estack[];

/* The 16 system entries; the application uses no peripheral interrupt. */
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
	systick_handler,
};
