# An Intel HEX file of 8 MiB or more, on two processors, is read in two
# halves at once when it goes straight to an output (bin, convert, crc):
# the second half, from the first 04 record past the middle, in a thread
# of its own onto a tape that is played after the first half, or thrown
# away and read again when the first half does not end as the second
# began. Whatever happens, each command must give what one reading from
# start to end gives (standard input through a pipe, never split): the
# same output, the same messages with the same line numbers and the same
# exit status, for a clean file and for trouble just before, at and after
# the cut and further on in both halves. strace shows which thread reads
# with pread (the second half's); with one processor, or through an image
# (info), nothing does.
. "$STIMG_TOP/tests/cli/lib.sh"
need strace taskset
# (on a machine of one processor nothing is read in halves: 0 then)
two=1
[ "$(nproc)" -ge 2 ] || two=0

# same FILE OUT ARGS...: stimg ARGS FILE [-o s.OUT] against cat FILE |
# stimg ARGS - [-o p.OUT] (OUT "-": no -o): output, messages, exit status;
# sets st and s.err
same() {
	f=$1 o=$2
	shift 2
	if [ "$o" = - ]; then
		stimg "$@" "$f" >s.out 2>s.err
		s_st=$?
		cat "$f" | stimg "$@" - >p.out 2>p.err
		st=$?
	else
		stimg "$@" "$f" -o "s.$o" >s.out 2>s.err
		s_st=$?
		cat "$f" | stimg "$@" - -o "p.$o" >p.out 2>p.err
		st=$?
		[ "$st" != 0 ] || cmp -s "s.$o" "p.$o" || fail "$* $f: the outputs differ"
	fi
	sed "s|<stdin>|$f|g" p.err >p.err2
	sed "s|<stdin>|$f|g" p.out >p.out2
	[ "$s_st" = "$st" ] || { cat s.err p.err; fail "$* $f: exit $s_st from the file, $st from the pipe"; }
	cmp -s s.out p.out2 || { diff s.out p.out2 | head; fail "$* $f: what is printed differs"; }
	cmp -s s.err p.err2 || { diff s.err p.err2 | head; fail "$* $f: messages differ"; }
}

# check FILE: crc, bin and convert agree with one reading, and the file
# was read in halves; sets st and s.err (convert's)
check() {
	same "$1" - crc --algo crc-32
	same "$1" bin bin -q
	[ "$(halves bin "$1" -o h.bin -q)" = $two ] || fail "$1: not read in halves"
	same "$1" srec convert
}

# halves ARGS...: how many threads of stimg ARGS (under $PIN) read more
# than 64 KiB at once with pread: 1 when the file is read in halves
halves() {
	# (LeakSanitizer cannot run under ptrace: off in SANITIZE builds)
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 ${PIN:-} \
		strace -f -qq -e trace=pread64 -o trace "$STIMG_BUILD/stimg" \
		"$@" >/dev/null 2>&1
	awk '/pread64/ && $NF > 65536 { print $1 }' trace | sort -u | wc -l |
		tr -d ' '
}

# played FILE: 1 when stimg bin FILE read the first half only with read
# (the second's tape was played), 0 when it read all of the file so
played() {
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		strace -f -qq -e trace=read -o rtrace "$STIMG_BUILD/stimg" \
		bin "$1" -o h.bin -q >/dev/null 2>&1
	awk -v size="$(wc -c <"$1")" '/read\(/ && $NF > 4096 { s += $NF }
		END { print (s < size) ? 1 : 0 }' rtrace
}

# record TYPE ADDR16 DATA: an Intel HEX record with its checksum
record() {
	awk -v t="$1" -v a="$2" -v d="$3" 'BEGIN {
		for (i = 0; i < 16; i++) v[sprintf("%X", i)] = i
		n = length(d) / 2
		s = n + int(a / 256) + a % 256 + t
		for (i = 1; i < length(d); i += 2)
			s += v[substr(d, i, 1)] * 16 + v[substr(d, i + 1, 1)]
		printf ":%02X%04X%02X%s%02X\n", n, a, t, d, (256 - s % 256) % 256
	}'
}

# edit N TEXT: a.hex with line N replaced by the lines of TEXT ("" drops it)
edit() {
	awk -v n="$1" -v t="$2" 'NR == n { if (t != "") print t; next } { print }' a.hex
}

# insert N TEXT: a.hex with the lines of TEXT before line N
insert() {
	awk -v n="$1" -v t="$2" 'NR == n { print t } { print }' a.hex
}

"$TOOLS/gen_image" --big 3 >a.hex
[ "$(wc -c <a.hex)" -ge $((8 << 20)) ] || fail "a.hex is below 8 MiB"
# the cut: the first 04 record whose line starts past the middle
cut=$(awk -v mid=$(($(wc -c <a.hex) / 2)) '
	off > mid && /^:02000004/ { print NR; exit } { off += length($0) + 1 }' a.hex)
[ -n "$cut" ] || fail "no 04 record past the middle"
lines=$(wc -l <a.hex)
start1=$(record 5 0 08000101)
start2=$(record 5 0 08000201)
seg=$(record 2 0 1000)
up=$(record 4 0 0800)
bad=$(sed -n "$((cut + 5))p" a.hex | sed 's/..$/00/')

check a.hex
[ "$st" = 0 ] || fail "a.hex: exit $st"
"$TOOLS/gen_image" --big 3 --raw >a.raw
cmp -s s.bin a.raw || fail "a.hex: not the data"
[ "$(played a.hex)" = $two ] || fail "a.hex: the second half's tape was not played"
[ "$(PIN="taskset -c 0" halves bin a.hex -o h.bin -q)" = 0 ] ||
	fail "read in halves on one processor"
cmp -s h.bin a.raw || fail "a.hex on one processor: not the data"
[ "$(halves info a.hex)" = 0 ] || fail "read in halves into an image"

# checksum and digit errors in the second half, at the cut, just before it
# and in the first half: the same line numbers as one reading
edit $((cut + 5)) "$bad" >b.hex
check b.hex
grep -q "b.hex:$((cut + 5)): record checksum" s.err || fail "b.hex: $(cat s.err)"
edit $((cut + 1000)) ":10FFFF00X0000000000000000000000000000000F1" >c.hex
check c.hex
grep -q "c.hex:$((cut + 1000)):" s.err || fail "c.hex: $(cat s.err)"
edit "$cut" ":020000040800F3" >d.hex
check d.hex
grep -q "d.hex:$cut: record checksum" s.err || fail "d.hex: $(cat s.err)"
edit $((cut - 1)) ":1" >e.hex
check e.hex
grep -q "e.hex:$((cut - 1)): record is too short" s.err || fail "e.hex: $(cat s.err)"
edit 7 "$bad" >f.hex
check f.hex
grep -q "f.hex:7: record checksum" s.err || fail "f.hex: $(cat s.err)"

# an end-of-file record in the first half, text after it; none at the end
insert "$cut" ":00000001FF" >g.hex
check g.hex
grep -q "g.hex:$((cut + 1)): text after the end-of-file record" s.err ||
	fail "g.hex: $(cat s.err)"
edit "$lines" "" >h.hex
check h.hex
grep -q "h.hex:$((lines - 1)): no end-of-file record" s.err ||
	fail "h.hex: $(cat s.err)"

# start records: in the second half only, in both (a warning naming the
# second), twice in the second half
insert $((cut + 9)) "$start1" >i.hex
check i.hex
[ "$(played i.hex)" = $two ] || fail "i.hex: the tape was not played"
same i.hex hex convert
grep -q "^:0400000508000101" s.hex || fail "i.hex: no entry point"
insert 9 "$start1" |
	awk -v n=$((cut + 10)) -v t="$start2" 'NR == n { print t } { print }' >j.hex
check j.hex
grep -q "warning: j.hex:$((cut + 10)): a second start record" s.err ||
	fail "j.hex: $(cat s.err)"
awk -v n=$((cut + 20)) -v t="$start2" 'NR == n { print t } { print }' i.hex >k.hex
check k.hex
grep -q "warning: k.hex:$((cut + 20)): a second start record" s.err ||
	fail "k.hex: $(cat s.err)"

# a DOS end-of-file character in the second half and in the first
insert $((cut + 30)) "$(printf '\032')" >l.hex
check l.hex
grep -q "warning: l.hex:$((cut + 30)): a DOS end-of-file" s.err ||
	fail "l.hex: $(cat s.err)"
insert $((cut - 30)) "$(printf '\032')" >m.hex
check m.hex
grep -q "warning: m.hex:$((cut - 30)): a DOS end-of-file" s.err ||
	fail "m.hex: $(cat s.err)"

# the second half goes back over the first: a conflict naming both lines
# (line 3 holds 0x08000010); a segment record and blank lines further on
awk -v n=$((cut + 40)) -v u="$up" -v r="$(record 0 16 00112233445566778899AABBCCDDEEFF)" \
	'NR == n { print u; print r } { print }' a.hex >n.hex
check n.hex
grep -q "n.hex:$((cut + 41))" s.err || fail "n.hex: $(cat s.err)"
grep -q "n.hex:3" s.err || fail "n.hex: $(cat s.err)"
awk -v n=$((cut + 50)) -v s="$seg" -v r="$(record 0 16 0102)" \
	'NR == n { print ""; print s; print r; print "  " } { print }' a.hex >o.hex
check o.hex
[ "$st" = 0 ] || fail "o.hex: $(cat s.err)"

# CR LF line ends, lower-case digits
sed 's/$/\r/' a.hex >p.hex
check p.hex
[ "$(played p.hex)" = $two ] || fail "p.hex: the tape was not played"
tr A-F a-f <a.hex >q.hex
check q.hex
[ "$st" = 0 ] || fail "q.hex: $(cat s.err)"
[ "$(played q.hex)" = $two ] || fail "q.hex: the tape was not played"
# and where the first half does not end as the second began, it is not
[ "$(played g.hex)" = 0 ] || fail "g.hex: the tape was played"
[ "$(played j.hex)" = 0 ] || fail "j.hex: the tape was played"
[ "$(played l.hex)" = 0 ] || fail "l.hex: the tape was played"

# files of many regions (16 MB), record sizes, start records, blank lines
for seed in 1 2 3; do
	"$TOOLS/gen_image" -s $seed -n 40 -m 400000 -r 0 -e --blank -a mixed \
		-p wide >r$seed.hex
	[ "$(wc -c <r$seed.hex)" -ge $((8 << 20)) ] || fail "r$seed.hex: small"
	check r$seed.hex
	[ "$st" = 0 ] || fail "r$seed.hex: $(cat s.err)"
done
exit 0
