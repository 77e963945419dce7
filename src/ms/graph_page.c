/*
 * Pages: the one path every collected response takes, live or offline.
 *
 *   live:    request → save <dir>/page-NNNN.json (atomic, manifest) →
 *            parse → hand every item to the collector's function
 *   offline: read <dir>/page-NNNN.json → check it against the manifest →
 *            parse → the same function
 *
 * so `--offline` analyses exactly the bytes a live run saw. Pages are
 * handled one at a time and freed: memory stays flat whatever the
 * tenant's size.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/case.h"
#include "ms/ms.h"

#define MAX_PAGES 100000u           /* 100 million items at Graph's 999 */
#define PAGE_MAX ((size_t)32 << 20) /* same cap as a response body */

int ms_parse_page(struct json *j, const char *body, size_t len, const char *label)
{
	/* Tokens: a page of 999 users with every default property is about
	 * 40,000; the cap leaves ample room and bounds memory. */
	if (json_parse(j, body ? body : "", len, (struct json_limits){ 4 << 20, 64 }) < 0)
		return err_context(E_MS_BAD_JSON, label);
	if (json_type(j, 0) != JSON_OBJ) {
		json_free(j);
		return err_set(E_MS_PAGE_SHAPE, label);
	}
	return 0;
}

int ms_next_link(const struct json *j, const char *label, char **next)
{
	int t = json_get(j, 0, "@odata.nextLink");
	*next = NULL;
	if (t < 0)
		return 0;
	/* Present, it says there is more: one that is not a URL must not
	 * pass for the end of the collection (a shorter answer in silence),
	 * and --offline reads it as "more" too (ms_pages_offline). */
	if (json_type(j, t) != JSON_STR || !(*next = json_strdup(j, t, "")) || !**next) {
		free(*next);
		*next = NULL;
		return err_set(E_MS_NEXTLINK_TYPE, label);
	}
	return 0;
}

int ms_deliver(struct ms_svc *s, const struct json *j, const char *ev, ms_item_fn fn,
	       void *ctx, struct ms_result *res)
{
	int v = json_get(j, 0, "value"), r = 0;
	if (v >= 0 && json_type(j, v) != JSON_ARR)
		return err_set(E_MS_PAGE_SHAPE, ev);
	if (v < 0 && json_get(j, 0, "error") >= 0)
		return err_set(E_MS_PAGE_SHAPE, ev);
	pthread_mutex_lock(&s->cb_mu);
	if (v >= 0) {
		for (int it = json_first(j, v); it >= 0 && r == 0; it = json_next(j, it)) {
			if (json_type(j, it) != JSON_OBJ)
				continue;
			res->items++;
			if (fn)
				r = fn(ctx, j, it, ev);
		}
	} else {
		res->items++;
		if (fn)
			r = fn(ctx, j, 0, ev);
	}
	pthread_mutex_unlock(&s->cb_mu);
	return r;
}

/* ---- paths ----------------------------------------------------------------- */

static int safe(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       strchr("._-@%+=,~", ch) != NULL;
}

int ms_path_dir(const char *prefix, const char *api_path, struct buf *out)
{
	const char *p = api_path;
	size_t end = strcspn(p, "?#");
	buf_reset(out);
	if (buf_puts(out, prefix) < 0)
		return -1;
	for (size_t i = 0; i < end;) {
		while (i < end && p[i] == '/')
			i++;
		if (i >= end)
			break;
		size_t k = i;
		while (k < end && p[k] != '/')
			k++;
		if ((k - i == 1 && p[i] == '.') || (k - i == 2 && p[i] == '.' && p[i + 1] == '.'))
			return err_set(E_CASE_REL, api_path);
		if (buf_puts(out, "/") < 0)
			return -1;
		for (; i < k; i++) {
			unsigned char ch = (unsigned char)p[i];
			if ((safe(ch) ? buf_append(out, p + i, 1) : buf_printf(out, "%%%02X", ch)) < 0)
				return -1;
		}
	}
	return case_rel_ok(out->p);
}

/* ---- live -------------------------------------------------------------------- */

static int fail(struct ms_result *res, int http)
{
	res->st = MS_FAILED;
	res->http = http;
	snprintf(res->detail, sizeof res->detail, "%s", err_msg());
	return -1;
}

int ms_pages(struct ms_svc *s, const struct ms_pages_req *q, ms_item_fn fn, void *ctx,
	     struct ms_result *res)
{
	char *url = xstrdup(q->url), rel[1200], sha[65];
	unsigned k = q->first_page ? q->first_page : 1, bad_json = 0;
	int begun = 0, rc = -1;

	res->st = MS_OK;
	if (!url)
		return fail(res, 0);
	for (;;) {
		struct ms_call c = {
			.method = q->method, .url = url, .body = q->body, .body_len = q->body_len,
			.prefer = q->prefer, .eventual = q->eventual, .exo = s->aud == MS_AUD_EXO,
			.anchor = q->anchor,
		};
		if (ms_call_do(s, &c) < 0) {
			ms_call_log(s, &c, NULL, NULL, err_msg());
			ms_call_free(&c);
			fail(res, 0);
			goto out;
		}
		int st = c.resp.status;
		if (st / 100 != 2) {
			int first = k == (q->first_page ? q->first_page : 1);
			ms_result_from_error(res, s->aud, st, c.resp.body.p, c.resp.body.len, q->path,
					     q->needs, q->none_on_404 && first);
			ms_call_log(s, &c, NULL, NULL, res->code);
			if (c.gave_up) {
				err_set(E_MS_GAVE_UP, q->label, st, c.attempts);
				res->st = MS_FAILED;
			} else if (!first) {
				res->st = MS_FAILED;   /* a collection cut in the middle */
			}
			if (res->st == MS_FAILED) {
				if (!c.gave_up)
					err_set(E_MS_HTTP, q->label, st, res->detail[0] ? res->detail : res->code);
				snprintf(res->detail, sizeof res->detail, "%s", err_msg());
				ms_call_free(&c);
				goto out;
			}
			ms_call_free(&c);
			rc = 0;
			goto out;
		}
		struct json j;
		if (ms_parse_page(&j, c.resp.body.p, c.resp.body.len, q->label) < 0) {
			ms_call_log(s, &c, NULL, NULL, "invalid JSON");
			ms_call_free(&c);
			/* A garbled body (a proxy, a cut) is worth another try;
			 * it is not evidence and is not saved. */
			if (++bad_json < 3) {
				err_clear();
				continue;
			}
			fail(res, st);
			goto out;
		}
		bad_json = 0;
		if (!begun && !q->continuing && case_begin_pages(s->o.cs, q->dir) < 0) {
			json_free(&j);
			ms_call_free(&c);
			fail(res, st);
			goto out;
		}
		begun = 1;
		snprintf(rel, sizeof rel, "%s/page-%04u.json", q->dir, k);
		if (case_save(s->o.cs, rel, c.resp.body.p, c.resp.body.len, sha) < 0) {
			json_free(&j);
			ms_call_free(&c);
			fail(res, st);
			goto out;
		}
		ms_call_log(s, &c, rel, sha, NULL);
		res->http = st;
		res->pages++;
		int r = ms_deliver(s, &j, rel, fn, ctx, res);
		char *next = NULL;
		if (r == 0)
			r = ms_next_link(&j, q->label, &next);
		json_free(&j);
		ms_call_free(&c);
		if (r < 0) {
			fail(res, st);
			goto out;
		}
		if (!q->quiet)
			ms_progress(s, 0, M_PROG_LIST, q->label, res->items, res->pages);
		if (!next) {
			err_clear();
			break;
		}
		/* A nextLink is server data: follow it only on our own host. */
		if (!ms_same_host(s, next)) {
			struct buf shown = { 0 };
			case_redact_url(next, &shown);
			err_set(E_MS_NEXTLINK, q->label, shown.p ? shown.p : "?");
			buf_free(&shown);
			free(next);
			fail(res, st);
			goto out;
		}
		if (++k >= MAX_PAGES) {
			free(next);
			err_set(E_MS_TOO_MANY_PAGES, q->label, MAX_PAGES);
			fail(res, st);
			goto out;
		}
		free(url);
		url = next;
	}
	rc = 0;
out:
	free(url);
	return rc;
}

/* ---- offline --------------------------------------------------------------------- */

int ms_pages_offline(struct ms_svc *s, const char *dir, ms_item_fn fn, void *ctx,
		     struct ms_result *res)
{
	char rel[1200], path[5400];
	struct buf f = { 0 };
	const char *top = case_path(s->o.cs);

	char last[1200] = "";
	int more = 0;

	res->st = MS_OK;
	for (unsigned k = 1; k < MAX_PAGES; k++) {
		snprintf(rel, sizeof rel, "%s/page-%04u.json", dir, k);
		snprintf(path, sizeof path, "%s/%s", top, rel);
		if (!file_exists(path)) {
			/* The end of the collection, unless the manifest says
			 * this page was saved: then it was lost since, and
			 * reading on would give a silently shorter answer. */
			int l = case_listed(s->o.cs, rel);
			if (l != 0) {
				if (l > 0)
					err_set(E_CASE_MISSING, rel);
				buf_free(&f);
				return fail(res, 0);
			}
			break;
		}
		struct json j;
		if (file_read(path, &f, PAGE_MAX) < 0 || case_check(s->o.cs, rel, f.p, f.len) < 0 ||
		    ms_parse_page(&j, f.p, f.len, rel) < 0) {
			buf_free(&f);
			return fail(res, 0);
		}
		res->pages++;
		more = json_get(&j, 0, "@odata.nextLink") >= 0;
		snprintf(last, sizeof last, "%s", rel);
		int r = ms_deliver(s, &j, rel, fn, ctx, res);
		json_free(&j);
		if (r < 0) {
			buf_free(&f);
			return fail(res, 0);
		}
	}
	buf_free(&f);
	if (!res->pages)
		res->st = MS_ABSENT;
	/* The last page saved still points to another: the live run was cut
	 * before the end (and said so then). Offline must not present the
	 * pages it has as the whole collection. */
	if (more) {
		err_set(E_MS_INCOMPLETE, dir, last);
		return fail(res, 0);
	}
	return 0;
}
