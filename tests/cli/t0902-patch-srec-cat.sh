# The CRC stimg patch writes equals SRecord's independent computation
# (-stm32-l-e, -crc32-l-e over the same range, holes filled the same way)
# and stimg crc over that range; the holes and the STM32 word tail the CRC
# covered are written into the HEX output.
. "$STIMG_TOP/tests/cli/lib.sh"
need srec_cat
cp "$FIXTURES/app.elf" .
run 0 stimg convert app.elf -o app.hex

# srec FILTER START END: the 4 bytes srec_cat's FILTER puts at END over
# [START, END) filled with 0xFF, as 0x%08X (they are little-endian)
srec() {
	srec_cat -disable_sequence_warnings app.hex -intel -fill 0xFF "$2" "$3" \
		-crop "$2" "$3" "$1" "$3" -crop "$3" $(($3 + 4)) -offset -"$3" \
		-o v.bin -binary 2>srec.err || { cat srec.err; fail "srec_cat $1"; }
	[ "$(wc -c <v.bin)" = 4 ] || fail "srec_cat $1: $(wc -c <v.bin) bytes"
	od -An -tx1 v.bin | awk '{ printf "0x%s%s%s%s\n", toupper($4), toupper($3), toupper($2), toupper($1) }'
}

# stored FILE ADDR: the u32 little-endian at ADDR in FILE, as 0x%08X
stored() {
	stimg bin -q "$1" --base "$2" --size 4 -o s.bin || fail "bin $1"
	od -An -tx1 s.bin | awk '{ printf "0x%s%s%s%s\n", toupper($4), toupper($3), toupper($2), toupper($1) }'
}

# the default range of the classic layout: 0x08008800..0x080088F7
for algo in stm32 crc-32/iso-hdlc; do
	case $algo in
	stm32) filter=-stm32-l-e ;;
	*) filter=-crc32-l-e ;;
	esac
	want=$(srec "$filter" 0x08008800 0x080088F8)
	run 0 stimg patch app.elf --crc "$algo" -o "p-${algo%%/*}.hex"
	got=$(stored "p-${algo%%/*}.hex" 0x08008008)
	[ "$got" = "$want" ] || fail "$algo: patch wrote $got, srec_cat says $want"
	run 0 stimg crc --algo "$algo" --range 0x08008800:0x080088F8 app.elf
	[ "$(cat out)" = "$want" ] || fail "$algo: stimg crc says $(cat out), srec_cat $want"
	# the ELF output holds the same value
	run 0 stimg patch app.elf --crc "$algo" -o "p-${algo%%/*}.elf"
	got=$(stored "p-${algo%%/*}.elf" 0x08008008)
	[ "$got" = "$want" ] || fail "$algo: ELF holds $got, srec_cat says $want"
done
[ "$(srec -stm32-l-e 0x08008800 0x080088F8)" = 0xA81685F8 ] || fail "stm32 value"

# a range past the data: a hole of 10 bytes and, for stm32, a word tail
# of 2; srec_cat fills up to the end of the last word
#
#   0x08008800 [==== data ====)0x080088F8 [hole)0x08008902 [tail)0x08008904
want=$(srec -stm32-l-e 0x08008800 0x08008904)
run 0 stimg crc --range 0x08008800:0x08008902 app.hex
[ "$(cat out)" = "$want" ] || fail "stimg crc with a tail: $(cat out), srec_cat $want"
run 0 stimg patch app.hex --crc stm32 --crc-at 0x08008008+4 \
	--crc-range 0x08008800:0x08008902 -o hole.hex
expect_err "stimg: note: patched hole.hex; stm32 $want of 0x08008800..0x08008903 at 0x08008008"
[ "$(stored hole.hex 0x08008008)" = "$want" ] || fail "hole: $(stored hole.hex 0x08008008), srec_cat $want"
# the filled bytes are in the output, so what is flashed is what was summed
run 0 stimg info hole.hex
grep -qxF '    0x08008800..0x08008903         260 bytes' out || { cat out; fail "hole and tail not written"; }
run 0 stimg bin -q hole.hex --base 0x080088F8 --end 0x08008904 -o tail.bin
[ "$(od -An -tx1 tail.bin | tr -d ' \n')" = ffffffffffffffffffffffff ] ||
	fail "hole and tail: $(od -An -tx1 tail.bin)"
run 0 stimg verify hole.hex --crc-at 0x08008008+4 --crc-range 0x08008800:0x08008902

# --fill 0x00: srec_cat with -fill 0x00 agrees
srec_cat -disable_sequence_warnings app.hex -intel -fill 0x00 0x08008800 0x08008904 \
	-crop 0x08008800 0x08008904 -stm32-l-e 0x08008904 \
	-crop 0x08008904 0x08008908 -offset -0x08008904 -o v.bin -binary ||
	fail "srec_cat -fill 0x00"
want=$(od -An -tx1 v.bin | awk '{ printf "0x%s%s%s%s\n", toupper($4), toupper($3), toupper($2), toupper($1) }')
run 0 stimg patch app.hex --crc stm32 --crc-at 0x08008008+4 --fill 0x00 \
	--crc-range 0x08008800:0x08008902 -o zero.hex
[ "$(stored zero.hex 0x08008008)" = "$want" ] || fail "fill 0x00: $(stored zero.hex 0x08008008), srec_cat $want"
run 0 stimg bin -q zero.hex --base 0x080088F8 --end 0x08008904 -o tail.bin
[ "$(od -An -tx1 tail.bin | tr -d ' \n')" = 000000000000000000000000 ] ||
	fail "fill 0x00 not written: $(od -An -tx1 tail.bin)"

# CRC-32/ISO-HDLC over the same range: no word tail, the hole only
want=$(srec -crc32-l-e 0x08008800 0x08008902)
run 0 stimg patch app.hex --crc crc32 --crc-at 0x08008008+4 \
	--crc-range 0x08008800:0x08008902 -o hole32.hex
expect_err "stimg: note: patched hole32.hex; CRC-32/ISO-HDLC $want of 0x08008800..0x08008901 at 0x08008008"
[ "$(stored hole32.hex 0x08008008)" = "$want" ] || fail "crc32 hole: srec_cat $want"
exit 0
