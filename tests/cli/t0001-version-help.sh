# stimg --version and --help on every command.
. "$STIMG_TOP/tests/cli/lib.sh"

want=$(sed -n "s/^.define STIMG_VERSION \"\(.*\)\"/\1/p" "$TOP/include/stimg/stimg.h")
run 0 stimg --version
[ "$(cat out)" = "stimg $want" ] || fail "version: $(cat out)"
run 0 stimg --help
grep -q '^usage: stimg COMMAND' out || fail "no usage line"
# every command of src/main.c's table: listed, and --help (-h) exits 0
cmds=$(sed -n 's/^	{ "\([a-z]*\)", cmd_.*/\1/p' "$TOP/src/main.c")
[ "$(echo "$cmds" | wc -l)" -ge 9 ] || fail "commands: $cmds"
run 0 stimg --help
for c in $cmds; do
	grep -q "^  $c " out || fail "stimg --help does not list $c"
done
for c in $cmds; do
	run 0 stimg $c --help
	grep -q "^usage: stimg $c" out || fail "$c --help: $(cat out)"
	run 0 stimg $c -h
	grep -q "^usage: stimg $c" out || fail "$c -h: $(cat out)"
done
run 2 stimg frobnicate
expect_err "stimg: error: unknown command 'frobnicate'"
run 2 stimg
