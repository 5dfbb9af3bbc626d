/* Packet assembly for one association: one packet per call, bundling
 * control chunks, SACK and DATA for the same destination (RFC 9260 6.10). */
#include <string.h>

#include "engine/check.h"
#include "engine/internal.h"

static ssize_t finish(struct assoc *a, struct pkt_writer *w, unsigned i, sctpng_eng_path *to)
{
    if (w->nchunks == 0)
        return 0;
    to->remote = a->paths[i].addr;
    to->local = a->paths[i].local;
    a->paths[i].pkts_sent++;
    return (ssize_t)pw_finish(w);
}

static bool data_states(const struct assoc *a)
{
    return a->state == SCTPNG_ENG_ESTABLISHED || a->state == SCTPNG_ENG_SHUTDOWN_PENDING ||
           a->state == SCTPNG_ENG_SHUTDOWN_RECEIVED;
}

/* INIT or COOKIE-ECHO while setting up. */
static ssize_t out_setup(struct assoc *a, uint64_t now, struct pkt_writer *w, sctpng_eng_path *to)
{
    unsigned i = a->primary;
    if (a->state == SCTPNG_ENG_COOKIE_WAIT && (a->ctl & CTL_INIT)) {
        pw_set_vtag(w, 0);
        if (!hs_write_init(a, w))
            return 0;
        a->ctl &= ~(unsigned)CTL_INIT;
    } else if (a->state == SCTPNG_ENG_COOKIE_ECHOED && (a->ctl & CTL_COOKIE_ECHO)) {
        if (!pw_chunk_copy(w, CT_COOKIE_ECHO, 0, a->cookie, a->cookie_len))
            return 0;
        a->ctl &= ~(unsigned)CTL_COOKIE_ECHO;
    } else {
        return 0;
    }
    a->t1_sent_ns = now;
    return finish(a, w, i, to);
}

/* HEARTBEAT-ACK to the path the HEARTBEAT came on, and our HEARTBEATs. */
static ssize_t out_path_ctl(struct assoc *a, uint64_t now, struct pkt_writer *w,
                            sctpng_eng_path *to)
{
    if (a->ctl & CTL_HB_ACK) {
        a->ctl &= ~(unsigned)CTL_HB_ACK;
        if (pw_chunk_copy(w, CT_HEARTBEAT_ACK, 0, a->hb_ack, a->hb_ack_len))
            return finish(a, w, a->ctl_path, to);
        return 0;
    }
    if (a->state < SCTPNG_ENG_ESTABLISHED)
        return 0;
    for (unsigned i = 0; i < a->n_paths; i++) {
        if (a->paths[i].hb_send_now && ctl_write_heartbeat(a, w, i, now) == 0)
            return finish(a, w, i, to);
    }
    return 0;
}

/* 6.4.1: a chunk that timed out goes to another active address than the one
 * it was lost on, if there is one. */
static unsigned rtx_path(const struct assoc *a, unsigned i)
{
    if (!a->rtx_marked || a->fast_rtx_now || a->n_paths < 2)
        return i;
    const struct tchunk *c = a->tx_head;
    while (c && c != a->unsent && !c->marked)
        c = c->next;
    if (!c || c == a->unsent || c->path != i)
        return i;
    for (unsigned k = 0; k < a->n_paths; k++)
        if (k != i && a->paths[k].state == SCTPNG_ENG_PATH_ACTIVE)
            return k;
    return i;
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
    unsigned i = rtx_path(a, assoc_data_path(a));
    if (a->ctl & CTL_COOKIE_ACK && pw_chunk(&w, CT_COOKIE_ACK, 0, 0))
        a->ctl &= ~(unsigned)CTL_COOKIE_ACK;
    if (a->ctl & CTL_SHUTDOWN_ACK && pw_chunk(&w, CT_SHUTDOWN_ACK, 0, 0))
        a->ctl &= ~(unsigned)CTL_SHUTDOWN_ACK;
    if (a->ctl & CTL_ERROR && pw_chunk_copy(&w, CT_ERROR, 0, a->err, a->err_len))
        a->ctl &= ~(unsigned)CTL_ERROR;
    bool want_data = data_states(a) && (a->rtx_marked || a->unsent);
    if ((a->sack_now || (a->sack_pending && want_data)) && a->state != SCTPNG_ENG_CLOSED)
        rx_write_sack(a, &w);
    if (a->ctl & CTL_SHUTDOWN && pw_shutdown(&w, a->tmap.cum) == 0)
        a->ctl &= ~(unsigned)CTL_SHUTDOWN;
    if (a->ctl & CTL_FWD_TSN && tx_write_fwd_tsn(a, &w, now) == 0)
        a->ctl &= ~(unsigned)CTL_FWD_TSN;
    if (want_data)
        tx_write_data(a, &w, i, now, false);
    return finish(a, &w, i, to);
}
