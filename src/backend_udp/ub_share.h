/*
 * ub_share.h - one UDP socket per local UDP address and port in the
 * process, shared by every UDP-backend endpoint there (RFC 6951: one UDP
 * port per host carries many SCTP ports). See ub_share.c.
 */
#ifndef SCTPNG_BACKEND_UDP_UB_SHARE_H
#define SCTPNG_BACKEND_UDP_UB_SHARE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "udp/udp.h"

struct ub_ep;
struct ub_share;
struct ub_inbox;

/* An endpoint's link to its shared socket (in struct ub_ep). The inbox
 * holds what another endpoint's pump read for this one while it was busy;
 * efd is readable while it is not empty (in every handle's epoll set). */
struct ub_share_link {
    struct ub_share *share; /* NULL before start */
    struct ub_ep *next;     /* in the share's members */
    bool member;            /* its SCTP port is served (ub_share_join) */
    int efd;                /* the inbox's eventfd, -1 before start */
    struct ub_inbox *head, *tail;
    atomic_int n; /* items in the inbox: read without a lock */
};

/* Opens ep->udp on the process's UDP socket bound to cfg->local when
 * there is one (cfg->local's port not 0), else on a new one that others
 * may then share; *first tells which. Not yet a member. Locked. The
 * errors of sctpng_udp_open() / sctpng_udp_open_fd(), eventfd()'s, or
 * -ENOMEM. */
int ub_share_open(struct ub_ep *ep, const sctpng_udp_config *cfg, bool *first);
/* Serves ep->port on the socket: a port of 0 becomes the UDP port for the
 * socket's first endpoint, else a free random one, as does a port bind()
 * chose (ep->port_auto) that another member has. -EADDRINUSE for a port
 * asked for that another endpoint on this socket serves. Locked. */
int ub_share_join(struct ub_ep *ep, bool first);
/* Whether an endpoint on the process's UDP socket for udp_local (or the
 * wildcard one that receives for it) already serves SCTP port `port`, in
 * this thread's network namespace: bind()'s -EADDRINUSE, as the kernel
 * refuses a taken port at bind. */
bool ub_share_port_taken(const struct sockaddr_storage *udp_local, uint16_t port);
/* Leaves the socket and closes ep->udp (NULL allowed); the last one out
 * closes the socket. `locked`: the caller holds ep->lock; otherwise this
 * waits for a pump of another endpoint that is feeding this one. */
void ub_share_close(struct ub_ep *ep, bool locked);
/* Feeds what the inbox holds to the engine; how many items. Locked. */
int ub_share_drain(struct ub_ep *ep, uint64_t now);

/* ub_netns.c: the calling thread's network namespace (the inode of
 * /proc/thread-self/ns/net), 0 when it cannot be read. Part of the share
 * key: a process whose threads enter other namespaces (setns) has a
 * separate UDP socket per namespace. */
uint64_t ub_netns(void);

#endif
