/* test_udp_sched.c - stream schedulers on the UDP backend, seen in the
 * order messages arrive: with more queued than the congestion window lets
 * out, priority serves the urgent stream first, FCFS keeps the order they
 * were sent in, round robin alternates. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "uhelp.h"

#define PER_STREAM 40
#define TOTAL      (2 * PER_STREAM)

struct order {
    sctpng_socket *s;
    uint16_t sid[TOTAL];
    int n;
};

static void *read_order(void *arg)
{
    struct order *o = arg;
    char buf[2048];
    while (o->n < TOTAL) {
        sctpng_rcvinfo ri;
        ssize_t r = u_recv_msg(o->s, buf, sizeof(buf), &ri, U_WAIT_MS);
        if (r <= 0)
            break;
        if (!(ri.flags & SCTPNG_RCV_EVENT))
            o->sid[o->n++] = ri.stream;
    }
    return NULL;
}

/* Streams 1 then 2 get PER_STREAM messages each, queued back to back; the
 * order they arrive in goes to o. */
static void run(int sched, struct order *o)
{
    struct u_pair up;
    assert_int_equal(u_pair_open(&up), 0);
    sctpng_socket *c = up.c, *s = up.s;
    assert_int_equal(sctpng_setopt(c, SCTPNG_OPT_SCHEDULER, sched), 0);
    int v = -1;
    assert_int_equal(sctpng_getopt(c, SCTPNG_OPT_SCHEDULER, &v), 0);
    assert_int_equal(v, sched);
    assert_int_equal(sctpng_set_stream_sched(c, 0, 1, 10), 0);
    assert_int_equal(sctpng_set_stream_sched(c, 0, 2, 0), 0);
    uint16_t got = 99;
    assert_int_equal(sctpng_get_stream_sched(c, 0, 1, &got), 0);
    assert_int_equal(got, 10);
    static const uint8_t msg[1000];
    for (int i = 0; i < TOTAL; i++) {
        sctpng_sndinfo si;
        sctpng_sndinfo_init(&si);
        si.stream = i < PER_STREAM ? 1 : 2;
        assert_int_equal(sctpng_send(c, msg, sizeof(msg), &si, 0), (ssize_t)sizeof(msg));
    }
    memset(o, 0, sizeof(*o));
    o->s = s;
    struct u_thread t;
    u_start(&t, read_order, o);
    char buf[64];
    sctpng_rcvinfo ri;
    while (sctpng_recv(c, buf, sizeof(buf), &ri, 500) != -ETIMEDOUT)
        ; /* take the SACKs that let the rest out */
    u_join(&t);
    assert_int_equal(o->n, TOTAL);
    u_pair_close(&up);
}

/* How many times the stream changes along the arrival order. */
static int switches(const struct order *o)
{
    int k = 0;
    for (int i = 1; i < o->n; i++)
        k += o->sid[i] != o->sid[i - 1];
    return k;
}

static void test_fcfs_keeps_send_order(void **state)
{
    (void)state;
    struct order o;
    run(SCTPNG_SCHED_FCFS, &o);
    assert_int_equal(switches(&o), 1);
    assert_int_equal(o.sid[0], 1);
}

/* Stream 2 (value 0) overtakes what stream 1 (value 10) still had queued:
 * 1...1 2...2 1...1, with stream 1's first messages those that fitted the
 * first flight. */
static void test_prio_serves_urgent_stream_first(void **state)
{
    (void)state;
    struct order o;
    run(SCTPNG_SCHED_PRIO, &o);
    int first2 = 0;
    while (o.sid[first2] == 1)
        first2++;
    print_message("# %d messages of stream 1 left before stream 2 was queued\n", first2);
    assert_true(first2 > 0 && first2 < PER_STREAM);
    for (int i = first2; i < first2 + PER_STREAM; i++)
        assert_int_equal(o.sid[i], 2);
    assert_int_equal(switches(&o), 2);
}

/* Round robin: once both streams have messages queued they take turns. */
static void test_rr_alternates(void **state)
{
    (void)state;
    struct order o;
    run(SCTPNG_SCHED_RR, &o);
    print_message("# %d switches between the streams\n", switches(&o));
    assert_true(switches(&o) >= PER_STREAM);
}

/* An unknown scheduler or stream, and a socket without an association. */
static void test_errors(void **state)
{
    (void)state;
    sctpng_socket *c = u_client(AF_INET, SCTPNG_ONE_TO_ONE, 0);
    assert_non_null(c);
    assert_int_equal(sctpng_setopt(c, SCTPNG_OPT_SCHEDULER, 9), -EINVAL);
    assert_int_equal(sctpng_setopt(c, SCTPNG_OPT_SCHEDULER, SCTPNG_SCHED_WFQ), 0);
    uint16_t v;
    assert_int_equal(sctpng_set_stream_sched(c, 0, 0, 1), -EINVAL);
    assert_int_equal(sctpng_get_stream_sched(c, 0, 0, &v), -EINVAL);
    sctpng_close(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fcfs_keeps_send_order),
        cmocka_unit_test(test_prio_serves_urgent_stream_first),
        cmocka_unit_test(test_rr_alternates),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
