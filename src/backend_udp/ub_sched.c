/* ub_sched.c - stream schedulers on the UDP backend: SCTPNG_OPT_SCHEDULER
 * and the per-stream values, handed to the engine. As on Linux, a
 * one-to-one socket with an association sets that association's; any
 * other socket sets the choice for associations set up later and, on
 * one-to-many sockets, that of every association it has. */
#include <errno.h>

#include "backend_udp/ub.h"

/* With ep->lock held (ub_setopt). */
int ub_set_scheduler(struct ub_sock *h, int value)
{
    if (value < SCTPNG_SCHED_FCFS || value > SCTPNG_SCHED_WFQ)
        return -EINVAL;
    sctpng_eng *eng = h->ep->eng;
    if (h->base.style == SCTPNG_ONE_TO_ONE && h->assoc)
        return eng ? sctpng_eng_set_scheduler(eng, h->assoc, value) : -EINVAL;
    h->ep->cfg.scheduler = (uint8_t)value; /* the engine made later, if none yet */
    if (!eng)
        return 0;
    sctpng_eng_set_scheduler(eng, 0, value);
    for (size_t i = 0; i < h->nassocs; i++)
        sctpng_eng_set_scheduler(eng, h->assocs[i].id, value);
    return 0;
}

/* With ep->lock held (ub_getopt). */
int ub_get_scheduler(struct ub_sock *h, int *value)
{
    sctpng_eng *eng = h->ep->eng;
    if (h->base.style == SCTPNG_ONE_TO_ONE && h->assoc && eng)
        return sctpng_eng_get_scheduler(eng, h->assoc, value);
    *value = h->ep->cfg.scheduler;
    return 0;
}

/* The association a per-stream call names: one-to-one sockets their own
 * (assoc ignored); one-to-many an id of theirs. SCTPNG_ASSOC_CURRENT names
 * none here: as on Linux, a set with it reaches every association of the
 * socket (ub_set_stream_sched) and a get with it is -EINVAL. */
static uint32_t stream_assoc(struct ub_sock *h, sctpng_assoc_t assoc)
{
    if (h->base.style == SCTPNG_ONE_TO_ONE)
        return h->assoc;
    for (size_t i = 0; i < h->nassocs; i++)
        if (h->assocs[i].id == (uint32_t)assoc)
            return h->assocs[i].id;
    return 0;
}

/* With ep->lock held: every association of a one-to-many socket. */
static int set_value_current(struct ub_sock *h, uint16_t stream, uint16_t value)
{
    int err = h->nassocs && h->ep->eng ? 0 : -EINVAL;
    for (size_t i = 0; !err && i < h->nassocs; i++)
        err = sctpng_eng_set_stream_value(h->ep->eng, h->assocs[i].id, stream, value);
    return err;
}

int ub_set_stream_sched(sctpng_socket *s, sctpng_assoc_t assoc, uint16_t stream, uint16_t value)
{
    struct ub_sock *h = ub(s);
    pthread_mutex_lock(&h->ep->lock);
    uint32_t id = stream_assoc(h, assoc);
    int err;
    if (!id && h->base.style == SCTPNG_ONE_TO_MANY && assoc == SCTPNG_ASSOC_CURRENT)
        err = set_value_current(h, stream, value);
    else
        err =
            id && h->ep->eng ? sctpng_eng_set_stream_value(h->ep->eng, id, stream, value) : -EINVAL;
    pthread_mutex_unlock(&h->ep->lock);
    return err == -ENOENT ? -EINVAL : err;
}

int ub_get_stream_sched(sctpng_socket *s, sctpng_assoc_t assoc, uint16_t stream, uint16_t *value)
{
    struct ub_sock *h = ub(s);
    pthread_mutex_lock(&h->ep->lock);
    uint32_t id = stream_assoc(h, assoc);
    int err =
        id && h->ep->eng ? sctpng_eng_get_stream_value(h->ep->eng, id, stream, value) : -EINVAL;
    pthread_mutex_unlock(&h->ep->lock);
    return err == -ENOENT ? -EINVAL : err;
}
