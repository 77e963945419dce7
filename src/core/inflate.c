/*
 * A raw DEFLATE decoder (RFC 1951), for the message catalogue that the
 * build stores compressed (core/i18n.c): its French and English texts
 * are, after mbedTLS, the largest part of the binary, and deflate keeps a
 * third of them. Canonical Huffman codes are decoded a bit at a time by
 * counting codes per length (RFC 1951 §3.2.2): slower than table lookup,
 * and plenty for 100 KB once per run. Bounded: the output never passes
 * cap, every code and distance is checked, input running out is an error.
 */
#include <string.h>

#include "core/core.h"

struct st {
	const unsigned char *in;
	size_t n, pos;
	uint32_t bits;
	int nbits;
	unsigned char *out;
	size_t cap, len;
};

struct huff {
	short count[16];        /* codes of each length */
	short sym[288];         /* symbols, ordered by code */
};

/* k bits, first bit read in the lowest place (§3.1.1); -1 at the end. */
static long get(struct st *s, int k)
{
	while (s->nbits < k) {
		if (s->pos >= s->n)
			return -1;
		s->bits |= (uint32_t)s->in[s->pos++] << s->nbits;
		s->nbits += 8;
	}
	long v = (long)(s->bits & ((1u << k) - 1));
	s->bits >>= k;
	s->nbits -= k;
	return v;
}

/* Codes from lengths (§3.2.2); -1 when over-subscribed. An incomplete
 * code is accepted: a bit string that falls outside it fails decode(). */
static int build(struct huff *h, const unsigned char *len, int n)
{
	short off[16];
	memset(h->count, 0, sizeof h->count);
	for (int i = 0; i < n; i++)
		h->count[len[i]]++;
	int left = 1;
	for (int l = 1; l < 16; l++) {
		left = left * 2 - h->count[l];
		if (left < 0)
			return -1;
	}
	off[1] = 0;
	for (int l = 1; l < 15; l++)
		off[l + 1] = (short)(off[l] + h->count[l]);
	for (int i = 0; i < n; i++)
		if (len[i])
			h->sym[off[len[i]]++] = (short)i;
	return 0;
}

static int decode(struct st *s, const struct huff *h)
{
	int code = 0, first = 0, index = 0;
	for (int l = 1; l < 16; l++) {
		long b = get(s, 1);
		if (b < 0)
			return -1;
		code |= (int)b;
		int c = h->count[l];
		if (code - c < first)
			return h->sym[index + (code - first)];
		index += c;
		first = (first + c) << 1;
		code <<= 1;
	}
	return -1;
}

static const short lbase[29] = { 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35,
				 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258 };
static const unsigned char lext[29] = { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3,
					3, 4, 4, 4, 4, 5, 5, 5, 5, 0 };
static const unsigned short dbase[30] = { 1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129,
					  193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
					  6145, 8193, 12289, 16385, 24577 };
static const unsigned char dext[30] = { 0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8,
					8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13 };

static int codes(struct st *s, const struct huff *lit, const struct huff *dist)
{
	for (;;) {
		int sym = decode(s, lit);
		if (sym < 0)
			return -1;
		if (sym < 256) {
			if (s->len >= s->cap)
				return -1;
			s->out[s->len++] = (unsigned char)sym;
			continue;
		}
		if (sym == 256)
			return 0;
		sym -= 257;
		if (sym >= 29)
			return -1;
		long e = get(s, lext[sym]);
		int d = decode(s, dist);
		if (e < 0 || d < 0 || d >= 30)
			return -1;
		size_t n = (size_t)(lbase[sym] + e);
		long de = get(s, dext[d]);
		if (de < 0)
			return -1;
		size_t back = (size_t)(dbase[d] + de);
		if (back > s->len || n > s->cap - s->len)
			return -1;
		for (size_t i = 0; i < n; i++, s->len++)
			s->out[s->len] = s->out[s->len - back];
	}
}

static int fixed(struct st *s)
{
	struct huff lit, dist;
	unsigned char l[288];
	memset(l, 8, 144);
	memset(l + 144, 9, 112);
	memset(l + 256, 7, 24);
	memset(l + 280, 8, 8);
	build(&lit, l, 288);
	memset(l, 5, 30);
	build(&dist, l, 30);
	return codes(s, &lit, &dist);
}

static int dynamic(struct st *s)
{
	static const unsigned char order[19] = { 16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2,
						 14, 1, 15 };
	unsigned char l[320];
	struct huff lc, lit, dist;
	long nlit = get(s, 5), ndist = get(s, 5), ncl = get(s, 4);
	if (nlit < 0 || ndist < 0 || ncl < 0 || (nlit += 257) > 286 || (ndist += 1) > 30)
		return -1;
	memset(l, 0, sizeof l);
	for (long i = 0; i < ncl + 4; i++) {
		long v = get(s, 3);
		if (v < 0)
			return -1;
		l[order[i]] = (unsigned char)v;
	}
	if (build(&lc, l, 19) < 0)
		return -1;
	for (long i = 0; i < nlit + ndist;) {
		int sym = decode(s, &lc);
		if (sym < 0)
			return -1;
		if (sym < 16) {
			l[i++] = (unsigned char)sym;
			continue;
		}
		unsigned char v = 0;
		long rep;
		if (sym == 16) {
			if (!i)
				return -1;
			v = l[i - 1];
			rep = get(s, 2) + 3;
		} else {
			rep = sym == 17 ? get(s, 3) + 3 : get(s, 7) + 11;
		}
		if (rep < 3 || i + rep > nlit + ndist)
			return -1;
		while (rep--)
			l[i++] = v;
	}
	if (!l[256] || build(&lit, l, (int)nlit) < 0 || build(&dist, l + nlit, (int)ndist) < 0)
		return -1;
	return codes(s, &lit, &dist);
}

int inflate_raw(const void *in, size_t n, void *out, size_t cap, size_t *outlen)
{
	struct st s = { in, n, 0, 0, 0, out, cap, 0 };
	long last;
	do {
		long type;
		if ((last = get(&s, 1)) < 0 || (type = get(&s, 2)) < 0)
			return -1;
		int r;
		if (type == 0) {
			/* stored (§3.2.4): byte-aligned LEN, NLEN, then the bytes */
			s.bits = 0;
			s.nbits = 0;
			if (s.n - s.pos < 4)
				return -1;
			size_t len = s.in[s.pos] | (size_t)s.in[s.pos + 1] << 8;
			size_t nlen = s.in[s.pos + 2] | (size_t)s.in[s.pos + 3] << 8;
			s.pos += 4;
			if ((len ^ 0xffff) != nlen || len > s.n - s.pos || len > s.cap - s.len)
				return -1;
			memcpy(s.out + s.len, s.in + s.pos, len);
			s.pos += len;
			s.len += len;
			r = 0;
		} else if (type == 1) {
			r = fixed(&s);
		} else if (type == 2) {
			r = dynamic(&s);
		} else {
			r = -1;
		}
		if (r < 0)
			return -1;
	} while (!last);
	*outlen = s.len;
	return 0;
}
