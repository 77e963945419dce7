/*
 * check-admins collector: fetches what the rules read (model/ names the
 * folders), in three waves of $batch so that the request count does not
 * grow with the tenant's size, only with its number of admins:
 *
 *   1. role definitions (beta: isPrivileged), then in one $batch: active
 *      and eligible role assignments with the principal expanded, the
 *      authorization policy, domains, conditional access, security
 *      defaults, risky users and risk detections (open ones, in the
 *      window), directory audits (window, the categories the rules read),
 *      guests, the MFA registration report (admins only);
 *   2. transitive members of the groups holding a privileged role, and
 *      federation settings of federated domains;
 *   3. the privileged users' records (with signInActivity where the
 *      licence allows it) and sign-ins in the window (filtered by userId
 *      and date on the server, $select of the fields read), up to 15
 *      users a query (the reports service's own throttling, below), and
 *      the authentication methods of those the report did not list.
 *
 * Before each call, the probe (licences, granted scopes) says whether it
 * can be answered; what cannot is recorded as unknown with what it needs,
 * never asked. Everything lands in the case folder; the record
 * collect/check-admins.json tells model/ what was attempted and how it
 * ended. Analysis then reads the folder, live or --offline alike.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "case/case.h"
#include "collect/collect.h"
#include "model/model.h"
#include "ms/ms.h"

/* Scopes of which one suffices, from each API's permissions page
 * (learn.microsoft.com/graph/api/…, "least privileged" and higher). */
#define SC_ROLES   "RoleManagement.Read.Directory RoleManagement.Read.All Directory.Read.All"
#define SC_ELIG    "RoleEligibilitySchedule.Read.Directory RoleManagement.Read.Directory RoleManagement.Read.All"
#define SC_POLICY  "Policy.Read.All"
#define SC_DOMAIN  "Domain.Read.All Directory.Read.All"
#define SC_RISKU   "IdentityRiskyUser.Read.All"
#define SC_RISKD   "IdentityRiskEvent.Read.All"
#define SC_AUDIT   "AuditLog.Read.All"
#define SC_USERS   "User.Read.All Directory.Read.All"
#define SC_REPORT  "AuditLog.Read.All UserAuthenticationMethod.Read.All Reports.Read.All"
#define SC_METHODS "UserAuthenticationMethod.Read.All"
#define SC_MEMBERS "GroupMember.Read.All Group.Read.All Directory.Read.All"

/* Fields the model reads (model/adm_*.c), nothing more. */
#define SEL_USER "id,userPrincipalName,displayName,mail,userType,accountEnabled,createdDateTime," \
		 "onPremisesSyncEnabled,externalUserState,creationType"
#define SEL_SIGNIN "id,createdDateTime,userId,ipAddress,location,clientAppUsed,status," \
		   "riskLevelDuringSignIn,riskLevelAggregated"

struct coll {
	struct collect_session *s;
	struct ms_svc *g;
	char since[32];
	char si_since[32];                /* sign-ins' own start (Entra ID Free) */
	struct mdl_arena ar;
	struct mdl_map priv_roles;        /* role definition id -> 1 */
	struct mdl_map seen;              /* "u:", "g:", "d:", "r:" + id */
	struct { const char *role, *id; int group; } *asg;
	size_t nasg, capasg;
	const char **users, **groups, **feddoms;
	size_t nusers, capusers, ngroups, capgroups, nfed, capfed;
	int roledefs_ok;
	struct mdl_src src[ADM_NSRC];
};

/* ---- small helpers ---------------------------------------------------------------- */

static int push_str(const char ***v, size_t *n, size_t *cap, const char *s)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 32;
		const char **p = realloc(*v, c * sizeof *p);
		if (!p)
			return err_set(E_NOMEM);
		*v = p;
		*cap = c;
	}
	(*v)[(*n)++] = s;
	return 0;
}

/* Adds id to a list once ("u:" users, "g:" groups…). */
static int once(struct coll *c, const char *kind, const char *id, const char ***v, size_t *n, size_t *cap)
{
	char key[300];
	if (!id || !mdl_safe_name(id) || strlen(id) > 256)
		return 0;
	snprintf(key, sizeof key, "%s%s", kind, id);
	if (mdl_map_get(&c->seen, key) != MDL_NONE)
		return 0;
	const char *k = mdl_intern(&c->ar, key), *s = mdl_intern(&c->ar, id);
	if (!k || !s || mdl_map_put(&c->seen, k, 1) < 0)
		return -1;
	return v ? push_str(v, n, cap, s) : 0;
}

/* Percent-encodes what a $batch URL must not carry raw (RFC 3986 §2). */
static int enc(struct buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		int keep = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
			   strchr("-._~,$()/:", ch);
		if ((keep ? buf_append(b, s, 1) : buf_printf(b, "%%%02X", ch)) < 0)
			return -1;
	}
	return 0;
}

static void note(struct coll *c, enum adm_src s, const struct ms_result *r)
{
	collect_note(&c->src[s], r);
}

static int lacks(struct coll *c, enum adm_src s, enum ms_need licence, const char *scopes)
{
	return collect_lacks(c->s, &c->src[s], licence, scopes);
}

/* ---- what the pages tell the next waves ---------------------------------------------- */

static int starts(const char *ev, const char *rel)
{
	size_t n = strlen(rel);
	return !strncmp(ev, rel, n) && ev[n] == '/';
}

static int on_item(void *ctx, const struct json *j, int it, const char *ev)
{
	struct coll *c = ctx;
	char id[300], type[128], role[300], tpl[300];
	int r = 0;
	if (starts(ev, ADM_REL_ROLEDEFS)) {
		int priv = 0;
		if (json_str(j, it, "id", id, sizeof id) == 0) {
			json_bool(j, it, "isPrivileged", &priv);
			if (json_str(j, it, "templateId", tpl, sizeof tpl) != 0)
				snprintf(tpl, sizeof tpl, "%s", id);
			if (priv || mdl_priv_builtin(tpl)) {
				const char *k = mdl_intern(&c->ar, id);
				r = k ? mdl_map_put(&c->priv_roles, k, 1) : -1;
			}
		}
	} else if (starts(ev, ADM_REL_ASSIGN) || starts(ev, ADM_REL_ELIGIBLE)) {
		if (json_str(j, it, "roleDefinitionId", role, sizeof role) == 0 &&
		    (json_str(j, it, "principal.id", id, sizeof id) == 0 ||
		     json_str(j, it, "principalId", id, sizeof id) == 0)) {
			if (json_str(j, it, "principal.@odata.type", type, sizeof type) != 0)
				type[0] = 0;
			if (c->nasg == c->capasg) {
				size_t cap = c->capasg ? c->capasg * 2 : 64;
				void *p = realloc(c->asg, cap * sizeof *c->asg);
				if (!p)
					return err_set(E_NOMEM);
				c->asg = p;
				c->capasg = cap;
			}
			c->asg[c->nasg].role = mdl_intern(&c->ar, role);
			c->asg[c->nasg].id = mdl_intern(&c->ar, id);
			c->asg[c->nasg].group = !strcasecmp(type, "#microsoft.graph.group") ? 1 :
						!strcasecmp(type, "#microsoft.graph.servicePrincipal") ? 2 : 0;
			r = c->asg[c->nasg].role && c->asg[c->nasg].id ? 0 : -1;
			c->nasg++;
		}
	} else if (starts(ev, ADM_REL_DOMAINS)) {
		if (!strstr(ev + strlen(ADM_REL_DOMAINS), "/" ADM_REL_FEDCONF "/") &&
		    json_str(j, it, "id", id, sizeof id) == 0 &&
		    json_str(j, it, "authenticationType", type, sizeof type) == 0 && !strcasecmp(type, "Federated"))
			r = once(c, "d:", id, &c->feddoms, &c->nfed, &c->capfed);
	} else if (starts(ev, ADM_REL_REGDETAILS)) {
		int reg;
		if (json_str(j, it, "id", id, sizeof id) == 0 && json_bool(j, it, "isMfaRegistered", &reg) == 0)
			r = once(c, "r:", id, NULL, NULL, NULL);
	} else if (starts(ev, ADM_REL_GROUPS)) {
		/* Members of a privileged group hold its roles: users among
		 * them are looked at like direct holders. */
		if (json_str(j, it, "@odata.type", type, sizeof type) == 0 &&
		    !strcasecmp(type, "#microsoft.graph.user") && json_str(j, it, "id", id, sizeof id) == 0)
			r = once(c, "u:", id, &c->users, &c->nusers, &c->capusers);
	}
	err_clear();
	return r;
}

/* After wave 1: the holders of privileged roles, users and groups. */
static int holders(struct coll *c)
{
	for (size_t i = 0; i < c->nasg; i++) {
		/* Without the definitions, every role counts: better a few
		 * requests too many than an admin left unexamined. */
		if (c->roledefs_ok && mdl_map_get(&c->priv_roles, c->asg[i].role) == MDL_NONE &&
		    !mdl_priv_builtin(c->asg[i].role))
			continue;
		int r = c->asg[i].group == 1 ? once(c, "g:", c->asg[i].id, &c->groups, &c->ngroups, &c->capgroups) :
			c->asg[i].group == 0 ? once(c, "u:", c->asg[i].id, &c->users, &c->nusers, &c->capusers) : 0;
		if (r < 0)
			return -1;
	}
	return 0;
}

/* ---- the waves ------------------------------------------------------------------------------ */

static int run(struct coll *c, struct collect_subs *s)
{
	return collect_subs_run(c->s, s, on_item, c, c->src);
}

/* Wave 1, job 0: role definitions (beta, one listing); job 1: the rest. */
struct w1 {
	struct coll *c;
	struct collect_subs *s;
	struct ms_result defs;
};

static int w1_job(void *ctx, size_t i)
{
	struct w1 *w = ctx;
	if (i == 0) {
		struct graph_query q = {
			.path = "/beta/roleManagement/directory/roleDefinitions",
			.select = "id,templateId,displayName,isBuiltIn,isPrivileged",
			.save_as = ADM_REL_ROLEDEFS,
		};
		return graph_list(w->c->g, &q, on_item, w->c, &w->defs);
	}
	return graph_batch(w->c->g, "v1.0", w->s->v, w->s->n, on_item, w->c);
}

static int wave1(struct coll *c)
{
	struct collect_subs s = { 0 };
	struct buf b = { 0 };
	int rc = -1;
	const char *p1 = c->s->have_probe && c->s->probe.p1 == 1 ? ",signInActivity" : "";

	/* url is built before the probe is asked, so that b is emptied
	 * either way. */
#define ADD(src, lic, sc, url, rel, none) do { const char *u_ = (url); \
	if (!u_ || (!lacks(c, src, lic, sc) && collect_subs_add(&s, src, u_, rel, none) < 0)) goto out; } while (0)
	ADD(ADM_SRC_ASSIGN, MS_NEED_NOTHING, SC_ROLES,
	    "/roleManagement/directory/roleAssignments?$expand=principal", ADM_REL_ASSIGN, 0);
	ADD(ADM_SRC_ELIGIBLE, MS_NEED_P2, SC_ELIG,
	    "/roleManagement/directory/roleEligibilityScheduleInstances?$expand=principal", ADM_REL_ELIGIBLE, 0);
	ADD(ADM_SRC_AUTHZ, MS_NEED_NOTHING, SC_POLICY, "/policies/authorizationPolicy", ADM_REL_AUTHZ, 0);
	ADD(ADM_SRC_DOMAINS, MS_NEED_NOTHING, SC_DOMAIN, "/domains?$select=id,authenticationType,isVerified",
	    ADM_REL_DOMAINS, 0);
	ADD(ADM_SRC_CA, MS_NEED_P1, SC_POLICY,
	    "/identity/conditionalAccess/policies?$select=id,displayName,state,createdDateTime,modifiedDateTime",
	    ADM_REL_CA, 0);
	ADD(ADM_SRC_SECDEF, MS_NEED_NOTHING, SC_POLICY, "/policies/identitySecurityDefaultsEnforcementPolicy",
	    ADM_REL_SECDEF, 0);
	/* Identity Protection: open risks only, detections of the window. */
	buf_puts(&b, "/identityProtection/riskyUsers?$filter=");
	enc(&b, "riskState eq 'atRisk' or riskState eq 'confirmedCompromised'");
	ADD(ADM_SRC_RISKYUSERS, MS_NEED_P1, SC_RISKU, collect_subs_own(&s, &b), ADM_REL_RISKYUSERS, 0);
	buf_printf(&b, "/identityProtection/riskDetections?$filter=");
	buf_printf(&b, "detectedDateTime%%20ge%%20%s", c->since);
	ADD(ADM_SRC_RISKDET, MS_NEED_P1, SC_RISKD, collect_subs_own(&s, &b), ADM_REL_RISKDET, 0);
	/* The audit categories of the activities model/audit.c knows:
	 * RoleManagement (grants, PIM), UserManagement (security info,
	 * passwords, invitations, new users), DirectoryManagement (domains,
	 * federation), Policy (conditional access, security defaults). */
	buf_puts(&b, "/auditLogs/directoryAudits?$top=999&$filter=");
	enc(&b, "activityDateTime ge ");
	buf_puts(&b, c->since);
	enc(&b, " and (category eq 'RoleManagement' or category eq 'UserManagement' or "
		"category eq 'DirectoryManagement' or category eq 'Policy')");
	ADD(ADM_SRC_AUDITS, MS_NEED_NOTHING, SC_AUDIT, collect_subs_own(&s, &b), ADM_REL_AUDITS, 0);
	buf_printf(&b, "/users?$top=999&$filter=");
	enc(&b, "userType eq 'Guest'");
	buf_printf(&b, "&$select=%s%s", SEL_USER, p1);
	ADD(ADM_SRC_GUESTS, MS_NEED_NOTHING, SC_USERS, collect_subs_own(&s, &b), ADM_REL_GUESTS, 0);
	buf_puts(&b, "/reports/authenticationMethods/userRegistrationDetails?$top=999&$filter=");
	enc(&b, "isAdmin eq true");
	buf_puts(&b, "&$select=id,userPrincipalName,isAdmin,isMfaRegistered,methodsRegistered");
	ADD(ADM_SRC_MFA, MS_NEED_P1, SC_REPORT, collect_subs_own(&s, &b), ADM_REL_REGDETAILS, 0);
#undef ADD
	struct w1 w = { c, &s, { 0 } };
	int defs = !lacks(c, ADM_SRC_ROLEDEFS, MS_NEED_NOTHING, SC_ROLES);
	/* The definitions' listing and the $batch go out together. */
	if (defs ? ms_parallel(c->g, 2, w1_job, &w) < 0 :
		   graph_batch(c->g, "v1.0", s.v, s.n, on_item, c) < 0)
		goto out;
	if (defs) {
		note(c, ADM_SRC_ROLEDEFS, &w.defs);
		c->roledefs_ok = w.defs.st == MS_OK;
	}
	for (size_t i = 0; i < s.n; i++)
		note(c, s.src[i], &s.v[i].res);
	rc = holders(c);
out:
	buf_free(&b);
	collect_subs_free(&s);
	return rc;
}

/* Wave 2: members of privileged groups, federation of federated domains. */
static int wave2(struct coll *c)
{
	struct collect_subs s = { 0 };
	struct buf b = { 0 };
	int rc = -1;
	int members = c->ngroups && !lacks(c, ADM_SRC_MEMBERS, MS_NEED_NOTHING, SC_MEMBERS);
	for (size_t i = 0; members && i < c->ngroups; i++) {
		buf_printf(&b, "/groups/%s/transitiveMembers?$top=999", c->groups[i]);
		const char *u = collect_subs_own(&s, &b);
		buf_printf(&b, "%s/%s/%s", ADM_REL_GROUPS, c->groups[i], ADM_REL_MEMBERS);
		if (collect_subs_add(&s, ADM_SRC_MEMBERS, u, collect_subs_own(&s, &b), 0) < 0)
			goto out;
	}
	int fed = c->nfed && !lacks(c, ADM_SRC_FEDERATION, MS_NEED_NOTHING, SC_DOMAIN);
	for (size_t i = 0; fed && i < c->nfed; i++) {
		/* 404: the domain has no configuration (internalDomainFederation) */
		buf_printf(&b, "/domains/%s/federationConfiguration", c->feddoms[i]);
		const char *u = collect_subs_own(&s, &b);
		buf_printf(&b, "%s/%s/%s", ADM_REL_DOMAINS, c->feddoms[i], ADM_REL_FEDCONF);
		if (collect_subs_add(&s, ADM_SRC_FEDERATION, u, collect_subs_own(&s, &b), 1) < 0)
			goto out;
	}
	rc = run(c, &s);
out:
	buf_free(&b);
	collect_subs_free(&s);
	return rc;
}

/* Wave 3: the privileged users' records and, for those the report did not
 * list, their authentication methods, in $batch; their sign-ins, as
 * listings beside it. Sign-ins are the bulk (a page is 1,000 of them): as
 * sub-requests, twenty pages would come back in one $batch response and
 * be held at once; as listings, one page per connection is.
 *
 * Both are asked a few users at a time. The identity and access reports
 * service allows 5 requests per 10 s per app and tenant on sign-ins,
 * audits and the method reports, and 10 a minute that read
 * signInActivity, each $batch sub-request counting alone
 * (learn.microsoft.com/graph/throttling-limits, "Identity and access
 * reports service limits"): with one record and one listing per admin,
 * bench/check_admins.sh (50 admins) met 342 answers 429, waited 211 s,
 * and records throttled six times in a row gave up, leaving 8 more
 * checks unknown (a 429 with Retry-After no longer uses up the attempts
 * since: only the 600 s cap on throttling wait bounds it, ms/graph_http.c;
 * fewer requests still mean less waiting). So records come from users?$filter=id in (…) and sign-ins
 * from (userId eq 'a' or userId eq 'b' …) and createdDateTime ge …, at
 * most ADM_IDS_PER_QUERY ids a query: Graph refuses more than 15 'or'
 * clauses on directory objects (Request_UnsupportedQuery "Too many child
 * clauses…"), and the sign-in log documents userId as "Supports $filter
 * (eq operator only)" without saying how many clauses it takes. A group
 * whose listing the service refuses (400) is asked again one user at a
 * time, as before. */
#define ADM_IDS_PER_QUERY 15
/* One user's sign-ins in the window: a group of one, and each user of a
 * group the service refused, are asked the same way. */
#define SIGNIN_ONE_FILTER "userId eq '%s' and createdDateTime ge %s"

struct w3 {
	struct coll *c;
	struct collect_subs *s;
	size_t ng, gs;                 /* sign-in groups, users per group */
	struct ms_result *res;         /* one per group */
	struct ms_result *ures;        /* one per user, for a group asked again */
	unsigned char *fb;             /* the group was asked again user by user */
	char **q, **rel;               /* each group's filter and folder */
	const char *since;
	size_t skip;                   /* groups already listed (the first one) */
};

static int list_signins(struct w3 *w, const char *filter, const char *rel, struct ms_result *res)
{
	const char *label = strrchr(rel, '/');
	struct graph_query q = {
		.path = "/v1.0/auditLogs/signIns", .select = SEL_SIGNIN, .filter = filter, .top = 1000,
		.save_as = rel, .label = label ? label + 1 : rel,
	};
	/* The listing's own failure is its result, not the run's. */
	if (graph_list(w->c->g, &q, on_item, w->c, res) < 0 && res->st != MS_FAILED)
		return -1;
	err_clear();
	return 0;
}

static int w3_job(void *ctx, size_t i)
{
	struct w3 *w = ctx;
	if (i == 0)
		return graph_batch(w->c->g, "v1.0", w->s->v, w->s->n, on_item, w->c);
	size_t g = i - 1 + w->skip, lo = g * w->gs, hi = lo + w->gs;
	if (hi > w->c->nusers)
		hi = w->c->nusers;
	if (list_signins(w, w->q[g], w->rel[g], &w->res[g]) < 0)
		return -1;
	/* 400: the service does not take this filter; a 400 comes on the
	 * first page, so nothing of the group was saved. */
	if (hi - lo < 2 || w->res[g].st != MS_FAILED || w->res[g].http != 400)
		return 0;
	w->fb[g] = 1;
	for (size_t k = lo; k < hi; k++) {
		char f[400], rel[400];
		snprintf(f, sizeof f, SIGNIN_ONE_FILTER, w->c->users[k], w->since);
		snprintf(rel, sizeof rel, "%s/%s", ADM_REL_SIGNINS_BY, w->c->users[k]);
		if (list_signins(w, f, rel, &w->ures[k]) < 0)
			return -1;
	}
	return 0;
}

/* Appends pre'id' sep pre'id'…; the ids passed mdl_safe_name (once()), so
 * none holds a quote to double. */
static int id_list(struct buf *b, const char *const *ids, size_t n, const char *pre, const char *sep)
{
	for (size_t k = 0; k < n; k++)
		if (buf_printf(b, "%s%s'%s'", k ? sep : "", pre, ids[k]) < 0)
			return -1;
	return 0;
}

static int wave3(struct coll *c)
{
	struct collect_subs s = { 0 };
	struct buf b = { 0 }, f = { 0 };
	int rc = -1;
	int p1 = c->s->have_probe && c->s->probe.p1 == 1;
	int users = !lacks(c, ADM_SRC_USERS, MS_NEED_NOTHING, SC_USERS);
	/* Sign-in logs are readable on every edition of Entra ID; the Free
	 * one keeps 7 days of them, P1/P2 30 (Microsoft Entra monitoring and
	 * health licensing; data retention). Without P1 they are asked for
	 * those 7 days only, and the record says where they start. Some
	 * tenants without P1 still answer 403
	 * Authentication_RequestFromNonPremiumTenantOrB2CTenant: that is
	 * recorded as a licence gap, like any other. */
	int free_ = c->s->have_probe && c->s->probe.p1 == 0;
	int signins = !lacks(c, ADM_SRC_SIGNINS, MS_NEED_NOTHING, SC_AUDIT);
	int methods = !lacks(c, ADM_SRC_MFA, MS_NEED_NOTHING, SC_METHODS);
	struct w3 w = { c, &s, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0 };
	w.since = free_ && c->si_since[0] ? c->si_since : c->since;
	size_t n = c->nusers;
	if (signins && n) {
		/* groups as even as can be, none above the cap */
		w.ng = (n + ADM_IDS_PER_QUERY - 1) / ADM_IDS_PER_QUERY;
		w.gs = (n + w.ng - 1) / w.ng;
		w.ng = (n + w.gs - 1) / w.gs;
		w.res = calloc(w.ng, sizeof *w.res);
		w.ures = calloc(n, sizeof *w.ures);
		w.fb = calloc(w.ng, 1);
		w.q = calloc(w.ng, sizeof *w.q);
		w.rel = calloc(w.ng, sizeof *w.rel);
		if (!w.res || !w.ures || !w.fb || !w.q || !w.rel) {
			err_set(E_NOMEM);
			goto out;
		}
	}
	const char *const *ids = (const char *const *)c->users;
	for (size_t lo = 0; users && lo < n; lo += ADM_IDS_PER_QUERY) {
		size_t k = n - lo < ADM_IDS_PER_QUERY ? n - lo : ADM_IDS_PER_QUERY;
		f.len = 0;
		if (buf_puts(&f, "id in (") < 0 || id_list(&f, ids + lo, k, "", ",") < 0 || buf_puts(&f, ")") < 0)
			goto out;
		buf_puts(&b, "/users?$filter=");
		enc(&b, f.p);
		buf_printf(&b, "&$select=%s%s", SEL_USER, p1 ? ",signInActivity" : "");
		const char *u = collect_subs_own(&s, &b);
		buf_printf(&b, "%s/%04zu", ADM_REL_USERS_IN, lo / ADM_IDS_PER_QUERY + 1);
		if (collect_subs_add(&s, ADM_SRC_USERS, u, collect_subs_own(&s, &b), 0) < 0)
			goto out;
	}
	for (size_t g = 0; g < w.ng; g++) {
		size_t lo = g * w.gs, k = n - lo < w.gs ? n - lo : w.gs;
		if (k == 1) {
			buf_printf(&b, SIGNIN_ONE_FILTER, ids[lo], w.since);
			w.q[g] = (char *)collect_subs_own(&s, &b);
			buf_printf(&b, "%s/%s", ADM_REL_SIGNINS_BY, ids[lo]);
		} else {
			if (buf_puts(&b, "(") < 0 || id_list(&b, ids + lo, k, "userId eq ", " or ") < 0 ||
			    buf_printf(&b, ") and createdDateTime ge %s", w.since) < 0)
				goto out;
			w.q[g] = (char *)collect_subs_own(&s, &b);
			buf_printf(&b, "%s/group-%02zu", ADM_REL_SIGNINS_BY, g + 1);
		}
		if (!w.q[g] || !(w.rel[g] = (char *)collect_subs_own(&s, &b)))
			goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const char *id = c->users[i];
		char key[300];
		snprintf(key, sizeof key, "r:%s", id);
		if (methods && mdl_map_get(&c->seen, key) == MDL_NONE) {
			buf_printf(&b, "/users/%s/%s", id, ADM_REL_METHODS);
			const char *u = collect_subs_own(&s, &b);
			buf_printf(&b, "%s/%s/%s", ADM_REL_USERS, id, ADM_REL_METHODS);
			if (collect_subs_add(&s, ADM_SRC_MFA, u, collect_subs_own(&s, &b), 0) < 0)
				goto out;
		}
	}
	/* The report said "licence" but the methods answered: MFA is known. */
	enum mdl_state before = c->src[ADM_SRC_MFA].st;
	if (before == MDL_ST_LICENCE || before == MDL_ST_DENIED)
		c->src[ADM_SRC_MFA].st = MDL_ST_ABSENT;
	/* Without P1, one group's sign-ins first: if Microsoft refuses them
	 * for the licence, the others are not asked only to be refused. */
	if (free_ && w.ng) {
		if (w3_job(&w, 1) < 0)
			goto out;
		w.skip = 1;
		if (w.res[0].st == MS_UNKNOWN) {
			for (size_t g = 1; g < w.ng; g++)
				w.res[g] = w.res[0];
			w.skip = w.ng;
		}
	}
	if (ms_parallel(c->g, 1 + w.ng - w.skip, w3_job, &w) < 0)
		goto out;
	for (size_t i = 0; i < s.n; i++)
		note(c, s.src[i], &s.v[i].res);
	for (size_t g = 0; g < w.ng; g++) {
		if (!w.fb[g]) {
			note(c, ADM_SRC_SIGNINS, &w.res[g]);
			continue;
		}
		for (size_t k = g * w.gs; k < n && k < (g + 1) * w.gs; k++)
			note(c, ADM_SRC_SIGNINS, &w.ures[k]);
	}
	rc = 0;
	if (c->src[ADM_SRC_MFA].st == MDL_ST_ABSENT)
		c->src[ADM_SRC_MFA].st = before;
	/* With no privileged user there is nothing to list: complete. */
	if (!c->nusers) {
		for (int k = 0; k < ADM_NSRC; k++)
			if ((k == ADM_SRC_USERS || k == ADM_SRC_SIGNINS) && c->src[k].st == MDL_ST_ABSENT)
				c->src[k].st = MDL_ST_OK;
	}
	if (!c->ngroups && c->src[ADM_SRC_MEMBERS].st == MDL_ST_ABSENT)
		c->src[ADM_SRC_MEMBERS].st = MDL_ST_OK;
	if (!c->nfed && c->src[ADM_SRC_FEDERATION].st == MDL_ST_ABSENT)
		c->src[ADM_SRC_FEDERATION].st = MDL_ST_OK;
	/* signInActivity rides on the user records when P1 allows it. */
	struct mdl_src *a = &c->src[ADM_SRC_ACTIVITY];
	if (a->st == MDL_ST_ABSENT) {
		if (p1)
			mdl_src_state_copy(a, &c->src[ADM_SRC_USERS]);
		else {
			a->st = c->s->have_probe && c->s->probe.p1 == 0 ? MDL_ST_LICENCE : MDL_ST_SKIPPED;
			snprintf(a->needs_rec, sizeof a->needs_rec, "Entra ID P1 + AuditLog.Read.All");
			snprintf(a->detail, sizeof a->detail, "%s",
				 c->s->have_probe && c->s->probe.p1 == 0 ? "probe: no Entra ID P1" : "probe: licence unknown");
		}
	}
out:
	free(w.res);
	free(w.ures);
	free(w.fb);
	free(w.q);
	free(w.rel);
	buf_free(&b);
	buf_free(&f);
	collect_subs_free(&s);
	return rc;
}

/* ---- the run ----------------------------------------------------------------------- */

int collect_admins(struct collect_session *s, const struct check_run *r)
{
	static const int logs[] = { ADM_SRC_SIGNINS, ADM_SRC_AUDITS };
	struct coll c = { 0 };
	int rc = -1;
	c.s = s;
	c.g = s->g;
	mdl_adm_sources(c.src);
	tm_utc_iso(r->since, c.since, sizeof c.since);
	/* Entra ID Free keeps 7 days of sign-ins (used when the probe says
	 * the tenant has no P1). */
	if (r->since < r->now - 7 * 86400)
		tm_utc_iso(r->now - 7 * 86400, c.si_since, sizeof c.si_since);
	if (wave1(&c) < 0 || wave2(&c) < 0 || wave3(&c) < 0)
		goto out;
	collect_retention(s, c.src, logs, sizeof logs / sizeof logs[0], r->since, r->now);
	rc = collect_record(s, "check-admins", c.src, ADM_NSRC, r->since, r->now);
out:
	free(c.asg);
	free(c.users);
	free(c.groups);
	free(c.feddoms);
	mdl_map_free(&c.priv_roles);
	mdl_map_free(&c.seen);
	mdl_arena_free(&c.ar);
	return rc;
}
