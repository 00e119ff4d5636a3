# Issue 10, defect 17: info --json prints a complete JSON document or
# nothing (SPEC 5): with a good file and then a bad one it printed the
# first object and left the document open.
. "$STIMG_TOP/tests/cli/lib.sh"
cp "$DATA/boot.hex" "$DATA/app.hex" .
printf ':0100000000FF\n:01000000E51B\n:00000001FF\n' >bad.hex

run 1 stimg info --json boot.hex bad.hex
expect_err "stimg: error: bad.hex:2: record checksum is 0x1B, expected 0x1A"
[ ! -s out ] || { cat out; fail "info --json printed part of a document"; }
run 3 stimg info --json boot.hex missing.hex
[ ! -s out ] || fail "info --json printed part of a document (missing file)"

# whole: the two objects, one document
run 0 stimg info --json boot.hex app.hex
stimg info --json boot.hex >one.json
stimg info --json app.hex >two.json
{ sed 's/]}$//' one.json | tr -d '\n'; printf ','; sed 's/^{"files":\[//' two.json; } >want.json
expect_same want.json out
exit 0
