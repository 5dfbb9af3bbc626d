/* RFC 5061 ASCONF driven by the endpoint's own address list
 * (sctpng_eng_add/del_local_addr, what bindx on a live socket does): the
 * peer gets the added address as a path and loses the deleted one, with
 * their ADDR_CONF events; our association's list follows; requests made
 * while an ASCONF is unanswered wait and leave together; a lost ASCONF is
 * sent again; an association without ASCONF keeps its list; an
 * unauthenticated Delete IP changes nothing. */
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

static bool asconf_on;

static struct sockaddr_storage side0_addr;

/* Side 0 has a list of its own (its one address, 10.0.0.1). */
static void tweak(sctpng_eng_config *c, int side)
{
    c->auth = true;
    c->asconf = asconf_on;
    c->nodelay = true;
    if (side == 0) {
        side0_addr = duo_ip4(1);
        c->local_addrs = &side0_addr;
        c->n_local_addrs = 1;
    }
}

static struct duo *pair(bool asconf)
{
    asconf_on = asconf;
    struct duo *d = duo_new(tweak);
    assert_true(duo_connect(d));
    return d;
}

static bool same_ip(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
    return memcmp(&((const struct sockaddr_in *)a)->sin_addr,
                  &((const struct sockaddr_in *)b)->sin_addr, 4) == 0;
}

/* Side 1's path to `a`: its index, or -1. */
static int peer_path(struct duo *d, const struct sockaddr_storage *a, sctpng_eng_path_info *pi)
{
    for (uint32_t i = 0; i < duo_status(d, 1).n_paths; i++) {
        assert_int_equal(sctpng_eng_get_path(d->e[1], d->a[1], i, pi), 0);
        if (same_ip(&pi->addr, a))
            return (int)i;
    }
    return -1;
}

static unsigned conf_events(struct duo *d, sctpng_eng_addr_conf what,
                            const struct sockaddr_storage *a)
{
    unsigned n = 0;
    for (unsigned i = 0; i < d->p.nev[1]; i++) {
        const sctpng_eng_event *e = &d->p.ev[1][i];
        n += e->type == SCTPNG_ENG_EV_ADDR_CONF && e->u.peer_addr.conf == what &&
             same_ip(&e->u.peer_addr.addr, a);
    }
    return n;
}

static int n_local(struct duo *d, uint32_t assoc)
{
    struct sockaddr_storage l[SCTPNG_ENG_MAX_LOCAL_ADDRS];
    return sctpng_eng_get_local_addrs(d->e[0], assoc, l, SCTPNG_ENG_MAX_LOCAL_ADDRS);
}

static void settle(struct duo *d, unsigned acked_want)
{
    pump_run(&d->p, d->p.now + 3 * SEC);
    bool pending = true;
    unsigned acked = 0;
    int result = -1;
    assert_int_equal(sctpng_eng_asconf_status(d->e[0], d->a[0], &pending, &result, &acked), 0);
    assert_false(pending);
    assert_int_equal(result, 0);
    assert_int_equal(acked, acked_want);
}

static void add_then_delete(void **state)
{
    (void)state;
    struct duo *d = pair(true);
    struct sockaddr_storage a1 = duo_ip4(1), a3 = duo_ip4(3), a4 = duo_ip4(4), a9 = duo_ip4(9);
    sctpng_eng_path_info pi;
    assert_int_equal(n_local(d, d->a[0]), 1);
    assert_int_equal(sctpng_eng_add_local_addr(d->e[0], &a3, d->p.now), 0);
    assert_int_equal(sctpng_eng_add_local_addr(d->e[0], &a3, d->p.now), 0); /* had it */
    settle(d, 1);
    assert_int_equal(n_local(d, 0), 2);
    assert_int_equal(n_local(d, d->a[0]), 2);
    assert_true(peer_path(d, &a3, &pi) >= 0);
    assert_int_equal(pi.state, SCTPNG_ENG_PATH_ACTIVE); /* confirmed by heartbeat */
    assert_int_equal(conf_events(d, SCTPNG_ENG_ADDR_ADDED, &a3), 1);

    /* Two at once: the second waits for the first's answer. */
    assert_int_equal(sctpng_eng_del_local_addr(d->e[0], &a3, d->p.now), 0);
    assert_int_equal(sctpng_eng_add_local_addr(d->e[0], &a4, d->p.now), 0);
    settle(d, 3);
    /* The peer had been sending to a3 (its heartbeats): the Delete IP
     * still leaves from a1, or it would be refused (0x00A2, RFC 5061 5.1). */
    assert_true(peer_path(d, &a3, &pi) >= 0);
    assert_true(pi.removed);
    assert_int_equal(pi.state, SCTPNG_ENG_PATH_INACTIVE);
    assert_int_equal(conf_events(d, SCTPNG_ENG_ADDR_REMOVED, &a3), 1);
    for (unsigned i = 0; i < d->p.nev[1]; i++) /* told as REMOVED, not UNREACHABLE */
        assert_false(d->p.ev[1][i].type == SCTPNG_ENG_EV_PEER_ADDR &&
                     d->p.ev[1][i].u.peer_addr.state == SCTPNG_ENG_PATH_INACTIVE);
    assert_true(peer_path(d, &a4, &pi) >= 0);
    assert_false(pi.removed);
    assert_int_equal(n_local(d, d->a[0]), 2); /* a1, a4 */

    /* a3 again: its path comes back. */
    assert_int_equal(sctpng_eng_add_local_addr(d->e[0], &a3, d->p.now), 0);
    settle(d, 4);
    assert_true(peer_path(d, &a3, &pi) >= 0);
    assert_false(pi.removed);
    assert_int_equal(pi.state, SCTPNG_ENG_PATH_ACTIVE);
    assert_int_equal(conf_events(d, SCTPNG_ENG_ADDR_ADDED, &a3), 2);

    /* What cannot be deleted. */
    assert_int_equal(sctpng_eng_del_local_addr(d->e[0], &a9, d->p.now), -EADDRNOTAVAIL);
    assert_int_equal(sctpng_eng_del_local_addr(d->e[0], &a3, d->p.now), 0);
    assert_int_equal(sctpng_eng_del_local_addr(d->e[0], &a4, d->p.now), 0);
    assert_int_equal(sctpng_eng_del_local_addr(d->e[0], &a1, d->p.now), -EBUSY);
    settle(d, 6);
    assert_int_equal(n_local(d, d->a[0]), 1);

    static const uint8_t msg[100];
    assert_int_equal(sctpng_eng_send(d->e[0], d->a[0], msg, sizeof(msg), NULL, d->p.now), 100);
    pump_run(&d->p, d->p.now + SEC);
    assert_int_equal(d->got[1], 1);
    duo_free(d);
}

/* Drops side 0's first ASCONF. */
static bool drop_first(struct duo *d, int from, const uint8_t *pkt, size_t len)
{
    unsigned *n = d->ctx;
    return from == 0 && duo_has_chunk(pkt, len, CT_ASCONF) && ++*n == 1;
}

static void lost_asconf_sent_again(void **state)
{
    (void)state;
    struct duo *d = pair(true);
    unsigned asconfs = 0;
    d->ctx = &asconfs;
    d->drop = drop_first;
    struct sockaddr_storage a3 = duo_ip4(3);
    sctpng_eng_path_info pi;
    assert_int_equal(sctpng_eng_add_local_addr(d->e[0], &a3, d->p.now), 0);
    settle(d, 1);
    assert_int_equal(asconfs, 2); /* lost once, sent again by TMR_ASCONF */
    assert_true(peer_path(d, &a3, &pi) >= 0);
    assert_int_equal(conf_events(d, SCTPNG_ENG_ADDR_ADDED, &a3), 1);
    duo_free(d);
}

/* Without ASCONF the association keeps its list and nothing is sent. */
static void no_asconf(void **state)
{
    (void)state;
    struct duo *d = pair(false);
    struct sockaddr_storage a3 = duo_ip4(3);
    uint64_t pkts = d->p.pkts[0];
    assert_int_equal(sctpng_eng_add_local_addr(d->e[0], &a3, d->p.now), 0);
    pump_run(&d->p, d->p.now + SEC);
    assert_int_equal(d->p.pkts[0], pkts);
    assert_int_equal(n_local(d, 0), 2);
    assert_int_equal(n_local(d, d->a[0]), 1);
    assert_int_equal(duo_status(d, 1).n_paths, 1);
    duo_free(d);
}

/* An unauthenticated Delete IP of an address the peer has: ignored. */
static void put_bare_delete(struct pkt_writer *w, void *arg)
{
    (void)arg;
    duo_put_asconf(w, PT_DEL_IP, 1, 3);
}

static void unauthenticated_delete_ignored(void **state)
{
    (void)state;
    struct duo *d = pair(true);
    struct sockaddr_storage a3 = duo_ip4(3);
    sctpng_eng_path_info pi;
    assert_int_equal(sctpng_eng_add_local_addr(d->e[0], &a3, d->p.now), 0);
    settle(d, 1);
    uint64_t drops = 0;
    assert_int_equal(sctpng_eng_auth_info(d->e[1], d->a[1], NULL, &drops), 0);
    duo_inject(d, 0, put_bare_delete, d);
    pump_run(&d->p, d->p.now + SEC);
    assert_true(peer_path(d, &a3, &pi) >= 0);
    assert_false(pi.removed);
    uint64_t after = 0;
    assert_int_equal(sctpng_eng_auth_info(d->e[1], d->a[1], NULL, &after), 0);
    assert_int_equal(after, drops + 1);
    assert_int_equal(conf_events(d, SCTPNG_ENG_ADDR_REMOVED, &a3), 0);
    duo_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(add_then_delete),
        cmocka_unit_test(lost_asconf_sent_again),
        cmocka_unit_test(no_asconf),
        cmocka_unit_test(unauthenticated_delete_ignored),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
