# A large file is read ahead in another thread while the reader decodes
# (src/fmt/io.c): the data, the lines of errors and the records that
# straddle the chunks are the same as when it is read from a pipe (no
# reading ahead). 4 MiB of data in 16-byte records: 11.5 MB of text, many
# chunks.
. "$STIMG_TOP/tests/cli/lib.sh"
gen=$TOOLS/gen_image
[ -x "$gen" ] || fail "$gen is missing (make check builds it)"
"$gen" --big 4 >big.hex || fail "gen_image --big 4"
"$gen" --big 4 --raw >big.raw || fail "gen_image --big 4 --raw"
run 0 stimg convert big.hex -o a.bin
expect_same big.raw a.bin
# shellcheck disable=SC2002 # a pipe: read as it comes
cat big.hex | stimg convert - -o b.srec || fail "from a pipe"
run 0 stimg convert big.hex -o a.srec
expect_same a.srec b.srec
run 0 stimg crc --algo crc-32 big.hex
cp out crc.file
cat big.hex | stimg crc --algo crc-32 - >crc.pipe || fail "crc from a pipe"
expect_same crc.file crc.pipe

# a bad checksum far into the file (line 200001): the same line and message
awk 'NR == 200001 { sub(/..$/, "00") } { print }' big.hex >bad.hex
run 1 stimg convert bad.hex -o bad.bin
cp err err.file
cat bad.hex | stimg convert - -o bad2.bin 2>err.pipe && fail "the pipe took the bad file"
sed 's/<stdin>/bad.hex/' err.pipe >err.pipe2
expect_same err.file err.pipe2
grep -q '^stimg: error: bad.hex:200001: record checksum is 0x00, expected 0x' err.file ||
	{ cat err.file; fail "not line 200001"; }
[ ! -e bad.bin ] || fail "bad.bin was written"
exit 0
