/*
 * ARM semihosting ("Semihosting for AArch32 and AArch64", version 2.0):
 * on M-profile the call is BKPT 0xAB with the operation in r0 and its
 * argument in r1. With -semihosting-config enable=on,target=native QEMU
 * serves it and prints to its standard error.
 */
#include "fw.h"

#define SYS_WRITEC		0x03
#define SYS_WRITE0		0x04
#define SYS_EXIT_EXTENDED	0x20
#define ADP_Stopped_ApplicationExit 0x20026u

static uint32_t semihost(uint32_t op, const void *arg)
{
	register uint32_t r0 __asm__("r0") = op;
	register const void *r1 __asm__("r1") = arg;

	__asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
	return r0;
}

void sh_puts(const char *s)
{
	semihost(SYS_WRITE0, s);
}

void sh_putc(char c)
{
	semihost(SYS_WRITEC, &c);
}

void sh_hex32(uint32_t v)
{
	char buf[11] = "0x";
	int i;

	for (i = 0; i < 8; i++)
		buf[2 + i] = "0123456789ABCDEF"[(v >> (28 - 4 * i)) & 15];
	buf[10] = 0;
	sh_puts(buf);
}

void sh_dec(uint32_t v)
{
	char buf[11];
	int i = 10;

	buf[i] = 0;
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	sh_puts(&buf[i]);
}

/*
 * Plain SYS_EXIT on AArch32 carries only a reason, and QEMU maps
 * ADP_Stopped_ApplicationExit to exit status 0 and every other reason to 1.
 * SYS_EXIT_EXTENDED takes { reason, subcode } and QEMU (7.2:
 * semihosting/arm-compat-semi.c) exits with the subcode when the reason is
 * ADP_Stopped_ApplicationExit, so the status reaches the shell.
 */
void sh_exit(uint32_t status)
{
	uint32_t block[2] = { ADP_Stopped_ApplicationExit, status };

	semihost(SYS_EXIT_EXTENDED, block);
	for (;;)	/* only under a debugger that ignores the exit */
		__asm__ volatile("bkpt 0");
}

extern uint32_t _sidata[], _sdata[], _edata[], _sbss[], _ebss[];

/* Word loops: the linker script aligns all four symbols to 4. */
void fw_init_memory(void)
{
	uint32_t *src = _sidata, *dst = _sdata;

	while (dst < _edata)
		*dst++ = *src++;
	for (dst = _sbss; dst < _ebss; dst++)
		*dst = 0;
}

void fw_fault_handler(void)
{
	uint32_t ipsr;

	__asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
	sh_puts(fw_name);
	sh_puts(": unexpected exception ");
	sh_dec(ipsr & 0x1FF);
	sh_puts("\n");
	sh_exit(EXIT_FAULT);
}
