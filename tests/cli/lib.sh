# Shared by the CLI tests: . "$STIMG_TOP/tests/cli/lib.sh" at the top.
# Each test runs in a fresh temporary directory (the current one) and exits
# 0 when it passes; fail() ends it with a message.
set -u
: "${STIMG_BUILD:?run through make check}"
TOP=$STIMG_TOP
DATA=$STIMG_TOP/tests/cli/data
FIXTURES=$STIMG_TOP/tests/fixtures
BINCOPY=$STIMG_TOP/tests/data/bincopy
TOOLS=$STIMG_BUILD/tests/tools
T=$(mktemp -d "${TMPDIR:-/tmp}/stimg-t.XXXXXX")
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1

# stimg itself; under VALGRIND=1 through valgrind, any error exits 99.
stimg() {
	if [ -n "${VALGRIND:-}" ]; then
		valgrind -q --error-exitcode=99 --leak-check=full \
			--errors-for-leak-kinds=definite "$STIMG_BUILD/stimg" "$@"
	else
		"$STIMG_BUILD/stimg" "$@"
	fi
}

fail() {
	echo "FAIL: $*"
	exit 1
}

# run STATUS CMD...: runs CMD with stdout in ./out and stderr in ./err and
# fails unless it exits with STATUS.
run() {
	_want=$1
	shift
	"$@" >out 2>err
	_got=$?
	if [ "$_got" != "$_want" ]; then
		echo "stdout:"; cat out
		echo "stderr:"; cat err
		fail "'$*' exited $_got, expected $_want"
	fi
}

# expect_err TEXT: stderr (./err) holds TEXT exactly as a line.
expect_err() {
	grep -qxF -- "$1" err || { echo "stderr:"; cat err; fail "stderr lacks: $1"; }
}

# expect_error STATUS MESSAGE CMD...: CMD exits STATUS and the first line
# of its stderr is "stimg: error: MESSAGE".
expect_error() {
	_st=$1 _msg=$2
	shift 2
	run "$_st" "$@"
	[ "$(sed -n 1p err)" = "stimg: error: $_msg" ] ||
		{ cat err; fail "'$*': not the message: $_msg"; }
}

# expect_same FILE1 FILE2: byte for byte.
expect_same() {
	cmp -- "$1" "$2" || fail "$1 and $2 differ"
}

# package TOOL: the Debian package(s) that provide TOOL.
package() {
	case $1 in
	srec_*) echo srecord ;;
	arm-none-eabi-gcc) echo gcc-arm-none-eabi ;;
	arm-none-eabi-*) echo binutils-arm-none-eabi ;;
	aarch64-linux-gnu-gcc) echo gcc-aarch64-linux-gnu libc6-dev-arm64-cross ;;
	qemu-aarch64) echo qemu-user ;;
	dfu-suffix) echo dfu-util ;;
	nm | readelf | objcopy | objdump) echo binutils ;;
	cc) echo gcc ;;
	timeout) echo coreutils ;;
	taskset) echo util-linux ;;
	/usr/bin/python3) echo python3 ;;
	*/*) basename "$1" ;;
	*) echo "$1" ;;
	esac
}

# need TOOL...: skip (77) when a TOOL is missing, naming the Debian
# packages of all that are (tests/run.sh collects them); CI=true turns a
# skip into a failure.
need() {
	_missing= _pkgs=
	for _t in "$@"; do
		command -v "$_t" >/dev/null 2>&1 && continue
		_missing="$_missing $_t" _pkgs="$_pkgs $(package "$_t")"
	done
	[ -z "$_missing" ] && return 0
	echo "needs$_missing: apt-get install${_pkgs}"
	exit 77
}

# need_python MODULE PACKAGE: Debian's python3 (/usr/bin/python3, what a
# fresh Debian has) with MODULE, from the Debian package PACKAGE.
need_python() {
	need /usr/bin/python3
	/usr/bin/python3 -c "import $1" 2>/dev/null && return 0
	echo "needs the python module $1: apt-get install $2"
	exit 77
}

# need_aarch64: skips without the AArch64 cross compiler and qemu-aarch64,
# and sets sysroot to Debian's cross C library, which QEMU's loader reads
# (-L).
need_aarch64() {
	need aarch64-linux-gnu-gcc qemu-aarch64
	sysroot=${QEMU_LD_PREFIX:-/usr/aarch64-linux-gnu}
	[ -d "$sysroot" ] || fail "no AArch64 sysroot at $sysroot (libc6-dev-arm64-cross)"
}

# aarch64_cc ARGS...: aarch64-linux-gnu-gcc with the project's warnings
# (as errors) and include paths.
aarch64_cc() {
	run 0 aarch64-linux-gnu-gcc -std=c11 -O2 -Wall -Wextra \
		-Wstrict-prototypes -Wmissing-prototypes -Wvla -Wwrite-strings \
		-Werror -D_GNU_SOURCE -I"$TOP/include" -I"$TOP/src" "$@"
}

# ihex ADDR TYPE HEXBYTES: one Intel HEX record, checksum computed here
# (independently of stimg), e.g. ihex 0x0100 00 4142 -> :020100004142..
ihex() {
	_a=$(($1)) _d=$3 _n=$((${#3} / 2))
	_s=$((_n + (_a >> 8) + (_a & 255) + 0x$2))
	_i=0
	while [ $_i -lt $_n ]; do
		_s=$((_s + 0x$(printf '%s' "$_d" | cut -c$((2 * _i + 1))-$((2 * _i + 2)))))
		_i=$((_i + 1))
	done
	printf ':%02X%04X%s%s%02X\n' $_n $_a "$2" "$_d" $(((256 - (_s & 255)) & 255))
}

# poke FILE OFFSET HEX...: the bytes at OFFSET replaced by HEX (two
# digits each), in place
poke() {
	_f=$1 _at=$2
	shift 2
	for _b; do
		printf "\\$(printf %03o $((0x$_b)))" |
			dd of="$_f" bs=1 seek="$_at" conv=notrunc 2>/dev/null
		_at=$((_at + 1))
	done
}

# bytes FILE OFFSET COUNT: those bytes as lower-case hex, nothing between
bytes() {
	od -v -An -tx1 -j "$2" -N "$3" "$1" | tr -d ' \n'
}

# recipe NAME: the code block after the line "<!-- recipe: NAME -->" in
# doc/integration.md, as the reader copies it; fails when there is none.
recipe() {
	awk -v mark="<!-- recipe: $1 -->" '
		$0 == mark { found = 1; next }
		found && /^```/ { if (inside) exit; inside = 1; next }
		inside { print }' "$TOP/doc/integration.md" >"recipe-$1"
	[ -s "recipe-$1" ] || fail "doc/integration.md has no recipe $1"
	cat "recipe-$1"
}
