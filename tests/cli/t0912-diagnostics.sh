# Issue 10, defect 20: diagnostics. --set at an address whose field runs
# past 4 GiB names the address and the option; a number past 64 bits does
# not fit (it is a number); section names with control characters are
# printed escaped, as git does; the flash hints quote file names for the
# shell.
. "$STIMG_TOP/tests/cli/lib.sh"
mkelf=$TOOLS/mkelf
[ -x "$mkelf" ] || fail "$mkelf is missing (make check builds it)"

cp "$FIXTURES/app.elf" .
run 2 stimg patch app.elf --set 0xFFFFFFFE=u32:1 -o out.hex
expect_err "stimg: error: the --set field at 0xFFFFFFFE is 4 bytes and runs past the 32-bit address space"
run 2 stimg patch app.elf --set 0x08008008=u64:18446744073709551616 -o out.hex
expect_err "stimg: error: --set: 18446744073709551616 does not fit (at most 18446744073709551615)"

# a section name with ESC [ 2 J (clear the screen) and a newline
esc=$(printf '.evil\033[2J')
nl=".two
lines"
"$mkelf" names.elf seg=0x08000000,0x100,0x20 "sec=$esc,0x08000000,0x100,0x10" \
	"sec=$nl,0x08000010,0x110,0x10"
run 0 stimg info names.elf
grep -qF '    .evil\033[2J      0x08000000..0x0800000F' out ||
	{ cat out; fail "info: the name not escaped"; }
grep -qF '    .two\nlines       0x08000010..0x0800001F' out ||
	{ cat out; fail "info: the newline not escaped"; }
if grep -q "$(printf '\033')" out err; then fail "an ESC reached the terminal"; fi
run 1 stimg patch names.elf --crc stm32 -o out.hex
expect_err "stimg: error: no section '.crc' in the input (sections that load: .evil\\033[2J, .two\\nlines); give --crc-at LOC"

# the flash hints: a name with a blank and a quote, quoted for the shell
run 0 stimg bin app.elf --base 0x08008800 -o "my app's.bin"
expect_err "  st-flash write 'my app'\\''s.bin' 0x08008800"
expect_err "  openocd -f interface/stlink.cfg -f target/<chip>.cfg -c 'program {my app'\\''s.bin} 0x08008800 verify reset exit'"
expect_err "  STM32_Programmer_CLI -c port=SWD -w 'my app'\\''s.bin' 0x08008800 -v"
expect_err "  dfu-util -a 0 -s 0x08008800:leave -D 'my app'\\''s.bin'"
# a plain name as before
run 0 stimg bin app.elf --base 0x08008800 -o app.bin
expect_err '  openocd -f interface/stlink.cfg -f target/<chip>.cfg -c "program app.bin 0x08008800 verify reset exit"'
exit 0
