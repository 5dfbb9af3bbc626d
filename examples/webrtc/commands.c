/* webrtc_peer's commands on stdin (see peer.c's header comment and
 * README.md): open, send, echo, drop, close, status, quit. */
#include "channels.h"
#include "dcep.h"
#include "peer.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The pattern `send` uses, which the test peer checks byte for byte. */
uint8_t pattern(bool binary, uint16_t sid, size_t i)
{
    return binary ? (uint8_t)(i * 31 + sid * 7 + 1) : (uint8_t)('a' + (i + sid) % 26);
}

uint32_t fnv1a(const uint8_t *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}
static void cmd_open(struct peer *p, char *args, uint64_t now)
{
    char label[200], proto[200] = "";
    int ordered, rtx, life;
    if (sscanf(args, "%199s %d %d %d %199s", label, &ordered, &rtx, &life, proto) < 4) {
        printf("error usage: open LABEL ORDERED MAXRTX MAXLIFE [PROTOCOL]\n");
        return;
    }
    uint8_t type = ordered ? 0 : DCEP_UNORDERED;
    uint32_t rel = 0;
    if (rtx >= 0) {
        type |= DCEP_PARTIAL_RELIABLE_RX;
        rel = (uint32_t)rtx;
    } else if (life >= 0) {
        type |= DCEP_PARTIAL_RELIABLE_TM;
        rel = (uint32_t)life;
    }
    int sid = dc_open(&p->dc, label, proto, type, rel, now);
    if (sid < 0)
        printf("error open %s: %s\n", label, strerror(-sid));
    else
        printf("opened sid=%d label=%s\n", sid, label);
}

static void cmd_send(struct peer *p, char *args, uint64_t now)
{
    unsigned sid;
    size_t len;
    char kind[8];
    if (sscanf(args, "%u %zu %7s", &sid, &len, kind) != 3 || len > DC_MAX_MESSAGE) {
        printf("error usage: send SID LEN bin|str\n");
        return;
    }
    bool bin = strcmp(kind, "bin") == 0;
    uint8_t *buf = malloc(len ? len : 1);
    if (!buf)
        die("out of memory");
    for (size_t i = 0; i < len; i++)
        buf[i] = pattern(bin, (uint16_t)sid, i);
    int r = dc_send(&p->dc, (uint16_t)sid, bin, buf, len, now);
    free(buf);
    if (r < 0)
        printf("error send sid=%u: %s\n", sid, strerror(-r));
    else
        printf("sent sid=%u len=%zu\n", sid, len);
}

static void cmd_status(struct peer *p)
{
    sctpng_eng_status st;
    if (sctpng_eng_get_status(p->eng, p->assoc, &st) < 0) {
        printf("error status: no association\n");
        return;
    }
    const struct wire_stats *w = &p->wire;
    typedef unsigned long long ull;
    /* One line of key=value pairs, read by tests/webrtc/peer.js. */
    printf("status idata=%d zero_checksum=%d", st.idata,
           w->out_zero > 0 && w->out_zero == w->out_data_pkts);
    printf(" peer_offered_idata=%d peer_offered_zero_checksum=%d peer_edmid=%u", w->peer_idata,
           w->peer_zero_checksum, w->peer_edmid);
    printf(" peer_offered_reconfig=%d zero_checksum_sent=%llu/%llu zero_checksum_recvd=%llu/%llu",
           w->peer_reconfig, (ull)w->out_zero, (ull)w->out_data_pkts, (ull)w->in_zero,
           (ull)w->in_pkts);
    printf(" in=%u out=%u unordered_sent=%llu retransmits=%llu abandoned=%llu", st.in_streams,
           st.out_streams, (ull)st.unordered_chunks_sent, (ull)st.retransmits,
           (ull)st.abandoned_msgs);
    printf(" pending=%zu dropped=%llu outstanding=%u queued=%u peer_rwnd=%u",
           dc_pending_count(&p->dc), (ull)p->dropped, st.outstanding_bytes, st.queued_bytes,
           st.peer_rwnd);
    printf(" fwd_tsn_sent=%llu fwd_tsn_recvd=%llu next_tsn=%u cum_ack=%u\n", (ull)st.fwd_tsn_sent,
           (ull)st.fwd_tsn_recvd, st.next_tsn, st.peer_cum_ack);
}

void command(struct peer *p, char *line, uint64_t now)
{
    char *args = strchr(line, ' ');
    args = args ? args + 1 : line + strlen(line);
    if (strcmp(line, "quit") == 0) {
        p->done = true;
    } else if (!p->up) {
        printf("error not connected\n");
    } else if (strncmp(line, "open ", 5) == 0) {
        cmd_open(p, args, now);
    } else if (strncmp(line, "send ", 5) == 0) {
        cmd_send(p, args, now);
    } else if (strncmp(line, "echo ", 5) == 0) {
        p->echo = atoi(args) != 0;
        printf("echo %d\n", p->echo);
    } else if (strncmp(line, "drop ", 5) == 0) {
        unsigned n = 0, skip = 0;
        if (sscanf(args, "%u after %u", &n, &skip) < 1) {
            printf("error usage: drop N [after K]\n");
            return;
        }
        p->drop = n;
        p->drop_skip = skip;
        printf("drop %u after %u\n", n, skip);
    } else if (strncmp(line, "close ", 6) == 0) {
        int sid = atoi(args);
        int r = sid >= 0 && sid < DC_MAX_STREAMS ? dc_close(&p->dc, (uint16_t)sid, now) : -ENOENT;
        if (r < 0)
            printf("error close sid=%d: %s\n", sid, strerror(-r));
        else
            printf("closing sid=%d\n", sid);
    } else if (strcmp(line, "status") == 0) {
        cmd_status(p);
    } else if (strcmp(line, "quit") == 0) {
        p->done = true;
    } else {
        printf("error unknown command %s\n", line);
    }
}
