# Issue 10, defect 11: a field is never patched into the ELF file header,
# the program headers or the section headers, whatever a section claims.
. "$STIMG_TOP/tests/cli/lib.sh"
mkelf=$TOOLS/mkelf
[ -x "$mkelf" ] || fail "$mkelf is missing (make check builds it)"

# a section that claims the ELF header (offset 0) is read, but patch never
# writes there: the output would no longer be an ELF file
"$mkelf" hdr.elf seg=0x08000000,0,0x100 sec=.hdr,0x08000000,0,0x10 \
	sec=.text,0x08000040,0x40,0x10
cp hdr.elf before.elf
run 1 stimg patch hdr.elf --set .hdr=u32:1 -o hdr.elf
expect_err "stimg: error: hdr.elf: 0x08000000..0x0800000F is in section '.hdr' at file offset 0x0, which holds the ELF file header: an ELF output cannot change it"
expect_same before.elf hdr.elf
# the program headers (offset 0x34, 32 bytes) likewise
"$mkelf" ph.elf seg=0x08000000,0,0x100 sec=.ph,0x08000040,0x40,0x10
run 1 stimg patch ph.elf --set .ph=u32:1 -o out.elf
expect_err "stimg: error: ph.elf: 0x08000040..0x0800004F is in section '.ph' at file offset 0x40, which holds the program headers: an ELF output cannot change it"
[ ! -e out.elf ] || fail "out.elf written"
# a HEX output is no ELF file: there the bytes are just data
run 0 stimg patch hdr.elf --set .hdr=u32:1 -o hdr.hex
exit 0
