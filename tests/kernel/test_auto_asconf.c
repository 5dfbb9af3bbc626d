/* test_auto_asconf.c - SCTPNG_OPT_AUTO_ASCONF (SCTP_AUTO_ASCONF): a
 * wildcard-bound endpoint that follows the host's addresses tells its
 * peers, by ASCONF (RFC 5061), when an address appears or goes away; one
 * that does not follow them says nothing. Each case runs in a child
 * process in its own network namespace, so that the addresses it adds and
 * the addip sysctls it turns on touch nothing else. */
#include <arpa/inet.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

#define SKIP_CODE 77
#define ALIAS     "lo:7"
#define ALIAS_IP  "10.7.7.7"

/* A failed step in the child: say which and exit with its number. */
#define CHILD_CHECK(cond, step)                                                                    \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "# step %d failed: %s\n", (step), #cond);                              \
            _exit(step);                                                                           \
        }                                                                                          \
    } while (0)

/* Add ALIAS_IP to lo (up) or remove it (down), as `ip addr` would. */
static int alias(int up)
{
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    struct ifreq ifr;
    memset(&ifr, 0, sizeof(ifr));
    strcpy(ifr.ifr_name, ALIAS);
    int err = 0;
    if (up) {
        struct sockaddr_in a = {.sin_family = AF_INET};
        inet_pton(AF_INET, ALIAS_IP, &a.sin_addr);
        memcpy(&ifr.ifr_addr, &a, sizeof(a));
        if (ioctl(fd, SIOCSIFADDR, &ifr) < 0)
            err = -errno;
    } else if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0) {
        err = -errno;
    } else {
        ifr.ifr_flags &= ~IFF_UP; /* an alias that goes down is deleted */
        if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
            err = -errno;
    }
    close(fd);
    return err;
}

/* A private namespace with lo up and ASCONF allowed without AUTH. */
static int private_net(void)
{
    if (unshare(CLONE_NEWNET) < 0)
        return -1;
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct ifreq ifr;
    memset(&ifr, 0, sizeof(ifr));
    strcpy(ifr.ifr_name, "lo");
    int ok = fd >= 0 && ioctl(fd, SIOCGIFFLAGS, &ifr) == 0;
    ifr.ifr_flags |= IFF_UP;
    ok = ok && ioctl(fd, SIOCSIFFLAGS, &ifr) == 0;
    if (fd >= 0)
        close(fd);
    if (!ok || t_sysctl_sctp("addip_enable", 1, NULL) < 0 ||
        t_sysctl_sctp("addip_noauth_enable", 1, NULL) < 0)
        return -1;
    return 0;
}

/* Wait up to `ms` for a PEER_ADDR_CHANGE in `state`: its address's
 * text in `out`, or 0 when none came. */
static int peer_change(sctpng_socket *s, int state, char *out, size_t cap, int ms)
{
    int64_t end = t_now_ms() + ms;
    char buf[512];
    while (t_now_ms() < end) {
        sctpng_rcvinfo info;
        ssize_t n = sctpng_recv(s, buf, sizeof(buf), &info, (int)(end - t_now_ms()));
        if (n < 0 || !(info.flags & SCTPNG_RCV_EVENT) ||
            info.event.kind != SCTPNG_EV_PEER_ADDR_CHANGE)
            continue;
        if (info.event.u.peer_addr.state == state) {
            sctpng_addr_format(&info.event.u.peer_addr.addr, out, cap);
            return 1;
        }
    }
    return 0;
}

/* The child's whole case: a wildcard listener with AUTO_ASCONF `follow`,
 * a client with PEER_ADDR_CHANGE events, then an address added and
 * removed on the server's host. */
static void run_child(int follow, int style)
{
    if (private_net() < 0)
        _exit(SKIP_CODE);
    sctpng_socket *l = NULL, *c = NULL, *s = NULL;
    sctpng_socket_opts lo = t_opts(AF_INET, style);
    CHILD_CHECK(sctpng_socket_open(&l, &lo) == 0, 1);
    sctpng_addr any;
    CHILD_CHECK(sctpng_addr_parse(&any, "0.0.0.0", 0) == 0, 2);
    CHILD_CHECK(sctpng_bind(l, &any, 1) == 0, 3);
    CHILD_CHECK(sctpng_setopt(l, SCTPNG_OPT_AUTO_ASCONF, follow) == 0, 4);
    int v = -1;
    CHILD_CHECK(sctpng_getopt(l, SCTPNG_OPT_AUTO_ASCONF, &v) == 0 && v == follow, 5);
    CHILD_CHECK(sctpng_listen(l, 4) == 0, 6);
    sctpng_addr b;
    CHILD_CHECK(sctpng_get_local_addrs(l, 0, &b, 1) >= 1, 7);
    sctpng_addr to;
    sctpng_addr_parse(&to, "127.0.0.1", sctpng_addr_port(&b));

    sctpng_socket_opts co = t_opts(AF_INET, SCTPNG_ONE_TO_ONE);
    co.events = SCTPNG_EVMASK(SCTPNG_EV_PEER_ADDR_CHANGE);
    CHILD_CHECK(sctpng_socket_open(&c, &co) == 0, 8);
    CHILD_CHECK(sctpng_connect(c, &to, 1, NULL, T_TIMEOUT_MS) == 0, 9);
    if (style == SCTPNG_ONE_TO_ONE) {
        CHILD_CHECK(sctpng_accept(l, &s, NULL, T_TIMEOUT_MS) == 0, 10);
        /* Linux does not pass the setting on to the accepted socket. */
        int w = -1;
        CHILD_CHECK(sctpng_getopt(s, SCTPNG_OPT_AUTO_ASCONF, &w) == 0 && w == 0, 20);
        CHILD_CHECK(sctpng_setopt(s, SCTPNG_OPT_AUTO_ASCONF, follow) == 0, 21);
    }

    CHILD_CHECK(alias(1) == 0, 11);
    char text[64] = "";
    /* Linux batches address events for half a second before it sends. */
    int added = peer_change(c, SCTPNG_ADDR_ADDED, text, sizeof(text), follow ? T_TIMEOUT_MS : 1500);
    CHILD_CHECK(added == follow, 12);
    if (follow) {
        CHILD_CHECK(strncmp(text, ALIAS_IP ":", strlen(ALIAS_IP) + 1) == 0, 13);
        sctpng_addr peers[8];
        CHILD_CHECK(sctpng_get_peer_addrs(c, 0, peers, 8) == 2, 14);
    }
    CHILD_CHECK(alias(0) == 0, 15);
    if (follow) {
        CHILD_CHECK(peer_change(c, SCTPNG_ADDR_REMOVED, text, sizeof(text), T_TIMEOUT_MS), 16);
        CHILD_CHECK(strncmp(text, ALIAS_IP ":", strlen(ALIAS_IP) + 1) == 0, 17);
    }
    /* The association lives on, on its first address. */
    char buf[8];
    CHILD_CHECK(sctpng_send(c, "after", 5, NULL, T_TIMEOUT_MS) == 5, 18);
    CHILD_CHECK(sctpng_recv(s ? s : l, buf, sizeof(buf), NULL, T_TIMEOUT_MS) == 5, 19);
    sctpng_close(c);
    if (s)
        sctpng_close(s);
    sctpng_close(l);
    _exit(0);
}

static void run_case(int follow, int style)
{
    fflush(stdout);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        run_child(follow, style);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    if (WEXITSTATUS(status) == SKIP_CODE)
        T_SKIP("no network namespace or net.sctp sysctls here (not root?)");
    assert_int_equal(WEXITSTATUS(status), 0);
}

/* AUTO_ASCONF on: the peer hears of the new address and of its removal. */
static void test_auto_asconf_tells_peer(void **state)
{
    (void)state;
    T_SKIP_UDP("AUTO_ASCONF is kernel only (-ENOPROTOOPT): the engine does not follow the host's "
               "address changes");
    run_case(1, SCTPNG_ONE_TO_MANY);
}

/* The same through a one-to-one listener: the accepted socket does not
 * inherit the setting (Linux) and follows once it is set on it. */
static void test_auto_asconf_accepted_socket(void **state)
{
    (void)state;
    T_SKIP_UDP("AUTO_ASCONF is kernel only (-ENOPROTOOPT): the engine does not follow the host's "
               "address changes");
    run_case(1, SCTPNG_ONE_TO_ONE);
}

/* AUTO_ASCONF off: the same address changes go unannounced. */
static void test_auto_asconf_off_is_quiet(void **state)
{
    (void)state;
    T_SKIP_UDP("AUTO_ASCONF is kernel only (-ENOPROTOOPT): the engine does not follow the host's "
               "address changes");
    run_case(0, SCTPNG_ONE_TO_MANY);
}

/* Following the host's addresses needs a wildcard bind (Linux): a socket
 * bound to one address refuses it with -EINVAL. */
static void test_auto_asconf_needs_wildcard(void **state)
{
    (void)state;
    T_SKIP_UDP("AUTO_ASCONF is kernel only (-ENOPROTOOPT): the engine does not follow the host's "
               "address changes");
    sctpng_socket *s = t_open(AF_INET, SCTPNG_ONE_TO_ONE);
    sctpng_addr a = t_loopback(AF_INET, 0);
    T_OK(sctpng_bind(s, &a, 1));
    T_ERR(sctpng_setopt(s, SCTPNG_OPT_AUTO_ASCONF, 1), -EINVAL);
    T_OK(sctpng_setopt(s, SCTPNG_OPT_AUTO_ASCONF, 0));
    sctpng_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_auto_asconf_tells_peer),
        cmocka_unit_test(test_auto_asconf_accepted_socket),
        cmocka_unit_test(test_auto_asconf_off_is_quiet),
        cmocka_unit_test(test_auto_asconf_needs_wildcard),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
