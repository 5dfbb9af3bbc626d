/* kernel_peer: see kernel_peer.h. */
#include "kernel_peer.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/sctp.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* A socket, and whether its non-blocking connect() may still be going on:
 * Linux refuses to send on a one-to-one socket before it is connected
 * (EPIPE), so wait for it to become writable first. */
struct kpeer {
    int fd;
    bool connecting;
};

static int connected(struct kpeer *k)
{
    struct pollfd pfd = {.fd = k->fd, .events = POLLOUT};
    if (poll(&pfd, 1, 0) <= 0)
        return 0;
    int err = 0;
    socklen_t len = sizeof(err);
    if (getsockopt(k->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
        return -errno;
    if (err)
        return -err;
    k->connecting = false;
    return 1;
}

static int k_send(void *ctx, const uint8_t *buf, size_t len, uint16_t stream, uint32_t ppid,
                  bool unordered)
{
    struct kpeer *k = ctx;
    if (k->connecting) {
        int rc = connected(k);
        if (rc <= 0)
            return rc;
    }
    int fd = k->fd;
    char cbuf[CMSG_SPACE(sizeof(struct sctp_sndinfo))];
    memset(cbuf, 0, sizeof(cbuf));
    struct iovec iov = {.iov_base = (void *)buf, .iov_len = len};
    struct msghdr mh = {
        .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf)};
    struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
    c->cmsg_level = IPPROTO_SCTP;
    c->cmsg_type = SCTP_SNDINFO;
    c->cmsg_len = CMSG_LEN(sizeof(struct sctp_sndinfo));
    struct sctp_sndinfo si = {
        .snd_sid = stream, .snd_ppid = htonl(ppid), .snd_flags = unordered ? SCTP_UNORDERED : 0};
    memcpy(CMSG_DATA(c), &si, sizeof(si));
    ssize_t n = sendmsg(fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n >= 0)
        return 1;
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINPROGRESS || errno == ENOTCONN)
        return 0; /* full, or still connecting */
    return -errno;
}

static void rcvinfo(struct msghdr *mh, struct piece_info *pi)
{
    for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
        if (c->cmsg_level != IPPROTO_SCTP || c->cmsg_type != SCTP_RCVINFO)
            continue;
        struct sctp_rcvinfo ri;
        memcpy(&ri, CMSG_DATA(c), sizeof(ri));
        pi->stream = ri.rcv_sid;
        pi->ppid = ntohl(ri.rcv_ppid);
        pi->unordered = (ri.rcv_flags & SCTP_UNORDERED) != 0;
    }
}

static ssize_t k_recv(void *ctx, uint8_t *buf, size_t cap, struct piece_info *pi)
{
    int fd = ((struct kpeer *)ctx)->fd;
    for (;;) {
        char cbuf[CMSG_SPACE(sizeof(struct sctp_rcvinfo)) + 64];
        struct iovec iov = {.iov_base = buf, .iov_len = cap};
        struct msghdr mh = {
            .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf)};
        ssize_t n = recvmsg(fd, &mh, MSG_DONTWAIT);
        if (n < 0)
            return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
        if (n == 0)
            return -EPIPE;
        if (mh.msg_flags & MSG_NOTIFICATION)
            continue; /* none are subscribed; skip any anyway */
        rcvinfo(&mh, pi);
        pi->eor = (mh.msg_flags & MSG_EOR) != 0;
        return n;
    }
}

const struct peer_ops kernel_ops = {.name = "kernel", .send = k_send, .recv = k_recv};

int kernel_set_udp_encap(uint16_t port)
{
    static const char *const files[] = {"/proc/sys/net/sctp/udp_port",
                                        "/proc/sys/net/sctp/encap_port"};
    for (int i = 0; i < 2; i++) {
        FILE *f = fopen(files[i], "w");
        if (!f)
            return -errno;
        int ok = fprintf(f, "%u\n", port) > 0;
        if (fclose(f) != 0 || !ok)
            return -EIO;
    }
    return 0;
}

static struct kpeer *box(int fd, bool connecting)
{
    struct kpeer *k = malloc(sizeof(*k));
    if (!k) {
        close(fd);
        return NULL;
    }
    k->fd = fd;
    k->connecting = connecting;
    return k;
}

static struct sockaddr_in loopback(uint16_t port)
{
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(port)};
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return sin;
}

struct kernel_peer_auth kernel_peer_auth;

static int write_sysctl(const char *path, int value)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -errno;
    int ok = fprintf(f, "%d\n", value) > 0;
    return fclose(f) != 0 || !ok ? -EIO : 0;
}

int kernel_set_auth_enable(bool on)
{
    return write_sysctl("/proc/sys/net/sctp/auth_enable", on);
}

bool kernel_peer_reconf;
uint32_t kernel_peer_adaptation;

static int set_adaptation(int fd)
{
    struct sctp_setadaptation sa = {.ssb_adaptation_ind = kernel_peer_adaptation};
    struct sctp_event ev = {
        .se_assoc_id = SCTP_FUTURE_ASSOC, .se_type = SCTP_ADAPTATION_INDICATION, .se_on = 1};
    return setsockopt(fd, IPPROTO_SCTP, SCTP_ADAPTATION_LAYER, &sa, sizeof(sa)) < 0 ||
                   setsockopt(fd, IPPROTO_SCTP, SCTP_EVENT, &ev, sizeof(ev)) < 0
               ? -1
               : 0;
}

int kernel_set_reconf_enable(bool on)
{
    return write_sysctl("/proc/sys/net/sctp/reconf_enable", on);
}

bool kernel_peer_intl;
int kernel_peer_bufs, kernel_peer_pd_point;

int kernel_set_intl_enable(bool on, int *old)
{
    static const char path[] = "/proc/sys/net/sctp/intl_enable";
    if (old) {
        FILE *f = fopen(path, "r");
        if (!f)
            return -errno;
        int ok = fscanf(f, "%d", old) == 1;
        fclose(f);
        if (!ok)
            return -EIO;
    }
    return write_sysctl(path, on);
}

/* Pieces of several messages may alternate (level 2, which Linux wants
 * before it offers I-DATA), and I-DATA offered. */
static int set_intl(int fd)
{
    const int level = 2;
    struct sctp_assoc_value av = {.assoc_id = SCTP_FUTURE_ASSOC, .assoc_value = 1};
    return setsockopt(fd, IPPROTO_SCTP, SCTP_FRAGMENT_INTERLEAVE, &level, sizeof(level)) < 0 ||
                   setsockopt(fd, IPPROTO_SCTP, SCTP_INTERLEAVING_SUPPORTED, &av, sizeof(av)) < 0
               ? -1
               : 0;
}

int kernel_peer_fd(void *ctx)
{
    return ((struct kpeer *)ctx)->fd;
}

/* Every kind of RE-CONFIG request allowed, its three events subscribed. */
static int set_reconf(int fd)
{
    struct sctp_assoc_value av = {.assoc_id = SCTP_FUTURE_ASSOC,
                                  .assoc_value = SCTP_ENABLE_RESET_STREAM_REQ |
                                                 SCTP_ENABLE_RESET_ASSOC_REQ |
                                                 SCTP_ENABLE_CHANGE_ASSOC_REQ};
    if (setsockopt(fd, IPPROTO_SCTP, SCTP_ENABLE_STREAM_RESET, &av, sizeof(av)) < 0)
        return -1;
    static const uint16_t types[] = {SCTP_STREAM_RESET_EVENT, SCTP_ASSOC_RESET_EVENT,
                                     SCTP_STREAM_CHANGE_EVENT};
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        struct sctp_event ev = {.se_assoc_id = SCTP_FUTURE_ASSOC, .se_type = types[i], .se_on = 1};
        if (setsockopt(fd, IPPROTO_SCTP, SCTP_EVENT, &ev, sizeof(ev)) < 0)
            return -1;
    }
    return 0;
}

/* SCTP_AUTH_CHUNK for DATA (and ABORT), the key, and the key made active. */
static int set_auth(int fd)
{
    const struct kernel_peer_auth *a = &kernel_peer_auth;
    struct sctp_authchunk ch = {.sauth_chunk = 0};
    size_t klen = sizeof(struct sctp_authkey) + a->len;
    struct sctp_authkey *k = calloc(1, klen);
    if (!k)
        return -1;
    k->sca_keynumber = a->key_id;
    k->sca_keylength = (uint16_t)a->len;
    memcpy(k->sca_key, a->key, a->len);
    struct sctp_authkeyid act = {.scact_keynumber = a->key_id};
    struct sctp_authchunk abort_ch = {.sauth_chunk = 6};
    int rc = setsockopt(fd, IPPROTO_SCTP, SCTP_AUTH_CHUNK, &ch, sizeof(ch)) < 0 ||
                     (a->abort && setsockopt(fd, IPPROTO_SCTP, SCTP_AUTH_CHUNK, &abort_ch,
                                             sizeof(abort_ch)) < 0) ||
                     setsockopt(fd, IPPROTO_SCTP, SCTP_AUTH_KEY, k, (socklen_t)klen) < 0 ||
                     setsockopt(fd, IPPROTO_SCTP, SCTP_AUTH_ACTIVE_KEY, &act, sizeof(act)) < 0
                 ? -1
                 : 0;
    if (rc < 0)
        fprintf(stderr, "# kernel AUTH options: %s\n", strerror(errno));
    free(k);
    return rc;
}

static int new_socket(void)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_SCTP);
    if (fd < 0)
        return -1;
    const int on = 1, buf = 1 << 20;
    struct sctp_initmsg im = {.sinit_num_ostreams = 16, .sinit_max_instreams = 16};
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf));
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
    if (kernel_peer_bufs) {
        setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &kernel_peer_bufs, sizeof(kernel_peer_bufs));
        setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &kernel_peer_bufs, sizeof(kernel_peer_bufs));
    }
    if (kernel_peer_pd_point)
        setsockopt(fd, IPPROTO_SCTP, SCTP_PARTIAL_DELIVERY_POINT, &kernel_peer_pd_point,
                   sizeof(kernel_peer_pd_point));
    if (setsockopt(fd, IPPROTO_SCTP, SCTP_RECVRCVINFO, &on, sizeof(on)) < 0 ||
        setsockopt(fd, IPPROTO_SCTP, SCTP_INITMSG, &im, sizeof(im)) < 0 ||
        setsockopt(fd, IPPROTO_SCTP, SCTP_NODELAY, &on, sizeof(on)) < 0 ||
        (kernel_peer_auth.on && set_auth(fd) < 0) || (kernel_peer_reconf && set_reconf(fd) < 0) ||
        (kernel_peer_adaptation && set_adaptation(fd) < 0) ||
        (kernel_peer_intl && set_intl(fd) < 0)) {
        perror("kernel socket options");
        close(fd);
        return -1;
    }
    return fd;
}

void *kernel_peer_listen(uint16_t sctp_port)
{
    int fd = new_socket();
    struct sockaddr_in sin = loopback(sctp_port);
    if (fd >= 0 && (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 || listen(fd, 4) < 0)) {
        perror("kernel listener");
        close(fd);
        return NULL;
    }
    return fd < 0 ? NULL : box(fd, false);
}

void *kernel_peer_accept(void *listener)
{
    int fd = accept4(((struct kpeer *)listener)->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    return fd < 0 ? NULL : box(fd, false);
}

void *kernel_peer_connect(uint16_t sctp_port, uint16_t udp_port)
{
    int fd = new_socket();
    if (fd < 0)
        return NULL;
    struct sctp_udpencaps enc;
    memset(&enc, 0, sizeof(enc));
    enc.sue_assoc_id = SCTP_FUTURE_ASSOC;
    enc.sue_port = htons(udp_port);
    struct sockaddr_in sin = loopback(sctp_port);
    if (setsockopt(fd, IPPROTO_SCTP, SCTP_REMOTE_UDP_ENCAPS_PORT, &enc, sizeof(enc)) < 0 ||
        (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 && errno != EINPROGRESS)) {
        perror("kernel connect");
        close(fd);
        return NULL;
    }
    return box(fd, true);
}

int kernel_peer_shutdown(void *ctx)
{
    return shutdown(((struct kpeer *)ctx)->fd, SHUT_WR) < 0 ? -errno : 0;
}

void kernel_peer_abort(void *ctx)
{
    struct linger l = {.l_onoff = 1, .l_linger = 0}; /* close with ABORT */
    setsockopt(((struct kpeer *)ctx)->fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
    kernel_peer_close(ctx);
}

bool kernel_peer_closed(void *ctx)
{
    struct sctp_status st;
    socklen_t len = sizeof(st);
    memset(&st, 0, sizeof(st));
    if (getsockopt(((struct kpeer *)ctx)->fd, IPPROTO_SCTP, SCTP_STATUS, &st, &len) < 0)
        return true; /* no association any more */
    return st.sstat_state == SCTP_CLOSED;
}

void kernel_peer_close(void *ctx)
{
    if (!ctx)
        return;
    close(((struct kpeer *)ctx)->fd);
    free(ctx);
}
