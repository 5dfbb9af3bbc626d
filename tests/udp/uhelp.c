/* uhelp.c - see uhelp.h. */
#include "uhelp.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A fresh port for each listener, so that a failed test leaves nothing
 * in the way of the next. */
static unsigned gen;

uint16_t u_udp_port(void)
{
    return (uint16_t)(20000 + (getpid() * 16 + gen) % 40000);
}

sctpng_socket *u_open(int family, int style, uint32_t events)
{
    sctpng_socket_opts o;
    sctpng_socket_opts_init(&o);
    o.family = family;
    o.style = style;
    o.backend = SCTPNG_BACKEND_UDP;
    o.events = events;
    sctpng_socket *s = NULL;
    return sctpng_socket_open(&s, &o) == 0 ? s : NULL;
}

sctpng_socket *u_listener(int family, int style, const char *ip, uint32_t events)
{
    gen++;
    sctpng_socket *s = u_open(family, style, events);
    sctpng_addr a;
    if (!s || sctpng_addr_parse(&a, ip, U_SCTP_PORT) < 0 ||
        sctpng_setopt(s, SCTPNG_OPT_UDP_PORT, u_udp_port()) < 0 || sctpng_bind(s, &a, 1) < 0 ||
        sctpng_listen(s, 8) < 0) {
        sctpng_close(s);
        return NULL;
    }
    return s;
}

sctpng_socket *u_client(int family, int style, uint32_t events)
{
    sctpng_socket *s = u_open(family, style, events);
    if (s && sctpng_setopt(s, SCTPNG_OPT_UDP_REMOTE_PORT, u_udp_port()) < 0) {
        sctpng_close(s);
        return NULL;
    }
    return s;
}

struct acc {
    sctpng_socket *l, *out;
    int rc;
};

static void *accept_thread(void *arg)
{
    struct acc *a = arg;
    a->rc = sctpng_accept(a->l, &a->out, NULL, U_WAIT_MS);
    return NULL;
}

int u_connect_pair(sctpng_socket *l, sctpng_socket *c, const char *ip, sctpng_socket **srv)
{
    struct acc a = {.l = l};
    struct u_thread t;
    sctpng_addr peer;
    int rc = sctpng_addr_parse(&peer, ip, U_SCTP_PORT);
    u_start(&t, accept_thread, &a);
    if (rc == 0)
        rc = sctpng_connect(c, &peer, 1, NULL, U_WAIT_MS);
    u_join(&t);
    *srv = a.out;
    return rc ? rc : a.rc;
}

ssize_t u_recv_msg(sctpng_socket *s, void *buf, size_t cap, sctpng_rcvinfo *info, int timeout_ms)
{
    size_t got = 0;
    for (;;) {
        ssize_t r = sctpng_recv(s, (char *)buf + got, cap - got, info, timeout_ms);
        if (r < 0)
            return r;
        got += (size_t)r;
        if ((info->flags & SCTPNG_RCV_COMPLETE) || r == 0 || got == cap)
            return (ssize_t)got;
    }
}

int u_wait_event(sctpng_socket *s, int kind, sctpng_event *out, int timeout_ms)
{
    static __thread char buf[1 << 16];
    sctpng_rcvinfo ri;
    for (;;) {
        ssize_t r = sctpng_recv(s, buf, sizeof(buf), &ri, timeout_ms);
        if (r < 0)
            return (int)r;
        if (r == 0 && !(ri.flags & SCTPNG_RCV_EVENT))
            return -EPIPE;
        if ((ri.flags & SCTPNG_RCV_EVENT) && ri.event.kind == kind) {
            *out = ri.event;
            return 0;
        }
    }
}

static void *run(void *arg)
{
    struct u_thread *t = arg;
    return t->fn(t->arg);
}

void u_start(struct u_thread *t, void *(*fn)(void *), void *arg)
{
    t->fn = fn;
    t->arg = arg;
    if (pthread_create(&t->t, NULL, run, t) != 0)
        abort();
}

void u_join(struct u_thread *t)
{
    pthread_join(t->t, NULL);
}

int u_pair_open(struct u_pair *p)
{
    p->l = u_listener(AF_INET, SCTPNG_ONE_TO_ONE, "127.0.0.1", 0);
    p->c = u_client(AF_INET, SCTPNG_ONE_TO_ONE, 0);
    p->s = NULL;
    int err = p->l && p->c ? u_connect_pair(p->l, p->c, "127.0.0.1", &p->s) : -ENOMEM;
    if (err)
        u_pair_close(p);
    return err;
}

void u_pair_close(struct u_pair *p)
{
    sctpng_close(p->c);
    sctpng_close(p->s);
    sctpng_close(p->l);
    p->l = p->c = p->s = NULL;
}
