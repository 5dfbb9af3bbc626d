/* Path MTU on the UDP backend (ub_pmtu.c, the engine's PLPMTUD): on
 * loopback an association reaches packets of about lo's MTU less the IP
 * and UDP headers and carries a 256 KiB message whole; a fixed MTU
 * (SCTPNG_PMTUD_OFF with an mtu) stays put through a transfer and reads
 * back, SCTPNG_PMTUD_ON resumes the search; SCTPNG_UDP_MTU=1200 keeps the
 * old fixed 1200-byte packets. And an Ethernet-sized path: in a network
 * namespace of its own whose lo has MTU 1500 beside a 9000-byte veth
 * (so MAX_PLPMTU is 8972), probes above 1472 are refused by the stack
 * (DF, EMSGSIZE through the error queue, an ICMP-like hint) and the search
 * ends at 1472-byte SCTP packets, IPv4's 1500 less 28. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include "uhelp.h"

static uint32_t path_mtu(sctpng_socket *s)
{
    sctpng_addr a;
    sctpng_pathinfo pi;
    assert_int_equal(sctpng_addr_parse(&a, "127.0.0.1", U_SCTP_PORT), 0);
    assert_int_equal(sctpng_get_pathinfo(s, 0, &a, &pi), 0);
    return pi.mtu;
}

/* Both sides take their turn (the backend has no threads of its own). */
static void pump(struct u_pair *p, int ms)
{
    char buf[8];
    sctpng_rcvinfo ri;
    for (int t = 0; t < ms; t += 20) {
        (void)sctpng_recv(p->c, buf, sizeof(buf), &ri, 10);
        (void)sctpng_recv(p->s, buf, sizeof(buf), &ri, 10);
    }
}

/* Waits up to 3 s for the client's path MTU to reach `want` or more. */
static uint32_t wait_mtu(struct u_pair *p, uint32_t want)
{
    for (int i = 0; i < 150 && path_mtu(p->c) < want; i++)
        pump(p, 20);
    return path_mtu(p->c);
}

/* lo's MTU less IPv4 and UDP headers, as the engine's MAX_PLPMTU (4-byte
 * steps); 0 if unknown. */
static uint32_t lo_max(void)
{
    FILE *f = fopen("/sys/class/net/lo/mtu", "r");
    unsigned mtu = 0;
    if (f) {
        if (fscanf(f, "%u", &mtu) != 1)
            mtu = 0;
        fclose(f);
    }
    if (mtu < 1200 + 28)
        return 0;
    uint32_t v = mtu - 28 > 65507 ? 65507 : mtu - 28;
    return v & ~3u;
}

/* A 256 KiB message client to server, read back whole and compared. */
static void transfer(struct u_pair *p)
{
    static uint8_t out[256 * 1024], in[256 * 1024 + 1];
    for (size_t i = 0; i < sizeof(out); i++)
        out[i] = (uint8_t)(i * 13 + 1);
    sctpng_sndinfo si;
    memset(&si, 0, sizeof(si));
    assert_int_equal(sctpng_send(p->c, out, sizeof(out), &si, U_WAIT_MS), (ssize_t)sizeof(out));
    sctpng_rcvinfo ri;
    ssize_t n = u_recv_msg(p->s, in, sizeof(in), &ri, U_WAIT_MS);
    assert_int_equal(n, (ssize_t)sizeof(out));
    assert_memory_equal(in, out, sizeof(out));
}

static void reaches_large_packets(void **state)
{
    (void)state;
    uint32_t want = lo_max();
    if (!want)
        skip();
    struct u_pair p;
    assert_int_equal(u_pair_open(&p), 0);
    assert_int_equal(wait_mtu(&p, want), want);
    sctpng_status st;
    assert_int_equal(sctpng_get_status(p.c, 0, &st), 0);
    assert_true(st.frag_point >= want - 48);
    sctpng_pathparams pp;
    sctpng_pathparams_init(&pp);
    assert_int_equal(sctpng_get_pathparams(p.c, 0, &pp), 0);
    assert_true(pp.flags & SCTPNG_PMTUD_ON);
    assert_int_equal(pp.mtu, want);
    transfer(&p);
    u_pair_close(&p);
}

static void fixed_mtu_stays(void **state)
{
    (void)state;
    uint32_t want = lo_max();
    if (!want)
        skip();
    struct u_pair p;
    assert_int_equal(u_pair_open(&p), 0);
    sctpng_pathparams pp;
    sctpng_pathparams_init(&pp);
    pp.mtu = 1300;
    pp.flags = SCTPNG_PMTUD_OFF;
    assert_int_equal(sctpng_set_pathparams(p.c, 0, &pp), 0);
    assert_int_equal(path_mtu(p.c), 1300);
    transfer(&p);
    pump(&p, 300);
    assert_int_equal(path_mtu(p.c), 1300);
    sctpng_status st;
    assert_int_equal(sctpng_get_status(p.c, 0, &st), 0);
    assert_int_equal(st.frag_point, 1300 - 28);
    sctpng_pathparams_init(&pp);
    assert_int_equal(sctpng_get_pathparams(p.c, 0, &pp), 0);
    assert_int_equal(pp.mtu, 1300);
    assert_true(pp.flags & SCTPNG_PMTUD_OFF);
    /* discovery again */
    sctpng_pathparams_init(&pp);
    pp.flags = SCTPNG_PMTUD_ON;
    assert_int_equal(sctpng_set_pathparams(p.c, 0, &pp), 0);
    assert_int_equal(wait_mtu(&p, want), want);
    u_pair_close(&p);
}

static void env_fixed_1200(void **state)
{
    (void)state;
    setenv("SCTPNG_UDP_MTU", "1200", 1);
    struct u_pair p;
    int r = u_pair_open(&p);
    unsetenv("SCTPNG_UDP_MTU");
    assert_int_equal(r, 0);
    pump(&p, 200);
    assert_int_equal(path_mtu(p.c), 1200);
    transfer(&p);
    assert_int_equal(path_mtu(p.c), 1200);
    u_pair_close(&p);
    setenv("SCTPNG_UDP_MTU", "100", 1); /* out of range: refused */
    assert_null(u_open(AF_INET, SCTPNG_ONE_TO_ONE, 0));
    unsetenv("SCTPNG_UDP_MTU");
}

/* In the child, in its own namespace: 0 when the path ends at 1472 and a
 * transfer works, 77 if the namespace cannot be set up, else the step
 * that failed. No cmocka here: a failed assert would go on in the child. */
static int ethernet_child(void)
{
    if (unshare(CLONE_NEWNET) != 0)
        return 77;
    if (system("ip link set lo mtu 1500 up && ip link add v0 mtu 9000 type veth peer name v1 "
               "mtu 9000 && ip link set v0 up && ip link set v1 up") != 0)
        return 77;
    struct u_pair p;
    if (u_pair_open(&p) != 0)
        return 1;
    uint32_t mtu = 0;
    for (int i = 0; i < 150 && (mtu = path_mtu(p.c)) != 1472; i++)
        pump(&p, 20);
    if (mtu != 1472) {
        fprintf(stderr, "# path MTU %u, not 1472\n", mtu);
        return 2;
    }
    static uint8_t out[100000], in[100001];
    memset(out, 0x3C, sizeof(out));
    if (sctpng_send(p.c, out, sizeof(out), NULL, U_WAIT_MS) != (ssize_t)sizeof(out))
        return 3;
    sctpng_rcvinfo ri;
    if (u_recv_msg(p.s, in, sizeof(in), &ri, U_WAIT_MS) != (ssize_t)sizeof(out) ||
        memcmp(in, out, sizeof(out)) != 0)
        return 4;
    if (path_mtu(p.c) != 1472)
        return 5;
    u_pair_close(&p);
    return 0;
}

static void ethernet_path(void **state)
{
    (void)state;
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(ethernet_child());
    int st = 0;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st));
    if (WEXITSTATUS(st) == 77) {
        printf("# SKIPPED: no network namespace with veth here\n");
        skip();
    }
    assert_int_equal(WEXITSTATUS(st), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reaches_large_packets),
        cmocka_unit_test(fixed_mtu_stays),
        cmocka_unit_test(env_fixed_1200),
        cmocka_unit_test(ethernet_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
