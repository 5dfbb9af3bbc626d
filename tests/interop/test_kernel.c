/* Interop with Linux kernel SCTP over its UDP encapsulation (Linux 5.11+),
 * run where the kernel has SCTP (the test VM): net.sctp.udp_port and
 * encap_port are set to 9899, so the kernel listens on UDP 9899 and sends
 * new associations' packets there; the engine uses UDP 9900. The engine
 * as client and as server, 10 MB each way on several streams (ordered and
 * unordered), graceful shutdowns started by either side, aborts by either
 * side. */
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "kernel_peer.h"
#include "suite.h"

static const struct backend kernel_backend = {
    .name = "kernel",
    .ops = &kernel_ops,
    .listen = kernel_peer_listen,
    .accept = kernel_peer_accept,
    .connect = kernel_peer_connect,
    .shutdown = kernel_peer_shutdown,
    .abort = kernel_peer_abort,
    .close = kernel_peer_close,
    .closed = kernel_peer_closed,
    .peer_udp_port = 9899,
    .engine_udp_port = 9900,
    .timeout_s = 240, /* the VM is emulated */
};

static int setup(void **state)
{
    (void)state;
    int fd = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
    if (fd < 0) {
        fprintf(stderr,
                "# no kernel SCTP here (%s): run this suite in the VM "
                "(tests/run-suite.sh interop-kernel BUILD)\n",
                strerror(errno));
        return -1;
    }
    close(fd);
    int rc = kernel_set_udp_encap(kernel_backend.peer_udp_port);
    if (rc < 0) {
        fprintf(stderr, "# cannot turn on SCTP UDP encapsulation: %s\n", strerror(-rc));
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    kernel_set_udp_encap(0);
    return 0;
}

int main(void)
{
    /* Linux < 5.11 has no UDP encapsulation: the whole suite is skipped,
     * found by the kernel's missing sysctl, not by its version. */
    int fd = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
    if (fd >= 0 && access("/proc/sys/net/sctp/udp_port", F_OK) != 0) {
        printf("1..0 # SKIP UDP encapsulation missing (no /proc/sys/net/sctp/udp_port)\n");
        close(fd);
        return 0;
    }
    if (fd >= 0)
        close(fd);
    return interop_suite(&kernel_backend, setup, teardown);
}
