/* test_udp_batch.c - sctpng_send_batch / sctpng_recv_batch on the UDP
 * backend move many messages per system call: the UDP driver's own
 * counters (datagrams and sendmmsg / recvmmsg calls) are read through the
 * backend's internals around one call. */
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

#define N_MSGS 40

static sctpng_udp_stats drv(sctpng_socket *s)
{
    sctpng_udp_stats st;
    sctpng_udp_get_stats(ub(s)->ep->udp, &st);
    return st;
}

static void fill_msgs(sctpng_send_msg *m, int n, char (*bufs)[1000], size_t len, int first)
{
    for (int i = 0; i < n; i++) {
        memset(bufs[i], 'a' + (first + i) % 26, len);
        m[i] = (sctpng_send_msg){.buf = bufs[i], .len = len};
    }
}

/* Receives until `want` data messages came (the client's calls take in
 * the SACKs that let the rest go); checks their order by content. */
static int drain(struct u_pair *up, int got, int want, size_t len)
{
    static char bufs[SCTPNG_BATCH_MAX][1000];
    sctpng_recv_msg rm[SCTPNG_BATCH_MAX];
    for (int rounds = 0; got < want && rounds < 10000; rounds++) {
        for (int i = 0; i < SCTPNG_BATCH_MAX; i++)
            rm[i] = (sctpng_recv_msg){.buf = bufs[i], .len = sizeof(bufs[i])};
        int k = sctpng_recv_batch(up->s, rm, SCTPNG_BATCH_MAX, 10);
        for (int i = 0; i < k; i++) {
            if (rm[i].info.flags & SCTPNG_RCV_EVENT)
                continue;
            assert_int_equal(rm[i].result, (ssize_t)len);
            assert_int_equal(((char *)rm[i].buf)[0], 'a' + got % 26);
            got++;
        }
        char b[8];
        sctpng_recv(up->c, b, sizeof(b), NULL, 0); /* the client pumps */
    }
    return got;
}

/* Small messages: one send_batch call queues them all before the engine
 * builds packets, so they share packets, which leave in one sendmmsg. */
static void test_small_share_packets_one_syscall(void **state)
{
    (void)state;
    struct u_pair up;
    assert_int_equal(u_pair_open(&up), 0);
    static char bufs[N_MSGS][1000];
    sctpng_send_msg m[N_MSGS];
    fill_msgs(m, N_MSGS, bufs, 64, 0);
    sctpng_udp_stats a = drv(up.c);
    assert_int_equal(sctpng_send_batch(up.c, m, N_MSGS, U_WAIT_MS), N_MSGS);
    sctpng_udp_stats b = drv(up.c);
    uint64_t pkts = b.pkts_out - a.pkts_out, calls = b.syscalls_out - a.syscalls_out;
    assert_int_equal(calls, 1);
    assert_true(pkts >= 2 && pkts <= 4); /* 40 x 80-byte chunks in 1200-byte packets */
    assert_int_equal(drain(&up, 0, N_MSGS, 64), N_MSGS);
    u_pair_close(&up);
}

/* Large messages: one packet each; one send_batch call sends what the
 * congestion window allows in one sendmmsg, and one recv_batch call on the
 * other side reads those datagrams in one recvmmsg and returns them all. */
static void test_large_many_datagrams_per_syscall(void **state)
{
    (void)state;
    struct u_pair up;
    assert_int_equal(u_pair_open(&up), 0);
    static char bufs[N_MSGS][1000];
    sctpng_send_msg m[N_MSGS];
    fill_msgs(m, N_MSGS, bufs, 1000, 0);
    sctpng_udp_stats ca = drv(up.c), sa = drv(up.s);
    assert_int_equal(sctpng_send_batch(up.c, m, N_MSGS, U_WAIT_MS), N_MSGS);
    sctpng_udp_stats cb = drv(up.c);
    uint64_t pkts = cb.pkts_out - ca.pkts_out;
    assert_int_equal(cb.syscalls_out - ca.syscalls_out, 1);
    assert_true(pkts >= 3); /* the initial cwnd: 4380 bytes */

    static char rbufs[SCTPNG_BATCH_MAX][1000];
    sctpng_recv_msg rm[SCTPNG_BATCH_MAX];
    for (int i = 0; i < SCTPNG_BATCH_MAX; i++)
        rm[i] = (sctpng_recv_msg){.buf = rbufs[i], .len = sizeof(rbufs[i])};
    int k = sctpng_recv_batch(up.s, rm, SCTPNG_BATCH_MAX, U_WAIT_MS);
    sctpng_udp_stats sb = drv(up.s);
    assert_true(k >= 2);
    assert_true(sb.pkts_in - sa.pkts_in >= 2);
    assert_true(sb.pkts_in - sa.pkts_in > sb.syscalls_in - sa.syscalls_in);
    int got = 0;
    for (int i = 0; i < k; i++) {
        assert_false(rm[i].info.flags & SCTPNG_RCV_EVENT);
        assert_int_equal(rm[i].result, 1000);
        assert_true(rm[i].info.flags & SCTPNG_RCV_COMPLETE);
        assert_int_equal(rbufs[i][0], 'a' + got % 26);
        got++;
    }
    assert_int_equal(drain(&up, got, N_MSGS, 1000), N_MSGS);
    u_pair_close(&up);
}

/* The end of the association after some data: the data first, the end
 * in the next call (never lost behind the batch). */
static void test_end_after_data(void **state)
{
    (void)state;
    struct u_pair up;
    assert_int_equal(u_pair_open(&up), 0);
    static char bufs[N_MSGS][1000];
    sctpng_send_msg m[3];
    fill_msgs(m, 3, bufs, 10, 0);
    assert_int_equal(sctpng_send_batch(up.c, m, 3, U_WAIT_MS), 3);
    assert_int_equal(sctpng_abort(up.c, 0), 0);
    static char rbufs[8][1000];
    sctpng_recv_msg rm[8];
    int got = 0, ended = 0;
    for (int rounds = 0; rounds < 100 && !ended; rounds++) {
        for (int i = 0; i < 8; i++)
            rm[i] = (sctpng_recv_msg){.buf = rbufs[i], .len = sizeof(rbufs[i])};
        int k = sctpng_recv_batch(up.s, rm, 8, U_WAIT_MS);
        if (k == -ECONNRESET) {
            ended = 1;
            break;
        }
        assert_true(k > 0);
        for (int i = 0; i < k; i++) {
            if (rm[i].info.flags & SCTPNG_RCV_EVENT)
                continue;
            if (rm[i].result == 0) {
                ended = 2;
                break;
            }
            got++;
        }
    }
    assert_int_equal(got, 3);
    assert_int_equal(ended, 1);
    u_pair_close(&up);
}

/* A receiver that drains with recv_batch leaves nothing to signal: no
 * eventfd write for what it takes itself; and the timerfd follows the
 * engine's deadline only when it comes sooner (T3 restarted by every SACK
 * does not re-arm it). Counted on both sides over a transfer of 400
 * one-packet messages. */
static void test_no_wakeup_syscalls_per_packet(void **state)
{
    (void)state;
    struct u_pair up;
    assert_int_equal(u_pair_open(&up), 0);
    struct ub_ep *cep = ub(up.c)->ep, *sep = ub(up.s)->ep;
    uint64_t sw = sep->efd_writes, st = sep->tfd_sets, ct = cep->tfd_sets;
    uint64_t pin = drv(up.s).pkts_in;
    static char bufs[N_MSGS][1000];
    sctpng_send_msg m[N_MSGS];
    int got = 0;
    for (int round = 0; round < 10; round++) {
        fill_msgs(m, N_MSGS, bufs, 1000, round * N_MSGS);
        int sent = 0;
        for (int tries = 0; sent < N_MSGS && tries < 10000; tries++) {
            int r = sctpng_send_batch(up.c, m + sent, (size_t)(N_MSGS - sent), 0);
            assert_true(r > 0 || r == -EAGAIN);
            sent += r > 0 ? r : 0;
            got = drain(&up, got, got + 1, 1000);
        }
        assert_int_equal(sent, N_MSGS);
    }
    got = drain(&up, got, 10 * N_MSGS, 1000);
    assert_int_equal(got, 10 * N_MSGS);
    uint64_t pkts = drv(up.s).pkts_in - pin;
    assert_true(pkts >= 10 * N_MSGS);
    print_message("%llu packets: server eventfd writes %llu, timerfd_settime %llu; client %llu\n",
                  (unsigned long long)pkts, (unsigned long long)(sep->efd_writes - sw),
                  (unsigned long long)(sep->tfd_sets - st),
                  (unsigned long long)(cep->tfd_sets - ct));
    assert_true(sep->efd_writes - sw <= 2);
    assert_true((sep->tfd_sets - st) * 40 <= pkts);
    assert_true((cep->tfd_sets - ct) * 40 <= pkts);
    u_pair_close(&up);
}

int main(void)
{
    /* The counts here are of 1200-byte packets: PLPMTUD (on by default)
     * would put these messages in a few 64 KiB loopback packets. */
    setenv("SCTPNG_UDP_MTU", "1200", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_share_packets_one_syscall),
        cmocka_unit_test(test_large_many_datagrams_per_syscall),
        cmocka_unit_test(test_end_after_data),
        cmocka_unit_test(test_no_wakeup_syscalls_per_packet),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
