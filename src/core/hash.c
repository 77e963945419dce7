/*
 * SHA-256 as the case folder writes it: lower-case hex, the form
 * sha256sum prints and manifest.sha256 and the logbook chain carry.
 * Through mbedTLS, like every hash in the tree.
 */
#include <mbedtls/sha256.h>

#include "core/core.h"

void hash_hex(const unsigned char *d, size_t n, char *out)
{
	static const char x[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = x[d[i] >> 4];
		out[2 * i + 1] = x[d[i] & 15];
	}
	out[2 * n] = 0;
}

int hash_sha256_hex(const void *data, size_t n, char out[65])
{
	unsigned char d[32];
	if (mbedtls_sha256(data, n, d, 0) != 0)
		return err_set(E_HASH);
	hash_hex(d, sizeof d, out);
	return 0;
}
