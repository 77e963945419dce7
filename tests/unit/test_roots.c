/* The compiled-in roots are the ones claimed: each SHA-256 recomputed with
 * mbedTLS, each SHA-1 compared with the thumbprint Microsoft publishes on
 * "Azure Certificate Authority details" (learn.microsoft.com/azure/
 * security/fundamentals/azure-ca-details, root table), each a self-signed
 * CA; REFLEXE_CA_FILE replaces them; the clock check refuses the past. */
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <mbedtls/base64.h>
#include <mbedtls/sha1.h>
#include <mbedtls/sha256.h>
#include <mbedtls/x509_crt.h>

#include "net/net.h"
#include "t.h"

/* Copied from Microsoft's page (SHA-1 thumbprints), independent of the
 * bytes and comments in src/net/roots.c. */
static const struct { const char *name, *sha1; } published[] = {
	{ "DigiCert Global Root CA", "a8985d3a65e5e5c4b2d7d66d40c6dd2fb19c5436" },
	{ "DigiCert Global Root G2", "df3c24f9bfd666761b268073fe06d1cc8d4f82a4" },
	{ "DigiCert Global Root G3", "7e04de896a3e666d00e687d33ffad93be83d349e" },
	{ "DigiCert TLS ECC P384 Root G5", "17f3de5e9f0f19e98ef61f32266e20c407ae30ee" },
	{ "DigiCert TLS RSA4096 Root G5", "a78849dc5d7c758c8cde399856b3aad0b2a57135" },
	{ "Microsoft ECC Root Certificate Authority 2017", "999a64c37ff47d9fab95f14769891460eec4c3c5" },
	{ "Microsoft RSA Root Certificate Authority 2017", "73a5e64a3bff8316ff0edccc618a906e4eae4d74" },
};
#define NPUB (sizeof published / sizeof published[0])

static void hex(const unsigned char *d, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void sha256_matches(void)
{
	for (size_t i = 0; i < tls_nroots; i++) {
		unsigned char sum[32];
		char h[65];
		CHECK(mbedtls_sha256(tls_roots[i].der, tls_roots[i].len, sum, 0) == 0);
		hex(sum, 32, h);
		if (strcmp(h, tls_roots[i].sha256)) {
			printf("  %s: SHA-256 %s, table says %s\n", tls_roots[i].name, h, tls_roots[i].sha256);
			t_failed_now = 1;
		}
	}
}

static void microsoft_thumbprints(void)
{
	/* Every root is on Microsoft's list, and every listed (still
	 * valid) root is compiled in. */
	CHECK_INT(tls_nroots, NPUB);
	for (size_t i = 0; i < NPUB; i++) {
		size_t k;
		for (k = 0; k < tls_nroots; k++)
			if (!strcmp(tls_roots[k].name, published[i].name))
				break;
		if (k == tls_nroots) {
			printf("  %s: not compiled in\n", published[i].name);
			t_failed_now = 1;
			continue;
		}
		unsigned char sum[20];
		char h[41];
		CHECK(mbedtls_sha1(tls_roots[k].der, tls_roots[k].len, sum) == 0);
		hex(sum, 20, h);
		if (strcmp(h, published[i].sha1)) {
			printf("  %s: SHA-1 %s, Microsoft publishes %s\n", published[i].name, h, published[i].sha1);
			t_failed_now = 1;
		}
	}
}

static void self_signed_cas(void)
{
	for (size_t i = 0; i < tls_nroots; i++) {
		mbedtls_x509_crt c;
		char cn[256];
		mbedtls_x509_crt_init(&c);
		CHECK(mbedtls_x509_crt_parse_der(&c, tls_roots[i].der, tls_roots[i].len) == 0);
		CHECK(c.MBEDTLS_PRIVATE(ca_istrue));
		CHECK(c.subject_raw.len == c.issuer_raw.len &&
		      !memcmp(c.subject_raw.p, c.issuer_raw.p, c.subject_raw.len));
		CHECK(mbedtls_x509_dn_gets(cn, sizeof cn, &c.subject) > 0);
		CHECK(strstr(cn, tls_roots[i].name) != NULL);
		/* None expires in the next two years. */
		CHECK(c.valid_to.year >= 2031);
		mbedtls_x509_crt_free(&c);
	}
}

static void fingerprint_of_set(void)
{
	mbedtls_sha256_context h;
	unsigned char sum[32];
	char want[65], got[65];

	unsetenv("REFLEXE_CA_FILE");
	mbedtls_sha256_init(&h);
	mbedtls_sha256_starts(&h, 0);
	for (size_t i = 0; i < tls_nroots; i++)
		mbedtls_sha256_update(&h, tls_roots[i].der, tls_roots[i].len);
	mbedtls_sha256_finish(&h, sum);
	mbedtls_sha256_free(&h);
	hex(sum, 32, want);
	CHECK(tls_roots_fingerprint(got) == 0);
	CHECK_STR(got, want);
	CHECK(tls_roots_builtin_fingerprint(got) == 0);
	CHECK_STR(got, want);
}

/* Writes one root as PEM (base64 by mbedTLS, 64 columns). */
static void write_pem(FILE *f, const unsigned char *der, size_t len)
{
	unsigned char b64[4096];
	size_t n = 0;
	mbedtls_base64_encode(b64, sizeof b64, &n, der, len);
	fputs("-----BEGIN CERTIFICATE-----\n", f);
	for (size_t i = 0; i < n; i += 64)
		fprintf(f, "%.*s\n", (int)(n - i < 64 ? n - i : 64), b64 + i);
	fputs("-----END CERTIFICATE-----\n", f);
}

static void ca_file_replaces(void)
{
	char path[] = "/tmp/reflexe-test-roots-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	unsigned char sum[32];
	char want[65], got[65];

	write_pem(f, tls_roots[1].der, tls_roots[1].len);
	fclose(f);
	setenv("REFLEXE_CA_FILE", path, 1);
	mbedtls_sha256(tls_roots[1].der, tls_roots[1].len, sum, 0);
	hex(sum, 32, want);
	CHECK(tls_roots_fingerprint(got) == 0);
	CHECK_STR(got, want);
	/* --version's compiled-in line does not follow the file. */
	CHECK(tls_roots_builtin_fingerprint(got) == 0);
	CHECK(strcmp(got, want) != 0);

	/* Anything unreadable in it refuses the whole file. */
	f = fopen(path, "a");
	fputs("-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n", f);
	fclose(f);
	err_clear();
	CHECK(tls_roots_fingerprint(got) == -1);
	CHECK_STR(i18n_msgname(err_id()), "E_TLS_CA_PARSE");

	f = fopen(path, "w");
	fputs("just text\n", f);
	fclose(f);
	err_clear();
	CHECK(tls_roots_fingerprint(got) == -1);
	CHECK_STR(i18n_msgname(err_id()), "E_TLS_CA_PARSE");

	unlink(path);
	err_clear();
	CHECK(tls_roots_fingerprint(got) == -1);
	CHECK_STR(i18n_msgname(err_id()), "E_TLS_CA_READ");
	unsetenv("REFLEXE_CA_FILE");
}

static void clock_check(void)
{
	err_clear();
	CHECK(tls_check_clock_at(0) == -1);
	CHECK_STR(i18n_msgname(err_id()), "E_TLS_CLOCK");
	CHECK(strstr(err_msg(), "1970-01-01") != NULL);
	/* The boundary is the build date itself, the one --version shows. */
	CHECK(tls_check_clock_at((int64_t)reflexe_build_epoch - 1) == -1);
	CHECK(tls_check_clock_at((int64_t)reflexe_build_epoch) == 0);
	CHECK(tls_check_clock_at((int64_t)time(NULL)) == 0);
	CHECK(tls_check_clock() == 0);
}

int main(void)
{
	i18n_init("en");
	if (tls_init() < 0)
		return 1;
	RUN(sha256_matches);
	RUN(microsoft_thumbprints);
	RUN(self_signed_cas);
	RUN(fingerprint_of_set);
	RUN(ca_file_replaces);
	RUN(clock_check);
	T_DONE();
}
