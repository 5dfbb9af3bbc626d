/*
 * echo_server - a one-to-many SCTP echo server.
 *
 *   echo_server [ADDR] [PORT] [--once]
 *
 * Every message goes back to the association, stream and PPID it came
 * from. Events are printed as they arrive. With --once the server exits
 * when its first association has ended (the demo uses that). The backend
 * is the library's choice (SCTPNG_BACKEND=udp: the userspace engine over
 * UDP, listening on SCTPNG_UDP_PORT); the first line names it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "print_event.h"
#include "sctpng.h"

static int fail(const char *what, int err)
{
    fprintf(stderr, "echo_server: %s: %s\n", what, sctpng_strerror(err));
    return 1;
}

/* True when the event ends an association. */
static bool assoc_ended(const sctpng_event *ev)
{
    return ev->kind == SCTPNG_EV_ASSOC_CHANGE && ev->u.assoc_change.state != SCTPNG_COMM_UP &&
           ev->u.assoc_change.state != SCTPNG_RESTART;
}

static int serve(sctpng_socket *s, bool once)
{
    static char buf[65536];
    sctpng_rcvinfo ri;
    for (;;) {
        ssize_t n = sctpng_recv(s, buf, sizeof(buf), &ri, SCTPNG_FOREVER);
        if (n < 0)
            return fail("recv", (int)n);
        if (ri.flags & SCTPNG_RCV_EVENT) {
            print_event(stdout, "server", &ri.event);
            if (once && assoc_ended(&ri.event))
                return 0;
            continue;
        }
        printf("server: %zd bytes on stream %u ppid %u from assoc %d: %.*s\n", n, ri.stream,
               ri.ppid, (int)ri.assoc, (int)(n > 60 ? 60 : n), buf);
        sctpng_sndinfo si = {.stream = ri.stream, .ppid = ri.ppid, .assoc = ri.assoc};
        ssize_t w = sctpng_send(s, buf, (size_t)n, &si, 5000);
        if (w < 0)
            fprintf(stderr, "echo_server: echo: %s\n", sctpng_strerror((int)w));
        fflush(stdout);
    }
}

int main(int argc, char **argv)
{
    const char *host = argc > 1 ? argv[1] : "127.0.0.1";
    uint16_t port = (uint16_t)(argc > 2 ? atoi(argv[2]) : 5000);
    /* Whole lines, so that the server's and the client's interleave when
       both write to one pipe (the demo). */
    setvbuf(stdout, NULL, _IOLBF, 0);
    bool once = argc > 3 && strcmp(argv[3], "--once") == 0;
    sctpng_addr a;
    int err = sctpng_addr_parse(&a, host, port);
    if (err)
        return fail(host, err);

    sctpng_socket_opts o;
    sctpng_socket_opts_init(&o);
    o.family = a.sa.sa_family;
    o.style = SCTPNG_ONE_TO_MANY;
    o.ostreams = o.istreams = 10;
    o.events = SCTPNG_EVMASK(SCTPNG_EV_ASSOC_CHANGE) | SCTPNG_EVMASK(SCTPNG_EV_SHUTDOWN) |
               SCTPNG_EVMASK(SCTPNG_EV_PEER_ADDR_CHANGE);
    sctpng_socket *s;
    if ((err = sctpng_socket_open(&s, &o)) < 0)
        return fail("socket", err);
    if ((err = sctpng_bind(s, &a, 1)) < 0 || (err = sctpng_listen(s, 16)) < 0)
        return fail("bind/listen", err);
    printf("server: listening on %s port %u, ", host, port);
    int udp_port;
    if (sctpng_backend(s) == SCTPNG_BACKEND_UDP &&
        sctpng_getopt(s, SCTPNG_OPT_UDP_PORT, &udp_port) == 0)
        printf("userspace engine over UDP port %d\n", udp_port);
    else
        printf("kernel SCTP\n");
    int rc = serve(s, once);
    sctpng_close(s);
    return rc;
}
