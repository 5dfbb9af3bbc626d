/* sctpng_udp internals shared by its source files. */
#ifndef SCTPNG_UDP_INT_H
#define SCTPNG_UDP_INT_H

#include <netinet/in.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <sys/socket.h>

#include "udp/udp.h"

#define UDP_MAX_BATCH 256
/* Largest UDP payload over IPv4; input buffers hold this much. */
#define UDP_MAX_DATAGRAM 65536
/* Output: packets per flush, and the buffer they are packed into. */
#define UDP_OUT_PKTS  256
#define UDP_OUT_ARENA (256u << 10)
/* One GSO datagram: at most the kernel's UDP_MAX_SEGMENTS, and room for
 * the IP and UDP headers below 64 KiB. */
#define UDP_GSO_MAX_SEGS  64
#define UDP_GSO_MAX_BYTES 65000
/* GSO refusals (EINVAL) before GSO is left off for good. */
#define UDP_GSO_MAX_FAILS 4
/* Reads that find nothing between two unrequested error-queue reads. */
#define UDP_ERR_VALVE 64

/* A packet waiting to be sent: where it is in out_buf, where it goes,
 * and from which of our addresses when the engine chose one (a wildcard
 * socket only; in the socket's family, IPv4 v4-mapped on AF_INET6). */
struct udp_pkt {
    uint32_t off, len;
    socklen_t alen;
    bool has_src;
    int16_t tos;       /* the DS byte (DSCP << 2), or -1: the socket's */
    int32_t flowlabel; /* IPv6 flow label, or -1: the system's */
    struct sockaddr_storage to;
    struct in6_addr src; /* AF_INET socket: the first 4 bytes */
};

/* Control buffer of one message: UDP_SEGMENT, IP(V6)_PKTINFO, IP_TOS or
 * IPV6_TCLASS and IPV6_FLOWINFO out, UDP_GRO in. */
union udp_ctl {
    char buf[CMSG_SPACE(sizeof(int)) + CMSG_SPACE(sizeof(struct in6_pktinfo)) +
             2 * CMSG_SPACE(sizeof(int))];
    struct cmsghdr align;
};

struct sctpng_udp {
    sctpng_udp_config cfg;
    sctpng_eng *eng;
    int fd;
    int family;                    /* of the socket */
    struct sockaddr_storage bound; /* after bind(), port resolved */
    sctpng_eng_path local_path;    /* path.local given to the engine */
    sctpng_udp_stats st;

    /* Output: packets the engine produced, back to back in out_buf;
     * [out_head, out_n) not yet sent. */
    unsigned out_head, out_n;
    size_t out_used, out_cap; /* bytes of out_buf */
    uint8_t *out_buf;
    struct udp_pkt *out_pkt;
    /* The messages of one sendmmsg (a GSO one carries several packets). */
    struct mmsghdr *out_msg;
    struct iovec *out_iov;
    unsigned *out_cnt; /* packets in each message */
    union udp_ctl *out_ctl;
    bool gso;           /* UDP_SEGMENT in use */
    unsigned gso_fails; /* EINVAL refusals so far */

    /* Input. */
    uint8_t *in_buf;
    struct mmsghdr *in_msg;
    struct iovec *in_iov;
    struct sockaddr_storage *in_addr;
    union udp_ctl *in_ctl;
    unsigned in_dirty; /* messages the last recvmmsg filled (to reset) */
    bool gro;          /* UDP_GRO in use */
    bool err_check;    /* the next empty read looks at the error queue */
    unsigned err_valve;

    /* A socket shared with other drivers (udp_share.c): not ours to close,
     * and datagrams for other SCTP ports go to the demux hooks. */
    bool borrowed;
    sctpng_udp_demux demux;
    atomic_bool demux_on; /* flipped by other threads: the hooks apply */
};

/* udp_addr.c: engine path address <-> socket address. */
/* The source for a packet the engine sends from `local`: false when it
 * names none, or the socket is bound to one address (which the host then
 * uses). */
bool udp_src_from_engine(const struct sctpng_udp *u, const struct sockaddr_storage *local,
                         struct in6_addr *out);
socklen_t udp_addr_to_socket(const struct sctpng_udp *u, const struct sockaddr_storage *eng,
                             struct sockaddr_storage *out);
void udp_addr_from_socket(const struct sockaddr_storage *sock, struct sockaddr_storage *out);

/* udp_in.c: input buffers set up once (after alloc). */
void udp_in_init(struct sctpng_udp *u);

/* udp_err.c: the error queue. */
int udp_err_enable(struct sctpng_udp *u);
/* Reads every queued error into the engine; `sent` is the packet a failed
 * send tried (NULL if none). Returns the number read. */
int udp_err_read(struct sctpng_udp *u, const uint8_t *sent, size_t sent_len, uint64_t now);

/* udp_share.c: the engine input of a datagram or an ICMP error, or the
 * demux hook's when it is for another engine on a shared socket. Inline:
 * the unshared path is one test of a NULL pointer. */
static inline int udp_eng_input(struct sctpng_udp *u, const uint8_t *p, size_t len,
                                const sctpng_eng_path *from, uint64_t now)
{
    if (atomic_load_explicit(&u->demux_on, memory_order_acquire) && len >= 4 &&
        (uint16_t)(p[2] << 8 | p[3]) != u->demux.port &&
        u->demux.packet(u->demux.ctx, p, len, from, now))
        return 0;
    return sctpng_eng_input(u->eng, p, len, from, now);
}

static inline int udp_eng_icmp(struct sctpng_udp *u, const sctpng_eng_icmp *icmp, uint64_t now)
{
    const uint8_t *q = icmp->quote;
    if (atomic_load_explicit(&u->demux_on, memory_order_acquire) && icmp->quote_len >= 2 &&
        (uint16_t)(q[0] << 8 | q[1]) != u->demux.port && u->demux.icmp(u->demux.ctx, icmp, now))
        return 0;
    return sctpng_eng_icmp_input(u->eng, icmp, now);
}

#endif
