/* RFC 8260 I-DATA: every ordered message of a stream takes exactly the
 * next MID. Messages of every length from 1 to 1300 bytes leave the
 * packets with every possible room at their end, among them the four
 * bytes by which I-DATA's header is longer than DATA's: a first fragment
 * that was judged to fit there by DATA's header, then did not, once took
 * a second MID at its next attempt, and the receiver's stream waited
 * forever on the skipped one (the stall of sim_reconf's I-DATA case). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "duo.h"
#include "engine/idata.h"
#include "engine/wire.h"

#define NMSG 1300

struct seen {
    uint32_t next_mid; /* next MID expected on the wire (stream 0) */
    uint32_t next_tsn; /* above the TSNs seen: a lower one is a retransmission */
    bool any;
    unsigned firsts, bad_mid, bad_data;
    uint32_t next_seq; /* next message expected by the reader */
};

static void both(sctpng_eng_config *c, int side)
{
    (void)side;
    c->idata = true;
    c->out_streams = c->in_streams = 2;
}

/* Checks the MID of each first fragment side 0 sends the first time. */
static bool watch(struct duo *d, int from, const uint8_t *pkt, size_t len)
{
    struct seen *s = d->ctx;
    struct chunk_iter it;
    struct chunk c;
    if (from != 0)
        return false;
    chunk_iter_init(&it, pkt, len);
    while (chunk_next(&it, &c) == 1) {
        struct data_chunk dc;
        if (c.type != CT_IDATA || chunk_idata_decode(&c, &dc) < 0)
            continue;
        if (s->any && (int32_t)(dc.tsn - s->next_tsn) < 0)
            continue; /* sent before */
        s->any = true;
        s->next_tsn = dc.tsn + 1;
        if (!(dc.flags & DATA_FLAG_B))
            continue;
        s->firsts++;
        if (dc.ssn != s->next_mid)
            s->bad_mid++;
        s->next_mid = dc.ssn + 1;
    }
    return false;
}

/* Payload: the message's number, then bytes derived from it. */
static void on_data(struct pump *p, int side, const uint8_t *b, size_t n,
                    const sctpng_eng_rcvinfo *ri)
{
    struct duo *d = p->ctx;
    struct seen *s = d->ctx;
    if (side != 1 || !ri->complete)
        return;
    d->got[side]++;
    uint32_t seq = s->next_seq++;
    if (n != 1 + seq % NMSG || b[0] != (uint8_t)seq)
        s->bad_data++;
    for (size_t i = 1; i < n; i++)
        s->bad_data += b[i] != (uint8_t)(seq + i);
}

static void mids_consecutive(void **state)
{
    (void)state;
    static uint8_t buf[NMSG];
    struct seen s = {0};
    struct duo *d = duo_new(both);
    d->ctx = &s;
    d->drop = watch;
    d->p.on_data = on_data;
    assert_true(duo_connect(d));
    assert_true(duo_status(d, 0).idata);
    for (uint32_t seq = 0; seq < NMSG; seq++) {
        size_t n = 1 + seq % NMSG;
        buf[0] = (uint8_t)seq;
        for (size_t i = 1; i < n; i++)
            buf[i] = (uint8_t)(seq + i);
        sctpng_eng_sndinfo si = {.stream = 0, .ppid = 7};
        assert_int_equal(sctpng_eng_send(d->e[0], d->a[0], buf, n, &si, d->p.now), (ssize_t)n);
        if (seq % 64 == 63)
            pump_run(&d->p, d->p.now + SEC); /* let the queue drain now and then */
    }
    pump_run(&d->p, d->p.now + 30 * SEC);
    assert_int_equal(s.bad_mid, 0);
    assert_int_equal(s.firsts, NMSG);
    assert_int_equal(s.bad_data, 0);
    assert_int_equal(d->got[1], NMSG);
    duo_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(mids_consecutive),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
