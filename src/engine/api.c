/* Association-level public API: connect, send, recv, shutdown, abort,
 * status and path figures. */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "engine/check.h"
#include "engine/internal.h"
#include "engine/param.h"

int sctpng_eng_connect(sctpng_eng *ep, const struct sockaddr_storage *peers, size_t n,
                       uint16_t peer_port, uint64_t now, uint32_t *assoc_out)
{
    ENG_CHECK_ON_RETURN(ep);
    if (!peers || n == 0 || n > SCTPNG_ENG_MAX_PATHS || peer_port == 0 || !assoc_out)
        return -EINVAL;
    for (size_t i = 0; i < n; i++)
        if (!addr_valid(&peers[i]))
            return -EINVAL;
    unsigned dummy;
    for (size_t i = 0; i < n; i++)
        if (assoc_lookup(ep, &peers[i], peer_port, &dummy))
            return -EISCONN;
    if (ep->n_live >= ep->cfg.max_assocs)
        return -EMFILE;
    struct assoc *a = assoc_new(ep);
    if (!a)
        return -ENOMEM;
    a->peer_port = peer_port;
    for (size_t i = 0; i < n; i++) {
        int p = assoc_add_path(a, &peers[i], i == 0);
        if (p < 0 && i == 0) {
            a->zombie = true; /* out of memory: no path at all */
            ep->n_live--;
            assoc_free(a);
            return -ENOMEM;
        }
        if (p >= 0)
            a->paths[p].user_given = true;
    }
    a->primary = 0;
    /* Streams are known only after the INIT-ACK; until then queued sends
     * are checked against what we ask for. */
    a->os = ep->cfg.out_streams;
    hs_connect_init(a, now);
    *assoc_out = a->id;
    return 0;
}

static struct assoc *live(sctpng_eng *ep, uint32_t id)
{
    struct assoc *a = ep_find_assoc(ep, id);
    return a && !a->zombie ? a : NULL;
}

ssize_t sctpng_eng_send(sctpng_eng *ep, uint32_t id, const void *data, size_t len,
                        const sctpng_eng_sndinfo *info, uint64_t now)
{
    ENG_CHECK_ON_RETURN(ep);
    static const sctpng_eng_sndinfo defaults;
    struct assoc *a = ep_find_assoc(ep, id);
    if (!a)
        return -ENOENT;
    if (a->zombie || a->state > SCTPNG_ENG_ESTABLISHED)
        return -EPIPE;
    if (!info)
        info = &defaults;
    if (len == 0 || !data || info->stream >= a->os)
        return -EINVAL;
    if (info->addr_over && (info->path >= a->n_paths || path_deleted(&a->paths[info->path])))
        return -EINVAL;
    if (len > ep->cfg.max_message || (a->tune.disable_frag && len > sendq_frag_point(a)))
        return -EMSGSIZE;
    if (reconf_send_blocked(a, info->stream))
        return -EAGAIN; /* its reset is outstanding (as Linux) */
    uint64_t used = (uint64_t)a->queued_bytes + a->out_bytes;
    if (used + len > ep->cfg.sndbuf && info->pr_policy == SCTPNG_ENG_PR_PRIO)
        used -= tx_evict_prio(a, info->pr_value, used + len - ep->cfg.sndbuf);
    if (used + len > ep->cfg.sndbuf)
        return -EAGAIN;
    int r = sendq_enqueue(a, data, len, info, now);
    if (r < 0)
        return r;
    a->burst = 0; /* a new output run (SCTP_MAX_BURST), as Linux flushes on send */
    if (a->tune.autoclose_ms)
        assoc_autoclose(a, now); /* SCTP_AUTOCLOSE: not idle */
    return (ssize_t)len;
}

static void to_rcvinfo(const struct assoc *a, const struct reasm_info *ri, sctpng_eng_rcvinfo *info)
{
    memset(info, 0, sizeof(*info));
    info->assoc = a->id;
    info->stream = ri->sid;
    info->ssn = ri->ssn;
    info->ppid = ri->ppid;
    info->tsn = ri->tsn;
    info->unordered = ri->unordered;
    info->complete = ri->complete;
    info->path = ri->path;
}

ssize_t sctpng_eng_recv(sctpng_eng *ep, uint32_t id, void *buf, size_t cap,
                        sctpng_eng_rcvinfo *info)
{
    ENG_CHECK_ON_RETURN(ep);
    struct assoc *a = NULL;
    if (!buf || cap == 0 || !info)
        return -EINVAL;
    if (id) {
        a = ep_find_assoc(ep, id);
        if (!a)
            return -ENOENT;
    } else {
        a = ep_rd_first(ep);
        if (!a)
            return -EAGAIN;
        ep_touch(a); /* reading may open the window (a SACK) */
    }
    struct reasm_info ri;
    ssize_t n = reasm_read(&a->reasm, buf, cap, &ri);
    if (n < 0)
        return n;
    to_rcvinfo(a, &ri, info);
    ep_rd_done(a, ri.complete);
    a->st.user_bytes_recvd += (uint64_t)n;
    if (ri.complete)
        a->st.msgs_recvd++;
    /* Partial delivery may be able to continue now that room was made. */
    if (!reasm_readable(&a->reasm))
        rx_partial(a);
    rx_after_read(a);
    if (reasm_readable(&a->reasm)) /* e.g. partial delivery just began */
        ep_rd_push(a);
    if (a->zombie && !reasm_readable(&a->reasm))
        assoc_reap(ep);
    return n;
}

int sctpng_eng_peek(sctpng_eng *ep, uint32_t id, sctpng_eng_rcvinfo *info, size_t *len)
{
    if (!info || !len)
        return -EINVAL;
    struct assoc *a = id ? ep_find_assoc(ep, id) : ep_rd_peek(ep);
    if (!a)
        return id ? -ENOENT : -EAGAIN;
    struct reasm_info ri;
    if (!reasm_peek(&a->reasm, &ri, len))
        return -EAGAIN;
    to_rcvinfo(a, &ri, info);
    return 0;
}

int sctpng_eng_shutdown(sctpng_eng *ep, uint32_t id, uint64_t now)
{
    ENG_CHECK_ON_RETURN(ep);
    struct assoc *a = live(ep, id);
    if (!a)
        return -ENOENT;
    switch (a->state) {
    case SCTPNG_ENG_COOKIE_WAIT:
    case SCTPNG_ENG_COOKIE_ECHOED:
        /* nothing was established: just stop (9.2: "abort" the setup) */
        assoc_abort(a, CAUSE_USER_ABORT, NULL, 0, SCTPNG_ENG_DOWN_SHUTDOWN);
        assoc_reap(ep);
        return 0;
    case SCTPNG_ENG_ESTABLISHED:
        a->state = SCTPNG_ENG_SHUTDOWN_PENDING;
        ctl_shutdown_progress(a, now);
        return 0;
    default:
        return -EALREADY;
    }
}

int sctpng_eng_abort(sctpng_eng *ep, uint32_t id, const void *reason, size_t reason_len,
                     uint64_t now)
{
    ENG_CHECK_ON_RETURN(ep);
    (void)now;
    struct assoc *a = live(ep, id);
    if (!a)
        return -ENOENT;
    if (!reason)
        reason_len = 0;
    if (reason_len > 256)
        reason_len = 256;
    assoc_abort(a, CAUSE_USER_ABORT, reason, reason_len, SCTPNG_ENG_DOWN_USER_ABORT);
    assoc_reap(ep);
    return 0;
}

int sctpng_eng_close(sctpng_eng *ep, uint32_t id)
{
    ENG_CHECK_ON_RETURN(ep);
    struct assoc *a = ep_find_assoc(ep, id);
    if (!a)
        return -ENOENT;
    if (!a->zombie) {
        a->zombie = true;
        ep->n_live--;
    }
    assoc_free(a);
    return 0;
}

int sctpng_eng_get_status(const sctpng_eng *ep, uint32_t id, sctpng_eng_status *st)
{
    const struct assoc *a = ep_find_assoc((sctpng_eng *)ep, id);
    if (!a)
        return -ENOENT;
    memset(st, 0, sizeof(*st));
#define COPY_COUNTER(f) st->f = a->st.f;
    ASSOC_COUNTERS(COPY_COUNTER)
#undef COPY_COUNTER
    st->state = a->state;
    st->peer_port = a->peer_port;
    st->in_streams = a->mis;
    st->out_streams = a->os;
    st->peer_pr_sctp = (a->ext & EXT_PR_SCTP) != 0;
    st->idata = (a->ext & EXT_IDATA) != 0;
    st->reconf = (a->ext & EXT_RECONF) != 0;
    st->idata_peer_fsn = a->reasm.fsn_peer;
    st->idata_fsn_from_zero = (a->ext & EXT_IDATA) && sendq_fsn_from_zero(a);
    st->frag_point = a->n_paths ? sendq_frag_point(a) : 0;
    st->local_vtag = a->local_vtag;
    st->peer_vtag = a->peer_vtag;
    st->peer_rwnd = a->peer_rwnd;
    st->local_rwnd = rx_rwnd(a);
    st->n_paths = a->n_paths;
    st->primary = a->primary;
    st->next_tsn = a->next_tsn;
    st->peer_cum_ack = a->cum_acked;
    st->local_cum_tsn = a->tmap.cum;
    st->outstanding_chunks = a->out_chunks;
    st->outstanding_bytes = a->out_bytes;
    st->queued_chunks = a->queued_chunks;
    st->queued_bytes = a->queued_bytes;
    st->unread_bytes = a->reasm.ready_bytes;
    st->max_rto_ns = 0;
    st->max_rto_path = 0;
    for (uint32_t i = 0; i < a->n_paths; i++) {
        if (a->paths[i].rto.highest > st->max_rto_ns) {
            st->max_rto_ns = a->paths[i].rto.highest;
            st->max_rto_path = i;
        }
    }
    return 0;
}

int sctpng_eng_reset_max_rto(sctpng_eng *ep, uint32_t id)
{
    struct assoc *a = ep_find_assoc(ep, id);
    if (!a)
        return -ENOENT;
    for (uint32_t i = 0; i < a->n_paths; i++)
        rto_reset_highest(&a->paths[i].rto);
    return 0;
}

int sctpng_eng_get_path(const sctpng_eng *ep, uint32_t id, uint32_t index, sctpng_eng_path_info *pi)
{
    const struct assoc *a = ep_find_assoc((sctpng_eng *)ep, id);
    if (!a)
        return -ENOENT;
    if (index >= a->n_paths)
        return -ERANGE;
    const struct path *p = &a->paths[index];
    memset(pi, 0, sizeof(*pi));
    pi->addr = path_sa_get(&p->addr);
    pi->state = p->state;
    pi->primary = index == a->primary;
    pi->cwnd = p->cc.cwnd;
    pi->ssthresh = p->cc.ssthresh;
    pi->flight = p->flight;
    pi->partial_bytes_acked = p->cc.pba;
    pi->mtu = p->mtu;
    pi->errors = p->errors;
    pi->srtt_ns = p->rto.srtt;
    pi->rttvar_ns = p->rto.rttvar;
    pi->rto_ns = p->rto.rto;
    pi->packets_sent = p->pkts_sent;
    pi->packets_recvd = p->pkts_recvd;
    pi->pl_state = (sctpng_eng_pl_state)p->pl.state;
    pi->pl_probe = p->pl_probe;
    pi->removed = path_deleted(p);
    return 0;
}

int sctpng_eng_set_primary(sctpng_eng *ep, uint32_t id, const struct sockaddr_storage *addr)
{
    ENG_CHECK_ON_RETURN(ep);
    struct assoc *a = live(ep, id);
    if (!a)
        return -ENOENT;
    int i = addr ? assoc_find_path(a, addr) : -1;
    if (i < 0)
        return -EADDRNOTAVAIL;
    a->primary = (unsigned)i;
    ev_made_primary(a, (unsigned)i); /* as Linux: even when it already was */
    return 0;
}

int sctpng_eng_set_scheduler(sctpng_eng *ep, uint32_t id, int sched)
{
    ENG_CHECK_ON_RETURN(ep);
    if (id == 0) {
        if (sched < SCTPNG_ENG_SCHED_FCFS || sched > SCTPNG_ENG_SCHED_WFQ)
            return -EINVAL;
        ep->cfg.scheduler = (uint8_t)sched;
        return 0;
    }
    struct assoc *a = ep_find_assoc(ep, id);
    if (!a)
        return -ENOENT;
    return outq_set_sched(&a->outq, sched) < 0 ? -EINVAL : 0;
}

int sctpng_eng_get_scheduler(const sctpng_eng *ep, uint32_t id, int *sched)
{
    if (id == 0 && sched) {
        *sched = ep->cfg.scheduler;
        return 0;
    }
    const struct assoc *a = ep_find_assoc((sctpng_eng *)ep, id);
    if (!a)
        return -ENOENT;
    if (!sched)
        return -EINVAL;
    *sched = a->outq.sched_kind;
    return 0;
}

/* The stream queues cover the streams asked for; a peer may grant fewer
 * (a->os), and only those exist for the application. */
int sctpng_eng_set_stream_value(sctpng_eng *ep, uint32_t id, uint16_t stream, uint16_t value)
{
    ENG_CHECK_ON_RETURN(ep);
    struct assoc *a = ep_find_assoc(ep, id);
    if (!a)
        return -ENOENT;
    if (stream >= a->os || stream >= a->outq.n)
        return -EINVAL;
    a->outq.st[stream].value = value;
    return 0;
}

int sctpng_eng_get_stream_value(const sctpng_eng *ep, uint32_t id, uint16_t stream, uint16_t *value)
{
    const struct assoc *a = ep_find_assoc((sctpng_eng *)ep, id);
    if (!a)
        return -ENOENT;
    if (!value || stream >= a->os || stream >= a->outq.n)
        return -EINVAL;
    *value = a->outq.st[stream].value;
    return 0;
}

/* A per-association flag: association `id`'s own (at `off` in struct
 * assoc), or for id 0 the endpoint's default for associations to come;
 * NULL for an unknown id. */
static bool *assoc_flag(sctpng_eng *ep, uint32_t id, bool *dflt, size_t off)
{
    if (id == 0)
        return dflt;
    struct assoc *a = ep_find_assoc(ep, id);
    return a ? (bool *)((char *)a + off) : NULL;
}

static int set_flag(sctpng_eng *ep, uint32_t id, bool *dflt, size_t off, bool on)
{
    bool *f = assoc_flag(ep, id, dflt, off);
    if (!f)
        return -ENOENT;
    *f = on;
    return 0;
}

static int get_flag(sctpng_eng *ep, uint32_t id, bool *dflt, size_t off, bool *on)
{
    if (!on)
        return -EINVAL;
    bool *f = assoc_flag(ep, id, dflt, off);
    if (!f)
        return -ENOENT;
    *on = *f;
    return 0;
}

int sctpng_eng_set_nodelay(sctpng_eng *ep, uint32_t id, bool nodelay)
{
    ENG_CHECK_ON_RETURN(ep);
    return set_flag(ep, id, &ep->cfg.nodelay, offsetof(struct assoc, nodelay), nodelay);
}

int sctpng_eng_set_idata_fsn_from_zero(sctpng_eng *ep, uint32_t id, bool on)
{
    ENG_CHECK_ON_RETURN(ep);
    return set_flag(ep, id, &ep->cfg.idata_fsn_from_zero, offsetof(struct assoc, fsn_from_zero),
                    on);
}

/* The getters change nothing: the endpoint is never a const object
 * (sctpng_eng_new allocates it). */
int sctpng_eng_get_idata_fsn_from_zero(const sctpng_eng *ep, uint32_t id, bool *on)
{
    sctpng_eng *e = (sctpng_eng *)ep;
    return get_flag(e, id, &e->cfg.idata_fsn_from_zero, offsetof(struct assoc, fsn_from_zero), on);
}

int sctpng_eng_get_nodelay(const sctpng_eng *ep, uint32_t id, bool *nodelay)
{
    sctpng_eng *e = (sctpng_eng *)ep;
    return get_flag(e, id, &e->cfg.nodelay, offsetof(struct assoc, nodelay), nodelay);
}
