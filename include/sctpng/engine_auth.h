/*
 * sctpng/engine_auth.h - part of <sctpng/engine.h>: AUTH (RFC 4895) in
 * the sans-IO engine. Include <sctpng/engine.h>, not this file alone.
 *
 * With sctpng_eng_config.auth the endpoint announces AUTH, its RANDOM,
 * the chunk types it requires authenticated (CHUNKS) and its HMACs
 * (HMAC-ALGO) in INIT and INIT-ACK. An association uses AUTH when both
 * ends announce it; then chunks of a type we require are taken only after
 * a valid AUTH chunk in the same packet (others are dropped without a
 * word, RFC 4895 6.3), and our packets carry an AUTH chunk before the
 * first chunk the peer requires, with the HMAC the peer prefers among
 * ours and our active key. An AUTH with an HMAC we did not offer gets an
 * ERROR (Unsupported HMAC Identifier, 261). An AUTH chunk before a
 * COOKIE-ECHO is verified with the keys the cookie makes.
 *
 * Keys, as in Linux: numbered 0..65535, shared secrets of 0..65535 bytes;
 * key 0, empty, exists from the start and is active. The endpoint's keys
 * (assoc 0) are copied into associations set up later; an association id
 * reaches that association's keys only (each association keeps its own
 * association shared keys, RFC 4895 6.1). The peer may use any key we
 * have; our packets use the active key. Deactivating stops a key being
 * used for sending (it still verifies what arrives): no packet keeps a
 * key, so on an association SCTPNG_ENG_AUTH_FREE_KEY follows at once.
 *
 * Errors (negative errno): -ENOENT unknown association; -EACCES the
 * endpoint has no AUTH, or the association does not use it; -EINVAL an
 * unknown key, the active key deactivated or deleted, a deactivated key
 * activated, a chunk type that cannot be authenticated, an HMAC list
 * without SHA-1 or with an HMAC we lack; -ENOSPC the chunk list is full;
 * -ENOMEM.
 */
#ifndef SCTPNG_ENGINE_AUTH_H
#define SCTPNG_ENGINE_AUTH_H

#ifndef SCTPNG_ENGINE_H
#error "include <sctpng/engine.h>, not <sctpng/engine_auth.h> alone"
#endif

/* sctpng_eng_event.u.auth.indication: the kernel's values. */
typedef enum sctpng_eng_auth_indication {
    SCTPNG_ENG_AUTH_NEW_KEY = 0,  /* the peer authenticated with this key, not our active one */
    SCTPNG_ENG_AUTH_FREE_KEY = 1, /* a deactivated key is no longer used */
    SCTPNG_ENG_AUTH_NO_AUTH = 2,  /* set up, but the peer does not do AUTH */
} sctpng_eng_auth_indication;

/* Adds or replaces key `keynum` (len bytes of key, copied). */
SCTPNG_API int sctpng_eng_auth_set_key(sctpng_eng *eng, uint32_t assoc, uint16_t keynum,
                                       const void *key, size_t len);
/* Makes key `keynum` the one our packets are authenticated with. */
SCTPNG_API int sctpng_eng_auth_activate_key(sctpng_eng *eng, uint32_t assoc, uint16_t keynum);
/* Stops using key `keynum` for sending (not the active key). */
SCTPNG_API int sctpng_eng_auth_deactivate_key(sctpng_eng *eng, uint32_t assoc, uint16_t keynum);
/* Removes key `keynum` (not the active key). */
SCTPNG_API int sctpng_eng_auth_delete_key(sctpng_eng *eng, uint32_t assoc, uint16_t keynum);
/* The active key's number into *keynum. */
SCTPNG_API int sctpng_eng_auth_get_active_key(sctpng_eng *eng, uint32_t assoc, uint16_t *keynum);
/* Requires chunks of `type` to be authenticated by peers of associations
 * set up later (SCTP_AUTH_CHUNK). Adding one already there is a no-op. */
SCTPNG_API int sctpng_eng_auth_add_chunk(sctpng_eng *eng, uint8_t type);
/* Our HMACs for associations set up later, in order of preference. */
SCTPNG_API int sctpng_eng_auth_set_hmacs(sctpng_eng *eng, const uint16_t *ids, size_t n);
/* Up to max of our HMAC identifiers into ids; returns how many there are. */
SCTPNG_API int sctpng_eng_auth_get_hmacs(sctpng_eng *eng, uint16_t *ids, size_t max);
/* The chunk types to be authenticated: those we require (peer false; assoc
 * 0: the endpoint's list for later associations) or those the peer
 * requires of us (peer true, an association). Up to max into types;
 * returns how many there are. */
SCTPNG_API int sctpng_eng_auth_get_chunks(sctpng_eng *eng, uint32_t assoc, bool peer,
                                          uint8_t *types, size_t max);
/* The HMAC our packets to the peer of assoc use (1 or 3), and the chunks
 * dropped on it for a missing or wrong AUTH, into *hmac and *drops (either
 * may be NULL). */
SCTPNG_API int sctpng_eng_auth_info(sctpng_eng *eng, uint32_t assoc, uint16_t *hmac,
                                    uint64_t *drops);

/*
 * RFC 5061 ASCONF (sctpng_eng_config.asconf, with auth), on a live
 * association that uses it: ask the peer to add one of our addresses as a
 * path, to delete one, or to make one its primary (the address the peer
 * sends to). One request is outstanding at a time; it is sent again every
 * RTO (counting against the association like a lost DATA) until the
 * peer's ASCONF-ACK; sctpng_eng_asconf_status() tells when it was
 * answered and how. The peer's requests are applied to our paths: an
 * added address becomes a path (UDP port: the one the ASCONF came from)
 * confirmed by heartbeat, a deleted one goes inactive for good (refused
 * for the packet's own source or the last address), Set Primary makes a
 * path our primary. Errors: -ENOENT unknown association, -ENOPROTOOPT it
 * does not use ASCONF, -EINPROGRESS a request is outstanding, -EINVAL not
 * an IPv4 / IPv6 address.
 */
SCTPNG_API int sctpng_eng_asconf_add_addr(sctpng_eng *eng, uint32_t assoc,
                                          const struct sockaddr_storage *addr, uint64_t now);
SCTPNG_API int sctpng_eng_asconf_del_addr(sctpng_eng *eng, uint32_t assoc,
                                          const struct sockaddr_storage *addr, uint64_t now);
SCTPNG_API int sctpng_eng_asconf_set_peer_primary(sctpng_eng *eng, uint32_t assoc,
                                                  const struct sockaddr_storage *addr,
                                                  uint64_t now);
/*
 * The endpoint's own addresses on a live endpoint (a bindx): they are
 * announced in the INIT / INIT-ACK of later associations, and every live
 * association using ASCONF is asked to add or delete the address (Add IP /
 * Delete IP; several requests wait, up to 4, and leave in one ASCONF once
 * the previous one is answered). A Delete IP leaves on a path whose local
 * address is another one when the engine knows it (RFC 5061 5.1's source
 * rule; the peer refuses it otherwise). The endpoint needs a list of its
 * own already (sctpng_eng_config.local_addrs). Errors: -EINVAL not an IPv4 /
 * IPv6 address, or the endpoint has no list; -ENOSPC the list is full
 * (SCTPNG_ENG_MAX_LOCAL_ADDRS); -EADDRNOTAVAIL deleting one it does not
 * have; -EBUSY deleting the last one. Adding one it has is a no-op (0).
 * An association that does not use ASCONF keeps its list as it was, but
 * loses a deleted address (its peer still sends there).
 */
SCTPNG_API int sctpng_eng_add_local_addr(sctpng_eng *eng, const struct sockaddr_storage *addr,
                                         uint64_t now);
SCTPNG_API int sctpng_eng_del_local_addr(sctpng_eng *eng, const struct sockaddr_storage *addr,
                                         uint64_t now);
/* The local addresses of association `assoc` (0: the endpoint's), at most
 * max into out (ports as given); how many there are, or -ENOENT. */
SCTPNG_API int sctpng_eng_get_local_addrs(const sctpng_eng *eng, uint32_t assoc,
                                          struct sockaddr_storage *out, size_t max);

/* *pending: a request is outstanding; *result: how the last one ended (0
 * done, else the error cause code the peer answered); *acked: requests
 * answered so far. Any pointer may be NULL. */
SCTPNG_API int sctpng_eng_asconf_status(sctpng_eng *eng, uint32_t assoc, bool *pending, int *result,
                                        unsigned *acked);

#endif
