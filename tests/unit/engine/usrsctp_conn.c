/* The shared engine-usrsctp harness; see usrsctp_conn.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pump.h"
#include "usrsctp_conn.h"

#define QMAX 4096

struct uc uc;

/* usrsctp's packets, from its threads to ours */
static pthread_mutex_t qlock = PTHREAD_MUTEX_INITIALIZER;
static struct {
    uint8_t *buf;
    size_t len;
} q[QMAX];
static unsigned qn;

static int conn_output(void *addr, void *buffer, size_t length, uint8_t tos, uint8_t set_df)
{
    (void)addr;
    (void)tos;
    (void)set_df;
    pthread_mutex_lock(&qlock);
    if (qn < QMAX) {
        q[qn].buf = malloc(length);
        memcpy(q[qn].buf, buffer, length);
        q[qn].len = length;
        qn++;
    }
    pthread_mutex_unlock(&qlock);
    return 0;
}

uint64_t uc_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static unsigned net_rand(struct uc_net *n)
{
    n->rnd = n->rnd * 6364136223846793005ull + 1442695040888963407ull;
    return (unsigned)(n->rnd >> 33);
}

/* One of our packets through the faulty link of uc.net_ours. A packet
 * held back goes after the next one, or at the end of the turn when no
 * other came (so nothing waits longer than one turn). */
static uint8_t held[65536];
static size_t held_len;

static void net_ours(const uint8_t *pkt, size_t len)
{
    struct uc_net *n = &uc.net_ours;
    unsigned r = net_rand(n);
    if (n->loss && r % n->loss == 0) {
        n->n_lost++;
        return;
    }
    if (n->reorder && !held_len && (r / 7) % n->reorder == 0) {
        memcpy(held, pkt, len);
        held_len = len;
        n->n_reordered++;
        return;
    }
    usrsctp_conninput(&uc.tag, pkt, len, 0);
    if (n->dup && (r / 49) % n->dup == 0) {
        n->n_dup++;
        usrsctp_conninput(&uc.tag, pkt, len, 0);
    }
    if (held_len) {
        usrsctp_conninput(&uc.tag, held, held_len, 0);
        held_len = 0;
    }
}

void uc_turn(void)
{
    static uint8_t *bufs[QMAX];
    static size_t lens[QMAX];
    pthread_mutex_lock(&qlock);
    unsigned n = qn;
    qn = 0;
    for (unsigned i = 0; i < n; i++) {
        bufs[i] = q[i].buf;
        lens[i] = q[i].len;
    }
    pthread_mutex_unlock(&qlock);
    for (unsigned i = 0; i < n; i++) {
        if (!uc.drop_theirs || !uc.drop_theirs(bufs[i], lens[i]))
            sctpng_eng_input(uc.eng, bufs[i], lens[i], &uc.from, uc_now());
        free(bufs[i]);
    }
    if (sctpng_eng_deadline(uc.eng) <= uc_now())
        sctpng_eng_timeout(uc.eng, uc_now());
    static uint8_t out[65536];
    sctpng_eng_path to;
    ssize_t m;
    while ((m = sctpng_eng_output(uc.eng, uc_now(), out, sizeof(out), &to)) > 0)
        if (!uc.drop_ours || !uc.drop_ours(out, (size_t)m))
            net_ours(out, (size_t)m);
    if (held_len) {
        usrsctp_conninput(&uc.tag, held, held_len, 0);
        held_len = 0;
    }
    sctpng_eng_event ev;
    while (sctpng_eng_poll_event(uc.eng, &ev) == 1)
        if (uc.event)
            uc.event(&ev);
    if (!n)
        usleep(uc.idle_us);
}

void uc_config(sctpng_eng_config *cfg, uint64_t *seed)
{
    pump_config(cfg, 0, seed);
    cfg->rto_min_ms = 50;
    cfg->rto_initial_ms = 200;
}

int uc_setup(const sctpng_eng_config *cfg)
{
    memset(&uc, 0, sizeof(uc));
    held_len = 0;
    uc.idle_us = 500;
    usrsctp_init(0, conn_output, NULL);
    usrsctp_sysctl_set_sctp_ecn_enable(0);
    usrsctp_register_address(&uc.tag);
    if (sctpng_eng_new(cfg, &uc.eng) < 0)
        return -1;
    struct sockaddr_in *s = (struct sockaddr_in *)&uc.from.remote;
    s->sin_family = AF_INET;
    s->sin_addr.s_addr = htonl(0x0a000002);
    return 0;
}

void uc_teardown(void)
{
    sctpng_eng_free(uc.eng);
    uc.eng = NULL;
    usrsctp_deregister_address(&uc.tag);
    for (int i = 0; i < 300 && usrsctp_finish() != 0; i++)
        usleep(10000);
}

void uc_addr(struct sockaddr_conn *sc, uint16_t port)
{
    memset(sc, 0, sizeof(*sc));
    sc->sconn_family = AF_CONN;
    sc->sconn_port = htons(port);
    sc->sconn_addr = &uc.tag;
}

struct socket *uc_bound(void (*opts)(struct socket *s), uint16_t port)
{
    struct socket *s = usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0, NULL);
    assert_non_null(s);
    if (opts)
        opts(s);
    struct sockaddr_conn sc;
    uc_addr(&sc, port);
    assert_int_equal(usrsctp_bind(s, (struct sockaddr *)&sc, sizeof(sc)), 0);
    usrsctp_set_non_blocking(s, 1);
    return s;
}

struct socket *uc_listener(void (*opts)(struct socket *s))
{
    struct socket *ls = uc_bound(opts, 5001);
    assert_int_equal(usrsctp_listen(ls, 1), 0);
    return ls;
}

void uc_set_opt(struct socket *s, int level, int name, const void *v, socklen_t len)
{
    assert_int_equal(usrsctp_setsockopt(s, level, name, v, len), 0);
}
