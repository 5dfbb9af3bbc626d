/*
 * Unit tests of examples/webrtc's parsers: STUN (against RFC 5769's test
 * vectors), SDP (a libwebrtc offer as @roamhq/wrtc writes it), DCEP, and
 * the INIT parameter scan of the negotiation report.
 */
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "dcep.h"
#include "sdp.h"
#include "stun.h"
#include "wire.h"

/* RFC 5769 2.1: a Binding request with SOFTWARE, PRIORITY, ICE-CONTROLLED,
 * USERNAME "evtj:h6vY", MESSAGE-INTEGRITY (password below), FINGERPRINT. */
static const uint8_t rfc5769_req[108] = {
    0x00, 0x01, 0x00, 0x58, 0x21, 0x12, 0xa4, 0x42, 0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86,
    0xfa, 0x87, 0xdf, 0xae, 0x80, 0x22, 0x00, 0x10, 0x53, 0x54, 0x55, 0x4e, 0x20, 0x74, 0x65, 0x73,
    0x74, 0x20, 0x63, 0x6c, 0x69, 0x65, 0x6e, 0x74, 0x00, 0x24, 0x00, 0x04, 0x6e, 0x00, 0x01, 0xff,
    0x80, 0x29, 0x00, 0x08, 0x93, 0x2f, 0xf9, 0xb1, 0x51, 0x26, 0x3b, 0x36, 0x00, 0x06, 0x00, 0x09,
    0x65, 0x76, 0x74, 0x6a, 0x3a, 0x68, 0x36, 0x76, 0x59, 0x20, 0x20, 0x20, 0x00, 0x08, 0x00, 0x14,
    0x9a, 0xea, 0xa7, 0x0c, 0xbf, 0xd8, 0xcb, 0x56, 0x78, 0x1e, 0xf2, 0xb5, 0xb2, 0xd3, 0xf2, 0x49,
    0xc1, 0xb5, 0x71, 0xa2, 0x80, 0x28, 0x00, 0x04, 0xe5, 0x7a, 0x3b, 0xcf};
/* RFC 5769 2.2: the IPv4 response, mapped address 192.0.2.1 port 32853. */
static const uint8_t rfc5769_resp4[80] = {
    0x01, 0x01, 0x00, 0x3c, 0x21, 0x12, 0xa4, 0x42, 0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86,
    0xfa, 0x87, 0xdf, 0xae, 0x80, 0x22, 0x00, 0x0b, 0x74, 0x65, 0x73, 0x74, 0x20, 0x76, 0x65, 0x63,
    0x74, 0x6f, 0x72, 0x20, 0x00, 0x20, 0x00, 0x08, 0x00, 0x01, 0xa1, 0x47, 0xe1, 0x12, 0xa6, 0x43,
    0x00, 0x08, 0x00, 0x14, 0x2b, 0x91, 0xf5, 0x99, 0xfd, 0x9e, 0x90, 0xc3, 0x8c, 0x74, 0x89, 0xf9,
    0x2a, 0xf9, 0xba, 0x53, 0xf0, 0x6b, 0xe7, 0xd7, 0x80, 0x28, 0x00, 0x04, 0xc0, 0x7d, 0x4c, 0x96};
static const char *rfc5769_pwd = "VOkJxbRl1RmTxUk/WvJxBt";

static void stun_rfc5769_request(void **state)
{
    (void)state;
    struct stun_msg m;
    assert_int_equal(stun_parse(rfc5769_req, sizeof(rfc5769_req), &m), 0);
    assert_int_equal(m.type, STUN_BINDING_REQ);
    assert_int_equal(m.username_len, 9);
    assert_memory_equal(m.username, "evtj:h6vY", 9);
    assert_int_equal(m.mi_offset, 76);
    assert_int_equal(m.fprint_offset, 100);
    assert_false(m.controlling); /* ICE-CONTROLLED, not CONTROLLING */
    assert_int_equal(stun_check_fingerprint(rfc5769_req, sizeof(rfc5769_req), &m), 0);
    assert_int_equal(stun_check_integrity(rfc5769_req, sizeof(rfc5769_req), &m, rfc5769_pwd), 0);
    assert_int_equal(stun_check_integrity(rfc5769_req, sizeof(rfc5769_req), &m, "wrong"), -EACCES);
    assert_true(stun_username_ok(&m, "evtj"));
    assert_false(stun_username_ok(&m, "evt"));
    assert_false(stun_username_ok(&m, "h6vY"));
}

static void stun_rfc5769_response(void **state)
{
    (void)state;
    struct stun_msg m;
    assert_int_equal(stun_parse(rfc5769_resp4, sizeof(rfc5769_resp4), &m), 0);
    assert_int_equal(m.type, STUN_BINDING_OK);
    assert_int_equal(stun_check_fingerprint(rfc5769_resp4, sizeof(rfc5769_resp4), &m), 0);
    assert_int_equal(stun_check_integrity(rfc5769_resp4, sizeof(rfc5769_resp4), &m, rfc5769_pwd),
                     0);
    /* Ours for the same address: the same XOR-MAPPED-ADDRESS bytes, and
     * integrity and fingerprint that check. */
    struct sockaddr_storage ss = {0};
    struct sockaddr_in *s = (struct sockaddr_in *)&ss;
    s->sin_family = AF_INET;
    s->sin_port = htons(32853);
    s->sin_addr.s_addr = htonl(0xC0000201);
    uint8_t out[128];
    int n = stun_binding_response(out, sizeof(out), rfc5769_resp4 + 8, &ss, rfc5769_pwd);
    assert_int_equal(n, 20 + 12 + 24 + 8);
    assert_memory_equal(out + 20, rfc5769_resp4 + 36, 12);
    assert_int_equal(stun_parse(out, (size_t)n, &m), 0);
    assert_int_equal(stun_check_fingerprint(out, (size_t)n, &m), 0);
    assert_int_equal(stun_check_integrity(out, (size_t)n, &m, rfc5769_pwd), 0);
}

static void stun_rejects(void **state)
{
    (void)state;
    uint8_t b[sizeof(rfc5769_req)];
    struct stun_msg m;
    /* Every single flipped bit breaks the fingerprint or integrity (or the
     * parse): nothing damaged is answered. */
    for (size_t i = 0; i < sizeof(b) * 8; i++) {
        memcpy(b, rfc5769_req, sizeof(b));
        b[i / 8] ^= (uint8_t)(1u << (i % 8));
        bool good = stun_parse(b, sizeof(b), &m) == 0 &&
                    stun_check_fingerprint(b, sizeof(b), &m) == 0 &&
                    stun_check_integrity(b, sizeof(b), &m, rfc5769_pwd) == 0;
        assert_false(good);
    }
    memcpy(b, rfc5769_req, sizeof(b));
    assert_int_equal(stun_parse(b, 19, &m), -EBADMSG);
    assert_int_equal(stun_parse(b, sizeof(b) - 4, &m), -EBADMSG); /* length field disagrees */
    b[3] = 0x5c; /* an attribute running past the end */
    uint8_t big[112];
    memcpy(big, b, sizeof(b));
    memset(big + 108, 0, 4);
    big[98] = 0x00, big[99] = 0x20; /* FINGERPRINT length 32 */
    assert_int_equal(stun_parse(big, sizeof(big), &m), -EBADMSG);
    /* Something after FINGERPRINT. */
    memcpy(big, rfc5769_req, sizeof(rfc5769_req));
    big[3] = 0x5c;
    memcpy(big + 108, "\x00\x25\x00\x00", 4);
    assert_int_equal(stun_parse(big, sizeof(big), &m), -EBADMSG);
    /* Not STUN by RFC 7983. */
    assert_false(stun_is_stun((const uint8_t *)"\x16\xfe\xfd", 3));
}

static void stun_request_round_trip(void **state)
{
    (void)state;
    uint8_t out[256], tx[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    int n = stun_binding_request(out, sizeof(out), tx, "abcd:efgh1", "pass", true);
    assert_true(n > 0);
    struct stun_msg m;
    assert_int_equal(stun_parse(out, (size_t)n, &m), 0);
    assert_true(m.use_candidate);
    assert_true(stun_username_ok(&m, "abcd"));
    assert_int_equal(stun_check_integrity(out, (size_t)n, &m, "pass"), 0);
    assert_int_equal(stun_check_fingerprint(out, (size_t)n, &m), 0);
}

/* An offer as libwebrtc (@roamhq/wrtc) writes it, trimmed of nothing. */
static const char offer[] =
    "v=0\r\n"
    "o=- 4611731400430051336 2 IN IP4 127.0.0.1\r\n"
    "s=-\r\n"
    "t=0 0\r\n"
    "a=group:BUNDLE 0\r\n"
    "a=extmap-allow-mixed\r\n"
    "a=msid-semantic: WMS\r\n"
    "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
    "c=IN IP4 0.0.0.0\r\n"
    "a=candidate:1 1 udp 2113937151 127.0.0.1 40000 typ host generation 0\r\n"
    "a=ice-ufrag:Ab9z\r\n"
    "a=ice-pwd:0123456789abcdefghijklmn\r\n"
    "a=ice-options:trickle\r\n"
    "a=fingerprint:sha-256 "
    "a1:B2:C3:D4:E5:F6:07:18:29:3A:4B:5C:6D:7E:8F:90:A1:B2:C3:D4:E5:F6:07:18:29:3A:4B:5C:6D:7E:8F:"
    "90\r\n"
    "a=setup:actpass\r\n"
    "a=mid:0\r\n"
    "a=sctp-port:5000\r\n"
    "a=max-message-size:262144\r\n";

static void sdp_offer(void **state)
{
    (void)state;
    struct sdp_info o;
    assert_int_equal(sdp_parse(offer, strlen(offer), &o), 0);
    assert_string_equal(o.ice_ufrag, "Ab9z");
    assert_string_equal(o.ice_pwd, "0123456789abcdefghijklmn");
    assert_string_equal(o.fingerprint, "A1:B2:C3:D4:E5:F6:07:18:29:3A:4B:5C:6D:7E:8F:90:A1:B2:C3:"
                                       "D4:E5:F6:07:18:29:3A:4B:5C:6D:7E:8F:90");
    assert_int_equal(o.setup, SDP_SETUP_ACTPASS);
    assert_string_equal(o.mid, "0");
    assert_true(o.has_datachannel);
    assert_int_equal(o.sctp_port, 5000);
    assert_int_equal(o.max_message_size, 262144);
    assert_false(o.ice_lite);
}

/* Replaces the first `from` in the offer with `to` and parses it. */
static int parse_edited(const char *from, const char *to, struct sdp_info *o)
{
    static char buf[4096];
    const char *p = strstr(offer, from);
    assert_non_null(p);
    size_t a = (size_t)(p - offer);
    snprintf(buf, sizeof(buf), "%.*s%s%s", (int)a, offer, to, p + strlen(from));
    return sdp_parse(buf, strlen(buf), o);
}

static void sdp_variants(void **state)
{
    (void)state;
    struct sdp_info o;
    /* LF line ends work too. */
    char lf[4096];
    size_t n = 0;
    for (const char *c = offer; *c; c++)
        if (*c != '\r')
            lf[n++] = *c;
    assert_int_equal(sdp_parse(lf, n, &o), 0);
    assert_int_equal(o.max_message_size, 262144);
    /* Defaults of RFC 8841 when the attributes are absent. */
    assert_int_equal(parse_edited("a=sctp-port:5000\r\n", "", &o), 0);
    assert_int_equal(o.sctp_port, 5000);
    assert_int_equal(parse_edited("a=max-message-size:262144\r\n", "", &o), 0);
    assert_int_equal(o.max_message_size, 65536);
    assert_int_equal(parse_edited("a=sctp-port:5000", "a=sctp-port:5001", &o), 0);
    assert_int_equal(o.sctp_port, 5001);
    assert_int_equal(parse_edited("a=setup:actpass", "a=setup:active", &o), 0);
    assert_int_equal(o.setup, SDP_SETUP_ACTIVE);
    /* What makes it unusable. */
    assert_int_equal(parse_edited("UDP/DTLS/SCTP webrtc-datachannel", "RTP/AVP 0", &o), -EBADMSG);
    assert_int_equal(parse_edited("a=ice-pwd:", "a=ice-pw:", &o), -EBADMSG);
    assert_int_equal(parse_edited("a=fingerprint:sha-256", "a=fingerprint:sha-1", &o), -EBADMSG);
    assert_int_equal(parse_edited("a1:B2", "a1B2:", &o), -EBADMSG);
    assert_int_equal(parse_edited("a=sctp-port:5000", "a=sctp-port:70000", &o), -EBADMSG);
    assert_int_equal(parse_edited("a=sctp-port:5000", "a=sctp-port:x", &o), -EBADMSG);
    assert_int_equal(parse_edited("a=setup:actpass", "a=setup:both", &o), -EBADMSG);
    /* Attributes of another m-section (after ours) are not ours. */
    assert_int_equal(parse_edited("a=max-message-size:262144\r\n",
                                  "a=max-message-size:262144\r\nm=audio 9 RTP/AVP 0\r\n"
                                  "a=mid:audio\r\na=sctp-port:1\r\n",
                                  &o),
                     0);
    assert_string_equal(o.mid, "0");
    assert_int_equal(o.sctp_port, 5000);
}

static void sdp_answer_parses(void **state)
{
    (void)state;
    char buf[4096];
    struct sdp_local l = {.ice_ufrag = "uf12",
                          .ice_pwd = "p0123456789012345678901",
                          .fingerprint = "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:"
                                         "CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99",
                          .mid = "0",
                          .setup = SDP_SETUP_PASSIVE,
                          .addr = "127.0.0.1",
                          .port = 4242,
                          .sctp_port = 5000,
                          .max_message_size = 262144,
                          .session_id = 1};
    int n = sdp_write_answer(buf, sizeof(buf), &l);
    assert_true(n > 0);
    struct sdp_info o;
    assert_int_equal(sdp_parse(buf, (size_t)n, &o), 0);
    assert_true(o.ice_lite);
    assert_string_equal(o.ice_ufrag, "uf12");
    assert_string_equal(o.fingerprint, l.fingerprint);
    assert_int_equal(o.setup, SDP_SETUP_PASSIVE);
    assert_int_equal(o.max_message_size, 262144);
    assert_non_null(strstr(buf, "a=candidate:1 1 udp 2130706431 127.0.0.1 4242 typ host\r\n"));
    assert_int_equal(sdp_write_answer(buf, 100, &l), -ENOBUFS);
}

static void dcep_open_codec(void **state)
{
    (void)state;
    /* RFC 8832 5.1 layout, written out by hand: partial reliable by
     * retransmissions, unordered, priority 256, 3 retransmissions, label
     * "chat", protocol "x". */
    static const uint8_t wire[] = {0x03, 0x81, 0x01, 0x00, 0,   0,   0,   3,  0,
                                   4,    0,    1,    'c',  'h', 'a', 't', 'x'};
    struct dcep_open o;
    assert_int_equal(dcep_parse_open(wire, sizeof(wire), &o), 0);
    assert_int_equal(o.channel_type, DCEP_UNORDERED | DCEP_PARTIAL_RELIABLE_RX);
    assert_int_equal(o.priority, 256);
    assert_int_equal(o.reliability, 3);
    assert_int_equal(o.label_len, 4);
    assert_memory_equal(o.label, "chat", 4);
    assert_int_equal(o.protocol_len, 1);
    assert_memory_equal(o.protocol, "x", 1);
    uint8_t out[64];
    assert_int_equal(dcep_write_open(out, sizeof(out), &o), (int)sizeof(wire));
    assert_memory_equal(out, wire, sizeof(wire));
    assert_int_equal(dcep_write_open(out, 10, &o), -ENOBUFS);
    /* Broken ones. */
    assert_int_equal(dcep_parse_open(wire, sizeof(wire) - 1, &o), -EBADMSG); /* short protocol */
    assert_int_equal(dcep_parse_open(wire, 11, &o), -EBADMSG);
    uint8_t bad[sizeof(wire)];
    memcpy(bad, wire, sizeof(wire));
    bad[0] = DCEP_ACK;
    assert_int_equal(dcep_parse_open(bad, sizeof(bad), &o), -EBADMSG);
    memcpy(bad, wire, sizeof(wire));
    bad[1] = 0x03; /* no such channel type */
    assert_int_equal(dcep_parse_open(bad, sizeof(bad), &o), -EBADMSG);
    memcpy(bad, wire, sizeof(wire));
    bad[8] = 0xff; /* label longer than the message */
    assert_int_equal(dcep_parse_open(bad, sizeof(bad), &o), -EBADMSG);
    assert_true(dcep_is_ack((const uint8_t *)"\x02", 1));
    assert_false(dcep_is_ack((const uint8_t *)"\x03", 1));
    assert_false(dcep_is_ack(NULL, 0));
}

static void dcep_ppids(void **state)
{
    (void)state;
    bool empty;
    /* RFC 8831 8: string 51, binary 53, empty string 56, empty binary 57. */
    assert_int_equal(dcep_ppid_for(false, 5), 51);
    assert_int_equal(dcep_ppid_for(true, 5), 53);
    assert_int_equal(dcep_ppid_for(false, 0), 56);
    assert_int_equal(dcep_ppid_for(true, 0), 57);
    assert_int_equal(dcep_ppid_kind(50, &empty), 0);
    assert_int_equal(dcep_ppid_kind(51, &empty), 1);
    assert_false(empty);
    assert_int_equal(dcep_ppid_kind(56, &empty), 1);
    assert_true(empty);
    assert_int_equal(dcep_ppid_kind(57, &empty), 2);
    assert_true(empty);
    assert_int_equal(dcep_ppid_kind(53, &empty), 2);
    assert_int_equal(dcep_ppid_kind(52, &empty), 2);
    assert_int_equal(dcep_ppid_kind(54, &empty), 1);
    assert_int_equal(dcep_ppid_kind(0, &empty), -1);
}

static void wire_init_scan(void **state)
{
    (void)state;
    /* Supported Extensions (RE-CONFIG, FORWARD-TSN, I-DATA; 7 bytes and
     * padding), then Zero Checksum Acceptable with EDMID 1. */
    static const uint8_t p[] = {0x80, 0x08, 0x00, 0x07, 0x82, 0xc0, 0x40, 0x00,
                                0x80, 0x01, 0x00, 0x08, 0x00, 0x00, 0x00, 0x01};
    struct wire_stats w = {0};
    wire_scan_init_params(&w, p, sizeof(p));
    assert_true(w.peer_reconfig);
    assert_true(w.peer_idata);
    assert_true(w.peer_zero_checksum);
    assert_int_equal(w.peer_edmid, 1);
    struct wire_stats none = {0};
    wire_scan_init_params(&none, p, 4); /* truncated: nothing taken */
    assert_false(none.peer_idata || none.peer_zero_checksum);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(stun_rfc5769_request),
        cmocka_unit_test(stun_rfc5769_response),
        cmocka_unit_test(stun_rejects),
        cmocka_unit_test(stun_request_round_trip),
        cmocka_unit_test(sdp_offer),
        cmocka_unit_test(sdp_variants),
        cmocka_unit_test(sdp_answer_parses),
        cmocka_unit_test(dcep_open_codec),
        cmocka_unit_test(dcep_ppids),
        cmocka_unit_test(wire_init_scan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
