/* RFC 8260 I-DATA in the engine: negotiation (and DATA when one side does
 * not offer it), the wire format, exactly-once ordered delivery under loss,
 * unordered messages, I-FORWARD-TSN for abandoned messages, and DATA on
 * an I-DATA association ending it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "duo.h"
#include "engine/idata.h"
#include "engine/wire.h"

#define STREAMS 3
#define NMSG    60

/* What the test saw: chunk kinds per direction, and the receiver's
 * messages, checked per stream (sequence numbers in the payload). */
struct seen {
    unsigned data[2], idata[2], fwd[2], ifwd[2];
    uint32_t next[STREAMS]; /* next expected sequence number per ordered stream */
    unsigned bad, unordered;
    uint64_t lcg;
    unsigned loss_pct; /* of side 0's packets */
    bool drop_data;    /* drop every packet with user data from side 0 */
};

static void both(sctpng_eng_config *c, int side)
{
    (void)side;
    c->idata = true;
    c->out_streams = c->in_streams = STREAMS;
}

static void only_client(sctpng_eng_config *c, int side)
{
    c->idata = side == 0;
    c->out_streams = c->in_streams = STREAMS;
}

static void count_kinds(struct seen *s, int from, const uint8_t *pkt, size_t len)
{
    struct chunk_iter it;
    struct chunk c;
    chunk_iter_init(&it, pkt, len);
    while (chunk_next(&it, &c) == 1) {
        s->data[from] += c.type == CT_DATA;
        s->idata[from] += c.type == CT_IDATA;
        s->fwd[from] += c.type == CT_FORWARD_TSN;
        s->ifwd[from] += c.type == CT_IFORWARD_TSN;
    }
}

static bool watch(struct duo *d, int from, const uint8_t *pkt, size_t len)
{
    struct seen *s = d->ctx;
    count_kinds(s, from, pkt, len);
    if (from != 0)
        return false;
    bool user = duo_has_chunk(pkt, len, CT_DATA) || duo_has_chunk(pkt, len, CT_IDATA);
    if (s->drop_data && user)
        return true;
    s->lcg = s->lcg * 6364136223846793005ull + 1442695040888963407ull;
    return user && (s->lcg >> 33) % 100 < s->loss_pct;
}

/* Payload: sequence number (4 bytes) repeated over the message length. */
static void on_data(struct pump *p, int side, const uint8_t *b, size_t n,
                    const sctpng_eng_rcvinfo *ri)
{
    struct duo *d = p->ctx;
    struct seen *s = d->ctx;
    if (side != 1 || !ri->complete || n < 4)
        return;
    d->got[side]++;
    uint32_t seq = get32(b);
    if (ri->ppid != 1000u + ri->stream || n != 4u + 1000u * (seq % 5))
        s->bad++;
    for (size_t i = 4; i + 4 <= n; i += 4)
        s->bad += get32(b + i) != seq;
    if (ri->unordered) {
        s->unordered++;
        return;
    }
    if (ri->stream >= STREAMS || seq != s->next[ri->stream])
        s->bad++;
    else
        s->next[ri->stream]++;
}

static void send_msg(struct duo *d, uint16_t stream, uint32_t seq, bool unordered)
{
    static uint8_t buf[4 + 4000];
    size_t n = 4 + 1000 * (seq % 5);
    for (size_t i = 0; i < n; i += 4)
        put32(buf + i, seq);
    sctpng_eng_sndinfo si = {.stream = stream, .ppid = 1000u + stream, .unordered = unordered};
    assert_int_equal(sctpng_eng_send(d->e[0], d->a[0], buf, n, &si, d->p.now), (ssize_t)n);
}

static struct duo *start(void (*tweak)(sctpng_eng_config *c, int side), struct seen *s)
{
    struct duo *d = duo_new(tweak);
    d->ctx = s;
    d->drop = watch;
    d->p.on_data = on_data;
    assert_true(duo_connect(d));
    return d;
}

/* Messages of 4 to 4004 bytes (up to 4 fragments) on every stream. */
static void transfer(struct duo *d, struct seen *s, bool unordered)
{
    for (uint32_t seq = 0; seq < NMSG; seq++)
        for (uint16_t st = 0; st < STREAMS; st++)
            send_msg(d, st, seq, unordered);
    pump_run(&d->p, d->p.now + 60 * SEC);
    assert_int_equal(s->bad, 0);
    assert_int_equal(d->got[1], NMSG * STREAMS);
}

static void negotiated_both(void **state)
{
    (void)state;
    struct seen s = {0};
    struct duo *d = start(both, &s);
    assert_true(duo_status(d, 0).idata);
    assert_true(duo_status(d, 1).idata);
    transfer(d, &s, false);
    assert_true(s.idata[0] >= NMSG * STREAMS);
    assert_int_equal(s.data[0], 0);
    duo_free(d);
}

static void fallback_to_data(void **state)
{
    (void)state;
    struct seen s = {0};
    struct duo *d = start(only_client, &s);
    assert_false(duo_status(d, 0).idata);
    assert_false(duo_status(d, 1).idata);
    transfer(d, &s, false);
    assert_int_equal(s.idata[0], 0);
    assert_true(s.data[0] >= NMSG * STREAMS);
    duo_free(d);
}

static void only_server(sctpng_eng_config *c, int side)
{
    c->idata = side == 1;
    c->out_streams = c->in_streams = STREAMS;
}

static void fallback_server_side(void **state)
{
    (void)state;
    struct seen s = {0};
    struct duo *d = start(only_server, &s);
    assert_false(duo_status(d, 0).idata);
    assert_false(duo_status(d, 1).idata);
    transfer(d, &s, false);
    assert_int_equal(s.idata[0], 0);
    duo_free(d);
}

/* 15% of side 0's data packets lost: each ordered stream still gets every
 * message once, in order. */
static void ordered_under_loss(void **state)
{
    (void)state;
    struct seen s = {.lcg = 42, .loss_pct = 15};
    struct duo *d = start(both, &s);
    transfer(d, &s, false);
    assert_true(duo_status(d, 0).retransmits > 0);
    duo_free(d);
}

static void unordered_under_loss(void **state)
{
    (void)state;
    struct seen s = {.lcg = 7, .loss_pct = 10};
    struct duo *d = start(both, &s);
    transfer(d, &s, true);
    assert_int_equal(s.unordered, NMSG * STREAMS);
    duo_free(d);
}

/* A message that expires while lost is skipped with I-FORWARD-TSN, never
 * FORWARD-TSN; the stream's next message is delivered. */
static void iforward_after_ttl(void **state)
{
    (void)state;
    struct seen s = {.drop_data = true};
    struct duo *d = start(both, &s);
    static uint8_t big[6000];
    memset(big, 0, sizeof(big));
    sctpng_eng_sndinfo si = {.stream = 1, .ppid = 1001, .lifetime_ms = 100};
    assert_int_equal(sctpng_eng_send(d->e[0], d->a[0], big, sizeof(big), &si, d->p.now),
                     (ssize_t)sizeof(big));
    si.unordered = true;
    assert_int_equal(sctpng_eng_send(d->e[0], d->a[0], big, 3000, &si, d->p.now), 3000);
    pump_run(&d->p, d->p.now + 1500 * MS);
    s.drop_data = false;
    assert_int_equal(duo_status(d, 0).abandoned_msgs, 2);
    s.next[1] = 0; /* the abandoned message had no sequence number we check */
    send_msg(d, 1, 0, false);
    pump_run(&d->p, d->p.now + 3000 * MS);
    assert_true(s.ifwd[0] > 0);
    assert_int_equal(s.fwd[0], 0);
    assert_int_equal(d->got[1], 1);
    assert_int_equal(s.bad, 0);
    assert_int_equal(duo_status(d, 0).outstanding_chunks, 0);
    duo_free(d);
}

static void fill_data(struct pkt_writer *w, void *arg)
{
    const struct data_chunk *dc = arg;
    pw_data(w, dc);
}

static void fill_idata(struct pkt_writer *w, void *arg)
{
    const struct data_chunk *dc = arg;
    pw_idata(w, dc);
}

static void abort_on(void (*tweak)(sctpng_eng_config *c, int side),
                     void (*fill)(struct pkt_writer *w, void *arg))
{
    struct seen s = {0};
    struct duo *d = start(tweak, &s);
    static const uint8_t payload[8] = "12345678";
    sctpng_eng_status st = duo_status(d, 1);
    struct data_chunk dc = {.flags = DATA_FLAG_B | DATA_FLAG_E,
                            .tsn = st.local_cum_tsn + 1,
                            .sid = 0,
                            .data = payload,
                            .len = sizeof(payload)};
    duo_inject(d, 0, fill, &dc);
    pump_run(&d->p, d->p.now + 100 * MS);
    const sctpng_eng_event *ev = pump_find(&d->p, 1, SCTPNG_ENG_EV_ASSOC_DOWN);
    assert_non_null(ev);
    assert_non_null(pump_find(&d->p, 0, SCTPNG_ENG_EV_ASSOC_DOWN)); /* got the ABORT */
    assert_int_equal(d->got[1], 0);
    duo_free(d);
}

/* DATA on an I-DATA association, and I-DATA on a DATA one of an endpoint
 * that offers I-DATA (the client did not), ABORT. */
static void wrong_kind_aborts(void **state)
{
    (void)state;
    abort_on(both, fill_data);
    abort_on(only_server, fill_idata);
}

/* A peer that interleaves: fragments of stream 0's message and stream 1's
 * alternate in TSN order (as usrsctp and Linux send with I-DATA). */
struct ifrag {
    uint32_t tsn_off, fsn;
    uint16_t sid;
    uint8_t flags, len;
};

static void fill_interleaved(struct pkt_writer *w, void *arg)
{
    const uint32_t *base = arg;
    static const uint8_t zero[4];
    static const struct ifrag fr[] = {
        {1, 0, 0, DATA_FLAG_B, 1}, {2, 0, 1, DATA_FLAG_B, 2}, {3, 1, 0, 0, 1},
        {4, 1, 1, DATA_FLAG_E, 2}, {5, 2, 0, DATA_FLAG_E, 2},
    };
    for (unsigned i = 0; i < sizeof(fr) / sizeof(fr[0]); i++) {
        struct data_chunk dc = {.flags = fr[i].flags,
                                .tsn = *base + fr[i].tsn_off,
                                .sid = fr[i].sid,
                                .ssn = 0,
                                .fsn = fr[i].fsn,
                                .ppid = 1000u + fr[i].sid,
                                .data = zero,
                                .len = fr[i].len};
        pw_idata(w, &dc);
    }
}

static bool drop_from_server(struct duo *d, int from, const uint8_t *pkt, size_t len)
{
    (void)d, (void)pkt, (void)len;
    return from == 1; /* side 0 did not send what side 1 acks */
}

static void interleaved_peer(void **state)
{
    (void)state;
    struct seen s = {0};
    struct duo *d = start(both, &s);
    d->drop = drop_from_server;
    uint32_t base = duo_status(d, 1).local_cum_tsn;
    duo_inject(d, 0, fill_interleaved, &base);
    pump_run(&d->p, d->p.now + 500 * MS);
    assert_int_equal(s.bad, 0);
    assert_int_equal(d->got[1], 2);
    assert_int_equal(s.next[0], 1);
    assert_int_equal(s.next[1], 1);
    duo_free(d);
}

/* I-DATA with a MID past 16 bits and the FSN in place of the PPID. */
static void codec_round_trip(void **state)
{
    (void)state;
    uint8_t buf[256];
    struct pkt_writer w;
    pw_init(&w, buf, sizeof(buf), 1, 2, 3);
    static const uint8_t pl[5] = "abcde";
    struct data_chunk a = {.flags = DATA_FLAG_B,
                           .tsn = 9,
                           .sid = 4,
                           .ssn = 0x12345678,
                           .fsn = 77,
                           .ppid = 55,
                           .data = pl,
                           .len = 5};
    struct data_chunk b = a;
    b.flags = DATA_FLAG_E | DATA_FLAG_U;
    assert_int_equal(pw_idata(&w, &a), 0);
    assert_int_equal(pw_idata(&w, &b), 0);
    struct ifwd_entry e[2] = {{4, 0, 0x10001}, {5, IFWD_U, 3}};
    assert_int_equal(pw_ifwd_tsn(&w, 100, e, 2), 0);
    size_t n = pw_finish(&w);
    assert_int_equal(pkt_validate(buf, n), 3);
    struct chunk_iter it;
    struct chunk c;
    struct data_chunk d;
    chunk_iter_init(&it, buf, n);
    assert_int_equal(chunk_next(&it, &c), 1);
    assert_int_equal(c.type, CT_IDATA);
    assert_int_equal(c.len, IDATA_HDR_LEN + 5);
    assert_int_equal(chunk_idata_decode(&c, &d), 0);
    assert_int_equal(d.ssn, 0x12345678);
    assert_int_equal(d.ppid, 55);
    assert_int_equal(d.fsn, 0);
    assert_memory_equal(d.data, pl, 5);
    assert_int_equal(chunk_next(&it, &c), 1);
    assert_int_equal(chunk_idata_decode(&c, &d), 0);
    assert_int_equal(d.fsn, 77);
    assert_int_equal(d.ppid, 0);
    assert_int_equal(d.flags, DATA_FLAG_E | DATA_FLAG_U);
    assert_int_equal(chunk_next(&it, &c), 1);
    assert_int_equal(c.type, CT_IFORWARD_TSN);
    struct ifwd_tsn_chunk f;
    assert_int_equal(chunk_ifwd_tsn_decode(&c, &f), 0);
    assert_int_equal(f.new_cum, 100);
    assert_int_equal(f.n, 2);
    struct ifwd_entry x = ifwd_entry_at(&f, 0), y = ifwd_entry_at(&f, 1);
    assert_int_equal(x.mid, 0x10001);
    assert_int_equal(y.sid, 5);
    assert_int_equal(y.flags, IFWD_U);
    c.vlen = 7; /* not 4 + 8n */
    assert_int_equal(chunk_ifwd_tsn_decode(&c, &f), -1);
    c.len = IDATA_HDR_LEN - 1;
    assert_int_equal(chunk_idata_decode(&c, &d), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(codec_round_trip),   cmocka_unit_test(negotiated_both),
        cmocka_unit_test(fallback_to_data),   cmocka_unit_test(fallback_server_side),
        cmocka_unit_test(ordered_under_loss), cmocka_unit_test(unordered_under_loss),
        cmocka_unit_test(iforward_after_ttl), cmocka_unit_test(wrong_kind_aborts),
        cmocka_unit_test(interleaved_peer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
