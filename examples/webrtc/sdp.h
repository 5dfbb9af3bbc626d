/*
 * SDP for a WebRTC data channel (RFC 8841, RFC 8839 ICE attributes,
 * RFC 8842 DTLS attributes): read the peer's offer, write our answer.
 */
#ifndef WEBRTC_SDP_H
#define WEBRTC_SDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum sdp_setup { SDP_SETUP_NONE = 0, SDP_SETUP_ACTPASS, SDP_SETUP_ACTIVE, SDP_SETUP_PASSIVE };

/* What we need from the peer's description. */
struct sdp_info {
    char ice_ufrag[257];
    char ice_pwd[257];
    char fingerprint[200]; /* "AB:CD:..." of the sha-256 fingerprint, upper case */
    char mid[64];
    enum sdp_setup setup;
    bool ice_lite;
    bool has_datachannel;      /* an m=application ... UDP/DTLS/SCTP webrtc-datachannel line */
    uint16_t sctp_port;        /* a=sctp-port (5000 when absent, RFC 8841 5) */
    uint64_t max_message_size; /* a=max-message-size (65536 when absent, RFC 8841 6) */
};

/* Parses an SDP text (CRLF or LF line ends; `len` bytes, need not be NUL
 * terminated). Returns 0, or -EBADMSG when the description has no
 * data-channel m-line, no ICE credentials or no sha-256 fingerprint, or a
 * malformed attribute we need. Only the first m=application section counts. */
int sdp_parse(const char *text, size_t len, struct sdp_info *out);

/* Our side of the answer. */
struct sdp_local {
    const char *ice_ufrag, *ice_pwd, *fingerprint; /* fingerprint "AB:CD:.." */
    const char *mid;
    enum sdp_setup setup; /* ACTIVE or PASSIVE */
    const char *addr;     /* our host candidate, IPv4 or IPv6 text */
    uint16_t port;        /* its UDP port */
    uint16_t sctp_port;
    uint64_t max_message_size;
    uint64_t session_id;
};

/* Writes the answer (an ICE-lite description with one host candidate).
 * Returns its length, or -ENOBUFS. */
int sdp_write_answer(char *out, size_t cap, const struct sdp_local *l);

#endif
