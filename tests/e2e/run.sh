#!/bin/sh
# `make e2e`: the example firmware (examples/firmware/) rebuilt, taken
# through stimg's post-build steps and booted on an emulated STM32F405
# (QEMU's netduinoplus2). The bootloader checks the application's header
# and CRC and prints through semihosting; the application proves that its
# vector table is live (SysTick) and exits with a status QEMU returns.
#
#   sh tests/e2e/run.sh [BUILD-DIR]     (make check runs it as
#                                       tests/cli/t0990-e2e-qemu-boot.sh)
#
# Needs arm-none-eabi-gcc and qemu-system-arm: exits 77 (skip) without
# them. Prints every stimg command, every boot's output and "ok"/"FAIL"
# per case; exits 1 when a case fails.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
STIMG_TOP=${STIMG_TOP:-$top}
STIMG_BUILD=${STIMG_BUILD:-$(cd "${1:-$top/build}" && pwd)}
export STIMG_TOP STIMG_BUILD
. "$STIMG_TOP/tests/cli/lib.sh"

need arm-none-eabi-gcc arm-none-eabi-objcopy arm-none-eabi-readelf \
	qemu-system-arm timeout

APP_START=0x08008800	# the vector table; the CRC range starts here
failures=0

ok() { echo "ok   $1"; }
bad() {
	echo "FAIL $1: $2"
	failures=$((failures + 1))
}

# st ARGS...: stimg ARGS, shown first; its messages shown indented. A
# failing step ends the run: the cases after it would mean nothing.
st() {
	echo "+ stimg $*"
	run 0 stimg "$@"
	sed 's/^/  /' out err
}

# boot LOG LOADER-ARGS...: one QEMU run with a time limit; its output (the
# semihosting text, on QEMU's stderr) in LOG and shown; returns its status.
boot() {
	_log=$1
	shift
	echo "+ qemu-system-arm -M netduinoplus2 ... $*"
	timeout 20 qemu-system-arm -M netduinoplus2 -nographic -monitor none \
		-serial none -semihosting-config enable=on,target=native \
		"$@" >"$_log" 2>&1
	_st=$?
	sed 's/^/  | /' "$_log"
	[ $_st -eq 124 ] && echo "  (timed out after 20 s)"
	echo "  exit status $_st"
	return $_st
}

# expect NAME STATUS WANT LOG PATTERN...: case NAME passes when the boot
# exited WANT (its status is STATUS) and every extended regular expression
# PATTERN matches a whole line of LOG.
expect() {
	_name=$1 _got=$2 _want=$3 _log=$4
	shift 4
	_why=
	[ "$_got" = "$_want" ] || _why="exit status $_got, expected $_want"
	for _p; do
		grep -qxE -- "$_p" "$_log" || _why="${_why:+$_why; }no line /$_p/"
	done
	if [ -z "$_why" ]; then ok "$_name"; else bad "$_name" "$_why"; fi
}

# flip FILE OFFSET OUT: OUT is FILE with the byte at OFFSET inverted
flip() {
	cp "$1" "$3"
	_b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	printf "\\$(printf %03o $((_b ^ 0xFF)))" |
		dd of="$3" bs=1 seek="$2" conv=notrunc 2>/dev/null
	[ "$(cmp -l "$1" "$3" | wc -l)" -eq 1 ] || fail "flip $1 at $2"
}

booted='app: systick ok, [0-9]+ interrupts through the application.s vector table'

echo "== firmware: sh examples/firmware/build.sh fw"
sh "$TOP/examples/firmware/build.sh" fw || fail "the firmware does not build"
# the application's image ends at _image_end: the size the patch must write
end=$(arm-none-eabi-nm fw/app.elf | sed -n 's/^\([0-9a-f]*\) A _image_end$/0x\1/p')
[ -n "$end" ] || fail "no _image_end in fw/app.elf"
size=$((end - APP_START))
echo "application image: $APP_START..$(printf 0x%08X $((end - 1))) ($size bytes)"

# The committed examples are what this toolchain builds (when it is the
# toolchain that built them): proves the build deterministic and the
# committed files current.
name="committed examples/boot.hex and examples/app.elf equal a rebuild"
tc=$({ arm-none-eabi-gcc --version | sed -n 1p; arm-none-eabi-ld --version | sed -n 1p; })
if [ "$tc" = "$(cat "$TOP/examples/firmware/TOOLCHAIN")" ]; then
	if cmp -s fw/boot.hex "$TOP/examples/boot.hex" &&
	    cmp -s fw/app.elf "$TOP/examples/app.elf"; then
		ok "$name"
	else
		bad "$name" "they differ: run sh examples/firmware/build.sh and commit"
	fi
else
	echo "note: not comparing the committed examples: they were built with"
	sed 's/^/  /' "$TOP/examples/firmware/TOOLCHAIN"
fi

echo
echo "== patched + merged HEX"
st patch fw/app.elf --version 1.2.3.4 --crc stm32 --size-at .fw_size -o app.elf
st verify app.elf --crc stm32 --size-at .fw_size
st merge fw/boot.hex app.elf -o all.hex
boot all.log -device loader,file=all.hex
rc=$?
expect "patched + merged HEX boots; SysTick reaches the application's vector table" \
	$rc 0 all.log \
	"boot: crc stm32 (0x[0-9A-F]{8}), stored \\1: ok" \
	"boot: starting the application: VTOR $APP_START, .*" \
	"app: started, version 1\\.2\\.3\\.4, VTOR $APP_START" \
	"app: \\.data word 0xC0FFEE42 ok, \\.bss zero ok" "$booted"
expect "the bootloader reads version 1.2.3.4 and size $size from the header" \
	$rc 0 all.log \
	"boot: application version 1\\.2\\.3\\.4, $size bytes at $APP_START"

echo
echo "== patched + merged into one ELF"
st merge fw/boot.hex app.elf -o all.elf
arm-none-eabi-readelf -lW all.elf >readelf.out 2>&1 &&
	[ "$(grep -c '^  LOAD ' readelf.out)" -ge 2 ] ||
	bad "all.elf has a PT_LOAD per region" "$(cat readelf.out)"
boot all-elf.log -device loader,file=all.elf
expect "the merged ELF boots (QEMU's loader takes its segments)" $? 0 all-elf.log \
	"boot: crc stm32 (0x[0-9A-F]{8}), stored \\1: ok" \
	"app: started, version 1\\.2\\.3\\.4, VTOR $APP_START" "$booted"

echo
echo "== the application unpatched"
st merge fw/boot.hex fw/app.elf -o unpatched.hex
boot unpatched.log -device loader,file=unpatched.hex
expect "an unpatched application is refused" $? 2 unpatched.log \
	"boot: invalid application: no header .*"

echo
echo "== one flipped byte in the application"
st bin app.elf --base 0x08008000 -o app.bin
grep -qxF '  st-flash write app.bin 0x08008000' err ||
	bad "stimg bin names the address" "no st-flash line at 0x08008000"
# the first and the last byte of the CRC range
for at in $APP_START $((end - 1)); do
	at=$(printf 0x%08X "$at")
	flip app.bin $((at - 0x08008000)) flipped.bin
	st merge fw/boot.hex flipped.bin@0x08008000 -o flipped.hex
	boot flipped.log -device loader,file=flipped.hex
	expect "a flipped byte at $at is refused" $? 2 flipped.log \
		"boot: crc stm32 0x[0-9A-F]{8}, stored 0x[0-9A-F]{8}: mismatch" \
		"boot: invalid application: crc mismatch.*"
done

echo
echo "== the BIN from stimg bin, loaded raw at 0x08008000"
boot bin.log -device loader,file=fw/boot.hex \
	-device loader,file=app.bin,addr=0x08008000,force-raw=on
expect "app.bin loaded raw at 0x08008000 boots" $? 0 bin.log \
	"boot: application version 1\\.2\\.3\\.4, $size bytes at $APP_START" \
	"$booted"

echo
echo "== linked with -z max-page-size=0x10000: the ELF header in the first segment"
load=$(arm-none-eabi-readelf -lW fw/app-mps.elf | awk '$1 == "LOAD" { print $2, $4; exit }')
if [ "$load" = "0x000000 0x08000000" ]; then
	ok "app-mps.elf's first PT_LOAD is file offset 0 at 0x08000000"
else
	bad "app-mps.elf's first PT_LOAD is file offset 0 at 0x08000000" "it is: $load"
fi
st info fw/app-mps.elf
st patch fw/app-mps.elf --version 1.2.3.4 --crc stm32 --size-at .fw_size -o app-mps.elf
st merge fw/boot.hex app-mps.elf -o mps.hex
st bin mps.hex --base 0x08000000 --end 0x08008000 -q -o mps-boot.bin
st bin fw/boot.hex --base 0x08000000 --end 0x08008000 -q -o boot.bin
st bin app-mps.elf --base 0x08008000 -q -o app-mps.bin
if cmp -s mps-boot.bin boot.bin && cmp -s app-mps.bin app.bin; then
	ok "merged from ELF: bootloader intact, application as app.elf's"
else
	bad "merged from ELF: bootloader intact, application as app.elf's" \
		"the merge changed 0x08000000..0x08007FFF or the application"
fi
boot mps.log -device loader,file=mps.hex
expect "the max-page-size application merged from ELF boots" $? 0 mps.log \
	"boot: crc stm32 (0x[0-9A-F]{8}), stored \\1: ok" "$booted"

echo
echo "== CRC-32/ISO-HDLC"
st patch fw/app.elf --version 1.2.3.4 --crc crc-32/iso-hdlc --size-at .fw_size -o app-iso.elf
st merge fw/boot-iso-hdlc.hex app-iso.elf -o iso.hex
boot iso.log -device loader,file=iso.hex
expect "the CRC-32/ISO-HDLC bootloader boots an application patched with it" $? 0 iso.log \
	"boot: crc crc-32/iso-hdlc (0x[0-9A-F]{8}), stored \\1: ok" "$booted"
st merge fw/boot-iso-hdlc.hex app.elf -o iso-stm32.hex
boot iso-stm32.log -device loader,file=iso-stm32.hex
expect "the CRC-32/ISO-HDLC bootloader refuses the stm32-patched application" $? 2 iso-stm32.log \
	"boot: invalid application: crc mismatch.*"

echo
if [ $failures -gt 0 ]; then
	echo "e2e: $failures case(s) failed"
	exit 1
fi
echo "e2e: all cases passed"
