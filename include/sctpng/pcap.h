/*
 * sctp-ng packet captures: SCTP packets written to a pcap file that
 * Wireshark and tshark decode as SCTP with no settings.
 *
 * The file is classic pcap with nanosecond timestamps (magic a1b23c4d)
 * and link type LINKTYPE_RAW (101): each record is an IPv4 or IPv6 header
 * made up here (protocol 132, SCTP; the addresses given) followed by the
 * SCTP packet, common header onward. A transport's own framing is left
 * out: for the UDP backend (RFC 6951) that is the UDP header, so the UDP
 * ports do not appear in the capture (the SCTP ports do, in the common
 * header), and Wireshark needs no "decode UDP port as SCTP" preference.
 * The CRC32c is the packet's own: a capture shows a corrupted packet as
 * it arrived.
 *
 * Files are opened to append: records of several writers (threads,
 * sockets, processes: each record is one write(2) to an O_APPEND file, on
 * a local file system) interleave whole. A new or empty file gets the
 * file header first; a file that has other content must start with the
 * same header or it is refused.
 *
 * The environment variable SCTPNG_PCAP=FILE makes every UDP-backend socket
 * capture its packets there (see sctpng(7)); any other transport that
 * drives the engine itself uses sctpng_pcap_tap() with
 * sctpng_eng_set_packet_tap().
 *
 * Functions return 0 or a negative errno code. A writer may be used from
 * several threads at once.
 */
#ifndef SCTPNG_PCAP_H
#define SCTPNG_PCAP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

#include <sctpng/engine.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The pcap link type of the records: raw IPv4 / IPv6. */
#define SCTPNG_PCAP_LINKTYPE 101

/* A capture file open for writing. Opaque. */
typedef struct sctpng_pcap sctpng_pcap;

/*
 * Opens (creating it, mode 0644 before the umask) the capture file at
 * `path` to append to, and stores the writer in *out.
 * Returns 0, or -EINVAL (path NULL or empty; or the file is not empty and
 * does not start with this format's header), -ENOMEM, or the errno of
 * open(2) / read / write (-EACCES, -ENOENT, -EISDIR, -ENOSPC, ...).
 */
SCTPNG_API int sctpng_pcap_open(sctpng_pcap **out, const char *path);

/*
 * Appends one SCTP packet (pkt[0..len), common header onward) sent from
 * `src` to `dst`, stamped `ts` (NULL: now, CLOCK_REALTIME). Only the
 * family and IP address of src and dst are used: AF_INET or AF_INET6; one
 * of them may be AF_UNSPEC (or NULL), written as the other's unspecified
 * address (0.0.0.0 or ::); with one of each family the IPv4 one is
 * written v4-mapped. Returns 0, or -EAFNOSUPPORT (no IP address at all),
 * -EMSGSIZE (len over 65535 - 40), or the errno of write(2) (-ENOSPC,
 * -EIO for a short write, ...).
 */
SCTPNG_API int sctpng_pcap_write(sctpng_pcap *w, const uint8_t *pkt, size_t len,
                                 const struct sockaddr_storage *src,
                                 const struct sockaddr_storage *dst, const struct timespec *ts);

/* Closes the file and frees the writer. Returns 0, or the first error a
 * write of this writer met (so that a tap's lost records are known in
 * the end), or the errno of close(2); NULL is allowed (0). */
SCTPNG_API int sctpng_pcap_close(sctpng_pcap *w);

/*
 * A packet tap for sctpng_eng_set_packet_tap() with ctx the sctpng_pcap:
 * writes each packet with the path's addresses (in: remote to local; out:
 * local to remote; a local address AF_UNSPEC stays unknown, see
 * sctpng_pcap_write) and the time of the call (CLOCK_REALTIME: the
 * engine's `now` is monotonic, from an origin of the caller's). A write
 * error loses that record; sctpng_pcap_close() reports the first.
 */
SCTPNG_API void sctpng_pcap_tap(void *ctx, sctpng_eng_dir dir, const uint8_t *pkt, size_t len,
                                const sctpng_eng_path *path, uint64_t now);

#ifdef __cplusplus
}
#endif
#endif /* SCTPNG_PCAP_H */
