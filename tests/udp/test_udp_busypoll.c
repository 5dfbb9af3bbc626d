/* test_udp_busypoll.c - SCTPNG_OPT_BUSY_POLL on the UDP backend: its
 * default, its bounds, accepted sockets taking the listener's value, and
 * what it is for: in a ping-pong, a thread that spins before it sleeps
 * finds the answer without sleeping, so it makes far fewer voluntary
 * context switches than one that sleeps at every wait. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <cmocka.h>

#include "uhelp.h"

#define ROUNDS 2000

static void test_default_bounds_inherit(void **state)
{
    (void)state;
    sctpng_socket *l = u_listener(AF_INET, SCTPNG_ONE_TO_ONE, "127.0.0.1", 0);
    sctpng_socket *c = u_client(AF_INET, SCTPNG_ONE_TO_ONE, 0);
    assert_non_null(l);
    assert_non_null(c);
    int v = -1;
    assert_int_equal(sctpng_getopt(c, SCTPNG_OPT_BUSY_POLL, &v), 0);
    assert_int_equal(v, 0); /* off unless asked for */
    assert_int_equal(sctpng_setopt(c, SCTPNG_OPT_BUSY_POLL, -1), -EINVAL);
    assert_int_equal(sctpng_setopt(c, SCTPNG_OPT_BUSY_POLL, 1001), -EINVAL);
    assert_int_equal(sctpng_setopt(c, SCTPNG_OPT_BUSY_POLL, 0), 0);
    assert_int_equal(sctpng_getopt(c, SCTPNG_OPT_BUSY_POLL, &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(sctpng_setopt(l, SCTPNG_OPT_BUSY_POLL, 1000), 0);
    sctpng_socket *s = NULL;
    assert_int_equal(u_connect_pair(l, c, "127.0.0.1", &s), 0);
    assert_int_equal(sctpng_getopt(s, SCTPNG_OPT_BUSY_POLL, &v), 0);
    assert_int_equal(v, 1000); /* the listener's, not the default */
    sctpng_close(s);
    sctpng_close(c);
    sctpng_close(l);
}

static int echo_failed;

/* The server side: echo ROUNDS messages, each after 100 us, so that the
 * answer is never there at the client's first try: without spinning the
 * client sleeps at every round trip. */
static void *echo(void *arg)
{
    sctpng_socket *s = arg;
    char buf[64];
    for (int i = 0; i < ROUNDS; i++) {
        sctpng_rcvinfo ri;
        ssize_t n = u_recv_msg(s, buf, sizeof(buf), &ri, U_WAIT_MS);
        nanosleep(&(struct timespec){.tv_nsec = 100000}, NULL);
        if (n <= 0 || sctpng_send(s, buf, (size_t)n, NULL, U_WAIT_MS) != n) {
            echo_failed = 1;
            break;
        }
    }
    return NULL;
}

/* ROUNDS request/response exchanges with both ends spinning up to `us`;
 * returns the client thread's voluntary context switches. */
static long ping_pong(int us)
{
    struct u_pair p;
    assert_int_equal(u_pair_open(&p), 0);
    assert_int_equal(sctpng_setopt(p.c, SCTPNG_OPT_BUSY_POLL, us), 0);
    assert_int_equal(sctpng_setopt(p.s, SCTPNG_OPT_BUSY_POLL, us), 0);
    assert_int_equal(sctpng_setopt(p.c, SCTPNG_OPT_NODELAY, 1), 0);
    assert_int_equal(sctpng_setopt(p.s, SCTPNG_OPT_NODELAY, 1), 0);
    struct u_thread t;
    u_start(&t, echo, p.s);
    char msg[64], back[64];
    memset(msg, 'x', sizeof(msg));
    struct rusage r0, r1;
    getrusage(RUSAGE_THREAD, &r0);
    for (int i = 0; i < ROUNDS; i++) {
        sctpng_rcvinfo ri;
        msg[0] = (char)i;
        assert_int_equal(sctpng_send(p.c, msg, sizeof(msg), NULL, U_WAIT_MS), sizeof(msg));
        assert_int_equal(u_recv_msg(p.c, back, sizeof(back), &ri, U_WAIT_MS), sizeof(back));
        assert_memory_equal(back, msg, sizeof(msg));
    }
    getrusage(RUSAGE_THREAD, &r1);
    u_join(&t);
    assert_int_equal(echo_failed, 0);
    u_pair_close(&p);
    return r1.ru_nvcsw - r0.ru_nvcsw;
}

static void test_spinning_skips_the_sleep(void **state)
{
    (void)state;
    /* A long budget, so that a loaded machine still answers within it. */
    long slept = ping_pong(0), spun = ping_pong(1000);
    printf("# %d round trips: %ld voluntary context switches sleeping, %ld spinning\n", ROUNDS,
           slept, spun);
    assert_true(slept >= ROUNDS * 9 / 10); /* a sleep per round trip */
    assert_true(spun * 4 < slept);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_bounds_inherit),
        cmocka_unit_test(test_spinning_skips_the_sleep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
