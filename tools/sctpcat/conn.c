/* conn.c - sctpcat's socket: family and style from the command line,
 * local addresses (bindx for several), connect to a multihomed peer or
 * listen. Errors are printed as "sctpcat: connect 10.0.0.1:9: ...". */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cat.h"
#include "explain.h"
#include "resolve.h"

/* The addresses of -b (or of the peers) resolved with `port`. */
static int resolve_all(const struct cat_config *c, const char *const *hosts, size_t n,
                       uint16_t port, sctpng_addr *out)
{
    char err[200];
    for (size_t i = 0; i < n; i++) {
        if (resolve_addr(&out[i], hosts[i], port, c->family, err, sizeof(err)) < 0) {
            cat_err("%s", err);
            return -1;
        }
    }
    return 0;
}

/* IPv6 socket if any address is IPv6 (it takes IPv4 ones too), else
 * IPv4; listening on the wildcard is dual-stack unless -4. */
static int pick_family(const struct cat_config *c, const sctpng_addr *a, size_t n)
{
    if (c->family != AF_UNSPEC)
        return c->family;
    if (n == 0)
        return AF_INET6;
    for (size_t i = 0; i < n; i++)
        if (a[i].sa.sa_family == AF_INET6)
            return AF_INET6;
    return AF_INET;
}

static int open_socket(const struct cat_config *c, int family, sctpng_socket **out)
{
    sctpng_socket_opts o;
    sctpng_socket_opts_init(&o);
    o.family = family;
    o.style = c->many ? SCTPNG_ONE_TO_MANY : SCTPNG_ONE_TO_ONE;
    uint32_t want = (uint32_t)c->stream + 1 > c->ostreams ? (uint32_t)c->stream + 1 : c->ostreams;
    if (link_streams_needed(&c->link) > want)
        want = link_streams_needed(&c->link);
    if (want > 10) /* the kernel's default is 10 */
        o.ostreams = (uint16_t)want;
    o.istreams = c->istreams;
    int r = sctpng_socket_open(out, &o);
    if (r < 0) {
        cat_err("socket: %s%s", sctpng_strerror(r), no_sctp_hint(r));
        return -1;
    }
    if (c->sndbuf && (r = sctpng_setopt(*out, SCTPNG_OPT_SNDBUF, (int)c->sndbuf)) < 0) {
        cat_err("--sndbuf %u: %s", c->sndbuf, sctpng_strerror(r));
        return -1;
    }
    char err[300];
    if (link_apply_socket(&c->link, *out, err, sizeof(err)) < 0) {
        cat_err("%s", err);
        return -1;
    }
    /* Associations coming and going are seen only through events; failed
     * sends are counted and reported once; a stream reset's outcome and
     * the peer's SHUTDOWN (the last moment to read statistics) too. */
    uint32_t ev = SCTPNG_EVMASK(SCTPNG_EV_ASSOC_CHANGE) | SCTPNG_EVMASK(SCTPNG_EV_SEND_FAILED);
    if (c->reset)
        ev |= SCTPNG_EVMASK(SCTPNG_EV_STREAM_RESET);
    if (c->link.stats)
        ev |= SCTPNG_EVMASK(SCTPNG_EV_SHUTDOWN);
    if (c->verbose)
        ev |= SCTPNG_EVMASK_ALL;
    for (int k = 1; k <= SCTPNG_EV_KIND_MAX; k++)
        if (ev & SCTPNG_EVMASK(k))
            sctpng_subscribe(*out, SCTPNG_EVMASK(k), true); /* old kernels lack some */
    return 0;
}

static int bind_addrs(sctpng_socket *s, const sctpng_addr *a, size_t n)
{
    int r = sctpng_bind(s, a, n);
    if (r < 0) {
        char t[SCTPNG_ADDRSTRLEN], why[200];
        cat_err("bind %s: %s", addr_str(&a[0], t, sizeof(t)),
                explain_bind(s, a, n, r, why, sizeof(why)));
        return -1;
    }
    return 0;
}

/* Which backend runs: always said on the UDP backend (a kernel peer cannot
 * reach it without UDP encapsulation, so the user must know), with -v on
 * the kernel's. */
static void note_backend(const struct cat_config *c, sctpng_socket *s)
{
    char b[120];
    if (c->verbose || sctpng_backend(s) == SCTPNG_BACKEND_UDP)
        cat_err("%s", explain_backend(s, b, sizeof(b)));
}

/* "10.0.0.1:9" or "10.0.0.1:9,10.0.1.1:9" for messages. */
static void addrs_text(const sctpng_addr *a, size_t n, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && used + SCTPNG_ADDRSTRLEN + 1 < len; i++) {
        char t[SCTPNG_ADDRSTRLEN];
        used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? "," : "",
                                 addr_str(&a[i], t, sizeof(t)));
    }
}

static void note_connected(const struct cat_config *c, sctpng_socket *s, sctpng_assoc_t assoc,
                           const char *peers)
{
    sctpng_status st;
    if (!c->verbose || sctpng_get_status(s, assoc, &st) < 0)
        return;
    cat_note(c, "connected to %s (assoc %d, %u out / %u in streams)", peers, (int)assoc,
             st.ostreams, st.istreams);
}

int cat_connect(const struct cat_config *c, sctpng_socket **out, sctpng_assoc_t *assoc)
{
    sctpng_addr peers[CAT_MAX_ADDRS], local[CAT_MAX_ADDRS];
    char text[CAT_MAX_ADDRS * (SCTPNG_ADDRSTRLEN + 1)];
    if (resolve_all(c, c->peers, c->npeers, c->port, peers) < 0 ||
        resolve_all(c, c->binds, c->nbinds, c->lport, local) < 0)
        return -1;
    int fam = pick_family(c, peers, c->npeers);
    if (open_socket(c, fam, out) < 0)
        return -1;
    if (c->nbinds && bind_addrs(*out, local, c->nbinds) < 0)
        return -1;
    if (!c->nbinds && c->lport) {
        sctpng_addr any = any_addr(fam, c->lport);
        if (bind_addrs(*out, &any, 1) < 0)
            return -1;
    }
    addrs_text(peers, c->npeers, text, sizeof(text));
    int r = sctpng_connect(*out, peers, c->npeers, assoc, c->timeout_ms);
    if (r < 0) {
        char why[200];
        cat_err("connect %s: %s", text,
                r == -EADDRINUSE || r == -EADDRNOTAVAIL
                    ? explain_bind(*out, local, c->nbinds, r, why, sizeof(why))
                    : sctpng_strerror(r));
        return -1;
    }
    note_backend(c, *out);
    note_connected(c, *out, *assoc, text);
    return cat_link_up(c, *out, *assoc);
}

int cat_listen(const struct cat_config *c, sctpng_socket **out)
{
    sctpng_addr local[CAT_MAX_ADDRS];
    size_t n = c->nbinds;
    if (resolve_all(c, c->binds, c->nbinds, c->lport, local) < 0)
        return -1;
    int fam = pick_family(c, local, n);
    if (open_socket(c, fam, out) < 0)
        return -1;
    if (n == 0) {
        local[0] = any_addr(fam, c->lport);
        n = 1;
    }
    sctpng_setopt(*out, SCTPNG_OPT_REUSEADDR, 1);
    if (bind_addrs(*out, local, n) < 0)
        return -1;
    int r = sctpng_listen(*out, 16);
    if (r < 0) {
        char why[200];
        cat_err("listen: %s", explain_bind(*out, local, n, r, why, sizeof(why)));
        return -1;
    }
    note_backend(c, *out);
    sctpng_addr bound;
    /* Port 0 asked for any free port: say which one it is. */
    if ((c->verbose || c->lport == 0) && sctpng_get_local_addrs(*out, 0, &bound, 1) >= 1) {
        char t[SCTPNG_ADDRSTRLEN];
        const char *style = c->many ? "one-to-many" : "one-to-one";
        if (c->nbinds)
            cat_err("listening on %s (%s)", addr_str(&bound, t, sizeof(t)), style);
        else
            cat_err("listening on port %u, all addresses (%s)", sctpng_addr_port(&bound), style);
    }
    return 0;
}
