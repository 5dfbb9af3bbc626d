/* test_udp_gso.c - UDP GSO and GRO on the UDP backend, through the real
 * kernel: equal-size packets leave as one UDP_SEGMENT datagram and reach a
 * UDP_GRO socket as one buffer, which the driver cuts back into packets;
 * GSO is off unless SCTPNG_UDP_GSO=1 (kernel SCTP over UDP on the same
 * host crashes on it on Linux 6.1), SCTPNG_UDP_GRO=0 turns GRO off; a
 * GSO send the kernel refuses (SO_NO_CHECK on the socket: EINVAL) goes again as plain
 * datagrams, and after a few refusals GSO stays off. A kernel without
 * UDP_SEGMENT (before 4.18) makes the tests that need it skip. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "backend_udp/ub.h"
#include "uhelp.h"

#define N_MSGS 200
#define LEN    1000

static sctpng_udp_stats drv(sctpng_socket *s)
{
    sctpng_udp_stats st;
    sctpng_udp_get_stats(ub(s)->ep->udp, &st);
    return st;
}

/* Sends N_MSGS messages of LEN bytes in batches and receives them all on
 * the other side, in order. */
static void transfer(struct u_pair *up)
{
    static char out[SCTPNG_BATCH_MAX][LEN], in[SCTPNG_BATCH_MAX][LEN];
    sctpng_send_msg m[SCTPNG_BATCH_MAX];
    sctpng_recv_msg rm[SCTPNG_BATCH_MAX];
    int sent = 0, got = 0;
    for (int rounds = 0; got < N_MSGS && rounds < 20000; rounds++) {
        int k = 0;
        for (; k < SCTPNG_BATCH_MAX && sent + k < N_MSGS; k++) {
            memset(out[k], 'a' + (sent + k) % 26, LEN);
            m[k] = (sctpng_send_msg){.buf = out[k], .len = LEN};
        }
        if (k) {
            int r = sctpng_send_batch(up->c, m, (size_t)k, 0);
            assert_true(r > 0 || r == -EAGAIN);
            sent += r > 0 ? r : 0;
        }
        for (int i = 0; i < SCTPNG_BATCH_MAX; i++)
            rm[i] = (sctpng_recv_msg){.buf = in[i], .len = LEN};
        int n = sctpng_recv_batch(up->s, rm, SCTPNG_BATCH_MAX, 10);
        for (int i = 0; i < n; i++) {
            if (rm[i].info.flags & SCTPNG_RCV_EVENT)
                continue;
            assert_int_equal(rm[i].result, LEN);
            assert_int_equal(in[i][0], 'a' + got % 26);
            assert_int_equal(in[i][LEN - 1], 'a' + got % 26);
            got++;
        }
        char b[8];
        sctpng_recv(up->c, b, sizeof(b), NULL, 0); /* the client takes in SACKs */
    }
    assert_int_equal(got, N_MSGS);
}

static int open_pair(struct u_pair *up, const char *gso, const char *gro)
{
    setenv("SCTPNG_UDP_GSO", gso, 1);
    setenv("SCTPNG_UDP_GRO", gro, 1);
    int err = u_pair_open(up);
    unsetenv("SCTPNG_UDP_GSO");
    unsetenv("SCTPNG_UDP_GRO");
    return err;
}

static void test_gso_to_gro(void **state)
{
    (void)state;
    struct u_pair up;
    assert_int_equal(open_pair(&up, "1", "1"), 0);
    sctpng_udp_stats c0 = drv(up.c);
    if (!c0.gso_on || !drv(up.s).gro_on) {
        u_pair_close(&up);
        skip(); /* the kernel has no UDP_SEGMENT / UDP_GRO */
    }
    transfer(&up);
    sctpng_udp_stats c = drv(up.c), s = drv(up.s);
    assert_true(c.gso_sends > 0);
    assert_true(c.gso_segs >= 2 * c.gso_sends);
    assert_int_equal(c.gso_fallbacks, 0);
    assert_true(c.gso_on);
    /* Loopback hands a GSO datagram whole to a GRO socket. */
    assert_true(s.gro_bufs > 0);
    assert_true(s.gro_segs >= 2 * s.gro_bufs);
    assert_true(s.pkts_in > s.syscalls_in);
    u_pair_close(&up);
}

/* Without GRO on the receiver the kernel cuts GSO datagrams itself: the
 * same packets arrive one by one. */
static void test_gso_without_gro(void **state)
{
    (void)state;
    struct u_pair up;
    assert_int_equal(open_pair(&up, "1", "0"), 0);
    if (!drv(up.c).gso_on) {
        u_pair_close(&up);
        skip();
    }
    assert_false(drv(up.s).gro_on);
    transfer(&up);
    sctpng_udp_stats c = drv(up.c), s = drv(up.s);
    assert_true(c.gso_sends > 0);
    assert_int_equal(s.gro_bufs, 0);
    assert_true(s.pkts_in >= (uint64_t)N_MSGS);
    u_pair_close(&up);
}

static void test_forced_off(void **state)
{
    (void)state;
    struct u_pair up;
    assert_int_equal(open_pair(&up, "0", "0"), 0);
    assert_false(drv(up.c).gso_on);
    assert_false(drv(up.s).gro_on);
    transfer(&up);
    sctpng_udp_stats c = drv(up.c), s = drv(up.s);
    assert_int_equal(c.gso_sends, 0);
    assert_int_equal(s.gro_bufs, 0);
    assert_true(c.pkts_out >= (uint64_t)N_MSGS);
    /* Still many datagrams per sendmmsg. */
    assert_true(c.pkts_out > c.syscalls_out);
    u_pair_close(&up);
}

/* SO_NO_CHECK makes the kernel refuse every GSO send (EINVAL): each is
 * sent again as plain datagrams, and GSO is given up after a few. */
static void test_refused_falls_back(void **state)
{
    (void)state;
    struct u_pair up;
    assert_int_equal(open_pair(&up, "1", "1"), 0);
    if (!drv(up.c).gso_on) {
        u_pair_close(&up);
        skip();
    }
    int one = 1, fd = sctpng_udp_fd(ub(up.c)->ep->udp);
    assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_NO_CHECK, &one, sizeof(one)), 0);
    transfer(&up);
    sctpng_udp_stats c = drv(up.c);
    assert_true(c.gso_fallbacks > 0);
    assert_false(c.gso_on);
    assert_int_equal(c.send_errors, 0);
    u_pair_close(&up);
}

/* GSO is opt-in (a GSO datagram to kernel SCTP's UDP encapsulation on
 * the same host trips a Linux 6.1 kernel BUG); GRO is on by default. */
static void test_defaults(void **state)
{
    (void)state;
    unsetenv("SCTPNG_UDP_GSO");
    unsetenv("SCTPNG_UDP_GRO");
    struct u_pair up;
    assert_int_equal(u_pair_open(&up), 0);
    assert_false(drv(up.c).gso_on);
    transfer(&up);
    assert_int_equal(drv(up.c).gso_sends, 0);
    u_pair_close(&up);
    sctpng_udp_config cfg;
    sctpng_udp_config_init(&cfg);
    assert_false(cfg.gso);
    assert_true(cfg.gro);
}

static void test_env_checked(void **state)
{
    (void)state;
    char msg[128];
    setenv("SCTPNG_UDP_GSO", "yes", 1);
    assert_int_equal(sctpng_env_check(msg, sizeof(msg)), -EINVAL);
    assert_non_null(strstr(msg, "SCTPNG_UDP_GSO=yes"));
    assert_null(u_open(AF_INET, SCTPNG_ONE_TO_ONE, 0));
    unsetenv("SCTPNG_UDP_GSO");
    setenv("SCTPNG_UDP_GRO", "2", 1);
    assert_int_equal(sctpng_env_check(msg, sizeof(msg)), -EINVAL);
    unsetenv("SCTPNG_UDP_GRO");
    assert_int_equal(sctpng_env_check(msg, sizeof(msg)), 0);
}

int main(void)
{
    /* The counts here are of 1200-byte packets: PLPMTUD (on by default)
     * would put these messages in a few 64 KiB loopback packets. */
    setenv("SCTPNG_UDP_MTU", "1200", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),           cmocka_unit_test(test_gso_to_gro),
        cmocka_unit_test(test_gso_without_gro),    cmocka_unit_test(test_forced_off),
        cmocka_unit_test(test_refused_falls_back), cmocka_unit_test(test_env_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
