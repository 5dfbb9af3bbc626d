/* opts_link.c - sctpcat's link-testing options: --sched, --intl,
 * --auth-key, --reconfig, --reset-stream and --stats. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cat.h"

static int refuse(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int refuse(const char *fmt, ...)
{
    va_list ap;
    fputs("sctpcat: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry 'sctpcat --help'.\n", stderr);
    return 2;
}

/* "all" or "0,3,5". */
static int reset_list(struct cat_config *c, const char *v)
{
    c->reset = true;
    c->link.reconfig = true;
    c->link.reconfig_opt = "--reset-stream";
    c->nreset = 0;
    if (strcmp(v, "all") == 0)
        return 0;
    const char *p = v;
    while (*p) {
        char *end;
        unsigned long id = strtoul(p, &end, 10);
        if (end == p || id > 65534 || (*end && *end != ',') || c->nreset == CAT_MAX_RESET)
            return refuse("invalid value for --reset-stream: '%s' (all, or stream ids "
                          "separated by commas)",
                          v);
        c->reset_ids[c->nreset++] = (uint16_t)id;
        p = *end ? end + 1 : end;
    }
    return c->nreset ? 0 : refuse("invalid value for --reset-stream: '%s'", v);
}

int cat_link_opt(struct cat_config *c, int ch, const char *v)
{
    char err[200];
    switch (ch) {
    case CAT_OPT_SCHED:
        if (link_parse_sched(&c->link, v, err, sizeof(err)) < 0)
            return refuse("invalid value for --sched: %s", err);
        return 0;
    case CAT_OPT_INTL:
        c->link.intl = true;
        return 0;
    case CAT_OPT_AUTH_KEY:
        if (link_parse_key(&c->link, v, err, sizeof(err)) < 0)
            return refuse("invalid value for --auth-key: %s", err);
        return 0;
    case CAT_OPT_RECONFIG:
        c->link.reconfig = true;
        return 0;
    case CAT_OPT_RESET:
        return reset_list(c, v);
    case CAT_OPT_STATS:
        c->link.stats = true;
        return 0;
    default:
        fputs("Try 'sctpcat --help'.\n", stderr);
        return 2;
    }
}

int cat_link_check(const struct cat_config *c)
{
    if (c->reset && (c->listen || c->echo))
        return refuse("--reset-stream resets what a connecting sctpcat sent after its stdin "
                      "ends: not with %s",
                      c->listen ? "--listen" : "--echo");
    if (c->link.stats && c->listen && c->many)
        return refuse("--stats needs one association per run: not with a one-to-many "
                      "listener (%s)",
                      "-l -m");
    return 0;
}
