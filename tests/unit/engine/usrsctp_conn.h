/* The engine against usrsctp in one process, the harness test_usrsctp.c
 * and test_usrsctp_intl.c share: usrsctp's AF_CONN mode hands us its SCTP
 * packets through a callback and takes ours with usrsctp_conninput(), so
 * the two stacks talk without any socket. usrsctp keeps its own timer
 * thread and real time; the engine runs on real time too. */
#ifndef SCTPNG_TEST_USRSCTP_CONN_H
#define SCTPNG_TEST_USRSCTP_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <usrsctp.h>

#include "sctpng/engine.h"

struct uc {
    sctpng_eng *eng;
    sctpng_eng_path from; /* the path usrsctp's packets come in on */
    int tag;              /* usrsctp's name for "the other side" (its address) */
    /* hooks, each optional: drop our packet to usrsctp / usrsctp's packet
     * to us (return true), see each event; idle: sleep when nothing came */
    bool (*drop_ours)(const uint8_t *pkt, size_t len);
    bool (*drop_theirs)(const uint8_t *pkt, size_t len);
    void (*event)(const sctpng_eng_event *ev);
    unsigned idle_us;
    /* a faulty link for our packets to usrsctp (after drop_ours): one in
     * `loss` lost, one in `dup` sent twice, one in `reorder` held back and
     * sent after the next one (0: never); seeded by `rnd` */
    struct uc_net {
        unsigned loss, dup, reorder;
        uint64_t rnd;
        unsigned n_lost, n_dup, n_reordered;
    } net_ours;
};
extern struct uc uc;

/* The engine configuration both use (pump_config, short RTOs for a
 * real-time test); change it, then uc_setup(). */
void uc_config(sctpng_eng_config *cfg, uint64_t *seed);
/* usrsctp_init (AF_CONN) and the engine; 0, or -1 (cmocka set-up). The
 * hooks are cleared. */
int uc_setup(const sctpng_eng_config *cfg);
/* Frees the engine and waits for usrsctp to finish. */
void uc_teardown(void);

uint64_t uc_now(void);
/* Moves packets both ways, runs the engine's timers and takes its events,
 * once. */
void uc_turn(void);
/* usrsctp's address for the AF_CONN side, at port. */
void uc_addr(struct sockaddr_conn *sc, uint16_t port);
/* usrsctp_setsockopt() that must succeed (a cmocka assertion). */
void uc_set_opt(struct socket *s, int level, int name, const void *v, socklen_t len);
/* A usrsctp AF_CONN socket bound to port, non-blocking; opts (optional)
 * sets its options before the bind. */
struct socket *uc_bound(void (*opts)(struct socket *s), uint16_t port);
/* The same at port 5001, listening. */
struct socket *uc_listener(void (*opts)(struct socket *s));

#endif
