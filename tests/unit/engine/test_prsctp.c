/* PR-SCTP sender (RFC 3758 3.5): FORWARD-TSN must tell the peer the last
 * skipped SSN of every ordered stream with abandoned data, however many
 * streams that is, or ordered delivery on the unlisted ones stalls. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "duo.h"
#include "engine/wire.h"

/* More (stream, SSN) pairs than one FORWARD-TSN in a 576-byte packet holds
 * (139), all sent in the first flight (cwnd 2304 payload bytes). */
#define STREAMS 300
#define MSG_LEN 4

static void many_streams(sctpng_eng_config *c, int side)
{
    (void)side;
    c->out_streams = c->in_streams = STREAMS;
    c->mtu = 576;
}

/* Whether side 0's DATA is lost; FORWARD-TSN chunks side 0 sent and the
 * most pairs one carried. */
struct fwd_seen {
    bool dropping;
    unsigned chunks, max_pairs;
};

static bool watch_fwd(struct duo *d, int from, const uint8_t *pkt, size_t len)
{
    struct fwd_seen *s = d->ctx;
    struct chunk_iter it;
    struct chunk c;
    chunk_iter_init(&it, pkt, len);
    while (from == 0 && chunk_next(&it, &c) == 1) {
        struct fwd_tsn_chunk f;
        if (c.type == CT_FORWARD_TSN && chunk_fwd_tsn_decode(&c, &f) == 0) {
            s->chunks++;
            if (f.nstreams > s->max_pairs)
                s->max_pairs = f.nstreams;
        }
    }
    return from == 0 && s->dropping && duo_has_chunk(pkt, len, CT_DATA);
}

static void abandoned_on_many_streams(void **state)
{
    (void)state;
    struct fwd_seen seen = {true, 0, 0};
    struct duo *d = duo_new(many_streams);
    d->ctx = &seen;
    d->drop = watch_fwd;
    assert_true(duo_connect(d));
    static const uint8_t msg[MSG_LEN];
    /* One short-lived ordered message per stream, all lost: each stream's
     * SSN 0 is abandoned after it was sent. */
    for (uint16_t s = 0; s < STREAMS; s++) {
        sctpng_eng_sndinfo si = {.stream = s, .lifetime_ms = 30};
        assert_int_equal(sctpng_eng_send(d->e[0], d->a[0], msg, sizeof(msg), &si, d->p.now),
                         (ssize_t)sizeof(msg));
    }
    pump_run(&d->p, d->p.now + 100 * MS);
    seen.dropping = false;
    pump_run(&d->p, d->p.now + 3000 * MS);
    sctpng_eng_status st = duo_status(d, 0);
    assert_int_equal(st.abandoned_msgs, STREAMS);
    assert_int_equal(st.outstanding_chunks, 0);
    assert_true(seen.chunks >= 2); /* the pairs did not fit one chunk */
    assert_true(seen.max_pairs > 32);
    /* SSN 1 on every stream must now be delivered. */
    for (uint16_t s = 0; s < STREAMS; s++) {
        sctpng_eng_sndinfo si = {.stream = s};
        assert_int_equal(sctpng_eng_send(d->e[0], d->a[0], msg, sizeof(msg), &si, d->p.now),
                         (ssize_t)sizeof(msg));
    }
    pump_run(&d->p, d->p.now + 3000 * MS);
    assert_int_equal(d->got[1], STREAMS);
    duo_free(d);
}

static bool drop_all_data(struct duo *d, int from, const uint8_t *pkt, size_t len)
{
    return from == 0 && *(bool *)d->ctx && duo_has_chunk(pkt, len, CT_DATA);
}

/* A message larger than the congestion window expires while in progress:
 * its sent fragments are skipped with FORWARD-TSN, the rest is dropped
 * from the stream queue, and the stream's next message is delivered. */
static void abandoned_in_progress(void **state)
{
    (void)state;
    bool dropping = true;
    struct duo *d = duo_new(NULL);
    d->ctx = &dropping;
    d->drop = drop_all_data;
    assert_true(duo_connect(d));
    static uint8_t big[20000], small[10];
    sctpng_eng_sndinfo si = {.stream = 0, .lifetime_ms = 100};
    assert_int_equal(sctpng_eng_send(d->e[0], d->a[0], big, sizeof(big), &si, d->p.now),
                     (ssize_t)sizeof(big));
    uint8_t buf[2048];
    sctpng_eng_path to;
    while (sctpng_eng_output(d->e[0], d->p.now, buf, sizeof(buf), &to) > 0)
        ; /* the first flight, lost */
    sctpng_eng_status st = duo_status(d, 0);
    assert_true(st.outstanding_chunks > 0 && st.queued_chunks > 0); /* in progress */
    pump_run(&d->p, d->p.now + 1000 * MS);
    dropping = false;
    const sctpng_eng_event *ev = pump_find(&d->p, 0, SCTPNG_ENG_EV_SEND_FAILED);
    assert_non_null(ev);
    assert_false(ev->u.send_failed.unsent);
    assert_int_equal(ev->u.send_failed.length, sizeof(big));
    st = duo_status(d, 0);
    assert_int_equal(st.queued_chunks, 0);
    assert_int_equal(st.abandoned_msgs, 1);
    si.lifetime_ms = 0;
    assert_int_equal(sctpng_eng_send(d->e[0], d->a[0], small, sizeof(small), &si, d->p.now),
                     (ssize_t)sizeof(small));
    pump_run(&d->p, d->p.now + 3000 * MS);
    assert_int_equal(d->got[1], 1);
    assert_int_equal(duo_status(d, 0).outstanding_chunks, 0);
    duo_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(abandoned_on_many_streams),
        cmocka_unit_test(abandoned_in_progress),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
