/* Endpoint services: the random source, associations by id, and the
 * queue of stateless replies (INIT-ACK, out-of-the-blue answers, final
 * ABORT and SHUTDOWN-COMPLETE), allocated once so that unsolicited traffic
 * never makes the endpoint allocate. */
#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <string.h>

#include "engine/internal.h"

uint32_t ep_random32(struct sctpng_eng *ep)
{
    uint8_t b[4];
    uint32_t v;
    do {
        ep->cfg.random(ep->cfg.random_ctx, b, sizeof(b));
        v = ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
    } while (v == 0); /* tags must be non-zero; harmless for TSNs */
    return v;
}

uint32_t ep_mtu(const struct sctpng_eng *ep)
{
    return ep->cfg.mtu;
}

uint32_t ep_reply_mtu(const struct sctpng_eng *ep)
{
    uint32_t b = ep->cfg.plpmtud_base ? ep->cfg.plpmtud_base : 1200;
    return ep->cfg.plpmtud && b < ep->cfg.mtu ? b & ~3u : ep->cfg.mtu;
}

static uint64_t id_hash(uint32_t id)
{
    return id;
}

struct assoc *ep_find_assoc(struct sctpng_eng *ep, uint32_t id)
{
    for (struct hnode *n = htab_bucket(&ep->by_id, id_hash(id)); n; n = n->next) {
        struct assoc *a = (struct assoc *)((char *)n - offsetof(struct assoc, id_node));
        if (a->id == id) {
            ep_touch(a);
            return a;
        }
    }
    return NULL;
}

static struct assoc *by_id(struct sctpng_eng *ep, uint32_t id)
{
    for (struct hnode *n = htab_bucket(&ep->by_id, id_hash(id)); n; n = n->next) {
        struct assoc *a = (struct assoc *)((char *)n - offsetof(struct assoc, id_node));
        if (a->id == id)
            return a;
    }
    return NULL;
}

/* An entry stands for its association while the association is in the
 * ring under that generation; a drained association leaves its entry
 * behind, stale, and a later push puts it at the end again. */
static struct assoc *rd_entry(struct sctpng_eng *ep, unsigned i)
{
    const struct rd_entry *e = &ep->rd[(ep->rd_head + i) % ep->rd_cap];
    struct assoc *a = by_id(ep, e->id);
    return a && a->in_rd && a->rd_gen == e->gen ? a : NULL;
}

/* Makes room for one more: drops stale entries (order kept), and doubles
 * the ring only if at least half of it is live, so stale entries cost
 * O(1) each and the ring stays within twice the live associations. */
static bool rd_room(struct sctpng_eng *ep)
{
    unsigned live = 0;
    for (unsigned i = 0; i < ep->rd_n; i++)
        if (rd_entry(ep, i))
            ep->rd[(ep->rd_head + live++) % ep->rd_cap] = ep->rd[(ep->rd_head + i) % ep->rd_cap];
    ep->rd_n = live;
    if (ep->rd_cap && live < ep->rd_cap / 2)
        return true;
    unsigned cap = ep->rd_cap ? 2 * ep->rd_cap : 16;
    struct rd_entry *v = mem_alloc(&ep->mem, cap * sizeof(*v));
    if (!v)
        return live < ep->rd_cap;
    for (unsigned i = 0; i < live; i++)
        v[i] = ep->rd[(ep->rd_head + i) % ep->rd_cap];
    mem_free(&ep->mem, ep->rd);
    ep->rd = v;
    ep->rd_cap = cap;
    ep->rd_head = 0;
    return true;
}

void ep_rd_push(struct assoc *a)
{
    struct sctpng_eng *ep = a->ep;
    if (a->in_rd)
        return;
    if (ep->rd_n == ep->rd_cap && !rd_room(ep)) {
        ep->rd_lost = true;
        return;
    }
    a->in_rd = true;
    a->rd_gen++;
    ep->rd[(ep->rd_head + ep->rd_n++) % ep->rd_cap] = (struct rd_entry){a->id, a->rd_gen};
}

static void rd_pop(struct sctpng_eng *ep)
{
    ep->rd_head = (ep->rd_head + 1) % ep->rd_cap;
    ep->rd_n--;
}

void ep_rd_done(struct assoc *a, bool complete)
{
    struct sctpng_eng *ep = a->ep;
    if (!reasm_readable(&a->reasm))
        a->in_rd = false; /* its entry, wherever it is, is stale now */
    if (!ep->rd_n || rd_entry(ep, 0) != a)
        return;
    if (!a->in_rd) {
        rd_pop(ep);
    } else if (complete) { /* the next association's turn */
        struct rd_entry e = ep->rd[ep->rd_head];
        ep->rd_head = (ep->rd_head + 1) % ep->rd_cap;
        ep->rd[(ep->rd_head + ep->rd_n - 1) % ep->rd_cap] = e;
    }
}

struct assoc *ep_rd_first(struct sctpng_eng *ep)
{
    while (ep->rd_n) {
        struct assoc *a = rd_entry(ep, 0);
        if (a && reasm_readable(&a->reasm))
            return a;
        if (a)
            a->in_rd = false;
        rd_pop(ep); /* stale: drained by reads of its own id, or freed */
    }
    if (!ep->rd_lost)
        return NULL;
    /* Some association became readable when the ring had no room. */
    for (struct assoc *a = ep->assocs; a; a = a->next)
        if (!a->in_rd && reasm_readable(&a->reasm)) {
            ep_rd_push(a); /* may fail again: then the scan serves it */
            return a;
        }
    ep->rd_lost = false;
    return NULL;
}

struct assoc *ep_rd_peek(struct sctpng_eng *ep)
{
    for (unsigned i = 0; i < ep->rd_n; i++) {
        struct assoc *a = rd_entry(ep, i);
        if (a && reasm_readable(&a->reasm))
            return a;
    }
    if (ep->rd_lost)
        for (struct assoc *a = ep->assocs; a; a = a->next)
            if (!a->in_rd && reasm_readable(&a->reasm))
                return a;
    return NULL;
}

void ep_rd_free(struct sctpng_eng *ep)
{
    mem_free(&ep->mem, ep->rd);
    ep->rd = NULL;
    ep->rd_cap = ep->rd_n = ep->rd_head = 0;
}

void ep_touch(struct assoc *a)
{
    struct sctpng_eng *ep = a->ep;
    if (!a->dirty) {
        a->dirty = true;
        a->dirty_prev = NULL;
        a->dirty_next = ep->dirty;
        if (ep->dirty)
            ep->dirty->dirty_prev = a;
        ep->dirty = a;
    }
    if (a->zombie || a->in_ready)
        return;
    a->in_ready = true;
    a->ready_next = NULL;
    a->ready_prev = ep->ready_tail;
    if (ep->ready_tail)
        ep->ready_tail->ready_next = a;
    else
        ep->ready_head = a;
    ep->ready_tail = a;
}

struct assoc *ep_ready_first(struct sctpng_eng *ep)
{
    return ep->ready_head;
}

void ep_ready_remove(struct assoc *a)
{
    struct sctpng_eng *ep = a->ep;
    if (!a->in_ready)
        return;
    if (a->ready_prev)
        a->ready_prev->ready_next = a->ready_next;
    else
        ep->ready_head = a->ready_next;
    if (a->ready_next)
        a->ready_next->ready_prev = a->ready_prev;
    else
        ep->ready_tail = a->ready_prev;
    a->ready_next = a->ready_prev = NULL;
    a->in_ready = false;
}

void ep_ready_rotate(struct assoc *a)
{
    if (!a->in_ready || a->ep->ready_tail == a)
        return;
    ep_ready_remove(a);
    ep_touch(a);
}

uint64_t ep_addr_hash(const struct sctpng_eng *ep, const struct sockaddr_storage *addr,
                      uint16_t port)
{
    uint64_t seed = ep->hash_seed ^ ((uint64_t)port << 32) ^ addr->ss_family;
    if (addr->ss_family == AF_INET)
        return hash_bytes(&((const struct sockaddr_in *)addr)->sin_addr, 4, seed);
    return hash_bytes(&((const struct sockaddr_in6 *)addr)->sin6_addr, 16, seed);
}

uint64_t ep_path_hash(const struct sctpng_eng *ep, const struct path *p, uint16_t port)
{
    struct sockaddr_storage ss = path_sa_get(&p->addr);
    return ep_addr_hash(ep, &ss, port);
}

static struct assoc *vtag_owner(struct hnode *n)
{
    return (struct assoc *)((char *)n - offsetof(struct assoc, vtag_node));
}

static bool vtag_in_use(struct sctpng_eng *ep, uint32_t vtag)
{
    for (struct hnode *n = htab_bucket(&ep->by_vtag, vtag); n; n = n->next)
        if (n->hash == vtag)
            return true;
    return false;
}

uint32_t ep_new_vtag(struct sctpng_eng *ep)
{
    uint32_t v;
    do
        v = ep_random32(ep);
    while (vtag_in_use(ep, v));
    return v;
}

void ep_set_vtag(struct assoc *a, uint32_t vtag)
{
    struct sctpng_eng *ep = a->ep;
    if (a->vtag_indexed)
        htab_remove(&ep->by_vtag, &a->vtag_node);
    a->local_vtag = vtag;
    a->vtag_indexed = !a->zombie;
    if (a->vtag_indexed)
        htab_insert(&ep->by_vtag, &ep->mem, &a->vtag_node, vtag);
}

struct assoc *ep_find_by_vtag(struct sctpng_eng *ep, uint32_t vtag, uint16_t peer_port)
{
    for (struct hnode *n = htab_bucket(&ep->by_vtag, vtag); n; n = n->next) {
        struct assoc *a = vtag_owner(n);
        if (n->hash == vtag && a->state == SCTPNG_ENG_COOKIE_WAIT && a->peer_port == peer_port)
            return a;
    }
    return NULL;
}

int ep_index_assoc(struct sctpng_eng *ep, struct assoc *a)
{
    /* the heap holds every association at most: room ahead, so that
     * updating a deadline never fails */
    if (heap_reserve(&ep->deadlines, &ep->mem, ep->n_assocs + 1) < 0)
        return -ENOMEM;
    heap_node_init(&a->tnode);
    a->live_idx = true;
    htab_insert(&ep->by_id, &ep->mem, &a->id_node, id_hash(a->id));
    a->prev = NULL;
    a->next = ep->assocs;
    if (ep->assocs)
        ep->assocs->prev = a;
    ep->assocs = a;
    ep->n_assocs++;
    ep_touch(a);
    return 0;
}

void ep_index_path(struct assoc *a, unsigned i)
{
    struct path *p = &a->paths[i];
    p->owner = a;
    if (!a->live_idx)
        return;
    htab_insert(&a->ep->by_addr, &a->ep->mem, &p->addr_node, ep_path_hash(a->ep, p, a->peer_port));
}

void ep_unindex_path(struct assoc *a, unsigned i)
{
    if (a->live_idx)
        htab_remove(&a->ep->by_addr, &a->paths[i].addr_node);
}

void ep_unindex_live(struct assoc *a)
{
    struct sctpng_eng *ep = a->ep;
    if (!a->live_idx)
        return;
    a->live_idx = false;
    for (unsigned i = 0; i < a->n_paths; i++)
        htab_remove(&ep->by_addr, &a->paths[i].addr_node);
    if (a->vtag_indexed)
        htab_remove(&ep->by_vtag, &a->vtag_node);
    a->vtag_indexed = false;
    heap_remove(&ep->deadlines, &a->tnode);
    ep_ready_remove(a);
    /* the ready links now chain the zombies (assoc_reap) */
    a->ready_prev = NULL;
    a->ready_next = ep->zombies;
    if (ep->zombies)
        ep->zombies->ready_prev = a;
    ep->zombies = a;
}

struct assoc *ep_take_dirty(struct sctpng_eng *ep)
{
    struct assoc *a = ep->dirty;
    if (!a)
        return NULL;
    ep->dirty = a->dirty_next;
    if (ep->dirty)
        ep->dirty->dirty_prev = NULL;
    a->dirty = false;
    a->dirty_next = a->dirty_prev = NULL;
    return a;
}

static void drop_dirty(struct assoc *a)
{
    if (a->dirty_prev)
        a->dirty_prev->dirty_next = a->dirty_next;
    else
        a->ep->dirty = a->dirty_next;
    if (a->dirty_next)
        a->dirty_next->dirty_prev = a->dirty_prev;
    a->dirty = false;
}

void ep_unindex_all(struct assoc *a)
{
    struct sctpng_eng *ep = a->ep;
    ep_unindex_live(a);
    /* off the zombie list */
    if (a->ready_prev)
        a->ready_prev->ready_next = a->ready_next;
    else if (ep->zombies == a)
        ep->zombies = a->ready_next;
    if (a->ready_next)
        a->ready_next->ready_prev = a->ready_prev;
    if (a->dirty)
        drop_dirty(a);
    htab_remove(&ep->by_id, &a->id_node);
    if (a->prev)
        a->prev->next = a->next;
    else
        ep->assocs = a->next;
    if (a->next)
        a->next->prev = a->prev;
    ep->n_assocs--;
}

struct reply *ep_reply_slot(struct sctpng_eng *ep, const sctpng_eng_path *to)
{
    if (ep->reply_count == REPLY_SLOTS) {
        ep->stats.replies_dropped++;
        return NULL;
    }
    struct reply *r = &ep->replies[(ep->reply_head + ep->reply_count) % REPLY_SLOTS];
    ep->reply_count++;
    r->to = *to;
    r->len = 0;
    return r;
}

ssize_t ep_take_reply(struct sctpng_eng *ep, uint8_t *buf, size_t cap, sctpng_eng_path *to)
{
    struct reply *r = &ep->replies[ep->reply_head];
    ep->reply_head = (ep->reply_head + 1) % REPLY_SLOTS;
    ep->reply_count--;
    if (r->len == 0 || r->len > cap)
        return 0;
    memcpy(buf, r->buf, r->len);
    *to = r->to;
    return (ssize_t)r->len;
}

struct reply *ep_reply_begin(struct sctpng_eng *ep, const sctpng_eng_path *to, struct pkt_writer *w,
                             const struct reply_chunk *rc)
{
    struct reply *r = ep_reply_slot(ep, to);
    if (!r)
        return NULL;
    pw_init(w, r->buf, ep_reply_mtu(ep), rc->src, rc->dst, rc->vtag);
    if (pw_cause_chunk(w, rc->type, rc->flags, rc->code, rc->info, rc->len) < 0) {
        ep->reply_count--;
        return NULL;
    }
    return r;
}

void ep_reply_finish(struct reply *r, struct pkt_writer *w)
{
    r->len = pw_finish(w);
}

void ep_reply_chunk(struct sctpng_eng *ep, const sctpng_eng_path *to, uint16_t src, uint16_t dst,
                    uint32_t vtag, uint8_t type, uint8_t flags, uint16_t code, const void *info,
                    size_t len)
{
    struct reply_chunk rc = {src, dst, vtag, type, flags, code, info, len};
    struct pkt_writer w;
    struct reply *r = ep_reply_begin(ep, to, &w, &rc);
    if (r)
        ep_reply_finish(r, &w);
}
