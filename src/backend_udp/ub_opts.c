/* ub_opts.c - socket options on the UDP backend. The engine takes its
 * settings when it is created (at listen() or connect()), so options
 * that become engine settings are refused with -EBUSY after that, but
 * for those a live association may change (ub_tune.c), the buffer sizes
 * and the extensions offered to later associations; options the engine has no counterpart for are
 * -ENOPROTOOPT. */
#include <errno.h>
#include <netinet/in.h>

#include "backend_udp/ub.h"

/* SENDER_DRY for an association with nothing unsent or unacknowledged,
 * as Linux tells one at once when a program subscribes to it. */
static void dry_now(struct ub_sock *h, uint32_t id)
{
    sctpng_eng_status st;
    if (!id || sctpng_eng_get_status(h->ep->eng, id, &st) < 0 ||
        st.state != SCTPNG_ENG_ESTABLISHED || st.outstanding_chunks || st.queued_chunks)
        return;
    sctpng_eng_event ev = {.type = SCTPNG_ENG_EV_SENDER_DRY, .assoc = id};
    if (ub_evq_push(&h->evq, &ev) == 0)
        ub_raise(h);
}

int ub_subscribe(sctpng_socket *s, uint32_t mask, bool on)
{
    struct ub_sock *h = ub(s);
    uint32_t dry = SCTPNG_EVMASK(SCTPNG_EV_SENDER_DRY);
    pthread_mutex_lock(&h->ep->lock);
    bool newly_dry = on && (mask & dry) && !(h->events & dry) && h->ep->eng;
    h->events = on ? (h->events | mask) : (h->events & ~mask);
    if (newly_dry && h->base.style == SCTPNG_ONE_TO_ONE)
        dry_now(h, h->assoc);
    for (size_t i = 0; newly_dry && h->base.style == SCTPNG_ONE_TO_MANY && i < h->nassocs; i++)
        dry_now(h, h->assocs[i].id);
    pthread_mutex_unlock(&h->ep->lock);
    return 0;
}

/* Options with no engine counterpart: only "off" is true of them. */
static int only_off(int value)
{
    return value ? -ENOPROTOOPT : 0;
}

/* Extensions offered in INIT and INIT-ACK: as on Linux, where they are
 * the endpoint's, a running engine (a listener, a socket with
 * associations) changes them for the associations set up later; the live
 * ones keep what they agreed. */
static bool offer_opt(int opt)
{
    return opt == SCTPNG_OPT_PR_SUPPORTED || opt == SCTPNG_OPT_INTERLEAVING ||
           opt == SCTPNG_OPT_RECONFIG_SUPPORTED;
}

static int set_offer(struct ub_ep *ep)
{
    return ep->eng ? sctpng_eng_set_offer(ep->eng, &ep->cfg) : 0;
}

static int set_engine_opt(struct ub_ep *ep, int opt, int value)
{
    sctpng_eng_config *c = &ep->cfg;
    if (value < 0)
        return -EINVAL;
    if (ep->eng && (opt == SCTPNG_OPT_SNDBUF || opt == SCTPNG_OPT_RCVBUF) && value) {
        /* Linux changes them at any time: so does the engine, when its
         * associations hold less than the new size (else -EBUSY). */
        bool snd = opt == SCTPNG_OPT_SNDBUF;
        int err =
            sctpng_eng_set_buffers(ep->eng, snd ? (uint32_t)value : 0, snd ? 0 : (uint32_t)value);
        if (!err)
            *(snd ? &c->sndbuf : &c->rwnd) = (uint32_t)value;
        return err;
    }
    if (ep->eng && !offer_opt(opt))
        return -EBUSY;
    switch (opt) {
    case SCTPNG_OPT_SNDBUF:
        c->sndbuf = value ? (uint32_t)value : c->sndbuf;
        return 0;
    case SCTPNG_OPT_RCVBUF:
        c->rwnd = value ? (uint32_t)value : c->rwnd;
        return 0;
    case SCTPNG_OPT_PR_SUPPORTED:
        c->pr_sctp = value != 0;
        return set_offer(ep);
    case SCTPNG_OPT_INTERLEAVING: /* RFC 8260 I-DATA, as the kernel's intl_enable */
        c->idata = value != 0;
        return set_offer(ep);
    case SCTPNG_OPT_RECONFIG_SUPPORTED: /* RFC 6525, offered by later associations */
        c->reconf = value != 0;
        return set_offer(ep);
    case SCTPNG_OPT_UDP_PORT:
        if (value > 65535)
            return -EINVAL;
        ep->udp_conf.port = (uint16_t)value;
        ep->udp_conf.port_set = true;
        return 0;
    case SCTPNG_OPT_UDP_REMOTE_PORT:
        if (value > 65535 || value == 0)
            return -EINVAL;
        ep->udp_conf.remote_port = (uint16_t)value;
        return 0;
    default:
        return -EINVAL;
    }
}

/* Options of the kernel backend the engine has no counterpart for yet
 * (sctpng.h lists them): -ENOPROTOOPT, for setopt and getopt alike. */
static bool kernel_only(int opt)
{
    switch (opt) {
    case SCTPNG_OPT_REUSEPORT:
    case SCTPNG_OPT_ECN_SUPPORTED:
        return true;
    default:
        return false;
    }
}

/* SCTP_NODELAY as on Linux: the handle's association(s) send small
 * messages at once instead of letting the engine hold them back to share
 * packets (sctpng_eng_set_nodelay). A handle without an association yet
 * (client before connect, listener, one-to-many) sets what the engine's
 * later associations start with: accepted handles inherit the listener's. */
static void set_nodelay(struct ub_sock *h, bool on)
{
    sctpng_eng *eng = h->ep->eng;
    h->nodelay = on;
    if (h->base.style == SCTPNG_ONE_TO_ONE && h->assoc) {
        if (eng)
            sctpng_eng_set_nodelay(eng, h->assoc, on);
        return;
    }
    h->ep->cfg.nodelay = on; /* the engine made later, if none yet */
    if (!eng)
        return;
    sctpng_eng_set_nodelay(eng, 0, on);
    for (size_t i = 0; i < h->nassocs; i++)
        sctpng_eng_set_nodelay(eng, h->assocs[i].id, on);
}

/* SCTPNG_OPT_IDATA_FSN_FROM_ZERO: as set_nodelay(), for the engine's
 * numbering of I-DATA fragments (sctpng_eng_set_idata_fsn_from_zero). */
static void set_fsn_from_zero(struct ub_sock *h, bool on)
{
    sctpng_eng *eng = h->ep->eng;
    if (h->base.style == SCTPNG_ONE_TO_ONE && h->assoc) {
        if (eng)
            sctpng_eng_set_idata_fsn_from_zero(eng, h->assoc, on);
        return;
    }
    h->ep->cfg.idata_fsn_from_zero = on;
    if (!eng)
        return;
    sctpng_eng_set_idata_fsn_from_zero(eng, 0, on);
    for (size_t i = 0; i < h->nassocs; i++)
        sctpng_eng_set_idata_fsn_from_zero(eng, h->assocs[i].id, on);
}

/* An association's: whether it numbers the Linux way now, asked or
 * learned from the peer (with I-DATA); else what later ones start with. */
static int get_fsn_from_zero(const struct ub_sock *h)
{
    sctpng_eng_status st;
    if (h->base.style == SCTPNG_ONE_TO_ONE && h->assoc && h->ep->eng &&
        sctpng_eng_get_status(h->ep->eng, h->assoc, &st) == 0) {
        bool on = false;
        sctpng_eng_get_idata_fsn_from_zero(h->ep->eng, h->assoc, &on);
        return on || st.idata_fsn_from_zero;
    }
    return h->ep->cfg.idata_fsn_from_zero;
}

/* The scope sctpng_setopt() gives a tuned option (ub_tune.c): the SACK
 * delay, MAXSEG and MAX_BURST reach a one-to-many socket's live
 * associations, as sctpng.h says; so do PARTIAL_DELIVERY_POINT and
 * DISABLE_FRAGMENTS, which the kernel reads from the socket at each use.
 * AUTOCLOSE and ADAPTATION, which it reads when an association starts,
 * change only later ones. */
static sctpng_assoc_t setopt_scope(int opt)
{
    switch (opt) {
    case SCTPNG_OPT_DELAYED_ACK_MS:
    case SCTPNG_OPT_SACK_FREQ:
    case SCTPNG_OPT_MAXSEG:
    case SCTPNG_OPT_MAX_BURST:
    case SCTPNG_OPT_PARTIAL_DELIVERY_POINT:
    case SCTPNG_OPT_DISABLE_FRAGMENTS:
        return SCTPNG_ASSOC_ALL;
    default:
        return SCTPNG_ASSOC_FUTURE;
    }
}

/* The kernel's socket-wide options among the tuned ones: an id or scope
 * given with them is the socket's (SC_SOCKET on the kernel backend). */
static bool socket_wide(int opt)
{
    return ub_tune_kopt(opt) && opt != SCTPNG_OPT_MAXSEG && opt != SCTPNG_OPT_MAX_BURST;
}

int ub_setopt(sctpng_socket *s, int opt, int value)
{
    if (opt <= 0) /* no option; -1 is the tuned ones' case below */
        return -EINVAL;
    if (kernel_only(opt))
        return -ENOPROTOOPT;
    struct ub_sock *h = ub(s);
    int err = 0;
    pthread_mutex_lock(&h->ep->lock);
    switch (ub_tune_opt(opt) ? -1 : opt) {
    case -1: /* live on an association too (ub_tune.c) */
        err = ub_tune_setopt(h, setopt_scope(opt), opt, value);
        break;
    case SCTPNG_OPT_NODELAY:
        set_nodelay(h, value != 0);
        if (h->ep->eng)
            ub_flush(h->ep); /* what was held back goes now */
        break;
    case SCTPNG_OPT_REUSEADDR: /* UDP has no TIME_WAIT to skip */
        break;
    case SCTPNG_OPT_IDATA_FSN_FROM_ZERO:
        set_fsn_from_zero(h, value != 0);
        break;
    case SCTPNG_OPT_BUSY_POLL: /* ub_reg.c */
        err = value >= 0 && value <= UB_SPIN_MAX_US ? 0 : -EINVAL;
        if (!err) {
            h->spin_ns = (uint32_t)value * 1000u;
            h->spin_credit = 4; /* spin at once: both ends may sleep so far */
        }
        break;
    case SCTPNG_OPT_EXPOSE_PF:
        h->expose_pf = value != 0;
        break;
    case SCTPNG_OPT_RECV_NXTINFO:
        h->nxtinfo = value != 0;
        break;
    case SCTPNG_OPT_MAPPED_V4: /* the endpoint's: its accepted sockets' too */
        h->ep->mapped_v4 = value != 0;
        break;
    case SCTPNG_OPT_CONTEXT:
        h->context = (uint32_t)value;
        break;
    case SCTPNG_OPT_FRAGMENT_INTERLEAVE:
        /* 0, 1 and 2 all hold: the engine runs one partial delivery at a
         * time, which level 2 allows (it permits interleaving, never
         * requires it) */
        err = value >= 0 && value <= 2 ? 0 : -EINVAL;
        if (!err)
            h->frag_interleave = value;
        break;
    case SCTPNG_OPT_AUTH_SUPPORTED: /* RFC 4895 (ub_auth.c) */
        err = ub_auth_enable(h->ep, value != 0);
        break;
    case SCTPNG_OPT_ASCONF_SUPPORTED: /* RFC 5061, with AUTH (the engine's) */
        if (h->ep->eng)
            err = -EBUSY;
        else
            h->ep->cfg.asconf = value != 0;
        break;
    case SCTPNG_OPT_AUTO_ASCONF:
        err = only_off(value);
        break;
    case SCTPNG_OPT_V6ONLY:
        err = -ENOPROTOOPT;
        break;
    case SCTPNG_OPT_SCHEDULER:
        err = ub_set_scheduler(h, value);
        break;
    case SCTPNG_OPT_STREAM_RESET:
        err = ub_set_stream_reset(h, value);
        break;
    default:
        err = set_engine_opt(h->ep, opt, value);
        break;
    }
    pthread_mutex_unlock(&h->ep->lock);
    return err;
}

/* The UDP port in use once the UDP socket exists (the real one when it
 * was ephemeral), else the one it will bind. */
static int bound_udp_port(const struct ub_ep *ep)
{
    return ep->udp ? sctpng_udp_local_port(ep->udp) : ep->udp_conf.port;
}

/* INTERLEAVING: on a socket with an association, whether it uses I-DATA
 * (what the peer agreed to); otherwise what new associations offer. */
static int interleaving(struct ub_sock *h)
{
    sctpng_eng_status st;
    uint32_t id = h->ep->eng ? ub_assoc_of(h, 0) : 0;
    if (id && sctpng_eng_get_status(h->ep->eng, id, &st) == 0)
        return st.idata;
    return h->ep->cfg.idata;
}

int ub_getopt(sctpng_socket *s, int opt, int *value)
{
    if (opt <= 0)
        return -EINVAL;
    if (kernel_only(opt))
        return -ENOPROTOOPT;
    struct ub_sock *h = ub(s);
    const sctpng_eng_config *c = &h->ep->cfg;
    int err = 0;
    pthread_mutex_lock(&h->ep->lock);
    switch (ub_tune_opt(opt) ? -1 : opt) {
    case -1:
        err = ub_tune_getopt(h, SCTPNG_ASSOC_FUTURE, opt, value);
        break;
    case SCTPNG_OPT_NODELAY:
        *value = h->nodelay;
        break;
    case SCTPNG_OPT_IDATA_FSN_FROM_ZERO:
        *value = get_fsn_from_zero(h);
        break;
    case SCTPNG_OPT_EXPOSE_PF:
        *value = h->expose_pf;
        break;
    case SCTPNG_OPT_BUSY_POLL:
        *value = (int)(h->spin_ns / 1000u);
        break;
    case SCTPNG_OPT_RECV_NXTINFO:
        *value = h->nxtinfo;
        break;
    case SCTPNG_OPT_MAPPED_V4:
        *value = h->ep->mapped_v4;
        break;
    case SCTPNG_OPT_CONTEXT:
        *value = (int)h->context;
        break;
    case SCTPNG_OPT_SNDBUF:
        *value = (int)c->sndbuf;
        break;
    case SCTPNG_OPT_RCVBUF:
        *value = (int)c->rwnd;
        break;
    case SCTPNG_OPT_PR_SUPPORTED:
        *value = c->pr_sctp;
        break;
    case SCTPNG_OPT_INTERLEAVING:
        *value = interleaving(h);
        break;
    case SCTPNG_OPT_RECONFIG_SUPPORTED:
        *value = ub_reconf_supported(h);
        break;
    case SCTPNG_OPT_STREAM_RESET:
        *value = c->reconf_enable;
        break;
    case SCTPNG_OPT_FRAGMENT_INTERLEAVE: /* on or off, as Linux keeps it (2 reads 1) */
        *value = h->frag_interleave != 0;
        break;
    case SCTPNG_OPT_UDP_PORT:
        *value = bound_udp_port(h->ep);
        break;
    case SCTPNG_OPT_UDP_REMOTE_PORT:
        *value = h->ep->udp_conf.remote_port;
        break;
    case SCTPNG_OPT_AUTH_SUPPORTED:
        *value = h->ep->cfg.auth;
        break;
    case SCTPNG_OPT_ASCONF_SUPPORTED:
        *value = h->ep->cfg.asconf;
        break;
    case SCTPNG_OPT_REUSEADDR:
    case SCTPNG_OPT_V6ONLY:
    case SCTPNG_OPT_AUTO_ASCONF:
        *value = 0;
        break;
    case SCTPNG_OPT_SCHEDULER:
        err = ub_get_scheduler(h, value);
        break;
    default:
        err = -EINVAL;
        break;
    }
    pthread_mutex_unlock(&h->ep->lock);
    return err;
}

int ub_set_initmsg(sctpng_socket *s, const sctpng_initmsg *m)
{
    struct ub_ep *ep = ub(s)->ep;
    pthread_mutex_lock(&ep->lock);
    int err = ep->eng ? -EBUSY : 0;
    if (!err) {
        if (m->ostreams)
            ep->cfg.out_streams = m->ostreams;
        if (m->max_istreams)
            ep->cfg.in_streams = m->max_istreams;
        if (m->max_attempts)
            ep->cfg.max_init_retrans = m->max_attempts;
        if (m->max_init_timeo_ms) /* the engine's cap on the INIT timeout */
            ep->cfg.max_init_rto_ms = m->max_init_timeo_ms;
    }
    pthread_mutex_unlock(&ep->lock);
    return err;
}

int ub_get_initmsg(sctpng_socket *s, sctpng_initmsg *m)
{
    struct ub_ep *ep = ub(s)->ep;
    pthread_mutex_lock(&ep->lock);
    m->ostreams = ep->cfg.out_streams;
    m->max_istreams = ep->cfg.in_streams;
    m->max_attempts = (uint16_t)ep->cfg.max_init_retrans;
    /* unset: RTO.Max bounds it, as the kernel's default (its rto_max) */
    uint32_t t = ep->cfg.max_init_rto_ms ? ep->cfg.max_init_rto_ms : ep->cfg.rto_max_ms;
    m->max_init_timeo_ms = (uint16_t)(t > 65535 ? 65535 : t);
    pthread_mutex_unlock(&ep->lock);
    return 0;
}

int ub_set_default_sndinfo(sctpng_socket *s, const sctpng_sndinfo *info)
{
    struct ub_sock *h = ub(s);
    if (info->pr_policy > SCTPNG_PR_PRIO)
        return -EINVAL;
    pthread_mutex_lock(&h->ep->lock);
    h->defsnd = *info;
    h->defsnd.to = NULL;
    pthread_mutex_unlock(&h->ep->lock);
    return 0;
}

int ub_get_default_sndinfo(sctpng_socket *s, sctpng_sndinfo *info)
{
    struct ub_sock *h = ub(s);
    pthread_mutex_lock(&h->ep->lock);
    *info = h->defsnd;
    pthread_mutex_unlock(&h->ep->lock);
    return 0;
}

/* The kernel's scopes (src/kernel/kintopt.c): options only the socket
 * holds, and those negotiated at set-up (the socket keeps what later
 * associations offer, each association what it agreed to). On a
 * one-to-many socket neither takes an association id, and reads take no
 * CURRENT or ALL; a one-to-one socket ignores the id. */
static bool negotiated(int opt)
{
    return opt == SCTPNG_OPT_PR_SUPPORTED || opt == SCTPNG_OPT_INTERLEAVING ||
           opt == SCTPNG_OPT_AUTH_SUPPORTED || opt == SCTPNG_OPT_ASCONF_SUPPORTED ||
           opt == SCTPNG_OPT_RECONFIG_SUPPORTED || opt == SCTPNG_OPT_ECN_SUPPORTED;
}

static bool socket_only(int opt)
{
    switch (opt) {
    case SCTPNG_OPT_NODELAY:
    case SCTPNG_OPT_SNDBUF:
    case SCTPNG_OPT_RCVBUF:
    case SCTPNG_OPT_AUTOCLOSE:
    case SCTPNG_OPT_DISABLE_FRAGMENTS:
    case SCTPNG_OPT_RECV_NXTINFO:
    case SCTPNG_OPT_FRAGMENT_INTERLEAVE:
    case SCTPNG_OPT_PARTIAL_DELIVERY_POINT:
    case SCTPNG_OPT_REUSEADDR:
    case SCTPNG_OPT_V6ONLY:
    case SCTPNG_OPT_AUTO_ASCONF:
    case SCTPNG_OPT_ADAPTATION:
    case SCTPNG_OPT_MAPPED_V4:
    case SCTPNG_OPT_REUSEPORT:
    case SCTPNG_OPT_BUSY_POLL:
    case SCTPNG_OPT_BATCH_BUNDLE: /* sctpng.h lists it among them */
        return true;
    default:
        return false;
    }
}

static int scope_check(const struct ub_sock *h, sctpng_assoc_t assoc, int opt, bool set)
{
    if (h->base.style != SCTPNG_ONE_TO_MANY)
        return 0;
    bool socket = socket_only(opt) || negotiated(opt);
    if (set)
        return socket && assoc != SCTPNG_ASSOC_FUTURE && assoc != SCTPNG_ASSOC_ALL ? -EINVAL : 0;
    if (assoc == SCTPNG_ASSOC_CURRENT || assoc == SCTPNG_ASSOC_ALL)
        return -EINVAL;
    return socket_only(opt) && assoc != SCTPNG_ASSOC_FUTURE ? -EINVAL : 0;
}

/* What association `id` agreed to of a negotiated option. */
static int agreed(struct ub_ep *ep, uint32_t id, int opt, int *value)
{
    sctpng_eng_status st;
    int err = ep->eng ? sctpng_eng_get_status(ep->eng, id, &st) : -EINVAL;
    if (err)
        return -EINVAL;
    switch (opt) {
    case SCTPNG_OPT_INTERLEAVING:
        *value = st.idata;
        return 0;
    case SCTPNG_OPT_PR_SUPPORTED:
        *value = st.peer_pr_sctp; /* set only when both ends offered it */
        return 0;
    case SCTPNG_OPT_AUTH_SUPPORTED:
        err = sctpng_eng_auth_info(ep->eng, id, NULL, NULL);
        *value = err == 0;
        return err == 0 || err == -EACCES ? 0 : -EINVAL;
    default:
        return 1; /* the engine does not tell: the socket's value */
    }
}

/* Per association: what it agreed to (AUTH, I-DATA, PR-SCTP) and its
 * tuning (ub_tune.c); the rest are the socket's values (the engine keeps
 * them endpoint-wide). */
int ub_getopt_assoc(sctpng_socket *s, sctpng_assoc_t assoc, int opt, int *value)
{
    struct ub_sock *h = ub(s);
    int err = scope_check(h, assoc, opt, false);
    if (err)
        return err;
    if (ub_tune_opt(opt) && !socket_wide(opt)) {
        pthread_mutex_lock(&h->ep->lock);
        err = ub_tune_getopt(h, assoc, opt, value);
        pthread_mutex_unlock(&h->ep->lock);
        return err;
    }
    uint32_t id = ub_assoc_of(h, assoc);
    if (id <= SCTPNG_ASSOC_ALL || !negotiated(opt))
        return ub_getopt(s, opt, value);
    pthread_mutex_lock(&h->ep->lock);
    err = agreed(h->ep, id, opt, value);
    pthread_mutex_unlock(&h->ep->lock);
    return err > 0 ? ub_getopt(s, opt, value) : err;
}

int ub_setopt_assoc(sctpng_socket *s, sctpng_assoc_t assoc, int opt, int value)
{
    struct ub_sock *h = ub(s);
    int err = scope_check(h, assoc, opt, true);
    if (err)
        return err;
    if (!ub_tune_opt(opt) || socket_wide(opt))
        return ub_setopt(s, opt, value); /* endpoint-wide in the engine, or the socket's */
    pthread_mutex_lock(&h->ep->lock);
    err = ub_tune_setopt(h, assoc, opt, value);
    pthread_mutex_unlock(&h->ep->lock);
    return err;
}
