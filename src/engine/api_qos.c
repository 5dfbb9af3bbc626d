/* DSCP and IPv6 flow label per path (sctpng_eng_set_path_qos), with the
 * scopes of Linux's SPP_DSCP and SPP_IPV6_FLOWLABEL: a path, an
 * association (its paths and those it learns later), the endpoint (later
 * associations and its stateless replies). The engine only keeps them:
 * the caller's driver writes them into each packet's IP header. */
#include <errno.h>

#include "engine/check.h"
#include "engine/internal.h"

static bool qos_valid(const sctpng_eng_path_qos *q)
{
    return q && q->dscp >= -1 && q->dscp <= 63 && q->flowlabel >= -1 &&
           q->flowlabel <= (int32_t)QOS_FL_MASK;
}

/* `w` with the values of `q` that are set; the label only if `v6`. */
static uint32_t qos_merge(uint32_t w, const sctpng_eng_path_qos *q, bool v6)
{
    if (q->dscp >= 0)
        w = (w & ~(0x3fu << QOS_DSCP_SHIFT)) | QOS_DSCP_SET | (uint32_t)q->dscp << QOS_DSCP_SHIFT;
    if (q->flowlabel >= 0 && v6)
        w = (w & ~QOS_FL_MASK) | QOS_FL_SET | (uint32_t)q->flowlabel;
    return w;
}

static void qos_public(uint32_t w, sctpng_eng_path_qos *q)
{
    q->dscp = (w & QOS_DSCP_SET) ? (int32_t)((w >> QOS_DSCP_SHIFT) & 0x3f) : -1;
    q->flowlabel = (w & QOS_FL_SET) ? (int32_t)(w & QOS_FL_MASK) : -1;
}

static struct assoc *qos_assoc(const sctpng_eng *ep, uint32_t id, int32_t index, int *err)
{
    struct assoc *a = ep_find_assoc((struct sctpng_eng *)ep, id);
    *err = 0;
    if (!a || a->zombie)
        *err = -ENOENT;
    else if (index < -1 || index >= (int32_t)a->n_paths)
        *err = -ERANGE;
    return *err ? NULL : a;
}

int sctpng_eng_set_path_qos(sctpng_eng *ep, uint32_t id, int32_t index,
                            const sctpng_eng_path_qos *q)
{
    ENG_CHECK_ON_RETURN(ep);
    if (!qos_valid(q))
        return -EINVAL;
    if (id == 0) {
        ep->qos = qos_merge(ep->qos, q, true);
        return 0;
    }
    int err;
    struct assoc *a = qos_assoc(ep, id, index, &err);
    if (!a)
        return err;
    if (index < 0)
        a->qos = qos_merge(a->qos, q, true); /* for IPv6 paths learned later */
    for (unsigned i = 0; i < a->n_paths; i++) {
        struct path *p = &a->paths[i];
        if (index < 0 || (unsigned)index == i)
            p->qos = qos_merge(p->qos, q, p->addr.sa.sa_family == AF_INET6);
    }
    return 0;
}

int sctpng_eng_get_path_qos(const sctpng_eng *ep, uint32_t id, int32_t index,
                            sctpng_eng_path_qos *q)
{
    if (!ep || !q)
        return -EINVAL;
    if (id == 0) {
        qos_public(ep->qos, q);
        return 0;
    }
    int err;
    const struct assoc *a = qos_assoc(ep, id, index, &err);
    if (!a)
        return err;
    qos_public(index < 0 ? a->qos : a->paths[index].qos, q);
    return 0;
}

void sctpng_eng_output_qos(const sctpng_eng *ep, sctpng_eng_path_qos *q)
{
    qos_public(ep->out_qos, q);
}
