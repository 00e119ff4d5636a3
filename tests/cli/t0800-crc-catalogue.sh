# The CRC catalogue cannot drift: src/core/crc_catalogue.h is what
# tools/gen-crc-catalogue.sh makes of tools/crc-catalogue.txt, and
# 'stimg crc --list' (whose check values and residues are computed, not
# copied) reproduces the catalogue file line for line, with the fast path
# and without it; every model's check value by name; the aliases, and
# that the man page lists them.
. "$STIMG_TOP/tests/cli/lib.sh"
cat=$TOP/tools/crc-catalogue.txt
ali=$TOP/tools/crc-aliases.txt
[ -f "$cat" ] && [ -f "$ali" ] || fail "no $cat or $ali"

sh "$TOP/tools/gen-crc-catalogue.sh" "$cat" "$ali" >gen.h ||
	fail "gen-crc-catalogue.sh failed"
cmp gen.h "$TOP/src/core/crc_catalogue.h" ||
	fail "src/core/crc_catalogue.h is not what tools/gen-crc-catalogue.sh makes"

# 113 models, then stm32 and the six sums, then the aliases
grep -c '^width=' "$cat" >n
[ "$(cat n)" = 113 ] || fail "the catalogue has $(cat n) models, not 113"
for simd in none sse avx2 avx512; do
	STIMG_SIMD=$simd run 0 stimg crc --list
	sed -n 1,113p out >models
	cmp models "$cat" || { diff models "$cat"; fail "--list (STIMG_SIMD=$simd) differs from the catalogue"; }
done
[ "$(grep -c '^width=' out)" = 120 ] || fail "--list has $(grep -c '^width=' out) models, not 120"
for name in stm32 sum8 sum8-neg sum16 sum16-neg sum32 sum32-neg; do
	grep -q "name=\"$name\"\$" out || fail "--list lacks $name"
done
grep -qx 'width=32 poly=0x04c11db7 init=0xffffffff refin=false refout=false xorout=0x00000000 check=0xd9020d98 words=le32 name="stm32"' out ||
	fail "--list: stm32 line"
grep -qx 'width=16 sum=neg check=0xfe23 name="sum16-neg"' out || fail "--list: sum16-neg"

# every alias of the aliases file, as alias="A" name="MODEL"
awk -F '\t' '!/^#/ { for (i = 2; i <= NF; i++) printf "alias=\"%s\" name=\"%s\"\n", $i, $1 }' \
	"$ali" >aliases
[ "$(wc -l <aliases)" -gt 50 ] || fail "read too few aliases from $ali"
while IFS= read -r line; do
	grep -qxF "$line" out || fail "--list lacks $line"
done <aliases

# the man page lists every alias
sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\%//g' "$TOP/man/stimg.1" >page
sed -n 's/^alias="\(.*\)" name=.*/\1/p' out >names
while IFS= read -r a; do
	grep -qF -- "$a" page || fail "man/stimg.1 does not list the alias $a"
done <names

# every model by name (lower case) over "123456789": its check value
printf 123456789 >c.bin
sed 's/.*check=0x\([0-9a-f]*\) .*name="\(.*\)"/\2 \1/' "$cat" >checks
while read -r name check; do
	lname=$(printf '%s' "$name" | tr 'A-Z' 'a-z')
	want=0x$(printf '%s' "$check" | tr 'a-f' 'A-F')
	got=$(stimg crc --algo "$lname" c.bin@0) || fail "crc --algo $lname"
	[ "$got" = "$want" ] || fail "$name: $got, want $want"
done <checks
exit 0
