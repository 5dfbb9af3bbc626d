/* server.c - see server.h. */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "ending.h"
#include "loop.h"
#include "proto.h"
#include "resolve.h"
#include "assocstats.h"
#include "server.h"
#include "stats.h"
#include "units.h"

/* After server_stop(), tests still running get this long to finish. */
#define STOP_GRACE_NS (5 * NS_PER_S)

struct server {
    const struct perf_config *c;
    bool quiet;
    sctpng_socket *sock;
    uint16_t port;
    struct loop loop;
    struct totals tot;
    struct stats st;
    bool served; /* at least one test has started */
    atomic_int stop;
    uint64_t stop_at;
    int rc;
};

static FILE *out(const struct server *sv)
{
    return sv->quiet ? NULL : stdout;
}

static struct session *find_assoc(struct server *sv, sctpng_assoc_t id)
{
    for (size_t i = 0; i < sv->loop.nsess; i++)
        if (sv->loop.sess[i]->assoc == id)
            return sv->loop.sess[i];
    return NULL;
}

/* Why a client's parameters cannot be served ("" when they can). */
static const char *check_params(const struct perf_params *p)
{
    if (p->mode > PERF_LATENCY || p->dir > PERF_BIDIR)
        return "unknown mode or direction";
    if (p->length == 0 || p->length > PERF_MAX_LENGTH)
        return "message length out of range";
    if (p->streams == 0 || p->streams > PERF_MAX_STREAMS)
        return "stream count out of range";
    if (p->batch == 0 || p->batch > PERF_MAX_BATCH)
        return "batch size out of range";
    if (p->ppid == PROTO_PPID)
        return "the data PPID is the control PPID";
    return "";
}

/* Socket-wide settings a client asked for (they apply to every
 * association on the one-to-many socket). */
static void apply_params(struct server *sv, const struct perf_params *p)
{
    if (p->nodelay)
        sctpng_setopt(sv->sock, SCTPNG_OPT_NODELAY, 1);
    if (p->sndbuf)
        sctpng_setopt(sv->sock, SCTPNG_OPT_SNDBUF, (int)p->sndbuf);
    if (p->rcvbuf)
        sctpng_setopt(sv->sock, SCTPNG_OPT_RCVBUF, (int)p->rcvbuf);
}

static void announce(struct server *sv, const struct session *s)
{
    sctpng_addr peer;
    char a[SCTPNG_ADDRSTRLEN] = "?";
    if (!out(sv))
        return;
    if (sctpng_get_peer_addrs(sv->sock, s->assoc, &peer, 1) >= 1)
        addr_str(&peer, a, sizeof(a));
    printf("association %d from %s: %s, %s, %u-byte messages, %u stream%s, %.1f s\n", s->assoc, a,
           perf_mode_name(s->p.mode), perf_dir_name(s->p.dir), s->p.length, s->p.streams,
           s->p.streams == 1 ? "" : "s", s->p.duration_ms / 1000.0);
    fflush(stdout);
}

/* A HELLO on a new association: start a session for it. */
static void new_session(struct server *sv, const sctpng_recv_msg *m, uint64_t now)
{
    struct proto_msg hello;
    if (proto_decode(m->buf, (size_t)m->result, &hello) < 0 || hello.type != MSG_HELLO)
        return;
    struct session *s = malloc(sizeof(*s));
    if (!s || sess_init(s, sv->sock, m->info.assoc, false, &hello.p, &sv->tot) < 0 ||
        loop_add_session(&sv->loop, s) < 0) {
        free(s);
        sctpng_abort(sv->sock, m->info.assoc);
        return;
    }
    const char *why = check_params(&hello.p);
    if (*why) {
        struct proto_msg refuse = {.type = MSG_REFUSE};
        snprintf(refuse.why, sizeof(refuse.why), "server: %s", why);
        sess_ctrl(s, &refuse);
        sess_fail(s, 0, why);
        return;
    }
    apply_params(sv, &hello.p);
    s->want_stats = sv->c->link.stats;
    char err[300];
    if (link_apply_assoc(&sv->c->link, sv->sock, s->assoc, err, sizeof(err)) < 0)
        perf_err("association %d: %s", s->assoc, err);
    if (sv->loop.nsess == 1) {
        stats_roles(&sv->st, s);
        stats_start(&sv->st, now);
        sv->loop.next_tick = now + sv->loop.interval_ns;
    }
    sv->served = true;
    announce(sv, s);
    struct proto_msg ready = {.type = MSG_READY};
    sess_ctrl(s, &ready);
    sess_start(s, now);
}

static struct session *sv_find(struct loop *l, size_t si, const sctpng_recv_msg *m, uint64_t now)
{
    struct server *sv = l->ctx;
    struct session *s = find_assoc(sv, m->info.assoc);
    if (!s && m->info.ppid == PROTO_PPID)
        new_session(sv, m, now);
    return s;
}

static void print_summary(struct server *sv, const struct session *s, const char *how)
{
    char b[32], r[32], b2[32], r2[32];
    if (!out(sv))
        return;
    /* A test that ended early has no DONE times: up to its last message. */
    uint64_t rns = s->rx.ns ? s->rx.ns : s->t_rx_last > s->t_start ? s->t_rx_last - s->t_start : 0;
    uint64_t tns = s->tx.ns ? s->tx.ns : s->t_last_tx > s->t_start ? s->t_last_tx - s->t_start : 0;
    double rs = (double)rns / 1e9, ts = (double)tns / 1e9;
    printf("association %d %s: received %s (%s), sent %s (%s)\n", s->assoc, how,
           fmt_bytes((double)s->rx.bytes, b, sizeof(b)),
           fmt_bitrate(rs > 0 ? (double)s->rx.bytes * 8 / rs : 0, r, sizeof(r)),
           fmt_bytes((double)s->tx.bytes, b2, sizeof(b2)),
           fmt_bitrate(ts > 0 ? (double)s->tx.bytes * 8 / ts : 0, r2, sizeof(r2)));
    struct astats a = s->stats; /* read at DONE; a test cut short: now */
    char line[1024];
    int err = a.valid || !sv->c->link.stats ? 0 : astats_read(sv->sock, s->assoc, &a);
    if (a.valid)
        printf("association %d stats: %s\n", s->assoc, astats_line(&a, line, sizeof(line)));
    else if (sv->c->link.stats)
        printf("association %d stats: none (%s)\n", s->assoc,
               (s->stats_err ? s->stats_err : err) != -EINVAL
                   ? sctpng_strerror(s->stats_err ? s->stats_err : err)
                   : "the association was gone before they could be read");
    fflush(stdout);
}

static void end_session(struct server *sv, struct session *s, const char *how)
{
    print_summary(sv, s, how);
    loop_remove_session(&sv->loop, s);
    sess_free(s);
    free(s);
}

/* An association went away: its session (if any) ends with it. */
static void sv_event(struct loop *l, size_t si, const sctpng_event *ev, uint64_t now)
{
    struct server *sv = l->ctx;
    if (ev->kind != SCTPNG_EV_ASSOC_CHANGE)
        return;
    int st = ev->u.assoc_change.state;
    if (st != SCTPNG_COMM_LOST && st != SCTPNG_SHUTDOWN_COMP && st != SCTPNG_CANT_STR_ASSOC &&
        st != SCTPNG_RESTART)
        return;
    struct session *s = find_assoc(sv, ev->assoc);
    char how[200], cause[160];
    if (!s)
        return;
    if (s->phase == PH_FINISHED)
        end_session(sv, s, "done");
    else if (st == SCTPNG_SHUTDOWN_COMP)
        end_session(sv, s, "ended early (the client shut it down)");
    else if (st == SCTPNG_RESTART) /* a new INIT from the same address and port */
        end_session(sv, s, "ended: the client restarted it");
    else {
        snprintf(how, sizeof(how), "lost, %s", perf_lost_cause(ev, "client", cause, sizeof(cause)));
        end_session(sv, s, how);
    }
}

static void sv_closed(struct loop *l, size_t si, int err)
{
    struct server *sv = l->ctx;
    perf_err("receive: %s", sctpng_strerror(err ? err : -EPIPE));
    sv->rc = 1;
    atomic_store(&sv->stop, 2);
}

/* SIGINT/SIGTERM: abort every association, so that clients learn at once
 * (over UDP nothing else would tell them), and stop. */
static void interrupt(struct server *sv)
{
    sctpng_assoc_t ids[PERF_MAX_ASSOCS];
    int n = sctpng_get_assoc_ids(sv->sock, ids, PERF_MAX_ASSOCS);
    for (int i = 0; i < n && i < PERF_MAX_ASSOCS; i++)
        sctpng_abort(sv->sock, ids[i]);
    while (sv->loop.nsess)
        end_session(sv, sv->loop.sess[0], "aborted (the server was stopped)");
    perf_err("%s: %d association%s aborted, exiting", perf_signal_name(perf_signal), n > 0 ? n : 0,
             n == 1 ? "" : "s");
}

/* One-off: the last test is over, but its client still shuts the
 * association down. Stay for that handshake (over UDP, nobody else answers
 * it once this loop returns; the client would wait out its linger), up to
 * the grace time. */
static bool assocs_gone(struct server *sv, uint64_t now)
{
    if (!sv->stop_at)
        sv->stop_at = now + STOP_GRACE_NS;
    return sctpng_get_assoc_ids(sv->sock, NULL, 0) <= 0 || now >= sv->stop_at;
}

static bool sv_after(struct loop *l, uint64_t now)
{
    struct server *sv = l->ctx;
    if (perf_signal && !sv->quiet) { /* --self: the client handles it */
        interrupt(sv);
        return true;
    }
    for (size_t i = 0; i < l->nsess;) {
        struct session *s = l->sess[i];
        if (s->phase == PH_FINISHED || (s->phase == PH_FAILED && !s->nctrl)) {
            end_session(sv, s, s->phase == PH_FINISHED ? "done" : "failed");
            continue; /* the last session moved into slot i */
        }
        i++;
    }
    int stop = atomic_load(&sv->stop);
    if (stop && !sv->stop_at)
        sv->stop_at = now + STOP_GRACE_NS;
    if (stop == 2 || (stop && (l->nsess == 0 || now >= sv->stop_at)))
        return true;
    return sv->c->one_off && sv->served && l->nsess == 0 && assocs_gone(sv, now);
}

static void sv_tick(struct loop *l, uint64_t now)
{
    struct server *sv = l->ctx;
    if (l->nsess)
        stats_tick(&sv->st, now);
}

static int open_socket(struct server *sv, char *err, size_t errlen)
{
    const struct perf_config *c = sv->c;
    sctpng_addr a[PERF_MAX_BINDS];
    char t[SCTPNG_ADDRSTRLEN];
    int fam = c->family == AF_INET ? AF_INET : AF_INET6;
    size_t n = c->nbinds ? c->nbinds : 1;
    for (size_t i = 0; i < c->nbinds; i++) {
        char why[200];
        if (resolve_addr(&a[i], c->binds[i], c->port, c->family, why, sizeof(why)) < 0) {
            snprintf(err, errlen, "bind %s", why);
            return -1;
        }
        fam = i == 0 ? a[0].sa.sa_family : fam;
    }
    if (!c->nbinds)
        a[0] = any_addr(fam, c->port);
    sctpng_socket_opts o;
    sctpng_socket_opts_init(&o);
    o.family = fam;
    o.style = SCTPNG_ONE_TO_MANY;
    o.ostreams = PERF_MAX_STREAMS;
    o.events = SCTPNG_EVMASK(SCTPNG_EV_ASSOC_CHANGE);
    int r = sctpng_socket_open(&sv->sock, &o);
    if (r < 0) {
        snprintf(err, errlen, "socket: %s%s", sctpng_strerror(r), no_sctp_hint(r));
        return -1;
    }
    sctpng_setopt(sv->sock, SCTPNG_OPT_REUSEADDR, 1);
    /* Pieces of long messages from different associations may interleave
     * (each carries its association id), so one cannot hold up another. */
    sctpng_setopt(sv->sock, SCTPNG_OPT_FRAGMENT_INTERLEAVE, 1);
    perf_limit_rto(sv->sock);
    if (link_apply_socket(&c->link, sv->sock, err, errlen) < 0)
        return -1; /* --intl raises FRAGMENT_INTERLEAVE to 2 */
    /* Before listen: the UDP backend sizes its engine there. */
    if (c->p.sndbuf)
        sctpng_setopt(sv->sock, SCTPNG_OPT_SNDBUF, (int)c->p.sndbuf);
    if (c->p.rcvbuf)
        sctpng_setopt(sv->sock, SCTPNG_OPT_RCVBUF, (int)c->p.rcvbuf);
    if (c->udp_port_any && sctpng_backend(sv->sock) == SCTPNG_BACKEND_UDP)
        sctpng_setopt(sv->sock, SCTPNG_OPT_UDP_PORT, 0);
    if ((r = sctpng_bind(sv->sock, a, n)) < 0 || (r = sctpng_listen(sv->sock, 128)) < 0) {
        snprintf(err, errlen, "bind %s: %s", addr_str(&a[0], t, sizeof(t)), sctpng_strerror(r));
        return -1;
    }
    sctpng_addr bound;
    if (sctpng_get_local_addrs(sv->sock, 0, &bound, 1) >= 1)
        sv->port = sctpng_addr_port(&bound);
    return 0;
}

struct server *server_open(const struct perf_config *c, bool quiet, char *err, size_t errlen)
{
    static const struct loop_hooks hooks = {.find = sv_find,
                                            .event = sv_event,
                                            .closed = sv_closed,
                                            .after = sv_after,
                                            .tick = sv_tick};
    struct server *sv = calloc(1, sizeof(*sv));
    if (!sv) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    sv->c = c;
    sv->quiet = quiet;
    atomic_init(&sv->stop, 0);
    stats_init(&sv->st, &sv->tot, quiet ? NULL : stdout, "SRV");
    if (open_socket(sv, err, errlen) < 0) {
        server_close(sv);
        return NULL;
    }
    if (loop_init(&sv->loop, c->p.batch, &hooks, sv) < 0) {
        snprintf(err, errlen, "out of memory");
        server_close(sv);
        return NULL;
    }
    sv->loop.interval_ns = quiet ? 0 : (uint64_t)(c->interval * 1e9);
    loop_busy_poll(&sv->loop, c->link.busy_poll);
    loop_add_socket(&sv->loop, sv->sock);
    return sv;
}

uint16_t server_port(const struct server *sv)
{
    return sv->port;
}

uint16_t server_udp_port(const struct server *sv)
{
    int port;
    perf_backend_of(sv->sock, 0, &port);
    return (uint16_t)port;
}

int server_run(struct server *sv)
{
    if (out(sv)) {
        perf_print_backend(stdout, sv->sock, 0);
        printf("sctpperf %s server listening on port %u (one-to-many)\n", PERF_VERSION, sv->port);
        fflush(stdout);
    }
    int r = loop_run(&sv->loop);
    if (r < 0) {
        perf_err("poll: %s", sctpng_strerror(r));
        return 1;
    }
    return sv->rc;
}

void server_stop(struct server *sv)
{
    atomic_store(&sv->stop, 1);
}

void server_close(struct server *sv)
{
    if (!sv)
        return;
    while (sv->loop.nsess) {
        struct session *s = sv->loop.sess[0];
        loop_remove_session(&sv->loop, s);
        sess_free(s);
        free(s);
    }
    sctpng_close(sv->sock);
    loop_free(&sv->loop);
    stats_free(&sv->st);
    free(sv);
}

int perf_server(const struct perf_config *c)
{
    char err[256];
    struct server *sv = server_open(c, false, err, sizeof(err));
    if (!sv) {
        perf_err("%s", err);
        return 1;
    }
    int rc = server_run(sv);
    server_close(sv);
    return rc;
}
