/* SCTP_ADDR_OVER in the engine (sctpng_eng_sndinfo.addr_over): a message
 * sent with a chosen peer address leaves on that path at its first
 * transmission, the messages around it on the primary; retransmissions go
 * where RFC 9260 6.4.1 sends them; a path the association does not have is
 * refused; a chosen path that is down hands its message to the primary.
 * Side 0 (10.0.0.1) talks to side 1 known by 10.0.0.2 (link 0, the
 * primary) and 10.0.1.2 (link 1). The link a DATA chunk is sent on is read
 * off the packet's destination as the pump carries it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "engine/chunk.h"
#include "engine/idata.h"
#include "engine/wire.h"
#include "pump.h"

#define SEC     1000000000ull
#define MS      1000000ull
#define LOG_MAX 256

struct sent {
    uint32_t ppid, tsn; /* ppid: I-DATA has it in a first fragment only */
    uint16_t sid;
    int link;
};

struct fx {
    uint64_t seed[2];
    sctpng_eng_config cfg[2];
    sctpng_eng *e[2];
    struct pump p;
    uint32_t a0;
    struct sent log[LOG_MAX]; /* DATA chunks side 0 sent, in order */
    unsigned nlog;
    uint32_t drop_ppid; /* drop the first DATA chunk with this ppid (0: none) */
    bool dropped;
    bool cut_link1;   /* drop everything to 10.0.1.2 */
    uint32_t got[16]; /* ppids of the messages side 1 read, in order */
    unsigned ngot;
};

static int link_of(const struct sockaddr_storage *a)
{
    return (ntohl(((const struct sockaddr_in *)a)->sin_addr.s_addr) >> 8) & 0xff;
}

static bool watch(struct pump *p, int from, const uint8_t *pkt, size_t len)
{
    struct fx *f = p->ctx;
    int link = link_of(&p->cur_to->remote);
    if (from != 0)
        return false;
    struct chunk_iter it;
    struct chunk c;
    bool drop = f->cut_link1 && link == 1; /* logged all the same */
    chunk_iter_init(&it, pkt, len);
    while (chunk_next(&it, &c) == 1) {
        struct data_chunk dc;
        int r = c.type == CT_DATA    ? chunk_data_decode(&c, &dc)
                : c.type == CT_IDATA ? chunk_idata_decode(&c, &dc)
                                     : -1;
        if (r < 0)
            continue;
        if (f->nlog < LOG_MAX)
            f->log[f->nlog++] = (struct sent){dc.ppid, dc.tsn, dc.sid, link};
        if (f->drop_ppid && dc.ppid == f->drop_ppid && !f->dropped)
            drop = f->dropped = true;
    }
    return drop;
}

static void on_data(struct pump *p, int side, const uint8_t *b, size_t n,
                    const sctpng_eng_rcvinfo *ri)
{
    struct fx *f = p->ctx;
    (void)b, (void)n;
    if (side == 1 && ri->complete && f->ngot < 16)
        f->got[f->ngot++] = ri->ppid;
}

static bool up(struct pump *p)
{
    return pump_assoc(p, 0) && pump_assoc(p, 1);
}

static struct fx *mk_ext(bool idata)
{
    struct fx *f = calloc(1, sizeof(*f));
    for (int s = 0; s < 2; s++) {
        f->seed[s] = 31 + (uint64_t)s;
        pump_config(&f->cfg[s], s, &f->seed[s]);
        f->cfg[s].rto_initial_ms = 100;
        f->cfg[s].rto_min_ms = 50;
        f->cfg[s].rto_max_ms = 400;
        f->cfg[s].path_max_retrans = 2;
        f->cfg[s].hb_interval_ms = 500;
        f->cfg[s].idata = idata;
        assert_int_equal(sctpng_eng_new(&f->cfg[s], &f->e[s]), 0);
    }
    pump_init(&f->p, f->e[0], f->e[1], 10 * MS);
    f->p.ctx = f;
    f->p.auto_read = true;
    f->p.on_data = on_data;
    f->p.drop = watch;
    struct sockaddr_storage peers[2] = {f->p.addr[1], f->p.addr[1]};
    ((struct sockaddr_in *)&peers[1])->sin_addr.s_addr = htonl(0x0a000102); /* 10.0.1.2 */
    assert_int_equal(sctpng_eng_connect(f->e[0], peers, 2, 5001, f->p.now, &f->a0), 0);
    assert_true(pump_until(&f->p, up, f->p.now + 5 * SEC));
    pump_run(&f->p, f->p.now + 1 * SEC); /* the second path confirmed by heartbeat */
    sctpng_eng_path_info pi;
    assert_int_equal(sctpng_eng_get_path(f->e[0], f->a0, 1, &pi), 0);
    assert_int_equal(pi.state, SCTPNG_ENG_PATH_ACTIVE);
    f->nlog = 0;
    return f;
}

static struct fx *mk(void)
{
    return mk_ext(false);
}

static void rm(struct fx *f)
{
    pump_free(&f->p);
    sctpng_eng_free(f->e[0]);
    sctpng_eng_free(f->e[1]);
    free(f);
}

static void send_on(struct fx *f, uint16_t sid, uint32_t ppid, size_t len, int path)
{
    static uint8_t buf[4000];
    sctpng_eng_sndinfo si = {
        .stream = sid, .ppid = ppid, .addr_over = path >= 0, .path = (uint32_t)path};
    assert_true(len <= sizeof(buf));
    assert_int_equal(sctpng_eng_send(f->e[0], f->a0, buf, len, &si, f->p.now), (ssize_t)len);
}

static bool sent_before(const struct fx *f, unsigned k)
{
    for (unsigned j = 0; j < k; j++)
        if (f->log[j].tsn == f->log[k].tsn)
            return true;
    return false;
}

static void send_msg(struct fx *f, uint32_t ppid, size_t len, int path)
{
    send_on(f, 0, ppid, len, path);
}

/* The links the DATA chunks of message ppid were sent on, in the order
 * sent; `first`: first transmissions only (a delayed SACK may let T3
 * retransmit a chunk elsewhere). Returns how many. */
static unsigned links_of(const struct fx *f, uint32_t ppid, bool first, int *links, unsigned max)
{
    unsigned n = 0;
    for (unsigned k = 0; k < f->nlog && n < max; k++)
        if (f->log[k].ppid == ppid && !(first && sent_before(f, k)))
            links[n++] = f->log[k].link;
    return n;
}

static uint32_t primary_of(const struct fx *f)
{
    sctpng_eng_status st;
    assert_int_equal(sctpng_eng_get_status(f->e[0], f->a0, &st), 0);
    return st.primary;
}

/* Messages before and after the chosen one stay on the primary; all the
 * fragments of a chosen message take its path; delivery stays in order. */
static void first_transmission_on_chosen_path(void **state)
{
    (void)state;
    struct fx *f = mk();
    send_msg(f, 1, 100, -1);
    send_msg(f, 2, 100, 1);
    send_msg(f, 3, 100, -1);
    send_msg(f, 4, 3000, 1); /* fragmented: every fragment on link 1 */
    send_msg(f, 5, 100, 0);  /* chosen, but the primary anyway */
    pump_run(&f->p, f->p.now + 3 * SEC);
    int l[8];
    assert_int_equal(links_of(f, 1, true, l, 8), 1);
    assert_int_equal(l[0], 0);
    assert_int_equal(links_of(f, 2, true, l, 8), 1);
    assert_int_equal(l[0], 1);
    assert_int_equal(links_of(f, 3, true, l, 8), 1);
    assert_int_equal(l[0], 0);
    unsigned nf = links_of(f, 4, true, l, 8);
    assert_true(nf >= 3);
    for (unsigned k = 0; k < nf; k++)
        assert_int_equal(l[k], 1);
    assert_int_equal(links_of(f, 5, true, l, 8), 1);
    assert_int_equal(l[0], 0);
    assert_int_equal(f->ngot, 5);
    for (unsigned k = 0; k < 5; k++)
        assert_int_equal(f->got[k], k + 1);
    assert_int_equal(primary_of(f), 0); /* the flag does not move the primary */
    rm(f);
}

/* A chosen message lost on its path: T3 of that path retransmits it on
 * another active path (6.4.1), the primary here, and it arrives. */
static void retransmission_goes_elsewhere(void **state)
{
    (void)state;
    struct fx *f = mk();
    f->drop_ppid = 7;
    send_msg(f, 7, 100, 1);
    pump_run(&f->p, f->p.now + 3 * SEC);
    int l[8];
    unsigned n = links_of(f, 7, false, l, 8);
    assert_true(f->dropped);
    assert_int_equal(n, 2);
    assert_int_equal(l[0], 1); /* first transmission where the user said */
    assert_int_equal(l[1], 0); /* the retransmission to the other path */
    assert_int_equal(f->ngot, 1);
    assert_int_equal(f->got[0], 7);
    rm(f);
}

/* A path index the association does not have is refused and queues
 * nothing. */
static void bad_path_refused(void **state)
{
    (void)state;
    struct fx *f = mk();
    sctpng_eng_status st;
    const uint32_t bad[] = {2, 7, SCTPNG_ENG_MAX_PATHS, 0xffffffffu};
    for (unsigned k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
        sctpng_eng_sndinfo si = {.ppid = 9, .addr_over = true, .path = bad[k]};
        assert_int_equal(sctpng_eng_send(f->e[0], f->a0, "x", 1, &si, f->p.now), -EINVAL);
    }
    assert_int_equal(sctpng_eng_get_status(f->e[0], f->a0, &st), 0);
    assert_int_equal(st.queued_chunks, 0);
    /* without the flag the path field means nothing */
    sctpng_eng_sndinfo plain = {.ppid = 9, .path = 7};
    assert_int_equal(sctpng_eng_send(f->e[0], f->a0, "x", 1, &plain, f->p.now), 1);
    pump_run(&f->p, f->p.now + 1 * SEC);
    assert_int_equal(f->ngot, 1);
    rm(f);
}

/* The chosen path went inactive: its message goes on the primary, as
 * Linux sends ADDR_OVER data to its active path then. */
static void inactive_path_falls_back(void **state)
{
    (void)state;
    struct fx *f = mk();
    f->cut_link1 = true;
    sctpng_eng_path_info pi;
    for (int k = 0; k < 100; k++) {
        pump_run(&f->p, f->p.now + 200 * MS);
        assert_int_equal(sctpng_eng_get_path(f->e[0], f->a0, 1, &pi), 0);
        if (pi.state == SCTPNG_ENG_PATH_INACTIVE)
            break;
    }
    assert_int_equal(pi.state, SCTPNG_ENG_PATH_INACTIVE);
    f->nlog = 0;
    send_msg(f, 11, 100, 1);
    pump_run(&f->p, f->p.now + 1 * SEC);
    int l[8];
    assert_int_equal(links_of(f, 11, true, l, 8), 1);
    assert_int_equal(l[0], 0);
    assert_int_equal(f->ngot, 1);
    rm(f);
}

/* With I-DATA (RFC 8260) the scheduler interleaves streams chunk by chunk:
 * a large message for link 1 on stream 1 and small ones for the primary
 * on stream 0 still each leave on their own link. */
static void idata_interleaved(void **state)
{
    (void)state;
    struct fx *f = mk_ext(true);
    sctpng_eng_status st;
    assert_int_equal(sctpng_eng_get_status(f->e[0], f->a0, &st), 0);
    assert_true(st.idata);
    assert_int_equal(sctpng_eng_set_scheduler(f->e[0], f->a0, SCTPNG_ENG_SCHED_RR), 0);
    send_on(f, 1, 20, 4000, 1);
    for (uint32_t k = 0; k < 4; k++)
        send_on(f, 0, 21 + k, 100, -1);
    pump_run(&f->p, f->p.now + 3 * SEC);
    int l[8];
    unsigned nf = 0;
    for (unsigned k = 0; k < f->nlog; k++) {
        if (f->log[k].sid == 1 && !sent_before(f, k)) { /* the big message's fragments */
            assert_int_equal(f->log[k].link, 1);
            nf++;
        }
    }
    assert_true(nf >= 3);
    /* and the streams did interleave: stream 0 sent between stream 1's fragments */
    assert_true(f->log[0].sid == 1 && f->log[1].sid == 0 && f->log[2].sid == 1);
    for (uint32_t k = 0; k < 4; k++) {
        assert_int_equal(links_of(f, 21 + k, true, l, 8), 1);
        assert_int_equal(l[0], 0);
    }
    assert_int_equal(f->ngot, 5);
    rm(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(first_transmission_on_chosen_path),
        cmocka_unit_test(retransmission_goes_elsewhere),
        cmocka_unit_test(bad_path_refused),
        cmocka_unit_test(inactive_path_falls_back),
        cmocka_unit_test(idata_interleaved),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
