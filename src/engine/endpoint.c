/* Endpoint services: the random source, associations by id, and the
 * queue of stateless replies (INIT-ACK, out-of-the-blue answers, final
 * ABORT and SHUTDOWN-COMPLETE), allocated once so that unsolicited traffic
 * never makes the endpoint allocate. */
#include <string.h>

#include "engine/internal.h"

uint32_t ep_random32(struct sctpng_eng *ep)
{
    uint8_t b[4];
    uint32_t v;
    do {
        ep->cfg.random(ep->cfg.random_ctx, b, sizeof(b));
        v = ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
    } while (v == 0); /* tags must be non-zero; harmless for TSNs */
    return v;
}

uint32_t ep_mtu(const struct sctpng_eng *ep)
{
    return ep->cfg.mtu;
}

struct assoc *ep_find_assoc(struct sctpng_eng *ep, uint32_t id)
{
    for (struct assoc *a = ep->assocs; a; a = a->next)
        if (a->id == id)
            return a;
    return NULL;
}

struct reply *ep_reply_slot(struct sctpng_eng *ep, const sctpng_eng_path *to)
{
    if (ep->reply_count == REPLY_SLOTS) {
        ep->stats.replies_dropped++;
        return NULL;
    }
    struct reply *r = &ep->replies[(ep->reply_head + ep->reply_count) % REPLY_SLOTS];
    ep->reply_count++;
    r->to = *to;
    r->len = 0;
    return r;
}

ssize_t ep_take_reply(struct sctpng_eng *ep, uint8_t *buf, size_t cap, sctpng_eng_path *to)
{
    struct reply *r = &ep->replies[ep->reply_head];
    ep->reply_head = (ep->reply_head + 1) % REPLY_SLOTS;
    ep->reply_count--;
    if (r->len == 0 || r->len > cap)
        return 0;
    memcpy(buf, r->buf, r->len);
    *to = r->to;
    return (ssize_t)r->len;
}

void ep_reply_chunk(struct sctpng_eng *ep, const sctpng_eng_path *to, uint16_t src, uint16_t dst,
                    uint32_t vtag, uint8_t type, uint8_t flags, uint16_t code, const void *info,
                    size_t len)
{
    struct reply *r = ep_reply_slot(ep, to);
    if (!r)
        return;
    struct pkt_writer w;
    pw_init(&w, r->buf, ep->cfg.mtu, src, dst, vtag);
    if (pw_cause_chunk(&w, type, flags, code, info, len) < 0) {
        ep->reply_count--;
        return;
    }
    r->len = pw_finish(&w);
}
