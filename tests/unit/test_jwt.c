/* base64url, client assertions (structure, claims, RS256 and PS256
 * signatures checked with the certificate's public key), certificate and
 * key loading, token payload decoding. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mbedtls/pk.h>
#include <mbedtls/sha256.h>
#include <mbedtls/x509_crt.h>
#include <psa/crypto.h>

#include "ms/ms.h"
#include "t.h"

/* A throwaway self-signed RSA-2048 certificate and its key, made for this
 * test with openssl (CN "reflexe unit test (throwaway)"); other_key_pem
 * is an unrelated key. Expected x5t#S256, computed with
 * openssl x509 -outform DER | openssl dgst -sha256 -binary | base64url: */
#define CERT_X5T256 "tjXab31ml2hLaVfbUtRGO5e3tC1UEwBwpD1K79xIb8U"
static const char cert_pem[] =
"-----BEGIN CERTIFICATE-----\n"
"MIIDMzCCAhugAwIBAgIUSJRydlA+vYwIJ7BPFhnieUW5QyMwDQYJKoZIhvcNAQEL\n"
"BQAwKDEmMCQGA1UEAwwdcmVmbGV4ZSB1bml0IHRlc3QgKHRocm93YXdheSkwIBcN\n"
"MjYxMTIyMDkxNjU5WhgPMjEyNjEwMjkwOTE2NTlaMCgxJjAkBgNVBAMMHXJlZmxl\n"
"eGUgdW5pdCB0ZXN0ICh0aHJvd2F3YXkpMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A\n"
"MIIBCgKCAQEAsTtVsAyG9ThnPHf97pRoOMPYN5xx9kN8XPgFGo6ufYAEecWxcyVS\n"
"OAx6PhSNzwSa9NfVNJOh8f6eSdtBUMssBkrLzZl0Lr6puEBqguJ4WJHRYcxF39GM\n"
"XbRBXnqdVc9EjJ+x/SSR5lJciNZP6b81RUGJ0UxIrt3XTcMrqepmH3DjAPpjTHSj\n"
"2JYBP8513Bno/Oc8mBNyudGi0M/BYSl/Yg4ix4B63+ANVZBLYXC6S9k1zqevbXWr\n"
"hjR3291gwfVr07+C3TvRbj8QUo3Fx5e9ZH837jiXDGyVhS4hrTYA+qDefmQgH6Dr\n"
"LNr2TSDDopESUtdMe7n0+/Ind7VCfPmI9wIDAQABo1MwUTAdBgNVHQ4EFgQUykLY\n"
"cydUmZ8w27matNphX+ABr+IwHwYDVR0jBBgwFoAUykLYcydUmZ8w27matNphX+AB\n"
"r+IwDwYDVR0TAQH/BAUwAwEB/zANBgkqhkiG9w0BAQsFAAOCAQEARaucca8G8Mak\n"
"p6uhx7jxhBwPjzaDAuu8TcUWmdA+Wq2VYC8Y6uYECY4lzGqKI05BrzAATBtyyd5R\n"
"Ms56g0ZeVSlar6/iomfgwR6GWg8SwKRMEeu76YxhG3HXGCnasc/9qAluu6vFmHMx\n"
"2WnyKCjqMuPMen2f4RQR+ANfOTzUtwO+0QdRVR1lwsO42Zk1bdr2Y7Wu7tW0Mxmd\n"
"/7yKXwzquolBmI4f2cs4BxVzxpqRL7914dfX1WpyIDM2dgg17nzGzDRPe8RVdos2\n"
"M6LAxSfujm79NVXkcC0y5tH4bMlyPRaXTbxCfWZjoaIyg9F/3Sd0E0nyixYEVLyc\n"
"o1qxA6YMLg==\n"
"-----END CERTIFICATE-----\n";

static const char key_pem[] =
"-----BEGIN PRIVATE KEY-----\n"
"MIIEvwIBADANBgkqhkiG9w0BAQEFAASCBKkwggSlAgEAAoIBAQCxO1WwDIb1OGc8\n"
"d/3ulGg4w9g3nHH2Q3xc+AUajq59gAR5xbFzJVI4DHo+FI3PBJr019U0k6Hx/p5J\n"
"20FQyywGSsvNmXQuvqm4QGqC4nhYkdFhzEXf0YxdtEFeep1Vz0SMn7H9JJHmUlyI\n"
"1k/pvzVFQYnRTEiu3ddNwyup6mYfcOMA+mNMdKPYlgE/znXcGej85zyYE3K50aLQ\n"
"z8FhKX9iDiLHgHrf4A1VkEthcLpL2TXOp69tdauGNHfb3WDB9WvTv4LdO9FuPxBS\n"
"jcXHl71kfzfuOJcMbJWFLiGtNgD6oN5+ZCAfoOss2vZNIMOikRJS10x7ufT78id3\n"
"tUJ8+Yj3AgMBAAECggEAKwV4sOHxlrAI21RTRykuPW1I3IL05O8Pzq+D6aTt9Vfw\n"
"fjC/ePB7y1A4Ej7CB5kaFkoYHomhu5DvkoUPD1IqTyKz4yYXXkt4/llgoYHg7bsD\n"
"xQYlhgWjWZGqdok0DQLhpHMVbRoF8o9Wl/7R6i84eqXEkxI96HjATUeNn1LfVE0V\n"
"raTRMzK+1X0h5mOodBvi1pGICHH7imPFZs1sKggebl6Yfi/vTFYnxmLcjy0Kw+eT\n"
"268V8YgpAu5+Ybul8A/B3+96TMFaS5nLT5NBvHtcazQvjUnBNpf6hBn5ehW4IDxx\n"
"JMstmktD1Uv4kUy8LY29GjDkd74FHFvFh9VxrXFmaQKBgQD3uqEi5peWGUOZsfcC\n"
"lUFP2NDzEovtZE1qYkPGb7h4N+hk66zmFMz+xr1icIhOLTjYmg70FJHhQCzuh5W2\n"
"bqFA9va/KwNS9qVS59fTv8pRfq9ezM6x1DAvq+gULcv0No+XqZbg563+obt6NLKx\n"
"b4GDssUddqIQw5hMi4dTY4YdDwKBgQC3JigXyhfzMyURJ9djcikNF8Eu0TfNGTbz\n"
"K6nCUvZylD/xESgYxpPU3gjgGx2bgOMJg8ESjlqYzBFhNUlFk/ehmjbB+HfMmk9C\n"
"Z0gzaqVpBjQW3jVa2tWwUDOwwiccl9ZjzRi2UOr25c4BRMhjUJEcjM8X7Pi5PYKo\n"
"hUmUdHElmQKBgQCskGC2wxJNCIRCh+mc7wNz74B+EilO0FPtC05S6HgDpk5IHrNu\n"
"AodZ4m8CJ4mLi4zRtV89PybvVZj2/5OWZTIG4wG24OuL2ywGuGFrq2nvouPekaRZ\n"
"04lNa95aUByGnYshBo2HVVuqyFakJhlj6Fy7tMgCYiU6sEVi7L7zo5xEmQKBgQCV\n"
"e40prYbStqHAWNZRknGy//pqrdRvj+7rlm2d73y6lAmERk6Fuj4adYak8zy9GPs1\n"
"XtYMwSdsotJklstRAK4Stf2PX67XzfJ27jldzeNnzupg58iAeTAEEdG+qRinG76e\n"
"Al3zICRGk9YJ7wvnE3D87mhwzLdM6clkpjUh99AJsQKBgQDkTaGLUpob3DTKeOp3\n"
"H0JpAUu25ZIXSXkis2PpyHQD7Bqv8d7fAGcftZDxHeHZFbwL0T6Xcn+rkQ05I6Io\n"
"ZP0dZMQ8BeujC04/z5AvkolPgA+Cvvm3mCnbD+NbctrB8/VKwNu0qYwJJbIMqFag\n"
"YptbfIeWvVCiHdybeL7/8mxUUw==\n"
"-----END PRIVATE KEY-----\n";

static const char other_key_pem[] =
"-----BEGIN PRIVATE KEY-----\n"
"MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCW1H+HGOOK+3jW\n"
"RyEJZmP0MLS9WjxOvzznhWTrtFJ6ABfIyD52hnVbd6HaH7xpd0RKXlOL1VGlpHGi\n"
"hsyHbv61J9ce3+t2OLSM5wA1OoXl9DPYkorM9Eh++E7hpEKUZyq8bb4EsDvJRD1U\n"
"5k0USmrDDpyXY3DcUp94pLVm0/0Mi7KU8V7Tx74vfPHJ48RMjb3ENiIx/esN7ZaA\n"
"iRLhpvsvhXq57jbmSpJu03tYoii5O7Jd4C34ro7wUnAwgf3wi2o4mlmknpGioa91\n"
"Bp8ESEDtdiyFzUDlmoHrZVAc+jXMpcibp4T68jzEXekC9ksxByHflcDONY7XOQ06\n"
"9KKY8eSNAgMBAAECggEABR5qGOYl1sd+YYX2yjsLhQk1dmr+ZU0aiTWe6Abtzk58\n"
"KtLCQpiBRBzqb8d9nUtbFHZgudFVXNyYr1jeznExu2ks5P3ZdQuAnnrlKBP34QbU\n"
"JEijkEgcFmm2l57Q/vivW8dnratjeWBTqogfBo4YqHexpcujVBQzwvmStHjY+4N2\n"
"2R5pC4v30kEm1GLD8GPMaalB1BVRRKVDmKTyKaR/bw8kNq8okCk50IHY/aAUZCfH\n"
"HvW/8z9sElhAP9wvggspt5zWtR87+vDDv+IGSzWtsSMtum9ujp+nAWBS20RBEOFj\n"
"2KfZMufYDQT/q2awq6LvsJnR3fVQDr9E3CCeO24E8QKBgQDN1Nzawstuxx8uR5I8\n"
"kR4UaTudBhhWgs3ucltltPuQP8GNVgN0ASisjCdWW3+NEiO9cGMVGl86q1tI+1eY\n"
"dwoBZAYC37L5kPTzWaO1ZUQ+Gy0GgMj8Q0/idEFsrVHecjsPctUqG+sZIMgi7h+I\n"
"3zXd2cray2iKv2G6tl7I3AoPaQKBgQC7l78X5asaiEVkLu/yODIWQ10am59Kdk5g\n"
"zN+4CosauZo630ejHCyV+s4x5vhxACRMUXee/2pl9sagwkjpsoR8tfnM7FRNrPQw\n"
"iDg1p9fX6RwGn2xRmG0oMzaB+ZxLVDnMljhoQEM+x5/mYNb7JBxZgOjKJONOGFc0\n"
"WsmkZy9rhQKBgEeztVQHs7Jdb0FB8XFj5CScHAYxT10jp/U+pRQjHdc8PoKryfwp\n"
"QzAIitOMgDx2azjc48dALphThTNBS1xza2rcmzN5FfHWS15ShbL1GfbApMi1KE6o\n"
"bDWo5fmjzvc8t9JD4HoQy68vOkjgxt95Ulx8OCxL25kp3jOawB4ceOyxAoGBAKUA\n"
"s5/kbtz2kfqt4nYugbfdZs5ZpgHMD+LLMdjixTormQJBlPReesUtByMTouFaG5NZ\n"
"cRtUVBT9u/Z5DcMpN6muMtvR39E22M67cp2XVZ5fNzyIC7G1ngXnDgHDOXt0ySYv\n"
"18uzArL8yaPM+CuMtrbvUVNEoP73H/U4Cfbmn+o1AoGAQXCU4jhvCWJAGCZlJQ8e\n"
"KRAOe+kWZgSwWCI7BegA94F44G/Gq5IubRuv5J83bgE6vHUT0pzIHaH2c1RdhPPJ\n"
"dWF34GT4uu8qjq6VlnQZUxgq0yVAzwYb7dW8jGXqDmHD3ZxaDI/d4I74bqX5voE9\n"
"4ET0zZdjhHYiuvmXijcDZds=\n"
"-----END PRIVATE KEY-----\n";

static char tmpdir[] = "/tmp/reflexe-test-jwt-XXXXXX";

static const char *write_tmp(const char *name, const char *a, const char *b)
{
	static char path[256];
	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");
	if (!f)
		return NULL;
	fputs(a, f);
	if (b)
		fputs(b, f);
	fclose(f);
	return path;
}

static int b64(const char *in, size_t n, char *out, size_t outsz)
{
	struct buf b = { 0 };
	int r = auth_b64url_enc(&b, in, n);
	snprintf(out, outsz, "%s", r == 0 && b.p ? b.p : "");
	buf_free(&b);
	return r;
}

static void b64url_rfc4648_vectors(void)
{
	/* RFC 4648 §10, without padding, and the two URL-safe characters. */
	static const char *const in[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
	static const char *const want[] = { "", "Zg", "Zm8", "Zm9v", "Zm9vYg", "Zm9vYmE", "Zm9vYmFy" };
	char out[64];
	for (int i = 0; i < 7; i++) {
		CHECK(b64(in[i], strlen(in[i]), out, sizeof out) == 0);
		CHECK_STR(out, want[i]);
	}
	CHECK(b64("\xfb\xff", 2, out, sizeof out) == 0);
	CHECK_STR(out, "-_8");          /* base64 "+/8=" */
}

static void b64url_round_trip_and_strictness(void)
{
	unsigned char raw[64];
	for (size_t n = 0; n <= sizeof raw; n++) {
		struct buf e = { 0 }, d = { 0 };
		CHECK(auth_random(raw, n ? n : 1) == 0);
		CHECK(auth_b64url_enc(&e, raw, n) == 0);
		CHECK(auth_b64url_dec(&d, e.p ? e.p : "", e.len) == 0);
		CHECK(d.len == n && (n == 0 || !memcmp(d.p, raw, n)));
		CHECK(!e.p || (!strchr(e.p, '=') && !strchr(e.p, '+') && !strchr(e.p, '/')));
		buf_free(&e);
		buf_free(&d);
	}
	static const char *const bad[] = { "Zm9v=", "Zm+v", "Zm/v", "Z", "Zm9 v", "Zm9v\n", "Zm\x80v" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct buf d = { 0 };
		CHECK(auth_b64url_dec(&d, bad[i], strlen(bad[i])) < 0);
		CHECK_INT(err_id(), E_AUTH_B64);
		buf_free(&d);
	}
}

static void claims_need_three_segments(void)
{
	struct buf j = { 0 };
	CHECK(auth_jwt_claims("eyJhIjoxfQ.eyJiIjoyfQ.c2ln", &j) == 0);
	CHECK_STR(j.p, "{\"b\":2}");
	CHECK(auth_jwt_claims("eyJhIjoxfQ.eyJiIjoyfQ", &j) < 0);
	CHECK(auth_jwt_claims("a.b.c.d", &j) < 0);
	CHECK(auth_jwt_claims("nodots", &j) < 0);
	buf_free(&j);
}

/* Splits a compact JWS and checks the signature with the certificate. */
static int verify(const char *jws, int pss, struct buf *hdr, struct buf *claims)
{
	const char *d1 = strchr(jws, '.'), *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
	struct buf sig = { 0 };
	unsigned char hash[32];
	mbedtls_x509_crt crt;
	int r = -1;

	if (!d1 || !d2)
		return -1;
	buf_reset(hdr);
	buf_reset(claims);
	if (auth_b64url_dec(hdr, jws, (size_t)(d1 - jws)) < 0 ||
	    auth_b64url_dec(claims, d1 + 1, (size_t)(d2 - d1 - 1)) < 0 ||
	    auth_b64url_dec(&sig, d2 + 1, strlen(d2 + 1)) < 0)
		return -1;
	mbedtls_sha256((const unsigned char *)jws, (size_t)(d2 - jws), hash, 0);
	mbedtls_x509_crt_init(&crt);
	if (mbedtls_x509_crt_parse(&crt, (const unsigned char *)cert_pem, sizeof cert_pem) == 0) {
		if (pss) {
			/* RFC 7518 §3.5: salt as long as the hash. */
			mbedtls_pk_rsassa_pss_options o = { MBEDTLS_MD_SHA256, 32 };
			r = mbedtls_pk_verify_ext(MBEDTLS_PK_RSASSA_PSS, &o, &crt.pk, MBEDTLS_MD_SHA256, hash,
						  32, (unsigned char *)sig.p, sig.len);
		} else {
			r = mbedtls_pk_verify(&crt.pk, MBEDTLS_MD_SHA256, hash, 32, (unsigned char *)sig.p, sig.len);
		}
	}
	mbedtls_x509_crt_free(&crt);
	buf_free(&sig);
	return r;
}

static void assertion(int pss)
{
	struct auth_signer *s = NULL;
	struct buf jws = { 0 }, jws2 = { 0 }, h = { 0 }, c = { 0 };
	struct json j = { 0 };
	char v[128];
	long long n = 0;
	const char *path = write_tmp("app.pem", cert_pem, key_pem);
	const char *aud = "https://login.example/contoso.com/oauth2/v2.0/token";
	const char *cid = "3c9e2f1a-7b4d-4c8e-9f0a-1b2c3d4e5f6a";

	CHECK(path && auth_signer_load(&s, path) == 0);
	if (!s)
		return;
	unsigned char x5t[32];
	auth_signer_x5t(s, x5t);
	char x5t_b64[64];
	b64((const char *)x5t, 32, x5t_b64, sizeof x5t_b64);
	CHECK_STR(x5t_b64, CERT_X5T256);

	CHECK(auth_jwt_assertion(&jws, s, cid, aud, 1800000000, pss) == 0);
	CHECK(jws.p && verify(jws.p, pss, &h, &c) == 0);
	CHECK(json_parse(&j, h.p, h.len, JSON_LIMITS_DEFAULT) == 0);
	CHECK(json_str(&j, 0, "alg", v, sizeof v) == 0);
	CHECK_STR(v, pss ? "PS256" : "RS256");
	CHECK(json_str(&j, 0, "typ", v, sizeof v) == 0);
	CHECK_STR(v, "JWT");
	CHECK(json_str(&j, 0, "x5t#S256", v, sizeof v) == 0);
	CHECK_STR(v, CERT_X5T256);
	json_free(&j);
	CHECK(json_parse(&j, c.p, c.len, JSON_LIMITS_DEFAULT) == 0);
	CHECK(json_str(&j, 0, "aud", v, sizeof v) == 0);
	CHECK_STR(v, aud);
	CHECK(json_str(&j, 0, "iss", v, sizeof v) == 0);
	CHECK_STR(v, cid);
	CHECK(json_str(&j, 0, "sub", v, sizeof v) == 0);
	CHECK_STR(v, cid);
	CHECK(json_int(&j, 0, "nbf", &n) == 0 && n == 1800000000);
	CHECK(json_int(&j, 0, "exp", &n) == 0 && n == 1800000600);
	char jti[64];
	CHECK(json_str(&j, 0, "jti", jti, sizeof jti) == 0 && strlen(jti) == 36 && jti[14] == '4');
	json_free(&j);

	/* Each assertion has its own jti; a changed byte breaks the signature. */
	CHECK(auth_jwt_assertion(&jws2, s, cid, aud, 1800000000, pss) == 0);
	CHECK(jws2.p && verify(jws2.p, pss, &h, &c) == 0);
	CHECK(json_parse(&j, c.p, c.len, JSON_LIMITS_DEFAULT) == 0);
	CHECK(json_str(&j, 0, "jti", v, sizeof v) == 0 && strcmp(v, jti) != 0);
	json_free(&j);
	char *dot = strchr(jws2.p, '.');
	dot[3] = dot[3] == 'A' ? 'B' : 'A';
	CHECK(verify(jws2.p, pss, &h, &c) != 0);
	/* The signature of one mode does not pass as the other. */
	CHECK(verify(jws.p, !pss, &h, &c) != 0);

	buf_wipe(&jws);
	buf_wipe(&jws2);
	buf_free(&h);
	buf_free(&c);
	auth_signer_free(s);
}

static void assertion_ps256(void) { assertion(1); }
static void assertion_rs256(void) { assertion(0); }

static void signer_refuses_bad_files(void)
{
	struct auth_signer *s = NULL;
	CHECK(auth_signer_load(&s, write_tmp("mm.pem", cert_pem, other_key_pem)) < 0 && !s);
	CHECK_INT(err_id(), E_AUTH_KEY_MISMATCH);
	CHECK(auth_signer_load(&s, write_tmp("certonly.pem", cert_pem, NULL)) < 0 && !s);
	CHECK_INT(err_id(), E_AUTH_KEY_PARSE);
	CHECK(auth_signer_load(&s, write_tmp("keyonly.pem", key_pem, NULL)) < 0 && !s);
	CHECK_INT(err_id(), E_AUTH_CERT_PARSE);
	CHECK(auth_signer_load(&s, write_tmp("junk.pem", "not a pem\n", NULL)) < 0 && !s);
	CHECK(auth_signer_load(&s, "/nonexistent/app.pem") < 0 && !s);
	/* Key first, then the certificate: the order does not matter. */
	CHECK(auth_signer_load(&s, write_tmp("rev.pem", key_pem, cert_pem)) == 0 && s);
	auth_signer_free(s);
}

int main(void)
{
	i18n_init("en");
	if (!mkdtemp(tmpdir) || psa_crypto_init() != PSA_SUCCESS) {
		printf("FAIL setup\n");
		return 1;
	}
	RUN(b64url_rfc4648_vectors);
	RUN(b64url_round_trip_and_strictness);
	RUN(claims_need_three_segments);
	RUN(assertion_ps256);
	RUN(assertion_rs256);
	RUN(signer_refuses_bad_files);
	static const char *const files[] = { "app.pem", "mm.pem", "certonly.pem", "keyonly.pem",
					     "junk.pem", "rev.pem" };
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char p[256];
		snprintf(p, sizeof p, "%s/%s", tmpdir, files[i]);
		unlink(p);
	}
	rmdir(tmpdir);
	T_DONE();
}
