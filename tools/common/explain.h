/* explain.h - messages for the tools that name the real problem behind a
 * failed call: which UDP port is taken, which address the host lacks,
 * which stream count or buffer size a send ran into, which environment
 * variable is wrong; and the start-up line that says which backend runs. */
#ifndef SCTPNG_TOOLS_EXPLAIN_H
#define SCTPNG_TOOLS_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>

#include "sctpng.h"

/* Checks the library's environment variables; on a wrong one prints
 * "PROG: SCTPNG_UDP_PORT=abc is not ..." and returns -1, else 0. */
int explain_env(const char *prog);

/* "backend kernel", or "backend udp, UDP port 9899 (peers at UDP port
 * 9899)" for socket `s` (the port read back once it is bound). */
const char *explain_backend(sctpng_socket *s, char *buf, size_t len);

/* Why bind() or listen() of `local` (n addresses) failed with `err`:
 * the UDP port in use and how to pick another, an address this host does
 * not have, or the plain error text. */
const char *explain_bind(sctpng_socket *s, const sctpng_addr *local, size_t n, int err, char *buf,
                         size_t len);

/* Why a send of `msglen` bytes with `si` failed: a stream beyond the
 * association's count (and the count), a message larger than the send
 * buffer (and `sndbuf_flag`, the tool's option that raises it), or the
 * plain error text. */
const char *explain_send(sctpng_socket *s, const sctpng_sndinfo *si, size_t msglen, int err,
                         const char *sndbuf_flag, char *buf, size_t len);

#endif
