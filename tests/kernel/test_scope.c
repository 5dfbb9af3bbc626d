/* test_scope.c - one-to-many sockets: an option set for one association,
 * for the current ones, for future ones or for all of them reaches just
 * those (SCTPNG_ASSOC_FUTURE / CURRENT / ALL), and sctpng_setopt() reaches
 * the live associations too, as the peer sees (the SACK delay). */
#include <string.h>

#include "helpers.h"

static int get_a(sctpng_socket *s, sctpng_assoc_t a, int opt)
{
    int v = -1;
    T_OK(sctpng_getopt_assoc(s, a, opt, &v));
    return v;
}

/* A one-to-many server with two live associations. */
struct two {
    sctpng_socket *srv, *c[2];
    sctpng_assoc_t id[2];
    sctpng_addr at;
};

static void two_up(struct two *t)
{
    sctpng_socket_opts o = t_opts(AF_INET, SCTPNG_ONE_TO_MANY);
    o.events = SCTPNG_EVMASK(SCTPNG_EV_ASSOC_CHANGE);
    t->srv = t_listener_opts(&o, &t->at);
    for (int i = 0; i < 2; i++)
        t->id[i] = t_connect_to_many(t->srv, &t->at, &t->c[i]);
}

static void two_down(struct two *t)
{
    for (int i = 0; i < 2; i++)
        sctpng_close(t->c[i]);
    sctpng_close(t->srv);
}

/* sctpng_setopt() on a one-to-many socket: live associations get the new
 * MAXSEG, MAX_BURST and SACK delay, and so does the default. */
static void test_setopt_reaches_live_associations(void **state)
{
    (void)state;
    struct two t;
    two_up(&t);
    T_OK(sctpng_setopt(t.srv, SCTPNG_OPT_MAXSEG, 1000));
    T_OK(sctpng_setopt(t.srv, SCTPNG_OPT_MAX_BURST, 3));
    T_OK(sctpng_setopt(t.srv, SCTPNG_OPT_DELAYED_ACK_MS, 0));
    for (int i = 0; i < 2; i++) {
        assert_int_equal(get_a(t.srv, t.id[i], SCTPNG_OPT_MAXSEG), 1000);
        assert_int_equal(get_a(t.srv, t.id[i], SCTPNG_OPT_MAX_BURST), 3);
        assert_int_equal(get_a(t.srv, t.id[i], SCTPNG_OPT_DELAYED_ACK_MS), 0);
        sctpng_status st;
        T_OK(sctpng_get_status(t.srv, t.id[i], &st));
        assert_true(st.frag_point <= 1000);
    }
    assert_int_equal(get_a(t.srv, SCTPNG_ASSOC_FUTURE, SCTPNG_OPT_MAX_BURST), 3);
    two_down(&t);
}

/* The SACK delay turned off with sctpng_setopt() on a live one-to-many
 * association: the client's data is acknowledged at once. */
static void test_live_delayed_ack_off_seen_by_peer(void **state)
{
    (void)state;
    sctpng_socket *c, *srv;
    sctpng_assoc_t id;
    t_pair_many(0, &c, &srv, &id);
    T_OK(sctpng_subscribe(c, SCTPNG_EVMASK(SCTPNG_EV_SENDER_DRY), true));
    T_OK(sctpng_setopt(c, SCTPNG_OPT_NODELAY, 1));
    T_OK(sctpng_setopt(srv, SCTPNG_OPT_DELAYED_ACK_MS, 400));
    T_OK(sctpng_send(c, "w", 1, NULL, T_TIMEOUT_MS)); /* first DATA: SACKed at once */
    t_drain(c, 300);
    char buf[256];
    sctpng_event ev;
    int64_t ms[2];
    for (int round = 0; round < 2; round++) {
        if (round)
            T_OK(sctpng_setopt(srv, SCTPNG_OPT_DELAYED_ACK_MS, 0));
        int64_t t0 = t_now_ms();
        T_OK(sctpng_send(c, "x", 1, NULL, T_TIMEOUT_MS));
        t_recv_event(c, SCTPNG_EV_SENDER_DRY, &ev, buf, sizeof(buf));
        ms[round] = t_now_ms() - t0;
        t_drain(c, 50);
    }
    print_message("# dry after %lld ms (delay 400), %lld ms (delay off)\n", (long long)ms[0],
                  (long long)ms[1]);
    assert_true(ms[0] >= 300);
    assert_true(ms[1] < 200);
    sctpng_close(c);
    sctpng_close(srv);
}

/* FUTURE changes only the default: live associations keep their value,
 * the next association gets the new one. */
static void test_scope_future(void **state)
{
    (void)state;
    struct two t;
    two_up(&t);
    int before = get_a(t.srv, t.id[0], SCTPNG_OPT_MAX_BURST);
    T_OK(sctpng_setopt_assoc(t.srv, SCTPNG_ASSOC_FUTURE, SCTPNG_OPT_MAX_BURST, before + 5));
    assert_int_equal(get_a(t.srv, t.id[0], SCTPNG_OPT_MAX_BURST), before);
    assert_int_equal(get_a(t.srv, t.id[1], SCTPNG_OPT_MAX_BURST), before);
    sctpng_socket *c3;
    sctpng_assoc_t id3 = t_connect_to_many(t.srv, &t.at, &c3);
    assert_int_equal(get_a(t.srv, id3, SCTPNG_OPT_MAX_BURST), before + 5);
    sctpng_close(c3);
    two_down(&t);
}

/* CURRENT changes the live associations and not the default; ALL both. */
static void test_scope_current_and_all(void **state)
{
    (void)state;
    struct two t;
    two_up(&t);
    int def = get_a(t.srv, SCTPNG_ASSOC_FUTURE, SCTPNG_OPT_DELAYED_ACK_MS);
    T_OK(sctpng_setopt_assoc(t.srv, SCTPNG_ASSOC_CURRENT, SCTPNG_OPT_DELAYED_ACK_MS, 200));
    for (int i = 0; i < 2; i++)
        assert_int_equal(get_a(t.srv, t.id[i], SCTPNG_OPT_DELAYED_ACK_MS), 200);
    assert_int_equal(get_a(t.srv, SCTPNG_ASSOC_FUTURE, SCTPNG_OPT_DELAYED_ACK_MS), def);
    T_OK(sctpng_setopt_assoc(t.srv, SCTPNG_ASSOC_ALL, SCTPNG_OPT_SACK_FREQ, 5));
    for (int i = 0; i < 2; i++)
        assert_int_equal(get_a(t.srv, t.id[i], SCTPNG_OPT_SACK_FREQ), 5);
    assert_int_equal(get_a(t.srv, SCTPNG_ASSOC_FUTURE, SCTPNG_OPT_SACK_FREQ), 5);
    two_down(&t);
}

/* One id: only that association changes. */
static void test_scope_one_association(void **state)
{
    (void)state;
    struct two t;
    two_up(&t);
    T_OK(sctpng_setopt_assoc(t.srv, t.id[0], SCTPNG_OPT_MAXSEG, 900));
    assert_int_equal(get_a(t.srv, t.id[0], SCTPNG_OPT_MAXSEG), 900);
    assert_true(get_a(t.srv, t.id[1], SCTPNG_OPT_MAXSEG) != 900);
    assert_true(get_a(t.srv, SCTPNG_ASSOC_FUTURE, SCTPNG_OPT_MAXSEG) != 900);
    two_down(&t);
}

/* Scopes an option does not take, and negotiated options read per
 * association: the peer offered no PR-SCTP, so the association has none
 * while the socket's default still offers it. */
static void test_scope_errors_and_negotiated_values(void **state)
{
    (void)state;
    sctpng_socket_opts o = t_opts(AF_INET, SCTPNG_ONE_TO_MANY);
    o.events = SCTPNG_EVMASK(SCTPNG_EV_ASSOC_CHANGE);
    sctpng_addr at;
    sctpng_socket *srv = t_listener_opts(&o, &at);
    sctpng_socket *c = t_open(AF_INET, SCTPNG_ONE_TO_ONE);
    T_OK(sctpng_setopt(c, SCTPNG_OPT_PR_SUPPORTED, 0));
    T_OK(sctpng_connect(c, &at, 1, NULL, T_TIMEOUT_MS));
    char buf[512];
    sctpng_event ev;
    t_recv_assoc_change(srv, SCTPNG_COMM_UP, &ev, buf, sizeof(buf));
    sctpng_assoc_t id = ev.assoc;
    assert_int_equal(get_a(srv, id, SCTPNG_OPT_PR_SUPPORTED), 0);
    assert_int_equal(get_a(srv, SCTPNG_ASSOC_FUTURE, SCTPNG_OPT_PR_SUPPORTED), 1);
    int v;
    T_ERR(sctpng_setopt_assoc(srv, id, SCTPNG_OPT_PR_SUPPORTED, 1), -EINVAL);
    T_ERR(sctpng_setopt_assoc(srv, SCTPNG_ASSOC_CURRENT, SCTPNG_OPT_NODELAY, 1), -EINVAL);
    T_ERR(sctpng_getopt_assoc(srv, SCTPNG_ASSOC_CURRENT, SCTPNG_OPT_MAXSEG, &v), -EINVAL);
    T_ERR(sctpng_getopt_assoc(srv, SCTPNG_ASSOC_ALL, SCTPNG_OPT_MAXSEG, &v), -EINVAL);
    T_ERR(sctpng_getopt_assoc(srv, id, SCTPNG_OPT_NODELAY, &v), -EINVAL);
    T_ERR(sctpng_getopt_assoc(srv, id + 1000, SCTPNG_OPT_MAXSEG, &v), -EINVAL);
    T_ERR(sctpng_setopt_assoc(srv, id + 1000, SCTPNG_OPT_MAXSEG, 1000), -EINVAL);
    T_OK(sctpng_setopt_assoc(srv, SCTPNG_ASSOC_ALL, SCTPNG_OPT_NODELAY, 1));
    T_OK(sctpng_getopt_assoc(srv, SCTPNG_ASSOC_FUTURE, SCTPNG_OPT_NODELAY, &v));
    assert_int_equal(v, 1);
    /* On a one-to-one socket the id does not matter. */
    T_OK(sctpng_getopt_assoc(c, 12345, SCTPNG_OPT_PR_SUPPORTED, &v));
    assert_int_equal(v, 0);
    sctpng_close(c);
    sctpng_close(srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_setopt_reaches_live_associations),
        cmocka_unit_test(test_live_delayed_ack_off_seen_by_peer),
        cmocka_unit_test(test_scope_future),
        cmocka_unit_test(test_scope_current_and_all),
        cmocka_unit_test(test_scope_one_association),
        cmocka_unit_test(test_scope_errors_and_negotiated_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
