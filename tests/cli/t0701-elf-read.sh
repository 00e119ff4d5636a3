# ELF input without other tools (the bincopy corpus's gcc.elf is checked in
# t0400): standard input works, a file without section headers
# loads whole segments with a warning, ELF written reads back the same, and a
# malformed file is an error naming it, exit 1, nothing written.
. "$STIMG_TOP/tests/cli/lib.sh"
cp "$FIXTURES"/*.elf .

# standard input, and -I elf
run 0 stimg convert app-maxpage.elf -o file.hex
stimg convert -o stdin.hex - <app-maxpage.elf 2>err || { cat err; fail "stdin"; }
expect_same file.hex stdin.hex
stimg convert -I elf -o forced.hex - <app-maxpage.elf || fail "-I elf"
expect_same file.hex forced.hex

# no section headers: whole segments, ELF header included, and a warning
run 0 stimg convert app-nosh.elf --crop 0x08000000:0x08008000 -o head.bin
expect_err "stimg: warning: app-nosh.elf: no section headers: loading whole segments, with any ELF header, program headers and padding they hold"
head -c 32768 app-nosh.elf >want.bin
expect_same want.bin head.bin
run 0 stimg convert -q app-nosh.elf --exclude 0x08000000:0x08008000 -o rest.hex
[ ! -s err ] || fail "-q: a warning printed"
expect_same file.hex rest.hex

# written as an ELF of its own (t1120 has more), the load image stays
run 0 stimg convert app-maxpage.elf -o x.elf
run 0 stimg convert x.elf -o x.hex
expect_same file.hex x.hex
ls -A | grep -q '^\.stimg-' && fail "temporary file left behind"

# malformed: exit 1, the file named, no output
head -c 5000 app.elf >cut.elf
run 1 stimg convert cut.elf -o cut.hex
expect_err "stimg: error: cut.elf: 13 section headers at offset 0x239C run past the end of the file (5000 bytes)"
[ ! -e cut.hex ] || fail "cut.hex written"
head -c 30 app.elf >short.elf
run 1 stimg info short.elf
expect_err "stimg: error: short.elf: truncated: 30 bytes, less than the 52-byte ELF file header"
# an object file: e_type (2 bytes at 16) set to ET_REL
cp app.elf rel.elf
printf '\001\000' | dd of=rel.elf bs=1 seek=16 conv=notrunc 2>/dev/null
run 1 stimg info rel.elf
expect_err "stimg: error: rel.elf: an object file (ET_REL), not a linked image"
exit 0
