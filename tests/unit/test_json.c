/* JSON reading (RFC 8259 strictness, limits, typed lookups) and writing. */
#include <stdlib.h>

#include "core/core.h"
#include "t.h"

static int parse(struct json *j, const char *s)
{
	return json_parse(j, s, strlen(s), JSON_LIMITS_DEFAULT);
}

static void lookups(void)
{
	struct json j;
	const char *doc = "{\"@odata.context\":\"x\",\"@odata.nextLink\":\"https://n/?$skiptoken=1\","
		"\"value\":[{\"id\":\"a\",\"principal\":{\"userPrincipalName\":\"alice@contoso.fr\"},"
		"\"n\":42,\"neg\":-7,\"ok\":true,\"no\":false,\"nul\":null,\"f\":1.5},{\"id\":\"b\"}],"
		"\"caf\\u00e9\":\"cr\\u00e8me \\ud83d\\ude00\",\"esc\":\"a\\\"b\\\\c\\/d\\n\"}";
	char out[128];
	long long n;
	int b;

	CHECK_INT(parse(&j, doc), 0);
	CHECK_INT(json_type(&j, 0), JSON_OBJ);
	CHECK_INT(json_str(&j, 0, "@odata.nextLink", out, sizeof out), 0);
	CHECK_STR(out, "https://n/?$skiptoken=1");
	CHECK_INT(json_str(&j, 0, "value.0.principal.userPrincipalName", out, sizeof out), 0);
	CHECK_STR(out, "alice@contoso.fr");
	CHECK_INT(json_str(&j, 0, "value.1.id", out, sizeof out), 0);
	CHECK_STR(out, "b");
	CHECK_INT(json_get(&j, 0, "value.2"), -1);
	CHECK_INT(json_get(&j, 0, "value.x"), -1);
	CHECK_INT(json_str(&j, 0, "value.0.missing", out, sizeof out), 1);
	CHECK_STR(out, "");
	CHECK_INT(json_str(&j, 0, "value.0.nul", out, sizeof out), 1);
	CHECK_INT(json_str(&j, 0, "value.0.n", out, sizeof out), -1);
	CHECK_INT(err_id(), E_JSON_TYPE);
	CHECK_INT(json_int(&j, 0, "value.0.n", &n), 0);
	CHECK_INT(n, 42);
	CHECK_INT(json_int(&j, 0, "value.0.neg", &n), 0);
	CHECK_INT(n, -7);
	CHECK_INT(json_int(&j, 0, "value.0.f", &n), -1);
	CHECK_INT(json_int(&j, 0, "value.0.id", &n), -1);
	CHECK_INT(json_bool(&j, 0, "value.0.ok", &b), 0);
	CHECK_INT(b, 1);
	CHECK_INT(json_bool(&j, 0, "value.0.no", &b), 0);
	CHECK_INT(b, 0);
	CHECK_INT(json_bool(&j, 0, "value.0.absent", &b), 1);
	/* keys compared after unescaping; surrogate pair to UTF-8 */
	CHECK_INT(json_str(&j, 0, "café", out, sizeof out), 0);
	CHECK_STR(out, "crème \xF0\x9F\x98\x80");
	CHECK_INT(json_str(&j, 0, "esc", out, sizeof out), 0);
	CHECK_STR(out, "a\"b\\c/d\n");
	/* too long for out: an error, never a silent truncation */
	CHECK_INT(json_str(&j, 0, "esc", out, 4), -1);
	CHECK_INT(err_id(), E_JSON_STR_LONG);
	char *d = json_strdup(&j, 0, "value.0.id");
	CHECK_STR(d, "a");
	free(d);
	CHECK(json_strdup(&j, 0, "value.0.n") == NULL);
	/* iteration and keys */
	int arr = json_get(&j, 0, "value");
	CHECK_INT(json_count(&j, arr), 2);
	int k = 0;
	for (int c = json_first(&j, arr); c >= 0; c = json_next(&j, c))
		k++;
	CHECK_INT(k, 2);
	const char *keys[] = { "@odata.context", "@odata.nextLink", "value", "café", "esc" };
	k = 0;
	for (int c = json_first(&j, 0); c >= 0; c = json_next(&j, c), k++) {
		CHECK(k < 5);
		if (k < 5) {
			CHECK_INT(json_key(&j, c, out, sizeof out), 0);
			CHECK_STR(out, keys[k]);
		}
	}
	CHECK_INT(k, 5);
	size_t rl;
	const char *raw = json_raw(&j, json_get(&j, 0, "esc"), &rl);
	CHECK(rl == 12 && !strncmp(raw, "a\\\"b", 4));
	CHECK_INT(json_key(&j, 0, out, sizeof out), -1);
	json_free(&j);
}

static void empty_and_scalars(void)
{
	struct json j;
	long long n;
	char out[8];
	CHECK_INT(parse(&j, " {} "), 0);
	CHECK_INT(json_first(&j, 0), -1);
	CHECK_INT(json_count(&j, 0), 0);
	json_free(&j);
	CHECK_INT(parse(&j, "[[],{},[[]]]"), 0);
	CHECK_INT(json_count(&j, 0), 3);
	int c = json_first(&j, 0);
	c = json_next(&j, c);
	CHECK_INT(json_type(&j, c), JSON_OBJ);
	c = json_next(&j, c);
	CHECK_INT(json_count(&j, c), 1);
	CHECK_INT(json_next(&j, c), -1);
	json_free(&j);
	CHECK_INT(parse(&j, " -12 "), 0);
	CHECK_INT(json_int(&j, 0, "", &n), 0);
	CHECK_INT(n, -12);
	json_free(&j);
	CHECK_INT(parse(&j, "\"x\""), 0);
	CHECK_INT(json_str(&j, 0, NULL, out, sizeof out), 0);
	CHECK_STR(out, "x");
	json_free(&j);
	CHECK_INT(parse(&j, "null"), 0);
	CHECK_INT(json_type(&j, 0), JSON_NULL);
	json_free(&j);
	CHECK_INT(parse(&j, "[9223372036854775807,-9223372036854775808,9223372036854775808]"), 0);
	CHECK_INT(json_int(&j, 0, "0", &n), 0);
	CHECK(n == 9223372036854775807LL);
	CHECK_INT(json_int(&j, 0, "1", &n), 0);
	CHECK(n == -9223372036854775807LL - 1);
	CHECK_INT(json_int(&j, 0, "2", &n), -1);
	json_free(&j);
}

/* Escapes that are well-formed JSON but no C string: \u0000, lone or
 * reversed surrogates. The document parses; reading that string fails. */
static void bad_strings(void)
{
	struct json j;
	char out[32];
	const char *bad[] = { "[\"a\\u0000b\"]", "[\"\\ud800\"]", "[\"\\udc00\\ud800\"]",
			      "[\"\\ud800x\"]", "[\"\\ud800\\u0041\"]" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		CHECK_INT(parse(&j, bad[i]), 0);
		CHECK_INT(json_str(&j, 0, "0", out, sizeof out), -1);
		CHECK_INT(err_id(), E_JSON_BAD_STRING);
		CHECK(json_strdup(&j, 0, "0") == NULL);
		json_free(&j);
	}
	/* a bad key never matches */
	CHECK_INT(parse(&j, "{\"\\u0000\":1}"), 0);
	CHECK_INT(json_get(&j, 0, ""), 0);
	CHECK_INT(json_first(&j, 0) >= 0, 1);
	json_free(&j);
}

/* Hostile input: each must be refused with the given error. */
static void hostile(void)
{
	static const struct { const char *s; enum msg_id e; } t[] = {
		{ "", E_JSON_SYNTAX }, { "   ", E_JSON_SYNTAX },
		{ "[1 2]", E_JSON_SYNTAX }, { "{\"a\" 1}", E_JSON_SYNTAX },
		{ "{\"a\":1,}", E_JSON_SYNTAX }, { "[1,]", E_JSON_SYNTAX },
		{ "[,1]", E_JSON_SYNTAX }, { "{,}", E_JSON_SYNTAX },
		{ "{\"a\"}", E_JSON_SYNTAX }, { "{\"a\":}", E_JSON_SYNTAX },
		{ "{1:2}", E_JSON_SYNTAX }, { "{[]:1}", E_JSON_SYNTAX },
		{ "[01]", E_JSON_SYNTAX }, { "[-01]", E_JSON_SYNTAX }, { "[1.]", E_JSON_SYNTAX },
		{ "[.5]", E_JSON_SYNTAX }, { "[1e]", E_JSON_SYNTAX }, { "[1e+]", E_JSON_SYNTAX },
		{ "[-]", E_JSON_SYNTAX }, { "[+1]", E_JSON_SYNTAX }, { "[0x10]", E_JSON_SYNTAX },
		{ "[1e999]", E_JSON_SYNTAX }, { "[-1e400]", E_JSON_SYNTAX },
		/* rounds to infinity: just past DBL_MAX + half a unit, as a
		 * correctly rounded strtod; the exponent moved into the digits */
		{ "[1.7976931348623159e308]", E_JSON_SYNTAX }, { "[-100e307]", E_JSON_SYNTAX },
		{ "[0.0000179769313486231580793728971405303415079934133e313]", E_JSON_SYNTAX },
		{ "[NaN]", E_JSON_SYNTAX }, { "[Infinity]", E_JSON_SYNTAX }, { "[-Infinity]", E_JSON_SYNTAX },
		{ "[nope]", E_JSON_SYNTAX }, { "[tru]", E_JSON_SYNTAX }, { "[truex]", E_JSON_SYNTAX },
		{ "[nul", E_JSON_SYNTAX }, { "[True]", E_JSON_SYNTAX },
		{ "{}{}", E_JSON_SYNTAX }, { "[] x", E_JSON_SYNTAX }, { "1 2", E_JSON_SYNTAX },
		{ "[", E_JSON_SYNTAX }, { "{\"a\":[1,2", E_JSON_SYNTAX }, { "\"abc", E_JSON_SYNTAX },
		{ "[\"a\\", E_JSON_SYNTAX }, { "[\"\\u12\"]", E_JSON_SYNTAX }, { "[\"\\u12", E_JSON_SYNTAX },
		{ "[\"\\x41\"]", E_JSON_SYNTAX }, { "[\"\\'\"]", E_JSON_SYNTAX }, { "[\"\\U0041\"]", E_JSON_SYNTAX },
		{ "[\"a\tb\"]", E_JSON_SYNTAX }, { "[\"a\nb\"]", E_JSON_SYNTAX },
		{ "[\"\xC0\xAF\"]", E_JSON_SYNTAX },          /* overlong '/' */
		{ "[\"\xED\xA0\x80\"]", E_JSON_SYNTAX },      /* UTF-8-encoded surrogate */
		{ "[\"\xF4\x90\x80\x80\"]", E_JSON_SYNTAX },  /* above U+10FFFF */
		{ "[\"\xE2\x82\"]", E_JSON_SYNTAX },          /* truncated sequence */
		{ "[\"\xFF\"]", E_JSON_SYNTAX },
		{ "['a']", E_JSON_SYNTAX }, { "[1]]", E_JSON_SYNTAX }, { "[}", E_JSON_SYNTAX },
		{ "{\"a\":1]", E_JSON_SYNTAX }, { "\xEF\xBB\xBF[]", E_JSON_SYNTAX },
		{ "[1,\f2]", E_JSON_SYNTAX }, { "[/*c*/1]", E_JSON_SYNTAX },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct json j;
		err_clear();
		int r = parse(&j, t[i].s);
		if (r != -1 || err_id() != t[i].e) {
			printf("  accepted or wrong error: %s -> %d %s\n", t[i].s, r, err_msg());
			t_failed_now = 1;
		}
		if (r == 0)
			json_free(&j);
	}
	/* NUL in the middle (jsmn would stop there and accept "[1]") */
	struct json j;
	CHECK_INT(json_parse(&j, "[1]\0[", 5, JSON_LIMITS_DEFAULT), -1);
	CHECK_INT(json_parse(&j, "[\"a\0b\"]", 7, JSON_LIMITS_DEFAULT), -1);
	/* never reads past len: "[1]" given as 2 bytes is truncated */
	CHECK_INT(json_parse(&j, "[1]", 2, JSON_LIMITS_DEFAULT), -1);
	CHECK(strstr(err_msg(), "2") != NULL);
}

static void limits(void)
{
	struct json j;
	struct buf b = { 0 };
	/* depth: 64 nested arrays pass, 65 fail */
	for (int i = 0; i < 64; i++) buf_puts(&b, "[");
	for (int i = 0; i < 64; i++) buf_puts(&b, "]");
	CHECK_INT(json_parse(&j, b.p, b.len, JSON_LIMITS_DEFAULT), 0);
	json_free(&j);
	buf_reset(&b);
	for (int i = 0; i < 65; i++) buf_puts(&b, "[");
	for (int i = 0; i < 65; i++) buf_puts(&b, "]");
	CHECK_INT(json_parse(&j, b.p, b.len, JSON_LIMITS_DEFAULT), -1);
	CHECK_INT(err_id(), E_JSON_TOO_DEEP);
	/* very deep and unterminated: refused on depth, no stack recursion */
	buf_reset(&b);
	for (int i = 0; i < 1000000; i++) buf_puts(&b, "{\"a\":");
	CHECK_INT(json_parse(&j, b.p, b.len, JSON_LIMITS_DEFAULT), -1);
	CHECK_INT(err_id(), E_JSON_TOO_DEEP);
	/* tokens: an array of 1000 zeros is 1001 tokens */
	buf_reset(&b);
	buf_puts(&b, "[0");
	for (int i = 1; i < 1000; i++) buf_puts(&b, ",0");
	buf_puts(&b, "]");
	CHECK_INT(json_parse(&j, b.p, b.len, (struct json_limits){ 1001, 4 }), 0);
	CHECK_INT(j.ntok, 1001);
	CHECK_INT(json_count(&j, 0), 1000);
	CHECK_INT(json_get(&j, 0, "999"), 1000);
	json_free(&j);
	CHECK_INT(json_parse(&j, b.p, b.len, (struct json_limits){ 1000, 4 }), -1);
	CHECK_INT(err_id(), E_JSON_TOO_MANY);
	/* huge token count: 2M empty arrays under the default 4M tokens pass,
	 * under a 100k limit fail early */
	buf_reset(&b);
	buf_puts(&b, "[");
	for (int i = 0; i < 2000000; i++) buf_puts(&b, i ? ",[]" : "[]");
	buf_puts(&b, "]");
	CHECK_INT(json_parse(&j, b.p, b.len, (struct json_limits){ 100000, 8 }), -1);
	CHECK_INT(err_id(), E_JSON_TOO_MANY);
	CHECK_INT(json_parse(&j, b.p, b.len, JSON_LIMITS_DEFAULT), 0);
	CHECK_INT(json_type(&j, json_get(&j, 0, "1999999")), JSON_ARR);
	json_free(&j);
	buf_free(&b);
}

static void numbers_ok(void)
{
	const char *ok[] = { "[0]", "[-0]", "[0.5]", "[-0.0e+0]", "[1E5]", "[1e-999]",
			     "[123456789012345678901234567890]", "[1.7976931348623157e308]",
			     /* below DBL_MAX + half a unit: DBL_MAX; zero with a huge exponent */
			     "[1.7976931348623158e308]", "[-0.0000179769313486231580793728971405303415079934132e313]",
			     "[10e307]", "[0.000e99999]", "[0e400]" };
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		struct json j;
		if (parse(&j, ok[i]) != 0) {
			printf("  refused %s: %s\n", ok[i], err_msg());
			t_failed_now = 1;
		} else {
			CHECK_INT(json_type(&j, 1), JSON_NUM);
			json_free(&j);
		}
	}
}

static void writing(void)
{
	struct buf b = { 0 };
	CHECK_INT(json_put_str(&b, "a\"b\\c\n\t\x01\x7f é 😀"), 0);
	CHECK_STR(b.p, "\"a\\\"b\\\\c\\n\\t\\u0001\\u007f é 😀\"");
	buf_reset(&b);
	/* invalid bytes -> U+FFFD, one per byte; valid neighbours kept */
	CHECK_INT(json_put_str(&b, "x\xFFy\xC3z\xED\xA0\x80"), 0);
	CHECK_STR(b.p, "\"x\xEF\xBF\xBDy\xEF\xBF\xBDz\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
	buf_reset(&b);
	CHECK_INT(json_put_strn(&b, "a\0b", 3), 0);
	CHECK_STR(b.p, "\"a\\u0000b\"");
	buf_reset(&b);
	CHECK_INT(json_put_str(&b, NULL), 0);
	CHECK_STR(b.p, "null");
	/* round trip: what we write, we read back identically */
	const char *s = "Main courante — « BAL » \r\n\"q\" \\ \x1f 🚨";
	buf_reset(&b);
	buf_puts(&b, "{\"k\":");
	json_put_str(&b, s);
	buf_puts(&b, "}");
	struct json j;
	char out[128];
	CHECK_INT(json_parse(&j, b.p, b.len, JSON_LIMITS_DEFAULT), 0);
	CHECK_INT(json_str(&j, 0, "k", out, sizeof out), 0);
	CHECK_STR(out, s);
	json_free(&j);
	/* a bounded buffer reports the overflow */
	struct buf small = { .max = 4 };
	CHECK_INT(json_put_str(&small, "abcdef"), -1);
	buf_free(&small);
	buf_free(&b);
}

int main(void)
{
	RUN(lookups);
	RUN(empty_and_scalars);
	RUN(bad_strings);
	RUN(hostile);
	RUN(limits);
	RUN(numbers_ok);
	RUN(writing);
	T_DONE();
}
