/* SCTP packet and chunk codec (RFC 9260 section 3, RFC 3758 FORWARD-TSN).
 * Decoders only return views into the caller's buffer after bounding every
 * length against what was received; encoders write into a bounded writer. */
#ifndef SCTPNG_ENGINE_CHUNK_H
#define SCTPNG_ENGINE_CHUNK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum chunk_type {
    CT_DATA = 0,
    CT_INIT = 1,
    CT_INIT_ACK = 2,
    CT_SACK = 3,
    CT_HEARTBEAT = 4,
    CT_HEARTBEAT_ACK = 5,
    CT_ABORT = 6,
    CT_SHUTDOWN = 7,
    CT_SHUTDOWN_ACK = 8,
    CT_ERROR = 9,
    CT_COOKIE_ECHO = 10,
    CT_COOKIE_ACK = 11,
    CT_ECNE = 12,
    CT_CWR = 13,
    CT_SHUTDOWN_COMPLETE = 14,
    CT_IDATA = 64,   /* RFC 8260 (idata.h) */
    CT_RECONF = 130, /* RFC 6525 (reconf_wire.h) */
    CT_FORWARD_TSN = 192,
    CT_IFORWARD_TSN = 194, /* RFC 8260 (idata.h) */
};

/* DATA chunk flags. */
#define DATA_FLAG_E 0x01
#define DATA_FLAG_B 0x02
#define DATA_FLAG_U 0x04
#define DATA_FLAG_I 0x08
/* ABORT / SHUTDOWN-COMPLETE: verification tag is reflected. */
#define CHUNK_FLAG_T 0x01

/* Error cause codes (RFC 9260 3.3.10). */
enum cause_code {
    CAUSE_INVALID_STREAM = 1,
    CAUSE_MISSING_PARAM = 2,
    CAUSE_STALE_COOKIE = 3,
    CAUSE_OUT_OF_RESOURCE = 4,
    CAUSE_UNRESOLVABLE_ADDR = 5,
    CAUSE_UNRECOGNIZED_CHUNK = 6,
    CAUSE_INVALID_MANDATORY = 7,
    CAUSE_UNRECOGNIZED_PARAMS = 8,
    CAUSE_NO_USER_DATA = 9,
    CAUSE_COOKIE_IN_SHUTDOWN = 10,
    CAUSE_RESTART_NEW_ADDRS = 11,
    CAUSE_USER_ABORT = 12,
    CAUSE_PROTOCOL_VIOLATION = 13,
};

#define SCTP_HDR_LEN   12
#define CHUNK_HDR_LEN  4
#define DATA_HDR_LEN   16 /* chunk header + TSN, SID, SSN, PPID */
#define INIT_FIXED_LEN 20

struct sctp_hdr {
    uint16_t src_port, dst_port;
    uint32_t vtag;
};

/* A chunk as found in a packet: val points at the value (after the 4-byte
 * chunk header) and vlen = declared length - 4, both within the packet. */
struct chunk {
    uint8_t type, flags;
    uint16_t len; /* declared length (header included, no padding) */
    const uint8_t *hdr;
    const uint8_t *val;
    uint16_t vlen;
};

/* Reads the common header; -1 if len < 12. */
int pkt_header(const uint8_t *pkt, size_t len, struct sctp_hdr *h);

struct chunk_iter {
    const uint8_t *p;
    size_t left;
};
void chunk_iter_init(struct chunk_iter *it, const uint8_t *pkt, size_t len);
/* 1: *c holds the next chunk; 0: end of packet; -1: malformed (length < 4 or
 * beyond the packet). A missing pad after the last chunk is tolerated. */
int chunk_next(struct chunk_iter *it, struct chunk *c);

/* Validates the packet's chunk structure in one pass: every chunk length
 * sane, and INIT / INIT-ACK / SHUTDOWN-COMPLETE not bundled (8.4 / 6.10).
 * Returns the chunk count (>= 1), or -1 if malformed. */
int pkt_validate(const uint8_t *pkt, size_t len);

/* Decoded chunk values. */
struct data_chunk {
    uint8_t flags;
    uint32_t tsn;
    uint16_t sid;
    uint32_t ssn;  /* SSN (16 bits on the wire); I-DATA: MID */
    uint32_t fsn;  /* I-DATA only: fragment sequence number */
    uint32_t ppid; /* host order */
    const uint8_t *data;
    uint16_t len;
};
struct init_chunk {
    uint32_t itag, a_rwnd, itsn;
    uint16_t os, mis;
    const uint8_t *params;
    uint16_t params_len;
};
struct sack_chunk {
    uint32_t cum_ack, a_rwnd;
    uint16_t ngaps, ndups;
    const uint8_t *gaps; /* ngaps x (start16, end16) */
    const uint8_t *dups; /* ndups x tsn32 */
};
struct fwd_tsn_chunk {
    uint32_t new_cum;
    uint16_t nstreams;
    const uint8_t *streams; /* nstreams x (sid16, ssn16) */
};

/* Decoders: 0 or -1 if the value is too short or inconsistent. */
int chunk_data_decode(const struct chunk *c, struct data_chunk *d);
int chunk_init_decode(const struct chunk *c, struct init_chunk *i);
int chunk_sack_decode(const struct chunk *c, struct sack_chunk *s);
int chunk_shutdown_decode(const struct chunk *c, uint32_t *cum_ack);
int chunk_fwd_tsn_decode(const struct chunk *c, struct fwd_tsn_chunk *f);

static inline uint16_t sack_gap_start(const struct sack_chunk *s, unsigned i)
{
    return (uint16_t)((s->gaps[4 * i] << 8) | s->gaps[4 * i + 1]);
}
static inline uint16_t sack_gap_end(const struct sack_chunk *s, unsigned i)
{
    return (uint16_t)((s->gaps[4 * i + 2] << 8) | s->gaps[4 * i + 3]);
}

/* What an ICMP error quotes of a packet we sent: the common header, and
 * of the first chunk as much as was quoted (RFC 9260 appendix C needs the
 * tag, and for a tag of 0 the INIT's Initiate Tag). */
struct icmp_quote {
    struct sctp_hdr h;
    bool has_type; /* first chunk's type byte quoted */
    uint8_t type;
    bool has_itag; /* first chunk is an INIT quoted through its Initiate Tag */
    uint32_t itag;
};
/* 0, or -1 if fewer than 12 bytes were quoted. The quote may end anywhere
 * (ICMP quotes as little as 8 bytes past the IP header): nothing is read
 * beyond len, and chunk lengths are not trusted. */
int icmp_quote_parse(const uint8_t *q, size_t len, struct icmp_quote *out);

/* Packet writer: bounded, writes the common header at init and the CRC at
 * finish. */
struct pkt_writer {
    uint8_t *buf;
    size_t cap, len;
    int nchunks;
    int ndata; /* of which DATA (the rest are control chunks) */
};
/* Returns -1 if cap < 12. */
int pw_init(struct pkt_writer *w, uint8_t *buf, size_t cap, uint16_t src, uint16_t dst,
            uint32_t vtag);
/* Room left for a chunk's value (after its 4-byte header), 0 if none. */
size_t pw_room(const struct pkt_writer *w);
/* Appends a chunk header for a value of vlen bytes and zeroes the padding;
 * returns where the value goes, or NULL if it does not fit. */
uint8_t *pw_chunk(struct pkt_writer *w, uint8_t type, uint8_t flags, size_t vlen);
/* Appends a chunk with a ready value. NULL if no room. */
uint8_t *pw_chunk_copy(struct pkt_writer *w, uint8_t type, uint8_t flags, const void *val,
                       size_t vlen);
/* Sets the CRC and returns the packet length. */
size_t pw_finish(struct pkt_writer *w);
/* Leaves the checksum 0 (RFC 9653, once both ends agreed) and returns the
 * packet length. */
size_t pw_finish_zero(struct pkt_writer *w);
/* Overwrites the vtag (for replies decided after writing). */
void pw_set_vtag(struct pkt_writer *w, uint32_t vtag);

/* Typed encoders; each returns 0 or -1 when the chunk does not fit. */
int pw_data(struct pkt_writer *w, const struct data_chunk *d);
int pw_init_chunk(struct pkt_writer *w, uint8_t type, const struct init_chunk *i);
/* gaps: ngaps pairs of (start, end) offsets; dups: ndups TSNs. */
int pw_sack(struct pkt_writer *w, uint32_t cum_ack, uint32_t a_rwnd, const uint16_t *gaps,
            uint16_t ngaps, const uint32_t *dups, uint16_t ndups);
int pw_shutdown(struct pkt_writer *w, uint32_t cum_ack);
int pw_fwd_tsn(struct pkt_writer *w, uint32_t new_cum, const uint16_t *sid_ssn, uint16_t n);
/* ABORT / ERROR with one cause (code 0 = no cause). */
int pw_cause_chunk(struct pkt_writer *w, uint8_t type, uint8_t flags, uint16_t code,
                   const void *info, size_t info_len);

#endif
