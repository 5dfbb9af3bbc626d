/* assocstats.c - reading and naming association statistics (--stats). */
#include <stddef.h>
#include <stdio.h>

#include "assocstats.h"

/* clang-format off */
/* The library's field names are the keys. */
#define FIELD(name) {#name, offsetof(sctpng_assoc_stats, name)}
static const struct {
    const char *key;
    size_t off;
} fields[] = {
    FIELD(opackets), FIELD(ipackets), FIELD(osacks), FIELD(isacks),
    FIELD(oodchunks), FIELD(iodchunks), FIELD(ouodchunks), FIELD(iuodchunks),
    FIELD(octrlchunks), FIELD(ictrlchunks), FIELD(rtxchunks), FIELD(gapcnt),
    FIELD(outofseqtsns), FIELD(idupchunks), FIELD(max_rto_ms), FIELD(fast_rtx),
    FIELD(t3_expiries), FIELD(abandoned),
};
/* clang-format on */
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

static const char *const pr_keys[] = {"pr_abandoned_unsent", "pr_abandoned_sent"};

int astats_read(sctpng_socket *s, sctpng_assoc_t assoc, struct astats *a)
{
    sctpng_assoc_stats st;
    sctpng_assoc_stats_init(&st);
    int r = sctpng_get_assoc_stats(s, assoc, &st);
    if (r < 0)
        return r;
    /* Linux resets max_rto on each read: keep the highest of all reads. */
    if (a->valid && a->st.max_rto_ms > st.max_rto_ms) {
        st.max_rto_ms = a->st.max_rto_ms;
        st.max_rto_addr = a->st.max_rto_addr;
    }
    a->st = st;
    a->valid = true;
    /* Before Linux 4.8, and on the UDP backend, there are no per-policy
     * PR-SCTP counters: then these two are not shown. */
    sctpng_pr_stats prs;
    if (sctpng_get_pr_stats(s, assoc, SCTPNG_ALL_STREAMS, SCTPNG_PR_ALL, &prs) == 0) {
        a->prs = prs;
        a->pr = true;
    }
    return 0;
}

size_t astats_count(const struct astats *a)
{
    return NFIELDS + (a->pr ? 2 : 0);
}

const char *astats_key(size_t i)
{
    return i < NFIELDS ? fields[i].key : pr_keys[i - NFIELDS];
}

uint64_t astats_value(const struct astats *a, size_t i)
{
    if (i < NFIELDS)
        return *(const uint64_t *)((const char *)&a->st + fields[i].off);
    return i == NFIELDS ? a->prs.abandoned_unsent : a->prs.abandoned_sent;
}

const char *astats_line(const struct astats *a, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < astats_count(a) && used < len; i++) {
        uint64_t v = astats_value(a, i);
        char num[24] = "-"; /* a counter this backend does not keep */
        if (v != SCTPNG_STAT_NONE)
            snprintf(num, sizeof(num), "%llu", (unsigned long long)v);
        int n = snprintf(buf + used, len - used, "%s%s %s", i ? " " : "", astats_key(i), num);
        if (n < 0)
            break;
        used += (size_t)n;
    }
    return buf;
}
