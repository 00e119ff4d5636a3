# stimg info: golden text and JSON for the bootloader and application.
. "$STIMG_TOP/tests/cli/lib.sh"

cp "$DATA/boot.hex" "$DATA/app.hex" .
run 0 stimg info boot.hex app.hex
cat > want <<'X'
boot.hex: Intel HEX
  entry point   none
  data          176 bytes in 2 region(s)
    0x08000000..0x0800009F         160 bytes
    0x08007FF0..0x08007FFF          16 bytes
  gaps          1
    0x080000A0..0x08007FEF       32592 bytes
  vector table  at 0x08000000: initial SP 0x20020000 (plausible), reset handler 0x08000009 (plausible)

app.hex: Intel HEX
  entry point   0x08008101
  data          32 bytes in 1 region(s)
    0x08008000..0x0800801F          32 bytes
  vector table  at 0x08008000: initial SP 0x20020000 (plausible), reset handler 0x08008101 (not a Thumb address inside the image)
X
expect_same out want

run 0 stimg info --json boot.hex
printf '%s\n' '{"files":[{"file":"boot.hex","format":"ihex","attributes":{},"entry":null,"bytes":176,"regions":[{"start":134217728,"end":134217888,"size":160},{"start":134250480,"end":134250496,"size":16}],"gaps":[{"start":134217888,"end":134250480,"size":32592}],"vector_table":{"address":134217728,"initial_sp":537001984,"reset_handler":134217737,"sp_plausible":true,"reset_plausible":true},"stripped":[],"sections":[],"header":[],"elf":null,"mcuboot":null}]}' > want
expect_same out want

# a raw binary at an address; fewer than 8 bytes: no vector table
printf 'abc' > x.bin
run 0 stimg info --json x.bin@0x20000000
printf '%s\n' '{"files":[{"file":"x.bin@0x20000000","format":"bin","attributes":{},"entry":null,"bytes":3,"regions":[{"start":536870912,"end":536870915,"size":3}],"gaps":[],"vector_table":null,"stripped":[],"sections":[],"header":[],"elf":null,"mcuboot":null}]}' > want
expect_same out want

# a file name that needs escaping in JSON
cp app.hex 'a"b\c.hex'
run 0 stimg info --json 'a"b\c.hex'
grep -qF '"file":"a\"b\\c.hex"' out || fail "name not escaped: $(cat out)"

# a bad file: exit 1, the error names it
printf ':00000001FE\n' > bad.hex
run 1 stimg info boot.hex bad.hex
expect_err "stimg: error: bad.hex:1: record checksum is 0xFE, expected 0xFF"
run 2 stimg info
run 2 stimg info --bogus boot.hex
exit 0
