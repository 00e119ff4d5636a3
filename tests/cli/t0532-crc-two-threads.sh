# stimg crc of one raw binary with 8 MiB or more in the range reads it in
# two halves at once, the second in a thread of its own with a CRC of its
# own, and combines the two: the same values, -v notes and errors as the
# image (standard input, read once and never split), for every kind of
# model (reflected or not, narrow and wide, stm32's words, the sums), on
# the table path too, for odd sizes and addresses and for ranges that cut
# the file or reach past it (fill). With one processor (taskset) one
# thread reads; strace shows which (the threads that pread).
. "$STIMG_TOP/tests/cli/lib.sh"
need strace taskset
# (on a machine of one processor nothing is split: 0 threads then)
two=2
[ "$(nproc)" -ge 2 ] || two=0

# same SPEC ARGS...: stimg crc ARGS SPEC (FILE@ADDR) and the same from
# standard input: output, messages and exit status
same() {
	spec=$1
	shift
	stimg crc -v "$@" "$spec" >s.out 2>s.err
	s_st=$?
	stimg crc -v "$@" "-@${spec##*@}" <"${spec%@*}" >out 2>err
	st=$?
	[ "$s_st" = "$st" ] || fail "crc $* $spec: exit $s_st from the file, $st from an image"
	cmp -s s.out out || fail "crc $* $spec: $(cat s.out) from the file, $(cat out) from an image"
	cmp -s s.err err || { cat s.err err; fail "crc $* $spec: messages differ"; }
}

# halves ARGS...: how many threads of stimg crc ARGS (under $PIN) read a
# part of the file with pread: 2 when split, 0 when read straight through
# (whose read-ahead thread uses read)
halves() {
	# (LeakSanitizer cannot run under ptrace: off in SANITIZE builds)
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 ${PIN:-} \
		strace -f -qq -e trace=pread64 -o trace "$STIMG_BUILD/stimg" \
		crc "$@" >/dev/null || fail "strace stimg crc $*"
	# (the dynamic loader's small preads of the libraries are not ours; a
	# pread another thread interrupts ends on a "resumed" line)
	awk '/pread64/ && $NF > 65536 { print $1 }' trace | sort -u | wc -l |
		tr -d ' '
}

head -c $((8 * 1048576 + 1)) /dev/urandom >a.bin
head -c $((10 * 1048576 - 3)) /dev/urandom >b.bin

[ "$(halves a.bin@0x08000000)" = $two ] || fail "not split for 8 MiB"
[ "$(halves --range 0x08000003+8M b.bin@0x08000001)" = $two ] ||
	fail "not split for a range of 8 MiB"
[ "$(halves --range 0x08000003:0x087FFFFF b.bin@0x08000001)" = 0 ] ||
	fail "split for less than 8 MiB"
[ "$(halves --range 0x07FF0000+16M b.bin@0x08000001)" = $two ] ||
	fail "not split for 10 MiB in a range of 16"
[ "$(PIN="taskset -c 0" halves a.bin@0x08000000)" = 0 ] ||
	fail "split on one processor"

for algo in stm32 crc-32 crc-32/mpeg-2 crc-16/xmodem crc-3/gsm crc-64/xz \
	crc-82/darc sum8 sum32-neg; do
	same a.bin@0x08000000 --algo "$algo"
done
for algo in stm32 crc-32 crc-82/darc sum16-neg crc-5/usb; do
	# cut at both ends; from before the file to past it
	same b.bin@0x08000001 --algo "$algo" --range 0x08000003:0x089FFFF1
	same b.bin@0x08000001 --algo "$algo" --range 0x07FFF000+12M --fill 0x5A
done
# the table path (and zlib's for CRC-32)
for algo in stm32 crc-32 crc-82/darc; do
	STIMG_SIMD=none same b.bin@0x08000001 --algo "$algo"
done
# stm32 with --tail error: 8 MiB + 1 is not whole words, 12 MiB is
same a.bin@0x08000000 --tail error
[ "$st" = 1 ] || fail "stm32 --tail error of 8 MiB + 1: exit $st"
same a.bin@0x08000000 --tail error --range 0x08000000+12M
[ "$st" = 0 ] || fail "stm32 --tail error of 12 MiB: exit $st"
exit 0
