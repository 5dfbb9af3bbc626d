/* Association setup (RFC 9260 5.1, 5.2): INIT, stateless INIT-ACK with a
 * signed cookie, COOKIE-ECHO / COOKIE-ACK, T1 timers, stale cookies, and the
 * collision / restart cases with tie-tags (5.2.1 - 5.2.4). */
#include <errno.h>
#include <string.h>

#include "engine/internal.h"
#include "engine/param.h"
#include "engine/wire.h"

#define COOKIE_MAX_EXTRA_MS 60000u

static uint16_t min16(uint16_t a, uint16_t b)
{
    return a < b ? a : b;
}

/* The extensions this endpoint offers (ext.h). */
static uint32_t offered_ext(const struct sctpng_eng *ep)
{
    return (ep->cfg.pr_sctp ? EXT_PR_SCTP : 0u) | (ep->cfg.idata ? EXT_IDATA : 0u) |
           (ep->cfg.zero_checksum_edmid ? EXT_ZERO_CSUM : 0u) | (ep->auth ? EXT_AUTH : 0u) |
           (ep->auth && ep->cfg.asconf ? EXT_ASCONF : 0u) | (ep->cfg.reconf ? EXT_RECONF : 0u);
}

/* What the peer's INIT or INIT-ACK announced; a zero checksum counts only
 * with the error detection method we use (RFC 9653 5.1). */
static uint32_t announced_ext(const struct sctpng_eng *ep, const struct init_params *ip)
{
    bool zero = ip->zero_edmid && ip->zero_edmid == ep->cfg.zero_checksum_edmid;
    return ip->ext | (zero ? EXT_ZERO_CSUM : 0u);
}

/* Parameters common to INIT and INIT-ACK: our addresses, the extensions,
 * and the Adaptation Layer Indication `adapt` unless 0 (RFC 5061 4.2.6;
 * as Linux, 0 is not sent). */
static size_t put_common_params(const struct sctpng_eng *ep, uint32_t adapt, uint8_t *p,
                                size_t room)
{
    size_t n = 0;
    int r;
    for (size_t i = 0; i < ep->n_local; i++)
        if ((r = param_put_addr(p + n, room - n, &ep->local_addrs[i])) > 0)
            n += (size_t)r;
    /* Linux looks for FORWARD-TSN-Supported, usrsctp also reads the
     * Supported Extensions list: send both. */
    uint8_t ext[9];
    size_t n_ext = 0;
    if (offered_ext(ep) & EXT_PR_SCTP)
        ext[n_ext++] = CT_FORWARD_TSN;
    if (offered_ext(ep) & EXT_IDATA) {
        ext[n_ext++] = CT_IDATA;
        ext[n_ext++] = CT_IFORWARD_TSN;
    }
    if (offered_ext(ep) & EXT_AUTH)
        ext[n_ext++] = CT_AUTH;
    if (offered_ext(ep) & EXT_ASCONF) {
        ext[n_ext++] = CT_ASCONF;
        ext[n_ext++] = CT_ASCONF_ACK;
    }
    if (offered_ext(ep) & EXT_RECONF)
        ext[n_ext++] = CT_RECONF;
    if (n_ext && (r = param_put(p + n, room - n, PT_SUPPORTED_EXT, ext, n_ext)) > 0)
        n += (size_t)r;
    if ((offered_ext(ep) & EXT_PR_SCTP) &&
        (r = param_put(p + n, room - n, PT_FWD_TSN_SUPPORTED, NULL, 0)) > 0)
        n += (size_t)r;
    if (ep->cfg.zero_checksum_edmid) {
        uint8_t v[4];
        put32(v, ep->cfg.zero_checksum_edmid);
        if ((r = param_put(p + n, room - n, PT_ZERO_CHECKSUM, v, sizeof(v))) > 0)
            n += (size_t)r;
    }
    if (adapt) {
        uint8_t v[4];
        put32(v, adapt);
        if ((r = param_put(p + n, room - n, PT_ADAPTATION, v, sizeof(v))) > 0)
            n += (size_t)r;
    }
    return n;
}

int hs_connect_init(struct assoc *a, uint64_t now)
{
    struct sctpng_eng *ep = a->ep;
    a->state = SCTPNG_ENG_COOKIE_WAIT;
    ep_set_vtag(a, ep_new_vtag(ep));
    a->local_itsn = ep_random32(ep);
    a->next_tsn = a->local_itsn;
    a->cum_acked = a->adv_ack = a->local_itsn - 1;
    a->peer_rwnd = ep->cfg.rwnd; /* until the INIT-ACK says otherwise */
    if (auth_assoc_start(a) < 0)
        return -ENOMEM;
    assoc_queue_ctl(a, CT_INIT);
    a->t1_count = 0;
    timer_set(&a->tm, TMR_T1, now + path_rto(a, a->primary));
    return 0;
}

size_t hs_write_init(struct assoc *a, struct pkt_writer *w)
{
    const struct sctpng_eng *ep = a->ep;
    uint8_t params[512];
    size_t n = put_common_params(ep, a->tune.adaptation_ind, params, sizeof(params));
    if (a->auth)
        n += auth_vec_put(a->auth->local_vec, a->auth->local_len, params + n, sizeof(params) - n);
    if (a->cookie_preserve_ms) {
        uint8_t v[4];
        put32(v, a->cookie_preserve_ms);
        int r = param_put(params + n, sizeof(params) - n, PT_COOKIE_PRESERVATIVE, v, 4);
        if (r > 0)
            n += (size_t)r;
    }
    struct init_chunk ic = {
        .itag = a->local_vtag,
        .a_rwnd = ep->cfg.rwnd,
        .os = ep->cfg.out_streams,
        .mis = ep->cfg.in_streams,
        .itsn = a->local_itsn,
        .params = params,
        .params_len = (uint16_t)n,
    };
    return pw_init_chunk(w, CT_INIT, &ic) == 0 ? 1 : 0;
}

/* Cookie fields that depend on whether an association already exists
 * (5.2.1 collision, 5.2.2 restart). */
static void cookie_tags(struct sctpng_eng *ep, const struct assoc *a, struct cookie *ck)
{
    if (a && (a->state == SCTPNG_ENG_COOKIE_WAIT || a->state == SCTPNG_ENG_COOKIE_ECHOED)) {
        ck->local_vtag = a->local_vtag; /* same parameters as our own INIT */
        ck->local_itsn = a->local_itsn;
        ck->local_tie = a->local_tie;
        ck->peer_tie = a->state == SCTPNG_ENG_COOKIE_WAIT ? 0 : a->peer_tie;
    } else {
        ck->local_vtag = ep_new_vtag(ep);
        ck->local_itsn = ep_random32(ep);
        if (a) {
            ck->local_tie = a->local_tie;
            ck->peer_tie = a->peer_tie;
        }
    }
}

static void send_init_ack(struct sctpng_eng *ep, const struct cookie *ck,
                          const struct init_params *ip, const sctpng_eng_path *from,
                          const uint8_t *lvec, size_t llen)
{
    struct reply *r = ep_reply_slot(ep, from);
    if (!r)
        return;
    uint8_t params[1024];
    int n = param_put(params, sizeof(params), PT_STATE_COOKIE, NULL, 0);
    int cl = cookie_sign(ck, ep->secret, ep->secret_len, params + 4, sizeof(params) - 8);
    if (cl < 0) {
        ep->reply_count--;
        return;
    }
    put16(params + 2, (uint16_t)(4 + cl));
    n = (int)pad4((uint32_t)(4 + cl));
    n += (int)put_common_params(ep, ep->cfg.adaptation_ind, params + n, sizeof(params) - (size_t)n);
    n += (int)auth_vec_put(lvec, llen, params + n, sizeof(params) - (size_t)n);
    size_t room = ep_reply_mtu(ep) - SCTP_HDR_LEN - CHUNK_HDR_LEN - 16;
    if (room > sizeof(params))
        room = sizeof(params);
    for (unsigned i = 0; i < ip->n_unrec; i++) {
        int k = param_put(params + n, room - (size_t)n, PT_UNRECOGNIZED, ip->unrec[i],
                          ip->unrec_len[i]);
        if (k > 0)
            n += k;
    }
    struct init_chunk ic = {
        .itag = ck->local_vtag,
        .a_rwnd = ep->cfg.rwnd,
        .os = ep->cfg.out_streams,
        .mis = ep->cfg.in_streams,
        .itsn = ck->local_itsn,
        .params = params,
        .params_len = (uint16_t)n,
    };
    struct pkt_writer w;
    pw_init(&w, r->buf, ep_reply_mtu(ep), ck->local_port, ck->peer_port, ck->peer_vtag);
    if (pw_init_chunk(&w, CT_INIT_ACK, &ic) < 0) {
        ep->reply_count--;
        return;
    }
    r->len = pw_finish(&w);
    ep->stats.init_acks_sent++;
}

/* RFC 4895: both key vectors go into the cookie, so that the COOKIE-ECHO's
 * side can make the association's keys; a peer whose RANDOM, CHUNKS or
 * HMAC-ALGO is unusable gets no AUTH. */
static void cookie_auth(struct cookie *ck, const struct init_params *ip, const uint8_t *lvec,
                        int llen)
{
    uint8_t *b = ck->auth;
    int plen = -1;
    if ((ck->ext & EXT_AUTH) && llen > 0 && 1 + (size_t)llen + AUTH_VEC_MAX <= COOKIE_AUTH_MAX)
        plen = auth_vec_from_params(ip->auth_random, ip->auth_chunks, ip->auth_hmacs, b + 1 + llen,
                                    AUTH_VEC_MAX);
    if (plen < 0) {
        ck->ext &= ~(uint32_t)EXT_AUTH;
        return;
    }
    b[0] = (uint8_t)llen;
    memcpy(b + 1, lvec, (size_t)llen);
    ck->auth_len = (uint16_t)(1 + llen + plen);
}

int hs_on_init(struct sctpng_eng *ep, struct assoc *a, const struct sctp_hdr *h,
               const struct chunk *c, const sctpng_eng_path *from, uint64_t now)
{
    struct init_chunk ic;
    struct init_params ip;
    uint16_t me = ep->cfg.local_port;
    if (!a)
        ep->stats.inits_recvd++;
    if (h->vtag != 0) { /* 8.5.1 (A) */
        ep->stats.drop_bad_vtag++;
        return -EACCES;
    }
    if (chunk_init_decode(c, &ic) < 0 || init_params_parse(ic.params, ic.params_len, &ip) < 0) {
        ep->stats.drop_malformed++;
        return -EBADMSG;
    }
    ep->stats.params_unrecognized += ip.n_unknown;
    if (ic.itag == 0)
        return -EBADMSG; /* nobody to answer */
    if (ic.os == 0 || ic.mis == 0) {
        ep_reply_chunk(ep, from, me, h->src_port, ic.itag, CT_ABORT, 0, CAUSE_INVALID_MANDATORY,
                       NULL, 0);
        return 0;
    }
    if (ip.hostname) {
        ep_reply_chunk(ep, from, me, h->src_port, ic.itag, CT_ABORT, 0, CAUSE_UNRESOLVABLE_ADDR,
                       NULL, 0);
        return 0;
    }
    if (!a && !ep->cfg.accept) {
        ep->stats.ootb_replies++;
        ep_reply_chunk(ep, from, me, h->src_port, ic.itag, CT_ABORT, 0, 0, NULL, 0);
        return -ENOTCONN;
    }
    if (a && a->state == SCTPNG_ENG_SHUTDOWN_ACK_SENT) { /* 9.2: our SHUTDOWN-COMPLETE was lost */
        assoc_queue_ctl(a, CT_SHUTDOWN_ACK);
        return 0;
    }
    struct cookie ck;
    memset(&ck, 0, sizeof(ck));
    cookie_tags(ep, a, &ck);
    ck.created_ns = now;
    /* Honour a Cookie Preservative (5.2.6), but only up to a bound, so a
     * peer cannot ask for cookies that live forever. */
    uint32_t extra = ip.cookie_preservative_ms;
    if (extra > COOKIE_MAX_EXTRA_MS)
        extra = COOKIE_MAX_EXTRA_MS;
    ck.lifetime_ms = ep->cfg.cookie_life_ms + extra;
    ck.peer_vtag = ic.itag;
    ck.peer_itsn = ic.itsn;
    ck.peer_rwnd = ic.a_rwnd;
    ck.os = min16(ep->cfg.out_streams, ic.mis);
    ck.mis = min16(ep->cfg.in_streams, ic.os);
    ck.local_port = me;
    ck.peer_port = h->src_port;
    ck.ext = announced_ext(ep, &ip) & offered_ext(ep);
    ck.peer_adaptation = ip.adaptation;
    ck.addrs[0] = from->remote;
    ck.n_addrs = 1;
    for (unsigned i = 0; i < ip.n_addrs && ck.n_addrs < SCTPNG_ENG_MAX_PATHS; i++)
        if (!addr_same_ip(&ip.addrs[i], &from->remote))
            ck.addrs[ck.n_addrs++] = ip.addrs[i];
    uint8_t lvec[AUTH_VEC_MAX];
    int llen = ep->auth ? auth_new_local_vec(ep, lvec, sizeof(lvec)) : 0;
    cookie_auth(&ck, &ip, lvec, llen);
    send_init_ack(ep, &ck, &ip, from, lvec, llen > 0 ? (size_t)llen : 0);
    return 0;
}

/* AUTH state from both key vectors (lvec NULL: ours is the association's
 * already); unusable ones leave the association without AUTH. */
static int setup_auth(struct assoc *a, const uint8_t *lvec, size_t llen, const uint8_t *pvec,
                      int plen)
{
    int r = plen < 0 ? -EINVAL : auth_assoc_setup(a, lvec, llen, pvec, (size_t)plen);
    if (r == -EINVAL) {
        a->ext &= ~(uint32_t)EXT_AUTH;
        r = auth_assoc_setup(a, NULL, 0, NULL, 0);
    }
    return r;
}

/* Loads the peer's side of the association from a cookie or INIT-ACK. */
static int load_peer(struct assoc *a, uint32_t vtag, uint32_t itsn, uint32_t rwnd, uint16_t os,
                     uint16_t mis, uint32_t ext)
{
    a->peer_vtag = vtag;
    a->peer_rwnd = rwnd;
    a->ext = ext & offered_ext(a->ep);
    return assoc_setup_streams(a, os, mis, itsn);
}

void hs_on_init_ack(struct assoc *a, const struct chunk *c, unsigned path, uint64_t now)
{
    struct sctpng_eng *ep = a->ep;
    struct init_chunk ic;
    struct init_params ip;
    if (a->state != SCTPNG_ENG_COOKIE_WAIT)
        return; /* 5.2.3: discard */
    if (chunk_init_decode(c, &ic) < 0 || init_params_parse(ic.params, ic.params_len, &ip) < 0) {
        ep->stats.drop_malformed++;
        return;
    }
    ep->stats.params_unrecognized += ip.n_unknown;
    if (ic.itag == 0 || ic.os == 0 || ic.mis == 0) {
        a->peer_vtag = ic.itag;
        assoc_abort(a, CAUSE_INVALID_MANDATORY, NULL, 0, SCTPNG_ENG_DOWN_CANT_START);
        return;
    }
    if (!ip.cookie || ip.cookie_len == 0) {
        static const uint8_t missing[6] = {0, 0, 0, 1, 0, PT_STATE_COOKIE};
        a->peer_vtag = ic.itag;
        a->state = SCTPNG_ENG_COOKIE_ECHOED; /* so that the ABORT is sent */
        assoc_abort(a, CAUSE_MISSING_PARAM, missing, sizeof(missing), SCTPNG_ENG_DOWN_CANT_START);
        return;
    }
    if (load_peer(a, ic.itag, ic.itsn, ic.a_rwnd, min16(ep->cfg.out_streams, ic.mis),
                  min16(ep->cfg.in_streams, ic.os), announced_ext(ep, &ip)) < 0)
        goto nomem;
    uint8_t pvec[AUTH_VEC_MAX];
    int plen = (a->ext & EXT_AUTH) ? auth_vec_from_params(ip.auth_random, ip.auth_chunks,
                                                          ip.auth_hmacs, pvec, sizeof(pvec))
                                   : 0;
    if (setup_auth(a, NULL, 0, pvec, plen) < 0 || auth_asconf_setup(a, ic.itsn) < 0)
        goto nomem;
    for (unsigned i = 0; i < ip.n_addrs; i++)
        assoc_add_path(a, &ip.addrs[i], false);
    a->peer_adapt = ip.adaptation; /* told with ASSOC_UP */
    a->cookie = mem_alloc(&ep->mem, ip.cookie_len);
    if (!a->cookie)
        goto nomem;
    memcpy(a->cookie, ip.cookie, ip.cookie_len);
    a->cookie_len = ip.cookie_len;
    if (a->t1_count == 0 && a->t1_sent_ns && now >= a->t1_sent_ns) /* Karn */
        rto_sample(&a->paths[path].rto, now - a->t1_sent_ns);
    a->state = SCTPNG_ENG_COOKIE_ECHOED;
    assoc_cancel_ctl(a, CT_INIT);
    assoc_queue_ctl(a, CT_COOKIE_ECHO);
    a->t1_count = 0;
    timer_set(&a->tm, TMR_T1, now + path_rto(a, a->primary));
    return;
nomem:
    assoc_down_err(a, SCTPNG_ENG_DOWN_CANT_START, 0, -ENOMEM);
}

static int verify_cookie(struct sctpng_eng *ep, const struct chunk *c, struct cookie *ck)
{
    if (cookie_verify(c->val, c->vlen, ep->secret, ep->secret_len, ck) == 0)
        return 0;
    if (ep->old_secret_len &&
        cookie_verify(c->val, c->vlen, ep->old_secret, ep->old_secret_len, ck) == 0)
        return 0;
    return -1;
}

static void send_stale(struct sctpng_eng *ep, const struct cookie *ck, const sctpng_eng_path *from,
                       uint64_t now)
{
    uint8_t v[4];
    put32(v, cookie_staleness_us(ck, now));
    ep->stats.cookies_stale++;
    ep_reply_chunk(ep, from, ep->cfg.local_port, ck->peer_port, ck->peer_vtag, CT_ERROR, 0,
                   CAUSE_STALE_COOKIE, v, 4);
}

static int load_paths(struct assoc *a, const struct cookie *ck, const sctpng_eng_path *from)
{
    int p = assoc_add_path(a, &from->remote, true);
    if (p < 0)
        return -1; /* out of memory */
    path_sa_set(&a->paths[p].addr, &from->remote);
    path_sa_set(&a->paths[p].local, &from->local);
    a->primary = (unsigned)p;
    for (unsigned i = 0; i < ck->n_addrs; i++)
        assoc_add_path(a, &ck->addrs[i], false);
    return 0;
}

static int load_local(struct assoc *a, const struct cookie *ck)
{
    ep_set_vtag(a, ck->local_vtag);
    a->local_itsn = ck->local_itsn;
    a->next_tsn = ck->local_itsn;
    a->cum_acked = a->adv_ack = ck->local_itsn - 1;
    a->peer_adapt = ck->peer_adaptation;
    if (load_peer(a, ck->peer_vtag, ck->peer_itsn, ck->peer_rwnd, ck->os, ck->mis, ck->ext) < 0)
        return -1;
    size_t llen = ck->auth_len ? ck->auth[0] : 0;
    int plen = ck->auth_len >= 1 + llen ? (int)(ck->auth_len - 1 - llen) : -1;
    if (setup_auth(a, ck->auth + 1, llen, ck->auth + 1 + llen, plen) < 0)
        return -1;
    return auth_asconf_setup(a, ck->peer_itsn) < 0 ? -1 : 0;
}

static struct assoc *new_from_cookie(struct sctpng_eng *ep, const struct cookie *ck,
                                     const sctpng_eng_path *from, uint64_t now, int *err)
{
    if (ep->n_live >= ep->cfg.max_assocs) {
        ep_reply_chunk(ep, from, ep->cfg.local_port, ck->peer_port, ck->peer_vtag, CT_ABORT, 0,
                       CAUSE_OUT_OF_RESOURCE, NULL, 0);
        *err = -ENOMEM;
        return NULL;
    }
    struct assoc *a = assoc_new(ep);
    if (!a) {
        *err = -ENOMEM;
        return NULL;
    }
    a->peer_port = ck->peer_port;
    if (load_paths(a, ck, from) < 0 || load_local(a, ck) < 0) {
        ep->n_live--;
        a->zombie = true;
        assoc_free(a);
        *err = -ENOMEM;
        return NULL;
    }
    ep->stats.cookies_ok++;
    assoc_queue_ctl(a, CT_COOKIE_ACK);
    assoc_established(a, now, SCTPNG_ENG_EV_ASSOC_UP);
    return a;
}

/* 5.2.4 action A: the peer restarted. */
static struct assoc *restart(struct assoc *a, const struct cookie *ck, const sctpng_eng_path *from,
                             uint64_t now, int *err)
{
    struct sctpng_eng *ep = a->ep;
    if (a->state == SCTPNG_ENG_SHUTDOWN_ACK_SENT) {
        assoc_queue_ctl(a, CT_SHUTDOWN_ACK);
        assoc_set_error(a, CAUSE_COOKIE_IN_SHUTDOWN, NULL, 0);
        return a;
    }
    for (unsigned i = 0; i < ck->n_addrs; i++) {
        if (assoc_find_path(a, &ck->addrs[i]) < 0) {
            ep_reply_chunk(ep, from, ep->cfg.local_port, ck->peer_port, ck->peer_vtag, CT_ABORT, 0,
                           CAUSE_RESTART_NEW_ADDRS, NULL, 0);
            *err = -EACCES;
            return NULL;
        }
    }
    sendq_fail_all(a);
    sendq_free_all(a);
    if (load_local(a, ck) < 0) {
        assoc_down(a, SCTPNG_ENG_DOWN_COMM_LOST, 0);
        *err = -ENOMEM;
        return NULL;
    }
    for (unsigned i = 0; i < a->n_paths; i++) {
        struct path *p = &a->paths[i];
        rto_init(&p->rto, a->tune.rto_initial_ms * MS, a->tune.rto_min_ms * MS,
                 a->tune.rto_max_ms * MS);
        p->flight = 0;
        timer_stop(&a->tm, TMR_T3 + i);
        p->errors = 0;
        p->rtt_pending = false;
    }
    a->fast_recovery = false;
    ctlq_clear(&a->ctlq, &ep->mem);
    assoc_queue_ctl(a, CT_COOKIE_ACK);
    timer_stop(&a->tm, TMR_T2);
    a->local_tie = ep_random32(ep);
    a->peer_tie = ep_random32(ep);
    assoc_established(a, now, SCTPNG_ENG_EV_ASSOC_RESTART);
    return a;
}

/* 5.2.4: COOKIE-ECHO for an association that exists. */
static struct assoc *existing(struct assoc *a, const struct cookie *ck, const sctpng_eng_path *from,
                              uint64_t now, int *err)
{
    bool mv = ck->local_vtag == a->local_vtag, pv = ck->peer_vtag == a->peer_vtag;
    bool setup = a->state == SCTPNG_ENG_COOKIE_WAIT || a->state == SCTPNG_ENG_COOKIE_ECHOED;
    if (!mv && !pv && ck->local_tie == a->local_tie && ck->peer_tie == a->peer_tie) {
        if (cookie_staleness_us(ck, now)) {
            send_stale(a->ep, ck, from, now);
            *err = -ETIMEDOUT;
            return NULL;
        }
        return restart(a, ck, from, now, err);
    }
    if (mv && (!pv || a->peer_vtag == 0 || setup)) { /* B: collision, or D during setup */
        if (setup) {
            if (load_local(a, ck) < 0) {
                assoc_down_err(a, SCTPNG_ENG_DOWN_CANT_START, 0, -ENOMEM);
                *err = -ENOMEM;
                return NULL;
            }
            mem_free(&a->ep->mem, a->cookie);
            a->cookie = NULL;
            assoc_cancel_ctl(a, CT_INIT);
            assoc_cancel_ctl(a, CT_COOKIE_ECHO);
            assoc_established(a, now, SCTPNG_ENG_EV_ASSOC_UP);
        } else {
            a->peer_vtag = ck->peer_vtag;
        }
        assoc_queue_ctl(a, CT_COOKIE_ACK);
        return a;
    }
    if (mv && pv) { /* D: duplicate cookie, our COOKIE-ACK was lost */
        assoc_queue_ctl(a, CT_COOKIE_ACK);
        return a;
    }
    *err = 0; /* C or unknown: silently discard */
    return NULL;
}

struct assoc *hs_on_cookie_echo(struct sctpng_eng *ep, struct assoc *a, const struct sctp_hdr *h,
                                const struct chunk *c, const sctpng_eng_path *from, uint64_t now,
                                int *err)
{
    struct cookie ck;
    if (verify_cookie(ep, c, &ck) < 0) {
        ep->stats.cookies_bad_mac++;
        *err = -EACCES;
        return NULL;
    }
    if (ck.local_port != ep->cfg.local_port || ck.peer_port != h->src_port ||
        h->vtag != ck.local_vtag) {
        ep->stats.drop_bad_vtag++;
        *err = -EACCES;
        return NULL;
    }
    if (a)
        return existing(a, &ck, from, now, err);
    if (cookie_staleness_us(&ck, now)) {
        send_stale(ep, &ck, from, now);
        *err = -ETIMEDOUT;
        return NULL;
    }
    return new_from_cookie(ep, &ck, from, now, err);
}

void hs_on_cookie_ack(struct assoc *a, uint64_t now)
{
    if (a->state != SCTPNG_ENG_COOKIE_ECHOED)
        return;
    if (a->t1_count == 0 && a->t1_sent_ns && now >= a->t1_sent_ns) /* Karn */
        rto_sample(&a->paths[a->primary].rto, now - a->t1_sent_ns);
    mem_free(&a->ep->mem, a->cookie);
    a->cookie = NULL;
    assoc_cancel_ctl(a, CT_COOKIE_ECHO);
    assoc_established(a, now, SCTPNG_ENG_EV_ASSOC_UP);
}

void hs_on_t1(struct assoc *a, uint64_t now)
{
    if (++a->t1_count > a->ep->cfg.max_init_retrans) { /* 5.1 C: no answer */
        assoc_down_err(a, SCTPNG_ENG_DOWN_CANT_START, 0, -ETIMEDOUT);
        return;
    }
    struct path *p = &a->paths[a->primary];
    rto_backoff(&p->rto);
    uint64_t t1 = p->rto.rto, cap = (uint64_t)a->ep->cfg.max_init_rto_ms * MS;
    timer_set(&a->tm, TMR_T1, now + (cap && t1 > cap ? cap : t1)); /* max_init_timeo */
    assoc_queue_ctl(a, a->state == SCTPNG_ENG_COOKIE_WAIT ? CT_INIT : CT_COOKIE_ECHO);
}

void hs_on_stale_cookie(struct assoc *a, const uint8_t *info, size_t len, uint64_t now)
{
    if (a->state != SCTPNG_ENG_COOKIE_ECHOED || len < 4)
        return;
    /* 5.2.6: ask for a longer-lived cookie and start over. */
    uint64_t ms = (uint64_t)get32(info) * 2 / 1000 + 1;
    a->cookie_preserve_ms = ms > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)ms;
    mem_free(&a->ep->mem, a->cookie);
    a->cookie = NULL;
    a->state = SCTPNG_ENG_COOKIE_WAIT;
    assoc_cancel_ctl(a, CT_COOKIE_ECHO);
    assoc_queue_ctl(a, CT_INIT);
    if (++a->t1_count > a->ep->cfg.max_init_retrans) { /* 5.1 C: no answer */
        assoc_down_err(a, SCTPNG_ENG_DOWN_CANT_START, 0, -ETIMEDOUT);
        return;
    }
    timer_set(&a->tm, TMR_T1, now + path_rto(a, a->primary));
}
