/*
 * echo_client - send messages on several streams to an echo server and
 * check that each comes back intact, on its stream, with its PPID.
 *
 *   echo_client [ADDR] [PORT] [STREAMS]
 *
 * On the UDP backend (SCTPNG_BACKEND=udp) the server is reached at UDP
 * port SCTPNG_UDP_REMOTE_PORT (default 9899).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "print_event.h"
#include "sctpng.h"

static int fail(const char *what, int err)
{
    fprintf(stderr, "echo_client: %s: %s\n", what, sctpng_strerror(err));
    return 1;
}

/* Wait for the echo of one message, printing events met on the way. */
static int await_echo(sctpng_socket *s, const char *want, uint16_t stream, uint32_t ppid)
{
    char buf[1024];
    sctpng_rcvinfo ri;
    for (;;) {
        ssize_t n = sctpng_recv(s, buf, sizeof(buf) - 1, &ri, 5000);
        if (n < 0)
            return fail("recv", (int)n);
        if (ri.flags & SCTPNG_RCV_EVENT) {
            print_event(stdout, "client", &ri.event);
            continue;
        }
        buf[n] = '\0';
        printf("client: echo on stream %u ppid %u: %s\n", ri.stream, ri.ppid, buf);
        if (strcmp(buf, want) != 0 || ri.stream != stream || ri.ppid != ppid) {
            fprintf(stderr, "echo_client: wrong echo\n");
            return 1;
        }
        return 0;
    }
}

int main(int argc, char **argv)
{
    const char *host = argc > 1 ? argv[1] : "127.0.0.1";
    uint16_t port = (uint16_t)(argc > 2 ? atoi(argv[2]) : 5000);
    int streams = argc > 3 ? atoi(argv[3]) : 4;
    setvbuf(stdout, NULL, _IOLBF, 0); /* lines interleave with the server's */
    sctpng_addr a;
    int err = sctpng_addr_parse(&a, host, port);
    if (err)
        return fail(host, err);

    sctpng_socket_opts o;
    sctpng_socket_opts_init(&o);
    o.family = a.sa.sa_family;
    o.ostreams = o.istreams = 10;
    o.events = SCTPNG_EVMASK(SCTPNG_EV_ASSOC_CHANGE) | SCTPNG_EVMASK(SCTPNG_EV_SHUTDOWN);
    sctpng_socket *s;
    if ((err = sctpng_socket_open(&s, &o)) < 0)
        return fail("socket", err);
    if ((err = sctpng_connect(s, &a, 1, NULL, 5000)) < 0)
        return fail("connect", err);
    int rc = 0;
    for (int i = 0; i < streams * 2 && rc == 0; i++) {
        char msg[64];
        sctpng_sndinfo si = {.stream = (uint16_t)(i % streams), .ppid = 1000u + (uint32_t)i};
        snprintf(msg, sizeof(msg), "message %d on stream %u", i, si.stream);
        ssize_t w = sctpng_send(s, msg, strlen(msg), &si, 5000);
        if (w < 0)
            return fail("send", (int)w);
        rc = await_echo(s, msg, si.stream, si.ppid);
    }
    sctpng_shutdown(s, 0);
    sctpng_close(s);
    printf("client: %s\n", rc == 0 ? "all echoes matched" : "FAILED");
    return rc;
}
