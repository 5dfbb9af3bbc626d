/* test_udp_intl.c - RFC 8260 I-DATA on the UDP backend through the public
 * API: SCTPNG_OPT_INTERLEAVING on both ends negotiates it (and reads back
 * 1 on the association's sockets), on one end only it does not; either
 * way a large message and small ones on another stream arrive whole.
 * SCTPNG_OPT_IDATA_FSN_FROM_ZERO: a client numbering its fragments as
 * Linux does gets its messages through, and the server, having learned
 * that numbering, reads the option as 1 on its association (0 when the
 * client numbers the RFC 8260 way). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "uhelp.h"

#define BIG   (1024 * 1024)
#define SMALL 20

static uint16_t gen_port;

/* A listener on 127.0.0.1 that offers I-DATA if intl. */
static sctpng_socket *listener(int intl)
{
    sctpng_socket *s = u_open(AF_INET, SCTPNG_ONE_TO_ONE, 0);
    sctpng_addr a;
    gen_port = u_udp_port();
    if (!s || sctpng_addr_parse(&a, "127.0.0.1", U_SCTP_PORT) < 0 ||
        sctpng_setopt(s, SCTPNG_OPT_UDP_PORT, gen_port) < 0 ||
        sctpng_setopt(s, SCTPNG_OPT_FRAGMENT_INTERLEAVE, 2) < 0 ||
        sctpng_setopt(s, SCTPNG_OPT_INTERLEAVING, intl) < 0 || sctpng_bind(s, &a, 1) < 0 ||
        sctpng_listen(s, 8) < 0) {
        sctpng_close(s);
        return NULL;
    }
    return s;
}

static void open_pair(struct u_pair *p, int intl_client, int intl_server)
{
    p->l = listener(intl_server);
    assert_non_null(p->l);
    p->c = u_open(AF_INET, SCTPNG_ONE_TO_ONE, 0);
    assert_non_null(p->c);
    assert_int_equal(sctpng_setopt(p->c, SCTPNG_OPT_UDP_REMOTE_PORT, gen_port), 0);
    assert_int_equal(sctpng_setopt(p->c, SCTPNG_OPT_INTERLEAVING, intl_client), 0);
    int v = -1;
    assert_int_equal(sctpng_getopt(p->c, SCTPNG_OPT_INTERLEAVING, &v), 0);
    assert_int_equal(v, intl_client); /* what it offers, before an association */
    assert_int_equal(u_connect_pair(p->l, p->c, "127.0.0.1", &p->s), 0);
}

struct rx {
    sctpng_socket *s;
    uint8_t *buf;
    int small_before_big; /* small messages read before the big one ended */
    int small, big, bad;
};

static void *reader(void *arg)
{
    struct rx *r = arg;
    while (r->small < SMALL || !r->big) {
        sctpng_rcvinfo ri;
        ssize_t n = u_recv_msg(r->s, r->buf, BIG + 1, &ri, U_WAIT_MS);
        if (n <= 0)
            break;
        if (ri.flags & SCTPNG_RCV_EVENT)
            continue;
        if (ri.stream == 1 && n == 100) {
            r->bad += r->buf[0] != (uint8_t)r->small || r->buf[99] != (uint8_t)r->small;
            r->small++;
            r->small_before_big += !r->big;
        } else if (ri.stream == 0 && n == BIG) {
            for (size_t i = 0; i < BIG; i += 4096)
                r->bad += r->buf[i] != (uint8_t)(i >> 12);
            r->big++;
        } else {
            r->bad++;
        }
    }
    return NULL;
}

/* 1 MiB on stream 0, then SMALL messages of 100 bytes on stream 1. */
static void transfer(struct u_pair *p, struct rx *r)
{
    uint8_t *big = malloc(BIG);
    assert_non_null(big);
    for (size_t i = 0; i < BIG; i++)
        big[i] = (uint8_t)(i >> 12);
    memset(r, 0, sizeof(*r));
    r->s = p->s;
    r->buf = malloc(BIG + 1);
    assert_non_null(r->buf);
    struct u_thread t;
    u_start(&t, reader, r);
    sctpng_sndinfo si;
    sctpng_sndinfo_init(&si);
    si.stream = 0;
    assert_int_equal(sctpng_send(p->c, big, BIG, &si, U_WAIT_MS), BIG);
    si.stream = 1;
    for (int i = 0; i < SMALL; i++) {
        uint8_t m[100];
        memset(m, i, sizeof(m));
        assert_int_equal(sctpng_send(p->c, m, sizeof(m), &si, U_WAIT_MS), (ssize_t)sizeof(m));
    }
    char b[64];
    sctpng_rcvinfo ri;
    while (sctpng_recv(p->c, b, sizeof(b), &ri, 500) != -ETIMEDOUT)
        ; /* the client's side takes the SACKs */
    u_join(&t);
    free(big);
    free(r->buf);
    assert_int_equal(r->bad, 0);
    assert_int_equal(r->big, 1);
    assert_int_equal(r->small, SMALL);
}

static void negotiated(void **state)
{
    (void)state;
    struct u_pair p;
    open_pair(&p, 1, 1);
    int v = -1;
    assert_int_equal(sctpng_getopt(p.c, SCTPNG_OPT_INTERLEAVING, &v), 0);
    assert_int_equal(v, 1);
    assert_int_equal(sctpng_getopt(p.s, SCTPNG_OPT_INTERLEAVING, &v), 0);
    assert_int_equal(v, 1);
    struct rx r;
    transfer(&p, &r);
    u_pair_close(&p);
}

static void one_side_only(void **state)
{
    (void)state;
    for (int side = 0; side < 2; side++) {
        struct u_pair p;
        open_pair(&p, side == 0, side == 1);
        int v = -1;
        assert_int_equal(sctpng_getopt(p.c, SCTPNG_OPT_INTERLEAVING, &v), 0);
        assert_int_equal(v, 0);
        assert_int_equal(sctpng_getopt(p.s, SCTPNG_OPT_INTERLEAVING, &v), 0);
        assert_int_equal(v, 0);
        struct rx r;
        transfer(&p, &r);
        assert_int_equal(r.small_before_big, 0); /* DATA: sent whole, in order */
        u_pair_close(&p);
    }
}

static void fsn_from_zero(void **state)
{
    (void)state;
    for (int on = 0; on < 2; on++) {
        struct u_pair p;
        p.l = listener(1);
        assert_non_null(p.l);
        p.c = u_open(AF_INET, SCTPNG_ONE_TO_ONE, 0);
        assert_non_null(p.c);
        assert_int_equal(sctpng_setopt(p.c, SCTPNG_OPT_UDP_REMOTE_PORT, gen_port), 0);
        assert_int_equal(sctpng_setopt(p.c, SCTPNG_OPT_INTERLEAVING, 1), 0);
        assert_int_equal(sctpng_setopt(p.c, SCTPNG_OPT_IDATA_FSN_FROM_ZERO, on), 0);
        int v = -1;
        assert_int_equal(sctpng_getopt(p.c, SCTPNG_OPT_IDATA_FSN_FROM_ZERO, &v), 0);
        assert_int_equal(v, on);
        assert_int_equal(u_connect_pair(p.l, p.c, "127.0.0.1", &p.s), 0);
        assert_int_equal(sctpng_getopt(p.c, SCTPNG_OPT_IDATA_FSN_FROM_ZERO, &v), 0);
        assert_int_equal(v, on);
        assert_int_equal(sctpng_getopt(p.s, SCTPNG_OPT_IDATA_FSN_FROM_ZERO, &v), 0);
        assert_int_equal(v, 0); /* nothing learned yet */
        struct rx r;
        transfer(&p, &r);
        assert_int_equal(sctpng_getopt(p.s, SCTPNG_OPT_IDATA_FSN_FROM_ZERO, &v), 0);
        assert_int_equal(v, on); /* the server answers in what it learned */
        u_pair_close(&p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(negotiated),
        cmocka_unit_test(fsn_from_zero),
        cmocka_unit_test(one_side_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
