/* RFC 8899 PLPMTUD (plpmtud.c) between two engines over a link that drops
 * packets above its MTU: the search finds the link's MTU within one step,
 * a path without a limit reaches MAX_PLPMTU at once, lost probes cost
 * neither cwnd nor error counts, a black hole (the link's MTU falls while
 * data flows) falls back to the base and every message still arrives once
 * and in order, ICMP PTB narrows the search (checked: one below the base
 * is ignored), the raise timer finds a larger MTU later, a fixed MTU stops
 * the probing, and a PAD chunk is discarded on receipt (RFC 4820). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>

#include "duo.h"
#include "engine/pad.h"
#include "engine/wire.h"

#define MAX_MTU 9000

/* The link: packets above `mtu` vanish (0: no limit); probes counted. */
struct link {
    uint32_t mtu;
    unsigned probes, probes_dropped, big_data; /* big_data: DATA above `mtu` */
    bool count_big;
    /* PTB: a dropped packet's first 64 bytes, for an ICMP to side 0 */
    bool ptb;
    unsigned pending;
    uint8_t quote[64];
    sctpng_eng_path to;
    /* messages: side 1 checks each arrives once, in order */
    uint32_t next_seq, seq_out;
    bool out_of_order;
};

static bool link_drop(struct duo *d, int from, const uint8_t *pkt, size_t len)
{
    struct link *l = d->ctx;
    bool probe = duo_has_chunk(pkt, len, CT_PAD);
    if (probe && from == 0)
        l->probes++;
    if (!l->mtu || len <= l->mtu)
        return false;
    if (probe && from == 0)
        l->probes_dropped++;
    else if (l->count_big)
        l->big_data++;
    if (l->ptb && from == 0) {
        memcpy(l->quote, pkt, sizeof(l->quote));
        l->to = *d->p.cur_to;
        l->pending = 1;
    }
    return true;
}

static void check_order(struct pump *p, int side, const uint8_t *b, size_t n,
                        const sctpng_eng_rcvinfo *ri)
{
    struct duo *d = p->ctx;
    struct link *l = d->ctx;
    if (!ri->complete)
        return;
    d->got[side]++;
    if (side == 1 && n >= 4) {
        if (get32(b) != l->next_seq)
            l->out_of_order = true;
        l->next_seq++;
    }
}

static void tweak_on(sctpng_eng_config *c, int side)
{
    (void)side;
    c->mtu = MAX_MTU;
    c->plpmtud = true;
    c->plpmtud_raise_ms = 60000;
}

static struct duo *start(struct link *l, void (*tweak)(sctpng_eng_config *, int))
{
    struct duo *d = duo_new(tweak);
    d->ctx = l;
    d->drop = link_drop;
    d->p.on_data = check_order;
    assert_true(duo_connect(d));
    return d;
}

/* Steps the pump, handing a pending PTB to side 0, until side 0's path
 * reaches `state` or `limit`. */
static void run_until_state(struct duo *d, sctpng_eng_pl_state state, uint64_t limit)
{
    struct link *l = d->ctx;
    while (d->p.now < limit && duo_path(d, 0).pl_state != state) {
        pump_step(&d->p);
        if (l->pending) {
            sctpng_eng_icmp ic;
            sctpng_eng_icmp_init(&ic);
            ic.kind = SCTPNG_ENG_ICMP_FRAG_NEEDED;
            ic.mtu = l->mtu;
            ic.path.remote = l->to.remote;
            ic.quote = l->quote;
            ic.quote_len = sizeof(l->quote);
            assert_int_equal(sctpng_eng_icmp_input(d->e[0], &ic, d->p.now), 0);
            l->pending = 0;
        }
    }
}

static void send_seq(struct duo *d, size_t len, unsigned n)
{
    static uint8_t msg[65536];
    struct link *l = d->ctx;
    for (unsigned k = 0; k < n; k++) {
        put32(msg, l->seq_out++);
        assert_int_equal(sctpng_eng_send(d->e[0], d->a[0], msg, len, NULL, d->p.now), (ssize_t)len);
    }
}

/* Link MTU 1500, MAX 9000: the search ends at 1500 (4-byte steps), lost
 * probes leave cwnd and the error counters alone, and then data uses
 * packets of that size. */
static void converges_to_link_mtu(void **state)
{
    (void)state;
    struct link l = {.mtu = 1500};
    struct duo *d = start(&l, tweak_on);
    assert_int_equal(duo_path(d, 0).mtu, 1200); /* BASE_PLPMTU first */
    run_until_state(d, SCTPNG_ENG_PL_SEARCH_COMPLETE, d->p.now + 120 * SEC);
    sctpng_eng_path_info pi = duo_path(d, 0);
    assert_int_equal(pi.pl_state, SCTPNG_ENG_PL_SEARCH_COMPLETE);
    assert_true(pi.mtu <= 1500 && pi.mtu >= 1496);
    assert_true(l.probes_dropped >= 3); /* 9000 and more were tried, 3 times each */
    assert_int_equal(pi.errors, 0);
    assert_int_equal(duo_status(d, 0).t3_expiries, 0);
    assert_true(pi.cwnd >= 4380); /* no loss response to lost probes */
    assert_int_equal(pi.state, SCTPNG_ENG_PATH_ACTIVE);
    /* data in packets of the PLPMTU: none above the link, all delivered */
    l.count_big = true;
    send_seq(d, 20000, 10);
    pump_run(&d->p, d->p.now + 10 * SEC);
    assert_int_equal(d->got[1], 10);
    assert_int_equal(l.big_data, 0);
    assert_false(l.out_of_order);
    assert_true(duo_status(d, 0).pkts_sent < 1000);
    duo_free(d);
}

/* No limit on the link: MAX_PLPMTU after the base and one probe, within
 * two round trips; a 64 KiB message then takes 8 DATA packets. */
static void reaches_max_at_once(void **state)
{
    (void)state;
    struct link l = {.mtu = 0};
    struct duo *d = start(&l, tweak_on);
    uint64_t t0 = d->p.now;
    run_until_state(d, SCTPNG_ENG_PL_SEARCH_COMPLETE, d->p.now + 10 * SEC);
    assert_int_equal(duo_path(d, 0).mtu, MAX_MTU);
    assert_true(d->p.now - t0 <= 100 * MS);
    assert_int_equal(l.probes, 2);
    uint64_t before = duo_status(d, 0).pkts_sent;
    send_seq(d, 65536, 1);
    pump_run(&d->p, d->p.now + 5 * SEC);
    assert_int_equal(d->got[1], 1);
    assert_true(duo_status(d, 0).pkts_sent - before <= 12); /* 55 at 1200 bytes */
    duo_free(d);
}

/* The link's MTU falls from 9000 to 1500 while small messages stream in
 * 9000-byte packets: T3 makes the sender re-check its PLPMTU, the probes
 * fail, the path goes back to the base and searches again; every message
 * arrives exactly once, in order. */
static void black_hole_recovers(void **state)
{
    (void)state;
    struct link l = {.mtu = 0};
    struct duo *d = start(&l, tweak_on);
    run_until_state(d, SCTPNG_ENG_PL_SEARCH_COMPLETE, d->p.now + 10 * SEC);
    assert_int_equal(duo_path(d, 0).mtu, MAX_MTU);
    unsigned sent = 0;
    for (int round = 0; round < 40; round++) {
        send_seq(d, 1000, 20);
        sent += 20;
        if (round == 10)
            l.mtu = 1500; /* the black hole */
        pump_run(&d->p, d->p.now + 200 * MS);
    }
    run_until_state(d, SCTPNG_ENG_PL_SEARCH_COMPLETE, d->p.now + 200 * SEC);
    pump_run(&d->p, d->p.now + 30 * SEC);
    assert_int_equal(d->got[1], sent);
    assert_false(l.out_of_order);
    sctpng_eng_path_info pi = duo_path(d, 0);
    assert_true(pi.mtu <= 1500 && pi.mtu >= 1496);
    assert_int_equal(pi.pl_state, SCTPNG_ENG_PL_SEARCH_COMPLETE);
    assert_int_equal(duo_status(d, 0).state, SCTPNG_ENG_ESTABLISHED);
    assert_true(duo_status(d, 0).t3_expiries >= 1);
    duo_free(d);
}

/* PTB for each dropped probe: the search takes the reported size at once
 * instead of three probe timeouts per size. */
static void ptb_narrows_search(void **state)
{
    (void)state;
    struct link l = {.mtu = 1500, .ptb = true};
    struct duo *d = start(&l, tweak_on);
    uint64_t t0 = d->p.now;
    run_until_state(d, SCTPNG_ENG_PL_SEARCH_COMPLETE, d->p.now + 60 * SEC);
    sctpng_eng_path_info pi = duo_path(d, 0);
    assert_int_equal(pi.mtu, 1500);
    assert_true(d->p.now - t0 < 1 * SEC);
    assert_int_equal(l.probes_dropped, 1);
    /* checked, never taken blindly: below the base it is ignored */
    l.mtu = 1000;
    memset(l.quote, 0, sizeof(l.quote));
    uint8_t q[64];
    memcpy(q, l.quote, sizeof(q));
    sctpng_eng_status st = duo_status(d, 0);
    put16(q, 5000);
    put16(q + 2, 5001);
    put32(q + 4, st.peer_vtag);
    sctpng_eng_icmp ic;
    sctpng_eng_icmp_init(&ic);
    ic.kind = SCTPNG_ENG_ICMP_FRAG_NEEDED;
    ic.mtu = 1000;
    ic.path.remote = d->p.addr[1];
    ic.quote = q;
    ic.quote_len = sizeof(q);
    assert_int_equal(sctpng_eng_icmp_input(d->e[0], &ic, d->p.now), 0);
    assert_int_equal(duo_path(d, 0).mtu, 1500);
    /* a wrong tag is not even looked at */
    put32(q + 4, st.peer_vtag ^ 1);
    ic.mtu = 1300;
    assert_true(sctpng_eng_icmp_input(d->e[0], &ic, d->p.now) < 0);
    assert_int_equal(duo_path(d, 0).mtu, 1500);
    /* a valid one between base and PLPMTU lowers it, then a probe confirms */
    put32(q + 4, st.peer_vtag);
    l.mtu = 1300;
    l.ptb = false;
    assert_int_equal(sctpng_eng_icmp_input(d->e[0], &ic, d->p.now), 0);
    assert_int_equal(duo_path(d, 0).mtu, 1300);
    run_until_state(d, SCTPNG_ENG_PL_SEARCH_COMPLETE, d->p.now + 60 * SEC);
    assert_int_equal(duo_path(d, 0).mtu, 1300);
    duo_free(d);
}

/* After SEARCH_COMPLETE at 1500 the link grows to 9000: the raise timer
 * (60 s here, PMTU_RAISE_TIMER) finds it; not before. */
static void raise_timer_finds_more(void **state)
{
    (void)state;
    struct link l = {.mtu = 1500, .ptb = true};
    struct duo *d = start(&l, tweak_on);
    run_until_state(d, SCTPNG_ENG_PL_SEARCH_COMPLETE, d->p.now + 60 * SEC);
    assert_int_equal(duo_path(d, 0).mtu, 1500);
    uint64_t done = d->p.now;
    l.mtu = 0;
    unsigned probes = l.probes;
    pump_run(&d->p, done + 50 * SEC);
    assert_int_equal(duo_path(d, 0).mtu, 1500);
    assert_int_equal(l.probes, probes);
    pump_run(&d->p, done + 70 * SEC);
    assert_int_equal(duo_path(d, 0).mtu, MAX_MTU);
    assert_int_equal(duo_path(d, 0).pl_state, SCTPNG_ENG_PL_SEARCH_COMPLETE);
    duo_free(d);
}

/* The probe interval (as Linux's SCTP_PLPMTUD_PROBE_INTERVAL): 0 stops
 * discovery on the path and keeps its PLPMTU; a value starts it again and
 * sets the raise timer to 30 intervals (the config's is 60 s here). */
static void probe_interval_per_path(void **state)
{
    (void)state;
    struct link l = {.mtu = 1500, .ptb = true};
    struct duo *d = start(&l, tweak_on);
    uint32_t ms = 7;
    assert_int_equal(sctpng_eng_get_probe_interval(d->e[0], d->a[0], 0, &ms), 0);
    assert_int_equal(ms, 1000); /* the config's probe time-out */
    run_until_state(d, SCTPNG_ENG_PL_SEARCH_COMPLETE, d->p.now + 60 * SEC);
    assert_int_equal(duo_path(d, 0).mtu, 1500);
    assert_int_equal(sctpng_eng_set_probe_interval(d->e[0], d->a[0], 0, 0, d->p.now), 0);
    assert_int_equal(duo_path(d, 0).pl_state, SCTPNG_ENG_PL_DISABLED);
    assert_int_equal(sctpng_eng_get_probe_interval(d->e[0], d->a[0], 0, &ms), 0);
    assert_int_equal(ms, 0);
    l.mtu = 0; /* more would fit now, but nothing looks */
    unsigned probes = l.probes;
    send_seq(d, 5000, 3);
    pump_run(&d->p, d->p.now + 100 * SEC);
    assert_int_equal(l.probes, probes);
    assert_int_equal(duo_path(d, 0).mtu, 1500);
    /* on again, for every path: from the base up to what the link takes */
    l.mtu = 1500;
    assert_int_equal(sctpng_eng_set_probe_interval(d->e[0], d->a[0], -1, 1000, d->p.now), 0);
    run_until_state(d, SCTPNG_ENG_PL_SEARCH_COMPLETE, d->p.now + 20 * SEC);
    assert_true(l.probes > probes);
    assert_int_equal(duo_path(d, 0).mtu, 1500);
    assert_int_equal(sctpng_eng_get_probe_interval(d->e[0], d->a[0], -1, &ms), 0);
    assert_int_equal(ms, 1000);
    /* the raise timer: 30 intervals, not the config's 60 s */
    uint64_t done = d->p.now;
    l.mtu = 0;
    probes = l.probes;
    pump_run(&d->p, done + 29 * SEC);
    assert_int_equal(l.probes, probes);
    assert_int_equal(duo_path(d, 0).mtu, 1500);
    pump_run(&d->p, done + 40 * SEC);
    assert_int_equal(duo_path(d, 0).mtu, MAX_MTU);
    assert_int_equal(d->got[1], 3);
    assert_false(l.out_of_order);
    /* errors; association 0: the default of later ones */
    assert_int_equal(sctpng_eng_set_probe_interval(d->e[0], d->a[0], 5, 1000, d->p.now), -ERANGE);
    assert_int_equal(sctpng_eng_set_probe_interval(d->e[0], 999, 0, 1000, d->p.now), -ENOENT);
    assert_int_equal(sctpng_eng_set_probe_interval(d->e[0], d->a[0], 0, UINT32_MAX, d->p.now),
                     -EINVAL);
    assert_int_equal(sctpng_eng_get_probe_interval(d->e[0], d->a[0], 0, NULL), -EINVAL);
    assert_int_equal(sctpng_eng_set_probe_interval(d->e[0], 0, -1, 6000, d->p.now), 0);
    assert_int_equal(sctpng_eng_get_probe_interval(d->e[0], 0, -1, &ms), 0);
    assert_int_equal(ms, 6000);
    duo_free(d);
}

/* A fixed MTU (sctpng_eng_set_path_params) turns PLPMTUD off on the path:
 * no probes, the size stays; 0 resumes the search. */
static void fixed_mtu_stays(void **state)
{
    (void)state;
    struct link l = {.mtu = 0};
    struct duo *d = start(&l, tweak_on);
    sctpng_eng_path_params pp;
    assert_int_equal(sctpng_eng_get_path_params(d->e[0], d->a[0], 0, &pp), 0);
    assert_int_equal(pp.mtu, 0);
    pp.mtu = 3000;
    assert_int_equal(sctpng_eng_set_path_params(d->e[0], d->a[0], 0, &pp, d->p.now), 0);
    unsigned probes = l.probes;
    send_seq(d, 20000, 5);
    pump_run(&d->p, d->p.now + 20 * SEC);
    sctpng_eng_path_info pi = duo_path(d, 0);
    assert_int_equal(pi.mtu, 3000);
    assert_int_equal(pi.pl_state, SCTPNG_ENG_PL_DISABLED);
    assert_int_equal(l.probes, probes);
    assert_int_equal(d->got[1], 5);
    assert_int_equal(sctpng_eng_get_path_params(d->e[0], d->a[0], 0, &pp), 0);
    assert_int_equal(pp.mtu, 3000);
    /* ICMP does not move a fixed MTU */
    pp.mtu = 100;
    assert_int_equal(sctpng_eng_set_path_params(d->e[0], d->a[0], 0, &pp, d->p.now), -EINVAL);
    pp.mtu = MAX_MTU + 4;
    assert_int_equal(sctpng_eng_set_path_params(d->e[0], d->a[0], 0, &pp, d->p.now), -EINVAL);
    pp.mtu = 0;
    assert_int_equal(sctpng_eng_set_path_params(d->e[0], d->a[0], 0, &pp, d->p.now), 0);
    run_until_state(d, SCTPNG_ENG_PL_SEARCH_COMPLETE, d->p.now + 10 * SEC);
    assert_int_equal(duo_path(d, 0).mtu, MAX_MTU);
    duo_free(d);
}

/* PLPMTUD off (the default): no probes, the config's mtu. */
static void off_keeps_config_mtu(void **state)
{
    (void)state;
    struct link l = {.mtu = 0};
    struct duo *d = start(&l, NULL);
    send_seq(d, 20000, 3);
    pump_run(&d->p, d->p.now + 10 * SEC);
    assert_int_equal(l.probes, 0);
    assert_int_equal(duo_path(d, 0).mtu, d->cfg[0].mtu);
    assert_int_equal(duo_path(d, 0).pl_state, SCTPNG_ENG_PL_DISABLED);
    duo_free(d);
}

static void fill_pad_data(struct pkt_writer *w, void *arg)
{
    (void)arg;
    uint8_t v[4] = {1, 2, 3, 4};
    assert_int_equal(pw_pad_to(w, w->len + 4 + 400), 0);
    struct data_chunk dc = {.flags = DATA_FLAG_B | DATA_FLAG_E, .sid = 0, .data = v, .len = 4};
    dc.tsn = *(uint32_t *)arg;
    assert_int_equal(pw_data(w, &dc), 0);
}

/* RFC 4820: a PAD chunk is discarded, the rest of its packet counts. */
static void pad_chunk_discarded(void **state)
{
    (void)state;
    struct link l = {.mtu = 0, .next_seq = 0x01020304};
    struct duo *d = start(&l, NULL);
    sctpng_eng_stats st0;
    sctpng_eng_get_stats(d->e[1], &st0);
    uint32_t tsn = duo_status(d, 1).local_cum_tsn + 1;
    assert_int_equal(duo_inject(d, 0, fill_pad_data, &tsn), 0);
    pump_run(&d->p, d->p.now + 1 * SEC);
    sctpng_eng_stats st1;
    sctpng_eng_get_stats(d->e[1], &st1);
    assert_int_equal(st1.chunks_unrecognized, st0.chunks_unrecognized);
    assert_int_equal(d->got[1], 1);
    assert_false(l.out_of_order);
    duo_free(d);
}

/* The codec: exact sizes, zeroed padding, decode. */
static void pad_codec(void **state)
{
    (void)state;
    uint8_t buf[1500];
    memset(buf, 0xAA, sizeof(buf));
    struct pkt_writer w;
    pw_init(&w, buf, sizeof(buf), 1, 2, 3);
    assert_int_equal(pw_pad_to(&w, 1501), -1); /* not a multiple of 4 */
    assert_int_equal(pw_pad_to(&w, 1504), -1); /* beyond the buffer */
    assert_int_equal(pw_pad_to(&w, 12), -1);   /* no room for its header */
    assert_int_equal(pw_pad_to(&w, 1500), 0);
    assert_int_equal(pw_finish(&w), 1500);
    assert_int_equal(buf[12], CT_PAD);
    assert_int_equal(get16(buf + 14), 1488);
    for (size_t i = 16; i < sizeof(buf); i++)
        assert_int_equal(buf[i], 0);
    struct chunk_iter it;
    struct chunk c;
    chunk_iter_init(&it, buf, sizeof(buf));
    assert_int_equal(chunk_next(&it, &c), 1);
    uint16_t n = 0;
    assert_int_equal(chunk_pad_decode(&c, &n), 0);
    assert_int_equal(n, 1484);
    assert_int_equal(pkt_validate(buf, sizeof(buf)), 1);
    c.type = CT_HEARTBEAT;
    assert_int_equal(chunk_pad_decode(&c, &n), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pad_codec),
        cmocka_unit_test(pad_chunk_discarded),
        cmocka_unit_test(off_keeps_config_mtu),
        cmocka_unit_test(converges_to_link_mtu),
        cmocka_unit_test(reaches_max_at_once),
        cmocka_unit_test(black_hole_recovers),
        cmocka_unit_test(ptb_narrows_search),
        cmocka_unit_test(raise_timer_finds_more),
        cmocka_unit_test(fixed_mtu_stays),
        cmocka_unit_test(probe_interval_per_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
