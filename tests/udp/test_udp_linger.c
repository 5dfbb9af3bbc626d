/* How long close() waits for a graceful shutdown that gets no answer:
 * the UDP backend has no kernel to finish it in the background, so the
 * last handle keeps the association going for a few RTO.Min (ub_close.c)
 * and then aborts it. With the default RTO.Min (1 s, as Linux) that is
 * 3 s, enough for the SHUTDOWN to be sent again twice; with a small
 * RTO.Min it is never below 1 s. The silent peer is another process
 * whose engine stops running once it has accepted (the backend has no
 * threads: only calls move an engine). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "uhelp.h"

static int64_t ms_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The child: listen, tell the parent its UDP port, accept one
 * association, say so, then run no more calls until the parent closes
 * the pipe. */
static void silent_peer(int up, int down)
{
    sctpng_socket *l = u_listener(AF_INET, SCTPNG_ONE_TO_ONE, "127.0.0.1", 0), *srv = NULL;
    uint16_t port = l ? u_udp_port() : 0;
    if (write(up, &port, sizeof(port)) != sizeof(port) || !l)
        _exit(1);
    char ok = sctpng_accept(l, &srv, NULL, U_WAIT_MS) == 0 ? 'a' : 'x';
    if (write(up, &ok, 1) != 1)
        _exit(1);
    char c;
    while (read(down, &c, 1) > 0)
        ;
    _exit(0);
}

struct peer {
    pid_t pid;
    int from, to; /* pipe ends: child -> us, us -> child */
    uint16_t port;
};

static void peer_start(struct peer *p)
{
    int up[2], down[2];
    assert_int_equal(pipe(up), 0);
    assert_int_equal(pipe(down), 0);
    fflush(NULL);
    p->pid = fork();
    assert_true(p->pid >= 0);
    if (p->pid == 0) {
        close(up[0]);
        close(down[1]);
        silent_peer(up[1], down[0]);
    }
    close(up[1]);
    close(down[0]);
    p->from = up[0];
    p->to = down[1];
    assert_int_equal(read(p->from, &p->port, sizeof(p->port)), sizeof(p->port));
    assert_int_not_equal(p->port, 0);
}

static void peer_end(struct peer *p)
{
    close(p->to);
    int status = -1;
    assert_int_equal(waitpid(p->pid, &status, 0), p->pid);
    close(p->from);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* Connects to a silent peer (with RTO info `rto`, or the defaults) and
 * returns how long close() took. */
static int64_t close_ms(const sctpng_rtoinfo *rto)
{
    struct peer p;
    peer_start(&p);
    sctpng_socket *c = u_open(AF_INET, SCTPNG_ONE_TO_ONE, 0);
    assert_non_null(c);
    assert_int_equal(sctpng_setopt(c, SCTPNG_OPT_UDP_REMOTE_PORT, p.port), 0);
    if (rto)
        assert_int_equal(sctpng_set_rtoinfo(c, 0, rto), 0);
    sctpng_addr a;
    assert_int_equal(sctpng_addr_parse(&a, "127.0.0.1", U_SCTP_PORT), 0);
    assert_int_equal(sctpng_connect(c, &a, 1, NULL, U_WAIT_MS), 0);
    char ok = 0;
    assert_int_equal(read(p.from, &ok, 1), 1);
    assert_int_equal(ok, 'a'); /* from now on the peer's engine stands still */
    int64_t t0 = ms_now();
    assert_int_equal(sctpng_close(c), 0);
    int64_t ms = ms_now() - t0;
    peer_end(&p);
    return ms;
}

static void test_linger_default(void **state)
{
    (void)state;
    sctpng_rtoinfo r;
    sctpng_socket *s = u_open(AF_INET, SCTPNG_ONE_TO_ONE, 0);
    assert_non_null(s);
    assert_int_equal(sctpng_get_rtoinfo(s, 0, &r), 0);
    sctpng_close(s);
    assert_int_equal(r.min, 1000); /* Linux's rto_min */
    int64_t ms = close_ms(NULL);
    print_message("# close with a silent peer, RTO.Min 1000 ms: %lld ms\n", (long long)ms);
    assert_true(ms >= 2900 && ms < 4500);
}

static void test_linger_floor(void **state)
{
    (void)state;
    int64_t ms = close_ms(&(sctpng_rtoinfo){.initial = 300, .min = 100, .max = 500});
    print_message("# close with a silent peer, RTO.Min 100 ms: %lld ms\n", (long long)ms);
    assert_true(ms >= 950 && ms < 2000);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_linger_default),
        cmocka_unit_test(test_linger_floor),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
