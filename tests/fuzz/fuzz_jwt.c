/* libFuzzer harness for what the sign-in reads from the network: the
 * replies of the token and device-code endpoints (ms/auth_reply.c) and
 * the JWT access tokens in them, whose claims are read for display and
 * for the probe (ms/jwt.c, ms/auth_who.c, ms/probe.c ms_token_claims).
 * A token also comes back from the kernel keyring, where another
 * process of the same user could have put one.
 *
 * Byte 0 picks the path:
 *   0  the rest is a token string, read every way;
 *   1  the rest is the JSON payload of a token (base64url-encoded here,
 *      so that mutations reach the claims readers, not only base64);
 *   2  a token endpoint reply (status 200 or 400 from byte 1);
 *   3  a device-code endpoint reply (idem).
 * Invariants: a refusal always says why; what parses is bounded; a
 * token accepted is printable ASCII; base64url decodes what it encodes.
 *
 * Seeds: tests/fuzz/seeds/fuzz_jwt (tokens and replies shaped as the
 * fake login server, tests/fake/msfakelib, and Microsoft document). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "ms/ms.h"


FUZZ_INIT(fuzz_nothing)

static void bounded(const char *s, size_t n)
{
	MUST(memchr(s, 0, n) != NULL);
}

static void token(const char *s)
{
	struct buf claims = { 0 };
	struct auth_who w;
	struct ms_claims c;

	if (auth_jwt_claims(s, &claims) == 0) {
		struct json j;
		if (json_parse(&j, claims.p ? claims.p : "", claims.len, JSON_LIMITS_DEFAULT) == 0)
			json_free(&j);
	}
	err_clear();
	buf_free(&claims);
	if (auth_who(s, &w) == 0) {
		bounded(w.tid, sizeof w.tid);
		bounded(w.upn, sizeof w.upn);
		bounded(w.scp, sizeof w.scp);
		bounded(w.wids, sizeof w.wids);
		for (const unsigned char *p = (const unsigned char *)w.upn; *p; p++)
			MUST(*p >= ' ' && *p != 0x7f);    /* display text: no escapes */
	}
	err_clear();
	if (ms_token_claims(s, &c) == 0) {
		bounded(c.scopes, sizeof c.scopes);
		bounded(c.who, sizeof c.who);
		bounded(c.tid, sizeof c.tid);
		ms_scope_has(c.scopes, "Directory.Read.All");
	} else {
		MUST(err_msg()[0]);
	}
	err_clear();
}

static void b64_round_trip(const char *s, size_t n)
{
	struct buf dec = { 0 }, enc = { 0 }, again = { 0 };
	if (auth_b64url_dec(&dec, s, n) == 0) {
		MUST(auth_b64url_enc(&enc, dec.p ? dec.p : "", dec.len) == 0);
		MUST(auth_b64url_dec(&again, enc.p ? enc.p : "", enc.len) == 0);
		MUST(again.len == dec.len && (!dec.len || !memcmp(again.p, dec.p, dec.len)));
	}
	err_clear();
	buf_free(&dec);
	buf_free(&enc);
	buf_free(&again);
}

static void printable(const char *t)
{
	if (!t)
		return;
	for (const char *p = t; *p; p++)
		MUST(*p > ' ' && *p <= '~');
}

static void replies(int which, int status, const char *body, size_t n)
{
	struct auth_oauth_err e;
	int64_t now = 1764000000;
	if (which == 2) {
		struct auth_token t;
		memset(&t, 0, sizeof t);
		int r = auth_parse_token_reply(status, body, n, now, &t, &e);
		MUST(r >= -1 && r <= 1);
		if (r == 0) {
			MUST(t.access != NULL);
			printable(t.access);
			printable(t.refresh);
			bounded(t.scope, sizeof t.scope);
			MUST(t.expires_at > now);
			token(t.access);
		}
		auth_token_wipe(&t);
		if (r == 1)
			MUST(auth_oauth_fail(&e) == -1 && err_msg()[0]);
		if (r == -1)
			MUST(err_msg()[0]);
	} else {
		struct auth_devcode d;
		memset(&d, 0, sizeof d);
		int r = auth_parse_devcode_reply(status, body, n, now, &d, &e);
		MUST(r >= -1 && r <= 1);
		if (r == 0) {
			MUST(d.device_code != NULL);
			bounded(d.user_code, sizeof d.user_code);
			bounded(d.uri, sizeof d.uri);
			MUST(d.interval_ms > 0);
		}
		auth_devcode_wipe(&d);
		if (r == 1)
			MUST(auth_oauth_fail(&e) == -1 && err_msg()[0]);
	}
	err_clear();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2 || size > 64 * 1024)
		return 0;
	const char *p = (const char *)data + 1;
	size_t n = size - 1;
	char *s = malloc(n + 1);
	if (!s)
		return 0;
	memcpy(s, p, n);
	s[n] = 0;
	switch (data[0] % 4) {
	case 0:
		token(s);
		b64_round_trip(s, n);
		break;
	case 1: {
		struct buf t = { 0 };
		if (buf_puts(&t, "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.") == 0 &&
		    auth_b64url_enc(&t, p, n) == 0 && buf_puts(&t, ".c2ln") == 0)
			token(t.p);
		buf_free(&t);
		break;
	}
	default:
		if (n < 1)
			break;
		replies(data[0] % 4, (data[1] & 1) ? 400 : 200, s + 1, n - 1);
		break;
	}
	free(s);
	return 0;
}
