/* socket.c - opening and closing handles; choosing the backend. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "core/env.h"
#include "core/socket.h"

SCTPNG_API void sctpng_socket_opts_init(sctpng_socket_opts *o)
{
    if (!o)
        return;
    memset(o, 0, sizeof(*o));
    o->size = sizeof(*o);
    o->family = AF_INET6;
    o->style = SCTPNG_ONE_TO_ONE;
    o->backend = SCTPNG_BACKEND_AUTO;
}

sctpng_socket *sctpng__socket_new(const struct sctpng_ops *ops, int fd, int style, int family)
{
    sctpng_socket *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    s->ops = ops;
    s->fd = fd;
    s->style = style;
    s->family = family;
    return s;
}

/* Take the caller's options, tolerating a struct from an older (smaller)
 * or newer (larger) header: only the fields both know are read. */
static int copy_opts(sctpng_socket_opts *o, const sctpng_socket_opts *user)
{
    sctpng_socket_opts_init(o);
    if (!user)
        return 0;
    if (user->size < offsetof(sctpng_socket_opts, v6only))
        return -EINVAL;
    size_t n = user->size < sizeof(*o) ? user->size : sizeof(*o);
    memcpy(o, user, n);
    o->size = sizeof(*o);
    if (o->family != AF_INET && o->family != AF_INET6)
        return -EAFNOSUPPORT;
    if (o->style != SCTPNG_ONE_TO_ONE && o->style != SCTPNG_ONE_TO_MANY)
        return -EINVAL;
    if (o->events & ~SCTPNG_EVMASK_ALL)
        return -EINVAL;
    return 0;
}

SCTPNG_API int sctpng_socket_open(sctpng_socket **out, const sctpng_socket_opts *user)
{
    sctpng_socket_opts o;

    if (!out)
        return -EINVAL;
    *out = NULL;
    int err = copy_opts(&o, user);
    if (err)
        return err;
    if (o.backend == SCTPNG_BACKEND_AUTO && (err = sctpng__env_backend(&o.backend, NULL, 0)) < 0)
        return err;
    switch (o.backend) {
    case SCTPNG_BACKEND_AUTO:
        /* The kernel when it has SCTP; the userspace engine over UDP when
         * it says it has none (no module, or a family it lacks). */
        err = sctpng__kernel_open(out, &o);
        if (err == -EPROTONOSUPPORT || err == -ESOCKTNOSUPPORT || err == -EAFNOSUPPORT)
            err = sctpng__udp_open(out, &o);
        return err;
    case SCTPNG_BACKEND_KERNEL:
        return sctpng__kernel_open(out, &o);
    case SCTPNG_BACKEND_UDP:
        return sctpng__udp_open(out, &o);
    default:
        return -EINVAL;
    }
}

SCTPNG_API int sctpng_close(sctpng_socket *s)
{
    if (!s)
        return 0;
    int err = s->ops->close(s);
    free(s);
    return err;
}

SCTPNG_API int sctpng_style(const sctpng_socket *s)
{
    return s ? s->style : -EINVAL;
}

SCTPNG_API int sctpng_backend(const sctpng_socket *s)
{
    return s ? s->ops->backend : -EINVAL;
}

SCTPNG_API int sctpng_fd(const sctpng_socket *s)
{
    return s ? s->fd : -EINVAL;
}
