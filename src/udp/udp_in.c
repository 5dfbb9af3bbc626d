/* sctpng_udp's input: recvmmsg() -> engine, with UDP_GRO's coalesced
 * buffers cut back into their datagrams. */
#include <errno.h>
#include <netinet/udp.h>
#include <string.h>

#include "udp/udp_int.h"

/* The message headers never change but for what recvmmsg writes back
 * (name and control lengths, flags): set once here, reset per use. */
void udp_in_init(struct sctpng_udp *u)
{
    for (unsigned i = 0; i < u->cfg.batch; i++) {
        u->in_iov[i] = (struct iovec){.iov_base = u->in_buf + (size_t)i * UDP_MAX_DATAGRAM,
                                      .iov_len = UDP_MAX_DATAGRAM};
        struct msghdr *h = &u->in_msg[i].msg_hdr;
        memset(h, 0, sizeof(*h));
        h->msg_name = &u->in_addr[i];
        h->msg_iov = &u->in_iov[i];
        h->msg_iovlen = 1;
        h->msg_control = u->in_ctl[i].buf;
    }
    u->in_dirty = u->cfg.batch;
}

static void reset_input(struct sctpng_udp *u)
{
    for (unsigned i = 0; i < u->in_dirty; i++) {
        struct msghdr *h = &u->in_msg[i].msg_hdr;
        h->msg_namelen = sizeof(u->in_addr[i]);
        h->msg_controllen = u->gro ? sizeof(u->in_ctl[i].buf) : 0;
        h->msg_flags = 0;
    }
    u->in_dirty = 0;
}

/* The segment size of a coalesced buffer, or 0. */
static size_t gro_size(const struct msghdr *h)
{
    for (struct cmsghdr *c = CMSG_FIRSTHDR((struct msghdr *)h); c;
         c = CMSG_NXTHDR((struct msghdr *)h, c)) {
        if (c->cmsg_level == SOL_UDP && c->cmsg_type == UDP_GRO &&
            c->cmsg_len >= CMSG_LEN(sizeof(int))) {
            int v;
            memcpy(&v, CMSG_DATA(c), sizeof(v));
            return v > 0 ? (size_t)v : 0;
        }
    }
    return 0;
}

static void input_one(struct sctpng_udp *u, const uint8_t *p, size_t len,
                      const sctpng_eng_path *from, uint64_t now)
{
    u->st.pkts_in++;
    u->st.bytes_in += len;
    if (udp_eng_input(u, p, len, from, now) < 0)
        u->st.engine_drops++;
}

static void deliver(struct sctpng_udp *u, unsigned i, uint64_t now)
{
    const struct mmsghdr *m = &u->in_msg[i];
    if (m->msg_hdr.msg_flags & MSG_TRUNC) {
        u->st.truncated++;
        return;
    }
    sctpng_eng_path from = u->local_path;
    udp_addr_from_socket(&u->in_addr[i], &from.remote);
    const uint8_t *p = u->in_iov[i].iov_base;
    size_t len = m->msg_len, seg = u->gro ? gro_size(&m->msg_hdr) : 0;
    if (!seg || seg >= len) {
        input_one(u, p, len, &from, now);
        return;
    }
    u->st.gro_bufs++;
    for (size_t off = 0; off < len; off += seg) {
        size_t n = len - off < seg ? len - off : seg;
        u->st.gro_segs++;
        input_one(u, p + off, n, &from, now);
    }
}

/* Nothing to read: was it an error in the queue (POLLERR stays up until
 * the queue is read)? Only asked when the caller was woken, and now and
 * then anyway, in case a wake-up went unsaid. */
static void empty_read(struct sctpng_udp *u, uint64_t now)
{
    if (u->err_check || ++u->err_valve >= UDP_ERR_VALVE) {
        u->err_check = false;
        u->err_valve = 0;
        udp_err_read(u, NULL, 0, now);
    }
}

void sctpng_udp_woken(sctpng_udp *u)
{
    u->err_check = true;
}

int sctpng_udp_read(sctpng_udp *u, uint64_t now)
{
    int total = 0;
    /* A bounded number of rounds, so a flood cannot starve our own output. */
    for (int round = 0; round < 16; round++) {
        reset_input(u);
        int r = recvmmsg(u->fd, u->in_msg, u->cfg.batch, MSG_DONTWAIT, NULL);
        if (r < 0) {
            u->in_dirty = 0;
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                if (round == 0)
                    empty_read(u, now);
                break;
            }
            /* A socket error (an ICMP error arrived): read the queue, then
             * the datagrams behind it. */
            if (udp_err_read(u, NULL, 0, now) == 0)
                break;
            continue;
        }
        u->in_dirty = (unsigned)r;
        u->err_check = false; /* woken for these */
        u->st.syscalls_in++;
        for (int i = 0; i < r; i++)
            deliver(u, (unsigned)i, now);
        total += r;
        if ((unsigned)r < u->cfg.batch)
            break;
    }
    return total;
}
