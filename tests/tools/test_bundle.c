/* test_bundle.c - sctpng_send_batch packs the messages of one call into
 * shared packets (SCTPNG_OPT_BATCH_BUNDLE), against kernel SCTP: fewer
 * packets than messages, nothing held once the call returns, no stall with
 * a tiny send buffer, runs cut where the association changes, and the
 * option itself. Packet counts come from the kernel (SCTP_GET_ASSOC_STATS). */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/sctp.h>

#include "kernel/helpers.h"

#define SMALL 64

/* Packets the kernel has sent on the socket's (one-to-one) association. */
static uint64_t out_packets(sctpng_socket *s)
{
    struct sctp_assoc_stats st;
    socklen_t len = sizeof(st);
    memset(&st, 0, sizeof(st));
    assert_int_equal(getsockopt(sctpng_fd(s), IPPROTO_SCTP, SCTP_GET_ASSOC_STATS, &st, &len), 0);
    return st.sas_opackets;
}

/* Message i of a run: its index and tag in the first 8 bytes. */
static void fill(uint8_t *buf, uint32_t tag, uint32_t i)
{
    memset(buf, 0, SMALL);
    memcpy(buf, &tag, 4);
    memcpy(buf + 4, &i, 4);
    t_pattern(buf + 8, SMALL - 8, i ^ tag);
}

/* Receive `n` messages tagged `tag`, numbered first..first+n-1 in order;
 * each must arrive within T_TIMEOUT_MS with no further send. */
static void expect_run(sctpng_socket *s, uint32_t tag, uint32_t first, uint32_t n)
{
    uint8_t buf[256];
    for (uint32_t i = first; i < first + n; i++) {
        uint32_t got_tag, got_i;
        assert_int_equal(t_recv_msg(s, buf, sizeof(buf), NULL), SMALL);
        memcpy(&got_tag, buf, 4);
        memcpy(&got_i, buf + 4, 4);
        assert_int_equal(got_tag, tag);
        assert_int_equal(got_i, i);
        assert_true(t_check_pattern(buf + 8, SMALL - 8, i ^ tag));
    }
}

static uint8_t bufs[256][SMALL];
static sctpng_send_msg msgs[256];

/* Batch entries 0..n-1 for messages first..first+n-1 with this info. */
static void prepare(uint32_t tag, uint32_t first, size_t n, const sctpng_sndinfo *info)
{
    for (size_t k = 0; k < n; k++) {
        fill(bufs[k], tag, first + (uint32_t)k);
        msgs[k] = (sctpng_send_msg){.buf = bufs[k], .len = SMALL, .info = info};
    }
}

/* Send msgs[0..n) completely, calling again after partial batches (each
 * call waiting up to T_TIMEOUT_MS for room). */
static void send_all(sctpng_socket *s, size_t n)
{
    for (size_t done = 0; done < n;)
        done += (size_t)T_OK(sctpng_send_batch(s, msgs + done, n - done, T_TIMEOUT_MS));
}

/* One batch of 32 small messages: how many packets it took. */
static uint64_t packets_for_batch(sctpng_socket *c, sctpng_socket *s, uint32_t tag)
{
    uint64_t before = out_packets(c);
    prepare(tag, 0, 32, NULL);
    assert_int_equal(T_OK(sctpng_send_batch(c, msgs, 32, T_TIMEOUT_MS)), 32);
    expect_run(s, tag, 0, 32);
    return out_packets(c) - before;
}

/* With SCTP_NODELAY each message would be a packet; bundled, the batch
 * shares a few, and every message still arrives without another send. */
static void test_batch_shares_packets(void **state)
{
    sctpng_socket *c, *s;
    t_pair(AF_INET, &c, &s);
    T_OK(sctpng_setopt(c, SCTPNG_OPT_NODELAY, 1));
    uint64_t bundled = packets_for_batch(c, s, 1);
    T_OK(sctpng_setopt(c, SCTPNG_OPT_BATCH_BUNDLE, 0));
    uint64_t single = packets_for_batch(c, s, 2);
    print_message("# 32 messages: %llu packets bundled, %llu without\n",
                  (unsigned long long)bundled, (unsigned long long)single);
    assert_true(bundled >= 1 && bundled <= 4);
    assert_true(single >= 24);
    sctpng_close(c);
    sctpng_close(s);
}

/* The receiver reads between rounds of ROUND messages: its buffer is
 * charged about 1 KiB per small message, so more than this unread would
 * close its window and stall any sender. */
#define ROUND  128
#define ROUNDS 8

/* A send buffer far smaller than a whole batch: runs stay within half of
 * it, so the held messages never fill it and everything goes through. */
static void test_tiny_send_buffer(void **state)
{
    sctpng_socket *c, *s;
    t_pair(AF_INET, &c, &s);
    T_OK(sctpng_setopt(c, SCTPNG_OPT_NODELAY, 1));
    T_OK(sctpng_setopt(c, SCTPNG_OPT_SNDBUF, 4096));
    for (uint32_t round = 0; round < ROUNDS; round++) {
        prepare(3, round * ROUND, ROUND, NULL);
        send_all(c, ROUND);
        expect_run(s, 3, round * ROUND, ROUND);
    }
    sctpng_close(c);
    sctpng_close(s);
}

/* Send msgs[0..n) with timeout 0, waiting for POLLOUT by hand after each
 * -EAGAIN; returns how many times the buffer was full. */
static size_t send_all_nonblocking(sctpng_socket *c, size_t n)
{
    size_t done = 0, stops = 0;
    while (done < n) {
        int r = sctpng_send_batch(c, msgs + done, n - done, 0);
        if (r == -EAGAIN) {
            stops++;
            struct pollfd p = {.fd = sctpng_fd(c), .events = (short)sctpng_poll_events(c)};
            assert_true(p.events & POLLOUT);
            assert_int_equal(poll(&p, 1, T_TIMEOUT_MS), 1);
            continue;
        }
        done += (size_t)T_OK(r);
    }
    return stops;
}

/* Without waiting (timeout 0) the batch stops at a full buffer; sending
 * the rest once POLLOUT comes releases what was held. */
static void test_partial_then_rest(void **state)
{
    sctpng_socket *c, *s;
    t_pair(AF_INET, &c, &s);
    T_OK(sctpng_setopt(c, SCTPNG_OPT_SNDBUF, 4096));
    size_t stops = 0;
    for (uint32_t round = 0; round < ROUNDS; round++) {
        prepare(4, round * ROUND, ROUND, NULL);
        stops += send_all_nonblocking(c, ROUND);
        expect_run(s, 4, round * ROUND, ROUND);
    }
    print_message("# the buffer was full %zu times\n", stops);
    assert_true(stops >= 1);
    sctpng_close(c);
    sctpng_close(s);
}

/* One-to-many: a batch that alternates between two associations, and one
 * that ends on another association; each gets all of its messages. */
static void test_runs_per_association(void **state)
{
    sctpng_addr at;
    sctpng_socket *srv = t_listener(AF_INET, SCTPNG_ONE_TO_MANY, &at);
    sctpng_socket *c[2];
    sctpng_assoc_t ids[2];
    for (int k = 0; k < 2; k++) {
        c[k] = t_open(AF_INET, SCTPNG_ONE_TO_ONE);
        T_OK(sctpng_connect(c[k], &at, 1, NULL, T_TIMEOUT_MS));
    }
    assert_int_equal(T_OK(sctpng_get_assoc_ids(srv, ids, 2)), 2);
    sctpng_sndinfo si[2];
    for (int k = 0; k < 2; k++) {
        sctpng_sndinfo_init(&si[k]);
        si[k].assoc = ids[k];
    }
    /* 0 1 0 1 ... then 0 x 10 closed by one for 1. */
    for (uint32_t i = 0; i < 20; i++) {
        fill(bufs[i], (uint32_t)ids[i % 2], i / 2);
        msgs[i] = (sctpng_send_msg){.buf = bufs[i], .len = SMALL, .info = &si[i % 2]};
    }
    for (uint32_t i = 20; i < 31; i++) {
        int k = i < 30 ? 0 : 1;
        fill(bufs[i], (uint32_t)ids[k], k == 0 ? i - 10 : 10);
        msgs[i] = (sctpng_send_msg){.buf = bufs[i], .len = SMALL, .info = &si[k]};
    }
    T_OK(sctpng_setopt(srv, SCTPNG_OPT_NODELAY, 1));
    send_all(srv, 31);
    /* Which client has which association: the first message's tag says. */
    for (int k = 0; k < 2; k++) {
        uint8_t buf[256];
        uint32_t tag, i;
        assert_int_equal(t_recv_msg(c[k], buf, sizeof(buf), NULL), SMALL);
        memcpy(&tag, buf, 4);
        memcpy(&i, buf + 4, 4);
        assert_int_equal(i, 0);
        assert_true(tag == (uint32_t)ids[0] || tag == (uint32_t)ids[1]);
        expect_run(c[k], tag, 1, tag == (uint32_t)ids[0] ? 19 : 10);
    }
    for (int k = 0; k < 2; k++)
        sctpng_close(c[k]);
    sctpng_close(srv);
}

static void test_option(void **state)
{
    sctpng_socket *c = t_open(AF_INET, SCTPNG_ONE_TO_ONE);
    int v = -1;
    T_OK(sctpng_getopt(c, SCTPNG_OPT_BATCH_BUNDLE, &v));
    assert_int_equal(v, 1);
    T_ERR(sctpng_setopt(c, SCTPNG_OPT_BATCH_BUNDLE, 2), -EINVAL);
    T_ERR(sctpng_setopt(c, SCTPNG_OPT_BATCH_BUNDLE, -1), -EINVAL);
    T_OK(sctpng_setopt(c, SCTPNG_OPT_BATCH_BUNDLE, 0));
    T_OK(sctpng_getopt(c, SCTPNG_OPT_BATCH_BUNDLE, &v));
    assert_int_equal(v, 0);
    sctpng_close(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_batch_shares_packets),
        cmocka_unit_test(test_tiny_send_buffer),
        cmocka_unit_test(test_partial_then_rest),
        cmocka_unit_test(test_runs_per_association),
        cmocka_unit_test(test_option),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
