/* kauth.c - kernel backend: AUTH keys, chunk lists and HMACs (RFC 4895). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kscope.h"

#ifndef SCTP_AUTH_DEACTIVATE_KEY
#define SCTP_AUTH_DEACTIVATE_KEY 35
#endif

struct key_ctx {
    int action;
    uint16_t keynum;
    const void *key;
    size_t len;
};

static int key_cb(sctpng_socket *s, sctp_assoc_t id, void *ctx)
{
    const struct key_ctx *c = ctx;
    if (c->action == SCTPNG_AUTHK_SET) {
        size_t len = sizeof(struct sctp_authkey) + c->len;
        struct sctp_authkey *k = calloc(1, len);
        if (!k)
            return -ENOMEM;
        k->sca_assoc_id = id;
        k->sca_keynumber = c->keynum;
        k->sca_keylength = (uint16_t)c->len;
        if (c->len)
            memcpy(k->sca_key, c->key, c->len);
        int err = ksctp_setopt(s->fd, SCTP_AUTH_KEY, k, (socklen_t)len);
        free(k);
        return err;
    }
    static const int opt[] = {[SCTPNG_AUTHK_ACTIVATE] = SCTP_AUTH_ACTIVE_KEY,
                              [SCTPNG_AUTHK_DEACTIVATE] = SCTP_AUTH_DEACTIVATE_KEY,
                              [SCTPNG_AUTHK_DELETE] = SCTP_AUTH_DELETE_KEY};
    struct sctp_authkeyid k = {.scact_assoc_id = id, .scact_keynumber = c->keynum};
    return ksctp_setopt(s->fd, opt[c->action], &k, sizeof(k));
}

int kernel_auth_key(sctpng_socket *s, sctpng_assoc_t assoc, int action, uint16_t keynum,
                    const void *key, size_t len)
{
    struct key_ctx c = {.action = action, .keynum = keynum, .key = key, .len = len};
    return kscope_each(s, assoc, key_cb, &c);
}

int kernel_auth_get_active_key(sctpng_socket *s, sctpng_assoc_t assoc, uint16_t *keynum)
{
    if (s->style == SCTPNG_ONE_TO_MANY &&
        (assoc == SCTPNG_ASSOC_CURRENT || assoc == SCTPNG_ASSOC_ALL))
        return -EINVAL;
    struct sctp_authkeyid k = {.scact_assoc_id = s->style == SCTPNG_ONE_TO_MANY ? assoc : 0};
    socklen_t len = sizeof(k);
    int err = ksctp_getopt(s->fd, SCTP_AUTH_ACTIVE_KEY, &k, &len);
    if (!err)
        *keynum = k.scact_keynumber;
    return err;
}

int kernel_auth_add_chunk(sctpng_socket *s, uint8_t type)
{
    struct sctp_authchunk c = {.sauth_chunk = type};
    return ksctp_setopt(s->fd, SCTP_AUTH_CHUNK, &c, sizeof(c));
}

int kernel_auth_set_hmacs(sctpng_socket *s, const uint16_t *ids, size_t n)
{
    size_t len = sizeof(struct sctp_hmacalgo) + n * sizeof(uint16_t);
    struct sctp_hmacalgo *h = calloc(1, len);
    if (!h)
        return -ENOMEM;
    h->shmac_num_idents = (uint32_t)n;
    memcpy(h->shmac_idents, ids, n * sizeof(uint16_t));
    int err = ksctp_setopt(s->fd, SCTP_HMAC_IDENT, h, (socklen_t)len);
    free(h);
    return err;
}

/* Room for every HMAC and chunk type there can be. */
enum { MAX_LIST = 256 };

int kernel_auth_get_hmacs(sctpng_socket *s, uint16_t *ids, size_t max)
{
    struct {
        struct sctp_hmacalgo h;
        uint16_t ids[MAX_LIST];
    } b;
    memset(&b, 0, sizeof(b));
    socklen_t len = sizeof(b);
    int err = ksctp_getopt(s->fd, SCTP_HMAC_IDENT, &b, &len);
    if (err)
        return err;
    size_t n = b.h.shmac_num_idents < MAX_LIST ? b.h.shmac_num_idents : MAX_LIST;
    for (size_t i = 0; i < n && i < max; i++)
        ids[i] = b.ids[i];
    return (int)n;
}

int kernel_auth_get_chunks(sctpng_socket *s, sctpng_assoc_t assoc, bool peer, uint8_t *types,
                           size_t max)
{
    if (s->style == SCTPNG_ONE_TO_MANY &&
        (assoc == SCTPNG_ASSOC_CURRENT || assoc == SCTPNG_ASSOC_ALL))
        return -EINVAL;
    struct {
        struct sctp_authchunks c;
        uint8_t types[MAX_LIST];
    } b;
    memset(&b, 0, sizeof(b));
    b.c.gauth_assoc_id = s->style == SCTPNG_ONE_TO_MANY ? assoc : 0;
    socklen_t len = sizeof(b);
    int err = ksctp_getopt(s->fd, peer ? SCTP_PEER_AUTH_CHUNKS : SCTP_LOCAL_AUTH_CHUNKS, &b, &len);
    if (err)
        return err;
    size_t n = b.c.gauth_number_of_chunks < MAX_LIST ? b.c.gauth_number_of_chunks : MAX_LIST;
    for (size_t i = 0; i < n && i < max; i++)
        types[i] = b.types[i];
    return (int)n;
}
