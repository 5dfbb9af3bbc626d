/* kpathnum.c - kernel backend: per-path numbers kept by newer kernels, the
 * remote UDP encapsulation port (RFC 6951, Linux 5.11+) and the PLPMTUD
 * probe interval (RFC 8899, Linux 5.12+). Both options share one shape:
 * an association id, a peer address (wildcard: the association or the
 * socket's default) and the value. */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "kernel/kscope.h"

struct path_req {
    int which;               /* SCTPNG_PATH_* */
    const sctpng_addr *peer; /* NULL: the association or the default */
    uint32_t value;
};

static void fill_peer(struct sockaddr_storage *dst, const sctpng_addr *peer)
{
    memset(dst, 0, sizeof(*dst));
    if (peer && peer->sa.sa_family != AF_UNSPEC)
        memcpy(dst, peer, sctpng_addr_len(peer));
}

static int set_cb(sctpng_socket *s, sctp_assoc_t id, void *ctx)
{
    const struct path_req *r = ctx;
    if (r->which == SCTPNG_PATH_UDP_PORT) {
        struct sctp_udpencaps e = {.sue_assoc_id = id};
        fill_peer(&e.sue_address, r->peer);
        e.sue_port = htons((uint16_t)r->value); /* the kernel keeps it as on the wire */
        return ksctp_setopt(s->fd, SCTP_REMOTE_UDP_ENCAPS_PORT, &e, sizeof(e));
    }
    struct sctp_probeinterval p = {.spi_assoc_id = id, .spi_interval = r->value};
    fill_peer(&p.spi_address, r->peer);
    return ksctp_setopt(s->fd, SCTP_PLPMTUD_PROBE_INTERVAL, &p, sizeof(p));
}

static int get_one(sctpng_socket *s, sctp_assoc_t id, struct path_req *r)
{
    socklen_t len;
    int err;
    if (r->which == SCTPNG_PATH_UDP_PORT) {
        struct sctp_udpencaps e = {.sue_assoc_id = id};
        fill_peer(&e.sue_address, r->peer);
        len = sizeof(e);
        err = ksctp_getopt(s->fd, SCTP_REMOTE_UDP_ENCAPS_PORT, &e, &len);
        r->value = ntohs(e.sue_port);
        return err;
    }
    struct sctp_probeinterval p = {.spi_assoc_id = id};
    fill_peer(&p.spi_address, r->peer);
    len = sizeof(p);
    err = ksctp_getopt(s->fd, SCTP_PLPMTUD_PROBE_INTERVAL, &p, &len);
    r->value = p.spi_interval;
    return err;
}

/* A port is 16 bits; the kernel checks the interval itself (0, or at
 * least SCTP_PROBE_TIMER_MIN) so that its own rule is the one reported. */
static int check_value(const struct path_req *r)
{
    return r->which == SCTPNG_PATH_UDP_PORT && r->value > 0xffff ? -EINVAL : 0;
}

int kernel_path_u32(sctpng_socket *s, int which, bool set, sctpng_assoc_t assoc,
                    const sctpng_addr *peer, uint32_t *value)
{
    struct path_req r = {.which = which, .peer = peer, .value = set ? *value : 0};
    bool many = s->style == SCTPNG_ONE_TO_MANY;
    bool scope = assoc == SCTPNG_ASSOC_CURRENT || assoc == SCTPNG_ASSOC_ALL;
    if (which != SCTPNG_PATH_UDP_PORT && which != SCTPNG_PATH_PROBE_INTERVAL)
        return -EINVAL;
    /* One path is named by its address (an id, if given, must agree); the
     * scopes name several associations, which one address cannot. */
    if (many && scope && (peer || !set))
        return -EINVAL;
    sctp_assoc_t id = many ? (sctp_assoc_t)assoc : 0;
    if (!set) {
        int err = get_one(s, id, &r);
        if (!err)
            *value = r.value;
        return err;
    }
    int err = check_value(&r);
    if (err)
        return err;
    return peer ? set_cb(s, id, &r) : kscope_each(s, assoc, set_cb, &r);
}
