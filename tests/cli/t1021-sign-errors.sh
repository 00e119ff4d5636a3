# stimg sign refuses, with its message and exit status, and writes
# nothing: a missing key file, a key MCUboot does not sign with (or a
# public or encrypted one), an image too large for its slot, a non-zero
# header area without --pad-header, a bad version string, and options that
# do not go together.
. "$STIMG_TOP/tests/cli/lib.sh"
D=$TOP/tests/data/mcuboot
cp "$D"/*.pem .
chmod 600 ./*.pem
in=$D/payload.bin@0x200

# refused STATUS MESSAGE ARGS...: stimg sign ARGS -o x.bin fails so, and
# leaves no x.bin
refused() {
	_st=$1 _msg=$2
	shift 2
	expect_error "$_st" "$_msg" stimg sign "$@" -o x.bin
	[ ! -e x.bin ] || fail "stimg sign $* left x.bin"
	ls -A | grep -q '^\.stimg-' && fail "a temporary file is left"
	return 0
}

# keys
refused 3 "missing.pem: cannot open: No such file or directory" \
	"$in" --key missing.pem --version 1 --pad-header
for k in ecdsa-p384:"ecdsa on secp384r1" rsa-1024:rsa-1024 x25519:x25519; do
	refused 1 "${k%%:*}.pem: unsupported key type ${k#*:} (MCUboot keys are ed25519, ecdsa-p256, rsa-2048 or rsa-3072)" \
		"$in" --key "${k%%:*}.pem" --version 1 --pad-header
done
refused 1 "ed25519-encrypted.pem: the key is encrypted; stimg takes keys without a passphrase" \
	"$in" --key ed25519-encrypted.pem --version 1 --pad-header
refused 2 "a public key cannot sign; give the private key" \
	"$in" --key ed25519-test.pub.pem --version 1 --pad-header

# the slot: the input with the header before it does not fit at all
# (refused before it is copied) ...
refused 1 "image too large for the slot: the input spans 0x00000200..0x00000DB7 (0xBB8 bytes) and the header goes before it, more than the slot size 0xC00" \
	"$in" --version 1 --pad-header --slot-size 0xC00
printf 'x' >byte.bin
run 0 stimg merge byte.bin@0x08000000 byte.bin@0x0FFFFFFF -o far.hex
refused 1 "image too large for the slot: the input spans 0x08000000..0x0FFFFFFF (0x8000000 bytes), more than the slot size 0x20000" \
	far.hex --version 1 --slot-size 0x20000
# without a slot size, more than 64 MiB is not read as one slot
refused 1 "the image spans 0x08000000..0x0FFFFFFF (0x8000000 bytes), more than the 0x4000000 of a slot" \
	far.hex --version 1
# ... or the signed image with the swap trailer (128 sectors x 3 x align,
# 4 x max-align, the magic) does not: imgtool's check, with or without --pad
refused 1 "image too large for the slot: 0xDE0 bytes signed and a 0x1B0-byte trailer exceed the slot size 0xF00" \
	"$in" --version 1 --pad-header --slot-size 0xF00
refused 1 "image too large for the slot: 0xE48 bytes signed and a 0x1B0-byte trailer exceed the slot size 0xFF0" \
	"$in" --key ed25519-test.pem --version 1 --pad-header \
	--slot-size 0xFF0 --pad
run 0 stimg sign "$in" --key ed25519-test.pem --version 1 --pad-header \
	--slot-size 0xFF8 --pad -o fits.bin
[ "$(wc -c <fits.bin)" = $((0xFF8)) ] || fail "fits.bin is $(wc -c <fits.bin) bytes"

# the header area: without --pad-header the first bytes must be zero
refused 1 "the header area 0x00000200..0x000003FF is not zero (0x1E at 0x00000200): give --pad-header to put the header before the input, or link the application header-size bytes above the slot" \
	"$in" --version 1.0.0
{ head -c 100 /dev/zero; printf '\001'; head -c 411 /dev/zero; cat "$D/payload.bin"; } >late.bin
refused 1 "the header area 0x08020000..0x080201FF is not zero (0x01 at 0x08020064): give --pad-header to put the header before the input, or link the application header-size bytes above the slot" \
	late.bin@0x08020000 --version 1.0.0
head -c 100 /dev/zero >short.bin
refused 1 "the input is 100 bytes, less than the header size 0x200; give --pad-header to put the header before it" \
	short.bin@0x08020000 --version 1.0.0
refused 1 "the 0x200-byte header does not fit below the input's lowest address 0x00000100" \
	"$D/payload.bin@0x100" --version 1 --pad-header
refused 1 "the image holds no data" /dev/null@0x08020000 --version 1

# the version: MAJ.MIN.REV+BUILD, decimal, each part in its field
refused 2 "no version: give --version MAJ.MIN.REV+BUILD" "$in" --pad-header
for v in "" abc 1.2.3.4 1.2.3+ 1..2 -1 "1.2.3+4 " 0x1 1.2+3; do
	refused 2 "version '$v' is not MAJ.MIN.REV+BUILD (e.g. 1.2.3+4; the parts after the first may be left out)" \
		"$in" --version "$v" --pad-header
done
refused 2 "version '256': major 256 does not fit (at most 255)" \
	"$in" --version 256 --pad-header
refused 2 "version '1.256': minor 256 does not fit (at most 255)" \
	"$in" --version 1.256 --pad-header
refused 2 "version '1.2.65536': revision 65536 does not fit (at most 65535)" \
	"$in" --version 1.2.65536 --pad-header
refused 2 "version '1.2.3+4294967296': build 4294967296 does not fit (at most 4294967295)" \
	"$in" --version 1.2.3+4294967296 --pad-header
refused 2 "version '01.2': major '01' has a leading zero" \
	"$in" --version 01.2 --pad-header

# options that do not go together
refused 2 "padding to the slot needs the slot size" \
	"$in" --version 1 --pad-header --pad
refused 2 "padding to the slot needs the slot size" \
	"$in" --version 1 --pad-header --confirm
refused 2 "header size 0x10 is outside 0x20..0xFFFF (the 32-byte header, a u16 field)" \
	"$in" --version 1 --pad-header --header-size 16
refused 2 "header size 0x10000 is outside 0x20..0xFFFF (the 32-byte header, a u16 field)" \
	"$in" --version 1 --pad-header --header-size 64K
refused 2 "alignment 3 is not 1, 2, 4, 8, 16 or 32" \
	"$in" --version 1 --pad-header --align 3
refused 2 "max alignment 4 is not 8, 16 or 32" \
	"$in" --version 1 --pad-header --max-align 4
refused 2 "max alignment 8 is below the alignment 16" \
	"$in" --version 1 --pad-header --align 16 --max-align 8
refused 2 "--security-counter: 'autox' is not a number (0x8008000, 134250496, 32K, 1M)" \
	"$in" --version 1 --pad-header --security-counter autox
refused 2 "--load-addr: '0x100000000' is too large (at most 0xFFFFFFFF)" \
	"$in" --version 1 --pad-header --load-addr 0x100000000
refused 2 "give one INPUT" "$in" "$in" --version 1
# (the formats it names are the format table's)
run 2 stimg sign "$in" --version 1 --pad-header -o x
grep -q "^stimg: error: cannot tell the output format of 'x'; use -O FORMAT (ihex, srec, bin" err ||
	fail "no output format: $(cat err)"
expect_error 2 "no output: give -o OUTPUT" stimg sign "$in" --version 1
expect_error 2 "sign: unknown option '--crc'; it is an option of patch, verify and serial" \
	stimg sign "$in" --version 1 --crc stm32 -o x.bin

# an existing output stays as it was when signing fails
printf 'old' >x.bin
expect_error 1 "the image holds no data" stimg sign /dev/null@0 --version 1 -o x.bin
[ "$(cat x.bin)" = old ] || fail "x.bin was changed"
exit 0
