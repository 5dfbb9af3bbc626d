/* api.c - the same loop through the sctpng API: sctpng_send/sctpng_recv
 * per message, or sctpng_send_batch/sctpng_recv_batch with up to
 * LOOP_BATCH messages per call. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loop.h"
#include "sctpng.h"

struct api_pair {
    struct loop_run *r;
    bool batch;
    sctpng_socket *c, *s;
};

static int fail(const char *what, int err)
{
    fprintf(stderr, "sctploop: %s: %s\n", what, sctpng_strerror(err));
    return -1;
}

static int api_pair_open(struct api_pair *p)
{
    sctpng_socket_opts o;
    sctpng_socket *l = NULL;
    sctpng_addr a;
    int e;
    sctpng_socket_opts_init(&o);
    o.family = AF_INET;
    if ((e = sctpng_socket_open(&l, &o)) < 0 || (e = sctpng_socket_open(&p->c, &o)) < 0)
        return fail("socket", e);
    sctpng_addr_parse(&a, "127.0.0.1", 0);
    if ((e = sctpng_bind(l, &a, 1)) < 0 || (e = sctpng_listen(l, 1)) < 0 ||
        (e = sctpng_get_local_addrs(l, 0, &a, 1)) < 0)
        return fail("bind/listen", e);
    if ((e = sctpng_setopt(p->c, SCTPNG_OPT_NODELAY, loop_nodelay())) < 0)
        return fail("setopt", e);
    if ((e = sctpng_connect(p->c, &a, 1, NULL, 10000)) < 0)
        return fail("connect", e);
    e = sctpng_accept(l, &p->s, NULL, 10000);
    sctpng_close(l);
    return e < 0 ? fail("accept", e) : 0;
}

static void send_single(struct api_pair *p, char *buf, sctpng_sndinfo *si, uint64_t end)
{
    struct loop_run *r = p->r;
    for (;;) {
        if (loop_now() >= end)
            break;
        ssize_t n = sctpng_send(p->c, buf, r->size, si, SCTPNG_FOREVER);
        if (n < 0) {
            r->error = (int)-n;
            break;
        }
        r->sent++;
    }
}

static void send_batch(struct api_pair *p, char *buf, sctpng_sndinfo *si, uint64_t end)
{
    struct loop_run *r = p->r;
    sctpng_send_msg m[LOOP_BATCH];
    for (int i = 0; i < LOOP_BATCH; i++)
        m[i] = (sctpng_send_msg){.buf = buf, .len = r->size, .info = si};
    while (loop_now() < end) {
        int n = sctpng_send_batch(p->c, m, LOOP_BATCH, SCTPNG_FOREVER);
        if (n < 0) {
            r->error = -n;
            break;
        }
        r->sent += (uint64_t)n;
    }
}

static void *api_send(void *arg)
{
    struct api_pair *p = arg;
    struct loop_run *r = p->r;
    char *buf = calloc(1, r->size);
    sctpng_sndinfo si;
    sctpng_sndinfo_init(&si);
    si.stream = LOOP_STREAM;
    si.ppid = LOOP_PPID;
    pthread_barrier_wait(&r->start);
    uint64_t end = loop_now() + (uint64_t)(r->seconds * 1e9);
    if (p->batch)
        send_batch(p, buf, &si, end);
    else
        send_single(p, buf, &si, end);
    si.ppid = LOOP_PPID_END;
    sctpng_send(p->c, buf, r->size, &si, SCTPNG_FOREVER);
    free(buf);
    return NULL;
}

/* One received message or piece; returns false at the end marker or on
 * anything unexpected. */
static bool take(struct loop_run *r, ssize_t n, const sctpng_rcvinfo *ri)
{
    if (n <= 0 || (ri->flags & SCTPNG_RCV_EVENT) || ri->stream != LOOP_STREAM) {
        r->error = n < 0 ? (int)-n : EPROTO;
        return false;
    }
    if (!(ri->flags & SCTPNG_RCV_COMPLETE))
        return true;
    if (ri->ppid == LOOP_PPID_END)
        return false;
    r->received++;
    return true;
}

static void recv_single(struct api_pair *p)
{
    char *buf = malloc(LOOP_RBUF);
    sctpng_rcvinfo ri;
    while (take(p->r, sctpng_recv(p->s, buf, LOOP_RBUF, &ri, SCTPNG_FOREVER), &ri))
        ;
    free(buf);
}

static void recv_batch(struct api_pair *p)
{
    static sctpng_recv_msg m[LOOP_BATCH];
    char *bufs = malloc((size_t)LOOP_BATCH * LOOP_RBUF);
    for (int i = 0; i < LOOP_BATCH; i++)
        m[i] = (sctpng_recv_msg){.buf = bufs + (size_t)i * LOOP_RBUF, .len = LOOP_RBUF};
    for (bool go = true; go;) {
        int n = sctpng_recv_batch(p->s, m, LOOP_BATCH, SCTPNG_FOREVER);
        if (n < 0) {
            p->r->error = -n;
            break;
        }
        for (int i = 0; i < n && go; i++)
            go = take(p->r, m[i].result, &m[i].info);
    }
    free(bufs);
}

static void *api_recv(void *arg)
{
    struct api_pair *p = arg;
    pthread_barrier_wait(&p->r->start);
    p->r->t0 = loop_now();
    if (p->batch)
        recv_batch(p);
    else
        recv_single(p);
    p->r->t1 = loop_now();
    return NULL;
}

int api_run(struct loop_run *r, int batch)
{
    struct api_pair p = {.r = r, .batch = batch != 0};
    int rc = api_pair_open(&p);
    if (rc == 0)
        rc = loop_threads(api_send, api_recv, &p);
    sctpng_close(p.c);
    sctpng_close(p.s);
    return rc;
}
