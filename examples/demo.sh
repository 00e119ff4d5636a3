#!/bin/sh
# `make demo`: the post-build job on the bundled bootloader and application
# (examples/boot.hex, examples/app.hex; see make-examples.sh), each command
# shown before it runs. Outputs go to demo-out/.
#
#   sh examples/demo.sh [BUILD-DIR]     (run from the top of the tree)
set -eu

build=$(cd "${1:-build}" && pwd)
PATH=$build:$PATH
out=demo-out

run() {
	echo "+ stimg $*"
	stimg "$@"
}

mkdir -p "$out"
run info examples/boot.hex
echo
run info examples/app.hex
echo
run merge examples/boot.hex examples/app.hex -o "$out/all.hex"
run info "$out/all.hex"
echo
run convert "$out/all.hex" -o "$out/all.srec"
run convert examples/app.hex -o "$out/app.bin"
echo
echo "the outputs are in $out/:"
ls -l "$out/all.hex" "$out/all.srec" "$out/app.bin"
