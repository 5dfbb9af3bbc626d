/* Control chunks waiting for a packet (RFC 9260 6.10 bundling). One item is
 * one chunk: its type, the path it must take (CTL_ANY_PATH: wherever the
 * packet goes), and whether a timer of its module sends it again until the
 * peer answers (INIT, COOKIE-ECHO, SHUTDOWN, SHUTDOWN-ACK, HEARTBEAT,
 * FORWARD-TSN). The queue is kept in the order output drains it: by
 * priority (ctlq_prio()), then first in, first out.
 *
 * Items with a value of their own (an ERROR's cause, a HEARTBEAT-ACK's
 * echoed info) carry a copy of it; the others are written from the
 * association's state when they leave. A kind that is sent once per
 * occasion (all but ERROR and HEARTBEAT-ACK) is queued at most once per
 * path: queuing it again changes nothing. The others are bounded by
 * CTLQ_MAX_VALUED; beyond that, new ones are dropped (a peer cannot make
 * us hold unbounded memory by sending many HEARTBEATs or bad chunks). */
#ifndef SCTPNG_ENGINE_CTLQ_H
#define SCTPNG_ENGINE_CTLQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/mem.h"

#define CTL_ANY_PATH    0xFF
#define CTLQ_MAX_VALUED 16
#define CTLQ_VAL_MAX    256 /* largest value an item carries */
/* SACK is not an item (rx.c decides it from the TSN map) but goes in this
 * place among them: after the answers, before SHUTDOWN and FORWARD-TSN. */
#define CTL_PRIO_SACK 6

struct ctl_item {
    struct ctl_item *next;
    uint8_t type;
    uint8_t path;
    uint8_t prio;
    bool rtx;
    uint16_t len;
    uint8_t val[];
};

struct ctlq {
    struct ctl_item *head;
    unsigned n, n_valued;
};

/* Priority of a chunk type in a packet (lower first); -1 for a type that
 * is not a control item. */
int ctlq_prio(uint8_t type);

/* Queues a chunk of `type` for `path`, with a copy of len bytes of val
 * (len 0 for kinds written from state). Returns 0, or -1 when the kind is
 * not an item, the value is too long, the queue is full or out of memory
 * (the chunk is not sent). */
int ctlq_add(struct ctlq *q, struct mem_acct *m, uint8_t type, uint8_t path, const void *val,
             uint16_t len);
/* The first item of this type (for any path if path is CTL_ANY_PATH). */
struct ctl_item *ctlq_find(const struct ctlq *q, uint8_t type, uint8_t path);
bool ctlq_has(const struct ctlq *q, uint8_t type);
void ctlq_remove(struct ctlq *q, struct mem_acct *m, struct ctl_item *it);
/* Removes every item of the type. */
void ctlq_cancel(struct ctlq *q, struct mem_acct *m, uint8_t type);
void ctlq_clear(struct ctlq *q, struct mem_acct *m);

#endif
