/* kscope.h - applying a setting to one association or a scope of them. */
#ifndef SCTPNG_KERNEL_KSCOPE_H
#define SCTPNG_KERNEL_KSCOPE_H

#include "kernel/kernel.h"
#include "kernel/ksctp.h"

/* Does one kernel call for association id `id` (SCTP_FUTURE_ASSOC, a real
 * id, or 0 on one-to-one sockets). */
typedef int (*kscope_fn)(sctpng_socket *s, sctp_assoc_t id, void *ctx);

/* Call `fn` for what `assoc` names: one-to-one sockets once with 0; a
 * real id or FUTURE once with it; CURRENT for each association open now;
 * ALL for FUTURE and then each. Stops at the first error (an association
 * that ended meanwhile is skipped). */
int kscope_each(sctpng_socket *s, sctpng_assoc_t assoc, kscope_fn fn, void *ctx);

/* The id for "the socket's default": FUTURE on one-to-many, else 0. */
static inline sctp_assoc_t kscope_future(const sctpng_socket *s)
{
    return s->style == SCTPNG_ONE_TO_MANY ? SCTP_FUTURE_ASSOC : 0;
}

#endif
