/* test_errors.c - bad input gets a clear error and loses nothing: invalid
 * stream id, send after shutdown, wrong address family, oversized message
 * with fragmentation disabled, unknown association id, refused connect,
 * calls that do not fit the socket's style, bad arguments. */
#include <string.h>

#include "helpers.h"

#define EV(k) SCTPNG_EVMASK(SCTPNG_EV_##k)

/* The next message must be exactly `want`. */
static void expect_msg(sctpng_socket *s, const char *want)
{
    char buf[256];
    size_t n = t_recv_msg(s, buf, sizeof(buf), NULL);
    assert_int_equal(n, strlen(want));
    assert_memory_equal(buf, want, n);
}

/* A stream id at or past the negotiated count is refused with -EINVAL; the
 * messages before and after it arrive, and nothing else does. */
static void test_invalid_stream_id(void **state)
{
    (void)state;
    sctpng_socket_opts o = t_opts(AF_INET, SCTPNG_ONE_TO_ONE);
    o.ostreams = 5;
    o.istreams = 5;
    sctpng_socket *c, *s;
    t_pair_opts(&o, &o, &c, &s);
    sctpng_status st;
    T_OK(sctpng_get_status(c, 0, &st));
    assert_int_equal(st.ostreams, 5);
    sctpng_sndinfo ok = {.stream = 4};
    T_OK(sctpng_send(c, "before", 6, &ok, T_TIMEOUT_MS));
    sctpng_sndinfo bad = {.stream = 5};
    T_ERR(sctpng_send(c, "bad", 3, &bad, T_TIMEOUT_MS), -EINVAL);
    bad.stream = 65535;
    T_ERR(sctpng_send(c, "bad", 3, &bad, T_TIMEOUT_MS), -EINVAL);
    T_OK(sctpng_send(c, "after", 5, &ok, T_TIMEOUT_MS));
    expect_msg(s, "before");
    expect_msg(s, "after");
    t_expect_quiet(s, 200);
    T_OK(sctpng_get_status(c, 0, &st));
    assert_int_equal(st.state, SCTPNG_STATE_ESTABLISHED);
    sctpng_close(c);
    sctpng_close(s);
}

/* After shutdown, sending fails with -EPIPE; what was sent before still
 * arrives, then the end of the association. */
static void test_send_after_shutdown(void **state)
{
    (void)state;
    sctpng_socket *c, *s;
    t_pair(AF_INET, &c, &s);
    T_OK(sctpng_send(c, "queued", 6, NULL, T_TIMEOUT_MS));
    T_OK(sctpng_shutdown(c, 0));
    T_ERR(sctpng_send(c, "late", 4, NULL, T_TIMEOUT_MS), -EPIPE);
    expect_msg(s, "queued");
    char buf[16];
    assert_int_equal(T_OK(sctpng_recv(s, buf, sizeof(buf), NULL, T_TIMEOUT_MS)), 0);
    /* The side that received the SHUTDOWN cannot send either. */
    T_ERR(sctpng_send(s, "late", 4, NULL, T_TIMEOUT_MS), -EPIPE);
    sctpng_close(c);
    sctpng_close(s);
}

/* IPv6 addresses on an AF_INET socket, and addresses of no known family,
 * give -EAFNOSUPPORT for bind, bindx, connect, send-to and set_primary. */
static void test_wrong_address_family(void **state)
{
    (void)state;
    sctpng_socket *s4 = t_open(AF_INET, SCTPNG_ONE_TO_MANY);
    sctpng_addr v6 = t_addr("::1", 5000);
    sctpng_addr unspec;
    memset(&unspec, 0, sizeof(unspec));
    unspec.sa.sa_family = AF_UNSPEC;
    T_ERR(sctpng_bind(s4, &v6, 1), -EAFNOSUPPORT);
    T_ERR(sctpng_bind(s4, &unspec, 1), -EAFNOSUPPORT);
    sctpng_addr a4 = t_addr("127.0.0.1", 0);
    T_OK(sctpng_bind(s4, &a4, 1));
    T_ERR(sctpng_bindx(s4, &v6, 1, true), -EAFNOSUPPORT);
    T_ERR(sctpng_connect(s4, &v6, 1, NULL, T_TIMEOUT_MS), -EAFNOSUPPORT);
    T_ERR(sctpng_connect(s4, &unspec, 1, NULL, T_TIMEOUT_MS), -EAFNOSUPPORT);
    sctpng_sndinfo si = {.to = &v6};
    T_ERR(sctpng_send(s4, "x", 1, &si, T_TIMEOUT_MS), -EAFNOSUPPORT);
    si.to = &unspec;
    T_ERR(sctpng_send(s4, "x", 1, &si, T_TIMEOUT_MS), -EAFNOSUPPORT);
    /* Nothing was set up by the failed calls. */
    assert_int_equal(T_OK(sctpng_get_assoc_ids(s4, NULL, 0)), 0);
    /* The socket still works with an address of its family. */
    sctpng_addr at;
    sctpng_socket *srv = t_listener(AF_INET, SCTPNG_ONE_TO_MANY, &at);
    si.to = &at;
    T_OK(sctpng_send(s4, "fine", 4, &si, T_TIMEOUT_MS));
    expect_msg(srv, "fine");
    T_ERR(sctpng_set_primary(s4, 0, &v6), -EAFNOSUPPORT);
    sctpng_close(srv);
    sctpng_close(s4);
}

/* With fragmentation disabled a message larger than one chunk is refused
 * with -EMSGSIZE; messages that fit still go, and nothing else arrives. */
static void test_oversized_no_fragmentation(void **state)
{
    (void)state;
    sctpng_socket *c, *s;
    t_pair(AF_INET, &c, &s);
    int v = -1;
    T_OK(sctpng_getopt(c, SCTPNG_OPT_DISABLE_FRAGMENTS, &v));
    assert_int_equal(v, 0);
    T_OK(sctpng_setopt(c, SCTPNG_OPT_DISABLE_FRAGMENTS, 1));
    T_OK(sctpng_getopt(c, SCTPNG_OPT_DISABLE_FRAGMENTS, &v));
    assert_int_equal(v, 1);
    sctpng_status st;
    T_OK(sctpng_get_status(c, 0, &st));
    assert_true(st.frag_point > 100);
    size_t fp = st.frag_point;
    static uint8_t big[70000];
    assert_true(fp + 1 <= sizeof(big));
    t_pattern(big, fp, 5);
    T_ERR(sctpng_send(c, big, fp + 1, NULL, T_TIMEOUT_MS), -EMSGSIZE);
    T_ERR(sctpng_send(c, big, sizeof(big), NULL, T_TIMEOUT_MS), -EMSGSIZE);
    assert_int_equal(T_OK(sctpng_send(c, big, fp, NULL, T_TIMEOUT_MS)), fp);
    static uint8_t in[70000];
    assert_int_equal(t_recv_msg(s, in, sizeof(in), NULL), fp);
    assert_true(t_check_pattern(in, fp, 5));
    t_expect_quiet(s, 200);
    sctpng_close(c);
    sctpng_close(s);
}

/* An association id the one-to-many socket does not have: a clear error
 * from every call that takes one, and the real association is unharmed. */
static void test_unknown_assoc_id(void **state)
{
    (void)state;
    sctpng_addr at;
    sctpng_socket *srv = t_listener(AF_INET, SCTPNG_ONE_TO_MANY, &at);
    sctpng_socket_opts o = t_opts(AF_INET, SCTPNG_ONE_TO_MANY);
    sctpng_socket *c = t_open_opts(&o);
    sctpng_assoc_t id = 0;
    T_OK(sctpng_connect(c, &at, 1, &id, T_TIMEOUT_MS));
    sctpng_assoc_t bogus = id + 1000;

    sctpng_sndinfo si = {.assoc = bogus};
    T_ERR(sctpng_send(c, "x", 1, &si, T_TIMEOUT_MS), -EINVAL);
    sctpng_status st;
    T_ERR(sctpng_get_status(c, bogus, &st), -EINVAL);
    sctpng_socket *p = NULL;
    T_ERR(sctpng_peeloff(c, bogus, &p), -EINVAL);
    assert_null(p);
    T_ERR(sctpng_shutdown(c, bogus), -EINVAL);
    T_ERR(sctpng_abort(c, bogus), -EINVAL);
    sctpng_rtoinfo rto;
    T_ERR(sctpng_get_rtoinfo(c, bogus, &rto), -EINVAL);
    sctpng_addr peers[2];
    T_ERR(sctpng_get_peer_addrs(c, bogus, peers, 2), -EINVAL);
    /* The kernel finds paths by address: a known address with an unknown
     * id must not answer for (or change) the real association. */
    sctpng_pathinfo pi;
    T_ERR(sctpng_get_pathinfo(c, bogus, &at, &pi), -EINVAL);
    T_ERR(sctpng_set_primary(c, bogus, &at), -EINVAL);

    /* The real one still works. */
    T_OK(sctpng_get_status(c, id, &st));
    assert_int_equal(st.state, SCTPNG_STATE_ESTABLISHED);
    si.assoc = id;
    T_OK(sctpng_send(c, "real", 4, &si, T_TIMEOUT_MS));
    expect_msg(srv, "real");
    t_expect_quiet(srv, 200);
    sctpng_close(c);
    sctpng_close(srv);
}

/* Connecting where nobody listens: -ECONNREFUSED for one-to-one; on a
 * one-to-many socket also a CANT_STR_ASSOC event. */
static void test_connect_refused(void **state)
{
    (void)state;
    sctpng_socket *tmp = t_open(AF_INET, SCTPNG_ONE_TO_ONE);
    sctpng_addr a = t_loopback(AF_INET, 0);
    T_OK(sctpng_bind(tmp, &a, 1));
    T_OK(sctpng_get_local_addrs(tmp, 0, &a, 1));
    sctpng_close(tmp);

    sctpng_socket *c = t_open(AF_INET, SCTPNG_ONE_TO_ONE);
    T_ERR(sctpng_connect(c, &a, 1, NULL, T_TIMEOUT_MS), -ECONNREFUSED);
    sctpng_close(c);

    sctpng_socket_opts o = t_opts(AF_INET, SCTPNG_ONE_TO_MANY);
    o.events = EV(ASSOC_CHANGE);
    c = t_open_opts(&o);
    T_ERR(sctpng_connect(c, &a, 1, NULL, T_TIMEOUT_MS), -ECONNREFUSED);
    char buf[512];
    sctpng_event ev;
    t_recv_assoc_change(c, SCTPNG_CANT_STR_ASSOC, &ev, buf, sizeof(buf));
    assert_int_equal(T_OK(sctpng_get_assoc_ids(c, NULL, 0)), 0);
    sctpng_close(c);
}

/* Empty messages without EOF/ABORT, unknown flags or PR policies. */
static void test_bad_send_arguments(void **state)
{
    (void)state;
    sctpng_socket *c, *s;
    t_pair(AF_INET, &c, &s);
    T_ERR(sctpng_send(c, "", 0, NULL, T_TIMEOUT_MS), -EINVAL);
    sctpng_sndinfo si = {.flags = 1u << 20};
    T_ERR(sctpng_send(c, "x", 1, &si, T_TIMEOUT_MS), -EINVAL);
    sctpng_sndinfo pr = {.pr_policy = 77};
    T_ERR(sctpng_send(c, "x", 1, &pr, T_TIMEOUT_MS), -EINVAL);
    T_ERR(sctpng_send(NULL, "x", 1, NULL, T_TIMEOUT_MS), -EINVAL);
    T_ERR(sctpng_sendv(c, NULL, 1, NULL, T_TIMEOUT_MS), -EINVAL);
    T_ERR(sctpng_recv(c, NULL, 10, NULL, 0), -EINVAL);
    T_OK(sctpng_send(c, "good", 4, NULL, T_TIMEOUT_MS));
    expect_msg(s, "good");
    t_expect_quiet(s, 200);
    sctpng_close(c);
    sctpng_close(s);
}

/* Calls that do not fit the socket: -EOPNOTSUPP, or the kernel's -EINVAL
 * for accept/listen misuse. */
static void test_wrong_style_calls(void **state)
{
    (void)state;
    sctpng_socket *m = t_open(AF_INET, SCTPNG_ONE_TO_MANY);
    sctpng_socket *o = t_open(AF_INET, SCTPNG_ONE_TO_ONE);
    sctpng_socket *out = NULL;
    T_ERR(sctpng_accept(m, &out, NULL, 0), -EOPNOTSUPP);
    T_ERR(sctpng_peeloff(o, 1, &out), -EOPNOTSUPP);
    T_ERR(sctpng_get_assoc_ids(o, NULL, 0), -EOPNOTSUPP);
    /* Autoclose exists for one-to-many sockets only. */
    T_ERR(sctpng_setopt(o, SCTPNG_OPT_AUTOCLOSE, 5), -EOPNOTSUPP);
    /* accept on a socket that is not listening. */
    T_ERR(sctpng_accept(o, &out, NULL, 0), -EINVAL);
    assert_null(out);
    sctpng_close(m);
    sctpng_close(o);
}

/* Binding: an address in use, an address that is not local. */
static void test_bind_errors(void **state)
{
    (void)state;
    sctpng_addr at;
    sctpng_socket *l = t_listener(AF_INET, SCTPNG_ONE_TO_ONE, &at);
    sctpng_socket *s = t_open(AF_INET, SCTPNG_ONE_TO_ONE);
    T_ERR(sctpng_bind(s, &at, 1), -EADDRINUSE);
    sctpng_addr far = t_addr("192.0.2.1", 0);
    T_ERR(sctpng_bind(s, &far, 1), -EADDRNOTAVAIL);
    T_ERR(sctpng_bind(s, &at, 0), -EINVAL);
    T_ERR(sctpng_bind(s, NULL, 1), -EINVAL);
    sctpng_close(s);
    sctpng_close(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_invalid_stream_id),
        cmocka_unit_test(test_send_after_shutdown),
        cmocka_unit_test(test_wrong_address_family),
        cmocka_unit_test(test_oversized_no_fragmentation),
        cmocka_unit_test(test_unknown_assoc_id),
        cmocka_unit_test(test_connect_refused),
        cmocka_unit_test(test_bad_send_arguments),
        cmocka_unit_test(test_wrong_style_calls),
        cmocka_unit_test(test_bind_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
