/* The kernel's socket options the engine honours (sctpng_eng_config and
 * sctpng_eng_tuning): MAXSEG, DISABLE_FRAGMENTS, MAX_BURST,
 * PARTIAL_DELIVERY_POINT (and the PARTIAL_DELIVERY aborted event),
 * AUTOCLOSE and the RFC 5061 Adaptation Layer Indication, each seen in
 * what leaves side 0 or what side 1 delivers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "duo.h"

static uint8_t msg[20000];

static bool drop_all(struct duo *d, int from, const uint8_t *pkt, size_t len)
{
    (void)d;
    (void)from;
    (void)pkt;
    (void)len;
    return true;
}

struct out_count {
    unsigned pkts, chunks;
};

/* Takes side 0's packets as a backend would after a call. */
static struct out_count drain(struct duo *d)
{
    static uint8_t buf[PUMP_PKT_MAX];
    struct out_count k = {0, 0};
    sctpng_eng_path to;
    ssize_t n;
    while ((n = sctpng_eng_output(d->e[0], d->p.now, buf, sizeof(buf), &to)) > 0) {
        unsigned c = duo_data_chunks(buf, (size_t)n, NULL);
        k.pkts += c > 0;
        k.chunks += c;
    }
    return k;
}

static ssize_t send0(struct duo *d, size_t len)
{
    return sctpng_eng_send(d->e[0], d->a[0], msg, len, NULL, d->p.now);
}

static struct duo *up(void (*tweak)(sctpng_eng_config *c, int side))
{
    struct duo *d = duo_new(tweak);
    assert_true(duo_connect(d));
    return d;
}

static sctpng_eng_tuning tuning(struct duo *d, int side)
{
    sctpng_eng_tuning t;
    assert_int_equal(sctpng_eng_get_tuning(d->e[side], d->a[side], &t), 0);
    return t;
}

static void maxseg_400(sctpng_eng_config *c, int side)
{
    if (side == 0)
        c->maxseg = 400;
}

/* MAXSEG: a 4000-byte message leaves as ten 400-byte chunks; a new value
 * on the live association cuts the next message; 0 is the path's. */
static void maxseg_cuts_messages(void **state)
{
    (void)state;
    struct duo *d = up(maxseg_400);
    d->drop = drop_all;
    assert_int_equal(duo_status(d, 0).frag_point, 400);
    uint32_t tsn0 = duo_status(d, 0).next_tsn;
    assert_int_equal(send0(d, 4000), 4000);
    assert_int_equal(drain(d).chunks, 10);
    assert_int_equal(duo_status(d, 0).next_tsn - tsn0, 10);
    sctpng_eng_tuning t = tuning(d, 0);
    assert_int_equal(t.maxseg, 400);
    t.maxseg = 8; /* too small to cut anything into */
    assert_int_equal(sctpng_eng_set_tuning(d->e[0], d->a[0], &t), -EINVAL);
    t.maxseg = 0;
    assert_int_equal(sctpng_eng_set_tuning(d->e[0], d->a[0], &t), 0);
    /* 1200-byte packets: common header and DATA header off */
    assert_int_equal(duo_status(d, 0).frag_point, 1200 - 12 - 16);
    t.maxseg = 5000; /* above the path's: the path's */
    assert_int_equal(sctpng_eng_set_tuning(d->e[0], d->a[0], &t), 0);
    assert_int_equal(duo_status(d, 0).frag_point, 1200 - 12 - 16);
    t.maxseg = 301; /* kept to 4-byte multiples */
    assert_int_equal(sctpng_eng_set_tuning(d->e[0], d->a[0], &t), 0);
    assert_int_equal(duo_status(d, 0).frag_point, 300);
    /* the other side and the endpoint's default kept theirs */
    assert_int_equal(duo_status(d, 1).frag_point, 1200 - 12 - 16);
    assert_int_equal(sctpng_eng_get_tuning(d->e[0], 0, &t), 0);
    assert_int_equal(t.maxseg, 400);
    duo_free(d);
}

static void no_frag(sctpng_eng_config *c, int side)
{
    if (side == 0)
        c->disable_frag = true;
}

/* DISABLE_FRAGMENTS: what does not fit one chunk is refused, what fits
 * goes; turned off on the live association, the larger one goes. */
static void disable_frag_refuses(void **state)
{
    (void)state;
    struct duo *d = up(no_frag);
    uint32_t fp = duo_status(d, 0).frag_point;
    assert_true(fp > 100);
    assert_int_equal(send0(d, fp + 1), -EMSGSIZE);
    assert_int_equal(send0(d, sizeof(msg)), -EMSGSIZE);
    assert_int_equal(duo_status(d, 0).queued_chunks, 0);
    assert_int_equal(send0(d, fp), (ssize_t)fp);
    sctpng_eng_tuning t = tuning(d, 0);
    assert_true(t.disable_frag);
    t.disable_frag = false;
    assert_int_equal(sctpng_eng_set_tuning(d->e[0], d->a[0], &t), 0);
    assert_int_equal(send0(d, fp + 1), (ssize_t)fp + 1);
    pump_run(&d->p, d->p.now + 2 * SEC);
    assert_int_equal(d->got[1], 2);
    duo_free(d);
}

static void burst_2(sctpng_eng_config *c, int side)
{
    if (side == 0)
        c->max_burst = 2;
}

/* MAX_BURST: the initial cwnd (4380 bytes) lets four full packets go
 * after a send; with 2, two go, and no more until the next input (here a
 * forged SACK, or the limit lifted). */
static void max_burst_limits_a_run(void **state)
{
    (void)state;
    struct duo *d = up(NULL);
    d->drop = drop_all;
    assert_int_equal(send0(d, sizeof(msg)), sizeof(msg));
    assert_int_equal(drain(d).pkts, 4);
    duo_free(d);

    d = up(burst_2);
    d->drop = drop_all;
    uint32_t first = duo_status(d, 0).next_tsn;
    assert_int_equal(send0(d, sizeof(msg)), sizeof(msg));
    assert_int_equal(drain(d).pkts, 2);
    assert_int_equal(drain(d).pkts, 0); /* the same run: nothing more */
    /* a SACK of the two starts a new run: two more */
    assert_int_equal(duo_sack(d, first + 1, NULL, 0), 0);
    assert_int_equal(drain(d).pkts, 2);
    /* lifted on the live association: what cwnd allows goes now */
    sctpng_eng_tuning t = tuning(d, 0);
    assert_int_equal(t.max_burst, 2);
    t.max_burst = 0;
    assert_int_equal(sctpng_eng_set_tuning(d->e[0], d->a[0], &t), 0);
    assert_true(drain(d).pkts >= 1);
    duo_free(d);
}

/* Side 1's reads, piece by piece. */
static size_t got_bytes;
static unsigned got_pieces, got_complete;

static void tally(struct pump *p, int side, const uint8_t *b, size_t n,
                  const sctpng_eng_rcvinfo *ri)
{
    (void)p;
    (void)b;
    if (side != 1)
        return;
    got_bytes += n;
    got_pieces++;
    got_complete += ri->complete;
}

/* Drops side 0's DATA packets after its third: a message larger than
 * three chunks never completes. */
static unsigned data_pkts;

static bool drop_after_three(struct duo *d, int from, const uint8_t *pkt, size_t len)
{
    (void)d;
    if (from != 0 || duo_data_chunks(pkt, len, NULL) == 0)
        return false;
    return ++data_pkts > 3;
}

static struct duo *three_of_ten(void (*tweak)(sctpng_eng_config *c, int side))
{
    struct duo *d = up(tweak);
    got_bytes = got_pieces = got_complete = data_pkts = 0;
    d->p.on_data = tally;
    d->drop = drop_after_three;
    assert_int_equal(send0(d, 10000), 10000);
    pump_run(&d->p, d->p.now + 500 * MS);
    return d;
}

static void pd_3000(sctpng_eng_config *c, int side)
{
    if (side == 1)
        c->pd_point = 3000;
}

/* PARTIAL_DELIVERY_POINT: three chunks (3516 bytes) of a 10000-byte
 * message are at the receiver. Under the point (and with a window far
 * from full) nothing is readable; with a point of 3000 they are read as
 * an incomplete piece. */
static void pd_point_starts_delivery(void **state)
{
    (void)state;
    struct duo *d = three_of_ten(NULL);
    assert_int_equal(got_bytes, 0);
    assert_int_equal(duo_status(d, 1).unread_bytes, 0);
    duo_free(d);

    d = three_of_ten(pd_3000);
    assert_int_equal(got_bytes, 3 * (1200 - 12 - 16));
    assert_true(got_pieces >= 1);
    assert_int_equal(got_complete, 0);
    assert_int_equal(tuning(d, 1).pd_point, 3000);
    duo_free(d);
}

static void pd_4000(sctpng_eng_config *c, int side)
{
    if (side == 1)
        c->pd_point = 4000;
}

/* Above what is there: no delivery yet (the point counts bytes in
 * sequence from the message's first). */
static void pd_point_above_what_is_there(void **state)
{
    (void)state;
    struct duo *d = three_of_ten(pd_4000);
    assert_int_equal(got_bytes, 0);
    duo_free(d);
}

/* The sender aborts in the middle of a partial delivery: the receiver
 * hears PD_ABORTED (stream, SSN) before ASSOC_DOWN. */
static void pd_aborted_before_down(void **state)
{
    (void)state;
    struct duo *d = three_of_ten(pd_3000);
    assert_true(got_bytes > 0);
    assert_int_equal(sctpng_eng_abort(d->e[0], d->a[0], NULL, 0, d->p.now), 0);
    pump_run(&d->p, d->p.now + 500 * MS);
    int pd = -1, down = -1;
    for (unsigned i = 0; i < d->p.nev[1]; i++) {
        if (d->p.ev[1][i].type == SCTPNG_ENG_EV_PD_ABORTED && pd < 0)
            pd = (int)i;
        if (d->p.ev[1][i].type == SCTPNG_ENG_EV_ASSOC_DOWN && down < 0)
            down = (int)i;
    }
    assert_true(pd >= 0 && down > pd);
    assert_int_equal(d->p.ev[1][pd].u.pd.stream, 0);
    assert_int_equal(d->p.ev[1][pd].u.pd.seq, 0);
    assert_int_equal(d->p.ev[1][down].u.down.reason, SCTPNG_ENG_DOWN_PEER_ABORT);
    assert_int_equal(pump_count(&d->p, 1, SCTPNG_ENG_EV_PD_ABORTED), 1);
    duo_free(d);
}

/* Without a partial delivery an abort tells no PD_ABORTED. */
static void no_pd_no_event(void **state)
{
    (void)state;
    struct duo *d = three_of_ten(NULL);
    assert_int_equal(sctpng_eng_abort(d->e[0], d->a[0], NULL, 0, d->p.now), 0);
    pump_run(&d->p, d->p.now + 500 * MS);
    assert_int_equal(pump_count(&d->p, 1, SCTPNG_ENG_EV_ASSOC_DOWN), 1);
    assert_int_equal(pump_count(&d->p, 1, SCTPNG_ENG_EV_PD_ABORTED), 0);
    duo_free(d);
}

/* Runs the pump for `ns` of virtual time exactly (pump_run may jump to
 * the next timer beyond its deadline). */
static void run_for(struct duo *d, uint64_t ns)
{
    uint64_t end = d->p.now + ns;
    for (;;) {
        uint64_t next = sctpng_eng_deadline(d->e[0]), d1 = sctpng_eng_deadline(d->e[1]);
        next = d1 < next ? d1 : next;
        for (unsigned i = 0; i < d->p.nq; i++)
            next = d->p.q[i].at < next ? d->p.q[i].at : next;
        if (next > end)
            break;
        pump_step(&d->p);
    }
    d->p.now = end;
}

static void autoclose_1s(sctpng_eng_config *c, int side)
{
    if (side == 1)
        c->autoclose_ms = 1000;
}

static bool down1(struct pump *p)
{
    return pump_count(p, 1, SCTPNG_ENG_EV_ASSOC_DOWN) > 0;
}

/* AUTOCLOSE: data every 500 ms keeps the association; once idle for the
 * time it ends in a graceful shutdown on both sides. */
static void autoclose_idle_association(void **state)
{
    (void)state;
    struct duo *d = up(autoclose_1s);
    for (int i = 0; i < 6; i++) {
        assert_int_equal(send0(d, 10), 10);
        run_for(d, 500 * MS);
        assert_int_equal(pump_count(&d->p, 1, SCTPNG_ENG_EV_ASSOC_DOWN), 0);
    }
    assert_int_equal(d->got[1], 6);
    uint64_t t0 = d->p.now;
    assert_int_equal(send0(d, 10), 10);
    assert_true(pump_until(&d->p, down1, d->p.now + 5 * SEC));
    uint64_t idle = d->p.now - t0;
    print_message("# shut down %llu ms after the last message\n", (unsigned long long)(idle / MS));
    assert_true(idle >= 1000 * MS && idle < 1300 * MS);
    assert_int_equal(pump_find(&d->p, 1, SCTPNG_ENG_EV_ASSOC_DOWN)->u.down.reason,
                     SCTPNG_ENG_DOWN_SHUTDOWN);
    pump_run(&d->p, d->p.now + SEC);
    assert_int_equal(pump_find(&d->p, 0, SCTPNG_ENG_EV_ASSOC_DOWN)->u.down.reason,
                     SCTPNG_ENG_DOWN_SHUTDOWN);
    assert_int_equal(d->got[1], 7);
    duo_free(d);
}

/* Without autoclose (and turned off on a live association) nothing ends. */
static void autoclose_off(void **state)
{
    (void)state;
    struct duo *d = up(autoclose_1s);
    sctpng_eng_tuning t = tuning(d, 1);
    assert_int_equal(t.autoclose_ms, 1000);
    t.autoclose_ms = 0;
    assert_int_equal(sctpng_eng_set_tuning(d->e[1], d->a[1], &t), 0);
    pump_run(&d->p, d->p.now + 5 * SEC);
    assert_int_equal(pump_count(&d->p, 1, SCTPNG_ENG_EV_ASSOC_DOWN), 0);
    duo_free(d);
}

static void adapt_both(sctpng_eng_config *c, int side)
{
    c->adaptation_ind = side ? 0x1234567u : 0x42u;
}

/* The index of the first event of type t at side, or -1. */
static int ev_at(const struct duo *d, int side, sctpng_eng_event_type t)
{
    for (unsigned i = 0; i < d->p.nev[side]; i++)
        if (d->p.ev[side][i].type == t)
            return (int)i;
    return -1;
}

/* Adaptation Layer Indication: each side's value in its INIT / INIT-ACK
 * reaches the other as an ADAPTATION event right after ASSOC_UP (the
 * server's through the state cookie). */
static void adaptation_both_ways(void **state)
{
    (void)state;
    struct duo *d = up(adapt_both);
    pump_run(&d->p, d->p.now + 100 * MS);
    for (int s = 0; s < 2; s++) {
        int upi = ev_at(d, s, SCTPNG_ENG_EV_ASSOC_UP), ad = ev_at(d, s, SCTPNG_ENG_EV_ADAPTATION);
        assert_true(upi >= 0 && ad > upi);
        assert_int_equal(d->p.ev[s][ad].u.adaptation.indication, s ? 0x42u : 0x1234567u);
        assert_int_equal(pump_count(&d->p, s, SCTPNG_ENG_EV_ADAPTATION), 1);
    }
    duo_free(d);
}

/* None set (or 0, which Linux does not send either): no event. */
static void adaptation_none(void **state)
{
    (void)state;
    struct duo *d = up(NULL);
    pump_run(&d->p, d->p.now + 100 * MS);
    assert_int_equal(pump_count(&d->p, 0, SCTPNG_ENG_EV_ADAPTATION), 0);
    assert_int_equal(pump_count(&d->p, 1, SCTPNG_ENG_EV_ADAPTATION), 0);
    duo_free(d);
}

/* Set on the endpoint of a running server (assoc 0's tuning): the next
 * client gets it. */
static void adaptation_set_later(void **state)
{
    (void)state;
    struct duo *d = duo_new(NULL);
    sctpng_eng_tuning t;
    assert_int_equal(sctpng_eng_get_tuning(d->e[1], 0, &t), 0);
    t.adaptation_ind = 77;
    assert_int_equal(sctpng_eng_set_tuning(d->e[1], 0, &t), 0);
    assert_true(duo_connect(d));
    pump_run(&d->p, d->p.now + 100 * MS);
    const sctpng_eng_event *ev = pump_find(&d->p, 0, SCTPNG_ENG_EV_ADAPTATION);
    assert_non_null(ev);
    assert_int_equal(ev->u.adaptation.indication, 77);
    assert_int_equal(pump_count(&d->p, 1, SCTPNG_ENG_EV_ADAPTATION), 0);
    duo_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(maxseg_cuts_messages),
        cmocka_unit_test(disable_frag_refuses),
        cmocka_unit_test(max_burst_limits_a_run),
        cmocka_unit_test(pd_point_starts_delivery),
        cmocka_unit_test(pd_point_above_what_is_there),
        cmocka_unit_test(pd_aborted_before_down),
        cmocka_unit_test(no_pd_no_event),
        cmocka_unit_test(autoclose_idle_association),
        cmocka_unit_test(autoclose_off),
        cmocka_unit_test(adaptation_both_ways),
        cmocka_unit_test(adaptation_none),
        cmocka_unit_test(adaptation_set_later),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
