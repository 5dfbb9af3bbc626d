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

static void send_asconf(struct assoc *a, uint64_t now)
{
    struct addip *s = a->auth->addip;
    ctlq_cancel(&a->ctlq, &a->ep->mem, CT_ASCONF);
    (void)ctlq_add(&a->ctlq, &a->ep->mem, CT_ASCONF, CTL_ANY_PATH, s->out, s->out_len);
    timer_set(&a->tm, TMR_ASCONF, now + path_rto(a, a->primary));
}

int addip_request(struct assoc *a, uint16_t type, const struct sockaddr_storage *addr, uint64_t now)
{
    struct addip *s = state(a);
    if (!s)
        return -ENOPROTOOPT;
    if (s->outstanding)
        return -EINPROGRESS; /* 5.1: one at a time */
    if (!addr_valid(addr))
        return -EINVAL;
    struct asconf c = {.serial = s->serial, .n = 1};
    /* the Address Parameter names one of ours: the request's own address
     * is one, and Linux looks associations up by it */
    c.lookup = *addr;
    c.req[0].type = type;
    c.req[0].corr = s->serial;
    c.req[0].addr = *addr;
    int n = asconf_encode(&c, s->out, sizeof(s->out));
    if (n < 0)
        return -EINVAL;
    s->out_len = (uint16_t)n;
    s->outstanding = true;
    send_asconf(a, now);
    return 0;
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
    (void)now;
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
}

/* The peer's Add IP: a new path to that address, on the UDP port the
 * ASCONF came from (RFC 6951), confirmed by heartbeat. */
static uint16_t add_ip(struct assoc *a, const struct asconf_req *q, unsigned from, uint64_t now)
{
    if (assoc_find_path(a, &q->addr) >= 0)
        return 0; /* already there: success (5.2) */
    struct sockaddr_storage ss = q->addr;
    const struct sockaddr_storage src_ss = path_sa_get(&a->paths[from].addr), *src = &src_ss;
    if (ss.ss_family == AF_INET && src->ss_family == AF_INET)
        ((struct sockaddr_in *)&ss)->sin_port = ((const struct sockaddr_in *)src)->sin_port;
    else if (ss.ss_family == AF_INET6 && src->ss_family == AF_INET6)
        ((struct sockaddr_in6 *)&ss)->sin6_port = ((const struct sockaddr_in6 *)src)->sin6_port;
    int p = assoc_add_path(a, &ss, false);
    if (p < 0)
        return CAUSE_ASCONF_RESOURCE;
    assoc_hb_schedule(a, (unsigned)p, now);
    return 0;
}

/* A path the peer deleted: inactive, no heartbeats, no retransmissions. */
static bool deleted(const struct path *p)
{
    return p->state == SCTPNG_ENG_PATH_INACTIVE && !p->pp.max_retrans && !p->pp.hb_interval_ms;
}

/* The peer's Delete IP: its path stays in the array (indices name paths
 * everywhere, and the endpoint's index keeps every path) but goes inactive
 * for good: no heartbeats, no data, never the primary. */
static uint16_t del_ip(struct assoc *a, const struct asconf_req *q, unsigned from)
{
    int p = assoc_find_path(a, &q->addr);
    if (p < 0)
        return 0; /* not there: nothing to do (5.2) */
    if ((unsigned)p == from)
        return CAUSE_DEL_SOURCE_IP;
    unsigned live = 0;
    for (unsigned i = 0; i < a->n_paths; i++)
        live += !deleted(&a->paths[i]);
    if (live <= 1)
        return CAUSE_DEL_LAST_IP;
    struct path *pa = &a->paths[p];
    pa->pp.hb_interval_ms = 0;
    pa->pp.max_retrans = 0;
    timer_stop(&a->tm, TMR_HB + (unsigned)p);
    pa->hb_outstanding = false;
    assoc_path_state(a, (unsigned)p, SCTPNG_ENG_PATH_INACTIVE);
    if (a->primary == (unsigned)p)
        a->primary = from;
    return 0;
}

static uint16_t set_primary(struct assoc *a, const struct asconf_req *q)
{
    int p = assoc_find_path(a, &q->addr);
    if (p < 0 || deleted(&a->paths[p]))
        return CAUSE_UNRESOLVABLE_ADDR;
    a->primary = (unsigned)p;
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
