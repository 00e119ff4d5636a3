# The acceptance case of the ELF work: a bootloader HEX covering
# 0x08000000..0x08007FFF (every byte: code, then 0xFF) merged with the
# application linked with -z max-page-size=0x10000, whose first segment
# starts at 0x08000000 with the ELF header. No byte lands below 0x08008000
# and there is no conflict; with the whole segments of the variant without
# section headers, the ELF header would overwrite the bootloader: a
# conflict that names both files, which strip --origin repairs.
. "$STIMG_TOP/tests/cli/lib.sh"
cp "$FIXTURES/boot.hex" "$FIXTURES/app-maxpage.elf" "$FIXTURES/app-nosh.elf" .

run 0 stimg merge boot.hex app-maxpage.elf -o all.hex
[ "$(cat err)" = "stimg: note: entry point 0x08008881 of app-maxpage.elf differs; keeping 0x08000041 of boot.hex" ] ||
	{ cat err; fail "merge: more than the entry point note on stderr"; }

# below 0x08008000: exactly the bootloader; from there: exactly the app
run 0 stimg convert boot.hex -o boot.bin
run 0 stimg convert all.hex --crop 0x08000000:0x08008000 -o low.bin
expect_same boot.bin low.bin
run 0 stimg convert all.hex --crop 0x08008000:0x100000000 -o high.hex --entry none
run 0 stimg convert app-maxpage.elf -o app.hex --entry none
expect_same app.hex high.hex
run 0 stimg info all.hex
grep -qxF '    0x08000000..0x0800800B       32780 bytes' out || { cat out; fail "regions"; }

# a raw binary straight from the ELF starts at the application's base,
# and the flash hint says so
run 0 stimg bin app-maxpage.elf -o app.bin
expect_err "  st-flash write app.bin 0x08008000"
[ "$(wc -c <app.bin)" -eq $((0x080088F8 - 0x08008000)) ] || fail "app.bin size"

# whole segments: the ELF header over the bootloader
run 1 stimg merge boot.hex app-nosh.elf -o bad.hex
expect_err "stimg: error: boot.hex:2 and app-nosh.elf both set 0x08000000..0x0800000F (first difference at 0x08000000: 0x00 vs 0x7F)"
[ ! -e bad.hex ] || fail "bad.hex written"
run 0 stimg strip -q app-nosh.elf --origin 0x08008000 -o fixed.hex
run 0 stimg merge boot.hex fixed.hex -o all2.hex
expect_same all.hex all2.hex
exit 0
