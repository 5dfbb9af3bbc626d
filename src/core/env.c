/* env.c - the environment variables the library reads, checked in one
 * place so that a wrong value is an error that names the variable, never
 * a default taken in silence. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sctpng/pcap.h>

#include "core/env.h"
#include "core/socket.h"

/* "NAME=VALUE is not ...": the message a wrong value gets. */
static int say(char *msg, size_t len, const char *name, const char *v, const char *what)
{
    if (msg && len)
        snprintf(msg, len, "%s=%s is not %s", name, v, what);
    return -EINVAL;
}

int sctpng__env_port(const char *name, uint16_t def, bool zero_ok, uint16_t *out, char *msg,
                     size_t len)
{
    const char *v = getenv(name);
    *out = def;
    if (!v || !*v)
        return 0;
    char *end;
    errno = 0;
    unsigned long p = strtoul(v, &end, 10);
    if (*end || errno || v[0] == '-' || v[0] == '+' || p > 65535 || (p == 0 && !zero_ok))
        return say(msg, len, name, v,
                   zero_ok ? "a UDP port (0 to 65535; 0 picks a free one)"
                           : "a UDP port (1 to 65535)");
    *out = (uint16_t)p;
    return 0;
}

int sctpng__env_bool(const char *name, bool def, bool *out, char *msg, size_t len)
{
    const char *v = getenv(name);
    *out = def;
    if (!v || !*v)
        return 0;
    if (strcmp(v, "0") && strcmp(v, "1"))
        return say(msg, len, name, v, "0 or 1");
    *out = v[0] == '1';
    return 0;
}

int sctpng__env_backend(int *backend, char *msg, size_t len)
{
    const char *v = getenv("SCTPNG_BACKEND");
    if (!v || !*v || strcmp(v, "auto") == 0)
        return 0;
    for (const struct sctpng_backend_entry *const *b = sctpng__backends; *b; b++) {
        if (strcmp(v, (*b)->name) == 0) {
            *backend = (*b)->id;
            return 0;
        }
    }
    /* "a backend (kernel, udp or auto)", from the list of backends. */
    char what[128] = "a backend (";
    for (const struct sctpng_backend_entry *const *b = sctpng__backends; *b; b++) {
        strncat(what, (*b)->name, sizeof(what) - strlen(what) - 1);
        strncat(what, ", ", sizeof(what) - strlen(what) - 1);
    }
    what[strlen(what) - 2] = '\0'; /* the last ", " */
    strncat(what, " or auto)", sizeof(what) - strlen(what) - 1);
    return say(msg, len, "SCTPNG_BACKEND", v, what);
}

const char *sctpng__env_pcap(void)
{
    const char *v = getenv("SCTPNG_PCAP");
    return v && *v ? v : NULL;
}

/* SCTPNG_PCAP names a file the sockets can capture to: opened (created)
 * and closed again, as each UDP-backend socket will. */
static int env_pcap(char *msg, size_t len)
{
    const char *v = sctpng__env_pcap();
    sctpng_pcap *w;
    int err = v ? sctpng_pcap_open(&w, v) : 0;
    if (!err)
        return v ? sctpng_pcap_close(w) : 0;
    if (msg && len)
        snprintf(msg, len, "SCTPNG_PCAP=%s: %s", v,
                 err == -EINVAL ? "not empty and not an sctp-ng capture (nanosecond pcap, raw IP) "
                                  "to append to"
                                : strerror(-err));
    return err;
}

SCTPNG_API int sctpng_env_check(char *msg, size_t len)
{
    int backend = SCTPNG_BACKEND_AUTO;
    uint16_t port;
    if (msg && len)
        msg[0] = '\0';
    int err = sctpng__env_backend(&backend, msg, len);
    if (!err)
        err = sctpng__env_port("SCTPNG_UDP_PORT", 0, true, &port, msg, len);
    if (!err)
        err = sctpng__env_port("SCTPNG_UDP_REMOTE_PORT", 0, false, &port, msg, len);
    bool on;
    if (!err)
        err = sctpng__env_bool("SCTPNG_UDP_GSO", false, &on, msg, len);
    if (!err)
        err = sctpng__env_bool("SCTPNG_UDP_GRO", true, &on, msg, len);
    if (!err)
        err = env_pcap(msg, len);
    return err;
}
