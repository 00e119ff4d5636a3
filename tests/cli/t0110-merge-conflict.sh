# Differing bytes at one address: an error naming both files, both lines and
# the first differing address; no output file, an existing one untouched.
. "$STIMG_TOP/tests/cli/lib.sh"

cp "$DATA/boot.hex" "$DATA/app_conflict.hex" .
msg="stimg: error: boot.hex:12 and app_conflict.hex:3 both set 0x08007FF0..0x08007FFF (first difference at 0x08007FF4: 0x12 vs 0x34)"

run 1 stimg merge boot.hex app_conflict.hex -o all.hex
expect_err "$msg"
[ -e all.hex ] && fail "all.hex was written"
[ "$(ls -A)" = "$(printf 'app_conflict.hex\nboot.hex\nerr\nout')" ] ||
	fail "stray files: $(ls -A)"

# to stdout: nothing written at all
run 1 stimg merge boot.hex app_conflict.hex
expect_err "$msg"
[ -s out ] && fail "stdout not empty"

# an existing output keeps its bytes and its mode
echo "precious" > all.hex
chmod 640 all.hex
run 1 stimg merge boot.hex app_conflict.hex -o all.hex
[ "$(cat all.hex)" = precious ] || fail "existing output changed"
[ "$(stat -c %a all.hex)" = 640 ] || fail "mode changed"

# the other order names the files the other way round
run 1 stimg merge app_conflict.hex boot.hex
expect_err "stimg: error: app_conflict.hex:3 and boot.hex:12 both set 0x08007FF0..0x08007FFF (first difference at 0x08007FF4: 0x34 vs 0x12)"

# identical bytes at the same addresses are no conflict
run 0 stimg merge boot.hex "$DATA/app_same.hex" -o same.hex
[ -s err ] && fail "unexpected stderr: $(cat err)"
grep -qx ':107FF000A0A1A2A312A5A6A7A8A9AAABACADAEAF9B' same.hex ||
	fail "the shared record is missing"
exit 0
