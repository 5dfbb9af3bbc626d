/* ICMP errors through the real stack: a forged ICMP port unreachable,
 * sent over a raw socket about the INIT a client sent to a UDP port that
 * swallows everything, is read from the client's error queue and checked:
 * with a wrong Initiate Tag the set-up goes on, with the right one it is
 * refused at once. Needs CAP_NET_RAW (skipped without). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "uhelp.h"

static uint64_t ms_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint16_t csum(const uint8_t *p, size_t n)
{
    uint32_t s = 0;
    for (size_t i = 0; i + 1 < n; i += 2)
        s += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (n & 1)
        s += (uint32_t)(p[n - 1] << 8);
    while (s >> 16)
        s = (s & 0xFFFF) + (s >> 16);
    return (uint16_t)~s;
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

/* Sends, from 127.0.0.1, an ICMP port unreachable about the UDP datagram
 * from sport to dport on loopback that carried `quote`. */
static void forge(int raw, uint16_t sport, uint16_t dport, const uint8_t *quote, size_t qlen)
{
    uint8_t m[8 + 20 + 8 + 512];
    assert_true(qlen <= 512);
    memset(m, 0, sizeof(m));
    m[0] = 3; /* destination unreachable */
    m[1] = 3; /* port unreachable */
    uint8_t *ip = m + 8, *udp = ip + 20;
    ip[0] = 0x45;
    put16(ip + 2, (uint16_t)(20 + 8 + qlen));
    ip[8] = 64;
    ip[9] = IPPROTO_UDP;
    ip[12] = ip[16] = 127;
    ip[15] = ip[19] = 1;
    put16(ip + 10, csum(ip, 20));
    put16(udp, sport);
    put16(udp + 2, dport);
    put16(udp + 4, (uint16_t)(8 + qlen));
    memcpy(udp + 8, quote, qlen);
    size_t n = 8 + 20 + 8 + qlen;
    put16(m + 2, csum(m, n));
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(sendto(raw, m, n, 0, (struct sockaddr *)&to, sizeof(to)), (ssize_t)n);
}

/* Waits up to ms for the connect's result; -EINPROGRESS if none came. */
static int result_within(sctpng_socket *c, int ms)
{
    uint64_t t0 = ms_now();
    int rc = sctpng_connect_result(c);
    while (rc == -EINPROGRESS && ms_now() - t0 < (uint64_t)ms) {
        struct pollfd pfd = {.fd = sctpng_fd(c), .events = POLLIN};
        poll(&pfd, 1, 20);
        rc = sctpng_connect_result(c);
    }
    return rc;
}

static void test_forged_icmp_checked(void **state)
{
    (void)state;
    int raw = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
    if (raw < 0) {
        print_message("skip: no raw socket (%s): forging ICMP needs CAP_NET_RAW\n",
                      strerror(errno));
        skip();
    }
    /* The peer: a UDP port that reads everything and answers nothing. */
    int hole = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in hs = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t sl = sizeof(hs);
    assert_int_equal(bind(hole, (struct sockaddr *)&hs, sizeof(hs)), 0);
    assert_int_equal(getsockname(hole, (struct sockaddr *)&hs, &sl), 0);

    sctpng_socket *c = u_open(AF_INET, SCTPNG_ONE_TO_ONE, 0);
    assert_non_null(c);
    assert_int_equal(sctpng_setopt(c, SCTPNG_OPT_UDP_REMOTE_PORT, ntohs(hs.sin_port)), 0);
    sctpng_addr a;
    assert_int_equal(sctpng_addr_parse(&a, "127.0.0.1", U_SCTP_PORT), 0);
    assert_int_equal(sctpng_connect(c, &a, 1, NULL, 0), -EINPROGRESS);

    uint8_t init[512];
    struct sockaddr_in from;
    socklen_t fl = sizeof(from);
    struct pollfd pfd = {.fd = hole, .events = POLLIN};
    assert_int_equal(poll(&pfd, 1, 2000), 1);
    ssize_t n = recvfrom(hole, init, sizeof(init), 0, (struct sockaddr *)&from, &fl);
    assert_true(n >= 32);
    assert_int_equal(init[12], 1); /* INIT */
    uint16_t cport = ntohs(from.sin_port);

    /* A wrong Initiate Tag: read, checked, ignored. */
    init[16] ^= 0xA5;
    forge(raw, cport, ntohs(hs.sin_port), init, (size_t)n);
    assert_int_equal(result_within(c, 300), -EINPROGRESS);
    /* Quoting too little to check the tag: ignored too. */
    init[16] ^= 0xA5;
    forge(raw, cport, ntohs(hs.sin_port), init, 16);
    assert_int_equal(result_within(c, 300), -EINPROGRESS);

    /* The right one: refused at once. */
    uint64_t t0 = ms_now();
    forge(raw, cport, ntohs(hs.sin_port), init, 20);
    assert_int_equal(result_within(c, 2000), -ECONNREFUSED);
    assert_true(ms_now() - t0 < 1000);

    sctpng_close(c);
    close(hole);
    close(raw);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forged_icmp_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
