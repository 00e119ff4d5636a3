# Issue 10, defect 12: segments that load identical bytes at one address
# are accepted, as for HEX; differing bytes follow --overlap.
. "$STIMG_TOP/tests/cli/lib.sh"
mkelf=$TOOLS/mkelf
[ -x "$mkelf" ] || fail "$mkelf is missing (make check builds it)"

# two segments (from different file bytes) load identical bytes at one
# address, as an ArmLink overlay does: accepted, once
"$mkelf" twice.elf seg=0x08000000,0x100,0x10 seg=0x08000000,0x200,0x10 \
	sec=.a,0x08000000,0x100,0x10 sec=.b,0x08000000,0x200,0x10 \
	fill=0x100,0x10,0x5A fill=0x200,0x10,0x5A
run 0 stimg convert twice.elf -o twice.bin
[ ! -s err ] || { cat err; fail "twice.elf: a message"; }
printf 'ZZZZZZZZZZZZZZZZ' >want.bin
expect_same want.bin twice.bin

# differing bytes: an error naming the segments, or --overlap's choice
"$mkelf" differ.elf seg=0x08000000,0x100,0x10 seg=0x08000008,0x200,0x10 \
	sec=.a,0x08000000,0x100,0x10 sec=.b,0x08000008,0x200,0x10 \
	fill=0x100,0x10,0x5A fill=0x200,0x10,0x41
run 1 stimg convert differ.elf -o differ.bin
expect_err "stimg: error: differ.elf: segments 0 and 1 both load 0x08000008..0x0800000F with different bytes (first difference at 0x08000008: 0x5A vs 0x41)"
[ ! -e differ.bin ] || fail "differ.bin written"
run 0 stimg convert --overlap last differ.elf -o differ.bin
expect_err "stimg: warning: differ.elf and differ.elf both set 0x08000008..0x0800000F (first difference at 0x08000008: 0x5A vs 0x41); keeping the last"
printf 'ZZZZZZZZAAAAAAAAAAAAAAAA' >want.bin
expect_same want.bin differ.bin
run 0 stimg convert --overlap first -q differ.elf -o differ.bin
printf 'ZZZZZZZZZZZZZZZZAAAAAAAA' >want.bin
expect_same want.bin differ.bin
exit 0
