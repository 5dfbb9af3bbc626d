/* AUTH (RFC 4895) interop with usrsctp over UDP encapsulation on the
 * host's loopback: both ends require DATA authenticated and use key 1;
 * usrsctp offers HMAC-SHA256 first, as we do. The engine as client and as
 * server, 1 MB each way: DATA either end could not verify would be
 * dropped and the exchange would stall. Each association must have been
 * set up with AUTH and usrsctp requiring DATA of us. UDP ports of this
 * process's own (from its pid), so it may run beside test_usrsctp. */
#include <unistd.h>

#include "epeer.h"
#include "suite.h"
#include "usrsctp_peer.h"

static const uint8_t secret[] = "usrsctp AUTH interop secret";

static int setup(void **state)
{
    (void)state;
    usrsctp_env_setup((uint16_t)(30000 + (getpid() % 10000) * 2));
    usrsctp_peer_auth = (struct usrsctp_peer_auth){true, 1, secret, sizeof(secret) - 1};
    epeer_auth =
        (struct epeer_auth){.on = true, .key_id = 1, .key = secret, .len = sizeof(secret) - 1};
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    usrsctp_env_teardown();
    return 0;
}

int main(void)
{
    return interop_auth_suite(&usrsctp_backend, setup, teardown, false);
}
