# stimg info on ELF: the header, the segments, the sections that load,
# every stripped range and why, and the header fields; golden text and
# JSON. Every fixture's stripped ranges are named (or "none").
. "$STIMG_TOP/tests/cli/lib.sh"
cp "$FIXTURES"/*.elf .

run 0 stimg info app-maxpage.elf
cat >want <<'X'
app-maxpage.elf: ELF
  elf           ELF32 little-endian executable (ET_EXEC), ARM; 3 program header(s), 3 loadable; 13 section header(s)
  entry point   0x08008881
  data          260 bytes in 2 region(s)
    0x08008000..0x0800800B          12 bytes
    0x08008800..0x080088F7         248 bytes
  gaps          1
    0x0800800C..0x080087FF        2036 bytes
  segments      3 loadable
      #  offset      file size   load addr   run addr    mem size    flags  in the image
      0  0x00000000  0x0000800C  0x08000000  0x08000000  0x0000800C  R      0x08008000..0x0800800B
      1  0x00008800  0x000000E4  0x08008800  0x08008800  0x000000E4  RX     0x08008800..0x080088E3
      2  0x00010000  0x00000014  0x080088E4  0x20000000  0x00000018  RW     0x080088E4..0x080088F7
  sections      6 that load
    .fw_version       0x08008000..0x08008007           8 bytes  segment 0
    .crc              0x08008008..0x0800800B           4 bytes  segment 0
    .isr_vector       0x08008800..0x0800887F         128 bytes  segment 1
    .text             0x08008880..0x080088CB          76 bytes  segment 1
    .rodata           0x080088CC..0x080088E3          24 bytes  segment 1
    .data             0x080088E4..0x080088F7          20 bytes  segment 2, runs at 0x20000000
  stripped      1 range(s)
    0x08000000..0x08007FFF (32 KiB): ELF file header, program headers and padding before the first section of segment 0, not flashed
  header        .fw_version at 0x08008000, 8 bytes: 01 00 02 00 03 00 04 00
                .crc at 0x08008008, 4 bytes: FF FF FF FF
  vector table  at 0x08008800: initial SP 0x20020000 (plausible), reset handler 0x08008881 (plausible)
X
expect_same want out

run 0 stimg info --json app-maxpage.elf
printf '%s\n' '{"files":[{"file":"app-maxpage.elf","format":"elf","attributes":{},"entry":134252673,"bytes":260,"regions":[{"start":134250496,"end":134250508,"size":12},{"start":134252544,"end":134252792,"size":248}],"gaps":[{"start":134250508,"end":134252544,"size":2036}],"vector_table":{"address":134252544,"initial_sp":537001984,"reset_handler":134252673,"sp_plausible":true,"reset_plausible":true},"stripped":[{"start":134217728,"end":134250496,"size":32768,"reason":"ELF file header, program headers and padding before the first section of segment 0"}],"sections":[{"name":".fw_version","start":134250496,"end":134250504,"size":8,"run_address":134250496,"offset":32768,"segment":0},{"name":".crc","start":134250504,"end":134250508,"size":4,"run_address":134250504,"offset":32776,"segment":0},{"name":".isr_vector","start":134252544,"end":134252672,"size":128,"run_address":134252544,"offset":34816,"segment":1},{"name":".text","start":134252672,"end":134252748,"size":76,"run_address":134252672,"offset":34944,"segment":1},{"name":".rodata","start":134252748,"end":134252772,"size":24,"run_address":134252748,"offset":35020,"segment":1},{"name":".data","start":134252772,"end":134252792,"size":20,"run_address":536870912,"offset":65536,"segment":2}],"header":[{"name":".fw_version","start":134250496,"end":134250504,"size":8,"bytes":"0100020003000400"},{"name":".crc","start":134250504,"end":134250508,"size":4,"bytes":"FFFFFFFF"}],"elf":{"class":32,"endian":"little","type":"EXEC","type_number":2,"machine":"ARM","machine_number":40,"flags":83886592,"entry":134252673,"program_headers":3,"section_headers":13,"segments":[{"index":0,"offset":0,"file_size":32780,"load_address":134217728,"run_address":134217728,"memory_size":32780,"flags":"R","image":{"start":134250496,"end":134250508}},{"index":1,"offset":34816,"file_size":228,"load_address":134252544,"run_address":134252544,"memory_size":228,"flags":"RX","image":{"start":134252544,"end":134252772}},{"index":2,"offset":65536,"file_size":20,"load_address":134252772,"run_address":536870912,"memory_size":24,"flags":"RW","image":{"start":134252772,"end":134252792}}]},"mcuboot":null}]}' >want
expect_same want out

# every fixture: its stripped ranges, all of them
run 0 stimg info app.elf app-keil.elf
[ "$(grep -c '^  stripped      none$' out)" -eq 2 ] ||
	{ cat out; fail "app.elf and app-keil.elf: not 'stripped none'"; }
run 0 stimg info app-nosh.elf
grep -qxF '  sections      none: no section headers, whole segments loaded' out ||
	{ cat out; fail "app-nosh.elf: sections"; }
grep -qxF '  stripped      none' out || { cat out; fail "app-nosh.elf: stripped"; }
grep -qxF '      0  0x00000000  0x0000800C  0x08000000  0x08000000  0x0000800C  R      0x08000000..0x0800800B' out ||
	{ cat out; fail "app-nosh.elf: segment 0 not loaded whole"; }

# a shared object for x86-64 with no PT_LOAD: read, and said what it is
# (e_type at 16, e_machine at 18; each p_type at 0x34 + 32 * i)
cp app.elf dyn.elf
printf '\003\000\076\000' | dd of=dyn.elf bs=1 seek=16 conv=notrunc 2>/dev/null
for at in 52 84 116; do
	printf '\000' | dd of=dyn.elf bs=1 seek=$at conv=notrunc 2>/dev/null
done
run 0 stimg info dyn.elf
grep -qxF '  elf           ELF32 little-endian shared object or position-independent executable (ET_DYN), x86-64 (not ARM); 3 program header(s), 0 loadable; 13 section header(s)' out ||
	{ cat out; fail "dyn.elf: the elf line"; }
grep -qxF '  segments      none loadable: nothing to flash' out ||
	{ cat out; fail "dyn.elf: segments"; }
run 0 stimg info --json dyn.elf
grep -qF '"elf":{"class":32,"endian":"little","type":"DYN","type_number":3,"machine":"x86-64","machine_number":62,' out ||
	{ cat out; fail "dyn.elf: JSON"; }
exit 0
