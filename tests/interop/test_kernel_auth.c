/* AUTH (RFC 4895) interop with Linux kernel SCTP over its UDP
 * encapsulation (the test VM, like test_kernel.c): both ends require DATA
 * to be authenticated and use key 1, a shared secret; the kernel offers
 * HMAC-SHA1 only, so that is what both sign with. The engine as client
 * and as server moves 1 MB each way: DATA that either end could not
 * verify would be dropped and the exchange would stall, so a transfer
 * that completes shows both directions' HMACs right (key vectors, their
 * order, the HMAC's coverage). Each association must have been set up
 * with AUTH and the kernel requiring DATA of us (so nothing passed
 * unauthenticated because AUTH was not negotiated). The kernel requires
 * ABORT authenticated too: the engine's abort must still end the
 * association (its ABORT signed, RFC 4895 6.2; the kernel drops an
 * unsigned one). The engine does not require ABORT of the kernel: in
 * abort_by_peer the kernel (Linux 6.1, SO_LINGER 0 close) sends no ABORT
 * on the association; the engine learns of it from the T-bit ABORT the
 * kernel sends out of the blue to its next packet, which carries no AUTH
 * and must be dropped where ABORT is required (the association would
 * then end only by COMM_LOST; seen). */
#include "epeer.h"
#include "kernel_env.h"
#include "kernel_peer.h"
#include "suite.h"

static const uint8_t secret[] = "sctp-ng AUTH interop secret";

static int setup(void **state)
{
    kernel_peer_auth = (struct kernel_peer_auth){true, true, 1, secret, sizeof(secret) - 1};
    epeer_auth =
        (struct epeer_auth){.on = true, .key_id = 1, .key = secret, .len = sizeof(secret) - 1};
    return kernel_env_setup_with(state, kernel_set_auth_enable, "net.sctp.auth_enable");
}

static int teardown(void **state)
{
    return kernel_env_teardown_with(state, kernel_set_auth_enable);
}

int main(void)
{
    if (kernel_env_no_encap())
        return 0;
    return interop_auth_suite(&kernel_backend, setup, teardown, true);
}
