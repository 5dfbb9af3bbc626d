/* pcap.c - the capture file writer of <sctpng/pcap.h>.
 *
 * It lives in src/core, not src/engine: the engine is sans-IO (no files,
 * no clock), so it only offers the packet tap, and this writer, which
 * opens a file and reads CLOCK_REALTIME, is one of the tap's users, shared
 * by the UDP backend (SCTPNG_PCAP) and any other transport.
 *
 * No buffer: each record is its 16-byte pcap header and a made-up IP
 * header built on the stack, then the packet itself, in one writev(2) to
 * an O_APPEND file, so records of several writers never interleave. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <sctpng/pcap.h>

#define PCAP_MAGIC_NS  0xa1b23c4du /* classic pcap, nanosecond timestamps */
#define PCAP_SNAPLEN   262144u
#define IPPROTO_SCTP_N 132
#define IP4_HDR        20
#define IP6_HDR        40
#define PCAP_MAX_PKT   (65535u - IP6_HDR)

struct sctpng_pcap {
    pthread_mutex_t lock;
    int fd;
    uint16_t ip_id; /* IPv4 identification, one per record */
    int err;        /* first write error, for sctpng_pcap_close() */
};

/* The file header, host byte order (readers tell it from the magic). */
struct pcap_filehdr {
    uint32_t magic;
    uint16_t major, minor;
    int32_t thiszone;
    uint32_t sigfigs, snaplen, linktype;
};

struct pcap_rechdr {
    uint32_t sec, nsec, incl_len, orig_len;
};

static void file_header(struct pcap_filehdr *h)
{
    *h = (struct pcap_filehdr){.magic = PCAP_MAGIC_NS,
                               .major = 2,
                               .minor = 4,
                               .snaplen = PCAP_SNAPLEN,
                               .linktype = SCTPNG_PCAP_LINKTYPE};
}

static int write_all(int fd, const void *buf, size_t len)
{
    ssize_t n = write(fd, buf, len);
    if (n < 0)
        return -errno;
    return (size_t)n == len ? 0 : -EIO;
}

/* An empty file gets the header; anything else must start with it (the
 * snap length aside). Under flock(), so two writers opening the same new
 * file write one header between them. */
static int check_header(int fd)
{
    struct pcap_filehdr want, have;
    struct stat st;
    file_header(&want);
    if (fstat(fd, &st) < 0)
        return -errno;
    if (!S_ISREG(st.st_mode)) /* a pipe or a device: no header to find */
        return write_all(fd, &want, sizeof(want));
    if (flock(fd, LOCK_EX) < 0)
        return -errno;
    int err = 0;
    if (fstat(fd, &st) < 0) {
        err = -errno;
    } else if (st.st_size == 0) {
        err = write_all(fd, &want, sizeof(want));
    } else {
        ssize_t n = pread(fd, &have, sizeof(have), 0);
        if (n < 0)
            err = -errno;
        else if ((size_t)n < sizeof(have) || have.magic != want.magic || have.major != want.major ||
                 have.minor != want.minor || have.linktype != want.linktype)
            err = -EINVAL;
    }
    flock(fd, LOCK_UN);
    return err;
}

int sctpng_pcap_open(sctpng_pcap **out, const char *path)
{
    if (!out || !path || !*path)
        return -EINVAL;
    struct sctpng_pcap *w = calloc(1, sizeof(*w));
    if (!w)
        return -ENOMEM;
    w->fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    int err = w->fd < 0 ? -errno : check_header(w->fd);
    if (err) {
        if (w->fd >= 0)
            close(w->fd);
        free(w);
        return err;
    }
    pthread_mutex_init(&w->lock, NULL);
    *out = w;
    return 0;
}

int sctpng_pcap_close(sctpng_pcap *w)
{
    if (!w)
        return 0;
    int err = w->err;
    if (close(w->fd) < 0 && !err)
        err = -errno;
    pthread_mutex_destroy(&w->lock);
    free(w);
    return err;
}

/* An address as the IP header wants it: family (0 if none) and bytes. */
struct ipaddr {
    int family;
    uint8_t b[16];
};

static int get_ip(const struct sockaddr_storage *ss, struct ipaddr *out)
{
    memset(out, 0, sizeof(*out));
    if (!ss || ss->ss_family == AF_UNSPEC)
        return 0;
    if (ss->ss_family == AF_INET) {
        out->family = AF_INET;
        memcpy(out->b, &((const struct sockaddr_in *)ss)->sin_addr, 4);
        return 0;
    }
    if (ss->ss_family != AF_INET6)
        return -EAFNOSUPPORT;
    const struct in6_addr *a = &((const struct sockaddr_in6 *)ss)->sin6_addr;
    out->family = IN6_IS_ADDR_V4MAPPED(a) ? AF_INET : AF_INET6;
    memcpy(out->b, out->family == AF_INET ? &a->s6_addr[12] : a->s6_addr,
           out->family == AF_INET ? 4 : 16);
    return 0;
}

/* Both in one family: a missing one unspecified, IPv4 beside IPv6 mapped. */
static int pair_family(struct ipaddr *s, struct ipaddr *d)
{
    if (!s->family && !d->family)
        return -EAFNOSUPPORT;
    int fam = (s->family == AF_INET6 || d->family == AF_INET6) ? AF_INET6 : AF_INET;
    struct ipaddr *both[2] = {s, d};
    for (int i = 0; i < 2; i++) {
        if (fam == AF_INET6 && both[i]->family == AF_INET) {
            memmove(&both[i]->b[12], both[i]->b, 4);
            memset(both[i]->b, 0, 10);
            both[i]->b[10] = both[i]->b[11] = 0xff;
        }
        both[i]->family = fam;
    }
    return fam;
}

static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static size_t ip4_header(uint8_t *h, const struct ipaddr *s, const struct ipaddr *d, size_t len,
                         uint16_t id)
{
    memset(h, 0, IP4_HDR);
    h[0] = 0x45;                           /* version 4, 5 words */
    put16(h + 2, IP4_HDR + (uint32_t)len); /* len <= 65535 - 40 */
    put16(h + 4, id);
    h[6] = 0x40; /* don't fragment */
    h[8] = 64;   /* TTL */
    h[9] = IPPROTO_SCTP_N;
    memcpy(h + 12, s->b, 4);
    memcpy(h + 16, d->b, 4);
    uint32_t sum = 0;
    for (int i = 0; i < IP4_HDR; i += 2)
        sum += (uint32_t)(h[i] << 8 | h[i + 1]);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    put16(h + 10, ~sum & 0xffff);
    return IP4_HDR;
}

static size_t ip6_header(uint8_t *h, const struct ipaddr *s, const struct ipaddr *d, size_t len)
{
    memset(h, 0, IP6_HDR);
    h[0] = 0x60; /* version 6, no traffic class or flow label */
    put16(h + 4, (uint32_t)len);
    h[6] = IPPROTO_SCTP_N;
    h[7] = 64; /* hop limit */
    memcpy(h + 8, s->b, 16);
    memcpy(h + 24, d->b, 16);
    return IP6_HDR;
}

int sctpng_pcap_write(sctpng_pcap *w, const uint8_t *pkt, size_t len,
                      const struct sockaddr_storage *src, const struct sockaddr_storage *dst,
                      const struct timespec *ts)
{
    struct ipaddr s, d;
    int err = get_ip(src, &s);
    if (!err)
        err = get_ip(dst, &d);
    int fam = err ? err : pair_family(&s, &d);
    if (fam < 0)
        return fam;
    if (len > PCAP_MAX_PKT)
        return -EMSGSIZE;
    struct timespec now;
    if (!ts) {
        clock_gettime(CLOCK_REALTIME, &now);
        ts = &now;
    }
    uint8_t hdr[sizeof(struct pcap_rechdr) + IP6_HDR];
    uint8_t *ip = hdr + sizeof(struct pcap_rechdr);
    pthread_mutex_lock(&w->lock);
    size_t iplen =
        fam == AF_INET ? ip4_header(ip, &s, &d, len, w->ip_id++) : ip6_header(ip, &s, &d, len);
    struct pcap_rechdr r = {.sec = (uint32_t)ts->tv_sec,
                            .nsec = (uint32_t)ts->tv_nsec,
                            .incl_len = (uint32_t)(iplen + len),
                            .orig_len = (uint32_t)(iplen + len)};
    memcpy(hdr, &r, sizeof(r));
    struct iovec iov[2] = {{.iov_base = hdr, .iov_len = sizeof(r) + iplen},
                           {.iov_base = (void *)pkt, .iov_len = len}};
    ssize_t n = writev(w->fd, iov, 2);
    err = n < 0 ? -errno : (size_t)n == sizeof(r) + iplen + len ? 0 : -EIO;
    if (err && !w->err)
        w->err = err;
    pthread_mutex_unlock(&w->lock);
    return err;
}

void sctpng_pcap_tap(void *ctx, sctpng_eng_dir dir, const uint8_t *pkt, size_t len,
                     const sctpng_eng_path *path, uint64_t now)
{
    (void)now; /* monotonic: the record gets the wall clock instead */
    if (dir == SCTPNG_ENG_DIR_IN)
        sctpng_pcap_write(ctx, pkt, len, &path->remote, &path->local, NULL);
    else
        sctpng_pcap_write(ctx, pkt, len, &path->local, &path->remote, NULL);
}
