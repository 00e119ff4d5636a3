# UF2 input: magic numbers, payload sizes and numbering checked, each
# error exit 1 naming the byte offset; truncated files; blocks marked not
# main flash skipped with a note; a file container refused; files of
# several families (concatenated UF2 files) need -I uf2:FAMILY.
. "$STIMG_TOP/tests/cli/lib.sh"

# 4 bytes at 0x08000000, 1 at 0x08000100, 2 at 0x08000201: three blocks;
# block B at 512 * B: flags +8, address +12, payload size +16, number
# +20, count +24, family +28, data +32, final magic +508
{ ihex 0 04 0800; ihex 0 00 00112233; ihex 0x100 00 44; ihex 0x201 00 5566
  ihex 0 01 ""; } >r.hex
run 0 stimg convert -q r.hex -o x.uf2 --uf2-family stm32f4
run 0 stimg convert x.uf2 -o want.hex

# bad NAME OFFSET HEX... -- MESSAGE: x.uf2 with the bytes at OFFSET
# changed is refused with exit 1 and MESSAGE; nothing is written
bad() {
	_name=$1 _at=$2
	shift 2
	cp x.uf2 "$_name"
	_bytes=
	while [ "$1" != -- ]; do _bytes="$_bytes $1"; shift; done
	poke "$_name" "$_at" $_bytes
	expect_error 1 "$_name: $2" stimg convert -I uf2 "$_name" -o out.hex
	[ ! -e out.hex ] || fail "out.hex written"
}

bad m0.uf2 512 00 -- "offset 0x200: block 1's first magic number is 0x0A324600, expected 0x0A324655"
bad m1.uf2 1028 00 -- "offset 0x404: block 2's second magic number is 0x9E5D5100, expected 0x9E5D5157"
bad m2.uf2 508 00 -- "offset 0x1FC: block 0's final magic number is 0x0AB16F00, expected 0x0AB16F30"
bad size.uf2 528 DD 01 -- "offset 0x210: block 1's payload is 477 bytes, more than the 476 a block holds"
bad no.uf2 532 05 -- "offset 0x214: block 1 is numbered 5, expected 1"
bad first.uf2 20 01 -- "offset 0x14: block 0 is numbered 1, expected 0"
bad count.uf2 536 07 -- "offset 0x218: block 1 gives the file 7 blocks, the blocks before it 3"
bad zero.uf2 24 00 -- "offset 0x18: block 0 gives the file 0 blocks, too few for its number 0"
bad box.uf2 9 30 -- "offset 0x8: block 0 is part of a file container (flag 0x1000), not a flash image"
bad far.uf2 1036 80 FF FF FF -- "offset 0x40C: block 2 at 0xFFFFFF80 of 256 bytes runs past 4 GiB"

# truncated: inside a block, or after whole blocks
head -c 1100 x.uf2 >cut.uf2
expect_error 1 "cut.uf2: offset 0x400: the file ends inside block 2 (76 of its 512 bytes)" \
	stimg info cut.uf2
head -c 1024 x.uf2 >cut.uf2
expect_error 1 "cut.uf2: offset 0x400: the file ends after block 1 of 3" \
	stimg convert cut.uf2 -o out.hex
[ ! -e out.hex ] || fail "out.hex written"

# a block marked not main flash: skipped, with a note
cp x.uf2 nm.uf2
poke nm.uf2 520 01
run 0 stimg convert nm.uf2 -o nm.hex
expect_err "stimg: note: nm.uf2: 1 block(s) marked not main flash (flag 0x1) skipped"
run 0 stimg convert want.hex --exclude 0x08000100+256 -o want-nm.hex
expect_same want-nm.hex nm.hex
run 0 stimg info -q nm.uf2
grep -qxF "  skipped       1 not main flash, 0 of other families" out ||
	{ cat out; fail "info: skipped"; }

# blocks without a family
cp x.uf2 none.uf2
for b in 0 1 2; do poke none.uf2 $((512 * b + 9)) 00; done
run 0 stimg info none.uf2
grep -qxF "  family        none" out || { cat out; fail "no family"; }

# two files concatenated: parts numbered apart, of one family or of two
{ ihex 0 04 2000; ihex 0 00 CAFE; ihex 0 01 ""; } >ram.hex
run 0 stimg convert -q ram.hex -o f4.uf2 --uf2-family stm32f4
run 0 stimg convert -q ram.hex -o l4.uf2 --uf2-family stm32l4
cat x.uf2 f4.uf2 >same.uf2
run 0 stimg convert same.uf2 -o same.hex
run 0 stimg merge x.uf2 f4.uf2 -o want-same.hex
expect_same want-same.hex same.hex
cat x.uf2 l4.uf2 >two.uf2
expect_error 1 "two.uf2: blocks of several families: stm32f4 (0x57755A57), stm32l4 (0x00FF6919); pick one with -I uf2:FAMILY" \
	stimg info two.uf2
for pick in stm32l4 STM32L4 0x00FF6919 16738585; do
	run 0 stimg convert -I "uf2:$pick" two.uf2 -o l4.hex
	expect_err "stimg: note: two.uf2: 3 block(s) of other families skipped"
	run 0 stimg convert l4.uf2 -o want-l4.hex
	expect_same want-l4.hex l4.hex
done
run 0 stimg convert -I uf2:stm32f4 - -o f4.hex <two.uf2
expect_same want.hex f4.hex
run 0 stimg info -q -I uf2:stm32f4 two.uf2
for l in "  family        stm32f4 (0x57755A57)" "  blocks        4" \
	"  skipped       0 not main flash, 1 of other families"; do
	grep -qxF -- "$l" out || { cat out; fail "info -I uf2:stm32f4: no line: $l"; }
done
# family 0 is a family too
run 0 stimg convert -q ram.hex -o zero.uf2 --uf2-family 0
cat zero.uf2 l4.uf2 >zero-l4.uf2
run 0 stimg convert -I uf2:0 zero-l4.uf2 -o zero.hex
run 0 stimg convert zero.uf2 -o want-zero.hex
expect_same want-zero.hex zero.hex
expect_error 1 "two.uf2: no blocks of family rp2040 (0xE48BFF56); the file holds stm32f4 (0x57755A57), stm32l4 (0x00FF6919)" \
	stimg info -I uf2:rp2040 two.uf2
expect_error 2 "-I uf2:bogus: unknown family 'bogus' (a name as for --uf2-family, or a number)" \
	stimg info -I uf2:bogus two.uf2
expect_error 2 "-I: unknown format 'uf2:' (known: ihex, srec, bin, elf, dfu, uf2)" \
	stimg convert -I uf2: two.uf2 -o out.hex
expect_error 2 "-I: unknown format 'ihex:x' (known: ihex, srec, bin, elf, dfu, uf2)" \
	stimg convert -I ihex:x r.hex -o out.hex

# no blocks at all, read as UF2: an empty image
: >empty.uf2
run 0 stimg info -I uf2 empty.uf2
for l in "  family        none" "  blocks        0" "  data          0 bytes in 0 region(s)"; do
	grep -qxF -- "$l" out || { cat out; fail "empty: no line: $l"; }
done
exit 0
