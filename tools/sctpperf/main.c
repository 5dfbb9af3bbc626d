/* main.c - sctpperf: iperf for SCTP, on the sctpng API only. */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>

#include "ending.h"
#include "explain.h"
#include "perf.h"

void perf_err(const char *fmt, ...)
{
    va_list ap;
    fputs("sctpperf: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int main(int argc, char **argv)
{
    struct perf_config c;
    int r = perf_parse_args(&c, argc, argv);
    if (r)
        return r == 1 ? 0 : 2;
    if (explain_env("sctpperf") < 0) /* a wrong SCTPNG_* variable, named */
        return 2;
    signal(SIGPIPE, SIG_IGN);
    perf_catch_signals();
    switch (c.role) {
    case ROLE_SERVER:
        return perf_server(&c);
    case ROLE_CLIENT:
        return perf_client(&c);
    default:
        return perf_self(&c);
    }
}
