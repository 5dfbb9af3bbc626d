/* ub_event.c - engine events as the API's sctpng_event, delivered by
 * recv() with SCTPNG_RCV_EVENT like the kernel backend's notifications. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backend_udp/ub.h"

/* The kernel's notification type for a kind (SCTP_SN_TYPE_BASE + kind
 * for every kind this backend produces), so `type` reads the same. */
static uint16_t sn_type(int kind)
{
    return (uint16_t)(0x8000u + (unsigned)kind);
}

static int assoc_state(const sctpng_eng_event *ev)
{
    switch (ev->type) {
    case SCTPNG_ENG_EV_ASSOC_UP:
        return SCTPNG_COMM_UP;
    case SCTPNG_ENG_EV_ASSOC_RESTART:
        return SCTPNG_RESTART;
    default:
        break;
    }
    switch (ev->u.down.reason) {
    case SCTPNG_ENG_DOWN_SHUTDOWN:
        return SCTPNG_SHUTDOWN_COMP;
    case SCTPNG_ENG_DOWN_CANT_START:
        return SCTPNG_CANT_STR_ASSOC;
    default:
        return SCTPNG_COMM_LOST;
    }
}

static int paddr_state(sctpng_eng_path_state st)
{
    switch (st) {
    case SCTPNG_ENG_PATH_ACTIVE:
        return SCTPNG_ADDR_AVAILABLE;
    case SCTPNG_ENG_PATH_INACTIVE:
        return SCTPNG_ADDR_UNREACHABLE;
    case SCTPNG_ENG_PATH_PF:
        return SCTPNG_ADDR_POTENTIALLY_FAILED;
    default:
        return -1; /* unconfirmed: the API has no such change */
    }
}

/* STREAM_RESET's list goes after the 8-byte header in buf, as far as it
 * fits (host order, as the kernel's); the event points at it. */
static void fill_streams(const sctpng_eng_event *ev, sctpng_event *e, void *buf, size_t len)
{
    size_t n = ev->u.stream_reset.nstreams;
    if (n > SCTPNG_ENG_RESET_EV_STREAMS)
        n = SCTPNG_ENG_RESET_EV_STREAMS;
    if (len < 8)
        n = 0;
    else if (n > (len - 8) / 2)
        n = (len - 8) / 2;
    e->u.stream_reset.nstreams = n;
    e->u.stream_reset.streams = n ? (const uint8_t *)buf + 8 : NULL;
    if (n)
        memcpy((uint8_t *)buf + 8, ev->u.stream_reset.streams, n * 2);
}

/* The bytes an event carries (SEND_FAILED's message, ASSOC_DOWN's ABORT
 * chunk): where they are and how many. */
static const uint8_t **payload_of(sctpng_eng_event *ev, size_t **n)
{
    if (ev->type == SCTPNG_ENG_EV_SEND_FAILED) {
        *n = &ev->u.send_failed.data_len;
        return &ev->u.send_failed.data;
    }
    if (ev->type == SCTPNG_ENG_EV_ASSOC_DOWN) {
        *n = &ev->u.down.abort_len;
        return &ev->u.down.abort_chunk;
    }
    return NULL;
}

void ub_event_own(sctpng_eng_event *ev)
{
    size_t *n;
    const uint8_t **p = payload_of(ev, &n);
    if (!p || !*p)
        return;
    uint8_t *c = malloc(*n);
    if (c)
        memcpy(c, *p, *n);
    *p = c;
    *n = c ? *n : 0; /* no memory: the event goes without */
}

void ub_event_release(sctpng_eng_event *ev)
{
    size_t *n;
    const uint8_t **p = payload_of(ev, &n);
    if (p)
        free((void *)(uintptr_t)*p);
}

/* The payload after the 8-byte header in buf, as far as it fits, as the
 * kernel's notification carries it; the event points at it. Returns the
 * bytes stored. */
static size_t fill_payload(const sctpng_eng_event *ev, sctpng_event *e, void *buf, size_t len)
{
    sctpng_eng_event copy = *ev;
    size_t *pn;
    const uint8_t **pp = payload_of(&copy, &pn);
    size_t n = pp && *pp && len > 8 ? *pn : 0;
    if (n > len - 8)
        n = len - 8;
    if (n)
        memcpy((uint8_t *)buf + 8, *pp, n);
    const uint8_t *at = n ? (const uint8_t *)buf + 8 : NULL;
    if (e->kind == SCTPNG_EV_SEND_FAILED) {
        e->u.send_failed.data = at;
        e->u.send_failed.len = n;
    } else if (e->kind == SCTPNG_EV_ASSOC_CHANGE && ev->type == SCTPNG_ENG_EV_ASSOC_DOWN) {
        e->u.assoc_change.info = at;
        e->u.assoc_change.info_len = n;
    }
    return n;
}

/* RFC 6525 events: flags as the kernel's (the engine uses its values). */
static bool fill_reconf(const sctpng_eng_event *ev, sctpng_event *e, void *buf, size_t len)
{
    switch (ev->type) {
    case SCTPNG_ENG_EV_STREAM_RESET:
        e->kind = SCTPNG_EV_STREAM_RESET;
        e->flags = ev->u.stream_reset.flags;
        fill_streams(ev, e, buf, len);
        return true;
    case SCTPNG_ENG_EV_ASSOC_RESET:
        e->kind = SCTPNG_EV_ASSOC_RESET;
        e->flags = ev->u.assoc_reset.flags;
        e->u.assoc_reset.local_tsn = ev->u.assoc_reset.local_tsn;
        e->u.assoc_reset.remote_tsn = ev->u.assoc_reset.remote_tsn;
        return true;
    case SCTPNG_ENG_EV_STREAM_CHANGE:
        e->kind = SCTPNG_EV_STREAM_CHANGE;
        e->flags = ev->u.stream_change.flags;
        e->u.stream_change.istreams = ev->u.stream_change.in_added;
        e->u.stream_change.ostreams = ev->u.stream_change.out_added;
        return true;
    default:
        return false;
    }
}

static void fill(struct ub_sock *h, const sctpng_eng_event *ev, sctpng_event *e)
{
    switch (ev->type) {
    case SCTPNG_ENG_EV_ASSOC_UP:
    case SCTPNG_ENG_EV_ASSOC_RESTART:
    case SCTPNG_ENG_EV_ASSOC_DOWN:
        e->kind = SCTPNG_EV_ASSOC_CHANGE;
        e->u.assoc_change.state = assoc_state(ev);
        if (ev->type == SCTPNG_ENG_EV_ASSOC_DOWN) {
            e->u.assoc_change.error = ev->u.down.cause;
        } else {
            e->u.assoc_change.ostreams = ev->u.up.out_streams;
            e->u.assoc_change.istreams = ev->u.up.in_streams;
        }
        break;
    case SCTPNG_ENG_EV_SHUTDOWN:
        e->kind = SCTPNG_EV_SHUTDOWN;
        break;
    case SCTPNG_ENG_EV_PEER_ADDR: {
        sctpng_eng_status st;
        uint16_t port = sctpng_eng_get_status(h->ep->eng, ev->assoc, &st) == 0 ? st.peer_port : 0;
        e->kind = SCTPNG_EV_PEER_ADDR_CHANGE;
        ub_from_eng(h->ep, &ev->u.peer_addr.addr, port, &e->u.peer_addr.addr);
        e->u.peer_addr.state = ev->u.peer_addr.made_primary ? SCTPNG_ADDR_MADE_PRIM
                               : ev->u.peer_addr.confirmed  ? SCTPNG_ADDR_CONFIRMED
                                                            : paddr_state(ev->u.peer_addr.state);
        break;
    }
    case SCTPNG_ENG_EV_ADDR_CONF: { /* the peer's ASCONF */
        sctpng_eng_status st;
        uint16_t port = sctpng_eng_get_status(h->ep->eng, ev->assoc, &st) == 0 ? st.peer_port : 0;
        e->kind = SCTPNG_EV_PEER_ADDR_CHANGE;
        ub_from_eng(h->ep, &ev->u.peer_addr.addr, port, &e->u.peer_addr.addr);
        e->u.peer_addr.state = ev->u.peer_addr.conf == SCTPNG_ENG_ADDR_ADDED ? SCTPNG_ADDR_ADDED
                               : ev->u.peer_addr.conf == SCTPNG_ENG_ADDR_REMOVED
                                   ? SCTPNG_ADDR_REMOVED
                                   : SCTPNG_ADDR_MADE_PRIM;
        break;
    }
    case SCTPNG_ENG_EV_SEND_FAILED:
        e->kind = SCTPNG_EV_SEND_FAILED;
        e->u.send_failed.error = (uint32_t)-ev->u.send_failed.error;
        e->u.send_failed.stream = ev->u.send_failed.stream;
        e->u.send_failed.ppid = ev->u.send_failed.ppid;
        e->u.send_failed.context = ev->u.send_failed.context;
        e->u.send_failed.sent = !ev->u.send_failed.unsent;
        break; /* the payload: fill_payload() */
    case SCTPNG_ENG_EV_SENDER_DRY:
        e->kind = SCTPNG_EV_SENDER_DRY;
        break;
    case SCTPNG_ENG_EV_REMOTE_ERROR:
        e->kind = SCTPNG_EV_REMOTE_ERROR;
        e->u.remote_error.error = ev->u.remote_error.cause;
        break;
    case SCTPNG_ENG_EV_AUTH: /* the kernel's indications, same values */
        e->kind = SCTPNG_EV_AUTH;
        e->u.auth.keynumber = ev->u.auth.keynum;
        e->u.auth.indication = ev->u.auth.indication;
        break;
    case SCTPNG_ENG_EV_ADAPTATION: /* RFC 5061, host order as the kernel's */
        e->kind = SCTPNG_EV_ADAPTATION;
        e->u.adaptation.indication = ev->u.adaptation.indication;
        break;
    case SCTPNG_ENG_EV_PD_ABORTED: /* SCTP_PARTIAL_DELIVERY_ABORTED (0) */
        e->kind = SCTPNG_EV_PARTIAL_DELIVERY;
        e->u.partial_delivery.indication = 0;
        e->u.partial_delivery.stream = ev->u.pd.stream;
        e->u.partial_delivery.seq = ev->u.pd.seq;
        break;
    default:
        e->kind = SCTPNG_EV_NONE;
        break;
    }
}

/* The event goes to info->event; buf gets a minimal notification header
 * (type, flags, length: 8 bytes, as far as it fits) so that the call
 * returns a non-zero length, as on the kernel backend. */
int ub_event_fill(struct ub_sock *h, const sctpng_eng_event *ev, void *buf, size_t len,
                  sctpng_rcvinfo *info)
{
    sctpng_rcvinfo local;
    if (!info)
        info = &local;
    memset(info, 0, sizeof(*info));
    info->flags = SCTPNG_RCV_EVENT | SCTPNG_RCV_COMPLETE;
    info->assoc = (sctpng_assoc_t)ev->assoc;
    info->from.sa.sa_family = AF_UNSPEC;
    sctpng_event *e = &info->event;
    e->assoc = info->assoc;
    if (!fill_reconf(ev, e, buf, len))
        fill(h, ev, e);
    e->type = sn_type(e->kind);
    uint8_t hdr[8] = {0};
    memcpy(hdr, &e->type, 2);
    memcpy(hdr + 2, &e->flags, 2);
    size_t extra = e->kind == SCTPNG_EV_STREAM_RESET ? e->u.stream_reset.nstreams * 2
                                                     : fill_payload(ev, e, buf, len);
    uint32_t n = (uint32_t)(sizeof(hdr) + extra);
    memcpy(hdr + 4, &n, 4);
    size_t k = len < sizeof(hdr) ? len : sizeof(hdr);
    memcpy(buf, hdr, k);
    return (int)(k + extra);
}
