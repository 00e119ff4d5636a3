# DfuSe output (-O dfu, .dfu): random sparse images, aligned and not, are
# written byte for byte as the test's own reference writer
# (tests/tools/flashref, made from the published layout) writes them,
# accepted by dfu-suffix --check (Debian's dfu-util) and read back the
# same; every option, its default and its errors; what info shows; the
# flashing hint.
. "$STIMG_TOP/tests/cli/lib.sh"
need dfu-suffix

gen=$TOOLS/gen_image
ref=$TOOLS/flashref

for seed in 1 2 3 4 5 6; do
	for g in "-p near" "-p near -A 256" "-p wide -n 30 -m 3000" \
		"-p low -a mixed -r 0 -e"; do
		"$gen" -s "$seed" $g >r.hex || fail "gen_image -s $seed $g"
		run 0 stimg convert -q r.hex -o r.dfu
		"$ref" dfu <r.hex >ref.dfu || fail "flashref dfu"
		cmp r.dfu ref.dfu || fail "seed $seed ($g): not the reference's bytes"
		dfu-suffix --check r.dfu >out 2>&1 ||
			{ cat out; fail "seed $seed ($g): dfu-suffix --check refuses it"; }
		# DfuSe has no entry point
		run 0 stimg convert r.hex --entry none -o want.hex
		run 0 stimg convert r.dfu -o back.hex
		expect_same want.hex back.hex
		run 0 stimg convert -I dfu - -o stdin.hex <r.dfu
		expect_same want.hex stdin.hex
	done
done

# the defaults: alternate setting 0, named "ST...", 0x0483:0xDF11, 0xFFFF
{ ihex 0 04 0800; ihex 0 00 00112233; ihex 0x100 00 44; ihex 0x201 00 5566
  ihex 0 01 ""; } >r.hex
run 0 stimg convert -q r.hex -o d.dfu
[ "$(bytes d.dfu 0 6)" = "446675536501" ] || fail "prefix: $(bytes d.dfu 0 6)"
[ "$(bytes d.dfu 10 1)" = 01 ] || fail "target count: $(bytes d.dfu 10 1)"
[ "$(bytes d.dfu 11 11)" = 5461726765740001000000 ] ||
	fail "target: $(bytes d.dfu 11 11)"
[ "$(bytes d.dfu 22 6)" = 53542e2e2e00 ] || fail "name: $(bytes d.dfu 22 6)"
size=$(wc -c <d.dfu)
[ "$(bytes d.dfu $((size - 16)) 12)" = ffff11df83041a0155464410 ] ||
	fail "suffix: $(bytes d.dfu $((size - 16)) 12)"
"$ref" dfu <r.hex >ref.dfu
expect_same ref.dfu d.dfu
run 0 stimg info d.dfu
expect_line() { grep -qxF -- "$1" out || { cat out; fail "no line: $1"; }; }
expect_line "d.dfu: DfuSe"
expect_line "  targets       1"
expect_line "  target 0      alt 0, 'ST...', 3 elements"
expect_line "  elements      3"
expect_line "  vid:pid       0x0483:0xDF11"
expect_line "  device        0xFFFF"
run 0 stimg info --json d.dfu
grep -qF '"format":"dfu","attributes":{"targets":"1","target 0":"alt 0, '"'ST...'"', 3 elements","elements":"3","vid:pid":"0x0483:0xDF11","device":"0xFFFF"}' out ||
	{ cat out; fail "info --json attributes"; }

# every option, into the file and back through info
name=$(printf 'x%.0s' $(seq 255))
run 0 stimg convert -q r.hex -o o.dfu --dfu-alt 2 --dfu-name "$name" \
	--dfu-vid 0x1209 --dfu-pid 0x70D0 --dfu-device 0x0102
"$ref" dfu -a 2 -n "$name" -v 0x1209 -p 0x70D0 -d 0x0102 <r.hex >ref.dfu
expect_same ref.dfu o.dfu
dfu-suffix --check o.dfu >out 2>&1 || { cat out; fail "dfu-suffix --check o.dfu"; }
grep -qxF 'Vendor ID:	0x1209' out || { cat out; fail "dfu-suffix: vendor"; }
run 0 stimg info o.dfu
expect_line "  target 0      alt 2, '$name', 3 elements"
expect_line "  vid:pid       0x1209:0x70D0"
expect_line "  device        0x0102"
run 0 stimg convert -q r.hex -O dfu -o - --dfu-name='a b' --dfu-alt=255
mv out stdout.dfu
[ "$(bytes stdout.dfu 17 8)" = ff01000000612062 ] ||
	fail "alt 255, name 'a b': $(bytes stdout.dfu 17 8)"

# errors: exit 2, no output
for e in \
	"--dfu-alt 256|--dfu-alt: '256' is too large (at most 0xFF)" \
	"--dfu-alt x|--dfu-alt: 'x' is not a number (0x8008000, 134250496, 32K, 1M)" \
	"--dfu-vid 0x10000|--dfu-vid: '0x10000' is too large (at most 0xFFFF)" \
	"--dfu-pid -1|--dfu-pid: '-1' is not a number (0x8008000, 134250496, 32K, 1M)" \
	"--dfu-device 65536|--dfu-device: '65536' is too large (at most 0xFFFF)" \
	"--dfu-name ${name}y|--dfu-name: 256 bytes, more than the 255 a DfuSe target's name holds"; do
	expect_error 2 "${e#*|}" stimg convert r.hex -o e.dfu ${e%%|*}
	[ ! -e e.dfu ] || fail "e.dfu written"
done
expect_error 2 "--dfu-alt is an option of dfu output, not of ihex" \
	stimg convert r.hex -o e.hex --dfu-alt 1
expect_error 2 "--dfu-vid is an option of dfu output, not of uf2" \
	stimg convert r.hex -o e.uf2 --dfu-vid 1 --uf2-family stm32f4
[ ! -e e.hex ] && [ ! -e e.uf2 ] || fail "output written"

# merge names the tools that flash it; -q says nothing
run 0 stimg merge "$TOP/examples/boot.hex" "$TOP/examples/app.elf" -o all.dfu
expect_err "stimg: wrote all.dfu; to flash it:"
expect_err "  dfu-util -a 0 -D all.dfu   (with --dfu-alt N: -a N)"
expect_err "  STM32_Programmer_CLI -c port=usb1 -w all.dfu"
run 0 stimg merge -q "$TOP/examples/boot.hex" "$TOP/examples/app.elf" -o all.dfu
[ ! -s err ] || fail "-q: $(cat err)"
run 0 stimg merge "$TOP/examples/boot.hex" "$TOP/examples/app.elf" -O dfu
! grep -q "to flash it" err || fail "a hint for standard output"
exit 0
