/* The public AUTH calls (include/sctpng/engine_auth.h): keys, the chunk
 * list and HMACs, on the endpoint (association 0) or one association. */
#include <errno.h>
#include <string.h>

#include "engine/auth_assoc.h"
#include "engine/check.h"
#include "engine/internal.h"
#include "engine/param.h"

/* *a: the association (NULL for id 0); -ENOENT if there is no such. */
static int target(sctpng_eng *ep, uint32_t id, struct assoc **a)
{
    *a = NULL;
    if (!id)
        return 0;
    *a = ep_find_assoc(ep, id);
    return *a && !(*a)->zombie ? 0 : -ENOENT;
}

int sctpng_eng_auth_set_key(sctpng_eng *ep, uint32_t assoc, uint16_t keynum, const void *key,
                            size_t len)
{
    ENG_CHECK_ON_RETURN(ep);
    struct assoc *a;
    int err = target(ep, assoc, &a);
    if (err)
        return err;
    if (len && !key)
        return -EINVAL;
    return auth_set_key(ep, a, keynum, key, len);
}

static int key_op(sctpng_eng *ep, uint32_t assoc, int op, uint16_t keynum)
{
    struct assoc *a;
    int err = target(ep, assoc, &a);
    return err ? err : auth_key_op(ep, a, op, keynum);
}

int sctpng_eng_auth_activate_key(sctpng_eng *ep, uint32_t assoc, uint16_t keynum)
{
    ENG_CHECK_ON_RETURN(ep);
    return key_op(ep, assoc, AUTH_OP_ACTIVATE, keynum);
}

int sctpng_eng_auth_deactivate_key(sctpng_eng *ep, uint32_t assoc, uint16_t keynum)
{
    ENG_CHECK_ON_RETURN(ep);
    return key_op(ep, assoc, AUTH_OP_DEACTIVATE, keynum);
}

int sctpng_eng_auth_delete_key(sctpng_eng *ep, uint32_t assoc, uint16_t keynum)
{
    ENG_CHECK_ON_RETURN(ep);
    return key_op(ep, assoc, AUTH_OP_DELETE, keynum);
}

int sctpng_eng_auth_get_active_key(sctpng_eng *ep, uint32_t assoc, uint16_t *keynum)
{
    struct assoc *a;
    int err = target(ep, assoc, &a);
    if (err)
        return err;
    if (!keynum)
        return -EINVAL;
    if (!ep->auth || (a && (!a->auth || !a->auth->ready)))
        return -EACCES;
    *keynum = a ? a->auth->active : ep->auth->active;
    return 0;
}

int sctpng_eng_auth_add_chunk(sctpng_eng *ep, uint8_t type)
{
    if (!ep->auth)
        return -EACCES;
    if (!auth_type_allowed(type))
        return -EINVAL;
    struct ep_auth *e = ep->auth;
    if (memchr(e->chunks, type, e->n_chunks))
        return 0;
    if (e->n_chunks >= AUTH_MAX_CHUNKS)
        return -ENOSPC;
    e->chunks[e->n_chunks++] = type;
    return 0;
}

int sctpng_eng_auth_set_hmacs(sctpng_eng *ep, const uint16_t *ids, size_t n)
{
    if (!ep->auth)
        return -EACCES;
    bool sha1 = false;
    if (!ids || !n || n > AUTH_MAX_HMACS)
        return -EINVAL;
    for (size_t i = 0; i < n; i++) {
        if (!auth_hmac_len(ids[i]))
            return -EINVAL;
        sha1 |= ids[i] == AUTH_HMAC_SHA1;
    }
    if (!sha1)
        return -EINVAL;
    memcpy(ep->auth->hmacs, ids, n * sizeof(ids[0]));
    ep->auth->n_hmacs = (uint8_t)n;
    return 0;
}

int sctpng_eng_auth_get_hmacs(sctpng_eng *ep, uint16_t *ids, size_t max)
{
    if (!ep->auth)
        return -EACCES;
    if (max && !ids)
        return -EINVAL;
    for (size_t i = 0; i < ep->auth->n_hmacs && i < max; i++)
        ids[i] = ep->auth->hmacs[i];
    return ep->auth->n_hmacs;
}

/* The types of a set, ascending. */
static int list_types(const struct auth_types *t, uint8_t *types, size_t max)
{
    size_t n = 0;
    for (unsigned i = 0; i < 256; i++)
        if (auth_types_has(t, (uint8_t)i)) {
            if (n < max)
                types[n] = (uint8_t)i;
            n++;
        }
    return (int)n;
}

int sctpng_eng_auth_get_chunks(sctpng_eng *ep, uint32_t assoc, bool peer, uint8_t *types,
                               size_t max)
{
    struct assoc *a;
    int err = target(ep, assoc, &a);
    if (err)
        return err;
    if (max && !types)
        return -EINVAL;
    if (!ep->auth)
        return -EACCES;
    if (!a) {
        if (peer)
            return -EINVAL;
        for (size_t i = 0; i < ep->auth->n_chunks && i < max; i++)
            types[i] = ep->auth->chunks[i];
        return ep->auth->n_chunks;
    }
    if (!a->auth || !a->auth->ready)
        return -EACCES;
    return list_types(peer ? &a->auth->peers : &a->auth->ours, types, max);
}

int sctpng_eng_auth_info(sctpng_eng *ep, uint32_t assoc, uint16_t *hmac, uint64_t *drops)
{
    struct assoc *a;
    int err = target(ep, assoc, &a);
    if (err)
        return err;
    if (!a)
        return -EINVAL;
    if (!a->auth || !a->auth->ready)
        return -EACCES;
    if (hmac)
        *hmac = a->auth->send_hmac;
    if (drops)
        *drops = a->auth->drops;
    return 0;
}

static int asconf_call(sctpng_eng *ep, uint32_t id, uint16_t type,
                       const struct sockaddr_storage *addr, uint64_t now)
{
    struct assoc *a;
    int err = target(ep, id, &a);
    if (!err && !a)
        err = -ENOENT;
    if (err)
        return err;
    if (!addr)
        return -EINVAL;
    err = addip_request(a, type, addr, now);
    ep_touch(a);
    return err;
}

int sctpng_eng_asconf_add_addr(sctpng_eng *ep, uint32_t assoc, const struct sockaddr_storage *addr,
                               uint64_t now)
{
    ENG_CHECK_ON_RETURN(ep);
    return asconf_call(ep, assoc, PT_ADD_IP, addr, now);
}

int sctpng_eng_asconf_del_addr(sctpng_eng *ep, uint32_t assoc, const struct sockaddr_storage *addr,
                               uint64_t now)
{
    ENG_CHECK_ON_RETURN(ep);
    return asconf_call(ep, assoc, PT_DEL_IP, addr, now);
}

int sctpng_eng_asconf_set_peer_primary(sctpng_eng *ep, uint32_t assoc,
                                       const struct sockaddr_storage *addr, uint64_t now)
{
    ENG_CHECK_ON_RETURN(ep);
    return asconf_call(ep, assoc, PT_SET_PRIMARY, addr, now);
}

int sctpng_eng_asconf_status(sctpng_eng *ep, uint32_t assoc, bool *pending, int *result,
                             unsigned *acked)
{
    struct assoc *a;
    int err = target(ep, assoc, &a);
    if (!err && !a)
        err = -ENOENT;
    if (err)
        return err;
    const struct addip *s = (a->ext & EXT_ASCONF) && a->auth ? a->auth->addip : NULL;
    if (!s)
        return -ENOPROTOOPT;
    if (pending)
        *pending = s->outstanding;
    if (result)
        *result = s->last_result;
    if (acked)
        *acked = s->acked;
    return 0;
}

static int local_index(const sctpng_eng *ep, const struct sockaddr_storage *addr)
{
    for (unsigned i = 0; i < ep->n_local; i++)
        if (addr_same_ip(&ep->local_addrs[i], addr))
            return (int)i;
    return -1;
}

int sctpng_eng_add_local_addr(sctpng_eng *ep, const struct sockaddr_storage *addr, uint64_t now)
{
    ENG_CHECK_ON_RETURN(ep);
    if (!addr || !addr_valid(addr) || !ep->n_local)
        return -EINVAL;
    if (local_index(ep, addr) >= 0)
        return 0;
    if (ep->n_local >= SCTPNG_ENG_MAX_LOCAL_ADDRS)
        return -ENOSPC;
    unsigned i = (unsigned)ep->n_local++;
    ep->local_addrs[i] = *addr;
    int err = 0;
    for (struct assoc *a = ep->assocs; a; a = a->next)
        if (!a->zombie) {
            int e = addip_local_added(a, i, now);
            err = err ? err : e;
        }
    return err;
}

int sctpng_eng_del_local_addr(sctpng_eng *ep, const struct sockaddr_storage *addr, uint64_t now)
{
    ENG_CHECK_ON_RETURN(ep);
    if (!addr || !addr_valid(addr))
        return -EINVAL;
    int i = local_index(ep, addr);
    if (i < 0)
        return -EADDRNOTAVAIL;
    if (ep->n_local == 1)
        return -EBUSY; /* as Linux: an endpoint keeps one address */
    /* Each association asks while the slot still names the address. */
    for (struct assoc *a = ep->assocs; a; a = a->next)
        addip_local_deleted(a, (unsigned)i, now);
    memmove(&ep->local_addrs[i], &ep->local_addrs[i + 1],
            (ep->n_local - (size_t)i - 1) * sizeof(ep->local_addrs[0]));
    ep->n_local--;
    return 0;
}

int sctpng_eng_get_local_addrs(const sctpng_eng *ep, uint32_t assoc, struct sockaddr_storage *out,
                               size_t max)
{
    unsigned mask = (1u << ep->n_local) - 1u;
    if (assoc) {
        const struct assoc *a = ep_find_assoc((sctpng_eng *)ep, assoc);
        if (!a)
            return -ENOENT;
        mask = a->lmask;
    }
    size_t n = 0;
    for (unsigned i = 0; i < ep->n_local; i++)
        if (mask & (1u << i)) {
            if (n < max)
                out[n] = ep->local_addrs[i];
            n++;
        }
    return (int)n;
}
