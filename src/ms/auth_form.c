/*
 * application/x-www-form-urlencoded bodies for the token endpoint, and
 * the same encoding for query strings (the admin-consent URL). WHATWG
 * URL Standard §5.2 "application/x-www-form-urlencoded serializing":
 * ASCII alphanumerics and *-._ stay, space becomes '+', every other byte
 * is %XX. Percent-encoding is not cryptography: written here.
 */
#include <stdlib.h>
#include <string.h>

#include "ms/ms.h"

int auth_form_enc(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		unsigned char c = *p;
		char e[3];
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '*' || c == '-' || c == '.' || c == '_') {
			if (buf_append(b, p, 1) < 0)
				return -1;
		} else if (c == ' ') {
			if (buf_append(b, "+", 1) < 0)
				return -1;
		} else {
			e[0] = '%';
			e[1] = hex[c >> 4];
			e[2] = hex[c & 15];
			if (buf_append(b, e, 3) < 0)
				return -1;
		}
	}
	return 0;
}

/* Appends "&name=value" ("name=value" first). A body holding a secret is
 * wiped by its owner with buf_wipe; growth reallocates, so a secret is
 * only ever added once the buffer is sized (auth_buf_reserve). */
int auth_form_add(struct buf *b, const char *name, const char *value)
{
	if ((b->len && buf_append(b, "&", 1) < 0) || auth_form_enc(b, name) < 0 ||
	    buf_append(b, "=", 1) < 0 || auth_form_enc(b, value) < 0)
		return -1;
	return 0;
}

/* buf_append grows by realloc, which leaves the old block unwiped in the
 * heap: a form that will carry a secret is given its full size first. */
int auth_buf_reserve(struct buf *b, size_t n)
{
	size_t len = b->len;
	char *z = NULL;
	if (b->cap >= len + n + 1)
		return 0;
	/* Grow once through buf_append of zeroes, then drop them. */
	z = calloc(1, n);
	if (!z)
		return err_set(E_NOMEM);
	int r = buf_append(b, z, n);
	free(z);
	b->len = len;
	if (b->p)
		b->p[len] = 0;
	return r;
}
