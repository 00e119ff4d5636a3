# What a user's clone holds never points at the developers' folder
# "shared" beside their checkout (issue 9: the README, the man page, the tests
# and the Makefile name only files in the repository).
. "$STIMG_TOP/tests/cli/lib.sh"
cd "$TOP" || fail "cannot enter $TOP"
# (the pattern is split so that this file does not find itself)
dots='\.\.'
if grep -rn "$dots/shared" README.md man tests Makefile >"$T/found"; then
	cat "$T/found"
	fail "files name the shared folder beside the checkout (above)"
fi
exit 0
