/* test_notify.c - sctpng_event_decode() on kernel notifications built with
 * the <linux/sctp.h> structs: every kind, every field, every truncation,
 * unaligned and oversized buffers, and random garbage. Buffers under test
 * are heap copies of the exact length so ASan sees any overread. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/sctp.h>

#include "sctpng.h"

#ifndef SCTP_ADDR_PF
#define SCTP_ADDR_PF 6
#endif

#define MAXBUF       512
#define UNKNOWN_TYPE 0x9123 /* no such notification */
#define DATA_U_BIT   0x04   /* DATA chunk flag: unordered */

/* ------------------------------------------------------------------ */
/* Building notifications                                              */
/* ------------------------------------------------------------------ */

/* Append `n` bytes at *off. */
static void put(uint8_t *out, size_t *off, const void *p, size_t n)
{
    if (n == 0)
        return; /* p may be NULL */
    memcpy(out + *off, p, n);
    *off += n;
}

/* Patch sn_length (bytes 4..7) to `len`. */
static void set_sn_length(uint8_t *buf, uint32_t len)
{
    memcpy(buf + 4, &len, sizeof(len));
}

static const uint8_t abort_causes[] = {0x00, 0x0c, 0x00, 0x08, 'b', 'y', 'e', '!'};
static const uint8_t error_body[] = {0xde, 0xad, 0xbe, 0xef, 0x01, 0x02};
static const char payload[] = "hello, world";

static size_t build_assoc_change(uint8_t *out)
{
    struct sctp_assoc_change sac = {
        .sac_type = SCTP_ASSOC_CHANGE,
        .sac_flags = 0,
        .sac_length = sizeof(sac) + sizeof(abort_causes),
        .sac_state = SCTP_COMM_LOST,
        .sac_error = htons(12), /* the kernel stores the cause as wire bytes */
        .sac_outbound_streams = 10,
        .sac_inbound_streams = 20,
        .sac_assoc_id = 7,
    };
    size_t off = 0;
    put(out, &off, &sac, sizeof(sac));
    put(out, &off, abort_causes, sizeof(abort_causes));
    return off;
}

/* sctp_paddr_change is packed: fill the address through its offset. */
static size_t build_paddr(uint8_t *out, const void *sa, size_t salen, int state)
{
    struct sctp_paddr_change spc;
    memset(&spc, 0, sizeof(spc));
    spc.spc_type = SCTP_PEER_ADDR_CHANGE;
    spc.spc_flags = 0;
    spc.spc_length = sizeof(spc);
    spc.spc_state = state;
    spc.spc_error = 3;
    spc.spc_assoc_id = 9;
    memcpy((uint8_t *)&spc + offsetof(struct sctp_paddr_change, spc_aaddr), sa, salen);
    memcpy(out, &spc, sizeof(spc));
    return sizeof(spc);
}

static struct sockaddr_in sample_v4(void)
{
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(5000)};
    inet_pton(AF_INET, "192.0.2.4", &sin.sin_addr);
    return sin;
}

static struct sockaddr_in6 sample_v6(void)
{
    struct sockaddr_in6 sin6 = {.sin6_family = AF_INET6,
                                .sin6_port = htons(6000),
                                .sin6_flowinfo = htonl(0x12345),
                                .sin6_scope_id = 4};
    inet_pton(AF_INET6, "2001:db8::1", &sin6.sin6_addr);
    return sin6;
}

static size_t build_paddr_v4(uint8_t *out)
{
    struct sockaddr_in sin = sample_v4();
    return build_paddr(out, &sin, sizeof(sin), SCTP_ADDR_PF);
}

static size_t build_paddr_v6(uint8_t *out)
{
    struct sockaddr_in6 sin6 = sample_v6();
    return build_paddr(out, &sin6, sizeof(sin6), SCTP_ADDR_CONFIRMED);
}

static size_t build_paddr_unix(uint8_t *out)
{
    uint8_t junk[64];
    sa_family_t fam = AF_UNIX;
    memset(junk, 0x5a, sizeof(junk));
    memcpy(junk, &fam, sizeof(fam));
    return build_paddr(out, junk, sizeof(junk), SCTP_ADDR_AVAILABLE);
}

static size_t build_remote_error(uint8_t *out)
{
    struct sctp_remote_error sre = {
        .sre_type = SCTP_REMOTE_ERROR,
        .sre_length = sizeof(sre) + sizeof(error_body),
        .sre_error = htons(0x0102),
        .sre_assoc_id = 11,
    };
    size_t off = 0;
    put(out, &off, &sre, sizeof(sre));
    put(out, &off, error_body, sizeof(error_body));
    return off;
}

/* RFC 6458 form. The kernel puts the DATA chunk flags (E B U) in snd_flags,
 * the PPID as the sender gave it (network order from our send path) and
 * the cause code as wire bytes in ssf_error. */
static size_t build_send_failed_event(uint8_t *out)
{
    struct sctp_send_failed_event ssf = {
        .ssf_type = SCTP_SEND_FAILED_EVENT,
        .ssf_flags = SCTP_DATA_SENT,
        .ssf_length = sizeof(ssf) + sizeof(payload),
        .ssf_error = htons(1),
        .ssfe_info = {.snd_sid = 5,
                      .snd_flags = DATA_U_BIT | 0x03,
                      .snd_ppid = htonl(0x11223344),
                      .snd_context = 0xdeadbeef,
                      .snd_assoc_id = 99},
        .ssf_assoc_id = 3,
    };
    size_t off = 0;
    put(out, &off, &ssf, sizeof(ssf));
    put(out, &off, payload, sizeof(payload));
    return off;
}

static size_t build_send_failed_old(uint8_t *out)
{
    struct sctp_send_failed ssf = {
        .ssf_type = SCTP_SEND_FAILED,
        .ssf_flags = SCTP_DATA_UNSENT,
        .ssf_length = sizeof(ssf) + 5,
        .ssf_error = 0,
        .ssf_info = {.sinfo_stream = 6,
                     .sinfo_ssn = 100,
                     .sinfo_flags = 0x03,
                     .sinfo_ppid = htonl(51),
                     .sinfo_context = 77,
                     .sinfo_timetolive = 1000,
                     .sinfo_tsn = 12345,
                     .sinfo_assoc_id = 4},
        .ssf_assoc_id = 4,
    };
    size_t off = 0;
    put(out, &off, &ssf, sizeof(ssf));
    put(out, &off, "abcde", 5);
    return off;
}

static size_t build_shutdown(uint8_t *out)
{
    struct sctp_shutdown_event sse = {
        .sse_type = SCTP_SHUTDOWN_EVENT, .sse_length = sizeof(sse), .sse_assoc_id = 12};
    memcpy(out, &sse, sizeof(sse));
    return sizeof(sse);
}

static size_t build_pdapi(uint8_t *out)
{
    struct sctp_pdapi_event pd = {.pdapi_type = SCTP_PARTIAL_DELIVERY_EVENT,
                                  .pdapi_length = sizeof(pd),
                                  .pdapi_indication = SCTP_PARTIAL_DELIVERY_ABORTED,
                                  .pdapi_assoc_id = 13,
                                  .pdapi_stream = 3,
                                  .pdapi_seq = 70000};
    memcpy(out, &pd, sizeof(pd));
    return sizeof(pd);
}

/* Kernels before 4.16 end the struct at pdapi_assoc_id. */
#define PDAPI_OLD_SIZE offsetof(struct sctp_pdapi_event, pdapi_stream)

static size_t build_pdapi_old(uint8_t *out)
{
    size_t n = build_pdapi(out);
    set_sn_length(out, PDAPI_OLD_SIZE);
    memset(out + PDAPI_OLD_SIZE, 0xee, n - PDAPI_OLD_SIZE); /* must not be read */
    return PDAPI_OLD_SIZE;
}

static size_t build_adaptation(uint8_t *out)
{
    struct sctp_adaptation_event sai = {.sai_type = SCTP_ADAPTATION_INDICATION,
                                        .sai_length = sizeof(sai),
                                        .sai_adaptation_ind = 0x01020304,
                                        .sai_assoc_id = 14};
    memcpy(out, &sai, sizeof(sai));
    return sizeof(sai);
}

static size_t build_authkey(uint8_t *out)
{
    struct sctp_authkey_event ak = {.auth_type = SCTP_AUTHENTICATION_EVENT,
                                    .auth_length = sizeof(ak),
                                    .auth_keynumber = 42,
                                    .auth_altkeynumber = 43,
                                    .auth_indication = SCTP_AUTH_FREE_KEY,
                                    .auth_assoc_id = 15};
    memcpy(out, &ak, sizeof(ak));
    return sizeof(ak);
}

static size_t build_sender_dry(uint8_t *out)
{
    struct sctp_sender_dry_event sd = {.sender_dry_type = SCTP_SENDER_DRY_EVENT,
                                       .sender_dry_length = sizeof(sd),
                                       .sender_dry_assoc_id = 16};
    memcpy(out, &sd, sizeof(sd));
    return sizeof(sd);
}

static size_t build_stream_reset_n(uint8_t *out, const uint16_t *ids, size_t n)
{
    struct sctp_stream_reset_event sr = {
        .strreset_type = SCTP_STREAM_RESET_EVENT,
        .strreset_flags = SCTP_STREAM_RESET_INCOMING_SSN | SCTP_STREAM_RESET_OUTGOING_SSN,
        .strreset_length = (uint32_t)(sizeof(sr) + n * sizeof(uint16_t)),
        .strreset_assoc_id = 17,
    };
    size_t off = 0;
    put(out, &off, &sr, sizeof(sr));
    put(out, &off, ids, n * sizeof(uint16_t)); /* host order, as the kernel stores them */
    return off;
}

static const uint16_t three_ids[] = {1, 0x0203, 65535};

static size_t build_stream_reset3(uint8_t *out)
{
    return build_stream_reset_n(out, three_ids, 3);
}

static size_t build_stream_reset0(uint8_t *out)
{
    return build_stream_reset_n(out, NULL, 0);
}

static size_t build_assoc_reset(uint8_t *out)
{
    struct sctp_assoc_reset_event ar = {.assocreset_type = SCTP_ASSOC_RESET_EVENT,
                                        .assocreset_flags = SCTP_ASSOC_RESET_DENIED,
                                        .assocreset_length = sizeof(ar),
                                        .assocreset_assoc_id = 18,
                                        .assocreset_local_tsn = 0x80000001,
                                        .assocreset_remote_tsn = 0x7fffffff};
    memcpy(out, &ar, sizeof(ar));
    return sizeof(ar);
}

static size_t build_stream_change(uint8_t *out)
{
    struct sctp_stream_change_event sc = {.strchange_type = SCTP_STREAM_CHANGE_EVENT,
                                          .strchange_flags = SCTP_STREAM_CHANGE_FAILED,
                                          .strchange_length = sizeof(sc),
                                          .strchange_assoc_id = 19,
                                          .strchange_instrms = 33,
                                          .strchange_outstrms = 44};
    memcpy(out, &sc, sizeof(sc));
    return sizeof(sc);
}

static size_t build_unknown(uint8_t *out)
{
    uint16_t type = UNKNOWN_TYPE, flags = 0x0102;
    uint32_t len = 12;
    size_t off = 0;
    put(out, &off, &type, sizeof(type));
    put(out, &off, &flags, sizeof(flags));
    put(out, &off, &len, sizeof(len));
    put(out, &off, "\x01\x02\x03\x04", 4);
    return off;
}

struct sample {
    const char *name;
    size_t (*build)(uint8_t *out);
    size_t fixed; /* least sn_length the decoder must accept */
    int kind;
};

static const struct sample samples[] = {
    {"assoc_change", build_assoc_change, sizeof(struct sctp_assoc_change), SCTPNG_EV_ASSOC_CHANGE},
    {"paddr_v4", build_paddr_v4, sizeof(struct sctp_paddr_change), SCTPNG_EV_PEER_ADDR_CHANGE},
    {"paddr_v6", build_paddr_v6, sizeof(struct sctp_paddr_change), SCTPNG_EV_PEER_ADDR_CHANGE},
    {"paddr_unix", build_paddr_unix, sizeof(struct sctp_paddr_change), SCTPNG_EV_PEER_ADDR_CHANGE},
    {"remote_error", build_remote_error, sizeof(struct sctp_remote_error), SCTPNG_EV_REMOTE_ERROR},
    {"send_failed_event", build_send_failed_event, sizeof(struct sctp_send_failed_event),
     SCTPNG_EV_SEND_FAILED},
    {"send_failed_old", build_send_failed_old, sizeof(struct sctp_send_failed),
     SCTPNG_EV_SEND_FAILED},
    {"shutdown", build_shutdown, sizeof(struct sctp_shutdown_event), SCTPNG_EV_SHUTDOWN},
    {"pdapi", build_pdapi, PDAPI_OLD_SIZE, SCTPNG_EV_PARTIAL_DELIVERY},
    {"pdapi_old", build_pdapi_old, PDAPI_OLD_SIZE, SCTPNG_EV_PARTIAL_DELIVERY},
    {"adaptation", build_adaptation, sizeof(struct sctp_adaptation_event), SCTPNG_EV_ADAPTATION},
    {"authkey", build_authkey, sizeof(struct sctp_authkey_event), SCTPNG_EV_AUTH},
    {"sender_dry", build_sender_dry, sizeof(struct sctp_sender_dry_event), SCTPNG_EV_SENDER_DRY},
    {"stream_reset3", build_stream_reset3, sizeof(struct sctp_stream_reset_event),
     SCTPNG_EV_STREAM_RESET},
    {"stream_reset0", build_stream_reset0, sizeof(struct sctp_stream_reset_event),
     SCTPNG_EV_STREAM_RESET},
    {"assoc_reset", build_assoc_reset, sizeof(struct sctp_assoc_reset_event),
     SCTPNG_EV_ASSOC_RESET},
    {"stream_change", build_stream_change, sizeof(struct sctp_stream_change_event),
     SCTPNG_EV_STREAM_CHANGE},
    {"unknown", build_unknown, 8, SCTPNG_EV_RAW},
};
#define NSAMPLES (sizeof(samples) / sizeof(samples[0]))

/* ------------------------------------------------------------------ */
/* Decoding helpers                                                    */
/* ------------------------------------------------------------------ */

/* Decode `n` bytes of `src` from an exact-size heap copy placed `shift`
 * bytes into its allocation (shift 1: unaligned). The copy is returned in
 * *copy (free with free(*copy - shift)) so pointers in `ev` stay valid. */
static int decode_copy(const uint8_t *src, size_t n, size_t shift, sctpng_event *ev, uint8_t **copy)
{
    uint8_t *mem = malloc(n + shift + 1); /* +1: malloc(0) may give NULL */
    assert_non_null(mem);
    memcpy(mem + shift, src, n);
    *copy = mem + shift;
    return sctpng_event_decode(*copy, n, ev);
}

static void free_copy(uint8_t *copy, size_t shift)
{
    free(copy - shift);
}

/* Decode a built sample in place (aligned stack buffer) and expect 0. */
static size_t decode_ok(size_t (*build)(uint8_t *), uint8_t *buf, sctpng_event *ev)
{
    size_t n = build(buf);
    assert_int_equal(sctpng_event_decode(buf, n, ev), 0);
    return n;
}

/* True when [p, p+n) lies inside [base, base+len). */
static int in_range(const uint8_t *p, size_t n, const uint8_t *base, size_t len)
{
    if (n == 0)
        return p == NULL;
    return p != NULL && p >= base && n <= len && (size_t)(p - base) <= len - n;
}

static volatile unsigned sink;

/* Read every byte of a range (ASan checks each one). */
static void touch(const uint8_t *p, size_t n)
{
    unsigned s = 0;
    for (size_t i = 0; i < n; i++)
        s += p[i];
    sink += s;
}

/* The pointer and length of the variable part of an event, if it has one. */
static const uint8_t *event_range(const sctpng_event *ev, size_t *n)
{
    switch (ev->kind) {
    case SCTPNG_EV_ASSOC_CHANGE:
        *n = ev->u.assoc_change.info_len;
        return ev->u.assoc_change.info;
    case SCTPNG_EV_REMOTE_ERROR:
        *n = ev->u.remote_error.len;
        return ev->u.remote_error.data;
    case SCTPNG_EV_SEND_FAILED:
        *n = ev->u.send_failed.len;
        return ev->u.send_failed.data;
    case SCTPNG_EV_STREAM_RESET:
        *n = ev->u.stream_reset.nstreams * 2;
        return ev->u.stream_reset.streams;
    case SCTPNG_EV_RAW:
        *n = ev->u.raw.len;
        return ev->u.raw.data;
    default:
        *n = 0;
        return NULL;
    }
}

/* Compare two decodes of the same notification from different buffers:
 * every field equal, pointers at the same offset in their buffers. */
static void assert_same_event(const sctpng_event *a, const uint8_t *abuf, const sctpng_event *b,
                              const uint8_t *bbuf)
{
    assert_int_equal(a->kind, b->kind);
    assert_int_equal(a->type, b->type);
    assert_int_equal(a->flags, b->flags);
    assert_int_equal(a->assoc, b->assoc);
    size_t an, bn;
    const uint8_t *ap = event_range(a, &an), *bp = event_range(b, &bn);
    assert_int_equal(an, bn);
    assert_true((ap == NULL) == (bp == NULL));
    if (ap)
        assert_int_equal(ap - abuf, bp - bbuf);
    switch (a->kind) {
    case SCTPNG_EV_ASSOC_CHANGE:
        assert_int_equal(a->u.assoc_change.state, b->u.assoc_change.state);
        assert_int_equal(a->u.assoc_change.error, b->u.assoc_change.error);
        assert_int_equal(a->u.assoc_change.ostreams, b->u.assoc_change.ostreams);
        assert_int_equal(a->u.assoc_change.istreams, b->u.assoc_change.istreams);
        break;
    case SCTPNG_EV_PEER_ADDR_CHANGE:
        assert_memory_equal(&a->u.peer_addr.addr, &b->u.peer_addr.addr, sizeof(sctpng_addr));
        assert_int_equal(a->u.peer_addr.state, b->u.peer_addr.state);
        assert_int_equal(a->u.peer_addr.error, b->u.peer_addr.error);
        break;
    case SCTPNG_EV_REMOTE_ERROR:
        assert_int_equal(a->u.remote_error.error, b->u.remote_error.error);
        break;
    case SCTPNG_EV_SEND_FAILED:
        assert_int_equal(a->u.send_failed.error, b->u.send_failed.error);
        assert_int_equal(a->u.send_failed.stream, b->u.send_failed.stream);
        assert_int_equal(a->u.send_failed.send_flags, b->u.send_failed.send_flags);
        assert_int_equal(a->u.send_failed.ppid, b->u.send_failed.ppid);
        assert_int_equal(a->u.send_failed.context, b->u.send_failed.context);
        assert_int_equal(a->u.send_failed.sent, b->u.send_failed.sent);
        break;
    case SCTPNG_EV_PARTIAL_DELIVERY:
        assert_int_equal(a->u.partial_delivery.indication, b->u.partial_delivery.indication);
        assert_int_equal(a->u.partial_delivery.stream, b->u.partial_delivery.stream);
        assert_int_equal(a->u.partial_delivery.seq, b->u.partial_delivery.seq);
        break;
    case SCTPNG_EV_ADAPTATION:
        assert_int_equal(a->u.adaptation.indication, b->u.adaptation.indication);
        break;
    case SCTPNG_EV_AUTH:
        assert_int_equal(a->u.auth.keynumber, b->u.auth.keynumber);
        assert_int_equal(a->u.auth.indication, b->u.auth.indication);
        break;
    case SCTPNG_EV_STREAM_RESET:
        for (size_t i = 0; i < a->u.stream_reset.nstreams; i++)
            assert_int_equal(sctpng_event_stream(a, i), sctpng_event_stream(b, i));
        break;
    case SCTPNG_EV_ASSOC_RESET:
        assert_int_equal(a->u.assoc_reset.local_tsn, b->u.assoc_reset.local_tsn);
        assert_int_equal(a->u.assoc_reset.remote_tsn, b->u.assoc_reset.remote_tsn);
        break;
    case SCTPNG_EV_STREAM_CHANGE:
        assert_int_equal(a->u.stream_change.istreams, b->u.stream_change.istreams);
        assert_int_equal(a->u.stream_change.ostreams, b->u.stream_change.ostreams);
        break;
    default:
        break;
    }
}

/* ------------------------------------------------------------------ */
/* Every kind, every field                                             */
/* ------------------------------------------------------------------ */

static void test_assoc_change(void **state)
{
    uint8_t buf[MAXBUF];
    sctpng_event ev;
    (void)state;
    size_t n = decode_ok(build_assoc_change, buf, &ev);
    assert_int_equal(ev.kind, SCTPNG_EV_ASSOC_CHANGE);
    assert_int_equal(ev.type, SCTP_ASSOC_CHANGE);
    assert_int_equal(ev.flags, 0);
    assert_int_equal(ev.assoc, 7);
    assert_int_equal(ev.u.assoc_change.state, SCTPNG_COMM_LOST);
    assert_int_equal(ev.u.assoc_change.error, 12);
    assert_int_equal(ev.u.assoc_change.ostreams, 10);
    assert_int_equal(ev.u.assoc_change.istreams, 20);
    assert_ptr_equal(ev.u.assoc_change.info, buf + sizeof(struct sctp_assoc_change));
    assert_int_equal(ev.u.assoc_change.info_len, sizeof(abort_causes));
    assert_memory_equal(ev.u.assoc_change.info, abort_causes, sizeof(abort_causes));
    assert_int_equal(n, sizeof(struct sctp_assoc_change) + sizeof(abort_causes));
}

static void test_assoc_change_states(void **state)
{
    static const struct {
        uint16_t kernel;
        int ours;
    } map[] = {{SCTP_COMM_UP, SCTPNG_COMM_UP},
               {SCTP_COMM_LOST, SCTPNG_COMM_LOST},
               {SCTP_RESTART, SCTPNG_RESTART},
               {SCTP_SHUTDOWN_COMP, SCTPNG_SHUTDOWN_COMP},
               {SCTP_CANT_STR_ASSOC, SCTPNG_CANT_STR_ASSOC},
               {77, -1}};
    (void)state;
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        struct sctp_assoc_change sac = {
            .sac_type = SCTP_ASSOC_CHANGE, .sac_length = sizeof(sac), .sac_state = map[i].kernel};
        sctpng_event ev;
        assert_int_equal(sctpng_event_decode(&sac, sizeof(sac), &ev), 0);
        assert_int_equal(ev.u.assoc_change.state, map[i].ours);
        assert_int_equal(ev.u.assoc_change.error, 0);
        /* No tail: no pointer. */
        assert_null(ev.u.assoc_change.info);
        assert_int_equal(ev.u.assoc_change.info_len, 0);
    }
}

static void test_paddr_v4(void **state)
{
    uint8_t buf[MAXBUF];
    sctpng_event ev;
    struct sockaddr_in want = sample_v4();
    (void)state;
    decode_ok(build_paddr_v4, buf, &ev);
    assert_int_equal(ev.kind, SCTPNG_EV_PEER_ADDR_CHANGE);
    assert_int_equal(ev.type, SCTP_PEER_ADDR_CHANGE);
    assert_int_equal(ev.assoc, 9);
    assert_int_equal(ev.u.peer_addr.state, SCTPNG_ADDR_POTENTIALLY_FAILED);
    assert_int_equal(ev.u.peer_addr.error, 3);
    assert_int_equal(ev.u.peer_addr.addr.sa.sa_family, AF_INET);
    assert_int_equal(ev.u.peer_addr.addr.v4.sin_port, htons(5000));
    assert_memory_equal(&ev.u.peer_addr.addr.v4.sin_addr, &want.sin_addr, 4);
    assert_memory_equal(&ev.u.peer_addr.addr.v4, &want, sizeof(want));
}

static void test_paddr_v6(void **state)
{
    uint8_t buf[MAXBUF];
    sctpng_event ev;
    struct sockaddr_in6 want = sample_v6();
    (void)state;
    decode_ok(build_paddr_v6, buf, &ev);
    assert_int_equal(ev.u.peer_addr.state, SCTPNG_ADDR_CONFIRMED);
    assert_int_equal(ev.u.peer_addr.addr.sa.sa_family, AF_INET6);
    assert_int_equal(ev.u.peer_addr.addr.v6.sin6_port, htons(6000));
    assert_int_equal(ev.u.peer_addr.addr.v6.sin6_flowinfo, htonl(0x12345));
    assert_int_equal(ev.u.peer_addr.addr.v6.sin6_scope_id, 4);
    assert_memory_equal(&ev.u.peer_addr.addr.v6, &want, sizeof(want));
}

static void test_paddr_unknown_family(void **state)
{
    uint8_t buf[MAXBUF];
    sctpng_event ev;
    sctpng_addr zero;
    (void)state;
    memset(&zero, 0, sizeof(zero));
    decode_ok(build_paddr_unix, buf, &ev);
    assert_int_equal(ev.kind, SCTPNG_EV_PEER_ADDR_CHANGE);
    assert_int_equal(ev.u.peer_addr.addr.sa.sa_family, AF_UNSPEC);
    assert_memory_equal(&ev.u.peer_addr.addr, &zero, sizeof(zero));
    assert_int_equal(ev.u.peer_addr.state, SCTPNG_ADDR_AVAILABLE);
}

static void test_paddr_states(void **state)
{
    static const struct {
        int kernel;
        int ours;
    } map[] = {{SCTP_ADDR_AVAILABLE, SCTPNG_ADDR_AVAILABLE},
               {SCTP_ADDR_UNREACHABLE, SCTPNG_ADDR_UNREACHABLE},
               {SCTP_ADDR_REMOVED, SCTPNG_ADDR_REMOVED},
               {SCTP_ADDR_ADDED, SCTPNG_ADDR_ADDED},
               {SCTP_ADDR_MADE_PRIM, SCTPNG_ADDR_MADE_PRIM},
               {SCTP_ADDR_CONFIRMED, SCTPNG_ADDR_CONFIRMED},
               {SCTP_ADDR_PF, SCTPNG_ADDR_POTENTIALLY_FAILED},
               {-5, -1},
               {1000, -1}};
    struct sockaddr_in sin = sample_v4();
    (void)state;
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        uint8_t buf[MAXBUF];
        sctpng_event ev;
        size_t n = build_paddr(buf, &sin, sizeof(sin), map[i].kernel);
        assert_int_equal(sctpng_event_decode(buf, n, &ev), 0);
        assert_int_equal(ev.u.peer_addr.state, map[i].ours);
    }
}

static void test_remote_error(void **state)
{
    uint8_t buf[MAXBUF];
    sctpng_event ev;
    (void)state;
    decode_ok(build_remote_error, buf, &ev);
    assert_int_equal(ev.kind, SCTPNG_EV_REMOTE_ERROR);
    assert_int_equal(ev.type, SCTP_REMOTE_ERROR);
    assert_int_equal(ev.assoc, 11);
    assert_int_equal(ev.u.remote_error.error, 0x0102); /* __be16 on the kernel side */
    assert_ptr_equal(ev.u.remote_error.data, buf + sizeof(struct sctp_remote_error));
    assert_int_equal(ev.u.remote_error.len, sizeof(error_body));
    assert_memory_equal(ev.u.remote_error.data, error_body, sizeof(error_body));
}

static void test_send_failed_event(void **state)
{
    uint8_t buf[MAXBUF];
    sctpng_event ev;
    (void)state;
    decode_ok(build_send_failed_event, buf, &ev);
    assert_int_equal(ev.kind, SCTPNG_EV_SEND_FAILED);
    assert_int_equal(ev.type, SCTP_SEND_FAILED_EVENT);
    assert_int_equal(ev.flags, SCTP_DATA_SENT);
    assert_int_equal(ev.assoc, 3);
    assert_int_equal(ev.u.send_failed.error, 1);
    assert_int_equal(ev.u.send_failed.stream, 5);
    assert_int_equal(ev.u.send_failed.send_flags, SCTPNG_UNORDERED);
    assert_int_equal(ev.u.send_failed.ppid, 0x11223344);
    assert_int_equal(ev.u.send_failed.context, 0xdeadbeef);
    assert_true(ev.u.send_failed.sent);
    assert_ptr_equal(ev.u.send_failed.data, buf + sizeof(struct sctp_send_failed_event));
    assert_int_equal(ev.u.send_failed.len, sizeof(payload));
    assert_memory_equal(ev.u.send_failed.data, payload, sizeof(payload));
}

static void test_send_failed_old(void **state)
{
    uint8_t buf[MAXBUF];
    sctpng_event ev;
    (void)state;
    decode_ok(build_send_failed_old, buf, &ev);
    assert_int_equal(ev.kind, SCTPNG_EV_SEND_FAILED);
    assert_int_equal(ev.type, SCTP_SEND_FAILED);
    assert_int_equal(ev.flags, SCTP_DATA_UNSENT);
    assert_int_equal(ev.assoc, 4);
    assert_int_equal(ev.u.send_failed.error, 0);
    assert_int_equal(ev.u.send_failed.stream, 6);
    assert_int_equal(ev.u.send_failed.send_flags, 0); /* B|E, ordered */
    assert_int_equal(ev.u.send_failed.ppid, 51);
    assert_int_equal(ev.u.send_failed.context, 77);
    assert_false(ev.u.send_failed.sent);
    assert_ptr_equal(ev.u.send_failed.data, buf + sizeof(struct sctp_send_failed));
    assert_int_equal(ev.u.send_failed.len, 5);
    assert_memory_equal(ev.u.send_failed.data, "abcde", 5);
}

/* sn_length between the fixed size and the full size: the payload shrinks
 * with it; an empty payload gives no pointer. */
static void test_send_failed_short_payload(void **state)
{
    uint8_t buf[MAXBUF];
    sctpng_event ev;
    const size_t fixed = sizeof(struct sctp_send_failed_event);
    (void)state;
    size_t n = build_send_failed_event(buf);
    set_sn_length(buf, (uint32_t)(fixed + 3));
    assert_int_equal(sctpng_event_decode(buf, n, &ev), 0);
    assert_int_equal(ev.u.send_failed.len, 3);
    assert_ptr_equal(ev.u.send_failed.data, buf + fixed);
    set_sn_length(buf, (uint32_t)fixed);
    assert_int_equal(sctpng_event_decode(buf, n, &ev), 0);
    assert_int_equal(ev.u.send_failed.len, 0);
    assert_null(ev.u.send_failed.data);
}

/* A large ssf_error is no cause code: passed on untouched. */
static void test_send_failed_large_error(void **state)
{
    uint8_t buf[MAXBUF];
    sctpng_event ev;
    uint32_t big = 0x00010000;
    (void)state;
    size_t n = build_send_failed_event(buf);
    memcpy(buf + offsetof(struct sctp_send_failed_event, ssf_error), &big, sizeof(big));
    assert_int_equal(sctpng_event_decode(buf, n, &ev), 0);
    assert_int_equal(ev.u.send_failed.error, big);
}

static void test_shutdown(void **state)
{
    uint8_t buf[MAXBUF];
    sctpng_event ev;
    (void)state;
    decode_ok(build_shutdown, buf, &ev);
    assert_int_equal(ev.kind, SCTPNG_EV_SHUTDOWN);
    assert_int_equal(ev.type, SCTP_SHUTDOWN_EVENT);
    assert_int_equal(ev.flags, 0);
    assert_int_equal(ev.assoc, 12);
}

static void test_pdapi(void **state)
{
    uint8_t buf[MAXBUF];
    sctpng_event ev;
    (void)state;
    decode_ok(build_pdapi, buf, &ev);
    assert_int_equal(ev.kind, SCTPNG_EV_PARTIAL_DELIVERY);
    assert_int_equal(ev.type, SCTP_PARTIAL_DELIVERY_EVENT);
    assert_int_equal(ev.assoc, 13);
    assert_int_equal(ev.u.partial_delivery.indication, SCTP_PARTIAL_DELIVERY_ABORTED);
    assert_int_equal(ev.u.partial_delivery.stream, 3);
    assert_int_equal(ev.u.partial_delivery.seq, 70000);
}

static void test_pdapi_old_kernel(void **state)
{
    uint8_t buf[MAXBUF];
    sctpng_event ev;
    (void)state;
    size_t n = decode_ok(build_pdapi_old, buf, &ev);
    assert_int_equal(n, PDAPI_OLD_SIZE);
    assert_int_equal(ev.kind, SCTPNG_EV_PARTIAL_DELIVERY);
    assert_int_equal(ev.assoc, 13);
    assert_int_equal(ev.u.partial_delivery.stream, 0);
    assert_int_equal(ev.u.partial_delivery.seq, 0);
}

static void test_adaptation(void **state)
{
    uint8_t buf[MAXBUF];
    sctpng_event ev;
    (void)state;
    decode_ok(build_adaptation, buf, &ev);
    assert_int_equal(ev.kind, SCTPNG_EV_ADAPTATION);
    assert_int_equal(ev.type, SCTP_ADAPTATION_INDICATION);
    assert_int_equal(ev.assoc, 14);
    assert_int_equal(ev.u.adaptation.indication, 0x01020304);
}

static void test_authkey(void **state)
{
    uint8_t buf[MAXBUF];
    sctpng_event ev;
    (void)state;
    decode_ok(build_authkey, buf, &ev);
    assert_int_equal(ev.kind, SCTPNG_EV_AUTH);
    assert_int_equal(ev.type, SCTP_AUTHENTICATION_EVENT);
    assert_int_equal(ev.assoc, 15);
    assert_int_equal(ev.u.auth.keynumber, 42);
    assert_int_equal(ev.u.auth.indication, SCTP_AUTH_FREE_KEY);
}

static void test_sender_dry(void **state)
{
    uint8_t buf[MAXBUF];
    sctpng_event ev;
    (void)state;
    decode_ok(build_sender_dry, buf, &ev);
    assert_int_equal(ev.kind, SCTPNG_EV_SENDER_DRY);
    assert_int_equal(ev.type, SCTP_SENDER_DRY_EVENT);
    assert_int_equal(ev.assoc, 16);
}

static void test_stream_reset3(void **state)
{
    uint8_t buf[MAXBUF];
    sctpng_event ev;
    (void)state;
    decode_ok(build_stream_reset3, buf, &ev);
    assert_int_equal(ev.kind, SCTPNG_EV_STREAM_RESET);
    assert_int_equal(ev.type, SCTP_STREAM_RESET_EVENT);
    assert_int_equal(ev.flags, SCTP_STREAM_RESET_INCOMING_SSN | SCTP_STREAM_RESET_OUTGOING_SSN);
    assert_int_equal(ev.assoc, 17);
    assert_int_equal(ev.u.stream_reset.nstreams, 3);
    assert_ptr_equal(ev.u.stream_reset.streams, buf + sizeof(struct sctp_stream_reset_event));
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(sctpng_event_stream(&ev, i), three_ids[i]);
    assert_int_equal(sctpng_event_stream(&ev, 3), 0);
    assert_int_equal(sctpng_event_stream(&ev, (size_t)-1), 0);
}

static void test_stream_reset0(void **state)
{
    uint8_t buf[MAXBUF];
    sctpng_event ev;
    (void)state;
    decode_ok(build_stream_reset0, buf, &ev);
    assert_int_equal(ev.kind, SCTPNG_EV_STREAM_RESET);
    assert_int_equal(ev.u.stream_reset.nstreams, 0); /* every stream */
    assert_null(ev.u.stream_reset.streams);
    assert_int_equal(sctpng_event_stream(&ev, 0), 0);
}

/* An odd byte count: the last lone byte is no stream id. */
static void test_stream_reset_odd(void **state)
{
    uint8_t buf[MAXBUF];
    sctpng_event ev;
    const size_t fixed = sizeof(struct sctp_stream_reset_event);
    (void)state;
    size_t n = build_stream_reset3(buf);
    buf[n] = 0x77;
    set_sn_length(buf, (uint32_t)(n + 1));
    assert_int_equal(sctpng_event_decode(buf, n + 1, &ev), 0);
    assert_int_equal(ev.u.stream_reset.nstreams, 3);
    set_sn_length(buf, (uint32_t)(fixed + 1));
    assert_int_equal(sctpng_event_decode(buf, n + 1, &ev), 0);
    assert_int_equal(ev.u.stream_reset.nstreams, 0);
    assert_null(ev.u.stream_reset.streams);
}

static void test_assoc_reset(void **state)
{
    uint8_t buf[MAXBUF];
    sctpng_event ev;
    (void)state;
    decode_ok(build_assoc_reset, buf, &ev);
    assert_int_equal(ev.kind, SCTPNG_EV_ASSOC_RESET);
    assert_int_equal(ev.type, SCTP_ASSOC_RESET_EVENT);
    assert_int_equal(ev.flags, SCTP_ASSOC_RESET_DENIED);
    assert_int_equal(ev.assoc, 18);
    /* Swapped: Linux's assocreset_local_tsn is the TSN this end receives. */
    assert_int_equal(ev.u.assoc_reset.local_tsn, 0x7fffffff);
    assert_int_equal(ev.u.assoc_reset.remote_tsn, 0x80000001);
}

static void test_stream_change(void **state)
{
    uint8_t buf[MAXBUF];
    sctpng_event ev;
    (void)state;
    decode_ok(build_stream_change, buf, &ev);
    assert_int_equal(ev.kind, SCTPNG_EV_STREAM_CHANGE);
    assert_int_equal(ev.type, SCTP_STREAM_CHANGE_EVENT);
    assert_int_equal(ev.flags, SCTP_STREAM_CHANGE_FAILED);
    assert_int_equal(ev.assoc, 19);
    assert_int_equal(ev.u.stream_change.istreams, 33);
    assert_int_equal(ev.u.stream_change.ostreams, 44);
}

static void test_unknown_is_raw(void **state)
{
    uint8_t buf[MAXBUF];
    sctpng_event ev;
    (void)state;
    size_t n = decode_ok(build_unknown, buf, &ev);
    assert_int_equal(ev.kind, SCTPNG_EV_RAW);
    assert_int_equal(ev.type, UNKNOWN_TYPE);
    assert_int_equal(ev.flags, 0x0102);
    assert_int_equal(ev.assoc, 0);
    assert_ptr_equal(ev.u.raw.data, buf);
    assert_int_equal(ev.u.raw.len, n);

    /* SCTP_DATA_IO_EVENT is no notification: raw too. A bare header is
     * the least a raw notification can be. */
    uint16_t type = SCTP_DATA_IO_EVENT;
    memcpy(buf, &type, sizeof(type));
    set_sn_length(buf, 8);
    assert_int_equal(sctpng_event_decode(buf, n, &ev), 0);
    assert_int_equal(ev.kind, SCTPNG_EV_RAW);
    assert_int_equal(ev.u.raw.len, 8);
}

/* ------------------------------------------------------------------ */
/* Lengths, alignment, arguments                                       */
/* ------------------------------------------------------------------ */

/* Every length short of the full notification is -EBADMSG, read from an
 * exact-size heap buffer, and leaves the event zeroed. */
static void test_truncated(void **state)
{
    (void)state;
    for (size_t s = 0; s < NSAMPLES; s++) {
        uint8_t buf[MAXBUF];
        size_t full = samples[s].build(buf);
        for (size_t n = 0; n < full; n++) {
            sctpng_event ev;
            uint8_t *copy;
            memset(&ev, 0xab, sizeof(ev));
            int rc = decode_copy(buf, n, 0, &ev, &copy);
            if (rc != -EBADMSG)
                fail_msg("%s: len %zu of %zu gave %d", samples[s].name, n, full, rc);
            assert_int_equal(ev.kind, SCTPNG_EV_NONE);
            free_copy(copy, 0);
        }
    }
}

/* sn_length beyond the buffer is a truncated notification. */
static void test_sn_length_too_big(void **state)
{
    static const uint32_t extra[] = {1, 2, 100, 0x7fffffff};
    (void)state;
    for (size_t s = 0; s < NSAMPLES; s++) {
        uint8_t buf[MAXBUF];
        size_t full = samples[s].build(buf);
        for (size_t k = 0; k < sizeof(extra) / sizeof(extra[0]); k++) {
            sctpng_event ev;
            set_sn_length(buf, (uint32_t)full + extra[k]);
            assert_int_equal(sctpng_event_decode(buf, full, &ev), -EBADMSG);
        }
        set_sn_length(buf, UINT32_MAX);
        sctpng_event ev;
        assert_int_equal(sctpng_event_decode(buf, full, &ev), -EBADMSG);
    }
}

/* sn_length short of the type's fixed part is inconsistent, even when the
 * buffer itself is long enough. */
static void test_sn_length_too_small(void **state)
{
    (void)state;
    for (size_t s = 0; s < NSAMPLES; s++) {
        uint8_t buf[MAXBUF];
        size_t full = samples[s].build(buf);
        for (uint32_t l = 0; l < samples[s].fixed; l++) {
            sctpng_event ev;
            set_sn_length(buf, l);
            int rc = sctpng_event_decode(buf, full, &ev);
            if (rc != -EBADMSG)
                fail_msg("%s: sn_length %u gave %d", samples[s].name, l, rc);
        }
        /* The fixed size itself is fine. */
        sctpng_event ev;
        set_sn_length(buf, (uint32_t)samples[s].fixed);
        assert_int_equal(sctpng_event_decode(buf, full, &ev), 0);
        assert_int_equal(ev.kind, samples[s].kind);
    }
}

/* A buffer longer than sn_length (the caller's whole receive buffer):
 * only sn_length bytes belong to the event. */
static void test_oversized(void **state)
{
    (void)state;
    for (size_t s = 0; s < NSAMPLES; s++) {
        uint8_t buf[MAXBUF], big[MAXBUF + 64];
        sctpng_event want, got;
        size_t full = samples[s].build(buf);
        assert_int_equal(sctpng_event_decode(buf, full, &want), 0);
        memset(big, 0xaa, sizeof(big));
        memcpy(big, buf, full);
        assert_int_equal(sctpng_event_decode(big, full + 64, &got), 0);
        assert_same_event(&want, buf, &got, big);
        size_t n;
        const uint8_t *p = event_range(&got, &n);
        assert_true(in_range(p, n, big, full));
    }
}

/* The same notification one byte off alignment decodes the same, with
 * every read going through memcpy (UBSan flags misaligned loads). */
static void test_unaligned(void **state)
{
    (void)state;
    for (size_t s = 0; s < NSAMPLES; s++) {
        uint8_t buf[MAXBUF];
        sctpng_event want, got;
        uint8_t *copy;
        size_t full = samples[s].build(buf);
        assert_int_equal(sctpng_event_decode(buf, full, &want), 0);
        assert_int_equal(want.kind, samples[s].kind);
        for (size_t shift = 1; shift < 8; shift += 2) {
            assert_int_equal(decode_copy(buf, full, shift, &got, &copy), 0);
            assert_same_event(&want, buf, &got, copy);
            free_copy(copy, shift);
        }
    }
}

static void test_null_args(void **state)
{
    uint8_t buf[MAXBUF];
    sctpng_event ev;
    (void)state;
    size_t n = build_shutdown(buf);
    assert_int_equal(sctpng_event_decode(NULL, n, &ev), -EINVAL);
    assert_int_equal(sctpng_event_decode(buf, n, NULL), -EINVAL);
    assert_int_equal(sctpng_event_decode(NULL, 0, NULL), -EINVAL);
    assert_int_equal(sctpng_event_stream(NULL, 0), 0);
}

static void test_stream_wrong_kind(void **state)
{
    uint8_t buf[MAXBUF];
    sctpng_event ev;
    (void)state;
    decode_ok(build_send_failed_event, buf, &ev);
    assert_int_equal(sctpng_event_stream(&ev, 0), 0);
    decode_ok(build_stream_reset3, buf, &ev);
    ev.kind = SCTPNG_EV_RAW;
    assert_int_equal(sctpng_event_stream(&ev, 0), 0);
}

static void test_names(void **state)
{
    static const char *const names[] = {
        "NONE",         "ASSOC_CHANGE",     "PEER_ADDR_CHANGE", "REMOTE_ERROR", "SEND_FAILED",
        "SHUTDOWN",     "PARTIAL_DELIVERY", "ADAPTATION",       "AUTH",         "SENDER_DRY",
        "STREAM_RESET", "ASSOC_RESET",      "STREAM_CHANGE",    "RAW"};
    (void)state;
    assert_int_equal(sizeof(names) / sizeof(names[0]), SCTPNG_EV_KIND_MAX + 1);
    for (int k = 0; k <= SCTPNG_EV_KIND_MAX; k++)
        assert_string_equal(sctpng_event_name(k), names[k]);
    assert_string_equal(sctpng_event_name(-1), "UNKNOWN");
    assert_string_equal(sctpng_event_name(SCTPNG_EV_KIND_MAX + 1), "UNKNOWN");
    assert_string_equal(sctpng_event_name(0x8001), "UNKNOWN");
}

/* ------------------------------------------------------------------ */
/* Random garbage                                                      */
/* ------------------------------------------------------------------ */

static uint32_t xorshift32(uint32_t *s)
{
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

/* Random bytes, often dressed as a real notification (a known type, an
 * sn_length within the buffer) so the decoders themselves get exercised. */
static size_t random_notification(uint32_t *seed, uint8_t *buf, size_t max)
{
    size_t len = xorshift32(seed) % max;
    for (size_t i = 0; i < len; i++)
        buf[i] = (uint8_t)xorshift32(seed);
    if (len >= 8 && (xorshift32(seed) & 3) != 0) {
        uint16_t type = (uint16_t)(SCTP_SN_TYPE_BASE + xorshift32(seed) % 16);
        uint32_t sn_length = xorshift32(seed) % (uint32_t)(len + 1);
        memcpy(buf, &type, sizeof(type));
        memcpy(buf + 4, &sn_length, sizeof(sn_length));
    }
    return len;
}

/* One decode from an exact-size (and every other time unaligned) copy:
 * 0 or -EBADMSG, pointers inside the buffer, every byte readable, and a
 * second decode of the same bytes gives the same event. Returns rc. */
static int check_garbage(const uint8_t *src, size_t len, size_t shift)
{
    sctpng_event ev, again;
    uint8_t *copy;
    int rc = decode_copy(src, len, shift, &ev, &copy);
    if (rc != 0 && rc != -EBADMSG)
        fail_msg("garbage of %zu bytes gave %d", len, rc);
    if (rc == 0) {
        size_t n;
        const uint8_t *p = event_range(&ev, &n);
        assert_true(in_range(p, n, copy, len));
        touch(p, n);
        for (size_t i = 0; ev.kind == SCTPNG_EV_STREAM_RESET && i < ev.u.stream_reset.nstreams; i++)
            sink += sctpng_event_stream(&ev, i);
        assert_int_equal(sctpng_event_decode(copy, len, &again), 0);
        assert_same_event(&ev, copy, &again, copy);
    }
    free_copy(copy, shift);
    return rc;
}

static void test_random_garbage(void **state)
{
    uint32_t seed = 0x5c7b9e1u;
    unsigned ok = 0, bad = 0;
    uint8_t buf[320];
    (void)state;
    for (int i = 0; i < 10000; i++) {
        size_t len = random_notification(&seed, buf, sizeof(buf));
        if (check_garbage(buf, len, (size_t)(i & 1)) == 0)
            ok++;
        else
            bad++;
    }
    /* Both outcomes must have been reached, or the generator is broken. */
    assert_true(ok > 100);
    assert_true(bad > 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_assoc_change),
        cmocka_unit_test(test_assoc_change_states),
        cmocka_unit_test(test_paddr_v4),
        cmocka_unit_test(test_paddr_v6),
        cmocka_unit_test(test_paddr_unknown_family),
        cmocka_unit_test(test_paddr_states),
        cmocka_unit_test(test_remote_error),
        cmocka_unit_test(test_send_failed_event),
        cmocka_unit_test(test_send_failed_old),
        cmocka_unit_test(test_send_failed_short_payload),
        cmocka_unit_test(test_send_failed_large_error),
        cmocka_unit_test(test_shutdown),
        cmocka_unit_test(test_pdapi),
        cmocka_unit_test(test_pdapi_old_kernel),
        cmocka_unit_test(test_adaptation),
        cmocka_unit_test(test_authkey),
        cmocka_unit_test(test_sender_dry),
        cmocka_unit_test(test_stream_reset3),
        cmocka_unit_test(test_stream_reset0),
        cmocka_unit_test(test_stream_reset_odd),
        cmocka_unit_test(test_assoc_reset),
        cmocka_unit_test(test_stream_change),
        cmocka_unit_test(test_unknown_is_raw),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_sn_length_too_big),
        cmocka_unit_test(test_sn_length_too_small),
        cmocka_unit_test(test_oversized),
        cmocka_unit_test(test_unaligned),
        cmocka_unit_test(test_null_args),
        cmocka_unit_test(test_stream_wrong_kind),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_random_garbage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
