/* test_udp_many.c - one-to-many on the UDP backend: a server socket with
 * three associations at once, each answered on its own association id. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "uhelp.h"

#define NCLI 3
#define NMSG 20

struct server {
    sctpng_socket *s;
    int ups, msgs, nids, bad;
};

/* Echo every message to the association it came from, until all
 * clients' messages are in and echoed. */
static void *server_thread(void *arg)
{
    struct server *sv = arg;
    char buf[256];
    while (sv->msgs < NCLI * NMSG) {
        sctpng_rcvinfo ri;
        ssize_t r = sctpng_recv(sv->s, buf, sizeof(buf), &ri, U_WAIT_MS);
        if (r < 0) {
            sv->bad++;
            return NULL;
        }
        if (ri.flags & SCTPNG_RCV_EVENT) {
            if (ri.event.kind == SCTPNG_EV_ASSOC_CHANGE &&
                ri.event.u.assoc_change.state == SCTPNG_COMM_UP)
                sv->ups++;
            continue;
        }
        sctpng_sndinfo si = {.assoc = ri.assoc, .stream = ri.stream};
        if (sctpng_send(sv->s, buf, (size_t)r, &si, U_WAIT_MS) != r)
            sv->bad++;
        sv->msgs++;
    }
    sv->nids = sctpng_get_assoc_ids(sv->s, NULL, 0);
    return NULL;
}

static void test_three_assocs(void **state)
{
    struct server sv = {
        .s = u_listener(AF_INET, SCTPNG_ONE_TO_MANY, "127.0.0.1",
                        SCTPNG_EVMASK(SCTPNG_EV_ASSOC_CHANGE)),
    };
    assert_non_null(sv.s);
    struct u_thread t;
    u_start(&t, server_thread, &sv);
    sctpng_socket *c[NCLI];
    sctpng_addr peer;
    assert_int_equal(sctpng_addr_parse(&peer, "127.0.0.1", U_SCTP_PORT), 0);
    for (int i = 0; i < NCLI; i++) {
        c[i] = u_client(AF_INET, i == 0 ? SCTPNG_ONE_TO_MANY : SCTPNG_ONE_TO_ONE, 0);
        assert_non_null(c[i]);
        sctpng_assoc_t id = 0;
        assert_int_equal(sctpng_connect(c[i], &peer, 1, &id, U_WAIT_MS), 0);
        assert_true(id != 0);
    }
    for (int k = 0; k < NMSG; k++) {
        for (int i = 0; i < NCLI; i++) {
            char msg[32];
            int n = snprintf(msg, sizeof(msg), "client %d msg %d", i, k);
            sctpng_sndinfo si = {.to = &peer, .stream = (uint16_t)i};
            assert_int_equal(sctpng_send(c[i], msg, (size_t)n, &si, U_WAIT_MS), n);
        }
    }
    for (int i = 0; i < NCLI; i++) {
        for (int k = 0; k < NMSG; k++) {
            char buf[64], want[32];
            sctpng_rcvinfo ri;
            ssize_t r = u_recv_msg(c[i], buf, sizeof(buf), &ri, U_WAIT_MS);
            int n = snprintf(want, sizeof(want), "client %d msg %d", i, k);
            assert_int_equal(r, n);
            assert_memory_equal(buf, want, (size_t)n);
            assert_int_equal(ri.stream, i);
        }
    }
    u_join(&t);
    assert_int_equal(sv.bad, 0);
    assert_int_equal(sv.ups, NCLI);
    assert_int_equal(sv.nids, NCLI);
    sctpng_assoc_t ids[NCLI];
    assert_int_equal(sctpng_get_assoc_ids(c[0], ids, NCLI), 1);
    for (int i = 0; i < NCLI; i++)
        sctpng_close(c[i]);
    sctpng_close(sv.s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_three_assocs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
