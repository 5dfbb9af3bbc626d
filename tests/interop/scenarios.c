/* The interop exchanges; see scenarios.h. */
#include "scenarios.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "udp/udp.h"

#define MAX_MSG       32768
#define N_STREAMS     8
#define UNORDERED_PCT 25
#define LOOPBACK      "127.0.0.1"

/* SCTP ports: the other stack listens on PEER_PORT + n, the engine on
 * ENGINE_PORT + n, n = 0..3 for the four scenarios. */
#define PEER_PORT   5001
#define ENGINE_PORT 6001

/* The running scenario's state, static so that scenario_cleanup() can
 * release it after a failed check jumped out of the scenario. */
static struct run {
    const struct backend *b;
    struct epeer e;
    bool e_open;
    struct peer_side ps;
    void *listener;
    struct xfer e2p, p2e;
} run;

void scenario_cleanup(void)
{
    if (run.ps.ctx)
        run.b->close(run.ps.ctx);
    if (run.listener)
        run.b->close(run.listener);
    if (run.e_open)
        epeer_close(&run.e);
    xfer_free(&run.e2p);
    xfer_free(&run.p2e);
    peer_side_free(&run.ps);
    memset(&run, 0, sizeof(run));
}

/* Opens the engine side and plans both directions. */
static void start(const struct backend *b, uint16_t port, bool accept, uint64_t bytes,
                  uint64_t seed)
{
    scenario_cleanup();
    run.b = b;
    run.ps.ops = b->ops;
    assert_int_equal(epeer_open(&run.e, port, accept, LOOPBACK, b->engine_udp_port), 0);
    run.e_open = true;
    xfer_init(&run.e2p, seed, bytes, MAX_MSG, N_STREAMS, UNORDERED_PCT);
    xfer_init(&run.p2e, seed + 1, bytes, MAX_MSG, N_STREAMS, UNORDERED_PCT);
    run.e.tx = run.ps.rx = &run.e2p;
    run.e.rx = run.ps.tx = &run.p2e;
}

static void report(const char *what, struct epeer *e, struct peer_side *ps)
{
    sctpng_eng_status st;
    fprintf(stderr, "# %s: engine ups %u downs %u (reason %d cause %u) send_error %d\n", what,
            e->ups, e->downs, e->down_reason, e->down_cause, e->send_error);
    if (e->assoc && sctpng_eng_get_status(e->eng, e->assoc, &st) == 0)
        fprintf(stderr,
                "#   engine assoc %u %s: sent %llu acked %llu recvd %llu B, rtx %llu, "
                "outstanding %u B, queued %u B, peer rwnd %u\n",
                e->assoc, sctpng_eng_state_name(st.state), (unsigned long long)st.user_bytes_sent,
                (unsigned long long)st.user_bytes_acked, (unsigned long long)st.user_bytes_recvd,
                (unsigned long long)st.retransmits, st.outstanding_bytes, st.queued_bytes,
                st.peer_rwnd);
    fprintf(stderr, "#   peer send_error %d recv_error %d read %llu B\n", ps->send_error,
            ps->recv_error, (unsigned long long)ps->bytes_read);
    struct xfer *x[2] = {e->tx, ps->tx};
    for (int i = 0; i < 2; i++)
        if (x[i])
            fprintf(stderr, "#   %s: queued %u/%u msgs, received %u (%llu of %llu B)%s%s\n",
                    i ? "peer->engine" : "engine->peer", x[i]->next_send, x[i]->n_msgs, x[i]->n_got,
                    (unsigned long long)x[i]->bytes_got, (unsigned long long)x[i]->total_bytes,
                    x[i]->errors ? "; first error: " : "", x[i]->errors ? x[i]->first_error : "");
}

#define CHECK(cond, what)                                                                          \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            report(what, &run.e, &run.ps);                                                         \
            fail_msg("%s: %s", what, #cond);                                                       \
        }                                                                                          \
    } while (0)

static bool is_up(struct epeer *e, struct peer_side *ps)
{
    (void)ps;
    return e->ups > 0;
}

static bool some_data(struct epeer *e, struct peer_side *ps)
{
    return e->bytes_read > 0 && ps->bytes_read > 0;
}

static bool engine_down_peer_eof(struct epeer *e, struct peer_side *ps)
{
    return e->downs > 0 && ps->recv_error != 0;
}

/* After the other stack shut down: the engine is down, and the other side
 * saw the end (end of file, or its association is gone). */
static bool engine_down_peer_closed(struct epeer *e, struct peer_side *ps)
{
    return e->downs > 0 && (ps->recv_error != 0 || (run.b->closed && run.b->closed(ps->ctx)));
}

/* Waits for the other stack's listener to hand over the association. */
static void *await_accept(const struct backend *b, void *listener, struct epeer *e, int secs)
{
    uint64_t end = sctpng_udp_now() + (uint64_t)secs * 1000000000ull;
    void *ctx;
    while (!(ctx = b->accept(listener)) && sctpng_udp_now() < end)
        epeer_step(e, 1);
    return ctx;
}

static void run_exchange(const struct backend *b, struct epeer *e, struct peer_side *ps,
                         uint64_t bytes)
{
    uint64_t t0 = sctpng_udp_now();
    int rc = exchange_until(e, ps, exchange_complete, b->timeout_s);
    double secs = (double)(sctpng_udp_now() - t0) / 1e9;
    if (rc != 0 || e->tx->errors || ps->tx->errors || e->send_error || ps->send_error) {
        report("exchange", e, ps);
        fail_msg("exchange with %s failed (%d)", b->name, rc);
    }
    printf("# %s: %.1f MB each way in %.2f s (%.1f MB/s total), %u + %u messages\n", b->name,
           (double)bytes / 1e6, secs, 2.0 * (double)bytes / 1e6 / secs, e->tx->n_msgs,
           ps->tx->n_msgs);
}

void scenario_engine_client(const struct backend *b, uint64_t bytes)
{
    start(b, ENGINE_PORT, false, bytes, 11);
    run.listener = b->listen(PEER_PORT);
    assert_non_null(run.listener);
    assert_int_equal(epeer_connect(&run.e, LOOPBACK, b->peer_udp_port, PEER_PORT), 0);
    run.ps.ctx = await_accept(b, run.listener, &run.e, b->timeout_s);
    CHECK(run.ps.ctx != NULL, "accept");
    run_exchange(b, &run.e, &run.ps, bytes);
    CHECK(epeer_shutdown(&run.e) == 0, "shutdown");
    CHECK(exchange_until(&run.e, &run.ps, engine_down_peer_eof, b->timeout_s) == 0, "shutdown");
    CHECK(run.e.down_reason == SCTPNG_ENG_DOWN_SHUTDOWN && run.ps.recv_error == -EPIPE, "shutdown");
    scenario_cleanup();
}

void scenario_engine_server(const struct backend *b, uint64_t bytes)
{
    start(b, ENGINE_PORT + 1, true, bytes, 21);
    run.ps.ctx = b->connect(ENGINE_PORT + 1, b->engine_udp_port);
    CHECK(run.ps.ctx != NULL, "connect");
    CHECK(exchange_until(&run.e, &run.ps, is_up, b->timeout_s) == 0, "association set-up");
    run_exchange(b, &run.e, &run.ps, bytes);
    CHECK(b->shutdown(run.ps.ctx) == 0, "peer shutdown");
    CHECK(exchange_until(&run.e, &run.ps, engine_down_peer_closed, b->timeout_s) == 0,
          "peer shutdown");
    CHECK(run.e.down_reason == SCTPNG_ENG_DOWN_SHUTDOWN && run.e.shutdowns == 1 &&
              (run.ps.recv_error == -EPIPE || run.ps.recv_error == 0),
          "peer shutdown");
    scenario_cleanup();
}

void scenario_abort_by_engine(const struct backend *b)
{
    start(b, ENGINE_PORT + 2, false, 2000000, 31);
    run.listener = b->listen(PEER_PORT + 2);
    assert_non_null(run.listener);
    assert_int_equal(epeer_connect(&run.e, LOOPBACK, b->peer_udp_port, PEER_PORT + 2), 0);
    run.ps.ctx = await_accept(b, run.listener, &run.e, b->timeout_s);
    CHECK(run.ps.ctx != NULL, "accept");
    CHECK(exchange_until(&run.e, &run.ps, some_data, b->timeout_s) == 0, "data before the abort");
    CHECK(epeer_abort(&run.e) == 0, "abort");
    CHECK(exchange_until(&run.e, &run.ps, engine_down_peer_eof, b->timeout_s) == 0, "abort");
    CHECK(run.e.down_reason == SCTPNG_ENG_DOWN_USER_ABORT && run.ps.recv_error == -ECONNRESET,
          "abort seen as a reset");
    CHECK(run.e2p.errors == 0 && run.p2e.errors == 0, "data before the abort");
    printf("# %s: engine aborted after %llu/%llu B; the peer saw ECONNRESET\n", b->name,
           (unsigned long long)run.e.bytes_read, (unsigned long long)run.ps.bytes_read);
    scenario_cleanup();
}

void scenario_abort_by_peer(const struct backend *b)
{
    start(b, ENGINE_PORT + 3, true, 2000000, 41);
    run.ps.ctx = b->connect(ENGINE_PORT + 3, b->engine_udp_port);
    CHECK(run.ps.ctx != NULL, "connect");
    CHECK(exchange_until(&run.e, &run.ps, some_data, b->timeout_s) == 0, "data before the abort");
    b->abort(run.ps.ctx);
    run.ps.ctx = NULL;
    uint64_t end = sctpng_udp_now() + (uint64_t)b->timeout_s * 1000000000ull;
    while (!run.e.downs && sctpng_udp_now() < end)
        epeer_step(&run.e, 10);
    CHECK(run.e.downs == 1 && run.e.down_reason == SCTPNG_ENG_DOWN_PEER_ABORT, "peer abort");
    CHECK(run.e2p.errors == 0 && run.p2e.errors == 0, "data before the abort");
    printf("# %s: peer aborted; the engine saw PEER_ABORT (cause %u)\n", b->name, run.e.down_cause);
    scenario_cleanup();
}
