/*
 * Graph JSON batching ("Combine multiple requests in one HTTP call using
 * JSON batching", learn.microsoft.com/graph/json-batching):
 *  - at most 20 requests per $batch;
 *  - responses come back in any order and are matched by id;
 *  - each sub-request is throttled on its own: a 429 carries its own
 *    Retry-After in the sub-response's headers and only that request is
 *    to be retried ("Microsoft Graph throttling guidance": "retry the
 *    failed requests in a new batch after the time in Retry-After"),
 *    for as long as the cap on total throttling wait allows: a
 *    Retry-After uses none of the sub-request's failure attempts.
 *
 * Worker threads (one per connection) take up to 20 pending
 * sub-requests from a shared queue; a throttled or 5xx sub-request goes
 * back into the queue and the service's shared hold keeps every worker
 * quiet until its Retry-After is over. 4xx answers are mapped into the
 * sub-request's own result. Each 2xx sub-response body is saved, as the
 * exact bytes Graph sent, under the path of its sub-request, then handed
 * to the collector; a sub-response with a nextLink is followed by plain
 * GETs into page-0002.json….
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "case/case.h"
#include "ms/ms.h"

#define BATCH_MAX 20
#define WORKERS_PER_CONN 3    /* graph_batch says why */

struct bstate {
	struct ms_svc *s;
	const char *version;
	struct graph_sub *subs;
	size_t n;
	ms_item_fn fn;
	void *ctx;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	size_t *ring, head, len;       /* pending sub-requests (FIFO) */
	int64_t *not_before;           /* per sub-request: monotonic ms */
	size_t inflight, done;
	unsigned long batches, retries;
	int fatal;
	char msg[1024];
	int64_t t0;
};

/* ---- the queue ---------------------------------------------------------------- */

static void push(struct bstate *b, size_t i)
{
	b->ring[(b->head + b->len) % b->n] = i;
	b->len++;
}

/* Takes up to BATCH_MAX pending sub-requests; 0 when there is nothing
 * left to do (or the run stopped). */
static size_t take(struct bstate *b, size_t *out)
{
	size_t m = 0;
	pthread_mutex_lock(&b->mu);
	for (;;) {
		while (!b->fatal && b->len == 0 && b->inflight > 0)
			pthread_cond_wait(&b->cv, &b->mu);
		if (b->fatal || b->len == 0)
			break;
		/* One pass over the queue: the ready ones are taken, those
		 * still waiting out a backoff go round to the back. */
		int64_t now = tm_mono_ms(), next = INT64_MAX;
		for (size_t k = b->len; k > 0 && m < BATCH_MAX; k--) {
			size_t i = b->ring[b->head];
			b->head = (b->head + 1) % b->n;
			b->len--;
			if (b->not_before[i] <= now) {
				out[m++] = i;
			} else {
				push(b, i);
				if (b->not_before[i] < next)
					next = b->not_before[i];
			}
		}
		if (m > 0)
			break;
		/* Nothing ready yet: sleep until the first is, or until the
		 * queue changes. */
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		int64_t d = next - now;
		ts.tv_sec += (time_t)(d / 1000);
		ts.tv_nsec += (long)(d % 1000) * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&b->cv, &b->mu, &ts);
	}
	b->inflight += m;
	pthread_mutex_unlock(&b->mu);
	return m;
}

/* The sub-request is settled (requeue 0) or goes back in the queue. */
static void settle(struct bstate *b, size_t i, int requeue)
{
	pthread_mutex_lock(&b->mu);
	b->inflight--;
	if (requeue && b->fatal) {
		requeue = 0;    /* the run stopped: it stays failed */
		ms_strcpy(b->subs[i].res.detail, sizeof b->subs[i].res.detail, b->msg);
	}
	if (requeue) {
		push(b, i);
		b->retries++;
	} else {
		b->done++;
	}
	pthread_cond_broadcast(&b->cv);
	pthread_mutex_unlock(&b->mu);
}

static void stop(struct bstate *b)
{
	pthread_mutex_lock(&b->mu);
	if (!b->fatal)
		ms_strcpy(b->msg, sizeof b->msg, err_msg());
	b->fatal = 1;
	pthread_cond_broadcast(&b->cv);
	pthread_mutex_unlock(&b->mu);
}

/* ---- one sub-request's answer ----------------------------------------------------- */

static int sub_dir(const struct bstate *b, const struct graph_sub *g, struct buf *dir)
{
	char prefix[32];
	if (g->save_as) {
		buf_reset(dir);
		return case_rel_ok(g->save_as) < 0 ? -1 : buf_puts(dir, g->save_as);
	}
	snprintf(prefix, sizeof prefix, "graph/%s", b->version);
	return ms_path_dir(prefix, g->url, dir);
}

static void sub_url(const struct bstate *b, const struct graph_sub *g, struct buf *u)
{
	buf_reset(u);
	buf_printf(u, "%s/%s%s%s", b->s->base, b->version, g->url[0] == '/' ? "" : "/", g->url);
}

static void sub_log(struct bstate *b, struct case_batch *cb, const struct ms_call *c, size_t i,
		    int status, const char *rel, const char *sha, size_t bytes, const char *err,
		    const char *ra)
{
	struct buf u = { 0 };
	char id[24];
	snprintf(id, sizeof id, "%zu", i);
	sub_url(b, &b->subs[i], &u);
	struct case_req r = {
		.time_ms = c->t0_wall_ms, .elapsed_ms = c->elapsed_ms, .method = "GET",
		.url = u.p, .status = status, .client_request_id = c->crid,
		.request_id = http_resp_header(&c->resp, "request-id"), .bytes = bytes,
		.sha256 = sha, .path = rel, .error = err, .batch = c->crid, .sub_id = id,
		.retry_after = ra,
	};
	if (case_log_in(b->s->o.cs, cb, &r) < 0)
		err_clear();
	buf_free(&u);
}

/* Header of a sub-response, case-insensitive name. */
static int sub_header(const struct json *j, int resp, const char *name, char *out, size_t n)
{
	int h = json_get(j, resp, "headers");
	out[0] = 0;
	if (json_type(j, h) != JSON_OBJ)
		return -1;
	for (int v = json_first(j, h); v >= 0; v = json_next(j, v)) {
		char k[64];
		if (json_key(j, v, k, sizeof k) == 0 && !strcasecmp(k, name))
			return json_str(j, v, "", out, n) == 0 ? 0 : (err_clear(), -1);
		err_clear();
	}
	return -1;
}

/* A 2xx sub-response: save the body Graph sent, deliver it, follow its
 * nextLink. 0, or -1 with the sub-request's result failed. */
static int sub_ok(struct bstate *b, struct case_batch *cb, const struct ms_call *c, size_t i,
		  const struct json *bj, int body, int status)
{
	struct graph_sub *g = &b->subs[i];
	struct buf dir = { 0 };
	char rel[1200], sha[65];
	size_t len = 0;
	const char *raw = body >= 0 ? json_raw(bj, body, &len) : NULL;
	struct json j;
	int rc = -1;

	g->res.http = status;
	if (!raw || json_type(bj, body) != JSON_OBJ) {
		err_set(E_MS_PAGE_SHAPE, g->url);
		goto out;
	}
	if (sub_dir(b, g, &dir) < 0) {
		err_context(E_MS_SAVE_AS, g->url);
		goto out;
	}
	snprintf(rel, sizeof rel, "%s/page-0001.json", dir.p);
	if (case_begin_pages(b->s->o.cs, dir.p) < 0 ||
	    case_save_in(b->s->o.cs, cb, rel, raw, len, sha) < 0)
		goto out;
	sub_log(b, cb, c, i, status, rel, sha, len, NULL, NULL);
	if (ms_parse_page(&j, raw, len, rel) < 0)
		goto out;
	g->res.pages = 1;
	int r = ms_deliver(b->s, &j, rel, b->fn, b->ctx, &g->res);
	char *next = NULL;
	if (r == 0)
		r = ms_next_link(&j, g->url, &next);
	json_free(&j);
	if (r < 0)
		goto out;
	err_clear();
	g->res.st = MS_OK;
	if (next) {
		/* The rest of this sub-request's collection: plain GETs. */
		char prefix[32];
		struct buf path = { 0 };
		snprintf(prefix, sizeof prefix, "/%s", b->version);
		buf_printf(&path, "%s%s%s", prefix, g->url[0] == '/' ? "" : "/", g->url);
		struct ms_pages_req q = {
			.method = "GET", .url = next, .dir = dir.p, .label = g->url, .path = path.p,
			.needs = g->needs, .eventual = g->eventual, .first_page = 2, .continuing = 1,
		};
		if (!ms_same_host(b->s, next)) {
			struct buf shown = { 0 };
			case_redact_url(next, &shown);
			err_set(E_MS_NEXTLINK, g->url, shown.p ? shown.p : "?");
			buf_free(&shown);
			g->res.st = MS_FAILED;
		} else {
			struct ms_result more = g->res;
			more.items = 0;
			more.pages = 0;
			if (ms_pages(b->s, &q, b->fn, b->ctx, &more) < 0 || more.st != MS_OK) {
				if (more.st != MS_FAILED)
					err_set(E_MS_HTTP, g->url, more.http, more.code);
				g->res.st = MS_FAILED;
			}
			g->res.items += more.items;
			g->res.pages += more.pages;
		}
		buf_free(&path);
		free(next);
		if (g->res.st == MS_FAILED)
			goto out;
	}
	rc = 0;
out:
	if (rc < 0) {
		g->res.st = MS_FAILED;
		ms_strcpy(g->res.detail, sizeof g->res.detail, err_msg());
		err_clear();
	}
	buf_free(&dir);
	return rc;
}

enum { SUB_SETTLED = 0, SUB_REQUEUE = 1, SUB_UNANSWERED = 2 };

/* Maps one element of "responses": SUB_SETTLED, SUB_REQUEUE, or
 * SUB_UNANSWERED when it carries no usable status (then it goes round
 * again like a missing answer, within the same cap: a server that keeps
 * sending garbage must not keep us looping). */
static int sub_answer(struct bstate *b, struct case_batch *cb, const struct ms_call *c, size_t i,
		      const struct json *j, int resp)
{
	struct graph_sub *g = &b->subs[i];
	long long status = 0;
	char ra[64];
	int body = json_get(j, resp, "body");

	if (json_int(j, resp, "status", &status) != 0 || status < 100 || status > 599) {
		err_clear();
		return SUB_UNANSWERED;
	}
	int st = (int)status;
	if (st / 100 == 2) {
		sub_ok(b, cb, c, i, j, body, st);
		return 0;
	}
	if (st == 429 || st == 503 || st == 500 || st == 502 || st == 504) {
		int has_ra = sub_header(j, resp, "Retry-After", ra, sizeof ra) == 0;
		sub_log(b, cb, c, i, st, NULL, NULL, 0, NULL, has_ra ? ra : NULL);
		pthread_mutex_lock(&b->s->mu);
		if (st == 429 || st == 503)
			b->s->st.throttled++;
		pthread_mutex_unlock(&b->s->mu);
		int64_t w;
		int said = 0;
		if (st == 429 || st == 503) {
			said = ms_throttle_delay(has_ra ? ra : NULL, NULL, g->failures, &w);
		} else if (!has_ra || ms_retry_after_ms(ra, NULL, tm_now(), &w) < 0) {
			err_clear();
			w = ms_backoff_ms(g->failures, net_random32());
		}
		/* As for single requests (graph_http.c): a 429/503 with its
		 * Retry-After uses no failure attempt; the cap on total
		 * throttling wait bounds it. */
		if (!said && ++g->failures >= (unsigned)b->s->o.max_retries) {
			g->res.st = MS_FAILED;
			g->res.http = st;
			snprintf(g->res.code, sizeof g->res.code, "HTTP_%d", st);
			tr_snprintf(g->res.detail, sizeof g->res.detail, E_MS_GAVE_UP, g->url, st, g->attempts);
			return 0;
		}
		/* 500/502/504: this sub-request alone waits its backoff */
		b->not_before[i] = tm_mono_ms() + w;
		if (st == 429 || st == 503) {
			/* The sub-request's Retry-After holds the service. */
			int64_t added;
			if (ms_throttle_hold(&b->s->thr, w, &added) < 0) {
				g->res.st = MS_FAILED;
				g->res.http = st;
				ms_strcpy(g->res.detail, sizeof g->res.detail, err_msg());
				stop(b);
				return 0;
			}
			if (added > 0)
				ms_progress(b->s, 1, M_MS_WAIT, b->s->name, st, (double)w / 1000.0,
					    tr(said ? M_MS_WAIT_RA : M_MS_WAIT_BACKOFF));
		}
		return 1;
	}
	size_t len = 0;
	const char *raw = body >= 0 && json_type(j, body) == JSON_OBJ ? json_raw(j, body, &len) : NULL;
	struct buf path = { 0 };
	buf_printf(&path, "/%s%s%s", b->version, g->url[0] == '/' ? "" : "/", g->url);
	ms_result_from_error(&g->res, MS_AUD_GRAPH, st, raw, len, path.p, g->needs, g->none_on_404);
	buf_free(&path);
	sub_log(b, cb, c, i, st, NULL, NULL, len, g->res.code, NULL);
	return 0;
}

/* ---- one $batch ------------------------------------------------------------------------ */

/* ms_call.seen for a $batch: the holds of its throttled sub-requests,
 * set while the connection is still ours (graph_http.c says why).
 * sub_answer sets them again when it maps each answer, which only
 * extends them by the time in between. */
static void batch_seen(void *ctx, struct ms_svc *s, const struct http_resp *r)
{
	struct json j;
	(void)ctx;
	if (r->status / 100 != 2 || !r->body.p ||
	    json_parse(&j, r->body.p, r->body.len, (struct json_limits){ 4 << 20, 64 }) < 0) {
		err_clear();
		return;
	}
	int resps = json_get(&j, 0, "responses");
	for (int k = json_type(&j, resps) == JSON_ARR ? json_first(&j, resps) : -1; k >= 0;
	     k = json_next(&j, k)) {
		long long st = 0;
		char ra[64];
		int64_t w;
		if (json_type(&j, k) != JSON_OBJ || json_int(&j, k, "status", &st) != 0 ||
		    (st != 429 && st != 503))
			continue;
		ms_throttle_delay(sub_header(&j, k, "Retry-After", ra, sizeof ra) == 0 ? ra : NULL,
				  NULL, 0, &w);
		ms_throttle_hold(&s->thr, w, NULL);
	}
	err_clear();
	json_free(&j);
}

static int build_body(const struct bstate *b, const size_t *idx, size_t m, struct buf *out)
{
	buf_reset(out);
	buf_puts(out, "{\"requests\":[");
	for (size_t k = 0; k < m; k++) {
		const struct graph_sub *g = &b->subs[idx[k]];
		buf_printf(out, "%s{\"id\":\"%zu\",\"method\":\"GET\",\"url\":", k ? "," : "", idx[k]);
		json_put_str(out, g->url);
		if (g->eventual)
			buf_puts(out, ",\"headers\":{\"ConsistencyLevel\":\"eventual\"}");
		buf_puts(out, "}");
	}
	return buf_puts(out, "]}");
}

static void run_batch(struct bstate *b, const size_t *idx, size_t m, struct buf *body,
		      struct buf *url)
{
	int answered[BATCH_MAX] = { 0 }, requeue[BATCH_MAX] = { 0 };
	struct json j;

	for (size_t k = 0; k < m; k++)
		b->subs[idx[k]].attempts++;
	pthread_mutex_lock(&b->s->mu);
	b->s->st.subrequests += m;
	pthread_mutex_unlock(&b->s->mu);
	if (build_body(b, idx, m, body) < 0) {
		stop(b);
		goto requeue_all;
	}
	struct ms_call c = { .method = "POST", .url = url->p, .body = body->p, .body_len = body->len,
			     .seen = batch_seen };
	pthread_mutex_lock(&b->mu);
	b->batches++;
	pthread_mutex_unlock(&b->mu);
	if (ms_call_do(b->s, &c) < 0) {
		/* The guard, the throttling cap, or the service unreachable
		 * after every retry: the run cannot go on. */
		ms_call_log(b->s, &c, NULL, NULL, err_msg());
		ms_call_free(&c);
		stop(b);
		goto requeue_all;
	}
	int st = c.resp.status;
	if (st / 100 != 2) {
		/* The $batch itself refused: every sub-request shares it. */
		struct ms_result r = { 0 };
		ms_result_from_error(&r, MS_AUD_GRAPH, st, c.resp.body.p, c.resp.body.len, url->p, NULL, 0);
		ms_call_log(b->s, &c, NULL, NULL, r.code);
		for (size_t k = 0; k < m; k++) {
			struct graph_sub *g = &b->subs[idx[k]];
			g->res = r;
			g->res.st = MS_FAILED;
			if (c.gave_up) {
				tr_snprintf(g->res.detail, sizeof g->res.detail, E_MS_GAVE_UP, "$batch", st,
					    c.attempts);
			}
			settle(b, idx[k], 0);
		}
		ms_call_free(&c);
		return;
	}
	ms_call_log(b->s, &c, NULL, NULL, NULL);
	struct case_batch cb = { 0 };
	int resps = -1;
	if (json_parse(&j, c.resp.body.p ? c.resp.body.p : "", c.resp.body.len,
		       (struct json_limits){ 4 << 20, 64 }) == 0) {
		resps = json_get(&j, 0, "responses");
		if (json_type(&j, resps) != JSON_ARR)
			resps = -1;
	} else {
		j = (struct json){ 0 };
	}
	err_clear();
	/* Two passes: the throttled answers first, so that the service is
	 * held before this worker spends time saving the others (the other
	 * workers must not send in the meantime), then the rest. */
	for (int pass = 0; pass < 2; pass++)
		for (int r = resps >= 0 ? json_first(&j, resps) : -1; r >= 0; r = json_next(&j, r)) {
			char id[24], *end;
			long long stv = 0;
			if (json_type(&j, r) != JSON_OBJ || json_str(&j, r, "id", id, sizeof id) != 0) {
				err_clear();
				continue;
			}
			if (json_int(&j, r, "status", &stv) != 0)
				err_clear();
			if ((stv == 429 || stv == 503) != (pass == 0))
				continue;
			unsigned long long v = strtoull(id, &end, 10);
			size_t k = 0;
			while (k < m && !(idx[k] == v && *id && !*end))
				k++;
			if (k == m || answered[k])
				continue;       /* not ours, or answered twice: ignored */
			int a = sub_answer(b, &cb, &c, idx[k], &j, r);
			answered[k] = a != SUB_UNANSWERED;
			requeue[k] = a == SUB_REQUEUE;
		}
	json_free(&j);
	ms_call_free(&c);
	/* One manifest write and one request-log write for the batch; a
	 * failure there fails its sub-requests (their files may be whole,
	 * but they are not listed). */
	if (case_commit(b->s->o.cs, &cb) < 0) {
		for (size_t k = 0; k < m; k++)
			if (answered[k] && !requeue[k] && b->subs[idx[k]].res.st == MS_OK) {
				b->subs[idx[k]].res.st = MS_FAILED;
				ms_strcpy(b->subs[idx[k]].res.detail, sizeof b->subs[idx[k]].res.detail,
					  err_msg());
			}
		err_clear();
	}
	case_batch_free(&cb);
	for (size_t k = 0; k < m; k++)
		if (answered[k])
			settle(b, idx[k], requeue[k]);
	/* Sub-requests without an answer go round again, within the cap. */
	for (size_t k = 0; k < m; k++) {
		if (answered[k])
			continue;
		struct graph_sub *g = &b->subs[idx[k]];
		if (++g->failures >= (unsigned)b->s->o.max_retries) {
			g->res.st = MS_FAILED;
			tr_snprintf(g->res.detail, sizeof g->res.detail, E_MS_SUB_MISSING, g->url, g->attempts);
			settle(b, idx[k], 0);
		} else {
			settle(b, idx[k], 1);
		}
	}
	return;
requeue_all:
	for (size_t k = 0; k < m; k++) {
		struct graph_sub *g = &b->subs[idx[k]];
		g->res.st = MS_FAILED;
		ms_strcpy(g->res.detail, sizeof g->res.detail, err_msg());
		settle(b, idx[k], 0);
	}
}

static void *worker(void *arg)
{
	struct bstate *b = arg;
	struct buf body = { 0 }, url = { 0 };
	size_t idx[BATCH_MAX], m;

	buf_printf(&url, "%s/%s/$batch", b->s->base, b->version);
	while ((m = take(b, idx)) > 0) {
		run_batch(b, idx, m, &body, &url);
		ms_progress(b->s, 0, M_PROG_BATCH, "$batch", (unsigned long)b->done,
			    (unsigned long)b->n);
	}
	buf_free(&body);
	buf_free(&url);
	return NULL;
}

/* ---- entry --------------------------------------------------------------------------- */

static int batch_offline(struct ms_svc *s, const char *version, struct graph_sub *subs, size_t n,
			 ms_item_fn fn, void *ctx)
{
	struct bstate b = { .s = s, .version = version, .subs = subs, .n = n };
	struct buf dir = { 0 };
	for (size_t i = 0; i < n; i++) {
		memset(&subs[i].res, 0, sizeof subs[i].res);
		if (sub_dir(&b, &subs[i], &dir) < 0 ||
		    ms_pages_offline(s, dir.p, fn, ctx, &subs[i].res) < 0) {
			subs[i].res.st = MS_FAILED;
			ms_strcpy(subs[i].res.detail, sizeof subs[i].res.detail, err_msg());
			if (err_id() == E_CASE_ALTERED || err_id() == E_CASE_UNLISTED ||
			    err_id() == E_CASE_MISSING) {
				buf_free(&dir);
				return -1;      /* tampered evidence stops the analysis */
			}
			err_clear();
		}
	}
	buf_free(&dir);
	return 0;
}

int graph_batch(struct ms_svc *s, const char *version, struct graph_sub *subs, size_t n,
		ms_item_fn fn, void *ctx)
{
	pthread_t th[WORKERS_PER_CONN * MS_MAX_PARALLEL];
	int nt, started = 0;

	if (strcmp(version, "v1.0") && strcmp(version, "beta"))
		return err_set(E_MS_OPTS, "Graph", version);
	if (n == 0)
		return 0;
	if (s->o.offline)
		return batch_offline(s, version, subs, n, fn, ctx);

	struct bstate b = { .s = s, .version = version, .subs = subs, .n = n, .fn = fn, .ctx = ctx,
			    .t0 = tm_mono_ms() };
	b.ring = malloc(n * sizeof *b.ring);
	b.not_before = calloc(n, sizeof *b.not_before);
	if (!b.ring || !b.not_before) {
		free(b.ring);
		free(b.not_before);
		return err_set(E_NOMEM);
	}
	pthread_mutex_init(&b.mu, NULL);
	pthread_cond_init(&b.cv, NULL);
	for (size_t i = 0; i < n; i++) {
		memset(&subs[i].res, 0, sizeof subs[i].res);
		subs[i].res.st = MS_FAILED;     /* until answered */
		subs[i].attempts = 0;
		subs[i].failures = 0;
		push(&b, i);
	}
	/* Several workers per connection: while one writes its batch's 20
	 * answers to the case folder (each fsynced before it is listed: on
	 * a USB stick that takes longer than the request), another keeps
	 * the connection busy. Connections, and so requests in flight to
	 * Graph, stay at `parallel` (the pool blocks the extra workers). */
	nt = WORKERS_PER_CONN * s->o.parallel;
	if ((size_t)nt > (n + BATCH_MAX - 1) / BATCH_MAX)
		nt = (int)((n + BATCH_MAX - 1) / BATCH_MAX);
	for (int i = 1; i < nt; i++) {
		if (pthread_create(&th[i], NULL, worker, &b) != 0)
			break;
		started = i;
	}
	worker(&b);
	for (int i = 1; i <= started; i++)
		pthread_join(th[i], NULL);
	ms_progress(s, 1, M_PROG_BATCH_DONE, "$batch", (unsigned long)b.done,
		    (double)(tm_mono_ms() - b.t0) / 1000.0, b.batches, b.retries);
	pthread_mutex_destroy(&b.mu);
	pthread_cond_destroy(&b.cv);
	free(b.ring);
	free(b.not_before);
	if (b.fatal) {
		/* Those never sent share the reason the run stopped. */
		for (size_t i = 0; i < n; i++)
			if (subs[i].res.st == MS_FAILED && !subs[i].res.detail[0])
				ms_strcpy(subs[i].res.detail, sizeof subs[i].res.detail, b.msg);
		return err_set(E_MS_RELAY, b.msg);
	}
	return 0;
}
