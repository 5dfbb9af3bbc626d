/* The invariant checker (src/engine/check.c) fires when an invariant is
 * broken: each case corrupts one piece of a live association's state,
 * sees the check report it through a counting hook (not abort()), then
 * restores the state and sees the check pass again. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "duo.h"
#include "engine/check.h"
#include "engine/internal.h"

struct seen {
    unsigned n;
    char last[256];
};

static void count_hook(void *ctx, const char *msg)
{
    struct seen *s = ctx;
    s->n++;
    strncpy(s->last, msg, sizeof(s->last) - 1);
}

/* A connected pair with two packets of DATA from side 0 in flight. */
static struct duo *in_flight(struct assoc **a)
{
    struct duo *d = duo_new(NULL);
    assert_true(duo_connect(d));
    static uint8_t msg[3000];
    assert_int_equal(sctpng_eng_send(d->e[0], d->a[0], msg, sizeof(msg), NULL, d->p.now),
                     (ssize_t)sizeof(msg));
    uint8_t buf[2048];
    sctpng_eng_path to;
    while (sctpng_eng_output(d->e[0], d->p.now, buf, sizeof(buf), &to) > 0)
        ; /* the packets are not delivered: the chunks stay in flight */
    *a = ep_find_assoc(d->e[0], d->a[0]);
    assert_non_null(*a);
    assert_true((*a)->out_chunks >= 1 && (*a)->paths[0].flight > 0);
    return d;
}

/* Runs the checker; returns the reports and the last message. */
static unsigned check(struct duo *d, struct seen *s)
{
    memset(s, 0, sizeof(*s));
    sctpng__check_set_hook(count_hook, s);
    unsigned bad = sctpng__check_endpoint(d->e[0]);
    sctpng__check_set_hook(NULL, NULL);
    assert_int_equal(bad, s->n);
    return bad;
}

static void expect_report(struct duo *d, const char *needle)
{
    struct seen s;
    assert_true(check(d, &s) >= 1);
    if (!strstr(s.last, needle))
        fail_msg("report \"%s\" lacks \"%s\"", s.last, needle);
}

static void test_healthy(void **state)
{
    (void)state;
    struct assoc *a;
    struct duo *d = in_flight(&a);
    struct seen s;
    assert_int_equal(check(d, &s), 0);
    duo_free(d);
}

static void test_flight(void **state)
{
    (void)state;
    struct assoc *a;
    struct duo *d = in_flight(&a);
    a->paths[0].flight += 1;
    expect_report(d, "flight");
    a->paths[0].flight -= 1;
    struct seen s;
    assert_int_equal(check(d, &s), 0);
    duo_free(d);
}

static void test_counters(void **state)
{
    (void)state;
    struct assoc *a;
    struct duo *d = in_flight(&a);
    a->out_chunks++;
    expect_report(d, "outstanding");
    a->out_chunks--;
    a->rtx_marked++;
    expect_report(d, "rtx_marked");
    a->rtx_marked--;
    a->reasm.pend_bytes += 7;
    expect_report(d, "pending bytes");
    a->reasm.pend_bytes -= 7;
    struct seen s;
    assert_int_equal(check(d, &s), 0);
    duo_free(d);
}

static void test_tsn_order(void **state)
{
    (void)state;
    struct assoc *a;
    struct duo *d = in_flight(&a);
    struct tchunk *c = a->tx_head;
    assert_true(c && c->next);
    uint32_t t = c->tsn;
    c->tsn = c->next->tsn;
    c->next->tsn = t;
    expect_report(d, "TSN");
    c->next->tsn = c->tsn;
    c->tsn = t;
    struct seen s;
    assert_int_equal(check(d, &s), 0);
    duo_free(d);
}

static void test_timer_states(void **state)
{
    (void)state;
    struct assoc *a;
    struct duo *d = in_flight(&a);
    timer_set(&a->tm, TMR_T2, d->p.now); /* T2 while ESTABLISHED */
    expect_report(d, "T2");
    timer_stop(&a->tm, TMR_T2);
    uint64_t t3 = a->tm.at[TMR_T3];
    timer_stop(&a->tm, TMR_T3); /* data in flight and no T3: a stall */
    expect_report(d, "no T3");
    timer_set(&a->tm, TMR_T3, t3);
    struct seen s;
    assert_int_equal(check(d, &s), 0);
    duo_free(d);
}

/* PLPMTUD: a probe in flight needs TMR_PL (plpmtud.h). */
static void test_plpmtud_probe(void **state)
{
    (void)state;
    struct assoc *a;
    struct duo *d = in_flight(&a);
    a->paths[0].pl.inflight = 1;
    a->pl_path = 0;
    expect_report(d, "PLPMTUD probe");
    timer_set(&a->tm, TMR_PL, d->p.now + SEC);
    struct seen s;
    assert_int_equal(check(d, &s), 0);
    a->paths[0].pl.inflight = 0;
    timer_stop(&a->tm, TMR_PL);
    assert_int_equal(check(d, &s), 0);
    duo_free(d);
}

static void test_dead_assoc_timer(void **state)
{
    (void)state;
    struct duo *d = duo_new(NULL);
    assert_true(duo_connect(d));
    d->p.auto_read = false;
    static const uint8_t msg[100];
    sctpng_eng_send(d->e[0], d->a[0], msg, sizeof(msg), NULL, d->p.now);
    pump_run(&d->p, d->p.now + 1000 * MS); /* unread data keeps it after the abort */
    assert_int_equal(sctpng_eng_abort(d->e[0], d->a[0], NULL, 0, d->p.now), 0);
    pump_run(&d->p, d->p.now + 1000 * MS);
    struct assoc *a = ep_find_assoc(d->e[1], d->a[1]);
    assert_non_null(a);
    assert_true(a->zombie);
    struct seen s;
    memset(&s, 0, sizeof(s));
    sctpng__check_set_hook(count_hook, &s);
    assert_int_equal(sctpng__check_endpoint(d->e[1]), 0);
    timer_set(&a->tm, TMR_SACK, d->p.now);
    assert_true(sctpng__check_endpoint(d->e[1]) >= 1);
    assert_non_null(strstr(s.last, "dead association"));
    timer_stop(&a->tm, TMR_SACK);
    sctpng__check_set_hook(NULL, NULL);
    duo_free(d);
}

/* An association aborted with DATA in flight and queued (sctpperf -P 128
 * hit this: the checker saw flight on a dead association with no T3): its
 * send state is freed with it, and the checker finds nothing wrong. */
static void test_abort_with_data_in_flight(void **state)
{
    (void)state;
    struct duo *d = duo_new(NULL);
    assert_true(duo_connect(d));
    d->p.auto_read = false;
    static const uint8_t msg[5000];
    sctpng_eng_send(d->e[1], d->a[1], msg, 100, NULL, d->p.now);
    pump_run(&d->p, d->p.now + 1000 * MS); /* unread data keeps side 0 after the abort */
    assert_int_equal(sctpng_eng_send(d->e[0], d->a[0], msg, sizeof(msg), NULL, d->p.now),
                     (ssize_t)sizeof(msg));
    uint8_t buf[1500];
    sctpng_eng_path to;
    while (sctpng_eng_output(d->e[0], d->p.now, buf, sizeof(buf), &to) > 0)
        ; /* lost: the chunks stay in flight */
    struct assoc *a = ep_find_assoc(d->e[0], d->a[0]);
    assert_true(a->paths[0].flight > 0 && a->tx_head);
    assert_int_equal(sctpng_eng_abort(d->e[0], d->a[0], NULL, 0, d->p.now), 0);
    a = ep_find_assoc(d->e[0], d->a[0]);
    assert_non_null(a);
    assert_true(a->zombie);
    assert_null(a->tx_head);
    assert_int_equal(a->paths[0].flight, 0);
    assert_int_equal(a->out_chunks + a->queued_chunks, 0);
    struct seen s;
    assert_int_equal(check(d, &s), 0);
    sctpng_eng_timeout(d->e[0], d->p.now + 10000 * MS); /* checks again at its end */
    assert_int_equal(check(d, &s), 0);
    duo_free(d);
}

/* The check runs by itself at the end of every public call. */
static void test_runs_after_calls(void **state)
{
    (void)state;
    struct assoc *a;
    struct duo *d = in_flight(&a);
    struct seen s;
    memset(&s, 0, sizeof(s));
    sctpng__check_set_hook(count_hook, &s);
    a->queued_bytes += 1;
    static const uint8_t msg[10];
    sctpng_eng_send(d->e[0], d->a[0], msg, sizeof(msg), NULL, d->p.now);
    assert_true(s.n >= 1);
    assert_non_null(strstr(s.last, "queued"));
    a->queued_bytes -= 1;
    unsigned before = s.n;
    uint8_t buf[2048];
    sctpng_eng_path to;
    sctpng_eng_output(d->e[0], d->p.now, buf, sizeof(buf), &to);
    assert_int_equal(s.n, before);
    sctpng__check_set_hook(NULL, NULL);
    duo_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_healthy),          cmocka_unit_test(test_flight),
        cmocka_unit_test(test_counters),         cmocka_unit_test(test_tsn_order),
        cmocka_unit_test(test_timer_states),     cmocka_unit_test(test_dead_assoc_timer),
        cmocka_unit_test(test_runs_after_calls), cmocka_unit_test(test_abort_with_data_in_flight),
        cmocka_unit_test(test_plpmtud_probe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
