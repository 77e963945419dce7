/* AES-GCM as TLS 1.3 uses it: whole 16 KB records decrypted through
 * mbedtls_gcm_auth_decrypt, with the build's own mbedTLS configuration
 * (AES-NI / ARMv8 CE when the CPU has them). bench/fetch.sh prints it
 * next to OpenSSL's figure for the same work: the gap between the two is
 * what keeps a 10 MB fetch slower than curl's. Asserts nothing.
 * usage: gcm_bench [MB] */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <mbedtls/gcm.h>

#define REC 16384

static int64_t mono_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

static unsigned char pt[REC], ct[REC], out[REC];

static int run(unsigned bits, int mb)
{
	mbedtls_gcm_context g;
	unsigned char key[32] = { 7 }, iv[12] = { 1 }, ad[5] = { 23, 3, 3 }, tag[16];
	int nrec = mb * (1 << 20) / REC;

	mbedtls_gcm_init(&g);
	if (mbedtls_gcm_setkey(&g, MBEDTLS_CIPHER_ID_AES, key, bits) != 0 ||
	    mbedtls_gcm_crypt_and_tag(&g, MBEDTLS_GCM_ENCRYPT, REC, iv, sizeof iv, ad, sizeof ad,
				      pt, ct, sizeof tag, tag) != 0) {
		mbedtls_gcm_free(&g);
		return -1;
	}
	int64_t t0 = mono_us();
	for (int i = 0; i < nrec; i++)
		if (mbedtls_gcm_auth_decrypt(&g, REC, iv, sizeof iv, ad, sizeof ad, tag, sizeof tag, ct, out) != 0) {
			mbedtls_gcm_free(&g);
			return -1;
		}
	int64_t us = mono_us() - t0;
	mbedtls_gcm_free(&g);
	printf("  mbedTLS AES-%u-GCM decrypt, %d MB in 16 KB records: %.1f ms, %.0f MB/s\n",
	       bits, mb, (double)us / 1000.0, us ? mb * 1e6 / (double)us : 0.0);
	return 0;
}

int main(int argc, char **argv)
{
	int mb = argc > 1 ? atoi(argv[1]) : 100;
	if (mb < 1 || mb > 10000) {
		fprintf(stderr, "usage: %s [MB: 1-10000]\n", argv[0]);
		return 2;
	}
	if (run(128, mb) < 0 || run(256, mb) < 0) {
		fprintf(stderr, "gcm_bench: mbedTLS refused the key or the record\n");
		return 3;
	}
	return 0;
}
