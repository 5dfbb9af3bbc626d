/* RFC 8260 I-DATA between the engine and usrsctp, in one process (AF_CONN,
 * as test_usrsctp.c): usrsctp with SCTP_FRAGMENT_INTERLEAVE level 2 and
 * SCTP_INTERLEAVING_SUPPORTED, the engine with I-DATA. Both ends must
 * agree on I-DATA. usrsctp -> engine: two 1 MiB messages on streams 1 and
 * 3 and a 100-byte one on stream 2 sent after the first: usrsctp
 * interleaves their fragments and the small one must arrive before the
 * first large one is complete; every byte checked. Engine -> usrsctp: the
 * same messages, every byte checked (the engine does not interleave yet).
 * The window holds the whole messages: with a 128 KiB one (partial
 * delivery while interleaved) our receiver stalls, a limit of its own
 * (src/engine/README.md, I-DATA), so that case is not here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <usrsctp.h>

#include "engine/chunk.h"
#include "engine/idata.h"
#include "pump.h"

/* usrsctp has these options but its installed header does not name them */
#ifndef SCTP_INTERLEAVING_SUPPORTED
#define SCTP_INTERLEAVING_SUPPORTED 0x00001206
#endif

#define QMAX  4096
#define BIG   (1u << 20)
#define SMALL 100u
#define NMSG  3

static pthread_mutex_t qlock = PTHREAD_MUTEX_INITIALIZER;
static struct {
    uint8_t *buf;
    size_t len;
} q[QMAX];
static unsigned qn;
static int conn_tag;
static uint64_t seed = 91;
static sctpng_eng *eng;
static sctpng_eng_path from;
static bool up, down;
/* I-DATA chunks usrsctp sent, and how often the stream changed from one
 * to the next in TSN order (fragments of several messages interleaved) */
static unsigned u_idata, u_data, u_switches;
static int u_last_sid = -1;

static void count_peer(const uint8_t *pkt, size_t len)
{
    struct chunk_iter it;
    struct chunk c;
    struct data_chunk d;
    chunk_iter_init(&it, pkt, len);
    while (chunk_next(&it, &c) == 1) {
        u_data += c.type == CT_DATA;
        if (c.type != CT_IDATA || chunk_idata_decode(&c, &d) < 0)
            continue;
        u_idata++;
        if (u_last_sid >= 0 && d.sid != u_last_sid)
            u_switches++;
        u_last_sid = d.sid;
    }
}

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

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Moves packets both ways and runs timers, once. */
static void turn(void)
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
        count_peer(bufs[i], lens[i]);
        sctpng_eng_input(eng, bufs[i], lens[i], &from, now_ns());
        free(bufs[i]);
    }
    if (sctpng_eng_deadline(eng) <= now_ns())
        sctpng_eng_timeout(eng, now_ns());
    static uint8_t out[65536];
    sctpng_eng_path to;
    ssize_t m;
    while ((m = sctpng_eng_output(eng, now_ns(), out, sizeof(out), &to)) > 0)
        usrsctp_conninput(&conn_tag, out, (size_t)m, 0);
    sctpng_eng_event ev;
    while (sctpng_eng_poll_event(eng, &ev) == 1) {
        up |= ev.type == SCTPNG_ENG_EV_ASSOC_UP;
        down |= ev.type == SCTPNG_ENG_EV_ASSOC_DOWN;
    }
    if (!n)
        usleep(200);
}

static int setup(void **state)
{
    (void)state;
    usrsctp_init(0, conn_output, NULL);
    usrsctp_sysctl_set_sctp_ecn_enable(0);
    usrsctp_register_address(&conn_tag);
    sctpng_eng_config cfg;
    pump_config(&cfg, 0, &seed);
    cfg.rto_min_ms = 50;
    cfg.rto_initial_ms = 200;
    cfg.idata = true;
    cfg.out_streams = cfg.in_streams = 4;
    /* two whole 1 MiB messages wait without partial delivery */
    cfg.rwnd = 4u << 20;
    cfg.sndbuf = 4u << 20;
    if (sctpng_eng_new(&cfg, &eng) < 0)
        return -1;
    memset(&from, 0, sizeof(from));
    struct sockaddr_in *s = (struct sockaddr_in *)&from.remote;
    s->sin_family = AF_INET;
    s->sin_addr.s_addr = htonl(0x0a000002);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sctpng_eng_free(eng);
    usrsctp_deregister_address(&conn_tag);
    for (int i = 0; i < 300 && usrsctp_finish() != 0; i++)
        usleep(10000);
    return 0;
}

static void set_opt(struct socket *s, int level, int name, const void *v, socklen_t len)
{
    assert_int_equal(usrsctp_setsockopt(s, level, name, v, len), 0);
}

static struct socket *listener(void)
{
    struct socket *ls = usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0, NULL);
    assert_non_null(ls);
    int level = 2, buf = 8 << 20;
    set_opt(ls, IPPROTO_SCTP, SCTP_FRAGMENT_INTERLEAVE, &level, sizeof(level));
    struct sctp_assoc_value av = {.assoc_id = SCTP_FUTURE_ASSOC, .assoc_value = 1};
    set_opt(ls, IPPROTO_SCTP, SCTP_INTERLEAVING_SUPPORTED, &av, sizeof(av));
    av.assoc_value = SCTP_SS_ROUND_ROBIN;
    set_opt(ls, IPPROTO_SCTP, SCTP_PLUGGABLE_SS, &av, sizeof(av));
    set_opt(ls, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf));
    set_opt(ls, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
    struct sockaddr_conn sc;
    memset(&sc, 0, sizeof(sc));
    sc.sconn_family = AF_CONN;
    sc.sconn_port = htons(5001);
    sc.sconn_addr = &conn_tag;
    assert_int_equal(usrsctp_bind(ls, (struct sockaddr *)&sc, sizeof(sc)), 0);
    assert_int_equal(usrsctp_listen(ls, 1), 0);
    usrsctp_set_non_blocking(ls, 1);
    return ls;
}

/* Message k: stream 1, 2, 3; 1 MiB, 100 B, 1 MiB; bytes from k and offset. */
static uint16_t msg_sid(unsigned k)
{
    return (uint16_t)(1 + k);
}
static size_t msg_len(unsigned k)
{
    return k == 1 ? SMALL : BIG;
}
static uint8_t msg_byte(unsigned k, size_t i)
{
    return (uint8_t)(i * 7 + k * 31 + (i >> 9));
}
static void fill(uint8_t *b, unsigned k)
{
    for (size_t i = 0; i < msg_len(k); i++)
        b[i] = msg_byte(k, i);
}
static unsigned bad_bytes(const uint8_t *b, size_t n, unsigned k)
{
    unsigned bad = 0;
    for (size_t i = 0; i < n; i++)
        bad += b[i] != msg_byte(k, i);
    return bad;
}

static void u_to_engine(struct socket *s, uint32_t id)
{
    static uint8_t b[BIG];
    for (unsigned k = 0; k < NMSG; k++) {
        struct sctp_sndinfo sn;
        memset(&sn, 0, sizeof(sn));
        sn.snd_sid = msg_sid(k);
        sn.snd_ppid = htonl(700 + k);
        fill(b, k);
        ssize_t r =
            usrsctp_sendv(s, b, msg_len(k), NULL, 0, &sn, sizeof(sn), SCTP_SENDV_SNDINFO, 0);
        assert_int_equal(r, (ssize_t)msg_len(k));
    }
    static uint8_t rbuf[BIG + 1];
    size_t cur = 0;
    unsigned got = 0, order[NMSG], bad = 0;
    uint64_t end = now_ns() + 30000000000ull;
    while (got < NMSG && now_ns() < end) {
        turn();
        sctpng_eng_rcvinfo ri;
        ssize_t n = sctpng_eng_recv(eng, id, rbuf + cur, sizeof(rbuf) - cur, &ri);
        if (n < 0)
            continue;
        cur += (size_t)n;
        if (!ri.complete)
            continue;
        unsigned k = ri.ppid - 700;
        assert_true(k < NMSG);
        assert_int_equal(ri.stream, msg_sid(k));
        assert_int_equal(cur, msg_len(k));
        bad += bad_bytes(rbuf, cur, k);
        order[got++] = k;
        cur = 0;
    }
    assert_int_equal(got, NMSG);
    assert_int_equal(bad, 0);
    print_message("usrsctp -> engine: %u I-DATA, %u DATA chunks, %u stream switches; "
                  "delivered %u %u %u\n",
                  u_idata, u_data, u_switches, order[0], order[1], order[2]);
    assert_int_equal(u_data, 0);
    assert_true(u_switches >= 2);  /* the two large ones interleaved */
    assert_int_equal(order[0], 1); /* the small one overtook the first large one */
}

static void engine_to_u(struct socket *s, uint32_t id)
{
    static uint8_t b[BIG];
    for (unsigned k = 0; k < NMSG; k++) {
        sctpng_eng_sndinfo si = {.stream = msg_sid(k), .ppid = 800 + k};
        fill(b, k);
        assert_int_equal(sctpng_eng_send(eng, id, b, msg_len(k), &si, now_ns()),
                         (ssize_t)msg_len(k));
    }
    /* usrsctp may hand out pieces of several messages in turn (level 2):
     * one buffer per stream */
    static uint8_t rb[NMSG][BIG];
    size_t cur[NMSG] = {0};
    unsigned got = 0, bad = 0;
    static uint8_t piece[65536];
    uint64_t end = now_ns() + 30000000000ull;
    while (got < NMSG && now_ns() < end) {
        turn();
        struct sctp_rcvinfo ri;
        socklen_t ilen = sizeof(ri);
        unsigned itype = 0;
        int flags = 0;
        ssize_t n = usrsctp_recvv(s, piece, sizeof(piece), NULL, NULL, &ri, &ilen, &itype, &flags);
        if (n <= 0 || (flags & MSG_NOTIFICATION))
            continue;
        unsigned k = ri.rcv_sid - 1u;
        assert_true(k < NMSG);
        assert_true(cur[k] + (size_t)n <= msg_len(k));
        memcpy(rb[k] + cur[k], piece, (size_t)n);
        cur[k] += (size_t)n;
        if (!(flags & MSG_EOR))
            continue;
        assert_int_equal(ntohl(ri.rcv_ppid), 800 + k);
        assert_int_equal(cur[k], msg_len(k));
        bad += bad_bytes(rb[k], cur[k], k);
        got++;
    }
    assert_int_equal(got, NMSG);
    assert_int_equal(bad, 0);
}

static void interleaved_with_usrsctp(void **state)
{
    (void)state;
    struct socket *ls = listener();
    uint32_t id;
    assert_int_equal(sctpng_eng_connect(eng, &from.remote, 1, 5001, now_ns(), &id), 0);
    uint64_t end = now_ns() + 5000000000ull;
    while (!up && !down && now_ns() < end)
        turn();
    assert_true(up);
    struct socket *s = NULL;
    while (!(s = usrsctp_accept(ls, NULL, NULL)) && now_ns() < end)
        turn();
    assert_non_null(s);
    usrsctp_set_non_blocking(s, 1);
    int on = 1;
    set_opt(s, IPPROTO_SCTP, SCTP_RECVRCVINFO, &on, sizeof(on));
    sctpng_eng_status st;
    assert_int_equal(sctpng_eng_get_status(eng, id, &st), 0);
    assert_true(st.idata); /* usrsctp agreed to I-DATA */

    u_to_engine(s, id);
    engine_to_u(s, id);

    assert_int_equal(sctpng_eng_shutdown(eng, id, now_ns()), 0);
    end = now_ns() + 5000000000ull;
    while (!down && now_ns() < end)
        turn();
    assert_true(down);
    sctpng_eng_stats es;
    sctpng_eng_get_stats(eng, &es);
    assert_int_equal(es.drop_bad_crc, 0);
    assert_int_equal(es.drop_malformed, 0);
    usrsctp_close(s);
    usrsctp_close(ls);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(interleaved_with_usrsctp, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
