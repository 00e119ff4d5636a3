# The third-party files of tests/data/bincopy (written by other tools):
# each readable file converts to the data its README says it holds. Data is
# compared with SRecord's srec_cmp (exit 0: same, 2: different, 1: error),
# which ignores start addresses and record order.
. "$STIMG_TOP/tests/cli/lib.sh"
need srec_cat
need srec_cmp
C=$BINCOPY
[ -f "$C/README.md" ] || fail "no corpus at $C"

# same SPEC... : srec_cmp finds the same data in both inputs
same() {
	srec_cmp -disable_sequence_warnings "$@" >cmp.out 2>&1 ||
		{ cat cmp.out; fail "srec_cmp $*: the data differ"; }
}

# differ SPEC... : srec_cmp finds different data (not an error)
differ() {
	srec_cmp -disable_sequence_warnings "$@" >cmp.out 2>&1
	[ $? -eq 2 ] || { cat cmp.out; fail "srec_cmp $*: not reported as different"; }
}

# Every file here is checked below (or skipped with a reason): a file added
# to the corpus fails this test until it is.
for f in "$C"/* "$C"/elf/*; do
	case ${f#"$C"/} in
	LICENSE | README.md | elf) ;;
	# gcc.bin is gcc.elf's flash image: checked below
	elf/gcc.elf | elf/gcc.bin) ;;
	convert.hex | convert.s19 | convert.bin) ;;
	empty_main.hex | empty_main.s19 | empty_main.bin) ;;
	out.hex | out.s19 | out.bin | fill.hex) ;;
	non_sorted_segments.s19 | non_sorted_segments_merged_and_sorted.s19) ;;
	in.hex | in.s19 | in_blank_lines.hex | in_blank_lines.s19) ;;
	in_crop_2_4.s19 | in_exclude_2_4.s19) ;;
	issue_4_in.hex | issue_4_out.hex | bad_crc.s19) ;;
	*) fail "corpus file $f is not checked by this test" ;;
	esac
done

# trio NAME BASE FILL: NAME.hex, NAME.s19 and NAME.bin (at BASE, holes FILL)
# hold the same data, read and written by stimg in every direction.
trio() {
	n=$1 base=$2 fill=$3
	same "$C/$n.hex" -intel "$C/$n.s19"

	run 0 stimg convert "$C/$n.hex" -o "$n.s19"
	same "$n.s19" "$C/$n.s19"
	run 0 stimg convert "$C/$n.s19" -o "$n.hex"
	same "$n.hex" -intel "$C/$n.hex" -intel
	# the same data and start address: the same HEX text from either
	run 0 stimg convert "$C/$n.hex" -o a.hex
	expect_same "$n.hex" a.hex

	run 0 stimg convert "$C/$n.hex" --fill "$fill" -o a.bin
	expect_same "$C/$n.bin" a.bin
	run 0 stimg convert "$C/$n.s19" --fill "$fill" -o b.bin
	expect_same "$C/$n.bin" b.bin
	run 0 stimg convert "$C/$n.bin@$base" -o b.hex
	same b.hex -intel "$C/$n.hex" -intel -fill "$fill" -over "$C/$n.hex" -intel
}

# convert.bin: from 0x100, convert.hex's lowest address; it has no holes.
trio convert 0x100 0xFF
# The README says "likewise" (holes 0xFF), but empty_main.bin and out.bin
# have their holes filled with 0x00, not 0xFF: the binaries are compared
# with stimg's --fill 0x00 (every hole of the span filled with 0x00 before
# the binary writer sees it), and the way back with srec_cat's -fill 0x00.
trio empty_main 0x400238 0x00
trio out 0x0 0x00

# fill.hex is out.hex with its holes filled with 0xFF, 32 bytes a record:
# stimg writes it byte for byte.
same "$C/fill.hex" -intel "$C/out.hex" -intel -fill 0xFF -over "$C/out.hex" -intel
run 0 stimg convert "$C/out.hex" --fill 0xFF --record-size 32 -o fill.hex
expect_same "$C/fill.hex" fill.hex
run 0 stimg convert "$C/fill.hex" -o f.bin
run 0 stimg convert "$C/out.hex" -o o.bin
expect_same o.bin f.bin

# Records out of address order: the same data as the sorted file, and stimg
# writes both the same.
same "$C/non_sorted_segments.s19" "$C/non_sorted_segments_merged_and_sorted.s19"
run 0 stimg convert "$C/non_sorted_segments.s19" -o ns.hex
run 0 stimg convert "$C/non_sorted_segments_merged_and_sorted.s19" -o nsm.hex
expect_same ns.hex nsm.hex
same ns.hex -intel "$C/non_sorted_segments_merged_and_sorted.s19"

# in.hex and in.s19 hold different data, and stimg sees the difference.
differ "$C/in.hex" -intel "$C/in.s19"
run 0 stimg convert "$C/in.hex" -o in_hex.hex
run 0 stimg convert "$C/in.s19" -o in_s19.hex
cmp -s in_hex.hex in_s19.hex && fail "in.hex and in.s19 convert to the same file"
same in_hex.hex -intel "$C/in.hex" -intel
same in_s19.hex -intel "$C/in.s19"
differ in_hex.hex -intel in_s19.hex -intel

# Blank lines change nothing.
run 0 stimg convert "$C/in_blank_lines.hex" -o blank_hex.hex
expect_same in_hex.hex blank_hex.hex
run 0 stimg convert "$C/in_blank_lines.s19" -o blank_s19.hex
expect_same in_s19.hex blank_s19.hex
same "$C/in_blank_lines.s19" blank_s19.hex -intel

# Records of one address in two 64 KiB pages, written out of order
# (bincopy's issue 4): stimg sorts them exactly as bincopy does.
run 0 stimg convert "$C/issue_4_in.hex" -o issue_4.hex
expect_same "$C/issue_4_out.hex" issue_4.hex

# in_crop_2_4.s19 and in_exclude_2_4.s19 are bincopy's crop(2, 4) and
# exclude(2, 4) of in.s19: the data at [2, 4), END exclusive, which is
# stimg's START:END too (and srec_cat's -crop 2 4).
#
#     in.s19     [7C 08|02 A6|90 01 00 04 ... 0A 00]   0x0000..0x0045
#     crop       .....[02 A6].....
#     exclude    [7C 08]     [90 01 00 04 ... 0A 00]
same "$C/in_crop_2_4.s19" "$C/in.s19" -crop 2 4
same "$C/in_exclude_2_4.s19" "$C/in.s19" -exclude 2 4
run 0 stimg convert "$C/in.s19" --crop 2:4 -o crop.s19
same crop.s19 "$C/in_crop_2_4.s19"
run 0 stimg convert "$C/in.s19" --crop 2+2 -o crop.hex
same crop.hex -intel "$C/in_crop_2_4.s19"
run 0 stimg convert "$C/in.s19" --exclude 2:4 -o exclude.s19
same exclude.s19 "$C/in_exclude_2_4.s19"
run 0 stimg convert "$C/in_crop_2_4.s19" -o a.hex
run 0 stimg convert "$C/in_exclude_2_4.s19" -o b.hex
run 0 stimg merge a.hex b.hex -o merged.hex
same merged.hex -intel "$C/in.s19"

# gcc.elf (arm-none-eabi-gcc, .data with LMA != VMA): exactly gcc.bin, its
# flash image from the lowest load address; and the same data as HEX
run 0 stimg convert "$C/elf/gcc.elf" -o gcc.bin
expect_same "$C/elf/gcc.bin" gcc.bin
run 0 stimg convert "$C/elf/gcc.elf" -o gcc.hex
same gcc.hex -intel "$C/elf/gcc.bin" -binary

# A wrong checksum on line 1: rejected, naming the file and line 1, with
# the stored and the right checksum (S2 14 400264 00..00 22: the bytes sum
# to 0xDA, so the checksum should be 0x25); no output, no temporary file.
bad=$C/bad_crc.s19
msg="stimg: error: $bad:1: record checksum is 0x22, expected 0x25"
run 1 stimg convert "$bad" -o x.hex
[ "$(cat err)" = "$msg" ] || { cat err; fail "bad_crc.s19: not the message '$msg'"; }
[ ! -s out ] || fail "bad_crc.s19: stdout is not empty"
[ ! -e x.hex ] || fail "bad_crc.s19: x.hex was written"
for f in .stimg-*; do
	[ -e "$f" ] && fail "bad_crc.s19: temporary file $f left behind"
done
run 1 stimg info "$bad"
[ "$(cat err)" = "$msg" ] || { cat err; fail "info bad_crc.s19: not the message '$msg'"; }
exit 0
