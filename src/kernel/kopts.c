/* kopts.c - kernel backend: event subscription and socket options. */
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

enum opt_kind { OK_INT, OK_SOCK, OK_IPV6, OK_ASSOC_VALUE, OK_U32, OK_SACK, OK_PF_EXPOSE };

/* SCTP_EXPOSE_POTENTIALLY_FAILED_STATE takes a level, not a bool (the
 * kernel's SCTP_PF_EXPOSE_*, which <linux/sctp.h> does not export):
 * 0 unset (PF shows in SCTP_GET_PEER_ADDR_INFO, no event), 1 disable (and
 * SCTP_GET_PEER_ADDR_INFO fails with EACCES on a PF path), 2 enable. */
#define KPF_EXPOSE_UNSET  0
#define KPF_EXPOSE_ENABLE 2

struct opt_desc {
    int level_opt; /* the kernel option number */
    enum opt_kind kind;
};

static int describe(int opt, struct opt_desc *d)
{
    static const struct opt_desc table[] = {
        [SCTPNG_OPT_NODELAY] = {SCTP_NODELAY, OK_INT},
        [SCTPNG_OPT_SNDBUF] = {SO_SNDBUF, OK_SOCK},
        [SCTPNG_OPT_RCVBUF] = {SO_RCVBUF, OK_SOCK},
        [SCTPNG_OPT_AUTOCLOSE] = {SCTP_AUTOCLOSE, OK_INT},
        [SCTPNG_OPT_DISABLE_FRAGMENTS] = {SCTP_DISABLE_FRAGMENTS, OK_INT},
        [SCTPNG_OPT_MAXSEG] = {SCTP_MAXSEG, OK_ASSOC_VALUE},
        [SCTPNG_OPT_RECV_NXTINFO] = {SCTP_RECVNXTINFO, OK_INT},
        [SCTPNG_OPT_FRAGMENT_INTERLEAVE] = {SCTP_FRAGMENT_INTERLEAVE, OK_INT},
        [SCTPNG_OPT_PARTIAL_DELIVERY_POINT] = {SCTP_PARTIAL_DELIVERY_POINT, OK_U32},
        [SCTPNG_OPT_REUSEADDR] = {SO_REUSEADDR, OK_SOCK},
        [SCTPNG_OPT_V6ONLY] = {IPV6_V6ONLY, OK_IPV6},
        [SCTPNG_OPT_MAX_BURST] = {SCTP_MAX_BURST, OK_ASSOC_VALUE},
        [SCTPNG_OPT_PR_SUPPORTED] = {SCTP_PR_SUPPORTED, OK_ASSOC_VALUE},
        [SCTPNG_OPT_INTERLEAVING] = {SCTP_INTERLEAVING_SUPPORTED, OK_ASSOC_VALUE},
        [SCTPNG_OPT_DELAYED_ACK_MS] = {SCTP_DELAYED_SACK, OK_SACK},
        [SCTPNG_OPT_AUTH_SUPPORTED] = {SCTP_AUTH_SUPPORTED, OK_ASSOC_VALUE},
        [SCTPNG_OPT_ASCONF_SUPPORTED] = {SCTP_ASCONF_SUPPORTED, OK_ASSOC_VALUE},
        [SCTPNG_OPT_AUTO_ASCONF] = {SCTP_AUTO_ASCONF, OK_INT},
        [SCTPNG_OPT_EXPOSE_PF] = {SCTP_EXPOSE_POTENTIALLY_FAILED_STATE, OK_PF_EXPOSE},
    };
    if (opt <= 0 || (size_t)opt >= sizeof(table) / sizeof(table[0]) || !table[opt].level_opt)
        return -EINVAL;
    *d = table[opt];
    return 0;
}

/* Options are set for the socket and its future associations. */
static sctp_assoc_t future(const sctpng_socket *s)
{
    return s->style == SCTPNG_ONE_TO_MANY ? SCTP_FUTURE_ASSOC : 0;
}

int kernel_setopt(sctpng_socket *s, int opt, int value)
{
    struct opt_desc d;
    int err = describe(opt, &d);
    if (err)
        return err;
    if (value < 0)
        return -EINVAL;
    switch (d.kind) {
    case OK_SOCK:
        return setsockopt(s->fd, SOL_SOCKET, d.level_opt, &value, sizeof(value)) ? -errno : 0;
    case OK_IPV6:
        if (s->family != AF_INET6)
            return -ENOPROTOOPT;
        return setsockopt(s->fd, IPPROTO_IPV6, d.level_opt, &value, sizeof(value)) ? -errno : 0;
    case OK_ASSOC_VALUE: {
        struct sctp_assoc_value av = {.assoc_id = future(s), .assoc_value = (uint32_t)value};
        return ksctp_setopt(s->fd, d.level_opt, &av, sizeof(av));
    }
    case OK_PF_EXPOSE: {
        /* Off is the kernel's default, not "disable", so path info keeps
         * working on a potentially-failed path. */
        uint32_t level = value ? KPF_EXPOSE_ENABLE : KPF_EXPOSE_UNSET;
        struct sctp_assoc_value av = {.assoc_id = future(s), .assoc_value = level};
        return ksctp_setopt(s->fd, d.level_opt, &av, sizeof(av));
    }
    case OK_U32: {
        uint32_t v = (uint32_t)value;
        return ksctp_setopt(s->fd, d.level_opt, &v, sizeof(v));
    }
    case OK_SACK: {
        struct sctp_sack_info si = {.sack_assoc_id = future(s), .sack_delay = (uint32_t)value};
        return ksctp_setopt(s->fd, d.level_opt, &si, sizeof(si));
    }
    default:
        return ksctp_setopt(s->fd, d.level_opt, &value, sizeof(value));
    }
}

int kernel_getopt(sctpng_socket *s, int opt, int *value)
{
    struct opt_desc d;
    int err = describe(opt, &d);
    if (err)
        return err;
    socklen_t len = sizeof(int);
    switch (d.kind) {
    case OK_SOCK:
        return getsockopt(s->fd, SOL_SOCKET, d.level_opt, value, &len) ? -errno : 0;
    case OK_IPV6:
        if (s->family != AF_INET6)
            return -ENOPROTOOPT;
        return getsockopt(s->fd, IPPROTO_IPV6, d.level_opt, value, &len) ? -errno : 0;
    case OK_ASSOC_VALUE: {
        struct sctp_assoc_value av = {.assoc_id = future(s)};
        len = sizeof(av);
        err = ksctp_getopt(s->fd, d.level_opt, &av, &len);
        *value = (int)av.assoc_value;
        return err;
    }
    case OK_PF_EXPOSE: {
        struct sctp_assoc_value av = {.assoc_id = future(s)};
        len = sizeof(av);
        err = ksctp_getopt(s->fd, d.level_opt, &av, &len);
        *value = av.assoc_value == KPF_EXPOSE_ENABLE;
        return err;
    }
    case OK_SACK: {
        struct sctp_sack_info si = {.sack_assoc_id = future(s)};
        len = sizeof(si);
        err = ksctp_getopt(s->fd, d.level_opt, &si, &len);
        *value = (int)si.sack_delay;
        return err;
    }
    default:
        return ksctp_getopt(s->fd, d.level_opt, value, &len);
    }
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
