/*
 * Graph collections: GET with $select/$filter/$top/$expand/$orderby/
 * $count, following @odata.nextLink to the end ("Paging Microsoft Graph
 * data in your app", learn.microsoft.com/graph/paging: the nextLink is
 * opaque and must be used as is), with progress on stderr.
 *
 * ConsistencyLevel: eventual is sent when the caller asks for it: Graph
 * needs it for $count and for most advanced queries on directory objects
 * ("Advanced query capabilities on Microsoft Entra ID objects").
 */
#include <stdio.h>
#include <string.h>

#include "case/case.h"
#include "ms/ms.h"

int graph_build_url(const char *base, const struct graph_query *q, struct buf *out)
{
	char sep;
	buf_reset(out);
	if (!q->path || q->path[0] != '/')
		return err_set(E_MS_OPTS, "Graph", q->path ? q->path : "path");
	if (buf_puts(out, base) < 0 || buf_puts(out, q->path) < 0)
		return -1;
	sep = strchr(q->path, '?') ? '&' : '?';
#define OPT(name, val) do { if ((val) && *(val)) { \
		if (buf_printf(out, "%c%s=", sep, name) < 0 || url_query_enc(out, val) < 0) return -1; \
		sep = '&'; } } while (0)
	OPT("$select", q->select);
	OPT("$filter", q->filter);
	OPT("$expand", q->expand);
	OPT("$orderby", q->orderby);
#undef OPT
	if (q->top > 0) {
		if (buf_printf(out, "%c$top=%d", sep, q->top) < 0)
			return -1;
		sep = '&';
	}
	if (q->count && buf_printf(out, "%c$count=true", sep) < 0)
		return -1;
	return 0;
}

int graph_list(struct ms_svc *g, const struct graph_query *q, ms_item_fn fn, void *ctx,
	       struct ms_result *res)
{
	struct buf dir = { 0 }, url = { 0 };
	const char *label = q->label ? q->label : q->path;
	int64_t t0 = tm_mono_ms();
	int r = -1;

	memset(res, 0, sizeof *res);
	if (q->save_as) {
		if (case_rel_ok(q->save_as) < 0 || buf_puts(&dir, q->save_as) < 0) {
			err_context(E_MS_SAVE_AS, label);
			goto out;
		}
	} else if (ms_path_dir("graph", q->path ? q->path : "", &dir) < 0) {
		err_context(E_MS_SAVE_AS, label);
		goto out;
	}
	if (g->o.offline) {
		r = ms_pages_offline(g, dir.p, fn, ctx, res);
		goto out;
	}
	if (graph_build_url(g->base, q, &url) < 0)
		goto out;
	struct ms_pages_req pq = {
		.method = "GET", .url = url.p, .dir = dir.p, .label = label, .path = q->path,
		.needs = q->needs, .none_on_404 = q->none_on_404, .eventual = q->eventual || q->count,
	};
	r = ms_pages(g, &pq, fn, ctx, res);
	if (r == 0 && res->st == MS_OK)
		ms_progress(g, 1, M_PROG_LIST_DONE, label, res->items, res->pages,
			    (double)(tm_mono_ms() - t0) / 1000.0);
out:
	if (r < 0) {
		res->st = MS_FAILED;
		if (!res->detail[0])
			snprintf(res->detail, sizeof res->detail, "%s", err_msg());
	}
	buf_free(&dir);
	buf_free(&url);
	return r;
}
