/* explain.c - see explain.h. */
#include "explain.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>

#include "resolve.h"

int explain_env(const char *prog)
{
    char msg[200];
    if (sctpng_env_check(msg, sizeof(msg)) == 0)
        return 0;
    fprintf(stderr, "%s: %s\n", prog, msg);
    return -1;
}

static int udp_port(sctpng_socket *s, int opt)
{
    int v = -1;
    return sctpng_getopt(s, opt, &v) == 0 ? v : -1;
}

const char *explain_backend(sctpng_socket *s, char *buf, size_t len)
{
    if (sctpng_backend(s) != SCTPNG_BACKEND_UDP) {
        snprintf(buf, len, "backend kernel");
        return buf;
    }
    snprintf(buf, len, "backend udp, UDP port %d (peers at UDP port %d)",
             udp_port(s, SCTPNG_OPT_UDP_PORT), udp_port(s, SCTPNG_OPT_UDP_REMOTE_PORT));
    return buf;
}

const char *explain_bind(sctpng_socket *s, const sctpng_addr *local, size_t n, int err, char *buf,
                         size_t len)
{
    char a[SCTPNG_ADDRSTRLEN];
    bool udp = sctpng_backend(s) == SCTPNG_BACKEND_UDP;
    if (err == -EADDRINUSE && udp) {
        snprintf(buf, len,
                 "UDP port %d is in use by another process; set SCTPNG_UDP_PORT to "
                 "another port",
                 udp_port(s, SCTPNG_OPT_UDP_PORT));
    } else if (err == -EADDRINUSE) {
        snprintf(buf, len, "SCTP port %u is in use by another socket",
                 n ? sctpng_addr_port(&local[0]) : 0);
    } else if (err == -EADDRNOTAVAIL && n) {
        /* One of them is missing; name the first, the usual case is one. */
        const sctpng_addr *l = &local[0];
        if (!inet_ntop(l->sa.sa_family,
                       l->sa.sa_family == AF_INET ? (const void *)&l->v4.sin_addr
                                                  : (const void *)&l->v6.sin6_addr,
                       a, sizeof(a)))
            addr_str(l, a, sizeof(a));
        snprintf(buf, len, "this host has no address %s%s", a,
                 n > 1 ? " (or another of the -b addresses)" : "");
    } else {
        snprintf(buf, len, "%s", sctpng_strerror(err));
    }
    return buf;
}

const char *explain_send(sctpng_socket *s, const sctpng_sndinfo *si, size_t msglen, int err,
                         const char *sndbuf_flag, char *buf, size_t len)
{
    sctpng_status st;
    int sndbuf = 0;
    bool have = sctpng_get_status(s, si ? si->assoc : 0, &st) == 0;
    if (err == -EINVAL && si && have && si->stream >= st.ostreams) {
        snprintf(buf, len,
                 "stream %u is beyond the %u outgoing streams of this association (0 to %u)",
                 si->stream, st.ostreams, st.ostreams ? st.ostreams - 1u : 0u);
    } else if (err == -EMSGSIZE && sctpng_getopt(s, SCTPNG_OPT_SNDBUF, &sndbuf) == 0) {
        snprintf(buf, len,
                 "a message of %zu bytes does not fit the send buffer (%d bytes); raise it "
                 "with %s",
                 msglen, sndbuf, sndbuf_flag);
    } else {
        snprintf(buf, len, "%s", sctpng_strerror(err));
    }
    return buf;
}
