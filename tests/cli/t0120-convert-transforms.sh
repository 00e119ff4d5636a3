# convert's transforms, each checked on the records it leaves.
. "$STIMG_TOP/tests/cli/lib.sh"

# 64 bytes 00..3F at 0x08000000 and "ABCDEFGHIJKLMNOP" at 0x08000100
i=0
while [ $i -lt 64 ]; do printf "\\$(printf %03o $i)"; i=$((i + 1)); done > a.bin
printf 'ABCDEFGHIJKLMNOP' > b.bin
run 0 stimg convert a.bin@0x08000000 b.bin@0x08000100 -o two.hex
{
	ihex 0 04 0800
	ihex 0x0000 00 000102030405060708090A0B0C0D0E0F
	ihex 0x0010 00 101112131415161718191A1B1C1D1E1F
	ihex 0x0020 00 202122232425262728292A2B2C2D2E2F
	ihex 0x0030 00 303132333435363738393A3B3C3D3E3F
	ihex 0x0100 00 4142434445464748494A4B4C4D4E4F50
	ihex 0 01 ""
} > want
expect_same two.hex want

# --crop keeps the union of its ranges
#   [=========a=========]        [==b==]
#      [c1]  [c2]                   [====c3====...
run 0 stimg convert two.hex --crop 0x08000004+4 --crop 0x08000010:0x08000012 \
	--crop 0x08000108:0x09000000 -o c.hex
{
	ihex 0 04 0800
	ihex 0x0004 00 04050607
	ihex 0x0010 00 1011
	ihex 0x0108 00 494A4B4C4D4E4F50
	ihex 0 01 ""
} > want
expect_same c.hex want

# --exclude drops, after --crop
run 0 stimg convert two.hex --crop 0x08000000+64 \
	--exclude 0x08000001:0x0800003F -o e.hex
{
	ihex 0 04 0800
	ihex 0x0000 00 00
	ihex 0x003F 00 3F
	ihex 0 01 ""
} > want
expect_same e.hex want

# --offset moves everything, either way; out of the space is an error
run 0 stimg convert b.bin@0x08000100 --offset -0x08000000 -o o.hex
{
	ihex 0x0100 00 4142434445464748494A4B4C4D4E4F50
	ihex 0 01 ""
} > want
expect_same o.hex want
run 0 stimg convert o.hex --offset 0x08000000 -o o2.hex
run 0 stimg convert b.bin@0x08000100 -o o3.hex
expect_same o2.hex o3.hex
# crop comes before the offset: it sees the addresses before the move
run 0 stimg convert o.hex --offset 0x08000000 --crop 0x100+8 -o o4.hex
{
	ihex 0 04 0800
	ihex 0x0100 00 4142434445464748
	ihex 0 01 ""
} > want
expect_same o4.hex want
run 1 stimg convert b.bin@0x100 --offset -0x200 -o bad.hex
expect_err "stimg: error: offset -0x200 moves 0x00000100..0x0000010F outside the 32-bit address space"
[ -e bad.hex ] && fail "bad.hex written"
run 1 stimg convert b.bin@0xFFFFFFF0 --offset 1 -o bad.hex
[ -e bad.hex ] && fail "bad.hex written"

# --fill fills holes only: in the span, or in the given range
run 0 stimg convert two.hex --crop 0x08000000+4 --crop 0x08000008+4 \
	--fill 0xEE -o f.hex
{
	ihex 0 04 0800
	ihex 0x0000 00 00010203EEEEEEEE08090A0B
	ihex 0 01 ""
} > want
expect_same f.hex want
run 0 stimg convert two.hex --crop 0x08000000+4 --crop 0x08000008+4 \
	--fill 0xEE@0x08000000+16 -o f2.hex
{
	ihex 0 04 0800
	ihex 0x0000 00 00010203EEEEEEEE08090A0BEEEEEEEE
	ihex 0 01 ""
} > want
expect_same f2.hex want
run 2 stimg convert two.hex --fill 0x100 -o f3.hex

# --entry sets, clears or picks the entry point
run 0 stimg convert two.hex --entry 0x08000041 -o en.hex
ihex 0 05 08000041 > want
grep -qxF "$(cat want)" en.hex || fail "no 05 record for --entry"
[ "$(tail -n 2 en.hex | head -n 1)" = "$(cat want)" ] || fail "05 not before EOF"
run 0 stimg convert en.hex --entry none -o nn.hex
grep -q '^:04000005' nn.hex && fail "--entry none kept the entry"

# --record-size and --crlf
run 0 stimg convert b.bin@0 --record-size 5 --crlf -o r.hex
{
	ihex 0x0000 00 4142434445
	ihex 0x0005 00 464748494A
	ihex 0x000A 00 4B4C4D4E4F
	ihex 0x000F 00 50
	ihex 0 01 ""
} | sed 's/$/\r/' > want
expect_same r.hex want
run 0 stimg convert a.bin@0 --record-size 255 -o r255.hex
[ "$(wc -l < r255.hex)" = 2 ] || fail "record size 255: $(cat r255.hex)"
run 2 stimg convert b.bin@0 --record-size 0 -o r.hex
expect_err "stimg: error: --record-size: must be 1 to 255"
run 2 stimg convert b.bin@0 --record-size 256 -o r.hex

# a record never crosses a 64 KiB boundary
run 0 stimg convert b.bin@0x0800FFF8 -o x.hex
{
	ihex 0 04 0800
	ihex 0xFFF8 00 4142434445464748
	ihex 0 04 0801
	ihex 0x0000 00 494A4B4C4D4E4F50
	ihex 0 01 ""
} > want
expect_same x.hex want
exit 0
