# Issue 10, defect 13: a segment or section with no file bytes is never
# checked against the end of the file (readelf and objcopy read such files;
# 26 TivaWare GCC images have them).
. "$STIMG_TOP/tests/cli/lib.sh"
mkelf=$TOOLS/mkelf
[ -x "$mkelf" ] || fail "$mkelf is missing (make check builds it)"

# a PT_LOAD with p_filesz 0 at an offset past the end (.bss), and a
# PROGBITS section of size 0 likewise
"$mkelf" empty.elf seg=0x08000000,0x100,0x10 seg=0x20000000,0x7FFF0000,0,0x400 \
	sec=.text,0x08000000,0x100,0x10 sec=.empty,0x08000010,0x7FFF0000,0 \
	sec=.bss,0x20000000,0x7FFF0000,0x400,nobits,3 fill=0x100,0x10,0x11
run 0 stimg convert empty.elf -o empty.bin
printf '\021\021\021\021\021\021\021\021\021\021\021\021\021\021\021\021' >want.bin
expect_same want.bin empty.bin
run 0 stimg info empty.elf
grep -qxF "    .text             0x08000000..0x0800000F          16 bytes  segment 0" out ||
	{ cat out; fail "info: no .text"; }
exit 0
