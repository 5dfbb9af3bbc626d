/* features: which SCTP features the running kernel has, probed at run time
 * (never by version number), each one also exercised where it exists.
 *
 * TAP, one case per feature:
 *   ok N - NAME: supported              present, and it worked
 *   ok N # SKIP NAME missing (how seen) the probe says the kernel lacks it
 *   not ok N - NAME: ...                present, but it did not work
 * and for each a line "# feature: NAME = VALUE" (supported, missing, or a
 * size) that tests/kernels/feature-table.sh turns into the README's table.
 * Built once against the build machine's <linux/sctp.h>; the same binary
 * runs on every kernel (kernel suite, so in the VM on each of KERNELS). */
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/sctp.h>

#ifndef SCTP_SS_FC
#define SCTP_SS_FC 3 /* Linux 6.2 */
#endif
#ifndef SCTP_SS_WFQ
#define SCTP_SS_WFQ 4 /* Linux 6.2 */
#endif

enum verdict { SUPPORTED, MISSING, BROKEN };

struct result {
    enum verdict v;
    char why[160]; /* how it was seen missing, or what went wrong */
};

static int ncase, nfail;

static enum verdict say(struct result *r, enum verdict v, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->why, sizeof(r->why), fmt, ap);
    va_end(ap);
    r->v = v;
    return v;
}

static void report(const char *name, const struct result *r)
{
    ncase++;
    if (r->v == SUPPORTED) {
        printf("ok %d - %s: supported\n# feature: %s = supported\n", ncase, name, name);
    } else if (r->v == MISSING) {
        printf("ok %d # SKIP %s missing (%s)\n# feature: %s = missing\n", ncase, name, r->why,
               name);
    } else {
        nfail++;
        printf("not ok %d - %s: %s\n# feature: %s = broken\n", ncase, name, r->why, name);
    }
}

static int sock_many(void)
{
    return socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
}

/* An assoc_value option: present if getsockopt knows it; it works if a value
 * set on the endpoint reads back (then the old value is put back). */
static void assoc_value_option(const char *name, int opt, uint32_t value)
{
    struct result r = {0};
    int fd = sock_many();
    struct sctp_assoc_value av = {.assoc_id = SCTP_FUTURE_ASSOC};
    socklen_t len = sizeof(av);
    if (getsockopt(fd, IPPROTO_SCTP, opt, &av, &len) < 0) {
        if (errno == ENOPROTOOPT)
            say(&r, MISSING, "getsockopt(%d): ENOPROTOOPT", opt);
        else
            say(&r, BROKEN, "getsockopt(%d): %s", opt, strerror(errno));
        goto out;
    }
    uint32_t old = av.assoc_value;
    av.assoc_value = value;
    if (setsockopt(fd, IPPROTO_SCTP, opt, &av, sizeof(av)) < 0) {
        say(&r, BROKEN, "setsockopt(%d, %u): %s", opt, value, strerror(errno));
        goto out;
    }
    len = sizeof(av);
    av.assoc_value = ~value;
    if (getsockopt(fd, IPPROTO_SCTP, opt, &av, &len) < 0 || av.assoc_value != value) {
        say(&r, BROKEN, "set %u, read back %u", value, av.assoc_value);
        goto out;
    }
    av.assoc_value = old;
    setsockopt(fd, IPPROTO_SCTP, opt, &av, sizeof(av));
    say(&r, SUPPORTED, "");
out:
    close(fd);
    report(name, &r);
}

static int read_sysctl(const char *name, long *v)
{
    char path[128];
    snprintf(path, sizeof(path), "/proc/sys/net/sctp/%s", name);
    FILE *f = fopen(path, "r");
    if (!f)
        return -errno;
    int n = fscanf(f, "%ld", v);
    fclose(f);
    return n == 1 ? 0 : -EIO;
}

static int write_sysctl(const char *name, long v)
{
    char path[128];
    snprintf(path, sizeof(path), "/proc/sys/net/sctp/%s", name);
    FILE *f = fopen(path, "w");
    if (!f)
        return -errno;
    int ok = fprintf(f, "%ld\n", v) > 0;
    return (fclose(f) == 0 && ok) ? 0 : -EIO;
}

/* RFC 8260 (Linux 4.16): I-DATA. The kernel allows it only on a socket with
 * SCTP_FRAGMENT_INTERLEAVE 2 and with net.sctp.intl_enable on. */
static void interleaving(void)
{
    struct result r = {0};
    int fd = sock_many(), two = 2;
    long old = 0;
    int have_sysctl = read_sysctl("intl_enable", &old) == 0;
    struct sctp_assoc_value av = {.assoc_id = SCTP_FUTURE_ASSOC, .assoc_value = 1};
    socklen_t len = sizeof(av);
    if (getsockopt(fd, IPPROTO_SCTP, SCTP_INTERLEAVING_SUPPORTED, &av, &len) < 0) {
        say(&r, errno == ENOPROTOOPT ? MISSING : BROKEN, "SCTP_INTERLEAVING_SUPPORTED: %s",
            strerror(errno));
        goto out;
    }
    if (have_sysctl)
        write_sysctl("intl_enable", 1);
    av.assoc_value = 1;
    len = sizeof(av);
    if (setsockopt(fd, IPPROTO_SCTP, SCTP_FRAGMENT_INTERLEAVE, &two, sizeof(two)) < 0 ||
        setsockopt(fd, IPPROTO_SCTP, SCTP_INTERLEAVING_SUPPORTED, &av, sizeof(av)) < 0)
        say(&r, BROKEN, "turning it on: %s", strerror(errno));
    else if (av.assoc_value = 0,
             getsockopt(fd, IPPROTO_SCTP, SCTP_INTERLEAVING_SUPPORTED, &av, &len) < 0 ||
                 av.assoc_value != 1)
        say(&r, BROKEN, "turned on, reads %u", av.assoc_value);
    else
        say(&r, SUPPORTED, "");
    if (have_sysctl)
        write_sysctl("intl_enable", old);
out:
    close(fd);
    report("message interleaving (RFC 8260)", &r);
}

/* A UDP port nobody uses now (the kernel picks it). */
static int free_udp_port(void)
{
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in sin = {.sin_family = AF_INET};
    socklen_t len = sizeof(sin);
    int port = -1;
    if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0 &&
        getsockname(fd, (struct sockaddr *)&sin, &len) == 0)
        port = ntohs(sin.sin_port);
    close(fd);
    return port;
}

static int udp_bind_errno(int port)
{
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    int rc = bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0 ? 0 : errno;
    close(fd);
    return rc;
}

/* RFC 6951 (Linux 5.11): net.sctp.udp_port makes the kernel listen on that
 * UDP port; SCTP_REMOTE_UDP_ENCAPS_PORT sets the peer's. */
static void udp_encapsulation(void)
{
    struct result r = {0};
    long old;
    int rc = read_sysctl("udp_port", &old);
    if (rc < 0) {
        say(&r, MISSING, "no /proc/sys/net/sctp/udp_port");
        goto out;
    }
    int fd = sock_many();
    struct sctp_udpencaps ue = {.sue_assoc_id = SCTP_FUTURE_ASSOC};
    socklen_t len = sizeof(ue);
    rc = getsockopt(fd, IPPROTO_SCTP, SCTP_REMOTE_UDP_ENCAPS_PORT, &ue, &len) < 0 ? errno : 0;
    close(fd);
    if (rc) {
        say(&r, BROKEN, "udp_port sysctl exists, SCTP_REMOTE_UDP_ENCAPS_PORT: %s", strerror(rc));
        goto out;
    }
    int port = free_udp_port();
    if (port < 0 || write_sysctl("udp_port", port) < 0) {
        say(&r, BROKEN, "cannot set net.sctp.udp_port");
        goto out;
    }
    int busy = udp_bind_errno(port);
    write_sysctl("udp_port", old);
    if (busy != EADDRINUSE)
        say(&r, BROKEN, "net.sctp.udp_port=%d, yet UDP port %d could be bound (%s)", port, port,
            busy ? strerror(busy) : "no error");
    else
        say(&r, SUPPORTED, "");
out:
    report("UDP encapsulation (RFC 6951)", &r);
}

/* RFC 8899 (Linux 5.12): SCTP_PLPMTUD_PROBE_INTERVAL. */
static void plpmtud(void)
{
    struct result r = {0};
    int fd = sock_many();
    struct sctp_probeinterval pi = {.spi_assoc_id = SCTP_FUTURE_ASSOC};
    socklen_t len = sizeof(pi);
    if (getsockopt(fd, IPPROTO_SCTP, SCTP_PLPMTUD_PROBE_INTERVAL, &pi, &len) < 0) {
        if (errno == ENOPROTOOPT)
            say(&r, MISSING, "SCTP_PLPMTUD_PROBE_INTERVAL: ENOPROTOOPT");
        else
            say(&r, BROKEN, "SCTP_PLPMTUD_PROBE_INTERVAL: %s", strerror(errno));
        goto out;
    }
    pi.spi_interval = 7000; /* ms; the kernel's minimum is 5000 */
    len = sizeof(pi);
    if (setsockopt(fd, IPPROTO_SCTP, SCTP_PLPMTUD_PROBE_INTERVAL, &pi, sizeof(pi)) < 0 ||
        (pi.spi_interval = 0,
         getsockopt(fd, IPPROTO_SCTP, SCTP_PLPMTUD_PROBE_INTERVAL, &pi, &len) < 0) ||
        pi.spi_interval != 7000)
        say(&r, BROKEN, "probe interval 7000 ms did not read back (%u, %s)", pi.spi_interval,
            strerror(errno));
    else
        say(&r, SUPPORTED, "");
out:
    close(fd);
    report("PLPMTUD (RFC 8899)", &r);
}

/* SCTP_STREAM_SCHEDULER: a scheduler the kernel lacks is EINVAL. */
static void scheduler(const char *name, int ss)
{
    struct result r = {0};
    int fd = sock_many();
    struct sctp_assoc_value av = {.assoc_id = SCTP_FUTURE_ASSOC, .assoc_value = (uint32_t)ss};
    socklen_t len = sizeof(av);
    if (setsockopt(fd, IPPROTO_SCTP, SCTP_STREAM_SCHEDULER, &av, sizeof(av)) < 0) {
        if (errno == EINVAL || errno == ENOPROTOOPT)
            say(&r, MISSING, "SCTP_STREAM_SCHEDULER %d: %s", ss, strerror(errno));
        else
            say(&r, BROKEN, "SCTP_STREAM_SCHEDULER %d: %s", ss, strerror(errno));
    } else if (av.assoc_value = 0,
               getsockopt(fd, IPPROTO_SCTP, SCTP_STREAM_SCHEDULER, &av, &len) < 0 ||
                   av.assoc_value != (uint32_t)ss) {
        say(&r, BROKEN, "scheduler %d set, %u read back", ss, av.assoc_value);
    } else {
        say(&r, SUPPORTED, "");
    }
    close(fd);
    report(name, &r);
}

/* SCTP_PEER_ADDR_THLDS_V2 (Linux 5.5, in the same series as the PF
 * exposure option): the potentially-failed and primary-switchover
 * thresholds. */
static void thresholds_v2(void)
{
    struct result r = {0};
    int fd = sock_many();
    struct sctp_paddrthlds_v2 t = {.spt_assoc_id = SCTP_FUTURE_ASSOC};
    socklen_t len = sizeof(t);
    if (getsockopt(fd, IPPROTO_SCTP, SCTP_PEER_ADDR_THLDS_V2, &t, &len) < 0) {
        if (errno == ENOPROTOOPT)
            say(&r, MISSING, "SCTP_PEER_ADDR_THLDS_V2: ENOPROTOOPT");
        else
            say(&r, BROKEN, "SCTP_PEER_ADDR_THLDS_V2: %s", strerror(errno));
    } else if (len != sizeof(t)) {
        say(&r, BROKEN, "SCTP_PEER_ADDR_THLDS_V2 returned %u bytes", (unsigned)len);
    } else {
        say(&r, SUPPORTED, "");
    }
    close(fd);
    report("SCTP_PEER_ADDR_THLDS_V2 (ps_retrans)", &r);
}

/* The SEND_FAILED_EVENT notification (RFC 6458 6.1.11, Linux 5.?) through
 * per-event SCTP_EVENT subscription. */
static void send_failed_event(void)
{
    struct result r = {0};
    int fd = sock_many();
    struct sctp_event ev = {
        .se_assoc_id = SCTP_FUTURE_ASSOC, .se_type = SCTP_SEND_FAILED_EVENT, .se_on = 1};
    socklen_t len = sizeof(ev);
    if (setsockopt(fd, IPPROTO_SCTP, SCTP_EVENT, &ev, sizeof(ev)) < 0) {
        if (errno == EINVAL || errno == ENOPROTOOPT)
            say(&r, MISSING, "SCTP_EVENT SCTP_SEND_FAILED_EVENT: %s", strerror(errno));
        else
            say(&r, BROKEN, "SCTP_EVENT: %s", strerror(errno));
    } else if (ev.se_on = 0, getsockopt(fd, IPPROTO_SCTP, SCTP_EVENT, &ev, &len) < 0 || !ev.se_on) {
        say(&r, BROKEN, "subscribed, but SCTP_EVENT reads it off");
    } else {
        say(&r, SUPPORTED, "");
    }
    close(fd);
    report("SCTP_SEND_FAILED_EVENT", &r);
}

/* How many bytes the kernel fills for a structure that grew over time: ask
 * with a buffer larger than any version of it. */
static void size_of(const char *name, int fd, int opt, void *buf, size_t header)
{
    unsigned char big[1024];
    memset(big, 0, sizeof(big));
    if (header)
        memcpy(big, buf, header);
    socklen_t len = sizeof(big);
    ncase++;
    if (getsockopt(fd, IPPROTO_SCTP, opt, big, &len) < 0) {
        nfail++;
        printf("not ok %d - size of %s: getsockopt(%d): %s\n", ncase, name, opt, strerror(errno));
        return;
    }
    printf("ok %d - size of %s: the kernel fills %u bytes\n# feature: %s = %u bytes\n", ncase, name,
           (unsigned)len, name, (unsigned)len);
}

/* A loopback association (one-to-one), for per-association structures. */
static int associate(int *srv, int *cli, int *acc)
{
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(sin);
    *srv = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
    *cli = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
    *acc = -1;
    if (*srv < 0 || *cli < 0 || bind(*srv, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
        listen(*srv, 1) < 0 || getsockname(*srv, (struct sockaddr *)&sin, &len) < 0 ||
        connect(*cli, (struct sockaddr *)&sin, sizeof(sin)) < 0)
        return -errno;
    *acc = accept(*srv, NULL, NULL);
    return *acc < 0 ? -errno : 0;
}

static void sizes(void)
{
    int fd = sock_many();
    struct sctp_paddrparams pp = {.spp_assoc_id = SCTP_FUTURE_ASSOC};
    size_of("sctp_event_subscribe", fd, SCTP_EVENTS, NULL, 0);
    size_of("sctp_paddrparams", fd, SCTP_PEER_ADDR_PARAMS, &pp, sizeof(pp));
    close(fd);

    int srv, cli, acc;
    int rc = associate(&srv, &cli, &acc);
    if (rc < 0) {
        ncase++;
        nfail++;
        printf("not ok %d - loopback association for the per-association sizes: %s\n", ncase,
               strerror(-rc));
    } else {
        sctp_assoc_t id = 0; /* one-to-one: the socket's association */
        size_of("sctp_assoc_stats", cli, SCTP_GET_ASSOC_STATS, &id, sizeof(id));
        size_of("sctp_status", cli, SCTP_STATUS, &id, sizeof(id));
    }
    close(srv);
    close(cli);
    if (acc >= 0)
        close(acc);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    int probe = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
    if (probe < 0) {
        printf("1..0 # SKIP kernel SCTP missing (socket: %s)\n", strerror(errno));
        return 0;
    }
    close(probe);
    printf("1..16\n");
    udp_encapsulation();
    plpmtud();
    assoc_value_option("SCTP_EXPOSE_POTENTIALLY_FAILED_STATE", SCTP_EXPOSE_POTENTIALLY_FAILED_STATE,
                       1);
    thresholds_v2();
    send_failed_event();
    scheduler("stream scheduler prio", SCTP_SS_PRIO);
    scheduler("stream scheduler rr", SCTP_SS_RR);
    scheduler("stream scheduler fc", SCTP_SS_FC);
    scheduler("stream scheduler wfq", SCTP_SS_WFQ);
    interleaving();
    assoc_value_option("SCTP_ECN_SUPPORTED", SCTP_ECN_SUPPORTED, 0);
    assoc_value_option("SCTP_ASCONF_SUPPORTED", SCTP_ASCONF_SUPPORTED, 1);
    sizes();
    return nfail ? 1 : 0;
}
