/* kcmsg.h - the control messages of one SCTP send or receive, shared by
 * the one-message calls (kio.c) and the batch calls (kbatch.c). */
#ifndef SCTPNG_KERNEL_KCMSG_H
#define SCTPNG_KERNEL_KCMSG_H

#include <sys/socket.h>

#include "kernel/ksctp.h"

/* Room for the two control messages a send may carry. */
union send_cmsgs {
    char buf[CMSG_SPACE(sizeof(struct sctp_sndinfo)) + CMSG_SPACE(sizeof(struct sctp_prinfo))];
    struct cmsghdr align;
};

/* Room for RCVINFO and NXTINFO together. */
union recv_cmsgs {
    char buf[CMSG_SPACE(sizeof(struct sctp_rcvinfo)) + CMSG_SPACE(sizeof(struct sctp_nxtinfo))];
    struct cmsghdr align;
};

/* Point the control part of `m` at `cm` and fill it from `info` (nothing
 * when info is NULL: the kernel then uses the socket's defaults). */
void kio_build_send_cmsgs(struct msghdr *m, union send_cmsgs *cm, const sctpng_sndinfo *info);

/* Fill `info` for one received piece of `n` bytes in `buf`; decodes a
 * notification in place. Returns n or a negative code (-EBADMSG). */
ssize_t kio_finish_recv(struct msghdr *m, ssize_t n, const void *buf, sctpng_rcvinfo *info);

#endif
