/*
 * What a WebRTC peer does when it closes a data channel: an RE-CONFIG chunk
 * (RFC 6525) with an Outgoing SSN Reset Request for the channel's stream.
 * libwebrtc sends none to us (we announce no RE-CONFIG), but Firefox's
 * usrsctp and other stacks may; until the engine has RE-CONFIG the chunk
 * must be skipped (type 130: upper bits 10, skip and go on, RFC 9260 3.2)
 * and the association carry on. Written so that it still holds once the
 * engine answers the request: the checks use another stream afterwards.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "duo.h"

#define CT_RECONFIG       130
#define PARAM_OUT_SSN_REQ 13

struct reset_req {
    uint32_t req_seq, last_tsn;
    uint16_t stream;
};

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16), p[2] = (uint8_t)(v >> 8),
    p[3] = (uint8_t)v;
}

/* RE-CONFIG with one Outgoing SSN Reset Request parameter (RFC 6525 4.1)
 * naming one stream, padded to 4 bytes. */
static void fill_reconfig(struct pkt_writer *w, void *arg)
{
    const struct reset_req *r = arg;
    uint8_t v[20] = {0};
    v[0] = 0, v[1] = PARAM_OUT_SSN_REQ, v[2] = 0, v[3] = 18;
    put32(v + 4, r->req_seq);
    put32(v + 8, 0); /* response sequence number: none outstanding */
    put32(v + 12, r->last_tsn);
    v[16] = (uint8_t)(r->stream >> 8), v[17] = (uint8_t)r->stream;
    assert_non_null(pw_chunk_copy(w, CT_RECONFIG, 0, v, sizeof(v)));
}

/* Watches side 1's packets for an RE-CONFIG (the answer, once the engine
 * has RE-CONFIG); drops nothing. */
static bool saw_reconfig(struct duo *d, int from, const uint8_t *pkt, size_t len)
{
    bool *seen = d->ctx;
    if (from == 1 && duo_has_chunk(pkt, len, CT_RECONFIG))
        *seen = true;
    return false;
}

static void send_msg(struct duo *d, int side, uint16_t stream)
{
    static const uint8_t msg[100];
    sctpng_eng_sndinfo si = {.stream = stream, .ppid = 51};
    assert_int_equal(sctpng_eng_send(d->e[side], d->a[side], msg, sizeof(msg), &si, d->p.now),
                     (ssize_t)sizeof(msg));
}

static void peer_resets_a_stream(void **state)
{
    (void)state;
    struct duo *d = duo_new(NULL);
    bool answered = false;
    d->ctx = &answered;
    d->drop = saw_reconfig;
    assert_true(duo_connect(d));
    send_msg(d, 0, 1);
    pump_run(&d->p, d->p.now + 1 * SEC);
    assert_int_equal(d->got[1], 1);
    /* Side 0 "closes its channel on stream 1". */
    sctpng_eng_status s0 = duo_status(d, 0);
    struct reset_req r = {.req_seq = s0.next_tsn - 2, .last_tsn = s0.next_tsn - 1, .stream = 1};
    sctpng_eng_stats before, after;
    sctpng_eng_get_stats(d->e[1], &before);
    assert_true(duo_inject(d, 0, fill_reconfig, &r) >= 0);
    pump_run(&d->p, d->p.now + 1 * SEC);
    /* It was looked at: skipped as unknown, or answered. */
    sctpng_eng_get_stats(d->e[1], &after);
    assert_true(after.chunks_unrecognized == before.chunks_unrecognized + 1 || answered);
    /* Both ends are still there and data flows both ways. */
    assert_int_equal(duo_status(d, 0).state, SCTPNG_ENG_ESTABLISHED);
    assert_int_equal(duo_status(d, 1).state, SCTPNG_ENG_ESTABLISHED);
    assert_int_equal(pump_count(&d->p, 0, SCTPNG_ENG_EV_ASSOC_DOWN), 0);
    assert_int_equal(pump_count(&d->p, 1, SCTPNG_ENG_EV_ASSOC_DOWN), 0);
    send_msg(d, 0, 2);
    send_msg(d, 1, 2);
    pump_run(&d->p, d->p.now + 1 * SEC);
    assert_int_equal(d->got[1], 2);
    assert_int_equal(d->got[0], 1);
    duo_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(peer_resets_a_stream)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
