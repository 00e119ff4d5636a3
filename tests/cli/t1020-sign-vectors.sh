# stimg sign against imgtool 2.4.0's own outputs (tests/data/mcuboot, its
# README says how each was made): Ed25519 and SHA-256-only images are
# deterministic, and stimg's are byte for byte imgtool's, trailers (--pad,
# --confirm, --align, --max-align), security counter and load address
# included; as Intel HEX at 0x08020000 the file holds the same data as
# imgtool's (srec_cmp) and is its very text; S-record holds it too.
. "$STIMG_TOP/tests/cli/lib.sh"
need srec_cmp
D=$TOP/tests/data/mcuboot
# the keys as a user keeps them, readable by the owner only (git keeps
# 0644, which would make every run warn)
cp "$D"/*.pem .
chmod 600 ./*.pem
# the payload with its lowest address 0x200 above 0: the header (0x200
# with --pad-header) goes at 0, as in imgtool's binary
in=$D/payload.bin@0x200

# sign WANT ARGS...: stimg sign ARGS writes WANT's bytes (-o out.bin)
sign() {
	_vec=$1
	shift
	rm -f out.bin
	run 0 stimg sign "$@" -o out.bin
	cmp out.bin "$D/$_vec" || fail "stimg sign $* differs from $_vec"
}

# imgtool's long options are stimg's; its -H -S are --header-size
# --slot-size
set -- --header-size 0x200 --pad-header --slot-size 0x20000
sign signed-ed25519.bin "$in" --key ed25519-test.pem --version 1.2.3+4 "$@"
expect_err "stimg: note: signed out.bin: MCUboot image at 0x00000000, version 1.2.3+4, ed25519, SHA-256 892d7b0f175317fc68e427c2682aab2b8930342dd736635be45444bd01324622"
[ "$(wc -l <err)" = 1 ] || fail "more than the note: $(cat err)"
[ ! -s out ] || fail "sign printed: $(cat out)"
sign signed-ed25519-padded-confirmed.bin "$in" --key ed25519-test.pem \
	--version 1.2.3+4 "$@" --pad --confirm --align 8
expect_err "stimg: note: signed out.bin: MCUboot image at 0x00000000, version 1.2.3+4, ed25519, padded and confirmed, SHA-256 892d7b0f175317fc68e427c2682aab2b8930342dd736635be45444bd01324622"
sign unsigned-sha256.bin "$in" --version 1.0.0 "$@"
expect_err "stimg: note: signed out.bin: MCUboot image at 0x00000000, version 1.0.0+0, no signature (no --key), SHA-256 062170dbd84db2461861c4534574184d6bb4b55722d0cc27bd629b28c11a4d58"
sign signed-ed25519-seccnt-auto.bin "$in" --key ed25519-test.pem \
	--version 1.2.3+4 "$@" --security-counter auto
sign signed-ed25519-seccnt-loadaddr.bin "$in" --key ed25519-test.pem \
	--version 3.1.0 "$@" --security-counter 0x10203 --load-addr 0x20000000
sign signed-ed25519-align16-confirmed.bin "$in" --key ed25519-test.pem \
	--version 1.0.0 --header-size 0x200 --pad-header --slot-size 0x4000 \
	--pad --confirm --align 16
sign signed-ed25519-align4-maxalign32.bin "$in" --key ed25519-test.pem \
	--version 1.0.0 --header-size 0x200 --pad-header --slot-size 16K \
	--pad --align 4 --max-align 32
# --confirm implies --pad
sign signed-ed25519-align16-confirmed.bin "$in" --key ed25519-test.pem \
	--version 1.0.0 --header-size 0x200 --pad-header --slot-size 0x4000 \
	--confirm --align 16
# -q: no note
run 0 stimg sign "$in" --key ed25519-test.pem --version 1.2.3+4 "$@" -q -o q.bin
[ ! -s err ] || fail "-q printed: $(cat err)"
expect_same q.bin "$D/signed-ed25519.bin"

# without --pad-header the input's first 0x200 bytes, zeros, become the
# header; the input may be at address 0 then
head -c 512 /dev/zero >zero-header.bin
cat "$D/payload.bin" >>zero-header.bin
sign unsigned-zero-header.bin zero-header.bin@0 --version 1.0.0 \
	--header-size 0x200 --slot-size 0x20000

# Intel HEX at 0x08020000: the same data as imgtool's, and its text
run 0 stimg sign "$D/payload.bin@0x08020200" --key ed25519-test.pem \
	--version 2.0.0+17 "$@" -o at.hex
run 0 srec_cmp at.hex -intel "$D/signed-ed25519-at-0x08020000.hex" -intel
expect_same at.hex "$D/signed-ed25519-at-0x08020000.hex"
# padded: imgtool's HEX holds the image, image_ok and the magic only ...
run 0 stimg sign "$D/payload.bin@0x08020200" --key ed25519-test.pem \
	--version 1.2.3+4 "$@" --pad --confirm --align 8 -o padded.hex
run 0 srec_cmp padded.hex -intel \
	"$D/signed-ed25519-padded-at-0x08020000.hex" -intel
expect_same padded.hex "$D/signed-ed25519-padded-at-0x08020000.hex"
# ... the rest of the slot is erased flash: as a binary, the whole slot
run 0 stimg convert padded.hex -o padded.bin
expect_same padded.bin "$D/signed-ed25519-padded-confirmed.bin"
# S-record (imgtool writes none): the same data
run 0 stimg sign "$D/payload.bin@0x08020200" --key ed25519-test.pem \
	--version 1.2.3+4 "$@" --pad --confirm --align 8 -o padded.s37
run 0 srec_cmp padded.s37 "$D/signed-ed25519-padded-at-0x08020000.hex" -intel
# standard output, the format from -O
run 0 stimg sign "$D/payload.bin@0x08020200" --key ed25519-test.pem \
	--version 2.0.0+17 "$@" -O ihex -o -
expect_same out "$D/signed-ed25519-at-0x08020000.hex"
expect_err "stimg: note: signed standard output: MCUboot image at 0x08020000, version 2.0.0+17, ed25519, SHA-256 9d7b4200671f85ccee406b415893d55dd4873c93856c2239374b87be2b5d5d39"
# a HEX input signs as its binary does
run 0 stimg convert "$D/payload.bin@0x08020200" -o payload.hex
run 0 stimg sign payload.hex --key ed25519-test.pem --version 2.0.0+17 "$@" \
	-o from-hex.hex
expect_same from-hex.hex "$D/signed-ed25519-at-0x08020000.hex"
exit 0
