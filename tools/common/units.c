/* units.c - see units.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "units.h"

static int parse_scaled(const char *text, uint64_t *out, double base)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (end == text || errno || v < 0)
        return -1;
    switch (*end) {
    case 'k':
    case 'K':
        v *= base, end++;
        break;
    case 'm':
    case 'M':
        v *= base * base, end++;
        break;
    case 'g':
    case 'G':
        v *= base * base * base, end++;
        break;
    default:
        break;
    }
    if (*end != '\0' || v > 1.8e19)
        return -1;
    *out = (uint64_t)(v + 0.5);
    return 0;
}

int parse_size(const char *text, uint64_t *out)
{
    return parse_scaled(text, out, 1024.0);
}

int parse_rate(const char *text, uint64_t *out)
{
    return parse_scaled(text, out, 1000.0);
}

int parse_seconds(const char *text, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (end == text || *end != '\0' || errno || v < 0 || v > 1e7)
        return -1;
    *out = v;
    return 0;
}

int parse_uint(const char *text, uint64_t min, uint64_t max, uint64_t *out)
{
    char *end;
    errno = 0;
    if (*text == '-' || *text == '\0')
        return -1;
    unsigned long long v = strtoull(text, &end, 0);
    if (*end != '\0' || errno || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

static const char *fmt_scaled(double v, double base, const char *const *units, const char *suffix,
                              char *buf, size_t len)
{
    int u = 0;
    while (v >= base && units[u + 1]) {
        v /= base;
        u++;
    }
    int prec = v < 10 ? 2 : v < 100 ? 1 : 0;
    snprintf(buf, len, "%.*f %s%s", prec, v, units[u], suffix);
    return buf;
}

const char *fmt_bytes(double bytes, char *buf, size_t len)
{
    static const char *const u[] = {"", "K", "M", "G", "T", NULL};
    return fmt_scaled(bytes, 1024.0, u, "Bytes", buf, len);
}

const char *fmt_bitrate(double bps, char *buf, size_t len)
{
    static const char *const u[] = {"", "K", "M", "G", "T", NULL};
    return fmt_scaled(bps, 1000.0, u, "bits/sec", buf, len);
}

const char *fmt_count(double n, char *buf, size_t len)
{
    static const char *const u[] = {"", "k", "M", "G", NULL};
    return fmt_scaled(n, 1000.0, u, "", buf, len);
}
