/* sctpng_udp: configuration, the socket's life, and accessors. The batched
 * I/O is in udp_io.c, the event loop in udp_loop.c. */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "udp/udp_int.h"

void sctpng_udp_config_init(sctpng_udp_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->size = sizeof(*cfg);
    struct sockaddr_in *sin = (struct sockaddr_in *)&cfg->local;
    sin->sin_family = AF_INET;
    sin->sin_port = htons(SCTPNG_UDP_PORT);
    sin->sin_addr.s_addr = htonl(INADDR_ANY);
    cfg->remote_port = SCTPNG_UDP_PORT;
    cfg->batch = 32;
    cfg->max_packet = 9216;
    cfg->sock_buf = 4 << 20;
    cfg->gso = false; /* opt-in: Linux 6.1 kernel SCTP over UDP on the same host crashes on it */
    cfg->gro = true;
}

static int alloc_buffers(struct sctpng_udp *u)
{
    size_t n = u->cfg.batch;
    u->out_cap = u->cfg.max_packet > UDP_OUT_ARENA ? u->cfg.max_packet : UDP_OUT_ARENA;
    u->out_buf = malloc(u->out_cap);
    u->out_pkt = calloc(UDP_OUT_PKTS, sizeof(*u->out_pkt));
    u->out_msg = calloc(UDP_OUT_PKTS, sizeof(*u->out_msg));
    u->out_iov = calloc(UDP_OUT_PKTS, sizeof(*u->out_iov));
    u->out_cnt = calloc(UDP_OUT_PKTS, sizeof(*u->out_cnt));
    u->out_ctl = calloc(UDP_OUT_PKTS, sizeof(*u->out_ctl));
    u->in_buf = malloc(n * UDP_MAX_DATAGRAM);
    u->in_msg = calloc(n, sizeof(*u->in_msg));
    u->in_iov = calloc(n, sizeof(*u->in_iov));
    u->in_addr = calloc(n, sizeof(*u->in_addr));
    u->in_ctl = calloc(n, sizeof(*u->in_ctl));
    if (!u->out_buf || !u->out_pkt || !u->out_msg || !u->out_iov || !u->out_cnt || !u->out_ctl ||
        !u->in_buf || !u->in_msg || !u->in_iov || !u->in_addr || !u->in_ctl)
        return -ENOMEM;
    udp_in_init(u);
    return 0;
}

/* GSO and GRO where the kernel has them: a socket option it does not know
 * fails (ENOPROTOOPT), and the driver then does without. */
static void offloads(struct sctpng_udp *u)
{
    int zero = 0, one = 1;
    u->gso = u->cfg.gso && setsockopt(u->fd, SOL_UDP, UDP_SEGMENT, &zero, sizeof(zero)) == 0;
    u->gro = u->cfg.gro && setsockopt(u->fd, SOL_UDP, UDP_GRO, &one, sizeof(one)) == 0;
}

static socklen_t addr_len(int family)
{
    return family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
}

static int learn_bound(struct sctpng_udp *u);

static int open_socket(struct sctpng_udp *u)
{
    u->family = u->cfg.local.ss_family;
    if (u->borrowed) { /* a shared socket: set up and bound already */
        int rc = learn_bound(u);
        u->family = u->bound.ss_family;
        /* GSO is per send, ours to choose; GRO is the socket's: whether
         * its buffers come coalesced is what its maker chose. */
        int zero = 0, gro = 0;
        socklen_t len = sizeof(gro);
        u->gso = u->cfg.gso && setsockopt(u->fd, SOL_UDP, UDP_SEGMENT, &zero, sizeof(zero)) == 0;
        u->gro = getsockopt(u->fd, SOL_UDP, UDP_GRO, &gro, &len) == 0 && gro;
        return rc;
    }
    u->fd = socket(u->family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP);
    if (u->fd < 0)
        return -errno;
    if (u->cfg.sock_buf > 0) { /* best effort: the system may cap it */
        setsockopt(u->fd, SOL_SOCKET, SO_SNDBUF, &u->cfg.sock_buf, sizeof(u->cfg.sock_buf));
        setsockopt(u->fd, SOL_SOCKET, SO_RCVBUF, &u->cfg.sock_buf, sizeof(u->cfg.sock_buf));
    }
    int rc = udp_err_enable(u);
    if (rc < 0)
        return rc;
    offloads(u);
    if (bind(u->fd, (const struct sockaddr *)&u->cfg.local, addr_len(u->family)) < 0)
        return -errno;
    return learn_bound(u);
}

/* The bound address, and the engine's local address when definite. */
static int learn_bound(struct sctpng_udp *u)
{
    socklen_t len = sizeof(u->bound);
    if (getsockname(u->fd, (struct sockaddr *)&u->bound, &len) < 0)
        return -errno;
    /* Tell the engine our address only when it is a definite one. */
    struct sockaddr_storage local;
    udp_addr_from_socket(&u->bound, &local);
    const struct sockaddr_in *v4 = (const struct sockaddr_in *)&local;
    const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)&local;
    bool wildcard = (local.ss_family == AF_INET && v4->sin_addr.s_addr == htonl(INADDR_ANY)) ||
                    (local.ss_family == AF_INET6 && IN6_IS_ADDR_UNSPECIFIED(&v6->sin6_addr));
    if (!wildcard)
        u->local_path.local = local;
    return 0;
}

static int open_on(const sctpng_udp_config *cfg, sctpng_eng *eng, int fd, sctpng_udp **out);

int sctpng_udp_open(const sctpng_udp_config *cfg, sctpng_eng *eng, sctpng_udp **out)
{
    return open_on(cfg, eng, -1, out);
}

int sctpng_udp_open_fd(const sctpng_udp_config *cfg, sctpng_eng *eng, int fd, sctpng_udp **out)
{
    if (fd < 0)
        return -EBADF;
    return open_on(cfg, eng, fd, out);
}

/* fd >= 0: a bound socket to borrow, else a new one. */
static int open_on(const sctpng_udp_config *cfg, sctpng_eng *eng, int fd, sctpng_udp **out)
{
    if (!cfg || !out || cfg->size < sizeof(*cfg) || cfg->batch == 0 || cfg->batch > UDP_MAX_BATCH ||
        cfg->max_packet < 12 ||
        (cfg->local.ss_family != AF_INET && cfg->local.ss_family != AF_INET6))
        return -EINVAL;
    struct sctpng_udp *u = calloc(1, sizeof(*u));
    if (!u)
        return -ENOMEM;
    u->cfg = *cfg;
    u->eng = eng;
    u->fd = fd;
    u->borrowed = fd >= 0;
    int rc = alloc_buffers(u);
    if (rc == 0)
        rc = open_socket(u);
    if (rc < 0) {
        sctpng_udp_close(u);
        return rc;
    }
    *out = u;
    return 0;
}

void sctpng_udp_set_engine(sctpng_udp *u, sctpng_eng *eng)
{
    u->eng = eng;
}

void sctpng_udp_close(sctpng_udp *u)
{
    if (!u)
        return;
    if (u->fd >= 0 && !u->borrowed)
        close(u->fd);
    free(u->out_buf);
    free(u->out_pkt);
    free(u->out_msg);
    free(u->out_iov);
    free(u->out_cnt);
    free(u->out_ctl);
    free(u->in_buf);
    free(u->in_msg);
    free(u->in_iov);
    free(u->in_addr);
    free(u->in_ctl);
    free(u);
}

void sctpng_udp_disown_fd(sctpng_udp *u)
{
    u->borrowed = true;
}

void sctpng_udp_set_demux(sctpng_udp *u, const sctpng_udp_demux *d)
{
    u->demux = *d;
}

void sctpng_udp_demux_enable(sctpng_udp *u, bool on)
{
    atomic_store_explicit(&u->demux_on, on && u->demux.packet && u->demux.icmp,
                          memory_order_release);
}

sctpng_eng *sctpng_udp_engine(const sctpng_udp *u)
{
    return u->eng;
}

int sctpng_udp_fd(const sctpng_udp *u)
{
    return u->fd;
}

int sctpng_udp_local_addr(const sctpng_udp *u, struct sockaddr_storage *out)
{
    *out = u->bound;
    return 0;
}

uint16_t sctpng_udp_local_port(const sctpng_udp *u)
{
    const struct sockaddr_storage *b = &u->bound;
    return ntohs(b->ss_family == AF_INET ? ((const struct sockaddr_in *)b)->sin_port
                                         : ((const struct sockaddr_in6 *)b)->sin6_port);
}

uint64_t sctpng_udp_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void sctpng_udp_get_stats(const sctpng_udp *u, sctpng_udp_stats *st)
{
    *st = u->st;
    st->gso_on = u->gso;
    st->gro_on = u->gro;
}
