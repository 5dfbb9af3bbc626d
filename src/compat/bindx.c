/* bindx.c - sctp_bindx: add or remove local addresses. */
#include "compat/internal.h"
#include "kernel/ksctp.h"

int sctp_bindx(int sd, struct sockaddr *addrs, int addrcnt, int flags)
{
    if (flags != SCTP_BINDX_ADD_ADDR && flags != SCTP_BINDX_REM_ADDR)
        return compat_fail(-EINVAL);
    size_t bytes;
    int err = sctpng_compat_packed_size(addrs, addrcnt, &bytes);
    if (!err)
        err = ksctp_bindx(sd, addrs, bytes, flags == SCTP_BINDX_ADD_ADDR);
    /* The kernel refuses to remove an endpoint's last address (or one from
     * an unbound socket) with EBUSY; the manual page promises EINVAL. */
    if (err == -EBUSY && flags == SCTP_BINDX_REM_ADDR)
        err = -EINVAL;
    return err ? compat_fail(err) : 0;
}
