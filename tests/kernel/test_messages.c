/* test_messages.c - message boundaries from 1 B to 256 KiB, fragmentation,
 * partial delivery, gathered sends, receive information (RCVINFO, NXTINFO,
 * source address). */
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#define MAX_MSG (256 * 1024)

/* Sizes around the interesting edges: one byte, one DATA chunk on a
 * 1500/64K-MTU path, fragmentation, the 64 KiB boundary and 256 KiB. */
static const size_t sizes[] = {1,     2,     3,      100,    1000,        1452,   1453,
                               1500,  4095,  4096,   9000,   16384,       65535,  65536,
                               65537, 99999, 131072, 200000, MAX_MSG - 1, MAX_MSG};
#define NSIZES (sizeof(sizes) / sizeof(sizes[0]))

/* Linux refuses a message larger than the socket's send buffer
 * (-EMSGSIZE); the default (wmem_default, about 208 KiB) is below 256 KiB,
 * so tests with big messages ask for more. */
static void big_buffers(sctpng_socket *c, sctpng_socket *s)
{
    T_OK(sctpng_setopt(c, SCTPNG_OPT_SNDBUF, 2 * MAX_MSG));
    T_OK(sctpng_setopt(s, SCTPNG_OPT_RCVBUF, 2 * MAX_MSG));
    int v = 0;
    T_OK(sctpng_getopt(c, SCTPNG_OPT_SNDBUF, &v));
    assert_true(v >= MAX_MSG);
}

/* Every size sent back to back; each must come out as exactly one message
 * with its bytes intact: boundaries are kept, fragments reassembled. */
static void sizes_roundtrip(int family)
{
    sctpng_socket *c, *s;
    t_pair(family, &c, &s);
    big_buffers(c, s);
    T_OK(sctpng_setopt(c, SCTPNG_OPT_NODELAY, 1));
    uint8_t *out = malloc(MAX_MSG);
    uint8_t *in = malloc(MAX_MSG + 16);
    assert_non_null(out);
    assert_non_null(in);
    size_t got = 0;
    /* One thread plays both ends: send without waiting, and when the send
     * buffer is full, receive a message to make room. */
    for (size_t sent = 0; sent < NSIZES; sent++) {
        t_pattern(out, sizes[sent], (uint32_t)sent);
        sctpng_sndinfo si = {.ppid = (uint32_t)sizes[sent]};
        for (;;) {
            ssize_t r = sctpng_send(c, out, sizes[sent], &si, 0);
            if (r != -EAGAIN) {
                assert_int_equal(T_OK(r), sizes[sent]);
                break;
            }
            assert_true(got < sent);
            sctpng_rcvinfo ri;
            size_t n = t_recv_msg(s, in, MAX_MSG + 16, &ri);
            assert_int_equal(n, sizes[got]);
            assert_int_equal(ri.ppid, sizes[got]);
            assert_true(t_check_pattern(in, n, (uint32_t)got));
            got++;
        }
    }
    while (got < NSIZES) {
        sctpng_rcvinfo ri;
        size_t n = t_recv_msg(s, in, MAX_MSG + 16, &ri);
        assert_int_equal(n, sizes[got]);
        assert_int_equal(ri.ppid, sizes[got]);
        assert_true(t_check_pattern(in, n, (uint32_t)got));
        got++;
    }
    free(out);
    free(in);
    sctpng_close(c);
    sctpng_close(s);
}

static void test_sizes_1B_to_256KiB_ipv4(void **state)
{
    (void)state;
    sizes_roundtrip(AF_INET);
}

static void test_sizes_1B_to_256KiB_ipv6(void **state)
{
    (void)state;
    sizes_roundtrip(AF_INET6);
}

/* A message larger than the fragmentation point is cut into several DATA
 * chunks (several TSNs) and reassembled into one. MAXSEG makes the
 * fragments small so that a 20 KB message needs many of them. */
static void test_fragmentation_small_maxseg(void **state)
{
    (void)state;
    sctpng_socket *c, *s;
    sctpng_socket_opts o = t_opts(AF_INET, SCTPNG_ONE_TO_ONE);
    sctpng_socket *l;
    sctpng_addr at;
    l = t_listener_opts(&o, &at);
    c = t_open_opts(&o);
    T_OK(sctpng_setopt(c, SCTPNG_OPT_MAXSEG, 512));
    T_OK(sctpng_connect(c, &at, 1, NULL, T_TIMEOUT_MS));
    T_OK(sctpng_accept(l, &s, NULL, T_TIMEOUT_MS));
    sctpng_close(l);

    sctpng_status st;
    T_OK(sctpng_get_status(c, 0, &st));
    assert_true(st.frag_point > 0);
    assert_true(st.frag_point <= 512);

    enum { LEN = 20000 };
    static uint8_t out[LEN], in[LEN + 1];
    t_pattern(out, LEN, 99);
    T_OK(sctpng_send(c, out, LEN, NULL, T_TIMEOUT_MS));
    T_OK(sctpng_send(c, "x", 1, NULL, T_TIMEOUT_MS));
    sctpng_rcvinfo ri;
    assert_int_equal(t_recv_msg(s, in, sizeof(in), &ri), LEN);
    assert_true(t_check_pattern(in, LEN, 99));
    uint32_t tsn_first_frag = ri.tsn;
    assert_int_equal(t_recv_msg(s, in, sizeof(in), &ri), 1);
    /* RCVINFO carries the TSN of the first fragment: the next message's
     * TSN follows all the fragments of the big one. */
    uint32_t frags = ri.tsn - tsn_first_frag;
    assert_true(frags >= LEN / st.frag_point);
    sctpng_close(c);
    sctpng_close(s);
}

/* Reading a 256 KiB message through a small buffer: many pieces, only the
 * last one flagged complete, all with the message's stream and PPID; the
 * next message starts cleanly. */
static void test_partial_delivery_small_buffer(void **state)
{
    (void)state;
    sctpng_socket *c, *s;
    t_pair(AF_INET, &c, &s);
    big_buffers(c, s);
    uint8_t *out = malloc(MAX_MSG);
    uint8_t *in = malloc(MAX_MSG);
    assert_non_null(out);
    assert_non_null(in);
    t_pattern(out, MAX_MSG, 7);
    sctpng_sndinfo si = {.stream = 1, .ppid = 0xabcdef};
    T_OK(sctpng_send(c, out, MAX_MSG, &si, T_TIMEOUT_MS));

    size_t got = 0;
    int pieces = 0;
    for (;;) {
        sctpng_rcvinfo ri;
        ssize_t n = T_OK(sctpng_recv(s, in + got, 4096, &ri, T_TIMEOUT_MS));
        assert_false(ri.flags & SCTPNG_RCV_EVENT);
        assert_true(n > 0 && n <= 4096);
        got += (size_t)n;
        pieces++;
        assert_int_equal(ri.stream, 1);
        assert_int_equal(ri.ppid, 0xabcdef);
        if (ri.flags & SCTPNG_RCV_COMPLETE)
            break;
        assert_true(got < MAX_MSG);
    }
    assert_int_equal(got, MAX_MSG);
    assert_true(pieces >= MAX_MSG / 4096);
    assert_true(t_check_pattern(in, MAX_MSG, 7));
    T_OK(sctpng_send(c, "next", 4, &si, T_TIMEOUT_MS));
    sctpng_rcvinfo ri;
    assert_int_equal(t_recv_msg(s, in, 4096, &ri), 4);
    assert_memory_equal(in, "next", 4);
    free(out);
    free(in);
    sctpng_close(c);
    sctpng_close(s);
}

/* A few hundred small messages keep their boundaries (no coalescing). */
static void test_many_small_messages(void **state)
{
    (void)state;
    sctpng_socket *c, *s;
    t_pair(AF_INET, &c, &s);
    enum { N = 400 };
    for (uint32_t i = 0; i < N; i++) {
        uint8_t m[32];
        size_t len = 1 + i % sizeof(m);
        memset(m, (int)(i & 0xff), len);
        T_OK(sctpng_send(c, m, len, NULL, T_TIMEOUT_MS));
    }
    for (uint32_t i = 0; i < N; i++) {
        uint8_t m[64];
        size_t len = t_recv_msg(s, m, sizeof(m), NULL);
        assert_int_equal(len, 1 + i % 32);
        for (size_t k = 0; k < len; k++)
            assert_int_equal(m[k], i & 0xff);
    }
    sctpng_close(c);
    sctpng_close(s);
}

/* sctpng_sendv gathers its pieces into one message. */
static void test_sendv_gathers_one_message(void **state)
{
    (void)state;
    sctpng_socket *c, *s;
    t_pair(AF_INET6, &c, &s);
    static uint8_t big[5000];
    t_pattern(big, sizeof(big), 3);
    struct iovec iov[4] = {
        {(void *)"head:", 5}, {big, sizeof(big)}, {NULL, 0}, {(void *)":tail", 5}};
    sctpng_sndinfo si = {.ppid = 77};
    assert_int_equal(T_OK(sctpng_sendv(c, iov, 4, &si, T_TIMEOUT_MS)), 5 + sizeof(big) + 5);
    static uint8_t in[6000];
    sctpng_rcvinfo ri;
    assert_int_equal(t_recv_msg(s, in, sizeof(in), &ri), 5 + sizeof(big) + 5);
    assert_memory_equal(in, "head:", 5);
    assert_true(t_check_pattern(in + 5, sizeof(big), 3));
    assert_memory_equal(in + 5 + sizeof(big), ":tail", 5);
    assert_int_equal(ri.ppid, 77);
    sctpng_close(c);
    sctpng_close(s);
}

/* RCVINFO: TSNs count up by one per single-chunk message, SSNs per
 * ordered message, the association id is the receiver's, the source
 * address is the sender's. The cumulative TSN is filled in for unordered
 * messages only (Linux; RFC 6458 does not say). */
static void test_rcvinfo_fields(void **state)
{
    (void)state;
    sctpng_socket *c, *s;
    t_pair(AF_INET, &c, &s);
    sctpng_status st;
    T_OK(sctpng_get_status(s, 0, &st));
    sctpng_addr caddr;
    assert_int_equal(T_OK(sctpng_get_local_addrs(c, 0, &caddr, 1)), 1);

    uint32_t prev_tsn = 0;
    for (int i = 0; i < 8; i++) {
        int unordered = i >= 5;
        sctpng_sndinfo si = {
            .stream = 0, .ppid = (uint32_t)i, .flags = unordered ? SCTPNG_UNORDERED : 0};
        T_OK(sctpng_send(c, "abc", 3, &si, T_TIMEOUT_MS));
        char b[8];
        sctpng_rcvinfo ri;
        assert_int_equal(t_recv_msg(s, b, sizeof(b), &ri), 3);
        assert_true(ri.flags & SCTPNG_RCV_COMPLETE);
        assert_int_equal(ri.ppid, i);
        if (i > 0)
            assert_int_equal(ri.tsn, prev_tsn + 1);
        prev_tsn = ri.tsn;
        if (!unordered) {
            assert_false(ri.flags & SCTPNG_RCV_UNORDERED);
            assert_int_equal(ri.ssn, i);
        } else {
            /* Everything sent so far has arrived: the cumulative TSN is
             * this message's TSN (one less if counted just before it). */
            assert_true(ri.flags & SCTPNG_RCV_UNORDERED);
            int32_t d = (int32_t)(ri.tsn - ri.cumtsn);
            if (d < 0 || d > 1)
                fail_msg("tsn %u cumtsn %u", ri.tsn, ri.cumtsn);
        }
        assert_int_equal(ri.assoc, st.assoc);
        assert_int_equal(ri.from.sa.sa_family, AF_INET);
        assert_true(sctpng_addr_equal(&ri.from, &caddr));
    }
    sctpng_close(c);
    sctpng_close(s);
}

/* With NXTINFO asked for, each receive also describes the message after
 * it (stream, PPID, length, unordered) when one is already queued. */
static void test_nxtinfo_when_asked(void **state)
{
    (void)state;
    sctpng_socket *c, *s;
    sctpng_socket_opts o = t_opts(AF_INET, SCTPNG_ONE_TO_ONE);
    o.ostreams = 4;
    o.istreams = 4;
    t_pair_opts(&o, &o, &c, &s);

    /* Off by default: no next info. */
    int v = -1;
    T_OK(sctpng_getopt(s, SCTPNG_OPT_RECV_NXTINFO, &v));
    assert_int_equal(v, 0);
    T_OK(sctpng_send(c, "one", 3, NULL, T_TIMEOUT_MS));
    T_OK(sctpng_send(c, "two", 3, NULL, T_TIMEOUT_MS));
    t_sleep_ms(100); /* let both be queued at the receiver */
    char b[16];
    sctpng_rcvinfo ri;
    t_recv_msg(s, b, sizeof(b), &ri);
    assert_false(ri.flags & SCTPNG_RCV_HAS_NEXT);
    t_recv_msg(s, b, sizeof(b), &ri);

    T_OK(sctpng_setopt(s, SCTPNG_OPT_RECV_NXTINFO, 1));
    T_OK(sctpng_getopt(s, SCTPNG_OPT_RECV_NXTINFO, &v));
    assert_int_equal(v, 1);
    sctpng_sndinfo a = {.stream = 1, .ppid = 11};
    sctpng_sndinfo bi = {.stream = 3, .ppid = 33, .flags = SCTPNG_UNORDERED};
    T_OK(sctpng_send(c, "first", 5, &a, T_TIMEOUT_MS));
    T_OK(sctpng_send(c, "second-msg", 10, &bi, T_TIMEOUT_MS));
    /* Wait until the second has arrived too. */
    for (int i = 0; i < 100; i++) {
        sctpng_status st;
        T_OK(sctpng_get_status(c, 0, &st));
        if (st.unacked == 0 && st.pending == 0)
            break;
        t_sleep_ms(20);
    }
    t_sleep_ms(50);
    assert_int_equal(t_recv_msg(s, b, sizeof(b), &ri), 5);
    assert_int_equal(ri.stream, 1);
    assert_true(ri.flags & SCTPNG_RCV_HAS_NEXT);
    assert_int_equal(ri.next.stream, 3);
    assert_int_equal(ri.next.ppid, 33);
    assert_int_equal(ri.next.length, 10);
    assert_true(ri.next.flags & SCTPNG_RCV_UNORDERED);
    assert_false(ri.next.flags & SCTPNG_RCV_EVENT);
    assert_int_equal(t_recv_msg(s, b, sizeof(b), &ri), 10);
    assert_int_equal(ri.stream, 3);
    assert_false(ri.flags & SCTPNG_RCV_HAS_NEXT); /* nothing queued after it */
    sctpng_close(c);
    sctpng_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sizes_1B_to_256KiB_ipv4),
        cmocka_unit_test(test_sizes_1B_to_256KiB_ipv6),
        cmocka_unit_test(test_fragmentation_small_maxseg),
        cmocka_unit_test(test_partial_delivery_small_buffer),
        cmocka_unit_test(test_many_small_messages),
        cmocka_unit_test(test_sendv_gathers_one_message),
        cmocka_unit_test(test_rcvinfo_fields),
        cmocka_unit_test(test_nxtinfo_when_asked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
