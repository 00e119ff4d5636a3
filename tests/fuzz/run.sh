#!/bin/sh
# make fuzz: runs each fuzz target SECONDS on its corpus, JOBS at a time:
#
#   sh tests/fuzz/run.sh DIR SECONDS JOBS STIMG TARGET...
#
# DIR holds the fuzz_TARGET binaries; DIR/corpus/TARGET is seeded (and
# kept between runs) from the fixtures and examples, the S-records, DfuSe
# and UF2 files that STIMG makes of them, and the saved findings (tests/data/fuzz/TARGET/); text
# formats get their dictionaries (tests/fuzz/TARGET.dict). Inputs go up to
# 1 MiB, so that size-driven bugs are reachable. A finding is written to
# DIR/findings/TARGET/; copy it to tests/data/fuzz/TARGET/ with the fix.
# Exit status 1 when any target found something.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
dir=$1 seconds=$2 jobs=$3 stimg=$4
shift 4

# seed TARGET FILE...: copies the files that exist into TARGET's corpus
seed() {
	_t=$1
	shift
	mkdir -p "$dir/corpus/$_t"
	for _f; do
		[ -f "$_f" ] && cp "$_f" "$dir/corpus/$_t/seed-$(basename "$_f")"
	done
	return 0
}

hex="$top/tests/cli/data/*.hex $top/tests/fixtures/boot.hex $top/examples/boot.hex"
elf="$top/tests/fixtures/*.elf $top/examples/app.elf"
mkdir -p "$dir/seeds"
for f in $hex $elf; do
	"$stimg" convert -q "$f" -O srec -o "$dir/seeds/$(basename "$f").srec" \
		2>/dev/null
	"$stimg" convert -q "$f" -O ihex -o "$dir/seeds/$(basename "$f").hex" \
		2>/dev/null
	"$stimg" convert -q "$f" -O dfu -o "$dir/seeds/$(basename "$f").dfu" \
		2>/dev/null
	"$stimg" convert -q "$f" -O uf2 --uf2-family stm32f4 \
		-o "$dir/seeds/$(basename "$f").uf2" 2>/dev/null
done
# a UF2 of two families, one after the other
cat "$dir"/seeds/boot.hex.uf2 >"$dir/seeds/two.uf2"
"$stimg" convert -q "$top/tests/cli/data/app.hex" -O uf2 --uf2-family stm32l4 \
	-o - >>"$dir/seeds/two.uf2" 2>/dev/null
printf '%s\n' 0x08008000 134250496 32K 1M 0x08008000+64K \
	0x08008800:0x08018000 0xFFFFFFFF 0x100000000 >"$dir/seeds/numbers"
for t; do
	case $t in
	ihex) seed ihex $hex "$dir"/seeds/*.hex ;;
	srec) seed srec "$dir"/seeds/*.srec ;;
	dfu) seed dfu "$dir"/seeds/*.dfu ;;
	uf2) seed uf2 "$dir"/seeds/*.uf2 ;;
	elf | patch) seed "$t" $elf ;;
	roundtrip) seed roundtrip $hex $elf "$dir"/seeds/*.srec \
		"$dir"/seeds/*.dfu "$dir"/seeds/*.uf2 ;;
	number)
		mkdir -p "$dir/corpus/number"
		_i=0
		while read -r _n; do
			_i=$((_i + 1))
			printf '%s' "$_n" >"$dir/corpus/number/seed-$_i"
		done <"$dir/seeds/numbers" ;;
	set)
		mkdir -p "$dir/corpus/set"
		_i=0
		for _s in 0x1000=u32:42 .crc=str:abc serial=u16be:7 \
			0x2000+8=hex:DEADBEEF big=u8:1 0x1004=u64:1 \
			0xFFFFFFFE=u32:1 .text=u8:0; do
			_i=$((_i + 1))
			printf '%s' "$_s" >"$dir/corpus/set/seed-$_i"
		done ;;
	image)
		# a run of 65536 one-byte puts down, 256 up, one put, a fill
		mkdir -p "$dir/corpus/image"
		printf '\001\101\000\000\020\377\377\003\001\000\000\021\377\000\003' \
			>"$dir/corpus/image/seed-runs"
		printf '\000\000\000\020\000\377\007\004\000\000\000\377\377\007\377' \
			>"$dir/corpus/image/seed-fill" ;;
	esac
	seed "$t" "$top"/tests/data/fuzz/"$t"/*
done

mkdir -p "$dir/log"
for t; do
	echo "$t"
done | xargs -P "$jobs" -I{} sh -c '
	t=$1 dir=$2 seconds=$3 top=$4
	dict=
	[ -f "$top/tests/fuzz/$t.dict" ] && dict="-dict=$top/tests/fuzz/$t.dict"
	rm -rf "$dir/findings/$t"
	mkdir -p "$dir/findings/$t"
	"$dir/fuzz_$t" -max_total_time="$seconds" -max_len=1048576 \
		-timeout=30 -rss_limit_mb=2560 -print_final_stats=1 \
		-artifact_prefix="$dir/findings/$t/" $dict "$dir/corpus/$t" \
		>"$dir/log/$t.log" 2>&1
	echo $? >"$dir/log/$t.rc"' sh {} "$dir" "$seconds" "$top"

failed=0
for t; do
	rc=$(cat "$dir/log/$t.rc" 2>/dev/null || echo 1)
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log/$t.log")
	if [ "$rc" = 0 ]; then
		echo "fuzz $t: ${runs:-?} runs in $seconds s, nothing found"
	else
		failed=1
		echo "fuzz $t: FOUND something (exit $rc); $dir/log/$t.log:"
		grep -E '^(==[0-9]+==|SUMMARY|.*invariant broken|.*runtime error)' \
			"$dir/log/$t.log" | sed -n 1,8p | sed 's/^/  /'
		ls "$dir/findings/$t" | sed 's/^/  finding: /'
	fi
done
exit $failed
