/*
 * test_fallback.c - the library on kernels older than the test VM's:
 * this program defines getsockopt() and setsockopt() itself, and so
 * replaces them for libsctp.so.1, to refuse the newer SCTP socket options
 * with ENOPROTOOPT as older kernels do:
 *   SCTP_SOCKOPT_CONNECTX3     (before Linux 2.6.32)
 *   SCTP_SOCKOPT_CONNECTX      (before 2.6.26; only CONNECTX_OLD left)
 *   SCTP_SOCKOPT_PEELOFF_FLAGS (before 4.13)
 * Everything else goes to the kernel.
 */
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "chelp.h"

static int no_connectx3, no_connectx, no_peeloff_flags;
static int old_connectx_calls;

int getsockopt(int fd, int level, int opt, void *restrict val, socklen_t *restrict len)
{
    if (level == IPPROTO_SCTP && ((opt == SCTP_SOCKOPT_CONNECTX3 && no_connectx3) ||
                                  (opt == SCTP_SOCKOPT_PEELOFF_FLAGS && no_peeloff_flags))) {
        errno = ENOPROTOOPT;
        return -1;
    }
    return (int)syscall(SYS_getsockopt, fd, level, opt, val, len);
}

int setsockopt(int fd, int level, int opt, const void *val, socklen_t len)
{
    if (level == IPPROTO_SCTP && opt == SCTP_SOCKOPT_CONNECTX && no_connectx) {
        errno = ENOPROTOOPT;
        return -1;
    }
    if (level == IPPROTO_SCTP && opt == SCTP_SOCKOPT_CONNECTX_OLD)
        old_connectx_calls++;
    return (int)syscall(SYS_setsockopt, fd, level, opt, val, len);
}

static int reset(void **state)
{
    (void)state;
    no_connectx3 = no_connectx = no_peeloff_flags = 0;
    old_connectx_calls = 0;
    return 0;
}

/* The association on `c` works: accept (one-to-one) and send over it. */
static void check_works(const c_mode *m, int l, int c, sctp_assoc_t id)
{
    int s = m->type == SOCK_STREAM ? c_accept(l) : l;
    struct sctp_sndrcvinfo si = {.sinfo_assoc_id = id};
    C_OK(sctp_send(c, "old", 3, &si, 0));
    char buf[8];
    assert_int_equal(c_recv_data(s, buf, sizeof(buf)), 3);
    if (s != l)
        close(s);
}

static sctp_assoc_t status_id(int fd)
{
    struct sctp_status st;
    memset(&st, 0, sizeof(st));
    socklen_t len = sizeof(st);
    C_OK(getsockopt(fd, IPPROTO_SCTP, SCTP_STATUS, &st, &len));
    return st.sstat_assoc_id;
}

/* Before 2.6.32: CONNECTX, which returns the id as its result. */
static void test_no_connectx3(void **state)
{
    const c_mode *m = C_MODE(state);
    no_connectx3 = 1;
    uint16_t port;
    int l = c_listener(m->family, m->type, &port);
    int c = c_socket(m->family, m->type);
    c_addr a = c_loopback(m->family, port);
    sctp_assoc_t id = 0;
    assert_int_equal(C_OK(sctp_connectx(c, &a.sa, 1, &id)), 0);
    assert_true(id > 0);
    if (m->type == SOCK_STREAM)
        assert_int_equal(status_id(c), id);
    assert_int_equal(old_connectx_calls, 0);
    check_works(m, l, c, id);
    close(c);
    close(l);
}

/* Same, non-blocking: the kernel cannot report the id; it stays 0. */
static void test_no_connectx3_nonblocking(void **state)
{
    const c_mode *m = C_MODE(state);
    no_connectx3 = 1;
    uint16_t port;
    int l = c_listener(m->family, SOCK_STREAM, &port);
    int c = c_socket(m->family, SOCK_STREAM);
    C_OK(fcntl(c, F_SETFL, O_NONBLOCK));
    c_addr a = c_loopback(m->family, port);
    sctp_assoc_t id = 77;
    C_ERRNO(sctp_connectx(c, &a.sa, 1, &id), EINPROGRESS);
    assert_int_equal(id, 0);
    c_wait(c, POLLOUT);
    C_OK(fcntl(c, F_SETFL, 0));
    check_works(m, l, c, 0);
    close(c);
    close(l);
}

/* Before 2.6.26: only CONNECTX_OLD. Connecting works; no id (0). */
static void test_only_connectx_old(void **state)
{
    const c_mode *m = C_MODE(state);
    no_connectx3 = no_connectx = 1;
    uint16_t port;
    int l = c_listener(m->family, m->type, &port);
    int c = c_socket(m->family, m->type);
    c_addr a = c_loopback(m->family, port);
    sctp_assoc_t id = 77;
    assert_int_equal(C_OK(sctp_connectx(c, &a.sa, 1, &id)), 0);
    assert_int_equal(id, 0);
    assert_int_equal(old_connectx_calls, 1);
    sctp_assoc_t real = 0;
    if (m->type == SOCK_SEQPACKET) {
        struct sctp_paddrinfo pi;
        memset(&pi, 0, sizeof(pi));
        memcpy(&pi.spinfo_address, &a, c_addrlen(m->family));
        socklen_t len = sizeof(pi);
        C_OK(getsockopt(c, IPPROTO_SCTP, SCTP_GET_PEER_ADDR_INFO, &pi, &len));
        real = pi.spinfo_assoc_id;
    }
    check_works(m, l, c, real);
    /* Errors still come through. */
    C_ERRNO(sctp_connectx(c, &a.sa, 0, NULL), EINVAL);
    close(c);
    close(l);
}

/* Before 4.13: sctp_peeloff uses PEELOFF; sctp_peeloff_flags sets the
 * flags with fcntl. */
static void test_no_peeloff_flags(void **state)
{
    const c_mode *m = C_MODE(state);
    no_peeloff_flags = 1;
    int cli, srv;
    sctp_assoc_t cid, sid;
    c_many_pair(m->family, &cli, &srv, &cid, &sid);
    int fd = (int)C_OK(sctp_peeloff(srv, sid));
    assert_false(fcntl(fd, F_GETFL) & O_NONBLOCK);
    close(fd);
    close(cli);
    close(srv);

    c_many_pair(m->family, &cli, &srv, &cid, &sid);
    fd = (int)C_OK(sctp_peeloff_flags(srv, sid, SOCK_NONBLOCK | SOCK_CLOEXEC));
    assert_true(fcntl(fd, F_GETFL) & O_NONBLOCK);
    assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
    struct sctp_sndrcvinfo si = {.sinfo_assoc_id = cid};
    C_OK(sctp_send(cli, "p", 1, &si, 0));
    char buf[8];
    assert_int_equal(c_recv_data(fd, buf, sizeof(buf)), 1);
    C_ERRNO(sctp_peeloff_flags(srv, sid, SOCK_NONBLOCK), EINVAL); /* gone */
    close(fd);
    close(cli);
    close(srv);
}

#define CASE(fn, m)                                                                                \
    {                                                                                              \
#fn "_" #m, fn, reset, reset, (void *)&(m)                                                 \
    }

int main(void)
{
    const struct CMUnitTest tests[] = {
        CASE(test_no_connectx3, C_V4_1TO1),
        CASE(test_no_connectx3, C_V6_1TO1),
        CASE(test_no_connectx3, C_V4_1TOM),
        CASE(test_no_connectx3, C_V6_1TOM),
        CASE(test_no_connectx3_nonblocking, C_V4_1TO1),
        CASE(test_no_connectx3_nonblocking, C_V6_1TO1),
        CASE(test_only_connectx_old, C_V4_1TO1),
        CASE(test_only_connectx_old, C_V6_1TO1),
        CASE(test_only_connectx_old, C_V4_1TOM),
        CASE(test_only_connectx_old, C_V6_1TOM),
        CASE(test_no_peeloff_flags, C_V4_1TOM),
        CASE(test_no_peeloff_flags, C_V6_1TOM),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
