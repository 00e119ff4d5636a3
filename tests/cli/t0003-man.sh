# --help, the parser and the man page agree, for every command of
# src/main.c's table: each option its --help lists is accepted (in every
# form it takes: -o V, -oV, --long V, --long=V) and is named in the
# command's section of man/stimg.1; each option any command takes that is
# not in this command's --help is refused as unknown. Every command has its
# section, and the .TH line names STIMG_VERSION.
. "$STIMG_TOP/tests/cli/lib.sh"

man=$TOP/man/stimg.1
[ -f "$man" ] || fail "no man/stimg.1"
# the page as text: \- is a hyphen, font changes (\fB ...) and \& go
sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\f(..//g' -e 's/\\&//g' \
	-e 's/\\%//g' "$man" >page

cmds=$(sed -n 's/^[[:space:]]*{ *"\([a-z0-9-]*\)", *cmd_.*/\1/p' "$TOP/src/main.c")
[ "$(echo $cmds)" = "info convert merge bin strip crc patch verify serial sign keys" ] ||
	fail "commands of src/main.c: $(echo $cmds)"

# the options of each --help, as lines "NAME ARG" (ARG empty for a flag)
for c in $cmds; do
	run 0 stimg $c --help
	awk '/^  -/ {
		spec = substr($0, 3)
		i = index(spec, "  ")
		if (i) spec = substr(spec, 1, i - 1)
		n = split(spec, t, " ")
		arg = ""
		m = 0
		for (k = 1; k <= n; k++) {
			if (t[k] ~ /^-/) { sub(/,$/, "", t[k]); name[++m] = t[k] }
			else arg = t[k]
		}
		for (k = 1; k <= m; k++) print name[k], arg
	}' out >"opts-$c"
	[ -s "opts-$c" ] || fail "$c --help lists no options"
	cut -d' ' -f1 "opts-$c" >>all
done
sort -u all >every
grep -qx -- --crc-range every || fail "no --crc-range among: $(echo $(cat every))"

# accepted CMD ARGS...: not refused as an unknown option
accepted() {
	"$STIMG_BUILD/stimg" "$@" </dev/null >out 2>err
	grep -q 'unknown option\|a bug' err && { cat err; fail "stimg $* refused the option"; }
	return 0
}

for c in $cmds; do
	# the command's man section: from its .SS to the next .SS or .SH
	awk -v c="$c" '
		/^\.S[HS] / { on = index($0, ".SS \"stimg " c " ") == 1 }
		on' page >"section-$c"
	[ -s "section-$c" ] || fail "man/stimg.1 has no section .SS \"stimg $c ...\""
	while read -r name arg; do
		case $name in
		--*)
			if [ -n "$arg" ]; then
				accepted $c "$name" 1
				accepted $c "$name=1"
			else
				accepted $c "$name"
			fi ;;
		*)
			accepted $c "$name" ${arg:+1}
			[ -n "$arg" ] && accepted $c "${name}1" ;;
		esac
		grep -Eq -- "(^|[^a-zA-Z0-9-])$name([^a-zA-Z0-9-]|\$)" "section-$c" ||
			fail "man/stimg.1, section stimg $c, does not name $name"
	done <"opts-$c"
	# every other option of any command: unknown here
	while read -r name; do
		grep -q -- "^$name " "opts-$c" && continue
		"$STIMG_BUILD/stimg" $c "$name" 1 </dev/null >out 2>err
		grep -q "^stimg: error: $c: unknown option '$name'" err ||
			{ cat err; fail "stimg $c accepts $name, which its --help does not list"; }
	done <every
done

want=$(sed -n 's/^#define STIMG_VERSION "\(.*\)"/\1/p' "$TOP/include/stimg/stimg.h")
grep -q "^\.TH STIMG 1 .* \"stimg $want\"" "$man" ||
	fail "the .TH line does not say \"stimg $want\": $(grep '^\.TH' "$man")"
exit 0
