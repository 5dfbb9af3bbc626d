/*
 * DTLS 1.2 (OpenSSL) for a WebRTC peer: a self-signed certificate made at
 * start-up, its SHA-256 fingerprint for the SDP, the peer's certificate
 * checked against the fingerprint from its SDP (RFC 8122, RFC 8842), and
 * records carried over whatever datagram socket the caller has: the caller
 * feeds received DTLS datagrams in and gets datagrams to send through a
 * callback (the socket is shared with STUN, RFC 7983).
 */
#ifndef WEBRTC_DTLS_H
#define WEBRTC_DTLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dtls_cert;
struct dtls;

/* Sends one datagram to the peer. */
typedef void (*dtls_send_fn)(void *ctx, const uint8_t *buf, size_t len);

/* Makes an ECDSA P-256 key and a self-signed certificate. 0 or -ENOMEM. */
int dtls_cert_new(struct dtls_cert **out);
void dtls_cert_free(struct dtls_cert *c);
/* "AB:CD:..." SHA-256 fingerprint (32 bytes, 95 characters). */
const char *dtls_cert_fingerprint(const struct dtls_cert *c);

/* A DTLS connection in the client (active) or server (passive) role that
 * accepts only a peer certificate with fingerprint `peer_fp` (copied).
 * Returns NULL on allocation failure. */
struct dtls *dtls_new(const struct dtls_cert *c, bool client, const char *peer_fp,
                      dtls_send_fn send, void *ctx);
void dtls_free(struct dtls *d);

/* Client: sends the ClientHello. Server: nothing. Returns 0 or -EPROTO. */
int dtls_start(struct dtls *d);

/* Feeds one received DTLS datagram; advances the handshake. Returns 0, or
 * -EPROTO once the handshake or the connection failed (bad fingerprint,
 * alert). Application data it carried is then read with dtls_read(). */
int dtls_input(struct dtls *d, const uint8_t *buf, size_t len);

/* Next decrypted record: its length, 0 when none is left, -EPROTO. */
int dtls_read(struct dtls *d, uint8_t *buf, size_t cap);

/* Encrypts and sends one record. Returns len, -EAGAIN before the
 * handshake is done, -EPROTO. */
int dtls_write(struct dtls *d, const uint8_t *buf, size_t len);

bool dtls_connected(const struct dtls *d);
bool dtls_failed(const struct dtls *d);
/* The failure in words (OpenSSL's error queue), "" if none. */
const char *dtls_error(const struct dtls *d);

/* Milliseconds until dtls_timeout() should run (handshake retransmission),
 * or -1 if no timer runs. */
int dtls_timeout_ms(struct dtls *d);
void dtls_timeout(struct dtls *d);

#endif
