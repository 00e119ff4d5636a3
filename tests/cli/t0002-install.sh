# make install PREFIX=... puts the binary, library, headers, stimg.pc and the
# man page in place, and a program builds against the installed library
# through pkg-config. Installs the build under test ($STIMG_BUILD).
. "$STIMG_TOP/tests/cli/lib.sh"

need make
need pkg-config
need nm
cc=${CC:-cc}
need "$cc"

want=$(sed -n 's/^#define STIMG_VERSION "\(.*\)"/\1/p' "$TOP/include/stimg/stimg.h")
[ -n "$want" ] || fail "no STIMG_VERSION in stimg.h"

# install LOG ARGS...: make install into the tree; the log is shown on failure
install_to() {
	_log=$1
	shift
	make -C "$TOP" O="$STIMG_BUILD" "$@" install >"$_log" 2>&1 || {
		cat "$_log"
		fail "make install $* failed"
	}
}

p=$T/prefix
install_to install.log PREFIX="$p"
for f in bin/stimg lib/libstimg.a include/stimg/stimg.h \
	 lib/pkgconfig/stimg.pc share/man/man1/stimg.1; do
	[ -f "$p/$f" ] || fail "make install did not install $f"
done
[ -x "$p/bin/stimg" ] || fail "bin/stimg is not executable"
for h in "$TOP"/include/stimg/*.h; do
	cmp -s "$h" "$p/include/stimg/${h##*/}" ||
		fail "include/stimg/${h##*/} differs from the source"
done
[ "$("$p/bin/stimg" --version)" = "stimg $want" ] ||
	fail "installed stimg --version: $("$p/bin/stimg" --version)"

# the .pc describes this prefix, even though the build was made for another
export PKG_CONFIG_PATH="$p/lib/pkgconfig"
[ "$(pkg-config --variable=prefix stimg)" = "$p" ] ||
	fail "stimg.pc prefix is $(pkg-config --variable=prefix stimg), not $p"
[ "$(pkg-config --modversion stimg)" = "$want" ] ||
	fail "stimg.pc version is $(pkg-config --modversion stimg)"

cat >version.c <<'C'
#include <stdio.h>
#include <stimg/stimg.h>

int main(void)
{
	printf("%s %s\n", stimg_version(), STIMG_VERSION);
	return 0;
}
C
# a sanitizer build's objects need the sanitizer runtime to link
san=
nm "$p/lib/libstimg.a" 2>/dev/null | grep -q __asan_ && san="$san -fsanitize=address"
nm "$p/lib/libstimg.a" 2>/dev/null | grep -q __ubsan_ && san="$san -fsanitize=undefined"
# shellcheck disable=SC2046,SC2086  # word splitting wanted
$cc $san -o version version.c $(pkg-config --cflags --libs stimg) >cc.log 2>&1 || {
	cat cc.log
	fail "cannot build a program against the installed library"
}
[ "$(./version)" = "$want $want" ] ||
	fail "stimg_version() and STIMG_VERSION say '$(./version)', expected '$want'"

# DESTDIR stages the same tree for the final prefix
install_to stage.log PREFIX=/usr DESTDIR="$T/stage"
[ -x "$T/stage/usr/bin/stimg" ] || fail "DESTDIR: no usr/bin/stimg"
grep -qx 'prefix=/usr' "$T/stage/usr/lib/pkgconfig/stimg.pc" ||
	fail "DESTDIR: stimg.pc: $(cat "$T/stage/usr/lib/pkgconfig/stimg.pc")"
exit 0
