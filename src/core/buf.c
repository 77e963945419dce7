#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

static int grow(struct buf *b, size_t need)
{
	if (b->max && need > b->max)
		return err_set(E_TOO_LARGE, "buffer", b->max);
	if (need + 1 <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need + 1) {
		if (cap > SIZE_MAX / 2)
			return err_set(E_NOMEM);
		cap *= 2;
	}
	char *p = realloc(b->p, cap);
	if (!p)
		return err_set(E_NOMEM);
	b->p = p;
	b->cap = cap;
	return 0;
}

int buf_append(struct buf *b, const void *data, size_t n)
{
	if (n > SIZE_MAX - b->len - 1)
		return err_set(E_NOMEM);
	if (grow(b, b->len + n) < 0)
		return -1;
	if (n)
		memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = 0;
	return 0;
}

int buf_puts(struct buf *b, const char *s) { return buf_append(b, s, strlen(s)); }

int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return err_set(E_NOMEM);
	if (grow(b, b->len + (size_t)n) < 0)
		return -1;
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return r;
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = 0;
}

void buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

void buf_wipe(struct buf *b)
{
	if (b->p)
		mem_wipe(b->p, b->cap);
	buf_free(b);
}

/* Windows-1252 0x80..0x9F (the rest of the high half is Latin-1, the
 * same code points as Unicode); the five holes as U+FFFD. Source:
 * unicode.org MAPPINGS/VENDORS/MICSFT/WINDOWS/CP1252.TXT. */
static const unsigned short cp1252[32] = {
	0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
	0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
};

int buf_from_cp1252(struct buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned c = (unsigned char)s[i];
		char u[3];
		size_t k;
		if (c < 0x80) {
			u[0] = (char)c;
			k = 1;
		} else {
			if (c < 0xA0)
				c = cp1252[c - 0x80];
			if (c < 0x800) {
				u[0] = (char)(0xC0 | c >> 6);
				u[1] = (char)(0x80 | (c & 0x3F));
				k = 2;
			} else {
				u[0] = (char)(0xE0 | c >> 12);
				u[1] = (char)(0x80 | (c >> 6 & 0x3F));
				u[2] = (char)(0x80 | (c & 0x3F));
				k = 3;
			}
		}
		if (buf_append(out, u, k) < 0)
			return -1;
	}
	return 0;
}
