/* Interop with usrsctp over UDP encapsulation on the host's loopback: the
 * engine as client and as server, 10 MB each way on several streams
 * (ordered and unordered), graceful shutdowns started by either side, and
 * aborts by either side. usrsctp listens on UDP 9899, the engine on 9900
 * (SCTPNG_INTEROP_UDP_PORT=<p> moves them to p and p+1). */
#include <stdlib.h>

#include "suite.h"
#include "usrsctp_peer.h"

static int setup(void **state)
{
    (void)state;
    const char *p = getenv("SCTPNG_INTEROP_UDP_PORT");
    usrsctp_env_setup(p && *p ? (uint16_t)atoi(p) : 9899);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    usrsctp_env_teardown();
    return 0;
}

int main(void)
{
    return interop_suite(&usrsctp_backend, setup, teardown);
}
