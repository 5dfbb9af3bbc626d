/* cat.h - sctpcat's shared types: the command line, and the pieces of
 * the relay between stdin/stdout and an SCTP socket. */
#ifndef SCTPNG_TOOLS_CAT_H
#define SCTPNG_TOOLS_CAT_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "linkopts.h"
#include "sctpng.h"

#define CAT_VERSION   SCTPNG_VERSION_STRING /* the project's version */
#define CAT_MAX_ADDRS 16
#define CAT_MSG_MAX   65536       /* one read of stdin (-R), one receive */
#define CAT_LINE_MAX  (16u << 20) /* longest line sent as one message */
#define CAT_MAX_RESET 64          /* streams named in --reset-stream */

/* The long options of opts_link.c (args.c lists them). */
enum {
    CAT_OPT_SCHED = 300,
    CAT_OPT_INTL,
    CAT_OPT_AUTH_KEY,
    CAT_OPT_RECONFIG,
    CAT_OPT_RESET,
    CAT_OPT_STATS,
};

struct cat_config {
    bool listen;
    bool many; /* one-to-many socket */
    bool echo;
    bool show;   /* print stream/PPID with each received message */
    int verbose; /* -v 1: events, repeats folded; -vv 2: every event */
    bool keep;   /* listen: go on after an association ends */
    bool reads;  /* one message per read() of stdin, not per line */
    int family;  /* AF_UNSPEC, AF_INET, AF_INET6 */
    const char *peers[CAT_MAX_ADDRS];
    size_t npeers;
    uint16_t port;  /* peer port (connect) */
    uint16_t lport; /* local port (-p, or the listen port) */
    const char *binds[CAT_MAX_ADDRS];
    size_t nbinds;
    uint16_t stream;
    uint32_t ppid;
    bool unordered;
    uint16_t ostreams;
    uint16_t istreams;     /* --in-streams, 0: the backend's default */
    double quit_after;     /* after EOF on stdin: seconds of quiet, <0: never */
    int timeout_ms;        /* connect timeout */
    uint32_t sndbuf;       /* --sndbuf, 0: the backend's default */
    struct link_opts link; /* --sched, --intl, --auth-key, --reconfig, --stats */
    bool reset;            /* --reset-stream: after stdin ends, before shutdown */
    uint16_t reset_ids[CAT_MAX_RESET];
    size_t nreset; /* 0 with `reset`: every stream */
};

/* main.c: the last signal (SIGINT, SIGTERM) that asked sctpcat to stop,
 * or 0; each one also makes cat_sigfd (a pipe) readable. */
extern volatile sig_atomic_t cat_signal;
extern int cat_sigfd;

/* args.c: 0 run, 1 help/version printed, 2 usage error (printed). */
int cat_parse_args(struct cat_config *c, int argc, char **argv);

/* opts_link.c: one of the CAT_OPT_* options; 0, or 2 after printing
 * the usage error. cat_link_check: the combinations, after parsing. */
int cat_link_opt(struct cat_config *c, int ch, const char *v);
int cat_link_check(const struct cat_config *c);

/* link.c: an association is up: apply the per-association link options
 * and say what was agreed (-v; always when something asked for is not
 * in use). 0, or -1 with the error printed. */
int cat_link_up(const struct cat_config *c, sctpng_socket *s, sctpng_assoc_t assoc);

/* Print "sctpcat: ..." to stderr. */
void cat_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print "sctpcat: ..." to stderr with -v only. */
void cat_note(const struct cat_config *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* conn.c: open the socket of the configured style and family (derived
 * from the addresses), bind it, and connect or listen. On success *out
 * is the socket and *assoc the association (connect, one-to-many). */
int cat_connect(const struct cat_config *c, sctpng_socket **out, sctpng_assoc_t *assoc);
int cat_listen(const struct cat_config *c, sctpng_socket **out);

/* relay.c: move data both ways until the association (or, listening
 * one-to-many, every association) ends. Returns the exit status. */
int cat_relay(const struct cat_config *c, sctpng_socket *s, sctpng_assoc_t assoc);

/* output.c: received data and events. */
struct cat_out {
    bool at_start; /* the next piece starts a message */
    bool need_nl;  /* -S: the printed message did not end in a newline */
};
/* Write one received piece to stdout (with -S, its header first). 0, or
 * -1 when stdout is gone. */
int out_piece(const struct cat_config *c, struct cat_out *o, const void *buf, size_t len,
              const sctpng_rcvinfo *ri);
/* Events shown with -v: a run of the same event is shown once with a
 * count (-vv shows each), and undelivered messages are counted, then
 * reported in one line. */
struct cat_events {
    int kind, state; /* the last event shown */
    sctpng_assoc_t assoc;
    unsigned repeats;
    uint64_t failed, failed_bytes; /* SEND_FAILED since the last report */
};
/* Describe an event on stderr (with -v). */
void out_event(const struct cat_config *c, struct cat_events *e, const sctpng_event *ev);
/* Say what out_event() held back: repeats, and how many messages failed. */
void out_events_flush(const struct cat_config *c, struct cat_events *e);

#endif
