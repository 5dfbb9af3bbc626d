/* INIT flood: 100,000 INITs from random addresses and ports must leave the
 * listening engine's memory exactly as it was (RFC 9260 5.1.3: all state
 * goes into the signed cookie), and so must 10,000 forged COOKIE-ECHOs.
 * Afterwards a real peer still gets an association. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "sim/pktgen.h"
#include "sim/rng.h"
#include "sim/scen.h"

#define FLOOD_INITS    100000
#define FORGED_COOKIES 10000

static struct sockaddr_storage random_addr(struct sim_rng *r)
{
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof(ss));
    struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
    sin->sin_family = AF_INET;
    sin->sin_addr.s_addr = htonl(0xAC100000u | (uint32_t)sim_rng_below(r, 1u << 20));
    sin->sin_port = htons((uint16_t)(1 + sim_rng_below(r, 65535)));
    return ss;
}

static void flood_inits(struct scen *sc, struct sim_rng *r)
{
    for (int i = 0; i < FLOOD_INITS; i++) {
        struct pktgen p;
        struct sockaddr_storage from = random_addr(r);
        pktgen_start(&p, (uint16_t)(1 + sim_rng_below(r, 65535)), SCEN_PORT, 0);
        pktgen_init(&p, (uint32_t)(1 + sim_rng_below(r, 0xFFFFFFFEu)), 65536,
                    (uint16_t)(1 + sim_rng_below(r, 100)), (uint16_t)(1 + sim_rng_below(r, 100)),
                    (uint32_t)sim_rng_next(r));
        pktgen_crc(&p);
        sim_inject(sc->sim, 1, p.buf, p.len, &from);
    }
}

static void forge_cookies(struct scen *sc, struct sim_rng *r)
{
    for (int i = 0; i < FORGED_COOKIES; i++) {
        struct pktgen p;
        struct sockaddr_storage from = random_addr(r);
        uint8_t cookie[200];
        size_t len = 88 + (size_t)sim_rng_below(r, sizeof(cookie) - 88); /* cookie-sized */
        sim_rng_fill(r, cookie, len);
        pktgen_start(&p, (uint16_t)(1 + sim_rng_below(r, 65535)), SCEN_PORT,
                     (uint32_t)sim_rng_next(r));
        pktgen_chunk(&p, 10, 0, cookie, len);
        pktgen_crc(&p);
        sim_inject(sc->sim, 1, p.buf, p.len, &from);
    }
}

static void test_init_flood(void **state)
{
    (void)state;
    struct scen sc;
    scen_setup(&sc, scen_seed(81), NULL, NULL, NULL);
    struct sim_rng r;
    sim_rng_seed(&r, sc.seed);
    sctpng_eng_stats s0 = scen_stats(&sc, 1);
    flood_inits(&sc, &r);
    sctpng_eng_stats s1 = scen_stats(&sc, 1);
    forge_cookies(&sc, &r);
    sctpng_eng_stats s2 = scen_stats(&sc, 1);
    sim_clear_stats(sc.sim); /* the replies went to addresses no node has */
    printf("# %d INITs: %llu counted, %llu INIT-ACKs; memory %llu B / %llu allocs before, "
           "%llu B / %llu allocs after\n",
           FLOOD_INITS, (unsigned long long)(s1.inits_recvd - s0.inits_recvd),
           (unsigned long long)(s1.init_acks_sent - s0.init_acks_sent),
           (unsigned long long)s0.mem_bytes, (unsigned long long)s0.mem_allocs,
           (unsigned long long)s1.mem_bytes, (unsigned long long)s1.mem_allocs);
    printf("# %d forged cookies: %llu bad MACs counted; memory %llu B / %llu allocs\n",
           FORGED_COOKIES, (unsigned long long)(s2.cookies_bad_mac - s1.cookies_bad_mac),
           (unsigned long long)s2.mem_bytes, (unsigned long long)s2.mem_allocs);
    scen_check(&sc, s1.inits_recvd - s0.inits_recvd == FLOOD_INITS, "INITs not all counted");
    scen_check(&sc, s1.mem_bytes == s0.mem_bytes && s1.mem_allocs == s0.mem_allocs,
               "the INIT flood changed the engine's memory");
    scen_check(&sc, s2.mem_bytes == s0.mem_bytes && s2.mem_allocs == s0.mem_allocs,
               "forged cookies changed the engine's memory");
    scen_check(&sc, s2.assocs_live == 0 && s2.cookies_ok == 0, "an association was created");
    scen_check(&sc, s2.cookies_bad_mac - s1.cookies_bad_mac == FORGED_COOKIES,
               "forged cookies not all counted as bad MACs");

    struct flow_spec a = {.src = 0, .dst = 1, .n_msgs = 50, .min_len = 1, .max_len = 2000};
    traffic_add_flow(&sc.tr, &a, sc.seed);
    scen_connect(&sc);
    scen_run_flows(&sc, 60);
    scen_teardown(&sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_flood),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
