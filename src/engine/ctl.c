/* Control chunks other than setup: ABORT, ERROR, the shutdown sequence
 * (RFC 9260 9.1, 9.2) and heartbeats with path error counting (8.1 - 8.3). */
#include <errno.h>
#include <string.h>

#include "engine/check.h"
#include "engine/internal.h"
#include "engine/param.h"
#include "engine/wire.h"

void ctl_on_abort(struct assoc *a, const struct chunk *c)
{
    bool setup = a->state == SCTPNG_ENG_COOKIE_WAIT || a->state == SCTPNG_ENG_COOKIE_ECHOED;
    a->peer_abort = c; /* ASSOC_DOWN carries the chunk, as Linux's sac_info */
    assoc_down(a, setup ? SCTPNG_ENG_DOWN_CANT_START : SCTPNG_ENG_DOWN_PEER_ABORT,
               param_first_cause(c->val, c->vlen, NULL, NULL));
    a->peer_abort = NULL;
}

void ctl_on_error(struct assoc *a, uint16_t code, const uint8_t *info, uint16_t len)
{
    if (code == CAUSE_UNRECOGNIZED_CHUNK && len >= 1 && info[0] == CT_FORWARD_TSN)
        a->ext &= ~(uint32_t)EXT_PR_SCTP; /* the peer did not mean its PR-SCTP support */
    ev_remote_error(a, code);
}

static void start_t2(struct assoc *a, uint64_t now)
{
    timer_set(&a->tm, TMR_T2, now + path_rto(a, assoc_data_path(a)));
}

/* 9.2: T2 alone does not bound a shutdown: a peer that keeps sending DATA
 * restarts it, and one that answers heartbeats clears the error count. T5
 * runs from our first SHUTDOWN until the association is gone. */
static void start_t5(struct assoc *a, uint64_t now)
{
    const sctpng_eng_config *cfg = &a->ep->cfg;
    uint64_t ms = cfg->shutdown_guard_ms ? cfg->shutdown_guard_ms : 5ull * cfg->rto_max_ms;
    timer_set(&a->tm, TMR_T5, now + ms * MS);
}

/* SHUTDOWN-ACK replaces our SHUTDOWN, if one waits (9.2). */
static void send_shutdown_ack(struct assoc *a, uint64_t now)
{
    a->state = SCTPNG_ENG_SHUTDOWN_ACK_SENT;
    assoc_cancel_ctl(a, CT_SHUTDOWN);
    assoc_queue_ctl(a, CT_SHUTDOWN_ACK);
    start_t2(a, now);
}

void ctl_shutdown_progress(struct assoc *a, uint64_t now)
{
    if (!sendq_all_acked(a))
        return;
    if (a->state == SCTPNG_ENG_SHUTDOWN_PENDING) {
        a->state = SCTPNG_ENG_SHUTDOWN_SENT;
        assoc_queue_ctl(a, CT_SHUTDOWN);
        start_t2(a, now);
        start_t5(a, now);
    } else if (a->state == SCTPNG_ENG_SHUTDOWN_RECEIVED) {
        send_shutdown_ack(a, now);
    }
}

void ctl_on_shutdown(struct assoc *a, uint64_t now)
{
    switch (a->state) {
    case SCTPNG_ENG_ESTABLISHED:
    case SCTPNG_ENG_SHUTDOWN_PENDING:
        a->state = SCTPNG_ENG_SHUTDOWN_RECEIVED;
        ev_simple(a, SCTPNG_ENG_EV_SHUTDOWN);
        break;
    case SCTPNG_ENG_SHUTDOWN_RECEIVED:
        break;
    case SCTPNG_ENG_SHUTDOWN_SENT: /* both closed at once: 9.2 */
        send_shutdown_ack(a, now);
        return;
    case SCTPNG_ENG_SHUTDOWN_ACK_SENT:
        assoc_queue_ctl(a, CT_SHUTDOWN_ACK);
        return;
    default:
        return;
    }
    ctl_shutdown_progress(a, now);
}

void ctl_on_shutdown_ack(struct assoc *a, const sctpng_eng_path *from, uint64_t now)
{
    struct sctpng_eng *ep = a->ep;
    uint16_t me = ep->cfg.local_port;
    if (a->state == SCTPNG_ENG_COOKIE_WAIT || a->state == SCTPNG_ENG_COOKIE_ECHOED) {
        /* 8.5.1 (E): as out of the blue, reflect the tag */
        ep_reply_chunk(ep, from, me, a->peer_port, a->local_vtag, CT_SHUTDOWN_COMPLETE,
                       CHUNK_FLAG_T, 0, NULL, 0);
        return;
    }
    if (a->state != SCTPNG_ENG_SHUTDOWN_SENT && a->state != SCTPNG_ENG_SHUTDOWN_ACK_SENT)
        return;
    ep_reply_chunk(ep, from, me, a->peer_port, a->peer_vtag, CT_SHUTDOWN_COMPLETE, 0, 0, NULL, 0);
    assoc_down(a, SCTPNG_ENG_DOWN_SHUTDOWN, 0);
}

void ctl_on_shutdown_complete(struct assoc *a)
{
    if (a->state == SCTPNG_ENG_SHUTDOWN_ACK_SENT)
        assoc_down(a, SCTPNG_ENG_DOWN_SHUTDOWN, 0);
}

void ctl_on_t2(struct assoc *a, uint64_t now)
{
    if (assoc_count_error(a))
        return;
    struct path *p = &a->paths[assoc_data_path(a)];
    rto_backoff(&p->rto);
    timer_set(&a->tm, TMR_T2, now + p->rto.rto);
    assoc_queue_ctl(a, a->state == SCTPNG_ENG_SHUTDOWN_SENT ? CT_SHUTDOWN : CT_SHUTDOWN_ACK);
}

void ctl_on_t5(struct assoc *a)
{
    assoc_abort(a, 0, NULL, 0, SCTPNG_ENG_DOWN_COMM_LOST);
}

/* Linux's sctp_sf_autoclose_timer_expire: the shutdown primitive (9.2),
 * SHUTDOWN once all sent data is acknowledged. */
void ctl_on_autoclose(struct assoc *a, uint64_t now)
{
    if (a->state != SCTPNG_ENG_ESTABLISHED)
        return;
    a->state = SCTPNG_ENG_SHUTDOWN_PENDING;
    ctl_shutdown_progress(a, now);
}

/* ------------------------------------------------------------------ */
/* Heartbeats. Our HEARTBEAT info: path index (4), nonce (8), send time (8). */

#define HB_LEN 20

static uint64_t random64(struct sctpng_eng *ep)
{
    return ((uint64_t)ep_random32(ep) << 32) | ep_random32(ep);
}

static void queue_heartbeat(struct assoc *a, unsigned i)
{
    (void)ctlq_add(&a->ctlq, &a->ep->mem, CT_HEARTBEAT, (uint8_t)i, NULL, 0);
}

void ctl_heartbeat_now(struct assoc *a, unsigned i)
{
    ENG_ASSERT(i < a->n_paths);
    if (!a->paths[i].hb_outstanding)
        queue_heartbeat(a, i);
}

/* The path's heartbeat timer: time to send one, or the outstanding one
 * went unanswered. */
void ctl_on_hb_timer(struct assoc *a, unsigned i, uint64_t now)
{
    struct path *p = &a->paths[i];
    if (!p->hb_outstanding) {
        queue_heartbeat(a, i);
        return;
    }
    p->hb_outstanding = false;
    rto_backoff(&p->rto);
    if (p->state != SCTPNG_ENG_PATH_UNCONFIRMED) {
        path_error(a, i, now);
        if (assoc_count_error(a))
            return;
    } else if (++p->errors > p->pp.max_retrans) {
        return; /* give up confirming this address */
    }
    queue_heartbeat(a, i);
}

int ctl_write_heartbeat(struct assoc *a, struct pkt_writer *w, unsigned i, uint64_t now)
{
    ENG_ASSERT(i < a->n_paths);
    struct path *p = &a->paths[i];
    uint8_t *v = pw_chunk(w, CT_HEARTBEAT, 0, 4 + HB_LEN);
    if (!v)
        return -1;
    p->hb_nonce = random64(a->ep);
    put16(v, PT_HEARTBEAT_INFO);
    put16(v + 2, 4 + HB_LEN);
    put32(v + 4, i);
    put64(v + 8, p->hb_nonce);
    put64(v + 16, now);
    p->hb_outstanding = true;
    p->hb_sent_ns = now;
    timer_set(&a->tm, TMR_HB + i, now + p->rto.rto);
    return 0;
}

void ctl_on_heartbeat(struct assoc *a, const struct chunk *c, unsigned path)
{
    if (c->vlen > HB_INFO_MAX)
        return;
    (void)ctlq_add(&a->ctlq, &a->ep->mem, CT_HEARTBEAT_ACK, (uint8_t)path, c->val, c->vlen);
}

void ctl_on_heartbeat_ack(struct assoc *a, const struct chunk *c, uint64_t now)
{
    if (pl_on_hb_ack(a, c->val, c->vlen, now))
        return; /* a PLPMTUD probe's answer, no heartbeat's */
    if (c->vlen < 4 + HB_LEN || get16(c->val) != PT_HEARTBEAT_INFO)
        return;
    uint32_t i = get32(c->val + 4);
    if (i >= a->n_paths)
        return;
    struct path *p = &a->paths[i];
    if (!p->hb_outstanding || get64(c->val + 8) != p->hb_nonce)
        return;
    uint64_t sent = get64(c->val + 16);
    if (sent <= now)
        rto_sample(&p->rto, now - sent);
    p->hb_outstanding = false;
    a->errors = 0;
    path_ok(a, i);
    assoc_path_state(a, i, SCTPNG_ENG_PATH_ACTIVE); /* also confirms it */
    assoc_hb_schedule(a, i, now);
}
