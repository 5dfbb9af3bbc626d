/*
 * uv_echo - one libuv loop, one thread: a one-to-many SCTP echo server and
 * many one-to-one clients. Each client sends its messages over several
 * streams and checks that every echo comes back intact and in stream order.
 *
 *   uv_echo [-n CLIENTS] [-m MESSAGES] [-s STREAMS] [-a ADDR]
 *
 * Prints one summary line; exit status 0 only when every echo came back.
 * Runs on either backend (SCTPNG_BACKEND=kernel or udp picks one).
 *
 * How an sctpng socket plugs into libuv:
 *  - watch sctpng_fd() with a uv_poll_t for the events sctpng_poll_events()
 *    asks for, and ask again after every call (it changes while a connect
 *    is in progress and after a send returned -EAGAIN);
 *  - whenever the poll fires, whatever it reports, call in: the connect
 *    result, the pending sends, and sctpng_recv() until -EAGAIN. On the
 *    kernel backend the fd is the SCTP socket. On the UDP backend it is a
 *    descriptor that gathers the engine's UDP socket, its timer and a
 *    wake-up signal, and it only ever turns readable, also when a connect
 *    finished or the send buffer has room again: so never dispatch on
 *    "readable" versus "writable", just try everything;
 *  - no uv_timer_t is needed for the protocol's timers (retransmissions,
 *    heartbeats): on the UDP backend the fd turns readable when one is due
 *    and any call runs it. The one timer here is the test's own deadline;
 *  - stop and close the uv_poll_t before sctpng_close(): libuv must not be
 *    watching a descriptor that is gone.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "sctpng.h"

#define MAX_MSG     256
#define DEADLINE_MS 60000

struct app;

/* The server: one socket for every association. When an echo cannot be
 * queued (-EAGAIN) it is held here and nothing more is read until it has
 * gone: that is how backpressure reaches the clients. */
struct server {
    struct app *app;
    sctpng_socket *s;
    uv_poll_t poll;
    char held[MAX_MSG];
    size_t held_len;
    sctpng_sndinfo held_si;
    bool holding;
    int assocs_up, assocs_ended;
    long echoed;
};

struct client {
    struct app *app;
    int id;
    sctpng_socket *s;
    uv_poll_t poll;
    bool connected, shutting, ended;
    bool watched; /* c->poll is initialised and not closed yet */
    int sent, echoed;
    int *next; /* per stream: the message number the next echo must carry */
};

struct app {
    uv_loop_t *loop;
    uv_timer_t deadline;
    struct server srv;
    struct client *cl;
    int n, m, streams;
    int ended, failed;
    bool stopping;
};

static void stop_all(struct app *a);

/* Every client is done and the server has seen every association end:
 * let the loop end. */
static void all_done(struct app *a)
{
    if (a->ended == a->n && a->srv.assocs_ended >= a->n)
        stop_all(a);
}

static void complain(struct app *a, const char *who, int id, const char *what, int err)
{
    fprintf(stderr, "uv_echo: %s %d: %s: %s\n", who, id, what, sctpng_strerror(err));
    a->failed++;
    stop_all(a);
}

/* Message `k` of client `id`: its length and bytes depend on both, so a
 * misrouted or damaged echo cannot look right. */
static size_t make_msg(char *buf, int id, int k)
{
    int len = snprintf(buf, MAX_MSG, "client %d message %d ", id, k);
    size_t want = 24 + (size_t)(k * 37 + id * 11) % (MAX_MSG - 24);
    for (size_t i = (size_t)len; i < want; i++)
        buf[i] = (char)('a' + (i + (size_t)k + (size_t)id) % 26);
    return want > (size_t)len ? want : (size_t)len;
}

/* uv_poll_start() takes UV_READABLE / UV_WRITABLE, sctpng says POLLIN / POLLOUT. */
static int poll_flags(const sctpng_socket *s)
{
    int want = sctpng_poll_events(s);
    return (want & POLLIN ? UV_READABLE : 0) | (want & POLLOUT ? UV_WRITABLE : 0);
}

/* ------------------------------------------------------------ server */

static void server_event(struct server *sv, const sctpng_event *ev)
{
    if (ev->kind != SCTPNG_EV_ASSOC_CHANGE)
        return;
    if (ev->u.assoc_change.state == SCTPNG_COMM_UP)
        sv->assocs_up++;
    else if (ev->u.assoc_change.state != SCTPNG_RESTART)
        sv->assocs_ended++;
    all_done(sv->app);
}

/* Echo the held message; false while there is no room for it yet. */
static bool server_flush(struct server *sv)
{
    if (!sv->holding)
        return true;
    ssize_t w = sctpng_send(sv->s, sv->held, sv->held_len, &sv->held_si, 0);
    if (w == -EAGAIN)
        return false;
    if (w < 0)
        fprintf(stderr, "uv_echo: server: echo to assoc %d: %s\n", (int)sv->held_si.assoc,
                sctpng_strerror((int)w));
    else
        sv->echoed++;
    sv->holding = false;
    return true;
}

static void server_ready(uv_poll_t *p, int status, int events)
{
    (void)events; /* whatever fired, try everything */
    struct server *sv = p->data;
    if (status < 0) {
        fprintf(stderr, "uv_echo: server poll: %s\n", uv_strerror(status));
        sv->app->failed++;
        stop_all(sv->app);
        return;
    }
    while (server_flush(sv)) {
        sctpng_rcvinfo ri;
        ssize_t n = sctpng_recv(sv->s, sv->held, sizeof(sv->held), &ri, 0);
        if (n == -EAGAIN)
            break;
        if (n < 0) {
            complain(sv->app, "server", 0, "recv", (int)n);
            return;
        }
        if (ri.flags & SCTPNG_RCV_EVENT) {
            server_event(sv, &ri.event);
            continue;
        }
        /* Back where it came from: same association, stream and PPID. */
        sv->held_len = (size_t)n;
        sv->held_si = (sctpng_sndinfo){.stream = ri.stream, .ppid = ri.ppid, .assoc = ri.assoc};
        sv->holding = true;
    }
    if (!sv->app->stopping)
        uv_poll_start(&sv->poll, poll_flags(sv->s), server_ready);
}

static int server_start(struct app *a, const char *host, sctpng_addr *bound, int *udp_port)
{
    struct server *sv = &a->srv;
    sv->app = a;
    sctpng_addr addr;
    int err = sctpng_addr_parse(&addr, host, 0); /* port 0: a free one */
    if (err < 0)
        return err;
    sctpng_socket_opts o;
    sctpng_socket_opts_init(&o);
    o.family = addr.sa.sa_family;
    o.style = SCTPNG_ONE_TO_MANY;
    o.ostreams = o.istreams = (uint16_t)a->streams;
    o.events = SCTPNG_EVMASK(SCTPNG_EV_ASSOC_CHANGE);
    if ((err = sctpng_socket_open(&sv->s, &o)) < 0)
        return err;
    /* UDP backend: a free UDP port too, rather than the well-known 9899. */
    if (sctpng_backend(sv->s) == SCTPNG_BACKEND_UDP &&
        (err = sctpng_setopt(sv->s, SCTPNG_OPT_UDP_PORT, 0)) < 0)
        return err;
    if ((err = sctpng_bind(sv->s, &addr, 1)) < 0 || (err = sctpng_listen(sv->s, 128)) < 0)
        return err;
    if ((err = sctpng_get_local_addrs(sv->s, 0, bound, 1)) < 1)
        return err < 0 ? err : -EADDRNOTAVAIL;
    *udp_port = 0;
    if (sctpng_backend(sv->s) == SCTPNG_BACKEND_UDP &&
        (err = sctpng_getopt(sv->s, SCTPNG_OPT_UDP_PORT, udp_port)) < 0)
        return err;
    uv_poll_init(a->loop, &sv->poll, sctpng_fd(sv->s));
    sv->poll.data = sv;
    return uv_poll_start(&sv->poll, poll_flags(sv->s), server_ready) < 0 ? -EIO : 0;
}

/* ------------------------------------------------------------ clients */

static void client_closed(uv_handle_t *h)
{
    struct client *c = h->data;
    sctpng_close(c->s); /* the association is over: nothing left to wait for */
    c->s = NULL;
}

/* The association is over (or given up): let go of the socket. */
static void client_end(struct client *c)
{
    if (c->ended)
        return;
    c->ended = true;
    c->app->ended++;
    c->watched = false;
    uv_poll_stop(&c->poll);
    uv_close((uv_handle_t *)&c->poll, client_closed);
    all_done(c->app);
}

static int client_send(struct client *c)
{
    while (c->sent < c->app->m) {
        char msg[MAX_MSG];
        size_t len = make_msg(msg, c->id, c->sent);
        sctpng_sndinfo si = {.stream = (uint16_t)(c->sent % c->app->streams),
                             .ppid = (uint32_t)c->id};
        ssize_t w = sctpng_send(c->s, msg, len, &si, 0);
        if (w == -EAGAIN)
            return 0; /* sctpng_poll_events() now asks for room: wait for it */
        if (w < 0)
            return (int)w;
        c->sent++;
    }
    return 0;
}

/* An echo: right stream, right PPID, and the very message expected next
 * on that stream (SCTP keeps each stream in order). */
static bool echo_ok(struct client *c, const char *buf, ssize_t n, const sctpng_rcvinfo *ri)
{
    int st = ri->stream;
    if (st >= c->app->streams || ri->ppid != (uint32_t)c->id || c->next[st] >= c->app->m)
        return false;
    char want[MAX_MSG];
    size_t len = make_msg(want, c->id, c->next[st]);
    c->next[st] += c->app->streams;
    return (size_t)n == len && memcmp(buf, want, len) == 0;
}

/* Read until nothing is left. Returns 1 once the association has ended. */
static int client_recv(struct client *c)
{
    for (;;) {
        char buf[MAX_MSG];
        sctpng_rcvinfo ri;
        ssize_t n = sctpng_recv(c->s, buf, sizeof(buf), &ri, 0);
        if (n == -EAGAIN)
            return 0;
        if (c->shutting && (n == 0 || n == -ENOTCONN || n == -ECONNRESET))
            return 1;
        if (n <= 0)
            return n == 0 ? -ECONNRESET : (int)n;
        if (ri.flags & SCTPNG_RCV_EVENT) {
            if (ri.event.kind == SCTPNG_EV_ASSOC_CHANGE &&
                ri.event.u.assoc_change.state == SCTPNG_SHUTDOWN_COMP)
                return 1;
            continue;
        }
        if (!echo_ok(c, buf, n, &ri)) {
            fprintf(stderr, "uv_echo: client %d: echo %d is wrong (stream %u, %zd bytes)\n", c->id,
                    c->echoed, ri.stream, n);
            return -EBADMSG;
        }
        c->echoed++;
    }
}

static void client_ready(uv_poll_t *p, int status, int events)
{
    (void)events; /* whatever fired, try everything */
    struct client *c = p->data;
    int err = status < 0 ? -EIO : 0;
    if (!err && !c->connected) {
        err = sctpng_connect_result(c->s);
        if (err == -EINPROGRESS)
            err = 0;
        else if (err == 0)
            c->connected = true;
    }
    if (!err && c->connected)
        err = client_send(c);
    int ended = err ? 0 : (c->connected ? client_recv(c) : 0);
    if (ended < 0)
        err = ended;
    if (err) {
        complain(c->app, "client", c->id, c->connected ? "send/recv" : "connect", err);
        return;
    }
    if (!c->shutting && c->echoed == c->app->m) {
        /* All back: a graceful SHUTDOWN, then wait for it to complete
         * (closing now would block while the server, in this same
         * thread, cannot answer). */
        c->shutting = true;
        if ((err = sctpng_shutdown(c->s, 0)) < 0) {
            complain(c->app, "client", c->id, "shutdown", err);
            return;
        }
    }
    if (ended)
        client_end(c);
    else if (!c->app->stopping)
        uv_poll_start(&c->poll, poll_flags(c->s), client_ready);
}

static int client_start(struct app *a, struct client *c, const sctpng_addr *server, int udp_port)
{
    sctpng_socket_opts o;
    sctpng_socket_opts_init(&o);
    o.family = server->sa.sa_family;
    o.ostreams = o.istreams = (uint16_t)a->streams;
    o.events = SCTPNG_EVMASK(SCTPNG_EV_ASSOC_CHANGE);
    int err = sctpng_socket_open(&c->s, &o);
    if (err < 0)
        return err;
    if (udp_port && (err = sctpng_setopt(c->s, SCTPNG_OPT_UDP_REMOTE_PORT, udp_port)) < 0)
        return err;
    c->app = a;
    c->next = calloc((size_t)a->streams, sizeof(*c->next));
    if (!c->next)
        return -ENOMEM;
    for (int st = 0; st < a->streams; st++)
        c->next[st] = st; /* message k goes on stream k % streams */
    /* timeout 0: returns -EINPROGRESS at once, the loop sees the rest. */
    err = sctpng_connect(c->s, server, 1, NULL, 0);
    if (err < 0 && err != -EINPROGRESS)
        return err;
    uv_poll_init(a->loop, &c->poll, sctpng_fd(c->s));
    c->poll.data = c;
    c->watched = true;
    return uv_poll_start(&c->poll, poll_flags(c->s), client_ready) < 0 ? -EIO : 0;
}

/* ------------------------------------------------------------ the loop */

/* Stop watching everything so that uv_run() returns. */
static void stop_all(struct app *a)
{
    if (a->stopping)
        return;
    a->stopping = true;
    uv_timer_stop(&a->deadline);
    uv_poll_stop(&a->srv.poll);
    for (int i = 0; i < a->n; i++)
        if (a->cl[i].watched)
            uv_poll_stop(&a->cl[i].poll);
}

static void deadline_hit(uv_timer_t *t)
{
    struct app *a = t->data;
    fprintf(stderr, "uv_echo: gave up after %d ms: %d of %d clients done\n", DEADLINE_MS, a->ended,
            a->n);
    for (int i = 0, shown = 0; i < a->n && shown < 3; i++) {
        struct client *c = &a->cl[i];
        if (c->ended)
            continue;
        shown++;
        char buf[MAX_MSG];
        sctpng_rcvinfo ri;
        ssize_t r = sctpng_recv(c->s, buf, sizeof(buf), &ri, 0);
        fprintf(stderr,
                "uv_echo: client %d: connected %d shutting %d sent %d echoed %d asks %#x, recv now "
                "%zd\n",
                c->id, c->connected, c->shutting, c->sent, c->echoed,
                (unsigned)sctpng_poll_events(c->s), r);
    }
    if (a->srv.holding) {
        ssize_t w = sctpng_send(a->srv.s, a->srv.held, a->srv.held_len, &a->srv.held_si, 0);
        fprintf(stderr,
                "uv_echo: the server still held an echo for association %d (a send now: %s; it "
                "asks for %#x)\n",
                (int)a->srv.held_si.assoc, w < 0 ? sctpng_strerror((int)w) : "sent",
                (unsigned)sctpng_poll_events(a->srv.s));
    }
    a->failed++;
    stop_all(a);
}

static int usage(void)
{
    fprintf(stderr, "usage: uv_echo [-n CLIENTS] [-m MESSAGES] [-s STREAMS] [-a ADDR]\n");
    return 2;
}

int main(int argc, char **argv)
{
    struct app a = {.n = 10, .m = 20, .streams = 4};
    const char *host = "127.0.0.1";
    int opt;
    while ((opt = getopt(argc, argv, "n:m:s:a:")) != -1) {
        if (opt == 'n')
            a.n = atoi(optarg);
        else if (opt == 'm')
            a.m = atoi(optarg);
        else if (opt == 's')
            a.streams = atoi(optarg);
        else if (opt == 'a')
            host = optarg;
        else
            return usage();
    }
    if (a.n < 1 || a.m < 1 || a.streams < 1 || a.streams > 100)
        return usage();

    a.loop = uv_default_loop();
    uv_timer_init(a.loop, &a.deadline);
    a.deadline.data = &a;
    uv_timer_start(&a.deadline, deadline_hit, DEADLINE_MS, 0);

    sctpng_addr server;
    int udp_port, err = server_start(&a, host, &server, &udp_port);
    if (err < 0) {
        fprintf(stderr, "uv_echo: server on %s: %s\n", host, sctpng_strerror(err));
        return 1;
    }
    a.cl = calloc((size_t)a.n, sizeof(*a.cl));
    for (int i = 0; a.cl && i < a.n && !a.failed; i++) {
        a.cl[i].id = i + 1;
        if ((err = client_start(&a, &a.cl[i], &server, udp_port)) < 0)
            complain(&a, "client", i + 1, "start", err);
    }
    if (!a.cl)
        return 1;
    uv_run(a.loop, UV_RUN_DEFAULT);

    /* Count before letting go of anything. */
    long echoed = 0;
    int complete = 0;
    for (int i = 0; i < a.n; i++) {
        echoed += a.cl[i].echoed;
        complete += a.cl[i].echoed == a.m;
    }
    bool ok = !a.failed && complete == a.n && a.srv.echoed == echoed;
    printf("uv_echo: backend %s, %d clients, %d of them complete, %ld of %ld echoes intact "
           "on %d streams, server saw %d associations start and %d end: %s\n",
           sctpng_backend(a.srv.s) == SCTPNG_BACKEND_UDP ? "udp" : "kernel", a.n, complete, echoed,
           (long)a.n * a.m, a.streams, a.srv.assocs_up, a.srv.assocs_ended, ok ? "ok" : "FAILED");

    /* Tidy up: close the uv handles first, then the sockets. */
    for (int i = 0; i < a.n; i++) {
        if (a.cl[i].watched)
            uv_close((uv_handle_t *)&a.cl[i].poll, client_closed);
        else if (a.cl[i].s && !a.cl[i].ended)
            sctpng_close(a.cl[i].s); /* failed before it was watched */
    }
    uv_close((uv_handle_t *)&a.srv.poll, NULL);
    uv_close((uv_handle_t *)&a.deadline, NULL);
    uv_run(a.loop, UV_RUN_DEFAULT);
    sctpng_close(a.srv.s);
    for (int i = 0; i < a.n; i++)
        free(a.cl[i].next);
    free(a.cl);
    uv_loop_close(a.loop);
    return ok ? 0 : 1;
}
