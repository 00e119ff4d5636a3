# stimg keys: generate writes a private key of each type as PKCS#8 PEM,
# mode 0600 (openssl reads it back as that type), never to standard
# output; getpub prints imgtool getpub's text byte for byte (the expected
# files are imgtool 2.4.0's output, see tests/data/mcuboot/README.md),
# warns about a key others may read, and never prints a private key; every
# error with its message and exit status.
. "$STIMG_TOP/tests/cli/lib.sh"
need openssl
D=$TOP/tests/data/mcuboot

# generate: each type, mode 0600 whatever the umask, what openssl sees.
# Under valgrind RSA's prime search (libcrypto's, stimg's path is the same
# for every type) takes half a minute a key: RSA only without it; the
# sanitizer pass generates all four types (tests/unit/test_mcuboot.c).
umask 022
types="ed25519 ecdsa-p256"
[ -n "${VALGRIND:-}" ] || types="$types rsa-2048 rsa-3072"
for type in $types; do
	case $type in
	ed25519) want="ED25519 Private-Key:" ;;
	ecdsa-p256) want="Private-Key: (256 bit)" ;;
	rsa-*) want="Private-Key: (${type#rsa-} bit, 2 primes)" ;;
	esac
	run 0 stimg keys generate --type "$type" -o "$type.pem"
	expect_err "stimg: note: wrote $type.pem: a new $type private key, readable by its owner only"
	[ ! -s out ] || fail "generate printed: $(cat out)"
	[ "$(stat -c %a "$type.pem")" = 600 ] ||
		fail "$type.pem has mode $(stat -c %a "$type.pem")"
	[ "$(sed -n 1p "$type.pem")" = "-----BEGIN PRIVATE KEY-----" ] ||
		fail "$type.pem is not PKCS#8: $(sed -n 1p "$type.pem")"
	[ "$(openssl pkey -in "$type.pem" -noout -text | sed -n 1p)" = "$want" ] ||
		fail "$type.pem: openssl says $(openssl pkey -in "$type.pem" -noout -text | sed -n 1p)"
	# its public key: the one openssl derives
	run 0 stimg keys getpub "$type.pem" --lang rust
	[ ! -s err ] || fail "getpub of a 0600 key warned: $(cat err)"
	grep -q PRIVATE out && fail "getpub printed a private key"
done
for type in $types; do
	[ -f "$type.pem" ] || fail "no $type.pem"
done
# the P-256 array holds openssl's SubjectPublicKeyInfo
openssl pkey -in ecdsa-p256.pem -pubout -outform DER -out p256.der
run 0 stimg keys getpub ecdsa-p256.pem
sed -n 's/^    //p' out | tr -d ' \n' | sed 's/0x//g; s/,//g' >got.hex
od -An -tx1 -v p256.der | tr -d ' \n' >want.hex
expect_same want.hex got.hex
grep -qx "const unsigned int ecdsa_pub_key_len = $(wc -c <p256.der);" out ||
	fail "no length line: $(tail -1 out)"

# replacing a key others could read: the new one is 0600
printf 'old\n' >old.pem
chmod 644 old.pem
run 0 stimg keys generate --type ed25519 -o old.pem -q
[ ! -s err ] || fail "-q: $(cat err)"
[ "$(stat -c %a old.pem)" = 600 ] || fail "old.pem kept mode $(stat -c %a old.pem)"

# getpub: imgtool's text for every type and language, from private and
# public keys, to standard output or a file
for k in ed25519 ecdsa-p256 rsa-2048 rsa-3072; do
	cp "$D/$k-test.pem" "$k-test.pem"
	chmod 600 "$k-test.pem"
	run 0 stimg keys getpub "$k-test.pem"
	expect_same "$D/getpub-$k.c" out
	[ ! -s err ] || fail "getpub $k: $(cat err)"
	run 0 stimg keys getpub --lang rust "$k-test.pem"
	expect_same "$D/getpub-$k.rs" out
	run 0 stimg keys getpub "$k-test.pem" --lang c -o "$k.c"
	expect_same "$D/getpub-$k.c" "$k.c"
	[ ! -s out ] || fail "getpub -o also printed"
done
run 0 stimg keys getpub "$D/ed25519-test.pub.pem"
expect_same "$D/getpub-ed25519.c" out
run 0 stimg keys getpub "$D/ecdsa-p256-test.ec.pem" -o - --lang c
expect_same "$D/getpub-ecdsa-p256.c" out

# a private key others may read: a warning, the output all the same
cp "$D/ed25519-test.pem" open.pem
chmod 644 open.pem
run 0 stimg keys getpub open.pem
expect_same "$D/getpub-ed25519.c" out
expect_err "stimg: warning: open.pem: the private key may be read by others (mode 0644); chmod 600 it"
run 0 stimg keys getpub -q open.pem
[ ! -s err ] || fail "-q: $(cat err)"

# errors: exit 3 for a file that cannot be read, 1 for what is not a key
# MCUboot takes, 2 for the options
err() {
	expect_error "$@"
	shift 2
	[ ! -s out ] || fail "'$*' printed: $(cat out)"
}
err 3 "missing.pem: cannot open: No such file or directory" \
	stimg keys getpub missing.pem
err 1 "$D/ecdsa-p384.pem: unsupported key type ecdsa on secp384r1 (MCUboot keys are ed25519, ecdsa-p256, rsa-2048 or rsa-3072)" \
	stimg keys getpub "$D/ecdsa-p384.pem"
err 1 "$D/rsa-1024.pem: unsupported key type rsa-1024 (MCUboot keys are ed25519, ecdsa-p256, rsa-2048 or rsa-3072)" \
	stimg keys getpub "$D/rsa-1024.pem"
err 1 "$D/x25519.pem: unsupported key type x25519 (MCUboot keys are ed25519, ecdsa-p256, rsa-2048 or rsa-3072)" \
	stimg keys getpub "$D/x25519.pem"
err 1 "$D/ed25519-encrypted.pem: the key is encrypted; stimg takes keys without a passphrase" \
	stimg keys getpub "$D/ed25519-encrypted.pem"
err 1 "$D/payload.bin: not a PEM key (no PRIVATE KEY or PUBLIC KEY block)" \
	stimg keys getpub "$D/payload.bin"
err 2 "generate needs --type (ed25519, ecdsa-p256, rsa-2048 or rsa-3072)" \
	stimg keys generate -o k.pem
err 2 "--type: unknown key type 'ecdsa-p384' (ed25519, ecdsa-p256, rsa-2048 or rsa-3072)" \
	stimg keys generate --type ecdsa-p384 -o k.pem
err 2 "no output: give -o KEY.pem" stimg keys generate --type ed25519
err 2 "a private key is never written to standard output: give -o KEY.pem" \
	stimg keys generate --type ed25519 -o -
err 2 "generate takes no file name but -o's, not 'k.pem'" \
	stimg keys generate --type ed25519 k.pem
err 2 "--lang is for getpub" stimg keys generate --type ed25519 --lang c -o k.pem
err 2 "--type is for generate" stimg keys getpub --type ed25519 open.pem
err 2 "--lang: 'java' is not c or rust" stimg keys getpub --lang java open.pem
err 2 "getpub needs a key file" stimg keys getpub
err 2 "getpub takes one key file, not 2" stimg keys getpub open.pem open.pem
err 2 "no action: generate or getpub" stimg keys
err 2 "unknown action 'show': generate or getpub" stimg keys show open.pem
expect_err "try 'stimg keys --help'"
ls k.pem 2>/dev/null && fail "a failed generate wrote k.pem"
exit 0
