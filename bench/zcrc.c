/*
 * zcrc FILE: CRC-32/ISO-HDLC of FILE with zlib's crc32(), read in 1 MiB
 * chunks: the program make bench holds stimg crc against.
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <zlib.h>

int main(int argc, char **argv)
{
	static unsigned char buf[1 << 20];
	uLong crc = crc32(0L, Z_NULL, 0);
	ssize_t r;
	int fd;

	if (argc != 2 || (fd = open(argv[1], O_RDONLY)) < 0) {
		fprintf(stderr, "usage: zcrc FILE\n");
		return 2;
	}
	while ((r = read(fd, buf, sizeof(buf))) > 0)
		crc = crc32(crc, buf, (uInt)r);
	if (r < 0) {
		perror("zcrc");
		return 1;
	}
	printf("0x%08lX\n", crc);
	return 0;
}
