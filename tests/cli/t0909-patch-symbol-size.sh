# Issue 10, defect 6: a symbol's st_size never sizes an allocation. An
# 8-byte section holding a symbol that claims 0xF0000000 bytes made
# patch --set sym=str:a take 7.8 GB and write an 11 GB HEX, exit 0. A field
# is bounded by the bytes its section holds; larger is an error. (Outside
# a sanitizer build, under a 1 GB address-space limit: the old way failed
# for memory.)
. "$STIMG_TOP/tests/cli/lib.sh"
mkelf=$TOOLS/mkelf
[ -x "$mkelf" ] || fail "$mkelf is missing (make check builds it)"
bin=$STIMG_BUILD/stimg
sanitized=false
grep -aq -e __asan_init -e __ubsan_handle "$bin" && sanitized=true

"$mkelf" big.elf seg=0x08000000,0x100,0x10 sec=.text,0x08000000,0x100,8 \
	sec=.data,0x08000008,0x108,8 sym=big,0x08000008,0xF0000000,2 \
	sym=ok,0x08000008,8,2 sym=abs,0x08000100,0xF0000000,abs
limit() {
	if $sanitized; then "$@"; else (ulimit -v 1000000 && "$@"); fi
}
for out in big.elf big.hex; do
	limit "$bin" patch big.elf --set big=str:a -o $out >out 2>err
	st=$?
	[ $st -eq 1 ] || { cat err; fail "--set big=str:a -o $out: exit $st"; }
	expect_err "stimg: error: symbol 'big' at 0x08000008 is 4026531840 bytes, more than the 8 that its section '.data' holds from there"
done
[ ! -e big.hex ] || fail "big.hex written"
# within the section: fine, NUL-padded to the symbol's 8 bytes
run 0 stimg patch big.elf --set ok=str:abc -o ok.hex
run 0 stimg crc --algo crc32 --range 0x08000008+8 ok.hex
mv out got.crc
printf 'abc\000\000\000\000\000' >want.bin
run 0 stimg crc --algo crc32 want.bin@0x08000008
expect_same out got.crc
# an absolute symbol is an address: the value sizes the field
limit "$bin" patch big.elf --set abs=u8:1 -o abs.hex >out 2>err ||
	{ cat err; fail "--set abs=u8:1"; }
exit 0
