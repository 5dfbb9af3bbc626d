/* sctpng_udp internals shared by its source files. */
#ifndef SCTPNG_UDP_INT_H
#define SCTPNG_UDP_INT_H

#include <sys/socket.h>

#include "udp/udp.h"

#define UDP_MAX_BATCH 256
/* Largest UDP payload over IPv4; input buffers hold this much. */
#define UDP_MAX_DATAGRAM 65536

struct sctpng_udp {
    sctpng_udp_config cfg;
    sctpng_eng *eng;
    int fd;
    int family;                    /* of the socket */
    struct sockaddr_storage bound; /* after bind(), port resolved */
    sctpng_eng_path local_path;    /* path.local given to the engine */
    sctpng_udp_stats st;

    /* Output: packets the engine produced, [out_head, out_n) not yet sent. */
    unsigned out_head, out_n;
    uint8_t *out_buf; /* batch x max_packet */
    struct mmsghdr *out_msg;
    struct iovec *out_iov;
    struct sockaddr_storage *out_addr;

    /* Input. */
    uint8_t *in_buf;
    struct mmsghdr *in_msg;
    struct iovec *in_iov;
    struct sockaddr_storage *in_addr;
};

/* udp_addr.c: engine path address <-> socket address. */
socklen_t udp_addr_to_socket(const struct sctpng_udp *u, const struct sockaddr_storage *eng,
                             struct sockaddr_storage *out);
void udp_addr_from_socket(const struct sockaddr_storage *sock, struct sockaddr_storage *out);

/* udp_err.c: the error queue. */
int udp_err_enable(struct sctpng_udp *u);
/* Reads every queued error into the engine; `sent` is the packet a failed
 * send tried (NULL if none). Returns the number read. */
int udp_err_read(struct sctpng_udp *u, const uint8_t *sent, size_t sent_len, uint64_t now);

#endif
