/* linkdescribe.c - what an association agreed to, of what the link
 * options asked for (read back from the association, not from the
 * command line), for sctpcat -v and sctpperf's start line. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "linkopts.h"

struct text {
    char *buf;
    size_t len, used;
};

static void add(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct text *t, const char *fmt, ...)
{
    if (t->used >= t->len)
        return;
    if (t->used)
        t->used += (size_t)snprintf(t->buf + t->used, t->len - t->used, "; ");
    if (t->used >= t->len)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->buf + t->used, t->len - t->used, fmt, ap);
    va_end(ap);
    if (n > 0)
        t->used += (size_t)n;
}

static void sched_text(const struct link_opts *o, sctpng_socket *s, sctpng_assoc_t a,
                       struct text *t)
{
    int v = -1;
    /* The UDP backend has no per-association read: its socket's value. */
    if (sctpng_getopt_assoc(s, a, SCTPNG_OPT_SCHEDULER, &v) < 0 &&
        sctpng_getopt(s, SCTPNG_OPT_SCHEDULER, &v) < 0) {
        add(t, "scheduler unknown");
        return;
    }
    char vals[200] = "";
    size_t used = 0;
    for (size_t i = 0; i < o->nvals && used < sizeof(vals); i++) {
        uint16_t val;
        if (sctpng_get_stream_sched(s, a, o->vals[i].stream, &val) == 0)
            used += (size_t)snprintf(vals + used, sizeof(vals) - used, "%sstream %u value %u",
                                     used ? ", " : " (", o->vals[i].stream, val);
    }
    add(t, "scheduler %s%s%s", link_sched_name(v), vals, used ? ")" : "");
}

static bool has_type(const uint8_t *types, int n, uint8_t type)
{
    for (int i = 0; i < n; i++)
        if (types[i] == type)
            return true;
    return false;
}

static void auth_text(sctpng_socket *s, sctpng_assoc_t a, bool *warn, struct text *t)
{
    int on = 0;
    uint8_t types[32];
    uint16_t key = 0;
    if (sctpng_getopt_assoc(s, a, SCTPNG_OPT_AUTH_SUPPORTED, &on) < 0 || !on) {
        add(t, "AUTH off: the peer did not offer it");
        *warn = true;
        return;
    }
    int n = sctpng_auth_get_chunks(s, a, true, types, sizeof(types));
    sctpng_auth_get_active_key(s, a, &key);
    if (n < 0 || !has_type(types, n, 0)) {
        add(t,
            "AUTH on, key %u active, but the peer does not require DATA authenticated "
            "(give it the --auth-key too)",
            key);
        *warn = true;
        return;
    }
    add(t, "AUTH on: DATA authenticated both ways, key %u active", key);
}

const char *link_describe(const struct link_opts *o, sctpng_socket *s, sctpng_assoc_t assoc,
                          bool *warn, char *buf, size_t len)
{
    struct text t = {buf, len, 0};
    buf[0] = '\0';
    *warn = false;
    if (o->sched >= 0)
        sched_text(o, s, assoc, &t);
    if (o->intl) {
        int v = 0;
        /* the UDP backend has no per-association getopt: its one-to-one
         * socket's INTERLEAVING says what the association agreed */
        if (sctpng_getopt_assoc(s, assoc, SCTPNG_OPT_INTERLEAVING, &v) < 0)
            sctpng_getopt(s, SCTPNG_OPT_INTERLEAVING, &v);
        add(&t, v ? "interleaving (I-DATA) on" : "interleaving off: the peer did not offer I-DATA");
        *warn |= !v;
    }
    if (o->auth)
        auth_text(s, assoc, warn, &t);
    if (o->reconfig) {
        int v = 0;
        sctpng_getopt_assoc(s, assoc, SCTPNG_OPT_RECONFIG_SUPPORTED, &v);
        add(&t, v ? "stream reconfiguration on"
                  : "stream reconfiguration off: the peer did "
                    "not offer it");
        *warn |= !v;
    }
    return buf;
}
