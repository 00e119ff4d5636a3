# Issue 10, defect 9: an input that is not a regular file (a FIFO,
# standard input) is read once, never opened again. A conflict's origin,
# when the image has dropped its origin runs (records far out of order),
# was looked up by reading the inputs again: on a FIFO that waited forever.
# Now the earlier side is "an earlier record of NAME".
. "$STIMG_TOP/tests/cli/lib.sh"

# 40000 one-byte records in descending order (each its own origin run:
# past the budget the runs are dropped), then one that differs from the
# first of them
cat >gen.awk <<'EOF'
BEGIN {
	for (i = 0; i < 40000; i++) ihex_byte(134283263 - i, 1)
	ihex_byte(134283263, 2)
	ihex_eof()
}
EOF
awk -f "$TOP/tests/cli/ihex.awk" -f gen.awk >conflict.hex

mkfifo in.hex
cat conflict.hex >in.hex &
timeout 20 "$STIMG_BUILD/stimg" info in.hex >out 2>err
st=$?
wait
[ $st -ne 124 ] || fail "stimg info on a FIFO: still waiting after 20 s"
[ $st -eq 1 ] || { cat err; fail "info in.hex: exit $st, expected 1"; }
expect_err "stimg: error: an earlier record of in.hex and in.hex:40002 both set 0x0800FFFF..0x0800FFFF (first difference at 0x0800FFFF: 0x01 vs 0x02)"

# standard input likewise, and a regular file is read again for the line
timeout 20 "$STIMG_BUILD/stimg" info - <conflict.hex >out 2>err
[ $? -eq 1 ] || { cat err; fail "info -: not exit 1"; }
expect_err "stimg: error: an earlier record of <stdin> and <stdin>:40002 both set 0x0800FFFF..0x0800FFFF (first difference at 0x0800FFFF: 0x01 vs 0x02)"
run 1 stimg info conflict.hex
expect_err "stimg: error: conflict.hex:2 and conflict.hex:40002 both set 0x0800FFFF..0x0800FFFF (first difference at 0x0800FFFF: 0x01 vs 0x02)"

# an ELF output is patched from the input file, read again: not from a
# FIFO, which would wait for a writer that is gone; a HEX output is fine
cp "$FIXTURES/app.elf" .
mkfifo app.fifo
cat app.elf >app.fifo &
timeout 20 "$STIMG_BUILD/stimg" patch app.fifo --crc stm32 -o out.elf >out 2>err
st=$?
wait
[ $st -ne 124 ] || fail "patch of a FIFO to ELF: still waiting after 20 s"
[ $st -eq 2 ] || { cat err; fail "patch app.fifo -o out.elf: exit $st, expected 2"; }
expect_err "stimg: error: 'app.fifo' is not a regular file: an ELF file is patched from the file, read again; give a file's name"
[ ! -e out.elf ] || fail "out.elf written"
cat app.elf >app.fifo &
timeout 20 "$STIMG_BUILD/stimg" patch app.fifo --crc stm32 -o out.hex >out 2>err ||
	{ cat err; fail "patch app.fifo -o out.hex"; }
wait
exit 0
