#!/bin/sh
# make bench, part 2: stimg against srec_cat and GNU objcopy on the same
# files (SPEC section 7), one core, best of RUNS wall times, as ratios.
#
#   sh bench/tools.sh BUILD-DIR [MIB] [RUNS]
#
# The input is MIB MiB (default 16) of data at 0x08000000 in 16-byte Intel
# HEX records (46 MB of text for 16 MiB), from tests/tools/gen_image.
set -eu
build=$(cd "$1" && pwd)
mib=${2:-16}
runs=${3:-5}
stimg=$build/stimg
gen=$build/tests/tools/gen_image
objcopy=$(command -v arm-none-eabi-objcopy || command -v objcopy || true)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$gen" --big "$mib" >"$tmp/in.hex"
"$gen" --big "$mib" --raw >"$tmp/want.bin"
size=$(wc -c <"$tmp/in.hex")

# best TIMEVAR CMD...: the least wall time of $runs runs, in microseconds
best() {
	b=
	i=0
	while [ $i -lt "$runs" ]; do
		s=$(date +%s%N)
		"$@" >/dev/null 2>&1
		e=$(date +%s%N)
		t=$(((e - s) / 1000))
		if [ -z "$b" ] || [ $t -lt "$b" ]; then b=$t; fi
		i=$((i + 1))
	done
	echo "$b"
}

# peak CMD...: the peak resident set of one run, in KiB (GNU time)
peak() {
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f %M -o "$tmp/rss" "$@" >/dev/null 2>&1
		tail -n 1 "$tmp/rss"
	else
		echo "?"
	fi
}

row() { # NAME MICROSECONDS KIB
	awk -v n="$1" -v t="$2" -v s="$size" -v k="$3" \
		'BEGIN { printf "  %-28s %8.1f ms %8.0f MB/s of HEX  peak %s KiB\n", n, t / 1000, s / t, k }'
}

ratio() { # WHAT OTHER-US STIMG-US
	awk -v w="$1" -v o="$2" -v s="$3" 'BEGIN { printf "  stimg is %.1fx faster than %s\n", o / s, w }'
}

echo "Intel HEX -> BIN: $mib MiB of data, $size bytes of HEX, best of $runs"
t_s=$(best "$stimg" convert "$tmp/in.hex" -o "$tmp/s.bin")
"$stimg" convert "$tmp/in.hex" -o "$tmp/s.bin"
cmp -s "$tmp/s.bin" "$tmp/want.bin" || { echo "stimg's BIN is wrong" >&2; exit 1; }
row "stimg convert" "$t_s" "$(peak "$stimg" convert "$tmp/in.hex" -o "$tmp/s.bin")"
if [ -n "$objcopy" ]; then
	t_o=$(best "$objcopy" -I ihex -O binary "$tmp/in.hex" "$tmp/o.bin")
	row "$(basename "$objcopy")" "$t_o" "$(peak "$objcopy" -I ihex -O binary "$tmp/in.hex" "$tmp/o.bin")"
fi
if command -v srec_cat >/dev/null 2>&1; then
	set -- srec_cat "$tmp/in.hex" -intel -offset -0x08000000 -o "$tmp/c.bin" -binary
	t_c=$(best "$@")
	row "srec_cat" "$t_c" "$(peak "$@")"
fi
[ -n "$objcopy" ] && ratio "$(basename "$objcopy")" "$t_o" "$t_s"
command -v srec_cat >/dev/null 2>&1 && ratio srec_cat "$t_c" "$t_s"

echo
echo "Intel HEX -> S-record"
t_s=$(best "$stimg" convert "$tmp/in.hex" -o "$tmp/s.s19")
row "stimg convert" "$t_s" "$(peak "$stimg" convert "$tmp/in.hex" -o "$tmp/s.s19")"
if [ -n "$objcopy" ]; then
	t_o=$(best "$objcopy" -I ihex -O srec "$tmp/in.hex" "$tmp/o.s19")
	row "$(basename "$objcopy")" "$t_o" "$(peak "$objcopy" -I ihex -O srec "$tmp/in.hex" "$tmp/o.s19")"
fi
if command -v srec_cat >/dev/null 2>&1; then
	set -- srec_cat "$tmp/in.hex" -intel -o "$tmp/c.s19" -motorola
	t_c=$(best "$@")
	row "srec_cat" "$t_c" "$(peak "$@")"
fi
[ -n "$objcopy" ] && ratio "$(basename "$objcopy")" "$t_o" "$t_s"
command -v srec_cat >/dev/null 2>&1 && ratio srec_cat "$t_c" "$t_s"
exit 0
