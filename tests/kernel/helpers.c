/* helpers.c - see helpers.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "helpers.h"

long t_ok_(long r, const char *what, const char *file, int line)
{
    if (r < 0) {
        print_error("%s:%d: %s failed: %s (%ld)\n", file, line, what, sctpng_strerror((int)r), r);
        fail();
    }
    return r;
}

void t_err_(long r, int err, const char *what, const char *file, int line)
{
    if (r != err) {
        if (r < 0)
            print_error("%s:%d: %s gave %s (%ld), want %s (%d)\n", file, line, what,
                        sctpng_strerror((int)r), r, sctpng_strerror(err), err);
        else
            print_error("%s:%d: %s returned %ld, want %s (%d)\n", file, line, what, r,
                        sctpng_strerror(err), err);
        fail();
    }
}

int t_on_udp(void)
{
    static int known = -1;
    if (known < 0) {
        sctpng_socket *s = NULL;
        known = 0;
        if (sctpng_socket_open(&s, NULL) == 0) {
            known = sctpng_backend(s) == SCTPNG_BACKEND_UDP;
            sctpng_close(s);
        }
    }
    return known;
}

sctpng_socket_opts t_opts(int family, int style)
{
    sctpng_socket_opts o;
    sctpng_socket_opts_init(&o);
    o.family = family;
    o.style = style;
    return o;
}

sctpng_socket *t_open_opts(const sctpng_socket_opts *o)
{
    sctpng_socket *s = NULL;
    T_OK(sctpng_socket_open(&s, o));
    assert_non_null(s);
    return s;
}

sctpng_socket *t_open(int family, int style)
{
    sctpng_socket_opts o = t_opts(family, style);
    return t_open_opts(&o);
}

sctpng_addr t_loopback(int family, uint16_t port)
{
    return t_addr(family == AF_INET ? "127.0.0.1" : "::1", port);
}

sctpng_addr t_addr(const char *text, uint16_t port)
{
    sctpng_addr a;
    /* A port of 0 lets the parser read one from the text; give it a dummy
     * and clear it afterwards so that "::1" is not split at a colon. */
    T_OK(sctpng_addr_parse(&a, text, port ? port : 1));
    if (!port) {
        if (a.sa.sa_family == AF_INET)
            a.v4.sin_port = 0;
        else
            a.v6.sin6_port = 0;
    }
    return a;
}

sctpng_socket *t_listener_opts(const sctpng_socket_opts *o, sctpng_addr *bound)
{
    sctpng_socket *s = t_open_opts(o);
    sctpng_addr a = t_loopback(o->family, 0);
    T_OK(sctpng_bind(s, &a, 1));
    T_OK(sctpng_listen(s, 16));
    assert_true(T_OK(sctpng_get_local_addrs(s, 0, bound, 1)) >= 1);
    return s;
}

sctpng_socket *t_listener(int family, int style, sctpng_addr *bound)
{
    sctpng_socket_opts o = t_opts(family, style);
    return t_listener_opts(&o, bound);
}

void t_pair_opts(const sctpng_socket_opts *co, const sctpng_socket_opts *so, sctpng_socket **client,
                 sctpng_socket **server)
{
    sctpng_addr at;
    sctpng_socket *l = t_listener_opts(so, &at);
    *client = t_open_opts(co);
    T_OK(sctpng_connect(*client, &at, 1, NULL, T_TIMEOUT_MS));
    T_OK(sctpng_accept(l, server, NULL, T_TIMEOUT_MS));
    sctpng_close(l);
}

void t_pair(int family, sctpng_socket **client, sctpng_socket **server)
{
    sctpng_socket_opts o = t_opts(family, SCTPNG_ONE_TO_ONE);
    t_pair_opts(&o, &o, client, server);
}

size_t t_recv_msg(sctpng_socket *s, void *buf, size_t cap, sctpng_rcvinfo *info)
{
    sctpng_rcvinfo scratch;
    size_t got = 0;
    if (!info)
        info = &scratch;
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

void t_recv_assoc_change(sctpng_socket *s, int state, sctpng_event *ev, void *buf, size_t cap)
{
    for (int i = 0; i < 1000; i++) {
        t_recv_event(s, SCTPNG_EV_ASSOC_CHANGE, ev, buf, cap);
        if (ev->u.assoc_change.state == state)
            return;
    }
    fail_msg("no ASSOC_CHANGE with state %d", state);
}

void t_expect_quiet(sctpng_socket *s, int ms)
{
    char buf[256];
    sctpng_rcvinfo info;
    ssize_t r = sctpng_recv(s, buf, sizeof(buf), &info, ms);
    if (r >= 0)
        fail_msg("expected nothing, got %zd bytes (flags %#x, event %s)", r, info.flags,
                 info.flags & SCTPNG_RCV_EVENT ? sctpng_event_name(info.event.kind) : "-");
    assert_int_equal(r, -ETIMEDOUT);
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
    assert_non_null(want);
    t_pattern(want, len, seed);
    int same = memcmp(want, buf, len) == 0;
    free(want);
    return same;
}

int64_t t_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void t_sleep_ms(int ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

int t_sysctl_sctp(const char *name, int value, int *old)
{
    char path[128];
    snprintf(path, sizeof(path), "/proc/sys/net/sctp/%s", name);
    FILE *f = fopen(path, "r+");
    if (!f)
        return -errno;
    int cur = 0;
    if (fscanf(f, "%d", &cur) != 1) {
        fclose(f);
        return -EIO;
    }
    if (old)
        *old = cur;
    rewind(f);
    int ok = fprintf(f, "%d\n", value) > 0;
    if (fclose(f) != 0 || !ok)
        return -EIO;
    return 0;
}

void t_drain(sctpng_socket *s, int ms)
{
    char buf[2048];
    sctpng_rcvinfo info;
    while (sctpng_recv(s, buf, sizeof(buf), &info, ms) >= 0)
        ;
}

sctpng_assoc_t t_connect_to_many(sctpng_socket *server, const sctpng_addr *at,
                                 sctpng_socket **client)
{
    *client = t_open(at->sa.sa_family, SCTPNG_ONE_TO_ONE);
    T_OK(sctpng_connect(*client, at, 1, NULL, T_TIMEOUT_MS));
    char buf[512];
    sctpng_event ev;
    t_recv_assoc_change(server, SCTPNG_COMM_UP, &ev, buf, sizeof(buf));
    assert_true(ev.assoc != 0);
    return ev.assoc;
}

void t_pair_many(uint32_t events, sctpng_socket **client, sctpng_socket **server,
                 sctpng_assoc_t *id)
{
    sctpng_socket_opts o = t_opts(AF_INET, SCTPNG_ONE_TO_MANY);
    o.events = events | SCTPNG_EVMASK(SCTPNG_EV_ASSOC_CHANGE);
    sctpng_addr at;
    *server = t_listener_opts(&o, &at);
    *id = t_connect_to_many(*server, &at, client);
}
