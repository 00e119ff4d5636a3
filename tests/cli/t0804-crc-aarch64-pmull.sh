# The AArch64 PMULL folding kernel (src/core/crc_clmul.c) for real: the fold
# check (tests/tools/crc_fold_check.c) cross-compiled with
# aarch64-linux-gnu-gcc and run under qemu-aarch64, folding against the
# table path and the bit-by-bit reference over random lengths and
# alignments, and every model's check value through the AUTO engine; then
# the same binary where HWCAP lacks PMULL, to see the table fallback chosen.
# Natively first, at every level STIMG_SIMD can force (a level the CPU
# lacks gives the best below it), which needs no cross tools.
. "$STIMG_TOP/tests/cli/lib.sh"

for level in none sse avx2 avx512; do
	echo "== STIMG_SIMD=$level"
	run 0 env STIMG_SIMD=$level "$TOOLS/crc_fold_check" 1 300
	cat out
done
run 0 env STIMG_SIMD=none "$TOOLS/crc_fold_check" --expect-table 1 20

need_aarch64

# Only the CRC sources and what they call; no target zlib (STIMG_NO_ZLIB),
# and --gc-sections drops the image code that crc.c's stimg_crc_image
# would pull in.
aarch64_cc -DSTIMG_NO_ZLIB -ffunction-sections -fdata-sections \
	-Wl,--gc-sections -o check "$TOP/tests/tools/crc_fold_check.c" \
	"$TOP/src/core/crc.c" "$TOP/src/core/crc_model.c" \
	"$TOP/src/core/simd.c" "$TOP/src/core/crc_clmul.c" \
	"$TOP/src/core/stimg.c" "$TOP/src/core/hex.c" "$TOP/src/core/image.c" \
	"$TOP/src/core/store.c" "$TOP/src/core/origin.c" "$TOP/src/core/range.c"

# qemu CPU [ENV=VALUE] -- ARGS: the check on that CPU model
qemu() {
	_cpu=$1
	shift
	_env=
	if [ "$1" != -- ]; then
		_env="-E $1"
		shift
	fi
	shift
	echo "== qemu-aarch64 -cpu $_cpu $_env check $*"
	# shellcheck disable=SC2086
	run 0 qemu-aarch64 -cpu "$_cpu" -L "$sysroot" $_env ./check "$@"
	cat out
}

seed=$(date +%s)
qemu max -- --expect-clmul 1 300
qemu max -- --expect-clmul "$seed" 300
qemu cortex-a53 -- --expect-clmul "$seed" 100

# The fallback. Every CPU model QEMU 7.2 offers (cortex-a35/a53/a57/a72/
# a76, a64fx, neoverse-n1, max) has the crypto extension, and none has a
# property to turn it off; so AT_HWCAP without PMULL is made by a preloaded
# getauxval that clears HWCAP_PMULL. STIMG_SIMD=none is the other way
# (and STIMG_CRC_NOSIMD=1, its older spelling).
cat >nopmull.c <<'EOF'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <sys/auxv.h>

unsigned long getauxval(unsigned long type)
{
	unsigned long (*real)(unsigned long) =
		(unsigned long (*)(unsigned long))dlsym(RTLD_NEXT, "getauxval");
	unsigned long v = real(type);

	return type == AT_HWCAP ? v & ~(unsigned long)HWCAP_PMULL : v;
}
EOF
run 0 aarch64-linux-gnu-gcc -O2 -Wall -Werror -shared -fPIC -o nopmull.so \
	nopmull.c
qemu cortex-a53 LD_PRELOAD="$PWD/nopmull.so" -- --expect-table "$seed" 100
qemu max STIMG_SIMD=none -- --expect-table "$seed" 100
qemu max STIMG_CRC_NOSIMD=1 -- --expect-table "$seed" 20
qemu max STIMG_SIMD=avx512 -- --expect-clmul "$seed" 20
