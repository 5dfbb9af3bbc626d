/* DTLS over a caller's datagram transport: see dtls.h. */

#include "dtls.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#define DTLS_LINK_MTU 1500

struct dtls_cert {
    EVP_PKEY *key;
    X509 *x509;
    char fp[96];
};

struct dtls {
    SSL_CTX *ctx;
    SSL *ssl;
    BIO_METHOD *meth;
    dtls_send_fn send;
    void *send_ctx;
    const uint8_t *in; /* the datagram being fed, read by the BIO */
    size_t in_len;
    char peer_fp[96];
    bool client, connected, failed;
    char err[256];
};

static void format_fp(const unsigned char *md, unsigned n, char *out)
{
    for (unsigned i = 0; i < n; i++)
        sprintf(out + 3 * i, "%02X%s", md[i], i + 1 < n ? ":" : "");
}

static int x509_fp(X509 *x, char out[96])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    if (!X509_digest(x, EVP_sha256(), md, &n) || n != 32)
        return -1;
    format_fp(md, n, out);
    return 0;
}

int dtls_cert_new(struct dtls_cert **out)
{
    struct dtls_cert *c = calloc(1, sizeof(*c));
    if (!c)
        return -ENOMEM;
    c->key = EVP_EC_gen("P-256");
    c->x509 = X509_new();
    if (!c->key || !c->x509)
        goto fail;
    uint8_t serial[8];
    RAND_bytes(serial, sizeof(serial));
    serial[0] &= 0x7F;
    BIGNUM *bn = BN_bin2bn(serial, sizeof(serial), NULL);
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(c->x509));
    BN_free(bn);
    X509_set_version(c->x509, 2);
    X509_gmtime_adj(X509_getm_notBefore(c->x509), -86400);
    X509_gmtime_adj(X509_getm_notAfter(c->x509), 30L * 86400);
    X509_NAME *name = X509_get_subject_name(c->x509);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"sctp-ng webrtc",
                               -1, -1, 0);
    X509_set_issuer_name(c->x509, name);
    X509_set_pubkey(c->x509, c->key);
    if (!X509_sign(c->x509, c->key, EVP_sha256()) || x509_fp(c->x509, c->fp) < 0)
        goto fail;
    *out = c;
    return 0;
fail:
    dtls_cert_free(c);
    return -ENOMEM;
}

void dtls_cert_free(struct dtls_cert *c)
{
    if (!c)
        return;
    EVP_PKEY_free(c->key);
    X509_free(c->x509);
    free(c);
}

const char *dtls_cert_fingerprint(const struct dtls_cert *c)
{
    return c->fp;
}

/* ---- the BIO: datagrams in from dtls_input(), out through the callback */

static int bio_write(BIO *b, const char *buf, int len)
{
    struct dtls *d = BIO_get_data(b);
    d->send(d->send_ctx, (const uint8_t *)buf, (size_t)len);
    return len;
}

static int bio_read(BIO *b, char *buf, int cap)
{
    struct dtls *d = BIO_get_data(b);
    BIO_clear_retry_flags(b);
    if (!d->in) {
        BIO_set_retry_read(b);
        return -1;
    }
    /* One datagram per read, as from a socket; a short buffer truncates. */
    size_t n = d->in_len < (size_t)cap ? d->in_len : (size_t)cap;
    memcpy(buf, d->in, n);
    d->in = NULL;
    return (int)n;
}

static long bio_ctrl(BIO *b, int cmd, long num, void *ptr)
{
    (void)b, (void)num, (void)ptr;
    switch (cmd) {
    case BIO_CTRL_FLUSH:
        return 1;
    case BIO_CTRL_DGRAM_QUERY_MTU:
    case BIO_CTRL_DGRAM_GET_FALLBACK_MTU:
        return DTLS_LINK_MTU - 28;
    case BIO_CTRL_DGRAM_GET_MTU_OVERHEAD:
        return 28; /* IPv4 + UDP */
    default:
        return 0;
    }
}

static int bio_create(BIO *b)
{
    BIO_set_init(b, 1);
    return 1;
}

/* ---- peer certificate: only the one whose fingerprint the SDP gave */

static int verify_cb(int ok, X509_STORE_CTX *store)
{
    (void)ok; /* a self-signed certificate never chains; the fingerprint decides */
    SSL *ssl = X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx());
    struct dtls *d = SSL_get_app_data(ssl);
    X509 *leaf = X509_STORE_CTX_get0_cert(store);
    char fp[96];
    if (!leaf || x509_fp(leaf, fp) < 0 || strcmp(fp, d->peer_fp) != 0) {
        snprintf(d->err, sizeof(d->err), "peer certificate fingerprint %s is not the SDP's %s",
                 leaf ? fp : "(none)", d->peer_fp);
        return 0;
    }
    return 1;
}

struct dtls *dtls_new(const struct dtls_cert *c, bool client, const char *peer_fp,
                      dtls_send_fn send, void *ctx)
{
    struct dtls *d = calloc(1, sizeof(*d));
    if (!d)
        return NULL;
    d->send = send;
    d->send_ctx = ctx;
    d->client = client;
    snprintf(d->peer_fp, sizeof(d->peer_fp), "%s", peer_fp);
    d->ctx = SSL_CTX_new(DTLS_method());
    d->meth = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "webrtc-dgram");
    if (!d->ctx || !d->meth)
        goto fail;
    SSL_CTX_set_min_proto_version(d->ctx, DTLS1_2_VERSION);
    SSL_CTX_use_certificate(d->ctx, c->x509);
    SSL_CTX_use_PrivateKey(d->ctx, c->key);
    SSL_CTX_set_verify(d->ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, verify_cb);
    BIO_meth_set_write(d->meth, bio_write);
    BIO_meth_set_read(d->meth, bio_read);
    BIO_meth_set_ctrl(d->meth, bio_ctrl);
    BIO_meth_set_create(d->meth, bio_create);
    d->ssl = SSL_new(d->ctx);
    BIO *bio = BIO_new(d->meth);
    if (!d->ssl || !bio) {
        BIO_free(bio);
        goto fail;
    }
    BIO_set_data(bio, d);
    SSL_set_bio(d->ssl, bio, bio);
    SSL_set_app_data(d->ssl, d);
    SSL_set_options(d->ssl, SSL_OP_NO_QUERY_MTU);
    DTLS_set_link_mtu(d->ssl, DTLS_LINK_MTU);
    if (client)
        SSL_set_connect_state(d->ssl);
    else
        SSL_set_accept_state(d->ssl);
    return d;
fail:
    dtls_free(d);
    return NULL;
}

void dtls_free(struct dtls *d)
{
    if (!d)
        return;
    SSL_free(d->ssl);
    SSL_CTX_free(d->ctx);
    BIO_meth_free(d->meth);
    free(d);
}

/* Notes a fatal error with OpenSSL's reason, unless one was noted. */
static int fail(struct dtls *d, const char *what)
{
    d->failed = true;
    if (!d->err[0]) {
        char e[200];
        ERR_error_string_n(ERR_peek_last_error(), e, sizeof(e));
        snprintf(d->err, sizeof(d->err), "%s: %s", what, e);
    }
    ERR_clear_error();
    return -EPROTO;
}

static int handshake(struct dtls *d)
{
    if (d->connected || d->failed)
        return d->failed ? -EPROTO : 0;
    int r = SSL_do_handshake(d->ssl);
    if (r == 1) {
        d->connected = true;
        return 0;
    }
    int e = SSL_get_error(d->ssl, r);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
        return 0;
    return fail(d, "handshake");
}

int dtls_start(struct dtls *d)
{
    return d->client ? handshake(d) : 0;
}

int dtls_input(struct dtls *d, const uint8_t *buf, size_t len)
{
    if (d->failed)
        return -EPROTO;
    d->in = buf;
    d->in_len = len;
    if (!d->connected) {
        int r = handshake(d);
        d->in = NULL; /* a handshake datagram is consumed whole */
        return r;
    }
    return 0; /* application records: dtls_read() takes them */
}

int dtls_read(struct dtls *d, uint8_t *buf, size_t cap)
{
    if (d->failed)
        return -EPROTO;
    if (!d->connected)
        return 0;
    int r = SSL_read(d->ssl, buf, (int)cap);
    if (r > 0)
        return r;
    d->in = NULL;
    int e = SSL_get_error(d->ssl, r);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
        return 0;
    if (e == SSL_ERROR_ZERO_RETURN) {
        snprintf(d->err, sizeof(d->err), "peer sent close_notify");
        d->failed = true;
        return -EPROTO;
    }
    return fail(d, "read");
}

int dtls_write(struct dtls *d, const uint8_t *buf, size_t len)
{
    if (d->failed)
        return -EPROTO;
    if (!d->connected)
        return -EAGAIN;
    int r = SSL_write(d->ssl, buf, (int)len);
    if (r > 0)
        return r;
    return fail(d, "write");
}

bool dtls_connected(const struct dtls *d)
{
    return d->connected;
}

bool dtls_failed(const struct dtls *d)
{
    return d->failed;
}

const char *dtls_error(const struct dtls *d)
{
    return d->err;
}

int dtls_timeout_ms(struct dtls *d)
{
    struct timeval tv;
    if (d->connected || d->failed || !DTLSv1_get_timeout(d->ssl, &tv))
        return -1;
    return (int)(tv.tv_sec * 1000 + (tv.tv_usec + 999) / 1000);
}

void dtls_timeout(struct dtls *d)
{
    if (!d->connected && !d->failed && DTLSv1_handle_timeout(d->ssl) < 0)
        fail(d, "handshake timeout");
}
