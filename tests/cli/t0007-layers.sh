# The library's layering is one way, cmd -> fw -> fmt -> core (README,
# "Layout"): a file includes only headers of its own layer or below (and
# the public stimg/ headers), each object file calls only into its own
# layer or below, and no two files call each other, directly or around a
# circle. Read from the sources' #include lines and from the objects'
# symbols (nm), so it holds for what is built, not for what is written.
. "$STIMG_TOP/tests/cli/lib.sh"
need nm

rank() { # LAYER -> its height
	case $1 in
	core) echo 0 ;; fmt) echo 1 ;; fw) echo 2 ;; cmd) echo 3 ;; *) echo 9 ;;
	esac
}

# includes: "core/x.h", "fmt/x.h", "fw/x.h" name a layer; stimg/ is public
for f in "$TOP"/src/core/* "$TOP"/src/fmt/* "$TOP"/src/fw/* "$TOP"/src/cmd/*; do
	layer=$(basename "$(dirname "$f")")
	sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f" | while read -r inc; do
		case $inc in
		stimg/*) continue ;;
		*/*) to=${inc%%/*} ;;
		*) to=$layer ;;	# a header beside the file
		esac
		if [ "$layer" = cmd ] && [ "$to" != cmd ]; then
			fail "${f#$TOP/} includes \"$inc\": a command uses the public headers only"
		fi
		[ "$(rank "$to")" -le "$(rank "$layer")" ] ||
			fail "${f#$TOP/} ($layer) includes \"$inc\" ($to), a layer above it"
	done || exit 1
done

# calls: which object defines each symbol, which objects use it
for f in "$STIMG_BUILD"/src/core/*.o "$STIMG_BUILD"/src/fmt/*.o "$STIMG_BUILD"/src/fw/*.o; do
	[ -f "$f" ] || fail "no objects in $STIMG_BUILD/src (make check builds them)"
	o=${f#$STIMG_BUILD/src/}
	nm "$f" | awk -v o="$o" '$1 == "U" { print "U", o, $2 }
		NF == 3 && $2 ~ /^[TDRBC]$/ { print "D", o, $3 }'
done >syms

# edges "user definer", between distinct objects
awk '$1 == "D" { def[$3] = $2 }
     $1 == "U" { use[NR] = $2 " " $3 }
     END { for (i in use) { split(use[i], u, " ")
		if ((u[2] in def) && def[u[2]] != u[1]) print u[1], def[u[2]], u[2] } }' \
	syms | sort -u >edges
[ -s edges ] || fail "no calls between objects found: nm read nothing"

# an edge up the layers
while read -r from to sym; do
	[ "$(rank "${to%%/*}")" -le "$(rank "${from%%/*}")" ] ||
		fail "$from calls $sym in $to, a layer above it"
done <edges

# circles: strip objects that call nothing left; whatever remains circles
awk '{ print $1, $2 }' edges | sort -u >graph
while :; do
	awk 'NR == FNR { out[$1] = 1; next } !($2 in out) { next } { print }' \
		graph graph >graph.next
	cmp -s graph graph.next && break
	mv graph.next graph
done
if [ -s graph ]; then
	cat graph
	fail "objects that call each other, around a circle (above)"
fi
echo "layers: $(wc -l <edges) calls between objects, all downwards or level, no circle"
