# --help of patch, verify and serial: on stdout, exit 0, the usage line
# first, the header options explained under their heading, LOC described;
# -h is the same. verify has no --set and no -o. (t0003 checks every
# option of every command against the parser and the man page.)
. "$STIMG_TOP/tests/cli/lib.sh"

header="--version V|--version-at LOC|--version-format u16x4[|]u8x4[|]u32[|]string|--crc ALGO|--crc-at LOC|--crc-range RANGE|--fill BYTE|--size-at LOC|--endian little[|]big"
for c in patch verify serial; do
	run 0 stimg $c --help
	[ -s err ] && fail "$c --help wrote to stderr: $(cat err)"
	grep -q "^usage: stimg $c INPUT" out || fail "$c --help: $(sed -n 1p out)"
	cp out "help-$c"
	run 0 stimg $c -h
	expect_same out "help-$c"
	# the heading, then the header options, each explained
	sed -n '/^header fields (by default the ELF sections .fw_version and .crc):$/,$p' \
		"help-$c" >hdr
	[ -s hdr ] || fail "$c --help: no header fields"
	[ "$(grep -Ec "^  ($header)( |\$)" hdr)" = 9 ] ||
		{ cat hdr; fail "$c --help does not explain the 9 header options"; }
	grep -qxF 'LOC: an address, START+SIZE, a section (.name) or a symbol' "help-$c" ||
		fail "$c --help does not say what LOC is"
	grep -qxF '  -q, --quiet           no warnings or notes' "help-$c" ||
		fail "$c --help: -q"
done
for c in patch serial; do
	grep -qxF '  --set LOC=TYPE:VALUE  TYPE u8, u16, u32, u64, u16be, u32be, u64be,' "help-$c" ||
		fail "$c --help: --set"
done
grep -q -- '--set\|^  -o' help-verify && fail "verify --help lists --set or -o"

# what each says it does
grep -qxF 'Writes the --set values, the version, the size and then the CRC into' help-patch ||
	fail "patch: the order"
grep -qxF '  -o, --output OUTPUT   the output; may be INPUT' help-patch || fail "patch -o"
grep -qxF 'Recomputes the CRC (default stm32) over its range and compares it with' help-verify ||
	fail "verify: what it does"
grep -qxF 'number (dev-%u.hex), %% a percent sign.' help-serial || fail "serial: the pattern"
grep -qxF '  --count K             how many outputs (default 1)' help-serial || fail "serial --count"

# the command list names them
run 0 stimg --help
grep -qxF '  patch      write version, size, CRC, values into the header' out || fail "stimg --help: patch"
grep -qxF '  verify     check the stored CRC; name the algorithm it is' out || fail "stimg --help: verify"
grep -qxF '  serial     one output per serial number' out || fail "stimg --help: serial"

# a bad option points at --help
run 2 stimg serial app.elf --bogus
expect_err "stimg: error: serial: unknown option '--bogus'"
expect_err "try 'stimg serial --help'"
exit 0
