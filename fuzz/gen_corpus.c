/*
 * gen_corpus: writes the seed corpora of fuzz_packet and fuzz_engine from
 * real conversations between two engines in the simulator.
 *
 *   gen_corpus fuzz/corpus      (writes fuzz/corpus/packet, fuzz/corpus/engine)
 *
 * packet/: single packets of every kind seen (handshake, DATA, SACK with
 * gaps, HEARTBEAT, FORWARD-TSN, SHUTDOWN..., ABORT), one file per chunk
 * list. engine/: fuzz_engine records (see fuzz_engine.c) replaying what
 * the pair's peer sent right after engine_pair's handshake, singly and in
 * sequence; since engine_pair is deterministic, their TSNs fit.
 * Run it again when the engine's packet format changes; the output is
 * deterministic.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "engine_pair.h"

#define MAX_CAPTURE 4096

struct capture {
    int n;
    struct {
        int to;
        size_t len;
        uint8_t *data;
    } pkt[MAX_CAPTURE];
};

static bool record(struct sim *s, int from, int to, const uint8_t *pkt, size_t len, void *ctx)
{
    struct capture *c = ctx;
    (void)s, (void)from;
    if (c->n < MAX_CAPTURE) {
        c->pkt[c->n].to = to;
        c->pkt[c->n].len = len;
        c->pkt[c->n].data = malloc(len);
        memcpy(c->pkt[c->n].data, pkt, len);
        c->n++;
    }
    return false; /* watch, never drop */
}

static void write_file(const char *dir, const char *name, const uint8_t *buf, size_t len)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(buf, 1, len, f) != len) {
        perror(path);
        exit(1);
    }
    fclose(f);
}

/* One file per distinct chunk list, named after it; with only, only
 * lists with a chunk whose name has it ("I-": I-DATA, I-FORWARD-TSN). */
static void write_packets(const struct capture *c, const char *dir, const char *only)
{
    char seen[256][128];
    int nseen = 0;
    for (int i = 0; i < c->n && nseen < 256; i++) {
        char names[128];
        sim_chunk_names(c->pkt[i].data, c->pkt[i].len, names, sizeof(names));
        int dup = 0;
        for (int k = 0; k < nseen; k++)
            dup |= strcmp(seen[k], names) == 0;
        if (dup || c->pkt[i].len > 1500 || (only && !strstr(names, only)))
            continue;
        snprintf(seen[nseen++], sizeof(seen[0]), "%s", names);
        write_file(dir, names, c->pkt[i].data, c->pkt[i].len);
    }
}

/* The first packet with a chunk of this type, as `name`. */
static void write_first(const struct capture *c, const char *dir, uint8_t type, const char *name)
{
    for (int i = 0; i < c->n; i++)
        if (sim_has_chunk(c->pkt[i].data, c->pkt[i].len, type)) {
            write_file(dir, name, c->pkt[i].data, c->pkt[i].len);
            return;
        }
}

static size_t add_record(uint8_t *out, size_t at, const struct capture *c, int i)
{
    bool init = sim_has_chunk(c->pkt[i].data, c->pkt[i].len, 1);
    out[at] = (uint8_t)((init ? 1 : 0) | (c->pkt[i].to == 0 ? 0x10 : 0) | 0x20);
    out[at + 1] = (uint8_t)(c->pkt[i].len >> 8);
    out[at + 2] = (uint8_t)c->pkt[i].len;
    memcpy(out + at + 3, c->pkt[i].data, c->pkt[i].len);
    return at + 3 + c->pkt[i].len;
}

/* Records follow a stage byte (engine_pair.h), 0: established; file
 * names start with prefix, stage is 0x80 for the AUTH pair, 0x40 for the
 * I-DATA one. */
static void write_records(const struct capture *c, const char *dir, const char *prefix,
                          uint8_t stage)
{
    static uint8_t one[2048], all[32768], to_server[32768];
    size_t n_all = 1, n_srv = 1;
    all[0] = to_server[0] = stage;
    char name[64];
    for (int i = 0; i < c->n && i < 40; i++) {
        if (c->pkt[i].len + 3 > sizeof(one))
            continue;
        one[0] = stage;
        size_t n = add_record(one, 1, c, i);
        snprintf(name, sizeof(name), "%spkt%02d", prefix, i);
        write_file(dir, name, one, n);
        if (n_all + n <= sizeof(all))
            n_all = add_record(all, n_all, c, i);
        if (c->pkt[i].to == 1 && n_srv + n <= sizeof(to_server))
            n_srv = add_record(to_server, n_srv, c, i);
    }
    snprintf(name, sizeof(name), "%ssequence", prefix);
    write_file(dir, name, all, n_all);
    snprintf(name, sizeof(name), "%ssequence-to-server", prefix);
    write_file(dir, name, to_server, n_srv);
}

/* The conversation's handshake packets as inputs for the other stages:
 * INIT and COOKIE-ECHO to a listening node 1, INIT-ACK to node 0 in
 * COOKIE-WAIT, and the first packets after SHUTDOWN to a shutting pair. */
static void write_handshake(const struct capture *c, const char *dir)
{
    static const struct {
        const char *name;
        uint8_t chunk, stage;
    } picks[] = {
        {"listening-init", 1, PAIR_LISTENING},       {"listening-cookie-echo", 10, PAIR_LISTENING},
        {"connecting-init-ack", 2, PAIR_CONNECTING}, {"connecting-abort", 6, PAIR_CONNECTING},
        {"shutting-shutdown-ack", 8, PAIR_SHUTTING}, {"shutting-sack", 3, PAIR_SHUTTING},
    };
    static uint8_t out[2048];
    for (size_t k = 0; k < sizeof(picks) / sizeof(picks[0]); k++)
        for (int i = 0; i < c->n; i++) {
            if (!sim_has_chunk(c->pkt[i].data, c->pkt[i].len, picks[k].chunk) ||
                c->pkt[i].len + 4 > sizeof(out))
                continue;
            out[0] = picks[k].stage;
            size_t n = add_record(out, 1, c, i);
            /* to node 0 only for what node 0 must answer */
            out[1] = (uint8_t)((out[1] & ~0x10) | (picks[k].stage != PAIR_LISTENING ? 0x10 : 0));
            write_file(dir, picks[k].name, out, n);
            break;
        }
}

/* A richer conversation for the codec corpus: handshake, data both ways
 * with loss (gap reports), PR-SCTP (FORWARD-TSN), heartbeats, shutdown;
 * with idata the same in I-DATA and I-FORWARD-TSN (RFC 8260); with
 * plpmtud PLPMTUD probes too (HEARTBEAT + PAD, RFC 8899 / RFC 4820). */
static void converse(struct capture *c, bool idata, bool auth, bool plpmtud)
{
    static const uint8_t required[] = {0, 3, 4, 10}; /* DATA, SACK, HEARTBEAT, COOKIE-ECHO */
    struct sim *s = sim_new(7);
    sctpng_eng_config cfg;
    sim_config_init(&cfg, PAIR_PORT);
    cfg.hb_interval_ms = 1000;
    cfg.idata = idata;
    cfg.auth = auth;
    cfg.asconf = auth;
    cfg.auth_chunks = required;
    cfg.n_auth_chunks = auth ? sizeof(required) : 0;
    cfg.reconf = true; /* RE-CONFIG chunks in the corpus (RFC 6525) */
    cfg.reconf_enable = 7;
    cfg.plpmtud = plpmtud;
    cfg.adaptation_ind = plpmtud ? 0x01020304u : 0; /* RFC 5061 in INIT and INIT-ACK */
    sim_add_node(s, &cfg);
    sim_add_node(s, &cfg);
    struct sim_link_cfg link = {.delay_ns = SIM_MS(5), .loss_ppm = 100000};
    sim_link_both(s, 0, 1, &link);
    sim_set_filter(s, record, c);
    uint32_t id;
    sim_connect(s, 0, 1, &id);
    uint8_t msg[4000];
    memset(msg, 0x5A, sizeof(msg));
    for (int i = 0; i < 40; i++) {
        sctpng_eng_sndinfo si = {.stream = (uint16_t)(i % 3),
                                 .ppid = (uint32_t)i,
                                 .unordered = i % 5 == 0,
                                 .lifetime_ms = i % 4 ? 0 : 30};
        sctpng_eng_send(sim_eng(s, 0), id, msg, (size_t)(1 + i * 97 % 4000), &si, 0);
    }
    sim_run(s, SIM_SEC(5), NULL, NULL);
    if (auth) { /* RFC 5061: an Add IP and a Set Primary, answered */
        struct sockaddr_storage ss = *sim_addr(s, 0);
        ((struct sockaddr_in *)&ss)->sin_addr.s_addr ^= htonl(0x100);
        sctpng_eng_asconf_add_addr(sim_eng(s, 0), id, &ss, sim_now(s));
        sim_run(s, sim_now(s) + SIM_SEC(2), NULL, NULL);
        sctpng_eng_asconf_set_peer_primary(sim_eng(s, 0), id, &ss, sim_now(s));
        sim_run(s, sim_now(s) + SIM_SEC(2), NULL, NULL);
    }
    uint16_t sids[] = {1, 2};
    sctpng_eng_reset_streams(sim_eng(s, 0), id, SCTPNG_ENG_RESET_OUT | SCTPNG_ENG_RESET_IN, sids, 2,
                             sim_now(s));
    sim_run(s, sim_now(s) + SIM_SEC(3), NULL, NULL);
    sctpng_eng_add_streams(sim_eng(s, 0), id, 2, 3, sim_now(s));
    sim_run(s, sim_now(s) + SIM_SEC(3), NULL, NULL);
    sctpng_eng_reset_assoc(sim_eng(s, 0), id, sim_now(s));
    sim_run(s, sim_now(s) + SIM_SEC(3), NULL, NULL);
    sctpng_eng_shutdown(sim_eng(s, 0), id, sim_now(s));
    sim_run(s, SIM_SEC(20), NULL, NULL);
    sim_connect(s, 0, 1, &id);
    sim_run(s, sim_now(s) + SIM_SEC(2), NULL, NULL);
    sctpng_eng_abort(sim_eng(s, 0), id, "bye", 3, sim_now(s));
    sim_run(s, sim_now(s) + SIM_SEC(2), NULL, NULL);
    sim_free(s);
}

static void sub(char *out, size_t cap, const char *dir, const char *name)
{
    snprintf(out, cap, "%s/%s", dir, name);
    if (mkdir(out, 0755) != 0 && errno != EEXIST) {
        perror(out);
        exit(1);
    }
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
        return 2;
    }
    static struct capture conv, iconv, aconv, pconv, pairc, apairc, ipairc;
    char dir[4096];
    converse(&conv, false, false, false);
    converse(&iconv, true, false, false);
    converse(&aconv, false, true, false);
    converse(&pconv, false, false, true);
    sub(dir, sizeof(dir), argv[1], "packet");
    write_packets(&conv, dir, NULL);
    write_packets(&iconv, dir, "I-");
    write_packets(&aconv, dir, "AUTH");
    write_packets(&pconv, dir, "PAD");
    write_first(&aconv, dir, 1, "INIT-with-AUTH-params");
    write_first(&aconv, dir, 2, "INIT-ACK-with-AUTH-params");
    write_first(&aconv, dir, 0xC1, "ASCONF-with-AUTH");
    write_first(&aconv, dir, 0x80, "ASCONF-ACK-with-AUTH");
    write_first(&pconv, dir, 1, "INIT-with-adaptation");
    write_first(&pconv, dir, 2, "INIT-ACK-with-adaptation");

    struct pair *p = pair_new(PAIR_ESTABLISHED);
    if (!p)
        return 1;
    sim_set_filter(p->sim, record, &pairc);
    sim_run(p->sim, sim_now(p->sim) + SIM_MS(500), NULL, NULL);
    sctpng_eng_shutdown(sim_eng(p->sim, 0), p->assoc[0], sim_now(p->sim));
    sim_run(p->sim, sim_now(p->sim) + SIM_SEC(1), NULL, NULL);
    pair_free(p);
    if (!(p = pair_new_auth(PAIR_ESTABLISHED, true)))
        return 1;
    sim_set_filter(p->sim, record, &apairc);
    sim_run(p->sim, sim_now(p->sim) + SIM_MS(500), NULL, NULL);
    sctpng_eng_shutdown(sim_eng(p->sim, 0), p->assoc[0], sim_now(p->sim));
    sim_run(p->sim, sim_now(p->sim) + SIM_SEC(1), NULL, NULL);
    pair_free(p);
    if (!(p = pair_new_opts(PAIR_ESTABLISHED, false, true)))
        return 1;
    sim_set_filter(p->sim, record, &ipairc);
    sim_run(p->sim, sim_now(p->sim) + SIM_MS(500), NULL, NULL);
    sctpng_eng_shutdown(sim_eng(p->sim, 0), p->assoc[0], sim_now(p->sim));
    sim_run(p->sim, sim_now(p->sim) + SIM_SEC(1), NULL, NULL);
    pair_free(p);
    sub(dir, sizeof(dir), argv[1], "engine");
    write_records(&pairc, dir, "", PAIR_ESTABLISHED);
    write_records(&apairc, dir, "auth-", 0x80 | PAIR_ESTABLISHED);
    write_records(&ipairc, dir, "idata-", 0x40 | PAIR_ESTABLISHED);
    write_handshake(&conv, dir);
    printf("%d + %d packets seen\n", conv.n, pairc.n);
    return 0;
}
