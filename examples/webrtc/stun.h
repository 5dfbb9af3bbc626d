/*
 * STUN (RFC 8489) as an ICE-lite agent (RFC 8445) needs it: recognise a
 * Binding request, check its MESSAGE-INTEGRITY (HMAC-SHA1 keyed with our
 * ICE password) and FINGERPRINT, and build the Binding success response.
 * No allocation, no I/O.
 */
#ifndef WEBRTC_STUN_H
#define WEBRTC_STUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define STUN_HEADER           20
#define STUN_MAGIC            0x2112A442u
#define STUN_BINDING_REQ      0x0001
#define STUN_BINDING_OK       0x0101
#define STUN_ATTR_USERNAME    0x0006
#define STUN_ATTR_MI          0x0008
#define STUN_ATTR_XOR_ADDR    0x0020
#define STUN_ATTR_PRIORITY    0x0024
#define STUN_ATTR_USE_CAND    0x0025
#define STUN_ATTR_FPRINT      0x8028
#define STUN_ATTR_CONTROLLED  0x8029
#define STUN_ATTR_CONTROLLING 0x802A
#define STUN_FPRINT_XOR       0x5354554Eu

/* What stun_parse() found in a message. Pointers point into the buffer. */
struct stun_msg {
    uint16_t type;
    const uint8_t *txid; /* 12 bytes */
    const uint8_t *username;
    size_t username_len;
    size_t mi_offset;     /* offset of the MESSAGE-INTEGRITY attribute, 0 = none */
    size_t fprint_offset; /* offset of the FINGERPRINT attribute, 0 = none */
    bool use_candidate;
    bool controlling;
};

/* True when the first byte says STUN (RFC 7983: 0..3). */
bool stun_is_stun(const uint8_t *buf, size_t len);

/* Parses the header and attribute list. Returns 0 or -EBADMSG (short,
 * bad length, bad cookie, attribute past the end, FINGERPRINT not last,
 * attributes other than FINGERPRINT after MESSAGE-INTEGRITY). */
int stun_parse(const uint8_t *buf, size_t len, struct stun_msg *m);

/* Checks FINGERPRINT (CRC-32 of the message before it, XOR 0x5354554E).
 * Returns 0, -ENOENT (absent) or -EBADMSG (wrong). */
int stun_check_fingerprint(const uint8_t *buf, size_t len, const struct stun_msg *m);

/* Checks MESSAGE-INTEGRITY with `key` (short-term credential: the password).
 * Returns 0, -ENOENT (absent) or -EACCES (wrong). */
int stun_check_integrity(const uint8_t *buf, size_t len, const struct stun_msg *m, const char *key);

/* Checks USERNAME is "<local_ufrag>:<anything>". */
bool stun_username_ok(const struct stun_msg *m, const char *local_ufrag);

/* Writes a Binding success response to the request with transaction id
 * `txid`: XOR-MAPPED-ADDRESS of `from`, MESSAGE-INTEGRITY keyed with `key`,
 * FINGERPRINT. Returns its length, or -ENOBUFS / -EAFNOSUPPORT. */
int stun_binding_response(uint8_t *out, size_t cap, const uint8_t *txid,
                          const struct sockaddr_storage *from, const char *key);

/* Writes a Binding request (for tests and the fuzz seed): USERNAME,
 * PRIORITY, optional USE-CANDIDATE, MESSAGE-INTEGRITY, FINGERPRINT. */
int stun_binding_request(uint8_t *out, size_t cap, const uint8_t *txid, const char *username,
                         const char *key, bool use_candidate);

#endif
