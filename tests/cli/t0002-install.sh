# make install PREFIX=... puts the binary, the shared library (with its
# soname) and the static one, the headers, stimg.pc, the man page and the
# bash completion in place; a program that reads an ELF file through the
# library builds against the installed prefix through pkg-config, linked to
# the shared library and (--static) wholly static, and runs; DESTDIR stages
# the same tree; make uninstall removes it all. Installs the build under
# test ($STIMG_BUILD).
. "$STIMG_TOP/tests/cli/lib.sh"

need make
need pkg-config
need nm
need readelf
cc=${CC:-cc}
need "$cc"

want=$(sed -n 's/^#define STIMG_VERSION "\(.*\)"/\1/p' "$TOP/include/stimg/stimg.h")
[ -n "$want" ] || fail "no STIMG_VERSION in stimg.h"

# make_in LOG TARGET ARGS...: make TARGET from the tree; the log is shown on
# failure
make_in() {
	_log=$1
	shift
	make -C "$TOP" O="$STIMG_BUILD" "$@" >"$_log" 2>&1 || {
		cat "$_log"
		fail "make $* failed"
	}
}

installed="bin/stimg lib/libstimg.a lib/libstimg.so.$want lib/libstimg.so.0
lib/libstimg.so include/stimg/stimg.h lib/pkgconfig/stimg.pc
share/man/man1/stimg.1 share/bash-completion/completions/stimg"

p=$T/prefix
make_in install.log install PREFIX="$p"
for f in $installed; do
	[ -f "$p/$f" ] || fail "make install did not install $f"
done
[ -x "$p/bin/stimg" ] || fail "bin/stimg is not executable"
[ "$(readlink "$p/lib/libstimg.so")" = libstimg.so.0 ] ||
	fail "lib/libstimg.so -> $(readlink "$p/lib/libstimg.so")"
[ "$(readlink "$p/lib/libstimg.so.0")" = "libstimg.so.$want" ] ||
	fail "lib/libstimg.so.0 -> $(readlink "$p/lib/libstimg.so.0")"
readelf -d "$p/lib/libstimg.so.$want" >dyn
grep -q 'Library soname: \[libstimg.so.0\]' dyn || { cat dyn; fail "soname"; }
# the shared library exports the stimg_ names and nothing else
nm -D --defined-only "$p/lib/libstimg.so" | awk '{ print $3 }' >exports
grep -q '^stimg_read$' exports || fail "libstimg.so does not export stimg_read"
grep -v '^stimg_' exports >others
grep '^stimg__' exports >>others
[ -s others ] && fail "libstimg.so exports: $(cat others)"
for h in "$TOP"/include/stimg/*.h; do
	cmp -s "$h" "$p/include/stimg/${h##*/}" ||
		fail "include/stimg/${h##*/} differs from the source"
done
cmp -s "$TOP/completion/stimg.bash" "$p/share/bash-completion/completions/stimg" ||
	fail "the installed completion differs from completion/stimg.bash"
[ "$("$p/bin/stimg" --version)" = "stimg $want" ] ||
	fail "installed stimg --version: $("$p/bin/stimg" --version)"

# the .pc describes this prefix, even though the build was made for another
export PKG_CONFIG_PATH="$p/lib/pkgconfig"
[ "$(pkg-config --variable=prefix stimg)" = "$p" ] ||
	fail "stimg.pc prefix is $(pkg-config --variable=prefix stimg), not $p"
[ "$(pkg-config --modversion stimg)" = "$want" ] ||
	fail "stimg.pc version is $(pkg-config --modversion stimg)"

# reads an ELF file (libelf) and says what it holds
cat >app.c <<'C'
#include <stdio.h>
#include <stimg/format.h>
#include <stimg/image.h>
#include <stimg/stimg.h>

int main(int argc, char **argv)
{
	struct stimg_image img = STIMG_IMAGE_INIT;
	const struct stimg_format *fmt = NULL;
	struct stimg_diag d = { 0 };
	int ret;

	(void)argc;
	ret = stimg_read(&img, argv[1], NULL, STIMG_OVERLAP_ERROR, &fmt, &d);
	if (ret)
		printf("error: %s\n", d.msg);
	else
		printf("%s %s %s %llu\n", stimg_version(), STIMG_VERSION,
		       fmt->name, (unsigned long long)stimg_image_bytes(&img));
	stimg_image_release(&img);
	return ret != 0;
}
C
"$p/bin/stimg" info --json "$TOP/examples/app.elf" >info.json
bytes=$(sed -n 's/^{"files":\[{[^[]*"bytes":\([0-9]*\),.*/\1/p' info.json)
expected="$want $want elf $bytes"

# a sanitizer build's objects need the sanitizer runtime to link
san=
nm "$p/lib/libstimg.a" 2>/dev/null | grep -q __asan_ && san="$san -fsanitize=address"
nm "$p/lib/libstimg.a" 2>/dev/null | grep -q __ubsan_ && san="$san -fsanitize=undefined"

# shared: the program names only -lstimg; libstimg.so brings libelf, zlib
pkg-config --libs stimg >libs
[ "$(echo $(cat libs))" = "-L$p/lib -lstimg" ] || fail "pkg-config --libs stimg: $(cat libs)"
# shellcheck disable=SC2046,SC2086  # word splitting wanted
$cc $san -o app-shared app.c $(pkg-config --cflags --libs stimg) >cc.log 2>&1 || {
	cat cc.log
	fail "cannot build a program against the installed shared library"
}
readelf -d app-shared | grep -q 'Shared library: \[libstimg.so.0\]' ||
	fail "app-shared does not load libstimg.so.0"
out=$(LD_LIBRARY_PATH="$p/lib" ./app-shared "$TOP/examples/app.elf")
[ "$out" = "$expected" ] || fail "shared: '$out', expected '$expected'"

# static: --static adds what libstimg.a needs (Requires.private, and
# Libs.private: threads for stimg_crc_stream)
pkg-config --static --libs stimg >libs
grep -q -- '-lelf' libs && grep -q -- '-lz' libs && grep -q -- '-pthread' libs ||
	fail "pkg-config --static --libs stimg: $(cat libs)"
if [ -z "$san" ]; then
	# shellcheck disable=SC2046,SC2086
	$cc -static -o app-static app.c $(pkg-config --static --cflags --libs stimg) \
		>cc.log 2>&1 || {
		cat cc.log
		fail "cannot build a static program against the installed libstimg.a"
	}
	readelf -d app-static 2>&1 | grep -q NEEDED &&
		fail "app-static needs shared libraries"
	out=$(./app-static "$TOP/examples/app.elf")
	[ "$out" = "$expected" ] || fail "static: '$out', expected '$expected'"
fi

# DESTDIR stages the same tree for the final prefix
make_in stage.log install PREFIX=/usr DESTDIR="$T/stage"
for f in $installed; do
	[ -e "$T/stage/usr/$f" ] || fail "DESTDIR: no usr/$f"
done
grep -qx 'prefix=/usr' "$T/stage/usr/lib/pkgconfig/stimg.pc" ||
	fail "DESTDIR: stimg.pc: $(cat "$T/stage/usr/lib/pkgconfig/stimg.pc")"

# make uninstall removes every file it installed, and nothing else
touch "$p/lib/other.a" "$T/stage/usr/lib/other.a"
make_in uninstall.log uninstall PREFIX="$p"
make_in unstage.log uninstall PREFIX=/usr DESTDIR="$T/stage"
(cd "$p" && find . ! -type d) >left
[ "$(cat left)" = "./lib/other.a" ] || fail "left after make uninstall: $(cat left)"
(cd "$T/stage/usr" && find . ! -type d) >left
[ "$(cat left)" = "./lib/other.a" ] || fail "left after make uninstall DESTDIR: $(cat left)"
[ -d "$p/include/stimg" ] && fail "make uninstall left include/stimg"
exit 0
