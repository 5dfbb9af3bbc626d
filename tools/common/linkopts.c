/* linkopts.c - parsing and applying the link-testing options shared by
 * sctpcat and sctpperf (see linkopts.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linkopts.h"

static const char *const sched_names[] = {"fcfs", "prio", "rr", "fc", "wfq"};
#define NSCHED (sizeof(sched_names) / sizeof(sched_names[0]))

void link_opts_init(struct link_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->sched = -1;
    o->busy_poll = -1;
    o->reconfig_opt = "--reconfig";
}

const char *link_sched_name(int sched)
{
    return sched >= 0 && (size_t)sched < NSCHED ? sched_names[sched] : "?";
}

static int parse_u16(const char *p, char **end, uint16_t *out)
{
    errno = 0;
    unsigned long v = strtoul(p, end, 10);
    if (*end == p || errno || v > 65535 || *p == '-' || *p == '+')
        return -1;
    *out = (uint16_t)v;
    return 0;
}

/* ",STREAM=VALUE" pairs after the colon. */
static int parse_values(struct link_opts *o, const char *p, char *err, size_t len)
{
    while (*p) {
        struct link_sched_value v;
        char *end;
        if (o->nvals == LINK_MAX_SCHED_VALUES) {
            snprintf(err, len, "at most %d stream values", LINK_MAX_SCHED_VALUES);
            return -1;
        }
        if (parse_u16(p, &end, &v.stream) < 0 || v.stream == 65535 || *end != '=' ||
            parse_u16(end + 1, &end, &v.value) < 0 || (*end && *end != ',')) {
            snprintf(err, len, "stream values are STREAM=VALUE, comma-separated, at '%s'", p);
            return -1;
        }
        o->vals[o->nvals++] = v;
        p = *end ? end + 1 : end;
    }
    return 0;
}

int link_parse_sched(struct link_opts *o, const char *text, char *err, size_t len)
{
    const char *colon = strchr(text, ':');
    size_t n = colon ? (size_t)(colon - text) : strlen(text);
    o->sched = -1;
    o->nvals = 0;
    for (size_t i = 0; i < NSCHED; i++)
        if (strlen(sched_names[i]) == n && strncmp(text, sched_names[i], n) == 0)
            o->sched = (int)i;
    if (o->sched < 0) {
        snprintf(err, len, "unknown scheduler '%.*s' (fcfs, prio, rr, fc or wfq)", (int)n, text);
        return -1;
    }
    return colon ? parse_values(o, colon + 1, err, len) : 0;
}

static int hexval(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

int link_parse_key(struct link_opts *o, const char *text, char *err, size_t len)
{
    size_t n = strlen(text);
    if (n >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        text += 2;
        n -= 2;
    }
    if (n == 0 || n % 2 || n / 2 > LINK_MAX_KEY) {
        snprintf(err, len, "a key is 1 to %d bytes written as an even number of hex digits",
                 LINK_MAX_KEY);
        return -1;
    }
    for (size_t i = 0; i < n / 2; i++) {
        int hi = hexval(text[2 * i]), lo = hexval(text[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            snprintf(err, len, "'%c%c' is not a hex byte", text[2 * i], text[2 * i + 1]);
            return -1;
        }
        o->key[i] = (uint8_t)(hi << 4 | lo);
    }
    o->key_len = n / 2;
    o->auth = true;
    return 0;
}

uint32_t link_streams_needed(const struct link_opts *o)
{
    uint32_t need = 0;
    for (size_t i = 0; i < o->nvals; i++)
        if ((uint32_t)o->vals[i].stream + 1 > need)
            need = (uint32_t)o->vals[i].stream + 1;
    return need;
}
