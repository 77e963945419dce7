/*
 * check-apps collector, in two waves so that the request count grows with
 * the tenant's applications only through $batch (the second starts as
 * soon as the objects are listed, beside the rest of the first):
 *
 *   1. eight listings side by side: applications, service principals,
 *      delegated grants, the app roles of Microsoft's APIs (Graph,
 *      Exchange Online, SharePoint Online, AAD Graph: their names for the
 *      application permissions), ApplicationManagement audits of the
 *      window, service principal sign-ins of the window (beta, P1),
 *      directory role holders, users (names, UPNs, guests);
 *   2. one $batch of per-object reads: owners of every application and
 *      of every service principal not Microsoft's, federated identity
 *      credentials of every application, and the application permissions
 *      given on each Microsoft API (its appRoleAssignedTo: all of them in
 *      four listings rather than one read per service principal).
 *
 * The probe first says what cannot be answered; that is recorded, not
 * asked. Sources: shared/specs/check-apps.md §1 (Graph permissions and
 * licences of each API).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "case/case.h"
#include "collect/collect.h"
#include "model/model.h"
#include "ms/ms.h"

#define SC_APPS   "Application.Read.All Directory.Read.All"
#define SC_GRANTS "DelegatedPermissionGrant.Read.All Directory.Read.All"
#define SC_AUDIT  "AuditLog.Read.All"
#define SC_ROLES  "RoleManagement.Read.Directory RoleManagement.Read.All Directory.Read.All"
#define SC_USERS  "User.Read.All Directory.Read.All"

/* Fields the model reads (model/app_*.c), nothing more. */
#define CREDS "keyCredentials,passwordCredentials"
#define SEL_APP "id,appId,displayName,createdDateTime,signInAudience,publisherDomain,verifiedPublisher," \
		CREDS ",web,spa,publicClient"
/* createdDateTime is returned without $select although undocumented
 * (msgraph-sdk-java#2246); whether $select takes it is not known, and a
 * 400 would lose the whole listing: service principals created within
 * the window come from the audit log ("Add service principal"). */
#define SEL_SP "id,appId,displayName,appOwnerOrganizationId,servicePrincipalType,accountEnabled," \
	       "preferredSingleSignOnMode,signInAudience,verifiedPublisher,replyUrls," CREDS
#define SEL_SIGNIN "id,createdDateTime,appId,appDisplayName,servicePrincipalId,servicePrincipalName," \
		   "servicePrincipalCredentialKeyId,clientCredentialType,ipAddress,location,status,signInEventTypes"
/* $batch sub-requests per graph_batch call: each is ~700 bytes of the
 * caller's memory (ms.h), so a tenant of thousands goes in slices. */
#define SLICE 1000

struct coll {
	struct collect_session *s;
	struct mdl_arena ar;
	const char **apps, **sps, **apis;      /* ids for wave 2 */
	size_t napps, capapps, nsps, capsps, napis, capapis;
	char since[32];
	struct mdl_src src[APP_NSRC];
	struct ms_result res[8];
};

static int push(struct coll *c, const char ***v, size_t *n, size_t *cap, const char *id)
{
	const char *s = mdl_safe_name(id) ? mdl_intern(&c->ar, id) : NULL;
	if (!s)
		return mdl_safe_name(id) ? -1 : 0;
	const char **p = mdl_push((void **)v, n, cap, sizeof *p);
	if (!p)
		return -1;
	*p = s;
	return 0;
}

static int starts(const char *ev, const char *rel)
{
	size_t n = strlen(rel);
	return !strncmp(ev, rel, n) && ev[n] == '/';
}

/* What wave 1 tells wave 2: which objects to read. */
static int on_item(void *ctx, const struct json *j, int it, const char *ev)
{
	struct coll *c = ctx;
	char id[128], app[64], owner[64];
	int rc = 0;
	if (json_str(j, it, "id", id, sizeof id) != 0) {
		err_clear();
		return 0;
	}
	if (starts(ev, APP_REL_APPS)) {
		rc = push(c, &c->apps, &c->napps, &c->capapps, id);
	} else if (starts(ev, APP_REL_SPS)) {
		if (json_str(j, it, "appOwnerOrganizationId", owner, sizeof owner) != 0)
			owner[0] = 0;
		if (json_str(j, it, "appId", app, sizeof app) != 0)
			app[0] = 0;
		if (mdl_ms_api(app))
			rc = push(c, &c->apis, &c->napis, &c->capapis, id);
		if (rc == 0 && !mdl_ms_tenant(owner))
			rc = push(c, &c->sps, &c->nsps, &c->capsps, id);
	}
	err_clear();
	return rc;
}

/* ---- wave 2 ------------------------------------------------------------------------------- */

static int sub(struct collect_subs *s, struct buf *b, int src, const char *base, const char *id,
	       const char *what, const char *query)
{
	buf_printf(b, "/%s/%s/%s%s", base, id, what, query);
	const char *u = collect_subs_own(s, b);
	buf_printf(b, "graph/v1.0/%s/%s/%s", base, id, what);
	return collect_subs_add(s, src, u, collect_subs_own(s, b), 1);
}

static int wave2(struct coll *c)
{
	struct collect_subs s = { 0 };
	struct buf b = { 0 };
	int rc = 0;
	int owners = !collect_lacks(c->s, &c->src[APP_SRC_OWNERS], MS_NEED_NOTHING, SC_APPS),
	    fic = !collect_lacks(c->s, &c->src[APP_SRC_FIC], MS_NEED_NOTHING, SC_APPS),
	    apis = !collect_lacks(c->s, &c->src[APP_SRC_ASSIGNED], MS_NEED_NOTHING, SC_APPS);
	size_t total = (apis ? c->napis : 0) + (owners ? c->napps + c->nsps : 0) + (fic ? c->napps : 0);
	/* One ordering of all the reads, cut into slices. */
	for (size_t i = 0; i < total && rc == 0; i++) {
		size_t k = i;
		if (apis && k < c->napis) {
			rc = sub(&s, &b, APP_SRC_ASSIGNED, "servicePrincipals", c->apis[k], APP_REL_ASSIGNED, "?$top=999");
		} else if ((k -= apis ? c->napis : 0, owners && k < c->napps)) {
			rc = sub(&s, &b, APP_SRC_OWNERS, "applications", c->apps[k], APP_REL_OWNERS, "");
		} else if ((k -= owners ? c->napps : 0, owners && k < c->nsps)) {
			rc = sub(&s, &b, APP_SRC_OWNERS, "servicePrincipals", c->sps[k], APP_REL_OWNERS, "");
		} else {
			k -= owners ? c->nsps : 0;
			rc = sub(&s, &b, APP_SRC_FIC, "applications", c->apps[k], APP_REL_FIC, "");
		}
		if (rc == 0 && (s.n == SLICE || i + 1 == total)) {
			rc = collect_subs_run(c->s, &s, NULL, NULL, c->src);
			collect_subs_free(&s);
		}
	}
	/* Nothing to read is an answer: none. */
	for (int k = APP_SRC_ASSIGNED; k <= APP_SRC_FIC; k++)
		if (c->src[k].st == MDL_ST_ABSENT && c->src[APP_SRC_SPS].st == MDL_ST_OK)
			c->src[k].st = MDL_ST_OK;
	buf_free(&b);
	collect_subs_free(&s);
	return rc;
}

/* ---- wave 1 ------------------------------------------------------------------------------- */

struct w1 {
	struct coll *c;
	struct graph_query q[8];
	int src[8];
	size_t n, objs;            /* listings, of which the first objs are objects */
};

static int list(struct w1 *w, size_t i)
{
	/* A listing's own failure is its result, not the run's. */
	if (graph_list(w->c->s->g, &w->q[i], on_item, w->c, &w->c->res[i]) < 0 && w->c->res[i].st != MS_FAILED)
		return -1;
	err_clear();
	return 0;
}

/* Job 0 lists the applications and service principals, then sends the
 * per-object reads they call for, while the other jobs page through the
 * long listings (20,000 grants are 21 pages one after the other). */
static int w1_job(void *ctx, size_t i)
{
	struct w1 *w = ctx;
	if (i)
		return list(w, i + w->objs - 1);
	for (size_t k = 0; k < w->objs; k++)
		if (list(w, k) < 0)
			return -1;
	for (size_t k = 0; k < w->objs; k++)
		collect_note(&w->c->src[w->src[k]], &w->c->res[k]);
	return wave2(w->c);
}

/* Wave 1, in the order the jobs take them: the objects first. The
 * filters' %s is the window's start. */
static const struct listing {
	unsigned char src, lic;
	short top;
	const char *scopes, *path, *select, *filter, *save_as;
} listings[] = {
	{ APP_SRC_APPS, MS_NEED_NOTHING, 999, SC_APPS, "/v1.0/applications", SEL_APP, NULL, APP_REL_APPS },
	{ APP_SRC_SPS, MS_NEED_NOTHING, 999, SC_APPS, "/v1.0/servicePrincipals", SEL_SP, NULL, APP_REL_SPS },
	{ APP_SRC_GRANTS, MS_NEED_NOTHING, 999, SC_GRANTS, "/v1.0/oauth2PermissionGrants", NULL, NULL, APP_REL_GRANTS },
	{ APP_SRC_RESOURCES, MS_NEED_NOTHING, 0, SC_APPS, "/v1.0/servicePrincipals", "id,appId,appRoles",
	  "appId in ('00000003-0000-0000-c000-000000000000','00000002-0000-0ff1-ce00-000000000000',"
	  "'00000003-0000-0ff1-ce00-000000000000','00000002-0000-0000-c000-000000000000')", APP_REL_RESOURCES },
	{ APP_SRC_AUDITS, MS_NEED_NOTHING, 999, SC_AUDIT, "/v1.0/auditLogs/directoryAudits", NULL,
	  "activityDateTime ge %s and category eq 'ApplicationManagement'", APP_REL_AUDITS },
	/* Service principal sign-ins are in beta only (v1.0 lists users'
	 * interactive ones); the filter is Microsoft's own (Entra docs,
	 * "concept-service-principal-sign-ins"). Tenants without P1 answer
	 * 403 Authentication_RequestFromNonPremiumTenantOrB2CTenant. */
	{ APP_SRC_SIGNINS, MS_NEED_P1, 1000, SC_AUDIT, "/beta/auditLogs/signIns", SEL_SIGNIN,
	  "createdDateTime ge %s and signInEventTypes/any(t: t eq 'servicePrincipal')", APP_REL_SIGNINS },
	{ APP_SRC_ROLES, MS_NEED_NOTHING, 0, SC_ROLES, "/v1.0/roleManagement/directory/roleAssignments",
	  "id,principalId,roleDefinitionId,directoryScopeId", NULL, APP_REL_ROLES },
	{ APP_SRC_USERS, MS_NEED_NOTHING, 999, SC_USERS, "/v1.0/users", "id,displayName,userPrincipalName,userType",
	  NULL, APP_REL_USERS },
};

static int wave1(struct coll *c)
{
	struct w1 w = { .c = c };
	char filter[8][200];
	for (size_t i = 0; i < sizeof listings / sizeof listings[0]; i++) {
		const struct listing *l = &listings[i];
		if (l->src == APP_SRC_GRANTS)
			w.objs = w.n;
		if (collect_lacks(c->s, &c->src[l->src], l->lic, l->scopes))
			continue;
		/* The window's start in place of the filter's %s (a literal
		 * format: the table's strings are not formats). */
		const char *at = l->filter ? strstr(l->filter, "%s") : NULL;
		if (at)
			snprintf(filter[w.n], sizeof filter[w.n], "%.*s%s%s", (int)(at - l->filter), l->filter,
				 c->since, at + 2);
		w.q[w.n] = (struct graph_query){ .path = l->path, .select = l->select, .top = l->top,
						 .filter = at ? filter[w.n] : l->filter,
						 .save_as = l->save_as, .label = c->src[l->src].name };
		w.src[w.n++] = l->src;
	}
	if (ms_parallel(c->s->g, w.n - w.objs + 1, w1_job, &w) < 0)
		return -1;
	for (size_t i = w.objs; i < w.n; i++)
		collect_note(&c->src[w.src[i]], &c->res[i]);
	return 0;
}

int collect_apps(struct collect_session *s, const struct check_run *r)
{
	static const int logs[] = { APP_SRC_AUDITS, APP_SRC_SIGNINS };
	struct coll c = { 0 };
	int rc = -1;
	c.s = s;
	mdl_app_sources(c.src);
	tm_utc_iso(r->since, c.since, sizeof c.since);
	if (wave1(&c) < 0)
		goto out;
	collect_retention(s, c.src, logs, sizeof logs / sizeof logs[0], r->since, r->now);
	rc = collect_record(s, "check-apps", c.src, APP_NSRC, r->since, r->now);
out:
	free(c.apps);
	free(c.sps);
	free(c.apis);
	mdl_arena_free(&c.ar);
	return rc;
}
