/* sctpng_udp's batched I/O: engine output -> sendmmsg(), recvmmsg() ->
 * engine input. */
#include <errno.h>
#include <string.h>

#include "udp/udp_int.h"

/* Takes packets from the engine into the free output slots. */
static void fill_batch(struct sctpng_udp *u, uint64_t now)
{
    while (u->out_n < u->cfg.batch) {
        unsigned i = u->out_n;
        uint8_t *buf = u->out_buf + (size_t)i * u->cfg.max_packet;
        sctpng_eng_path to;
        ssize_t len = sctpng_eng_output(u->eng, now, buf, u->cfg.max_packet, &to);
        if (len <= 0)
            return; /* 0: nothing more; -ENOBUFS: max_packet below the engine's mtu */
        socklen_t alen = udp_addr_to_socket(u, &to.remote, &u->out_addr[i]);
        if (alen == 0) {
            u->st.send_errors++; /* no route from this socket's family */
            continue;
        }
        u->out_iov[i] = (struct iovec){.iov_base = buf, .iov_len = (size_t)len};
        memset(&u->out_msg[i], 0, sizeof(u->out_msg[i]));
        u->out_msg[i].msg_hdr.msg_name = &u->out_addr[i];
        u->out_msg[i].msg_hdr.msg_namelen = alen;
        u->out_msg[i].msg_hdr.msg_iov = &u->out_iov[i];
        u->out_msg[i].msg_hdr.msg_iovlen = 1;
        u->out_n++;
    }
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

/* Sends the pending slots; returns -EAGAIN if the socket is full. */
static int send_batch(struct sctpng_udp *u, int *sent, uint64_t now)
{
    bool retried = false;
    while (u->out_head < u->out_n) {
        int r = sendmmsg(u->fd, &u->out_msg[u->out_head], u->out_n - u->out_head, MSG_DONTWAIT);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS) {
                u->st.blocked++;
                return -EAGAIN;
            }
            if (queued_error(errno)) {
                const struct iovec *v = &u->out_iov[u->out_head];
                udp_err_read(u, v->iov_base, v->iov_len, now);
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
            u->st.pkts_out++;
            u->st.bytes_out += u->out_msg[u->out_head + (unsigned)k].msg_len;
        }
        u->out_head += (unsigned)r;
        *sent += r;
    }
    u->out_head = u->out_n = 0;
    return 0;
}

int sctpng_udp_flush(sctpng_udp *u, uint64_t now)
{
    int sent = 0;
    for (;;) {
        if (u->out_head == u->out_n) {
            u->out_head = u->out_n = 0;
            fill_batch(u, now);
            if (u->out_n == 0)
                return sent;
        }
        if (send_batch(u, &sent, now) < 0)
            return sent;
    }
}

static void prepare_input(struct sctpng_udp *u)
{
    for (unsigned i = 0; i < u->cfg.batch; i++) {
        u->in_iov[i] = (struct iovec){.iov_base = u->in_buf + (size_t)i * UDP_MAX_DATAGRAM,
                                      .iov_len = UDP_MAX_DATAGRAM};
        memset(&u->in_msg[i], 0, sizeof(u->in_msg[i]));
        u->in_msg[i].msg_hdr.msg_name = &u->in_addr[i];
        u->in_msg[i].msg_hdr.msg_namelen = sizeof(u->in_addr[i]);
        u->in_msg[i].msg_hdr.msg_iov = &u->in_iov[i];
        u->in_msg[i].msg_hdr.msg_iovlen = 1;
    }
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
    u->st.pkts_in++;
    u->st.bytes_in += m->msg_len;
    if (sctpng_eng_input(u->eng, u->in_iov[i].iov_base, m->msg_len, &from, now) < 0)
        u->st.engine_drops++;
}

int sctpng_udp_read(sctpng_udp *u, uint64_t now)
{
    int total = 0;
    /* A bounded number of rounds, so a flood cannot starve our own output. */
    for (int round = 0; round < 16; round++) {
        prepare_input(u);
        int r = recvmmsg(u->fd, u->in_msg, u->cfg.batch, MSG_DONTWAIT, NULL);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                /* Woken with nothing to read: an error may wait in the
                 * queue whose socket error a send took already (POLLERR
                 * stays up until the queue is read). */
                if (round == 0)
                    udp_err_read(u, NULL, 0, now);
                break;
            }
            /* A socket error (an ICMP error arrived): read the queue, then
             * the datagrams behind it. */
            if (udp_err_read(u, NULL, 0, now) == 0)
                break;
            continue;
        }
        u->st.syscalls_in++;
        for (int i = 0; i < r; i++)
            deliver(u, (unsigned)i, now);
        total += r;
        if ((unsigned)r < u->cfg.batch)
            break;
    }
    return total;
}
