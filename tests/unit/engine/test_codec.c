/* Codec unit tests: CRC32c, packet/chunk/parameter encode-decode round trips
 * and rejection of bad lengths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <netinet/in.h>
#include <string.h>

#include "engine/chunk.h"
#include "engine/crc.h"
#include "engine/ext.h"
#include "engine/param.h"
#include "engine/wire.h"

static void crc_known_vector(void **state)
{
    (void)state;
    assert_int_equal(sctp_crc32c((const uint8_t *)"123456789", 9), 0xe3069283u);
    assert_int_equal(sctp_crc32c((const uint8_t *)"", 0), 0);
}

static void crc_packet_byte_order(void **state)
{
    (void)state;
    uint8_t pkt[32];
    struct pkt_writer w;
    assert_int_equal(pw_init(&w, pkt, sizeof(pkt), 1, 2, 0x11223344), 0);
    assert_non_null(pw_chunk(&w, CT_COOKIE_ACK, 0, 0));
    size_t n = pw_finish(&w);
    assert_int_equal(n, 16);
    /* RFC 9260 appendix B: the CRC goes out least significant byte first */
    uint32_t crc = sctp_packet_crc(pkt, n);
    assert_int_equal(pkt[8], crc & 0xff);
    assert_int_equal(pkt[11], crc >> 24);
    assert_true(sctp_packet_crc_ok(pkt, n));
    /* the CRC of the packet with the field zeroed */
    uint8_t z[16];
    memcpy(z, pkt, 16);
    memset(z + 8, 0, 4);
    assert_int_equal(sctp_crc32c(z, 16), crc);
    pkt[13] ^= 1;
    assert_false(sctp_packet_crc_ok(pkt, n));
}

/* A known-good SCTP packet: INIT from a Linux capture layout, checksum
 * recomputed: checks field offsets against the RFC layout. */
static void header_fields(void **state)
{
    (void)state;
    uint8_t pkt[64];
    struct pkt_writer w;
    pw_init(&w, pkt, sizeof(pkt), 0x1234, 0x5678, 0xdeadbeef);
    struct sctp_hdr h;
    assert_int_equal(pkt_header(pkt, 12, &h), 0);
    assert_int_equal(h.src_port, 0x1234);
    assert_int_equal(h.dst_port, 0x5678);
    assert_int_equal(h.vtag, 0xdeadbeef);
    assert_int_equal(pkt[0], 0x12);
    assert_int_equal(pkt[4], 0xde);
    assert_int_equal(pkt_header(pkt, 11, &h), -1);
}

static void data_round_trip(void **state)
{
    (void)state;
    uint8_t pkt[128];
    struct pkt_writer w;
    pw_init(&w, pkt, sizeof(pkt), 1, 2, 3);
    const uint8_t payload[5] = {1, 2, 3, 4, 5};
    struct data_chunk d = {.flags = DATA_FLAG_B | DATA_FLAG_E | DATA_FLAG_U,
                           .tsn = 0xfffffffe,
                           .sid = 7,
                           .ssn = 9,
                           .ppid = 51,
                           .data = payload,
                           .len = 5};
    assert_int_equal(pw_data(&w, &d), 0);
    size_t n = pw_finish(&w);
    assert_int_equal(n, 12 + 24); /* 16 + 5 padded to 24 */
    assert_int_equal(pkt_validate(pkt, n), 1);
    struct chunk_iter it;
    struct chunk c;
    chunk_iter_init(&it, pkt, n);
    assert_int_equal(chunk_next(&it, &c), 1);
    assert_int_equal(c.type, CT_DATA);
    assert_int_equal(c.len, 21);
    struct data_chunk o;
    assert_int_equal(chunk_data_decode(&c, &o), 0);
    assert_int_equal(o.tsn, 0xfffffffe);
    assert_int_equal(o.sid, 7);
    assert_int_equal(o.ssn, 9);
    assert_int_equal(o.ppid, 51);
    assert_int_equal(o.len, 5);
    assert_memory_equal(o.data, payload, 5);
    assert_int_equal(o.flags, d.flags);
    assert_int_equal(chunk_next(&it, &c), 0);
}

static void sack_round_trip(void **state)
{
    (void)state;
    uint8_t pkt[128];
    struct pkt_writer w;
    pw_init(&w, pkt, sizeof(pkt), 1, 2, 3);
    uint16_t gaps[4] = {2, 3, 5, 9};
    uint32_t dups[1] = {77};
    assert_int_equal(pw_sack(&w, 100, 65536, gaps, 2, dups, 1), 0);
    size_t n = pw_finish(&w);
    struct chunk_iter it;
    struct chunk c;
    chunk_iter_init(&it, pkt, n);
    assert_int_equal(chunk_next(&it, &c), 1);
    struct sack_chunk s;
    assert_int_equal(chunk_sack_decode(&c, &s), 0);
    assert_int_equal(s.cum_ack, 100);
    assert_int_equal(s.a_rwnd, 65536);
    assert_int_equal(s.ngaps, 2);
    assert_int_equal(s.ndups, 1);
    assert_int_equal(sack_gap_start(&s, 1), 5);
    assert_int_equal(sack_gap_end(&s, 1), 9);
    assert_int_equal(get32(s.dups), 77);
    /* claim more gap blocks than the chunk holds */
    put16(pkt + 12 + 12, 50);
    chunk_iter_init(&it, pkt, n);
    chunk_next(&it, &c);
    assert_int_equal(chunk_sack_decode(&c, &s), -1);
}

static void bad_lengths(void **state)
{
    (void)state;
    uint8_t pkt[40];
    memset(pkt, 0, sizeof(pkt));
    struct chunk_iter it;
    struct chunk c;
    /* chunk length < 4 */
    pkt[12] = CT_COOKIE_ACK;
    put16(pkt + 14, 3);
    assert_int_equal(pkt_validate(pkt, 16), -1);
    /* chunk length beyond the packet */
    put16(pkt + 14, 100);
    assert_int_equal(pkt_validate(pkt, 40), -1);
    chunk_iter_init(&it, pkt, 40);
    assert_int_equal(chunk_next(&it, &c), -1);
    /* truncated chunk header */
    assert_int_equal(pkt_validate(pkt, 14), -1);
    /* no chunk at all */
    assert_int_equal(pkt_validate(pkt, 12), -1);
    /* DATA shorter than its fixed header */
    put16(pkt + 14, 12);
    pkt[12] = CT_DATA;
    chunk_iter_init(&it, pkt, 40);
    assert_int_equal(chunk_next(&it, &c), 1);
    struct data_chunk d;
    assert_int_equal(chunk_data_decode(&c, &d), -1);
    /* INIT shorter than 20 */
    pkt[12] = CT_INIT;
    struct init_chunk ic;
    chunk_iter_init(&it, pkt, 40);
    chunk_next(&it, &c);
    assert_int_equal(chunk_init_decode(&c, &ic), -1);
}

static void bundling_rules(void **state)
{
    (void)state;
    uint8_t pkt[64];
    struct pkt_writer w;
    pw_init(&w, pkt, sizeof(pkt), 1, 2, 0);
    struct init_chunk ic = {.itag = 1, .a_rwnd = 2, .os = 1, .mis = 1, .itsn = 5};
    assert_int_equal(pw_init_chunk(&w, CT_INIT, &ic), 0);
    assert_int_equal(pkt_validate(pkt, w.len), 1);
    assert_non_null(pw_chunk(&w, CT_COOKIE_ACK, 0, 0));
    assert_int_equal(pkt_validate(pkt, w.len), -1); /* INIT must be alone */
}

static void writer_bounds(void **state)
{
    (void)state;
    uint8_t pkt[20];
    struct pkt_writer w;
    assert_int_equal(pw_init(&w, pkt, 11, 1, 2, 3), -1);
    pw_init(&w, pkt, sizeof(pkt), 1, 2, 3);
    assert_null(pw_chunk(&w, CT_ERROR, 0, 5)); /* 4+5 -> 12 > 8 */
    assert_non_null(pw_chunk(&w, CT_ERROR, 0, 4));
    assert_null(pw_chunk(&w, CT_COOKIE_ACK, 0, 0));
}

static void init_params(void **state)
{
    (void)state;
    uint8_t buf[200];
    size_t n = 0;
    struct sockaddr_storage a4, a6;
    memset(&a4, 0, sizeof(a4));
    memset(&a6, 0, sizeof(a6));
    ((struct sockaddr_in *)&a4)->sin_family = AF_INET;
    ((struct sockaddr_in *)&a4)->sin_addr.s_addr = htonl(0x0a000001);
    ((struct sockaddr_in6 *)&a6)->sin6_family = AF_INET6;
    ((struct sockaddr_in6 *)&a6)->sin6_addr.s6_addr[15] = 1;
    n += (size_t)param_put_addr(buf + n, sizeof(buf) - n, &a4);
    n += (size_t)param_put_addr(buf + n, sizeof(buf) - n, &a6);
    uint8_t cp[4];
    put32(cp, 1234);
    n += (size_t)param_put(buf + n, sizeof(buf) - n, PT_COOKIE_PRESERVATIVE, cp, 4);
    n += (size_t)param_put(buf + n, sizeof(buf) - n, PT_FWD_TSN_SUPPORTED, NULL, 0);
    /* unknown, 0xC0xx: skip and report */
    n += (size_t)param_put(buf + n, sizeof(buf) - n, 0xC123, "xyz", 3);
    /* unknown, 0x80xx: skip silently */
    n += (size_t)param_put(buf + n, sizeof(buf) - n, 0x8123, "a", 1);
    struct init_params ip;
    assert_int_equal(init_params_parse(buf, n, &ip), 0);
    assert_int_equal(ip.n_addrs, 2);
    assert_true(addr_same_ip(&ip.addrs[0], &a4));
    assert_true(addr_same_ip(&ip.addrs[1], &a6));
    assert_int_equal(ip.cookie_preservative_ms, 1234);
    assert_true(ip.ext & EXT_PR_SCTP);
    assert_int_equal(ip.n_unrec, 1);
    assert_int_equal(ip.n_unknown, 2);
    assert_int_equal(get16(ip.unrec[0]), 0xC123);
    /* unknown 0x4xxx: stop processing after reporting; later params ignored */
    size_t m = 0;
    m += (size_t)param_put(buf + m, sizeof(buf) - m, 0x4001, "q", 1);
    m += (size_t)param_put_addr(buf + m, sizeof(buf) - m, &a4);
    assert_int_equal(init_params_parse(buf, m, &ip), 0);
    assert_int_equal(ip.n_addrs, 0);
    assert_int_equal(ip.n_unrec, 1);
    /* 0x0xxx: stop, no report */
    m = 0;
    m += (size_t)param_put(buf + m, sizeof(buf) - m, 0x0101, "q", 1);
    assert_int_equal(init_params_parse(buf, m, &ip), 0);
    assert_int_equal(ip.n_unrec, 0);
    /* bad IPv4 length and bad param length */
    put16(buf, PT_IPV4);
    put16(buf + 2, 7);
    assert_int_equal(init_params_parse(buf, 8, &ip), -1);
    put16(buf + 2, 3);
    assert_int_equal(init_params_parse(buf, 8, &ip), -1);
    put16(buf + 2, 12);
    assert_int_equal(init_params_parse(buf, 8, &ip), -1);
}

static void fwd_tsn_round_trip(void **state)
{
    (void)state;
    uint8_t pkt[64];
    struct pkt_writer w;
    pw_init(&w, pkt, sizeof(pkt), 1, 2, 3);
    uint16_t pairs[4] = {1, 10, 3, 65535};
    assert_int_equal(pw_fwd_tsn(&w, 999, pairs, 2), 0);
    struct chunk_iter it;
    struct chunk c;
    chunk_iter_init(&it, pkt, w.len);
    chunk_next(&it, &c);
    assert_int_equal(c.type, CT_FORWARD_TSN);
    struct fwd_tsn_chunk f;
    assert_int_equal(chunk_fwd_tsn_decode(&c, &f), 0);
    assert_int_equal(f.new_cum, 999);
    assert_int_equal(f.nstreams, 2);
    assert_int_equal(get16(f.streams + 4), 3);
    assert_int_equal(get16(f.streams + 6), 65535);
}

static void cause_chunk(void **state)
{
    (void)state;
    uint8_t pkt[64];
    struct pkt_writer w;
    pw_init(&w, pkt, sizeof(pkt), 1, 2, 3);
    assert_int_equal(pw_cause_chunk(&w, CT_ABORT, CHUNK_FLAG_T, CAUSE_USER_ABORT, "bye", 3), 0);
    assert_int_equal(pkt_validate(pkt, w.len), 1);
    struct chunk_iter it;
    struct chunk c;
    chunk_iter_init(&it, pkt, w.len);
    chunk_next(&it, &c);
    assert_int_equal(c.flags, CHUNK_FLAG_T);
    struct param_iter pi;
    struct param p;
    param_iter_init(&pi, c.val, c.vlen);
    assert_int_equal(param_next(&pi, &p), 1);
    assert_int_equal(p.type, CAUSE_USER_ABORT);
    assert_int_equal(p.vlen, 3);
    assert_memory_equal(p.val, "bye", 3);
}

static void serial_arith(void **state)
{
    (void)state;
    assert_true(tsn_lt(0xffffffff, 0));
    assert_true(tsn_gt(5, 0xfffffff0));
    assert_true(tsn_le(7, 7));
    assert_true(ssn_lt(65535, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(crc_known_vector), cmocka_unit_test(crc_packet_byte_order),
        cmocka_unit_test(header_fields),    cmocka_unit_test(data_round_trip),
        cmocka_unit_test(sack_round_trip),  cmocka_unit_test(bad_lengths),
        cmocka_unit_test(bundling_rules),   cmocka_unit_test(writer_bounds),
        cmocka_unit_test(init_params),      cmocka_unit_test(fwd_tsn_round_trip),
        cmocka_unit_test(cause_chunk),      cmocka_unit_test(serial_arith),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
