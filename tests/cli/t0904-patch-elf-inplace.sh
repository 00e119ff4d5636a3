# stimg patch ELF in, ELF out: -o may be the input; only the bytes of the
# patched sections change (cmp -l); mode and size kept; an existing output
# is untouched on any error, and no temporary file is left behind.
. "$STIMG_TOP/tests/cli/lib.sh"
cp "$FIXTURES/app.elf" orig.elf

# app.elf (readelf -S): .fw_version at file offset 0x1000 (8 bytes), .crc
# at 0x1008 (4 bytes), .data (20 bytes) at 0x2000; cmp -l counts from 1
# only FILE FIRST END: every differing byte of FILE lies in [FIRST, END)
only() {
	cmp -l orig.elf "$1" >diffs
	[ -s diffs ] || fail "$1: nothing changed"
	awk -v lo="$2" -v hi="$3" '{ o = $1 - 1; if (o < lo || o >= hi) print "offset " o " changed" }' diffs >outside
	[ ! -s outside ] || { cat outside; fail "$1: bytes outside the fields changed"; }
}

cp orig.elf app.elf
chmod 640 app.elf
run 0 stimg patch app.elf --version 1.2.3.4 --crc stm32 -o app.elf
expect_err "stimg: note: patched app.elf; version 1.2.3.4 at 0x08008000; stm32 0xA81685F8 of 0x08008800..0x080088F7 at 0x08008008"
only app.elf $((0x1000)) $((0x100C))
# the fixture already holds 1.2.3.4: the CRC's four bytes change, nothing else
[ "$(wc -l <diffs)" = 4 ] || { cat diffs; fail "not the 4 bytes of the CRC"; }
[ "$(od -An -tx1 -j $((0x1000)) -N12 app.elf | tr -d ' \n')" = 0100020003000400f88516a8 ] ||
	fail "header: $(od -An -tx1 -j $((0x1000)) -N12 app.elf)"
[ "$(wc -c <app.elf)" = "$(wc -c <orig.elf)" ] || fail "size changed"
[ "$(stat -c %a app.elf)" = 640 ] || fail "mode not kept: $(stat -c %a app.elf)"
run 0 stimg verify app.elf --version 1.2.3.4
# again: the same bytes, the same file
cp app.elf again.elf
run 0 stimg patch again.elf --version 1.2.3.4 --crc stm32 -o again.elf
expect_same app.elf again.elf

# a new version: version and CRC bytes change
run 0 stimg patch app.elf --version 2.10.300.4000 --crc stm32 -o v2.elf
only v2.elf $((0x1000)) $((0x100C))
[ "$(od -An -tx1 -j $((0x1000)) -N8 v2.elf | tr -d ' \n')" = 02000a002c01a00f ] ||
	fail "version: $(od -An -tx1 -j $((0x1000)) -N8 v2.elf)"
run 0 stimg verify v2.elf --version 2.10.300.4000

# a --set into .data (the symbol counter, 4 bytes at file offset 0x2010):
# those bytes and the CRC change
run 0 stimg patch orig.elf --set counter=u32:0x11223344 --crc stm32 -o set.elf
cmp -l orig.elf set.elf | awk '{ o = $1 - 1; if (!((o >= 4104 && o < 4108) || (o >= 8208 && o < 8212))) print "offset " o }' >outside
[ ! -s outside ] || { cat outside; fail "set.elf: bytes outside .crc and counter changed"; }
[ "$(od -An -tx1 -j $((0x2010)) -N4 set.elf | tr -d ' \n')" = 44332211 ] ||
	fail "counter: $(od -An -tx1 -j $((0x2010)) -N4 set.elf)"
run 0 stimg verify set.elf

# -O elf to another name, and to standard output: the same bytes
run 0 stimg patch orig.elf --version 1.2.3.4 --crc stm32 -O elf -o out.img
expect_same out.img app.elf
stimg patch orig.elf --version 1.2.3.4 --crc stm32 -O elf -o - >stdout.elf 2>err ||
	fail "ELF to standard output"
expect_same stdout.elf app.elf

# holes in the CRC range cannot go into an ELF file: a note, and verify
# with the same range counts them as the same fill
run 0 stimg patch orig.elf --crc stm32 --crc-range 0x08008800:0x08008900 -o holes.elf
expect_err "stimg: note: 8 bytes of the CRC range hold no data and were counted as 0xFF; an ELF file cannot carry them: flash them erased, or write HEX/BIN"
only holes.elf $((0x1008)) $((0x100C))
run 0 stimg verify holes.elf --crc-range 0x08008800:0x08008900
run 0 stimg patch orig.elf --crc stm32 --fill 0 --crc-range 0x08008800:0x08008900 -o holes0.elf
expect_err "stimg: note: 8 bytes of the CRC range hold no data and were counted as 0x00; an ELF file cannot carry them: flash them erased to that value, or write HEX/BIN"
run 0 stimg verify holes0.elf --fill 0 --crc-range 0x08008800:0x08008900
# the HEX output carries them
run 0 stimg patch orig.elf --crc stm32 --crc-range 0x08008800:0x08008900 -o holes.hex
run 0 stimg info holes.hex
grep -qxF '    0x08008800..0x080088FF         256 bytes' out || { cat out; fail "holes not in the HEX"; }

# errors leave an existing output, and an input patched in place, alone
cp app.elf keep.elf
cp app.elf out.elf
run 2 stimg patch keep.elf --version 1.70000 -o out.elf
expect_err "stimg: error: version '1.70000': part 70000 does not fit u16x4 (at most 65535)"
expect_same out.elf app.elf
# refused by the ELF writer, after the patch: 0x080088F8 is in no section
run 1 stimg patch keep.elf --set 0x080088F8=u32:1 -o out.elf
expect_err "stimg: error: keep.elf: 0x080088F8 is in no section's file data: an ELF output can change only the bytes of sections"
expect_same out.elf app.elf
run 1 stimg patch keep.elf --set 0x080088F8=u32:1 -o keep.elf
expect_same keep.elf app.elf
run 1 stimg patch keep.elf --crc stm32 --crc-at 0x0800800C -o keep.elf
expect_err "stimg: error: keep.elf: 0x0800800C is in no section's file data: an ELF output can change only the bytes of sections"
expect_same keep.elf app.elf
run 2 stimg patch keep.elf --crc stm32 --crc-range 0x08008000:0x08008100 -o keep.elf
expect_same keep.elf app.elf
[ "$(stat -c %a keep.elf)" = "$(stat -c %a app.elf)" ] || fail "mode changed"
# a new output is not created on error
run 1 stimg patch keep.elf --crc stm32 --crc-at .nosuch -o new.elf
[ -e new.elf ] && fail "new.elf written"
# no temporary files anywhere
ls -A | grep '^\.stimg-' && fail "temporary file left behind"
exit 0
