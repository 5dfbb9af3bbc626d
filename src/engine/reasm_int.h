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

/* reasm_fsn.c: the peer's I-DATA fragment numbering (reasm.h) */
/* Non-first I-DATA fragment c, before it is filed: learns Linux numbering
 * from an FSN of 0 (RFC never sends one: the fragments stored so far move
 * to RFC numbering then) and maps a Linux FSN to ours. */
void reasm_fsn_map(struct reasm *r, struct tchunk *c);
/* Complete message h may be delivered: the numbering is known, it has one
 * fragment, or none of its fragments can be missing: every TSN up to its
 * last one arrived, or its TSNs are consecutive (which learns RFC
 * numbering: no Linux second fragment was among them). Else false, and
 * the message waits for the cumulative TSN (fsn_wait). */
bool reasm_fsn_ok(struct reasm *r, const struct tchunk *h);
/* Fragment c may continue a partial delivery (the same rule for one). */
bool reasm_fsn_frag_ok(struct reasm *r, const struct tchunk *c);
/* The cumulative TSN moved or the numbering was learned: delivers what
 * waited on it. */
void reasm_fsn_recheck(struct reasm *r);

#endif
