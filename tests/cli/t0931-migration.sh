# The migration table of doc/integration.md: for each job, the commands of
# stimg, srec_cat, GNU objcopy and python intelhex there, run as written
# (each in its own folder, on the same app.hex and boot.hex), make the same
# bytes: binary outputs byte for byte, HEX outputs by their data
# (srec_cmp). Each output is made by stimg and at least one other tool.
# hexmate and ielftool are not installed here; their lines are not run.
. "$STIMG_TOP/tests/cli/lib.sh"
need srec_cat
need srec_cmp
need arm-none-eabi-objcopy
need_python intelhex python3-intelhex

# the tools as a user has them: intelhex's scripts on PATH (pip puts them
# there; Debian under /usr/share), Debian's python3
mkdir tools
for s in hex2bin hexmerge; do
	printf '#!/bin/sh\nexec /usr/bin/python3 /usr/share/python3-intelhex/%s.py "$@"\n' \
		$s >tools/$s.py
done
ln -s /usr/bin/python3 tools/python3
ln -s "$STIMG_BUILD/stimg" tools/stimg
chmod +x tools/*
export PATH="$T/tools:$PATH"

"$STIMG_BUILD/stimg" convert "$TOP/examples/app.elf" -o app.hex
cp "$TOP/examples/boot.hex" .

# same A B: the data of two outputs
same() {
	case $1 in
	*.bin) cmp "$1" "$2" || fail "$1 and $2 differ" ;;
	*.hex) srec_cmp "$1" -intel "$2" -intel >cmp.out 2>&1 ||
		{ cat cmp.out; fail "$1 and $2 hold different data"; } ;;
	esac
}

for job in bin merge fill crc serial; do
	recipe "migrate-$job" >block
	# one file per tool: the lines after "# TOOL", up to the next such line
	rm -rf "$job" && mkdir "$job"
	awk -v d="$job" '
		/^# [a-z_]+/ { tool = $2; sub(/:$/, "", tool); next }
		tool { print > (d "/" tool ".sh") }' block
	[ -f "$job/stimg.sh" ] || fail "$job: no stimg lines"
	ran=
	for tool in stimg srec_cat objcopy intelhex; do
		[ -f "$job/$tool.sh" ] || continue
		mkdir "$job/$tool.d"
		cp app.hex boot.hex "$job/$tool.d"
		(cd "$job/$tool.d" && sh -e "../$tool.sh") >run.log 2>&1 ||
			{ cat "$job/$tool.sh" run.log; fail "$job: the $tool lines failed"; }
		rm "$job/$tool.d/app.hex" "$job/$tool.d/boot.hex"
		ran="$ran $tool"
	done
	# every output of stimg is made by another tool too, with the same data
	for f in "$job"/stimg.d/*; do
		out=${f##*/} others=0
		for tool in $ran; do
			[ "$tool" = stimg ] && continue
			[ -f "$job/$tool.d/$out" ] || continue
			same "$f" "$job/$tool.d/$out"
			others=$((others + 1))
		done
		[ $others -gt 0 ] || fail "$job: no other tool made $out"
	done
	# and every other output is one stimg made
	for tool in $ran; do
		for f in "$job/$tool.d"/*; do
			[ -f "$job/stimg.d/${f##*/}" ] || fail "$job: $tool made ${f##*/}, stimg did not"
		done
	done
done

# what the jobs made is what they say: a sample of the bytes
"$STIMG_BUILD/stimg" bin -q crc/stimg.d/app-stm32.hex --base 0x08008008 --size 4 -o c.bin
[ "$(od -An -tx1 c.bin | tr -d ' ')" != ffffffff ] || fail "crc: no CRC at 0x08008008"
"$STIMG_BUILD/stimg" verify crc/stimg.d/app-stm32.hex --crc-at 0x08008008+4 \
	--crc-range 0x08008800:0x08010000 >v.out 2>&1 || { cat v.out; fail "crc: does not verify"; }
"$STIMG_BUILD/stimg" bin -q serial/stimg.d/dev-42.hex --base 0x08008010 --size 4 -o s.bin
[ "$(od -An -tx1 s.bin | tr -d ' ')" = 2a000000 ] || fail "serial: $(od -An -tx1 s.bin)"
[ "$(wc -c <bin/stimg.d/app.bin)" = $((0x08008B50 - 0x08008000)) ] ||
	fail "bin: $(wc -c <bin/stimg.d/app.bin) bytes"
exit 0
