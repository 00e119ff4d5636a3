/* Motorola S-record: placeholder until the reader and writer land. */
#include "../internal.h"

static bool srec_detect(const uint8_t *buf, size_t len)
{
	return len >= 2 && buf[0] == 'S' && buf[1] >= '0' && buf[1] <= '9';
}

static const char *const srec_extensions[] = {
	".srec", ".s19", ".s28", ".s37", ".mot", NULL
};

const struct stimg_format stimg_fmt_srec = {
	"srec", "Motorola S-record", srec_extensions, srec_detect, NULL, NULL,
};
