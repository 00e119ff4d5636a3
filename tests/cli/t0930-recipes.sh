# The recipes of doc/integration.md whose hosts are here run as written, on
# the example firmware (examples/firmware/, built with arm-none-eabi-gcc),
# and what they make verifies: the GNU Make rule, the CMake post-build
# steps and the library through pkg-config, the STM32CubeIDE
# makefile.targets (against a makefile shaped like the one the IDE
# generates), and the CI job's shell steps. A failing step fails each
# build, and no unpatched ELF is left looking up to date.
. "$STIMG_TOP/tests/cli/lib.sh"
need make arm-none-eabi-gcc cmake pkg-config tar

export PATH="$STIMG_BUILD:$PATH"
# user runs a recipe as a user does: not inside make check's make, whose
# variables (MAKEFLAGS, and those of its command line, which make exports:
# SANITIZE=..., DEVELOPER=1, O=...) would reach the recipe's own make
user() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES -u SANITIZE \
		-u DEVELOPER -u O "$@"
}
fw=$TOP/examples/firmware

# checks DIR ELF HEX: the ELF and the merged HEX hold version 1.2.3.4, the
# size and the stm32 CRC, and the HEX the bootloader too
checks() {
	stimg verify "$1/$2" --crc stm32 --size-at .fw_size --version 1.2.3.4 \
		>v.out 2>&1 || { cat v.out; fail "$1/$2 does not verify"; }
	stimg verify "$1/$3" --crc stm32 --crc-at 0x08008008+4 --size-at 0x0800800C+4 \
		--version-at 0x08008000+8 --version 1.2.3.4 >v.out 2>&1 ||
		{ cat v.out; fail "$1/$3 does not verify"; }
	stimg convert "$1/$3" --crop 0x08000000+32K -o boot-part.hex 2>/dev/null &&
		stimg convert "$TOP/examples/boot.hex" -o boot-want.hex 2>/dev/null &&
		cmp -s boot-part.hex boot-want.hex || fail "$1/$3 lacks the bootloader"
}

# sources DIR: the example application's sources and the bootloader
sources() {
	mkdir -p "$1"
	cp "$fw/app.c" "$fw/fw.c" "$fw/fw.h" "$fw/app.ld" "$TOP/examples/boot.hex" "$1"
}

# ---- GNU Make
sources mk
recipe make >mk/Makefile
user make -C mk >mk.log 2>&1 || { cat mk.log; fail "the Make recipe failed"; }
checks mk app.elf all.hex
# a failing step: the build fails and the ELF goes
touch mk/app.c
user make -C mk STIMG=false >mk.log 2>&1 && fail "make with a failing stimg succeeded"
[ -e mk/app.elf ] && fail "the Make recipe left app.elf after a failing step"
user make -C mk >mk.log 2>&1 || { cat mk.log; fail "the Make recipe failed again"; }
checks mk app.elf all.hex

# ---- CMake: the post-build steps ...
sources cm
recipe cmake >cm/CMakeLists.txt
{ user cmake -S cm -B cm/build && user cmake --build cm/build; } >cm.log 2>&1 ||
	{ cat cm.log; fail "the CMake recipe failed"; }
checks cm/build app.elf all.hex
# a failing step fails the build and the ELF goes (Makefile generator)
sed 's/--size-at \.fw_size -o/--size-at .no_such_section -o/' cm/CMakeLists.txt >cm/x &&
	mv cm/x cm/CMakeLists.txt
user cmake --build cm/build >cm.log 2>&1 && fail "CMake with a failing step succeeded"
[ -e cm/build/app.elf ] && fail "the CMake recipe left app.elf after a failing step"

# ... and the library through pkg-config, installed in a prefix
# (with make check's variables: the build under test)
make -C "$TOP" O="$STIMG_BUILD" PREFIX="$T/prefix" install >install.log 2>&1 ||
	{ cat install.log; fail "make install"; }
mkdir lib
recipe cmake-library >lib/CMakeLists.txt
cat >lib/imgtool.c <<'C'
#include <stdio.h>
#include <stimg/format.h>
#include <stimg/image.h>

int main(int argc, char **argv)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	struct stimg_diag d = { 0 };
	int ret = argc == 2 && !stimg_read(&img, argv[1], NULL,
					   STIMG_OVERLAP_ERROR, NULL, &d);

	if (ret)
		printf("%llu\n", (unsigned long long)stimg_image_bytes(&img));
	stimg_image_release(&img);
	return !ret;
}
C
# a sanitizer build's library needs the sanitizer runtime in the program
san=
nm "$T/prefix/lib/libstimg.a" 2>/dev/null | grep -q __asan_ && san="$san -fsanitize=address"
nm "$T/prefix/lib/libstimg.a" 2>/dev/null | grep -q __ubsan_ && san="$san -fsanitize=undefined"
{ CFLAGS="$san" LDFLAGS="$san" user cmake -S lib -B lib/build \
	-DCMAKE_PREFIX_PATH="$T/prefix" && user cmake --build lib/build; } >lib.log 2>&1 ||
	{ cat lib.log; fail "the CMake library recipe failed"; }
bytes=$(LD_LIBRARY_PATH="$T/prefix/lib" lib/build/imgtool "$TOP/examples/boot.hex") ||
	fail "imgtool did not run"
[ "$bytes" = "$(stimg info --json "$TOP/examples/boot.hex" |
	sed -n 's/^{"files":\[{[^[]*"bytes":\([0-9]*\),.*/\1/p')" ] ||
	fail "imgtool read $bytes bytes"

# ---- STM32CubeIDE makefile.targets, in a makefile of the IDE's shape:
# the link in main-build, post-build steps run with make's -, and
# ../makefile.targets included last
mkdir -p cube/Debug
sources cube/src
recipe cubeide-makefile-targets >cube/makefile.targets
cat >cube/Debug/makefile <<'MK'
BUILD_ARTIFACT_NAME := app
BUILD_ARTIFACT := $(BUILD_ARTIFACT_NAME).elf
SRC := ../src
all: main-build
main-build: app.elf secondary-outputs
app.elf: $(SRC)/app.c $(SRC)/fw.c $(SRC)/app.ld
	arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -Os -ffreestanding -fno-tree-loop-distribute-patterns -nostdlib -T $(SRC)/app.ld -o app.elf $(SRC)/app.c $(SRC)/fw.c -lgcc
	$(MAKE) --no-print-directory post-build
secondary-outputs:
post-build:
	-false
	-@echo ' '
.PHONY: all main-build secondary-outputs post-build
-include ../makefile.targets
MK
user make -C cube/Debug >cube.log 2>&1 || { cat cube.log; fail "the makefile.targets recipe failed"; }
grep -q 'Error 1 (ignored)' cube.log || { cat cube.log; fail "the mock's post-build error was not ignored"; }
cp "$TOP/examples/boot.hex" cube/Debug/
stimg merge cube/Debug/boot.hex cube/Debug/app.elf -o cube/Debug/all.hex 2>/dev/null
checks cube/Debug app.elf all.hex
stimg verify cube/Debug/app.hex --crc stm32 --crc-at 0x08008008+4 --size-at 0x0800800C+4 \
	>v.out 2>&1 || { cat v.out; fail "cube/Debug/app.hex does not verify"; }
# a bad step fails the build, and the ELF goes
sed 's/--size-at \.fw_size -o/--size-at .no_such_section -o/' cube/makefile.targets >x &&
	mv x cube/makefile.targets
touch cube/src/app.c
user make -C cube/Debug >cube.log 2>&1 && { cat cube.log; fail "makefile.targets: a failing step did not fail the build"; }
[ -e cube/Debug/app.elf ] && fail "makefile.targets left app.elf after a failing step"

# ---- the CI job's shell steps: stimg from its source (a copy of this
# tree, as a submodule would hold it), the firmware's own build (here a
# stand-in that copies the committed example), then the job
mkdir -p ci/tools/stimg ci/firmware ci/ci
tar -C "$TOP" --exclude=./.git --exclude='./build*' --exclude=./demo-out -cf - . |
	tar -C ci/tools/stimg -xf -
cat >ci/firmware/Makefile <<MK
all:
	mkdir -p build
	cp $TOP/examples/app.elf $TOP/examples/boot.hex build/
MK
recipe ci-steps >ci/ci/firmware.sh
(cd ci && VERSION=1.2.3.4 user sh ci/firmware.sh) >ci.log 2>&1 ||
	{ cat ci.log; fail "the CI steps failed"; }
checks ci/firmware/build app.elf all.hex
# a bad CRC fails the job: the last step on a flipped byte of the code
stimg convert ci/firmware/build/all.hex -o all.bin --fill 0xFF 2>/dev/null
printf '\125' | dd of=all.bin bs=1 seek=$((0x8900)) conv=notrunc 2>/dev/null
stimg convert all.bin@0x08000000 -o ci/firmware/build/all.hex 2>/dev/null
tail -n 1 ci/ci/firmware.sh | sed 's/^\$stimg /stimg /; s/\$out/firmware\/build/g' >last.sh
grep -q '^stimg verify firmware/build/all.hex' last.sh || fail "the CI steps do not end with verify: $(cat last.sh)"
(cd ci && sh ../last.sh) >ci.log 2>&1 && fail "the CI job's verify passed a flipped byte"
grep -q "^stimg: error: the CRC stored at 0x08008008 is" ci.log || { cat ci.log; fail "no CRC error"; }
exit 0
