/* RE-CONFIG (RFC 6525) interop with Linux kernel SCTP over its UDP
 * encapsulation (the test VM, set up as test_kernel.c): on one
 * association, in turn, each end resets its outgoing streams, asks the
 * other to reset its outgoing ones (incoming reset request), resets the
 * association (SSN/TSN) and adds streams both ways, with messages on
 * several streams both ways before and after each step. Every message is
 * checked where it arrives (its bytes, stream, and that its SSN is the
 * next one, 0 after a reset that covered its stream), and each request's
 * events are checked as the kernel and the engine report them. Run with
 * the engine connecting and with the kernel connecting. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/sctp.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "epeer.h"
#include "kernel_env.h"
#include "kernel_peer.h"
#include "suite.h"
#include "udp/udp.h"

#define MAXS      32 /* streams, after the additions */
#define MAX_LEN   3000
#define WAIT_NS   (30ull * 1000000000ull)
#define LOOPBACK  "127.0.0.1"
#define KERN_PORT 5011 /* SCTP ports: the kernel's listener, the engine's */
#define ENG_PORT  6011

/* What the kernel socket gave: a message or a notification. */
struct kgot {
    bool notif;
    uint16_t type, flags, sid, ssn, nstreams, streams[8];
    uint32_t ppid, local_tsn, remote_tsn;
    uint16_t in_added, out_added;
};

static struct {
    struct epeer e;
    void *listener, *k;
    int fd;
    sctpng_eng_event ev[32]; /* the engine's RE-CONFIG events */
    unsigned nev;
    unsigned e_got, k_got;                   /* messages each side received */
    uint16_t e_rx_ssn[MAXS], k_rx_ssn[MAXS]; /* next SSN each side expects */
    uint32_t seq;                            /* PPID of the next message sent */
    /* after an association reset: the TSN the next message each side
     * receives must carry (0: none due) */
    uint32_t e_tsn_due, k_tsn_due;
} t;

static void fill(uint8_t *buf, size_t len, uint32_t ppid)
{
    for (size_t i = 0; i < len; i++)
        buf[i] = (uint8_t)(ppid * 31u + i);
}

static size_t msg_len(uint32_t ppid)
{
    return 1 + (ppid * 977u) % MAX_LEN;
}

static bool body_ok(const uint8_t *buf, size_t len, uint32_t ppid)
{
    uint8_t want[MAX_LEN];
    if (len != msg_len(ppid))
        return false;
    fill(want, len, ppid);
    return memcmp(buf, want, len) == 0;
}

/* A received message: its bytes, and the SSN its stream is due. */
static void check_msg(const char *who, uint16_t *due, uint16_t sid, uint16_t ssn, uint32_t ppid,
                      const uint8_t *buf, size_t len)
{
    if (sid >= MAXS || !body_ok(buf, len, ppid) || ssn != due[sid])
        fail_msg("%s got a wrong message: stream %u SSN %u (due %u) PPID %u, %zu B", who, sid, ssn,
                 sid < MAXS ? due[sid] : 0, ppid, len);
    due[sid]++;
}

static void on_msg(struct epeer *p, const sctpng_eng_rcvinfo *ri, const uint8_t *buf, size_t len)
{
    (void)p;
    check_msg("engine", t.e_rx_ssn, ri->stream, ri->ssn, ri->ppid, buf, len);
    if (t.e_tsn_due && ri->tsn != t.e_tsn_due)
        fail_msg("engine: first TSN after the reset %u, not %u", ri->tsn, t.e_tsn_due);
    t.e_tsn_due = 0;
    t.e_got++;
}

static void on_event(struct epeer *p, const sctpng_eng_event *ev)
{
    (void)p;
    if ((ev->type == SCTPNG_ENG_EV_STREAM_RESET || ev->type == SCTPNG_ENG_EV_ASSOC_RESET ||
         ev->type == SCTPNG_ENG_EV_STREAM_CHANGE) &&
        t.nev < sizeof(t.ev) / sizeof(t.ev[0]))
        t.ev[t.nev++] = *ev;
}

static void notification(const uint8_t *buf, struct kgot *g)
{
    const union sctp_notification *sn = (const void *)buf;
    g->notif = true;
    g->type = sn->sn_header.sn_type;
    if (g->type == SCTP_STREAM_RESET_EVENT) {
        const struct sctp_stream_reset_event *r = &sn->sn_strreset_event;
        g->flags = r->strreset_flags;
        g->nstreams = (uint16_t)((r->strreset_length - sizeof(*r)) / sizeof(uint16_t));
        for (unsigned i = 0; i < g->nstreams && i < 8; i++)
            g->streams[i] = r->strreset_stream_list[i];
    } else if (g->type == SCTP_ASSOC_RESET_EVENT) {
        g->flags = sn->sn_assocreset_event.assocreset_flags;
        g->local_tsn = sn->sn_assocreset_event.assocreset_local_tsn;
        g->remote_tsn = sn->sn_assocreset_event.assocreset_remote_tsn;
    } else if (g->type == SCTP_STREAM_CHANGE_EVENT) {
        g->flags = sn->sn_strchange_event.strchange_flags;
        g->in_added = sn->sn_strchange_event.strchange_instrms;
        g->out_added = sn->sn_strchange_event.strchange_outstrms;
    }
}

/* The next thing the kernel socket has (the engine stepped meanwhile);
 * a message is checked and counted. Fails after WAIT_NS. */
static void k_next(struct kgot *g)
{
    static uint8_t buf[8192];
    uint64_t end = sctpng_udp_now() + WAIT_NS;
    while (sctpng_udp_now() < end) {
        char cbuf[CMSG_SPACE(sizeof(struct sctp_rcvinfo))];
        struct iovec iov = {.iov_base = buf, .iov_len = sizeof(buf)};
        struct msghdr mh = {
            .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf)};
        ssize_t n = recvmsg(t.fd, &mh, MSG_DONTWAIT);
        if (n <= 0) {
            if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
                fail_msg("kernel recvmsg: %zd %s", n, strerror(errno));
            epeer_step(&t.e, 1);
            continue;
        }
        memset(g, 0, sizeof(*g));
        if (!(mh.msg_flags & MSG_EOR))
            fail_msg("kernel: a message in pieces (%zd B)", n);
        if (mh.msg_flags & MSG_NOTIFICATION) {
            notification(buf, g);
            return;
        }
        struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
        struct sctp_rcvinfo ri;
        if (!c || c->cmsg_type != SCTP_RCVINFO)
            fail_msg("kernel: no SCTP_RCVINFO");
        memcpy(&ri, CMSG_DATA(c), sizeof(ri));
        g->sid = ri.rcv_sid;
        g->ssn = ri.rcv_ssn;
        g->ppid = ntohl(ri.rcv_ppid);
        check_msg("kernel", t.k_rx_ssn, g->sid, g->ssn, g->ppid, buf, (size_t)n);
        if (t.k_tsn_due && ri.rcv_tsn != t.k_tsn_due)
            fail_msg("kernel: first TSN after the reset %u, not %u", ri.rcv_tsn, t.k_tsn_due);
        t.k_tsn_due = 0;
        t.k_got++;
        return;
    }
    fail_msg("nothing from the kernel in %llu s", WAIT_NS / 1000000000ull);
}

static void k_send(uint16_t sid, uint32_t ppid)
{
    uint8_t buf[MAX_LEN];
    size_t len = msg_len(ppid);
    fill(buf, len, ppid);
    uint64_t end = sctpng_udp_now() + WAIT_NS;
    int rc;
    while ((rc = kernel_ops.send(t.k, buf, len, sid, ppid, false)) == 0 && sctpng_udp_now() < end)
        epeer_step(&t.e, 1);
    if (rc != 1)
        fail_msg("kernel send on stream %u: %d", sid, rc);
}

static void e_send(uint16_t sid, uint32_t ppid)
{
    uint8_t buf[MAX_LEN];
    size_t len = msg_len(ppid);
    fill(buf, len, ppid);
    sctpng_eng_sndinfo si = {.stream = sid, .ppid = ppid};
    uint64_t end = sctpng_udp_now() + WAIT_NS;
    ssize_t rc;
    while ((rc = sctpng_eng_send(t.e.eng, t.e.assoc, buf, len, &si, sctpng_udp_now())) == -EAGAIN &&
           sctpng_udp_now() < end)
        epeer_step(&t.e, 1);
    if (rc != (ssize_t)len)
        fail_msg("engine send on stream %u: %zd", sid, rc);
}

/* n messages each way, round the first nstreams streams; all must arrive,
 * with nothing else (no event) on the kernel socket. */
static void traffic(uint16_t nstreams, unsigned n)
{
    unsigned e_want = t.e_got + n, k_want = t.k_got + n;
    for (unsigned i = 0; i < n; i++) {
        e_send((uint16_t)(i % nstreams), t.seq++);
        k_send((uint16_t)(i % nstreams), t.seq++);
    }
    while (t.k_got < k_want) {
        struct kgot g;
        k_next(&g);
        if (g.notif)
            fail_msg("kernel: notification %#x amid data", g.type);
    }
    uint64_t end = sctpng_udp_now() + WAIT_NS;
    while (t.e_got < e_want && sctpng_udp_now() < end)
        epeer_step(&t.e, 1);
    if (t.e_got != e_want)
        fail_msg("engine got %u of %u messages", t.e_got, e_want);
}

/* The kernel's next notification, of type `type` (no data before it). */
static struct kgot k_event(uint16_t type)
{
    struct kgot g;
    k_next(&g);
    if (!g.notif || g.type != type)
        fail_msg("kernel: %s %#x where event %#x was due", g.notif ? "event" : "data", g.type,
                 type);
    printf("# kernel event %#x: flags %#x streams %u [%u] tsn %u/%u added in %u out %u\n", g.type,
           g.flags, g.nstreams, g.streams[0], g.local_tsn, g.remote_tsn, g.in_added, g.out_added);
    return g;
}

/* The engine's next RE-CONFIG event (from index *mark on), of type `type`. */
static sctpng_eng_event e_event(unsigned *mark, sctpng_eng_event_type type)
{
    uint64_t end = sctpng_udp_now() + WAIT_NS;
    while (t.nev <= *mark && sctpng_udp_now() < end)
        epeer_step(&t.e, 1);
    if (t.nev <= *mark)
        fail_msg("engine: no event %d", type);
    sctpng_eng_event ev = t.ev[(*mark)++];
    if (ev.type != type)
        fail_msg("engine: event %d where %d was due", ev.type, type);
    return ev;
}

/* A stream reset of stream sid seen on both ends: the engine's event
 * with e_flags, the kernel's with k_flags. */
static void reset_seen(unsigned *mark, uint16_t e_flags, uint16_t k_flags, uint16_t sid)
{
    sctpng_eng_event ev = e_event(mark, SCTPNG_ENG_EV_STREAM_RESET);
    assert_int_equal(ev.u.stream_reset.flags, e_flags);
    assert_int_equal(ev.u.stream_reset.nstreams, 1);
    assert_int_equal(ev.u.stream_reset.streams[0], sid);
    struct kgot g = k_event(SCTP_STREAM_RESET_EVENT);
    assert_int_equal(g.flags, k_flags);
    assert_int_equal(g.nstreams, 1);
    assert_int_equal(g.streams[0], sid);
}

/* A request call of the engine, retried while it says -EAGAIN. */
#define E_REQUEST(call)                                                                            \
    do {                                                                                           \
        uint64_t end_ = sctpng_udp_now() + WAIT_NS;                                                \
        int rc_;                                                                                   \
        while ((rc_ = (call)) == -EAGAIN && sctpng_udp_now() < end_)                               \
            epeer_step(&t.e, 1);                                                                   \
        if (rc_ != 0)                                                                              \
            fail_msg("engine: %s: %d", #call, rc_);                                                \
        epeer_step(&t.e, 0);                                                                       \
    } while (0)

/* A RE-CONFIG socket option of the kernel, retried while EAGAIN. */
static void k_request(int opt, const void *val, socklen_t len)
{
    uint64_t end = sctpng_udp_now() + WAIT_NS;
    while (setsockopt(t.fd, IPPROTO_SCTP, opt, val, len) < 0) {
        if (errno != EAGAIN || sctpng_udp_now() > end)
            fail_msg("kernel setsockopt %d: %s", opt, strerror(errno));
        epeer_step(&t.e, 1);
    }
}

static void k_reset_streams(uint16_t flags, uint16_t sid)
{
    uint8_t rs[sizeof(struct sctp_reset_streams) + sizeof(uint16_t)];
    struct sctp_reset_streams *r = (struct sctp_reset_streams *)rs;
    memset(rs, 0, sizeof(rs));
    r->srs_flags = flags;
    r->srs_number_streams = 1;
    r->srs_stream_list[0] = sid;
    k_request(SCTP_RESET_STREAMS, rs, sizeof(rs));
}

static uint64_t now(void)
{
    return sctpng_udp_now();
}

/* Stream resets, both kinds, asked by each end: the engine resets its
 * outgoing stream 1, the kernel its outgoing stream 2, the engine asks
 * the kernel to reset its outgoing stream 0, the kernel asks the engine
 * to reset its outgoing stream 3. */
static void stream_resets(unsigned *mark)
{
    static const struct {
        bool by_kernel, outgoing; /* who asks; for its own outgoing stream */
        uint16_t sid;
    } steps[] = {{false, true, 1}, {true, true, 2}, {false, false, 0}, {true, false, 3}};
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
        uint16_t sid = steps[i].sid;
        bool engine_out = steps[i].by_kernel != steps[i].outgoing; /* the engine's stream */
        if (steps[i].by_kernel)
            k_reset_streams(
                steps[i].outgoing ? SCTP_STREAM_RESET_OUTGOING : SCTP_STREAM_RESET_INCOMING, sid);
        else
            E_REQUEST(sctpng_eng_reset_streams(
                t.e.eng, t.e.assoc, steps[i].outgoing ? SCTPNG_ENG_RESET_OUT : SCTPNG_ENG_RESET_IN,
                &sid, 1, now()));
        if (engine_out)
            reset_seen(mark, SCTPNG_ENG_RECONF_EV_OUTGOING, SCTP_STREAM_RESET_INCOMING_SSN, sid);
        else
            reset_seen(mark, SCTPNG_ENG_RECONF_EV_INCOMING, SCTP_STREAM_RESET_OUTGOING_SSN, sid);
        (engine_out ? t.k_rx_ssn : t.e_rx_ssn)[sid] = 0;
        traffic(4, 16);
    }
}

/* Both ends' ASSOC_RESET events: each one's next TSN is what the other
 * expects, the first message each way carries it, and every SSN starts
 * again at 0. */
static void assoc_reset_seen(unsigned *mark)
{
    sctpng_eng_event ev = e_event(mark, SCTPNG_ENG_EV_ASSOC_RESET);
    struct kgot g = k_event(SCTP_ASSOC_RESET_EVENT);
    assert_int_equal(ev.u.assoc_reset.flags, 0);
    assert_int_equal(g.flags & (SCTP_ASSOC_RESET_DENIED | SCTP_ASSOC_RESET_FAILED), 0);
    /* Linux fills its two fields the other way round from RFC 6458 6.1.9
     * (its "local" TSN is the next one it receives; the sctpng kernel
     * backend swaps them back), so the raw pair equals the engine's. */
    assert_int_equal(ev.u.assoc_reset.local_tsn, g.local_tsn);
    assert_int_equal(ev.u.assoc_reset.remote_tsn, g.remote_tsn);
    t.k_tsn_due = ev.u.assoc_reset.local_tsn;
    t.e_tsn_due = ev.u.assoc_reset.remote_tsn;
    memset(t.e_rx_ssn, 0, sizeof(t.e_rx_ssn));
    memset(t.k_rx_ssn, 0, sizeof(t.k_rx_ssn));
}

static void assoc_resets(unsigned *mark)
{
    E_REQUEST(sctpng_eng_reset_assoc(t.e.eng, t.e.assoc, now()));
    assoc_reset_seen(mark);
    traffic(4, 16);
    sctp_assoc_t id = 0;
    k_request(SCTP_RESET_ASSOC, &id, sizeof(id));
    assoc_reset_seen(mark);
    traffic(4, 16);
}

/* Stream counts of both ends after an addition: the engine's status and
 * the kernel's, each end's outbound the other's inbound. */
static void streams_are(uint16_t e_out, uint16_t e_in)
{
    sctpng_eng_status st;
    struct sctp_status ks;
    socklen_t len = sizeof(ks);
    memset(&ks, 0, sizeof(ks));
    uint64_t end = now() + WAIT_NS;
    do {
        epeer_step(&t.e, 1);
        assert_int_equal(sctpng_eng_get_status(t.e.eng, t.e.assoc, &st), 0);
    } while ((st.out_streams != e_out || st.in_streams != e_in) && now() < end);
    assert_int_equal(getsockopt(t.fd, IPPROTO_SCTP, SCTP_STATUS, &ks, &len), 0);
    printf("# streams: engine out %u in %u, kernel out %u in %u\n", st.out_streams, st.in_streams,
           ks.sstat_outstrms, ks.sstat_instrms);
    assert_int_equal(st.out_streams, e_out);
    assert_int_equal(st.in_streams, e_in);
    assert_int_equal(ks.sstat_instrms, e_out);
    assert_int_equal(ks.sstat_outstrms, e_in);
}

/* The STREAM_CHANGE events of an addition, on both ends, until the added
 * counts add up (either end may report an in-and-out request in one
 * event or two). */
static void streams_added(unsigned *mark, uint16_t e_out, uint16_t e_in)
{
    unsigned eo = 0, ei = 0, ko = 0, ki = 0;
    while (eo < e_out || ei < e_in) {
        sctpng_eng_event ev = e_event(mark, SCTPNG_ENG_EV_STREAM_CHANGE);
        assert_int_equal(ev.u.stream_change.flags, 0);
        eo += ev.u.stream_change.out_added;
        ei += ev.u.stream_change.in_added;
    }
    while (ko < e_in || ki < e_out) {
        struct kgot g = k_event(SCTP_STREAM_CHANGE_EVENT);
        assert_int_equal(g.flags & (SCTP_STREAM_CHANGE_DENIED | SCTP_STREAM_CHANGE_FAILED), 0);
        ko += g.out_added;
        ki += g.in_added;
    }
    assert_int_equal(eo, e_out);
    assert_int_equal(ei, e_in);
    assert_int_equal(ko, e_in);
    assert_int_equal(ki, e_out);
}

static void add_streams(unsigned *mark)
{
    sctpng_eng_status st;
    assert_int_equal(sctpng_eng_get_status(t.e.eng, t.e.assoc, &st), 0);
    uint16_t out = st.out_streams, in = st.in_streams;
    /* the engine adds 2 outgoing and asks for 3 incoming */
    E_REQUEST(sctpng_eng_add_streams(t.e.eng, t.e.assoc, 2, 3, now()));
    streams_added(mark, 2, 3);
    streams_are((uint16_t)(out + 2), (uint16_t)(in + 3));
    traffic((uint16_t)(out + 2), 2u * (out + 2u));
    /* the kernel adds 1 outgoing and asks for 2 incoming */
    struct sctp_add_streams as = {.sas_instrms = 2, .sas_outstrms = 1};
    k_request(SCTP_ADD_STREAMS, &as, sizeof(as));
    streams_added(mark, 2, 1);
    streams_are((uint16_t)(out + 4), (uint16_t)(in + 4));
    traffic((uint16_t)(out + 4), 2u * (out + 4u));
}

/* Sets up the association (engine_connects: the engine is the client),
 * subscribing the kernel's events before any request. */
static void associate(bool engine_connects)
{
    uint16_t port = engine_connects ? ENG_PORT : ENG_PORT + 1;
    assert_int_equal(
        epeer_open(&t.e, port, !engine_connects, LOOPBACK, kernel_backend.engine_udp_port), 0);
    t.e.on_event = on_event;
    t.e.on_msg = on_msg;
    uint64_t end = now() + WAIT_NS;
    if (engine_connects) {
        t.listener = kernel_peer_listen(KERN_PORT);
        assert_non_null(t.listener);
        assert_int_equal(epeer_connect(&t.e, LOOPBACK, kernel_backend.peer_udp_port, KERN_PORT), 0);
        while (!(t.k = kernel_peer_accept(t.listener)) && now() < end)
            epeer_step(&t.e, 1);
    } else {
        t.k = kernel_peer_connect(port, kernel_backend.engine_udp_port);
    }
    assert_non_null(t.k);
    t.fd = kernel_peer_fd(t.k);
    while (!t.e.ups && now() < end)
        epeer_step(&t.e, 1);
    assert_int_equal(t.e.ups, 1);
    sctpng_eng_status st;
    assert_int_equal(sctpng_eng_get_status(t.e.eng, t.e.assoc, &st), 0);
    assert_true(st.reconf); /* the kernel offered RE-CONFIG */
}

static void reconf_all(bool engine_connects)
{
    memset(&t, 0, sizeof(t));
    associate(engine_connects);
    unsigned mark = 0;
    traffic(4, 16);
    stream_resets(&mark);
    assoc_resets(&mark);
    add_streams(&mark);
    assert_int_equal(t.nev, mark); /* no event beyond those checked */
    assert_int_equal(epeer_shutdown(&t.e), 0);
    uint64_t end = now() + WAIT_NS;
    while (!t.e.downs && now() < end)
        epeer_step(&t.e, 1);
    assert_int_equal(t.e.down_reason, SCTPNG_ENG_DOWN_SHUTDOWN);
    sctpng_eng_stats es;
    sctpng_eng_get_stats(t.e.eng, &es);
    assert_int_equal(es.drop_bad_crc + es.drop_malformed + es.drop_bad_vtag, 0);
    printf("# %u messages to the kernel, %u to the engine, all checked\n", t.k_got, t.e_got);
}

static void reconf_engine_client(void **state)
{
    (void)state;
    reconf_all(true);
}

static void reconf_engine_server(void **state)
{
    (void)state;
    reconf_all(false);
}

static int cleanup(void **state)
{
    (void)state;
    kernel_peer_close(t.k);
    kernel_peer_close(t.listener);
    if (t.e.eng)
        epeer_close(&t.e);
    memset(&t, 0, sizeof(t));
    return 0;
}

static int setup(void **state)
{
    kernel_peer_reconf = true;
    epeer_reconf = true;
    return kernel_env_setup_with(state, kernel_set_reconf_enable, "net.sctp.reconf_enable");
}

static int teardown(void **state)
{
    return kernel_env_teardown_with(state, kernel_set_reconf_enable);
}

int main(void)
{
    if (kernel_env_no_encap())
        return 0;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(reconf_engine_client, cleanup),
        cmocka_unit_test_teardown(reconf_engine_server, cleanup),
    };
    return interop_run("interop_kernel_reconf", tests, 2, setup, teardown);
}
