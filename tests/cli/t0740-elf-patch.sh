# The in-place ELF patcher (stimg_elf_patch, through tests/tools/elfpatch
# until a command of stimg uses it): cmp -l between input and output shows
# only bytes inside the patched sections; -o may be the input; a place in
# no section's file data is refused and nothing is written.
. "$STIMG_TOP/tests/cli/lib.sh"
P=$TOOLS/elfpatch
cp "$FIXTURES/app-maxpage.elf" "$FIXTURES/app-keil.elf" .

# app-maxpage.elf: .fw_version at file offset 0x8000 (8 bytes), .crc at
# 0x8008 (4 bytes) (readelf -S); cmp -l counts offsets from 1
$P app-maxpage.elf out.elf .fw_version=0100020003000500 .crc=11223344 ||
	fail "elfpatch"
cmp -l app-maxpage.elf out.elf >diffs
awk '{ o = $1 - 1; if (o < 32768 || o >= 32780) print "outside the sections: " o }' diffs >outside
[ ! -s outside ] || { cat outside; fail "bytes outside .fw_version and .crc changed"; }
[ "$(wc -l <diffs)" -eq 5 ] || { cat diffs; fail "not the 5 bytes that differ"; }
[ "$(wc -c <out.elf)" -eq "$(wc -c <app-maxpage.elf)" ] || fail "size changed"
run 0 stimg info out.elf
grep -qxF '  header        .fw_version at 0x08008000, 8 bytes: 01 00 02 00 03 00 05 00' out ||
	{ cat out; fail "version not patched"; }
grep -qxF '                .crc at 0x08008008, 4 bytes: 11 22 33 44' out ||
	{ cat out; fail "CRC not patched"; }

# in place, a symbol: counter's initial value in .data, which in the Keil
# layout sits in the flash segment at file offset 0x18E4 + 0x10
cp app-keil.elf k.elf
chmod 640 k.elf
$P k.elf k.elf counter=78563412 || fail "elfpatch in place"
cmp -l app-keil.elf k.elf >diffs
[ "$(awk '{ print $1 - 1 }' diffs | tr '\n' ' ')" = "6388 6389 6390 6391 " ] ||
	{ cat diffs; fail "not counter's 4 bytes"; }
[ "$(stat -c %a k.elf)" = 640 ] || fail "mode not kept"

# between .crc and .isr_vector: no section's bytes; refused, nothing written
run 1 "$P" app-maxpage.elf no.elf 0x0800800C=00
expect_err "elfpatch: error: app-maxpage.elf: 0x0800800C is in no section's file data: an ELF output can change only the bytes of sections"
[ ! -e no.elf ] || fail "no.elf written"
cp k.elf k2.elf
run 1 "$P" k2.elf k2.elf ticks=00
cmp k.elf k2.elf || fail "refused in place, yet the input changed"
ls -A | grep -q '^\.stimg-' && fail "temporary file left behind"
exit 0
