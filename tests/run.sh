#!/bin/sh
# Runs every unit test and CLI test against the build in $1 and prints
# "N passed, N failed". A CLI test exits 0 (pass), 77 (skip: a tool it needs
# is missing) or anything else (fail); with CI=true a skip is a failure.
# Skips make the last line "N passed, N failed, N skipped: TESTS; 'COMMAND'
# runs them", COMMAND installing the Debian packages the tests named.
# VALGRIND=1 runs the CLI tests' stimg under valgrind.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-build}" && pwd)
export STIMG_BUILD="$build"
export STIMG_TOP="$top"
pass=0 fail=0 skip=0
failed= skipped= skipped_out=

log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT

result() { # name status output-file
	case $2 in
	0) pass=$((pass + 1)); echo "ok   $1" ;;
	77)
		if [ "${CI:-}" = true ]; then
			fail=$((fail + 1)); failed="$failed $1"
			echo "FAIL $1 (skipped, and CI=true forbids skips)"
		else
			skip=$((skip + 1)); echo "skip $1"
			skipped="$skipped $1" skipped_out="$skipped_out $3"
		fi
		sed 's/^/     /' "$3" ;;
	*)
		fail=$((fail + 1)); failed="$failed $1"
		echo "FAIL $1 (exit $2)"
		sed 's/^/     /' "$3" ;;
	esac
}

# Every test is a line "NUMBER NAME COMMAND-PATH" of the list; they run
# JOBS at a time (default: one per CPU), each into its own NUMBER.out and
# NUMBER.rc, and are reported in the list's order.
n=0
if [ -z "${VALGRIND:-}" ]; then
	for t in "$build"/tests/unit/test_*; do
		[ -x "$t" ] || continue
		n=$((n + 1))
		echo "$n unit/$(basename "$t") $t" >>"$log/list"
	done
fi
for t in "$top"/tests/cli/t[0-9]*.sh; do
	[ -f "$t" ] || continue
	n=$((n + 1))
	echo "$n cli/$(basename "$t" .sh) $t" >>"$log/list"
done
export LOG="$log"
[ -f "$log/list" ] && xargs -P "${JOBS:-$(nproc 2>/dev/null || echo 1)}" -L 1 \
	sh -c 'case $2 in
	unit/*) "$3" ;;
	*) cd "$LOG" && sh "$3" ;;
	esac >"$LOG/$1.out" 2>&1; echo $? >"$LOG/$1.rc"' sh <"$log/list"
while read -r i name t; do
	result "$name" "$(cat "$log/$i.rc")" "$log/$i.out"
done <"$log/list"

echo
[ -n "$failed" ] && echo "failed:$failed"
if [ "$skip" -gt 0 ]; then
	# the packages the skipped tests named (lib.sh's need), once each
	pkgs=$(sed -n 's/^needs .*: apt-get install //p' $skipped_out |
		tr ' ' '\n' | sort -u | tr '\n' ' ')
	if [ "$(id -u)" = 0 ]; then sudo=; else sudo="sudo "; fi
	echo "$pass passed, $fail failed, $skip skipped:$skipped;" \
		"'${sudo}apt-get install --no-install-recommends ${pkgs% }' runs them"
else
	echo "$pass passed, $fail failed"
fi
[ "$fail" -eq 0 ]
