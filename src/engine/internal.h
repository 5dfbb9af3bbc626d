/* Internal structures of the engine: endpoint, association, path, and the
 * prototypes shared between the engine's modules. Not a public header. */
#ifndef SCTPNG_ENGINE_INTERNAL_H
#define SCTPNG_ENGINE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <netinet/in.h>

#include <sctpng/engine.h>

#include "engine/asconf.h"
#include "engine/auth_assoc.h"
#include "engine/cc.h"
#include "engine/chunk.h"
#include "engine/cookie.h"
#include "engine/ctlq.h"
#include "engine/ext.h"
#include "engine/idata.h"
#include "engine/hash.h"
#include "engine/heap.h"
#include "engine/mem.h"
#include "engine/outq.h"
#include "engine/plpmtud.h"
#include "engine/reasm.h"
#include "engine/reconf.h"
#include "engine/reconf_wire.h"
#include "engine/rto.h"
#include "engine/timers.h"
#include "engine/tsnmap.h"

#define MS           1000000ull /* ns per ms */
#define REPLY_SLOTS  32
#define HB_INFO_MAX  CTLQ_VAL_MAX
#define ERR_INFO_MAX 128

/* sctpng_eng_path_params as kept per path and association (the fixed MTU
 * is kept apart, in a 16-bit field: idle associations must stay small). */
struct path_par {
    uint32_t hb_interval_ms, max_retrans, pf_threshold, switchover_threshold;
};

/* A path's DSCP and IPv6 flow label (sctpng_eng_path_qos) in one word: the
 * label in bits 0-19, the DSCP in bits 24-29, each with a bit that says it
 * was set (api_qos.c). */
#define QOS_FL_MASK    0xfffffu
#define QOS_FL_SET     (1u << 20)
#define QOS_DSCP_SHIFT 24
#define QOS_DSCP_SET   (1u << 30)

/* Fields ordered to leave no holes (engine_scale: 2 KiB per idle association). */
/* A path's address as small as it can be: an IPv4 or IPv6 socket address
 * (28 bytes, where a sockaddr_storage takes 128; two per path, and at
 * 100,000 associations the paths' cache footprint is what heartbeat rounds
 * pay for). path_sa_set/path_sa_get convert; port and scope are kept. */
union path_sa {
    struct sockaddr sa;
    struct sockaddr_in in;
    struct sockaddr_in6 in6;
};

static inline void path_sa_set(union path_sa *d, const struct sockaddr_storage *s)
{
    memset(d, 0, sizeof(*d));
    if (s->ss_family == AF_INET)
        memcpy(&d->in, s, sizeof(d->in));
    else if (s->ss_family == AF_INET6)
        memcpy(&d->in6, s, sizeof(d->in6));
    else
        d->sa.sa_family = s->ss_family; /* AF_UNSPEC: no address */
}

static inline struct sockaddr_storage path_sa_get(const union path_sa *s)
{
    struct sockaddr_storage d;
    memset(&d, 0, sizeof(d));
    if (s->sa.sa_family == AF_INET)
        memcpy(&d, &s->in, sizeof(s->in));
    else if (s->sa.sa_family == AF_INET6)
        memcpy(&d, &s->in6, sizeof(s->in6));
    else
        d.ss_family = s->sa.sa_family;
    return d;
}

/* Same IP address (ports aside), as addr_same_ip. */
static inline bool path_sa_same_ip(const union path_sa *a, const struct sockaddr_storage *b)
{
    if (a->sa.sa_family != b->ss_family)
        return false;
    if (b->ss_family == AF_INET)
        return memcmp(&a->in.sin_addr, &((const struct sockaddr_in *)b)->sin_addr, 4) == 0;
    if (b->ss_family == AF_INET6)
        return memcmp(&a->in6.sin6_addr, &((const struct sockaddr_in6 *)b)->sin6_addr, 16) == 0;
    return false;
}

struct path {
    union path_sa addr;  /* remote, with the caller's opaque port */
    union path_sa local; /* our address the peer last used, or AF_UNSPEC */
    sctpng_eng_path_state state;
    uint32_t mtu; /* the PLPMTU when PLPMTUD runs (plpmtud.c) */
    struct cc cc;
    uint32_t flight; /* bytes in flight to this path */
    uint32_t errors;
    struct rto rto;
    /* RTT measurement in progress (one per path, 6.3.1 C4) */
    uint32_t rtt_tsn;
    bool rtt_pending;
    /* heartbeat: the one outstanding (its timeout is TMR_HB + path) */
    bool hb_outstanding;
    bool user_given; /* an address the user gave to connect: not the peer's to confirm */
    struct pl pl;    /* PLPMTUD state bits (plpmtud.h) */
    uint64_t hb_sent_ns, hb_nonce;
    uint64_t last_data_ns;
    uint64_t pkts_sent, pkts_recvd;
    /* fault tolerance (path.c): hb_interval_ms, max_retrans, pf_threshold */
    struct path_par pp;
    uint16_t pl_probe, pl_hi; /* PLPMTUD: PROBED_SIZE; smallest size known too big (0: none) */
    uint16_t fixed_mtu;       /* sctpng_eng_path_params.mtu (0: none) */
    uint32_t pl_iv;           /* probe interval, ms (plpmtud.h PL_IV_*) */
    uint32_t qos;             /* DSCP and flow label (QOS_*) */
    struct hnode addr_node;   /* in the endpoint's by_addr table while live */
    struct assoc *owner;
};

/* PR-SCTP abandonment counts, per policy (TTL, RTX, PRIO), of messages
 * never sent and of messages sent at least once (RFC 7496 4). */
struct pr_counts {
    uint64_t unsent[3], sent[3];
};

/* The counters of sctpng_eng_status, kept per association under the same
 * names; its other fields are computed when asked for (api.c), which
 * saves an idle association 72 bytes. */
#define ASSOC_COUNTERS(X)                                                                          \
    X(user_bytes_sent)                                                                             \
    X(user_bytes_acked)                                                                            \
    X(user_bytes_recvd)                                                                            \
    X(msgs_sent)                                                                                   \
    X(msgs_recvd)                                                                                  \
    X(data_chunks_sent)                                                                            \
    X(retransmits)                                                                                 \
    X(fast_retransmits)                                                                            \
    X(t3_expiries)                                                                                 \
    X(sacks_sent)                                                                                  \
    X(sacks_recvd)                                                                                 \
    X(dup_tsns_recvd)                                                                              \
    X(abandoned_msgs)                                                                              \
    X(fwd_tsn_sent)                                                                                \
    X(fwd_tsn_recvd)                                                                               \
    X(pkts_sent)                                                                                   \
    X(pkts_recvd)                                                                                  \
    X(ctrl_chunks_sent)                                                                            \
    X(ctrl_chunks_recvd)                                                                           \
    X(unordered_chunks_sent)                                                                       \
    X(data_chunks_recvd)                                                                           \
    X(unordered_chunks_recvd)                                                                      \
    X(out_of_seq_tsns)                                                                             \
    X(gap_blocks_recvd)

struct assoc_counters {
#define ASSOC_COUNTER_FIELD(f) uint64_t f;
    ASSOC_COUNTERS(ASSOC_COUNTER_FIELD)
#undef ASSOC_COUNTER_FIELD
};

struct assoc {
    struct assoc *next, *prev; /* every association of the endpoint */
    struct sctpng_eng *ep;
    /* endpoint indexes (endpoint.c): by id (until freed), by local tag
     * (live, once chosen), the deadline heap (timer.c), the ready list for
     * output, or the zombie list once down; dirty: on the list of those
     * whose deadline must be recomputed */
    struct hnode id_node, vtag_node;
    bool live_idx, vtag_indexed, in_ready, dirty;
    uint8_t pl_path; /* PLPMTUD: the path whose probe is in flight (plpmtud.c) */
    uint8_t lmask;   /* our addresses: bit i for ep->local_addrs[i] (addip.c) */
    struct heap_node tnode;
    struct assoc *ready_next, *ready_prev;
    struct assoc *dirty_next, *dirty_prev;
    struct assoc *due_next; /* timer_run_due() */
    uint32_t id;
    sctpng_eng_state state;
    bool zombie; /* down, kept only for unread data */
    /* The peer's ABORT while ctl_on_abort() ends the association: its
     * ASSOC_DOWN event carries a copy (events.c); NULL otherwise. */
    const struct chunk *peer_abort;
    uint16_t peer_port;
    uint32_t local_vtag, peer_vtag;
    uint32_t local_tie, peer_tie; /* random tie-tags exposed in cookies */
    uint32_t ext;                 /* extensions in use, both ends announced them (ext.h) */
    uint16_t os, mis;             /* negotiated stream counts */
    unsigned errors;              /* association error counter (here: no padding, engine_scale) */
    uint32_t peer_adapt;          /* the peer's Adaptation Layer Indication (RFC 5061), 0: none */
    uint32_t burst;               /* packets of new data since the last input (tune.max_burst) */

    /* n_paths of them (at most SCTPNG_ENG_MAX_PATHS), allocated to fit:
     * most peers have one address (assoc_add_path) */
    struct path *paths;
    unsigned n_paths, primary;
    /* what paths learned later get; its switchover_threshold is the
     * association's (RFC 7829 primary path switchover) */
    struct path_par pp;
    sctpng_eng_tuning tune; /* RTO bounds, max retrans, delayed SACK (tuning.c) */

    struct timers tm; /* every timer of the association (timers.h) */

    /* setup: T1-init / T1-cookie */
    unsigned t1_count;
    uint32_t local_itsn; /* next to t1_count: no padding (engine_scale) */
    uint64_t t1_sent_ns;
    uint8_t *cookie; /* cookie to echo (COOKIE-ECHOED) */
    uint16_t cookie_len;
    uint16_t fixed_mtu; /* the fixed MTU of paths learned later (0: none) */
    uint32_t cookie_preserve_ms;
    uint32_t pl_iv; /* the probe interval of paths learned later (plpmtud.h) */
    uint32_t qos;   /* DSCP and flow label of paths learned later (QOS_*) */

    /* send side: chunks sent at least once, in TSN order, until acked
     * (the retransmission list); chunks not sent yet wait in the stream
     * queues (outq.h) */
    struct tchunk *tx_head, *tx_tail;
    /* highest TSN a gap ack ever marked (valid while gap_seen): no chunk
     * above it is acked, so a SACK's walk of the list stops there
     * (txack.c; without it every SACK walked all that is in flight) */
    uint32_t gap_hi;
    bool gap_seen;
    struct outq outq;
    uint32_t next_tsn, cum_acked, adv_ack;
    uint32_t peer_rwnd;
    uint32_t out_chunks, out_bytes;       /* sent, not cum-acked */
    uint32_t queued_chunks, queued_bytes; /* not yet sent */
    uint32_t rtx_marked;                  /* chunks marked for retransmission */
    bool fast_recovery;
    uint32_t recover_tsn;
    bool lifetimes; /* some queued chunk has a PR-SCTP lifetime */
    bool over;      /* some queued chunk may have a chosen path (tx.c: else no look) */
    bool dry;       /* SENDER_DRY already reported for the current idle period */
    bool nodelay;   /* no Nagle-style holding back of small data (tx.c) */
    /* I-DATA: number the fragments after the first from 0, as Linux does
     * (sctpng_eng_set_idata_fsn_from_zero; sendq.c also does once the
     * receive side learned the peer numbers that way) */
    bool fsn_from_zero;
    bool push; /* a queued message asked for SACK-IMMEDIATELY: send all now */

    /* receive side */
    struct tsn_map tmap;
    struct reasm reasm;
    bool sack_now;
    unsigned sack_pkts;
    bool pkt_data;     /* the packet being processed carried DATA */
    bool sack_pending; /* data arrived since the last SACK */
    bool fast_rtx_now; /* send marked chunks in one packet regardless of cwnd */
    bool got_data;     /* some DATA arrived: the first one is SACKed at once (5.1) */
    unsigned last_data_path;
    uint32_t advertised_rwnd;
    bool ready_reported;
    bool in_rd;      /* in the endpoint's readable ring (endpoint.c) ... */
    uint16_t rd_gen; /* ... under this generation */

    struct ctlq ctlq; /* control chunks waiting for a packet (ctlq.h) */

    struct assoc_counters st;    /* sctpng_eng_status's counters */
    struct pr_counts pr_all;     /* abandoned messages (pr.c) */
    struct pr_counts *pr_stream; /* per stream, allocated at the first one */

    uint16_t pr_nstream;
    /* I-DATA: the MID of the next unordered message, one count for all
     * streams (each stream's unordered MIDs still rise; idle associations
     * must stay small: engine_scale) */
    uint32_t next_umid;
    struct assoc_auth *auth; /* RFC 4895, when both ends use it (auth_assoc.h) */
    struct reconf *rc;       /* RFC 6525 state, from the first request (reconf.c) */
};

struct reply {
    uint8_t *buf;
    size_t len;
    sctpng_eng_path to;
};

struct sctpng_eng {
    sctpng_eng_config cfg;
    uint8_t secret[SCTPNG_ENG_SECRET_MAX], old_secret[SCTPNG_ENG_SECRET_MAX];
    size_t secret_len, old_secret_len;
    struct sockaddr_storage local_addrs[SCTPNG_ENG_MAX_LOCAL_ADDRS];
    size_t n_local;

    struct mem_acct mem;
    struct chunk_pool pool;
    struct assoc *assocs;
    uint32_t next_id;
    unsigned n_live, n_assocs;
    /* indexes (endpoint.c): every association by id; live ones by local
     * verification tag and by peer address + port (one node per path) */
    struct htab by_id, by_vtag, by_addr;
    uint64_t hash_seed;
    struct heap deadlines; /* live associations with a timer, by deadline */
    /* associations that may have something to send (round robin order),
     * and down ones waiting to be reaped (same links) */
    struct assoc *ready_head, *ready_tail, *zombies;
    struct assoc *dirty; /* touched: their deadline is recomputed */
    /* ids of associations with data to read, in the order they became
     * readable: what a read from "any association" takes (ep_rd_*) */
    struct rd_entry {
        uint32_t id, gen;
    } * rd;
    unsigned rd_head, rd_n, rd_cap;
    bool rd_lost; /* a push found no memory: fall back to a scan */

    struct reply replies[REPLY_SLOTS];
    unsigned reply_head, reply_count;

    sctpng_eng_event *events;
    unsigned ev_cap, ev_head, ev_count;
    /* The payload of the event polled last (SEND_FAILED data, ASSOC_DOWN's
     * ABORT chunk): the caller reads it until the next poll (events.c). */
    uint8_t *ev_held;

    sctpng_eng_stats stats;

    struct ep_auth *auth;  /* RFC 4895 keys and lists, with cfg.auth (auth_assoc.h) */
    uint32_t fixed_mtu;    /* default fixed path MTU of new paths (0: none) */
    uint32_t pl_iv;        /* default probe interval of new associations (plpmtud.h) */
    uint32_t qos;          /* default DSCP and flow label of new associations (QOS_*) */
    uint32_t out_qos;      /* those of the packet output returned last */
    sctpng_eng_tap_fn tap; /* sctpng_eng_set_packet_tap(); NULL: none */
    void *tap_ctx;
};

/* The engine's layers, lowest first (README.md "Layers"): codec, data
 * structures, endpoint services, association services, chunk handlers,
 * input / output / timers, public API. A file calls only its own layer or
 * those below (tests/unit/engine/layering.py checks it). Errors are
 * negative errno values unless a prototype says otherwise. */

/* --- 3. endpoint services --------------------------------------------- */

/* endpoint.c: random numbers, association by id, stateless replies */
uint32_t ep_random32(struct sctpng_eng *ep); /* never 0 */
uint32_t ep_mtu(const struct sctpng_eng *ep);
/* Size of the stateless replies' packets (INIT-ACK, ABORT, ...): the
 * config's mtu, or BASE_PLPMTU when paths discover theirs. */
uint32_t ep_reply_mtu(const struct sctpng_eng *ep);
/* The association with this id, touched (ep_touch): callers act on it. */
struct assoc *ep_find_assoc(struct sctpng_eng *ep, uint32_t id);
/* The readable ring: ep_rd_push() when a becomes readable (once while
 * it is in the ring); ep_rd_first() is the first association in it that
 * still has data to read, dropping those that no longer have (or are
 * gone); ep_rd_done() after any read takes it out when drained,
 * or moves it to the end after a complete message (fair turns). O(1) per
 * read, whatever the number of associations. */
void ep_rd_push(struct assoc *a);
struct assoc *ep_rd_first(struct sctpng_eng *ep);
void ep_rd_done(struct assoc *a, bool complete);
/* What ep_rd_first() would return, changing nothing. */
struct assoc *ep_rd_peek(struct sctpng_eng *ep);
void ep_rd_free(struct sctpng_eng *ep);
/* Something happens to a: it may have output (ready list) and its
 * deadline is recomputed before the next deadline query (dirty list). */
void ep_touch(struct assoc *a);
/* A fresh random local verification tag, unique among live associations. */
uint32_t ep_new_vtag(struct sctpng_eng *ep);
/* Sets a's local tag and indexes it. */
void ep_set_vtag(struct assoc *a, uint32_t vtag);
/* The live association in COOKIE-WAIT with this local tag and peer port. */
struct assoc *ep_find_by_vtag(struct sctpng_eng *ep, uint32_t vtag, uint16_t peer_port);
/* Indexes: adding a new association (-ENOMEM), path i of a live one, and
 * taking a out of the live indexes (down) or all of them (freed). */
int ep_index_assoc(struct sctpng_eng *ep, struct assoc *a);
void ep_index_path(struct assoc *a, unsigned i);
void ep_unindex_path(struct assoc *a, unsigned i);
void ep_unindex_live(struct assoc *a);
void ep_unindex_all(struct assoc *a);
/* The hash of a peer address (IP only) and port in the by_addr table. */
uint64_t ep_addr_hash(const struct sctpng_eng *ep, const struct sockaddr_storage *addr,
                      uint16_t port);
/* The same for a path's address. */
uint64_t ep_path_hash(const struct sctpng_eng *ep, const struct path *p, uint16_t port);
/* Takes one association off the dirty list (NULL: none). */
struct assoc *ep_take_dirty(struct sctpng_eng *ep);
/* The ready list: first, remove, move to the tail (round robin). */
struct assoc *ep_ready_first(struct sctpng_eng *ep);
void ep_ready_remove(struct assoc *a);
void ep_ready_rotate(struct assoc *a);
/* Reserves a stateless reply packet slot; NULL if full (counted). */
struct reply *ep_reply_slot(struct sctpng_eng *ep, const sctpng_eng_path *to);
/* pr.c: PR-SCTP policies' bookkeeping (RFC 3758, RFC 7496). */
/* Counts message c (its first chunk) as abandoned, sent or not. */
void pr_count(struct assoc *a, const struct tchunk *c, bool sent);
/* RTX: chunk c may not be sent again (its retransmissions are used up). */
bool pr_rtx_used_up(const struct tchunk *c);
void pr_free(struct assoc *a);

/* Takes the oldest reply into buf; 0 if it was abandoned or too long. */
ssize_t ep_take_reply(struct sctpng_eng *ep, uint8_t *buf, size_t cap, sctpng_eng_path *to);
/* Sends a packet with one chunk (one cause, code 0 = none) through the
 * reply queue; dropped if the queue is full. */
void ep_reply_chunk(struct sctpng_eng *ep, const sctpng_eng_path *to, uint16_t src, uint16_t dst,
                    uint32_t vtag, uint8_t type, uint8_t flags, uint16_t code, const void *info,
                    size_t len);
/* The same in two steps, for a caller that adds to the packet before it
 * is finished (an association signing its ABORT): the slot with *w
 * holding the chunk (NULL: the queue is full or the chunk did not fit), then ep_reply_finish()
 * writes its length and checksum. */
struct reply_chunk {
    uint16_t src, dst;
    uint32_t vtag;
    uint8_t type, flags;
    uint16_t code; /* one cause, 0: none */
    const void *info;
    size_t len;
};
struct reply *ep_reply_begin(struct sctpng_eng *ep, const sctpng_eng_path *to, struct pkt_writer *w,
                             const struct reply_chunk *rc);
void ep_reply_finish(struct reply *r, struct pkt_writer *w);

/* events.c: every event is built here. A full ring grows; out of memory,
 * the event is lost. */
void ev_push(struct sctpng_eng *ep, const sctpng_eng_event *ev);
bool ev_pop(struct sctpng_eng *ep, sctpng_eng_event *ev);
void ev_free_all(struct sctpng_eng *ep);                  /* the ring's payloads and the held one */
void ev_simple(struct assoc *a, sctpng_eng_event_type t); /* no payload */
void ev_assoc_up(struct assoc *a, sctpng_eng_event_type t); /* UP or RESTART */
void ev_assoc_down(struct assoc *a, sctpng_eng_down_reason why, uint16_t cause, int error);
void ev_peer_addr(struct assoc *a, unsigned path,
                  sctpng_eng_path_state prev);        /* the path's new state */
void ev_made_primary(struct assoc *a, unsigned path); /* PEER_ADDR, made_primary */
/* RFC 5061: the peer's ASCONF added, deleted or made primary a path */
void ev_peer_addr_conf(struct assoc *a, unsigned path, sctpng_eng_addr_conf what);
void ev_send_failed(struct assoc *a, const struct tchunk *c, int error, bool unsent);
void ev_remote_error(struct assoc *a, uint16_t cause);
void ev_adaptation(struct assoc *a); /* the peer's indication (a->peer_adapt) */
/* The association ends with stream sid's message seq partly delivered. */
void ev_pd_aborted(struct assoc *a, uint16_t sid, uint32_t seq);
/* RFC 6525's three events (t: STREAM_RESET, ASSOC_RESET or STREAM_CHANGE),
 * one builder: the flags, and what the type carries: STREAM_RESET the
 * stream ids sids[0..n) (host order; n 0: every stream), ASSOC_RESET our
 * and the peer's next TSN (v[0], v[1]), STREAM_CHANGE the inbound and
 * outbound streams added (v[0], v[1]). */
struct reconf_ev {
    uint16_t flags;
    const uint16_t *sids;
    uint16_t n;
    uint32_t v[2];
};
void ev_reconf(struct assoc *a, sctpng_eng_event_type t, const struct reconf_ev *r);

/* --- 4. association services ------------------------------------------ */

/* assoc.c: lifetime, paths, ending */
struct assoc *assoc_new(struct sctpng_eng *ep); /* NULL: out of memory */
/* -ENOMEM, or 0: stream state for os / mis streams, TSN map from peer_itsn. */
int assoc_setup_streams(struct assoc *a, uint16_t os, uint16_t mis, uint32_t peer_itsn);
void assoc_free(struct assoc *a);
/* The live association of this peer address and port; *path its path. */
struct assoc *assoc_lookup(struct sctpng_eng *ep, const struct sockaddr_storage *from,
                           uint16_t peer_port, unsigned *path);
/* Frees associations that are down and have nothing left to read. */
void assoc_reap(struct sctpng_eng *ep);
/* Ends the association: events, SEND_FAILED for undelivered messages. */
void assoc_down(struct assoc *a, sctpng_eng_down_reason why, uint16_t cause);
/* assoc_down() with the event's error given (assoc_down() derives it from
 * the reason; CANT_START then means refused). */
void assoc_down_err(struct assoc *a, sctpng_eng_down_reason why, uint16_t cause, int error);
/* Index of the path, or -1 (no room, or an invalid address). */
int assoc_add_path(struct assoc *a, const struct sockaddr_storage *addr, bool confirmed);
int assoc_find_path(const struct assoc *a, const struct sockaddr_storage *addr); /* or -1 */
void assoc_path_state(struct assoc *a, unsigned i, sctpng_eng_path_state s);
unsigned assoc_data_path(const struct assoc *a);
/* Arms path p's heartbeat timer for the next HEARTBEAT (8.3), unless one
 * is outstanding. */
void assoc_hb_schedule(struct assoc *a, unsigned p, uint64_t now);
void assoc_established(struct assoc *a, uint64_t now, sctpng_eng_event_type ev);
/* SCTP_AUTOCLOSE: (re)starts the idle timer of an established association
 * with tune.autoclose_ms (data sent or received), or stops it. */
void assoc_autoclose(struct assoc *a, uint64_t now);
/* Queues an ERROR chunk with one cause (each call its own chunk). */
void assoc_set_error(struct assoc *a, uint16_t code, const void *info, size_t len);
/* Sends an ABORT (through the reply queue) and ends the association. */
void assoc_abort(struct assoc *a, uint16_t code, const void *info, size_t len,
                 sctpng_eng_down_reason why);
bool assoc_count_error(struct assoc *a); /* true if the association died */
/* path.c: fault tolerance of paths (RFC 9260 8.2, RFC 7829). */
/* The endpoint's defaults for a new association's paths. */
void path_params_default(const struct sctpng_eng *ep, struct path_par *pp);
/* One more error on path i (a T3 or heartbeat time-out, an ICMP): the
 * path goes potentially failed or inactive at its thresholds, and the
 * primary may switch over. */
void path_error(struct assoc *a, unsigned i, uint64_t now);
/* Data or a heartbeat on path i was acknowledged: errors cleared, an
 * inactive or potentially failed path is active again, unless the peer
 * deleted its address (ASCONF). */
void path_ok(struct assoc *a, unsigned i);
/* The peer deleted the path's address (addip.c's Delete IP: inactive
 * with neither heartbeats nor retransmissions); only an Add IP of the
 * same address brings it back. */
bool path_deleted(const struct path *p);
/* -EINVAL if the thresholds do not fit together. */
int path_params_check(const sctpng_eng_path_params *pp);
/* Lowers path i's MTU to mtu (at least SCTPNG_ENG_MIN_MTU); false if that
 * would not lower it (or mtu is 0). */
bool assoc_lower_pmtu(struct assoc *a, unsigned i, uint32_t mtu);

/* sendq.c: what the send side holds */
/* The largest DATA chunk payload a message sent now is cut into: the data
 * path's MTU less the headers (and AUTH), at most tune.maxseg. */
uint32_t sendq_frag_point(const struct assoc *a);
/* I-DATA: messages queued now number their fragments after the first from
 * 0 (Linux's way: asked, or the peer was seen to), else from 1 (RFC 8260). */
bool sendq_fsn_from_zero(const struct assoc *a);
/* Fragments a message into its stream queue; -ENOMEM. */
int sendq_enqueue(struct assoc *a, const uint8_t *data, size_t len, const sctpng_eng_sndinfo *info,
                  uint64_t now);
/* SEND_FAILED (-ECONNRESET) for every message not fully acknowledged. */
void sendq_fail_all(struct assoc *a);
void sendq_free_all(struct assoc *a);
bool sendq_all_acked(const struct assoc *a); /* nothing queued or outstanding */
void sendq_check_dry(struct assoc *a);       /* SENDER_DRY once per idle period */
/* When the first unsent message's PR-SCTP lifetime ends (NO_TIMER: none). */
uint64_t sendq_lifetime_deadline(const struct assoc *a);

/* --- 5. chunk handlers (none calls another) ----------------------------- */

/* handshake.c */
int hs_connect_init(struct assoc *a, uint64_t now);
int hs_on_init(struct sctpng_eng *ep, struct assoc *a, const struct sctp_hdr *h,
               const struct chunk *c, const sctpng_eng_path *from, uint64_t now);
void hs_on_init_ack(struct assoc *a, const struct chunk *c, unsigned path, uint64_t now);
/* Returns the association the cookie established or confirmed, NULL if
 * the cookie was refused. *err receives the input() error code. */
struct assoc *hs_on_cookie_echo(struct sctpng_eng *ep, struct assoc *a, const struct sctp_hdr *h,
                                const struct chunk *c, const sctpng_eng_path *from, uint64_t now,
                                int *err);
void hs_on_cookie_ack(struct assoc *a, uint64_t now);
size_t hs_write_init(struct assoc *a, struct pkt_writer *w); /* 1 if written */
void hs_on_t1(struct assoc *a, uint64_t now);
void hs_on_stale_cookie(struct assoc *a, const uint8_t *info, size_t len, uint64_t now);

/* addip.c: RFC 5061 ASCONF (needs AUTH). A request of ours: -ENOPROTOOPT
 * the association does not use ASCONF, -EINPROGRESS one is outstanding,
 * -EINVAL a bad address. */
int addip_request(struct assoc *a, uint16_t type, const struct sockaddr_storage *addr,
                  uint64_t now);
void addip_on_asconf(struct assoc *a, const struct chunk *c, unsigned path, uint64_t now);
void addip_on_ack(struct assoc *a, const struct chunk *c, uint64_t now);
void addip_on_timer(struct assoc *a, unsigned i, uint64_t now);
/* The endpoint's address list changed (sctpng_eng_add/del_local_addr):
 * slot i was added (the association asks for it by ASCONF if it uses
 * that), or is about to be deleted (asked, then the slot leaves the
 * mask, the higher bits moving down). -ENOBUFS: too many requests wait. */
int addip_local_added(struct assoc *a, unsigned i, uint64_t now);
void addip_local_deleted(struct assoc *a, unsigned i, uint64_t now);

/* rx.c: receiving data */
/* Returns -1 if the association was aborted. */
int rx_data(struct assoc *a, const struct chunk *c, unsigned path, uint64_t now);
void rx_end_of_packet(struct assoc *a, uint64_t now);
void rx_on_sack_timer(struct assoc *a);
void rx_fwd_tsn(struct assoc *a, const struct chunk *c, uint64_t now);
/* RFC 8260: I-DATA (DATA on an I-DATA association and I-DATA on another
 * one ABORT with a protocol violation: -1) and I-FORWARD-TSN. */
int rx_idata(struct assoc *a, const struct chunk *c, unsigned path, uint64_t now);
void rx_ifwd_tsn(struct assoc *a, const struct chunk *c, uint64_t now);
uint32_t rx_rwnd(const struct assoc *a);
/* Partial delivery begins when the window is full, or once the first
 * message at hand has tune.pd_point bytes in sequence. */
void rx_partial(struct assoc *a);
void rx_after_read(struct assoc *a);
int rx_write_sack(struct assoc *a, struct pkt_writer *w); /* -1: no room */

/* tx.c, txack.c (one module, tx_int.h): sending data */
void tx_on_sack(struct assoc *a, const struct chunk *c, uint64_t now);
void tx_on_cum_ack(struct assoc *a, uint32_t cum, uint64_t now);
void tx_on_t3(struct assoc *a, unsigned path, uint64_t now);
/* Path `path`'s MTU went down: DATA in flight there that no longer fits a
 * packet is marked for retransmission now (7.3), without a cwnd cut. */
void tx_on_pmtu(struct assoc *a, unsigned path, uint64_t now);
void tx_advance_peer_ack(struct assoc *a); /* RFC 3758 3.5 C */
void tx_expire(struct assoc *a, uint64_t now);
/* PRIO: abandons queued, unsent PRIO messages with a value above `prio`
 * until `need` bytes are free or none is left; returns the bytes freed. */
uint64_t tx_evict_prio(struct assoc *a, uint32_t prio, uint64_t need);
/* True if new data would go into w now (false: none queued, or Nagle-style
 * bundling holds it back until more is queued or what is in flight is acked). */
bool tx_new_data_ready(const struct assoc *a, const struct pkt_writer *w);
/* The path the next packet's data goes on: `p`, or the path the user chose
 * (SCTP_ADDR_OVER) for the next new chunk, when no retransmission waits. */
unsigned tx_new_path(const struct assoc *a, unsigned p);
/* Writes retransmissions and new data for path `p` into w; returns chunks. */
int tx_write_data(struct assoc *a, struct pkt_writer *w, unsigned p, uint64_t now, bool rtx_only);
/* Writes the FORWARD-TSN (I-FORWARD-TSN with I-DATA); -1: no room. 0 also when
 * nothing is left to skip (acked since it was queued): then nothing is written. */
int tx_write_fwd_tsn(struct assoc *a, struct pkt_writer *w, uint64_t now);

/* ctl.c: shutdown, abort, error, heartbeat */
void ctl_on_abort(struct assoc *a, const struct chunk *c);
/* An ERROR whose first cause is not Stale Cookie (that one is handshake's). */
void ctl_on_error(struct assoc *a, uint16_t code, const uint8_t *info, uint16_t len);
/* A SHUTDOWN; its cumulative ack was processed already. */
void ctl_on_shutdown(struct assoc *a, uint64_t now);
void ctl_on_shutdown_ack(struct assoc *a, const sctpng_eng_path *from, uint64_t now);
void ctl_on_shutdown_complete(struct assoc *a);
/* Moves a pending shutdown on once everything sent was acknowledged. */
void ctl_shutdown_progress(struct assoc *a, uint64_t now);
void ctl_on_t2(struct assoc *a, uint64_t now);
void ctl_on_t5(struct assoc *a);
/* SCTP_AUTOCLOSE: idle for tune.autoclose_ms, the association shuts down
 * gracefully, as if the user had asked. */
void ctl_on_autoclose(struct assoc *a, uint64_t now);
void ctl_on_heartbeat(struct assoc *a, const struct chunk *c, unsigned path);
void ctl_on_heartbeat_ack(struct assoc *a, const struct chunk *c, uint64_t now);
int ctl_write_heartbeat(struct assoc *a, struct pkt_writer *w, unsigned p, uint64_t now);
void ctl_on_hb_timer(struct assoc *a, unsigned path, uint64_t now);
/* Queues a HEARTBEAT for path i unless one is outstanding (on demand). */
void ctl_heartbeat_now(struct assoc *a, unsigned i);

/* reconf.c: RFC 6525 stream reconfiguration (RE-CONFIG chunks, our requests) */
void reconf_on_chunk(struct assoc *a, const struct chunk *c, uint64_t now);
/* After a packet's chunks: a deferred inbound reset whose last TSN arrived
 * is performed (a->rc must be there). */
void reconf_after_input(struct assoc *a);
void reconf_on_timer(struct assoc *a, uint64_t now);
/* Writes the responses and the request due; -1 if something did not fit. */
int reconf_write(struct assoc *a, struct pkt_writer *w);
/* A send on stream sid must wait: its outgoing reset (or an SSN/TSN reset) is outstanding. */
bool reconf_send_blocked(const struct assoc *a, uint16_t sid);
/* The requests (the public calls check the rest first); -EINVAL,
 * -EINPROGRESS, -EAGAIN, -ENOMEM or 0. */
int reconf_request_streams(struct assoc *a, unsigned dir, const uint16_t *sids, size_t n,
                           uint64_t now);
int reconf_request_tsn(struct assoc *a, uint64_t now);
int reconf_request_add(struct assoc *a, uint16_t out, uint16_t in, uint64_t now);

/* --- 6. input, output, timers ------------------------------------------ */

/* One packet for this association, 0 if it has nothing to send. */
ssize_t out_assoc(struct assoc *a, uint64_t now, uint8_t *buf, size_t cap, sctpng_eng_path *to);
uint64_t timer_assoc_deadline(const struct assoc *a);
void timer_assoc_run(struct assoc *a, uint64_t now);
/* Recomputes the deadline of every touched association (the heap). */
void timer_settle(struct sctpng_eng *ep);
/* Runs the timers of the associations that are due (only those). */
void timer_run_due(struct sctpng_eng *ep, uint64_t now);
/* The earliest deadline of the endpoint (after timer_settle). */
uint64_t timer_ep_deadline(const struct sctpng_eng *ep);
/* A received packet; the sctpng_eng_input() result. */
int in_packet(struct sctpng_eng *ep, const uint8_t *pkt, size_t len, const sctpng_eng_path *from,
              uint64_t now);

/* An ICMP error; the sctpng_eng_icmp_input() result (icmp.c). */
int in_icmp(struct sctpng_eng *ep, const sctpng_eng_icmp *icmp, uint64_t now);

/* (7. public API: driver.c, api.c, declared in include/sctpng/engine.h) */

/* Association helpers (inline). */
/* Queues a control chunk written from the association's state when it
 * leaves, for the path of the packet it goes in. */
static inline void assoc_queue_ctl(struct assoc *a, uint8_t type)
{
    (void)ctlq_add(&a->ctlq, &a->ep->mem, type, CTL_ANY_PATH, NULL, 0);
}

static inline void assoc_cancel_ctl(struct assoc *a, uint8_t type)
{
    ctlq_cancel(&a->ctlq, &a->ep->mem, type);
}

static inline uint64_t path_rto(const struct assoc *a, unsigned p)
{
    return a->paths[p].rto.rto;
}

#endif
