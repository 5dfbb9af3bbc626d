/* Receive TSN map. Ranges are few in practice (one per hole), so a small
 * sorted array beats anything clever; it is allocated at the first hole
 * or duplicate (most associations never see one) and kept. */
#include "engine/tsnmap.h"

#include <string.h>

#include "engine/wire.h"

void tsn_map_init(struct tsn_map *m, struct mem_acct *mem, uint32_t initial_tsn)
{
    memset(m, 0, sizeof(*m));
    m->mem = mem;
    m->cum = initial_tsn - 1;
    m->highest = m->cum;
}

void tsn_map_destroy(struct tsn_map *m)
{
    if (m->g)
        mem_free(m->mem, m->g);
    m->g = NULL;
    m->nranges = m->ndups = 0;
}

/* The range and duplicate arrays; false if out of memory. */
static bool gaps_ready(struct tsn_map *m)
{
    if (!m->g)
        m->g = mem_alloc(m->mem, sizeof(*m->g));
    return m->g != NULL;
}

bool tsn_map_has(const struct tsn_map *m, uint32_t tsn)
{
    if (tsn_le(tsn, m->cum))
        return true;
    for (unsigned i = 0; i < m->nranges; i++)
        if (tsn_ge(tsn, m->g->start[i]) && tsn_le(tsn, m->g->end[i]))
            return true;
    return false;
}

static void note_dup(struct tsn_map *m, uint32_t tsn)
{
    if (m->ndups < TSNMAP_MAX_DUPS && gaps_ready(m))
        m->g->dups[m->ndups++] = tsn;
}

static void remove_range(struct tsn_map *m, unsigned i)
{
    memmove(&m->g->start[i], &m->g->start[i + 1], (m->nranges - i - 1) * sizeof(uint32_t));
    memmove(&m->g->end[i], &m->g->end[i + 1], (m->nranges - i - 1) * sizeof(uint32_t));
    m->nranges--;
}

/* Pulls the first range into cum while it touches it. */
static void absorb(struct tsn_map *m)
{
    while (m->nranges > 0 && tsn_le(m->g->start[0], m->cum + 1)) {
        if (tsn_gt(m->g->end[0], m->cum))
            m->cum = m->g->end[0];
        remove_range(m, 0);
    }
}

int tsn_map_add(struct tsn_map *m, uint32_t tsn)
{
    if (tsn_map_has(m, tsn)) {
        note_dup(m, tsn);
        return 0;
    }
    if (tsn - m->cum > TSNMAP_MAX_SPAN)
        return -1;
    if (tsn_gt(tsn, m->highest))
        m->highest = tsn;
    if (tsn == m->cum + 1) {
        m->cum = tsn;
        absorb(m);
        return 1;
    }
    unsigned i = 0;
    while (i < m->nranges && tsn_gt(tsn, m->g->end[i] + 1))
        i++;
    if (i < m->nranges && tsn == m->g->end[i] + 1) { /* extend range i upward */
        m->g->end[i] = tsn;
        if (i + 1 < m->nranges && m->g->start[i + 1] == tsn + 1) {
            m->g->end[i] = m->g->end[i + 1];
            remove_range(m, i + 1);
        }
        return 1;
    }
    if (i < m->nranges && tsn + 1 == m->g->start[i]) { /* extend downward */
        m->g->start[i] = tsn;
        return 1;
    }
    if (m->nranges == TSNMAP_MAX_RANGES || !gaps_ready(m))
        return -1; /* full, or out of memory: dropped, as when full */
    memmove(&m->g->start[i + 1], &m->g->start[i], (m->nranges - i) * sizeof(uint32_t));
    memmove(&m->g->end[i + 1], &m->g->end[i], (m->nranges - i) * sizeof(uint32_t));
    m->g->start[i] = m->g->end[i] = tsn;
    m->nranges++;
    return 1;
}

void tsn_map_forward(struct tsn_map *m, uint32_t new_cum)
{
    if (tsn_le(new_cum, m->cum))
        return;
    m->cum = new_cum;
    if (tsn_gt(new_cum, m->highest))
        m->highest = new_cum;
    while (m->nranges > 0 && tsn_le(m->g->end[0], new_cum))
        remove_range(m, 0);
    absorb(m);
}

uint16_t tsn_map_gaps(const struct tsn_map *m, uint16_t *gaps, uint16_t max)
{
    uint16_t n = 0;
    for (unsigned i = 0; i < m->nranges && n < max; i++) {
        uint32_t s = m->g->start[i] - m->cum, e = m->g->end[i] - m->cum;
        if (e > 0xFFFF)
            break;
        gaps[2 * n] = (uint16_t)s;
        gaps[2 * n + 1] = (uint16_t)e;
        n++;
    }
    return n;
}

uint16_t tsn_map_take_dups(struct tsn_map *m, uint32_t *dups, uint16_t max)
{
    uint16_t n = m->ndups < max ? m->ndups : max;
    if (n)
        memcpy(dups, m->g->dups, n * sizeof(uint32_t));
    m->ndups = 0;
    return n;
}
