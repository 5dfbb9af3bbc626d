/* perf.h - sctpperf's shared types: the command line and the test
 * parameters a client sends to the server. */
#ifndef SCTPNG_TOOLS_PERF_H
#define SCTPNG_TOOLS_PERF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "linkopts.h"
#include "sctpng.h"

#define PERF_VERSION      SCTPNG_VERSION_STRING /* the project's version */
#define PERF_DEFAULT_PORT 5301
#define PERF_MAX_BINDS    16
#define PERF_MAX_ASSOCS   256
#define PERF_MAX_STREAMS  1024
#define PERF_MAX_BATCH    SCTPNG_BATCH_MAX
#define PERF_MAX_LENGTH   (16u << 20)
/* Receive buffers: one per batch entry. Longer messages come in pieces. */
#define PERF_RBUF_SIZE 65536

enum perf_mode { PERF_THROUGHPUT = 0, PERF_RATE = 1, PERF_LATENCY = 2 };
enum perf_dir { PERF_UP = 0, PERF_DOWN = 1, PERF_BIDIR = 2 }; /* UP: client -> server */
enum perf_role { ROLE_NONE = 0, ROLE_SERVER, ROLE_CLIENT, ROLE_SELF };

/* What the client asks the server for; travels in HELLO (proto.c). */
struct perf_params {
    uint32_t mode;        /* enum perf_mode */
    uint32_t dir;         /* enum perf_dir */
    uint32_t length;      /* bytes per message */
    uint32_t duration_ms; /* sending time */
    uint32_t streams;     /* data spread over streams 0..streams-1 */
    uint32_t batch;       /* messages per send/recv call; 1: one call each */
    uint32_t pr_ttl_ms;   /* PR-SCTP lifetime, 0: reliable */
    uint32_t ppid;        /* PPID of data messages */
    uint64_t bitrate;     /* bits/s per association and direction, 0: unlimited */
    uint32_t sndbuf;      /* SO_SNDBUF, 0: default */
    uint32_t rcvbuf;      /* SO_RCVBUF, 0: default */
    bool unordered;
    bool nodelay;
};

struct perf_config {
    int role; /* enum perf_role */
    const char *host;
    uint16_t port;
    const char *binds[PERF_MAX_BINDS];
    size_t nbinds;
    int family; /* AF_UNSPEC, AF_INET, AF_INET6 */
    uint32_t assocs;
    double interval; /* seconds between progress lines, 0: none */
    bool json;
    bool one_off;
    bool port_set; /* -p given */
    /* --self on the UDP backend: the server takes a free UDP port and the
     * client is told it (0: the environment's or the default). */
    bool udp_port_any;
    uint16_t udp_remote_port;
    bool length_set; /* -l given (else the mode's default) */
    int connect_timeout_ms;
    struct perf_params p;
    /* --sched, --intl, --auth-key, --stats: each end's own (not sent in
     * HELLO: AUTH and I-DATA are negotiated when the association is set
     * up, before the client could tell the server anything) */
    struct link_opts link;
};

/* The long options of opts_link.c (args.c lists them). */
enum { PERF_OPT_SCHED = 300, PERF_OPT_INTL, PERF_OPT_AUTH_KEY, PERF_OPT_STATS, PERF_OPT_BUSY_POLL };

/* opts_link.c: one of the PERF_OPT_* options; 0 ok, 2 bad (printed), -1
 * not one of them. */
int perf_link_opt(struct perf_config *c, int ch, const char *v);

/* args.c: fill *c from argv. Returns 0 to run, 1 when --help/--version
 * was printed, 2 on a usage error (message printed). */
int perf_parse_args(struct perf_config *c, int argc, char **argv);

/* The mode's name ("throughput", "rate", "latency"). */
const char *perf_mode_name(uint32_t mode);
const char *perf_dir_name(uint32_t dir);

/* server.c / client.c / self.c: each returns the process exit status. */
int perf_server(const struct perf_config *c);
int perf_client(const struct perf_config *c);
int perf_self(const struct perf_config *c);

/* Print "sctpperf: ..." to stderr. */
void perf_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
