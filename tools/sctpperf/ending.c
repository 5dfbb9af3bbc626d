/* ending.c - see ending.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ending.h"

volatile sig_atomic_t perf_signal;

static void on_signal(int sig)
{
    perf_signal = sig;
}

void perf_catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESETHAND; /* the second one is not caught */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

const char *perf_signal_name(int sig)
{
    return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "a signal";
}

void perf_limit_rto(sctpng_socket *s)
{
    sctpng_rtoinfo r;
    if (sctpng_get_rtoinfo(s, 0, &r) == 0) {
        r.initial = r.initial > PERF_RTO_MAX_MS ? PERF_RTO_MAX_MS : r.initial;
        r.min = r.min > PERF_RTO_MAX_MS ? PERF_RTO_MAX_MS : r.min;
        r.max = PERF_RTO_MAX_MS;
        sctpng_set_rtoinfo(s, 0, &r);
    }
    /* Linux bounds INIT retransmissions by max_init_timeo, not RTO.Max;
     * the UDP backend refuses the field (-EOPNOTSUPP): it uses RTO.Max. */
    sctpng_initmsg m = {.max_init_timeo_ms = PERF_RTO_MAX_MS};
    sctpng_set_initmsg(s, &m);
}

/* RFC 9260 3.3.10 cause codes a peer's ABORT may carry. */
static const char *cause_name(unsigned c)
{
    static const char *const n[] = {
        NULL,
        "Invalid Stream Identifier",
        "Missing Mandatory Parameter",
        "Stale Cookie Error",
        "Out of Resource",
        "Unresolvable Address",
        "Unrecognized Chunk Type",
        "Invalid Mandatory Parameter",
        "Unrecognized Parameters",
        "No User Data",
        "Cookie Received While Shutting Down",
        "Restart of an Association with New Addresses",
        "User-Initiated Abort",
        "Protocol Violation",
    };
    return c < sizeof(n) / sizeof(n[0]) && n[c] ? n[c] : "unknown cause";
}

const char *perf_lost_cause(const sctpng_event *ev, const char *peer, char *buf, size_t len)
{
    unsigned cause = ev->u.assoc_change.error;
    if (ev->u.assoc_change.state == SCTPNG_CANT_STR_ASSOC)
        snprintf(buf, len, "it could not be set up (CANT_STR_ASSOC)");
    else if (cause)
        snprintf(buf, len, "the %s sent ABORT (cause %u: %s)", peer, cause, cause_name(cause));
    else if (ev->u.assoc_change.info_len)
        snprintf(buf, len, "the %s sent ABORT (COMM_LOST)", peer);
    else
        snprintf(buf, len, "no answer from the %s (COMM_LOST: retransmissions ran out)", peer);
    return buf;
}

int perf_err_is_loss(int err)
{
    return err == -ECONNRESET || err == -ETIMEDOUT || err == -EPIPE || err == -ENOTCONN ||
           err == -ESHUTDOWN || err == -ECONNABORTED;
}

const char *perf_lost_errno(int err, const char *peer, char *buf, size_t len)
{
    if (err == -ETIMEDOUT)
        snprintf(buf, len, "no answer from the %s (retransmissions ran out)", peer);
    else if (err == -ECONNRESET || err == -ECONNABORTED)
        snprintf(buf, len, "the %s aborted it (%s)", peer, sctpng_strerror(err));
    else if (err == 0 || err == -EPIPE || err == -ESHUTDOWN)
        snprintf(buf, len, "the %s shut it down before the test ended", peer);
    else
        snprintf(buf, len, "%s", sctpng_strerror(err));
    return buf;
}

const char *perf_backend_of(sctpng_socket *s, int remote, int *port)
{
    *port = 0;
    if (sctpng_backend(s) != SCTPNG_BACKEND_UDP)
        return "kernel";
    int v = 0;
    if (sctpng_getopt(s, remote ? SCTPNG_OPT_UDP_REMOTE_PORT : SCTPNG_OPT_UDP_PORT, &v) == 0)
        *port = v;
    return "udp";
}

void perf_print_backend(FILE *out, sctpng_socket *s, int remote)
{
    int port;
    const char *b = perf_backend_of(s, remote, &port);
    if (port)
        fprintf(out, "sctpperf: backend %s, %sUDP port %d\n", b, remote ? "server's " : "", port);
    else
        fprintf(out, "sctpperf: backend %s\n", b);
    fflush(out);
}
