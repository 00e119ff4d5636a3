# Every error of stimg patch and verify with its message and exit status:
# 2 for what the options say (a field too small, a value too large, a CRC
# range containing the CRC field, bad --version/--set/--crc), 1 for what the
# input lacks (a LOC not found, a LOC outside the ELF file data), 3 for I/O.
# Nothing is written on any error.
. "$STIMG_TOP/tests/cli/lib.sh"
cp "$FIXTURES/app.elf" .
run 0 stimg convert app.elf -o app.hex
cp app.elf before.elf

# err STATUS MESSAGE CMD...: CMD exits STATUS, stderr's first line is
# "stimg: error: MESSAGE", and no out.* file appears
err() {
	expect_error "$@"
	shift 2
	ls out.* 2>/dev/null && fail "'$*' wrote an output"
	expect_same app.elf before.elf
}
help_hint() {
	expect_err "try 'stimg $1 --help'"
}

# field too small
err 2 "the CRC field at 0x08008008 is 4 bytes; it needs 8" \
	stimg patch app.elf --crc crc-64/xz -o out.elf
err 2 "the CRC field at 0x08008008 is 2 bytes; it needs 4" \
	stimg patch app.hex --crc stm32 --crc-at 0x08008008+2 -o out.hex
err 2 "the version field at 0x08008008 is 4 bytes; u16x4 needs 8" \
	stimg patch app.elf --version 1.2.3.4 --version-at .crc \
	--version-format u16x4 -o out.elf
err 2 "version '1.2.3.4' does not fit the 4-byte field at 0x08008008 with its NUL" \
	stimg patch app.elf --version 1.2.3.4 --version-at .crc \
	--version-format string -o out.elf
err 2 "the size field at 0x08008010 is 2 bytes; it needs 4" \
	stimg patch app.hex --crc stm32 --crc-at 0x08008008+4 \
	--size-at 0x08008010+2 -o out.hex
err 2 "the --set field at 0x08008008 is 4 bytes; it needs 8" \
	stimg patch app.elf --set .crc=u64:1 -o out.elf
err 2 "the --set str field at 0x08008008 is 4 bytes; it needs 8" \
	stimg patch app.elf --set .crc=str:toolong -o out.elf
err 2 "the --set field at 0x08008008 is 4 bytes; it needs 5" \
	stimg patch app.elf --set .crc=hex:0102030405 -o out.elf
err 2 "CRC-82/DARC is wider than 64 bits: stimg patches CRCs of up to 64" \
	stimg patch app.elf --crc crc-82/darc -o out.elf
err 2 "cannot tell the version format of the 12-byte field at 0x08008000; give --version-format u16x4, u8x4, u32 or string" \
	stimg patch app.hex --version 1 --version-at 0x08008000+12 -o out.hex
err 2 "the version field at 0x08008000 has no size to tell its format by: give --version-at with a size (0x08008000+8) or --version-format" \
	stimg patch app.hex --version 1.2.3.4 --version-at 0x08008000 -o out.hex

# value too large
err 2 "--set: 70000 does not fit (at most 65535)" \
	stimg patch app.elf --set .crc=u16:70000 -o out.elf
err 2 "--set: 0x100000000 does not fit (at most 4294967295)" \
	stimg patch app.elf --set .crc=u32be:0x100000000 -o out.elf
err 2 "version '1.70000': part 70000 does not fit u16x4 (at most 65535)" \
	stimg patch app.elf --version 1.70000 -o out.elf
err 2 "version '1.2.3.256': part 256 does not fit u8x4 (at most 255)" \
	stimg patch app.elf --version 1.2.3.256 --version-at .crc -o out.elf
err 2 "version '300': part 300 does not fit u32 (at most 255)" \
	stimg patch app.elf --version 300 --version-at .crc --version-format u32 \
	-o out.elf

# a CRC range that contains the CRC field; for stm32 the word it reads
# to the end counts
err 2 "the CRC range 0x08008000..0x080088F7 contains the CRC field at 0x08008008" \
	stimg patch app.elf --crc stm32 --crc-range 0x08008000:0x080088F8 -o out.elf
err 2 "the CRC range 0x08008800..0x08008883 contains the CRC field at 0x08008880" \
	stimg patch app.hex --crc stm32 --crc-at 0x08008880 \
	--crc-range 0x08008800:0x08008881 -o out.hex
err 2 "the CRC range 0x08008800..0x080088FF contains the CRC field at 0x080088F4" \
	stimg patch app.elf --crc stm32 --crc-at counter \
	--crc-range 0x08008800+256 -o out.elf
err 2 "the CRC range 0x08008000..0x080088F7 contains the CRC field at 0x08008008" \
	stimg verify app.elf --crc-range 0x08008000:0x080088F8
# nothing but the fields: no range
printf '\377\377\377\377\377\377\377\377' >hdr.bin
err 1 "no CRC range: no data above the header fields (0x08008000..0x08008007) and none below them; give --crc-range" \
	stimg patch hdr.bin@0x08008000 --version 1 --version-at 0x08008000+4 \
	--crc stm32 --crc-at 0x08008004 -o out.bin

# LOC not found: the sections there are are listed
err 1 "no section '.checksum' in the input (sections that load: .fw_version, .crc, .isr_vector, .text, .rodata, .data)" \
	stimg patch app.elf --crc stm32 --crc-at .checksum -o out.elf
err 1 "no section or symbol 'serial' in the input (sections that load: .fw_version, .crc, .isr_vector, .text, .rodata, .data)" \
	stimg patch app.elf --set serial=u32:1 -o out.elf
err 1 "no section or symbol 'build_id' in the input (sections that load: .fw_version, .crc, .isr_vector, .text, .rodata, .data)" \
	stimg patch app.elf --crc stm32 --size-at build_id -o out.elf
# without sections (HEX): the default names are not there
err 1 "no section '.crc' in the input (sections that load: none); give --crc-at LOC" \
	stimg patch app.hex --crc stm32 -o out.hex
err 1 "no section '.fw_version' in the input (sections that load: none); give --version-at LOC" \
	stimg patch app.hex --version 1.2.3.4 -o out.hex
err 1 "no section '.crc' in the input (sections that load: none); give --crc-at LOC" \
	stimg verify app.hex
err 1 "no section '.checksum' in the input (sections that load: .fw_version, .crc, .isr_vector, .text, .rodata, .data)" \
	stimg verify app.elf --crc-at .checksum
# .bss has no bytes in the image
run 1 stimg patch app.elf --set .bss=u32:1 -o out.elf
grep -q "^stimg: error: .*'.bss'" err || { cat err; fail ".bss"; }

# LOC outside the file data of any section, for ELF output (HEX is fine)
err 1 "app.elf: 0x0800800C is in no section's file data: an ELF output can change only the bytes of sections" \
	stimg patch app.elf --crc stm32 --crc-at 0x0800800C -o out.elf
err 1 "app.elf: 0x080088F8 is in no section's file data: an ELF output can change only the bytes of sections" \
	stimg patch app.elf --set 0x080088F8=u8:1 -o out.elf
run 0 stimg patch app.elf --crc stm32 --crc-at 0x0800800C -o ok.hex
expect_err "stimg: note: patched ok.hex; stm32 0xA81685F8 of 0x08008800..0x080088F7 at 0x0800800C"

# ELF output from a HEX input, or from standard input
err 2 "ELF output needs an ELF input; write app.hex as ihex, srec or bin" \
	stimg patch app.hex --crc stm32 --crc-at 0x08008008 -o out.elf
err 2 "ELF output needs an ELF input; write app.hex as ihex, srec or bin" \
	stimg patch app.hex --crc stm32 --crc-at 0x08008008 -O elf -o out.x
run 2 stimg patch - --crc stm32 -o out.elf <app.elf
expect_err "stimg: error: an ELF file read from standard input cannot be patched in place; give its name"
[ -e out.elf ] && fail "out.elf written"

# usage
err 2 "nothing to patch: give --version, --crc, --sha256-at, --size-at or --set" \
	stimg patch app.elf -o out.elf
help_hint patch
err 2 "no output: give -o OUTPUT (it may be the input)" \
	stimg patch app.elf --crc stm32
err 2 "give one INPUT" stimg patch app.elf app.hex --crc stm32 -o out.hex
err 2 "give one INPUT" stimg patch --crc stm32 -o out.hex
err 2 "give one INPUT" stimg verify app.elf app.hex
err 2 "verify: unknown option '--set'; it is an option of patch and serial" \
	stimg verify app.elf --set .crc=u8:1
help_hint verify
err 2 "--version-format: 'u17' is not u16x4, u8x4, u32 or string" \
	stimg patch app.elf --version 1 --version-format u17 -o out.elf
err 2 "--endian: 'middle' is not little or big" \
	stimg patch app.elf --crc stm32 --endian middle -o out.elf
err 2 "--fill: '256' is too large (at most 0xFF)" \
	stimg patch app.elf --crc stm32 --fill 256 -o out.elf
err 2 "--crc-range: '5' is not a range inside the 32-bit address space (START:END or START+SIZE, e.g. 0x08008000+64K)" \
	stimg patch app.elf --crc stm32 --crc-range 5 -o out.elf
err 2 "-O: unknown format 'foo' (known: ihex, srec, bin, elf, dfu, uf2)" \
	stimg patch app.elf --crc stm32 -O foo -o out.elf
err 2 "patch: unknown option '--bogus'" stimg patch app.elf --bogus -o out.elf
err 2 "verify: unknown option '-o'" stimg verify app.elf -o out.elf
# a typo names the option meant
err 2 "patch: unknown option '--crc-rage'; did you mean '--crc-range'?" \
	stimg patch app.elf --crc stm32 --crc-rage 0x08008800+64 -o out.elf
help_hint patch
err 2 "verify: unknown option '--crc-att'; did you mean '--crc-at'?" \
	stimg verify app.elf --crc-att .crc

# bad --version
for v in 1.2.3.4.5 1.x 1..2 1.2. v1.2 -1 ''; do
	err 2 "--version: '$v' is not 1 to 4 numbers separated by dots (1.2.3.4)" \
		stimg patch app.elf --version "$v" -o out.elf
done
err 2 "--version: '1.2.3.4.5' is not 1 to 4 numbers separated by dots (1.2.3.4)" \
	stimg verify app.elf --version 1.2.3.4.5

# --set syntax and types
for s in counter counter=u32 =u32:1 counter:u32=1; do
	err 2 "--set: '$s' is not LOC=TYPE:VALUE (such as 0x08008010=u32:42)" \
		stimg patch app.elf --set "$s" -o out.elf
done
err 2 "--set: unknown type 'u24' (u8, u16, u32, u64, u16be, u32be, u64be, str, hex)" \
	stimg patch app.elf --set counter=u24:1 -o out.elf
err 2 "--set: 'twelve' is not a number" \
	stimg patch app.elf --set counter=u32:twelve -o out.elf
err 2 "--set: hex value 'ABC' is not whole bytes" \
	stimg patch app.elf --set counter=hex:ABC -o out.elf
err 2 "--set: invalid character 'Z' in column 1" \
	stimg patch app.elf --set counter=hex:Z1 -o out.elf

# unknown --crc algorithm: suggestions
err 2 "--crc: unknown algorithm 'stm33'; closest: stm32, sum32, sum8, sum16 ('stimg crc --list' shows all)" \
	stimg patch app.elf --crc stm33 -o out.elf
help_hint patch
err 2 "--crc: unknown algorithm 'crc-32/iso-hdcl'; closest: CRC-32/ISO-HDLC, CRC-16/ISO-HDLC, CRC-3/ROHC, CRC-32/ISCSI ('stimg crc --list' shows all)" \
	stimg verify app.elf --crc crc-32/iso-hdcl

# I/O
err 3 "nonexist.elf: cannot open: No such file or directory" \
	stimg patch nonexist.elf --crc stm32 -o out.elf
err 3 "nonexist.elf: cannot open: No such file or directory" \
	stimg verify nonexist.elf
ls -A | grep '^\.stimg-' && fail "temporary file left behind"
exit 0
