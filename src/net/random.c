/*
 * Random numbers for the layers above: backoff jitter (ms/) and the
 * random UUIDs of request ids and case ids (ms/, case/). From mbedTLS's
 * PSA generator, seeded from getrandom(2) only (net/entropy.c).
 *
 * PSA's generator is process-wide; with MBEDTLS_THREADING_C it has its
 * own lock. Ours as well: if the library were ever built without
 * threading, worker threads would at least never call it at once.
 */
#include <pthread.h>

#include <psa/crypto.h>

#include "net/net.h"

static pthread_mutex_t rng_mu = PTHREAD_MUTEX_INITIALIZER;

static psa_status_t random_bytes(unsigned char *b, size_t n)
{
	pthread_mutex_lock(&rng_mu);
	psa_status_t st = psa_generate_random(b, n);
	pthread_mutex_unlock(&rng_mu);
	return st;
}

uint32_t net_random32(void)
{
	unsigned char b[4] = { 0 };
	if (tls_init() < 0 || random_bytes(b, sizeof b) != PSA_SUCCESS) {
		/* Only jitter depends on this: a fixed value makes the
		 * backoff deterministic, never wrong. */
		err_clear();
		return 0x9e3779b9u;
	}
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

int net_uuid4(char out[37])
{
	unsigned char b[16];
	static const char x[] = "0123456789abcdef";
	if (tls_init() < 0)
		return -1;
	if (random_bytes(b, sizeof b) != PSA_SUCCESS)
		return err_set(E_NET_RANDOM);
	/* RFC 9562 §5.4: version 4 in the high nibble of octet 6, variant
	 * 10x in the high bits of octet 8. */
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	size_t k = 0;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[k++] = '-';
		out[k++] = x[b[i] >> 4];
		out[k++] = x[b[i] & 15];
	}
	out[k] = 0;
	return 0;
}
