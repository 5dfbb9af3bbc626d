/* RFC 5061 ASCONF on a live association, both ends: our requests (Add IP,
 * Delete IP, Set Primary), one ASCONF outstanding at a time, sent again
 * by its timer (TMR_ASCONF) until its ASCONF-ACK; and the peer's
 * requests applied to our paths, answered with an ASCONF-ACK kept for a
 * retransmitted ASCONF (serial numbers, 5.2). Only with AUTH: ASCONF and
 * ASCONF-ACK are in both ends' CHUNKS lists, so input drops them
 * unauthenticated before they get here. */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "engine/internal.h"
#include "engine/param.h"
#include "engine/wire.h"

static struct addip *state(const struct assoc *a)
{
    return (a->ext & EXT_ASCONF) && a->auth ? a->auth->addip : NULL;
}

/* RFC 5061 5.1: a Delete IP must not leave from the address it deletes
 * (Linux refuses it: Request to Delete Source IP Address). A path whose
 * source (the local address the peer last used) is going takes one that
 * stays, for this ASCONF and what follows it; so does a path whose
 * source is unknown (a driver on a wildcard socket, where the host's
 * route would pick the source, quite possibly the one going). */
static void set_ip(union path_sa *l, const struct sockaddr_storage *ip)
{
    uint16_t port = l->sa.sa_family == AF_INET6 ? l->in6.sin6_port : l->in.sin_port;
    path_sa_set(l, ip); /* the address changes, the port (the driver's) stays */
    if (ip->ss_family == AF_INET6)
        l->in6.sin6_port = port;
    else
        l->in.sin_port = port;
}

static void avoid_deleted(struct assoc *a)
{
    struct addip *s = a->auth->addip;
    for (unsigned p = 0; s->src.ss_family && p < a->n_paths; p++) {
        union path_sa *l = &a->paths[p].local;
        bool going =
            l->sa.sa_family == AF_UNSPEC && a->paths[p].addr.sa.sa_family == s->src.ss_family;
        for (unsigned i = 0; i < s->n_gone; i++)
            going |= path_sa_same_ip(l, &s->gone[i]);
        if (going)
            set_ip(l, &s->src);
    }
}

static void send_asconf(struct assoc *a, uint64_t now)
{
    struct addip *s = a->auth->addip;
    avoid_deleted(a);
    ctlq_cancel(&a->ctlq, &a->ep->mem, CT_ASCONF);
    (void)ctlq_add(&a->ctlq, &a->ep->mem, CT_ASCONF, CTL_ANY_PATH, s->out, s->out_len);
    timer_set(&a->tm, TMR_ASCONF, now + path_rto(a, a->primary));
}

/* The Address Parameter: one of our addresses that stays (Linux looks
 * the association up by it), else the first request's own. */
static bool lookup_addr(const struct assoc *a, struct asconf *c)
{
    c->lookup = c->req[0].addr;
    for (unsigned i = 0; i < a->ep->n_local; i++)
        if (a->lmask & (1u << i)) {
            bool going = false;
            for (unsigned r = 0; r < c->n; r++)
                going |= c->req[r].type == PT_DEL_IP &&
                         addr_same_ip(&a->ep->local_addrs[i], &c->req[r].addr);
            if (!going) {
                c->lookup = a->ep->local_addrs[i];
                return true;
            }
        }
    return false;
}

/* What the ASCONF deletes, and the source to use instead (src AF_UNSPEC:
 * none known, the engine has no list of its own). */
static void note_deleted(struct addip *s, const struct asconf *c, bool staying)
{
    s->n_gone = 0;
    memset(&s->src, 0, sizeof(s->src));
    for (unsigned i = 0; i < c->n; i++)
        if (c->req[i].type == PT_DEL_IP)
            s->gone[s->n_gone++] = c->req[i].addr;
    if (s->n_gone && staying)
        s->src = c->lookup;
}

/* The waiting requests into one ASCONF, sent. */
static int send_waiting(struct assoc *a, uint64_t now)
{
    struct addip *s = a->auth->addip;
    struct asconf c = {.serial = s->serial, .n = s->n_waiting};
    memcpy(c.req, s->waiting, s->n_waiting * sizeof(c.req[0]));
    bool staying = lookup_addr(a, &c);
    int n = asconf_encode(&c, s->out, sizeof(s->out));
    s->n_waiting = 0;
    if (n < 0)
        return -EINVAL;
    s->out_len = (uint16_t)n;
    note_deleted(s, &c, staying);
    s->outstanding = true;
    send_asconf(a, now);
    return 0;
}

static int enqueue(struct addip *s, uint16_t type, const struct sockaddr_storage *addr)
{
    if (s->n_waiting >= ASCONF_MAX_REQ)
        return -ENOBUFS;
    struct asconf_req *q = &s->waiting[s->n_waiting++];
    memset(q, 0, sizeof(*q));
    q->type = type;
    q->corr = ++s->corr;
    q->addr = *addr;
    return 0;
}

int addip_request(struct assoc *a, uint16_t type, const struct sockaddr_storage *addr, uint64_t now)
{
    struct addip *s = state(a);
    if (!s)
        return -ENOPROTOOPT;
    if (s->outstanding || s->n_waiting)
        return -EINPROGRESS; /* 5.1: one at a time */
    if (!addr_valid(addr))
        return -EINVAL;
    (void)enqueue(s, type, addr);
    return send_waiting(a, now);
}

/* An endpoint address request: waits for the outstanding ASCONF if any. */
static int request_queued(struct assoc *a, uint16_t type, unsigned slot, uint64_t now)
{
    struct addip *s = state(a);
    if (!s || a->state != SCTPNG_ENG_ESTABLISHED)
        return 0; /* no ASCONF: only later associations will know */
    int err = enqueue(s, type, &a->ep->local_addrs[slot]);
    if (!err && !s->outstanding)
        err = send_waiting(a, now);
    ep_touch(a);
    return err;
}

int addip_local_added(struct assoc *a, unsigned i, uint64_t now)
{
    if (!state(a))
        return 0; /* without ASCONF the association's list stays */
    int err = request_queued(a, PT_ADD_IP, i, now);
    if (!err)
        a->lmask |= (uint8_t)(1u << i);
    return err;
}

void addip_local_deleted(struct assoc *a, unsigned i, uint64_t now)
{
    uint8_t bit = (uint8_t)(1u << i);
    if ((a->lmask & bit) && (a->lmask & ~bit))
        (void)request_queued(a, PT_DEL_IP, i, now); /* never its last one */
    uint8_t low = a->lmask & (uint8_t)(bit - 1u);
    a->lmask = low | (uint8_t)((a->lmask >> 1) & ~(bit - 1u));
}

void addip_on_timer(struct assoc *a, unsigned i, uint64_t now)
{
    (void)i;
    struct addip *s = state(a);
    if (!s || !s->outstanding)
        return;
    if (assoc_count_error(a))
        return; /* the association died */
    rto_backoff(&a->paths[a->primary].rto);
    send_asconf(a, now);
}

void addip_on_ack(struct assoc *a, const struct chunk *c, uint64_t now)
{
    struct addip *s = state(a);
    struct asconf_ack k;
    if (!s || asconf_ack_decode(c, &k) < 0) {
        a->ep->stats.drop_malformed++;
        return;
    }
    if (!s->outstanding || k.serial != s->serial)
        return; /* not for the ASCONF outstanding */
    s->last_result = 0;
    for (unsigned i = 0; i < k.n; i++)
        if (k.resp[i].type == PT_ERROR_IND)
            s->last_result = k.resp[i].cause;
    s->outstanding = false;
    s->serial++;
    s->acked++;
    a->errors = 0;
    timer_stop(&a->tm, TMR_ASCONF);
    ctlq_cancel(&a->ctlq, &a->ep->mem, CT_ASCONF);
    if (s->n_waiting)
        (void)send_waiting(a, now); /* what waited for this answer */
}

/* The peer's Add IP: a new path to that address, on the UDP port the
 * ASCONF came from (RFC 6951), confirmed by heartbeat; a path it deleted
 * before comes back the same way. */
static uint16_t add_ip(struct assoc *a, const struct asconf_req *q, unsigned from, uint64_t now)
{
    int p = assoc_find_path(a, &q->addr);
    if (p >= 0 && !path_deleted(&a->paths[p]))
        return 0; /* already there: success (5.2) */
    if (p >= 0) {
        a->paths[p].pp = a->pp; /* its parameters back; unconfirmed again */
        a->paths[p].state = SCTPNG_ENG_PATH_UNCONFIRMED;
        a->paths[p].errors = 0;
    } else {
        struct sockaddr_storage ss = q->addr;
        const struct sockaddr_storage src_ss = path_sa_get(&a->paths[from].addr), *src = &src_ss;
        if (ss.ss_family == AF_INET && src->ss_family == AF_INET)
            ((struct sockaddr_in *)&ss)->sin_port = ((const struct sockaddr_in *)src)->sin_port;
        else if (ss.ss_family == AF_INET6 && src->ss_family == AF_INET6)
            ((struct sockaddr_in6 *)&ss)->sin6_port = ((const struct sockaddr_in6 *)src)->sin6_port;
        if ((p = assoc_add_path(a, &ss, false)) < 0)
            return CAUSE_ASCONF_RESOURCE;
    }
    assoc_hb_schedule(a, (unsigned)p, now);
    ev_peer_addr_conf(a, (unsigned)p, SCTPNG_ENG_ADDR_ADDED);
    return 0;
}

/* The peer's Delete IP: its path stays in the array (indices name paths
 * everywhere, and the endpoint's index keeps every path) but goes inactive
 * for good: no heartbeats, no data, never the primary. Told as REMOVED
 * only (Linux has no UNREACHABLE for it). */
static uint16_t del_ip(struct assoc *a, const struct asconf_req *q, unsigned from)
{
    int p = assoc_find_path(a, &q->addr);
    if (p < 0 || path_deleted(&a->paths[p]))
        return 0; /* not there: nothing to do (5.2) */
    if ((unsigned)p == from)
        return CAUSE_DEL_SOURCE_IP;
    unsigned live = 0;
    for (unsigned i = 0; i < a->n_paths; i++)
        live += !path_deleted(&a->paths[i]);
    if (live <= 1)
        return CAUSE_DEL_LAST_IP;
    struct path *pa = &a->paths[p];
    pa->pp.hb_interval_ms = 0;
    pa->pp.max_retrans = 0;
    timer_stop(&a->tm, TMR_HB + (unsigned)p);
    pa->hb_outstanding = false;
    pa->state = SCTPNG_ENG_PATH_INACTIVE;
    if (a->primary == (unsigned)p)
        a->primary = from;
    ev_peer_addr_conf(a, (unsigned)p, SCTPNG_ENG_ADDR_REMOVED);
    return 0;
}

static uint16_t set_primary(struct assoc *a, const struct asconf_req *q)
{
    int p = assoc_find_path(a, &q->addr);
    if (p < 0 || path_deleted(&a->paths[p]))
        return CAUSE_UNRESOLVABLE_ADDR;
    a->primary = (unsigned)p;
    ev_peer_addr_conf(a, (unsigned)p, SCTPNG_ENG_ADDR_MADE_PRIM);
    return 0;
}

static void queue_ack(struct assoc *a)
{
    struct addip *s = a->auth->addip;
    (void)ctlq_add(&a->ctlq, &a->ep->mem, CT_ASCONF_ACK, CTL_ANY_PATH, s->ack, s->ack_len);
}

void addip_on_asconf(struct assoc *a, const struct chunk *c, unsigned path, uint64_t now)
{
    struct addip *s = state(a);
    struct asconf r;
    if (!s || a->state < SCTPNG_ENG_ESTABLISHED)
        return;
    if (asconf_decode(c, &r) < 0) {
        a->ep->stats.drop_malformed++;
        return;
    }
    if (r.serial == s->peer_serial && s->ack_len) {
        queue_ack(a); /* our ASCONF-ACK was lost: the same again */
        return;
    }
    if (r.serial != s->peer_serial + 1)
        return; /* 5.2: neither the next nor the last */
    struct asconf_ack k = {.serial = r.serial, .n = r.n};
    for (unsigned i = 0; i < r.n; i++) {
        const struct asconf_req *q = &r.req[i];
        uint16_t cause = q->type == PT_ADD_IP   ? add_ip(a, q, path, now)
                         : q->type == PT_DEL_IP ? del_ip(a, q, path)
                                                : set_primary(a, q);
        k.resp[i].type = cause ? PT_ERROR_IND : PT_SUCCESS_IND;
        k.resp[i].corr = q->corr;
        k.resp[i].cause = cause;
    }
    int n = asconf_ack_encode(&k, s->ack, sizeof(s->ack));
    if (n < 0)
        return;
    s->ack_len = (uint16_t)n;
    s->peer_serial = r.serial;
    queue_ack(a);
}
