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
	struct buf dir = { 0 }, body = { 0 }, url = { 0 };
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
	struct ms_pages_req q = {
		.method = "POST", .url = url.p, .body = body.p, .body_len = body.len, .dir = dir.p,
		.label = cmdlet, .path = dir.p, .prefer = "odata.maxpagesize=1000",
	};
	r = ms_pages(x, &q, fn, ctx, res);
	if (r == 0 && res->st == MS_OK)
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
	return r;
}
