/*
 * HTTP/1.1 response parser (RFC 9112). A push parser: bytes in, header
 * block and body bytes out, with every limit explicit. Strict on purpose:
 * what a proxy or a hostile server could make two parsers read
 * differently (bare CR or LF, obs-fold, Transfer-Encoding with
 * Content-Length, conflicting lengths) is an error, never a guess.
 */
#include <string.h>
#include <strings.h>

#include "net/net.h"

enum {
	ST_HEAD, ST_BODY_LEN, ST_CHUNK_SIZE, ST_CHUNK_DATA, ST_CHUNK_END,
	ST_TRAILER, ST_CLOSE, ST_DONE, ST_ERR,
};

#define CHUNK_LINE_MAX 4096  /* size line with its extensions */

void http_parser_init(struct http_parser *p, const char *label, struct http_limits lim)
{
	memset(p, 0, sizeof *p);
	p->label = label ? label : "";
	p->lim = lim;
	p->state = ST_HEAD;
	p->head.max = lim.head_bytes + 1;
	p->line.max = (lim.head_bytes > CHUNK_LINE_MAX ? lim.head_bytes : CHUNK_LINE_MAX) + 1;
}

void http_parser_free(struct http_parser *p)
{
	buf_free(&p->head);
	buf_free(&p->line);
}

static int fail(struct http_parser *p, enum msg_id id)
{
	p->state = ST_ERR;
	return err_set(id, p->label, (size_t)0);
}

/* RFC 9110 §5.6.2 tchar */
static int is_tchar(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* field-vchar, SP, HTAB and obs-text (RFC 9110 §5.5) */
static int is_field_char(int c)
{
	return c == '\t' || (c >= 0x20 && c != 0x7f);
}

/* Accumulates one CRLF-terminated line into p->line. 1: line complete,
 * 0: input exhausted, -1: error. Bare CR, bare LF and NUL are refused
 * here, for every kind of line. */
static int take_line(struct http_parser *p, const char *d, size_t n, size_t *i, size_t max)
{
	while (*i < n) {
		unsigned char c = (unsigned char)d[(*i)++];
		if (p->state == ST_HEAD || p->state == ST_TRAILER) {
			if (++p->head_total > p->lim.head_bytes) {
				p->state = ST_ERR;
				return err_set(E_HTTP_HEAD_SIZE, p->label, p->lim.head_bytes);
			}
		}
		if (p->cr) {
			p->cr = 0;
			if (c != '\n')
				return fail(p, E_HTTP_CTL);
			return 1;
		}
		if (c == '\r') {
			p->cr = 1;
			continue;
		}
		if (c == '\n' || c == 0)
			return fail(p, E_HTTP_CTL);
		if (p->line.len >= max) {
			if (p->state == ST_CHUNK_SIZE || p->state == ST_CHUNK_END)
				return fail(p, E_HTTP_CHUNK);
			p->state = ST_ERR;
			return err_set(E_HTTP_HEAD_SIZE, p->label, p->lim.head_bytes);
		}
		if (buf_append(&p->line, &c, 1) < 0)
			return -1;
	}
	return 0;
}

static int count_line(struct http_parser *p)
{
	if (++p->lines > p->lim.head_lines) {
		p->state = ST_ERR;
		return err_set(E_HTTP_HEAD_LINES, p->label, p->lim.head_lines);
	}
	return 0;
}

/* "HTTP/1.1 200 OK" (RFC 9112 §4); the reason phrase may be empty. */
static int status_line(struct http_parser *p, const char *s, size_t n)
{
	if (n < 12 || memcmp(s, "HTTP/1.", 7) || (s[7] != '0' && s[7] != '1') || s[8] != ' ')
		return fail(p, E_HTTP_STATUS_LINE);
	for (int k = 9; k < 12; k++)
		if (s[k] < '0' || s[k] > '9')
			return fail(p, E_HTTP_STATUS_LINE);
	if (n > 12 && s[12] != ' ')
		return fail(p, E_HTTP_STATUS_LINE);
	for (size_t k = 13; k < n; k++)
		if (!is_field_char((unsigned char)s[k]))
			return fail(p, E_HTTP_STATUS_LINE);
	p->minor = s[7] - '0';
	p->status = (s[9] - '0') * 100 + (s[10] - '0') * 10 + (s[11] - '0');
	if (p->status < 100)
		return fail(p, E_HTTP_STATUS_LINE);
	if (buf_append(&p->head, s, n) < 0 || buf_append(&p->head, "", 1) < 0)
		return -1;
	return 0;
}

/* "Name: value" (RFC 9112 §5): no space before the colon (§5.1 says to
 * reject it), optional whitespace around the value trimmed. With store,
 * appended to the head block normalised as "Name: value". */
static int field_line(struct http_parser *p, const char *s, size_t n, int store)
{
	if (s[0] == ' ' || s[0] == '\t')
		return fail(p, E_HTTP_OBS_FOLD);
	size_t k = 0;
	while (k < n && is_tchar((unsigned char)s[k]))
		k++;
	if (k == 0 || k == n || s[k] != ':')
		return fail(p, E_HTTP_HEADER);
	size_t v = k + 1, e = n;
	while (v < e && (s[v] == ' ' || s[v] == '\t'))
		v++;
	while (e > v && (s[e - 1] == ' ' || s[e - 1] == '\t'))
		e--;
	for (size_t j = v; j < e; j++)
		if (!is_field_char((unsigned char)s[j]))
			return fail(p, E_HTTP_HEADER);
	if (!store)
		return 0;
	if (buf_append(&p->head, s, k) < 0 || buf_append(&p->head, ": ", 2) < 0 ||
	    buf_append(&p->head, s + v, e - v) < 0 || buf_append(&p->head, "", 1) < 0)
		return -1;
	return 0;
}

const char *http_head_get(const struct buf *head, const char *name)
{
	if (!head->p)
		return NULL;
	size_t nl = strlen(name);
	const char *end = head->p + head->len;
	const char *s = head->p + strlen(head->p) + 1;   /* skip status line */
	for (; s < end; s += strlen(s) + 1)
		if (!strncasecmp(s, name, nl) && s[nl] == ':')
			return s + nl + 2;
	return NULL;
}

/* Comma-separated list element iterator over one field value. */
static const char *next_elem(const char *s, size_t *len)
{
	while (*s == ' ' || *s == '\t' || *s == ',')
		s++;
	if (!*s)
		return NULL;
	size_t n = strcspn(s, ",");
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	*len = n;
	return s;
}

/* RFC 9112 §6.3 decides the framing, in this order. */
static int framing(struct http_parser *p)
{
	const char *end = p->head.p + p->head.len;
	const char *s = p->head.p + strlen(p->head.p) + 1;
	int has_te = 0, has_cl = 0, te_ok = 1, close = 0, nte = 0;
	uint64_t cl = 0;

	for (; s < end; s += strlen(s) + 1) {
		const char *v = strchr(s, ':') + 2, *e;
		size_t n;
		if (!strncasecmp(s, "Transfer-Encoding:", 18)) {
			has_te = 1;
			for (e = v; (e = next_elem(e, &n)); e += n)
				if (nte++ || n != 7 || strncasecmp(e, "chunked", 7))
					te_ok = 0;
		} else if (!strncasecmp(s, "Content-Length:", 15)) {
			/* "42, 42" and repeated equal fields are one length
			 * (RFC 9110 §8.6); anything else is invalid framing. */
			int any = 0;
			for (e = v; (e = next_elem(e, &n)); e += n) {
				uint64_t x = 0;
				if (n == 0 || n > 18 || strspn(e, "0123456789") < n)
					return fail(p, E_HTTP_CL);
				for (size_t k = 0; k < n; k++)
					x = x * 10 + (uint64_t)(e[k] - '0');
				if (has_cl && x != cl)
					return fail(p, E_HTTP_CL);
				cl = x;
				has_cl = any = 1;
			}
			if (!any)
				return fail(p, E_HTTP_CL);
		} else if (!strncasecmp(s, "Connection:", 11)) {
			for (e = v; (e = next_elem(e, &n)); e += n)
				if (n == 5 && !strncasecmp(e, "close", 5))
					close = 1;
		}
	}
	p->keep_alive = p->minor >= 1 && !close;
	/* §6.3 rules 1 and 2: no body after 204, 304, or a 2xx to CONNECT. */
	if (p->status == 204 || p->status == 304 || (p->connect && p->status / 100 == 2)) {
		p->framing = HP_NONE;
		p->state = ST_DONE;
		return 0;
	}
	if (has_te) {
		/* Rule 3: both together may be a smuggling attempt; a client
		 * must not trust either (and must close the connection). */
		if (has_cl)
			return fail(p, E_HTTP_TE_CL);
		/* We send no TE header, so only "chunked" alone can be read;
		 * HTTP/1.0 has no Transfer-Encoding at all (RFC 9112 §6.1). */
		if (!te_ok || !nte || p->minor == 0)
			return fail(p, E_HTTP_TE);
		p->framing = HP_CHUNKED;
		p->state = ST_CHUNK_SIZE;
		return 0;
	}
	if (has_cl) {
		if (cl > p->lim.max_body) {
			p->state = ST_ERR;
			return err_set(E_HTTP_BODY_SIZE, p->label, p->lim.max_body);
		}
		p->framing = cl ? HP_LENGTH : HP_NONE;
		p->length = p->left = cl;
		p->state = cl ? ST_BODY_LEN : ST_DONE;
		return 0;
	}
	/* Rule 8: delimited by the close of the connection. */
	p->framing = HP_CLOSE;
	p->keep_alive = 0;
	p->state = ST_CLOSE;
	return 0;
}

static int head_line(struct http_parser *p)
{
	const char *s = p->line.p ? p->line.p : "";
	size_t n = p->line.len;

	if (!p->head.len)
		return count_line(p) < 0 ? -1 : status_line(p, s, n);
	if (n) {
		if (count_line(p) < 0)
			return -1;
		return field_line(p, s, n, 1);
	}
	/* End of a header block. 1xx are interim (RFC 9110 §15.2): skip
	 * them, but their bytes and lines still count toward the limits,
	 * so a flood of 100 Continue cannot go on forever. */
	if (p->status < 200) {
		if (p->status == 101)
			return fail(p, E_HTTP_UPGRADE);
		buf_reset(&p->head);
		p->head.len = 0;
		return 0;
	}
	if (framing(p) < 0)
		return -1;
	return HP_HEAD;
}

static int chunk_size(struct http_parser *p)
{
	const char *s = p->line.p ? p->line.p : "";
	size_t n = p->line.len, k = 0;
	uint64_t v = 0;

	while (k < n) {
		int c = (unsigned char)s[k], d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			break;
		if (v > (UINT64_MAX >> 4))
			return fail(p, E_HTTP_CHUNK);
		v = v << 4 | (uint64_t)d;
		k++;
	}
	if (k == 0)
		return fail(p, E_HTTP_CHUNK);
	/* Chunk extensions (RFC 9112 §7.1.1) are ignored, but must start
	 * with ';' after optional whitespace, and hold no control bytes. */
	while (k < n && (s[k] == ' ' || s[k] == '\t'))
		k++;
	if (k < n && s[k] != ';')
		return fail(p, E_HTTP_CHUNK);
	for (; k < n; k++)
		if (!is_field_char((unsigned char)s[k]))
			return fail(p, E_HTTP_CHUNK);
	if (v == 0) {
		p->state = ST_TRAILER;
		return 0;
	}
	if (v > p->lim.max_body || p->body_bytes + v > p->lim.max_body) {
		p->state = ST_ERR;
		return err_set(E_HTTP_BODY_SIZE, p->label, p->lim.max_body);
	}
	p->left = v;
	p->state = ST_CHUNK_DATA;
	return 0;
}

static int deliver(struct http_parser *p, const char *d, size_t n)
{
	if (p->body_bytes + n > p->lim.max_body) {
		p->state = ST_ERR;
		return err_set(E_HTTP_BODY_SIZE, p->label, p->lim.max_body);
	}
	p->body_bytes += n;
	if (p->sink && n && p->sink(p->sink_ctx, d, n) < 0) {
		p->state = ST_ERR;
		return -1;
	}
	return 0;
}

int http_parser_feed(struct http_parser *p, const char *d, size_t n, size_t *used)
{
	size_t i = 0;
	*used = 0;
	while (i < n && p->state != ST_DONE) {
		int r;
		size_t k;
		switch (p->state) {
		case ST_HEAD:
		case ST_TRAILER:
		case ST_CHUNK_SIZE:
		case ST_CHUNK_END:
			r = take_line(p, d, n, &i, p->state == ST_HEAD || p->state == ST_TRAILER
					? p->lim.head_bytes : CHUNK_LINE_MAX);
			if (r <= 0) {
				if (r < 0)
					return -1;
				break;
			}
			if (p->state == ST_HEAD) {
				r = head_line(p);
			} else if (p->state == ST_CHUNK_SIZE) {
				r = chunk_size(p);
			} else if (p->state == ST_CHUNK_END) {
				r = p->line.len ? fail(p, E_HTTP_CHUNK) : 0;
				p->state = r < 0 ? ST_ERR : ST_CHUNK_SIZE;
			} else if (p->line.len) {
				/* Trailer fields: checked like headers, then
				 * dropped (RFC 9110 §6.5: nothing needs them). */
				r = count_line(p) < 0 ? -1 : field_line(p, p->line.p, p->line.len, 0);
			} else {
				p->state = ST_DONE;
				r = 0;
			}
			buf_reset(&p->line);
			if (r < 0)
				return -1;
			if (r == HP_HEAD) {
				*used = i;
				return HP_HEAD;
			}
			break;
		case ST_BODY_LEN:
		case ST_CHUNK_DATA:
			k = n - i < p->left ? n - i : (size_t)p->left;
			if (deliver(p, d + i, k) < 0)
				return -1;
			i += k;
			p->left -= k;
			if (!p->left)
				p->state = p->state == ST_BODY_LEN ? ST_DONE : ST_CHUNK_END;
			break;
		case ST_CLOSE:
			if (deliver(p, d + i, n - i) < 0)
				return -1;
			i = n;
			break;
		default:
			return -1;
		}
	}
	*used = i;
	if (p->state == ST_ERR)
		return -1;
	return p->state == ST_DONE ? HP_DONE : HP_MORE;
}

int http_parser_eof(struct http_parser *p, int clean)
{
	switch (p->state) {
	case ST_DONE:
		return HP_DONE;
	case ST_CLOSE:
		/* A close-delimited body is whole only if the server said so:
		 * a TCP FIN (or reset) alone may be an attacker cutting it. */
		if (clean) {
			p->state = ST_DONE;
			return HP_DONE;
		}
		return fail(p, E_HTTP_NO_CLOSE_NOTIFY);
	case ST_ERR:
		return -1;
	case ST_HEAD:
		if (!p->head_total)
			return fail(p, E_NET_CLOSED);
		return fail(p, E_HTTP_TRUNCATED);
	default:
		return fail(p, E_HTTP_TRUNCATED);
	}
}
