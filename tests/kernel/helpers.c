/* helpers.c - see helpers.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

long t_ok_(long r, const char *what, const char *file, int line)
{
    if (r < 0) {
        print_error("%s:%d: %s failed: %s (%ld)\n", file, line, what, sctpng_strerror((int)r), r);
        fail();
    }
    return r;
}

sctpng_socket *t_open(int family, int style)
{
    sctpng_socket_opts o;
    sctpng_socket *s = NULL;
    sctpng_socket_opts_init(&o);
    o.family = family;
    o.style = style;
    T_OK(sctpng_socket_open(&s, &o));
    return s;
}

sctpng_addr t_loopback(int family, uint16_t port)
{
    sctpng_addr a;
    T_OK(sctpng_addr_parse(&a, family == AF_INET ? "127.0.0.1" : "::1", port));
    return a;
}

sctpng_socket *t_listener(int family, int style, sctpng_addr *bound)
{
    sctpng_socket *s = t_open(family, style);
    sctpng_addr a = t_loopback(family, 0);
    T_OK(sctpng_bind(s, &a, 1));
    T_OK(sctpng_listen(s, 16));
    assert_true(T_OK(sctpng_get_local_addrs(s, 0, bound, 1)) >= 1);
    return s;
}

void t_pair(int family, sctpng_socket **client, sctpng_socket **server)
{
    sctpng_addr at;
    sctpng_socket *l = t_listener(family, SCTPNG_ONE_TO_ONE, &at);
    *client = t_open(family, SCTPNG_ONE_TO_ONE);
    T_OK(sctpng_connect(*client, &at, 1, NULL, T_TIMEOUT_MS));
    T_OK(sctpng_accept(l, server, NULL, T_TIMEOUT_MS));
    sctpng_close(l);
}

size_t t_recv_msg(sctpng_socket *s, void *buf, size_t cap, sctpng_rcvinfo *info)
{
    size_t got = 0;
    for (;;) {
        assert_true(got < cap);
        ssize_t n = T_OK(sctpng_recv(s, (char *)buf + got, cap - got, info, T_TIMEOUT_MS));
        if (info->flags & SCTPNG_RCV_EVENT)
            continue;
        got += (size_t)n;
        if (info->flags & SCTPNG_RCV_COMPLETE)
            return got;
        assert_true(n > 0); /* 0 would mean the peer shut down mid-message */
    }
}

void t_recv_event(sctpng_socket *s, int kind, sctpng_event *ev, void *buf, size_t cap)
{
    sctpng_rcvinfo info;
    for (int i = 0; i < 1000; i++) {
        T_OK(sctpng_recv(s, buf, cap, &info, T_TIMEOUT_MS));
        if ((info.flags & SCTPNG_RCV_EVENT) && info.event.kind == kind) {
            *ev = info.event;
            return;
        }
    }
    fail_msg("no %s event", sctpng_event_name(kind));
}

void t_pattern(void *buf, size_t len, uint32_t seed)
{
    uint8_t *p = buf;
    uint32_t x = seed * 2654435761u + 1;
    for (size_t i = 0; i < len; i++) {
        x = x * 1103515245u + 12345u;
        p[i] = (uint8_t)(x >> 16);
    }
}

int t_check_pattern(const void *buf, size_t len, uint32_t seed)
{
    uint8_t *want = malloc(len ? len : 1);
    t_pattern(want, len, seed);
    int same = memcmp(want, buf, len) == 0;
    free(want);
    return same;
}
