/* kopts.c - kernel backend: event subscription, INIT and RTO parameters,
 * default send info (integer options are in kintopt.c). */
#include <errno.h>
#include <string.h>

#include "kernel/kernel.h"
#include "kernel/ksctp.h"

/* The kernel's notification type for each event kind (0: none). */
static uint16_t event_type(int kind)
{
    switch (kind) {
    case SCTPNG_EV_ASSOC_CHANGE:
        return SCTP_ASSOC_CHANGE;
    case SCTPNG_EV_PEER_ADDR_CHANGE:
        return SCTP_PEER_ADDR_CHANGE;
    case SCTPNG_EV_REMOTE_ERROR:
        return SCTP_REMOTE_ERROR;
    case SCTPNG_EV_SEND_FAILED:
        return SCTP_SEND_FAILED_EVENT;
    case SCTPNG_EV_SHUTDOWN:
        return SCTP_SHUTDOWN_EVENT;
    case SCTPNG_EV_PARTIAL_DELIVERY:
        return SCTP_PARTIAL_DELIVERY_EVENT;
    case SCTPNG_EV_ADAPTATION:
        return SCTP_ADAPTATION_INDICATION;
    case SCTPNG_EV_AUTH:
        return SCTP_AUTHENTICATION_EVENT;
    case SCTPNG_EV_SENDER_DRY:
        return SCTP_SENDER_DRY_EVENT;
    case SCTPNG_EV_STREAM_RESET:
        return SCTP_STREAM_RESET_EVENT;
    case SCTPNG_EV_ASSOC_RESET:
        return SCTP_ASSOC_RESET_EVENT;
    case SCTPNG_EV_STREAM_CHANGE:
        return SCTP_STREAM_CHANGE_EVENT;
    default:
        return 0;
    }
}

/* One SCTP_EVENT call per kind: never the size-dependent SCTP_EVENTS. */
int kernel_subscribe(sctpng_socket *s, uint32_t mask, bool on)
{
    for (int kind = 1; kind <= SCTPNG_EV_KIND_MAX; kind++) {
        if (!(mask & SCTPNG_EVMASK(kind)))
            continue;
        uint16_t type = event_type(kind);
        if (!type)
            return -EINVAL;
        struct sctp_event ev = {
            .se_assoc_id = s->style == SCTPNG_ONE_TO_MANY ? SCTP_ALL_ASSOC : SCTP_FUTURE_ASSOC,
            .se_type = type,
            .se_on = on ? 1 : 0,
        };
        int err = ksctp_setopt(s->fd, SCTP_EVENT, &ev, sizeof(ev));
        if (err)
            return err;
    }
    return 0;
}

/* Options are set for the socket and its future associations. */
static sctp_assoc_t future(const sctpng_socket *s)
{
    return s->style == SCTPNG_ONE_TO_MANY ? SCTP_FUTURE_ASSOC : 0;
}

int kernel_set_initmsg(sctpng_socket *s, const sctpng_initmsg *m)
{
    struct sctp_initmsg im = {.sinit_num_ostreams = m->ostreams,
                              .sinit_max_instreams = m->max_istreams,
                              .sinit_max_attempts = m->max_attempts,
                              .sinit_max_init_timeo = m->max_init_timeo_ms};
    return ksctp_setopt(s->fd, SCTP_INITMSG, &im, sizeof(im));
}

int kernel_get_initmsg(sctpng_socket *s, sctpng_initmsg *m)
{
    struct sctp_initmsg im;
    socklen_t len = sizeof(im);
    int err = ksctp_getopt(s->fd, SCTP_INITMSG, &im, &len);
    if (err)
        return err;
    m->ostreams = im.sinit_num_ostreams;
    m->max_istreams = im.sinit_max_instreams;
    m->max_attempts = im.sinit_max_attempts;
    m->max_init_timeo_ms = im.sinit_max_init_timeo;
    return 0;
}

int kernel_set_rtoinfo(sctpng_socket *s, sctpng_assoc_t assoc, const sctpng_rtoinfo *r)
{
    struct sctp_rtoinfo ri = {.srto_assoc_id = assoc ? assoc : future(s),
                              .srto_initial = r->initial,
                              .srto_max = r->max,
                              .srto_min = r->min};
    return ksctp_setopt(s->fd, SCTP_RTOINFO, &ri, sizeof(ri));
}

int kernel_get_rtoinfo(sctpng_socket *s, sctpng_assoc_t assoc, sctpng_rtoinfo *r)
{
    struct sctp_rtoinfo ri = {.srto_assoc_id = assoc ? assoc : future(s)};
    socklen_t len = sizeof(ri);
    int err = ksctp_getopt(s->fd, SCTP_RTOINFO, &ri, &len);
    if (err)
        return err;
    r->initial = ri.srto_initial;
    r->max = ri.srto_max;
    r->min = ri.srto_min;
    return 0;
}

int kernel_set_default_sndinfo(sctpng_socket *s, const sctpng_sndinfo *info)
{
    struct sctp_sndinfo si = {
        .snd_sid = info->stream,
        .snd_flags = kmap_send_flags(info->flags),
        .snd_ppid = htonl(info->ppid),
        .snd_context = info->context,
        .snd_assoc_id = info->assoc ? info->assoc : future(s),
    };
    int err = ksctp_setopt(s->fd, SCTP_DEFAULT_SNDINFO, &si, sizeof(si));
    if (err || info->pr_policy == SCTPNG_PR_NONE)
        return err;
    struct sctp_default_prinfo pi = {.pr_assoc_id = si.snd_assoc_id,
                                     .pr_value = info->pr_value,
                                     .pr_policy = kmap_pr_policy(info->pr_policy)};
    return ksctp_setopt(s->fd, SCTP_DEFAULT_PRINFO, &pi, sizeof(pi));
}

int kernel_get_default_sndinfo(sctpng_socket *s, sctpng_sndinfo *info)
{
    sctp_assoc_t id = info->assoc ? info->assoc : future(s);
    struct sctp_sndinfo si = {.snd_assoc_id = id};
    socklen_t len = sizeof(si);
    int err = ksctp_getopt(s->fd, SCTP_DEFAULT_SNDINFO, &si, &len);
    if (err)
        return err;
    struct sctp_default_prinfo pi = {.pr_assoc_id = id};
    len = sizeof(pi);
    err = ksctp_getopt(s->fd, SCTP_DEFAULT_PRINFO, &pi, &len);
    if (err)
        return err;
    sctpng_assoc_t assoc = info->assoc;
    memset(info, 0, sizeof(*info));
    info->assoc = assoc;
    info->stream = si.snd_sid;
    info->ppid = ntohl(si.snd_ppid);
    info->context = si.snd_context;
    info->flags = kmap_send_flags_back(si.snd_flags);
    info->pr_policy = kmap_pr_policy_back(pi.pr_policy);
    info->pr_value = info->pr_policy ? pi.pr_value : 0;
    return 0;
}
