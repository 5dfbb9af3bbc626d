/* test_sendv.c - sctp_sendv and sctp_recvv (RFC 6458 sections 9.12 and
 * 9.13): every infotype both ways, several addresses, sendmsg flags that
 * must be honoured, the -1/errno contract, one-to-one and one-to-many,
 * IPv4 and IPv6. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "chelp.h"

/* A pair with RCVINFO (and NXTINFO if asked) enabled on the receiver. */
static void pair_with(const c_mode *m, int *cli, int *srv, sctp_assoc_t *cid, sctp_assoc_t *sid,
                      int rcv, int nxt)
{
    c_any_pair(m, cli, srv, cid, sid);
    c_setopt_int(*srv, SCTP_RECVRCVINFO, rcv);
    c_setopt_int(*srv, SCTP_RECVNXTINFO, nxt);
}

/* Send with sctp_sendv on a connected pair: one-to-many sockets name the
 * association in an SCTP_SNDINFO unless the caller gives info. */
static int sendv_to(const c_mode *m, int fd, sctp_assoc_t id, const char *text, void *info,
                    socklen_t infolen, unsigned type, int flags)
{
    struct iovec iov = {.iov_base = (void *)text, .iov_len = strlen(text)};
    struct sctp_sndinfo snd = {.snd_assoc_id = id};
    if (type == SCTP_SENDV_NOINFO && m->type == SOCK_SEQPACKET) {
        info = &snd;
        infolen = sizeof(snd);
        type = SCTP_SENDV_SNDINFO;
    }
    return sctp_sendv(fd, &iov, 1, NULL, 0, info, infolen, type, flags);
}

/* sctp_recvv of the next data message (notifications skipped). */
static int recvv_data(int fd, char *buf, size_t cap, void *info, socklen_t *infolen, unsigned *type,
                      int *flags)
{
    for (;;) {
        c_wait(fd, POLLIN);
        struct iovec iov[2] = {{.iov_base = buf, .iov_len = 3},
                               {.iov_base = buf + 3, .iov_len = cap - 3}};
        int f = 0;
        int n = (int)C_OK(sctp_recvv(fd, iov, 2, NULL, NULL, info, infolen, type, &f));
        if (flags)
            *flags = f;
        if (!(f & MSG_NOTIFICATION)) {
            if ((size_t)n < cap)
                buf[n] = 0;
            return n;
        }
    }
}

/* Wait until everything `fd` sent on association `id` is acknowledged:
 * it is all in the peer's receive queue then. */
static void wait_acked(int fd, sctp_assoc_t id)
{
    for (int i = 0; i < 500; i++) {
        struct sctp_status st;
        memset(&st, 0, sizeof(st));
        st.sstat_assoc_id = id;
        socklen_t len = sizeof(st);
        C_OK(getsockopt(fd, IPPROTO_SCTP, SCTP_STATUS, &st, &len));
        if (st.sstat_unackdata == 0 && st.sstat_penddata == 0)
            return;
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    fail_msg("data still unacknowledged after 5 s");
}

static void test_noinfo(void **state)
{
    const c_mode *m = C_MODE(state);
    int cli, srv;
    sctp_assoc_t cid, sid;
    pair_with(m, &cli, &srv, &cid, &sid, 1, 0);
    assert_int_equal(C_OK(sendv_to(m, cli, cid, "plain", NULL, 0, SCTP_SENDV_NOINFO, 0)), 5);
    char buf[32];
    struct sctp_rcvinfo rcv;
    socklen_t len = sizeof(rcv);
    unsigned type = 99;
    int flags;
    assert_int_equal(recvv_data(srv, buf, sizeof(buf), &rcv, &len, &type, &flags), 5);
    assert_string_equal(buf, "plain");
    assert_true(flags & MSG_EOR);
    assert_int_equal(type, SCTP_RECVV_RCVINFO);
    assert_int_equal(len, sizeof(rcv));
    assert_int_equal(rcv.rcv_sid, 0);
    assert_true(rcv.rcv_assoc_id > 0);
    close(cli);
    close(srv);
}

static void test_sndinfo(void **state)
{
    const c_mode *m = C_MODE(state);
    int cli, srv;
    sctp_assoc_t cid, sid;
    pair_with(m, &cli, &srv, &cid, &sid, 1, 0);
    struct sctp_sndinfo snd = {.snd_sid = 2,
                               .snd_flags = SCTP_UNORDERED,
                               .snd_ppid = htonl(42),
                               .snd_context = 5,
                               .snd_assoc_id = cid};
    C_OK(sendv_to(m, cli, cid, "snd", &snd, sizeof(snd), SCTP_SENDV_SNDINFO, 0));
    char buf[32];
    struct sctp_rcvinfo rcv;
    socklen_t len = sizeof(rcv);
    unsigned type;
    recvv_data(srv, buf, sizeof(buf), &rcv, &len, &type, NULL);
    assert_string_equal(buf, "snd");
    assert_int_equal(type, SCTP_RECVV_RCVINFO);
    assert_int_equal(rcv.rcv_sid, 2);
    assert_true(rcv.rcv_flags & SCTP_UNORDERED);
    assert_int_equal(rcv.rcv_ppid, htonl(42));
    if (m->type == SOCK_SEQPACKET)
        assert_int_equal(rcv.rcv_assoc_id, sid);
    close(cli);
    close(srv);
}

static void test_prinfo(void **state)
{
    const c_mode *m = C_MODE(state);
    int cli, srv;
    sctp_assoc_t cid, sid;
    pair_with(m, &cli, &srv, &cid, &sid, 1, 0);
    struct sctp_prinfo pr = {.pr_policy = SCTP_PR_SCTP_TTL, .pr_value = 30000};
    if (m->type == SOCK_STREAM) {
        C_OK(sendv_to(m, cli, cid, "pr", &pr, sizeof(pr), SCTP_SENDV_PRINFO, 0));
    } else {
        /* A one-to-many socket needs the association: SPA with both. */
        struct sctp_sendv_spa spa = {.sendv_flags =
                                         SCTP_SEND_SNDINFO_VALID | SCTP_SEND_PRINFO_VALID,
                                     .sendv_sndinfo = {.snd_assoc_id = cid, .snd_sid = 1},
                                     .sendv_prinfo = pr};
        C_OK(sendv_to(m, cli, cid, "pr", &spa, sizeof(spa), SCTP_SENDV_SPA, 0));
    }
    char buf[32];
    recvv_data(srv, buf, sizeof(buf), NULL, NULL, NULL, NULL);
    assert_string_equal(buf, "pr");
    close(cli);
    close(srv);
}

/* AUTHINFO, and SPA with all three attributes (libsctp 1.0.19 overflows
 * its control buffer there). Needs AUTH on: net.sctp.auth_enable. */
static int auth_on(void)
{
    FILE *f = fopen("/proc/sys/net/sctp/auth_enable", "w");
    if (!f)
        return 0;
    int ok = fputs("1\n", f) >= 0;
    return fclose(f) == 0 && ok;
}

static void test_authinfo_spa(void **state)
{
    const c_mode *m = C_MODE(state);
    if (!auth_on()) {
        printf("# skipped: cannot turn net.sctp.auth_enable on (not root?)\n");
        skip();
    }
    int cli, srv;
    sctp_assoc_t cid, sid;
    pair_with(m, &cli, &srv, &cid, &sid, 1, 0);
    struct sctp_authinfo auth = {.auth_keynumber = 0};
    if (m->type == SOCK_STREAM) {
        C_OK(sendv_to(m, cli, cid, "auth", &auth, sizeof(auth), SCTP_SENDV_AUTHINFO, 0));
        char buf[32];
        recvv_data(srv, buf, sizeof(buf), NULL, NULL, NULL, NULL);
        assert_string_equal(buf, "auth");
    }
    struct sctp_sendv_spa spa;
    memset(&spa, 0, sizeof(spa));
    spa.sendv_flags = SCTP_SEND_SNDINFO_VALID | SCTP_SEND_PRINFO_VALID | SCTP_SEND_AUTHINFO_VALID;
    spa.sendv_sndinfo.snd_sid = 3;
    spa.sendv_sndinfo.snd_ppid = htonl(9);
    spa.sendv_sndinfo.snd_assoc_id = cid;
    spa.sendv_prinfo.pr_policy = SCTP_PR_SCTP_TTL;
    spa.sendv_prinfo.pr_value = 30000;
    spa.sendv_authinfo.auth_keynumber = 0;
    C_OK(sendv_to(m, cli, cid, "spa", &spa, sizeof(spa), SCTP_SENDV_SPA, 0));
    char buf[32];
    struct sctp_rcvinfo rcv;
    socklen_t len = sizeof(rcv);
    unsigned type;
    recvv_data(srv, buf, sizeof(buf), &rcv, &len, &type, NULL);
    assert_string_equal(buf, "spa");
    assert_int_equal(rcv.rcv_sid, 3);
    assert_int_equal(rcv.rcv_ppid, htonl(9));
    close(cli);
    close(srv);
}

/* One-to-many: a new association to a multihomed server from several
 * addresses (first as destination, the rest as SCTP_DSTADDRV4/V6). */
static void test_addresses(void **state)
{
    const c_mode *m = C_MODE(state);
    uint16_t port;
    int srv = c_listener(m->family, SOCK_SEQPACKET, &port);
    c_addr second = c_addr_of(m->family == AF_INET ? "127.0.0.2" : "127.0.0.1", port);
    C_OK(sctp_bindx(srv, &second.sa, 1, SCTP_BINDX_ADD_ADDR));
    c_setopt_int(srv, SCTP_RECVRCVINFO, 1);
    unsigned char packed[3 * sizeof(struct sockaddr_in6)];
    c_addr first = c_loopback(m->family, port);
    size_t used = c_addrlen(m->family);
    memcpy(packed, &first, used);
    memcpy(packed + used, &second, sizeof(struct sockaddr_in));
    used += sizeof(struct sockaddr_in);
    int n = 2;
    if (m->family == AF_INET6) { /* and one more, an IPv6 one */
        c_addr mapped = c_addr_of("::ffff:127.0.0.2", port);
        memcpy(packed + used, &mapped, sizeof(struct sockaddr_in6));
        n = 3;
    }
    int cli = c_socket(m->family, SOCK_SEQPACKET);
    struct iovec iov = {.iov_base = "multi", .iov_len = 5};
    assert_int_equal(
        C_OK(sctp_sendv(cli, &iov, 1, (struct sockaddr *)packed, n, NULL, 0, SCTP_SENDV_NOINFO, 0)),
        5);
    char buf[32];
    recvv_data(srv, buf, sizeof(buf), NULL, NULL, NULL, NULL);
    assert_string_equal(buf, "multi");
    /* addrs given with a count of 0 are ignored: one-to-one, connected. */
    close(cli);
    close(srv);
    int a, b;
    c_pair(m->family, &a, &b);
    struct sockaddr_in6 junk = {.sin6_family = 12345};
    assert_int_equal(
        C_OK(sctp_sendv(a, &iov, 1, (struct sockaddr *)&junk, 0, NULL, 0, SCTP_SENDV_NOINFO, 0)),
        5);
    recvv_data(b, buf, sizeof(buf), NULL, NULL, NULL, NULL);
    close(a);
    close(b);
}

/* sendmsg(2) flags reach the kernel (libsctp drops them): MSG_DONTWAIT
 * on a blocking socket whose peer does not read ends in EAGAIN instead of
 * blocking, MSG_NOSIGNAL keeps SIGPIPE away. */
static volatile sig_atomic_t sigpipes;
static void on_sigpipe(int sig)
{
    (void)sig;
    sigpipes++;
}

static void test_flags(void **state)
{
    const c_mode *m = C_MODE(state);
    int cli, srv;
    sctp_assoc_t cid, sid;
    c_any_pair(m, &cli, &srv, &cid, &sid);
    alarm(60); /* if MSG_DONTWAIT were dropped, the loop would block */
    static char big[8192];
    struct iovec iov = {.iov_base = big, .iov_len = sizeof(big)};
    struct sctp_sndinfo snd = {.snd_assoc_id = cid};
    int r = 0, i;
    for (i = 0; i < 100000; i++) {
        r = sctp_sendv(cli, &iov, 1, NULL, 0, &snd, sizeof(snd), SCTP_SENDV_SNDINFO, MSG_DONTWAIT);
        if (r < 0)
            break;
    }
    alarm(0);
    C_ERRNO(r, EAGAIN);
    close(srv);

    struct sigaction sa = {.sa_handler = on_sigpipe}, old;
    sigaction(SIGPIPE, &sa, &old);
    sigpipes = 0;
    int a, b;
    c_pair(m->family, &a, &b);
    close(b);
    shutdown(a, SHUT_WR);
    iov.iov_len = 1;
    r = sctp_sendv(a, &iov, 1, NULL, 0, NULL, 0, SCTP_SENDV_NOINFO, MSG_NOSIGNAL);
    C_ERRNO(r, EPIPE);
    assert_int_equal(sigpipes, 0);
    sigaction(SIGPIPE, &old, NULL);
    close(a);
    close(cli);
}

/* Every error is -1 with errno (libsctp returns some as -errno). */
static void test_sendv_errors(void **state)
{
    const c_mode *m = C_MODE(state);
    struct iovec iov = {.iov_base = "x", .iov_len = 1};
    struct sctp_sndinfo snd = {0};
    C_ERRNO(sctp_sendv(-1, &iov, 1, NULL, 0, NULL, 0, SCTP_SENDV_NOINFO, 0), EBADF);
    int cli, srv;
    sctp_assoc_t cid, sid;
    c_any_pair(m, &cli, &srv, &cid, &sid);
    C_ERRNO(sctp_sendv(cli, &iov, 1, NULL, 0, &snd, sizeof(snd), 99, 0), EINVAL);
    C_ERRNO(sctp_sendv(cli, &iov, 1, NULL, 0, &snd, sizeof(snd) - 1, SCTP_SENDV_SNDINFO, 0),
            EINVAL);
    C_ERRNO(sctp_sendv(cli, &iov, 1, NULL, 0, NULL, sizeof(snd), SCTP_SENDV_SNDINFO, 0), EINVAL);
    struct sctp_sendv_spa spa = {0};
    C_ERRNO(sctp_sendv(cli, &iov, 1, NULL, 0, &spa, sizeof(spa) - 4, SCTP_SENDV_SPA, 0), EINVAL);
    struct sctp_prinfo pr = {0};
    C_ERRNO(sctp_sendv(cli, &iov, 1, NULL, 0, &pr, 2, SCTP_SENDV_PRINFO, 0), EINVAL);
    C_ERRNO(sctp_sendv(cli, &iov, 1, NULL, 0, &pr, 1, SCTP_SENDV_AUTHINFO, 0), EINVAL);
    C_ERRNO(sctp_sendv(cli, &iov, -1, NULL, 0, NULL, 0, SCTP_SENDV_NOINFO, 0), EINVAL);
    c_addr to = c_loopback(m->family, c_bound_port(srv));
    C_ERRNO(sctp_sendv(cli, &iov, 1, &to.sa, -1, NULL, 0, SCTP_SENDV_NOINFO, 0), EINVAL);
    C_ERRNO(sctp_sendv(cli, &iov, 1, NULL, 1, NULL, 0, SCTP_SENDV_NOINFO, 0), EINVAL);
    c_addr bad = to;
    bad.sa.sa_family = AF_UNIX;
    C_ERRNO(sctp_sendv(cli, &iov, 1, &bad.sa, 1, NULL, 0, SCTP_SENDV_NOINFO, 0), EINVAL);
    if (m->type == SOCK_SEQPACKET) {
        /* An association that does not exist. */
        snd.snd_assoc_id = cid + 1000;
        C_ERRNO(
            sctp_sendv(cli, &iov, 1, NULL, 0, &snd, sizeof(snd), SCTP_SENDV_SNDINFO, MSG_NOSIGNAL),
            EPIPE);
    }
    close(cli);
    close(srv);
}

/* Two messages queued: each infotype the options can give. */
static void test_recvv_info(void **state)
{
    const c_mode *m = C_MODE(state);
    static const struct {
        int rcv, nxt;
        socklen_t room;
        unsigned first, second;
    } cases[] = {
        {0, 0, sizeof(struct sctp_recvv_rn), SCTP_RECVV_NOINFO, SCTP_RECVV_NOINFO},
        {1, 0, sizeof(struct sctp_recvv_rn), SCTP_RECVV_RCVINFO, SCTP_RECVV_RCVINFO},
        {0, 1, sizeof(struct sctp_recvv_rn), SCTP_RECVV_NXTINFO, SCTP_RECVV_NOINFO},
        {1, 1, sizeof(struct sctp_recvv_rn), SCTP_RECVV_RN, SCTP_RECVV_RCVINFO},
        /* too short for both: libsctp's choice, the first attribute that
         * fits in the kernel's order (NXTINFO, then RCVINFO) */
        {1, 1, sizeof(struct sctp_rcvinfo), SCTP_RECVV_NXTINFO, SCTP_RECVV_RCVINFO},
        {1, 1, sizeof(struct sctp_nxtinfo), SCTP_RECVV_NXTINFO, SCTP_RECVV_NOINFO},
        {1, 1, sizeof(struct sctp_recvv_rn) - 1, SCTP_RECVV_NXTINFO, SCTP_RECVV_RCVINFO},
        {1, 1, 4, SCTP_RECVV_NOINFO, SCTP_RECVV_NOINFO},
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        int cli, srv;
        sctp_assoc_t cid, sid;
        pair_with(m, &cli, &srv, &cid, &sid, cases[k].rcv, cases[k].nxt);
        struct sctp_sndinfo s1 = {.snd_sid = 1, .snd_ppid = 11, .snd_assoc_id = cid};
        struct sctp_sndinfo s2 = {.snd_sid = 2, .snd_ppid = 22, .snd_assoc_id = cid};
        C_OK(sendv_to(m, cli, cid, "first", &s1, sizeof(s1), SCTP_SENDV_SNDINFO, 0));
        C_OK(sendv_to(m, cli, cid, "second!", &s2, sizeof(s2), SCTP_SENDV_SNDINFO, 0));
        wait_acked(cli, cid);
        struct sctp_recvv_rn rn;
        memset(&rn, 0, sizeof(rn));
        socklen_t len = cases[k].room;
        unsigned type = 99;
        char buf[32];
        assert_int_equal(recvv_data(srv, buf, sizeof(buf), &rn, &len, &type, NULL), 5);
        assert_int_equal(type, cases[k].first);
        switch (type) {
        case SCTP_RECVV_RN:
            assert_int_equal(len, sizeof(rn));
            assert_int_equal(rn.recvv_rcvinfo.rcv_sid, 1);
            assert_int_equal(rn.recvv_rcvinfo.rcv_ppid, 11);
            assert_int_equal(rn.recvv_nxtinfo.nxt_sid, 2);
            assert_int_equal(rn.recvv_nxtinfo.nxt_ppid, 22);
            assert_int_equal(rn.recvv_nxtinfo.nxt_length, 7);
            break;
        case SCTP_RECVV_RCVINFO:
            assert_int_equal(len, sizeof(struct sctp_rcvinfo));
            assert_int_equal(rn.recvv_rcvinfo.rcv_sid, 1);
            break;
        case SCTP_RECVV_NXTINFO: {
            struct sctp_nxtinfo nxt;
            memcpy(&nxt, &rn, sizeof(nxt));
            assert_int_equal(len, sizeof(nxt));
            assert_int_equal(nxt.nxt_sid, 2);
            assert_int_equal(nxt.nxt_length, 7);
            break;
        }
        default:
            assert_int_equal(len, cases[k].room); /* left alone */
        }
        len = cases[k].room;
        assert_int_equal(recvv_data(srv, buf, sizeof(buf), &rn, &len, &type, NULL), 7);
        assert_string_equal(buf, "second!");
        assert_int_equal(type, cases[k].second);
        if (type == SCTP_RECVV_RCVINFO)
            assert_int_equal(rn.recvv_rcvinfo.rcv_sid, 2);
        close(cli);
        close(srv);
    }
}

/* NULL info arguments, from/fromlen, MSG_PEEK in and flags out. */
static void test_recvv_args(void **state)
{
    const c_mode *m = C_MODE(state);
    int cli, srv;
    sctp_assoc_t cid, sid;
    pair_with(m, &cli, &srv, &cid, &sid, 1, 1);
    C_OK(sendv_to(m, cli, cid, "abcdef", NULL, 0, SCTP_SENDV_NOINFO, 0));
    c_wait(srv, POLLIN);
    char buf[32];
    struct iovec iov = {.iov_base = buf, .iov_len = sizeof(buf)};
    c_addr from;
    socklen_t fromlen = sizeof(from);
    int flags = MSG_PEEK;
    struct sctp_rcvinfo rcv;
    socklen_t len = sizeof(rcv);
    unsigned type = 99;
    for (;;) { /* skip notifications */
        flags = MSG_PEEK;
        int n = (int)C_OK(sctp_recvv(srv, &iov, 1, &from.sa, &fromlen, NULL, &len, &type, &flags));
        if (!(flags & MSG_NOTIFICATION)) {
            assert_int_equal(n, 6);
            break;
        }
        C_OK(sctp_recvv(srv, &iov, 1, NULL, NULL, NULL, NULL, NULL, NULL));
    }
    assert_true(flags & MSG_EOR);
    assert_int_equal(type, SCTP_RECVV_NOINFO); /* info NULL */
    assert_int_equal(fromlen, c_addrlen(from.sa.sa_family));
    assert_int_equal(c_port_of(&from), c_bound_port(cli));
    /* Still there; everything NULL now. */
    assert_int_equal(C_OK(sctp_recvv(srv, &iov, 1, NULL, NULL, NULL, NULL, NULL, NULL)), 6);
    assert_memory_equal(buf, "abcdef", 6);
    /* Errors. */
    C_ERRNO(sctp_recvv(-1, &iov, 1, NULL, NULL, NULL, NULL, NULL, NULL), EBADF);
    C_ERRNO(sctp_recvv(srv, &iov, -1, NULL, NULL, NULL, NULL, NULL, NULL), EINVAL);
    flags = MSG_DONTWAIT;
    C_ERRNO(sctp_recvv(srv, &iov, 1, NULL, NULL, &rcv, &len, &type, &flags), EAGAIN);
    close(cli);
    close(srv);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        C_TEST4(test_noinfo),       C_TEST4(test_sndinfo),         C_TEST4(test_prinfo),
        C_TEST4(test_authinfo_spa), C_TEST2(test_addresses, 1TOM), C_TEST4(test_flags),
        C_TEST4(test_sendv_errors), C_TEST4(test_recvv_info),      C_TEST4(test_recvv_args),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
