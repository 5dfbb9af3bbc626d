/*
 * ub_netns.c - which network namespace the calling thread is in, for the
 * key of the shared UDP sockets (ub_share.c). A thread that moved to
 * another namespace with setns() binds its sockets there: an address and
 * port already bound in the first namespace name another socket, and
 * sharing it would send this thread's packets out of the wrong namespace
 * (the multihoming suite plays two hosts, h1 and h2, in one process).
 */
#include <sys/stat.h>

#include "backend_udp/ub_share.h"

uint64_t ub_netns(void)
{
    struct stat st;
    /* thread-self: setns() moves one thread, not the whole process. */
    if (stat("/proc/thread-self/ns/net", &st) == 0 || stat("/proc/self/ns/net", &st) == 0)
        return ((uint64_t)st.st_dev << 32) ^ (uint64_t)st.st_ino;
    return 0;
}
