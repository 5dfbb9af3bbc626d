/* test_old_structs.c - the kernel backend does not depend on the size the
 * build's <linux/sctp.h> gives for structures that grew. Every kernel we
 * test (5.10, 6.1, 6.12) has the same sizes (tests/kernels/features.c
 * prints them), so older kernels are played by this program: it defines
 * getsockopt() and setsockopt() itself, which the statically linked
 * library then calls, and answers as such a kernel would:
 *   SCTP_EVENTS            refused (EINVAL), as a kernel whose
 *                          sctp_event_subscribe is not the build's size
 *                          refuses it: subscriptions must not need it;
 *   SCTP_PEER_ADDR_PARAMS  only the original layout, up to spp_flags
 *                          (kernels before spp_ipv6_flowlabel and
 *                          spp_dscp refused any other length with EINVAL,
 *                          and getsockopt filled just that much).
 * Everything else goes to the kernel. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <cmocka.h>
#include <linux/sctp.h>

#include "kernel/helpers.h"

/* sizeof(struct sctp_paddrparams) before it grew: packed, aligned to 4. */
#define OLD_PADDRPARAMS_LEN                                                                        \
    ((socklen_t)((offsetof(struct sctp_paddrparams, spp_ipv6_flowlabel) + 3) & ~3u))

static int events_calls;      /* SCTP_EVENTS attempts (all refused) */
static int paddr_calls;       /* SCTP_PEER_ADDR_PARAMS calls of the old size */
static int paddr_bad_lengths; /* ... of any other size (refused) */

static int old_paddr_len(socklen_t len)
{
    if (len == OLD_PADDRPARAMS_LEN) {
        paddr_calls++;
        return 1;
    }
    paddr_bad_lengths++;
    errno = EINVAL;
    return 0;
}

int getsockopt(int fd, int level, int opt, void *restrict val, socklen_t *restrict len)
{
    if (level == IPPROTO_SCTP && opt == SCTP_EVENTS) {
        events_calls++;
        errno = EINVAL;
        return -1;
    }
    if (level == IPPROTO_SCTP && opt == SCTP_PEER_ADDR_PARAMS) {
        /* Old kernels: a shorter buffer is EINVAL, a longer one is
         * filled with the old structure only. */
        if (*len < OLD_PADDRPARAMS_LEN) {
            paddr_bad_lengths++;
            errno = EINVAL;
            return -1;
        }
        socklen_t old = OLD_PADDRPARAMS_LEN;
        if (!old_paddr_len(old))
            return -1;
        int rc = (int)syscall(SYS_getsockopt, fd, level, opt, val, &old);
        *len = old;
        return rc;
    }
    return (int)syscall(SYS_getsockopt, fd, level, opt, val, len);
}

int setsockopt(int fd, int level, int opt, const void *val, socklen_t len)
{
    if (level == IPPROTO_SCTP && opt == SCTP_EVENTS) {
        events_calls++;
        errno = EINVAL;
        return -1;
    }
    if (level == IPPROTO_SCTP && opt == SCTP_PEER_ADDR_PARAMS && !old_paddr_len(len))
        return -1;
    return (int)syscall(SYS_setsockopt, fd, level, opt, val, len);
}

static int reset(void **state)
{
    (void)state;
    events_calls = paddr_calls = paddr_bad_lengths = 0;
    return 0;
}

/* Subscriptions at open and later, and the events really arrive. */
static void test_events_without_sctp_events(void **state)
{
    (void)state;
    sctpng_socket_opts o = t_opts(AF_INET, SCTPNG_ONE_TO_ONE);
    o.events = SCTPNG_EVMASK(SCTPNG_EV_ASSOC_CHANGE);
    sctpng_socket *c, *s;
    t_pair_opts(&o, &o, &c, &s);
    char buf[512];
    sctpng_event ev;
    t_recv_assoc_change(s, SCTPNG_COMM_UP, &ev, buf, sizeof(buf));
    T_OK(sctpng_subscribe(s, SCTPNG_EVMASK(SCTPNG_EV_SHUTDOWN), true));
    T_OK(sctpng_shutdown(c, 0));
    t_recv_event(s, SCTPNG_EV_SHUTDOWN, &ev, buf, sizeof(buf));
    t_recv_assoc_change(s, SCTPNG_SHUTDOWN_COMP, &ev, buf, sizeof(buf));
    assert_int_equal(events_calls, 0);
    sctpng_close(c);
    sctpng_close(s);
}

/* Path parameters set and read back through the old layout only. */
static void test_pathparams_old_layout(void **state)
{
    (void)state;
    sctpng_socket *c, *s;
    t_pair(AF_INET, &c, &s);
    sctpng_pathparams p;
    sctpng_pathparams_init(&p);
    p.hb_interval_ms = 6000;
    p.max_retrans = 7;
    T_OK(sctpng_set_pathparams(c, 0, &p));
    sctpng_pathparams got;
    sctpng_pathparams_init(&got);
    T_OK(sctpng_get_pathparams(c, 0, &got));
    assert_int_equal(got.hb_interval_ms, 6000);
    assert_int_equal(got.max_retrans, 7);
    assert_true(got.flags & SCTPNG_HB_ON);
    assert_true(paddr_calls >= 2);
    assert_int_equal(paddr_bad_lengths, 0);
    sctpng_close(c);
    sctpng_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_events_without_sctp_events, reset),
        cmocka_unit_test_setup(test_pathparams_old_layout, reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
