# Issue 10, defect 19: a patched field must not land on code. A typo'd
# --crc-at inside the vector table overwrote the HardFault vector, exit 0,
# and verify passed. By default a field replaces only bytes that are
# absent, erased (0xFF) or zero, or in the section its LOC names (or the
# one named for it: .crc, .fw_version); otherwise an error naming the
# section or range and the bytes there. --force writes it anyway. --set
# into a wider field clears the rest of it.
. "$STIMG_TOP/tests/cli/lib.sh"
cp "$FIXTURES/app.elf" .
run 0 stimg convert app.elf -o app.hex
cp app.elf before.elf

# the HardFault vector (0x0800880C) of the vector table at 0x08008800
run 1 stimg patch app.elf --crc stm32 --crc-at 0x0800880C -o out.hex
expect_err "stimg: error: the CRC field at 0x0800880C..0x0800880F lands on section '.isr_vector', which holds C9 88 00 08 there: a field replaces only absent, erased (0xFF) or zero bytes; give --force to write it anyway"
[ ! -e out.hex ] || fail "out.hex written"
run 1 stimg patch app.hex --set 0x08008808=u32:1 -o out.hex
expect_err "stimg: error: the --set field at 0x08008808..0x0800880B lands on data at 0x08008800..0x080088F7, which holds C9 88 00 08 there: a field replaces only absent, erased (0xFF) or zero bytes; give --force to write it anyway"
run 1 stimg serial app.elf --at 0x08008880 --first 1 -o 'x%u.hex'
grep -q "^stimg: error: the --set field at 0x08008880..0x08008883 lands on section '.text'" err ||
	{ cat err; fail "serial over .text"; }
ls x*.hex 2>/dev/null && fail "serial wrote an output"
expect_same before.elf app.elf

# --force: written
run 0 stimg patch app.hex --crc stm32 --crc-at 0x0800880C --crc-range \
	0x08008880:0x080088F8 --force -o forced.hex
run 0 stimg verify forced.hex --crc-at 0x0800880C --crc-range 0x08008880:0x080088F8
run 2 stimg verify app.hex --force
expect_err "stimg: error: verify: unknown option '--force'; it is an option of patch and serial"

# erased (.crc holds FF FF FF FF), by address: fine; a named section or
# symbol: the user's choice, fine; the same bytes again: fine
run 0 stimg patch app.hex --crc stm32 --crc-at 0x08008008 -o ok.hex
run 0 stimg patch ok.hex --crc stm32 --crc-at 0x08008008 -o ok2.hex
expect_same ok.hex ok2.hex
run 0 stimg patch app.elf --set counter=u32:7 -o counter.hex
# a version at an address inside .fw_version: named for it
run 0 stimg patch app.elf --version 9.9 --version-at 0x08008000+8 -o v.hex

# --set into a wider field: the rest cleared (counter holds 0xC0FFEE01)
run 0 stimg patch app.elf --set counter=u8:5 -o narrow.hex
run 0 stimg crc --algo crc32 --range 0x080088F4+4 narrow.hex
mv out got.crc
printf '\005\000\000\000' >want.bin
run 0 stimg crc --algo crc32 want.bin@0x080088F4
expect_same out got.crc
exit 0
