# Found by the image fuzz target (tests/data/fuzz/image/): range sets were
# built by a linear search per range, so that the ranges of an image with
# many regions took quadratic time: --fill, --exclude or the CRC holes of
# 300000 isolated records took tens of seconds. With a binary search,
# ranges added in address order cost O(1) each. And --fill inserted each
# hole on its own, moving the segment array every time: now the holes
# merge with the segments in one pass. The binary itself runs, under a
# time limit.
. "$STIMG_TOP/tests/cli/lib.sh"

cat >gen.awk <<'EOF'
BEGIN {
	for (i = 0; i < 300000; i++) ihex_byte(134217728 + 2 * i, 90)
	ihex_eof()
}
EOF
awk -f "$TOP/tests/cli/ihex.awk" -f gen.awk >many.hex
timeout 20 "$STIMG_BUILD/stimg" convert many.hex --exclude 0x08000000+2 \
	--fill 0xFF@0x08000000+16 -o filled.hex >out 2>err ||
	{ cat err; fail "--fill on 300000 regions: not within 20 s"; }
timeout 20 "$STIMG_BUILD/stimg" info filled.hex >out 2>err ||
	{ cat err; fail "info of filled.hex"; }
grep -qxF "  data          300008 bytes in 299992 region(s)" out ||
	{ sed -n 1,4p out; fail "filled.hex: not 300008 bytes in 299992 regions"; }
# every hole of the span filled: one region
timeout 20 "$STIMG_BUILD/stimg" convert many.hex --fill 0xFF -o all.hex >out 2>err ||
	{ cat err; fail "--fill of 299999 holes: not within 20 s"; }
timeout 20 "$STIMG_BUILD/stimg" info all.hex >out 2>err || fail "info all.hex"
grep -qxF "  data          599999 bytes in 1 region(s)" out ||
	{ sed -n 1,9p out; fail "all.hex: not 599999 bytes in 1 region"; }
exit 0
