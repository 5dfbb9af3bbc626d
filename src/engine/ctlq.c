/* The control chunk queue; see ctlq.h. */
#include "engine/ctlq.h"

#include <string.h>

#include "engine/check.h"
#include "engine/chunk.h"

struct kind {
    uint8_t type, prio;
    bool rtx;    /* a timer sends it again until answered */
    bool valued; /* carries its own value; may be queued many times */
};

/* The drain order: setup chunks (alone in their packets), answers to the
 * peer's probes (HEARTBEAT-ACK, alone, to the path the HEARTBEAT came
 * on), our HEARTBEATs (alone, per path), then the bundle: COOKIE-ACK,
 * SHUTDOWN-ACK, ERRORs, [SACK], SHUTDOWN, FORWARD-TSN, [DATA]. */
static const struct kind kinds[] = {
    {CT_INIT, 0, true, false},
    {CT_COOKIE_ECHO, 0, true, false},
    {CT_HEARTBEAT_ACK, 1, false, true},
    {CT_HEARTBEAT, 2, true, false},
    {CT_COOKIE_ACK, 3, false, false},
    {CT_SHUTDOWN_ACK, 4, true, false},
    {CT_ERROR, 5, false, true},
    {CT_SHUTDOWN, 7, true, false},
    {CT_FORWARD_TSN, 8, true, false},
    {0xC1, 5, true, true},
    {0x80, 5, false, true}, /* ASCONF, ASCONF-ACK (addip.c) */
    {CT_RECONF, 8, true, false},
};

static const struct kind *kind_of(uint8_t type)
{
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (kinds[i].type == type)
            return &kinds[i];
    return NULL;
}

int ctlq_prio(uint8_t type)
{
    const struct kind *k = kind_of(type);
    return k ? k->prio : -1;
}

struct ctl_item *ctlq_find(const struct ctlq *q, uint8_t type, uint8_t path)
{
    for (struct ctl_item *it = q->head; it; it = it->next)
        if (it->type == type && (path == CTL_ANY_PATH || it->path == path))
            return it;
    return NULL;
}

bool ctlq_has(const struct ctlq *q, uint8_t type)
{
    return ctlq_find(q, type, CTL_ANY_PATH) != NULL;
}

/* Links it in after every item of the same or a higher priority. */
static void insert(struct ctlq *q, struct ctl_item *it)
{
    struct ctl_item **pp = &q->head;
    while (*pp && (*pp)->prio <= it->prio)
        pp = &(*pp)->next;
    it->next = *pp;
    *pp = it;
    q->n++;
}

int ctlq_add(struct ctlq *q, struct mem_acct *m, uint8_t type, uint8_t path, const void *val,
             uint16_t len)
{
    const struct kind *k = kind_of(type);
    if (!k || len > CTLQ_VAL_MAX || (!k->valued && len))
        return -1;
    if (!k->valued && ctlq_find(q, type, path))
        return 0; /* already queued for this path */
    if (k->valued && q->n_valued >= CTLQ_MAX_VALUED)
        return -1;
    struct ctl_item *it = mem_alloc(m, sizeof(*it) + len);
    if (!it)
        return -1;
    it->type = type;
    it->path = path;
    it->prio = k->prio;
    it->rtx = k->rtx;
    it->len = len;
    if (len)
        memcpy(it->val, val, len);
    q->n_valued += k->valued;
    insert(q, it);
    return 0;
}

void ctlq_remove(struct ctlq *q, struct mem_acct *m, struct ctl_item *it)
{
    struct ctl_item **pp = &q->head;
    while (*pp && *pp != it)
        pp = &(*pp)->next;
    ENG_ASSERT(*pp == it);
    if (!*pp)
        return;
    *pp = it->next;
    q->n--;
    q->n_valued -= kind_of(it->type)->valued;
    mem_free(m, it);
}

void ctlq_cancel(struct ctlq *q, struct mem_acct *m, uint8_t type)
{
    struct ctl_item *it;
    while ((it = ctlq_find(q, type, CTL_ANY_PATH)))
        ctlq_remove(q, m, it);
}

void ctlq_clear(struct ctlq *q, struct mem_acct *m)
{
    while (q->head)
        ctlq_remove(q, m, q->head);
}
