/* The packet tap (sctpng_eng_set_packet_tap): between two engines in
 * memory, it sees exactly the packets each engine takes in and gives out
 * (what the engine counts), with their bytes and paths, a packet the
 * engine drops for a bad CRC too, one lost on the link never; removed,
 * it is called no more. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "duo.h"

struct seen {
    uint64_t n[2];      /* packets in, out */
    uint64_t bytes[2];  /* their bytes */
    uint64_t data_out;  /* packets out with DATA */
    uint64_t last_now;  /* `now` of the last call */
    uint8_t last[2048]; /* the last packet in */
    size_t last_len;
    sctpng_eng_path last_path; /* and its path */
};

static void tap(void *ctx, sctpng_eng_dir dir, const uint8_t *pkt, size_t len,
                const sctpng_eng_path *path, uint64_t now)
{
    struct seen *s = ctx;
    s->n[dir]++;
    s->bytes[dir] += len;
    s->last_now = now;
    if (dir == SCTPNG_ENG_DIR_OUT && duo_data_chunks(pkt, len, NULL))
        s->data_out++;
    if (dir == SCTPNG_ENG_DIR_IN && len <= sizeof(s->last)) {
        memcpy(s->last, pkt, len);
        s->last_len = len;
        s->last_path = *path;
    }
}

static int data_drops;

/* The link loses the second DATA packet from side 0, once. */
static bool lose_second_data(struct duo *d, int from, const uint8_t *pkt, size_t len)
{
    (void)d;
    static int n;
    if (from != 0 || !duo_data_chunks(pkt, len, NULL))
        return false;
    if (++n == 2) {
        data_drops++;
        return true;
    }
    return false;
}

static void assert_counts(struct duo *d, int side, const struct seen *s)
{
    sctpng_eng_stats st;
    sctpng_eng_get_stats(d->e[side], &st);
    assert_int_equal(s->n[SCTPNG_ENG_DIR_IN], st.pkts_in);
    assert_int_equal(s->n[SCTPNG_ENG_DIR_OUT], st.pkts_out);
    assert_int_equal(s->bytes[SCTPNG_ENG_DIR_IN], st.bytes_in);
    assert_int_equal(s->bytes[SCTPNG_ENG_DIR_OUT], st.bytes_out);
}

static void tap_sees_every_packet(void **state)
{
    (void)state;
    struct seen s[2];
    memset(s, 0, sizeof(s));
    struct duo *d = duo_new(NULL);
    for (int i = 0; i < 2; i++)
        sctpng_eng_set_packet_tap(d->e[i], tap, &s[i]);
    assert_true(duo_connect(d));
    d->drop = lose_second_data;
    static const char msg[1000]; /* one per packet */
    for (int i = 0; i < 6; i++)
        assert_int_equal(sctpng_eng_send(d->e[0], d->a[0], msg, sizeof(msg), NULL, d->p.now),
                         sizeof(msg));
    pump_run(&d->p, d->p.now + 10 * SEC);
    assert_int_equal(data_drops, 1);
    assert_int_equal(d->got[1], 6);
    assert_true(s[0].data_out >= 7); /* six, and the lost one again */
    for (int i = 0; i < 2; i++)
        assert_counts(d, i, &s[i]);
    /* One lost on the link: side 1 saw one packet fewer than side 0 sent. */
    assert_int_equal(s[1].n[SCTPNG_ENG_DIR_IN], s[0].n[SCTPNG_ENG_DIR_OUT] - 1);
    assert_int_equal(s[0].n[SCTPNG_ENG_DIR_IN], s[1].n[SCTPNG_ENG_DIR_OUT]);

    /* A packet with a bad CRC is dropped by the engine but seen, whole. */
    uint8_t bad[sizeof(s[1].last)];
    memcpy(bad, s[1].last, s[1].last_len);
    size_t len = s[1].last_len;
    bad[8] ^= 0xff;
    uint64_t before = s[1].n[SCTPNG_ENG_DIR_IN];
    assert_int_equal(sctpng_eng_input(d->e[1], bad, len, &s[1].last_path, d->p.now + 1), -EBADMSG);
    assert_int_equal(s[1].n[SCTPNG_ENG_DIR_IN], before + 1);
    assert_int_equal(s[1].last_len, len);
    assert_memory_equal(s[1].last, bad, len);
    assert_int_equal(s[1].last_now, d->p.now + 1);
    assert_counts(d, 1, &s[1]);

    /* Removed: no more calls. */
    sctpng_eng_set_packet_tap(d->e[1], NULL, NULL);
    assert_int_equal(sctpng_eng_input(d->e[1], bad, len, &s[1].last_path, d->p.now + 2), -EBADMSG);
    assert_int_equal(s[1].n[SCTPNG_ENG_DIR_IN], before + 1);
    duo_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tap_sees_every_packet),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
