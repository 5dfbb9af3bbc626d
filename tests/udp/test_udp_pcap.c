/* test_udp_pcap.c - SCTPNG_PCAP=file on the UDP backend, checked with
 * tshark (Debian's), which decodes the captures itself:
 *  - a transfer through a UDP relay that drops one DATA packet: handshake,
 *    data, the retransmission of the lost TSN, a graceful shutdown, then a
 *    second association that is aborted; every frame decodes as SCTP with a
 *    good CRC32c and no malformed packet or expert error, and the chunks
 *    come in the order the test made them (each side's own capture);
 *  - the same check fails on a copy with one CRC byte flipped;
 *  - IPv6, with two sockets of one process sharing one file;
 *  - a file that cannot be opened, or holds something else, makes the
 *    socket fail to open, and sctpng_env_check() names the variable.
 * tshark is required (scripts/deps.sh, group interop): missing, the test
 * fails. */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <sctpng/pcap.h>

#include "uhelp.h"

#define NMSG      8 /* messages of the first association */
#define DROP_NTH  3 /* the relay drops the client's 3rd DATA packet */
#define MAXFRAMES 512
#define MAXCHUNKS 8

static char dir[] = "/tmp/sctpng-pcap.XXXXXX";

static void path_of(char *out, size_t len, const char *name)
{
    snprintf(out, len, "%s/%s", dir, name);
}

/* ---- a UDP relay between the client and the server's UDP port -------- */

struct relay {
    int fd;
    uint16_t port, server_port;
    volatile int stop;
    int data_seen, dropped;
    uint32_t dropped_tsn;
};

static void *relay_run(void *arg)
{
    struct relay *r = arg;
    struct sockaddr_in client = {0}, server = {.sin_family = AF_INET};
    server.sin_port = htons(r->server_port);
    server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    uint8_t buf[65536];
    while (!r->stop) {
        struct pollfd p = {.fd = r->fd, .events = POLLIN};
        if (poll(&p, 1, 50) <= 0)
            continue;
        struct sockaddr_in from;
        socklen_t alen = sizeof(from);
        ssize_t n = recvfrom(r->fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &alen);
        if (n < 16)
            continue;
        if (from.sin_port == server.sin_port) {
            sendto(r->fd, buf, (size_t)n, 0, (struct sockaddr *)&client, sizeof(client));
            continue;
        }
        client = from;
        /* The first chunk is DATA (type 0): count it, drop the chosen one. */
        if (buf[12] == 0 && ++r->data_seen == DROP_NTH && !r->dropped) {
            r->dropped = 1;
            r->dropped_tsn = (uint32_t)buf[16] << 24 | (uint32_t)buf[17] << 16 |
                             (uint32_t)buf[18] << 8 | buf[19];
            continue;
        }
        sendto(r->fd, buf, (size_t)n, 0, (struct sockaddr *)&server, sizeof(server));
    }
    return NULL;
}

static void relay_open(struct relay *r, uint16_t server_port)
{
    memset(r, 0, sizeof(*r));
    r->server_port = server_port;
    r->fd = socket(AF_INET, SOCK_DGRAM, 0);
    assert_true(r->fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t alen = sizeof(a);
    assert_int_equal(bind(r->fd, (struct sockaddr *)&a, sizeof(a)), 0);
    assert_int_equal(getsockname(r->fd, (struct sockaddr *)&a, &alen), 0);
    r->port = ntohs(a.sin_port);
}

/* ---- reading a capture with tshark ------------------------------------ */

struct frame {
    bool sctp, malformed, crc_good, expert_error;
    unsigned srcport;
    int nchunks, ntsn;
    int type[MAXCHUNKS];
    uint32_t tsn[MAXCHUNKS];
};

struct capture {
    int n;
    struct frame f[MAXFRAMES];
};

/* Splits "a,b,c" into at most max unsigned values. */
static int list(const char *s, uint32_t *out, int max)
{
    int n = 0;
    while (*s && n < max) {
        out[n++] = (uint32_t)strtoul(s, (char **)&s, 10);
        if (*s == ',')
            s++;
    }
    return n;
}

/* One frame from tshark's fields line (tab-separated, see read_capture). */
static void parse_frame(char *line, struct frame *f)
{
    char *field[7] = {0};
    int k = 0;
    for (char *p = line; k < 7; k++) {
        field[k] = p;
        p = strchr(p, '\t');
        if (!p)
            break;
        *p++ = '\0';
    }
    for (int i = 0; i < 7; i++)
        if (!field[i])
            field[i] = "";
    field[6][strcspn(field[6], "\n")] = '\0';
    memset(f, 0, sizeof(*f));
    f->sctp = strstr(field[0], ":sctp") != NULL;
    f->malformed = strstr(field[0], "malformed") != NULL;
    f->crc_good = strcmp(field[1], "1") == 0; /* PROTO_CHECKSUM_E_GOOD */
    f->srcport = (unsigned)strtoul(field[2], NULL, 10);
    uint32_t v[MAXCHUNKS];
    f->nchunks = list(field[3], v, MAXCHUNKS);
    for (int i = 0; i < f->nchunks; i++)
        f->type[i] = (int)v[i];
    f->ntsn = list(field[4], f->tsn, MAXCHUNKS);
    uint32_t sev[16];
    int ns = list(field[5], sev, 16);
    for (int i = 0; i < ns; i++)
        if (sev[i] >= 0x00800000) /* PI_ERROR */
            f->expert_error = true;
}

/* Runs tshark on `file`; 0 and *c filled, or -1 if tshark failed. */
static int read_capture(const char *file, struct capture *c)
{
    char cmd[512];
    snprintf(cmd, sizeof(cmd),
             "tshark -n -r '%s' -o sctp.checksum:CRC-32C -T fields -E separator=/t "
             "-e frame.protocols -e sctp.checksum.status -e sctp.srcport -e sctp.chunk_type "
             "-e sctp.data_tsn_raw -e _ws.expert.severity -e frame.number 2>/dev/null",
             file);
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    char line[4096];
    c->n = 0;
    while (fgets(line, sizeof(line), p))
        if (c->n < MAXFRAMES)
            parse_frame(line, &c->f[c->n++]);
    int st = pclose(p);
    if (st != 0)
        fprintf(stderr, "# tshark on %s: exit status %d (is tshark installed?)\n", file, st);
    return st == 0 ? 0 : -1;
}

/* Every frame is SCTP with a good CRC32c, none malformed or in error. */
static bool all_clean(const struct capture *c)
{
    bool ok = c->n > 0;
    for (int i = 0; i < c->n; i++) {
        const struct frame *f = &c->f[i];
        if (!f->sctp || !f->crc_good || f->malformed || f->expert_error) {
            fprintf(stderr, "# frame %d: sctp %d crc good %d malformed %d expert error %d\n", i + 1,
                    f->sctp, f->crc_good, f->malformed, f->expert_error);
            ok = false;
        }
    }
    return ok;
}

/* How many DATA chunks with this TSN the side whose SCTP port is / is not
 * `port` (from_port true / false) sent. */
static int tsn_count(const struct capture *c, uint32_t tsn, unsigned port, bool from_port)
{
    int n = 0;
    for (int i = 0; i < c->n; i++)
        for (int k = 0; k < c->f[i].ntsn; k++)
            if (c->f[i].tsn[k] == tsn && (c->f[i].srcport == port) == from_port)
                n++;
    return n;
}

/* ---- the transfer ----------------------------------------------------- */

enum { INIT = 1, INIT_ACK = 2, SACK = 3, ABORT = 6, SHUTDOWN = 7, SHUTDOWN_ACK = 8 };
enum { COOKIE_ECHO = 10, COOKIE_ACK = 11, SHUTDOWN_COMPLETE = 14, DATA = 0, RTX = 100 };

/* What the client's capture must show, in this order (other chunks may
 * come between): type, and whether the client (not the server) sent it.
 * RTX: a DATA chunk of the dropped TSN seen the second time. */
static const struct step {
    int type;
    bool client;
} script[] = {
    {INIT, true},          {INIT_ACK, false},
    {COOKIE_ECHO, true},   {COOKIE_ACK, false},
    {DATA, true},          {SACK, false},
    {RTX, true},           {SHUTDOWN, true},
    {SHUTDOWN_ACK, false}, {SHUTDOWN_COMPLETE, true},
    {INIT, true},          {INIT_ACK, false},
    {COOKIE_ECHO, true},   {COOKIE_ACK, false},
    {DATA, true},          {ABORT, true},
};

/* Walks the chunks of the capture in order; returns how many steps of the
 * script were found (all of them: the order is right). */
static size_t follow_script(const struct capture *c, uint32_t dropped_tsn)
{
    size_t s = 0;
    int seen_dropped = 0;
    for (int i = 0; i < c->n && s < sizeof(script) / sizeof(script[0]); i++) {
        const struct frame *f = &c->f[i];
        bool client = f->srcport != U_SCTP_PORT;
        for (int k = 0, t = 0; k < f->nchunks && s < sizeof(script) / sizeof(script[0]); k++) {
            bool rtx = false;
            if (f->type[k] == DATA && t < f->ntsn && f->tsn[t++] == dropped_tsn)
                rtx = client && ++seen_dropped == 2;
            int want = script[s].type;
            if (client == script[s].client && (want == RTX ? rtx : f->type[k] == want))
                s++;
        }
    }
    return s;
}

struct reader {
    sctpng_socket *s;
    int msgs, order_ok;
    ssize_t end; /* what the last recv returned: 0 (shut down) or an error */
};

/* The server side of the first association: reads until the client's
 * shutdown ends it, checking that messages come whole and in order. */
static void *read_all(void *arg)
{
    struct reader *r = arg;
    char buf[512];
    sctpng_rcvinfo ri;
    r->order_ok = 1;
    for (;;) {
        ssize_t n = u_recv_msg(r->s, buf, sizeof(buf), &ri, U_WAIT_MS);
        if (n <= 0) {
            r->end = n;
            return NULL;
        }
        if (ri.flags & SCTPNG_RCV_EVENT)
            continue;
        if (n != 200 || buf[0] != (char)r->msgs)
            r->order_ok = 0;
        r->msgs++;
    }
}

static sctpng_socket *relay_client(uint16_t relay_port)
{
    sctpng_socket *c = u_open(AF_INET, SCTPNG_ONE_TO_ONE, 0);
    assert_non_null(c);
    assert_int_equal(sctpng_setopt(c, SCTPNG_OPT_UDP_REMOTE_PORT, relay_port), 0);
    assert_int_equal(sctpng_setopt(c, SCTPNG_OPT_NODELAY, 1), 0); /* a packet per message */
    return c;
}

/* First association: NMSG messages, one lost on the way, then shutdown. */
static void transfer_and_shutdown(sctpng_socket *l, sctpng_socket *c, struct relay *rl)
{
    sctpng_socket *srv = NULL;
    assert_int_equal(u_connect_pair(l, c, "127.0.0.1", &srv), 0);
    struct reader rd = {.s = srv};
    struct u_thread t;
    u_start(&t, read_all, &rd);
    char msg[200];
    for (int i = 0; i < NMSG; i++) {
        memset(msg, i, sizeof(msg));
        assert_int_equal(sctpng_send(c, msg, sizeof(msg), NULL, U_WAIT_MS), sizeof(msg));
    }
    assert_int_equal(sctpng_close(c), 0); /* graceful: lingers until SHUTDOWN_COMPLETE */
    u_join(&t);
    assert_int_equal(rd.msgs, NMSG);
    assert_true(rd.order_ok);
    assert_int_equal(rd.end, 0);
    assert_int_equal(rl->dropped, 1);
    sctpng_close(srv);
}

/* Second association: one message, then the client aborts. */
static void transfer_and_abort(sctpng_socket *l, sctpng_socket *c)
{
    sctpng_socket *srv = NULL;
    char buf[64];
    sctpng_rcvinfo ri;
    assert_int_equal(u_connect_pair(l, c, "127.0.0.1", &srv), 0);
    assert_int_equal(sctpng_send(c, "bye", 3, NULL, U_WAIT_MS), 3);
    assert_int_equal(u_recv_msg(srv, buf, sizeof(buf), &ri, U_WAIT_MS), 3);
    assert_int_equal(sctpng_abort(c, 0), 0);
    ssize_t r;
    do /* until the ABORT arrives: then the association is reset */
        r = u_recv_msg(srv, buf, sizeof(buf), &ri, U_WAIT_MS);
    while (r > 0);
    assert_int_equal(r, -ECONNRESET);
    sctpng_close(c);
    sctpng_close(srv);
}

static struct capture cap; /* large: not on the stack */

static void test_transfer(void **state)
{
    (void)state;
    char srvfile[128], clifile[128], bad[128], cmd[512];
    path_of(srvfile, sizeof(srvfile), "server.pcap");
    path_of(clifile, sizeof(clifile), "client.pcap");
    setenv("SCTPNG_PCAP", srvfile, 1);
    sctpng_socket *l = u_listener(AF_INET, SCTPNG_ONE_TO_ONE, "127.0.0.1", 0);
    assert_non_null(l);
    struct relay rl;
    relay_open(&rl, u_udp_port());
    struct u_thread rt;
    u_start(&rt, relay_run, &rl);
    setenv("SCTPNG_PCAP", clifile, 1); /* both clients share this file */
    sctpng_socket *c1 = relay_client(rl.port), *c2 = relay_client(rl.port);
    unsetenv("SCTPNG_PCAP");
    transfer_and_shutdown(l, c1, &rl);
    transfer_and_abort(l, c2);
    sctpng_close(l);
    rl.stop = 1;
    u_join(&rt);
    close(rl.fd);

    /* The client's view: clean, in order, the lost TSN sent twice. */
    assert_int_equal(read_capture(clifile, &cap), 0);
    assert_true(all_clean(&cap));
    size_t steps = follow_script(&cap, rl.dropped_tsn);
    if (steps != sizeof(script) / sizeof(script[0]))
        fprintf(stderr, "# client capture: step %zu of the script (type %d) not found\n", steps + 1,
                script[steps].type);
    assert_int_equal(steps, sizeof(script) / sizeof(script[0]));
    int sent = tsn_count(&cap, rl.dropped_tsn, U_SCTP_PORT, false);
    assert_true(sent >= 2);
    /* The server's view: clean, the lost TSN once less. */
    assert_int_equal(read_capture(srvfile, &cap), 0);
    assert_true(all_clean(&cap));
    assert_int_equal(tsn_count(&cap, rl.dropped_tsn, U_SCTP_PORT, false), sent - 1);

    /* The check can fail: one CRC byte flipped in the last record (its
     * CRC32c is 8 bytes into the SCTP header, after 16 + 20 bytes). */
    path_of(bad, sizeof(bad), "bad.pcap");
    snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", srvfile, bad);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(read_capture(bad, &cap), 0);
    assert_true(all_clean(&cap));
    FILE *f = fopen(bad, "r+b");
    assert_non_null(f);
    uint8_t rec[16];
    long off = 24, last = -1;
    while (fseek(f, off, SEEK_SET) == 0 && fread(rec, 1, 16, f) == 16) {
        uint32_t incl;
        memcpy(&incl, rec + 8, 4);
        last = off;
        off += 16 + (long)incl;
    }
    assert_true(last > 0);
    assert_int_equal(fseek(f, last + 16 + 20 + 8, SEEK_SET), 0);
    int byte = fgetc(f);
    assert_int_equal(fseek(f, last + 16 + 20 + 8, SEEK_SET), 0);
    fputc(byte ^ 0x5a, f);
    fclose(f);
    assert_int_equal(read_capture(bad, &cap), 0);
    assert_false(all_clean(&cap));
    assert_false(cap.f[cap.n - 1].crc_good);
    unlink(bad);
    unlink(srvfile);
    unlink(clifile);
}

/* IPv6: both ends in one process write one file; each packet is there
 * twice (sent, received), with ::1 on both sides. */
static void test_ipv6_shared(void **state)
{
    (void)state;
    char file[128], cmd[512], out[64] = "";
    path_of(file, sizeof(file), "v6.pcap");
    setenv("SCTPNG_PCAP", file, 1);
    sctpng_socket *l = u_listener(AF_INET6, SCTPNG_ONE_TO_ONE, "::1", 0);
    sctpng_socket *c = u_client(AF_INET6, SCTPNG_ONE_TO_ONE, 0), *srv = NULL;
    unsetenv("SCTPNG_PCAP");
    assert_non_null(l);
    assert_non_null(c);
    assert_int_equal(u_connect_pair(l, c, "::1", &srv), 0);
    char buf[16];
    sctpng_rcvinfo ri;
    assert_int_equal(sctpng_send(c, "six", 3, NULL, U_WAIT_MS), 3);
    assert_int_equal(u_recv_msg(srv, buf, sizeof(buf), &ri, U_WAIT_MS), 3);
    sctpng_close(c);
    sctpng_close(srv);
    sctpng_close(l);
    assert_int_equal(read_capture(file, &cap), 0);
    assert_true(all_clean(&cap));
    int inits = 0;
    for (int i = 0; i < cap.n; i++)
        inits += cap.f[i].nchunks && cap.f[i].type[0] == INIT;
    assert_int_equal(inits, 2);
    snprintf(cmd, sizeof(cmd),
             "tshark -n -r '%s' -Y 'ipv6.src == ::1 && ipv6.dst == ::1 && sctp' 2>/dev/null"
             " | wc -l",
             file);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    assert_non_null(fgets(out, sizeof(out), p));
    assert_int_equal(pclose(p), 0);
    assert_int_equal(atoi(out), cap.n);
    unlink(file);
}

/* A capture asked for and impossible: the socket does not open, and
 * sctpng_env_check() names SCTPNG_PCAP. */
static void test_bad_file(void **state)
{
    (void)state;
    char file[128], msg[256];
    sctpng_socket_opts o;
    sctpng_socket *s = NULL;
    sctpng_socket_opts_init(&o);
    o.backend = SCTPNG_BACKEND_UDP;
    o.family = AF_INET;

    path_of(file, sizeof(file), "no/such/dir.pcap");
    setenv("SCTPNG_PCAP", file, 1);
    assert_int_equal(sctpng_socket_open(&s, &o), -ENOENT);
    assert_null(s);
    assert_int_equal(sctpng_env_check(msg, sizeof(msg)), -ENOENT);
    assert_non_null(strstr(msg, "SCTPNG_PCAP="));

    setenv("SCTPNG_PCAP", dir, 1);
    assert_int_equal(sctpng_socket_open(&s, &o), -EISDIR);

    path_of(file, sizeof(file), "other.txt");
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fputs("not a capture of ours\n", f);
    fclose(f);
    setenv("SCTPNG_PCAP", file, 1);
    assert_int_equal(sctpng_socket_open(&s, &o), -EINVAL);
    assert_int_equal(sctpng_env_check(msg, sizeof(msg)), -EINVAL);
    assert_non_null(strstr(msg, "SCTPNG_PCAP="));
    unlink(file);

    /* An empty value is no capture; a good file opens (and gets a header). */
    setenv("SCTPNG_PCAP", "", 1);
    assert_int_equal(sctpng_socket_open(&s, &o), 0);
    sctpng_close(s);
    path_of(file, sizeof(file), "fine.pcap");
    setenv("SCTPNG_PCAP", file, 1);
    assert_int_equal(sctpng_env_check(msg, sizeof(msg)), 0);
    assert_int_equal(sctpng_socket_open(&s, &o), 0);
    sctpng_close(s);
    struct stat st;
    assert_int_equal(stat(file, &st), 0);
    assert_int_equal(st.st_size, 24);
    unsetenv("SCTPNG_PCAP");
    unlink(file);
}

static int setup(void **state)
{
    (void)state;
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_transfer),
        cmocka_unit_test(test_ipv6_shared),
        cmocka_unit_test(test_bad_file),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
