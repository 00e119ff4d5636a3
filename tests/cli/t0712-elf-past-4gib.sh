# Issue 10, defect 10: an ELF64 load address at or above 4 GiB is an error
# (SPEC 3), never wrapped into the 32-bit space.
. "$STIMG_TOP/tests/cli/lib.sh"
mkelf=$TOOLS/mkelf
[ -x "$mkelf" ] || fail "$mkelf is missing (make check builds it)"

# 10: an ELF64 load address past 4 GiB is an error, never wrapped to 0
"$mkelf" -64 wrap.elf seg=0xFFFFFFFFFFFFF000,0x100,0x1100 \
	sec=.text,0x1000,0x1100,0x10 fill=0x1100,0x10,0x22
run 1 stimg info wrap.elf
expect_err "stimg: error: wrap.elf: segment 0: its 0x1100 file bytes at load address 0xFFFFFFFFFFFFF000 lie past the 32-bit address space"
"$mkelf" -64 high.elf seg=0x100000000,0x100,0x10 sec=.text,0x100000000,0x100,0x10
run 1 stimg convert high.elf -o high.hex
expect_err "stimg: error: high.elf: segment 0: its 0x10 file bytes at load address 0x100000000 lie past the 32-bit address space"
[ ! -e high.hex ] || fail "high.hex written"
exit 0
