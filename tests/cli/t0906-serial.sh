# stimg serial: K outputs named from the pattern, each with its serial
# number at LOC and, when asked, the CRC re-patched; patterns need one %u
# for K > 1 and no % but %u and %%; serial numbers that do not fit --type
# are refused before anything is written.
. "$STIMG_TOP/tests/cli/lib.sh"
cp "$FIXTURES/app.elf" .
run 0 stimg convert app.elf -o app.hex

# at FILE OFFSET N: N bytes at OFFSET of FILE in hex
at() {
	od -An -tx1 -j "$2" -N "$3" "$1" | tr -d ' \n'
}

# three BIN outputs (from 0x08008000), u32 at the symbol counter
# (0x080088F4: offset 0x8F4), the CRC re-patched in each
run 0 stimg serial app.elf --at counter --first 1000 --count 3 --step 7 \
	--crc stm32 -o 'dev-%u.bin'
cat >want <<'X'
stimg: note: wrote dev-1000.bin: serial 1000 at counter, CRC re-patched
stimg: note: wrote dev-1007.bin: serial 1007 at counter, CRC re-patched
stimg: note: wrote dev-1014.bin: serial 1014 at counter, CRC re-patched
X
expect_same err want
[ "$(ls dev-*)" = "$(printf 'dev-1000.bin\ndev-1007.bin\ndev-1014.bin')" ] ||
	fail "outputs: $(ls dev-*)"
[ "$(at dev-1000.bin $((0x8F4)) 4)" = e8030000 ] || fail "1000: $(at dev-1000.bin $((0x8F4)) 4)"
[ "$(at dev-1007.bin $((0x8F4)) 4)" = ef030000 ] || fail "1007: $(at dev-1007.bin $((0x8F4)) 4)"
[ "$(at dev-1014.bin $((0x8F4)) 4)" = f6030000 ] || fail "1014: $(at dev-1014.bin $((0x8F4)) 4)"
for n in 1000 1007 1014; do
	run 0 stimg verify "dev-$n.bin@0x08008000" --crc-at 0x08008008+4 \
		--crc-range 0x08008800:0x080088F8
	# the same as patching that one number by hand
	run 0 stimg patch app.elf --set "counter=u32:$n" --crc stm32 -o "hand-$n.bin"
	expect_same "dev-$n.bin" "hand-$n.bin"
done
# only the serial and the CRC differ between two outputs
cmp -l dev-1000.bin dev-1007.bin | awk '{ o = $1 - 1; if (!((o >= 8 && o < 12) || (o >= 2292 && o < 2296))) print "offset " o }' >outside
[ ! -s outside ] || { cat outside; fail "outputs differ outside the serial and the CRC"; }
[ "$(at dev-1000.bin 8 4)" != "$(at dev-1007.bin 8 4)" ] || fail "CRC not re-patched"

# ELF outputs: in-place patches of copies of the input; verify each
run 0 stimg serial app.elf --at counter --first 5 --count 2 --crc stm32 \
	--version 3.1.0.0 -o 'unit%u.elf'
for n in 5 6; do
	run 0 stimg verify "unit$n.elf" --version 3.1.0.0
	cmp -l app.elf "unit$n.elf" | awk '{ o = $1 - 1; if (!((o >= 4096 && o < 4108) || (o >= 8208 && o < 8212))) print "offset " o }' >outside
	[ ! -s outside ] || { cat outside; fail "unit$n.elf: bytes outside the fields changed"; }
done
[ "$(at unit6.elf $((0x2010)) 4)" = 06000000 ] || fail "unit6.elf: $(at unit6.elf $((0x2010)) 4)"
[ "$(at unit6.elf $((0x1000)) 8)" = 0300010000000000 ] || fail "unit6.elf version"

# HEX outputs, a serial past the data: the CRC's default range grows to
# cover it; big-endian u16; %% is a percent sign
run 0 stimg serial app.hex --at 0x080088F8 --first 0x1234 --count 2 \
	--type u16be --crc stm32 --crc-at 0x08008008+4 -o 'lot%%-%u.hex'
[ -f lot%-4660.hex ] && [ -f lot%-4661.hex ] || fail "outputs: $(ls lot*)"
# (and the word tail the stm32 CRC read after it, 0xFF)
run 0 stimg bin -q lot%-4661.hex --base 0x080088F8 -o s.bin
[ "$(at s.bin 0 4)" = 1235ffff ] || fail "u16be: $(at s.bin 0 4)"
run 0 stimg verify lot%-4661.hex --crc-at 0x08008008+4 -v
expect_err "stimg: note: stm32 0x$(stimg crc --range 0x08008800:0x080088FC lot%-4661.hex | cut -c3-) of 0x08008800..0x080088FB matches the CRC stored at 0x08008008"

# --type str: the number as text, NUL-terminated; one output without %u
run 0 stimg serial app.hex --at 0x08008900 --first 42 --type str -o one.hex
expect_err "stimg: note: wrote one.hex: serial 42 at 0x08008900"
run 0 stimg bin -q one.hex --base 0x08008900 -o s.bin
[ "$(at s.bin 0 3)" = 343200 ] || fail "str: $(at s.bin 0 3)"
# u8, u64
run 0 stimg serial app.hex --at 0x08008900 --first 255 --type u8 -o u8.hex
run 0 stimg bin -q u8.hex --base 0x08008900 -o s.bin
[ "$(at s.bin 0 1)" = ff ] || fail "u8: $(at s.bin 0 1)"
run 0 stimg serial app.hex --at 0x08008900 --first 0x0102030405060708 --type u64 -o u64.hex
run 0 stimg bin -q u64.hex --base 0x08008900 -o s.bin
[ "$(at s.bin 0 8)" = 0807060504030201 ] || fail "u64: $(at s.bin 0 8)"

# patterns
run 2 stimg serial app.elf --at counter --first 1 --count 2 -o dev.hex
expect_err "stimg: error: -o: 'dev.hex' needs one %u for the serial number, to name several outputs (and no other % than %%)"
run 2 stimg serial app.elf --at counter --first 1 -o 'dev-%d.hex'
expect_err "stimg: error: -o: 'dev-%d.hex' needs one %u for the serial number (and no other % than %%)"
run 2 stimg serial app.elf --at counter --first 1 --count 2 -o 'dev-%s-%u.hex'
expect_err "stimg: error: -o: 'dev-%s-%u.hex' needs one %u for the serial number, to name several outputs (and no other % than %%)"
run 2 stimg serial app.elf --at counter --first 1 --count 2 -o 'dev-%u-%u.hex'
run 2 stimg serial app.elf --at counter --first 1 -o 'dev-%'
expect_err "stimg: error: -o: 'dev-%' needs one %u for the serial number (and no other % than %%)"

# serial numbers that do not fit --type: refused before anything is written
# (in an empty folder: only run's out and err appear)
mkdir empty && cd empty || fail "mkdir"
run 2 stimg serial ../app.elf --at counter --first 250 --count 10 --type u8 -o 'x%u.hex'
expect_err "stimg: error: serial numbers from 250 by 1 for 10 outputs do not fit u8"
run 2 stimg serial ../app.elf --at counter --first 0xFFFFFFFF --count 2 -o 'x%u.hex'
expect_err "stimg: error: serial numbers from 4294967295 by 1 for 2 outputs do not fit u32"
run 2 stimg serial ../app.elf --at counter --first 0 --count 3 --step 0x80000000 -o 'x%u.hex'
expect_err "stimg: error: serial numbers from 0 by 2147483648 for 3 outputs do not fit u32"
run 2 stimg serial ../app.elf --at counter --first 65536 --type u16 -o 'x%u.hex'
expect_err "stimg: error: --first: 65536 does not fit u16"
run 2 stimg serial ../app.elf --at counter --first 1 --type u24 -o 'x%u.hex'
expect_err "stimg: error: --type: 'u24' is not u8, u16, u32, u64, u16be, u32be, u64be or str"
run 2 stimg serial ../app.elf --at counter --first 1 --count 0 -o 'x%u.hex'
expect_err "stimg: error: --count: at least 1"
run 2 stimg serial ../app.elf --first 1 -o 'x%u.hex'
expect_err "stimg: error: give INPUT, --at LOC, --first N and -o PATTERN"
run 2 stimg serial ../app.elf --at counter -o 'x%u.hex'
expect_err "stimg: error: give INPUT, --at LOC, --first N and -o PATTERN"
run 2 stimg serial ../app.elf --at counter --first 1
expect_err "stimg: error: give INPUT, --at LOC, --first N and -o PATTERN"
# the last number that fits is fine
run 0 stimg serial ../app.elf --at counter --first 246 --count 10 --type u8 -o 'x%u.bin'
[ "$(ls x* | wc -l)" = 10 ] || fail "$(ls)"
# (a u8 into the 4-byte counter: its first byte, the rest cleared)
[ "$(at x255.bin $((0x8F4)) 4)" = ff000000 ] || fail "x255: $(at x255.bin $((0x8F4)) 4)"
rm -f x*.bin
# a LOC an ELF output cannot take: an error, no output
run 1 stimg serial ../app.elf --at 0x080088F8 --first 1 --count 2 -o 'x%u.elf'
expect_err "stimg: error: ../app.elf: 0x080088F8 is in no section's file data: an ELF output can change only the bytes of sections"
run 1 stimg serial ../app.elf --at serial_no --first 1 -o 'x%u.hex'
expect_err "stimg: error: no section or symbol 'serial_no' in the input (sections that load: .fw_version, .crc, .isr_vector, .text, .rodata, .data)"
[ "$(ls -A | tr '\n' ' ')" = "err out " ] || fail "written on error: $(ls -A)"
exit 0
