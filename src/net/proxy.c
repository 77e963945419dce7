/*
 * Proxies: which one to use (https_proxy, no_proxy, --proxy), and the
 * HTTP CONNECT that opens a tunnel through it (RFC 9110 §9.3.6). Only
 * http:// proxies: the tunnel carries our own TLS end to end, so the
 * proxy sees the origin's name and port, never a byte in clear.
 * The proxy's credentials go only into Proxy-Authorization; messages name
 * the proxy by host:port, never by its URL.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include <mbedtls/base64.h>

#include "net/net.h"

/* ---- no_proxy ------------------------------------------------------------- */

static int cidr_match(const char *entry, size_t n, const char *host)
{
	char addr[64];
	unsigned char net[16], ip[16];
	const char *slash = memchr(entry, '/', n);
	size_t alen = (size_t)(slash - entry);
	if (alen >= sizeof addr)
		return 0;
	memcpy(addr, entry, alen);
	addr[alen] = 0;
	int fam = url_ip_literal(addr, net);
	if (!fam || url_ip_literal(host, ip) != fam)
		return 0;
	char *end;
	char pfx[8];
	size_t plen = n - alen - 1;
	if (plen == 0 || plen >= sizeof pfx)
		return 0;
	memcpy(pfx, slash + 1, plen);
	pfx[plen] = 0;
	long bits = strtol(pfx, &end, 10);
	int max = fam == 4 ? 32 : 128;
	if (*end || bits < 0 || bits > max)
		return 0;
	for (long i = 0; i < bits; i++) {
		int byte = (int)(i / 8), mask = 0x80 >> (i % 8);
		if ((net[byte] & mask) != (ip[byte] & mask))
			return 0;
	}
	return 1;
}

static int name_match(const char *entry, size_t n, const char *host)
{
	while (n && *entry == '.') {
		entry++;
		n--;
	}
	while (n && entry[n - 1] == '.')
		n--;
	if (!n)
		return 0;
	size_t hl = strlen(host);
	unsigned char a[16], b[16];
	char tmp[256];
	if (n < sizeof tmp) {
		memcpy(tmp, entry, n);
		tmp[n] = 0;
		int fam = url_ip_literal(tmp, a);
		if (fam)
			return url_ip_literal(host, b) == fam && !memcmp(a, b, fam == 4 ? 4 : 16);
	}
	if (hl == n)
		return !strncasecmp(host, entry, n);
	/* "example.com" covers "a.example.com", never "badexample.com". */
	return hl > n && host[hl - n - 1] == '.' && !strncasecmp(host + hl - n, entry, n);
}

static int entry_match(const char *e, size_t n, const char *host, uint16_t port)
{
	if (n == 1 && *e == '*')
		return 1;
	/* A port: "[v6]:443" or "name:443" (one colon); a bare IPv6 literal
	 * has two or more colons and no port. */
	const char *colon = NULL;
	size_t ncolon = 0;
	for (size_t i = 0; i < n; i++)
		if (e[i] == ':') {
			ncolon++;
			colon = e + i;
		}
	if (n && *e == '[') {
		const char *rb = memchr(e, ']', n);
		if (!rb)
			return 0;
		if ((size_t)(rb - e) + 1 < n) {
			if (rb[1] != ':')
				return 0;
			colon = rb + 1;
		} else {
			colon = NULL;
		}
		size_t hl = (size_t)(rb - e - 1);
		if (colon && (unsigned)atoi(colon + 1) != port)
			return 0;
		return memchr(e + 1, '/', hl) ? cidr_match(e + 1, hl, host) : name_match(e + 1, hl, host);
	}
	if (ncolon == 1) {
		char ps[8];
		size_t pl = n - (size_t)(colon - e) - 1;
		if (pl == 0 || pl >= sizeof ps)
			return 0;
		memcpy(ps, colon + 1, pl);
		ps[pl] = 0;
		if (strspn(ps, "0123456789") != pl || (unsigned)atoi(ps) != port)
			return 0;
		n = (size_t)(colon - e);
	}
	if (memchr(e, '/', n))
		return cidr_match(e, n, host);
	return name_match(e, n, host);
}

int proxy_no_proxy_match(const char *rules, const char *host, uint16_t port)
{
	if (!rules)
		return 0;
	const char *p = rules;
	while (*p) {
		p += strspn(p, ", \t");
		size_t n = strcspn(p, ", \t");
		if (n && entry_match(p, n, host, port))
			return 1;
		p += n;
	}
	return 0;
}

static const char *env2(const char *a, const char *b)
{
	const char *v = getenv(a);
	return v ? v : getenv(b);
}

const char *proxy_for(const char *opt, const char *host, uint16_t port)
{
	/* Lower case first, as curl reads them; --proxy wins over both. */
	const char *p = opt && *opt ? opt : env2("https_proxy", "HTTPS_PROXY");
	if (!p || !*p)
		return NULL;
	if (proxy_no_proxy_match(env2("no_proxy", "NO_PROXY"), host, port))
		return NULL;
	return p;
}

int proxy_url(struct url *pu, const char *via)
{
	/* "proxy.corp:3128", as many hosts set https_proxy, means http://
	 * (curl reads it so too). */
	char *full = NULL;
	if (!strstr(via, "://")) {
		struct buf b = { 0 };
		if (buf_printf(&b, "http://%s", via) < 0)
			return -1;
		full = b.p;
	}
	int bad = url_parse(pu, full ? full : via) < 0;
	if (full) {
		mem_wipe(full, strlen(full));
		free(full);
	}
	return bad ? err_context(E_PROXY_URL) : 0;
}

static int add_port(uint16_t *ports, size_t *n, size_t max, uint16_t p)
{
	for (size_t i = 0; i < *n; i++)
		if (ports[i] == p)
			return 0;
	if (*n >= max)
		return err_set(E_PROXY_PORTS, max);
	ports[(*n)++] = p;
	return 0;
}

int proxy_ports(const char *opt, const char *const *urls, size_t nurls, uint16_t *ports,
		size_t max)
{
	size_t n = 0;
	/* A resolver retries a truncated answer over TCP (RFC 7766). */
	if (add_port(ports, &n, max, 53) < 0)
		return -1;
	for (size_t i = 0; i < nurls; i++) {
		struct url u, pu;
		int r;
		if (!urls[i] || !*urls[i])
			continue;
		if (url_parse(&u, urls[i]) < 0)
			return -1;
		const char *via = proxy_for(opt, u.host, u.port);
		if (!via) {
			r = add_port(ports, &n, max, u.port);
		} else if ((r = proxy_url(&pu, via)) == 0) {
			r = add_port(ports, &n, max, pu.port);
			url_free(&pu);
		}
		url_free(&u);
		if (r < 0)
			return -1;
	}
	return (int)n;
}

/* ---- CONNECT ------------------------------------------------------------- */

static int send_all(int fd, const char *s, size_t n, const char *label,
		    int64_t deadline, int idle_ms)
{
	while (n) {
		int64_t dl = net_mono_ms() + idle_ms;
		int w = sock_wait(fd, POLLOUT, deadline && deadline < dl ? deadline : dl);
		if (w == 1)
			return err_set(E_NET_TIMEOUT, label, tr(M_TO_IDLE), idle_ms);
		if (w < 0)
			return err_set(E_NET_IO, label, strerror(errno));
		ssize_t k = send(fd, s, n, MSG_NOSIGNAL);
		if (k < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (k < 0)
			return err_set(errno == ECONNRESET || errno == EPIPE ? E_NET_RESET : E_NET_IO,
				       label, strerror(errno));
		s += k;
		n -= (size_t)k;
	}
	return 0;
}

int proxy_connect(int fd, const struct url *proxy, const char *host, uint16_t port,
		  int64_t deadline, int idle_ms)
{
	char plabel[300], target[300];
	struct buf req = { 0 };
	struct http_parser hp;
	int rc = -1;

	url_hostport(proxy->host, proxy->port, plabel, sizeof plabel);
	url_hostport(host, port, target, sizeof target);
	if (buf_printf(&req, "CONNECT %s HTTP/1.1\r\nHost: %s\r\n", target, target) < 0)
		return -1;
	if (proxy->user[0]) {
		/* RFC 7617: Basic credentials are base64("user:pass"). */
		unsigned char cred[260], b64[360];
		size_t cl = (size_t)snprintf((char *)cred, sizeof cred, "%s:%s", proxy->user, proxy->pass);
		size_t olen = 0;
		int e = cl >= sizeof cred ||
			mbedtls_base64_encode(b64, sizeof b64, &olen, cred, cl) != 0;
		mem_wipe(cred, sizeof cred);
		if (!e)
			e = buf_printf(&req, "Proxy-Authorization: Basic %s\r\n", (char *)b64) < 0;
		mem_wipe(b64, sizeof b64);
		if (e) {
			buf_wipe(&req);
			return err_set(E_PROXY_REPLY, plabel);
		}
	}
	if (buf_puts(&req, "\r\n") < 0 ||
	    send_all(fd, req.p, req.len, plabel, deadline, idle_ms) < 0) {
		buf_wipe(&req);
		return -1;
	}
	buf_wipe(&req);

	/* One byte at a time: the reply is short, and whatever follows its
	 * blank line belongs to the tunnel, so nothing may be read past it. */
	http_parser_init(&hp, plabel, HTTP_LIMITS_DEFAULT);
	hp.connect = 1;
	for (;;) {
		char c;
		size_t used;
		int64_t dl = net_mono_ms() + idle_ms;
		int w = sock_wait(fd, POLLIN, deadline && deadline < dl ? deadline : dl);
		if (w == 1) {
			err_set(E_NET_TIMEOUT, plabel, tr(M_TO_IDLE), idle_ms);
			goto out;
		}
		ssize_t k = w < 0 ? -1 : recv(fd, &c, 1, 0);
		if (k < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (k < 0) {
			err_set(errno == ECONNRESET ? E_NET_RESET : E_NET_IO, plabel, strerror(errno));
			goto out;
		}
		if (k == 0) {
			err_set(E_PROXY_REPLY, plabel);
			goto out;
		}
		int r = http_parser_feed(&hp, &c, 1, &used);
		if (r < 0) {
			err_set(E_PROXY_REPLY, plabel);
			goto out;
		}
		if (r == HP_HEAD || r == HP_DONE)
			break;
	}
	/* 407 is the answer (RFC 9110 §15.5.8); some proxies (tinyproxy
	 * 1.11 on wrong credentials) say 401 instead: same meaning here. */
	if (hp.status == 407 || hp.status == 401)
		err_set(E_PROXY_AUTH, plabel, hp.status);
	else if (hp.status < 200 || hp.status > 299)
		err_set(E_PROXY_REFUSED, plabel, target, hp.status);
	else
		rc = 0;
out:
	http_parser_free(&hp);
	return rc;
}
