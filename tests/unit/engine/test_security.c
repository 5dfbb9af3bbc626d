/* Hostile input: bad CRC, malformed packets, wrong verification tags,
 * forged cookies, out-of-the-blue packets, and an INIT flood that must not
 * change the engine's memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "engine/chunk.h"
#include "engine/crc.h"
#include "engine/wire.h"
#include "pump.h"

static uint64_t seed = 42;

static sctpng_eng *server(void)
{
    sctpng_eng_config cfg;
    sctpng_eng *e;
    pump_config(&cfg, 1, &seed);
    assert_int_equal(sctpng_eng_new(&cfg, &e), 0);
    return e;
}

static sctpng_eng_path from_addr(uint32_t ip, uint16_t port)
{
    sctpng_eng_path p;
    memset(&p, 0, sizeof(p));
    struct sockaddr_in *s = (struct sockaddr_in *)&p.remote;
    s->sin_family = AF_INET;
    s->sin_port = htons(port);
    s->sin_addr.s_addr = htonl(ip);
    return p;
}

static size_t make_init(uint8_t *pkt, uint16_t sport, uint32_t itag)
{
    struct pkt_writer w;
    pw_init(&w, pkt, 256, sport, 5001, 0);
    struct init_chunk ic = {.itag = itag, .a_rwnd = 65536, .os = 10, .mis = 10, .itsn = 1};
    pw_init_chunk(&w, CT_INIT, &ic);
    return pw_finish(&w);
}

static void drain(sctpng_eng *e, unsigned *npkts)
{
    uint8_t buf[2048];
    sctpng_eng_path to;
    while (sctpng_eng_output(e, 0, buf, sizeof(buf), &to) > 0)
        (*npkts)++;
}

static void init_flood(void **state)
{
    (void)state;
    sctpng_eng *e = server();
    sctpng_eng_stats before, after;
    sctpng_eng_get_stats(e, &before);
    uint8_t pkt[256];
    unsigned replies = 0;
    uint64_t rnd = 7;
    for (unsigned i = 0; i < 100000; i++) {
        uint8_t r[6];
        pump_random(&rnd, r, sizeof(r));
        uint16_t port = (uint16_t)(1024 + (get16(r) % 60000));
        size_t n = make_init(pkt, port, get32(r + 2) | 1);
        sctpng_eng_path from = from_addr(0x0a000000u | (get16(r) & 0xffff), port);
        assert_int_equal(sctpng_eng_input(e, pkt, n, &from, 1000 + i), 0);
        if (i % 10 == 0)
            drain(e, &replies);
    }
    drain(e, &replies);
    sctpng_eng_get_stats(e, &after);
    assert_int_equal(after.inits_recvd, 100000);
    assert_int_equal(after.assocs_live, 0);
    assert_int_equal(after.mem_bytes, before.mem_bytes);
    assert_int_equal(after.mem_allocs, before.mem_allocs);
    assert_int_equal(replies, after.init_acks_sent);
    assert_int_equal(after.init_acks_sent + after.replies_dropped, 100000);
    assert_int_equal(sctpng_eng_deadline(e), UINT64_MAX);
    sctpng_eng_free(e);
}

static void bad_crc_and_malformed(void **state)
{
    (void)state;
    sctpng_eng *e = server();
    uint8_t pkt[256];
    size_t n = make_init(pkt, 4000, 99);
    sctpng_eng_path from = from_addr(0x0a000009, 9899);
    pkt[20] ^= 0xff;
    assert_int_equal(sctpng_eng_input(e, pkt, n, &from, 1), -EBADMSG);
    pkt[20] ^= 0xff;
    /* truncated */
    assert_int_equal(sctpng_eng_input(e, pkt, 10, &from, 1), -EBADMSG);
    /* chunk length past the end, CRC fixed up */
    put16(pkt + 14, 200);
    sctp_packet_set_crc(pkt, n);
    assert_int_equal(sctpng_eng_input(e, pkt, n, &from, 1), -EBADMSG);
    /* wrong port */
    n = make_init(pkt, 4000, 99);
    put16(pkt + 2, 7777);
    sctp_packet_set_crc(pkt, n);
    assert_int_equal(sctpng_eng_input(e, pkt, n, &from, 1), -ENOTCONN);
    /* INIT with a non-zero tag */
    n = make_init(pkt, 4000, 99);
    put32(pkt + 4, 5);
    sctp_packet_set_crc(pkt, n);
    assert_int_equal(sctpng_eng_input(e, pkt, n, &from, 1), -EACCES);
    sctpng_eng_stats st;
    sctpng_eng_get_stats(e, &st);
    assert_int_equal(st.drop_bad_crc, 1);
    assert_int_equal(st.drop_malformed, 2);
    assert_int_equal(st.drop_bad_port, 1);
    assert_int_equal(st.drop_bad_vtag, 1);
    /* random garbage never crashes */
    uint64_t r = 1;
    for (int i = 0; i < 20000; i++) {
        uint8_t g[300];
        size_t len = (size_t)(i % 300);
        pump_random(&r, g, len);
        if (len >= 12) {
            put16(g + 2, 5001);
            g[12] = (uint8_t)(i % 16);
            if (len >= 16)
                put16(g + 14, (uint16_t)(len - 12 - (i % 3)));
            sctp_packet_set_crc(g, len);
        }
        sctpng_eng_input(e, g, len, &from, 2);
        unsigned np = 0;
        drain(e, &np);
    }
    sctpng_eng_free(e);
}

static bool up(struct pump *p)
{
    return pump_assoc(p, 0) && pump_assoc(p, 1);
}

static void forged_cookie_and_vtag(void **state)
{
    (void)state;
    uint64_t s0 = 5, s1 = 6;
    sctpng_eng_config c0, c1;
    sctpng_eng *e0, *e1;
    pump_config(&c0, 0, &s0);
    pump_config(&c1, 1, &s1);
    sctpng_eng_new(&c0, &e0);
    sctpng_eng_new(&c1, &e1);
    struct pump p;
    pump_init(&p, e0, e1, 1000000);
    uint32_t id;
    sctpng_eng_connect(e0, &p.addr[1], 1, 5001, p.now, &id);
    assert_true(pump_until(&p, up, p.now + 1000000000ull));
    sctpng_eng_status st;
    sctpng_eng_get_status(e1, pump_assoc(&p, 1), &st);
    /* a SACK with the wrong tag is dropped */
    uint8_t pkt[128];
    struct pkt_writer w;
    pw_init(&w, pkt, sizeof(pkt), 5000, 5001, st.local_vtag + 1);
    pw_sack(&w, 0, 1000, NULL, 0, NULL, 0);
    size_t n = pw_finish(&w);
    sctpng_eng_path from;
    memset(&from, 0, sizeof(from));
    from.remote = p.addr[0];
    assert_int_equal(sctpng_eng_input(e1, pkt, n, &from, p.now), -EACCES);
    /* an ABORT with the wrong tag does not kill the association */
    pw_init(&w, pkt, sizeof(pkt), 5000, 5001, st.local_vtag ^ 0x100);
    pw_cause_chunk(&w, CT_ABORT, 0, 0, NULL, 0);
    n = pw_finish(&w);
    assert_int_equal(sctpng_eng_input(e1, pkt, n, &from, p.now), -EACCES);
    /* ... nor with T set and the wrong reflected tag */
    pw_init(&w, pkt, sizeof(pkt), 5000, 5001, st.local_vtag);
    pw_cause_chunk(&w, CT_ABORT, CHUNK_FLAG_T, 0, NULL, 0);
    n = pw_finish(&w);
    assert_int_equal(sctpng_eng_input(e1, pkt, n, &from, p.now), -EACCES);
    assert_int_equal(sctpng_eng_get_status(e1, pump_assoc(&p, 1), &st), 0);
    assert_int_equal(st.state, SCTPNG_ENG_ESTABLISHED);
    /* a forged cookie from elsewhere */
    sctpng_eng_path other = from_addr(0x0b000001, 1);
    pw_init(&w, pkt, sizeof(pkt), 6000, 5001, 1234);
    uint8_t junk[100];
    memset(junk, 0x5a, sizeof(junk));
    junk[0] = 1;
    junk[2] = 0;
    pw_chunk_copy(&w, CT_COOKIE_ECHO, 0, junk, 88);
    n = pw_finish(&w);
    assert_int_equal(sctpng_eng_input(e1, pkt, n, &other, p.now), -EACCES);
    sctpng_eng_stats es;
    sctpng_eng_get_stats(e1, &es);
    assert_int_equal(es.cookies_bad_mac, 1);
    assert_int_equal(es.drop_bad_vtag, 3);
    assert_int_equal(es.assocs_live, 1);
    pump_free(&p);
    sctpng_eng_free(e0);
    sctpng_eng_free(e1);
}

static void ootb_answers(void **state)
{
    (void)state;
    sctpng_eng *e = server();
    uint8_t pkt[128], out[2048];
    struct pkt_writer w;
    sctpng_eng_path from = from_addr(0x0a000005, 9899), to;
    /* a stray SACK gets an ABORT with the T bit and the tag reflected */
    pw_init(&w, pkt, sizeof(pkt), 4444, 5001, 0xabcdef01);
    pw_sack(&w, 1, 1000, NULL, 0, NULL, 0);
    size_t n = pw_finish(&w);
    assert_int_equal(sctpng_eng_input(e, pkt, n, &from, 1), -ENOTCONN);
    ssize_t m = sctpng_eng_output(e, 1, out, sizeof(out), &to);
    assert_int_equal(m, 16);
    assert_int_equal(get32(out + 4), 0xabcdef01);
    assert_int_equal(out[12], CT_ABORT);
    assert_int_equal(out[13], CHUNK_FLAG_T);
    assert_true(sctp_packet_crc_ok(out, (size_t)m));
    /* a stray ABORT is silently discarded */
    pw_init(&w, pkt, sizeof(pkt), 4444, 5001, 0xabcdef01);
    pw_cause_chunk(&w, CT_ABORT, 0, 0, NULL, 0);
    n = pw_finish(&w);
    sctpng_eng_input(e, pkt, n, &from, 1);
    assert_int_equal(sctpng_eng_output(e, 1, out, sizeof(out), &to), 0);
    /* SHUTDOWN-ACK gets SHUTDOWN-COMPLETE with T */
    pw_init(&w, pkt, sizeof(pkt), 4444, 5001, 0x11);
    pw_chunk(&w, CT_SHUTDOWN_ACK, 0, 0);
    n = pw_finish(&w);
    sctpng_eng_input(e, pkt, n, &from, 1);
    m = sctpng_eng_output(e, 1, out, sizeof(out), &to);
    assert_int_equal(out[12], CT_SHUTDOWN_COMPLETE);
    assert_int_equal(out[13], CHUNK_FLAG_T);
    assert_int_equal(get32(out + 4), 0x11);
    sctpng_eng_free(e);
}

static void stale_cookie(void **state)
{
    (void)state;
    /* The client's COOKIE-ECHO arrives after the cookie's lifetime: the
     * server answers Stale Cookie, the client retries with a preservative and
     * succeeds. */
    uint64_t s0 = 11, s1 = 12;
    sctpng_eng_config c0, c1;
    sctpng_eng *e0, *e1;
    pump_config(&c0, 0, &s0);
    pump_config(&c1, 1, &s1);
    c1.cookie_life_ms = 10; /* shorter than the 2 x 20 ms link */
    sctpng_eng_new(&c0, &e0);
    sctpng_eng_new(&c1, &e1);
    struct pump p;
    pump_init(&p, e0, e1, 20000000);
    uint32_t id;
    sctpng_eng_connect(e0, &p.addr[1], 1, 5001, p.now, &id);
    bool ok = pump_until(&p, up, p.now + 10000000000ull);
    sctpng_eng_stats es;
    sctpng_eng_get_stats(e1, &es);
    assert_true(es.cookies_stale >= 1);
    assert_true(ok);
    pump_free(&p);
    sctpng_eng_free(e0);
    sctpng_eng_free(e1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(init_flood),
        cmocka_unit_test(bad_crc_and_malformed),
        cmocka_unit_test(forged_cookie_and_vtag),
        cmocka_unit_test(ootb_answers),
        cmocka_unit_test(stale_cookie),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
