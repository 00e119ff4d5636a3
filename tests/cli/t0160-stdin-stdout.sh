# '-' reads standard input and writes standard output; -o may name an input.
. "$STIMG_TOP/tests/cli/lib.sh"

cp "$DATA/boot.hex" "$DATA/app.hex" .
stimg merge - app.hex < boot.hex > all.hex || fail "merge from stdin"
expect_same all.hex "$DATA/merged.hex"
cat boot.hex | stimg convert - -o - -O ihex > same.hex || fail "pipe through"
expect_same same.hex boot.hex

# a raw binary from stdin needs its address (after --: it starts with '-')
printf 'ABCD' | stimg convert -o x.hex -- -@0x08000000 || fail "-@ADDR"
{
	ihex 0 04 0800
	ihex 0 00 41424344
	ihex 0 01 ""
} > want
expect_same x.hex want

# errors on stdin name <stdin>
printf ':00000001FE\n' | stimg convert - -o y.hex 2>err
[ $? = 1 ] || fail "bad stdin should exit 1"
expect_err "stimg: error: <stdin>:1: record checksum is 0xFE, expected 0xFF"

# -o naming the input replaces it atomically
cp boot.hex inplace.hex
run 0 stimg convert inplace.hex app.hex -o inplace.hex
expect_same inplace.hex "$DATA/merged.hex"
exit 0
