/* test_msgs.c - sctp_sendmsg, sctp_send and sctp_recvmsg: attributes in
 * and out, implicit association set-up, SCTP_EOF/SCTP_ABORT, MSG_PEEK,
 * notifications, NULL arguments, and the errors; one-to-one and
 * one-to-many, IPv4 and IPv6. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include "chelp.h"

/* sctp_recvmsg with a time limit; returns the length. */
static int recv_wait(int fd, void *buf, size_t len, c_addr *from, struct sctp_sndrcvinfo *si,
                     int *flags)
{
    c_wait(fd, POLLIN);
    socklen_t fl = sizeof(*from);
    int n = (int)C_OK(
        sctp_recvmsg(fd, buf, len, from ? &from->sa : NULL, from ? &fl : NULL, si, flags));
    return n;
}

/* Receive the next data message, skipping notifications. */
static int recv_data(int fd, void *buf, size_t len, c_addr *from, struct sctp_sndrcvinfo *si,
                     int *flags)
{
    for (;;) {
        *flags = 0;
        int n = recv_wait(fd, buf, len, from, si, flags);
        if (!(*flags & MSG_NOTIFICATION))
            return n;
    }
}

static void test_attributes(void **state)
{
    const c_mode *m = C_MODE(state);
    int cli, srv;
    sctp_assoc_t cid, sid;
    c_any_pair(m, &cli, &srv, &cid, &sid);
    c_data_io(srv);
    c_addr to = c_loopback(m->family, c_bound_port(srv));
    assert_int_equal(C_OK(sctp_sendmsg(cli, "hello", 5, &to.sa, c_addrlen(m->family),
                                       htonl(0x01020304), 0, 2, 0, 99)),
                     5);
    char buf[64];
    c_addr from;
    struct sctp_sndrcvinfo si;
    int flags;
    assert_int_equal(recv_data(srv, buf, sizeof(buf), &from, &si, &flags), 5);
    assert_memory_equal(buf, "hello", 5);
    assert_true(flags & MSG_EOR);
    assert_int_equal(si.sinfo_stream, 2);
    assert_int_equal(si.sinfo_ppid, htonl(0x01020304));
    assert_false(si.sinfo_flags & SCTP_UNORDERED);
    assert_true(si.sinfo_assoc_id > 0);
    if (m->type == SOCK_SEQPACKET)
        assert_int_equal(si.sinfo_assoc_id, sid);
    assert_int_equal(c_port_of(&from), c_bound_port(cli));

    /* Unordered, with sctp_send and an explicit association. */
    struct sctp_sndrcvinfo out = {
        .sinfo_stream = 1, .sinfo_flags = SCTP_UNORDERED, .sinfo_ppid = 7, .sinfo_assoc_id = cid};
    assert_int_equal(C_OK(sctp_send(cli, "u", 1, &out, 0)), 1);
    assert_int_equal(recv_data(srv, buf, sizeof(buf), NULL, &si, &flags), 1);
    assert_true(si.sinfo_flags & SCTP_UNORDERED);
    assert_int_equal(si.sinfo_stream, 1);
    assert_int_equal(si.sinfo_ppid, 7);
    close(cli);
    close(srv);
}

/* SCTP_SNDRCV is found even when the RFC 6458 attributes come with it
 * (the kernel puts SCTP_NXTINFO and SCTP_RCVINFO first). */
static void test_sinfo_with_rcvinfo(void **state)
{
    const c_mode *m = C_MODE(state);
    int cli, srv;
    sctp_assoc_t cid, sid;
    c_any_pair(m, &cli, &srv, &cid, &sid);
    c_data_io(srv);
    c_setopt_int(srv, SCTP_RECVRCVINFO, 1);
    c_setopt_int(srv, SCTP_RECVNXTINFO, 1);
    struct sctp_sndrcvinfo out = {.sinfo_stream = 5, .sinfo_ppid = 55, .sinfo_assoc_id = cid};
    C_OK(sctp_send(cli, "a", 1, &out, 0));
    C_OK(sctp_send(cli, "b", 1, &out, 0));
    char buf[8];
    struct sctp_sndrcvinfo si;
    int flags;
    for (int i = 0; i < 2; i++) {
        memset(&si, 0, sizeof(si));
        assert_int_equal(recv_data(srv, buf, sizeof(buf), NULL, &si, &flags), 1);
        assert_false(flags & MSG_CTRUNC);
        assert_int_equal(si.sinfo_stream, 5);
        assert_int_equal(si.sinfo_ppid, 55);
    }
    close(cli);
    close(srv);
}

/* The reply direction, and sctp_send without sinfo on one-to-one. */
static void test_reply(void **state)
{
    const c_mode *m = C_MODE(state);
    int cli, srv;
    sctp_assoc_t cid, sid;
    c_any_pair(m, &cli, &srv, &cid, &sid);
    c_data_io(cli);
    if (m->type == SOCK_STREAM)
        C_OK(sctp_send(srv, "r1", 2, NULL, 0));
    else
        C_ERRNO(sctp_send(srv, "r1", 2, NULL, MSG_NOSIGNAL), EPIPE); /* which association? */
    struct sctp_sndrcvinfo out = {.sinfo_stream = 4, .sinfo_assoc_id = sid};
    C_OK(sctp_send(srv, "r2", 2, &out, MSG_NOSIGNAL));
    char buf[16];
    struct sctp_sndrcvinfo si;
    int flags;
    if (m->type == SOCK_STREAM) {
        assert_int_equal(recv_data(cli, buf, sizeof(buf), NULL, &si, &flags), 2);
        assert_memory_equal(buf, "r1", 2);
        assert_int_equal(si.sinfo_stream, 0);
    }
    assert_int_equal(recv_data(cli, buf, sizeof(buf), NULL, &si, &flags), 2);
    assert_memory_equal(buf, "r2", 2);
    assert_int_equal(si.sinfo_stream, 4);
    if (m->type == SOCK_SEQPACKET)
        assert_int_equal(si.sinfo_assoc_id, cid);
    close(cli);
    close(srv);
}

/* One-to-many: sctp_sendmsg to an address sets the association up. */
static void test_implicit_setup(void **state)
{
    const c_mode *m = C_MODE(state);
    uint16_t port;
    int srv = c_listener(m->family, SOCK_SEQPACKET, &port);
    int cli = c_socket(m->family, SOCK_SEQPACKET);
    c_addr to = c_loopback(m->family, port);
    C_OK(sctp_sendmsg(cli, "first", 5, &to.sa, c_addrlen(m->family), 0, 0, 0, 0, 0));
    char buf[16];
    c_addr from;
    struct sctp_sndrcvinfo si;
    int flags;
    assert_int_equal(recv_data(srv, buf, sizeof(buf), &from, &si, &flags), 5);
    assert_memory_equal(buf, "first", 5);
    /* Answer by address. */
    C_OK(sctp_sendmsg(srv, "back", 4, &from.sa, c_addrlen(from.sa.sa_family), 0, 0, 0, 0, 0));
    assert_int_equal(recv_data(cli, buf, sizeof(buf), NULL, &si, &flags), 4);
    close(cli);
    close(srv);
}

/* SCTP_EOF shuts one association of a one-to-many socket down
 * gracefully, SCTP_ABORT aborts one, with the message as the cause. */
static void test_eof_abort(void **state)
{
    const c_mode *m = C_MODE(state);
    int cli, srv;
    sctp_assoc_t cid, sid;
    c_many_pair(m->family, &cli, &srv, &cid, &sid);
    struct sctp_sndrcvinfo eof = {.sinfo_flags = SCTP_EOF, .sinfo_assoc_id = sid};
    assert_int_equal(C_OK(sctp_send(srv, NULL, 0, &eof, 0)), 0);
    union {
        struct sctp_assoc_change sac;
        char buf[256];
    } u;
    do
        c_recv_event(cli, SCTP_ASSOC_CHANGE, u.buf, sizeof(u.buf));
    while (u.sac.sac_state != SCTP_SHUTDOWN_COMP);
    close(cli);
    close(srv);

    c_many_pair(m->family, &cli, &srv, &cid, &sid);
    c_addr to = c_loopback(m->family, c_bound_port(srv));
    C_OK(sctp_sendmsg(cli, "bye", 3, &to.sa, c_addrlen(m->family), 0, SCTP_ABORT, 0, 0, 0));
    do
        c_recv_event(srv, SCTP_ASSOC_CHANGE, u.buf, sizeof(u.buf));
    while (u.sac.sac_state != SCTP_COMM_LOST);
    close(cli);
    close(srv);
}

/* Input flags (MSG_PEEK), output flags (MSG_NOTIFICATION), NULLs, and no
 * SCTP_SNDRCV control message: *sinfo comes back zeroed. */
static void test_recv_flags(void **state)
{
    const c_mode *m = C_MODE(state);
    int cli, srv;
    sctp_assoc_t cid, sid;
    c_any_pair(m, &cli, &srv, &cid, &sid);
    struct sctp_sndrcvinfo out = {.sinfo_stream = 1, .sinfo_assoc_id = cid};
    C_OK(sctp_send(cli, "peek", 4, &out, 0));
    char buf[16];
    struct sctp_sndrcvinfo si;
    memset(&si, 0x5a, sizeof(si));
    int flags = MSG_PEEK;
    assert_int_equal(recv_wait(srv, buf, sizeof(buf), NULL, &si, &flags), 4);
    assert_int_equal(si.sinfo_stream, 0); /* no SCTP_DATA_IO_EVENT: zeroed */
    assert_int_equal(si.sinfo_assoc_id, 0);
    /* Still there: all NULL this time. */
    assert_int_equal(C_OK(sctp_recvmsg(srv, buf, sizeof(buf), NULL, NULL, NULL, NULL)), 4);
    assert_memory_equal(buf, "peek", 4);
    /* A short buffer gives part of a message, without MSG_EOR. */
    C_OK(sctp_send(cli, "0123456789", 10, &out, 0));
    flags = 0;
    assert_int_equal(recv_wait(srv, buf, 4, NULL, NULL, &flags), 4);
    assert_false(flags & MSG_EOR);
    flags = 0;
    assert_int_equal(recv_wait(srv, buf, sizeof(buf), NULL, NULL, &flags), 6);
    assert_true(flags & MSG_EOR);
    /* Nothing left: a non-blocking socket says EAGAIN. */
    C_OK(fcntl(srv, F_SETFL, O_NONBLOCK));
    C_ERRNO(sctp_recvmsg(srv, buf, sizeof(buf), NULL, NULL, NULL, NULL), EAGAIN);
    C_OK(fcntl(srv, F_SETFL, 0));
    /* Notifications are flagged. */
    c_event(cli, SCTP_SHUTDOWN_EVENT);
    if (m->type == SOCK_STREAM)
        shutdown(srv, SHUT_WR);
    else {
        struct sctp_sndrcvinfo eof = {.sinfo_flags = SCTP_EOF, .sinfo_assoc_id = sid};
        C_OK(sctp_send(srv, NULL, 0, &eof, 0));
    }
    union {
        struct sctp_shutdown_event sse;
        char buf[256];
    } u;
    for (;;) {
        flags = 0;
        int n = recv_wait(cli, u.buf, sizeof(u.buf), NULL, NULL, &flags);
        if (n > 0 && (flags & MSG_NOTIFICATION) && u.sse.sse_type == SCTP_SHUTDOWN_EVENT)
            break;
    }
    close(cli);
    close(srv);
}

static void test_errors(void **state)
{
    const c_mode *m = C_MODE(state);
    char buf[8];
    struct sctp_sndrcvinfo si = {0};
    C_ERRNO(sctp_sendmsg(-1, "x", 1, NULL, 0, 0, 0, 0, 0, 0), EBADF);
    C_ERRNO(sctp_send(-1, "x", 1, &si, 0), EBADF);
    C_ERRNO(sctp_recvmsg(-1, buf, sizeof(buf), NULL, NULL, NULL, NULL), EBADF);
    /* Not connected. */
    int fd = c_socket(m->family, m->type);
    C_ERRNO(sctp_sendmsg(fd, "x", 1, NULL, 0, 0, 0, 0, 0, 0), EPIPE);
    if (m->type == SOCK_STREAM)
        C_ERRNO(sctp_recvmsg(fd, buf, sizeof(buf), NULL, NULL, NULL, NULL), ENOTCONN);
    close(fd);
    int cli, srv;
    sctp_assoc_t cid, sid;
    c_any_pair(m, &cli, &srv, &cid, &sid);
    /* A stream the association does not have. */
    struct sctp_sndrcvinfo bad = {.sinfo_stream = 60000, .sinfo_assoc_id = cid};
    C_ERRNO(sctp_send(cli, "x", 1, &bad, 0), EINVAL);
    if (m->type == SOCK_SEQPACKET) {
        /* An unknown association. */
        struct sctp_sndrcvinfo unknown = {.sinfo_assoc_id = cid + 1000};
        C_ERRNO(sctp_send(cli, "x", 1, &unknown, 0), EPIPE);
    }
    close(cli);
    close(srv);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN); /* sctp_sendmsg cannot pass MSG_NOSIGNAL */
    const struct CMUnitTest tests[] = {
        C_TEST4(test_attributes),      C_TEST4(test_sinfo_with_rcvinfo),
        C_TEST4(test_reply),           C_TEST2(test_implicit_setup, 1TOM),
        C_TEST2(test_eof_abort, 1TOM), C_TEST4(test_recv_flags),
        C_TEST4(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
