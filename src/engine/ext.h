/* Protocol extensions as one bitset: what a peer announced in INIT or
 * INIT-ACK (Supported Extensions, RFC 5061 4.2.7, and RFC 3758's
 * FORWARD-TSN-Supported), what we offer, and what an association uses
 * (both). The association's set travels in the state cookie. */
#ifndef SCTPNG_ENGINE_EXT_H
#define SCTPNG_ENGINE_EXT_H

#include <stdint.h>

enum ext_bit {
    EXT_PR_SCTP = 1u << 0,   /* FORWARD-TSN, RFC 3758 */
    EXT_IDATA = 1u << 1,     /* I-DATA / I-FORWARD-TSN, RFC 8260 */
    EXT_RECONF = 1u << 2,    /* RE-CONFIG, RFC 6525 */
    EXT_ASCONF = 1u << 3,    /* ASCONF / ASCONF-ACK, RFC 5061 */
    EXT_AUTH = 1u << 4,      /* AUTH, RFC 4895 */
    EXT_ZERO_CSUM = 1u << 5, /* both announced Zero Checksum Acceptable with the same
                                error detection method (RFC 9653) */
};

/* The extension a chunk type in Supported Extensions stands for; 0 if
 * none we know. */
static inline uint32_t ext_of_chunk_type(uint8_t type)
{
    switch (type) {
    case 192: /* FORWARD-TSN */
        return EXT_PR_SCTP;
    case 64:  /* I-DATA */
    case 194: /* I-FORWARD-TSN */
        return EXT_IDATA;
    case 130: /* RE-CONFIG */
        return EXT_RECONF;
    case 193: /* ASCONF */
    case 128: /* ASCONF-ACK */
        return EXT_ASCONF;
    case 15: /* AUTH */
        return EXT_AUTH;
    default:
        return 0;
    }
}

#endif
