/* relay: a UDP relay between the engine and kernel SCTP's UDP
 * encapsulation, on 127.0.0.1, that can drop packets. The engine talks to
 * e_port as if it were the kernel's UDP port; the kernel (its UDP port
 * kernel_udp) talks to k_port as if it were the engine's (engine_udp). A
 * drop rule sees each SCTP packet (the UDP payload) and its direction.
 * Single-threaded, non-blocking: call relay_pump() in the test's loop. */
#ifndef SCTPNG_INTEROP_RELAY_H
#define SCTPNG_INTEROP_RELAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct relay {
    int e_fd, k_fd;
    uint16_t e_port, k_port;
    uint16_t kernel_udp, engine_udp;
    /* true: drop this packet (to_kernel: it came from the engine) */
    bool (*drop)(struct relay *r, const uint8_t *pkt, size_t len, bool to_kernel);
    void *ctx;
    unsigned passed, dropped;
};

/* Opens both sockets on ephemeral ports. 0 or -errno. */
int relay_open(struct relay *r, uint16_t kernel_udp, uint16_t engine_udp);
void relay_close(struct relay *r);

/* Forwards (or drops) every datagram waiting on either side. */
void relay_pump(struct relay *r);

/* A DATA or I-DATA chunk: its TSN, stream, SSN / MID and flags. */
struct relay_data {
    uint32_t tsn, mid;
    uint32_t fsn; /* I-DATA without the B bit (else 0) */
    uint16_t sid;
    uint8_t flags;
    bool idata;
};
/* Calls fn for every DATA / I-DATA chunk of the packet; stops (returning
 * true) as soon as fn returns true. */
bool relay_each_data(const uint8_t *pkt, size_t len,
                     bool (*fn)(void *ctx, const struct relay_data *d), void *ctx);

#endif
