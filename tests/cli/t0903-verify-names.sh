# stimg verify on a mismatch names the algorithms (catalogue models and
# stm32, in both byte orders) that give the stored CRC over the same range:
# an image patched with CRC-32/ISO-HDLC and checked as stm32 (the default)
# says so and exits 1.
. "$STIMG_TOP/tests/cli/lib.sh"
cp "$FIXTURES/app.elf" .

run 0 stimg patch app.elf --crc crc-32/iso-hdlc -o iso.elf
expect_err "stimg: note: patched iso.elf; CRC-32/ISO-HDLC 0xD3BEB4CD of 0x08008800..0x080088F7 at 0x08008008"
run 1 stimg verify iso.elf
cat >want <<'X'
stimg: error: the CRC stored at 0x08008008 is 0xD3BEB4CD; stm32 of 0x08008800..0x080088F7 is 0xA81685F8
stimg: note: stored CRC matches CRC-32/ISO-HDLC; did you mean --crc crc-32/iso-hdlc?
X
expect_same err want
# as it says: a match
run 0 stimg verify iso.elf --crc crc-32/iso-hdlc
expect_err "stimg: note: CRC-32/ISO-HDLC 0xD3BEB4CD of 0x08008800..0x080088F7 matches the CRC stored at 0x08008008"
# an alias names the same model
run 0 stimg verify iso.elf --crc CRC-32
# the same from a HEX form, with the fields by address
run 0 stimg convert iso.elf -o iso.hex
run 1 stimg verify iso.hex --crc-at 0x08008008+4
expect_err "stimg: note: stored CRC matches CRC-32/ISO-HDLC; did you mean --crc crc-32/iso-hdlc?"
# -q hides the note, not the status
run 1 stimg verify -q iso.elf
expect_err "stimg: error: the CRC stored at 0x08008008 is 0xD3BEB4CD; stm32 of 0x08008800..0x080088F7 is 0xA81685F8"
grep -q 'note' err && fail "-q printed a note"

# the SPEC's STM32 confusion: CRC-32/MPEG-2 over the bytes in order is not
# what the CRC unit computes over words
run 0 stimg patch app.elf --crc crc-32/mpeg-2 -o mpeg.elf
run 1 stimg verify mpeg.elf
expect_err "stimg: note: stored CRC matches CRC-32/MPEG-2; did you mean --crc crc-32/mpeg-2?"
# and the other way round
run 0 stimg patch app.elf --crc stm32 -o stm.elf
run 1 stimg verify stm.elf --crc crc-32/mpeg-2
expect_err "stimg: note: stored CRC matches stm32; did you mean --crc stm32?"

# stored big-endian: named with its byte order
run 0 stimg patch app.elf --crc stm32 --endian big -o be.elf
run 0 stimg bin -q be.elf --base 0x08008008 --size 4 -o be.bin
[ "$(od -An -tx1 be.bin | tr -d ' \n')" = a81685f8 ] || fail "big-endian: $(od -An -tx1 be.bin)"
run 1 stimg verify be.elf
cat >want <<'X'
stimg: error: the CRC stored at 0x08008008 is 0xF88516A8; stm32 of 0x08008800..0x080088F7 is 0xA81685F8
stimg: note: stored CRC matches stm32 stored big-endian; did you mean --crc stm32 --endian big?
X
expect_same err want
run 0 stimg verify be.elf --endian big

# a 16-bit CRC in the 4-byte field: written as a 4-byte integer
run 0 stimg patch app.elf --crc crc-16/xmodem -o x16.elf
run 1 stimg verify x16.elf
expect_err "stimg: note: stored CRC matches CRC-16/XMODEM; did you mean --crc crc-16/xmodem?"
run 0 stimg verify x16.elf --crc crc-16/xmodem

# nothing matches: said so
run 0 stimg patch app.elf --set .crc=u32:0x12345678 -o junk.elf
run 1 stimg verify junk.elf
cat >want <<'X'
stimg: error: the CRC stored at 0x08008008 is 0x12345678; stm32 of 0x08008800..0x080088F7 is 0xA81685F8
stimg: note: no known algorithm gives the stored value over this range
X
expect_same err want

# the fixture as built: 0xFFFFFFFF is no CRC of its range
run 1 stimg verify app.elf
expect_err "stimg: error: the CRC stored at 0x08008008 is 0xFFFFFFFF; stm32 of 0x08008800..0x080088F7 is 0xA81685F8"
exit 0
