/* kscope.c - kernel backend: one association, the future ones, the current
 * ones or all (SCTP_FUTURE_ASSOC / _CURRENT_ASSOC / _ALL_ASSOC).
 *
 * Not every option takes the kernel's CURRENT and ALL (MAXSEG, RTOINFO,
 * PEER_ADDR_PARAMS and EXPOSE_PF take one id or FUTURE only), so the
 * scopes are worked out here for all of them alike: FUTURE, then each
 * association listed at the start, one call each. */
#include <errno.h>
#include <stdlib.h>

#include "kernel/kscope.h"

/* The current association ids as a malloc'd array; returns the count. */
static int list_ids(sctpng_socket *s, sctpng_assoc_t **out)
{
    *out = NULL;
    for (;;) {
        int n = kernel_get_assoc_ids(s, NULL, 0);
        if (n <= 0)
            return n;
        sctpng_assoc_t *ids = malloc((size_t)n * sizeof(*ids));
        if (!ids)
            return -ENOMEM;
        int m = kernel_get_assoc_ids(s, ids, (size_t)n);
        if (m >= 0 && m <= n) {
            *out = ids;
            return m;
        }
        free(ids);
        if (m < 0)
            return m;
    }
}

static bool still_there(sctpng_socket *s, sctpng_assoc_t id)
{
    sctpng_assoc_t *ids;
    int n = list_ids(s, &ids);
    bool found = false;
    for (int i = 0; i < n && !found; i++)
        found = ids[i] == id;
    free(ids);
    return found;
}

int kscope_each(sctpng_socket *s, sctpng_assoc_t assoc, kscope_fn fn, void *ctx)
{
    if (s->style != SCTPNG_ONE_TO_MANY)
        return fn(s, 0, ctx);
    if (assoc != SCTPNG_ASSOC_CURRENT && assoc != SCTPNG_ASSOC_ALL)
        return fn(s, assoc, ctx);
    if (assoc == SCTPNG_ASSOC_ALL) {
        int err = fn(s, SCTP_FUTURE_ASSOC, ctx);
        if (err)
            return err;
    }
    sctpng_assoc_t *ids;
    int n = list_ids(s, &ids);
    int err = n < 0 ? n : 0;
    for (int i = 0; i < n && !err; i++) {
        err = fn(s, ids[i], ctx);
        /* An association that ended since the list was taken. */
        if (err == -EINVAL && !still_there(s, ids[i]))
            err = 0;
    }
    free(ids);
    return err;
}
