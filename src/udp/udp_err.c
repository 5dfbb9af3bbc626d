/* sctpng_udp's ICMP errors: the socket's error queue (IP_RECVERR,
 * IPV6_RECVERR) read into sctpng_eng_icmp_input(). For a UDP socket the
 * kernel queues, per ICMP error about a datagram we sent, the datagram's
 * destination, a sock_extended_err, and as much of our UDP payload (the
 * SCTP packet) as the ICMP message quoted. */
#include <errno.h>
#include <time.h> /* before linux/errqueue.h, which uses struct timespec */

#include <linux/errqueue.h>
#include <netinet/in.h>
#include <string.h>

#include "udp/udp_int.h"

#ifndef SO_EE_ORIGIN_ICMP6
#define SO_EE_ORIGIN_ICMP6 3
#endif

/* ICMP types and codes (RFC 792, RFC 4443) the engine tells apart. */
enum {
    ICMP4_UNREACH = 3,
    ICMP4_PROTO = 2,
    ICMP4_PORT = 3,
    ICMP4_FRAG = 4,
    ICMP6_UNREACH = 1,
    ICMP6_PORT = 4,
    ICMP6_TOO_BIG = 2,
    ICMP6_PARAM = 4,
    ICMP6_NEXT_HEADER = 1,
};

int udp_err_enable(struct sctpng_udp *u)
{
    int on = 1;
    if (setsockopt(u->fd, SOL_IP, IP_RECVERR, &on, sizeof(on)) < 0 && u->family == AF_INET)
        return -errno;
    if (u->family == AF_INET6 && setsockopt(u->fd, SOL_IPV6, IPV6_RECVERR, &on, sizeof(on)) < 0)
        return -errno;
    return 0;
}

static sctpng_eng_icmp_kind kind_of(const struct sock_extended_err *e)
{
    if (e->ee_origin == SO_EE_ORIGIN_ICMP && e->ee_type == ICMP4_UNREACH) {
        if (e->ee_code == ICMP4_PORT)
            return SCTPNG_ENG_ICMP_PORT_UNREACH;
        if (e->ee_code == ICMP4_PROTO)
            return SCTPNG_ENG_ICMP_PROTO_UNREACH;
        return e->ee_code == ICMP4_FRAG ? SCTPNG_ENG_ICMP_FRAG_NEEDED : SCTPNG_ENG_ICMP_UNREACH;
    }
    if (e->ee_origin == SO_EE_ORIGIN_ICMP6) {
        if (e->ee_type == ICMP6_UNREACH)
            return e->ee_code == ICMP6_PORT ? SCTPNG_ENG_ICMP_PORT_UNREACH
                                            : SCTPNG_ENG_ICMP_UNREACH;
        if (e->ee_type == ICMP6_TOO_BIG)
            return SCTPNG_ENG_ICMP_FRAG_NEEDED;
        if (e->ee_type == ICMP6_PARAM && e->ee_code == ICMP6_NEXT_HEADER)
            return SCTPNG_ENG_ICMP_PROTO_UNREACH;
    }
    if (e->ee_origin == SO_EE_ORIGIN_LOCAL && e->ee_errno == EMSGSIZE)
        return SCTPNG_ENG_ICMP_FRAG_NEEDED; /* our own stack's MTU (IP_PMTUDISC_DO) */
    return SCTPNG_ENG_ICMP_OTHER;
}

/* The IP MTU in the error, less the IP and UDP headers we put around an
 * SCTP packet to that address (an IPv4 peer of an AF_INET6 socket has
 * IPv4 headers). */
static uint32_t sctp_mtu(const struct sock_extended_err *e, const struct sockaddr_storage *to)
{
    uint32_t hdr = (to->ss_family == AF_INET6 ? 40u : 20u) + 8u;
    return e->ee_info > hdr ? e->ee_info - hdr : 0;
}

static const struct sock_extended_err *find_err(struct msghdr *m)
{
    for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c))
        if ((c->cmsg_level == SOL_IP && c->cmsg_type == IP_RECVERR) ||
            (c->cmsg_level == SOL_IPV6 && c->cmsg_type == IPV6_RECVERR))
            return (const struct sock_extended_err *)CMSG_DATA(c);
    return NULL;
}

/* One queued error into the engine; `sent` (may be NULL) is the packet a
 * local error refused, for a local error that quotes nothing. */
static void deliver_err(struct sctpng_udp *u, struct msghdr *m, size_t len, const uint8_t *sent,
                        size_t sent_len, uint64_t now)
{
    const struct sock_extended_err *e = find_err(m);
    if (!e)
        return;
    sctpng_eng_icmp icmp;
    sctpng_eng_icmp_init(&icmp);
    icmp.path = u->local_path;
    udp_addr_from_socket((const struct sockaddr_storage *)m->msg_name, &icmp.path.remote);
    icmp.kind = kind_of(e);
    if (icmp.kind == SCTPNG_ENG_ICMP_FRAG_NEEDED)
        icmp.mtu = sctp_mtu(e, &icmp.path.remote);
    icmp.quote = m->msg_iov[0].iov_base;
    icmp.quote_len = len;
    if (len == 0 && e->ee_origin == SO_EE_ORIGIN_LOCAL && sent) {
        icmp.quote = sent;
        icmp.quote_len = sent_len;
    }
    u->st.icmp_in++;
    if (udp_eng_icmp(u, &icmp, now) < 0)
        u->st.icmp_ignored++;
}

int udp_err_read(struct sctpng_udp *u, const uint8_t *sent, size_t sent_len, uint64_t now)
{
    int n = 0;
    /* Bounded like sctpng_udp_read(); the queue holds at most the socket's
     * receive buffer. */
    for (int i = 0; i < 64; i++) {
        struct sockaddr_storage to;
        union {
            char buf[CMSG_SPACE(sizeof(struct sock_extended_err) + sizeof(struct sockaddr_in6)) +
                     64];
            struct cmsghdr align;
        } ctl;
        /* The quote goes to the first input buffer (unused between reads). */
        struct iovec iov = {.iov_base = u->in_buf, .iov_len = UDP_MAX_DATAGRAM};
        struct msghdr m = {.msg_name = &to,
                           .msg_namelen = sizeof(to),
                           .msg_iov = &iov,
                           .msg_iovlen = 1,
                           .msg_control = ctl.buf,
                           .msg_controllen = sizeof(ctl.buf)};
        memset(&to, 0, sizeof(to));
        ssize_t r = recvmsg(u->fd, &m, MSG_ERRQUEUE | MSG_DONTWAIT);
        u->st.err_reads++;
        if (r < 0) {
            if (errno == EINTR)
                continue;
            break; /* EAGAIN: the queue is empty */
        }
        deliver_err(u, &m, (size_t)r, sent, sent_len, now);
        n++;
    }
    return n;
}

int sctpng_udp_read_errors(sctpng_udp *u, uint64_t now)
{
    return udp_err_read(u, NULL, 0, now);
}
