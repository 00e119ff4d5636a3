#!/bin/sh
# `make demo`: the post-build job on the bundled example firmware, each
# command shown before it runs; the outputs go to demo-out/.
#
#   sh examples/demo.sh [BUILD-DIR]     (run from the top of the tree)
#
# examples/boot.hex is the bootloader (0x08000000, 32 KiB); examples/app.elf
# the application as the linker wrote it: a header page at 0x08008000
# (.fw_version u16[4], .crc u16[2], .fw_size u32, all still 0xFF) and its
# vector table and code from 0x08008800. examples/firmware/ has their source
# and build.sh; `make e2e` boots the result in QEMU.
set -eu

build=$(cd "${1:-build}" && pwd)
PATH=$build:$PATH
out=demo-out

run() {
	echo "+ stimg $*"
	stimg "$@"
}

rm -rf "$out"
mkdir -p "$out"
echo "stimg demo: the outputs go to $out/"
echo
run info examples/boot.hex
echo
run info examples/app.elf
echo
# version and size into the header, then the CRC of 0x08008800 up to the
# application's last byte, which is what the bootloader checks
run patch examples/app.elf --version 1.2.3.4 --crc stm32 --size-at .fw_size \
	-o "$out/app.elf"
run info "$out/app.elf"
echo
# one HEX to flash: bootloader and patched application
run merge examples/boot.hex "$out/app.elf" -o "$out/all.hex"
# a raw binary from the application's address, and how to flash it there
run bin "$out/app.elf" --base 0x08008000 -o "$out/app.bin"
echo
run verify "$out/app.elf" --crc stm32 --size-at .fw_size
echo
echo "the outputs are in $out/:"
ls -l "$out"
