# Shared by the CLI tests: . "$STIMG_TOP/tests/cli/lib.sh" at the top.
# Each test runs in a fresh temporary directory (the current one) and exits
# 0 when it passes; fail() ends it with a message.
set -u
: "${STIMG_BUILD:?run through make check}"
TOP=$STIMG_TOP
DATA=$STIMG_TOP/tests/cli/data
FIXTURES=$STIMG_TOP/tests/fixtures
CORPUS=$STIMG_SHARED/corpus
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

# need TOOL: skip (77) when TOOL is missing; CI=true turns that into a failure.
need() {
	command -v "$1" >/dev/null 2>&1 && return 0
	echo "needs $1"
	exit 77
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
