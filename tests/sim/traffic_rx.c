/* traffic: the receiving side. Joins the parts recv() returns into whole
 * messages and checks each one against its flow's plan. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sim/payload.h"
#include "sim/traffic.h"

#define RX_CHUNK 65536

static void fail(struct traffic *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void fail(struct traffic *t, const char *fmt, ...)
{
    if (t->errors++)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->first_error, sizeof(t->first_error), fmt, ap);
    va_end(ap);
}

static void check_message(struct traffic *t, int node, const sctpng_eng_rcvinfo *ri,
                          const uint8_t *data, size_t len)
{
    uint32_t fi = ri->ppid >> 24, id = ri->ppid & 0xFFFFFF;
    if (fi >= (uint32_t)t->n_flows || t->flows[fi].dst != node || id >= t->flows[fi].n_msgs) {
        fail(t, "node %d: message with unknown ppid %08x (%zu B)", node, ri->ppid, len);
        return;
    }
    struct flow *f = &t->flows[fi];
    const struct flow_msg *m = &f->msgs[id];
    if (len != m->len || ri->stream != m->stream || ri->unordered != m->unordered) {
        fail(t, "flow %u msg %u: got %zu B stream %u %s, sent %u B stream %u %s", fi, id, len,
             ri->stream, ri->unordered ? "unordered" : "ordered", m->len, m->stream,
             m->unordered ? "unordered" : "ordered");
        return;
    }
    size_t bad = payload_check(data, len, f->seed, id, 0);
    if (bad != len)
        fail(t, "flow %u msg %u: byte %zu of %zu corrupted", fi, id, bad, len);
    if (f->got[id]) {
        fail(t, "flow %u msg %u: delivered twice", fi, id);
        return;
    }
    if (m->prev >= 0 && !f->got[m->prev])
        fail(t, "flow %u msg %u (stream %u): delivered before msg %d", fi, id, m->stream, m->prev);
    f->got[id] = 1;
    f->n_got++;
    f->bytes_got += len;
    f->t_last_recv = sim_now(t->sim);
}

static void rx_append(struct rx_state *rx, const uint8_t *p, size_t n)
{
    if (rx->len + n > rx->cap) {
        size_t cap = rx->cap ? rx->cap : RX_CHUNK;
        while (cap < rx->len + n)
            cap *= 2;
        rx->buf = realloc(rx->buf, cap);
        if (!rx->buf)
            abort();
        rx->cap = cap;
    }
    memcpy(rx->buf + rx->len, p, n);
    rx->len += n;
}

/* One recv() result: part of a message, maybe its end. */
static void rx_part(struct traffic *t, int node, const sctpng_eng_rcvinfo *ri, const uint8_t *p,
                    size_t n)
{
    struct rx_state *rx = &t->rx[node];
    if (rx->in_msg && (ri->assoc != rx->first.assoc || ri->stream != rx->first.stream ||
                       ri->ppid != rx->first.ppid)) {
        fail(t, "node %d: part of ppid %08x stream %u inside unfinished ppid %08x stream %u", node,
             ri->ppid, ri->stream, rx->first.ppid, rx->first.stream);
        rx->len = 0;
    }
    if (!rx->in_msg) {
        rx->first = *ri;
        rx->len = 0;
        rx->in_msg = true;
    }
    rx_append(rx, p, n);
    if (ri->complete) {
        check_message(t, node, &rx->first, rx->buf, rx->len);
        rx->in_msg = false;
        rx->len = 0;
    }
}

void traffic_rx_step(struct traffic *t, int node)
{
    static uint8_t buf[RX_CHUNK];
    sctpng_eng *eng = sim_eng(t->sim, node);
    if (t->recv_paused[node])
        return;
    for (;;) {
        sctpng_eng_rcvinfo ri;
        memset(&ri, 0, sizeof(ri));
        ssize_t n = sctpng_eng_recv(eng, 0, buf, sizeof(buf), &ri);
        if (n == -EAGAIN || n == -ENOENT)
            return;
        if (n <= 0) {
            fail(t, "node %d: recv returned %zd", node, n);
            return;
        }
        rx_part(t, node, &ri, buf, (size_t)n);
    }
}
