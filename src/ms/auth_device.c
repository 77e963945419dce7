/*
 * Device authorization grant (RFC 8628; Microsoft identity platform
 * "OAuth 2.0 device authorization grant", learn.microsoft.com/entra/
 * identity-platform/v2-oauth2-device-code): the responder signs in on a
 * phone or another browser, so MFA and conditional access work as they
 * do for any sign-in, and no password ever reaches this machine.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ms/ms.h"

#define POLL_RETRIES 3       /* transient network failures in a row */

/* Sleeps ms milliseconds in short steps so Ctrl-C is seen at once.
 * Returns 1 when stop() asked to give up. */
static int nap(long long ms, auth_stop_fn stop)
{
	while (ms > 0) {
		if (stop && stop())
			return 1;
		long long step = ms > 100 ? 100 : ms;
		struct timespec ts = { (time_t)(step / 1000), (long)(step % 1000) * 1000000L };
		nanosleep(&ts, NULL);
		ms -= step;
	}
	return stop && stop();
}

static void prompt(const char *label, const struct auth_devcode *d, int64_t now_ms)
{
	char until[16];
	time_t t = (time_t)(d->expires_at_ms / 1000);
	struct tm tm;
	long long left = (d->expires_at_ms - now_ms) / 1000;

	localtime_r(&t, &tm);
	strftime(until, sizeof until, "%H:%M", &tm);
	fprintf(stderr, "\n");
	tr_fprintf(stderr, M_AUTH_DEVICE_PROMPT, label, d->uri, d->user_code,
		(int)((left + 59) / 60), until);
	fprintf(stderr, "\n\n");
	fflush(stderr);
}

/* Time left, rewritten in place on a terminal; nothing in a log. */
static void countdown(const struct auth_devcode *d, int tty)
{
	if (!tty)
		return;
	long long left = (d->expires_at_ms - tm_now_ms()) / 1000;
	if (left < 0)
		left = 0;
	fprintf(stderr, "\r");
	tr_fprintf(stderr, M_AUTH_DEVICE_WAIT, (int)(left / 60), (int)(left % 60));
	fprintf(stderr, "   ");
	fflush(stderr);
}

static int start(struct auth_conn *c, const struct auth_cfg *a, const char *client_id,
		 const char *scope, struct auth_devcode *d)
{
	char url[600];
	struct buf f = { 0 };
	struct http_resp resp;
	struct auth_oauth_err e;
	int r = -1;

	if (auth_endpoint(url, sizeof url, a, "devicecode") < 0 ||
	    auth_form_add(&f, "client_id", client_id) < 0 || auth_form_add(&f, "scope", scope) < 0)
		goto done;
	if (auth_post(c, url, &f, &resp) < 0)
		goto done;
	r = auth_parse_devcode_reply(resp.status, resp.body.p, resp.body.len, tm_now(), d, &e);
	http_resp_free(&resp);
	if (r == 1)
		r = auth_oauth_fail(&e);
	else if (r < 0)
		err_context(E_AUTH_HTTP_CTX, url);
done:
	buf_free(&f);
	return r;
}

int auth_device_flow(const struct auth_cfg *a, const char *client_id, const char *scope,
		     const char *label, auth_stop_fn stop, struct auth_token *out)
{
	struct auth_conn *c = NULL;
	struct auth_devcode d = { 0 };
	struct auth_oauth_err e;
	struct buf f = { 0 };
	int tty = isatty(2), fails = 0, r = -1;

	memset(out, 0, sizeof *out);
	if (auth_conn_new(&c, a) < 0)
		return -1;
	if (start(c, a, client_id, scope, &d) < 0)
		goto done;
	prompt(label, &d, tm_now_ms());
	if (auth_buf_reserve(&f, strlen(d.device_code) * 3 + 512) < 0 ||
	    auth_form_add(&f, "grant_type", "urn:ietf:params:oauth:grant-type:device_code") < 0 ||
	    auth_form_add(&f, "client_id", client_id) < 0 ||
	    auth_form_add(&f, "device_code", d.device_code) < 0)
		goto done;
	for (;;) {
		countdown(&d, tty);
		if (nap(d.interval_ms, stop)) {
			r = err_set(E_AUTH_INTERRUPTED);
			goto done;
		}
		/* Past the code's life, polling is pointless: say so now. */
		if (tm_now_ms() >= d.expires_at_ms) {
			r = err_set(E_AUTH_CODE_EXPIRED);
			goto done;
		}
		r = auth_token_call(c, a, &f, out, &e);
		if (r < 0) {
			/* A lost connection while the user is typing the code
			 * should not cost them the sign-in. */
			if (++fails < POLL_RETRIES)
				continue;
			goto done;
		}
		fails = 0;
		if (r == 0)
			break;
		if (!strcmp(e.error, "authorization_pending"))
			continue;
		if (!strcmp(e.error, "slow_down")) {
			/* RFC 8628 §3.5: add 5 seconds to the interval, for this
			 * and every later request. */
			d.interval_ms += 5000;
			if (tty)
				fprintf(stderr, "\n");
			tr_fprintf(stderr, M_AUTH_SLOW_DOWN, (int)((d.interval_ms + 999) / 1000));
			fprintf(stderr, "\n");
			continue;
		}
		if (!strcmp(e.error, "authorization_declined"))
			r = err_set(E_AUTH_DECLINED);
		else if (!strcmp(e.error, "expired_token"))
			r = err_set(E_AUTH_CODE_EXPIRED);
		else if (!strcmp(e.error, "bad_verification_code"))
			r = err_set(E_AUTH_BAD_CODE);
		else
			r = auth_oauth_fail(&e);
		goto done;
	}
	snprintf(out->client_id, sizeof out->client_id, "%s", client_id);
	r = 0;
done:
	if (tty)
		fprintf(stderr, "\r%60s\r", "");
	buf_wipe(&f);
	auth_devcode_wipe(&d);
	auth_conn_free(c);
	return r;
}
