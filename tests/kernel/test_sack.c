/* test_sack.c - delayed SACK as the peer sees it: how long the sender
 * waits for its data to be acknowledged (SENDER_DRY) with the receiver's
 * SACK delay on, off (DELAYED_ACK_MS 0) and at a given frequency. */
#include <string.h>

#include "helpers.h"

#define DELAY_MS 400

/* A connected pair whose client reports SENDER_DRY and sends at once. */
static void pair(sctpng_socket **c, sctpng_socket **s)
{
    sctpng_socket_opts co = t_opts(AF_INET, SCTPNG_ONE_TO_ONE);
    co.events = SCTPNG_EVMASK(SCTPNG_EV_SENDER_DRY);
    sctpng_socket_opts so = t_opts(AF_INET, SCTPNG_ONE_TO_ONE);
    t_pair_opts(&co, &so, c, s);
    T_OK(sctpng_setopt(*c, SCTPNG_OPT_NODELAY, 1));
    /* The kernel SACKs the first DATA at once: get past it. */
    T_OK(sctpng_send(*c, "w", 1, NULL, T_TIMEOUT_MS));
    t_drain(*c, 300);
}

/* Send `n` one-byte messages (each in its own packet, 20 ms apart) and
 * return how long until the client heard that all were acknowledged. */
static int64_t ms_to_dry(sctpng_socket *c, int n)
{
    t_drain(c, 50);
    int64_t t0 = t_now_ms();
    for (int i = 0; i < n; i++) {
        if (i)
            t_sleep_ms(20);
        T_OK(sctpng_send(c, "x", 1, NULL, T_TIMEOUT_MS));
    }
    char buf[256];
    sctpng_event ev;
    t_recv_event(c, SCTPNG_EV_SENDER_DRY, &ev, buf, sizeof(buf));
    return t_now_ms() - t0;
}

static int get(sctpng_socket *s, int opt)
{
    int v = -1;
    T_OK(sctpng_getopt(s, opt, &v));
    return v;
}

/* With a 400 ms delay, one lone packet is SACKed only when the timer runs
 * out. */
static void test_delayed_ack_delays_the_sack(void **state)
{
    (void)state;
    sctpng_socket *c, *s;
    pair(&c, &s);
    T_OK(sctpng_setopt(s, SCTPNG_OPT_DELAYED_ACK_MS, DELAY_MS));
    assert_int_equal(get(s, SCTPNG_OPT_DELAYED_ACK_MS), DELAY_MS);
    int64_t ms = ms_to_dry(c, 1);
    print_message("# dry after %lld ms with a %d ms SACK delay\n", (long long)ms, DELAY_MS);
    assert_true(ms >= DELAY_MS - 100);
    sctpng_close(c);
    sctpng_close(s);
}

/* DELAYED_ACK_MS 0 turns the delay off: the same packet is SACKed at
 * once, and the option reads back as 0 (SACK_FREQ as 1). */
static void test_delayed_ack_zero_turns_delay_off(void **state)
{
    (void)state;
    sctpng_socket *c, *s;
    pair(&c, &s);
    T_OK(sctpng_setopt(s, SCTPNG_OPT_DELAYED_ACK_MS, DELAY_MS));
    T_OK(sctpng_setopt(s, SCTPNG_OPT_DELAYED_ACK_MS, 0));
    assert_int_equal(get(s, SCTPNG_OPT_DELAYED_ACK_MS), 0);
    assert_int_equal(get(s, SCTPNG_OPT_SACK_FREQ), 1);
    for (int i = 0; i < 3; i++) {
        int64_t ms = ms_to_dry(c, 1);
        print_message("# dry after %lld ms with delayed SACK off\n", (long long)ms);
        assert_true(ms < DELAY_MS / 2);
    }
    sctpng_close(c);
    sctpng_close(s);
}

/* A delay set after "off" turns delayed SACK on again. */
static void test_delayed_ack_back_on(void **state)
{
    (void)state;
    sctpng_socket *c, *s;
    pair(&c, &s);
    T_OK(sctpng_setopt(s, SCTPNG_OPT_DELAYED_ACK_MS, 0));
    T_OK(sctpng_setopt(s, SCTPNG_OPT_DELAYED_ACK_MS, DELAY_MS));
    assert_int_equal(get(s, SCTPNG_OPT_DELAYED_ACK_MS), DELAY_MS);
    assert_true(get(s, SCTPNG_OPT_SACK_FREQ) > 1);
    assert_true(ms_to_dry(c, 1) >= DELAY_MS - 100);
    sctpng_close(c);
    sctpng_close(s);
}

/* SACK frequency: with 2 (the default) the second packet is SACKed at
 * once; with 4, two packets wait for the timer. 0 is refused, 1 is the
 * same as delay 0. */
static void test_sack_frequency(void **state)
{
    (void)state;
    sctpng_socket *c, *s;
    pair(&c, &s);
    T_OK(sctpng_setopt(s, SCTPNG_OPT_DELAYED_ACK_MS, DELAY_MS));
    T_OK(sctpng_setopt(s, SCTPNG_OPT_SACK_FREQ, 2));
    assert_int_equal(get(s, SCTPNG_OPT_SACK_FREQ), 2);
    int64_t fast = ms_to_dry(c, 2);
    T_OK(sctpng_setopt(s, SCTPNG_OPT_SACK_FREQ, 4));
    assert_int_equal(get(s, SCTPNG_OPT_SACK_FREQ), 4);
    int64_t slow = ms_to_dry(c, 2);
    print_message("# two packets: dry after %lld ms (freq 2), %lld ms (freq 4)\n", (long long)fast,
                  (long long)slow);
    assert_true(fast < DELAY_MS / 2);
    assert_true(slow >= DELAY_MS - 100);
    T_ERR(sctpng_setopt(s, SCTPNG_OPT_SACK_FREQ, 0), -EINVAL);
    T_OK(sctpng_setopt(s, SCTPNG_OPT_SACK_FREQ, 1));
    assert_int_equal(get(s, SCTPNG_OPT_DELAYED_ACK_MS), 0);
    assert_true(ms_to_dry(c, 1) < DELAY_MS / 2);
    sctpng_close(c);
    sctpng_close(s);
}

/* Set on the listener, the settings reach the accepted association. */
static void test_delayed_ack_off_inherited_from_listener(void **state)
{
    (void)state;
    sctpng_socket_opts co = t_opts(AF_INET, SCTPNG_ONE_TO_ONE);
    co.events = SCTPNG_EVMASK(SCTPNG_EV_SENDER_DRY);
    sctpng_addr at;
    sctpng_socket *l = t_listener(AF_INET, SCTPNG_ONE_TO_ONE, &at);
    T_OK(sctpng_setopt(l, SCTPNG_OPT_DELAYED_ACK_MS, 0));
    sctpng_socket *c = t_open_opts(&co), *s;
    T_OK(sctpng_setopt(c, SCTPNG_OPT_NODELAY, 1));
    T_OK(sctpng_connect(c, &at, 1, NULL, T_TIMEOUT_MS));
    T_OK(sctpng_accept(l, &s, NULL, T_TIMEOUT_MS));
    assert_int_equal(get(s, SCTPNG_OPT_DELAYED_ACK_MS), 0);
    T_OK(sctpng_send(c, "w", 1, NULL, T_TIMEOUT_MS));
    t_drain(c, 300);
    assert_true(ms_to_dry(c, 1) < DELAY_MS / 2);
    sctpng_close(c);
    sctpng_close(s);
    sctpng_close(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_delayed_ack_delays_the_sack),
        cmocka_unit_test(test_delayed_ack_zero_turns_delay_off),
        cmocka_unit_test(test_delayed_ack_back_on),
        cmocka_unit_test(test_sack_frequency),
        cmocka_unit_test(test_delayed_ack_off_inherited_from_listener),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
