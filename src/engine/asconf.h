/* RFC 5061 ASCONF codec: the ASCONF (0xC1) and ASCONF-ACK (0x80) chunks
 * with their Add IP / Delete IP / Set Primary requests and the Success /
 * Error Cause Indication responses. Validated decoding into bounded
 * structures; encoders into caller buffers. */
#ifndef SCTPNG_ENGINE_ASCONF_H
#define SCTPNG_ENGINE_ASCONF_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "engine/chunk.h"

#define CT_ASCONF     0xC1
#define CT_ASCONF_ACK 0x80
enum asconf_param {
    PT_ADD_IP = 0xC001,
    PT_DEL_IP = 0xC002,
    PT_ERROR_IND = 0xC003,
    PT_SET_PRIMARY = 0xC004,
    PT_SUCCESS_IND = 0xC005,
};
enum asconf_cause {
    CAUSE_DEL_LAST_IP = 0x00A0,
    CAUSE_ASCONF_RESOURCE = 0x00A1,
    CAUSE_DEL_SOURCE_IP = 0x00A2,
};
#define ASCONF_MAX_REQ 4 /* requests kept of one ASCONF */

struct asconf_req {
    uint16_t type; /* PT_ADD_IP, PT_DEL_IP, PT_SET_PRIMARY */
    uint32_t corr; /* ASCONF-Request Correlation ID */
    struct sockaddr_storage addr;
};
struct asconf {
    uint32_t serial;
    struct sockaddr_storage lookup; /* the sender's Address Parameter */
    struct asconf_req req[ASCONF_MAX_REQ];
    unsigned n;
};
struct asconf_resp {
    uint16_t type; /* PT_SUCCESS_IND or PT_ERROR_IND */
    uint32_t corr;
    uint16_t cause; /* PT_ERROR_IND: its first error cause */
};
struct asconf_ack {
    uint32_t serial;
    struct asconf_resp resp[ASCONF_MAX_REQ];
    unsigned n;
};

/* 0, or -1 if malformed: a length out of bounds, an address parameter
 * that is not IPv4 / IPv6, an unknown request type, more than
 * ASCONF_MAX_REQ entries. */
int asconf_decode(const struct chunk *c, struct asconf *a);
int asconf_ack_decode(const struct chunk *c, struct asconf_ack *a);
/* The chunk values (after the chunk header) into out; their length, or -1
 * if cap is too small or an address is not IPv4 / IPv6. */
int asconf_encode(const struct asconf *a, uint8_t *out, size_t cap);
int asconf_ack_encode(const struct asconf_ack *a, uint8_t *out, size_t cap);

#endif
