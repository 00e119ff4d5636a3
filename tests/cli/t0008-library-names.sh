# The library's names and habits, from the built archive (nm): it defines
# only stimg_ names (internal ones are stimg__, hidden in the shared
# library), and it never prints, exits or aborts on its own, nor touches
# the process's umask: it returns an error and a diagnostic instead.
. "$STIMG_TOP/tests/cli/lib.sh"
need nm

lib=$STIMG_BUILD/libstimg.a
[ -f "$lib" ] || fail "no $lib (make check builds it)"
# (ASan's ODR indicators of the globals, __odr_asan.NAME, are the
# sanitizer's, in SANITIZE builds only)
nm -g --defined-only "$lib" | awk 'NF == 3 && $3 !~ /^__odr_asan/ { print $3 }' |
	sort -u >defined
[ -s defined ] || fail "nm found no names in $lib"
if grep -v '^stimg_' defined >other; then
	cat other
	fail "libstimg.a defines names without the stimg_ prefix (above)"
fi
nm -u "$lib" | awk '{ print $NF }' | sort -u >undefined
for f in printf puts putchar perror exit _exit abort umask; do
	grep -qx "$f" undefined && fail "libstimg.a calls $f"
done
echo "$(wc -l <defined) names, all stimg_; no printf, puts, perror, exit, abort or umask"
