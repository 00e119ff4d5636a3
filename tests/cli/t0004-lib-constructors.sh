# The library runs no code before main(): no object in libstimg.a has a
# constructor (.init_array or .ctors); its tables are const data.
. "$STIMG_TOP/tests/cli/lib.sh"
need objdump

run 0 objdump -h "$STIMG_BUILD/libstimg.a"
grep -q 'file format' out || fail "objdump read nothing from libstimg.a"
if grep -E '\.(init_array|ctors)' out; then
	fail "libstimg.a has constructors"
fi
exit 0
