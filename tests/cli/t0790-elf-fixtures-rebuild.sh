# The committed fixtures in tests/fixtures still come from their sources:
# build.sh rebuilds them here, and what stimg reads from each (the load
# image, its sections, stripped ranges and header fields) must not have
# changed. File offsets may differ between linker versions and are not
# compared; the sources are assembler and data, so the bytes should not.
. "$STIMG_TOP/tests/cli/lib.sh"
need arm-none-eabi-gcc
need arm-none-eabi-objcopy

sh "$FIXTURES/build.sh" rebuilt >build.log 2>&1 ||
	{ cat build.log; fail "tests/fixtures/build.sh failed"; }
[ ! -s build.log ] || { cat build.log; fail "build.sh printed messages"; }

# what stimg reads from ELF file $1 in folder $2, without the segment
# table (its file offsets)
view() {
	(cd "$2" && stimg info "$1" 2>&1 && stimg convert "$1" -o - -O ihex 2>&1) |
		sed '/^  segments/,/^  sections/{/^  sections/!d}'
}

bad=
for f in app.elf app-maxpage.elf app-keil.elf app-nosh.elf; do
	view $f "$FIXTURES" >committed
	view $f rebuilt >now
	if ! cmp -s committed now; then
		diff committed now | sed -n 1,40p
		bad="$bad $f"
	fi
done
cmp -s "$FIXTURES/boot.hex" rebuilt/boot.hex || bad="$bad boot.hex"
if [ -n "$bad" ]; then
	echo "committed: $(tr '\n' ' ' <"$FIXTURES/TOOLCHAIN")"
	echo "rebuilt:   $(tr '\n' ' ' <rebuilt/TOOLCHAIN)"
	fail "rebuilt fixtures differ from the committed ones:$bad; if the" \
		"change is meant, run 'sh tests/fixtures/build.sh' and commit"
fi
exit 0
