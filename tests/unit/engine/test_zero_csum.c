/* RFC 9653 zero checksum: two engines that both announce the same error
 * detection method send the packets of their association with checksum 0
 * and take them; INIT and stateless replies keep their CRC32c; with one
 * side not announcing (or another method) every packet keeps its CRC, and
 * an endpoint that did not announce drops a zero-checksum packet. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "duo.h"
#include "engine/crc.h"
#include "engine/wire.h"

static uint32_t edmid[2];

static void with_edmid(sctpng_eng_config *c, int side)
{
    c->zero_checksum_edmid = edmid[side];
}

/* Per side: packets seen with checksum 0, with a correct CRC, with INIT,
 * and whether an INIT or INIT-ACK ever went without its CRC. */
struct seen {
    unsigned zero[2], crc[2];
    unsigned crc_assoc[2]; /* CRC packets other than INIT, INIT-ACK and
                              SHUTDOWN-COMPLETE (a reply the engine sends
                              without its association) */
    bool init_without_crc;
};

static bool watch(struct duo *d, int from, const uint8_t *pkt, size_t len)
{
    struct seen *s = d->ctx;
    bool zero = get32(pkt + 8) == 0;
    if (zero)
        s->zero[from]++;
    else if (sctp_packet_crc_ok(pkt, len)) {
        s->crc[from]++;
        if (!duo_has_chunk(pkt, len, CT_INIT) && !duo_has_chunk(pkt, len, CT_INIT_ACK) &&
            !duo_has_chunk(pkt, len, CT_SHUTDOWN_COMPLETE))
            s->crc_assoc[from]++;
    }
    if (zero && (duo_has_chunk(pkt, len, CT_INIT) || duo_has_chunk(pkt, len, CT_INIT_ACK)))
        s->init_without_crc = true;
    return false;
}

/* Handshake, 20 messages each way, a graceful shutdown; what was seen. */
static struct seen run(uint32_t e0, uint32_t e1, unsigned *got)
{
    edmid[0] = e0;
    edmid[1] = e1;
    struct seen s;
    memset(&s, 0, sizeof(s));
    struct duo *d = duo_new(with_edmid);
    d->ctx = &s;
    d->drop = watch;
    assert_true(duo_connect(d));
    static const uint8_t msg[300];
    for (int i = 0; i < 20; i++)
        for (int side = 0; side < 2; side++)
            assert_int_equal(
                sctpng_eng_send(d->e[side], d->a[side], msg, sizeof(msg), NULL, d->p.now),
                (ssize_t)sizeof(msg));
    pump_run(&d->p, d->p.now + 3 * SEC);
    got[0] = d->got[0];
    got[1] = d->got[1];
    assert_int_equal(sctpng_eng_shutdown(d->e[0], d->a[0], d->p.now), 0);
    pump_run(&d->p, d->p.now + 3 * SEC);
    assert_int_equal(pump_count(&d->p, 1, SCTPNG_ENG_EV_ASSOC_DOWN), 1);
    sctpng_eng_stats st;
    sctpng_eng_get_stats(d->e[1], &st);
    assert_int_equal(st.drop_bad_crc, 0);
    duo_free(d);
    return s;
}

static void both_announce(void **state)
{
    (void)state;
    unsigned got[2];
    struct seen s = run(SCTPNG_ENG_EDMID_DTLS, SCTPNG_ENG_EDMID_DTLS, got);
    assert_int_equal(got[0], 20);
    assert_int_equal(got[1], 20);
    assert_false(s.init_without_crc);
    /* Only INIT, INIT-ACK and the SHUTDOWN-COMPLETE reply carried a CRC. */
    assert_int_equal(s.crc_assoc[0], 0);
    assert_int_equal(s.crc_assoc[1], 0);
    assert_true(s.crc[0] >= 1 && s.crc[1] >= 1);
    assert_true(s.zero[0] > 10 && s.zero[1] > 10);
}

static void one_side_only(void **state)
{
    (void)state;
    unsigned got[2];
    struct seen s = run(SCTPNG_ENG_EDMID_DTLS, 0, got);
    assert_int_equal(got[1], 20);
    assert_int_equal(s.zero[0] + s.zero[1], 0);
    assert_true(s.crc_assoc[0] > 10 && s.crc_assoc[1] > 10);
    s = run(0, SCTPNG_ENG_EDMID_DTLS, got);
    assert_int_equal(got[0], 20);
    assert_int_equal(s.zero[0] + s.zero[1], 0);
}

static void methods_differ(void **state)
{
    (void)state;
    unsigned got[2];
    struct seen s = run(SCTPNG_ENG_EDMID_DTLS, 7, got);
    assert_int_equal(got[1], 20);
    assert_int_equal(s.zero[0] + s.zero[1], 0);
}

/* Zeroes the checksum of side 0's packets with DATA. */
static bool zero_data(struct duo *d, int from, uint8_t *pkt, size_t len)
{
    (void)d;
    if (from == 0 && duo_has_chunk(pkt, len, CT_DATA))
        put32(pkt + 8, 0);
    return false;
}

/* An endpoint that did not announce the method drops a zero-checksum
 * packet as a bad CRC; one that did takes it, but never with INIT. */
static void zero_checksum_dropped_unless_announced(void **state)
{
    (void)state;
    for (int announce = 0; announce < 2; announce++) {
        edmid[0] = 0;
        edmid[1] = announce ? SCTPNG_ENG_EDMID_DTLS : 0;
        struct duo *d = duo_new(with_edmid);
        assert_true(duo_connect(d));
        static const uint8_t msg[100];
        assert_int_equal(sctpng_eng_send(d->e[0], d->a[0], msg, sizeof(msg), NULL, d->p.now),
                         (ssize_t)sizeof(msg));
        uint8_t buf[2048];
        sctpng_eng_path to;
        ssize_t n = sctpng_eng_output(d->e[0], d->p.now, buf, sizeof(buf), &to);
        assert_true(n > 0 && duo_has_chunk(buf, (size_t)n, CT_DATA));
        zero_data(d, 0, buf, (size_t)n);
        sctpng_eng_path from = {.remote = to.local, .local = to.remote};
        int r = sctpng_eng_input(d->e[1], buf, (size_t)n, &from, d->p.now);
        assert_int_equal(r, announce ? 0 : -EBADMSG);
        duo_free(d);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(both_announce),
        cmocka_unit_test(one_side_only),
        cmocka_unit_test(methods_differ),
        cmocka_unit_test(zero_checksum_dropped_unless_announced),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
