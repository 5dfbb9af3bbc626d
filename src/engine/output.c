/* Packet assembly for one association: one packet per call, bundling
 * control chunks, SACK and DATA for the same destination (RFC 9260 6.10).
 * Control chunks come from the association's queue (ctlq.h) in its
 * priority order; each kind has a writer here. */
#include <string.h>

#include "engine/check.h"
#include "engine/internal.h"

static ssize_t finish(struct assoc *a, struct pkt_writer *w, unsigned i, sctpng_eng_path *to)
{
    if (w->nchunks == 0)
        return 0;
    auth_sign_packet(a, w, a->ep->cfg.mtu); /* RFC 4895: AUTH before what the peer wants signed */
    to->remote = path_sa_get(&a->paths[i].addr);
    to->local = path_sa_get(&a->paths[i].local);
    a->paths[i].pkts_sent++;
    a->ep->out_qos = a->paths[i].qos;
    a->st.pkts_sent++;
    a->st.ctrl_chunks_sent += (uint64_t)(w->nchunks - w->ndata);
    /* RFC 9653: a packet with INIT never goes without its CRC; INIT only
     * leaves before the peer's answer, when the bit cannot be set yet. */
    return (ssize_t)((a->ext & EXT_ZERO_CSUM) ? pw_finish_zero(w) : pw_finish(w));
}

static bool data_states(const struct assoc *a)
{
    return a->state == SCTPNG_ENG_ESTABLISHED || a->state == SCTPNG_ENG_SHUTDOWN_PENDING ||
           a->state == SCTPNG_ENG_SHUTDOWN_RECEIVED;
}

/* Writes one queued control chunk; true if it fit. */
static bool write_ctl(struct assoc *a, struct pkt_writer *w, const struct ctl_item *it,
                      uint64_t now)
{
    switch (it->type) {
    case CT_INIT:
        pw_set_vtag(w, 0);
        return hs_write_init(a, w) != 0;
    case CT_COOKIE_ECHO:
        return pw_chunk_copy(w, CT_COOKIE_ECHO, 0, a->cookie, a->cookie_len) != NULL;
    case CT_HEARTBEAT:
        return ctl_write_heartbeat(a, w, it->path, now) == 0;
    case CT_SHUTDOWN:
        return pw_shutdown(w, a->tmap.cum) == 0;
    case CT_FORWARD_TSN:
        return tx_write_fwd_tsn(a, w, now) == 0;
    case CT_RECONF:
        return reconf_write(a, w) == 0;
    case CT_HEARTBEAT_ACK:
    case CT_ERROR:
    case CT_ASCONF: /* RFC 5061 (addip.c): a value made when queued */
    case CT_ASCONF_ACK:
        return pw_chunk_copy(w, it->type, 0, it->val, it->len) != NULL;
    default: /* COOKIE-ACK, SHUTDOWN-ACK: no value */
        return pw_chunk(w, it->type, 0, 0) != NULL;
    }
}

/* INIT or COOKIE-ECHO while setting up. */
static ssize_t out_setup(struct assoc *a, uint64_t now, struct pkt_writer *w, sctpng_eng_path *to)
{
    uint8_t type = a->state == SCTPNG_ENG_COOKIE_WAIT ? CT_INIT : CT_COOKIE_ECHO;
    struct ctl_item *it = ctlq_find(&a->ctlq, type, CTL_ANY_PATH);
    if (!it || !write_ctl(a, w, it, now))
        return 0;
    ctlq_remove(&a->ctlq, &a->ep->mem, it);
    a->t1_sent_ns = now;
    return finish(a, w, a->primary, to);
}

/* HEARTBEAT-ACK to the path the HEARTBEAT came on, and our HEARTBEATs:
 * each alone in its packet. */
static ssize_t out_path_ctl(struct assoc *a, uint64_t now, struct pkt_writer *w,
                            sctpng_eng_path *to)
{
    struct ctl_item *it = ctlq_find(&a->ctlq, CT_HEARTBEAT_ACK, CTL_ANY_PATH);
    if (it) {
        unsigned path = it->path;
        bool ok = write_ctl(a, w, it, now);
        ctlq_remove(&a->ctlq, &a->ep->mem, it);
        return ok ? finish(a, w, path, to) : 0;
    }
    if (a->state < SCTPNG_ENG_ESTABLISHED)
        return 0;
    for (unsigned i = 0; i < a->n_paths; i++) {
        it = ctlq_find(&a->ctlq, CT_HEARTBEAT, (uint8_t)i);
        if (it && write_ctl(a, w, it, now)) {
            ctlq_remove(&a->ctlq, &a->ep->mem, it);
            return finish(a, w, i, to);
        }
    }
    /* PLPMTUD probes (plpmtud.c): alone, of their own size, outside cwnd */
    for (unsigned i = 0; i < a->n_paths; i++)
        if (pl_probe_pending(a, i) && pl_write_probe(a, w, i, now) == 0)
            return finish(a, w, i, to);
    return 0;
}

/* Bundles the queued chunks of priority [lo, hi) that go wherever the
 * packet goes; those that do not fit wait for the next packet. */
static void out_bundle(struct assoc *a, struct pkt_writer *w, int lo, int hi, uint64_t now)
{
    struct ctl_item *it = a->ctlq.head;
    while (it) {
        struct ctl_item *next = it->next;
        if (it->prio >= hi)
            break;
        if (it->prio >= lo && it->path == CTL_ANY_PATH && write_ctl(a, w, it, now))
            ctlq_remove(&a->ctlq, &a->ep->mem, it);
        it = next;
    }
}

/* 6.4.1: a chunk that timed out goes to another active address than the one
 * it was lost on, if there is one. */
static unsigned rtx_path(const struct assoc *a, unsigned i)
{
    if (!a->rtx_marked || a->fast_rtx_now || a->n_paths < 2)
        return i;
    const struct tchunk *c = a->tx_head;
    while (c && !c->marked)
        c = c->next;
    if (!c || c->path != i)
        return i;
    for (unsigned k = 0; k < a->n_paths; k++)
        if (k != i && a->paths[k].state == SCTPNG_ENG_PATH_ACTIVE)
            return k;
    return i;
}

/* 6.4: a SACK goes back to the address the DATA came from, as Linux does
 * (last_data_from): the path our data takes may be dead the other way
 * (the peer's primary cut), and a SACK sent there is lost while the peer
 * retransmits on the path that works. Used while that path is active;
 * else the SACK goes with the data. */
static unsigned sack_path(const struct assoc *a, unsigned data_path)
{
    unsigned k = a->last_data_path;
    if (k < a->n_paths && k != data_path && a->paths[k].state == SCTPNG_ENG_PATH_ACTIVE)
        return k;
    return data_path;
}

/* The packet fits the path's MTU (lowered by ICMP, icmp.c); only an
 * oversized DATA chunk may widen it (tx.c). */
static void fit_path(const struct assoc *a, struct pkt_writer *w, size_t cap, unsigned i)
{
    w->cap = cap > a->paths[i].mtu ? a->paths[i].mtu : cap;
    w->cap -= auth_overhead(a); /* room for the AUTH chunk finish() inserts */
    if (w->cap < w->len)
        w->cap = w->len; /* chunks bundled already (small control chunks) stay */
}

ssize_t out_assoc(struct assoc *a, uint64_t now, uint8_t *buf, size_t cap, sctpng_eng_path *to)
{
    struct pkt_writer w;
    struct sctpng_eng *ep = a->ep;
    ENG_ASSERT(!a->zombie && cap >= ep->cfg.mtu);
    pw_init(&w, buf, cap, ep->cfg.local_port, a->peer_port, a->peer_vtag);
    if (a->state == SCTPNG_ENG_COOKIE_WAIT || a->state == SCTPNG_ENG_COOKIE_ECHOED)
        return out_setup(a, now, &w, to);
    ssize_t n = out_path_ctl(a, now, &w, to);
    if (n)
        return n;
    unsigned i = tx_new_path(a, rtx_path(a, assoc_data_path(a)));
    size_t cap0 = w.cap;
    fit_path(a, &w, cap0, i);
    /* setup chunks (priority 0) left over from a collision never go now */
    out_bundle(a, &w, 1, CTL_PRIO_SACK, now);
    /* Data held back for bundling (tx.c) does not pull a delayed SACK
     * forward; a packet that goes anyway takes what data is queued. */
    bool want_data = data_states(a) && (a->rtx_marked || tx_new_data_ready(a, &w));
    bool sack = (a->sack_now || (a->sack_pending && want_data)) && a->state != SCTPNG_ENG_CLOSED;
    /* a SACK due elsewhere than the data goes first, in its own packet */
    bool sack_alone = sack && sack_path(a, i) != i;
    if (sack_alone) {
        i = sack_path(a, i);
        fit_path(a, &w, cap0, i);
    }
    if (sack)
        rx_write_sack(a, &w);
    out_bundle(a, &w, CTL_PRIO_SACK + 1, 256, now);
    if (!sack_alone && (want_data || (w.nchunks && data_states(a) && outq_next(&a->outq))))
        tx_write_data(a, &w, i, now, false);
    /* A message abandoned while the data was written (tx.c) queued a
     * FORWARD-TSN: into this packet if it carries no DATA (control chunks
     * lead, 6.10), else into the next, which this packet's return asks
     * for. An empty return here would leave it queued until other traffic. */
    if (w.ndata == 0)
        out_bundle(a, &w, CTL_PRIO_SACK + 1, 256, now);
    return finish(a, &w, i, to);
}
