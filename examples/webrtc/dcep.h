/*
 * The Data Channel Establishment Protocol (RFC 8832) and the data-channel
 * PPIDs (RFC 8831 8): DATA_CHANNEL_OPEN and DATA_CHANNEL_ACK codec.
 */
#ifndef WEBRTC_DCEP_H
#define WEBRTC_DCEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PPID_DCEP         50
#define PPID_STRING       51
#define PPID_BINARY_PART  52 /* deprecated, RFC 8831 8 */
#define PPID_BINARY       53
#define PPID_STRING_PART  54 /* deprecated */
#define PPID_STRING_EMPTY 56
#define PPID_BINARY_EMPTY 57

#define DCEP_ACK  0x02
#define DCEP_OPEN 0x03

/* Channel types (RFC 8832 5.1): the high bit asks for unordered delivery. */
#define DCEP_RELIABLE            0x00
#define DCEP_PARTIAL_RELIABLE_RX 0x01 /* reliability parameter: retransmissions */
#define DCEP_PARTIAL_RELIABLE_TM 0x02 /* reliability parameter: lifetime in ms */
#define DCEP_UNORDERED           0x80

#define DCEP_OPEN_HEADER 12

struct dcep_open {
    uint8_t channel_type;
    uint16_t priority;
    uint32_t reliability;
    const uint8_t *label; /* points into the parsed buffer; not NUL terminated */
    uint16_t label_len;
    const uint8_t *protocol;
    uint16_t protocol_len;
};

/* Parses a DATA_CHANNEL_OPEN. Returns 0 or -EBADMSG (short, not OPEN,
 * unknown channel type, label/protocol lengths beyond the message). */
int dcep_parse_open(const uint8_t *buf, size_t len, struct dcep_open *o);

/* Writes a DATA_CHANNEL_OPEN. Returns its length, or -ENOBUFS. */
int dcep_write_open(uint8_t *out, size_t cap, const struct dcep_open *o);

/* True for a DATA_CHANNEL_ACK (one byte 0x02; longer ones are tolerated). */
bool dcep_is_ack(const uint8_t *buf, size_t len);

/* The PPID a message of `len` bytes is sent with; empty messages travel as
 * one byte with the EMPTY PPIDs. */
uint32_t dcep_ppid_for(bool binary, size_t len);

/* Classifies a received PPID: 1 string, 2 binary, 0 DCEP, -1 unknown.
 * *empty tells the payload is the placeholder byte of an empty message. */
int dcep_ppid_kind(uint32_t ppid, bool *empty);

#endif
