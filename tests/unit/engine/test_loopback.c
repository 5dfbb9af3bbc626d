/* Two engines talking through an in-process link with a fake clock:
 * handshake, data both ways on several streams, ordered and unordered,
 * a 1 MiB message, loss recovery, graceful shutdown with data in flight,
 * abort, and no leaks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/chunk.h"
#include "engine/wire.h"
#include "pump.h"

#define SEC    1000000000ull
#define MAXMSG 2048

struct rmsg {
    uint16_t stream, ssn;
    uint32_t ppid;
    bool unordered;
    size_t len;
    uint32_t hash;
};

struct world {
    uint64_t seed[2];
    sctpng_eng *e[2];
    struct pump p;
    struct rmsg msgs[2][MAXMSG];
    unsigned nmsgs[2];
    uint32_t cur_hash[2];
    size_t cur_len[2];
    int drop_data_index; /* drop the Nth DATA packet from side 0 (1-based), 0 = none */
    int data_pkts_seen;
};

static uint32_t fnv(uint32_t h, const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 16777619u;
    return h;
}

static void on_data(struct pump *p, int side, const uint8_t *buf, size_t n,
                    const sctpng_eng_rcvinfo *ri)
{
    struct world *w = p->ctx;
    if (w->cur_len[side] == 0)
        w->cur_hash[side] = 2166136261u;
    w->cur_hash[side] = fnv(w->cur_hash[side], buf, n);
    w->cur_len[side] += n;
    if (!ri->complete)
        return;
    struct rmsg *m = &w->msgs[side][w->nmsgs[side]++];
    m->stream = ri->stream;
    m->ssn = ri->ssn;
    m->ppid = ri->ppid;
    m->unordered = ri->unordered;
    m->len = w->cur_len[side];
    m->hash = w->cur_hash[side];
    w->cur_len[side] = 0;
}

static bool has_data(const uint8_t *pkt, size_t len)
{
    return len > 12 && pkt[12] == CT_DATA; /* first chunk (SACK may precede) */
}

static bool drop_hook(struct pump *p, int from, const uint8_t *pkt, size_t len)
{
    struct world *w = p->ctx;
    if (from != 0 || !w->drop_data_index)
        return false;
    struct chunk_iter it;
    struct chunk c;
    chunk_iter_init(&it, pkt, len);
    bool data = false;
    while (chunk_next(&it, &c) == 1)
        data |= c.type == CT_DATA;
    (void)has_data;
    return data && ++w->data_pkts_seen == w->drop_data_index;
}

static struct world *world_new(uint32_t rwnd)
{
    struct world *w = calloc(1, sizeof(*w));
    for (int s = 0; s < 2; s++) {
        sctpng_eng_config cfg;
        w->seed[s] = 0x1234567 + (uint64_t)s * 77;
        pump_config(&cfg, s, &w->seed[s]);
        if (rwnd)
            cfg.rwnd = rwnd;
        cfg.sndbuf = 4u << 20;
        assert_int_equal(sctpng_eng_new(&cfg, &w->e[s]), 0);
    }
    pump_init(&w->p, w->e[0], w->e[1], 5000000); /* 5 ms one way */
    w->p.ctx = w;
    w->p.auto_read = true;
    w->p.on_data = on_data;
    w->p.drop = drop_hook;
    return w;
}

static void world_free(struct world *w)
{
    pump_free(&w->p);
    sctpng_eng_free(w->e[0]);
    sctpng_eng_free(w->e[1]);
    free(w);
}

static bool both_up(struct pump *p)
{
    return pump_assoc(p, 0) && pump_assoc(p, 1);
}

static uint32_t connect_world(struct world *w)
{
    uint32_t id;
    assert_int_equal(sctpng_eng_connect(w->e[0], &w->p.addr[1], 1, 5001, w->p.now, &id), 0);
    assert_true(pump_until(&w->p, both_up, w->p.now + 5 * SEC));
    assert_int_equal(pump_assoc(&w->p, 0), id);
    return id;
}

static void fill(uint8_t *b, size_t n, uint32_t seed)
{
    for (size_t i = 0; i < n; i++)
        b[i] = (uint8_t)(seed + i * 7 + (i >> 8));
}

static void handshake(void **state)
{
    (void)state;
    struct world *w = world_new(0);
    uint32_t id = connect_world(w);
    sctpng_eng_status st;
    assert_int_equal(sctpng_eng_get_status(w->e[0], id, &st), 0);
    assert_int_equal(st.state, SCTPNG_ENG_ESTABLISHED);
    assert_int_equal(st.out_streams, 16);
    assert_int_equal(st.in_streams, 16);
    assert_true(st.peer_pr_sctp);
    sctpng_eng_status st1;
    assert_int_equal(sctpng_eng_get_status(w->e[1], pump_assoc(&w->p, 1), &st1), 0);
    assert_int_equal(st.local_vtag, st1.peer_vtag);
    assert_int_equal(st.peer_vtag, st1.local_vtag);
    /* RTT measured from the handshake (Karn: nothing was retransmitted) */
    sctpng_eng_path_info pi;
    assert_int_equal(sctpng_eng_get_path(w->e[0], id, 0, &pi), 0);
    assert_int_equal(pi.state, SCTPNG_ENG_PATH_ACTIVE);
    assert_true(pi.srtt_ns >= 9000000 && pi.srtt_ns <= 11000000);
    sctpng_eng_stats es;
    sctpng_eng_get_stats(w->e[1], &es);
    assert_int_equal(es.cookies_ok, 1);
    assert_int_equal(es.assocs_live, 1);
    world_free(w);
}

static bool got_all(struct pump *p)
{
    struct world *w = p->ctx;
    return w->nmsgs[0] >= 40 && w->nmsgs[1] >= 40;
}

static void data_both_ways(void **state)
{
    (void)state;
    struct world *w = world_new(0);
    uint32_t id0 = connect_world(w), id1 = pump_assoc(&w->p, 1);
    uint8_t buf[3000];
    for (unsigned i = 0; i < 40; i++) {
        sctpng_eng_sndinfo si = {
            .stream = (uint16_t)(i % 4), .ppid = 1000 + i, .unordered = (i % 5) == 4};
        size_t len = 1 + (i * 97) % 2500;
        fill(buf, len, i);
        assert_int_equal(sctpng_eng_send(w->e[0], id0, buf, len, &si, w->p.now), (ssize_t)len);
        assert_int_equal(sctpng_eng_send(w->e[1], id1, buf, len, &si, w->p.now), (ssize_t)len);
    }
    assert_true(pump_until(&w->p, got_all, w->p.now + 10 * SEC));
    for (int side = 0; side < 2; side++) {
        uint16_t next_ssn[4] = {0, 0, 0, 0};
        for (unsigned k = 0; k < 40; k++) {
            struct rmsg *m = &w->msgs[side][k];
            unsigned i = m->ppid - 1000;
            size_t len = 1 + (i * 97) % 2500;
            fill(buf, len, i);
            assert_int_equal(m->len, len);
            assert_int_equal(m->hash, fnv(2166136261u, buf, len));
            assert_int_equal(m->stream, i % 4);
            assert_int_equal(m->unordered, (i % 5) == 4);
            if (!m->unordered) {
                assert_int_equal(m->ssn, next_ssn[m->stream]);
                next_ssn[m->stream]++;
            }
        }
    }
    assert_true(pump_count(&w->p, 0, SCTPNG_ENG_EV_DATA_READY) >= 1);
    pump_run(&w->p, w->p.now + 2 * SEC);
    assert_int_equal(pump_count(&w->p, 0, SCTPNG_ENG_EV_SENDER_DRY), 1);
    world_free(w);
}

static bool got_one(struct pump *p)
{
    struct world *w = p->ctx;
    return w->nmsgs[1] >= 1;
}

static void one_mib_message(void **state)
{
    (void)state;
    /* rwnd smaller than the message: exercises partial delivery too */
    struct world *w = world_new(256 * 1024);
    uint32_t id = connect_world(w);
    size_t len = 1u << 20;
    uint64_t t0 = w->p.now;
    uint8_t *big = malloc(len);
    fill(big, len, 99);
    sctpng_eng_sndinfo si = {.stream = 3, .ppid = 42};
    assert_int_equal(sctpng_eng_send(w->e[0], id, big, len, &si, w->p.now), (ssize_t)len);
    assert_true(pump_until(&w->p, got_one, w->p.now + 60 * SEC));
    assert_int_equal(w->msgs[1][0].len, len);
    assert_int_equal(w->msgs[1][0].hash, fnv(2166136261u, big, len));
    assert_int_equal(w->msgs[1][0].stream, 3);
    sctpng_eng_status st;
    sctpng_eng_get_status(w->e[0], id, &st);
    assert_true(st.data_chunks_sent >= len / 1200);
    printf("# 1MiB: retransmits %lu t3 %lu fast %lu dups %lu sacks %lu chunks %lu time %.3f s\n",
           (unsigned long)st.retransmits, (unsigned long)st.t3_expiries,
           (unsigned long)st.fast_retransmits, (unsigned long)st.dup_tsns_recvd,
           (unsigned long)st.sacks_recvd, (unsigned long)st.data_chunks_sent,
           (double)(w->p.now - t0) / 1e9);
    assert_int_equal(st.retransmits, 0);
    free(big);
    world_free(w);
}

static bool got_20(struct pump *p)
{
    struct world *w = p->ctx;
    return w->nmsgs[1] >= 20;
}

static void loss_recovered(void **state)
{
    (void)state;
    struct world *w = world_new(0);
    uint32_t id = connect_world(w);
    w->drop_data_index = 2;
    uint8_t buf[1000];
    for (unsigned i = 0; i < 20; i++) {
        sctpng_eng_sndinfo si = {.stream = 0, .ppid = i};
        fill(buf, sizeof(buf), i);
        assert_int_equal(sctpng_eng_send(w->e[0], id, buf, sizeof(buf), &si, w->p.now), 1000);
    }
    assert_true(pump_until(&w->p, got_20, w->p.now + 30 * SEC));
    for (unsigned i = 0; i < 20; i++)
        assert_int_equal(w->msgs[1][i].ppid, i); /* in order despite the loss */
    sctpng_eng_status st;
    sctpng_eng_get_status(w->e[0], id, &st);
    assert_true(st.retransmits >= 1);
    assert_int_equal(w->p.dropped, 1);
    world_free(w);
}

static void loss_t3(void **state)
{
    (void)state;
    /* the last packet of a burst is lost: no later SACK reports it, T3 must */
    struct world *w = world_new(0);
    uint32_t id = connect_world(w);
    w->drop_data_index = 1;
    uint8_t buf[100];
    fill(buf, sizeof(buf), 1);
    uint64_t t0 = w->p.now;
    assert_int_equal(sctpng_eng_send(w->e[0], id, buf, sizeof(buf), NULL, w->p.now), 100);
    assert_true(pump_until(&w->p, got_one, w->p.now + 30 * SEC));
    sctpng_eng_status st;
    sctpng_eng_get_status(w->e[0], id, &st);
    assert_int_equal(st.t3_expiries, 1);
    assert_int_equal(st.retransmits, 1);
    assert_true(w->p.now - t0 >= 1000000000ull); /* waited at least RTO.Min (1 s) */
    world_free(w);
}

static bool both_down(struct pump *p)
{
    return pump_count(p, 0, SCTPNG_ENG_EV_ASSOC_DOWN) && pump_count(p, 1, SCTPNG_ENG_EV_ASSOC_DOWN);
}

static void shutdown_with_data_in_flight(void **state)
{
    (void)state;
    struct world *w = world_new(0);
    sctpng_eng_stats s0;
    sctpng_eng_get_stats(w->e[1], &s0);
    uint32_t id = connect_world(w);
    uint8_t buf[4000];
    for (unsigned i = 0; i < 50; i++) {
        fill(buf, sizeof(buf), i);
        sctpng_eng_sndinfo si = {.stream = (uint16_t)(i % 3), .ppid = i};
        assert_int_equal(sctpng_eng_send(w->e[0], id, buf, sizeof(buf), &si, w->p.now), 4000);
    }
    pump_step(&w->p); /* some data leaves */
    assert_int_equal(sctpng_eng_shutdown(w->e[0], id, w->p.now), 0);
    assert_int_equal(sctpng_eng_send(w->e[0], id, buf, 10, NULL, w->p.now), -EPIPE);
    assert_true(pump_until(&w->p, both_down, w->p.now + 30 * SEC));
    assert_int_equal(w->nmsgs[1], 50);
    assert_int_equal(pump_find(&w->p, 0, SCTPNG_ENG_EV_ASSOC_DOWN)->u.down.reason,
                     SCTPNG_ENG_DOWN_SHUTDOWN);
    assert_int_equal(pump_find(&w->p, 1, SCTPNG_ENG_EV_ASSOC_DOWN)->u.down.reason,
                     SCTPNG_ENG_DOWN_SHUTDOWN);
    assert_int_equal(pump_count(&w->p, 1, SCTPNG_ENG_EV_SHUTDOWN), 1);
    assert_int_equal(pump_count(&w->p, 0, SCTPNG_ENG_EV_SEND_FAILED), 0);
    /* everything is freed on both sides */
    sctpng_eng_stats s1;
    sctpng_eng_get_stats(w->e[1], &s1);
    assert_int_equal(s1.assocs_live, 0);
    assert_int_equal(sctpng_eng_deadline(w->e[0]), UINT64_MAX);
    assert_int_equal(sctpng_eng_get_status(w->e[0], id, &(sctpng_eng_status){0}), -ENOENT);
    world_free(w);
}

/* What abort_assoc's events carry, checked while it is valid. */
static unsigned payloads_ok;

static void check_payload(struct pump *p, int side, const sctpng_eng_event *ev)
{
    (void)p;
    if (side == 0 && ev->type == SCTPNG_ENG_EV_SEND_FAILED) {
        uint8_t want[100];
        fill(want, sizeof(want), 9);
        assert_int_equal(ev->u.send_failed.data_len, sizeof(want));
        assert_memory_equal(ev->u.send_failed.data, want, sizeof(want));
        payloads_ok++;
    }
    if (side == 1 && ev->type == SCTPNG_ENG_EV_ASSOC_DOWN) {
        /* the whole ABORT: header, then a User-Initiated Abort with "bye" */
        const uint8_t *c = ev->u.down.abort_chunk;
        assert_non_null(c);
        assert_int_equal(ev->u.down.abort_len, 4 + 4 + 3); /* no padding (RFC 9260 3.2) */
        assert_int_equal(c[0], CT_ABORT);
        assert_int_equal(get16(c + 2), ev->u.down.abort_len); /* as declared */
        assert_int_equal(get16(c + 4), CAUSE_USER_ABORT);
        assert_int_equal(get16(c + 6), 4 + 3);
        assert_memory_equal(c + 8, "bye", 3);
        payloads_ok++;
    }
    if (side == 0 && ev->type == SCTPNG_ENG_EV_ASSOC_DOWN) {
        assert_null(ev->u.down.abort_chunk); /* our own abort */
        assert_int_equal(ev->u.down.abort_len, 0);
    }
}

/* An abort: both ends down, the peer's event with the whole ABORT chunk,
 * the unsent message back as SEND_FAILED with its bytes. */
static void abort_assoc(void **state)
{
    (void)state;
    struct world *w = world_new(0);
    uint32_t id = connect_world(w);
    uint8_t buf[100];
    fill(buf, sizeof(buf), 9);
    payloads_ok = 0;
    w->p.on_event = check_payload;
    sctpng_eng_send(w->e[0], id, buf, sizeof(buf), NULL, w->p.now);
    assert_int_equal(sctpng_eng_abort(w->e[0], id, "bye", 3, w->p.now), 0);
    assert_true(pump_until(&w->p, both_down, w->p.now + 5 * SEC));
    const sctpng_eng_event *e0 = pump_find(&w->p, 0, SCTPNG_ENG_EV_ASSOC_DOWN);
    const sctpng_eng_event *e1 = pump_find(&w->p, 1, SCTPNG_ENG_EV_ASSOC_DOWN);
    assert_int_equal(e0->u.down.reason, SCTPNG_ENG_DOWN_USER_ABORT);
    assert_int_equal(e1->u.down.reason, SCTPNG_ENG_DOWN_PEER_ABORT);
    assert_int_equal(e1->u.down.cause, CAUSE_USER_ABORT);
    assert_int_equal(pump_count(&w->p, 0, SCTPNG_ENG_EV_SEND_FAILED), 1);
    assert_int_equal(payloads_ok, 2);
    assert_int_equal(sctpng_eng_abort(w->e[0], id, NULL, 0, w->p.now), -ENOENT);
    world_free(w);
}

static void memory_returns(void **state)
{
    (void)state;
    struct world *w = world_new(0);
    sctpng_eng_stats a, b;
    sctpng_eng_get_stats(w->e[0], &a);
    uint32_t id = connect_world(w);
    uint8_t buf[5000];
    fill(buf, sizeof(buf), 5);
    for (int i = 0; i < 10; i++)
        sctpng_eng_send(w->e[0], id, buf, sizeof(buf), NULL, w->p.now);
    sctpng_eng_shutdown(w->e[0], id, w->p.now);
    assert_true(pump_until(&w->p, both_down, w->p.now + 30 * SEC));
    sctpng_eng_get_stats(w->e[0], &b);
    /* the chunk pool keeps recycled buffers: the rest must be gone */
    assert_int_equal(b.assocs_live, 0);
    assert_int_equal(b.assocs_created, b.assocs_freed);
    (void)a;
    world_free(w);
}

static void pr_sctp_lifetime(void **state)
{
    (void)state;
    struct world *w = world_new(0);
    uint32_t id = connect_world(w);
    w->drop_data_index = 1; /* the first (only) transmission is lost */
    uint8_t buf[500];
    fill(buf, sizeof(buf), 3);
    sctpng_eng_sndinfo si = {.stream = 1, .ppid = 7, .lifetime_ms = 50, .context = 77};
    assert_int_equal(sctpng_eng_send(w->e[0], id, buf, sizeof(buf), &si, w->p.now), 500);
    sctpng_eng_sndinfo si2 = {.stream = 1, .ppid = 8};
    pump_step(&w->p);
    pump_run(&w->p, w->p.now + 3 * SEC);
    assert_int_equal(sctpng_eng_send(w->e[0], id, buf, 100, &si2, w->p.now), 100);
    assert_true(pump_until(&w->p, got_one, w->p.now + 10 * SEC));
    /* the expired message was skipped with FORWARD-TSN; the next one arrives */
    assert_int_equal(w->msgs[1][0].ppid, 8);
    assert_int_equal(w->msgs[1][0].ssn, 1);
    const sctpng_eng_event *f = pump_find(&w->p, 0, SCTPNG_ENG_EV_SEND_FAILED);
    assert_non_null(f);
    assert_int_equal(f->u.send_failed.context, 77);
    sctpng_eng_status st;
    sctpng_eng_get_status(w->e[0], id, &st);
    assert_true(st.fwd_tsn_sent >= 1);
    assert_int_equal(st.abandoned_msgs, 1);
    world_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(handshake),        cmocka_unit_test(data_both_ways),
        cmocka_unit_test(one_mib_message),  cmocka_unit_test(loss_recovered),
        cmocka_unit_test(loss_t3),          cmocka_unit_test(shutdown_with_data_in_flight),
        cmocka_unit_test(abort_assoc),      cmocka_unit_test(memory_returns),
        cmocka_unit_test(pr_sctp_lifetime),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
