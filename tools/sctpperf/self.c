/* self.c - sctpperf --self: a quiet server in a thread on loopback, and
 * the client against it, in one command. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>

#include "report.h"
#include "server.h"

struct self_run {
    struct server *sv;
    int rc;
};

static void *server_thread(void *arg)
{
    struct self_run *r = arg;
    r->rc = server_run(r->sv);
    return NULL;
}

/* The server could not start: say so, in JSON too with -J. */
static int server_failed(const struct perf_config *c, const char *host, const char *err)
{
    if (c->json) {
        struct perf_result r = {.host = host};
        report_json(stdout, c, NULL, &r, err);
    }
    perf_err("%s", err);
    return 1;
}

int perf_self(const struct perf_config *c)
{
    static const char *const v4[] = {"127.0.0.1"}, *const v6[] = {"::1"};
    struct perf_config sc = *c, cc = *c;
    bool six = c->family == AF_INET6;

    sc.role = ROLE_SERVER;
    sc.one_off = true;
    sc.port = 0; /* any free port, SCTP and UDP */
    sc.udp_port_any = true;
    sc.nbinds = 1;
    sc.binds[0] = six ? v6[0] : v4[0];
    char err[256];
    struct self_run r = {.sv = server_open(&sc, true, err, sizeof(err))};
    if (!r.sv)
        return server_failed(c, sc.binds[0], err);
    pthread_t t;
    /* SIGINT/SIGTERM go to this thread: the client aborts its associations
     * and reports, then the server, which ignores them, ends. */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    int terr = pthread_create(&t, NULL, server_thread, &r);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (terr != 0) {
        perf_err("cannot start the server thread");
        server_close(r.sv);
        return 1;
    }
    cc.role = ROLE_CLIENT;
    cc.host = sc.binds[0];
    cc.port = server_port(r.sv);
    cc.udp_remote_port = server_udp_port(r.sv);
    cc.nbinds = 0;
    int rc = perf_client(&cc);
    server_stop(r.sv);
    pthread_join(t, NULL);
    server_close(r.sv);
    return rc ? rc : r.rc;
}
