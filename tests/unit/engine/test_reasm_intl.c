/* Reassembly of I-DATA messages whose fragments a peer interleaved (RFC
 * 8260): ordered and unordered messages go by (stream, MID, FSN), partial
 * delivery follows a message by its FSNs, several streams may be in
 * partial delivery at once, and I-FORWARD-TSN ends unordered ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "engine/idata.h"
#include "engine/wire.h"
#include "reasm_fx.h"

#define U  DATA_FLAG_U
#define B  DATA_FLAG_B
#define E  DATA_FLAG_E
#define BE (DATA_FLAG_B | DATA_FLAG_E)

#define put    reasm_fx_put
#define expect reasm_fx_expect

/* Streams 1 and 2 alternate TSNs; stream 1's message goes partially, and
 * stream 2's, whole meanwhile, does not wait for it. */
static void partial_by_fsn(void **state)
{
    struct reasm_fx *f = *state;
    put(f, 10, 1, 0, 0, B, "a0");
    put(f, 11, 2, 0, 0, B, "b0");
    put(f, 12, 1, 0, 1, 0, "a1");
    put(f, 13, 2, 0, 1, 0, "b1");
    assert_false(reasm_readable(&f->r));
    assert_true(reasm_partial(&f->r)); /* the lowest TSN: stream 1 */
    /* its FSN 1 (TSN 12) follows FSN 0 (TSN 10) at once */
    expect(f, "a0a1", 1, false);
    put(f, 15, 2, 0, 2, E, "b2"); /* stream 2 complete */
    expect(f, "b0b1b2", 2, true);
    assert_false(reasm_readable(&f->r));
    put(f, 14, 1, 0, 2, E, "a2"); /* ends the partial delivery */
    expect(f, "a2", 1, true);
    assert_false(reasm_readable(&f->r));
}

/* Two unordered messages of one stream, their fragments interleaved: each
 * is whole by its MID and FSNs, not by consecutive TSNs, and the one that
 * completes first goes first. */
static void unordered_interleaved(void **state)
{
    struct reasm_fx *f = *state;
    put(f, 10, 1, 5, 0, U | B, "p0");
    put(f, 11, 1, 6, 0, U | B, "q0");
    put(f, 12, 1, 5, 1, U, "p1");
    assert_false(reasm_readable(&f->r));
    put(f, 13, 1, 6, 1, U | E, "q1");
    expect(f, "q0q1", 1, true);
    assert_false(reasm_readable(&f->r));
    put(f, 14, 1, 5, 2, U | E, "p2");
    expect(f, "p0p1p2", 1, true);
    assert_int_equal(reasm_held(&f->r), 0);
}

/* Partial delivery of an unordered message follows its FSNs past another
 * unordered message's fragments on the same stream. */
static void unordered_partial(void **state)
{
    struct reasm_fx *f = *state;
    put(f, 20, 3, 7, 0, U | B, "x0");
    put(f, 21, 3, 8, 0, U | B, "y0");
    put(f, 22, 3, 7, 1, U, "x1");
    assert_true(reasm_partial(&f->r)); /* MID 7: the lowest TSN */
    expect(f, "x0x1", 3, false);
    put(f, 23, 3, 8, 1, U | E, "y1"); /* whole: goes past the partial one */
    expect(f, "y0y1", 3, true);
    put(f, 25, 3, 7, 3, U | E, "x3"); /* FSN 2 not here yet */
    assert_false(reasm_readable(&f->r));
    put(f, 24, 3, 7, 2, U, "x2");
    expect(f, "x2x3", 3, true);
    assert_int_equal(reasm_held(&f->r), 0);
}

/* Several streams in partial delivery at once: the pieces alternate in
 * ready, each read is of one message and says whose; whole messages go
 * meanwhile. */
static void partial_on_two_streams(void **state)
{
    struct reasm_fx *f = *state;
    put(f, 1, 1, 0, 0, B, "a0");
    put(f, 2, 2, 0, 0, U | B, "b0");
    assert_true(reasm_partial(&f->r));
    expect(f, "a0", 1, false);
    put(f, 3, 3, 0, 0, B, "c"); /* stream 3's: the rest lost for now */
    /* the window is full of stream 2's fragments: it begins too */
    put(f, 5, 2, 0, 1, U, "b1");
    assert_false(reasm_readable(&f->r));
    assert_true(reasm_partial(&f->r));
    expect(f, "b0b1", 2, false);
    put(f, 6, 1, 0, 1, 0, "a1");
    put(f, 7, 2, 0, 2, U, "b2");
    put(f, 8, 1, 0, 2, 0, "a2");
    struct reasm_info pi;
    size_t len;
    assert_true(reasm_peek(&f->r, &pi, &len));
    assert_int_equal(pi.sid, 2); /* mid-message: the piece after this one */
    assert_int_equal(len, 2);
    expect(f, "a1", 1, false);
    expect(f, "b2", 2, false);
    expect(f, "a2", 1, false);
    put(f, 9, 2, 0, 3, U | E, "b3");
    expect(f, "b3", 2, true);
    put(f, 4, 3, 0, 1, E, "d"); /* stream 3's whole now: it goes at once */
    expect(f, "cd", 3, true);
    put(f, 10, 1, 0, 3, E, "a3");
    expect(f, "a3", 1, true);
    assert_false(reasm_readable(&f->r));
    assert_int_equal(reasm_held(&f->r), 0);
}

/* I-FORWARD-TSN, U flag: a partial delivery of that MID (or an older one)
 * ends; incomplete unordered fragments up to the new cumulative TSN go. */
static void iforward_unordered(void **state)
{
    struct reasm_fx *f = *state;
    char buf[64];
    struct reasm_info ri;
    put(f, 1, 0, 3, 0, U | B, "m0");
    put(f, 2, 0, 4, 0, U | B, "n0");
    put(f, 3, 0, 3, 1, U, "m1");
    assert_true(reasm_partial(&f->r));
    expect(f, "m0m1", 0, false);
    put(f, 6, 0, 4, 2, U | E, "n2"); /* MID 4's FSN 1 (TSN 5) lost */
    uint8_t e[8];
    put16(e, 0);
    put16(e + 2, IFWD_U);
    put32(e + 4, 3); /* the sender abandoned MID 3 (TSN 4) */
    reasm_iforward(&f->r, 4, e, 1);
    assert_int_equal(reasm_fx_get(f, buf, sizeof(buf) - 1, &ri), 0);
    assert_true(ri.complete && ri.unordered); /* the partial message is over */
    assert_false(reasm_readable(&f->r));
    /* MID 4 is not named: its fragments stay, TSN 2 below the new
     * cumulative TSN too (an interleaving sender's message may straddle it) */
    assert_int_equal(reasm_held(&f->r), 4);
    put16(e + 2, IFWD_U);
    put32(e + 4, 4);
    reasm_iforward(&f->r, 6, e, 1);
    assert_int_equal(reasm_held(&f->r), 0);
}

/* Random arrival orders of the fragments of ordered and unordered messages
 * on three streams, TSNs interleaved by an interleaving sender, with
 * partial deliveries begun at random: every message exactly once, its
 * bytes in order, ordered ones in MID order per stream. */
#define NM 9
struct rmsg {
    uint16_t sid;
    bool u;
    uint32_t mid;
    unsigned nfrag;
};

static const struct rmsg rmsgs[NM] = {
    {0, false, 0, 3}, {0, true, 0, 4}, {1, true, 1, 2}, {0, false, 1, 1}, {1, false, 0, 5},
    {0, true, 2, 3},  {2, true, 3, 1}, {1, true, 4, 6}, {2, false, 0, 2},
};

static uint64_t rnd(uint64_t *s)
{
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return *s >> 33;
}

struct got {
    char text[NM][64];
    unsigned done[NM];
    uint32_t next_mid[3];
    unsigned bad_order;
};

static int msg_of(const struct reasm_info *ri)
{
    for (int k = 0; k < NM; k++)
        if (rmsgs[k].sid == ri->sid && rmsgs[k].u == ri->unordered &&
            (uint16_t)rmsgs[k].mid == ri->ssn)
            return k;
    return -1;
}

static void drain(struct reasm_fx *f, struct got *g, uint64_t *seed, bool all)
{
    char buf[64];
    struct reasm_info ri;
    ssize_t n;
    while ((all || rnd(seed) % 2) && (n = reasm_fx_get(f, buf, 1 + rnd(seed) % 5, &ri)) >= 0) {
        int k = msg_of(&ri);
        assert_true(k >= 0);
        strcat(g->text[k], buf);
        if (!ri.complete)
            continue;
        g->done[k]++;
        if (!ri.unordered) {
            g->bad_order += rmsgs[k].mid != g->next_mid[ri.sid];
            g->next_mid[ri.sid] = rmsgs[k].mid + 1;
        }
    }
}

static void one_order(struct reasm_fx *f, uint64_t seed)
{
    uint64_t seed0 = seed;
    struct tchunk_spec {
        int k;
        unsigned i;
    } all[64];
    unsigned n = 0, sent[NM] = {0};
    /* the sender's TSN order: a fragment of each message in turn */
    for (bool more = true; more;) {
        more = false;
        for (int k = 0; k < NM; k++) {
            if (sent[k] < rmsgs[k].nfrag) {
                all[n].k = k;
                all[n++].i = sent[k]++;
                more = true;
            }
        }
    }
    uint32_t tsn0 = (uint32_t)rnd(&seed);
    uint32_t tsn_of[64];
    for (unsigned t = 0; t < n; t++)
        tsn_of[t] = tsn0 + t;
    for (unsigned t = n - 1; t > 0; t--) { /* arrival order: shuffled */
        unsigned j = (unsigned)(rnd(&seed) % (t + 1));
        struct tchunk_spec x = all[t];
        all[t] = all[j];
        all[j] = x;
        uint32_t y = tsn_of[t];
        tsn_of[t] = tsn_of[j];
        tsn_of[j] = y;
    }
    struct got g;
    memset(&g, 0, sizeof(g));
    for (unsigned t = 0; t < n; t++) {
        const struct rmsg *m = &rmsgs[all[t].k];
        unsigned i = all[t].i;
        char text[8];
        snprintf(text, sizeof(text), "%c%u", 'a' + all[t].k, i);
        uint8_t fl = (m->u ? U : 0) | (i == 0 ? B : 0) | (i + 1 == m->nfrag ? E : 0);
        put(f, tsn_of[t], m->sid, m->mid, i, fl, text);
        if (rnd(&seed) % 3 == 0 && !reasm_readable(&f->r))
            reasm_partial(&f->r);
        drain(f, &g, &seed, false);
    }
    for (int round = 0; round < 4 * NM; round++) {
        drain(f, &g, &seed, true);
        reasm_partial(&f->r);
    }
    for (int k = 0; k < NM; k++) {
        char want[64] = "";
        for (unsigned i = 0; i < rmsgs[k].nfrag; i++)
            snprintf(want + strlen(want), sizeof(want) - strlen(want), "%c%u", 'a' + k, i);
        if (strcmp(g.text[k], want) || g.done[k] != 1)
            print_message("seed %llu message %d: got %s, done %u\n", (unsigned long long)seed0, k,
                          g.text[k], g.done[k]);
        assert_string_equal(g.text[k], want);
        assert_int_equal(g.done[k], 1);
    }
    assert_int_equal(g.bad_order, 0);
    assert_int_equal(reasm_held(&f->r), 0);
}

static void random_orders(void **state)
{
    for (uint64_t seed = 1; seed <= 500; seed++) {
        struct reasm_fx *f;
        reasm_fx_setup_idata((void **)&f);
        one_order(f, seed);
        reasm_fx_teardown((void **)&f);
    }
    (void)state;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(partial_by_fsn, reasm_fx_setup_idata, reasm_fx_teardown),
        cmocka_unit_test_setup_teardown(unordered_interleaved, reasm_fx_setup_idata,
                                        reasm_fx_teardown),
        cmocka_unit_test_setup_teardown(unordered_partial, reasm_fx_setup_idata, reasm_fx_teardown),
        cmocka_unit_test_setup_teardown(partial_on_two_streams, reasm_fx_setup_idata,
                                        reasm_fx_teardown),
        cmocka_unit_test_setup_teardown(iforward_unordered, reasm_fx_setup_idata,
                                        reasm_fx_teardown),
        cmocka_unit_test(random_orders),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
