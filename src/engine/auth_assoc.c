/* AUTH (RFC 4895) state: keys, the chunk lists, verification of received
 * AUTH chunks and signing of our packets. */
#include "engine/auth_assoc.h"

#include <errno.h>
#include <string.h>

#include "engine/internal.h"
#include "engine/param.h"
#include "engine/wire.h"

static struct akey *key_find(struct akey *k, uint16_t id)
{
    while (k && k->id != id)
        k = k->next;
    return k;
}

static void keys_free(struct mem_acct *m, struct akey **head)
{
    while (*head) {
        struct akey *n = (*head)->next;
        mem_free(m, *head);
        *head = n;
    }
}

/* Adds or replaces key id: len bytes, copied from k unless it is NULL. */
static struct akey *key_put(struct mem_acct *m, struct akey **head, uint16_t id, const uint8_t *k,
                            size_t len)
{
    struct akey *n = mem_alloc(m, sizeof(*n) + len);
    if (!n)
        return NULL;
    n->id = id;
    n->len = (uint32_t)len;
    if (len && k)
        memcpy(n->k, k, len);
    for (struct akey **pp = head; *pp; pp = &(*pp)->next)
        if ((*pp)->id == id) {
            struct akey *old = *pp;
            n->next = old->next;
            *pp = n;
            mem_free(m, old);
            return n;
        }
    n->next = *head;
    *head = n;
    return n;
}

int auth_ep_init(struct sctpng_eng *ep)
{
    static const uint16_t dflt[] = {AUTH_HMAC_SHA256, AUTH_HMAC_SHA1};
    const sctpng_eng_config *c = &ep->cfg;
    if (!c->auth)
        return 0;
    struct ep_auth *e = mem_alloc(&ep->mem, sizeof(*e));
    if (!e)
        return -ENOMEM;
    ep->auth = e;
    const uint16_t *h = c->n_auth_hmacs ? c->auth_hmacs : dflt;
    size_t nh = c->n_auth_hmacs ? c->n_auth_hmacs : 2;
    bool sha1 = false;
    if (nh > AUTH_MAX_HMACS || c->n_auth_chunks > AUTH_MAX_CHUNKS)
        return -EINVAL;
    for (size_t i = 0; i < nh; i++) {
        if (!auth_hmac_len(h[i]))
            return -EINVAL;
        sha1 |= h[i] == AUTH_HMAC_SHA1;
        e->hmacs[e->n_hmacs++] = h[i];
    }
    for (size_t i = 0; i < c->n_auth_chunks; i++) {
        if (!auth_type_allowed(c->auth_chunks[i]))
            return -EINVAL;
        if (!memchr(e->chunks, c->auth_chunks[i], e->n_chunks))
            e->chunks[e->n_chunks++] = c->auth_chunks[i];
    }
    if (!sha1)
        return -EINVAL;
    /* RFC 5061 4.1.1: ASCONF and ASCONF-ACK are always authenticated */
    for (unsigned i = 0; c->asconf && i < 2; i++)
        if (!memchr(e->chunks, i ? 0x80 : 0xC1, e->n_chunks) && e->n_chunks < AUTH_MAX_CHUNKS)
            e->chunks[e->n_chunks++] = i ? 0x80 : 0xC1;
    return key_put(&ep->mem, &e->keys, 0, NULL, 0) ? 0 : -ENOMEM; /* key 0, empty */
}

void auth_ep_free(struct sctpng_eng *ep)
{
    if (!ep->auth)
        return;
    keys_free(&ep->mem, &ep->auth->keys);
    mem_free(&ep->mem, ep->auth);
    ep->auth = NULL;
}

int auth_new_local_vec(struct sctpng_eng *ep, uint8_t *vec, size_t cap)
{
    const struct ep_auth *e = ep->auth;
    uint8_t rnd[AUTH_RANDOM_LEN];
    if (!e)
        return -1;
    for (unsigned i = 0; i < AUTH_RANDOM_LEN; i += 4)
        put32(rnd + i, ep_random32(ep));
    return auth_vec_build(rnd, sizeof(rnd), e->chunks, e->n_chunks, e->hmacs, e->n_hmacs, vec, cap);
}

int auth_assoc_start(struct assoc *a)
{
    if (!a->ep->auth)
        return 0;
    if (!a->auth && !(a->auth = mem_alloc(&a->ep->mem, sizeof(*a->auth))))
        return -ENOMEM;
    int n = auth_new_local_vec(a->ep, a->auth->local_vec, AUTH_VEC_MAX);
    if (n < 0)
        return -EINVAL;
    a->auth->local_len = (uint8_t)n;
    a->auth->ready = false;
    return 0;
}

/* The association's shared key for endpoint key k. */
static int derive(struct assoc *a, const struct akey *k)
{
    struct assoc_auth *s = a->auth;
    size_t len = k->len + s->local_len + s->peer_len;
    struct akey *n = key_put(&a->ep->mem, &s->keys, k->id, NULL, len);
    if (!n)
        return -ENOMEM;
    auth_assoc_key(k->k, k->len, s->local_vec, s->local_len, s->peer_vec, s->peer_len, n->k, len);
    n->deactivated = k->deactivated;
    return 0;
}

int auth_assoc_setup(struct assoc *a, const uint8_t *lvec, size_t llen, const uint8_t *pvec,
                     size_t plen)
{
    struct sctpng_eng *ep = a->ep;
    if (!(a->ext & EXT_AUTH) || !ep->auth) {
        auth_assoc_free(a);
        return 0;
    }
    if (!a->auth && !(a->auth = mem_alloc(&ep->mem, sizeof(*a->auth))))
        return -ENOMEM;
    struct assoc_auth *s = a->auth;
    keys_free(&ep->mem, &s->keys);
    if (lvec) {
        if (llen > AUTH_VEC_MAX)
            return -EINVAL;
        memcpy(s->local_vec, lvec, llen);
        s->local_len = (uint8_t)llen;
    }
    uint16_t ph[AUTH_MAX_HMACS], oh[AUTH_MAX_HMACS];
    unsigned np, no;
    if (plen > AUTH_VEC_MAX || !s->local_len ||
        auth_vec_parse(pvec, plen, &s->peers, ph, &np) < 0 ||
        auth_vec_parse(s->local_vec, s->local_len, &s->ours, oh, &no) < 0)
        return -EINVAL;
    memcpy(s->peer_vec, pvec, plen);
    s->peer_len = (uint8_t)plen;
    memcpy(s->our_hmacs, oh, sizeof(oh));
    s->n_our_hmacs = (uint8_t)no;
    s->send_hmac = ph[0]; /* np > 0: the parser found one we have (SHA-1 at least) */
    s->active = ep->auth->active;
    s->peer_key_seen = false;
    for (const struct akey *k = ep->auth->keys; k; k = k->next)
        if (derive(a, k) < 0)
            return -ENOMEM;
    s->ready = true;
    return 0;
}

void auth_assoc_free(struct assoc *a)
{
    if (!a->auth)
        return;
    keys_free(&a->ep->mem, &a->auth->keys);
    mem_free(&a->ep->mem, a->auth->addip);
    mem_free(&a->ep->mem, a->auth);
    a->auth = NULL;
}

int auth_asconf_setup(struct assoc *a, uint32_t peer_itsn)
{
    struct assoc_auth *s = a->auth;
    if (!(a->ext & EXT_AUTH) || !s || !auth_types_has(&s->peers, 0xC1) ||
        !auth_types_has(&s->peers, 0x80))
        a->ext &= ~(uint32_t)EXT_ASCONF; /* RFC 5061 4.1.1: only authenticated */
    if (!(a->ext & EXT_ASCONF)) {
        timer_stop(&a->tm, TMR_ASCONF);
        if (s) {
            mem_free(&a->ep->mem, s->addip);
            s->addip = NULL;
        }
        return 0;
    }
    if (!s->addip && !(s->addip = mem_alloc(&a->ep->mem, sizeof(*s->addip))))
        return -ENOMEM;
    memset(s->addip, 0, sizeof(*s->addip)); /* a restart starts over */
    timer_stop(&a->tm, TMR_ASCONF);
    s->addip->serial = a->local_itsn;
    s->addip->peer_serial = peer_itsn - 1;
    return 0;
}

static void ev_auth(struct assoc *a, uint16_t key, uint8_t what)
{
    sctpng_eng_event ev;
    memset(&ev, 0, sizeof(ev));
    ev.type = SCTPNG_ENG_EV_AUTH;
    ev.assoc = a->id;
    ev.u.auth.keynum = key;
    ev.u.auth.indication = what;
    ev_push(a->ep, &ev);
}

void auth_on_established(struct assoc *a)
{
    if (a->ep->auth && !(a->ext & EXT_AUTH))
        ev_auth(a, 0, SCTPNG_ENG_AUTH_NO_AUTH);
}

bool auth_required(const struct assoc *a, uint8_t type)
{
    return a->auth && a->auth->ready && auth_types_has(&a->auth->ours, type);
}

void auth_drop(struct assoc *a)
{
    a->auth->drops++;
}

static bool our_hmac(const struct assoc_auth *s, uint16_t id)
{
    for (unsigned i = 0; i < s->n_our_hmacs; i++)
        if (s->our_hmacs[i] == id)
            return true;
    return false;
}

int auth_on_chunk(struct assoc *a, const struct chunk *c, const uint8_t *end)
{
    struct assoc_auth *s = a->auth;
    struct auth_chunk ac;
    if (auth_chunk_decode(c, &ac) < 0) {
        a->ep->stats.drop_malformed++;
        s->drops++;
        return -1;
    }
    if (!our_hmac(s, ac.hmac_id)) { /* RFC 4895 6.3 */
        uint8_t v[2];
        put16(v, ac.hmac_id);
        assoc_set_error(a, CAUSE_UNSUPPORTED_HMAC, v, sizeof(v));
        s->drops++;
        return -1;
    }
    const struct akey *k = key_find(s->keys, ac.key_id);
    if (!k || !auth_check(ac.hmac_id, k->k, k->len, c->hdr, end)) {
        s->drops++;
        return -1;
    }
    /* SCTPNG_AUTH_NEW_KEY once each time the peer moves to a key other
     * than our active one (Linux raises it for every such packet). */
    if (ac.key_id != s->active && (!s->peer_key_seen || s->peer_key != ac.key_id))
        ev_auth(a, ac.key_id, SCTPNG_ENG_AUTH_NEW_KEY);
    s->peer_key_seen = true;
    s->peer_key = ac.key_id;
    return 0;
}

static bool peer_requires_any(const struct assoc_auth *s)
{
    for (unsigned i = 0; i < sizeof(s->peers.bits); i++)
        if (s->peers.bits[i])
            return true;
    return false;
}

size_t auth_overhead(const struct assoc *a)
{
    if (a->auth && a->auth->ready)
        return peer_requires_any(a->auth) ? AUTH_HDR_LEN + auth_hmac_len(a->auth->send_hmac) : 0;
    if (a->ep->auth && (a->state == SCTPNG_ENG_COOKIE_WAIT || a->state == SCTPNG_ENG_COOKIE_ECHOED))
        return AUTH_HDR_LEN + AUTH_HMAC_MAX_LEN;
    return 0;
}

void auth_sign_packet(struct assoc *a, struct pkt_writer *w, size_t cap)
{
    struct assoc_auth *s = a->auth;
    if (!s || !s->ready || !peer_requires_any(s))
        return;
    struct chunk_iter it;
    struct chunk c = {.hdr = NULL};
    chunk_iter_init(&it, w->buf, w->len);
    while (chunk_next(&it, &c) == 1 && !auth_types_has(&s->peers, c.type))
        ;
    if (c.hdr == NULL || !auth_types_has(&s->peers, c.type))
        return;
    const struct akey *k = key_find(s->keys, s->active);
    size_t alen = AUTH_HDR_LEN + auth_hmac_len(s->send_hmac);
    if (!k || w->len + alen > cap)
        return; /* goes unauthenticated: the peer drops what needed it */
    uint8_t *at = (uint8_t *)c.hdr;
    memmove(at + alen, at, (size_t)(w->buf + w->len - at));
    at[0] = CT_AUTH;
    at[1] = 0;
    put16(at + 2, (uint16_t)alen);
    put16(at + 4, s->active);
    put16(at + 6, s->send_hmac);
    w->len += alen;
    w->nchunks++;
    auth_sign(s->send_hmac, k->k, k->len, at, w->buf + w->len);
}

bool auth_cookie_packet_ok(struct sctpng_eng *ep, const struct chunk *auth,
                           const struct chunk *cookie, const uint8_t *end)
{
    struct cookie ck;
    struct auth_chunk ac;
    if (!ep->auth || auth_chunk_decode(auth, &ac) < 0)
        return false;
    if (cookie_verify(cookie->val, cookie->vlen, ep->secret, ep->secret_len, &ck) < 0 &&
        (!ep->old_secret_len ||
         cookie_verify(cookie->val, cookie->vlen, ep->old_secret, ep->old_secret_len, &ck) < 0))
        return false; /* the handshake counts a bad cookie */
    size_t llen = ck.auth_len ? ck.auth[0] : 0;
    if (!(ck.ext & EXT_AUTH) || ck.auth_len < 1 + llen)
        return false;
    const uint8_t *lvec = ck.auth + 1, *pvec = lvec + llen;
    size_t plen = ck.auth_len - 1 - llen;
    struct auth_types t;
    uint16_t oh[AUTH_MAX_HMACS];
    unsigned no;
    if (auth_vec_parse(lvec, llen, &t, oh, &no) < 0)
        return false;
    bool hmac_ok = false;
    for (unsigned i = 0; i < no; i++)
        hmac_ok |= oh[i] == ac.hmac_id;
    const struct akey *k = key_find(ep->auth->keys, ac.key_id);
    if (!hmac_ok || !k || plen > AUTH_VEC_MAX)
        return false;
    size_t klen = k->len + llen + plen;
    uint8_t *key = mem_alloc(&ep->mem, klen ? klen : 1);
    if (!key)
        return false;
    auth_assoc_key(k->k, k->len, lvec, llen, pvec, plen, key, klen);
    bool ok = auth_check(ac.hmac_id, key, klen, auth->hdr, end);
    mem_free(&ep->mem, key);
    return ok;
}

/* The key list and active key the call is about. */
static int scope(struct sctpng_eng *ep, struct assoc *a, struct akey ***keys, uint16_t **active)
{
    if (!ep->auth)
        return -EACCES;
    if (!a) {
        *keys = &ep->auth->keys;
        *active = &ep->auth->active;
        return 0;
    }
    if (!a->auth || !a->auth->ready)
        return -EACCES;
    *keys = &a->auth->keys;
    *active = &a->auth->active;
    return 0;
}

int auth_set_key(struct sctpng_eng *ep, struct assoc *a, uint16_t id, const uint8_t *key,
                 size_t len)
{
    struct akey **keys;
    uint16_t *active;
    int err = scope(ep, a, &keys, &active);
    if (err)
        return err;
    if (len > 0xFFFF)
        return -EINVAL;
    if (!a)
        return key_put(&ep->mem, keys, id, key, len) ? 0 : -ENOMEM;
    struct akey *raw = mem_alloc(&ep->mem, sizeof(*raw) + len);
    if (!raw)
        return -ENOMEM;
    raw->id = id;
    raw->len = (uint32_t)len;
    if (len)
        memcpy(raw->k, key, len);
    err = derive(a, raw);
    mem_free(&ep->mem, raw);
    return err;
}

int auth_key_op(struct sctpng_eng *ep, struct assoc *a, int op, uint16_t id)
{
    struct akey **keys;
    uint16_t *active;
    int err = scope(ep, a, &keys, &active);
    if (err)
        return err;
    struct akey *k = key_find(*keys, id);
    if (!k)
        return -EINVAL;
    if (op == AUTH_OP_ACTIVATE) { /* as Linux: a deactivated key stays so */
        if (k->deactivated)
            return -EINVAL;
        *active = id;
        return 0;
    }
    if (id == *active)
        return -EINVAL; /* the active key is neither deactivated nor deleted */
    if (op == AUTH_OP_DEACTIVATE) {
        /* No packet keeps a key: a retransmission is signed again with
         * the active one. So the key is free at once. */
        if (a && !k->deactivated)
            ev_auth(a, id, SCTPNG_ENG_AUTH_FREE_KEY);
        k->deactivated = true;
        return 0;
    }
    for (struct akey **pp = keys; *pp; pp = &(*pp)->next)
        if (*pp == k) {
            *pp = k->next;
            mem_free(&ep->mem, k);
            break;
        }
    return 0;
}
