/* test_peeloff.c - sctp_peeloff and sctp_peeloff_flags: an association of
 * a one-to-many socket on a descriptor of its own, with and without
 * SOCK_NONBLOCK/SOCK_CLOEXEC, IPv4 and IPv6, and the errors. */
#include <fcntl.h>
#include <unistd.h>

#include "chelp.h"

/* Peel the server side off and check that the new descriptor carries the
 * association (data both ways) and the old one no longer does. */
static void check_peeled(int cli, int srv, sctp_assoc_t cid, sctp_assoc_t sid, int fd)
{
    assert_true(fd >= 0);
    assert_int_not_equal(fd, srv);
    /* Client to the peeled-off socket. */
    struct sctp_sndrcvinfo si = {.sinfo_assoc_id = cid};
    C_OK(sctp_send(cli, "to-peeled", 9, &si, 0));
    char buf[32];
    assert_int_equal(c_recv_data(fd, buf, sizeof(buf)), 9);
    assert_memory_equal(buf, "to-peeled", 9);
    /* And back, without naming the association: it is one-to-one now. */
    C_OK(sctp_send(fd, "back", 4, NULL, 0));
    assert_int_equal(c_recv_data(cli, buf, sizeof(buf)), 4);
    /* The one-to-many socket forgot it. */
    struct sockaddr *peers = NULL;
    C_ERRNO(sctp_getpaddrs(srv, sid, &peers), EINVAL);
    /* The new socket has the client as its peer (an IPv6 client also
     * lists its IPv4 loopback address). */
    assert_true(C_OK(sctp_getpaddrs(fd, 0, &peers)) >= 1);
    sctp_freepaddrs(peers);
}

static void test_peeloff(void **state)
{
    const c_mode *m = C_MODE(state);
    int cli, srv;
    sctp_assoc_t cid, sid;
    c_many_pair(m->family, &cli, &srv, &cid, &sid);
    int fd = (int)C_OK(sctp_peeloff(srv, sid));
    check_peeled(cli, srv, cid, sid, fd);
    assert_false(fcntl(fd, F_GETFL) & O_NONBLOCK);
    assert_false(fcntl(fd, F_GETFD) & FD_CLOEXEC);
    /* The association is gone from the one-to-many socket: twice fails. */
    C_ERRNO(sctp_peeloff(srv, sid), EINVAL);
    close(fd);
    close(cli);
    close(srv);
}

static void test_peeloff_flags(void **state)
{
    const c_mode *m = C_MODE(state);
    int cli, srv;
    sctp_assoc_t cid, sid;
    c_many_pair(m->family, &cli, &srv, &cid, &sid);
    int fd = (int)C_OK(sctp_peeloff_flags(srv, sid, SOCK_NONBLOCK | SOCK_CLOEXEC));
    assert_true(fcntl(fd, F_GETFL) & O_NONBLOCK);
    assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
    char buf[8];
    C_ERRNO(recv(fd, buf, sizeof(buf), 0), EAGAIN);
    check_peeled(cli, srv, cid, sid, fd);
    close(fd);
    close(cli);
    close(srv);
}

/* Flags 0 is plain sctp_peeloff; one flag alone works too. */
static void test_peeloff_flags_each(void **state)
{
    const c_mode *m = C_MODE(state);
    int cli, srv;
    sctp_assoc_t cid, sid;
    c_many_pair(m->family, &cli, &srv, &cid, &sid);
    int fd = (int)C_OK(sctp_peeloff_flags(srv, sid, 0));
    assert_false(fcntl(fd, F_GETFL) & O_NONBLOCK);
    check_peeled(cli, srv, cid, sid, fd);
    close(fd);
    close(cli);
    close(srv);

    c_many_pair(m->family, &cli, &srv, &cid, &sid);
    fd = (int)C_OK(sctp_peeloff_flags(srv, sid, SOCK_CLOEXEC));
    assert_false(fcntl(fd, F_GETFL) & O_NONBLOCK);
    assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
    close(fd);
    close(cli);
    close(srv);
}

/* The client side of a one-to-many association can be peeled off too. */
static void test_peeloff_client(void **state)
{
    const c_mode *m = C_MODE(state);
    int cli, srv;
    sctp_assoc_t cid, sid;
    c_many_pair(m->family, &cli, &srv, &cid, &sid);
    int fd = (int)C_OK(sctp_peeloff(cli, cid));
    C_OK(sctp_send(fd, "hi", 2, NULL, 0));
    char buf[8];
    assert_int_equal(c_recv_data(srv, buf, sizeof(buf)), 2);
    close(fd);
    close(cli);
    close(srv);
}

static void test_errors(void **state)
{
    const c_mode *m = C_MODE(state);
    C_ERRNO(sctp_peeloff(-1, 1), EBADF);
    C_ERRNO(sctp_peeloff_flags(-1, 1, SOCK_NONBLOCK), EBADF);
    int p[2];
    C_OK(pipe(p));
    C_ERRNO(sctp_peeloff(p[0], 1), ENOTSOCK);
    C_ERRNO(sctp_peeloff_flags(p[0], 1, SOCK_CLOEXEC), ENOTSOCK);
    close(p[0]);
    close(p[1]);
    /* Unknown association. */
    int cli, srv;
    sctp_assoc_t cid, sid;
    c_many_pair(m->family, &cli, &srv, &cid, &sid);
    C_ERRNO(sctp_peeloff(srv, sid + 1000), EINVAL);
    C_ERRNO(sctp_peeloff_flags(srv, sid + 1000, SOCK_NONBLOCK), EINVAL);
    C_ERRNO(sctp_peeloff(srv, 0), EINVAL);
    close(cli);
    close(srv);
    /* A one-to-one socket has nothing to peel off. */
    int a, b;
    c_pair(m->family, &a, &b);
    C_ERRNO(sctp_peeloff(a, 0), EINVAL);
    C_ERRNO(sctp_peeloff_flags(b, 1, SOCK_NONBLOCK), EINVAL);
    close(a);
    close(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        C_TEST2(test_peeloff, 1TOM),
        C_TEST2(test_peeloff_flags, 1TOM),
        C_TEST2(test_peeloff_flags_each, 1TOM),
        C_TEST2(test_peeloff_client, 1TOM),
        C_TEST2(test_errors, 1TOM),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
