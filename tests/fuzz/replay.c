/*
 * Runs a fuzz target on saved inputs, without libFuzzer: the regression
 * inputs under tests/data/fuzz/TARGET/ in make check (and under valgrind
 * or the sanitizers when the build has them).
 *
 *   replay-TARGET FILE...
 *
 * Exit status 0 when every input ran; a finding aborts.
 */
#include <errno.h>
#include <string.h>

#include "fuzz.h"

int main(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		uint8_t *buf = NULL, *exact;
		size_t len = 0, cap = 0, n;

		if (!f) {
			fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
			return 2;
		}
		do {
			if (len + 65536 > cap) {
				cap = cap ? 2 * cap : 65536;
				buf = realloc(buf, cap);
				if (!buf)
					return 2;
			}
			n = fread(buf + len, 1, cap - len, f);
			len += n;
		} while (n);
		fclose(f);
		/* exactly len bytes, as libFuzzer gives them: a read past
		   them is caught */
		exact = malloc(len ? len : 1);
		if (!exact)
			return 2;
		memcpy(exact, buf, len);
		free(buf);
		LLVMFuzzerTestOneInput(exact, len);
		free(exact);
	}
	return 0;
}
