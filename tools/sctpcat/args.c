/* args.c - sctpcat's command line (netcat-like). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cat.h"
#include "resolve.h"
#include "units.h"

static const char usage_text[] =
    "Usage: sctpcat [options] HOST [HOST...] PORT   connect (several HOSTs: one\n"
    "                                                multihomed peer)\n"
    "       sctpcat -l [options] [ADDR...] PORT     listen\n"
    "\n"
    "Copies stdin to an SCTP association and what arrives to stdout, keeping\n"
    "message boundaries: each line (or each read, -R) is one message.\n"
    "\n"
    "  -l, --listen            wait for associations\n"
    "  -m, --one-to-many       one-to-many socket (several associations; replies\n"
    "                          go to the association heard from last)\n"
    "  -b, --bind ADDR         local address; repeat for several (multihoming)\n"
    "  -p, --port PORT         local port\n"
    "  -4, -6                  IPv4 / IPv6 only\n"
    "  -s, --stream N          send on stream N (default 0)\n"
    "  -P, --ppid N            payload protocol identifier (default 0)\n"
    "  -u, --unordered         send unordered\n"
    "      --streams N         outbound streams to ask for\n"
    "      --in-streams N      most inbound streams to accept\n"
    "  -L, --lines             one message per line of stdin, newline included\n"
    "                          (the default; lines up to 16 MiB)\n"
    "  -R, --reads             one message per read of stdin (up to 64 KiB)\n"
    "  -B, --sndbuf BYTES      send buffer size (a message must fit in it)\n"
    "  -S, --show              print each message as \"[stream S ppid P] data\"\n"
    "  -e, --echo              send every message back (same stream, PPID,\n"
    "                          ordering); stdin is not read\n"
    "  -k, --keep-open         listen: go on after an association ends\n"
    "  -q, --quit-after SECS   after EOF on stdin, end the association once\n"
    "                          SECS pass with nothing received (default: at\n"
    "                          once when connecting, never when listening;\n"
    "                          -1: never)\n"
    "  -w, --timeout SECS      give up connecting after SECS (without it, a\n"
    "                          peer that never answers takes as long as the\n"
    "                          INIT retransmissions: about 4 minutes with the\n"
    "                          defaults)\n"
    "  -v, --verbose           show associations and events on stderr (a run\n"
    "                          of one event is shown once with a count;\n"
    "                          -vv shows every event)\n"
    "Testing a link (kernel backend; on UDP only --sched and --stats so far):\n"
    "      --sched NAME[:S=V,...]  stream scheduler: fcfs, prio, rr, fc or wfq, with\n"
    "                          per-stream values (prio: priority, 0 first; wfq:\n"
    "                          weight), e.g. prio:0=1,3=0\n"
    "      --intl              offer I-DATA interleaving (RFC 8260; the host needs\n"
    "                          net.sctp.intl_enable=1)\n"
    "      --auth-key HEX      shared AUTH key (RFC 4895): key 1, active, and DATA\n"
    "                          must come authenticated; give both ends the key\n"
    "      --reconfig          offer stream reconfiguration and grant the peer's\n"
    "                          stream resets (a listener for --reset-stream)\n"
    "      --reset-stream LIST|all  connecting: once stdin ends and all of it is\n"
    "                          sent, reset these outgoing streams (ids, commas),\n"
    "                          wait for the outcome, then shut down\n"
    "      --stats             when the association ends print its statistics on\n"
    "                          stderr: \"sctpcat: stats KEY VALUE ...\"\n"
    "  -h, --help, -V, --version\n"
    "SIGINT or SIGTERM ends the association(s): a connecting sctpcat shuts\n"
    "down gracefully (what was sent is still delivered), a listening one\n"
    "aborts; a second signal aborts at once.\n"
    "Exit status: 0 done, 1 error (connect, send, receive), 2 bad usage,\n"
    "128+N stopped by signal N.\n";

enum { OPT_STREAMS = 256, OPT_IN_STREAMS };

static const struct option longopts[] = {
    {"listen", no_argument, NULL, 'l'},
    {"one-to-many", no_argument, NULL, 'm'},
    {"bind", required_argument, NULL, 'b'},
    {"port", required_argument, NULL, 'p'},
    {"stream", required_argument, NULL, 's'},
    {"ppid", required_argument, NULL, 'P'},
    {"unordered", no_argument, NULL, 'u'},
    {"streams", required_argument, NULL, OPT_STREAMS},
    {"in-streams", required_argument, NULL, OPT_IN_STREAMS},
    {"lines", no_argument, NULL, 'L'},
    {"reads", no_argument, NULL, 'R'},
    {"sndbuf", required_argument, NULL, 'B'},
    {"show", no_argument, NULL, 'S'},
    {"echo", no_argument, NULL, 'e'},
    {"keep-open", no_argument, NULL, 'k'},
    {"quit-after", required_argument, NULL, 'q'},
    {"timeout", required_argument, NULL, 'w'},
    {"verbose", no_argument, NULL, 'v'},
    {"sched", required_argument, NULL, CAT_OPT_SCHED},
    {"intl", no_argument, NULL, CAT_OPT_INTL},
    {"auth-key", required_argument, NULL, CAT_OPT_AUTH_KEY},
    {"reconfig", no_argument, NULL, CAT_OPT_RECONFIG},
    {"reset-stream", required_argument, NULL, CAT_OPT_RESET},
    {"stats", no_argument, NULL, CAT_OPT_STATS},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

static int usage_error(void)
{
    fprintf(stderr, "Try 'sctpcat --help'.\n");
    return 2;
}

static int bad(const char *opt, const char *val)
{
    cat_err("invalid value for %s: '%s'", opt, val);
    return usage_error();
}

static int add_addr(const char **list, size_t *n, const char *v)
{
    if (*n == CAT_MAX_ADDRS) {
        cat_err("too many addresses (at most %d)", CAT_MAX_ADDRS);
        return usage_error();
    }
    list[(*n)++] = v;
    return 0;
}

static int quit_opt(struct cat_config *c, const char *v, bool *quit_set)
{
    *quit_set = true;
    if (strcmp(v, "-1") == 0) {
        c->quit_after = -1;
        return 0;
    }
    return parse_seconds(v, &c->quit_after) < 0 ? bad("--quit-after", v) : 0;
}

static int one_opt(struct cat_config *c, int ch, const char *v, bool *quit_set)
{
    uint64_t x;
    double d;
    int port;
    switch (ch) {
    case 'l':
        c->listen = true;
        return 0;
    case 'm':
        c->many = true;
        return 0;
    case 'b':
        return add_addr(c->binds, &c->nbinds, v);
    case 'p':
        if ((port = parse_port(v, 0)) < 0)
            return bad("--port", v);
        c->lport = (uint16_t)port;
        return 0;
    case '4':
        c->family = AF_INET;
        return 0;
    case '6':
        c->family = AF_INET6;
        return 0;
    case 's':
        if (parse_uint(v, 0, 65534, &x) < 0)
            return bad("--stream", v);
        c->stream = (uint16_t)x;
        return 0;
    case 'P':
        if (parse_uint(v, 0, UINT32_MAX, &x) < 0)
            return bad("--ppid", v);
        c->ppid = (uint32_t)x;
        return 0;
    case 'u':
        c->unordered = true;
        return 0;
    case OPT_STREAMS:
        if (parse_uint(v, 1, 65535, &x) < 0)
            return bad("--streams", v);
        c->ostreams = (uint16_t)x;
        return 0;
    case OPT_IN_STREAMS:
        if (parse_uint(v, 1, 65535, &x) < 0)
            return bad("--in-streams", v);
        c->istreams = (uint16_t)x;
        return 0;
    case 'L':
        c->reads = false;
        return 0;
    case 'R':
        c->reads = true;
        return 0;
    case 'S':
        c->show = true;
        return 0;
    case 'e':
        c->echo = true;
        return 0;
    case 'k':
        c->keep = true;
        return 0;
    case 'q':
        return quit_opt(c, v, quit_set);
    case 'w':
        if (parse_seconds(v, &d) < 0 || d <= 0)
            return bad("--timeout", v);
        c->timeout_ms = (int)(d * 1000 + 0.5);
        return 0;
    case 'v':
        c->verbose++;
        return 0;
    case 'B':
        if (parse_size(v, &x) < 0 || x == 0 || x > INT32_MAX)
            return bad("--sndbuf", v);
        c->sndbuf = (uint32_t)x;
        return 0;
    case 'h':
        fputs(usage_text, stdout);
        return 1;
    case 'V':
        printf("sctpcat %s (libsctpng %s)\n", CAT_VERSION, sctpng_version());
        return 1;
    default:
        return cat_link_opt(c, ch, v);
    }
}

/* HOST... PORT (connect) or [ADDR...] PORT (listen). */
static int positionals(struct cat_config *c, int n, char **args)
{
    if (!c->listen && n < 2) {
        cat_err(n ? "missing PORT after %s" : "missing HOST and PORT%s", n ? args[0] : "");
        return usage_error();
    }
    if (n == 0) {
        if (c->lport == 0) {
            cat_err("missing PORT to listen on");
            return usage_error();
        }
        return 0;
    }
    int port = parse_port(args[n - 1], c->listen); /* listen on 0: any free port */
    if (port < 0 || (!c->listen && port == 0))
        return bad("PORT", args[n - 1]);
    for (int i = 0; i < n - 1; i++) {
        int r =
            add_addr(c->listen ? c->binds : c->peers, c->listen ? &c->nbinds : &c->npeers, args[i]);
        if (r)
            return r;
    }
    if (c->listen)
        c->lport = (uint16_t)port;
    else
        c->port = (uint16_t)port;
    return 0;
}

int cat_parse_args(struct cat_config *c, int argc, char **argv)
{
    memset(c, 0, sizeof(*c));
    c->family = AF_UNSPEC;
    link_opts_init(&c->link);
    c->timeout_ms = SCTPNG_FOREVER;
    bool quit_set = false;
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, ":lmb:p:46s:P:uLRB:Sekq:w:vhV", longopts, NULL)) != -1) {
        if (ch == '?' || ch == ':') {
            if (ch == ':')
                cat_err("option %s needs a value", argv[optind - 1]);
            else
                cat_err("unknown option %s", argv[optind - 1]);
            return usage_error();
        }
        int r = one_opt(c, ch, optarg, &quit_set);
        if (r)
            return r;
    }
    int r = positionals(c, argc - optind, argv + optind);
    if (r)
        return r;
    if (!quit_set)
        c->quit_after = c->listen ? -1 : 0;
    return cat_link_check(c);
}
