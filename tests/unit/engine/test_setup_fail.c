/* How a set-up that cannot succeed ends, and with which error: an INIT to
 * an SCTP port nobody serves is refused at once (RFC 9260 8.4 (3): ABORT
 * tagged with the Initiate Tag), an INIT into silence times out after
 * Max.Init.Retransmits (5.1 C) and says so, an endpoint that does not accept
 * refuses, and a user abort reports itself. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine/chunk.h"
#include "engine/wire.h"
#include "pump.h"

#define SEC 1000000000ull
#define MS  1000000ull

struct duo {
    uint64_t seed[2];
    sctpng_eng *e[2];
    struct pump p;
    bool silent; /* drop everything side 1 sends */
};

static bool drop_side1(struct pump *p, int from, const uint8_t *pkt, size_t len)
{
    struct duo *d = p->ctx;
    (void)pkt;
    (void)len;
    return d->silent && from == 1;
}

static uint32_t max_init_rto; /* config.max_init_rto_ms of the next mk() */

static struct duo *mk(bool accept1)
{
    struct duo *d = calloc(1, sizeof(*d));
    sctpng_eng_config cfg[2];
    for (int i = 0; i < 2; i++) {
        d->seed[i] = 100 + (uint64_t)i;
        pump_config(&cfg[i], i, &d->seed[i]);
        cfg[i].rto_initial_ms = 100;
        cfg[i].rto_min_ms = 50;
        cfg[i].rto_max_ms = 200;
        cfg[i].max_init_retrans = 3;
        cfg[i].max_init_rto_ms = max_init_rto;
    }
    cfg[0].accept = false;
    cfg[1].accept = accept1;
    for (int i = 0; i < 2; i++)
        assert_int_equal(sctpng_eng_new(&cfg[i], &d->e[i]), 0);
    pump_init(&d->p, d->e[0], d->e[1], 1 * MS);
    d->p.ctx = d;
    d->p.drop = drop_side1;
    return d;
}

static void rm(struct duo *d)
{
    pump_free(&d->p);
    sctpng_eng_free(d->e[0]);
    sctpng_eng_free(d->e[1]);
    free(d);
}

static bool down0(struct pump *p)
{
    return pump_count(p, 0, SCTPNG_ENG_EV_ASSOC_DOWN) > 0;
}

/* Connects side 0 to `port` on side 1; returns side 0's ASSOC_DOWN event
 * and the time it took. */
static const sctpng_eng_event *setup_fails(struct duo *d, uint16_t port, uint64_t *took)
{
    uint32_t id;
    uint64_t t0 = d->p.now;
    assert_int_equal(sctpng_eng_connect(d->e[0], &d->p.addr[1], 1, port, t0, &id), 0);
    assert_true(pump_until(&d->p, down0, t0 + 60 * SEC));
    *took = d->p.now - t0;
    const sctpng_eng_event *ev = pump_find(&d->p, 0, SCTPNG_ENG_EV_ASSOC_DOWN);
    assert_int_equal(ev->assoc, id);
    assert_int_equal(ev->u.down.reason, SCTPNG_ENG_DOWN_CANT_START);
    return ev;
}

static void unserved_port_refused_at_once(void **state)
{
    (void)state;
    struct duo *d = mk(true);
    uint64_t took;
    const sctpng_eng_event *ev = setup_fails(d, 5002, &took); /* side 1 serves 5001 */
    assert_int_equal(ev->u.down.error, -ECONNREFUSED);
    assert_true(took < 10 * MS); /* one round trip, no retransmission */
    sctpng_eng_stats st;
    sctpng_eng_get_stats(d->e[1], &st);
    assert_int_equal(st.drop_bad_port, 1);
    assert_int_equal(st.ootb_replies, 1);
    assert_int_equal(st.assocs_live, 0);
    rm(d);
}

/* The ABORT itself: from the port the INIT was sent to, tagged with the
 * INIT's Initiate Tag, T bit clear (8.4 (3)). */
static void unserved_port_abort_shape(void **state)
{
    (void)state;
    struct duo *d = mk(true);
    uint8_t pkt[256];
    struct pkt_writer w;
    pw_init(&w, pkt, sizeof(pkt), 4000, 7777, 0);
    struct init_chunk ic = {.itag = 0x11223344, .a_rwnd = 65536, .os = 4, .mis = 4, .itsn = 9};
    pw_init_chunk(&w, CT_INIT, &ic);
    size_t n = pw_finish(&w);
    sctpng_eng_path from;
    memset(&from, 0, sizeof(from));
    from.remote = d->p.addr[0];
    assert_int_equal(sctpng_eng_input(d->e[1], pkt, n, &from, d->p.now), -ENOTCONN);
    uint8_t out[2048];
    sctpng_eng_path to;
    ssize_t len = sctpng_eng_output(d->e[1], d->p.now, out, sizeof(out), &to);
    assert_true(len >= 16);
    assert_int_equal(get16(out), 7777);
    assert_int_equal(get16(out + 2), 4000);
    assert_int_equal(get32(out + 4), 0x11223344);
    assert_int_equal(out[12], CT_ABORT);
    assert_int_equal(out[13] & CHUNK_FLAG_T, 0);
    assert_int_equal(sctpng_eng_output(d->e[1], d->p.now, out, sizeof(out), &to), 0);
    /* A DATA chunk to that port is answered with an ABORT reflecting its tag;
     * an ABORT to it is never answered (8.4 (2)). */
    pw_init(&w, pkt, sizeof(pkt), 4000, 7777, 0x55667788);
    pw_cause_chunk(&w, CT_ABORT, 0, 0, NULL, 0);
    n = pw_finish(&w);
    assert_int_equal(sctpng_eng_input(d->e[1], pkt, n, &from, d->p.now), -ENOTCONN);
    assert_int_equal(sctpng_eng_output(d->e[1], d->p.now, out, sizeof(out), &to), 0);
    rm(d);
}

static void silence_times_out(void **state)
{
    (void)state;
    struct duo *d = mk(true);
    d->silent = true;
    uint64_t took;
    const sctpng_eng_event *ev = setup_fails(d, 5001, &took);
    assert_int_equal(ev->u.down.error, -ETIMEDOUT);
    /* 1 + 3 retransmissions at 100, 200, 200, 200 ms */
    assert_true(took >= 600 * MS);
    assert_true(took < 2 * SEC);
    rm(d);
}

/* max_init_rto_ms caps the doubling of the INIT timeout, as Linux's
 * max_init_timeo: 100, then 120 three times, where RTO.Max (200) alone
 * gives 100, 200, 200, 200 ms. */
static void init_timeout_capped(void **state)
{
    (void)state;
    max_init_rto = 120;
    struct duo *d = mk(true);
    max_init_rto = 0;
    d->silent = true;
    uint64_t took;
    const sctpng_eng_event *ev = setup_fails(d, 5001, &took);
    assert_int_equal(ev->u.down.error, -ETIMEDOUT);
    assert_true(took >= 460 * MS);
    assert_true(took < 600 * MS);
    rm(d);
}

static void not_accepting_refuses(void **state)
{
    (void)state;
    struct duo *d = mk(false);
    uint64_t took;
    const sctpng_eng_event *ev = setup_fails(d, 5001, &took);
    assert_int_equal(ev->u.down.error, -ECONNREFUSED);
    assert_true(took < 10 * MS);
    rm(d);
}

static bool up0(struct pump *p)
{
    return pump_count(p, 0, SCTPNG_ENG_EV_ASSOC_UP) > 0;
}

static void down_errors_after_setup(void **state)
{
    (void)state;
    struct duo *d = mk(true);
    uint32_t id;
    assert_int_equal(sctpng_eng_connect(d->e[0], &d->p.addr[1], 1, 5001, d->p.now, &id), 0);
    assert_true(pump_until(&d->p, up0, d->p.now + 5 * SEC));
    assert_int_equal(sctpng_eng_abort(d->e[0], id, NULL, 0, d->p.now), 0);
    pump_run(&d->p, d->p.now + 1 * SEC);
    const sctpng_eng_event *mine = pump_find(&d->p, 0, SCTPNG_ENG_EV_ASSOC_DOWN);
    const sctpng_eng_event *peer = pump_find(&d->p, 1, SCTPNG_ENG_EV_ASSOC_DOWN);
    assert_non_null(mine);
    assert_non_null(peer);
    assert_int_equal(mine->u.down.reason, SCTPNG_ENG_DOWN_USER_ABORT);
    assert_int_equal(mine->u.down.error, -ECONNABORTED);
    assert_int_equal(peer->u.down.reason, SCTPNG_ENG_DOWN_PEER_ABORT);
    assert_int_equal(peer->u.down.error, -ECONNRESET);
    rm(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(unserved_port_refused_at_once),
        cmocka_unit_test(unserved_port_abort_shape),
        cmocka_unit_test(silence_times_out),
        cmocka_unit_test(init_timeout_capped),
        cmocka_unit_test(not_accepting_refuses),
        cmocka_unit_test(down_errors_after_setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
