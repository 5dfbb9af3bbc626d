/*
 * opt_info.c - sctp_opt_info: read any SCTP option for one association.
 *
 * RFC 6458 section 9.7: the id names the association whose option value is
 * wanted. The kernel takes it from the option structure, so the id is
 * stored there, into the structure's own association-id field. That field
 * opens nearly every SCTP option structure; the table below lists the
 * exceptions, where it lies elsewhere or where there is none.
 */
#include <string.h>

#include "compat/internal.h"
#include "kernel/ksctp.h"

#define NO_ASSOC_FIELD ((size_t)-1)

/* Where option `opt` keeps its association id. */
static size_t assoc_id_offset(int opt)
{
    switch (opt) {
    /* Structures whose association id is not their first field. */
    case SCTP_DEFAULT_SEND_PARAM:
        return offsetof(struct sctp_sndrcvinfo, sinfo_assoc_id);
    case SCTP_DEFAULT_SNDINFO:
        return offsetof(struct sctp_sndinfo, snd_assoc_id);
    /* Options of the socket, not of an association: plain values, or
     * structures that have no association id. */
    case SCTP_INITMSG:
    case SCTP_NODELAY:
    case SCTP_AUTOCLOSE:
    case SCTP_ADAPTATION_LAYER:
    case SCTP_DISABLE_FRAGMENTS:
    case SCTP_EVENTS:
    case SCTP_I_WANT_MAPPED_V4_ADDR:
    case SCTP_FRAGMENT_INTERLEAVE:
    case SCTP_PARTIAL_DELIVERY_POINT:
    case SCTP_HMAC_IDENT:
    case SCTP_GET_ASSOC_NUMBER:
    case SCTP_GET_ASSOC_ID_LIST:
    case SCTP_RECVRCVINFO:
    case SCTP_RECVNXTINFO:
#ifdef SCTP_AUTO_ASCONF
    case SCTP_AUTO_ASCONF:
#endif
#ifdef SCTP_SENDMSG_CONNECT
    case SCTP_SENDMSG_CONNECT:
#endif
#ifdef SCTP_REUSE_PORT
    case SCTP_REUSE_PORT:
#endif
        return NO_ASSOC_FIELD;
    default:
        return 0;
    }
}

int sctp_opt_info(int sd, sctp_assoc_t id, int opt, void *arg, socklen_t *size)
{
    if (!arg || !size)
        return compat_fail(-EINVAL);
    size_t off = assoc_id_offset(opt);
    if (off != NO_ASSOC_FIELD && (size_t)*size >= off + sizeof(id))
        memcpy((unsigned char *)arg + off, &id, sizeof(id));
    int err = ksctp_getopt(sd, opt, arg, size);
    return err ? compat_fail(err) : 0;
}
