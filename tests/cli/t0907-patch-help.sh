# --help of patch, verify and serial: on stdout, exit 0, the usage line
# first, every long option of the command's table (its own and the header
# options of src/cmd/cmd.h) explained, LOC described; -h is the same.
. "$STIMG_TOP/tests/cli/lib.sh"

header=$(sed -n 's/^[[:space:]]*{ *"\([a-z0-9-]*\)", required_argument, NULL, HDR_.*/\1/p' \
	"$TOP/src/cmd/cmd.h")
[ "$(echo $header)" = "version version-at version-format crc crc-at crc-range fill endian size-at set" ] ||
	fail "header options: $(echo $header)"

for c in patch verify serial; do
	run 0 stimg $c --help
	[ -s err ] && fail "$c --help wrote to stderr: $(cat err)"
	grep -q "^usage: stimg $c INPUT" out || fail "$c --help: $(sed -n 1p out)"
	cp out "help-$c"
	run 0 stimg $c -h
	expect_same out "help-$c"
	own=$(sed -n 's/^[[:space:]]*{ *"\([a-z0-9-]*\)", [a-z_]*_argument.*/\1/p' "$TOP/src/cmd/$c.c")
	[ -n "$own" ] || fail "no option table in src/cmd/$c.c"
	for o in $own $header; do
		case $o in
		output) grep -q -- '-o ' "help-$c" || fail "$c --help lacks -o" ;;
		help|quiet|verbose) grep -q -- '-q, -v, -h' "help-$c" || fail "$c --help lacks -q, -v, -h" ;;
		*) grep -q -- "  --$o " "help-$c" || fail "$c --help does not explain --$o" ;;
		esac
	done
	grep -qxF 'LOC: an address, START+SIZE, a section (.name) or a symbol' "help-$c" ||
		fail "$c --help does not say what LOC is"
	grep -qxF 'header fields (by default the ELF sections .fw_version and .crc):' "help-$c" ||
		fail "$c --help: no header fields"
done

# what each says it does
grep -qxF 'Writes the --set values, the version, the size and then the CRC into' help-patch ||
	fail "patch: the order"
grep -qxF '  -o OUTPUT             the output; may be INPUT' help-patch || fail "patch -o"
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
expect_err "stimg: error: bad option"
expect_err "try 'stimg serial --help'"
exit 0
