/* kernel_peer: Linux kernel SCTP (UDP encapsulation on) as the other stack
 * of an exchange, through one-to-one sockets on 127.0.0.1, non-blocking,
 * with plain system calls (no libsctp). */
#ifndef SCTPNG_INTEROP_KERNEL_PEER_H
#define SCTPNG_INTEROP_KERNEL_PEER_H

#include <stdbool.h>
#include <stdint.h>

#include "exchange.h"

/* ctx: the sockets made by the functions below. */
extern const struct peer_ops kernel_ops;

/* Writes `port` to /proc/sys/net/sctp/udp_port and encap_port. 0 or -errno. */
int kernel_set_udp_encap(uint16_t port);

/* AUTH on the sockets made after it is set: DATA required authenticated
 * (SCTP_AUTH_CHUNK), key key_id (len bytes) added and active. The host's
 * net.sctp.auth_enable must be 1 (kernel_set_auth_enable). */
struct kernel_peer_auth {
    bool on;
    bool abort; /* ABORT required authenticated too */
    uint16_t key_id;
    const uint8_t *key;
    size_t len;
};
extern struct kernel_peer_auth kernel_peer_auth;
/* Writes /proc/sys/net/sctp/auth_enable. 0 or -errno. */
int kernel_set_auth_enable(bool on);

/* RE-CONFIG on the sockets made after it is set: every kind of request
 * enabled (SCTP_ENABLE_STREAM_RESET) and the STREAM_RESET, ASSOC_RESET
 * and STREAM_CHANGE events subscribed. The host's net.sctp.reconf_enable
 * must be 1 (kernel_set_reconf_enable). */
extern bool kernel_peer_reconf;
/* RFC 5061 Adaptation Layer Indication sent by the sockets made after it
 * is set (SCTP_ADAPTATION_LAYER; 0: none), and the peer's subscribed
 * (SCTP_ADAPTATION_INDICATION). */
extern uint32_t kernel_peer_adaptation;
/* Writes /proc/sys/net/sctp/reconf_enable. 0 or -errno. */
int kernel_set_reconf_enable(bool on);
/* I-DATA (RFC 8260) on the sockets made after it is set:
 * SCTP_FRAGMENT_INTERLEAVE 2 (pieces of several messages alternate) and
 * SCTP_INTERLEAVING_SUPPORTED. The host's net.sctp.intl_enable must be 1
 * (kernel_set_intl_enable). */
extern bool kernel_peer_intl;
/* Writes /proc/sys/net/sctp/intl_enable; *old (if not NULL) gets the
 * value it had. 0 or -errno. */
int kernel_set_intl_enable(bool on, int *old);
/* Socket buffers (SO_SNDBUFFORCE / SO_RCVBUFFORCE, bytes; 0: 1 MiB asked
 * as SO_SNDBUF / SO_RCVBUF, which net.core.*mem_max caps) and the partial
 * delivery point (SCTP_PARTIAL_DELIVERY_POINT; 0: the kernel's) of the
 * sockets made after they are set. */
extern int kernel_peer_bufs, kernel_peer_pd_point;
/* The socket of ctx, for tests that talk to it directly. */
int kernel_peer_fd(void *ctx);

void *kernel_peer_listen(uint16_t sctp_port);
void *kernel_peer_accept(void *listener);
/* Connects to 127.0.0.1:sctp_port, telling the kernel that the peer's UDP
 * encapsulation port is udp_port (SCTP_REMOTE_UDP_ENCAPS_PORT). */
void *kernel_peer_connect(uint16_t sctp_port, uint16_t udp_port);
int kernel_peer_shutdown(void *ctx);
void kernel_peer_abort(void *ctx);
void kernel_peer_close(void *ctx);
/* True once the socket's association is gone: after a shutdown(SHUT_WR)
 * Linux gives the closing side no end of file. */
bool kernel_peer_closed(void *ctx);

#endif
