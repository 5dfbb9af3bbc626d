#include <stdio.h>
/* Association scale: 20,000 associations on one endpoint (side 1, the
 * server), each from its own client address, set up by one client engine
 * (side 0) that reaches the server at a distinct address per association
 * and, for every tenth, at a second address too (two paths). Asserts
 * behaviour, not time: every association comes up on both sides, a
 * message sent on each arrives on the server's association of that very
 * client address, an idle association holds at most 2 KiB, and idle heartbeats confirm and keep
 * every path. Runs against the checked engine (its index checks sample large endpoints). */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pump.h"

#define NA  20000
#define MS  1000000ull
#define SEC 1000000000ull
/* bytes an idle association (no data received yet) may hold, its share
 * of the endpoint's tables included */
#define IDLE_BYTES_MAX 2048
/* address nets: server's first and second address of association i, and
 * the client address it comes from */
enum { NET_S1 = 1, NET_CLIENT = 2, NET_S2 = 3 };

struct net {
    sctpng_eng *e[2];
    uint64_t now;
    uint64_t seed[2];
    unsigned up[2];
    uint32_t cid[NA], sid[NA]; /* association of index i on each side */
};

static void set_addr(struct sockaddr_storage *ss, unsigned net, unsigned i)
{
    struct sockaddr_in *sin = (struct sockaddr_in *)ss;
    memset(ss, 0, sizeof(*ss));
    sin->sin_family = AF_INET;
    sin->sin_port = htons(9899);
    sin->sin_addr.s_addr = htonl(0x0a000000u | (net << 16) | i);
}

static unsigned addr_index(const struct sockaddr_storage *ss, unsigned *net)
{
    uint32_t a = ntohl(((const struct sockaddr_in *)ss)->sin_addr.s_addr);
    *net = (a >> 16) & 0xff;
    return a & 0xffff;
}

static void deliver(struct net *n, int from, const uint8_t *pkt, size_t len,
                    const sctpng_eng_path *to)
{
    sctpng_eng_path p;
    memset(&p, 0, sizeof(p));
    unsigned net, i = addr_index(&to->remote, &net);
    if (from == 0) { /* to the server, from client address i */
        assert_true(net == NET_S1 || net == NET_S2);
        set_addr(&p.remote, NET_CLIENT, i);
        p.local = to->remote;
    } else { /* to the client, from the server address the peer last used */
        assert_int_equal(net, NET_CLIENT);
        if (to->local.ss_family)
            p.remote = to->local;
        else
            set_addr(&p.remote, NET_S1, i);
    }
    (void)sctpng_eng_input(n->e[!from], pkt, len, &p, n->now);
}

static void events(struct net *n, int side)
{
    sctpng_eng_event ev;
    while (sctpng_eng_poll_event(n->e[side], &ev) == 1) {
        if (ev.type != SCTPNG_ENG_EV_ASSOC_UP)
            continue;
        n->up[side]++;
        if (side == 1) { /* which client is it? */
            sctpng_eng_path_info pi;
            assert_int_equal(sctpng_eng_get_path(n->e[1], ev.assoc, 0, &pi), 0);
            unsigned net, i = addr_index(&pi.addr, &net);
            assert_int_equal(net, NET_CLIENT);
            assert_true(i < NA);
            assert_int_equal(n->sid[i], 0); /* one association per client */
            n->sid[i] = ev.assoc;
        }
    }
}

static void drain(struct net *n)
{
    static uint8_t buf[65536];
    bool any = true;
    while (any) {
        any = false;
        for (int s = 0; s < 2; s++) {
            sctpng_eng_path to;
            ssize_t len;
            /* a few at a time: the other side's stateless replies (32
             * slots) leave before more INITs arrive */
            for (int k = 0;
                 k < 16 && (len = sctpng_eng_output(n->e[s], n->now, buf, sizeof(buf), &to)) > 0;
                 k++) {
                deliver(n, s, buf, (size_t)len, &to);
                any = true;
            }
            events(n, s);
        }
    }
}

/* Runs both engines (zero latency) until virtual time `until`. */
static void run_until(struct net *n, uint64_t until)
{
    for (;;) {
        drain(n);
        uint64_t d0 = sctpng_eng_deadline(n->e[0]), d1 = sctpng_eng_deadline(n->e[1]);
        uint64_t d = d0 < d1 ? d0 : d1;
        if (d > until)
            break;
        if (d > n->now)
            n->now = d;
        sctpng_eng_timeout(n->e[0], n->now);
        sctpng_eng_timeout(n->e[1], n->now);
    }
    n->now = until;
}

static uint64_t path_pkts(struct net *n, int side, uint32_t id, unsigned p, bool sent)
{
    sctpng_eng_path_info pi;
    assert_int_equal(sctpng_eng_get_path(n->e[side], id, p, &pi), 0);
    assert_int_equal(pi.state, SCTPNG_ENG_PATH_ACTIVE);
    return sent ? pi.packets_sent : pi.packets_recvd;
}

static void twenty_thousand(void **state)
{
    (void)state;
    struct net *n = calloc(1, sizeof(*n));
    for (int s = 0; s < 2; s++) {
        sctpng_eng_config cfg;
        n->seed[s] = 0x5ca1e + (uint64_t)s;
        pump_config(&cfg, s, &n->seed[s]);
        cfg.max_assocs = NA + 8;
        cfg.hb_interval_ms = 2000;
        assert_int_equal(sctpng_eng_new(&cfg, &n->e[s]), 0);
    }
    sctpng_eng_stats st0;
    sctpng_eng_get_stats(n->e[1], &st0);
    uint64_t base_mem = st0.mem_bytes;
    for (unsigned i = 0; i < NA; i++) {
        struct sockaddr_storage peers[2];
        set_addr(&peers[0], NET_S1, i);
        set_addr(&peers[1], NET_S2, i);
        assert_int_equal(
            sctpng_eng_connect(n->e[0], peers, i % 10 ? 1 : 2, 5001, n->now, &n->cid[i]), 0);
    }
    run_until(n, 100 * MS);
    assert_int_equal(n->up[0], NA);
    assert_int_equal(n->up[1], NA);
    for (int s = 0; s < 2; s++) {
        sctpng_eng_stats st;
        sctpng_eng_get_stats(n->e[s], &st);
        assert_int_equal(st.assocs_live, NA);
        if (s == 1)
            fprintf(stderr, "PERASSOC %llu\n",
                    (unsigned long long)((st.mem_bytes - base_mem) / NA));
        if (s == 1) /* idle: the server's memory per association (issue 16: 2 KiB) */
            assert_true(st.mem_bytes - base_mem <= (uint64_t)NA * IDLE_BYTES_MAX);
    }

    /* lookups: each message reaches the server's association of its client */
    for (unsigned i = 0; i < NA; i++) {
        uint32_t v = i;
        assert_int_equal(sctpng_eng_send(n->e[0], n->cid[i], &v, sizeof(v), NULL, n->now),
                         (ssize_t)sizeof(v));
    }
    run_until(n, n->now + 10 * MS);
    for (unsigned i = 0; i < NA; i++) {
        uint32_t v = UINT32_MAX;
        sctpng_eng_rcvinfo ri;
        assert_int_equal(sctpng_eng_recv(n->e[1], n->sid[i], &v, sizeof(v), &ri),
                         (ssize_t)sizeof(v));
        assert_int_equal(v, i);
        assert_int_equal(ri.assoc, n->sid[i]);
    }

    /* reads from any association take them in the order their data came
     * (the readable ring), not in the endpoint's list order; a second
     * message each shows the turns go round */
    static uint32_t order[NA];
    for (unsigned k = 0; k < NA; k++)
        order[k] = (uint32_t)(((uint64_t)k * 7919u) % NA); /* 7919 prime, NA = 2^5 * 5^4 */
    for (unsigned round = 0; round < 2; round++)
        for (unsigned k = 0; k < NA; k++) {
            uint32_t v = order[k];
            assert_int_equal(
                sctpng_eng_send(n->e[0], n->cid[order[k]], &v, sizeof(v), NULL, n->now),
                (ssize_t)sizeof(v));
            if (round == 0 && k < 100) /* these arrive one by one */
                run_until(n, n->now + MS);
        }
    run_until(n, n->now + 500 * MS); /* second messages wait for a delayed SACK (Nagle) */
    static uint32_t got[NA];
    for (unsigned k = 0; k < 2 * NA; k++) {
        uint32_t v = UINT32_MAX;
        sctpng_eng_rcvinfo ri;
        assert_int_equal(sctpng_eng_recv(n->e[1], 0, &v, sizeof(v), &ri), (ssize_t)sizeof(v));
        assert_true(v < NA);
        assert_int_equal(ri.assoc, n->sid[v]);
        if (k < NA)
            got[k] = v;
        else /* each association's second message, in the first round's order */
            assert_int_equal(v, got[k - NA]);
    }
    for (unsigned k = 0; k < 100; k++) /* those that came one by one, in their order */
        assert_int_equal(got[k], order[k]);
    uint32_t v;
    sctpng_eng_rcvinfo ri;
    assert_int_equal(sctpng_eng_recv(n->e[1], 0, &v, sizeof(v), &ri), -EAGAIN);

    /* idle: every path of every association is heartbeated and answers */
    static uint64_t before[NA][2];
    for (unsigned i = 0; i < NA; i++)
        for (unsigned p = 0; p < (i % 10 ? 1u : 2u); p++)
            before[i][p] = path_pkts(n, 0, n->cid[i], p, false);
    run_until(n, n->now + 8 * SEC); /* HB.interval + RTO with jitter, several rounds */
    for (unsigned i = 0; i < NA; i++) {
        for (unsigned p = 0; p < (i % 10 ? 1u : 2u); p++)
            assert_true(path_pkts(n, 0, n->cid[i], p, false) >= before[i][p] + 2);
        assert_true(path_pkts(n, 1, n->sid[i], 0, true) >= 2);
        sctpng_eng_status st;
        assert_int_equal(sctpng_eng_get_status(n->e[1], n->sid[i], &st), 0);
        assert_int_equal(st.state, SCTPNG_ENG_ESTABLISHED);
    }
    sctpng_eng_free(n->e[0]);
    sctpng_eng_free(n->e[1]);
    free(n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(twenty_thousand),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
