/* Control chunks: the queue's order and bounds (ctlq.c), and what reaches
 * the wire from a live association: every ERROR raised goes out, not just
 * the last one (RFC 9260 3.2: each unrecognized chunk with the report bit
 * is reported). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "duo.h"
#include "engine/ctlq.h"
#include "engine/wire.h"

static void queue_order_and_bounds(void **state)
{
    (void)state;
    struct mem_acct m = {0, 0};
    struct ctlq q = {0};
    const uint8_t cause[4] = {0, 6, 0, 4};
    assert_int_equal(ctlq_add(&q, &m, CT_SHUTDOWN, CTL_ANY_PATH, NULL, 0), 0);
    assert_int_equal(ctlq_add(&q, &m, CT_ERROR, CTL_ANY_PATH, cause, 4), 0);
    assert_int_equal(ctlq_add(&q, &m, CT_COOKIE_ACK, CTL_ANY_PATH, NULL, 0), 0);
    assert_int_equal(ctlq_add(&q, &m, CT_ERROR, CTL_ANY_PATH, cause, 4), 0);
    assert_int_equal(ctlq_add(&q, &m, CT_COOKIE_ACK, CTL_ANY_PATH, NULL, 0), 0); /* no-op */
    assert_int_equal(ctlq_add(&q, &m, CT_DATA, CTL_ANY_PATH, NULL, 0), -1);      /* not an item */
    assert_int_equal(q.n, 4);
    static const uint8_t want[] = {CT_COOKIE_ACK, CT_ERROR, CT_ERROR, CT_SHUTDOWN};
    unsigned i = 0;
    for (const struct ctl_item *it = q.head; it; it = it->next)
        assert_int_equal(it->type, want[i++]);
    assert_true(ctlq_prio(CT_ERROR) < CTL_PRIO_SACK && ctlq_prio(CT_SHUTDOWN) > CTL_PRIO_SACK);
    /* Items with values are bounded: a peer cannot make us hoard them. */
    while (q.n_valued < CTLQ_MAX_VALUED)
        assert_int_equal(ctlq_add(&q, &m, CT_HEARTBEAT_ACK, 1, cause, 4), 0);
    assert_int_equal(ctlq_add(&q, &m, CT_ERROR, CTL_ANY_PATH, cause, 4), -1);
    ctlq_cancel(&q, &m, CT_ERROR);
    assert_false(ctlq_has(&q, CT_ERROR));
    assert_non_null(ctlq_find(&q, CT_HEARTBEAT_ACK, 1));
    assert_null(ctlq_find(&q, CT_HEARTBEAT_ACK, 0));
    ctlq_clear(&q, &m);
    assert_int_equal(q.n, 0);
    assert_int_equal(m.bytes, 0);
    assert_int_equal(m.allocs, 0);
}

/* Unrecognized chunk types each side 1 reported, in order. */
struct reports {
    unsigned n;
    uint8_t types[8];
};

static void note_errors(struct reports *r, const uint8_t *pkt, size_t len)
{
    struct chunk_iter it;
    struct chunk c;
    chunk_iter_init(&it, pkt, len);
    while (chunk_next(&it, &c) == 1) {
        /* cause: code 6 (Unrecognized Chunk), length, then the chunk */
        if (c.type != CT_ERROR || c.vlen < 5 || get16(c.val) != CAUSE_UNRECOGNIZED_CHUNK)
            continue;
        if (r->n < 8)
            r->types[r->n] = c.val[4];
        r->n++;
    }
}

static bool watch(struct duo *d, int from, const uint8_t *pkt, size_t len)
{
    if (from == 1)
        note_errors(d->ctx, pkt, len);
    return false;
}

/* Two chunks of unknown types whose top bits say "skip and report". */
static void fill_unknown(struct pkt_writer *w, void *arg)
{
    (void)arg;
    static const uint8_t v[4] = {1, 2, 3, 4};
    pw_chunk_copy(w, 0xC1, 0, v, sizeof(v));
    pw_chunk_copy(w, 0xC2, 0, v, sizeof(v));
}

static void two_errors_both_sent(void **state)
{
    (void)state;
    struct reports r = {0};
    struct duo *d = duo_new(NULL);
    d->ctx = &r;
    d->drop = watch;
    assert_true(duo_connect(d));
    assert_int_equal(duo_inject(d, 0, fill_unknown, NULL), 0);
    pump_run(&d->p, d->p.now + 1000 * MS);
    assert_int_equal(r.n, 2);
    assert_int_equal(r.types[0], 0xC1);
    assert_int_equal(r.types[1], 0xC2);
    duo_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(queue_order_and_bounds),
        cmocka_unit_test(two_errors_both_sent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
