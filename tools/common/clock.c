/* clock.c - see clock.h. */
#include <time.h>

#include "clock.h"

uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec;
}

int ms_until(uint64_t deadline, uint64_t now, int cap_ms)
{
    if (deadline == UINT64_MAX)
        return cap_ms;
    if (deadline <= now)
        return 0;
    uint64_t ms = (deadline - now + NS_PER_MS - 1) / NS_PER_MS;
    return ms > (uint64_t)cap_ms ? cap_ms : (int)ms;
}
