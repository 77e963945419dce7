/*
 * One request to Graph or Exchange, with what surrounds every one:
 *  - the service's throttling hold is waited out before anything is sent,
 *    and again once the connection is open, right before the bytes leave;
 *  - a bearer token from the token source, wiped after use;
 *  - a fresh client-request-id (UUID v4), which Graph echoes and keeps in
 *    its logs ("client-request-id" header, learn.microsoft.com/graph/
 *    best-practices-concept), so the tenant's logs can be matched;
 *  - 429 and 503 hold the whole service for Retry-After (or a backoff),
 *    500/502/504 and network errors retry this request after a backoff,
 *    401 is retried once (a token may have expired in flight); the
 *    max_retries attempts bound the failures, not the 429/503 that carry
 *    a Retry-After, which only the cap on total throttling wait bounds;
 *  - every attempt but the final one is logged to requests.jsonl here;
 *    the caller logs the final one once it has saved the body.
 * The guard refusing a request is final: never retried.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "case/case.h"
#include "ms/ms.h"

void ms_call_free(struct ms_call *c)
{
	http_resp_free(&c->resp);
	memset(&c->resp, 0, sizeof c->resp);
}

static void sleep_ms(int64_t ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0)
		;
}

static int guard_error(void)
{
	enum msg_id id = err_id();
	return id == E_GUARD_REFUSED || id == E_GUARD_HOST || id == E_GUARD_BATCH ||
	       id == E_GUARD_CMDLET || id == E_GUARD_INVOKE || id == E_HTTP_METHOD ||
	       id == E_URL_NOT_HTTPS || id == E_HTTP_REQ_HEADER || id == E_URL_BAD;
}

/* An answer over a size limit (body, headers) comes back the same the
 * next time: said at once, with the request it answered, not after
 * max_retries downloads of it. */
static int size_error(void)
{
	enum msg_id id = err_id();
	return id == E_HTTP_BODY_SIZE || id == E_HTTP_HEAD_SIZE || id == E_HTTP_HEAD_LINES;
}

static void log_attempt(struct ms_svc *s, struct ms_call *c, int status, const char *error,
			const char *retry_after)
{
	struct case_req r = {
		.time_ms = c->t0_wall_ms,
		.elapsed_ms = c->elapsed_ms,
		.method = c->method,
		.url = c->url,
		.status = status,
		.request_id = status ? http_resp_header(&c->resp, "request-id") : NULL,
		.client_request_id = c->crid,
		.bytes = c->resp.body_bytes,
		.error = error,
		.retry_after = retry_after,
	};
	if (case_log(s->o.cs, &r) < 0)
		err_clear();   /* the request log must not stop a collection */
}

void ms_call_log(struct ms_svc *s, struct ms_call *c, const char *rel, const char *sha,
		 const char *error)
{
	struct case_req r = {
		.time_ms = c->t0_wall_ms,
		.elapsed_ms = c->elapsed_ms,
		.method = c->method,
		.url = c->url,
		.status = c->resp.status,
		.request_id = http_resp_header(&c->resp, "request-id"),
		.client_request_id = c->crid,
		.bytes = c->resp.body_bytes,
		.sha256 = sha,
		.path = rel,
		.error = error,
	};
	if (case_log(s->o.cs, &r) < 0)
		err_clear();
}

static void bump(struct ms_svc *s, unsigned long *counter)
{
	pthread_mutex_lock(&s->mu);
	(*counter)++;
	pthread_mutex_unlock(&s->mu);
}

enum { SEND_NO_TOKEN = -2 };

/* http_req.ready: net/ calls it on the connection about to carry the
 * request, right before the first byte is written. */
struct ready_ctx {
	struct ms_throttle *thr;
	struct ms_call *c;
};

/* net/'s last word before the request leaves: the hold, and the time
 * the request log gives as its sending (after any wait). */
static int ready(void *ctx)
{
	struct ready_ctx *x = ctx;
	int waited = ms_throttle_wait(x->thr);
	x->c->t0_wall_ms = tm_now_ms();
	x->c->t0_mono_ms = tm_mono_ms();
	return waited;
}

/* Sends once. 0 with a response, -1 with err set (no response),
 * SEND_NO_TOKEN when the token source failed. */
static int send_once(struct ms_svc *s, struct ms_call *c)
{
	struct buf tok = { 0 }, auth = { 0 };
	struct http_hdr h[10];
	size_t nh = 0;
	int slot, rc = -1;

	/* The guard first, before a token is even fetched; net/ asks it
	 * again for this request and for every redirect hop. */
	struct url gu;
	if (url_parse(&gu, c->url) < 0)
		return -1;
	int g = guard_policy(&s->guard, c->method, &gu, c->body, c->body ? c->body_len : 0);
	url_free(&gu);
	if (g < 0)
		return -1;
	if (net_uuid4(c->crid) < 0)
		return -1;
	/* The connection first, then the hold: a thread that waited for a
	 * free connection must not send on the strength of a throttling
	 * check made before another thread's 429 came back. */
	struct http_client *hc = ms_conn_get(s, &slot);
	if (!hc)
		return -1;
	ms_throttle_wait(&s->thr);
	if (s->o.tok.get(s->o.tok.ctx, s->aud, &tok) < 0) {
		rc = SEND_NO_TOKEN;    /* the source did its own retries */
		goto out;
	}
	if (buf_puts(&auth, "Bearer ") < 0 || buf_append(&auth, tok.p, tok.len) < 0)
		goto out;
	h[nh++] = (struct http_hdr){ "Authorization", auth.p };
	h[nh++] = (struct http_hdr){ "Accept", "application/json" };
	h[nh++] = (struct http_hdr){ "client-request-id", c->crid };
	h[nh++] = (struct http_hdr){ "return-client-request-id", "true" };
	if (c->eventual)
		h[nh++] = (struct http_hdr){ "ConsistencyLevel", "eventual" };
	if (c->prefer)
		h[nh++] = (struct http_hdr){ "Prefer", c->prefer };
	if (c->body)
		h[nh++] = (struct http_hdr){ "Content-Type", "application/json" };
	if (c->exo) {
		h[nh++] = (struct http_hdr){ "X-ResponseFormat", "json" };
		h[nh++] = (struct http_hdr){ "X-AnchorMailbox", c->anchor ? c->anchor : s->anchor };
	}
	struct ready_ctx rx = { &s->thr, c };
	struct http_req req = {
		.method = c->method, .url = c->url, .hdrs = h, .nhdrs = nh,
		.body = c->body, .body_len = c->body_len,
		/* every POST reflexe sends reads ($batch of GETs, Get-*) */
		.idempotent = 1,
		/* The hold again, once connected: a 429 that came back on
		 * another connection while this one was being opened (TCP,
		 * TLS handshake) or while the token was fetched holds this
		 * request too. */
		.ready = ready, .ready_ctx = &rx,
	};
	c->t0_wall_ms = tm_now_ms();
	c->t0_mono_ms = tm_mono_ms();
	ms_call_free(c);
	rc = http_do(hc, &req, &c->resp);
	c->elapsed_ms = tm_mono_ms() - c->t0_mono_ms;
	bump(s, &s->st.requests);
	if (rc == 0) {
		/* Throttled: hold the service now, first thing, while this
		 * thread still has the connection; once it is back in the
		 * pool, a waiting thread would send at once, inside the
		 * Retry-After. */
		int st = c->resp.status;
		if (st == 429 || st == 503) {
			c->has_ra = ms_throttle_delay(http_resp_header(&c->resp, "Retry-After"),
						      http_resp_header(&c->resp, "Date"), c->failures,
						      &c->wait_ms);
			c->hold_rc = ms_throttle_hold(&s->thr, c->wait_ms, &c->added_ms);
			err_clear();
		}
		case_note_date(s->o.cs, http_resp_header(&c->resp, "Date"), tm_now());
		if (st != 429 && st != 503 && c->exo)
			exo_rate_limit(s, &c->resp);
		if (st != 429 && st != 503 && c->seen)
			c->seen(c->seen_ctx, s, &c->resp);
	}
out:
	ms_conn_put(s, slot);
	buf_wipe(&tok);
	buf_wipe(&auth);
	return rc;
}

int ms_call_do(struct ms_svc *s, struct ms_call *c)
{
	int retried_401 = 0;
	unsigned max = (unsigned)s->o.max_retries;

	c->gave_up = 0;
	c->failures = 0;
	for (c->attempts = 1;; c->attempts++) {
		if (s->o.offline)
			return err_set(E_MS_OFFLINE, c->url);
		int sr = send_once(s, c);
		if (sr < 0) {
			if (size_error()) {
				/* Which answer: the limit's message names the host. */
				struct buf shown = { 0 };
				case_redact_url(c->url, &shown);
				err_context(E_MS_ANSWER_TO, c->method, shown.p ? shown.p : "?");
				buf_free(&shown);
				return -1;
			}
			if (sr == SEND_NO_TOKEN || guard_error() || ++c->failures >= max)
				return -1;
			/* A network failure: this request only waits. */
			int64_t w = ms_backoff_ms(c->failures - 1, net_random32());
			log_attempt(s, c, 0, err_msg(), NULL);
			ms_progress(s, 1, M_MS_RETRY, s->name, err_msg(), (double)w / 1000.0);
			err_clear();
			bump(s, &s->st.retries);
			sleep_ms(w);
			continue;
		}
		int st = c->resp.status;
		if (st == 401 && !retried_401) {
			retried_401 = 1;
			c->failures++;
			log_attempt(s, c, st, "401", NULL);
			bump(s, &s->st.retries);
			continue;
		}
		int throttled = st == 429 || st == 503;
		if (!throttled && st != 500 && st != 502 && st != 504)
			return 0;
		const char *ra = http_resp_header(&c->resp, "Retry-After");
		int64_t w = c->wait_ms;
		int has_ra = c->has_ra;
		if (!throttled) {
			has_ra = ra && ms_retry_after_ms(ra, http_resp_header(&c->resp, "Date"),
							 tm_now(), &w) == 0;
			if (!has_ra)
				w = ms_backoff_ms(c->failures, net_random32());
		}
		if (throttled)
			bump(s, &s->st.throttled);
		/* A 429/503 that says how long to wait is not a failure: it
		 * is retried for as long as the cap on total throttling wait
		 * allows (below), however many times the service asks. A
		 * tenant with many admins meets Graph's 10-per-minute
		 * signInActivity limit more often than max_retries. */
		if (!(throttled && has_ra) && ++c->failures >= max) {
			c->gave_up = 1;
			return 0;
		}
		log_attempt(s, c, st, NULL, ra);
		bump(s, &s->st.retries);
		if (throttled) {
			/* The whole service waits (Graph throttling guidance):
			 * send_once has set the hold, or found the cap reached. */
			if (c->hold_rc < 0)
				return ms_throttle_cap_error(&s->thr, w);
			ms_progress(s, 1, M_MS_WAIT, s->name, st, (double)w / 1000.0,
				    tr(has_ra ? M_MS_WAIT_RA : M_MS_WAIT_BACKOFF));
		} else {
			sleep_ms(w);
		}
	}
}
