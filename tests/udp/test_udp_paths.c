/* test_udp_paths.c - sctpng_set/get_pathparams on the UDP backend: the
 * values reach the engine's path and read back, zero fields stay as they
 * are, inconsistent values (an MTU too small, a DSCP above 63) are
 * refused, a DSCP and flow label read back in their scopes, a heartbeat on demand goes out, and a
 * one-to-many socket's defaults reach the associations set up later. And the potentially failed
 * state with a peer that stops answering (a child process that SIGSTOP pauses): path info shows it;
 * PEER_ADDR_CHANGE tells of it only with SCTPNG_OPT_EXPOSE_PF, as on Linux. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "uhelp.h"

static sctpng_pathparams read_params(sctpng_socket *s, sctpng_assoc_t assoc)
{
    sctpng_pathparams p;
    sctpng_pathparams_init(&p);
    assert_int_equal(sctpng_get_pathparams(s, assoc, &p), 0);
    return p;
}

static void test_set_and_read_back(void **state)
{
    (void)state;
    struct u_pair p;
    assert_int_equal(u_pair_open(&p), 0);
    sctpng_pathparams pp = read_params(p.c, 0);
    assert_int_equal(pp.max_retrans, 5);
    assert_int_equal(pp.hb_interval_ms, 30000);
    assert_true(pp.flags & SCTPNG_HB_ON);
    assert_int_equal(pp.pf_threshold, 0); /* as Linux */
    assert_int_equal(pp.switchover_threshold, SCTPNG_SWITCHOVER_OFF);

    sctpng_pathparams_init(&pp);
    pp.hb_interval_ms = 1500;
    pp.max_retrans = 3;
    pp.flags = SCTPNG_PF_ZERO;
    assert_int_equal(sctpng_set_pathparams(p.c, 0, &pp), 0);
    pp = read_params(p.c, 0);
    assert_int_equal(pp.hb_interval_ms, 1500);
    assert_int_equal(pp.max_retrans, 3);
    assert_int_equal(pp.pf_threshold, 0);

    /* zero fields are left as they are; heartbeats off and on again */
    sctpng_pathparams_init(&pp);
    pp.flags = SCTPNG_HB_OFF;
    assert_int_equal(sctpng_set_pathparams(p.c, 0, &pp), 0);
    pp = read_params(p.c, 0);
    assert_true(pp.flags & SCTPNG_HB_OFF);
    assert_int_equal(pp.max_retrans, 3);
    sctpng_pathparams_init(&pp);
    pp.flags = SCTPNG_HB_ON;
    pp.hb_interval_ms = 2000;
    assert_int_equal(sctpng_set_pathparams(p.c, 0, &pp), 0);
    assert_int_equal(read_params(p.c, 0).hb_interval_ms, 2000);

    /* the peer's address names the path; another address is no path */
    sctpng_pathparams_init(&pp);
    assert_int_equal(sctpng_addr_parse(&pp.addr, "127.0.0.1", U_SCTP_PORT), 0);
    pp.max_retrans = 7;
    assert_int_equal(sctpng_set_pathparams(p.c, 0, &pp), 0);
    assert_int_equal(sctpng_get_pathparams(p.c, 0, &pp), 0);
    assert_int_equal(pp.max_retrans, 7);
    assert_int_equal(sctpng_addr_parse(&pp.addr, "127.0.0.9", U_SCTP_PORT), 0);
    assert_int_equal(sctpng_set_pathparams(p.c, 0, &pp), -EINVAL);
    u_pair_close(&p);
}

static void test_refused(void **state)
{
    (void)state;
    struct u_pair p;
    assert_int_equal(u_pair_open(&p), 0);
    sctpng_pathparams pp;
    sctpng_pathparams_init(&pp);
    pp.max_retrans = 2;
    pp.pf_threshold = 3;
    assert_int_equal(sctpng_set_pathparams(p.c, 0, &pp), -EINVAL);
    sctpng_pathparams_init(&pp);
    pp.pf_threshold = 6; /* above the default max_retrans (5) */
    assert_int_equal(sctpng_set_pathparams(p.c, 0, &pp), -EINVAL);
    sctpng_pathparams_init(&pp);
    pp.flags = SCTPNG_HB_ON | SCTPNG_HB_OFF;
    assert_int_equal(sctpng_set_pathparams(p.c, 0, &pp), -EINVAL);
    sctpng_pathparams_init(&pp);
    pp.pf_threshold = 2;
    pp.switchover_threshold = 1; /* below pf_threshold */
    assert_int_equal(sctpng_set_pathparams(p.c, 0, &pp), -EINVAL);
    sctpng_pathparams_init(&pp);
    pp.mtu = 500; /* below SCTPNG_ENG_MIN_MTU */
    pp.flags = SCTPNG_PMTUD_OFF;
    assert_int_equal(sctpng_set_pathparams(p.c, 0, &pp), -EINVAL);
    sctpng_pathparams_init(&pp);
    pp.mtu = 1400;
    pp.flags = SCTPNG_PMTUD_ON; /* a fixed size and discovery */
    assert_int_equal(sctpng_set_pathparams(p.c, 0, &pp), -EINVAL);
    sctpng_pathparams_init(&pp);
    pp.flags = SCTPNG_PMTUD_ON | SCTPNG_PMTUD_OFF;
    assert_int_equal(sctpng_set_pathparams(p.c, 0, &pp), -EINVAL);
    sctpng_pathparams_init(&pp);
    pp.dscp = 64;
    pp.flags = SCTPNG_DSCP;
    assert_int_equal(sctpng_set_pathparams(p.c, 0, &pp), -EINVAL);
    /* nothing changed */
    pp = read_params(p.c, 0);
    assert_int_equal(pp.max_retrans, 5);
    assert_int_equal(pp.pf_threshold, 0);
    u_pair_close(&p);
}

static uint64_t ctrl_sent(sctpng_socket *s)
{
    sctpng_assoc_stats st;
    sctpng_assoc_stats_init(&st);
    assert_int_equal(sctpng_get_assoc_stats(s, 0, &st), 0);
    return st.octrlchunks;
}

/* SCTPNG_HB_NOW: one HEARTBEAT leaves, answered by the peer. (A fixed
 * MTU first: PLPMTUD's probes are HEARTBEATs too.) */
static void test_heartbeat_now(void **state)
{
    (void)state;
    struct u_pair p;
    assert_int_equal(u_pair_open(&p), 0);
    sctpng_pathparams pp;
    sctpng_pathparams_init(&pp);
    pp.flags = SCTPNG_PMTUD_OFF;
    assert_int_equal(sctpng_set_pathparams(p.c, 0, &pp), 0);
    char buf[8];
    sctpng_rcvinfo ri;
    assert_int_equal(sctpng_recv(p.c, buf, sizeof(buf), &ri, 50), -ETIMEDOUT);
    uint64_t before = ctrl_sent(p.c);
    sctpng_pathparams_init(&pp);
    pp.flags = SCTPNG_HB_NOW;
    assert_int_equal(sctpng_set_pathparams(p.c, 0, &pp), 0);
    /* pump both sides a little: the server answers, the client reads it */
    assert_int_equal(sctpng_recv(p.s, buf, sizeof(buf), &ri, 100), -ETIMEDOUT);
    assert_int_equal(sctpng_recv(p.c, buf, sizeof(buf), &ri, 100), -ETIMEDOUT);
    assert_int_equal(ctrl_sent(p.c), before + 1);
    u_pair_close(&p);
}

/* A one-to-many socket's defaults (assoc SCTPNG_ASSOC_FUTURE) are what
 * its associations set up later have. */
static void test_future_associations(void **state)
{
    (void)state;
    sctpng_socket *l = u_listener(AF_INET, SCTPNG_ONE_TO_MANY, "127.0.0.1", 0);
    sctpng_socket *c = u_client(AF_INET, SCTPNG_ONE_TO_MANY, 0);
    assert_non_null(l);
    assert_non_null(c);
    sctpng_pathparams pp;
    sctpng_pathparams_init(&pp);
    pp.max_retrans = 4;
    pp.pf_threshold = 1;
    pp.hb_interval_ms = 5000;
    pp.flags = SCTPNG_DSCP | SCTPNG_FLOWLABEL;
    pp.dscp = 12;
    pp.ipv6_flowlabel = 99; /* an IPv4 socket keeps no default label, as Linux */
    assert_int_equal(sctpng_set_pathparams(c, SCTPNG_ASSOC_FUTURE, &pp), 0);
    sctpng_addr a;
    assert_int_equal(sctpng_addr_parse(&a, "127.0.0.1", U_SCTP_PORT), 0);
    sctpng_assoc_t id = 0;
    assert_int_equal(sctpng_connect(c, &a, 1, &id, U_WAIT_MS), 0);
    pp = read_params(c, id);
    assert_int_equal(pp.max_retrans, 4);
    assert_int_equal(pp.pf_threshold, 1);
    assert_int_equal(pp.hb_interval_ms, 5000);
    assert_true(pp.flags & SCTPNG_DSCP);
    assert_int_equal(pp.dscp, 12);
    assert_false(pp.flags & SCTPNG_FLOWLABEL);
    assert_int_equal(read_params(c, SCTPNG_ASSOC_FUTURE).max_retrans, 4);
    assert_int_equal(read_params(c, SCTPNG_ASSOC_FUTURE).dscp, 12);
    assert_int_equal(sctpng_get_pathparams(c, id + 100, &pp), -EINVAL);
    sctpng_close(c);
    sctpng_close(l);
}

/* A server in a child process: accepts one association and reads until
 * it ends. Returns its pid once it listens. */
static pid_t child_server(void)
{
    int ready[2];
    assert_int_equal(pipe(ready), 0);
    uint16_t port = u_udp_port(); /* the parent's, where its client goes */
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(ready[0]);
        sctpng_socket *l = u_open(AF_INET, SCTPNG_ONE_TO_ONE, 0), *s = NULL;
        sctpng_addr a;
        if (!l || sctpng_addr_parse(&a, "127.0.0.1", U_SCTP_PORT) < 0 ||
            sctpng_setopt(l, SCTPNG_OPT_UDP_PORT, port) < 0 || sctpng_bind(l, &a, 1) < 0 ||
            sctpng_listen(l, 1) < 0 || write(ready[1], "r", 1) != 1 ||
            sctpng_accept(l, &s, NULL, U_WAIT_MS) < 0)
            _exit(1);
        char buf[256];
        sctpng_rcvinfo ri;
        while (sctpng_recv(s, buf, sizeof(buf), &ri, 30000) > 0)
            ;
        _exit(0);
    }
    close(ready[1]);
    char c;
    assert_int_equal(read(ready[0], &c, 1), 1);
    close(ready[0]);
    return pid;
}

/* Waits for a PEER_ADDR_CHANGE with `state`; 0, or -ETIMEDOUT. */
static int wait_paddr(sctpng_socket *c, int state, int ms)
{
    sctpng_event ev;
    int err;
    while ((err = u_wait_event(c, SCTPNG_EV_PEER_ADDR_CHANGE, &ev, ms)) == 0)
        if (ev.u.peer_addr.state == state)
            return 0;
    return err;
}

static int path_state_of(sctpng_socket *c)
{
    sctpng_addr a;
    sctpng_pathinfo pi;
    assert_int_equal(sctpng_addr_parse(&a, "127.0.0.1", U_SCTP_PORT), 0);
    assert_int_equal(sctpng_get_pathinfo(c, 0, &a, &pi), 0);
    return pi.state;
}

static void pf_with_a_paused_peer(bool expose)
{
    pid_t pid = child_server();
    sctpng_socket *c =
        u_client(AF_INET, SCTPNG_ONE_TO_ONE, SCTPNG_EVMASK(SCTPNG_EV_PEER_ADDR_CHANGE));
    assert_non_null(c);
    if (expose)
        assert_int_equal(sctpng_setopt(c, SCTPNG_OPT_EXPOSE_PF, 1), 0);
    sctpng_addr a;
    assert_int_equal(sctpng_addr_parse(&a, "127.0.0.1", U_SCTP_PORT), 0);
    assert_int_equal(sctpng_connect(c, &a, 1, NULL, U_WAIT_MS), 0);
    assert_int_equal(sctpng_send(c, "warm", 4, NULL, U_WAIT_MS), 4);
    kill(pid, SIGSTOP);
    assert_int_equal(sctpng_send(c, "lost", 4, NULL, U_WAIT_MS), 4);
    /* its T3 expires (RTO is between 200 ms and 1 s here) */
    int err = wait_paddr(c, SCTPNG_ADDR_POTENTIALLY_FAILED, 2500);
    assert_int_equal(err, expose ? 0 : -ETIMEDOUT);
    assert_int_equal(path_state_of(c), SCTPNG_PATH_PF);
    kill(pid, SIGCONT);
    /* a heartbeat every RTO: answered now */
    err = wait_paddr(c, SCTPNG_ADDR_AVAILABLE, 3000);
    assert_int_equal(err, expose ? 0 : -ETIMEDOUT);
    assert_int_equal(path_state_of(c), SCTPNG_PATH_ACTIVE);
    sctpng_close(c);
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static void test_pf_exposed(void **state)
{
    (void)state;
    pf_with_a_paused_peer(true);
}

static void test_pf_not_exposed(void **state)
{
    (void)state;
    pf_with_a_paused_peer(false);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_set_and_read_back), cmocka_unit_test(test_refused),
        cmocka_unit_test(test_heartbeat_now),     cmocka_unit_test(test_future_associations),
        cmocka_unit_test(test_pf_exposed),        cmocka_unit_test(test_pf_not_exposed),
    };
    return cmocka_run_group_tests_name("udp_paths", tests, NULL, NULL);
}
