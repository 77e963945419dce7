/*
 * vfprintf for the release build, in place of musl's: the same output for
 * every conversion reflexe writes (d i u x X o c s p %, flags - 0 + space,
 * width and precision, * for either, lengths hh h l ll z j t), and %f with
 * doubles only. musl's formats floating point through long double, which
 * on aarch64 is a 128-bit type done in software: its printf brought 15 KB
 * (fmt_fp, __addtf3, __subtf3, __multf3…) for the few "%.1f" of progress
 * and throttling lines. The release link names vfprintf first
 * (-Wl,-u,vfprintf), so musl's printf, fprintf, snprintf… all end here;
 * the sanitizer builds keep their libc's.
 *
 * Floating point: %f, %e, %g (the last two written as %f) with a precision
 * up to 9; magnitudes past 2^63 print their integer part approximately.
 * Nothing in reflexe prints such numbers; the limit is stated, not hidden.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct out {
	FILE *f;
	size_t n;        /* bytes asked to be written: the return value */
	int err;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (n && fwrite(s, 1, n, o->f) != n)
		o->err = 1;
	o->n += n;
}

static void pad(struct out *o, char c, int n)
{
	char b[32];
	memset(b, c, sizeof b);
	for (; n > 0; n -= (int)sizeof b)
		put(o, b, n < (int)sizeof b ? (size_t)n : sizeof b);
}

/* Digits of v in base (16: x, 17: X) into the end of buf; returns start. */
static char *digits(uintmax_t v, int base, char *end)
{
	const char *d = base == 17 ? "0123456789ABCDEF" : "0123456789abcdef";
	unsigned b = base == 17 ? 16 : (unsigned)base;
	do
		*--end = d[v % b];
	while (v /= b);
	return end;
}

/* One field: sign/prefix, zero padding to prec (integers) or width (flag
 * 0), the body, then padding on the left or right. */
static void field(struct out *o, const char *pre, const char *body, size_t len, int width, int prec_zeros,
		  int left, int zero)
{
	size_t pl = strlen(pre);
	int total = (int)(pl + len) + prec_zeros;
	int fill = width > total ? width - total : 0;
	if (!left && !zero)
		pad(o, ' ', fill);
	put(o, pre, pl);
	if (!left && zero)
		pad(o, '0', fill);
	pad(o, '0', prec_zeros);
	put(o, body, len);
	if (left)
		pad(o, ' ', fill);
}

static void fmt_double(struct out *o, double v, int prec, int width, const char *sign, int left, int zero)
{
	char buf[64], *end = buf + sizeof buf, *p = end;
	char pre[2] = { 0 };
	if (v != v) {
		field(o, "", "nan", 3, width, 0, left, 0);
		return;
	}
	if (v < 0 || (v == 0 && 1 / v < 0)) {
		pre[0] = '-';
		v = -v;
	} else if (*sign)
		pre[0] = *sign;
	if (v > 1.7e308) {
		field(o, pre, "inf", 3, width, 0, left, 0);
		return;
	}
	if (prec < 0)
		prec = 6;
	if (prec > 9)
		prec = 9;
	uint64_t scale = 1;
	for (int i = 0; i < prec; i++)
		scale *= 10;
	if (v * (double)scale < 9.2e18) {
		uint64_t r = (uint64_t)(v * (double)scale + 0.5);
		uint64_t ip = r / scale, fp = r % scale;
		for (int i = 0; i < prec; i++, fp /= 10)
			*--p = (char)('0' + fp % 10);
		if (prec)
			*--p = '.';
		p = digits(ip, 10, p);
	} else {
		/* past 2^63: the integer part, digit by digit (approximate),
		 * then as many zeros as the precision asks */
		for (int i = 0; i < prec; i++)
			*--p = '0';
		if (prec)
			*--p = '.';
		for (; v >= 1 && p > buf; v = floor(v / 10))
			*--p = (char)('0' + (int)fmod(v, 10));
	}
	field(o, pre, p, (size_t)(end - p), width, 0, left, zero);
}

int vfprintf(FILE *restrict f, const char *restrict fmt, va_list ap)
{
	struct out o = { f, 0, 0 };
	int saved_errno = errno;
	va_list a;
	va_copy(a, ap);
	for (const char *s = fmt; *s;) {
		const char *pct = strchr(s, '%');
		if (!pct) {
			put(&o, s, strlen(s));
			break;
		}
		put(&o, s, (size_t)(pct - s));
		s = pct + 1;
		int left = 0, zero = 0, width = 0, prec = -1;
		char sign[2] = { 0 };
		for (;; s++) {
			if (*s == '-')
				left = 1;
			else if (*s == '0')
				zero = 1;
			else if (*s == '+')
				sign[0] = '+';
			else if (*s == ' ') {
				if (!sign[0])
					sign[0] = ' ';
			} else if (*s != '#')
				break;
		}
		if (*s == '*') {
			width = va_arg(a, int);
			if (width < 0) {
				left = 1;
				width = -width;
			}
			s++;
		} else
			for (; *s >= '0' && *s <= '9'; s++)
				width = width * 10 + (*s - '0');
		if (*s == '.') {
			s++;
			prec = 0;
			if (*s == '*') {
				prec = va_arg(a, int);
				s++;
			} else
				for (; *s >= '0' && *s <= '9'; s++)
					prec = prec * 10 + (*s - '0');
		}
		int len = 0;   /* 1 h, 2 hh, 3 l, 4 ll, 5 z, 6 j, 7 t */
		if (s[0] == 'h' && s[1] == 'h') {
			len = 2;
			s += 2;
		} else if (s[0] == 'l' && s[1] == 'l') {
			len = 4;
			s += 2;
		} else if (*s && strchr("hlzjtL", *s)) {
			len = *s == 'h' ? 1 : *s == 'l' ? 3 : *s == 'z' ? 5 : *s == 'j' ? 6 : *s == 't' ? 7 : 0;
			s++;
		}
		char c = *s ? *s++ : 0;
		char buf[72], *end = buf + sizeof buf, *p;
		switch (c) {
		case 'd': case 'i': {
			intmax_t v = len == 4 || len == 6 ? va_arg(a, long long) : len == 3 ? va_arg(a, long) :
				     len == 5 || len == 7 ? (intmax_t)va_arg(a, ptrdiff_t) : va_arg(a, int);
			if (len == 1)
				v = (short)v;
			else if (len == 2)
				v = (signed char)v;
			uintmax_t u = v < 0 ? -(uintmax_t)v : (uintmax_t)v;
			char pre[2] = { v < 0 ? '-' : sign[0], 0 };
			p = prec == 0 && u == 0 ? end : digits(u, 10, end);
			int z = prec > end - p ? prec - (int)(end - p) : 0;
			field(&o, pre, p, (size_t)(end - p), width, z, left, zero && prec < 0);
			break;
		}
		case 'u': case 'x': case 'X': case 'o': case 'p': {
			uintmax_t u = c == 'p' ? (uintptr_t)va_arg(a, void *) :
				      len == 4 || len == 6 ? va_arg(a, unsigned long long) :
				      len == 3 ? va_arg(a, unsigned long) : len == 5 || len == 7 ? va_arg(a, size_t) :
				      va_arg(a, unsigned);
			if (len == 1)
				u = (unsigned short)u;
			else if (len == 2)
				u = (unsigned char)u;
			p = prec == 0 && u == 0 ? end :
			    digits(u, c == 'u' ? 10 : c == 'o' ? 8 : c == 'X' ? 17 : 16, end);
			int z = prec > end - p ? prec - (int)(end - p) : 0;
			field(&o, c == 'p' ? "0x" : "", p, (size_t)(end - p), width, z, left, zero && prec < 0);
			break;
		}
		case 'c':
			buf[0] = (char)va_arg(a, int);
			field(&o, "", buf, 1, width, 0, left, 0);
			break;
		case 's': case 'm': {
			const char *v = c == 'm' ? strerror(saved_errno) : va_arg(a, const char *);
			if (!v)
				v = "(null)";
			size_t n = prec >= 0 ? strnlen(v, (size_t)prec) : strlen(v);
			field(&o, "", v, n, width, 0, left, 0);
			break;
		}
		case 'f': case 'F': case 'e': case 'E': case 'g': case 'G':
			fmt_double(&o, va_arg(a, double), prec, width, sign, left, zero);
			break;
		case '%':
			put(&o, "%", 1);
			break;
		default:
			/* an unknown conversion (or %n): written as it stands */
			put(&o, pct, (size_t)(s - pct));
			break;
		}
	}
	va_end(a);
	if (o.err)
		return -1;
	return o.n > INT32_MAX ? (errno = EOVERFLOW, -1) : (int)o.n;
}
