/* stimg merge: convert with Intel HEX on stdout as the default output. */
#include "cmd.h"

int cmd_merge(int argc, char **argv)
{
	return convert_main(argc, argv, true);
}
