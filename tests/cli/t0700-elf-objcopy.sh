# Each ELF fixture's BIN equals GNU objcopy's (-O binary --gap-fill 0xff),
# and where objcopy is wrong the test says why and checks what is right.
. "$STIMG_TOP/tests/cli/lib.sh"
need arm-none-eabi-objcopy
need arm-none-eabi-objdump
cp "$FIXTURES"/*.elf .

# objcopy works from sections (by their LMA): it is right for these. The
# max-page-size link's first segment starts at 0x08000000 with the ELF
# header; neither tool writes it, both start at 0x08008000.
for f in app app-maxpage; do
	run 0 stimg convert $f.elf -o $f.bin
	arm-none-eabi-objcopy -O binary --gap-fill 0xff $f.elf $f.objcopy.bin
	expect_same $f.objcopy.bin $f.bin
	[ "$(wc -c <$f.bin)" -eq $((0x080088F8 - 0x08008000)) ] ||
		fail "$f.bin is not 0x08008000..0x080088F7"
done

# app-keil.elf: objcopy is wrong. BFD takes a section's LMA from the
# segment that holds it only when the section's address lies inside the
# segment's addresses too; .data's is in RAM, so objcopy puts .data at
# 0x20000000 and would write a binary of 400 MB. Told .data's LMA (where
# its file offset puts it in the flash segment, as stimg finds it), and
# filling gaps with 0x00 (the padding between .crc and .isr_vector lies
# inside the segment, and stimg keeps the zeros ld wrote there), it agrees.
arm-none-eabi-objdump -h app-keil.elf >sections
grep -Eq '^ +[0-9]+ \.data +[0-9a-f]+ +20000000 +20000000 ' sections ||
	{ cat sections; fail "objcopy's view of .data changed: not LMA 0x20000000"; }
run 0 stimg convert app-keil.elf -o keil.bin
arm-none-eabi-objcopy -O binary --gap-fill 0x00 \
	--change-section-lma .data=0x080088E4 app-keil.elf keil.objcopy.bin
expect_same keil.objcopy.bin keil.bin
run 0 stimg info app-keil.elf
grep -qxF '    .data             0x080088E4..0x080088F7          20 bytes  segment 0, runs at 0x20000000' out ||
	{ cat out; fail "info: .data not at 0x080088E4"; }

# app-nosh.elf: objcopy refuses a file without sections ("has no
# sections"); stimg reads whole segments (see t0701).
arm-none-eabi-objcopy -O binary app-nosh.elf nosh.bin 2>/dev/null &&
	fail "objcopy read a file without section headers"
exit 0
