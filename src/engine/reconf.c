/* RFC 6525 stream reconfiguration: the RE-CONFIG chunk handler and the
 * association's requests. Our side: one request outstanding at a time,
 * its parameters numbered from the request sequence number (our initial
 * TSN first), sent again by TMR_RECONF until answered; the answers apply
 * it (SSNs to 0, streams added, TSNs restarted) and raise the events. The
 * peer's side: each request is taken in sequence-number order, answered by
 * a Re-configuration Response (a retransmitted one gets the same answer
 * again), except an Incoming SSN Reset or Add Incoming Streams we grant,
 * which our own Outgoing SSN Reset / Add Outgoing Streams request answers
 * (5.2.3, 5.2.6). An Outgoing SSN Reset whose last TSN has not arrived
 * yet waits ("in progress", 5.2.2) and is performed, and answered again,
 * as soon as the cumulative TSN reaches it. State is allocated at the
 * first request either way (reconf.h). */
#include <errno.h>
#include <string.h>

#include "engine/check.h"
#include "engine/internal.h"
#include "engine/reconf_wire.h"
#include "engine/wire.h"

static struct reconf *rc_get(struct assoc *a)
{
    if (!a->rc) {
        a->rc = mem_alloc(&a->ep->mem, sizeof(*a->rc));
        if (a->rc)
            a->rc->next_seq = a->local_itsn; /* 5.1.1: the initial TSN */
    }
    return a->rc;
}

static bool enabled(const struct assoc *a, unsigned bit)
{
    return (a->ep->cfg.reconf_enable & bit) != 0;
}

static bool sid_listed(const uint16_t *sids, uint16_t n, uint16_t sid)
{
    if (n == 0)
        return true;
    for (unsigned i = 0; i < n; i++)
        if (sids[i] == sid)
            return true;
    return false;
}

bool reconf_send_blocked(const struct assoc *a, uint16_t sid)
{
    const struct reconf *rc = a->rc;
    if (!rc)
        return false;
    return (rc->open & RK_TSN) || rc->tsn_drain ||
           ((rc->open & RK_OUT) && sid_listed(rc->out_sids, rc->n_out, sid));
}

/* Some unsent data (or a message in progress) on these outbound streams. */
static bool streams_busy(const struct assoc *a, const uint16_t *sids, uint16_t n)
{
    for (unsigned s = 0; s < a->outq.n && s < a->os; s++)
        if (sid_listed(sids, n, (uint16_t)s) && a->outq.st[s].head)
            return true;
    return false;
}

static uint16_t *copy_sids(struct assoc *a, const uint16_t *sids, size_t n)
{
    if (!n)
        return NULL;
    uint16_t *p = mem_alloc(&a->ep->mem, n * sizeof(*p));
    if (p)
        memcpy(p, sids, n * sizeof(*p));
    return p;
}

/* Our request leaves now, and again after each RTO until answered. */
static void start_request(struct assoc *a, uint64_t now)
{
    struct reconf *rc = a->rc;
    rc->send_req = true;
    rc->rtx = 0;
    assoc_queue_ctl(a, CT_RECONF);
    timer_set(&a->tm, TMR_RECONF, now + path_rto(a, a->primary));
    ep_touch(a);
}

static void end_request(struct assoc *a)
{
    struct reconf *rc = a->rc;
    rc->open = 0;
    rc->send_req = false;
    mem_free(&a->ep->mem, rc->out_sids);
    mem_free(&a->ep->mem, rc->in_sids);
    rc->out_sids = rc->in_sids = NULL;
    rc->n_out = rc->n_in = 0;
    timer_stop(&a->tm, TMR_RECONF);
}

/* Outgoing SSN Reset Request of ours; resp_seq: the peer's request it
 * answers, or the last one we saw (5.1.2). */
static int request_out(struct assoc *a, const uint16_t *sids, size_t n, uint32_t resp_seq,
                       uint64_t now)
{
    struct reconf *rc = a->rc;
    uint16_t *copy = copy_sids(a, sids, n);
    if (n && !copy)
        return -ENOMEM;
    rc->out_sids = copy;
    rc->n_out = (uint16_t)n;
    rc->seq[0] = rc->next_seq++;
    rc->out_resp_seq = resp_seq;
    rc->out_last_tsn = a->next_tsn - 1;
    rc->open |= RK_OUT;
    start_request(a, now);
    return 0;
}

static uint32_t last_peer_seq(const struct reconf *rc)
{
    return rc->peer_next - 1;
}

int reconf_request_streams(struct assoc *a, unsigned dir, const uint16_t *sids, size_t n,
                           uint64_t now)
{
    for (size_t i = 0; i < n; i++)
        if (((dir & SCTPNG_ENG_RESET_OUT) && sids[i] >= a->os) ||
            ((dir & SCTPNG_ENG_RESET_IN) && sids[i] >= a->mis))
            return -EINVAL;
    if (SCTP_HDR_LEN + CHUNK_HDR_LEN + 16 + 8 + 4 * n > a->paths[a->primary].mtu)
        return -EINVAL; /* both lists must fit one packet */
    if (a->rc && a->rc->open)
        return -EINPROGRESS;
    if ((dir & SCTPNG_ENG_RESET_OUT) && streams_busy(a, sids, (uint16_t)n))
        return -EAGAIN;
    struct reconf *rc = rc_get(a);
    if (!rc)
        return -ENOMEM;
    /* the parameters are numbered in the order they are written: the
     * Outgoing SSN Reset first (put_request) */
    if ((dir & SCTPNG_ENG_RESET_OUT) && request_out(a, sids, n, last_peer_seq(rc), now) < 0)
        return -ENOMEM;
    if (dir & SCTPNG_ENG_RESET_IN) {
        uint16_t *copy = copy_sids(a, sids, n);
        if (n && !copy) {
            end_request(a);
            return -ENOMEM;
        }
        rc->in_sids = copy;
        rc->n_in = (uint16_t)n;
        rc->seq[1] = rc->next_seq++;
        rc->open |= RK_IN;
        start_request(a, now);
    }
    return 0;
}

int reconf_request_tsn(struct assoc *a, uint64_t now)
{
    if (a->rc && a->rc->open)
        return -EINPROGRESS;
    if (!sendq_all_acked(a))
        return -EAGAIN;
    struct reconf *rc = rc_get(a);
    if (!rc || reasm_hold_start(&a->reasm, a->tmap.cum) < 0)
        return -ENOMEM;
    rc->seq[2] = rc->next_seq++;
    rc->open = RK_TSN;
    start_request(a, now);
    return 0;
}

int reconf_request_add(struct assoc *a, uint16_t out, uint16_t in, uint64_t now)
{
    if ((uint32_t)a->os + out > 65535 || (uint32_t)a->mis + in > 65535)
        return -EINVAL;
    if (a->rc && a->rc->open)
        return -EINPROGRESS;
    struct reconf *rc = rc_get(a);
    if (!rc)
        return -ENOMEM;
    if (out) {
        rc->seq[3] = rc->next_seq++;
        rc->add_out = out;
        rc->open |= RK_ADD_OUT;
    }
    if (in) {
        rc->seq[4] = rc->next_seq++;
        rc->add_in = in;
        rc->open |= RK_ADD_IN;
    }
    start_request(a, now);
    return 0;
}

/* --- applying a reset ---------------------------------------------------- */

/* Held chunks went in (reasm_hold_end): what became readable is told as
 * rx.c tells it (the readable ring, DATA_READY once). */
static void note_readable(struct assoc *a)
{
    if (!reasm_readable(&a->reasm))
        return;
    ep_rd_push(a);
    if (!a->ready_reported) {
        a->ready_reported = true;
        ev_simple(a, SCTPNG_ENG_EV_DATA_READY);
    }
}

static void reset_out_streams(struct assoc *a, const uint16_t *sids, uint16_t n)
{
    for (unsigned s = 0; s < a->outq.n; s++)
        if (sid_listed(sids, n, (uint16_t)s))
            a->outq.st[s].next_ssn = 0;
}

/* The streams of a peer's list (big-endian) into host order; NULL with
 * n 0 (all). */
static void sids_host(const struct reconf_param *p, uint16_t *out)
{
    for (unsigned i = 0; i < p->nsids; i++)
        out[i] = reconf_sid(p, i);
}

static void reset_in_streams(struct assoc *a, const uint16_t *sids, uint16_t n)
{
    for (unsigned s = 0; s < a->mis; s++)
        if (sid_listed(sids, n, (uint16_t)s))
            reasm_reset_stream(&a->reasm, (uint16_t)s);
    ev_reconf(a, SCTPNG_ENG_EV_STREAM_RESET,
              &(struct reconf_ev){.flags = SCTPNG_ENG_RECONF_EV_INCOMING, .sids = sids, .n = n});
}

/* Both TSN spaces restart (5.2.4 / 5.2.7): we send from snd_next, the peer
 * from rcv_next; every sequence number of every stream is 0 again. The
 * requester (`ours`) has every TSN of the peer before rcv_next already,
 * and may hold some from rcv_next on (reasm_hold_start): its TSN map goes
 * on, the held chunks go in around the reset of its inbound streams. */
static void reset_assoc(struct assoc *a, uint32_t snd_next, uint32_t rcv_next, bool ours)
{
    a->next_tsn = snd_next;
    a->cum_acked = a->adv_ack = snd_next - 1;
    if (!ours || tsn_lt(a->tmap.cum + 1, rcv_next)) {
        tsn_map_destroy(&a->tmap);
        tsn_map_init(&a->tmap, &a->ep->mem, rcv_next);
    }
    reset_out_streams(a, NULL, 0);
    a->next_umid = 0;
    if (ours) {
        a->reasm.cum = a->tmap.cum;
        reasm_hold_end(&a->reasm, true, rcv_next);
        note_readable(a);
    } else
        for (unsigned s = 0; s < a->mis; s++)
            reasm_reset_stream(&a->reasm, (uint16_t)s);
    ev_reconf(a, SCTPNG_ENG_EV_ASSOC_RESET,
              &(struct reconf_ev){.flags = 0, .v = {snd_next, rcv_next}});
}

/* --- the peer's requests -------------------------------------------------- */

#define NO_ANSWER UINT32_MAX /* answered by a request of ours, not a response */

static void queue_resp(struct assoc *a, const struct reconf_resp *r)
{
    struct reconf *rc = a->rc;
    if (r->result == NO_ANSWER || rc->n_resp == RECONF_MAX_RESP)
        return; /* full: the peer sends its request again */
    rc->resp[rc->n_resp++] = *r;
    assoc_queue_ctl(a, CT_RECONF);
}

static struct reconf_resp *hist_find(struct reconf *rc, uint32_t seq)
{
    for (unsigned i = 0; i < rc->n_hist; i++)
        if (rc->hist[i].seq == seq)
            return &rc->hist[i];
    return NULL;
}

static void hist_add(struct reconf *rc, const struct reconf_resp *r)
{
    if (rc->n_hist == RECONF_HISTORY) {
        memmove(rc->hist, rc->hist + 1, (RECONF_HISTORY - 1) * sizeof(rc->hist[0]));
        rc->n_hist--;
    }
    rc->hist[rc->n_hist++] = *r;
}

static bool sids_valid(const struct reconf_param *p, uint16_t count)
{
    for (unsigned i = 0; i < p->nsids; i++)
        if (reconf_sid(p, i) >= count)
            return false;
    return true;
}

/* Our request parameter `k` was answered (by a response or implicitly). */
static void close_param(struct assoc *a, unsigned k)
{
    struct reconf *rc = a->rc;
    rc->open &= (uint8_t)~k;
    if (!rc->open)
        end_request(a);
}

static uint32_t peer_out_reset(struct assoc *a, const struct reconf_param *p)
{
    struct reconf *rc = a->rc;
    if ((rc->open & RK_IN) && p->resp_seq == rc->seq[1])
        close_param(a, RK_IN); /* 5.2.3: it answers our Incoming SSN Reset */
    if (!enabled(a, SCTPNG_ENG_RECONF_RESET_STREAMS))
        return RR_DENIED;
    if (!sids_valid(p, a->mis))
        return RR_WRONG_SSN;
    if (rc->open & RK_TSN)
        return RR_BUSY; /* our SSN/TSN reset holds arrivals: they must not
                           cross another reset */
    uint16_t sids[p->nsids ? p->nsids : 1];
    sids_host(p, sids);
    if (tsn_lt(a->tmap.cum, p->last_tsn)) { /* 5.2.2 E2: wait for the data */
        if (rc->deferred)
            return RR_BUSY;
        uint16_t *copy = copy_sids(a, sids, p->nsids);
        if (p->nsids && !copy)
            return RR_BUSY;
        rc->deferred = true;
        rc->def_seq = p->seq;
        rc->def_tsn = p->last_tsn;
        rc->def_sids = copy;
        rc->def_n = p->nsids;
        return RR_IN_PROGRESS;
    }
    reset_in_streams(a, sids, p->nsids);
    return RR_PERFORMED;
}

static uint32_t peer_in_reset(struct assoc *a, const struct reconf_param *p, uint64_t now,
                              bool *retry)
{
    struct reconf *rc = a->rc;
    if (!enabled(a, SCTPNG_ENG_RECONF_RESET_STREAMS))
        return RR_DENIED;
    if (!sids_valid(p, a->os))
        return RR_WRONG_SSN;
    if (rc->open)
        return RR_BUSY;
    uint16_t sids[p->nsids ? p->nsids : 1];
    sids_host(p, sids);
    if (streams_busy(a, sids, p->nsids)) {
        *retry = true; /* the same request is taken again when it comes back */
        return RR_IN_PROGRESS;
    }
    return request_out(a, sids, p->nsids, p->seq, now) < 0 ? RR_BUSY : NO_ANSWER;
}

static uint32_t peer_tsn_reset(struct assoc *a, struct reconf_resp *r, bool *retry)
{
    struct reconf *rc = a->rc;
    if (!enabled(a, SCTPNG_ENG_RECONF_RESET_ASSOC))
        return RR_DENIED;
    if (rc->open || rc->deferred)
        return RR_BUSY;
    if (!sendq_all_acked(a)) {
        *retry = true;
        rc->tsn_drain = true; /* what is queued drains, nothing new joins it */
        return RR_IN_PROGRESS;
    }
    rc->tsn_drain = false;
    /* G1, G2: the peer sends from the smallest TSN we have not acked plus
     * 2^31; we go on from our next TSN */
    uint32_t rcv = a->tmap.cum + 1 + 0x80000000u;
    r->tsns = true;
    r->snd_next = a->next_tsn;
    r->rcv_next = rcv;
    reset_assoc(a, a->next_tsn, rcv, false);
    return RR_PERFORMED;
}

static uint32_t peer_add_out(struct assoc *a, const struct reconf_param *p)
{
    struct reconf *rc = a->rc;
    if (rc->open & RK_ADD_IN)
        close_param(a, RK_ADD_IN); /* 5.2.6: it answers our Add Incoming Streams */
    if (!enabled(a, SCTPNG_ENG_RECONF_ADD_STREAMS))
        return RR_DENIED;
    if (p->nstreams == 0)
        return RR_NOTHING;
    uint32_t n = (uint32_t)a->mis + p->nstreams;
    if (n > 65535 || reasm_grow(&a->reasm, (uint16_t)n) < 0)
        return RR_DENIED;
    a->mis = (uint16_t)n;
    ev_reconf(a, SCTPNG_ENG_EV_STREAM_CHANGE,
              &(struct reconf_ev){.flags = 0, .v = {p->nstreams, 0}});
    return RR_PERFORMED;
}

static uint32_t peer_add_in(struct assoc *a, const struct reconf_param *p, uint64_t now)
{
    struct reconf *rc = a->rc;
    if (!enabled(a, SCTPNG_ENG_RECONF_ADD_STREAMS))
        return RR_DENIED;
    if (rc->open)
        return RR_BUSY;
    if (p->nstreams == 0)
        return RR_NOTHING;
    if ((uint32_t)a->os + p->nstreams > 65535)
        return RR_DENIED;
    rc->seq[3] = rc->next_seq++;
    rc->add_out = p->nstreams;
    rc->open = RK_ADD_OUT;
    start_request(a, now);
    return NO_ANSWER;
}

static void peer_request(struct assoc *a, const struct reconf_param *p, uint64_t now)
{
    struct reconf *rc = a->rc;
    if (!rc->peer_known) { /* the first one tells where the peer starts */
        rc->peer_known = true;
        rc->peer_next = p->seq;
    }
    struct reconf_resp r = {.seq = p->seq};
    if (p->seq != rc->peer_next) {
        const struct reconf_resp *h = hist_find(rc, p->seq);
        if (h) {
            queue_resp(a, h); /* a retransmission: the same answer */
            return;
        }
        r.result = RR_BAD_SEQ;
        queue_resp(a, &r);
        return;
    }
    bool retry = false;
    if (p->type != RP_TSN_RESET)
        rc->tsn_drain = false; /* the peer asks something else now */
    switch (p->type) {
    case RP_OUT_RESET:
        r.result = peer_out_reset(a, p);
        break;
    case RP_IN_RESET:
        r.result = peer_in_reset(a, p, now, &retry);
        break;
    case RP_TSN_RESET:
        r.result = peer_tsn_reset(a, &r, &retry);
        break;
    case RP_ADD_OUT:
        r.result = peer_add_out(a, p);
        break;
    default:
        r.result = peer_add_in(a, p, now);
        break;
    }
    if (!retry) {
        rc->peer_next++;
        hist_add(rc, &r);
    }
    queue_resp(a, &r);
}

/* --- answers to ours -------------------------------------------------------- */

static uint16_t fail_flag(uint32_t result)
{
    return result == RR_DENIED ? SCTPNG_ENG_RECONF_EV_DENIED : SCTPNG_ENG_RECONF_EV_FAILED;
}

static void answer(struct assoc *a, unsigned k, const struct reconf_param *p)
{
    struct reconf *rc = a->rc;
    bool ok = p->result == RR_PERFORMED || p->result == RR_NOTHING;
    switch (k) {
    case RK_OUT:
        if (ok)
            reset_out_streams(a, rc->out_sids, rc->n_out);
        ev_reconf(a, SCTPNG_ENG_EV_STREAM_RESET,
                  &(struct reconf_ev){.flags = SCTPNG_ENG_RECONF_EV_OUTGOING |
                                               (ok ? 0 : fail_flag(p->result)),
                                      .sids = rc->out_sids,
                                      .n = rc->n_out});
        break;
    case RK_IN: /* success: the peer's own Outgoing SSN Reset tells */
        if (!ok)
            ev_reconf(
                a, SCTPNG_ENG_EV_STREAM_RESET,
                &(struct reconf_ev){.flags = SCTPNG_ENG_RECONF_EV_INCOMING | fail_flag(p->result),
                                    .sids = rc->in_sids,
                                    .n = rc->n_in});
        break;
    case RK_TSN:
        if (ok && p->has_tsns) { /* 5.2.7: we send from its Receiver's Next TSN */
            reset_assoc(a, p->rcv_next, p->snd_next, true);
        } else {
            a->reasm.cum = a->tmap.cum;
            reasm_hold_end(&a->reasm, false, 0);
            note_readable(a);
            ev_reconf(a, SCTPNG_ENG_EV_ASSOC_RESET,
                      &(struct reconf_ev){.flags = ok ? SCTPNG_ENG_RECONF_EV_FAILED
                                                      : fail_flag(p->result),
                                          .v = {0, 0}});
        }
        break;
    case RK_ADD_OUT: {
        uint32_t n = (uint32_t)a->os + rc->add_out;
        ok = ok && (n <= a->outq.n || outq_grow(&a->outq, &a->ep->mem, (uint16_t)n) == 0);
        if (ok)
            a->os = (uint16_t)n;
        uint16_t fl = ok ? 0
                      : (p->result == RR_PERFORMED || p->result == RR_NOTHING)
                          ? SCTPNG_ENG_RECONF_EV_FAILED /* out of memory here */
                          : fail_flag(p->result);
        ev_reconf(a, SCTPNG_ENG_EV_STREAM_CHANGE,
                  &(struct reconf_ev){.flags = fl, .v = {0, ok ? rc->add_out : 0}});
        break;
    }
    default: /* RK_ADD_IN: success comes with the peer's Add Outgoing Streams */
        if (!ok)
            ev_reconf(a, SCTPNG_ENG_EV_STREAM_CHANGE,
                      &(struct reconf_ev){.flags = fail_flag(p->result), .v = {0, 0}});
        break;
    }
}

static void peer_response(struct assoc *a, const struct reconf_param *p, uint64_t now)
{
    struct reconf *rc = a->rc;
    for (unsigned i = 0; i < RK_COUNT; i++) {
        unsigned k = 1u << i;
        if (!(rc->open & k) || rc->seq[i] != p->seq)
            continue;
        if (p->result == RR_IN_PROGRESS) { /* asked again after an RTO */
            timer_set(&a->tm, TMR_RECONF, now + path_rto(a, a->primary));
            a->errors = 0; /* the peer is there */
            return;
        }
        answer(a, k, p);
        close_param(a, k);
        return;
    }
}

void reconf_on_chunk(struct assoc *a, const struct chunk *c, uint64_t now)
{
    struct reconf_chunk rq;
    if (reconf_decode(c, &rq) < 0) {
        a->ep->stats.drop_malformed++;
        return;
    }
    if (!(a->ext & EXT_RECONF) || a->state < SCTPNG_ENG_ESTABLISHED || !rc_get(a))
        return;
    for (unsigned i = 0; i < rq.n && !a->zombie; i++) {
        if (rq.p[i].type == RP_RESPONSE)
            peer_response(a, &rq.p[i], now);
        else
            peer_request(a, &rq.p[i], now);
    }
}

void reconf_after_input(struct assoc *a)
{
    struct reconf *rc = a->rc;
    if (!rc->deferred || tsn_lt(a->tmap.cum, rc->def_tsn))
        return;
    /* every TSN up to the peer's last one is in: the reset is performed,
     * and told at once (5.2.2) */
    rc->deferred = false;
    reset_in_streams(a, rc->def_sids, rc->def_n);
    mem_free(&a->ep->mem, rc->def_sids);
    rc->def_sids = NULL;
    struct reconf_resp r = {.seq = rc->def_seq, .result = RR_PERFORMED};
    struct reconf_resp *h = hist_find(rc, rc->def_seq);
    if (h)
        *h = r;
    queue_resp(a, &r);
}

void reconf_on_timer(struct assoc *a, uint64_t now)
{
    struct reconf *rc = a->rc;
    if (!rc || !rc->open)
        return;
    if (assoc_count_error(a))
        return; /* the association is gone */
    rc->rtx++;
    uint64_t rto = path_rto(a, a->primary), max = (uint64_t)a->ep->cfg.rto_max_ms * MS;
    for (unsigned i = 0; i < rc->rtx && rto < max; i++)
        rto *= 2;
    timer_set(&a->tm, TMR_RECONF, now + (rto < max ? rto : max));
    rc->send_req = true;
    assoc_queue_ctl(a, CT_RECONF);
}

/* --- writing ------------------------------------------------------------------- */

static size_t put_request(struct assoc *a, uint8_t *p, size_t room)
{
    struct reconf *rc = a->rc;
    size_t n = 0, k;
    if (rc->open & RK_OUT) {
        if (!(k = reconf_put_out_reset(p, room, rc->seq[0], rc->out_resp_seq, rc->out_last_tsn,
                                       rc->out_sids, rc->n_out)))
            return 0;
        n += k;
    }
    if (rc->open & RK_IN) {
        if (!(k = reconf_put_in_reset(p + n, room - n, rc->seq[1], rc->in_sids, rc->n_in)))
            return 0;
        n += k;
    }
    if ((rc->open & RK_TSN) && !(n = reconf_put_tsn_reset(p, room, rc->seq[2])))
        return 0;
    if (rc->open & RK_ADD_OUT) {
        if (!(k = reconf_put_add(p + n, room - n, RP_ADD_OUT, rc->seq[3], rc->add_out)))
            return 0;
        n += k;
    }
    if (rc->open & RK_ADD_IN) {
        if (!(k = reconf_put_add(p + n, room - n, RP_ADD_IN, rc->seq[4], rc->add_in)))
            return 0;
        n += k;
    }
    return n;
}

/* The responses, two to a chunk, then our request in a chunk of its own. */
int reconf_write(struct assoc *a, struct pkt_writer *w)
{
    struct reconf *rc = a->rc;
    uint8_t tmp[32]; /* two responses with their TSNs */
    if (!rc)
        return 0;
    while (rc->n_resp) {
        size_t n = 0;
        unsigned k = 0;
        for (; k < 2 && k < rc->n_resp; k++) {
            const struct reconf_resp *r = &rc->resp[k];
            n += reconf_put_response(tmp + n, sizeof(tmp) - n, r->seq, r->result, r->tsns,
                                     r->snd_next, r->rcv_next);
        }
        if (!pw_chunk_copy(w, CT_RECONF, 0, tmp, n))
            return -1;
        rc->n_resp -= k;
        memmove(rc->resp, rc->resp + k, rc->n_resp * sizeof(rc->resp[0]));
    }
    if (rc->send_req && rc->open) {
        /* the parameters go straight to where pw_chunk() puts the value */
        size_t room = pw_room(w);
        size_t n = room ? put_request(a, w->buf + w->len + CHUNK_HDR_LEN, room) : 0;
        if (!n || !pw_chunk(w, CT_RECONF, 0, n))
            return -1;
        rc->send_req = false;
    }
    return 0;
}
