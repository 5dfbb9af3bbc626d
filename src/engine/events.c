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

void ev_peer_addr(struct assoc *a, unsigned path, sctpng_eng_path_state prev)
{
    sctpng_eng_event ev;
    init(&ev, a, SCTPNG_ENG_EV_PEER_ADDR);
    ev.u.peer_addr.addr = path_sa_get(&a->paths[path].addr);
    ev.u.peer_addr.state = a->paths[path].state;
    ev.u.peer_addr.prev = prev;
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

void ev_stream_reset(struct assoc *a, uint16_t flags, const uint16_t *sids, uint16_t n)
{
    sctpng_eng_event ev;
    init(&ev, a, SCTPNG_ENG_EV_STREAM_RESET);
    ev.u.stream_reset.flags = flags;
    ev.u.stream_reset.nstreams = n;
    for (unsigned i = 0; i < n && i < SCTPNG_ENG_RESET_EV_STREAMS; i++)
        ev.u.stream_reset.streams[i] = sids[i];
    ev_push(a->ep, &ev);
}

void ev_assoc_reset(struct assoc *a, uint16_t flags, uint32_t local_tsn, uint32_t remote_tsn)
{
    sctpng_eng_event ev;
    init(&ev, a, SCTPNG_ENG_EV_ASSOC_RESET);
    ev.u.assoc_reset.flags = flags;
    ev.u.assoc_reset.local_tsn = local_tsn;
    ev.u.assoc_reset.remote_tsn = remote_tsn;
    ev_push(a->ep, &ev);
}

void ev_stream_change(struct assoc *a, uint16_t flags, uint16_t in_added, uint16_t out_added)
{
    sctpng_eng_event ev;
    init(&ev, a, SCTPNG_ENG_EV_STREAM_CHANGE);
    ev.u.stream_change.flags = flags;
    ev.u.stream_change.in_added = in_added;
    ev.u.stream_change.out_added = out_added;
    ev_push(a->ep, &ev);
}
