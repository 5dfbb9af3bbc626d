/* mh.c - see mh.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mh.h"

#ifndef SCTPNG_TOPO_SCRIPT
#define SCTPNG_TOPO_SCRIPT "tests/vm/topo.sh"
#endif

static int orig_ns = -1;    /* the namespace the program started in */
static bool topo_up;        /* a topology of ours exists */
static mh_assoc *cur_assoc; /* freed by mh_teardown */
static int64_t t_begin;     /* mh_begin's time, for event timestamps */

int64_t mh_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Inside the VM the topology script is installed as sctpng-topo; on a host
 * with kernel SCTP the one in the source tree is used. */
static const char *topo_cmd(void)
{
    return access("/usr/bin/sctpng-topo", X_OK) == 0 ? "/usr/bin/sctpng-topo"
                                                     : "sh " SCTPNG_TOPO_SCRIPT;
}

void mh_sh(const char *fmt, ...)
{
    char cmd[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    int st = system(cmd);
    if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        fail_msg("command failed (status %d): %s", st, cmd);
}

/* IPv6 installs the routes of addresses on a link that just came up from
 * a work queue, a little later: an INIT sent before that is lost, and the
 * kernel then makes the next path the primary. Wait for every route. */
static void wait_routes(void)
{
    const char *cmd = "for h in 1 2; do for p in 1 2; do"
                      " ip -n h$h route get 10.$p.0.$((3 - h)) &&"
                      " ip -n h$h -6 route get fd0$p::$((3 - h)) || exit 1;"
                      " done; done >/dev/null 2>&1";
    for (int i = 0; i < 100; i++) {
        if (system(cmd) == 0)
            return;
        struct timespec ts = {.tv_nsec = 50 * 1000000};
        nanosleep(&ts, NULL);
    }
    fail_msg("the test network's routes did not appear within 5 s");
}

void mh_begin(void)
{
    if (geteuid() != 0) {
        print_message("# skipped: needs root for network namespaces\n");
        skip();
    }
    int fd = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
    if (fd < 0) {
        print_message("# skipped: no kernel SCTP here (%s); run it with tests/run-suite.sh\n",
                      strerror(errno));
        skip();
    }
    close(fd);
    if (orig_ns < 0)
        orig_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    assert_true(orig_ns >= 0);
    topo_up = true;
    mh_sh("%s up", topo_cmd());
    wait_routes();
    t_begin = mh_now_ms();
}

static void close_end(mh_end *e)
{
    if (!e->s)
        return;
    /* Abort: a graceful close would go on retransmitting over a dead link
     * in a namespace that is about to be removed. */
    sctpng_abort(e->s, 0);
    sctpng_close(e->s);
    e->s = NULL;
}

int mh_teardown(void **state)
{
    (void)state;
    if (cur_assoc) {
        close_end(&cur_assoc->c);
        close_end(&cur_assoc->v);
        free(cur_assoc);
        cur_assoc = NULL;
    }
    if (topo_up) {
        topo_up = false;
        char cmd[256];
        snprintf(cmd, sizeof(cmd), "%s down", topo_cmd());
        if (system(cmd) != 0)
            print_message("# warning: %s failed\n", cmd);
    }
    if (orig_ns >= 0 && setns(orig_ns, CLONE_NEWNET) < 0)
        print_message("# warning: cannot return to the first namespace: %s\n", strerror(errno));
    return 0;
}

void mh_enter(const char *ns)
{
    char path[64];
    snprintf(path, sizeof(path), "/var/run/netns/%s", ns);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        fail_msg("open %s: %s", path, strerror(errno));
    int r = setns(fd, CLONE_NEWNET);
    int err = errno;
    close(fd);
    if (r < 0)
        fail_msg("setns %s: %s", ns, strerror(err));
}

void mh_link(const char *ns, const char *dev, bool up)
{
    mh_enter(ns);
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    assert_true(fd >= 0);
    struct ifreq ifr;
    memset(&ifr, 0, sizeof(ifr));
    snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
    int r = ioctl(fd, SIOCGIFFLAGS, &ifr);
    if (r == 0) {
        ifr.ifr_flags = (short)(up ? ifr.ifr_flags | IFF_UP : ifr.ifr_flags & ~IFF_UP);
        r = ioctl(fd, SIOCSIFFLAGS, &ifr);
    }
    int err = errno;
    close(fd);
    if (r < 0)
        fail_msg("%s: link %s %s: %s", ns, dev, up ? "up" : "down", strerror(err));
}

void mh_async_start(mh_async *x, int n, const char *const *cmds)
{
    int p[2];
    assert_true(n > 0 && n <= 4);
    assert_int_equal(pipe2(p, O_CLOEXEC), 0);
    memset(x, 0, sizeof(*x));
    x->n = n;
    fflush(NULL);
    x->pid = fork();
    assert_true(x->pid >= 0);
    if (x->pid == 0) {
        /* The child only runs the commands and reports each end time;
         * -1 tells that one failed. */
        close(p[0]);
        for (int i = 0; i < n; i++) {
            int st = system(cmds[i]);
            int64_t t = (st == 0) ? mh_now_ms() : -1;
            if (write(p[1], &t, sizeof(t)) != sizeof(t) || t < 0)
                _exit(1);
        }
        _exit(0);
    }
    close(p[1]);
    x->fd = p[0];
    fcntl(x->fd, F_SETFL, O_NONBLOCK);
}

int mh_async_poll(mh_async *x)
{
    while (x->pid > 0 && x->done < x->n) {
        int64_t t;
        ssize_t r = read(x->fd, &t, sizeof(t));
        if (r == 0 || (r > 0 && t < 0))
            fail_msg("background command %d failed", x->done + 1);
        if (r != sizeof(t))
            break; /* nothing yet */
        x->end[x->done++] = t;
    }
    if (x->done == x->n && x->pid > 0) {
        waitpid(x->pid, NULL, 0);
        close(x->fd);
        x->pid = 0;
    }
    return x->done;
}

int mh_sysctl(const char *ns, const char *name, int value)
{
    char path[128], old[32] = "";
    mh_enter(ns);
    snprintf(path, sizeof(path), "/proc/sys/net/sctp/%s", name);
    FILE *f = fopen(path, "r+");
    if (!f)
        fail_msg("open %s in %s: %s", path, ns, strerror(errno));
    if (!fgets(old, sizeof(old), f))
        fail_msg("read %s", path);
    rewind(f);
    if (value >= 0)
        fprintf(f, "%d\n", value);
    if (fclose(f) != 0)
        fail_msg("write %s = %d in %s: %s", path, value, ns, strerror(errno));
    return atoi(old);
}

sctpng_addr mh_addr(int family, int path, int host, uint16_t port)
{
    char text[64];
    if (family == AF_INET)
        snprintf(text, sizeof(text), "10.%d.0.%d", path, host);
    else
        snprintf(text, sizeof(text), "fd0%d::%d", path, host);
    sctpng_addr a;
    T_OK(sctpng_addr_parse(&a, text, port));
    return a;
}

int mh_path_of(const sctpng_addr *a)
{
    int p = 0;
    if (a->sa.sa_family == AF_INET)
        p = ((const uint8_t *)&a->v4.sin_addr)[1];
    else if (a->sa.sa_family == AF_INET6 && a->v6.sin6_addr.s6_addr[0] == 0xfd)
        p = a->v6.sin6_addr.s6_addr[1];
    return (p == 1 || p == 2) ? p : 0;
}

const char *mh_fmt(const sctpng_addr *a, int slot)
{
    static char buf[4][SCTPNG_ADDRSTRLEN];
    char *b = buf[slot & 3];
    if (sctpng_addr_format(a, b, SCTPNG_ADDRSTRLEN) < 0)
        snprintf(b, SCTPNG_ADDRSTRLEN, "(family %d)", a->sa.sa_family);
    return b;
}

bool mh_has_addr(const sctpng_addr *list, int n, const sctpng_addr *a)
{
    for (int i = 0; i < n; i++)
        if (sctpng_addr_equal(&list[i], a))
            return true;
    return false;
}

/* ---------------------------------------------------------------- */
/* Association set-up                                                  */

static void apply_tune(sctpng_socket *s, const mh_tune *t)
{
    if (!t)
        return;
    if (t->rto.initial || t->rto.min || t->rto.max)
        T_OK(sctpng_set_rtoinfo(s, 0, &t->rto));
    if (t->set_path)
        T_OK(sctpng_set_pathparams(s, 0, &t->path));
    if (t->expose_pf) {
        int on = 0;
        T_OK(sctpng_setopt(s, SCTPNG_OPT_EXPOSE_PF, 1));
        T_OK(sctpng_getopt(s, SCTPNG_OPT_EXPOSE_PF, &on));
        assert_int_equal(on, 1);
    }
    if (t->sack_delay_ms)
        T_OK(sctpng_setopt(s, SCTPNG_OPT_DELAYED_ACK_MS, t->sack_delay_ms));
    bool udp = sctpng_backend(s) == SCTPNG_BACKEND_UDP;
    if (udp && t->udp_port)
        T_OK(sctpng_setopt(s, SCTPNG_OPT_UDP_PORT, t->udp_port));
    if (t->asconf && (udp || !t->asconf_udp_only)) {
        T_OK(sctpng_setopt(s, SCTPNG_OPT_AUTH_SUPPORTED, 1));
        T_OK(sctpng_setopt(s, SCTPNG_OPT_ASCONF_SUPPORTED, 1));
    }
}

/* `host` 0: the client, 1: the server. */
static sctpng_socket *open_end(int family, const mh_tune *t, int host)
{
    sctpng_socket_opts o;
    sctpng_socket_opts_init(&o);
    o.family = family;
    if (t)
        o.backend = t->backend[host];
    o.style = SCTPNG_ONE_TO_ONE;
    o.events = SCTPNG_EVMASK(SCTPNG_EV_ASSOC_CHANGE) | SCTPNG_EVMASK(SCTPNG_EV_PEER_ADDR_CHANGE);
    sctpng_socket *s = NULL;
    T_OK(sctpng_socket_open(&s, &o));
    apply_tune(s, t);
    return s;
}

/* Bind `s` to both addresses of host `h` (ephemeral port) and store them,
 * with the port the kernel chose, in out[0..1]. */
static void bind_both(sctpng_socket *s, int family, int h, sctpng_addr out[2])
{
    out[0] = mh_addr(family, 1, h, 0);
    out[1] = mh_addr(family, 2, h, 0);
    T_OK(sctpng_bind(s, out, 2));
    sctpng_addr bound[4];
    assert_int_equal(T_OK(sctpng_get_local_addrs(s, 0, bound, 4)), 2);
    uint16_t port = htons(sctpng_addr_port(&bound[0]));
    out[0].v4.sin_port = port; /* same offset for IPv6 */
    out[1].v4.sin_port = port;
}

mh_assoc *mh_connect(int family, const mh_tune *tune)
{
    mh_assoc *a = calloc(1, sizeof(*a));
    assert_non_null(a);
    cur_assoc = a;
    a->family = family;
    a->c.name = "h1";
    a->v.name = "h2";

    mh_enter("h2");
    sctpng_socket *l = open_end(family, tune, 1);
    bind_both(l, family, 2, a->vaddr);
    T_OK(sctpng_listen(l, 4));

    mh_enter("h1");
    a->c.s = open_end(family, tune, 0);
    bind_both(a->c.s, family, 1, a->caddr);
    /* A blocking call on one backend does not move the other's sockets:
     * a kernel client's handshake with a UDP-backend server goes on while
     * the server's accept runs the engine. */
    bool kernel_to_udp =
        sctpng_backend(a->c.s) == SCTPNG_BACKEND_KERNEL && sctpng_backend(l) == SCTPNG_BACKEND_UDP;
    if (kernel_to_udp)
        assert_int_equal(sctpng_connect(a->c.s, a->vaddr, 2, NULL, 0), -EINPROGRESS);
    else
        T_OK(sctpng_connect(a->c.s, a->vaddr, 2, NULL, T_TIMEOUT_MS));
    int err = sctpng_accept(l, &a->v.s, NULL, T_TIMEOUT_MS);
    sctpng_close(l);
    T_OK(err);
    for (int64_t end = mh_now_ms() + T_TIMEOUT_MS; kernel_to_udp;) {
        err = sctpng_connect_result(a->c.s);
        if (err != -EINPROGRESS)
            break;
        if (mh_now_ms() > end)
            fail_msg("h1's connect did not complete");
        struct pollfd p = {.fd = sctpng_fd(a->c.s), .events = POLLOUT};
        poll(&p, 1, 10);
    }
    T_OK(err);

    /* Path 1 must be the primary on both ends: the kernel moves it when an
     * INIT had to be sent again (see wait_routes). */
    sctpng_status st;
    T_OK(sctpng_get_status(a->c.s, 0, &st));
    if (!sctpng_addr_equal(&st.primary.addr, &a->vaddr[0]))
        fail_msg("h1's primary is %s, not path 1", mh_fmt(&st.primary.addr, 0));
    mh_wait_active(a, &a->c, a->vaddr, 2, 15000);
    mh_wait_active(a, &a->v, a->caddr, 2, 15000);
    return a;
}

/* ---------------------------------------------------------------- */
/* Receiving and events                                                */

static const char *paddr_state_name(int s)
{
    static const char *const names[] = {"AVAILABLE", "UNREACHABLE", "REMOVED",           "ADDED",
                                        "MADE_PRIM", "CONFIRMED",   "POTENTIALLY_FAILED"};
    return (s >= 0 && s < 7) ? names[s] : "?";
}

static void log_event(mh_end *e, const sctpng_event *ev)
{
    mh_ev x = {.kind = ev->kind, .t_ms = mh_now_ms()};
    if (ev->kind == SCTPNG_EV_PEER_ADDR_CHANGE) {
        x.state = ev->u.peer_addr.state;
        x.addr = ev->u.peer_addr.addr;
        print_message("# %7.3f s %s: PEER_ADDR_CHANGE %s %s\n", (x.t_ms - t_begin) / 1000.0,
                      e->name, mh_fmt(&x.addr, 0), paddr_state_name(x.state));
    } else {
        x.state = ev->kind == SCTPNG_EV_ASSOC_CHANGE ? ev->u.assoc_change.state : -1;
        print_message("# %7.3f s %s: %s state %d\n", (x.t_ms - t_begin) / 1000.0, e->name,
                      sctpng_event_name(ev->kind), x.state);
    }
    if (e->nev < MH_MAX_EVENTS)
        e->ev[e->nev++] = x;
    if (ev->kind == SCTPNG_EV_ASSOC_CHANGE && ev->u.assoc_change.state == SCTPNG_COMM_LOST)
        fail_msg("%s: the association was lost", e->name);
}

/* Read everything `e` has now. */
static void drain(mh_end *e, mh_data_fn fn, void *ctx)
{
    for (;;) {
        sctpng_rcvinfo ri;
        ssize_t n = sctpng_recv(e->s, e->buf + e->have, sizeof(e->buf) - e->have, &ri, 0);
        if (n == -EAGAIN)
            return;
        T_OK(n);
        if (ri.flags & SCTPNG_RCV_EVENT) {
            log_event(e, &ri.event);
            continue;
        }
        if (n == 0 && !(ri.flags & SCTPNG_RCV_COMPLETE))
            fail_msg("%s: the peer shut the association down", e->name);
        e->have += (size_t)n;
        if (!(ri.flags & SCTPNG_RCV_COMPLETE)) {
            assert_true(e->have < sizeof(e->buf));
            continue;
        }
        if (!fn)
            fail_msg("%s: unexpected message of %zu bytes", e->name, e->have);
        size_t len = e->have;
        e->have = 0;
        fn(ctx, e, e->buf, len, &ri);
    }
}

void mh_poll(mh_assoc *a, int ms, mh_data_fn fn, void *ctx)
{
    struct pollfd p[2] = {{.fd = sctpng_fd(a->c.s), .events = POLLIN},
                          {.fd = sctpng_fd(a->v.s), .events = POLLIN}};
    if (poll(p, 2, ms) < 0 && errno != EINTR)
        fail_msg("poll: %s", strerror(errno));
    drain(&a->c, fn, ctx);
    drain(&a->v, fn, ctx);
}

int mh_find_event(const mh_end *e, size_t from, int kind, int state, const sctpng_addr *addr)
{
    for (size_t i = from; i < e->nev; i++) {
        const mh_ev *x = &e->ev[i];
        if (x->kind == kind && (state < 0 || x->state == state) &&
            (!addr || sctpng_addr_equal(&x->addr, addr)))
            return (int)i;
    }
    return -1;
}

int mh_wait_event(mh_assoc *a, mh_end *e, size_t from, int kind, int state, const sctpng_addr *addr,
                  int ms, mh_data_fn fn, void *ctx)
{
    int64_t end = mh_now_ms() + ms;
    for (;;) {
        int i = mh_find_event(e, from, kind, state, addr);
        if (i >= 0)
            return i;
        if (mh_now_ms() > end)
            fail_msg("%s: no %s %s%s%s within %d ms", e->name, sctpng_event_name(kind),
                     kind == SCTPNG_EV_PEER_ADDR_CHANGE ? paddr_state_name(state) : "",
                     addr ? " for " : "", addr ? mh_fmt(addr, 0) : "", ms);
        mh_poll(a, 10, fn, ctx);
    }
}

int mh_path_state(mh_end *e, const sctpng_addr *peer)
{
    sctpng_pathinfo pi;
    T_OK(sctpng_get_pathinfo(e->s, 0, peer, &pi));
    return pi.state;
}

void mh_wait_active(mh_assoc *a, mh_end *e, const sctpng_addr *peer, size_t n, int ms)
{
    int64_t start = mh_now_ms(), asked = 0;
    for (;;) {
        size_t active = 0;
        bool ask = mh_now_ms() - asked > 1000;
        for (size_t i = 0; i < n; i++) {
            int st = mh_path_state(e, &peer[i]);
            active += st == SCTPNG_PATH_ACTIVE;
            /* An address learnt from INIT is unconfirmed until a heartbeat
             * comes back; the kernel waits about one RTO to send it. */
            if (st == SCTPNG_PATH_UNCONFIRMED && ask) {
                sctpng_pathparams pp;
                sctpng_pathparams_init(&pp);
                pp.addr = peer[i];
                pp.flags = SCTPNG_HB_NOW;
                T_OK(sctpng_set_pathparams(e->s, 0, &pp));
                asked = mh_now_ms();
            }
        }
        if (active == n)
            return;
        if (mh_now_ms() - start > ms)
            fail_msg("%s: %zu of %zu paths active after %d ms", e->name, active, n, ms);
        mh_poll(a, 20, NULL, NULL);
    }
}

/* ---------------------------------------------------------------- */
/* The numbered stream                                                 */

void mh_stream_init(mh_stream *st)
{
    memset(st, 0, sizeof(*st));
    st->interval_ms = 5;
    st->minlen = 64;
    st->maxlen = 512;
    st->gap_ms = 150;
}

void mh_stream_mark(mh_stream *st)
{
    st->mark = mh_now_ms();
    st->nstall = 0;
    memset(st->first_after, 0, sizeof(st->first_after));
    memset(st->prev_of_first, 0, sizeof(st->prev_of_first));
}

static size_t msg_len(const mh_stream *st, uint32_t seq)
{
    return st->minlen + (size_t)(seq * 7919u) % (st->maxlen - st->minlen + 1);
}

#define MH_MAX_MSG 16384

static void send_due(mh_assoc *a, mh_stream *st)
{
    static uint8_t msg[MH_MAX_MSG];
    int64_t now = mh_now_ms();
    assert_true(st->maxlen <= MH_MAX_MSG && st->minlen >= 4 && st->minlen <= st->maxlen);
    for (int burst = 0; burst < 64; burst++) {
        if ((st->limit && st->sent >= st->limit) || now < st->next_due)
            return;
        size_t len = msg_len(st, st->sent);
        uint32_t be = htonl(st->sent);
        memcpy(msg, &be, 4);
        t_pattern(msg + 4, len - 4, st->sent);
        ssize_t r = sctpng_send(st->reverse ? a->v.s : a->c.s, msg, len, NULL, 0);
        if (r == -EAGAIN) {
            st->eagain++;
            return;
        }
        T_OK(r);
        st->sent++;
        /* Keep the pace, without a burst to catch up after a stall. */
        st->next_due =
            st->next_due + st->interval_ms < now - 50 ? now : st->next_due + st->interval_ms;
    }
}

void mh_stream_rx(void *ctx, mh_end *e, const void *buf, size_t len, const sctpng_rcvinfo *ri)
{
    mh_stream *st = ctx;
    const char *rx = st->reverse ? "h1" : "h2";
    if (strcmp(e->name, rx) != 0)
        fail_msg("%s got a stream message; only %s should", e->name, rx);
    assert_true(len >= 4);
    uint32_t be;
    memcpy(&be, buf, 4);
    uint32_t seq = ntohl(be);
    if (seq != st->recvd)
        fail_msg("message %u arrived when %u was expected (lost, duplicated or reordered)", seq,
                 st->recvd);
    if (len != msg_len(st, seq) || !t_check_pattern((const uint8_t *)buf + 4, len - 4, seq))
        fail_msg("message %u: %zu bytes, damaged", seq, len);
    int path = mh_path_of(&ri->from);
    st->per_path[path]++;
    st->last_path = path;
    int64_t now = mh_now_ms();
    if (st->mark && !st->first_after[path]) {
        st->first_after[path] = now;
        st->prev_of_first[path] = st->last_rx;
    }
    if (st->mark && st->last_rx && now - st->last_rx > st->gap_ms && st->nstall < 16)
        st->stall_end[st->nstall++] = now;
    st->last_rx = now;
    st->recvd++;
}

void mh_stream_step(mh_assoc *a, mh_stream *st, int ms)
{
    send_due(a, st);
    mh_poll(a, ms, mh_stream_rx, st);
}

void mh_stream_finish(mh_assoc *a, mh_stream *st, int ms)
{
    int64_t end = mh_now_ms() + ms;
    if (!st->limit)
        st->limit = st->sent;
    while (st->recvd < st->limit) {
        if (mh_now_ms() > end)
            fail_msg("only %u of %u messages arrived within %d ms", st->recvd, st->sent, ms);
        mh_stream_step(a, st, 10);
    }
}
