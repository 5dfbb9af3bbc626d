/*
 * internal.h - shared by the files of the libsctp compatibility layer.
 * Nothing here is exported from libsctp.so.1 (the version script keeps
 * only the sctp_* API global); the prefix keeps libsctp.a's extra symbols
 * out of programs' way.
 */
#ifndef SCTPNG_COMPAT_INTERNAL_H
#define SCTPNG_COMPAT_INTERNAL_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>

#include <netinet/sctp.h>

/* libsctp's error contract: errno = -err, return -1. */
static inline int compat_fail(int err)
{
    errno = -err;
    return -1;
}

/* Byte length of a packed array of `count` addresses at `addrs` (each
 * sockaddr_in or sockaddr_in6 by its family) into *bytes. Returns 0, or
 * -EINVAL for addrs NULL, count < 1 or an unknown family. */
int sctpng_compat_packed_size(const struct sockaddr *addrs, int count, size_t *bytes);

/* Whether `sd` is a one-to-one (SOCK_STREAM) socket; false when it is not
 * or cannot be told. */
bool sctpng_compat_is_one_to_one(int sd);

#endif
