/* ub_pcap.c - SCTPNG_PCAP=FILE: the endpoint's packets written to FILE
 * (<sctpng/pcap.h>) through the engine's packet tap.
 *
 * Each endpoint has a writer of its own on the file: records are appended
 * whole (one write(2) each to an O_APPEND file), so the sockets of one
 * process, and several processes, can share one file with no lock and no
 * state shared between endpoints.
 *
 * A UDP socket bound to the wildcard address does not know which local
 * address a packet used, and the engine then says AF_UNSPEC. The capture
 * wants a real one, so the tap asks the routing table (connect(2) on a
 * spare UDP socket, then getsockname) once per peer address and keeps the
 * answer in a small cache: no system call per packet after the first. */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sctpng/pcap.h>

#include "backend_udp/ub.h"
#include "core/env.h"

#define UB_PCAP_CACHE 8

struct ub_pcap {
    sctpng_pcap *w;
    struct {
        struct sockaddr_storage peer, local; /* local AF_UNSPEC: no route */
    } cache[UB_PCAP_CACHE];
    unsigned n, next; /* entries used; the one to replace next */
};

int ub_pcap_open(struct ub_pcap **out)
{
    *out = NULL;
    const char *path = sctpng__env_pcap();
    if (!path)
        return 0;
    struct ub_pcap *p = calloc(1, sizeof(*p));
    if (!p)
        return -ENOMEM;
    int err = sctpng_pcap_open(&p->w, path);
    if (err) {
        free(p);
        return err;
    }
    *out = p;
    return 0;
}

void ub_pcap_close(struct ub_pcap *p)
{
    if (!p)
        return;
    sctpng_pcap_close(p->w);
    free(p);
}

static bool same_ip(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
    if (a->ss_family != b->ss_family)
        return false;
    if (a->ss_family == AF_INET)
        return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
               ((const struct sockaddr_in *)b)->sin_addr.s_addr;
    return memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
                  &((const struct sockaddr_in6 *)b)->sin6_addr, sizeof(struct in6_addr)) == 0;
}

/* The source address the system would use towards `peer`; AF_UNSPEC if
 * it has no route. connect() on a UDP socket sends nothing. */
static void route_local(const struct sockaddr_storage *peer, struct sockaddr_storage *out)
{
    memset(out, 0, sizeof(*out));
    struct sockaddr_storage to = *peer;
    socklen_t alen =
        peer->ss_family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
    if (peer->ss_family == AF_INET)
        ((struct sockaddr_in *)&to)->sin_port = htons(SCTPNG_UDP_PORT);
    else
        ((struct sockaddr_in6 *)&to)->sin6_port = htons(SCTPNG_UDP_PORT);
    int fd = socket(peer->ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return;
    socklen_t len = sizeof(*out);
    if (connect(fd, (const struct sockaddr *)&to, alen) < 0 ||
        getsockname(fd, (struct sockaddr *)out, &len) < 0)
        memset(out, 0, sizeof(*out));
    close(fd);
}

static const struct sockaddr_storage *local_of(struct ub_pcap *p, const sctpng_eng_path *path)
{
    if (path->local.ss_family != AF_UNSPEC)
        return &path->local;
    for (unsigned i = 0; i < p->n; i++)
        if (same_ip(&p->cache[i].peer, &path->remote))
            return &p->cache[i].local;
    unsigned i = p->n < UB_PCAP_CACHE ? p->n++ : p->next++ % UB_PCAP_CACHE;
    p->cache[i].peer = path->remote;
    route_local(&path->remote, &p->cache[i].local);
    return &p->cache[i].local;
}

/* The tap: called by the engine, so under ep->lock like the cache. */
static void tap(void *ctx, sctpng_eng_dir dir, const uint8_t *pkt, size_t len,
                const sctpng_eng_path *path, uint64_t now)
{
    struct ub_pcap *p = ctx;
    const struct sockaddr_storage *local = local_of(p, path);
    (void)now; /* monotonic; the record gets the wall clock */
    if (dir == SCTPNG_ENG_DIR_IN)
        sctpng_pcap_write(p->w, pkt, len, &path->remote, local, NULL);
    else
        sctpng_pcap_write(p->w, pkt, len, local, &path->remote, NULL);
}

void ub_pcap_attach(struct ub_pcap *p, sctpng_eng *eng)
{
    if (p)
        sctpng_eng_set_packet_tap(eng, tap, p);
}
