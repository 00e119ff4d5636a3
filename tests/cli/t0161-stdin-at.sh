# -@ADDR, a raw binary read from standard input and placed at ADDR, is an
# input of every command that reads one, with or without -- before it, and
# whichever options come before or after it (issue 10, item 14).
. "$STIMG_TOP/tests/cli/lib.sh"

printf '\000\000\002\040\021\200\000\010' >vec.bin	# SP 0x20020000, reset 0x08008011
cat vec.bin vec.bin vec.bin vec.bin >app.bin		# 32 bytes
{
	ihex 0 04 0800
	ihex 0x8000 00 0000022011800008
	ihex 0 01 ""
} >want.hex

run 0 stimg convert -@0x08008000 -o x.hex <vec.bin
expect_same x.hex want.hex
run 0 stimg convert -o y.hex -@0x08008000 <vec.bin
expect_same y.hex want.hex
run 0 stimg convert -o z.hex -- -@0x08008000 <vec.bin
expect_same z.hex want.hex
run 0 stimg merge -@0x08008000 <vec.bin
expect_same out want.hex
run 0 stimg bin -q -@0x08008000 -o x.bin <vec.bin
expect_same x.bin vec.bin
run 0 stimg strip -@0x08008000 --origin 0x08008004 -o s.bin <vec.bin
[ "$(od -An -tx1 s.bin | tr -d ' ')" = 11800008 ] || fail "strip: $(od -An -tx1 s.bin)"
run 0 stimg info -@0x08008000 <vec.bin
grep -q '^-@0x08008000: raw binary' out || { cat out; fail "info: $(sed -n 1p out)"; }
run 0 stimg crc --algo crc32 -@0 <vec.bin
[ "$(cat out)" = "$(stimg crc --algo crc32 vec.bin@0)" ] || fail "crc: $(cat out)"
run 0 stimg patch -@0x08008000 --crc stm32 --crc-at 0x0800801C+4 \
	--crc-range 0x08008000+28 --force -o p.hex <app.bin
run 0 stimg convert p.hex -o p.bin
run 0 stimg verify -@0x08008000 --crc-at 0x0800801C+4 --crc-range 0x08008000+28 <p.bin
run 0 stimg serial -@0x08008000 --at 0x08008010 --first 7 --type u8 -o 's%u.bin' <app.bin
[ "$(od -An -tx1 -j16 -N1 s7.bin | tr -d ' ')" = 07 ] || fail "serial: $(od -An -tx1 s7.bin)"
exit 0
