/*
 * URLs: the subset of RFC 3986 an HTTPS client needs, parsed exactly or
 * refused. Hosts are lower-cased names of letters, digits, '-', '.', '_',
 * IPv4 literals, or IPv6 literals in brackets (zone ids refused: they mean
 * nothing to a remote server). The fragment is dropped (RFC 9110 §4.2.4:
 * never sent). Percent-escapes are kept as they are in the path; in
 * user:password they are decoded (a proxy password may hold '@' or ':').
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/net.h"

#define URL_MAX 8192

static int bad(enum msg_id why)
{
	return err_set(E_URL_BAD, tr(why));
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decodes %XX into out; refuses controls once decoded (header injection
 * in Proxy-Authorization is not possible anyway: it is base64, but a NUL
 * would cut the string). */
static int pct_decode(const char *s, size_t n, char *out, size_t outsz)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)s[i];
		if (c == '%') {
			if (i + 2 >= n)
				return -1;
			int a = hexval((unsigned char)s[i + 1]), b = hexval((unsigned char)s[i + 2]);
			if (a < 0 || b < 0)
				return -1;
			c = a * 16 + b;
			i += 2;
		}
		if (c < 0x20 || c == 0x7f)
			return -1;
		if (k + 1 >= outsz)
			return -1;
		out[k++] = (char)c;
	}
	out[k] = 0;
	return 0;
}

int url_ip_literal(const char *host, unsigned char addr[16])
{
	unsigned char tmp[16];
	unsigned char *a = addr ? addr : tmp;
	if (inet_pton(AF_INET, host, a) == 1)
		return 4;
	if (inet_pton(AF_INET6, host, a) == 1)
		return 6;
	return 0;
}

static int host_ok(const char *h, size_t n)
{
	if (n == 0 || n > 253)
		return 0;
	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)h[i];
		if (!isalnum(c) && c != '-' && c != '.' && c != '_')
			return 0;
	}
	return 1;
}

void url_hostport(const char *host, uint16_t port, char *out, size_t n)
{
	if (strchr(host, ':'))
		snprintf(out, n, "[%s]:%u", host, (unsigned)port);
	else
		snprintf(out, n, "%s:%u", host, (unsigned)port);
}

int url_parse(struct url *u, const char *s)
{
	memset(u, 0, sizeof *u);
	size_t len = strnlen(s, URL_MAX + 1);
	if (len > URL_MAX)
		return bad(M_URL_LONG);
	/* Only visible ASCII: spaces, controls and raw UTF-8 must be
	 * percent-encoded by whoever built the URL. */
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= 0x20 || c >= 0x7f)
			return bad(M_URL_CHARS);
	}
	const char *p = strstr(s, "://");
	if (!p || p - s >= (ptrdiff_t)sizeof u->scheme)
		return bad(M_URL_SCHEME);
	for (const char *q = s; q < p; q++)
		u->scheme[q - s] = (char)tolower((unsigned char)*q);
	if (strcmp(u->scheme, "https") && strcmp(u->scheme, "http"))
		return bad(M_URL_SCHEME);
	p += 3;

	size_t alen = strcspn(p, "/?#");
	const char *auth = p, *aend = p + alen;
	const char *at = memchr(auth, '@', alen);
	if (at) {
		/* Two '@' make the split ambiguous: refuse, as a crafted
		 * "https://a@evil@good" reads differently to different parsers. */
		if (memchr(at + 1, '@', (size_t)(aend - at - 1)))
			return bad(M_URL_USERINFO);
		const char *colon = memchr(auth, ':', (size_t)(at - auth));
		const char *uend = colon ? colon : at;
		if (pct_decode(auth, (size_t)(uend - auth), u->user, sizeof u->user) < 0)
			return bad(M_URL_USERINFO);
		if (colon && pct_decode(colon + 1, (size_t)(at - colon - 1), u->pass, sizeof u->pass) < 0)
			return bad(M_URL_USERINFO);
		auth = at + 1;
	}

	const char *hend, *portp = NULL;
	if (*auth == '[') {
		const char *rb = memchr(auth, ']', (size_t)(aend - auth));
		if (!rb || (size_t)(rb - auth - 1) >= sizeof u->host)
			return bad(M_URL_HOST);
		memcpy(u->host, auth + 1, (size_t)(rb - auth - 1));
		if (url_ip_literal(u->host, NULL) != 6)
			return bad(M_URL_HOST);
		hend = rb + 1;
		if (hend < aend) {
			if (*hend != ':')
				return bad(M_URL_HOST);
			portp = hend + 1;
		}
	} else {
		const char *colon = memchr(auth, ':', (size_t)(aend - auth));
		hend = colon ? colon : aend;
		if (!host_ok(auth, (size_t)(hend - auth)))
			return bad(M_URL_HOST);
		for (const char *q = auth; q < hend; q++)
			u->host[q - auth] = (char)tolower((unsigned char)*q);
		if (colon)
			portp = colon + 1;
	}
	/* A trailing dot names the same host; drop it so that comparisons
	 * (redirects, no_proxy, certificate names) see one spelling. */
	size_t hl = strlen(u->host);
	if (hl > 1 && u->host[hl - 1] == '.' && !strchr(u->host, ':'))
		u->host[hl - 1] = 0;
	if (!u->host[0] || u->host[0] == '.')
		return bad(M_URL_HOST);
	/* A name whose last label starts with a digit is not a DNS name (no
	 * TLD is numeric) but a shorthand IPv4 ("127.1", "0x7f.1") that the
	 * resolver would expand: accept only the dotted-quad form, so that
	 * policy and no_proxy checks see the address that is connected to. */
	if (!strchr(u->host, ':')) {
		const char *last = strrchr(u->host, '.');
		last = last ? last + 1 : u->host;
		if (isdigit((unsigned char)*last) && url_ip_literal(u->host, NULL) != 4)
			return bad(M_URL_HOST);
	}

	if (portp) {
		unsigned long v = 0;
		if (portp == aend || aend - portp > 5)
			return bad(M_URL_PORT);
		for (const char *q = portp; q < aend; q++) {
			if (!isdigit((unsigned char)*q))
				return bad(M_URL_PORT);
			v = v * 10 + (unsigned long)(*q - '0');
		}
		if (v == 0 || v > 65535)
			return bad(M_URL_PORT);
		u->port = (uint16_t)v;
	} else {
		u->port = strcmp(u->scheme, "https") ? 80 : 443;
	}

	size_t plen = strcspn(aend, "#");
	u->path = malloc(plen + 2);
	if (!u->path)
		return err_set(E_NOMEM);
	if (*aend != '/') {
		u->path[0] = '/';
		memcpy(u->path + 1, aend, plen);
		u->path[plen + 1] = 0;
	} else {
		memcpy(u->path, aend, plen);
		u->path[plen] = 0;
	}
	return 0;
}

void url_free(struct url *u)
{
	free(u->path);
	u->path = NULL;
	mem_wipe(u->pass, sizeof u->pass);
}

/* Location values are URI-references (RFC 9110 §10.2.2), resolved as
 * RFC 3986 §5.2 says; dot segments are left to the server, which sees
 * the same path a browser would send. */
char *url_resolve(const struct url *base, const char *loc)
{
	struct buf b = { 0 };
	char hp[300];
	size_t n = strnlen(loc, URL_MAX + 1);
	if (n == 0 || n > URL_MAX) {
		bad(M_URL_LONG);
		return NULL;
	}
	if (strstr(loc, "://") && strcspn(loc, ":") < strcspn(loc, "/?#")) {
		if (buf_puts(&b, loc) < 0)
			return NULL;
		return b.p;
	}
	/* Authority as the client would write it: default port left out. */
	if (base->port == (strcmp(base->scheme, "https") ? 80 : 443))
		snprintf(hp, sizeof hp, strchr(base->host, ':') ? "[%s]" : "%s", base->host);
	else
		url_hostport(base->host, base->port, hp, sizeof hp);
	int r;
	if (loc[0] == '/' && loc[1] == '/')
		r = buf_printf(&b, "%s:%s", base->scheme, loc);
	else if (loc[0] == '/')
		r = buf_printf(&b, "%s://%s%s", base->scheme, hp, loc);
	else if (loc[0] == '?') {
		size_t pl = strcspn(base->path, "?");
		r = buf_printf(&b, "%s://%s%.*s%s", base->scheme, hp, (int)pl, base->path, loc);
	} else {
		/* Merge with the base path up to its last '/' (RFC 3986 §5.2.3). */
		size_t pl = strcspn(base->path, "?");
		while (pl > 0 && base->path[pl - 1] != '/')
			pl--;
		r = buf_printf(&b, "%s://%s%.*s%s", base->scheme, hp, (int)pl, base->path, loc);
	}
	if (r < 0) {
		buf_free(&b);
		return NULL;
	}
	return b.p;
}

/* RFC 3986 §3.4: a query is pchar / "/" / "?", and pchar takes the
 * sub-delims, ":" and "@" literally. Within a "name=value&…" query, a
 * value must still escape what splits or decodes it: '&', '=', '+'
 * (read as a space by form decoders), '#' (ends the query), '%', and
 * ';' (a separator for some servers); then spaces, controls and every
 * non-ASCII byte. What stays literal is what OData's URL grammar
 * (OData 4.01 ABNF: SQUOTE = "'" / "%27", AT = "@" / "%40", COMMA,
 * COLON, OPEN, CLOSE likewise) reads the same encoded or not, so Graph
 * parses "$filter=upn eq 'a@b'" and its %27/%40 form alike; the literal
 * form keeps requests.jsonl readable. A quote inside an OData string is
 * doubled ('') by whoever writes the filter: %27 would not escape it,
 * the server decodes it before parsing. */
int url_query_enc(struct buf *b, const char *v)
{
	for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
		int keep = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			   (*p >= '0' && *p <= '9') || strchr("-._~,'()$:@/", *p);
		if ((keep ? buf_append(b, p, 1) : buf_printf(b, "%%%02X", *p)) < 0)
			return -1;
	}
	return 0;
}
