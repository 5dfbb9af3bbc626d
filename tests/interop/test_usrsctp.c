/* Interop with usrsctp over UDP encapsulation on the host's loopback: the
 * engine as client and as server, 10 MB each way on several streams
 * (ordered and unordered), graceful shutdowns started by either side, and
 * aborts by either side. usrsctp listens on UDP 9899, the engine on 9900
 * (SCTPNG_INTEROP_UDP_PORT=<p> moves them to p and p+1). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <usrsctp.h>
#include <cmocka.h>

#include "suite.h"
#include "usrsctp_peer.h"

static void *u_listen(uint16_t port)
{
    return usrsctp_peer_listen(port);
}

static void *u_accept(void *listener)
{
    return usrsctp_peer_accept(listener);
}

static void *u_connect(uint16_t port, uint16_t udp_port)
{
    return usrsctp_peer_connect(port, udp_port);
}

static int u_shutdown(void *ctx)
{
    return usrsctp_shutdown(ctx, SHUT_WR) < 0 ? -errno : 0;
}

static void u_abort(void *ctx)
{
    usrsctp_peer_abort(ctx);
}

static void u_close(void *ctx)
{
    if (ctx)
        usrsctp_close(ctx);
}

static struct backend usrsctp_backend = {
    .name = "usrsctp",
    .ops = &usrsctp_ops,
    .listen = u_listen,
    .accept = u_accept,
    .connect = u_connect,
    .shutdown = u_shutdown,
    .abort = u_abort,
    .close = u_close,
    .peer_udp_port = 9899,
    .engine_udp_port = 9900,
    .timeout_s = 120,
};

static int setup(void **state)
{
    (void)state;
    const char *p = getenv("SCTPNG_INTEROP_UDP_PORT");
    if (p && *p) {
        usrsctp_backend.peer_udp_port = (uint16_t)atoi(p);
        usrsctp_backend.engine_udp_port = (uint16_t)(usrsctp_backend.peer_udp_port + 1);
    }
    usrsctp_init(usrsctp_backend.peer_udp_port, NULL, NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (int i = 0; i < 50 && usrsctp_finish() != 0; i++)
        usleep(100000); /* associations still closing */
    return 0;
}

int main(void)
{
    return interop_suite(&usrsctp_backend, setup, teardown);
}
