/*
 * Replies of the token and device-code endpoints (Microsoft identity
 * platform v2.0; RFC 6749 §5.1-5.2, RFC 8628 §3.2), and what the user
 * is told when Microsoft refuses: the AADSTS number carried in
 * error_codes / error_description ("Microsoft Entra authentication and
 * authorization error codes", learn.microsoft.com/entra/identity-platform/
 * reference-error-codes) mapped to a sentence saying what to do.
 * Everything here is hostile input: bounded sizes, strict types.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ms/ms.h"

#define REPLY_MAX_TOKENS 512
#define REPLY_MAX_DEPTH 8
#define TOKEN_MAX (32 * 1024)     /* Entra tokens are 1-4 KiB; a margin */

void auth_token_wipe(struct auth_token *t)
{
	if (t->access) {
		mem_wipe(t->access, strlen(t->access));
		free(t->access);
	}
	if (t->refresh) {
		mem_wipe(t->refresh, strlen(t->refresh));
		free(t->refresh);
	}
	mem_wipe(t, sizeof *t);
}

void auth_devcode_wipe(struct auth_devcode *d)
{
	if (d->device_code) {
		mem_wipe(d->device_code, strlen(d->device_code));
		free(d->device_code);
	}
	mem_wipe(d, sizeof *d);
}

/* A string field holding a secret: malloc'ed copy, bounded. 1 absent. */
static int secret_str(const struct json *j, const char *path, char **out)
{
	int t = json_get(j, 0, path);
	size_t n;
	*out = NULL;
	if (json_type(j, t) == JSON_ABSENT || json_type(j, t) == JSON_NULL)
		return 1;
	if (json_type(j, t) != JSON_STR)
		return err_set(E_AUTH_REPLY_FIELD, path);
	json_raw(j, t, &n);
	if (n == 0 || n > TOKEN_MAX)
		return err_set(E_AUTH_REPLY_FIELD, path);
	*out = json_strdup(j, 0, path);
	if (!*out)
		return err_set(E_AUTH_REPLY_FIELD, path);
	/* Tokens are printable ASCII (JWS compact form, or Entra's opaque
	 * refresh tokens): anything else is not a token we can send back in
	 * a header or a form. */
	for (const char *p = *out; *p; p++)
		if (*p <= ' ' || *p > '~') {
			mem_wipe(*out, strlen(*out));
			free(*out);
			*out = NULL;
			return err_set(E_AUTH_REPLY_FIELD, path);
		}
	return 0;
}

/* A decimal number of seconds (digits, a fraction, an exponent: "3599",
 * 0.2, 3.6e3; leading blanks and a sign as strtod took them) in
 * milliseconds, rounded half up, when it is at most max_s; -1 otherwise.
 * Integer arithmetic: strtod's floating-point parser (musl's floatscan,
 * and the software long double it needs on aarch64) was 7 to 13 KB of
 * the binary. Past 18 significant digits the rest only counts as "more". */
static long long decimal_ms(const char *s, long long max_s)
{
	static const long long p10[] = { 1, 10, 100, 1000, 10000, 100000, 1000000,
		10000000, 100000000, 1000000000, 10000000000, 100000000000,
		1000000000000, 10000000000000, 100000000000000, 1000000000000000,
		10000000000000000, 100000000000000000, 1000000000000000000 };
	long long m = 0, x = 0, fl, r = 0;   /* value: m × 10^(k - 3) */
	int nd = 0, any = 0, more = 0, neg = 0, k = 3;

	while (*s == ' ' || (*s >= '\t' && *s <= '\r'))
		s++;
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	for (int frac = 0;; s++) {
		if (*s == '.' && !frac) {
			frac = 1;
			continue;
		}
		if (*s < '0' || *s > '9')
			break;
		any = 1;
		if (nd < 18) {
			m = m * 10 + (*s - '0');
			nd += m != 0;
			k -= frac;
		} else {
			more |= *s != '0';
			k += !frac;
		}
	}
	if (!any)
		return -1;
	if (*s == 'e' || *s == 'E') {
		int eneg = 0;
		s++;
		if (*s == '+' || *s == '-')
			eneg = *s++ == '-';
		if (*s < '0' || *s > '9')
			return -1;
		for (; *s >= '0' && *s <= '9'; s++)
			if (x < 100000)
				x = x * 10 + (*s - '0');
		k += (int)(eneg ? -x : x);
	}
	if (*s || (neg && (m || more)))
		return -1;
	if (m == 0)
		return 0;
	if (k >= 0) {
		if (k > 18 || m > max_s * 1000 / p10[k])
			return -1;
		fl = m * p10[k];
	} else if (k < -18) {
		fl = 0, r = 1;          /* below a millisecond: 0 */
	} else {
		fl = m / p10[-k], r = m % p10[-k];
	}
	if (fl > max_s * 1000 || (fl == max_s * 1000 && (more || r)))
		return -1;
	return fl + (k < -18 ? 0 : k < 0 && 2 * r >= p10[-k]);
}

/* A number of seconds, sent as a JSON number (v2.0 endpoint) or as a
 * numeric string (v1.0 endpoint, some proxies): milliseconds out. */
static int seconds_ms(const struct json *j, const char *path, long long max_s, long long *ms)
{
	int t = json_get(j, 0, path);
	char tmp[32];
	size_t n;
	const char *s;

	if (json_type(j, t) == JSON_ABSENT || json_type(j, t) == JSON_NULL)
		return 1;
	if (json_type(j, t) != JSON_NUM && json_type(j, t) != JSON_STR)
		return err_set(E_AUTH_REPLY_FIELD, path);
	s = json_raw(j, t, &n);
	if (n == 0 || n >= sizeof tmp)
		return err_set(E_AUTH_REPLY_FIELD, path);
	memcpy(tmp, s, n);
	tmp[n] = 0;
	*ms = decimal_ms(tmp, max_s);
	return *ms < 0 ? err_set(E_AUTH_REPLY_FIELD, path) : 0;
}

/* error_description without its trailer ("Trace ID: … Correlation ID: …
 * Timestamp: …", noise to a responder), control characters made spaces,
 * bounded: it is text from the network shown on a terminal. */
static void clean_desc(char *d)
{
	char *cut = strstr(d, " Trace ID:");
	if (!cut)
		cut = strstr(d, "\r\nTrace ID:");
	if (cut)
		*cut = 0;
	for (unsigned char *p = (unsigned char *)d; *p; p++)
		if (*p < ' ' || *p == 0x7f)
			*p = ' ';
}

static void parse_oauth_err(const struct json *j, struct auth_oauth_err *e)
{
	long long code = 0;
	char *p;

	memset(e, 0, sizeof *e);
	if (json_str(j, 0, "error", e->error, sizeof e->error) != 0)
		snprintf(e->error, sizeof e->error, "?");
	err_clear();
	/* error_description may be longer than we show: take what fits. */
	int t = json_get(j, 0, "error_description");
	if (json_type(j, t) == JSON_STR) {
		char *d = json_strdup(j, 0, "error_description");
		if (d) {
			snprintf(e->desc, sizeof e->desc, "%s", d);
			free(d);
		}
	}
	if (json_int(j, 0, "error_codes.0", &code) == 0 && code > 0 && code < 100000000)
		e->code = (long)code;
	else if ((p = strstr(e->desc, "AADSTS")) != NULL)
		e->code = strtol(p + 6, NULL, 10);
	err_clear();
	/* The description starts with "AADSTS65001: "; the number is shown
	 * by our own message. */
	if (!strncmp(e->desc, "AADSTS", 6)) {
		char *colon = strstr(e->desc, ": ");
		if (colon)
			memmove(e->desc, colon + 2, strlen(colon + 2) + 1);
	}
	clean_desc(e->desc);
	for (unsigned char *q = (unsigned char *)e->error; *q; q++)
		if (*q < ' ' || *q > '~')
			*q = '?';
}

/* 0 parsed; 1 OAuth error (e filled); -1 anything else (err_set). */
static int open_reply(struct json *j, int status, const char *body, size_t n,
		      struct auth_oauth_err *e)
{
	struct json_limits lim = { REPLY_MAX_TOKENS, REPLY_MAX_DEPTH };
	memset(j, 0, sizeof *j);
	if (!body || json_parse(j, body, n, lim) < 0 || json_type(j, 0) != JSON_OBJ) {
		json_free(j);
		return err_set(E_AUTH_REPLY_HTTP, status);
	}
	if (status == 200)
		return 0;
	if (json_type(j, json_get(j, 0, "error")) == JSON_STR && status >= 400 && status < 500) {
		parse_oauth_err(j, e);
		json_free(j);
		return 1;
	}
	json_free(j);
	return err_set(E_AUTH_REPLY_HTTP, status);
}

int auth_parse_token_reply(int status, const char *body, size_t n, int64_t now,
			   struct auth_token *t, struct auth_oauth_err *e)
{
	struct json j;
	char type[32];
	long long ms = 0;
	int r;

	memset(t, 0, sizeof *t);
	if ((r = open_reply(&j, status, body, n, e)) != 0)
		return r;
	if (secret_str(&j, "access_token", &t->access) != 0) {
		if (!t->access)
			err_set(E_AUTH_REPLY_FIELD, "access_token");
		goto bad;
	}
	if (secret_str(&j, "refresh_token", &t->refresh) < 0)
		goto bad;
	r = json_str(&j, 0, "token_type", type, sizeof type);
	if (r < 0 || (r == 0 && strcasecmp(type, "Bearer"))) {
		err_set(E_AUTH_REPLY_FIELD, "token_type");
		goto bad;
	}
	/* RFC 6749 §5.1 only recommends expires_in; Entra always sends
	 * it. Without it, assume a short life rather than a long one. */
	r = seconds_ms(&j, "expires_in", 7 * 86400, &ms);
	if (r < 0)
		goto bad;
	/* Under a second ("0.99") is a token dead on arrival: refused, as
	 * the device-code reply's, rather than used and asked for again. */
	if (r == 0 && ms < 1000) {
		err_set(E_AUTH_REPLY_FIELD, "expires_in");
		goto bad;
	}
	t->expires_at = now + (r == 1 ? 300 : ms / 1000);
	t->obtained_at = now;
	if (json_str(&j, 0, "scope", t->scope, sizeof t->scope) < 0)
		goto bad;
	json_free(&j);
	return 0;
bad:
	json_free(&j);
	auth_token_wipe(t);
	return -1;
}

int auth_parse_devcode_reply(int status, const char *body, size_t n, int64_t now,
			     struct auth_devcode *d, struct auth_oauth_err *e)
{
	struct json j;
	long long ms = 0;
	int r;

	memset(d, 0, sizeof *d);
	if ((r = open_reply(&j, status, body, n, e)) != 0)
		return r;
	if (secret_str(&j, "device_code", &d->device_code) != 0) {
		if (!d->device_code)
			err_set(E_AUTH_REPLY_FIELD, "device_code");
		goto bad;
	}
	if (json_str(&j, 0, "user_code", d->user_code, sizeof d->user_code) != 0 || !d->user_code[0]) {
		err_set(E_AUTH_REPLY_FIELD, "user_code");
		goto bad;
	}
	/* v2.0 says verification_uri (RFC 8628); the v1.0 endpoint said
	 * verification_url. */
	r = json_str(&j, 0, "verification_uri", d->uri, sizeof d->uri);
	if (r == 1)
		r = json_str(&j, 0, "verification_url", d->uri, sizeof d->uri);
	if (r != 0 || strncmp(d->uri, "https://", 8)) {
		err_set(E_AUTH_REPLY_FIELD, "verification_uri");
		goto bad;
	}
	/* What the user is told to type and open must be plain text. */
	for (const char *p = d->user_code; *p; p++)
		if (*p <= ' ' || *p > '~') {
			err_set(E_AUTH_REPLY_FIELD, "user_code");
			goto bad;
		}
	for (const char *p = d->uri; *p; p++)
		if (*p <= ' ' || *p > '~') {
			err_set(E_AUTH_REPLY_FIELD, "verification_uri");
			goto bad;
		}
	if (seconds_ms(&j, "expires_in", 86400, &ms) != 0 || ms < 1000) {
		err_set(E_AUTH_REPLY_FIELD, "expires_in");
		goto bad;
	}
	d->expires_at_ms = now * 1000 + ms;
	/* RFC 8628 §3.2: interval is optional, 5 s by default. */
	r = seconds_ms(&j, "interval", 600, &ms);
	if (r < 0)
		goto bad;
	d->interval_ms = r == 1 ? 5000 : ms < 50 ? 50 : ms;
	json_free(&j);
	return 0;
bad:
	json_free(&j);
	auth_devcode_wipe(d);
	return -1;
}

/* ---- what to tell the user ------------------------------------------------ */
static const struct {
	long code;
	enum msg_id msg;
} aadsts[] = {
	{ 65001, E_AADSTS_CONSENT },        /* consent missing */
	{ 65004, E_AADSTS_DECLINED },       /* user declined consent */
	{ 50076, E_AADSTS_MFA },            /* MFA required (location, policy change) */
	{ 50074, E_AADSTS_MFA },            /* strong authentication required */
	{ 50079, E_AADSTS_MFA_ENROLL },     /* must register for MFA */
	{ 53003, E_AADSTS_CA },             /* blocked by conditional access */
	{ 53000, E_AADSTS_CA_DEVICE },      /* device not compliant / managed */
	{ 53001, E_AADSTS_CA_DEVICE },
	{ 50105, E_AADSTS_NOT_ASSIGNED },   /* user not assigned to the app */
	{ 50057, E_AADSTS_DISABLED },       /* account disabled */
	{ 50053, E_AADSTS_LOCKED },         /* locked or sign-in blocked */
	{ 50133, E_AADSTS_PWD_CHANGED },    /* session void after password change */
	{ 50173, E_AADSTS_RT_REVOKED },     /* grant revoked (password reset…) */
	{ 70043, E_AADSTS_RT_REVOKED },     /* refresh token expired by CA sign-in frequency */
	{ 700082, E_AADSTS_RT_REVOKED },    /* refresh token expired (inactivity) */
	{ 70008, E_AADSTS_RT_REVOKED },     /* code or refresh token expired */
	{ 9002313, E_AADSTS_RT_REVOKED },   /* malformed or unknown grant */
	{ 700022, E_AADSTS_OTHER_CLIENT },  /* refresh token of another client */
	{ 70000, E_AADSTS_OTHER_CLIENT },   /* grant issued to another client */
	{ 7000215, E_AADSTS_BAD_SECRET },   /* invalid client secret */
	{ 7000222, E_AADSTS_SECRET_EXPIRED },
	{ 7000218, E_AADSTS_NO_CREDENTIAL },
	{ 700027, E_AADSTS_BAD_ASSERTION }, /* assertion signature not verified */
	{ 700024, E_AADSTS_ASSERTION_TIME },/* assertion outside its time range */
	{ 700021, E_AADSTS_BAD_ASSERTION }, /* assertion audience */
	{ 700016, E_AADSTS_UNKNOWN_CLIENT },/* application not found in tenant */
	{ 90002, E_AADSTS_TENANT },         /* tenant not found */
	{ 900023, E_AADSTS_TENANT },        /* tenant neither GUID nor domain */
	{ 50020, E_AADSTS_WRONG_TENANT },   /* account of another tenant */
	{ 500011, E_AADSTS_RESOURCE },      /* resource principal not in tenant */
	{ 70011, E_AADSTS_SCOPE },          /* invalid scope */
	{ 1002012, E_AADSTS_SCOPE },
};

enum msg_id auth_aadsts_msg(long code)
{
	for (size_t i = 0; i < sizeof aadsts / sizeof aadsts[0]; i++)
		if (aadsts[i].code == code)
			return aadsts[i].msg;
	return E_AUTH_OAUTH;
}

int auth_oauth_fail(const struct auth_oauth_err *e)
{
	enum msg_id m = auth_aadsts_msg(e->code);
	if (m != E_AUTH_OAUTH)
		return err_set(m, e->code);
	return err_set(E_AUTH_OAUTH, e->error, e->code, e->desc[0] ? e->desc : "-");
}
