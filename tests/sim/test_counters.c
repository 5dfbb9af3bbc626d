/* Simulator: the per-association counters of sctpng_eng_status (what the
 * UDP backend reports through sctpng_get_assoc_stats) against what the
 * link did. One flow over a lossy link: every new DATA chunk the sender
 * put on the wire arrives exactly once, so the two ends' DATA counts are
 * equal, and the loss shows as retransmissions, gap reports and TSNs out
 * of sequence. */
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>

#include "sim/scen.h"

static sctpng_eng_status status_of(struct scen *sc, int node)
{
    sctpng_eng_status st;
    int err = sctpng_eng_get_status(sim_eng(sc->sim, node), sc->tr.log[node].up_assoc, &st);
    scen_check(sc, err == 0, "no status on node %d: %d", node, err);
    return st;
}

static uint64_t path_packets(struct scen *sc, int node, uint32_t n_paths)
{
    uint64_t sum = 0;
    for (uint32_t i = 0; i < n_paths; i++) {
        sctpng_eng_path_info pi;
        if (sctpng_eng_get_path(sim_eng(sc->sim, node), sc->tr.log[node].up_assoc, i, &pi) == 0)
            sum += pi.packets_sent;
    }
    return sum;
}

static void check_sender(struct scen *sc, const sctpng_eng_status *s)
{
    scen_check(sc, s->data_chunks_sent >= 300, "%llu DATA sent for 300 messages",
               (unsigned long long)s->data_chunks_sent);
    scen_check(sc, s->unordered_chunks_sent > 0 && s->unordered_chunks_sent < s->data_chunks_sent,
               "unordered %llu of %llu", (unsigned long long)s->unordered_chunks_sent,
               (unsigned long long)s->data_chunks_sent);
    scen_check(sc, s->retransmits > 0 && s->retransmits >= s->fast_retransmits,
               "retransmits %llu, fast %llu", (unsigned long long)s->retransmits,
               (unsigned long long)s->fast_retransmits);
    scen_check(sc, s->fast_retransmits + s->t3_expiries > 0, "loss repaired by neither");
    scen_check(sc, s->gap_blocks_recvd > 0, "no gap ack blocks at 5%% loss");
    scen_check(sc, s->sacks_recvd > 0 && s->ctrl_chunks_recvd >= s->sacks_recvd,
               "SACKs %llu, control chunks in %llu", (unsigned long long)s->sacks_recvd,
               (unsigned long long)s->ctrl_chunks_recvd);
    scen_check(sc, s->pkts_sent == path_packets(sc, 0, s->n_paths),
               "association packets %llu != paths' sum", (unsigned long long)s->pkts_sent);
    scen_check(sc, s->max_rto_ns > 0, "no RTO seen");
}

static void check_receiver(struct scen *sc, const sctpng_eng_status *s, const sctpng_eng_status *r)
{
    scen_check(sc, r->data_chunks_recvd == s->data_chunks_sent,
               "received %llu new DATA, sender sent %llu", (unsigned long long)r->data_chunks_recvd,
               (unsigned long long)s->data_chunks_sent);
    scen_check(sc, r->unordered_chunks_recvd == s->unordered_chunks_sent,
               "unordered received %llu, sent %llu", (unsigned long long)r->unordered_chunks_recvd,
               (unsigned long long)s->unordered_chunks_sent);
    scen_check(sc, r->out_of_seq_tsns > 0, "no TSN out of sequence at 5%% loss");
    scen_check(sc, r->sacks_sent >= s->sacks_recvd, "receiver sent %llu SACKs, sender got %llu",
               (unsigned long long)r->sacks_sent, (unsigned long long)s->sacks_recvd);
    scen_check(sc, r->pkts_recvd <= s->pkts_sent && r->pkts_recvd > 0,
               "receiver got %llu packets, sender sent %llu", (unsigned long long)r->pkts_recvd,
               (unsigned long long)s->pkts_sent);
    scen_check(sc, r->data_chunks_sent == 0 && r->retransmits == 0, "receiver sent data");
}

static void test_counters_under_loss(void **state)
{
    (void)state;
    struct sim_link_cfg link = {.delay_ns = SIM_MS(10),
                                .rate_bps = SCEN_RATE_BPS,
                                .queue_bytes = SCEN_QUEUE_BYTES,
                                .loss_ppm = 50000};
    struct scen sc;
    scen_setup(&sc, scen_seed(7), NULL, NULL, &link);
    struct flow_spec f = {.src = 0,
                          .dst = 1,
                          .n_msgs = 300,
                          .min_len = 1,
                          .max_len = 3000,
                          .n_streams = 4,
                          .unordered_ppm = 200000};
    traffic_add_flow(&sc.tr, &f, sc.seed);
    scen_connect(&sc);
    scen_run_flows(&sc, 300);
    sctpng_eng_status s = status_of(&sc, 0), r = status_of(&sc, 1);
    check_sender(&sc, &s);
    check_receiver(&sc, &s, &r);
    printf("# loss 5%%: %llu DATA, %llu retransmitted (%llu fast, %llu T3), %llu gap blocks, "
           "%llu out of sequence, highest RTO %llu ms\n",
           (unsigned long long)s.data_chunks_sent, (unsigned long long)s.retransmits,
           (unsigned long long)s.fast_retransmits, (unsigned long long)s.t3_expiries,
           (unsigned long long)s.gap_blocks_recvd, (unsigned long long)r.out_of_seq_tsns,
           (unsigned long long)(s.max_rto_ns / 1000000u));
    /* The highest RTO is forgotten on request, as Linux does per read. */
    scen_check(&sc, sctpng_eng_reset_max_rto(sim_eng(sc.sim, 0), sc.tr.log[0].up_assoc) == 0,
               "reset refused");
    s = status_of(&sc, 0);
    scen_check(&sc, s.max_rto_ns == 0, "highest RTO %llu after the reset",
               (unsigned long long)s.max_rto_ns);
    scen_check(&sc, sctpng_eng_reset_max_rto(sim_eng(sc.sim, 0), 12345) == -ENOENT,
               "reset of an unknown association");
    scen_teardown(&sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counters_under_loss),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
