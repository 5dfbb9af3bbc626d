/* test_opt_info.c - sctp_opt_info: the association id lands in the right
 * field of each option structure, options outside libsctp's fixed list
 * work, one-to-one sockets ignore the id, and the errors. */
#include <unistd.h>

#include "chelp.h"

/* An id that names no association of either socket. */
#define NO_SUCH_ID 0x7000

static void test_status(void **state)
{
    const c_mode *m = C_MODE(state);
    int cli, srv;
    sctp_assoc_t cid, sid;
    c_any_pair(m, &cli, &srv, &cid, &sid);
    struct sctp_status st;
    memset(&st, 0xff, sizeof(st)); /* garbage in: the id must win */
    socklen_t len = sizeof(st);
    /* On one-to-one sockets any id will do: it is ignored. */
    sctp_assoc_t ask = m->type == SOCK_STREAM ? NO_SUCH_ID : cid;
    assert_int_equal(C_OK(sctp_opt_info(cli, ask, SCTP_STATUS, &st, &len)), 0);
    assert_int_equal(len, sizeof(st));
    assert_int_equal(st.sstat_state, SCTP_ESTABLISHED);
    if (m->type == SOCK_SEQPACKET)
        assert_int_equal(st.sstat_assoc_id, cid);

    struct sctp_rtoinfo rto;
    memset(&rto, 0, sizeof(rto));
    len = sizeof(rto);
    C_OK(sctp_opt_info(srv, m->type == SOCK_STREAM ? NO_SUCH_ID : sid, SCTP_RTOINFO, &rto, &len));
    assert_true(rto.srto_initial > 0 && rto.srto_min > 0 && rto.srto_max >= rto.srto_min);
    close(cli);
    close(srv);
}

/* SCTP_DEFAULT_SNDINFO and SCTP_DEFAULT_SEND_PARAM keep the association id
 * deep inside their structures; libsctp writes it at the start. */
static void test_id_not_first(void **state)
{
    const c_mode *m = C_MODE(state);
    int cli, srv;
    sctp_assoc_t cid, sid;
    c_any_pair(m, &cli, &srv, &cid, &sid);
    struct sctp_sndinfo set = {.snd_sid = 3, .snd_ppid = 77, .snd_assoc_id = cid};
    C_OK(setsockopt(cli, IPPROTO_SCTP, SCTP_DEFAULT_SNDINFO, &set, sizeof(set)));

    struct sctp_sndinfo got;
    memset(&got, 0, sizeof(got));
    got.snd_assoc_id = NO_SUCH_ID;
    socklen_t len = sizeof(got);
    C_OK(sctp_opt_info(cli, cid, SCTP_DEFAULT_SNDINFO, &got, &len));
    assert_int_equal(got.snd_sid, 3);
    assert_int_equal(got.snd_ppid, 77);

    struct sctp_sndrcvinfo sr;
    memset(&sr, 0, sizeof(sr));
    sr.sinfo_assoc_id = NO_SUCH_ID;
    len = sizeof(sr);
    C_OK(sctp_opt_info(cli, cid, SCTP_DEFAULT_SEND_PARAM, &sr, &len));
    assert_int_equal(sr.sinfo_stream, 3);
    assert_int_equal(sr.sinfo_ppid, 77);
    /* The unmodified server side has the defaults. */
    memset(&sr, 0, sizeof(sr));
    len = sizeof(sr);
    C_OK(sctp_opt_info(srv, sid, SCTP_DEFAULT_SEND_PARAM, &sr, &len));
    assert_int_equal(sr.sinfo_stream, 0);
    close(cli);
    close(srv);
}

/* Options libsctp's sctp_opt_info refuses (it has a fixed list). */
static void test_any_option(void **state)
{
    const c_mode *m = C_MODE(state);
    int cli, srv;
    sctp_assoc_t cid, sid;
    c_any_pair(m, &cli, &srv, &cid, &sid);

    struct sctp_assoc_stats stats;
    memset(&stats, 0, sizeof(stats));
    socklen_t len = sizeof(stats);
    C_OK(sctp_opt_info(cli, cid, SCTP_GET_ASSOC_STATS, &stats, &len));
    assert_true(stats.sas_osacks + stats.sas_isacks + stats.sas_octrlchunks > 0);

    struct sctp_event ev = {.se_type = SCTP_ASSOC_CHANGE};
    len = sizeof(ev);
    C_OK(sctp_opt_info(cli, cid, SCTP_EVENT, &ev, &len));
    assert_int_equal(ev.se_on, m->type == SOCK_SEQPACKET); /* c_many_pair subscribes */

    struct sctp_assoc_value av = {0};
    len = sizeof(av);
    C_OK(sctp_opt_info(cli, cid, SCTP_PR_SUPPORTED, &av, &len));
    assert_int_equal(av.assoc_value, 1);

    /* Options of the socket itself: plain ints, no id field to clobber. */
    c_setopt_int(cli, SCTP_NODELAY, 1);
    int v = 0;
    len = sizeof(v);
    C_OK(sctp_opt_info(cli, cid, SCTP_NODELAY, &v, &len));
    assert_int_equal(v, 1);
    uint32_t count = 0;
    len = sizeof(count);
    if (m->type == SOCK_SEQPACKET) {
        C_OK(sctp_opt_info(srv, 0, SCTP_GET_ASSOC_NUMBER, &count, &len));
        assert_int_equal(count, 1);
    }
    struct sctp_initmsg im;
    memset(&im, 0, sizeof(im));
    len = sizeof(im);
    C_OK(sctp_opt_info(cli, cid, SCTP_INITMSG, &im, &len));
    assert_true(im.sinit_num_ostreams > 0);
    close(cli);
    close(srv);
}

static void test_errors(void **state)
{
    const c_mode *m = C_MODE(state);
    struct sctp_status st;
    socklen_t len = sizeof(st);
    C_ERRNO(sctp_opt_info(-1, 0, SCTP_STATUS, &st, &len), EBADF);
    int p[2];
    C_OK(pipe(p));
    C_ERRNO(sctp_opt_info(p[0], 0, SCTP_STATUS, &st, &len), ENOTSOCK);
    close(p[0]);
    close(p[1]);
    int cli, srv;
    sctp_assoc_t cid, sid;
    c_any_pair(m, &cli, &srv, &cid, &sid);
    C_ERRNO(sctp_opt_info(cli, cid, SCTP_STATUS, NULL, &len), EINVAL);
    C_ERRNO(sctp_opt_info(cli, cid, SCTP_STATUS, &st, NULL), EINVAL);
    len = 2; /* too small */
    C_ERRNO(sctp_opt_info(cli, cid, SCTP_STATUS, &st, &len), EINVAL);
    len = sizeof(st);
    C_ERRNO(sctp_opt_info(cli, cid, 9999, &st, &len), ENOPROTOOPT);
    if (m->type == SOCK_SEQPACKET) {
        len = sizeof(st);
        C_ERRNO(sctp_opt_info(srv, sid + NO_SUCH_ID, SCTP_STATUS, &st, &len), EINVAL);
    }
    close(cli);
    close(srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        C_TEST4(test_status),
        C_TEST4(test_id_not_first),
        C_TEST4(test_any_option),
        C_TEST4(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
