/* test_udp_auth.c - AUTH (RFC 4895) on the UDP backend through the
 * public API, with the kernel backend's calls: SCTPNG_OPT_AUTH_SUPPORTED,
 * sctpng_auth_add_chunk (DATA), keys set on the socket before set-up and
 * on the live association, the active key, events (NEW_KEY on the
 * receiver when the sender changes key, FREE_KEY on deactivation,
 * NO_AUTH with a peer without AUTH), the chunk lists; a key that differs
 * between the ends lets the handshake through but no DATA; the calls'
 * errors; sctpng_set_peer_primary as an ASCONF (RFC 5061). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "uhelp.h"

#define EVS (SCTPNG_EVMASK(SCTPNG_EV_AUTH) | SCTPNG_EVMASK(SCTPNG_EV_ASSOC_CHANGE))

static uint16_t port;

/* AUTH on, DATA required, key 1 = key, active. */
static int auth_on(sctpng_socket *s, const char *key)
{
    int rc = sctpng_setopt(s, SCTPNG_OPT_AUTH_SUPPORTED, 1);
    if (!rc)
        rc = sctpng_auth_add_chunk(s, 0);
    if (!rc && key)
        rc = sctpng_auth_set_key(s, SCTPNG_ASSOC_FUTURE, 1, key, strlen(key));
    if (!rc && key)
        rc = sctpng_auth_activate_key(s, SCTPNG_ASSOC_FUTURE, 1);
    return rc;
}

static bool with_asconf;

static void open_pair(struct u_pair *p, const char *ckey, const char *skey, bool server_auth)
{
    p->l = u_open(AF_INET, SCTPNG_ONE_TO_ONE, EVS);
    assert_non_null(p->l);
    sctpng_addr a;
    port = u_udp_port();
    assert_int_equal(sctpng_addr_parse(&a, "127.0.0.1", U_SCTP_PORT), 0);
    assert_int_equal(sctpng_setopt(p->l, SCTPNG_OPT_UDP_PORT, port), 0);
    if (server_auth)
        assert_int_equal(auth_on(p->l, skey), 0);
    if (with_asconf)
        assert_int_equal(sctpng_setopt(p->l, SCTPNG_OPT_ASCONF_SUPPORTED, 1), 0);
    assert_int_equal(sctpng_bind(p->l, &a, 1), 0);
    assert_int_equal(sctpng_listen(p->l, 8), 0);
    p->c = u_open(AF_INET, SCTPNG_ONE_TO_ONE, EVS);
    assert_non_null(p->c);
    assert_int_equal(sctpng_setopt(p->c, SCTPNG_OPT_UDP_REMOTE_PORT, port), 0);
    assert_int_equal(auth_on(p->c, ckey), 0);
    if (with_asconf)
        assert_int_equal(sctpng_setopt(p->c, SCTPNG_OPT_ASCONF_SUPPORTED, 1), 0);
    assert_int_equal(u_connect_pair(p->l, p->c, "127.0.0.1", &p->s), 0);
}

struct rx {
    sctpng_socket *s;
    int want, got, bad;
    int new_key, timeout_ms;
};

/* Reads `want` messages of 100 bytes (or gives up after timeout_ms of
 * silence), noting the NEW_KEY events on the way. */
static void *reader(void *arg)
{
    struct rx *r = arg;
    while (r->got < r->want) {
        uint8_t b[200];
        sctpng_rcvinfo ri;
        ssize_t n = u_recv_msg(r->s, b, sizeof(b), &ri, r->timeout_ms);
        if (n <= 0)
            break;
        if (ri.flags & SCTPNG_RCV_EVENT) {
            if (ri.event.kind == SCTPNG_EV_AUTH &&
                ri.event.u.auth.indication == SCTPNG_AUTH_NEW_KEY)
                r->new_key = ri.event.u.auth.keynumber;
            continue;
        }
        r->bad += n != 100;
        r->got++;
    }
    return NULL;
}

/* n messages from `from` to r->s; the sender is driven meanwhile. */
static void send_msgs(sctpng_socket *from, struct rx *r, int n, int timeout_ms)
{
    r->want = n;
    r->got = r->bad = 0;
    r->timeout_ms = timeout_ms;
    struct u_thread t;
    u_start(&t, reader, r);
    sctpng_sndinfo si;
    sctpng_sndinfo_init(&si);
    uint8_t m[100];
    memset(m, 7, sizeof(m));
    for (int i = 0; i < n; i++)
        assert_int_equal(sctpng_send(from, m, sizeof(m), &si, U_WAIT_MS), (ssize_t)sizeof(m));
    char b[64];
    sctpng_rcvinfo ri;
    while (sctpng_recv(from, b, sizeof(b), &ri, 300) != -ETIMEDOUT)
        ; /* take the SACKs (and events, dropped here) */
    u_join(&t);
}

static void data_both_ways_and_key_change(void **state)
{
    (void)state;
    struct u_pair p;
    open_pair(&p, "shared secret", "shared secret", true);
    uint8_t types[8];
    assert_int_equal(sctpng_auth_get_chunks(p.c, 0, true, types, 8), 1);
    assert_int_equal(types[0], 0); /* the server requires DATA of us */
    assert_int_equal(sctpng_auth_get_chunks(p.s, 0, false, types, 8), 1);
    uint16_t k = 99;
    assert_int_equal(sctpng_auth_get_active_key(p.c, 0, &k), 0);
    assert_int_equal(k, 1);
    struct rx r = {.s = p.s};
    send_msgs(p.c, &r, 20, U_WAIT_MS);
    assert_int_equal(r.got, 20);
    assert_int_equal(r.bad, 0);
    struct rx r2 = {.s = p.c};
    send_msgs(p.s, &r2, 20, U_WAIT_MS);
    assert_int_equal(r2.got, 20);
    /* a new key on the live association: both ends, then the client
     * switches; the server hears of it */
    assert_int_equal(sctpng_auth_set_key(p.c, 0, 2, "two", 3), 0);
    assert_int_equal(sctpng_auth_set_key(p.s, 0, 2, "two", 3), 0);
    assert_int_equal(sctpng_auth_activate_key(p.c, 0, 2), 0);
    assert_int_equal(sctpng_auth_delete_key(p.c, 0, 2), -EINVAL); /* active */
    send_msgs(p.c, &r, 5, U_WAIT_MS);
    assert_int_equal(r.got, 5);
    assert_int_equal(r.new_key, 2);
    /* deactivating the old key frees it at once */
    assert_int_equal(sctpng_auth_deactivate_key(p.c, 0, 1), 0);
    sctpng_event ev;
    assert_int_equal(u_wait_event(p.c, SCTPNG_EV_AUTH, &ev, 2000), 0);
    assert_int_equal(ev.u.auth.indication, SCTPNG_AUTH_FREE_KEY);
    assert_int_equal(ev.u.auth.keynumber, 1);
    assert_int_equal(sctpng_auth_delete_key(p.c, 0, 1), 0);
    u_pair_close(&p);
}

static void different_keys_no_data(void **state)
{
    (void)state;
    struct u_pair p;
    open_pair(&p, "client's key", "server's key", true); /* the handshake needs no AUTH */
    struct rx r = {.s = p.s};
    send_msgs(p.c, &r, 3, 1500);
    assert_int_equal(r.got, 0);
    u_pair_close(&p);
}

static void peer_without_auth(void **state)
{
    (void)state;
    struct u_pair p;
    open_pair(&p, "k", NULL, false);
    sctpng_event ev;
    assert_int_equal(u_wait_event(p.c, SCTPNG_EV_AUTH, &ev, 2000), 0);
    assert_int_equal(ev.u.auth.indication, SCTPNG_AUTH_NO_AUTH);
    assert_int_equal(sctpng_auth_set_key(p.c, 0, 3, "x", 1), -EACCES);
    struct rx r = {.s = p.s};
    send_msgs(p.c, &r, 5, U_WAIT_MS);
    assert_int_equal(r.got, 5); /* unauthenticated: the peer never asked */
    u_pair_close(&p);
}

/* sctpng_set_peer_primary is an ASCONF Set Primary: answered by the peer
 * (a second request is taken only once the first was answered); without
 * ASCONF on one end, -EPERM as on Linux. */
static void asconf_set_peer_primary(void **state)
{
    (void)state;
    struct u_pair p;
    with_asconf = true;
    open_pair(&p, "k", "k", true);
    with_asconf = false;
    int v = 0;
    assert_int_equal(sctpng_getopt(p.c, SCTPNG_OPT_ASCONF_SUPPORTED, &v), 0);
    assert_int_equal(v, 1);
    sctpng_addr me;
    assert_int_equal(sctpng_addr_parse(&me, "127.0.0.1", 0), 0);
    assert_int_equal(sctpng_set_peer_primary(p.c, 0, &me), 0);
    assert_int_equal(sctpng_set_peer_primary(p.c, 0, &me), -EINPROGRESS);
    struct rx r = {.s = p.s};
    send_msgs(p.c, &r, 2, U_WAIT_MS); /* both ends run: the ASCONF-ACK comes back */
    assert_int_equal(r.got, 2);
    assert_int_equal(sctpng_set_peer_primary(p.c, 0, &me), 0);
    u_pair_close(&p);
    open_pair(&p, "k", "k", true); /* no ASCONF */
    assert_int_equal(sctpng_set_peer_primary(p.c, 0, &me), -EPERM);
    u_pair_close(&p);
}

static void call_errors(void **state)
{
    (void)state;
    sctpng_socket *s = u_open(AF_INET, SCTPNG_ONE_TO_MANY, 0);
    assert_non_null(s);
    uint16_t ids[4] = {0};
    assert_int_equal(sctpng_auth_set_key(s, SCTPNG_ASSOC_FUTURE, 1, "k", 1), -EACCES);
    assert_int_equal(sctpng_auth_add_chunk(s, 0), -EACCES);
    assert_int_equal(sctpng_setopt(s, SCTPNG_OPT_AUTH_SUPPORTED, 1), 0);
    int v = 0;
    assert_int_equal(sctpng_getopt(s, SCTPNG_OPT_AUTH_SUPPORTED, &v), 0);
    assert_int_equal(v, 1);
    assert_int_equal(sctpng_auth_add_chunk(s, 1), -EINVAL);  /* INIT */
    assert_int_equal(sctpng_auth_add_chunk(s, 15), -EINVAL); /* AUTH */
    assert_int_equal(sctpng_auth_get_hmacs(s, ids, 4), 2);
    const uint16_t sha256[] = {SCTPNG_HMAC_SHA256}, sha1[] = {SCTPNG_HMAC_SHA1};
    assert_int_equal(sctpng_auth_set_hmacs(s, sha256, 1), -EINVAL); /* no SHA-1 */
    assert_int_equal(sctpng_auth_set_hmacs(s, sha1, 1), 0);
    assert_int_equal(sctpng_auth_get_hmacs(s, ids, 4), 1);
    assert_int_equal(sctpng_auth_delete_key(s, SCTPNG_ASSOC_FUTURE, 0), -EINVAL); /* active */
    assert_int_equal(sctpng_auth_activate_key(s, SCTPNG_ASSOC_FUTURE, 5), -EINVAL);
    assert_int_equal(sctpng_auth_set_key(s, SCTPNG_ASSOC_FUTURE, 5, "five", 4), 0);
    assert_int_equal(sctpng_auth_activate_key(s, SCTPNG_ASSOC_FUTURE, 5), 0);
    assert_int_equal(sctpng_auth_deactivate_key(s, SCTPNG_ASSOC_FUTURE, 0), 0);
    assert_int_equal(sctpng_auth_activate_key(s, SCTPNG_ASSOC_FUTURE, 0), -EINVAL);
    uint16_t k = 0;
    assert_int_equal(sctpng_auth_get_active_key(s, SCTPNG_ASSOC_FUTURE, &k), 0);
    assert_int_equal(k, 5);
    assert_int_equal(sctpng_auth_get_active_key(s, 12345, &k), -EINVAL);
    /* the engine starts with what was set here */
    sctpng_addr a;
    assert_int_equal(sctpng_addr_parse(&a, "127.0.0.1", U_SCTP_PORT + 1), 0);
    assert_int_equal(sctpng_setopt(s, SCTPNG_OPT_UDP_PORT, u_udp_port() + 1), 0);
    assert_int_equal(sctpng_bind(s, &a, 1), 0);
    assert_int_equal(sctpng_listen(s, 8), 0);
    assert_int_equal(sctpng_setopt(s, SCTPNG_OPT_AUTH_SUPPORTED, 0), -EBUSY);
    assert_int_equal(sctpng_auth_get_active_key(s, SCTPNG_ASSOC_FUTURE, &k), 0);
    assert_int_equal(k, 5);
    assert_int_equal(sctpng_auth_get_hmacs(s, ids, 4), 1);
    assert_int_equal(sctpng_auth_activate_key(s, SCTPNG_ASSOC_FUTURE, 0), -EINVAL);
    sctpng_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(data_both_ways_and_key_change),
        cmocka_unit_test(different_keys_no_data),
        cmocka_unit_test(peer_without_auth),
        cmocka_unit_test(asconf_set_peer_primary),
        cmocka_unit_test(call_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
