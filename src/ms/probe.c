/*
 * The probe after sign-in: what this tenant has and what this sign-in
 * may read, saved to the case so that every later check can mark what it
 * cannot answer as "unknown — needs X" before calling anything
 * (DESIGN.md principle 4).
 *
 *   organization       tenant id, verified domains (initial, default)
 *   subscribedSkus     licences, decided from service plan names
 *                      ("Product names and service plan identifiers for
 *                      licensing", learn.microsoft.com/entra/identity/
 *                      users/licensing-service-plan-reference):
 *                        AAD_PREMIUM       Entra ID P1
 *                        AAD_PREMIUM_P2    Entra ID P2 (includes P1)
 *                        EXCHANGE_S_*      Exchange Online, except
 *                        EXCHANGE_S_FOUNDATION, a plan bundled with
 *                        non-Exchange products (it gives no mailboxes)
 *   the token's claims scp (delegated) or roles (application), and wids
 *                      (the directory role template ids of the caller)
 *   /me/transitiveMemberOf, keeping directoryRole objects: the signed-in
 *                      user's active directory roles, by name
 *
 * Everything lands in probe.json (listed in the manifest like any
 * evidence), and the raw pages under graph/ as usual.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <mbedtls/base64.h>

#include "case/case.h"
#include "ms/ms.h"

/* ---- token claims ------------------------------------------------------------- */

/* Appends word to a space- (or sep-) separated list, if it fits. A word
 * holding the separator (a domain " contoso.com", a role "A;B" from the
 * tenant) or a control character is left out: it would read back as
 * other words than the one given (fuzz_graph). */
static void add_word(char *list, size_t n, const char *w, const char *sep)
{
	size_t have = strlen(list), k = strlen(w), s = have ? strlen(sep) : 0;
	if (!k || have + s + k + 1 > n || strpbrk(w, sep))
		return;
	for (const unsigned char *c = (const unsigned char *)w; *c; c++)
		if (*c < 0x20 || *c == 0x7f)
			return;
	if (s)
		memcpy(list + have, sep, s);
	memcpy(list + have + s, w, k + 1);
}

/* Reads a string or an array of strings at path into a list. */
static void read_list(const struct json *j, const char *path, char *out, size_t n, const char *sep)
{
	char w[512];
	int t = json_get(j, 0, path);
	if (json_type(j, t) == JSON_STR) {
		if (json_str(j, t, "", out, n) != 0)
			out[0] = 0;
	} else if (json_type(j, t) == JSON_ARR) {
		for (int e = json_first(j, t); e >= 0; e = json_next(j, e))
			if (json_str(j, e, "", w, sizeof w) == 0)
				add_word(out, n, w, sep);
	}
	err_clear();
}

int ms_token_claims(const char *token, struct ms_claims *c)
{
	memset(c, 0, sizeof *c);
	const char *p1 = token ? strchr(token, '.') : NULL;
	const char *p2 = p1 ? strchr(p1 + 1, '.') : NULL;
	if (!p2 || p2 - p1 - 1 > 16384)
		return err_set(E_TOKEN_CLAIMS);
	/* base64url (RFC 7515 §2) -> base64 for mbedTLS */
	size_t n = (size_t)(p2 - p1 - 1), m = 0, olen = 0;
	char b64[16392];
	unsigned char raw[12300];
	for (size_t i = 0; i < n; i++) {
		char ch = p1[1 + i];
		b64[m++] = ch == '-' ? '+' : ch == '_' ? '/' : ch;
	}
	while (m % 4)
		b64[m++] = '=';
	if (mbedtls_base64_decode(raw, sizeof raw - 1, &olen, (const unsigned char *)b64, m) != 0)
		return err_set(E_TOKEN_CLAIMS);
	struct json j;
	if (json_parse(&j, (const char *)raw, olen, (struct json_limits){ 2000, 8 }) < 0 ||
	    json_type(&j, 0) != JSON_OBJ) {
		if (j.tok)
			json_free(&j);
		return err_set(E_TOKEN_CLAIMS);
	}
	char idtyp[16] = "";
	json_str(&j, 0, "idtyp", idtyp, sizeof idtyp);
	read_list(&j, "scp", c->scopes, sizeof c->scopes, " ");
	c->app = !strcmp(idtyp, "app") || (!c->scopes[0] && json_get(&j, 0, "roles") >= 0);
	if (c->app)
		read_list(&j, "roles", c->scopes, sizeof c->scopes, " ");
	static const char *const who_user[] = { "upn", "preferred_username", "unique_name", NULL };
	static const char *const who_app[] = { "appid", "azp", NULL };
	for (const char *const *k = c->app ? who_app : who_user; *k && !c->who[0]; k++)
		json_str(&j, 0, *k, c->who, sizeof c->who);
	json_str(&j, 0, "tid", c->tid, sizeof c->tid);
	read_list(&j, "wids", c->wids, sizeof c->wids, " ");
	err_clear();
	json_free(&j);
	mem_wipe(raw, sizeof raw);
	mem_wipe(b64, sizeof b64);
	return 0;
}

int ms_scope_has(const char *list, const char *scope)
{
	/* X.ReadWrite.Y grants X.Read.Y (Microsoft Graph permissions
	 * reference: ReadWrite permissions include read). */
	char rw[256];
	const char *dot = strchr(scope, '.');
	rw[0] = 0;
	if (dot && !strncmp(dot, ".Read", 5) && strlen(scope) + 6 < sizeof rw)
		snprintf(rw, sizeof rw, "%.*s.ReadWrite%s", (int)(dot - scope), scope, dot + 5);
	for (const char *p = list; p && *p;) {
		while (*p == ' ')
			p++;
		size_t k = strcspn(p, " ");
		if (k && ((k == strlen(scope) && !strncasecmp(p, scope, k)) ||
			  (rw[0] && k == strlen(rw) && !strncasecmp(p, rw, k))))
			return 1;
		p += k;
	}
	return 0;
}

/* ---- collecting ------------------------------------------------------------------ */

static int org_item(void *ctx, const struct json *j, int it, const char *ev)
{
	struct ms_probe *p = ctx;
	char name[256];
	(void)ev;
	if (!p->tenant_id[0])
		json_str(j, it, "id", p->tenant_id, sizeof p->tenant_id);
	int d = json_get(j, it, "verifiedDomains");
	for (int e = json_type(j, d) == JSON_ARR ? json_first(j, d) : -1; e >= 0; e = json_next(j, e)) {
		int initial = 0, def = 0;
		if (json_str(j, e, "name", name, sizeof name) != 0 || !name[0])
			continue;
		json_bool(j, e, "isInitial", &initial);
		json_bool(j, e, "isDefault", &def);
		add_word(p->domains, sizeof p->domains, name, " ");
		if (initial)
			ms_strcpy(p->initial_domain, sizeof p->initial_domain, name);
		if (def)
			ms_strcpy(p->default_domain, sizeof p->default_domain, name);
	}
	err_clear();
	return 0;
}

static int sku_item(void *ctx, const struct json *j, int it, const char *ev)
{
	struct ms_probe *p = ctx;
	char cap[32] = "", plan[128], prov[32];
	(void)ev;
	json_str(j, it, "capabilityStatus", cap, sizeof cap);
	/* Suspended, Deleted (and LockedOut) subscriptions give no service;
	 * Warning is the grace period after expiry: still working. */
	if (cap[0] && strcmp(cap, "Enabled") && strcmp(cap, "Warning"))
		return 0;
	int sp = json_get(j, it, "servicePlans");
	for (int e = json_type(j, sp) == JSON_ARR ? json_first(j, sp) : -1; e >= 0; e = json_next(j, e)) {
		if (json_str(j, e, "servicePlanName", plan, sizeof plan) != 0)
			continue;
		prov[0] = 0;
		json_str(j, e, "provisioningStatus", prov, sizeof prov);
		if (!strcmp(prov, "Disabled"))
			continue;
		if (!strcmp(plan, "AAD_PREMIUM_P2"))
			p->p2 = p->p1 = 1;
		else if (!strcmp(plan, "AAD_PREMIUM"))
			p->p1 = 1;
		else if (!strncmp(plan, "EXCHANGE_S_", 11) && strcmp(plan, "EXCHANGE_S_FOUNDATION"))
			p->exo = 1;
	}
	err_clear();
	return 0;
}

static int role_item(void *ctx, const struct json *j, int it, const char *ev)
{
	struct ms_probe *p = ctx;
	char type[128] = "", name[256] = "", tid[64] = "";
	(void)ev;
	json_str(j, it, "@odata.type", type, sizeof type);
	if (strcmp(type, "#microsoft.graph.directoryRole")) {
		err_clear();
		return 0;
	}
	json_str(j, it, "displayName", name, sizeof name);
	json_str(j, it, "roleTemplateId", tid, sizeof tid);
	add_word(p->dir_roles, sizeof p->dir_roles, name, ";");
	if (tid[0] && !ms_scope_has(p->role_ids, tid))
		add_word(p->role_ids, sizeof p->role_ids, tid, " ");
	err_clear();
	return 0;
}

/* ---- probe.json ----------------------------------------------------------------------- */

static void put_tri(struct buf *b, const char *name, int v)
{
	buf_printf(b, "\"%s\":%s", name, v < 0 ? "null" : v ? "true" : "false");
}

static void put_words(struct buf *b, const char *list, char sep)
{
	char w[512];
	int first = 1;
	buf_puts(b, "[");
	for (const char *p = list; *p;) {
		while (*p == sep)
			p++;
		size_t k = 0;
		while (p[k] && p[k] != sep)
			k++;
		if (!k)
			break;
		snprintf(w, sizeof w, "%.*s", (int)(k < sizeof w ? k : sizeof w - 1), p);
		if (!first)
			buf_puts(b, ",");
		json_put_str(b, w);
		first = 0;
		p += k;
	}
	buf_puts(b, "]");
}

static int probe_json(const struct ms_probe *p, struct buf *b)
{
	char iso[32];
	tm_utc_iso(tm_now(), iso, sizeof iso);
	buf_printf(b, "{\"probed\":\"%s\",\"tool\":\"reflexe %s\",\"tenant_id\":", iso, REFLEXE_VERSION);
	json_put_str(b, p->tenant_id);
	buf_puts(b, ",\"initial_domain\":");
	json_put_str(b, p->initial_domain);
	buf_puts(b, ",\"default_domain\":");
	json_put_str(b, p->default_domain);
	buf_puts(b, ",\"domains\":");
	put_words(b, p->domains, ' ');
	buf_puts(b, ",\"licences\":{");
	put_tri(b, "entra_id_p1", p->p1);
	buf_puts(b, ",");
	put_tri(b, "entra_id_p2", p->p2);
	buf_puts(b, ",");
	put_tri(b, "exchange_online", p->exo);
	buf_puts(b, "},\"identity\":{\"kind\":");
	json_put_str(b, p->app ? "app" : "user");
	buf_puts(b, ",\"who\":");
	json_put_str(b, p->who);
	buf_puts(b, "},\"scopes\":");
	put_words(b, p->scopes, ' ');
	buf_puts(b, ",\"directory_roles\":");
	put_words(b, p->dir_roles, ';');
	buf_puts(b, ",\"role_template_ids\":");
	put_words(b, p->role_ids, ' ');
	buf_puts(b, ",\"unknown\":{\"licences\":");
	json_put_str(b, p->sku_error);
	buf_puts(b, ",\"directory_roles\":");
	json_put_str(b, p->roles_error);
	return buf_puts(b, "}}\n");
}

int ms_probe(struct ms_svc *g, const struct ms_token_source *tok, struct ms_probe *p)
{
	struct ms_claims cl;
	struct ms_result res;
	struct buf t = { 0 }, js = { 0 };
	char sha[65];
	int r = -1;

	memset(p, 0, sizeof *p);
	p->p1 = p->p2 = p->exo = 0;
	if (g->o.offline)
		return ms_probe_read(case_path(g->o.cs), p);
	if (tok->get(tok->ctx, MS_AUD_GRAPH, &t) < 0)
		goto out;
	int cr = ms_token_claims(t.p, &cl);
	buf_wipe(&t);
	if (cr < 0)
		goto out;
	ms_strcpy(p->scopes, sizeof p->scopes, cl.scopes);
	ms_strcpy(p->who, sizeof p->who, cl.who);
	ms_strcpy(p->role_ids, sizeof p->role_ids, cl.wids);
	p->app = cl.app;

	struct graph_query org = { .path = "/v1.0/organization", .label = "organization" };
	if (graph_list(g, &org, org_item, p, &res) < 0 || res.st != MS_OK || !p->tenant_id[0]) {
		char why[400];
		ms_result_text(&res, why, sizeof why);
		/* Without the organisation we still know the tenant id from
		 * the token; the probe goes on, the reason is kept. */
		if (!cl.tid[0]) {
			err_set(E_PROBE_ORG, why);
			goto out;
		}
		ms_strcpy(p->tenant_id, sizeof p->tenant_id, cl.tid);
	}
	err_clear();
	struct graph_query skus = { .path = "/v1.0/subscribedSkus", .label = "subscribedSkus" };
	if (graph_list(g, &skus, sku_item, p, &res) < 0 || res.st != MS_OK) {
		p->p1 = p->p2 = p->exo = -1;
		ms_result_text(&res, p->sku_error, sizeof p->sku_error);
		err_clear();
	}
	if (!p->app) {
		struct graph_query me = { .path = "/v1.0/me/transitiveMemberOf",
					  .label = "me/transitiveMemberOf" };
		if (graph_list(g, &me, role_item, p, &res) < 0 || res.st != MS_OK) {
			ms_result_text(&res, p->roles_error, sizeof p->roles_error);
			err_clear();
		}
	}
	if (case_set_tenant(g->o.cs, p->tenant_id, p->domains) < 0)
		goto out;
	if (probe_json(p, &js) < 0 || case_save(g->o.cs, "probe.json", js.p, js.len, sha) < 0)
		goto out;
	r = 0;
out:
	buf_free(&js);
	return r;
}

/* ---- reading it back ----------------------------------------------------------------- */

static int read_tri(const struct json *j, const char *path)
{
	int v = 0, t = json_get(j, 0, path);
	if (json_type(j, t) == JSON_NULL || t < 0)
		return -1;
	if (json_bool(j, t, "", &v) < 0) {
		err_clear();
		return -1;
	}
	return v;
}

int ms_probe_read(const char *case_dir, struct ms_probe *p)
{
	char path[4200];
	struct buf f = { 0 };
	struct json j;

	memset(p, 0, sizeof *p);
	snprintf(path, sizeof path, "%s/probe.json", case_dir);
	if (!file_exists(path))
		return err_set(E_PROBE_ABSENT, path);
	if (file_read(path, &f, 1 << 20) < 0)
		return -1;
	if (json_parse(&j, f.p, f.len, (struct json_limits){ 20000, 8 }) < 0 || json_type(&j, 0) != JSON_OBJ) {
		buf_free(&f);
		return err_set(E_PROBE_READ, path);
	}
	char kind[16] = "";
	json_str(&j, 0, "tenant_id", p->tenant_id, sizeof p->tenant_id);
	json_str(&j, 0, "initial_domain", p->initial_domain, sizeof p->initial_domain);
	json_str(&j, 0, "default_domain", p->default_domain, sizeof p->default_domain);
	read_list(&j, "domains", p->domains, sizeof p->domains, " ");
	p->p1 = read_tri(&j, "licences.entra_id_p1");
	p->p2 = read_tri(&j, "licences.entra_id_p2");
	p->exo = read_tri(&j, "licences.exchange_online");
	json_str(&j, 0, "identity.kind", kind, sizeof kind);
	p->app = !strcmp(kind, "app");
	json_str(&j, 0, "identity.who", p->who, sizeof p->who);
	read_list(&j, "scopes", p->scopes, sizeof p->scopes, " ");
	read_list(&j, "directory_roles", p->dir_roles, sizeof p->dir_roles, ";");
	read_list(&j, "role_template_ids", p->role_ids, sizeof p->role_ids, " ");
	json_str(&j, 0, "unknown.licences", p->sku_error, sizeof p->sku_error);
	json_str(&j, 0, "unknown.directory_roles", p->roles_error, sizeof p->roles_error);
	err_clear();
	json_free(&j);
	buf_free(&f);
	if (!p->tenant_id[0])
		return err_set(E_PROBE_READ, path);
	return 0;
}

int ms_probe_lacks(const struct ms_probe *p, enum ms_need licence, const char *scopes_any,
		   struct ms_result *res)
{
	memset(res, 0, sizeof *res);
	int have = licence == MS_NEED_P1 ? p->p1 : licence == MS_NEED_P2 ? p->p2 :
		   licence == MS_NEED_EXO ? p->exo : 1;
	if (have == 0) {
		res->st = MS_UNKNOWN;
		res->need = licence;
		return 1;
	}
	if (scopes_any && *scopes_any && p->scopes[0]) {
		for (const char *s = scopes_any; *s;) {
			char one[128];
			while (*s == ' ')
				s++;
			size_t k = strcspn(s, " ");
			if (!k)
				break;
			snprintf(one, sizeof one, "%.*s", (int)(k < sizeof one ? k : sizeof one - 1), s);
			if (ms_scope_has(p->scopes, one))
				return 0;
			s += k;
		}
		res->st = MS_UNKNOWN;
		res->need = MS_NEED_PERM;
		tr_snprintf(res->needs, sizeof res->needs, M_NEED_PERM, scopes_any);
		return 1;
	}
	return 0;
}
