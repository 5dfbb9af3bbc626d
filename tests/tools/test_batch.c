/* test_batch.c - sctpng_send_batch / sctpng_recv_batch against kernel
 * SCTP: per-message info both ways, slicing past SCTPNG_BATCH_MAX,
 * checks before anything is sent, partial results, pieces, events, end
 * of stream and timeouts. */
#include <errno.h>
#include <poll.h>
#include <string.h>

#include "kernel/helpers.h"

#define N 150

/* Message i: stream i % 5, PPID 1000 + i, 1 + i*7 % 300 bytes, its
 * index in the first 4 bytes, then a pattern. */
static size_t msg_len(int i)
{
    return 4 + (size_t)(i * 7 % 300);
}

static void make_msg(int i, uint8_t *buf, sctpng_sndinfo *si)
{
    memcpy(buf, &i, 4);
    t_pattern(buf + 4, msg_len(i) - 4, (uint32_t)i);
    sctpng_sndinfo_init(si);
    si->stream = (uint16_t)(i % 5);
    si->ppid = 1000u + (uint32_t)i;
}

/* Send msgs[0..n) completely, calling again after partial batches. */
static void send_all(sctpng_socket *s, sctpng_send_msg *m, size_t n)
{
    size_t done = 0;
    while (done < n) {
        int r = (int)T_OK(sctpng_send_batch(s, m + done, n - done, T_TIMEOUT_MS));
        assert_true(r >= 1 && (size_t)r <= n - done);
        for (int i = 0; i < r; i++)
            assert_int_equal(m[done + (size_t)i].result, (ssize_t)m[done + (size_t)i].len);
        done += (size_t)r;
    }
}

static uint8_t bufs[N][512];
static sctpng_sndinfo infos[N];
static sctpng_send_msg smsgs[N];
static sctpng_recv_msg rmsgs[SCTPNG_BATCH_MAX];
static uint8_t rbufs[SCTPNG_BATCH_MAX][512];

static void prepare(size_t n)
{
    for (size_t i = 0; i < n; i++) {
        make_msg((int)i, bufs[i], &infos[i]);
        smsgs[i] = (sctpng_send_msg){.buf = bufs[i], .len = msg_len((int)i), .info = &infos[i]};
    }
    for (size_t i = 0; i < SCTPNG_BATCH_MAX; i++)
        rmsgs[i] = (sctpng_recv_msg){.buf = rbufs[i], .len = sizeof(rbufs[i])};
}

/* Check one received entry against the message it carries; returns its
 * index. */
static int check_entry(const sctpng_recv_msg *m)
{
    int i;
    assert_true(m->result >= 4);
    assert_false(m->info.flags & SCTPNG_RCV_EVENT);
    assert_true(m->info.flags & SCTPNG_RCV_COMPLETE);
    memcpy(&i, m->buf, 4);
    assert_true(i >= 0 && i < N);
    assert_int_equal(m->result, (ssize_t)msg_len(i));
    assert_int_equal(m->info.stream, i % 5);
    assert_int_equal(m->info.ppid, 1000u + (uint32_t)i);
    assert_true(t_check_pattern((uint8_t *)m->buf + 4, msg_len(i) - 4, (uint32_t)i));
    return i;
}

/* Receive n messages with recv_batch; each stream's arrive in order. */
static void recv_all(sctpng_socket *s, size_t n)
{
    int last[5] = {-1, -1, -1, -1, -1};
    size_t got = 0, calls = 0;
    while (got < n) {
        int r = (int)T_OK(sctpng_recv_batch(s, rmsgs, SCTPNG_BATCH_MAX, T_TIMEOUT_MS));
        assert_true(r >= 1 && r <= SCTPNG_BATCH_MAX);
        calls++;
        for (int k = 0; k < r; k++) {
            int i = check_entry(&rmsgs[k]);
            assert_true(i > last[i % 5]);
            last[i % 5] = i;
        }
        got += (size_t)r;
    }
    assert_int_equal(got, n);
    print_message("# %zu messages in %zu receive calls\n", n, calls);
}

static void test_roundtrip(void **state)
{
    sctpng_socket *c, *s;
    t_pair(AF_INET, &c, &s);
    prepare(N);
    send_all(c, smsgs, N); /* 150 > SCTPNG_BATCH_MAX: sliced */
    recv_all(s, N);
    sctpng_close(c);
    sctpng_close(s);
}

static void test_one_to_many_events(void **state)
{
    sctpng_addr at;
    sctpng_socket *srv = t_listener(AF_INET6, SCTPNG_ONE_TO_MANY, &at);
    T_OK(sctpng_subscribe(srv, SCTPNG_EVMASK(SCTPNG_EV_ASSOC_CHANGE), true));
    sctpng_socket *c = t_open(AF_INET6, SCTPNG_ONE_TO_ONE);
    T_OK(sctpng_connect(c, &at, 1, NULL, T_TIMEOUT_MS));
    prepare(10);
    send_all(c, smsgs, 10);
    /* First an ASSOC_CHANGE event, then the data, all from one association. */
    size_t got = 0;
    bool comm_up = false;
    sctpng_assoc_t id = 0;
    while (got < 10) {
        int r = (int)T_OK(sctpng_recv_batch(srv, rmsgs, SCTPNG_BATCH_MAX, T_TIMEOUT_MS));
        for (int k = 0; k < r; k++) {
            if (rmsgs[k].info.flags & SCTPNG_RCV_EVENT) {
                assert_int_equal(rmsgs[k].info.event.kind, SCTPNG_EV_ASSOC_CHANGE);
                assert_int_equal(rmsgs[k].info.event.u.assoc_change.state, SCTPNG_COMM_UP);
                assert_int_equal(got, 0);
                comm_up = true;
                id = rmsgs[k].info.event.assoc;
                continue;
            }
            check_entry(&rmsgs[k]);
            assert_int_equal(rmsgs[k].info.assoc, id);
            got++;
        }
    }
    assert_true(comm_up);
    sctpng_close(c);
    sctpng_close(srv);
}

/* An invalid entry anywhere: nothing is sent, the entry says why. */
static void test_checks_before_sending(void **state)
{
    sctpng_socket *c, *s;
    t_pair(AF_INET, &c, &s);
    prepare(5);
    sctpng_sndinfo bad = infos[3];
    bad.flags = 1u << 20;
    smsgs[3].info = &bad;
    assert_int_equal(sctpng_send_batch(c, smsgs, 5, T_TIMEOUT_MS), -EINVAL);
    assert_int_equal(smsgs[3].result, -EINVAL);
    bad.flags = 0;
    bad.pr_policy = 99;
    assert_int_equal(sctpng_send_batch(c, smsgs, 5, 0), -EINVAL);
    smsgs[3].info = &infos[3];
    smsgs[1].buf = NULL;
    assert_int_equal(sctpng_send_batch(c, smsgs, 5, 0), -EINVAL);
    assert_int_equal(sctpng_recv_batch(s, rmsgs, 4, 300), -ETIMEDOUT);
    assert_int_equal(sctpng_recv_batch(s, rmsgs, 4, 0), -EAGAIN);
    assert_int_equal(sctpng_send_batch(c, smsgs, 0, 0), 0);
    assert_int_equal(sctpng_send_batch(NULL, smsgs, 1, 0), -EINVAL);
    sctpng_close(c);
    sctpng_close(s);
}

/* A message longer than its entry continues in the next entries. */
static void test_pieces(void **state)
{
    sctpng_socket *c, *s;
    t_pair(AF_INET, &c, &s);
    uint8_t big[1000];
    t_pattern(big, sizeof(big), 7);
    T_OK(sctpng_send(c, big, sizeof(big), NULL, T_TIMEOUT_MS));
    uint8_t small[4][300], all[1200];
    sctpng_recv_msg m[4];
    for (int i = 0; i < 4; i++)
        m[i] = (sctpng_recv_msg){.buf = small[i], .len = sizeof(small[i])};
    size_t got = 0, k = 0;
    bool complete = false;
    while (!complete) {
        int r = (int)T_OK(sctpng_recv_batch(s, m + k, 4 - k, T_TIMEOUT_MS));
        for (int i = 0; i < r; i++, k++) {
            memcpy(all + got, m[k].buf, (size_t)m[k].result);
            got += (size_t)m[k].result;
            complete = m[k].info.flags & SCTPNG_RCV_COMPLETE;
            assert_true(complete == (got == sizeof(big)));
        }
    }
    assert_int_equal(k, 4);
    assert_true(t_check_pattern(all, sizeof(big), 7));
    sctpng_close(c);
    sctpng_close(s);
}

/* A full send buffer: the batch stops early, the next call says -EAGAIN,
 * and the socket asks to wait for POLLOUT. */
static void test_partial_send(void **state)
{
    sctpng_socket *c, *s;
    t_pair(AF_INET, &c, &s);
    T_OK(sctpng_setopt(c, SCTPNG_OPT_SNDBUF, 16384));
    static uint8_t chunk[8192];
    sctpng_send_msg m[SCTPNG_BATCH_MAX];
    for (int i = 0; i < SCTPNG_BATCH_MAX; i++)
        m[i] = (sctpng_send_msg){.buf = chunk, .len = sizeof(chunk)};
    int total = 0, r;
    while ((r = sctpng_send_batch(c, m, SCTPNG_BATCH_MAX, 0)) > 0) {
        assert_true(r < SCTPNG_BATCH_MAX || total == 0);
        total += r;
        assert_true(total < 100000);
    }
    assert_int_equal(r, -EAGAIN);
    assert_true(total >= 1);
    assert_true(sctpng_poll_events(c) & POLLOUT);
    print_message("# %d messages of 8 KiB before the buffer was full\n", total);
    sctpng_close(c);
    sctpng_close(s);
}

/* End of stream is the last entry of a batch. */
static void test_end_of_stream(void **state)
{
    sctpng_socket *c, *s;
    t_pair(AF_INET, &c, &s);
    prepare(3);
    send_all(c, smsgs, 3);
    T_OK(sctpng_shutdown(c, 0));
    size_t data = 0;
    for (;;) {
        int r = (int)T_OK(sctpng_recv_batch(s, rmsgs, SCTPNG_BATCH_MAX, T_TIMEOUT_MS));
        int k;
        for (k = 0; k < r && rmsgs[k].result > 0; k++)
            data++;
        if (k < r) {
            assert_int_equal(rmsgs[k].result, 0);
            assert_int_equal(k, r - 1); /* nothing after the end */
            break;
        }
    }
    assert_int_equal(data, 3);
    sctpng_close(c);
    sctpng_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_one_to_many_events),
        cmocka_unit_test(test_checks_before_sending),
        cmocka_unit_test(test_pieces),
        cmocka_unit_test(test_partial_send),
        cmocka_unit_test(test_end_of_stream),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
