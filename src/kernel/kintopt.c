/* kintopt.c - kernel backend: integer options (sctpng_setopt/getopt and
 * their per-association forms). */
#include <errno.h>
#include <string.h>

#include "kernel/kscope.h"

enum opt_kind {
    OK_INT,              /* int at IPPROTO_SCTP */
    OK_SOCK,             /* int at SOL_SOCKET */
    OK_IPV6,             /* int at IPPROTO_IPV6 */
    OK_U32,              /* uint32_t at IPPROTO_SCTP */
    OK_ASSOC_VALUE,      /* struct sctp_assoc_value */
    OK_SACK_DELAY,       /* struct sctp_sack_info, the delay */
    OK_SACK_FREQ,        /* struct sctp_sack_info, the frequency */
    OK_PF_EXPOSE,        /* sctp_assoc_value holding a level */
    OK_SCHED,            /* sctp_assoc_value holding a scheduler */
    OK_ASSOCINFO_RXT,    /* struct sctp_assocparams, max retransmissions */
    OK_ASSOCINFO_COOKIE, /* struct sctp_assocparams, cookie life */
};

/* Who holds the value: the socket only, the endpoint for associations
 * still to be negotiated, or each association its own copy. */
enum opt_scope { SC_SOCKET, SC_NEGOTIATED, SC_LIVE };

/* SCTP_EXPOSE_POTENTIALLY_FAILED_STATE takes a level, not a bool (the
 * kernel's SCTP_PF_EXPOSE_*, which <linux/sctp.h> does not export):
 * 0 unset (PF shows in SCTP_GET_PEER_ADDR_INFO, no event), 1 disable (and
 * SCTP_GET_PEER_ADDR_INFO fails with EACCES on a PF path), 2 enable. */
#define KPF_EXPOSE_UNSET  0
#define KPF_EXPOSE_ENABLE 2

struct opt_desc {
    int level_opt; /* the kernel option number */
    unsigned char kind, scope;
};

static int describe(int opt, struct opt_desc *d)
{
    static const struct opt_desc table[] = {
        [SCTPNG_OPT_NODELAY] = {SCTP_NODELAY, OK_INT, SC_SOCKET},
        [SCTPNG_OPT_SNDBUF] = {SO_SNDBUF, OK_SOCK, SC_SOCKET},
        [SCTPNG_OPT_RCVBUF] = {SO_RCVBUF, OK_SOCK, SC_SOCKET},
        [SCTPNG_OPT_AUTOCLOSE] = {SCTP_AUTOCLOSE, OK_INT, SC_SOCKET},
        [SCTPNG_OPT_DISABLE_FRAGMENTS] = {SCTP_DISABLE_FRAGMENTS, OK_INT, SC_SOCKET},
        [SCTPNG_OPT_MAXSEG] = {SCTP_MAXSEG, OK_ASSOC_VALUE, SC_LIVE},
        [SCTPNG_OPT_RECV_NXTINFO] = {SCTP_RECVNXTINFO, OK_INT, SC_SOCKET},
        [SCTPNG_OPT_FRAGMENT_INTERLEAVE] = {SCTP_FRAGMENT_INTERLEAVE, OK_INT, SC_SOCKET},
        [SCTPNG_OPT_PARTIAL_DELIVERY_POINT] = {SCTP_PARTIAL_DELIVERY_POINT, OK_U32, SC_SOCKET},
        [SCTPNG_OPT_REUSEADDR] = {SO_REUSEADDR, OK_SOCK, SC_SOCKET},
        [SCTPNG_OPT_V6ONLY] = {IPV6_V6ONLY, OK_IPV6, SC_SOCKET},
        [SCTPNG_OPT_MAX_BURST] = {SCTP_MAX_BURST, OK_ASSOC_VALUE, SC_LIVE},
        [SCTPNG_OPT_PR_SUPPORTED] = {SCTP_PR_SUPPORTED, OK_ASSOC_VALUE, SC_NEGOTIATED},
        [SCTPNG_OPT_INTERLEAVING] = {SCTP_INTERLEAVING_SUPPORTED, OK_ASSOC_VALUE, SC_NEGOTIATED},
        [SCTPNG_OPT_DELAYED_ACK_MS] = {SCTP_DELAYED_SACK, OK_SACK_DELAY, SC_LIVE},
        [SCTPNG_OPT_AUTH_SUPPORTED] = {SCTP_AUTH_SUPPORTED, OK_ASSOC_VALUE, SC_NEGOTIATED},
        [SCTPNG_OPT_ASCONF_SUPPORTED] = {SCTP_ASCONF_SUPPORTED, OK_ASSOC_VALUE, SC_NEGOTIATED},
        [SCTPNG_OPT_AUTO_ASCONF] = {SCTP_AUTO_ASCONF, OK_INT, SC_SOCKET},
        [SCTPNG_OPT_EXPOSE_PF] = {SCTP_EXPOSE_POTENTIALLY_FAILED_STATE, OK_PF_EXPOSE, SC_LIVE},
        [SCTPNG_OPT_SACK_FREQ] = {SCTP_DELAYED_SACK, OK_SACK_FREQ, SC_LIVE},
        [SCTPNG_OPT_RECONFIG_SUPPORTED] = {SCTP_RECONFIG_SUPPORTED, OK_ASSOC_VALUE, SC_NEGOTIATED},
        [SCTPNG_OPT_STREAM_RESET] = {SCTP_ENABLE_STREAM_RESET, OK_ASSOC_VALUE, SC_LIVE},
        [SCTPNG_OPT_SCHEDULER] = {SCTP_STREAM_SCHEDULER, OK_SCHED, SC_LIVE},
        [SCTPNG_OPT_ADAPTATION] = {SCTP_ADAPTATION_LAYER, OK_U32, SC_SOCKET},
        [SCTPNG_OPT_CONTEXT] = {SCTP_CONTEXT, OK_ASSOC_VALUE, SC_LIVE},
        [SCTPNG_OPT_MAPPED_V4] = {SCTP_I_WANT_MAPPED_V4_ADDR, OK_INT, SC_SOCKET},
        [SCTPNG_OPT_REUSEPORT] = {SCTP_REUSE_PORT, OK_INT, SC_SOCKET},
        [SCTPNG_OPT_ECN_SUPPORTED] = {SCTP_ECN_SUPPORTED, OK_ASSOC_VALUE, SC_NEGOTIATED},
        [SCTPNG_OPT_ASSOC_MAX_RETRANS] = {SCTP_ASSOCINFO, OK_ASSOCINFO_RXT, SC_LIVE},
        [SCTPNG_OPT_COOKIE_LIFE_MS] = {SCTP_ASSOCINFO, OK_ASSOCINFO_COOKIE, SC_LIVE},
        [SCTPNG_OPT_BUSY_POLL] = {SO_BUSY_POLL, OK_SOCK, SC_SOCKET},
    };
    if (opt == SCTPNG_OPT_IDATA_FSN_FROM_ZERO)
        return -ENOPROTOOPT; /* the UDP backend's engine only: Linux numbers its own way */
    if (opt <= 0 || (size_t)opt >= sizeof(table) / sizeof(table[0]) || !table[opt].level_opt)
        return -EINVAL;
    *d = table[opt];
    return 0;
}

/* SCTP_DELAYED_SACK: a zero field means "unchanged"; sack_freq 1 turns
 * delayed SACK off, a delay or a frequency above 1 turns it on again. */
static struct sctp_sack_info sack_request(const struct opt_desc *d, sctp_assoc_t id, int value)
{
    struct sctp_sack_info si = {.sack_assoc_id = id};
    if (d->kind == OK_SACK_FREQ)
        si.sack_freq = (uint32_t)value;
    else if (value == 0)
        si.sack_freq = 1;
    else
        si.sack_delay = (uint32_t)value;
    return si;
}

static int set_one(sctpng_socket *s, sctp_assoc_t id, const struct opt_desc *d, int value)
{
    switch (d->kind) {
    case OK_SOCK:
        return setsockopt(s->fd, SOL_SOCKET, d->level_opt, &value, sizeof(value)) ? -errno : 0;
    case OK_IPV6:
        if (s->family != AF_INET6)
            return -ENOPROTOOPT;
        return setsockopt(s->fd, IPPROTO_IPV6, d->level_opt, &value, sizeof(value)) ? -errno : 0;
    case OK_ASSOC_VALUE:
    case OK_PF_EXPOSE: {
        uint32_t v = (uint32_t)value;
        /* Off is the kernel's default, not "disable", so path info keeps
         * working on a potentially-failed path. */
        if (d->kind == OK_PF_EXPOSE)
            v = value ? KPF_EXPOSE_ENABLE : KPF_EXPOSE_UNSET;
        struct sctp_assoc_value av = {.assoc_id = id, .assoc_value = v};
        return ksctp_setopt(s->fd, d->level_opt, &av, sizeof(av));
    }
    case OK_SCHED: {
        /* Kernels without FC and WFQ (before 6.2) refuse them as unknown
         * values: that is a missing feature, not a bad argument. */
        struct sctp_assoc_value av = {.assoc_id = id, .assoc_value = (uint32_t)value};
        int err = ksctp_setopt(s->fd, d->level_opt, &av, sizeof(av));
        socklen_t len = sizeof(av);
        if (err == -EINVAL && (value == SCTPNG_SCHED_FC || value == SCTPNG_SCHED_WFQ) &&
            ksctp_getopt(s->fd, d->level_opt, &av, &len) == 0)
            err = -EOPNOTSUPP; /* the association is there: the value was refused */
        return err;
    }
    case OK_ASSOCINFO_RXT:
    case OK_ASSOCINFO_COOKIE: {
        /* Zero fields are left as they are, so 0 cannot be set. */
        if (value == 0 || (d->kind == OK_ASSOCINFO_RXT && value > 65535))
            return -EINVAL;
        struct sctp_assocparams ap = {.sasoc_assoc_id = id};
        if (d->kind == OK_ASSOCINFO_RXT)
            ap.sasoc_asocmaxrxt = (uint16_t)value;
        else
            ap.sasoc_cookie_life = (uint32_t)value;
        return ksctp_setopt(s->fd, d->level_opt, &ap, sizeof(ap));
    }
    case OK_U32: {
        uint32_t v = (uint32_t)value;
        return ksctp_setopt(s->fd, d->level_opt, &v, sizeof(v));
    }
    case OK_SACK_DELAY:
    case OK_SACK_FREQ: {
        if (d->kind == OK_SACK_FREQ && value == 0)
            return -EINVAL;
        struct sctp_sack_info si = sack_request(d, id, value);
        return ksctp_setopt(s->fd, d->level_opt, &si, sizeof(si));
    }
    default: {
        int err = ksctp_setopt(s->fd, d->level_opt, &value, sizeof(value));
        /* Linux says EFAULT to SCTP_REUSE_PORT on a bound socket: it is
         * too late, not a bad pointer. */
        return err == -EFAULT && d->level_opt == SCTP_REUSE_PORT ? -EBUSY : err;
    }
    }
}

static int get_one(sctpng_socket *s, sctp_assoc_t id, const struct opt_desc *d, int *value)
{
    socklen_t len = sizeof(int);
    int err;
    switch (d->kind) {
    case OK_SOCK:
        return getsockopt(s->fd, SOL_SOCKET, d->level_opt, value, &len) ? -errno : 0;
    case OK_IPV6:
        if (s->family != AF_INET6)
            return -ENOPROTOOPT;
        return getsockopt(s->fd, IPPROTO_IPV6, d->level_opt, value, &len) ? -errno : 0;
    case OK_ASSOC_VALUE:
    case OK_SCHED:
    case OK_PF_EXPOSE: {
        struct sctp_assoc_value av = {.assoc_id = id};
        len = sizeof(av);
        err = ksctp_getopt(s->fd, d->level_opt, &av, &len);
        if (!err)
            *value =
                d->kind == OK_PF_EXPOSE ? av.assoc_value == KPF_EXPOSE_ENABLE : (int)av.assoc_value;
        return err;
    }
    case OK_ASSOCINFO_RXT:
    case OK_ASSOCINFO_COOKIE: {
        struct sctp_assocparams ap = {.sasoc_assoc_id = id};
        len = sizeof(ap);
        err = ksctp_getopt(s->fd, d->level_opt, &ap, &len);
        if (!err)
            *value = d->kind == OK_ASSOCINFO_RXT ? ap.sasoc_asocmaxrxt : (int)ap.sasoc_cookie_life;
        return err;
    }
    case OK_SACK_DELAY:
    case OK_SACK_FREQ: {
        /* The kernel reports delay 0 and frequency 1 while delayed SACK
         * is off, which is what the API promises too. */
        struct sctp_sack_info si = {.sack_assoc_id = id};
        len = sizeof(si);
        err = ksctp_getopt(s->fd, d->level_opt, &si, &len);
        if (!err)
            *value = (int)(d->kind == OK_SACK_FREQ ? si.sack_freq : si.sack_delay);
        return err;
    }
    default:
        return ksctp_getopt(s->fd, d->level_opt, value, &len);
    }
}

struct set_ctx {
    const struct opt_desc *d;
    int value;
};

static int set_cb(sctpng_socket *s, sctp_assoc_t id, void *ctx)
{
    const struct set_ctx *c = ctx;
    return set_one(s, id, c->d, c->value);
}

int kernel_setopt_assoc(sctpng_socket *s, sctpng_assoc_t assoc, int opt, int value)
{
    struct opt_desc d;
    int err = describe(opt, &d);
    if (err)
        return err;
    if (value < 0)
        return -EINVAL;
    bool default_only = d.scope != SC_LIVE;
    if (s->style == SCTPNG_ONE_TO_MANY && default_only) {
        if (assoc != SCTPNG_ASSOC_FUTURE && assoc != SCTPNG_ASSOC_ALL)
            return -EINVAL;
        assoc = SCTPNG_ASSOC_FUTURE;
    }
    struct set_ctx c = {.d = &d, .value = value};
    return kscope_each(s, assoc, set_cb, &c);
}

int kernel_getopt_assoc(sctpng_socket *s, sctpng_assoc_t assoc, int opt, int *value)
{
    struct opt_desc d;
    int err = describe(opt, &d);
    if (err)
        return err;
    if (s->style != SCTPNG_ONE_TO_MANY)
        assoc = 0;
    else if (assoc == SCTPNG_ASSOC_CURRENT || assoc == SCTPNG_ASSOC_ALL ||
             (d.scope == SC_SOCKET && assoc != SCTPNG_ASSOC_FUTURE))
        return -EINVAL;
    return get_one(s, assoc, &d, value);
}

int kernel_setopt(sctpng_socket *s, int opt, int value)
{
    return kernel_setopt_assoc(s, SCTPNG_ASSOC_ALL, opt, value);
}

int kernel_getopt(sctpng_socket *s, int opt, int *value)
{
    return kernel_getopt_assoc(s, kscope_future(s), opt, value);
}
