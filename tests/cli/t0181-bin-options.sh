# stimg bin has its own options: --fill is the byte of the gaps in the file
# written, not convert's transform, so data at 0x08000000 and 0x90000000
# with --fill 0 is refused by --max-size before anything large exists, and
# the error names both regions (issue 10, item 18); the HEX and S-record
# output options, and -O other than bin, are not bin's.
. "$STIMG_TOP/tests/cli/lib.sh"
need /usr/bin/time

printf ABCD >a.bin
printf EFGH >b.bin
/usr/bin/time -f %M -o rss "$STIMG_BUILD/stimg" bin a.bin@0x08000000 \
	b.bin@0x90000000 --fill 0 -o far.bin >out 2>err
[ $? = 1 ] || { cat err; fail "--fill 0 over 2 GiB: not exit 1"; }
expect_err "stimg: error: a binary of 0x08000000..0x90000003 would be 2281701380 bytes, more than the maximum of 67108864; the image holds 0x08000000..0x08000003 (4 bytes), 0x90000000..0x90000003 (4 bytes); use --crop, --base/--end or --split"
[ -e far.bin ] && fail "far.bin written"
# a few MiB (the program and its buffers), not the 2 GiB span; sanitizers'
# shadow memory is not stimg's
peak=$(tail -n 1 rss)
if ! grep -aq -e __asan_init -e __ubsan_handle "$STIMG_BUILD/stimg"; then
	[ "$peak" -lt 32768 ] || fail "peak $peak KiB refusing a 2 GiB file"
fi

# --fill sets the gaps of the file only: with --split each region is
# written as it is, and the fill shows only between regions in one file
run 0 stimg bin a.bin@0x08000000 b.bin@0x08000008 --fill 0x5A -o one.bin
[ "$(od -An -tx1 one.bin | tr -d ' \n')" = 414243445a5a5a5a45464748 ] ||
	fail "gap: $(od -An -tx1 one.bin)"
run 0 stimg bin a.bin@0x08000000 b.bin@0x08000008 --fill 0x5A --split -o p.bin
[ "$(cat p-0x08000000.bin p-0x08000008.bin)" = ABCDEFGH ] ||
	fail "--split wrote $(ls p-*)"
# it is a byte, not convert's BYTE@RANGE
run 2 stimg bin a.bin@0x08000000 --fill 0@0x08000000+16 -o x.bin
expect_err "stimg: error: --fill: '0@0x08000000+16' is not a number (0x8008000, 134250496, 32K, 1M)"

# what convert writes and bin does not take
for o in --record-size --srec-type; do
	run 2 stimg bin a.bin@0x08000000 $o 1 -o x.bin
	expect_err "stimg: error: bin: unknown option '$o'; it is an option of convert and merge"
done
run 2 stimg bin a.bin@0x08000000 --crlf -o x.bin
expect_err "stimg: error: bin: unknown option '--crlf'; it is an option of convert and merge"
run 2 stimg bin a.bin@0x08000000 -O ihex -o x.bin
expect_err "stimg: error: -O: stimg bin writes raw binary only"
run 0 stimg bin a.bin@0x08000000 -O bin -o x.bin
expect_same x.bin a.bin
exit 0
