# Memory is proportional to the data, never to the file or the span (issue 2,
# acceptance 3): converting a 46 MB Intel HEX file (16 MiB of data in 16-byte
# records) to BIN, S-record or HEX peaks at no more than 36 MiB, and an image
# with 2 MiB at 0x08000000 and 2 MiB at 0x90000000 (a 2.2 GiB span) costs its
# 4 MiB plus the program itself (its peak for --version, measured here:
# about 3.4 MiB with libcrypto loaded) plus at most 2 MiB (the 1 MiB input
# buffer and slack). Peak memory is the maximum resident set size that GNU
# time reports (%M, KiB); the outputs are checked too. No timing here.
#
# Under a sanitizer build the peaks are printed, not checked (shadow memory
# and quarantine are not stimg's); /usr/bin/time always measures stimg
# itself, not valgrind (VALGRIND=1 still runs the unmeasured conversions
# under valgrind).
. "$STIMG_TOP/tests/cli/lib.sh"
need /usr/bin/time srec_cmp
gen=$TOOLS/gen_image
[ -x "$gen" ] || fail "$gen is missing (make check builds it)"
bin=$STIMG_BUILD/stimg

sanitized=false
if grep -aq -e __asan_init -e __ubsan_handle -e __msan_init -e __tsan_init \
	"$bin"; then
	sanitized=true
fi

# peak CMD...: runs CMD (reading the file $pipe through a pipe, when set);
# its peak RSS in KiB goes into $peak
pipe=
peak() {
	if [ -n "$pipe" ]; then
		# shellcheck disable=SC2002 # a pipe, not a file, on purpose
		cat "$pipe" | /usr/bin/time -f %M -o rss "$@" >out 2>err
	else
		/usr/bin/time -f %M -o rss "$@" >out 2>err
	fi || { cat err; fail "'$*' failed"; }
	pipe=
	peak=$(tail -n 1 rss)
	case $peak in
	'' | *[!0-9]*) cat rss; fail "no peak from /usr/bin/time" ;;
	esac
}

# under KIB WHAT: the last peak is at most KIB KiB
under() {
	if $sanitized; then
		echo "$2: peak $peak KiB (sanitizer build: not checked)"
		return
	fi
	[ "$peak" -le "$1" ] ||
		fail "$2: peak RSS $peak KiB, more than the $1 KiB allowed"
	echo "$2: peak $peak KiB (at most $1)"
}

same() {
	srec_cmp -disable_sequence_warnings "$@" >cmp.out 2>&1 ||
		{ cat cmp.out; fail "srec_cmp $*: the data differ"; }
}

limit=$((36 * 1024))

# 16 MiB at 0x08000000 in 16-byte records: 46141452 bytes of HEX text,
# formatted exactly as stimg writes it
"$gen" --big 16 >big.hex || fail "gen_image --big 16"
"$gen" --big 16 --raw >big.raw || fail "gen_image --big 16 --raw"
[ "$(wc -c <big.hex)" -eq 46141452 ] || fail "big.hex: $(wc -c <big.hex) bytes"
[ "$(wc -c <big.raw)" -eq $((16 << 20)) ] || fail "big.raw: $(wc -c <big.raw) bytes"

peak "$bin" convert big.hex -o big.bin
under $limit "HEX -> BIN"
expect_same big.raw big.bin
rm -f big.bin

peak "$bin" convert big.hex -o big.srec
under $limit "HEX -> SREC"
same big.srec big.hex -intel
rm -f big.srec

peak "$bin" convert big.hex -o big2.hex
under $limit "HEX -> HEX"
expect_same big.hex big2.hex
rm -f big2.hex

# from a pipe: the reader's buffer does not grow with the input
pipe=big.hex
peak "$bin" convert - -o big.bin
under $limit "HEX from a pipe -> BIN"
expect_same big.raw big.bin
rm -f big.bin big.hex

# a raw binary, from a file and from a pipe
peak "$bin" convert big.raw@0x08000000 -o big3.hex
under $limit "BIN -> HEX"
# (-@ADDR after --: getopt would take it for options)
pipe=big.raw
peak "$bin" convert -o big4.hex -- -@0x08000000
under $limit "BIN from a pipe -> HEX"
expect_same big3.hex big4.hex
"$gen" --big 16 >big.hex || fail "gen_image --big 16"
expect_same big.hex big3.hex
rm -f big.hex big.raw big3.hex big4.hex

# 15.6 MiB (seed 2: 0x42E725D0..0x43E1727F) in descending address order: each record
# grows its segment at the front (headroom there) and would cost an origin
# run of its own (dropped past their budget); still within the limit
"$gen" -s 2 -p wide -n 1 -m 16777216 -A 16 --reverse >rev.hex ||
	fail "gen_image --reverse"
"$gen" -s 2 -p wide -n 1 -m 16777216 -A 16 >fwd.hex || fail "gen_image"
peak "$bin" convert rev.hex -o rev.bin
under $limit "descending HEX -> BIN"
run 0 stimg convert fwd.hex -o fwd.bin
expect_same fwd.bin rev.bin
rm -f rev.hex fwd.hex rev.bin fwd.bin

# 2 MiB at 0x08000000 and 2 MiB at 0x90000000: 4 MiB of data in a span of
# 0x88200000 bytes, beside the program's own peak (its libraries loaded);
# converted, the file (11 MB) is read in halves, the second's 2 MiB held
# until the first is written
peak "$bin" --version
program=$peak
echo "the program itself (--version): peak $program KiB"
"$gen" --far 2 >far.hex || fail "gen_image --far 2"
data=$((4 * 1024 + program))
peak "$bin" convert far.hex -o far2.hex
under $((data + 2048 + 2048)) "far HEX -> HEX"
expect_same far.hex far2.hex
peak "$bin" convert far.hex -o far.srec
under $((data + 2048 + 2048)) "far HEX -> SREC"
same far.srec far.hex -intel
peak "$bin" info far.hex
under $((data + 2048)) "far info"
grep -q '^    0x90000000..0x901FFFFF     2097152 bytes$' out ||
	{ cat out; fail "far info: no region at 0x90000000"; }
# and back through the wrapper (valgrind under VALGRIND=1)
run 0 stimg convert far.srec -o far3.hex
expect_same far.hex far3.hex
# a binary of the whole span is refused, not written
run 1 stimg convert far.hex -o far.bin
[ ! -e far.bin ] || fail "far.bin was written"
rm -f far.hex far2.hex far.srec far3.hex

# 2,000,000 isolated 1-byte records, one every 2 bytes (issue 10, defect 8:
# 222 MB for 2 MB of data): SPEC 7's 1.25 x payload + 16 MiB, as merge
# (the image and every record's origin) and as info (which lists each of
# the 2,000,000 regions and 1,999,999 gaps without gathering them)
printf 'BEGIN { for (i = 0; i < 2000000; i++) ihex_byte(134217728 + 2 * i, i %% 251); ihex_eof() }\n' >iso.awk
awk -f "$TOP/tests/cli/ihex.awk" -f iso.awk >iso.hex || fail "iso.hex"
iso_limit=$((2000000 * 5 / 4 / 1024 + 16 * 1024))
peak "$bin" merge iso.hex -o iso2.hex
under $iso_limit "2,000,000 isolated records, merge"
expect_same iso.hex iso2.hex
peak "$bin" info iso.hex
under $iso_limit "2,000,000 isolated records, info"
grep -qx '  data          2000000 bytes in 2000000 region(s)' out ||
	{ sed -n 1,4p out; fail "info: not 2000000 regions"; }
exit 0
