/* Packet input: checksum, structure validation, demultiplexing to an
 * association, verification tag rules (RFC 9260 8.5, 8.5.1), out-of-the-blue
 * handling (8.4), and per-chunk dispatch with the unrecognized-chunk action
 * bits (3.2). */
#include <errno.h>
#include <string.h>

#include "engine/crc.h"
#include "engine/internal.h"
#include "engine/pad.h"
#include "engine/param.h"
#include "engine/wire.h"

/* Finds a chunk type anywhere in the (validated) packet. */
static bool find_chunk(const uint8_t *pkt, size_t len, uint8_t type, struct chunk *out)
{
    struct chunk_iter it;
    chunk_iter_init(&it, pkt, len);
    while (chunk_next(&it, out) == 1)
        if (out->type == type)
            return true;
    return false;
}

static void first_chunk(const uint8_t *pkt, size_t len, struct chunk *c)
{
    struct chunk_iter it;
    chunk_iter_init(&it, pkt, len);
    chunk_next(&it, c); /* the packet was validated: there is one */
}

static int process_chunks(struct sctpng_eng *ep, struct assoc *a, const uint8_t *pkt, size_t len,
                          unsigned path, const sctpng_eng_path *from, uint64_t now, unsigned skip,
                          bool authed);

/* RFC 4895 6.3: AUTH first, then COOKIE-ECHO: the AUTH is verified with the
 * keys the cookie makes, and the packet goes on as a COOKIE-ECHO packet
 * (*c0 the COOKIE-ECHO, two chunks to skip). -1: drop it. */
static int auth_then_cookie(struct sctpng_eng *ep, const uint8_t *pkt, size_t len, struct chunk *c0,
                            unsigned *skip)
{
    struct chunk_iter it;
    struct chunk auth, ce;
    chunk_iter_init(&it, pkt, len);
    if (chunk_next(&it, &auth) != 1 || chunk_next(&it, &ce) != 1 || ce.type != CT_COOKIE_ECHO)
        return 0;
    if (!auth_cookie_packet_ok(ep, &auth, &ce, pkt + len)) {
        ep->stats.drop_auth++;
        return -1;
    }
    *c0 = ce;
    *skip = 2;
    return 0;
}

/* 8.4 rules (2) to (8) for a packet nothing here takes; `me` is the port
 * it was sent to, which the reply comes from. */
static int ootb_reply(struct sctpng_eng *ep, const struct sctp_hdr *h, const uint8_t *pkt,
                      size_t len, const struct chunk *c, const sctpng_eng_path *from, uint16_t me)
{
    struct chunk tmp;
    ep->stats.drop_ootb++;
    if (find_chunk(pkt, len, CT_ABORT, &tmp) || c->type == CT_SHUTDOWN_COMPLETE ||
        find_chunk(pkt, len, CT_COOKIE_ACK, &tmp) || find_chunk(pkt, len, CT_ERROR, &tmp))
        return -ENOTCONN; /* 8.4 (2), (6), (7): silently discard */
    ep->stats.ootb_replies++;
    if (c->type == CT_SHUTDOWN_ACK) /* 8.4 (5) */
        ep_reply_chunk(ep, from, me, h->src_port, h->vtag, CT_SHUTDOWN_COMPLETE, CHUNK_FLAG_T, 0,
                       NULL, 0);
    else /* 8.4 (8) */
        ep_reply_chunk(ep, from, me, h->src_port, h->vtag, CT_ABORT, CHUNK_FLAG_T, 0, NULL, 0);
    return -ENOTCONN;
}

/* A packet for an SCTP port this endpoint does not serve. Over UDP the
 * endpoint owns its UDP port, so it is the only SCTP stack there to answer:
 * an INIT gets the ABORT of 8.4 (3) (tagged with its Initiate Tag, T bit
 * clear) so the sender learns at once that nobody listens, and the rest
 * follows the other rules of 8.4. */
static int foreign_port(struct sctpng_eng *ep, const struct sctp_hdr *h, const uint8_t *pkt,
                        size_t len, const sctpng_eng_path *from)
{
    struct chunk c;
    ep->stats.drop_bad_port++;
    first_chunk(pkt, len, &c);
    if (c.type != CT_INIT)
        return ootb_reply(ep, h, pkt, len, &c, from, h->dst_port);
    struct init_chunk ic;
    if (h->vtag != 0 || chunk_init_decode(&c, &ic) < 0 || ic.itag == 0)
        return -ENOTCONN; /* 8.5.1 (A), or nobody to answer */
    ep->stats.ootb_replies++;
    ep_reply_chunk(ep, from, h->dst_port, h->src_port, ic.itag, CT_ABORT, 0, 0, NULL, 0);
    return -ENOTCONN;
}

/* 8.4: a packet no association claims. */
static int ootb(struct sctpng_eng *ep, const struct sctp_hdr *h, const uint8_t *pkt, size_t len,
                const sctpng_eng_path *from, uint64_t now, const struct chunk *c0, unsigned skip)
{
    struct chunk c = *c0, tmp;
    if (c.type == CT_INIT)
        return hs_on_init(ep, NULL, h, &c, from, now);
    if (c.type == CT_COOKIE_ECHO && !find_chunk(pkt, len, CT_ABORT, &tmp)) {
        int err = 0;
        struct assoc *a = hs_on_cookie_echo(ep, NULL, h, &c, from, now, &err);
        if (!a)
            return err;
        return process_chunks(ep, a, pkt, len, a->primary, from, now, skip, skip > 1);
    }
    return ootb_reply(ep, h, pkt, len, &c, from, ep->cfg.local_port);
}

/* 3.2: what to do with a chunk type we do not know. Returns 1 to stop. */
static int unrecognized(struct assoc *a, const struct chunk *c)
{
    a->ep->stats.chunks_unrecognized++;
    if (c->type & 0x40)
        assoc_set_error(a, CAUSE_UNRECOGNIZED_CHUNK, c->hdr, c->len < 64 ? c->len : 64);
    return (c->type & 0x80) ? 0 : 1;
}

static bool can_receive_data(const struct assoc *a)
{
    return a->state == SCTPNG_ENG_ESTABLISHED || a->state == SCTPNG_ENG_SHUTDOWN_PENDING ||
           a->state == SCTPNG_ENG_SHUTDOWN_SENT;
}

/* 9.2: a SHUTDOWN acknowledges data up to its cumulative TSN (until our
 * SHUTDOWN-ACK went out), then moves the shutdown on. */
static void on_shutdown(struct assoc *a, const struct chunk *c, uint64_t now)
{
    uint32_t cum;
    if (chunk_shutdown_decode(c, &cum) < 0) {
        a->ep->stats.drop_malformed++;
        return;
    }
    if (a->state >= SCTPNG_ENG_ESTABLISHED && a->state != SCTPNG_ENG_SHUTDOWN_ACK_SENT)
        tx_on_cum_ack(a, cum, now);
    ctl_on_shutdown(a, now);
}

/* An ERROR: a Stale Cookie cause is the handshake's (5.2.6), the rest
 * ctl's. */
static void on_error(struct assoc *a, const struct chunk *c, uint64_t now)
{
    const uint8_t *info = NULL;
    uint16_t len = 0;
    uint16_t code = param_first_cause(c->val, c->vlen, &info, &len);
    if (code == CAUSE_STALE_COOKIE)
        hs_on_stale_cookie(a, info, len, now);
    else
        ctl_on_error(a, code, info, len);
}

/* Whether chunks of extension `bit` are known here: the endpoint offers it
 * now, or the association agreed to it before the offer was withdrawn
 * (sctpng_eng_set_offer). */
static bool offers(const struct sctpng_eng *ep, const struct assoc *a, uint32_t bit)
{
    bool now = bit == EXT_IDATA     ? ep->cfg.idata
               : bit == EXT_PR_SCTP ? ep->cfg.pr_sctp
                                    : ep->cfg.reconf;
    return now || (a->ext & bit);
}

/* One chunk; returns 1 to stop processing the packet. */
static int dispatch(struct sctpng_eng *ep, struct assoc *a, const struct chunk *c, unsigned path,
                    const sctpng_eng_path *from, uint64_t now)
{
    switch (c->type) {
    case CT_DATA:
        if (can_receive_data(a))
            return rx_data(a, c, path, now) < 0;
        return 0;
    case CT_IDATA:
        if (!offers(ep, a, EXT_IDATA))
            return unrecognized(a, c);
        if (can_receive_data(a))
            return rx_idata(a, c, path, now) < 0;
        return 0;
    case CT_SACK:
        if (a->state >= SCTPNG_ENG_ESTABLISHED) {
            tx_on_sack(a, c, now);
            ctl_shutdown_progress(a, now); /* all acked: the shutdown goes on */
        }
        return 0;
    case CT_HEARTBEAT:
        ctl_on_heartbeat(a, c, path);
        return 0;
    case CT_HEARTBEAT_ACK:
        ctl_on_heartbeat_ack(a, c, now);
        return 0;
    case CT_INIT_ACK:
        hs_on_init_ack(a, c, path, now);
        return 1;
    case CT_COOKIE_ACK:
        hs_on_cookie_ack(a, now);
        return 0;
    case CT_SHUTDOWN:
        on_shutdown(a, c, now);
        return 0;
    case CT_SHUTDOWN_ACK:
        ctl_on_shutdown_ack(a, from, now);
        return 0;
    case CT_ERROR:
        on_error(a, c, now);
        return 0;
    case CT_FORWARD_TSN:
        if (!offers(ep, a, EXT_PR_SCTP))
            return unrecognized(a, c);
        if (a->state >= SCTPNG_ENG_ESTABLISHED && !(a->ext & EXT_IDATA))
            rx_fwd_tsn(a, c, now); /* with I-DATA only I-FORWARD-TSN counts */
        return 0;
    case CT_IFORWARD_TSN:
        if (!offers(ep, a, EXT_IDATA) || !offers(ep, a, EXT_PR_SCTP))
            return unrecognized(a, c);
        if (a->state >= SCTPNG_ENG_ESTABLISHED && (a->ext & EXT_IDATA))
            rx_ifwd_tsn(a, c, now);
        return 0;
    case CT_ASCONF: /* RFC 5061: AUTH came first (auth_required) */
        if (!(a->ext & EXT_ASCONF))
            return unrecognized(a, c);
        addip_on_asconf(a, c, path, now);
        return 0;
    case CT_ASCONF_ACK:
        if (!(a->ext & EXT_ASCONF))
            return unrecognized(a, c);
        addip_on_ack(a, c, now);
        return 0;
    case CT_RECONF:
        if (!offers(ep, a, EXT_RECONF))
            return unrecognized(a, c);
        reconf_on_chunk(a, c, now);
        return 0;
    case CT_PAD: /* RFC 4820: discarded (PLPMTUD probes carry one) */
        return 0;
    case CT_COOKIE_ECHO: /* only valid first in the packet */
    case CT_ECNE:        /* we never announce ECN */
    case CT_CWR:
        return 0;
    case CT_INIT:
    case CT_ABORT:
    case CT_SHUTDOWN_COMPLETE:
        return 1; /* handled before dispatch */
    default:
        return unrecognized(a, c);
    }
}

/* authed: the chunks skipped were an AUTH (verified) and a COOKIE-ECHO. */
static int process_chunks(struct sctpng_eng *ep, struct assoc *a, const uint8_t *pkt, size_t len,
                          unsigned path, const sctpng_eng_path *from, uint64_t now, unsigned skip,
                          bool authed)
{
    struct chunk_iter it;
    struct chunk c;
    chunk_iter_init(&it, pkt, len);
    for (unsigned i = 0; i < skip && chunk_next(&it, &c) == 1; i++)
        a->st.ctrl_chunks_recvd++;
    while (!a->zombie && chunk_next(&it, &c) == 1) {
        if (c.type != CT_DATA && c.type != CT_IDATA)
            a->st.ctrl_chunks_recvd++;
        /* RFC 4895 6.3: what we require authenticated counts only after
         * a valid AUTH; a bad AUTH ends the packet */
        if (c.type == CT_AUTH && a->auth && a->auth->ready) {
            if (auth_on_chunk(a, &c, pkt + len) < 0)
                break;
            authed = true;
            continue;
        }
        if (!authed && auth_required(a, c.type)) {
            auth_drop(a);
            continue;
        }
        if (dispatch(ep, a, &c, path, from, now))
            break;
    }
    if (!a->zombie && a->rc)
        reconf_after_input(a); /* a deferred stream reset whose data is all in */
    if (!a->zombie)
        rx_end_of_packet(a, now);
    return 0;
}

/* ABORT and SHUTDOWN-COMPLETE carry the T bit: reflected or own tag. */
static bool tbit_tag_ok(const struct assoc *a, const struct chunk *c, uint32_t vtag)
{
    return (c->flags & CHUNK_FLAG_T) ? vtag == a->peer_vtag : vtag == a->local_vtag;
}

/* RFC 4895 6.3: with ABORT in the chunks we require authenticated, an
 * ABORT counts only after an AUTH in its packet that verifies; one
 * without is dropped (counted as the association's AUTH drops). */
static bool abort_authed(struct assoc *a, const uint8_t *pkt, size_t len)
{
    if (!auth_required(a, CT_ABORT))
        return true;
    struct chunk_iter it;
    struct chunk c;
    chunk_iter_init(&it, pkt, len);
    while (chunk_next(&it, &c) == 1 && c.type != CT_ABORT)
        if (c.type == CT_AUTH)
            return auth_on_chunk(a, &c, pkt + len) == 0;
    auth_drop(a);
    return false;
}

static struct assoc *lookup_init_ack(struct sctpng_eng *ep, const struct sctp_hdr *h)
{
    return ep_find_by_vtag(ep, h->vtag, h->src_port);
}

/* RFC 9653 5.3: an endpoint that announces Zero Checksum Acceptable
 * takes packets whose checksum is 0, as well as correct ones; a packet
 * with an INIT must carry its CRC (nobody can have agreed yet). */
static bool zero_checksum_ok(const struct sctpng_eng *ep, const uint8_t *pkt, size_t len)
{
    if (!ep->cfg.zero_checksum_edmid || len < SCTP_HDR_LEN + CHUNK_HDR_LEN)
        return false;
    return get32(pkt + 8) == 0 && pkt[SCTP_HDR_LEN] != CT_INIT;
}

int in_packet(struct sctpng_eng *ep, const uint8_t *pkt, size_t len, const sctpng_eng_path *from,
              uint64_t now)
{
    struct sctp_hdr h;
    struct chunk c0, c;
    if (pkt_header(pkt, len, &h) < 0) {
        ep->stats.drop_malformed++;
        return -EBADMSG;
    }
    if (!ep->cfg.skip_crc_check && !zero_checksum_ok(ep, pkt, len) &&
        !sctp_packet_crc_ok(pkt, len)) {
        ep->stats.drop_bad_crc++;
        return -EBADMSG;
    }
    if (h.src_port == 0 || h.dst_port == 0) {
        ep->stats.drop_bad_port++;
        return -ENOTCONN;
    }
    if (pkt_validate(pkt, len) < 0) {
        ep->stats.drop_malformed++;
        return -EBADMSG;
    }
    if (h.dst_port != ep->cfg.local_port)
        return foreign_port(ep, &h, pkt, len, from);
    first_chunk(pkt, len, &c0);
    unsigned skip = 1;
    if (c0.type == CT_AUTH && auth_then_cookie(ep, pkt, len, &c0, &skip) < 0)
        return -EACCES;
    unsigned path = 0;
    struct assoc *a = assoc_lookup(ep, &from->remote, h.src_port, &path);
    if (!a && c0.type == CT_INIT_ACK && (a = lookup_init_ack(ep, &h))) {
        int p = assoc_add_path(a, &from->remote, true);
        if (p < 0)
            return -ENOTCONN;
        path = (unsigned)p;
    }
    if (!a)
        return ootb(ep, &h, pkt, len, from, now, &c0, skip);
    ep_touch(a);
    a->burst = 0; /* a new output run (SCTP_MAX_BURST): Linux flushes after each packet */
    struct path *p = &a->paths[path];
    path_sa_set(&p->addr, &from->remote); /* RFC 6951: remember the latest encapsulation port */
    if (from->local.ss_family != 0)
        path_sa_set(&p->local, &from->local);
    p->pkts_recvd++;
    a->st.pkts_recvd++;

    if (c0.type == CT_INIT)
        return hs_on_init(ep, a, &h, &c0, from, now);
    if (find_chunk(pkt, len, CT_ABORT, &c)) {
        if (!tbit_tag_ok(a, &c, h.vtag)) {
            ep->stats.drop_bad_vtag++;
            return -EACCES;
        }
        if (!abort_authed(a, pkt, len))
            return -EACCES;
        ctl_on_abort(a, &c);
        return 0;
    }
    if (c0.type == CT_SHUTDOWN_COMPLETE) {
        if (!tbit_tag_ok(a, &c0, h.vtag)) {
            ep->stats.drop_bad_vtag++;
            return -EACCES;
        }
        ctl_on_shutdown_complete(a);
        return 0;
    }
    if (c0.type == CT_COOKIE_ECHO) {
        int err = 0;
        struct assoc *b = hs_on_cookie_echo(ep, a, &h, &c0, from, now, &err);
        if (!b)
            return err;
        int pi = assoc_find_path(b, &from->remote);
        return process_chunks(ep, b, pkt, len, pi < 0 ? b->primary : (unsigned)pi, from, now, skip,
                              skip > 1);
    }
    if (h.vtag != a->local_vtag) {
        ep->stats.drop_bad_vtag++;
        return -EACCES;
    }
    return process_chunks(ep, a, pkt, len, path, from, now, 0, false);
}
