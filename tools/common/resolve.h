/* resolve.h - host names and numbers to sctpng addresses, for the tools. */
#ifndef SCTPNG_TOOLS_RESOLVE_H
#define SCTPNG_TOOLS_RESOLVE_H

#include <stddef.h>

#include "sctpng.h"

/* Resolve `host` (a name or a numeric address; "[::1]" brackets allowed)
 * with `port` into *out. `family` AF_INET/AF_INET6 restricts the lookup,
 * AF_UNSPEC takes the first answer. Returns 0, or writes a message into
 * err (errlen bytes) and returns -1. */
int resolve_addr(sctpng_addr *out, const char *host, uint16_t port, int family, char *err,
                 size_t errlen);

/* The wildcard address of `family` with `port`. */
sctpng_addr any_addr(int family, uint16_t port);

/* Parse a port number (1..65535, or 0 when allow_zero). -1 if invalid. */
int parse_port(const char *text, int allow_zero);

/* "1.2.3.4:80" for messages (IPv4-mapped IPv6 shown as IPv4); never
 * fails (writes "?" if it must). */
const char *addr_str(const sctpng_addr *a, char *buf, size_t len);

/* " (is SCTP in this kernel? try: modprobe sctp)" after errors that mean
 * the kernel has no SCTP, else "". */
const char *no_sctp_hint(int err);

#endif
