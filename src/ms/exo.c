/*
 * Exchange Online admin API: the REST endpoint the ExchangeOnlineManagement
 * v3 module calls instead of remote PowerShell.
 *
 *   POST {exo}/adminapi/beta/{tenant}/InvokeCommand
 *   {"CmdletInput":{"CmdletName":"Get-Mailbox","Parameters":{…}}}
 *   X-ResponseFormat: json, X-AnchorMailbox (graph_svc.c),
 *   Prefer: odata.maxpagesize=1000
 *
 * Results are OData pages: the next one is fetched by POSTing the same
 * body to @odata.nextLink. Only Get-* cmdlets are ever built here, and
 * the guard checks the body again before it leaves.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/case.h"
#include "ms/ms.h"

static int tenant_ok(const char *t)
{
	size_t n = strspn(t, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_");
	return n > 0 && !t[n];
}

int exo_invoke(struct ms_svc *x, const char *cmdlet, const char *params, const char *save_as,
	       ms_item_fn fn, void *ctx, struct ms_result *res)
{
	struct exo_req q = { cmdlet, params, save_as, NULL, 0 };
	return exo_run(x, &q, fn, ctx, res);
}

int exo_run(struct ms_svc *x, const struct exo_req *rq, ms_item_fn fn, void *ctx,
	    struct ms_result *res)
{
	const char *cmdlet = rq->cmdlet, *params = rq->params, *save_as = rq->save_as;
	struct buf dir = { 0 }, body = { 0 }, url = { 0 }, anchor = { 0 };
	int64_t t0 = tm_mono_ms();
	int r = -1;

	memset(res, 0, sizeof *res);
	if (!exo_cmdlet_ok(cmdlet)) {
		err_set(E_EXO_CMDLET, cmdlet ? cmdlet : "");
		goto out;
	}
	if (save_as ? (case_rel_ok(save_as) < 0 || buf_puts(&dir, save_as) < 0)
		    : buf_printf(&dir, "exo/%s", cmdlet) < 0) {
		err_context(E_MS_SAVE_AS, cmdlet);
		goto out;
	}
	if (x->o.offline) {
		r = ms_pages_offline(x, dir.p, fn, ctx, res);
		goto out;
	}
	if (params && *params) {
		struct json j;
		if (json_parse(&j, params, strlen(params), (struct json_limits){ 2000, 8 }) < 0)
			goto out;
		enum json_type t = json_type(&j, 0);
		json_free(&j);
		if (t != JSON_OBJ) {
			err_set(E_MS_OPTS, "Exchange", "Parameters");
			goto out;
		}
	}
	if (!tenant_ok(x->tenant)) {
		err_set(E_EXO_NO_TENANT);
		goto out;
	}
	buf_puts(&body, "{\"CmdletInput\":{\"CmdletName\":");
	json_put_str(&body, cmdlet);
	buf_printf(&body, ",\"Parameters\":%s}}", params && *params ? params : "{}");
	if (buf_printf(&url, "%s/adminapi/beta/%s/InvokeCommand", x->base, x->tenant) < 0 || !body.p)
		goto out;
	if (rq->mailbox && buf_printf(&anchor, "UPN:%s", rq->mailbox) < 0)
		goto out;
	struct ms_pages_req q = {
		.method = "POST", .url = url.p, .body = body.p, .body_len = body.len, .dir = dir.p,
		.label = cmdlet, .path = dir.p, .prefer = "odata.maxpagesize=1000",
		.anchor = anchor.p, .quiet = rq->quiet,
	};
	r = ms_pages(x, &q, fn, ctx, res);
	if (r == 0 && res->st == MS_OK && !rq->quiet)
		ms_progress(x, 1, M_PROG_LIST_DONE, cmdlet, res->items, res->pages,
			    (double)(tm_mono_ms() - t0) / 1000.0);
out:
	if (r < 0) {
		res->st = MS_FAILED;
		if (!res->detail[0])
			ms_strcpy(res->detail, sizeof res->detail, err_msg());
	}
	buf_free(&dir);
	buf_free(&body);
	buf_free(&url);
	buf_free(&anchor);
	return r;
}

void exo_rate_limit(struct ms_svc *x, const struct http_resp *r)
{
	const char *lim = http_resp_header(r, "Rate-Limit-Limit");
	const char *rem = http_resp_header(r, "Rate-Limit-Remaining");
	const char *reset = http_resp_header(r, "Rate-Limit-Reset");
	char *e1, *e2;
	if (!lim || !rem || !reset)
		return;
	long l = strtol(lim, &e1, 10), k = strtol(rem, &e2, 10);
	int64_t t = 0, now = tm_now_ms();
	int off, has;
	if (*e1 || *e2 || l <= 0 || k < 0 || k * 20 >= l || tm_parse_iso(reset, &t, &off, &has) < 0) {
		err_clear();
		return;
	}
	/* Reset is the server's clock: judged against its Date when given. */
	int64_t d;
	const char *date = http_resp_header(r, "Date");
	if (date && tm_parse_http(date, &d) == 0)
		now = d * 1000 + now % 1000;
	err_clear();
	int64_t ms = t * 1000 - now, added;
	if (ms <= 0)
		return;
	if (ms > 60000)
		ms = 60000;
	if (ms_throttle_hold(&x->thr, ms, &added) < 0) {
		err_clear();
		return;
	}
	if (added)
		ms_progress(x, 1, M_EXO_RATE, x->name, k, l, (double)ms / 1000.0);
}
