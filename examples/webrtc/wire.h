/*
 * What went over the wire, seen through the engine's packet tap: the
 * extensions the peer offered in its INIT or INIT-ACK (I-DATA, RE-CONFIG,
 * RFC 9653 zero checksum) and how many packets each way carried a zero
 * checksum. It lets the example report what was really negotiated.
 */
#ifndef WEBRTC_WIRE_H
#define WEBRTC_WIRE_H

#include <stdbool.h>
#include <stdint.h>

#include <sctpng/engine.h>

struct wire_stats {
    bool peer_idata, peer_reconfig, peer_zero_checksum;
    uint32_t peer_edmid;
    uint64_t in_pkts, in_zero;        /* packets from the peer; with checksum 0 */
    uint64_t out_data_pkts, out_zero; /* our packets after the handshake; with 0 */
};

/* sctpng_eng_tap_fn; ctx is a struct wire_stats. */
void wire_tap(void *ctx, sctpng_eng_dir dir, const uint8_t *pkt, size_t len,
              const sctpng_eng_path *path, uint64_t now);

/* Scans the parameters of an INIT or INIT-ACK chunk body (after its 16
 * fixed bytes) for what the peer supports. */
void wire_scan_init_params(struct wire_stats *w, const uint8_t *p, size_t len);

/* True if the packet carries a DATA or I-DATA chunk. */
bool wire_has_data(const uint8_t *pkt, size_t len);

/* The made-up path address the engine names DTLS by (DTLS has one path). */
void wire_path(sctpng_eng_path *path);

#endif
