/*
 * JSON Web Tokens, as far as sign-in needs them: base64url (RFC 4648 §5)
 * over mbedTLS's base64, the client assertion a confidential app signs
 * with its certificate's key, and the payload of an access token decoded
 * for `login --status` display (never trusted for anything else: the
 * signature is not checked, Microsoft says clients must treat access
 * tokens as opaque).
 *
 * Client assertion format: "Microsoft identity platform application
 * authentication certificate credentials" (learn.microsoft.com/entra/
 * identity-platform/certificate-credentials): header alg PS256 or RS256,
 * typ JWT, x5t#S256 = base64url(SHA-256(certificate DER)); claims aud =
 * the token endpoint, iss = sub = client id, jti unique, nbf, exp. We
 * give it 10 minutes, as MSAL does: long enough for a slow link, short
 * enough that a captured assertion is soon worthless.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/base64.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/pk.h>
#include <mbedtls/sha256.h>
#include <mbedtls/x509_crt.h>
#include <psa/crypto.h>

#include "ms/ms.h"

/* RFC 7515 §2 base64url: '-' and '_' for '+' and '/', no padding. */
int auth_b64url_enc(struct buf *out, const void *data, size_t n)
{
	size_t need = 0;
	unsigned char *tmp;

	mbedtls_base64_encode(NULL, 0, &need, data, n);
	/* A JWT part is a few kilobytes; mbedTLS says SIZE_MAX when n is
	 * past what base64 can hold. */
	if (need > (size_t)16 << 20)
		return err_set(E_AUTH_B64);
	tmp = malloc(need ? need : 1);
	if (!tmp)
		return err_set(E_NOMEM);
	if (mbedtls_base64_encode(tmp, need, &need, data, n) != 0) {
		free(tmp);
		return err_set(E_AUTH_B64);
	}
	while (need > 0 && tmp[need - 1] == '=')
		need--;
	for (size_t i = 0; i < need; i++)
		tmp[i] = tmp[i] == '+' ? '-' : tmp[i] == '/' ? '_' : tmp[i];
	int r = buf_append(out, tmp, need);
	mem_wipe(tmp, need);
	free(tmp);
	return r;
}

/* Strict: only the base64url alphabet, no padding, no whitespace. */
int auth_b64url_dec(struct buf *out, const char *s, size_t n)
{
	size_t padded = n + (4 - n % 4) % 4, olen = 0;
	unsigned char *tmp, *dec;
	int r;

	if (n % 4 == 1)
		return err_set(E_AUTH_B64);
	tmp = malloc(padded + 1);
	dec = malloc(padded + 1);
	if (!tmp || !dec) {
		free(tmp);
		free(dec);
		return err_set(E_NOMEM);
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '-')
			c = '+';
		else if (c == '_')
			c = '/';
		else if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
			r = err_set(E_AUTH_B64);
			goto out;
		}
		tmp[i] = c;
	}
	for (size_t i = n; i < padded; i++)
		tmp[i] = '=';
	r = mbedtls_base64_decode(dec, padded + 1, &olen, tmp, padded) ? err_set(E_AUTH_B64)
		: buf_append(out, dec, olen);
out:
	mem_wipe(tmp, padded + 1);
	mem_wipe(dec, padded + 1);
	free(tmp);
	free(dec);
	return r;
}

int auth_jwt_claims(const char *jwt, struct buf *json)
{
	const char *a = strchr(jwt, '.'), *b = a ? strchr(a + 1, '.') : NULL;
	if (!a || !b || strchr(b + 1, '.'))
		return err_set(E_AUTH_JWT_FORMAT);
	buf_reset(json);
	return auth_b64url_dec(json, a + 1, (size_t)(b - a - 1));
}

/* ---- randomness ------------------------------------------------------------
 * A CTR-DRBG seeded from mbedTLS's entropy pool, whose one source is
 * getrandom(2) (src/net/entropy.c). Few calls per run: seeded each time. */
int auth_random(void *p, size_t n)
{
	mbedtls_entropy_context ent;
	mbedtls_ctr_drbg_context drbg;
	static const unsigned char pers[] = "reflexe sign-in";
	int r;

	mbedtls_entropy_init(&ent);
	mbedtls_ctr_drbg_init(&drbg);
	r = mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &ent, pers, sizeof pers - 1);
	if (r == 0)
		r = mbedtls_ctr_drbg_random(&drbg, p, n);
	mbedtls_ctr_drbg_free(&drbg);
	mbedtls_entropy_free(&ent);
	return r ? err_set(E_AUTH_RANDOM) : 0;
}

/* ---- the application's certificate and key ----------------------------------- */
struct auth_signer {
	mbedtls_x509_crt crt;
	mbedtls_pk_context key;
	unsigned char x5t256[32];   /* SHA-256 of the certificate DER */
	mbedtls_entropy_context ent;
	mbedtls_ctr_drbg_context drbg;
};

void auth_signer_free(struct auth_signer *s)
{
	if (!s)
		return;
	mbedtls_x509_crt_free(&s->crt);
	mbedtls_pk_free(&s->key);       /* zeroizes the key material */
	mbedtls_ctr_drbg_free(&s->drbg);
	mbedtls_entropy_free(&s->ent);
	mem_wipe(s, sizeof *s);
	free(s);
}

int auth_signer_load(struct auth_signer **out, const char *path)
{
	struct buf pem = { 0 };
	struct auth_signer *s;
	int r;

	*out = NULL;
	if (psa_crypto_init() != PSA_SUCCESS)
		return err_set(E_AUTH_RANDOM);
	if (file_read(path, &pem, 1 << 20) < 0)
		return err_context(E_AUTH_CERT_FILE, path);
	s = calloc(1, sizeof *s);
	if (!s) {
		buf_wipe(&pem);
		return err_set(E_NOMEM);
	}
	mbedtls_x509_crt_init(&s->crt);
	mbedtls_pk_init(&s->key);
	mbedtls_entropy_init(&s->ent);
	mbedtls_ctr_drbg_init(&s->drbg);
	if (mbedtls_ctr_drbg_seed(&s->drbg, mbedtls_entropy_func, &s->ent,
				  (const unsigned char *)"reflexe jwt", 11) != 0) {
		r = err_set(E_AUTH_RANDOM);
		goto fail;
	}
	/* Both parsers find their PEM block anywhere in the buffer (they
	 * look for the BEGIN line), so one file may hold both, in any
	 * order, as AZURE_CLIENT_CERTIFICATE_PATH is documented to. They
	 * want the terminating NUL counted. */
	if (!pem.p || mbedtls_x509_crt_parse(&s->crt, (const unsigned char *)pem.p, pem.len + 1) != 0 ||
	    s->crt.raw.len == 0) {
		r = err_set(E_AUTH_CERT_PARSE, path);
		goto fail;
	}
	r = mbedtls_pk_parse_key(&s->key, (const unsigned char *)pem.p, pem.len + 1, NULL, 0,
				 mbedtls_ctr_drbg_random, &s->drbg);
	if (r == MBEDTLS_ERR_PK_PASSWORD_REQUIRED || r == MBEDTLS_ERR_PK_KEY_INVALID_FORMAT) {
		r = err_set(r == MBEDTLS_ERR_PK_PASSWORD_REQUIRED ? E_AUTH_KEY_ENCRYPTED : E_AUTH_KEY_PARSE, path);
		goto fail;
	}
	if (r != 0) {
		r = err_set(E_AUTH_KEY_PARSE, path);
		goto fail;
	}
	/* Entra ID takes RSA certificates for client assertions (PS256 or
	 * RS256); an EC key would only be refused later, less clearly. */
	if (mbedtls_pk_get_type(&s->key) != MBEDTLS_PK_RSA || mbedtls_pk_get_bitlen(&s->key) < 2048) {
		r = err_set(E_AUTH_KEY_TYPE, path);
		goto fail;
	}
	if (mbedtls_pk_check_pair(&s->crt.pk, &s->key, mbedtls_ctr_drbg_random, &s->drbg) != 0) {
		r = err_set(E_AUTH_KEY_MISMATCH, path);
		goto fail;
	}
	if (mbedtls_sha256(s->crt.raw.p, s->crt.raw.len, s->x5t256, 0) != 0) {
		r = err_set(E_AUTH_RANDOM);
		goto fail;
	}
	buf_wipe(&pem);
	*out = s;
	return 0;
fail:
	buf_wipe(&pem);
	auth_signer_free(s);
	return r;
}

void auth_signer_x5t(const struct auth_signer *s, unsigned char out[32])
{
	memcpy(out, s->x5t256, 32);
}

/* JSON text of a header or claims set, then its base64url. The values
 * we put in are ours (client id checked as a GUID, the token URL built
 * from checked parts), but json_put_str escapes them anyway. */
static int seg_b64(struct buf *out, const struct buf *json)
{
	return auth_b64url_enc(out, json->p, json->len);
}

int auth_jwt_assertion(struct buf *out, struct auth_signer *s, const char *client_id,
		       const char *aud, int64_t now, int pss)
{
	struct buf h = { 0 }, c = { 0 }, x5t = { 0 };
	unsigned char hash[32], sig[MBEDTLS_PK_SIGNATURE_MAX_SIZE];
	char jti[40];
	size_t siglen = 0;
	int r = -1;

	/* Sized once: growth by realloc would leave copies unwiped. The
	 * jti a version 4 UUID, so it reads like the GUIDs MSAL sends. */
	buf_reset(out);
	if (auth_buf_reserve(out, 16384) < 0 || net_uuid4(jti) < 0)
		return -1;
	if (auth_b64url_enc(&x5t, s->x5t256, sizeof s->x5t256) < 0)
		goto done;
	if (buf_printf(&h, "{\"alg\":\"%s\",\"typ\":\"JWT\",\"x5t#S256\":", pss ? "PS256" : "RS256") < 0 ||
	    json_put_str(&h, x5t.p) < 0 || buf_puts(&h, "}") < 0)
		goto done;
	if (buf_puts(&c, "{\"aud\":") < 0 || json_put_str(&c, aud) < 0 ||
	    buf_puts(&c, ",\"iss\":") < 0 || json_put_str(&c, client_id) < 0 ||
	    buf_puts(&c, ",\"sub\":") < 0 || json_put_str(&c, client_id) < 0 ||
	    buf_printf(&c, ",\"jti\":\"%s\",\"nbf\":%lld,\"iat\":%lld,\"exp\":%lld}", jti,
		       (long long)now, (long long)now, (long long)(now + 600)) < 0)
		goto done;
	if (seg_b64(out, &h) < 0 || buf_puts(out, ".") < 0 || seg_b64(out, &c) < 0)
		goto done;
	if (mbedtls_sha256((const unsigned char *)out->p, out->len, hash, 0) != 0)
		goto sign_fail;
	/* PS256 (RFC 7518 §3.5: salt as long as the hash): mbedTLS's
	 * PSA_ALG_RSA_PSS path does exactly that. RS256 is PKCS#1 v1.5. */
	if (mbedtls_pk_sign_ext(pss ? MBEDTLS_PK_RSASSA_PSS : MBEDTLS_PK_RSA, &s->key, MBEDTLS_MD_SHA256,
				hash, sizeof hash, sig, sizeof sig, &siglen,
				mbedtls_ctr_drbg_random, &s->drbg) != 0)
		goto sign_fail;
	if (buf_puts(out, ".") < 0 || auth_b64url_enc(out, sig, siglen) < 0)
		goto done;
	r = 0;
	goto done;
sign_fail:
	r = err_set(E_AUTH_SIGN);
done:
	if (r < 0)
		buf_wipe(out);
	buf_free(&h);
	buf_free(&c);
	buf_free(&x5t);
	mem_wipe(sig, sizeof sig);
	mem_wipe(hash, sizeof hash);
	return r;
}
