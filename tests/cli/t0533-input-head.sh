# Opening an input reads only its head (64 KiB) to tell the format: an ELF
# file is then mapped whole, so `info` of a 32 MiB ELF reads no chunk of
# it and starts no read-ahead thread (it read 1.5 MiB for nothing before);
# a text file that starts with more than the head of blank lines is still
# told by its first record.
. "$STIMG_TOP/tests/cli/lib.sh"
need strace
mkelf=$TOOLS/mkelf
[ -x "$mkelf" ] || fail "$mkelf is missing (make check builds it)"
"$mkelf" big.elf seg=0x08000000,0x1000,0x2000000 sec=.text,0x08000000,0x1000,0x2000000 \
	fill=0x1000,0x2000000,0x5A || fail "mkelf"
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
	strace -f -qq -e trace=read,clone,clone3 -o trace "$STIMG_BUILD/stimg" info big.elf \
	>info.out || fail "strace stimg info big.elf"
grep -q '0x08000000..0x09FFFFFF' info.out || { cat info.out; fail "info: not the 32 MiB region"; }
# the largest read of big.elf (the loader's reads of libraries are small)
largest=$(awk '/read\(/ && $NF ~ /^[0-9]+$/ && $NF > max { max = $NF } END { print max + 0 }' trace)
[ "$largest" -le 65536 ] || { cat trace; fail "info read $largest bytes at once"; }
grep -q CLONE_THREAD trace && { cat trace; fail "info started a thread"; }

# 600 KiB of blank lines, then the records
{ awk 'BEGIN { for (i = 0; i < 600 * 1024; i++) print "" }'
  printf ':0400000001020304F2\n:00000001FF\n'; } >blank.hex
run 0 stimg info blank.hex
grep -q '^blank.hex: Intel HEX' out || { cat out err; fail "not told as Intel HEX"; }
exit 0
