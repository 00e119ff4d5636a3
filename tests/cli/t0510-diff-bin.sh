# stimg's raw binaries against SRecord's on random sparse images near
# 0x08000000 (span < 1 MiB): HEX->BIN equals srec_cat's filled binary byte
# for byte, and BIN@START->HEX/SREC holds srec_cat's filled image.
. "$STIMG_TOP/tests/cli/lib.sh"
need srec_cat
need srec_cmp
gen=$TOOLS/gen_image
[ -x "$gen" ] || fail "$gen is missing (make check builds it)"

same() {
	srec_cmp -disable_sequence_warnings "$@" >cmp.out 2>&1 ||
		{ cat cmp.out; fail "srec_cmp $*: the data differ"; }
}

# bin SEED GEN_OPTIONS
bin() {
	seed=$1 g="-p near $2"
	# shellcheck disable=SC2086
	"$gen" -s "$seed" $g >r.hex || fail "gen_image -s $seed $g"
	# shellcheck disable=SC2046,SC2086
	set -- $("$gen" -s "$seed" $g --span)
	lo=$1 hi=$2
	[ $((hi - lo)) -lt $((1 << 20)) ] || fail "seed $seed: span $lo..$hi"

	# srec_cat's -binary output starts at address 0: -offset -START moves
	# the image down. The parentheses matter: without them -offset binds to
	# the input of -over (only the fill range moves) and srec_cat writes a
	# 128 MiB file of fill from address 0.
	srec_cat -disable_sequence_warnings \
		'(' r.hex -intel -fill 0xFF -over r.hex -intel ')' \
		-offset "-$lo" -o ref.bin -binary || fail "srec_cat ref.bin"
	[ "$(wc -c <ref.bin)" -eq $((hi - lo)) ] || fail "seed $seed: ref.bin size"
	run 0 stimg convert r.hex -o r.bin
	expect_same ref.bin r.bin

	# holes filled with 0x00 by --fill, not by the writer
	srec_cat -disable_sequence_warnings \
		'(' r.hex -intel -fill 0x00 -over r.hex -intel ')' \
		-offset "-$lo" -o ref0.bin -binary || fail "srec_cat ref0.bin"
	run 0 stimg convert r.hex --fill 0x00 -o r0.bin
	expect_same ref0.bin r0.bin

	# back from the binary: every byte of the span, the holes 0xFF
	run 0 stimg convert "r.bin@$lo" -o back.hex
	same back.hex -intel r.hex -intel -fill 0xFF -over r.hex -intel
	run 0 stimg convert "r.bin@$lo" -o back.srec
	same back.srec -motorola r.hex -intel -fill 0xFF -over r.hex -intel

	# SRecord reads the binary at START the same way
	same back.hex -intel r.bin -binary -offset "$lo"

	# and a binary from S-records is the same file
	run 0 stimg convert r.hex -o r.srec
	run 0 stimg convert r.srec -o r2.bin
	expect_same ref.bin r2.bin
}

bin 21 "-r 0 --shuffle"
bin 22 "-r 0 --crlf --lower -e"
bin 23 "-n 40 -m 6000 -r 0 --shuffle --blank"
bin 24 "-n 2 -m 100 -r 1"
bin 25 "-n 60 -m 3000 -r 255 --shuffle --crlf"
bin 26 "-n 1 -m 1"
exit 0
