/* Association behaviour between two engines: INIT collision, peer restart
 * (5.2.4 A), multihomed failover, unrecognized chunks, zero window, fast
 * retransmit, no allocation in steady state, and the fault tolerance of
 * paths (RFC 7829 potentially failed, primary switchover, parameters per
 * path). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/chunk.h"
#include "engine/param.h"
#include "engine/wire.h"
#include "pump.h"

#define SEC 1000000000ull
#define MS  1000000ull

struct w2 {
    uint64_t seed[2];
    sctpng_eng_config cfg[2];
    sctpng_eng *e[2];
    struct pump p;
    unsigned got[2];
    size_t bytes[2];
    struct sockaddr_storage drop_to; /* drop packets to this address (AF_UNSPEC: none) */
    int drop_nth_data;               /* drop the Nth DATA packet from side 0 */
    int data_seen;
};

static void count_data(struct pump *p, int side, const uint8_t *b, size_t n,
                       const sctpng_eng_rcvinfo *ri)
{
    struct w2 *w = p->ctx;
    (void)b;
    w->bytes[side] += n;
    if (ri->complete)
        w->got[side]++;
}

static bool dropper(struct pump *p, int from, const uint8_t *pkt, size_t len)
{
    struct w2 *w = p->ctx;
    if (w->drop_to.ss_family && addr_same_ip(&p->cur_to->remote, &w->drop_to))
        return true;
    if (from == 0 && w->drop_nth_data) {
        struct chunk_iter it;
        struct chunk c;
        bool data = false;
        chunk_iter_init(&it, pkt, len);
        while (chunk_next(&it, &c) == 1)
            data |= c.type == CT_DATA;
        if (data && ++w->data_seen == w->drop_nth_data)
            return true;
    }
    return false;
}

static struct w2 *mk(void (*tweak)(sctpng_eng_config *c, int side))
{
    struct w2 *w = calloc(1, sizeof(*w));
    for (int s = 0; s < 2; s++) {
        w->seed[s] = 99 + (uint64_t)s;
        pump_config(&w->cfg[s], s, &w->seed[s]);
        if (tweak)
            tweak(&w->cfg[s], s);
        assert_int_equal(sctpng_eng_new(&w->cfg[s], &w->e[s]), 0);
    }
    pump_init(&w->p, w->e[0], w->e[1], 10 * MS);
    w->p.ctx = w;
    w->p.auto_read = true;
    w->p.on_data = count_data;
    w->p.drop = dropper;
    return w;
}

static void rm(struct w2 *w)
{
    pump_free(&w->p);
    sctpng_eng_free(w->e[0]);
    sctpng_eng_free(w->e[1]);
    free(w);
}

static bool up(struct pump *p)
{
    return pump_assoc(p, 0) && pump_assoc(p, 1);
}

static void collision(void **state)
{
    (void)state;
    struct w2 *w = mk(NULL);
    uint32_t a0, a1;
    assert_int_equal(sctpng_eng_connect(w->e[0], &w->p.addr[1], 1, 5001, w->p.now, &a0), 0);
    assert_int_equal(sctpng_eng_connect(w->e[1], &w->p.addr[0], 1, 5000, w->p.now, &a1), 0);
    assert_true(pump_until(&w->p, up, w->p.now + 5 * SEC));
    pump_run(&w->p, w->p.now + 2 * SEC);
    assert_int_equal(pump_count(&w->p, 0, SCTPNG_ENG_EV_ASSOC_UP), 1);
    assert_int_equal(pump_count(&w->p, 1, SCTPNG_ENG_EV_ASSOC_UP), 1);
    assert_int_equal(pump_assoc(&w->p, 0), a0);
    assert_int_equal(pump_assoc(&w->p, 1), a1);
    sctpng_eng_status s0, s1;
    sctpng_eng_get_status(w->e[0], a0, &s0);
    sctpng_eng_get_status(w->e[1], a1, &s1);
    assert_int_equal(s0.local_vtag, s1.peer_vtag);
    assert_int_equal(s1.local_vtag, s0.peer_vtag);
    /* and it carries data */
    assert_int_equal(sctpng_eng_send(w->e[0], a0, "hi", 2, NULL, w->p.now), 2);
    pump_run(&w->p, w->p.now + 1 * SEC);
    assert_int_equal(w->got[1], 1);
    rm(w);
}

static void restart(void **state)
{
    (void)state;
    struct w2 *w = mk(NULL);
    uint32_t a0;
    sctpng_eng_connect(w->e[0], &w->p.addr[1], 1, 5001, w->p.now, &a0);
    assert_true(pump_until(&w->p, up, w->p.now + 5 * SEC));
    uint32_t a1 = pump_assoc(&w->p, 1);
    /* side 0 "reboots": a fresh engine, same address and port */
    sctpng_eng_free(w->e[0]);
    w->seed[0] = 4242;
    assert_int_equal(sctpng_eng_new(&w->cfg[0], &w->e[0]), 0);
    w->p.e[0] = w->e[0];
    w->p.nev[0] = 0;
    sctpng_eng_connect(w->e[0], &w->p.addr[1], 1, 5001, w->p.now, &a0);
    assert_true(pump_until(&w->p, up, w->p.now + 5 * SEC));
    pump_run(&w->p, w->p.now + 1 * SEC);
    const sctpng_eng_event *r = pump_find(&w->p, 1, SCTPNG_ENG_EV_ASSOC_RESTART);
    assert_non_null(r);
    assert_int_equal(r->assoc, a1);
    sctpng_eng_stats st;
    sctpng_eng_get_stats(w->e[1], &st);
    assert_int_equal(st.assocs_live, 1);
    assert_int_equal(sctpng_eng_send(w->e[0], a0, "again", 5, NULL, w->p.now), 5);
    pump_run(&w->p, w->p.now + 1 * SEC);
    assert_int_equal(w->got[1], 1);
    rm(w);
}

static void fast_timers(sctpng_eng_config *c, int side)
{
    (void)side;
    c->rto_initial_ms = 100;
    c->rto_min_ms = 50;
    c->rto_max_ms = 400;
    c->path_max_retrans = 2;
    c->assoc_max_retrans = 20;
    c->hb_interval_ms = 500;
}

/* Side 0 connects to side 1 known by two addresses; both paths are
 * confirmed when this returns. */
static uint32_t mh_connect(struct w2 *w, struct sockaddr_storage peers[2])
{
    peers[0] = w->p.addr[1];
    peers[1] = w->p.addr[1];
    ((struct sockaddr_in *)&peers[1])->sin_addr.s_addr = htonl(0x0a000102); /* 10.0.1.2 */
    uint32_t a0;
    assert_int_equal(sctpng_eng_connect(w->e[0], peers, 2, 5001, w->p.now, &a0), 0);
    assert_true(pump_until(&w->p, up, w->p.now + 5 * SEC));
    pump_run(&w->p, w->p.now + 1 * SEC); /* second path confirmed by heartbeat */
    sctpng_eng_path_info pi;
    assert_int_equal(sctpng_eng_get_path(w->e[0], a0, 1, &pi), 0);
    assert_int_equal(pi.state, SCTPNG_ENG_PATH_ACTIVE);
    return a0;
}

static void multihome_failover(void **state)
{
    (void)state;
    struct w2 *w = mk(fast_timers);
    struct sockaddr_storage peers[2];
    uint32_t a0 = mh_connect(w, peers);
    sctpng_eng_path_info pi;
    /* the primary dies */
    w->drop_to = peers[0];
    for (int i = 0; i < 30; i++)
        assert_int_equal(sctpng_eng_send(w->e[0], a0, "0123456789", 10, NULL, w->p.now), 10);
    pump_run(&w->p, w->p.now + 20 * SEC);
    assert_int_equal(w->got[1], 30);
    assert_int_equal(sctpng_eng_get_path(w->e[0], a0, 0, &pi), 0);
    assert_int_equal(pi.state, SCTPNG_ENG_PATH_INACTIVE);
    assert_true(pump_count(&w->p, 0, SCTPNG_ENG_EV_PEER_ADDR) >= 2);
    sctpng_eng_status st;
    sctpng_eng_get_status(w->e[0], a0, &st);
    assert_int_equal(st.state, SCTPNG_ENG_ESTABLISHED);
    rm(w);
}

static void comm_lost(void **state)
{
    (void)state;
    struct w2 *w = mk(fast_timers);
    uint32_t a0;
    sctpng_eng_connect(w->e[0], &w->p.addr[1], 1, 5001, w->p.now, &a0);
    assert_true(pump_until(&w->p, up, w->p.now + 5 * SEC));
    w->drop_to = w->p.addr[1];
    sctpng_eng_send(w->e[0], a0, "x", 1, NULL, w->p.now);
    pump_run(&w->p, w->p.now + 60 * SEC);
    const sctpng_eng_event *d = pump_find(&w->p, 0, SCTPNG_ENG_EV_ASSOC_DOWN);
    assert_non_null(d);
    assert_int_equal(d->u.down.reason, SCTPNG_ENG_DOWN_COMM_LOST);
    assert_int_equal(pump_count(&w->p, 0, SCTPNG_ENG_EV_SEND_FAILED), 1);
    rm(w);
}

static void unrecognized_chunk(void **state)
{
    (void)state;
    struct w2 *w = mk(NULL);
    uint32_t a0;
    sctpng_eng_connect(w->e[0], &w->p.addr[1], 1, 5001, w->p.now, &a0);
    assert_true(pump_until(&w->p, up, w->p.now + 5 * SEC));
    sctpng_eng_status st;
    sctpng_eng_get_status(w->e[0], a0, &st);
    uint8_t pkt[64];
    struct pkt_writer pw;
    pw_init(&pw, pkt, sizeof(pkt), 5000, 5001, st.peer_vtag);
    pw_chunk_copy(&pw, 0xC7, 0, "abcd", 4); /* 11: skip and report */
    pw_chunk(&pw, CT_COOKIE_ACK, 0, 0);
    size_t n = pw_finish(&pw);
    sctpng_eng_path from = {.remote = w->p.addr[0]};
    assert_int_equal(sctpng_eng_input(w->e[1], pkt, n, &from, w->p.now), 0);
    pump_run(&w->p, w->p.now + 1 * SEC);
    const sctpng_eng_event *e = pump_find(&w->p, 0, SCTPNG_ENG_EV_REMOTE_ERROR);
    assert_non_null(e);
    assert_int_equal(e->u.remote_error.cause, CAUSE_UNRECOGNIZED_CHUNK);
    sctpng_eng_stats es;
    sctpng_eng_get_stats(w->e[1], &es);
    assert_int_equal(es.chunks_unrecognized, 1);
    rm(w);
}

static void small_window(sctpng_eng_config *c, int side)
{
    c->rwnd = side == 1 ? 8000 : c->rwnd;
}

static void zero_window(void **state)
{
    (void)state;
    struct w2 *w = mk(small_window);
    uint32_t a0;
    sctpng_eng_connect(w->e[0], &w->p.addr[1], 1, 5001, w->p.now, &a0);
    assert_true(pump_until(&w->p, up, w->p.now + 5 * SEC));
    w->p.auto_read = false;
    uint8_t buf[1000];
    memset(buf, 7, sizeof(buf));
    for (int i = 0; i < 40; i++)
        assert_int_equal(sctpng_eng_send(w->e[0], a0, buf, sizeof(buf), NULL, w->p.now), 1000);
    pump_run(&w->p, w->p.now + 10 * SEC);
    sctpng_eng_status s0, s1;
    sctpng_eng_get_status(w->e[0], a0, &s0);
    sctpng_eng_get_status(w->e[1], pump_assoc(&w->p, 1), &s1);
    assert_int_equal(s1.local_rwnd, 0);
    assert_true(s1.unread_bytes <= 8000 + 8000 / 4); /* bounded overdraft */
    assert_true(s0.queued_chunks > 20);              /* the sender stopped */
    assert_int_equal(s0.peer_rwnd, 0);
    assert_int_equal(sctpng_eng_get_status(w->e[0], a0, &s0), 0);
    assert_int_equal(s0.state, SCTPNG_ENG_ESTABLISHED); /* probes keep it alive */
    w->p.auto_read = true;
    pump_run(&w->p, w->p.now + 30 * SEC);
    assert_int_equal(w->got[1], 40);
    rm(w);
}

/* The last of the 40 messages leaves with the others rather than after
 * they are acked (Nagle-style bundling would hold it, and its lone packet
 * would race T3 against the peer's delayed SACK). */
static void nodelay(sctpng_eng_config *c, int side)
{
    (void)side;
    c->nodelay = true;
}

static void fast_retransmit(void **state)
{
    (void)state;
    struct w2 *w = mk(nodelay);
    uint32_t a0;
    sctpng_eng_connect(w->e[0], &w->p.addr[1], 1, 5001, w->p.now, &a0);
    assert_true(pump_until(&w->p, up, w->p.now + 5 * SEC));
    w->drop_nth_data = 1;
    uint8_t buf[1000] = {0};
    for (int i = 0; i < 40; i++)
        sctpng_eng_send(w->e[0], a0, buf, sizeof(buf), NULL, w->p.now);
    pump_run(&w->p, w->p.now + 5 * SEC);
    assert_int_equal(w->got[1], 40);
    sctpng_eng_status st;
    sctpng_eng_get_status(w->e[0], a0, &st);
    assert_int_equal(st.fast_retransmits, 1);
    assert_int_equal(st.t3_expiries, 0);
    sctpng_eng_path_info pi;
    sctpng_eng_get_path(w->e[0], a0, 0, &pi);
    assert_true(pi.ssthresh < 1u << 20); /* fast recovery halved the window */
    rm(w);
}

static void steady_state_no_alloc(void **state)
{
    (void)state;
    struct w2 *w = mk(NULL);
    uint32_t a0;
    sctpng_eng_connect(w->e[0], &w->p.addr[1], 1, 5001, w->p.now, &a0);
    assert_true(pump_until(&w->p, up, w->p.now + 5 * SEC));
    uint8_t buf[1100] = {0};
    sctpng_eng_stats b0, b1, c0, c1;
    /* Two rounds to warm up: the first starts at the initial cwnd, the
     * next ones with the window the first grew (2 s idle decays it by a
     * few halvings only, one per RTO of 1 s), so more is in flight. */
    for (int round = 0; round < 3; round++) {
        if (round == 2) {
            sctpng_eng_get_stats(w->e[0], &b0);
            sctpng_eng_get_stats(w->e[1], &b1);
        }
        for (int i = 0; i < 500; i++) {
            while (sctpng_eng_send(w->e[0], a0, buf, sizeof(buf), NULL, w->p.now) == -EAGAIN)
                pump_step(&w->p);
        }
        pump_run(&w->p, w->p.now + 2 * SEC);
    }
    sctpng_eng_get_stats(w->e[0], &c0);
    sctpng_eng_get_stats(w->e[1], &c1);
    assert_int_equal(w->got[1], 1500);
    assert_int_equal(c0.mem_allocs, b0.mem_allocs);
    assert_int_equal(c1.mem_allocs, b1.mem_allocs);
    rm(w);
}

static sctpng_eng_path_state path_state(struct w2 *w, uint32_t a0, uint32_t i)
{
    sctpng_eng_path_info pi;
    assert_int_equal(sctpng_eng_get_path(w->e[0], a0, i, &pi), 0);
    return pi.state;
}

static void slow_inactive(sctpng_eng_config *c, int side)
{
    fast_timers(c, side);
    c->path_max_retrans = 5; /* INACTIVE only after 6 time-outs: 50+100+200+400+400+400 ms */
}

/* RFC 7829: with pf_threshold 0 the primary is potentially failed at its
 * first time-out, data goes to the other path at once, and the primary,
 * probed every RTO, is active again as soon as it answers and carries the
 * data again (the primary did not change). */
static void potentially_failed(void **state)
{
    (void)state;
    struct w2 *w = mk(slow_inactive);
    struct sockaddr_storage peers[2];
    uint32_t a0 = mh_connect(w, peers);
    sctpng_eng_path_params pp;
    assert_int_equal(sctpng_eng_get_path_params(w->e[0], a0, 0, &pp), 0);
    assert_int_equal(pp.pf_threshold, SCTPNG_ENG_PF_OFF);
    pp.pf_threshold = 0;
    assert_int_equal(sctpng_eng_set_path_params(w->e[0], a0, -1, &pp, w->p.now), 0);
    w->drop_to = peers[0];
    uint64_t t0 = w->p.now;
    for (int i = 0; i < 30; i++)
        assert_int_equal(sctpng_eng_send(w->e[0], a0, "0123456789", 10, NULL, w->p.now), 10);
    while (w->got[1] < 30 && w->p.now < t0 + 5 * SEC)
        pump_step(&w->p);
    assert_int_equal(w->got[1], 30);
    /* one RTO (at most the 400 ms RTO.Max) and a round trip, not six RTOs */
    assert_true(w->p.now - t0 < 600 * MS);
    assert_int_equal(path_state(w, a0, 0), SCTPNG_ENG_PATH_PF);
    /* while PF and unanswered it stays PF up to max_retrans, then INACTIVE */
    pump_run(&w->p, w->p.now + 3 * SEC);
    assert_int_equal(path_state(w, a0, 0), SCTPNG_ENG_PATH_INACTIVE);
    /* the path comes back: its heartbeat answers, it is active again */
    memset(&w->drop_to, 0, sizeof(w->drop_to));
    pump_run(&w->p, w->p.now + 2 * SEC);
    assert_int_equal(path_state(w, a0, 0), SCTPNG_ENG_PATH_ACTIVE);
    sctpng_eng_status st;
    sctpng_eng_get_status(w->e[0], a0, &st);
    assert_int_equal(st.primary, 0);
    rm(w);
}

/* PF on, then the primary loses one packet's answer only: it is PF for a
 * moment and the next heartbeat makes it active again, without ever going
 * inactive; with a switchover threshold of 0 the primary moves for good. */
static void primary_switchover(void **state)
{
    (void)state;
    struct w2 *w = mk(slow_inactive);
    struct sockaddr_storage peers[2];
    uint32_t a0 = mh_connect(w, peers);
    sctpng_eng_path_params pp;
    assert_int_equal(sctpng_eng_get_path_params(w->e[0], a0, -1, &pp), 0);
    pp.pf_threshold = 0;
    pp.switchover_threshold = 0;
    assert_int_equal(sctpng_eng_set_path_params(w->e[0], a0, -1, &pp, w->p.now), 0);
    w->drop_to = peers[0];
    assert_int_equal(sctpng_eng_send(w->e[0], a0, "x", 1, NULL, w->p.now), 1);
    uint64_t t0 = w->p.now;
    while (w->got[1] < 1 && w->p.now < t0 + 5 * SEC)
        pump_step(&w->p);
    assert_int_equal(w->got[1], 1);
    memset(&w->drop_to, 0, sizeof(w->drop_to));
    pump_run(&w->p, w->p.now + 2 * SEC);
    assert_int_equal(path_state(w, a0, 0), SCTPNG_ENG_PATH_ACTIVE);
    sctpng_eng_status st;
    sctpng_eng_get_status(w->e[0], a0, &st);
    assert_int_equal(st.primary, 1); /* switched over, and stays */
    rm(w);
}

/* Both ends multihomed, link 1 cut both ways (the failover scenario of
 * tests/multihoming): side 0 (A1 10.0.0.1, A2 10.0.1.1) sends to side 1
 * (B1 10.0.0.2, B2 10.0.1.2), primaries on link 1. Side 1 only answers:
 * its SACKs must go back where the DATA came from (RFC 9260 6.4), not to
 * its primary A1 over the dead link, which it would notice only at its
 * next heartbeat (30 s here). Sent to A1, they were lost while side 0
 * retransmitted on link 2, whose T3 timeouts then flapped B2 between PF
 * and active on every heartbeat answer. */
static struct sockaddr_storage on_link(const struct pump *p, int side, int link)
{
    struct sockaddr_storage a = p->addr[side];
    ((struct sockaddr_in *)&a)->sin_addr.s_addr =
        htonl(0x0a000001u + (uint32_t)side + (uint32_t)(link << 8));
    return a;
}

static int link_of(const struct sockaddr_storage *a)
{
    return (ntohl(((const struct sockaddr_in *)a)->sin_addr.s_addr) >> 8) & 0xff;
}

static void route_by_link(struct pump *p, int from, const sctpng_eng_path *to,
                          struct sockaddr_storage *src)
{
    *src = on_link(p, from, link_of(&to->remote));
}

static bool link0_cut(struct pump *p, int from, const uint8_t *pkt, size_t len)
{
    (void)from, (void)pkt, (void)len;
    return link_of(&p->cur_to->remote) == 0;
}

static void slow_hb_side1(sctpng_eng_config *c, int side)
{
    fast_timers(c, side);
    if (side == 1)
        c->hb_interval_ms = 30000;
}

static void sack_to_data_source(void **state)
{
    (void)state;
    struct sockaddr_storage mine[2];
    struct w2 *w = calloc(1, sizeof(*w));
    pump_init(&w->p, NULL, NULL, 10 * MS);
    mine[0] = on_link(&w->p, 0, 0);
    mine[1] = on_link(&w->p, 0, 1);
    for (int s = 0; s < 2; s++) {
        w->seed[s] = 7 + (uint64_t)s;
        pump_config(&w->cfg[s], s, &w->seed[s]);
        slow_hb_side1(&w->cfg[s], s);
        if (s == 0) {
            w->cfg[s].local_addrs = mine;
            w->cfg[s].n_local_addrs = 2;
        }
        assert_int_equal(sctpng_eng_new(&w->cfg[s], &w->e[s]), 0);
    }
    w->p.e[0] = w->e[0];
    w->p.e[1] = w->e[1];
    w->p.ctx = w;
    w->p.auto_read = true;
    w->p.on_data = count_data;
    w->p.route = route_by_link;
    struct sockaddr_storage peers[2] = {on_link(&w->p, 1, 0), on_link(&w->p, 1, 1)};
    uint32_t a0;
    assert_int_equal(sctpng_eng_connect(w->e[0], peers, 2, 5001, w->p.now, &a0), 0);
    assert_true(pump_until(&w->p, up, w->p.now + 5 * SEC));
    pump_run(&w->p, w->p.now + 1 * SEC); /* the second addresses confirmed */
    uint32_t a1 = pump_assoc(&w->p, 1);
    sctpng_eng_status st;
    sctpng_eng_get_status(w->e[1], a1, &st);
    assert_int_equal(st.n_paths, 2);
    assert_int_equal(path_state(w, a0, 1), SCTPNG_ENG_PATH_ACTIVE);
    for (int s = 0; s < 2; s++) {
        uint32_t a = s ? a1 : a0;
        sctpng_eng_path_params pp;
        assert_int_equal(sctpng_eng_get_path_params(w->e[s], a, -1, &pp), 0);
        pp.pf_threshold = 0; /* as the UDP backend and Linux */
        assert_int_equal(sctpng_eng_set_path_params(w->e[s], a, -1, &pp, w->p.now), 0);
    }
    w->p.drop = link0_cut;
    unsigned nev = w->p.nev[0];
    uint64_t t0 = w->p.now;
    for (int i = 0; i < 30; i++)
        assert_int_equal(sctpng_eng_send(w->e[0], a0, "0123456789", 10, NULL, w->p.now), 10);
    sctpng_eng_get_status(w->e[0], a0, &st);
    while ((w->got[1] < 30 || st.outstanding_chunks || st.queued_chunks) &&
           w->p.now < t0 + 3 * SEC) {
        pump_step(&w->p);
        sctpng_eng_get_status(w->e[0], a0, &st);
    }
    assert_int_equal(w->got[1], 30);
    /* acknowledged within an RTO or so of the cut, not at side 1's next heartbeat */
    assert_int_equal(st.outstanding_chunks, 0);
    assert_true(w->p.now - t0 < 1 * SEC);
    /* and link 2 never looked failed to side 0 */
    for (unsigned k = nev; k < w->p.nev[0]; k++) {
        const sctpng_eng_event *e = &w->p.ev[0][k];
        if (e->type == SCTPNG_ENG_EV_PEER_ADDR && link_of(&e->u.peer_addr.addr) == 1)
            assert_int_not_equal(e->u.peer_addr.state, SCTPNG_ENG_PATH_PF);
    }
    assert_int_equal(path_state(w, a0, 1), SCTPNG_ENG_PATH_ACTIVE);
    rm(w);
}

static unsigned hb_to_path1;

static bool count_hb(struct pump *p, int from, const uint8_t *pkt, size_t len)
{
    struct w2 *w = p->ctx;
    struct sockaddr_storage p1 = w->p.addr[1];
    ((struct sockaddr_in *)&p1)->sin_addr.s_addr = htonl(0x0a000102);
    struct chunk_iter it;
    struct chunk c;
    chunk_iter_init(&it, pkt, len);
    while (from == 0 && chunk_next(&it, &c) == 1)
        hb_to_path1 += c.type == CT_HEARTBEAT && addr_same_ip(&p->cur_to->remote, &p1);
    return false;
}

/* Parameters per path: read back, checked, and a path with heartbeats off
 * gets none while the other keeps its interval; on demand, one at once. */
static void path_params_per_path(void **state)
{
    (void)state;
    struct w2 *w = mk(fast_timers);
    struct sockaddr_storage peers[2];
    uint32_t a0 = mh_connect(w, peers);
    sctpng_eng_path_params pp;
    assert_int_equal(sctpng_eng_get_path_params(w->e[0], a0, 1, &pp), 0);
    assert_int_equal(pp.hb_interval_ms, 500);
    assert_int_equal(pp.max_retrans, 2);
    sctpng_eng_path_params bad = pp;
    bad.pf_threshold = 3; /* above max_retrans */
    assert_int_equal(sctpng_eng_set_path_params(w->e[0], a0, 1, &bad, w->p.now), -EINVAL);
    bad = pp;
    bad.pf_threshold = 1;
    bad.switchover_threshold = 0; /* below pf_threshold */
    assert_int_equal(sctpng_eng_set_path_params(w->e[0], a0, 1, &bad, w->p.now), -EINVAL);
    assert_int_equal(sctpng_eng_set_path_params(w->e[0], a0, 2, &pp, w->p.now), -ERANGE);
    assert_int_equal(sctpng_eng_set_path_params(w->e[0], 999, 0, &pp, w->p.now), -ENOENT);
    pp.hb_interval_ms = 0;
    pp.max_retrans = 4;
    assert_int_equal(sctpng_eng_set_path_params(w->e[0], a0, 1, &pp, w->p.now), 0);
    assert_int_equal(sctpng_eng_get_path_params(w->e[0], a0, 1, &pp), 0);
    assert_int_equal(pp.hb_interval_ms, 0);
    assert_int_equal(pp.max_retrans, 4);
    assert_int_equal(sctpng_eng_get_path_params(w->e[0], a0, 0, &pp), 0);
    assert_int_equal(pp.hb_interval_ms, 500); /* path 0 keeps its own */
    pump_run(&w->p, w->p.now + 1 * SEC);      /* one outstanding may still be answered */
    hb_to_path1 = 0;
    w->p.drop = count_hb;
    pump_run(&w->p, w->p.now + 3 * SEC);
    assert_int_equal(hb_to_path1, 0);
    assert_int_equal(sctpng_eng_heartbeat_now(w->e[0], a0, 1, w->p.now), 0);
    pump_run(&w->p, w->p.now + 100 * MS);
    assert_int_equal(hb_to_path1, 1);
    assert_int_equal(sctpng_eng_heartbeat_now(w->e[0], a0, 2, w->p.now), -ERANGE);
    rm(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(collision),
        cmocka_unit_test(restart),
        cmocka_unit_test(multihome_failover),
        cmocka_unit_test(comm_lost),
        cmocka_unit_test(unrecognized_chunk),
        cmocka_unit_test(zero_window),
        cmocka_unit_test(fast_retransmit),
        cmocka_unit_test(steady_state_no_alloc),
        cmocka_unit_test(potentially_failed),
        cmocka_unit_test(primary_switchover),
        cmocka_unit_test(sack_to_data_source), /* both ends multihomed */
        cmocka_unit_test(path_params_per_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
