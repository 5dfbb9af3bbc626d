/* relay: see relay.h. */
#include "relay.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static struct sockaddr_in loopback(uint16_t port)
{
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(port)};
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return sin;
}

static int udp_socket(uint16_t *port)
{
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    struct sockaddr_in sin = loopback(0);
    socklen_t len = sizeof(sin);
    const int buf = 4 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof(buf));
    setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &buf, sizeof(buf));
    if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
        getsockname(fd, (struct sockaddr *)&sin, &len) < 0) {
        int e = -errno;
        close(fd);
        return e;
    }
    *port = ntohs(sin.sin_port);
    return fd;
}

int relay_open(struct relay *r, uint16_t kernel_udp, uint16_t engine_udp)
{
    memset(r, 0, sizeof(*r));
    r->kernel_udp = kernel_udp;
    r->engine_udp = engine_udp;
    r->e_fd = udp_socket(&r->e_port);
    if (r->e_fd < 0)
        return r->e_fd;
    r->k_fd = udp_socket(&r->k_port);
    if (r->k_fd < 0) {
        close(r->e_fd);
        return r->k_fd;
    }
    return 0;
}

void relay_close(struct relay *r)
{
    if (r->e_fd > 0)
        close(r->e_fd);
    if (r->k_fd > 0)
        close(r->k_fd);
    r->e_fd = r->k_fd = -1;
}

/* Everything waiting on `from` goes out of `to` to 127.0.0.1:port. */
static void forward(struct relay *r, int from, int to, uint16_t port, bool to_kernel)
{
    static uint8_t buf[65536];
    struct sockaddr_in dst = loopback(port);
    ssize_t n;
    while ((n = recv(from, buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
        if (r->drop && r->drop(r, buf, (size_t)n, to_kernel)) {
            r->dropped++;
            continue;
        }
        r->passed++;
        sendto(to, buf, (size_t)n, 0, (struct sockaddr *)&dst, sizeof(dst));
    }
}

void relay_pump(struct relay *r)
{
    forward(r, r->e_fd, r->k_fd, r->kernel_udp, true);
    forward(r, r->k_fd, r->e_fd, r->engine_udp, false);
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint16_t be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

bool relay_each_data(const uint8_t *pkt, size_t len,
                     bool (*fn)(void *ctx, const struct relay_data *d), void *ctx)
{
    size_t off = 12; /* the SCTP common header */
    while (off + 4 <= len) {
        uint8_t type = pkt[off];
        size_t clen = be16(pkt + off + 2);
        if (clen < 4 || off + clen > len)
            return false;
        if ((type == 0 && clen >= 16) || (type == 64 && clen >= 20)) {
            struct relay_data d = {.flags = pkt[off + 1],
                                   .tsn = be32(pkt + off + 4),
                                   .sid = be16(pkt + off + 8),
                                   .idata = type == 64};
            d.mid = d.idata ? be32(pkt + off + 12) : be16(pkt + off + 10);
            if (d.idata && !(d.flags & 0x02))
                d.fsn = be32(pkt + off + 16);
            if (fn(ctx, &d))
                return true;
        }
        off += (clen + 3) & ~(size_t)3;
    }
    return false;
}
