/* test_bindx.c - sctp_bindx: adding and removing local addresses on
 * one-to-one and one-to-many sockets, IPv4 and IPv6, and its errors. */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "chelp.h"

/* Number of local addresses of an unconnected socket. */
static int local_count(int fd)
{
    struct sockaddr *addrs = NULL;
    int n = (int)C_OK(sctp_getladdrs(fd, 0, &addrs));
    sctp_freeladdrs(addrs);
    return n;
}

/* Bind to loopback, add a second address with bindx, remove it again. */
static void test_add_remove(void **state)
{
    const c_mode *m = C_MODE(state);
    int fd = c_socket(m->family, m->type);
    c_addr a = c_loopback(m->family, 0);
    C_OK(bind(fd, &a.sa, c_addrlen(m->family)));
    uint16_t port = c_bound_port(fd);
    /* The second address: 127.0.0.2 on IPv4; on IPv6, an IPv4 address,
     * which IPv6 sockets take too. */
    c_addr b = c_addr_of(m->family == AF_INET ? "127.0.0.2" : "127.0.0.1", port);
    assert_int_equal(C_OK(sctp_bindx(fd, &b.sa, 1, SCTP_BINDX_ADD_ADDR)), 0);
    assert_int_equal(local_count(fd), 2);
    assert_int_equal(c_bound_port(fd), port);
    assert_int_equal(C_OK(sctp_bindx(fd, &b.sa, 1, SCTP_BINDX_REM_ADDR)), 0);
    assert_int_equal(local_count(fd), 1);
    /* The last address cannot go. */
    a = c_loopback(m->family, port);
    C_ERRNO(sctp_bindx(fd, &a.sa, 1, SCTP_BINDX_REM_ADDR), EINVAL);
    close(fd);
}

/* bindx on an unbound socket binds it, with several packed addresses of
 * both sizes at once (sockaddr_in and sockaddr_in6 back to back). */
static void test_bind_packed(void **state)
{
    const c_mode *m = C_MODE(state);
    int fd = c_socket(m->family, m->type);
    unsigned char packed[sizeof(struct sockaddr_in6) + 2 * sizeof(struct sockaddr_in)];
    size_t used = 0;
    int n = 0;
    if (m->family == AF_INET6) {
        c_addr v6 = c_addr_of("::1", 0);
        memcpy(packed + used, &v6, sizeof(struct sockaddr_in6));
        used += sizeof(struct sockaddr_in6);
        n++;
    }
    c_addr v4a = c_addr_of("127.0.0.3", 0), v4b = c_addr_of("127.0.0.4", 0);
    memcpy(packed + used, &v4a, sizeof(struct sockaddr_in));
    used += sizeof(struct sockaddr_in);
    memcpy(packed + used, &v4b, sizeof(struct sockaddr_in));
    n += 2;
    assert_int_equal(C_OK(sctp_bindx(fd, (struct sockaddr *)packed, n, SCTP_BINDX_ADD_ADDR)), 0);
    assert_int_equal(local_count(fd), n);
    assert_int_not_equal(c_bound_port(fd), 0);
    close(fd);
}

/* A listener with two addresses accepts associations on either. */
static void test_listen_on_added(void **state)
{
    const c_mode *m = C_MODE(state);
    int l = c_listener(m->family, SOCK_STREAM, NULL);
    uint16_t port = c_bound_port(l);
    c_addr b = c_addr_of("127.0.0.2", port);
    C_OK(sctp_bindx(l, &b.sa, 1, SCTP_BINDX_ADD_ADDR));
    int c = c_socket(m->family, SOCK_STREAM);
    c_addr to = m->family == AF_INET ? b : c_addr_of("::ffff:127.0.0.2", port);
    C_OK(connect(c, &to.sa, c_addrlen(m->family)));
    int s = c_accept(l);
    C_OK(send(c, "x", 1, 0));
    char buf[8];
    assert_int_equal(c_recv_data(s, buf, sizeof(buf)), 1);
    close(c);
    close(s);
    close(l);
}

static void test_errors(void **state)
{
    const c_mode *m = C_MODE(state);
    int fd = c_socket(m->family, m->type);
    c_addr a = c_loopback(m->family, 0);
    /* Bad descriptors. */
    C_ERRNO(sctp_bindx(-1, &a.sa, 1, SCTP_BINDX_ADD_ADDR), EBADF);
    int p[2];
    C_OK(pipe(p));
    C_ERRNO(sctp_bindx(p[0], &a.sa, 1, SCTP_BINDX_ADD_ADDR), ENOTSOCK);
    close(p[0]);
    close(p[1]);
    /* Bad counts, pointers, flags, families. */
    C_ERRNO(sctp_bindx(fd, &a.sa, 0, SCTP_BINDX_ADD_ADDR), EINVAL);
    C_ERRNO(sctp_bindx(fd, &a.sa, -1, SCTP_BINDX_ADD_ADDR), EINVAL);
    C_ERRNO(sctp_bindx(fd, NULL, 1, SCTP_BINDX_ADD_ADDR), EINVAL);
    C_ERRNO(sctp_bindx(fd, &a.sa, 1, 0), EINVAL);
    C_ERRNO(sctp_bindx(fd, &a.sa, 1, SCTP_BINDX_ADD_ADDR | SCTP_BINDX_REM_ADDR), EINVAL);
    c_addr u = a;
    u.sa.sa_family = AF_UNIX;
    C_ERRNO(sctp_bindx(fd, &u.sa, 1, SCTP_BINDX_ADD_ADDR), EINVAL);
    /* An IPv4 socket takes no IPv6 address. */
    if (m->family == AF_INET) {
        c_addr v6 = c_addr_of("::1", 0);
        assert_int_equal(sctp_bindx(fd, &v6.sa, 1, SCTP_BINDX_ADD_ADDR), -1);
    }
    /* An address that is not ours. */
    c_addr far = c_addr_of(m->family == AF_INET ? "192.0.2.1" : "2001:db8::1", 0);
    C_ERRNO(sctp_bindx(fd, &far.sa, 1, SCTP_BINDX_ADD_ADDR), EADDRNOTAVAIL);
    /* Removing from an unbound socket. */
    C_ERRNO(sctp_bindx(fd, &a.sa, 1, SCTP_BINDX_REM_ADDR), EINVAL);
    close(fd);
}

/* Two sockets cannot add the same address and port. */
static void test_in_use(void **state)
{
    const c_mode *m = C_MODE(state);
    uint16_t port;
    int l = c_listener(m->family, m->type, &port);
    int fd = c_socket(m->family, m->type);
    c_addr a = c_loopback(m->family, port);
    C_ERRNO(sctp_bindx(fd, &a.sa, 1, SCTP_BINDX_ADD_ADDR), EADDRINUSE);
    close(fd);
    close(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        C_TEST4(test_add_remove), C_TEST4(test_bind_packed), C_TEST2(test_listen_on_added, 1TO1),
        C_TEST4(test_errors),     C_TEST4(test_in_use),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
