/* Shutdown rules of RFC 9260 9.2 between two engines: the T5-shutdown-guard
 * bounds the whole shutdown when the peer stops cooperating. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "duo.h"

/* Short RTO.Max, so that 5 * RTO.Max is quick to simulate, and an error
 * threshold nobody reaches: only T5 can end these shutdowns. */
static void patient(sctpng_eng_config *c, int side)
{
    (void)side;
    c->rto_initial_ms = 100;
    c->rto_min_ms = 50;
    c->rto_max_ms = 400;
    c->assoc_max_retrans = 100000;
    c->path_max_retrans = 100000;
}

static bool silent_peer(struct duo *d, int from, const uint8_t *pkt, size_t len)
{
    (void)d;
    (void)pkt;
    (void)len;
    return from == 1;
}

static bool down0(struct pump *p)
{
    return pump_find(p, 0, SCTPNG_ENG_EV_ASSOC_DOWN) != NULL;
}

static bool aborted;

static bool watch_abort(struct duo *d, int from, const uint8_t *pkt, size_t len)
{
    if (from == 0 && duo_has_chunk(pkt, len, CT_ABORT))
        aborted = true;
    return silent_peer(d, from, pkt, len);
}

static void assert_down_at(struct duo *d, uint64_t at)
{
    const sctpng_eng_event *e = pump_find(&d->p, 0, SCTPNG_ENG_EV_ASSOC_DOWN);
    assert_non_null(e);
    assert_int_equal(e->u.down.reason, SCTPNG_ENG_DOWN_COMM_LOST);
    assert_true(d->p.now >= at);
    assert_true(d->p.now <= at + 1 * MS);
}

/* The peer goes silent after our SHUTDOWN: T2 would retransmit for
 * Association.Max.Retrans rounds; T5 ends it after 5 * RTO.Max. */
static void t5_silent_peer(void **state)
{
    (void)state;
    struct duo *d = duo_new(patient);
    assert_true(duo_connect(d));
    aborted = false;
    d->drop = watch_abort;
    uint64_t t0 = d->p.now;
    assert_int_equal(sctpng_eng_shutdown(d->e[0], d->a[0], t0), 0);
    assert_true(pump_until(&d->p, down0, t0 + 60 * SEC));
    assert_down_at(d, t0 + 5 * 400 * MS);
    pump_step(&d->p);     /* flush the output */
    assert_true(aborted); /* the peer is told */
    duo_free(d);
}

/* A configured guard replaces 5 * RTO.Max. */
static void patient_guard(sctpng_eng_config *c, int side)
{
    patient(c, side);
    c->shutdown_guard_ms = 1234;
}

static void t5_configured(void **state)
{
    (void)state;
    struct duo *d = duo_new(patient_guard);
    assert_true(duo_connect(d));
    d->drop = silent_peer;
    uint64_t t0 = d->p.now;
    assert_int_equal(sctpng_eng_shutdown(d->e[0], d->a[0], t0), 0);
    assert_true(pump_until(&d->p, down0, t0 + 60 * SEC));
    assert_down_at(d, t0 + 1234 * MS);
    duo_free(d);
}

/* The peer never finishes sending: it is in SHUTDOWN-RECEIVED with data we
 * do not read, so its zero window probes keep restarting our T2 (9.2:
 * answer each DATA packet with SHUTDOWN) and T2 never counts an error. */
static void small_rwnd(sctpng_eng_config *c, int side)
{
    patient(c, side);
    if (side == 0)
        c->rwnd = 8000;
}

static void t5_peer_never_done(void **state)
{
    (void)state;
    struct duo *d = duo_new(small_rwnd);
    assert_true(duo_connect(d));
    d->p.auto_read = false;
    uint8_t buf[1000];
    memset(buf, 1, sizeof(buf));
    for (int i = 0; i < 40; i++)
        assert_int_equal(sctpng_eng_send(d->e[1], d->a[1], buf, sizeof(buf), NULL, d->p.now), 1000);
    uint64_t t0 = d->p.now;
    assert_int_equal(sctpng_eng_shutdown(d->e[0], d->a[0], t0), 0);
    assert_true(pump_until(&d->p, down0, t0 + 60 * SEC));
    assert_down_at(d, t0 + 5 * 400 * MS);
    duo_free(d);
}

/* A cooperative shutdown stops T5: nothing fires later. */
static void t5_stopped_by_normal_shutdown(void **state)
{
    (void)state;
    struct duo *d = duo_new(patient);
    assert_true(duo_connect(d));
    uint64_t t0 = d->p.now;
    assert_int_equal(sctpng_eng_shutdown(d->e[0], d->a[0], t0), 0);
    assert_true(pump_until(&d->p, down0, t0 + 5 * SEC));
    const sctpng_eng_event *e = pump_find(&d->p, 0, SCTPNG_ENG_EV_ASSOC_DOWN);
    assert_int_equal(e->u.down.reason, SCTPNG_ENG_DOWN_SHUTDOWN);
    assert_true(d->p.now < t0 + 100 * MS);
    assert_true(sctpng_eng_deadline(d->e[0]) == UINT64_MAX);
    duo_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t5_silent_peer),
        cmocka_unit_test(t5_configured),
        cmocka_unit_test(t5_peer_never_done),
        cmocka_unit_test(t5_stopped_by_normal_shutdown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
