/* Two associated engines for protocol-rule tests; see duo.h. */
#include "duo.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "engine/asconf.h"
#include "engine/wire.h"

static void count_data(struct pump *p, int side, const uint8_t *b, size_t n,
                       const sctpng_eng_rcvinfo *ri)
{
    struct duo *d = p->ctx;
    (void)b;
    (void)n;
    if (ri->complete)
        d->got[side]++;
}

static bool drop_hook(struct pump *p, int from, const uint8_t *pkt, size_t len)
{
    struct duo *d = p->ctx;
    return d->drop && d->drop(d, from, pkt, len);
}

struct duo *duo_new(void (*tweak)(sctpng_eng_config *c, int side))
{
    struct duo *d = calloc(1, sizeof(*d));
    if (!d)
        abort();
    for (int s = 0; s < 2; s++) {
        d->seed[s] = 77 + (uint64_t)s;
        pump_config(&d->cfg[s], s, &d->seed[s]);
        if (tweak)
            tweak(&d->cfg[s], s);
        if (sctpng_eng_new(&d->cfg[s], &d->e[s]) < 0)
            abort();
    }
    pump_init(&d->p, d->e[0], d->e[1], 10 * MS);
    d->p.ctx = d;
    d->p.auto_read = true;
    d->p.on_data = count_data;
    d->p.drop = drop_hook;
    return d;
}

void duo_free(struct duo *d)
{
    pump_free(&d->p);
    sctpng_eng_free(d->e[0]);
    sctpng_eng_free(d->e[1]);
    free(d);
}

static bool both_up(struct pump *p)
{
    return pump_assoc(p, 0) && pump_assoc(p, 1);
}

bool duo_connect(struct duo *d)
{
    uint32_t id;
    if (sctpng_eng_connect(d->e[0], &d->p.addr[1], 1, 5001, d->p.now, &id) < 0)
        return false;
    if (!pump_until(&d->p, both_up, d->p.now + 5 * SEC))
        return false;
    d->a[0] = pump_assoc(&d->p, 0);
    d->a[1] = pump_assoc(&d->p, 1);
    return d->a[0] == id;
}

int duo_inject(struct duo *d, int from, void (*fill)(struct pkt_writer *w, void *arg), void *arg)
{
    uint8_t buf[2048];
    int to = 1 - from;
    sctpng_eng_status st = duo_status(d, to);
    struct pkt_writer w;
    pw_init(&w, buf, sizeof(buf), (uint16_t)(5000 + from), (uint16_t)(5000 + to), st.local_vtag);
    fill(&w, arg);
    size_t n = pw_finish(&w);
    sctpng_eng_path path;
    memset(&path, 0, sizeof(path));
    path.remote = d->p.addr[from];
    return sctpng_eng_input(d->e[to], buf, n, &path, d->p.now);
}

struct sack_args {
    uint32_t cum;
    const uint16_t *gaps;
    uint16_t ngaps;
};

static void fill_sack(struct pkt_writer *w, void *arg)
{
    const struct sack_args *s = arg;
    pw_sack(w, s->cum, 1u << 20, s->gaps, s->ngaps, NULL, 0);
}

int duo_sack(struct duo *d, uint32_t cum, const uint16_t *gaps, uint16_t ngaps)
{
    struct sack_args s = {cum, gaps, ngaps};
    return duo_inject(d, 1, fill_sack, &s);
}

unsigned duo_data_chunks(const uint8_t *pkt, size_t len, uint32_t *tsn)
{
    struct chunk_iter it;
    struct chunk c;
    unsigned n = 0;
    chunk_iter_init(&it, pkt, len);
    while (chunk_next(&it, &c) == 1) {
        struct data_chunk dc;
        if (c.type != CT_DATA || chunk_data_decode(&c, &dc) < 0)
            continue;
        if (n++ == 0 && tsn)
            *tsn = dc.tsn;
    }
    return n;
}

bool duo_has_chunk(const uint8_t *pkt, size_t len, uint8_t type)
{
    struct chunk_iter it;
    struct chunk c;
    chunk_iter_init(&it, pkt, len);
    while (chunk_next(&it, &c) == 1)
        if (c.type == type)
            return true;
    return false;
}

sctpng_eng_path_info duo_path(const struct duo *d, int side)
{
    sctpng_eng_path_info pi;
    memset(&pi, 0, sizeof(pi));
    sctpng_eng_get_path(d->e[side], d->a[side], 0, &pi);
    return pi;
}

sctpng_eng_status duo_status(const struct duo *d, int side)
{
    sctpng_eng_status st;
    memset(&st, 0, sizeof(st));
    sctpng_eng_get_status(d->e[side], d->a[side], &st);
    return st;
}

struct sockaddr_storage duo_ip4(uint8_t last)
{
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof(ss));
    struct sockaddr_in *s = (struct sockaddr_in *)&ss;
    s->sin_family = AF_INET;
    s->sin_addr.s_addr = htonl(0x0a000000u | last);
    return ss;
}

void duo_put_asconf(struct pkt_writer *w, uint16_t type, uint8_t lookup, uint8_t addr)
{
    struct asconf a = {.serial = 0, .n = 1};
    a.lookup = duo_ip4(lookup);
    a.req[0] = (struct asconf_req){.type = type, .corr = 1, .addr = duo_ip4(addr)};
    uint8_t v[256];
    int n = asconf_encode(&a, v, sizeof(v));
    pw_chunk_copy(w, CT_ASCONF, 0, v, (size_t)n);
}
