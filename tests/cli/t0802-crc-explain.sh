# stimg crc --explain prints C that computes the same CRC: for models
# reflected and not, widths from 3 to 82, refin != refout, stm32 over
# words and the sums, the printed function is compiled with the host cc
# (strict C99, warnings as errors), run on a file, and must print what
# stimg crc prints for that file.
. "$STIMG_TOP/tests/cli/lib.sh"
need cc
gen=$TOOLS/gen_image
[ -x "$gen" ] || fail "$gen is missing (make check builds it)"
"$gen" --big 1 --raw >big.bin || fail "gen_image --big"
head -c 1001 big.bin >data.bin	# 250 words and a byte: stm32 pads it

cat >harness.c <<'C'
#include <stdio.h>

static uint8_t buf[1 << 16];

int main(int argc, char **argv)
{
	FILE *f = argc > 1 ? fopen(argv[1], "rb") : NULL;
	size_t n = f ? fread(buf, 1, sizeof(buf), f) : 0;
#if defined(WORDS)
	/* what the CPU reads from flash: little-endian words, the last one
	 * padded with 0xFF as stimg crc pads it */
	static uint32_t w[sizeof(buf) / 4];
	size_t i;

	for (i = 0; i < (n + 3) / 4 * 4; i++)
		w[i / 4] |= (uint32_t)(i < n ? buf[i] : 0xFF) << (8 * (i % 4));
	printf("0x%08lX\n", (unsigned long)FN(w, (n + 3) / 4));
#elif defined(WIDE)
	uint64_t hi, lo = FN(buf, n, &hi);

	printf("0x%0*llX%016llX\n", DIGITS - 16, (unsigned long long)hi,
	       (unsigned long long)lo);
#else
	printf("0x%0*llX\n", DIGITS, (unsigned long long)FN(buf, n));
#endif
	return 0;
}
C

# check ALGO: the explained function gives what stimg crc gives
check() {
	run 0 stimg crc --explain --algo "$1"
	cp out f.c
	fn=$(sed -n 's/^uint[0-9]*_t \([a-z0-9_]*\)(.*/\1/p' f.c)
	[ -n "$fn" ] || { cat f.c; fail "$1: no function in --explain"; }
	w=$(sed -n 's/^ \*   width=\([0-9]*\) .*/\1/p' f.c)
	kind=
	grep -q 'const uint32_t \*w' f.c && kind=-DWORDS
	grep -q 'uint64_t \*hi' f.c && kind=-DWIDE
	cat f.c harness.c >t.c
	cc -std=c99 -pedantic -Wall -Wextra -Wconversion -Werror $kind \
		-DFN="$fn" -DDIGITS=$(((w + 3) / 4)) -o t t.c 2>cc.err ||
		{ cat f.c cc.err; fail "$1: the explained C does not compile"; }
	./t data.bin >want || fail "$1: the explained C failed"
	run 0 stimg crc --algo "$1" data.bin@0x08000000
	cmp -s out want || { cat f.c; fail "$1: stimg says $(cat out), the C $(cat want)"; }
	# and the check value the comment promises
	./t c.bin >chk
	grep -q "^ \* .*== $(cat chk)\$" f.c || { cat f.c; fail "$1: check $(cat chk) not in the comment"; }
}

printf 123456789 >c.bin
for algo in CRC-32/ISO-HDLC CRC-32/MPEG-2 CRC-32/ISCSI CRC-16/XMODEM \
	CRC-16/KERMIT CRC-16/ARC CRC-8/SMBUS CRC-8/MAXIM-DOW CRC-64/XZ \
	CRC-64/WE CRC-12/UMTS CRC-5/USB CRC-3/GSM CRC-24/OPENPGP \
	CRC-40/GSM CRC-82/DARC \
	'width=72,poly=0x100000000000000065,init=0x123456789abcdef012,xorout=0xff'\
	'width=72,poly=0x100000000000000065,refin=true,refout=false' \
	'width=7,poly=0x09,refin=false,refout=true,init=0x55' \
	stm32 sum8 sum16 sum32-neg; do
	check "$algo"
done

# the stm32 check in its comment: the words of "123456789" and FF FF FF
run 0 stimg crc --explain
grep -q '^ \* stm32_crc(the words of "123456789" and FF FF FF, 3) == 0xD9020D98$' out ||
	fail "stm32 --explain: check comment"
exit 0
