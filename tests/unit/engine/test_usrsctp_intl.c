/* RFC 8260 I-DATA between the engine and usrsctp, in one process (AF_CONN,
 * usrsctp_conn.c): usrsctp with SCTP_FRAGMENT_INTERLEAVE level 2 and
 * SCTP_INTERLEAVING_SUPPORTED, the engine with I-DATA. Both ends must
 * agree on I-DATA. usrsctp -> engine: two 1 MiB messages on streams 1 and
 * 3 and a 100-byte one on stream 2 sent after the first: usrsctp
 * interleaves their fragments and the small one must arrive before the
 * first large one is complete; every byte checked. Engine -> usrsctp: the
 * same messages, interleaved chunk by chunk (round robin), the small one
 * completed first by usrsctp, whose partial deliveries of the large ones
 * alternate; then the same with our packets lost, duplicated and
 * reordered.
 * Then with a receive window smaller than the interleaved messages
 * together (128 KiB against three of 512 KiB), with loss and duplicates
 * of usrsctp's packets: the engine delivers several streams' messages
 * partially at once, and every message arrives exactly once, whole. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <usrsctp.h>

#include "engine/chunk.h"
#include "engine/idata.h"
#include "usrsctp_conn.h"

/* usrsctp has these options but its installed header does not name them */
#ifndef SCTP_INTERLEAVING_SUPPORTED
#define SCTP_INTERLEAVING_SUPPORTED 0x00001206
#endif

#define BIG   (1u << 20)
#define SMALL 100u
#define NMSG  3
#define MID_  (512u << 10) /* the small-window case's messages */

static uint64_t seed = 91;
static bool up, down;
static uint32_t rwnd = 4u << 20; /* setup(): two whole 1 MiB messages wait */
/* I-DATA chunks usrsctp sent, and how often the stream changed from one
 * to the next in TSN order (fragments of several messages interleaved) */
static unsigned u_idata, u_data, u_switches;
static int u_last_sid = -1;
/* usrsctp's packets to us: lost or duplicated one in loss_in / dup_in */
static unsigned loss_in, dup_in, n_lost, n_dup;
static uint64_t net_rnd = 5;

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

static bool peer_packet(const uint8_t *pkt, size_t len)
{
    count_peer(pkt, len);
    net_rnd = net_rnd * 6364136223846793005ull + 1442695040888963407ull;
    unsigned r = (unsigned)(net_rnd >> 33);
    if (loss_in && r % loss_in == 0) {
        n_lost++;
        return true;
    }
    if (dup_in && (r / 7) % dup_in == 0) { /* the copy goes in first */
        n_dup++;
        sctpng_eng_input(uc.eng, pkt, len, &uc.from, uc_now());
    }
    return false;
}

/* Our I-DATA chunks to usrsctp, counted as count_peer counts usrsctp's. */
static unsigned e_idata, e_switches;
static int e_last_sid = -1;

static bool our_packet(const uint8_t *pkt, size_t len)
{
    struct chunk_iter it;
    struct chunk c;
    struct data_chunk d;
    chunk_iter_init(&it, pkt, len);
    while (chunk_next(&it, &c) == 1) {
        if (c.type != CT_IDATA || chunk_idata_decode(&c, &d) < 0)
            continue;
        e_idata++;
        if (e_last_sid >= 0 && d.sid != e_last_sid)
            e_switches++;
        e_last_sid = d.sid;
    }
    return false; /* the faults are uc.net_ours' */
}

static void on_event(const sctpng_eng_event *ev)
{
    up |= ev->type == SCTPNG_ENG_EV_ASSOC_UP;
    down |= ev->type == SCTPNG_ENG_EV_ASSOC_DOWN;
}

static int setup(void **state)
{
    (void)state;
    sctpng_eng_config cfg;
    uc_config(&cfg, &seed);
    cfg.idata = true;
    cfg.out_streams = cfg.in_streams = 4;
    cfg.rwnd = rwnd;
    cfg.sndbuf = 4u << 20;
    cfg.scheduler = SCTPNG_ENG_SCHED_RR; /* with I-DATA: per chunk */
    if (uc_setup(&cfg) < 0)
        return -1;
    uc.drop_theirs = peer_packet;
    uc.drop_ours = our_packet;
    uc.event = on_event;
    uc.idle_us = 200;
    up = down = false;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    uc_teardown();
    return 0;
}

static void intl_opts(struct socket *ls)
{
    int level = 2, buf = 8 << 20;
    uc_set_opt(ls, IPPROTO_SCTP, SCTP_FRAGMENT_INTERLEAVE, &level, sizeof(level));
    struct sctp_assoc_value av = {.assoc_id = SCTP_FUTURE_ASSOC, .assoc_value = 1};
    uc_set_opt(ls, IPPROTO_SCTP, SCTP_INTERLEAVING_SUPPORTED, &av, sizeof(av));
    av.assoc_value = SCTP_SS_ROUND_ROBIN;
    uc_set_opt(ls, IPPROTO_SCTP, SCTP_PLUGGABLE_SS, &av, sizeof(av));
    uc_set_opt(ls, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf));
    uc_set_opt(ls, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
    uint32_t pd = 64u << 10; /* partial delivery from 64 KiB on */
    uc_set_opt(ls, IPPROTO_SCTP, SCTP_PARTIAL_DELIVERY_POINT, &pd, sizeof(pd));
}

/* Message k: stream 1, 2, 3; 1 MiB, 100 B, 1 MiB; bytes from k and offset. */
static uint16_t msg_sid(unsigned k)
{
    return (uint16_t)(1 + k);
}
static bool small_window; /* the second case: three messages of MID_ */
static size_t msg_len(unsigned k)
{
    return small_window ? MID_ : k == 1 ? SMALL : BIG;
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
    /* parts of several streams' messages may alternate (partial delivery
     * on several streams): one buffer per stream */
    static uint8_t rb[NMSG][BIG];
    size_t cur[NMSG] = {0};
    unsigned got = 0, order[NMSG], bad = 0, dup = 0;
    static uint8_t piece[BIG];
    uint64_t end = uc_now() + 60000000000ull;
    while (got < NMSG && uc_now() < end) {
        uc_turn();
        sctpng_eng_rcvinfo ri;
        /* small reads when the window is small: the pieces alternate */
        size_t cap = small_window ? 3000 : sizeof(piece);
        ssize_t n = sctpng_eng_recv(uc.eng, id, piece, cap, &ri);
        if (n < 0)
            continue;
        unsigned k = ri.stream - 1u;
        assert_true(k < NMSG);
        assert_true(cur[k] + (size_t)n <= msg_len(k));
        memcpy(rb[k] + cur[k], piece, (size_t)n);
        cur[k] += (size_t)n;
        if (!ri.complete)
            continue;
        assert_int_equal(ri.ppid, 700 + k);
        assert_int_equal(cur[k], msg_len(k));
        bad += bad_bytes(rb[k], cur[k], k);
        for (unsigned i = 0; i < got; i++)
            dup += order[i] == k;
        order[got++] = k;
        cur[k] = 0;
    }
    assert_int_equal(got, NMSG);
    assert_int_equal(bad, 0);
    assert_int_equal(dup, 0);
    print_message("usrsctp -> engine: %u I-DATA, %u DATA chunks, %u stream switches; "
                  "delivered %u %u %u\n",
                  u_idata, u_data, u_switches, order[0], order[1], order[2]);
    assert_int_equal(u_data, 0);
    assert_true(u_switches >= 2); /* the large ones interleaved */
    if (!small_window)
        assert_int_equal(order[0], 1); /* the small one overtook the first large one */
}

/* Engine -> usrsctp, the same three messages (round robin per chunk):
 * the chunks on the wire alternate between the streams, and the small
 * one, queued after both large ones, is the first message usrsctp
 * completes. (usrsctp, level 2 and partial delivery point 64 KiB, hands
 * out pieces of the large ones; whether they alternate depends on how
 * fast we read, so the switches between them are only printed.) */
static void engine_to_u(struct socket *s, uint32_t id)
{
    static uint8_t b[BIG];
    e_idata = e_switches = 0;
    e_last_sid = -1;
    for (unsigned k = 0; k < NMSG; k++) {
        sctpng_eng_sndinfo si = {.stream = msg_sid(k), .ppid = 800 + k};
        fill(b, k);
        assert_int_equal(sctpng_eng_send(uc.eng, id, b, msg_len(k), &si, uc_now()),
                         (ssize_t)msg_len(k));
    }
    /* usrsctp hands out pieces of several messages in turn (level 2):
     * one buffer per stream */
    static uint8_t rb[NMSG][BIG];
    size_t cur[NMSG] = {0};
    unsigned got = 0, bad = 0, order[NMSG], pieces = 0, read_switches = 0;
    int last_read = -1;
    static uint8_t piece[65536];
    uint64_t end = uc_now() + 30000000000ull;
    while (got < NMSG && uc_now() < end) {
        uc_turn();
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
        pieces++;
        read_switches += last_read >= 0 && (unsigned)last_read != k;
        last_read = (int)k;
        if (!(flags & MSG_EOR))
            continue;
        assert_int_equal(ntohl(ri.rcv_ppid), 800 + k);
        assert_int_equal(cur[k], msg_len(k));
        bad += bad_bytes(rb[k], cur[k], k);
        order[got++] = k;
    }
    assert_int_equal(got, NMSG);
    assert_int_equal(bad, 0);
    print_message("engine -> usrsctp: %u I-DATA chunks, %u stream switches; usrsctp: %u pieces, "
                  "%u stream switches, completed %u %u %u\n",
                  e_idata, e_switches, pieces, read_switches, order[0], order[1], order[2]);
    assert_true(e_switches >= e_idata / 2); /* mostly one chunk per stream in turn */
    assert_int_equal(order[0], 1);          /* the small one overtook the first large one */
}

/* Connects to usrsctp, checks I-DATA was agreed; the accepted socket. */
static struct socket *connect_u(struct socket *ls, uint32_t *idp)
{
    uint32_t id;
    assert_int_equal(sctpng_eng_connect(uc.eng, &uc.from.remote, 1, 5001, uc_now(), &id), 0);
    uint64_t end = uc_now() + 5000000000ull;
    while (!up && !down && uc_now() < end)
        uc_turn();
    assert_true(up);
    struct socket *s = NULL;
    while (!(s = usrsctp_accept(ls, NULL, NULL)) && uc_now() < end)
        uc_turn();
    assert_non_null(s);
    usrsctp_set_non_blocking(s, 1);
    int on = 1;
    uc_set_opt(s, IPPROTO_SCTP, SCTP_RECVRCVINFO, &on, sizeof(on));
    sctpng_eng_status st;
    assert_int_equal(sctpng_eng_get_status(uc.eng, id, &st), 0);
    assert_true(st.idata); /* usrsctp agreed to I-DATA */
    *idp = id;
    return s;
}

/* Shuts down from our side, checks nothing was dropped as bad. */
static void finish(struct socket *s, struct socket *ls, uint32_t id)
{
    assert_int_equal(sctpng_eng_shutdown(uc.eng, id, uc_now()), 0);
    uint64_t end = uc_now() + 5000000000ull;
    while (!down && uc_now() < end)
        uc_turn();
    assert_true(down);
    sctpng_eng_stats es;
    sctpng_eng_get_stats(uc.eng, &es);
    assert_int_equal(es.drop_bad_crc, 0);
    assert_int_equal(es.drop_malformed, 0);
    usrsctp_close(s);
    usrsctp_close(ls);
}

static void interleaved_with_usrsctp(void **state)
{
    (void)state;
    struct socket *ls = uc_listener(intl_opts);
    uint32_t id;
    struct socket *s = connect_u(ls, &id);
    u_to_engine(s, id);
    engine_to_u(s, id);
    finish(s, ls, id);
}

/* The window (128 KiB) is smaller than what usrsctp interleaves (three
 * 512 KiB messages), 2% of its packets lost and 2% duplicated: partial
 * delivery runs on several streams at once and nothing stalls. (With one
 * partial delivery at a time this stalled after about 168 KiB.) */
static void small_window_lossy(void **state)
{
    (void)state;
    struct socket *ls = uc_listener(intl_opts);
    uint32_t id;
    struct socket *s = connect_u(ls, &id);
    loss_in = dup_in = 50;
    u_to_engine(s, id);
    loss_in = dup_in = 0;
    print_message("%u of usrsctp's packets lost, %u duplicated\n", n_lost, n_dup);
    assert_true(n_lost > 0 && n_dup > 0);
    finish(s, ls, id);
}

/* Engine -> usrsctp as in interleaved_with_usrsctp, with 2% of our
 * packets lost, 2% duplicated and 5% reordered: still every byte, each
 * message once, the small one first. */
static void engine_interleaves_lossy(void **state)
{
    (void)state;
    struct socket *ls = uc_listener(intl_opts);
    uint32_t id;
    struct socket *s = connect_u(ls, &id);
    uc.net_ours = (struct uc_net){.loss = 50, .dup = 50, .reorder = 20, .rnd = 17};
    engine_to_u(s, id);
    struct uc_net n = uc.net_ours;
    uc.net_ours = (struct uc_net){0};
    print_message("%u of our packets lost, %u duplicated, %u reordered\n", n.n_lost, n.n_dup,
                  n.n_reordered);
    assert_true(n.n_lost > 0 && n.n_dup > 0 && n.n_reordered > 0);
    sctpng_eng_status st;
    assert_int_equal(sctpng_eng_get_status(uc.eng, id, &st), 0);
    assert_true(st.retransmits > 0);
    finish(s, ls, id);
}

static int setup_small(void **state)
{
    rwnd = 128u << 10;
    small_window = true;
    u_switches = u_idata = u_data = 0;
    u_last_sid = -1;
    return setup(state);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(interleaved_with_usrsctp, setup, teardown),
        cmocka_unit_test_setup_teardown(engine_interleaves_lossy, setup, teardown),
        cmocka_unit_test_setup_teardown(small_window_lossy, setup_small, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
