/* assocs - association scale of the engine (bench/run.sh, engine part):
 * one client endpoint sets up N associations to one server endpoint, both
 * engines in this process with packets handed over in memory (no system
 * calls, so what is measured is the engine), each association with its
 * own pair of addresses. Prints, for each N given:
 *   assocs n=N secs=S rate=R bytes=B hb_cpu_ms=H
 * R: associations set up per second; B: the server engine's memory per
 * association once all are idle; H: CPU time of one heartbeat round of
 * every association (both sides), measured by moving the clock by one
 * heartbeat interval. A level that does not finish within the time cap
 * (-c SECS, default 60) prints "assocs n=N unfinished=K secs=S".
 *   usage: assocs [-c SECS] N...   */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sctpng/engine.h>

#define MS         1000000ull
#define BATCH      256 /* set-ups started before packets are exchanged */
#define HB_MS      30000
#define TURN       8           /* packets one way before the other side's turn */
#define CLIENT_NET 0x0a000000u /* 10.0.0.0/9: client k is 10.0.0.0 + k */
#define SERVER_NET 0x0a800000u /* 10.128.0.0/9: server k as the client sees it */

static uint64_t clock_ns(clockid_t c)
{
    struct timespec ts;
    clock_gettime(c, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void xorshift(void *ctx, uint8_t *buf, size_t len)
{
    uint64_t *s = ctx;
    for (size_t i = 0; i < len; i++) {
        *s ^= *s << 13;
        *s ^= *s >> 7;
        *s ^= *s << 17;
        buf[i] = (uint8_t)*s;
    }
}

static struct sockaddr_storage addr4(uint32_t ip)
{
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof(ss));
    struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
    sin->sin_family = AF_INET;
    sin->sin_port = htons(9899); /* opaque to the engine */
    sin->sin_addr.s_addr = htonl(ip);
    return ss;
}

static uint32_t ip_of(const struct sockaddr_storage *ss)
{
    return ntohl(((const struct sockaddr_in *)ss)->sin_addr.s_addr);
}

struct world {
    sctpng_eng *c, *s;
    uint64_t now;
    uint64_t seed[2];
    size_t up; /* ASSOC_UP events seen on the client */
};

static sctpng_eng *new_engine(uint16_t port, bool accept, uint64_t *seed, uint32_t max)
{
    static const uint8_t secret[32] = "assocs bench cookie secret 0123";
    sctpng_eng_config cfg;
    sctpng_eng_config_init(&cfg);
    cfg.local_port = port;
    cfg.accept = accept;
    cfg.cookie_secret = secret;
    cfg.cookie_secret_len = sizeof(secret);
    cfg.random = xorshift;
    cfg.random_ctx = seed;
    cfg.max_assocs = max;
    cfg.hb_interval_ms = HB_MS;
    sctpng_eng *e = NULL;
    if (sctpng_eng_new(&cfg, &e) < 0)
        return NULL;
    return e;
}

/* Moves every packet between the engines until both are quiet. The client
 * sends to server address k, which the server sees coming from client
 * address k, and back. */
static void exchange(struct world *w)
{
    static uint8_t buf[65536];
    for (bool moved = true; moved;) {
        moved = false;
        sctpng_eng_path to, from;
        ssize_t n;
        /* At most TURN packets each way before the other side drains:
         * an endpoint keeps only so many stateless replies (INIT ACKs)
         * waiting for output. */
        for (int k = 0;
             k < TURN && (n = sctpng_eng_output(w->c, w->now, buf, sizeof(buf), &to)) > 0; k++) {
            memset(&from, 0, sizeof(from));
            from.remote = addr4(CLIENT_NET + (ip_of(&to.remote) - SERVER_NET));
            sctpng_eng_input(w->s, buf, (size_t)n, &from, w->now);
            moved = true;
        }
        for (int k = 0;
             k < TURN && (n = sctpng_eng_output(w->s, w->now, buf, sizeof(buf), &to)) > 0; k++) {
            memset(&from, 0, sizeof(from));
            from.remote = addr4(SERVER_NET + (ip_of(&to.remote) - CLIENT_NET));
            sctpng_eng_input(w->c, buf, (size_t)n, &from, w->now);
            moved = true;
        }
        sctpng_eng_event ev;
        while (sctpng_eng_poll_event(w->c, &ev) == 1)
            w->up += ev.type == SCTPNG_ENG_EV_ASSOC_UP;
        while (sctpng_eng_poll_event(w->s, &ev) == 1)
            ;
    }
}

__attribute__((noinline)) static void run_timers(struct world *w, uint64_t until)
{
    for (;;) {
        uint64_t d = sctpng_eng_deadline(w->c), d2 = sctpng_eng_deadline(w->s);
        if (d2 < d)
            d = d2;
        if (d > until)
            break;
        if (d > w->now)
            w->now = d;
        sctpng_eng_timeout(w->c, w->now);
        sctpng_eng_timeout(w->s, w->now);
        exchange(w);
    }
    w->now = until;
}

static int level(uint32_t n, double cap_s)
{
    struct world w = {.now = 1000 * MS, .seed = {1, 2}};
    w.c = new_engine(5000, false, &w.seed[0], n + 16);
    w.s = new_engine(5001, true, &w.seed[1], n + 16);
    if (!w.c || !w.s) {
        fprintf(stderr, "assocs: cannot make the engines\n");
        return 1;
    }
    uint64_t t0 = clock_ns(CLOCK_MONOTONIC), cap = (uint64_t)(cap_s * 1e9);
    uint32_t started = 0;
    while (started < n && clock_ns(CLOCK_MONOTONIC) - t0 < cap) {
        for (uint32_t b = 0; b < BATCH && started < n; b++, started++) {
            struct sockaddr_storage peer = addr4(SERVER_NET + started);
            uint32_t id;
            if (sctpng_eng_connect(w.c, &peer, 1, 5001, w.now, &id) < 0) {
                fprintf(stderr, "assocs: connect %u failed\n", started);
                return 1;
            }
        }
        exchange(&w);
    }
    double secs = (double)(clock_ns(CLOCK_MONOTONIC) - t0) / 1e9;
    if (w.up < n) {
        printf("assocs n=%u unfinished=%zu secs=%.2f\n", n, n - w.up, secs);
        sctpng_eng_free(w.c);
        sctpng_eng_free(w.s);
        return 0;
    }
    sctpng_eng_stats st;
    sctpng_eng_get_stats(w.s, &st);
    /* One heartbeat round: every path's HEARTBEAT is due within
     * HB.interval + RTO (jittered); move the clock that far and count the
     * CPU it takes both engines. */
    uint64_t cpu0 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
    run_timers(&w, w.now + (HB_MS + 3000) * MS);
    uint64_t cpu = clock_ns(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
    printf("assocs n=%u secs=%.3f rate=%.0f bytes=%.0f hb_cpu_ms=%.1f\n", n, secs, n / secs,
           (double)st.mem_bytes / n, (double)cpu / 1e6);
    sctpng_eng_free(w.c);
    sctpng_eng_free(w.s);
    return 0;
}

int main(int argc, char **argv)
{
    double cap = 60;
    int i = 1;
    if (argc > 2 && strcmp(argv[1], "-c") == 0) {
        cap = atof(argv[2]);
        i = 3;
    }
    if (i >= argc) {
        fprintf(stderr, "usage: assocs [-c SECS] N...\n");
        return 2;
    }
    for (; i < argc; i++) {
        long n = strtol(argv[i], NULL, 10);
        if (n <= 0 || n > (1 << 22)) {
            fprintf(stderr, "assocs: bad count %s\n", argv[i]);
            return 2;
        }
        if (level((uint32_t)n, cap))
            return 1;
        fflush(stdout);
    }
    return 0;
}
