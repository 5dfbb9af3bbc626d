/* main.c - sctpcat: netcat for SCTP, on the sctpng API only. */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>

#include "cat.h"
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

/* One-to-one listening: one association at a time, accepted in turn. */
static int serve_one_to_one(const struct cat_config *c, sctpng_socket *l)
{
    int rc = 0;
    do {
        sctpng_socket *s = NULL;
        sctpng_addr peer;
        int r = sctpng_accept(l, &s, &peer, SCTPNG_FOREVER);
        if (r < 0) {
            cat_err("accept: %s", sctpng_strerror(r));
            return 1;
        }
        char a[SCTPNG_ADDRSTRLEN];
        cat_note(c, "association from %s", addr_str(&peer, a, sizeof(a)));
        rc = cat_relay(c, s, 0);
        sctpng_close(s);
    } while (c->keep && rc == 0);
    return rc;
}

int main(int argc, char **argv)
{
    struct cat_config c;
    int r = cat_parse_args(&c, argc, argv);
    if (r)
        return r == 1 ? 0 : 2;
    signal(SIGPIPE, SIG_IGN);
    sctpng_socket *s = NULL;
    sctpng_assoc_t assoc = 0;
    int rc;
    if (c.listen) {
        if (cat_listen(&c, &s) < 0)
            return 1;
        rc = c.many ? cat_relay(&c, s, 0) : serve_one_to_one(&c, s);
    } else {
        if (cat_connect(&c, &s, &assoc) < 0)
            return 1;
        rc = cat_relay(&c, s, assoc);
    }
    sctpng_close(s);
    return rc;
}
