# End to end: the example firmware rebuilt, patched, merged and converted by
# stimg, booted in QEMU (netduinoplus2). The cases are in tests/e2e/run.sh,
# which `make e2e` runs alone. Needs arm-none-eabi-gcc and qemu-system-arm.
. "$STIMG_TOP/tests/cli/lib.sh"
need arm-none-eabi-gcc qemu-system-arm
sh "$TOP/tests/e2e/run.sh"
