# make and make install never install packages: a library pkg-config cannot
# find stops the build before anything compiles, with one line naming its
# package on Debian, Fedora, Homebrew and MSYS2. make deps installs the
# missing Debian packages (apt-get, said first); make check adds cmocka and
# the test tools, make demo does not. apt-get, dpkg and pkg-config are
# stand-ins here that record what they are asked.
. "$STIMG_TOP/tests/cli/lib.sh"

need make

mkdir bin
cat >bin/apt-get <<'EOF'
#!/bin/sh
echo "apt-get $*" >>"$LOGFILE"
EOF
# dpkg: nothing is installed
cat >bin/dpkg <<'EOF'
#!/bin/sh
exit 1
EOF
# pkg-config without libelf
cat >bin/pkg-config <<'EOF'
#!/bin/sh
for a in "$@"; do
	[ "$a" = libelf ] && exit 1
done
exec /usr/bin/pkg-config "$@"
EOF
chmod +x bin/*
export LOGFILE=$T/apt.log
: >"$LOGFILE"

# make (and make install) without libelf: one line, no compiler run, no
# apt-get
for goal in all install; do
	PATH=$T/bin:$PATH run 2 make -C "$TOP" O="$T/build" PREFIX="$T/p" $goal
	grep -v '^make' err >msg
	[ "$(cat msg)" = "stimg: library 'libelf' not found by pkg-config: install libelf-dev (Debian), elfutils-libelf-devel (Fedora), libelf (Homebrew) or mingw-w64-x86_64-libelf (MSYS2), or run 'make deps' on Debian" ] ||
		{ cat err; fail "make $goal: not the one line naming libelf's packages"; }
	[ -s "$LOGFILE" ] && fail "make $goal ran $(cat "$LOGFILE")"
	[ -n "$(find "$T/build" -name '*.o' 2>/dev/null)" ] && fail "make $goal compiled"
	[ -e "$T/p" ] && fail "make $goal installed"
done

# no pkg-config at all: the same, for pkg-config
run 2 make -C "$TOP" O="$T/build" PKG_CONFIG=no-such-pkg-config
grep -qxF "stimg: no-such-pkg-config not found: install pkg-config (Debian), pkgconf-pkg-config (Fedora), pkgconf (Homebrew) or mingw-w64-x86_64-pkgconf (MSYS2), or run 'make deps' on Debian" err ||
	{ cat err; fail "no pkg-config: not the one line"; }

# make deps: the missing packages, said and then installed; as root no sudo
PATH=$T/bin:$PATH run 0 sh "$TOP/tools/deps.sh" install pkg-config libelf-dev zlib1g-dev
if [ "$(id -u)" = 0 ]; then
	grep -qxF "make deps: installing pkg-config libelf-dev zlib1g-dev (apt-get install, Debian)" out ||
		{ cat out err; fail "make deps does not say what it installs"; }
	grep -qxF "apt-get install -y -qq --no-install-recommends pkg-config libelf-dev zlib1g-dev" "$LOGFILE" ||
		{ cat "$LOGFILE"; fail "make deps did not apt-get install the packages"; }
fi

# which packages each goal asks for
make -n -C "$TOP" O="$T/build" deps >n.out 2>&1
grep -qx "sh tools/deps.sh install pkg-config libelf-dev zlib1g-dev libssl-dev" n.out ||
	{ cat n.out; fail "make deps: $(grep deps.sh n.out)"; }
make -n -C "$TOP" O="$T/build" demo >n.out 2>&1
grep -qx "sh tools/deps.sh install pkg-config libelf-dev zlib1g-dev libssl-dev" n.out ||
	{ cat n.out; fail "make demo: $(grep deps.sh n.out)"; }
make -n -C "$TOP" O="$T/build" check >n.out 2>&1
grep -qx "sh tools/deps.sh install pkg-config libelf-dev zlib1g-dev libssl-dev libcmocka-dev srecord valgrind openssl strace dfu-util" n.out ||
	{ cat n.out; fail "make check: $(grep deps.sh n.out)"; }
for goal in all install; do
	make -n -C "$TOP" O="$T/build" PREFIX="$T/p" $goal >n.out 2>&1
	grep -q 'deps.sh install\|apt-get' n.out && fail "make $goal would install packages"
done
exit 0
