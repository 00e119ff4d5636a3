# An output file is written in writes of 1 MiB (stdio's own buffer is
# 4 KiB, and fwrite of a run wrote 4 to 40 KiB at a time: 663 writes for a
# 16 MiB BIN), for BIN and HEX alike, and the bytes are the same.
. "$STIMG_TOP/tests/cli/lib.sh"
need strace
gen=$TOOLS/gen_image
[ -x "$gen" ] || fail "$gen is missing (make check builds it)"
"$gen" --big 4 >big.hex || fail "gen_image --big 4"
"$gen" --big 4 --raw >big.raw || fail "gen_image --big 4 --raw"
for out in a.bin a.hex; do
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		strace -f -qq -e trace=write -o trace "$STIMG_BUILD/stimg" convert big.hex \
		-o "$out" -q || fail "strace stimg convert big.hex -o $out"
	# writes to the output (descriptor 3 or more), not to the terminal
	n=$(awk '/write\([3-9]/ || /write\([1-9][0-9]/ { n++ } END { print n + 0 }' trace)
	size=$(wc -c <"$out")
	[ "$n" -le $((size / 1048576 + 1)) ] ||
		{ head trace; fail "$out: $n writes for $size bytes"; }
done
expect_same big.raw a.bin
run 0 stimg convert a.hex -o b.bin
expect_same big.raw b.bin
exit 0
