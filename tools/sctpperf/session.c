/* session.c - one association under test (see session.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "session.h"

/* Calls and bytes per pump before the loop looks at input and the clock
 * again: on loopback one send call can run the whole receive path too, so
 * a call with many long messages takes a while. */
#define SEND_CALLS_PER_PUMP 8
#define SEND_BYTES_PER_PUMP (256u << 10)

static void set_roles(struct session *s)
{
    const struct perf_params *p = &s->p;
    if (p->mode == PERF_LATENCY) {
        s->ping = s->client;
        s->echo = !s->client;
        return;
    }
    bool up = p->dir == PERF_UP || p->dir == PERF_BIDIR;
    bool down = p->dir == PERF_DOWN || p->dir == PERF_BIDIR;
    s->data_tx = s->client ? up : down;
    s->data_rx = s->client ? down : up;
}

/* One sndinfo per stream, so a batch only points at them. */
static void fill_sndinfo(struct session *s)
{
    for (uint32_t i = 0; i < s->p.streams; i++) {
        sctpng_sndinfo *si = &s->si[i];
        sctpng_sndinfo_init(si);
        si->stream = (uint16_t)i;
        si->ppid = s->p.ppid;
        si->assoc = s->assoc;
        si->flags = s->p.unordered ? SCTPNG_UNORDERED : 0;
        if (s->p.pr_ttl_ms) {
            si->pr_policy = SCTPNG_PR_TTL;
            si->pr_value = s->p.pr_ttl_ms;
        }
    }
}

int sess_init(struct session *s, sctpng_socket *sock, sctpng_assoc_t assoc, bool client,
              const struct perf_params *p, struct totals *tot)
{
    memset(s, 0, sizeof(*s));
    s->sock = sock;
    s->assoc = assoc;
    s->client = client;
    s->p = *p;
    s->tot = tot;
    s->phase = client ? PH_SETUP : PH_RUN;
    set_roles(s);
    s->data = malloc(p->length ? p->length : 1);
    s->si = calloc(p->streams, sizeof(*s->si));
    s->msgs = calloc(p->batch, sizeof(*s->msgs));
    if (!s->data || !s->si || !s->msgs) {
        sess_free(s);
        return -ENOMEM;
    }
    for (uint32_t i = 0; i < p->length; i++)
        s->data[i] = (uint8_t)('a' + i % 26);
    fill_sndinfo(s);
    return 0;
}

void sess_free(struct session *s)
{
    free(s->data);
    free(s->si);
    free(s->msgs);
    s->data = NULL;
    s->si = NULL;
    s->msgs = NULL;
}

void sess_fail(struct session *s, int err, const char *why)
{
    if (s->phase == PH_FAILED)
        return;
    s->phase = PH_FAILED;
    s->error = err;
    snprintf(s->why, sizeof(s->why), "%s", why);
}

/* Control messages go out in order, ahead of any new data. */
static void flush_ctrl(struct session *s)
{
    sctpng_sndinfo si;
    sctpng_sndinfo_init(&si);
    si.ppid = PROTO_PPID;
    si.assoc = s->assoc;
    while (s->nctrl && !s->blocked) {
        ssize_t r = sctpng_send(s->sock, s->ctrl[0], s->ctrl_len[0], &si, 0);
        if (r == -EAGAIN) {
            s->blocked = true;
            return;
        }
        if (r < 0) {
            s->nctrl = 0; /* the association is gone: nothing more will go */
            sess_fail(s, (int)r, "send");
            return;
        }
        s->nctrl--;
        s->t_last_tx = now_ns();
        memmove(s->ctrl[0], s->ctrl[1], sizeof(s->ctrl[0]) * s->nctrl);
        memmove(&s->ctrl_len[0], &s->ctrl_len[1], sizeof(s->ctrl_len[0]) * s->nctrl);
    }
}

void sess_ctrl(struct session *s, const struct proto_msg *m)
{
    if (s->nctrl == CTRL_QUEUE) {
        sess_fail(s, -ENOBUFS, "control queue");
        return;
    }
    s->ctrl_len[s->nctrl] = proto_encode(m, s->ctrl[s->nctrl]);
    s->nctrl++;
    flush_ctrl(s);
}

void sess_start(struct session *s, uint64_t now)
{
    if (s->phase == PH_FAILED)
        return;
    s->phase = PH_RUN;
    s->t_start = now;
    s->t_last_tx = now;
    s->t_stop = now + (uint64_t)s->p.duration_ms * NS_PER_MS;
}

static void on_ctrl(struct session *s, const uint8_t *buf, size_t len, uint64_t now)
{
    struct proto_msg m;
    if (proto_decode(buf, len, &m) < 0) {
        sess_fail(s, 0, "malformed control message from the peer");
        return;
    }
    switch (m.type) {
    case MSG_READY:
        if (s->client && s->phase == PH_SETUP)
            s->phase = PH_READY;
        break;
    case MSG_END:
        s->peer_end = m;
        s->end_got = true;
        s->t_end_got = now;
        break;
    case MSG_DONE:
        s->peer_done = m;
        s->done_got = true;
        break;
    case MSG_REFUSE:
        sess_fail(s, 0, m.why);
        break;
    case MSG_ALIVE:
        break;
    default:
        sess_fail(s, 0, "unexpected control message from the peer");
        break;
    }
}

/* One data message (or piece): count it; a complete one answers a ping
 * or asks for an echo. */
static void on_data(struct session *s, const sctpng_recv_msg *m, uint64_t now)
{
    uint64_t len = (uint64_t)m->result;
    s->rx.bytes += len;
    s->tot->rx_bytes += len;
    if (!s->t_rx_first)
        s->t_rx_first = now;
    s->t_rx_last = now;
    if (!(m->info.flags & SCTPNG_RCV_COMPLETE))
        return;
    s->rx.msgs++;
    s->tot->rx_msgs++;
    if (s->ping && s->ping_out) {
        uint64_t rtt = now - s->ping_t;
        hist_add(&s->tot->lat, rtt);
        hist_add(&s->tot->lat_iv, rtt);
        s->ping_out = false;
    } else if (s->echo) {
        s->echo_pending++;
        s->echo_stream = m->info.stream;
    }
}

void sess_on_msg(struct session *s, const sctpng_recv_msg *m, uint64_t now)
{
    if (s->phase == PH_FAILED)
        return;
    if (m->info.ppid == PROTO_PPID && (m->info.flags & SCTPNG_RCV_COMPLETE))
        on_ctrl(s, m->buf, (size_t)m->result, now);
    else
        on_data(s, m, now);
}

static void count_sent(struct session *s, uint64_t msgs)
{
    uint64_t bytes = msgs * s->p.length;
    s->tx.msgs += msgs;
    s->tx.bytes += bytes;
    s->tot->tx_msgs += msgs;
    s->tot->tx_bytes += bytes;
    s->t_last_tx = now_ns();
}

/* Messages the bit rate allows now (UINT64_MAX when unlimited). */
static uint64_t paced_budget(const struct session *s, uint64_t now)
{
    if (!s->p.bitrate)
        return UINT64_MAX;
    double allowed = (double)s->p.bitrate / 8.0 * (double)(now - s->t_start) / 1e9;
    double left = allowed - (double)s->tx.bytes;
    return left < (double)s->p.length ? 0 : (uint64_t)(left / s->p.length);
}

/* One send call of up to k messages: how many went, or a negative code. */
static int send_some(struct session *s, uint32_t k)
{
    if (s->p.batch == 1) {
        const sctpng_sndinfo *si = &s->si[s->next_stream++ % s->p.streams];
        ssize_t r = sctpng_send(s->sock, s->data, s->p.length, si, 0);
        return r < 0 ? (int)r : 1;
    }
    uint32_t st = s->next_stream;
    for (uint32_t i = 0; i < k; i++) {
        s->msgs[i].buf = s->data;
        s->msgs[i].len = s->p.length;
        s->msgs[i].info = &s->si[(st + i) % s->p.streams];
    }
    int r = sctpng_send_batch(s->sock, s->msgs, k, 0);
    if (r > 0)
        s->next_stream = st + (uint32_t)r;
    return r;
}

static void pump_data(struct session *s, uint64_t now)
{
    if (now >= s->t_stop) {
        if (!s->t_tx_end)
            s->t_tx_end = now;
        return;
    }
    uint64_t budget = paced_budget(s, now);
    uint64_t by_bytes = SEND_BYTES_PER_PUMP / s->p.length;
    if (by_bytes < budget)
        budget = by_bytes ? by_bytes : 1;
    for (int calls = 0; calls < SEND_CALLS_PER_PUMP && budget && !s->blocked; calls++) {
        uint32_t k = budget < s->p.batch ? (uint32_t)budget : s->p.batch;
        int r = send_some(s, k);
        if (r == -EAGAIN) {
            s->blocked = true;
            break;
        }
        if (r < 0) {
            sess_fail(s, r, "send");
            return;
        }
        count_sent(s, (uint64_t)r);
        budget = budget == UINT64_MAX ? budget : budget - (uint64_t)r;
        if ((uint32_t)r < k)
            s->blocked = true; /* stopped by a full buffer */
    }
}

static void pump_ping(struct session *s, uint64_t now)
{
    if (s->ping_out || s->blocked || now >= s->t_stop)
        return;
    const sctpng_sndinfo *si = &s->si[s->next_stream % s->p.streams];
    uint64_t t = now_ns();
    ssize_t r = sctpng_send(s->sock, s->data, s->p.length, si, 0);
    if (r == -EAGAIN) {
        s->blocked = true;
        return;
    }
    if (r < 0) {
        sess_fail(s, (int)r, "send");
        return;
    }
    s->next_stream++;
    s->ping_out = true;
    s->ping_t = t;
    count_sent(s, 1);
}

static void pump_echo(struct session *s)
{
    sctpng_sndinfo si = s->si[s->echo_stream < s->p.streams ? s->echo_stream : 0];
    while (s->echo_pending && !s->blocked) {
        ssize_t r = sctpng_send(s->sock, s->data, s->p.length, &si, 0);
        if (r == -EAGAIN) {
            s->blocked = true;
            return;
        }
        if (r < 0) {
            sess_fail(s, (int)r, "send");
            return;
        }
        s->echo_pending--;
        count_sent(s, 1);
    }
}

/* Has this side finished sending (data or pings)? */
static bool send_over(struct session *s, uint64_t now)
{
    if (s->data_tx)
        return now >= s->t_stop;
    if (s->ping) {
        if (now < s->t_stop)
            return false;
        if (s->ping_out && now < s->ping_t + DRAIN_NS)
            return false;
        if (!s->t_tx_end)
            s->t_tx_end = now;
        return true;
    }
    return true;
}

/* Has this side received all it waits for? */
static bool recv_over(const struct session *s, uint64_t now)
{
    if (!s->data_rx && !s->echo)
        return true;
    if (!s->end_got || s->echo_pending)
        return false;
    if (s->rx.msgs >= s->peer_end.tx.msgs)
        return true;
    uint64_t last = s->t_rx_last > s->t_end_got ? s->t_rx_last : s->t_end_got;
    return now >= last + DRAIN_NS; /* the rest was abandoned (PR-SCTP) or lost */
}

static struct proto_counts rx_counts(const struct session *s)
{
    struct proto_counts c = s->rx;
    uint64_t from = s->t_rx_first && s->t_rx_first < s->t_start ? s->t_rx_first : s->t_start;
    /* A server's clock starts at HELLO, which with -P can be seconds
     * before the client starts every association at once: count from the
     * first message instead. */
    if (!s->client && s->t_rx_first)
        from = s->t_rx_first;
    c.ns = s->t_rx_last > from ? s->t_rx_last - from : 0;
    return c;
}

static void advance_exchange(struct session *s, uint64_t now)
{
    if ((s->data_tx || s->ping) && !s->end_sent && send_over(s, now)) {
        struct proto_msg m = {.type = MSG_END, .tx = s->tx};
        if (!s->t_tx_end)
            s->t_tx_end = now;
        m.tx.ns = s->t_tx_end - s->t_start;
        s->tx.ns = m.tx.ns;
        sess_ctrl(s, &m);
        s->end_sent = true;
    }
    bool sent_all = s->end_sent || (!s->data_tx && !s->ping);
    if (!s->done_sent && sent_all && recv_over(s, now)) {
        /* The counters are read before DONE goes out: once the peer has
         * DONE it may end the association at any moment, and a kernel
         * forgets a closed association's counters at once. */
        if (s->want_stats)
            s->stats_err = astats_read(s->sock, s->assoc, &s->stats);
        struct proto_msg m = {.type = MSG_DONE, .tx = s->tx, .rx = rx_counts(s)};
        s->rx.ns = m.rx.ns;
        sess_ctrl(s, &m);
        s->done_sent = true;
    }
    if (s->done_sent && s->done_got && !s->nctrl && s->phase == PH_RUN)
        s->phase = PH_FINISHED;
}

void sess_pump(struct session *s, uint64_t now)
{
    if (s->phase == PH_FINISHED)
        return;
    flush_ctrl(s); /* even when failed: a REFUSE may wait to go out */
    if (s->phase != PH_RUN || s->nctrl)
        return;
    if (s->data_tx)
        pump_data(s, now);
    else if (s->ping)
        pump_ping(s, now);
    else if (s->echo)
        pump_echo(s);
    if (s->phase == PH_RUN)
        advance_exchange(s, now);
    if (s->phase == PH_RUN && !s->nctrl && !s->blocked && now >= s->t_last_tx + ALIVE_NS) {
        struct proto_msg alive = {.type = MSG_ALIVE};
        sess_ctrl(s, &alive);
    }
}

/* When the pacer lets the next message go (0: now, unlimited rate). */
static uint64_t next_send_time(const struct session *s)
{
    if (!s->p.bitrate)
        return 0;
    double ns = (double)(s->tx.bytes + s->p.length) * 8e9 / (double)s->p.bitrate;
    uint64_t at = s->t_start + (uint64_t)ns;
    return at < s->t_stop ? at : s->t_stop;
}

static uint64_t min64(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

uint64_t sess_deadline(const struct session *s, uint64_t now)
{
    if (s->phase != PH_RUN)
        return UINT64_MAX;
    if (!s->blocked && (s->nctrl || s->echo_pending))
        return 0;
    uint64_t d = s->blocked ? UINT64_MAX : s->t_last_tx + ALIVE_NS;
    /* While blocked, POLLOUT wakes us; the stop time still matters. */
    uint64_t stop = s->blocked && now < s->t_stop ? s->t_stop : UINT64_MAX;
    if (s->data_tx && !s->end_sent)
        d = min64(d, s->blocked ? stop : next_send_time(s));
    if (s->ping && !s->end_sent)
        d = min64(d, s->ping_out ? s->ping_t + DRAIN_NS : s->blocked ? stop : 0);
    if ((s->data_rx || s->echo) && s->end_got && !s->done_sent) {
        uint64_t last = s->t_rx_last > s->t_end_got ? s->t_rx_last : s->t_end_got;
        d = min64(d, last + DRAIN_NS);
    }
    return d;
}
