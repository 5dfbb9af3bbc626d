/* simnet's diagnostics: packet tracing (SIM_TRACE=1) and the state dump a
 * failing scenario prints. Reads packets with its own few lines of parsing
 * so that a broken engine codec cannot hide what is on the wire. */
#include <arpa/inet.h>
#include <string.h>

#include "sim/simnet_int.h"

static const char *chunk_name(uint8_t type)
{
    static const char *const names[] = {
        "DATA",        "INIT",       "INIT-ACK", "SACK",         "HB",
        "HB-ACK",      "ABORT",      "SHUTDOWN", "SHUTDOWN-ACK", "ERROR",
        "COOKIE-ECHO", "COOKIE-ACK", "ECNE",     "CWR",          "SHUTDOWN-COMPLETE",
    };
    if (type < sizeof(names) / sizeof(names[0]))
        return names[type];
    if (type == 192)
        return "FWD-TSN";
    if (type == 64)
        return "I-DATA";
    if (type == 194)
        return "I-FWD-TSN";
    if (type == 15)
        return "AUTH";
    if (type == 0xC1)
        return "ASCONF";
    if (type == 0x80)
        return "ASCONF-ACK";
    if (type == 0x84)
        return "PAD";
    return NULL;
}

/* Calls fn for each chunk type; stops at the first malformed length. */
static int walk_chunks(const uint8_t *pkt, size_t len, void (*fn)(uint8_t, void *), void *ctx)
{
    size_t off = 12;
    int n = 0;
    while (off + 4 <= len) {
        size_t clen = (size_t)pkt[off + 2] << 8 | pkt[off + 3];
        fn(pkt[off], ctx);
        n++;
        if (clen < 4)
            break;
        off += (clen + 3) & ~(size_t)3;
    }
    return n;
}

struct names_ctx {
    char *buf;
    size_t cap, len;
};

static void add_name(uint8_t type, void *ctx)
{
    struct names_ctx *c = ctx;
    const char *name = chunk_name(type);
    char tmp[16];
    if (!name) {
        snprintf(tmp, sizeof(tmp), "T%u", type);
        name = tmp;
    }
    int w = snprintf(c->buf + c->len, c->cap - c->len, "%s%s", c->len ? "," : "", name);
    if (w > 0 && (size_t)w < c->cap - c->len)
        c->len += (size_t)w;
}

void sim_chunk_names(const uint8_t *pkt, size_t len, char *buf, size_t cap)
{
    struct names_ctx c = {buf, cap, 0};
    if (cap)
        buf[0] = 0;
    walk_chunks(pkt, len, add_name, &c);
}

struct has_ctx {
    uint8_t type;
    bool found;
};

static void check_type(uint8_t type, void *ctx)
{
    struct has_ctx *c = ctx;
    if (type == c->type)
        c->found = true;
}

bool sim_has_chunk(const uint8_t *pkt, size_t len, uint8_t type)
{
    struct has_ctx c = {type, false};
    walk_chunks(pkt, len, check_type, &c);
    return c.found;
}

void sim_trace_pkt(const struct sim *s, int from, int to, const uint8_t *pkt, size_t len,
                   const char *fate)
{
    if (!s->trace)
        return;
    char names[256];
    sim_chunk_names(pkt, len, names, sizeof(names));
    uint32_t vtag =
        len >= 8 ? (uint32_t)pkt[4] << 24 | (uint32_t)pkt[5] << 16 | (uint32_t)pkt[6] << 8 | pkt[7]
                 : 0;
    fprintf(stderr, "%12.6f %d->%d %5zu vtag %08x %s %s\n", (double)s->now / 1e9, from, to, len,
            vtag, names, fate);
}

static void dump_paths(sctpng_eng *eng, uint32_t id, uint32_t n, FILE *f)
{
    for (uint32_t p = 0; p < n; p++) {
        sctpng_eng_path_info pi;
        if (sctpng_eng_get_path(eng, id, p, &pi) < 0)
            continue;
        fprintf(f,
                "      path %u state %d%s cwnd %u ssthresh %u flight %u mtu %u errors %u "
                "srtt %.1f ms rto %.1f ms sent %llu recvd %llu\n",
                p, pi.state, pi.primary ? " primary" : "", pi.cwnd, pi.ssthresh, pi.flight, pi.mtu,
                pi.errors, (double)pi.srtt_ns / 1e6, (double)pi.rto_ns / 1e6,
                (unsigned long long)pi.packets_sent, (unsigned long long)pi.packets_recvd);
    }
}

static void dump_assoc(sctpng_eng *eng, uint32_t id, FILE *f)
{
    sctpng_eng_status st;
    if (sctpng_eng_get_status(eng, id, &st) < 0) {
        fprintf(f, "    assoc %u: gone\n", id);
        return;
    }
    fprintf(f,
            "    assoc %u: %s streams %u/%u vtags %08x/%08x rwnd peer %u local %u\n"
            "      next_tsn %u peer_cum_ack %u local_cum_tsn %u outstanding %u/%u B "
            "queued %u/%u B unread %u B\n"
            "      sent %llu B acked %llu B recvd %llu B msgs %llu/%llu rtx %llu (fast %llu) "
            "t3 %llu sacks %llu/%llu dups %llu\n",
            id, sctpng_eng_state_name(st.state), st.in_streams, st.out_streams, st.local_vtag,
            st.peer_vtag, st.peer_rwnd, st.local_rwnd, st.next_tsn, st.peer_cum_ack,
            st.local_cum_tsn, st.outstanding_chunks, st.outstanding_bytes, st.queued_chunks,
            st.queued_bytes, st.unread_bytes, (unsigned long long)st.user_bytes_sent,
            (unsigned long long)st.user_bytes_acked, (unsigned long long)st.user_bytes_recvd,
            (unsigned long long)st.msgs_sent, (unsigned long long)st.msgs_recvd,
            (unsigned long long)st.retransmits, (unsigned long long)st.fast_retransmits,
            (unsigned long long)st.t3_expiries, (unsigned long long)st.sacks_sent,
            (unsigned long long)st.sacks_recvd, (unsigned long long)st.dup_tsns_recvd);
    dump_paths(eng, id, st.n_paths, f);
}

static void dump_node(struct sim *s, int i, FILE *f)
{
    struct sim_node *n = &s->nodes[i];
    sctpng_eng_stats es;
    sctpng_eng_get_stats(n->eng, &es);
    fprintf(f,
            "  node %d: pkts in %llu out %llu; drops crc %llu malformed %llu vtag %llu "
            "port %llu ootb %llu; assocs live %llu (created %llu freed %llu); mem %llu B in %llu "
            "allocs; deadline %+.3f s\n",
            i, (unsigned long long)es.pkts_in, (unsigned long long)es.pkts_out,
            (unsigned long long)es.drop_bad_crc, (unsigned long long)es.drop_malformed,
            (unsigned long long)es.drop_bad_vtag, (unsigned long long)es.drop_bad_port,
            (unsigned long long)es.drop_ootb, (unsigned long long)es.assocs_live,
            (unsigned long long)es.assocs_created, (unsigned long long)es.assocs_freed,
            (unsigned long long)es.mem_bytes, (unsigned long long)es.mem_allocs,
            sctpng_eng_deadline(n->eng) == UINT64_MAX
                ? -1.0
                : ((double)sctpng_eng_deadline(n->eng) - (double)s->now) / 1e9);
    for (unsigned a = 0; a < n->n_assocs; a++)
        dump_assoc(n->eng, n->assocs[a], f);
}

void sim_dump(struct sim *s, FILE *f)
{
    fprintf(f, "sim seed %llu at %.6f s; unroutable %llu bad_path_port %llu\n",
            (unsigned long long)s->seed, (double)s->now / 1e9, (unsigned long long)s->st.unroutable,
            (unsigned long long)s->st.bad_path_port);
    for (int i = 0; i < s->n_nodes; i++)
        dump_node(s, i, f);
    for (int a = 0; a < s->n_nodes; a++)
        for (int b = 0; b < s->n_nodes; b++) {
            const struct sim_link_stats *l = &s->links[a][b].st;
            if (a == b || !l->pkts)
                continue;
            fprintf(f,
                    "  link %d->%d: pkts %llu lost %llu qdrop %llu filtered %llu dup %llu "
                    "reord %llu corrupt %llu too-big %llu delivered %llu\n",
                    a, b, (unsigned long long)l->pkts, (unsigned long long)l->lost,
                    (unsigned long long)l->queue_drops, (unsigned long long)l->filtered,
                    (unsigned long long)l->dups, (unsigned long long)l->reordered,
                    (unsigned long long)l->corrupted, (unsigned long long)l->too_big,
                    (unsigned long long)l->delivered);
        }
}
