/* RFC 4895 AUTH codec: the AUTH chunk, the RANDOM, CHUNKS and HMAC-ALGO
 * parameters, key vectors, association shared keys and the HMACs
 * (HMAC-SHA1, HMAC-SHA256 from OpenSSL). Pure functions on buffers. */
#ifndef SCTPNG_ENGINE_AUTHC_H
#define SCTPNG_ENGINE_AUTHC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/chunk.h"

#define CT_AUTH 0x0F
enum auth_param_type {
    PT_RANDOM = 0x8002,
    PT_CHUNKS = 0x8003,
    PT_HMAC_ALGO = 0x8004,
};
enum auth_hmac_id {
    AUTH_HMAC_SHA1 = 1,
    AUTH_HMAC_SHA256 = 3,
};
#define CAUSE_UNSUPPORTED_HMAC 261 /* RFC 4895 4.1 */

#define AUTH_RANDOM_LEN   32 /* what we send (RFC 4895 3.1: 32 bytes) */
#define AUTH_RANDOM_MAX   64 /* longest peer RANDOM we take */
#define AUTH_MAX_HMACS    4  /* HMAC identifiers kept of a list */
#define AUTH_MAX_CHUNKS   32 /* chunk types kept of a CHUNKS list */
#define AUTH_HDR_LEN      8  /* chunk header, Shared Key Identifier, HMAC Identifier */
#define AUTH_HMAC_MAX_LEN 32
/* A key vector: RANDOM, CHUNKS and HMAC-ALGO, whole parameters. */
#define AUTH_VEC_MAX (4 + AUTH_RANDOM_MAX + 4 + AUTH_MAX_CHUNKS + 4 + 2 * AUTH_MAX_HMACS)

/* A set of chunk types (bit t: type t). */
struct auth_types {
    uint8_t bits[32];
};
static inline bool auth_types_has(const struct auth_types *t, uint8_t type)
{
    return (t->bits[type >> 3] >> (type & 7)) & 1;
}
static inline void auth_types_add(struct auth_types *t, uint8_t type)
{
    t->bits[type >> 3] |= (uint8_t)(1u << (type & 7));
}
/* INIT, INIT-ACK, SHUTDOWN-COMPLETE and AUTH are never authenticated
 * (RFC 4895 3.2). */
bool auth_type_allowed(uint8_t type);

/* Digest length of an HMAC identifier we implement; 0 for any other. */
size_t auth_hmac_len(uint16_t id);

/* Validated decoding of the three parameters' values (after the TLV
 * header). RANDOM: 0, or -1 if shorter than 16 or longer than
 * AUTH_RANDOM_MAX bytes. CHUNKS: the types into *t (those RFC 4895 3.2
 * says to ignore left out); -1 if more than AUTH_MAX_CHUNKS. HMAC-ALGO: up
 * to `max` identifiers we implement, in the sender's order, into ids;
 * returns how many, or -1 if the length is odd or zero, or SHA-1 (which
 * every end must support, RFC 4895 6.1) is missing. */
int auth_random_decode(const uint8_t *val, size_t vlen);
int auth_chunks_decode(const uint8_t *val, size_t vlen, struct auth_types *t);
int auth_hmacs_decode(const uint8_t *val, size_t vlen, uint16_t *ids, unsigned max);

/* An AUTH chunk's value. */
struct auth_chunk {
    uint16_t key_id, hmac_id;
    const uint8_t *hmac; /* into the packet */
    uint16_t hmac_len;
};
/* 0, or -1 if shorter than its header or the HMAC length does not match
 * the identifier's (an unknown identifier decodes: the caller reports it). */
int auth_chunk_decode(const struct chunk *c, struct auth_chunk *a);

/* A key vector from an INIT's or INIT-ACK's parameters (whole TLVs, as
 * init_params_parse() found them; chunks may be NULL): validated with the
 * decoders above and concatenated into out. Returns its length, or -1 if
 * RANDOM or HMAC-ALGO is missing or one of them is invalid. */
int auth_vec_from_params(const uint8_t *random, const uint8_t *chunks, const uint8_t *hmacs,
                         uint8_t *out, size_t cap);

/* The parts of a key vector (found by its TLVs): the chunk types and the
 * HMAC identifiers (up to AUTH_MAX_HMACS). -1 if it is not one. */
int auth_vec_parse(const uint8_t *vec, size_t len, struct auth_types *types, uint16_t *hmacs,
                   unsigned *n_hmacs);

/* Writes a key vector's parameters into an INIT or INIT-ACK (each padded);
 * returns the bytes written (0 if they do not all fit). */
size_t auth_vec_put(const uint8_t *vec, size_t len, uint8_t *p, size_t room);

/* Writes the key vector of one end (RANDOM, CHUNKS unless n_chunks is 0,
 * HMAC-ALGO) into out; returns its length, or -1 if cap is too small. */
int auth_vec_build(const uint8_t *random, size_t rlen, const uint8_t *chunks, size_t n_chunks,
                   const uint16_t *hmacs, size_t n_hmacs, uint8_t *out, size_t cap);

/* The association shared key (RFC 4895 6.1): the endpoint pair shared key,
 * then the numerically smaller key vector, then the larger (as numbers
 * with leading zeros ignored; equal numbers: the shorter first). Writes
 * klen + l1 + l2 bytes into out (its size, cap, must hold them); returns
 * the length or -1. */
int auth_assoc_key(const uint8_t *key, size_t klen, const uint8_t *v1, size_t l1, const uint8_t *v2,
                   size_t l2, uint8_t *out, size_t cap);

/* HMAC `id` of data with key into out (auth_hmac_len(id) bytes); -1 if
 * the identifier is unknown or OpenSSL fails. */
int auth_hmac(uint16_t id, const uint8_t *key, size_t klen, const uint8_t *data, size_t len,
              uint8_t *out);

/* Checks an AUTH chunk that starts at auth (its HMAC field within) and
 * covers the packet up to end: the HMAC is computed with that field as
 * zeros and compared in constant time. True if it matches. */
bool auth_check(uint16_t id, const uint8_t *key, size_t klen, const uint8_t *auth,
                const uint8_t *end);

/* Fills the AUTH chunk at auth (AUTH_HDR_LEN + auth_hmac_len(id) bytes,
 * header written by the caller) over the bytes up to end: 0 or -1. */
int auth_sign(uint16_t id, const uint8_t *key, size_t klen, uint8_t *auth, const uint8_t *end);

#endif
