/* State cookie (RFC 9260 5.1.3): everything needed to build the association
 * from a COOKIE-ECHO, signed with HMAC-SHA256 so that no state is kept
 * between INIT and COOKIE-ECHO. */
#ifndef SCTPNG_ENGINE_COOKIE_H
#define SCTPNG_ENGINE_COOKIE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <sctpng/engine.h>

#define COOKIE_MAC_LEN   32
#define COOKIE_FIXED_LEN 60
#define COOKIE_ADDR_LEN  19
/* AUTH (RFC 4895): both key vectors, when the association uses AUTH */
#define COOKIE_AUTH_MAX 240
#define COOKIE_MAX_LEN                                                                             \
    (COOKIE_FIXED_LEN + SCTPNG_ENG_MAX_PATHS * COOKIE_ADDR_LEN + 2 + COOKIE_AUTH_MAX +             \
     COOKIE_MAC_LEN)

struct cookie {
    uint64_t created_ns;
    uint32_t lifetime_ms;
    uint32_t local_vtag, peer_vtag;
    uint32_t local_tie, peer_tie; /* 0 unless the INIT hit an existing association */
    uint32_t local_itsn, peer_itsn;
    uint32_t peer_rwnd;
    uint16_t os, mis; /* negotiated outbound / inbound stream counts */
    uint16_t local_port, peer_port;
    uint32_t ext;             /* extensions the association uses (ext.h) */
    uint32_t peer_adaptation; /* the INIT's Adaptation Layer Indication (RFC 5061), 0: none */
    uint8_t n_addrs;          /* peer addresses; [0] is where the INIT came from */
    struct sockaddr_storage addrs[SCTPNG_ENG_MAX_PATHS];
    /* with EXT_AUTH in ext: [length of our key vector][ours][the peer's] */
    uint16_t auth_len;
    uint8_t auth[COOKIE_AUTH_MAX];
};

/* Serialises and signs; returns the length written (<= COOKIE_MAX_LEN) or -1
 * if cap is too small. */
int cookie_sign(const struct cookie *c, const uint8_t *key, size_t keylen, uint8_t *out,
                size_t cap);

/* Checks the MAC (constant time) and decodes. Returns 0, or -1 if the length,
 * version or MAC is wrong. Does not check the lifetime. */
int cookie_verify(const uint8_t *buf, size_t len, const uint8_t *key, size_t keylen,
                  struct cookie *c);

/* How long past its lifetime the cookie is at `now`, in microseconds (the
 * Stale Cookie cause's measure), or 0 if still valid. */
uint32_t cookie_staleness_us(const struct cookie *c, uint64_t now);

#endif
