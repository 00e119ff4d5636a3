# stimg strip: the default origin of an ELF, --origin and --end, what it
# reports on stderr, output formats, and its usage errors.
. "$STIMG_TOP/tests/cli/lib.sh"
cp "$FIXTURES"/*.elf "$FIXTURES/boot.hex" .

# ELF: origin = the lowest section (0x08008000); the reader already left
# the header page out, and strip says so
run 0 stimg strip app-maxpage.elf -o s.hex
expect_err "stimg: note: app-maxpage.elf: dropped 0x08000000..0x08007FFF (32 KiB): ELF file header, program headers and padding before the first section of segment 0"
[ "$(wc -l <err)" -eq 1 ] || { cat err; fail "more on stderr"; }
run 0 stimg convert app-maxpage.elf -o c.hex
expect_same c.hex s.hex
run 0 stimg strip -q app-maxpage.elf -o s.hex
[ ! -s err ] || { cat err; fail "-q: stderr not empty"; }

# nothing to drop
run 0 stimg strip app.elf -o a.bin
[ "$(cat err)" = "stimg: note: app.elf: nothing dropped" ] || { cat err; fail "app.elf"; }

# without section headers there is no lowest section: the header page
# stays unless --origin drops it, and then its bytes are a warning
run 0 stimg strip app-nosh.elf -o n.hex
expect_err "stimg: note: app-nosh.elf: nothing dropped"
run 0 stimg strip app-nosh.elf --origin 0x08008000 -o n.hex
expect_err "stimg: note: app-nosh.elf: dropped 0x08000000..0x08007FFF (32 KiB): below the origin 0x08008000"
grep -q '^stimg: warning: dropped bytes at 0x08000000..0x08007FFF are not all 0x00 or 0xFF: [0-9]* differ, the first 0x7F at 0x08000000$' err ||
	{ cat err; fail "no warning about the header's bytes"; }
expect_same c.hex n.hex

# HEX input, --end, -O
run 0 stimg merge boot.hex app.elf -o all.hex
run 0 stimg strip all.hex --origin 0x08008000 --end 0x08008800 -O bin -o hdr
expect_err "stimg: note: all.hex: dropped 0x08000000..0x08007FFF (32 KiB): below the origin 0x08008000"
expect_err "stimg: note: all.hex: dropped 0x08008800..0x080088F7 (248 bytes): at or above the end 0x08008800"
printf '\001\000\002\000\003\000\004\000\377\377\377\377' >want
expect_same want hdr
# dropped erased flash (0xFF) is no warning
run 0 stimg convert boot.hex --crop 0x08007000:0x08008000 -o ff.hex
run 0 stimg strip ff.hex --origin 0x08008000 -o none.hex
grep -q warning err && { cat err; fail "0xFF dropped with a warning"; }

# usage errors: exit 2, nothing written
run 2 stimg strip app.elf
expect_err "stimg: error: no output: give -o OUTPUT"
run 2 stimg strip app.elf app-keil.elf -o x.hex
expect_err "stimg: error: one input file, not 2"
run 2 stimg strip -o x.hex
run 2 stimg strip app.elf --origin 0x08008000 --end 0x08008000 -o x.hex
expect_err "stimg: error: --origin 0x08008000 is not below --end 0x08008000"
run 2 stimg strip app.elf --end 0x08000000 -o x.hex
expect_err "stimg: error: --end 0x08000000 is not above the origin 0x08008000, the lowest section of 'app.elf'"
run 2 stimg strip app.elf --origin banana -o x.hex
run 2 stimg strip app.elf -o x.weird
[ ! -e x.hex ] || fail "output written"
# an ELF output is a new ELF of what is left
run 0 stimg strip app.elf -o x.elf
run 0 stimg strip app.elf -o x.hex
run 0 stimg convert x.elf -o back.hex
expect_same x.hex back.hex
run 0 stimg strip --help
grep -q -- '--origin ADDR' out || fail "--help"
exit 0
