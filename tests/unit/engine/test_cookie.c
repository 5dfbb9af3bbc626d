/* State cookie: sign, verify, expiry, tampering, wrong key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <netinet/in.h>
#include <string.h>

#include "engine/cookie.h"
#include "engine/ext.h"

static const uint8_t key[32] = "k0k1k2k3k4k5k6k7k8k9kakbkckdkekf";

static void make(struct cookie *c)
{
    memset(c, 0, sizeof(*c));
    c->created_ns = 5000000000ull;
    c->lifetime_ms = 60000;
    c->local_vtag = 0x11111111;
    c->peer_vtag = 0x22222222;
    c->local_tie = 3;
    c->peer_tie = 4;
    c->local_itsn = 100;
    c->peer_itsn = 200;
    c->peer_rwnd = 65536;
    c->os = 10;
    c->mis = 12;
    c->local_port = 5000;
    c->peer_port = 5001;
    c->ext = EXT_PR_SCTP;
    c->n_addrs = 2;
    struct sockaddr_in *s = (struct sockaddr_in *)&c->addrs[0];
    s->sin_family = AF_INET;
    s->sin_port = htons(9899);
    s->sin_addr.s_addr = htonl(0x0a000002);
    struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&c->addrs[1];
    s6->sin6_family = AF_INET6;
    s6->sin6_addr.s6_addr[0] = 0xfe;
}

static void round_trip(void **state)
{
    (void)state;
    struct cookie c, o;
    uint8_t buf[COOKIE_MAX_LEN];
    make(&c);
    int n = cookie_sign(&c, key, sizeof(key), buf, sizeof(buf));
    assert_true(n > 0 && n <= COOKIE_MAX_LEN);
    assert_int_equal(cookie_verify(buf, (size_t)n, key, sizeof(key), &o), 0);
    assert_int_equal(o.created_ns, c.created_ns);
    assert_int_equal(o.local_vtag, c.local_vtag);
    assert_int_equal(o.peer_vtag, c.peer_vtag);
    assert_int_equal(o.local_tie, 3);
    assert_int_equal(o.peer_tie, 4);
    assert_int_equal(o.os, 10);
    assert_int_equal(o.mis, 12);
    assert_int_equal(o.peer_port, 5001);
    assert_int_equal(o.ext, EXT_PR_SCTP);
    assert_int_equal(o.n_addrs, 2);
    assert_memory_equal(&o.addrs[0], &c.addrs[0], sizeof(struct sockaddr_in));
    assert_int_equal(o.addrs[1].ss_family, AF_INET6);
}

static void tamper(void **state)
{
    (void)state;
    struct cookie c, o;
    uint8_t buf[COOKIE_MAX_LEN];
    make(&c);
    int n = cookie_sign(&c, key, sizeof(key), buf, sizeof(buf));
    for (int i = 0; i < n; i++) {
        buf[i] ^= 0x01;
        assert_int_equal(cookie_verify(buf, (size_t)n, key, sizeof(key), &o), -1);
        buf[i] ^= 0x01;
    }
    /* wrong key */
    uint8_t k2[32];
    memcpy(k2, key, 32);
    k2[0] ^= 1;
    assert_int_equal(cookie_verify(buf, (size_t)n, k2, sizeof(k2), &o), -1);
    /* truncation and extension */
    assert_int_equal(cookie_verify(buf, (size_t)n - 1, key, sizeof(key), &o), -1);
    assert_int_equal(cookie_verify(buf, 10, key, sizeof(key), &o), -1);
    assert_int_equal(cookie_sign(&c, key, sizeof(key), buf, 20), -1);
}

static void expiry(void **state)
{
    (void)state;
    struct cookie c;
    make(&c);
    uint64_t end = c.created_ns + 60000ull * 1000000ull;
    assert_int_equal(cookie_staleness_us(&c, c.created_ns), 0);
    assert_int_equal(cookie_staleness_us(&c, end), 0);
    assert_int_equal(cookie_staleness_us(&c, end + 1), 1);
    assert_int_equal(cookie_staleness_us(&c, end + 2500000), 2500);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trip),
        cmocka_unit_test(tamper),
        cmocka_unit_test(expiry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
