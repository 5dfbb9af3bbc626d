/* test_addrs.c - sctp_getpaddrs, sctp_getladdrs, their free functions and
 * sctp_getaddrlen: counts, packed layout, IPv4 and IPv6, one-to-one and
 * one-to-many, the no-association cases and the errors. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <unistd.h>

#include "chelp.h"

/* Walk a packed list of n addresses; returns how many match `want`. */
static int count_matches(const struct sockaddr *list, int n, const c_addr *want)
{
    const unsigned char *p = (const unsigned char *)list;
    int hits = 0;
    for (int i = 0; i < n; i++) {
        c_addr a;
        memset(&a, 0, sizeof(a));
        memcpy(&a, p, sizeof(struct sockaddr));
        int len = sctp_getaddrlen(a.sa.sa_family);
        assert_true(len > 0);
        memcpy(&a, p, (size_t)len);
        hits += c_addr_equal(&a.sa, &want->sa);
        p += len;
    }
    return hits;
}

static void test_getaddrlen(void **state)
{
    (void)state;
    assert_int_equal(sctp_getaddrlen(AF_INET), sizeof(struct sockaddr_in));
    assert_int_equal(sctp_getaddrlen(AF_INET6), sizeof(struct sockaddr_in6));
    C_ERRNO(sctp_getaddrlen(AF_UNIX), EINVAL);
    C_ERRNO(sctp_getaddrlen(AF_UNSPEC), EINVAL);
}

/* Both ends of an association list each other. */
static void test_peer_and_local(void **state)
{
    const c_mode *m = C_MODE(state);
    int cli, srv;
    sctp_assoc_t cid, sid;
    c_any_pair(m, &cli, &srv, &cid, &sid);
    c_addr srv_addr = c_loopback(m->family, c_bound_port(srv));

    struct sockaddr *list = NULL;
    int n = (int)C_OK(sctp_getpaddrs(cli, cid, &list));
    assert_true(n >= 1);
    assert_non_null(list);
    assert_int_equal(count_matches(list, n, &srv_addr), 1);
    assert_int_equal(sctp_freepaddrs(list), 0);

    /* The server's local addresses of that association include the
     * address the client connected to. */
    n = (int)C_OK(sctp_getladdrs(srv, sid, &list));
    assert_true(n >= 1);
    assert_int_equal(count_matches(list, n, &srv_addr), 1);
    assert_int_equal(sctp_freeladdrs(list), 0);

    /* The client's peer list names the server, the server's peer list the
     * client's port. */
    n = (int)C_OK(sctp_getpaddrs(srv, sid, &list));
    assert_true(n >= 1);
    c_addr first;
    memcpy(&first, list, (size_t)sctp_getaddrlen(list->sa_family));
    assert_int_equal(c_port_of(&first), c_bound_port(cli));
    sctp_freepaddrs(list);
    close(cli);
    close(srv);
}

/* A multihomed server: two peer addresses at the client, two local ones
 * at the server (IPv4: 127.0.0.1 and .2; IPv6: ::1 and 127.0.0.1). */
static void test_multihomed(void **state)
{
    const c_mode *m = C_MODE(state);
    uint16_t port;
    int l = c_listener(m->family, m->type, &port);
    c_addr second = c_addr_of(m->family == AF_INET ? "127.0.0.2" : "127.0.0.1", port);
    C_OK(sctp_bindx(l, &second.sa, 1, SCTP_BINDX_ADD_ADDR));
    struct sockaddr *list = NULL;
    assert_int_equal(C_OK(sctp_getladdrs(l, 0, &list)), 2);
    c_addr first = c_loopback(m->family, port);
    assert_int_equal(count_matches(list, 2, &first), 1);
    sctp_freeladdrs(list);

    int c = c_socket(m->family, m->type);
    C_OK(connect(c, &first.sa, c_addrlen(m->family)));
    sctp_assoc_t id = 0;
    if (m->type == SOCK_SEQPACKET) {
        /* The client's only association: look it up by peer address. */
        struct sctp_paddrinfo pi;
        memset(&pi, 0, sizeof(pi));
        memcpy(&pi.spinfo_address, &first, c_addrlen(m->family));
        socklen_t len = sizeof(pi);
        C_OK(getsockopt(c, IPPROTO_SCTP, SCTP_GET_PEER_ADDR_INFO, &pi, &len));
        id = pi.spinfo_assoc_id;
    }
    assert_int_equal(C_OK(sctp_getpaddrs(c, id, &list)), 2);
    assert_int_equal(count_matches(list, 2, &first), 1);
    int hits = count_matches(list, 2, &second);
    if (m->family == AF_INET6) { /* an IPv6 socket may show it v4-mapped */
        c_addr mapped = c_addr_of("::ffff:127.0.0.1", port);
        hits += count_matches(list, 2, &mapped);
    }
    assert_int_equal(hits, 1);
    sctp_freepaddrs(list);
    close(c);
    close(l);
}

/* No association: 0 peer addresses on a one-to-one socket (the manual's
 * promise); an unbound socket has 0 local addresses. *addrs is NULL. */
static void test_nothing(void **state)
{
    const c_mode *m = C_MODE(state);
    int fd = c_socket(m->family, m->type);
    struct sockaddr *list = (struct sockaddr *)&list;
    assert_int_equal(C_OK(sctp_getladdrs(fd, 0, &list)), 0);
    assert_null(list);
    if (m->type == SOCK_STREAM) {
        list = (struct sockaddr *)&list;
        assert_int_equal(C_OK(sctp_getpaddrs(fd, 0, &list)), 0);
        assert_null(list);
        /* On one-to-one sockets the id is ignored. */
        assert_int_equal(C_OK(sctp_getpaddrs(fd, 1234, &list)), 0);
        assert_int_equal(C_OK(sctp_getladdrs(fd, 1234, &list)), 0);
        c_addr a = c_loopback(m->family, 0);
        C_OK(bind(fd, &a.sa, c_addrlen(m->family)));
        assert_int_equal(C_OK(sctp_getladdrs(fd, 1234, &list)), 1);
        sctp_freeladdrs(list);
    }
    assert_int_equal(sctp_freepaddrs(NULL), 0);
    assert_int_equal(sctp_freeladdrs(NULL), 0);
    close(fd);
}

/* A wildcard-bound socket lists its usable addresses, loopback among them. */
static void test_wildcard(void **state)
{
    const c_mode *m = C_MODE(state);
    int fd = c_socket(m->family, m->type);
    c_addr any;
    memset(&any, 0, sizeof(any));
    any.sa.sa_family = (sa_family_t)m->family;
    C_OK(bind(fd, &any.sa, c_addrlen(m->family)));
    struct sockaddr *list = NULL;
    int n = (int)C_OK(sctp_getladdrs(fd, 0, &list));
    assert_true(n >= 1);
    c_addr lo = c_loopback(m->family, c_bound_port(fd));
    assert_int_equal(count_matches(list, n, &lo), 1);
    sctp_freeladdrs(list);
    close(fd);
}

static void test_errors(void **state)
{
    const c_mode *m = C_MODE(state);
    struct sockaddr *list = NULL;
    C_ERRNO(sctp_getpaddrs(-1, 0, &list), EBADF);
    C_ERRNO(sctp_getladdrs(-1, 0, &list), EBADF);
    int p[2];
    C_OK(pipe(p));
    C_ERRNO(sctp_getpaddrs(p[0], 0, &list), ENOTSOCK);
    C_ERRNO(sctp_getladdrs(p[0], 0, &list), ENOTSOCK);
    close(p[0]);
    close(p[1]);
    int cli, srv;
    sctp_assoc_t cid, sid;
    c_any_pair(m, &cli, &srv, &cid, &sid);
    C_ERRNO(sctp_getpaddrs(cli, cid, NULL), EINVAL);
    C_ERRNO(sctp_getladdrs(cli, cid, NULL), EINVAL);
    if (m->type == SOCK_SEQPACKET) {
        /* Unknown association on a one-to-many socket. */
        C_ERRNO(sctp_getpaddrs(srv, sid + 1000, &list), EINVAL);
        C_ERRNO(sctp_getladdrs(srv, sid + 1000, &list), EINVAL);
        C_ERRNO(sctp_getpaddrs(srv, 0, &list), EINVAL);
    }
    close(cli);
    close(srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_getaddrlen),
        C_TEST4(test_peer_and_local),
        C_TEST4(test_multihomed),
        C_TEST4(test_nothing),
        C_TEST4(test_wildcard),
        C_TEST4(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
