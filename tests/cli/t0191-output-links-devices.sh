# Issue 10, defect 2: -o follows a symbolic link and replaces its target
# atomically (the link stays); an existing output that is not a regular
# file (FIFO, device, /proc/self/fd/N) is written in place and never
# replaced; a device that refuses the bytes is exit 3 with a message.
# Device nodes are made here (as root) rather than touching /dev.
. "$STIMG_TOP/tests/cli/lib.sh"
cp "$DATA/boot.hex" "$FIXTURES/app.elf" .
run 0 stimg convert boot.hex -o want.srec

# a link, relative to its own directory, in a chain: the target replaced
mkdir -p dir/real
echo old >dir/real/boot.srec
ln -s real/boot.srec dir/link.srec
ln -s dir/link.srec chain.srec
run 0 stimg convert boot.hex -o chain.srec
expect_same want.srec dir/real/boot.srec
[ -L chain.srec ] && [ -L dir/link.srec ] || fail "a link was replaced"
ls -A . dir dir/real | grep '^\.stimg-' && fail "temporary file left behind"

# the ELF the debugger loads, patched through its link (patch -o INPUT)
mkdir build
mv app.elf build/app.elf
ln -s build/app.elf app.elf
run 0 stimg patch app.elf --version 1.2.3.4 --crc stm32 -o app.elf
[ -L app.elf ] || fail "app.elf is no longer a link"
run 0 stimg verify build/app.elf --version 1.2.3.4

# a FIFO: written in place, streaming, and still a FIFO
mkfifo fifo.hex
cat fifo.hex >got.srec &
reader=$!
stimg convert boot.hex -O srec -o fifo.hex >out 2>err
st=$?
# replaced, the FIFO would keep its reader waiting
[ -p fifo.hex ] || { kill $reader; fail "fifo.hex is no longer a FIFO"; }
wait $reader
[ $st -eq 0 ] || { cat err; fail "-o fifo.hex: exit $st"; }
expect_same want.srec got.srec

# /proc/self/fd/N (what /dev/stdout is): the descriptor written in place
run 0 stimg convert boot.hex -O srec -o /proc/self/fd/3 3>fd3.srec
expect_same want.srec fd3.srec
stimg convert boot.hex -O srec -o /proc/self/fd/1 | cat >piped.srec ||
	fail "-o /proc/self/fd/1 into a pipe"
expect_same want.srec piped.srec

# a device: written in place, never replaced; a full one is exit 3
if mknod null c 1 3 2>/dev/null && mknod full c 1 7 2>/dev/null &&
	{ : >null; } 2>/dev/null; then
	run 0 stimg convert boot.hex -O srec -o null
	[ -c null ] || fail "the device null was replaced"
	run 3 stimg convert boot.hex -O srec -o full
	expect_err "stimg: error: full: cannot write: No space left on device"
	[ -c full ] || fail "the device full was replaced"
elif [ "$(id -u)" != 0 ]; then
	# not root: /dev itself cannot be written, so no harm either way
	run 3 stimg convert boot.hex -O srec -o /dev/full
	expect_err "stimg: error: /dev/full: cannot write: No space left on device"
else
	echo "note: cannot make device nodes here; the device cases are not run"
fi
ls -A | grep '^\.stimg-' && fail "temporary file left behind"
exit 0
