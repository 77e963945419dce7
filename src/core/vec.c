/*
 * Growable arrays: the one doubling-realloc of the tree. An array is a
 * pointer, a count n and a room cap, kept by the caller:
 *   struct finding *f; size_t n, cap;
 *   if (VEC_GROW(f, n, cap) < 0) return -1;    room for f[n]
 *   f[n++] = x;
 * The pointer is read and written with memcpy, not through a void **
 * (C11 6.5p7: writing a T * through a void * lvalue is undefined).
 */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

int vec_grow(void *pv, size_t n, size_t *cap, size_t elsz)
{
	if (n < *cap)
		return 0;
	size_t c = *cap ? *cap : 8;
	while (c <= n) {
		if (c > SIZE_MAX / 2)
			return err_set(E_NOMEM);
		c *= 2;
	}
	if (elsz && c > SIZE_MAX / elsz)
		return err_set(E_NOMEM);
	void *v;
	memcpy(&v, pv, sizeof v);
	void *p = realloc(v, c * elsz);
	if (!p)
		return err_set(E_NOMEM);
	memcpy(pv, &p, sizeof p);
	*cap = c;
	return 0;
}

void *vec_push(void *pv, size_t *n, size_t *cap, size_t elsz)
{
	if (vec_grow(pv, *n, cap, elsz) < 0)
		return NULL;
	char *v;
	memcpy(&v, pv, sizeof v);
	char *e = v + *n * elsz;
	memset(e, 0, elsz);
	(*n)++;
	return e;
}
