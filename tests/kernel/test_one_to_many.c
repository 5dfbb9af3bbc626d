/* test_one_to_many.c - one-to-many (SOCK_SEQPACKET) sockets: several
 * associations told apart by id, the id list, replies by id, implicit
 * set-up by sending to an address, sending to a peer's second address,
 * connect returning the id, peeloff,
 * shutdown/abort of one association, EOF/ABORT/SENDALL send flags. */

#include <string.h>

#include "helpers.h"

#define NCLIENTS 3
#define EV(k)    SCTPNG_EVMASK(SCTPNG_EV_##k)

/* A one-to-many listener on IPv4 loopback subscribed to `events`. */
static sctpng_socket *server(uint32_t events, sctpng_addr *at)
{
    sctpng_socket_opts o = t_opts(AF_INET, SCTPNG_ONE_TO_MANY);
    o.events = events;
    return t_listener_opts(&o, at);
}

/* The next COMM_UP's association id. */
static sctpng_assoc_t comm_up(sctpng_socket *s)
{
    char buf[512];
    sctpng_event ev;
    t_recv_assoc_change(s, SCTPNG_COMM_UP, &ev, buf, sizeof(buf));
    assert_true(ev.assoc != 0);
    return ev.assoc;
}

static int has_id(const sctpng_assoc_t *ids, int n, sctpng_assoc_t id)
{
    for (int i = 0; i < n; i++)
        if (ids[i] == id)
            return 1;
    return 0;
}

/* NCLIENTS one-to-one clients on one one-to-many server: distinct ids
 * that the id list also shows; each client's message comes with its id
 * and address; a reply sent by id reaches the right client. */
static void connect_clients(sctpng_socket *srv, const sctpng_addr *at, sctpng_socket **cl,
                            sctpng_assoc_t *ids)
{
    for (int i = 0; i < NCLIENTS; i++) {
        cl[i] = t_open(AF_INET, SCTPNG_ONE_TO_ONE);
        T_OK(sctpng_connect(cl[i], at, 1, NULL, T_TIMEOUT_MS));
        ids[i] = comm_up(srv);
        for (int k = 0; k < i; k++)
            assert_true(ids[k] != ids[i]);
    }
}

static void test_three_assocs_ids_and_replies(void **state)
{
    (void)state;
    sctpng_addr at;
    sctpng_socket *srv = server(EV(ASSOC_CHANGE), &at);
    sctpng_socket *cl[NCLIENTS];
    sctpng_assoc_t ids[NCLIENTS];
    connect_clients(srv, &at, cl, ids);

    sctpng_assoc_t list[8];
    assert_int_equal(T_OK(sctpng_get_assoc_ids(srv, list, 8)), NCLIENTS);
    for (int i = 0; i < NCLIENTS; i++)
        assert_true(has_id(list, NCLIENTS, ids[i]));
    assert_int_equal(T_OK(sctpng_get_assoc_ids(srv, NULL, 0)), NCLIENTS);
    /* A short list: the count is still the whole number. */
    assert_int_equal(T_OK(sctpng_get_assoc_ids(srv, list, 1)), NCLIENTS);

    /* Messages from the clients, in reverse order, each tagged. */
    for (int i = NCLIENTS - 1; i >= 0; i--) {
        uint32_t v = (uint32_t)i;
        T_OK(sctpng_send(cl[i], &v, sizeof(v), NULL, T_TIMEOUT_MS));
    }
    for (int n = 0; n < NCLIENTS; n++) {
        uint32_t v;
        sctpng_rcvinfo ri;
        assert_int_equal(t_recv_msg(srv, &v, sizeof(v), &ri), sizeof(v));
        assert_true(v < NCLIENTS);
        assert_int_equal(ri.assoc, ids[v]);
        sctpng_addr caddr;
        T_OK(sctpng_get_local_addrs(cl[v], 0, &caddr, 1));
        assert_true(sctpng_addr_equal(&ri.from, &caddr));
        /* Reply by association id. */
        uint32_t reply = 100 + v;
        sctpng_sndinfo si = {.assoc = ri.assoc};
        T_OK(sctpng_send(srv, &reply, sizeof(reply), &si, T_TIMEOUT_MS));
    }
    for (int i = 0; i < NCLIENTS; i++) {
        uint32_t v;
        assert_int_equal(t_recv_msg(cl[i], &v, sizeof(v), NULL), sizeof(v));
        assert_int_equal(v, 100 + i);
    }
    for (int i = 0; i < NCLIENTS; i++)
        sctpng_close(cl[i]);
    sctpng_close(srv);
}

/* No connect: the first send to an address sets the association up
 * (implicitly); COMM_UP tells its id, which later sends can use. */
static void test_implicit_setup_by_send_to(void **state)
{
    (void)state;
    sctpng_addr at;
    sctpng_socket *srv = server(EV(ASSOC_CHANGE), &at);
    sctpng_socket_opts o = t_opts(AF_INET, SCTPNG_ONE_TO_MANY);
    o.events = EV(ASSOC_CHANGE);
    sctpng_socket *c = t_open_opts(&o);
    assert_int_equal(T_OK(sctpng_get_assoc_ids(c, NULL, 0)), 0);

    sctpng_sndinfo si = {.to = &at, .ppid = 1, .stream = 1};
    T_OK(sctpng_send(c, "implicit", 8, &si, T_TIMEOUT_MS));
    sctpng_assoc_t cid = comm_up(c);
    sctpng_assoc_t sid = comm_up(srv);
    char buf[64];
    sctpng_rcvinfo ri;
    assert_int_equal(t_recv_msg(srv, buf, sizeof(buf), &ri), 8);
    assert_memory_equal(buf, "implicit", 8);
    assert_int_equal(ri.assoc, sid);
    assert_int_equal(ri.stream, 1);

    /* Now by id. */
    sctpng_sndinfo by_id = {.assoc = cid, .ppid = 2};
    T_OK(sctpng_send(c, "by-id", 5, &by_id, T_TIMEOUT_MS));
    assert_int_equal(t_recv_msg(srv, buf, sizeof(buf), &ri), 5);
    assert_int_equal(ri.ppid, 2);
    assert_int_equal(ri.assoc, sid);
    sctpng_assoc_t ids[4];
    assert_int_equal(T_OK(sctpng_get_assoc_ids(c, ids, 4)), 1);
    assert_int_equal(ids[0], cid);
    sctpng_close(c);
    sctpng_close(srv);
}

/* A message sent by address only (no id) to any address of a multihomed
 * peer belongs to the association that has that address, not only to the
 * one whose primary it is: Linux looks the address up among all of an
 * association's paths. The client is bound to 127.0.0.1 and 127.0.0.2. */
static void test_send_to_second_peer_address(void **state)
{
    (void)state;
    sctpng_addr at;
    sctpng_socket *srv = server(EV(ASSOC_CHANGE), &at);
    sctpng_socket *c = t_open(AF_INET, SCTPNG_ONE_TO_ONE);
    sctpng_addr la[2] = {t_addr("127.0.0.1", 0), t_addr("127.0.0.2", 0)};
    T_OK(sctpng_bind(c, la, 2));
    T_OK(sctpng_connect(c, &at, 1, NULL, T_TIMEOUT_MS));
    sctpng_assoc_t sid = comm_up(srv);
    sctpng_addr peer[4];
    assert_int_equal(T_OK(sctpng_get_peer_addrs(srv, sid, peer, 4)), 2);
    sctpng_addr second = peer[1];
    if (sctpng_addr_equal(&second, &peer[0]))
        fail_msg("the peer's two addresses are one");

    char buf[64];
    sctpng_rcvinfo ri;
    for (int i = 0; i < 2; i++) {
        sctpng_sndinfo si = {.to = &peer[i], .ppid = 7};
        T_OK(sctpng_send(srv, "by-address", 10, &si, T_TIMEOUT_MS));
        assert_int_equal(t_recv_msg(c, buf, sizeof(buf), &ri), 10);
        assert_memory_equal(buf, "by-address", 10);
        assert_int_equal(ri.ppid, 7);
    }
    sctpng_assoc_t ids[4];
    assert_int_equal(T_OK(sctpng_get_assoc_ids(srv, ids, 4)), 1);
    assert_int_equal(ids[0], sid);
    sctpng_close(c);
    sctpng_close(srv);
}

/* A one-to-many socket connects to two servers: each connect returns its
 * association id, the same the COMM_UP event and the status report. */
static void test_connect_returns_assoc_id(void **state)
{
    (void)state;
    sctpng_addr at1, at2;
    sctpng_socket *s1 = server(0, &at1);
    sctpng_socket *s2 = server(0, &at2);
    sctpng_socket_opts o = t_opts(AF_INET, SCTPNG_ONE_TO_MANY);
    o.events = EV(ASSOC_CHANGE);
    sctpng_socket *c = t_open_opts(&o);
    sctpng_assoc_t a1 = 0, a2 = 0;
    T_OK(sctpng_connect(c, &at1, 1, &a1, T_TIMEOUT_MS));
    T_OK(sctpng_connect(c, &at2, 1, &a2, T_TIMEOUT_MS));
    assert_true(a1 > 0);
    assert_true(a2 > 0);
    assert_true(a1 != a2);
    sctpng_assoc_t e1 = comm_up(c), e2 = comm_up(c);
    assert_int_equal(e1, a1);
    assert_int_equal(e2, a2);
    sctpng_status st;
    T_OK(sctpng_get_status(c, a2, &st));
    assert_int_equal(st.assoc, a2);
    assert_int_equal(st.state, SCTPNG_STATE_ESTABLISHED);
    sctpng_addr peer;
    assert_int_equal(T_OK(sctpng_get_peer_addrs(c, a2, &peer, 1)), 1);
    assert_true(sctpng_addr_equal(&peer, &at2));
    /* Each association reaches its own server. */
    sctpng_sndinfo si = {.assoc = a2};
    T_OK(sctpng_send(c, "two", 3, &si, T_TIMEOUT_MS));
    char buf[16];
    assert_int_equal(t_recv_msg(s2, buf, sizeof(buf), NULL), 3);
    t_expect_quiet(s1, 200);
    sctpng_close(c);
    sctpng_close(s1);
    sctpng_close(s2);
}

/* Peeloff: one association moves to a new one-to-one handle; its traffic
 * goes there, the others stay on the one-to-many socket. */
static void test_peeloff(void **state)
{
    (void)state;
    sctpng_addr at;
    sctpng_socket *srv = server(EV(ASSOC_CHANGE), &at);
    sctpng_socket *cl[NCLIENTS];
    sctpng_assoc_t ids[NCLIENTS];
    connect_clients(srv, &at, cl, ids);

    sctpng_socket *p = NULL;
    T_OK(sctpng_peeloff(srv, ids[1], &p));
    assert_non_null(p);
    assert_int_equal(sctpng_style(p), SCTPNG_ONE_TO_ONE);
    assert_true(sctpng_fd(p) >= 0 && sctpng_fd(p) != sctpng_fd(srv));
    assert_int_equal(T_OK(sctpng_get_assoc_ids(srv, NULL, 0)), NCLIENTS - 1);

    sctpng_status st;
    T_OK(sctpng_get_status(p, 0, &st));
    assert_int_equal(st.state, SCTPNG_STATE_ESTABLISHED);

    for (int i = 0; i < NCLIENTS; i++) {
        uint32_t v = (uint32_t)i;
        T_OK(sctpng_send(cl[i], &v, sizeof(v), NULL, T_TIMEOUT_MS));
    }
    uint32_t v;
    sctpng_rcvinfo ri;
    assert_int_equal(t_recv_msg(p, &v, sizeof(v), &ri), sizeof(v));
    assert_int_equal(v, 1);
    for (int n = 0; n < NCLIENTS - 1; n++) {
        assert_int_equal(t_recv_msg(srv, &v, sizeof(v), &ri), sizeof(v));
        assert_true(v == 0 || v == 2);
        assert_int_equal(ri.assoc, ids[v]);
    }
    t_expect_quiet(srv, 200);
    /* The peeled handle sends without an id, like any one-to-one socket. */
    T_OK(sctpng_send(p, "peeled", 6, NULL, T_TIMEOUT_MS));
    char buf[16];
    assert_int_equal(t_recv_msg(cl[1], buf, sizeof(buf), NULL), 6);
    assert_memory_equal(buf, "peeled", 6);
    /* The id no longer belongs to the one-to-many socket. */
    sctpng_socket *again = NULL;
    T_ERR(sctpng_peeloff(srv, ids[1], &again), -EINVAL);
    assert_null(again);
    sctpng_close(p);
    for (int i = 0; i < NCLIENTS; i++)
        sctpng_close(cl[i]);
    sctpng_close(srv);
}

/* Shutting one association down leaves the others working. */
static void test_shutdown_one_assoc(void **state)
{
    (void)state;
    sctpng_addr at;
    sctpng_socket *srv = server(EV(ASSOC_CHANGE), &at);
    sctpng_socket *cl[NCLIENTS];
    sctpng_assoc_t ids[NCLIENTS];
    connect_clients(srv, &at, cl, ids);

    T_OK(sctpng_shutdown(srv, ids[0]));
    char buf[512];
    sctpng_event ev;
    t_recv_assoc_change(srv, SCTPNG_SHUTDOWN_COMP, &ev, buf, sizeof(buf));
    assert_int_equal(ev.assoc, ids[0]);
    assert_int_equal(T_OK(sctpng_recv(cl[0], buf, sizeof(buf), NULL, T_TIMEOUT_MS)), 0);
    assert_int_equal(T_OK(sctpng_get_assoc_ids(srv, NULL, 0)), NCLIENTS - 1);
    for (int i = 1; i < NCLIENTS; i++) {
        sctpng_sndinfo si = {.assoc = ids[i]};
        T_OK(sctpng_send(srv, "still", 5, &si, T_TIMEOUT_MS));
        assert_int_equal(t_recv_msg(cl[i], buf, sizeof(buf), NULL), 5);
    }
    for (int i = 0; i < NCLIENTS; i++)
        sctpng_close(cl[i]);
    sctpng_close(srv);
}

/* SCTPNG_ABORT with data: the association ends at once and the peer's
 * COMM_LOST carries the ABORT chunk with our reason in it. */
static void test_abort_flag_with_reason(void **state)
{
    (void)state;
    sctpng_addr at;
    sctpng_socket *srv = server(EV(ASSOC_CHANGE), &at);
    sctpng_socket_opts co = t_opts(AF_INET, SCTPNG_ONE_TO_ONE);
    co.events = EV(ASSOC_CHANGE);
    sctpng_socket *c = t_open_opts(&co);
    T_OK(sctpng_connect(c, &at, 1, NULL, T_TIMEOUT_MS));
    sctpng_assoc_t id = comm_up(srv);

    static const char reason[] = "going-away-now";
    sctpng_sndinfo si = {.assoc = id, .flags = SCTPNG_ABORT};
    T_OK(sctpng_send(srv, reason, sizeof(reason) - 1, &si, T_TIMEOUT_MS));
    char buf[512];
    sctpng_event ev;
    t_recv_assoc_change(srv, SCTPNG_COMM_LOST, &ev, buf, sizeof(buf));
    assert_int_equal(ev.assoc, id);
    t_recv_assoc_change(c, SCTPNG_COMM_LOST, &ev, buf, sizeof(buf));
    assert_true(ev.u.assoc_change.info_len >= sizeof(reason) - 1);
    assert_non_null(
        memmem(ev.u.assoc_change.info, ev.u.assoc_change.info_len, reason, sizeof(reason) - 1));
    assert_int_equal(T_OK(sctpng_get_assoc_ids(srv, NULL, 0)), 0);
    sctpng_close(c);
    sctpng_close(srv);
}

/* sctpng_abort() on one association of a one-to-many socket. */
static void test_abort_one_assoc(void **state)
{
    (void)state;
    sctpng_addr at;
    sctpng_socket *srv = server(EV(ASSOC_CHANGE), &at);
    sctpng_socket *cl[NCLIENTS];
    sctpng_assoc_t ids[NCLIENTS];
    connect_clients(srv, &at, cl, ids);
    T_OK(sctpng_abort(srv, ids[2]));
    char buf[512];
    T_ERR(sctpng_recv(cl[2], buf, sizeof(buf), NULL, T_TIMEOUT_MS), -ECONNRESET);
    assert_int_equal(T_OK(sctpng_get_assoc_ids(srv, NULL, 0)), NCLIENTS - 1);
    T_OK(sctpng_send(cl[0], "ok", 2, NULL, T_TIMEOUT_MS));
    sctpng_rcvinfo ri;
    assert_int_equal(t_recv_msg(srv, buf, sizeof(buf), &ri), 2);
    assert_int_equal(ri.assoc, ids[0]);
    for (int i = 0; i < NCLIENTS; i++)
        sctpng_close(cl[i]);
    sctpng_close(srv);
}

/* SCTPNG_EOF with data: the message is delivered, then the association
 * shuts down gracefully. */
static void test_eof_flag_with_data(void **state)
{
    (void)state;
    sctpng_addr at;
    sctpng_socket *srv = server(EV(ASSOC_CHANGE), &at);
    sctpng_socket *c = t_open(AF_INET, SCTPNG_ONE_TO_ONE);
    T_OK(sctpng_connect(c, &at, 1, NULL, T_TIMEOUT_MS));
    sctpng_assoc_t id = comm_up(srv);
    sctpng_sndinfo si = {.assoc = id, .flags = SCTPNG_EOF, .ppid = 3};
    T_OK(sctpng_send(srv, "goodbye", 7, &si, T_TIMEOUT_MS));
    char buf[512];
    sctpng_rcvinfo ri;
    assert_int_equal(t_recv_msg(c, buf, sizeof(buf), &ri), 7);
    assert_memory_equal(buf, "goodbye", 7);
    assert_int_equal(ri.ppid, 3);
    assert_int_equal(T_OK(sctpng_recv(c, buf, sizeof(buf), &ri, T_TIMEOUT_MS)), 0);
    sctpng_event ev;
    t_recv_assoc_change(srv, SCTPNG_SHUTDOWN_COMP, &ev, buf, sizeof(buf));
    assert_int_equal(ev.assoc, id);
    sctpng_close(c);
    sctpng_close(srv);
}

/* SCTPNG_SENDALL: one send reaches every association. */
static void test_sendall(void **state)
{
    (void)state;
    sctpng_addr at;
    sctpng_socket *srv = server(EV(ASSOC_CHANGE), &at);
    sctpng_socket *cl[NCLIENTS];
    sctpng_assoc_t ids[NCLIENTS];
    connect_clients(srv, &at, cl, ids);
    sctpng_sndinfo si = {.flags = SCTPNG_SENDALL, .ppid = 99};
    T_OK(sctpng_send(srv, "to-all", 6, &si, T_TIMEOUT_MS));
    for (int i = 0; i < NCLIENTS; i++) {
        char buf[16];
        sctpng_rcvinfo ri;
        assert_int_equal(t_recv_msg(cl[i], buf, sizeof(buf), &ri), 6);
        assert_memory_equal(buf, "to-all", 6);
        assert_int_equal(ri.ppid, 99);
    }
    for (int i = 0; i < NCLIENTS; i++)
        sctpng_close(cl[i]);
    sctpng_close(srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_three_assocs_ids_and_replies),
        cmocka_unit_test(test_implicit_setup_by_send_to),
        cmocka_unit_test(test_send_to_second_peer_address),
        cmocka_unit_test(test_connect_returns_assoc_id),
        cmocka_unit_test(test_peeloff),
        cmocka_unit_test(test_shutdown_one_assoc),
        cmocka_unit_test(test_abort_flag_with_reason),
        cmocka_unit_test(test_abort_one_assoc),
        cmocka_unit_test(test_eof_flag_with_data),
        cmocka_unit_test(test_sendall),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
