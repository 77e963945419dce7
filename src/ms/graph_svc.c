/*
 * A service client (Graph or Exchange): its endpoint, its throttling
 * hold, and a pool of keep-alive connections that worker threads borrow
 * one request at a time — one http_client per connection, as net/ wants.
 * Also the progress line on stderr and the small worker-thread runner.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "case/case.h"
#include "ms/ms.h"

/* Exchange routes admin API calls by X-AnchorMailbox. The organisation
 * arbitration mailbox SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}
 * exists in every tenant (Exchange "arbitration mailboxes" list); public
 * callers of the REST endpoint send "UPN:<it>@<initial domain>" with a
 * user token and "APP:<it>@<tenant id>" with an application token (as
 * KelvinTegelaar/CIPP and ExchangeOnlineManagement 3.x do). */
#define EXO_SYSTEM_MAILBOX "SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}"

int ms_svc_open(struct ms_svc **out, const struct ms_opts *o, enum ms_audience aud)
{
	struct ms_svc *s;
	const char *name = aud == MS_AUD_GRAPH ? "Graph" : "Exchange";

	*out = NULL;
	if (!o || !o->cloud || !o->cs)
		return err_set(E_MS_OPTS, name, "cloud/case");
	if (!o->offline && !o->tok.get)
		return err_set(E_MS_OPTS, name, "token");
	s = calloc(1, sizeof *s);
	if (!s)
		return err_set(E_NOMEM);
	s->aud = aud;
	s->name = name;
	s->o = *o;
	if (s->o.parallel <= 0)
		s->o.parallel = 4;
	if (s->o.parallel > MS_MAX_PARALLEL)
		s->o.parallel = MS_MAX_PARALLEL;
	if (s->o.max_retries <= 0)
		s->o.max_retries = 6;
	if (s->o.max_wait_s <= 0)
		s->o.max_wait_s = 600;
	if (s->o.idle_ms <= 0)
		s->o.idle_ms = 60000;
	snprintf(s->base, sizeof s->base, "%s", aud == MS_AUD_GRAPH ? o->cloud->graph : o->cloud->exo);
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	pthread_mutex_init(&s->cb_mu, NULL);
	ms_throttle_init(&s->thr, (int64_t)s->o.max_wait_s * 1000);
	s->tty = isatty(2);
	/* strings of o are borrowed for the life of the service */
	s->o.tenant = NULL;
	s->o.anchor_domain = NULL;
	if (url_parse(&s->base_u, s->base) < 0 || guard_init(&s->guard, o->cloud) < 0) {
		ms_svc_close(s);
		return -1;
	}
	if (aud == MS_AUD_EXO) {
		if (!o->offline && (!o->tenant || !*o->tenant)) {
			ms_svc_close(s);
			return err_set(E_EXO_NO_TENANT);
		}
		snprintf(s->tenant, sizeof s->tenant, "%s", o->tenant ? o->tenant : "");
		if (o->app_only || !o->anchor_domain || !*o->anchor_domain)
			snprintf(s->anchor, sizeof s->anchor, "APP:%s@%s", EXO_SYSTEM_MAILBOX, s->tenant);
		else
			snprintf(s->anchor, sizeof s->anchor, "UPN:%s@%s", EXO_SYSTEM_MAILBOX,
				 o->anchor_domain);
	}
	*out = s;
	return 0;
}

int graph_open(struct ms_svc **out, const struct ms_opts *o)
{
	return ms_svc_open(out, o, MS_AUD_GRAPH);
}

int exo_open(struct ms_svc **out, const struct ms_opts *o)
{
	return ms_svc_open(out, o, MS_AUD_EXO);
}

void ms_svc_close(struct ms_svc *s)
{
	if (!s)
		return;
	for (int i = 0; i < MS_MAX_PARALLEL; i++)
		http_client_free(s->conn[i]);
	url_free(&s->base_u);
	ms_throttle_free(&s->thr);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->cb_mu);
	free(s);
}

void ms_svc_stats(struct ms_svc *s, struct ms_svc_stats *st)
{
	pthread_mutex_lock(&s->mu);
	*st = s->st;
	st->handshakes = 0;
	for (int i = 0; i < MS_MAX_PARALLEL; i++)
		if (s->conn[i]) {
			struct http_stats h;
			http_client_stats(s->conn[i], &h);
			st->handshakes += h.handshakes;
		}
	pthread_mutex_unlock(&s->mu);
	pthread_mutex_lock(&s->thr.mu);
	st->waited_ms = s->thr.waited_ms;
	pthread_mutex_unlock(&s->thr.mu);
}

/* Here, not in graph_http.c: that file is the transport alone (the
 * tests/fuzz/fuzz_graph.c harness puts its own in its place). */
int ms_same_host(const struct ms_svc *s, const char *url)
{
	struct url u;
	if (!url || url_parse(&u, url) < 0) {
		err_clear();
		return 0;
	}
	int ok = !strcmp(u.scheme, "https") && !strcasecmp(u.host, s->base_u.host) &&
		 u.port == s->base_u.port && !u.user[0] && !u.pass[0];
	url_free(&u);
	return ok;
}

void ms_strcpy(char *dst, size_t n, const char *src)
{
	if (!n)
		return;
	size_t k = src ? strnlen(src, n - 1) : 0;
	if (k)
		memcpy(dst, src, k);
	dst[k] = 0;
}

/* ---- the connection pool --------------------------------------------------- */

struct http_client *ms_conn_get(struct ms_svc *s, int *slot)
{
	struct http_client *c = NULL;
	pthread_mutex_lock(&s->mu);
	for (;;) {
		for (int i = 0; i < s->o.parallel; i++) {
			if (s->busy[i])
				continue;
			if (!s->conn[i]) {
				struct http_opts ho = {
					.idle_ms = s->o.idle_ms,
					/* a page is a few MB; the cap keeps four
					 * workers inside the memory budget */
					.max_body = (size_t)32 << 20,
					.proxy = s->o.proxy,
					.policy = guard_policy,
					.policy_ctx = &s->guard,
				};
				if (http_client_new(&s->conn[i], &ho) < 0)
					goto out;
			}
			s->busy[i] = 1;
			*slot = i;
			c = s->conn[i];
			goto out;
		}
		pthread_cond_wait(&s->cv, &s->mu);
	}
out:
	pthread_mutex_unlock(&s->mu);
	return c;
}

void ms_conn_put(struct ms_svc *s, int slot)
{
	pthread_mutex_lock(&s->mu);
	s->busy[slot] = 0;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

/* ---- progress -------------------------------------------------------------- */

static pthread_mutex_t progress_mu = PTHREAD_MUTEX_INITIALIZER;

void ms_progress(struct ms_svc *s, int final, enum msg_id id, ...)
{
	char line[512];
	va_list ap;
	if (s->o.quiet)
		return;
	int64_t now = tm_mono_ms();
	pthread_mutex_lock(&progress_mu);
	/* A terminal gets one line rewritten in place; a log file gets a
	 * line every few seconds, and the final one. */
	if (!final && now - s->last_progress_ms < (s->tty ? 200 : 5000)) {
		pthread_mutex_unlock(&progress_mu);
		return;
	}
	s->last_progress_ms = now;
	va_start(ap, id);
	tr_vsnprintf(line, sizeof line, id, ap);
	va_end(ap);
	if (s->tty)
		fprintf(stderr, "\r\033[K%s%s", line, final ? "\n" : "");
	else
		fprintf(stderr, "%s\n", line);
	fflush(stderr);
	pthread_mutex_unlock(&progress_mu);
}

/* ---- worker threads ---------------------------------------------------------- */

struct par {
	pthread_mutex_t mu;
	size_t next, n;
	int failed;
	char msg[1024];
	int (*job)(void *, size_t);
	void *ctx;
};

static void *par_main(void *arg)
{
	struct par *p = arg;
	for (;;) {
		pthread_mutex_lock(&p->mu);
		size_t i = p->next;
		int stop = p->failed || i >= p->n;
		if (!stop)
			p->next++;
		pthread_mutex_unlock(&p->mu);
		if (stop)
			break;
		if (p->job(p->ctx, i) < 0) {
			/* Messages are thread-local: carry this one home. */
			pthread_mutex_lock(&p->mu);
			if (!p->failed)
				snprintf(p->msg, sizeof p->msg, "%s", err_msg());
			p->failed = 1;
			pthread_mutex_unlock(&p->mu);
			break;
		}
	}
	return NULL;
}

int ms_parallel(struct ms_svc *s, size_t n, int (*job)(void *ctx, size_t i), void *ctx)
{
	pthread_t th[MS_MAX_PARALLEL];
	struct par p = { .n = n, .job = job, .ctx = ctx };
	int nt = s->o.parallel, started = 0;

	if ((size_t)nt > n)
		nt = (int)n;
	pthread_mutex_init(&p.mu, NULL);
	for (int i = 1; i < nt; i++) {
		if (pthread_create(&th[i], NULL, par_main, &p) != 0)
			break;
		started = i;
	}
	par_main(&p);     /* the calling thread works too */
	for (int i = 1; i <= started; i++)
		pthread_join(th[i], NULL);
	pthread_mutex_destroy(&p.mu);
	if (p.failed)
		return err_set(E_MS_RELAY, p.msg);
	return 0;
}
