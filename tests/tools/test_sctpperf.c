/* test_sctpperf.c - sctpperf --self in each mode, the way a user runs it,
 * with its -J output parsed and checked for sane, consistent values.
 * The sctpperf binary comes from $SCTPPERF (set by CMake). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "tjson.h"

/* Run `sctpperf ARGS`; its stdout in a malloc'd string, exit code in *rc. */
static char *run(const char *args, int *rc)
{
    const char *bin = getenv("SCTPPERF");
    assert_non_null(bin);
    char cmd[1024];
    snprintf(cmd, sizeof(cmd), "%s %s", bin, args);
    print_message("# %s\n", cmd);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t cap = 1 << 16, n = 0;
    char *out = malloc(cap);
    size_t got;
    while ((got = fread(out + n, 1, cap - n - 1, p)) > 0) {
        n += got;
        if (cap - n < 4096)
            out = realloc(out, cap *= 2);
    }
    out[n] = '\0';
    int st = pclose(p);
    *rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
    return out;
}

/* Run with -J and parse; the run must succeed. */
static struct tj *run_json(const char *args)
{
    char full[512];
    int rc;
    snprintf(full, sizeof(full), "--self -J %s", args);
    char *out = run(full, &rc);
    struct tj *doc = tj_parse(out);
    if (rc != 0 || !doc)
        print_error("exit %d, output:\n%s\n", rc, out);
    free(out);
    assert_int_equal(rc, 0);
    assert_non_null(doc);
    assert_null(tj_get(doc, "error"));
    return doc;
}

/* A direction's figures agree with each other and with the length. */
static void check_dir(const struct tj *d, const char *which, double length)
{
    char p[96];
    snprintf(p, sizeof(p), "end.%s.bytes", which);
    double bytes = tj_num(d, p);
    snprintf(p, sizeof(p), "end.%s.messages", which);
    double msgs = tj_num(d, p);
    snprintf(p, sizeof(p), "end.%s.seconds", which);
    double secs = tj_num(d, p);
    snprintf(p, sizeof(p), "end.%s.bits_per_second", which);
    double bps = tj_num(d, p);
    snprintf(p, sizeof(p), "end.%s.messages_per_second", which);
    double mps = tj_num(d, p);
    print_message("# %s: %.0f bytes, %.0f msgs, %.3f s, %.0f bit/s\n", which, bytes, msgs, secs,
                  bps);
    assert_true(msgs > 0);
    assert_true(bytes == msgs * length);
    assert_true(secs > 0 && secs < 60);
    assert_true(fabs(bps - bytes * 8 / secs) <= 1e-6 * bps + 1);
    assert_true(fabs(mps - msgs / secs) <= 1e-6 * mps + 1e-9);
}

/* What was sent arrived, all of it (reliable transfer). */
static void check_delivered(const struct tj *d, const char *sent, const char *recv)
{
    char a[96], b[96];
    snprintf(a, sizeof(a), "end.%s.messages", sent);
    snprintf(b, sizeof(b), "end.%s.messages", recv);
    assert_true(tj_num(d, a) == tj_num(d, b));
}

/* The intervals add up to no more than the whole and are in order. */
static void check_intervals(const struct tj *d, const char *field, const char *total)
{
    const struct tj *iv = tj_get(d, "intervals");
    assert_non_null(iv);
    assert_true(iv->nkids >= 1);
    double sum = 0, last_end = 0;
    for (size_t i = 0; i < iv->nkids; i++) {
        char p[64];
        assert_true(tj_num(iv->kids[i], "start") >= last_end - 1e-9);
        last_end = tj_num(iv->kids[i], "end");
        assert_true(last_end > tj_num(iv->kids[i], "start"));
        snprintf(p, sizeof(p), "%s.bytes", field);
        sum += tj_num(iv->kids[i], p);
    }
    assert_true(sum <= tj_num(d, total));
}

/* start.backend names the backend the run used: the one SCTPNG_BACKEND
 * asks for, and a UDP port with it only on the UDP backend. */
static void check_backend(const struct tj *d)
{
    const char *want = getenv("SCTPNG_BACKEND");
    const char *got = tj_str(d, "start.backend");
    assert_non_null(got);
    print_message("# backend %s, udp_port %.0f\n", got, tj_num(d, "start.udp_port"));
    if (want && (strcmp(want, "udp") == 0 || strcmp(want, "kernel") == 0))
        assert_string_equal(got, want);
    if (strcmp(got, "udp") == 0) {
        double port = tj_num(d, "start.udp_port");
        assert_true(port >= 1 && port <= 65535);
        /* --self takes a free UDP port, not the well-known one. */
        assert_true(port != 9899 || getenv("SCTPNG_UDP_PORT"));
    } else {
        assert_string_equal(got, "kernel");
        assert_null(tj_get(d, "start.udp_port"));
    }
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* SIGINT in the middle of a 30 s test: the client stops at once, exits
 * 1, and its -J document is valid, with what it measured so far (its own
 * side: the server's counts never came) and an "error" saying why. */
static void test_sigint_json(void **state)
{
    const char *bin = getenv("SCTPPERF");
    int fds[2];
    assert_non_null(bin);
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        execl(bin, bin, "--self", "-J", "-t", "30", "-l", "4K", "-i", "0.5", (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    usleep(1800 * 1000);
    double t0 = now_s();
    kill(pid, SIGINT);
    size_t cap = 1 << 16, n = 0;
    char *out = malloc(cap);
    ssize_t got;
    while ((got = read(fds[0], out + n, cap - n - 1)) > 0) {
        n += (size_t)got;
        if (cap - n < 4096)
            out = realloc(out, cap *= 2);
    }
    out[n] = '\0';
    close(fds[0]);
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    double took = now_s() - t0;
    print_message("# stopped %.2f s after SIGINT, status %d\n", took, st);
    struct tj *d = tj_parse(out);
    if (!d)
        print_error("output:\n%s\n", out);
    free(out);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 1);
    assert_true(took < 5);
    assert_non_null(d);
    assert_non_null(strstr(tj_str(d, "error"), "interrupted by SIGINT"));
    check_backend(d);
    double msgs = tj_num(d, "end.sum_sent.messages");
    assert_true(msgs > 0);
    assert_true(tj_num(d, "end.sum_sent.bytes") == msgs * 4096);
    assert_true(tj_num(d, "end.elapsed") > 1 && tj_num(d, "end.elapsed") < 10);
    assert_null(tj_get(d, "end.sum_received")); /* the server's count: unknown */
    check_intervals(d, "sent", "end.sum_sent.bytes");
    tj_free(d);
}

static void test_throughput(void **state)
{
    struct tj *d = run_json("-t 1 -i 0.5 -l 16K");
    check_backend(d);
    assert_string_equal(tj_str(d, "start.test.mode"), "throughput");
    assert_string_equal(tj_str(d, "start.test.direction"), "client sends");
    assert_true(tj_num(d, "start.test.length") == 16384);
    check_dir(d, "sum_sent", 16384);
    check_dir(d, "sum_received", 16384);
    check_delivered(d, "sum_sent", "sum_received");
    check_intervals(d, "sent", "end.sum_sent.bytes");
    assert_null(tj_get(d, "end.latency"));
    tj_free(d);
}

static void test_reverse(void **state)
{
    struct tj *d = run_json("-t 1 -i 0.5 -l 4K -R");
    assert_string_equal(tj_str(d, "start.test.direction"), "server sends");
    check_dir(d, "sum_sent", 4096);
    check_dir(d, "sum_received", 4096);
    check_delivered(d, "sum_sent", "sum_received");
    check_intervals(d, "received", "end.sum_received.bytes");
    tj_free(d);
}

static void test_bidir(void **state)
{
    struct tj *d = run_json("-t 1 -l 8K --bidir");
    check_dir(d, "sum_sent", 8192);
    check_dir(d, "sum_sent_bidir_reverse", 8192);
    check_delivered(d, "sum_sent", "sum_received");
    check_delivered(d, "sum_sent_bidir_reverse", "sum_received_bidir_reverse");
    tj_free(d);
}

static void test_rate(void **state)
{
    struct tj *d = run_json("-t 1 --rate");
    assert_string_equal(tj_str(d, "start.test.mode"), "rate");
    assert_true(tj_num(d, "start.test.length") == 64);
    assert_true(tj_num(d, "start.test.nodelay") == 1);
    check_dir(d, "sum_sent", 64);
    check_delivered(d, "sum_sent", "sum_received");
    tj_free(d);
}

static void test_latency(void **state)
{
    struct tj *d = run_json("-t 1 --latency");
    double n = tj_num(d, "end.latency.count");
    double q[] = {tj_num(d, "end.latency.min_us"),   tj_num(d, "end.latency.p50_us"),
                  tj_num(d, "end.latency.p90_us"),   tj_num(d, "end.latency.p99_us"),
                  tj_num(d, "end.latency.p99_9_us"), tj_num(d, "end.latency.max_us")};
    print_message("# %.0f round trips, p50 %.1f us, p99 %.1f us\n", n, q[1], q[3]);
    assert_true(n > 0);
    assert_true(q[0] > 0);
    for (int i = 1; i < 6; i++)
        assert_true(q[i - 1] <= q[i]);
    assert_true(tj_num(d, "end.latency.mean_us") >= q[0]);
    assert_true(tj_num(d, "end.latency.mean_us") <= q[5]);
    /* Every echo is one round trip, every ping was answered. */
    assert_true(tj_num(d, "end.sum_received.messages") == n);
    assert_true(tj_num(d, "end.sum_sent.messages") == n);
    const struct tj *h = tj_get(d, "end.latency.histogram");
    assert_non_null(h);
    double total = 0;
    for (size_t i = 0; i < h->nkids; i++) {
        assert_true(tj_num(h->kids[i], "from_us") < tj_num(h->kids[i], "to_us"));
        total += tj_num(h->kids[i], "count");
    }
    assert_true(total == n);
    assert_non_null(tj_get(d, "intervals.0.latency.p50_us"));
    tj_free(d);
}

static void test_assocs_streams_unordered(void **state)
{
    struct tj *d = run_json("-t 1 -P 3 --streams 4 --unordered -l 1K");
    assert_true(tj_num(d, "start.test.assocs") == 3);
    assert_true(tj_num(d, "start.test.streams") == 4);
    assert_true(tj_num(d, "start.test.unordered") == 1);
    check_dir(d, "sum_sent", 1024);
    check_delivered(d, "sum_sent", "sum_received");
    tj_free(d);
}

static void test_one_call_per_message(void **state)
{
    struct tj *d = run_json("-t 1 -l 2K --batch 1 -N");
    assert_true(tj_num(d, "start.test.batch") == 1);
    check_dir(d, "sum_sent", 2048);
    check_delivered(d, "sum_sent", "sum_received");
    tj_free(d);
}

static void test_bitrate(void **state)
{
    struct tj *d = run_json("-t 2 -l 1K -b 400k");
    double bps = tj_num(d, "end.sum_sent.bits_per_second");
    print_message("# paced at %.0f bit/s\n", bps);
    assert_true(bps > 0.1e6 && bps < 0.45e6);
    tj_free(d);
}

static void test_pr_sctp_ipv6(void **state)
{
    struct tj *d = run_json("-6 -t 1 -l 1K --pr-ttl 2000");
    assert_string_equal(tj_str(d, "start.connecting_to.host"), "::1");
    assert_true(tj_num(d, "start.test.pr_ttl_ms") == 2000);
    check_dir(d, "sum_sent", 1024);
    assert_true(tj_num(d, "end.sum_received.messages") <= tj_num(d, "end.sum_sent.messages"));
    assert_true(tj_num(d, "end.sum_received.messages") > 0);
    tj_free(d);
}

/* The text output has progress lines and both summary lines. */
static void test_text_output(void **state)
{
    int rc;
    char *out = run("--self -t 1 -i 0.5 -l 1K", &rc);
    print_message("%s", out);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "[SUM]   0.00-"));
    assert_non_null(strstr(out, "sender\n"));
    assert_non_null(strstr(out, "receiver\n"));
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_throughput),
        cmocka_unit_test(test_reverse),
        cmocka_unit_test(test_bidir),
        cmocka_unit_test(test_rate),
        cmocka_unit_test(test_latency),
        cmocka_unit_test(test_assocs_streams_unordered),
        cmocka_unit_test(test_one_call_per_message),
        cmocka_unit_test(test_bitrate),
        cmocka_unit_test(test_pr_sctp_ipv6),
        cmocka_unit_test(test_text_output),
        cmocka_unit_test(test_sigint_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
