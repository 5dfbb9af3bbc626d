/* args.c - sctpperf's command line (iperf3-like). */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "perf.h"
#include "proto.h"
#include "resolve.h"
#include "units.h"

static const char usage_text[] =
    "Usage: sctpperf -s [options]           run a server\n"
    "       sctpperf -c HOST [options]      run a client against a server\n"
    "       sctpperf --self [options]       both, over loopback, in one command\n"
    "\n"
    "Common:\n"
    "  -p, --port PORT         server port (default 5301; -s -p 0: any free one)\n"
    "  -B, --bind ADDR         local address; repeat for several (multihoming)\n"
    "  -4, -6                  IPv4 / IPv6 only\n"
    "  -i, --interval SECONDS  progress line every SECONDS (default 1, 0: none)\n"
    "  -J, --json              JSON output (client) with the same numbers\n"
    "  -1, --one-off           server: exit after the first test\n"
    "  -w, --window BYTES      socket send and receive buffer sizes\n"
    "      --sndbuf BYTES, --rcvbuf BYTES\n"
    "      --batch N           messages per send/receive call (default 16, max 64;\n"
    "                          1: one call per message)\n"
    "  -h, --help, -v, --version\n"
    "Test (client and --self; a server refuses them, the client tells it):\n"
    "  -m, --mode MODE         throughput (default), rate (small messages,\n"
    "                          --nodelay) or latency (ping-pong)\n"
    "      --rate, --latency   short for --mode rate / --mode latency\n"
    "  -t, --time SECONDS      how long to send (default 10)\n"
    "  -l, --length BYTES      message size, K/M suffixes, 1 to 16M (default 64K;\n"
    "                          64 for rate and latency)\n"
    "      --streams N         spread messages over N streams (default 1)\n"
    "      --unordered         send unordered\n"
    "  -P, --assocs N          N associations at once (default 1)\n"
    "  -R, --reverse           the server sends (not with --latency)\n"
    "      --bidir             both send (not with --latency)\n"
    "  -b, --bitrate RATE      pace each association and direction, bits/s\n"
    "                          (k/M/G suffixes; default unlimited; no --latency)\n"
    "  -N, --nodelay           no bundling delay (SCTP_NODELAY)\n"
    "      --pr-ttl MS         PR-SCTP: give a message up after MS milliseconds\n"
    "      --ppid N            PPID of the data messages (default 0)\n"
    "      --connect-timeout SECONDS  give up connecting after SECONDS (default 10;\n"
    "                          0: until INIT retransmissions run out, about 10 s)\n"
    "Link (each end its own, server too; kernel backend, the UDP backend\n"
    "has only --sched and --stats so far):\n"
    "      --sched NAME[:S=V,...]  stream scheduler for what this end sends:\n"
    "                          fcfs, prio, rr, fc or wfq, with per-stream values\n"
    "                          (prio: priority, 0 first; wfq: weight)\n"
    "      --intl              offer I-DATA interleaving (RFC 8260); give both ends\n"
    "      --auth-key HEX      shared AUTH key (RFC 4895), key 1, DATA authenticated;\n"
    "                          give both ends the same key\n"
    "      --stats             association statistics: client text and -J (each\n"
    "                          association's counters), server summary lines\n"
    "      --busy-poll US      spin up to US microseconds (at most 1000) before\n"
    "                          sleeping, in sctpperf's own wait and the library's\n"
    "                          (SCTPNG_OPT_BUSY_POLL; kernel backend: SO_BUSY_POLL)\n"

    "SIGINT or SIGTERM aborts the associations; a client then prints what it\n"
    "measured so far. A peer that stops answering is reported within about 10 s.\n";

enum {
    OPT_SELF = 256,
    OPT_RATE,
    OPT_LATENCY,
    OPT_STREAMS,
    OPT_UNORDERED,
    OPT_BIDIR,
    OPT_SNDBUF,
    OPT_RCVBUF,
    OPT_PRTTL,
    OPT_BATCH,
    OPT_PPID,
    OPT_CTIMEOUT,
};

static const struct option longopts[] = {
    {"server", no_argument, NULL, 's'},
    {"client", required_argument, NULL, 'c'},
    {"self", no_argument, NULL, OPT_SELF},
    {"port", required_argument, NULL, 'p'},
    {"bind", required_argument, NULL, 'B'},
    {"interval", required_argument, NULL, 'i'},
    {"json", no_argument, NULL, 'J'},
    {"one-off", no_argument, NULL, '1'},
    {"mode", required_argument, NULL, 'm'},
    {"rate", no_argument, NULL, OPT_RATE},
    {"latency", no_argument, NULL, OPT_LATENCY},
    {"time", required_argument, NULL, 't'},
    {"length", required_argument, NULL, 'l'},
    {"streams", required_argument, NULL, OPT_STREAMS},
    {"unordered", no_argument, NULL, OPT_UNORDERED},
    {"assocs", required_argument, NULL, 'P'},
    {"reverse", no_argument, NULL, 'R'},
    {"bidir", no_argument, NULL, OPT_BIDIR},
    {"bitrate", required_argument, NULL, 'b'},
    {"nodelay", no_argument, NULL, 'N'},
    {"window", required_argument, NULL, 'w'},
    {"sndbuf", required_argument, NULL, OPT_SNDBUF},
    {"rcvbuf", required_argument, NULL, OPT_RCVBUF},
    {"pr-ttl", required_argument, NULL, OPT_PRTTL},
    {"batch", required_argument, NULL, OPT_BATCH},
    {"ppid", required_argument, NULL, OPT_PPID},
    {"connect-timeout", required_argument, NULL, OPT_CTIMEOUT},
    {"sched", required_argument, NULL, PERF_OPT_SCHED},
    {"intl", no_argument, NULL, PERF_OPT_INTL},
    {"auth-key", required_argument, NULL, PERF_OPT_AUTH_KEY},
    {"stats", no_argument, NULL, PERF_OPT_STATS},
    {"busy-poll", required_argument, NULL, PERF_OPT_BUSY_POLL},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'v'},
    {NULL, 0, NULL, 0},
};

const char *perf_mode_name(uint32_t mode)
{
    static const char *const n[] = {"throughput", "rate", "latency"};
    return mode <= PERF_LATENCY ? n[mode] : "?";
}

const char *perf_dir_name(uint32_t dir)
{
    static const char *const n[] = {"client sends", "server sends", "both send"};
    return dir <= PERF_BIDIR ? n[dir] : "?";
}

static int bad(const char *opt, const char *val)
{
    perf_err("invalid value for %s: '%s'", opt, val);
    fprintf(stderr, "Try 'sctpperf --help'.\n");
    return 2;
}

static void defaults(struct perf_config *c)
{
    memset(c, 0, sizeof(*c));
    c->port = PERF_DEFAULT_PORT;
    c->family = AF_UNSPEC;
    c->assocs = 1;
    c->interval = 1.0;
    c->connect_timeout_ms = 10000;
    c->p.mode = PERF_THROUGHPUT;
    c->p.duration_ms = 10000;
    c->p.streams = 1;
    c->p.batch = 16;
    link_opts_init(&c->link);
}

static int set_role(struct perf_config *c, int role)
{
    if (c->role && c->role != role) {
        perf_err("choose one of -s, -c and --self");
        return 2;
    }
    c->role = role;
    return 0;
}

static int parse_mode(struct perf_config *c, const char *v)
{
    for (uint32_t m = 0; m <= PERF_LATENCY; m++) {
        if (strcmp(v, perf_mode_name(m)) == 0) {
            c->p.mode = m;
            return 0;
        }
    }
    return bad("--mode", v);
}

/* A uint32 option with bounds; stores into *out. */
static int u32_opt(const char *name, const char *v, uint64_t min, uint64_t max, uint32_t *out)
{
    uint64_t x;
    if (parse_uint(v, min, max, &x) < 0)
        return bad(name, v);
    *out = (uint32_t)x;
    return 0;
}

static int size_opt(const char *name, const char *v, uint64_t min, uint64_t max, uint32_t *out)
{
    uint64_t x;
    if (parse_size(v, &x) < 0 || x < min || x > max)
        return bad(name, v);
    *out = (uint32_t)x;
    return 0;
}

static int seconds_opt(const char *name, const char *v, double max, double *out)
{
    if (parse_seconds(v, out) < 0 || *out > max)
        return bad(name, v);
    return 0;
}

/* One option of the test itself. 0 ok, 2 bad, -1 not a test option. */
static int test_opt(struct perf_config *c, int ch, const char *v)
{
    struct perf_params *p = &c->p;
    double d;
    switch (ch) {
    case 'm':
        return parse_mode(c, v);
    case OPT_RATE:
        p->mode = PERF_RATE;
        return 0;
    case OPT_LATENCY:
        p->mode = PERF_LATENCY;
        return 0;
    case 't':
        if (seconds_opt("--time", v, 86400, &d))
            return 2;
        if (d <= 0)
            return bad("--time", v);
        p->duration_ms = (uint32_t)(d * 1000 + 0.5);
        return 0;
    case 'l':
        c->length_set = true;
        return size_opt("--length", v, 1, PERF_MAX_LENGTH, &p->length);
    case OPT_STREAMS:
        return u32_opt("--streams", v, 1, PERF_MAX_STREAMS, &p->streams);
    case OPT_UNORDERED:
        p->unordered = true;
        return 0;
    case 'P':
        return u32_opt("--assocs", v, 1, PERF_MAX_ASSOCS, &c->assocs);
    case 'R':
        p->dir = PERF_DOWN;
        return 0;
    case OPT_BIDIR:
        p->dir = PERF_BIDIR;
        return 0;
    case 'b':
        return parse_rate(v, &p->bitrate) < 0 ? bad("--bitrate", v) : 0;
    case 'N':
        p->nodelay = true;
        return 0;
    case 'w':
        if (size_opt("--window", v, 1024, 1u << 30, &p->sndbuf))
            return 2;
        p->rcvbuf = p->sndbuf;
        return 0;
    case OPT_SNDBUF:
        return size_opt("--sndbuf", v, 1024, 1u << 30, &p->sndbuf);
    case OPT_RCVBUF:
        return size_opt("--rcvbuf", v, 1024, 1u << 30, &p->rcvbuf);
    case OPT_PRTTL:
        return u32_opt("--pr-ttl", v, 1, 3600000, &p->pr_ttl_ms);
    case OPT_BATCH:
        return u32_opt("--batch", v, 1, PERF_MAX_BATCH, &p->batch);
    case OPT_PPID:
        if (u32_opt("--ppid", v, 0, UINT32_MAX, &p->ppid))
            return 2;
        return p->ppid == PROTO_PPID ? bad("--ppid", v) : 0;
    default:
        return -1;
    }
}

/* Options about where and how to run. 0 ok, 1 help shown, 2 bad. */
static int run_opt(struct perf_config *c, int ch, const char *v)
{
    int port;
    double d;
    switch (ch) {
    case 's':
        return set_role(c, ROLE_SERVER);
    case 'c':
        c->host = v;
        return set_role(c, ROLE_CLIENT);
    case OPT_SELF:
        return set_role(c, ROLE_SELF);
    case 'p':
        if ((port = parse_port(v, 1)) < 0)
            return bad("--port", v);
        c->port = (uint16_t)port;
        c->port_set = true;
        return 0;
    case 'B':
        if (c->nbinds == PERF_MAX_BINDS)
            return bad("--bind", v);
        c->binds[c->nbinds++] = v;
        return 0;
    case '4':
        c->family = AF_INET;
        return 0;
    case '6':
        c->family = AF_INET6;
        return 0;
    case 'i':
        return seconds_opt("--interval", v, 3600, &c->interval);
    case 'J':
        c->json = true;
        return 0;
    case '1':
        c->one_off = true;
        return 0;
    case OPT_CTIMEOUT:
        if (seconds_opt("--connect-timeout", v, 3600, &d))
            return 2;
        c->connect_timeout_ms = d > 0 ? (int)(d * 1000 + 0.5) : SCTPNG_FOREVER;
        return 0;
    case 'h':
        fputs(usage_text, stdout);
        return 1;
    case 'v':
        printf("sctpperf %s (libsctpng %s)\n", PERF_VERSION, sctpng_version());
        return 1;
    default:
        fprintf(stderr, "Try 'sctpperf --help'.\n");
        return 2;
    }
}

/* What the command line said, for the checks across options. */
struct seen {
    int client_opt; /* first option only a client can use (0: none) */
    bool mode, dir, bitrate, bind;
};

/* "--reverse" for an option character, for messages. */
static const char *opt_name(int ch)
{
    static char buf[40];
    for (const struct option *o = longopts; o->name; o++) {
        if (o->val == ch) {
            snprintf(buf, sizeof(buf), "--%s", o->name);
            return buf;
        }
    }
    snprintf(buf, sizeof(buf), "-%c", ch);
    return buf;
}

__attribute__((format(printf, 1, 2))) static int usage_err(const char *fmt, ...)
{
    va_list ap;
    fputs("sctpperf: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry 'sctpperf --help'.\n", stderr);
    return 2;
}

/* Options that set what the test does belong to the client (it tells the
 * server); the buffer sizes and --batch also apply to a server's own
 * socket. Returns true for those a server refuses. */
static bool client_only(int ch)
{
    switch (ch) {
    case 'm':
    case OPT_RATE:
    case OPT_LATENCY:
    case 't':
    case 'l':
    case OPT_STREAMS:
    case OPT_UNORDERED:
    case 'P':
    case 'R':
    case OPT_BIDIR:
    case 'b':
    case 'N':
    case OPT_PRTTL:
    case OPT_PPID:
    case OPT_CTIMEOUT:
    case 'J':
        return true;
    default:
        return false;
    }
}

/* Note one option in *sn; 2 when it contradicts an earlier one. */
static int track(struct seen *sn, const struct perf_config *before, const struct perf_config *c,
                 int ch)
{
    if (client_only(ch) && !sn->client_opt)
        sn->client_opt = ch;
    switch (ch) {
    case 'm':
    case OPT_RATE:
    case OPT_LATENCY:
        if (sn->mode && before->p.mode != c->p.mode)
            return usage_err("choose one mode (%s given after another)", opt_name(ch));
        sn->mode = true;
        return 0;
    case 'R':
    case OPT_BIDIR:
        if (sn->dir && before->p.dir != c->p.dir)
            return usage_err("choose one of --reverse and --bidir");
        sn->dir = true;
        return 0;
    case 'b':
        sn->bitrate = true;
        return 0;
    case 'B':
        sn->bind = true;
        return 0;
    default:
        return 0;
    }
}

/* Choices that depend on each other. */
static int finish_args(struct perf_config *c, const struct seen *sn)
{
    if (!c->role) {
        perf_err("say -s (server), -c HOST (client) or --self");
        fprintf(stderr, "Try 'sctpperf --help'.\n");
        return 2;
    }
    if (c->role == ROLE_SERVER && sn->client_opt == 'J')
        return usage_err("-J is for the client (the client reports both sides)");
    if (c->role == ROLE_SERVER && sn->client_opt)
        return usage_err("%s is a client option: the client tells the server what to run",
                         opt_name(sn->client_opt));
    if (c->role != ROLE_SERVER && c->one_off)
        return usage_err("--one-off is for the server");
    if (c->role == ROLE_CLIENT && c->port_set && c->port == 0)
        return usage_err("a client needs the server's port (-p 0 is for a server)");
    if (c->role == ROLE_SELF && (c->port_set || sn->bind))
        return usage_err("--self picks its own loopback address and port: %s does not apply",
                         c->port_set ? "--port" : "--bind");
    if (c->p.mode == PERF_LATENCY && (sn->dir || sn->bitrate))
        return usage_err("--latency: the client pings and the server echoes, so %s does not apply",
                         sn->bitrate ? "--bitrate"
                                     : opt_name(c->p.dir == PERF_DOWN ? 'R' : OPT_BIDIR));
    if (!c->length_set)
        c->p.length = c->p.mode == PERF_THROUGHPUT ? 65536 : 64;
    /* Without it the kernel holds small messages back until earlier data
     * is acknowledged (Nagle), and a rate test measures the SACK delay. */
    if (c->p.mode == PERF_RATE)
        c->p.nodelay = true;
    return 0;
}

int perf_parse_args(struct perf_config *c, int argc, char **argv)
{
    struct seen sn = {0};
    defaults(c);
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, ":sc:p:B:i:J1m:t:l:P:Rb:Nw:46hv", longopts, NULL)) != -1) {
        if (ch == '?' || ch == ':') {
            const char *o = argv[optind - 1];
            if (ch == ':')
                perf_err("option %s needs a value", o);
            else
                perf_err("unknown option %s", o);
            fprintf(stderr, "Try 'sctpperf --help'.\n");
            return 2;
        }
        struct perf_config before = *c;
        int r = test_opt(c, ch, optarg);
        if (r < 0)
            r = perf_link_opt(c, ch, optarg);
        if (r < 0)
            r = run_opt(c, ch, optarg);
        if (!r)
            r = track(&sn, &before, c, ch);
        if (r)
            return r;
    }
    if (optind < argc) {
        perf_err("unexpected argument '%s'", argv[optind]);
        fprintf(stderr, "Try 'sctpperf --help'.\n");
        return 2;
    }
    return finish_args(c, &sn);
}
