/* Per-path DSCP and IPv6 flow label (sctpng_eng_set_path_qos): the scopes
 * of Linux's SPP_DSCP / SPP_IPV6_FLOWLABEL (path, association, endpoint)
 * and what sctpng_eng_output_qos() says about each packet output makes,
 * stateless replies included. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "duo.h"

/* The DSCP of the last packet each side sent, and of its INIT ACK. */
static int32_t last_dscp[2], init_ack_dscp;

static bool watch(struct duo *d, int from, const uint8_t *pkt, size_t len)
{
    sctpng_eng_path_qos q;
    sctpng_eng_output_qos(d->e[from], &q); /* the packet output just made */
    last_dscp[from] = q.dscp;
    if (duo_has_chunk(pkt, len, CT_INIT_ACK))
        init_ack_dscp = q.dscp;
    return false;
}

static sctpng_eng_path_qos qos(int32_t dscp, int32_t label)
{
    return (sctpng_eng_path_qos){.dscp = dscp, .flowlabel = label};
}

static sctpng_eng_path_qos get(sctpng_eng *e, uint32_t id, int32_t index)
{
    sctpng_eng_path_qos q;
    assert_int_equal(sctpng_eng_get_path_qos(e, id, index, &q), 0);
    return q;
}

/* One message from side 0; the DSCP its packets and the answers had. */
static void send_one(struct duo *d)
{
    last_dscp[0] = last_dscp[1] = -2;
    assert_int_equal(sctpng_eng_send(d->e[0], d->a[0], "q", 1, NULL, d->p.now), 1);
    pump_run(&d->p, d->p.now + 1 * SEC);
}

/* The listener's endpoint default reaches its INIT ACK (sent with no
 * association) and the association set up later; the connecting side
 * has none. */
static void endpoint_default(void **state)
{
    (void)state;
    struct duo *d = duo_new(NULL);
    d->drop = watch;
    init_ack_dscp = -2;
    sctpng_eng_path_qos q = qos(26, 0x54321);
    assert_int_equal(sctpng_eng_set_path_qos(d->e[1], 0, -1, &q), 0);
    q = get(d->e[1], 0, -1);
    assert_int_equal(q.dscp, 26);
    assert_int_equal(q.flowlabel, 0x54321);
    assert_true(duo_connect(d));
    assert_int_equal(init_ack_dscp, 26);
    q = get(d->e[1], d->a[1], -1);
    assert_int_equal(q.dscp, 26);
    assert_int_equal(q.flowlabel, 0x54321); /* for IPv6 paths learned later */
    q = get(d->e[1], d->a[1], 0);
    assert_int_equal(q.dscp, 26);
    assert_int_equal(q.flowlabel, -1); /* an IPv4 path keeps no label */
    q = get(d->e[0], d->a[0], 0);
    assert_int_equal(q.dscp, -1);
    send_one(d);
    assert_int_equal(last_dscp[0], -1);
    assert_int_equal(last_dscp[1], 26);
    duo_free(d);
}

/* Set on a live association: its packets carry it from the next one; a
 * later call with only the label leaves the DSCP; one path's own value
 * wins over the association's. */
static void association_and_path(void **state)
{
    (void)state;
    struct duo *d = duo_new(NULL);
    d->drop = watch;
    assert_true(duo_connect(d));
    send_one(d);
    assert_int_equal(last_dscp[0], -1);
    sctpng_eng_path_qos q = qos(46, -1);
    assert_int_equal(sctpng_eng_set_path_qos(d->e[0], d->a[0], -1, &q), 0);
    send_one(d);
    assert_int_equal(last_dscp[0], 46);
    assert_int_equal(last_dscp[1], -1);
    q = qos(-1, 7);
    assert_int_equal(sctpng_eng_set_path_qos(d->e[0], d->a[0], 0, &q), 0);
    q = get(d->e[0], d->a[0], 0);
    assert_int_equal(q.dscp, 46);
    assert_int_equal(q.flowlabel, -1); /* ignored on the IPv4 path */
    q = qos(10, -1);
    assert_int_equal(sctpng_eng_set_path_qos(d->e[0], d->a[0], 0, &q), 0);
    send_one(d);
    assert_int_equal(last_dscp[0], 10);
    assert_int_equal(get(d->e[0], d->a[0], -1).dscp, 46);
    duo_free(d);
}

static void refused(void **state)
{
    (void)state;
    struct duo *d = duo_new(NULL);
    assert_true(duo_connect(d));
    sctpng_eng_path_qos q = qos(64, -1);
    assert_int_equal(sctpng_eng_set_path_qos(d->e[0], d->a[0], -1, &q), -EINVAL);
    q = qos(-1, 0x100000);
    assert_int_equal(sctpng_eng_set_path_qos(d->e[0], 0, -1, &q), -EINVAL);
    q = qos(-2, -1);
    assert_int_equal(sctpng_eng_set_path_qos(d->e[0], d->a[0], -1, &q), -EINVAL);
    q = qos(1, -1);
    assert_int_equal(sctpng_eng_set_path_qos(d->e[0], d->a[0] + 1000, -1, &q), -ENOENT);
    assert_int_equal(sctpng_eng_set_path_qos(d->e[0], d->a[0], 5, &q), -ERANGE);
    assert_int_equal(sctpng_eng_get_path_qos(d->e[0], d->a[0], 5, &q), -ERANGE);
    q = get(d->e[0], d->a[0], -1);
    assert_int_equal(q.dscp, -1); /* nothing changed */
    assert_int_equal(q.flowlabel, -1);
    duo_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(endpoint_default),
        cmocka_unit_test(association_and_path),
        cmocka_unit_test(refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
