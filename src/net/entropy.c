/*
 * The one entropy source of mbedTLS here: the kernel's getrandom(2).
 * mbedTLS's own getrandom path is compiled only under glibc
 * (library/entropy_poll.c tests __GLIBC__); under musl it would read
 * /dev/urandom through fopen, which a chroot or a hostile host can
 * replace. vendor/mbedtls_config.h sets MBEDTLS_NO_PLATFORM_ENTROPY and
 * MBEDTLS_ENTROPY_HARDWARE_ALT, so this function is the only source.
 */
#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <mbedtls/entropy.h>

/* Prototype from mbedTLS's library/entropy_poll.h (not installed);
 * tls.c calls it once at start-up, which keeps this file linked. */
int mbedtls_hardware_poll(void *data, unsigned char *output, size_t len, size_t *olen);

int mbedtls_hardware_poll(void *data, unsigned char *output, size_t len, size_t *olen)
{
	(void)data;
	*olen = 0;
	while (*olen < len) {
		/* Blocks only until the pool is first initialised, which is
		 * what we want (getrandom(2), flags 0). */
		long k = syscall(SYS_getrandom, output + *olen, len - *olen, 0);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return MBEDTLS_ERR_ENTROPY_SOURCE_FAILED;
		*olen += (size_t)k;
	}
	return 0;
}
