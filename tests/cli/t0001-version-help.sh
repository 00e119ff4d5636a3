# stimg --version and --help on every command.
. "$STIMG_TOP/tests/cli/lib.sh"

want=$(sed -n "s/^.define STIMG_VERSION \"\(.*\)\"/\1/p" "$TOP/include/stimg/stimg.h")
run 0 stimg --version
[ "$(cat out)" = "stimg $want" ] || fail "version: $(cat out)"
run 0 stimg --help
grep -q '^usage: stimg COMMAND' out || fail "no usage line"
for c in info convert merge; do
	run 0 stimg $c --help
	grep -q "^usage: stimg $c" out || fail "$c --help: $(cat out)"
done
run 2 stimg frobnicate
expect_err "stimg: error: unknown command 'frobnicate'"
run 2 stimg
