/* test_udp_stats.c - sctpng_get_assoc_stats on the UDP backend: the
 * engine's counters in the kernel's shape, moving as the traffic did. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "uhelp.h"

#define N_ORDERED   40
#define N_UNORDERED 10

struct rx {
    sctpng_socket *s;
    int ordered, unordered;
};

static void *receive_all(void *arg)
{
    struct rx *x = arg;
    char buf[256];
    while (x->ordered + x->unordered < N_ORDERED + N_UNORDERED) {
        sctpng_rcvinfo ri;
        ssize_t n = u_recv_msg(x->s, buf, sizeof(buf), &ri, U_WAIT_MS);
        if (n <= 0)
            break;
        if (ri.flags & SCTPNG_RCV_EVENT)
            continue;
        if (ri.flags & SCTPNG_RCV_UNORDERED)
            x->unordered++;
        else
            x->ordered++;
    }
    return NULL;
}

static sctpng_assoc_stats stats(sctpng_socket *s)
{
    sctpng_assoc_stats st;
    sctpng_assoc_stats_init(&st);
    assert_int_equal(sctpng_get_assoc_stats(s, 0, &st), 0);
    return st;
}

/* Let the client take in the SACKs: it is driven only by its own calls. */
static void pump(sctpng_socket *c)
{
    char buf[64];
    sctpng_rcvinfo ri;
    while (sctpng_recv(c, buf, sizeof(buf), &ri, 300) > 0)
        ;
}

static void test_counters_follow_traffic(void **state)
{
    (void)state;
    struct u_pair up;
    assert_int_equal(u_pair_open(&up), 0);
    sctpng_socket *c = up.c, *s = up.s;
    struct rx x = {.s = s};
    struct u_thread t;
    u_start(&t, receive_all, &x);
    for (int i = 0; i < N_ORDERED + N_UNORDERED; i++) {
        sctpng_sndinfo si;
        sctpng_sndinfo_init(&si);
        si.stream = (uint16_t)(i % 2);
        si.flags = i < N_ORDERED ? 0 : SCTPNG_UNORDERED;
        assert_int_equal(sctpng_send(c, "counted", 7, &si, U_WAIT_MS), 7);
    }
    u_join(&t);
    assert_int_equal(x.ordered, N_ORDERED);
    assert_int_equal(x.unordered, N_UNORDERED);
    pump(c);

    sctpng_assoc_stats cs = stats(c), ss = stats(s);
    assert_int_equal(cs.oodchunks, N_ORDERED);
    assert_int_equal(cs.ouodchunks, N_UNORDERED);
    assert_int_equal(ss.iodchunks, N_ORDERED);
    assert_int_equal(ss.iuodchunks, N_UNORDERED);
    assert_true(cs.opackets >= 1 && ss.ipackets >= 1 && ss.ipackets <= cs.opackets);
    assert_true(ss.osacks >= 1 && cs.isacks >= 1 && cs.isacks <= ss.osacks);
    assert_true(cs.octrlchunks >= 1 && cs.ictrlchunks >= cs.isacks); /* COOKIE-ECHO; SACKs */
    /* Loopback loses nothing, but on a loaded machine a T3 may still fire
     * before a delayed SACK (RTO.Min 1 s, SACK delay 200 ms): whatever was
     * sent again shows on both sides consistently. */
    assert_true(cs.fast_rtx <= cs.rtxchunks);
    assert_true(cs.t3_expiries > 0 || cs.rtxchunks == cs.fast_rtx);
    assert_true(ss.idupchunks <= cs.rtxchunks);
    assert_true(ss.outofseqtsns <= cs.rtxchunks);
    assert_true(cs.gapcnt <= cs.isacks * 4);
    assert_int_equal(cs.abandoned, 0);
    if (cs.rtxchunks)
        print_message("# %llu chunks sent again (%llu T3)\n", (unsigned long long)cs.rtxchunks,
                      (unsigned long long)cs.t3_expiries);
    /* The highest RTO names its path and is reset by the read. */
    assert_true(cs.max_rto_ms > 0);
    assert_int_equal(cs.max_rto_addr.sa.sa_family, AF_INET);
    assert_int_equal(stats(c).max_rto_ms, 0);
    u_pair_close(&up);
}

/* A caller's struct from before the last fields gets just those; a size
 * below the first layout, NULL, or no association is -EINVAL. */
static void test_struct_sizes(void **state)
{
    (void)state;
    sctpng_socket *lone = u_client(AF_INET, SCTPNG_ONE_TO_ONE, 0);
    assert_non_null(lone);
    sctpng_assoc_stats st;
    sctpng_assoc_stats_init(&st);
    assert_int_equal(sctpng_get_assoc_stats(lone, 0, &st), -EINVAL); /* not connected */
    sctpng_close(lone);
    struct u_pair up;
    assert_int_equal(u_pair_open(&up), 0);
    sctpng_socket *c = up.c;
    union {
        sctpng_assoc_stats st;
        unsigned char b[sizeof(sctpng_assoc_stats)];
    } u;
    size_t old = offsetof(sctpng_assoc_stats, fast_rtx);
    memset(&u, 0xa5, sizeof(u));
    u.st.size = old;
    assert_int_equal(sctpng_get_assoc_stats(c, 0, &u.st), 0);
    assert_int_equal(u.st.size, old);
    assert_true(u.st.opackets >= 1);
    for (size_t i = old; i < sizeof(u); i++)
        assert_int_equal(u.b[i], 0xa5);
    u.st.size = old - 1;
    assert_int_equal(sctpng_get_assoc_stats(c, 0, &u.st), -EINVAL);
    assert_int_equal(sctpng_get_assoc_stats(c, 0, NULL), -EINVAL);
    u_pair_close(&up);
}

/* All three PR-SCTP policies go through on the UDP backend; on a
 * loopback without loss nothing is abandoned, and the counters answer per
 * policy and per stream. */
static void test_pr_policies_and_counts(void **state)
{
    (void)state;
    struct u_pair up;
    assert_int_equal(u_pair_open(&up), 0);
    sctpng_socket *c = up.c, *s = up.s;
    static const uint16_t pol[] = {SCTPNG_PR_TTL, SCTPNG_PR_RTX, SCTPNG_PR_PRIO};
    for (int i = 0; i < 3; i++) {
        sctpng_sndinfo si;
        sctpng_sndinfo_init(&si);
        si.pr_policy = pol[i];
        si.pr_value = pol[i] == SCTPNG_PR_TTL ? 60000 : 3;
        assert_int_equal(sctpng_send(c, "pr", 2, &si, U_WAIT_MS), 2);
    }
    sctpng_sndinfo bad;
    sctpng_sndinfo_init(&bad);
    bad.pr_policy = 4;
    assert_int_equal(sctpng_send(c, "pr", 2, &bad, U_WAIT_MS), -EINVAL);
    char buf[16];
    sctpng_rcvinfo ri;
    for (int i = 0; i < 3; i++)
        assert_int_equal(u_recv_msg(s, buf, sizeof(buf), &ri, U_WAIT_MS), 2);
    pump(c);
    sctpng_pr_stats pr = {7, 7};
    assert_int_equal(sctpng_get_pr_stats(c, 0, SCTPNG_ALL_STREAMS, SCTPNG_PR_ALL, &pr), 0);
    assert_true(pr.abandoned_unsent == 0 && pr.abandoned_sent == 0);
    assert_int_equal(sctpng_get_pr_stats(c, 0, 0, SCTPNG_PR_RTX, &pr), 0);
    assert_int_equal(sctpng_get_pr_stats(c, 0, 0, 9, &pr), -EINVAL);
    assert_int_equal(sctpng_get_pr_stats(c, 0, 60000, SCTPNG_PR_ALL, &pr), -EINVAL);
    u_pair_close(&up);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counters_follow_traffic),
        cmocka_unit_test(test_struct_sizes),
        cmocka_unit_test(test_pr_policies_and_counts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
