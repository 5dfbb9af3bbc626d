/* notify.c - decode Linux kernel SCTP notifications (MSG_NOTIFICATION)
 * into the tagged union sctpng_event.
 *
 * The buffer comes from the user (sctpng_recv() hands us the user's own
 * buffer), so it may be unaligned and may hold anything: every fixed part is
 * memcpy'd into a local struct after its length has been checked, and every
 * variable tail is bounded by the notification's own length (sn_length),
 * which is itself bounded by the bytes we were given.
 *
 * Byte order (checked against net/sctp/ulpevent.c and its callers):
 *  - Most fields are host order, as RFC 6458 says.
 *  - sre_error (REMOTE_ERROR) is declared __be16: the kernel copies the
 *    cause code straight from the ERROR chunk.
 *  - sac_error (ASSOC_CHANGE) and ssf_error (both SEND_FAILED forms) are
 *    declared host order, but the kernel fills them with the same __be16
 *    cause codes (SCTP_ERROR_* are cpu_to_be16 constants, passed through
 *    SCTP_PERR() and the assoc-failed / outqueue error paths), so they hold
 *    the wire bytes too. We convert all three to host order.
 *  - PPIDs are opaque to the kernel: it hands back what the sender gave it,
 *    and our send path gives it network order (kio.c), so we convert back.
 *  - Stream ids in STREAM_RESET are stored host order (the kernel ntohs'es
 *    them before queueing the event).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <linux/sctp.h>

#include "sctpng.h"

/* Older <linux/sctp.h> (before 5.5) has no potentially-failed state; the
 * kernels that send it use 6. */
#ifndef SCTP_ADDR_PF
#define SCTP_ADDR_PF 6
#endif

/* The U bit of a DATA / I-DATA chunk header (RFC 9260 3.3.1, RFC 8260 2.1).
 * The kernel reports the failed chunk's header flags in the send-failed
 * info's flags field, not the flags the user sent with. */
#define DATA_CHUNK_FLAG_UNORDERED 0x04

/* The common header every notification starts with (sn_header in
 * union sctp_notification, which has no type name of its own). */
struct notif_hdr {
    uint16_t type;
    uint16_t flags;
    uint32_t length;
};
_Static_assert(sizeof(struct notif_hdr) == sizeof(((union sctp_notification *)0)->sn_header),
               "notification header layout");

/* One notification being decoded: its bytes, sn_length of them (already
 * checked against the caller's len and the type's fixed size). */
struct notif {
    const uint8_t *p;
    size_t len;
};

/* Bytes after the fixed part `fixed`, up to the notification's end.
 * NULL when there are none, so callers never see a past-the-end pointer. */
static const uint8_t *tail(const struct notif *n, size_t fixed, size_t *tail_len)
{
    *tail_len = n->len - fixed;
    return *tail_len ? n->p + fixed : NULL;
}

/* Kernel sac_state -> enum sctpng_assoc_state_change; -1 for a state this
 * library does not know (a newer kernel), which is not an error. */
static int map_assoc_state(uint16_t s)
{
    switch (s) {
    case SCTP_COMM_UP:
        return SCTPNG_COMM_UP;
    case SCTP_COMM_LOST:
        return SCTPNG_COMM_LOST;
    case SCTP_RESTART:
        return SCTPNG_RESTART;
    case SCTP_SHUTDOWN_COMP:
        return SCTPNG_SHUTDOWN_COMP;
    case SCTP_CANT_STR_ASSOC:
        return SCTPNG_CANT_STR_ASSOC;
    default:
        return -1;
    }
}

/* Kernel spc_state -> enum sctpng_paddr_state; -1 when unknown. */
static int map_paddr_state(int s)
{
    switch (s) {
    case SCTP_ADDR_AVAILABLE:
        return SCTPNG_ADDR_AVAILABLE;
    case SCTP_ADDR_UNREACHABLE:
        return SCTPNG_ADDR_UNREACHABLE;
    case SCTP_ADDR_REMOVED:
        return SCTPNG_ADDR_REMOVED;
    case SCTP_ADDR_ADDED:
        return SCTPNG_ADDR_ADDED;
    case SCTP_ADDR_MADE_PRIM:
        return SCTPNG_ADDR_MADE_PRIM;
    case SCTP_ADDR_CONFIRMED:
        return SCTPNG_ADDR_CONFIRMED;
    case SCTP_ADDR_PF:
        return SCTPNG_ADDR_POTENTIALLY_FAILED;
    default:
        return -1;
    }
}

/* A cause code the kernel stored as wire bytes in a host-order u32 (see the
 * top of the file). Only the low 16 bits can hold one; anything larger is
 * not a cause code and is passed on untouched. */
static uint32_t cause_from_u32(uint32_t raw)
{
    return raw <= 0xffff ? ntohs((uint16_t)raw) : raw;
}

static int decode_assoc_change(const struct notif *n, sctpng_event *ev)
{
    struct sctp_assoc_change sac;

    memcpy(&sac, n->p, sizeof(sac));
    ev->kind = SCTPNG_EV_ASSOC_CHANGE;
    ev->assoc = sac.sac_assoc_id;
    ev->u.assoc_change.state = map_assoc_state(sac.sac_state);
    ev->u.assoc_change.error = ntohs(sac.sac_error);
    ev->u.assoc_change.ostreams = sac.sac_outbound_streams;
    ev->u.assoc_change.istreams = sac.sac_inbound_streams;
    /* Only COMM_LOST after a received ABORT has a tail on Linux: the ABORT
     * chunk without its header (its error causes). RFC 6458 also allows a
     * feature list with COMM_UP. Either way: opaque bytes. */
    ev->u.assoc_change.info = tail(n, sizeof(sac), &ev->u.assoc_change.info_len);
    return 0;
}

/* spc_aaddr is a sockaddr_storage: take the family's own sockaddr, and
 * leave a family we cannot represent as a zeroed AF_UNSPEC address. The
 * fixed part (checked by the caller) holds the whole storage, so reading
 * a sockaddr_in6 out of it is in bounds. */
static void decode_paddr_addr(const uint8_t *ss, sctpng_addr *out)
{
    sa_family_t family;

    memset(out, 0, sizeof(*out));
    memcpy(&family, ss + offsetof(struct sockaddr_storage, ss_family), sizeof(family));
    switch (family) {
    case AF_INET:
        memcpy(&out->v4, ss, sizeof(out->v4));
        break;
    case AF_INET6:
        memcpy(&out->v6, ss, sizeof(out->v6));
        break;
    default:
        out->sa.sa_family = AF_UNSPEC;
        break;
    }
}

static int decode_paddr_change(const struct notif *n, sctpng_event *ev)
{
    struct sctp_paddr_change spc;

    /* The struct is packed: read its scalar members from the copy, but take
     * the address from the buffer by offset (no pointers to packed members). */
    memcpy(&spc, n->p, sizeof(spc));
    ev->kind = SCTPNG_EV_PEER_ADDR_CHANGE;
    ev->assoc = spc.spc_assoc_id;
    decode_paddr_addr(n->p + offsetof(struct sctp_paddr_change, spc_aaddr), &ev->u.peer_addr.addr);
    ev->u.peer_addr.state = map_paddr_state(spc.spc_state);
    ev->u.peer_addr.error = spc.spc_error;
    return 0;
}

static int decode_remote_error(const struct notif *n, sctpng_event *ev)
{
    struct sctp_remote_error sre;

    memcpy(&sre, n->p, sizeof(sre));
    ev->kind = SCTPNG_EV_REMOTE_ERROR;
    ev->assoc = sre.sre_assoc_id;
    ev->u.remote_error.error = ntohs(sre.sre_error); /* __be16 in the header */
    /* The kernel strips the first cause's code and length: what follows is
     * that cause's body, padded to 4 bytes (older kernels left the rest of
     * the ERROR chunk after it). */
    ev->u.remote_error.data = tail(n, sizeof(sre), &ev->u.remote_error.len);
    return 0;
}

/* The parts both SEND_FAILED forms share. `chunk_flags` is what the kernel
 * put in the info's flags field: the failed DATA chunk's header flags. */
static void fill_send_failed(sctpng_event *ev, uint32_t error, uint16_t stream,
                             uint16_t chunk_flags, uint32_t ppid, uint32_t context)
{
    ev->kind = SCTPNG_EV_SEND_FAILED;
    ev->u.send_failed.error = cause_from_u32(error);
    ev->u.send_failed.stream = stream;
    ev->u.send_failed.send_flags = (chunk_flags & DATA_CHUNK_FLAG_UNORDERED) ? SCTPNG_UNORDERED : 0;
    ev->u.send_failed.ppid = ntohl(ppid);
    ev->u.send_failed.context = context;
    switch (ev->flags) {
    case SCTP_DATA_SENT:
        ev->u.send_failed.sent = true;
        break;
    case SCTP_DATA_UNSENT:
    default:
        ev->u.send_failed.sent = false;
        break;
    }
}

/* SCTP_SEND_FAILED_EVENT (RFC 6458 6.1.11): info is a struct sctp_sndinfo. */
static int decode_send_failed_event(const struct notif *n, sctpng_event *ev)
{
    struct sctp_send_failed_event ssf;

    memcpy(&ssf, n->p, sizeof(ssf));
    fill_send_failed(ev, ssf.ssf_error, ssf.ssfe_info.snd_sid, ssf.ssfe_info.snd_flags,
                     ssf.ssfe_info.snd_ppid, ssf.ssfe_info.snd_context);
    ev->assoc = ssf.ssf_assoc_id;
    ev->u.send_failed.data = tail(n, sizeof(ssf), &ev->u.send_failed.len);
    return 0;
}

/* SCTP_SEND_FAILED (the deprecated form): info is a struct sctp_sndrcvinfo.
 * A kernel sends this one when subscribed the old way, or both. */
static int decode_send_failed_old(const struct notif *n, sctpng_event *ev)
{
    struct sctp_send_failed ssf;

    memcpy(&ssf, n->p, sizeof(ssf));
    fill_send_failed(ev, ssf.ssf_error, ssf.ssf_info.sinfo_stream, ssf.ssf_info.sinfo_flags,
                     ssf.ssf_info.sinfo_ppid, ssf.ssf_info.sinfo_context);
    ev->assoc = ssf.ssf_assoc_id;
    ev->u.send_failed.data = tail(n, sizeof(ssf), &ev->u.send_failed.len);
    return 0;
}

static int decode_shutdown(const struct notif *n, sctpng_event *ev)
{
    struct sctp_shutdown_event sse;

    memcpy(&sse, n->p, sizeof(sse));
    ev->kind = SCTPNG_EV_SHUTDOWN;
    ev->assoc = sse.sse_assoc_id;
    return 0;
}

/* Kernels before 4.16 (stream interleaving) end the struct at the
 * association id; pdapi_stream and pdapi_seq are read only when present. */
#define PDAPI_OLD_SIZE offsetof(struct sctp_pdapi_event, pdapi_stream)

static int decode_pdapi(const struct notif *n, sctpng_event *ev)
{
    struct sctp_pdapi_event pd;

    memset(&pd, 0, sizeof(pd));
    memcpy(&pd, n->p, n->len < sizeof(pd) ? n->len : sizeof(pd));
    ev->kind = SCTPNG_EV_PARTIAL_DELIVERY;
    ev->assoc = pd.pdapi_assoc_id;
    ev->u.partial_delivery.indication = pd.pdapi_indication;
    ev->u.partial_delivery.stream = pd.pdapi_stream;
    ev->u.partial_delivery.seq = pd.pdapi_seq;
    return 0;
}

static int decode_adaptation(const struct notif *n, sctpng_event *ev)
{
    struct sctp_adaptation_event sai;

    memcpy(&sai, n->p, sizeof(sai));
    ev->kind = SCTPNG_EV_ADAPTATION;
    ev->assoc = sai.sai_assoc_id;
    ev->u.adaptation.indication = sai.sai_adaptation_ind; /* kernel ntohl'ed it */
    return 0;
}

static int decode_authkey(const struct notif *n, sctpng_event *ev)
{
    struct sctp_authkey_event ak;

    memcpy(&ak, n->p, sizeof(ak));
    ev->kind = SCTPNG_EV_AUTH;
    ev->assoc = ak.auth_assoc_id;
    ev->u.auth.keynumber = ak.auth_keynumber;
    ev->u.auth.indication = ak.auth_indication;
    return 0;
}

static int decode_sender_dry(const struct notif *n, sctpng_event *ev)
{
    struct sctp_sender_dry_event sd;

    memcpy(&sd, n->p, sizeof(sd));
    ev->kind = SCTPNG_EV_SENDER_DRY;
    ev->assoc = sd.sender_dry_assoc_id;
    return 0;
}

static int decode_stream_reset(const struct notif *n, sctpng_event *ev)
{
    struct sctp_stream_reset_event sr;
    size_t bytes;

    memcpy(&sr, n->p, sizeof(sr));
    ev->kind = SCTPNG_EV_STREAM_RESET;
    ev->assoc = sr.strreset_assoc_id;
    ev->u.stream_reset.streams = tail(n, sizeof(sr), &bytes);
    /* An odd trailing byte is not a stream id: ignore it. */
    ev->u.stream_reset.nstreams = bytes / sizeof(uint16_t);
    if (ev->u.stream_reset.nstreams == 0)
        ev->u.stream_reset.streams = NULL;
    return 0;
}

static int decode_assoc_reset(const struct notif *n, sctpng_event *ev)
{
    struct sctp_assoc_reset_event ar;

    memcpy(&ar, n->p, sizeof(ar));
    ev->kind = SCTPNG_EV_ASSOC_RESET;
    ev->assoc = ar.assocreset_assoc_id;
    /* Linux fills these the other way round from RFC 6458 6.1.9: its
     * "local" TSN is the next one this end will receive (seen on Linux
     * 6.1, at both the requesting and the answering end). */
    ev->u.assoc_reset.local_tsn = ar.assocreset_remote_tsn;
    ev->u.assoc_reset.remote_tsn = ar.assocreset_local_tsn;
    return 0;
}

static int decode_stream_change(const struct notif *n, sctpng_event *ev)
{
    struct sctp_stream_change_event sc;

    memcpy(&sc, n->p, sizeof(sc));
    ev->kind = SCTPNG_EV_STREAM_CHANGE;
    ev->assoc = sc.strchange_assoc_id;
    ev->u.stream_change.istreams = sc.strchange_instrms;
    ev->u.stream_change.ostreams = sc.strchange_outstrms;
    return 0;
}

/* A type we do not know (or SCTP_DATA_IO_EVENT, which is no notification):
 * hand the bytes over as they are. */
static int decode_raw(const struct notif *n, sctpng_event *ev)
{
    ev->kind = SCTPNG_EV_RAW;
    ev->u.raw.data = n->p;
    ev->u.raw.len = n->len;
    return 0;
}

typedef int (*decode_fn)(const struct notif *n, sctpng_event *ev);

/* The decoder for a kernel notification type and the least sn_length it
 * may have (the fixed part; the header alone for RAW). */
static decode_fn decoder_for(uint16_t type, size_t *min_len)
{
    switch (type) {
    case SCTP_ASSOC_CHANGE:
        *min_len = sizeof(struct sctp_assoc_change);
        return decode_assoc_change;
    case SCTP_PEER_ADDR_CHANGE:
        *min_len = sizeof(struct sctp_paddr_change);
        return decode_paddr_change;
    case SCTP_REMOTE_ERROR:
        *min_len = sizeof(struct sctp_remote_error);
        return decode_remote_error;
    case SCTP_SEND_FAILED:
        *min_len = sizeof(struct sctp_send_failed);
        return decode_send_failed_old;
    case SCTP_SEND_FAILED_EVENT:
        *min_len = sizeof(struct sctp_send_failed_event);
        return decode_send_failed_event;
    case SCTP_SHUTDOWN_EVENT:
        *min_len = sizeof(struct sctp_shutdown_event);
        return decode_shutdown;
    case SCTP_PARTIAL_DELIVERY_EVENT:
        *min_len = PDAPI_OLD_SIZE;
        return decode_pdapi;
    case SCTP_ADAPTATION_INDICATION:
        *min_len = sizeof(struct sctp_adaptation_event);
        return decode_adaptation;
    case SCTP_AUTHENTICATION_EVENT:
        *min_len = sizeof(struct sctp_authkey_event);
        return decode_authkey;
    case SCTP_SENDER_DRY_EVENT:
        *min_len = sizeof(struct sctp_sender_dry_event);
        return decode_sender_dry;
    case SCTP_STREAM_RESET_EVENT:
        *min_len = sizeof(struct sctp_stream_reset_event);
        return decode_stream_reset;
    case SCTP_ASSOC_RESET_EVENT:
        *min_len = sizeof(struct sctp_assoc_reset_event);
        return decode_assoc_reset;
    case SCTP_STREAM_CHANGE_EVENT:
        *min_len = sizeof(struct sctp_stream_change_event);
        return decode_stream_change;
    default:
        *min_len = sizeof(struct notif_hdr);
        return decode_raw;
    }
}

SCTPNG_API int sctpng_event_decode(const void *buf, size_t len, sctpng_event *ev)
{
    struct notif_hdr h;
    sctpng_event e;
    size_t min_len;

    if (!buf || !ev)
        return -EINVAL;
    memset(ev, 0, sizeof(*ev));
    if (len < sizeof(h))
        return -EBADMSG;
    memcpy(&h, buf, sizeof(h));
    /* sn_length bounds everything after this point; bytes past it (a caller
     * handing us its whole receive buffer) are not part of the event. */
    if (h.length > len)
        return -EBADMSG;
    decode_fn decode = decoder_for(h.type, &min_len);
    if (h.length < min_len)
        return -EBADMSG;

    /* Decode into a local so a failure leaves *ev all zero (kind NONE). */
    memset(&e, 0, sizeof(e));
    e.type = h.type;
    e.flags = h.flags;
    struct notif n = {.p = buf, .len = h.length};
    int err = decode(&n, &e);
    if (err)
        return err;
    *ev = e;
    return 0;
}

SCTPNG_API uint16_t sctpng_event_stream(const sctpng_event *ev, size_t i)
{
    uint16_t id;

    if (!ev || ev->kind != SCTPNG_EV_STREAM_RESET || i >= ev->u.stream_reset.nstreams ||
        !ev->u.stream_reset.streams)
        return 0;
    /* The list sits in the caller's buffer, maybe unaligned. */
    memcpy(&id, ev->u.stream_reset.streams + i * sizeof(id), sizeof(id));
    return id;
}

SCTPNG_API const char *sctpng_event_name(int kind)
{
    switch (kind) {
    case SCTPNG_EV_NONE:
        return "NONE";
    case SCTPNG_EV_ASSOC_CHANGE:
        return "ASSOC_CHANGE";
    case SCTPNG_EV_PEER_ADDR_CHANGE:
        return "PEER_ADDR_CHANGE";
    case SCTPNG_EV_REMOTE_ERROR:
        return "REMOTE_ERROR";
    case SCTPNG_EV_SEND_FAILED:
        return "SEND_FAILED";
    case SCTPNG_EV_SHUTDOWN:
        return "SHUTDOWN";
    case SCTPNG_EV_PARTIAL_DELIVERY:
        return "PARTIAL_DELIVERY";
    case SCTPNG_EV_ADAPTATION:
        return "ADAPTATION";
    case SCTPNG_EV_AUTH:
        return "AUTH";
    case SCTPNG_EV_SENDER_DRY:
        return "SENDER_DRY";
    case SCTPNG_EV_STREAM_RESET:
        return "STREAM_RESET";
    case SCTPNG_EV_ASSOC_RESET:
        return "ASSOC_RESET";
    case SCTPNG_EV_STREAM_CHANGE:
        return "STREAM_CHANGE";
    case SCTPNG_EV_RAW:
        return "RAW";
    default:
        return "UNKNOWN";
    }
}
