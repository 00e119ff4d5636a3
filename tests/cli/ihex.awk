# Intel HEX records for the tests that generate large files, with the
# checksums computed here (independently of stimg):
#
#   awk -f "$TOP/tests/cli/ihex.awk" -f gen.awk >out.hex
#
# ihex_byte(A, B): a data record of the one byte B at the 32-bit address A,
# after an 04 record when A's upper 16 bits differ from the last record's;
# ihex_eof(): the end-of-file record.
function ihex_byte(a, b,   u, lo, s) {
	u = int(a / 65536)
	if (!ihex_started || u != ihex_upper) {
		ihex_started = 1
		ihex_upper = u
		s = 2 + 4 + int(u / 256) + u % 256
		printf ":02000004%04X%02X\n", u, (256 - s % 256) % 256
	}
	lo = a % 65536
	s = 1 + int(lo / 256) + lo % 256 + b
	printf ":01%04X00%02X%02X\n", lo, b, (256 - s % 256) % 256
}

function ihex_eof() {
	print ":00000001FF"
}
