/*
 * webrtc_peer: a WebRTC data-channel peer in C on the sctp-ng engine.
 *
 *   ICE-lite (stun.c) + DTLS 1.2 (dtls.c) on one UDP socket, demultiplexed
 *   by first byte (RFC 7983); SCTP (the sans-IO engine) inside DTLS; data
 *   channels with DCEP (channels.c, dcep.c); SDP answer (sdp.c).
 *
 * It reads the peer's SDP offer on stdin up to a line ".", writes its
 * answer on stdout followed by ".", then takes commands on stdin and
 * reports events on stdout, one line each (see README.md):
 *   open LABEL ORDERED MAXRTX MAXLIFE [PROTOCOL]   (-1: not set)
 *   send SID LEN bin|str      a pattern message (see pattern())
 *   echo 0|1                  echo every message back (default 1)
 *   close SID                 (reset our outgoing stream; "closed sid=N" follows)
 *   drop N [after K]          lose our next N packets that carry DATA, after
 *                             letting K through (tests)
 *   status                    what was negotiated
 *   quit
 * Options: --setup active|passive (DTLS role, default passive),
 *          --addr A (host candidate, default 127.0.0.1).
 */

#include "channels.h"
#include "dcep.h"
#include "dtls.h"
#include "sdp.h"
#include "stun.h"
#include "peer.h"
#include "wire.h"

#include <sctpng/pcap.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/rand.h>

uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void die(const char *what)
{
    printf("error %s\n", what);
    fflush(stdout);
    exit(1);
}

static void rnd(void *ctx, uint8_t *buf, size_t len)
{
    (void)ctx;
    if (RAND_bytes(buf, (int)len) != 1)
        die("RAND_bytes");
}

/* ICE credentials: letters and digits (RFC 8839 ice-char). */
static void random_token(char *out, size_t n)
{
    static const char set[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    uint8_t b[64];
    rnd(NULL, b, n);
    for (size_t i = 0; i < n; i++)
        out[i] = set[b[i] % (sizeof(set) - 1)];
    out[n] = 0;
}

/* ------------------------------------------------------------ transport */

static void udp_send(void *ctx, const uint8_t *buf, size_t len)
{
    struct peer *p = ctx;
    if (p->have_remote)
        sendto(p->fd, buf, len, 0, (struct sockaddr *)&p->remote, p->remote_len);
}

static void on_stun(struct peer *p, const uint8_t *buf, size_t len,
                    const struct sockaddr_storage *from, socklen_t flen)
{
    struct stun_msg m;
    if (stun_parse(buf, len, &m) < 0 || m.type != STUN_BINDING_REQ ||
        stun_check_fingerprint(buf, len, &m) < 0 || !stun_username_ok(&m, p->ufrag) ||
        stun_check_integrity(buf, len, &m, p->pwd) < 0) {
        p->stun_bad++; /* responses to nothing, or not for us: dropped */
        return;
    }
    p->stun_ok++;
    uint8_t out[256];
    int n = stun_binding_response(out, sizeof(out), m.txid, from, p->pwd);
    if (n > 0)
        sendto(p->fd, out, (size_t)n, 0, (const struct sockaddr *)from, flen);
    /* ICE-lite: the controlling agent's nomination (or its first check
     * until it nominates) picks where DTLS goes. */
    if (!p->have_remote || m.use_candidate) {
        memcpy(&p->remote, from, flen);
        p->remote_len = flen;
        p->have_remote = true;
    }
    if (p->client && !dtls_connected(p->dtls) && !dtls_failed(p->dtls) &&
        dtls_timeout_ms(p->dtls) < 0)
        dtls_start(p->dtls);
}

static void on_dtls(struct peer *p, const uint8_t *buf, size_t len, uint64_t now)
{
    bool was = dtls_connected(p->dtls);
    if (dtls_input(p->dtls, buf, len) < 0)
        return;
    if (!was && dtls_connected(p->dtls))
        printf("dtls connected role=%s\n", p->client ? "client" : "server");
    uint8_t rec[65536];
    int n;
    sctpng_eng_path path = {0};
    wire_path(&path);
    while ((n = dtls_read(p->dtls, rec, sizeof(rec))) > 0)
        sctpng_eng_input(p->eng, rec, (size_t)n, &path, now);
}

static void read_udp(struct peer *p, uint64_t now)
{
    uint8_t buf[65536];
    for (;;) {
        struct sockaddr_storage from;
        socklen_t flen = sizeof(from);
        ssize_t n =
            recvfrom(p->fd, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&from, &flen);
        if (n <= 0)
            return;
        if (buf[0] <= 3) /* RFC 7983: 0..3 STUN, 20..63 DTLS, others dropped */
            on_stun(p, buf, (size_t)n, &from, flen);
        else if (buf[0] >= 20 && buf[0] <= 63 && p->have_remote)
            on_dtls(p, buf, (size_t)n, now);
    }
}

/* ---------------------------------------------------------- the engine */

static void dc_opened(void *ctx, uint16_t sid, const struct dc_chan *c)
{
    (void)ctx;
    printf("channel sid=%u label=%s protocol=%s type=0x%02x rel=%u prio=%u\n", sid, c->label,
           c->protocol, c->type, c->reliability, c->priority);
}

static void dc_acked(void *ctx, uint16_t sid)
{
    (void)ctx;
    printf("acked sid=%u\n", sid);
}

static void dc_message(void *ctx, uint16_t sid, bool binary, const uint8_t *data, size_t len)
{
    struct peer *p = ctx;
    printf("msg sid=%u kind=%s len=%zu fnv=%08x\n", sid, binary ? "bin" : "str", len,
           fnv1a(data, len));
    if (p->echo) {
        int r = dc_send(&p->dc, sid, binary, data, len, now_ns());
        if (r < 0)
            printf("error echo sid=%u: %s\n", sid, strerror(-r));
    }
}

static void dc_error(void *ctx, const char *what)
{
    (void)ctx;
    printf("error %s\n", what);
}

static void dc_closed(void *ctx, uint16_t sid)
{
    (void)ctx;
    printf("closed sid=%u\n", sid);
}

static void handle_events(struct peer *p, uint64_t now)
{
    sctpng_eng_event ev;
    while (sctpng_eng_poll_event(p->eng, &ev) == 1) {
        switch (ev.type) {
        case SCTPNG_ENG_EV_ASSOC_UP: {
            p->assoc = ev.assoc;
            p->up = true;
            struct dc_callbacks cb = {dc_opened, dc_acked, dc_message, dc_error, dc_closed};
            if (dc_init(&p->dc, p->eng, ev.assoc, p->client, &cb, p) < 0)
                die("out of memory");
            printf("ready in=%u out=%u\n", ev.u.up.in_streams, ev.u.up.out_streams);
            break;
        }
        case SCTPNG_ENG_EV_DATA_READY:
            if (p->up)
                dc_receive(&p->dc, now);
            break;
        case SCTPNG_ENG_EV_ASSOC_DOWN:
            printf("down reason=%d error=%d\n", ev.u.down.reason, ev.u.down.error);
            p->done = true;
            break;
        case SCTPNG_ENG_EV_STREAM_RESET:
            if (p->up)
                dc_on_reset(&p->dc, &ev, now);
            break;
        case SCTPNG_ENG_EV_REMOTE_ERROR:
            printf("remote-error cause=%u\n", ev.u.remote_error.cause);
            break;
        default:
            break;
        }
    }
}

/* Drains the engine: events, then packets into DTLS records. */
static void pump(struct peer *p, uint64_t now)
{
    for (int round = 0; round < 4; round++) {
        handle_events(p, now);
        if (p->up) {
            dc_flush(&p->dc, now);
            dc_close_flush(&p->dc, now);
        }
        uint8_t pkt[2048];
        sctpng_eng_path to;
        ssize_t n;
        while ((n = sctpng_eng_output(p->eng, now, pkt, sizeof(pkt), &to)) > 0) {
            if (p->drop && p->drop_skip && wire_has_data(pkt, (size_t)n)) {
                p->drop_skip--;
            } else if (p->drop && wire_has_data(pkt, (size_t)n)) {
                p->drop--; /* as if the network lost it */
                p->dropped++;
                continue;
            }
            if (dtls_connected(p->dtls))
                dtls_write(p->dtls, pkt, (size_t)n);
        }
    }
    fflush(stdout);
}

/* ----------------------------------------------------------- set-up */

/* Reads stdin up to a line "." into buf, byte by byte so that nothing
 * after it is taken from the commands that follow. Returns the length. */
static size_t read_offer(char *buf, size_t cap)
{
    size_t n = 0, line_start = 0;
    char c;
    while (read(0, &c, 1) == 1) {
        if (n + 1 >= cap)
            die("offer too long");
        buf[n++] = c;
        if (c != '\n')
            continue;
        size_t l = n - line_start;
        if ((l == 2 && buf[line_start] == '.') ||
            (l == 3 && buf[line_start] == '.' && buf[line_start + 1] == '\r'))
            return line_start;
        line_start = n;
    }
    return n;
}

static void setup_socket(struct peer *p, const char *addr, uint16_t *port)
{
    struct sockaddr_storage ss = {0};
    socklen_t len;
    if (strchr(addr, ':')) {
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
        s6->sin6_family = AF_INET6;
        if (inet_pton(AF_INET6, addr, &s6->sin6_addr) != 1)
            die("bad --addr");
        len = sizeof(*s6);
    } else {
        struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
        s4->sin_family = AF_INET;
        if (inet_pton(AF_INET, addr, &s4->sin_addr) != 1)
            die("bad --addr");
        len = sizeof(*s4);
    }
    p->fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    /* Room for a burst of a large message (capped by net.core.rmem_max). */
    int rcvbuf = 4 << 20;
    if (p->fd >= 0)
        setsockopt(p->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
    if (p->fd < 0 || bind(p->fd, (struct sockaddr *)&ss, len) < 0 ||
        getsockname(p->fd, (struct sockaddr *)&ss, &len) < 0)
        die("UDP socket");
    *port = ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
                                          : ((struct sockaddr_in6 *)&ss)->sin6_port);
}

/* The engine's packet tap: the negotiation report, and the capture. */
static void tap(void *ctx, sctpng_eng_dir dir, const uint8_t *pkt, size_t len,
                const sctpng_eng_path *path, uint64_t now)
{
    struct peer *p = ctx;
    wire_tap(&p->wire, dir, pkt, len, path, now);
    if (p->pcap)
        sctpng_pcap_tap(p->pcap, dir, pkt, len, path, now);
}

static void setup_engine(struct peer *p)
{
    uint8_t secret[32];
    rnd(NULL, secret, sizeof(secret));
    sctpng_eng_config cfg;
    sctpng_eng_config_init(&cfg);
    cfg.local_port = p->offer.sctp_port; /* both ends use the same port (RFC 8841 5) */
    cfg.accept = true;                   /* the browser side sends INIT */
    cfg.out_streams = cfg.in_streams = DC_MAX_STREAMS;
    cfg.max_message = DC_MAX_MESSAGE;
    cfg.cookie_secret = secret;
    cfg.cookie_secret_len = sizeof(secret);
    cfg.random = rnd;
    cfg.idata = true;
    cfg.reconf = true; /* channels close by resetting their streams (RFC 8831 6.7) */
    cfg.reconf_enable = SCTPNG_ENG_RECONF_RESET_STREAMS;
    cfg.zero_checksum_edmid = SCTPNG_ENG_EDMID_DTLS;
    cfg.nodelay = true;
    /* Above the peer's delayed-SACK time (dcsctp: 200 ms), or a lone
     * message's T3 fires just as its SACK comes and a maxRetransmits=0
     * message already delivered is abandoned (dcsctp's own RTO.Min is
     * 220 ms for the same reason). */
    cfg.rto_min_ms = 250;
    if (sctpng_eng_new(&cfg, &p->eng) < 0)
        die("sctpng_eng_new");
    /* WEBRTC_PCAP=FILE: every SCTP packet (as inside DTLS) for Wireshark. */
    const char *pcap = getenv("WEBRTC_PCAP");
    if (pcap && sctpng_pcap_open(&p->pcap, pcap) < 0)
        die("cannot open WEBRTC_PCAP");
    sctpng_eng_set_packet_tap(p->eng, tap, p);
}

static void answer(struct peer *p, const char *addr, uint16_t port)
{
    char buf[4096];
    struct sdp_local l = {.ice_ufrag = p->ufrag,
                          .ice_pwd = p->pwd,
                          .fingerprint = dtls_cert_fingerprint(p->cert),
                          .mid = p->offer.mid[0] ? p->offer.mid : "0",
                          .setup = p->client ? SDP_SETUP_ACTIVE : SDP_SETUP_PASSIVE,
                          .addr = addr,
                          .port = port,
                          .sctp_port = p->offer.sctp_port,
                          .max_message_size = DC_MAX_MESSAGE};
    rnd(NULL, (uint8_t *)&l.session_id, sizeof(l.session_id));
    l.session_id &= 0x7FFFFFFFFFFFFFFFull;
    if (sdp_write_answer(buf, sizeof(buf), &l) < 0)
        die("answer too long");
    fputs(buf, stdout);
    puts(".");
    fflush(stdout);
}

/* Everything freed, so a sanitizer build reports real leaks only. */
static void cleanup(struct peer *p)
{
    if (p->pcap)
        sctpng_pcap_close(p->pcap);
    if (p->up)
        dc_free(&p->dc);
    sctpng_eng_free(p->eng);
    dtls_free(p->dtls);
    dtls_cert_free(p->cert);
    close(p->fd);
    fflush(stdout);
}

static int next_timeout(struct peer *p, uint64_t now)
{
    uint64_t dl = sctpng_eng_deadline(p->eng);
    int t = 1000;
    if (dl != UINT64_MAX)
        t = dl <= now ? 0 : (int)((dl - now) / 1000000 + 1);
    int dt = dtls_timeout_ms(p->dtls);
    if (dt >= 0 && dt < t)
        t = dt;
    return t < 1000 ? t : 1000;
}

int main(int argc, char **argv)
{
    static struct peer p; /* large (the channel table): not on the stack */
    const char *addr = "127.0.0.1";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--setup") == 0)
            p.client = strcmp(argv[i + 1], "active") == 0;
        else if (strcmp(argv[i], "--addr") == 0)
            addr = argv[i + 1];
    }
    p.echo = true;
    setvbuf(stdout, NULL, _IOLBF, 0);
    static char offer[65536];
    size_t olen = read_offer(offer, sizeof(offer));
    if (sdp_parse(offer, olen, &p.offer) < 0)
        die("offer is not a data-channel SDP");
    if (p.offer.setup == SDP_SETUP_ACTIVE)
        p.client = false;
    else if (p.offer.setup == SDP_SETUP_PASSIVE)
        p.client = true;
    random_token(p.ufrag, 8);
    random_token(p.pwd, 24);
    if (dtls_cert_new(&p.cert) < 0)
        die("certificate");
    p.dtls = dtls_new(p.cert, p.client, p.offer.fingerprint, udp_send, &p);
    if (!p.dtls)
        die("DTLS context");
    uint16_t port;
    setup_socket(&p, addr, &port);
    setup_engine(&p);
    answer(&p, addr, port);

    char line[1024];
    size_t ll = 0;
    struct pollfd fds[2] = {{.fd = p.fd, .events = POLLIN}, {.fd = 0, .events = POLLIN}};
    while (!p.done) {
        uint64_t now = now_ns();
        poll(fds, 2, next_timeout(&p, now));
        now = now_ns();
        if (fds[0].revents & POLLIN)
            read_udp(&p, now);
        dtls_timeout(p.dtls);
        if (dtls_failed(p.dtls)) {
            /* close_notify is how the browser side says goodbye. */
            if (strcmp(dtls_error(p.dtls), "peer sent close_notify") == 0) {
                printf("closed by the peer\n");
                break;
            }
            die(dtls_error(p.dtls));
        }
        if (sctpng_eng_deadline(p.eng) <= now)
            sctpng_eng_timeout(p.eng, now);
        pump(&p, now);
        if (fds[1].revents & (POLLIN | POLLHUP)) {
            ssize_t n = read(0, line + ll, sizeof(line) - 1 - ll);
            if (n <= 0)
                break; /* stdin closed: done */
            ll += (size_t)n;
            char *nl;
            while (!p.done && (nl = memchr(line, '\n', ll))) {
                *nl = 0;
                command(&p, line, now);
                ll -= (size_t)(nl + 1 - line);
                memmove(line, nl + 1, ll);
            }
            if (ll == sizeof(line) - 1)
                ll = 0;
            pump(&p, now);
        }
    }
    cleanup(&p);
    return 0;
}
