/* I-DATA (RFC 8260) and PR-SCTP (RFC 3758, RFC 7496) interop with Linux
 * kernel SCTP over its UDP encapsulation (the test VM, set up as
 * test_kernel.c; net.sctp.intl_enable turned on and restored). A relay
 * between the two stacks (relay.c) watches and drops packets.
 *
 * intl_*: I-DATA negotiated (both ends' view); a 1 MiB message from the
 * kernel shows its FSN numbering; then two 1 MiB messages on streams 1 and
 * 3 and a 100-byte one on stream 2 one way: the engine sends with round
 * robin (it interleaves chunk by chunk with I-DATA), the kernel with
 * SCTP_SS_RR; the receiver (the kernel with SCTP_FRAGMENT_INTERLEAVE 2)
 * must have the small message whole before the first large one, every
 * byte checked. Engine connecting and kernel connecting. The kernel
 * numbers fragments after the first from FSN 0 (Linux 6.1 and 6.12 do;
 * RFC 8260 2.1 has 1): the engine learns that from the first message and
 * answers in it (reasm_fsn.c). intl_option_to_kernel: the engine sends
 * first, numbering the Linux way because it was asked to.
 *
 * rtx_*: RTX policy, limit 0, on stream 2 between reliable messages on
 * streams 1 and 3, each way; the relay drops every packet that carries the
 * first transmission of the first fragment of stream-2 messages 1, 5, 9,
 * ... (with whatever else the packet bundles): the sender must abandon
 * them (its counters), skip them with FORWARD-TSN (DATA) or I-FORWARD-TSN
 * (I-DATA, single-fragment messages: see intl_*), and the receiver gets
 * every other one in order, none twice, the reliable ones whole.
 *
 * prio_*: PRIO policy: the sender's buffer fills with value-5 messages on
 * stream 2 while nothing leaves, then value-0 ones must evict some
 * (counted); the receiver gets the rest in order. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/sctp.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "epeer.h"
#include "kernel_env.h"
#include "kernel_peer.h"
#include "relay.h"
#include "suite.h"
#include "udp/udp.h"

#define LOOPBACK  "127.0.0.1"
#define KERN_PORT 5021 /* SCTP ports: the kernel's listener, the engine's */
#define ENG_PORT  6021
#define BIG       (1u << 20)
#define SMALL     100
#define WAIT_NS   (60ull * 1000000000ull)
#define NSTREAMS  4
#define PR_MSGS   40   /* stream-2 messages of the PR cases */
#define PR_LEN    2000 /* two fragments at the engine's MTU */
#define PR_SMALL  800  /* one */
#define REL_LEN   (256u << 10)
#define PRIO_MAX  4096
#define REL_SMALL 1000 /* one fragment: the I-DATA cases */

/* What one receiver got: per stream the message being reassembled, the
 * index (PPID low half) of the last whole one, and counts. */
struct rx {
    uint8_t *buf[NSTREAMS];
    size_t len[NSTREAMS];
    uint32_t ppid[NSTREAMS];
    int last[NSTREAMS];
    unsigned got[NSTREAMS];
    size_t big_at_small; /* stream 1 bytes when stream 2's first message was whole */
    bool small_seen;
};

static struct {
    struct epeer e;
    struct relay r;
    void *listener, *k;
    int fd;
    struct rx krx, erx;
    int old_intl;
    bool use_relay;
    /* the drop rule: which stream-2 messages lose their first fragment's
     * first transmission, and the TSNs seen each way (first sight) */
    uint32_t seen_base[2];
    bool seen_init[2];
    uint8_t *seen[2];
    /* I-DATA fragments from the kernel without the B bit: seen, and one
     * of them with FSN 0 */
    bool saw_nonb, saw_fsn0;
    /* stream-2 messages with a chunk in a dropped packet, each way
     * ([1]: to the kernel); a stack may bundle several in one packet */
    uint64_t lost[2];
} t;

static uint64_t now(void)
{
    return sctpng_udp_now();
}

static uint8_t pat(uint32_t ppid, size_t off)
{
    return (uint8_t)(ppid * 131u + off * 7u + (off >> 9));
}

static void fill(uint8_t *buf, size_t len, uint32_t ppid)
{
    for (size_t i = 0; i < len; i++)
        buf[i] = pat(ppid, i);
}

static uint32_t ppid_of(uint16_t sid, uint32_t idx)
{
    return (uint32_t)sid << 16 | idx;
}

/* A whole message: its bytes, its stream, its index above the last. */
static void rx_msg(struct rx *x, const char *who, uint16_t sid, uint32_t ppid, const uint8_t *buf,
                   size_t len, size_t want_len)
{
    if (sid >= NSTREAMS || ppid >> 16 != sid)
        fail_msg("%s: message on stream %u with PPID %#x", who, sid, ppid);
    int idx = (int)(ppid & 0xffff);
    if (idx <= x->last[sid])
        fail_msg("%s: stream %u message %d after %d (duplicate or out of order)", who, sid, idx,
                 x->last[sid]);
    if (len != want_len)
        fail_msg("%s: stream %u message %d has %zu bytes, not %zu", who, sid, idx, len, want_len);
    for (size_t i = 0; i < len; i++)
        if (buf[i] != pat(ppid, i))
            fail_msg("%s: stream %u message %d byte %zu wrong", who, sid, idx, i);
    x->last[sid] = idx;
    x->got[sid]++;
    if (sid == 2 && !x->small_seen) {
        x->small_seen = true;
        x->big_at_small = x->len[1];
    }
}

static size_t want_len(uint16_t sid, size_t big, size_t small)
{
    return sid == 2 ? small : big;
}

static size_t t_big = BIG, t_small = SMALL;

static void on_emsg(struct epeer *p, const sctpng_eng_rcvinfo *ri, const uint8_t *buf, size_t len)
{
    t.erx.len[1] = epeer_partial(p, 1);
    rx_msg(&t.erx, "engine", ri->stream, ri->ppid, buf, len, want_len(ri->stream, t_big, t_small));
}

/* Reads what the kernel socket has, pieces included (FRAGMENT_INTERLEAVE
 * 2: the rcvinfo of each says whose). */
static void k_read(void)
{
    static uint8_t buf[65536];
    for (;;) {
        char cbuf[CMSG_SPACE(sizeof(struct sctp_rcvinfo)) + 64];
        struct iovec iov = {.iov_base = buf, .iov_len = sizeof(buf)};
        struct msghdr mh = {
            .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf)};
        ssize_t n = recvmsg(t.fd, &mh, MSG_DONTWAIT);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (n <= 0)
            fail_msg("kernel recvmsg: %zd %s", n, strerror(errno));
        if (mh.msg_flags & MSG_NOTIFICATION)
            continue;
        struct sctp_rcvinfo ri = {0};
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
            if (c->cmsg_level == IPPROTO_SCTP && c->cmsg_type == SCTP_RCVINFO)
                memcpy(&ri, CMSG_DATA(c), sizeof(ri));
        uint16_t sid = ri.rcv_sid;
        if (sid >= NSTREAMS)
            fail_msg("kernel: data on stream %u", sid);
        struct rx *x = &t.krx;
        /* the first piece's PPID: Linux reports a later piece of an I-DATA
         * message with the FSN of its chunk in the PPID's place (struct
         * sctp_ulpevent keeps them in one union) */
        if (x->len[sid] == 0)
            x->ppid[sid] = ntohl(ri.rcv_ppid);
        x->buf[sid] = realloc(x->buf[sid], x->len[sid] + (size_t)n);
        if (!x->buf[sid])
            abort();
        memcpy(x->buf[sid] + x->len[sid], buf, (size_t)n);
        x->len[sid] += (size_t)n;
        if (mh.msg_flags & MSG_EOR) {
            size_t len = x->len[sid];
            x->len[sid] = 0;
            rx_msg(x, "kernel", sid, x->ppid[sid], x->buf[sid], len, want_len(sid, t_big, t_small));
        }
    }
}

/* One turn of the loop: the relay, the engine, the kernel socket (if the
 * kernel reads now). */
static void step(bool k_reads)
{
    struct pollfd pf[3] = {{.fd = sctpng_udp_fd(t.e.udp), .events = POLLIN}};
    int n = 1;
    if (t.use_relay) {
        pf[n++] = (struct pollfd){.fd = t.r.e_fd, .events = POLLIN};
        pf[n++] = (struct pollfd){.fd = t.r.k_fd, .events = POLLIN};
    }
    int ms = sctpng_udp_timeout_ms(t.e.udp, now());
    poll(pf, (nfds_t)n, ms < 0 || ms > 1 ? 1 : ms);
    if (t.use_relay)
        relay_pump(&t.r);
    epeer_step(&t.e, 0);
    if (t.use_relay)
        relay_pump(&t.r);
    if (k_reads)
        k_read();
}

/* The kernel's UDP port as the engine sees it, and the reverse. */
static uint16_t kernel_udp(void)
{
    return t.use_relay ? t.r.e_port : kernel_backend.peer_udp_port;
}

static uint16_t engine_udp(void)
{
    return t.use_relay ? t.r.k_port : kernel_backend.engine_udp_port;
}

/* SCTP ports of the next association: new ones per case (the previous
 * case's kernel association may still be closing). */
static uint16_t next_port;

static void associate(bool engine_connects)
{
    next_port++;
    uint16_t port = (uint16_t)(ENG_PORT + next_port), kport = (uint16_t)(KERN_PORT + next_port);
    assert_int_equal(
        epeer_open(&t.e, port, !engine_connects, LOOPBACK, kernel_backend.engine_udp_port), 0);
    assert_int_equal(sctpng_eng_set_buffers(t.e.eng, 4u << 20, 0), 0);
    t.e.on_msg = on_emsg;
    uint64_t end = now() + WAIT_NS;
    if (engine_connects) {
        t.listener = kernel_peer_listen(kport);
        assert_non_null(t.listener);
        assert_int_equal(epeer_connect(&t.e, LOOPBACK, kernel_udp(), kport), 0);
        while (!(t.k = kernel_peer_accept(t.listener)) && now() < end)
            step(false);
    } else {
        t.k = kernel_peer_connect(port, engine_udp());
    }
    assert_non_null(t.k);
    t.fd = kernel_peer_fd(t.k);
    while (!t.e.ups && now() < end)
        step(false);
    assert_int_equal(t.e.ups, 1);
    for (int s = 0; s < NSTREAMS; s++)
        t.krx.last[s] = t.erx.last[s] = -1;
}

/* Both ends' view of I-DATA: the engine's status, the kernel's
 * SCTP_INTERLEAVING_SUPPORTED of the association. */
static void idata_is(bool on)
{
    sctpng_eng_status st;
    assert_int_equal(sctpng_eng_get_status(t.e.eng, t.e.assoc, &st), 0);
    struct sctp_assoc_value av = {.assoc_id = 0};
    socklen_t len = sizeof(av);
    uint64_t end = now() + WAIT_NS; /* the kernel's side is up once it sent COOKIE-ACK / took it */
    int rc;
    while ((rc = getsockopt(t.fd, IPPROTO_SCTP, SCTP_INTERLEAVING_SUPPORTED, &av, &len)) == 0 &&
           av.assoc_value != on && now() < end)
        step(false);
    assert_int_equal(rc, 0);
    printf("# I-DATA: engine %d, kernel %u; PR-SCTP: engine sees %d\n", st.idata, av.assoc_value,
           st.peer_pr_sctp);
    assert_int_equal(st.idata, on);
    assert_int_equal(av.assoc_value, on);
    assert_true(st.peer_pr_sctp);
}

/* One non-blocking sendmsg of buf on the kernel socket with SCTP_SNDINFO,
 * and SCTP_PRINFO unless `sndinfo_only`: 0 or -errno (-EAGAIN: full). */
static int k_sendmsg(uint16_t sid, uint32_t ppid, uint8_t *buf, size_t len, uint16_t policy,
                     uint32_t value, bool sndinfo_only)
{
    char cbuf[CMSG_SPACE(sizeof(struct sctp_sndinfo)) + CMSG_SPACE(sizeof(struct sctp_prinfo))];
    memset(cbuf, 0, sizeof(cbuf));
    struct iovec iov = {.iov_base = buf, .iov_len = len};
    struct msghdr mh = {
        .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf)};
    struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
    c->cmsg_level = IPPROTO_SCTP;
    c->cmsg_type = SCTP_SNDINFO;
    c->cmsg_len = CMSG_LEN(sizeof(struct sctp_sndinfo));
    struct sctp_sndinfo si = {.snd_sid = sid, .snd_ppid = htonl(ppid)};
    memcpy(CMSG_DATA(c), &si, sizeof(si));
    c = CMSG_NXTHDR(&mh, c);
    c->cmsg_level = IPPROTO_SCTP;
    c->cmsg_type = SCTP_PRINFO;
    c->cmsg_len = CMSG_LEN(sizeof(struct sctp_prinfo));
    struct sctp_prinfo pi = {.pr_policy = policy, .pr_value = value};
    memcpy(CMSG_DATA(c), &pi, sizeof(pi));
    if (sndinfo_only)
        mh.msg_controllen = CMSG_SPACE(sizeof(struct sctp_sndinfo));
    return sendmsg(t.fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL) < 0 ? -errno : 0;
}

/* Message bytes of `len` for `ppid` (fill()), in a buffer both senders
 * share and grow; valid until the next call. */
static uint8_t *payload(size_t len, uint32_t ppid)
{
    static uint8_t *buf;
    static size_t cap;
    if (len > cap) {
        buf = realloc(buf, len);
        cap = len;
        if (!buf)
            abort();
    }
    fill(buf, len, ppid);
    return buf;
}

/* sendmsg on the kernel socket with SCTP_SNDINFO and SCTP_PRINFO; retried
 * (the engine stepping) while the buffer is full. Returns -errno on
 * other errors. */
static int k_send(uint16_t sid, uint32_t idx, size_t len, uint16_t policy, uint32_t value,
                  bool k_reads)
{
    uint32_t ppid = ppid_of(sid, idx);
    uint8_t *buf = payload(len, ppid);
    uint64_t end = now() + WAIT_NS;
    int err;
    while ((err = k_sendmsg(sid, ppid, buf, len, policy, value, !policy)) < 0) {
        if ((err != -EAGAIN && err != -EWOULDBLOCK) || now() > end)
            return err;
        step(k_reads);
    }
    return 0;
}

/* One non-blocking sendmsg with SCTP_PRINFO: 0 or -errno (-EAGAIN: full). */
static int k_send_once(uint16_t sid, uint32_t idx, size_t len, uint16_t policy, uint32_t value)
{
    uint8_t buf[PRIO_MAX];
    uint32_t ppid = ppid_of(sid, idx);
    if (len > sizeof(buf))
        return -EMSGSIZE;
    fill(buf, len, ppid);
    return k_sendmsg(sid, ppid, buf, len, policy, value, false);
}

static ssize_t e_send(uint16_t sid, uint32_t idx, size_t len, uint8_t policy, uint32_t value,
                      bool k_reads)
{
    uint32_t ppid = ppid_of(sid, idx);
    uint8_t *buf = payload(len, ppid);
    sctpng_eng_sndinfo si = {.stream = sid, .ppid = ppid, .pr_policy = policy, .pr_value = value};
    uint64_t end = now() + WAIT_NS;
    ssize_t rc;
    while ((rc = sctpng_eng_send(t.e.eng, t.e.assoc, buf, len, &si, now())) == -EAGAIN &&
           now() < end)
        step(k_reads);
    sctpng_udp_flush(t.e.udp, now());
    return rc;
}

/* Both ends' state, when a case fails. */
static void diag(void)
{
    sctpng_eng_status st;
    if (sctpng_eng_get_status(t.e.eng, t.e.assoc, &st) == 0)
        printf("# engine: state %d out %u chunks %u B, queued %u chunks, peer_rwnd %u, rwnd %u, "
               "unread %u, rtx %llu, t3 %llu, fwd sent %llu recvd %llu, cum %u next %u\n",
               st.state, st.outstanding_chunks, st.outstanding_bytes, st.queued_chunks,
               st.peer_rwnd, st.local_rwnd, st.unread_bytes, (unsigned long long)st.retransmits,
               (unsigned long long)st.t3_expiries, (unsigned long long)st.fwd_tsn_sent,
               (unsigned long long)st.fwd_tsn_recvd, st.peer_cum_ack, st.next_tsn);
    struct sctp_status ks;
    socklen_t len = sizeof(ks);
    memset(&ks, 0, sizeof(ks));
    if (getsockopt(t.fd, IPPROTO_SCTP, SCTP_STATUS, &ks, &len) == 0)
        printf("# kernel: state %d rwnd %u unacked %u pending %u\n", ks.sstat_state, ks.sstat_rwnd,
               ks.sstat_unackdata, ks.sstat_penddata);
    for (int s = 0; s < NSTREAMS; s++)
        printf("# stream %d: kernel got %u (%zu B pending), engine got %u\n", s, t.krx.got[s],
               t.krx.len[s], t.erx.got[s]);
    if (t.use_relay)
        printf("# relay: %u passed, %u dropped\n", t.r.passed, t.r.dropped);
}

/* Steps until the receiver has `want` messages on each stream (or the
 * time is up). */
static void wait_rx(struct rx *x, const unsigned want[NSTREAMS], bool k_reads)
{
    uint64_t end = now() + WAIT_NS;
    for (;;) {
        bool all = true;
        for (int s = 0; s < NSTREAMS; s++)
            all = all && x->got[s] >= want[s];
        if (all || now() > end)
            break;
        step(k_reads);
    }
    bool short_ = false;
    for (int s = 0; s < NSTREAMS; s++)
        short_ = short_ || x->got[s] < want[s];
    if (short_)
        diag();
    for (int s = 0; s < NSTREAMS; s++)
        if (x->got[s] < want[s])
            fail_msg("%s got %u of %u messages on stream %d (stream 1: %zu bytes of one pending)",
                     x == &t.krx ? "kernel" : "engine", x->got[s], want[s], s, x->len[1]);
}

/* Two big messages on streams 1 and 3, then a small one on stream 2. */
static void intl_engine_to_kernel(void)
{
    assert_int_equal(e_send(1, 0, BIG, 0, 0, true), BIG);
    assert_int_equal(e_send(3, 0, BIG, 0, 0, true), BIG);
    assert_int_equal(e_send(2, 0, SMALL, 0, 0, true), SMALL);
    wait_rx(&t.krx, (const unsigned[]){0, 1, 1, 1}, true);
    printf("# to the kernel: the small message was whole after %zu of %u bytes of the first\n",
           t.krx.big_at_small, BIG);
    assert_true(t.krx.big_at_small < BIG);
}

static void intl_kernel_to_engine(void)
{
    struct sctp_assoc_value av = {.assoc_id = 0, .assoc_value = SCTP_SS_RR};
    assert_int_equal(setsockopt(t.fd, IPPROTO_SCTP, SCTP_STREAM_SCHEDULER, &av, sizeof(av)), 0);
    assert_int_equal(k_send(1, 0, BIG, 0, 0, true), 0);
    assert_int_equal(k_send(3, 0, BIG, 0, 0, true), 0);
    assert_int_equal(k_send(2, 0, SMALL, 0, 0, true), 0);
    wait_rx(&t.erx, (const unsigned[]){0, 1, 1, 1}, true);
    printf("# to the engine: the small message was whole after %zu of %u bytes of the first\n",
           t.erx.big_at_small, BIG);
    assert_true(t.erx.big_at_small < BIG);
}

static bool watch_chunk(void *ctx, const struct relay_data *d)
{
    (void)ctx;
    if (d->idata && !(d->flags & 0x02)) {
        t.saw_nonb = true;
        t.saw_fsn0 = t.saw_fsn0 || d->fsn == 0;
    }
    return false;
}

/* Passes everything; notes the FSNs of the kernel's I-DATA fragments. */
static bool watch_fsn(struct relay *r, const uint8_t *pkt, size_t len, bool to_kernel)
{
    (void)r;
    if (!to_kernel)
        relay_each_data(pkt, len, watch_chunk, NULL);
    return false;
}

/* RFC 8260 2.1: a message's first fragment has FSN 0 (its field carries
 * the PPID), the next ones 1, 2, ... Linux (stream_interleave.c,
 * sctp_chunk_assign_mid) numbers the fragments after the first from 0
 * and reassembles only that way. A 1 MiB message from the kernel on
 * stream 0, watched by the relay, shows which numbering it has; the
 * engine must take it whole either way, learn that numbering (its status)
 * and number what it sends the same way from then on. */
static void kernel_numbering(void)
{
    assert_int_equal(k_send(0, 0, BIG, 0, 0, true), 0);
    uint64_t end = now() + WAIT_NS;
    while (!t.saw_nonb && now() < end)
        step(true);
    assert_true(t.saw_nonb);
    wait_rx(&t.erx, (const unsigned[]){1, 0, 0, 0}, true);
    sctpng_eng_status st;
    assert_int_equal(sctpng_eng_get_status(t.e.eng, t.e.assoc, &st), 0);
    printf("# the kernel's second fragment of a message has FSN %d (RFC 8260: 1); the engine "
           "learned numbering %d (2: Linux's), sends from 0: %d\n",
           t.saw_fsn0 ? 0 : 1, (int)st.idata_peer_fsn, st.idata_fsn_from_zero);
    assert_int_equal(st.idata_peer_fsn, t.saw_fsn0 ? SCTPNG_ENG_FSN_LINUX : SCTPNG_ENG_FSN_RFC);
    assert_int_equal(st.idata_fsn_from_zero, t.saw_fsn0);
}

static void intl(bool engine_connects, bool to_kernel)
{
    t_big = BIG;
    t_small = SMALL;
    t.use_relay = true;
    assert_int_equal(relay_open(&t.r, kernel_backend.peer_udp_port, kernel_backend.engine_udp_port),
                     0);
    t.r.drop = watch_fsn;
    associate(engine_connects);
    idata_is(true);
    kernel_numbering();
    if (to_kernel)
        intl_engine_to_kernel();
    else
        intl_kernel_to_engine();
}

/* The engine sends first, before anything taught it the kernel's
 * numbering: with sctpng_eng_set_idata_fsn_from_zero() the kernel
 * assembles its messages all the same. */
static void intl_option_to_kernel(void **state)
{
    (void)state;
    t_big = BIG;
    t_small = SMALL;
    t.use_relay = true;
    assert_int_equal(relay_open(&t.r, kernel_backend.peer_udp_port, kernel_backend.engine_udp_port),
                     0);
    t.r.drop = watch_fsn;
    associate(true);
    idata_is(true);
    assert_int_equal(sctpng_eng_set_idata_fsn_from_zero(t.e.eng, t.e.assoc, true), 0);
    sctpng_eng_status st;
    assert_int_equal(sctpng_eng_get_status(t.e.eng, t.e.assoc, &st), 0);
    assert_int_equal(st.idata_peer_fsn, SCTPNG_ENG_FSN_UNKNOWN);
    assert_true(st.idata_fsn_from_zero);
    intl_engine_to_kernel();
}

static void intl_to_kernel_client(void **state)
{
    (void)state;
    intl(true, true);
}

static void intl_to_kernel_server(void **state)
{
    (void)state;
    intl(false, true);
}

static void intl_to_engine_client(void **state)
{
    (void)state;
    intl(true, false);
}

static void intl_to_engine_server(void **state)
{
    (void)state;
    intl(false, false);
}

/* The drop rule: the first transmission of the first fragment of stream-2
 * messages 1, 5, 9, ... (its TSN not seen before in that direction). */
static bool first_sight(bool to_kernel, uint32_t tsn)
{
    int d = to_kernel;
    if (!t.seen[d])
        t.seen[d] = calloc(1, 1 << 17);
    if (!t.seen_init[d]) {
        t.seen_init[d] = true;
        t.seen_base[d] = tsn - 1024;
    }
    uint32_t off = tsn - t.seen_base[d];
    if (off >= (1u << 20))
        return false;
    bool fresh = !(t.seen[d][off >> 3] & (1u << (off & 7)));
    t.seen[d][off >> 3] |= (uint8_t)(1u << (off & 7));
    return fresh;
}

struct drop_scan {
    bool to_kernel, drop;
};

static bool scan_chunk(void *ctx, const struct relay_data *d)
{
    struct drop_scan *s = ctx;
    bool fresh = first_sight(s->to_kernel, d->tsn);
    if (fresh && d->sid == 2 && (d->flags & 0x02) && d->mid % 4 == 1)
        s->drop = true;
    return false; /* every chunk is marked seen */
}

/* Debug trace (SCTPNG_IDATA_TRACE=1): FORWARD-TSNs and stream-3 chunks. */
static void trace(const uint8_t *pkt, size_t len, bool to_kernel)
{
    static int on = -1;
    if (on < 0)
        on = getenv("SCTPNG_IDATA_TRACE") != NULL;
    for (size_t off = 12; on && off + 4 <= len;) {
        size_t clen = (size_t)(pkt[off + 2] << 8 | pkt[off + 3]);
        if (clen < 4)
            break;
        uint32_t v = off + 8 <= len ? (uint32_t)pkt[off + 4] << 24 | (uint32_t)pkt[off + 5] << 16 |
                                          (uint32_t)pkt[off + 6] << 8 | pkt[off + 7]
                                    : 0;
        if (pkt[off] == 192 || pkt[off] == 194)
            printf("# trace %s FWD cum %u len %zu\n", to_kernel ? ">" : "<", v, clen);
        else if (pkt[off] == 3)
            printf("# trace %s SACK cum %u\n", to_kernel ? ">" : "<", v);
        else if (pkt[off] == 0 && off + 12 <= len && (pkt[off + 9] == 3 || !to_kernel))
            printf("# trace %s DATA tsn %u sid %u ssn %u fl %x\n", to_kernel ? ">" : "<", v,
                   pkt[off + 9], pkt[off + 10] << 8 | pkt[off + 11], pkt[off + 1]);
        off += (clen + 3) & ~(size_t)3;
    }
}

static bool note_lost(void *ctx, const struct relay_data *d)
{
    if (d->sid == 2 && d->mid < 64)
        t.lost[*(bool *)ctx] |= 1ull << d->mid;
    return false;
}

static bool drop_rule(struct relay *r, const uint8_t *pkt, size_t len, bool to_kernel)
{
    (void)r;
    trace(pkt, len, to_kernel);
    struct drop_scan s = {.to_kernel = to_kernel};
    relay_each_data(pkt, len, scan_chunk, &s);
    if (s.drop)
        relay_each_data(pkt, len, note_lost, &to_kernel);
    return s.drop;
}

/* Steps until the sender (the engine if to_kernel, else the kernel) has
 * nothing unacknowledged or queued, then 300 ms more. */
static void settle(bool to_kernel)
{
    uint64_t end = now() + WAIT_NS;
    for (;;) {
        bool idle;
        if (to_kernel) {
            sctpng_eng_status st;
            assert_int_equal(sctpng_eng_get_status(t.e.eng, t.e.assoc, &st), 0);
            idle = st.outstanding_chunks == 0 && st.queued_chunks == 0;
        } else {
            struct sctp_status ks;
            socklen_t len = sizeof(ks);
            memset(&ks, 0, sizeof(ks));
            assert_int_equal(getsockopt(t.fd, IPPROTO_SCTP, SCTP_STATUS, &ks, &len), 0);
            idle = ks.sstat_unackdata == 0 && ks.sstat_penddata == 0;
        }
        if (idle || now() > end)
            break;
        step(true);
    }
    for (end = now() + 300000000ull; now() < end;)
        step(true);
}

/* Stream-2 messages lost one way (RTX 0: never sent again). */
static unsigned pr_dropped(bool to_kernel)
{
    return (unsigned)__builtin_popcountll(t.lost[to_kernel]);
}

/* The kernel's abandoned counters for one policy (association-wide). */
static void k_pr_status(uint16_t policy, uint64_t *unsent, uint64_t *sent)
{
    struct sctp_prstatus ps = {.sprstat_assoc_id = 0, .sprstat_policy = policy};
    socklen_t len = sizeof(ps);
    assert_int_equal(getsockopt(t.fd, IPPROTO_SCTP, SCTP_PR_ASSOC_STATUS, &ps, &len), 0);
    *unsent = ps.sprstat_abandoned_unsent;
    *sent = ps.sprstat_abandoned_sent;
}

/* The engine sends reliable messages on streams 1 and 3 and PR_MSGS RTX-0
 * ones on stream 2 (round robin interleaves them with I-DATA). */
static unsigned rel_n; /* reliable messages on streams 1 and 3, each */

static void rtx_engine_to_kernel(void)
{
    for (uint32_t i = 0; i < rel_n / 2; i++) {
        assert_int_equal(e_send(1, i, t_big, 0, 0, true), (ssize_t)t_big);
        assert_int_equal(e_send(3, i, t_big, 0, 0, true), (ssize_t)t_big);
    }
    for (uint32_t i = 0; i < PR_MSGS; i++)
        assert_int_equal(e_send(2, i, t_small, SCTPNG_ENG_PR_RTX, 0, true), (ssize_t)t_small);
    for (uint32_t i = rel_n / 2; i < rel_n; i++) {
        assert_int_equal(e_send(1, i, t_big, 0, 0, true), (ssize_t)t_big);
        assert_int_equal(e_send(3, i, t_big, 0, 0, true), (ssize_t)t_big);
    }
    wait_rx(&t.krx, (const unsigned[]){0, rel_n, 0, rel_n}, true);
    settle(true);
    unsigned lost = pr_dropped(true);
    wait_rx(&t.krx, (const unsigned[]){0, rel_n, PR_MSGS - lost, rel_n}, true);
    assert_int_equal(t.krx.got[2], PR_MSGS - lost);
    uint64_t unsent = 0, sent = 0;
    assert_int_equal(
        sctpng_eng_get_pr_stats(t.e.eng, t.e.assoc, 2, SCTPNG_ENG_PR_RTX, &unsent, &sent), 0);
    sctpng_eng_status st;
    assert_int_equal(sctpng_eng_get_status(t.e.eng, t.e.assoc, &st), 0);
    printf("# to the kernel: %u of %u stream-2 messages, engine abandoned %llu sent, %llu unsent; "
           "%llu FORWARD-TSN; relay dropped %u\n",
           t.krx.got[2], PR_MSGS, (unsigned long long)sent, (unsigned long long)unsent,
           (unsigned long long)st.fwd_tsn_sent, t.r.dropped);
    assert_int_equal(sent, lost);
    assert_int_equal(unsent, 0);
    assert_true(st.fwd_tsn_sent > 0);
}

static void rtx_kernel_to_engine(void)
{
    struct sctp_assoc_value av = {.assoc_id = 0, .assoc_value = SCTP_SS_RR};
    assert_int_equal(setsockopt(t.fd, IPPROTO_SCTP, SCTP_STREAM_SCHEDULER, &av, sizeof(av)), 0);
    for (uint32_t i = 0; i < rel_n / 2; i++) {
        assert_int_equal(k_send(1, i, t_big, 0, 0, true), 0);
        assert_int_equal(k_send(3, i, t_big, 0, 0, true), 0);
    }
    for (uint32_t i = 0; i < PR_MSGS; i++)
        assert_int_equal(k_send(2, i, t_small, SCTP_PR_SCTP_RTX, 0, true), 0);
    for (uint32_t i = rel_n / 2; i < rel_n; i++) {
        assert_int_equal(k_send(1, i, t_big, 0, 0, true), 0);
        assert_int_equal(k_send(3, i, t_big, 0, 0, true), 0);
    }
    wait_rx(&t.erx, (const unsigned[]){0, rel_n, 0, rel_n}, true);
    settle(false);
    unsigned lost = pr_dropped(false);
    wait_rx(&t.erx, (const unsigned[]){0, rel_n, PR_MSGS - lost, rel_n}, true);
    assert_int_equal(t.erx.got[2], PR_MSGS - lost);
    assert_true(lost > 0);
    uint64_t unsent, sent;
    k_pr_status(SCTP_PR_SCTP_RTX, &unsent, &sent);
    sctpng_eng_status st;
    assert_int_equal(sctpng_eng_get_status(t.e.eng, t.e.assoc, &st), 0);
    printf("# to the engine: %u of %u stream-2 messages, kernel abandoned %llu sent, %llu unsent; "
           "engine got %llu FORWARD-TSN\n",
           t.erx.got[2], PR_MSGS, (unsigned long long)sent, (unsigned long long)unsent,
           (unsigned long long)st.fwd_tsn_recvd);
    /* Linux counts every RTX-0 chunk still listed at a SACK as abandoned,
     * acknowledged or not (sctp_check_transmitted asks sctp_chunk_abandoned
     * first), so its count is at least the lost ones. */
    assert_true(sent >= lost);
    assert_int_equal(unsent, 0);
    assert_true(st.fwd_tsn_recvd > 0);
}

static void rtx(bool idata)
{
    epeer_idata = idata;
    kernel_peer_intl = idata;
    /* DATA: two 256 KiB messages on each of streams 1 and 3 around the
     * PR ones; I-DATA: twenty of one fragment each */
    t_big = idata ? REL_SMALL : REL_LEN;
    rel_n = idata ? 20 : 2;
    t_small = idata ? PR_SMALL : PR_LEN;
    t.use_relay = true;
    assert_int_equal(relay_open(&t.r, kernel_backend.peer_udp_port, kernel_backend.engine_udp_port),
                     0);
    t.r.drop = drop_rule;
    associate(true);
    idata_is(idata);
    rtx_engine_to_kernel();
    rtx_kernel_to_engine();
}

static void rtx_data(void **state)
{
    (void)state;
    rtx(false);
}

static void rtx_idata(void **state)
{
    (void)state;
    rtx(true);
}

/* Sends PRIO messages on stream 2 without letting anything out: value 5
 * until the buffer is full, then PRIO_HI of value 0, which must evict.
 * Returns how many of value 5 were taken. */
#define PRIO_LEN 1000
#define PRIO_HI  10

static unsigned prio_fill_engine(void)
{
    uint8_t buf[PRIO_LEN];
    unsigned n = 0;
    for (;; n++) {
        fill(buf, sizeof(buf), ppid_of(2, n));
        sctpng_eng_sndinfo si = {
            .stream = 2, .ppid = ppid_of(2, n), .pr_policy = SCTPNG_ENG_PR_PRIO, .pr_value = 5};
        ssize_t rc = sctpng_eng_send(t.e.eng, t.e.assoc, buf, sizeof(buf), &si, now());
        if (rc == -EAGAIN)
            break;
        assert_int_equal(rc, PRIO_LEN);
    }
    for (unsigned i = 0; i < PRIO_HI; i++) {
        fill(buf, sizeof(buf), ppid_of(2, n + i));
        sctpng_eng_sndinfo si = {
            .stream = 2, .ppid = ppid_of(2, n + i), .pr_policy = SCTPNG_ENG_PR_PRIO, .pr_value = 0};
        assert_int_equal(sctpng_eng_send(t.e.eng, t.e.assoc, buf, sizeof(buf), &si, now()),
                         PRIO_LEN);
    }
    return n;
}

/* The same on the kernel socket, up to the first value-0 message it
 * refuses (EAGAIN); false if it took none (*n: messages before the
 * value-0 ones that test eviction, *hi: those). The first PRIO_LEAD are
 * value 0 too and fill the kernel's first window: Linux prunes sent chunks
 * first (sctp_prsctp_prune) but never those of a value at or below the new
 * message's, so it must evict unsent value-5 ones, whose room is free at
 * once (a sent chunk it abandons keeps its room until acknowledged, and
 * with value-5 chunks in flight it refuses the message). */
#define PRIO_LEAD 20

static bool prio_fill_kernel(unsigned *n, unsigned *hi)
{
    for (*n = 0;; (*n)++) {
        int rc = k_send_once(2, *n, PRIO_LEN, SCTP_PR_SCTP_PRIO, *n < PRIO_LEAD ? 0 : 5);
        if (rc == -EAGAIN)
            break;
        assert_int_equal(rc, 0);
    }
    for (*hi = 0; *hi < PRIO_HI; (*hi)++) {
        int rc = k_send_once(2, *n + *hi, PRIO_LEN, SCTP_PR_SCTP_PRIO, 0);
        if (rc == -EAGAIN)
            break;
        assert_int_equal(rc, 0);
    }
    return *hi > 0;
}

static void prio(bool idata, bool to_kernel)
{
    epeer_idata = idata;
    kernel_peer_intl = idata;
    t_big = t_small = PRIO_LEN;
    /* towards the engine: a window that holds the value-0 lead in flight
     * and no more (prio_fill_kernel; on loopback Linux's first window is
     * 4 x 64 KiB MTU, so its whole send buffer would be in flight) */
    epeer_rwnd = to_kernel ? 0 : 12u << 10;
    associate(true);
    idata_is(idata);
    if (to_kernel) {
        /* the engine: a 64 KiB send buffer, nothing flushed while it fills */
        assert_int_equal(sctpng_eng_set_buffers(t.e.eng, 64u << 10, 0), 0);
        unsigned n = prio_fill_engine();
        uint64_t unsent = 0, sent = 0;
        assert_int_equal(
            sctpng_eng_get_pr_stats(t.e.eng, t.e.assoc, 2, SCTPNG_ENG_PR_PRIO, &unsent, &sent), 0);
        assert_true(unsent >= 1);
        assert_int_equal(sent, 0);
        unsigned want = n + PRIO_HI - (unsigned)unsent;
        wait_rx(&t.krx, (const unsigned[]){0, 0, want, 0}, true);
        settle(true);
        printf("# to the kernel: %u of %u, engine evicted %llu unsent\n", t.krx.got[2], n + PRIO_HI,
               (unsigned long long)unsent);
        assert_int_equal(t.krx.got[2], want);
        return;
    }
    /* the kernel: a 64 KiB send buffer, the engine not stepping meanwhile */
    const int small = 64 << 10;
    assert_int_equal(setsockopt(t.fd, SOL_SOCKET, SO_SNDBUFFORCE, &small, sizeof(small)), 0);
    unsigned n, hi;
    bool evicts = prio_fill_kernel(&n, &hi);
    uint64_t ku, ks;
    k_pr_status(SCTP_PR_SCTP_PRIO, &ku, &ks);
    if (!evicts) {
        /* sctp_prsctp_prune takes sent chunks first and stops once their
         * size covers the message, but moves them to its abandoned list,
         * where their room stays taken until acknowledged */
        printf("# SKIP: with its send buffer full of %u value-5 PRIO messages the kernel "
               "abandoned %llu sent (%llu unsent) for a value-0 one, then refused it (EAGAIN): "
               "the room of sent chunks is freed only when they are acknowledged\n",
               n, (unsigned long long)ks, (unsigned long long)ku);
        skip();
    }
    settle(false);
    k_pr_status(SCTP_PR_SCTP_PRIO, &ku, &ks);
    printf("# to the engine: %u of %u (%u of value 0 taken), kernel evicted %llu unsent %llu "
           "sent\n",
           t.erx.got[2], n + hi, hi, (unsigned long long)ku, (unsigned long long)ks);
    assert_true(ku + ks >= 1);
    assert_int_equal(t.erx.got[2], n + hi - (unsigned)(ku + ks));
}

static void prio_to_kernel_data(void **state)
{
    (void)state;
    prio(false, true);
}

static void prio_to_kernel_idata(void **state)
{
    (void)state;
    prio(true, true);
}

static void prio_to_engine_data(void **state)
{
    (void)state;
    prio(false, false);
}

static void prio_to_engine_idata(void **state)
{
    (void)state;
    prio(true, false);
}

static int cleanup(void **state)
{
    (void)state;
    kernel_peer_close(t.k);
    kernel_peer_close(t.listener);
    if (t.e.eng)
        epeer_close(&t.e);
    if (t.use_relay)
        relay_close(&t.r);
    for (int s = 0; s < NSTREAMS; s++)
        free(t.krx.buf[s]);
    free(t.seen[0]);
    free(t.seen[1]);
    int old = t.old_intl;
    memset(&t, 0, sizeof(t));
    t.old_intl = old;
    epeer_idata = kernel_peer_intl = true;
    epeer_rwnd = 0;
    kernel_peer_pd_point = 4096;
    return 0;
}

static int setup(void **state)
{
    epeer_idata = kernel_peer_intl = true;
    epeer_sched = SCTPNG_ENG_SCHED_RR;
    /* Room for both big messages at the kernel (at its default window it
     * drops what goes beyond; it starts partial delivery only with a gap
     * or at a partial delivery point), whose pieces it delivers from 4 KiB. */
    kernel_peer_bufs = 8 << 20;
    kernel_peer_pd_point = 4096;
    if (kernel_env_setup(state) < 0)
        return -1;
    int rc = kernel_set_intl_enable(true, &t.old_intl);
    if (rc < 0) {
        fprintf(stderr, "# cannot set net.sctp.intl_enable: %s\n", strerror(-rc));
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    kernel_set_intl_enable(t.old_intl != 0, NULL);
    return kernel_env_teardown(state);
}

int main(void)
{
    if (kernel_env_no_encap())
        return 0;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(intl_to_kernel_client, cleanup),
        cmocka_unit_test_teardown(intl_option_to_kernel, cleanup),
        cmocka_unit_test_teardown(intl_to_kernel_server, cleanup),
        cmocka_unit_test_teardown(intl_to_engine_client, cleanup),
        cmocka_unit_test_teardown(intl_to_engine_server, cleanup),
        cmocka_unit_test_teardown(rtx_data, cleanup),
        cmocka_unit_test_teardown(rtx_idata, cleanup),
        cmocka_unit_test_teardown(prio_to_kernel_data, cleanup),
        cmocka_unit_test_teardown(prio_to_kernel_idata, cleanup),
        cmocka_unit_test_teardown(prio_to_engine_data, cleanup),
        cmocka_unit_test_teardown(prio_to_engine_idata, cleanup),
    };
    return interop_run("interop_kernel_idata", tests, sizeof(tests) / sizeof(tests[0]), setup,
                       teardown);
}
