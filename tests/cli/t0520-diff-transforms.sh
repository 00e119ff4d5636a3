# stimg's transforms and merge against SRecord's filters on random images:
# --crop (a union of ranges), --exclude, --offset, --fill BYTE@RANGE in that
# order are srec_cat's -crop, -exclude, -offset, -fill applied left to right
# (ranges END exclusive in both); merge --overlap first|last is srec_cat
# with the other file's bytes excluded where they meet (-exclude -within:
# -over would be the other file's whole span).
. "$STIMG_TOP/tests/cli/lib.sh"
need srec_cat
need srec_cmp
need srec_info
gen=$TOOLS/gen_image
[ -x "$gen" ] || fail "$gen is missing (make check builds it)"

same() {
	srec_cmp -disable_sequence_warnings "$@" >cmp.out 2>&1 ||
		{ cat cmp.out; fail "srec_cmp $*: the data differ"; }
}

start() {
	srec_info -disable_sequence_warnings "$@" 2>/dev/null |
		sed -n 's/^Execution Start Address: //p'
}

hex() {
	printf '0x%08X' "$1"
}

# transforms SEED GEN_OPTIONS OFFSET: ranges cut from the image's span
#
#     lo       a   e     f          b              hi
#     [==]     [===crop=====================]
#              ....[=exclude=]....
#     [crop: lo+100]
#     then everything moves by OFFSET, and holes are filled with 0xA5 in
#     [lo + q/2, hi - q/2) + OFFSET
transforms() {
	seed=$1 g=$2 off=$3
	# shellcheck disable=SC2086
	"$gen" -s "$seed" $g >r.hex || fail "gen_image -s $seed $g"
	# shellcheck disable=SC2046,SC2086
	set -- $("$gen" -s "$seed" $g --span)
	lo=$(($1)) hi=$(($2))
	q=$(((hi - lo) / 4))
	a=$(hex $((lo + q))) b=$(hex $((lo + 3 * q)))
	e=$(hex $((lo + q + q / 3))) f=$(hex $((lo + 2 * q)))
	c=$(hex "$lo") d=$(hex $((lo + 100)))
	fs=$(hex $((lo + q / 2 + off))) fe=$(hex $((hi - q / 2 + off)))
	case $off in
	-*) o=-$(hex $((-off))) ;;
	*) o=$(hex "$off") ;;
	esac

	run 0 stimg convert r.hex --crop "$a:$b" --crop "$c+100" \
		--exclude "$e:$f" --offset "$o" --fill "0xA5@$fs:$fe" -o t.hex
	same t.hex -intel r.hex -intel -crop "$a" "$b" "$c" "$d" \
		-exclude "$e" "$f" -offset "$o" -fill 0xA5 "$fs" "$fe"
	srec_cat -disable_sequence_warnings r.hex -intel -crop "$a" "$b" "$c" "$d" \
		-exclude "$e" "$f" -offset "$o" -fill 0xA5 "$fs" "$fe" \
		-o ref.hex -intel || fail "srec_cat ref.hex"
	[ "$(start t.hex -intel)" = "$(start ref.hex -intel)" ] ||
		fail "seed $seed: start $(start t.hex -intel), srec_cat's $(start ref.hex -intel)"

	# each transform alone
	run 0 stimg convert r.hex --exclude "$a:$b" -o t1.hex
	same t1.hex -intel r.hex -intel -exclude "$a" "$b"
	run 0 stimg convert r.hex --offset "$o" -o t2.srec
	same t2.srec r.hex -intel -offset "$o"
	run 0 stimg convert r.hex --fill 0x00 -o t3.hex
	same t3.hex -intel r.hex -intel -fill 0x00 -over r.hex -intel
}

transforms 41 "-p near -n 20 -r 0 --shuffle -e" -0x07FF0000
transforms 42 "-p near -n 40 -m 6000 -r 0 --crlf" 0x10000000
transforms 43 "-p low -a mixed -n 30 -r 0 --shuffle -e" 0x100
transforms 44 "-p low -a segment -n 10 -m 10000 -r 0 --blank" 0

# merge: two random images over the same 256 KiB, overlapping here and there
"$gen" -s 51 -p near -n 30 -m 8000 -r 0 --shuffle >a.hex || fail "gen_image -s 51"
"$gen" -s 52 -p near -n 30 -m 8000 -r 0 --crlf >b.hex || fail "gen_image -s 52"
run 1 stimg merge a.hex b.hex -o m.hex
[ ! -e m.hex ] || fail "merge conflict: m.hex was written"
grep -q '^stimg: error: a.hex:[0-9]* and b.hex:[0-9]* both set 0x' err ||
	{ cat err; fail "merge conflict: no message naming both files"; }
run 0 stimg merge a.hex b.hex --overlap first -o first.hex
same first.hex -intel '(' a.hex -intel b.hex -intel -exclude -within a.hex -intel ')'
run 0 stimg merge a.hex b.hex --overlap last -o last.srec
same last.srec '(' a.hex -intel -exclude -within b.hex -intel b.hex -intel ')'
# identical bytes where they meet are no conflict
run 0 stimg convert a.hex --crop 0x08010000:0x08030000 -o part.hex
run 0 stimg merge part.hex a.hex b.hex --overlap first -o again.hex
expect_same first.hex again.hex
exit 0
