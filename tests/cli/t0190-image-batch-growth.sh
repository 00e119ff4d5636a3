# Issue 10, defect 1: a batch of out-of-order puts that adds segments left
# the segment array's capacity above its allocation, and the next insert
# wrote past it (stimg info segfaulted; merge, convert --fill and patch
# aborted in malloc). One HEX file does it: 256 ascending isolated 1-byte
# records at 0x08100000 (step 4), 65536 descending ones from 0x080FFFFC
# (step 4), the first one again, then 64 at 0x08200000.
. "$STIMG_TOP/tests/cli/lib.sh"

cat >gen.awk <<'EOF'
BEGIN {
	for (i = 0; i < 256; i++) ihex_byte(135266304 + 4 * i, i % 256)
	for (i = 1; i <= 65536; i++) ihex_byte(135266304 - 4 * i, i % 256)
	ihex_byte(135266304, 0)
	for (i = 0; i < 64; i++) ihex_byte(136314880 + 4 * i, i)
	ihex_eof()
}
EOF
awk -f "$TOP/tests/cli/ihex.awk" -f gen.awk >grow.hex

run 0 stimg info grow.hex
grep -qxF "  data          65856 bytes in 65856 region(s)" out ||
	{ sed -n 1,4p out; fail "info: not 65856 regions"; }
run 0 stimg merge grow.hex grow.hex -o merged.hex
run 0 stimg convert grow.hex --fill 0@0x08200000+4 -o filled.hex
run 0 stimg info filled.hex
grep -qxF "  data          65859 bytes in 65855 region(s)" out ||
	{ sed -n 1,4p out; fail "filled.hex: not 65859 bytes in 65855 regions"; }
run 0 stimg patch grow.hex --set 0x08200001=u8:7 -o patched.hex
printf '\000\007\000\000' >want.bin
run 0 stimg crc --algo crc32 want.bin@0x08200000
mv out want.crc
run 0 stimg crc --algo crc32 --fill 0 --range 0x08200000+4 patched.hex
expect_same want.crc out
exit 0
