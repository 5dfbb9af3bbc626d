/* RFC 5061 ASCONF in the engine (needs AUTH): negotiation, Add IP (the
 * peer gets a path, confirmed by heartbeat), Set Primary, Delete IP (the
 * path goes inactive; the source address and the last one are refused
 * with their error causes), one request at a time, retransmission by
 * timer, a retransmitted ASCONF answered again but applied once, an
 * unauthenticated ASCONF dropped, and the codec's round trip. */
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "duo.h"
#include "engine/asconf.h"
#include "engine/wire.h"

static bool asconf_on[2], auth_on[2];

static void tweak(sctpng_eng_config *c, int side)
{
    c->auth = auth_on[side];
    c->asconf = asconf_on[side];
    c->nodelay = true;
}

static struct duo *pair(bool a0, bool a1)
{
    auth_on[0] = auth_on[1] = true;
    asconf_on[0] = a0;
    asconf_on[1] = a1;
    struct duo *d = duo_new(tweak);
    assert_true(duo_connect(d));
    return d;
}

static sctpng_eng_path_info path(struct duo *d, int side, uint32_t i)
{
    sctpng_eng_path_info pi;
    assert_int_equal(sctpng_eng_get_path(d->e[side], d->a[side], i, &pi), 0);
    return pi;
}

static void wait_answer(struct duo *d, int *result)
{
    pump_run(&d->p, d->p.now + 3 * SEC);
    bool pending = true;
    assert_int_equal(sctpng_eng_asconf_status(d->e[0], d->a[0], &pending, result, NULL), 0);
    assert_false(pending);
}

static void codec_roundtrip(void **state)
{
    (void)state;
    struct asconf a = {.serial = 77, .n = 3};
    a.lookup = duo_ip4(1);
    uint16_t types[3] = {PT_ADD_IP, PT_SET_PRIMARY, PT_DEL_IP};
    for (unsigned i = 0; i < 3; i++) {
        a.req[i].type = types[i];
        a.req[i].corr = 100 + i;
        a.req[i].addr = duo_ip4((uint8_t)(3 + i));
    }
    uint8_t buf[256 + 4];
    int n = asconf_encode(&a, buf + 4, sizeof(buf) - 4);
    assert_true(n > 0);
    struct chunk c = {.type = CT_ASCONF, .hdr = buf, .val = buf + 4, .vlen = (uint16_t)n};
    struct asconf b;
    assert_int_equal(asconf_decode(&c, &b), 0);
    assert_int_equal(b.serial, 77);
    assert_int_equal(b.n, 3);
    for (unsigned i = 0; i < 3; i++) {
        assert_int_equal(b.req[i].type, types[i]);
        assert_int_equal(b.req[i].corr, 100 + i);
        assert_memory_equal(&((struct sockaddr_in *)&b.req[i].addr)->sin_addr,
                            &((struct sockaddr_in *)&a.req[i].addr)->sin_addr, 4);
    }
    c.vlen = (uint16_t)(n - 1); /* cut inside the last request */
    assert_int_equal(asconf_decode(&c, &b), -1);
    struct asconf_ack k = {.serial = 9, .n = 2};
    k.resp[0] = (struct asconf_resp){PT_SUCCESS_IND, 1, 0};
    k.resp[1] = (struct asconf_resp){PT_ERROR_IND, 2, CAUSE_DEL_LAST_IP};
    n = asconf_ack_encode(&k, buf + 4, sizeof(buf) - 4);
    c = (struct chunk){.type = CT_ASCONF_ACK, .hdr = buf, .val = buf + 4, .vlen = (uint16_t)n};
    struct asconf_ack m;
    assert_int_equal(asconf_ack_decode(&c, &m), 0);
    assert_int_equal(m.serial, 9);
    assert_int_equal(m.n, 2);
    assert_int_equal(m.resp[1].cause, CAUSE_DEL_LAST_IP);
}

static void negotiation(void **state)
{
    (void)state;
    struct duo *d = pair(true, true);
    assert_int_equal(sctpng_eng_asconf_status(d->e[0], d->a[0], NULL, NULL, NULL), 0);
    uint8_t types[8];
    int n = sctpng_eng_auth_get_chunks(d->e[0], d->a[0], true, types, 8);
    assert_int_equal(n, 2); /* the peer requires ASCONF and ASCONF-ACK authenticated */
    duo_free(d);
    d = pair(true, false);
    struct sockaddr_storage a3 = duo_ip4(3);
    assert_int_equal(sctpng_eng_asconf_add_addr(d->e[0], d->a[0], &a3, d->p.now), -ENOPROTOOPT);
    duo_free(d);
    auth_on[0] = auth_on[1] = false; /* ASCONF without AUTH: never */
    asconf_on[0] = asconf_on[1] = true;
    d = duo_new(tweak);
    assert_true(duo_connect(d));
    assert_int_equal(sctpng_eng_asconf_status(d->e[0], d->a[0], NULL, NULL, NULL), -ENOPROTOOPT);
    duo_free(d);
}

/* Side 0 sends from the address side 1 last reached it at (input.c),
 * which the heartbeats of side 1's two paths alternate: a heartbeat to
 * side 0's first address makes that the source of what follows. */
static void from_a1(struct duo *d)
{
    assert_int_equal(sctpng_eng_heartbeat_now(d->e[1], d->a[1], 0, d->p.now), 0);
    pump_run(&d->p, d->p.now + 30 * MS);
}

static void add_primary_delete(void **state)
{
    (void)state;
    struct duo *d = pair(true, true);
    struct sockaddr_storage a3 = duo_ip4(3), a1 = duo_ip4(1);
    assert_int_equal(duo_status(d, 1).n_paths, 1);
    assert_int_equal(sctpng_eng_asconf_add_addr(d->e[0], d->a[0], &a3, d->p.now), 0);
    assert_int_equal(sctpng_eng_asconf_add_addr(d->e[0], d->a[0], &a3, d->p.now), -EINPROGRESS);
    int result = -1;
    wait_answer(d, &result);
    assert_int_equal(result, 0);
    assert_int_equal(duo_status(d, 1).n_paths, 2);
    sctpng_eng_path_info pi = path(d, 1, 1);
    assert_memory_equal(&((struct sockaddr_in *)&pi.addr)->sin_addr,
                        &((struct sockaddr_in *)&a3)->sin_addr, 4);
    assert_int_equal(pi.state, SCTPNG_ENG_PATH_ACTIVE); /* confirmed by a heartbeat */
    /* the peer's primary becomes our new address */
    assert_int_equal(sctpng_eng_asconf_set_peer_primary(d->e[0], d->a[0], &a3, d->p.now), 0);
    wait_answer(d, &result);
    assert_int_equal(result, 0);
    assert_int_equal(duo_status(d, 1).primary, 1);
    /* deleting the address the ASCONF comes from is refused */
    from_a1(d);
    assert_int_equal(sctpng_eng_asconf_del_addr(d->e[0], d->a[0], &a1, d->p.now), 0);
    wait_answer(d, &result);
    assert_int_equal(result, CAUSE_DEL_SOURCE_IP);
    /* deleting the new one: inactive for good, the primary moves back */
    from_a1(d);
    assert_int_equal(sctpng_eng_asconf_del_addr(d->e[0], d->a[0], &a3, d->p.now), 0);
    wait_answer(d, &result);
    assert_int_equal(result, 0);
    assert_int_equal(path(d, 1, 1).state, SCTPNG_ENG_PATH_INACTIVE);
    assert_int_equal(duo_status(d, 1).primary, 0);
    unsigned acked = 0;
    assert_int_equal(sctpng_eng_asconf_status(d->e[0], d->a[0], NULL, NULL, &acked), 0);
    assert_int_equal(acked, 4);
    /* data still flows */
    static const uint8_t msg[100];
    assert_int_equal(sctpng_eng_send(d->e[0], d->a[0], msg, sizeof(msg), NULL, d->p.now), 100);
    pump_run(&d->p, d->p.now + SEC);
    assert_int_equal(d->got[1], 1);
    duo_free(d);
}

/* Side 1 sends to side 0's new address, its primary, and side 0 deletes
 * that address while the data is in flight: the SACK for it, which comes
 * after the Delete IP, must not make the deleted path active again (it
 * did: REMOVED, then AVAILABLE, and the peer's lists kept the address). */
static void deleted_in_use(void **state)
{
    (void)state;
    struct duo *d = pair(true, true);
    struct sockaddr_storage a3 = duo_ip4(3);
    int result = -1;
    assert_int_equal(sctpng_eng_asconf_add_addr(d->e[0], d->a[0], &a3, d->p.now), 0);
    wait_answer(d, &result);
    assert_int_equal(sctpng_eng_asconf_set_peer_primary(d->e[0], d->a[0], &a3, d->p.now), 0);
    wait_answer(d, &result);
    assert_int_equal(duo_status(d, 1).primary, 1);
    from_a1(d); /* the Delete IP leaves from a1, the one that stays */
    static const uint8_t msg[100];
    assert_int_equal(sctpng_eng_send(d->e[1], d->a[1], msg, sizeof(msg), NULL, d->p.now), 100);
    assert_int_equal(sctpng_eng_asconf_del_addr(d->e[0], d->a[0], &a3, d->p.now), 0);
    wait_answer(d, &result);
    assert_int_equal(result, 0);
    assert_int_equal(d->got[0], 1);
    sctpng_eng_path_info pi = path(d, 1, 1);
    assert_int_equal(pi.state, SCTPNG_ENG_PATH_INACTIVE);
    assert_true(pi.removed);
    assert_int_equal(duo_status(d, 1).primary, 0);
    duo_free(d);
}

/* Drops side 0's first ASCONF, keeps the second's copy for a replay. */
struct rtx {
    unsigned asconf_pkts;
    uint8_t copy[2048];
    size_t len;
};

static bool drop_first(struct duo *d, int from, const uint8_t *pkt, size_t len)
{
    struct rtx *r = d->ctx;
    if (from != 0 || !duo_has_chunk(pkt, len, CT_ASCONF))
        return false;
    if (++r->asconf_pkts == 2 && len <= sizeof(r->copy)) {
        memcpy(r->copy, pkt, len);
        r->len = len;
    }
    return r->asconf_pkts == 1;
}

static void retransmitted(void **state)
{
    (void)state;
    struct duo *d = pair(true, true);
    struct rtx r;
    memset(&r, 0, sizeof(r));
    d->ctx = &r;
    d->drop = drop_first;
    struct sockaddr_storage a3 = duo_ip4(3);
    assert_int_equal(sctpng_eng_asconf_add_addr(d->e[0], d->a[0], &a3, d->p.now), 0);
    int result = -1;
    wait_answer(d, &result);
    assert_int_equal(result, 0);
    assert_int_equal(r.asconf_pkts, 2); /* lost once, sent again by the timer */
    assert_int_equal(duo_status(d, 1).n_paths, 2);
    /* the same ASCONF again: answered (ASCONF-ACK), applied once */
    uint64_t before = duo_status(d, 1).ctrl_chunks_sent;
    sctpng_eng_path from = {.remote = d->p.addr[0]};
    assert_int_equal(sctpng_eng_input(d->e[1], r.copy, r.len, &from, d->p.now), 0);
    pump_run(&d->p, d->p.now + SEC);
    assert_int_equal(duo_status(d, 1).n_paths, 2);
    assert_true(duo_status(d, 1).ctrl_chunks_sent > before);
    duo_free(d);
}

/* An ASCONF without AUTH before it: dropped. */
static void put_bare_asconf(struct pkt_writer *w, void *arg)
{
    (void)arg;
    duo_put_asconf(w, PT_ADD_IP, 1, 9);
}

static void unauthenticated_dropped(void **state)
{
    (void)state;
    struct duo *d = pair(true, true);
    for (uint32_t serial_try = 0; serial_try < 1; serial_try++)
        duo_inject(d, 0, put_bare_asconf, d);
    pump_run(&d->p, d->p.now + SEC);
    assert_int_equal(duo_status(d, 1).n_paths, 1);
    uint64_t drops = 0;
    assert_int_equal(sctpng_eng_auth_info(d->e[1], d->a[1], NULL, &drops), 0);
    assert_int_equal(drops, 1);
    duo_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(codec_roundtrip),         cmocka_unit_test(negotiation),
        cmocka_unit_test(add_primary_delete),      cmocka_unit_test(retransmitted),
        cmocka_unit_test(unauthenticated_dropped), cmocka_unit_test(deleted_in_use),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
