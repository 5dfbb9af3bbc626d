/* client.c - sctpperf -c: connect the associations, ask the server for
 * the test, run it, and report what both sides counted. Each association
 * is its own one-to-one socket; the server takes them all on one
 * one-to-many socket. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "ending.h"
#include "loop.h"
#include "report.h"
#include "resolve.h"
#include "stats.h"

/* How long after the planned end the client waits for the server. */
#define GRACE_NS (30 * NS_PER_S)
/* How long the server may take to accept the test (READY) once every
 * association is up. */
#define READY_NS (10 * NS_PER_S)

struct client {
    const struct perf_config *c;
    sctpng_addr peer;
    char peer_text[SCTPNG_ADDRSTRLEN];
    struct loop loop;
    struct totals tot;
    struct stats st;
    struct session sess[PERF_MAX_ASSOCS];
    size_t n;
    bool started, final_tick;
    uint64_t t_start, t_stop;
    uint64_t ready_by; /* READY must have come on every association */
    int interrupted;   /* the signal that cut the test short */
    const char *backend;
    int udp_port; /* the server's, on the UDP backend */
    int fail_err;
    char fail_why[256];
    char link[300]; /* what the link options gave (first association) */
    struct astats astats[PERF_MAX_ASSOCS];
};

/* Remember the first failure; report() prints it. */
__attribute__((format(printf, 3, 4))) static void client_fail(struct client *cl, int err,
                                                              const char *fmt, ...)
{
    if (cl->fail_why[0])
        return;
    cl->fail_err = err ? err : -EPROTO;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cl->fail_why, sizeof(cl->fail_why), fmt, ap);
    va_end(ap);
}

static int apply_opts(sctpng_socket *s, const struct perf_params *p)
{
    int err = 0;
    if (p->nodelay)
        err = sctpng_setopt(s, SCTPNG_OPT_NODELAY, 1);
    if (!err && p->sndbuf)
        err = sctpng_setopt(s, SCTPNG_OPT_SNDBUF, (int)p->sndbuf);
    if (!err && p->rcvbuf)
        err = sctpng_setopt(s, SCTPNG_OPT_RCVBUF, (int)p->rcvbuf);
    if (p->pr_ttl_ms)
        sctpng_setopt(s, SCTPNG_OPT_PR_SUPPORTED, 1); /* usually on already */
    return err;
}

/* Does one of our connected sockets already have this SCTP port? */
static bool port_taken(const struct client *cl, uint16_t port)
{
    for (size_t i = 0; i < cl->loop.nsock; i++) {
        sctpng_addr a;
        if (sctpng_get_local_addrs(cl->loop.sock[i], 0, &a, 1) >= 1 && sctpng_addr_port(&a) == port)
            return true;
    }
    return false;
}

/* Bind to -B's addresses, with a port the stack picks. On the UDP
 * backend every socket is bound (to the wildcard without -B): there an
 * unbound socket's SCTP port is a random one that nothing keeps unique,
 * and a server tells associations apart by address and SCTP port only,
 * so two of our sockets with one port would look like one peer (the
 * second INIT taken as a restart of the first association). Returns 0,
 * 1 when the port is one of ours already (open another socket), -1. */
static int bind_local(struct client *cl, sctpng_socket *s)
{
    const struct perf_config *c = cl->c;
    sctpng_addr a[PERF_MAX_BINDS];
    size_t n = c->nbinds;
    char err[160];
    bool udp = sctpng_backend(s) == SCTPNG_BACKEND_UDP;
    if (!n && !udp)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (resolve_addr(&a[i], c->binds[i], 0, cl->peer.sa.sa_family, err, sizeof(err)) < 0) {
            client_fail(cl, 0, "bind %s", err);
            return -1;
        }
    }
    if (!n)
        a[n++] = any_addr(cl->peer.sa.sa_family, 0);
    int r = sctpng_bind(s, a, n);
    if (r < 0) {
        client_fail(cl, r, "bind %s: %s", c->nbinds ? c->binds[0] : "(any)", sctpng_strerror(r));
        return -1;
    }
    sctpng_addr got;
    if (udp && sctpng_get_local_addrs(s, 0, &got, 1) >= 1 && port_taken(cl, sctpng_addr_port(&got)))
        return 1;
    return 0;
}

/* Connect without blocking, so that SIGINT/SIGTERM are seen at once.
 * Returns 0 or a negative code (-EINTR: a signal came). */
static int connect_wait(struct client *cl, sctpng_socket *s)
{
    int ms = cl->c->connect_timeout_ms;
    uint64_t deadline = ms < 0 ? UINT64_MAX : now_ns() + (uint64_t)ms * NS_PER_MS;
    int r = sctpng_connect(s, &cl->peer, 1, NULL, 0);
    while (r == -EINPROGRESS) {
        if (perf_signal)
            return -EINTR;
        uint64_t now = now_ns();
        if (now >= deadline)
            return -ETIMEDOUT;
        int ev = sctpng_poll_events(s);
        struct pollfd pfd = {.fd = sctpng_fd(s), .events = (short)(ev > 0 ? ev : POLLOUT)};
        poll(&pfd, 1, ms_until(deadline, now, 100));
        r = sctpng_connect_result(s);
    }
    return r;
}

/* The backend line, once, when the first socket exists. */
static void note_backend(struct client *cl, sctpng_socket *s)
{
    if (cl->backend)
        return;
    cl->backend = perf_backend_of(s, 1, &cl->udp_port);
    if (!cl->c->json)
        perf_print_backend(stdout, s, 1);
}

/* Open one socket, bound and set up for connect_wait(). */
static sctpng_socket *open_one(struct client *cl)
{
    const struct perf_config *c = cl->c;
    sctpng_socket_opts o;
    sctpng_socket_opts_init(&o);
    o.family = cl->peer.sa.sa_family;
    uint32_t want =
        c->p.streams > link_streams_needed(&c->link) ? c->p.streams : link_streams_needed(&c->link);
    o.ostreams = (uint16_t)(want > 10 ? want : 10);
    o.events = SCTPNG_EVMASK(SCTPNG_EV_ASSOC_CHANGE);
    for (int attempt = 0; attempt < 32; attempt++) {
        sctpng_socket *s = NULL;
        int r = sctpng_socket_open(&s, &o);
        if (r < 0) {
            client_fail(cl, r, "socket: %s%s", sctpng_strerror(r), no_sctp_hint(r));
            return NULL;
        }
        if (c->udp_remote_port && sctpng_backend(s) == SCTPNG_BACKEND_UDP)
            sctpng_setopt(s, SCTPNG_OPT_UDP_REMOTE_PORT, c->udp_remote_port);
        note_backend(cl, s);
        perf_limit_rto(s);
        int b = bind_local(cl, s);
        char why[300];
        if (b == 0 && (r = apply_opts(s, &c->p)) < 0)
            client_fail(cl, r, "socket options: %s", sctpng_strerror(r));
        else if (b == 0 && (r = link_apply_socket(&c->link, s, why, sizeof(why))) < 0)
            client_fail(cl, 0, "%s", why);
        if (b == 0 && r >= 0)
            return s;
        sctpng_close(s);
        if (b < 0 || r < 0)
            return NULL;
    }
    client_fail(cl, -EADDRINUSE, "no free SCTP port for another association");
    return NULL;
}

/* Open and connect one association. */
static sctpng_socket *connect_one(struct client *cl)
{
    sctpng_socket *s = open_one(cl);
    if (!s)
        return NULL;
    int r = connect_wait(cl, s);
    if (r == -EINTR) {
        cl->interrupted = perf_signal;
        client_fail(cl, r, "interrupted by %s while connecting to %s",
                    perf_signal_name(perf_signal), cl->peer_text);
    } else if (r < 0) {
        client_fail(cl, r, "connect %s: %s", cl->peer_text, sctpng_strerror(r));
    }
    if (r < 0) {
        sctpng_abort(s, 0);
        sctpng_close(s);
        return NULL;
    }
    return s;
}

/* The server may grant fewer outbound streams than asked for. */
static int check_streams(struct client *cl, sctpng_socket *s)
{
    sctpng_status st;
    if (sctpng_get_status(s, 0, &st) < 0)
        return 0;
    uint32_t want = cl->c->p.streams;
    uint32_t got = cl->c->p.dir == PERF_DOWN ? st.istreams : st.ostreams;
    if (cl->c->p.dir == PERF_BIDIR && st.istreams < got)
        got = st.istreams;
    if (got >= want)
        return 0;
    client_fail(cl, 0, "the association has %u streams, %u asked for", got, want);
    return -1;
}

static struct session *cl_find(struct loop *l, size_t si, const sctpng_recv_msg *m, uint64_t now)
{
    struct client *cl = l->ctx;
    return si < cl->n ? &cl->sess[si] : NULL;
}

/* Fail session `s` because its association is gone, with the reason. */
static void lost(struct session *s, const char *cause)
{
    char why[sizeof(s->why)];
    snprintf(why, sizeof(why), "the association was lost: %s", cause);
    sess_fail(s, 0, why);
}

static void cl_closed(struct loop *l, size_t si, int err)
{
    struct client *cl = l->ctx;
    struct session *s = &cl->sess[si];
    char cause[128];
    /* A one-off server closes as soon as both DONEs crossed; its SHUTDOWN
     * can be read in the same round as its DONE, before the session's
     * next pump marks it finished. That is a normal end. */
    if (s->phase == PH_RUN && s->done_sent && s->done_got)
        s->phase = PH_FINISHED;
    if (s->phase == PH_FINISHED)
        return;
    if (s->phase == PH_FAILED && perf_err_is_loss(s->error))
        s->phase = PH_RUN; /* a failed send: this tells more */
    if (err == 0 || perf_err_is_loss(err))
        lost(s, perf_lost_errno(err, "server", cause, sizeof(cause)));
    else
        sess_fail(s, err, "receive");
}

/* COMM_LOST tells more than the error a call returns afterwards. */
static void cl_event(struct loop *l, size_t si, const sctpng_event *ev, uint64_t now)
{
    struct client *cl = l->ctx;
    struct session *s = &cl->sess[si];
    int st = ev->u.assoc_change.state;
    char cause[160];
    if (ev->kind != SCTPNG_EV_ASSOC_CHANGE ||
        (st != SCTPNG_COMM_LOST && st != SCTPNG_CANT_STR_ASSOC))
        return;
    if (s->phase == PH_RUN && s->done_sent && s->done_got)
        s->phase = PH_FINISHED;
    if (s->phase == PH_FINISHED)
        return;
    /* A send may have failed first: the event's reason replaces its. */
    if (s->phase == PH_FAILED && perf_err_is_loss(s->error))
        s->phase = PH_RUN;
    lost(s, perf_lost_cause(ev, "server", cause, sizeof(cause)));
}

/* SIGINT/SIGTERM: abort every association (the server learns at once)
 * and stop; report() prints what was measured so far. */
static void interrupt(struct client *cl, uint64_t now)
{
    cl->interrupted = perf_signal;
    for (size_t i = 0; i < cl->loop.nsock; i++)
        if (!cl->loop.sock_dead[i])
            sctpng_abort(cl->loop.sock[i], 0);
    if (cl->started && cl->loop.interval_ns && now > cl->st.last_t + NS_PER_MS)
        stats_tick(&cl->st, now);
    client_fail(cl, -EINTR, "interrupted by %s after %.2f s: the test was cut short",
                perf_signal_name(cl->interrupted),
                cl->started ? (double)(now - cl->t_start) / 1e9 : 0.0);
}

static void start_all(struct client *cl, uint64_t now)
{
    cl->started = true;
    cl->t_start = now;
    cl->t_stop = now + (uint64_t)cl->c->p.duration_ms * NS_PER_MS;
    for (size_t i = 0; i < cl->n; i++)
        sess_start(&cl->sess[i], now);
    stats_roles(&cl->st, &cl->sess[0]);
    stats_start(&cl->st, now);
    cl->loop.next_tick = now + cl->loop.interval_ns;
}

/* Stop on the first failure, or when every session has finished. */
static bool cl_after(struct loop *l, uint64_t now)
{
    struct client *cl = l->ctx;
    size_t ready = 0, finished = 0;
    if (perf_signal) {
        interrupt(cl, now);
        return true;
    }
    for (size_t i = 0; i < cl->n; i++) {
        struct session *s = &cl->sess[i];
        /* A send that found the association gone: its event tells why. */
        if (s->phase == PH_FAILED && perf_err_is_loss(s->error))
            loop_drain(l, i);
        if (s->phase == PH_FAILED) {
            if (s->error)
                client_fail(cl, s->error, "%s: %s", s->why, sctpng_strerror(s->error));
            else
                client_fail(cl, 0, "%s", s->why);
            return true;
        }
        ready += s->phase == PH_READY;
        finished += s->phase == PH_FINISHED;
    }
    if (!cl->started && ready == cl->n)
        start_all(cl, now);
    if (cl->started && !cl->final_tick && now >= cl->t_stop) {
        /* The last, partial interval ends with the sending time. */
        if (l->interval_ns && now > cl->st.last_t + NS_PER_MS)
            stats_tick(&cl->st, now);
        cl->final_tick = true;
        l->interval_ns = 0;
    }
    if (finished == cl->n)
        return true;
    if (!cl->started && now > cl->ready_by) {
        client_fail(cl, 0, "the server did not accept the test within %d s (%zu of %zu READY)",
                    (int)(READY_NS / NS_PER_S), ready, cl->n);
        return true;
    }
    uint64_t limit = cl->started ? cl->t_stop + GRACE_NS : UINT64_MAX;
    if (now > limit) {
        client_fail(cl, 0, "the server did not finish the test in time");
        return true;
    }
    return false;
}

static void cl_tick(struct loop *l, uint64_t now)
{
    struct client *cl = l->ctx;
    if (cl->started)
        stats_tick(&cl->st, now);
}

static void add_dir(struct dir_result *d, const struct proto_counts *c)
{
    d->valid = true;
    d->msgs += c->msgs;
    d->bytes += c->bytes;
    double s = (double)c->ns / 1e9;
    if (s > d->seconds)
        d->seconds = s;
}

/* This side's own counts; a test cut short has no END/DONE times yet. */
static struct proto_counts own_tx(const struct session *s, uint64_t now)
{
    struct proto_counts c = s->tx;
    if (!c.ns && s->t_start)
        c.ns = (s->t_tx_end ? s->t_tx_end : now) - s->t_start;
    return c;
}

static struct proto_counts own_rx(const struct session *s)
{
    struct proto_counts c = s->rx;
    if (!c.ns && s->t_rx_last > s->t_start)
        c.ns = s->t_rx_last - s->t_start;
    return c;
}

/* Sum the sessions; the server's counts only where its DONE came (all of
 * them after a complete test, maybe none after SIGINT). */
static void collect(struct client *cl, struct perf_result *r)
{
    uint32_t dir = cl->c->p.mode == PERF_LATENCY ? PERF_UP : cl->c->p.dir;
    uint64_t now = now_ns();
    for (size_t i = 0; i < cl->n; i++) {
        const struct session *s = &cl->sess[i];
        const struct proto_counts *peer_tx = &s->peer_done.tx, *peer_rx = &s->peer_done.rx;
        struct proto_counts tx = own_tx(s, now), rx = own_rx(s);
        bool peer = s->done_got;
        if (cl->c->p.mode == PERF_LATENCY) {
            add_dir(&r->sent, &tx);
            add_dir(&r->received, &rx);
        } else if (dir == PERF_DOWN) {
            if (peer)
                add_dir(&r->sent, peer_tx);
            add_dir(&r->received, &rx);
        } else {
            add_dir(&r->sent, &tx);
            if (peer)
                add_dir(&r->received, peer_rx);
            if (dir == PERF_BIDIR) {
                if (peer)
                    add_dir(&r->sent_rev, peer_tx);
                add_dir(&r->received_rev, &rx);
            }
        }
    }
    r->lat = &cl->tot.lat;
    r->elapsed = cl->started ? (double)(now - cl->t_start) / 1e9 : 0;
}

static void print_banner(const struct client *cl)
{
    const struct perf_params *p = &cl->c->p;
    printf("sctpperf %s: %u association%s to %s, %s, %s, %u-byte messages, %u stream%s%s, %.1f s\n",
           PERF_VERSION, cl->c->assocs, cl->c->assocs == 1 ? "" : "s", cl->peer_text,
           perf_mode_name(p->mode), perf_dir_name(p->dir), p->length, p->streams,
           p->streams == 1 ? "" : "s", p->unordered ? " unordered" : "", p->duration_ms / 1000.0);
    fflush(stdout);
}

/* The link options on a new association; the first one says what was
 * agreed (on stderr when something asked for is not in use). */
static int link_up(struct client *cl, sctpng_socket *s, size_t i)
{
    char why[300];
    bool warn;
    if (link_apply_assoc(&cl->c->link, s, 0, why, sizeof(why)) < 0) {
        client_fail(cl, 0, "%s", why);
        return -1;
    }
    const struct link_opts *o = &cl->c->link;
    if (i || (o->sched < 0 && !o->intl && !o->auth))
        return 0;
    link_describe(o, s, 0, &warn, cl->link, sizeof(cl->link));
    if (warn)
        perf_err("%s", cl->link);
    else if (!cl->c->json)
        printf("sctpperf: %s\n", cl->link);
    return 0;
}

static int connect_all(struct client *cl)
{
    struct proto_msg hello = {.type = MSG_HELLO, .p = cl->c->p};
    for (size_t i = 0; i < cl->c->assocs; i++) {
        sctpng_socket *s = connect_one(cl);
        if (!s || check_streams(cl, s) < 0 || link_up(cl, s, i) < 0) {
            sctpng_close(s);
            return -1;
        }
        size_t si = loop_add_socket(&cl->loop, s);
        if (sess_init(&cl->sess[si], s, 0, true, &cl->c->p, &cl->tot) < 0) {
            client_fail(cl, -ENOMEM, "out of memory");
            return -1;
        }
        cl->n = si + 1;
        loop_add_session(&cl->loop, &cl->sess[si]);
        sess_ctrl(&cl->sess[si], &hello);
    }
    return 0;
}

static void finish(struct client *cl)
{
    for (size_t i = 0; i < cl->n; i++)
        sess_free(&cl->sess[i]);
    for (size_t i = 0; i < cl->loop.nsock; i++)
        sctpng_close(cl->loop.sock[i]);
    loop_free(&cl->loop);
    stats_free(&cl->st);
}

static int report(struct client *cl, int rc)
{
    const struct perf_config *c = cl->c;
    struct perf_result r;
    memset(&r, 0, sizeof(r));
    r.host = c->host;
    r.port = c->port;
    r.backend = cl->backend;
    r.udp_port = cl->udp_port;
    r.link = cl->link[0] ? cl->link : NULL;
    if (c->link.stats) { /* the associations are still up: closed in finish() */
        for (size_t i = 0; i < cl->n; i++)
            astats_read(cl->loop.sock[i], 0, &cl->astats[i]);
        r.astats = cl->astats;
        r.nastats = cl->n;
    }
    /* After SIGINT/SIGTERM, as iperf3 does: what was measured so far. */
    if (rc == 0 || (cl->interrupted && cl->started))
        collect(cl, &r);
    if (c->json)
        report_json(stdout, c, &cl->st, &r, rc ? cl->fail_why : NULL);
    else if (rc == 0 || (cl->interrupted && cl->started))
        report_text(stdout, c, &r);
    if (rc)
        perf_err("%s", cl->fail_why[0] ? cl->fail_why : "test failed");
    return rc;
}

int perf_client(const struct perf_config *c)
{
    static const struct loop_hooks hooks = {.find = cl_find,
                                            .event = cl_event,
                                            .closed = cl_closed,
                                            .after = cl_after,
                                            .tick = cl_tick};
    struct client *cl = calloc(1, sizeof(*cl));
    char err[200];
    if (!cl) {
        perf_err("out of memory");
        return 1;
    }
    cl->c = c;
    hist_reset(&cl->tot.lat);
    stats_init(&cl->st, &cl->tot, c->json ? NULL : stdout, "SUM");
    if (resolve_addr(&cl->peer, c->host, c->port, c->family, err, sizeof(err)) < 0)
        client_fail(cl, 0, "%s", err);
    else if (loop_init(&cl->loop, c->p.batch, &hooks, cl) < 0)
        client_fail(cl, -ENOMEM, "out of memory");
    if (!cl->fail_why[0]) {
        addr_str(&cl->peer, cl->peer_text, sizeof(cl->peer_text));
        cl->loop.interval_ns = (uint64_t)(c->interval * 1e9);
        loop_busy_poll(&cl->loop, c->link.busy_poll);
        if (connect_all(cl) == 0) {
            cl->ready_by = now_ns() + READY_NS;
            if (!c->json)
                print_banner(cl);
            int lr = loop_run(&cl->loop);
            if (lr < 0)
                client_fail(cl, lr, "poll: %s", sctpng_strerror(lr));
        }
    }
    int rc = report(cl, cl->fail_why[0] ? 1 : 0);
    finish(cl);
    free(cl);
    return rc;
}
