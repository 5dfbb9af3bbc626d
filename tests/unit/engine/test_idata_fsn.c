/* I-DATA fragment numbering between two engines: by default RFC 8260's
 * (the second fragment has FSN 1) on the wire; with
 * sctpng_eng_set_idata_fsn_from_zero() Linux's (FSN 0); the receiver
 * learns which (status idata_peer_fsn), assembles either, also under loss
 * (retransmissions, duplicates), and answers in the numbering it learned. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <errno.h>
#include <string.h>

#include <cmocka.h>

#include "duo.h"
#include "engine/idata.h"
#include "engine/wire.h"

#define STREAMS 3
#define NMSG    40

struct seen {
    /* per sending side: the FSNs of non-first fragments on the wire */
    unsigned fsn0[2], fsn_other[2];
    uint32_t min_fsn[2];
    uint32_t next[2][STREAMS]; /* per receiving side and stream */
    unsigned bad;
    uint64_t lcg;
    unsigned loss_pct;
};

static void both(sctpng_eng_config *c, int side)
{
    (void)side;
    c->idata = true;
    c->out_streams = c->in_streams = STREAMS;
}

static bool watch(struct duo *d, int from, const uint8_t *pkt, size_t len)
{
    struct seen *s = d->ctx;
    struct chunk_iter it;
    struct chunk c;
    chunk_iter_init(&it, pkt, len);
    while (chunk_next(&it, &c) == 1) {
        if (c.type != CT_IDATA || (c.flags & DATA_FLAG_B) || c.vlen < 16)
            continue;
        uint32_t fsn = get32(c.val + 12);
        s->fsn0[from] += fsn == 0;
        s->fsn_other[from] += fsn != 0;
        if (fsn < s->min_fsn[from])
            s->min_fsn[from] = fsn;
    }
    bool user = duo_has_chunk(pkt, len, CT_IDATA);
    s->lcg = s->lcg * 6364136223846793005ull + 1442695040888963407ull;
    return user && (s->lcg >> 33) % 100 < s->loss_pct;
}

/* Payload: sequence number repeated; 4 + 1500 * (seq % 4) bytes (up to 4
 * fragments at the default MTU). */
static size_t msg_len(uint32_t seq)
{
    return 4 + 1500 * (seq % 4);
}

static void on_data(struct pump *p, int side, const uint8_t *b, size_t n,
                    const sctpng_eng_rcvinfo *ri)
{
    struct duo *d = p->ctx;
    struct seen *s = d->ctx;
    if (!ri->complete || n < 4)
        return;
    d->got[side]++;
    uint32_t seq = get32(b);
    s->bad += n != msg_len(seq) || ri->stream >= STREAMS;
    for (size_t i = 4; i + 4 <= n; i += 4)
        s->bad += get32(b + i) != seq;
    if (ri->stream < STREAMS)
        s->bad += seq != s->next[side][ri->stream]++;
}

static void send_all(struct duo *d, int side)
{
    static uint8_t buf[8000];
    for (uint32_t seq = 0; seq < NMSG; seq++) {
        for (uint16_t st = 0; st < STREAMS; st++) {
            size_t n = msg_len(seq);
            for (size_t i = 0; i < n; i += 4)
                put32(buf + i, seq);
            sctpng_eng_sndinfo si = {.stream = st, .ppid = 7};
            assert_int_equal(sctpng_eng_send(d->e[side], d->a[side], buf, n, &si, d->p.now),
                             (ssize_t)n);
        }
    }
}

static struct duo *start(struct seen *s)
{
    struct duo *d = duo_new(both);
    s->min_fsn[0] = s->min_fsn[1] = UINT32_MAX;
    d->ctx = s;
    d->drop = watch;
    d->p.on_data = on_data;
    assert_true(duo_connect(d));
    assert_true(duo_status(d, 0).idata);
    return d;
}

/* Side 0 sends everything, then side 1 answers with the same. */
static void exchange(struct duo *d, struct seen *s)
{
    send_all(d, 0);
    pump_run(&d->p, d->p.now + 60 * SEC);
    assert_int_equal(d->got[1], NMSG * STREAMS);
    send_all(d, 1);
    pump_run(&d->p, d->p.now + 60 * SEC);
    assert_int_equal(d->got[0], NMSG * STREAMS);
    assert_int_equal(s->bad, 0);
}

/* Default: RFC numbering both ways, learned as RFC by both. */
static void rfc_default(void **state)
{
    (void)state;
    struct seen s = {0};
    struct duo *d = start(&s);
    bool on = true;
    assert_int_equal(sctpng_eng_get_idata_fsn_from_zero(d->e[0], d->a[0], &on), 0);
    assert_false(on);
    exchange(d, &s);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(s.fsn0[i], 0);
        assert_true(s.fsn_other[i] > 0);
        assert_int_equal(s.min_fsn[i], 1);
        sctpng_eng_status st = duo_status(d, i);
        assert_int_equal(st.idata_peer_fsn, SCTPNG_ENG_FSN_RFC);
        assert_false(st.idata_fsn_from_zero);
    }
    duo_free(d);
}

/* Side 0 numbers from 0: side 1 learns Linux numbering, assembles it, and
 * numbers its own messages that way from then on. */
static void from_zero(struct seen *s)
{
    struct duo *d = start(s);
    assert_int_equal(sctpng_eng_set_idata_fsn_from_zero(d->e[0], d->a[0], true), 0);
    bool on = false;
    assert_int_equal(sctpng_eng_get_idata_fsn_from_zero(d->e[0], d->a[0], &on), 0);
    assert_true(on);
    assert_true(duo_status(d, 0).idata_fsn_from_zero);
    assert_false(duo_status(d, 1).idata_fsn_from_zero);
    exchange(d, s);
    for (int i = 0; i < 2; i++) {
        assert_true(s->fsn0[i] > 0);
        assert_int_equal(s->min_fsn[i], 0);
        sctpng_eng_status st = duo_status(d, i);
        assert_int_equal(st.idata_peer_fsn, SCTPNG_ENG_FSN_LINUX);
        assert_true(st.idata_fsn_from_zero);
    }
    assert_int_equal(sctpng_eng_get_idata_fsn_from_zero(d->e[1], d->a[1], &on), 0);
    assert_false(on); /* learned, not asked */
    if (s->loss_pct) {
        assert_true(duo_status(d, 0).retransmits > 0);
        assert_true(duo_status(d, 1).retransmits > 0);
    }
    duo_free(d);
}

static void from_zero_clean(void **state)
{
    (void)state;
    struct seen s = {0};
    from_zero(&s);
}

static void from_zero_under_loss(void **state)
{
    (void)state;
    struct seen s = {.lcg = 11, .loss_pct = 15};
    from_zero(&s);
}

static void api_errors(void **state)
{
    (void)state;
    struct seen s = {0};
    struct duo *d = start(&s);
    bool on;
    assert_int_equal(sctpng_eng_set_idata_fsn_from_zero(d->e[0], 999, true), -ENOENT);
    assert_int_equal(sctpng_eng_get_idata_fsn_from_zero(d->e[0], 999, &on), -ENOENT);
    assert_int_equal(sctpng_eng_get_idata_fsn_from_zero(d->e[0], 0, NULL), -EINVAL);
    assert_int_equal(sctpng_eng_set_idata_fsn_from_zero(d->e[0], 0, true), 0);
    assert_int_equal(sctpng_eng_get_idata_fsn_from_zero(d->e[0], 0, &on), 0);
    assert_true(on);
    duo_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rfc_default),
        cmocka_unit_test(from_zero_clean),
        cmocka_unit_test(from_zero_under_loss),
        cmocka_unit_test(api_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
