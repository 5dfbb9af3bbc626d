/* Association lifetime, paths and the ways an association ends. */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "engine/check.h"
#include "engine/internal.h"
#include "engine/param.h"

struct assoc *assoc_new(struct sctpng_eng *ep)
{
    struct assoc *a = mem_alloc(&ep->mem, sizeof(*a));
    if (!a)
        return NULL;
    /* Queues for every stream we ask for: the peer may grant fewer, but
     * what was queued before its answer stays queued. */
    if (outq_init(&a->outq, &ep->mem, ep->cfg.out_streams) < 0) {
        mem_free(&ep->mem, a);
        return NULL;
    }
    outq_set_sched(&a->outq, ep->cfg.scheduler); /* checked by sctpng_eng_new */
    a->ep = ep;
    do {
        a->id = ep->next_id++;
    } while (a->id < SCTPNG_ENG_FIRST_ASSOC_ID || ep_find_assoc(ep, a->id));
    if (ep_index_assoc(ep, a) < 0) {
        outq_destroy(&a->outq, &ep->pool, &ep->mem);
        mem_free(&ep->mem, a);
        return NULL;
    }
    a->local_tie = ep_random32(ep);
    a->peer_tie = ep_random32(ep);
    timers_init(&a->tm);
    path_params_default(ep, &a->pp);
    a->fixed_mtu = (uint16_t)ep->fixed_mtu;
    a->pl_iv = ep->pl_iv;
    a->qos = ep->qos;
    a->lmask = (uint8_t)((1u << ep->n_local) - 1u); /* the endpoint's addresses */
    a->dry = true;
    a->nodelay = ep->cfg.nodelay;
    a->fsn_from_zero = ep->cfg.idata_fsn_from_zero;
    sctpng_eng_tuning_of(&a->tune, &ep->cfg);
    ep->n_live++;
    ep->stats.assocs_created++;
    return a;
}

int assoc_setup_streams(struct assoc *a, uint16_t os, uint16_t mis, uint32_t peer_itsn)
{
    struct sctpng_eng *ep = a->ep;
    a->os = os;
    a->mis = mis;
    for (unsigned s = 0; s < a->outq.n; s++)
        a->outq.st[s].next_ssn = 0;
    a->next_umid = 0;
    reconf_state_free(a->rc, &ep->mem); /* a restart forgets reconfiguration */
    a->rc = NULL;
    reasm_destroy(&a->reasm);
    if (reasm_init(&a->reasm, &ep->pool, &ep->mem, mis) < 0)
        return -ENOMEM;
    a->outq.intl = (a->ext & EXT_IDATA) != 0;
    if (a->ext & EXT_IDATA)
        a->reasm.mid_mask = 0xffffffffu; /* I-DATA: 32-bit MID (RFC 8260 2.1) */
    tsn_map_destroy(&a->tmap);
    tsn_map_init(&a->tmap, &ep->mem, peer_itsn);
    a->got_data = false;
    a->advertised_rwnd = ep->cfg.rwnd;
    return 0;
}

void assoc_free(struct assoc *a)
{
    struct sctpng_eng *ep = a->ep;
    ep_unindex_all(a);
    if (!a->zombie)
        ep->n_live--;
    sendq_free_all(a);
    reasm_destroy(&a->reasm);
    outq_destroy(&a->outq, &ep->pool, &ep->mem);
    pr_free(a);
    auth_assoc_free(a);
    reconf_state_free(a->rc, &ep->mem);
    mem_free(&ep->mem, a->cookie);
    ctlq_clear(&a->ctlq, &ep->mem);
    mem_free(&ep->mem, a->paths);
    tsn_map_destroy(&a->tmap);
    ep->stats.assocs_freed++;
    mem_free(&ep->mem, a);
}

/* A dead association keeps no timer: nothing it would do is wanted. */
static void stop_timers(struct assoc *a)
{
    timers_init(&a->tm);
    for (unsigned i = 0; i < a->n_paths; i++)
        a->paths[i].hb_outstanding = false;
    ctlq_clear(&a->ctlq, &a->ep->mem);
}

static int down_error(sctpng_eng_down_reason why)
{
    switch (why) {
    case SCTPNG_ENG_DOWN_SHUTDOWN:
        return 0;
    case SCTPNG_ENG_DOWN_COMM_LOST:
        return -ETIMEDOUT;
    case SCTPNG_ENG_DOWN_PEER_ABORT:
        return -ECONNRESET;
    case SCTPNG_ENG_DOWN_USER_ABORT:
        return -ECONNABORTED;
    default:
        return -ECONNREFUSED;
    }
}

void assoc_down(struct assoc *a, sctpng_eng_down_reason why, uint16_t cause)
{
    assoc_down_err(a, why, cause, down_error(why));
}

/* A message partly delivered will never be whole: the reader is told
 * before the association's end (Linux's SCTP_PARTIAL_DELIVERY_ABORTED). */
static void pd_aborted(struct assoc *a)
{
    const struct reasm *r = &a->reasm;
    for (unsigned i = 0; r->n_pd && r->st && i < r->nstreams; i++)
        if (r->st[i].pd != RPD_NONE)
            ev_pd_aborted(a, (uint16_t)i, r->st[i].pd_mid);
}

void assoc_down_err(struct assoc *a, sctpng_eng_down_reason why, uint16_t cause, int error)
{
    struct sctpng_eng *ep = a->ep;
    if (a->zombie)
        return;
    sendq_fail_all(a);
    /* Reported failed above; nothing can send or acknowledge it now, and a
     * zombie lives until the application reads its events. */
    sendq_free_all(a);
    if (why != SCTPNG_ENG_DOWN_SHUTDOWN)
        pd_aborted(a);
    ev_assoc_down(a, why, cause, error);
    a->state = SCTPNG_ENG_CLOSED;
    a->zombie = true;
    stop_timers(a);
    ep_unindex_live(a);
    ep->n_live--;
    /* Freed later by assoc_reap(), never under a caller that still uses it,
     * and only once the application has read what is left. */
}

int assoc_find_path(const struct assoc *a, const struct sockaddr_storage *addr)
{
    for (unsigned i = 0; i < a->n_paths; i++)
        if (path_sa_same_ip(&a->paths[i].addr, addr))
            return (int)i;
    return -1;
}

/* Room for one more path: the array moves, so its address nodes are
 * taken out of the table and put back. */
static int grow_paths(struct assoc *a)
{
    struct sctpng_eng *ep = a->ep;
    struct path *np = mem_alloc(&ep->mem, (a->n_paths + 1) * sizeof(*np)); /* zeroed */
    if (!np)
        return -1;
    for (unsigned i = 0; i < a->n_paths; i++)
        ep_unindex_path(a, i);
    if (a->n_paths)
        memcpy(np, a->paths, a->n_paths * sizeof(*np));
    mem_free(&ep->mem, a->paths);
    a->paths = np;
    for (unsigned i = 0; i < a->n_paths; i++)
        ep_index_path(a, i);
    return 0;
}

int assoc_add_path(struct assoc *a, const struct sockaddr_storage *addr, bool confirmed)
{
    int i = assoc_find_path(a, addr);
    if (i >= 0)
        return i;
    if (a->n_paths >= SCTPNG_ENG_MAX_PATHS || !addr_valid(addr) || grow_paths(a) < 0)
        return -1;
    struct path *p = &a->paths[a->n_paths];
    path_sa_set(&p->addr, addr);
    p->state = confirmed ? SCTPNG_ENG_PATH_ACTIVE : SCTPNG_ENG_PATH_UNCONFIRMED;
    p->pp = a->pp;
    p->fixed_mtu = a->fixed_mtu;
    p->pl_iv = a->pl_iv;
    p->qos = addr->ss_family == AF_INET6 ? a->qos : a->qos & ~(QOS_FL_SET | QOS_FL_MASK);
    pl_init(a, a->n_paths); /* the path's first MTU */
    timer_stop(&a->tm, TMR_T3 + a->n_paths);
    timer_stop(&a->tm, TMR_HB + a->n_paths);
    rto_init(&p->rto, a->tune.rto_initial_ms * MS, a->tune.rto_min_ms * MS,
             a->tune.rto_max_ms * MS);
    cc_init(&p->cc, p->mtu, a->peer_rwnd);
    ep_index_path(a, a->n_paths);
    if (a->state >= SCTPNG_ENG_ESTABLISHED)
        pl_start(a, a->n_paths, 0);
    return (int)a->n_paths++;
}

void assoc_path_state(struct assoc *a, unsigned i, sctpng_eng_path_state s)
{
    ENG_ASSERT(i < a->n_paths);
    sctpng_eng_path_state prev = a->paths[i].state;
    if (prev == s)
        return;
    a->paths[i].state = s;
    ev_peer_addr(a, i, prev);
}

/* Where new data goes: the primary while it is active, else the first
 * active path, else the potentially failed path with the fewest errors
 * (RFC 7829 5.1), else the primary anyway (keep trying). */
unsigned assoc_data_path(const struct assoc *a)
{
    if (a->paths[a->primary].state == SCTPNG_ENG_PATH_ACTIVE)
        return a->primary;
    for (unsigned i = 0; i < a->n_paths; i++)
        if (a->paths[i].state == SCTPNG_ENG_PATH_ACTIVE)
            return i;
    unsigned best = a->primary;
    for (unsigned i = 0; i < a->n_paths; i++)
        if (a->paths[i].state == SCTPNG_ENG_PATH_PF &&
            (a->paths[best].state != SCTPNG_ENG_PATH_PF ||
             a->paths[i].errors < a->paths[best].errors))
            best = i;
    return best;
}

void assoc_established(struct assoc *a, uint64_t now, sctpng_eng_event_type evt)
{
    a->state = SCTPNG_ENG_ESTABLISHED;
    timer_stop(&a->tm, TMR_T1);
    timer_stop(&a->tm, TMR_T5); /* a restart may interrupt a shutdown */
    a->errors = 0;
    for (unsigned i = 0; i < a->n_paths; i++) {
        cc_init(&a->paths[i].cc, a->paths[i].mtu, a->peer_rwnd);
        assoc_hb_schedule(a, i, now);
        pl_start(a, i, now);
    }
    ev_assoc_up(a, evt);
    if (a->peer_adapt) /* RFC 5061: the peer's indication, after COMMUNICATION UP (as Linux) */
        ev_adaptation(a);
    assoc_autoclose(a, now);
    auth_on_established(a);
}

void assoc_autoclose(struct assoc *a, uint64_t now)
{
    if (a->tune.autoclose_ms && a->state == SCTPNG_ENG_ESTABLISHED)
        timer_set(&a->tm, TMR_AUTOCLOSE, now + (uint64_t)a->tune.autoclose_ms * MS);
    else
        timer_stop(&a->tm, TMR_AUTOCLOSE);
}

void assoc_set_error(struct assoc *a, uint16_t code, const void *info, size_t len)
{
    uint8_t cause[ERR_INFO_MAX];
    if (4 + len > ERR_INFO_MAX)
        len = ERR_INFO_MAX - 4;
    cause[0] = (uint8_t)(code >> 8);
    cause[1] = (uint8_t)code;
    cause[2] = (uint8_t)((4 + len) >> 8);
    cause[3] = (uint8_t)(4 + len);
    if (len)
        memcpy(cause + 4, info, len);
    (void)ctlq_add(&a->ctlq, &a->ep->mem, CT_ERROR, CTL_ANY_PATH, cause, (uint16_t)(4 + len));
}

void assoc_abort(struct assoc *a, uint16_t code, const void *info, size_t len,
                 sctpng_eng_down_reason why)
{
    sctpng_eng_path to;
    memset(&to, 0, sizeof(to));
    to.remote = path_sa_get(&a->paths[assoc_data_path(a)].addr);
    to.local = path_sa_get(&a->paths[assoc_data_path(a)].local);
    /* Before the peer's tag is known (COOKIE-WAIT) there is nobody to tell.
     * RFC 4895 6.2: an ABORT the peer requires authenticated goes signed
     * (auth_sign_packet does nothing otherwise). */
    struct reply_chunk rc = {
        a->ep->cfg.local_port, a->peer_port, a->peer_vtag, CT_ABORT, 0, code, info, len};
    struct pkt_writer w;
    struct reply *r;
    if (a->state != SCTPNG_ENG_COOKIE_WAIT && (r = ep_reply_begin(a->ep, &to, &w, &rc)) != NULL) {
        auth_sign_packet(a, &w, ep_reply_mtu(a->ep));
        ep_reply_finish(r, &w);
    }
    assoc_down(a, why, 0);
}

bool assoc_count_error(struct assoc *a)
{
    if (++a->errors > a->tune.assoc_max_retrans) {
        assoc_abort(a, 0, NULL, 0, SCTPNG_ENG_DOWN_COMM_LOST);
        return true;
    }
    return false;
}

bool assoc_lower_pmtu(struct assoc *a, unsigned i, uint32_t mtu)
{
    ENG_ASSERT(i < a->n_paths);
    struct path *p = &a->paths[i];
    if (mtu == 0)
        return false;
    if (mtu < SCTPNG_ENG_MIN_MTU)
        mtu = SCTPNG_ENG_MIN_MTU;
    if (mtu >= p->mtu)
        return false;
    p->mtu = mtu;
    /* cwnd counts in MTUs from here on; what it holds now stays (it is at
     * least the old, larger MTU). */
    p->cc.mtu = mtu;
    return true;
}

struct assoc *assoc_lookup(struct sctpng_eng *ep, const struct sockaddr_storage *from,
                           uint16_t peer_port, unsigned *path)
{
    if (!addr_valid(from))
        return NULL;
    uint64_t h = ep_addr_hash(ep, from, peer_port);
    for (struct hnode *n = htab_bucket(&ep->by_addr, h); n; n = n->next) {
        struct path *p = (struct path *)((char *)n - offsetof(struct path, addr_node));
        struct assoc *a = p->owner;
        if (n->hash != h || a->peer_port != peer_port || !path_sa_same_ip(&p->addr, from))
            continue;
        *path = (unsigned)(p - a->paths);
        return a;
    }
    return NULL;
}

/* Down associations are on the zombie list; each goes once nothing is
 * left to read. */
void assoc_reap(struct sctpng_eng *ep)
{
    struct assoc *a = ep->zombies;
    while (a) {
        struct assoc *next = a->ready_next;
        if (!reasm_readable(&a->reasm))
            assoc_free(a);
        a = next;
    }
}

void assoc_hb_schedule(struct assoc *a, unsigned i, uint64_t now)
{
    ENG_ASSERT(i < a->n_paths);
    struct path *p = &a->paths[i];
    uint32_t interval = p->pp.hb_interval_ms;
    if (p->hb_outstanding)
        return; /* its answer or its timeout schedules the next one */
    if (p->state == SCTPNG_ENG_PATH_UNCONFIRMED) {
        timer_set(&a->tm, TMR_HB + i, now); /* confirm new addresses promptly (5.4) */
        return;
    }
    if (p->state == SCTPNG_ENG_PATH_PF) {
        timer_set(&a->tm, TMR_HB + i, now + p->rto.rto); /* RFC 7829 5.1 */
        return;
    }
    if (!interval || (interval & SCTPNG_ENG_HB_OFF)) {
        timer_stop(&a->tm, TMR_HB + i);
        return;
    }
    /* HB.interval + RTO with RTO jitter of +-50% (8.3) */
    uint64_t rto = p->rto.rto;
    uint64_t jitter = rto ? (uint64_t)ep_random32(a->ep) % (rto + 1) : 0;
    timer_set(&a->tm, TMR_HB + i, now + interval * MS + rto / 2 + jitter);
}
