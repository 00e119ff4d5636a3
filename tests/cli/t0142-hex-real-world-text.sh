# Issue 10, defects 15 and 16: what real Intel HEX files hold. A UTF-8
# byte-order mark before the first record ("cannot tell the format") and a
# DOS end-of-file character after the EOF record ("text after the
# end-of-file record") are accepted with a warning; CR-only line ends are
# accepted; of two start records (a bootloader + application file) the
# first is kept, with a warning, as srec_cat does.
. "$STIMG_TOP/tests/cli/lib.sh"
cp "$DATA/boot.hex" .
run 0 stimg convert boot.hex -O srec -o want.srec

printf '\357\273\277' >bom.hex
cat boot.hex >>bom.hex
run 0 stimg convert bom.hex -O srec -o got.srec
expect_err "stimg: warning: bom.hex:1: a UTF-8 byte-order mark before the first record; ignored"
expect_same want.srec got.srec

lines=$(grep -c . boot.hex)
{ cat boot.hex; printf '\032'; } >dos.hex
run 0 stimg convert dos.hex -O srec -o got.srec
expect_err "stimg: warning: dos.hex:$((lines + 1)): a DOS end-of-file character (0x1A); reading stops there"
expect_same want.srec got.srec

# reading stops at that character: the data records after it (which the
# vector kernels took, a batch of them, before it was heeded) are not read
{ head -n 3 boot.hex; printf '\032\n'; sed -n '4,$p' boot.hex; } >dos2.hex
run 1 stimg info dos2.hex
expect_err "stimg: warning: dos2.hex:4: a DOS end-of-file character (0x1A); reading stops there"
expect_err "stimg: error: dos2.hex:4: no end-of-file record (:00000001FF)"

tr -d '\r' <boot.hex | tr '\n' '\r' >cr.hex
run 0 stimg convert cr.hex -O srec -o got.srec
[ ! -s err ] || { cat err; fail "cr.hex: a message"; }
expect_same want.srec got.srec

# two start records: the first is the entry point
{
	grep -v ':00000001FF' boot.hex
	ihex 0 05 08000101
	ihex 0 05 08008101
	echo ':00000001FF'
} >two.hex
run 0 stimg convert two.hex -O srec -o two.srec
expect_err "stimg: warning: two.hex:$((lines + 1)): a second start record (0x08008101); keeping the first, 0x08000101"
tail -n 1 two.srec | grep -q '^S70508000101' || { tail -n 1 two.srec; fail "entry not 0x08000101"; }
exit 0
