# The bash completion (completion/stimg.bash) completes commands, each
# command's options (exactly the long options of its --help), the values
# of --crc/--algo (every CRC algorithm), -O/-I (the formats) and options
# with a fixed set of values, and leaves everything else to file names.
. "$STIMG_TOP/tests/cli/lib.sh"
need bash

# comp WORD...: what the completion offers for "stimg WORD..." with the
# cursor at the end of the last word, one per line
comp() {
	PATH="$STIMG_BUILD:$PATH" bash -c '
		. "$1"
		shift
		COMP_WORDS=(stimg "$@")
		COMP_CWORD=$#
		_stimg
		printf "%s\n" "${COMPREPLY[@]}"' comp "$TOP/completion/stimg.bash" "$@" \
		>comp.out 2>comp.err || { cat comp.err; fail "completion failed: $*"; }
	[ -s comp.err ] && { cat comp.err; fail "completion wrote to stderr: $*"; }
	cat comp.out
}
# offers WANT WORD...: the completion of WORD... is WANT (lines joined by
# spaces)
offers() {
	_want=$1
	shift
	_got=$(comp "$@" | tr '\n' ' ')
	[ "$_got" = "$_want " ] || [ "$_got" = "$_want" ] ||
		fail "stimg $*<TAB>: '$_got', expected '$_want'"
}

PATH="$STIMG_BUILD:$PATH" bash -c '. "$1"; complete -p stimg' _ \
	"$TOP/completion/stimg.bash" >spec
[ "$(cat spec)" = "complete -o default -F _stimg stimg" ] || fail "complete -p: $(cat spec)"

offers "info convert merge bin strip crc patch verify serial sign keys --help --version" ""
offers "patch" pa
offers "--crc --crc-at --crc-range" patch --cr
offers "--size-at --sha256-at" verify --s
offers "--size-at --sha256-at --set" patch --s
offers "--slot-size --security-counter" sign --s
offers "1 2 4 8 16 32" sign --align ""
offers "16" sign --max-align 1
# values
offers "ihex srec bin elf dfu uf2" convert -O ""
offers "ihex srec bin elf dfu uf2" info -I ""
offers "first" convert --overlap f
offers "little big" patch app.elf --endian ""
offers "pad error" crc --tail ""
offers "u16x4 u8x4 u32 string" patch --version-format ""
offers "1 2 3" merge a.hex --srec-type ""
offers "bin" bin -O ""
offers "stm32" crc --algo st
offers "--crc=stm32" patch --crc=st
offers "stm32" crc --algo = st
offers "crc-32/iscsi crc-32/iso-hdlc" patch --crc crc-32/is
comp crc --algo "" >algos
[ "$(wc -l <algos)" -gt 150 ] || fail "--algo offers $(wc -l <algos) algorithms"
for a in stm32 CRC-32/ISO-HDLC CRC-16/IBM-3740 XMODEM MODBUS sum8-neg; do
	grep -qxF "$a" algos || fail "--algo does not offer $a"
done
comp crc --algo = "" | cmp -s - algos || fail "--algo= offers other algorithms"
# files: inputs, -o, values without a fixed set, after --
offers "" info ""
offers "" patch app.elf -o ""
offers "" patch --crc-range ""
offers "" convert -- -""
offers "" convert -o --crc ""
offers "" nosuchcommand --""

# every command: "-" offers exactly its options, as --help lists them
for c in $(sed -n 's/^[[:space:]]*{ *"\([a-z0-9-]*\)", *cmd_.*/\1/p' "$TOP/src/main.c"); do
	"$STIMG_BUILD/stimg" $c --help | sed -n 's/^  \(-., \)\{0,1\}\(--[a-z0-9-]*\).*/\2/p' >want
	comp $c -- | sort >got
	sort want | cmp -s - got || { diff want got; fail "$c --<TAB> differs from its --help"; }
done
exit 0
