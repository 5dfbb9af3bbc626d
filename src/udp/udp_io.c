/* sctpng_udp's output: engine packets -> one sendmmsg() per flush, runs
 * of equal-size packets to one peer as one UDP_SEGMENT (GSO) message.
 * Input is in udp_in.c. */
#include <errno.h>
#include <netinet/udp.h>
#include <string.h>

#include "udp/udp_int.h"

#ifndef IPV6_FLOWINFO
#define IPV6_FLOWINFO 11 /* linux/in6.h, which glibc's netinet/in.h leaves out */
#endif

/* Takes packets from the engine, back to back into the free room. */
static void fill(struct sctpng_udp *u, uint64_t now)
{
    while (u->out_n < UDP_OUT_PKTS && u->out_cap - u->out_used >= u->cfg.max_packet) {
        struct udp_pkt *p = &u->out_pkt[u->out_n];
        sctpng_eng_path to;
        ssize_t len =
            sctpng_eng_output(u->eng, now, u->out_buf + u->out_used, u->cfg.max_packet, &to);
        if (len <= 0)
            return; /* 0: nothing more; -ENOBUFS: max_packet below the engine's mtu */
        p->alen = udp_addr_to_socket(u, &to.remote, &p->to);
        p->has_src = udp_src_from_engine(u, &to.local, &p->src);
        sctpng_eng_path_qos q;
        sctpng_eng_output_qos(u->eng, &q);
        p->tos = (int16_t)(q.dscp >= 0 ? q.dscp << 2 : -1);
        p->flowlabel = q.flowlabel;
        if (p->alen == 0) {
            u->st.send_errors++; /* no route from this socket's family */
            continue;
        }
        p->off = (uint32_t)u->out_used;
        p->len = (uint32_t)len;
        u->out_used += (size_t)len;
        u->out_n++;
    }
}

static bool same_peer(const struct udp_pkt *a, const struct udp_pkt *b)
{
    return a->alen == b->alen && memcmp(&a->to, &b->to, a->alen) == 0 && a->has_src == b->has_src &&
           (!a->has_src || memcmp(&a->src, &b->src, 16) == 0) && a->tos == b->tos &&
           a->flowlabel == b->flowlabel;
}

/* The source the engine chose (RFC 5061: not an address being deleted),
 * as IP_PKTINFO / IPV6_PKTINFO after the control data so far. */
static size_t put_src(const struct sctpng_udp *u, const struct udp_pkt *p, char *ctl)
{
    struct cmsghdr *c = (struct cmsghdr *)ctl;
    if (u->family == AF_INET) {
        struct in_pktinfo pi = {0};
        memcpy(&pi.ipi_spec_dst, &p->src, 4);
        c->cmsg_level = IPPROTO_IP;
        c->cmsg_type = IP_PKTINFO;
        c->cmsg_len = CMSG_LEN(sizeof(pi));
        memcpy(CMSG_DATA(c), &pi, sizeof(pi));
        return CMSG_SPACE(sizeof(pi));
    }
    struct in6_pktinfo pi = {.ipi6_addr = p->src};
    c->cmsg_level = IPPROTO_IPV6;
    c->cmsg_type = IPV6_PKTINFO;
    c->cmsg_len = CMSG_LEN(sizeof(pi));
    memcpy(CMSG_DATA(c), &pi, sizeof(pi));
    return CMSG_SPACE(sizeof(pi));
}

static size_t put_int(char *ctl, int level, int type, int v)
{
    struct cmsghdr *c = (struct cmsghdr *)ctl;
    c->cmsg_level = level;
    c->cmsg_type = type;
    c->cmsg_len = CMSG_LEN(sizeof(v));
    memcpy(CMSG_DATA(c), &v, sizeof(v));
    return CMSG_SPACE(sizeof(v));
}

/* The path's DSCP and flow label (engine: sctpng_eng_output_qos()) as
 * IP_TOS, or IPV6_TCLASS and IPV6_FLOWINFO; an IPv4 peer of an IPv6
 * socket (v4-mapped) takes IP_TOS, which its IPv4 send path reads. */
static size_t put_qos(const struct udp_pkt *p, char *ctl)
{
    const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)&p->to;
    bool ip6 = p->to.ss_family == AF_INET6 && !IN6_IS_ADDR_V4MAPPED(&v6->sin6_addr);
    size_t used = 0;
    if (p->tos >= 0)
        used += put_int(ctl, ip6 ? IPPROTO_IPV6 : IPPROTO_IP, ip6 ? IPV6_TCLASS : IP_TOS, p->tos);
    if (p->flowlabel >= 0 && ip6)
        used +=
            put_int(ctl + used, IPPROTO_IPV6, IPV6_FLOWINFO, (int)htonl((uint32_t)p->flowlabel));
    return used;
}

/* How many packets from `i` one GSO message can carry: equal sizes to one
 * peer, the last one possibly shorter, contiguous in out_buf (they are:
 * packed in order). */
static unsigned gso_run(const struct sctpng_udp *u, unsigned i)
{
    const struct udp_pkt *first = &u->out_pkt[i];
    unsigned n = 1;
    size_t bytes = first->len;
    while (i + n < u->out_n && n < UDP_GSO_MAX_SEGS) {
        const struct udp_pkt *p = &u->out_pkt[i + n];
        if (p->len > first->len || !same_peer(first, p) || bytes + p->len > UDP_GSO_MAX_BYTES)
            break;
        bytes += p->len;
        n++;
        if (p->len < first->len)
            break; /* a shorter one ends the run */
    }
    return n;
}

/* Message k for the packets [i, i + n). */
static void set_msg(struct sctpng_udp *u, unsigned k, unsigned i, unsigned n)
{
    const struct udp_pkt *p = &u->out_pkt[i];
    size_t bytes = 0;
    for (unsigned j = 0; j < n; j++)
        bytes += u->out_pkt[i + j].len;
    u->out_iov[k] = (struct iovec){.iov_base = u->out_buf + p->off, .iov_len = bytes};
    struct msghdr *h = &u->out_msg[k].msg_hdr;
    memset(h, 0, sizeof(*h));
    h->msg_name = (void *)&p->to;
    h->msg_namelen = p->alen;
    h->msg_iov = &u->out_iov[k];
    h->msg_iovlen = 1;
    u->out_cnt[k] = n;
    char *ctl = u->out_ctl[k].buf;
    size_t used = 0;
    memset(ctl, 0, sizeof(u->out_ctl[k].buf));
    if (n > 1) {
        struct cmsghdr *c = (struct cmsghdr *)ctl;
        c->cmsg_level = SOL_UDP;
        c->cmsg_type = UDP_SEGMENT;
        c->cmsg_len = CMSG_LEN(sizeof(uint16_t));
        uint16_t seg = (uint16_t)p->len;
        memcpy(CMSG_DATA(c), &seg, sizeof(seg));
        used = CMSG_SPACE(sizeof(uint16_t));
    }
    if (p->has_src)
        used += put_src(u, p, ctl + used);
    used += put_qos(p, ctl + used);
    if (used) {
        h->msg_control = ctl;
        h->msg_controllen = used;
    }
}

/* The messages for the packets not yet sent; returns how many. */
static unsigned build(struct sctpng_udp *u, bool gso)
{
    unsigned k = 0;
    for (unsigned i = u->out_head; i < u->out_n; k++) {
        unsigned n = gso ? gso_run(u, i) : 1;
        set_msg(u, k, i, n);
        i += n;
    }
    return k;
}

/* A send failed with an error the socket holds for an ICMP error or a
 * local one (IP_RECVERR): such an error refuses the send it is returned to
 * (even when it is about an earlier datagram), so after reading the queue
 * the packet is tried once more. */
static bool queued_error(int e)
{
    return e == ECONNREFUSED || e == EHOSTUNREACH || e == ENETUNREACH || e == EHOSTDOWN ||
           e == EMSGSIZE || e == EPROTO || e == ENOPROTOOPT || e == EACCES;
}

/* The kernel refused a GSO message: EIO (no checksum offload on the way
 * out) leaves GSO off for good, EINVAL (SO_NO_CHECK, a segment above the
 * path MTU) after a few; the packets go again one per message. */
static void gso_refused(struct sctpng_udp *u, int e)
{
    u->st.gso_fallbacks++;
    if (e == EIO || ++u->gso_fails >= UDP_GSO_MAX_FAILS)
        u->gso = false;
}

static void count_sent(struct sctpng_udp *u, unsigned k)
{
    unsigned n = u->out_cnt[k];
    u->st.pkts_out += n;
    u->st.bytes_out += u->out_iov[k].iov_len;
    if (n > 1) {
        u->st.gso_sends++;
        u->st.gso_segs += n;
    }
    u->out_head += n;
}

/* Sends the packets not yet sent; returns -EAGAIN if the socket is full. */
static int send_pending(struct sctpng_udp *u, int *sent, uint64_t now)
{
    bool retried = false, gso = u->gso;
    while (u->out_head < u->out_n) {
        unsigned nmsg = build(u, gso);
        int r = sendmmsg(u->fd, u->out_msg, nmsg, MSG_DONTWAIT);
        if (r < 0) {
            int e = errno;
            if (e == EINTR)
                continue;
            if (e == EAGAIN || e == EWOULDBLOCK || e == ENOBUFS) {
                u->st.blocked++;
                return -EAGAIN;
            }
            if (u->out_cnt[0] > 1 && (e == EIO || e == EINVAL || e == EMSGSIZE)) {
                gso_refused(u, e);
                gso = false; /* the rest of this flush one packet per message */
                continue;
            }
            if (queued_error(e)) {
                udp_err_read(u, u->out_buf + u->out_pkt[u->out_head].off,
                             u->out_pkt[u->out_head].len, now);
                if (!retried) {
                    retried = true;
                    continue;
                }
            }
            /* This packet cannot go (unreachable, refused, too big): drop it,
             * as the network would, and carry on with the next. */
            u->st.send_errors++;
            u->out_head++;
            retried = false;
            continue;
        }
        retried = false;
        u->st.syscalls_out++;
        for (int k = 0; k < r; k++) {
            *sent += (int)u->out_cnt[k];
            count_sent(u, (unsigned)k);
        }
        /* Stopped short without an error: an error after the first message
         * is not returned (the kernel keeps the count), but its ICMP
         * report waits in the queue. */
        if ((unsigned)r < nmsg)
            u->err_check = true;
    }
    u->out_head = u->out_n = 0;
    u->out_used = 0;
    return 0;
}

int sctpng_udp_flush(sctpng_udp *u, uint64_t now)
{
    int sent = 0;
    for (;;) {
        if (u->out_head == u->out_n) {
            u->out_head = u->out_n = 0;
            u->out_used = 0;
            fill(u, now);
            if (u->out_n == 0)
                return sent;
        }
        if (send_pending(u, &sent, now) < 0)
            return sent;
    }
}
