#!/bin/sh
# Regenerates examples/boot.hex and examples/app.hex, the inputs of
# `make demo`: a small Cortex-M (STM32F4-style) bootloader at 0x08000000 and
# an application at 0x08008000. The bytes are written here as raw binaries
# with printf and turned into Intel HEX by stimg itself:
#
#   sh examples/make-examples.sh [STIMG]     (default STIMG: build/stimg)
#
# Memory map (each vector table: initial SP, then handlers, Thumb bit set):
#   0x08000000  boot: 48-entry vector table, SP 0x20020000, reset 0x080000C1
#   0x080000C0  boot: Reset_Handler: load the application's SP and reset
#               vector from 0x08008000 and jump to it; Default_Handler
#   0x080000D8  boot: banner text
#   0x08008000  app:  48-entry vector table, SP 0x20020000, reset 0x080080C1
#   0x080080C0  app:  Reset_Handler: clock GPIOA, toggle PA5 for ever
#   0x080080DC  app:  name text
#   0x08008400  app:  a 16-byte configuration block (a gap before it)
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
stimg=${1:-$top/build/stimg}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# byte N, le16 N, le32 N: N (decimal or 0x..) as raw little-endian bytes
byte() { printf "\\$(printf %03o $(($1 & 255)))"; }
le16() { byte $(($1)); byte $(($1 >> 8)); }
le32() { le16 $(($1 & 65535)); le16 $(($1 >> 16 & 65535)); }

# vectors BASE: a vector table of 16 core and 32 interrupt entries; the
# reset handler is at BASE + 0xC0, every other handler at BASE + DEFAULT
vectors() {
	le32 0x20020000				# initial SP: top of 128 KiB SRAM
	le32 $(($1 + 0xC1))			# Reset_Handler
	i=2
	while [ $i -lt 48 ]; do
		case $i in
		7 | 8 | 9 | 10 | 13) le32 0 ;;	# reserved core entries
		*) le32 $(($1 + $2 + 1)) ;;	# Default_Handler
		esac
		i=$((i + 1))
	done
}

# nul-padded text of exactly N bytes
text() { printf '%s' "$1"; pad $(($2 - ${#1})) 0; }
pad() {
	i=0
	while [ $i -lt "$1" ]; do byte "$2"; i=$((i + 1)); done
}

{
	vectors 0x08000000 0xD0
	le16 0x4804		# 0C0 ldr  r0, [pc, #16]   r0 = 0x08008000
	le16 0x6801		# 0C2 ldr  r1, [r0]        application SP
	le16 0xF381		# 0C4 msr  msp, r1
	le16 0x8808
	le16 0x6841		# 0C8 ldr  r1, [r0, #4]    application reset
	le16 0x4708		# 0CA bx   r1
	le16 0xBF00		# 0CC nop
	le16 0xBF00		# 0CE nop
	le16 0xE7FE		# 0D0 Default_Handler: b .
	le16 0xBF00		# 0D2 nop
	le32 0x08008000		# 0D4 the application's vector table
	text "stimg example bootloader 1.0: jumps to the application at 0x08008000" 104
} >"$tmp/boot.bin"

{
	vectors 0x08008000 0xD2
	le16 0x4804		# 0C0 ldr  r0, [pc, #16]   RCC_AHB1ENR
	le16 0x2101		# 0C2 movs r1, #1          GPIOAEN
	le16 0x6001		# 0C4 str  r1, [r0]
	le16 0x4804		# 0C6 ldr  r0, [pc, #16]   GPIOA_ODR
	le16 0x2220		# 0C8 movs r2, #0x20       PA5
	le16 0x6801		# 0CA ldr  r1, [r0]
	le16 0x4051		# 0CC eors r1, r2
	le16 0x6001		# 0CE str  r1, [r0]
	le16 0xE7FB		# 0D0 b    0CA
	le16 0xE7FE		# 0D2 Default_Handler: b .
	le32 0x40023830		# 0D4 RCC_AHB1ENR
	le32 0x40020014		# 0D8 GPIOA_ODR
	text "stimg example application 1.0.0" 36
} >"$tmp/app.bin"

{
	text CFG1 4		# magic
	le32 0x00010000		# layout version
	le32 115200		# UART baud rate
	le32 0xFFFFFFFF		# serial number: not yet programmed
} >"$tmp/app-config.bin"

cd "$top/examples"
"$stimg" convert "$tmp/boot.bin@0x08000000" --entry 0x080000C1 -o boot.hex
"$stimg" convert "$tmp/app.bin@0x08008000" "$tmp/app-config.bin@0x08008400" \
	--entry 0x080080C1 -o app.hex
