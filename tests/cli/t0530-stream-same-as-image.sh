# A conversion written as the records come (no image: records in address
# order, no transform that needs the whole image, files in and out) is
# byte for byte what the same conversion through an image writes. The
# image is forced with a --crop of the whole space, which keeps every byte
# but needs the image. Random sparse images of several seeds and shapes,
# to HEX (several record sizes) and BIN, merges of two inputs, and the
# cases that must fall back to the image: records out of order,
# overlapping inputs, a conflict (its message), a warning said once.
. "$STIMG_TOP/tests/cli/lib.sh"
gen=$TOOLS/gen_image
[ -x "$gen" ] || fail "$gen is missing (make check builds it)"
all=--crop=0:0x100000000

same_both() { # ARGS...: stimg convert ARGS -o s.OUT and through the image
	ext=$1
	shift
	run 0 stimg convert "$@" -o "s.$ext"
	cp err s.err
	run 0 stimg convert "$@" $all -o "i.$ext"
	cmp -s "s.$ext" "i.$ext" || fail "convert $* -o .$ext: streamed and image outputs differ"
	cmp -s s.err err || { cat s.err err; fail "convert $*: messages differ"; }
}

for seed in 1 2 3 4 5 6; do
	for r in 16 0 255; do
		"$gen" -s $seed -r $r -p near -n 12 -m 3000 -e >in.hex ||
			fail "gen_image -s $seed"
		same_both hex in.hex
		same_both hex in.hex --record-size 32
		same_both hex in.hex --record-size 7 --crlf
		same_both bin in.hex
	done
	"$gen" -s $seed -p wide -n 6 -m 5000 >w.hex || fail "gen_image -p wide"
	same_both hex w.hex
done

# two inputs, the second above the first (a bootloader and an application)
"$gen" -s 7 -p low -n 4 -m 2000 >lo.hex || fail "gen_image"
run 0 stimg convert lo.hex --offset 0x100000 -o hi.hex
same_both hex lo.hex hi.hex
same_both bin lo.hex hi.hex

# records out of order, and inputs that overlap: through the image, same
run 0 stimg convert lo.hex -o lo.srec
"$gen" -s 8 -p near -n 8 --shuffle >sh.hex || fail "gen_image --shuffle"
same_both hex sh.hex
same_both bin lo.hex lo.srec
same_both hex hi.hex lo.hex

# stimg crc from the files (streamed) and from standard input (an image)
for seed in 11 12 13; do
	"$gen" -s $seed -p near -n 10 -m 3000 >crc.hex || fail "gen_image -s $seed"
	span=$("$gen" -s $seed -p near -n 10 -m 3000 --span)
	lo=$(echo "$span" | cut -d' ' -f1)
	for algo in stm32 crc-32 crc-16/xmodem sum8; do
		for range in "" "--range=$lo+1001" "--range=$((lo + 3)):$((lo + 70001))"; do
			run 0 stimg crc --algo $algo $range --fill 0x5A crc.hex
			cp out want
			# shellcheck disable=SC2002 # a pipe: no streaming
			cat crc.hex | stimg crc --algo $algo $range --fill 0x5A - >out ||
				fail "crc from a pipe"
			cmp -s want out || fail "crc --algo $algo $range: $(cat want) streamed, $(cat out) from an image"
		done
	done
done
head -c 70001 /dev/urandom >r.bin
run 0 stimg crc r.bin@0x08000000
cp out want
stimg crc -@0x08000000 <r.bin >out || fail "crc from standard input"
cmp -s want out || fail "crc of a binary: $(cat want) streamed, $(cat out) from an image"

# a conflict: the image's message, with both places
printf ':020000040800F2\n:0400000001020304F2\n:00000001FF\n' >a.hex
printf ':020000040800F2\n:0400000001020305F1\n:00000001FF\n' >b.hex
run 1 stimg convert a.hex b.hex -o c.hex
expect_err "stimg: error: a.hex:2 and b.hex:2 both set 0x08000000..0x08000003 (first difference at 0x08000003: 0x04 vs 0x05)"
[ ! -e c.hex ] || fail "c.hex was written"

# a warning the reading gives (DOS end-of-file) is said once
printf ':020000040800F2\n:0400000001020304F2\n:00000001FF\n\032' >dos.hex
run 0 stimg convert dos.hex -o dos.bin
[ "$(grep -c 'DOS end-of-file' err)" = 1 ] || { cat err; fail "the warning is not said once"; }
exit 0
