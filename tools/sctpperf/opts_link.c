/* opts_link.c - sctpperf's link-testing options: --sched, --intl,
 * --auth-key, --stats and --busy-poll (parsed by tools/common/linkopts.c). */
#include <stdio.h>
#include <stdlib.h>

#include "perf.h"

static int bad(const char *opt, const char *why)
{
    perf_err("invalid value for %s: %s", opt, why);
    fprintf(stderr, "Try 'sctpperf --help'.\n");
    return 2;
}

int perf_link_opt(struct perf_config *c, int ch, const char *v)
{
    char err[200];
    switch (ch) {
    case PERF_OPT_SCHED:
        return link_parse_sched(&c->link, v, err, sizeof(err)) < 0 ? bad("--sched", err) : 0;
    case PERF_OPT_INTL:
        c->link.intl = true;
        return 0;
    case PERF_OPT_AUTH_KEY:
        return link_parse_key(&c->link, v, err, sizeof(err)) < 0 ? bad("--auth-key", err) : 0;
    case PERF_OPT_STATS:
        c->link.stats = true;
        return 0;
    case PERF_OPT_BUSY_POLL: {
        char *end;
        long us = strtol(v, &end, 10);
        if (!*v || *end || us < 0 || us > 1000)
            return bad("--busy-poll", "microseconds, 0 to 1000");
        c->link.busy_poll = (int)us;
        return 0;
    }
    default:
        return -1;
    }
}
