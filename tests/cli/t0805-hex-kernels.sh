# The hex kernels (src/core/hex_simd.c) against the reference in
# tests/tools/hex_check.c, over random Intel HEX and S-record text with
# corruptions and cuts, every non-digit character, and the encoder: natively
# at every level STIMG_SIMD can force (each one this CPU has is checked to
# be the one that ran), then the NEON kernels for real, cross-compiled with
# aarch64-linux-gnu-gcc and run under qemu-aarch64, and the plain ones
# there.
. "$STIMG_TOP/tests/cli/lib.sh"

# has FLAG: the CPU has it (x86-64 /proc/cpuinfo flags)
has() {
	grep -qw "$1" /proc/cpuinfo 2>/dev/null
}

seed=$(date +%s)
for level in none sse avx2 avx512; do
	want=
	if [ "$(uname -m)" = x86_64 ]; then
		want=scalar
		case $level in sse | avx2 | avx512) has ssse3 && want=ssse3 ;; esac
		case $level in avx2 | avx512) has avx2 && want=avx2 ;; esac
		case $level in avx512) has avx512bw && has avx512vl &&
			has avx2 && want=avx512 ;; esac
	fi
	echo "== STIMG_SIMD=$level"
	run 0 env STIMG_SIMD=$level "$TOOLS/hex_check" ${want:+--expect $want} \
		"$seed" 200
	cat out
done

need_aarch64
aarch64_cc -o check "$TOP/tests/tools/hex_check.c" "$TOP/src/core/hex_simd.c" \
	"$TOP/src/core/simd.c" "$TOP/src/core/stimg.c" "$TOP/src/core/hex.c"

for level in avx512 none; do
	want=neon
	[ $level = none ] && want=scalar
	echo "== qemu-aarch64 STIMG_SIMD=$level"
	run 0 qemu-aarch64 -L "$sysroot" -E STIMG_SIMD=$level ./check \
		--expect $want "$seed" 100
	cat out
done
