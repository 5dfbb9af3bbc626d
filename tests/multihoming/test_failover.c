/* test_failover.c - the primary path dies while numbered messages flow:
 * the association survives, the path is reported, traffic moves to the
 * other path, every message arrives once and in order; then the path comes
 * back. Failover times are measured for several parameter sets and
 * printed as "# MH-FAILOVER ..." lines (they come from the VM, which runs
 * under software emulation: compare them with each other, not with real
 * hardware). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mh.h"

/* How a path is cut. */
enum cut { CUT_LINK, CUT_NETEM };

typedef struct fo_config {
    const char *name;
    const char *params; /* for the report */
    mh_tune tune;
    enum cut cut;
    bool unreachable; /* wait for the UNREACHABLE event (slow with defaults) */
    bool recovery;    /* bring the path back and switch primaries */
} fo_config;

/* Times in ms after the cut (or, for back_ms, after the repair). */
typedef struct fo_result {
    bool done;
    int64_t first_ms;  /* first message delivered through path 2 */
    int64_t resume_ms; /* delivery flowing steadily again: end of the last stall */
    int64_t pf_ms, unreach_ms, back_ms;
} fo_result;

enum { R_DEFAULT, R_TUNED, R_PF_OFF, R_NETEM6, R_MAX };
static fo_result results[R_MAX];

/* Stream until `cond` holds, failing after `ms`. */
#define STREAM_UNTIL(a, st, cond, ms, what)                                                        \
    do {                                                                                           \
        int64_t end_ = mh_now_ms() + (ms);                                                         \
        while (!(cond)) {                                                                          \
            if (mh_now_ms() > end_)                                                                \
                fail_msg("%s: not within %d ms", what, (int)(ms));                                 \
            mh_stream_step(a, st, 5);                                                              \
        }                                                                                          \
    } while (0)

/* Cut path 1 (down) or repair it while the stream goes on. A link goes
 * down or up at once (mh_link): returns that moment. netem is set with
 * tc, which takes hundreds of ms to start in the VM: the commands run in
 * the background while the stream goes on, and the moment is not known
 * (0 is returned when cutting; see failover()) or only roughly (the end
 * of the last command, when repairing). The stream is marked at the start. */
static int64_t cut_path(mh_assoc *a, mh_stream *s, const fo_config *c, bool down)
{
    mh_stream_mark(s);
    if (c->cut == CUT_LINK) {
        int64_t t = mh_now_ms();
        mh_link("h1", "veth1", !down);
        return t;
    }
    /* netem drops what a device sends: cut both directions. */
    static const char *const add[] = {"tc -n h1 qdisc add dev veth1 root netem loss 100%",
                                      "tc -n h2 qdisc add dev veth1 root netem loss 100%"};
    static const char *const del[] = {"tc -n h1 qdisc del dev veth1 root",
                                      "tc -n h2 qdisc del dev veth1 root"};
    mh_async x;
    mh_async_start(&x, 2, down ? add : del);
    while (mh_async_poll(&x) < 2)
        mh_stream_step(a, s, 5);
    return down ? 0 : x.end[1];
}

/* Wait for a peer-address event on the client about server address `to`
 * while the stream keeps flowing; returns when it came, in ms after t0. */
static int64_t client_event(mh_assoc *a, mh_stream *s, size_t from, int state,
                            const sctpng_addr *to, int ms, int64_t t0)
{
    int i =
        mh_wait_event(a, &a->c, from, SCTPNG_EV_PEER_ADDR_CHANGE, state, to, ms, mh_stream_rx, s);
    return a->c.ev[i].t_ms - t0;
}

/* Messages sent from now on must arrive on `path`. */
static void expect_traffic_on(mh_assoc *a, mh_stream *s, int path, const char *what)
{
    mh_stream_finish(a, s, 30000);
    s->limit = 0;
    mh_stream_mark(s);
    STREAM_UNTIL(a, s, s->first_after[path], 10000, what);
    int other = 3 - path;
    if (s->first_after[other])
        fail_msg("%s: messages also arrived on path %d", what, other);
}

static void recover(mh_assoc *a, mh_stream *s, const fo_config *c, fo_result *r)
{
    size_t from = a->c.nev;
    int64_t t0 = cut_path(a, s, c, false);
    r->back_ms = client_event(a, s, from, SCTPNG_ADDR_AVAILABLE, &a->vaddr[0], 30000, t0);
    assert_int_equal(mh_path_state(&a->c, &a->vaddr[0]), SCTPNG_PATH_ACTIVE);
    /* The primary never changed: traffic goes back to it by itself. */
    expect_traffic_on(a, s, 1, "traffic back on path 1");

    /* And the primary can be moved away and back. */
    from = a->c.nev;
    T_OK(sctpng_set_primary(a->c.s, 0, &a->vaddr[1]));
    client_event(a, s, from, SCTPNG_ADDR_MADE_PRIM, &a->vaddr[1], 5000, 0);
    expect_traffic_on(a, s, 2, "traffic on path 2 after set_primary");
    from = a->c.nev;
    T_OK(sctpng_set_primary(a->c.s, 0, &a->vaddr[0]));
    client_event(a, s, from, SCTPNG_ADDR_MADE_PRIM, &a->vaddr[0], 5000, 0);
    expect_traffic_on(a, s, 1, "traffic on path 1 after set_primary back");
}

/* The client's reports about the failed path: PF (when it has PF and
 * asked for the events) and UNREACHABLE (when the test waits for it). */
static void path_events(mh_assoc *a, mh_stream *s, const fo_config *c, fo_result *r, size_t from,
                        int64_t t0)
{
    if (c->tune.expose_pf && c->tune.path.pf_threshold < 2)
        r->pf_ms =
            client_event(a, s, from, SCTPNG_ADDR_POTENTIALLY_FAILED, &a->vaddr[0], 30000, t0);
    if (c->unreachable) {
        r->unreach_ms = client_event(a, s, from, SCTPNG_ADDR_UNREACHABLE, &a->vaddr[0], 100000, t0);
        assert_int_equal(mh_path_state(&a->c, &a->vaddr[0]), SCTPNG_PATH_INACTIVE);
    } else if (r->pf_ms) {
        assert_int_equal(mh_path_state(&a->c, &a->vaddr[0]), SCTPNG_PATH_PF);
    }
}

/* When delivery flowed steadily again: the end of the last stall up to
 * the moment the kernel gave up on path 1 for new data (the PF event, or
 * without PF the UNREACHABLE one). Later stalls are hiccups of the
 * emulated VM, not failover. */
static int64_t steady_ms(const mh_stream *s, const fo_result *r, int64_t t0)
{
    int64_t gave_up = t0 + (r->pf_ms ? r->pf_ms : r->unreach_ms ? r->unreach_ms : r->first_ms);
    int64_t t = s->first_after[2];
    for (int i = 0; i < s->nstall; i++)
        if (s->stall_end[i] > t && s->stall_end[i] <= gave_up + 200)
            t = s->stall_end[i];
    return t - t0;
}

static void report(const fo_config *c, const fo_result *r, const mh_stream *s)
{
    print_message("# MH-FAILOVER config=%s cut=%s resume_ms=%lld first_on_path2_ms=%lld "
                  "pf_event_ms=%lld unreachable_ms=%lld available_ms=%lld messages=%u "
                  "path1=%u path2=%u params=\"%s\"\n",
                  c->name, c->cut == CUT_LINK ? "link-down" : "netem-100%", (long long)r->resume_ms,
                  (long long)r->first_ms, (long long)(r->pf_ms ? r->pf_ms : -1),
                  (long long)(r->unreach_ms ? r->unreach_ms : -1),
                  (long long)(r->back_ms ? r->back_ms : -1), s->recvd, s->per_path[1],
                  s->per_path[2], c->params);
}

/* A second of traffic, all of it on the primary. With a short RTO, one
 * hiccup of the emulated VM can make the kernel suspect path 1 for a
 * moment (and use path 2): then wait for a clean second. */
static void warm_up(mh_assoc *a, mh_stream *s)
{
    for (int tries = 0; tries < 10; tries++) {
        mh_stream_mark(s);
        int64_t end = mh_now_ms() + 1000;
        STREAM_UNTIL(a, s, mh_now_ms() > end, 5000, "warm-up");
        if (s->first_after[1] && !s->first_after[2])
            return;
        print_message("# warm-up: traffic not only on path 1, again\n");
    }
    fail_msg("traffic never stayed on the primary path for a second");
}

static void failover(int family, const fo_config *c, fo_result *r)
{
    mh_begin();
    mh_assoc *a = mh_connect(family, &c->tune);
    mh_stream s;
    mh_stream_init(&s);

    warm_up(a, &s);
    size_t from = a->c.nev;
    int64_t t0 = cut_path(a, &s, c, true);
    STREAM_UNTIL(a, &s, s.first_after[2], 100000, "failover to path 2");
    /* netem: the cut fell between the last delivery on path 1 (5 ms
     * apart) and the next; take the former. */
    if (!t0)
        t0 = s.prev_of_first[2];
    s.mark = t0;
    r->first_ms = s.first_after[2] - t0;
    /* Watch two more seconds: without PF, new data keep trying path 1
     * (and stall) until it is declared unreachable. */
    int64_t watch = mh_now_ms() + 2000;
    STREAM_UNTIL(a, &s, mh_now_ms() > watch, 5000, "watching");
    path_events(a, &s, c, r, from, t0);
    r->resume_ms = steady_ms(&s, r, t0);
    print_message("# %s: first message on path 2 after %lld ms, steady after %lld ms\n", c->name,
                  (long long)r->first_ms, (long long)r->resume_ms);

    /* The association is still up, and new messages take path 2. */
    sctpng_status st;
    T_OK(sctpng_get_status(a->c.s, 0, &st));
    assert_int_equal(st.state, SCTPNG_STATE_ESTABLISHED);
    expect_traffic_on(a, &s, 2, "traffic on path 2 after failover");
    if (c->recovery)
        recover(a, &s, c, r);
    mh_stream_finish(a, &s, 30000);
    r->done = true;
    report(c, r, &s);
}

/* Kernel defaults (Linux 6.1): RTO 3000/1000/60000 ms, path max retrans 5,
 * heartbeat 30 s, PF threshold 0 (a path is potentially failed after its
 * first timeout and traffic moves at once). PF events are asked for; that
 * changes no timing. The UNREACHABLE event takes about a minute (five
 * more timeouts, doubling from 1 s): it is waited for only with MH_SLOW=1
 * in the environment (and a time limit above 120 s). */
static void test_failover_default(void **state)
{
    (void)state;
    fo_config c = {.name = "default",
                   .params = "kernel defaults: rto 3000/1000/60000 ms, pmr 5, hb 30000 ms, pf 0",
                   .tune = {.expose_pf = true},
                   .unreachable = getenv("MH_SLOW") != NULL};
    failover(AF_INET, &c, &results[R_DEFAULT]);
}

static mh_tune tuned(uint16_t pf)
{
    mh_tune t = {
        .rto = {.initial = 300, .min = 100, .max = 500}, .set_path = true, .sack_delay_ms = 50};
    sctpng_pathparams_init(&t.path);
    t.path.hb_interval_ms = 200;
    t.path.max_retrans = 2;
    t.path.pf_threshold = pf;
    t.path.flags = pf ? 0 : SCTPNG_PF_ZERO;
    t.expose_pf = true;
    return t;
}

/* Tuned for fast failover, PF on: the path is left after one RTO (100 ms
 * here) and declared unreachable after two more missed heartbeats. */
static void test_failover_tuned(void **state)
{
    (void)state;
    fo_config c = {.name = "tuned",
                   .params = "rto 300/100/500 ms, pmr 2, hb 200 ms, pf 0, sack delay 50 ms",
                   .tune = tuned(0),
                   .unreachable = true,
                   .recovery = true};
    failover(AF_INET, &c, &results[R_TUNED]);
}

/* The same timers with PF turned off (threshold = path max retrans), as
 * RFC 4960 has it: traffic waits until the path is declared unreachable. */
static void test_failover_pf_off(void **state)
{
    (void)state;
    fo_config c = {.name = "tuned-pf-off",
                   .params = "rto 300/100/500 ms, pmr 2, hb 200 ms, pf 2 (off), sack delay 50 ms",
                   .tune = tuned(2),
                   .unreachable = true};
    failover(AF_INET, &c, &results[R_PF_OFF]);
}

/* IPv6, the path cut with netem (100 % loss both ways) instead. */
static void test_failover_netem_ipv6(void **state)
{
    (void)state;
    fo_config c = {.name = "tuned-ipv6-netem",
                   .params = "rto 300/100/500 ms, pmr 2, hb 200 ms, pf 0, sack delay 50 ms",
                   .tune = tuned(0),
                   .cut = CUT_NETEM,
                   .unreachable = true,
                   .recovery = true};
    failover(AF_INET6, &c, &results[R_NETEM6]);
}

/* The figures side by side, and sane: tuning helps, nothing took long. */
static void test_failover_summary(void **state)
{
    (void)state;
    const fo_result *d = &results[R_DEFAULT], *t = &results[R_TUNED], *p = &results[R_PF_OFF];
    if (!d->done || !t->done || !p->done)
        fail_msg("a failover test before this one failed");
    print_message("# failover default: %.2f s, tuned: %.2f s, tuned with PF off: %.2f s "
                  "(link down to steady delivery on path 2; VM under software emulation)\n",
                  d->resume_ms / 1000.0, t->resume_ms / 1000.0, p->resume_ms / 1000.0);
    assert_true(t->first_ms < d->first_ms);
    assert_true(t->resume_ms < d->resume_ms);
    assert_true(t->resume_ms <= p->resume_ms + 200);
    assert_true(d->resume_ms < 20000);
    assert_true(t->resume_ms < 5000 && p->resume_ms < 10000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_failover_default, mh_teardown),
        cmocka_unit_test_teardown(test_failover_tuned, mh_teardown),
        cmocka_unit_test_teardown(test_failover_pf_off, mh_teardown),
        cmocka_unit_test_teardown(test_failover_netem_ipv6, mh_teardown),
        cmocka_unit_test(test_failover_summary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
