/* kstats.c - kernel backend: association and PR-SCTP statistics. */
#include <errno.h>
#include <string.h>

#include "kernel/kernel.h"
#include "kernel/ksctp.h"

/*
 * Linux reports sas_maxrto in its own clock ticks (jiffies), not in ms as
 * it does every other time (seen on 6.1: an RTO of 200 ms reads as 50 at
 * HZ=250). The tick is measured, never assumed: an association keeps its
 * SACK delay in ticks, so 1 ms written to it reads back as one tick
 * rounded up to whole ms (1 at HZ=1000, 4 at HZ=250, 10 at HZ=100); the
 * old setting is then put back exactly (a value read back is a whole
 * number of ticks). Returns the tick in ms, or 0 when it cannot be learnt.
 */
static unsigned tick_ms(int fd, sctp_assoc_t id)
{
    struct sctp_sack_info old = {.sack_assoc_id = id}, probe = {.sack_assoc_id = id};
    socklen_t len = sizeof(old);
    if (ksctp_getopt(fd, SCTP_DELAYED_SACK, &old, &len))
        return 0;
    probe.sack_delay = 1;
    if (ksctp_setopt(fd, SCTP_DELAYED_SACK, &probe, sizeof(probe)))
        return 0;
    len = sizeof(probe);
    unsigned t = ksctp_getopt(fd, SCTP_DELAYED_SACK, &probe, &len) ? 0 : probe.sack_delay;
    /* Delay 0 means delayed SACK was off: frequency 1 turns it off again. */
    struct sctp_sack_info back = {.sack_assoc_id = id,
                                  .sack_delay = old.sack_delay,
                                  .sack_freq = old.sack_delay ? old.sack_freq : 1};
    ksctp_setopt(fd, SCTP_DELAYED_SACK, &back, sizeof(back));
    return t;
}

int kernel_get_assoc_stats(sctpng_socket *s, sctpng_assoc_t assoc, sctpng_assoc_stats *st)
{
    struct sctp_assoc_stats k;
    memset(&k, 0, sizeof(k));
    k.sas_assoc_id = assoc;
    socklen_t len = sizeof(k);
    int err = ksctp_getopt(s->fd, SCTP_GET_ASSOC_STATS, &k, &len);
    if (err)
        return err;
    sctpng_assoc_stats_init(st);
    st->max_rto_ms = k.sas_maxrto ? k.sas_maxrto * tick_ms(s->fd, assoc) : 0;
    sctpng_addr_from_sockaddr(&st->max_rto_addr, (const struct sockaddr *)&k.sas_obs_rto_ipaddr,
                              sizeof(k.sas_obs_rto_ipaddr));
    st->isacks = k.sas_isacks;
    st->osacks = k.sas_osacks;
    st->opackets = k.sas_opackets;
    st->ipackets = k.sas_ipackets;
    st->rtxchunks = k.sas_rtxchunks;
    st->outofseqtsns = k.sas_outofseqtsns;
    st->idupchunks = k.sas_idupchunks;
    st->gapcnt = k.sas_gapcnt;
    st->ouodchunks = k.sas_ouodchunks;
    st->iuodchunks = k.sas_iuodchunks;
    st->oodchunks = k.sas_oodchunks;
    st->iodchunks = k.sas_iodchunks;
    st->octrlchunks = k.sas_octrlchunks;
    st->ictrlchunks = k.sas_ictrlchunks;
    st->fast_rtx = SCTPNG_STAT_NONE; /* Linux counts them only host-wide (SNMP) */
    st->t3_expiries = SCTPNG_STAT_NONE;
    sctpng_pr_stats pr;
    st->abandoned = kernel_get_pr_stats(s, assoc, SCTPNG_ALL_STREAMS, SCTPNG_PR_ALL, &pr) == 0
                        ? pr.abandoned_unsent + pr.abandoned_sent
                        : SCTPNG_STAT_NONE;
    return 0;
}

int kernel_get_pr_stats(sctpng_socket *s, sctpng_assoc_t assoc, int stream, int policy,
                        sctpng_pr_stats *st)
{
    struct sctp_prstatus k;
    memset(&k, 0, sizeof(k));
    k.sprstat_assoc_id = assoc;
    k.sprstat_sid = stream < 0 ? 0 : (uint16_t)stream;
    k.sprstat_policy =
        policy == SCTPNG_PR_ALL ? SCTP_PR_SCTP_ALL : kmap_pr_policy((uint16_t)policy);
    socklen_t len = sizeof(k);
    int opt = stream < 0 ? SCTP_PR_ASSOC_STATUS : SCTP_PR_STREAM_STATUS;
    int err = ksctp_getopt(s->fd, opt, &k, &len);
    if (err)
        return err;
    st->abandoned_unsent = k.sprstat_abandoned_unsent;
    st->abandoned_sent = k.sprstat_abandoned_sent;
    return 0;
}
