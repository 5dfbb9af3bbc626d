/* The interop exchanges; see scenarios.h. */
#include "scenarios.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
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
            report(what, &e, &ps);                                                                 \
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

/* Waits for the other stack's listener to hand over the association. */
static void *await_accept(const struct backend *b, void *listener, struct epeer *e, int secs)
{
    uint64_t end = sctpng_udp_now() + (uint64_t)secs * 1000000000ull;
    void *ctx;
    while (!(ctx = b->accept(listener)) && sctpng_udp_now() < end)
        epeer_step(e, 1);
    return ctx;
}

static void plan(struct xfer *e2p, struct xfer *p2e, uint64_t bytes, uint64_t seed)
{
    xfer_init(e2p, seed, bytes, MAX_MSG, N_STREAMS, UNORDERED_PCT);
    xfer_init(p2e, seed + 1, bytes, MAX_MSG, N_STREAMS, UNORDERED_PCT);
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
    struct epeer e;
    struct peer_side ps = {.ops = b->ops};
    struct xfer e2p, p2e;
    assert_int_equal(epeer_open(&e, ENGINE_PORT, false, LOOPBACK, b->engine_udp_port), 0);
    void *listener = b->listen(PEER_PORT);
    assert_non_null(listener);
    plan(&e2p, &p2e, bytes, 11);
    e.tx = ps.rx = &e2p;
    e.rx = ps.tx = &p2e;
    assert_int_equal(epeer_connect(&e, LOOPBACK, b->peer_udp_port, PEER_PORT), 0);
    ps.ctx = await_accept(b, listener, &e, b->timeout_s);
    CHECK(ps.ctx != NULL, "accept");
    run_exchange(b, &e, &ps, bytes);
    CHECK(epeer_shutdown(&e) == 0, "shutdown");
    CHECK(exchange_until(&e, &ps, engine_down_peer_eof, b->timeout_s) == 0, "shutdown");
    CHECK(e.down_reason == SCTPNG_ENG_DOWN_SHUTDOWN && ps.recv_error == -EPIPE, "shutdown");
    b->close(ps.ctx);
    b->close(listener);
    epeer_close(&e);
    xfer_free(&e2p);
    xfer_free(&p2e);
    peer_side_free(&ps);
}

void scenario_engine_server(const struct backend *b, uint64_t bytes)
{
    struct epeer e;
    struct peer_side ps = {.ops = b->ops};
    struct xfer e2p, p2e;
    assert_int_equal(epeer_open(&e, ENGINE_PORT + 1, true, LOOPBACK, b->engine_udp_port), 0);
    plan(&e2p, &p2e, bytes, 21);
    e.tx = ps.rx = &e2p;
    e.rx = ps.tx = &p2e;
    ps.ctx = b->connect(ENGINE_PORT + 1, b->engine_udp_port);
    CHECK(ps.ctx != NULL, "connect");
    CHECK(exchange_until(&e, &ps, is_up, b->timeout_s) == 0, "association set-up");
    run_exchange(b, &e, &ps, bytes);
    CHECK(b->shutdown(ps.ctx) == 0, "peer shutdown");
    CHECK(exchange_until(&e, &ps, engine_down_peer_eof, b->timeout_s) == 0, "peer shutdown");
    CHECK(e.down_reason == SCTPNG_ENG_DOWN_SHUTDOWN && e.shutdowns == 1 && ps.recv_error == -EPIPE,
          "peer shutdown");
    b->close(ps.ctx);
    epeer_close(&e);
    xfer_free(&e2p);
    xfer_free(&p2e);
    peer_side_free(&ps);
}

void scenario_abort_by_engine(const struct backend *b)
{
    struct epeer e;
    struct peer_side ps = {.ops = b->ops};
    struct xfer e2p, p2e;
    assert_int_equal(epeer_open(&e, ENGINE_PORT + 2, false, LOOPBACK, b->engine_udp_port), 0);
    void *listener = b->listen(PEER_PORT + 2);
    assert_non_null(listener);
    plan(&e2p, &p2e, 2000000, 31);
    e.tx = ps.rx = &e2p;
    e.rx = ps.tx = &p2e;
    assert_int_equal(epeer_connect(&e, LOOPBACK, b->peer_udp_port, PEER_PORT + 2), 0);
    ps.ctx = await_accept(b, listener, &e, b->timeout_s);
    CHECK(ps.ctx != NULL, "accept");
    CHECK(exchange_until(&e, &ps, some_data, b->timeout_s) == 0, "data before the abort");
    CHECK(epeer_abort(&e) == 0, "abort");
    CHECK(exchange_until(&e, &ps, engine_down_peer_eof, b->timeout_s) == 0, "abort");
    CHECK(e.down_reason == SCTPNG_ENG_DOWN_USER_ABORT && ps.recv_error == -ECONNRESET,
          "abort seen as a reset");
    CHECK(e2p.errors == 0 && p2e.errors == 0, "data before the abort");
    printf("# %s: engine aborted after %llu/%llu B; the peer saw ECONNRESET\n", b->name,
           (unsigned long long)e.bytes_read, (unsigned long long)ps.bytes_read);
    b->close(ps.ctx);
    b->close(listener);
    epeer_close(&e);
    xfer_free(&e2p);
    xfer_free(&p2e);
    peer_side_free(&ps);
}

void scenario_abort_by_peer(const struct backend *b)
{
    struct epeer e;
    struct peer_side ps = {.ops = b->ops};
    struct xfer e2p, p2e;
    assert_int_equal(epeer_open(&e, ENGINE_PORT + 3, true, LOOPBACK, b->engine_udp_port), 0);
    plan(&e2p, &p2e, 2000000, 41);
    e.tx = ps.rx = &e2p;
    e.rx = ps.tx = &p2e;
    ps.ctx = b->connect(ENGINE_PORT + 3, b->engine_udp_port);
    CHECK(ps.ctx != NULL, "connect");
    CHECK(exchange_until(&e, &ps, some_data, b->timeout_s) == 0, "data before the abort");
    b->abort(ps.ctx);
    ps.ctx = NULL;
    uint64_t end = sctpng_udp_now() + (uint64_t)b->timeout_s * 1000000000ull;
    while (!e.downs && sctpng_udp_now() < end)
        epeer_step(&e, 10);
    CHECK(e.downs == 1 && e.down_reason == SCTPNG_ENG_DOWN_PEER_ABORT, "peer abort");
    CHECK(e2p.errors == 0 && p2e.errors == 0, "data before the abort");
    printf("# %s: peer aborted; the engine saw PEER_ABORT (cause %u)\n", b->name, e.down_cause);
    epeer_close(&e);
    xfer_free(&e2p);
    xfer_free(&p2e);
    peer_side_free(&ps);
}
