# The option parser (src/cmd/options.c) of every command: --long=VALUE,
# --long VALUE, -o VALUE, -oVALUE, -qv, options after the inputs, '--'
# ending the options, a value that starts with '-', and its usage errors:
# a missing value, a value given to a flag, an unknown option (with the
# closest one, or the commands that have it), no abbreviations.
. "$STIMG_TOP/tests/cli/lib.sh"
cp "$DATA/app.hex" .

for form in "-o a1.hex" "-oa1.hex" "--output a1.hex" "--output=a1.hex"; do
	# shellcheck disable=SC2086  # the form is two words or one
	run 0 stimg convert $form app.hex --crlf
	cmp -s a1.hex "$DATA/app.hex" && fail "$form: --crlf after the input ignored"
	run 0 stimg convert a1.hex -o back.hex
	expect_same back.hex app.hex
	rm a1.hex
done
# -qv: both flags; -q then -o with the next argument
run 0 stimg convert -qvo q.hex app.hex
[ -f q.hex ] || fail "-qvo q.hex wrote no q.hex"
# '--' ends the options: a file whose name starts with '-'
cp app.hex ./-dash.hex
run 0 stimg convert -o d.hex -- -dash.hex
expect_same d.hex app.hex
# a value may start with '-'
run 0 stimg convert app.hex --offset -0x8000 -o low.hex
run 0 stimg convert low.hex --offset=0x8000 -o high.hex
expect_same high.hex app.hex

# usage errors, exit 2, then the hint
usage() {
	run 2 "$@"
	[ "$(sed -n 1p err)" = "stimg: error: $msg" ] || { cat err; fail "'$*': not: $msg"; }
	expect_err "try 'stimg $2 --help'"
	[ -s out ] && fail "'$*' wrote to stdout"
	return 0
}
msg="convert: option '-o' needs a value: -o OUTPUT" usage stimg convert app.hex -o
msg="patch: option '--crc' needs a value: --crc ALGO" usage stimg patch app.hex --crc
msg="convert: option '--crlf' takes no value" usage stimg convert app.hex --crlf=yes -o x.hex
msg="info: unknown option '-x'" usage stimg info -x app.hex
msg="info: unknown option '--jsn'; did you mean '--json'?" usage stimg info --jsn app.hex
# an abbreviation is not taken; it is named
msg="convert: unknown option '--out'; did you mean '--output'?" usage stimg convert app.hex --out x.hex
msg="crc: unknown option '--al'; did you mean '--algo'?" usage stimg crc --al=crc32 app.hex
# an option of other commands
msg="info: unknown option '--crc'; it is an option of patch, verify and serial" \
	usage stimg info --crc stm32 app.hex
msg="strip: unknown option '--set'; it is an option of patch and serial" \
	usage stimg strip --set x=u8:1 app.hex
# nothing close
msg="merge: unknown option '--frobnicate'" usage stimg merge --frobnicate app.hex
[ ! -e x.hex ] || fail "x.hex written"
exit 0
