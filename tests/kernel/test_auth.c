/* test_auth.c - AUTH (RFC 4895) through the API: DATA that must be
 * authenticated flows with matching keys, keys rotate under traffic
 * without a message lost (with the AUTH events that tell of it), a
 * mismatched secret delivers nothing (packets arrive, no DATA is taken,
 * the sender retransmits), HMAC lists, chunk lists, errors. */
#include <string.h>

#include "helpers.h"

#define EV(k)      SCTPNG_EVMASK(SCTPNG_EV_##k)
#define CHUNK_DATA 0
#define CHUNK_SACK 3

/* A socket offering AUTH that requires DATA authenticated, with key 1 =
 * `secret` active. */
static void auth_setup(sctpng_socket *s, const char *secret)
{
    T_OK(sctpng_setopt(s, SCTPNG_OPT_AUTH_SUPPORTED, 1));
    T_OK(sctpng_auth_add_chunk(s, CHUNK_DATA));
    T_OK(sctpng_auth_set_key(s, SCTPNG_ASSOC_FUTURE, 1, secret, strlen(secret)));
    T_OK(sctpng_auth_activate_key(s, SCTPNG_ASSOC_FUTURE, 1));
}

static void apair(const char *csecret, const char *ssecret, sctpng_socket **c, sctpng_socket **s)
{
    sctpng_socket_opts o = t_opts(AF_INET, SCTPNG_ONE_TO_ONE);
    o.events = EV(AUTH);
    sctpng_addr at;
    sctpng_socket *l = t_open_opts(&o);
    auth_setup(l, ssecret);
    sctpng_addr any = t_loopback(AF_INET, 0);
    T_OK(sctpng_bind(l, &any, 1));
    T_OK(sctpng_listen(l, 4));
    T_OK(sctpng_get_local_addrs(l, 0, &at, 1));
    *c = t_open_opts(&o);
    auth_setup(*c, csecret);
    /* Short timeouts, so retransmissions come quickly. */
    sctpng_rtoinfo r = {.initial = 300, .max = 300, .min = 100};
    T_OK(sctpng_set_rtoinfo(*c, 0, &r));
    T_OK(sctpng_connect(*c, &at, 1, NULL, T_TIMEOUT_MS));
    T_OK(sctpng_accept(l, s, NULL, T_TIMEOUT_MS));
    sctpng_close(l);
}

static bool has(const uint8_t *t, int n, uint8_t v)
{
    for (int i = 0; i < n; i++)
        if (t[i] == v)
            return true;
    return false;
}

/* Matching keys: the association negotiated AUTH, each end requires DATA
 * authenticated and knows the other does, data flows both ways. */
static void test_auth_matching_keys(void **state)
{
    (void)state;
    sctpng_socket *c, *s;
    apair("correct horse", "correct horse", &c, &s);
    int v = -1;
    T_OK(sctpng_getopt(c, SCTPNG_OPT_AUTH_SUPPORTED, &v));
    assert_int_equal(v, 1);
    uint8_t t[64];
    int n = T_OK(sctpng_auth_get_chunks(c, 0, true, t, sizeof(t)));
    assert_true(has(t, n, CHUNK_DATA));
    n = T_OK(sctpng_auth_get_chunks(c, 0, false, t, sizeof(t)));
    assert_true(has(t, n, CHUNK_DATA));
    uint16_t k = 99;
    T_OK(sctpng_auth_get_active_key(c, 0, &k));
    assert_int_equal(k, 1);
    char buf[64];
    sctpng_rcvinfo ri;
    for (int i = 0; i < 10; i++) {
        T_OK(sctpng_send(c, "to server", 9, NULL, T_TIMEOUT_MS));
        assert_int_equal(t_recv_msg(s, buf, sizeof(buf), &ri), 9);
        T_OK(sctpng_send(s, "to client", 9, NULL, T_TIMEOUT_MS));
        assert_int_equal(t_recv_msg(c, buf, sizeof(buf), &ri), 9);
    }
    sctpng_close(c);
    sctpng_close(s);
}

/* Read one message or event from the server side of the rotation test:
 * messages must come in order; AUTH NEW_KEY 2 is noted. Returns false
 * when nothing came within timeout_ms. */
static bool rx_one(sctpng_socket *s, uint32_t *next_rx, bool *new_key_seen, int timeout_ms)
{
    char buf[64];
    sctpng_rcvinfo ri;
    ssize_t r = sctpng_recv(s, buf, sizeof(buf), &ri, timeout_ms);
    if (r < 0) {
        assert_true(r == -EAGAIN || r == -ETIMEDOUT);
        return false;
    }
    if (ri.flags & SCTPNG_RCV_EVENT) {
        if (ri.event.kind == SCTPNG_EV_AUTH && ri.event.u.auth.indication == SCTPNG_AUTH_NEW_KEY &&
            ri.event.u.auth.keynumber == 2)
            *new_key_seen = true;
        return true;
    }
    uint32_t got;
    assert_int_equal(r, sizeof(got));
    memcpy(&got, buf, sizeof(got));
    assert_int_equal(got, (*next_rx)++);
    return true;
}

/* Rotation under traffic: key 2 is added on both ends, the client moves
 * to it (the server hears of it: AUTH NEW_KEY 2), deactivates key 1
 * (FREE_KEY 1 once nothing uses it) and deletes it. Every message sent
 * meanwhile arrives, in order. */
static void test_auth_key_rotation_without_loss(void **state)
{
    (void)state;
    sctpng_socket *c, *s;
    apair("old secret", "old secret", &c, &s);
    T_OK(sctpng_setopt(c, SCTPNG_OPT_NODELAY, 1));
    enum { N = 300 };
    uint32_t next_rx = 0;
    char buf[64];
    bool new_key_seen = false, free_key_seen = false;
    for (uint32_t i = 0; i < N; i++) {
        if (i == 100) {
            T_OK(sctpng_auth_set_key(s, 0, 2, "new secret", 10));
            T_OK(sctpng_auth_set_key(c, 0, 2, "new secret", 10));
            T_OK(sctpng_auth_activate_key(c, 0, 2));
        }
        if (i == 200)
            T_OK(sctpng_auth_deactivate_key(c, 0, 1));
        T_OK(sctpng_send(c, &i, sizeof(i), NULL, T_TIMEOUT_MS));
        while (rx_one(s, &next_rx, &new_key_seen, 0))
            ;
    }
    int64_t end = t_now_ms() + T_TIMEOUT_MS;
    while ((next_rx < N || !new_key_seen) && t_now_ms() < end)
        rx_one(s, &next_rx, &new_key_seen, 100);
    assert_int_equal(next_rx, N);
    /* The client's events: FREE_KEY for key 1. */
    sctpng_rcvinfo ri;
    end = t_now_ms() + T_TIMEOUT_MS;
    while (!free_key_seen && t_now_ms() < end) {
        if (sctpng_recv(c, buf, sizeof(buf), &ri, 100) < 0)
            continue;
        if ((ri.flags & SCTPNG_RCV_EVENT) && ri.event.kind == SCTPNG_EV_AUTH &&
            ri.event.u.auth.indication == SCTPNG_AUTH_FREE_KEY)
            free_key_seen = ri.event.u.auth.keynumber == 1;
    }
    assert_true(new_key_seen);
    assert_true(free_key_seen);
    T_OK(sctpng_auth_delete_key(c, 0, 1));
    uint16_t k = 0;
    T_OK(sctpng_auth_get_active_key(c, 0, &k));
    assert_int_equal(k, 2);
    T_OK(sctpng_send(c, "after", 5, NULL, T_TIMEOUT_MS));
    assert_int_equal(t_recv_msg(s, buf, sizeof(buf), &ri), 5);
    sctpng_close(c);
    sctpng_close(s);
}

/* Different secrets under the same key number: the handshake (not
 * authenticated) succeeds, but no DATA is ever delivered. Why shows in the
 * statistics: the server takes in packets and not one DATA chunk, the
 * client retransmits. */
static void test_auth_mismatched_keys_deliver_nothing(void **state)
{
    (void)state;
    sctpng_socket *c, *s;
    apair("alpha", "bravo", &c, &s);
    sctpng_assoc_stats before, sv, cl;
    sctpng_assoc_stats_init(&before);
    sctpng_assoc_stats_init(&sv);
    sctpng_assoc_stats_init(&cl);
    T_OK(sctpng_get_assoc_stats(s, 0, &before));
    T_OK(sctpng_send(c, "never", 5, NULL, T_TIMEOUT_MS));
    t_expect_quiet(s, 1500);
    T_OK(sctpng_get_assoc_stats(s, 0, &sv));
    T_OK(sctpng_get_assoc_stats(c, 0, &cl));
    print_message("# server: %llu packets in, %llu DATA taken; client: %llu retransmitted\n",
                  (unsigned long long)(sv.ipackets - before.ipackets),
                  (unsigned long long)sv.iodchunks, (unsigned long long)cl.rtxchunks);
    assert_true(sv.ipackets - before.ipackets >= 2);
    assert_int_equal(sv.iodchunks, 0);
    assert_true(cl.rtxchunks >= 1);
    sctpng_status st;
    T_OK(sctpng_get_status(c, 0, &st));
    assert_true(st.unacked >= 1);
    sctpng_close(c);
    sctpng_close(s);
}

/* HMAC preference list: read back as set; SHA-1 is mandatory. */
static void test_auth_hmacs(void **state)
{
    (void)state;
    sctpng_socket *s = t_open(AF_INET, SCTPNG_ONE_TO_ONE);
    T_OK(sctpng_setopt(s, SCTPNG_OPT_AUTH_SUPPORTED, 1));
    uint16_t want[] = {SCTPNG_HMAC_SHA256, SCTPNG_HMAC_SHA1};
    T_OK(sctpng_auth_set_hmacs(s, want, 2));
    uint16_t got[8];
    assert_int_equal(T_OK(sctpng_auth_get_hmacs(s, got, 8)), 2);
    assert_int_equal(got[0], SCTPNG_HMAC_SHA256);
    assert_int_equal(got[1], SCTPNG_HMAC_SHA1);
    uint16_t no_sha1[] = {SCTPNG_HMAC_SHA256};
    T_ERR(sctpng_auth_set_hmacs(s, no_sha1, 1), -EINVAL);
    T_ERR(sctpng_auth_set_hmacs(s, NULL, 1), -EINVAL);
    sctpng_close(s);
}

/* Errors: AUTH off, chunk types that cannot be authenticated, the active
 * key cannot be deleted or deactivated, unknown keys. */
static void test_auth_errors(void **state)
{
    (void)state;
    sctpng_socket *s = t_open(AF_INET, SCTPNG_ONE_TO_ONE);
    T_OK(sctpng_setopt(s, SCTPNG_OPT_AUTH_SUPPORTED, 0));
    T_ERR(sctpng_auth_set_key(s, 0, 1, "k", 1), -EACCES);
    T_ERR(sctpng_auth_add_chunk(s, CHUNK_DATA), -EACCES);
    T_OK(sctpng_setopt(s, SCTPNG_OPT_AUTH_SUPPORTED, 1));
    T_ERR(sctpng_auth_add_chunk(s, 1 /* INIT */), -EINVAL);
    T_ERR(sctpng_auth_add_chunk(s, 15 /* AUTH */), -EINVAL);
    T_OK(sctpng_auth_add_chunk(s, CHUNK_SACK));
    uint8_t t[16];
    int n = T_OK(sctpng_auth_get_chunks(s, SCTPNG_ASSOC_FUTURE, false, t, sizeof(t)));
    assert_true(has(t, n, CHUNK_SACK));
    T_OK(sctpng_auth_set_key(s, 0, 3, "three", 5));
    T_OK(sctpng_auth_activate_key(s, 0, 3));
    T_ERR(sctpng_auth_delete_key(s, 0, 3), -EINVAL);
    T_ERR(sctpng_auth_activate_key(s, 0, 7), -EINVAL);
    T_ERR(sctpng_auth_delete_key(s, 0, 7), -EINVAL);
    T_OK(sctpng_auth_activate_key(s, 0, 0));
    T_OK(sctpng_auth_delete_key(s, 0, 3));
    T_ERR(sctpng_auth_set_key(s, 0, 1, NULL, 4), -EINVAL);
    uint16_t k;
    T_ERR(sctpng_auth_get_active_key(s, 0, NULL), -EINVAL);
    T_OK(sctpng_auth_get_active_key(s, 0, &k));
    assert_int_equal(k, 0);
    sctpng_close(s);
}

/* One-to-many: a key added for the current associations reaches the live
 * one, which can switch to it by id. */
static void test_auth_keys_on_one_to_many(void **state)
{
    (void)state;
    sctpng_socket_opts o = t_opts(AF_INET, SCTPNG_ONE_TO_MANY);
    o.events = EV(ASSOC_CHANGE);
    sctpng_socket *srv = t_open_opts(&o);
    auth_setup(srv, "shared");
    sctpng_addr at = t_loopback(AF_INET, 0);
    T_OK(sctpng_bind(srv, &at, 1));
    T_OK(sctpng_listen(srv, 4));
    T_OK(sctpng_get_local_addrs(srv, 0, &at, 1));
    sctpng_socket *c = t_open(AF_INET, SCTPNG_ONE_TO_ONE);
    auth_setup(c, "shared");
    T_OK(sctpng_connect(c, &at, 1, NULL, T_TIMEOUT_MS));
    char buf[512];
    sctpng_event ev;
    t_recv_assoc_change(srv, SCTPNG_COMM_UP, &ev, buf, sizeof(buf));
    sctpng_assoc_t id = ev.assoc;
    T_OK(sctpng_auth_set_key(srv, SCTPNG_ASSOC_CURRENT, 9, "nine", 4));
    T_OK(sctpng_auth_set_key(c, 0, 9, "nine", 4));
    T_OK(sctpng_auth_activate_key(srv, id, 9));
    uint16_t k = 0;
    T_OK(sctpng_auth_get_active_key(srv, id, &k));
    assert_int_equal(k, 9);
    T_OK(sctpng_auth_get_active_key(srv, SCTPNG_ASSOC_FUTURE, &k));
    assert_int_equal(k, 1);
    T_ERR(sctpng_auth_get_active_key(srv, SCTPNG_ASSOC_ALL, &k), -EINVAL);
    sctpng_sndinfo si = {.assoc = id};
    T_OK(sctpng_send(srv, "by key 9", 8, &si, T_TIMEOUT_MS));
    sctpng_rcvinfo ri;
    assert_int_equal(t_recv_msg(c, buf, sizeof(buf), &ri), 8);
    sctpng_close(c);
    sctpng_close(srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_auth_matching_keys),
        cmocka_unit_test(test_auth_key_rotation_without_loss),
        cmocka_unit_test(test_auth_mismatched_keys_deliver_nothing),
        cmocka_unit_test(test_auth_hmacs),
        cmocka_unit_test(test_auth_errors),
        cmocka_unit_test(test_auth_keys_on_one_to_many),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
