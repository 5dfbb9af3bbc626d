/* The public drivers of the sans-IO engine (include/sctpng/engine.h):
 * configuration, endpoint lifetime, input, output, timers, events and
 * figures. Association-level calls are in api.c. */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "engine/check.h"
#include "engine/internal.h"
#include "engine/param.h"

void sctpng_eng_config_init(sctpng_eng_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->size = sizeof(*cfg);
    cfg->out_streams = 16;
    cfg->in_streams = 16;
    cfg->rwnd = 1u << 20;
    cfg->sndbuf = 1u << 20;
    cfg->mtu = 1200;
    cfg->rto_initial_ms = 1000;
    cfg->rto_min_ms = 1000; /* RFC 9260's; below the peer's delayed SACK a lone
                                message's T3 would fire before its SACK */
    cfg->rto_max_ms = 60000;
    cfg->max_init_retrans = 8;
    cfg->assoc_max_retrans = 10;
    cfg->path_max_retrans = 5;
    cfg->hb_interval_ms = 30000;
    cfg->pf_threshold = SCTPNG_ENG_PF_OFF;
    cfg->switchover_threshold = SCTPNG_ENG_SWITCHOVER_OFF;
    cfg->cookie_life_ms = 60000;
    cfg->sack_delay_ms = 200;
    cfg->sack_freq = 2;
    cfg->max_assocs = 1024;
    cfg->pr_sctp = true;
    cfg->plpmtud_base = 1200;
    cfg->plpmtud_probe_ms = 1000;
    cfg->plpmtud_raise_ms = 600000;
}

static int check_config(const sctpng_eng_config *c)
{
    if (!c->local_port || !c->random || !c->cookie_secret ||
        c->cookie_secret_len < SCTPNG_ENG_SECRET_MIN ||
        c->cookie_secret_len > SCTPNG_ENG_SECRET_MAX || !c->out_streams || !c->in_streams ||
        c->mtu < SCTPNG_ENG_MIN_MTU || c->mtu > 65535 || c->rwnd < 1500 || !c->sndbuf ||
        !c->rto_min_ms || c->rto_min_ms > c->rto_max_ms || !c->sack_freq ||
        c->n_local_addrs > SCTPNG_ENG_MAX_LOCAL_ADDRS || (c->n_local_addrs && !c->local_addrs) ||
        c->scheduler > SCTPNG_ENG_SCHED_WFQ || (c->reconf_enable & ~7u) ||
        (c->plpmtud && c->plpmtud_base && c->plpmtud_base < SCTPNG_ENG_MIN_MTU))
        return -EINVAL;
    for (size_t i = 0; i < c->n_local_addrs; i++)
        if (!addr_valid(&c->local_addrs[i]))
            return -EINVAL;
    return 0;
}

int sctpng_eng_new(const sctpng_eng_config *user, sctpng_eng **out)
{
    sctpng_eng_config cfg;
    if (!user || !out || user->size < offsetof(sctpng_eng_config, local_addrs))
        return -EINVAL;
    sctpng_eng_config_init(&cfg);
    memcpy(&cfg, user, user->size < sizeof(cfg) ? user->size : sizeof(cfg));
    cfg.size = sizeof(cfg);
    int r = check_config(&cfg);
    if (r < 0)
        return r;
    struct mem_acct mem = {0, 0};
    sctpng_eng *ep = mem_alloc(&mem, sizeof(*ep));
    if (!ep)
        return -ENOMEM;
    ep->mem = mem;
    ep->cfg = cfg;
    memcpy(ep->secret, cfg.cookie_secret, cfg.cookie_secret_len);
    ep->secret_len = cfg.cookie_secret_len;
    ep->n_local = cfg.n_local_addrs;
    if (ep->n_local)
        memcpy(ep->local_addrs, cfg.local_addrs, ep->n_local * sizeof(ep->local_addrs[0]));
    ep->cfg.cookie_secret = NULL;
    ep->cfg.local_addrs = NULL;
    if ((r = auth_ep_init(ep)) < 0) {
        sctpng_eng_free(ep);
        return r;
    }
    ep->cfg.auth_chunks = NULL;
    ep->cfg.auth_hmacs = NULL;
    if (!ep->cfg.max_message || ep->cfg.max_message > ep->cfg.sndbuf)
        ep->cfg.max_message = ep->cfg.sndbuf;
    ep->next_id = SCTPNG_ENG_FIRST_ASSOC_ID;
    htab_init(&ep->by_id);
    htab_init(&ep->by_vtag);
    htab_init(&ep->by_addr);
    heap_init(&ep->deadlines);
    /* secret per endpoint: peers cannot pick addresses that collide */
    ep->hash_seed = ((uint64_t)ep_random32(ep) << 32) | ep_random32(ep);
    /* pooled chunks hold up to a base-size packet's payload; larger ones (a
     * PLPMTU above the base) are allocated to fit */
    pool_init(&ep->pool, &ep->mem, (uint16_t)(ep_reply_mtu(ep) - SCTP_HDR_LEN - DATA_HDR_LEN),
              4096);
    for (unsigned i = 0; i < REPLY_SLOTS; i++) {
        ep->replies[i].buf = mem_alloc(&ep->mem, ep_reply_mtu(ep));
        if (!ep->replies[i].buf) {
            sctpng_eng_free(ep);
            return -ENOMEM;
        }
    }
    ENG_CHECK(ep);
    *out = ep;
    return 0;
}

void sctpng_eng_free(sctpng_eng *ep)
{
    if (!ep)
        return;
    while (ep->assocs)
        assoc_free(ep->assocs);
    htab_destroy(&ep->by_id, &ep->mem);
    htab_destroy(&ep->by_vtag, &ep->mem);
    htab_destroy(&ep->by_addr, &ep->mem);
    heap_destroy(&ep->deadlines, &ep->mem);
    for (unsigned i = 0; i < REPLY_SLOTS; i++)
        mem_free(&ep->mem, ep->replies[i].buf);
    ev_free_all(ep);
    mem_free(&ep->mem, ep->events);
    ep_rd_free(ep);
    pool_destroy(&ep->pool);
    auth_ep_free(ep);
    struct mem_acct m = ep->mem;
    mem_free(&m, ep);
}

int sctpng_eng_set_secret(sctpng_eng *ep, const uint8_t *secret, size_t len)
{
    ENG_CHECK_ON_RETURN(ep);
    if (!secret || len < SCTPNG_ENG_SECRET_MIN || len > SCTPNG_ENG_SECRET_MAX)
        return -EINVAL;
    memcpy(ep->old_secret, ep->secret, ep->secret_len);
    ep->old_secret_len = ep->secret_len;
    memcpy(ep->secret, secret, len);
    ep->secret_len = len;
    return 0;
}

int sctpng_eng_poll_event(sctpng_eng *ep, sctpng_eng_event *ev)
{
    ENG_CHECK_ON_RETURN(ep);
    return ev_pop(ep, ev) ? 1 : 0;
}

ssize_t sctpng_eng_output(sctpng_eng *ep, uint64_t now, uint8_t *buf, size_t cap,
                          sctpng_eng_path *to)
{
    ENG_CHECK_ON_RETURN(ep);
    if (cap < ep->cfg.mtu)
        return -ENOBUFS;
    memset(to, 0, sizeof(*to));
    ep->out_qos = ep->qos; /* replies without an association: the endpoint's */
    ssize_t n = 0;
    while (n == 0 && ep->reply_count)
        n = ep_take_reply(ep, buf, cap, to);
    /* Round robin over the associations that may have something to send
     * (touched since they last had nothing), so one bulk sender cannot
     * starve the others and idle ones cost nothing: one that sends goes
     * to the tail, one with nothing leaves the list. */
    struct assoc *a;
    while (n == 0 && (a = ep_ready_first(ep))) {
        n = out_assoc(a, now, buf, ep->cfg.mtu, to);
        if (n > 0) {
            ep_ready_rotate(a);
            ep_touch(a); /* sending arms timers */
        } else {
            ep_ready_remove(a);
        }
    }
    timer_settle(ep);
    if (n > 0) {
        ep->stats.pkts_out++;
        ep->stats.bytes_out += (uint64_t)n;
        if (ep->tap)
            ep->tap(ep->tap_ctx, SCTPNG_ENG_DIR_OUT, buf, (size_t)n, to, now);
    }
    return n;
}

uint64_t sctpng_eng_deadline(const sctpng_eng *ep)
{
    /* The endpoint is never a const object (sctpng_eng_new allocates it):
     * settling the heap changes no observable state, only its cache. */
    timer_settle((sctpng_eng *)ep);
    return timer_ep_deadline(ep);
}

void sctpng_eng_timeout(sctpng_eng *ep, uint64_t now)
{
    ENG_CHECK_ON_RETURN(ep);
    timer_run_due(ep, now);
    timer_settle(ep);
    assoc_reap(ep);
}

int sctpng_eng_input(sctpng_eng *ep, const uint8_t *pkt, size_t len, const sctpng_eng_path *from,
                     uint64_t now)
{
    ENG_CHECK_ON_RETURN(ep);
    ep->stats.pkts_in++;
    ep->stats.bytes_in += len;
    if (ep->tap && pkt && from) /* before parsing: a capture shows what was dropped too */
        ep->tap(ep->tap_ctx, SCTPNG_ENG_DIR_IN, pkt, len, from, now);
    if (!pkt || !from || !addr_valid(&from->remote))
        return -EINVAL;
    int r = in_packet(ep, pkt, len, from, now);
    timer_settle(ep);
    assoc_reap(ep);
    return r;
}

void sctpng_eng_set_packet_tap(sctpng_eng *ep, sctpng_eng_tap_fn fn, void *ctx)
{
    ep->tap = fn;
    ep->tap_ctx = ctx;
}

void sctpng_eng_icmp_init(sctpng_eng_icmp *icmp)
{
    memset(icmp, 0, sizeof(*icmp));
    icmp->size = sizeof(*icmp);
}

int sctpng_eng_icmp_input(sctpng_eng *ep, const sctpng_eng_icmp *icmp, uint64_t now)
{
    ENG_CHECK_ON_RETURN(ep);
    if (!icmp || icmp->size < sizeof(*icmp) || (!icmp->quote && icmp->quote_len) ||
        !addr_valid(&icmp->path.remote))
        return -EINVAL;
    ep->stats.icmp_in++;
    int r = in_icmp(ep, icmp, now);
    timer_settle(ep);
    assoc_reap(ep);
    return r;
}

void sctpng_eng_get_stats(const sctpng_eng *ep, sctpng_eng_stats *st)
{
    *st = ep->stats;
    st->assocs_live = ep->n_live;
    st->mem_bytes = ep->mem.bytes;
    st->mem_allocs = ep->mem.allocs;
}

const char *sctpng_eng_state_name(sctpng_eng_state s)
{
    static const char *const n[] = {
        "CLOSED",           "COOKIE-WAIT",   "COOKIE-ECHOED",     "ESTABLISHED",
        "SHUTDOWN-PENDING", "SHUTDOWN-SENT", "SHUTDOWN-RECEIVED", "SHUTDOWN-ACK-SENT"};
    return (unsigned)s < sizeof(n) / sizeof(n[0]) ? n[s] : "?";
}

const char *sctpng_eng_event_name(sctpng_eng_event_type t)
{
    static const char *const n[] = {"NONE",        "ASSOC_UP",      "ASSOC_RESTART", "ASSOC_DOWN",
                                    "DATA_READY",  "SEND_FAILED",   "SHUTDOWN",      "PEER_ADDR",
                                    "SENDER_DRY",  "REMOTE_ERROR",  "AUTH",          "STREAM_RESET",
                                    "ASSOC_RESET", "STREAM_CHANGE", "ADDR_CONF",     "ADAPTATION",
                                    "PD_ABORTED"};
    return (unsigned)t < sizeof(n) / sizeof(n[0]) ? n[t] : "?";
}

/* New buffer sizes on a running engine (SO_SNDBUF / SO_RCVBUF changed
 * after listen or connect, as Linux allows). Refused rather than broken:
 * a send buffer below what an association holds, or a window below what
 * one holds. A window below what one advertised is cut at once: data
 * the peer sends beyond it is dropped as over the window (rx.c) and
 * retransmitted once the reader makes room. */
int sctpng_eng_set_buffers(sctpng_eng *ep, uint32_t sndbuf, uint32_t rwnd)
{
    ENG_CHECK_ON_RETURN(ep);
    if (rwnd && rwnd < 1500)
        return -EINVAL;
    for (const struct assoc *a = ep->assocs; a; a = a->next) {
        if (sndbuf && (uint64_t)a->queued_bytes + a->out_bytes > sndbuf)
            return -EBUSY;
        if (rwnd && reasm_held(&a->reasm) > rwnd)
            return -EBUSY;
    }
    for (struct assoc *a = ep->assocs; rwnd && a; a = a->next)
        if (a->advertised_rwnd > rwnd)
            a->advertised_rwnd = rwnd;
    if (sndbuf) {
        if (ep->cfg.max_message == ep->cfg.sndbuf || ep->cfg.max_message > sndbuf)
            ep->cfg.max_message = sndbuf; /* it followed the send buffer */
        ep->cfg.sndbuf = sndbuf;
    }
    if (rwnd)
        ep->cfg.rwnd = rwnd;
    return 0;
}

/* What a running engine offers to later associations (SCTP_PR_SUPPORTED,
 * SCTP_INTERLEAVING_SUPPORTED and SCTP_RECONFIG_SUPPORTED on a Linux
 * listener change its endpoint the same way). Live associations keep what
 * they agreed: input.c accepts their chunks by a->ext as well. */
int sctpng_eng_set_offer(sctpng_eng *ep, const sctpng_eng_config *cfg)
{
    if (!ep || !cfg)
        return -EINVAL;
    ENG_CHECK_ON_RETURN(ep);
    ep->cfg.pr_sctp = cfg->pr_sctp;
    ep->cfg.idata = cfg->idata;
    ep->cfg.reconf = cfg->reconf;
    return 0;
}
