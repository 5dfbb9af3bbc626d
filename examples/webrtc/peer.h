/* webrtc_peer's state, shared by its main loop (peer.c) and its
 * commands (commands.c). */
#ifndef WEBRTC_PEER_H
#define WEBRTC_PEER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include <sctpng/engine.h>
#include <sctpng/pcap.h>

#include "channels.h"
#include "dtls.h"
#include "sdp.h"
#include "wire.h"

struct peer {
    int fd;
    struct sockaddr_storage remote; /* the nominated ICE pair's remote address */
    socklen_t remote_len;
    bool have_remote;
    char ufrag[9], pwd[25];
    struct sdp_info offer;
    bool client;
    struct dtls_cert *cert;
    struct dtls *dtls;
    sctpng_eng *eng;
    uint32_t assoc;
    bool up, echo, done; /* done: association down or quit, leave the loop */
    unsigned drop;       /* test hook: SCTP packets with DATA still to drop (command drop) */
    unsigned drop_skip;  /* ... after letting this many more through */
    uint64_t dropped;
    struct dc dc;
    struct wire_stats wire;
    sctpng_pcap *pcap; /* WEBRTC_PCAP */
    uint64_t stun_ok, stun_bad;
};

/* Monotonic time in nanoseconds, the engine's clock. */
uint64_t now_ns(void);
/* Prints "error WHAT" and exits with status 1. */
void die(const char *what);
/* Byte i of the pattern message `send` makes (the test peer checks it). */
uint8_t pattern(bool binary, uint16_t sid, size_t i);
/* FNV-1a of a message, printed with every message received. */
uint32_t fnv1a(const uint8_t *p, size_t n);
/* Runs one command line. */
void command(struct peer *p, char *line, uint64_t now);

#endif
