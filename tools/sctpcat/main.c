/* main.c - sctpcat: netcat for SCTP, on the sctpng API only. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cat.h"
#include "explain.h"
#include "resolve.h"

void cat_err(const char *fmt, ...)
{
    va_list ap;
    fputs("sctpcat: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void cat_note(const struct cat_config *c, const char *fmt, ...)
{
    if (!c->verbose)
        return;
    va_list ap;
    fputs("sctpcat: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

volatile sig_atomic_t cat_signal;
int cat_sigfd = -1;
static int sigpipe_w = -1;

static void on_stop_signal(int sig)
{
    int e = errno;
    cat_signal = sig;
    if (write(sigpipe_w, "s", 1) < 0) {
        /* full: a wake-up is already waiting */
    }
    errno = e;
}

/* SIGINT/SIGTERM end the association(s) properly (relay.c) instead of
 * killing the process: on the UDP backend nothing else would tell the
 * peer. Before an association exists the default (exit) is right. */
static void catch_stop_signals(void)
{
    int p[2];
    if (pipe2(p, O_NONBLOCK | O_CLOEXEC) < 0)
        return;
    cat_sigfd = p[0];
    sigpipe_w = p[1];
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

/* Waits for the next association, a few hundred ms at a time so that a
 * signal is noticed. */
static int accept_next(sctpng_socket *l, sctpng_socket **s, sctpng_addr *peer)
{
    int r;
    while ((r = sctpng_accept(l, s, peer, 250)) == -ETIMEDOUT || r == -EINTR)
        if (cat_signal)
            return -EINTR;
    return r;
}

/* One-to-one listening: one association at a time, accepted in turn. */
static int serve_one_to_one(const struct cat_config *c, sctpng_socket *l)
{
    int rc = 0;
    do {
        sctpng_socket *s = NULL;
        sctpng_addr peer;
        int r = accept_next(l, &s, &peer);
        if (r == -EINTR)
            return 128 + cat_signal;
        if (r < 0) {
            cat_err("accept: %s", sctpng_strerror(r));
            return 1;
        }
        char a[SCTPNG_ADDRSTRLEN];
        cat_note(c, "association from %s", addr_str(&peer, a, sizeof(a)));
        rc = cat_link_up(c, s, 0) < 0 ? 1 : cat_relay(c, s, 0);
        sctpng_close(s);
    } while (c->keep && rc == 0 && !cat_signal);
    return rc;
}

int main(int argc, char **argv)
{
    struct cat_config c;
    int r = cat_parse_args(&c, argc, argv);
    if (r)
        return r == 1 ? 0 : 2;
    signal(SIGPIPE, SIG_IGN);
    if (explain_env("sctpcat") < 0)
        return 2;
    sctpng_socket *s = NULL;
    sctpng_assoc_t assoc = 0;
    int rc;
    if (c.listen) {
        if (cat_listen(&c, &s) < 0) {
            sctpng_close(s); /* NULL if it was never opened */
            return 1;
        }
        catch_stop_signals();
        rc = c.many ? cat_relay(&c, s, 0) : serve_one_to_one(&c, s);
    } else {
        if (cat_connect(&c, &s, &assoc) < 0) {
            sctpng_close(s);
            return 1;
        }
        catch_stop_signals();
        rc = cat_relay(&c, s, assoc);
    }
    sctpng_close(s);
    return rc;
}
