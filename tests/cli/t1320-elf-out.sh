# ELF output (-O elf, .elf): random sparse images written as ELF are what
# arm-none-eabi-readelf takes without a word (ELF32, little-endian, ARM,
# EXEC; one PT_LOAD, R E, p_vaddr = p_paddr, and one section per region;
# the entry point), arm-none-eabi-objcopy -O ihex of it holds the same
# data as the HEX (srec_cmp), and stimg reads it back the same; the
# bootloader and application merged into one ELF; 65534 regions (extended
# section numbering) and the refusal of one more; the hint.
. "$STIMG_TOP/tests/cli/lib.sh"
need arm-none-eabi-readelf arm-none-eabi-objcopy srec_cmp

gen=$TOOLS/gen_image

# readelf_ok FILE: readelf -W -h -l -S prints no warning; its text in re.out
readelf_ok() {
	arm-none-eabi-readelf -W -h -l -S "$1" >re.out 2>re.err ||
		{ cat re.err; fail "readelf refuses $1"; }
	[ ! -s re.err ] || { cat re.err; fail "readelf warns about $1"; }
}
# header FIELD VALUE: readelf -h says FIELD is VALUE
header() {
	grep -qE "^  $1: +$2\$" re.out || { cat re.out; fail "readelf: $1 is not $2"; }
}

for seed in 1 2 3 4 5 6; do
	for g in "-p near -e" "-p near -A 256" "-p wide -n 30 -m 3000 -e" \
		"-p low -a mixed -r 0"; do
		"$gen" -s "$seed" $g >r.hex || fail "gen_image -s $seed $g"
		run 0 stimg convert -q r.hex -o r.elf
		readelf_ok r.elf
		header Class ELF32
		header Data "2's complement, little endian"
		header Type "EXEC \(Executable file\)"
		header Machine ARM
		run 0 stimg info r.hex
		n=$(sed -n 's/^  data .* in \([0-9]*\) region(s)$/\1/p' out)
		[ "$(grep -c '^  LOAD ' re.out)" = "$n" ] ||
			fail "seed $seed ($g): not one PT_LOAD per region ($n)"
		awk '$1 == "LOAD" && ($3 != $4 || $5 != $6 || $7 != "R" || $8 != "E") { exit 1 }' re.out ||
			{ cat re.out; fail "seed $seed ($g): a PT_LOAD not R E at its load address"; }
		[ "$(grep -c ' PROGBITS .* AX ' re.out)" = "$n" ] ||
			fail "seed $seed ($g): not one AX PROGBITS section per region"
		arm-none-eabi-objcopy -O ihex r.elf objcopy.hex || fail "objcopy"
		srec_cmp objcopy.hex -Intel r.hex -Intel >out 2>&1 ||
			{ cat out; fail "seed $seed ($g): objcopy's HEX of it differs"; }
		run 0 stimg convert r.hex -o want.hex
		run 0 stimg convert r.elf -o back.hex
		expect_same want.hex back.hex
	done
done

# bootloader and application: one file; objcopy's HEX of it is stimg's HEX
run 0 stimg merge "$TOP/examples/boot.hex" "$TOP/examples/app.elf" -o all.elf
expect_err "stimg: wrote all.elf; to flash it:"
expect_err "  arm-none-eabi-gdb all.elf -batch -ex 'target extended-remote :3333' -ex load"
expect_err '  openocd -f interface/stlink.cfg -f target/<chip>.cfg -c "program all.elf verify reset exit"'
run 0 stimg merge "$TOP/examples/boot.hex" "$TOP/examples/app.elf" -o all.hex
readelf_ok all.elf
header "Entry point address" 0x800006d
header Flags "0x5000000, Version5 EABI"
arm-none-eabi-objcopy -O ihex all.elf objcopy.hex || fail "objcopy"
srec_cmp objcopy.hex -Intel all.hex -Intel >out 2>&1 || { cat out; fail "all.elf"; }
run 0 stimg merge -q "$TOP/examples/boot.hex" "$TOP/examples/app.elf" \
	--entry none -O elf -o - >none.elf
[ ! -s err ] || fail "-q: $(cat err)"
readelf_ok out
header "Entry point address" 0x0
# sections named as objcopy names them from a HEX
grep -qE '^  \[ 1\] \.sec1 +PROGBITS +08000000 ' re.out || { cat re.out; fail ".sec1"; }
grep -qE '^  \[ 4\] \.shstrtab +STRTAB ' re.out || { cat re.out; fail ".shstrtab"; }

# 65534 regions, one byte each: 65536 sections (counted in section 0)
echo 'BEGIN { for (i = 0; i < n; i++) ihex_byte(134217728 + 2 * i, i % 251)
	ihex_eof() }' >many.awk
awk -v n=65534 -f "$TOP/tests/cli/ihex.awk" -f many.awk >many.hex
run 0 stimg convert many.hex -o many.elf
readelf_ok many.elf
header "Number of program headers" 65534
header "Number of section headers" "0 \(65536\)"
arm-none-eabi-objcopy -O ihex many.elf objcopy.hex || fail "objcopy"
srec_cmp objcopy.hex -Intel many.hex -Intel >out 2>&1 || { cat out; fail "many.elf"; }
run 0 stimg convert many.elf -o back.hex
run 0 stimg convert many.hex -o want.hex
expect_same want.hex back.hex
awk -v n=65535 -f "$TOP/tests/cli/ihex.awk" -f many.awk >more.hex
expect_error 1 "the image has 65535 regions, more than the 65534 segments an ELF output holds; join them (--fill) or write ihex" \
	stimg convert more.hex -o more.elf
[ ! -e more.elf ] || fail "more.elf written"
run 0 stimg convert more.hex --fill 0xFF -o more.elf
readelf_ok more.elf
header "Number of program headers" 1

# an ELF has no text options
expect_error 2 "--record-size is an option of ihex, srec output, not of elf" \
	stimg convert r.hex -o x.elf --record-size 32
exit 0
