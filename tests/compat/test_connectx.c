/* test_connectx.c - sctp_connectx: blocking and non-blocking, one or
 * several peer addresses, the association id, every symbol version, and
 * its errors; one-to-one and one-to-many, IPv4 and IPv6. */
#include <dlfcn.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include "chelp.h"

/* The association id the kernel reports for `fd` (one-to-one: the only
 * one; one-to-many: look `id` up). */
/* SCTP_STATUS of association `id`: its state, and its id in *out. */
static int status_state(int fd, sctp_assoc_t id, sctp_assoc_t *out)
{
    struct sctp_status st;
    memset(&st, 0, sizeof(st));
    st.sstat_assoc_id = id;
    socklen_t len = sizeof(st);
    C_OK(getsockopt(fd, IPPROTO_SCTP, SCTP_STATUS, &st, &len));
    if (out)
        *out = st.sstat_assoc_id;
    return st.sstat_state;
}

static sctp_assoc_t status_id(int fd, sctp_assoc_t id)
{
    sctp_assoc_t got = 0;
    assert_int_equal(status_state(fd, id, &got), SCTP_ESTABLISHED);
    return got;
}

/* The one association of `fd`: 0 on one-to-one sockets, else its id
 * (SCTP_GET_ASSOC_ID_LIST). */
static sctp_assoc_t only_assoc(const c_mode *m, int fd)
{
    if (m->type == SOCK_STREAM)
        return 0;
    union {
        struct sctp_assoc_ids ids;
        char buf[sizeof(struct sctp_assoc_ids) + 4 * sizeof(sctp_assoc_t)];
    } u;
    socklen_t len = sizeof(u);
    C_OK(getsockopt(fd, IPPROTO_SCTP, SCTP_GET_ASSOC_ID_LIST, &u, &len));
    assert_int_equal(u.ids.gaids_number_of_ids, 1);
    return u.ids.gaids_assoc_id[0];
}

/* Accept the association on the server side (one-to-one: accept; one-to-
 * many: nothing to do) and exchange a message over it. */
static void check_works(const c_mode *m, int l, int c, sctp_assoc_t id)
{
    int s = m->type == SOCK_STREAM ? c_accept(l) : l;
    struct sctp_sndrcvinfo si = {.sinfo_assoc_id = id};
    assert_int_equal(C_OK(sctp_send(c, "ping", 4, &si, 0)), 4);
    char buf[16];
    assert_int_equal(c_recv_data(s, buf, sizeof(buf)), 4);
    assert_memory_equal(buf, "ping", 4);
    if (s != l)
        close(s);
}

static void test_blocking(void **state)
{
    const c_mode *m = C_MODE(state);
    uint16_t port;
    int l = c_listener(m->family, m->type, &port);
    int c = c_socket(m->family, m->type);
    c_addr a = c_loopback(m->family, port);
    sctp_assoc_t id = -1;
    assert_int_equal(C_OK(sctp_connectx(c, &a.sa, 1, &id)), 0);
    assert_true(id > 0);
    assert_int_equal(status_id(c, id), id);
    check_works(m, l, c, id);
    close(c);
    close(l);
}

/* id may be NULL. */
static void test_null_id(void **state)
{
    const c_mode *m = C_MODE(state);
    uint16_t port;
    int l = c_listener(m->family, m->type, &port);
    int c = c_socket(m->family, m->type);
    c_addr a = c_loopback(m->family, port);
    assert_int_equal(C_OK(sctp_connectx(c, &a.sa, 1, NULL)), 0);
    check_works(m, l, c, only_assoc(m, c));
    close(c);
    close(l);
}

/* Several peer addresses of a multihomed server: the association knows
 * them all. IPv6 uses ::1 and the IPv4 loopback. */
static void test_several_addresses(void **state)
{
    const c_mode *m = C_MODE(state);
    uint16_t port;
    int l = c_listener(m->family, m->type, &port);
    c_addr second = c_addr_of(m->family == AF_INET ? "127.0.0.2" : "127.0.0.1", port);
    C_OK(sctp_bindx(l, &second.sa, 1, SCTP_BINDX_ADD_ADDR));
    unsigned char packed[2 * sizeof(struct sockaddr_in6)];
    c_addr first = c_loopback(m->family, port);
    size_t n1 = c_addrlen(m->family);
    memcpy(packed, &first, n1);
    memcpy(packed + n1, &second, sizeof(struct sockaddr_in));
    int c = c_socket(m->family, m->type);
    sctp_assoc_t id = 0;
    assert_int_equal(C_OK(sctp_connectx(c, (struct sockaddr *)packed, 2, &id)), 0);
    assert_true(id > 0);
    struct sockaddr *peers = NULL;
    assert_int_equal(C_OK(sctp_getpaddrs(c, id, &peers)), 2);
    sctp_freepaddrs(peers);
    check_works(m, l, c, id);
    close(c);
    close(l);
}

/* Until the association is up: POLLOUT says so on a one-to-one socket, but
 * a one-to-many socket is writable from the start (data sent in
 * COOKIE-WAIT waits in the queue), so there SCTP_STATUS is asked. */
static void wait_established(const c_mode *m, int fd, sctp_assoc_t id)
{
    c_wait(fd, POLLOUT);
    if (m->type != SOCK_SEQPACKET)
        return;
    for (int i = 0; i < 500; i++) {
        if (status_state(fd, id, NULL) == SCTP_ESTABLISHED)
            return;
        poll(NULL, 0, 10);
    }
    fail_msg("association %d not established after 5 s", (int)id);
}

/* Non-blocking: EINPROGRESS, and the id is known already. */
static void test_nonblocking(void **state)
{
    const c_mode *m = C_MODE(state);
    uint16_t port;
    int l = c_listener(m->family, m->type, &port);
    int c = c_socket(m->family, m->type);
    C_OK(fcntl(c, F_SETFL, O_NONBLOCK));
    c_addr a = c_loopback(m->family, port);
    sctp_assoc_t id = 0;
    C_ERRNO(sctp_connectx(c, &a.sa, 1, &id), EINPROGRESS);
    assert_true(id > 0);
    wait_established(m, c, id);
    int err = -1;
    socklen_t len = sizeof(err);
    C_OK(getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &len));
    assert_int_equal(err, 0);
    assert_int_equal(status_id(c, id), id);
    C_OK(fcntl(c, F_SETFL, 0));
    check_works(m, l, c, id);
    close(c);
    close(l);
}

/* One-to-many: several associations from one socket, distinct ids. */
static void test_many_associations(void **state)
{
    const c_mode *m = C_MODE(state);
    uint16_t p1, p2;
    int l1 = c_listener(m->family, SOCK_SEQPACKET, &p1);
    int l2 = c_listener(m->family, SOCK_SEQPACKET, &p2);
    int c = c_socket(m->family, SOCK_SEQPACKET);
    c_addr a1 = c_loopback(m->family, p1), a2 = c_loopback(m->family, p2);
    sctp_assoc_t id1 = 0, id2 = 0;
    C_OK(sctp_connectx(c, &a1.sa, 1, &id1));
    C_OK(sctp_connectx(c, &a2.sa, 1, &id2));
    assert_true(id1 > 0 && id2 > 0 && id1 != id2);
    check_works(m, l1, c, id1);
    check_works(m, l2, c, id2);
    /* A second association to the same peer is refused. */
    C_ERRNO(sctp_connectx(c, &a1.sa, 1, NULL), EISCONN);
    close(c);
    close(l1);
    close(l2);
}

static void test_errors(void **state)
{
    const c_mode *m = C_MODE(state);
    uint16_t port;
    int l = c_listener(m->family, m->type, &port);
    c_addr a = c_loopback(m->family, port);
    int c = c_socket(m->family, m->type);
    sctp_assoc_t id = 0;
    C_ERRNO(sctp_connectx(-1, &a.sa, 1, &id), EBADF);
    int p[2];
    C_OK(pipe(p));
    C_ERRNO(sctp_connectx(p[0], &a.sa, 1, &id), ENOTSOCK);
    close(p[0]);
    close(p[1]);
    C_ERRNO(sctp_connectx(c, &a.sa, 0, &id), EINVAL);
    C_ERRNO(sctp_connectx(c, &a.sa, -3, &id), EINVAL);
    C_ERRNO(sctp_connectx(c, NULL, 1, &id), EINVAL);
    c_addr u = a;
    u.sa.sa_family = AF_UNIX;
    C_ERRNO(sctp_connectx(c, &u.sa, 1, &id), EINVAL);
    /* Nobody listens on the port of a closed socket. */
    int gone = c_listener(m->family, m->type, NULL);
    c_addr nobody = c_loopback(m->family, c_bound_port(gone));
    close(gone);
    C_ERRNO(sctp_connectx(c, &nobody.sa, 1, &id), ECONNREFUSED);
    if (m->type == SOCK_STREAM) {
        int c2 = c_socket(m->family, m->type);
        C_OK(sctp_connectx(c2, &a.sa, 1, NULL));
        C_ERRNO(sctp_connectx(c2, &a.sa, 1, NULL), EISCONN);
        close(c2);
        /* A listening socket cannot connect. */
        assert_int_equal(sctp_connectx(l, &a.sa, 1, NULL), -1);
    }
    close(c);
    close(l);
}

/* The older symbol versions: VERS_1 takes three arguments, VERS_2 four.
 * Binaries linked against old libsctp versions call these. */
typedef int (*connectx3_fn)(int, struct sockaddr *, int);
typedef int (*connectx4_fn)(int, struct sockaddr *, int, sctp_assoc_t *);

static void *libsctp(void)
{
    void *h = dlopen("libsctp.so.1", RTLD_NOW | RTLD_NOLOAD);
    assert_non_null(h);
    return h;
}

static void test_version_1(void **state)
{
    const c_mode *m = C_MODE(state);
    void *h = libsctp();
    connectx3_fn v1 = (connectx3_fn)dlvsym(h, "sctp_connectx", "VERS_1");
    assert_non_null(v1);
    uint16_t port;
    int l = c_listener(m->family, m->type, &port);
    int c = c_socket(m->family, m->type);
    c_addr a = c_loopback(m->family, port);
    assert_int_equal(C_OK(v1(c, &a.sa, 1)), 0);
    check_works(m, l, c, only_assoc(m, c));
    C_ERRNO(v1(c, &a.sa, 0), EINVAL);
    close(c);
    close(l);
    dlclose(h);
}

static void test_version_2(void **state)
{
    const c_mode *m = C_MODE(state);
    void *h = libsctp();
    connectx4_fn v2 = (connectx4_fn)dlvsym(h, "sctp_connectx", "VERS_2");
    connectx4_fn v3 = (connectx4_fn)dlvsym(h, "sctp_connectx", "VERS_3");
    assert_non_null(v2);
    assert_ptr_equal(v3, (connectx4_fn)sctp_connectx);
    uint16_t port;
    int l = c_listener(m->family, m->type, &port);
    int c = c_socket(m->family, m->type);
    c_addr a = c_loopback(m->family, port);
    sctp_assoc_t id = 0;
    assert_int_equal(C_OK(v2(c, &a.sa, 1, &id)), 0);
    assert_true(id > 0);
    assert_int_equal(status_id(c, id), id);
    check_works(m, l, c, id);
    close(c);
    close(l);
    dlclose(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        C_TEST4(test_blocking),
        C_TEST4(test_null_id),
        C_TEST4(test_several_addresses),
        C_TEST4(test_nonblocking),
        C_TEST2(test_many_associations, 1TOM),
        C_TEST4(test_errors),
        C_TEST4(test_version_1),
        C_TEST4(test_version_2),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
