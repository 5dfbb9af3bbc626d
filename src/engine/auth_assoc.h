/* AUTH (RFC 4895) state of the endpoint and of its associations: keys by
 * number, the active key, the chunk types each end requires, the HMAC,
 * and what input and output do with them (verify, sign). The state of an
 * association exists only when both ends use AUTH (allocated then, so an
 * idle association without it stays small: engine_scale). */
#ifndef SCTPNG_ENGINE_AUTH_ASSOC_H
#define SCTPNG_ENGINE_AUTH_ASSOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/asconf.h"
#include "engine/auth.h"

struct assoc;
struct sctpng_eng;
struct pkt_writer;

/* A key: on the endpoint the user's secret; on an association the
 * association shared key made from it (RFC 4895 6.1). */
struct akey {
    struct akey *next;
    uint16_t id;
    bool deactivated;
    uint32_t len;
    uint8_t k[];
};

struct ep_auth {
    uint8_t chunks[AUTH_MAX_CHUNKS]; /* what we require, in the order added */
    uint8_t n_chunks;
    uint16_t hmacs[AUTH_MAX_HMACS]; /* in our order of preference */
    uint8_t n_hmacs;
    uint16_t active;
    struct akey *keys;
};

/* RFC 5061 ASCONF state (addip.c), with AUTH's: ASCONF needs AUTH. */
struct addip {
    uint32_t serial;      /* of our next ASCONF, or the one outstanding */
    uint32_t peer_serial; /* of the last ASCONF of the peer's we took */
    bool outstanding;
    int last_result; /* of our last ASCONF: 0, an error cause, or -ETIMEDOUT */
    unsigned acked;  /* our ASCONFs answered */
    uint16_t out_len, ack_len;
    uint8_t out[256], ack[256]; /* the outstanding ASCONF, our last ASCONF-ACK */
    /* requests waiting for the outstanding one's answer (5.1), sent
     * together in the next ASCONF */
    struct asconf_req waiting[ASCONF_MAX_REQ];
    uint8_t n_waiting;
    /* the outstanding ASCONF's deleted addresses and the source paths
     * take instead of them (RFC 5061 5.1; AF_UNSPEC: none known) */
    uint8_t n_gone;
    struct sockaddr_storage gone[ASCONF_MAX_REQ], src;
    uint32_t corr; /* the last Correlation ID we used */
};

struct assoc_auth {
    struct auth_types ours, peers; /* chunk types each end requires */
    uint16_t our_hmacs[AUTH_MAX_HMACS];
    uint8_t n_our_hmacs;
    uint16_t send_hmac; /* the first of the peer's list we have */
    uint16_t active;
    bool peer_key_seen; /* peer_key holds the last key the peer used */
    uint16_t peer_key;
    bool ready;                  /* the peer's vector is known: keys made */
    uint8_t local_len, peer_len; /* key vectors */
    uint8_t local_vec[AUTH_VEC_MAX], peer_vec[AUTH_VEC_MAX];
    struct akey *keys;
    uint64_t drops;      /* chunks dropped: no or bad AUTH */
    struct addip *addip; /* when the association uses ASCONF */
};

/* Endpoint: from the configuration (-ENOMEM, -EINVAL); freed with it. */
int auth_ep_init(struct sctpng_eng *ep);
void auth_ep_free(struct sctpng_eng *ep);

/* A fresh key vector of ours into vec (a new RANDOM, the endpoint's chunk
 * list and HMACs); its length, or -1. */
int auth_new_local_vec(struct sctpng_eng *ep, uint8_t *vec, size_t cap);

/* Connecting: our vector for the INIT (-ENOMEM); a no-op without AUTH. */
int auth_assoc_start(struct assoc *a);
/* The peer's vector is known (INIT-ACK, or the cookie with ours too, lvec
 * non-NULL): keys made from the endpoint's. An association not using AUTH
 * (a->ext) drops its state. -ENOMEM; -EINVAL if the vectors are unusable
 * (the caller takes AUTH out of a->ext and calls again). */
int auth_assoc_setup(struct assoc *a, const uint8_t *lvec, size_t llen, const uint8_t *pvec,
                     size_t plen);
void auth_assoc_free(struct assoc *a);
/* ASCONF (RFC 5061) once AUTH is set up: kept in a->ext only if the peer
 * requires ASCONF and ASCONF-ACK authenticated too; then its state, the
 * serial numbers starting from the Initial TSNs. -ENOMEM. */
int auth_asconf_setup(struct assoc *a, uint32_t peer_itsn);
/* Established: SCTPNG_AUTH_NO_AUTH if we offered AUTH and the peer did not. */
void auth_on_established(struct assoc *a);

/* Whether we require chunks of this type to be authenticated. */
bool auth_required(const struct assoc *a, uint8_t type);
/* An AUTH chunk at c, the packet ending at end: 0 if it verifies (the
 * chunks after it are authenticated), -1 if the rest of the packet is to
 * be dropped (an ERROR with Unsupported HMAC Identifier for a foreign
 * HMAC; silently for an unknown key or a wrong HMAC). */
int auth_on_chunk(struct assoc *a, const struct chunk *c, const uint8_t *end);
/* A chunk that needed AUTH and had none: counted. */
void auth_drop(struct assoc *a);
/* Bytes an AUTH chunk takes in our packets (0: the peer requires none);
 * before the peer's answer the most it can take. */
size_t auth_overhead(const struct assoc *a);
/* Inserts the AUTH chunk before the first chunk the peer requires to be
 * authenticated and signs the packet (cap: the buffer's size). */
void auth_sign_packet(struct assoc *a, struct pkt_writer *w, size_t cap);
/* A packet that starts with AUTH, then COOKIE-ECHO: the AUTH verified
 * with the keys the cookie makes (RFC 4895 6.3). True if it does. */
bool auth_cookie_packet_ok(struct sctpng_eng *ep, const struct chunk *auth,
                           const struct chunk *cookie, const uint8_t *end);

/* Key calls (api_auth.c); a NULL: the endpoint's keys, copied into later
 * associations. Negative errno. */
int auth_set_key(struct sctpng_eng *ep, struct assoc *a, uint16_t id, const uint8_t *key,
                 size_t len);
int auth_key_op(struct sctpng_eng *ep, struct assoc *a, int op, uint16_t id);
enum { AUTH_OP_ACTIVATE, AUTH_OP_DEACTIVATE, AUTH_OP_DELETE };

#endif
