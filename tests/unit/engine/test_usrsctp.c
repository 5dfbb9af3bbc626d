/* The engine against usrsctp, in one process: usrsctp's AF_CONN mode hands
 * us its SCTP packets through a callback and takes ours with
 * usrsctp_conninput(), so the two stacks talk without any socket
 * (usrsctp_conn.c). */
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
#include "usrsctp_conn.h"

static uint64_t seed = 77;
static sctpng_eng_event evs[256];
static unsigned nev;
static uint32_t drop_ppid; /* drop our packets carrying DATA with this PPID */
static size_t drop_above;  /* drop our packets longer than this (0: none) */
static bool plpmtud;       /* setup(): the engine discovers, MAX 9000 */

static bool dropped(const uint8_t *pkt, size_t len)
{
    if (drop_above && len > drop_above)
        return true;
    struct chunk_iter it;
    struct chunk c;
    struct data_chunk d;
    chunk_iter_init(&it, pkt, len);
    while (drop_ppid && chunk_next(&it, &c) == 1)
        if (c.type == CT_DATA && chunk_data_decode(&c, &d) == 0 && d.ppid == drop_ppid)
            return true;
    return false;
}

static void keep_event(const sctpng_eng_event *ev)
{
    if (nev < 256)
        evs[nev++] = *ev;
}

static const sctpng_eng_event *find(sctpng_eng_event_type t)
{
    for (unsigned i = 0; i < nev; i++)
        if (evs[i].type == t)
            return &evs[i];
    return NULL;
}

static int setup(void **state)
{
    (void)state;
    sctpng_eng_config cfg;
    uc_config(&cfg, &seed);
    cfg.reconf = true; /* RFC 6525 (reconf_with_usrsctp) */
    cfg.reconf_enable = 7;
    if (plpmtud) {
        cfg.mtu = 9000;
        cfg.plpmtud = true;
        cfg.plpmtud_probe_ms = 100; /* a real-time test: short probe timer */
    }
    if (uc_setup(&cfg) < 0)
        return -1;
    uc.drop_ours = dropped;
    uc.event = keep_event;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    uc_teardown();
    return 0;
}

static struct socket *listener(void)
{
    return uc_listener(NULL);
}

static void talk(void **state)
{
    (void)state;
    struct socket *ls = listener();
    uint32_t id;
    assert_int_equal(sctpng_eng_connect(uc.eng, &uc.from.remote, 1, 5001, uc_now(), &id), 0);
    uint64_t end = uc_now() + 5000000000ull;
    while (!find(SCTPNG_ENG_EV_ASSOC_UP) && !find(SCTPNG_ENG_EV_ASSOC_DOWN) && uc_now() < end)
        uc_turn();
    assert_non_null(find(SCTPNG_ENG_EV_ASSOC_UP));
    struct socket *s = NULL;
    while (!(s = usrsctp_accept(ls, NULL, NULL)) && uc_now() < end)
        uc_turn();
    assert_non_null(s);
    usrsctp_set_non_blocking(s, 1);
    int on = 1;
    usrsctp_setsockopt(s, IPPROTO_SCTP, SCTP_RECVRCVINFO, &on, sizeof(on));

    /* engine -> usrsctp: small messages on several streams and a big one */
    static uint8_t big[100000];
    for (size_t i = 0; i < sizeof(big); i++)
        big[i] = (uint8_t)(i * 13);
    for (unsigned i = 0; i < 20; i++) {
        sctpng_eng_sndinfo si = {.stream = (uint16_t)(i % 4), .ppid = 100 + i};
        size_t len = i == 10 ? sizeof(big) : 10 + i;
        assert_true(sctpng_eng_send(uc.eng, id, big, len, &si, uc_now()) > 0);
    }
    unsigned got = 0;
    size_t cur = 0;
    static uint8_t rbuf[200000];
    end = uc_now() + 10000000000ull;
    while (got < 20 && uc_now() < end) {
        uc_turn();
        struct sctp_rcvinfo ri;
        socklen_t ilen = sizeof(ri);
        unsigned itype = 0;
        int flags = 0;
        ssize_t n = usrsctp_recvv(s, rbuf + cur, sizeof(rbuf) - cur, NULL, NULL, &ri, &ilen, &itype,
                                  &flags);
        if (n <= 0)
            continue;
        cur += (size_t)n;
        if (!(flags & MSG_EOR))
            continue;
        unsigned k = ntohl(ri.rcv_ppid) - 100;
        assert_true(k < 20);
        assert_int_equal(ri.rcv_sid, k % 4);
        assert_int_equal(cur, k == 10 ? sizeof(big) : 10 + k);
        assert_memory_equal(rbuf, big, cur);
        cur = 0;
        got++;
    }
    assert_int_equal(got, 20);

    /* usrsctp -> engine */
    for (unsigned i = 0; i < 10; i++) {
        struct sctp_sndinfo sn;
        memset(&sn, 0, sizeof(sn));
        sn.snd_sid = (uint16_t)(i % 3);
        sn.snd_ppid = htonl(500 + i);
        if (i == 5)
            sn.snd_flags = SCTP_UNORDERED;
        size_t len = i == 7 ? 50000 : 100 + i;
        assert_int_equal(
            usrsctp_sendv(s, big, len, NULL, 0, &sn, sizeof(sn), SCTP_SENDV_SNDINFO, 0),
            (ssize_t)len);
    }
    unsigned rgot = 0;
    cur = 0;
    end = uc_now() + 10000000000ull;
    while (rgot < 10 && uc_now() < end) {
        uc_turn();
        sctpng_eng_rcvinfo ri;
        ssize_t n = sctpng_eng_recv(uc.eng, id, rbuf + cur, sizeof(rbuf) - cur, &ri);
        if (n < 0)
            continue;
        cur += (size_t)n;
        if (!ri.complete)
            continue;
        unsigned k = ri.ppid - 500;
        assert_true(k < 10);
        assert_int_equal(ri.stream, k % 3);
        assert_int_equal(ri.unordered, k == 5);
        assert_int_equal(cur, k == 7 ? 50000 : 100 + k);
        assert_memory_equal(rbuf, big, cur);
        cur = 0;
        rgot++;
    }
    assert_int_equal(rgot, 10);

    /* graceful shutdown from our side */
    assert_int_equal(sctpng_eng_shutdown(uc.eng, id, uc_now()), 0);
    end = uc_now() + 5000000000ull;
    while (!find(SCTPNG_ENG_EV_ASSOC_DOWN) && uc_now() < end)
        uc_turn();
    const sctpng_eng_event *d = find(SCTPNG_ENG_EV_ASSOC_DOWN);
    assert_non_null(d);
    assert_int_equal(d->u.down.reason, SCTPNG_ENG_DOWN_SHUTDOWN);
    sctpng_eng_stats st;
    sctpng_eng_get_stats(uc.eng, &st);
    assert_int_equal(st.drop_bad_crc, 0);
    assert_int_equal(st.drop_malformed, 0);
    assert_int_equal(st.drop_bad_vtag, 0);
    usrsctp_close(s);
    usrsctp_close(ls);
}

/* usrsctp connects to us (its INIT carries AUTH, ECN, adaptation layer and
 * other parameters we skip), then a message of PR-SCTP policy `policy`
 * (value `value`) that is lost for drop_ms is abandoned and skipped with
 * FORWARD-TSN, and the next one on the same stream still arrives, with
 * the next SSN (no hole usrsctp waits on, no duplicate): counted under
 * its policy. */
static void pr_abandoned(int policy, uint32_t value, uint64_t drop_ms)
{
    nev = 0;
    struct socket *s = uc_bound(NULL, 5001);
    int on = 1;
    usrsctp_setsockopt(s, IPPROTO_SCTP, SCTP_RECVRCVINFO, &on, sizeof(on));
    struct sockaddr_conn sc;
    uc_addr(&sc, 5000);
    usrsctp_connect(s, (struct sockaddr *)&sc, sizeof(sc));
    uint64_t end = uc_now() + 5000000000ull;
    while (!find(SCTPNG_ENG_EV_ASSOC_UP) && uc_now() < end)
        uc_turn();
    const sctpng_eng_event *up = find(SCTPNG_ENG_EV_ASSOC_UP);
    assert_non_null(up);
    assert_true(up->u.up.peer_pr_sctp);
    uint32_t id = up->assoc;

    sctpng_eng_sndinfo a = {
        .stream = 2, .ppid = 1, .pr_policy = (uint8_t)policy, .pr_value = value};
    sctpng_eng_sndinfo b = {.stream = 2, .ppid = 2};
    drop_ppid = 1;
    assert_int_equal(sctpng_eng_send(uc.eng, id, "lost", 4, &a, uc_now()), 4);
    end = uc_now() + drop_ms * 1000000ull;
    while (uc_now() < end)
        uc_turn();
    drop_ppid = 0;
    assert_int_equal(sctpng_eng_send(uc.eng, id, "arrives", 7, &b, uc_now()), 7);
    char buf[64];
    ssize_t n = -1;
    struct sctp_rcvinfo ri;
    end = uc_now() + 5000000000ull;
    while (n <= 0 && uc_now() < end) {
        uc_turn();
        socklen_t ilen = sizeof(ri);
        unsigned itype = 0;
        int flags = 0;
        n = usrsctp_recvv(s, buf, sizeof(buf), NULL, NULL, &ri, &ilen, &itype, &flags);
    }
    assert_int_equal(n, 7);
    assert_memory_equal(buf, "arrives", 7);
    assert_int_equal(ntohl(ri.rcv_ppid), 2);
    assert_int_equal(ri.rcv_ssn, 1);
    sctpng_eng_status st;
    sctpng_eng_get_status(uc.eng, id, &st);
    assert_true(st.fwd_tsn_sent >= 1);
    assert_int_equal(st.abandoned_msgs, 1);
    uint64_t unsent = 9, sent = 9;
    assert_int_equal(sctpng_eng_get_pr_stats(uc.eng, id, 2, policy, &unsent, &sent), 0);
    assert_int_equal(unsent + sent, 1);
    assert_non_null(find(SCTPNG_ENG_EV_SEND_FAILED));
    /* nothing more arrives: the lost message never turns up late */
    uint64_t quiet = uc_now() + 300000000ull;
    while (uc_now() < quiet) {
        uc_turn();
        socklen_t ilen = sizeof(ri);
        unsigned itype = 0;
        int flags = 0;
        assert_true(usrsctp_recvv(s, buf, sizeof(buf), NULL, NULL, &ri, &ilen, &itype, &flags) <=
                    0);
    }

    /* usrsctp closes: graceful shutdown initiated by the peer */
    usrsctp_close(s);
    end = uc_now() + 5000000000ull;
    while (!find(SCTPNG_ENG_EV_ASSOC_DOWN) && uc_now() < end)
        uc_turn();
    assert_non_null(find(SCTPNG_ENG_EV_SHUTDOWN));
    const sctpng_eng_event *d = find(SCTPNG_ENG_EV_ASSOC_DOWN);
    assert_non_null(d);
    assert_int_equal(d->u.down.reason, SCTPNG_ENG_DOWN_SHUTDOWN);
    sctpng_eng_stats es;
    sctpng_eng_get_stats(uc.eng, &es);
    assert_int_equal(es.drop_bad_crc + es.drop_malformed + es.drop_bad_vtag, 0);
}

static void accept_and_pr_sctp(void **state)
{
    (void)state;
    pr_abandoned(SCTPNG_ENG_PR_TTL, 150, 400);
}

/* RTX: at most one retransmission; both transmissions lost (T3 after the
 * 200 ms initial RTO, again 400 ms later) before the drop ends. */
static void pr_rtx_with_usrsctp(void **state)
{
    (void)state;
    pr_abandoned(SCTPNG_ENG_PR_RTX, 1, 1500);
}

/* What usrsctp received: the next message (its stream and SSN) or a
 * stream reset notification (its flags); false on time-out. */
struct u_got {
    bool reset;
    uint16_t flags, sid, ssn;
};

static bool u_next(struct socket *s, struct u_got *g)
{
    uint64_t end = uc_now() + 5000000000ull;
    static uint8_t buf[4096];
    while (uc_now() < end) {
        uc_turn();
        struct sctp_rcvinfo ri;
        socklen_t ilen = sizeof(ri);
        unsigned itype = 0;
        int flags = 0;
        memset(&ri, 0, sizeof(ri));
        ssize_t n = usrsctp_recvv(s, buf, sizeof(buf), NULL, NULL, &ri, &ilen, &itype, &flags);
        if (n <= 0)
            continue;
        memset(g, 0, sizeof(*g));
        if (flags & MSG_NOTIFICATION) {
            const union sctp_notification *sn = (const void *)buf;
            if (sn->sn_header.sn_type != SCTP_STREAM_RESET_EVENT)
                continue;
            g->reset = true;
            g->flags = sn->sn_strreset_event.strreset_flags;
            return true;
        }
        g->sid = ri.rcv_sid;
        g->ssn = ri.rcv_ssn;
        return true;
    }
    return false;
}

static const sctpng_eng_event *wait_ev(sctpng_eng_event_type t, unsigned after)
{
    uint64_t end = uc_now() + 5000000000ull;
    while (uc_now() < end) {
        for (unsigned i = after; i < nev; i++)
            if (evs[i].type == t)
                return &evs[i];
        uc_turn();
    }
    return NULL;
}

static uint16_t e_recv_ssn(uint32_t id, uint16_t *sid)
{
    uint64_t end = uc_now() + 5000000000ull;
    char b[256];
    sctpng_eng_rcvinfo ri;
    while (uc_now() < end) {
        uc_turn();
        if (sctpng_eng_recv(uc.eng, id, b, sizeof(b), &ri) > 0 && ri.complete) {
            *sid = ri.stream;
            return ri.ssn;
        }
    }
    fail_msg("nothing from usrsctp");
    return 0;
}

static void u_send(struct socket *s, uint16_t sid)
{
    struct sctp_sndinfo sn;
    memset(&sn, 0, sizeof(sn));
    sn.snd_sid = sid;
    assert_int_equal(usrsctp_sendv(s, "u", 1, NULL, 0, &sn, sizeof(sn), SCTP_SENDV_SNDINFO, 0), 1);
}

/* RFC 6525 against usrsctp, both directions: our outgoing reset (usrsctp
 * is told, our next message on the stream has SSN 0), usrsctp's outgoing
 * reset (we are told, its next message has SSN 0), our incoming reset
 * request (usrsctp resets its stream), added streams both ways. */
static void reconf_with_usrsctp(void **state)
{
    (void)state;
    nev = 0;
    struct socket *ls = listener();
    struct sctp_assoc_value av = {.assoc_id = SCTP_FUTURE_ASSOC,
                                  .assoc_value = SCTP_ENABLE_VALUE_MASK};
    assert_int_equal(
        usrsctp_setsockopt(ls, IPPROTO_SCTP, SCTP_ENABLE_STREAM_RESET, &av, sizeof(av)), 0);
    uint32_t id;
    assert_int_equal(sctpng_eng_connect(uc.eng, &uc.from.remote, 1, 5001, uc_now(), &id), 0);
    assert_non_null(wait_ev(SCTPNG_ENG_EV_ASSOC_UP, 0));
    struct socket *s = NULL;
    uint64_t end = uc_now() + 5000000000ull;
    while (!(s = usrsctp_accept(ls, NULL, NULL)) && uc_now() < end)
        uc_turn();
    assert_non_null(s);
    usrsctp_set_non_blocking(s, 1);
    int on = 1;
    usrsctp_setsockopt(s, IPPROTO_SCTP, SCTP_RECVRCVINFO, &on, sizeof(on));
    struct sctp_event se = {
        .se_assoc_id = SCTP_FUTURE_ASSOC, .se_type = SCTP_STREAM_RESET_EVENT, .se_on = 1};
    assert_int_equal(usrsctp_setsockopt(s, IPPROTO_SCTP, SCTP_EVENT, &se, sizeof(se)), 0);
    sctpng_eng_status st;
    assert_int_equal(sctpng_eng_get_status(uc.eng, id, &st), 0);
    assert_true(st.reconf); /* usrsctp offers RE-CONFIG */

    /* ours: outgoing reset of stream 1 */
    sctpng_eng_sndinfo si = {.stream = 1};
    struct u_got g;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(sctpng_eng_send(uc.eng, id, "e", 1, &si, uc_now()), 1);
        assert_true(u_next(s, &g));
        assert_int_equal(g.ssn, i);
    }
    uint16_t one[] = {1};
    unsigned mark = nev;
    assert_int_equal(sctpng_eng_reset_streams(uc.eng, id, SCTPNG_ENG_RESET_OUT, one, 1, uc_now()),
                     0);
    const sctpng_eng_event *e = wait_ev(SCTPNG_ENG_EV_STREAM_RESET, mark);
    assert_non_null(e);
    assert_int_equal(e->u.stream_reset.flags, SCTPNG_ENG_RECONF_EV_OUTGOING);
    assert_true(u_next(s, &g));
    assert_true(g.reset);
    assert_int_equal(g.flags, SCTP_STREAM_RESET_INCOMING_SSN);
    assert_int_equal(sctpng_eng_send(uc.eng, id, "e", 1, &si, uc_now()), 1);
    assert_true(u_next(s, &g));
    assert_false(g.reset);
    assert_int_equal(g.sid, 1);
    assert_int_equal(g.ssn, 0);

    /* usrsctp's: outgoing reset of its stream 2 */
    uint16_t sid;
    for (int i = 0; i < 2; i++) {
        u_send(s, 2);
        assert_int_equal(e_recv_ssn(id, &sid), i);
    }
    uint8_t rs[sizeof(struct sctp_reset_streams) + 2];
    struct sctp_reset_streams *r = (struct sctp_reset_streams *)rs;
    memset(rs, 0, sizeof(rs));
    r->srs_flags = SCTP_STREAM_RESET_OUTGOING;
    r->srs_number_streams = 1;
    r->srs_stream_list[0] = 2;
    mark = nev;
    assert_int_equal(usrsctp_setsockopt(s, IPPROTO_SCTP, SCTP_RESET_STREAMS, rs, sizeof(rs)), 0);
    e = wait_ev(SCTPNG_ENG_EV_STREAM_RESET, mark);
    assert_non_null(e);
    assert_int_equal(e->u.stream_reset.flags, SCTPNG_ENG_RECONF_EV_INCOMING);
    assert_int_equal(e->u.stream_reset.nstreams, 1);
    assert_int_equal(e->u.stream_reset.streams[0], 2);
    assert_true(u_next(s, &g)); /* usrsctp's own notification of it */
    assert_true(g.reset);
    assert_int_equal(g.flags, SCTP_STREAM_RESET_OUTGOING_SSN);
    u_send(s, 2);
    assert_int_equal(e_recv_ssn(id, &sid), 0);
    assert_int_equal(sid, 2);

    /* ours: incoming reset request; usrsctp resets its stream 0 */
    u_send(s, 0);
    assert_int_equal(e_recv_ssn(id, &sid), 0);
    u_send(s, 0);
    assert_int_equal(e_recv_ssn(id, &sid), 1);
    uint16_t zero[] = {0};
    mark = nev;
    assert_int_equal(sctpng_eng_reset_streams(uc.eng, id, SCTPNG_ENG_RESET_IN, zero, 1, uc_now()),
                     0);
    e = wait_ev(SCTPNG_ENG_EV_STREAM_RESET, mark);
    assert_non_null(e);
    assert_int_equal(e->u.stream_reset.flags, SCTPNG_ENG_RECONF_EV_INCOMING);
    assert_true(u_next(s, &g));
    assert_true(g.reset);
    assert_int_equal(g.flags, SCTP_STREAM_RESET_OUTGOING_SSN);
    u_send(s, 0);
    assert_int_equal(e_recv_ssn(id, &sid), 0);

    /* ours: two more outgoing streams, usable at once */
    assert_int_equal(sctpng_eng_get_status(uc.eng, id, &st), 0);
    uint16_t os = st.out_streams;
    mark = nev;
    assert_int_equal(sctpng_eng_add_streams(uc.eng, id, 2, 0, uc_now()), 0);
    e = wait_ev(SCTPNG_ENG_EV_STREAM_CHANGE, mark);
    assert_non_null(e);
    assert_int_equal(e->u.stream_change.flags, 0);
    assert_int_equal(e->u.stream_change.out_added, 2);
    si.stream = (uint16_t)(os + 1);
    assert_int_equal(sctpng_eng_send(uc.eng, id, "n", 1, &si, uc_now()), 1);
    do
        assert_true(u_next(s, &g));
    while (g.reset);
    assert_int_equal(g.sid, os + 1);
    assert_int_equal(g.ssn, 0);

    /* usrsctp's: it adds outgoing streams; we get more inbound ones */
    struct sctp_add_streams as = {.sas_outstrms = 3};
    mark = nev;
    assert_int_equal(usrsctp_setsockopt(s, IPPROTO_SCTP, SCTP_ADD_STREAMS, &as, sizeof(as)), 0);
    e = wait_ev(SCTPNG_ENG_EV_STREAM_CHANGE, mark);
    assert_non_null(e);
    assert_int_equal(e->u.stream_change.in_added, 3);
    sctpng_eng_status st2;
    assert_int_equal(sctpng_eng_get_status(uc.eng, id, &st2), 0);
    assert_int_equal(st2.in_streams, st.in_streams + 3);

    sctpng_eng_stats es;
    sctpng_eng_get_stats(uc.eng, &es);
    assert_int_equal(es.drop_bad_crc + es.drop_malformed + es.drop_bad_vtag, 0);
    usrsctp_close(s);
    usrsctp_close(ls);
    end = uc_now() + 2000000000ull;
    while (!find(SCTPNG_ENG_EV_ASSOC_DOWN) && uc_now() < end)
        uc_turn();
}

static sctpng_eng_path_info path0(uint32_t id)
{
    sctpng_eng_path_info pi;
    assert_int_equal(sctpng_eng_get_path(uc.eng, id, 0, &pi), 0);
    return pi;
}

/* One whole message from usrsctp socket s (up to 10 s); its length. */
static size_t recv_message(struct socket *s, uint8_t *buf, size_t cap)
{
    size_t cur = 0;
    uint64_t end = uc_now() + 10000000000ull;
    for (int flags = 0; !(flags & MSG_EOR) && uc_now() < end;) {
        uc_turn();
        struct sctp_rcvinfo ri;
        socklen_t ilen = sizeof(ri);
        unsigned itype = 0;
        flags = 0;
        ssize_t n = usrsctp_recvv(s, buf + cur, cap - cur, NULL, NULL, &ri, &ilen, &itype, &flags);
        if (n > 0)
            cur += (size_t)n;
        else
            flags = 0;
    }
    return cur;
}

/* PLPMTUD against usrsctp: it answers our probes (HEARTBEAT + PAD, RFC
 * 4820) and takes 9000-byte packets; with our packets above 4000 bytes
 * dropped the search ends at 4000, and a 100 kB message arrives. */
static void plpmtud_search(void **state)
{
    (void)state;
    nev = 0;
    struct socket *ls = listener();
    uint32_t id;
    drop_above = 4000;
    assert_int_equal(sctpng_eng_connect(uc.eng, &uc.from.remote, 1, 5001, uc_now(), &id), 0);
    uint64_t end = uc_now() + 5000000000ull;
    while (!find(SCTPNG_ENG_EV_ASSOC_UP) && uc_now() < end)
        uc_turn();
    assert_non_null(find(SCTPNG_ENG_EV_ASSOC_UP));
    struct socket *s = NULL;
    while (!(s = usrsctp_accept(ls, NULL, NULL)) && uc_now() < end)
        uc_turn();
    assert_non_null(s);
    usrsctp_set_non_blocking(s, 1);
    end = uc_now() + 20000000000ull;
    while (path0(id).pl_state != SCTPNG_ENG_PL_SEARCH_COMPLETE && uc_now() < end)
        uc_turn();
    sctpng_eng_path_info pi = path0(id);
    assert_int_equal(pi.pl_state, SCTPNG_ENG_PL_SEARCH_COMPLETE);
    assert_int_equal(pi.mtu, 4000);
    assert_int_equal(pi.errors, 0);
    static uint8_t big[100000], rbuf[100001];
    memset(big, 0x77, sizeof(big));
    assert_true(sctpng_eng_send(uc.eng, id, big, sizeof(big), NULL, uc_now()) > 0);
    size_t cur = recv_message(s, rbuf, sizeof(rbuf));
    assert_int_equal(cur, sizeof(big));
    assert_memory_equal(rbuf, big, sizeof(big));
    assert_int_equal(sctpng_eng_get_status(uc.eng, id, &(sctpng_eng_status){0}), 0);
    assert_int_equal(path0(id).mtu, 4000);
    /* no limit: the raise timer is 600 s, so a fixed MTU shows the rest */
    drop_above = 0;
    sctpng_eng_path_params pp;
    assert_int_equal(sctpng_eng_get_path_params(uc.eng, id, 0, &pp), 0);
    pp.mtu = 9000;
    assert_int_equal(sctpng_eng_set_path_params(uc.eng, id, 0, &pp, uc_now()), 0);
    assert_true(sctpng_eng_send(uc.eng, id, big, sizeof(big), NULL, uc_now()) > 0);
    cur = recv_message(s, rbuf, sizeof(rbuf));
    assert_int_equal(cur, sizeof(big));
    sctpng_eng_stats st;
    sctpng_eng_get_stats(uc.eng, &st);
    assert_int_equal(st.drop_bad_crc + st.drop_malformed + st.drop_bad_vtag, 0);
    usrsctp_close(s);
    usrsctp_close(ls);
}

static int setup_pl(void **state)
{
    plpmtud = true;
    return setup(state);
}

static int teardown_pl(void **state)
{
    plpmtud = false;
    drop_above = 0;
    return teardown(state);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(talk, setup, teardown),
        cmocka_unit_test_setup_teardown(accept_and_pr_sctp, setup, teardown),
        cmocka_unit_test_setup_teardown(pr_rtx_with_usrsctp, setup, teardown),
        cmocka_unit_test_setup_teardown(reconf_with_usrsctp, setup, teardown),
        cmocka_unit_test_setup_teardown(plpmtud_search, setup_pl, teardown_pl),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
