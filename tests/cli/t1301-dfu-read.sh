# DfuSe input: every size and the CRC checked, each error exit 1 naming
# the byte offset of what is wrong (a flipped byte, a truncated file, a
# wrong size field, a bad signature, a version, bytes after the suffix);
# several targets and an unnamed one read.
. "$STIMG_TOP/tests/cli/lib.sh"

# 3 elements: 4 bytes at 0x08000000, 1 at 0x08000100, 2 at 0x08000201.
#   0 prefix (image size at 6)     11 target (alt 17, name 22, size 277,
#   count 281)   285 element 0 (size 289, data 293)   297 element 1
#   306 element 2 (address 306, size 310)   316 suffix (bcdDFU 322,
#   "UFD" 324, length 327, CRC 328)   332 end
{ ihex 0 04 0800; ihex 0 00 00112233; ihex 0x100 00 44; ihex 0x201 00 5566
  ihex 0 01 ""; } >r.hex
run 0 stimg convert r.hex -o x.dfu
[ "$(wc -c <x.dfu)" -eq 332 ] || fail "x.dfu is $(wc -c <x.dfu) bytes"
run 0 stimg convert r.hex --entry none -o want.hex

# le32 VALUE: its 4 bytes, little-endian, as poke takes them
le32() {
	printf '%02X %02X %02X %02X' $(($1 & 255)) $(($1 >> 8 & 255)) \
		$(($1 >> 16 & 255)) $(($1 >> 24 & 255))
}
# fix_crc FILE: the CRC made right again (CRC-32/JAMCRC of all before it)
fix_crc() {
	_n=$(($(wc -c <"$1") - 4))
	_c=$(stimg crc -q --algo crc-32/jamcrc "$1@0" --range "0+$_n") || fail "crc"
	poke "$1" $_n $(le32 "$_c")
}
# bad NAME OFFSET HEX... -- MESSAGE: x.dfu with the bytes at OFFSET
# changed is refused with exit 1 and MESSAGE, and nothing is written
bad() {
	_name=$1 _at=$2
	shift 2
	cp x.dfu "$_name"
	_bytes=
	while [ "$1" != -- ]; do _bytes="$_bytes $1"; shift; done
	poke "$_name" "$_at" $_bytes
	expect_error 1 "$_name: $2" stimg convert "$_name" -o out.hex
	[ ! -e out.hex ] || fail "out.hex written"
}

# a flipped data byte: the CRC
cp x.dfu flip.dfu
poke flip.dfu 294 EE
stored=$(od -v -An -tx4 -j 328 -N 4 x.dfu | tr -d ' ' | tr a-f A-F)
got=$(stimg crc --algo crc-32/jamcrc flip.dfu@0 --range 0+328)
expect_error 1 "flip.dfu: offset 0x148: CRC is 0x$stored, expected $got" \
	stimg convert flip.dfu -o out.hex
[ ! -e out.hex ] || fail "out.hex written"
fix_crc flip.dfu
run 0 stimg convert flip.dfu -o flip.hex

# truncated anywhere
for cut in \
	"5|offset 0x0: the file ends inside the 11-byte prefix (5 of its 11 bytes)" \
	"100|offset 0xB: the file ends inside target 0's header (89 of its 274 bytes)" \
	"295|offset 0x127: the file ends inside element 0's data (2 of its 4 bytes)" \
	"300|offset 0x129: the file ends inside element 1's header (3 of its 8 bytes)" \
	"320|offset 0x13C: the file ends inside the 16-byte suffix (4 of its 16 bytes)" \
	"331|offset 0x13C: the file ends inside the 16-byte suffix (15 of its 16 bytes)"; do
	head -c "${cut%%|*}" x.dfu >cut.dfu
	expect_error 1 "cut.dfu: ${cut#*|}" stimg convert cut.dfu -o out.hex
done
head -c 5 x.dfu >five.dfu
expect_error 1 "five.dfu: offset 0x0: the file ends inside the 11-byte prefix (5 of its 11 bytes)" \
	stimg info five.dfu

# a wrong size field
bad size.dfu 6 3D 01 00 00 -- "offset 0x6: the image size is 317, but the targets end at 316"
bad tsize.dfu 277 20 -- "offset 0x115: target 0's size is 32, but its 3 elements take 31"
bad tsmall.dfu 277 1E -- "offset 0x136: element 2 of target 0 is 2 bytes, more than the 1 left of the target's size, 30"
bad count.dfu 281 04 -- "offset 0x13C: element 3 of target 0 lies past the target's size, 31"
bad esize.dfu 289 05 -- "offset 0x12E: element 1 of target 0 is 1140850688 bytes, more than the 10 left of the target's size, 31"
# signatures, version, suffix fields, an address past 4 GiB
bad sig.dfu 11 74 -- 'offset 0xB: target 0 does not start with "Target"'
bad version.dfu 5 02 -- "offset 0x5: DfuSe version 2, expected 1"
bad bcd.dfu 322 00 01 -- "offset 0x142: bcdDFU is 0x0100, expected 0x011A (DfuSe)"
bad ufd.dfu 324 44 46 55 -- 'offset 0x144: the suffix'"'"'s signature is not "UFD"'
bad len.dfu 327 11 -- "offset 0x147: the suffix's length is 17, expected 16"
bad far.dfu 306 FF FF FF FF -- "offset 0x132: element 2 at 0xFFFFFFFF of 2 bytes runs past 4 GiB"
cp x.dfu more.dfu
printf x >>more.dfu
expect_error 1 "more.dfu: offset 0x13C: 17 bytes after the targets, not the 16-byte suffix (or the image size is wrong)" \
	stimg info more.dfu
# without "DfuSe" the file is not one; read as one, it is refused
cp x.dfu magic.dfu
poke magic.dfu 0 64
expect_error 1 "cannot tell the format of 'magic.dfu'; a raw binary needs an address: magic.dfu@0x08000000" \
	stimg info magic.dfu
expect_error 1 "magic.dfu: offset 0x0: the file does not start with \"DfuSe\"" \
	stimg info -I dfu magic.dfu

# an unnamed target
cp x.dfu unnamed.dfu
poke unnamed.dfu 18 00
fix_crc unnamed.dfu
run 0 stimg info unnamed.dfu
grep -qxF "  target 0      alt 0, no name, 3 elements" out || { cat out; fail "unnamed"; }

# two targets: the first, and again as alt 1 with its elements at 0x20000000
{
	head -c 10 x.dfu
	printf '\002'
	dd if=x.dfu bs=1 skip=11 count=305 2>/dev/null
	dd if=x.dfu bs=1 skip=11 count=305 2>/dev/null
	tail -c 16 x.dfu
} >two.dfu
poke two.dfu 6 $(le32 $((11 + 2 * 305)))
poke two.dfu $((305 + 17)) 01
for e in 285 297 306; do
	poke two.dfu $((305 + e + 3)) 20
done
fix_crc two.dfu
run 0 stimg info two.dfu
for l in "  targets       2" "  target 0      alt 0, 'ST...', 3 elements" \
	"  target 1      alt 1, 'ST...', 3 elements" "  elements      6" \
	"    0x20000201..0x20000202           2 bytes"; do
	grep -qxF -- "$l" out || { cat out; fail "two targets: no line: $l"; }
done
run 0 stimg convert two.dfu --crop 0x08000000+1M -o two.hex
expect_same want.hex two.hex
exit 0
