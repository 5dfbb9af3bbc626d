/* test_nonblocking.c - non-blocking use with epoll (sctpng_fd +
 * sctpng_poll_events), connect in progress, accept without waiting, full
 * send buffers, and blocking calls that time out. */
#include <arpa/inet.h>
#include <net/if.h>
#include <net/route.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

/* epoll events for sctpng_poll_events() bits. */
static uint32_t to_epoll(int pollbits)
{
    uint32_t e = 0;
    if (pollbits & POLLIN)
        e |= EPOLLIN;
    if (pollbits & POLLOUT)
        e |= EPOLLOUT;
    return e;
}

/* Wait with epoll for what the handle asks for; returns the ready mask. */
static uint32_t epoll_wait_for(sctpng_socket *s, int timeout_ms)
{
    int ep = epoll_create1(EPOLL_CLOEXEC);
    assert_true(ep >= 0);
    int pe = T_OK(sctpng_poll_events(s));
    struct epoll_event ev = {.events = to_epoll(pe)};
    assert_int_equal(epoll_ctl(ep, EPOLL_CTL_ADD, sctpng_fd(s), &ev), 0);
    struct epoll_event out;
    int n = epoll_wait(ep, &out, 1, timeout_ms);
    close(ep);
    assert_true(n >= 0);
    return n ? out.events : 0;
}

/* A port nobody listens on. */
static uint16_t dead_port(int family)
{
    sctpng_socket *s = t_open(family, SCTPNG_ONE_TO_ONE);
    sctpng_addr a = t_loopback(family, 0);
    T_OK(sctpng_bind(s, &a, 1));
    T_OK(sctpng_get_local_addrs(s, 0, &a, 1));
    sctpng_close(s);
    return sctpng_addr_port(&a);
}

/* Non-blocking connect: -EINPROGRESS with the association id, the handle
 * asks for POLLOUT, epoll reports writable, the result is success; the
 * listener's fd turns readable and accept() takes the association without
 * waiting. */
static void test_nonblocking_connect_epoll(void **state)
{
    (void)state;
    sctpng_addr at;
    sctpng_socket *l = t_listener(AF_INET, SCTPNG_ONE_TO_ONE, &at);
    sctpng_socket *c = t_open(AF_INET, SCTPNG_ONE_TO_ONE);
    assert_int_equal(sctpng_poll_events(c), POLLIN);
    sctpng_assoc_t id = 0;
    int r = sctpng_connect(c, &at, 1, &id, 0);
    assert_true(r == -EINPROGRESS || r == 0);
    assert_true(id > 0);
    if (r == -EINPROGRESS)
        assert_true(sctpng_poll_events(c) & POLLOUT);
    for (int i = 0; i < 100 && (r = sctpng_connect_result(c)) == -EINPROGRESS; i++) {
        uint32_t ready = epoll_wait_for(c, T_TIMEOUT_MS);
        assert_true(ready != 0);
    }
    assert_int_equal(r, 0);
    assert_false(sctpng_poll_events(c) & POLLOUT);
    sctpng_status st;
    T_OK(sctpng_get_status(c, 0, &st));
    assert_int_equal(st.assoc, id);
    assert_int_equal(st.state, SCTPNG_STATE_ESTABLISHED);

    assert_true(epoll_wait_for(l, T_TIMEOUT_MS) & EPOLLIN);
    sctpng_socket *s = NULL;
    T_OK(sctpng_accept(l, &s, NULL, 0));
    T_OK(sctpng_send(c, "nb", 2, NULL, 0));
    assert_true(epoll_wait_for(s, T_TIMEOUT_MS) & EPOLLIN);
    char buf[8];
    assert_int_equal(T_OK(sctpng_recv(s, buf, sizeof(buf), NULL, 0)), 2);
    sctpng_close(c);
    sctpng_close(s);
    sctpng_close(l);
}

/* Non-blocking connect to a port without a listener: epoll wakes up and
 * the result is -ECONNREFUSED. */
static void test_nonblocking_connect_refused(void **state)
{
    (void)state;
    sctpng_socket *c = t_open(AF_INET6, SCTPNG_ONE_TO_ONE);
    sctpng_addr to = t_loopback(AF_INET6, dead_port(AF_INET6));
    int r = sctpng_connect(c, &to, 1, NULL, 0);
    assert_true(r == -EINPROGRESS || r == -ECONNREFUSED);
    for (int i = 0; i < 100 && (r = sctpng_connect_result(c)) == -EINPROGRESS; i++)
        assert_true(epoll_wait_for(c, T_TIMEOUT_MS) != 0);
    T_ERR(r, -ECONNREFUSED);
    sctpng_close(c);
}

/* One-to-many sockets are always writable: the connect result must come
 * from the association, in progress until the handshake ends, then 0; a
 * second connect to a dead port ends in -ECONNREFUSED. */
static void test_nonblocking_connect_one_to_many(void **state)
{
    (void)state;
    sctpng_addr at;
    sctpng_socket *l = t_listener(AF_INET, SCTPNG_ONE_TO_MANY, &at);
    sctpng_socket *c = t_open(AF_INET, SCTPNG_ONE_TO_MANY);
    sctpng_assoc_t id = 0;
    T_ERR(sctpng_connect(c, &at, 1, &id, 0), -EINPROGRESS);
    assert_true(id != 0);
    int r;
    for (int i = 0; i < 500 && (r = sctpng_connect_result(c)) == -EINPROGRESS; i++)
        usleep(10000);
    T_OK(r);
    sctpng_status st;
    T_OK(sctpng_get_status(c, id, &st));
    assert_int_equal(st.state, SCTPNG_STATE_ESTABLISHED);

    sctpng_addr dead = t_loopback(AF_INET, dead_port(AF_INET));
    r = sctpng_connect(c, &dead, 1, NULL, 0);
    assert_true(r == -EINPROGRESS || r == -ECONNREFUSED);
    for (int i = 0; i < 500 && r == -EINPROGRESS; i++) {
        usleep(10000);
        r = sctpng_connect_result(c);
    }
    T_ERR(r, -ECONNREFUSED);
    sctpng_close(c);
    sctpng_close(l);
}

/* accept() with timeout 0 on an empty queue: -EAGAIN at once; with a time
 * limit: -ETIMEDOUT after about that long. */
static void test_accept_without_waiting(void **state)
{
    (void)state;
    sctpng_addr at;
    sctpng_socket *l = t_listener(AF_INET, SCTPNG_ONE_TO_ONE, &at);
    sctpng_socket *s = NULL;
    int64_t t0 = t_now_ms();
    T_ERR(sctpng_accept(l, &s, NULL, 0), -EAGAIN);
    assert_null(s);
    assert_true(t_now_ms() - t0 < 500);
    t0 = t_now_ms();
    T_ERR(sctpng_accept(l, &s, NULL, 200), -ETIMEDOUT);
    int64_t took = t_now_ms() - t0;
    assert_true(took >= 190 && took < 3000);
    assert_int_equal(epoll_wait_for(l, 50), 0);
    sctpng_close(l);
}

/* A blocking receive with a time limit gives -ETIMEDOUT after about that
 * long; 0 gives -EAGAIN at once; a message that arrives while waiting is
 * returned. */
static void test_recv_timeout(void **state)
{
    (void)state;
    sctpng_socket *c, *s;
    t_pair(AF_INET, &c, &s);
    char buf[16];
    sctpng_rcvinfo ri;
    int64_t t0 = t_now_ms();
    T_ERR(sctpng_recv(s, buf, sizeof(buf), &ri, 300), -ETIMEDOUT);
    int64_t took = t_now_ms() - t0;
    assert_true(took >= 290);
    assert_true(took < 3000);
    t0 = t_now_ms();
    T_ERR(sctpng_recv(s, buf, sizeof(buf), &ri, 0), -EAGAIN);
    assert_true(t_now_ms() - t0 < 500);
    /* Nothing was consumed by the failed calls. */
    T_OK(sctpng_send(c, "late", 4, NULL, T_TIMEOUT_MS));
    assert_int_equal(T_OK(sctpng_recv(s, buf, sizeof(buf), &ri, SCTPNG_FOREVER)), 4);
    assert_memory_equal(buf, "late", 4);
    sctpng_close(c);
    sctpng_close(s);
}

/* Fill the send buffer without waiting: -EAGAIN, the handle then asks for
 * POLLOUT; a blocking send gives -ETIMEDOUT; once the receiver drains,
 * epoll says writable and sending goes on. Every message arrives, in
 * order, exactly once. */
static void test_send_buffer_full(void **state)
{
    (void)state;
    sctpng_socket_opts o = t_opts(AF_INET, SCTPNG_ONE_TO_ONE);
    sctpng_addr at;
    sctpng_socket *l = t_listener_opts(&o, &at);
    T_OK(sctpng_setopt(l, SCTPNG_OPT_RCVBUF, 8192));
    sctpng_socket *c = t_open_opts(&o), *s;
    T_OK(sctpng_setopt(c, SCTPNG_OPT_SNDBUF, 16384));
    T_OK(sctpng_connect(c, &at, 1, NULL, T_TIMEOUT_MS));
    T_OK(sctpng_accept(l, &s, NULL, T_TIMEOUT_MS));
    sctpng_close(l);

    enum { LEN = 1000, MAXN = 2000 };
    uint8_t m[LEN];
    memset(m, 0xab, sizeof(m));
    uint32_t sent = 0;
    /* Fill until -EAGAIN; twice, because delayed SACKs (200 ms) free some
     * room after the first -EAGAIN, until the peer's window is closed. */
    for (int round = 0; round < 2; round++) {
        for (; sent < MAXN; sent++) {
            memcpy(m, &sent, sizeof(sent));
            ssize_t r = sctpng_send(c, m, LEN, NULL, 0);
            if (r == -EAGAIN)
                break;
            assert_int_equal(T_OK(r), LEN);
        }
        if (round == 0)
            t_sleep_ms(500);
    }
    assert_true(sent > 0 && sent < MAXN);
    assert_true(sctpng_poll_events(c) & POLLOUT);
    /* A send that may wait 200 ms: the kernel accepts zero-window probes
     * now and then, freeing a little room, so a few may still get through;
     * soon one must time out, after waiting its 200 ms. */
    int timed_out = 0;
    for (int i = 0; i < 20 && !timed_out; i++) {
        memcpy(m, &sent, sizeof(sent));
        int64_t t0 = t_now_ms();
        ssize_t r = sctpng_send(c, m, LEN, NULL, 200);
        if (r == -ETIMEDOUT) {
            assert_true(t_now_ms() - t0 >= 190);
            timed_out = 1;
        } else {
            assert_int_equal(T_OK(r), LEN);
            sent++;
        }
    }
    assert_true(timed_out);
    assert_true(sctpng_poll_events(c) & POLLOUT);

    /* Drain; the sender becomes writable again. */
    uint32_t got = 0;
    uint8_t in[LEN + 8];
    while (got < sent) {
        assert_int_equal(t_recv_msg(s, in, sizeof(in), NULL), LEN);
        uint32_t v;
        memcpy(&v, in, sizeof(v));
        assert_int_equal(v, got);
        got++;
    }
    /* The UDP backend's descriptor only ever turns readable (sctpng_fd():
     * an epoll set over its UDP socket and timer), here with the SACKs
     * that make room; a portable loop calls in whatever fired. */
    assert_true(epoll_wait_for(c, T_TIMEOUT_MS) & (t_on_udp() ? EPOLLIN : EPOLLOUT));
    uint32_t total = sent + 20;
    for (; sent < total; sent++) {
        memcpy(m, &sent, sizeof(sent));
        assert_int_equal(T_OK(sctpng_send(c, m, LEN, NULL, T_TIMEOUT_MS)), LEN);
    }
    assert_false(sctpng_poll_events(c) & POLLOUT);
    while (got < total) {
        assert_int_equal(t_recv_msg(s, in, sizeof(in), NULL), LEN);
        uint32_t v;
        memcpy(&v, in, sizeof(v));
        assert_int_equal(v, got);
        got++;
    }
    t_expect_quiet(s, 200);
    sctpng_close(c);
    sctpng_close(s);
}

/* An epoll loop serving a one-to-many socket: three clients connect
 * without blocking, each sends, the server echoes by association id. */
static void test_epoll_one_to_many_echo(void **state)
{
    (void)state;
    sctpng_addr at;
    sctpng_socket *srv = t_listener(AF_INET, SCTPNG_ONE_TO_MANY, &at);
    enum { N = 3 };
    sctpng_socket *cl[N];
    int ep = epoll_create1(EPOLL_CLOEXEC);
    assert_true(ep >= 0);
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = 100};
    assert_int_equal(epoll_ctl(ep, EPOLL_CTL_ADD, sctpng_fd(srv), &ev), 0);
    int connected = 0;
    for (int i = 0; i < N; i++) {
        cl[i] = t_open(AF_INET, SCTPNG_ONE_TO_ONE);
        int r = sctpng_connect(cl[i], &at, 1, NULL, 0);
        assert_true(r == -EINPROGRESS || r == 0);
        ev.events = to_epoll(sctpng_poll_events(cl[i]));
        ev.data.u32 = (uint32_t)i;
        assert_int_equal(epoll_ctl(ep, EPOLL_CTL_ADD, sctpng_fd(cl[i]), &ev), 0);
    }
    int echoed = 0, answered = 0;
    int64_t deadline = t_now_ms() + T_TIMEOUT_MS;
    while (answered < N && t_now_ms() < deadline) {
        struct epoll_event out[8];
        int n = epoll_wait(ep, out, 8, 500);
        assert_true(n >= 0);
        for (int k = 0; k < n; k++) {
            uint32_t who = out[k].data.u32;
            char buf[64];
            sctpng_rcvinfo ri;
            if (who == 100) {
                ssize_t r = sctpng_recv(srv, buf, sizeof(buf), &ri, 0);
                if (r == -EAGAIN)
                    continue;
                T_OK(r);
                sctpng_sndinfo si = {.assoc = ri.assoc};
                T_OK(sctpng_send(srv, buf, (size_t)r, &si, 0));
                echoed++;
                continue;
            }
            sctpng_socket *c = cl[who];
            if (sctpng_poll_events(c) & POLLOUT) {
                int r = sctpng_connect_result(c);
                if (r == -EINPROGRESS)
                    continue;
                T_OK(r);
                connected++;
                T_OK(sctpng_send(c, &who, sizeof(who), NULL, 0));
                struct epoll_event mod = {.events = to_epoll(sctpng_poll_events(c)),
                                          .data.u32 = who};
                assert_int_equal(epoll_ctl(ep, EPOLL_CTL_MOD, sctpng_fd(c), &mod), 0);
                continue;
            }
            ssize_t r = sctpng_recv(c, buf, sizeof(buf), &ri, 0);
            if (r == -EAGAIN)
                continue;
            assert_int_equal(T_OK(r), sizeof(who));
            uint32_t v;
            memcpy(&v, buf, sizeof(v));
            assert_int_equal(v, who);
            answered++;
        }
    }
    assert_int_equal(connected, N);
    assert_int_equal(echoed, N);
    assert_int_equal(answered, N);
    close(ep);
    for (int i = 0; i < N; i++)
        sctpng_close(cl[i]);
    sctpng_close(srv);
}

/* In a private network namespace (this process only): lo up and
 * 192.0.2.0/24 (TEST-NET-1) routed to lo, where packets for it are dropped
 * because the address is not local. Nothing answers and nothing leaves. */
static int blackhole_netns(void)
{
    if (unshare(CLONE_NEWNET) < 0)
        return -errno;
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    struct ifreq ifr;
    memset(&ifr, 0, sizeof(ifr));
    strcpy(ifr.ifr_name, "lo");
    int err = 0;
    /* A global-scope source address (127.0.0.1 is host scope and cannot
     * be the source towards 192.0.2.1): 10.0.0.1 replaces it here. */
    struct sockaddr_in src = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(0x0a000001)};
    memcpy(&ifr.ifr_addr, &src, sizeof(src));
    if (ioctl(fd, SIOCSIFADDR, &ifr) < 0)
        err = -errno;
    if (!err && ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
        err = -errno;
    ifr.ifr_flags |= IFF_UP;
    if (!err && ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
        err = -errno;
    struct rtentry rt;
    memset(&rt, 0, sizeof(rt));
    struct sockaddr_in dst = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(0xc0000200)};
    struct sockaddr_in mask = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(0xffffff00)};
    memcpy(&rt.rt_dst, &dst, sizeof(dst));
    memcpy(&rt.rt_genmask, &mask, sizeof(mask));
    rt.rt_flags = RTF_UP;
    rt.rt_dev = ifr.ifr_name;
    if (!err && ioctl(fd, SIOCADDRT, &rt) < 0)
        err = -errno;
    close(fd);
    return err;
}

/* A blocking connect with a time limit to an address that never answers
 * ends with -ETIMEDOUT after about that long. Runs in a child process in
 * its own network namespace (see blackhole_netns). */
static void test_connect_timeout(void **state)
{
    (void)state;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (blackhole_netns() < 0)
            _exit(77);
        sctpng_socket *c = NULL;
        sctpng_socket_opts o = t_opts(AF_INET, SCTPNG_ONE_TO_ONE);
        if (sctpng_socket_open(&c, &o) < 0)
            _exit(10);
        sctpng_addr to;
        sctpng_addr_parse(&to, "192.0.2.1", 9);
        int64_t t0 = t_now_ms();
        int r = sctpng_connect(c, &to, 1, NULL, 400);
        int64_t took = t_now_ms() - t0;
        sctpng_close(c);
        if (r != -ETIMEDOUT) {
            fprintf(stderr, "# connect: %s (%d)\n", sctpng_strerror(r), r);
            _exit(11);
        }
        if (took < 390 || took > 3000) {
            fprintf(stderr, "# connect took %lld ms\n", (long long)took);
            _exit(12);
        }
        _exit(0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    if (WEXITSTATUS(status) == 77)
        T_SKIP("no permission to make a network namespace");
    assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nonblocking_connect_epoll),
        cmocka_unit_test(test_nonblocking_connect_refused),
        cmocka_unit_test(test_nonblocking_connect_one_to_many),
        cmocka_unit_test(test_accept_without_waiting),
        cmocka_unit_test(test_recv_timeout),
        cmocka_unit_test(test_send_buffer_full),
        cmocka_unit_test(test_epoll_one_to_many_echo),
        cmocka_unit_test(test_connect_timeout),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
