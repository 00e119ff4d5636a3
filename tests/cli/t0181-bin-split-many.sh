# Issue 10, defect 4: bin --split writes one file at a time: 1100 regions
# under a limit of 64 open files (it held one descriptor per region and
# failed "Too many open files" past the limit).
. "$STIMG_TOP/tests/cli/lib.sh"

# 1100 one-byte records, 16 bytes apart: 1100 regions
cat >gen.awk <<'EOF'
BEGIN {
	for (i = 0; i < 1100; i++) ihex_byte(134217728 + 16 * i, i % 256)
	ihex_eof()
}
EOF
awk -f "$TOP/tests/cli/ihex.awk" -f gen.awk >many.hex
(ulimit -n 64 && stimg bin many.hex --split -q -o part.bin) >out 2>err ||
	{ cat err; fail "--split of 1100 regions under ulimit -n 64"; }
[ "$(ls part-0x*.bin | wc -l)" -eq 1100 ] || fail "not 1100 files: $(ls | wc -l)"
printf '\003' >want.bin
expect_same want.bin part-0x08001030.bin
printf '\113' >want.bin
expect_same want.bin part-0x080044B0.bin
ls -A | grep '^\.stimg-' && fail "temporary file left behind"
exit 0
