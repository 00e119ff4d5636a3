# Exit statuses: 0 success, 1 bad input, 2 usage, 3 I/O.
. "$STIMG_TOP/tests/cli/lib.sh"

cp "$DATA/app.hex" .
run 2 stimg convert app.hex
expect_err "stimg: error: no output: give -o OUTPUT"
run 2 stimg convert -o x.hex
expect_err "stimg: error: no input files"
run 2 stimg convert app.hex -o x.weird
expect_err "stimg: error: cannot tell the output format of 'x.weird'; use -O FORMAT (ihex, srec, bin, elf, dfu, uf2)"
run 2 stimg convert app.hex -O elvish -o x.hex
expect_err "stimg: error: -O: unknown format 'elvish' (known: ihex, srec, bin, elf, dfu, uf2)"
run 2 stimg convert -I elvish app.hex -o x.hex
run 2 stimg convert app.hex --crop 0x100:0x80 -o x.hex
expect_err "stimg: error: --crop: '0x100:0x80' is not a range inside the 32-bit address space (START:END or START+SIZE, e.g. 0x08008000+64K)"
run 2 stimg convert app.hex --crop 0xFFFFFFFF+2 -o x.hex
run 2 stimg convert app.hex --offset 12Q -o x.hex
expect_err "stimg: error: --offset: '12Q' is not a number (0x8008000, 134250496, 32K, 1M)"
run 2 stimg convert app.hex --entry 0x100000000 -o x.hex
run 2 stimg convert app.hex --srec-type 4 -o x.hex
run 2 stimg convert -I bin app.hex -o x.hex
expect_err "stimg: error: a raw binary needs an address: app.hex@0x08000000"
[ -e x.hex ] && fail "x.hex written"

# -O overrides the extension; merge -O to stdout
run 0 stimg convert app.hex -O ihex -o x.weird
expect_same x.weird app.hex
run 0 stimg merge app.hex -O bin
[ "$(wc -c < out)" = 32 ] || fail "merge -O bin wrote $(wc -c < out) bytes"

# I/O errors: a missing input, an output directory that does not exist
run 3 stimg convert missing.hex -o x.hex
expect_err "stimg: error: missing.hex: cannot open: No such file or directory"
run 3 stimg convert app.hex -o no/such/dir/x.hex
[ -e x.hex ] && fail "x.hex written"
exit 0
