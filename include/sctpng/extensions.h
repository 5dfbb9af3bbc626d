/*
 * sctpng/extensions.h - part of <sctpng.h>: the SCTP extensions AUTH (RFC
 * 4895) and stream reconfiguration (RFC 6525).
 * Include <sctpng.h>, never this file alone: it uses the types declared
 * there before it is included.
 */
#ifndef SCTPNG_EXTENSIONS_H
#define SCTPNG_EXTENSIONS_H

#ifndef SCTPNG_H
#error "include <sctpng.h>, not <sctpng/extensions.h> alone"
#endif

/* ------------------------------------------------------------------ */
/* Authenticated chunks (AUTH, RFC 4895)                               */
/* ------------------------------------------------------------------ */

/*
 * Both ends must offer AUTH (SCTPNG_OPT_AUTH_SUPPORTED, or the host's
 * net.sctp.auth_enable) before the association is set up; on a socket
 * without it every call here fails with -EACCES. Chunk types to be
 * authenticated and HMACs are endpoint settings, sent in INIT: set them
 * before connect/listen. Keys (shared secrets, up to 65535 bytes) have a
 * number; key 0, empty, exists from the start and is active. A key set on
 * the socket (SCTPNG_ASSOC_FUTURE) is copied into associations set up
 * later; SCTPNG_ASSOC_CURRENT / _ALL / an id reach live ones. The peer's
 * packets may use any key both ends have; ours use the active one. When
 * a packet arrives authenticated with a key other than our active one an
 * AUTH event (SCTPNG_AUTH_NEW_KEY, its number) is raised; a deactivated
 * key no longer in use raises SCTPNG_AUTH_FREE_KEY. Packets whose HMAC
 * does not match are dropped without a word (RFC 4895 6.3): the sender
 * sees retransmissions, the receiver's statistics packets in and no DATA.
 * Both backends. On the UDP backend the engine does AUTH (HMAC-SHA1 and
 * HMAC-SHA256; by default it offers SHA-256 first, Linux SHA-1 only);
 * there a deactivated key is free at once (no packet keeps a key: a
 * retransmission is signed again with the active key), so
 * SCTPNG_AUTH_FREE_KEY follows the call, and SCTPNG_AUTH_NEW_KEY comes
 * once each time the peer moves to another key (Linux: per packet).
 * Errors, beyond -EACCES: -EINVAL unknown association, key number or
 * chunk type that cannot be authenticated (INIT, INIT ACK, SHUTDOWN
 * COMPLETE, AUTH), an HMAC list without SHA-1; -ENOPROTOOPT the kernel
 * lacks the call (AUTH_DEACTIVATE_KEY: Linux 4.19+).
 */

/** AUTH event indications (sctpng_event.u.auth.indication). */
enum sctpng_auth_indication {
    SCTPNG_AUTH_NEW_KEY = 0,  /**< the peer used this key number */
    SCTPNG_AUTH_FREE_KEY = 1, /**< a deactivated key is no longer used */
    SCTPNG_AUTH_NO_AUTH = 2,  /**< the peer does not do AUTH */
};

/** HMAC identifiers (RFC 4895 section 3.3). */
enum sctpng_hmac {
    SCTPNG_HMAC_SHA1 = 1,
    SCTPNG_HMAC_SHA256 = 3,
};

/** Add or replace key `keynum` (`len` bytes of `key`; len 0 is allowed). */
SCTPNG_API int sctpng_auth_set_key(sctpng_socket *s, sctpng_assoc_t assoc, uint16_t keynum,
                                   const void *key, size_t len);
/** Make key `keynum` the one our packets are authenticated with. */
SCTPNG_API int sctpng_auth_activate_key(sctpng_socket *s, sctpng_assoc_t assoc, uint16_t keynum);
/** Stop using key `keynum` for sending (it must not be the active key);
 * SCTPNG_AUTH_FREE_KEY follows once no packet in flight uses it. */
SCTPNG_API int sctpng_auth_deactivate_key(sctpng_socket *s, sctpng_assoc_t assoc, uint16_t keynum);
/** Remove key `keynum` (-EINVAL for the active key; Linux wants it
 * deactivated first on live associations). */
SCTPNG_API int sctpng_auth_delete_key(sctpng_socket *s, sctpng_assoc_t assoc, uint16_t keynum);
/** The active key's number (`assoc` an id or SCTPNG_ASSOC_FUTURE). */
SCTPNG_API int sctpng_auth_get_active_key(sctpng_socket *s, sctpng_assoc_t assoc, uint16_t *keynum);
/** Require the peer to authenticate chunks of `type` (e.g. 0 for DATA)
 * sent to us (SCTP_AUTH_CHUNK; endpoint setting, before set-up). */
SCTPNG_API int sctpng_auth_add_chunk(sctpng_socket *s, uint8_t type);
/** The HMACs we accept, in order of preference (`n` enum sctpng_hmac;
 * SHA-1 must be among them). */
SCTPNG_API int sctpng_auth_set_hmacs(sctpng_socket *s, const uint16_t *ids, size_t n);
/** Store up to `max` of our HMAC ids; returns how many there are. */
SCTPNG_API int sctpng_auth_get_hmacs(sctpng_socket *s, uint16_t *ids, size_t max);
/** The chunk types to be authenticated: that we require of the peer
 * (`peer` false, SCTP_LOCAL_AUTH_CHUNKS; assoc FUTURE: the socket's list)
 * or that the peer requires of us (`peer` true, an association). Stores up
 * to `max` in `types`; returns how many there are. */
SCTPNG_API int sctpng_auth_get_chunks(sctpng_socket *s, sctpng_assoc_t assoc, bool peer,
                                      uint8_t *types, size_t max);

/* ------------------------------------------------------------------ */
/* Stream reconfiguration (RFC 6525)                                   */
/* ------------------------------------------------------------------ */

/*
 * Both ends must offer reconfiguration (SCTPNG_OPT_RECONFIG_SUPPORTED
 * before the association is set up), and the kind of request must be
 * enabled with SCTPNG_OPT_STREAM_RESET on the end that sends it and on
 * the end that grants it: a peer that has not enabled it answers "denied"
 * (a STREAM_RESET, ASSOC_RESET or STREAM_CHANGE event with
 * SCTPNG_RECONF_DENIED). Each call only sends the request; the outcome
 * arrives as an event on both ends (subscribe to SCTPNG_EV_STREAM_RESET,
 * _ASSOC_RESET, _STREAM_CHANGE). One request may be outstanding at a
 * time. Kernel backend (Linux 4.15+ has all three) and UDP backend (the
 * engine's RFC 6525, same calls, errors and events; there STREAM_RESET is
 * one value per endpoint: a listener and the sockets it accepted share
 * it, and a STREAM_RESET event lists at most 32 streams).
 * Errors for all three: -ENOPROTOOPT reconfiguration was not negotiated
 * or the request is not enabled on this end, -EINPROGRESS a request is
 * still outstanding, -EINVAL unknown association or bad arguments.
 */

/** Bits of SCTPNG_OPT_STREAM_RESET (the kernel's SCTP_ENABLE_*_REQ). */
enum sctpng_reconf_enable {
    SCTPNG_RECONF_RESET_STREAMS = 1u << 0, /**< stream (SSN) resets */
    SCTPNG_RECONF_RESET_ASSOC = 1u << 1,   /**< association (TSN) resets */
    SCTPNG_RECONF_ADD_STREAMS = 1u << 2,   /**< adding streams */
};

/** Flags of STREAM_RESET / ASSOC_RESET / STREAM_CHANGE events (in
 * sctpng_event.flags). */
enum sctpng_reconf_event_flags {
    SCTPNG_RECONF_INCOMING = 1u << 0, /**< STREAM_RESET: our incoming streams were reset */
    SCTPNG_RECONF_OUTGOING = 1u << 1, /**< STREAM_RESET: our outgoing streams were reset */
    SCTPNG_RECONF_DENIED = 1u << 2,   /**< the peer refused the request */
    SCTPNG_RECONF_FAILED = 1u << 3,   /**< the request failed (e.g. timed out) */
};

/** Directions for sctpng_reset_streams(). */
enum sctpng_stream_dir {
    SCTPNG_STREAMS_IN = 1u << 0,  /**< ask the peer to reset its outgoing streams to us */
    SCTPNG_STREAMS_OUT = 1u << 1, /**< reset our outgoing streams (SSNs restart at 0) */
};

/**
 * Reset streams: `dir` is SCTPNG_STREAMS_IN and/or _OUT; `streams` lists
 * `n` stream ids, n == 0 means every stream. After an outgoing reset the
 * next message on each stream carries SSN 0. An outgoing reset needs the
 * streams' queued data to be gone first (RFC 6525 5.1.2: the sender holds
 * the request until it is): Linux refuses with -EAGAIN while any of them
 * has data queued, and changes nothing. Errors (beyond the above): -EINVAL
 * dir is 0 or has other bits, a stream id is not below the stream count.
 */
SCTPNG_API int sctpng_reset_streams(sctpng_socket *s, sctpng_assoc_t assoc, unsigned dir,
                                    const uint16_t *streams, size_t n);

/** Reset the association: both ends restart their TSNs (and every
 * stream's SSNs); the new TSNs come in the ASSOC_RESET event. -EAGAIN
 * while data is queued or in flight. */
SCTPNG_API int sctpng_reset_assoc(sctpng_socket *s, sctpng_assoc_t assoc);

/** Add `out` outgoing and/or ask the peer for `in` more incoming streams
 * (one may be 0, not both). New outgoing streams can be used as soon as
 * the STREAM_CHANGE event reports them. -EINVAL both 0 or more than 65535
 * streams in all. */
SCTPNG_API int sctpng_add_streams(sctpng_socket *s, sctpng_assoc_t assoc, uint16_t out,
                                  uint16_t in);

#endif /* SCTPNG_EXTENSIONS_H */
