# Raw binary inputs of every size around the reader's 1 MiB chunk, from a
# file and from a pipe, come back byte for byte; one past 4 GiB is refused.
. "$STIMG_TOP/tests/cli/lib.sh"

head -c 1048577 /dev/urandom > r.bin
for n in 0 1 1048575 1048576 1048577; do
	head -c $n r.bin > in.bin
	run 0 stimg convert in.bin@0x08000000 -o x.hex
	run 0 stimg convert x.hex -o back.bin
	expect_same in.bin back.bin
	stimg convert -o y.hex -- -@0x08000000 < in.bin || fail "stdin $n"
	expect_same x.hex y.hex
done

printf 'ab' > two.bin
run 1 stimg convert two.bin@0xFFFFFFFF -o z.hex
expect_err "stimg: error: two.bin: file is larger than the 1 bytes that fit below 4 GiB"
[ -e z.hex ] && fail "z.hex written"
run 0 stimg convert two.bin@0xFFFFFFFE -o z.hex
exit 0
