/*
 * fuzz_icmp: libFuzzer target for ICMP errors: the parser of the quoted
 * packet (icmp_quote_parse, chunk.h) and sctpng_eng_icmp_input() on a live
 * engine pair (engine_pair.c) at the stage the first byte names (mod 4:
 * established with data queued, listening, connecting, shutting down).
 * The checked engine verifies its invariants after every call; both
 * engines are freed at the end, so LeakSanitizer sees any loss.
 *
 * Input: a stage byte, then records of
 *   kind (1) | ctl (1) | mtu (2, big-endian) | len (1) | len bytes of quote
 * kind: sctpng_eng_icmp_kind, mod 6 (5 is out of range: must count as OTHER)
 * ctl bits:
 *   0-1  tag: 0 = the tag the receiving node's packets carry; 1 = tag 0,
 *        and a quote of 20 bytes or more made an INIT with its Initiate
 *        Tag; 2, 3 = as in the input
 *   2    leave the ports as they are (else the pair's ports)
 *   3    about an address the association does not know
 *   4    to node 1 (the server) instead of node 0 (the client)
 *   5-7  then let n x 50 ms of virtual time pass
 * A truncated last record is used as far as it goes.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "engine/chunk.h"
#include "engine/wire.h"
#include "engine_pair.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define QUOTE_MAX 255

/* The parser alone: what it reports must be what the bytes say. */
static void check_parse(const uint8_t *q, size_t len)
{
    struct icmp_quote iq;
    int r = icmp_quote_parse(q, len, &iq);
    if ((r < 0) != (len < SCTP_HDR_LEN))
        abort();
    if (r < 0)
        return;
    if (iq.h.src_port != get16(q) || iq.h.dst_port != get16(q + 2) || iq.h.vtag != get32(q + 4))
        abort();
    if (iq.has_type != (len > SCTP_HDR_LEN) || (iq.has_type && iq.type != q[SCTP_HDR_LEN]))
        abort();
    bool itag = iq.has_type && iq.type == CT_INIT && len >= SCTP_HDR_LEN + CHUNK_HDR_LEN + 4;
    if (iq.has_itag != itag || (itag && iq.itag != get32(q + SCTP_HDR_LEN + CHUNK_HDR_LEN)))
        abort();
}

static void tags(struct pair *p, int node, uint32_t *peer, uint32_t *local)
{
    sctpng_eng_status st;
    *peer = *local = 0;
    if (p->assoc[node] && sctpng_eng_get_status(sim_eng(p->sim, node), p->assoc[node], &st) == 0) {
        *peer = st.peer_vtag;
        *local = st.local_vtag;
    }
}

static void fix_quote(struct pair *p, uint8_t *q, size_t len, uint8_t ctl, int node)
{
    if (len < SCTP_HDR_LEN)
        return;
    if (!(ctl & 4)) {
        put16(q, PAIR_PORT);
        put16(q + 2, PAIR_PORT);
    }
    uint32_t peer, local;
    tags(p, node, &peer, &local);
    if ((ctl & 3) == 0)
        put32(q + 4, peer);
    if ((ctl & 3) == 1) {
        put32(q + 4, 0);
        if (len >= SCTP_HDR_LEN + CHUNK_HDR_LEN + 4) {
            q[SCTP_HDR_LEN] = CT_INIT;
            put32(q + SCTP_HDR_LEN + CHUNK_HDR_LEN, local);
        }
    }
}

static void feed(struct pair *p, uint8_t kind, uint8_t ctl, uint16_t mtu, const uint8_t *rec,
                 size_t len)
{
    uint8_t q[QUOTE_MAX];
    int node = (ctl & 0x10) ? 1 : 0;
    memcpy(q, rec, len);
    check_parse(q, len);
    fix_quote(p, q, len, ctl, node);
    sctpng_eng_icmp ic;
    sctpng_eng_icmp_init(&ic);
    ic.kind = (sctpng_eng_icmp_kind)(kind % 6);
    ic.mtu = mtu;
    ic.path.remote = *sim_addr(p->sim, 1 - node);
    if (ctl & 8)
        ((struct sockaddr_in *)&ic.path.remote)->sin_addr.s_addr ^= htonl(0x00FF0000);
    ic.quote = len ? q : NULL;
    ic.quote_len = len;
    sctpng_eng_icmp_input(sim_eng(p->sim, node), &ic, sim_now(p->sim));
    sim_service(p->sim, node);
    uint64_t wait = SIM_MS(50) * (ctl >> 5);
    if (wait)
        sim_run(p->sim, sim_now(p->sim) + wait, NULL, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    struct pair *p = pair_new((enum pair_stage)(data[0] % PAIR_STAGES));
    if (!p)
        abort(); /* the harness itself is broken */
    data++;
    size--;
    while (size >= 5) {
        uint8_t kind = data[0], ctl = data[1];
        uint16_t mtu = get16(data + 2);
        size_t len = data[4];
        data += 5;
        size -= 5;
        if (len > size)
            len = size;
        feed(p, kind, ctl, mtu, data, len);
        data += len;
        size -= len;
    }
    /* Let what the errors changed play out: retransmissions at a lower
     * MTU, a refused set-up, paths marked down. */
    sim_run(p->sim, sim_now(p->sim) + SIM_SEC(2), NULL, NULL);
    pair_free(p);
    return 0;
}
