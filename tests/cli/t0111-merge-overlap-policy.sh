# --overlap first|last resolve a conflict with a warning; -q hides it.
. "$STIMG_TOP/tests/cli/lib.sh"

cp "$DATA/boot.hex" "$DATA/app_conflict.hex" .
what="boot.hex:12 and app_conflict.hex:3 both set 0x08007FF0..0x08007FFF (first difference at 0x08007FF4: 0x12 vs 0x34)"

run 0 stimg merge --overlap first boot.hex app_conflict.hex
expect_err "stimg: warning: $what; keeping the first"
grep -qx ':107FF000A0A1A2A312A5A6A7A8A9AAABACADAEAF9B' out || fail "first not kept"

run 0 stimg merge --overlap last boot.hex app_conflict.hex
expect_err "stimg: warning: $what; keeping the last"
grep -qx ':107FF000A0A1A2A334A5A6A7A8A9AAABACADAEAF79' out || fail "last not taken"

run 0 stimg merge -q --overlap last boot.hex app_conflict.hex
[ -s err ] && fail "-q printed: $(cat err)"

run 2 stimg merge --overlap sometimes boot.hex
expect_err "stimg: error: --overlap: 'sometimes' is not error, first or last"
exit 0
