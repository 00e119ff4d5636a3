/*
 * floor IN OUT SIZE: the least any converter must do: read IN whole (in
 * 1 MiB reads) and write SIZE bytes to OUT (in 1 MiB writes), nothing
 * else. make bench compares stimg's wall time against it.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK (1 << 20)

int main(int argc, char **argv)
{
	static char buf[CHUNK];
	unsigned long long size, sum = 0;
	ssize_t r;
	int in, out;

	if (argc != 4) {
		fprintf(stderr, "usage: floor IN OUT SIZE\n");
		return 2;
	}
	size = strtoull(argv[3], NULL, 0);
	in = open(argv[1], O_RDONLY);
	out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0666);
	if (in < 0 || out < 0) {
		perror("floor");
		return 1;
	}
	while ((r = read(in, buf, CHUNK)) > 0)
		sum += (unsigned char)buf[r - 1];	/* the bytes are used */
	memset(buf, (int)(sum & 0xFF), CHUNK);
	while (size) {
		size_t n = size < CHUNK ? (size_t)size : CHUNK;

		if (write(out, buf, n) != (ssize_t)n) {
			perror("floor");
			return 1;
		}
		size -= n;
	}
	return close(out) ? 1 : 0;
}
