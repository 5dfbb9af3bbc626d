/* TLV parameters of INIT / INIT-ACK / HEARTBEAT and error causes (same
 * format), with the unrecognized-parameter action bits (RFC 9260 3.2.1). */
#ifndef SCTPNG_ENGINE_PARAM_H
#define SCTPNG_ENGINE_PARAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <sctpng/engine.h>

enum param_type {
    PT_HEARTBEAT_INFO = 1,
    PT_IPV4 = 5,
    PT_IPV6 = 6,
    PT_STATE_COOKIE = 7,
    PT_UNRECOGNIZED = 8,
    PT_COOKIE_PRESERVATIVE = 9,
    PT_HOSTNAME = 11,
    PT_SUPPORTED_ADDR_TYPES = 12,
    PT_ECN = 0x8000,
    PT_ZERO_CHECKSUM = 0x8001, /* Zero Checksum Acceptable, RFC 9653 */
    PT_SUPPORTED_EXT = 0x8008,
    PT_FWD_TSN_SUPPORTED = 0xC000,
    PT_ADAPTATION = 0xC006, /* Adaptation Layer Indication, RFC 5061 4.2.6 */
};

struct param {
    uint16_t type, len;
    const uint8_t *tlv; /* whole parameter, header included */
    const uint8_t *val;
    uint16_t vlen;
};

struct param_iter {
    const uint8_t *p;
    size_t left;
};
void param_iter_init(struct param_iter *it, const uint8_t *buf, size_t len);
/* 1: next parameter in *p; 0: end; -1: malformed (length < 4 or beyond). */
int param_next(struct param_iter *it, struct param *p);

#define INIT_MAX_UNREC 4

/* What an INIT or INIT-ACK says beyond its fixed fields. */
struct init_params {
    struct sockaddr_storage addrs[SCTPNG_ENG_MAX_PATHS];
    unsigned n_addrs;
    uint32_t cookie_preservative_ms;
    uint32_t ext;        /* extensions announced (ext.h) */
    uint32_t zero_edmid; /* Zero Checksum Acceptable's method (RFC 9653), 0: none */
    uint32_t adaptation; /* Adaptation Layer Indication (RFC 5061), 0: none (as Linux) */
    bool hostname;       /* Host Name Address: unresolvable, ABORT */
    /* RFC 4895 RANDOM, CHUNKS, HMAC-ALGO: whole parameters, or NULL */
    const uint8_t *auth_random, *auth_chunks, *auth_hmacs;
    const uint8_t *cookie; /* INIT-ACK: State Cookie */
    uint16_t cookie_len;
    /* parameters to report in Unrecognized Parameter (action bit 0x4000) */
    const uint8_t *unrec[INIT_MAX_UNREC];
    uint16_t unrec_len[INIT_MAX_UNREC];
    unsigned n_unrec;
    unsigned n_unknown; /* all unrecognized ones, reported or not */
};

/* Parses INIT / INIT-ACK parameters. Returns 0, or -1 if a parameter length
 * is malformed. Address parameters beyond MAX_PATHS are ignored; unknown
 * parameters follow their action bits (stop / skip, report or not). */
int init_params_parse(const uint8_t *buf, size_t len, struct init_params *ip);

/* The first cause (TLV) of an ABORT or ERROR value: its code, and its
 * info in *info / *ilen when those are not NULL; 0 if there is none. */
uint16_t param_first_cause(const uint8_t *val, size_t len, const uint8_t **info, uint16_t *ilen);

/* Writes one parameter (padded) at p if it fits in room; returns the bytes
 * written or -1. */
int param_put(uint8_t *p, size_t room, uint16_t type, const void *val, size_t vlen);
/* Writes an IPv4 / IPv6 address parameter for sa; -1 if unsupported family or
 * no room. */
int param_put_addr(uint8_t *p, size_t room, const struct sockaddr_storage *sa);

/* Address helpers: family + IP equality (ports ignored), and validity. */
bool addr_same_ip(const struct sockaddr_storage *a, const struct sockaddr_storage *b);
bool addr_valid(const struct sockaddr_storage *a);

#endif
