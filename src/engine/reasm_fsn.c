/* The peer's I-DATA fragment numbering (see reasm.h, REASM_FSN_*).
 *
 * Linux numbers the fragments after the first from 0, RFC 8260 from 1,
 * and a receiver cannot tell them apart from one message's FSNs alone:
 * Linux's B,0,1,2(E) with 0 missing looks like RFC's complete B,1,2(E).
 * So the numbering is learned: a non-first fragment with FSN 0 is Linux's
 * (RFC never sends one); a fragmented message all of whose TSNs arrived
 * without one is RFC's. Until then a fragmented message is delivered only
 * once no fragment of it can be missing (the cumulative TSN covers it, or
 * its fragments have consecutive TSNs), and a partial delivery continues
 * only up to the cumulative TSN. Once learned, the cost is one compare per
 * fragment. */
#include <stddef.h>

#include "engine/reasm.h"
#include "engine/reasm_int.h"
#include "engine/wire.h"

/* Linux's FSNs to ours in every message in progress of queue q. */
static void shift_queue(struct tchunk *q)
{
    for (struct tchunk *m = q; m; m = m->mnext)
        for (struct tchunk *f = m; f; f = f->next)
            if (!(f->flags & DATA_FLAG_B))
                f->fsn++;
}

void reasm_fsn_map(struct reasm *r, struct tchunk *c)
{
    if (r->fsn_peer == REASM_FSN_UNKNOWN && c->fsn == 0) {
        /* a message in partial delivery needs nothing: before this only
         * fragments up to the cumulative TSN were taken, so not one after
         * this one's place, and its next expected number is ours already */
        for (unsigned i = 0; r->st && i < r->nstreams; i++) {
            shift_queue(r->st[i].msgs);
            shift_queue(r->st[i].umsgs);
        }
        r->fsn_peer = REASM_FSN_LINUX;
        r->fsn_wait = true; /* what waited may be whole now */
    }
    if (r->fsn_peer == REASM_FSN_LINUX)
        c->fsn++;
}

/* No fragment of fragmented message h can be missing, whatever the
 * numbering: every TSN up to its last one arrived, or its fragments have
 * consecutive TSNs (a sender gives one message's fragments ascending
 * TSNs, so a missing one would leave a hole between them). */
static bool none_missing(const struct reasm *r, const struct tchunk *h)
{
    if (tsn_le(h->prev->tsn, r->cum))
        return true;
    for (const struct tchunk *f = h; f->next; f = f->next)
        if (f->next->tsn != f->tsn + 1)
            return false;
    return true;
}

bool reasm_msg_whole(const struct reasm *r, const struct tchunk *h)
{
    if (!reasm_msg_complete(h))
        return false;
    return !h->idata || r->fsn_peer != REASM_FSN_UNKNOWN || !h->next || none_missing(r, h);
}

bool reasm_fsn_ok(struct reasm *r, const struct tchunk *h)
{
    if (!h->idata || r->fsn_peer != REASM_FSN_UNKNOWN || !h->next)
        return true;
    if (none_missing(r, h)) {
        r->fsn_peer = REASM_FSN_RFC;
        return true;
    }
    r->fsn_wait = true;
    return false;
}

bool reasm_fsn_frag_ok(struct reasm *r, const struct tchunk *c)
{
    if (!c->idata || r->fsn_peer != REASM_FSN_UNKNOWN || tsn_le(c->tsn, r->cum))
        return true;
    r->fsn_wait = true;
    return false;
}

/* One pass: the partial deliveries go on, then whatever is whole. */
static void pass(struct reasm *r)
{
    for (unsigned i = 0; r->n_pd && i < r->nstreams; i++)
        if (r->st[i].pd != RPD_NONE)
            reasm_pd_pull(r, &r->st[i]);
    reasm_scan_all(r);
}

void reasm_set_cum(struct reasm *r, uint32_t cum)
{
    r->cum = cum;
    if (r->fsn_wait)
        reasm_fsn_recheck(r);
}

void reasm_fsn_recheck(struct reasm *r)
{
    /* a pass that learns the numbering may leave messages it saw before
     * that waiting: one more then, in the known numbering */
    for (int i = 0; i < 2 && r->fsn_wait && r->st; i++) {
        r->fsn_wait = false;
        pass(r);
        if (r->fsn_peer == REASM_FSN_UNKNOWN)
            break; /* what still waits, waits for the cumulative TSN */
    }
}
