/* kernel_env: see kernel_env.h. */
#include "kernel_env.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kernel_peer.h"

const struct backend kernel_backend = {
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

bool kernel_env_no_encap(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
    if (fd < 0)
        return false; /* no SCTP at all: the set-up says so and fails */
    close(fd);
    if (access("/proc/sys/net/sctp/udp_port", F_OK) == 0)
        return false;
    printf("1..0 # SKIP UDP encapsulation missing (no /proc/sys/net/sctp/udp_port)\n");
    return true;
}

int kernel_env_setup(void **state)
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

int kernel_env_teardown(void **state)
{
    (void)state;
    kernel_set_udp_encap(0);
    return 0;
}

int kernel_env_setup_with(void **state, int (*set)(bool on), const char *what)
{
    if (kernel_env_setup(state) < 0)
        return -1;
    int rc = set(true);
    if (rc < 0) {
        fprintf(stderr, "# cannot set %s: %s\n", what, strerror(-rc));
        return -1;
    }
    return 0;
}

int kernel_env_teardown_with(void **state, int (*set)(bool on))
{
    set(false);
    return kernel_env_teardown(state);
}
