# Every malformed Intel HEX case: "stimg: error: FILE:LINE: ...", exit 1,
# no output file, and an existing output left as it was.
. "$STIMG_TOP/tests/cli/lib.sh"

good=$(ihex 0 00 0102)
eof=$(ihex 0 01 "")
echo "keep me" > kept.bin

# check LINE MESSAGE CONTENT: bad.hex holding CONTENT fails at LINE with MESSAGE
check() {
	printf '%b' "$3" > bad.hex
	run 1 stimg convert bad.hex -o new.bin
	expect_err "stimg: error: bad.hex:$1: $2"
	[ -e new.bin ] && fail "new.bin was written for: $2"
	run 1 stimg convert bad.hex -o kept.bin
	[ "$(cat kept.bin)" = "keep me" ] || fail "kept.bin changed for: $2"
	[ "$(ls -A | grep -c stimg-)" = 0 ] || fail "temporary file left: $(ls -A)"
}

check 2 "record checksum is 0x00, expected 0xFB" "$good\n:02000000010200\n$eof\n"
check 2 "a record starts with ':', not 'x'" "$good\nx$good\n$eof\n"
check 2 "record is too short (9 characters)" "$good\n:00000001\n"
check 1 "record has an odd number of hex digits" ":0100000000FF0\n$eof\n"
check 1 "invalid character 'G' in column 10" ":01000000G0FF\n$eof\n"
check 1 "record length is 0x02 but the record holds 1 data bytes" ":0200000000FE\n$eof\n"
check 1 "type 04 record has 1 data bytes, expected 2" ":0100000400FB\n$eof\n"
check 1 "type 02 record has 1 data bytes, expected 2" ":0100000200FD\n$eof\n"
check 1 "type 05 record has 2 data bytes, expected 4" ":020000050000F9\n$eof\n"
check 1 "type 03 record has 2 data bytes, expected 4" ":020000030000FB\n$eof\n"
check 1 "end-of-file record has 1 data bytes" ":0100000100FE\n"
check 1 "unknown record type 0x06" ":00000006FA\n$eof\n"
check 3 "text after the end-of-file record" "$good\n$eof\n$good\n"
check 2 "no end-of-file record (:00000001FF)" "$good\n$good\n"

# an empty file is no format at all; forced to Intel HEX it lacks its EOF
: > empty.hex
run 1 stimg convert empty.hex -o new.bin
expect_err "stimg: error: cannot tell the format of 'empty.hex'; a raw binary needs an address: empty.hex@0x08000000"
run 1 stimg convert -I ihex empty.hex -o new.bin
expect_err "stimg: error: empty.hex:1: no end-of-file record (:00000001FF)"
[ -e new.bin ] && fail "new.bin was written"
check 1 "line is longer than 1024 characters" ":$(printf '%01100d' 0)\n"
check 1 "record is too long (601 characters)" ":$(printf "%0600d" 0)\n"
# data that would run past 4 GiB
check 2 "data at 0xFFFFFFFF..0x100000000 lies past the 32-bit address space" \
	"$(ihex 0 04 FFFF)\n$(ihex 0xFFFF 00 0102)\n$eof\n"

# a line of only blanks, CR LF and lower case are fine
printf '%s\r\n  \r\n%s\n\n' "$(ihex 0 00 0a0b | tr A-F a-f)" "$eof" > ok.hex
run 0 stimg convert ok.hex -o ok.bin
[ "$(od -An -tx1 ok.bin | tr -d ' ')" = 0a0b ] || fail "ok.bin: $(od -An -tx1 ok.bin)"
exit 0
