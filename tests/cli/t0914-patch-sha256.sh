# patch/verify --sha256-at: the SHA-256 of the CRC range (as openssl
# computes it over the same bytes) in a 32-byte field, found by the CRC's
# range rules with or without --crc; with the STM32 CRC the range is read
# in whole words, the tail filled, as --size-at counts it; verify compares
# the field and names both digests when they differ; serial re-patches it;
# and the errors of a field too small, inside the range, or on other data.
. "$STIMG_TOP/tests/cli/lib.sh"
need openssl
need od

# at FILE OFFSET N: N bytes at OFFSET of FILE in hex
at() {
	od -An -tx1 -v -j "$(($2))" -N "$3" "$1" | tr -d ' \n'
}
# sha FILE...: openssl's SHA-256 of the files, one after the other
sha() {
	cat "$@" | openssl dgst -sha256 | sed 's/.*= //'
}

# an application at 0x08000100 (a vector table, then text: 13 bytes), its
# header fields below it where the image has no bytes yet
printf '\000\020\000\040\011\001\000\010Hello' >app.bin
run 0 stimg convert app.bin@0x08000100 -o app.hex

# the SHA-256 alone: the range runs from the application's first byte to
# its last
run 0 stimg patch app.hex --sha256-at 0x08000000 --size-at 0x08000020 \
	-o sha.hex
want=$(sha app.bin)
expect_err "stimg: note: patched sha.hex; size 13 at 0x08000020; SHA-256 $want of 0x08000100..0x0800010C at 0x08000000"
run 0 stimg convert sha.hex -o sha.bin
[ "$(at sha.bin 0 32)" = "$want" ] || fail "field: $(at sha.bin 0 32)"
[ "$(at sha.bin 0x20 4)" = 0d000000 ] || fail "size: $(at sha.bin 0x20 4)"
run 0 stimg verify sha.hex --sha256-at 0x08000000 --size-at 0x08000020
expect_err "stimg: note: SHA-256 $want of 0x08000100..0x0800010C matches the one stored at 0x08000000"
# (no CRC is looked for: .crc or --crc-at are not asked for)
[ "$(wc -l <err)" = 1 ] || fail "verify said more: $(cat err)"

# with the STM32 CRC: both over the range in whole words, the tail 0xFF
# (--fill) written to the output and counted by the size
run 0 stimg crc --range 0x08000100+16 app.hex
crc=$(cat out)
run 0 stimg patch app.hex --sha256-at 0x08000000 --size-at 0x08000020 \
	--crc stm32 --crc-at 0x08000024 -o both.hex
printf '\377\377\377' >tail.bin
want=$(sha app.bin tail.bin)
expect_err "stimg: note: patched both.hex; size 16 at 0x08000020; SHA-256 $want of 0x08000100..0x0800010F at 0x08000000; stm32 $crc of 0x08000100..0x0800010F at 0x08000024"
run 0 stimg convert both.hex -o both.bin
[ "$(at both.bin 0 32)" = "$want" ] || fail "field: $(at both.bin 0 32)"
[ "$(at both.bin 0x10D 3)" = ffffff ] || fail "tail: $(at both.bin 0x10D 3)"
run 0 stimg verify both.hex --sha256-at 0x08000000 --size-at 0x08000020 \
	--crc-at 0x08000024
cat >want <<EOF
stimg: note: SHA-256 $want of 0x08000100..0x0800010F matches the one stored at 0x08000000
stimg: note: stm32 $crc of 0x08000100..0x0800010F matches the CRC stored at 0x08000024
EOF
expect_same err want

# a changed byte: the error names both digests
run 0 stimg patch sha.hex --set 0x0800010A=u8:0x4C --force -o changed.hex
printf '\000\020\000\040\011\001\000\010HeLlo' >changed.bin
run 1 stimg verify changed.hex --sha256-at 0x08000000 --size-at 0x08000020
expect_err "stimg: error: the SHA-256 stored at 0x08000000 is $(sha app.bin); that of 0x08000100..0x0800010C is $(sha changed.bin)"

# --crc-range without --crc
run 0 stimg patch app.hex --sha256-at 0x08000000 \
	--crc-range 0x08000100+8 -o range.hex
head -c 8 app.bin >vectors.bin
run 0 stimg convert range.hex -o range.bin
[ "$(at range.bin 0 32)" = "$(sha vectors.bin)" ] || fail "--crc-range: $(at range.bin 0 32)"

# serial: the SHA-256 re-patched in each output, over the serial number
run 0 stimg serial app.hex --at 0x0800010D --type u8 --first 1 --count 2 \
	--sha256-at 0x08000000 -o 'dev-%u.bin'
cat >want <<'EOF'
stimg: note: wrote dev-1.bin: serial 1 at 0x0800010D, SHA-256 re-patched
stimg: note: wrote dev-2.bin: serial 2 at 0x0800010D, SHA-256 re-patched
EOF
expect_same err want
printf '\001' >one.bin
[ "$(at dev-1.bin 0 32)" = "$(sha app.bin one.bin)" ] || fail "dev-1: $(at dev-1.bin 0 32)"
printf '\002' >two.bin
[ "$(at dev-2.bin 0 32)" = "$(sha app.bin two.bin)" ] || fail "dev-2: $(at dev-2.bin 0 32)"

# errors
expect_error 2 "the SHA-256 field at 0x08000000 is 16 bytes; it needs 32" \
	stimg patch app.hex --sha256-at 0x08000000+16 -o x.hex
expect_error 2 "the CRC range 0x08000100..0x0800010C contains the SHA-256 field at 0x08000104" \
	stimg patch app.hex --sha256-at 0x08000104 --crc-range 0x08000100+13 \
	-o x.hex
run 1 stimg patch app.hex --sha256-at 0x080000F0 --crc-range 0x08000110+4 \
	-o x.hex
grep -q "^stimg: error: the SHA-256 field at 0x080000F0..0x0800010F lands on data at 0x08000100..0x0800010C, which holds " err ||
	fail "on data: $(cat err)"
expect_error 1 "the image has no bytes at the SHA-256 field 0x08000000..0x0800001F" \
	stimg verify app.hex --sha256-at 0x08000000
[ ! -e x.hex ] || fail "x.hex was written"
exit 0
