/* RFC 4895 AUTH in the engine: the codec (HMAC test vectors, parameter
 * validation, key order), authenticated DATA taken, forged or missing
 * AUTH dropped, keys changed on a live association, the HMAC chosen from
 * the peer's list, COOKIE-ECHO authenticated with the cookie's keys, a
 * peer without AUTH, an HMAC we did not offer answered with an ERROR;
 * our ABORT signed where the peer requires it, an ABORT without a valid
 * AUTH dropped where we require it. */
#include <errno.h>
#include <stdio.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "duo.h"
#include "engine/auth.h"
#include "engine/crc.h"
#include "engine/wire.h"

/* ---- codec ------------------------------------------------------------ */

static void hex(const char *s, uint8_t *out)
{
    for (size_t i = 0; s[2 * i]; i++) {
        unsigned v;
        sscanf(s + 2 * i, "%2x", &v);
        out[i] = (uint8_t)v;
    }
}

/* RFC 2202 / RFC 4231 test case 1: key 20 x 0x0b, "Hi There". */
static void hmac_vectors(void **state)
{
    (void)state;
    uint8_t key[20], out[32], want[32];
    memset(key, 0x0b, sizeof(key));
    assert_int_equal(auth_hmac(AUTH_HMAC_SHA1, key, 20, (const uint8_t *)"Hi There", 8, out), 20);
    hex("b617318655057264e28bc0b6fb378c8ef146be00", want);
    assert_memory_equal(out, want, 20);
    assert_int_equal(auth_hmac(AUTH_HMAC_SHA256, key, 20, (const uint8_t *)"Hi There", 8, out), 32);
    hex("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7", want);
    assert_memory_equal(out, want, 32);
    assert_int_equal(auth_hmac(2, key, 20, key, 1, out), -1);
}

static void param_validation(void **state)
{
    (void)state;
    uint16_t ids[4];
    const uint8_t sha1_256[] = {0, 1, 0, 3}, only256[] = {0, 3}, odd[] = {0, 1, 0};
    const uint8_t unknown_first[] = {0, 9, 0, 1};
    assert_int_equal(auth_hmacs_decode(sha1_256, 4, ids, 4), 2);
    assert_int_equal(ids[0], 1);
    assert_int_equal(ids[1], 3);
    assert_int_equal(auth_hmacs_decode(only256, 2, ids, 4), -1); /* SHA-1 is a MUST */
    assert_int_equal(auth_hmacs_decode(odd, 3, ids, 4), -1);
    assert_int_equal(auth_hmacs_decode(odd, 0, ids, 4), -1);
    assert_int_equal(auth_hmacs_decode(unknown_first, 4, ids, 4), 1); /* 9 skipped */
    assert_int_equal(ids[0], 1);
    struct auth_types t;
    const uint8_t types[] = {CT_DATA, CT_INIT, CT_AUTH, CT_SACK, CT_SHUTDOWN_COMPLETE, 0xC1};
    assert_int_equal(auth_chunks_decode(types, sizeof(types), &t), 0);
    assert_true(auth_types_has(&t, CT_DATA) && auth_types_has(&t, CT_SACK) &&
                auth_types_has(&t, 0xC1));
    assert_false(auth_types_has(&t, CT_INIT) || auth_types_has(&t, CT_AUTH) ||
                 auth_types_has(&t, CT_SHUTDOWN_COMPLETE));
    uint8_t many[AUTH_MAX_CHUNKS + 1] = {0};
    assert_int_equal(auth_chunks_decode(many, sizeof(many), &t), -1);
    uint8_t rnd[AUTH_RANDOM_MAX + 1] = {0};
    assert_int_equal(auth_random_decode(rnd, 32), 0);
    assert_int_equal(auth_random_decode(rnd, 8), -1);
    assert_int_equal(auth_random_decode(rnd, sizeof(rnd)), -1);
    /* AUTH chunk: the HMAC length must be the identifier's */
    uint8_t v[4 + 20] = {0, 7, 0, AUTH_HMAC_SHA256};
    struct chunk c = {.type = CT_AUTH, .vlen = sizeof(v), .val = v, .hdr = v};
    struct auth_chunk ac;
    assert_int_equal(auth_chunk_decode(&c, &ac), -1);
    v[3] = AUTH_HMAC_SHA1;
    assert_int_equal(auth_chunk_decode(&c, &ac), 0);
    assert_int_equal(ac.key_id, 7);
    assert_int_equal(ac.hmac_len, 20);
    c.vlen = 3;
    assert_int_equal(auth_chunk_decode(&c, &ac), -1);
}

/* RFC 4895 6.1: shared key, smaller vector, larger vector. */
static void key_order(void **state)
{
    (void)state;
    const uint8_t k[] = {0xAA}, lo[] = {1, 2, 3}, hi[] = {1, 2, 4}, longer[] = {0, 0, 5, 0};
    uint8_t out[16];
    assert_int_equal(auth_assoc_key(k, 1, hi, 3, lo, 3, out, sizeof(out)), 7);
    const uint8_t want[] = {0xAA, 1, 2, 3, 1, 2, 4};
    assert_memory_equal(out, want, 7);
    assert_int_equal(auth_assoc_key(k, 1, lo, 3, hi, 3, out, sizeof(out)), 7);
    assert_memory_equal(out, want, 7);
    /* leading zeros do not make a number larger: 0x000500 < 0x010203 */
    assert_int_equal(auth_assoc_key(NULL, 0, lo, 3, longer, 4, out, sizeof(out)), 7);
    assert_memory_equal(out, longer, 4);
    assert_int_equal(auth_assoc_key(k, 1, lo, 3, hi, 3, out, 6), -1);
}

/* ---- two engines ------------------------------------------------------ */

static struct {
    bool auth[2];
    const uint8_t *chunks[2];
    size_t n_chunks[2];
    const uint16_t *hmacs[2];
    size_t n_hmacs[2];
} conf;

static const uint8_t data_only[] = {CT_DATA};
static const uint8_t data_sack[] = {CT_DATA, CT_SACK};

static void with_auth(sctpng_eng_config *c, int side)
{
    c->auth = conf.auth[side];
    c->auth_chunks = conf.chunks[side];
    c->n_auth_chunks = conf.n_chunks[side];
    c->auth_hmacs = conf.hmacs[side];
    c->n_auth_hmacs = conf.n_hmacs[side];
    c->nodelay = true; /* each send leaves at once (next_data_packet) */
}

static void reset_conf(void)
{
    memset(&conf, 0, sizeof(conf));
    conf.auth[0] = conf.auth[1] = true;
}

/* The first chunk of a type, or NULL. */
static const uint8_t *find(const uint8_t *pkt, size_t len, uint8_t type, size_t *idx)
{
    struct chunk_iter it;
    struct chunk c;
    size_t i = 0;
    chunk_iter_init(&it, pkt, len);
    while (chunk_next(&it, &c) == 1) {
        if (c.type == type) {
            if (idx)
                *idx = i;
            return c.hdr;
        }
        i++;
    }
    return NULL;
}

/* Per direction: packets with DATA, of those with AUTH before DATA, the
 * HMAC identifiers seen. */
struct watch {
    unsigned data[2], signed_data[2];
    uint16_t hmac[2];
    bool cookie_signed;
};

/* Whether pkt carries a chunk of `type` (*has) with an AUTH chunk before
 * it, which signs it (*is_signed, RFC 4895 6.2); returns the AUTH chunk
 * or NULL, and its place among the chunks in *ia. */
static const uint8_t *auth_before(const uint8_t *pkt, size_t len, uint8_t type, bool *has,
                                  bool *is_signed, size_t *ia)
{
    size_t ix = 0;
    const uint8_t *auth = find(pkt, len, CT_AUTH, ia);
    *has = find(pkt, len, type, &ix) != NULL;
    *is_signed = *has && auth && *ia < ix;
    return auth;
}

static bool watcher(struct duo *d, int from, const uint8_t *pkt, size_t len)
{
    struct watch *w = d->ctx;
    size_t ia = 0, ic = 0;
    bool has, sig;
    const uint8_t *auth = auth_before(pkt, len, CT_DATA, &has, &sig, &ia);
    if (auth)
        w->hmac[from] = get16(auth + 6);
    w->data[from] += has;
    w->signed_data[from] += sig;
    if (find(pkt, len, CT_COOKIE_ECHO, &ic) && auth && ia == 0 && ic == 1)
        w->cookie_signed = true;
    return false;
}

static void send_n(struct duo *d, int side, int n)
{
    static const uint8_t msg[200];
    for (int i = 0; i < n; i++)
        assert_int_equal(sctpng_eng_send(d->e[side], d->a[side], msg, sizeof(msg), NULL, d->p.now),
                         (ssize_t)sizeof(msg));
}

static uint64_t drops(struct duo *d, int side)
{
    uint64_t n = 0;
    assert_int_equal(sctpng_eng_auth_info(d->e[side], d->a[side], NULL, &n), 0);
    return n;
}

static void authenticated_data(void **state)
{
    (void)state;
    reset_conf();
    conf.chunks[0] = data_sack;
    conf.n_chunks[0] = 2;
    conf.chunks[1] = data_only;
    conf.n_chunks[1] = 1;
    struct watch w;
    memset(&w, 0, sizeof(w));
    struct duo *d = duo_new(with_auth);
    d->ctx = &w;
    d->drop = watcher;
    assert_true(duo_connect(d));
    send_n(d, 0, 30);
    send_n(d, 1, 30);
    pump_run(&d->p, d->p.now + 3 * SEC);
    assert_int_equal(d->got[0], 30);
    assert_int_equal(d->got[1], 30);
    assert_true(w.data[0] > 0 && w.data[1] > 0);
    assert_int_equal(w.signed_data[0], w.data[0]);
    assert_int_equal(w.signed_data[1], w.data[1]);
    assert_int_equal(drops(d, 0), 0);
    assert_int_equal(drops(d, 1), 0);
    uint8_t types[8];
    assert_int_equal(sctpng_eng_auth_get_chunks(d->e[0], d->a[0], true, types, 8), 1);
    assert_int_equal(types[0], CT_DATA);
    assert_int_equal(sctpng_eng_auth_get_chunks(d->e[1], d->a[1], true, types, 8), 2);
    assert_int_equal(sctpng_eng_auth_get_chunks(d->e[0], d->a[0], false, types, 8), 2);
    assert_int_equal(pump_count(&d->p, 0, SCTPNG_ENG_EV_AUTH), 0);
    duo_free(d);
}

/* Takes side 0's next packet with DATA out of the engine. */
static size_t next_data_packet(struct duo *d, uint8_t *buf, size_t cap, sctpng_eng_path *from)
{
    sctpng_eng_path to;
    for (int i = 0; i < 8; i++) {
        ssize_t n = sctpng_eng_output(d->e[0], d->p.now, buf, cap, &to);
        assert_true(n >= 0);
        if (n > 0 && find(buf, (size_t)n, CT_DATA, NULL)) {
            from->remote = to.local;
            from->local = to.remote;
            if (from->remote.ss_family == 0)
                from->remote = d->p.addr[0];
            return (size_t)n;
        }
    }
    fail_msg("no DATA packet");
    return 0;
}

static void fix_crc(uint8_t *pkt, size_t len)
{
    sctp_packet_set_crc(pkt, len);
}

static void forged_or_missing_dropped(void **state)
{
    (void)state;
    reset_conf();
    conf.chunks[1] = data_only;
    conf.n_chunks[1] = 1;
    struct duo *d = duo_new(with_auth);
    assert_true(duo_connect(d));
    for (int mode = 0; mode < 3; mode++) {
        send_n(d, 0, 1);
        uint8_t buf[2048];
        sctpng_eng_path from;
        size_t n = next_data_packet(d, buf, sizeof(buf), &from);
        uint8_t *auth = (uint8_t *)find(buf, n, CT_AUTH, NULL);
        assert_non_null(auth);
        size_t alen = get16(auth + 2);
        if (mode == 0) { /* forged: one bit of the HMAC */
            auth[AUTH_HDR_LEN + 3] ^= 1;
        } else if (mode == 1) { /* forged: the data after the AUTH */
            buf[n - 1] ^= 0x40;
        } else { /* missing: the AUTH taken out */
            memmove(auth, auth + alen, (size_t)(buf + n - (auth + alen)));
            n -= alen;
        }
        fix_crc(buf, n);
        sctpng_eng_status before = duo_status(d, 1);
        assert_int_equal(sctpng_eng_input(d->e[1], buf, n, &from, d->p.now), 0);
        sctpng_eng_status after = duo_status(d, 1);
        assert_int_equal(after.data_chunks_recvd, before.data_chunks_recvd);
        assert_int_equal(drops(d, 1), (uint64_t)mode + 1);
    }
    /* the sender retransmits them signed: everything arrives */
    pump_run(&d->p, d->p.now + 5 * SEC);
    assert_int_equal(d->got[1], 3);
    assert_int_equal(drops(d, 1), 3);
    duo_free(d);
}

/* Side 0 does not require anything; a peer that drops AUTH from what we
 * require is not accepted: without AUTH configured on side 0 DATA flows
 * unauthenticated. */
static void no_auth_peer(void **state)
{
    (void)state;
    reset_conf();
    conf.auth[1] = false;
    conf.chunks[0] = data_only;
    conf.n_chunks[0] = 1;
    struct duo *d = duo_new(with_auth);
    assert_true(duo_connect(d));
    const sctpng_eng_event *ev = pump_find(&d->p, 0, SCTPNG_ENG_EV_AUTH);
    assert_non_null(ev);
    assert_int_equal(ev->u.auth.indication, SCTPNG_ENG_AUTH_NO_AUTH);
    assert_int_equal(sctpng_eng_auth_set_key(d->e[0], d->a[0], 1, "k", 1), -EACCES);
    assert_int_equal(sctpng_eng_auth_set_key(d->e[1], 0, 1, "k", 1), -EACCES);
    send_n(d, 1, 5);
    pump_run(&d->p, d->p.now + 2 * SEC);
    assert_int_equal(d->got[0], 5);
    duo_free(d);
}

static unsigned count_ind(const struct duo *d, int side, uint8_t ind, uint16_t key)
{
    unsigned n = 0;
    for (unsigned i = 0; i < d->p.nev[side]; i++) {
        const sctpng_eng_event *e = &d->p.ev[side][i];
        if (e->type == SCTPNG_ENG_EV_AUTH && e->u.auth.indication == ind && e->u.auth.keynum == key)
            n++;
    }
    return n;
}

static void key_change_live(void **state)
{
    (void)state;
    reset_conf();
    conf.chunks[1] = data_only;
    conf.n_chunks[1] = 1;
    struct duo *d = duo_new(with_auth);
    /* an endpoint key before set-up reaches the association */
    assert_int_equal(sctpng_eng_auth_set_key(d->e[0], 0, 3, "three", 5), 0);
    assert_int_equal(sctpng_eng_auth_set_key(d->e[1], 0, 3, "three", 5), 0);
    assert_true(duo_connect(d));
    uint16_t k = 99;
    assert_int_equal(sctpng_eng_auth_get_active_key(d->e[0], d->a[0], &k), 0);
    assert_int_equal(k, 0);
    assert_int_equal(sctpng_eng_auth_activate_key(d->e[0], d->a[0], 3), 0);
    send_n(d, 0, 5);
    pump_run(&d->p, d->p.now + 2 * SEC);
    assert_int_equal(d->got[1], 5);
    assert_int_equal(count_ind(d, 1, SCTPNG_ENG_AUTH_NEW_KEY, 3), 1);
    /* a key added on the live association, on both ends */
    assert_int_equal(sctpng_eng_auth_set_key(d->e[0], d->a[0], 9, "nine!", 5), 0);
    assert_int_equal(sctpng_eng_auth_set_key(d->e[1], d->a[1], 9, "nine!", 5), 0);
    assert_int_equal(sctpng_eng_auth_activate_key(d->e[0], d->a[0], 9), 0);
    /* the kernel's rules for a key in use */
    assert_int_equal(sctpng_eng_auth_delete_key(d->e[0], d->a[0], 9), -EINVAL);
    assert_int_equal(sctpng_eng_auth_deactivate_key(d->e[0], d->a[0], 9), -EINVAL);
    assert_int_equal(sctpng_eng_auth_deactivate_key(d->e[0], d->a[0], 3), 0);
    assert_int_equal(sctpng_eng_auth_activate_key(d->e[0], d->a[0], 3), -EINVAL);
    assert_int_equal(sctpng_eng_auth_delete_key(d->e[0], d->a[0], 3), 0);
    assert_int_equal(sctpng_eng_auth_delete_key(d->e[0], d->a[0], 3), -EINVAL);
    assert_int_equal(sctpng_eng_auth_activate_key(d->e[0], d->a[0], 77), -EINVAL);
    send_n(d, 0, 5);
    pump_run(&d->p, d->p.now + 2 * SEC);
    assert_int_equal(d->got[1], 10);
    assert_int_equal(count_ind(d, 1, SCTPNG_ENG_AUTH_NEW_KEY, 9), 1);
    assert_int_equal(count_ind(d, 0, SCTPNG_ENG_AUTH_FREE_KEY, 3), 1);
    assert_int_equal(drops(d, 1), 0);
    /* the receiver deletes the key the sender uses: its DATA is dropped */
    assert_int_equal(sctpng_eng_auth_delete_key(d->e[1], d->a[1], 9), 0);
    send_n(d, 0, 1);
    pump_run(&d->p, d->p.now + 500 * MS);
    assert_int_equal(d->got[1], 10);
    assert_true(drops(d, 1) >= 1);
    /* the sender goes back to key 0, which the receiver has: it arrives */
    assert_int_equal(sctpng_eng_auth_activate_key(d->e[0], d->a[0], 0), 0);
    pump_run(&d->p, d->p.now + 5 * SEC);
    assert_int_equal(d->got[1], 11);
    /* the endpoint's key 3 did not change with the association's */
    assert_int_equal(sctpng_eng_auth_activate_key(d->e[0], 0, 3), 0);
    assert_int_equal(sctpng_eng_auth_get_active_key(d->e[0], 0, &k), 0);
    assert_int_equal(k, 3);
    duo_free(d);
}

static void hmac_selection(void **state)
{
    (void)state;
    static const uint16_t sha1[] = {AUTH_HMAC_SHA1};
    static const uint16_t sha256_first[] = {AUTH_HMAC_SHA256, AUTH_HMAC_SHA1};
    for (int v = 0; v < 2; v++) {
        reset_conf();
        conf.chunks[0] = conf.chunks[1] = data_only;
        conf.n_chunks[0] = conf.n_chunks[1] = 1;
        /* side 1 offers only SHA-1 in one run: side 0 must use it */
        conf.hmacs[1] = v ? sha1 : sha256_first;
        conf.n_hmacs[1] = v ? 1 : 2;
        struct watch w;
        memset(&w, 0, sizeof(w));
        struct duo *d = duo_new(with_auth);
        d->ctx = &w;
        d->drop = watcher;
        assert_true(duo_connect(d));
        send_n(d, 0, 3);
        send_n(d, 1, 3);
        pump_run(&d->p, d->p.now + 2 * SEC);
        assert_int_equal(d->got[0], 3);
        assert_int_equal(d->got[1], 3);
        uint16_t h0 = 0, h1 = 0;
        assert_int_equal(sctpng_eng_auth_info(d->e[0], d->a[0], &h0, NULL), 0);
        assert_int_equal(sctpng_eng_auth_info(d->e[1], d->a[1], &h1, NULL), 0);
        assert_int_equal(h0, v ? AUTH_HMAC_SHA1 : AUTH_HMAC_SHA256);
        assert_int_equal(w.hmac[0], h0);
        assert_int_equal(h1, AUTH_HMAC_SHA256); /* side 0's default list */
        assert_int_equal(w.hmac[1], h1);
        duo_free(d);
    }
    /* lists without SHA-1, or with an HMAC we lack, are refused */
    reset_conf();
    struct duo *d = duo_new(with_auth);
    const uint16_t bad1[] = {AUTH_HMAC_SHA256}, bad2[] = {AUTH_HMAC_SHA1, 2};
    assert_int_equal(sctpng_eng_auth_set_hmacs(d->e[0], bad1, 1), -EINVAL);
    assert_int_equal(sctpng_eng_auth_set_hmacs(d->e[0], bad2, 2), -EINVAL);
    assert_int_equal(sctpng_eng_auth_set_hmacs(d->e[0], sha1, 1), 0);
    uint16_t ids[4];
    assert_int_equal(sctpng_eng_auth_get_hmacs(d->e[0], ids, 4), 1);
    assert_int_equal(sctpng_eng_auth_add_chunk(d->e[0], CT_INIT), -EINVAL);
    assert_int_equal(sctpng_eng_auth_add_chunk(d->e[0], CT_AUTH), -EINVAL);
    assert_int_equal(sctpng_eng_auth_add_chunk(d->e[0], CT_HEARTBEAT), 0);
    uint8_t types[4];
    assert_int_equal(sctpng_eng_auth_get_chunks(d->e[0], 0, false, types, 4), 1);
    assert_int_equal(types[0], CT_HEARTBEAT);
    duo_free(d);
}

/* The server requires COOKIE-ECHO authenticated: the client puts AUTH
 * before it, made with the INIT-ACK's vector, and the server checks it
 * with the keys the cookie makes; a broken one is dropped. */
static bool break_first_cookie(struct duo *d, int from, const uint8_t *pkt, size_t len)
{
    struct watch *w = d->ctx;
    watcher(d, from, pkt, len);
    if (from == 0 && find(pkt, len, CT_COOKIE_ECHO, NULL) && !w->data[1]++) {
        uint8_t buf[2048];
        memcpy(buf, pkt, len);
        uint8_t *auth = (uint8_t *)find(buf, len, CT_AUTH, NULL);
        assert_non_null(auth);
        auth[AUTH_HDR_LEN] ^= 0x80;
        fix_crc(buf, len);
        sctpng_eng_path from0 = {.remote = d->p.addr[0]};
        assert_int_equal(sctpng_eng_input(d->e[1], buf, len, &from0, d->p.now), -EACCES);
        return true;
    }
    return false;
}

static void cookie_echo_authenticated(void **state)
{
    (void)state;
    static const uint8_t ce_data[] = {CT_COOKIE_ECHO, CT_DATA};
    reset_conf();
    conf.chunks[1] = ce_data;
    conf.n_chunks[1] = 2;
    struct watch w;
    memset(&w, 0, sizeof(w));
    struct duo *d = duo_new(with_auth);
    d->ctx = &w;
    d->drop = break_first_cookie;
    assert_true(duo_connect(d));
    assert_true(w.cookie_signed);
    sctpng_eng_stats st;
    sctpng_eng_get_stats(d->e[1], &st);
    assert_int_equal(st.drop_auth, 1);
    assert_int_equal(st.cookies_ok, 1);
    d->drop = NULL;
    send_n(d, 0, 4);
    pump_run(&d->p, d->p.now + 2 * SEC);
    assert_int_equal(d->got[1], 4);
    duo_free(d);
}

/* An AUTH with an HMAC side 1 did not offer: ERROR Unsupported HMAC
 * Identifier, and the DATA after it is not taken. */
static void put_bad_hmac(struct pkt_writer *w, void *arg)
{
    (void)arg;
    uint8_t *v = pw_chunk(w, CT_AUTH, 0, 4 + 20);
    memset(v, 0, 24);
    put16(v + 2, 2); /* MD5, which nobody offers */
    struct data_chunk dc = {.flags = DATA_FLAG_B | DATA_FLAG_E, .tsn = 12345, .data = v, .len = 4};
    pw_data(w, &dc);
}

static void unsupported_hmac(void **state)
{
    (void)state;
    reset_conf();
    conf.chunks[1] = data_only;
    conf.n_chunks[1] = 1;
    struct duo *d = duo_new(with_auth);
    assert_true(duo_connect(d));
    sctpng_eng_status before = duo_status(d, 1);
    duo_inject(d, 0, put_bad_hmac, NULL);
    pump_run(&d->p, d->p.now + SEC);
    const sctpng_eng_event *ev = pump_find(&d->p, 0, SCTPNG_ENG_EV_REMOTE_ERROR);
    assert_non_null(ev);
    assert_int_equal(ev->u.remote_error.cause, CAUSE_UNSUPPORTED_HMAC);
    assert_int_equal(duo_status(d, 1).data_chunks_recvd, before.data_chunks_recvd);
    duo_free(d);
}

/* ---- ABORT (RFC 4895 6.2, 6.3) ---------------------------------------- */

static const uint8_t abort_only[] = {CT_ABORT};

/* Side 0's first ABORT as it left: whether it was seen, signed, and a
 * copy (it and any later ABORT held back from side 1 when `hold`). */
struct abort_watch {
    bool hold, seen, is_signed;
    uint8_t pkt[512];
    size_t len;
};

static bool abort_watcher(struct duo *d, int from, const uint8_t *pkt, size_t len)
{
    struct abort_watch *w = d->ctx;
    size_t ia = 0;
    bool has, sig;
    auth_before(pkt, len, CT_ABORT, &has, &sig, &ia);
    if (from != 0 || !has || len > sizeof(w->pkt))
        return false;
    if (w->seen) /* later ones: side 0's stateless answers, which no key signs */
        return w->hold;
    w->seen = true;
    w->is_signed = sig;
    memcpy(w->pkt, pkt, len);
    w->len = len;
    return w->hold;
}

/* An association whose side 1 requires ABORT authenticated (or only DATA
 * where !abort_required), side 0 aborting it, its ABORT watched. */
static struct duo *abort_duo(struct abort_watch *w, bool abort_required)
{
    reset_conf();
    conf.chunks[1] = abort_required ? abort_only : data_only;
    conf.n_chunks[1] = 1;
    struct duo *d = duo_new(with_auth);
    d->ctx = w;
    d->drop = abort_watcher;
    assert_true(duo_connect(d));
    assert_int_equal(sctpng_eng_abort(d->e[0], d->a[0], NULL, 0, d->p.now), 0);
    pump_run(&d->p, d->p.now + SEC);
    assert_true(w->seen);
    return d;
}

static void peer_aborted(struct duo *d)
{
    const sctpng_eng_event *ev = pump_find(&d->p, 1, SCTPNG_ENG_EV_ASSOC_DOWN);
    assert_non_null(ev);
    assert_int_equal(ev->u.down.reason, SCTPNG_ENG_DOWN_PEER_ABORT);
}

/* Our ABORT goes signed to a peer that requires ABORT authenticated, and
 * plain to one that does not; both take it. */
static void abort_signed(void **state)
{
    (void)state;
    for (int required = 0; required < 2; required++) {
        struct abort_watch w = {.hold = false};
        struct duo *d = abort_duo(&w, required);
        assert_int_equal(w.is_signed, required);
        peer_aborted(d);
        duo_free(d);
    }
}

/* With ABORT in our list, an ABORT whose AUTH is forged or missing is
 * dropped (counted) and the association stays; the signed one ends it. */
static void unsigned_abort_ignored(void **state)
{
    (void)state;
    struct abort_watch w = {.hold = true};
    struct duo *d = abort_duo(&w, true);
    assert_true(w.is_signed);
    assert_null(pump_find(&d->p, 1, SCTPNG_ENG_EV_ASSOC_DOWN));
    sctpng_eng_path from;
    memset(&from, 0, sizeof(from));
    from.remote = d->p.addr[0];
    uint8_t buf[512];
    size_t ia = 0;
    const uint8_t *auth = find(w.pkt, w.len, CT_AUTH, &ia);
    size_t off = (size_t)(auth - w.pkt), alen = get16(auth + 2);
    for (int mode = 0; mode < 2; mode++) {
        memcpy(buf, w.pkt, w.len);
        size_t n = w.len;
        if (mode == 0) { /* forged: one bit of the HMAC */
            buf[off + AUTH_HDR_LEN + 1] ^= 1;
        } else { /* missing: the AUTH taken out */
            memmove(buf + off, buf + off + alen, n - off - alen);
            n -= alen;
        }
        fix_crc(buf, n);
        assert_int_equal(sctpng_eng_input(d->e[1], buf, n, &from, d->p.now), -EACCES);
        pump_run(&d->p, d->p.now + 100 * MS);
        assert_null(pump_find(&d->p, 1, SCTPNG_ENG_EV_ASSOC_DOWN));
        assert_int_equal(duo_status(d, 1).state, SCTPNG_ENG_ESTABLISHED);
        assert_int_equal(drops(d, 1), (uint64_t)mode + 1);
    }
    assert_int_equal(sctpng_eng_input(d->e[1], w.pkt, w.len, &from, d->p.now), 0);
    pump_run(&d->p, d->p.now + 100 * MS);
    peer_aborted(d);
    duo_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hmac_vectors),
        cmocka_unit_test(param_validation),
        cmocka_unit_test(key_order),
        cmocka_unit_test(authenticated_data),
        cmocka_unit_test(forged_or_missing_dropped),
        cmocka_unit_test(no_auth_peer),
        cmocka_unit_test(key_change_live),
        cmocka_unit_test(hmac_selection),
        cmocka_unit_test(cookie_echo_authenticated),
        cmocka_unit_test(unsupported_hmac),
        cmocka_unit_test(abort_signed),
        cmocka_unit_test(unsigned_abort_ignored),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
