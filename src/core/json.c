/*
 * JSON reading over jsmn, and JSON string writing.
 *
 * jsmn (even with JSMN_STRICT) tokenizes more than RFC 8259 allows: it
 * accepts missing commas and colons ("[1 2]", {"a" 1}), trailing commas,
 * any primitive starting with t/f/n/-/digit ("nope", "01", "1e999", "-"),
 * raw control characters in strings, several top-level values, and it
 * stops at a NUL byte. So the text is first checked here against the RFC
 * 8259 grammar in one bounded pass (which also counts the tokens and
 * measures the depth), and only then handed to jsmn with a token array of
 * exactly the size counted. jsmn never sees text we have not validated.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

#define JSMN_STATIC
#include "jsmn.h"

/* No real API sends a number this long; refusing longer ones keeps the
 * finiteness check (its digits copied on the stack) bounded. */
#define NUM_MAX 256

/* ---- validation -------------------------------------------------------- */

struct val {
	const unsigned char *s;
	size_t len, pos;
	long ntok, max_tok;
	int depth, max_depth;
	char *stack;            /* '{' or '[' per open container */
	enum msg_id why;
	int too_deep, too_many;
};

static int fail(struct val *v, enum msg_id why)
{
	v->why = why;
	return -1;
}

/* RFC 8259 §2: ws = space, tab, LF, CR; nothing else. */
static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void skip_ws(struct val *v)
{
	while (v->pos < v->len && is_ws((char)v->s[v->pos]))
		v->pos++;
}

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Length of the well-formed UTF-8 sequence at s (RFC 3629 §4: no overlong
 * forms, no UTF-16 surrogates, nothing above U+10FFFF), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t k;
	unsigned lo = 0x80, hi = 0xBF;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		k = 2;
	else if (c >= 0xE0 && c <= 0xEF) {
		k = 3;
		if (c == 0xE0) lo = 0xA0;
		if (c == 0xED) hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		k = 4;
		if (c == 0xF0) lo = 0x90;
		if (c == 0xF4) hi = 0x8F;
	} else
		return 0;
	if (n < k)
		return 0;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < k; i++)
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
	return k;
}

static int val_string(struct val *v)
{
	v->pos++;       /* opening quote */
	while (v->pos < v->len) {
		unsigned char c = v->s[v->pos];
		if (c == '"') {
			v->pos++;
			return 0;
		}
		if (c < 0x20)
			return fail(v, M_JSON_WHY_CTRL);  /* RFC 8259 §7 */
		if (c == '\\') {
			if (v->pos + 1 >= v->len)
				return fail(v, M_JSON_WHY_END);
			c = v->s[v->pos + 1];
			if (c == 'u') {
				if (v->pos + 6 > v->len)
					return fail(v, M_JSON_WHY_END);
				for (int i = 2; i < 6; i++)
					if (hexval(v->s[v->pos + i]) < 0)
						return fail(v, M_JSON_WHY_ESCAPE);
				v->pos += 6;
			} else if (strchr("\"\\/bfnrt", c) && c) {
				v->pos += 2;
			} else {
				return fail(v, M_JSON_WHY_ESCAPE);
			}
			continue;
		}
		size_t k = utf8_len(v->s + v->pos, v->len - v->pos);
		if (!k)
			return fail(v, M_JSON_WHY_UTF8);   /* RFC 8259 §8.1 */
		v->pos += k;
	}
	return fail(v, M_JSON_WHY_END);
}

static int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

/* The least magnitude a correctly rounded strtod makes infinite: DBL_MAX
 * plus half its last unit, 2^1024 - 2^970, every digit of it. */
static const char dbl_inf_at[] =
	"179769313486231580793728971405303415079934132710037826936173778980444968"
	"292764750946649017977587207096330286416692887910946555547851940402630657"
	"488671505820681908902000708383676273854845817711531764475730270069855571"
	"366959622842914819860834936475292719074168444365510704342711559699508093"
	"042880177904174497792";

/* 1 when a number, already checked against the grammar (n < NUM_MAX),
 * is finite as a double, i.e. below dbl_inf_at in magnitude: what
 * isfinite(strtod()) said, without strtod, whose floating-point parser
 * (musl's floatscan, and on aarch64 the software long double it needs)
 * was 7 to 13 KB of the binary. 1e-400 rounds to 0: finite. */
static int finite_double(const unsigned char *s, size_t n)
{
	char dig[NUM_MAX];       /* significant digits, from the first non-zero */
	size_t i = 0, nd = 0;
	long e10 = 0, x = 0;     /* the first of dig is dig[0] × 10^(e10 - 1) */
	int neg = 0;

	if (s[i] == '-')
		i++;
	for (; i < n && is_digit(s[i]); i++)
		if (nd || s[i] != '0') {
			dig[nd++] = (char)s[i];
			e10++;
		}
	if (i < n && s[i] == '.')
		for (i++; i < n && is_digit(s[i]); i++) {
			if (nd || s[i] != '0')
				dig[nd++] = (char)s[i];
			else
				e10--;
		}
	if (!nd)
		return 1;                                   /* zero */
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			neg = s[i++] == '-';
		for (; i < n && is_digit(s[i]); i++)
			if (x < 100000)                     /* far past either end */
				x = x * 10 + (s[i] - '0');
	}
	e10 += (neg ? -x : x) - 1;
	if (e10 != 308)
		return e10 < 308;
	for (size_t k = 0; k < sizeof dbl_inf_at - 1; k++) {
		char c = k < nd ? dig[k] : '0';
		if (c != dbl_inf_at[k])
			return c < dbl_inf_at[k];
	}
	return 0;                                           /* a tie rounds to even: infinite */
}

/* RFC 8259 §6: -? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?, and
 * finite as a double (1e999 is grammatical but no IEEE 754 value). */
static int val_number(struct val *v)
{
	size_t start = v->pos;
	const unsigned char *s = v->s;

	if (v->pos < v->len && s[v->pos] == '-')
		v->pos++;
	if (v->pos >= v->len)
		return fail(v, M_JSON_WHY_END);
	if (s[v->pos] == '0') {
		v->pos++;
		if (v->pos < v->len && is_digit(s[v->pos]))
			return fail(v, M_JSON_WHY_NUMBER);   /* 01 */
	} else if (is_digit(s[v->pos])) {
		while (v->pos < v->len && is_digit(s[v->pos]))
			v->pos++;
	} else
		return fail(v, M_JSON_WHY_NUMBER);
	if (v->pos < v->len && s[v->pos] == '.') {
		v->pos++;
		if (v->pos >= v->len || !is_digit(s[v->pos]))
			return fail(v, M_JSON_WHY_NUMBER);
		while (v->pos < v->len && is_digit(s[v->pos]))
			v->pos++;
	}
	if (v->pos < v->len && (s[v->pos] == 'e' || s[v->pos] == 'E')) {
		v->pos++;
		if (v->pos < v->len && (s[v->pos] == '+' || s[v->pos] == '-'))
			v->pos++;
		if (v->pos >= v->len || !is_digit(s[v->pos]))
			return fail(v, M_JSON_WHY_NUMBER);
		while (v->pos < v->len && is_digit(s[v->pos]))
			v->pos++;
	}
	size_t n = v->pos - start;
	if (n >= NUM_MAX || !finite_double(s + start, n)) {
		v->pos = start;
		return fail(v, M_JSON_WHY_NUMBER);
	}
	return 0;
}

static int val_literal(struct val *v, const char *lit)
{
	size_t n = strlen(lit);
	if (v->len - v->pos < n) {
		if (!memcmp(v->s + v->pos, lit, v->len - v->pos))
			return fail(v, M_JSON_WHY_END);
		return fail(v, M_JSON_WHY_CHAR);
	}
	if (memcmp(v->s + v->pos, lit, n))
		return fail(v, M_JSON_WHY_CHAR);
	v->pos += n;
	return 0;
}

static int count_tok(struct val *v)
{
	if (++v->ntok > v->max_tok) {
		v->too_many = 1;
		return -1;
	}
	return 0;
}

/* One pass, no recursion (depth is the caller's limit, not the C stack's). */
static int validate(struct val *v)
{
	enum { VALUE, KEY, AFTER } st = VALUE;

	for (;;) {
		skip_ws(v);
		if (st == VALUE) {
			if (v->pos >= v->len)
				return fail(v, M_JSON_WHY_END);
			unsigned char c = v->s[v->pos];
			if (count_tok(v) < 0)
				return -1;
			if (c == '{' || c == '[') {
				if (v->depth >= v->max_depth) {
					v->too_deep = 1;
					return -1;
				}
				v->stack[v->depth++] = (char)c;
				v->pos++;
				skip_ws(v);
				if (v->pos < v->len && v->s[v->pos] == (c == '{' ? '}' : ']')) {
					v->pos++;
					v->depth--;
					st = AFTER;
				} else {
					st = c == '{' ? KEY : VALUE;
				}
				continue;
			}
			int r;
			if (c == '"')
				r = val_string(v);
			else if (c == '-' || is_digit(c))
				r = val_number(v);
			else if (c == 't')
				r = val_literal(v, "true");
			else if (c == 'f')
				r = val_literal(v, "false");
			else if (c == 'n')
				r = val_literal(v, "null");
			else
				r = fail(v, M_JSON_WHY_CHAR);
			if (r < 0)
				return -1;
			st = AFTER;
		} else if (st == KEY) {
			if (v->pos >= v->len)
				return fail(v, M_JSON_WHY_END);
			if (v->s[v->pos] != '"')
				return fail(v, M_JSON_WHY_CHAR);
			if (count_tok(v) < 0 || val_string(v) < 0)
				return -1;
			skip_ws(v);
			if (v->pos >= v->len)
				return fail(v, M_JSON_WHY_END);
			if (v->s[v->pos] != ':')
				return fail(v, M_JSON_WHY_CHAR);
			v->pos++;
			st = VALUE;
		} else {
			if (v->depth == 0) {
				if (v->pos != v->len)
					return fail(v, M_JSON_WHY_TRAILING);
				return 0;
			}
			if (v->pos >= v->len)
				return fail(v, M_JSON_WHY_END);
			unsigned char c = v->s[v->pos];
			char top = v->stack[v->depth - 1];
			if (c == ',') {
				v->pos++;
				st = top == '{' ? KEY : VALUE;
			} else if (c == (top == '{' ? '}' : ']')) {
				v->pos++;
				v->depth--;
			} else {
				return fail(v, M_JSON_WHY_CHAR);
			}
		}
	}
}

/* ---- parse --------------------------------------------------------------- */

/* The token array is followed by skip[]: skip[i] is the index just past
 * token i's subtree (a key's subtree holds its value), so walking siblings
 * is O(1) per step. */
static int *skips(const struct json *j)
{
	return (int *)((jsmntok_t *)j->tok + j->ntok);
}

static void fill_skips(struct json *j)
{
	jsmntok_t *t = j->tok;
	int *sk = skips(j);

	for (int k = 0; k < j->ntok; k++)
		sk[k] = j->ntok;
	/* Token k closes every open token between k-1 and k's parent (tokens
	 * are in pre-order, so the parent is k-1 or one of its ancestors).
	 * Each token is closed once: O(n) overall. */
	for (int k = 1; k < j->ntok; k++)
		for (int x = k - 1; x >= 0 && x != t[k].parent; x = t[x].parent)
			sk[x] = k;
}

int json_parse(struct json *j, const char *s, size_t len, struct json_limits lim)
{
	struct val v = { .s = (const unsigned char *)s, .len = len,
			 .max_tok = lim.max_tokens, .max_depth = lim.max_depth };

	memset(j, 0, sizeof *j);
	/* jsmn keeps offsets in int. */
	if (len >= (size_t)0x7fffffff)
		return err_set(E_JSON_SYNTAX, (size_t)0, tr(M_JSON_WHY_HUGE));
	if (lim.max_tokens < 1 || lim.max_depth < 0)
		return err_set(E_JSON_TOO_MANY, lim.max_tokens);
	v.stack = malloc((size_t)lim.max_depth + 1);
	if (!v.stack)
		return err_set(E_NOMEM);
	int r = validate(&v);
	free(v.stack);
	if (r < 0) {
		if (v.too_deep)
			return err_set(E_JSON_TOO_DEEP, lim.max_depth);
		if (v.too_many)
			return err_set(E_JSON_TOO_MANY, lim.max_tokens);
		return err_set(E_JSON_SYNTAX, v.pos, tr(v.why));
	}

	size_t n = (size_t)v.ntok;
	jsmntok_t *tok = malloc(n * (sizeof(jsmntok_t) + sizeof(int)));
	if (!tok)
		return err_set(E_NOMEM);
	size_t p0 = 0;
	while (p0 < len && is_ws(s[p0]))
		p0++;
	if (s[p0] != '{' && s[p0] != '[' && s[p0] != '"') {
		/* A bare number/true/false/null: jsmn's strict mode wants a
		 * delimiter after a primitive, so build the one token here. */
		size_t e = p0;
		while (e < len && !is_ws(s[e]))
			e++;
		tok[0] = (jsmntok_t){ .type = JSMN_PRIMITIVE, .start = (int)p0,
				      .end = (int)e, .size = 0, .parent = -1 };
	} else {
		jsmn_parser p;
		jsmn_init(&p);
		int got = jsmn_parse(&p, s, len, tok, (unsigned)n);
		if (got != v.ntok) {
			/* Cannot happen on validated text; refuse rather than
			 * hand out a half-built token array. */
			free(tok);
			return err_set(E_JSON_SYNTAX, (size_t)p.pos, tr(M_JSON_WHY_CHAR));
		}
	}
	j->s = s;
	j->len = len;
	j->tok = tok;
	j->ntok = v.ntok;
	fill_skips(j);
	return 0;
}

void json_free(struct json *j)
{
	free(j->tok);
	memset(j, 0, sizeof *j);
}

/* ---- navigation ---------------------------------------------------------- */

static const jsmntok_t *T(const struct json *j, int i)
{
	return (const jsmntok_t *)j->tok + i;
}

static int valid(const struct json *j, int tok)
{
	return j && j->tok && tok >= 0 && tok < j->ntok;
}

enum json_type json_type(const struct json *j, int tok)
{
	if (!valid(j, tok))
		return JSON_ABSENT;
	const jsmntok_t *t = T(j, tok);
	switch (t->type) {
	case JSMN_OBJECT: return JSON_OBJ;
	case JSMN_ARRAY: return JSON_ARR;
	case JSMN_STRING: return JSON_STR;
	case JSMN_PRIMITIVE:
		switch (j->s[t->start]) {
		case 't': return JSON_TRUE;
		case 'f': return JSON_FALSE;
		case 'n': return JSON_NULL;
		default: return JSON_NUM;
		}
	default: return JSON_ABSENT;
	}
}

int json_first(const struct json *j, int tok)
{
	if (!valid(j, tok) || T(j, tok)->size == 0)
		return -1;
	if (T(j, tok)->type == JSMN_OBJECT)
		return tok + 2 < j->ntok ? tok + 2 : -1;
	if (T(j, tok)->type == JSMN_ARRAY)
		return tok + 1;
	return -1;
}

int json_next(const struct json *j, int tok)
{
	if (!valid(j, tok))
		return -1;
	int p = T(j, tok)->parent;
	if (p < 0)
		return -1;
	if (T(j, p)->type == JSMN_STRING) {       /* object member: p is its key */
		int obj = T(j, p)->parent;
		int nk = skips(j)[p];
		if (nk + 1 < j->ntok && T(j, nk)->parent == obj)
			return nk + 1;
		return -1;
	}
	int n = skips(j)[tok];
	return n < j->ntok && T(j, n)->parent == p ? n : -1;
}

int json_count(const struct json *j, int tok)
{
	if (!valid(j, tok))
		return 0;
	const jsmntok_t *t = T(j, tok);
	return t->type == JSMN_OBJECT || t->type == JSMN_ARRAY ? t->size : 0;
}

const char *json_raw(const struct json *j, int tok, size_t *len)
{
	if (!valid(j, tok)) {
		if (len)
			*len = 0;
		return NULL;
	}
	const jsmntok_t *t = T(j, tok);
	if (len)
		*len = (size_t)(t->end - t->start);
	return j->s + t->start;
}

/* ---- unescaping ---------------------------------------------------------- */

static size_t put_utf8(unsigned cp, unsigned char *o)
{
	if (cp < 0x80) { o[0] = (unsigned char)cp; return 1; }
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | cp >> 6);
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | cp >> 12);
		o[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | cp >> 18);
	o[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
	o[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

static unsigned hex4(const char *s)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++)
		v = v << 4 | (unsigned)hexval((unsigned char)s[i]);
	return v;
}

/* Decodes the next character of validated string text s[*i..end) into o.
 * Returns its byte count (1..4), or 0 for \u0000 or a lone surrogate,
 * which have no place in a C string or in UTF-8 (RFC 8259 §8.2). */
static size_t unesc_next(const char *s, size_t *i, size_t end, unsigned char o[4])
{
	if (s[*i] != '\\') {
		o[0] = (unsigned char)s[(*i)++];
		return 1;
	}
	char c = s[*i + 1];
	*i += 2;
	switch (c) {
	case 'b': o[0] = '\b'; return 1;
	case 'f': o[0] = '\f'; return 1;
	case 'n': o[0] = '\n'; return 1;
	case 'r': o[0] = '\r'; return 1;
	case 't': o[0] = '\t'; return 1;
	case 'u': break;
	default: o[0] = (unsigned char)c; return 1;   /* " \ / */
	}
	unsigned cp = hex4(s + *i);
	*i += 4;
	if (cp == 0)
		return 0;
	if (cp >= 0xDC00 && cp <= 0xDFFF)
		return 0;
	if (cp >= 0xD800 && cp <= 0xDBFF) {
		/* RFC 8259 §7: a pair is two \u escapes, high then low. */
		if (*i + 6 > end || s[*i] != '\\' || s[*i + 1] != 'u')
			return 0;
		unsigned lo = hex4(s + *i + 2);
		if (lo < 0xDC00 || lo > 0xDFFF)
			return 0;
		*i += 6;
		cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
	}
	return put_utf8(cp, o);
}

/* Unescapes token tok into out (NUL-terminated). 0 ok, -1 bad string,
 * -2 too long. *n gets the length. */
static int unescape(const struct json *j, int tok, char *out, size_t outsz, size_t *n)
{
	const jsmntok_t *t = T(j, tok);
	size_t i = (size_t)t->start, end = (size_t)t->end, k = 0;
	unsigned char o[4];

	if (!memchr(j->s + i, '\\', end - i)) {      /* nothing to unescape */
		if (end - i >= outsz)
			return -2;
		memcpy(out, j->s + i, end - i);
		out[end - i] = 0;
		*n = end - i;
		return 0;
	}
	while (i < end) {
		size_t m = unesc_next(j->s, &i, end, o);
		if (!m)
			return -1;
		if (k + m >= outsz)
			return -2;
		memcpy(out + k, o, m);
		k += m;
	}
	if (outsz)
		out[k] = 0;
	*n = k;
	return 0;
}

/* If the unescaped key of token key is a prefix of path ending at '.' or
 * the end, returns its length; else -1. */
static long key_prefix(const struct json *j, int key, const char *path)
{
	const jsmntok_t *t = T(j, key);
	size_t i = (size_t)t->start, end = (size_t)t->end, k = 0;
	unsigned char o[4];

	if (!memchr(j->s + i, '\\', end - i)) {      /* plain key: compare bytes */
		k = end - i;
		if (strncmp(path, j->s + i, k) || memchr(j->s + i, 0, k))
			return -1;
		return path[k] == '.' || path[k] == 0 ? (long)k : -1;
	}
	while (i < end) {
		size_t m = unesc_next(j->s, &i, end, o);
		if (!m || strncmp(path + k, (const char *)o, m) != 0 ||
		    memchr(path + k, 0, m))
			return -1;
		k += m;
	}
	return path[k] == '.' || path[k] == 0 ? (long)k : -1;
}

/* Keys may hold dots ("@odata.nextLink"): at each object, the longest key
 * that is a whole-segment prefix of the remaining path wins. */
int json_get(const struct json *j, int tok, const char *path)
{
	if (!valid(j, tok))
		return -1;
	while (path && *path) {
		const jsmntok_t *t = T(j, tok);
		int found = -1;
		size_t used = 0;
		if (t->type == JSMN_OBJECT) {
			long best = -1;
			for (int v = json_first(j, tok); v >= 0; v = json_next(j, v)) {
				long m = key_prefix(j, T(j, v)->parent, path);
				if (m > best) {
					best = m;
					found = v;
				}
			}
			used = best < 0 ? 0 : (size_t)best;
		} else if (t->type == JSMN_ARRAY) {
			size_t idx = 0, d = 0;
			while (is_digit((unsigned char)path[d]) && d < 10)
				idx = idx * 10 + (size_t)(path[d++] - '0');
			if (d == 0 || (path[d] != '.' && path[d] != 0))
				return -1;
			if (idx < (size_t)t->size) {
				found = json_first(j, tok);
				for (size_t k = 0; k < idx && found >= 0; k++)
					found = json_next(j, found);
			}
			used = d;
		}
		if (found < 0)
			return -1;
		tok = found;
		path += used;
		if (*path == '.')
			path++;
	}
	return tok;
}

/* ---- typed reads ----------------------------------------------------------- */

static const char *pname(const char *path)
{
	return path && *path ? path : ".";
}

int json_str(const struct json *j, int tok, const char *path, char *out, size_t outsz)
{
	size_t n;
	if (outsz)
		out[0] = 0;
	int t = json_get(j, tok, path);
	enum json_type ty = json_type(j, t);
	if (ty == JSON_ABSENT || ty == JSON_NULL)
		return 1;
	if (ty != JSON_STR)
		return err_set(E_JSON_TYPE, pname(path), "string");
	int r = unescape(j, t, out, outsz, &n);
	if (r == -2) {
		if (outsz)
			out[0] = 0;
		return err_set(E_JSON_STR_LONG, pname(path), outsz ? outsz - 1 : 0);
	}
	if (r < 0) {
		out[0] = 0;
		return err_set(E_JSON_BAD_STRING, pname(path));
	}
	return 0;
}

char *json_strdup(const struct json *j, int tok, const char *path)
{
	int t = json_get(j, tok, path);
	if (json_type(j, t) != JSON_STR)
		return NULL;
	/* Unescaping never makes a string longer. */
	size_t sz = (size_t)(T(j, t)->end - T(j, t)->start) + 1, n;
	char *out = malloc(sz);
	if (!out) {
		err_set(E_NOMEM);
		return NULL;
	}
	if (unescape(j, t, out, sz, &n) < 0) {
		free(out);
		err_set(E_JSON_BAD_STRING, pname(path));
		return NULL;
	}
	return out;
}

int json_int(const struct json *j, int tok, const char *path, long long *out)
{
	*out = 0;
	int t = json_get(j, tok, path);
	enum json_type ty = json_type(j, t);
	if (ty == JSON_ABSENT || ty == JSON_NULL)
		return 1;
	if (ty != JSON_NUM)
		return err_set(E_JSON_TYPE, pname(path), "number");
	size_t n;
	const char *s = json_raw(j, t, &n);
	int neg = s[0] == '-';
	unsigned long long v = 0;
	for (size_t i = (size_t)neg; i < n; i++) {
		if (!is_digit((unsigned char)s[i]))
			return err_set(E_JSON_RANGE, pname(path));   /* 1.5, 1e3 */
		unsigned d = (unsigned)(s[i] - '0');
		if (v > (9223372036854775808ULL - d) / 10)
			return err_set(E_JSON_RANGE, pname(path));
		v = v * 10 + d;
	}
	if (!neg && v > 9223372036854775807ULL)
		return err_set(E_JSON_RANGE, pname(path));
	*out = neg ? (long long)(0 - v) : (long long)v;
	return 0;
}

int json_bool(const struct json *j, int tok, const char *path, int *out)
{
	*out = 0;
	int t = json_get(j, tok, path);
	enum json_type ty = json_type(j, t);
	if (ty == JSON_ABSENT || ty == JSON_NULL)
		return 1;
	if (ty != JSON_TRUE && ty != JSON_FALSE)
		return err_set(E_JSON_TYPE, pname(path), "boolean");
	*out = ty == JSON_TRUE;
	return 0;
}

int json_key(const struct json *j, int val_tok, char *out, size_t outsz)
{
	size_t n;
	if (outsz)
		out[0] = 0;
	if (!valid(j, val_tok))
		return err_set(E_JSON_TYPE, "?", "object member");
	int k = T(j, val_tok)->parent;
	if (k < 0 || T(j, k)->type != JSMN_STRING)
		return err_set(E_JSON_TYPE, "?", "object member");
	int r = unescape(j, k, out, outsz, &n);
	if (r == -2)
		return err_set(E_JSON_STR_LONG, "key", outsz ? outsz - 1 : 0);
	if (r < 0)
		return err_set(E_JSON_BAD_STRING, "key");
	return 0;
}

/* ---- writing ------------------------------------------------------------------ */

int json_put_strn(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run = 0;

	if (buf_append(b, "\"", 1) < 0)
		return -1;
	/* Copy runs of plain bytes in one go; escape the rest. RFC 8259 §7:
	 * '"', '\' and U+0000..U+001F must be escaped; DEL is escaped too so
	 * that nothing invisible reaches a terminal or a logbook reader. */
	while (i < n) {
		unsigned char c = u[i];
		char esc[8];
		size_t elen = 0, k = 1;
		if (c >= 0x80) {
			k = utf8_len(u + i, n - i);
			if (k) {
				i += k;
				run += k;
				continue;
			}
			memcpy(esc, "\xEF\xBF\xBD", 3);   /* U+FFFD per bad byte */
			elen = 3;
			k = 1;
		} else if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			elen = 2;
		} else if (c < 0x20 || c == 0x7F) {
			const char *sh = c == '\n' ? "\\n" : c == '\t' ? "\\t" : c == '\r' ? "\\r"
				: c == '\b' ? "\\b" : c == '\f' ? "\\f" : NULL;
			if (sh) {
				memcpy(esc, sh, 2);
				elen = 2;
			} else {
				memcpy(esc, "\\u00", 4);
				esc[4] = hex[c >> 4];
				esc[5] = hex[c & 15];
				elen = 6;
			}
		} else {
			i++;
			run++;
			continue;
		}
		if (buf_append(b, s + i - run, run) < 0 || buf_append(b, esc, elen) < 0)
			return -1;
		run = 0;
		i += k;
	}
	if (buf_append(b, s + i - run, run) < 0)
		return -1;
	return buf_append(b, "\"", 1);
}

int json_utf8_valid(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0, k; i < n; i += k)
		if (!(k = utf8_len(u + i, n - i)))
			return 0;
	return 1;
}

int json_put_str(struct buf *b, const char *s)
{
	if (!s)
		return buf_puts(b, "null");
	return json_put_strn(b, s, strlen(s));
}
