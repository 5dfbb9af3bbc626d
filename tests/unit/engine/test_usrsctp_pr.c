/* PR-SCTP between the engine and usrsctp in one process (AF_CONN,
 * usrsctp_conn.c), over DATA and over I-DATA (each test runs with both
 * unless it says otherwise):
 * - usrsctp -> engine, RTX: a message of usrsctp's SCTP_PR_SCTP_RTX
 *   (sctp_prinfo) whose transmissions are all lost is abandoned by usrsctp
 *   (its SCTP_PR_ASSOC_STATUS and SCTP_PR_STREAM_STATUS count it), skipped
 *   with FORWARD-TSN or I-FORWARD-TSN, and the engine delivers the next
 *   message of that stream with the next SSN or MID, nothing else;
 * - engine -> usrsctp, RTX over I-DATA (over DATA: test_usrsctp.c's
 *   pr_rtx_with_usrsctp): the same the other way, the I-FORWARD-TSN
 *   naming that stream and MID;
 * - engine -> usrsctp, PRIO: a full send buffer, higher-priority messages
 *   evict queued lower-priority ones (counted per policy and per stream),
 *   and usrsctp receives the others in order with consecutive SSNs/MIDs;
 * - engine -> usrsctp, interleaved sending that abandons (I-DATA only):
 *   RTX-0 messages on stream 2 amid two 256 KiB messages on streams 1 and
 *   3, 1 in 15 of our packets lost: no RTX-0 message is sent twice, every
 *   I-FORWARD-TSN entry names stream 2 and a message we abandoned, and
 *   usrsctp's partial deliveries of streams 1 and 3 go on and complete;
 * - usrsctp -> engine, usrsctp's PRIO (SCTP_PR_SCTP_BUF): a message of
 *   higher priority evicts four sent ones of lower priority (usrsctp
 *   counts them); we skip them and deliver the stream in order (see
 *   prio_from_usrsctp for what usrsctp 0.9.5 needs before it evicts). */
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

/* usrsctp has these but its installed header does not name them */
#ifndef SCTP_INTERLEAVING_SUPPORTED
#define SCTP_INTERLEAVING_SUPPORTED 0x00001206
#endif
#ifndef SCTP_PR_SCTP_ALL
#define SCTP_PR_SCTP_ALL 0x000f
#endif

#define SEC 1000000000ull

static uint64_t seed = 131;
static bool idata;                 /* setup_idata(): both ends use I-DATA */
static uint32_t sndbuf = 4u << 20; /* the engine's send buffer (setup_prio: small) */
static sctpng_eng_event evs[1024];
static unsigned nev;

/* What went by on the link, each way: FORWARD-TSN and I-FORWARD-TSN
 * chunks, the I-FORWARD-TSN entries; drop_ppid: drop packets with a
 * (first) DATA or I-DATA fragment of that PPID (0: none). */
struct side {
    uint32_t drop_ppid, drop_ppid2;
    unsigned dropped; /* packets dropped for drop_ppid / drop_ppid2 */
    unsigned fwd, ifwd, nent;
    struct ifwd_entry ent[256];
};
static struct side ours, theirs;

static bool data_of(const struct chunk *c, struct data_chunk *d)
{
    if (c->type == CT_DATA)
        return chunk_data_decode(c, d) == 0;
    if (c->type == CT_IDATA && chunk_idata_decode(c, d) == 0)
        return true;
    return false;
}

static bool first_fragment(const struct chunk *c, const struct data_chunk *d)
{
    return c->type == CT_DATA || d->fsn == 0;
}

static bool look(struct side *sd, const uint8_t *pkt, size_t len)
{
    struct chunk_iter it;
    struct chunk c;
    struct data_chunk d;
    struct ifwd_tsn_chunk f;
    bool drop = false;
    chunk_iter_init(&it, pkt, len);
    while (chunk_next(&it, &c) == 1) {
        sd->fwd += c.type == CT_FORWARD_TSN;
        if (c.type == CT_IFORWARD_TSN && chunk_ifwd_tsn_decode(&c, &f) == 0) {
            sd->ifwd++;
            for (unsigned i = 0; i < f.n && sd->nent < 256; i++)
                sd->ent[sd->nent++] = ifwd_entry_at(&f, i);
        }
        if (sd->drop_ppid && data_of(&c, &d) && first_fragment(&c, &d) && d.ppid == sd->drop_ppid)
            drop = true;
    }
    sd->dropped += drop;
    return drop;
}

static bool look_ours(const uint8_t *pkt, size_t len)
{
    return look(&ours, pkt, len);
}

static bool look_theirs(const uint8_t *pkt, size_t len)
{
    return look(&theirs, pkt, len);
}

static void keep_event(const sctpng_eng_event *ev)
{
    if (nev < 1024)
        evs[nev++] = *ev;
}

static const sctpng_eng_event *find(sctpng_eng_event_type t)
{
    for (unsigned i = 0; i < nev; i++)
        if (evs[i].type == t)
            return &evs[i];
    return NULL;
}

static unsigned count_failed(uint32_t ppid, bool *unsent)
{
    unsigned n = 0;
    for (unsigned i = 0; i < nev; i++)
        if (evs[i].type == SCTPNG_ENG_EV_SEND_FAILED && evs[i].u.send_failed.ppid == ppid) {
            n++;
            if (unsent)
                *unsent = evs[i].u.send_failed.unsent;
        }
    return n;
}

static int setup(void **state)
{
    (void)state;
    sctpng_eng_config cfg;
    uc_config(&cfg, &seed);
    cfg.idata = idata;
    cfg.out_streams = cfg.in_streams = 4;
    cfg.rwnd = 4u << 20;
    cfg.sndbuf = sndbuf;
    cfg.scheduler = SCTPNG_ENG_SCHED_RR; /* with I-DATA: per chunk */
    if (uc_setup(&cfg) < 0)
        return -1;
    /* usrsctp's timers as short as ours, so that its RTX gives up soon */
    usrsctp_sysctl_set_sctp_rto_min_default(50);
    usrsctp_sysctl_set_sctp_rto_initial_default(200);
    usrsctp_sysctl_set_sctp_rto_max_default(1000);
    memset(&ours, 0, sizeof(ours));
    memset(&theirs, 0, sizeof(theirs));
    nev = 0;
    uc.drop_ours = look_ours;
    uc.drop_theirs = look_theirs;
    uc.event = keep_event;
    uc.idle_us = 200;
    return 0;
}

static int setup_data(void **state)
{
    idata = false;
    sndbuf = 4u << 20;
    return setup(state);
}

static int setup_idata(void **state)
{
    idata = true;
    sndbuf = 4u << 20;
    return setup(state);
}

static int teardown(void **state)
{
    (void)state;
    uc_teardown();
    return 0;
}

/* usrsctp's listener: I-DATA when the test uses it, pieces of several
 * messages in turn (level 2), partial delivery from 64 KiB. */
static void u_opts(struct socket *ls)
{
    int level = 2, buf = 8 << 20;
    uc_set_opt(ls, IPPROTO_SCTP, SCTP_FRAGMENT_INTERLEAVE, &level, sizeof(level));
    struct sctp_assoc_value av = {.assoc_id = SCTP_FUTURE_ASSOC, .assoc_value = idata};
    uc_set_opt(ls, IPPROTO_SCTP, SCTP_INTERLEAVING_SUPPORTED, &av, sizeof(av));
    uc_set_opt(ls, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf));
    uc_set_opt(ls, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
    uint32_t pd = 64u << 10;
    uc_set_opt(ls, IPPROTO_SCTP, SCTP_PARTIAL_DELIVERY_POINT, &pd, sizeof(pd));
}

/* Starts our connect (messages may be queued before it is up: *idp is
 * set at once); then up() waits for both ends. */
static struct socket *u_ls;

static void start(uint32_t *idp)
{
    u_ls = uc_listener(u_opts);
    assert_int_equal(sctpng_eng_connect(uc.eng, &uc.from.remote, 1, 5001, uc_now(), idp), 0);
}

static struct socket *up(uint32_t id)
{
    uint64_t end = uc_now() + 5 * SEC;
    while (!find(SCTPNG_ENG_EV_ASSOC_UP) && !find(SCTPNG_ENG_EV_ASSOC_DOWN) && uc_now() < end)
        uc_turn();
    assert_non_null(find(SCTPNG_ENG_EV_ASSOC_UP));
    struct socket *s = NULL;
    while (!(s = usrsctp_accept(u_ls, NULL, NULL)) && uc_now() < end)
        uc_turn();
    assert_non_null(s);
    usrsctp_set_non_blocking(s, 1);
    int on = 1;
    uc_set_opt(s, IPPROTO_SCTP, SCTP_RECVRCVINFO, &on, sizeof(on));
    sctpng_eng_status st;
    assert_int_equal(sctpng_eng_get_status(uc.eng, id, &st), 0);
    assert_int_equal(st.idata, idata);
    assert_true(st.peer_pr_sctp);
    return s;
}

/* Closes both ends gracefully; nothing of ours was dropped as bad. */
static void finish(struct socket *s, uint32_t id)
{
    assert_int_equal(sctpng_eng_shutdown(uc.eng, id, uc_now()), 0);
    uint64_t end = uc_now() + 5 * SEC;
    while (!find(SCTPNG_ENG_EV_ASSOC_DOWN) && uc_now() < end)
        uc_turn();
    assert_non_null(find(SCTPNG_ENG_EV_ASSOC_DOWN));
    sctpng_eng_stats es;
    sctpng_eng_get_stats(uc.eng, &es);
    assert_int_equal(es.drop_bad_crc + es.drop_malformed + es.drop_bad_vtag, 0);
    usrsctp_close(s);
    usrsctp_close(u_ls);
}

/* One piece from usrsctp (non-blocking): its length, or -1. */
static ssize_t u_read(struct socket *s, void *buf, size_t cap, struct sctp_rcvinfo *ri, int *flags)
{
    socklen_t ilen = sizeof(*ri);
    unsigned itype = 0;
    *flags = 0;
    memset(ri, 0, sizeof(*ri));
    ssize_t n = usrsctp_recvv(s, buf, cap, NULL, NULL, ri, &ilen, &itype, flags);
    if (n > 0 && (*flags & MSG_NOTIFICATION))
        return -1;
    return n > 0 ? n : -1;
}

static void u_send_pr(struct socket *s, uint16_t sid, uint32_t ppid, uint16_t policy,
                      uint32_t value, const void *data, size_t len)
{
    struct sctp_sendv_spa spa;
    memset(&spa, 0, sizeof(spa));
    spa.sendv_flags = SCTP_SEND_SNDINFO_VALID;
    spa.sendv_sndinfo.snd_sid = sid;
    spa.sendv_sndinfo.snd_ppid = htonl(ppid);
    if (policy != SCTP_PR_SCTP_NONE) {
        spa.sendv_flags |= SCTP_SEND_PRINFO_VALID;
        spa.sendv_prinfo.pr_policy = policy;
        spa.sendv_prinfo.pr_value = value;
    }
    assert_int_equal(usrsctp_sendv(s, data, len, NULL, 0, &spa, sizeof(spa), SCTP_SENDV_SPA, 0),
                     (ssize_t)len);
}

/* The same with SCTP_EOR (explicit-EOR mode: the message ends here). */
static void u_send_eor(struct socket *s, uint16_t sid, uint32_t ppid, uint16_t policy,
                       uint32_t value, const void *data, size_t len)
{
    struct sctp_sendv_spa spa;
    memset(&spa, 0, sizeof(spa));
    spa.sendv_flags = SCTP_SEND_SNDINFO_VALID | SCTP_SEND_PRINFO_VALID;
    spa.sendv_sndinfo.snd_sid = sid;
    spa.sendv_sndinfo.snd_ppid = htonl(ppid);
    spa.sendv_sndinfo.snd_flags = SCTP_EOR;
    spa.sendv_prinfo.pr_policy = policy;
    spa.sendv_prinfo.pr_value = value;
    assert_int_equal(usrsctp_sendv(s, data, len, NULL, 0, &spa, sizeof(spa), SCTP_SENDV_SPA, 0),
                     (ssize_t)len);
}

/* usrsctp's abandoned counters: association-wide for `policy`, and the
 * stream's (all policies: what usrsctp keeps per stream by default). */
static struct sctp_prstatus u_prstatus(struct socket *s, int opt, uint16_t sid, uint16_t policy)
{
    struct sctp_prstatus ps;
    memset(&ps, 0, sizeof(ps));
    ps.sprstat_sid = sid;
    ps.sprstat_policy = policy;
    socklen_t len = sizeof(ps);
    assert_int_equal(usrsctp_getsockopt(s, IPPROTO_SCTP, opt, &ps, &len), 0);
    return ps;
}

/* usrsctp -> engine, RTX 1 on stream 2, both transmissions lost (for
 * good: the drop stays on), then a reliable message on the same stream. */
static void rtx_from_usrsctp(void **state)
{
    (void)state;
    uint32_t id;
    start(&id);
    struct socket *s = up(id);
    theirs.drop_ppid = 1;
    u_send_pr(s, 2, 1, SCTP_PR_SCTP_RTX, 1, "lost", 4);
    uint64_t end = uc_now() + 10 * SEC;
    struct sctp_prstatus ps = {0};
    while (uc_now() < end) {
        uc_turn();
        ps = u_prstatus(s, SCTP_PR_ASSOC_STATUS, 0, SCTP_PR_SCTP_RTX);
        if (ps.sprstat_abandoned_sent)
            break;
    }
    assert_int_equal(ps.sprstat_abandoned_sent, 1);
    assert_int_equal(ps.sprstat_abandoned_unsent, 0);
    assert_int_equal(theirs.dropped, 2); /* RTX 1: sent twice, then given up */
    ps = u_prstatus(s, SCTP_PR_STREAM_STATUS, 2, SCTP_PR_SCTP_ALL);
    assert_int_equal(ps.sprstat_abandoned_sent, 1);
    ps = u_prstatus(s, SCTP_PR_STREAM_STATUS, 1, SCTP_PR_SCTP_ALL);
    assert_int_equal(ps.sprstat_abandoned_sent, 0);
    u_send_pr(s, 2, 2, SCTP_PR_SCTP_NONE, 0, "arrives", 7);

    char buf[64];
    sctpng_eng_rcvinfo ri;
    ssize_t n = -1;
    end = uc_now() + 5 * SEC;
    while (n < 0 && uc_now() < end) {
        uc_turn();
        n = sctpng_eng_recv(uc.eng, id, buf, sizeof(buf), &ri);
    }
    assert_int_equal(n, 7);
    assert_memory_equal(buf, "arrives", 7);
    assert_true(ri.complete);
    assert_int_equal(ri.ppid, 2);
    assert_int_equal(ri.stream, 2);
    assert_int_equal(ri.ssn, 1); /* the next SSN or MID: no hole waited on */
    print_message("usrsctp sent %u FORWARD-TSN, %u I-FORWARD-TSN\n", theirs.fwd, theirs.ifwd);
    if (idata) {
        assert_int_equal(theirs.fwd, 0);
        assert_true(theirs.ifwd >= 1);
        for (unsigned i = 0; i < theirs.nent; i++) {
            assert_int_equal(theirs.ent[i].sid, 2);
            assert_int_equal(theirs.ent[i].mid, 0);
            assert_int_equal(theirs.ent[i].flags & IFWD_U, 0);
        }
    } else {
        assert_true(theirs.fwd >= 1);
        assert_int_equal(theirs.ifwd, 0);
    }
    sctpng_eng_status st;
    assert_int_equal(sctpng_eng_get_status(uc.eng, id, &st), 0);
    assert_true(st.fwd_tsn_recvd >= 1);
    /* nothing more: the lost one never turns up late */
    uint64_t quiet = uc_now() + 300000000ull;
    while (uc_now() < quiet) {
        uc_turn();
        assert_true(sctpng_eng_recv(uc.eng, id, buf, sizeof(buf), &ri) < 0);
    }
    assert_int_equal(st.msgs_recvd, 1);
    finish(s, id);
}

/* Engine -> usrsctp, RTX 1 on stream 2 over I-DATA, both transmissions
 * lost, then a reliable message on the same stream. */
static void rtx_to_usrsctp(void **state)
{
    (void)state;
    uint32_t id;
    start(&id);
    struct socket *s = up(id);
    sctpng_eng_sndinfo a = {.stream = 2, .ppid = 1, .pr_policy = SCTPNG_ENG_PR_RTX, .pr_value = 1};
    sctpng_eng_sndinfo b = {.stream = 2, .ppid = 2};
    ours.drop_ppid = 1;
    assert_int_equal(sctpng_eng_send(uc.eng, id, "lost", 4, &a, uc_now()), 4);
    uint64_t end = uc_now() + 10 * SEC;
    while (!count_failed(1, NULL) && uc_now() < end)
        uc_turn();
    bool unsent = true;
    assert_int_equal(count_failed(1, &unsent), 1);
    assert_false(unsent);
    assert_int_equal(ours.dropped, 2); /* RTX 1: sent twice, then given up */
    assert_int_equal(sctpng_eng_send(uc.eng, id, "arrives", 7, &b, uc_now()), 7);
    char buf[64];
    struct sctp_rcvinfo ri;
    int flags = 0;
    ssize_t n = -1;
    end = uc_now() + 5 * SEC;
    while (n < 0 && uc_now() < end) {
        uc_turn();
        n = u_read(s, buf, sizeof(buf), &ri, &flags);
    }
    assert_int_equal(n, 7);
    assert_memory_equal(buf, "arrives", 7);
    assert_true(flags & MSG_EOR);
    assert_int_equal(ntohl(ri.rcv_ppid), 2);
    assert_int_equal(ri.rcv_sid, 2);
    assert_int_equal(ours.fwd, 0);
    assert_true(ours.ifwd >= 1);
    for (unsigned i = 0; i < ours.nent; i++) {
        assert_int_equal(ours.ent[i].sid, 2);
        assert_int_equal(ours.ent[i].mid, 0);
        assert_int_equal(ours.ent[i].flags & IFWD_U, 0);
    }
    uint64_t unsent_n = 9, sent_n = 9;
    assert_int_equal(sctpng_eng_get_pr_stats(uc.eng, id, 2, SCTPNG_ENG_PR_RTX, &unsent_n, &sent_n),
                     0);
    assert_int_equal(unsent_n, 0);
    assert_int_equal(sent_n, 1);
    assert_int_equal(sctpng_eng_get_pr_stats(uc.eng, id, 1, SCTPNG_ENG_PR_NONE, &unsent_n, &sent_n),
                     0);
    assert_int_equal(unsent_n + sent_n, 0);
    uint64_t quiet = uc_now() + 300000000ull;
    while (uc_now() < quiet) {
        uc_turn();
        assert_true(u_read(s, buf, sizeof(buf), &ri, &flags) < 0);
    }
    finish(s, id);
}

#define PRIO_LEN 8000u

/* Engine -> usrsctp, PRIO. Before the association is up (nothing sent),
 * eight 8000-byte messages of priority 5 on streams 1 and 3 by turns fill
 * the 64 KiB send buffer; another of priority 5 and a reliable one find no
 * room; one of priority 1 on stream 1 and one on stream 2 each evict the
 * oldest priority-5 message (ppid 10 on stream 1, then ppid 11 on stream
 * 3). usrsctp then receives the rest, each stream in order with
 * consecutive sequence numbers (the evicted messages never took one). */
static void prio_to_usrsctp(void **state)
{
    (void)state;
    uint32_t id;
    start(&id);
    static uint8_t b[PRIO_LEN];
    for (unsigned k = 0; k < 8; k++) {
        sctpng_eng_sndinfo si = {.stream = (uint16_t)(k % 2 ? 3 : 1),
                                 .ppid = 10 + k,
                                 .pr_policy = SCTPNG_ENG_PR_PRIO,
                                 .pr_value = 5};
        memset(b, (int)(10 + k), sizeof(b));
        assert_int_equal(sctpng_eng_send(uc.eng, id, b, sizeof(b), &si, uc_now()), PRIO_LEN);
    }
    sctpng_eng_sndinfo same = {
        .stream = 1, .ppid = 18, .pr_policy = SCTPNG_ENG_PR_PRIO, .pr_value = 5};
    assert_int_equal(sctpng_eng_send(uc.eng, id, b, sizeof(b), &same, uc_now()), -EAGAIN);
    sctpng_eng_sndinfo reliable = {.stream = 1, .ppid = 19};
    assert_int_equal(sctpng_eng_send(uc.eng, id, b, sizeof(b), &reliable, uc_now()), -EAGAIN);
    sctpng_eng_sndinfo hi = {
        .stream = 1, .ppid = 20, .pr_policy = SCTPNG_ENG_PR_PRIO, .pr_value = 1};
    memset(b, 20, sizeof(b));
    assert_int_equal(sctpng_eng_send(uc.eng, id, b, sizeof(b), &hi, uc_now()), PRIO_LEN);
    hi.stream = 2;
    hi.ppid = 21;
    memset(b, 21, sizeof(b));
    assert_int_equal(sctpng_eng_send(uc.eng, id, b, sizeof(b), &hi, uc_now()), PRIO_LEN);
    sctpng_eng_event ev; /* the SEND_FAILED events, without a turn (nothing sent) */
    while (sctpng_eng_poll_event(uc.eng, &ev) == 1)
        keep_event(&ev);
    bool unsent = false;
    assert_int_equal(count_failed(10, &unsent), 1);
    assert_true(unsent);
    assert_int_equal(count_failed(11, &unsent), 1);
    assert_true(unsent);
    for (uint32_t p = 12; p <= 21; p++)
        assert_int_equal(count_failed(p, NULL), 0);
    uint64_t un = 9, se = 9;
    assert_int_equal(sctpng_eng_get_pr_stats(uc.eng, id, -1, SCTPNG_ENG_PR_PRIO, &un, &se), 0);
    assert_int_equal(un, 2);
    assert_int_equal(se, 0);
    assert_int_equal(sctpng_eng_get_pr_stats(uc.eng, id, 1, SCTPNG_ENG_PR_PRIO, &un, &se), 0);
    assert_int_equal(un, 1);
    assert_int_equal(sctpng_eng_get_pr_stats(uc.eng, id, 3, SCTPNG_ENG_PR_PRIO, &un, &se), 0);
    assert_int_equal(un, 1);
    assert_int_equal(sctpng_eng_get_pr_stats(uc.eng, id, 2, SCTPNG_ENG_PR_PRIO, &un, &se), 0);
    assert_int_equal(un, 0);
    assert_int_equal(sctpng_eng_get_pr_stats(uc.eng, id, -1, SCTPNG_ENG_PR_RTX, &un, &se), 0);
    assert_int_equal(un + se, 0);

    struct socket *s = up(id);
    /* expected per stream, in order: 1: 12 14 16 20; 2: 21; 3: 13 15 17 */
    static const uint32_t want[4][4] = {{0}, {12, 14, 16, 20}, {21}, {13, 15, 17}};
    static const unsigned nwant[4] = {0, 4, 1, 3};
    unsigned got[4] = {0}, total = 0, bad = 0;
    uint16_t ssn[4] = {0};
    static uint8_t rb[4][PRIO_LEN];
    size_t cur[4] = {0};
    uint64_t end = uc_now() + 10 * SEC;
    while (total < 8 && uc_now() < end) {
        uc_turn();
        static uint8_t piece[PRIO_LEN];
        struct sctp_rcvinfo ri;
        int flags;
        ssize_t n = u_read(s, piece, sizeof(piece), &ri, &flags);
        if (n < 0)
            continue;
        unsigned k = ri.rcv_sid;
        assert_true(k >= 1 && k <= 3);
        assert_true(cur[k] + (size_t)n <= PRIO_LEN);
        memcpy(rb[k] + cur[k], piece, (size_t)n);
        cur[k] += (size_t)n;
        if (!(flags & MSG_EOR))
            continue;
        assert_true(got[k] < nwant[k]);
        uint32_t ppid = ntohl(ri.rcv_ppid);
        assert_int_equal(ppid, want[k][got[k]]);
        assert_int_equal(cur[k], PRIO_LEN);
        for (size_t i = 0; i < PRIO_LEN; i++)
            bad += rb[k][i] != (uint8_t)ppid;
        if (!idata) /* usrsctp reports no MID; with I-DATA, order is the ppid's */
            assert_int_equal(ri.rcv_ssn, ssn[k]);
        ssn[k]++;
        got[k]++;
        total++;
        cur[k] = 0;
    }
    assert_int_equal(total, 8);
    assert_int_equal(bad, 0);
    assert_int_equal(ours.fwd + ours.ifwd, 0); /* nothing sent was abandoned */
    finish(s, id);
}

/* The interleaving sender that abandons (I-DATA only). */
#define N2     100u /* RTX-0 messages on stream 2, 500 bytes each */
#define LEN2   500u
#define BIGLEN (256u << 10) /* the reliable ones on streams 1 and 3 */

static unsigned tx2[N2];                   /* transmissions of stream 2's MID k */
static bool lost2[N2];                     /* ...one of them was lost */
static size_t sent13[4], at_first_ifwd[4]; /* bytes of streams 1, 3 sent; when the
                                              first I-FORWARD-TSN left */
static bool seen_ifwd;
static uint64_t loss_rnd = 23;
static unsigned n_lost;

/* Our packets: one in 15 lost; what each carried noted first. */
static bool intl_ours(const uint8_t *pkt, size_t len)
{
    loss_rnd = loss_rnd * 6364136223846793005ull + 1442695040888963407ull;
    bool lose = (loss_rnd >> 33) % 15 == 0;
    n_lost += lose;
    look(&ours, pkt, len);
    if (ours.ifwd && !seen_ifwd) {
        seen_ifwd = true;
        at_first_ifwd[1] = sent13[1];
        at_first_ifwd[3] = sent13[3];
    }
    struct chunk_iter it;
    struct chunk c;
    struct data_chunk d;
    chunk_iter_init(&it, pkt, len);
    while (chunk_next(&it, &c) == 1) {
        if (c.type != CT_IDATA || chunk_idata_decode(&c, &d) < 0)
            continue;
        if (d.sid == 2 && d.ssn < N2) {
            tx2[d.ssn]++;
            lost2[d.ssn] |= lose;
        } else if (d.sid == 1 || d.sid == 3) {
            sent13[d.sid] += d.len;
        }
    }
    return lose;
}

static uint8_t big_byte(unsigned sid, size_t i)
{
    return (uint8_t)(i * 11 + sid * 57 + (i >> 10));
}

/* Stream 2's RTX-0 messages go between the chunks of two 256 KiB
 * messages (round robin per chunk) with 1 in 15 of our packets lost: the
 * lost ones are abandoned, never sent again, and each I-FORWARD-TSN entry
 * names stream 2 and a message we abandoned; streams 1 and 3, partly
 * sent when the first I-FORWARD-TSN leaves, complete whole at usrsctp;
 * stream 2 delivers exactly the messages that arrived, in order, once. */
static void intl_abandon_to_usrsctp(void **state)
{
    (void)state;
    memset(tx2, 0, sizeof(tx2));
    memset(lost2, 0, sizeof(lost2));
    memset(sent13, 0, sizeof(sent13));
    memset(at_first_ifwd, 0, sizeof(at_first_ifwd));
    seen_ifwd = false;
    n_lost = 0;
    uint32_t id;
    start(&id);
    struct socket *s = up(id);
    uc.drop_ours = intl_ours;
    static uint8_t b[BIGLEN];
    for (uint16_t sid = 1; sid <= 3; sid += 2) {
        for (size_t i = 0; i < BIGLEN; i++)
            b[i] = big_byte(sid, i);
        sctpng_eng_sndinfo si = {.stream = sid, .ppid = sid};
        assert_int_equal(sctpng_eng_send(uc.eng, id, b, BIGLEN, &si, uc_now()), BIGLEN);
    }
    for (unsigned k = 0; k < N2; k++) {
        sctpng_eng_sndinfo si = {
            .stream = 2, .ppid = 1000 + k, .pr_policy = SCTPNG_ENG_PR_RTX, .pr_value = 0};
        memset(b, (int)k, LEN2);
        assert_int_equal(sctpng_eng_send(uc.eng, id, b, LEN2, &si, uc_now()), LEN2);
    }

    static uint8_t rb[4][BIGLEN];
    size_t cur[4] = {0};
    bool done13[4] = {false};
    bool got2[N2] = {false};
    unsigned bad = 0, dup = 0, backwards = 0, n2 = 0;
    int last2 = -1;
    uint64_t end = uc_now() + 30 * SEC, quiet = 0;
    while (uc_now() < end && (!quiet || uc_now() < quiet)) {
        uc_turn();
        static uint8_t piece[65536];
        struct sctp_rcvinfo ri;
        int flags;
        ssize_t n = u_read(s, piece, sizeof(piece), &ri, &flags);
        if (n > 0) {
            unsigned sid = ri.rcv_sid;
            assert_true(sid >= 1 && sid <= 3);
            assert_true(cur[sid] + (size_t)n <= (sid == 2 ? LEN2 : BIGLEN));
            memcpy(rb[sid] + cur[sid], piece, (size_t)n);
            cur[sid] += (size_t)n;
            if (flags & MSG_EOR) {
                uint32_t ppid = ntohl(ri.rcv_ppid);
                if (sid == 2) {
                    unsigned k = ppid - 1000;
                    assert_true(k < N2);
                    assert_int_equal(cur[2], LEN2);
                    for (size_t i = 0; i < LEN2; i++)
                        bad += rb[2][i] != (uint8_t)k;
                    dup += got2[k];
                    backwards += (int)k < last2;
                    got2[k] = true;
                    last2 = (int)k;
                    n2++;
                } else {
                    assert_int_equal(ppid, sid);
                    assert_int_equal(cur[sid], BIGLEN);
                    for (size_t i = 0; i < BIGLEN; i++)
                        bad += rb[sid][i] != big_byte(sid, i);
                    done13[sid] = true;
                }
                cur[sid] = 0;
            }
        }
        sctpng_eng_status st;
        assert_int_equal(sctpng_eng_get_status(uc.eng, id, &st), 0);
        if (!quiet && done13[1] && done13[3] && !st.outstanding_chunks && !st.queued_chunks)
            quiet = uc_now() + 300000000ull; /* then anything late would show */
    }
    uc.drop_ours = look_ours;
    unsigned nlost2 = 0, nfailed2 = 0, twice = 0, wrong = 0;
    for (unsigned k = 0; k < N2; k++) {
        nlost2 += lost2[k];
        twice += tx2[k] != 1;
        unsigned f = count_failed(1000 + k, NULL);
        nfailed2 += f;
        if (lost2[k]) /* lost: abandoned, never delivered */
            wrong += f != 1 || got2[k];
        else /* arrived: delivered (abandoned too if its ack came late) */
            wrong += !got2[k];
    }
    unsigned bad_entries = 0;
    for (unsigned i = 0; i < ours.nent; i++)
        bad_entries += ours.ent[i].sid != 2 || (ours.ent[i].flags & IFWD_U) ||
                       ours.ent[i].mid >= N2 || count_failed(1000 + ours.ent[i].mid, NULL) != 1;
    print_message("%u of our packets lost (%u of stream 2's messages); %u abandoned; %u "
                  "I-FORWARD-TSN, %u entries; streams 1, 3 at the first: %zu, %zu of %u bytes "
                  "sent; usrsctp delivered %u of stream 2\n",
                  n_lost, nlost2, nfailed2, ours.ifwd, ours.nent, at_first_ifwd[1],
                  at_first_ifwd[3], BIGLEN, n2);
    assert_true(done13[1] && done13[3]);
    assert_int_equal(bad, 0);
    assert_int_equal(dup, 0);
    assert_int_equal(backwards, 0);
    assert_int_equal(twice, 0); /* RTX 0: sent once */
    assert_int_equal(wrong, 0);
    assert_true(nlost2 > 0);
    assert_true(ours.ifwd > 0);
    assert_int_equal(ours.fwd, 0);
    assert_int_equal(bad_entries, 0);
    assert_true(at_first_ifwd[1] > 0 && at_first_ifwd[1] < BIGLEN);
    assert_true(at_first_ifwd[3] > 0 && at_first_ifwd[3] < BIGLEN);
    uint64_t un = 9, se = 9;
    assert_int_equal(sctpng_eng_get_pr_stats(uc.eng, id, 2, SCTPNG_ENG_PR_RTX, &un, &se), 0);
    assert_int_equal(un, 0);
    assert_int_equal(se, nfailed2);
    for (int sid = 1; sid <= 3; sid += 2) {
        assert_int_equal(sctpng_eng_get_pr_stats(uc.eng, id, sid, SCTPNG_ENG_PR_NONE, &un, &se), 0);
        assert_int_equal(un + se, 0);
    }
    finish(s, id);
}

/* usrsctp -> engine, usrsctp's PRIO (SCTP_PR_SCTP_BUF): it evicts only
 * in a send of explicit-EOR mode that finds the buffer full, and only
 * sent or chunked messages, and only while its sent_queue_cnt_removeable
 * is above 0. usrsctp 0.9.5 never increments that counter: it only
 * decrements it when a BUF chunk is cumulatively acknowledged, so it
 * becomes non-zero by wrapping below 0 (until a retransmission finds the
 * sent queue empty and resets it). The test sets that up (a BUF message
 * sent and acknowledged), then four priority-5 messages on stream 1 are
 * kept in flight (dropped, for good) and one of priority 1 larger than
 * the room left evicts them: usrsctp counts 4 abandoned under BUF, skips
 * them with FORWARD-TSN / I-FORWARD-TSN, and we deliver stream 1 in order
 * without them, nothing else after. */
#define U_SNDBUF 16384
#define HI_LEN   15000u

static void prio_from_usrsctp(void **state)
{
    (void)state;
    uint32_t id;
    start(&id);
    struct socket *s = up(id);
    int buf = U_SNDBUF, on = 1;
    uc_set_opt(s, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf));
    uc_set_opt(s, IPPROTO_SCTP, SCTP_EXPLICIT_EOR, &on, sizeof(on));
    uc_set_opt(s, IPPROTO_SCTP, SCTP_NODELAY, &on, sizeof(on)); /* data stays in flight */
    static uint8_t b[HI_LEN];
    memset(b, 0x5a, sizeof(b));
    theirs.drop_ppid = 5;
    u_send_eor(s, 1, 4, SCTP_PR_SCTP_BUF, 5, b, 100);
    char r[HI_LEN + 1];
    sctpng_eng_rcvinfo ri;
    uint64_t end = uc_now() + 5 * SEC;
    ssize_t n = -1;
    while (n < 0 && uc_now() < end) {
        uc_turn();
        n = sctpng_eng_recv(uc.eng, id, r, sizeof(r), &ri);
    }
    assert_int_equal(n, 100);
    assert_int_equal(ri.ppid, 4);
    /* let its SACK reach usrsctp */
    for (uint64_t t = uc_now() + 100000000ull; uc_now() < t;)
        uc_turn();
    for (int k = 0; k < 4; k++)
        u_send_eor(s, 1, 5, SCTP_PR_SCTP_BUF, 5, b, 1000);
    for (uint64_t t = uc_now() + 100000000ull; uc_now() < t;)
        uc_turn(); /* sent, dropped */
    u_send_eor(s, 1, 1, SCTP_PR_SCTP_BUF, 1, b, HI_LEN);
    struct sctp_prstatus ps = u_prstatus(s, SCTP_PR_ASSOC_STATUS, 0, SCTP_PR_SCTP_BUF);
    print_message("usrsctp abandoned under BUF: %llu sent, %llu unsent\n",
                  (unsigned long long)ps.sprstat_abandoned_sent,
                  (unsigned long long)ps.sprstat_abandoned_unsent);
    assert_int_equal(ps.sprstat_abandoned_sent + ps.sprstat_abandoned_unsent, 4);
    ps = u_prstatus(s, SCTP_PR_STREAM_STATUS, 1, SCTP_PR_SCTP_ALL);
    assert_int_equal(ps.sprstat_abandoned_sent + ps.sprstat_abandoned_unsent, 4);
    size_t cur = 0;
    n = -1;
    end = uc_now() + 5 * SEC;
    while (uc_now() < end) {
        uc_turn();
        n = sctpng_eng_recv(uc.eng, id, r + cur, sizeof(r) - cur, &ri);
        if (n < 0)
            continue;
        assert_int_equal(ri.stream, 1);
        assert_int_equal(ri.ppid, 1);
        cur += (size_t)n;
        if (ri.complete)
            break;
    }
    assert_int_equal(cur, HI_LEN);
    assert_memory_equal(r, b, HI_LEN);
    assert_int_equal(ri.ssn, 5); /* 0 was ppid 4, 1 to 4 skipped */
    assert_true(idata ? theirs.ifwd >= 1 : theirs.fwd >= 1);
    theirs.drop_ppid = 0;
    for (uint64_t t = uc_now() + 300000000ull; uc_now() < t;) {
        uc_turn();
        assert_true(sctpng_eng_recv(uc.eng, id, r, sizeof(r), &ri) < 0); /* none of ppid 5 */
    }
    finish(s, id);
}

static int setup_prio_data(void **state)
{
    idata = false;
    sndbuf = 64u << 10;
    return setup(state);
}

static int setup_prio_idata(void **state)
{
    idata = true;
    sndbuf = 64u << 10;
    return setup(state);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        {"rtx_from_usrsctp_data", rtx_from_usrsctp, setup_data, teardown, NULL},
        {"rtx_from_usrsctp_idata", rtx_from_usrsctp, setup_idata, teardown, NULL},
        {"rtx_to_usrsctp_idata", rtx_to_usrsctp, setup_idata, teardown, NULL},
        {"prio_to_usrsctp_data", prio_to_usrsctp, setup_prio_data, teardown, NULL},
        {"prio_to_usrsctp_idata", prio_to_usrsctp, setup_prio_idata, teardown, NULL},
        {"prio_from_usrsctp_data", prio_from_usrsctp, setup_data, teardown, NULL},
        {"prio_from_usrsctp_idata", prio_from_usrsctp, setup_idata, teardown, NULL},
        {"intl_abandon_to_usrsctp", intl_abandon_to_usrsctp, setup_idata, teardown, NULL},
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
