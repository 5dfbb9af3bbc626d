/* Receive side of an association: DATA acceptance against the TSN map and
 * the receive window, SACK timing (delayed SACK every second packet or
 * 200 ms; immediate for the first DATA, on gaps and when one is filled, on
 * duplicates and the I bit), window updates after
 * reads, and FORWARD-TSN (RFC 9260 6.2, 6.7; RFC 3758 3.6). */
#include <string.h>

#include "engine/check.h"
#include "engine/internal.h"
#include "engine/wire.h"

uint32_t rx_rwnd(const struct assoc *a)
{
    uint32_t held = reasm_held(&a->reasm), w = a->ep->cfg.rwnd;
    return held < w ? w - held : 0;
}

static void note_readable(struct assoc *a)
{
    if (!reasm_readable(&a->reasm))
        return;
    ep_rd_push(a); /* nothing if it is in the readable ring already */
    if (!a->ready_reported) {
        a->ready_reported = true;
        ev_simple(a, SCTPNG_ENG_EV_DATA_READY);
    }
}

/* Room for this chunk? Past the window we still take the chunk that fills
 * the first hole (with a bounded overdraft), or a full window of
 * out-of-order data could never drain. */
static bool window_allows(const struct assoc *a, uint32_t tsn, uint16_t len)
{
    uint32_t held = reasm_held(&a->reasm), w = a->ep->cfg.rwnd;
    if (held + len <= w)
        return true;
    return tsn == a->tmap.cum + 1 && held + len <= w + w / 4;
}

void rx_partial(struct assoc *a)
{
    if (reasm_held(&a->reasm) >= a->ep->cfg.rwnd)
        reasm_partial(&a->reasm);
    else if (a->tune.pd_point)
        reasm_partial_at(&a->reasm, a->tune.pd_point);
}

/* A DATA or I-DATA chunk, decoded. */
static int take_data(struct assoc *a, const struct data_chunk *dp, unsigned path)
{
    struct sctpng_eng *ep = a->ep;
    struct data_chunk d = *dp;
    if (d.len == 0) { /* 6.2: no user data: ABORT */
        uint8_t v[4];
        put32(v, d.tsn);
        assoc_abort(a, CAUSE_NO_USER_DATA, v, 4, SCTPNG_ENG_DOWN_COMM_LOST);
        return -1;
    }
    a->pkt_data = true;
    a->sack_pending = true;
    a->last_data_path = path;
    if (d.flags & DATA_FLAG_I)
        a->sack_now = true;
    if (tsn_map_has(&a->tmap, d.tsn)) {
        tsn_map_add(&a->tmap, d.tsn); /* records the duplicate */
        a->st.dup_tsns_recvd++;
        a->sack_now = true;
        return 0;
    }
    if (d.tsn - a->tmap.cum > TSNMAP_MAX_SPAN || !window_allows(a, d.tsn, d.len)) {
        a->sack_now = true; /* dropped: tell the peer where we stand */
        return 0;
    }
    if (d.sid >= a->mis) { /* 6.5: report, and treat the TSN as received */
        uint8_t v[4] = {(uint8_t)(d.sid >> 8), (uint8_t)d.sid, 0, 0};
        assoc_set_error(a, CAUSE_INVALID_STREAM, v, 4);
        tsn_map_add(&a->tmap, d.tsn);
        a->sack_now = true;
        return 0;
    }
    struct tchunk *t = pool_get(&ep->pool, d.len);
    if (!t)
        return 0;
    if (reasm_streams(&a->reasm) < 0) { /* out of memory: as if lost */
        pool_put(&ep->pool, t);
        return 0;
    }
    bool had_gap = a->tmap.nranges != 0;
    bool above_next = d.tsn != a->tmap.cum + 1;
    if (tsn_map_add(&a->tmap, d.tsn) < 0) {
        pool_put(&ep->pool, t);
        a->sack_now = true;
        return 0;
    }
    a->st.data_chunks_recvd++;
    a->st.unordered_chunks_recvd += (d.flags & DATA_FLAG_U) != 0;
    a->st.out_of_seq_tsns += above_next;
    t->tsn = d.tsn;
    t->sid = d.sid;
    t->ssn = d.ssn;
    t->fsn = d.fsn;
    t->idata = (a->ext & EXT_IDATA) != 0;
    t->ppid = d.ppid;
    t->flags = d.flags & (DATA_FLAG_B | DATA_FLAG_E | DATA_FLAG_U);
    t->len = d.len;
    t->path = (uint8_t)path; /* where the reader's rcvinfo says it came from */
    memcpy(t->data, d.data, d.len);
    /* 6.7: SACK at once while there is a gap, and for the packet that
     * fills one: the sender is waiting on it to leave fast recovery, and a
     * delayed SACK would race its T3 timer. */
    if (a->tmap.nranges || had_gap)
        a->sack_now = true;
    a->reasm.cum = a->tmap.cum; /* the FSN rule's view (reasm_fsn.c) */
    reasm_insert(&a->reasm, t);
    rx_partial(a);
    note_readable(a);
    return 0;
}

/* 10.1 / RFC 8260 2.2: the association uses I-DATA or DATA, never both;
 * the other kind is a protocol violation. */
static int wrong_kind(struct assoc *a, const struct chunk *c)
{
    static const char why[] = "DATA and I-DATA mixed";
    (void)c;
    assoc_abort(a, CAUSE_PROTOCOL_VIOLATION, why, sizeof(why) - 1, SCTPNG_ENG_DOWN_COMM_LOST);
    return -1;
}

int rx_data(struct assoc *a, const struct chunk *c, unsigned path, uint64_t now)
{
    ENG_ASSERT(path < a->n_paths && !a->zombie);
    struct data_chunk d = {0};
    if (a->ext & EXT_IDATA)
        return wrong_kind(a, c);
    if (chunk_data_decode(c, &d) < 0) {
        a->ep->stats.drop_malformed++;
        return 0;
    }
    if (a->tune.autoclose_ms)
        assoc_autoclose(a, now); /* SCTP_AUTOCLOSE: not idle */
    return take_data(a, &d, path);
}

int rx_idata(struct assoc *a, const struct chunk *c, unsigned path, uint64_t now)
{
    ENG_ASSERT(path < a->n_paths && !a->zombie);
    struct data_chunk d = {0};
    if (!(a->ext & EXT_IDATA))
        return wrong_kind(a, c);
    if (chunk_idata_decode(c, &d) < 0) {
        a->ep->stats.drop_malformed++;
        return 0;
    }
    if (a->tune.autoclose_ms)
        assoc_autoclose(a, now);
    return take_data(a, &d, path);
}

void rx_end_of_packet(struct assoc *a, uint64_t now)
{
    if (!a->pkt_data)
        return;
    a->pkt_data = false;
    if (a->state == SCTPNG_ENG_SHUTDOWN_SENT) {
        /* 9.2: answer each DATA packet with SHUTDOWN (and a SACK for gaps) */
        assoc_queue_ctl(a, CT_SHUTDOWN);
        a->sack_now = true;
        timer_set(&a->tm, TMR_T2, now + path_rto(a, assoc_data_path(a)));
        return;
    }
    if (!a->got_data) { /* 5.1: the first DATA chunk is acknowledged at once */
        a->got_data = true;
        a->sack_now = true;
    } else if (++a->sack_pkts >= a->tune.sack_freq || a->tune.sack_delay_ms == 0) {
        a->sack_now = true;
    } else {
        timer_start(&a->tm, TMR_SACK, now + a->tune.sack_delay_ms * MS);
    }
}

void rx_on_sack_timer(struct assoc *a)
{
    a->sack_now = true;
}

void rx_fwd_tsn(struct assoc *a, const struct chunk *c, uint64_t now)
{
    struct fwd_tsn_chunk f;
    (void)now;
    if (chunk_fwd_tsn_decode(c, &f) < 0) {
        a->ep->stats.drop_malformed++;
        return;
    }
    a->st.fwd_tsn_recvd++;
    a->sack_now = true;
    a->sack_pending = true;
    if (!tsn_gt(f.new_cum, a->tmap.cum))
        return;
    tsn_map_forward(&a->tmap, f.new_cum);
    reasm_forward(&a->reasm, f.new_cum, f.streams, f.nstreams);
    reasm_set_cum(&a->reasm, a->tmap.cum);
    note_readable(a);
}

void rx_ifwd_tsn(struct assoc *a, const struct chunk *c, uint64_t now)
{
    struct ifwd_tsn_chunk f;
    (void)now;
    if (chunk_ifwd_tsn_decode(c, &f) < 0) {
        a->ep->stats.drop_malformed++;
        return;
    }
    a->st.fwd_tsn_recvd++;
    a->sack_now = true;
    a->sack_pending = true;
    if (!tsn_gt(f.new_cum, a->tmap.cum))
        return;
    tsn_map_forward(&a->tmap, f.new_cum);
    reasm_iforward(&a->reasm, f.new_cum, f.entries, f.n);
    reasm_set_cum(&a->reasm, a->tmap.cum);
    note_readable(a);
}

void rx_after_read(struct assoc *a)
{
    if (!reasm_readable(&a->reasm))
        a->ready_reported = false;
    if (a->zombie)
        return;
    /* Window update: tell the peer once the window has opened by a
     * meaningful amount since we last advertised it (SWS avoidance). */
    uint32_t now_w = rx_rwnd(a), step = a->ep->cfg.rwnd / 4;
    if (step < 2 * a->ep->cfg.mtu)
        step = 2 * a->ep->cfg.mtu;
    if (now_w > a->advertised_rwnd && now_w - a->advertised_rwnd >= step)
        a->sack_now = true;
}

int rx_write_sack(struct assoc *a, struct pkt_writer *w)
{
    uint16_t gaps[2 * TSNMAP_MAX_RANGES];
    uint32_t dups[TSNMAP_MAX_DUPS];
    size_t room = pw_room(w);
    if (room < 12)
        return -1;
    uint16_t maxg = (uint16_t)((room - 12) / 4);
    if (maxg > TSNMAP_MAX_RANGES)
        maxg = TSNMAP_MAX_RANGES;
    uint16_t ng = tsn_map_gaps(&a->tmap, gaps, maxg);
    uint16_t maxd = (uint16_t)((room - 12 - 4u * ng) / 4);
    if (maxd > TSNMAP_MAX_DUPS)
        maxd = TSNMAP_MAX_DUPS;
    uint16_t nd = a->tmap.ndups < maxd ? a->tmap.ndups : maxd;
    if (nd)
        memcpy(dups, a->tmap.g->dups, nd * sizeof(uint32_t));
    uint32_t rwnd = rx_rwnd(a);
    if (pw_sack(w, a->tmap.cum, rwnd, gaps, ng, dups, nd) < 0)
        return -1;
    a->tmap.ndups = 0;
    a->advertised_rwnd = rwnd;
    a->sack_now = a->sack_pending = false;
    a->sack_pkts = 0;
    timer_stop(&a->tm, TMR_SACK);
    a->st.sacks_sent++;
    return 0;
}
