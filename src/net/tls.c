/*
 * TLS client over mbedTLS 3.6: TLS 1.2 and 1.3 only, the server's chain
 * always verified (MBEDTLS_SSL_VERIFY_REQUIRED, no way to turn it off),
 * the host name always set for SNI and for the certificate check (an IP
 * literal is matched against the iPAddress SAN, mbedTLS ≥ 3.5), and a
 * strict profile: SHA-256/384/512 signatures, RSA ≥ 2048 bits, P-256 or
 * P-384. Sockets are non-blocking; every mbedTLS call is looped on
 * WANT_READ/WANT_WRITE with poll() and a deadline, which is how the
 * connect, handshake, idle and total timeouts are kept.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <mbedtls/net_sockets.h>
#include <mbedtls/psa_util.h>
#include <mbedtls/ssl.h>
#include <mbedtls/version.h>
#include <mbedtls/x509_crt.h>
#include <psa/crypto.h>

#include "net/net.h"

/* The build must have read vendor/mbedtls_config.h, not mbedTLS's default
 * (a quoted MBEDTLS_CONFIG_FILE once silently picked the default, server
 * side and all): stop the build if what it promises is not what we got. */
#if !defined(REFLEXE_MBEDTLS_CONFIG_H) || defined(MBEDTLS_SSL_SRV_C) || \
    defined(MBEDTLS_SSL_PROTO_DTLS) || defined(MBEDTLS_DEBUG_C) || \
    !defined(MBEDTLS_SSL_PROTO_TLS1_2) || !defined(MBEDTLS_SSL_PROTO_TLS1_3) || \
    !defined(MBEDTLS_SSL_SERVER_NAME_INDICATION) || !defined(MBEDTLS_ENTROPY_HARDWARE_ALT) || \
    !defined(MBEDTLS_NO_PLATFORM_ENTROPY)
#error "vendor/mbedtls_config.h is not in effect: TLS 1.2/1.3 client only, getrandom entropy"
#endif

struct tls_ctx {
	mbedtls_ssl_config conf;      /* TLS 1.2 and 1.3 */
	mbedtls_ssl_config conf12;    /* TLS 1.2 without PSS: the retry below */
	mbedtls_x509_crt ca;
};

struct tls_conn {
	mbedtls_ssl_context ssl;
	int fd;
	int eof;            /* the transport saw EOF or a reset */
	unsigned char first[5]; /* the peer's first bytes, to name a plain */
	size_t nfirst;          /* HTTP server when the handshake fails */
	char label[300];
};

/* No SHA-1 (SHAttered, and CAs stopped in 2016), RSA ≥ 2048 bits
 * (CA/Browser Forum Baseline Requirements §6.1.5), the two NIST curves
 * Microsoft's and DigiCert's ECC chains use. */
static const mbedtls_x509_crt_profile strict_profile = {
	.allowed_mds = MBEDTLS_X509_ID_FLAG(MBEDTLS_MD_SHA256) |
		       MBEDTLS_X509_ID_FLAG(MBEDTLS_MD_SHA384) |
		       MBEDTLS_X509_ID_FLAG(MBEDTLS_MD_SHA512),
	.allowed_pks = MBEDTLS_X509_ID_FLAG(MBEDTLS_PK_RSA) |
		       MBEDTLS_X509_ID_FLAG(MBEDTLS_PK_RSASSA_PSS) |
		       MBEDTLS_X509_ID_FLAG(MBEDTLS_PK_ECDSA) |
		       MBEDTLS_X509_ID_FLAG(MBEDTLS_PK_ECKEY),
	.allowed_curves = MBEDTLS_X509_ID_FLAG(MBEDTLS_ECP_DP_SECP256R1) |
			  MBEDTLS_X509_ID_FLAG(MBEDTLS_ECP_DP_SECP384R1),
	.rsa_min_bitlen = 2048,
};

static const uint16_t groups[] = {
	MBEDTLS_SSL_IANA_TLS_GROUP_X25519,
	MBEDTLS_SSL_IANA_TLS_GROUP_SECP256R1,
	MBEDTLS_SSL_IANA_TLS_GROUP_SECP384R1,
	MBEDTLS_SSL_IANA_TLS_GROUP_NONE,
};

/* Signatures we accept in the handshake itself: again no SHA-1.
 * PKCS#1 v1.5 comes before PSS on purpose: mbedTLS 3.6's TLS 1.2 code
 * cannot verify an rsa_pss_rsae ServerKeyExchange although the hybrid
 * 1.2/1.3 ClientHello offers it, and OpenSSL, as a TLS 1.2 server, takes
 * the first scheme in the client's order (Mbed-TLS/mbedtls PR #5971,
 * issue #10668). TLS 1.3 servers cannot pick PKCS#1 for CertificateVerify
 * (RFC 8446 §4.2.3) and take PSS, so both versions work. */
static const uint16_t sig_algs[] = {
	MBEDTLS_TLS1_3_SIG_ECDSA_SECP256R1_SHA256,
	MBEDTLS_TLS1_3_SIG_ECDSA_SECP384R1_SHA384,
	MBEDTLS_TLS1_3_SIG_RSA_PKCS1_SHA256,
	MBEDTLS_TLS1_3_SIG_RSA_PKCS1_SHA384,
	MBEDTLS_TLS1_3_SIG_RSA_PKCS1_SHA512,
	MBEDTLS_TLS1_3_SIG_RSA_PSS_RSAE_SHA256,
	MBEDTLS_TLS1_3_SIG_RSA_PSS_RSAE_SHA384,
	MBEDTLS_TLS1_3_SIG_RSA_PSS_RSAE_SHA512,
	MBEDTLS_TLS1_3_SIG_NONE,
};

/* The same without PSS, for the TLS 1.2-only retry (see tls_open). */
static const uint16_t sig_algs12[] = {
	MBEDTLS_TLS1_3_SIG_ECDSA_SECP256R1_SHA256,
	MBEDTLS_TLS1_3_SIG_ECDSA_SECP384R1_SHA384,
	MBEDTLS_TLS1_3_SIG_RSA_PKCS1_SHA256,
	MBEDTLS_TLS1_3_SIG_RSA_PKCS1_SHA384,
	MBEDTLS_TLS1_3_SIG_RSA_PKCS1_SHA512,
	MBEDTLS_TLS1_3_SIG_NONE,
};

static const char *alpn[] = { "http/1.1", NULL };

/* Cipher suites: vendor/mbedtls_config.h's, AES-GCM only (AES-128-GCM
 * is the suite RFC 8446 §9.1 makes mandatory; Microsoft's endpoints
 * prefer AES-GCM). On a CPU without AES instructions (AES-NI+PCLMULQDQ,
 * ARMv8 AES+PMULL; a Raspberry Pi 4, older x86) mbedTLS runs its table
 * code: slower, and not constant-time, which matters little to a client
 * whose keys live for one session. ChaCha20-Poly1305, first on such
 * CPUs until then, was left out for the binary's size (5 KB). */

/* ---- process-wide set-up ------------------------------------------------- */

static pthread_once_t once = PTHREAD_ONCE_INIT;
static psa_status_t psa_status = PSA_ERROR_BAD_STATE;
static int rng_ok;

/* src/net/entropy.c, mbedTLS's only entropy source (entropy_poll.h). */
int mbedtls_hardware_poll(void *data, unsigned char *output, size_t len, size_t *olen);

static void global_init(void)
{
	/* getrandom(2) first: on a kernel without it (< 3.17) or under a
	 * seccomp filter that denies it, say so rather than let PSA fail
	 * with a code. (Calling it here also keeps entropy.o linked ahead
	 * of libmbed.a, which needs it.) */
	unsigned char b[16];
	size_t n = 0;
	rng_ok = mbedtls_hardware_poll(NULL, b, sizeof b, &n) == 0 && n == sizeof b;
	mem_wipe(b, sizeof b);
	/* TLS 1.3 and MBEDTLS_USE_PSA_CRYPTO run on PSA: it must be
	 * initialised once per process before any handshake. */
	if (rng_ok)
		psa_status = psa_crypto_init();
}

const char *tls_version_string(void)
{
	return MBEDTLS_VERSION_STRING;
}

int tls_check_clock_at(int64_t now)
{
	if (now >= (int64_t)reflexe_build_epoch)
		return 0;
	char a[32], b[32];
	tm_utc_short(now, a, sizeof a);
	tm_utc_short((int64_t)reflexe_build_epoch, b, sizeof b);
	return err_set(E_TLS_CLOCK, a, b);
}

int tls_check_clock(void)
{
	return tls_check_clock_at((int64_t)time(NULL));
}

static int setup_conf(struct tls_ctx *t, mbedtls_ssl_config *conf,
		      mbedtls_ssl_protocol_version max, const uint16_t *algs)
{
	if (mbedtls_ssl_config_defaults(conf, MBEDTLS_SSL_IS_CLIENT,
					MBEDTLS_SSL_TRANSPORT_STREAM,
					MBEDTLS_SSL_PRESET_DEFAULT) != 0 ||
	    mbedtls_ssl_conf_alpn_protocols(conf, alpn) != 0)
		return -1;
	mbedtls_ssl_conf_min_tls_version(conf, MBEDTLS_SSL_VERSION_TLS1_2);
	mbedtls_ssl_conf_max_tls_version(conf, max);
	mbedtls_ssl_conf_authmode(conf, MBEDTLS_SSL_VERIFY_REQUIRED);
	mbedtls_ssl_conf_ca_chain(conf, &t->ca, NULL);
	mbedtls_ssl_conf_cert_profile(conf, &strict_profile);
	mbedtls_ssl_conf_groups(conf, groups);
	mbedtls_ssl_conf_sig_algs(conf, algs);
	mbedtls_ssl_conf_rng(conf, mbedtls_psa_get_random, MBEDTLS_PSA_RANDOM_STATE);
	return 0;
}

int tls_init(void)
{
	pthread_once(&once, global_init);
	if (!rng_ok)
		return err_set(E_TLS_RNG);
	return psa_status == PSA_SUCCESS ? 0 : err_set(E_TLS_INIT);
}

int tls_ctx_new(struct tls_ctx **out)
{
	*out = NULL;
	if (tls_init() < 0)
		return -1;
	struct tls_ctx *t = calloc(1, sizeof *t);
	if (!t)
		return err_set(E_NOMEM);
	mbedtls_ssl_config_init(&t->conf);
	mbedtls_ssl_config_init(&t->conf12);
	mbedtls_x509_crt_init(&t->ca);
	if (tls_roots_load(&t->ca) < 0) {
		tls_ctx_free(t);
		return -1;
	}
	if (setup_conf(t, &t->conf, MBEDTLS_SSL_VERSION_TLS1_3, sig_algs) < 0 ||
	    setup_conf(t, &t->conf12, MBEDTLS_SSL_VERSION_TLS1_2, sig_algs12) < 0) {
		tls_ctx_free(t);
		return err_set(E_TLS_INIT);
	}
	*out = t;
	return 0;
}

void tls_ctx_free(struct tls_ctx *t)
{
	if (!t)
		return;
	mbedtls_ssl_config_free(&t->conf);
	mbedtls_ssl_config_free(&t->conf12);
	mbedtls_x509_crt_free(&t->ca);
	free(t);
}

/* ---- transport ------------------------------------------------------------- */

static int bio_send(void *ctx, const unsigned char *b, size_t n)
{
	struct tls_conn *c = ctx;
	ssize_t k = send(c->fd, b, n, MSG_NOSIGNAL);
	if (k >= 0)
		return (int)k;
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
		return MBEDTLS_ERR_SSL_WANT_WRITE;
	if (errno == ECONNRESET || errno == EPIPE) {
		c->eof = 1;
		return MBEDTLS_ERR_NET_CONN_RESET;
	}
	return MBEDTLS_ERR_NET_SEND_FAILED;
}

static int bio_recv(void *ctx, unsigned char *b, size_t n)
{
	struct tls_conn *c = ctx;
	ssize_t k = recv(c->fd, b, n, 0);
	if (k > 0) {
		for (ssize_t i = 0; i < k && c->nfirst < sizeof c->first; i++)
			c->first[c->nfirst++] = b[i];
		return (int)k;
	}
	if (k == 0) {
		c->eof = 1;
		return 0;
	}
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
		return MBEDTLS_ERR_SSL_WANT_READ;
	if (errno == ECONNRESET) {
		c->eof = 1;
		return MBEDTLS_ERR_NET_CONN_RESET;
	}
	return MBEDTLS_ERR_NET_RECV_FAILED;
}

/* Waits for what mbedTLS asked for. 0 ready, -1 with a timeout message. */
static int wait_for(struct tls_conn *c, int r, int64_t deadline, enum msg_id which, int ms)
{
	int w = sock_wait(c->fd, r == MBEDTLS_ERR_SSL_WANT_WRITE ? POLLOUT : POLLIN, deadline);
	if (w == 1)
		return err_set(E_NET_TIMEOUT, c->label, tr(which), ms);
	if (w < 0)
		return err_set(E_NET_IO, c->label, strerror(errno));
	return 0;
}

static int want(int r)
{
	return r == MBEDTLS_ERR_SSL_WANT_READ || r == MBEDTLS_ERR_SSL_WANT_WRITE;
}

static int64_t sooner(int64_t a, int64_t b)
{
	return b && b < a ? b : a;
}

/* ---- handshake ----------------------------------------------------------------- */

/* The verification flags say why a chain was refused (x509_crt.h,
 * MBEDTLS_X509_BADCERT_*). An unknown authority comes first: a
 * self-signed or intercepting certificate is the thing to report even if
 * it is also expired or for another name. */
static int verify_error(const struct tls_conn *c, uint32_t f)
{
	if (f & MBEDTLS_X509_BADCERT_NOT_TRUSTED)
		return err_set(E_TLS_UNTRUSTED, c->label);
	if (f & MBEDTLS_X509_BADCERT_EXPIRED)
		return err_set(E_TLS_EXPIRED, c->label);
	if (f & MBEDTLS_X509_BADCERT_FUTURE)
		return err_set(E_TLS_FUTURE, c->label);
	if (f & MBEDTLS_X509_BADCERT_CN_MISMATCH)
		return err_set(E_TLS_HOSTNAME, c->label);
	if (f & (MBEDTLS_X509_BADCERT_BAD_MD | MBEDTLS_X509_BADCERT_BAD_PK |
		 MBEDTLS_X509_BADCERT_BAD_KEY))
		return err_set(E_TLS_WEAK, c->label);
	return err_set(E_TLS_CERT, c->label);
}

static int plain_text(const unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((b[i] < 0x20 || b[i] > 0x7e) && b[i] != '\r' && b[i] != '\n' && b[i] != '\t')
			return 0;
	return 1;
}

static int handshake_error(struct tls_conn *c, int r)
{
	uint32_t f = mbedtls_ssl_get_verify_result(&c->ssl);
	if (f != 0 && f != (uint32_t)-1)
		return verify_error(c, f);
	switch (r) {
	case MBEDTLS_ERR_X509_CERT_VERIFY_FAILED:
		return err_set(E_TLS_CERT, c->label);
	case MBEDTLS_ERR_SSL_BAD_PROTOCOL_VERSION:
		return err_set(E_TLS_VERSION, c->label);
	case MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE:
		/* The alert is still in the input record ([level, type]); no
		 * public getter in 3.6. A server whose minimum is above what we
		 * offer answers protocol_version (RFC 8446 §4.2.1, RFC 5246
		 * §7.2.2), as OpenSSL limited to TLS 1.0/1.1 does. */
		if (c->ssl.MBEDTLS_PRIVATE(in_msg) &&
		    c->ssl.MBEDTLS_PRIVATE(in_msg)[1] == MBEDTLS_SSL_ALERT_MSG_PROTOCOL_VERSION)
			return err_set(E_TLS_VERSION, c->label);
		return err_set(E_TLS_ALERT, c->label);
	case MBEDTLS_ERR_NET_CONN_RESET:
		return err_set(E_NET_RESET, c->label);
	case MBEDTLS_ERR_SSL_INVALID_RECORD:
	case MBEDTLS_ERR_SSL_UNEXPECTED_RECORD:
		/* A TLS record opens with a content type of 20 to 23; a peer
		 * whose first bytes are text is a plain server on the port
		 * ("HTTP/1.1 400", or an HTML page from an HTTP/0.9-style
		 * answer): a wrong port or a proxy's plain side, the one case
		 * the responder can fix at once. */
		if (c->nfirst == sizeof c->first && plain_text(c->first, c->nfirst))
			return err_set(E_TLS_PLAIN_HTTP, c->label);
		return err_set(E_TLS_HANDSHAKE, c->label);
	default:
		return err_set(E_TLS_HANDSHAKE, c->label);
	}
}

/* A TLS 1.2 server that signed its ServerKeyExchange with RSA-PSS, which
 * mbedTLS 3.6 offers in its 1.2/1.3 ClientHello but cannot verify in 1.2
 * (OpenSSL servers with server preference do this). The certificate was
 * already verified by then (it comes first in TLS 1.2), and no version
 * downgrade happened: a TLS 1.3 server's ServerHello would have carried
 * the RFC 8446 §4.1.3 sentinel, checked before. Retrying with TLS 1.2 and
 * PKCS#1 only gets the same protocol the server chose. */
static int pss_in_tls12(const struct tls_conn *c, int r)
{
	return r == MBEDTLS_ERR_SSL_ILLEGAL_PARAMETER &&
	       mbedtls_ssl_get_version_number(&c->ssl) == MBEDTLS_SSL_VERSION_TLS1_2 &&
	       mbedtls_ssl_get_verify_result(&c->ssl) == 0;
}

int tls_open(struct tls_conn **out, struct tls_ctx *t, int fd, const char *host,
	     const char *label, int handshake_ms, int64_t deadline, int tls12_only)
{
	struct tls_conn *c = calloc(1, sizeof *c);
	*out = NULL;
	if (!c) {
		close(fd);
		return err_set(E_NOMEM);
	}
	c->fd = fd;
	snprintf(c->label, sizeof c->label, "%s", label);
	mbedtls_ssl_init(&c->ssl);
	if (mbedtls_ssl_setup(&c->ssl, tls12_only ? &t->conf12 : &t->conf) != 0 ||
	    mbedtls_ssl_set_hostname(&c->ssl, host) != 0) {
		tls_close(c);
		return err_set(E_TLS_INIT);
	}
	mbedtls_ssl_set_bio(&c->ssl, c, bio_send, bio_recv, NULL);

	int64_t dl = sooner(net_mono_ms() + handshake_ms, deadline);
	for (;;) {
		int r = mbedtls_ssl_handshake(&c->ssl);
		if (r == 0)
			break;
		if (want(r) && wait_for(c, r, dl, M_TO_HANDSHAKE, handshake_ms) == 0)
			continue;
		int retry = !tls12_only && pss_in_tls12(c, r);
		if (!want(r))
			handshake_error(c, r);
		tls_close(c);
		return retry ? TLS_RETRY12 : -1;
	}
	*out = c;
	return 0;
}

/* ---- data ------------------------------------------------------------------- */

int tls_read(struct tls_conn *c, void *buf, size_t n, int idle_ms, int64_t deadline)
{
	int64_t dl = sooner(net_mono_ms() + idle_ms, deadline);
	for (;;) {
		int r = mbedtls_ssl_read(&c->ssl, buf, n);
		if (r > 0)
			return r;
		if (r == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) {
			c->eof = 1;
			return 0;
		}
		/* mbedtls_ssl_read returns 0 when the transport ended with no
		 * close_notify: that is not a clean end, say so. */
		if (r == 0 || r == MBEDTLS_ERR_NET_CONN_RESET || c->eof) {
			c->eof = 1;
			err_set(r == 0 ? E_NET_CLOSED : E_NET_RESET, c->label);
			return TLS_EOF;
		}
		if (want(r)) {
			if (wait_for(c, r, dl, M_TO_IDLE, idle_ms) < 0)
				return -1;
			continue;
		}
		return err_set(E_TLS_IO, c->label);
	}
}

int tls_write(struct tls_conn *c, const void *buf, size_t n, int idle_ms, int64_t deadline)
{
	const unsigned char *p = buf;
	while (n) {
		int64_t dl = sooner(net_mono_ms() + idle_ms, deadline);
		int r = mbedtls_ssl_write(&c->ssl, p, n);
		if (r > 0) {
			p += r;
			n -= (size_t)r;
			continue;
		}
		if (want(r)) {
			if (wait_for(c, r, dl, M_TO_IDLE, idle_ms) < 0)
				return -1;
			continue;
		}
		if (c->eof || r == MBEDTLS_ERR_NET_CONN_RESET) {
			c->eof = 1;
			err_set(E_NET_RESET, c->label);
			return TLS_EOF;
		}
		return err_set(E_TLS_IO, c->label);
	}
	return 0;
}

int tls_idle_ok(struct tls_conn *c)
{
	if (c->eof)
		return 0;
	for (;;) {
		struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
		if (mbedtls_ssl_get_bytes_avail(&c->ssl) > 0)
			return 0;
		if (poll(&pfd, 1, 0) == 0)
			return 1;
		/* Something came while idle: a TLS 1.3 ticket is consumed and
		 * fine; data, an alert, close_notify or EOF are not. */
		unsigned char b;
		int r = mbedtls_ssl_read(&c->ssl, &b, 1);
		if (r != MBEDTLS_ERR_SSL_WANT_READ)
			return 0;
	}
}

void tls_close(struct tls_conn *c)
{
	if (!c)
		return;
	/* Best effort, never waits: the peer may already be gone. */
	if (!c->eof && mbedtls_ssl_is_handshake_over(&c->ssl))
		mbedtls_ssl_close_notify(&c->ssl);
	mbedtls_ssl_free(&c->ssl);
	if (c->fd >= 0)
		close(c->fd);
	free(c);
}

const char *tls_conn_version(const struct tls_conn *c)
{
	return mbedtls_ssl_get_version(&c->ssl);
}
