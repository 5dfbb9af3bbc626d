/*
 * fuzz_engine: libFuzzer target for the engine's input path, driving a
 * live association. Each run builds a fresh engine pair (engine_pair.c) at
 * the stage the input's first byte names (mod 4: established with data
 * queued both ways, listening, connecting, shutting down; bit 7: AUTH,
 * bit 6: I-DATA, each side numbering fragments its own way), then feeds the
 * rest to the engines as a sequence of packets, letting the two engines
 * talk and their timers run in between. Both engines are freed at the end,
 * so LeakSanitizer sees anything an input made the engine lose.
 *
 * Input: a stage byte, then records of
 *   ctl (1 byte) | len (2 bytes, big-endian) | len bytes of SCTP packet
 * ctl bits:
 *   0-1  header: 0 = set ports and the verification tag the receiver
 *        expects; 1 = set ports, tag 0; 2 = set ports, keep the tag;
 *        3 = leave the header as it is
 *   2    leave the CRC as it is (else it is made valid, so that the packet
 *        gets past the CRC check into the code behind it)
 *   3    send from an address the association does not know
 *   4    deliver to node 0 (the client) instead of node 1 (the server)
 *   5-7  then let n x 50 ms of virtual time pass
 * A truncated last record is used as far as it goes.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "engine/crc.h"
#include "engine_pair.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_PKT 65535

static void fix_header(struct pair *p, uint8_t *pkt, size_t len, uint8_t ctl, int to)
{
    unsigned mode = ctl & 3;
    if (len < 12 || mode == 3)
        return;
    uint32_t vtag = mode == 0 ? pair_expected_vtag(p, to) : 0;
    pkt[0] = pkt[2] = PAIR_PORT >> 8;
    pkt[1] = pkt[3] = PAIR_PORT & 0xFF;
    if (mode != 2) {
        pkt[4] = (uint8_t)(vtag >> 24);
        pkt[5] = (uint8_t)(vtag >> 16);
        pkt[6] = (uint8_t)(vtag >> 8);
        pkt[7] = (uint8_t)vtag;
    }
}

static struct sockaddr_storage stranger(void)
{
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof(ss));
    struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
    sin->sin_family = AF_INET;
    sin->sin_port = htons(9999);
    sin->sin_addr.s_addr = htonl(0x0A090909);
    return ss;
}

static void feed(struct pair *p, const uint8_t *rec, size_t len, uint8_t ctl)
{
    static uint8_t pkt[MAX_PKT];
    int to = (ctl & 0x10) ? 0 : 1;
    memcpy(pkt, rec, len);
    fix_header(p, pkt, len, ctl, to);
    if (len >= 12 && !(ctl & 4))
        sctp_packet_set_crc(pkt, len);
    struct sockaddr_storage from = (ctl & 8) ? stranger() : *sim_addr(p->sim, 1 - to);
    sim_inject(p->sim, to, pkt, len, &from);
    uint64_t wait = SIM_MS(50) * (ctl >> 5);
    if (wait)
        sim_run(p->sim, sim_now(p->sim) + wait, NULL, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    /* the stage byte's top bit: both nodes with AUTH; the next one: with
     * I-DATA, the two numbering their fragments differently (engine_pair.h) */
    struct pair *p = pair_new_opts((enum pair_stage)((data[0] & 0x3f) % PAIR_STAGES),
                                   (data[0] & 0x80) != 0, (data[0] & 0x40) != 0);
    if (!p)
        abort(); /* the harness itself is broken */
    data++;
    size--;
    while (size >= 3) {
        uint8_t ctl = data[0];
        size_t len = (size_t)data[1] << 8 | data[2];
        data += 3;
        size -= 3;
        if (len > size)
            len = size;
        feed(p, data, len, ctl);
        data += len;
        size -= len;
    }
    /* Let whatever the input started play out, briefly. */
    sim_run(p->sim, sim_now(p->sim) + SIM_SEC(2), NULL, NULL);
    pair_free(p);
    return 0;
}
