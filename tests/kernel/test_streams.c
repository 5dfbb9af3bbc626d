/* test_streams.c - multistreaming: ten streams interleaved with order kept
 * per stream, stream sequence numbers, unordered delivery, PPID. */
#include <string.h>

#include "helpers.h"

#define NSTREAMS 10

/* A pair with NSTREAMS streams each way. */
static void stream_pair(int family, sctpng_socket **c, sctpng_socket **s)
{
    sctpng_socket_opts o = t_opts(family, SCTPNG_ONE_TO_ONE);
    o.ostreams = NSTREAMS;
    o.istreams = NSTREAMS;
    t_pair_opts(&o, &o, c, s);
}

struct msg_hdr {
    uint32_t stream;
    uint32_t seq; /* per-stream sequence number */
};

/* 300 messages over 10 streams in a scrambled but deterministic order;
 * each stream's messages must arrive in the order they were sent, with
 * the SSN counting up per stream, even though streams interleave. */
static void test_ten_streams_order_per_stream(void **state)
{
    (void)state;
    sctpng_socket *c, *s;
    stream_pair(AF_INET, &c, &s);

    enum { TOTAL = 300 };
    uint32_t next_seq[NSTREAMS] = {0};
    uint32_t x = 12345;
    for (int i = 0; i < TOTAL; i++) {
        x = x * 1103515245u + 12345u;
        uint16_t sid = (uint16_t)((x >> 16) % NSTREAMS);
        char msg[64];
        struct msg_hdr h = {sid, next_seq[sid]++};
        memcpy(msg, &h, sizeof(h));
        size_t len = sizeof(h) + (x >> 8) % (sizeof(msg) - sizeof(h));
        memset(msg + sizeof(h), (int)sid, len - sizeof(h));
        sctpng_sndinfo si = {.stream = sid, .ppid = 1000 + sid};
        assert_int_equal(T_OK(sctpng_send(c, msg, len, &si, T_TIMEOUT_MS)), len);
    }

    uint32_t want_seq[NSTREAMS] = {0};
    int seen_streams = 0;
    for (int i = 0; i < TOTAL; i++) {
        char buf[128];
        sctpng_rcvinfo ri;
        size_t n = t_recv_msg(s, buf, sizeof(buf), &ri);
        struct msg_hdr h;
        assert_true(n >= sizeof(h));
        memcpy(&h, buf, sizeof(h));
        assert_int_equal(ri.stream, h.stream);
        assert_int_equal(ri.ppid, 1000 + h.stream);
        assert_int_equal(h.seq, want_seq[h.stream]);
        assert_int_equal(ri.ssn, (uint16_t)want_seq[h.stream]);
        assert_false(ri.flags & SCTPNG_RCV_UNORDERED);
        for (size_t k = sizeof(h); k < n; k++)
            assert_int_equal((unsigned char)buf[k], h.stream);
        if (want_seq[h.stream]++ == 0)
            seen_streams++;
    }
    assert_int_equal(seen_streams, NSTREAMS);
    for (int k = 0; k < NSTREAMS; k++)
        assert_int_equal(want_seq[k], next_seq[k]);
    sctpng_close(c);
    sctpng_close(s);
}

/* Both directions on every stream at once, over IPv6. */
static void test_streams_both_directions_ipv6(void **state)
{
    (void)state;
    sctpng_socket *c, *s;
    stream_pair(AF_INET6, &c, &s);
    for (uint16_t sid = 0; sid < NSTREAMS; sid++) {
        sctpng_sndinfo si = {.stream = sid, .ppid = sid};
        uint32_t v = sid;
        T_OK(sctpng_send(c, &v, sizeof(v), &si, T_TIMEOUT_MS));
        v = 100u + sid;
        T_OK(sctpng_send(s, &v, sizeof(v), &si, T_TIMEOUT_MS));
    }
    for (uint16_t sid = 0; sid < NSTREAMS; sid++) {
        uint32_t v;
        sctpng_rcvinfo ri;
        assert_int_equal(t_recv_msg(s, &v, sizeof(v), &ri), sizeof(v));
        assert_int_equal(ri.stream, v);
        assert_int_equal(ri.ssn, 0);
        assert_int_equal(t_recv_msg(c, &v, sizeof(v), &ri), sizeof(v));
        assert_int_equal(ri.stream, v - 100u);
    }
    sctpng_close(c);
    sctpng_close(s);
}

/* Unordered messages are flagged as such on receipt and none is lost. */
static void test_unordered_delivery(void **state)
{
    (void)state;
    sctpng_socket *c, *s;
    stream_pair(AF_INET, &c, &s);
    enum { N = 100 };
    for (uint32_t i = 0; i < N; i++) {
        sctpng_sndinfo si = {.stream = (uint16_t)(i % 3), .flags = SCTPNG_UNORDERED, .ppid = 7};
        T_OK(sctpng_send(c, &i, sizeof(i), &si, T_TIMEOUT_MS));
    }
    unsigned char seen[N] = {0};
    for (int i = 0; i < N; i++) {
        uint32_t v;
        sctpng_rcvinfo ri;
        assert_int_equal(t_recv_msg(s, &v, sizeof(v), &ri), sizeof(v));
        assert_true(v < N);
        assert_false(seen[v]);
        seen[v] = 1;
        assert_true(ri.flags & SCTPNG_RCV_UNORDERED);
        assert_int_equal(ri.stream, v % 3);
        assert_int_equal(ri.ppid, 7);
    }
    sctpng_close(c);
    sctpng_close(s);
}

/* Ordered and unordered messages mixed on one stream: the ordered ones keep
 * their order and SSNs, unordered ones do not consume an SSN. */
static void test_unordered_mixed_with_ordered(void **state)
{
    (void)state;
    sctpng_socket *c, *s;
    stream_pair(AF_INET, &c, &s);
    enum { N = 60 };
    for (uint32_t i = 0; i < N; i++) {
        sctpng_sndinfo si = {.stream = 4, .flags = (i % 2) ? SCTPNG_UNORDERED : 0};
        T_OK(sctpng_send(c, &i, sizeof(i), &si, T_TIMEOUT_MS));
    }
    uint32_t next_ordered = 0;
    int unordered = 0;
    for (int i = 0; i < N; i++) {
        uint32_t v;
        sctpng_rcvinfo ri;
        assert_int_equal(t_recv_msg(s, &v, sizeof(v), &ri), sizeof(v));
        assert_int_equal(ri.stream, 4);
        if (v % 2) {
            assert_true(ri.flags & SCTPNG_RCV_UNORDERED);
            unordered++;
        } else {
            assert_false(ri.flags & SCTPNG_RCV_UNORDERED);
            assert_int_equal(v, next_ordered);
            assert_int_equal(ri.ssn, next_ordered / 2);
            next_ordered += 2;
        }
    }
    assert_int_equal(unordered, N / 2);
    assert_int_equal(next_ordered, N);
    sctpng_close(c);
    sctpng_close(s);
}

/* PPIDs cross in host order, including the extremes, on several streams. */
static void test_ppid_roundtrip(void **state)
{
    (void)state;
    sctpng_socket *c, *s;
    stream_pair(AF_INET6, &c, &s);
    const uint32_t ppids[] = {0,          1,          0x01020304, 0x7fffffff,
                              0x80000000, 0xfffffffe, 0xffffffff, 51 /* WebRTC string */};
    for (size_t i = 0; i < sizeof(ppids) / sizeof(ppids[0]); i++) {
        sctpng_sndinfo si = {.stream = (uint16_t)(i % NSTREAMS), .ppid = ppids[i]};
        T_OK(sctpng_send(c, "p", 1, &si, T_TIMEOUT_MS));
    }
    for (size_t i = 0; i < sizeof(ppids) / sizeof(ppids[0]); i++) {
        char b[8];
        sctpng_rcvinfo ri;
        assert_int_equal(t_recv_msg(s, b, sizeof(b), &ri), 1);
        assert_int_equal(ri.ppid, ppids[i]);
        assert_int_equal(ri.stream, i % NSTREAMS);
    }
    sctpng_close(c);
    sctpng_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ten_streams_order_per_stream),
        cmocka_unit_test(test_streams_both_directions_ipv6),
        cmocka_unit_test(test_unordered_delivery),
        cmocka_unit_test(test_unordered_mixed_with_ordered),
        cmocka_unit_test(test_ppid_roundtrip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
