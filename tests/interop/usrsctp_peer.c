/* usrsctp as the other stack of an exchange: peer_ops over a non-blocking
 * one-to-one usrsctp socket using UDP encapsulation. */
#include "usrsctp_peer.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <usrsctp.h>

static int u_send(void *ctx, const uint8_t *buf, size_t len, uint16_t stream, uint32_t ppid,
                  bool unordered)
{
    struct sctp_sndinfo si;
    memset(&si, 0, sizeof(si));
    si.snd_sid = stream;
    si.snd_ppid = htonl(ppid); /* PPIDs travel in network order */
    si.snd_flags = unordered ? SCTP_UNORDERED : 0;
    ssize_t n = usrsctp_sendv(ctx, buf, len, NULL, 0, &si, sizeof(si), SCTP_SENDV_SNDINFO, 0);
    if (n >= 0)
        return 1;
    if (errno == EWOULDBLOCK || errno == EAGAIN || errno == ENOTCONN)
        return 0; /* full, or still connecting */
    return -errno;
}

static ssize_t u_recv(void *ctx, uint8_t *buf, size_t cap, struct piece_info *pi)
{
    for (;;) {
        struct sctp_rcvinfo ri;
        struct sockaddr_storage from;
        socklen_t fromlen = sizeof(from), infolen = sizeof(ri);
        unsigned int infotype = 0;
        int flags = 0;
        memset(&ri, 0, sizeof(ri));
        ssize_t n = usrsctp_recvv(ctx, buf, cap, (struct sockaddr *)&from, &fromlen, &ri, &infolen,
                                  &infotype, &flags);
        if (n < 0)
            return errno == EWOULDBLOCK || errno == EAGAIN ? 0 : -errno;
        if (n == 0)
            return -EPIPE;
        if (flags & MSG_NOTIFICATION)
            continue;
        pi->stream = ri.rcv_sid;
        pi->ppid = ntohl(ri.rcv_ppid);
        pi->unordered = (ri.rcv_flags & SCTP_UNORDERED) != 0;
        pi->eor = (flags & MSG_EOR) != 0;
        return n;
    }
}

const struct peer_ops usrsctp_ops = {.name = "usrsctp", .send = u_send, .recv = u_recv};

struct usrsctp_peer_auth usrsctp_peer_auth;

static int set_auth(struct socket *so)
{
    const struct usrsctp_peer_auth *a = &usrsctp_peer_auth;
    struct sctp_authchunk ch = {.sauth_chunk = 0};
    size_t klen = sizeof(struct sctp_authkey) + a->len;
    struct sctp_authkey *k = calloc(1, klen);
    if (!k)
        return -1;
    k->sca_keynumber = a->key_id;
    k->sca_keylength = (uint16_t)a->len;
    memcpy(k->sca_key, a->key, a->len);
    struct sctp_authkeyid act = {.scact_keynumber = a->key_id};
    int rc =
        usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_AUTH_CHUNK, &ch, sizeof(ch)) < 0 ||
                usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_AUTH_KEY, k, (socklen_t)klen) < 0 ||
                usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_AUTH_ACTIVE_KEY, &act, sizeof(act)) < 0
            ? -1
            : 0;
    free(k);
    return rc;
}

static struct socket *new_socket(void)
{
    struct socket *so = usrsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0, NULL);
    if (!so)
        return NULL;
    const int on = 1;
    struct sctp_initmsg im;
    memset(&im, 0, sizeof(im));
    im.sinit_num_ostreams = 16;
    im.sinit_max_instreams = 16;
    if (usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_RECVRCVINFO, &on, sizeof(on)) < 0 ||
        usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_INITMSG, &im, sizeof(im)) < 0 ||
        usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_NODELAY, &on, sizeof(on)) < 0 ||
        usrsctp_set_non_blocking(so, 1) < 0 || (usrsctp_peer_auth.on && set_auth(so) < 0)) {
        usrsctp_close(so);
        return NULL;
    }
    return so;
}

static struct sockaddr_in loopback(uint16_t port)
{
    struct sockaddr_in sin;
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_port = htons(port);
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return sin;
}

struct socket *usrsctp_peer_listen(uint16_t sctp_port)
{
    struct socket *so = new_socket();
    struct sockaddr_in sin = loopback(sctp_port);
    if (so &&
        (usrsctp_bind(so, (struct sockaddr *)&sin, sizeof(sin)) < 0 || usrsctp_listen(so, 4) < 0)) {
        usrsctp_close(so);
        return NULL;
    }
    return so;
}

struct socket *usrsctp_peer_accept(struct socket *listener)
{
    struct socket *so = usrsctp_accept(listener, NULL, NULL);
    if (so)
        usrsctp_set_non_blocking(so, 1);
    return so;
}

struct socket *usrsctp_peer_connect(uint16_t sctp_port, uint16_t remote_udp_port)
{
    struct socket *so = new_socket();
    if (!so)
        return NULL;
    struct sctp_udpencaps enc;
    memset(&enc, 0, sizeof(enc));
    enc.sue_assoc_id = SCTP_FUTURE_ASSOC;
    enc.sue_port = htons(remote_udp_port);
    struct sockaddr_in sin = loopback(sctp_port);
    if (usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_REMOTE_UDP_ENCAPS_PORT, &enc, sizeof(enc)) < 0 ||
        (usrsctp_connect(so, (struct sockaddr *)&sin, sizeof(sin)) < 0 && errno != EINPROGRESS)) {
        usrsctp_close(so);
        return NULL;
    }
    return so;
}

void usrsctp_peer_abort(struct socket *so)
{
    struct linger l = {.l_onoff = 1, .l_linger = 0}; /* close with ABORT */
    usrsctp_setsockopt(so, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
    usrsctp_close(so);
}

static void *b_listen(uint16_t port)
{
    return usrsctp_peer_listen(port);
}

static void *b_accept(void *listener)
{
    return usrsctp_peer_accept(listener);
}

static void *b_connect(uint16_t port, uint16_t udp_port)
{
    return usrsctp_peer_connect(port, udp_port);
}

static int b_shutdown(void *ctx)
{
    return usrsctp_shutdown(ctx, SHUT_WR) < 0 ? -errno : 0;
}

static void b_abort(void *ctx)
{
    usrsctp_peer_abort(ctx);
}

static void b_close(void *ctx)
{
    if (ctx)
        usrsctp_close(ctx);
}

struct backend usrsctp_backend = {
    .name = "usrsctp",
    .ops = &usrsctp_ops,
    .listen = b_listen,
    .accept = b_accept,
    .connect = b_connect,
    .shutdown = b_shutdown,
    .abort = b_abort,
    .close = b_close,
    .timeout_s = 120,
};

void usrsctp_env_setup(uint16_t udp_port)
{
    usrsctp_backend.peer_udp_port = udp_port;
    usrsctp_backend.engine_udp_port = (uint16_t)(udp_port + 1);
    usrsctp_init(udp_port, NULL, NULL);
}

void usrsctp_env_teardown(void)
{
    for (int i = 0; i < 50 && usrsctp_finish() != 0; i++)
        usleep(100000); /* associations still closing */
}
