# The man page keeps in step with the code: every long option in the option
# tables of src/cmd/*.c, and every command in src/main.c's table, is in
# man/stimg.1, and its title line names STIMG_VERSION.
. "$STIMG_TOP/tests/cli/lib.sh"

man=$TOP/man/stimg.1
[ -f "$man" ] || fail "no man/stimg.1"
# the page as text: \- is a hyphen, font changes (\fB ...) go
sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\f(..//g' "$man" >page

opts=$(sed -n 's/^[[:space:]]*{ *"\([a-z0-9-]*\)", .*/\1/p' "$TOP"/src/cmd/*.c |
	sort -u)
[ -n "$opts" ] || fail "found no option tables in src/cmd/*.c"
missing=
for o in $opts; do
	grep -Eq -- "--$o([^a-z0-9-]|-[^a-z0-9]|-?\$)" page ||
		missing="$missing --$o"
done
[ -z "$missing" ] || fail "man/stimg.1 does not mention:$missing"

cmds=$(sed -n 's/^[[:space:]]*{ *"\([a-z0-9-]*\)", *cmd_.*/\1/p' "$TOP/src/main.c")
[ -n "$cmds" ] || fail "found no command table in src/main.c"
for c in $cmds; do
	grep -q "^\.SS \"stimg ${c}[ \"]" "$man" ||
		missing="$missing $c"
done
[ -z "$missing" ] || fail "man/stimg.1 has no section for:$missing"

want=$(sed -n 's/^#define STIMG_VERSION "\(.*\)"/\1/p' "$TOP/include/stimg/stimg.h")
grep -q "^\.TH STIMG 1 .* \"stimg $want\"" "$man" ||
	fail "the .TH line does not say \"stimg $want\": $(grep '^\.TH' "$man")"
exit 0
