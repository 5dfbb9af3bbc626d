/* test_udp_peel.c - peeloff on the UDP backend: an association of a
 * one-to-many socket moves to a one-to-one socket of its own with the data
 * that was waiting for it; from then on the one-to-many socket neither
 * reads, sends on nor hears of it, and its other associations go on. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>

#include "uhelp.h"

#define EV SCTPNG_EVMASK(SCTPNG_EV_ASSOC_CHANGE)

struct ups {
    sctpng_socket *s;
    sctpng_assoc_t id[2];
    int n;
};

/* The server's side of the two set-ups: its COMM_UP events, in order. */
static void *take_ups(void *arg)
{
    struct ups *u = arg;
    char buf[256];
    while (u->n < 2) {
        sctpng_rcvinfo ri;
        if (sctpng_recv(u->s, buf, sizeof(buf), &ri, U_WAIT_MS) < 0)
            break;
        if ((ri.flags & SCTPNG_RCV_EVENT) && ri.event.kind == SCTPNG_EV_ASSOC_CHANGE &&
            ri.event.u.assoc_change.state == SCTPNG_COMM_UP)
            u->id[u->n++] = ri.assoc;
    }
    return NULL;
}

/* A client's read until its association ends: 0 after a shutdown. */
struct end {
    sctpng_socket *s;
    ssize_t r;
};

static void *read_end(void *arg)
{
    struct end *e = arg;
    char buf[64];
    sctpng_rcvinfo ri;
    do
        e->r = sctpng_recv(e->s, buf, sizeof(buf), &ri, U_WAIT_MS);
    while (e->r > 0);
    return NULL;
}

static void test_peeled_association_moves_with_its_data(void **state)
{
    (void)state;
    struct ups u = {.s = u_listener(AF_INET, SCTPNG_ONE_TO_MANY, "127.0.0.1", EV)};
    assert_non_null(u.s);
    struct u_thread t;
    u_start(&t, take_ups, &u);
    sctpng_addr at;
    assert_int_equal(sctpng_addr_parse(&at, "127.0.0.1", U_SCTP_PORT), 0);
    sctpng_socket *c[2];
    for (int i = 0; i < 2; i++) {
        c[i] = u_client(AF_INET, SCTPNG_ONE_TO_ONE, 0);
        assert_non_null(c[i]);
        assert_int_equal(sctpng_connect(c[i], &at, 1, NULL, U_WAIT_MS), 0);
    }
    u_join(&t);
    assert_int_equal(u.n, 2);

    /* Client 0's message waits in the server unread when it is peeled. */
    assert_int_equal(sctpng_send(c[0], "early", 5, NULL, U_WAIT_MS), 5);
    for (int i = 0; i < 20 && sctpng_get_assoc_ids(u.s, NULL, 0) == 2; i++) {
        sctpng_assoc_t ids[2];
        sctpng_get_assoc_ids(u.s, ids, 2); /* pumps the endpoint */
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    sctpng_socket *p = NULL;
    assert_int_equal(sctpng_peeloff(u.s, u.id[0] + 1000, &p), -EINVAL);
    assert_int_equal(sctpng_peeloff(u.s, u.id[0], &p), 0);
    assert_non_null(p);
    assert_int_equal(sctpng_style(p), SCTPNG_ONE_TO_ONE);
    sctpng_socket *again = NULL;
    assert_int_equal(sctpng_peeloff(u.s, u.id[0], &again), -EINVAL); /* not its own now */
    assert_int_equal(sctpng_get_assoc_ids(u.s, NULL, 0), 1);

    char buf[64];
    sctpng_rcvinfo ri;
    assert_int_equal(u_recv_msg(p, buf, sizeof(buf), &ri, U_WAIT_MS), 5);
    assert_memory_equal(buf, "early", 5);
    assert_int_equal(sctpng_send(c[0], "a", 1, NULL, U_WAIT_MS), 1);
    assert_int_equal(sctpng_send(c[1], "b", 1, NULL, U_WAIT_MS), 1);
    assert_int_equal(u_recv_msg(p, buf, sizeof(buf), &ri, U_WAIT_MS), 1);
    assert_int_equal(buf[0], 'a');
    assert_int_equal(u_recv_msg(u.s, buf, sizeof(buf), &ri, U_WAIT_MS), 1);
    assert_int_equal(buf[0], 'b');
    assert_int_equal(ri.assoc, u.id[1]);

    /* Replies: the peeled socket to its client; the one-to-many socket
     * may no longer name the association. */
    assert_int_equal(sctpng_send(p, "A", 1, NULL, U_WAIT_MS), 1);
    assert_int_equal(u_recv_msg(c[0], buf, sizeof(buf), &ri, U_WAIT_MS), 1);
    assert_int_equal(buf[0], 'A');
    sctpng_sndinfo to0 = {.assoc = u.id[0]};
    assert_int_equal(sctpng_send(u.s, "x", 1, &to0, U_WAIT_MS), -EINVAL);

    /* Closing the peeled socket ends client 0's association only, and the
     * one-to-many socket hears nothing of it. */
    assert_int_equal(sctpng_close(p), 0);
    struct end e = {.s = c[0], .r = 99};
    u_start(&t, read_end, &e); /* client 0 finishes the shutdown meanwhile */
    sctpng_sndinfo to1 = {.assoc = u.id[1]};
    assert_int_equal(sctpng_send(u.s, "B", 1, &to1, U_WAIT_MS), 1);
    assert_int_equal(u_recv_msg(c[1], buf, sizeof(buf), &ri, U_WAIT_MS), 1);
    /* Pumping the server answers client 0's SHUTDOWN-ACK; nothing of it
     * reaches the one-to-many socket. */
    assert_int_equal(sctpng_recv(u.s, buf, sizeof(buf), &ri, 1000), -ETIMEDOUT);
    u_join(&t);
    assert_int_equal(e.r, 0);
    for (int i = 0; i < 2; i++)
        sctpng_close(c[i]);
    sctpng_close(u.s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_peeled_association_moves_with_its_data),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
