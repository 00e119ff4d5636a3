# stimg verify on MCUboot images: every imgtool 2.4.0 vector passes with
# its key (public or private; ECDSA, RSA-PSS and a padded ECDSA signature
# included), and without a key the hash alone; a flipped byte, a wrong key,
# a short file and a damaged magic fail, naming the check. It takes an
# image for MCUboot's when --key is given or when the input starts with
# the header magic, and prints version, digest and the checks.
. "$STIMG_TOP/tests/cli/lib.sh"
need od
D=$TOP/tests/data/mcuboot
cp "$D"/*.pem .
chmod 600 ./*.pem

# flip FILE OFFSET: the byte at OFFSET of FILE, its lowest bit changed
flip() {
	_b=$(od -An -tu1 -j "$(($2))" -N1 "$1" | tr -d ' ')
	# shellcheck disable=SC2059  # the octal escape is the format
	printf "\\$(printf '%03o' $((_b ^ 1)))" |
		dd of="$1" bs=1 seek="$(($2))" conv=notrunc 2>/dev/null
}

ok="  checks      magic, sizes, TLV area, hash, key, signature: ok"
# passes FILE KEY...: verify --key accepts FILE with each KEY, and prints
# that every check passed
passes() {
	_f=$1
	shift
	for _k in "$@"; do
		run 0 stimg verify "$_f" --key "$_k"
		sed -n 4p out | grep -qxF -- "$ok" || fail "$_f with $_k: $(cat out)"
		[ ! -s err ] || fail "$_f with $_k: $(cat err)"
	done
}

# the whole report, for the Ed25519 vector
run 0 stimg verify "$D/signed-ed25519.bin@0" --key ed25519-test.pub.pem
cat >want <<EOF
$D/signed-ed25519.bin@0: MCUboot image at 0x00000000
  version     1.2.3+4
  digest      892d7b0f175317fc68e427c2682aab2b8930342dd736635be45444bd01324622
$ok
EOF
expect_same out want
# ECDSA's digest is the one imgtool verify printed
run 0 stimg verify "$D/signed-ecdsa-p256.bin@0x08020000" --key ecdsa-p256-test.pem
grep -qx "  digest      3ca1a070c32e03ed2b3767d4ae68752793f6bb7182f19a189cee6a289a461d5c" out ||
	fail "ECDSA digest: $(cat out)"
grep -qx "  version     0.9.0+0" out || fail "ECDSA version: $(cat out)"

passes "$D/signed-ed25519.bin@0" ed25519-test.pem ed25519-test.pub.pem
passes "$D/signed-ed25519-padded-confirmed.bin@0" ed25519-test.pub.pem
passes "$D/signed-ed25519-seccnt-auto.bin@0" ed25519-test.pub.pem
passes "$D/signed-ed25519-seccnt-loadaddr.bin@0" ed25519-test.pub.pem
passes "$D/signed-ed25519-align16-confirmed.bin@0" ed25519-test.pub.pem
passes "$D/signed-ed25519-align4-maxalign32.bin@0" ed25519-test.pub.pem
passes "$D/signed-ed25519-at-0x08020000.hex" ed25519-test.pub.pem
passes "$D/signed-ed25519-padded-at-0x08020000.hex" ed25519-test.pem
passes "$D/signed-ecdsa-p256.bin@0" ecdsa-p256-test.pem \
	ecdsa-p256-test.ec.pem ecdsa-p256-test.pub.pem
passes "$D/signed-ecdsa-p256-padsig.bin@0" ecdsa-p256-test.pub.pem
passes "$D/signed-rsa-2048.bin@0" rsa-2048-test.pem rsa-2048-test.pub.pem
passes "$D/signed-rsa-3072.bin@0" rsa-3072-test.pem rsa-3072-test.pub.pem

# without --key, an input that starts with the magic: the hash only
nokey="  checks      magic, sizes, TLV area, hash: ok; key, signature: not checked (no --key)"
for f in signed-ed25519.bin signed-rsa-3072.bin unsigned-sha256.bin \
	unsigned-zero-header.bin; do
	run 0 stimg verify "$D/$f@0x08020000"
	sed -n 4p out | grep -qxF -- "$nokey" || fail "$f: $(cat out)"
done
# an image with the SHA-256 only and a key: not signed
run 1 stimg verify "$D/unsigned-sha256.bin@0" --key ed25519-test.pem
sed -n 4p out | grep -qxF "  checks      magic, sizes, TLV area, hash, key: ok; signature: failed" ||
	fail "unsigned: $(cat out)"
expect_err "stimg: error: signature check failed: the image is not signed: no ED25519 TLV (0x24)"
# -q: the errors only
run 0 stimg verify -q "$D/signed-ed25519.bin@0" --key ed25519-test.pem
[ ! -s out ] && [ ! -s err ] || fail "-q printed: $(cat out err)"
run 1 stimg verify -q "$D/unsigned-sha256.bin@0" --key ed25519-test.pem
[ ! -s out ] || fail "-q printed: $(cat out)"
expect_err "stimg: error: signature check failed: the image is not signed: no ED25519 TLV (0x24)"

# a flipped byte in the application: the hash
cp "$D/signed-ed25519.bin" app.bin
flip app.bin 0x300
run 1 stimg verify app.bin@0 --key ed25519-test.pem
sed -n 4p out | grep -qxF "  checks      magic, sizes, TLV area: ok; hash: failed" ||
	fail "flipped: $(cat out)"
grep -q "^stimg: error: hash check failed: hash mismatch: the image hashes to [0-9a-f]\{16\}\.\.\., its SHA256 TLV says 892d7b0f175317fc\.\.\.\$" err ||
	fail "flipped: $(cat err)"
mv err with-key
run 1 stimg verify app.bin@0
expect_same err with-key
# in the header's version: the hash too, and the version read is the new one
cp "$D/signed-ed25519.bin" version.bin
flip version.bin 20
run 1 stimg verify version.bin@0
grep -qx "  version     0.2.3+4" out || fail "version: $(cat out)"
grep -q "^stimg: error: hash check failed" err || fail "version: $(cat err)"
# in the signature (the image's last byte): the signature, for each type
for v in ed25519:ed25519-test signed-ecdsa-p256:ecdsa-p256-test \
	signed-rsa-2048:rsa-2048-test; do
	f=${v%%:*}
	[ "$f" = ed25519 ] && f=signed-ed25519
	cp "$D/$f.bin" sig.bin
	flip sig.bin $(($(wc -c <sig.bin) - 1))
	run 1 stimg verify sig.bin@0 --key "${v#*:}.pub.pem"
	sed -n 4p out | grep -qxF "  checks      magic, sizes, TLV area, hash, key: ok; signature: failed" ||
		fail "$f signature: $(cat out)"
	grep -q "^stimg: error: signature check failed: bad signature: the [A-Z0-9]* signature does not verify with this key\$" err ||
		fail "$f signature: $(cat err)"
done
# a wrong key: of the right type (the KEYHASH), of another type
run 1 stimg verify "$D/signed-ed25519.bin@0" --key ed25519-other.pem
sed -n 4p out | grep -qxF "  checks      magic, sizes, TLV area, hash: ok; key: failed" ||
	fail "other key: $(cat out)"
grep -q "^stimg: error: key check failed: key mismatch: the image's KEYHASH is f5af06db49cc45f4\.\.\., this key's is [0-9a-f]\{16\}\.\.\.\$" err ||
	fail "other key: $(cat err)"
expect_error 1 "key check failed: key mismatch: the image is signed with ED25519 (0x24), the key is rsa-2048" \
	stimg verify "$D/signed-ed25519.bin@0" --key rsa-2048-test.pub.pem
expect_error 1 "key check failed: key mismatch: the image is signed with ECDSASIG (0x22), the key is ed25519" \
	stimg verify "$D/signed-ecdsa-p256.bin@0" --key ed25519-test.pub.pem
# a short file: the sizes
head -c 3000 "$D/signed-ed25519.bin" >short.bin
expect_error 1 "sizes check failed: header 0x200 and image 0xBB8 bytes run past the end of the data (0xBB8 bytes)" \
	stimg verify short.bin@0 --key ed25519-test.pem
grep -qx "  checks      magic: ok; sizes: failed" out || fail "short: $(cat out)"
# a damaged magic: with --key an MCUboot image is expected all the same
cp "$D/signed-ed25519.bin" magic.bin
flip magic.bin 0
expect_error 1 "magic check failed: not an MCUboot image: no header magic 0x96F3B83D at its start" \
	stimg verify magic.bin@0 --key ed25519-test.pem
cat >want <<EOF
magic.bin@0: MCUboot image at 0x00000000
  checks      magic: failed
EOF
expect_same out want
# a damaged TLV area
cp "$D/signed-ed25519.bin" tlv.bin
flip tlv.bin 0xDB8
expect_error 1 "TLV area check failed: no TLV area at offset 0xDB8: magic 0x6906, expected 0x6907" \
	stimg verify tlv.bin@0

# errors of use
expect_error 3 "missing.pem: cannot open: No such file or directory" \
	stimg verify "$D/signed-ed25519.bin@0" --key missing.pem
expect_error 2 "--key checks an MCUboot image, the header options a CRC header: give one or the other" \
	stimg verify "$D/signed-ed25519.bin@0" --key ed25519-test.pem --crc stm32
exit 0
