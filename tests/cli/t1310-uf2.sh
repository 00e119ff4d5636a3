# UF2 output (-O uf2, .uf2): random sparse images, aligned and not, are
# written byte for byte as the test's own reference writer
# (tests/tools/flashref) writes them and read back as their 256-byte pages
# padded with 0xFF (srec_cat -range-padding 256 says which); the family
# table; --uf2-family required, by name or number, and its errors; --fill
# and the padding; what info shows; the flashing hint.
. "$STIMG_TOP/tests/cli/lib.sh"
need srec_cat srec_cmp

gen=$TOOLS/gen_image
ref=$TOOLS/flashref
names="at32f415, atmega32, bk7231n, bk7231u, bk7251, bl602, ch32v, csk4, csk6, esp32, esp32c2, esp32c3, esp32c5, esp32c6, esp32c61, esp32h2, esp32h21, esp32h4, esp32p4, esp32s2, esp32s3, esp32s31, esp8266, fx2, gd32f350, gd32vf103, kl32l2, lpc55, m0sense, maixplay-u4, max32650, max32666, max32690, max78002, mimxrt10xx, nrf52, nrf52820, nrf52832xxaa, nrf52832xxab, nrf52833, nrf52840, py32f071-uvk5-v3, ra4m1, rp2040, rp2350_arm_ns, rp2350_arm_s, rp2350_riscv, rp2xxx_absolute, rp2xxx_data, rtl8710a, rtl8710b, rtl8720c, rtl8720d, rza1lu, samd21, samd51, saml21, stm32f0, stm32f1, stm32f2, stm32f3, stm32f4, stm32f407, stm32f407vg, stm32f411xc, stm32f411xe, stm32f7, stm32g0, stm32g4, stm32h5, stm32h7, stm32l0, stm32l1, stm32l4, stm32l5, stm32wb, stm32wl, xr809"

for seed in 1 2 3 4 5 6; do
	for g in "-p near" "-p near -A 256" "-p wide -n 30 -m 3000" \
		"-p low -a mixed -r 0 -e"; do
		"$gen" -s "$seed" $g >r.hex || fail "gen_image -s $seed $g"
		run 0 stimg convert -q r.hex -o r.uf2 --uf2-family stm32f4
		"$ref" uf2 -f 0x57755A57 <r.hex >ref.uf2 || fail "flashref uf2"
		cmp r.uf2 ref.uf2 || fail "seed $seed ($g): not the reference's bytes"
		run 0 stimg convert r.uf2 -o back.hex
		srec_cat r.hex -Intel -fill 0xFF -within r.hex -Intel \
			-range-padding 256 -o want.hex -Intel
		srec_cmp want.hex -Intel back.hex -Intel >out 2>&1 ||
			{ cat out; fail "seed $seed ($g): read back, not the padded pages"; }
	done
done

# le32 VALUE: as bytes() shows a little-endian u32
le32() {
	printf '%02x%02x%02x%02x' $(($1 & 255)) $(($1 >> 8 & 255)) \
		$(($1 >> 16 & 255)) $(($1 >> 24 & 255))
}

# 4 bytes at 0x08000000, 1 at 0x08000100, 2 at 0x08000201: three pages
{ ihex 0 04 0800; ihex 0 00 00112233; ihex 0x100 00 44; ihex 0x201 00 5566
  ihex 0 01 ""; } >r.hex

# the families the issue names, and others, by name (any case) and number
for f in stm32f0:0x647824B6 stm32f1:0x5EE21072 stm32f2:0x5D1A0A2E \
	stm32f3:0x6B846188 stm32f4:0x57755A57 stm32f7:0x53B80F00 \
	stm32g0:0x300F5633 stm32g4:0x4C71240A stm32h5:0x4E8F1C5D \
	stm32h7:0x6DB66082 stm32l0:0x202E3A91 stm32l1:0x1E1F432D \
	stm32l4:0x00FF6919 stm32l5:0x04240BDF stm32wb:0x70D16653 \
	stm32wl:0x21460FF0 STM32F4:0x57755A57 rp2040:0xE48BFF56 \
	samd21:0x68ED2B88 nrf52840:0xADA52840 0x12345678:0x12345678 \
	305419896:0x12345678; do
	run 0 stimg convert -q r.hex -o f.uf2 --uf2-family "${f%%:*}"
	[ "$(bytes f.uf2 28 4)" = "$(le32 "${f#*:}")" ] ||
		fail "--uf2-family ${f%%:*}: $(bytes f.uf2 28 4)"
done

# the blocks: header, payload, padding, end magic
run 0 stimg convert -q r.hex -o p.uf2 --uf2-family=stm32f4
[ "$(wc -c <p.uf2)" -eq 1536 ] || fail "p.uf2 is $(wc -c <p.uf2) bytes"
for b in 0 1 2; do
	at=$((b * 512))
	[ "$(bytes p.uf2 $at 32)" = "$(le32 0x0A324655)$(le32 0x9E5D5157)$(le32 0x2000)$(le32 $((0x08000000 + 256 * b)))$(le32 256)$(le32 $b)$(le32 3)$(le32 0x57755A57)" ] ||
		fail "block $b's header: $(bytes p.uf2 $at 32)"
	[ "$(bytes p.uf2 $((at + 508)) 4)" = "$(le32 0x0AB16F30)" ] ||
		fail "block $b's end magic"
	[ "$(bytes p.uf2 $((at + 288)) 220)" = "$(printf '00%.0s' $(seq 220))" ] ||
		fail "block $b: the data past the payload is not zero"
done
[ "$(bytes p.uf2 32 6)" = 00112233ffff ] || fail "page 0: $(bytes p.uf2 32 6)"
[ "$(bytes p.uf2 $((512 + 32)) 2)" = 44ff ] || fail "page 1: $(bytes p.uf2 544 2)"
[ "$(bytes p.uf2 $((1024 + 32)) 4)" = ff5566ff ] || fail "page 2: $(bytes p.uf2 1056 4)"
[ "$(bytes p.uf2 $((1024 + 32 + 255)) 1)" = ff ] || fail "page 2's last byte"
# --fill fills the holes inside the span; the pages' ends past it stay 0xFF
run 0 stimg convert -q r.hex --fill 0x00 -o z.uf2 --uf2-family stm32f4
[ "$(bytes z.uf2 32 6)" = 001122330000 ] || fail "--fill, page 0: $(bytes z.uf2 32 6)"
[ "$(bytes z.uf2 $((1024 + 32)) 4)" = 005566ff ] || fail "--fill, page 2: $(bytes z.uf2 1056 4)"
# ... or every byte of the pages, given the range
run 0 stimg convert -q r.hex --fill 0x00@0x08000000+0x300 -o z.uf2 --uf2-family stm32f4
[ "$(bytes z.uf2 $((1024 + 32 + 255)) 1)" = 00 ] || fail "--fill to the page's end"

# info
run 0 stimg info p.uf2
for l in "p.uf2: UF2" "  family        stm32f4 (0x57755A57)" "  blocks        3" \
	"    0x08000000..0x080002FF         768 bytes"; do
	grep -qxF -- "$l" out || { cat out; fail "info: no line: $l"; }
done
run 0 stimg info --json p.uf2
grep -qF '"format":"uf2","attributes":{"family":"stm32f4 (0x57755A57)","blocks":"3"}' out ||
	{ cat out; fail "info --json attributes"; }
run 0 stimg convert -q r.hex -o n.uf2 --uf2-family 0x12345678
run 0 stimg info n.uf2
grep -qxF "  family        0x12345678" out || { cat out; fail "a family without a name"; }

# --uf2-family: required, known or a number
expect_error 2 "uf2 output needs --uf2-family NAME|NUMBER, the family the board's bootloader takes: $names; or a number, for a family without a name here (STM32U5 has none)" \
	stimg convert r.hex -o e.uf2
expect_error 2 "--uf2-family: unknown family 'stm32u5'; give one of $names, or a number" \
	stimg convert r.hex -o e.uf2 --uf2-family stm32u5
expect_error 2 "--uf2-family: unknown family '0x100000000'; give one of $names, or a number" \
	stimg convert r.hex -o e.uf2 --uf2-family 0x100000000
expect_error 2 "--uf2-family is an option of uf2 output, not of bin" \
	stimg convert r.hex -o e.bin --uf2-family stm32f4
[ ! -e e.uf2 ] && [ ! -e e.bin ] || fail "output written"
ls -A | grep -q '^\.stimg-' && fail "temporary file left behind"

# the hint
run 0 stimg merge r.hex -o all.uf2 --uf2-family stm32f4
expect_err "stimg: wrote all.uf2; to flash it:"
expect_err '  cp all.uf2 /media/$USER/DRIVE/   (DRIVE: the drive the board'"'"'s UF2 bootloader shows)'
exit 0
