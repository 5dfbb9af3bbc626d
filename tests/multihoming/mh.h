/*
 * mh.h - shared machinery of the multihoming suite.
 *
 * The test network (tests/vm/topo.sh, "sctpng-topo" inside the VM) is two
 * network namespaces, h1 and h2, joined by two veth pairs:
 *   path 1: h1 veth1 10.1.0.1 / fd01::1  <->  h2 veth1 10.1.0.2 / fd01::2
 *   path 2: h1 veth2 10.2.0.1 / fd02::1  <->  h2 veth2 10.2.0.2 / fd02::2
 * These addresses exist only inside the VM, which has no network device.
 *
 * One process plays both hosts: a socket belongs to the namespace it was
 * created in, so the server is opened after entering h2 and the client
 * after entering h1, and one poll loop then drives both ends. That keeps
 * every assertion in the cmocka test itself (no child processes, no pipes)
 * while the packets still cross two real, separate links.
 */
#ifndef SCTPNG_TESTS_MULTIHOMING_MH_H
#define SCTPNG_TESTS_MULTIHOMING_MH_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/helpers.h"

/* Milliseconds on CLOCK_MONOTONIC. */
int64_t mh_now_ms(void);

/* Start a test: skip it when there is no kernel SCTP or no permission to
 * make namespaces, else build a fresh topology. Undone by mh_teardown. */
void mh_begin(void);

/* cmocka teardown for every test: close the association, remove the
 * namespaces, go back to the original network namespace. */
int mh_teardown(void **state);

/* Run a shell command (printf-style), failing the test unless it exits 0. */
void mh_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Set link `dev` of namespace `ns` up or down, as `ip link set` does, but
 * from here (an ioctl): the moment is known to the microsecond, while the
 * ip command takes a few hundred ms to start in the emulated VM. */
void mh_link(const char *ns, const char *dev, bool up);

/* Shell commands run one after the other by a child process, so that the
 * test's poll loop keeps going meanwhile. */
typedef struct mh_async {
    int pid, fd;
    int n, done;    /* commands, and how many have ended */
    int64_t end[4]; /* when each ended (mh_now_ms) */
} mh_async;

/* Start `n` (<= 4) commands. */
void mh_async_start(mh_async *x, int n, const char *const *cmds);

/* How many have ended so far (never waits); fails the test when one of
 * them failed. */
int mh_async_poll(mh_async *x);

/* Enter namespace "h1" or "h2" (this thread's future sockets live there). */
void mh_enter(const char *ns);

/* Write `value` (unless it is negative) to /proc/sys/net/sctp/<name>
 * inside namespace `ns` (sysctls are per namespace); returns the previous
 * value. Leaves the caller in `ns`. */
int mh_sysctl(const char *ns, const char *name, int value);

/* The address of host `h` (1 or 2) on path `p` (1, 2, or more for extra
 * addresses the test adds: "10.<p>.0.<h>" / "fd0<p>::<h>"). */
sctpng_addr mh_addr(int family, int path, int host, uint16_t port);

/* Which path an address is on: 1 or 2 (its subnet), 0 if neither. */
int mh_path_of(const sctpng_addr *a);

/* Text form for messages (static buffer, one at a time per slot 0..3). */
const char *mh_fmt(const sctpng_addr *a, int slot);

/* One logged notification. */
typedef struct mh_ev {
    int kind;  /* enum sctpng_event_kind */
    int state; /* peer_addr.state or assoc_change.state */
    sctpng_addr addr;
    int64_t t_ms; /* when it was read */
} mh_ev;

#define MH_MAX_EVENTS 256

/* One end of the association. */
typedef struct mh_end {
    const char *name; /* "h1" or "h2" */
    sctpng_socket *s;
    size_t nev;
    mh_ev ev[MH_MAX_EVENTS];
    /* A message being reassembled from pieces. */
    size_t have;
    uint8_t buf[65536];
} mh_end;

/* Settings applied to both ends before the association starts. */
typedef struct mh_tune {
    sctpng_rtoinfo rto;     /* zero fields: kernel defaults */
    sctpng_pathparams path; /* applied to the socket (future paths) */
    bool set_path;          /* apply `path` */
    bool expose_pf;         /* SCTPNG_OPT_EXPOSE_PF */
    bool asconf;            /* SCTPNG_OPT_AUTH_SUPPORTED + ASCONF_SUPPORTED */
    int sack_delay_ms;      /* SCTPNG_OPT_DELAYED_ACK_MS (0: default, 200) */
    /* Interop (one end on each backend): the client's and the server's
     * enum sctpng_backend (0: AUTO, i.e. SCTPNG_BACKEND), the UDP port of
     * the UDP-backend end (0: its default), and `asconf` applied to the
     * UDP-backend end only (the kernel's comes from its sysctls). */
    int backend[2];
    uint16_t udp_port;
    bool asconf_udp_only;
} mh_tune;

/* A client in h1 and a server in h2, each bound to both of its addresses
 * (the same port on both), the client connected to both server addresses
 * with path 1 first, so path 1 is the primary. */
typedef struct mh_assoc {
    int family;
    mh_end c;                       /* client, h1 */
    mh_end v;                       /* server, h2 (the accepted socket) */
    sctpng_addr caddr[2], vaddr[2]; /* bound addresses, with ports */
} mh_assoc;

/* Called for every whole data message an end receives. */
typedef void (*mh_data_fn)(void *ctx, mh_end *e, const void *buf, size_t len,
                           const sctpng_rcvinfo *ri);

/* Set up the association (tune may be NULL) and wait until both paths are
 * ACTIVE on both ends. The result is freed by mh_teardown. */
mh_assoc *mh_connect(int family, const mh_tune *tune);

/* Wait up to `ms` for input on either end and read everything there is:
 * events are logged (and printed), messages go to `fn` (NULL: must not
 * get any). */
void mh_poll(mh_assoc *a, int ms, mh_data_fn fn, void *ctx);

/* Index of the first event in e->ev[from..] of `kind` (and peer-address
 * `state` and `addr` unless state < 0 / addr NULL), or -1. */
int mh_find_event(const mh_end *e, size_t from, int kind, int state, const sctpng_addr *addr);

/* Poll (as mh_poll) until such an event shows up on `e`, at most `ms`;
 * fails the test otherwise. Returns its index. */
int mh_wait_event(mh_assoc *a, mh_end *e, size_t from, int kind, int state, const sctpng_addr *addr,
                  int ms, mh_data_fn fn, void *ctx);

/* Path state (enum sctpng_path_state) of peer address `peer` seen by `e`. */
int mh_path_state(mh_end *e, const sctpng_addr *peer);

/* Wait until `e` sees its peer addresses `peer[0..n)` ACTIVE, asking for
 * a heartbeat on each path still unconfirmed. */
void mh_wait_active(mh_assoc *a, mh_end *e, const sctpng_addr *peer, size_t n, int ms);

/* Does the list contain this address (port included)? */
bool mh_has_addr(const sctpng_addr *list, int n, const sctpng_addr *a);

/* ---------------------------------------------------------------- */
/* A stream of numbered messages from the client to the server (or,    */
/* with `reverse`, from the server to the client).                     */

typedef struct mh_stream {
    uint32_t sent;   /* messages queued so far */
    uint32_t recvd;  /* messages received, in order, so far */
    uint32_t limit;  /* stop sending after this many (0: no limit) */
    int interval_ms; /* one message every interval (0: as fast as possible) */
    size_t minlen, maxlen;
    int64_t next_due;
    uint32_t per_path[3];     /* received per client path (0: unknown) */
    int last_path;            /* path of the last message received */
    int64_t mark;             /* the test's reference time */
    int64_t first_after[3];   /* first arrival per path after `mark` (0: none yet) */
    int64_t prev_of_first[3]; /* the arrival just before first_after[p] */
    int gap_ms;               /* a pause longer than this is a stall (default 150) */
    int64_t last_rx;          /* time of the last arrival */
    int nstall;               /* stalls that ended after `mark` ... */
    int64_t stall_end[16];    /* ... and when (the first 16) */
    uint32_t eagain;          /* sends refused for a full buffer */
    bool reverse;             /* from the server (h2) to the client (h1) */
} mh_stream;

/* Defaults: 64..512 byte messages, one every 5 ms, no limit. */
void mh_stream_init(mh_stream *st);

/* Start measuring: clear first_after and the stalls, remember now as the
 * mark. */
void mh_stream_mark(mh_stream *st);

/* Send what is due, then poll for up to `ms`. Each message received is
 * checked: its number must be the next one, its bytes intact. */
void mh_stream_step(mh_assoc *a, mh_stream *st, int ms);

/* Send up to the limit (with none, stop sending now) and wait until every
 * message sent has arrived. */
void mh_stream_finish(mh_assoc *a, mh_stream *st, int ms);

/* The mh_data_fn that does the checking (ctx is the mh_stream). */
void mh_stream_rx(void *ctx, mh_end *e, const void *buf, size_t len, const sctpng_rcvinfo *ri);

#endif
