/* Interop with Linux kernel SCTP over its UDP encapsulation (Linux 5.11+),
 * run where the kernel has SCTP (the test VM): net.sctp.udp_port and
 * encap_port are set to 9899, so the kernel listens on UDP 9899 and sends
 * new associations' packets there; the engine uses UDP 9900. The engine
 * as client and as server, 10 MB each way on several streams (ordered and
 * unordered), graceful shutdowns started by either side, aborts by either
 * side. */
#include "kernel_env.h"
#include "suite.h"

int main(void)
{
    if (kernel_env_no_encap())
        return 0;
    return interop_suite(&kernel_backend, kernel_env_setup, kernel_env_teardown);
}
