/* linkopts.h - the options a person testing a link asks both tools for:
 * a stream scheduler with per-stream values, I-DATA interleaving, a shared
 * AUTH key, stream reconfiguration, and association statistics. Parsed
 * once, applied to the socket before it connects or listens and to each
 * association once it is up. On a backend without the feature every
 * apply call fails with a message naming the option and the backend. */
#ifndef SCTPNG_TOOLS_LINKOPTS_H
#define SCTPNG_TOOLS_LINKOPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sctpng.h"

#define LINK_MAX_SCHED_VALUES 64
#define LINK_MAX_KEY          256 /* bytes of --auth-key */

struct link_sched_value {
    uint16_t stream, value;
};

struct link_opts {
    int sched; /* enum sctpng_sched, -1: not asked for */
    struct link_sched_value vals[LINK_MAX_SCHED_VALUES];
    size_t nvals;
    bool intl;
    bool auth;
    uint8_t key[LINK_MAX_KEY];
    size_t key_len;
    bool reconfig;            /* offer reconfiguration, send and grant stream resets */
    const char *reconfig_opt; /* the tool's option that asked for it, for messages */
    bool stats;
    int busy_poll; /* SCTPNG_OPT_BUSY_POLL microseconds, -1: the backend's default */
};

void link_opts_init(struct link_opts *o);

/* "--sched NAME[:STREAM=VALUE,...]": fcfs, prio, rr, fc, wfq. 0, or -1
 * with the reason in err. */
int link_parse_sched(struct link_opts *o, const char *text, char *err, size_t len);

/* "--auth-key HEX": 1 to LINK_MAX_KEY bytes as hex digits. 0 or -1. */
int link_parse_key(struct link_opts *o, const char *text, char *err, size_t len);

/* The highest stream named in --sched values, plus one (0: none). */
uint32_t link_streams_needed(const struct link_opts *o);

/* Before connect/listen: interleaving, AUTH (key 1 active, DATA to be
 * authenticated), reconfiguration, the scheduler; and, for --stats, a
 * check that the backend has statistics at all. 0, or -1 with "OPTION:
 * why" in err (the backend named when it lacks the feature). */
int link_apply_socket(const struct link_opts *o, sctpng_socket *s, char *err, size_t len);

/* On a live association: the per-stream scheduler values. 0 or -1. */
int link_apply_assoc(const struct link_opts *o, sctpng_socket *s, sctpng_assoc_t assoc, char *err,
                     size_t len);

/* What the association agreed to, for -v and warnings: "scheduler prio
 * (stream 1 value 0); interleaving (I-DATA) on; AUTH: DATA authenticated,
 * key 1 active". `warn` is set when something asked for is not in use
 * (the peer did not offer I-DATA or AUTH). */
const char *link_describe(const struct link_opts *o, sctpng_socket *s, sctpng_assoc_t assoc,
                          bool *warn, char *buf, size_t len);

/* "fcfs", "prio", ... */
const char *link_sched_name(int sched);

#endif
