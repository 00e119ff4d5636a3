# MCUboot signatures that differ on every run (ECDSA P-256, RSA-2048 and
# RSA-3072 PSS), and Ed25519's, made by stimg sign with keys the openssl
# command line made, and checked twice: by stimg verify, and independently
# by `openssl pkeyutl -verify` over the image's digest (which openssl
# computes too) with the public key openssl wrote. The key hash is checked
# against openssl's DER of the public key.
. "$STIMG_TOP/tests/cli/lib.sh"
need openssl
need od
# the payload at 0x200: the header (--pad-header) goes at 0
payload=$TOP/tests/data/mcuboot/payload.bin@0x200

# u8 FILE OFFSET, u16 FILE OFFSET: little-endian numbers from the image
u8() {
	od -An -tu1 -j "$(($2))" -N1 "$1" | tr -d ' '
}
u16() {
	echo $(($(u8 "$1" "$2") + 256 * $(u8 "$1" "$(($2 + 1))")))
}
# part FILE OFFSET COUNT: those bytes of FILE on stdout
part() {
	dd if="$1" bs=1 skip="$(($2))" count="$3" 2>/dev/null
}

# check NAME TLV-TYPE SIGLEN-OR-EMPTY PKEYUTL-OPTIONS...
check() {
	_k=$1 _type=$2 _len=$3
	shift 3
	# -s auto: a protected area (12 bytes) after header 0x200 and image
	run 0 stimg sign "$payload" --key "$_k.pem" --version 1.2.3+4 \
		--header-size 0x200 --pad-header --slot-size 0x20000 \
		--security-counter auto -O bin -o "$_k.img"
	hashed=$((0x200 + 3000 + 12))
	[ "$(u16 "$_k.img" "$hashed")" = $((0x6907)) ] ||
		fail "$_k: no TLV area at $hashed"

	# the SHA256 TLV holds openssl's digest of header, image, protected
	part "$_k.img" 0 "$hashed" | openssl dgst -sha256 -binary >"$_k.digest"
	[ "$(u8 "$_k.img" $((hashed + 4)))" = 16 ] || fail "$_k: not SHA256"
	part "$_k.img" $((hashed + 8)) 32 >"$_k.tlvhash"
	expect_same "$_k.digest" "$_k.tlvhash"

	# KEYHASH: SHA-256 of the public key as MCUboot embeds it
	[ "$(u8 "$_k.img" $((hashed + 40)))" = 1 ] || fail "$_k: not KEYHASH"
	part "$_k.img" $((hashed + 44)) 32 >"$_k.keyhash"
	case $_k in
	rsa*) openssl rsa -pubin -in "$_k.pub" -RSAPublicKey_out -outform DER ;;
	*) openssl pkey -pubin -in "$_k.pub" -outform DER ;;
	esac 2>/dev/null | openssl dgst -sha256 -binary >"$_k.pubhash"
	expect_same "$_k.pubhash" "$_k.keyhash"

	# the signature TLV, last in the area
	sig=$((hashed + 76))
	[ "$(u8 "$_k.img" "$sig")" = "$_type" ] ||
		fail "$_k: signature TLV type $(u8 "$_k.img" "$sig"), not $_type"
	n=$(u16 "$_k.img" $((sig + 2)))
	[ -z "$_len" ] || [ "$n" = "$_len" ] || fail "$_k: signature of $n bytes"
	[ $((sig + 4 + n)) = "$(wc -c <"$_k.img")" ] ||
		fail "$_k: the image does not end with the signature"
	part "$_k.img" $((sig + 4)) "$n" >"$_k.sig"
	run 0 openssl pkeyutl -verify -pubin -inkey "$_k.pub" -in "$_k.digest" \
		-sigfile "$_k.sig" "$@"
	grep -q "Signature Verified Successfully" out ||
		fail "$_k: openssl did not verify: $(cat out err)"
	# and openssl refuses it for another digest
	printf 'x' | dd of="$_k.digest" bs=1 seek=5 conv=notrunc 2>/dev/null
	run 1 openssl pkeyutl -verify -pubin -inkey "$_k.pub" -in "$_k.digest" \
		-sigfile "$_k.sig" "$@"

	# stimg's own verify, with either half of the key
	run 0 stimg verify "$_k.img@0" --key "$_k.pub"
	grep -qx "  version     1.2.3+4" out || fail "$_k: verify said $(cat out)"
	grep -qx "  digest      $(od -An -tx1 -v "$_k.tlvhash" | tr -d ' \n')" out ||
		fail "$_k: verify said $(cat out)"
	grep -qx "  checks      magic, sizes, TLV area, hash, key, signature: ok" out ||
		fail "$_k: verify said $(cat out)"
	run 0 stimg verify "$_k.img@0" --key "$_k.pem"
}

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
	-out ec.pem 2>/dev/null || fail "openssl cannot make a P-256 key"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
	-out rsa2048.pem 2>/dev/null || fail "openssl cannot make an RSA key"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 \
	-out rsa3072.pem 2>/dev/null || fail "openssl cannot make an RSA key"
openssl genpkey -algorithm ED25519 -out ed.pem 2>/dev/null ||
	fail "openssl cannot make an Ed25519 key"
for k in ec rsa2048 rsa3072 ed; do
	openssl pkey -in $k.pem -pubout -out $k.pub 2>/dev/null ||
		fail "openssl cannot write $k.pub"
done

pss="-pkeyopt digest:sha256 -pkeyopt rsa_padding_mode:pss
     -pkeyopt rsa_pss_saltlen:32 -pkeyopt rsa_mgf1_md:sha256"
# shellcheck disable=SC2086  # $pss is split on purpose
{
	check ec 34 "" -pkeyopt digest:sha256
	check rsa2048 32 256 $pss
	check rsa3072 35 384 $pss
	check ed 36 64 -rawin
}

# two signatures of one image by one ECDSA key differ, and both verify
run 0 stimg sign "$payload" --key ec.pem --version 1.2.3+4 --header-size 0x200 \
	--pad-header --slot-size 0x20000 --security-counter auto -O bin \
	-o again.img
cmp -s ec.img again.img && fail "two ECDSA signatures are the same"
run 0 stimg verify again.img@0 --key ec.pub

# a key of another type, and another key of the right type (by its key
# hash), are refused
expect_error 1 "key check failed: key mismatch: the image is signed with RSA2048 (0x20), the key is rsa-3072" \
	stimg verify rsa2048.img@0 --key rsa3072.pub
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
	-out ec2.pem 2>/dev/null || fail "openssl cannot make a P-256 key"
run 1 stimg verify ec.img@0 --key ec2.pem
grep -q "^stimg: error: key check failed: key mismatch: the image's KEYHASH is " err ||
	fail "another P-256 key: $(cat err)"
exit 0
