/* usrsctp_peer: usrsctp (UDP encapsulation) as the other stack of an
 * exchange. usrsctp_init() must have been called with its UDP port. */
#ifndef SCTPNG_INTEROP_USRSCTP_PEER_H
#define SCTPNG_INTEROP_USRSCTP_PEER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "exchange.h"
#include "scenarios.h"

struct socket;

extern const struct peer_ops usrsctp_ops; /* ctx: struct socket * */

/* AUTH on the sockets made after it is set: DATA required authenticated
 * (SCTP_AUTH_CHUNK), key key_id (len bytes) added and active. */
struct usrsctp_peer_auth {
    bool on;
    uint16_t key_id;
    const uint8_t *key;
    size_t len;
};
extern struct usrsctp_peer_auth usrsctp_peer_auth;

/* A non-blocking one-to-one listener on 127.0.0.1:sctp_port. */
struct socket *usrsctp_peer_listen(uint16_t sctp_port);
/* The next accepted association's socket (non-blocking), or NULL. */
struct socket *usrsctp_peer_accept(struct socket *listener);
/* Starts connecting to 127.0.0.1:sctp_port, whose UDP encapsulation port is
 * remote_udp_port. */
struct socket *usrsctp_peer_connect(uint16_t sctp_port, uint16_t remote_udp_port);
/* Closes with an ABORT (SO_LINGER 0). */
void usrsctp_peer_abort(struct socket *so);

/* usrsctp as a backend of the scenarios; its UDP ports are set by
 * usrsctp_env_setup(). */
extern struct backend usrsctp_backend;
/* usrsctp_init() on UDP port `udp_port` (the engine uses udp_port + 1). */
void usrsctp_env_setup(uint16_t udp_port);
/* usrsctp_finish(), waiting up to 5 s for associations still closing. */
void usrsctp_env_teardown(void);

#endif
