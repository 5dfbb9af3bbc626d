/* xfer: message plans and their checks; see xfer.h. */
#include "xfer.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/payload.h"
#include "sim/rng.h"

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p)
        abort();
    return p;
}

void xfer_init(struct xfer *x, uint64_t seed, uint64_t total, uint32_t max_len, uint16_t n_streams,
               unsigned unordered_pct)
{
    memset(x, 0, sizeof(*x));
    x->seed = seed;
    struct sim_rng r;
    sim_rng_seed(&r, seed);
    uint32_t cap = 1024;
    x->msgs = xcalloc(cap, sizeof(*x->msgs));
    int32_t *last = xcalloc(n_streams, sizeof(*last));
    for (uint16_t s = 0; s < n_streams; s++)
        last[s] = -1;
    while (x->total_bytes < total) {
        if (x->n_msgs == cap) {
            x->msgs = realloc(x->msgs, (cap *= 2) * sizeof(*x->msgs));
            if (!x->msgs)
                abort();
        }
        struct xfer_msg *m = &x->msgs[x->n_msgs];
        m->len = 1 + (uint32_t)sim_rng_below(&r, max_len);
        m->stream = (uint16_t)sim_rng_below(&r, n_streams);
        m->unordered = sim_rng_below(&r, 100) < unordered_pct;
        m->prev = m->unordered ? -1 : last[m->stream];
        if (!m->unordered)
            last[m->stream] = (int32_t)x->n_msgs;
        x->total_bytes += m->len;
        x->n_msgs++;
    }
    free(last);
    x->buf = xcalloc(max_len, 1);
    x->got = xcalloc(x->n_msgs, 1);
}

void xfer_free(struct xfer *x)
{
    free(x->msgs);
    free(x->buf);
    free(x->got);
    memset(x, 0, sizeof(*x));
}

const struct xfer_msg *xfer_next(struct xfer *x, uint32_t *ppid)
{
    if (x->next_send >= x->n_msgs)
        return NULL;
    const struct xfer_msg *m = &x->msgs[x->next_send];
    payload_fill(x->buf, m->len, x->seed, x->next_send, 0);
    *ppid = x->next_send;
    return m;
}

void xfer_sent(struct xfer *x)
{
    x->next_send++;
}

static int fail(struct xfer *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct xfer *x, const char *fmt, ...)
{
    if (x->errors++ == 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(x->first_error, sizeof(x->first_error), fmt, ap);
        va_end(ap);
    }
    return -1;
}

int xfer_received(struct xfer *x, uint16_t stream, uint32_t ppid, bool unordered,
                  const uint8_t *data, size_t len)
{
    if (ppid >= x->n_msgs)
        return fail(x, "unknown message %u (%zu B)", ppid, len);
    const struct xfer_msg *m = &x->msgs[ppid];
    if (len != m->len || stream != m->stream || unordered != m->unordered)
        return fail(x, "msg %u: %zu B stream %u %s, sent %u B stream %u %s", ppid, len, stream,
                    unordered ? "unordered" : "ordered", m->len, m->stream,
                    m->unordered ? "unordered" : "ordered");
    size_t bad = payload_check(data, len, x->seed, ppid, 0);
    if (bad != len)
        return fail(x, "msg %u: byte %zu of %zu wrong", ppid, bad, len);
    if (x->got[ppid])
        return fail(x, "msg %u delivered twice", ppid);
    if (m->prev >= 0 && !x->got[m->prev])
        return fail(x, "msg %u (stream %u) before msg %d", ppid, stream, m->prev);
    x->got[ppid] = 1;
    x->n_got++;
    x->bytes_got += len;
    return 0;
}

bool xfer_done(const struct xfer *x)
{
    return x->n_got == x->n_msgs;
}
