/* Events: every event the engine raises is built here, and queued on the
 * endpoint's ring. The ring only grows when the application does not
 * poll, and only associations (never stateless traffic) raise events. */
#include <string.h>

#include "engine/internal.h"

void ev_push(struct sctpng_eng *ep, const sctpng_eng_event *ev)
{
    if (ep->ev_count == ep->ev_cap) {
        unsigned ncap = ep->ev_cap ? ep->ev_cap * 2 : 16;
        sctpng_eng_event *n = mem_alloc(&ep->mem, ncap * sizeof(*n));
        if (!n)
            return; /* out of memory: the event is lost */
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
    if (!ep->ev_count)
        return false;
    *ev = ep->events[ep->ev_head];
    ep->ev_head = (ep->ev_head + 1) % ep->ev_cap;
    ep->ev_count--;
    return true;
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
