/* The STIMG_SIMD cap that every SIMD kernel family obeys (see simd.h). */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "core/simd.h"

static const char *const names[] = {
#if defined(__aarch64__)
	"none", "neon", "avx2", "avx512",
#else
	"none", "sse", "avx2", "avx512",
#endif
};

int stimg__simd_cap(void)
{
	const char *e = getenv("STIMG_SIMD");
	const char *old = getenv("STIMG_CRC_NOSIMD");
	int level;

	if (old && *old && strcmp(old, "0"))
		return SIMD_NONE;
	if (e && !strcmp(e, "neon"))	/* NEON ranks with SSSE3 */
		return SIMD_SSE;
	for (level = SIMD_NONE; e && level <= SIMD_AVX512; level++)
		if (!strcmp(e, names[level]))
			return level;
	return SIMD_AVX512;
}

const char *stimg__simd_name(int level)
{
	return level >= SIMD_NONE && level <= SIMD_AVX512 ? names[level] : "?";
}
