/*
 * sctpng_udp: carries one sans-IO engine's SCTP packets over UDP
 * (RFC 6951 UDP encapsulation; port 9899 by default).
 *
 * One sctpng_udp is one UDP socket bound to a local address and port, in
 * front of one engine (include/sctpng/engine.h) that the caller owns. The
 * driver keeps no global state and starts no threads.
 *
 * Addresses: the engine names a path by the peer's address and treats the
 * port in it as opaque (engine.h). The driver puts the peer's UDP source
 * port there on input and sends to the port it gets back on output; a path
 * with port 0 (learned from an INIT address parameter, never received from)
 * goes to config.remote_port. So to reach a peer, pass its IP address with
 * its UDP encapsulation port to sctpng_eng_connect(). An AF_INET6 socket
 * also serves IPv4 peers (as v4-mapped addresses); the engine always sees
 * plain AF_INET for them.
 *
 * Batching: all the packets one flush takes from the engine (up to 256,
 * back to back in one buffer) go out in one sendmmsg(), and input is read
 * with recvmmsg(), up to config.batch datagrams per system call. When the
 * socket buffer is full, packets the engine already produced wait in the
 * driver (sctpng_udp_poll_events() then asks for POLLOUT) and nothing is
 * lost.
 *
 * GSO and GRO (Linux 4.18 / 5.0): a run of equal-size packets to one peer
 * (the last may be shorter) goes to the kernel as one datagram with
 * UDP_SEGMENT, which cuts it into the same UDP datagrams on the wire (or
 * hands it whole to a receiving socket that asked for UDP_GRO), and the
 * socket asks for UDP_GRO, so datagrams the kernel coalesced are read as
 * one buffer and given to the engine one by one. Both are probed at open
 * (setsockopt) and are off where the kernel lacks them or config says so.
 * A GSO send the kernel refuses with EIO (a device without checksum
 * offload) or EINVAL (SO_NO_CHECK, a path MTU below the segment size) is
 * sent again as plain datagrams; after EIO, or a few of those, GSO stays
 * off for the socket (stats.gso_off).
 *
 * Event loop: either call sctpng_udp_step() in a loop (it polls the socket
 * until data arrives or the engine's next deadline), or integrate with your
 * own loop: wait for sctpng_udp_poll_events() on sctpng_udp_fd() for at
 * most sctpng_udp_timeout_ms(), then call sctpng_udp_read(),
 * sctpng_udp_timers() and sctpng_udp_flush(). After any user request on the
 * engine (connect, send, recv, shutdown, ...) call sctpng_udp_flush().
 * Events are the caller's to drain with sctpng_eng_poll_event().
 *
 * ICMP: the socket has IP_RECVERR (and IPV6_RECVERR) on; ICMP errors about
 * our datagrams are read from its error queue and given to the engine
 * (sctpng_eng_icmp_input()), so a connect to a UDP port where nothing
 * listens fails at once with -ECONNREFUSED, and "fragmentation needed"
 * lowers the path's MTU. Path MTU discovery is the system's default for
 * UDP (IP_PMTUDISC_WANT): a datagram above the MTU the system learned is
 * fragmented by it, which carries DATA chunks cut before the MTU went down.
 *
 * Functions return a non-negative value or a negative errno code; those
 * that cannot fail say so.
 *
 * Internal to libsctpng: this header is not installed, and the installed
 * libraries keep these symbols local. Its users are the UDP backend
 * (src/backend_udp) and the interop tests, which link the driver's own
 * static library.
 */
#ifndef SCTPNG_UDP_H
#define SCTPNG_UDP_H

#include <stdint.h>
#include <sys/socket.h>

#include <sctpng/engine.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SCTPNG_UDP_PORT 9899 /* RFC 6951's registered port */

typedef struct sctpng_udp sctpng_udp;

typedef struct sctpng_udp_config {
    size_t size;                   /* = sizeof(struct sctpng_udp_config), set by _init() */
    struct sockaddr_storage local; /* address and port to bind (0.0.0.0:9899) */
    uint16_t remote_port;          /* peers' UDP port when the engine has none (9899) */
    unsigned batch;                /* packets per sendmmsg / recvmmsg (32, at most 256) */
    size_t max_packet;             /* output buffer per packet, >= the engine's mtu (9216);
                                      input buffers always hold a whole UDP datagram,
                                      since peers may send up to their path MTU
                                      (64 KiB on Linux loopback) */
    int sock_buf;                  /* SO_SNDBUF and SO_RCVBUF in bytes; 0 keeps the
                                      system's (4 MiB) */
    bool gso, gro;                 /* use UDP_SEGMENT / UDP_GRO where the kernel has
                                      them (gso false, gro true: a GSO datagram
                                      sent to kernel SCTP's UDP encapsulation
                                      on the same host hits a kernel BUG in
                                      udp_queue_rcv_skb on Linux 6.1) */
} sctpng_udp_config;

typedef struct sctpng_udp_stats {
    uint64_t pkts_in, pkts_out, bytes_in, bytes_out;
    uint64_t syscalls_in, syscalls_out; /* recvmmsg / sendmmsg calls that moved packets */
    uint64_t send_errors;               /* packets dropped because sendmmsg failed */
    uint64_t truncated;                 /* datagrams cut short (cannot happen), dropped */
    uint64_t engine_drops;              /* packets the engine refused (bad CRC, tag, ...) */
    uint64_t blocked;                   /* times the socket buffer was full */
    uint64_t icmp_in;                   /* ICMP errors read from the error queue */
    uint64_t icmp_ignored;              /* ...that the engine ignored (no tag match, ...) */
    uint64_t err_reads;                 /* error-queue reads (recvmsg MSG_ERRQUEUE calls) */
    uint64_t gso_sends, gso_segs;       /* datagrams sent with UDP_SEGMENT, packets in them */
    uint64_t gso_fallbacks;             /* GSO sends refused, sent again plainly */
    uint64_t gro_bufs, gro_segs;        /* coalesced buffers read, packets in them */
    bool gso_on, gro_on;                /* in use now (gso_on drops after a refusal) */
} sctpng_udp_stats;

/* Sets size and every default. */
void sctpng_udp_config_init(sctpng_udp_config *cfg);

/* Opens and binds the socket (non-blocking, close-on-exec) for `eng`,
 * which must outlive the driver. `eng` may be NULL: then it is given with
 * sctpng_udp_set_engine() before any other call but sctpng_udp_local_addr()
 * (so that the engine's SCTP port can be the socket's own, ephemeral, UDP
 * port). Returns 0 and *out, -EINVAL (bad config), -ENOMEM, or the errno
 * of socket()/bind() (-EADDRINUSE, ...). */
int sctpng_udp_open(const sctpng_udp_config *cfg, sctpng_eng *eng, sctpng_udp **out);

/* The engine of a driver opened without one. Cannot fail. */
void sctpng_udp_set_engine(sctpng_udp *u, sctpng_eng *eng);

/* Closes the socket and frees the driver (not the engine). NULL allowed. */
void sctpng_udp_close(sctpng_udp *u);

/* The engine given to sctpng_udp_open(). Cannot fail. */
sctpng_eng *sctpng_udp_engine(const sctpng_udp *u);

/* The UDP socket, to wait on for sctpng_udp_poll_events(). Cannot fail. */
int sctpng_udp_fd(const sctpng_udp *u);

/* The bound address, with the port the system chose if config asked for 0.
 * Returns 0. */
int sctpng_udp_local_addr(const sctpng_udp *u, struct sockaddr_storage *out);

/* The bound UDP port (the one the system chose, for port 0). */
uint16_t sctpng_udp_local_port(const sctpng_udp *u);

/* CLOCK_MONOTONIC in nanoseconds: the time base to give the engine. */
uint64_t sctpng_udp_now(void);

/* Sends what the engine has to send, in batches. Returns the number of
 * packets sent (never an error); packets the full socket did not take
 * wait for the next flush, packets the system refused are counted in
 * send_errors and dropped (SCTP retransmits). */
int sctpng_udp_flush(sctpng_udp *u, uint64_t now);

/* Reads every datagram waiting (without blocking) into the engine, at
 * most 16 batches per call. Returns the number read (never an error: a
 * pending socket error just ends the reading). A read that finds nothing
 * also reads the error queue when told to by sctpng_udp_woken() (and
 * every 64th time regardless), not on every call: that would double the
 * system calls of a caller that simply tries to read. */
int sctpng_udp_read(sctpng_udp *u, uint64_t now);

/* Tells the driver that the caller was woken by the socket (POLLIN or
 * POLLERR): if the next read finds no datagram, the wake-up may have been
 * an error in the queue, which is then read. Cannot fail. */
void sctpng_udp_woken(sctpng_udp *u);

/* Reads the socket's error queue (ICMP errors: IP_RECVERR / IPV6_RECVERR,
 * enabled at open) into sctpng_eng_icmp_input(). sctpng_udp_read() and
 * sctpng_udp_flush() call it when the socket reports an error, and
 * sctpng_udp_read() when it was woken with nothing to read (POLLERR), so
 * callers need it only if they read the socket otherwise. Returns the
 * number of errors read (never an error). */
int sctpng_udp_read_errors(sctpng_udp *u, uint64_t now);

/* Runs the engine's timers if due. Returns 1 if they ran, else 0. */
int sctpng_udp_timers(sctpng_udp *u, uint64_t now);

/* Milliseconds until the engine's next deadline (rounded up; 0 if due),
 * or -1 if no timer runs. */
int sctpng_udp_timeout_ms(const sctpng_udp *u, uint64_t now);

/* POLLIN, plus POLLOUT while packets wait for room in the socket. */
short sctpng_udp_poll_events(const sctpng_udp *u);

/* One turn of a simple event loop: flush, wait for the socket at most
 * max_wait_ms (-1: no limit) or until the engine's deadline, read, run
 * timers, flush. Returns the number of packets moved, or a negative errno
 * if poll() failed. */
int sctpng_udp_step(sctpng_udp *u, int max_wait_ms);

/*
 * Sharing one UDP socket among several drivers, each with its own engine
 * and SCTP port (RFC 6951: one UDP port per host carries many SCTP ports;
 * the UDP backend's src/backend_udp/ub_share.c does this). Any of them may
 * read the socket; a datagram whose SCTP destination port (bytes 2-3 of
 * the common header) is not `port`, or an ICMP error whose quoted SCTP
 * source port is not, goes to the hook first: it returns 1 when it took it
 * (for another engine), 0 to give it to this driver's engine after all
 * (nobody serves that port: the engine answers it as out of the blue).
 * The hooks run inside sctpng_udp_read(), sctpng_udp_flush() and
 * sctpng_udp_read_errors(); the packet and quote are valid during the
 * call only.
 */
typedef struct sctpng_udp_demux {
    int (*packet)(void *ctx, const uint8_t *pkt, size_t len, const sctpng_eng_path *from,
                  uint64_t now);
    int (*icmp)(void *ctx, const sctpng_eng_icmp *icmp, uint64_t now);
    void *ctx;
    uint16_t port; /* the SCTP port of this driver's engine */
} sctpng_udp_demux;

/* As sctpng_udp_open() on `fd`, an open, bound UDP socket that stays the
 * caller's: sctpng_udp_close() leaves it open. cfg->local is ignored
 * (but must be valid) and the socket is used as it is (its options set by
 * the sctpng_udp_open() that made it). Errors as sctpng_udp_open() but no
 * socket or bind error, -EBADF for a negative fd. */
int sctpng_udp_open_fd(const sctpng_udp_config *cfg, sctpng_eng *eng, int fd, sctpng_udp **out);

/* From now on sctpng_udp_close() leaves the socket open: the caller owns
 * it (e.g. to share it). Cannot fail. */
void sctpng_udp_disown_fd(sctpng_udp *u);

/* Sets the demux hooks (both non-NULL), still off; call before any other
 * thread uses the driver. Cannot fail. */
void sctpng_udp_set_demux(sctpng_udp *u, const sctpng_udp_demux *d);
/* Turns the hooks on or off (off: every datagram to this engine, the
 * unshared fast path). Safe while another thread reads the socket through
 * this driver. Cannot fail. */
void sctpng_udp_demux_enable(sctpng_udp *u, bool on);

/* Copies the driver's counters since open into *st. Cannot fail. */
void sctpng_udp_get_stats(const sctpng_udp *u, sctpng_udp_stats *st);

#ifdef __cplusplus
}
#endif
#endif /* SCTPNG_UDP_H */
