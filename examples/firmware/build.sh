#!/bin/sh
# Builds the example firmware with the GNU Arm toolchain (arm-none-eabi-gcc,
# Debian's gcc-arm-none-eabi), no C library, no vendor files:
#
#   sh examples/firmware/build.sh DIR   build everything into DIR
#   sh examples/firmware/build.sh       build, then refresh the committed
#                                       examples/boot.hex, examples/app.elf
#                                       and examples/firmware/TOOLCHAIN
#
# Outputs:
#   boot.elf, boot.hex                  bootloader, checks the stm32 CRC
#   boot-iso-hdlc.elf, boot-iso-hdlc.hex  the same, checking CRC-32/ISO-HDLC
#   app.elf                             application, header not patched
#   app-mps.elf                         the same linked with
#                                       -z max-page-size=0x10000: its first
#                                       PT_LOAD starts at 0x08000000 and
#                                       carries the ELF header
#
# The build is deterministic: no build IDs, no dates, and the source
# directory mapped to "." in the debug information, so the same toolchain
# gives the same bytes in any directory.
set -eu

src=$(cd "$(dirname "$0")" && pwd)
cross=${CROSS_COMPILE:-arm-none-eabi-}
cflags="-mcpu=cortex-m4 -mthumb -Os -g -std=c11 -Wall -Wextra -Werror
	-ffreestanding -ffunction-sections -fdata-sections
	-fno-tree-loop-distribute-patterns"
ldflags="-nostdlib -Wl,--gc-sections -Wl,--build-id=none"

if [ $# -gt 0 ]; then
	mkdir -p "$1"
	out=$(cd "$1" && pwd)
	update=
else
	out=$(mktemp -d)
	trap 'rm -rf "$out"' EXIT
	update=1
fi

# link OUTPUT SCRIPT [FLAGS...]: one program from its sources and fw.c
link() {
	_o=$1 _t=$2
	shift 2
	echo "  LINK $_o"
	# $cflags and $ldflags split into words on purpose
	(cd "$src" && "${cross}gcc" $cflags -ffile-prefix-map="$src"=. $ldflags \
		-T "$_t" -o "$out/$_o" "$@" fw.c -lgcc)
}

link boot.elf boot.ld boot.c
link boot-iso-hdlc.elf boot.ld -DCRC_ISO_HDLC boot.c
link app.elf app.ld app.c
link app-mps.elf app.ld -Wl,-z,max-page-size=0x10000 app.c
for b in boot boot-iso-hdlc; do
	"${cross}objcopy" -O ihex "$out/$b.elf" "$out/$b.hex"
done

if [ -n "$update" ]; then
	cp "$out/boot.hex" "$out/app.elf" "$src/.."
	chmod 644 "$src/../boot.hex" "$src/../app.elf"
	{
		"${cross}gcc" --version | sed -n 1p
		"${cross}ld" --version | sed -n 1p
	} >"$src/TOOLCHAIN"
	echo "updated examples/boot.hex, examples/app.elf, examples/firmware/TOOLCHAIN"
fi
