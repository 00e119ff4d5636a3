# stimg crc, option by option: the default algorithm (stm32) and range (the
# span), holes taking --fill, --range beyond the data, --tail, several
# inputs merged, -I, the output's width, an unknown algorithm (exit 2, the
# closest names), custom models, --list/--explain refusing inputs, -v.
# CRC-32 values are checked against gzip's trailer, an independent CRC-32.
. "$STIMG_TOP/tests/cli/lib.sh"

# gzcrc FILE: CRC-32/ISO-HDLC of FILE as 0x%08X, from gzip's trailer
gzcrc() {
	gzip -c "$1" | tail -c 8 | od -An -tx1 -N4 |
		awk '{ printf "0x%s%s%s%s\n", toupper($4), toupper($3), toupper($2), toupper($1) }'
}

# expect_out TEXT: stdout is exactly TEXT
expect_out() {
	[ "$(cat out)" = "$1" ] || fail "stdout is '$(cat out)', expected '$1'"
}

#  0x08000000     0x08000006        0x08000010          0x0800001A
#  [== a.bin ==]  ......hole......  [===== b.bin =====]
printf 'ABCDEF' >a.bin
printf '0123456789' >b.bin
ff10=$(printf '\377\377\377\377\377\377\377\377\377\377')
printf 'ABCDEF%s0123456789' "$ff10" >flat.bin
printf 'ABCDEF\0\0\0\0\0\0\0\0\0\0000123456789' >flat0.bin
[ "$(wc -c <flat.bin)" = 26 ] && [ "$(wc -c <flat0.bin)" = 26 ] || fail "flat files"
printf 123456789 >c.bin
[ "$(gzcrc c.bin)" = 0xCBF43926 ] || fail "gzip trailer: $(gzcrc c.bin), not 0xCBF43926"

# the default algorithm is stm32, the default range the span, holes 0xFF
run 0 stimg crc a.bin@0x08000000 b.bin@0x08000010
stm=$(cat out)
run 0 stimg crc --algo stm32 flat.bin@0x08000000
expect_out "$stm"
# inputs in the other order, and merged first, give the same
run 0 stimg crc b.bin@0x08000010 a.bin@0x08000000
expect_out "$stm"
run 0 stimg merge a.bin@0x08000000 b.bin@0x08000010 -o ab.hex
run 0 stimg crc ab.hex
expect_out "$stm"
[ -s err ] && fail "unexpected stderr: $(cat err)"

# CRC-32 of the filled span is gzip's CRC-32 of the flat file
run 0 stimg crc --algo crc32 ab.hex
expect_out "$(gzcrc flat.bin)"
run 0 stimg crc --algo CRC-32/ISO-HDLC --fill 0 ab.hex
expect_out "$(gzcrc flat0.bin)"
run 0 stimg crc --algo crc-32 --fill 0x00 flat0.bin@0x08000000
expect_out "$(gzcrc flat0.bin)"

# --range past both ends: four 0xA5 before, six after
a5=$(printf '\245')
printf '%s%s%s%sABCDEF%s0123456789%s%s%s%s%s%s' "$a5" "$a5" "$a5" "$a5" \
	"$(printf '\245\245\245\245\245\245\245\245\245\245')" \
	"$a5" "$a5" "$a5" "$a5" "$a5" "$a5" >wide.bin
[ "$(wc -c <wide.bin)" = 36 ] || fail "wide.bin"
run 0 stimg crc --algo crc32 --range 0x07FFFFFC:0x08000020 --fill 0xA5 ab.hex
expect_out "$(gzcrc wide.bin)"
run 0 stimg crc --algo crc32 --range 0x07FFFFFC+36 --fill 165 ab.hex
expect_out "$(gzcrc wide.bin)"
# a range inside one hole is all fill; a range on an empty image too (an
# erased word, FF FF FF FF, leaves the STM32 CRC unit at 0)
printf ':00000001FF\n' >empty.hex
run 0 stimg crc --range 0x08000006+4 ab.hex
expect_out 0x00000000
run 0 stimg crc --range 0:8 empty.hex
expect_out 0xC704DD7B
run 0 stimg crc --range 0:4 empty.hex
expect_out 0x00000000
run 1 stimg crc empty.hex
expect_err "stimg: error: the inputs hold no data; give --range"

# --tail: 26 bytes are 6 words and 2 bytes; pad (the default) pads with FILL
run 0 stimg crc --tail pad ab.hex
expect_out "$stm"
printf 'ABCDEF%s0123456789\377\377' "$ff10" >padded.bin
run 0 stimg crc --tail error padded.bin@0x08000000
expect_out "$stm"
run 0 stimg crc --fill 0 ab.hex
printf 'ABCDEF\0\0\0\0\0\0\0\0\0\0000123456789\0\0' >padded0.bin
run 0 stimg crc padded0.bin@0x08000000
[ "$(cat out)" = "$(stimg crc --fill 0 ab.hex)" ] || fail "the tail is not padded with --fill"
run 1 stimg crc --tail error ab.hex
expect_err "stimg: error: 0x08000000..0x08000019 is 26 bytes, 2 past the last whole 32-bit word (stm32 with --tail error needs whole words)"
[ -s out ] && fail "--tail error printed a CRC"
run 0 stimg crc --tail error --range 0x08000000+24 ab.hex
run 0 stimg crc --algo crc32 --tail error ab.hex
expect_out "$(gzcrc flat.bin)"
# the last word takes the image's bytes past the range, as the CRC unit
# reads them from flash: 0x08000000+17 ends inside b.bin
run 0 stimg crc --range 0x08000000+17 ab.hex
[ "$(cat out)" = "$(stimg crc --range 0x08000000+20 ab.hex)" ] ||
	fail "the last word of 0x08000000+17 is not the image's"
run 0 stimg crc -v --range 0x08000000+17 ab.hex
grep -q "^stimg: note: stm32 over 0x08000000..0x08000013: 20 bytes, 10 of them fill 0xFF; engine " err ||
	fail "-v: $(cat err)"
run 2 stimg crc --tail cut ab.hex
expect_err "stimg: error: --tail: 'cut' is not pad or error"

# the output: 0x and (width + 3) / 4 upper-case digits
run 0 stimg crc --algo CRC-3/GSM c.bin@0
expect_out 0x4
run 0 stimg crc --algo xmodem c.bin@0
expect_out 0x31C3
run 0 stimg crc --algo crc-82/darc c.bin@0
expect_out 0x09EA83F625023801FD612
run 0 stimg crc --algo crc-64/xz c.bin@0
expect_out 0x995DC9BBDF1939FA
run 0 stimg crc --algo sum16 c.bin@0
expect_out 0x01DD
run 0 stimg crc --algo SUM8-NEG c.bin@0
expect_out 0x23
run 0 stimg crc --algo sum32-neg c.bin@0
expect_out 0xFFFFFE23

# custom models
run 0 stimg crc --algo 'width=16,poly=0x1021,init=0xffff,refin=false,refout=false,xorout=0' c.bin@0
expect_out 0x29B1
run 0 stimg crc --algo 'width=32 poly=0x04c11db7 init=0xffffffff refin=true xorout=0xffffffff check=0xcbf43926' c.bin@0
expect_out 0xCBF43926
run 2 stimg crc --algo 'width=16,poly=0x1021,check=0x1234' c.bin@0
expect_err "stimg: error: --algo: custom algorithm: check=0x1234 given, but these parameters give 0x31c3 for \"123456789\""
run 2 stimg crc --algo 'width=8,poly=0x107' c.bin@0
expect_err "stimg: error: --algo: custom algorithm: poly= does not fit in 8 bits"

# an unknown algorithm: exit 2 and the closest names
run 2 stimg crc --algo crc-32/mpeg c.bin@0
expect_err "stimg: error: --algo: unknown algorithm 'crc-32/mpeg'; closest: CRC-32/MPEG-2, CRC-32/MEF, CRC-32/XFER, CRC-32/AIXM ('stimg crc --list' shows all)"
expect_err "try 'stimg crc --help'"
run 2 stimg crc --algo STM-32 c.bin@0
grep -q "closest: stm32," err || fail "stm32 is not the closest to STM-32: $(cat err)"
run 2 stimg crc --algo modbus16 c.bin@0
grep -q "closest: MODBUS," err || fail "MODBUS not suggested: $(cat err)"

# -I, standard input, -q, -v
cp ab.hex ab.txt
run 0 stimg crc -I ihex ab.txt
expect_out "$stm"
run 0 stimg crc - <ab.hex
expect_out "$stm"
run 0 stimg crc -q ab.hex
expect_out "$stm"
run 0 stimg crc -v --algo crc32 ab.hex
expect_out "$(gzcrc flat.bin)"
grep -q "^stimg: note: CRC-32/ISO-HDLC over 0x08000000..0x08000019: 26 bytes, 10 of them fill 0xFF; engine " err ||
	fail "-v: $(cat err)"

# inputs that conflict, or cannot be read
printf 'X' >x.bin
run 1 stimg crc a.bin@0x08000000 x.bin@0x08000002
grep -q "both set 0x08000002..0x08000002" err || fail "conflict: $(cat err)"
run 3 stimg crc missing.hex
run 2 stimg crc -I elvish ab.hex

# usage errors
run 2 stimg crc
expect_err "stimg: error: no input files"
run 2 stimg crc --list ab.hex
expect_err "stimg: error: --list takes no INPUT"
run 2 stimg crc --explain ab.hex
expect_err "stimg: error: --explain takes no INPUT"
run 2 stimg crc --fill 0x100 ab.hex
run 2 stimg crc --range 0x10:0x8 ab.hex
run 2 stimg crc --bogus ab.hex
run 0 stimg crc --help
grep -q -- '--tail pad|error' out || fail "--help lacks --tail"
exit 0
