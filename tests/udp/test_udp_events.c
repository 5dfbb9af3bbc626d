/* test_udp_events.c - the UDP backend's events and errors: COMM_UP,
 * graceful shutdown (SHUTDOWN, SHUTDOWN_COMP, end of stream), abort
 * (COMM_LOST, -ECONNRESET), receive timeouts, and bad input. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>

#include "uhelp.h"

#define EV (SCTPNG_EVMASK(SCTPNG_EV_ASSOC_CHANGE) | SCTPNG_EVMASK(SCTPNG_EV_SHUTDOWN))

struct pair {
    sctpng_socket *l, *c, *s;
};

static void pair_open(struct pair *p, uint32_t events)
{
    p->l = u_listener(AF_INET, SCTPNG_ONE_TO_ONE, "127.0.0.1", events);
    p->c = u_client(AF_INET, SCTPNG_ONE_TO_ONE, events);
    assert_non_null(p->l);
    assert_non_null(p->c);
    assert_int_equal(u_connect_pair(p->l, p->c, "127.0.0.1", &p->s), 0);
}

static void pair_close(struct pair *p)
{
    sctpng_close(p->c);
    sctpng_close(p->s);
    sctpng_close(p->l);
}

/* The server side of a shutdown: its events, then the end of stream. */
struct side {
    sctpng_socket *s;
    int ev[4], n, data, end;
};

static void *collect(void *arg)
{
    struct side *x = arg;
    char buf[256];
    for (;;) {
        sctpng_rcvinfo ri;
        ssize_t r = sctpng_recv(x->s, buf, sizeof(buf), &ri, U_WAIT_MS);
        if (r > 0 && (ri.flags & SCTPNG_RCV_EVENT)) {
            if (x->n < 4)
                x->ev[x->n++] =
                    ri.event.kind * 10 +
                    (ri.event.kind == SCTPNG_EV_ASSOC_CHANGE ? ri.event.u.assoc_change.state : 0);
            continue;
        }
        if (r > 0) {
            x->data += x->n == 0; /* data before any event */
            continue;
        }
        x->end = (int)r;
        return NULL;
    }
}

static void test_comm_up(void **state)
{
    struct pair p;
    pair_open(&p, EV);
    sctpng_event ev;
    assert_int_equal(u_wait_event(p.c, SCTPNG_EV_ASSOC_CHANGE, &ev, U_WAIT_MS), 0);
    assert_int_equal(ev.u.assoc_change.state, SCTPNG_COMM_UP);
    assert_true(ev.u.assoc_change.ostreams > 0);
    assert_int_equal(u_wait_event(p.s, SCTPNG_EV_ASSOC_CHANGE, &ev, U_WAIT_MS), 0);
    assert_int_equal(ev.u.assoc_change.state, SCTPNG_COMM_UP);
    pair_close(&p);
}

static void test_graceful_shutdown(void **state)
{
    struct pair p;
    pair_open(&p, EV);
    sctpng_event ev;
    assert_int_equal(u_wait_event(p.s, SCTPNG_EV_ASSOC_CHANGE, &ev, U_WAIT_MS), 0);
    assert_int_equal(sctpng_send(p.c, "last", 4, NULL, U_WAIT_MS), 4);
    assert_int_equal(sctpng_shutdown(p.c, 0), 0);
    struct side x = {.s = p.s};
    struct u_thread t;
    u_start(&t, collect, &x);
    /* The client: COMM_UP, then SHUTDOWN_COMP. */
    assert_int_equal(u_wait_event(p.c, SCTPNG_EV_ASSOC_CHANGE, &ev, U_WAIT_MS), 0);
    assert_int_equal(ev.u.assoc_change.state, SCTPNG_COMM_UP);
    assert_int_equal(u_wait_event(p.c, SCTPNG_EV_ASSOC_CHANGE, &ev, U_WAIT_MS), 0);
    assert_int_equal(ev.u.assoc_change.state, SCTPNG_SHUTDOWN_COMP);
    /* As on Linux, the side that began the shutdown never reads an end
     * (only the one that received SHUTDOWN does): nothing now, a wait runs
     * out, and a read without a time limit has no association to wait
     * for. */
    char buf[16];
    sctpng_rcvinfo ri;
    assert_int_equal(sctpng_recv(p.c, buf, sizeof(buf), &ri, 0), -EAGAIN);
    assert_int_equal(sctpng_recv(p.c, buf, sizeof(buf), &ri, 50), -ETIMEDOUT);
    assert_int_equal(sctpng_recv(p.c, buf, sizeof(buf), &ri, SCTPNG_FOREVER), -ENOTCONN);
    sctpng_recv_msg rm = {.buf = buf, .len = sizeof(buf)};
    assert_int_equal(sctpng_recv_batch(p.c, &rm, 1, SCTPNG_FOREVER), -ENOTCONN);
    assert_int_equal(sctpng_send(p.c, "x", 1, NULL, 0), -EPIPE);
    u_join(&t);
    /* The server read "last" first, then SHUTDOWN, SHUTDOWN_COMP, the end. */
    assert_int_equal(x.data, 1);
    assert_int_equal(x.n, 2);
    assert_int_equal(x.ev[0], SCTPNG_EV_SHUTDOWN * 10);
    assert_int_equal(x.ev[1], SCTPNG_EV_ASSOC_CHANGE * 10 + SCTPNG_SHUTDOWN_COMP);
    assert_int_equal(x.end, 0);
    pair_close(&p);
}

static void test_abort_comm_lost(void **state)
{
    struct pair p;
    pair_open(&p, EV);
    sctpng_event ev;
    assert_int_equal(u_wait_event(p.s, SCTPNG_EV_ASSOC_CHANGE, &ev, U_WAIT_MS), 0);
    assert_int_equal(sctpng_abort(p.c, 0), 0);
    assert_int_equal(u_wait_event(p.s, SCTPNG_EV_ASSOC_CHANGE, &ev, U_WAIT_MS), 0);
    assert_int_equal(ev.u.assoc_change.state, SCTPNG_COMM_LOST);
    char buf[16];
    sctpng_rcvinfo ri;
    assert_int_equal(sctpng_recv(p.s, buf, sizeof(buf), &ri, U_WAIT_MS), -ECONNRESET);
    assert_int_equal(sctpng_recv(p.s, buf, sizeof(buf), &ri, U_WAIT_MS), 0);
    assert_true(sctpng_send(p.s, "x", 1, NULL, 0) < 0);
    pair_close(&p);
}

/* Keeps a client's engine moving until told to stop (no hidden threads:
 * only calls move a UDP-backend socket along). */
struct pumper {
    sctpng_socket *s;
    volatile int stop;
};

static void *pump_client(void *arg)
{
    struct pumper *pp = arg;
    char b[64];
    sctpng_rcvinfo ri;
    while (!pp->stop)
        sctpng_recv(pp->s, b, sizeof(b), &ri, 50);
    return NULL;
}

/* An abort in the middle of a message that is being read in pieces: the
 * rest never comes, and the end of the association is reported at once
 * (it was held back behind the unfinished message forever). */
static void test_abort_mid_message(void **state)
{
    (void)state;
    struct pair p;
    p.l = u_listener(AF_INET, SCTPNG_ONE_TO_ONE, "127.0.0.1", EV);
    p.c = u_client(AF_INET, SCTPNG_ONE_TO_ONE, EV);
    size_t size = 3u << 20; /* three windows: it cannot all be in flight */
    assert_int_equal(sctpng_setopt(p.c, SCTPNG_OPT_SNDBUF, 2 * (int)size), 0);
    assert_int_equal(u_connect_pair(p.l, p.c, "127.0.0.1", &p.s), 0);
    sctpng_event ev;
    assert_int_equal(u_wait_event(p.s, SCTPNG_EV_ASSOC_CHANGE, &ev, U_WAIT_MS), 0);
    char *big = malloc(size);
    memset(big, 'b', size);
    struct pumper pp = {.s = p.c};
    struct u_thread t;
    u_start(&t, pump_client, &pp);
    ssize_t sent = sctpng_send(p.c, big, size, NULL, U_WAIT_MS);
    char piece[1000];
    sctpng_rcvinfo ri;
    ssize_t n;
    do { /* the first piece of the message (partial delivery) */
        n = sctpng_recv(p.s, piece, sizeof(piece), &ri, U_WAIT_MS);
    } while (n > 0 && (ri.flags & SCTPNG_RCV_EVENT));
    assert_int_equal(n, sizeof(piece));
    assert_false(ri.flags & SCTPNG_RCV_COMPLETE);
    assert_int_equal(sctpng_abort(p.c, 0), 0);
    pp.stop = 1;
    u_join(&t);
    /* Pieces may still come (what had arrived), then COMM_LOST. */
    int lost = 0;
    size_t got = sizeof(piece);
    while (!lost) {
        n = sctpng_recv(p.s, piece, sizeof(piece), &ri, 2000);
        assert_true(n > 0);
        if ((ri.flags & SCTPNG_RCV_EVENT) && ri.event.kind == SCTPNG_EV_ASSOC_CHANGE)
            lost = ri.event.u.assoc_change.state == SCTPNG_COMM_LOST;
        else if (!(ri.flags & SCTPNG_RCV_EVENT))
            got += (size_t)n;
    }
    print_message("# %zd queued, %zu of %zu bytes read before COMM_LOST\n", sent, got, size);
    assert_true(got < size);
    assert_int_equal(sctpng_recv(p.s, piece, sizeof(piece), &ri, 2000), -ECONNRESET);
    free(big);
    pair_close(&p);
}

static uint64_t ms_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void test_recv_timeout(void **state)
{
    struct pair p;
    pair_open(&p, 0);
    char buf[16];
    sctpng_rcvinfo ri;
    assert_int_equal(sctpng_recv(p.c, buf, sizeof(buf), &ri, 0), -EAGAIN);
    uint64_t t0 = ms_now();
    assert_int_equal(sctpng_recv(p.c, buf, sizeof(buf), &ri, 200), -ETIMEDOUT);
    uint64_t dt = ms_now() - t0;
    assert_true(dt >= 190 && dt < 2000);
    pair_close(&p);
}

static void test_bad_input(void **state)
{
    sctpng_socket *c = u_client(AF_INET, SCTPNG_ONE_TO_ONE, 0);
    assert_non_null(c);
    assert_int_equal(sctpng_send(c, "x", 1, NULL, 0), -ENOTCONN);
    sctpng_addr v6;
    assert_int_equal(sctpng_addr_parse(&v6, "::1", U_SCTP_PORT), 0);
    assert_int_equal(sctpng_connect(c, &v6, 1, NULL, 0), -EAFNOSUPPORT);
    assert_int_equal(sctpng_setopt(c, SCTPNG_OPT_MAXSEG, 100), -EINVAL);      /* below 464 */
    assert_int_equal(sctpng_setopt(c, SCTPNG_OPT_AUTOCLOSE, 1), -EOPNOTSUPP); /* one-to-one */
    assert_int_equal(sctpng_setopt(c, 999, 1), -EINVAL);
    assert_int_equal(sctpng_bindx(c, &v6, 1, true), -EAFNOSUPPORT);
    sctpng_close(c);

    struct pair p;
    pair_open(&p, 0);
    sctpng_sndinfo si = {.stream = 100};
    assert_int_equal(sctpng_send(p.c, "x", 1, &si, 0), -EINVAL);
    si.stream = 0;
    si.flags = 1u << 20;
    assert_int_equal(sctpng_send(p.c, "x", 1, &si, 0), -EINVAL);
    assert_int_equal(sctpng_send(p.c, "x", 0, NULL, 0), -EINVAL);
    /* Buffer sizes change on a running engine, as on Linux (issue 15);
     * so do those an association keeps its own copy of (ub_tune.c);
     * settings the engine takes only at start stay -EBUSY. */
    int v = 0;
    assert_int_equal(sctpng_setopt(p.c, SCTPNG_OPT_SNDBUF, 65536), 0);
    assert_int_equal(sctpng_getopt(p.c, SCTPNG_OPT_SNDBUF, &v), 0);
    assert_int_equal(v, 65536);
    assert_int_equal(sctpng_setopt(p.c, SCTPNG_OPT_RCVBUF, 100), -EINVAL);
    assert_int_equal(sctpng_setopt(p.c, SCTPNG_OPT_ASSOC_MAX_RETRANS, 5), 0); /* live too */
    /* what later associations are offered changes too, as on Linux */
    assert_int_equal(sctpng_setopt(p.c, SCTPNG_OPT_PR_SUPPORTED, 1), 0);
    assert_int_equal(sctpng_setopt(p.c, SCTPNG_OPT_ASCONF_SUPPORTED, 1), -EBUSY);
    sctpng_addr a;
    assert_int_equal(sctpng_addr_parse(&a, "127.0.0.1", 1), 0);
    assert_int_equal(sctpng_bindx(p.c, &a, 1, true), -EOPNOTSUPP);
    assert_int_equal(sctpng_connect(p.c, &a, 1, NULL, 0), -EISCONN);
    assert_int_equal(sctpng_shutdown(p.c, 0), 0);
    assert_int_equal(sctpng_send(p.c, "x", 1, NULL, 0), -EPIPE);
    pair_close(&p);

    sctpng_socket *m = u_open(AF_INET, SCTPNG_ONE_TO_MANY, 0);
    sctpng_socket *out;
    assert_int_equal(sctpng_peeloff(m, 1, &out), -EINVAL); /* no such association */
    sctpng_sndinfo bad = {.assoc = 12345};
    assert_int_equal(sctpng_send(m, "x", 1, &bad, 0), -EINVAL);
    sctpng_close(m);
}

/* What only the kernel backend has fails on the UDP backend with the
 * error sctpng.h documents, never a silent success: -ENOPROTOOPT for
 * options, -EOPNOTSUPP for calls. */
static void test_kernel_only(void **state)
{
    (void)state;
    static const int opts[] = {
        SCTPNG_OPT_REUSEPORT,
        SCTPNG_OPT_ECN_SUPPORTED,
    };
    struct pair p;
    pair_open(&p, 0);
    for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
        int v = 0;
        assert_int_equal(sctpng_setopt(p.c, opts[i], 1), -ENOPROTOOPT);
        assert_int_equal(sctpng_getopt(p.c, opts[i], &v), -ENOPROTOOPT);
    }
    uint16_t sid = 0, key = 0, ids[4];
    /* stream reconfiguration exists (udp_reconf), but was not negotiated */
    assert_int_equal(sctpng_reset_streams(p.c, 0, SCTPNG_STREAMS_OUT, &sid, 1), -ENOPROTOOPT);
    assert_int_equal(sctpng_reset_assoc(p.c, 0), -ENOPROTOOPT);
    assert_int_equal(sctpng_add_streams(p.c, 0, 1, 0), -ENOPROTOOPT);
    /* AUTH is the engine's now (udp_auth): without SCTPNG_OPT_AUTH_SUPPORTED
     * the calls say -EACCES, as the kernel's */
    assert_int_equal(sctpng_auth_set_key(p.c, 0, 1, (const uint8_t *)"k", 1), -EACCES);
    assert_int_equal(sctpng_auth_get_active_key(p.c, 0, &key), -EACCES);
    assert_int_equal(sctpng_auth_get_hmacs(p.c, ids, 4), -EACCES);
    pair_close(&p);
}

/* The kernel's per-peer remote UDP port is kernel only: -EOPNOTSUPP. The
 * PLPMTUD probe interval works per path, as on Linux (the engine's
 * discovery; the kernel suite's test_pathnum runs the same calls). (A
 * fixed path MTU works too: udp_pmtu.) */
static void test_kernel_only_path_settings(void **state)
{
    (void)state;
    struct pair p;
    pair_open(&p, 0);
    sctpng_addr a;
    assert_int_equal(sctpng_addr_parse(&a, "127.0.0.1", U_SCTP_PORT), 0);
    uint16_t port = 1;
    uint32_t ms = 1;
    assert_int_equal(sctpng_set_remote_udp_port(p.c, 0, NULL, 9899), -EOPNOTSUPP);
    assert_int_equal(sctpng_set_remote_udp_port(p.c, 0, &a, 9899), -EOPNOTSUPP);
    assert_int_equal(sctpng_get_remote_udp_port(p.c, 0, NULL, &port), -EOPNOTSUPP);
    assert_int_equal(port, 1);
    assert_int_equal(sctpng_get_probe_interval(p.c, 0, &a, &ms), 0);
    assert_int_equal(ms, 1000); /* on by default here: the probe time-out */
    assert_int_equal(sctpng_set_probe_interval(p.c, 0, NULL, 6000), 0);
    assert_int_equal(sctpng_get_probe_interval(p.c, 0, &a, &ms), 0);
    assert_int_equal(ms, 6000);
    assert_int_equal(sctpng_set_probe_interval(p.c, 0, &a, 0), 0); /* off on the path */
    assert_int_equal(sctpng_get_probe_interval(p.c, 0, &a, &ms), 0);
    assert_int_equal(ms, 0);
    assert_int_equal(sctpng_set_probe_interval(p.c, 0, &a, 4999), -EINVAL);
    assert_int_equal(sctpng_send(p.c, "x", 1, NULL, U_WAIT_MS), 1); /* still works */
    pair_close(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_comm_up),         cmocka_unit_test(test_graceful_shutdown),
        cmocka_unit_test(test_abort_comm_lost), cmocka_unit_test(test_abort_mid_message),
        cmocka_unit_test(test_recv_timeout),    cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_kernel_only),     cmocka_unit_test(test_kernel_only_path_settings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
