/* ICMP errors (icmp.c): the verification tag check of RFC 9260 appendix C
 * (a wrong tag, or a tag of 0 without our INIT behind it, is ignored and
 * counted), port unreachable during set-up ends it at once with
 * -ECONNREFUSED, later it only counts against the path, an error no
 * association sent is ignored, and "fragmentation needed" lowers the path
 * MTU so that big messages still get through without a T3 timeout. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>

#include "duo.h"
#include "engine/wire.h"

/* The last packet side 0 sent, and where to; side 0's packets are dropped
 * while `hold` is set. */
struct catch
{
    bool hold;
    uint8_t pkt[PUMP_PKT_MAX];
    size_t len;
    sctpng_eng_path to;
};

static bool catch0(struct duo *d, int from, const uint8_t *pkt, size_t len)
{
    struct catch *c = d->ctx;
    if (from != 0)
        return false;
    memcpy(c->pkt, pkt, len);
    c->len = len;
    c->to = *d->p.cur_to;
    return c->hold;
}

static int icmp_in(struct duo *d, sctpng_eng_icmp_kind kind, uint32_t mtu, const uint8_t *q,
                   size_t qlen, const sctpng_eng_path *to)
{
    sctpng_eng_icmp ic;
    sctpng_eng_icmp_init(&ic);
    ic.kind = kind;
    ic.mtu = mtu;
    ic.path.remote = to->remote;
    ic.quote = q;
    ic.quote_len = qlen;
    return sctpng_eng_icmp_input(d->e[0], &ic, d->p.now);
}

static sctpng_eng_stats stats0(const struct duo *d)
{
    sctpng_eng_stats st;
    sctpng_eng_get_stats(d->e[0], &st);
    return st;
}

/* Side 0 sends an INIT that side 1 never sees; returns the association. */
static uint32_t init_lost(struct duo *d, struct catch *c)
{
    uint32_t id;
    c->hold = true;
    d->ctx = c;
    d->drop = catch0;
    assert_int_equal(sctpng_eng_connect(d->e[0], &d->p.addr[1], 1, 5001, d->p.now, &id), 0);
    pump_step(&d->p);
    assert_true(c->len >= 24);
    assert_true(duo_has_chunk(c->pkt, c->len, CT_INIT));
    assert_int_equal(get32(c->pkt + 4), 0);
    return id;
}

static void refused_during_setup(void **state)
{
    (void)state;
    struct catch *c = calloc(1, sizeof(*c));
    struct duo *d = duo_new(NULL);
    uint32_t id = init_lost(d, c);
    uint8_t q[64];
    size_t qlen = c->len < sizeof(q) ? c->len : sizeof(q);
    memcpy(q, c->pkt, qlen);

    /* A tag of 0 needs the INIT's Initiate Tag to match ours. */
    q[16] ^= 0x5A;
    assert_int_equal(icmp_in(d, SCTPNG_ENG_ICMP_PORT_UNREACH, 0, q, qlen, &c->to), -EACCES);
    q[16] ^= 0x5A;
    /* Quoted too short to see it: ignored too. */
    assert_int_equal(icmp_in(d, SCTPNG_ENG_ICMP_PORT_UNREACH, 0, q, 12, &c->to), -EBADMSG);
    assert_int_equal(icmp_in(d, SCTPNG_ENG_ICMP_PORT_UNREACH, 0, q, 19, &c->to), -EBADMSG);
    sctpng_eng_status st;
    assert_int_equal(sctpng_eng_get_status(d->e[0], id, &st), 0);
    assert_int_equal(st.state, SCTPNG_ENG_COOKIE_WAIT);
    assert_int_equal(stats0(d).icmp_bad_vtag, 3);

    /* The real one (20 bytes quoted reach the Initiate Tag): refused at
     * once, at the same instant, like an ABORT. */
    assert_int_equal(icmp_in(d, SCTPNG_ENG_ICMP_PORT_UNREACH, 0, q, 20, &c->to), 0);
    sctpng_eng_event ev;
    bool down = false;
    while (sctpng_eng_poll_event(d->e[0], &ev) == 1)
        if (ev.type == SCTPNG_ENG_EV_ASSOC_DOWN && ev.assoc == id) {
            down = true;
            assert_int_equal(ev.u.down.reason, SCTPNG_ENG_DOWN_CANT_START);
            assert_int_equal(ev.u.down.error, -ECONNREFUSED);
        }
    assert_true(down);
    assert_int_equal(stats0(d).icmp_refused, 1);
    assert_int_equal(sctpng_eng_get_status(d->e[0], id, &st), -ENOENT);
    assert_int_equal(sctpng_eng_deadline(d->e[0]), UINT64_MAX); /* no T1 left */
    duo_free(d);
    free(c);
}

/* Protocol unreachable means the same during set-up (ICMP8). */
static void proto_unreachable_refuses(void **state)
{
    (void)state;
    struct catch *c = calloc(1, sizeof(*c));
    struct duo *d = duo_new(NULL);
    uint32_t id = init_lost(d, c);
    assert_int_equal(icmp_in(d, SCTPNG_ENG_ICMP_PROTO_UNREACH, 0, c->pkt, c->len, &c->to), 0);
    sctpng_eng_status st;
    assert_int_equal(sctpng_eng_get_status(d->e[0], id, &st), -ENOENT);
    duo_free(d);
    free(c);
}

/* Side 0 sends one DATA packet (delivered) and keeps a copy. */
static void one_data_packet(struct duo *d, struct catch *c)
{
    c->hold = false;
    d->ctx = c;
    d->drop = catch0;
    c->len = 0;
    assert_int_equal(sctpng_eng_send(d->e[0], d->a[0], "hello", 5, NULL, d->p.now), 5);
    pump_step(&d->p);
    assert_true(c->len > 0 && duo_data_chunks(c->pkt, c->len, NULL) == 1);
}

static void established_checks_the_tag(void **state)
{
    (void)state;
    struct catch *c = calloc(1, sizeof(*c));
    struct duo *d = duo_new(NULL);
    assert_true(duo_connect(d));
    one_data_packet(d, c);
    sctpng_eng_status st = duo_status(d, 0);
    assert_int_equal(get32(c->pkt + 4), st.peer_vtag);

    /* Wrong tag: every kind is ignored and counted, nothing changes. */
    uint8_t bad[64];
    memcpy(bad, c->pkt, sizeof(bad));
    put32(bad + 4, st.peer_vtag + 1);
    assert_int_equal(icmp_in(d, SCTPNG_ENG_ICMP_PORT_UNREACH, 0, bad, sizeof(bad), &c->to),
                     -EACCES);
    assert_int_equal(icmp_in(d, SCTPNG_ENG_ICMP_FRAG_NEEDED, 600, bad, sizeof(bad), &c->to),
                     -EACCES);
    /* Tag 0 on a packet that is no INIT: not ours either. */
    put32(bad + 4, 0);
    assert_int_equal(icmp_in(d, SCTPNG_ENG_ICMP_PORT_UNREACH, 0, bad, sizeof(bad), &c->to),
                     -EACCES);
    assert_int_equal(stats0(d).icmp_bad_vtag, 3);
    sctpng_eng_path_info pi = duo_path(d, 0);
    assert_int_equal(pi.mtu, 1200);
    assert_int_equal(pi.errors, 0);

    /* The right tag: a port unreachable counts against the path only,
     * the association stays; beyond Path.Max.Retrans the path is
     * INACTIVE, and still the association lives. */
    unsigned pmr = d->cfg[0].path_max_retrans;
    for (unsigned k = 0; k <= pmr; k++)
        assert_int_equal(icmp_in(d, SCTPNG_ENG_ICMP_PORT_UNREACH, 0, c->pkt, 16, &c->to), 0);
    pi = duo_path(d, 0);
    assert_int_equal(pi.errors, pmr + 1);
    assert_int_equal(pi.state, SCTPNG_ENG_PATH_INACTIVE);
    assert_int_equal(duo_status(d, 0).state, SCTPNG_ENG_ESTABLISHED);
    assert_int_equal(stats0(d).icmp_path_errs, pmr + 1);

    /* Other unreachables and unknown kinds: counted only. */
    assert_int_equal(icmp_in(d, SCTPNG_ENG_ICMP_UNREACH, 0, c->pkt, 12, &c->to), 0);
    assert_int_equal(icmp_in(d, SCTPNG_ENG_ICMP_OTHER, 0, c->pkt, 12, &c->to), 0);
    assert_int_equal(stats0(d).icmp_soft, 2);

    /* The association still carries data (and the path comes back). */
    assert_int_equal(sctpng_eng_send(d->e[0], d->a[0], "again", 5, NULL, d->p.now), 5);
    pump_run(&d->p, d->p.now + 2 * SEC);
    assert_int_equal(d->got[1], 2);
    duo_free(d);
    free(c);
}

static void unknown_association_ignored(void **state)
{
    (void)state;
    struct catch *c = calloc(1, sizeof(*c));
    struct duo *d = duo_new(NULL);
    assert_true(duo_connect(d));
    one_data_packet(d, c);
    uint8_t q[32];
    memcpy(q, c->pkt, sizeof(q));

    /* Another peer port, another local port, another address. */
    put16(q + 2, 5999);
    assert_int_equal(icmp_in(d, SCTPNG_ENG_ICMP_PORT_UNREACH, 0, q, sizeof(q), &c->to), -ENOTCONN);
    memcpy(q, c->pkt, sizeof(q));
    put16(q, 5998);
    assert_int_equal(icmp_in(d, SCTPNG_ENG_ICMP_PORT_UNREACH, 0, q, sizeof(q), &c->to), -ENOTCONN);
    sctpng_eng_path other = c->to;
    ((struct sockaddr_in *)&other.remote)->sin_addr.s_addr ^= htonl(0xFF);
    assert_int_equal(icmp_in(d, SCTPNG_ENG_ICMP_PORT_UNREACH, 0, c->pkt, 32, &other), -ENOTCONN);
    /* Bad arguments. */
    assert_int_equal(icmp_in(d, SCTPNG_ENG_ICMP_PORT_UNREACH, 0, NULL, 5, &c->to), -EINVAL);
    sctpng_eng_icmp ic;
    sctpng_eng_icmp_init(&ic);
    ic.size = 4;
    assert_int_equal(sctpng_eng_icmp_input(d->e[0], &ic, d->p.now), -EINVAL);

    sctpng_eng_stats st = stats0(d);
    assert_int_equal(st.icmp_no_assoc, 3);
    assert_int_equal(st.icmp_in, 3);
    assert_int_equal(duo_path(d, 0).errors, 0);
    assert_int_equal(duo_status(d, 0).state, SCTPNG_ENG_ESTABLISHED);
    duo_free(d);
    free(c);
}

/* A link from side 0 whose MTU is LINK_MTU: a bigger packet is dropped
 * with an ICMP "fragmentation needed" (quoting 64 bytes) until the sender's
 * IP layer has seen one; after that it fragments such packets, which then
 * arrive (what Linux does for a UDP socket). */
#define LINK_MTU 1000

struct mtu_link {
    bool ip_knows;
    unsigned pending; /* ICMP errors not yet given to side 0 */
    uint8_t quote[8][64];
    sctpng_eng_path to[8];
    unsigned dropped, fragmented, big_late;
    bool late; /* second batch: count packets above the link MTU */
};

static bool mtu_drop(struct duo *d, int from, const uint8_t *pkt, size_t len)
{
    struct mtu_link *l = d->ctx;
    if (from != 0 || len <= LINK_MTU)
        return false;
    if (l->late)
        l->big_late++;
    if (l->ip_knows) {
        l->fragmented++;
        return false;
    }
    l->dropped++;
    if (l->pending < 8) {
        memcpy(l->quote[l->pending], pkt, 64);
        l->to[l->pending++] = *d->p.cur_to;
    }
    return true;
}

static void tweak_1500(sctpng_eng_config *c, int side)
{
    (void)side;
    c->mtu = 1500;
}

static void run_with_icmp(struct duo *d, struct mtu_link *l, unsigned want, uint64_t limit)
{
    while (d->got[1] < want && d->p.now < limit) {
        pump_step(&d->p);
        for (unsigned k = 0; k < l->pending; k++) {
            int r = icmp_in(d, SCTPNG_ENG_ICMP_FRAG_NEEDED, LINK_MTU, l->quote[k], 64, &l->to[k]);
            assert_int_equal(r, 0);
            l->ip_knows = true;
        }
        l->pending = 0;
    }
}

static void frag_needed_lowers_pmtu(void **state)
{
    (void)state;
    struct mtu_link *l = calloc(1, sizeof(*l));
    struct duo *d = duo_new(tweak_1500);
    d->ctx = l;
    d->drop = mtu_drop;
    assert_true(duo_connect(d));
    /* 20 full fragments of 972 bytes and a short one that bundles with
     * the next message's first */
    static uint8_t msg[972 * 20 + 200];
    for (size_t i = 0; i < sizeof(msg); i++)
        msg[i] = (uint8_t)(i * 7);
    for (int k = 0; k < 8; k++)
        assert_int_equal(sctpng_eng_send(d->e[0], d->a[0], msg, sizeof(msg), NULL, d->p.now),
                         (ssize_t)sizeof(msg));
    uint64_t t0 = d->p.now;
    run_with_icmp(d, l, 8, t0 + 10 * SEC);
    assert_int_equal(d->got[1], 8);
    assert_true(l->dropped > 0);
    sctpng_eng_path_info pi = duo_path(d, 0);
    assert_int_equal(pi.mtu, LINK_MTU);
    sctpng_eng_stats st = stats0(d);
    assert_int_equal(st.icmp_pmtu, 1);
    /* The dropped chunks went again at once, not after a T3 timeout. */
    assert_int_equal(duo_status(d, 0).t3_expiries, 0);
    assert_true(d->p.now - t0 < 1 * SEC);

    /* Messages sent now are cut for the new MTU: nothing above it. */
    l->late = true;
    for (int k = 0; k < 8; k++)
        assert_int_equal(sctpng_eng_send(d->e[0], d->a[0], msg, sizeof(msg), NULL, d->p.now),
                         (ssize_t)sizeof(msg));
    run_with_icmp(d, l, 16, d->p.now + 10 * SEC);
    assert_int_equal(d->got[1], 16);
    assert_int_equal(l->big_late, 0);
    /* A larger MTU never raises it; below the engine's minimum it stops. */
    uint8_t q[64];
    memcpy(q, l->quote[0], sizeof(q));
    assert_int_equal(icmp_in(d, SCTPNG_ENG_ICMP_FRAG_NEEDED, 1400, q, 64, &l->to[0]), 0);
    assert_int_equal(duo_path(d, 0).mtu, LINK_MTU);
    assert_int_equal(icmp_in(d, SCTPNG_ENG_ICMP_FRAG_NEEDED, 100, q, 64, &l->to[0]), 0);
    assert_int_equal(duo_path(d, 0).mtu, SCTPNG_ENG_MIN_MTU);
    duo_free(d);
    free(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(refused_during_setup),       cmocka_unit_test(proto_unreachable_refuses),
        cmocka_unit_test(established_checks_the_tag), cmocka_unit_test(unknown_association_ignored),
        cmocka_unit_test(frag_needed_lowers_pmtu),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
