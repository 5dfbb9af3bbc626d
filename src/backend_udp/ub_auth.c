/* ub_auth.c - AUTH (RFC 4895) on the UDP backend: the calls of
 * <sctpng/extensions.h> with the kernel backend's shapes, handed to the
 * engine (include/sctpng/engine_auth.h). Until the engine starts, the
 * endpoint's keys, chunk list and HMACs wait here and are given to it
 * when it does (ub_auth_start). Scopes as Linux: a one-to-one socket
 * with an association reaches that association, else the endpoint;
 * one-to-many: an id, SCTPNG_ASSOC_FUTURE (the endpoint), CURRENT (each
 * association of the socket) or ALL (both). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "backend_udp/ub.h"

struct ub_key {
    struct ub_key *next;
    uint16_t id;
    bool deactivated;
    size_t len;
    uint8_t k[];
};

struct ub_auth {
    uint8_t chunks[32];
    size_t nchunks;
    uint16_t hmacs[4];
    size_t nhmacs;
    uint16_t active;
    struct ub_key *keys; /* key 0 (empty) from the start */
};

static void keys_free(struct ub_key *k)
{
    while (k) {
        struct ub_key *n = k->next;
        free(k);
        k = n;
    }
}

void ub_auth_free(struct ub_ep *ep)
{
    if (!ep->auth)
        return;
    keys_free(ep->auth->keys);
    free(ep->auth);
    ep->auth = NULL;
}

static struct ub_key **key_slot(struct ub_auth *a, uint16_t id)
{
    struct ub_key **pp = &a->keys;
    while (*pp && (*pp)->id != id)
        pp = &(*pp)->next;
    return pp;
}

static int pend_set_key(struct ub_auth *a, uint16_t id, const void *key, size_t len)
{
    struct ub_key *n = calloc(1, sizeof(*n) + len);
    if (!n)
        return -ENOMEM;
    n->id = id;
    n->len = len;
    if (len)
        memcpy(n->k, key, len);
    struct ub_key **pp = key_slot(a, id);
    if (*pp) {
        n->next = (*pp)->next;
        free(*pp);
    }
    *pp = n;
    return 0;
}

/* With ep->lock held (ub_setopt): SCTPNG_OPT_AUTH_SUPPORTED. */
int ub_auth_enable(struct ub_ep *ep, bool on)
{
    if (ep->eng)
        return -EBUSY;
    if (on && !ep->auth) {
        static const uint16_t dflt[] = {SCTPNG_HMAC_SHA256, SCTPNG_HMAC_SHA1};
        ep->auth = calloc(1, sizeof(*ep->auth));
        if (!ep->auth)
            return -ENOMEM;
        memcpy(ep->auth->hmacs, dflt, sizeof(dflt));
        ep->auth->nhmacs = 2;
        if (pend_set_key(ep->auth, 0, NULL, 0) < 0) {
            ub_auth_free(ep);
            return -ENOMEM;
        }
    }
    if (!on)
        ub_auth_free(ep);
    ep->cfg.auth = on;
    return 0;
}

/* Engine configuration at its start (the arrays stay ours). */
void ub_auth_config(struct ub_ep *ep, sctpng_eng_config *cfg)
{
    if (!ep->auth)
        return;
    cfg->auth = true;
    cfg->auth_chunks = ep->auth->chunks;
    cfg->n_auth_chunks = ep->auth->nchunks;
    cfg->auth_hmacs = ep->auth->hmacs;
    cfg->n_auth_hmacs = ep->auth->nhmacs;
}

/* The engine started: the endpoint's keys go to it. */
int ub_auth_start(struct ub_ep *ep)
{
    if (!ep->auth)
        return 0;
    int err = 0;
    for (struct ub_key *k = ep->auth->keys; k && !err; k = k->next)
        err = sctpng_eng_auth_set_key(ep->eng, 0, k->id, k->k, k->len);
    if (!err)
        err = sctpng_eng_auth_activate_key(ep->eng, 0, ep->auth->active);
    for (struct ub_key *k = ep->auth->keys; k && !err; k = k->next)
        if (k->deactivated)
            err = sctpng_eng_auth_deactivate_key(ep->eng, 0, k->id);
    if (!err && !key_slot(ep->auth, 0)[0])
        err = sctpng_eng_auth_delete_key(ep->eng, 0, 0);
    return err;
}

/* One key action on the endpoint before the engine starts: the engine's
 * rules (engine_auth.h). */
static int pend_key(struct ub_auth *a, int action, uint16_t id, const void *key, size_t len)
{
    if (action == SCTPNG_AUTHK_SET)
        return pend_set_key(a, id, key, len);
    struct ub_key **pp = key_slot(a, id);
    if (!*pp || (action == SCTPNG_AUTHK_ACTIVATE && (*pp)->deactivated))
        return -EINVAL;
    if (action == SCTPNG_AUTHK_ACTIVATE) {
        a->active = id;
        return 0;
    }
    if (id == a->active)
        return -EINVAL;
    if (action == SCTPNG_AUTHK_DEACTIVATE) {
        (*pp)->deactivated = true;
        return 0;
    }
    struct ub_key *k = *pp;
    *pp = k->next;
    free(k);
    return 0;
}

/* One key action on engine association id (0: the endpoint). */
static int eng_key(sctpng_eng *eng, uint32_t id, int action, uint16_t keynum, const void *key,
                   size_t len)
{
    int err;
    switch (action) {
    case SCTPNG_AUTHK_SET:
        err = sctpng_eng_auth_set_key(eng, id, keynum, key, len);
        break;
    case SCTPNG_AUTHK_ACTIVATE:
        err = sctpng_eng_auth_activate_key(eng, id, keynum);
        break;
    case SCTPNG_AUTHK_DEACTIVATE:
        err = sctpng_eng_auth_deactivate_key(eng, id, keynum);
        break;
    default:
        err = sctpng_eng_auth_delete_key(eng, id, keynum);
        break;
    }
    return err == -ENOENT ? -EINVAL : err;
}

static int ep_key(struct ub_ep *ep, int action, uint16_t keynum, const void *key, size_t len)
{
    if (ep->eng)
        return eng_key(ep->eng, 0, action, keynum, key, len);
    return pend_key(ep->auth, action, keynum, key, len);
}

static bool has_assoc(const struct ub_sock *h, uint32_t id)
{
    for (size_t i = 0; i < h->nassocs; i++)
        if (h->assocs[i].id == id)
            return true;
    return false;
}

static int key_locked(struct ub_sock *h, sctpng_assoc_t assoc, int action, uint16_t keynum,
                      const void *key, size_t len)
{
    struct ub_ep *ep = h->ep;
    if (!ep->cfg.auth)
        return -EACCES;
    if (h->base.style == SCTPNG_ONE_TO_ONE)
        return h->assoc && ep->eng ? eng_key(ep->eng, h->assoc, action, keynum, key, len)
                                   : ep_key(ep, action, keynum, key, len);
    if (assoc == SCTPNG_ASSOC_FUTURE)
        return ep_key(ep, action, keynum, key, len);
    if (assoc != SCTPNG_ASSOC_CURRENT && assoc != SCTPNG_ASSOC_ALL)
        return has_assoc(h, (uint32_t)assoc) && ep->eng
                   ? eng_key(ep->eng, (uint32_t)assoc, action, keynum, key, len)
                   : -EINVAL;
    int err = assoc == SCTPNG_ASSOC_ALL ? ep_key(ep, action, keynum, key, len) : 0;
    for (size_t i = 0; i < h->nassocs && !err && ep->eng; i++)
        err = eng_key(ep->eng, h->assocs[i].id, action, keynum, key, len);
    return err;
}

int ub_auth_key(sctpng_socket *s, sctpng_assoc_t assoc, int action, uint16_t keynum,
                const void *key, size_t len)
{
    struct ub_sock *h = ub(s);
    pthread_mutex_lock(&h->ep->lock);
    int err = key_locked(h, assoc, action, keynum, key, len);
    pthread_mutex_unlock(&h->ep->lock);
    return err;
}

/* The engine association a get names: 0 for the endpoint, -1 for none. */
static int64_t get_target(const struct ub_sock *h, sctpng_assoc_t assoc)
{
    if (h->base.style == SCTPNG_ONE_TO_ONE)
        return h->assoc && h->ep->eng ? h->assoc : 0;
    if (assoc == SCTPNG_ASSOC_FUTURE)
        return 0;
    if (assoc == SCTPNG_ASSOC_CURRENT || assoc == SCTPNG_ASSOC_ALL)
        return -1;
    return has_assoc(h, (uint32_t)assoc) && h->ep->eng ? (int64_t)assoc : -1;
}

int ub_auth_get_active_key(sctpng_socket *s, sctpng_assoc_t assoc, uint16_t *keynum)
{
    struct ub_sock *h = ub(s);
    struct ub_ep *ep = h->ep;
    pthread_mutex_lock(&ep->lock);
    int64_t id = get_target(h, assoc);
    int err = !ep->cfg.auth ? -EACCES : id < 0 ? -EINVAL : 0;
    if (!err && ep->eng)
        err = sctpng_eng_auth_get_active_key(ep->eng, (uint32_t)id, keynum);
    else if (!err)
        *keynum = ep->auth->active;
    pthread_mutex_unlock(&ep->lock);
    return err == -ENOENT ? -EINVAL : err;
}

int ub_auth_add_chunk(sctpng_socket *s, uint8_t type)
{
    struct ub_sock *h = ub(s);
    struct ub_ep *ep = h->ep;
    int err = 0;
    pthread_mutex_lock(&ep->lock);
    if (!ep->cfg.auth)
        err = -EACCES;
    else if (ep->eng)
        err = sctpng_eng_auth_add_chunk(ep->eng, type);
    else if (type == 1 || type == 2 || type == 14 || type == 15) /* never authenticated */
        err = -EINVAL;
    else if (!memchr(ep->auth->chunks, type, ep->auth->nchunks)) {
        if (ep->auth->nchunks < sizeof(ep->auth->chunks))
            ep->auth->chunks[ep->auth->nchunks++] = type;
        else
            err = -ENOSPC;
    }
    pthread_mutex_unlock(&ep->lock);
    return err;
}

int ub_auth_set_hmacs(sctpng_socket *s, const uint16_t *ids, size_t n)
{
    struct ub_sock *h = ub(s);
    struct ub_ep *ep = h->ep;
    int err = 0;
    pthread_mutex_lock(&ep->lock);
    if (!ep->cfg.auth)
        err = -EACCES;
    else if (ep->eng)
        err = sctpng_eng_auth_set_hmacs(ep->eng, ids, n);
    else {
        bool sha1 = false;
        err = n && n <= 4 ? 0 : -EINVAL;
        for (size_t i = 0; i < n && !err; i++) {
            sha1 |= ids[i] == SCTPNG_HMAC_SHA1;
            if (ids[i] != SCTPNG_HMAC_SHA1 && ids[i] != SCTPNG_HMAC_SHA256)
                err = -EINVAL;
        }
        if (!err && !sha1)
            err = -EINVAL;
        if (!err) {
            memcpy(ep->auth->hmacs, ids, n * sizeof(ids[0]));
            ep->auth->nhmacs = n;
        }
    }
    pthread_mutex_unlock(&ep->lock);
    return err;
}

int ub_auth_get_hmacs(sctpng_socket *s, uint16_t *ids, size_t max)
{
    struct ub_sock *h = ub(s);
    struct ub_ep *ep = h->ep;
    int err;
    pthread_mutex_lock(&ep->lock);
    if (!ep->cfg.auth)
        err = -EACCES;
    else if (ep->eng)
        err = sctpng_eng_auth_get_hmacs(ep->eng, ids, max);
    else {
        for (size_t i = 0; i < ep->auth->nhmacs && i < max; i++)
            ids[i] = ep->auth->hmacs[i];
        err = (int)ep->auth->nhmacs;
    }
    pthread_mutex_unlock(&ep->lock);
    return err;
}

int ub_auth_get_chunks(sctpng_socket *s, sctpng_assoc_t assoc, bool peer, uint8_t *types,
                       size_t max)
{
    struct ub_sock *h = ub(s);
    struct ub_ep *ep = h->ep;
    int err;
    pthread_mutex_lock(&ep->lock);
    int64_t id = get_target(h, assoc);
    if (!ep->cfg.auth)
        err = -EACCES;
    else if (id < 0 || (peer && id == 0))
        err = -EINVAL;
    else if (ep->eng)
        err = sctpng_eng_auth_get_chunks(ep->eng, (uint32_t)id, peer, types, max);
    else {
        for (size_t i = 0; i < ep->auth->nchunks && i < max; i++)
            types[i] = ep->auth->chunks[i];
        err = (int)ep->auth->nchunks;
    }
    pthread_mutex_unlock(&ep->lock);
    return err == -ENOENT ? -EINVAL : err;
}
