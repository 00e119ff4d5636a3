# The example firmware signed end to end, by the command the README and
# the man page give in place of imgtool sign: from the ELF file with a key
# stimg made, to an Intel HEX whose header sits just below the
# application; stimg verify accepts it, and openssl, independently, finds
# the digest and the Ed25519 signature of the header and the application's
# bytes (those of its BIN, holes as 0xFF) in it.
. "$STIMG_TOP/tests/cli/lib.sh"
need openssl
need od

# u32 FILE OFFSET: a little-endian u32 of FILE
u32() {
	od -An -tu4 --endian=little -j "$(($2))" -N4 "$1" | tr -d ' '
}

run 0 stimg keys generate --type ed25519 -o k.pem
run 0 stimg sign "$TOP/examples/app.elf" --key k.pem --version 1.2.3+4 \
	--header-size 0x200 --pad-header --slot-size 0x20000 -o app.signed.hex
grep -q "^stimg: note: signed app.signed.hex: MCUboot image at 0x08007E00, version 1.2.3+4, ed25519, SHA-256 [0-9a-f]\{64\}\$" err ||
	fail "the note: $(cat err)"

run 0 stimg verify app.signed.hex --key k.pem
sed -n 1p out | grep -qx "app.signed.hex: MCUboot image at 0x08007E00" ||
	fail "verify: $(cat out)"
sed -n 2p out | grep -qx "  version     1.2.3+4" || fail "verify: $(cat out)"
sed -n 4p out | grep -qx "  checks      magic, sizes, TLV area, hash, key, signature: ok" ||
	fail "verify: $(cat out)"
digest=$(sed -n 's/^  digest      \([0-9a-f]\{64\}\)$/\1/p' out)
[ -n "$digest" ] || fail "verify printed no digest: $(cat out)"

# the signed file holds the header, then the application as its BIN has it
run 0 stimg convert app.signed.hex -o signed.bin
run 0 stimg convert "$TOP/examples/app.elf" -o app.bin
n=$(wc -c <app.bin)
[ "$(u32 signed.bin 0)" = $((0x96F3B83D)) ] || fail "no header magic"
[ "$(u32 signed.bin 12)" = "$n" ] || fail "image size $(u32 signed.bin 12), not $n"
dd if=signed.bin of=body.bin bs=512 skip=1 2>/dev/null
head -c "$n" body.bin >image.bin
expect_same image.bin app.bin

# openssl's digest of header and image is the SHA256 TLV, and verify's
head -c $((512 + n)) signed.bin | openssl dgst -sha256 -binary >digest.bin
[ "$(od -An -tx1 -v digest.bin | tr -d ' \n')" = "$digest" ] ||
	fail "openssl's digest is not verify's $digest"
tlv=$((512 + n))
[ "$(u32 signed.bin "$tlv")" = $((0x00906907)) ] ||
	fail "no TLV area of 0x90 bytes at $tlv"
dd if=signed.bin of=tlvhash.bin bs=1 skip=$((tlv + 8)) count=32 2>/dev/null
expect_same tlvhash.bin digest.bin
# and it verifies the ED25519 TLV (type 0x24, 64 bytes, last) with the
# public key
[ "$(u32 signed.bin $((tlv + 76)))" = $((0x00400024)) ] || fail "no ED25519 TLV"
dd if=signed.bin of=sig.bin bs=1 skip=$((tlv + 80)) count=64 2>/dev/null
openssl pkey -in k.pem -pubout -out k.pub 2>/dev/null || fail "openssl pkey"
run 0 openssl pkeyutl -verify -pubin -inkey k.pub -rawin -in digest.bin \
	-sigfile sig.bin
grep -q "Signature Verified Successfully" out || fail "openssl: $(cat out err)"

# info: the header fields, and the application's vector table above them;
# the entry point is the ELF file's
run 0 stimg info app.signed.hex
grep -qx "  mcuboot       header at 0x08007E00" out || fail "info: $(cat out)"
grep -qx "    image size          0x$(printf '%X' "$n") ($n bytes)" out ||
	fail "info: $(cat out)"
grep -q "^  vector table  at 0x08008800: initial SP 0x20020000 (plausible), reset handler 0x[0-9A-F]* (plausible)\$" out ||
	fail "info: $(cat out)"
run 0 stimg info "$TOP/examples/app.elf"
grep "^  entry point" out >entry.want
run 0 stimg info app.signed.hex
grep "^  entry point" out >entry.got
expect_same entry.got entry.want
exit 0
