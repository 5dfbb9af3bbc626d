/*
 * fuzz_webrtc: examples/webrtc's parsers. The first input byte picks one:
 *   0  STUN: parse, FINGERPRINT and MESSAGE-INTEGRITY checks, USERNAME
 *      check, and for a Binding request the response we would send
 *      (which must itself parse and verify);
 *   1  DCEP: DATA_CHANNEL_OPEN parse; what parses must write back to the
 *      same bytes (up to the label and protocol) and parse again equal;
 *   2  SDP offer parse;
 *   3  the INIT parameter scan and DATA detection of the packet tap.
 * The rest of the input is the message.
 */
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dcep.h"
#include "sdp.h"
#include "stun.h"
#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Checks that hold in every build (assert() is gone with NDEBUG). */
#define CHECK(x)                                                                                   \
    do {                                                                                           \
        if (!(x))                                                                                  \
            abort();                                                                               \
    } while (0)

static void fuzz_stun(const uint8_t *d, size_t n)
{
    struct stun_msg m;
    if (stun_parse(d, n, &m) < 0)
        return;
    (void)stun_check_fingerprint(d, n, &m);
    (void)stun_check_integrity(d, n, &m, "fuzzpassword0123456789");
    (void)stun_username_ok(&m, "fuzz");
    if (m.type != STUN_BINDING_REQ)
        return;
    struct sockaddr_storage ss = {0};
    struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
    s6->sin6_family = AF_INET6;
    s6->sin6_port = htons(4242);
    memcpy(&s6->sin6_addr, m.txid, 12);
    uint8_t out[256];
    int r = stun_binding_response(out, sizeof(out), m.txid, &ss, "pw");
    CHECK(r > 0);
    struct stun_msg o;
    CHECK(stun_parse(out, (size_t)r, &o) == 0);
    CHECK(stun_check_fingerprint(out, (size_t)r, &o) == 0);
    CHECK(stun_check_integrity(out, (size_t)r, &o, "pw") == 0);
}

static void fuzz_dcep(const uint8_t *d, size_t n)
{
    struct dcep_open o, p;
    (void)dcep_is_ack(d, n);
    if (dcep_parse_open(d, n, &o) < 0)
        return;
    uint8_t out[DCEP_OPEN_HEADER + 2 * 65535];
    int r = dcep_write_open(out, sizeof(out), &o);
    CHECK(r == (int)(DCEP_OPEN_HEADER + o.label_len + o.protocol_len));
    CHECK(memcmp(out, d, (size_t)r) == 0);
    CHECK(dcep_parse_open(out, (size_t)r, &p) == 0);
    CHECK(p.channel_type == o.channel_type && p.reliability == o.reliability &&
          p.priority == o.priority && p.label_len == o.label_len &&
          p.protocol_len == o.protocol_len);
}

static void fuzz_sdp(const uint8_t *d, size_t n)
{
    struct sdp_info o;
    if (sdp_parse((const char *)d, n, &o) < 0)
        return;
    CHECK(o.has_datachannel && o.ice_ufrag[0] && o.ice_pwd[0] && strlen(o.fingerprint) == 95);
}

static void fuzz_wire(const uint8_t *d, size_t n)
{
    struct wire_stats w = {0};
    wire_scan_init_params(&w, d, n);
    (void)wire_has_data(d, n);
    sctpng_eng_path path;
    wire_path(&path);
    wire_tap(&w, SCTPNG_ENG_DIR_IN, d, n, &path, 0);
    wire_tap(&w, SCTPNG_ENG_DIR_OUT, d, n, &path, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const uint8_t *d = data + 1;
    size_t n = size - 1;
    switch (data[0] & 3) {
    case 0:
        fuzz_stun(d, n);
        break;
    case 1:
        fuzz_dcep(d, n);
        break;
    case 2:
        fuzz_sdp(d, n);
        break;
    default:
        fuzz_wire(d, n);
        break;
    }
    return 0;
}
