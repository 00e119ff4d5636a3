# stimg bin: bytes from an explicit address, fill, size limits, --split and
# the flash hints on stderr.
. "$STIMG_TOP/tests/cli/lib.sh"

cp "$DATA/boot.hex" "$DATA/app.hex" .

# the application alone: from its lowest address, and the hint
run 0 stimg bin app.hex -o app.bin
[ "$(wc -c < app.bin)" = 32 ] || fail "app.bin: $(wc -c < app.bin) bytes"
[ "$(od -An -tx1 -N8 app.bin | tr -d ' ')" = 0000022001810008 ] ||
	fail "app.bin starts $(od -An -tx1 -N8 app.bin)"
cat > want <<'X'
stimg: wrote app.bin: 0x08008000..0x0800801F (32 bytes); to flash it at 0x08008000:
  st-flash write app.bin 0x08008000
  openocd -f interface/stlink.cfg -f target/<chip>.cfg -c "program app.bin 0x08008000 verify reset exit"
  STM32_Programmer_CLI -c port=SWD -w app.bin 0x08008000 -v
  dfu-util -a 0 -s 0x08008000:leave -D app.bin
X
expect_same err want
run 0 stimg bin -q app.hex -o app.bin
[ -s err ] && fail "-q printed: $(cat err)"

# boot and app together: the gap is 0xFF; the same as convert to .bin
run 0 stimg bin boot.hex app.hex -o all.bin
[ "$(wc -c < all.bin)" = 32800 ] || fail "all.bin: $(wc -c < all.bin) bytes"
[ "$(od -An -tx1 -j 160 -N4 all.bin | tr -d ' ')" = ffffffff ] || fail "gap not 0xFF"
run 0 stimg convert boot.hex app.hex -o conv.bin
expect_same all.bin conv.bin

# --fill changes the gap byte; --base/--end and --size set the window
run 0 stimg bin boot.hex app.hex --fill 0 -o zero.bin
[ "$(od -An -tx1 -j 160 -N4 zero.bin | tr -d ' ')" = 00000000 ] || fail "gap not 0x00"
run 0 stimg bin app.hex --base 0x08007FF8 --size 16 -o w.bin
[ "$(od -An -tx1 w.bin | tr -d ' \n')" = ffffffffffffffff0000022001810008 ] ||
	fail "window: $(od -An -tx1 w.bin)"
grep -q '^stimg: wrote w.bin: 0x08007FF8..0x08008007 (16 bytes); to flash it at 0x08007FF8:$' err ||
	fail "hint: $(cat err)"
run 0 stimg bin app.hex --base 0x08008000 --end 0x08008004 -o e.bin
[ "$(od -An -tx1 e.bin | tr -d ' ')" = 00000220 ] || fail "--end: $(od -An -tx1 e.bin)"

# too large: an error listing the regions, no file
run 1 stimg bin boot.hex app.hex --max-size 32K -o big.bin
expect_err "stimg: error: a binary of 0x08000000..0x0800801F would be 32800 bytes, more than the maximum of 32768; the image holds 0x08000000..0x0800009F (160 bytes), 0x08007FF0..0x0800801F (48 bytes); use --crop, --base/--end or --split"
[ -e big.bin ] && fail "big.bin written"
# the default maximum is 64 MiB: data at 0x08000000 and 0x90000000
printf 'ab' > ab.bin
run 1 stimg bin ab.bin@0x08000000 ab.bin@0x90000000 -o far.bin
grep -q 'more than the maximum of 67108864' err || fail "$(cat err)"
[ -e far.bin ] && fail "far.bin written"

# --split: one file per region, named after its address
run 0 stimg bin boot.hex app.hex --split -o parts.bin
[ "$(ls parts*)" = "$(printf 'parts-0x08000000.bin\nparts-0x08007FF0.bin')" ] ||
	fail "split files: $(ls parts*)"
[ "$(wc -c < parts-0x08000000.bin)" = 160 ] || fail "first part"
[ "$(wc -c < parts-0x08007FF0.bin)" = 48 ] || fail "second part"
run 0 stimg bin ab.bin@0x08000000 ab.bin@0x90000000 --split -o far
[ -f far-0x08000000 ] && [ -f far-0x90000000 ] || fail "split without extension: $(ls)"

# usage errors
run 2 stimg bin boot.hex --split --base 0x08000000 -o p.bin
expect_err "stimg: error: --split writes each region whole; choose what goes in with --crop"
run 2 stimg bin boot.hex --end 0x08000100 --size 16 -o p.bin
run 2 stimg bin boot.hex -O srec -o p.bin
run 2 stimg bin boot.hex --split -o -
run 2 stimg convert boot.hex --base 0x08000000 -o p.hex
expect_err "stimg: error: convert: unknown option '--base'; it is an option of bin"
run 2 stimg bin boot.hex
expect_err "stimg: error: no output: give -o OUTPUT"

# bad windows and empty inputs are bad input
run 1 stimg bin app.hex --base 0x08008000 --end 0x08008000 -o p.bin
expect_err "stimg: error: --end 0x08008000 is not above the base 0x08008000"
printf ':00000001FF\n' > empty.hex
run 1 stimg bin empty.hex -o p.bin
expect_err "stimg: error: the inputs hold no data: nothing to write"
[ -e p.bin ] && fail "p.bin written"

# to standard output: the range only
run 0 stimg bin app.hex -o -
[ "$(wc -c < out)" = 32 ] || fail "stdout: $(wc -c < out) bytes"
expect_err "stimg: wrote 0x08008000..0x0800801F (32 bytes) to standard output"
exit 0
