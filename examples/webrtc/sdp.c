/* SDP offer parsing and answer writing: see sdp.h. */
#include "sdp.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Copies value[0..n) into dst (cap bytes), or fails if it does not fit. */
static int copy_value(char *dst, size_t cap, const char *v, size_t n)
{
    if (n == 0 || n >= cap)
        return -EBADMSG;
    memcpy(dst, v, n);
    dst[n] = 0;
    return 0;
}

static bool starts(const char *line, size_t n, const char *prefix, const char **rest, size_t *rn)
{
    size_t p = strlen(prefix);
    if (n < p || memcmp(line, prefix, p) != 0)
        return false;
    *rest = line + p;
    *rn = n - p;
    return true;
}

static int parse_u64(const char *v, size_t n, uint64_t max, uint64_t *out)
{
    uint64_t x = 0;
    if (n == 0 || n > 20)
        return -EBADMSG;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)v[i]))
            return -EBADMSG;
        x = x * 10 + (uint64_t)(v[i] - '0');
        if (x > max)
            return -EBADMSG;
    }
    *out = x;
    return 0;
}

/* "sha-256 AB:CD:..." (the hash name is case-insensitive, RFC 8122). */
static int parse_fingerprint(const char *v, size_t n, struct sdp_info *o)
{
    if (n < 8 || strncasecmp(v, "sha-256 ", 8) != 0)
        return 0; /* another hash: ignored, a later line may have sha-256 */
    v += 8;
    n -= 8;
    if (n != 32 * 3 - 1)
        return -EBADMSG;
    for (size_t i = 0; i < n; i++) {
        bool colon = i % 3 == 2;
        if (colon ? v[i] != ':' : !isxdigit((unsigned char)v[i]))
            return -EBADMSG;
        o->fingerprint[i] = (char)toupper((unsigned char)v[i]);
    }
    o->fingerprint[n] = 0;
    return 0;
}

static int parse_setup(const char *v, size_t n, struct sdp_info *o)
{
    static const struct {
        const char *s;
        enum sdp_setup v;
    } t[] = {{"actpass", SDP_SETUP_ACTPASS},
             {"active", SDP_SETUP_ACTIVE},
             {"passive", SDP_SETUP_PASSIVE}};
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        if (n == strlen(t[i].s) && memcmp(v, t[i].s, n) == 0) {
            o->setup = t[i].v;
            return 0;
        }
    return -EBADMSG;
}

/* One "a=" attribute. In_dc: we are inside the data-channel m-section. */
static int parse_attr(const char *a, size_t n, bool in_dc, struct sdp_info *o)
{
    const char *v;
    size_t vn;
    uint64_t x;
    if (starts(a, n, "ice-ufrag:", &v, &vn))
        return copy_value(o->ice_ufrag, sizeof(o->ice_ufrag), v, vn);
    if (starts(a, n, "ice-pwd:", &v, &vn))
        return copy_value(o->ice_pwd, sizeof(o->ice_pwd), v, vn);
    if (starts(a, n, "fingerprint:", &v, &vn))
        return parse_fingerprint(v, vn, o);
    if (starts(a, n, "setup:", &v, &vn))
        return parse_setup(v, vn, o);
    if (n == 8 && memcmp(a, "ice-lite", 8) == 0) {
        o->ice_lite = true;
        return 0;
    }
    if (!in_dc)
        return 0;
    if (starts(a, n, "mid:", &v, &vn))
        return copy_value(o->mid, sizeof(o->mid), v, vn);
    if (starts(a, n, "sctp-port:", &v, &vn)) {
        if (parse_u64(v, vn, 65535, &x) < 0 || x == 0)
            return -EBADMSG;
        o->sctp_port = (uint16_t)x;
        return 0;
    }
    if (starts(a, n, "max-message-size:", &v, &vn)) {
        if (parse_u64(v, vn, UINT64_MAX / 10, &x) < 0)
            return -EBADMSG;
        o->max_message_size = x; /* 0 means "no limit" (RFC 8841 6) */
        return 0;
    }
    return 0;
}

/* m=application <port> UDP/DTLS/SCTP webrtc-datachannel (also the older
 * TCP/DTLS/SCTP and DTLS/SCTP spellings are not data channels we take). */
static bool is_dc_mline(const char *v, size_t n)
{
    const char *want = " UDP/DTLS/SCTP webrtc-datachannel";
    size_t w = strlen(want);
    if (n < 12 || memcmp(v, "application ", 12) != 0)
        return false;
    const char *p = memchr(v + 12, ' ', n - 12);
    return p && (size_t)(v + n - p) == w && memcmp(p, want, w) == 0;
}

int sdp_parse(const char *text, size_t len, struct sdp_info *o)
{
    memset(o, 0, sizeof(*o));
    o->sctp_port = 5000;
    o->max_message_size = 65536;
    int section = 0; /* 0 session, 1 our data channel, 2 another m-section */
    size_t i = 0;
    while (i < len) {
        size_t e = i;
        while (e < len && text[e] != '\n')
            e++;
        size_t n = e - i;
        if (n && text[i + n - 1] == '\r')
            n--;
        const char *line = text + i;
        i = e + 1;
        if (n >= 2 && line[1] == '=' && line[0] == 'm') {
            bool dc = !o->has_datachannel && is_dc_mline(line + 2, n - 2);
            if (dc)
                o->has_datachannel = true;
            section = dc ? 1 : 2;
        } else if (n >= 2 && line[1] == '=' && line[0] == 'a' && section != 2) {
            int r = parse_attr(line + 2, n - 2, section == 1, o);
            if (r < 0)
                return r;
        }
    }
    if (!o->has_datachannel || !o->ice_ufrag[0] || !o->ice_pwd[0] || !o->fingerprint[0])
        return -EBADMSG;
    return 0;
}

int sdp_write_answer(char *out, size_t cap, const struct sdp_local *l)
{
    const char *ipv = strchr(l->addr, ':') ? "IP6" : "IP4";
    int n =
        snprintf(out, cap,
                 "v=0\r\n"
                 "o=- %" PRIu64 " 2 IN %s %s\r\n"
                 "s=-\r\n"
                 "t=0 0\r\n"
                 "a=group:BUNDLE %s\r\n"
                 "a=ice-lite\r\n"
                 "m=application %u UDP/DTLS/SCTP webrtc-datachannel\r\n"
                 "c=IN %s %s\r\n"
                 "a=mid:%s\r\n"
                 "a=ice-ufrag:%s\r\n"
                 "a=ice-pwd:%s\r\n"
                 "a=fingerprint:sha-256 %s\r\n"
                 "a=setup:%s\r\n"
                 "a=sctp-port:%u\r\n"
                 "a=max-message-size:%" PRIu64 "\r\n"
                 "a=candidate:1 1 udp 2130706431 %s %u typ host\r\n"
                 "a=end-of-candidates\r\n",
                 l->session_id, ipv, l->addr, l->mid, l->port, ipv, l->addr, l->mid, l->ice_ufrag,
                 l->ice_pwd, l->fingerprint, l->setup == SDP_SETUP_ACTIVE ? "active" : "passive",
                 l->sctp_port, l->max_message_size, l->addr, l->port);
    if (n < 0 || (size_t)n >= cap)
        return -ENOBUFS;
    return n;
}
