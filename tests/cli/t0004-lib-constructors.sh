# The library runs no code before main(): no object in libstimg.a has a
# constructor (.init_array or .ctors); its tables are const data. Priorities
# 0 to 100 belong to the implementation (a sanitizer's module constructors
# are .init_array.00099), so only those above count, and those without one.
. "$STIMG_TOP/tests/cli/lib.sh"
need objdump

run 0 objdump -h "$STIMG_BUILD/libstimg.a"
grep -q 'file format' out || fail "objdump read nothing from libstimg.a"
awk '$2 ~ /^\.(init_array|ctors)(\.[0-9]+)?$/ {
	n = split($2, part, ".")
	if (n < 3 || part[3] + 0 > 100)
		print
}' out >ctors
if [ -s ctors ]; then
	cat ctors
	fail "libstimg.a has constructors"
fi
exit 0
