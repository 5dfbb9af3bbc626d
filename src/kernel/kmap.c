/* kmap.c - explicit mappings between kernel constants and the API's.
 * The API never assumes the kernel's numbering. */
#include "kernel/kernel.h"
#include "kernel/ksctp.h"

int kmap_assoc_state(int k)
{
    switch (k) {
    case SCTP_COOKIE_WAIT:
        return SCTPNG_STATE_COOKIE_WAIT;
    case SCTP_COOKIE_ECHOED:
        return SCTPNG_STATE_COOKIE_ECHOED;
    case SCTP_ESTABLISHED:
        return SCTPNG_STATE_ESTABLISHED;
    case SCTP_SHUTDOWN_PENDING:
        return SCTPNG_STATE_SHUTDOWN_PENDING;
    case SCTP_SHUTDOWN_SENT:
        return SCTPNG_STATE_SHUTDOWN_SENT;
    case SCTP_SHUTDOWN_RECEIVED:
        return SCTPNG_STATE_SHUTDOWN_RECEIVED;
    case SCTP_SHUTDOWN_ACK_SENT:
        return SCTPNG_STATE_SHUTDOWN_ACK_SENT;
    default:
        return SCTPNG_STATE_CLOSED;
    }
}

int kmap_path_state(int k)
{
    switch (k) {
    case SCTP_INACTIVE:
        return SCTPNG_PATH_INACTIVE;
    case SCTP_PF:
        return SCTPNG_PATH_PF;
    case SCTP_ACTIVE:
        return SCTPNG_PATH_ACTIVE;
    case SCTP_UNCONFIRMED:
        return SCTPNG_PATH_UNCONFIRMED;
    default:
        return SCTPNG_PATH_UNKNOWN;
    }
}

uint16_t kmap_pr_policy(uint16_t p)
{
    switch (p) {
    case SCTPNG_PR_TTL:
        return SCTP_PR_SCTP_TTL;
    case SCTPNG_PR_RTX:
        return SCTP_PR_SCTP_RTX;
    case SCTPNG_PR_PRIO:
        return SCTP_PR_SCTP_PRIO;
    default:
        return SCTP_PR_SCTP_NONE;
    }
}

uint16_t kmap_send_flags(uint32_t f)
{
    uint16_t k = 0;
    if (f & SCTPNG_UNORDERED)
        k |= SCTP_UNORDERED;
    if (f & SCTPNG_EOF)
        k |= SCTP_EOF;
    if (f & SCTPNG_ABORT)
        k |= SCTP_ABORT;
    if (f & SCTPNG_SENDALL)
        k |= SCTP_SENDALL;
    if (f & SCTPNG_ADDR_OVER)
        k |= SCTP_ADDR_OVER;
    if (f & SCTPNG_SACK_IMMEDIATELY)
        k |= SCTP_SACK_IMMEDIATELY;
    return k;
}

uint16_t kmap_pr_policy_back(uint16_t k)
{
    switch (k & SCTP_PR_SCTP_MASK) {
    case SCTP_PR_SCTP_TTL:
        return SCTPNG_PR_TTL;
    case SCTP_PR_SCTP_RTX:
        return SCTPNG_PR_RTX;
    case SCTP_PR_SCTP_PRIO:
        return SCTPNG_PR_PRIO;
    default:
        return SCTPNG_PR_NONE;
    }
}

uint32_t kmap_send_flags_back(uint16_t k)
{
    uint32_t f = 0;
    if (k & SCTP_UNORDERED)
        f |= SCTPNG_UNORDERED;
    if (k & SCTP_EOF)
        f |= SCTPNG_EOF;
    if (k & SCTP_ABORT)
        f |= SCTPNG_ABORT;
    if (k & SCTP_SENDALL)
        f |= SCTPNG_SENDALL;
    if (k & SCTP_ADDR_OVER)
        f |= SCTPNG_ADDR_OVER;
    if (k & SCTP_SACK_IMMEDIATELY)
        f |= SCTPNG_SACK_IMMEDIATELY;
    return f;
}
