/* Stream reconfiguration state of one association (RFC 6525), allocated
 * at the first request either way (an idle association holds only the
 * pointer: engine_scale's budget). reconf.c, the RE-CONFIG chunk handler,
 * is its only writer; the association frees it with reconf_state_free(). */
#ifndef SCTPNG_ENGINE_RECONF_H
#define SCTPNG_ENGINE_RECONF_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/mem.h"

/* The kinds of request parameter, as bits of a request. */
enum {
    RK_OUT = 1u << 0,     /* Outgoing SSN Reset: our outgoing streams */
    RK_IN = 1u << 1,      /* Incoming SSN Reset: the peer's outgoing streams */
    RK_TSN = 1u << 2,     /* SSN/TSN Reset: the whole association */
    RK_ADD_OUT = 1u << 3, /* Add Outgoing Streams */
    RK_ADD_IN = 1u << 4,  /* Add Incoming Streams */
    RK_COUNT = 5,
};

#define RECONF_MAX_RESP 4 /* responses waiting for a packet */
#define RECONF_HISTORY  2 /* answers kept for retransmitted requests */

struct reconf_resp {
    uint32_t seq, result;
    bool tsns;
    uint32_t snd_next, rcv_next;
};

struct reconf {
    /* our requests: one outstanding at a time (RFC 6525 5.1.1) */
    uint32_t next_seq;         /* the next request sequence number we use */
    uint8_t open;              /* RK_* parameters sent and not yet answered */
    bool send_req;             /* the request (its open parameters) goes in the next packet */
    unsigned rtx;              /* retransmissions of the current request */
    uint32_t seq[RK_COUNT];    /* the sequence number of each parameter */
    uint32_t out_resp_seq;     /* RK_OUT: the peer's request it answers (or last seen) */
    uint32_t out_last_tsn;     /* RK_OUT: our last assigned TSN */
    uint16_t *out_sids, n_out; /* RK_OUT streams (n 0: all) */
    uint16_t *in_sids, n_in;   /* RK_IN streams (n 0: all) */
    uint16_t add_out, add_in;  /* RK_ADD_OUT / RK_ADD_IN counts */

    /* the peer's requests */
    bool peer_known;                         /* peer_next is known (the first request tells it) */
    uint32_t peer_next;                      /* the sequence number its next request must carry */
    struct reconf_resp hist[RECONF_HISTORY]; /* answers to its latest requests */
    unsigned n_hist;
    struct reconf_resp resp[RECONF_MAX_RESP]; /* to send */
    unsigned n_resp;
    /* an Outgoing SSN Reset of the peer waiting for its last TSN (5.2.2) */
    bool tsn_drain; /* we answered a SSN/TSN reset "in progress": no new sends until done */
    bool deferred;
    uint32_t def_seq, def_tsn;
    uint16_t *def_sids, def_n;
};

static inline void reconf_state_free(struct reconf *rc, struct mem_acct *m)
{
    if (!rc)
        return;
    mem_free(m, rc->out_sids);
    mem_free(m, rc->in_sids);
    mem_free(m, rc->def_sids);
    mem_free(m, rc);
}

#endif
