# Issue 10, defect 3: SIGINT, SIGTERM, SIGHUP or SIGPIPE during a large
# write removes the temporary file (8 to 24 MB were left beside the
# output), keeps an existing output as it was, and ends stimg by that
# signal. stimg is stopped while its temporary file exists, sent the
# signal and continued, so the signal lands during the write. (The library
# side, signal by signal, is tests/unit/test_os.c.)
. "$STIMG_TOP/tests/cli/lib.sh"
gen=$TOOLS/gen_image
[ -x "$gen" ] || fail "$gen is missing (make check builds it)"
"$gen" --big 16 >big.hex || fail "gen_image --big 16"
echo before >out.srec

# temp: the name of a temporary file in ., or nothing
temp() {
	for _f in .stimg-*; do
		[ -e "$_f" ] && echo "$_f" && return
	done
}

for sn in INT:2 TERM:15 HUP:1 PIPE:13; do
	sig=${sn%:*} num=${sn#*:}
	caught=
	for try in 1 2 3 4 5; do
		# a background job of a shell script ignores SIGINT: not stimg
		env --default-signal=INT "$STIMG_BUILD/stimg" convert big.hex \
			-o out.srec 2>err &
		pid=$!
		while [ -z "$(temp)" ] && kill -0 $pid 2>/dev/null; do
			:
		done
		kill -STOP $pid 2>/dev/null
		if [ -n "$(temp)" ]; then
			kill -$sig $pid
			kill -CONT $pid
			wait $pid
			st=$?
			caught=yes
			break
		fi
		# it finished (or renamed) before it stopped: again
		kill -CONT $pid 2>/dev/null
		wait $pid
		echo before >out.srec
	done
	[ -n "$caught" ] || fail "SIG$sig: never caught stimg while it wrote"
	[ $st -eq $((128 + num)) ] || { cat err; fail "SIG$sig: exit $st"; }
	[ -z "$(temp)" ] || fail "SIG$sig: temporary file $(temp) left behind"
	[ "$(cat out.srec)" = before ] || fail "SIG$sig: out.srec changed"
done
exit 0
