/* socket.c - opening and closing handles; choosing the backend from the
 * list in backends.c. */
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
    size_t size =
        ops->handle_size > sizeof(sctpng_socket) ? ops->handle_size : sizeof(sctpng_socket);
    sctpng_socket *s = calloc(1, size);
    if (!s)
        return NULL;
    s->ops = ops;
    s->fd = fd;
    s->style = style;
    s->family = family;
    return s;
}

void sctpng__socket_free(sctpng_socket *s)
{
    free(s);
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

static const struct sctpng_backend_entry *backend_by_id(int id)
{
    for (const struct sctpng_backend_entry *const *b = sctpng__backends; *b; b++)
        if ((*b)->id == id)
            return *b;
    return NULL;
}

/* A backend's way of saying it cannot work here (no kernel module, or a
 * family it lacks): AUTO moves on to the next. */
static bool unavailable(int err)
{
    return err == -EPROTONOSUPPORT || err == -ESOCKTNOSUPPORT || err == -EAFNOSUPPORT;
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
    if (o.backend != SCTPNG_BACKEND_AUTO) {
        const struct sctpng_backend_entry *b = backend_by_id(o.backend);
        return b ? b->open(out, &o) : -EINVAL;
    }
    err = -EPROTONOSUPPORT;
    for (const struct sctpng_backend_entry *const *b = sctpng__backends; *b; b++) {
        o.backend = (*b)->id;
        err = (*b)->open(out, &o);
        if (!unavailable(err))
            break;
    }
    return err;
}

SCTPNG_API int sctpng_close(sctpng_socket *s)
{
    if (!s)
        return 0;
    int err = s->ops->close(s);
    sctpng__socket_free(s);
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
