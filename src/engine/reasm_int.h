/* What reasm.c (queues, insertion, FORWARD-TSN) and reasm_read.c (ready
 * queue, partial delivery, reading) share. See reasm.h for the structure. */
#ifndef SCTPNG_ENGINE_REASM_INT_H
#define SCTPNG_ENGINE_REASM_INT_H

#include "engine/reasm.h"

/* reasm.c */
/* The stream's message in progress with the next expected MID, or NULL. */
struct tchunk *reasm_find_next(const struct reasm *r, const struct reasm_stream *s);
/* Takes the head fragment off message h of stream queue *q (s->msgs or
 * s->umsgs; the message leaves the queue when it was the last); returns it. */
struct tchunk *reasm_pop_frag(struct reasm *r, struct tchunk **q, struct tchunk *h);
/* The unordered I-DATA message in progress with this MID, or NULL. */
struct tchunk *reasm_find_umsg(const struct reasm_stream *s, uint32_t mid);
/* Unordered list: unlink one chunk; move the message [b..e] to ready. */
void reasm_u_unlink(struct reasm *r, struct tchunk *c);
/* Delivers everything deliverable (after a partial delivery or FORWARD-TSN). */
void reasm_scan_all(struct reasm *r);

/* reasm_read.c */
void reasm_ready_append(struct reasm *r, struct tchunk *c);
/* Moves fragments that continue stream s's partial delivery to ready. */
void reasm_pd_pull(struct reasm *r, struct reasm_stream *s);
/* FORWARD-TSN abandoned the rest of stream s's partially delivered message. */
void reasm_pd_abandon(struct reasm *r, struct reasm_stream *s);

#endif
