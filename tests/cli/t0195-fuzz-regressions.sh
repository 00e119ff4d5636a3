# Every fuzz target (tests/fuzz/fuzz_TARGET.c) replayed, without libFuzzer,
# on its saved findings (tests/data/fuzz/TARGET/: each was a crash, a hang
# or a broken invariant once, and has a test of its own that shows it) and
# on the fixtures its corpus starts from.
# In the sanitizer builds the replay runs sanitized; under VALGRIND=1
# under valgrind.
. "$STIMG_TOP/tests/cli/lib.sh"

found=0
for src in "$TOP"/tests/fuzz/fuzz_*.c; do
	t=$(basename "$src" .c)
	t=${t#fuzz_}
	bin=$STIMG_BUILD/tests/fuzz/replay-$t
	[ -x "$bin" ] || fail "$bin is missing (make check builds it)"
	set --
	for f in "$TOP"/tests/data/fuzz/"$t"/*; do
		[ -f "$f" ] && set -- "$@" "$f"
	done
	case $t in
	ihex) set -- "$@" "$DATA"/*.hex "$FIXTURES/boot.hex" ;;
	elf | patch) set -- "$@" "$FIXTURES"/*.elf "$TOP/examples/app.elf" ;;
	roundtrip) set -- "$@" "$DATA"/*.hex "$FIXTURES"/*.elf ;;
	dfu)
		stimg convert -q "$FIXTURES/boot.hex" -o boot.dfu || fail "boot.dfu"
		set -- "$@" boot.dfu ;;
	uf2)
		stimg convert -q "$FIXTURES/boot.hex" -o boot.uf2 \
			--uf2-family stm32f4 || fail "boot.uf2"
		set -- "$@" boot.uf2 ;;
	esac
	[ $# -gt 0 ] || continue
	found=$((found + $#))
	# a finding may have been a hang: a limit, generous for valgrind
	if [ -n "${VALGRIND:-}" ]; then
		timeout 600 valgrind -q --error-exitcode=99 --leak-check=full \
			--errors-for-leak-kinds=definite "$bin" "$@" >out 2>err
	else
		timeout 300 "$bin" "$@" >out 2>err
	fi || { cat err; fail "replay-$t: exit $? on one of: $*"; }
	echo "replay-$t: $# input(s)"
done
[ $found -gt 0 ] || fail "no inputs replayed"
exit 0
