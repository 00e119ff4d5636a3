#!/bin/bash
# make bench, the end-to-end part: stimg against GNU objcopy, srec_cat, a
# zlib program, cat and a floor program (read the input, write an output
# of the same size, nothing else) on the same files, SPEC 7's cases. Each
# pair of commands runs alternately (A B A B ...), RUNS times each after a
# warm-up; a command's time is the median of its wall times, its memory
# the largest peak resident set GNU time saw. Every output is checked
# against the other tool's (or a reference), so a fast wrong answer fails.
# Ratios, not single times, are what the targets speak of.
#
#   bash bench/run.sh BUILD-DIR [RUNS]
set -eu
# (a decimal point in EPOCHREALTIME and in awk's numbers)
export LC_ALL=C
build=$(cd "$1" && pwd)
runs=${2:-7}
top=$(cd "$(dirname "$0")/.." && pwd)
stimg=$build/stimg
gen=$build/tests/tools/gen_image
mkelf=$build/tests/tools/mkelf
floor=$build/bench/floor
zcrc=$build/bench/zcrc
objcopy=$(command -v arm-none-eabi-objcopy || true)
srec_cat=$(command -v srec_cat || true)
for t in "$stimg" "$gen" "$mkelf" "$floor" "$zcrc"; do
	[ -x "$t" ] || { echo "bench: $t is missing (make bench builds it)" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { echo "bench: needs GNU time (Debian: time)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
failed=0

# now: the time in seconds, read by the shell itself (bash 5) rather than
# by a date process on each side of the command, whose start-up (about a
# millisecond each) would count in every time and pull every ratio to 1
if [ -n "${EPOCHREALTIME:-}" ]; then
	now() { t=$EPOCHREALTIME; }
else
	now() { t=$(date +%s.%N); }
fi

# once CMD...: one run; sets ms (wall, milliseconds) and kib (peak RSS).
# Outputs go to out/, emptied before each run: every tool creates its
# file (none replaces an old one, which ext4 makes some of them flush).
once() {
	local s
	rm -rf out
	mkdir out
	now
	s=$t
	/usr/bin/time -f %M -o rss.txt "$@" >/dev/null 2>run.err ||
		{ cat run.err >&2; echo "bench: '$*' failed" >&2; exit 1; }
	now
	ms=$(awk -v a="$s" -v b="$t" 'BEGIN { printf "%.3f", (b - a) * 1000 }')
	kib=$(tail -n 1 rss.txt)
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# pair "A" "B": A and B (each a command line) alternately, runs times each
# after one warm-up of each; sets a_ms, b_ms (medians), a_kib, b_kib (max)
pair() {
	local i
	: >a.ms
	: >b.ms
	a_kib=0 b_kib=0
	eval "once $1"
	eval "once $2"
	for i in $(seq "$runs"); do
		eval "once $1"
		echo "$ms" >>a.ms
		[ "$kib" -gt "$a_kib" ] && a_kib=$kib
		eval "once $2"
		echo "$ms" >>b.ms
		[ "$kib" -gt "$b_kib" ] && b_kib=$kib
	done
	a_ms=$(median <a.ms)
	b_ms=$(median <b.ms)
}

# row CASE WHAT RATIO-TEXT TARGET-TEXT MET: one line of the table; MET 1
# or 0, a miss counted
row() {
	local verdict=ok
	if [ "$5" != 1 ]; then
		verdict=MISSED
		failed=$((failed + 1))
	fi
	printf '%-38s %-42s %-16s %s\n' "$1" "$2" "$3 $4" "$verdict"
}

ge() { awk -v a="$1" -v b="$2" 'BEGIN { print (a >= b) ? 1 : 0 }'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { print (a <= b) ? 1 : 0 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

echo "== stimg make bench: $(uname -m), $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), median of $runs alternating runs"
printf '%-38s %-42s %-16s %s\n' case "stimg vs other (median wall, peak RSS)" "ratio target" verdict

# ---- Intel HEX -> BIN, 46 MB (16 MiB of data in 16-byte records) ----
"$gen" --big 16 >r16.hex
"$gen" --big 16 --raw >r16.raw
s="$stimg bin r16.hex -o out/s.bin -q"
pair "$s" "$floor r16.hex out/f.bin $((16 << 20))"
eval "once $s"
cmp -s out/s.bin r16.raw || { echo "bench: stimg's BIN is wrong" >&2; exit 1; }
fl=$b_ms st=$a_ms st_kib=$a_kib
r=$(ratio "$st" "$fl")
row "HEX->BIN 46 MB vs floor" "$st ms $(mib "$st_kib") MiB vs $fl ms" "${r}x" "<= 1.6x" "$(le "$r" 1.6)"
row "HEX->BIN 46 MB peak memory" "$(mib "$st_kib") MiB" "" "<= 36 MiB" "$(le "$st_kib" $((36 * 1024)))"
if [ -n "$objcopy" ]; then
	pair "$s" "$objcopy -I ihex -O binary r16.hex out/o.bin"
	cmp -s out/o.bin r16.raw || { echo "bench: objcopy's BIN differs" >&2; exit 1; }
	r=$(ratio "$b_ms" "$a_ms")
	row "HEX->BIN 46 MB vs objcopy" "$a_ms ms vs $b_ms ms" "${r}x" ">= 7x" "$(ge "$r" 7)"
else
	row "HEX->BIN 46 MB vs objcopy" "arm-none-eabi-objcopy not installed" "" ">= 7x" 0
fi
if [ -n "$srec_cat" ]; then
	pair "$s" "$srec_cat r16.hex -intel -offset -0x08000000 -o out/c.bin -binary"
	cmp -s out/c.bin r16.raw || { echo "bench: srec_cat's BIN differs" >&2; exit 1; }
	r=$(ratio "$b_ms" "$a_ms")
	row "HEX->BIN 46 MB vs srec_cat" "$a_ms ms vs $b_ms ms" "${r}x" ">= 30x" "$(ge "$r" 30)"
else
	row "HEX->BIN 46 MB vs srec_cat" "srec_cat not installed" "" ">= 30x" 0
fi
rm -f r16.raw s.bin f.bin o.bin c.bin

# ---- merge 2 x 8 MiB HEX ----
"$gen" --big 8 >m1.hex
"$stimg" convert m1.hex --offset 8M -o m2.hex
if [ -n "$srec_cat" ]; then
	pair "$stimg merge m1.hex m2.hex -o out/s.hex" "$srec_cat m1.hex -intel m2.hex -intel -o out/c.hex -intel -obs=16"
	"$srec_cat" m1.hex -intel m2.hex -intel -o c.hex -intel -obs=16
	"$stimg" merge m1.hex m2.hex -o s.hex
	"$stimg" convert s.hex -o s.bin
	"$stimg" convert c.hex -o r.bin
	cmp -s s.bin r.bin || { echo "bench: stimg's and srec_cat's merges differ" >&2; exit 1; }
	r=$(ratio "$b_ms" "$a_ms")
	row "merge 2 x 8 MiB HEX vs srec_cat" "$a_ms ms vs $b_ms ms" "${r}x" ">= 20x" "$(ge "$r" 20)"
else
	row "merge 2 x 8 MiB HEX vs srec_cat" "srec_cat not installed" "" ">= 20x" 0
fi
rm -f m1.hex m2.hex s.hex c.hex s.bin r.bin

# ---- CRC of a 256 MiB BIN, end to end ----
"$gen" --big 256 --raw >big.bin
want=$("$zcrc" big.bin)
got=$("$stimg" crc --algo crc-32 big.bin@0)
[ "$got" = "$want" ] || { echo "bench: CRC-32 $got, zlib $want" >&2; exit 1; }
for algo in crc-32 stm32; do
	pair "$stimg crc --algo $algo big.bin@0" "$zcrc big.bin"
	r=$(ratio "$b_ms" "$a_ms")
	row "CRC $algo 256 MiB vs zlib" "$a_ms ms $(mib "$a_kib") MiB vs $b_ms ms" "${r}x" ">= 4x" "$(ge "$r" 4)"
	row "CRC $algo 256 MiB peak memory" "$(mib "$a_kib") MiB" "" "<= 16 MiB" "$(le "$a_kib" $((16 * 1024)))"
	pair "$stimg crc --algo $algo big.bin@0" "cat big.bin"
	r=$(ratio "$a_ms" "$b_ms")
	row "CRC $algo 256 MiB vs cat" "$a_ms ms vs $b_ms ms" "${r}x" "<= 1.5x" "$(le "$r" 1.5)"
done
rm -f big.bin

# ---- shuffled records, 16 MiB ----
# r16.hex's records, each after its own 04 record, in a fixed random order
awk '/^:02000004/ { ext = $0; next } /^:10/ { print ext "|" $0 }' r16.hex |
	shuf --random-source=<(yes) | tr '|' '\n' >sh.hex
echo ":00000001FF" >>sh.hex
"$gen" --big 16 --raw >r16.raw
if [ -n "$srec_cat" ]; then
	pair "$stimg bin sh.hex -o out/s.bin -q" "$srec_cat sh.hex -intel -offset -0x08000000 -o out/c.bin -binary"
	"$stimg" bin sh.hex -o s.bin -q
	cmp -s s.bin r16.raw || { echo "bench: the shuffled BIN is wrong" >&2; exit 1; }
	r=$(ratio "$b_ms" "$a_ms")
	row "shuffled 16 MiB HEX->BIN vs srec_cat" "$a_ms ms $(mib "$a_kib") MiB vs $b_ms ms" "${r}x" ">= 5x" "$(ge "$r" 5)"
fi
once "$stimg" bin sh.hex -o out/s.bin -q
row "shuffled 16 MiB peak memory" "$(mib "$kib") MiB" "" "<= 36 MiB" "$(le "$kib" $((36 * 1024)))"
rm -f sh.hex s.bin c.bin r16.raw

# ---- a sparse image: 64 KiB at 0x08000000 and at 0x90000000 ----
"$gen" -s 5 -p near -n 1 -m 65536 -A 65536 >lo.hex
"$stimg" convert lo.hex --offset 0x88000000 -o hi.hex
once "$stimg" merge lo.hex hi.hex -o out/far.hex
row "sparse 0x08000000+0x90000000" "$(mib "$kib") MiB" "" "<= 8 MiB" "$(le "$kib" $((8 * 1024)))"
rm -f lo.hex hi.hex far.hex

# ---- a 32 MiB Cortex-M ELF: vectors, code and data in two segments ----
"$mkelf" big.elf seg=0x08000000,0x1000,0x1FF0000 seg=0x09FF0000,0x1FF1000,0x10000,0x10000,0x20000000 \
	sec=.isr_vector,0x08000000,0x1000,0x200 sec=.text,0x08000200,0x1200,0x1FEFE00 \
	sec=.data,0x20000000,0x1FF1000,0x10000 fill=0x1000,0x1FF0000,0x5A fill=0x1FF1000,0x10000,0xA5
if [ -n "$objcopy" ]; then
	pair "$stimg bin big.elf -o out/s.bin -q" "$objcopy -O binary big.elf out/o.bin"
	"$stimg" bin big.elf -o s.bin -q
	"$objcopy" -O binary big.elf o.bin
	cmp -s s.bin o.bin || { echo "bench: stimg's BIN of the ELF differs from objcopy's" >&2; exit 1; }
	r=$(ratio "$b_ms" "$a_ms")
	row "ELF 32 MiB bin vs objcopy -O binary" "$a_ms ms vs $b_ms ms" "${r}x" "> 1x" "$(ge "$r" 1.0001)"
	pair "$stimg info big.elf" "$objcopy -O binary big.elf out/o.bin"
	r=$(ratio "$b_ms" "$a_ms")
	row "ELF 32 MiB info vs objcopy -O binary" "$a_ms ms vs $b_ms ms" "${r}x" ">= 5x" "$(ge "$r" 5)"
fi
rm -f big.elf s.bin o.bin

# ---- many small inputs: 1000 and 4000 HEX files of 256 bytes ----
mkdir -p small
# 256 bytes each, 512 bytes apart, in 16-byte records (checksums here)
awk 'function rec(f, t, a, s, d,   i, n, sum, line) {
		n = length(d) / 2
		sum = n + int(a / 256) + a % 256 + t
		line = sprintf(":%02X%04X%02X%s", n, a, t, d)
		for (i = 0; i < n; i++) sum += hex[substr(d, 2 * i + 1, 2)]
		printf "%s%02X\n", line, (256 - sum % 256) % 256 > f
	}
	BEGIN {
		for (i = 0; i < 256; i++) hex[sprintf("%02X", i)] = i
		for (f = 0; f < 4000; f++) {
			file = sprintf("small/%04d.hex", f)
			addr = 134217728 + f * 512
			rec(file, 4, 0, 0, sprintf("%04X", int(addr / 65536)))
			for (r = 0; r < 16; r++) {
				d = ""
				for (i = 0; i < 16; i++) d = d sprintf("%02X", (f + r * 16 + i) % 256)
				rec(file, 0, (addr + r * 16) % 65536, 0, d)
			}
			printf ":00000001FF\n" > file
			close(file)
		}
	}'
ls small/0[0-9]*.hex | head -n 1000 >list1000
ls small/*.hex >list4000
pair "$stimg merge $(tr '\n' ' ' <list1000) -o out/m1000.hex" "$stimg merge $(tr '\n' ' ' <list4000) -o out/m4000.hex"
r=$(ratio "$b_ms" "$a_ms")
row "merge 4000 vs 1000 small files" "$b_ms ms vs $a_ms ms" "${r}x" "<= 5x" "$(le "$r" 5)"

echo
if [ "$failed" -eq 0 ]; then
	echo "every target met"
else
	echo "$failed target(s) missed"
fi
