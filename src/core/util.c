#include <stdlib.h>
#include <string.h>

#include "core/core.h"

char *xstrdup(const char *s)
{
	char *d = strdup(s ? s : "");
	if (!d)
		err_set(E_NOMEM);
	return d;
}

void mem_wipe(void *p, size_t n)
{
	/* A volatile function pointer keeps the compiler from proving the
	 * stores dead and dropping them (explicit_bzero is not C11). */
	static void *(*const volatile set)(void *, int, size_t) = memset;
	set(p, 0, n);
}

int guid_ok(const char *s)
{
	static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
	if (!s || strlen(s) != sizeof shape - 1)
		return 0;
	for (size_t i = 0; shape[i]; i++) {
		char c = s[i];
		int hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
		if (shape[i] == '-' ? c != '-' : !hex)
			return 0;
	}
	return 1;
}

int mem_ct_cmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	unsigned char d = 0;
	for (size_t i = 0; i < n; i++)
		d |= x[i] ^ y[i];
	return d;
}
