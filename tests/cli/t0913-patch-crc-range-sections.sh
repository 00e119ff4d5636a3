# Issue 10, defect 21: for ELF input the default CRC range starts at the
# first byte of the first section above the header fields, not in the
# segment's padding: GNU ld puts .fw_version and .crc at 0x08008000 and
# .text at 0x08008800 in one segment, the 2036 zero bytes between them
# segment data. A loader that flashes sections (GDB load, an objcopy-made
# HEX) leaves those bytes erased, so a range over them fails the
# bootloader's check. Padding that stays inside the range is noted.
. "$STIMG_TOP/tests/cli/lib.sh"
mkelf=$TOOLS/mkelf
[ -x "$mkelf" ] || fail "$mkelf is missing (make check builds it)"

"$mkelf" pad.elf seg=0x08008000,0x1000,0x900 \
	sec=.fw_version,0x08008000,0x1000,8 sec=.crc,0x08008008,0x1008,4 \
	sec=.text,0x08008800,0x1800,0x80 sec=.rodata,0x08008890,0x1890,0x70 \
	fill=0x1000,12,0xFF fill=0x1800,0x80,0x11 fill=0x1890,0x70,0x22 \
	data=0x1800,0010002009880008
run 0 stimg patch pad.elf --version 1.2.3.4 --crc stm32 -o out.elf
expect_err "stimg: note: patched out.elf; version 1.2.3.4 at 0x08008000; stm32 0xBCCF5004 of 0x08008800..0x080088FF at 0x08008008"
expect_err "stimg: note: 16 bytes of the CRC range lie in no section, the first at 0x08008880..0x0800888F: padding that the segments hold and the CRC covers; flash the segments (this output, or a loader that writes segments): a loader that writes only sections (GDB load, an objcopy -j HEX) leaves them erased and the CRC fails"
run 0 stimg verify out.elf --version 1.2.3.4
expect_err "stimg: note: stm32 0xBCCF5004 of 0x08008800..0x080088FF matches the CRC stored at 0x08008008"
# what a loader that writes sections leaves: the padding erased; the CRC
# of the range from .text then differs only by the 16 bytes inside it
run 0 stimg convert out.elf --exclude 0x08008880+16 --fill 0xFF -o sections.hex
run 0 stimg crc --range 0x08008800:0x08008900 sections.hex
[ "$(cat out)" != 0xBCCF5004 ] || fail "the erased padding did not change the CRC"
# the same image as HEX (no sections): from the first data byte above
run 0 stimg convert pad.elf -o pad.hex
run 0 stimg patch pad.hex --crc stm32 --crc-at 0x08008008 -o out.hex
grep -q "of 0x0800800C..0x080088FF at 0x08008008" err || { cat err; fail "HEX range"; }
exit 0
