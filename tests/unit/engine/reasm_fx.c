/* The shared reassembly fixture; see reasm_fx.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "reasm_fx.h"

static int fx_setup(void **state, bool idata, bool fsn_known)
{
    static struct reasm_fx f;
    memset(&f, 0, sizeof(f));
    pool_init(&f.pool, &f.mem, 64, 16);
    assert_int_equal(reasm_init(&f.r, &f.pool, &f.mem, 4), 0);
    if (idata)
        f.r.mid_mask = 0xffffffffu; /* as assoc.c sets it */
    f.idata = idata;
    if (idata && fsn_known)
        f.r.fsn_peer = REASM_FSN_RFC;         /* as if learned from the peer */
    assert_int_equal(reasm_streams(&f.r), 0); /* as the first DATA does */
    *state = &f;
    return 0;
}

int reasm_fx_setup(void **state)
{
    return fx_setup(state, false, true);
}

int reasm_fx_setup_idata(void **state)
{
    return fx_setup(state, true, true);
}

int reasm_fx_setup_idata_unknown(void **state)
{
    return fx_setup(state, true, false);
}

void reasm_fx_track_cum(struct reasm_fx *f, uint32_t first)
{
    f->track = true;
    f->first = first;
    memset(f->seen, 0, sizeof(f->seen));
    f->r.cum = first - 1;
}

/* What rx.c does before an insert: the TSN map's cumulative TSN. */
static void note_tsn(struct reasm_fx *f, uint32_t tsn)
{
    uint32_t off = tsn - f->first;
    assert_true(off < FX_TSNS);
    f->seen[off] = true;
    while (f->r.cum + 1 - f->first < FX_TSNS && f->seen[f->r.cum + 1 - f->first])
        f->r.cum++;
}

int reasm_fx_teardown(void **state)
{
    struct reasm_fx *f = *state;
    reasm_destroy(&f->r);
    pool_destroy(&f->pool);
    assert_int_equal(f->mem.bytes, 0); /* nothing leaked */
    return 0;
}

void reasm_fx_put(struct reasm_fx *f, uint32_t tsn, uint16_t sid, uint32_t mid, uint32_t fsn,
                  uint8_t flags, const char *text)
{
    struct tchunk *c = pool_get(&f->pool, (uint16_t)strlen(text));
    assert_non_null(c);
    c->tsn = tsn;
    c->sid = sid;
    c->ssn = mid;
    c->fsn = f->idata ? fsn : 0;
    c->idata = f->idata;
    c->flags = flags;
    c->len = (uint16_t)strlen(text);
    memcpy(c->data, text, c->len);
    if (f->track)
        note_tsn(f, tsn);
    reasm_insert(&f->r, c);
}

ssize_t reasm_fx_get(struct reasm_fx *f, char *buf, size_t cap, struct reasm_info *ri)
{
    ssize_t n = reasm_read(&f->r, (uint8_t *)buf, cap, ri);
    if (n >= 0)
        buf[n] = 0;
    return n;
}

void reasm_fx_expect(struct reasm_fx *f, const char *text, uint16_t sid, bool complete)
{
    char buf[256];
    struct reasm_info ri;
    ssize_t n = reasm_fx_get(f, buf, sizeof(buf) - 1, &ri);
    assert_true(n >= 0);
    assert_string_equal(buf, text);
    assert_int_equal(ri.sid, sid);
    assert_int_equal(ri.complete, complete);
}
