/* Test helper on top of pump: two engines with one association between
 * them, a per-test drop hook, and a way to forge chunks from one side
 * (SACKs with chosen gaps, ...) so a test can drive one engine's protocol
 * rules exactly. */
#ifndef SCTPNG_TEST_DUO_H
#define SCTPNG_TEST_DUO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/chunk.h"
#include "pump.h"

#define SEC 1000000000ull
#define MS  1000000ull

struct duo;
typedef bool (*duo_drop_fn)(struct duo *d, int from, const uint8_t *pkt, size_t len);

struct duo {
    uint64_t seed[2];
    sctpng_eng_config cfg[2];
    sctpng_eng *e[2];
    struct pump p;
    uint32_t a[2];    /* association ids once up */
    duo_drop_fn drop; /* NULL: deliver everything */
    void *ctx;
    unsigned got[2]; /* complete messages read by each side */
};

/* Two engines (tweak may change either config), 10 ms one-way latency,
 * auto-read on. */
struct duo *duo_new(void (*tweak)(sctpng_eng_config *c, int side));
void duo_free(struct duo *d);
/* Side 0 connects to side 1; true once both report ASSOC_UP. */
bool duo_connect(struct duo *d);
/* Writes a packet from side `from` to the other side, with the receiver's
 * verification tag, and hands it to the receiver at the current time.
 * `fill` adds the chunks. Returns sctpng_eng_input()'s result. */
int duo_inject(struct duo *d, int from, void (*fill)(struct pkt_writer *w, void *arg), void *arg);
/* Forges a SACK from side 1 to side 0. */
int duo_sack(struct duo *d, uint32_t cum, const uint16_t *gaps, uint16_t ngaps);
/* Counts DATA chunks in a packet; stores the first TSN in *tsn if any. */
unsigned duo_data_chunks(const uint8_t *pkt, size_t len, uint32_t *tsn);
/* True if the packet holds a chunk of this type. */
bool duo_has_chunk(const uint8_t *pkt, size_t len, uint8_t type);
/* 10.0.0.last, port 0. */
struct sockaddr_storage duo_ip4(uint8_t last);
/* Adds an ASCONF (serial 0, looked up by 10.0.0.lookup) with one request
 * of `type` (PT_ADD_IP, PT_DEL_IP, ...) for 10.0.0.addr, with no AUTH. */
void duo_put_asconf(struct pkt_writer *w, uint16_t type, uint8_t lookup, uint8_t addr);
sctpng_eng_path_info duo_path(const struct duo *d, int side);
sctpng_eng_status duo_status(const struct duo *d, int side);

#endif
