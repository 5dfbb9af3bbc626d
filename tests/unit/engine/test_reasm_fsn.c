/* The peer's I-DATA fragment numbering, learned by the receive side
 * (reasm_fsn.c): Linux numbers the fragments after the first from 0, RFC
 * 8260 from 1. Linux-numbered messages are assembled whatever the arrival
 * order; before the numbering is known nothing is delivered that a
 * missing fragment could make wrong, nor what an I-FORWARD-TSN left (Linux's B,0,1,2 without its 0
 * looks like RFC's whole B,1,2); an RFC-numbered peer is learned at its first fragmented message
 * and is unaffected after that. FSNs put here are the wire's (the fixture is rx.c's view). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "engine/wire.h"
#include "reasm_fx.h"

#define U  DATA_FLAG_U
#define B  DATA_FLAG_B
#define E  DATA_FLAG_E
#define BE (DATA_FLAG_B | DATA_FLAG_E)

#define put    reasm_fx_put
#define expect reasm_fx_expect

static int setup(void **state)
{
    int rc = reasm_fx_setup_idata_unknown(state);
    reasm_fx_track_cum(*state, 1);
    return rc;
}

/* In order: the second fragment's FSN 0 says Linux at once. */
static void linux_in_order(void **state)
{
    struct reasm_fx *f = *state;
    put(f, 1, 1, 0, 0, B, "a0");
    assert_int_equal(f->r.fsn_peer, REASM_FSN_UNKNOWN);
    put(f, 2, 1, 0, 0, 0, "a1");
    assert_int_equal(f->r.fsn_peer, REASM_FSN_LINUX);
    put(f, 3, 1, 0, 1, 0, "a2");
    assert_false(reasm_readable(&f->r));
    put(f, 4, 1, 0, 2, E, "a3");
    expect(f, "a0a1a2a3", 1, true);
    assert_false(reasm_readable(&f->r));
}

/* Linux's B,0,1,2(E) with 0 late: B,1,2 must not pass for a whole RFC
 * message; when 0 comes the message is whole, in its order. */
static void ambiguous_waits(void **state)
{
    struct reasm_fx *f = *state;
    put(f, 1, 1, 0, 0, B, "a0");
    put(f, 3, 1, 0, 1, 0, "a2");
    put(f, 4, 1, 0, 2, E, "a3");
    assert_false(reasm_readable(&f->r));
    assert_int_equal(f->r.fsn_peer, REASM_FSN_UNKNOWN);
    put(f, 2, 1, 0, 0, 0, "a1");
    assert_int_equal(f->r.fsn_peer, REASM_FSN_LINUX);
    expect(f, "a0a1a2a3", 1, true);
    assert_false(reasm_readable(&f->r));
}

/* The same with the unordered kind and the E fragment first. */
static void ambiguous_unordered(void **state)
{
    struct reasm_fx *f = *state;
    put(f, 4, 2, 9, 2, U | E, "u3");
    put(f, 3, 2, 9, 1, U, "u2");
    put(f, 1, 2, 9, 0, U | B, "u0");
    assert_false(reasm_readable(&f->r));
    put(f, 2, 2, 9, 0, U, "u1");
    expect(f, "u0u1u2u3", 2, true);
    assert_false(reasm_readable(&f->r));
}

/* A partial delivery before the numbering is known takes the first
 * fragment, then only fragments up to the cumulative TSN. */
static void partial_waits(void **state)
{
    struct reasm_fx *f = *state;
    put(f, 1, 1, 0, 0, B, "a0");
    put(f, 3, 1, 0, 1, 0, "a2"); /* Linux's third, RFC's second */
    assert_true(reasm_partial(&f->r));
    expect(f, "a0", 1, false);
    assert_false(reasm_readable(&f->r));
    assert_false(reasm_partial(&f->r));
    put(f, 2, 1, 0, 0, 0, "a1");
    expect(f, "a1a2", 1, false);
    put(f, 4, 1, 0, 2, E, "a3");
    expect(f, "a3", 1, true);
    assert_false(reasm_readable(&f->r));
}

/* An RFC peer: its whole first fragmented message, every TSN received,
 * says RFC; later ones are not held back by another stream's loss. */
static void rfc_learned(void **state)
{
    struct reasm_fx *f = *state;
    put(f, 1, 1, 0, 0, B, "a0");
    put(f, 3, 1, 0, 1, E, "a1");
    assert_false(reasm_readable(&f->r)); /* TSN 2 missing: it may be a1's FSN 0 */
    put(f, 2, 2, 0, 0, BE, "s");
    assert_int_equal(f->r.fsn_peer, REASM_FSN_RFC);
    expect(f, "s", 2, true);
    expect(f, "a0a1", 1, true);
    /* TSN 4 (stream 3) lost: stream 1's next message goes all the same */
    put(f, 5, 1, 1, 0, B, "b0");
    put(f, 7, 1, 1, 2, E, "b2");
    put(f, 6, 1, 1, 1, 0, "b1");
    expect(f, "b0b1b2", 1, true);
    assert_false(reasm_readable(&f->r));
    put(f, 4, 3, 0, 0, BE, "t");
    expect(f, "t", 3, true);
    assert_int_equal(f->r.fsn_peer, REASM_FSN_RFC);
}

/* A message whose fragments have consecutive TSNs misses none, whatever
 * else is missing: it goes at once, and says RFC. */
static void consecutive_goes(void **state)
{
    struct reasm_fx *f = *state;
    put(f, 2, 1, 0, 0, B, "a0");
    put(f, 4, 1, 0, 2, E, "a2");
    put(f, 3, 1, 0, 1, 0, "a1"); /* TSN 1 (another stream) still missing */
    assert_int_equal(f->r.fsn_peer, REASM_FSN_RFC);
    expect(f, "a0a1a2", 1, true);
}

/* Linux's B,0,1,2 whose 0 was abandoned (I-FORWARD-TSN naming it):
 * what is left looks like RFC's whole B,1,2 once the cumulative TSN
 * passes the hole, and must go, not be delivered. */
static void iforward_ambiguous(void **state)
{
    struct reasm_fx *f = *state;
    put(f, 1, 1, 0, 0, B, "a0");
    put(f, 3, 1, 0, 1, 0, "a2");
    put(f, 4, 1, 0, 2, E, "a3");
    uint8_t e[8];
    put16(e, 1);
    put16(e + 2, 0);
    put32(e + 4, 0); /* stream 1, ordered, MID 0 abandoned */
    reasm_iforward(&f->r, 4, e, 1);
    reasm_set_cum(&f->r, 4);
    assert_false(reasm_readable(&f->r));
    assert_int_equal(reasm_held(&f->r), 0);
    assert_int_equal(f->r.fsn_peer, REASM_FSN_UNKNOWN);
    put(f, 5, 1, 1, 0, BE, "b"); /* the stream goes on at MID 1 */
    expect(f, "b", 1, true);
}

/* Single-fragment messages do not wait, whatever is missing. */
static void single_goes(void **state)
{
    struct reasm_fx *f = *state;
    put(f, 3, 1, 0, 0, BE, "x");
    expect(f, "x", 1, true);
    assert_int_equal(f->r.fsn_peer, REASM_FSN_UNKNOWN);
}

/* Random arrival orders (with random partial deliveries) of interleaved
 * ordered and unordered messages on three streams, numbered the Linux
 * way or the RFC way, the numbering unknown at first: every message
 * exactly once, its bytes in order, ordered ones in MID order, and the
 * numbering learned right. */
#define NM 8
static const struct {
    uint16_t sid;
    bool u;
    uint32_t mid;
    unsigned nfrag;
} rm[NM] = {
    {0, false, 0, 3}, {0, true, 0, 4}, {1, true, 1, 2}, {0, false, 1, 1},
    {1, false, 0, 5}, {2, true, 3, 1}, {1, true, 4, 6}, {2, false, 0, 2},
};

struct got {
    char text[NM][64];
    unsigned done[NM];
    uint32_t next_mid[3];
    unsigned bad_order;
};

static uint64_t rnd(uint64_t *s)
{
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return *s >> 33;
}

static void drain(struct reasm_fx *f, struct got *g)
{
    char buf[64];
    struct reasm_info ri;
    while (reasm_fx_get(f, buf, 3, &ri) >= 0) {
        int k = -1;
        for (int i = 0; i < NM; i++)
            if (rm[i].sid == ri.sid && rm[i].u == ri.unordered && rm[i].mid == ri.ssn)
                k = i;
        assert_true(k >= 0);
        strcat(g->text[k], buf);
        if (!ri.complete)
            continue;
        g->done[k]++;
        if (!ri.unordered) {
            g->bad_order += rm[k].mid != g->next_mid[ri.sid];
            g->next_mid[ri.sid] = rm[k].mid + 1;
        }
    }
}

static void one_order(uint64_t seed, bool linux_fsn)
{
    struct reasm_fx *f;
    reasm_fx_setup_idata_unknown((void **)&f);
    int msg[64];
    unsigned frag[64], n = 0, sent[NM] = {0};
    for (bool more = true; more;) { /* an interleaving sender's TSN order */
        more = false;
        for (int k = 0; k < NM; k++) {
            if (sent[k] < rm[k].nfrag) {
                msg[n] = k;
                frag[n++] = sent[k]++;
                more = true;
            }
        }
    }
    uint32_t tsn0 = (uint32_t)rnd(&seed), order[64];
    reasm_fx_track_cum(f, tsn0);
    for (unsigned t = 0; t < n; t++)
        order[t] = t;
    for (unsigned t = n - 1; t > 0; t--) {
        unsigned j = (unsigned)(rnd(&seed) % (t + 1)), x = order[t];
        order[t] = order[j];
        order[j] = x;
    }
    struct got g;
    memset(&g, 0, sizeof(g));
    for (unsigned t = 0; t < n; t++) {
        unsigned o = order[t], i = frag[o];
        int k = msg[o];
        char text[8];
        snprintf(text, sizeof(text), "%c%u", 'a' + k, i);
        uint8_t fl = (rm[k].u ? U : 0) | (i == 0 ? B : 0) | (i + 1 == rm[k].nfrag ? E : 0);
        uint32_t fsn = i == 0 ? 0 : linux_fsn ? i - 1 : i;
        put(f, tsn0 + o, rm[k].sid, rm[k].mid, fsn, fl, text);
        if (rnd(&seed) % 3 == 0 && !reasm_readable(&f->r))
            reasm_partial(&f->r);
        if (rnd(&seed) % 2)
            drain(f, &g);
    }
    for (int round = 0; round < 4 * NM; round++) {
        drain(f, &g);
        reasm_partial(&f->r);
    }
    for (int k = 0; k < NM; k++) {
        char want[64] = "";
        for (unsigned i = 0; i < rm[k].nfrag; i++)
            snprintf(want + strlen(want), sizeof(want) - strlen(want), "%c%u", 'a' + k, i);
        if (strcmp(g.text[k], want) || g.done[k] != 1)
            print_message("seed %llu linux %d message %d: got %s\n", (unsigned long long)seed,
                          linux_fsn, k, g.text[k]);
        assert_string_equal(g.text[k], want);
        assert_int_equal(g.done[k], 1);
    }
    assert_int_equal(g.bad_order, 0);
    assert_int_equal(f->r.fsn_peer, linux_fsn ? REASM_FSN_LINUX : REASM_FSN_RFC);
    assert_int_equal(reasm_held(&f->r), 0);
    reasm_fx_teardown((void **)&f);
}

static void random_orders(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 400; seed++) {
        one_order(seed, true);
        one_order(seed, false);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(linux_in_order, setup, reasm_fx_teardown),
        cmocka_unit_test_setup_teardown(ambiguous_waits, setup, reasm_fx_teardown),
        cmocka_unit_test_setup_teardown(ambiguous_unordered, setup, reasm_fx_teardown),
        cmocka_unit_test_setup_teardown(partial_waits, setup, reasm_fx_teardown),
        cmocka_unit_test_setup_teardown(rfc_learned, setup, reasm_fx_teardown),
        cmocka_unit_test_setup_teardown(single_goes, setup, reasm_fx_teardown),
        cmocka_unit_test_setup_teardown(consecutive_goes, setup, reasm_fx_teardown),
        cmocka_unit_test_setup_teardown(iforward_ambiguous, setup, reasm_fx_teardown),
        cmocka_unit_test(random_orders),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
