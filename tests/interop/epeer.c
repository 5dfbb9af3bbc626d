/* epeer: the engine side of interop tests; see epeer.h. */
#include "epeer.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

static void random_bytes(void *ctx, uint8_t *buf, size_t len)
{
    (void)ctx;
    while (len) {
        ssize_t n = getrandom(buf, len, 0);
        if (n > 0) {
            buf += n;
            len -= (size_t)n;
        }
    }
}

static int make_addr(const char *ip, uint16_t port, struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof(*ss));
    struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, ip, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        return 0;
    }
    if (inet_pton(AF_INET6, ip, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        return 0;
    }
    return -EINVAL;
}

int epeer_open(struct epeer *p, uint16_t sctp_port, bool accept, const char *ip, uint16_t udp_port)
{
    memset(p, 0, sizeof(*p));
    uint8_t secret[32];
    random_bytes(NULL, secret, sizeof(secret));
    sctpng_eng_config cfg;
    sctpng_eng_config_init(&cfg);
    cfg.local_port = sctp_port;
    cfg.accept = accept;
    cfg.cookie_secret = secret;
    cfg.cookie_secret_len = sizeof(secret);
    cfg.random = random_bytes;
    static const uint8_t types[] = {0, 6}; /* DATA, ABORT */
    cfg.auth = epeer_auth.on;
    cfg.auth_chunks = types;
    cfg.n_auth_chunks = epeer_auth.on ? 1u + epeer_auth.abort : 0;
    cfg.reconf = epeer_reconf;
    cfg.adaptation_ind = epeer_adaptation;
    cfg.reconf_enable = epeer_reconf
                            ? SCTPNG_ENG_RECONF_RESET_STREAMS | SCTPNG_ENG_RECONF_RESET_ASSOC |
                                  SCTPNG_ENG_RECONF_ADD_STREAMS
                            : 0;
    cfg.idata = epeer_idata;
    cfg.scheduler = (uint8_t)epeer_sched;
    if (epeer_rwnd)
        cfg.rwnd = epeer_rwnd;
    int rc = sctpng_eng_new(&cfg, &p->eng);
    if (rc < 0)
        return rc;
    if (epeer_auth.on && ((rc = sctpng_eng_auth_set_key(p->eng, 0, epeer_auth.key_id,
                                                        epeer_auth.key, epeer_auth.len)) < 0 ||
                          (rc = sctpng_eng_auth_activate_key(p->eng, 0, epeer_auth.key_id)) < 0)) {
        sctpng_eng_free(p->eng);
        return rc;
    }
    sctpng_udp_config ucfg;
    sctpng_udp_config_init(&ucfg);
    /* GSO stays off (a GSO datagram to kernel SCTP on the same host
     * crashes Linux 6.1); SCTPNG_UDP_GSO=1, as for the UDP backend, turns
     * it on for a run that checks a kernel (README, GSO caveat). */
    const char *gso = getenv("SCTPNG_UDP_GSO");
    ucfg.gso = gso && strcmp(gso, "1") == 0;
    rc = make_addr(ip, udp_port, &ucfg.local);
    if (rc == 0)
        rc = sctpng_udp_open(&ucfg, p->eng, &p->udp);
    if (rc < 0) {
        sctpng_eng_free(p->eng);
        p->eng = NULL;
    }
    return rc;
}

void epeer_close(struct epeer *p)
{
    sctpng_udp_close(p->udp);
    sctpng_eng_free(p->eng);
    for (size_t i = 0; i < sizeof(p->part) / sizeof(p->part[0]); i++)
        free(p->part[i].buf);
    memset(p, 0, sizeof(*p));
}

int epeer_connect(struct epeer *p, const char *ip, uint16_t udp_port, uint16_t sctp_port)
{
    struct sockaddr_storage peer;
    int rc = make_addr(ip, udp_port, &peer);
    uint64_t now = sctpng_udp_now();
    if (rc == 0)
        rc = sctpng_eng_connect(p->eng, &peer, 1, sctp_port, now, &p->assoc);
    sctpng_udp_flush(p->udp, now);
    return rc;
}

struct epeer_auth epeer_auth;
bool epeer_reconf;
uint32_t epeer_adaptation;
bool epeer_idata;
int epeer_sched;
uint32_t epeer_rwnd;

/* An association up with AUTH in use and DATA required by the peer. */
static void count_auth(struct epeer *p, uint32_t id)
{
    uint8_t types[32];
    int n = sctpng_eng_auth_get_chunks(p->eng, id, true, types, sizeof(types));
    for (int i = 0; i < n && i < (int)sizeof(types); i++)
        if (types[i] == 0) {
            epeer_auth.auth_ups++;
            return;
        }
}

static void on_event(struct epeer *p, const sctpng_eng_event *ev)
{
    switch (ev->type) {
    case SCTPNG_ENG_EV_ASSOC_UP:
        p->ups++;
        p->assoc = ev->assoc;
        if (epeer_auth.on)
            count_auth(p, ev->assoc);
        break;
    case SCTPNG_ENG_EV_AUTH:
        if (ev->u.auth.indication == SCTPNG_ENG_AUTH_NO_AUTH)
            epeer_auth.no_auth++;
        break;
    case SCTPNG_ENG_EV_ASSOC_DOWN:
        p->downs++;
        p->down_reason = ev->u.down.reason;
        p->down_cause = ev->u.down.cause;
        break;
    case SCTPNG_ENG_EV_SHUTDOWN:
        p->shutdowns++;
        break;
    case SCTPNG_ENG_EV_SEND_FAILED:
        p->send_failed++;
        break;
    default:
        break;
    }
    if (p->on_event)
        p->on_event(p, ev);
}

static void piece(struct epeer *p, const sctpng_eng_rcvinfo *ri, const uint8_t *buf, size_t n)
{
    p->bytes_read += n;
    if (ri->stream >= EPEER_STREAMS)
        abort(); /* a test with more streams must raise EPEER_STREAMS */
    struct epeer_part *m = &p->part[2 * ri->stream + ri->unordered];
    if (!m->in_msg) {
        m->first = *ri;
        m->len = 0;
        m->in_msg = true;
    }
    if (m->len + n > m->cap) {
        m->cap = (m->len + n) * 2;
        m->buf = realloc(m->buf, m->cap);
        if (!m->buf)
            abort();
    }
    memcpy(m->buf + m->len, buf, n);
    m->len += n;
    if (!ri->complete)
        return;
    m->in_msg = false;
    if (p->on_msg)
        p->on_msg(p, &m->first, m->buf, m->len);
    if (p->rx)
        xfer_received(p->rx, m->first.stream, m->first.ppid, m->first.unordered, m->buf, m->len);
}

size_t epeer_partial(const struct epeer *p, uint16_t sid)
{
    const struct epeer_part *m = &p->part[2 * (sid % EPEER_STREAMS)];
    return m->in_msg ? m->len : 0;
}

static void read_all(struct epeer *p)
{
    static uint8_t buf[65536];
    sctpng_eng_rcvinfo ri;
    ssize_t n;
    while ((n = sctpng_eng_recv(p->eng, 0, buf, sizeof(buf), &ri)) > 0)
        piece(p, &ri, buf, (size_t)n);
}

static void send_all(struct epeer *p, uint64_t now)
{
    const struct xfer_msg *m;
    uint32_t ppid;
    while (p->tx && p->assoc && !p->send_error && (m = xfer_next(p->tx, &ppid)) != NULL) {
        sctpng_eng_sndinfo si = {.stream = m->stream, .ppid = ppid, .unordered = m->unordered};
        ssize_t rc = sctpng_eng_send(p->eng, p->assoc, p->tx->buf, m->len, &si, now);
        if (rc == -EAGAIN)
            return;
        if (rc != (ssize_t)m->len) {
            p->send_error = rc < 0 ? (int)rc : -EIO;
            return;
        }
        xfer_sent(p->tx);
    }
}

void epeer_step(struct epeer *p, int max_wait_ms)
{
    sctpng_udp_step(p->udp, max_wait_ms);
    sctpng_eng_event ev;
    while (sctpng_eng_poll_event(p->eng, &ev) == 1)
        on_event(p, &ev);
    uint64_t now = sctpng_udp_now();
    read_all(p);
    send_all(p, now);
    sctpng_udp_flush(p->udp, now);
}

int epeer_shutdown(struct epeer *p)
{
    uint64_t now = sctpng_udp_now();
    int rc = sctpng_eng_shutdown(p->eng, p->assoc, now);
    sctpng_udp_flush(p->udp, now);
    return rc;
}

int epeer_abort(struct epeer *p)
{
    uint64_t now = sctpng_udp_now();
    int rc = sctpng_eng_abort(p->eng, p->assoc, NULL, 0, now);
    sctpng_udp_flush(p->udp, now);
    return rc;
}
