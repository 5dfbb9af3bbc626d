/* RFC 6525 RE-CONFIG chunk (type 130) codec: its parameters (Outgoing,
 * Incoming and SSN/TSN Reset Requests, the Re-configuration Response, Add
 * Outgoing / Incoming Streams), decoded with every length checked, and
 * the encoders. A chunk carries one or two parameters (RFC 6525 3.1);
 * decoding refuses anything else. Stream lists stay big-endian in the
 * packet (reconf_sid() reads one). */
#ifndef SCTPNG_ENGINE_RECONF_WIRE_H
#define SCTPNG_ENGINE_RECONF_WIRE_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/chunk.h"

enum reconf_ptype {
    RP_OUT_RESET = 13, /* Outgoing SSN Reset Request */
    RP_IN_RESET = 14,  /* Incoming SSN Reset Request */
    RP_TSN_RESET = 15, /* SSN/TSN Reset Request */
    RP_RESPONSE = 16,  /* Re-configuration Response */
    RP_ADD_OUT = 17,   /* Add Outgoing Streams Request */
    RP_ADD_IN = 18,    /* Add Incoming Streams Request */
};

/* Re-configuration Response results (RFC 6525 4.4, RFC 6525 errata's 6). */
enum reconf_result {
    RR_NOTHING = 0,     /* Success - Nothing to do */
    RR_PERFORMED = 1,   /* Success - Performed */
    RR_DENIED = 2,      /* Denied */
    RR_WRONG_SSN = 3,   /* Error - Wrong SSN */
    RR_BUSY = 4,        /* Error - Request already in progress */
    RR_BAD_SEQ = 5,     /* Error - Bad Sequence Number */
    RR_IN_PROGRESS = 6, /* In progress */
};

/* One parameter; which fields mean something depends on `type`. */
struct reconf_param {
    uint16_t type;
    uint32_t seq;      /* request sequence number; RESPONSE: the one answered */
    uint32_t resp_seq; /* OUT_RESET: the request it answers, or the last one seen */
    uint32_t last_tsn; /* OUT_RESET: sender's last assigned TSN */
    uint32_t result;   /* RESPONSE */
    bool has_tsns;     /* RESPONSE: the two TSNs follow (SSN/TSN reset) */
    uint32_t snd_next, rcv_next;
    uint16_t nsids;      /* OUT_RESET, IN_RESET: streams listed (0: all) */
    const uint8_t *sids; /* nsids big-endian u16 */
    uint16_t nstreams;   /* ADD_OUT, ADD_IN: streams to add */
};

struct reconf_chunk {
    unsigned n; /* 1 or 2 */
    struct reconf_param p[2];
};

/* 0, or -1 if malformed: a parameter too short or too long for its type,
 * an odd stream list, an unknown type, none or more than two parameters,
 * or trailing bytes. */
int reconf_decode(const struct chunk *c, struct reconf_chunk *out);

static inline uint16_t reconf_sid(const struct reconf_param *p, unsigned i)
{
    return (uint16_t)(p->sids[2 * i] << 8 | p->sids[2 * i + 1]);
}

/* Parameter encoders into buf (room bytes); each returns the bytes written
 * (padded to 4), or 0 if it does not fit. sids: n host-order stream ids. */
size_t reconf_put_out_reset(uint8_t *buf, size_t room, uint32_t seq, uint32_t resp_seq,
                            uint32_t last_tsn, const uint16_t *sids, uint16_t n);
size_t reconf_put_in_reset(uint8_t *buf, size_t room, uint32_t seq, const uint16_t *sids,
                           uint16_t n);
size_t reconf_put_tsn_reset(uint8_t *buf, size_t room, uint32_t seq);
size_t reconf_put_response(uint8_t *buf, size_t room, uint32_t seq, uint32_t result, bool has_tsns,
                           uint32_t snd_next, uint32_t rcv_next);
size_t reconf_put_add(uint8_t *buf, size_t room, uint16_t type, uint32_t seq, uint16_t n);

#endif
