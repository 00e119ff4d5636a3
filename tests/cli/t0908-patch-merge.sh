# The whole post-build step of the SPEC's layout:
#   stimg patch app.elf --version 1.2.3.4 --crc stm32 -o app.elf
#   stimg merge boot.hex app.elf -o all.hex
# all.hex holds the bootloader below 0x08008000 and the patched header and
# application above it, and verify accepts it.
. "$STIMG_TOP/tests/cli/lib.sh"
cp "$FIXTURES/app.elf" "$FIXTURES/boot.hex" .

run 0 stimg patch app.elf --version 1.2.3.4 --crc stm32 -o app.elf
run 0 stimg merge boot.hex app.elf -o all.hex
expect_err "stimg: note: entry point 0x08008881 of app.elf differs; keeping 0x08000041 of boot.hex"
run 0 stimg info all.hex
grep -qxF '    0x08000000..0x0800800B       32780 bytes' out || { cat out; fail "regions"; }
grep -qxF '    0x08008800..0x080088F7         248 bytes' out || { cat out; fail "regions"; }
grep -qxF '  entry point   0x08000041' out || { cat out; fail "entry"; }

# below 0x08008000: the bootloader, byte for byte
run 0 stimg bin -q boot.hex --base 0x08000000 --end 0x08008000 -o boot.bin
run 0 stimg bin -q all.hex --base 0x08000000 --end 0x08008000 -o low.bin
expect_same boot.bin low.bin
# above: the patched application, byte for byte
run 0 stimg bin -q app.elf --base 0x08008000 --end 0x080088F8 -o app.bin
run 0 stimg bin -q all.hex --base 0x08008000 --end 0x080088F8 -o high.bin
expect_same app.bin high.bin
[ "$(od -An -tx1 -N12 high.bin | tr -d ' \n')" = 0100020003000400f88516a8 ] ||
	fail "header: $(od -An -tx1 -N12 high.bin)"

# verify on the merged file: the fields by address; the bootloader below
# the header is not in the default range
run 0 stimg verify all.hex --version 1.2.3.4 --version-at 0x08008000+8 \
	--crc-at 0x08008008+4
expect_err "stimg: note: stm32 0xA81685F8 of 0x08008800..0x080088F7 matches the CRC stored at 0x08008008"
run 0 stimg verify app.elf --version 1.2.3.4

# the same merge of the unpatched application would not pass
cp "$FIXTURES/app.elf" raw.elf
run 0 stimg merge boot.hex raw.elf -o raw.hex
run 1 stimg verify raw.hex --crc-at 0x08008008+4
expect_err "stimg: error: the CRC stored at 0x08008008 is 0xFFFFFFFF; stm32 of 0x08008800..0x080088F7 is 0xA81685F8"

# a HEX post-build step gives the same all.hex
cp "$FIXTURES/app.elf" app2.elf
run 0 stimg convert app2.elf -o app2.hex
run 0 stimg patch app2.hex --version 1.2.3.4 --crc stm32 \
	--version-at 0x08008000+8 --crc-at 0x08008008+4 -o app2.hex
run 0 stimg merge boot.hex app2.hex -o all2.hex
run 0 stimg bin -q all2.hex --base 0x08000000 --end 0x080088F8 -o all2.bin
run 0 stimg bin -q all.hex --base 0x08000000 --end 0x080088F8 -o all.bin
expect_same all.bin all2.bin
exit 0
