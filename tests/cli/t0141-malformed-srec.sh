# Malformed S-records through the CLI: "stimg: error: FILE:LINE: ...", exit
# 1, no output file, an existing output untouched. (Every case the reader
# handles is pinned in tests/unit/test_srec.c; these cover each kind.)
. "$STIMG_TOP/tests/cli/lib.sh"

echo "keep me" > kept.hex

check() { # LINE MESSAGE CONTENT
	printf '%b' "$3" > bad.s19
	run 1 stimg convert bad.s19 -o new.hex
	expect_err "stimg: error: bad.s19:$1: $2"
	[ -e new.hex ] && fail "new.hex was written for: $2"
	run 1 stimg merge bad.s19 -o kept.hex
	[ "$(cat kept.hex)" = "keep me" ] || fail "kept.hex changed for: $2"
}

check 2 "record checksum is 0x80, expected 0x81" "S0030000FC\nS1051234112280\n"
check 2 "invalid character 'g' in column 10" "S0030000FC\nS10512341g2281\n"
check 1 "reserved record type S4" "S4051234112281\n"
check 1 "record has an odd number of hex digits" "S105123411228\n"
check 1 "byte count is 0x06 but the record holds 5 bytes" "S1061234112281\n"
check 2 "record count is 3 but the file has 1 data records" "S1051234112281\nS5030003F9\n"
check 4 "text after the termination record" "S1051234112281\nS9030000FC\n\nS1051234112281\n"
check 2 "a record starts with 'S', not ':'" "S0030000FC\n:1051234112281\n"
check 1 "line is longer than 1024 characters" "S1$(printf '%01100d' 0)\n"

# the corpus file with a bad checksum on line 1
cp "$BINCOPY/bad_crc.s19" .
run 1 stimg convert bad_crc.s19 -o new.hex
expect_err "stimg: error: bad_crc.s19:1: record checksum is 0x22, expected 0x25"
[ -e new.hex ] && fail "new.hex was written"
exit 0
