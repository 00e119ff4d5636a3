# Found by the image fuzz target (tests/data/fuzz/image/): when a batch of
# out-of-order puts held puts that overlap, every put of the batch went
# the slow way, one insert (and a move of the segment array) each:
# quadratic. Now only the puts that meet earlier data wait; the others
# merge in one pass. Here 300 separate records, then 32000 more in
# descending order, each of them twice (the file's records shuffled and
# repeated): tens of seconds before, well under a second now. The binary
# itself runs, under a time limit.
. "$STIMG_TOP/tests/cli/lib.sh"

awk '
function rec(a, b,   s) {
	s = 1 + int(a / 256) + a % 256 + b
	printf ":01%04X00%02X%02X\n", a, b, (256 - s % 256) % 256
}
BEGIN {
	print ":020000040809E9"
	for (i = 0; i < 300; i++) rec(65534 - 2 * i, 1)
	for (u = 9; u >= 0; u--) {
		s = 2 + 4 + 8 + u
		printf ":0200000408%02X%02X\n", u, (256 - s % 256) % 256
		for (a = (u == 9 ? 64000 : 65534); a >= 0; a -= 2) {
			rec(a, 2)
			rec(a, 2)
		}
	}
	print ":00000001FF"
}' >twice.hex
timeout 20 "$STIMG_BUILD/stimg" info twice.hex >out 2>err ||
	{ cat err; fail "info of 654000 overlapping records: not within 20 s"; }
grep -qxF "  data          327213 bytes in 327213 region(s)" out ||
	{ sed -n 1,4p out; fail "not 327213 regions"; }
# a differing repeat is still the conflict it was
printf ':02000004080FF2\n' >differ.hex
awk 'BEGIN { print ":0100000001FE"; print ":0100000002FD"; print ":00000001FF" }' >>differ.hex
run 1 stimg info twice.hex differ.hex
exit 0
