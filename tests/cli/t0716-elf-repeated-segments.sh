# Hostile ELF files (issue 10, the class of defect 5): thousands of
# program headers over the same megabyte of the file cost the file once.
# Each segment's dropped bytes were scanned, and each copy of the same
# bytes compared again, so a 2 MB file took minutes; segments that map
# the file alike now load as one, and the scan for a dropped range's
# reason counts per block. The binary itself runs, under a time limit.
. "$STIMG_TOP/tests/cli/lib.sh"
mkelf=$TOOLS/mkelf
[ -x "$mkelf" ] || fail "$mkelf is missing (make check builds it)"

# 30000 segments, each the same 1 MiB at 0x08000000, holding no section:
# all dropped, each with its reason
awk 'BEGIN { for (i = 0; i < 30000; i++) print "seg=134217728,1048576,1048576" }' |
	"$mkelf" nosec.elf - fill=2097136,16,0x11 || fail "mkelf nosec.elf"
timeout 5 "$STIMG_BUILD/stimg" info nosec.elf >out 2>err ||
	{ cat err; fail "info of 30000 segments without sections: not within 5 s"; }
grep -qxF "  stripped      30000 range(s)" out || fail "not 30000 stripped ranges"
grep -qxF "    0x08000000..0x080FFFFF (1 MiB): other bytes of segment 29999, which holds no section, not flashed" out ||
	{ grep 29999 out; fail "the reason of segment 29999"; }

# without section headers whole segments load: 30000 times the same
# 1 MiB and 1000 more that start later along the same mapping, each
# compared with the image again before; now loaded once
awk 'BEGIN {
	for (i = 0; i < 30000; i++) print "seg=134217728,1048576,1048576"
	for (i = 1; i <= 1000; i++)
		printf "seg=%d,%d,%d\n", 134217728 + 16 * i, 1048576 + 16 * i,
			1048576 - 16 * i
}' | "$mkelf" -n nosh.elf - fill=1048576,1048576,0x22 || fail "mkelf nosh.elf"
timeout 5 "$STIMG_BUILD/stimg" convert -q nosh.elf -o nosh.bin >out 2>err ||
	{ cat err; fail "convert of 31000 segments: not within 5 s"; }
[ "$(wc -c <nosh.bin)" -eq 1048576 ] || fail "nosh.bin: $(wc -c <nosh.bin) bytes"
exit 0
