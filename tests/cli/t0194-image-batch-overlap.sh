# Found by the image fuzz target (tests/data/fuzz/image/): when a batch of
# out-of-order puts held puts that overlap, every put of the batch went
# the slow way, one insert (and a move of the segment array) each:
# quadratic. Now only the puts that meet earlier data wait; the others
# merge in one pass. Here 300 separate records, then 32000 more in
# descending order, each of them twice (the file's records shuffled and
# repeated): tens of seconds before, well under a second now. The binary
# itself runs, under a time limit.
. "$STIMG_TOP/tests/cli/lib.sh"

cat >gen.awk <<'EOF'
BEGIN {
	for (i = 0; i < 300; i++) ihex_byte(134873086 - 2 * i, 1)
	for (u = 9; u >= 0; u--)
		for (a = (u == 9 ? 64000 : 65534); a >= 0; a -= 2) {
			ihex_byte(134217728 + 65536 * u + a, 2)
			ihex_byte(134217728 + 65536 * u + a, 2)
		}
	ihex_eof()
}
EOF
awk -f "$TOP/tests/cli/ihex.awk" -f gen.awk >twice.hex
timeout 20 "$STIMG_BUILD/stimg" info twice.hex >out 2>err ||
	{ cat err; fail "info of 654000 overlapping records: not within 20 s"; }
grep -qxF "  data          327213 bytes in 327213 region(s)" out ||
	{ sed -n 1,4p out; fail "not 327213 regions"; }
# a differing repeat is still the conflict it was
printf ':02000004080FF2\n:0100000001FE\n:0100000002FD\n:00000001FF\n' >differ.hex
run 1 stimg info twice.hex differ.hex
exit 0
