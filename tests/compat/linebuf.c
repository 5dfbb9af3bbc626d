/* linebuf.c - an LD_PRELOAD module that makes a program's stdout line
 * buffered (as coreutils' stdbuf -oL does), so that the output of
 * sctp_darn's listener reaches its log file before the test stops it. */
#include <stdio.h>

__attribute__((constructor)) static void sctpng_linebuf(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
}
