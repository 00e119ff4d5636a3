# stimg crc against SRecord's filters on random sparse images, holes filled:
# stm32 (-stm32-l-e, which feeds little-endian words from 4-byte aligned
# addresses: so ranges start 4-aligned; a range that is not whole words
# takes the rest of its last word from the image, or FILL, as srec_cat
# filling up to the next word does: --tail pad), CRC-32/ISO-HDLC (-crc32-l-e), CRC-16/XMODEM and
# CRC-16/SPI-FUJITSU (-crc16-b-e -xmodem / -ccitt: SRecord's augmented
# CCITT is the catalogue's AUG-CCITT), and the sums (-checksum-positive-le,
# -checksum-negative-le over bytes).
. "$STIMG_TOP/tests/cli/lib.sh"
need srec_cat
gen=$TOOLS/gen_image
[ -x "$gen" ] || fail "$gen is missing (make check builds it)"

hex() {
	printf '0x%08X' "$1"
}

# srec VALUE_BYTES ENDIAN FILTER... : the value srec_cat's FILTER puts at
# $end, after filling [$s, $e) with $fill, as 0x%0*X
srec() {
	_n=$1 _endian=$2
	shift 2
	srec_cat -disable_sequence_warnings r.hex -intel -fill "$fill" "$s" "$e" \
		-crop "$s" "$e" "$@" -crop "$e" $(hex $((e + _n))) \
		-offset -"$e" -o v.bin -binary 2>srec.err ||
		{ cat srec.err; fail "srec_cat $*"; }
	[ "$(wc -c <v.bin)" = "$_n" ] || fail "srec_cat $*: $(wc -c <v.bin) bytes"
	od -An -tx1 v.bin | awk -v le="$_endian" '
		{ for (i = 1; i <= NF; i++) b[n++] = toupper($i) }
		END { printf "0x"; for (i = 0; i < n; i++) printf "%s", le == "le" ? b[n - 1 - i] : b[i]; print "" }'
}

# same ALGO BYTES ENDIAN FILTER...: stimg crc over [$s, $e) equals srec_cat
same() {
	_algo=$1
	shift
	want=$(srec "$@")
	run 0 stimg crc --algo "$_algo" --range "$s:$e" --fill "$fill" r.hex
	[ "$(cat out)" = "$want" ] ||
		fail "seed $seed $_algo over $s:$e fill $fill: stimg $(cat out), srec_cat $want"
}

for seed in 1 2 3 4 5 6; do
	case $seed in
	1|4) g="-p near -n 8 -m 3000" fill=0xFF ;;
	2|5) g="-p near -n 20 -m 500 -r 0 --shuffle" fill=0x5A ;;
	*) g="-p low -n 5 -m 70000" fill=0x00 ;;
	esac
	# shellcheck disable=SC2086
	"$gen" -s "$seed" $g >r.hex || fail "gen_image -s $seed"
	# shellcheck disable=SC2046,SC2086
	set -- $("$gen" -s "$seed" $g --span)
	lo=$(($1 & ~3)) hi=$(($2))

	# whole words from a little before the data to a little after it
	s=$(hex "$lo") e=$(hex $(((hi + 3) / 4 * 4 + 8)))
	same stm32 4 le -stm32-l-e "$e"
	same crc32 4 le -crc32-l-e "$e"
	same CRC-16/XMODEM 2 be -crc16-b-e "$e" -xmodem
	same CRC-16/SPI-FUJITSU 2 be -crc16-b-e "$e" -ccitt
	same sum8 1 le -checksum-positive-le "$e" 1
	same sum16 2 le -checksum-positive-le "$e" 2
	same sum32 4 le -checksum-positive-le "$e" 4
	same sum8-neg 1 le -checksum-negative-le "$e" 1
	same sum16-neg 2 le -checksum-negative-le "$e" 2
	same sum32-neg 4 le -checksum-negative-le "$e" 4

	# the STM32 tail: 1, 2, 3 bytes past a word are padded with FILL,
	# which is srec_cat filling up to the word's end
	for t in 1 2 3; do
		end=$((lo + (hi - lo) / 2 / 4 * 4 + t))
		e=$(hex $(((end + 3) / 4 * 4)))
		want=$(srec 4 le -stm32-l-e "$e")
		run 0 stimg crc --range "$s:$(hex "$end")" --fill "$fill" r.hex
		[ "$(cat out)" = "$want" ] ||
			fail "seed $seed stm32 tail $t: stimg $(cat out), srec_cat $want"
		run 1 stimg crc --range "$s:$(hex "$end")" --tail error r.hex
	done
done

# the STM32 CRC unit's known values, which srec_cat also gives
printf '\0\1\2\3\4\5\6\7' >seq.bin
run 0 stimg crc seq.bin@0x08000000
[ "$(cat out)" = 0x9C08808D ] || fail "bytes 00..07: $(cat out)"
printf 'Hello, World!\n\377\377' >hello.bin
run 0 stimg crc hello.bin@0x08000000
[ "$(cat out)" = 0xC7FC77B9 ] || fail "Hello, World!: $(cat out)"
srec_cat seq.bin -binary -stm32-l-e 8 -crop 8 12 -offset -8 -o v.bin -binary &&
	[ "$(od -An -tx1 v.bin | tr -d ' \n')" = 8d80089c ] ||
	fail "srec_cat disagrees on bytes 00..07"
exit 0
