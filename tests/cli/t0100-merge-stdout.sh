# stimg merge boot.hex app.hex writes Intel HEX to stdout with no -o; the
# result is the golden file and holds what srec_cat's merge holds.
. "$STIMG_TOP/tests/cli/lib.sh"

run 0 stimg merge "$DATA/boot.hex" "$DATA/app.hex"
expect_same out "$DATA/merged.hex"
[ -s err ] && fail "unexpected stderr: $(cat err)"

# the same through -o, and -o - (stdout)
run 0 stimg merge "$DATA/boot.hex" "$DATA/app.hex" -o all.hex
expect_same all.hex "$DATA/merged.hex"
run 0 stimg merge "$DATA/boot.hex" "$DATA/app.hex" -o -
expect_same out "$DATA/merged.hex"

# inputs in the other order give the same bytes (sorted output)
run 0 stimg merge "$DATA/app.hex" "$DATA/boot.hex"
expect_same out "$DATA/merged.hex"

need srec_cmp
srec_cat "$DATA/boot.hex" -intel "$DATA/app.hex" -intel -o ref.hex -intel ||
	fail "srec_cat failed"
srec_cmp ref.hex -intel all.hex -intel || fail "srec_cat's merge holds other data"
