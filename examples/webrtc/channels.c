/* Data channels over the engine: see channels.h. */
#include "channels.h"

#include "dcep.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct dc_pending {
    struct dc_pending *next;
    sctpng_eng_sndinfo info;
    size_t len;
    uint8_t data[];
};

int dc_init(struct dc *d, sctpng_eng *eng, uint32_t assoc, bool dtls_client,
            const struct dc_callbacks *cb, void *ctx)
{
    memset(d, 0, sizeof(*d));
    d->eng = eng;
    d->assoc = assoc;
    d->dtls_client = dtls_client;
    d->cb = *cb;
    d->ctx = ctx;
    d->rx[0].buf = malloc(DC_MAX_MESSAGE);
    return d->rx[0].buf ? 0 : -ENOMEM;
}

void dc_free(struct dc *d)
{
    while (d->head) {
        struct dc_pending *p = d->head;
        d->head = p->next;
        free(p);
    }
    for (unsigned i = 0; i < DC_RX_SLOTS; i++) {
        free(d->rx[i].buf);
        d->rx[i].buf = NULL;
    }
}

/* The engine's send options for a message on channel `sid`. Until the
 * peer acknowledged our OPEN, messages go ordered so none overtakes it
 * (RFC 8832 6). */
static sctpng_eng_sndinfo channel_info(const struct dc *d, uint16_t sid, uint32_t ppid)
{
    const struct dc_chan *c = &d->ch[sid];
    sctpng_eng_sndinfo si = {.stream = sid, .ppid = ppid};
    si.unordered = (c->type & DCEP_UNORDERED) && c->acked;
    switch (c->type & 0x7F) {
    case DCEP_PARTIAL_RELIABLE_RX:
        si.pr_policy = SCTPNG_ENG_PR_RTX;
        si.pr_value = c->reliability;
        break;
    case DCEP_PARTIAL_RELIABLE_TM:
        si.pr_policy = SCTPNG_ENG_PR_TTL;
        si.pr_value = c->reliability;
        break;
    default:
        break;
    }
    return si;
}

static int queue(struct dc *d, const sctpng_eng_sndinfo *si, const uint8_t *data, size_t len)
{
    struct dc_pending *p = malloc(sizeof(*p) + len);
    if (!p)
        return -ENOMEM;
    p->next = NULL;
    p->info = *si;
    p->len = len;
    memcpy(p->data, data, len);
    if (d->tail)
        d->tail->next = p;
    else
        d->head = p;
    d->tail = p;
    return 0;
}

/* Sends now, or queues behind earlier refused messages (keeping order). */
static int send_msg(struct dc *d, const sctpng_eng_sndinfo *si, const uint8_t *data, size_t len,
                    uint64_t now)
{
    if (!d->head) {
        ssize_t r = sctpng_eng_send(d->eng, d->assoc, data, len, si, now);
        if (r >= 0) {
            d->msgs_out++;
            return 0;
        }
        if (r != -EAGAIN)
            return (int)r;
    }
    return queue(d, si, data, len);
}

void dc_flush(struct dc *d, uint64_t now)
{
    while (d->head) {
        struct dc_pending *p = d->head;
        ssize_t r = sctpng_eng_send(d->eng, d->assoc, p->data, p->len, &p->info, now);
        if (r == -EAGAIN)
            return;
        if (r >= 0)
            d->msgs_out++;
        else if (d->cb.error)
            d->cb.error(d->ctx, "queued send refused by the engine");
        d->head = p->next;
        if (!d->head)
            d->tail = NULL;
        free(p);
    }
}

size_t dc_pending_count(const struct dc *d)
{
    size_t n = 0;
    for (const struct dc_pending *p = d->head; p; p = p->next)
        n++;
    return n;
}

int dc_open(struct dc *d, const char *label, const char *protocol, uint8_t type,
            uint32_t reliability, uint64_t now)
{
    sctpng_eng_status st;
    int r = sctpng_eng_get_status(d->eng, d->assoc, &st);
    if (r < 0)
        return r;
    unsigned limit = st.out_streams < DC_MAX_STREAMS ? st.out_streams : DC_MAX_STREAMS;
    unsigned sid = d->dtls_client ? 0 : 1;
    while (sid < limit && d->ch[sid].open)
        sid += 2;
    if (sid >= limit)
        return -ENOSPC;
    struct dc_chan *c = &d->ch[sid];
    memset(c, 0, sizeof(*c));
    snprintf(c->label, sizeof(c->label), "%s", label);
    snprintf(c->protocol, sizeof(c->protocol), "%s", protocol);
    c->type = type;
    c->reliability = reliability;
    c->open = true;
    struct dcep_open o = {.channel_type = type,
                          .reliability = reliability,
                          .label = (const uint8_t *)c->label,
                          .label_len = (uint16_t)strlen(c->label),
                          .protocol = (const uint8_t *)c->protocol,
                          .protocol_len = (uint16_t)strlen(c->protocol)};
    uint8_t buf[DCEP_OPEN_HEADER + 512];
    int n = dcep_write_open(buf, sizeof(buf), &o);
    /* DCEP itself is always reliable and ordered. */
    sctpng_eng_sndinfo si = {.stream = (uint16_t)sid, .ppid = PPID_DCEP};
    r = n < 0 ? n : send_msg(d, &si, buf, (size_t)n, now);
    if (r < 0) {
        c->open = false;
        return r;
    }
    return (int)sid;
}

int dc_send(struct dc *d, uint16_t sid, bool binary, const uint8_t *data, size_t len, uint64_t now)
{
    if (sid >= DC_MAX_STREAMS || !d->ch[sid].open)
        return -ENOENT;
    if (len > DC_MAX_MESSAGE)
        return -EMSGSIZE;
    static const uint8_t zero = 0; /* an empty message travels as one byte */
    sctpng_eng_sndinfo si = channel_info(d, sid, dcep_ppid_for(binary, len));
    return send_msg(d, &si, len ? data : &zero, len ? len : 1, now);
}

static void on_dcep(struct dc *d, uint16_t sid, const uint8_t *m, size_t len, uint64_t now)
{
    struct dc_chan *c = &d->ch[sid];
    if (dcep_is_ack(m, len)) {
        if (c->open && !c->acked) {
            c->acked = true;
            if (d->cb.acked)
                d->cb.acked(d->ctx, sid);
        }
        return;
    }
    struct dcep_open o;
    if (dcep_parse_open(m, len, &o) < 0) {
        if (d->cb.error)
            d->cb.error(d->ctx, "malformed DCEP message");
        return;
    }
    if (c->open) {
        if (d->cb.error)
            d->cb.error(d->ctx, "DATA_CHANNEL_OPEN on a stream in use");
        return;
    }
    memset(c, 0, sizeof(*c));
    c->open = c->acked = true;
    c->type = o.channel_type;
    c->reliability = o.reliability;
    c->priority = o.priority;
    snprintf(c->label, sizeof(c->label), "%.*s", (int)(o.label_len < 255 ? o.label_len : 255),
             (const char *)o.label);
    snprintf(c->protocol, sizeof(c->protocol), "%.*s",
             (int)(o.protocol_len < 255 ? o.protocol_len : 255), (const char *)o.protocol);
    static const uint8_t ack = DCEP_ACK;
    sctpng_eng_sndinfo si = {.stream = sid, .ppid = PPID_DCEP};
    if (send_msg(d, &si, &ack, 1, now) < 0 && d->cb.error)
        d->cb.error(d->ctx, "could not send DATA_CHANNEL_ACK");
    if (d->cb.opened)
        d->cb.opened(d->ctx, sid, c);
}

static void dispatch(struct dc *d, const sctpng_eng_rcvinfo *ri, const uint8_t *msg, size_t len,
                     uint64_t now)
{
    bool empty;
    int kind = dcep_ppid_kind(ri->ppid, &empty);
    if (ri->stream >= DC_MAX_STREAMS || kind < 0) {
        if (d->cb.error)
            d->cb.error(d->ctx, "message on an unknown stream or PPID");
        return;
    }
    if (kind == 0) {
        on_dcep(d, ri->stream, msg, len, now);
        return;
    }
    if (!d->ch[ri->stream].open) {
        if (d->cb.error)
            d->cb.error(d->ctx, "message on a stream with no channel");
        return;
    }
    d->msgs_in++;
    if (d->cb.message)
        d->cb.message(d->ctx, ri->stream, kind == 2, msg, empty ? 0 : len);
}

/* The slot of the message of stream sid being reassembled, or a free
 * one; NULL if all are taken (more partial deliveries than slots). */
static struct dc_rx *rx_slot(struct dc *d, uint16_t sid)
{
    struct dc_rx *free_slot = NULL;
    for (unsigned i = 0; i < DC_RX_SLOTS; i++) {
        struct dc_rx *x = &d->rx[i];
        if (x->used && x->sid == sid)
            return x;
        if (!x->used && !free_slot)
            free_slot = x;
    }
    if (!free_slot || (!free_slot->buf && !(free_slot->buf = malloc(DC_MAX_MESSAGE))))
        return NULL;
    free_slot->used = true;
    free_slot->sid = sid;
    free_slot->len = 0;
    free_slot->drop = false;
    return free_slot;
}

void dc_receive(struct dc *d, uint64_t now)
{
    uint8_t buf[65536];
    for (;;) {
        sctpng_eng_rcvinfo ri;
        ssize_t n = sctpng_eng_recv(d->eng, d->assoc, buf, sizeof(buf), &ri);
        if (n < 0)
            return;
        /* The engine hands a message over in order, possibly in parts;
         * with I-DATA the parts of several streams' messages alternate. */
        struct dc_rx *x = rx_slot(d, ri.stream);
        if (!x) {
            d->dropped++;
            if (d->cb.error)
                d->cb.error(d->ctx, "too many messages in pieces at once: a piece dropped");
            continue;
        }
        if (!x->drop && x->len + (size_t)n <= DC_MAX_MESSAGE) {
            memcpy(x->buf + x->len, buf, (size_t)n);
            x->len += (size_t)n;
        } else {
            x->drop = true;
        }
        if (!ri.complete)
            continue;
        if (x->drop) {
            d->dropped++;
            if (d->cb.error)
                d->cb.error(d->ctx, "message larger than our max-message-size dropped");
        } else {
            dispatch(d, &ri, x->buf, x->len, now);
        }
        x->used = false;
    }
}
