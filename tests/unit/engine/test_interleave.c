/* RFC 8260 interleaved sending: with I-DATA every chunk is the stream
 * scheduler's choice, so a small message on one stream overtakes a large
 * one in progress on another. Without I-DATA, or with FCFS, a message is
 * sent whole first. Under loss every message still arrives exactly once,
 * intact and in order on its stream, and PR-SCTP abandons an interleaved
 * message (I-FORWARD-TSN) without touching the messages around it. The
 * checked engine verifies its invariants after every call. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "duo.h"
#include "engine/idata.h"
#include "engine/wire.h"

#define NSTREAMS 4
#define BIG      (256u * 1024)

/* Per inbound stream: the message being read, what is expected next. */
struct in_stream {
    uint8_t *buf;
    size_t len;
    uint32_t next_seq; /* sequence number of the next message (ordered) */
};

struct run {
    bool idata, drop_data;
    int sched;
    unsigned pkts;      /* packets side 0 sent, for the loss pattern */
    unsigned order[64]; /* message tags in the order side 1 completed them */
    unsigned norder;
    struct in_stream in[NSTREAMS];
    unsigned bad, dup, skipped; /* corrupt, repeated, missing (ordered: out of order) */
    bool interleaved;           /* a first fragment went out amid another message */
    int open_sid;               /* stream whose message is in progress on the wire */
};

static struct run *cur_run;

static void tweak(sctpng_eng_config *c, int side)
{
    (void)side;
    c->idata = cur_run->idata;
    c->pr_sctp = true;
    c->out_streams = c->in_streams = NSTREAMS;
    c->scheduler = (uint8_t)cur_run->sched;
    c->sndbuf = c->rwnd = 4u << 20;
}

/* Message `seq` of stream sid, n bytes: a header then a pattern of both. */
static void fill(uint8_t *b, size_t n, uint16_t sid, uint32_t seq)
{
    for (size_t i = 0; i < n; i++)
        b[i] = (uint8_t)(i * 7 + seq * 13 + sid);
    if (n >= 8) {
        memcpy(b, &seq, 4);
        memcpy(b + 4, &n, 4);
    }
}

static void on_data(struct pump *p, int side, const uint8_t *b, size_t n,
                    const sctpng_eng_rcvinfo *ri)
{
    struct run *r = ((struct duo *)p->ctx)->ctx;
    if (side != 1 || ri->stream >= NSTREAMS)
        return;
    struct in_stream *s = &r->in[ri->stream];
    s->buf = realloc(s->buf, s->len + n);
    memcpy(s->buf + s->len, b, n);
    s->len += n;
    if (!ri->complete)
        return;
    uint32_t seq = 0, len = 0;
    memcpy(&seq, s->buf, 4);
    memcpy(&len, s->buf + 4, 4);
    uint8_t *want = malloc(s->len);
    fill(want, s->len, ri->stream, seq);
    r->bad += len != s->len || memcmp(want, s->buf, s->len) != 0;
    free(want);
    if (seq < s->next_seq)
        r->dup++;
    else
        r->skipped += seq - s->next_seq;
    s->next_seq = seq + 1;
    if (r->norder < 64)
        r->order[r->norder++] = ri->stream * 100 + seq;
    s->len = 0;
}

/* Watches side 0's I-DATA (was a first fragment sent while another
 * stream's message was open?) and drops every 11th packet if asked. */
static bool watch(struct duo *d, int from, const uint8_t *pkt, size_t len)
{
    struct run *r = d->ctx;
    if (from != 0)
        return false;
    struct chunk_iter it;
    struct chunk c;
    unsigned ndata = 0;
    chunk_iter_init(&it, pkt, len);
    while (chunk_next(&it, &c) == 1) {
        struct data_chunk dc;
        if (c.type != CT_IDATA || chunk_idata_decode(&c, &dc) < 0)
            continue;
        ndata++;
        if ((dc.flags & DATA_FLAG_B) && r->open_sid >= 0 && r->open_sid != dc.sid)
            r->interleaved = true;
        if ((dc.flags & DATA_FLAG_B) && !(dc.flags & DATA_FLAG_E))
            r->open_sid = dc.sid;
        else if ((dc.flags & DATA_FLAG_E) && r->open_sid == dc.sid)
            r->open_sid = -1;
    }
    return r->drop_data && ndata && ++r->pkts % 11 == 0;
}

static struct duo *start(struct run *r)
{
    cur_run = r;
    r->open_sid = -1;
    struct duo *d = duo_new(tweak);
    d->ctx = r;
    d->drop = watch;
    d->p.on_data = on_data;
    assert_true(duo_connect(d));
    assert_int_equal(duo_status(d, 0).idata, r->idata);
    return d;
}

static void finish(struct duo *d, struct run *r)
{
    for (int s = 0; s < NSTREAMS; s++)
        free(r->in[s].buf);
    duo_free(d);
}

static void send_msg(struct duo *d, uint16_t sid, uint32_t seq, size_t n, int policy,
                     uint32_t value)
{
    uint8_t *b = malloc(n);
    fill(b, n, sid, seq);
    sctpng_eng_sndinfo si = {
        .stream = sid, .ppid = 51, .pr_policy = (uint8_t)policy, .pr_value = value};
    assert_int_equal(sctpng_eng_send(d->e[0], d->a[0], b, n, &si, d->p.now), (ssize_t)n);
    free(b);
}

/* A 256 KiB message on stream 1, then 100 bytes on stream 2: which one
 * the receiver completes first. */
static unsigned first_done(bool idata, int sched)
{
    struct run r = {.idata = idata, .sched = sched};
    struct duo *d = start(&r);
    send_msg(d, 1, 0, BIG, 0, 0);
    send_msg(d, 2, 0, 100, 0, 0);
    pump_run(&d->p, d->p.now + 30 * SEC);
    assert_int_equal(r.norder, 2);
    assert_int_equal(r.bad + r.dup + r.skipped, 0);
    unsigned first = r.order[0];
    assert_true(r.interleaved == (first == 200));
    finish(d, &r);
    return first;
}

static void small_overtakes_large(void **state)
{
    (void)state;
    assert_int_equal(first_done(true, SCTPNG_ENG_SCHED_RR), 200);
    assert_int_equal(first_done(true, SCTPNG_ENG_SCHED_FC), 200);
    assert_int_equal(first_done(true, SCTPNG_ENG_SCHED_WFQ), 200);
}

static void whole_without_idata_or_with_fcfs(void **state)
{
    (void)state;
    assert_int_equal(first_done(false, SCTPNG_ENG_SCHED_RR), 100);
    assert_int_equal(first_done(true, SCTPNG_ENG_SCHED_FCFS), 100);
}

/* A stream of higher priority (lower value) preempts a message of a lower
 * one already in progress. */
static void priority_preempts(void **state)
{
    (void)state;
    struct run r = {.idata = true, .sched = SCTPNG_ENG_SCHED_PRIO};
    struct duo *d = start(&r);
    assert_int_equal(sctpng_eng_set_stream_value(d->e[0], d->a[0], 1, 5), 0);
    assert_int_equal(sctpng_eng_set_stream_value(d->e[0], d->a[0], 3, 1), 0);
    send_msg(d, 1, 0, BIG, 0, 0);
    pump_run(&d->p, d->p.now + 15 * MS); /* its first packets leave */
    send_msg(d, 3, 0, 20000, 0, 0);
    pump_run(&d->p, d->p.now + 30 * SEC);
    assert_int_equal(r.norder, 2);
    assert_int_equal(r.order[0], 300);
    assert_true(r.interleaved);
    assert_int_equal(r.bad + r.dup + r.skipped, 0);
    finish(d, &r);
}

/* Messages from 8 bytes to 256 KiB on every stream, every 11th data
 * packet lost: each arrives once, intact, in order on its stream. */
static void loss_exactly_once(void **state)
{
    (void)state;
    static const int scheds[] = {SCTPNG_ENG_SCHED_RR, SCTPNG_ENG_SCHED_WFQ, SCTPNG_ENG_SCHED_PRIO};
    for (unsigned k = 0; k < 3; k++) {
        struct run r = {.idata = true, .sched = scheds[k], .drop_data = true};
        struct duo *d = start(&r);
        unsigned n = 0;
        for (uint32_t seq = 0; seq < 12; seq++)
            for (uint16_t sid = 0; sid < NSTREAMS; sid++, n++)
                send_msg(d, sid, seq, seq % 4 == 3 ? BIG / (1 + sid) : 8 + seq * 997 + sid, 0, 0);
        pump_run(&d->p, d->p.now + 120 * SEC);
        assert_int_equal(r.norder, n > 64 ? 64 : n);
        for (uint16_t sid = 0; sid < NSTREAMS; sid++)
            assert_int_equal(r.in[sid].next_seq, 12);
        assert_int_equal(r.bad + r.dup + r.skipped, 0);
        assert_true(r.interleaved);
        assert_int_equal(duo_status(d, 0).outstanding_chunks + duo_status(d, 0).queued_chunks, 0);
        finish(d, &r);
    }
}

/* Stream 1 sends large messages that may not be retransmitted (PR-SCTP
 * RTX 0), interleaved with reliable ones on stream 2, under loss: the
 * reliable ones all arrive in order, the delivered unreliable ones are
 * whole and in order, the lost ones are reported abandoned, and nothing is
 * left unacknowledged (I-FORWARD-TSN moved the peer past them). */
static void abandon_interleaved(void **state)
{
    (void)state;
    struct run r = {.idata = true, .sched = SCTPNG_ENG_SCHED_RR, .drop_data = true};
    struct duo *d = start(&r);
    for (uint32_t seq = 0; seq < 8; seq++) {
        send_msg(d, 1, seq, 60000, SCTPNG_ENG_PR_RTX, 0);
        send_msg(d, 2, seq, 30000, 0, 0);
    }
    pump_run(&d->p, d->p.now + 120 * SEC);
    assert_int_equal(r.in[2].next_seq, 8);
    assert_int_equal(r.bad + r.dup, 0);
    unsigned failed = pump_count(&d->p, 0, SCTPNG_ENG_EV_SEND_FAILED);
    assert_int_equal(duo_status(d, 0).abandoned_msgs, failed);
    unsigned got1 = 0;
    for (unsigned i = 0; i < r.norder; i++)
        got1 += r.order[i] / 100 == 1;
    assert_true(failed > 0);
    assert_int_equal(got1 + failed, 8);
    assert_true(r.interleaved);
    assert_int_equal(duo_status(d, 0).outstanding_chunks + duo_status(d, 0).queued_chunks, 0);
    assert_int_equal(r.in[1].len, 0); /* no piece of an abandoned message held */
    finish(d, &r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(small_overtakes_large), cmocka_unit_test(whole_without_idata_or_with_fcfs),
        cmocka_unit_test(priority_preempts),     cmocka_unit_test(loss_exactly_once),
        cmocka_unit_test(abandon_interleaved),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
