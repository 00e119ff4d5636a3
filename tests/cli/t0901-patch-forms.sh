# stimg patch on the classic layout (tests/fixtures/app.elf: version u16[4]
# at 0x08008000 in .fw_version, CRC u16[2] at 0x08008008 in .crc, the vector
# table at 0x08008800, data to 0x080088F7) in its ELF, HEX and BIN forms:
# the three outputs agree byte for byte over the flash range, verify
# accepts each, and one flipped byte in the CRC range makes it exit 1.
. "$STIMG_TOP/tests/cli/lib.sh"
cp "$FIXTURES/app.elf" .

# flip FILE OFFSET: inverts the byte at OFFSET in place
flip() {
	_b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	# shellcheck disable=SC2059
	printf "\\$(printf '%03o' $((_b ^ 0xFF)))" |
		dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

# the HEX and BIN forms of the same image
run 0 stimg convert app.elf -o app.hex
run 0 stimg bin -q app.elf -o app.bin
[ "$(wc -c <app.bin)" = 2296 ] || fail "app.bin: $(wc -c <app.bin) bytes"

# ELF: the default sections; HEX: the fields by address
run 0 stimg patch app.elf --version 1.2.3.4 --crc stm32 -o p.elf
expect_err "stimg: note: patched p.elf; version 1.2.3.4 at 0x08008000; stm32 0xA81685F8 of 0x08008800..0x080088F7 at 0x08008008"
run 0 stimg patch app.hex --version 1.2.3.4 --crc stm32 \
	--version-at 0x08008000+8 --crc-at 0x08008008+4 -o p.hex
expect_err "stimg: note: patched p.hex; version 1.2.3.4 at 0x08008000; stm32 0xA81685F8 of 0x08008800..0x080088F7 at 0x08008008"

# BIN: the gap between the header and the vector table is data (0xFF) in
# a raw binary, so the default range starts right after the fields ...
run 0 stimg patch app.bin@0x08008000 --version 1.2.3.4 --crc stm32 \
	--version-at 0x08008000+8 --crc-at 0x08008008+4 -o gap.bin
expect_err "stimg: note: patched gap.bin; version 1.2.3.4 at 0x08008000; stm32 0xEEC34E8E of 0x0800800C..0x080088F7 at 0x08008008"
# ... and --crc-range gives the ELF's range
run 0 stimg patch app.bin@0x08008000 --version 1.2.3.4 --crc stm32 \
	--version-at 0x08008000+8 --crc-at 0x08008008+4 \
	--crc-range 0x08008800:0x080088F8 -o p.bin
expect_err "stimg: note: patched p.bin; version 1.2.3.4 at 0x08008000; stm32 0xA81685F8 of 0x08008800..0x080088F7 at 0x08008008"
[ "$(wc -c <p.bin)" = 2296 ] || fail "p.bin: $(wc -c <p.bin) bytes"

# the three agree over the flash range, and hold the header written
for f in p.elf p.hex p.bin@0x08008000; do
	run 0 stimg bin -q "$f" --base 0x08008000 --end 0x080088F8 -o "flat-${f%%@*}.bin"
done
expect_same flat-p.elf.bin flat-p.hex.bin
expect_same flat-p.elf.bin flat-p.bin.bin
expect_same flat-p.elf.bin p.bin
[ "$(od -An -tx1 -N12 p.bin | tr -d ' \n')" = 0100020003000400f88516a8 ] ||
	fail "header: $(od -An -tx1 -N12 p.bin)"
# only the 12 header bytes differ from the input
cmp -l app.bin p.bin | awk '$1 > 12 { print "byte " $1 " changed" }' >outside
[ ! -s outside ] || { cat outside; fail "bytes outside the header changed"; }
# the ELF is still the same size
[ "$(wc -c <p.elf)" = "$(wc -c <app.elf)" ] || fail "p.elf grew"

# verify accepts each
run 0 stimg verify p.elf
expect_err "stimg: note: stm32 0xA81685F8 of 0x08008800..0x080088F7 matches the CRC stored at 0x08008008"
run 0 stimg verify p.elf --version 1.2.3.4
run 0 stimg verify p.hex --version 1.2.3.4 --version-at 0x08008000+8 \
	--crc-at 0x08008008+4
expect_err "stimg: note: stm32 0xA81685F8 of 0x08008800..0x080088F7 matches the CRC stored at 0x08008008"
run 0 stimg verify p.bin@0x08008000 --crc-at 0x08008008+4 \
	--crc-range 0x08008800:0x080088F8
run 0 stimg verify gap.bin@0x08008000 --crc-at 0x08008008+4
expect_err "stimg: note: stm32 0xEEC34E8E of 0x0800800C..0x080088F7 matches the CRC stored at 0x08008008"
run 0 stimg verify -q p.elf
[ -s err ] && fail "verify -q printed: $(cat err)"
run 1 stimg verify p.elf --version 1.2.3.5
expect_err "stimg: error: the version field at 0x08008000 does not hold 1.2.3.5"

# one flipped byte in the range: exit 1, and no algorithm explains it
# (.text starts at 0x08008880: file offset 0x1880 in the ELF)
cp p.elf flip.elf
flip flip.elf $((0x1880))
run 1 stimg verify flip.elf
expect_err "stimg: error: the CRC stored at 0x08008008 is 0xA81685F8; stm32 of 0x08008800..0x080088F7 is 0x95D8995E"
expect_err "stimg: note: no known algorithm gives the stored value over this range"
[ "$(wc -l <err)" = 2 ] || { cat err; fail "more than the mismatch"; }
cp p.bin flip.bin
flip flip.bin $((0x880))
run 1 stimg verify flip.bin@0x08008000 --crc-at 0x08008008+4 \
	--crc-range 0x08008800:0x080088F8
expect_err "stimg: error: the CRC stored at 0x08008008 is 0xA81685F8; stm32 of 0x08008800..0x080088F7 is 0x95D8995E"
run 0 stimg convert flip.bin@0x08008000 --crop 0x08008000:0x0800800C \
	--crop 0x08008800:0x080088F8 -o flip.hex
run 1 stimg verify flip.hex --crc-at 0x08008008+4
expect_err "stimg: error: the CRC stored at 0x08008008 is 0xA81685F8; stm32 of 0x08008800..0x080088F7 is 0x95D8995E"
# the last byte of the range counts too; a byte outside it does not
cp p.bin last.bin
flip last.bin $((0x8F7))
run 1 stimg verify last.bin@0x08008000 --crc-at 0x08008008+4 \
	--crc-range 0x08008800:0x080088F8
cp p.bin gapbyte.bin
flip gapbyte.bin $((0x400))
run 0 stimg verify gapbyte.bin@0x08008000 --crc-at 0x08008008+4 \
	--crc-range 0x08008800:0x080088F8

# the vector table check of verify: a table that is not plausible fails
# even when the CRC matches (the table is searched every 256 bytes in the
# first 4 KiB; here the vectors are crushed to zero)
run 0 stimg patch p.bin@0x08008000 --set 0x08008800=u64:0 --force --crc stm32 \
	--crc-at 0x08008008+4 --crc-range 0x08008800:0x080088F8 -o zerovec.hex
run 1 stimg verify zerovec.hex --crc-at 0x08008008+4 \
	--crc-range 0x08008800:0x080088F8
expect_err "stimg: note: stm32 0x2DF6A9D7 of 0x08008800..0x080088F7 matches the CRC stored at 0x08008008"
# none found: the lowest address is named (the header's bytes there)
expect_err "stimg: error: no plausible vector table: at 0x08008000 initial SP 0x00020001 (not in RAM or not aligned), reset handler 0x00040003 (not a Thumb address inside the image)"
exit 0
