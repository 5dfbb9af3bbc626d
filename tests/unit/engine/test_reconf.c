/* RFC 6525 stream reconfiguration in the engine: the RE-CONFIG codec, each
 * request type end to end between two engines (outgoing and incoming
 * stream resets, SSN/TSN reset, added streams, I-DATA MIDs), denial when
 * the peer has not enabled a request and refusal when we have not, a lost
 * request sent again by its timer, a reset with data queued (refused) and
 * in flight (the peer waits: "in progress"), sends blocked while a reset
 * is outstanding, and both ends resetting at once. Every message is
 * checked: its stream, its sequence number, its payload's own counter. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "duo.h"
#include "engine/reconf_wire.h"
#include "engine/wire.h"

#define STREAMS 4
#define ALL                                                                                        \
    (SCTPNG_ENG_RECONF_RESET_STREAMS | SCTPNG_ENG_RECONF_RESET_ASSOC |                             \
     SCTPNG_ENG_RECONF_ADD_STREAMS)

struct seen {
    unsigned reconf[2];      /* RE-CONFIG chunks sent by each side */
    unsigned in_progress[2]; /* responses "in progress" sent */
    unsigned drop_reconf;    /* drop this many RE-CONFIG packets from side 0 */
    unsigned drop_data;      /* drop this many packets with DATA from side 0 */
    /* what side r received: per stream the last SSN and a count */
    int last_ssn[2][8];
    uint32_t last_tsn[2];
    unsigned msgs[2];
    unsigned bad;
};

static unsigned enable_of[2] = {ALL, ALL};
static bool offer_of[2] = {true, true};
static bool idata_on;

static void tweak(sctpng_eng_config *c, int side)
{
    c->reconf = offer_of[side];
    c->reconf_enable = (uint8_t)enable_of[side];
    c->out_streams = c->in_streams = STREAMS;
    c->idata = idata_on;
}

static void count(struct seen *s, int from, const uint8_t *pkt, size_t len)
{
    struct chunk_iter it;
    struct chunk c;
    chunk_iter_init(&it, pkt, len);
    while (chunk_next(&it, &c) == 1) {
        if (c.type != CT_RECONF)
            continue;
        s->reconf[from]++;
        struct reconf_chunk rq;
        assert_int_equal(reconf_decode(&c, &rq), 0); /* we only send valid ones */
        for (unsigned i = 0; i < rq.n; i++)
            s->in_progress[from] += rq.p[i].type == RP_RESPONSE && rq.p[i].result == RR_IN_PROGRESS;
    }
}

static bool watch(struct duo *d, int from, const uint8_t *pkt, size_t len)
{
    struct seen *s = d->ctx;
    count(s, from, pkt, len);
    if (from != 0)
        return false;
    if (s->drop_reconf && duo_has_chunk(pkt, len, CT_RECONF)) {
        s->drop_reconf--;
        return true;
    }
    if (s->drop_data && (duo_has_chunk(pkt, len, CT_DATA) || duo_has_chunk(pkt, len, CT_IDATA))) {
        s->drop_data--;
        return true;
    }
    return false;
}

/* Payload: "stream:count" as two u32; each stream's messages must come in
 * the order sent. */
static uint32_t sent_count[2][8], recv_count[2][8];

static void on_data(struct pump *p, int side, const uint8_t *b, size_t n,
                    const sctpng_eng_rcvinfo *ri)
{
    struct duo *d = p->ctx;
    struct seen *s = d->ctx;
    if (!ri->complete)
        return;
    d->got[side]++;
    if (n != 8 || get32(b) != ri->stream || ri->stream >= 8 ||
        get32(b + 4) != recv_count[side][ri->stream]++)
        s->bad++;
    s->last_ssn[side][ri->stream] = ri->ssn;
    s->last_tsn[side] = ri->tsn;
    s->msgs[side]++;
}

static ssize_t send_on(struct duo *d, int side, uint16_t stream)
{
    uint8_t b[8];
    put32(b, stream);
    put32(b + 4, sent_count[side][stream]);
    sctpng_eng_sndinfo si = {.stream = stream};
    ssize_t r = sctpng_eng_send(d->e[side], d->a[side], b, sizeof(b), &si, d->p.now);
    if (r > 0)
        sent_count[side][stream]++;
    return r;
}

/* Sends one message on the stream and checks the SSN it arrives with. */
static void send_expect(struct duo *d, struct seen *s, int side, uint16_t stream, int ssn)
{
    unsigned before = s->msgs[!side];
    assert_int_equal(send_on(d, side, stream), 8);
    pump_run(&d->p, d->p.now + 5 * SEC);
    assert_int_equal(s->msgs[!side], before + 1);
    assert_int_equal(s->last_ssn[!side][stream], ssn);
    assert_int_equal(s->bad, 0);
}

/* Two engines watched by `s`, not connected yet. */
static struct duo *begin(struct seen *s)
{
    memset(sent_count, 0, sizeof(sent_count));
    memset(recv_count, 0, sizeof(recv_count));
    struct duo *d = duo_new(tweak);
    d->ctx = s;
    d->drop = watch;
    d->p.on_data = on_data;
    return d;
}

static struct duo *start(struct seen *s)
{
    struct duo *d = begin(s);
    assert_true(duo_connect(d));
    return d;
}

static int teardown(void **state)
{
    (void)state;
    enable_of[0] = enable_of[1] = ALL;
    offer_of[0] = offer_of[1] = true;
    idata_on = false;
    return 0;
}

static const sctpng_eng_event *last_ev(struct duo *d, int side, sctpng_eng_event_type t)
{
    const sctpng_eng_event *e = NULL;
    for (unsigned i = 0; i < d->p.nev[side]; i++)
        if (d->p.ev[side][i].type == t)
            e = &d->p.ev[side][i];
    return e;
}

static void run(struct duo *d)
{
    pump_run(&d->p, d->p.now + 10 * SEC);
}

/* --- codec ---------------------------------------------------------------- */

static struct chunk as_chunk(const uint8_t *v, size_t n)
{
    struct chunk c = {.type = CT_RECONF, .len = (uint16_t)(4 + n), .val = v, .vlen = (uint16_t)n};
    return c;
}

static void codec(void **state)
{
    (void)state;
    uint8_t b[128];
    uint16_t sids[] = {1, 7, 65535};
    size_t n = reconf_put_out_reset(b, sizeof(b), 10, 20, 30, sids, 3);
    assert_int_equal(n, 4 + 12 + 8); /* 6 bytes of streams padded to 8 */
    n += reconf_put_in_reset(b + n, sizeof(b) - n, 11, sids, 1);
    struct reconf_chunk rq;
    struct chunk c = as_chunk(b, n);
    assert_int_equal(reconf_decode(&c, &rq), 0);
    assert_int_equal(rq.n, 2);
    assert_int_equal(rq.p[0].type, RP_OUT_RESET);
    assert_int_equal(rq.p[0].seq, 10);
    assert_int_equal(rq.p[0].resp_seq, 20);
    assert_int_equal(rq.p[0].last_tsn, 30);
    /* the padding after an odd list is not a stream: the length says 3 */
    assert_int_equal(rq.p[0].nsids, 3);
    assert_int_equal(reconf_sid(&rq.p[0], 2), 65535);
    assert_int_equal(rq.p[1].type, RP_IN_RESET);
    assert_int_equal(rq.p[1].nsids, 1);
    /* response with TSNs, add streams */
    n = reconf_put_response(b, sizeof(b), 5, RR_PERFORMED, true, 100, 200);
    c = as_chunk(b, n);
    assert_int_equal(reconf_decode(&c, &rq), 0);
    assert_true(rq.p[0].has_tsns);
    assert_int_equal(rq.p[0].snd_next, 100);
    assert_int_equal(rq.p[0].rcv_next, 200);
    n = reconf_put_add(b, sizeof(b), RP_ADD_IN, 9, 300);
    n += reconf_put_tsn_reset(b + n, sizeof(b) - n, 8);
    c = as_chunk(b, n);
    assert_int_equal(reconf_decode(&c, &rq), 0);
    assert_int_equal(rq.p[0].nstreams, 300);
    assert_int_equal(rq.p[1].type, RP_TSN_RESET);
    /* malformed: three parameters, a short one, a wrong length, unknown type,
     * trailing bytes, an empty chunk, no room to encode */
    n = reconf_put_tsn_reset(b, sizeof(b), 1);
    n += reconf_put_tsn_reset(b + n, sizeof(b) - n, 2);
    n += reconf_put_tsn_reset(b + n, sizeof(b) - n, 3);
    c = as_chunk(b, n);
    assert_int_equal(reconf_decode(&c, &rq), -1);
    n = reconf_put_response(b, sizeof(b), 5, 0, false, 0, 0);
    put16(b + 2, 10); /* 6 bytes of value */
    c = as_chunk(b, 12);
    assert_int_equal(reconf_decode(&c, &rq), -1);
    put16(b + 2, 40); /* longer than the chunk */
    assert_int_equal(reconf_decode(&c, &rq), -1);
    n = reconf_put_tsn_reset(b, sizeof(b), 1);
    put16(b, 99);
    c = as_chunk(b, n);
    assert_int_equal(reconf_decode(&c, &rq), -1);
    n = reconf_put_tsn_reset(b, sizeof(b), 1);
    c = as_chunk(b, n + 2);
    assert_int_equal(reconf_decode(&c, &rq), -1);
    c = as_chunk(b, 0);
    assert_int_equal(reconf_decode(&c, &rq), -1);
    n = reconf_put_out_reset(b, 13, 1, 2, 3, NULL, 0);
    assert_int_equal(n, 0);
    /* an odd stream list */
    n = reconf_put_in_reset(b, sizeof(b), 4, sids, 1);
    put16(b + 2, 9);
    c = as_chunk(b, 9);
    assert_int_equal(reconf_decode(&c, &rq), -1);
}

/* --- end to end ------------------------------------------------------------ */

static void negotiation(void **state)
{
    (void)state;
    struct seen s = {0};
    struct duo *d = start(&s);
    assert_true(duo_status(d, 0).reconf);
    assert_true(duo_status(d, 1).reconf);
    duo_free(d);
    offer_of[1] = false; /* only one side offers it: not used */
    memset(&s, 0, sizeof(s));
    d = start(&s);
    assert_false(duo_status(d, 0).reconf);
    uint16_t l[] = {1};
    assert_int_equal(
        sctpng_eng_reset_streams(d->e[0], d->a[0], SCTPNG_ENG_RESET_OUT, l, 1, d->p.now),
        -ENOPROTOOPT);
    assert_int_equal(sctpng_eng_reset_assoc(d->e[0], d->a[0], d->p.now), -ENOPROTOOPT);
    assert_int_equal(sctpng_eng_add_streams(d->e[0], d->a[0], 1, 0, d->p.now), -ENOPROTOOPT);
    duo_free(d);
}

/* Sets side's offer of RE-CONFIG on its running engine. */
static void offer(struct duo *d, int side, bool on)
{
    sctpng_eng_config c = d->cfg[side];
    c.reconf = on;
    assert_int_equal(sctpng_eng_set_offer(d->e[side], &c), 0);
}

/* What a running engine offers changes for the associations set up later
 * (a Linux listener's SCTP_RECONFIG_SUPPORTED does the same); a live
 * association keeps what both ends agreed when the offer is withdrawn:
 * its RE-CONFIG chunks are still taken, not reported unrecognized. */
static void offer_while_running(void **state)
{
    (void)state;
    struct seen s = {0};
    offer_of[1] = false;
    struct duo *d = begin(&s);
    offer(d, 1, true);
    assert_true(duo_connect(d));
    assert_true(duo_status(d, 0).reconf);
    assert_true(duo_status(d, 1).reconf);
    offer(d, 0, false);
    offer(d, 1, false);
    send_expect(d, &s, 0, 1, 0);
    uint16_t l[] = {1};
    assert_int_equal(
        sctpng_eng_reset_streams(d->e[0], d->a[0], SCTPNG_ENG_RESET_OUT, l, 1, d->p.now), 0);
    run(d);
    const sctpng_eng_event *e1 = last_ev(d, 1, SCTPNG_ENG_EV_STREAM_RESET);
    assert_non_null(e1);
    assert_int_equal(e1->u.stream_reset.flags, SCTPNG_ENG_RECONF_EV_INCOMING);
    assert_non_null(last_ev(d, 0, SCTPNG_ENG_EV_STREAM_RESET));
    send_expect(d, &s, 0, 1, 0); /* SSN 0 again */
    assert_int_equal(sctpng_eng_set_offer(d->e[0], NULL), -EINVAL);
    duo_free(d);
    /* withdrawn before the set-up: the next association goes without */
    memset(&s, 0, sizeof(s));
    offer_of[1] = true;
    d = begin(&s);
    offer(d, 1, false);
    assert_true(duo_connect(d));
    assert_false(duo_status(d, 0).reconf);
    assert_false(duo_status(d, 1).reconf);
    duo_free(d);
}

static void outgoing_reset(void **state)
{
    (void)state;
    struct seen s = {0};
    struct duo *d = start(&s);
    for (int i = 0; i < 3; i++)
        send_expect(d, &s, 0, 1, i);
    send_expect(d, &s, 0, 2, 0);
    uint16_t l[] = {1};
    assert_int_equal(
        sctpng_eng_reset_streams(d->e[0], d->a[0], SCTPNG_ENG_RESET_OUT, l, 1, d->p.now), 0);
    /* blocked until answered (as Linux) */
    assert_int_equal(send_on(d, 0, 1), -EAGAIN);
    assert_int_equal(sctpng_eng_reset_assoc(d->e[0], d->a[0], d->p.now), -EINPROGRESS);
    run(d);
    const sctpng_eng_event *e0 = last_ev(d, 0, SCTPNG_ENG_EV_STREAM_RESET);
    const sctpng_eng_event *e1 = last_ev(d, 1, SCTPNG_ENG_EV_STREAM_RESET);
    assert_non_null(e0);
    assert_non_null(e1);
    assert_int_equal(e0->u.stream_reset.flags, SCTPNG_ENG_RECONF_EV_OUTGOING);
    assert_int_equal(e1->u.stream_reset.flags, SCTPNG_ENG_RECONF_EV_INCOMING);
    assert_int_equal(e0->u.stream_reset.nstreams, 1);
    assert_int_equal(e1->u.stream_reset.streams[0], 1);
    send_expect(d, &s, 0, 1, 0); /* SSN 0 again */
    send_expect(d, &s, 0, 1, 1);
    send_expect(d, &s, 0, 2, 1); /* the other stream goes on */
    /* every stream (n 0) */
    assert_int_equal(
        sctpng_eng_reset_streams(d->e[0], d->a[0], SCTPNG_ENG_RESET_OUT, NULL, 0, d->p.now), 0);
    run(d);
    assert_int_equal(last_ev(d, 1, SCTPNG_ENG_EV_STREAM_RESET)->u.stream_reset.nstreams, 0);
    send_expect(d, &s, 0, 2, 0);
    send_expect(d, &s, 0, 1, 0);
    duo_free(d);
}

static void incoming_reset(void **state)
{
    (void)state;
    struct seen s = {0};
    struct duo *d = start(&s);
    for (int i = 0; i < 3; i++)
        send_expect(d, &s, 1, 2, i);
    uint16_t l[] = {2};
    assert_int_equal(
        sctpng_eng_reset_streams(d->e[0], d->a[0], SCTPNG_ENG_RESET_IN, l, 1, d->p.now), 0);
    run(d);
    const sctpng_eng_event *e0 = last_ev(d, 0, SCTPNG_ENG_EV_STREAM_RESET);
    const sctpng_eng_event *e1 = last_ev(d, 1, SCTPNG_ENG_EV_STREAM_RESET);
    assert_non_null(e0);
    assert_non_null(e1);
    assert_int_equal(e0->u.stream_reset.flags, SCTPNG_ENG_RECONF_EV_INCOMING);
    assert_int_equal(e1->u.stream_reset.flags, SCTPNG_ENG_RECONF_EV_OUTGOING);
    assert_int_equal(e0->u.stream_reset.streams[0], 2);
    send_expect(d, &s, 1, 2, 0);
    /* the requester may ask again: its request is over */
    assert_int_equal(sctpng_eng_reset_streams(d->e[0], d->a[0],
                                              SCTPNG_ENG_RESET_IN | SCTPNG_ENG_RESET_OUT, l, 1,
                                              d->p.now),
                     0);
    run(d);
    assert_int_equal(pump_count(&d->p, 0, SCTPNG_ENG_EV_STREAM_RESET), 3);
    /* both parameters granted: numbered in the order they are written */
    for (int side = 0; side < 2; side++)
        for (unsigned i = 0; i < d->p.nev[side]; i++)
            if (d->p.ev[side][i].type == SCTPNG_ENG_EV_STREAM_RESET)
                assert_false(d->p.ev[side][i].u.stream_reset.flags &
                             (SCTPNG_ENG_RECONF_EV_DENIED | SCTPNG_ENG_RECONF_EV_FAILED));
    send_expect(d, &s, 1, 2, 0);
    send_expect(d, &s, 0, 2, 0);
    duo_free(d);
}

static void assoc_reset(void **state)
{
    (void)state;
    struct seen s = {0};
    struct duo *d = start(&s);
    for (int i = 0; i < 5; i++)
        send_expect(d, &s, 0, 1, i);
    send_expect(d, &s, 1, 3, 0);
    assert_int_equal(sctpng_eng_reset_assoc(d->e[0], d->a[0], d->p.now), 0);
    assert_int_equal(send_on(d, 0, 0), -EAGAIN); /* every stream waits */
    run(d);
    const sctpng_eng_event *e0 = last_ev(d, 0, SCTPNG_ENG_EV_ASSOC_RESET);
    const sctpng_eng_event *e1 = last_ev(d, 1, SCTPNG_ENG_EV_ASSOC_RESET);
    assert_non_null(e0);
    assert_non_null(e1);
    assert_int_equal(e0->u.assoc_reset.flags, 0);
    assert_int_equal(e0->u.assoc_reset.local_tsn, e1->u.assoc_reset.remote_tsn);
    assert_int_equal(e0->u.assoc_reset.remote_tsn, e1->u.assoc_reset.local_tsn);
    uint32_t tsn0 = e0->u.assoc_reset.local_tsn, tsn1 = e1->u.assoc_reset.local_tsn;
    send_expect(d, &s, 0, 1, 0);
    assert_int_equal(s.last_tsn[1], tsn0);
    send_expect(d, &s, 1, 3, 0);
    assert_int_equal(s.last_tsn[0], tsn1);
    assert_int_equal(duo_status(d, 0).next_tsn, tsn0 + 1);
    /* with data not yet acked: refused */
    assert_int_equal(send_on(d, 0, 1), 8);
    assert_int_equal(sctpng_eng_reset_assoc(d->e[0], d->a[0], d->p.now), -EAGAIN);
    run(d);
    assert_int_equal(s.bad, 0);
    duo_free(d);
}

static void add_streams(void **state)
{
    (void)state;
    struct seen s = {0};
    struct duo *d = start(&s);
    assert_int_equal(send_on(d, 0, STREAMS), -EINVAL);
    assert_int_equal(sctpng_eng_add_streams(d->e[0], d->a[0], 2, 0, d->p.now), 0);
    run(d);
    const sctpng_eng_event *e0 = last_ev(d, 0, SCTPNG_ENG_EV_STREAM_CHANGE);
    const sctpng_eng_event *e1 = last_ev(d, 1, SCTPNG_ENG_EV_STREAM_CHANGE);
    assert_non_null(e0);
    assert_non_null(e1);
    assert_int_equal(e0->u.stream_change.flags, 0);
    assert_int_equal(e0->u.stream_change.out_added, 2);
    assert_int_equal(e1->u.stream_change.in_added, 2);
    assert_int_equal(duo_status(d, 0).out_streams, STREAMS + 2);
    assert_int_equal(duo_status(d, 1).in_streams, STREAMS + 2);
    send_expect(d, &s, 0, STREAMS + 1, 0);
    /* ask for incoming ones: the peer adds outgoing streams */
    assert_int_equal(sctpng_eng_add_streams(d->e[0], d->a[0], 0, 3, d->p.now), 0);
    run(d);
    assert_int_equal(duo_status(d, 1).out_streams, STREAMS + 3);
    assert_int_equal(duo_status(d, 0).in_streams, STREAMS + 3);
    assert_int_equal(last_ev(d, 1, SCTPNG_ENG_EV_STREAM_CHANGE)->u.stream_change.out_added, 3);
    assert_int_equal(last_ev(d, 0, SCTPNG_ENG_EV_STREAM_CHANGE)->u.stream_change.in_added, 3);
    send_expect(d, &s, 1, STREAMS + 2, 0);
    assert_int_equal(sctpng_eng_add_streams(d->e[0], d->a[0], 0, 0, d->p.now), -EINVAL);
    assert_int_equal(sctpng_eng_add_streams(d->e[0], d->a[0], 65535, 0, d->p.now), -EINVAL);
    duo_free(d);
}

/* The peer grants nothing: every request comes back denied, nothing changes. */
static void denied(void **state)
{
    (void)state;
    enable_of[1] = 0;
    struct seen s = {0};
    struct duo *d = start(&s);
    send_expect(d, &s, 0, 1, 0);
    uint16_t l[] = {1};
    assert_int_equal(
        sctpng_eng_reset_streams(d->e[0], d->a[0], SCTPNG_ENG_RESET_OUT, l, 1, d->p.now), 0);
    run(d);
    assert_int_equal(last_ev(d, 0, SCTPNG_ENG_EV_STREAM_RESET)->u.stream_reset.flags,
                     SCTPNG_ENG_RECONF_EV_OUTGOING | SCTPNG_ENG_RECONF_EV_DENIED);
    assert_null(last_ev(d, 1, SCTPNG_ENG_EV_STREAM_RESET));
    send_expect(d, &s, 0, 1, 1); /* SSNs go on */
    assert_int_equal(sctpng_eng_reset_assoc(d->e[0], d->a[0], d->p.now), 0);
    run(d);
    assert_int_equal(last_ev(d, 0, SCTPNG_ENG_EV_ASSOC_RESET)->u.assoc_reset.flags,
                     SCTPNG_ENG_RECONF_EV_DENIED);
    assert_int_equal(sctpng_eng_add_streams(d->e[0], d->a[0], 1, 1, d->p.now), 0);
    run(d);
    assert_int_equal(last_ev(d, 0, SCTPNG_ENG_EV_STREAM_CHANGE)->u.stream_change.flags,
                     SCTPNG_ENG_RECONF_EV_DENIED);
    assert_int_equal(duo_status(d, 0).out_streams, STREAMS);
    assert_int_equal(
        sctpng_eng_reset_streams(d->e[0], d->a[0], SCTPNG_ENG_RESET_IN, l, 1, d->p.now), 0);
    run(d);
    assert_int_equal(last_ev(d, 0, SCTPNG_ENG_EV_STREAM_RESET)->u.stream_reset.flags,
                     SCTPNG_ENG_RECONF_EV_INCOMING | SCTPNG_ENG_RECONF_EV_DENIED);
    /* and the side that did not enable them may not ask */
    assert_int_equal(
        sctpng_eng_reset_streams(d->e[1], d->a[1], SCTPNG_ENG_RESET_OUT, l, 1, d->p.now),
        -ENOPROTOOPT);
    assert_int_equal(sctpng_eng_set_reconf_enable(d->e[1], ALL), 0);
    assert_int_equal(
        sctpng_eng_reset_streams(d->e[1], d->a[1], SCTPNG_ENG_RESET_OUT, l, 1, d->p.now), 0);
    assert_int_equal(sctpng_eng_set_reconf_enable(d->e[1], 8), -EINVAL);
    run(d);
    assert_int_equal(last_ev(d, 1, SCTPNG_ENG_EV_STREAM_RESET)->u.stream_reset.flags,
                     SCTPNG_ENG_RECONF_EV_OUTGOING);
    duo_free(d);
}

static void errors(void **state)
{
    (void)state;
    struct seen s = {0};
    struct duo *d = start(&s);
    uint16_t bad[] = {STREAMS}, l[] = {0};
    uint32_t a = d->a[0];
    assert_int_equal(sctpng_eng_reset_streams(d->e[0], a, SCTPNG_ENG_RESET_OUT, bad, 1, 0),
                     -EINVAL);
    assert_int_equal(sctpng_eng_reset_streams(d->e[0], a, 0, l, 1, 0), -EINVAL);
    assert_int_equal(sctpng_eng_reset_streams(d->e[0], a, 4, l, 1, 0), -EINVAL);
    assert_int_equal(sctpng_eng_reset_streams(d->e[0], a, SCTPNG_ENG_RESET_OUT, NULL, 1, 0),
                     -EINVAL);
    assert_int_equal(sctpng_eng_reset_streams(d->e[0], a + 100, SCTPNG_ENG_RESET_OUT, l, 1, 0),
                     -ENOENT);
    assert_int_equal(sctpng_eng_set_reconf_enable(d->e[0], SCTPNG_ENG_RECONF_ADD_STREAMS), 0);
    assert_int_equal(sctpng_eng_reset_streams(d->e[0], a, SCTPNG_ENG_RESET_OUT, l, 1, 0),
                     -ENOPROTOOPT);
    assert_int_equal(sctpng_eng_reset_assoc(d->e[0], a, 0), -ENOPROTOOPT);
    unsigned m = 0;
    assert_int_equal(sctpng_eng_get_reconf_enable(d->e[0], &m), 0);
    assert_int_equal(m, SCTPNG_ENG_RECONF_ADD_STREAMS);
    duo_free(d);
}

/* The first RE-CONFIG is lost: the timer sends it again after an RTO and
 * the reset happens once. */
static void lost_request(void **state)
{
    (void)state;
    struct seen s = {.drop_reconf = 2};
    struct duo *d = start(&s);
    send_expect(d, &s, 0, 3, 0);
    uint16_t l[] = {3};
    assert_int_equal(
        sctpng_eng_reset_streams(d->e[0], d->a[0], SCTPNG_ENG_RESET_OUT, l, 1, d->p.now), 0);
    run(d);
    assert_int_equal(s.drop_reconf, 0);
    assert_true(s.reconf[0] >= 3);
    assert_int_equal(pump_count(&d->p, 0, SCTPNG_ENG_EV_STREAM_RESET), 1);
    assert_int_equal(pump_count(&d->p, 1, SCTPNG_ENG_EV_STREAM_RESET), 1);
    send_expect(d, &s, 0, 3, 0);
    duo_free(d);
}

/* The response is lost: the request comes again, is answered the same
 * way (not as a new one: its sequence number was taken), once. */
static bool drop_first_response(struct duo *d, int from, const uint8_t *pkt, size_t len)
{
    struct seen *s = d->ctx;
    count(s, from, pkt, len);
    if (from == 1 && s->drop_reconf && duo_has_chunk(pkt, len, CT_RECONF)) {
        s->drop_reconf--;
        return true;
    }
    return false;
}

static void lost_response(void **state)
{
    (void)state;
    struct seen s = {.drop_reconf = 1};
    struct duo *d = start(&s);
    d->drop = drop_first_response;
    send_expect(d, &s, 0, 1, 0);
    assert_int_equal(
        sctpng_eng_reset_streams(d->e[0], d->a[0], SCTPNG_ENG_RESET_OUT, NULL, 0, d->p.now), 0);
    run(d);
    assert_int_equal(s.reconf[0], 2);
    assert_int_equal(s.reconf[1], 2);
    assert_int_equal(pump_count(&d->p, 1, SCTPNG_ENG_EV_STREAM_RESET), 1);
    assert_int_equal(pump_count(&d->p, 0, SCTPNG_ENG_EV_STREAM_RESET), 1);
    send_expect(d, &s, 0, 1, 0);
    duo_free(d);
}

/* Data queued unsent: refused. Data in flight and lost: the peer waits for
 * it ("in progress"), then resets; every message arrives once, in order. */
static void data_queued(void **state)
{
    (void)state;
    struct seen s = {0};
    struct duo *d = start(&s);
    uint16_t l[] = {1};
    for (int i = 0; i < 3; i++)
        assert_int_equal(send_on(d, 0, 1), 8);
    assert_int_equal(
        sctpng_eng_reset_streams(d->e[0], d->a[0], SCTPNG_ENG_RESET_OUT, l, 1, d->p.now), -EAGAIN);
    assert_int_equal(
        sctpng_eng_reset_streams(d->e[0], d->a[0], SCTPNG_ENG_RESET_IN, l, 1, d->p.now), 0);
    run(d); /* an inbound reset does not need our queue empty */
    assert_int_equal(s.msgs[1], 3);
    /* now the data leaves and is lost once; the reset goes with it */
    s.drop_data = 1;
    for (int i = 0; i < 3; i++)
        assert_int_equal(send_on(d, 0, 1), 8);
    sctpng_eng_path to;
    uint8_t pkt[PUMP_PKT_MAX];
    (void)to;
    (void)pkt;
    pump_step(&d->p); /* the data goes (and is dropped) */
    assert_true(duo_status(d, 0).outstanding_chunks > 0);
    assert_int_equal(
        sctpng_eng_reset_streams(d->e[0], d->a[0], SCTPNG_ENG_RESET_OUT, l, 1, d->p.now), 0);
    run(d);
    assert_true(s.in_progress[1] >= 1);
    assert_int_equal(s.msgs[1], 6);
    assert_int_equal(s.bad, 0);
    assert_int_equal(last_ev(d, 0, SCTPNG_ENG_EV_STREAM_RESET)->u.stream_reset.flags,
                     SCTPNG_ENG_RECONF_EV_OUTGOING);
    send_expect(d, &s, 0, 1, 0);
    duo_free(d);
}

/* Both ends reset their outgoing streams at once: both requests succeed. */
static void collision(void **state)
{
    (void)state;
    struct seen s = {0};
    struct duo *d = start(&s);
    send_expect(d, &s, 0, 1, 0);
    send_expect(d, &s, 1, 1, 0);
    assert_int_equal(
        sctpng_eng_reset_streams(d->e[0], d->a[0], SCTPNG_ENG_RESET_OUT, NULL, 0, d->p.now), 0);
    assert_int_equal(
        sctpng_eng_reset_streams(d->e[1], d->a[1], SCTPNG_ENG_RESET_OUT, NULL, 0, d->p.now), 0);
    run(d);
    for (int side = 0; side < 2; side++) {
        assert_int_equal(pump_count(&d->p, side, SCTPNG_ENG_EV_STREAM_RESET), 2);
        for (unsigned i = 0; i < d->p.nev[side]; i++)
            if (d->p.ev[side][i].type == SCTPNG_ENG_EV_STREAM_RESET)
                assert_false(d->p.ev[side][i].u.stream_reset.flags &
                             (SCTPNG_ENG_RECONF_EV_DENIED | SCTPNG_ENG_RECONF_EV_FAILED));
    }
    send_expect(d, &s, 0, 1, 0);
    send_expect(d, &s, 1, 1, 0);
    /* both ask the other for an incoming reset at once: each is busy with
     * its own request, so both are refused, and both may try again */
    assert_int_equal(
        sctpng_eng_reset_streams(d->e[0], d->a[0], SCTPNG_ENG_RESET_IN, NULL, 0, d->p.now), 0);
    assert_int_equal(
        sctpng_eng_reset_streams(d->e[1], d->a[1], SCTPNG_ENG_RESET_IN, NULL, 0, d->p.now), 0);
    run(d);
    for (int side = 0; side < 2; side++)
        assert_true(last_ev(d, side, SCTPNG_ENG_EV_STREAM_RESET)->u.stream_reset.flags &
                    SCTPNG_ENG_RECONF_EV_FAILED);
    assert_int_equal(
        sctpng_eng_reset_streams(d->e[0], d->a[0], SCTPNG_ENG_RESET_IN, NULL, 0, d->p.now), 0);
    run(d);
    send_expect(d, &s, 1, 1, 0);
    duo_free(d);
}

/* I-DATA: the reset restarts the stream's MIDs. */
static void idata_mids(void **state)
{
    (void)state;
    idata_on = true;
    struct seen s = {0};
    struct duo *d = start(&s);
    assert_true(duo_status(d, 0).idata);
    for (int i = 0; i < 3; i++)
        send_expect(d, &s, 0, 2, i);
    uint16_t l[] = {2};
    assert_int_equal(
        sctpng_eng_reset_streams(d->e[0], d->a[0], SCTPNG_ENG_RESET_OUT, l, 1, d->p.now), 0);
    run(d);
    send_expect(d, &s, 0, 2, 0);
    send_expect(d, &s, 0, 2, 1);
    duo_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(codec),
        cmocka_unit_test_teardown(negotiation, teardown),
        cmocka_unit_test_teardown(offer_while_running, teardown),
        cmocka_unit_test_teardown(outgoing_reset, teardown),
        cmocka_unit_test_teardown(incoming_reset, teardown),
        cmocka_unit_test_teardown(assoc_reset, teardown),
        cmocka_unit_test_teardown(add_streams, teardown),
        cmocka_unit_test_teardown(denied, teardown),
        cmocka_unit_test_teardown(errors, teardown),
        cmocka_unit_test_teardown(lost_request, teardown),
        cmocka_unit_test_teardown(lost_response, teardown),
        cmocka_unit_test_teardown(data_queued, teardown),
        cmocka_unit_test_teardown(collision, teardown),
        cmocka_unit_test_teardown(idata_mids, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
