/*
 * connectx.c - sctp_connectx in the three versions libsctp.so.1 exports.
 *
 *   sctp_connectx@VERS_1 (and the unversioned base binding): the original
 *       three-argument call, returning 0 on success.
 *   sctp_connectx@VERS_2: four arguments, the association id through *id.
 *   sctp_connectx@@VERS_3 (the default, what programs link against now):
 *       as VERS_2, and the id is also reported for non-blocking sockets.
 *
 * All three go through ksctp_connectx, which uses the newest kernel
 * interface there is (CONNECTX3, else CONNECTX, else CONNECTX_OLD), so the
 * old versions get the newer kernels' behaviour and the new one works on
 * old kernels.
 */
#include "compat/internal.h"
#include "kernel/ksctp.h"

/* The versioned implementations; not in the header, only reachable through
 * the symbol versions below. */
int sctpng_compat_connectx_base(int sd, struct sockaddr *addrs, int addrcnt);
int sctpng_compat_connectx_v1(int sd, struct sockaddr *addrs, int addrcnt);
int sctpng_compat_connectx_v2(int sd, struct sockaddr *addrs, int addrcnt, sctp_assoc_t *id);
int sctpng_compat_connectx_v3(int sd, struct sockaddr *addrs, int addrcnt, sctp_assoc_t *id);

__asm__(".symver sctpng_compat_connectx_base, sctp_connectx@");
__asm__(".symver sctpng_compat_connectx_v1, sctp_connectx@VERS_1");
__asm__(".symver sctpng_compat_connectx_v2, sctp_connectx@VERS_2");
__asm__(".symver sctpng_compat_connectx_v3, sctp_connectx@@VERS_3");

static int connectx(int sd, struct sockaddr *addrs, int addrcnt, sctp_assoc_t *id)
{
    size_t bytes;
    int err = sctpng_compat_packed_size(addrs, addrcnt, &bytes);
    if (err)
        return compat_fail(err);
    /* 0 stays when the kernel cannot report the id (no CONNECTX3 and a
     * non-blocking socket, or only CONNECTX_OLD): see docs/compat.md. */
    sctp_assoc_t got = 0;
    err = ksctp_connectx(sd, addrs, bytes, id ? &got : NULL);
    if (id && (err == 0 || err == -EINPROGRESS))
        *id = got;
    return err ? compat_fail(err) : 0;
}

int sctpng_compat_connectx_base(int sd, struct sockaddr *addrs, int addrcnt)
{
    return connectx(sd, addrs, addrcnt, NULL);
}

int sctpng_compat_connectx_v1(int sd, struct sockaddr *addrs, int addrcnt)
{
    return connectx(sd, addrs, addrcnt, NULL);
}

int sctpng_compat_connectx_v2(int sd, struct sockaddr *addrs, int addrcnt, sctp_assoc_t *id)
{
    return connectx(sd, addrs, addrcnt, id);
}

int sctpng_compat_connectx_v3(int sd, struct sockaddr *addrs, int addrcnt, sctp_assoc_t *id)
{
    return connectx(sd, addrs, addrcnt, id);
}
