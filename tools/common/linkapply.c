/* linkapply.c - applying the link-testing options (linkopts.h) to a
 * socket and its associations, and saying what the association agreed.
 * Every failure names the option; when the backend lacks the feature
 * (the UDP engine answers -ENOPROTOOPT or -EOPNOTSUPP) it names the
 * backend, so the user never gets a silently ignored option. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "linkopts.h"

#define CHUNK_DATA   0
#define CHUNK_I_DATA 64 /* RFC 8260: with --intl DATA travels as I-DATA */

static bool is_udp(sctpng_socket *s)
{
    return sctpng_backend(s) == SCTPNG_BACKEND_UDP;
}

/* "OPTION: why" (or the error text) in err; always -1. */
static int fail(sctpng_socket *s, const char *opt, int r, const char *why, char *err, size_t len)
{
    if (is_udp(s) && (r == -ENOPROTOOPT || r == -EOPNOTSUPP))
        snprintf(err, len, "%s: not available on the udp backend (%s)", opt, sctpng_strerror(r));
    else
        snprintf(err, len, "%s: %s", opt, why ? why : sctpng_strerror(r));
    return -1;
}

static int apply_intl(sctpng_socket *s, char *err, size_t len)
{
    /* Linux wants FRAGMENT_INTERLEAVE 2 before it offers I-DATA. */
    int r = sctpng_setopt(s, SCTPNG_OPT_FRAGMENT_INTERLEAVE, 2);
    if (r == 0)
        r = sctpng_setopt(s, SCTPNG_OPT_INTERLEAVING, 1);
    if (r == 0)
        return 0;
    const char *why = NULL;
    if (r == -EPERM)
        why = "the host's net.sctp.intl_enable is off (sysctl -w net.sctp.intl_enable=1)";
    else if (r == -ENOPROTOOPT && !is_udp(s))
        why = "this kernel has no I-DATA (Linux 4.17+)";
    return fail(s, "--intl", r, why, err, len);
}

/* AUTH offered, DATA (and I-DATA) required authenticated, key 1 active. */
static int apply_auth(const struct link_opts *o, sctpng_socket *s, char *err, size_t len)
{
    int r = sctpng_setopt(s, SCTPNG_OPT_AUTH_SUPPORTED, 1);
    if (r == 0)
        r = sctpng_auth_add_chunk(s, CHUNK_DATA);
    if (r == 0 && o->intl)
        r = sctpng_auth_add_chunk(s, CHUNK_I_DATA);
    if (r == 0)
        r = sctpng_auth_set_key(s, SCTPNG_ASSOC_FUTURE, 1, o->key, o->key_len);
    if (r == 0)
        r = sctpng_auth_activate_key(s, SCTPNG_ASSOC_FUTURE, 1);
    return r == 0 ? 0 : fail(s, "--auth-key", r, NULL, err, len);
}

static int apply_reconfig(const struct link_opts *o, sctpng_socket *s, char *err, size_t len)
{
    int r = sctpng_setopt(s, SCTPNG_OPT_RECONFIG_SUPPORTED, 1);
    if (r == 0)
        r = sctpng_setopt(s, SCTPNG_OPT_STREAM_RESET, SCTPNG_RECONF_RESET_STREAMS);
    const char *why = r == -ENOPROTOOPT && !is_udp(s) ? "this kernel has no stream "
                                                        "reconfiguration (Linux 4.15+)"
                                                      : NULL;
    return r == 0 ? 0 : fail(s, o->reconfig_opt, r, why, err, len);
}

static int apply_sched(const struct link_opts *o, sctpng_socket *s, char *err, size_t len)
{
    int r = sctpng_setopt(s, SCTPNG_OPT_SCHEDULER, o->sched);
    if (r == 0)
        return 0;
    char why[120];
    if (!is_udp(s) && r == -EOPNOTSUPP)
        snprintf(why, sizeof(why), "this kernel lacks the %s scheduler (fc and wfq: Linux 6.2+)",
                 link_sched_name(o->sched));
    else if (!is_udp(s) && r == -ENOPROTOOPT)
        snprintf(why, sizeof(why), "this kernel has no stream schedulers (Linux 4.15+)");
    else
        snprintf(why, sizeof(why), "%s", sctpng_strerror(r));
    return fail(s, "--sched", r, why, err, len);
}

/* The socket has no association yet: a backend without statistics says
 * so at once (-EOPNOTSUPP), anything else waits for the real read. */
static int check_stats(sctpng_socket *s, char *err, size_t len)
{
    sctpng_assoc_stats st;
    sctpng_assoc_stats_init(&st);
    int r = sctpng_get_assoc_stats(s, 0, &st);
    return r == -EOPNOTSUPP || r == -ENOPROTOOPT ? fail(s, "--stats", r, NULL, err, len) : 0;
}

int link_apply_socket(const struct link_opts *o, sctpng_socket *s, char *err, size_t len)
{
    if (o->intl && apply_intl(s, err, len) < 0)
        return -1;
    if (o->auth && apply_auth(o, s, err, len) < 0)
        return -1;
    if (o->reconfig && apply_reconfig(o, s, err, len) < 0)
        return -1;
    if (o->sched >= 0 && apply_sched(o, s, err, len) < 0)
        return -1;
    if (o->stats && check_stats(s, err, len) < 0)
        return -1;
    int r;
    if (o->busy_poll >= 0 && (r = sctpng_setopt(s, SCTPNG_OPT_BUSY_POLL, o->busy_poll)) < 0)
        return fail(s, "--busy-poll", r, NULL, err, len);
    return 0;
}

int link_apply_assoc(const struct link_opts *o, sctpng_socket *s, sctpng_assoc_t assoc, char *err,
                     size_t len)
{
    if (o->sched < 0)
        return 0;
    /* The socket's default reaches new associations on Linux 5.1+; set
     * the association's own too, for the kernels before. */
    int r = sctpng_setopt_assoc(s, assoc, SCTPNG_OPT_SCHEDULER, o->sched);
    if (r < 0 && r != -EINVAL && r != -EOPNOTSUPP) /* UDP: no per-association call */
        return fail(s, "--sched", r, NULL, err, len);
    for (size_t i = 0; i < o->nvals; i++) {
        r = sctpng_set_stream_sched(s, assoc, o->vals[i].stream, o->vals[i].value);
        if (r == 0)
            continue;
        sctpng_status st;
        char why[120];
        if (r == -EINVAL && sctpng_get_status(s, assoc, &st) == 0 &&
            o->vals[i].stream >= st.ostreams)
            snprintf(why, sizeof(why), "stream %u is beyond the association's %u outgoing streams",
                     o->vals[i].stream, st.ostreams);
        else
            snprintf(why, sizeof(why), "stream %u: %s", o->vals[i].stream, sctpng_strerror(r));
        return fail(s, "--sched", r, why, err, len);
    }
    return 0;
}
