/* ub_pmtu.c - path MTU on the UDP backend. PLPMTUD (RFC 8899, in the
 * engine) is on by default: the engine's largest packet (MAX_PLPMTU) is
 * the largest interface MTU less the IP and UDP headers (loopback: about
 * 64 KiB), and the UDP socket sends with DF set and ignores the kernel's
 * own path MTU (IP_PMTUDISC_PROBE), so that a probe too big for the path
 * is lost or refused (EMSGSIZE, an ICMP-like hint through the error
 * queue) instead of being fragmented. SCTPNG_UDP_MTU=N turns discovery
 * off and uses N-byte SCTP packets (the engine's old fixed size is 1200);
 * sctpng_set_pathparams() fixes the MTU of a path (ub_paths.c). */
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "backend_udp/ub.h"

/* The largest MTU of an interface that is up; 1500 if none is found. */
static unsigned max_if_mtu(void)
{
    unsigned best = 0;
    struct ifaddrs *ifs;
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd >= 0 && getifaddrs(&ifs) == 0) {
        for (struct ifaddrs *i = ifs; i; i = i->ifa_next) {
            struct ifreq r;
            if (!(i->ifa_flags & IFF_UP) || strlen(i->ifa_name) >= sizeof(r.ifr_name))
                continue;
            memset(&r, 0, sizeof(r));
            strcpy(r.ifr_name, i->ifa_name);
            if (ioctl(fd, SIOCGIFMTU, &r) == 0 && r.ifr_mtu > 0 && (unsigned)r.ifr_mtu > best)
                best = (unsigned)r.ifr_mtu;
        }
        freeifaddrs(ifs);
    }
    if (fd >= 0)
        close(fd);
    return best ? best : 1500;
}

int ub_pmtu_defaults(struct ub_ep *ep)
{
    ep->cfg.plpmtud = true;
    const char *v = getenv("SCTPNG_UDP_MTU");
    if (!v || !*v)
        return 0;
    char *end;
    unsigned long n = strtoul(v, &end, 10);
    if (*end || n < SCTPNG_ENG_MIN_MTU || n > 65535)
        return -EINVAL;
    ep->cfg.plpmtud = false;
    ep->cfg.mtu = (uint32_t)n;
    return 0;
}

uint32_t ub_pmtu_engine_mtu(const struct ub_ep *ep)
{
    if (!ep->cfg.plpmtud)
        return ep->cfg.mtu;
    /* an AF_INET6 socket may have IPv6 peers: their headers are longer */
    unsigned hdr = ep->family == AF_INET6 ? 48 : 28;
    unsigned mtu = max_if_mtu();
    unsigned v = mtu > hdr + SCTPNG_ENG_MIN_MTU ? mtu - hdr : SCTPNG_ENG_MIN_MTU;
    unsigned cap = 65535 - (ep->family == AF_INET6 ? 8 : 28); /* largest UDP payload */
    return v > cap ? cap : v;
}

void ub_pmtu_socket(struct ub_ep *ep, int fd)
{
    if (!ep->cfg.plpmtud)
        return;
    int v4 = IP_PMTUDISC_PROBE, v6 = IPV6_PMTUDISC_PROBE;
    (void)setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &v4, sizeof(v4));
    if (ep->family == AF_INET6)
        (void)setsockopt(fd, IPPROTO_IPV6, IPV6_MTU_DISCOVER, &v6, sizeof(v6));
}

int ub_pmtu_start(struct ub_ep *ep)
{
    if (!ep->fixed_mtu)
        return 0;
    sctpng_eng_path_params pp;
    int err = sctpng_eng_get_path_params(ep->eng, 0, -1, &pp);
    if (err)
        return err;
    pp.mtu = ep->fixed_mtu > ep->eng_mtu ? ep->eng_mtu : ep->fixed_mtu;
    return sctpng_eng_set_path_params(ep->eng, 0, -1, &pp, 0);
}
