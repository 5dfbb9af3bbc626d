/* The kernel options the engine honours, against Linux kernel SCTP over
 * its UDP encapsulation (the test VM, set up as test_kernel.c): each end
 * sends an RFC 5061 Adaptation Layer Indication (the engine's
 * sctpng_eng_config.adaptation_ind, the kernel's SCTP_ADAPTATION_LAYER)
 * and each hears the other's (SCTPNG_ENG_EV_ADAPTATION, the kernel's
 * SCTP_ADAPTATION_INDICATION); and a message the engine cuts at a MAXSEG
 * of 500 bytes reaches the kernel whole, in at least ten TSNs. Run with
 * the engine connecting and with the kernel connecting. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/sctp.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "epeer.h"
#include "kernel_env.h"
#include "kernel_peer.h"
#include "suite.h"
#include "udp/udp.h"

#define WAIT_NS   (30ull * 1000000000ull)
#define LOOPBACK  "127.0.0.1"
#define KERN_PORT 5021 /* SCTP ports: the kernel's listener, the engine's */
#define ENG_PORT  6021
#define ENG_IND   0x5e6f7081u
#define KERN_IND  0xa1b2c3d4u
#define BIG       5000

static struct {
    struct epeer e;
    void *listener, *k;
    int fd;
    uint32_t e_adapt; /* the engine's ADAPTATION event, 0: none yet */
    unsigned e_adapt_n;
} t;

static uint64_t now(void)
{
    return sctpng_udp_now();
}

static void on_event(struct epeer *p, const sctpng_eng_event *ev)
{
    (void)p;
    if (ev->type == SCTPNG_ENG_EV_ADAPTATION) {
        t.e_adapt = ev->u.adaptation.indication;
        t.e_adapt_n++;
    }
}

/* The kernel socket's next message or notification (the engine stepped
 * meanwhile): its length, *tsn its first TSN, *adapt an adaptation
 * indication's value (else 0). Fails after WAIT_NS. */
static size_t k_next(uint8_t *buf, size_t cap, uint32_t *tsn, uint32_t *adapt)
{
    uint64_t end = now() + WAIT_NS;
    while (now() < end) {
        char cbuf[CMSG_SPACE(sizeof(struct sctp_rcvinfo))];
        struct iovec iov = {.iov_base = buf, .iov_len = cap};
        struct msghdr mh = {
            .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf)};
        ssize_t n = recvmsg(t.fd, &mh, MSG_DONTWAIT);
        if (n <= 0) {
            if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
                fail_msg("kernel recvmsg: %zd %s", n, strerror(errno));
            epeer_step(&t.e, 1);
            continue;
        }
        if (!(mh.msg_flags & MSG_EOR))
            fail_msg("kernel: a message in pieces (%zd B)", n);
        *adapt = 0;
        *tsn = 0;
        if (mh.msg_flags & MSG_NOTIFICATION) {
            const union sctp_notification *sn = (const void *)buf;
            if (sn->sn_header.sn_type == SCTP_ADAPTATION_INDICATION)
                *adapt = sn->sn_adaptation_event.sai_adaptation_ind;
            return (size_t)n;
        }
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
            if (c->cmsg_level == IPPROTO_SCTP && c->cmsg_type == SCTP_RCVINFO)
                *tsn = ((const struct sctp_rcvinfo *)CMSG_DATA(c))->rcv_tsn;
        return (size_t)n;
    }
    fail_msg("the kernel socket got nothing in %llu s", WAIT_NS / 1000000000ull);
    return 0;
}

static void associate(bool engine_connects)
{
    uint16_t port = engine_connects ? ENG_PORT : ENG_PORT + 1;
    assert_int_equal(
        epeer_open(&t.e, port, !engine_connects, LOOPBACK, kernel_backend.engine_udp_port), 0);
    t.e.on_event = on_event;
    uint64_t end = now() + WAIT_NS;
    if (engine_connects) {
        t.listener = kernel_peer_listen(KERN_PORT);
        assert_non_null(t.listener);
        assert_int_equal(epeer_connect(&t.e, LOOPBACK, kernel_backend.peer_udp_port, KERN_PORT), 0);
        while (!(t.k = kernel_peer_accept(t.listener)) && now() < end)
            epeer_step(&t.e, 1);
    } else {
        t.k = kernel_peer_connect(port, kernel_backend.engine_udp_port);
    }
    assert_non_null(t.k);
    t.fd = kernel_peer_fd(t.k);
    while ((!t.e.ups || !t.e_adapt_n) && now() < end)
        epeer_step(&t.e, 1);
    assert_int_equal(t.e.ups, 1);
}

static void kopts_with_kernel(bool engine_connects)
{
    memset(&t, 0, sizeof(t));
    associate(engine_connects);
    /* the kernel's indication, once, after ASSOC_UP */
    assert_int_equal(t.e_adapt_n, 1);
    assert_int_equal(t.e_adapt, KERN_IND);
    /* ours at the kernel: its notification comes before any data */
    static uint8_t buf[BIG + 64];
    uint32_t tsn, adapt;
    k_next(buf, sizeof(buf), &tsn, &adapt);
    assert_int_equal(adapt, ENG_IND);
    /* MAXSEG 500 on the live association: ten chunks for 5000 bytes */
    sctpng_eng_tuning tu;
    assert_int_equal(sctpng_eng_get_tuning(t.e.eng, t.e.assoc, &tu), 0);
    tu.maxseg = 500;
    assert_int_equal(sctpng_eng_set_tuning(t.e.eng, t.e.assoc, &tu), 0);
    static uint8_t big[BIG];
    for (size_t i = 0; i < sizeof(big); i++)
        big[i] = (uint8_t)(i * 7u);
    uint64_t n0 = now();
    assert_int_equal(sctpng_eng_send(t.e.eng, t.e.assoc, big, sizeof(big), NULL, n0), BIG);
    assert_int_equal(sctpng_eng_send(t.e.eng, t.e.assoc, "x", 1, NULL, n0), 1);
    uint32_t first, next;
    assert_int_equal(k_next(buf, sizeof(buf), &first, &adapt), BIG);
    assert_memory_equal(buf, big, BIG);
    assert_int_equal(k_next(buf, sizeof(buf), &next, &adapt), 1);
    printf("# %u TSNs for %d bytes at MAXSEG 500; indications 0x%x and 0x%x both ways\n",
           next - first, BIG, ENG_IND, KERN_IND);
    assert_true(next - first >= BIG / 500);
    assert_int_equal(epeer_shutdown(&t.e), 0);
    uint64_t end = now() + WAIT_NS;
    while (!t.e.downs && now() < end)
        epeer_step(&t.e, 1);
    assert_int_equal(t.e.down_reason, SCTPNG_ENG_DOWN_SHUTDOWN);
}

static void kopts_engine_client(void **state)
{
    (void)state;
    kopts_with_kernel(true);
}

static void kopts_engine_server(void **state)
{
    (void)state;
    kopts_with_kernel(false);
}

static int cleanup(void **state)
{
    (void)state;
    kernel_peer_close(t.k);
    kernel_peer_close(t.listener);
    if (t.e.eng)
        epeer_close(&t.e);
    memset(&t, 0, sizeof(t));
    return 0;
}

static int setup(void **state)
{
    epeer_adaptation = ENG_IND;
    kernel_peer_adaptation = KERN_IND;
    return kernel_env_setup(state);
}

int main(void)
{
    if (kernel_env_no_encap())
        return 0;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(kopts_engine_client, cleanup),
        cmocka_unit_test_teardown(kopts_engine_server, cleanup),
    };
    return interop_run("interop_kernel_kopts", tests, 2, setup, kernel_env_teardown);
}
