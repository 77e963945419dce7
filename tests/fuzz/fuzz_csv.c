/* libFuzzer harness for the streaming CSV reader (core/csv.c), not part
 * of make test (make fuzz builds and runs it). The input is read twice,
 * in chunks of 1 and of 7 bytes (the first byte chooses the separator
 * or lets it be guessed), under small limits: the same rows must come
 * out both ways (chunk boundaries inside a CRLF, a doubled quote or the
 * BOM change nothing), each field within the limit and NUL-terminated. */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

struct src {
	const uint8_t *p;
	size_t n, pos, chunk;
};

static int rd(void *ctx, char *buf, size_t n)
{
	struct src *s = ctx;
	size_t k = s->n - s->pos;
	if (k > s->chunk)
		k = s->chunk;
	if (k > n)
		k = n;
	memcpy(buf, s->p + s->pos, k);
	s->pos += k;
	return (int)k;
}

/* All rows as "line|len:field|…\n"; -1 on a refused input. */
static int rows(const uint8_t *p, size_t n, size_t chunk, char sep, struct buf *out)
{
	struct src s = { p, n, 0, chunk };
	struct csv c;
	int r;
	csv_init(&c, rd, &s, sep, (struct csv_limits){ 512, 32 });
	while ((r = csv_next(&c)) == 1) {
		buf_printf(out, "%llu", (unsigned long long)c.row_line);
		for (size_t i = 0; i < csv_nfields(&c); i++) {
			size_t len;
			const char *f = csv_field(&c, i, &len);
			if (len > 512 || f[len] != 0)
				abort();
			buf_printf(out, "|%zu:", len);
			buf_append(out, f, len);
		}
		buf_puts(out, "\n");
	}
	csv_free(&c);
	return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	static const char seps[4] = { 0, ',', ';', '\t' };
	char sep = seps[data[0] & 3];
	struct buf a = { 0 }, b = { 0 };
	int ra = rows(data + 1, size - 1, 1, sep, &a);
	int rb = rows(data + 1, size - 1, 7, sep, &b);
	if (ra != rb || (ra == 0 && (a.len != b.len || (a.len && memcmp(a.p, b.p, a.len)))))
		abort();
	buf_free(&a);
	buf_free(&b);
	err_clear();
	return 0;
}
