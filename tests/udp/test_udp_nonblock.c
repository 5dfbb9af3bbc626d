/* test_udp_nonblock.c - non-blocking use of the UDP backend: connect
 * returns -EINPROGRESS and completes while the caller waits in epoll on
 * sctpng_fd(); a message is then awaited the same way. */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <cmocka.h>

#include "uhelp.h"

struct acc {
    sctpng_socket *l, *s;
    int rc;
};

static void *server_thread(void *arg)
{
    struct acc *a = arg;
    a->rc = sctpng_accept(a->l, &a->s, NULL, U_WAIT_MS);
    if (a->rc == 0 && sctpng_send(a->s, "hi", 2, NULL, U_WAIT_MS) != 2)
        a->rc = -1;
    char buf[8];
    sctpng_rcvinfo ri;
    if (a->rc == 0 && sctpng_recv(a->s, buf, sizeof(buf), &ri, U_WAIT_MS) != 3)
        a->rc = -2;
    return NULL;
}

/* Wait on the socket's fd with epoll, as an application's loop would. */
static int wait_fd(sctpng_socket *s, int ms)
{
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT}, out;
    epoll_ctl(ep, EPOLL_CTL_ADD, sctpng_fd(s), &ev);
    int n = epoll_wait(ep, &out, 1, ms);
    close(ep);
    return n;
}

static void test_connect_and_recv_with_epoll(void **state)
{
    struct acc a = {.l = u_listener(AF_INET, SCTPNG_ONE_TO_ONE, "127.0.0.1", 0)};
    assert_non_null(a.l);
    sctpng_socket *c = u_client(AF_INET, SCTPNG_ONE_TO_ONE, 0);
    assert_non_null(c);
    assert_true(sctpng_fd(c) >= 0);
    struct u_thread t;
    u_start(&t, server_thread, &a);
    sctpng_addr peer;
    assert_int_equal(sctpng_addr_parse(&peer, "127.0.0.1", U_SCTP_PORT), 0);
    assert_int_equal(sctpng_connect(c, &peer, 1, NULL, 0), -EINPROGRESS);
    assert_true(sctpng_poll_events(c) & POLLOUT);
    int rc = -EINPROGRESS, rounds = 0;
    while (rc == -EINPROGRESS && rounds++ < 200) {
        wait_fd(c, 100);
        rc = sctpng_connect_result(c);
    }
    assert_int_equal(rc, 0);
    assert_false(sctpng_poll_events(c) & POLLOUT);

    char buf[8];
    sctpng_rcvinfo ri;
    ssize_t r = -EAGAIN;
    rounds = 0;
    while (r == -EAGAIN && rounds++ < 200) {
        wait_fd(c, 100);
        r = sctpng_recv(c, buf, sizeof(buf), &ri, 0);
    }
    assert_int_equal(r, 2);
    assert_memory_equal(buf, "hi", 2);
    /* Nothing more: the fd goes quiet rather than spinning. */
    assert_int_equal(sctpng_recv(c, buf, sizeof(buf), &ri, 0), -EAGAIN);
    assert_int_equal(sctpng_send(c, "bye", 3, NULL, 0), 3);
    /* Keep pumping (the server's SACK and its own end) until it is done. */
    u_join(&t);
    assert_int_equal(a.rc, 0);
    sctpng_close(c);
    sctpng_close(a.s);
    sctpng_close(a.l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_connect_and_recv_with_epoll),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
