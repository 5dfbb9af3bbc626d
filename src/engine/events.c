/* Events: every event the engine raises is built here, and queued on the
 * endpoint's ring. The ring only grows when the application does not
 * poll, and only associations (never stateless traffic) raise events.
 * Two carry bytes of their own (SEND_FAILED the message, ASSOC_DOWN the
 * peer's ABORT): a copy each, freed at the next poll (ep->ev_held). */
#include <string.h>

#include "engine/internal.h"

/* The bytes an event owns, or NULL (const only towards the caller). */
static uint8_t *payload(const sctpng_eng_event *ev)
{
    if (ev->type == SCTPNG_ENG_EV_SEND_FAILED)
        return (uint8_t *)(uintptr_t)ev->u.send_failed.data;
    if (ev->type == SCTPNG_ENG_EV_ASSOC_DOWN)
        return (uint8_t *)(uintptr_t)ev->u.down.abort_chunk;
    return NULL;
}

void ev_push(struct sctpng_eng *ep, const sctpng_eng_event *ev)
{
    if (ep->ev_count == ep->ev_cap) {
        unsigned ncap = ep->ev_cap ? ep->ev_cap * 2 : 16;
        sctpng_eng_event *n = mem_alloc(&ep->mem, ncap * sizeof(*n));
        if (!n) {
            mem_free(&ep->mem, payload(ev));
            return; /* out of memory: the event is lost */
        }
        for (unsigned i = 0; i < ep->ev_count; i++)
            n[i] = ep->events[(ep->ev_head + i) % ep->ev_cap];
        mem_free(&ep->mem, ep->events);
        ep->events = n;
        ep->ev_cap = ncap;
        ep->ev_head = 0;
    }
    ep->events[(ep->ev_head + ep->ev_count) % ep->ev_cap] = *ev;
    ep->ev_count++;
}

bool ev_pop(struct sctpng_eng *ep, sctpng_eng_event *ev)
{
    mem_free(&ep->mem, ep->ev_held); /* the caller is done with it now */
    ep->ev_held = NULL;
    if (!ep->ev_count)
        return false;
    *ev = ep->events[ep->ev_head];
    ep->ev_head = (ep->ev_head + 1) % ep->ev_cap;
    ep->ev_count--;
    ep->ev_held = payload(ev);
    return true;
}

void ev_free_all(struct sctpng_eng *ep)
{
    for (unsigned i = 0; i < ep->ev_count; i++)
        mem_free(&ep->mem, payload(&ep->events[(ep->ev_head + i) % ep->ev_cap]));
    ep->ev_count = 0;
    mem_free(&ep->mem, ep->ev_held);
    ep->ev_held = NULL;
}

/* A copy of n bytes, or NULL (none, or no memory: the event goes without). */
static const uint8_t *copy_of(struct sctpng_eng *ep, const uint8_t *p, size_t n)
{
    uint8_t *c = n ? mem_alloc(&ep->mem, n) : NULL;
    if (c)
        memcpy(c, p, n);
    return c;
}

static void init(sctpng_eng_event *ev, const struct assoc *a, sctpng_eng_event_type t)
{
    memset(ev, 0, sizeof(*ev));
    ev->type = t;
    ev->assoc = a->id;
}

void ev_simple(struct assoc *a, sctpng_eng_event_type t)
{
    sctpng_eng_event ev;
    init(&ev, a, t);
    ev_push(a->ep, &ev);
}

void ev_assoc_up(struct assoc *a, sctpng_eng_event_type t)
{
    sctpng_eng_event ev;
    init(&ev, a, t);
    ev.u.up.in_streams = a->mis;
    ev.u.up.out_streams = a->os;
    ev.u.up.peer_pr_sctp = (a->ext & EXT_PR_SCTP) != 0;
    ev_push(a->ep, &ev);
}

void ev_assoc_down(struct assoc *a, sctpng_eng_down_reason why, uint16_t cause, int error)
{
    sctpng_eng_event ev;
    init(&ev, a, SCTPNG_ENG_EV_ASSOC_DOWN);
    ev.u.down.reason = why;
    ev.u.down.cause = cause;
    ev.u.down.error = error;
    if (a->peer_abort) {
        ev.u.down.abort_chunk = copy_of(a->ep, a->peer_abort->hdr, a->peer_abort->len);
        ev.u.down.abort_len = ev.u.down.abort_chunk ? a->peer_abort->len : 0;
    }
    ev_push(a->ep, &ev);
}

/* An event about path `path`: its address, its state (unchanged: prev). */
static void path_event(struct assoc *a, unsigned path, sctpng_eng_event_type t,
                       sctpng_eng_event *ev)
{
    init(ev, a, t);
    ev->u.peer_addr.addr = path_sa_get(&a->paths[path].addr);
    ev->u.peer_addr.state = ev->u.peer_addr.prev = a->paths[path].state;
}

void ev_peer_addr(struct assoc *a, unsigned path, sctpng_eng_path_state prev)
{
    sctpng_eng_event ev;
    path_event(a, path, SCTPNG_ENG_EV_PEER_ADDR, &ev);
    ev.u.peer_addr.prev = prev;
    ev.u.peer_addr.confirmed = prev == SCTPNG_ENG_PATH_UNCONFIRMED &&
                               ev.u.peer_addr.state == SCTPNG_ENG_PATH_ACTIVE &&
                               !a->paths[path].user_given;
    ev_push(a->ep, &ev);
}

void ev_made_primary(struct assoc *a, unsigned path)
{
    sctpng_eng_event ev;
    path_event(a, path, SCTPNG_ENG_EV_PEER_ADDR, &ev);
    ev.u.peer_addr.made_primary = true;
    ev_push(a->ep, &ev);
}

void ev_peer_addr_conf(struct assoc *a, unsigned path, sctpng_eng_addr_conf what)
{
    sctpng_eng_event ev;
    path_event(a, path, SCTPNG_ENG_EV_ADDR_CONF, &ev);
    ev.u.peer_addr.conf = what;
    ev_push(a->ep, &ev);
}

/* The bytes of c's message held from c on, in c's list (the sent list or
 * a stream queue), to its last fragment; the sent list interleaves other
 * messages' fragments only with I-DATA. out NULL: only counts. */
static size_t held_bytes(const struct assoc *a, const struct tchunk *c, uint8_t *out)
{
    size_t n = 0;
    for (const struct tchunk *x = c; x; x = x->next) {
        if (!tchunk_same_msg(x, c)) {
            if (x->has_tsn && a->outq.intl)
                continue;
            break;
        }
        if (out)
            memcpy(out + n, x->data, x->len);
        n += x->len;
        if (x->flags & DATA_FLAG_E)
            break;
    }
    return n;
}

void ev_send_failed(struct assoc *a, const struct tchunk *c, int error, bool unsent)
{
    sctpng_eng_event ev;
    init(&ev, a, SCTPNG_ENG_EV_SEND_FAILED);
    ev.u.send_failed.stream = c->sid;
    ev.u.send_failed.ppid = c->ppid;
    ev.u.send_failed.context = c->context;
    ev.u.send_failed.length = c->msg_len;
    ev.u.send_failed.unsent = unsent;
    ev.u.send_failed.error = error;
    size_t n = held_bytes(a, c, NULL);
    uint8_t *d = n ? mem_alloc(&a->ep->mem, n) : NULL;
    if (d) {
        held_bytes(a, c, d);
        ev.u.send_failed.data = d;
        ev.u.send_failed.data_len = n;
    }
    ev_push(a->ep, &ev);
}

void ev_remote_error(struct assoc *a, uint16_t cause)
{
    sctpng_eng_event ev;
    init(&ev, a, SCTPNG_ENG_EV_REMOTE_ERROR);
    ev.u.remote_error.cause = cause;
    ev_push(a->ep, &ev);
}

void ev_adaptation(struct assoc *a)
{
    sctpng_eng_event ev;
    init(&ev, a, SCTPNG_ENG_EV_ADAPTATION);
    ev.u.adaptation.indication = a->peer_adapt;
    ev_push(a->ep, &ev);
}

void ev_pd_aborted(struct assoc *a, uint16_t sid, uint32_t seq)
{
    sctpng_eng_event ev;
    init(&ev, a, SCTPNG_ENG_EV_PD_ABORTED);
    ev.u.pd.stream = sid;
    ev.u.pd.seq = seq;
    ev_push(a->ep, &ev);
}

void ev_reconf(struct assoc *a, sctpng_eng_event_type t, const struct reconf_ev *r)
{
    sctpng_eng_event ev;
    init(&ev, a, t);
    if (t == SCTPNG_ENG_EV_STREAM_RESET) {
        ev.u.stream_reset.flags = r->flags;
        ev.u.stream_reset.nstreams = r->n;
        for (unsigned i = 0; i < r->n && i < SCTPNG_ENG_RESET_EV_STREAMS; i++)
            ev.u.stream_reset.streams[i] = r->sids[i];
    } else if (t == SCTPNG_ENG_EV_ASSOC_RESET) {
        ev.u.assoc_reset.flags = r->flags;
        ev.u.assoc_reset.local_tsn = r->v[0];
        ev.u.assoc_reset.remote_tsn = r->v[1];
    } else { /* STREAM_CHANGE */
        ev.u.stream_change.flags = r->flags;
        ev.u.stream_change.in_added = (uint16_t)r->v[0];
        ev.u.stream_change.out_added = (uint16_t)r->v[1];
    }
    ev_push(a->ep, &ev);
}
