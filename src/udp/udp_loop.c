/* sctpng_udp's event loop: timers from the engine's deadline, and one
 * poll()-based step for callers without a loop of their own. */
#include <errno.h>
#include <limits.h>
#include <poll.h>

#include "udp/udp_int.h"

int sctpng_udp_timeout_ms(const sctpng_udp *u, uint64_t now)
{
    uint64_t d = sctpng_eng_deadline(u->eng);
    if (d == UINT64_MAX)
        return -1;
    if (d <= now)
        return 0;
    uint64_t ms = (d - now + 999999) / 1000000; /* round up: waking early just loops */
    return ms > INT_MAX ? INT_MAX : (int)ms;
}

int sctpng_udp_timers(sctpng_udp *u, uint64_t now)
{
    if (sctpng_eng_deadline(u->eng) > now)
        return 0;
    sctpng_eng_timeout(u->eng, now);
    return 1;
}

short sctpng_udp_poll_events(const sctpng_udp *u)
{
    return (short)(POLLIN | (u->out_head < u->out_n ? POLLOUT : 0));
}

int sctpng_udp_step(sctpng_udp *u, int max_wait_ms)
{
    uint64_t now = sctpng_udp_now();
    int moved = sctpng_udp_flush(u, now);
    int wait = sctpng_udp_timeout_ms(u, now);
    if (max_wait_ms >= 0 && (wait < 0 || max_wait_ms < wait))
        wait = max_wait_ms;
    struct pollfd pfd = {.fd = u->fd, .events = sctpng_udp_poll_events(u)};
    int r = poll(&pfd, 1, wait);
    if (r < 0 && errno != EINTR)
        return -errno;
    now = sctpng_udp_now();
    if (r > 0 && (pfd.revents & (POLLIN | POLLERR))) {
        sctpng_udp_woken(u);
        moved += sctpng_udp_read(u, now);
    }
    sctpng_udp_timers(u, now);
    moved += sctpng_udp_flush(u, now);
    return moved;
}
